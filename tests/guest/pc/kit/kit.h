/* Guest kit for ferry's `pc` machine: the freestanding runtime test guests are
 * written against.  A guest defines kit_payload(); the kit boots (ELF64 entry
 * from ferry's long-mode setup, or Multiboot v1), sets up the serial port and
 * runs the payload at CPL0, or at CPL3 (cmdline "ring=3", or entered at CPL3). */
#ifndef KIT_H
#define KIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "kit_asm.h"

/* Ports of the pc machine's devices (QEMU-compatible where QEMU has them). */
#define KIT_COM1 0x3f8
#define KIT_DEBUG_EXIT 0xf4
#define KIT_TIMESTAMP 0xe0
#define KIT_I8042_CMD 0x64

/* Exit codes the kit itself uses (the process exit status is code*2+1). */
#define KIT_EXIT_PANIC 0x7f /* unexpected exception or kit failure: status 255 */

#define KIT_RAM_MAX 8
struct kit_ram {
    uint64_t base, len;
};

struct kit_boot {
    int protocol;                    /* KIT_PROTO_* */
    int entry_cpl;                   /* privilege level the loader entered the kit at */
    int payload_cpl;                 /* privilege level kit_payload runs at */
    int has_kernel;                  /* the kit owns CPL0: IDT, page tables, kit_map_page */
    uint64_t mem_bytes;              /* RAM size as the boot info reports it */
    uint64_t mem_top;                /* end of the RAM block the kit image lives in */
    uint64_t image_end;              /* first byte after the kit image (bss, stacks, tables) */
    const char *cmdline;             /* boot command line ("" if none) */
    struct kit_ram ram[KIT_RAM_MAX]; /* usable RAM blocks from the boot info */
    unsigned ram_count;
};

/* Defined by each guest; its return value is the debug-exit code. */
int kit_payload(const struct kit_boot *b);

/* Port I/O (works at CPL3 too: the kit and ferry set IOPL=3). */
static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}
static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline int kit_cpl(void)
{
    uint16_t cs;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    return cs & 3;
}

/* Serial console (COM1).  Output is buffered per line and sent with one
 * `rep outsb` of up to 16 bytes (the FIFO depth) once THRE is set. */
void kit_putc(char c);
void kit_puts(const char *s);
void kit_flush(void);
int kit_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kit_vprintf(const char *fmt, va_list ap);
/* Next received byte; waits (polling LSR) until one arrives. */
int kit_getc(void);

/* End the run: debug-exit with `code` (ferry and QEMU exit with code*2+1). */
_Noreturn void kit_exit(unsigned code);
/* Benchmark phase marker: ferry records the host time of each (--stats). */
static inline void kit_phase(uint32_t id) { outl(KIT_TIMESTAMP, id); }
_Noreturn void kit_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Command line: the value of "key=value" (length in *len), or NULL. */
const char *kit_arg(const char *key, size_t *len);
uint64_t kit_arg_u64(const char *key, uint64_t def);

/* Kernel services: called directly at CPL0, through the ud2 gate at CPL3.
 * Both return 0, or -1 if there is no kit kernel (entered at CPL3) or the
 * request is invalid (address not 4 KiB aligned, outside the kit's window). */
#define KIT_MAP_PAGES 512 /* from KIT_MAP_BASE (kit_asm.h) */
int kit_map_page(uint64_t va, uint64_t pa, int writable);
int kit_unmap_page(uint64_t va);

/* Faults caught by the kit while probing (kit_probe_*). */
struct kit_fault {
    uint64_t vector, error, addr, count;
};
extern volatile struct kit_fault kit_last_fault;
/* Read/write one qword at va; 0 on success, -1 if it faulted (kit_last_fault
 * then says how).  Needs the kit kernel to catch the fault. */
int kit_probe_read(uint64_t va, uint64_t *out);
int kit_probe_write(uint64_t va, uint64_t value);

/* libc bits gcc may call */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);

#endif
