/* Operand helpers shared by every A64 translator group: register reads and
 * writes with the XZR/SP rules and 32-bit zero-extension, shifts and extends,
 * NZCV computation from the IR flag ops, and condition codes. */
#include "frontend/aarch64/a64.h"

#include <stddef.h>

static const char *const a64_xnames[31] = {
    "x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",  "x8",  "x9",  "x10",
    "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21",
    "x22", "x23", "x24", "x25", "x26", "x27", "x28", "x29", "x30",
};

ir_ref a64_temp(struct a64_dc *dc, bool sf) { return ir_temp(dc->f, a64_type(sf)); }

ir_ref a64_imm(struct a64_dc *dc, bool sf, uint64_t v) { return ir_const(dc->f, a64_type(sf), v); }

ir_ref a64_xreg(struct a64_dc *dc, unsigned n)
{
    if (n >= 31)
        return a64_spreg(dc);
    if (!dc->g_x[n])
        dc->g_x[n] = ir_global(dc->f, IR_I64, (uint32_t)A64_OFF_X(n), a64_xnames[n]);
    return dc->g_x[n];
}

ir_ref a64_spreg(struct a64_dc *dc)
{
    if (!dc->g_x[31])
        dc->g_x[31] = ir_global(dc->f, IR_I64, offsetof(struct a64_cpu, sp), "sp");
    return dc->g_x[31];
}

ir_ref a64_trunc(struct a64_dc *dc, ir_ref v64)
{
    if (ir_is_const(dc->f, v64))
        return ir_const(dc->f, IR_I32, ir_val(dc->f, v64)->c);
    ir_ref t = ir_temp(dc->f, IR_I32);
    ir_emit_1_1(dc->f, IR_OP_trunc, t, v64);
    return t;
}

ir_ref a64_zext(struct a64_dc *dc, ir_ref v32)
{
    if (ir_is_const(dc->f, v32))
        return ir_const(dc->f, IR_I64, ir_val(dc->f, v32)->c);
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_emit_1_1(dc->f, IR_OP_zext, t, v32);
    return t;
}

static ir_ref a64_read(struct a64_dc *dc, ir_ref g, bool sf)
{
    if (sf)
        return g;
    return a64_trunc(dc, g);
}

ir_ref a64_src(struct a64_dc *dc, unsigned n, bool sf)
{
    if (n == 31)
        return a64_imm(dc, sf, 0);
    return a64_read(dc, a64_xreg(dc, n), sf);
}

ir_ref a64_src_sp(struct a64_dc *dc, unsigned n, bool sf)
{
    return a64_read(dc, a64_base(dc, n), sf);
}

static void a64_write(struct a64_dc *dc, ir_ref g, bool sf, ir_ref v)
{
    if (sf)
        ir_mov(dc->f, g, v);
    else if (ir_is_const(dc->f, v))
        ir_mov(dc->f, g, ir_const(dc->f, IR_I64, ir_val(dc->f, v)->c));
    else
        ir_emit_1_1(dc->f, IR_OP_zext, g, v);
}

void a64_dst(struct a64_dc *dc, unsigned n, bool sf, ir_ref v)
{
    if (n == 31)
        return;
    a64_write(dc, a64_xreg(dc, n), sf, v);
}

void a64_dst_sp(struct a64_dc *dc, unsigned n, bool sf, ir_ref v)
{
    a64_write(dc, a64_base(dc, n), sf, v);
}

ir_ref a64_shift_imm(struct a64_dc *dc, bool sf, ir_ref v, unsigned type, unsigned amount)
{
    static const enum ir_op ops[4] = {IR_OP_shl, IR_OP_shr, IR_OP_sar, IR_OP_rotr};
    if (amount == 0)
        return v;
    ir_ref t = a64_temp(dc, sf);
    ir_emit_1_2(dc->f, ops[type & 3], t, v, a64_imm(dc, sf, amount));
    return t;
}

/* Extend the low bits of v (width sf) per option, then shift left. */
static ir_ref a64_extend(struct a64_dc *dc, bool sf, ir_ref v, unsigned option, unsigned shift)
{
    static const unsigned len[4] = {8, 16, 32, 64};
    unsigned bits = len[option & 3];
    bool sign = option & 4;
    if (bits < (sf ? 64u : 32u)) {
        ir_ref t = a64_temp(dc, sf);
        if (sign)
            ir_sextract(dc->f, t, v, 0, bits);
        else
            ir_extract(dc->f, t, v, 0, bits);
        v = t;
    }
    return a64_shift_imm(dc, sf, v, A64_LSL, shift);
}

