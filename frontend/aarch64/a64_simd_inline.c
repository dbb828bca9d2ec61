/* Open-coded Advanced SIMD forms that glibc's string routines and gcc's
 * vectorizer use in hot loops: lane compares for equality (CMEQ, CMTST),
 * non-saturating narrows (XTN, SHRN), EXT, and the 32/64-bit permutes, as
 * SWAR arithmetic on the 64-bit halves of the registers instead of a helper
 * call.  Each emits about 20 IR ops or fewer per 128-bit register. */
#include "frontend/aarch64/a64_fp.h"

static ir_ref si_op2(struct a64_dc *dc, enum ir_op op, ir_ref a, ir_ref b)
{
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_emit_1_2(dc->f, op, t, a, b);
    return t;
}

static ir_ref si_c(struct a64_dc *dc, uint64_t v) { return ir_const(dc->f, IR_I64, v); }

/* Replicate a lane-sized constant over 64 bits. */
static uint64_t si_rep(uint64_t v, unsigned es)
{
    static const uint64_t rep[4] = {0x0101010101010101ull, 0x0001000100010001ull,
                                    0x0000000100000001ull, 1};
    return v * rep[es];
}

/* Every lane of x (size es) that is zero becomes all ones, the others zero. */
static ir_ref si_zero_lanes(struct a64_dc *dc, ir_ref x, unsigned es)
{
    if (es == 3) {
        ir_ref t = ir_temp(dc->f, IR_I64);
        ir_setcond(dc->f, IR_COND_eq, t, x, si_c(dc, 0));
        ir_emit_1_1(dc->f, IR_OP_neg, t, t);
        return t;
    }
    unsigned bits = 8u << es;
    uint64_t hi = si_rep(1ull << (bits - 1), es), lo = ~hi;
    /* (x & lo) + lo carries into a lane's top bit iff its low bits are nonzero */
    ir_ref t = si_op2(dc, IR_OP_add, si_op2(dc, IR_OP_and, x, si_c(dc, lo)), si_c(dc, lo));
    t = si_op2(dc, IR_OP_or, t, x);               /* top bit: lane nonzero */
    t = si_op2(dc, IR_OP_andc, si_c(dc, hi), t);  /* top bit: lane zero */
    t = si_op2(dc, IR_OP_shr, t, si_c(dc, bits - 1));
    return si_op2(dc, IR_OP_mul, t, si_c(dc, (1ull << bits) - 1)); /* 1 -> all ones per lane */
}

/* Store res[0..1] into Vd (res[1] unused unless q; q = 0 zeroes the high half). */
static void si_store(struct a64_dc *dc, unsigned rd, const ir_ref *res, bool q)
{
    a64_vst64(dc, rd, 0, res[0]);
    if (q)
        a64_vst64(dc, rd, 1, res[1]);
    else
        a64_vzero_hi(dc, rd);
}

bool a64_simd_inline_cmp(struct a64_dc *dc, unsigned op, unsigned es, bool q)
{
    uint32_t insn = dc->insn;
    if (op != A64_V_CMEQ && op != A64_V_CMTST && op != A64_V_CMEQ0)
        return false;
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    ir_ref res[2];
    for (unsigned h = 0; h <= (unsigned)q; h++) {
        ir_ref n = a64_vld64(dc, rn, h), x;
        if (op == A64_V_CMEQ0)
            x = n;
        else
            x = si_op2(dc, op == A64_V_CMEQ ? IR_OP_xor : IR_OP_and, n, a64_vld64(dc, rm, h));
        res[h] = si_zero_lanes(dc, x, es);
        if (op == A64_V_CMTST) {
            ir_ref t = ir_temp(dc->f, IR_I64);
            ir_emit_1_1(dc->f, IR_OP_not, t, res[h]);
            res[h] = t;
        }
    }
    si_store(dc, rd, res, q);
    return true;
}

/* The low halves of the 2*es lanes of w, shifted right by sh, packed into
 * the low 32 bits. */
