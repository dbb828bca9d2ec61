/* SSE/SSE2 instructions translated to inline IR on the 64-bit halves of the
 * XMM registers: the moves (MOVAPS/UPS/APD/UPD/DQA/DQU, MOVSS/SD, MOVL/H PS/PD,
 * MOVHLPS/MOVLHPS, MOVD/MOVQ, non-temporal stores), the bitwise logic, the
 * 64-bit-lane integer ops, byte shifts, PEXTRW/PINSRW, MXCSR and FXSAVE
 * state, prefetches, and the x87 control/environment instructions. */
#include "frontend/x86_64/x64_sse.h"

/* Store a 128-bit value to the r/m operand (register or memory). */
static void x64_sse_put_rm128(struct x64_dc *dc, const struct x64_sse *s, unsigned align, ir_ref lo,
                              ir_ref hi)
{
    if (!s->mem) {
        x64_xmm_st(dc, s->rm, 0, lo);
        x64_xmm_st(dc, s->rm, 1, hi);
        return;
    }
    ir_ref a = x64_sse_addr(dc, s, align), a8 = x64_t64(dc);
    ir_emit_1_2(dc->f, IR_OP_add, a8, a, x64_c64(dc, 8));
    x64_st(dc, a, 8, lo);
    x64_st(dc, a8, 8, hi);
}

/* MOVUPS/MOVAPS/MOVDQA/MOVDQU... xmm, xmm/m128 (store: xmm/m128, xmm) */
static enum x64_status x64_sse_mov128(struct x64_dc *dc, const struct x64_sse *s, bool store,
                                      unsigned align)
{
    ir_ref lo, hi;
    if (store) {
        if (align == 16 && !s->mem && (s->opc == 0x2b || s->opc == 0xe7))
            return X64_UNDEF; /* MOVNT* have memory destinations only */
        lo = x64_xmm_ld(dc, s->reg, 0);
        hi = x64_xmm_ld(dc, s->reg, 1);
        x64_sse_put_rm128(dc, s, align, lo, hi);
    } else {
        x64_sse_rm128(dc, s, align, &lo, &hi);
        x64_xmm_st(dc, s->reg, 0, lo);
        x64_xmm_st(dc, s->reg, 1, hi);
    }
    return X64_OK;
}

/* MOVSS / MOVSD: xmm, xmm merges the low lane; xmm, m zero-extends; m, xmm
 * stores the low lane */
static enum x64_status x64_sse_movs(struct x64_dc *dc, const struct x64_sse *s, unsigned size,
                                    bool store)
{
    unsigned mo = (unsigned)__builtin_ctz(size);
    if (store && s->mem) {
        ir_ref v = x64_t64(dc);
        ir_ld_state(dc->f, v, x64_xmm_off(s->reg, 0), mo);
        x64_st(dc, x64_sse_addr(dc, s, 1), size, v);
        return X64_OK;
    }
    unsigned d = store ? s->rm : s->reg, src = store ? s->reg : s->rm;
    if (!s->mem) {
        ir_ref v = x64_t64(dc);
        ir_ld_state(dc->f, v, x64_xmm_off(src, 0), mo);
        ir_st_state(dc->f, v, x64_xmm_off(d, 0), mo);
        return X64_OK;
    }
    ir_ref v = x64_ld(dc, x64_sse_addr(dc, s, 1), size);
    x64_xmm_st(dc, d, 0, v);
    x64_xmm_st(dc, d, 1, x64_c64(dc, 0));
    return X64_OK;
}

/* MOVLPS/MOVLPD/MOVHPS/MOVHPD xmm, m64 and m64, xmm; MOVHLPS/MOVLHPS xmm, xmm */
static enum x64_status x64_sse_movlh(struct x64_dc *dc, const struct x64_sse *s, unsigned half,
                                     bool store)
{
    if (store) {
        if (!s->mem)
            return X64_UNDEF;
        x64_st(dc, x64_sse_addr(dc, s, 1), 8, x64_xmm_ld(dc, s->reg, half));
        return X64_OK;
    }
    if (!s->mem) {
        if (s->pfx == 0x66)
            return X64_UNDEF;
        /* MOVHLPS (half 0): low = src high; MOVLHPS (half 1): high = src low */
        x64_xmm_st(dc, s->reg, half, x64_xmm_ld(dc, s->rm, half ^ 1));
        return X64_OK;
    }
    x64_xmm_st(dc, s->reg, half, x64_ld(dc, x64_sse_addr(dc, s, 1), 8));
    return X64_OK;
}

