/* The `pc` machine (x86-64): RAM layout, the devices on the bus, and the boot
 * loaders (ELF64 long-mode entry, Multiboot v1) that fill an engine-neutral
 * initial CPU state.  KVM and the TCG x86 engine both start from it.
 * Memory map and register state: docs/machine-pc.md. */
#ifndef FERRY_MACHINE_PC_H
#define FERRY_MACHINE_PC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "devices/bus.h"
#include "devices/debug_exit.h"
#include "devices/i8042.h"
#include "devices/physmem.h"
#include "devices/status.h"
#include "devices/timestamp.h"
#include "devices/uart16550.h"

/* ---- memory map ------------------------------------------------------- */
#define PC_RAM_DEFAULT (128ull << 20)
#define PC_RAM_MIN (4ull << 20)
#define PC_RAM_MAX (64ull << 30)
/* RAM is [0, min(size, PC_HOLE_START)); the rest goes above 4 GiB.
 * [PC_HOLE_START, 4 GiB) is never RAM: free for MMIO and for KVM's TSS and
 * identity-map pages (e.g. 0xfffbc000..0xfffbffff). */
#define PC_HOLE_START 0xc0000000ull
#define PC_HIGH_RAM_START 0x100000000ull
/* Reported to the guest (e820-style map, Multiboot mem_lower): usable low
 * memory is [0, PC_LOW_RAM_END); [PC_LOW_RAM_END, 1 MiB) is reserved (EBDA,
 * VGA, BIOS area), although it is backed by RAM. */
#define PC_LOW_RAM_END 0x9fc00ull
#define PC_IMAGE_MIN 0x100000ull /* images load at or above 1 MiB */

/* Ferry's boot structures, all below 640 KiB (never overlapping an image). */
#define PC_GDT_ADDR 0x1000ull       /* GDT, PC_GDT_ENTRIES * 8 bytes */
#define PC_LOADER_NAME_ADDR 0x2000ull /* Multiboot boot_loader_name */
#define PC_BOOTINFO_ADDR 0x3000ull  /* struct pc_boot_info / multiboot info + mmap */
#define PC_CMDLINE_ADDR 0x4000ull   /* NUL-terminated command line */
#define PC_CMDLINE_MAX 4096         /* incl. the NUL */
/* TSS (64-bit or 32-bit): 104 bytes, then an I/O permission bitmap allowing
 * every port (8192 zero bytes) and its 0xff terminator.  IOPL=3 alone does
 * not let CPL3 code do port I/O on every KVM backend (PVM drops IOPL for
 * CPL3 code but honours the bitmap). */
#define PC_TSS_ADDR 0x5000ull
#define PC_TSS_IOMAP 104            /* I/O map base, offset in the TSS */
#define PC_TSS_SIZE (104 + 8192 + 1)
#define PC_TSS_LIMIT (PC_TSS_SIZE - 1)
#define PC_RING0_STACK_TOP 0x10000ull /* TSS.RSP0 (ring-0 stack 0x8000..0xffff) */
#define PC_PT_ADDR 0x10000ull       /* PML4, then PDPT, then PDs (page tables) */
#define PC_PT_END 0x60000ull
#define PC_STACK_TOP 0x9f000ull     /* initial RSP/ESP (stack 0x60000..0x9efff) */

/* GDT selectors.  ELF64 layout (syscall/sysret friendly, as Linux): */
#define PC_SEL_CODE64 0x08
#define PC_SEL_DATA 0x10
#define PC_SEL_USER_CODE32 0x18 /* DPL3 compat code, unused at boot */
#define PC_SEL_USER_DATA 0x20   /* used as 0x23 */
#define PC_SEL_USER_CODE64 0x28 /* used as 0x2b */
#define PC_SEL_TSS64 0x30       /* 16-byte descriptor */
/* Multiboot layout: */
#define PC_SEL_MB_CODE32 0x08
#define PC_SEL_MB_DATA32 0x10
#define PC_SEL_MB_TSS32 0x18
#define PC_GDT_ENTRIES 8

/* ---- engine-neutral initial CPU state -------------------------------- */
/* Same fields and meaning as KVM's struct kvm_segment: `limit` is the
 * byte-granular (expanded) limit, e.g. 0xffffffff for a flat g=1 segment. */
struct x86_segment {
    uint64_t base;
    uint32_t limit;
    uint16_t selector;
    uint8_t type;     /* 4-bit descriptor type (code/data: accessed bit set) */
    uint8_t present, dpl, db, s, l, g, avl;
    uint8_t unusable; /* 1 for the null/unused LDT */
};

struct x86_dtable {
    uint64_t base;
    uint16_t limit;
};

struct x86_boot_state {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags;
    uint64_t cr0, cr2, cr3, cr4, efer;
    struct x86_segment cs, ds, es, fs, gs, ss, tr, ldt;
    struct x86_dtable gdt, idt;
    unsigned cpl; /* = cs.dpl, for messages and engine choice */
    bool long_mode;
};

