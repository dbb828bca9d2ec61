/* SSE/SSE2 floating point: arithmetic, MIN/MAX, SQRT, RCP/RSQRT, CMPcc,
 * (U)COMIS, and the conversions.  Each helper runs the same instruction on
 * the host (an x86-64: the frontend needs it for FP) between loading the
 * guest's MXCSR (exceptions masked) and restoring the host's, so rounding,
 * DAZ/FTZ, NaN propagation and the exception flags are the hardware's.  A
 * flag raised that the guest has unmasked leaves the destination unchanged
 * and the helper reports it: the translator then raises #XM. */
#include <string.h>

#include "frontend/x86_64/x64_sse.h"

#if defined(__x86_64__)

#define X64_XMM_AT(cpu, off) ((void *)((char *)(cpu) + (off)))
typedef long long x64_vec __attribute__((vector_size(16)));

/* The MXCSR the host runs with: the guest's control bits (rounding, DAZ,
 * FTZ) with every exception masked and no flags set. */
static inline uint32_t x64_fp_csr(const struct x64_cpu *cpu)
{
    return (cpu->mxcsr & ~0x3fu) | 0x1f80u;
}

/* Merge the flags the instruction raised (in g); nonzero if one of them is
 * unmasked in the guest's MXCSR. */
static inline uint32_t x64_fp_flags(struct x64_cpu *cpu, uint32_t g)
{
    uint32_t raised = g & 0x3fu;
    uint32_t unmasked = raised & ~(cpu->mxcsr >> 7) & 0x3fu;
    cpu->mxcsr |= raised;
    return unmasked;
}

static inline uint32_t x64_fp_done(struct x64_cpu *cpu, uint32_t g, uint32_t d, const x64_vec *r)
{
    if (x64_fp_flags(cpu, g))
        return 1;
    memcpy(X64_XMM_AT(cpu, d), r, 16);
    return 0;
}

/* The guest-MXCSR bracket around one instruction: x64_fp_enter loads the
 * guest's MXCSR (x64_fp_csr) unless the host's is that already, the asm
 * runs the instruction and stores MXCSR into g, x64_fp_leave restores the
 * host's if it changed.  In the common case (default control bits, no host
 * flags set) an instruction that raises nothing costs two STMXCSRs and no
 * LDMXCSR; one that raises a flag costs one LDMXCSR. */
static inline uint32_t x64_fp_enter(const struct x64_cpu *cpu, uint32_t *host)
{
    uint32_t h = __builtin_ia32_stmxcsr(), g = x64_fp_csr(cpu);
    if (h != g)
        __builtin_ia32_ldmxcsr(g);
    *host = h;
    return g;
}
static inline void x64_fp_leave(uint32_t g, uint32_t h)
{
    if (g != h)
        __builtin_ia32_ldmxcsr(h);
}
#define X64_FP_ASM(insn, ...) __asm__ volatile(insn "\n\tstmxcsr %[g]" __VA_ARGS__)

/* xmm d = d op s (scalar forms keep the upper lanes of d) */
#define X64_SSE_FP2(fname, insn)                                                                   \
    static uint32_t fname(struct x64_cpu *cpu, uint32_t d, uint32_t s)                             \
    {                                                                                              \
        x64_vec a, b;                                                                              \
        uint32_t h, g = x64_fp_enter(cpu, &h);                                                           \
        memcpy(&a, X64_XMM_AT(cpu, d), 16);                                                        \
        memcpy(&b, X64_XMM_AT(cpu, s), 16);                                                        \
        X64_FP_ASM(insn " %[b], %[a]", : [a] "+x"(a), [g] "=m"(g) : [b] "x"(b));      \
        x64_fp_leave(g, h);                                                                        \
        return x64_fp_done(cpu, g, d, &a);                                                         \
    }
