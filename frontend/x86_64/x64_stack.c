/* Stack translators: PUSH, POP, CALL (direct and indirect), RET [imm16],
 * LEAVE and ENTER (nesting level 0).  Stack slots are 64-bit (32-bit in
 * 32-bit system-mode code); a 0x66 prefix makes PUSH/POP move 16 bits. */
#include "frontend/x86_64/x64.h"

/* Stack slot of CALL/RET/LEAVE/ENTER: 8, or 4 in 32-bit system-mode code. */
static unsigned x64_stack_width(const struct x64_dc *dc)
{
    return (dc->flags & X64_HF_SYSTEM) && !(dc->flags & X64_HF_CS64) ? 4 : 8;
}

static unsigned x64_stack_size(const struct x64_dc *dc)
{
    return dc->x->prefix[2] == X86_PREFIX_OPSIZE ? 2 : x64_stack_width(dc);
}

/* Store v (size bytes) at RSP - size and update RSP. */
static void x64_push(struct x64_dc *dc, ir_ref v, unsigned size)
{
    ir_ref sp = x64_greg(dc, X64_RSP);
    ir_ref a = x64_t64(dc);
    ir_emit_1_2(dc->f, IR_OP_sub, a, sp, x64_c64(dc, size));
    x64_st(dc, a, size, v);
    ir_mov(dc->f, sp, a);
}

static ir_ref x64_pop(struct x64_dc *dc, unsigned size)
{
    ir_ref sp = x64_greg(dc, X64_RSP);
    ir_ref v = x64_ld(dc, sp, size);
    ir_emit_1_2(dc->f, IR_OP_add, sp, sp, x64_c64(dc, size));
    return v;
}

/* PUSH r/m/imm */
static enum x64_status x64_tr_push(struct x64_dc *dc)
{
    const cs_x86_op *s = &dc->x->operands[0];
    unsigned size = x64_stack_size(dc);
    if (s->type == X86_OP_REG) {
        unsigned idx, rs;
        bool high;
        if (!x64_reg_info(s->reg, &idx, &rs, &high))
            return X64_UNIMP; /* PUSH FS/GS */
    }
    ir_ref v = s->type == X86_OP_IMM ? x64_c64(dc, (uint64_t)s->imm & x64_mask(size))
                                     : x64_read(dc, s, NULL);
    x64_push(dc, v, size);
    return X64_OK;
}

/* POP r/m */
static enum x64_status x64_tr_pop(struct x64_dc *dc)
{
    const cs_x86_op *d = &dc->x->operands[0];
    if (d->type == X86_OP_REG) {
        unsigned idx, rs;
        bool high;
        if (!x64_reg_info(d->reg, &idx, &rs, &high))
            return X64_UNIMP;
    }
    ir_ref v = x64_pop(dc, x64_stack_size(dc));
    x64_write(dc, d, IR_NONE, v);
    return X64_OK;
}

/* CALL rel32; CALL r/m64 */
static enum x64_status x64_tr_call(struct x64_dc *dc)
{
    const cs_x86_op *t = &dc->x->operands[0];
    if (t->type == X86_OP_IMM) {
        x64_push(dc, x64_c64(dc, dc->next_pc), x64_stack_width(dc));
        x64_goto(dc, (uint64_t)t->imm);
        return X64_END;
    }
    ir_ref dest = x64_t64(dc);
    ir_mov(dc->f, dest, x64_read(dc, t, NULL));
    x64_push(dc, x64_c64(dc, dc->next_pc), x64_stack_width(dc));
    x64_goto_reg(dc, dest);
    return X64_END;
}

/* RET; RET imm16 */
static enum x64_status x64_tr_ret(struct x64_dc *dc)
{
    ir_ref dest = x64_pop(dc, x64_stack_width(dc));
    if (dc->x->op_count > 0 && dc->x->operands[0].type == X86_OP_IMM) {
        ir_ref sp = x64_greg(dc, X64_RSP);
        ir_emit_1_2(dc->f, IR_OP_add, sp, sp, x64_c64(dc, (uint64_t)dc->x->operands[0].imm & 0xffff));
    }
    x64_goto_reg(dc, dest);
    return X64_END;
}

/* LEAVE: RSP = RBP; POP RBP */
static enum x64_status x64_tr_leave(struct x64_dc *dc)
{
    ir_mov(dc->f, x64_greg(dc, X64_RSP), x64_greg(dc, X64_RBP));
    ir_ref v = x64_pop(dc, x64_stack_width(dc));
    ir_mov(dc->f, x64_greg(dc, X64_RBP), v);
    return X64_OK;
}

/* ENTER imm16, 0 (other nesting levels are not translated) */
static enum x64_status x64_tr_enter(struct x64_dc *dc)
{
    if (dc->x->op_count < 2 || (dc->x->operands[1].imm & 31) != 0)
        return X64_UNIMP;
    x64_push(dc, x64_greg(dc, X64_RBP), x64_stack_width(dc));
    ir_mov(dc->f, x64_greg(dc, X64_RBP), x64_greg(dc, X64_RSP));
    ir_ref sp = x64_greg(dc, X64_RSP);
    ir_emit_1_2(dc->f, IR_OP_sub, sp, sp, x64_c64(dc, (uint64_t)dc->x->operands[0].imm & 0xffff));
    return X64_OK;
}

enum x64_status x64_tr_stack(struct x64_dc *dc)
{
    switch (dc->ci->id) {
    case X86_INS_PUSH: return x64_tr_push(dc);
    case X86_INS_POP: return x64_tr_pop(dc);
    case X86_INS_CALL: return x64_tr_call(dc);
    case X86_INS_RET: return x64_tr_ret(dc);
    case X86_INS_LEAVE: return x64_tr_leave(dc);
    case X86_INS_ENTER: return x64_tr_enter(dc);
    default: return X64_NEXT;
    }
}
