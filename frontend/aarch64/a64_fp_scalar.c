/* A64 scalar floating point (bits 31:28 = x0x1 of the FP/SIMD space):
 * data processing with 1, 2 and 3 sources, compare, conditional compare and
 * select, FMOV immediate, and conversions between FP and integer or
 * fixed-point.  Moves, FABS/FNEG and FCSEL are plain IR; arithmetic calls the
 * helpers of a64_fp_helpers.c. */
#include <string.h>

#include "frontend/aarch64/a64_fp.h"

/* ftype (bits 23:22) -> log2 bytes: 00 single, 01 double, 11 half; -1 for 10. */
static int fp_size(uint32_t insn)
{
    static const int sz[4] = {2, 3, -1, 1};
    return sz[a64_bits(insn, 22, 2)];
}

static struct a64_desc fp_desc(uint32_t insn, unsigned sz, unsigned op)
{
    struct a64_desc d;
    memset(&d, 0, sizeof d);
    d.rd = a64_bits(insn, 0, 5);
    d.rn = a64_bits(insn, 5, 5);
    d.rm = a64_bits(insn, 16, 5);
    d.es = sz;
    d.scalar = true;
    d.op = op;
    return d;
}

/* Vd = v (the low 8 << sz bits, already zero-extended in the i64 v), rest zeroed. */
static void fp_write_scalar(struct a64_dc *dc, unsigned rd, ir_ref v)
{
    a64_vst64(dc, rd, 0, v);
    a64_vzero_hi(dc, rd);
}

/* The low element of size sz of Vn, zero-extended to i64. */
static ir_ref fp_read_scalar(struct a64_dc *dc, unsigned rn, unsigned sz)
{
    return a64_vld_lane(dc, rn, sz, 0, false);
}

/* Set N, Z, C, V from a 4-bit NZCV value (i32). */
static void fp_set_nzcv(struct a64_dc *dc, ir_ref nzcv) { a64_set_nzcv(dc, nzcv); }

/* v with its sign bit (bit 8 << sz - 1) flipped. */
static ir_ref fp_negate(struct a64_dc *dc, ir_ref v, unsigned sz)
{
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_emit_1_2(dc->f, IR_OP_xor, t, v, ir_const(dc->f, IR_I64, 1ull << ((8u << sz) - 1)));
    return t;
}

/* FMADD/FMSUB/FNMADD/FNMSUB <Vd>, <Vn>, <Vm>, <Va>: a + n * m with Arm's
 * FPNeg of n (FMSUB, FNMADD) and of a (FNMADD, FNMSUB) done first, in IR. */
static enum a64_status fp_dp3(struct a64_dc *dc, int sz)
{
    uint32_t insn = dc->insn;
    if (sz == 1)
        return A64_UNIMP; /* FEAT_FP16 */
    bool o1 = a64_bit(insn, 21), o0 = a64_bit(insn, 15);
    int id = a64_helper(dc, &a64_hd_fp_muladd[sz - 2]);
    if (id < 0)
        return A64_OK;
    unsigned usz = (unsigned)sz;
    ir_ref n = fp_read_scalar(dc, a64_bits(insn, 5, 5), usz);
    ir_ref m = fp_read_scalar(dc, a64_bits(insn, 16, 5), usz);
    ir_ref a = fp_read_scalar(dc, a64_bits(insn, 10, 5), usz);
    if (o1 != o0)
        n = fp_negate(dc, n, usz);
    if (o1)
        a = fp_negate(dc, a, usz);
    ir_ref args[3] = {a, n, m};
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_call(dc->f, id, t, args);
    fp_write_scalar(dc, a64_bits(insn, 0, 5), t);
    return A64_OK;
}

