/* Internals of the A64 FP/SIMD translator (a64_fp*.c, a64_simd*.c): the
 * descriptor word the translators pass to helpers, the operation enums the
 * helpers switch on, the FP environment (FPCR rounding, FPSR flags, NaN rules)
 * and the IR utilities the translator groups share. */
#ifndef FERRY_A64_FP_H
#define FERRY_A64_FP_H

#include <stdbool.h>
#include <stdint.h>

#include "frontend/aarch64/a64.h"

/* ---- FPCR / FPSR bits ----------------------------------------------------- */

#define A64_FPCR_AHP (1u << 26)
#define A64_FPCR_DN (1u << 25)
#define A64_FPCR_FZ (1u << 24)
#define A64_FPCR_RMODE_SHIFT 22
#define A64_FPSR_IOC (1u << 0)
#define A64_FPSR_DZC (1u << 1)
#define A64_FPSR_OFC (1u << 2)
#define A64_FPSR_UFC (1u << 3)
#define A64_FPSR_IXC (1u << 4)
#define A64_FPSR_IDC (1u << 7)
#define A64_FPSR_QC (1u << 27)

/* Rounding modes: FPCR.RMode values first (RN, RP, RM, RZ), then the
 * instruction-only mode "ties away" (FRINTA, FCVTA*) and "use FPCR" (for
 * descriptors).  The first four equal FPCR.RMode; keep that order. */
enum a64_round {
    A64_RN = 0, /* to nearest, ties to even */
    A64_RP = 1, /* toward +infinity */
    A64_RM = 2, /* toward -infinity */
    A64_RZ = 3, /* toward zero */
    A64_RA = 4, /* to nearest, ties away from zero */
    A64_RFPCR = 5, /* FPCR.RMode */
};

/* ---- helper descriptors --------------------------------------------------- */

/* Every FP/SIMD helper takes the CPU state and one 64-bit descriptor naming
 * registers, element size and the operation (a constant in the IR call). */
struct a64_desc {
    unsigned rd, rn, rm, ra; /* register numbers */
    unsigned es;             /* element size, log2 bytes (0 = B .. 3 = D) */
    bool q;                  /* 128-bit vector (else 64-bit: upper half zeroed) */
    bool scalar;             /* one element; the rest of Vd is zeroed */
    bool part;               /* the "2" forms: upper half of a source/destination */
    bool uns;                /* unsigned variant */
    unsigned op;             /* enum a64_vop / a64_fop */
    unsigned imm, imm2;      /* shift / index / fbits / rounding mode ... */
};

static inline uint64_t a64_desc_pack(const struct a64_desc *d)
{
    return (uint64_t)d->rd | (uint64_t)d->rn << 5 | (uint64_t)d->rm << 10 |
           (uint64_t)d->ra << 15 | (uint64_t)d->es << 20 | (uint64_t)d->q << 22 |
           (uint64_t)d->scalar << 23 | (uint64_t)(d->op & 0xff) << 24 |
           (uint64_t)(d->imm & 0xff) << 32 | (uint64_t)(d->imm2 & 0xff) << 40 |
           (uint64_t)d->uns << 48 | (uint64_t)d->part << 49;
}

static inline struct a64_desc a64_desc_unpack(uint64_t v)
{
    struct a64_desc d;
    d.rd = v & 31;
    d.rn = (v >> 5) & 31;
    d.rm = (v >> 10) & 31;
    d.ra = (v >> 15) & 31;
    d.es = (v >> 20) & 3;
    d.q = (v >> 22) & 1;
    d.scalar = (v >> 23) & 1;
    d.op = (v >> 24) & 0xff;
    d.imm = (v >> 32) & 0xff;
    d.imm2 = (v >> 40) & 0xff;
    d.uns = (v >> 48) & 1;
    d.part = (v >> 49) & 1;
    return d;
}

