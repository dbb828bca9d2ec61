/* A64 Advanced SIMD data processing, vector (bits 31:28 = 0xx0) and scalar
 * (01x1) groups: decode of every group, the integer forms, and the moves.
 * Bitwise ops, moves, DUP/INS/UMOV/SMOV, MOVI & co, ADD/SUB and the simple
 * shifts are open-coded on 64-bit halves of the registers; the rest calls the
 * element-loop helpers of a64_simd_helpers.c.  FP forms are in a64_simd_fp.c. */
#include <string.h>

#include "frontend/aarch64/a64_fp.h"

/* A descriptor with the common register fields of an Advanced SIMD insn. */
static struct a64_desc simd_desc(uint32_t insn, unsigned es, unsigned op, bool scalar)
{
    struct a64_desc d;
    memset(&d, 0, sizeof d);
    d.rd = a64_bits(insn, 0, 5);
    d.rn = a64_bits(insn, 5, 5);
    d.rm = a64_bits(insn, 16, 5);
    d.es = es;
    d.q = a64_bit(insn, 30) && !scalar;
    d.scalar = scalar;
    d.uns = a64_bit(insn, 29);
    d.op = op;
    return d;
}

static ir_ref simd_op2(struct a64_dc *dc, enum ir_op op, ir_ref a, ir_ref b)
{
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_emit_1_2(dc->f, op, t, a, b);
    return t;
}

static ir_ref simd_c64(struct a64_dc *dc, uint64_t v) { return ir_const(dc->f, IR_I64, v); }

/* ---- bitwise, add/sub ------------------------------------------------------ */

/* AND, BIC, ORR (MOV), ORN, EOR, BSL, BIT, BIF <Vd>.<T>, <Vn>.<T>, <Vm>.<T> */
static enum a64_status simd_logic(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    unsigned kind = a64_bits(insn, 22, 2) | (unsigned)a64_bit(insn, 29) << 2;
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    bool q = a64_bit(insn, 30);
    ir_ref res[2];
    for (unsigned h = 0; h <= (unsigned)q; h++) {
        ir_ref n = a64_vld64(dc, rn, h), m = rm == rn ? n : a64_vld64(dc, rm, h), dv, t;
        switch (kind) {
        case 0: res[h] = simd_op2(dc, IR_OP_and, n, m); break;
        case 1: res[h] = simd_op2(dc, IR_OP_andc, n, m); break;
        case 2: res[h] = rm == rn ? n : simd_op2(dc, IR_OP_or, n, m); break;
        case 3: /* ORN: n | ~m */
            t = ir_temp(dc->f, IR_I64);
            ir_emit_1_1(dc->f, IR_OP_not, t, m);
            res[h] = simd_op2(dc, IR_OP_or, n, t);
            break;
        case 4: res[h] = simd_op2(dc, IR_OP_xor, n, m); break;
        case 5: /* BSL: m ^ ((n ^ m) & d) */
            dv = a64_vld64(dc, rd, h);
            t = simd_op2(dc, IR_OP_xor, n, m);
            t = simd_op2(dc, IR_OP_and, t, dv);
            res[h] = simd_op2(dc, IR_OP_xor, m, t);
            break;
        case 6: /* BIT: d ^ ((d ^ n) & m) */
            dv = a64_vld64(dc, rd, h);
            t = simd_op2(dc, IR_OP_xor, dv, n);
            t = simd_op2(dc, IR_OP_and, t, m);
            res[h] = simd_op2(dc, IR_OP_xor, dv, t);
            break;
        default: /* BIF: d ^ ((d ^ n) & ~m) */
            dv = a64_vld64(dc, rd, h);
            t = simd_op2(dc, IR_OP_xor, dv, n);
            t = simd_op2(dc, IR_OP_andc, t, m);
            res[h] = simd_op2(dc, IR_OP_xor, dv, t);
            break;
        }
    }
    a64_vst64(dc, rd, 0, res[0]);
    if (q)
        a64_vst64(dc, rd, 1, res[1]);
    else
        a64_vzero_hi(dc, rd);
    return A64_OK;
}

/* ADD/SUB <Vd>.<T>, <Vn>.<T>, <Vm>.<T> (and the scalar D forms) */
static void simd_addsub(struct a64_dc *dc, unsigned es, bool q, bool sub)
{
    uint32_t insn = dc->insn;
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    ir_ref res[2];
    for (unsigned h = 0; h <= (unsigned)q; h++)
        res[h] = a64_simd_addsub64(dc, es, sub, a64_vld64(dc, rn, h), a64_vld64(dc, rm, h));
    a64_vst64(dc, rd, 0, res[0]);
    if (q)
        a64_vst64(dc, rd, 1, res[1]);
    else
        a64_vzero_hi(dc, rd);
}

/* ---- three same ---------------------------------------------------------------- */

/* Which integer three-same ops exist (U:opcode) and their scalar forms. */
enum { S3_ANY = 1, S3_NO64 = 2, S3_SCALAR_ALL = 4, S3_SCALAR_D = 8, S3_SCALAR_HS = 16,
       S3_HS_ONLY = 32, S3_B_ONLY = 64 };
