/* Data-movement translators: MOV (incl. MOVABS), MOVZX, MOVSX, MOVSXD, LEA,
 * XCHG, CMOVcc, SETcc, and the accumulator extensions CBW/CWDE/CDQE and
 * CWD/CDQ/CQO. */
#include "frontend/x86_64/x64.h"

/* MOV r/m, r/m/imm; MOVABS */
static enum x64_status x64_tr_mov(struct x64_dc *dc)
{
    const cs_x86_op *d = &dc->x->operands[0], *s = &dc->x->operands[1];
    ir_ref v = s->type == X86_OP_IMM ? x64_c64(dc, (uint64_t)s->imm & x64_mask(d->size))
                                     : x64_read(dc, s, NULL);
    x64_write(dc, d, IR_NONE, v);
    return X64_OK;
}

/* MOVZX r, r/m8/16; MOVSX r, r/m8/16; MOVSXD r, r/m32 */
static enum x64_status x64_tr_movx(struct x64_dc *dc, bool sign)
{
    const cs_x86_op *d = &dc->x->operands[0], *s = &dc->x->operands[1];
    ir_ref v = x64_read(dc, s, NULL);
    if (sign)
        v = x64_sext(dc, v, s->size);
    x64_write(dc, d, IR_NONE, v);
    return X64_OK;
}

/* LEA r, m */
static enum x64_status x64_tr_lea(struct x64_dc *dc)
{
    const cs_x86_op *d = &dc->x->operands[0], *s = &dc->x->operands[1];
    if (s->type != X86_OP_MEM)
        return X64_UNDEF;
    cs_x86_op m = *s;
    m.mem.segment = X86_REG_INVALID; /* LEA ignores segment bases */
    x64_write(dc, d, IR_NONE, x64_addr(dc, &m));
    return X64_OK;
}

/* XCHG r/m, r */
static enum x64_status x64_tr_xchg(struct x64_dc *dc)
{
    const cs_x86_op *a = &dc->x->operands[0], *b = &dc->x->operands[1];
    ir_ref addr = IR_NONE;
    if (a->type == X86_OP_MEM) {
        const cs_x86_op *t = a;
        a = b;
        b = t;
    }
    /* a is a register; b a register or memory */
    ir_ref va = x64_t64(dc);
    ir_mov(dc->f, va, x64_read(dc, a, NULL));
    ir_ref vb = x64_read(dc, b, &addr);
    x64_write(dc, a, IR_NONE, vb);
    x64_write(dc, b, addr, va);
    return X64_OK;
}

/* CMOVcc r, r/m (a 32-bit destination is zero-extended even when false) */
static enum x64_status x64_tr_cmov(struct x64_dc *dc)
{
    const cs_x86_op *d = &dc->x->operands[0], *s = &dc->x->operands[1];
    ir_ref src = x64_read(dc, s, NULL);
    ir_ref old = x64_read(dc, d, NULL);
    ir_ref c = x64_cond(dc, x64_insn_cc(dc));
    ir_ref v = x64_t64(dc), c64 = x64_t64(dc);
    ir_emit_1_1(dc->f, IR_OP_zext, c64, c);
    ir_movcond(dc->f, IR_COND_ne, v, c64, x64_c64(dc, 0), src, old);
    x64_write(dc, d, IR_NONE, v);
    return X64_OK;
}

/* SETcc r/m8 */
static enum x64_status x64_tr_setcc(struct x64_dc *dc)
{
    ir_ref c = x64_cond(dc, x64_insn_cc(dc));
    ir_ref v = x64_t64(dc);
    ir_emit_1_1(dc->f, IR_OP_zext, v, c);
    x64_write(dc, &dc->x->operands[0], IR_NONE, v);
    return X64_OK;
}

/* CBW / CWDE / CDQE: sign-extend the low half of the accumulator */
static enum x64_status x64_tr_cbw(struct x64_dc *dc, unsigned size)
{
    ir_ref v = x64_sext(dc, x64_get_gpr(dc, X64_RAX, size / 2), size / 2);
    x64_set_gpr(dc, X64_RAX, size, v);
    return X64_OK;
}

/* CWD / CDQ / CQO: DX/EDX/RDX = copies of the accumulator's sign bit */
static enum x64_status x64_tr_cwd(struct x64_dc *dc, unsigned size)
{
    ir_ref v = x64_sext(dc, x64_get_gpr(dc, X64_RAX, size), size);
    ir_ref s = x64_t64(dc);
    ir_emit_1_2(dc->f, IR_OP_sar, s, v, x64_c64(dc, 63));
    x64_set_gpr(dc, X64_RDX, size, s);
    return X64_OK;
}

enum x64_status x64_tr_movs(struct x64_dc *dc)
{
    switch (dc->ci->id) {
    case X86_INS_MOV:
    case X86_INS_MOVABS: return x64_tr_mov(dc);
    case X86_INS_MOVZX: return x64_tr_movx(dc, false);
    case X86_INS_MOVSX:
    case X86_INS_MOVSXD: return x64_tr_movx(dc, true);
    case X86_INS_LEA: return x64_tr_lea(dc);
    case X86_INS_XCHG: return x64_tr_xchg(dc);
    case X86_INS_CMOVA: case X86_INS_CMOVAE: case X86_INS_CMOVB: case X86_INS_CMOVBE:
    case X86_INS_CMOVE: case X86_INS_CMOVG: case X86_INS_CMOVGE: case X86_INS_CMOVL:
    case X86_INS_CMOVLE: case X86_INS_CMOVNE: case X86_INS_CMOVNO: case X86_INS_CMOVNP:
    case X86_INS_CMOVNS: case X86_INS_CMOVO: case X86_INS_CMOVP: case X86_INS_CMOVS:
        return x64_tr_cmov(dc);
    case X86_INS_SETA: case X86_INS_SETAE: case X86_INS_SETB: case X86_INS_SETBE:
    case X86_INS_SETE: case X86_INS_SETG: case X86_INS_SETGE: case X86_INS_SETL:
    case X86_INS_SETLE: case X86_INS_SETNE: case X86_INS_SETNO: case X86_INS_SETNP:
    case X86_INS_SETNS: case X86_INS_SETO: case X86_INS_SETP: case X86_INS_SETS:
        return x64_tr_setcc(dc);
    case X86_INS_CBW: return x64_tr_cbw(dc, 2);
    case X86_INS_CWDE: return x64_tr_cbw(dc, 4);
    case X86_INS_CDQE: return x64_tr_cbw(dc, 8);
    case X86_INS_CWD: return x64_tr_cwd(dc, 2);
    case X86_INS_CDQ: return x64_tr_cwd(dc, 4);
    case X86_INS_CQO: return x64_tr_cwd(dc, 8);
    default: return X64_NEXT;
    }
}