/* Integer vector operations (helpers in a64_simd_helpers.c). */
enum a64_vop {
    /* three same, and their scalar / by-element / pairwise forms */
    A64_V_ADD, A64_V_SUB, A64_V_MUL, A64_V_MLA, A64_V_MLS, A64_V_PMUL,
    A64_V_HADD, A64_V_RHADD, A64_V_HSUB, A64_V_QADD, A64_V_QSUB,
    A64_V_CMGT, A64_V_CMGE, A64_V_CMHI, A64_V_CMHS, A64_V_CMEQ, A64_V_CMTST,
    A64_V_SHL, A64_V_QSHL, A64_V_RSHL, A64_V_QRSHL, /* by register (uns: USHL...) */
    A64_V_MAX, A64_V_MIN, A64_V_ABD, A64_V_ABA,
    A64_V_MAXP, A64_V_MINP, A64_V_ADDP,
    A64_V_QDMULH, A64_V_QRDMULH,
    /* two-register miscellaneous */
    A64_V_REV16, A64_V_REV32, A64_V_REV64, A64_V_ADDLP, A64_V_ADALP,
    A64_V_SUQADD, A64_V_USQADD, A64_V_CLS, A64_V_CLZ, A64_V_CNT, A64_V_RBIT,
    A64_V_QABS, A64_V_QNEG, A64_V_ABS, A64_V_NEG,
    A64_V_CMGT0, A64_V_CMGE0, A64_V_CMEQ0, A64_V_CMLE0, A64_V_CMLT0,
    A64_V_XTN, A64_V_SQXTN, A64_V_UQXTN, A64_V_SQXTUN, A64_V_SHLL,
    /* across lanes */
    A64_V_ADDV, A64_V_ADDLV, A64_V_MAXV, A64_V_MINV,
    /* three different (long, wide, narrow-high) */
    A64_V_ADDL, A64_V_ADDW, A64_V_SUBL, A64_V_SUBW, A64_V_ADDHN, A64_V_RADDHN,
    A64_V_SUBHN, A64_V_RSUBHN, A64_V_ABAL, A64_V_ABDL, A64_V_MLAL, A64_V_MLSL,
    A64_V_MULL, A64_V_QDMLAL, A64_V_QDMLSL, A64_V_QDMULL, A64_V_PMULL,
    /* shift by immediate */
    A64_V_SHR, A64_V_SRA, A64_V_RSHR, A64_V_RSRA, A64_V_SRI, A64_V_SHLI, A64_V_SLI,
    A64_V_QSHLU, A64_V_QSHLI, A64_V_SHRN, A64_V_RSHRN, A64_V_QSHRN, A64_V_QRSHRN,
    A64_V_QSHRUN, A64_V_QRSHRUN, A64_V_SHLLI,
    /* permutes, tables */
    A64_V_UZP1, A64_V_UZP2, A64_V_ZIP1, A64_V_ZIP2, A64_V_TRN1, A64_V_TRN2,
    A64_V_TBL, A64_V_TBX,
    A64_V_COUNT
};

/* Floating-point operations (helpers in a64_fp_helpers.c). */
enum a64_fop {
    /* two operands (vector, scalar, by element, pairwise) */
    A64_F_ADD, A64_F_SUB, A64_F_MUL, A64_F_DIV, A64_F_MAX, A64_F_MIN,
    A64_F_MAXNM, A64_F_MINNM, A64_F_NMUL, A64_F_MULX, A64_F_ABD,
    A64_F_CMEQ, A64_F_CMGE, A64_F_CMGT, A64_F_ACGE, A64_F_ACGT,
    A64_F_RECPS, A64_F_RSQRTS, A64_F_MLA, A64_F_MLS,
    /* one operand */
    A64_F_SQRT, A64_F_ABS, A64_F_NEG, A64_F_RINT, /* RINT: imm = enum a64_round, imm2 = exact */
    A64_F_RECPE, A64_F_RSQRTE, A64_F_RECPX, A64_F_URECPE, A64_F_URSQRTE,
    A64_F_CMEQ0, A64_F_CMGE0, A64_F_CMGT0, A64_F_CMLE0, A64_F_CMLT0,
    A64_F_TOINT,   /* FCVT[NAPMZ][SU]: imm = round, imm2 = fbits, uns */
    A64_F_FROMINT, /* SCVTF/UCVTF: imm2 = fbits, uns */
    /* precision conversions */
    A64_F_CVT,     /* scalar FCVT: es = source, imm = destination size */
    A64_F_CVTN, A64_F_CVTXN, A64_F_CVTL,
    A64_F_COUNT
};
/* Both op enums travel in the descriptor's 8-bit op field. */
_Static_assert(A64_V_COUNT <= 256 && A64_F_COUNT <= 256, "ops fit struct a64_desc.op");
/* fp_dp2 (a64_fp_scalar.c) relies on ADD, SUB, MUL, DIV coming first. */
_Static_assert(A64_F_ADD == 0 && A64_F_SUB == 1 && A64_F_MUL == 2 && A64_F_DIV == 3,
               "a64_fop order");