/* MOVD/MOVQ xmm, r/m32/64 (66 0F 6E) and r/m32/64, xmm (66 0F 7E) */
static enum x64_status x64_sse_movd(struct x64_dc *dc, bool to_xmm, const struct x64_sse *s)
{
    if (to_xmm) {
        ir_ref v = x64_read(dc, &dc->x->operands[1], NULL);
        x64_xmm_st(dc, s->reg, 0, v);
        x64_xmm_st(dc, s->reg, 1, x64_c64(dc, 0));
    } else {
        ir_ref v = x64_xmm_ld(dc, s->reg, 0);
        x64_write(dc, &dc->x->operands[0], IR_NONE, x64_trunc_size(dc, v, s->rexw ? 8 : 4));
    }
    return X64_OK;
}

/* MOVQ xmm, xmm/m64 (F3 0F 7E); MOVQ xmm/m64, xmm (66 0F D6): the high
 * half of a register destination is zeroed */
static enum x64_status x64_sse_movq(struct x64_dc *dc, const struct x64_sse *s, bool store)
{
    if (store && s->mem) {
        x64_st(dc, x64_sse_addr(dc, s, 1), 8, x64_xmm_ld(dc, s->reg, 0));
        return X64_OK;
    }
    unsigned d = store ? s->rm : s->reg;
    ir_ref v = store ? x64_xmm_ld(dc, s->reg, 0) : x64_sse_rm_low(dc, s, 8);
    x64_xmm_st(dc, d, 0, v);
    x64_xmm_st(dc, d, 1, x64_c64(dc, 0));
    return X64_OK;
}

/* Bitwise ops and 64-bit-lane ops: xmm = xmm op xmm/m128 (aligned) */
enum x64_sse_lane_op {
    X64_SSE_AND, X64_SSE_ANDN, X64_SSE_OR, X64_SSE_XOR, X64_SSE_ADDQ, X64_SSE_SUBQ,
    X64_SSE_UNPCKLQ, X64_SSE_UNPCKHQ,
};
static enum x64_status x64_sse_lanes(struct x64_dc *dc, const struct x64_sse *s,
                                     enum x64_sse_lane_op op)
{
    struct ir_func *f = dc->f;
    ir_ref slo, shi;
    if (!s->mem && s->rm == s->reg && (op == X64_SSE_XOR || op == X64_SSE_ANDN ||
                                       op == X64_SSE_SUBQ)) {
        /* the zeroing idioms: no dependency on the old value */
        x64_xmm_st(dc, s->reg, 0, x64_c64(dc, 0));
        x64_xmm_st(dc, s->reg, 1, x64_c64(dc, 0));
        return X64_OK;
    }
    x64_sse_rm128(dc, s, 16, &slo, &shi);
    ir_ref d[2] = {x64_xmm_ld(dc, s->reg, 0), x64_xmm_ld(dc, s->reg, 1)};
    ir_ref src[2] = {slo, shi};
    ir_ref r[2];
    if (op == X64_SSE_UNPCKLQ || op == X64_SSE_UNPCKHQ) {
        unsigned h = op == X64_SSE_UNPCKHQ;
        r[0] = d[h];
        r[1] = src[h];
    } else {
        static const enum ir_op ops[] = {IR_OP_and, IR_OP_andc, IR_OP_or, IR_OP_xor, IR_OP_add,
                                         IR_OP_sub};
        for (unsigned h = 0; h < 2; h++) {
            r[h] = x64_t64(dc);
            if (op == X64_SSE_ANDN) /* ~dst & src */
                ir_emit_1_2(f, IR_OP_andc, r[h], src[h], d[h]);
            else
                ir_emit_1_2(f, ops[op], r[h], d[h], src[h]);
        }
    }
    x64_xmm_st(dc, s->reg, 0, r[0]);
    x64_xmm_st(dc, s->reg, 1, r[1]);
    return X64_OK;
}

