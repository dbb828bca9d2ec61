/* Integer ALU translators: ADD ADC SUB SBB CMP AND OR XOR TEST (every
 * operand form), INC DEC NEG NOT, XADD and CMPXCHG.  LOCK is accepted; a
 * single guest thread makes the plain read-modify-write atomic. */
#include "frontend/x86_64/x64.h"

/* A source operand of `size` bytes, zero-extended (immediates are already
 * sign-extended by Capstone: cut them to the operand size). */
static ir_ref x64_src(struct x64_dc *dc, const cs_x86_op *op, unsigned size)
{
    if (op->type == X86_OP_IMM)
        return x64_c64(dc, (uint64_t)op->imm & x64_mask(size));
    return x64_read(dc, op, NULL);
}

/* The carry flag as an i64 0/1. */
static ir_ref x64_carry64(struct x64_dc *dc)
{
    ir_ref c = x64_t64(dc);
    ir_emit_1_1(dc->f, IR_OP_zext, c, x64_flag(dc, X64_CF));
    return c;
}

/* ADD/ADC/SUB/SBB/CMP r/m, r/m/imm */
static enum x64_status x64_tr_addsub(struct x64_dc *dc, bool sub, bool carry, bool writeback)
{
    struct ir_func *f = dc->f;
    const cs_x86_op *d = &dc->x->operands[0];
    unsigned size = d->size;
    ir_ref addr = IR_NONE;
    ir_ref a = x64_read(dc, d, &addr);
    ir_ref b = x64_src(dc, &dc->x->operands[1], size);
    ir_ref cin = carry ? x64_carry64(dc) : IR_NONE;
    ir_ref res = x64_t64(dc);
    ir_emit_1_2(f, sub ? IR_OP_sub : IR_OP_add, res, a, b);
    if (carry)
        ir_emit_1_2(f, sub ? IR_OP_sub : IR_OP_add, res, res, cin);
    x64_flags_addsub(dc, size, sub, a, b, cin, res);
    if (writeback)
        x64_write(dc, d, addr, res);
    return X64_OK;
}

/* AND/OR/XOR/TEST r/m, r/m/imm */
static enum x64_status x64_tr_logic(struct x64_dc *dc, enum ir_op op, bool writeback)
{
    const cs_x86_op *d = &dc->x->operands[0];
    unsigned size = d->size;
    ir_ref addr = IR_NONE;
    ir_ref a = x64_read(dc, d, &addr);
    ir_ref b = x64_src(dc, &dc->x->operands[1], size);
    ir_ref res = x64_t64(dc);
    ir_emit_1_2(dc->f, op, res, a, b);
    x64_flags_logic(dc, size, res);
    if (writeback)
        x64_write(dc, d, addr, res);
    return X64_OK;
}

/* INC r/m; DEC r/m (CF unchanged) */
static enum x64_status x64_tr_incdec(struct x64_dc *dc, bool dec)
{
    struct ir_func *f = dc->f;
    const cs_x86_op *d = &dc->x->operands[0];
    ir_ref addr = IR_NONE;
    ir_ref a = x64_read(dc, d, &addr);
    ir_ref one = x64_c64(dc, 1);
    ir_ref res = x64_t64(dc);
    ir_emit_1_2(f, dec ? IR_OP_sub : IR_OP_add, res, a, one);
    if (dc->cc_lazy_ok) {
        ir_ref cf64 = x64_flags_cf64(dc);
        x64_flags_lazy(dc, dec ? X64_CC_DEC : X64_CC_INC, d->size, a, cf64, res);
        x64_write(dc, d, addr, res);
        return X64_OK;
    }
    ir_ref cf = x64_t32(dc);
    ir_mov(f, cf, x64_flag(dc, X64_CF));
    x64_flags_addsub(dc, d->size, dec, a, one, IR_NONE, res);
    x64_set_flag(dc, X64_CF, cf);
    x64_write(dc, d, addr, res);
    return X64_OK;
}

/* NEG r/m */
static enum x64_status x64_tr_neg(struct x64_dc *dc)
{
    const cs_x86_op *d = &dc->x->operands[0];
    ir_ref addr = IR_NONE;
    ir_ref a = x64_read(dc, d, &addr);
    ir_ref zero = x64_c64(dc, 0);
    ir_ref res = x64_t64(dc);
    ir_emit_1_2(dc->f, IR_OP_sub, res, zero, a);
    x64_flags_addsub(dc, d->size, true, zero, a, IR_NONE, res);
    x64_write(dc, d, addr, res);
    return X64_OK;
}