X64_SSE_FP2(x64_helper_addps, "addps")
X64_SSE_FP2(x64_helper_addpd, "addpd")
X64_SSE_FP2(x64_helper_addss, "addss")
X64_SSE_FP2(x64_helper_addsd, "addsd")
X64_SSE_FP2(x64_helper_subps, "subps")
X64_SSE_FP2(x64_helper_subpd, "subpd")
X64_SSE_FP2(x64_helper_subss, "subss")
X64_SSE_FP2(x64_helper_subsd, "subsd")
X64_SSE_FP2(x64_helper_mulps, "mulps")
X64_SSE_FP2(x64_helper_mulpd, "mulpd")
X64_SSE_FP2(x64_helper_mulss, "mulss")
X64_SSE_FP2(x64_helper_mulsd, "mulsd")
X64_SSE_FP2(x64_helper_divps, "divps")
X64_SSE_FP2(x64_helper_divpd, "divpd")
X64_SSE_FP2(x64_helper_divss, "divss")
X64_SSE_FP2(x64_helper_divsd, "divsd")
X64_SSE_FP2(x64_helper_minps, "minps")
X64_SSE_FP2(x64_helper_minpd, "minpd")
X64_SSE_FP2(x64_helper_minss, "minss")
X64_SSE_FP2(x64_helper_minsd, "minsd")
X64_SSE_FP2(x64_helper_maxps, "maxps")
X64_SSE_FP2(x64_helper_maxpd, "maxpd")
X64_SSE_FP2(x64_helper_maxss, "maxss")
X64_SSE_FP2(x64_helper_maxsd, "maxsd")
X64_SSE_FP2(x64_helper_sqrtps, "sqrtps")
X64_SSE_FP2(x64_helper_sqrtpd, "sqrtpd")
X64_SSE_FP2(x64_helper_sqrtss, "sqrtss")
X64_SSE_FP2(x64_helper_sqrtsd, "sqrtsd")
X64_SSE_FP2(x64_helper_rcpps, "rcpps")
X64_SSE_FP2(x64_helper_rcpss, "rcpss")
X64_SSE_FP2(x64_helper_rsqrtps, "rsqrtps")
X64_SSE_FP2(x64_helper_rsqrtss, "rsqrtss")
X64_SSE_FP2(x64_helper_cvtps2pd, "cvtps2pd")
X64_SSE_FP2(x64_helper_cvtpd2ps, "cvtpd2ps")
X64_SSE_FP2(x64_helper_cvtss2sd, "cvtss2sd")
X64_SSE_FP2(x64_helper_cvtsd2ss, "cvtsd2ss")
X64_SSE_FP2(x64_helper_cvtdq2ps, "cvtdq2ps")
X64_SSE_FP2(x64_helper_cvtps2dq, "cvtps2dq")
X64_SSE_FP2(x64_helper_cvttps2dq, "cvttps2dq")
X64_SSE_FP2(x64_helper_cvtdq2pd, "cvtdq2pd")
X64_SSE_FP2(x64_helper_cvtpd2dq, "cvtpd2dq")
X64_SSE_FP2(x64_helper_cvttpd2dq, "cvttpd2dq")

/* CMPccPS/PD/SS/SD xmm, xmm/m, imm8: the predicate (imm8 & 7) picks the
 * instruction */
#define X64_FP_CMP_CASE(insn, n)                                                                   \
    case n:                                                                                        \
        X64_FP_ASM(insn " %[i], %[b], %[a]",                                                       \
                   : [a] "+x"(a), [g] "=m"(g) : [b] "x"(b), [i] "i"(n));              \
        break;
#define X64_SSE_FPCMP(fname, insn)                                                                 \
    static uint32_t fname(struct x64_cpu *cpu, uint32_t d, uint32_t s, uint32_t pred)              \
    {                                                                                              \
        x64_vec a, b;                                                                              \
        uint32_t h, g = x64_fp_enter(cpu, &h);                                                           \
        memcpy(&a, X64_XMM_AT(cpu, d), 16);                                                        \
        memcpy(&b, X64_XMM_AT(cpu, s), 16);                                                        \
        switch (pred & 7) {                                                                        \
            X64_FP_CMP_CASE(insn, 0) X64_FP_CMP_CASE(insn, 1) X64_FP_CMP_CASE(insn, 2)             \
            X64_FP_CMP_CASE(insn, 3) X64_FP_CMP_CASE(insn, 4) X64_FP_CMP_CASE(insn, 5)             \
            X64_FP_CMP_CASE(insn, 6) default : X64_FP_CMP_CASE(insn, 7)                            \
        }                                                                                          \
        x64_fp_leave(g, h);                                                                        \
        return x64_fp_done(cpu, g, d, &a);                                                         \
    }
X64_SSE_FPCMP(x64_helper_cmpps, "cmpps")
X64_SSE_FPCMP(x64_helper_cmppd, "cmppd")
X64_SSE_FPCMP(x64_helper_cmpss, "cmpss")
X64_SSE_FPCMP(x64_helper_cmpsd, "cmpsd")