/* Element count of a descriptor's vector (1 for scalars). */
static inline unsigned a64_nelem(const struct a64_desc *d)
{
    return d->scalar ? 1u : (d->q ? 16u : 8u) >> d->es;
}

/* Element i of size es (log2 bytes) of a register, zero- or sign-extended. */
static inline uint64_t a64_vget(const union a64_vreg *v, unsigned es, unsigned i)
{
    switch (es) {
    case 0: return v->b[i];
    case 1: return v->h[i];
    case 2: return v->s[i];
    default: return v->d[i];
    }
}
static inline int64_t a64_vgets(const union a64_vreg *v, unsigned es, unsigned i)
{
    switch (es) {
    case 0: return (int8_t)v->b[i];
    case 1: return (int16_t)v->h[i];
    case 2: return (int32_t)v->s[i];
    default: return (int64_t)v->d[i];
    }
}
static inline void a64_vset(union a64_vreg *v, unsigned es, unsigned i, uint64_t x)
{
    switch (es) {
    case 0: v->b[i] = (uint8_t)x; break;
    case 1: v->h[i] = (uint16_t)x; break;
    case 2: v->s[i] = (uint32_t)x; break;
    default: v->d[i] = x; break;
    }
}
/* Vd = r, with bits 127:64 zeroed unless q (a 64-bit vector or scalar result). */
static inline void a64_vwrite(struct a64_cpu *cpu, unsigned rd, const union a64_vreg *r, bool q)
{
    cpu->v[rd].d[0] = r->d[0];
    cpu->v[rd].d[1] = q ? r->d[1] : 0;
}

/* ---- the FP environment (a64_fp_ops.c) ------------------------------------ */

/* One helper's FP context: the guest FPCR, the FPSR bits raised so far by
 * software, and the host FP state to restore.  Between a64_fpst_begin and
 * a64_fpst_end, host arithmetic runs in the guest rounding mode (the host FP
 * environment is switched on first need) and the exceptions it raises are
 * collected into FPSR at the end. */
struct a64_fpst {
    uint32_t fpcr;
    uint32_t fpsr;       /* the guest FPSR at the start */
    uint32_t exc;        /* FPSR cumulative bits raised in software */
    bool fast;           /* round to nearest, no FZ, Inexact already in FPSR */
    bool entered;        /* host FP environment switched to the guest's */
    bool flushed;        /* FZ: the last result was flushed to zero */
    unsigned host_saved; /* host control/status word to restore */
    int host_round;      /* saved host rounding mode (fenv fallback) */
};
void a64_fpst_begin(struct a64_fpst *st, const struct a64_cpu *cpu);
void a64_fpst_end(struct a64_fpst *st, struct a64_cpu *cpu);

/* The fast path: with round to nearest, no FZ and Inexact already in FPSR
 * (a64_fp_fast_env), a host result computed in the host's round-to-nearest
 * mode -- without switching or reading its FP environment -- that is a
 * normal number above the smallest one cannot have raised anything FPSR
 * lacks: Invalid gives a NaN, DivideByZero and Overflow an infinity,
 * Underflow a tiny result.  An exact zero qualifies where it cannot come from
 * an underflow (add, sub).  NaN operands never take the fast path. */
static inline bool a64_fp_fast_env(const struct a64_cpu *cpu)
{
    return !(cpu->fpcr & (A64_FPCR_FZ | 3u << A64_FPCR_RMODE_SHIFT)) &&
           (cpu->fpsr & A64_FPSR_IXC);
}
static inline bool a64_fp_fast_ok(unsigned sz, uint64_t r, bool zero_ok)
{
    unsigned fb = sz == 3 ? 52 : 23;
    uint64_t emask = sz == 3 ? 0x7ff0000000000000ull : 0x7f800000ull;
    uint64_t m = r & (emask | ((1ull << fb) - 1));
    uint64_t e = r & emask;
    if (e != 0 && e != emask && m != (1ull << fb))
        return true;
    return zero_ok && m == 0;
}
static inline bool a64_fp_is_nan(unsigned sz, uint64_t x)
{
    return sz == 3 ? (x & ~(1ull << 63)) > 0x7ff0000000000000ull
                   : (x & 0x7fffffffull) > 0x7f800000ull;
}

