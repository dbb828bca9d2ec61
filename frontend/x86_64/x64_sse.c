/* The SSE/SSE2 translator's entry: decodes the prefixes, opcode and ModRM of
 * 0F-map instructions from their bytes, offers them to the move, integer and
 * floating-point groups, and holds the XMM operand helpers they share. */
#include "frontend/x86_64/x64_sse.h"

ir_ref x64_xmm_ld(struct x64_dc *dc, unsigned n, unsigned half)
{
    ir_ref t = x64_t64(dc);
    ir_ld_state(dc->f, t, x64_xmm_off(n, half), IR_MO_64);
    return t;
}

void x64_xmm_st(struct x64_dc *dc, unsigned n, unsigned half, ir_ref v64)
{
    ir_st_state(dc->f, v64, x64_xmm_off(n, half), IR_MO_64);
}

ir_ref x64_sse_addr(struct x64_dc *dc, const struct x64_sse *s, unsigned align)
{
    ir_ref a = x64_addr(dc, s->mop);
    if (align > 1) {
        ir_ref low = x64_t64(dc);
        uint32_t ok = ir_new_label(dc->f);
        ir_emit_1_2(dc->f, IR_OP_and, low, a, x64_c64(dc, align - 1));
        ir_brcond(dc->f, IR_COND_eq, low, x64_c64(dc, 0), ok);
        x64_raise(dc, X64_EXC_GP);
        ir_set_label(dc->f, ok);
    }
    return a;
}

void x64_sse_rm128(struct x64_dc *dc, const struct x64_sse *s, unsigned align, ir_ref *lo,
                   ir_ref *hi)
{
    if (!s->mem) {
        *lo = x64_xmm_ld(dc, s->rm, 0);
        *hi = x64_xmm_ld(dc, s->rm, 1);
        return;
    }
    ir_ref a = x64_sse_addr(dc, s, align), a8 = x64_t64(dc);
    *lo = x64_ld(dc, a, 8);
    ir_emit_1_2(dc->f, IR_OP_add, a8, a, x64_c64(dc, 8));
    *hi = x64_ld(dc, a8, 8);
}

ir_ref x64_sse_rm_low(struct x64_dc *dc, const struct x64_sse *s, unsigned size)
{
    if (!s->mem) {
        ir_ref t = x64_t64(dc);
        ir_ld_state(dc->f, t, x64_xmm_off(s->rm, 0), (unsigned)__builtin_ctz(size));
        return t;
    }
    return x64_ld(dc, x64_sse_addr(dc, s, 1), size);
}

uint32_t x64_sse_rm_off(struct x64_dc *dc, const struct x64_sse *s, unsigned size, unsigned align)
{
    if (!s->mem)
        return x64_xmm_off(s->rm, 0);
    if (size == 16) {
        ir_ref lo, hi;
        x64_sse_rm128(dc, s, align, &lo, &hi);
        ir_st_state(dc->f, lo, X64_OFF_XMM_TMP, IR_MO_64);
        ir_st_state(dc->f, hi, X64_OFF_XMM_TMP + 8, IR_MO_64);
    } else {
        ir_ref v = x64_ld(dc, x64_sse_addr(dc, s, 1), size);
        ir_st_state(dc->f, v, X64_OFF_XMM_TMP, (unsigned)__builtin_ctz(size));
    }
    return (uint32_t)X64_OFF_XMM_TMP;
}

void x64_sse_check_xm(struct x64_dc *dc, ir_ref status)
{
    uint32_t ok = ir_new_label(dc->f);
    ir_brcond(dc->f, IR_COND_eq, status, x64_c32(dc, 0), ok);
    x64_raise(dc, X64_EXC_XM);
    ir_set_label(dc->f, ok);
}

/* Decode the bytes of a 0F xx instruction (not 0F 38 / 0F 3A); false for
 * anything else. */
static bool x64_sse_decode(const struct x64_dc *dc, struct x64_sse *s)
{
    const uint8_t *b = dc->ci->bytes;
    unsigned n = dc->ci->size, i = 0;
    bool p66 = false, lock = false;
    unsigned rep = 0, rex = 0;
    for (; i < n; i++) {
        uint8_t c = b[i];
        if (c == 0x66)
            p66 = true;
        else if (c == 0xf2 || c == 0xf3)
            rep = c;
        else if (c == 0xf0)
            lock = true;
        else if (c != 0x67 && c != 0xf0 && c != 0x2e && c != 0x36 && c != 0x3e && c != 0x26 &&
                 c != 0x64 && c != 0x65)
            break;
    }
    if (i < n && (b[i] & 0xf0) == 0x40)
        rex = b[i++];
    if (i + 1 >= n || b[i] != 0x0f)
        return false;
    unsigned opc = b[i + 1];
    if (opc == 0x38 || opc == 0x3a)
        return false;
    s->pfx = rep ? rep : p66 ? 0x66 : 0;
    s->opc = opc;
    s->rexw = (rex & 8) != 0;
    s->lock = lock;
    s->imm = b[n - 1];
    s->mop = NULL;
    if (i + 2 < n) {
        uint8_t m = b[i + 2];
        s->sub = (m >> 3) & 7;
        s->reg = s->sub | ((rex & 4) << 1);
        s->rm = (m & 7) | ((rex & 1) << 3);
        s->mem = (m >> 6) != 3;
    } else {
        s->sub = s->reg = s->rm = 0;
        s->mem = false;
    }
    for (unsigned k = 0; k < dc->x->op_count; k++)
        if (dc->x->operands[k].type == X86_OP_MEM)
            s->mop = &dc->x->operands[k];
    if (s->mem && !s->mop)
        return false;
    return true;
}

enum x64_status x64_tr_sse(struct x64_dc *dc)
{
    struct x64_sse s;
    enum x64_status x = x64_sse_tr_x87(dc);
    if (x == X64_NEXT)
        x = x64_sse_tr_x87_data(dc);
    if (x != X64_NEXT)
        return x;
    if (!x64_sse_decode(dc, &s))
        return X64_NEXT;
    enum x64_status st = x64_sse_tr_move(dc, &s);
    if (st == X64_NEXT)
        st = x64_sse_tr_int(dc, &s);
    if (st == X64_NEXT)
        st = x64_sse_tr_fp(dc, &s);
    if (st == X64_OK && s.lock)
        return X64_UNDEF; /* the dispatcher drops the IR emitted */
    return st;
}

int x64_sse_register_helpers(void)
{
    return x64_sse_int_register_helpers() < 0 || x64_sse_fp_register_helpers() < 0 ||
                   x64_sse_x87_register_helpers() < 0
               ? -1
               : 0;
}