struct s3_info {
    signed char op;
    unsigned char flags;
};

static struct s3_info simd_3same_info(bool u, unsigned opcode)
{
    static const struct s3_info tab[2][24] = {
        { /* U = 0 */
            {A64_V_HADD, S3_NO64}, {A64_V_QADD, S3_ANY | S3_SCALAR_ALL}, {A64_V_RHADD, S3_NO64},
            {-1, 0}, {A64_V_HSUB, S3_NO64}, {A64_V_QSUB, S3_ANY | S3_SCALAR_ALL},
            {A64_V_CMGT, S3_ANY | S3_SCALAR_D}, {A64_V_CMGE, S3_ANY | S3_SCALAR_D},
            {A64_V_SHL, S3_ANY | S3_SCALAR_D}, {A64_V_QSHL, S3_ANY | S3_SCALAR_ALL},
            {A64_V_RSHL, S3_ANY | S3_SCALAR_D}, {A64_V_QRSHL, S3_ANY | S3_SCALAR_ALL},
            {A64_V_MAX, S3_NO64}, {A64_V_MIN, S3_NO64}, {A64_V_ABD, S3_NO64}, {A64_V_ABA, S3_NO64},
            {A64_V_ADD, S3_ANY | S3_SCALAR_D}, {A64_V_CMTST, S3_ANY | S3_SCALAR_D},
            {A64_V_MLA, S3_NO64}, {A64_V_MUL, S3_NO64}, {A64_V_MAXP, S3_NO64},
            {A64_V_MINP, S3_NO64}, {A64_V_QDMULH, S3_HS_ONLY | S3_SCALAR_HS},
            {A64_V_ADDP, S3_ANY},
        },
        { /* U = 1 */
            {A64_V_HADD, S3_NO64}, {A64_V_QADD, S3_ANY | S3_SCALAR_ALL}, {A64_V_RHADD, S3_NO64},
            {-1, 0}, {A64_V_HSUB, S3_NO64}, {A64_V_QSUB, S3_ANY | S3_SCALAR_ALL},
            {A64_V_CMHI, S3_ANY | S3_SCALAR_D}, {A64_V_CMHS, S3_ANY | S3_SCALAR_D},
            {A64_V_SHL, S3_ANY | S3_SCALAR_D}, {A64_V_QSHL, S3_ANY | S3_SCALAR_ALL},
            {A64_V_RSHL, S3_ANY | S3_SCALAR_D}, {A64_V_QRSHL, S3_ANY | S3_SCALAR_ALL},
            {A64_V_MAX, S3_NO64}, {A64_V_MIN, S3_NO64}, {A64_V_ABD, S3_NO64}, {A64_V_ABA, S3_NO64},
            {A64_V_SUB, S3_ANY | S3_SCALAR_D}, {A64_V_CMEQ, S3_ANY | S3_SCALAR_D},
            {A64_V_MLS, S3_NO64}, {A64_V_PMUL, S3_B_ONLY}, {A64_V_MAXP, S3_NO64},
            {A64_V_MINP, S3_NO64}, {A64_V_QRDMULH, S3_HS_ONLY | S3_SCALAR_HS}, {-1, 0},
        },
    };
    return tab[u][opcode];
}

/* Integer three same: <op> <Vd>.<T>, <Vn>.<T>, <Vm>.<T> (or scalar <V><d>, <V><n>, <V><m>) */
static enum a64_status simd_3same(struct a64_dc *dc, bool scalar)
{
    uint32_t insn = dc->insn;
    unsigned opcode = a64_bits(insn, 11, 5), size = a64_bits(insn, 22, 2);
    bool u = a64_bit(insn, 29), q = a64_bit(insn, 30);
    if (opcode >= 0x18)
        return a64_tr_simd_fp_3same(dc, scalar);
    if (opcode == 3)
        return scalar ? A64_UNDEF : simd_logic(dc);
    struct s3_info info = simd_3same_info(u, opcode);
    if (info.op < 0)
        return A64_UNDEF;
    if (scalar) {
        bool ok = (info.flags & S3_SCALAR_ALL) || ((info.flags & S3_SCALAR_D) && size == 3) ||
                  ((info.flags & S3_SCALAR_HS) && (size == 1 || size == 2));
        if (!ok)
            return A64_UNDEF;
    } else {
        if ((info.flags & S3_NO64) && size == 3)
            return A64_UNDEF;
        if ((info.flags & S3_HS_ONLY) && (size == 0 || size == 3))
            return A64_UNDEF;
        if ((info.flags & S3_B_ONLY) && size != 0)
            return A64_UNDEF;
        if (size == 3 && !q)
            return A64_UNDEF;
    }
    if (info.op == A64_V_ADD || info.op == A64_V_SUB) {
        simd_addsub(dc, size, q && !scalar, info.op == A64_V_SUB);
        return A64_OK;
    }
    if (a64_simd_inline_cmp(dc, (unsigned)info.op, size, q && !scalar))
        return A64_OK;
    if (!scalar && a64_simd_inline_mul(dc, (unsigned)info.op, size, q))
        return A64_OK;
    if (!scalar && a64_simd_inline_minmax(dc, (unsigned)info.op, size, q))
        return A64_OK;
    struct a64_desc d = simd_desc(insn, size, (unsigned)info.op, scalar);
    a64_call_desc(dc, &a64_hd_v_3same, &d);
    return A64_OK;
}