/* Control-register bits used by the loaders. */
#define X86_CR0_PE 0x1ull
#define X86_CR0_MP 0x2ull
#define X86_CR0_ET 0x10ull
#define X86_CR0_NE 0x20ull
#define X86_CR0_WP 0x10000ull
#define X86_CR0_PG 0x80000000ull
#define X86_CR4_PAE 0x20ull
#define X86_CR4_OSFXSR 0x200ull
#define X86_CR4_OSXMMEXCPT 0x400ull
#define X86_EFER_LME 0x100ull
#define X86_EFER_LMA 0x400ull
#define X86_RFLAGS_FIXED 0x2ull
#define X86_RFLAGS_IOPL3 0x3000ull

/* ---- ELF64 boot info (guest physical PC_BOOTINFO_ADDR, pointer in RDI) --- */
#define PC_BOOTINFO_MAGIC 0x59525246u /* "FRRY" little-endian */
#define PC_BOOTINFO_VERSION 1
#define PC_MMAP_MAX 8
enum { PC_MEM_USABLE = 1, PC_MEM_RESERVED = 2 };

struct pc_mmap_entry {
    uint64_t base, len;
    uint32_t type; /* PC_MEM_USABLE / PC_MEM_RESERVED */
    uint32_t pad;
};

/* Layout is ABI for guests (little-endian, natural alignment, no padding
 * holes); offsets are checked with _Static_assert in load_elf64.c. */
struct pc_boot_info {
    uint32_t magic;       /*  0 PC_BOOTINFO_MAGIC */
    uint32_t version;     /*  4 PC_BOOTINFO_VERSION */
    uint64_t mem_size;    /*  8 bytes of RAM (all regions) */
    uint64_t cmdline;     /* 16 guest address of the NUL-terminated command line */
    uint32_t cmdline_len; /* 24 without the NUL */
    uint32_t entry_ring;  /* 28 0 or 3 */
    uint64_t image_start; /* 32 lowest loaded address */
    uint64_t image_end;   /* 40 end of the highest segment (incl. bss) */
    uint64_t stack_top;   /* 48 initial RSP */
    uint64_t pt_base;     /* 56 CR3: ferry's page tables */
    uint32_t mmap_count;  /* 64 */
    uint32_t reserved;    /* 68 */
    struct pc_mmap_entry mmap[PC_MMAP_MAX]; /* 72 */
};

/* ---- the machine ----------------------------------------------------- */
struct pc_config {
    uint64_t ram_size;  /* 0 = PC_RAM_DEFAULT */
    const char *serial; /* -serial spec: NULL = "stdio", "file:PATH", "none" */
};

struct pc_machine {
    uint64_t ram_size;
    void *ram;          /* one mmap of ram_size bytes; regions point into it */
    struct physmem mem;
    struct bus bus;
    struct machine_status status;
    struct uart16550 com1;
    struct debug_exit dbg_exit;
    struct i8042 kbc;
    struct timestamp_dev ts;
};

/* Allocate RAM (anonymous mmap, MAP_NORESERVE) and wire the devices:
 * COM1 0x3f8-0x3ff, i8042 0x60/0x64, timestamp 0xe0-0xe3, debug exit 0xf4-0xf7.
 * Returns 0 or -errno with a message in err. */
int pc_init(struct pc_machine *pc, const struct pc_config *cfg, char *err, size_t errlen);
void pc_destroy(struct pc_machine *pc);

/* "128", "128M", "512m", "2G", "65536K" (no suffix = MiB, as -m in QEMU).
 * Checks PC_RAM_MIN..PC_RAM_MAX and 4 KiB granularity. */
int pc_parse_ram_size(const char *s, uint64_t *out, char *err, size_t errlen);

/* ---- loading a guest ---------------------------------------------------- */
enum pc_boot_protocol { PC_BOOT_NONE, PC_BOOT_ELF64, PC_BOOT_MULTIBOOT };

struct pc_boot_options {
    unsigned entry_ring;  /* 0 or 3 (ELF64 only; Multiboot enters at ring 0) */
    const char *cmdline;  /* NULL = "" ; at most PC_CMDLINE_MAX - 1 bytes */
};

/* Read the file and load it (protocol chosen from its contents: ELF64 x86-64
 * -> ELF64 long-mode entry; ELF32 i386 with a Multiboot header -> Multiboot).
 * Everything is validated before RAM is written.  Returns 0 and fills *out,
 * or -errno / -ENOEXEC with a message naming the file in err. */
int pc_load(struct pc_machine *pc, const char *path, const struct pc_boot_options *opt,
            struct x86_boot_state *out, char *err, size_t errlen);
/* Same from memory; `name` is used in messages. */
int pc_load_image(struct pc_machine *pc, const uint8_t *image, size_t size, const char *name,
                  const struct pc_boot_options *opt, struct x86_boot_state *out, char *err,
                  size_t errlen);
/* What pc_load would use for this image (PC_BOOT_NONE if neither). */
enum pc_boot_protocol pc_detect_protocol(const uint8_t *image, size_t size);

/* Engine-neutral register dump (for SHUTDOWN/FAIL_ENTRY messages and tests). */
void x86_boot_state_print(const struct x86_boot_state *s, FILE *f);

#endif