/* FMUL/FDIV/FADD/FSUB/FMAX/FMIN/FMAXNM/FMINNM/FNMUL <Vd>, <Vn>, <Vm> */
static enum a64_status fp_dp2(struct a64_dc *dc, int sz)
{
    static const signed char ops[16] = {
        A64_F_MUL, A64_F_DIV, A64_F_ADD, A64_F_SUB, A64_F_MAX, A64_F_MIN, A64_F_MAXNM,
        A64_F_MINNM, A64_F_NMUL, -1, -1, -1, -1, -1, -1, -1,
    };
    uint32_t insn = dc->insn;
    int op = ops[a64_bits(insn, 12, 4)];
    if (op < 0)
        return A64_UNDEF;
    if (sz == 1)
        return A64_UNIMP;
    if (op <= A64_F_DIV || op == A64_F_NMUL) { /* the value helpers (fast path) */
        static const unsigned char idx[] = {[A64_F_ADD] = 0, [A64_F_SUB] = 1, [A64_F_MUL] = 2,
                                            [A64_F_DIV] = 3, [A64_F_NMUL] = 2};
        int id = a64_helper(dc, &a64_hd_fp_arith[sz - 2][idx[op]]);
        if (id < 0)
            return A64_OK;
        unsigned usz = (unsigned)sz;
        ir_ref args[2] = {fp_read_scalar(dc, a64_bits(insn, 5, 5), usz),
                          fp_read_scalar(dc, a64_bits(insn, 16, 5), usz)};
        ir_ref t = ir_temp(dc->f, IR_I64);
        ir_call(dc->f, id, t, args);
        if (op == A64_F_NMUL) /* FPNeg(FPMul(n, m)) */
            t = fp_negate(dc, t, usz);
        fp_write_scalar(dc, a64_bits(insn, 0, 5), t);
        return A64_OK;
    }
    struct a64_desc d = fp_desc(insn, (unsigned)sz, (unsigned)op);
    a64_call_desc(dc, &a64_hd_fp_binary, &d);
    return A64_OK;
}

/* FMOV/FABS/FNEG <Vd>, <Vn> as plain IR on the low element. */
static void fp_move(struct a64_dc *dc, unsigned sz, unsigned opcode)
{
    unsigned rd = a64_bits(dc->insn, 0, 5), rn = a64_bits(dc->insn, 5, 5);
    ir_ref v = fp_read_scalar(dc, rn, sz);
    uint64_t sign = 1ull << ((8u << sz) - 1);
    if (opcode == 1) { /* FABS */
        ir_ref t = ir_temp(dc->f, IR_I64);
        ir_emit_1_2(dc->f, IR_OP_and, t, v, ir_const(dc->f, IR_I64, sign - 1));
        v = t;
    } else if (opcode == 2) { /* FNEG */
        ir_ref t = ir_temp(dc->f, IR_I64);
        ir_emit_1_2(dc->f, IR_OP_xor, t, v, ir_const(dc->f, IR_I64, sign));
        v = t;
    }
    fp_write_scalar(dc, rd, v);
}

/* FMOV, FABS, FNEG, FSQRT, FCVT, FRINT{N,P,M,Z,A,X,I} <Vd>, <Vn> */
static enum a64_status fp_dp1(struct a64_dc *dc, int sz)
{
    uint32_t insn = dc->insn;
    unsigned opcode = a64_bits(insn, 15, 6);
    struct a64_desc d = fp_desc(insn, (unsigned)sz, 0);
    if (opcode >= 4 && opcode <= 7) { /* FCVT between precisions (base ISA, incl. half) */
        static const int to[4] = {2, 3, -1, 1};
        int tsz = to[opcode & 3];
        if (tsz < 0)
            return (sz == 3) ? A64_UNIMP : A64_UNDEF; /* BFCVT (FEAT_BF16) */
        if (tsz == sz)
            return A64_UNDEF;
        d.op = A64_F_CVT;
        d.imm = (unsigned)tsz;
        a64_call_desc(dc, &a64_hd_fp_convert, &d);
        return A64_OK;
    }
    if (opcode > 19 || opcode == 13)
        return A64_UNDEF;
    if (opcode >= 16)
        return A64_UNIMP; /* FRINT32Z.. (FEAT_FRINTTS) */
    if (sz == 1)
        return A64_UNIMP; /* FEAT_FP16 */
    if (opcode <= 2) {
        fp_move(dc, (unsigned)sz, opcode);
        return A64_OK;
    }
    if (opcode == 3) {
        d.op = A64_F_SQRT;
    } else { /* 8..15: FRINTN, P, M, Z, A, -, X, I */
        static const unsigned char rm[8] = {A64_RN, A64_RP, A64_RM, A64_RZ, A64_RA, 0,
                                            A64_RFPCR, A64_RFPCR};
        d.op = A64_F_RINT;
        d.imm = rm[opcode - 8];
        d.imm2 = opcode == 14; /* FRINTX signals Inexact */
    }
    a64_call_desc(dc, &a64_hd_fp_unary, &d);
    return A64_OK;
}