/* ---- three different ---------------------------------------------------------- */

/* SADDL/UADDL(2), ..., ADDHN, SMULL, SQDMULL, PMULL ... <Vd>.<Ta>, <Vn>.<Tb>, <Vm>.<Tb> */
static enum a64_status simd_3diff(struct a64_dc *dc, bool scalar)
{
    static const signed char ops[2][16] = {
        {A64_V_ADDL, A64_V_ADDW, A64_V_SUBL, A64_V_SUBW, A64_V_ADDHN, A64_V_ABAL, A64_V_SUBHN,
         A64_V_ABDL, A64_V_MLAL, A64_V_QDMLAL, A64_V_MLSL, A64_V_QDMLSL, A64_V_MULL, A64_V_QDMULL,
         A64_V_PMULL, -1},
        {A64_V_ADDL, A64_V_ADDW, A64_V_SUBL, A64_V_SUBW, A64_V_RADDHN, A64_V_ABAL, A64_V_RSUBHN,
         A64_V_ABDL, A64_V_MLAL, -1, A64_V_MLSL, -1, A64_V_MULL, -1, -1, -1},
    };
    uint32_t insn = dc->insn;
    unsigned opcode = a64_bits(insn, 12, 4), size = a64_bits(insn, 22, 2);
    bool u = a64_bit(insn, 29);
    int op = ops[u][opcode];
    if (op < 0)
        return A64_UNDEF;
    bool qd = op == A64_V_QDMLAL || op == A64_V_QDMLSL || op == A64_V_QDMULL;
    if (scalar && !qd)
        return A64_UNDEF;
    if (qd && (size == 0 || size == 3))
        return A64_UNDEF;
    if (op == A64_V_PMULL && size != 0)
        return size == 3 ? A64_UNIMP : A64_UNDEF; /* PMULL .1q: FEAT_PMULL */
    if (size == 3)
        return A64_UNDEF;
    if (!scalar && a64_simd_inline_long(dc, (unsigned)op, size, a64_bit(insn, 30)))
        return A64_OK;
    struct a64_desc d = simd_desc(insn, size, (unsigned)op, scalar);
    d.part = a64_bit(insn, 30) && !scalar;
    a64_call_desc(dc, &a64_hd_v_3diff, &d);
    return A64_OK;
}

/* ---- two-register miscellaneous ------------------------------------------------- */

/* NOT <Vd>.<T>, <Vn>.<T> (MVN) */
static void simd_not(struct a64_dc *dc, bool q)
{
    unsigned rd = a64_bits(dc->insn, 0, 5), rn = a64_bits(dc->insn, 5, 5);
    ir_ref res[2];
    for (unsigned h = 0; h <= (unsigned)q; h++) {
        res[h] = ir_temp(dc->f, IR_I64);
        ir_emit_1_1(dc->f, IR_OP_not, res[h], a64_vld64(dc, rn, h));
    }
    a64_vst64(dc, rd, 0, res[0]);
    if (q)
        a64_vst64(dc, rd, 1, res[1]);
    else
        a64_vzero_hi(dc, rd);
}

enum { M2_NO64 = 1, M2_B = 2, M2_BH = 4, M2_SCALAR = 8, M2_SCALAR_D = 16, M2_NARROW = 32,
       M2_RBIT = 64 /* size 01, byte elements */ };