/* Element operations on raw bit patterns; sz = log2 bytes: 2 single, 3 double
 * (1 = half for conversions only).  They follow the Arm pseudocode: NaN
 * propagation (signalling NaNs first, then quiet NaNs, first operand first),
 * default NaN under FPCR.DN, flush-to-zero under FPCR.FZ, exceptions into st. */
uint64_t a64_f_add(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b);
uint64_t a64_f_sub(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b);
uint64_t a64_f_mul(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b);
uint64_t a64_f_mulx(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b);
uint64_t a64_f_div(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b);
uint64_t a64_f_max(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b, bool min);
uint64_t a64_f_maxnm(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b, bool min);
/* a + n * m with one rounding (the negations FMSUB & co. need are done by the caller). */
uint64_t a64_f_muladd(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t n, uint64_t m);
uint64_t a64_f_recps(struct a64_fpst *st, unsigned sz, uint64_t n, uint64_t m);
uint64_t a64_f_rsqrts(struct a64_fpst *st, unsigned sz, uint64_t n, uint64_t m);
uint64_t a64_f_sqrt(struct a64_fpst *st, unsigned sz, uint64_t a);
uint64_t a64_f_recpe(struct a64_fpst *st, unsigned sz, uint64_t a);
uint64_t a64_f_rsqrte(struct a64_fpst *st, unsigned sz, uint64_t a);
uint64_t a64_f_recpx(struct a64_fpst *st, unsigned sz, uint64_t a);
uint32_t a64_f_urecpe(uint32_t a);
uint32_t a64_f_ursqrte(uint32_t a);
/* Round to an integral value in FP format (FRINT*); exact: raise Inexact. */
uint64_t a64_f_rint(struct a64_fpst *st, unsigned sz, uint64_t a, enum a64_round rm, bool exact);
/* FPCompare: NZCV (unordered 0011); signal_all: any NaN is Invalid (FCMPE). */
unsigned a64_f_compare(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b, bool signal_all);
/* FPCompareEQ/GE/GT: 1 if the relation holds. */
bool a64_f_cmp_eq(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b);
bool a64_f_cmp_ge(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b);
bool a64_f_cmp_gt(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b);
/* FP -> integer of isz bits (32/64, or the element size), with fbits fraction
 * bits, saturating (Invalid on NaN / out of range). */
uint64_t a64_f_to_int(struct a64_fpst *st, unsigned sz, uint64_t a, unsigned isz_bits,
                      unsigned fbits, bool uns, enum a64_round rm);
/* Integer of isz_bits (sign- or zero-extended in v) -> FP, divided by 2^fbits. */
uint64_t a64_f_from_int(struct a64_fpst *st, unsigned sz, uint64_t v, unsigned isz_bits,
                        unsigned fbits, bool uns);
/* Precision conversion (FCVT): from size fsz to size tsz (1 half, 2 single, 3 double).
 * round_odd: FCVTXN's von Neumann rounding. */
uint64_t a64_f_convert(struct a64_fpst *st, unsigned fsz, unsigned tsz, uint64_t a,
                       bool round_odd);

static inline uint64_t a64_f_neg(unsigned sz, uint64_t a) { return a ^ (1ull << ((8u << sz) - 1)); }
static inline uint64_t a64_f_abs(unsigned sz, uint64_t a)
{
    return a & ~(1ull << ((8u << sz) - 1));
}

/* VFPExpandImm: the FMOV #imm8 value for size sz (1 half, 2 single, 3 double). */
uint64_t a64_fp_expand_imm(unsigned sz, unsigned imm8);

/* ---- helpers the translators call (IR_HF_ENV) ------------------------------- */

/* Vd = op(Vn, Vm) element-wise / pairwise / by element (desc.imm2 = index + 1
 * when by element, m = Vm[index]); FMLA/FMLS accumulate into Vd. */
void a64_h_fp_binary(struct a64_cpu *cpu, uint64_t desc);
/* Vd = op(Vn) element-wise (A64_F_SQRT .. A64_F_FROMINT). */
void a64_h_fp_unary(struct a64_cpu *cpu, uint64_t desc);
/* FCVT (scalar), FCVTN(2), FCVTXN(2), FCVTL(2). */
void a64_h_fp_convert(struct a64_cpu *cpu, uint64_t desc);
/* Value helpers for the hottest scalar forms (operands and result in IR):
 * FADD/FSUB/FMUL/FDIV of doubles (_d) and singles (_s, low 32 bits), and
 * a + n * m (FMADD; the translator negates operands for FMSUB & co). */
