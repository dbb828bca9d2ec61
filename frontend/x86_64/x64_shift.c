/* Shift and rotate translators: SHL/SAL, SHR, SAR, ROL, ROR by 1, imm8 or
 * CL, at every operand size, the double shifts SHLD/SHRD, and RCL/RCR.  The count is masked to 5 bits (6 for 64-bit
 * operands); a zero count leaves the flags alone (a 32-bit register
 * destination is still zero-extended).  Flags the SDM leaves undefined
 * (AF after a shift, OF after a multi-bit shift) are computed as for a
 * one-bit count or left unchanged. */
#include "frontend/x86_64/x64.h"

enum x64_shift_kind { X64_SHL, X64_SHR, X64_SAR, X64_ROL, X64_ROR };

/* Bit pos of v64 as an i32 0/1. */
static ir_ref x64_bit_of(struct x64_dc *dc, ir_ref v64, unsigned pos)
{
    ir_ref b = x64_t64(dc), t = x64_t32(dc);
    ir_extract(dc->f, b, v64, pos, 1);
    ir_emit_1_1(dc->f, IR_OP_trunc, t, b);
    return t;
}

/* Bit pos of v64 into flag fl. */
static void x64_flag_bit(struct x64_dc *dc, enum x64_flag fl, ir_ref v64, unsigned pos)
{
    x64_set_flag(dc, fl, x64_bit_of(dc, v64, pos));
}

/* OF = bit pos of v64 ^ CF (CF already set) */
static void x64_of_xor_cf(struct x64_dc *dc, ir_ref v64, unsigned pos)
{
    ir_ref o = x64_bit_of(dc, v64, pos);
    ir_emit_1_2(dc->f, IR_OP_xor, o, o, x64_flag(dc, X64_CF));
    x64_set_flag(dc, X64_OF, o);
}

/* Rotate the low w bits of the zero-extended a by r (r < w, may be 0). */
static ir_ref x64_rotate(struct x64_dc *dc, bool left, ir_ref a, ir_ref r, unsigned size)
{
    struct ir_func *f = dc->f;
    ir_ref res = x64_t64(dc);
    if (size == 8) {
        ir_emit_1_2(f, left ? IR_OP_rotl : IR_OP_rotr, res, a, r);
        return res;
    }
    unsigned w = 8 * size;
    ir_ref inv = x64_t64(dc), t1 = x64_t64(dc), t2 = x64_t64(dc);
    ir_emit_1_2(f, IR_OP_sub, inv, x64_c64(dc, w), r); /* w - r, in 1..w */
    ir_emit_1_2(f, left ? IR_OP_shl : IR_OP_shr, t1, a, r);
    ir_emit_1_2(f, left ? IR_OP_shr : IR_OP_shl, t2, a, inv);
    ir_emit_1_2(f, IR_OP_or, res, t1, t2);
    ir_extract(f, res, res, 0, w);
    return res;
}

static enum x64_status x64_tr_shift_op(struct x64_dc *dc, enum x64_shift_kind k)
{
    struct ir_func *f = dc->f;
    const cs_x86_op *d = &dc->x->operands[0];
    unsigned size = d->size, w = 8 * size;
    uint64_t cmask = size == 8 ? 63 : 31;
    bool is_const = true;
    uint64_t cval = 1;
    ir_ref cnt;
    if (dc->x->op_count >= 2) {
        const cs_x86_op *c = &dc->x->operands[1];
        if (c->type == X86_OP_IMM) {
            cval = (uint64_t)c->imm & cmask;
        } else if (c->type == X86_OP_REG && c->reg == X86_REG_CL) {
            is_const = false;
        } else {
            return X64_UNIMP;
        }
    }
    if (is_const) {
        cnt = x64_c64(dc, cval);
    } else {
        cnt = x64_t64(dc);
        ir_emit_1_2(f, IR_OP_and, cnt, x64_greg(dc, X64_RCX), x64_c64(dc, cmask));
    }