/* FCMP/FCMPE <Vn>, <Vm>|#0.0 */
static enum a64_status fp_cmp(struct a64_dc *dc, int sz)
{
    uint32_t insn = dc->insn;
    if (a64_bits(insn, 14, 2) != 0 || a64_bits(insn, 0, 3) != 0)
        return A64_UNDEF;
    if (sz == 1)
        return A64_UNIMP;
    struct a64_desc d = fp_desc(insn, (unsigned)sz, 0);
    d.imm = (unsigned)a64_bit(insn, 4) | (unsigned)a64_bit(insn, 3) << 1;
    int id = a64_helper(dc, &a64_hd_fp_cmp);
    if (id < 0)
        return A64_OK;
    ir_ref arg = ir_const(dc->f, IR_I64, a64_desc_pack(&d));
    ir_ref t = ir_temp(dc->f, IR_I32);
    ir_call(dc->f, id, t, &arg);
    fp_set_nzcv(dc, t);
    return A64_OK;
}

/* FCCMP/FCCMPE <Vn>, <Vm>, #<nzcv>, <cond> */
static enum a64_status fp_ccmp(struct a64_dc *dc, int sz)
{
    uint32_t insn = dc->insn;
    struct ir_func *f = dc->f;
    if (sz == 1)
        return A64_UNIMP;
    struct a64_desc d = fp_desc(insn, (unsigned)sz, 0);
    d.imm = a64_bit(insn, 4);
    int id = a64_helper(dc, &a64_hd_fp_cmp);
    if (id < 0)
        return A64_OK;
    struct a64_cmp c = a64_cond(dc, a64_bits(insn, 12, 4));
    uint32_t l_false = ir_new_label(f), l_end = ir_new_label(f);
    ir_brcond(f, ir_cond_invert(c.cond), c.a, c.b, l_false);
    ir_ref arg = ir_const(f, IR_I64, a64_desc_pack(&d));
    ir_ref t = ir_temp(f, IR_I32);
    ir_call(f, id, t, &arg);
    fp_set_nzcv(dc, t);
    ir_br(f, l_end);
    ir_set_label(f, l_false);
    a64_set_nzcv_imm(dc, a64_bits(insn, 0, 4));
    ir_set_label(f, l_end);
    return A64_OK;
}

/* FCSEL <Vd>, <Vn>, <Vm>, <cond> */
static enum a64_status fp_csel(struct a64_dc *dc, int sz)
{
    uint32_t insn = dc->insn;
    if (sz == 1)
        return A64_UNIMP;
    struct a64_cmp c = a64_cmp_wide(dc, a64_cond(dc, a64_bits(insn, 12, 4)));
    ir_ref n = fp_read_scalar(dc, a64_bits(insn, 5, 5), (unsigned)sz);
    ir_ref m = fp_read_scalar(dc, a64_bits(insn, 16, 5), (unsigned)sz);
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_movcond(dc->f, c.cond, t, c.a, c.b, n, m);
    fp_write_scalar(dc, a64_bits(insn, 0, 5), t);
    return A64_OK;
}