static enum a64_status simd_2misc(struct a64_dc *dc, bool scalar)
{
    static const struct s3_info tab[2][21] = {
        { /* U = 0 */
            {A64_V_REV64, M2_NO64}, {A64_V_REV16, M2_B}, {A64_V_ADDLP, M2_NO64},
            {A64_V_SUQADD, M2_SCALAR}, {A64_V_CLS, M2_NO64}, {A64_V_CNT, M2_B},
            {A64_V_ADALP, M2_NO64}, {A64_V_QABS, M2_SCALAR}, {A64_V_CMGT0, M2_SCALAR_D},
            {A64_V_CMEQ0, M2_SCALAR_D}, {A64_V_CMLT0, M2_SCALAR_D}, {A64_V_ABS, M2_SCALAR_D},
            {-1, 0}, {-1, 0}, {-1, 0}, {-1, 0}, {-1, 0}, {-1, 0},
            {A64_V_XTN, M2_NARROW}, {-1, 0}, {A64_V_SQXTN, M2_NARROW | M2_SCALAR},
        },
        { /* U = 1 */
            {A64_V_REV32, M2_BH}, {-1, 0}, {A64_V_ADDLP, M2_NO64}, {A64_V_USQADD, M2_SCALAR},
            {A64_V_CLZ, M2_NO64}, {A64_V_RBIT, M2_RBIT}, {A64_V_ADALP, M2_NO64},
            {A64_V_QNEG, M2_SCALAR}, {A64_V_CMGE0, M2_SCALAR_D}, {A64_V_CMLE0, M2_SCALAR_D},
            {-1, 0}, {A64_V_NEG, M2_SCALAR_D}, {-1, 0}, {-1, 0}, {-1, 0}, {-1, 0}, {-1, 0},
            {-1, 0}, {A64_V_SQXTUN, M2_NARROW | M2_SCALAR}, {A64_V_SHLL, M2_NO64},
            {A64_V_UQXTN, M2_NARROW | M2_SCALAR},
        },
    };
    uint32_t insn = dc->insn;
    unsigned opcode = a64_bits(insn, 12, 5), size = a64_bits(insn, 22, 2);
    bool u = a64_bit(insn, 29), q = a64_bit(insn, 30);
    if (opcode >= 0x16 || (opcode >= 0x0c && opcode <= 0x0f && size >= 2))
        return a64_tr_simd_fp_2misc(dc, scalar);
    if (u && opcode == 5 && size == 0) { /* NOT */
        if (scalar)
            return A64_UNDEF;
        simd_not(dc, q);
        return A64_OK;
    }
    if (opcode > 0x14)
        return A64_UNDEF;
    struct s3_info info = tab[u][opcode];
    if (info.op < 0)
        return A64_UNDEF;
    if (scalar) {
        if (!(info.flags & (M2_SCALAR | M2_SCALAR_D)))
            return A64_UNDEF;
        if ((info.flags & M2_SCALAR_D) && size != 3)
            return A64_UNDEF;
        if ((info.flags & M2_NARROW) && size == 3)
            return A64_UNDEF;
    } else {
        if ((info.flags & (M2_NO64 | M2_NARROW)) && size == 3)
            return A64_UNDEF;
        if ((info.flags & M2_B) && size != 0)
            return A64_UNDEF;
        if ((info.flags & M2_BH) && size > 1)
            return A64_UNDEF;
        if ((info.flags & M2_RBIT) && size != 1)
            return A64_UNDEF;
        if (size == 3 && !q && !(info.flags & (M2_NARROW | M2_NO64)))
            return A64_UNDEF;
    }
    if (!scalar && info.op == A64_V_NEG && size == 3) { /* NEG .2d */
        unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
        ir_ref r0 = ir_temp(dc->f, IR_I64), r1 = ir_temp(dc->f, IR_I64);
        ir_emit_1_1(dc->f, IR_OP_neg, r0, a64_vld64(dc, rn, 0));
        ir_emit_1_1(dc->f, IR_OP_neg, r1, a64_vld64(dc, rn, 1));
        a64_vst64(dc, rd, 0, r0);
        a64_vst64(dc, rd, 1, r1);
        return A64_OK;
    }
    if (info.op == A64_V_CMEQ0 && a64_simd_inline_cmp(dc, A64_V_CMEQ0, size, q && !scalar))
        return A64_OK;
    if (info.op == A64_V_XTN) {
        a64_simd_inline_narrow(dc, size, 0, q);
        return A64_OK;
    }
    struct a64_desc d = simd_desc(insn, info.op == A64_V_RBIT ? 0 : size, (unsigned)info.op, scalar);
    if (info.flags & M2_NARROW) {
        d.part = q && !scalar;
        d.q = false;
    }
    if (info.op == A64_V_SHLL)
        d.part = q;
    a64_call_desc(dc, &a64_hd_v_2misc, &d);
    return A64_OK;
}

/* SADDLV/UADDLV, SMAXV/UMAXV, SMINV/UMINV, ADDV <V><d>, <Vn>.<T> (and FP) */
static enum a64_status simd_across(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    unsigned opcode = a64_bits(insn, 12, 5), size = a64_bits(insn, 22, 2);
    bool u = a64_bit(insn, 29), q = a64_bit(insn, 30);
    if (opcode == 0x0c || opcode == 0x0f)
        return a64_tr_simd_fp_across(dc);
    int op;
    switch (opcode) {
    case 0x03: op = A64_V_ADDLV; break;
    case 0x0a: op = A64_V_MAXV; break;
    case 0x1a: op = A64_V_MINV; break;
    case 0x1b: op = u ? -1 : A64_V_ADDV; break;
    default: op = -1; break;
    }
    if (op < 0 || size == 3 || (size == 2 && !q))
        return A64_UNDEF;
    struct a64_desc d = simd_desc(insn, size, (unsigned)op, false);
    a64_call_desc(dc, &a64_hd_v_across, &d);
    return A64_OK;
}

/* ---- copy, modified immediate ------------------------------------------------------ */