/* (U)COMISS/SD: ZF | PF << 1 | CF << 2, and 0x100 for #XM */
#define X64_SSE_COMI(fname, insn)                                                                  \
    static uint32_t fname(struct x64_cpu *cpu, uint32_t d, uint32_t s)                             \
    {                                                                                              \
        x64_vec a, b;                                                                              \
        uint32_t h, g = x64_fp_enter(cpu, &h);                                                           \
        uint8_t z, p, c;                                                                           \
        memcpy(&a, X64_XMM_AT(cpu, d), 16);                                                        \
        memcpy(&b, X64_XMM_AT(cpu, s), 16);                                                        \
        X64_FP_ASM(insn " %[b], %[a]", : [g] "=m"(g), "=@ccz"(z), "=@ccp"(p),         \
                   "=@ccc"(c) : [a] "x"(a), [b] "x"(b));                                           \
        x64_fp_leave(g, h);                                                                        \
        if (x64_fp_flags(cpu, g))                                                                  \
            return 0x100;                                                                          \
        return (uint32_t)z | (uint32_t)p << 1 | (uint32_t)c << 2;                                  \
    }
X64_SSE_COMI(x64_helper_ucomiss, "ucomiss")
X64_SSE_COMI(x64_helper_ucomisd, "ucomisd")
X64_SSE_COMI(x64_helper_comiss, "comiss")
X64_SSE_COMI(x64_helper_comisd, "comisd")

/* CVT(T)SS/SD2SI r32/r64, xmm/m: the result goes to xmm_tmp's low qword */
#define X64_SSE_CVT2SI(fname, insn, regfmt)                                                        \
    static uint32_t fname(struct x64_cpu *cpu, uint32_t s)                                         \
    {                                                                                              \
        x64_vec b;                                                                                 \
        uint64_t r = 0;                                                                            \
        uint32_t h, g = x64_fp_enter(cpu, &h);                                                           \
        memcpy(&b, X64_XMM_AT(cpu, s), 16);                                                        \
        X64_FP_ASM(insn " %[b], %" regfmt "[r]", : [r] "+r"(r), [g] "=m"(g)           \
                   : [b] "x"(b));                                                                  \
        x64_fp_leave(g, h);                                                                        \
        if (x64_fp_flags(cpu, g))                                                                  \
            return 1;                                                                              \
        cpu->xmm_tmp.d[0] = r;                                                                     \
        return 0;                                                                                  \
    }
X64_SSE_CVT2SI(x64_helper_cvtss2si32, "cvtss2si", "k")
X64_SSE_CVT2SI(x64_helper_cvtss2si64, "cvtss2si", "q")
X64_SSE_CVT2SI(x64_helper_cvttss2si32, "cvttss2si", "k")
X64_SSE_CVT2SI(x64_helper_cvttss2si64, "cvttss2si", "q")
X64_SSE_CVT2SI(x64_helper_cvtsd2si32, "cvtsd2si", "k")
X64_SSE_CVT2SI(x64_helper_cvtsd2si64, "cvtsd2si", "q")
X64_SSE_CVT2SI(x64_helper_cvttsd2si32, "cvttsd2si", "k")
X64_SSE_CVT2SI(x64_helper_cvttsd2si64, "cvttsd2si", "q")

/* CVTSI2SS/SD xmm, r/m32/64 */
#define X64_SSE_CVTSI2(fname, insn, regfmt)                                                        \
    static uint32_t fname(struct x64_cpu *cpu, uint32_t d, uint64_t v)                             \
    {                                                                                              \
        x64_vec a;                                                                                 \
        uint32_t h, g = x64_fp_enter(cpu, &h);                                                           \
        memcpy(&a, X64_XMM_AT(cpu, d), 16);                                                        \
        X64_FP_ASM(insn " %" regfmt "[v], %[a]", : [a] "+x"(a), [g] "=m"(g)           \
                   : [v] "r"(v));                                                                  \
        x64_fp_leave(g, h);                                                                        \
        return x64_fp_done(cpu, g, d, &a);                                                         \
    }
X64_SSE_CVTSI2(x64_helper_cvtsi2ss32, "cvtsi2ssl", "k")
X64_SSE_CVTSI2(x64_helper_cvtsi2ss64, "cvtsi2ssq", "q")
X64_SSE_CVTSI2(x64_helper_cvtsi2sd32, "cvtsi2sdl", "k")
X64_SSE_CVTSI2(x64_helper_cvtsi2sd64, "cvtsi2sdq", "q")