uint64_t a64_h_fadd_d(struct a64_cpu *cpu, uint64_t a, uint64_t b);
uint64_t a64_h_fsub_d(struct a64_cpu *cpu, uint64_t a, uint64_t b);
uint64_t a64_h_fmul_d(struct a64_cpu *cpu, uint64_t a, uint64_t b);
uint64_t a64_h_fdiv_d(struct a64_cpu *cpu, uint64_t a, uint64_t b);
uint64_t a64_h_fmuladd_d(struct a64_cpu *cpu, uint64_t a, uint64_t n, uint64_t m);
uint64_t a64_h_fadd_s(struct a64_cpu *cpu, uint64_t a, uint64_t b);
uint64_t a64_h_fsub_s(struct a64_cpu *cpu, uint64_t a, uint64_t b);
uint64_t a64_h_fmul_s(struct a64_cpu *cpu, uint64_t a, uint64_t b);
uint64_t a64_h_fdiv_s(struct a64_cpu *cpu, uint64_t a, uint64_t b);
uint64_t a64_h_fmuladd_s(struct a64_cpu *cpu, uint64_t a, uint64_t n, uint64_t m);
/* FCMP/FCMPE (desc.imm bit 0 = E, bit 1 = compare with zero): returns NZCV. */
uint32_t a64_h_fp_cmp(struct a64_cpu *cpu, uint64_t desc);
/* FMAXV & co (desc.imm = 4 elements) and scalar FADDP/FMAXP.. (2): Vd = the
 * pairwise-tree reduction of Vn with the binary op desc.op (A64_F_ADD/MAX/...). */
void a64_h_fp_reduce(struct a64_cpu *cpu, uint64_t desc);
/* FCVT*S/U Wd/Xd, Sn/Dn/Hn: desc.imm = round, imm2 = fbits, uns; desc.q = 64-bit result. */
uint64_t a64_h_fp_to_gpr(struct a64_cpu *cpu, uint64_t desc);
/* SCVTF/UCVTF Sd/Dd, Wn/Xn: returns the FP bits (zero-extended). */
uint64_t a64_h_fp_from_gpr(struct a64_cpu *cpu, uint64_t v, uint64_t desc);

/* a64_fp_fast.c: the helper for a vector FADD/FSUB/FMUL/FDIV/FMLA/FMLS of
 * .2S/.4S/.2D (element-wise or by element; same descriptor as
 * a64_h_fp_binary) with an all-lanes host fast path, or a64_hd_fp_binary for
 * any other op / form. */
const struct ir_helper *a64_fp_vec_helper(unsigned op, unsigned es, bool scalar);
/* The host has fused multiply-add instructions (x86-64 FMA3). */
bool a64_fp_host_fma(void);

/* Integer vector helpers (a64_simd_helpers.c). */
void a64_h_v_3same(struct a64_cpu *cpu, uint64_t desc);
void a64_h_v_2misc(struct a64_cpu *cpu, uint64_t desc);
void a64_h_v_across(struct a64_cpu *cpu, uint64_t desc);
void a64_h_v_3diff(struct a64_cpu *cpu, uint64_t desc);
void a64_h_v_shift(struct a64_cpu *cpu, uint64_t desc);
void a64_h_v_perm(struct a64_cpu *cpu, uint64_t desc);
/* LDn/STn (multiple structures, n >= 2) at guest address addr: desc.op = n,
 * desc.imm = registers, desc.uns = load. */
void a64_h_v_ldst(struct a64_cpu *cpu, uint64_t addr, uint64_t desc);

/* ---- IR utilities for the translators (a64_fp.c) --------------------------- */

/* Offset of Vn's byte `byte` in the CPU state. */
static inline uint32_t a64_voff(unsigned reg, unsigned byte)
{
    return (uint32_t)A64_OFF_V(reg) + byte;
}
/* i64 temp = 64-bit half `half` (0 low, 1 high) of Vn. */
ir_ref a64_vld64(struct a64_dc *dc, unsigned reg, unsigned half);
/* Store an i64 value into half `half` of Vn. */
void a64_vst64(struct a64_dc *dc, unsigned reg, unsigned half, ir_ref v);
/* Zero bits 127:64 of Vn. */
void a64_vzero_hi(struct a64_dc *dc, unsigned reg);
/* Lane `idx` of size es (log2 bytes) of Vn, zero- or sign-extended to i64. */
ir_ref a64_vld_lane(struct a64_dc *dc, unsigned reg, unsigned es, unsigned idx, bool sign);
void a64_vst_lane(struct a64_dc *dc, unsigned reg, unsigned es, unsigned idx, ir_ref v64);
/* Replicate the low 8 << es bits of v (i64) over 64 bits. */
ir_ref a64_dup64(struct a64_dc *dc, ir_ref v, unsigned es);
/* Call a void helper(cpu, desc). */
void a64_call_desc(struct a64_dc *dc, const struct ir_helper *h, const struct a64_desc *d);