/* SHUFPD xmm, xmm/m128, imm8 */
static enum x64_status x64_sse_shufpd(struct x64_dc *dc, const struct x64_sse *s)
{
    ir_ref slo, shi;
    x64_sse_rm128(dc, s, 16, &slo, &shi);
    ir_ref lo = x64_xmm_ld(dc, s->reg, s->imm & 1);
    ir_ref hi = (s->imm & 2) ? shi : slo;
    x64_xmm_st(dc, s->reg, 0, lo);
    x64_xmm_st(dc, s->reg, 1, hi);
    return X64_OK;
}

/* MOVMSKPD r32/64, xmm */
static enum x64_status x64_sse_movmskpd(struct x64_dc *dc, const struct x64_sse *s)
{
    if (s->mem)
        return X64_UNDEF;
    struct ir_func *f = dc->f;
    ir_ref v = x64_t64(dc), h = x64_t64(dc);
    ir_emit_1_2(f, IR_OP_shr, v, x64_xmm_ld(dc, s->rm, 0), x64_c64(dc, 63));
    ir_emit_1_2(f, IR_OP_shr, h, x64_xmm_ld(dc, s->rm, 1), x64_c64(dc, 63));
    ir_deposit(f, v, v, h, 1, 1);
    x64_set_gpr(dc, s->reg, 8, v);
    return X64_OK;
}

/* PSRLQ/PSLLQ xmm, imm8 (66 0F 73 /2 /6) and PSRLDQ/PSLLDQ (/3 /7) */
static enum x64_status x64_sse_shift_imm_q(struct x64_dc *dc, const struct x64_sse *s)
{
    struct ir_func *f = dc->f;
    if (s->mem)
        return X64_UNDEF;
    unsigned n = s->rm, cnt = s->imm;
    ir_ref lo = x64_xmm_ld(dc, n, 0), hi = x64_xmm_ld(dc, n, 1);
    ir_ref rlo = x64_t64(dc), rhi = x64_t64(dc);
    if (s->sub == 2 || s->sub == 6) { /* per 64-bit lane */
        if (cnt > 63) {
            ir_movi(f, rlo, 0);
            ir_movi(f, rhi, 0);
        } else {
            enum ir_op op = s->sub == 2 ? IR_OP_shr : IR_OP_shl;
            ir_emit_1_2(f, op, rlo, lo, x64_c64(dc, cnt));
            ir_emit_1_2(f, op, rhi, hi, x64_c64(dc, cnt));
        }
    } else if (s->sub == 3 || s->sub == 7) { /* whole register, by bytes */
        unsigned bits = cnt > 16 ? 128 : 8 * cnt;
        bool left = s->sub == 7;
        if (bits == 0) {
            ir_mov(f, rlo, lo);
            ir_mov(f, rhi, hi);
        } else if (bits >= 128) {
            ir_movi(f, rlo, 0);
            ir_movi(f, rhi, 0);
        } else if (bits >= 64) {
            ir_emit_1_2(f, left ? IR_OP_shl : IR_OP_shr, left ? rhi : rlo, left ? lo : hi,
                        x64_c64(dc, bits - 64));
            ir_movi(f, left ? rlo : rhi, 0);
        } else if (left) {
            ir_ref t = x64_t64(dc);
            ir_emit_1_2(f, IR_OP_shl, rhi, hi, x64_c64(dc, bits));
            ir_emit_1_2(f, IR_OP_shr, t, lo, x64_c64(dc, 64 - bits));
            ir_emit_1_2(f, IR_OP_or, rhi, rhi, t);
            ir_emit_1_2(f, IR_OP_shl, rlo, lo, x64_c64(dc, bits));
        } else {
            ir_ref t = x64_t64(dc);
            ir_emit_1_2(f, IR_OP_shr, rlo, lo, x64_c64(dc, bits));
            ir_emit_1_2(f, IR_OP_shl, t, hi, x64_c64(dc, 64 - bits));
            ir_emit_1_2(f, IR_OP_or, rlo, rlo, t);
            ir_emit_1_2(f, IR_OP_shr, rhi, hi, x64_c64(dc, bits));
        }
    } else {
        return X64_NEXT;
    }
    x64_xmm_st(dc, n, 0, rlo);
    x64_xmm_st(dc, n, 1, rhi);
    return X64_OK;
}