/* ---- the table: encoding -> helper ------------------------------------- */

enum x64_fp_kind {
    X64_FP_OP,     /* xmm = xmm op xmm/m */
    X64_FP_CMP,    /* the same with the imm8 predicate */
    X64_FP_COMI,   /* flags from xmm, xmm/m */
    X64_FP_TO_INT, /* r32/64 = cvt xmm/m (helper pair: 32, 64) */
    X64_FP_FROM_INT, /* xmm = cvt r/m32/64 (helper pair: 32, 64) */
};
struct x64_fp_entry {
    uint8_t pfx, opc;
    uint8_t kind;   /* enum x64_fp_kind */
    uint8_t msize;  /* bytes of a memory source */
    uint8_t align;  /* 16: memory source must be aligned */
    struct ir_helper h, h64;
};

#define X64_FP_HELPER(fname, nargs_, ret_, a1)                                                    \
    {.name = #fname, .fn = (void *)(fname), .ret = (ret_), .nargs = (nargs_),                     \
     .args = {IR_I32, (a1), IR_I32}, .flags = IR_HF_ENV | IR_HF_SIDE}
#define X64_FP_OP2(fname) X64_FP_HELPER(fname, 2, IR_I32, IR_I32)
#define X64_FP_OP3(fname) X64_FP_HELPER(fname, 3, IR_I32, IR_I32)
#define X64_FP_OP1(fname) X64_FP_HELPER(fname, 1, IR_I32, IR_I32)
#define X64_FP_OPI(fname) X64_FP_HELPER(fname, 2, IR_I32, IR_I64)

