/* Multiply and divide translators: MUL, IMUL (one, two and three operands)
 * inline; DIV and IDIV through a helper that divides RDX:RAX (128/64 bits
 * and the smaller forms) and reports #DE on a zero divisor or a quotient
 * that does not fit, which the block turns into IR_EXIT_exception. */
#include "frontend/x86_64/x64.h"

/* Sign-extend the low `size` bytes. */
static int64_t x64_sx(uint64_t v, unsigned size)
{
    unsigned sh = 64 - 8 * size;
    return (int64_t)(v << sh) >> sh;
}

/* Returns 0, or 1 for #DE (nothing written then).  kind = size | 16 if signed. */
static uint32_t x64_helper_div(void *env, uint64_t divisor, uint32_t kind)
{
    struct x64_cpu *cpu = env;
    unsigned size = kind & 15;
    bool sign = kind & 16;
    uint64_t m = x64_mask(size);
    uint64_t rax = cpu->regs[X64_RAX], rdx = cpu->regs[X64_RDX];
    divisor &= m;
    if (divisor == 0)
        return 1;
    /* the dividend: AX for 8-bit, DX:AX, EDX:EAX, RDX:RAX */
    unsigned __int128 dividend;
    if (size == 1)
        dividend = rax & 0xffff;
    else
        dividend = ((unsigned __int128)(rdx & m) << (8 * size)) | (rax & m);
    uint64_t q, r;
    if (!sign) {
        unsigned __int128 uq = dividend / divisor;
        if (uq > m)
            return 1;
        q = (uint64_t)uq;
        r = (uint64_t)(dividend % divisor);
    } else {
        unsigned bits = 16 * size;
        __int128 sd;
        if (bits == 128) {
            sd = (__int128)dividend;
        } else {
            unsigned sh = 128 - bits;
            sd = (__int128)(dividend << sh) >> sh;
        }
        __int128 sv = x64_sx(divisor, size);
        /* the only overflowing 128-bit case that C cannot divide */
        if (bits == 128 && sv == -1 && sd == (__int128)((unsigned __int128)1 << 127))
            return 1;
        __int128 sq = sd / sv, sr = sd % sv;
        __int128 lo = -((__int128)1 << (8 * size - 1)), hi = ((__int128)1 << (8 * size - 1)) - 1;
        if (sq < lo || sq > hi)
            return 1;
        q = (uint64_t)sq & m;
        r = (uint64_t)sr & m;
    }
    switch (size) {
    case 1: cpu->regs[X64_RAX] = (rax & ~0xffffull) | (r << 8) | q; break;
    case 2:
        cpu->regs[X64_RAX] = (rax & ~0xffffull) | q;
        cpu->regs[X64_RDX] = (rdx & ~0xffffull) | r;
        break;
    case 4:
        cpu->regs[X64_RAX] = q;
        cpu->regs[X64_RDX] = r;
        break;
    default:
        cpu->regs[X64_RAX] = q;
        cpu->regs[X64_RDX] = r;
        break;
    }
    return 0;
}

static const struct ir_helper x64_div_helper = {
    .name = "x64_div",
    .fn = (void *)x64_helper_div,
    .ret = IR_I32,
    .nargs = 2,
    .args = {IR_I64, IR_I32},
    .flags = IR_HF_ENV | IR_HF_READS_GLOBALS | IR_HF_WRITES_GLOBALS | IR_HF_SIDE,
};

int x64_muldiv_register_helpers(void) { return ir_helper_register(&x64_div_helper) < 0 ? -1 : 0; }

/* DIV r/m; IDIV r/m */
static enum x64_status x64_tr_div(struct x64_dc *dc, bool sign)
{
    const cs_x86_op *s = &dc->x->operands[0];
    ir_ref v = x64_read(dc, s, NULL);
    int id = x64_helper(dc, &x64_div_helper);
    if (id < 0)
        return X64_UNIMP;
    ir_ref r = x64_t32(dc);
    ir_call(dc->f, id, r, (ir_ref[]){v, x64_c32(dc, s->size | (sign ? 16u : 0u))});
    uint32_t ok = ir_new_label(dc->f);
    ir_brcond(dc->f, IR_COND_eq, r, x64_c32(dc, 0), ok);
    x64_raise(dc, X64_EXC_DE);
    ir_set_label(dc->f, ok);
    return X64_OK;
}

/* Flags of a multiply: CF = OF = ovf (i32); SF ZF PF from the low part
 * (architecturally undefined), AF = 0 (undefined). */
static void x64_mul_flags(struct x64_dc *dc, unsigned size, ir_ref lo, ir_ref ovf)
{
    if (dc->cc_lazy_ok) {
        ir_ref o = x64_t64(dc);
        ir_emit_1_1(dc->f, IR_OP_zext, o, ovf);
        x64_flags_lazy(dc, X64_CC_MUL, size, o, IR_NONE, lo);
        return;
    }
    x64_set_flag(dc, X64_CF, ovf);
    x64_set_flag(dc, X64_OF, ovf);
    x64_set_flag_c(dc, X64_AF, 0);
    x64_set_szp(dc, size, lo);
}

