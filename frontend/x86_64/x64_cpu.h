/* The x86-64 guest CPU state: what the x86-64 translator binds its IR globals
 * to and what the user layer and (later) system mode read and write around
 * block exits.  Layout is a contract: add fields, do not reorder them. */
#ifndef FERRY_X64_CPU_H
#define FERRY_X64_CPU_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "accel/tcg/cpu.h"

/* General-purpose register numbers (the ModRM/REX encoding order). */
enum x64_gpr {
    X64_RAX, X64_RCX, X64_RDX, X64_RBX, X64_RSP, X64_RBP, X64_RSI, X64_RDI,
    X64_R8, X64_R9, X64_R10, X64_R11, X64_R12, X64_R13, X64_R14, X64_R15,
};

/* The arithmetic flags, one field each (0 or 1), in this order in the struct.
 * Every flag-writing instruction writes all six IR globals; the dead-code
 * pass removes the computations of those overwritten before anything reads
 * them (PF and AF in particular are almost never read). */
enum x64_flag { X64_CF, X64_PF, X64_AF, X64_ZF, X64_SF, X64_OF, X64_NFLAGS };

/* cpu_head.flags (part of every block's key).  0 is Linux user mode: 64-bit
 * code, CPL3, guest memory at guest_base + address.  System mode (the pc
 * machine under TCG) sets X64_HF_SYSTEM and the mode bits; its memory
 * accesses go through the soft TLB. */
#define X64_HF_CPL_MASK 0x3u   /* current privilege level (system mode) */
#define X64_HF_SYSTEM (1u << 2) /* system mode: soft TLB, privileged insns checked */
#define X64_HF_CS64 (1u << 3)   /* CS.L: 64-bit code (system mode; user mode is always 64-bit) */
#define X64_HF_CS32 (1u << 4)   /* CS.D in legacy mode: 32-bit default operand/address size */
#define X64_HF_PG (1u << 5)     /* CR0.PG: paging on */

/* RFLAGS bit positions. */
#define X64_RFLAGS_CF (1u << 0)
#define X64_RFLAGS_PF (1u << 2)
#define X64_RFLAGS_AF (1u << 4)
#define X64_RFLAGS_ZF (1u << 6)
#define X64_RFLAGS_SF (1u << 7)
#define X64_RFLAGS_DF (1u << 10)
#define X64_RFLAGS_OF (1u << 11)
#define X64_RFLAGS_STATUS 0x8d5u /* CF PF AF ZF SF OF */

/* Exception vectors the translator raises (IR_EXIT_exception, exc_vector). */
enum x64_exception {
    X64_EXC_DE = 0, /* divide error: DIV/IDIV by zero or quotient overflow */
    X64_EXC_UD = 6, /* (undefined opcodes use IR_EXIT_undef instead) */
};

union x64_xmm {
    uint8_t b[16];
    uint32_t s[4];
    uint64_t d[2];
};

struct x64_cpu {
    struct cpu_head head; /* head.pc is RIP */

    uint64_t regs[16]; /* RAX..R15 in enum x64_gpr order */

    /* CF PF AF ZF SF OF (enum x64_flag order), each 0 or 1. */
    uint32_t flags[X64_NFLAGS];
    /* DF as +1 / -1 would save an op per string step, but 0/1 is what
     * pushfq/popfq need; 0 = up, 1 = down. */
    uint32_t df;
    /* The RFLAGS bits other than the status flags and DF (bit 1 always
     * reads 1; IF, ID, AC, ... as the guest last wrote them). */
    uint32_t rflags_other;

    uint64_t fs_base, gs_base;

    /* Details of the last exit:
     *  IR_EXIT_syscall:   head.pc = the insn after SYSCALL; number in RAX,
     *                     args RDI RSI RDX R10 R8 R9, result to RAX;
     *                     RCX = head.pc and R11 = RFLAGS already (as the
     *                     hardware sets them).
     *  IR_EXIT_exception: head.pc = the faulting insn; exc_vector (enum
     *                     x64_exception), exc_error.  User mode: #DE -> SIGFPE.
     *  IR_EXIT_undef:     head.pc = the insn (SIGILL / #UD).
     *  IR_EXIT_fault:     see fault_addr below.
     *  IR_EXIT_brk:       INT3; head.pc = the insn after it (SIGTRAP).
     *  IR_EXIT_halt:      HLT; head.pc = the HLT (user mode: SIGSEGV, it is
     *                     privileged). */
    uint32_t exc_vector;
    uint32_t exc_error;
    /* IR_EXIT_fault: head.pc = the instruction, which runs into memory that
     * is not executable at fault_addr (SIGSEGV / #PF on fetch). */
    uint64_t fault_addr;

    /* System state, for system mode later (not used by the translator yet). */
    uint64_t cr0, cr2, cr3, cr4, efer;
    uint32_t cpl;
    uint32_t pad0;

    /* SSE state, for later (never IR globals: ld_state/st_state or helpers). */
    uint32_t mxcsr;
    uint32_t pad1;
    _Alignas(16) union x64_xmm xmm[16];
};

#define X64_OFF_REG(n) (offsetof(struct x64_cpu, regs) + 8u * (unsigned)(n))
#define X64_OFF_FLAG(n) (offsetof(struct x64_cpu, flags) + 4u * (unsigned)(n))

/* RFLAGS assembled from the fields / spread into them. */
uint64_t x64_get_rflags(const struct x64_cpu *cpu);
void x64_set_rflags(struct x64_cpu *cpu, uint64_t rflags);

/* Zero everything; RFLAGS = 0x2 (frontend_x86_64.cpu_reset). */
void x64_cpu_reset(struct x64_cpu *cpu);
/* Print RIP, the registers and RFLAGS (frontend_x86_64.cpu_dump). */
void x64_cpu_dump(const struct x64_cpu *cpu, FILE *out);

#endif