/* packed ops (none: PS, 66: PD) take m128 aligned; scalar F3: m32, F2: m64 */
static const struct x64_fp_entry x64_fp_table[] = {
    {0x00, 0x58, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_addps), {0}},
    {0x66, 0x58, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_addpd), {0}},
    {0xf3, 0x58, X64_FP_OP, 4, 1, X64_FP_OP2(x64_helper_addss), {0}},
    {0xf2, 0x58, X64_FP_OP, 8, 1, X64_FP_OP2(x64_helper_addsd), {0}},
    {0x00, 0x5c, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_subps), {0}},
    {0x66, 0x5c, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_subpd), {0}},
    {0xf3, 0x5c, X64_FP_OP, 4, 1, X64_FP_OP2(x64_helper_subss), {0}},
    {0xf2, 0x5c, X64_FP_OP, 8, 1, X64_FP_OP2(x64_helper_subsd), {0}},
    {0x00, 0x59, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_mulps), {0}},
    {0x66, 0x59, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_mulpd), {0}},
    {0xf3, 0x59, X64_FP_OP, 4, 1, X64_FP_OP2(x64_helper_mulss), {0}},
    {0xf2, 0x59, X64_FP_OP, 8, 1, X64_FP_OP2(x64_helper_mulsd), {0}},
    {0x00, 0x5e, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_divps), {0}},
    {0x66, 0x5e, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_divpd), {0}},
    {0xf3, 0x5e, X64_FP_OP, 4, 1, X64_FP_OP2(x64_helper_divss), {0}},
    {0xf2, 0x5e, X64_FP_OP, 8, 1, X64_FP_OP2(x64_helper_divsd), {0}},
    {0x00, 0x5d, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_minps), {0}},
    {0x66, 0x5d, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_minpd), {0}},
    {0xf3, 0x5d, X64_FP_OP, 4, 1, X64_FP_OP2(x64_helper_minss), {0}},
    {0xf2, 0x5d, X64_FP_OP, 8, 1, X64_FP_OP2(x64_helper_minsd), {0}},
    {0x00, 0x5f, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_maxps), {0}},
    {0x66, 0x5f, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_maxpd), {0}},
    {0xf3, 0x5f, X64_FP_OP, 4, 1, X64_FP_OP2(x64_helper_maxss), {0}},
    {0xf2, 0x5f, X64_FP_OP, 8, 1, X64_FP_OP2(x64_helper_maxsd), {0}},
    {0x00, 0x51, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_sqrtps), {0}},
    {0x66, 0x51, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_sqrtpd), {0}},
    {0xf3, 0x51, X64_FP_OP, 4, 1, X64_FP_OP2(x64_helper_sqrtss), {0}},
    {0xf2, 0x51, X64_FP_OP, 8, 1, X64_FP_OP2(x64_helper_sqrtsd), {0}},
    {0x00, 0x52, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_rsqrtps), {0}},
    {0xf3, 0x52, X64_FP_OP, 4, 1, X64_FP_OP2(x64_helper_rsqrtss), {0}},
    {0x00, 0x53, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_rcpps), {0}},
    {0xf3, 0x53, X64_FP_OP, 4, 1, X64_FP_OP2(x64_helper_rcpss), {0}},
    {0x00, 0x5a, X64_FP_OP, 8, 1, X64_FP_OP2(x64_helper_cvtps2pd), {0}},
    {0x66, 0x5a, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_cvtpd2ps), {0}},
    {0xf3, 0x5a, X64_FP_OP, 4, 1, X64_FP_OP2(x64_helper_cvtss2sd), {0}},
    {0xf2, 0x5a, X64_FP_OP, 8, 1, X64_FP_OP2(x64_helper_cvtsd2ss), {0}},
    {0x00, 0x5b, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_cvtdq2ps), {0}},
    {0x66, 0x5b, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_cvtps2dq), {0}},
    {0xf3, 0x5b, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_cvttps2dq), {0}},
    {0xf3, 0xe6, X64_FP_OP, 8, 1, X64_FP_OP2(x64_helper_cvtdq2pd), {0}},
    {0xf2, 0xe6, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_cvtpd2dq), {0}},
    {0x66, 0xe6, X64_FP_OP, 16, 16, X64_FP_OP2(x64_helper_cvttpd2dq), {0}},
    {0x00, 0xc2, X64_FP_CMP, 16, 16, X64_FP_OP3(x64_helper_cmpps), {0}},
    {0x66, 0xc2, X64_FP_CMP, 16, 16, X64_FP_OP3(x64_helper_cmppd), {0}},
    {0xf3, 0xc2, X64_FP_CMP, 4, 1, X64_FP_OP3(x64_helper_cmpss), {0}},
    {0xf2, 0xc2, X64_FP_CMP, 8, 1, X64_FP_OP3(x64_helper_cmpsd), {0}},
    {0x00, 0x2e, X64_FP_COMI, 4, 1, X64_FP_OP2(x64_helper_ucomiss), {0}},
    {0x66, 0x2e, X64_FP_COMI, 8, 1, X64_FP_OP2(x64_helper_ucomisd), {0}},
    {0x00, 0x2f, X64_FP_COMI, 4, 1, X64_FP_OP2(x64_helper_comiss), {0}},
    {0x66, 0x2f, X64_FP_COMI, 8, 1, X64_FP_OP2(x64_helper_comisd), {0}},
    {0xf3, 0x2d, X64_FP_TO_INT, 4, 1, X64_FP_OP1(x64_helper_cvtss2si32),
     X64_FP_OP1(x64_helper_cvtss2si64)},
    {0xf3, 0x2c, X64_FP_TO_INT, 4, 1, X64_FP_OP1(x64_helper_cvttss2si32),
     X64_FP_OP1(x64_helper_cvttss2si64)},
    {0xf2, 0x2d, X64_FP_TO_INT, 8, 1, X64_FP_OP1(x64_helper_cvtsd2si32),
     X64_FP_OP1(x64_helper_cvtsd2si64)},
    {0xf2, 0x2c, X64_FP_TO_INT, 8, 1, X64_FP_OP1(x64_helper_cvttsd2si32),
     X64_FP_OP1(x64_helper_cvttsd2si64)},
    {0xf3, 0x2a, X64_FP_FROM_INT, 0, 1, X64_FP_OPI(x64_helper_cvtsi2ss32),
     X64_FP_OPI(x64_helper_cvtsi2ss64)},
    {0xf2, 0x2a, X64_FP_FROM_INT, 0, 1, X64_FP_OPI(x64_helper_cvtsi2sd32),
     X64_FP_OPI(x64_helper_cvtsi2sd64)},
};
#define X64_FP_NTABLE (sizeof x64_fp_table / sizeof x64_fp_table[0])

int x64_sse_fp_register_helpers(void)
{
    for (size_t i = 0; i < X64_FP_NTABLE; i++) {
        const struct x64_fp_entry *e = &x64_fp_table[i];
        if (ir_helper_register(&e->h) < 0 || (e->h64.name && ir_helper_register(&e->h64) < 0))
            return -1;
    }
    return 0;
}

