/* A64 Advanced SIMD floating point: the FP forms of the three same, two-reg
 * misc, by element, across lanes, scalar pairwise and shift-by-immediate
 * groups (single and double; half precision is FEAT_FP16, not implemented).
 * Each decodes to one call of a helper in a64_fp_helpers.c (the hottest
 * vector arithmetic: a64_fp_fast.c); FABS/FNEG are plain IR. */
#include <string.h>

#include "frontend/aarch64/a64_fp.h"

static struct a64_desc sfp_desc(uint32_t insn, unsigned es, unsigned op, bool scalar)
{
    struct a64_desc d;
    memset(&d, 0, sizeof d);
    d.rd = a64_bits(insn, 0, 5);
    d.rn = a64_bits(insn, 5, 5);
    d.rm = a64_bits(insn, 16, 5);
    d.es = es;
    d.q = a64_bit(insn, 30) && !scalar;
    d.scalar = scalar;
    d.op = op;
    return d;
}

/* FABS/FNEG <Vd>.<T>, <Vn>.<T>: bit operations on the 64-bit halves (no FP
 * exceptions, NaNs keep their payload: FPAbs/FPNeg only touch the sign). */
static void sfp_sign_op(struct a64_dc *dc, bool neg, unsigned es, unsigned rd, unsigned rn, bool q)
{
    uint64_t sign = es == 3 ? 1ull << 63 : 0x8000000080000000ull;
    ir_ref lo = a64_vld64(dc, rn, 0), hi = q ? a64_vld64(dc, rn, 1) : IR_NONE;
    ir_ref t0 = ir_temp(dc->f, IR_I64);
    ir_emit_1_2(dc->f, neg ? IR_OP_xor : IR_OP_andc, t0, lo, ir_const(dc->f, IR_I64, sign));
    a64_vst64(dc, rd, 0, t0);
    if (!q) {
        a64_vzero_hi(dc, rd);
        return;
    }
    ir_ref t1 = ir_temp(dc->f, IR_I64);
    ir_emit_1_2(dc->f, neg ? IR_OP_xor : IR_OP_andc, t1, hi, ir_const(dc->f, IR_I64, sign));
    a64_vst64(dc, rd, 1, t1);
}

enum { F3_VEC = 1, F3_SCALAR = 2, F3_PAIR = 4, F3_UNIMP = 8 };
struct f3_info {
    signed char op;
    unsigned char flags;
};

/* FADD, FMUL, FMLA, FCMEQ, FMAXP ... <Vd>.<T>, <Vn>.<T>, <Vm>.<T> and the
 * scalar FMULX, FCMxx, FACxx, FABD, FRECPS, FRSQRTS */