/* DUP, SMOV, UMOV, INS <Vd>.<Ts>[<index>] ... (and scalar DUP = MOV <V><d>, <Vn>.<T>[<i>]) */
static enum a64_status simd_copy(struct a64_dc *dc, bool scalar)
{
    uint32_t insn = dc->insn;
    unsigned imm5 = a64_bits(insn, 16, 5), imm4 = a64_bits(insn, 11, 4);
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
    bool op = a64_bit(insn, 29), q = a64_bit(insn, 30);
    if ((imm5 & 0xf) == 0)
        return A64_UNDEF;
    unsigned es = (unsigned)__builtin_ctz(imm5), idx = imm5 >> (es + 1);
    if (scalar) {
        if (op || imm4 != 0)
            return A64_UNDEF;
        a64_vst64(dc, rd, 0, a64_vld_lane(dc, rn, es, idx, false));
        a64_vzero_hi(dc, rd);
        return A64_OK;
    }
    if (op) { /* INS <Vd>.<Ts>[<index1>], <Vn>.<Ts>[<index2>] */
        if (!q)
            return A64_UNDEF;
        a64_vst_lane(dc, rd, es, idx, a64_vld_lane(dc, rn, es, imm4 >> es, false));
        return A64_OK;
    }
    switch (imm4) {
    case 0:   /* DUP <Vd>.<T>, <Vn>.<Ts>[<index>] */
    case 1: { /* DUP <Vd>.<T>, <R><n> */
        if (es == 3 && !q)
            return A64_UNDEF;
        ir_ref v = imm4 == 0 ? a64_vld_lane(dc, rn, es, idx, false) : a64_src(dc, rn, true);
        ir_ref rep = a64_dup64(dc, v, es);
        a64_vst64(dc, rd, 0, rep);
        if (q)
            a64_vst64(dc, rd, 1, rep);
        else
            a64_vzero_hi(dc, rd);
        return A64_OK;
    }
    case 3: /* INS <Vd>.<Ts>[<index>], <R><n> */
        if (!q)
            return A64_UNDEF;
        a64_vst_lane(dc, rd, es, idx, a64_src(dc, rn, true));
        return A64_OK;
    case 5: /* SMOV <Wd>|<Xd>, <Vn>.<Ts>[<index>] */
        if (es == 3 || (es == 2 && !q))
            return A64_UNDEF;
        {
            ir_ref v = a64_vld_lane(dc, rn, es, idx, true);
            a64_dst(dc, rd, q, q ? v : a64_trunc(dc, v));
        }
        return A64_OK;
    case 7: /* UMOV <Wd>, <Vn>.<Ts>[<index>] / UMOV <Xd>, <Vn>.D[<index>] (MOV) */
        if (q != (es == 3))
            return A64_UNDEF;
        {
            ir_ref v = a64_vld_lane(dc, rn, es, idx, false);
            a64_dst(dc, rd, q, q ? v : a64_trunc(dc, v));
        }
        return A64_OK;
    default:
        return A64_UNDEF;
    }
}

/* AdvSIMDExpandImm(op, cmode, imm8) */
static uint64_t simd_expand_imm(bool op, unsigned cmode, unsigned imm8)
{
    uint64_t i = imm8;
    switch (cmode >> 1) {
    case 0: return i * 0x0000000100000001ull;
    case 1: return (i << 8) * 0x0000000100000001ull;
    case 2: return (i << 16) * 0x0000000100000001ull;
    case 3: return (i << 24) * 0x0000000100000001ull;
    case 4: return i * 0x0001000100010001ull;
    case 5: return (i << 8) * 0x0001000100010001ull;
    case 6:
        if (!(cmode & 1))
            return ((i << 8) | 0xff) * 0x0000000100000001ull;
        return ((i << 16) | 0xffff) * 0x0000000100000001ull;
    default:
        if (!(cmode & 1)) {
            if (!op)
                return i * 0x0101010101010101ull;
            uint64_t r = 0;
            for (unsigned b = 0; b < 8; b++)
                if ((imm8 >> b) & 1)
                    r |= 0xffull << (8 * b);
            return r;
        }
        if (!op) /* FMOV .2S/.4S */
            return a64_fp_expand_imm(2, imm8) * 0x0000000100000001ull;
        return a64_fp_expand_imm(3, imm8); /* FMOV .2D */
    }
}

/* MOVI, MVNI, ORR, BIC (vector, immediate), FMOV <Vd>.<T>, #<imm> */
static enum a64_status simd_modimm(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    unsigned cmode = a64_bits(insn, 12, 4), rd = a64_bits(insn, 0, 5);
    unsigned imm8 = a64_bits(insn, 16, 3) << 5 | a64_bits(insn, 5, 5);
    bool op = a64_bit(insn, 29), q = a64_bit(insn, 30);
    if (a64_bit(insn, 11))
        return (cmode == 15 && !op) ? A64_UNIMP : A64_UNDEF; /* FMOV .8H: FEAT_FP16 */
    if (cmode == 15 && op && !q)
        return A64_UNDEF;
    uint64_t imm = simd_expand_imm(op, cmode, imm8);
    bool orr_bic = cmode < 12 && (cmode & 1);
    bool invert = op && cmode < 14;
    if (!orr_bic) { /* MOVI / MVNI / FMOV */
        ir_ref c = simd_c64(dc, invert ? ~imm : imm);
        a64_vst64(dc, rd, 0, c);
        if (q)
            a64_vst64(dc, rd, 1, c);
        else
            a64_vzero_hi(dc, rd);
        return A64_OK;
    }
    ir_ref res[2];
    for (unsigned h = 0; h <= (unsigned)q; h++)
        res[h] = simd_op2(dc, op ? IR_OP_andc : IR_OP_or, a64_vld64(dc, rd, h), simd_c64(dc, imm));
    a64_vst64(dc, rd, 0, res[0]);
    if (q)
        a64_vst64(dc, rd, 1, res[1]);
    else
        a64_vzero_hi(dc, rd);
    return A64_OK;
}