/* The shared helper descriptions (registered on first use). */
extern const struct ir_helper a64_hd_fp_binary, a64_hd_fp_unary, a64_hd_fp_convert,
    a64_hd_fp_cmp, a64_hd_fp_reduce, a64_hd_fp_to_gpr, a64_hd_fp_from_gpr;
/* [size 2 single / 3 double - 2][A64_F_ADD, SUB, MUL, DIV] and the FMAs */
extern const struct ir_helper a64_hd_fp_arith[2][4], a64_hd_fp_muladd[2];
extern const struct ir_helper a64_hd_v_3same, a64_hd_v_2misc, a64_hd_v_across, a64_hd_v_3diff,
    a64_hd_v_shift, a64_hd_v_perm, a64_hd_v_ldst;

/* Open-coded forms (a64_simd_inline.c).  _cmp and _perm return false when
 * they do not handle the op/size (the caller then calls a helper). */
bool a64_simd_inline_cmp(struct a64_dc *dc, unsigned op, unsigned es, bool q);
void a64_simd_inline_narrow(struct a64_dc *dc, unsigned es, unsigned sh, bool part);
void a64_simd_inline_ext(struct a64_dc *dc, unsigned imm, bool q);
bool a64_simd_inline_perm(struct a64_dc *dc, unsigned op, unsigned es, bool q);
bool a64_simd_inline_mul(struct a64_dc *dc, unsigned op, unsigned es, bool q);
/* Lane-wise a +/- b on 64 bits for element size es (SWAR). */
ir_ref a64_simd_addsub64(struct a64_dc *dc, unsigned es, bool sub, ir_ref a, ir_ref b);
/* SSHR/USHR/SSRA/USRA/SRSHR/URSHR/SRSRA/URSRA of 32/64-bit lanes. */
bool a64_simd_inline_shift_acc(struct a64_dc *dc, unsigned op, unsigned es, bool q, unsigned sh);
/* SMAX/UMAX/SMIN/UMIN of 32/64-bit lanes. */
bool a64_simd_inline_minmax(struct a64_dc *dc, unsigned op, unsigned es, bool q);
/* [SU]ADDL/[SU]SUBL/[SU]ADDW/[SU]SUBW(2) and 16/32-bit [SU]MULL/MLAL/MLSL(2). */
bool a64_simd_inline_long(struct a64_dc *dc, unsigned op, unsigned es, bool part);
/* SSHLL/USHLL (SXTL/UXTL) of the low (part 0) or high half of Vn. */
void a64_simd_inline_widen(struct a64_dc *dc, unsigned es, bool sign, unsigned sh, bool part);

/* ---- translator groups ----------------------------------------------------- */

enum a64_status a64_tr_fp_scalar(struct a64_dc *dc);    /* a64_fp_scalar.c */
enum a64_status a64_tr_simd_vector(struct a64_dc *dc);  /* a64_simd.c */
enum a64_status a64_tr_simd_scalar(struct a64_dc *dc);  /* a64_simd.c */
/* a64_simd_fp.c: the FP parts of the Advanced SIMD groups. */
enum a64_status a64_tr_simd_fp_3same(struct a64_dc *dc, bool scalar);
enum a64_status a64_tr_simd_fp_2misc(struct a64_dc *dc, bool scalar);
enum a64_status a64_tr_simd_fp_elem(struct a64_dc *dc, bool scalar);
enum a64_status a64_tr_simd_fp_across(struct a64_dc *dc);
enum a64_status a64_tr_simd_fp_pairwise(struct a64_dc *dc);
enum a64_status a64_tr_simd_fp_shift(struct a64_dc *dc, bool scalar);
enum a64_status a64_tr_simd_fp_imm(struct a64_dc *dc);

#endif