/* PEXTRW r32, xmm, imm8 (66 0F C5) */
static enum x64_status x64_sse_pextrw(struct x64_dc *dc, const struct x64_sse *s)
{
    if (s->mem)
        return X64_UNDEF;
    ir_ref v = x64_t64(dc);
    ir_ld_state(dc->f, v, x64_xmm_off(s->rm, 0) + 2u * (s->imm & 7), IR_MO_16);
    x64_set_gpr(dc, s->reg, 8, v);
    return X64_OK;
}

/* PINSRW xmm, r32/m16, imm8 (66 0F C4) */
static enum x64_status x64_sse_pinsrw(struct x64_dc *dc, const struct x64_sse *s)
{
    ir_ref v = s->mem ? x64_ld(dc, x64_sse_addr(dc, s, 1), 2) : x64_get_gpr(dc, s->rm, 2);
    ir_st_state(dc->f, v, x64_xmm_off(s->reg, 0) + 2u * (s->imm & 7), IR_MO_16);
    return X64_OK;
}

/* LDMXCSR m32: #GP on reserved bits */
static void x64_sse_set_mxcsr(struct x64_dc *dc, ir_ref v)
{
    ir_ref bad = x64_t64(dc);
    uint32_t ok = ir_new_label(dc->f);
    ir_emit_1_2(dc->f, IR_OP_and, bad, v, x64_c64(dc, ~(uint64_t)X64_MXCSR_MASK));
    ir_brcond(dc->f, IR_COND_eq, bad, x64_c64(dc, 0), ok);
    x64_raise(dc, X64_EXC_GP);
    ir_set_label(dc->f, ok);
    ir_st_state(dc->f, v, offsetof(struct x64_cpu, mxcsr), IR_MO_32);
}

/* The x87 status word as FNSTSW stores it: fpu_sw with TOP from fpu_top. */
static ir_ref x64_fpu_sw(struct x64_dc *dc)
{
    struct ir_func *f = dc->f;
    ir_ref sw = x64_t64(dc), top = x64_t64(dc);
    ir_ld_state(f, sw, offsetof(struct x64_cpu, fpu_sw), IR_MO_16);
    ir_ld_state(f, top, offsetof(struct x64_cpu, fpu_top), IR_MO_32);
    ir_deposit(f, sw, sw, top, 11, 3);
    return sw;
}

/* FXSAVE m512 / FXRSTOR m512 (64-bit format; the x87 part is the control
 * and status words: empty stack, zero pointers) */