ir_ref a64_extend_reg(struct a64_dc *dc, bool sf, unsigned n, unsigned option, unsigned shift)
{
    return a64_extend(dc, sf, a64_src(dc, n, sf), option, shift);
}

ir_ref a64_extend64(struct a64_dc *dc, ir_ref v64, unsigned option, unsigned shift)
{
    return a64_extend(dc, true, v64, option, shift);
}

/* ---- flags ---------------------------------------------------------------- */

static ir_ref a64_flag(struct a64_dc *dc, unsigned i)
{
    static const char *const names[4] = {"nf", "zf", "cf", "vf"};
    static const uint32_t offs[4] = {
        offsetof(struct a64_cpu, nf),
        offsetof(struct a64_cpu, zf),
        offsetof(struct a64_cpu, cf),
        offsetof(struct a64_cpu, vf),
    };
    if (!dc->g_flag[i])
        dc->g_flag[i] = ir_global(dc->f, IR_I32, offs[i], names[i]);
    return dc->g_flag[i];
}

ir_ref a64_nf(struct a64_dc *dc) { return a64_flag(dc, 0); }
ir_ref a64_zf(struct a64_dc *dc) { return a64_flag(dc, 1); }
ir_ref a64_cf(struct a64_dc *dc) { return a64_flag(dc, 2); }
ir_ref a64_vf(struct a64_dc *dc) { return a64_flag(dc, 3); }

/* flag global (i32) = v, where v is a 0/1 value of width sf. */
static void a64_set_flag(struct a64_dc *dc, ir_ref flag, bool sf, ir_ref v)
{
    if (sf)
        ir_emit_1_1(dc->f, IR_OP_trunc, flag, v);
    else
        ir_mov(dc->f, flag, v);
}

/* flag = op(a, b, c) for the 0/1-valued ops (addc, addv, subb, subv). */
static void a64_flag_op(struct a64_dc *dc, ir_ref flag, bool sf, enum ir_op op, ir_ref a, ir_ref b,
                        ir_ref c)
{
    ir_ref t = sf ? a64_temp(dc, sf) : flag;
    ir_ref args[4] = {t, a, b, c};
    ir_emit(dc->f, op, args, 4, NULL, 0);
    if (sf)
        a64_set_flag(dc, flag, sf, t);
}

/* N and Z of res (width sf) into the i32 refs n, z. */
static void a64_nz_to(struct a64_dc *dc, bool sf, ir_ref res, ir_ref n, ir_ref z)
{
    ir_ref t = sf ? a64_temp(dc, sf) : n;
    ir_emit_1_2(dc->f, IR_OP_shr, t, res, a64_imm(dc, sf, sf ? 63 : 31));
    if (sf)
        a64_set_flag(dc, n, sf, t);
    ir_ref u = sf ? a64_temp(dc, sf) : z;
    ir_setcond(dc->f, IR_COND_eq, u, res, a64_imm(dc, sf, 0));
    if (sf)
        a64_set_flag(dc, z, sf, u);
}

void a64_set_nz(struct a64_dc *dc, bool sf, ir_ref res)
{
    a64_nz_to(dc, sf, res, a64_nf(dc), a64_zf(dc));
}

/* The carry flag as a value of width sf. */
ir_ref a64_carry(struct a64_dc *dc, bool sf)
{
    return sf ? a64_zext(dc, a64_cf(dc)) : a64_cf(dc);
}

