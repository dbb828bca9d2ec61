/* String translators: MOVS, STOS, LODS, CMPS, SCAS (byte to quadword) with
 * REP / REPE / REPNE.  A repeated instruction runs as a loop inside its
 * block (one guest instruction; RCX, RSI, RDI are updated every step, so a
 * fault in the middle leaves the architectural state of the step).  Only
 * 64-bit addressing and the default segments are translated. */
#include "frontend/x86_64/x64.h"

enum x64_str_kind { X64_MOVS, X64_STOS, X64_LODS, X64_CMPS, X64_SCAS };

static enum x64_status x64_tr_str(struct x64_dc *dc, enum x64_str_kind k, unsigned size)
{
    struct ir_func *f = dc->f;
    if (size == 0)
        return X64_NEXT;
    for (unsigned i = 0; i < dc->x->op_count; i++) {
        const cs_x86_op *op = &dc->x->operands[i];
        if (op->type == X86_OP_REG) {
            unsigned idx, rs;
            bool high;
            if (!x64_reg_info(op->reg, &idx, &rs, &high))
                return X64_NEXT; /* MOVSD xmm (SSE2), not a string insn */
        } else if (op->type == X86_OP_MEM && op->mem.segment != X86_REG_INVALID &&
                   op->mem.segment != X86_REG_ES && op->mem.segment != X86_REG_DS) {
            return X64_UNIMP;
        }
    }
    if (dc->x->addr_size != 8)
        return X64_UNIMP;
    uint8_t rep = dc->x->prefix[0];
    bool repeat = rep == X86_PREFIX_REP || rep == X86_PREFIX_REPNE;
    bool cmp = k == X64_CMPS || k == X64_SCAS;

    /* step = DF ? -size : size */
    ir_ref step = x64_t64(dc), df = x64_t64(dc);
    ir_emit_1_1(f, IR_OP_zext, df, x64_df(dc));
    ir_movcond(f, IR_COND_ne, step, df, x64_c64(dc, 0), x64_c64(dc, (uint64_t)-(int64_t)size),
               x64_c64(dc, size));
    ir_ref rsi = x64_greg(dc, X64_RSI), rdi = x64_greg(dc, X64_RDI), rcx = x64_greg(dc, X64_RCX);
    uint32_t l_top = 0, l_done = 0;
    if (repeat) {
        l_top = ir_new_label(f);
        l_done = ir_new_label(f);
        ir_set_label(f, l_top);
        ir_brcond(f, IR_COND_eq, rcx, x64_c64(dc, 0), l_done);
    }
    switch (k) {
    case X64_MOVS: {
        ir_ref v = x64_ld(dc, rsi, size);
        x64_st(dc, rdi, size, v);
        break;
    }
    case X64_STOS: x64_st(dc, rdi, size, x64_get_gpr(dc, X64_RAX, size)); break;
    case X64_LODS: x64_set_gpr(dc, X64_RAX, size, x64_ld(dc, rsi, size)); break;
    case X64_CMPS:
    case X64_SCAS: {
        ir_ref a = k == X64_CMPS ? x64_ld(dc, rsi, size) : x64_get_gpr(dc, X64_RAX, size);
        ir_ref b = x64_ld(dc, rdi, size);
        ir_ref res = x64_t64(dc);
        ir_emit_1_2(f, IR_OP_sub, res, a, b);
        x64_flags_addsub(dc, size, true, a, b, IR_NONE, res);
        break;
    }
    }
    if (k == X64_MOVS || k == X64_LODS || k == X64_CMPS)
        ir_emit_1_2(f, IR_OP_add, rsi, rsi, step);
    if (k != X64_LODS)
        ir_emit_1_2(f, IR_OP_add, rdi, rdi, step);
    if (repeat) {
        ir_emit_1_2(f, IR_OP_sub, rcx, rcx, x64_c64(dc, 1));
        if (cmp) /* REPE: go on while ZF = 1; REPNE: while ZF = 0 (raw ZF: 0 when set) */
            ir_brcond(f, rep == X86_PREFIX_REP ? IR_COND_ne : IR_COND_eq, x64_flag(dc, X64_ZF),
                      x64_c32(dc, 0), l_done);
        ir_br(f, l_top);
        ir_set_label(f, l_done);
    }
    return X64_OK;
}

/* The element size from the encoding (Capstone 4 names 66 F3 A5 "movsd"):
 * A4 AA AC A6 AE move bytes; the others words (0x66), quadwords (REX.W) or
 * doublewords. */
static unsigned x64_str_size(const struct x64_dc *dc)
{
    const uint8_t *b = dc->ci->bytes;
    bool opsize = false, rexw = false;
    for (unsigned i = 0; i < dc->ci->size; i++) {
        if (b[i] == 0x66)
            opsize = true;
        else if ((b[i] & 0xf0) == 0x40)
            rexw = b[i] & 8;
        else if (b[i] >= 0xa4 && b[i] <= 0xaf)
            return (b[i] & 1) == 0 ? 1 : rexw ? 8 : opsize ? 2 : 4;
    }
    return 0;
}

enum x64_status x64_tr_string(struct x64_dc *dc)
{
    unsigned size = x64_str_size(dc);
    switch (dc->ci->id) {
    case X86_INS_MOVSB: return x64_tr_str(dc, X64_MOVS, size);
    case X86_INS_MOVSW: return x64_tr_str(dc, X64_MOVS, size);
    case X86_INS_MOVSD: return x64_tr_str(dc, X64_MOVS, size);
    case X86_INS_MOVSQ: return x64_tr_str(dc, X64_MOVS, size);
    case X86_INS_STOSB: return x64_tr_str(dc, X64_STOS, size);
    case X86_INS_STOSW: return x64_tr_str(dc, X64_STOS, size);
    case X86_INS_STOSD: return x64_tr_str(dc, X64_STOS, size);
    case X86_INS_STOSQ: return x64_tr_str(dc, X64_STOS, size);
    case X86_INS_LODSB: return x64_tr_str(dc, X64_LODS, size);
    case X86_INS_LODSW: return x64_tr_str(dc, X64_LODS, size);
    case X86_INS_LODSD: return x64_tr_str(dc, X64_LODS, size);
    case X86_INS_LODSQ: return x64_tr_str(dc, X64_LODS, size);
    case X86_INS_CMPSB: return x64_tr_str(dc, X64_CMPS, size);
    case X86_INS_CMPSW: return x64_tr_str(dc, X64_CMPS, size);
    case X86_INS_CMPSD: return x64_tr_str(dc, X64_CMPS, size);
    case X86_INS_CMPSQ: return x64_tr_str(dc, X64_CMPS, size);
    case X86_INS_SCASB: return x64_tr_str(dc, X64_SCAS, size);
    case X86_INS_SCASW: return x64_tr_str(dc, X64_SCAS, size);
    case X86_INS_SCASD: return x64_tr_str(dc, X64_SCAS, size);
    case X86_INS_SCASQ: return x64_tr_str(dc, X64_SCAS, size);
    default: return X64_NEXT;
    }
}