static enum x64_status x64_sse_fxsave(struct x64_dc *dc, const struct x64_sse *s, bool restore)
{
    struct ir_func *f = dc->f;
    ir_ref a = x64_sse_addr(dc, s, 16);
    ir_ref p[416 / 8];
    for (unsigned i = 0; i < 416 / 8; i++) {
        p[i] = x64_t64(dc);
        ir_emit_1_2(f, IR_OP_add, p[i], a, x64_c64(dc, 8 * i));
    }
    if (restore) {
        x64_sse_set_mxcsr(dc, x64_ld(dc, p[3], 4));
        ir_ref cw = x64_ld(dc, a, 2), sw = x64_ld(dc, p[0], 4), top = x64_t64(dc);
        ir_emit_1_2(f, IR_OP_shr, sw, sw, x64_c64(dc, 16));
        ir_extract(f, top, sw, 11, 3);
        ir_st_state(f, cw, offsetof(struct x64_cpu, fpu_cw), IR_MO_16);
        ir_st_state(f, sw, offsetof(struct x64_cpu, fpu_sw), IR_MO_16);
        ir_st_state(f, top, offsetof(struct x64_cpu, fpu_top), IR_MO_32);
        for (unsigned i = 0; i < 32; i++)
            ir_st_state(f, x64_ld(dc, p[20 + i], 8), x64_xmm_off(i / 2, i % 2), IR_MO_64);
        return X64_OK;
    }
    ir_ref cw = x64_t64(dc), m = x64_t64(dc);
    ir_ld_state(f, cw, offsetof(struct x64_cpu, fpu_cw), IR_MO_16);
    ir_deposit(f, cw, cw, x64_fpu_sw(dc), 16, 16);
    x64_st(dc, p[0], 8, cw); /* FCW, FSW, abridged FTW 0 (empty), FOP 0 */
    x64_st(dc, p[1], 8, x64_c64(dc, 0)); /* FIP */
    x64_st(dc, p[2], 8, x64_c64(dc, 0)); /* FDP */
    ir_ld_state(f, m, offsetof(struct x64_cpu, mxcsr), IR_MO_32);
    ir_emit_1_2(f, IR_OP_or, m, m, x64_c64(dc, (uint64_t)X64_MXCSR_MASK << 32));
    x64_st(dc, p[3], 8, m); /* MXCSR, MXCSR_MASK */
    for (unsigned i = 4; i < 20; i++)
        x64_st(dc, p[i], 8, x64_c64(dc, 0)); /* ST0..ST7 */
    for (unsigned i = 0; i < 32; i++)
        x64_st(dc, p[20 + i], 8, x64_xmm_ld(dc, i / 2, i % 2));
    return X64_OK;
}

/* 0F AE with a memory operand: FXSAVE FXRSTOR LDMXCSR STMXCSR */
static enum x64_status x64_sse_grp15(struct x64_dc *dc, const struct x64_sse *s)
{
    if (!s->mem || s->pfx)
        return X64_NEXT; /* fences (x64_misc.c) and others */
    switch (s->sub) {
    case 0: return x64_sse_fxsave(dc, s, false);
    case 1: return x64_sse_fxsave(dc, s, true);
    case 2: x64_sse_set_mxcsr(dc, x64_ld(dc, x64_sse_addr(dc, s, 1), 4)); return X64_OK;
    case 3: {
        ir_ref m = x64_t64(dc);
        ir_ld_state(dc->f, m, offsetof(struct x64_cpu, mxcsr), IR_MO_32);
        x64_st(dc, x64_sse_addr(dc, s, 1), 4, m);
        return X64_OK;
    }
    default: return X64_NEXT;
    }
}

/* The x87 control and environment instructions (no x87 arithmetic: the
 * register stack stays empty in user mode): FNSTCW/FLDCW, FNSTSW, FNCLEX,
 * FNINIT, FWAIT, FNSTENV/FLDENV (32-bit layout, 28 bytes: FCW, FSW, FTW
 * = all empty, zero pointers; FNSTENV then masks all exceptions, as the
 * hardware does). */