    ir_ref addr = IR_NONE;
    ir_ref a = x64_read(dc, d, &addr);
    ir_ref res = x64_t64(dc);
    bool rot = k == X64_ROL || k == X64_ROR;
    ir_ref rcnt = cnt; /* rotates: count modulo the width */
    if (rot && size < 4) {
        rcnt = x64_t64(dc);
        ir_emit_1_2(f, IR_OP_and, rcnt, cnt, x64_c64(dc, w - 1));
    }
    ir_ref as = IR_NONE;
    switch (k) {
    case X64_SHL: ir_emit_1_2(f, IR_OP_shl, res, a, cnt); break;
    case X64_SHR: ir_emit_1_2(f, IR_OP_shr, res, a, cnt); break;
    case X64_SAR:
        as = x64_sext(dc, a, size);
        ir_emit_1_2(f, IR_OP_sar, res, as, cnt);
        break;
    case X64_ROL: res = x64_rotate(dc, true, a, rcnt, size); break;
    case X64_ROR: res = x64_rotate(dc, false, a, rcnt, size); break;
    }
    x64_write(dc, d, addr, res);
    if (is_const && cval == 0)
        return X64_OK;
    if (is_const && rot && dc->cc_lazy_ok) {
        /* lazy flags: CF and OF on top of the pending op (x64_flags_lazy_rot) */
        ir_ref cf = x64_bit_of(dc, res, k == X64_ROL ? 0 : w - 1);
        ir_ref of = x64_bit_of(dc, res, k == X64_ROL ? w - 1 : w - 2);
        ir_emit_1_2(f, IR_OP_xor, of, of, cf);
        if (x64_flags_lazy_rot(dc, cf, of))
            return X64_OK;
    }
    if (is_const && !rot && dc->cc_lazy_ok) {
        /* lazy flags: the value shifted by count - 1 gives CF (and OF) */
        ir_ref t = x64_t64(dc);
        uint64_t c1 = cval - 1;
        if (k == X64_SHL)
            ir_emit_1_2(f, IR_OP_shl, t, a, x64_c64(dc, c1));
        else if (k == X64_SHR)
            ir_emit_1_2(f, IR_OP_shr, t, a, x64_c64(dc, c1));
        else
            ir_emit_1_2(f, IR_OP_sar, t, as, x64_c64(dc, c1));
        unsigned kind = k == X64_SHL ? X64_CC_SHL : k == X64_SHR ? X64_CC_SHR : X64_CC_SAR;
        x64_flags_lazy(dc, kind, size, t, k == X64_SHR ? a : IR_NONE, res);
        return X64_OK;
    }

    /* the flags it changes, and their old values when the count may be 0 */
    static const enum x64_flag shift_flags[] = {X64_CF, X64_OF, X64_ZF, X64_SF, X64_PF};
    unsigned nfl = rot ? 2 : 5;
    ir_ref old[5] = {0};
    if (!is_const)
        for (unsigned i = 0; i < nfl; i++) {
            old[i] = x64_t32(dc);
            ir_mov(f, old[i], x64_flag(dc, shift_flags[i]));
        }

    ir_ref cm1 = x64_t64(dc); /* count - 1: the last bit shifted out */
    ir_emit_1_2(f, IR_OP_sub, cm1, cnt, x64_c64(dc, 1));
    ir_ref t = x64_t64(dc);
    switch (k) {
    case X64_SHL:
        ir_emit_1_2(f, IR_OP_shl, t, a, cm1);
        x64_flag_bit(dc, X64_CF, t, w - 1);
        x64_of_xor_cf(dc, res, w - 1);
        break;
    case X64_SHR:
        ir_emit_1_2(f, IR_OP_shr, t, a, cm1);
        x64_flag_bit(dc, X64_CF, t, 0);
        x64_flag_bit(dc, X64_OF, a, w - 1);
        break;
    case X64_SAR:
        ir_emit_1_2(f, IR_OP_sar, t, as, cm1);
        x64_flag_bit(dc, X64_CF, t, 0);
        x64_set_flag_c(dc, X64_OF, 0);
        break;
    case X64_ROL:
        x64_flag_bit(dc, X64_CF, res, 0);
        x64_of_xor_cf(dc, res, w - 1);
        break;
    case X64_ROR: {
        x64_flag_bit(dc, X64_CF, res, w - 1);
        x64_of_xor_cf(dc, res, w - 2);
        break;
    }
    }
    if (!rot)
        x64_set_szp(dc, size, res);
    if (!is_const) {
        ir_ref c32 = x64_t32(dc);
        ir_emit_1_1(f, IR_OP_trunc, c32, cnt);
        for (unsigned i = 0; i < nfl; i++) {
            ir_ref g = x64_flag(dc, shift_flags[i]);
            ir_movcond(f, IR_COND_eq, g, c32, x64_c32(dc, 0), old[i], g);
        }
    }
    return X64_OK;
}