/* FMOV <Vd>, #<imm> */
static enum a64_status fp_imm(struct a64_dc *dc, int sz)
{
    uint32_t insn = dc->insn;
    if (a64_bits(insn, 5, 5) != 0)
        return A64_UNDEF;
    if (sz == 1)
        return A64_UNIMP;
    uint64_t v = a64_fp_expand_imm((unsigned)sz, a64_bits(insn, 13, 8));
    fp_write_scalar(dc, a64_bits(insn, 0, 5), ir_const(dc->f, IR_I64, v));
    return A64_OK;
}

/* SCVTF/UCVTF <Vd>, <R><n>{, #fbits}: integer register -> FP */
static void fp_from_gpr(struct a64_dc *dc, unsigned sz, bool sf, bool uns, unsigned fbits)
{
    uint32_t insn = dc->insn;
    struct a64_desc d = fp_desc(insn, sz, A64_F_FROMINT);
    d.q = sf;
    d.uns = uns;
    d.imm2 = fbits;
    int id = a64_helper(dc, &a64_hd_fp_from_gpr);
    if (id < 0)
        return;
    ir_ref src = a64_src(dc, d.rn, sf);
    ir_ref args[2] = {sf ? src : a64_zext(dc, src), ir_const(dc->f, IR_I64, a64_desc_pack(&d))};
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_call(dc->f, id, t, args);
    fp_write_scalar(dc, d.rd, t);
}

/* FCVT{N,P,M,Z,A}{S,U} <R><d>, <Vn>{, #fbits}: FP -> integer register */
static void fp_to_gpr(struct a64_dc *dc, unsigned sz, bool sf, bool uns, enum a64_round rm,
                      unsigned fbits)
{
    uint32_t insn = dc->insn;
    struct a64_desc d = fp_desc(insn, sz, A64_F_TOINT);
    d.q = sf;
    d.uns = uns;
    d.imm = rm;
    d.imm2 = fbits;
    int id = a64_helper(dc, &a64_hd_fp_to_gpr);
    if (id < 0)
        return;
    ir_ref arg = ir_const(dc->f, IR_I64, a64_desc_pack(&d));
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_call(dc->f, id, t, &arg);
    a64_dst(dc, d.rd, sf, sf ? t : a64_trunc(dc, t));
}

/* SCVTF/UCVTF/FCVTZS/FCVTZU with #fbits (fixed point) */
static enum a64_status fp_conv_fixed(struct a64_dc *dc, int sz)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31);
    unsigned scale = a64_bits(insn, 10, 6), fbits = 64 - scale;
    if (!sf && scale < 32)
        return A64_UNDEF;
    unsigned kind = a64_bits(insn, 16, 5); /* rmode:opcode */
    if (kind != 0x02 && kind != 0x03 && kind != 0x18 && kind != 0x19)
        return A64_UNDEF;
    if (sz == 1)
        return A64_UNIMP;
    bool uns = kind & 1;
    if (kind < 0x18)
        fp_from_gpr(dc, (unsigned)sz, sf, uns, fbits);
    else
        fp_to_gpr(dc, (unsigned)sz, sf, uns, A64_RZ, fbits);
    return A64_OK;
}