enum x64_status x64_sse_tr_x87(struct x64_dc *dc)
{
    struct ir_func *f = dc->f;
    const cs_x86_op *m = &dc->x->operands[0];
    const uint32_t cw_off = offsetof(struct x64_cpu, fpu_cw), sw_off = offsetof(struct x64_cpu, fpu_sw);
    switch (dc->ci->id) {
    case X86_INS_FNSTCW: {
        ir_ref cw = x64_t64(dc);
        ir_ld_state(f, cw, cw_off, IR_MO_16);
        x64_st(dc, x64_addr(dc, m), 2, cw);
        return X64_OK;
    }
    case X86_INS_FLDCW:
        ir_st_state(f, x64_ld(dc, x64_addr(dc, m), 2), cw_off, IR_MO_16);
        return X64_OK;
    case X86_INS_FNSTSW:
        if (dc->x->op_count && m->type == X86_OP_REG)
            x64_set_gpr(dc, X64_RAX, 2, x64_fpu_sw(dc));
        else if (dc->x->op_count && m->type == X86_OP_MEM)
            x64_st(dc, x64_addr(dc, m), 2, x64_fpu_sw(dc));
        else
            return X64_UNDEF;
        return X64_OK;
    case X86_INS_FNCLEX: {
        ir_ref sw = x64_t64(dc);
        ir_ld_state(f, sw, sw_off, IR_MO_16);
        ir_emit_1_2(f, IR_OP_and, sw, sw, x64_c64(dc, 0x7f00));
        ir_st_state(f, sw, sw_off, IR_MO_16);
        return X64_OK;
    }
    case X86_INS_FNINIT:
        ir_st_state(f, x64_c32(dc, X64_FPU_CW_DEFAULT), cw_off, IR_MO_16);
        ir_st_state(f, x64_c32(dc, 0), sw_off, IR_MO_16);
        ir_st_state(f, x64_c32(dc, 0), offsetof(struct x64_cpu, fpu_top), IR_MO_32);
        ir_st_state(f, x64_c32(dc, 0), offsetof(struct x64_cpu, fpu_tags), IR_MO_32);
        return X64_OK;
    case X86_INS_WAIT: return X64_OK;
    case X86_INS_FNSTENV: {
        ir_ref a = x64_addr(dc, m), p = x64_t64(dc), cw = x64_t64(dc);
        ir_ld_state(f, cw, cw_off, IR_MO_16);
        ir_ref sw = x64_fpu_sw(dc);
        static const uint32_t rest[4] = {0, 0, 0, 0xffff0000u}; /* FIP, FCS/FOP, FDP, FDS */
        ir_ref w[3] = {cw, sw, x64_c64(dc, 0xffff)};
        for (unsigned i = 0; i < 7; i++) {
            ir_ref v = i < 3 ? w[i] : x64_c64(dc, rest[i - 3]);
            if (i < 3) {
                ir_ref t = x64_t64(dc);
                ir_emit_1_2(f, IR_OP_or, t, v, x64_c64(dc, 0xffff0000u));
                v = t;
            }
            ir_emit_1_2(f, IR_OP_add, p, a, x64_c64(dc, 4 * i));
            x64_st(dc, p, 4, v);
        }
        ir_emit_1_2(f, IR_OP_or, cw, cw, x64_c64(dc, 0x3f));
        ir_st_state(f, cw, cw_off, IR_MO_16);
        return X64_OK;
    }
    case X86_INS_FLDENV: {
        ir_ref a = x64_addr(dc, m), p = x64_t64(dc);
        ir_ref cw = x64_ld(dc, a, 2);
        ir_emit_1_2(f, IR_OP_add, p, a, x64_c64(dc, 4));
        ir_ref sw = x64_ld(dc, p, 2), top = x64_t64(dc);
        ir_st_state(f, cw, cw_off, IR_MO_16);
        ir_extract(f, top, sw, 11, 3);
        ir_st_state(f, sw, sw_off, IR_MO_16);
        ir_st_state(f, top, offsetof(struct x64_cpu, fpu_top), IR_MO_32);
        return X64_OK;
    }
    default: return X64_NEXT;
    }
}