/* SHLD r/m, r, imm8/CL; SHRD r/m, r, imm8/CL (16-bit counts above 16 are
 * undefined; they get the 32-bit formula) */
static enum x64_status x64_tr_shxd(struct x64_dc *dc, bool left)
{
    struct ir_func *f = dc->f;
    const cs_x86_op *d = &dc->x->operands[0], *s = &dc->x->operands[1], *c = &dc->x->operands[2];
    if (dc->x->op_count != 3)
        return X64_UNIMP;
    unsigned size = d->size, w = 8 * size;
    uint64_t cmask = size == 8 ? 63 : 31;
    bool is_const = c->type == X86_OP_IMM;
    ir_ref cnt;
    if (is_const) {
        cnt = x64_c64(dc, (uint64_t)c->imm & cmask);
    } else if (c->type == X86_OP_REG && c->reg == X86_REG_CL) {
        cnt = x64_t64(dc);
        ir_emit_1_2(f, IR_OP_and, cnt, x64_greg(dc, X64_RCX), x64_c64(dc, cmask));
    } else {
        return X64_UNIMP;
    }
    ir_ref addr = IR_NONE;
    ir_ref a = x64_read(dc, d, &addr);
    ir_ref b = x64_read(dc, s, NULL);
    ir_ref res = x64_t64(dc);
    if (size == 8) {
        ir_ref inv = x64_t64(dc), t1 = x64_t64(dc), t2 = x64_t64(dc);
        ir_emit_1_2(f, IR_OP_sub, inv, x64_c64(dc, 64), cnt);
        ir_emit_1_2(f, left ? IR_OP_shl : IR_OP_shr, t1, a, cnt);
        ir_emit_1_2(f, left ? IR_OP_shr : IR_OP_shl, t2, b, inv);
        ir_emit_1_2(f, IR_OP_or, res, t1, t2);
        ir_movcond(f, IR_COND_eq, res, cnt, x64_c64(dc, 0), a, res);
    } else {
        /* both halves in one 64-bit value: left: a:b, right: b:a */
        ir_ref t = x64_t64(dc), hi = x64_t64(dc);
        ir_emit_1_2(f, IR_OP_shl, hi, left ? a : b, x64_c64(dc, w));
        ir_emit_1_2(f, IR_OP_or, t, hi, left ? b : a);
        if (left) {
            ir_emit_1_2(f, IR_OP_shl, res, t, cnt);
            ir_emit_1_2(f, IR_OP_shr, res, res, x64_c64(dc, w));
        } else {
            ir_emit_1_2(f, IR_OP_shr, res, t, cnt);
        }
        ir_extract(f, res, res, 0, w);
    }
    x64_write(dc, d, addr, res);
    if (is_const && ((uint64_t)c->imm & cmask) == 0)
        return X64_OK;

    static const enum x64_flag fls[] = {X64_CF, X64_OF, X64_ZF, X64_SF, X64_PF};
    ir_ref old[5] = {0};
    if (!is_const)
        for (unsigned i = 0; i < 5; i++) {
            old[i] = x64_t32(dc);
            ir_mov(f, old[i], x64_flag(dc, fls[i]));
        }
    /* CF: the last bit shifted out of the destination */
    ir_ref cm1 = x64_t64(dc), t = x64_t64(dc);
    ir_emit_1_2(f, IR_OP_sub, cm1, cnt, x64_c64(dc, 1));
    ir_emit_1_2(f, left ? IR_OP_shl : IR_OP_shr, t, a, cm1);
    x64_flag_bit(dc, X64_CF, t, left ? w - 1 : 0);
    /* OF (count 1): the sign changed */
    ir_ref sx = x64_t64(dc);
    ir_emit_1_2(f, IR_OP_xor, sx, a, res);
    x64_flag_bit(dc, X64_OF, sx, w - 1);
    x64_set_szp(dc, size, res);
    if (!is_const) {
        ir_ref c32 = x64_t32(dc);
        ir_emit_1_1(f, IR_OP_trunc, c32, cnt);
        for (unsigned i = 0; i < 5; i++) {
            ir_ref g = x64_flag(dc, fls[i]);
            ir_movcond(f, IR_COND_eq, g, c32, x64_c32(dc, 0), old[i], g);
        }
    }
    return X64_OK;
}