/* FMOV between general and SIMD&FP registers (opcode 6: to general, 7: from). */
static enum a64_status fp_fmov_gpr(struct a64_dc *dc, bool sf, unsigned ftype, unsigned rmode,
                                   bool to_fp)
{
    uint32_t insn = dc->insn;
    struct ir_func *f = dc->f;
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
    unsigned half;
    if (ftype == 3 && rmode == 0)
        return A64_UNIMP; /* FMOV to/from Hn: FEAT_FP16 */
    if (!sf && ftype == 0 && rmode == 0)
        half = 0;
    else if (sf && ftype == 1 && rmode == 0)
        half = 0;
    else if (sf && ftype == 2 && rmode == 1)
        half = 1; /* Vn.D[1] */
    else
        return A64_UNDEF;
    if (to_fp) {
        if (!sf) { /* FMOV Sd, Wn */
            fp_write_scalar(dc, rd, a64_zext(dc, a64_src(dc, rn, false)));
        } else if (half) { /* FMOV Vd.D[1], Xn: the low half is kept */
            a64_vst64(dc, rd, 1, a64_src(dc, rn, true));
        } else { /* FMOV Dd, Xn */
            fp_write_scalar(dc, rd, a64_src(dc, rn, true));
        }
        return A64_OK;
    }
    if (!sf) { /* FMOV Wd, Sn */
        ir_ref t = ir_temp(f, IR_I32);
        ir_ld_state(f, t, a64_voff(rn, 0), IR_MO_32);
        a64_dst(dc, rd, false, t);
    } else {
        a64_dst(dc, rd, true, a64_vld64(dc, rn, half));
    }
    return A64_OK;
}

/* Conversions between FP and integer: FCVT[NPMZA][SU], SCVTF, UCVTF, FMOV */
static enum a64_status fp_conv_int(struct a64_dc *dc, int sz)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31);
    unsigned ftype = a64_bits(insn, 22, 2);
    unsigned rmode = a64_bits(insn, 19, 2), opcode = a64_bits(insn, 16, 3);
    if (opcode >= 6) {
        if (sf == 0 && ftype == 1 && rmode == 3 && opcode == 6)
            return A64_UNIMP; /* FJCVTZS (FEAT_JSCVT) */
        return fp_fmov_gpr(dc, sf, ftype, rmode, opcode == 7);
    }
    if (sz < 0)
        return A64_UNDEF;
    if (opcode == 2 || opcode == 3 || opcode == 4 || opcode == 5) {
        if (rmode != 0)
            return A64_UNDEF;
    }
    if (sz == 1)
        return A64_UNIMP;
    bool uns = opcode & 1;
    switch (opcode) {
    case 0:
    case 1: /* FCVTNS/NU (00), PS/PU (01), MS/MU (10), ZS/ZU (11) */
        fp_to_gpr(dc, (unsigned)sz, sf, uns, (enum a64_round)rmode, 0);
        break;
    case 4:
    case 5: /* FCVTAS/FCVTAU */
        fp_to_gpr(dc, (unsigned)sz, sf, uns, A64_RA, 0);
        break;
    default: /* SCVTF/UCVTF */
        fp_from_gpr(dc, (unsigned)sz, sf, uns, 0);
        break;
    }
    return A64_OK;
}

enum a64_status a64_tr_fp_scalar(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    int sz = fp_size(insn);
    if (a64_bit(insn, 29))
        return A64_UNDEF; /* S = 1 */
    if (!a64_bit(insn, 21) && !a64_bit(insn, 24))
        return sz < 0 ? A64_UNDEF : fp_conv_fixed(dc, sz);
    if (!a64_bit(insn, 24) && a64_bits(insn, 10, 6) == 0)
        return fp_conv_int(dc, sz); /* checks sz itself: FMOV Vd.D[1] uses ftype 10 */
    if (a64_bit(insn, 31) || sz < 0)
        return A64_UNDEF; /* M = 1 or ftype = 10 */
    if (a64_bit(insn, 24))
        return fp_dp3(dc, sz);
    switch (a64_bits(insn, 10, 2)) {
    case 1:
        return fp_ccmp(dc, sz);
    case 2:
        return fp_dp2(dc, sz);
    case 3:
        return fp_csel(dc, sz);
    default:
        break;
    }
    if (a64_bit(insn, 12))
        return fp_imm(dc, sz);
    if (a64_bits(insn, 12, 2) == 2)
        return fp_cmp(dc, sz);
    if (a64_bits(insn, 12, 3) == 4)
        return fp_dp1(dc, sz);
    return A64_UNDEF;
}
