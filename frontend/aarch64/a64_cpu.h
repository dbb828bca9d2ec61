/* The AArch64 guest CPU state: what the A64 translator binds its IR globals to
 * and what the user layer (user/) reads and writes around block exits.
 * Layout is a contract: FP/SIMD code and user/ use these fields by name. */
#ifndef FERRY_A64_CPU_H
#define FERRY_A64_CPU_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "accel/tcg/cpu.h"

struct tcg_ctx;

/* One 128-bit SIMD&FP register V0..V31.  Lanes are little-endian: lane 0 is the
 * least significant (b[0] is bits 7:0, d[1] is bits 127:64), as on the guest.
 * Scalar FP uses the low lane (Dn = d[0], Sn = s[0], Hn = h[0], Bn = b[0]); a
 * scalar write zeroes the rest of the register. */
union a64_vreg {
    uint8_t b[16];
    uint16_t h[8];
    uint32_t s[4];
    uint64_t d[2];
    float f32[4];
    double f64[2];
};
_Static_assert(sizeof(union a64_vreg) == 16, "a64_vreg is 128 bits");

/* excl_addr when the exclusive monitor is open (no LDXR outstanding). */
#define A64_EXCL_NONE (~0ull)

/* fault_kind after an IR_EXIT_fault the frontend raised itself (host faults on
 * ordinary guest loads/stores are the user layer's SIGSEGV path instead). */
enum a64_fault_kind {
    A64_FAULT_NONE = 0,
    A64_FAULT_ALIGN = 1, /* misaligned exclusive/atomic/acquire-release access:
                            SIGBUS BUS_ADRALN, si_addr = fault_addr */
};

struct a64_cpu {
    struct cpu_head head; /* head.pc is the guest PC */

    /* General-purpose registers X0..X30 and the stack pointer.  Register
     * number 31 means XZR or SP depending on the instruction. */
    uint64_t x[31];
    uint64_t sp;

    /* NZCV, one field per flag (separate IR globals, so the dead-code pass
     * drops flag computations nobody reads).  N and Z are kept as values so
     * that a flag-setting instruction just stores its result: N is bit 63 of
     * nf (a 32-bit result is stored sign-extended), Z is set iff zf == 0.
     * C and V are 0 or 1.  Outside the translator use a64_cpu_nzcv() and
     * a64_cpu_set_nzcv(). */
    uint64_t nf, zf;
    uint32_t cf, vf;

    /* System registers EL0 can see. */
    uint64_t tpidr_el0;   /* TLS pointer: MRS/MSR TPIDR_EL0 */
    uint64_t tpidrro_el0; /* read-only at EL0 (the user layer may set it) */
    uint32_t fpcr, fpsr;  /* MRS/MSR FPCR, FPSR (FP/SIMD code reads them too) */

    /* Exclusive monitor (LDXR/STXR).  LDXR/LDAXR/LDXP set excl_addr to the
     * address and excl_val/excl_val2 to the value(s) loaded; a store-exclusive
     * succeeds iff its address equals excl_addr, its size equals excl_size and
     * memory still holds excl_val(/2) (compared and swapped atomically).
     * Any store-exclusive and CLREX close the monitor (excl_addr = A64_EXCL_NONE).
     * The user layer closes it too when it delivers a signal. */
    uint64_t excl_addr;
    uint64_t excl_val, excl_val2;
    uint32_t excl_size; /* log2 bytes of the whole access: 0..3 single, 3..4 pair */
    uint32_t excl_pad;

    /* Details of the last exit, for the user layer:
     *  IR_EXIT_syscall:  head.pc = the insn after SVC; number in x[8], args
     *                    x[0]..x[5], result goes to x[0].  exc_imm = SVC #imm16.
     *  IR_EXIT_brk:      head.pc = the BRK itself; exc_imm = BRK #imm16 (SIGTRAP).
     *  IR_EXIT_undef:    head.pc = the insn; exc_insn = its 32-bit word (SIGILL).
     *                    Also HLT, UDF, and everything Ferry does not translate.
     *  IR_EXIT_fault:    head.pc = the insn; fault_kind/fault_addr (SIGBUS).
     * Host faults on guest memory are not exits: user/signal.c maps them
     * to the guest pc (docs/architecture.md, "User mode"). */
    uint32_t exc_insn;
    uint32_t exc_imm;
    uint32_t fault_kind; /* enum a64_fault_kind */
    uint32_t pad1;
    uint64_t fault_addr;

    /* The translation cache of this CPU, for IC IVAU / DC CVAU: the helper
     * calls tcg_invalidate_range(tcg, line, line + 64).  NULL: do nothing. */
    struct tcg_ctx *tcg;

    /* SIMD&FP registers (owned by the FP/SIMD translator; never IR globals:
     * accessed with ld_state/st_state or from helpers). */
    _Alignas(16) union a64_vreg v[32];
};

#define A64_OFF_X(n) (offsetof(struct a64_cpu, x) + 8u * (unsigned)(n))
#define A64_OFF_V(n) (offsetof(struct a64_cpu, v) + 16u * (unsigned)(n))

/* Values the system registers report (see frontend/aarch64/a64_branch.c). */
#define A64_CNTFRQ 1000000000ull   /* CNTVCT_EL0 counts nanoseconds (1 GHz, as v8.6+) */
#define A64_CTR_EL0 0x8444c004ull  /* 64-byte I/D lines, IDC=DIC=0: guests must clean + invalidate */
#define A64_DCZID_EL0 0x4ull       /* DC ZVA zeroes 64 bytes */
#define A64_MIDR_EL1 0x410fd083ull /* Arm Cortex-A72 r0p3 */

/* AT_HWCAP / AT_HWCAP2 bits Linux defines for arm64 (asm/hwcap.h values). */
#define A64_HWCAP_FP (1ull << 0)
#define A64_HWCAP_ASIMD (1ull << 1)
#define A64_HWCAP_CRC32 (1ull << 7)
#define A64_HWCAP_ATOMICS (1ull << 8)
#define A64_HWCAP_LRCPC (1ull << 15)

/* Exactly the AT_HWCAP / AT_HWCAP2 bits Ferry's A64 translator implements. */
uint64_t a64_hwcap(void);
uint64_t a64_hwcap2(void);

/* Zero everything and open the exclusive monitor (frontend_aarch64.cpu_reset). */
void a64_cpu_reset(struct a64_cpu *cpu);
/* The architectural NZCV as 4 bits (N = 8, Z = 4, C = 2, V = 1): read from /
 * write to the flag fields (use these, not the fields, outside the translator). */
unsigned a64_cpu_nzcv(const struct a64_cpu *cpu);
void a64_cpu_set_nzcv(struct a64_cpu *cpu, unsigned nzcv);
/* Print pc, x0..x30, sp, NZCV (frontend_aarch64.cpu_dump). */
void a64_cpu_dump(const struct a64_cpu *cpu, FILE *out);

#endif