/* MUL r/m; IMUL r/m: RDX:RAX (AX for bytes) = accumulator * r/m */
static enum x64_status x64_tr_mul1(struct x64_dc *dc, bool sign)
{
    struct ir_func *f = dc->f;
    const cs_x86_op *s = &dc->x->operands[0];
    unsigned size = s->size, w = 8 * size;
    ir_ref b = x64_read(dc, s, NULL);
    ir_ref a = x64_get_gpr(dc, X64_RAX, size);
    ir_ref lo = x64_t64(dc), hi = x64_t64(dc), ovf = x64_t32(dc);
    if (size == 8) {
        ir_ref ac = x64_t64(dc);
        ir_mov(f, ac, a);
        ir_emit_1_2(f, IR_OP_mul, lo, ac, b);
        ir_emit_1_2(f, sign ? IR_OP_mulsh : IR_OP_muluh, hi, ac, b);
        if (sign) {
            ir_ref sx = x64_t64(dc);
            ir_emit_1_2(f, IR_OP_sar, sx, lo, x64_c64(dc, 63));
            x64_setcond32(dc, IR_COND_ne, ovf, hi, sx);
        } else {
            x64_setcond32(dc, IR_COND_ne, ovf, hi, x64_c64(dc, 0));
        }
    } else {
        ir_ref p = x64_t64(dc);
        if (sign)
            ir_emit_1_2(f, IR_OP_mul, p, x64_sext(dc, a, size), x64_sext(dc, b, size));
        else
            ir_emit_1_2(f, IR_OP_mul, p, a, b);
        ir_extract(f, lo, p, 0, w);
        ir_extract(f, hi, p, w, w);
        if (sign)
            x64_setcond32(dc, IR_COND_ne, ovf, p, x64_sext(dc, lo, size));
        else
            x64_setcond32(dc, IR_COND_ne, ovf, hi, x64_c64(dc, 0));
    }
    if (size == 1) {
        ir_ref ax = x64_t64(dc);
        ir_deposit(f, ax, lo, hi, 8, 8);
        x64_set_gpr(dc, X64_RAX, 2, ax);
    } else {
        x64_set_gpr(dc, X64_RAX, size, lo);
        x64_set_gpr(dc, X64_RDX, size, hi);
    }
    x64_mul_flags(dc, size, lo, ovf);
    return X64_OK;
}

/* IMUL r, r/m; IMUL r, r/m, imm */
static enum x64_status x64_tr_imul2(struct x64_dc *dc)
{
    struct ir_func *f = dc->f;
    const cs_x86_op *d = &dc->x->operands[0];
    unsigned size = d->size;
    ir_ref a, b;
    if (dc->x->op_count == 3) {
        a = x64_read(dc, &dc->x->operands[1], NULL);
        b = x64_c64(dc, (uint64_t)dc->x->operands[2].imm & x64_mask(size));
    } else {
        a = x64_read(dc, d, NULL);
        b = x64_read(dc, &dc->x->operands[1], NULL);
    }
    ir_ref lo = x64_t64(dc), ovf = x64_t32(dc);
    if (size == 8) {
        ir_ref hi = x64_t64(dc), sx = x64_t64(dc), ac = x64_t64(dc);
        ir_mov(f, ac, a);
        ir_emit_1_2(f, IR_OP_mul, lo, ac, b);
        ir_emit_1_2(f, IR_OP_mulsh, hi, ac, b);
        ir_emit_1_2(f, IR_OP_sar, sx, lo, x64_c64(dc, 63));
        x64_setcond32(dc, IR_COND_ne, ovf, hi, sx);
    } else {
        ir_ref p = x64_t64(dc);
        ir_emit_1_2(f, IR_OP_mul, p, x64_sext(dc, a, size), x64_sext(dc, b, size));
        ir_extract(f, lo, p, 0, 8 * size);
        x64_setcond32(dc, IR_COND_ne, ovf, p, x64_sext(dc, lo, size));
    }
    x64_write(dc, d, IR_NONE, lo);
    x64_mul_flags(dc, size, lo, ovf);
    return X64_OK;
}

enum x64_status x64_tr_muldiv(struct x64_dc *dc)
{
    switch (dc->ci->id) {
    case X86_INS_MUL: return x64_tr_mul1(dc, false);
    case X86_INS_IMUL: return dc->x->op_count == 1 ? x64_tr_mul1(dc, true) : x64_tr_imul2(dc);
    case X86_INS_DIV: return x64_tr_div(dc, false);
    case X86_INS_IDIV: return x64_tr_div(dc, true);
    default: return X64_NEXT;
    }
}