enum a64_status a64_tr_simd_fp_3same(struct a64_dc *dc, bool scalar)
{
    /* [U][a][opcode - 0x18] */
    static const struct f3_info tab[2][2][8] = {
        {
            {{A64_F_MAXNM, F3_VEC}, {A64_F_MLA, F3_VEC}, {A64_F_ADD, F3_VEC},
             {A64_F_MULX, F3_VEC | F3_SCALAR}, {A64_F_CMEQ, F3_VEC | F3_SCALAR}, {-1, F3_UNIMP},
             {A64_F_MAX, F3_VEC}, {A64_F_RECPS, F3_VEC | F3_SCALAR}},
            {{A64_F_MINNM, F3_VEC}, {A64_F_MLS, F3_VEC}, {A64_F_SUB, F3_VEC}, {-1, 0}, {-1, 0},
             {-1, F3_UNIMP}, {A64_F_MIN, F3_VEC}, {A64_F_RSQRTS, F3_VEC | F3_SCALAR}},
        },
        {
            {{A64_F_MAXNM, F3_VEC | F3_PAIR}, {-1, F3_UNIMP}, {A64_F_ADD, F3_VEC | F3_PAIR},
             {A64_F_MUL, F3_VEC}, {A64_F_CMGE, F3_VEC | F3_SCALAR},
             {A64_F_ACGE, F3_VEC | F3_SCALAR}, {A64_F_MAX, F3_VEC | F3_PAIR},
             {A64_F_DIV, F3_VEC}},
            {{A64_F_MINNM, F3_VEC | F3_PAIR}, {-1, F3_UNIMP}, {A64_F_ABD, F3_VEC | F3_SCALAR},
             {-1, 0}, {A64_F_CMGT, F3_VEC | F3_SCALAR}, {A64_F_ACGT, F3_VEC | F3_SCALAR},
             {A64_F_MIN, F3_VEC | F3_PAIR}, {-1, 0}},
        },
    };
    uint32_t insn = dc->insn;
    bool u = a64_bit(insn, 29), a = a64_bit(insn, 23), sz = a64_bit(insn, 22);
    struct f3_info info = tab[u][a][a64_bits(insn, 11, 5) - 0x18];
    if (info.op < 0)
        return (info.flags & F3_UNIMP) ? A64_UNIMP : A64_UNDEF; /* FMLAL & co: FEAT_FHM */
    if (!(info.flags & (scalar ? F3_SCALAR : F3_VEC)))
        return A64_UNDEF;
    if (!scalar && sz && !a64_bit(insn, 30))
        return A64_UNDEF; /* .1D */
    struct a64_desc d = sfp_desc(insn, 2u + sz, (unsigned)info.op, scalar);
    d.imm = (info.flags & F3_PAIR) ? 1 : 0;
    a64_call_desc(dc, d.imm ? &a64_hd_fp_binary : a64_fp_vec_helper(d.op, d.es, scalar), &d);
    return A64_OK;
}

/* Two-register misc FP: FABS, FNEG, FSQRT, FRINT*, FCVT*, SCVTF/UCVTF,
 * FCMxx #0, FRECPE, FRSQRTE, FRECPX, URECPE, URSQRTE, FCVTN/XN/L */