/* ---- shift by immediate --------------------------------------------------------------- */

/* USHR/SHL/SSHR of every element of the halves, open-coded. */
static void simd_shift_inline(struct a64_dc *dc, unsigned es, bool q, unsigned op, unsigned sh)
{
    uint32_t insn = dc->insn;
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), bits = 8u << es;
    uint64_t emask = bits == 64 ? ~0ull : (1ull << bits) - 1;
    ir_ref res[2];
    for (unsigned h = 0; h <= (unsigned)q; h++) {
        ir_ref v = a64_vld64(dc, rn, h);
        if (op == A64_V_SHLI) {
            ir_ref t = simd_op2(dc, IR_OP_shl, v, simd_c64(dc, sh));
            res[h] = es == 3 ? t : simd_op2(dc, IR_OP_and, t,
                                            a64_dup64(dc, simd_c64(dc, (emask << sh) & emask), es));
        } else if (sh >= 64) { /* USHR #64 is 0; SSHR #64 as #63 */
            res[h] = op == A64_V_SHR && !a64_bit(insn, 29) ?
                         simd_op2(dc, IR_OP_sar, v, simd_c64(dc, 63)) : simd_c64(dc, 0);
        } else if (es == 3) {
            res[h] = simd_op2(dc, a64_bit(insn, 29) ? IR_OP_shr : IR_OP_sar, v, simd_c64(dc, sh));
        } else if (sh >= bits) { /* USHR by the element size */
            res[h] = simd_c64(dc, 0);
        } else {
            ir_ref t = simd_op2(dc, IR_OP_shr, v, simd_c64(dc, sh));
            res[h] = simd_op2(dc, IR_OP_and, t, a64_dup64(dc, simd_c64(dc, emask >> sh), es));
        }
    }
    a64_vst64(dc, rd, 0, res[0]);
    if (q)
        a64_vst64(dc, rd, 1, res[1]);
    else
        a64_vzero_hi(dc, rd);
}

static enum a64_status simd_shift_imm(struct a64_dc *dc, bool scalar)
{
    uint32_t insn = dc->insn;
    unsigned immh = a64_bits(insn, 19, 4), immhb = a64_bits(insn, 16, 7);
    unsigned opcode = a64_bits(insn, 11, 5);
    bool u = a64_bit(insn, 29), q = a64_bit(insn, 30);
    if (opcode == 0x1c || opcode == 0x1f)
        return a64_tr_simd_fp_shift(dc, scalar);
    unsigned es = 31u - (unsigned)__builtin_clz(immh);
    unsigned rsh = (16u << es) - immhb, lsh = immhb - (8u << es);
    int op = -1;
    unsigned sh = rsh;
    bool narrow = false, widen = false;
    switch (opcode) {
    case 0x00: op = A64_V_SHR; break;
    case 0x02: op = A64_V_SRA; break;
    case 0x04: op = A64_V_RSHR; break;
    case 0x06: op = A64_V_RSRA; break;
    case 0x08: op = u ? A64_V_SRI : -1; break;
    case 0x0a: op = u ? A64_V_SLI : A64_V_SHLI; sh = lsh; break;
    case 0x0c: op = u ? A64_V_QSHLU : -1; sh = lsh; break;
    case 0x0e: op = A64_V_QSHLI; sh = lsh; break;
    case 0x10: op = u ? A64_V_QSHRUN : A64_V_SHRN; narrow = true; break;
    case 0x11: op = u ? A64_V_QRSHRUN : A64_V_RSHRN; narrow = true; break;
    case 0x12: op = A64_V_QSHRN; narrow = true; break;
    case 0x13: op = A64_V_QRSHRN; narrow = true; break;
    case 0x14: op = A64_V_SHLLI; sh = lsh; widen = true; break;
    default: break;
    }
    if (op < 0)
        return A64_UNDEF;
    if (narrow || widen) {
        if (es == 3 || (scalar && (widen || op == A64_V_SHRN || op == A64_V_RSHRN)))
            return A64_UNDEF;
    } else if (scalar) {
        bool any_size = op == A64_V_QSHLU || op == A64_V_QSHLI;
        if (!any_size && es != 3)
            return A64_UNDEF;
    } else if (es == 3 && !q) {
        return A64_UNDEF;
    }
    if (!scalar && (op == A64_V_SHLI || (op == A64_V_SHR && (u || es == 3)))) {
        simd_shift_inline(dc, es, q, (unsigned)op, sh);
        return A64_OK;
    }
    if (op == A64_V_SHRN) {
        a64_simd_inline_narrow(dc, es, sh, q);
        return A64_OK;
    }
    if (op == A64_V_SHLLI) {
        a64_simd_inline_widen(dc, es, !u, sh, q);
        return A64_OK;
    }
    if (!scalar && a64_simd_inline_shift_acc(dc, (unsigned)op, es, q, sh))
        return A64_OK;
    if (scalar && es == 3 && (op == A64_V_SHLI || op == A64_V_SHR)) {
        simd_shift_inline(dc, 3, false, (unsigned)op, sh);
        return A64_OK;
    }
    struct a64_desc d = simd_desc(insn, es, (unsigned)op, scalar);
    d.imm = sh;
    if (narrow || widen) {
        d.part = q && !scalar;
        d.q = false;
    }
    a64_call_desc(dc, &a64_hd_v_shift, &d);
    return A64_OK;
}