/* Call helper h; its i32 status (nonzero: #XM) is checked. */
static enum x64_status x64_fp_call(struct x64_dc *dc, const struct ir_helper *h, ir_ref st,
                                   const ir_ref *args)
{
    int id = x64_helper(dc, h);
    if (id < 0)
        return X64_UNIMP;
    ir_call(dc->f, id, st, args);
    return X64_OK;
}

static enum x64_status x64_fp_comi(struct x64_dc *dc, const struct x64_sse *s,
                                   const struct x64_fp_entry *e)
{
    struct ir_func *f = dc->f;
    uint32_t so = x64_sse_rm_off(dc, s, e->msize, e->align);
    ir_ref r = x64_t32(dc), xm = x64_t32(dc);
    if (x64_fp_call(dc, &e->h, r, (ir_ref[]){x64_c32(dc, x64_xmm_off(s->reg, 0)),
                                             x64_c32(dc, so)}) != X64_OK)
        return X64_UNIMP;
    ir_emit_1_2(f, IR_OP_and, xm, r, x64_c32(dc, 0x100));
    x64_sse_check_xm(dc, xm);
    static const enum x64_flag fl[3] = {X64_ZF, X64_PF, X64_CF};
    for (unsigned i = 0; i < 3; i++) {
        ir_ref b = x64_t32(dc);
        ir_extract(f, b, r, i, 1);
        x64_set_flag(dc, fl[i], b);
    }
    x64_set_flag_c(dc, X64_OF, 0);
    x64_set_flag_c(dc, X64_SF, 0);
    x64_set_flag_c(dc, X64_AF, 0);
    return X64_OK;
}

enum x64_status x64_sse_tr_fp(struct x64_dc *dc, const struct x64_sse *s)
{
    const struct x64_fp_entry *e = NULL;
    for (size_t i = 0; i < X64_FP_NTABLE && !e; i++)
        if (x64_fp_table[i].opc == s->opc && x64_fp_table[i].pfx == s->pfx)
            e = &x64_fp_table[i];
    if (!e)
        return X64_NEXT;
    ir_ref st = x64_t32(dc);
    ir_ref dreg = x64_c32(dc, x64_xmm_off(s->reg, 0));
    enum x64_status r;
    switch ((enum x64_fp_kind)e->kind) {
    case X64_FP_OP: {
        uint32_t so = x64_sse_rm_off(dc, s, e->msize, e->align);
        r = x64_fp_call(dc, &e->h, st, (ir_ref[]){dreg, x64_c32(dc, so)});
        break;
    }
    case X64_FP_CMP: {
        uint32_t so = x64_sse_rm_off(dc, s, e->msize, e->align);
        r = x64_fp_call(dc, &e->h, st, (ir_ref[]){dreg, x64_c32(dc, so), x64_c32(dc, s->imm & 7)});
        break;
    }
    case X64_FP_COMI: return x64_fp_comi(dc, s, e);
    case X64_FP_TO_INT: {
        uint32_t so = x64_sse_rm_off(dc, s, e->msize, e->align);
        r = x64_fp_call(dc, s->rexw ? &e->h64 : &e->h, st, (ir_ref[]){x64_c32(dc, so)});
        if (r != X64_OK)
            return r;
        x64_sse_check_xm(dc, st);
        ir_ref v = x64_t64(dc);
        ir_ld_state(dc->f, v, X64_OFF_XMM_TMP, s->rexw ? IR_MO_64 : IR_MO_32);
        x64_set_gpr(dc, s->reg, 8, v);
        return X64_OK;
    }
    case X64_FP_FROM_INT: {
        ir_ref v = x64_read(dc, &dc->x->operands[1], NULL);
        r = x64_fp_call(dc, s->rexw ? &e->h64 : &e->h, st, (ir_ref[]){dreg, v});
        break;
    }
    default: return X64_UNIMP;
    }
    if (r == X64_OK)
        x64_sse_check_xm(dc, st);
    return r;
}

#else /* not an x86-64 host: SSE floating point is not translated */

int x64_sse_fp_register_helpers(void) { return 0; }

enum x64_status x64_sse_tr_fp(struct x64_dc *dc, const struct x64_sse *s)
{
    (void)dc;
    switch (s->opc) {
    case 0x2a: case 0x2c: case 0x2d: case 0x2e: case 0x2f: case 0x51: case 0x52: case 0x53:
    case 0x58: case 0x59: case 0x5a: case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x5f:
    case 0xc2: case 0xe6:
        return X64_UNIMP;
    default: return X64_NEXT;
    }
}

#endif