ir_ref a64_addsub_to(struct a64_dc *dc, bool sf, bool sub, ir_ref a, ir_ref b, ir_ref cin,
                     const ir_ref fl[4])
{
    struct ir_func *f = dc->f;
    ir_ref res = a64_temp(dc, sf);
    if (fl && cin != IR_NONE && !ir_is_const(f, cin)) {
        /* cin may be the C global itself, which the flag ops below overwrite */
        ir_ref t = a64_temp(dc, sf);
        ir_mov(f, t, cin);
        cin = t;
    }
    if (sub && cin != IR_NONE) {
        /* SBC: a + NOT(b) + C (AddWithCarry) */
        ir_ref nb = a64_temp(dc, sf);
        ir_emit_1_1(f, IR_OP_not, nb, b);
        b = nb;
        sub = false;
    }
    if (sub) {
        ir_emit_1_2(f, IR_OP_sub, res, a, b);
        if (fl) {
            /* C = NOT borrow = (a >= b unsigned) */
            ir_ref c = sf ? a64_temp(dc, sf) : fl[2];
            ir_setcond(f, IR_COND_geu, c, a, b);
            if (sf)
                a64_set_flag(dc, fl[2], sf, c);
            a64_flag_op(dc, fl[3], sf, IR_OP_subv, a, b, a64_imm(dc, sf, 0));
        }
    } else {
        ir_emit_1_2(f, IR_OP_add, res, a, b);
        if (cin != IR_NONE)
            ir_emit_1_2(f, IR_OP_add, res, res, cin);
        if (fl) {
            ir_ref c = cin != IR_NONE ? cin : a64_imm(dc, sf, 0);
            a64_flag_op(dc, fl[2], sf, IR_OP_addc, a, b, c);
            a64_flag_op(dc, fl[3], sf, IR_OP_addv, a, b, c);
        }
    }
    if (fl)
        a64_nz_to(dc, sf, res, fl[0], fl[1]);
    return res;
}

ir_ref a64_add_flags(struct a64_dc *dc, bool sf, ir_ref a, ir_ref b, ir_ref cin, bool setflags)
{
    ir_ref fl[4] = {a64_nf(dc), a64_zf(dc), a64_cf(dc), a64_vf(dc)};
    return a64_addsub_to(dc, sf, false, a, b, cin, setflags ? fl : NULL);
}

ir_ref a64_sub_flags(struct a64_dc *dc, bool sf, ir_ref a, ir_ref b, ir_ref cin, bool setflags)
{
    ir_ref fl[4] = {a64_nf(dc), a64_zf(dc), a64_cf(dc), a64_vf(dc)};
    return a64_addsub_to(dc, sf, true, a, b, cin, setflags ? fl : NULL);
}

void a64_set_nzcv_imm(struct a64_dc *dc, unsigned nzcv)
{
    ir_movi(dc->f, a64_nf(dc), (nzcv >> 3) & 1);
    ir_movi(dc->f, a64_zf(dc), (nzcv >> 2) & 1);
    ir_movi(dc->f, a64_cf(dc), (nzcv >> 1) & 1);
    ir_movi(dc->f, a64_vf(dc), nzcv & 1);
}

/* ---- conditions ------------------------------------------------------------ */

struct a64_cmp a64_cond(struct a64_dc *dc, unsigned cond)
{
    struct ir_func *f = dc->f;
    ir_ref zero = ir_const(f, IR_I32, 0);
    struct a64_cmp c = {zero, zero, IR_COND_eq};
    ir_ref t;
    switch (cond >> 1) {
    case 0: /* EQ: Z */
        c.a = a64_zf(dc);
        c.cond = IR_COND_ne;
        break;
    case 1: /* CS: C */
        c.a = a64_cf(dc);
        c.cond = IR_COND_ne;
        break;
    case 2: /* MI: N */
        c.a = a64_nf(dc);
        c.cond = IR_COND_ne;
        break;
    case 3: /* VS: V */
        c.a = a64_vf(dc);
        c.cond = IR_COND_ne;
        break;
    case 4: /* HI: C && !Z */
        t = ir_temp(f, IR_I32);
        ir_emit_1_2(f, IR_OP_andc, t, a64_cf(dc), a64_zf(dc));
        c.a = t;
        c.cond = IR_COND_ne;
        break;
    case 5: /* GE: N == V */
        c.a = a64_nf(dc);
        c.b = a64_vf(dc);
        c.cond = IR_COND_eq;
        break;
    case 6: /* GT: !Z && N == V */
        t = ir_temp(f, IR_I32);
        ir_emit_1_2(f, IR_OP_xor, t, a64_nf(dc), a64_vf(dc));
        ir_emit_1_2(f, IR_OP_or, t, t, a64_zf(dc));
        c.a = t;
        c.cond = IR_COND_eq;
        break;
    default: /* AL, NV: always (0 == 0) */
        return c;
    }
    if (cond & 1)
        c.cond = ir_cond_invert(c.cond);
    return c;
}

struct a64_cmp a64_cmp_wide(struct a64_dc *dc, struct a64_cmp c)
{
    c.a = a64_zext(dc, c.a);
    c.b = a64_zext(dc, c.b);
    return c;
}
