/* Bit translators: BT/BTS/BTR/BTC (register, immediate, and the memory
 * forms whose register bit offset reaches outside the operand), BSF, BSR,
 * TZCNT, LZCNT, POPCNT and BSWAP.  Flags the SDM leaves undefined are left
 * unchanged. */
#include "frontend/x86_64/x64.h"

/* BT/BTS/BTR/BTC r/m, r/imm8: CF = the bit; then set/reset/complement it */
static enum x64_status x64_tr_bt(struct x64_dc *dc, int kind /* 0 BT, 1 BTS, 2 BTR, 3 BTC */)
{
    struct ir_func *f = dc->f;
    const cs_x86_op *d = &dc->x->operands[0], *s = &dc->x->operands[1];
    unsigned size = d->size, w = 8 * size;
    ir_ref bit = x64_t64(dc);
    ir_ref addr = IR_NONE;
    ir_ref a;
    if (s->type == X86_OP_IMM) {
        ir_movi(f, bit, (uint64_t)s->imm & (w - 1));
        a = x64_read(dc, d, &addr);
    } else {
        ir_ref off = x64_read(dc, s, NULL);
        ir_emit_1_2(f, IR_OP_and, bit, off, x64_c64(dc, w - 1));
        if (d->type == X86_OP_MEM) {
            /* the bit string continues beyond the operand: signed offset */
            ir_ref so = x64_sext(dc, off, size), disp = x64_t64(dc);
            ir_emit_1_2(f, IR_OP_sar, disp, so, x64_c64(dc, (uint64_t)__builtin_ctz(w)));
            ir_emit_1_2(f, IR_OP_shl, disp, disp, x64_c64(dc, (uint64_t)__builtin_ctz(size)));
            addr = x64_addr(dc, d);
            ir_emit_1_2(f, IR_OP_add, addr, addr, disp);
            a = x64_ld(dc, addr, size);
        } else {
            a = x64_read(dc, d, NULL);
        }
    }
    ir_ref t = x64_t64(dc);
    ir_emit_1_2(f, IR_OP_shr, t, a, bit);
    ir_emit_1_2(f, IR_OP_and, t, t, x64_c64(dc, 1));
    ir_emit_1_1(f, IR_OP_trunc, x64_flag(dc, X64_CF), t);
    if (kind == 0)
        return X64_OK;
    ir_ref m = x64_t64(dc), res = x64_t64(dc);
    ir_emit_1_2(f, IR_OP_shl, m, x64_c64(dc, 1), bit);
    ir_emit_1_2(f, kind == 1 ? IR_OP_or : kind == 2 ? IR_OP_andc : IR_OP_xor, res, a, m);
    x64_write(dc, d, addr, res);
    return X64_OK;
}

/* BSF r, r/m; BSR r, r/m: zero source: ZF = 1, destination unchanged */
static enum x64_status x64_tr_bsf(struct x64_dc *dc, bool reverse)
{
    struct ir_func *f = dc->f;
    const cs_x86_op *d = &dc->x->operands[0];
    ir_ref a = x64_read(dc, &dc->x->operands[1], NULL);
    ir_ref idx = x64_t64(dc);
    if (reverse) {
        ir_emit_1_1(f, IR_OP_clz, idx, a);
        ir_emit_1_2(f, IR_OP_sub, idx, x64_c64(dc, 63), idx);
    } else {
        ir_emit_1_1(f, IR_OP_ctz, idx, a);
    }
    ir_ref old = x64_read(dc, d, NULL), v = x64_t64(dc);
    ir_movcond(f, IR_COND_eq, v, a, x64_c64(dc, 0), old, idx);
    x64_write(dc, d, IR_NONE, v);
    x64_setcond32(dc, IR_COND_ne, x64_flag(dc, X64_ZF), /* raw */ a, x64_c64(dc, 0));
    return X64_OK;
}

/* TZCNT r, r/m; LZCNT r, r/m: CF = (source == 0), ZF = (result == 0) */
static enum x64_status x64_tr_tzcnt(struct x64_dc *dc, bool lead)
{
    struct ir_func *f = dc->f;
    const cs_x86_op *d = &dc->x->operands[0];
    unsigned size = d->size, w = 8 * size;
    ir_ref a = x64_read(dc, &dc->x->operands[1], NULL);
    ir_ref r = x64_t64(dc);
    if (lead) {
        ir_emit_1_1(f, IR_OP_clz, r, a);
        if (w < 64)
            ir_emit_1_2(f, IR_OP_sub, r, r, x64_c64(dc, 64 - w));
    } else if (w < 64) {
        ir_ref t = x64_t64(dc);
        ir_emit_1_2(f, IR_OP_or, t, a, x64_c64(dc, 1ull << w));
        ir_emit_1_1(f, IR_OP_ctz, r, t);
    } else {
        ir_emit_1_1(f, IR_OP_ctz, r, a);
    }
    x64_write(dc, d, IR_NONE, r);
    x64_setcond32(dc, IR_COND_eq, x64_flag(dc, X64_CF), a, x64_c64(dc, 0));
    x64_setcond32(dc, IR_COND_ne, x64_flag(dc, X64_ZF), /* raw */ r, x64_c64(dc, 0));
    return X64_OK;
}

/* POPCNT r, r/m: ZF = (source == 0), CF OF SF AF PF = 0 */
static enum x64_status x64_tr_popcnt(struct x64_dc *dc)
{
    struct ir_func *f = dc->f;
    ir_ref a = x64_read(dc, &dc->x->operands[1], NULL);
    ir_ref r = x64_t64(dc);
    ir_emit_1_1(f, IR_OP_popcnt, r, a);
    x64_write(dc, &dc->x->operands[0], IR_NONE, r);
    x64_setcond32(dc, IR_COND_ne, x64_flag(dc, X64_ZF), /* raw */ a, x64_c64(dc, 0));
    x64_set_flag_c(dc, X64_CF, 0);
    x64_set_flag_c(dc, X64_OF, 0);
    x64_set_flag_c(dc, X64_SF, 0);
    x64_set_flag_c(dc, X64_AF, 0);
    x64_set_flag_c(dc, X64_PF, 0);
    return X64_OK;
}

/* BSWAP r32/r64 */
static enum x64_status x64_tr_bswap(struct x64_dc *dc)
{
    const cs_x86_op *d = &dc->x->operands[0];
    if (d->size != 4 && d->size != 8)
        return X64_UNDEF;
    ir_ref a = x64_read(dc, d, NULL), r = x64_t64(dc);
    ir_emit(dc->f, IR_OP_bswap, (ir_ref[]){r, a}, 2, (int64_t[]){d->size}, 1);
    x64_write(dc, d, IR_NONE, r);
    return X64_OK;
}

enum x64_status x64_tr_bitops(struct x64_dc *dc)
{
    switch (dc->ci->id) {
    case X86_INS_BT: return x64_tr_bt(dc, 0);
    case X86_INS_BTS: return x64_tr_bt(dc, 1);
    case X86_INS_BTR: return x64_tr_bt(dc, 2);
    case X86_INS_BTC: return x64_tr_bt(dc, 3);
    case X86_INS_BSF: return x64_tr_bsf(dc, false);
    case X86_INS_BSR: return x64_tr_bsf(dc, true);
    case X86_INS_TZCNT: return x64_tr_tzcnt(dc, false);
    case X86_INS_LZCNT: return x64_tr_tzcnt(dc, true);
    case X86_INS_POPCNT: return x64_tr_popcnt(dc);
    case X86_INS_BSWAP: return x64_tr_bswap(dc);
    default: return X64_NEXT;
    }
}
