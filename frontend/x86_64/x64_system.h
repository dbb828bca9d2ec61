/* System mode of the x86-64 translator (the pc machine under TCG): what the
 * system-instruction translators (x64_system*.c) need from the engine that
 * runs the CPU (accel/vm/vm_tcg.c), and the CPU-state helpers the engine and
 * exception delivery share (segment loads, mode flags, RFLAGS rules). */
#ifndef FERRY_X64_SYSTEM_H
#define FERRY_X64_SYSTEM_H

#include <stdbool.h>
#include <stdint.h>

#include "frontend/x86_64/x64_cpu.h"

/* Installed by the engine in x64_cpu.sys_ops / sys_opaque. */
struct x64_sys_ops {
    /* Port I/O to the machine's bus (size 1, 2 or 4).  An engine that must
     * stop after the access (the machine stopped) sets cpu->head.exit_request. */
    uint64_t (*io_in)(void *opaque, struct x64_cpu *cpu, uint16_t port, unsigned size);
    void (*io_out)(void *opaque, struct x64_cpu *cpu, uint16_t port, uint64_t value,
                   unsigned size);
    /* Linear-address access for helpers (descriptor tables, stacks of far
     * transfers, string I/O).  Returns 0, or -1 with the exception (#PF, CR2)
     * already recorded in exc_vector/exc_error/cr2. */
    int (*mem_read)(void *opaque, struct x64_cpu *cpu, uint64_t la, void *buf, unsigned len,
                    bool user);
    int (*mem_write)(void *opaque, struct x64_cpu *cpu, uint64_t la, const void *buf,
                     unsigned len, bool user);
    /* CR0/CR3/CR4/EFER changed (flush the soft TLB), INVLPG of one page. */
    void (*tlb_flush)(void *opaque, struct x64_cpu *cpu);
    void (*tlb_flush_page)(void *opaque, struct x64_cpu *cpu, uint64_t la);
};

/* Recompute cpu->cpl and head.flags (X64_HF_*) from CS, CR0, EFER. */
void x64_sys_update_flags(struct x64_cpu *cpu);

/* Record an exception for the engine (IR_EXIT_exception semantics); returns 1
 * so helpers can `return x64_sys_fault(...)`. */
int x64_sys_fault(struct x64_cpu *cpu, unsigned vector, uint32_t error);

/* Read the 8-byte (system descriptors in long mode: 16-byte) descriptor of
 * selector sel from the GDT/LDT.  0, or 1 with #GP(sel) recorded. */
int x64_sys_read_desc(struct x64_cpu *cpu, uint16_t sel, uint64_t d[2], bool wide);
/* Fill a segment cache from a descriptor. */
void x64_sys_seg_from_desc(struct x64_segcache *s, uint16_t sel, uint64_t lo, uint64_t hi);
/* Load a data/stack segment register (ES SS DS FS GS) with the checks of
 * MOV Sreg; 0, or 1 with the exception recorded. */
int x64_sys_load_seg(struct x64_cpu *cpu, enum x64_seg seg, uint16_t sel);
/* Load CS for a far transfer to privilege `cpl` (the selector's RPL is
 * replaced by it).  0, or 1 with #GP/#NP recorded. */
int x64_sys_load_cs(struct x64_cpu *cpu, uint16_t sel, unsigned cpl);

/* MOV to CR0/CR3/CR4/CR8 and WRMSR to EFER: the checks, EFER.LMA, the TLB
 * flush and the new mode flags.  0, or 1 with #GP(0) recorded. */
int x64_sys_write_cr(struct x64_cpu *cpu, unsigned n, uint64_t v);
int x64_sys_wrmsr(struct x64_cpu *cpu, uint32_t msr, uint64_t v);
int x64_sys_rdmsr(struct x64_cpu *cpu, uint32_t msr, uint64_t *v);

/* RFLAGS written by IRET/POPF at the current CPL and IOPL. */
void x64_sys_set_rflags(struct x64_cpu *cpu, uint64_t v, bool full);

/* The system-mode CPUID model (host vendor, the features the pc guests and
 * KVM report).  Reads RAX/RCX, writes RAX..RDX. */
void x64_sys_cpuid(struct x64_cpu *cpu);

/* CPL > IOPL: may this port be accessed (TSS I/O permission bitmap)?  0, or
 * 1 with #GP(0) recorded. */
int x64_sys_io_check(struct x64_cpu *cpu, uint16_t port, unsigned size);

/* Helpers the translated code calls (x64_system_cpu.c); those returning a
 * status return 0, or 1 with the exception recorded.  Far transfers leave
 * the new RIP in head.pc. */
uint64_t x64_sys_helper_lret(struct x64_cpu *cpu, uint64_t size, uint64_t imm);
uint64_t x64_sys_helper_iret(struct x64_cpu *cpu, uint64_t size);
uint64_t x64_sys_helper_ljmp(struct x64_cpu *cpu, uint64_t sel, uint64_t off);
uint64_t x64_sys_helper_lcall(struct x64_cpu *cpu, uint64_t sel, uint64_t off, uint64_t size,
                              uint64_t ret);
uint64_t x64_sys_helper_ltr(struct x64_cpu *cpu, uint64_t sel);
uint64_t x64_sys_helper_lldt(struct x64_cpu *cpu, uint64_t sel);
uint64_t x64_sys_helper_io_check(struct x64_cpu *cpu, uint64_t port, uint64_t size);
uint64_t x64_sys_helper_in(struct x64_cpu *cpu, uint64_t port, uint64_t size);
void x64_sys_helper_out(struct x64_cpu *cpu, uint64_t port, uint64_t size, uint64_t v);
uint64_t x64_sys_helper_string_io(struct x64_cpu *cpu, uint64_t size, uint64_t mode);
uint64_t x64_sys_helper_syscall(struct x64_cpu *cpu, uint64_t next);
uint64_t x64_sys_helper_sysret(struct x64_cpu *cpu, uint64_t size);

#endif