/* NOT r/m (no flags) */
static enum x64_status x64_tr_not(struct x64_dc *dc)
{
    const cs_x86_op *d = &dc->x->operands[0];
    ir_ref addr = IR_NONE;
    ir_ref a = x64_read(dc, d, &addr);
    ir_ref res = x64_t64(dc);
    ir_emit_1_1(dc->f, IR_OP_not, res, a);
    x64_write(dc, d, addr, res);
    return X64_OK;
}

/* XADD r/m, r */
static enum x64_status x64_tr_xadd(struct x64_dc *dc)
{
    const cs_x86_op *d = &dc->x->operands[0], *s = &dc->x->operands[1];
    ir_ref addr = IR_NONE;
    ir_ref a = x64_read(dc, d, &addr);
    ir_ref b = x64_read(dc, s, NULL);
    ir_ref res = x64_t64(dc);
    ir_emit_1_2(dc->f, IR_OP_add, res, a, b);
    x64_flags_addsub(dc, d->size, false, a, b, IR_NONE, res);
    x64_write(dc, s, IR_NONE, a);
    x64_write(dc, d, addr, res);
    return X64_OK;
}

/* CMPXCHG r/m, r: compare the accumulator with r/m; equal: r/m = r, else
 * accumulator = r/m (the memory operand is written either way) */
static enum x64_status x64_tr_cmpxchg(struct x64_dc *dc)
{
    struct ir_func *f = dc->f;
    const cs_x86_op *d = &dc->x->operands[0], *s = &dc->x->operands[1];
    unsigned size = d->size;
    ir_ref addr = IR_NONE;
    ir_ref old = x64_read(dc, d, &addr);
    ir_ref acc = x64_get_gpr(dc, X64_RAX, size);
    ir_ref acc_copy = x64_t64(dc);
    ir_mov(f, acc_copy, acc);
    ir_ref src = x64_read(dc, s, NULL);
    ir_ref res = x64_t64(dc);
    ir_emit_1_2(f, IR_OP_sub, res, acc_copy, old);
    x64_flags_addsub(dc, size, true, acc_copy, old, IR_NONE, res);
    ir_ref nv = x64_t64(dc);
    ir_movcond(f, IR_COND_eq, nv, acc_copy, old, src, old);
    if (d->type == X86_OP_MEM) {
        x64_write(dc, d, addr, nv);
    } else {
        /* register destination: written only when equal (a 32-bit register
         * is zero-extended only then) */
        uint32_t l = ir_new_label(f);
        ir_brcond(f, IR_COND_ne, acc_copy, old, l);
        x64_write(dc, d, IR_NONE, src);
        ir_set_label(f, l);
    }
    /* not equal: the accumulator gets the old value */
    uint32_t l2 = ir_new_label(f);
    ir_brcond(f, IR_COND_eq, acc_copy, old, l2);
    x64_set_gpr(dc, X64_RAX, size, old);
    ir_set_label(f, l2);
    return X64_OK;
}

enum x64_status x64_tr_alu(struct x64_dc *dc)
{
    switch (dc->ci->id) {
    case X86_INS_ADD: return x64_tr_addsub(dc, false, false, true);
    case X86_INS_ADC: return x64_tr_addsub(dc, false, true, true);
    case X86_INS_SUB: return x64_tr_addsub(dc, true, false, true);
    case X86_INS_SBB: return x64_tr_addsub(dc, true, true, true);
    case X86_INS_CMP: return x64_tr_addsub(dc, true, false, false);
    case X86_INS_AND: return x64_tr_logic(dc, IR_OP_and, true);
    case X86_INS_OR: return x64_tr_logic(dc, IR_OP_or, true);
    case X86_INS_XOR: return x64_tr_logic(dc, IR_OP_xor, true);
    case X86_INS_TEST: return x64_tr_logic(dc, IR_OP_and, false);
    case X86_INS_INC: return x64_tr_incdec(dc, false);
    case X86_INS_DEC: return x64_tr_incdec(dc, true);
    case X86_INS_NEG: return x64_tr_neg(dc);
    case X86_INS_NOT: return x64_tr_not(dc);
    case X86_INS_XADD: return x64_tr_xadd(dc);
    case X86_INS_CMPXCHG: return x64_tr_cmpxchg(dc);
    default: return X64_NEXT;
    }
}
