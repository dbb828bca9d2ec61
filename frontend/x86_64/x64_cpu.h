/* The x86-64 guest CPU state: what the x86-64 translator binds its IR globals
 * to and what the user layer and (later) system mode read and write around
 * block exits.  Layout is a contract: add fields, do not reorder them. */
#ifndef FERRY_X64_CPU_H
#define FERRY_X64_CPU_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "accel/tcg/cpu.h"
#include "accel/tcg/softmmu.h"

/* General-purpose register numbers (the ModRM/REX encoding order). */
enum x64_gpr {
    X64_RAX, X64_RCX, X64_RDX, X64_RBX, X64_RSP, X64_RBP, X64_RSI, X64_RDI,
    X64_R8, X64_R9, X64_R10, X64_R11, X64_R12, X64_R13, X64_R14, X64_R15,
};

/* The arithmetic flags, one field each, in this order in the struct.  The
 * common ALU ops leave them lazy (cc_op below, docs/frontend-x86_64.md);
 * the others write the six IR globals eagerly and the dead-code pass
 * removes the computations of those overwritten before anything reads
 * them. */
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
    /* system mode */
    X64_EXC_DB = 1, X64_EXC_BP = 3, X64_EXC_OF = 4, X64_EXC_NM = 7, X64_EXC_DF = 8,
    X64_EXC_TS = 10, X64_EXC_NP = 11, X64_EXC_SS = 12, X64_EXC_GP = 13, X64_EXC_PF = 14,
    X64_EXC_MF = 16,
    X64_EXC_XM = 19, /* SIMD FP exception unmasked in MXCSR (user mode: SIGFPE) */
};

/* System mode: segment registers in their encoding order, then LDTR, TR. */
enum x64_seg { X64_ES, X64_CS, X64_SS, X64_DS, X64_FS, X64_GS, X64_LDTR, X64_TR, X64_NSEG };

/* A segment register's hidden part.  attr packs the descriptor's access
 * bits as VMX does: type 0-3, S 4, DPL 5-6, P 7, AVL 12, L 13, D/B 14, G 15. */
struct x64_segcache {
    uint64_t base;
    uint32_t limit; /* byte-granular (expanded) */
    uint16_t sel;
    uint16_t attr;
};
#define X64_SEGA_S (1u << 4)
#define X64_SEGA_DPL_SHIFT 5
#define X64_SEGA_P (1u << 7)
#define X64_SEGA_L (1u << 13)
#define X64_SEGA_DB (1u << 14)
#define X64_SEGA_G (1u << 15)

struct x64_sys_ops;

union x64_xmm {
    uint8_t b[16];
    uint32_t s[4];
    uint64_t d[2];
};

struct x64_cpu {
    struct cpu_head head; /* head.pc is RIP */

    uint64_t regs[16]; /* RAX..R15 in enum x64_gpr order */

    /* CF PF AF ZF SF OF (enum x64_flag order); CF is 0 or 1, the others
     * raw (one move to set): PF = 1 when the low byte of flags[PF] has an
     * even number of ones, AF = bit 4 of flags[AF], ZF = 1 when flags[ZF]
     * is 0, SF = bit 31 of flags[SF], OF = bit 31 of flags[OF]; only valid
     * while cc_op is X64_CC_EAGER.  Read and write them with
     * x64_get_rflags/x64_set_rflags (x64_get_flag/x64_set_flag in
     * translated code). */
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

    /* SSE state (never IR globals: ld_state/st_state or helpers). */
    uint32_t mxcsr;
    uint32_t pad1;
    _Alignas(16) union x64_xmm xmm[16];
    /* Scratch of the SSE translator (not architectural): memory sources of
     * helper-run instructions, results of conversions to a GPR. */
    union x64_xmm xmm_tmp;
    /* User mode's x87 registers, 80-bit values in bytes 0-9, by physical
     * number (ST(i) = (fpu_top + i) & 7, in use per fpu_tags; x64_sse_x87.c).
     * System mode's subset keeps doubles in fpr[] instead. */
    uint8_t x87_reg[8][16];