static ir_ref si_narrow_word(struct a64_dc *dc, ir_ref w, unsigned es, unsigned sh)
{
    ir_ref t = sh ? si_op2(dc, IR_OP_shr, w, si_c(dc, sh)) : w;
    switch (es) {
    case 0:
        t = si_op2(dc, IR_OP_and, t, si_c(dc, 0x00ff00ff00ff00ffull));
        t = si_op2(dc, IR_OP_or, t, si_op2(dc, IR_OP_shr, t, si_c(dc, 8)));
        t = si_op2(dc, IR_OP_and, t, si_c(dc, 0x0000ffff0000ffffull));
        /* fall through */
    case 1:
        if (es == 1)
            t = si_op2(dc, IR_OP_and, t, si_c(dc, 0x0000ffff0000ffffull));
        t = si_op2(dc, IR_OP_or, t, si_op2(dc, IR_OP_shr, t, si_c(dc, 16)));
        /* fall through */
    default:
        return si_op2(dc, IR_OP_and, t, si_c(dc, 0xffffffffull));
    }
}

void a64_simd_inline_narrow(struct a64_dc *dc, unsigned es, unsigned sh, bool part)
{
    uint32_t insn = dc->insn;
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
    ir_ref lo = si_narrow_word(dc, a64_vld64(dc, rn, 0), es, sh);
    ir_ref hi = si_narrow_word(dc, a64_vld64(dc, rn, 1), es, sh);
    ir_ref r = ir_temp(dc->f, IR_I64);
    ir_deposit(dc->f, r, lo, hi, 32, 32);
    if (part) { /* XTN2/SHRN2: the low half of Vd is kept */
        a64_vst64(dc, rd, 1, r);
    } else {
        a64_vst64(dc, rd, 0, r);
        a64_vzero_hi(dc, rd);
    }
}

/* Bytes r.. of the 16-byte concatenation b:a (a low). */
static ir_ref si_funnel(struct a64_dc *dc, ir_ref a, ir_ref b, unsigned r)
{
    if (r == 0)
        return a;
    return si_op2(dc, IR_OP_or, si_op2(dc, IR_OP_shr, a, si_c(dc, 8 * r)),
                  si_op2(dc, IR_OP_shl, b, si_c(dc, 64 - 8 * r)));
}

void a64_simd_inline_ext(struct a64_dc *dc, unsigned imm, bool q)
{
    uint32_t insn = dc->insn;
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    ir_ref res[2];
    if (!q) {
        res[0] = si_funnel(dc, a64_vld64(dc, rn, 0), a64_vld64(dc, rm, 0), imm);
    } else {
        ir_ref w[4] = {a64_vld64(dc, rn, 0), a64_vld64(dc, rn, 1), a64_vld64(dc, rm, 0),
                       a64_vld64(dc, rm, 1)};
        unsigned k = imm / 8, r = imm % 8;
        res[0] = si_funnel(dc, w[k], w[k + 1], r);
        res[1] = si_funnel(dc, w[k + 1], w[k + 2], r);
    }
    si_store(dc, rd, res, q);
}

/* Source element (index into Vn:Vm, n elements each) of result element i. */
static unsigned si_perm_src(unsigned op, unsigned i, unsigned n)
{
    unsigned half = n / 2, pair = i / 2, odd = i & 1;
    switch (op) {
    case A64_V_UZP1: return 2 * i;
    case A64_V_UZP2: return 2 * i + 1;
    case A64_V_ZIP1: return pair + (odd ? n : 0);
    case A64_V_ZIP2: return half + pair + (odd ? n : 0);
    case A64_V_TRN1: return 2 * pair + (odd ? n : 0);
    default: /* TRN2 */ return 2 * pair + 1 + (odd ? n : 0);
    }
}

bool a64_simd_inline_perm(struct a64_dc *dc, unsigned op, unsigned es, bool q)
{
    if (es < 2)
        return false;
    uint32_t insn = dc->insn;
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    unsigned n = (q ? 16u : 8u) >> es, words = q ? 2 : 1;
    ir_ref w[4];
    for (unsigned i = 0; i < words; i++) {
        w[i] = a64_vld64(dc, rn, i);
        w[words + i] = a64_vld64(dc, rm, i);
    }
    ir_ref res[2];
    unsigned per = 8u >> es; /* elements per 64-bit word: 1 or 2 */
    for (unsigned h = 0; h < words; h++) {
        if (es == 3) {
            unsigned s = si_perm_src(op, h, n);
            res[h] = w[s]; /* n elements of Vn are words 0..n-1, Vm's follow */
            continue;
        }
        unsigned s0 = si_perm_src(op, h * per, n), s1 = si_perm_src(op, h * per + 1, n);
        /* element s of the concatenation: word s / 2 (Vm's start at `words`), lane s % 2 */
        ir_ref a = w[(s0 % n) / 2 + (s0 >= n ? words : 0)];
        ir_ref b = w[(s1 % n) / 2 + (s1 >= n ? words : 0)];
        if (s0 & 1)
            a = si_op2(dc, IR_OP_shr, a, si_c(dc, 32));
        if (!(s1 & 1))
            b = si_op2(dc, IR_OP_shl, b, si_c(dc, 32));
        ir_ref t = ir_temp(dc->f, IR_I64);
        ir_deposit(dc->f, t, b, a, 0, 32);
        res[h] = t;
    }
    si_store(dc, rd, res, q);
    return true;
}