/* ---- by element ---------------------------------------------------------------------- */

/* MUL, MLA, MLS, SQDMULH, SQRDMULH, [SU]MULL, [SU]MLAL, [SU]MLSL, SQDMULL,
 * SQDMLAL, SQDMLSL <Vd>.<T>, <Vn>.<T>, <Vm>.<Ts>[<index>] */
static enum a64_status simd_elem(struct a64_dc *dc, bool scalar)
{
    uint32_t insn = dc->insn;
    unsigned opcode = a64_bits(insn, 12, 4), size = a64_bits(insn, 22, 2);
    bool u = a64_bit(insn, 29), q = a64_bit(insn, 30);
    if (u && (opcode & 9) == 1)
        return A64_UNIMP; /* FCMLA (by element): FEAT_FCMA */
    if (!u && (opcode == 0 || opcode == 4))
        return A64_UNIMP; /* FMLAL/FMLSL (by element): FEAT_FHM */
    if (opcode == 1 || opcode == 5 || opcode == 9)
        return a64_tr_simd_fp_elem(dc, scalar);
    int op = -1;
    bool longop = false;
    switch (opcode | (unsigned)u << 4) {
    case 0x02: case 0x12: op = A64_V_MLAL; longop = true; break;
    case 0x03: op = A64_V_QDMLAL; longop = true; break;
    case 0x06: case 0x16: op = A64_V_MLSL; longop = true; break;
    case 0x07: op = A64_V_QDMLSL; longop = true; break;
    case 0x08: op = A64_V_MUL; break;
    case 0x0a: case 0x1a: op = A64_V_MULL; longop = true; break;
    case 0x0b: op = A64_V_QDMULL; longop = true; break;
    case 0x0c: op = A64_V_QDMULH; break;
    case 0x0d: op = A64_V_QRDMULH; break;
    case 0x10: op = A64_V_MLA; break;
    case 0x14: op = A64_V_MLS; break;
    case 0x0e: case 0x0f: case 0x1d: case 0x1e: case 0x1f:
        return A64_UNIMP; /* SDOT/UDOT/USDOT (FEAT_DotProd), SQRDMLAH/SH (FEAT_RDM) */
    default: return A64_UNDEF;
    }
    if (size != 1 && size != 2)
        return A64_UNDEF;
    bool qd = op == A64_V_QDMLAL || op == A64_V_QDMLSL || op == A64_V_QDMULL ||
              op == A64_V_QDMULH || op == A64_V_QRDMULH;
    if (scalar && !qd)
        return A64_UNDEF;
    unsigned h = a64_bit(insn, 11), l = a64_bit(insn, 21), m = a64_bit(insn, 20);
    unsigned idx = size == 1 ? (h << 2 | l << 1 | m) : (h << 1 | l);
    struct a64_desc d = simd_desc(insn, size, (unsigned)op, scalar);
    d.rm = size == 1 ? a64_bits(insn, 16, 4) : a64_bits(insn, 16, 5);
    d.imm2 = idx + 1;
    if (longop) {
        d.part = q && !scalar;
        a64_call_desc(dc, &a64_hd_v_3diff, &d);
    } else {
        a64_call_desc(dc, &a64_hd_v_3same, &d);
    }
    return A64_OK;
}

/* ---- permutes, extract, table ----------------------------------------------------------- */

/* UZP1, TRN1, ZIP1, UZP2, TRN2, ZIP2 <Vd>.<T>, <Vn>.<T>, <Vm>.<T> */
static enum a64_status simd_permute(struct a64_dc *dc)
{
    static const signed char ops[8] = {-1, A64_V_UZP1, A64_V_TRN1, A64_V_ZIP1,
                                       -1, A64_V_UZP2, A64_V_TRN2, A64_V_ZIP2};
    uint32_t insn = dc->insn;
    unsigned size = a64_bits(insn, 22, 2);
    int op = ops[a64_bits(insn, 12, 3)];
    if (op < 0 || (size == 3 && !a64_bit(insn, 30)))
        return A64_UNDEF;
    if (a64_simd_inline_perm(dc, (unsigned)op, size, a64_bit(insn, 30)))
        return A64_OK;
    struct a64_desc d = simd_desc(insn, size, (unsigned)op, false);
    a64_call_desc(dc, &a64_hd_v_perm, &d);
    return A64_OK;
}