enum a64_status a64_tr_simd_fp_2misc(struct a64_dc *dc, bool scalar)
{
    uint32_t insn = dc->insn;
    unsigned opcode = a64_bits(insn, 12, 5);
    bool u = a64_bit(insn, 29), a = a64_bit(insn, 23), sz = a64_bit(insn, 22);
    bool q = a64_bit(insn, 30);
    unsigned es = 2u + sz;
    struct a64_desc d = sfp_desc(insn, es, 0, scalar);
    const struct ir_helper *h = &a64_hd_fp_unary;
    bool scalar_ok = false;
    unsigned key = (unsigned)u << 6 | (unsigned)a << 5 | opcode;
    switch (key) {
    /* narrowing / widening */
    case 0x16: /* FCVTN(2) */
    case 0x56: /* FCVTXN(2) */
        if (key == 0x56 && !sz)
            return A64_UNDEF;
        if (scalar && key != 0x56)
            return A64_UNDEF;
        d.op = key == 0x16 ? A64_F_CVTN : A64_F_CVTXN;
        d.es = 1u + sz; /* destination size */
        d.part = q && !scalar;
        d.q = false;
        h = &a64_hd_fp_convert;
        scalar_ok = true;
        break;
    case 0x17: /* FCVTL(2) */
        if (scalar)
            return A64_UNDEF;
        d.op = A64_F_CVTL;
        d.es = 1u + sz; /* source size */
        d.part = q;
        d.q = true;
        h = &a64_hd_fp_convert;
        break;
    case 0x36: /* BFCVTN (FEAT_BF16) */
    case 0x1e: case 0x1f: case 0x5e: case 0x5f: /* FRINT32/64 (FEAT_FRINTTS) */
        return A64_UNIMP;
    /* rounding */
    case 0x18: d.op = A64_F_RINT; d.imm = A64_RN; break;
    case 0x19: d.op = A64_F_RINT; d.imm = A64_RM; break;
    case 0x38: d.op = A64_F_RINT; d.imm = A64_RP; break;
    case 0x39: d.op = A64_F_RINT; d.imm = A64_RZ; break;
    case 0x58: d.op = A64_F_RINT; d.imm = A64_RA; break;
    case 0x59: d.op = A64_F_RINT; d.imm = A64_RFPCR; d.imm2 = 1; break; /* FRINTX */
    case 0x79: d.op = A64_F_RINT; d.imm = A64_RFPCR; break;             /* FRINTI */
    /* conversions to integer */
    case 0x1a: case 0x5a: d.op = A64_F_TOINT; d.imm = A64_RN; scalar_ok = true; break;
    case 0x1b: case 0x5b: d.op = A64_F_TOINT; d.imm = A64_RM; scalar_ok = true; break;
    case 0x1c: case 0x5c: d.op = A64_F_TOINT; d.imm = A64_RA; scalar_ok = true; break;
    case 0x3a: case 0x7a: d.op = A64_F_TOINT; d.imm = A64_RP; scalar_ok = true; break;
    case 0x3b: case 0x7b: d.op = A64_F_TOINT; d.imm = A64_RZ; scalar_ok = true; break;
    case 0x1d: case 0x5d: d.op = A64_F_FROMINT; scalar_ok = true; break; /* SCVTF/UCVTF */
    /* compares with zero */
    case 0x2c: d.op = A64_F_CMGT0; scalar_ok = true; break;
    case 0x2d: d.op = A64_F_CMEQ0; scalar_ok = true; break;
    case 0x2e: d.op = A64_F_CMLT0; scalar_ok = true; break;
    case 0x6c: d.op = A64_F_CMGE0; scalar_ok = true; break;
    case 0x6d: d.op = A64_F_CMLE0; scalar_ok = true; break;
    /* arithmetic */
    case 0x2f: d.op = A64_F_ABS; break;
    case 0x6f: d.op = A64_F_NEG; break;
    case 0x7f: d.op = A64_F_SQRT; break;
    case 0x3d: d.op = A64_F_RECPE; scalar_ok = true; break;
    case 0x7d: d.op = A64_F_RSQRTE; scalar_ok = true; break;
    case 0x3f: /* FRECPX (scalar only) */
        if (!scalar)
            return A64_UNDEF;
        d.op = A64_F_RECPX;
        scalar_ok = true;
        break;
    case 0x3c: case 0x7c: /* URECPE, URSQRTE (32-bit lanes) */
        if (scalar || sz)
            return A64_UNDEF;
        d.op = key == 0x3c ? A64_F_URECPE : A64_F_URSQRTE;
        break;
    default:
        return A64_UNDEF;
    }
    if (scalar && !scalar_ok)
        return A64_UNDEF;
    if (d.op != A64_F_CVTN && d.op != A64_F_CVTXN && d.op != A64_F_CVTL && !scalar && sz && !q)
        return A64_UNDEF; /* .1D */
    if (d.op == A64_F_ABS || d.op == A64_F_NEG) {
        sfp_sign_op(dc, d.op == A64_F_NEG, es, d.rd, d.rn, q);
        return A64_OK;
    }
    d.uns = u;
    a64_call_desc(dc, h, &d);
    return A64_OK;
}

/* FMLA, FMLS, FMUL, FMULX <Vd>.<T>, <Vn>.<T>, <Vm>.<Ts>[<index>] (and scalar) */
enum a64_status a64_tr_simd_fp_elem(struct a64_dc *dc, bool scalar)
{
    uint32_t insn = dc->insn;
    unsigned opcode = a64_bits(insn, 12, 4), size = a64_bits(insn, 22, 2);
    bool u = a64_bit(insn, 29);
    if (size == 0)
        return A64_UNIMP; /* half precision: FEAT_FP16 */
    if (size == 1)
        return A64_UNDEF;
    unsigned h = a64_bit(insn, 11), l = a64_bit(insn, 21);
    unsigned idx = size == 2 ? (h << 1 | l) : h;
    if (size == 3 && (l || (!scalar && !a64_bit(insn, 30))))
        return A64_UNDEF;
    unsigned op = opcode == 1 ? A64_F_MLA : opcode == 5 ? A64_F_MLS : u ? A64_F_MULX : A64_F_MUL;
    struct a64_desc d = sfp_desc(insn, size, op, scalar);
    d.imm2 = idx + 1;
    a64_call_desc(dc, a64_fp_vec_helper(op, size, scalar), &d);
    return A64_OK;
}