/* RCL/RCR through CF: value of `size` bytes (kind = size | 16 for left);
 * updates CF and, for a count of 1, OF in the CPU state. */
static uint64_t x64_helper_rcx(void *env, uint64_t v, uint64_t count, uint32_t kind)
{
    struct x64_cpu *cpu = env;
    unsigned size = kind & 15, w = 8 * size;
    bool left = kind & 16;
    uint64_t m = x64_mask(size), msb = 1ull << (w - 1);
    unsigned masked = (unsigned)(count & (size == 8 ? 63 : 31));
    unsigned n = size < 4 ? masked % (w + 1) : masked;
    uint64_t cf = cpu->flags[X64_CF] & 1;
    v &= m;
    if (!left && masked == 1)
        cpu->flags[X64_OF] = (((v & msb) != 0) ^ (unsigned)cf) << 31; /* raw */
    for (unsigned i = 0; i < n; i++) {
        uint64_t out = left ? (v & msb) != 0 : v & 1;
        v = left ? ((v << 1) | cf) & m : (v >> 1) | (cf << (w - 1));
        cf = out;
    }
    if (masked != 0)
        cpu->flags[X64_CF] = (uint32_t)cf;
    if (left && masked == 1)
        cpu->flags[X64_OF] = (((v & msb) != 0) ^ (unsigned)cf) << 31; /* raw */
    return v;
}

static const struct ir_helper x64_rcx_helper = {
    .name = "x64_rcx",
    .fn = (void *)x64_helper_rcx,
    .ret = IR_I64,
    .nargs = 3,
    .args = {IR_I64, IR_I64, IR_I32},
    .flags = IR_HF_ENV | IR_HF_READS_GLOBALS | IR_HF_WRITES_GLOBALS | IR_HF_SIDE,
};

int x64_shift_register_helpers(void) { return ir_helper_register(&x64_rcx_helper) < 0 ? -1 : 0; }

/* RCL r/m, 1/imm8/CL; RCR r/m, 1/imm8/CL (a helper: rare in compiled code) */
static enum x64_status x64_tr_rcx(struct x64_dc *dc, bool left)
{
    const cs_x86_op *d = &dc->x->operands[0];
    ir_ref cnt = x64_c64(dc, 1);
    if (dc->x->op_count >= 2) {
        const cs_x86_op *c = &dc->x->operands[1];
        if (c->type == X86_OP_IMM)
            cnt = x64_c64(dc, (uint64_t)c->imm & 0xff);
        else if (c->type == X86_OP_REG && c->reg == X86_REG_CL)
            cnt = x64_get_gpr(dc, X64_RCX, 1);
        else
            return X64_UNIMP;
    }
    int id = x64_helper(dc, &x64_rcx_helper);
    if (id < 0)
        return X64_UNIMP;
    ir_ref addr = IR_NONE;
    ir_ref a = x64_read(dc, d, &addr);
    ir_ref res = x64_t64(dc);
    ir_call(dc->f, id, res, (ir_ref[]){a, cnt, x64_c32(dc, d->size | (left ? 16u : 0u))});
    x64_write(dc, d, addr, res);
    return X64_OK;
}

enum x64_status x64_tr_shift(struct x64_dc *dc)
{
    switch (dc->ci->id) {
    case X86_INS_SHL:
    case X86_INS_SAL: return x64_tr_shift_op(dc, X64_SHL);
    case X86_INS_SHR: return x64_tr_shift_op(dc, X64_SHR);
    case X86_INS_SAR: return x64_tr_shift_op(dc, X64_SAR);
    case X86_INS_ROL: return x64_tr_shift_op(dc, X64_ROL);
    case X86_INS_ROR: return x64_tr_shift_op(dc, X64_ROR);
    case X86_INS_RCL: return x64_tr_rcx(dc, true);
    case X86_INS_RCR: return x64_tr_rcx(dc, false);
    case X86_INS_SHLD: return x64_tr_shxd(dc, true);
    case X86_INS_SHRD: return x64_tr_shxd(dc, false);
    default: return X64_NEXT;
    }
}