/* EXT <Vd>.<T>, <Vn>.<T>, <Vm>.<T>, #<index> */
static enum a64_status simd_ext(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    unsigned imm4 = a64_bits(insn, 11, 4);
    bool q = a64_bit(insn, 30);
    if (a64_bits(insn, 22, 2) != 0 || (!q && imm4 >= 8))
        return A64_UNDEF;
    a64_simd_inline_ext(dc, imm4, q);
    return A64_OK;
}

/* TBL/TBX <Vd>.<Ta>, { <Vn>.16B, ... }, <Vm>.<Ta> */
static enum a64_status simd_table(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    if (a64_bits(insn, 22, 2) != 0)
        return A64_UNDEF;
    struct a64_desc d = simd_desc(insn, 0, a64_bit(insn, 12) ? A64_V_TBX : A64_V_TBL, false);
    d.imm = a64_bits(insn, 13, 2) + 1;
    a64_call_desc(dc, &a64_hd_v_perm, &d);
    return A64_OK;
}

/* ---- group decode ------------------------------------------------------------------------ */

/* Bits 21 = 1, 11:10 = 10: two-register misc (20:17 = 0000), across lanes /
 * pairwise (1000), or crypto / FP16 forms. */
static enum a64_status simd_misc_group(struct a64_dc *dc, bool scalar)
{
    uint32_t insn = dc->insn;
    if (a64_bits(insn, 17, 2) != 0)
        return A64_UNDEF;
    switch (a64_bits(insn, 19, 2)) {
    case 0:
        return simd_2misc(dc, scalar);
    case 2:
        return scalar ? a64_tr_simd_fp_pairwise(dc) : simd_across(dc);
    case 3: /* FP16 two-register misc */
        return a64_bit(insn, 22) ? A64_UNIMP : A64_UNDEF;
    default: /* AES (vector) / SHA two-register (scalar) */
        return a64_bits(insn, 22, 2) == 0 ? A64_UNIMP : A64_UNDEF;
    }
}

enum a64_status a64_tr_simd_vector(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    if (a64_bit(insn, 24)) {
        if (!a64_bit(insn, 10))
            return simd_elem(dc, false);
        if (a64_bit(insn, 23))
            return A64_UNDEF;
        return a64_bits(insn, 19, 4) == 0 ? simd_modimm(dc) : simd_shift_imm(dc, false);
    }
    if (a64_bit(insn, 21)) {
        if (a64_bit(insn, 10))
            return simd_3same(dc, false);
        if (!a64_bit(insn, 11))
            return simd_3diff(dc, false);
        return simd_misc_group(dc, false);
    }
    if (a64_bit(insn, 10)) {
        if (a64_bit(insn, 15))
            return A64_UNIMP; /* three-register extension: SDOT, FCMLA, ... */
        if (a64_bits(insn, 22, 2) == 0)
            return simd_copy(dc, false);
        if (a64_bit(insn, 22) && !a64_bit(insn, 14))
            return A64_UNIMP; /* FP16 three same */
        return A64_UNDEF;
    }
    if (a64_bit(insn, 15))
        return A64_UNDEF;
    if (a64_bit(insn, 29))
        return simd_ext(dc);
    if (a64_bit(insn, 11))
        return simd_permute(dc);
    return simd_table(dc);
}

enum a64_status a64_tr_simd_scalar(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    if (a64_bit(insn, 24)) {
        if (!a64_bit(insn, 10))
            return simd_elem(dc, true);
        if (a64_bit(insn, 23) || a64_bits(insn, 19, 4) == 0)
            return A64_UNDEF;
        return simd_shift_imm(dc, true);
    }
    if (a64_bit(insn, 21)) {
        if (a64_bit(insn, 10))
            return simd_3same(dc, true);
        if (!a64_bit(insn, 11))
            return simd_3diff(dc, true);
        return simd_misc_group(dc, true);
    }
    if (a64_bit(insn, 10)) {
        if (a64_bit(insn, 15))
            return A64_UNIMP; /* SQRDMLAH/SQRDMLSH (scalar): FEAT_RDM */
        if (a64_bits(insn, 22, 2) == 0)
            return simd_copy(dc, true);
        if (a64_bit(insn, 22) && !a64_bit(insn, 14))
            return A64_UNIMP; /* FP16 scalar three same */
        return A64_UNDEF;
    }
    /* SHA1/SHA256 three-register */
    return (!a64_bit(insn, 29) && a64_bits(insn, 22, 2) == 0) ? A64_UNIMP : A64_UNDEF;
}