/* Lane-wise 32-bit products of two 64-bit words. */
static ir_ref si_mul32x2(struct a64_dc *dc, ir_ref a, ir_ref b)
{
    ir_ref lo = si_op2(dc, IR_OP_mul, a, b); /* low lane: the low 32 bits */
    ir_ref hi = si_op2(dc, IR_OP_mul, si_op2(dc, IR_OP_and, a, si_c(dc, 0xffffffff00000000ull)),
                       si_op2(dc, IR_OP_shr, b, si_c(dc, 32)));
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_deposit(dc->f, t, hi, lo, 0, 32);
    return t;
}

/* Lane-wise 32-bit a + b or a - b. */
static ir_ref si_addsub32x2(struct a64_dc *dc, ir_ref a, ir_ref b, bool sub)
{
    ir_ref lo = si_op2(dc, sub ? IR_OP_sub : IR_OP_add, a, b);
    ir_ref hm = si_c(dc, 0xffffffff00000000ull);
    ir_ref hi = si_op2(dc, sub ? IR_OP_sub : IR_OP_add, si_op2(dc, IR_OP_and, a, hm),
                       si_op2(dc, IR_OP_and, b, hm));
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_deposit(dc->f, t, hi, lo, 0, 32);
    return t;
}

bool a64_simd_inline_mul(struct a64_dc *dc, unsigned op, unsigned es, bool q)
{
    if (es != 2 || (op != A64_V_MUL && op != A64_V_MLA && op != A64_V_MLS))
        return false;
    uint32_t insn = dc->insn;
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    ir_ref res[2];
    for (unsigned h = 0; h <= (unsigned)q; h++) {
        ir_ref p = si_mul32x2(dc, a64_vld64(dc, rn, h), a64_vld64(dc, rm, h));
        res[h] = op == A64_V_MUL ? p : si_addsub32x2(dc, a64_vld64(dc, rd, h), p, op == A64_V_MLS);
    }
    si_store(dc, rd, res, q);
    return true;
}

/* The 2^es-byte lanes of the low 32 bits of w, each widened (zero or sign)
 * to twice its size and shifted left by sh (sh < the narrow lane's bits). */
static ir_ref si_widen_word(struct a64_dc *dc, ir_ref w, unsigned es, bool sign, unsigned sh)
{
    unsigned bits = 8u << es;
    ir_ref t = ir_temp(dc->f, IR_I64);
    if (es == 2) {
        if (sign)
            ir_sextract(dc->f, t, w, 0, 32);
        else
            ir_extract(dc->f, t, w, 0, 32);
        return sh ? si_op2(dc, IR_OP_shl, t, si_c(dc, sh)) : t;
    }
    ir_extract(dc->f, t, w, 0, 32);
    /* spread the lanes apart: 16-bit pieces to 32-bit lanes, then bytes to 16 */
    t = si_op2(dc, IR_OP_and, si_op2(dc, IR_OP_or, t, si_op2(dc, IR_OP_shl, t, si_c(dc, 16))),
               si_c(dc, 0x0000ffff0000ffffull));
    if (es == 0)
        t = si_op2(dc, IR_OP_and, si_op2(dc, IR_OP_or, t, si_op2(dc, IR_OP_shl, t, si_c(dc, 8))),
                   si_c(dc, 0x00ff00ff00ff00ffull));
    if (!sign)
        return sh ? si_op2(dc, IR_OP_shl, t, si_c(dc, sh)) : t;
    /* negative lanes: ones in the upper half of the wide lane */
    ir_ref s = si_op2(dc, IR_OP_and, t, si_c(dc, si_rep(1ull << (bits - 1), es + 1)));
    s = si_op2(dc, IR_OP_shr, s, si_c(dc, bits - 1));
    s = si_op2(dc, IR_OP_mul, s, si_c(dc, ((1ull << bits) - 1) << bits));
    t = si_op2(dc, IR_OP_or, t, s);
    if (!sh)
        return t;
    /* the shift moves a lane's top bits into the next lane's bottom: clear them */
    t = si_op2(dc, IR_OP_shl, t, si_c(dc, sh));
    return si_op2(dc, IR_OP_andc, t, si_c(dc, si_rep((1ull << sh) - 1, es + 1)));
}

