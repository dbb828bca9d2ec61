/* Internal to machine/: helpers shared by the pc boot loaders (checked
 * segment placement, GDT/TSS/page-table builders, memory map, messages). */
#ifndef FERRY_MACHINE_LOADER_H
#define FERRY_MACHINE_LOADER_H

#include <stdarg.h>

#include "machine/pc.h"

/* One PT_LOAD segment, checked before anything is written to RAM. */
struct load_seg {
    unsigned index; /* program header index, for messages */
    uint64_t gpa, memsz, filesz, offset;
};

#define LOAD_MAX_PHDRS 256

struct load_ctx {
    struct pc_machine *pc;
    const uint8_t *image;
    size_t size;
    const char *name;
    const struct pc_boot_options *opt;
    char *err;
    size_t errlen;
};

/* Format "<name>: <message>" into ctx->err; returns code (negative errno). */
int load_fail(struct load_ctx *ctx, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Each segment: filesz <= memsz, file bytes inside the image, [gpa, gpa+memsz)
 * inside one RAM region at or above PC_IMAGE_MIN; no two segments overlap;
 * entry inside a segment.  Computes the image's lowest/highest address. */
int load_check_segments(struct load_ctx *ctx, struct load_seg *seg, unsigned n, uint64_t entry,
                        uint64_t *lo, uint64_t *hi);
/* Copy file bytes, zero the rest (bss).  Only after load_check_segments. */
void load_copy_segments(struct load_ctx *ctx, const struct load_seg *seg, unsigned n);

/* "128 MiB", "1.5 GiB", "4096 KiB" */
void pc_format_size(uint64_t bytes, char *buf, size_t len);

/* Usable/reserved map of RAM as reported to guests. Returns the count. */
unsigned pc_memory_map(const struct pc_machine *pc, struct pc_mmap_entry *out, unsigned max);

/* Descriptor encoding of a cached segment (code/data/system, 8 bytes). */
uint64_t x86_descriptor(const struct x86_segment *s);
struct x86_segment x86_flat_code64(uint16_t selector, unsigned dpl);
struct x86_segment x86_flat_code32(uint16_t selector, unsigned dpl);
struct x86_segment x86_flat_data(uint16_t selector, unsigned dpl);
struct x86_segment x86_busy_tss(uint16_t selector, uint64_t base, uint32_t limit);
struct x86_segment x86_reset_ldt(void);

/* TSS at PC_TSS_ADDR with the all-ports I/O bitmap; the stack fields are
 * set by the caller.  Returns the host pointer to its 104-byte header. */
uint8_t *pc_write_tss(struct pc_machine *pc);
/* Host pointer into ferry's boot area (asserts: the area is always RAM). */
void *pc_boot_ptr(struct pc_machine *pc, uint64_t gpa, uint64_t len);
/* Zero ferry's boot area [PC_GDT_ADDR, PC_STACK_TOP) except the command line. */
void pc_clear_boot_area(struct pc_machine *pc);
/* Identity-map [0, max(4 GiB, top of RAM)) with 2 MiB pages at PC_PT_ADDR;
 * user = set U/S at every level.  Returns CR3. */
uint64_t pc_build_page_tables(struct pc_machine *pc, bool user);
/* Write "prefix cmdline" (NUL-terminated) at PC_CMDLINE_ADDR; -E2BIG, with
 * nothing written, if too long. */
int pc_write_cmdline(struct load_ctx *ctx, const char *prefix, const char *cmdline,
                     uint32_t *len_out);

int load_elf64(struct load_ctx *ctx, struct x86_boot_state *out);
int load_multiboot(struct load_ctx *ctx, struct x86_boot_state *out);
/* Offset of a valid Multiboot v1 header in the first 8 KiB, -1 if none;
 * *bad_checksum_at is set to the first magic whose checksum fails (or -1). */
long multiboot_find_header(const uint8_t *image, size_t size, long *bad_checksum_at);

#endif