/* FMAXNMV, FMINNMV, FMAXV, FMINV <V><d>, <Vn>.4S */
enum a64_status a64_tr_simd_fp_across(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool a = a64_bit(insn, 23), max_nm = a64_bits(insn, 12, 5) == 0x0c;
    if (!a64_bit(insn, 29))
        return A64_UNIMP; /* U = 0: half precision (FEAT_FP16) */
    if (a64_bit(insn, 22) || !a64_bit(insn, 30))
        return A64_UNDEF;
    unsigned op = max_nm ? (a ? A64_F_MINNM : A64_F_MAXNM) : (a ? A64_F_MIN : A64_F_MAX);
    struct a64_desc d = sfp_desc(insn, 2, op, false);
    d.imm = 4;
    a64_call_desc(dc, &a64_hd_fp_reduce, &d);
    return A64_OK;
}

/* Scalar pairwise: ADDP <V><d>, <Vn>.2D and FADDP, FMAXP, FMINP, FMAXNMP,
 * FMINNMP <V><d>, <Vn>.<T> */
enum a64_status a64_tr_simd_fp_pairwise(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    unsigned opcode = a64_bits(insn, 12, 5), size = a64_bits(insn, 22, 2);
    bool u = a64_bit(insn, 29), a = a64_bit(insn, 23), sz = a64_bit(insn, 22);
    if (!u) {
        if (opcode == 0x1b && size == 3) { /* ADDP Dd, Vn.2D */
            struct a64_desc d = sfp_desc(insn, 3, A64_V_ADDP, true);
            a64_call_desc(dc, &a64_hd_v_3same, &d);
            return A64_OK;
        }
        if ((opcode == 0x0c || opcode == 0x0d || opcode == 0x0f) && !sz)
            return A64_UNIMP; /* half precision */
        return A64_UNDEF;
    }
    unsigned op;
    switch (opcode) {
    case 0x0c: op = a ? A64_F_MINNM : A64_F_MAXNM; break;
    case 0x0d:
        if (a)
            return A64_UNDEF;
        op = A64_F_ADD;
        break;
    case 0x0f: op = a ? A64_F_MIN : A64_F_MAX; break;
    default: return A64_UNDEF;
    }
    struct a64_desc d = sfp_desc(insn, 2u + sz, op, true);
    d.imm = 2;
    a64_call_desc(dc, &a64_hd_fp_reduce, &d);
    return A64_OK;
}

/* SCVTF/UCVTF/FCVTZS/FCVTZU <Vd>.<T>, <Vn>.<T>, #<fbits> (and scalar) */
enum a64_status a64_tr_simd_fp_shift(struct a64_dc *dc, bool scalar)
{
    uint32_t insn = dc->insn;
    unsigned immh = a64_bits(insn, 19, 4), immhb = a64_bits(insn, 16, 7);
    bool q = a64_bit(insn, 30);
    if (immh < 2)
        return A64_UNDEF;
    if (immh < 4)
        return A64_UNIMP; /* half precision */
    unsigned es = immh >= 8 ? 3 : 2;
    if (!scalar && es == 3 && !q)
        return A64_UNDEF;
    bool tofix = a64_bits(insn, 11, 5) == 0x1f;
    struct a64_desc d = sfp_desc(insn, es, tofix ? A64_F_TOINT : A64_F_FROMINT, scalar);
    d.imm = A64_RZ;
    d.imm2 = (16u << es) - immhb;
    d.uns = a64_bit(insn, 29);
    a64_call_desc(dc, &a64_hd_fp_unary, &d);
    return A64_OK;
}