void a64_simd_inline_widen(struct a64_dc *dc, unsigned es, bool sign, unsigned sh, bool part)
{
    uint32_t insn = dc->insn;
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
    ir_ref w = a64_vld64(dc, rn, part);
    ir_ref res[2];
    res[0] = si_widen_word(dc, w, es, sign, sh);
    res[1] = si_widen_word(dc, si_op2(dc, IR_OP_shr, w, si_c(dc, 32)), es, sign, sh);
    si_store(dc, rd, res, true);
}

ir_ref a64_simd_addsub64(struct a64_dc *dc, unsigned es, bool sub, ir_ref a, ir_ref b)
{
    if (es == 3)
        return si_op2(dc, sub ? IR_OP_sub : IR_OP_add, a, b);
    uint64_t h = si_rep(1ull << ((8u << es) - 1), es);
    ir_ref hm = si_c(dc, h), lm = si_c(dc, ~h), t, x;
    if (!sub) { /* ((a & ~H) + (b & ~H)) ^ ((a ^ b) & H) */
        t = si_op2(dc, IR_OP_add, si_op2(dc, IR_OP_and, a, lm), si_op2(dc, IR_OP_and, b, lm));
        x = si_op2(dc, IR_OP_xor, a, b);
    } else { /* ((a | H) - (b & ~H)) ^ ((a ^ ~b) & H) */
        t = si_op2(dc, IR_OP_sub, si_op2(dc, IR_OP_or, a, hm), si_op2(dc, IR_OP_and, b, lm));
        x = ir_temp(dc->f, IR_I64);
        ir_emit_1_1(dc->f, IR_OP_not, x, si_op2(dc, IR_OP_xor, a, b));
    }
    return si_op2(dc, IR_OP_xor, t, si_op2(dc, IR_OP_and, x, hm));
}

/* 32-bit lane `lane` (0 low, 1 high) of w, sign- or zero-extended. */
static ir_ref si_lane32(struct a64_dc *dc, ir_ref w, unsigned lane, bool sign)
{
    ir_ref t = ir_temp(dc->f, IR_I64);
    if (sign)
        ir_sextract(dc->f, t, w, 32 * lane, 32);
    else
        ir_extract(dc->f, t, w, 32 * lane, 32);
    return t;
}

/* The low 32 bits of lo and of hi as one word. */
static ir_ref si_pack32(struct a64_dc *dc, ir_ref lo, ir_ref hi)
{
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_deposit(dc->f, t, lo, hi, 32, 32);
    return t;
}

bool a64_simd_inline_shift_acc(struct a64_dc *dc, unsigned op, unsigned es, bool q, unsigned sh)
{
    bool acc = op == A64_V_SRA || op == A64_V_RSRA, round = op == A64_V_RSHR || op == A64_V_RSRA;
    if ((op != A64_V_SHR && op != A64_V_SRA && op != A64_V_RSHR && op != A64_V_RSRA) || es < 2 ||
        (es == 3 && (round || sh >= 64)))
        return false;
    uint32_t insn = dc->insn;
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
    bool sign = !a64_bit(insn, 29);
    enum ir_op shop = sign ? IR_OP_sar : IR_OP_shr;
    ir_ref res[2];
    for (unsigned h = 0; h <= (unsigned)q; h++) {
        ir_ref w = a64_vld64(dc, rn, h), r;
        if (es == 3) {
            r = si_op2(dc, shop, w, si_c(dc, sh));
            if (acc)
                r = si_op2(dc, IR_OP_add, r, a64_vld64(dc, rd, h));
        } else {
            ir_ref l[2];
            for (unsigned k = 0; k < 2; k++) { /* 64-bit arithmetic: no overflow */
                ir_ref x = si_lane32(dc, w, k, sign);
                if (round)
                    x = si_op2(dc, IR_OP_add, x, si_c(dc, 1ull << (sh - 1)));
                l[k] = si_op2(dc, shop, x, si_c(dc, sh));
            }
            r = si_pack32(dc, l[0], l[1]);
            if (acc)
                r = a64_simd_addsub64(dc, 2, false, a64_vld64(dc, rd, h), r);
        }
        res[h] = r;
    }
    si_store(dc, rd, res, q);
    return true;
}

