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
    static const enum ir_type types[4] = {IR_I64, IR_I64, IR_I32, IR_I32};
    static const uint32_t offs[4] = {
        offsetof(struct a64_cpu, nf),
        offsetof(struct a64_cpu, zf),
        offsetof(struct a64_cpu, cf),
        offsetof(struct a64_cpu, vf),
    };
    if (!dc->g_flag[i])
        dc->g_flag[i] = ir_global(dc->f, types[i], offs[i], names[i]);
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

/* N and Z of res (width sf) into the i64 refs n, z in the nf/zf form: the
 * result itself (sign-extended for N, zero-extended for Z when 32-bit). */
static void a64_nz_to(struct a64_dc *dc, bool sf, ir_ref res, ir_ref n, ir_ref z)
{
    if (sf) {
        ir_mov(dc->f, n, res);
        ir_mov(dc->f, z, res);
    } else {
        ir_emit_1_1(dc->f, IR_OP_sext, n, res);
        ir_emit_1_1(dc->f, IR_OP_zext, z, res);
    }
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

/* Remember the flag-setting operation just emitted (see struct a64_flagsrc). */
static void a64_fs_record(struct a64_dc *dc, enum a64_fs_kind kind, bool sf, ir_ref a, ir_ref b,
                          ir_ref res)
{
    dc->fs.kind = (uint8_t)kind;
    dc->fs.sf = sf;
    dc->fs.end = dc->f->ninsns;
    dc->fs.a = a;
    dc->fs.b = b;
    dc->fs.res = res;
}

ir_ref a64_add_flags(struct a64_dc *dc, bool sf, ir_ref a, ir_ref b, ir_ref cin, bool setflags)
{
    ir_ref fl[4] = {a64_nf(dc), a64_zf(dc), a64_cf(dc), a64_vf(dc)};
    ir_ref res = a64_addsub_to(dc, sf, false, a, b, cin, setflags ? fl : NULL);
    if (setflags)
        a64_fs_record(dc, cin == IR_NONE ? A64_FS_ADD : A64_FS_NONE, sf, a, b, res);
    return res;
}

ir_ref a64_sub_flags(struct a64_dc *dc, bool sf, ir_ref a, ir_ref b, ir_ref cin, bool setflags)
{
    ir_ref fl[4] = {a64_nf(dc), a64_zf(dc), a64_cf(dc), a64_vf(dc)};
    ir_ref res = a64_addsub_to(dc, sf, true, a, b, cin, setflags ? fl : NULL);
    if (setflags)
        a64_fs_record(dc, cin == IR_NONE ? A64_FS_SUB : A64_FS_NONE, sf, a, b, res);
    return res;
}

void a64_set_nzcv_logic(struct a64_dc *dc, bool sf, ir_ref res)
{
    a64_set_nz(dc, sf, res);
    ir_movi(dc->f, a64_cf(dc), 0);
    ir_movi(dc->f, a64_vf(dc), 0);
    a64_fs_record(dc, A64_FS_LOGIC, sf, IR_NONE, IR_NONE, res);
}

/* The nf / zf values that encode N / Z (0 or 1). */
static uint64_t a64_nf_of(unsigned n) { return (uint64_t)(n & 1) << 63; }
static uint64_t a64_zf_of(unsigned z) { return (z & 1) ? 0 : 1; }

void a64_set_nzcv_imm(struct a64_dc *dc, unsigned nzcv)
{
    ir_movi(dc->f, a64_nf(dc), a64_nf_of(nzcv >> 3));
    ir_movi(dc->f, a64_zf(dc), a64_zf_of(nzcv >> 2));
    ir_movi(dc->f, a64_cf(dc), (nzcv >> 1) & 1);
    ir_movi(dc->f, a64_vf(dc), nzcv & 1);
}

void a64_set_nzcv(struct a64_dc *dc, ir_ref nzcv)
{
    struct ir_func *f = dc->f;
    ir_ref w = ir_temp(f, IR_I64);
    ir_emit_1_1(f, IR_OP_zext, w, nzcv);
    ir_emit_1_2(f, IR_OP_shl, a64_nf(dc), w, ir_const(f, IR_I64, 60)); /* bit 3 -> 63 */
    ir_ref z = ir_temp(f, IR_I64);
    ir_emit_1_2(f, IR_OP_andc, z, ir_const(f, IR_I64, 4), w); /* nonzero iff Z clear */
    ir_mov(f, a64_zf(dc), z);
    ir_extract(f, a64_cf(dc), nzcv, 1, 1);
    ir_extract(f, a64_vf(dc), nzcv, 0, 1);
}

ir_ref a64_get_nzcv(struct a64_dc *dc)
{
    struct ir_func *f = dc->f;
    ir_ref n = ir_temp(f, IR_I64), z = ir_temp(f, IR_I64), t = ir_temp(f, IR_I64);
    ir_emit_1_2(f, IR_OP_shr, n, a64_nf(dc), ir_const(f, IR_I64, 63));
    ir_emit_1_2(f, IR_OP_shl, n, n, ir_const(f, IR_I64, 3));
    ir_setcond(f, IR_COND_eq, z, a64_zf(dc), ir_const(f, IR_I64, 0));
    ir_emit_1_2(f, IR_OP_shl, z, z, ir_const(f, IR_I64, 2));
    ir_emit_1_2(f, IR_OP_or, t, n, z);
    ir_ref r = a64_trunc(dc, t);
    ir_ref c = ir_temp(f, IR_I32);
    ir_emit_1_2(f, IR_OP_shl, c, a64_cf(dc), ir_const(f, IR_I32, 1));
    ir_emit_1_2(f, IR_OP_or, r, r, c);
    ir_emit_1_2(f, IR_OP_or, r, r, a64_vf(dc));
    return r;
}

/* ---- conditions ------------------------------------------------------------ */

enum { A64_FS_RES_OK = 1, A64_FS_OPS_OK = 2 };

/* Whether the recorded flag-setting operation still describes NZCV and its
 * result (A64_FS_RES_OK) and operands (A64_FS_OPS_OK) still hold their
 * values: nothing after it wrote the flags, called a helper that may write
 * globals, joined control flow (a label) or branched; a write to an operand
 * (subs x0, x0, #1) loses only the operands. */
static unsigned a64_fs_valid(const struct a64_dc *dc)
{
    const struct a64_flagsrc *s = &dc->fs;
    const struct ir_func *f = dc->f;
    if (s->kind == A64_FS_NONE || s->end > f->ninsns)
        return 0;
    unsigned ok = A64_FS_RES_OK | A64_FS_OPS_OK;
    for (uint32_t i = s->end; i < f->ninsns; i++) {
        const struct ir_insn *in = &f->insns[i];
        uint32_t fl = ir_insn_flags(in);
        if (fl & (IR_F_LABEL | IR_F_BRANCH | IR_F_END))
            return 0;
        if (in->op == IR_OP_call && (fl & IR_F_SIDE))
            return 0;
        for (unsigned k = 0; k < in->nout; k++) {
            ir_ref o = in->args[k];
            if (o == s->res)
                return 0;
            if (o == s->a || o == s->b)
                ok &= ~(unsigned)A64_FS_OPS_OK;
            for (int j = 0; j < 4; j++)
                if (o == dc->g_flag[j])
                    return 0;
        }
    }
    return ok;
}

/* ConditionHolds from the recorded operation's operands, for the condition
 * pairs (cond >> 1) it can express; false: read the flags instead. */
static bool a64_cond_folded(struct a64_dc *dc, unsigned cond, struct a64_cmp *c)
{
    /* per cond >> 1 (EQ CS MI VS HI GE GT): the comparison of a with b after
     * SUBS; -1: not expressible */
    static const int sub_cond[7] = {IR_COND_eq, IR_COND_geu, -1, -1,
                                    IR_COND_gtu, IR_COND_ge, IR_COND_gt};
    /* after a logical op (C = V = 0): the comparison of res with 0; -2 never */
    static const int logic_cond[7] = {IR_COND_eq, -2, IR_COND_lt, -2, -2, IR_COND_ge, IR_COND_gt};
    const struct a64_flagsrc *s = &dc->fs;
    unsigned pair = cond >> 1;
    if (pair >= 7)
        return false;
    unsigned ok = a64_fs_valid(dc);
    if (!ok)
        return false;
    bool ops = ok & A64_FS_OPS_OK;
    ir_ref zero = a64_imm(dc, s->sf, 0);
    int k;
    switch (s->kind) {
    case A64_FS_SUB:
        if (pair == 2) { /* MI: N */
            *c = (struct a64_cmp){s->res, zero, IR_COND_lt};
            break;
        }
        if (pair == 0 && !ops) { /* EQ: Z */
            *c = (struct a64_cmp){s->res, zero, IR_COND_eq};
            break;
        }
        k = sub_cond[pair];
        if (k < 0 || !ops)
            return false;
        *c = (struct a64_cmp){s->a, s->b, (enum ir_cond)k};
        break;
    case A64_FS_ADD:
        if (pair == 0) /* EQ: Z */
            *c = (struct a64_cmp){s->res, zero, IR_COND_eq};
        else if (pair == 1 && ops) /* CS: carry out of a + b, i.e. res < a unsigned */
            *c = (struct a64_cmp){s->res, s->a, IR_COND_ltu};
        else if (pair == 2) /* MI: N */
            *c = (struct a64_cmp){s->res, zero, IR_COND_lt};
        else
            return false;
        break;
    case A64_FS_LOGIC:
        k = logic_cond[pair];
        if (k == -2) /* never holds: 0 != 0 */
            *c = (struct a64_cmp){zero, zero, IR_COND_ne};
        else
            *c = (struct a64_cmp){s->res, zero, (enum ir_cond)k};
        break;
    default:
        return false;
    }
    if (cond & 1)
        c->cond = ir_cond_invert(c->cond);
    return true;
}

struct a64_cmp a64_cond(struct a64_dc *dc, unsigned cond)
{
    struct ir_func *f = dc->f;
    ir_ref zero = ir_const(f, IR_I32, 0);
    struct a64_cmp c = {zero, zero, IR_COND_eq};
    if (cond < 14 && a64_cond_folded(dc, cond, &c))
        return c;
    ir_ref zero64 = ir_const(f, IR_I64, 0);
    ir_ref t, u, n;
    switch (cond >> 1) {
    case 0: /* EQ: Z, zf == 0 */
        c = (struct a64_cmp){a64_zf(dc), zero64, IR_COND_eq};
        break;
    case 1: /* CS: C */
        c.a = a64_cf(dc);
        c.cond = IR_COND_ne;
        break;
    case 2: /* MI: N, the sign of nf */
        c = (struct a64_cmp){a64_nf(dc), zero64, IR_COND_lt};
        break;
    case 3: /* VS: V */
        c.a = a64_vf(dc);
        c.cond = IR_COND_ne;
        break;
    case 4: /* HI: C && !Z: cf & (zf != 0) */
        u = ir_temp(f, IR_I64);
        ir_setcond(f, IR_COND_ne, u, a64_zf(dc), zero64);
        t = ir_temp(f, IR_I32);
        ir_emit_1_2(f, IR_OP_and, t, a64_cf(dc), a64_trunc(dc, u));
        c.a = t;
        c.cond = IR_COND_ne;
        break;
    case 5: /* GE: N == V */
        u = ir_temp(f, IR_I64);
        ir_emit_1_2(f, IR_OP_shr, u, a64_nf(dc), ir_const(f, IR_I64, 63));
        c.a = a64_trunc(dc, u);
        c.b = a64_vf(dc);
        c.cond = IR_COND_eq;
        break;
    case 6: /* GT: !Z && N == V: ((N ^ V) | Z) == 0 */
        u = ir_temp(f, IR_I64);
        ir_emit_1_2(f, IR_OP_shr, u, a64_nf(dc), ir_const(f, IR_I64, 63));
        n = ir_temp(f, IR_I64);
        ir_setcond(f, IR_COND_eq, n, a64_zf(dc), zero64);
        t = ir_temp(f, IR_I32);
        ir_emit_1_2(f, IR_OP_xor, t, a64_trunc(dc, u), a64_vf(dc));
        ir_emit_1_2(f, IR_OP_or, t, t, a64_trunc(dc, n));
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

static bool a64_cond_signed(enum ir_cond c)
{
    return c == IR_COND_lt || c == IR_COND_ge || c == IR_COND_le || c == IR_COND_gt;
}

static ir_ref a64_sext(struct a64_dc *dc, ir_ref v32)
{
    if (ir_is_const(dc->f, v32))
        return ir_const(dc->f, IR_I64, (uint64_t)(int64_t)(int32_t)ir_val(dc->f, v32)->c);
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_emit_1_1(dc->f, IR_OP_sext, t, v32);
    return t;
}

struct a64_cmp a64_cmp_wide(struct a64_dc *dc, struct a64_cmp c)
{
    if (ir_val_type(dc->f, c.a) == IR_I64)
        return c;
    bool sign = a64_cond_signed(c.cond);
    c.a = sign ? a64_sext(dc, c.a) : a64_zext(dc, c.a);
    c.b = sign ? a64_sext(dc, c.b) : a64_zext(dc, c.b);
    return c;
}

struct a64_cmp a64_cmp_narrow(struct a64_dc *dc, struct a64_cmp c)
{
    struct ir_func *f = dc->f;
    if (ir_val_type(f, c.a) == IR_I32)
        return c;
    ir_ref t = ir_temp(f, IR_I64);
    ir_setcond(f, c.cond, t, c.a, c.b);
    return (struct a64_cmp){a64_trunc(dc, t), ir_const(f, IR_I32, 0), IR_COND_ne};
}