    /* ---- system mode (the pc machine under TCG; frontend/x86_64/x64_system*.c)
     * Unused in Linux user mode.  Segment caches in enum x64_seg order; FS and
     * GS bases live in fs_base/gs_base above (seg[].base mirrors them). */
    struct x64_segcache seg[X64_NSEG];
    uint64_t gdt_base, idt_base;
    uint32_t gdt_limit, idt_limit;
    uint64_t kernel_gs_base, star, lstar, cstar, sfmask, apic_base, tsc_aux, cr8;
    /* x87: the control word (FNSTCW/FLDCW/FXSAVE, x64_sse_move.c) and, in
     * system mode, a minimal stack (x64_system_fpu.c: FNINIT, FLD1/FLDZ, FILD,
     * FADD(P), FIST(P), FNSTSW) with registers as doubles, not 80-bit. */
    double fpr[8];
    uint32_t fpu_top, fpu_tags; /* fpu_tags: bit i set = physical register i in use */
    uint16_t fpu_cw, fpu_sw;
    uint32_t pad2;
    /* The machine behind the CPU (struct x64_sys_ops in x64_system.h); NULL
     * in user mode. */
    const struct x64_sys_ops *sys_ops;
    void *sys_opaque;
    /* Software-interrupt detail of IR_EXIT_exception: 1 when exc_vector came
     * from INT n / INT3 / INTO (head.pc = the next instruction, the return
     * address; the IDT gate's DPL is checked against CPL), else 0. */
    uint32_t exc_soft;
    uint32_t pad3;
    /* Lazy flags: when cc_op is not X64_CC_EAGER, flags[] are stale and the
     * six status flags follow from the last ADD/SUB/CMP/AND/OR/XOR/TEST,
     * INC/DEC, SHL/SHR/SAR by a constant or MUL/IMUL, or ROL/ROR by a constant
     * after one of those (enum x64_cc_kind):
     * cc_op = kind | size << 4, cc_a and cc_b its operands (zero-extended,
     * unused for logic ops), cc_res its unmasked 64-bit result.
     * x64_get_rflags/x64_set_rflags handle both states. */
    uint32_t cc_op;
    uint32_t pad4;
    uint64_t cc_a, cc_b, cc_res;
    /* System mode: the soft TLB that IR_MO_MMU accesses use (cpu_head.softmmu_off
     * points here; x64_mmu.h sets it up).  Keep it last: it is large. */
    struct softmmu smmu;
};

#define X64_OFF_REG(n) (offsetof(struct x64_cpu, regs) + 8u * (unsigned)(n))
#define X64_OFF_FLAG(n) (offsetof(struct x64_cpu, flags) + 4u * (unsigned)(n))
#define X64_OFF_CC_OP offsetof(struct x64_cpu, cc_op)
#define X64_OFF_CC_A offsetof(struct x64_cpu, cc_a)
#define X64_OFF_CC_B offsetof(struct x64_cpu, cc_b)
#define X64_OFF_CC_RES offsetof(struct x64_cpu, cc_res)
/* cc_op kinds (low nibble; the operand size in bytes is in bits 4-7) */
enum x64_cc_kind {
    X64_CC_EAGER = 0,
    X64_CC_ADD = 1,   /* res = a + b */
    X64_CC_SUB = 2,   /* res = a - b */
    X64_CC_LOGIC = 3, /* CF = OF = AF = 0 */
    X64_CC_SHL = 4,   /* a = the value shifted by count - 1: CF its top bit, OF = CF ^ top of res */
    X64_CC_SHR = 5,   /* a as for SHL: CF its bit 0; b = the operand: OF its top bit */
    X64_CC_SAR = 6,   /* a as for SHR: CF its bit 0; OF = 0 */
    X64_CC_MUL = 7,   /* a = 0/1 overflow: CF = OF = a */
    X64_CC_ROT = 8,   /* ROL/ROR by a constant after a lazy op: a = CF | OF << 1, AF = bit 4
                       * of b, ZF SF PF from res and size as the earlier op left them */
    X64_CC_INC = 9,   /* res = a + 1, CF = b (kept from before) */
    X64_CC_DEC = 10,  /* res = a - 1, CF = b */
};
/* (SHL/SHR/SAR and multiplies: AF = 0, SDM-undefined) */
#define X64_OFF_XMM(n) (offsetof(struct x64_cpu, xmm) + 16u * (unsigned)(n))
#define X64_OFF_XMM_TMP offsetof(struct x64_cpu, xmm_tmp)
#define X64_MXCSR_DEFAULT 0x1f80u
#define X64_MXCSR_MASK 0xffffu /* writable MXCSR bits (DAZ included); others #GP(0) */
#define X64_FPU_CW_DEFAULT 0x037fu

/* RFLAGS assembled from the fields / spread into them. */
uint64_t x64_get_rflags(const struct x64_cpu *cpu);
void x64_set_rflags(struct x64_cpu *cpu, uint64_t rflags);

/* What CPUID returns for `leaf` (subleaf 0) in EAX EBX ECX EDX: the model
 * the translator advertises (user mode's AT_HWCAP is leaf 1's EDX). */
void x64_cpuid_query(uint32_t leaf, uint32_t out[4]);
/* Zero everything; RFLAGS = 0x2 (frontend_x86_64.cpu_reset). */
void x64_cpu_reset(struct x64_cpu *cpu);
/* Print RIP, the registers and RFLAGS (frontend_x86_64.cpu_dump). */
void x64_cpu_dump(const struct x64_cpu *cpu, FILE *out);

#endif