enum x64_status x64_sse_tr_move(struct x64_dc *dc, const struct x64_sse *s)
{
    bool p66 = s->pfx == 0x66, none = s->pfx == 0;
    switch (s->opc) {
    case 0x10:
    case 0x11:
        if (none || p66)
            return x64_sse_mov128(dc, s, s->opc == 0x11, 1);
        return x64_sse_movs(dc, s, s->pfx == 0xf3 ? 4 : 8, s->opc == 0x11);
    case 0x12:
    case 0x16:
        if (none || p66)
            return x64_sse_movlh(dc, s, s->opc == 0x16, false);
        return X64_NEXT; /* MOVSLDUP/MOVDDUP/MOVSHDUP (SSE3) */
    case 0x13:
    case 0x17:
        if (none || p66)
            return x64_sse_movlh(dc, s, s->opc == 0x17, true);
        return X64_NEXT;
    case 0x14:
    case 0x15:
        if (p66)
            return x64_sse_lanes(dc, s, s->opc == 0x14 ? X64_SSE_UNPCKLQ : X64_SSE_UNPCKHQ);
        return X64_NEXT;
    case 0x18: return s->mem ? X64_OK : X64_NEXT; /* PREFETCHh (reg forms: hint NOPs) */
    case 0x0d: return s->mem ? X64_OK : X64_NEXT; /* PREFETCHW */
    case 0x28:
    case 0x29:
        if (none || p66)
            return x64_sse_mov128(dc, s, s->opc == 0x29, 16);
        return X64_NEXT;
    case 0x2b:
        if (none || p66)
            return x64_sse_mov128(dc, s, true, 16);
        return X64_NEXT;
    case 0x50: return p66 ? x64_sse_movmskpd(dc, s) : X64_NEXT;
    case 0x54:
    case 0x55:
    case 0x56:
    case 0x57:
        if (none || p66) {
            static const enum x64_sse_lane_op ops[] = {X64_SSE_AND, X64_SSE_ANDN, X64_SSE_OR,
                                                       X64_SSE_XOR};
            return x64_sse_lanes(dc, s, ops[s->opc - 0x54]);
        }
        return X64_NEXT;
    case 0x6c: return p66 ? x64_sse_lanes(dc, s, X64_SSE_UNPCKLQ) : X64_NEXT;
    case 0x6d: return p66 ? x64_sse_lanes(dc, s, X64_SSE_UNPCKHQ) : X64_NEXT;
    case 0x6e: return p66 ? x64_sse_movd(dc, true, s) : X64_NEXT;
    case 0x7e:
        if (p66)
            return x64_sse_movd(dc, false, s);
        return s->pfx == 0xf3 ? x64_sse_movq(dc, s, false) : X64_NEXT;
    case 0xd6: return p66 ? x64_sse_movq(dc, s, true) : X64_NEXT;
    case 0x6f:
    case 0x7f:
        if (p66 || s->pfx == 0xf3)
            return x64_sse_mov128(dc, s, s->opc == 0x7f, p66 ? 16 : 1);
        return X64_NEXT;
    case 0xe7: return p66 ? x64_sse_mov128(dc, s, true, 16) : X64_NEXT;
    case 0x73: return p66 ? x64_sse_shift_imm_q(dc, s) : X64_NEXT;
    case 0xae: return x64_sse_grp15(dc, s);
    case 0xc3:
        if (!none || !s->mem)
            return none ? X64_UNDEF : X64_NEXT;
        x64_write(dc, &dc->x->operands[0], IR_NONE, x64_read(dc, &dc->x->operands[1], NULL));
        return X64_OK;
    case 0xc4: return p66 ? x64_sse_pinsrw(dc, s) : X64_NEXT;
    case 0xc5: return p66 ? x64_sse_pextrw(dc, s) : X64_NEXT;
    case 0xc6: return p66 ? x64_sse_shufpd(dc, s) : X64_NEXT;
    case 0xd4: return p66 ? x64_sse_lanes(dc, s, X64_SSE_ADDQ) : X64_NEXT;
    case 0xfb: return p66 ? x64_sse_lanes(dc, s, X64_SSE_SUBQ) : X64_NEXT;
    case 0xdb: return p66 ? x64_sse_lanes(dc, s, X64_SSE_AND) : X64_NEXT;
    case 0xdf: return p66 ? x64_sse_lanes(dc, s, X64_SSE_ANDN) : X64_NEXT;
    case 0xeb: return p66 ? x64_sse_lanes(dc, s, X64_SSE_OR) : X64_NEXT;
    case 0xef: return p66 ? x64_sse_lanes(dc, s, X64_SSE_XOR) : X64_NEXT;
    default: return X64_NEXT;
    }
}
