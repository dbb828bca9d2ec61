/* Branch translators: JMP (direct and indirect), Jcc, JRCXZ/JECXZ and
 * LOOP/LOOPE/LOOPNE.  Every one ends the block. */
#include "frontend/x86_64/x64.h"

/* Taken when the i32 `c` is nonzero: goto_tb to each side. */
static enum x64_status x64_branch_if(struct x64_dc *dc, ir_ref c, uint64_t target)
{
    uint32_t l = ir_new_label(dc->f);
    ir_brcond(dc->f, IR_COND_ne, c, x64_c32(dc, 0), l);
    x64_goto(dc, dc->next_pc);
    ir_set_label(dc->f, l);
    x64_goto(dc, target);
    return X64_END;
}

/* JMP rel; JMP r/m64 */
static enum x64_status x64_tr_jmp(struct x64_dc *dc)
{
    const cs_x86_op *t = &dc->x->operands[0];
    if (t->type == X86_OP_IMM) {
        x64_goto(dc, (uint64_t)t->imm);
        return X64_END;
    }
    if (t->type == X86_OP_MEM && t->size != 8)
        return X64_UNIMP; /* far jumps */
    x64_goto_reg(dc, x64_read(dc, t, NULL));
    return X64_END;
}

/* Jcc rel8/rel32 */
static enum x64_status x64_tr_jcc(struct x64_dc *dc)
{
    return x64_branch_if(dc, x64_cond(dc, x64_insn_cc(dc)), (uint64_t)dc->x->operands[0].imm);
}

/* JRCXZ / JECXZ rel8 */
static enum x64_status x64_tr_jrcxz(struct x64_dc *dc, unsigned size)
{
    ir_ref c = x64_t32(dc);
    x64_setcond32(dc, IR_COND_eq, c, x64_get_gpr(dc, X64_RCX, size), x64_c64(dc, 0));
    return x64_branch_if(dc, c, (uint64_t)dc->x->operands[0].imm);
}

/* LOOP / LOOPE / LOOPNE rel8: decrement RCX (ECX with 0x67), no flags */
static enum x64_status x64_tr_loop(struct x64_dc *dc, int zf_cond)
{
    struct ir_func *f = dc->f;
    unsigned size = dc->x->addr_size == 4 ? 4 : 8;
    ir_ref cx = x64_t64(dc);
    ir_emit_1_2(f, IR_OP_sub, cx, x64_get_gpr(dc, X64_RCX, size), x64_c64(dc, 1));
    x64_set_gpr(dc, X64_RCX, size, cx);
    ir_ref c = x64_t32(dc);
    ir_ref m = x64_trunc_size(dc, cx, size);
    x64_setcond32(dc, IR_COND_ne, c, m, x64_c64(dc, 0));
    if (zf_cond >= 0) {
        ir_ref z = x64_t32(dc);
        x64_setcond32(dc, IR_COND_eq, z, x64_get_flag(dc, X64_ZF), x64_c32(dc, (uint32_t)zf_cond));
        ir_emit_1_2(f, IR_OP_and, c, c, z);
    }
    return x64_branch_if(dc, c, (uint64_t)dc->x->operands[0].imm);
}

enum x64_status x64_tr_branch(struct x64_dc *dc)
{
    switch (dc->ci->id) {
    case X86_INS_JMP: return x64_tr_jmp(dc);
    case X86_INS_JA: case X86_INS_JAE: case X86_INS_JB: case X86_INS_JBE:
    case X86_INS_JE: case X86_INS_JG: case X86_INS_JGE: case X86_INS_JL:
    case X86_INS_JLE: case X86_INS_JNE: case X86_INS_JNO: case X86_INS_JNP:
    case X86_INS_JNS: case X86_INS_JO: case X86_INS_JP: case X86_INS_JS:
        return x64_tr_jcc(dc);
    case X86_INS_JRCXZ: return x64_tr_jrcxz(dc, 8);
    case X86_INS_JECXZ: return x64_tr_jrcxz(dc, 4);
    case X86_INS_LOOP: return x64_tr_loop(dc, -1);
    case X86_INS_LOOPE: return x64_tr_loop(dc, 1);
    case X86_INS_LOOPNE: return x64_tr_loop(dc, 0);
    default: return X64_NEXT;
    }
}