bool a64_simd_inline_minmax(struct a64_dc *dc, unsigned op, unsigned es, bool q)
{
    if ((op != A64_V_MAX && op != A64_V_MIN) || es < 2)
        return false;
    uint32_t insn = dc->insn;
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    bool uns = a64_bit(insn, 29);
    enum ir_cond cond = op == A64_V_MAX ? (uns ? IR_COND_gtu : IR_COND_gt)
                                        : (uns ? IR_COND_ltu : IR_COND_lt);
    ir_ref res[2];
    for (unsigned h = 0; h <= (unsigned)q; h++) {
        ir_ref a = a64_vld64(dc, rn, h), b = a64_vld64(dc, rm, h);
        if (es == 3) {
            res[h] = ir_temp(dc->f, IR_I64);
            ir_movcond(dc->f, cond, res[h], a, b, a, b);
            continue;
        }
        ir_ref l[2];
        for (unsigned k = 0; k < 2; k++) {
            ir_ref x = si_lane32(dc, a, k, !uns), y = si_lane32(dc, b, k, !uns);
            l[k] = ir_temp(dc->f, IR_I64);
            ir_movcond(dc->f, cond, l[k], x, y, x, y);
        }
        res[h] = si_pack32(dc, l[0], l[1]);
    }
    si_store(dc, rd, res, q);
    return true;
}

bool a64_simd_inline_long(struct a64_dc *dc, unsigned op, unsigned es, bool part)
{
    uint32_t insn = dc->insn;
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    bool sign = !a64_bit(insn, 29);
    ir_ref res[2];
    switch (op) {
    case A64_V_ADDL: case A64_V_SUBL: case A64_V_ADDW: case A64_V_SUBW: {
        bool wide = op == A64_V_ADDW || op == A64_V_SUBW;
        bool sub = op == A64_V_SUBL || op == A64_V_SUBW;
        ir_ref nw = wide ? IR_NONE : a64_vld64(dc, rn, part), mw = a64_vld64(dc, rm, part);
        for (unsigned h = 0; h < 2; h++) {
            ir_ref b = si_widen_word(dc, h ? si_op2(dc, IR_OP_shr, mw, si_c(dc, 32)) : mw, es, sign, 0);
            ir_ref a = wide ? a64_vld64(dc, rn, h)
                            : si_widen_word(dc, h ? si_op2(dc, IR_OP_shr, nw, si_c(dc, 32)) : nw, es,
                                            sign, 0);
            res[h] = a64_simd_addsub64(dc, es + 1, sub, a, b);
        }
        break;
    }
    case A64_V_MULL: case A64_V_MLAL: case A64_V_MLSL: {
        if (es == 0)
            return false;
        ir_ref nw = a64_vld64(dc, rn, part), mw = a64_vld64(dc, rm, part);
        for (unsigned h = 0; h < 2; h++) {
            ir_ref p;
            if (es == 2) { /* 32 x 32 -> 64 */
                p = si_op2(dc, IR_OP_mul, si_lane32(dc, nw, h, sign), si_lane32(dc, mw, h, sign));
            } else { /* two 16 x 16 -> 32 products */
                ir_ref l[2];
                for (unsigned k = 0; k < 2; k++) {
                    ir_ref x = ir_temp(dc->f, IR_I64), y = ir_temp(dc->f, IR_I64);
                    unsigned pos = 32 * h + 16 * k;
                    if (sign) {
                        ir_sextract(dc->f, x, nw, pos, 16);
                        ir_sextract(dc->f, y, mw, pos, 16);
                    } else {
                        ir_extract(dc->f, x, nw, pos, 16);
                        ir_extract(dc->f, y, mw, pos, 16);
                    }
                    l[k] = si_op2(dc, IR_OP_mul, x, y);
                }
                p = si_pack32(dc, l[0], l[1]);
            }
            if (op != A64_V_MULL)
                p = a64_simd_addsub64(dc, es + 1, op == A64_V_MLSL, a64_vld64(dc, rd, h), p);
            res[h] = p;
        }
        break;
    }
    default:
        return false;
    }
    si_store(dc, rd, res, true);
    return true;
}
