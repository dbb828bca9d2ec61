/* x86-64 JIT: per-op lowering, the top layer of the emitter.
 * Pipeline: x86_jit.c walks the ir_func -> x86_lower_insn (here) asks the
 * allocator (x86_regalloc.c) for operand registers and calls the encoders of
 * x86_emit.h.  No raw bytes here.  i32 values are kept zero-extended in
 * 64-bit registers: every i32 result comes from a 32-bit operation. */
#include "../../ir/sem.h"
#include "x86_jit.h"

static const uint8_t cond_cc[IR_COND_COUNT] = {
    [IR_COND_eq] = X86_CC_E,  [IR_COND_ne] = X86_CC_NE,  [IR_COND_lt] = X86_CC_L,
    [IR_COND_ge] = X86_CC_GE, [IR_COND_le] = X86_CC_LE,  [IR_COND_gt] = X86_CC_G,
    [IR_COND_ltu] = X86_CC_B, [IR_COND_geu] = X86_CC_AE, [IR_COND_leu] = X86_CC_BE,
    [IR_COND_gtu] = X86_CC_A,
};

#define ALL X86_REGS_ALL

static bool is64(const struct ir_insn *in) { return in->type == IR_I64; }
static unsigned width(const struct ir_insn *in) { return is64(in) ? 64 : 32; }
static uint64_t const_val(const struct x86_ctx *c, ir_ref v) { return c->f->vals[v].c; }

/* and r, k (k masked to the type), through a scratch register when k is no imm32. */
static void and_const(struct x86_ctx *c, bool w, int r, uint64_t k)
{
    if (!w || (int64_t)k == (int32_t)k) {
        x86_arith_ri(&c->b, X86_ARITH_AND, w, r, (int32_t)(uint32_t)k);
        return;
    }
    int t = x86_ra_scratch(c, X86_NO_REG, ALL);
    x86_mov_ri(&c->b, t, k);
    x86_arith_rr(&c->b, X86_ARITH_AND, w, r, t);
}

static void or_const(struct x86_ctx *c, bool w, int r, uint64_t k)
{
    if (!w || (int64_t)k == (int32_t)k) {
        x86_arith_ri(&c->b, X86_ARITH_OR, w, r, (int32_t)(uint32_t)k);
        return;
    }
    int t = x86_ra_scratch(c, X86_NO_REG, ALL);
    x86_mov_ri(&c->b, t, k);
    x86_arith_rr(&c->b, X86_ARITH_OR, w, r, t);
}

/* ---- moves and arithmetic ---------------------------------------------------- */

/* mov, zext, trunc.  w: 64-bit move; trunc: clear bits 32-63 even in place,
 * unless they are known to be clear (an i32 input of zext is already
 * zero-extended).  A trunc of a global that is in no register loads its low
 * half straight from the env field. */
static void lower_mov(struct x86_ctx *c, const struct ir_insn *in, bool w, bool trunc)
{
    ir_ref a = ir_in(in, 0);
    struct x86_mem m;
    if (ir_is_const(c->f, a)) {
        int r = x86_ra_out_reg(c, ALL);
        x86_mov_ri(&c->b, r, const_val(c, a) & (w ? ~0ull : 0xffffffffull));
        x86_ra_out(c, ir_out(in, 0), r);
        return;
    }
    if (trunc && x86_ra_in_env(c, a, &m)) {
        int r = x86_ra_out_reg(c, ALL);
        x86_load(&c->b, r, m, 4, false, false);
        x86_ra_out(c, ir_out(in, 0), r);
        return;
    }
    int ra = x86_ra_in(c, a, ALL);
    int r = x86_ra_out_reg(c, ALL);
    if (r != ra || (trunc && !x86_ra_known_zx(c, a)))
        x86_mov_rr(&c->b, w, r, ra);
    x86_ra_out(c, ir_out(in, 0), r);
    if (in->op == IR_OP_zext)
        x86_ra_mark_zx(c, ir_out(in, 0));
}

static void lower_sext(struct x86_ctx *c, const struct ir_insn *in)
{
    int ra = x86_ra_in(c, ir_in(in, 0), ALL);
    int r = x86_ra_out_reg(c, ALL);
    x86_op_rr(&c->b, X86_OP_MOVSXD_GvEd, r, ra);
    x86_ra_out(c, ir_out(in, 0), r);
}

/* add, sub, and, or, xor: r = copy of a; r op= b (register or imm32). */
static void lower_alu(struct x86_ctx *c, const struct ir_insn *in, enum x86_arith op, bool commutes)
{
    bool w = is64(in);
    ir_ref a = ir_in(in, 0), b = ir_in(in, 1);
    int32_t imm;
    if (commutes && ((ir_is_const(c->f, a) && !ir_is_const(c->f, b)) ||
                     (!x86_ra_in_place(c, a) && x86_ra_in_place(c, b)))) {
        ir_ref t = a; /* constant second, or the register we may clobber first */
        a = b;
        b = t;
    }
    int r;
    bool lea = (op == X86_ARITH_ADD || op == X86_ARITH_SUB) && !ir_is_const(c->f, a) &&
               !x86_ra_in_place(c, a);
    if (lea && x86_ra_imm(c, b, w, &imm) && imm != INT32_MIN) {
        /* three-operand add without copying a first: lea r, [a + imm] */
        int ra = x86_ra_in(c, a, ALL);
        r = x86_ra_out_reg(c, ALL);
        x86_op_rm(&c->b, X86_OP_LEA_GvM | x86_w(w), r,
                  x86_mem_bd(ra, op == X86_ARITH_SUB ? -imm : imm));
    } else if (lea && op == X86_ARITH_ADD && !ir_is_const(c->f, b)) {
        int rb = x86_ra_in(c, b, ALL);
        int ra = x86_ra_in(c, a, ALL);
        r = x86_ra_out_reg(c, ALL);
        x86_op_rm(&c->b, X86_OP_LEA_GvM | x86_w(w), r, x86_mem_bid(ra, rb, 0));
    } else if (x86_ra_imm(c, b, w, &imm)) {
        r = x86_ra_in_copy(c, a, X86_NO_REG, ALL);
        if (imm != 0 || op == X86_ARITH_AND)
            x86_arith_ri(&c->b, op, w, r, imm);
    } else {
        int rb = x86_ra_in(c, b, ALL);
        r = x86_ra_in_copy(c, a, X86_NO_REG, ALL);
        x86_arith_rr(&c->b, op, w, r, rb);
    }
    x86_ra_out(c, ir_out(in, 0), r);
}

static void lower_mul(struct x86_ctx *c, const struct ir_insn *in)
{
    bool w = is64(in);
    ir_ref a = ir_in(in, 0), b = ir_in(in, 1);
    int32_t imm;
    if (ir_is_const(c->f, a) && !ir_is_const(c->f, b)) {
        ir_ref t = a;
        a = b;
        b = t;
    }
    if (x86_ra_imm(c, b, w, &imm)) { /* imul r, a, imm: three operands */
        int ra = x86_ra_in(c, a, ALL);
        int r = x86_ra_out_reg(c, ALL);
        if (imm >= -128 && imm <= 127) {
            x86_op_rr(&c->b, X86_OP_IMUL_GvEvIb | x86_w(w), r, ra);
            x86_imm8(&c->b, imm);
        } else {
            x86_op_rr(&c->b, X86_OP_IMUL_GvEvIz | x86_w(w), r, ra);
            x86_imm32(&c->b, (uint32_t)imm);
        }
        x86_ra_out(c, ir_out(in, 0), r);
        return;
    }
    int rb = x86_ra_in(c, b, ALL);
    int r = x86_ra_in_copy(c, a, X86_NO_REG, ALL);
    x86_op_rr(&c->b, X86_OP_IMUL_GvEv | x86_w(w), r, rb);
    x86_ra_out(c, ir_out(in, 0), r);
}

/* mulsh, muluh: one-operand mul/imul, rdx:rax = rax * b; the high half is rdx. */
static void lower_mulh(struct x86_ctx *c, const struct ir_insn *in, enum x86_grp3 op)
{
    bool w = is64(in);
    int rdx = x86_ra_scratch(c, X86_rdx, 0);
    x86_ra_in_copy(c, ir_in(in, 0), X86_rax, 0);
    int rb = x86_ra_in(c, ir_in(in, 1), ALL & ~(X86_REG_BIT(X86_rax) | X86_REG_BIT(X86_rdx)));
    x86_grp3(&c->b, op, w, rb);
    x86_ra_out(c, ir_out(in, 0), rdx);
}

/* divs, divu, rems, remu: never trap.  x/0 = 0 and x%0 = x; signed MIN/-1 = MIN
 * (computed as -x for any x / -1) and x%-1 = 0.  Quotient in rax, remainder in rdx. */
static void lower_div(struct x86_ctx *c, const struct ir_insn *in, bool sign, bool rem)
{
    struct x86_buf *b = &c->b;
    bool w = is64(in);
    ir_ref vb = ir_in(in, 1);
    int rdx = x86_ra_scratch(c, X86_rdx, 0);
    int rax = x86_ra_in_copy(c, ir_in(in, 0), X86_rax, 0);
    int res = rem ? rdx : rax;
    uint16_t not_ax_dx = ALL & ~(X86_REG_BIT(X86_rax) | X86_REG_BIT(X86_rdx));

    if (ir_is_const(c->f, vb) && const_val(c, vb) == 0) {
        if (rem)
            x86_mov_rr(b, true, rdx, rax);
        else
            x86_mov_ri(b, rax, 0);
    } else if (ir_is_const(c->f, vb) && sign && const_val(c, vb) == ir_type_mask(in->type)) {
        if (rem)
            x86_mov_ri(b, rdx, 0);
        else
            x86_grp3(b, X86_GRP3_NEG, w, rax);
    } else if (ir_is_const(c->f, vb)) {
        int rb = x86_ra_in(c, vb, not_ax_dx);
        if (sign)
            x86_op_plain(b, X86_OP_CQO | x86_w(w));
        else
            x86_arith_rr(b, X86_ARITH_XOR, false, rdx, rdx);
        x86_grp3(b, sign ? X86_GRP3_IDIV : X86_GRP3_DIV, w, rb);
    } else {
        int rb = x86_ra_in(c, vb, not_ax_dx);
        x86_op_rr(b, X86_OP_TEST_EvGv | x86_w(w), rb, rb);
        uint32_t to_zero = x86_jcc8(b, X86_CC_E), to_m1 = 0;
        if (sign) {
            x86_arith_ri(b, X86_ARITH_CMP, w, rb, -1);
            to_m1 = x86_jcc8(b, X86_CC_E);
            x86_op_plain(b, X86_OP_CQO | x86_w(w));
        } else {
            x86_arith_rr(b, X86_ARITH_XOR, false, rdx, rdx);
        }
        x86_grp3(b, sign ? X86_GRP3_IDIV : X86_GRP3_DIV, w, rb);
        uint32_t done1 = x86_jmp8(b), done2 = 0;
        x86_link8(b, to_zero, b->pos); /* b == 0 */
        if (rem)
            x86_mov_rr(b, true, rdx, rax);
        else
            x86_mov_ri(b, rax, 0);
        if (sign) {
            done2 = x86_jmp8(b);
            x86_link8(b, to_m1, b->pos); /* b == -1 */
            if (rem)
                x86_mov_ri(b, rdx, 0);
            else
                x86_grp3(b, X86_GRP3_NEG, w, rax);
        }
        x86_link8(b, done1, b->pos);
        if (sign)
            x86_link8(b, done2, b->pos);
    }
    x86_ra_out(c, ir_out(in, 0), res);
}

/* neg, not */
static void lower_unary(struct x86_ctx *c, const struct ir_insn *in, enum x86_grp3 op)
{
    int r = x86_ra_in_copy(c, ir_in(in, 0), X86_NO_REG, ALL);
    x86_grp3(&c->b, op, is64(in), r);
    x86_ra_out(c, ir_out(in, 0), r);
}

/* andc: a & ~b */
static void lower_andc(struct x86_ctx *c, const struct ir_insn *in)
{
    bool w = is64(in);
    ir_ref a = ir_in(in, 0), b = ir_in(in, 1);
    int r;
    if (ir_is_const(c->f, b)) {
        r = x86_ra_in_copy(c, a, X86_NO_REG, ALL);
        and_const(c, w, r, ~const_val(c, b) & ir_type_mask(in->type));
    } else if (ir_is_const(c->f, a)) {
        r = x86_ra_in_copy(c, b, X86_NO_REG, ALL);
        x86_grp3(&c->b, X86_GRP3_NOT, w, r);
        and_const(c, w, r, const_val(c, a));
    } else {
        int ra = x86_ra_in(c, a, ALL);
        r = x86_ra_in_copy(c, b, X86_NO_REG, ALL);
        x86_grp3(&c->b, X86_GRP3_NOT, w, r);
        x86_arith_rr(&c->b, X86_ARITH_AND, w, r, ra);
    }
    x86_ra_out(c, ir_out(in, 0), r);
}

/* shl, shr, sar, rotl, rotr: the hardware masks the count to the operand
 * width, which is the IR's "count modulo width". */
static void lower_shift(struct x86_ctx *c, const struct ir_insn *in, enum x86_shift op)
{
    bool w = is64(in);
    ir_ref cnt = ir_in(in, 1);
    int r;
    if (ir_is_const(c->f, cnt)) {
        unsigned n = (unsigned)(const_val(c, cnt) & (width(in) - 1));
        r = x86_ra_in_copy(c, ir_in(in, 0), X86_NO_REG, ALL);
        if (n)
            x86_shift_ri(&c->b, op, w, r, n);
    } else {
        x86_ra_in_fixed(c, cnt, X86_rcx);
        r = x86_ra_in_copy(c, ir_in(in, 0), X86_NO_REG, ALL & ~X86_REG_BIT(X86_rcx));
        x86_shift_rcl(&c->b, op, w, r);
    }
    x86_ra_out(c, ir_out(in, 0), r);
}

/* ---- bit counting and byte order ------------------------------------------------ */

/* clz = (width-1) - bsr, ctz = bsf; bsr/bsf leave ZF set for a zero input,
 * which a cmov turns into `width` (for clz: 2*width-1, then xor width-1). */
static void lower_bitscan(struct x86_ctx *c, const struct ir_insn *in, bool clz)
{
    bool w = is64(in);
    unsigned wd = width(in);
    int ra = x86_ra_in(c, ir_in(in, 0), ALL);
    int s = x86_ra_scratch(c, X86_NO_REG, ALL);
    int r = x86_ra_out_reg(c, ALL);
    x86_mov_ri(&c->b, s, clz ? 2 * wd - 1 : wd);
    x86_op_rr(&c->b, (clz ? X86_OP_BSR_GvEv : X86_OP_BSF_GvEv) | x86_w(w), r, ra);
    x86_op_rr(&c->b, (X86_OP_CMOVCC_GvEv + X86_CC_E) | x86_w(w), r, s);
    if (clz)
        x86_arith_ri(&c->b, X86_ARITH_XOR, w, r, (int32_t)(wd - 1));
    x86_ra_out(c, ir_out(in, 0), r);
}

static void lower_popcnt(struct x86_ctx *c, const struct ir_insn *in)
{
    struct x86_buf *b = &c->b;
    bool w = is64(in);
    if (c->st->has_popcnt) {
        int ra = x86_ra_in(c, ir_in(in, 0), ALL);
        int r = x86_ra_out_reg(c, ALL);
        x86_op_rr(b, X86_OP_POPCNT_GvEv | x86_w(w), r, ra);
        x86_ra_out(c, ir_out(in, 0), r);
        return;
    }
    /* No POPCNT: the SWAR sum on 64 bits (an i32 is zero-extended, so it works too). */
    int x = x86_ra_in_copy(c, ir_in(in, 0), X86_NO_REG, ALL);
    int t = x86_ra_scratch(c, X86_NO_REG, ALL);
    int m = x86_ra_scratch(c, X86_NO_REG, ALL);
    x86_mov_rr(b, true, t, x); /* x -= (x >> 1) & 0x55.. */
    x86_shift_ri(b, X86_SHIFT_SHR, true, t, 1);
    x86_mov_ri(b, m, 0x5555555555555555ull);
    x86_arith_rr(b, X86_ARITH_AND, true, t, m);
    x86_arith_rr(b, X86_ARITH_SUB, true, x, t);
    x86_mov_rr(b, true, t, x); /* x = (x & 0x33..) + ((x >> 2) & 0x33..) */
    x86_shift_ri(b, X86_SHIFT_SHR, true, t, 2);
    x86_mov_ri(b, m, 0x3333333333333333ull);
    x86_arith_rr(b, X86_ARITH_AND, true, t, m);
    x86_arith_rr(b, X86_ARITH_AND, true, x, m);
    x86_arith_rr(b, X86_ARITH_ADD, true, x, t);
    x86_mov_rr(b, true, t, x); /* x = (x + (x >> 4)) & 0x0f.. */
    x86_shift_ri(b, X86_SHIFT_SHR, true, t, 4);
    x86_arith_rr(b, X86_ARITH_ADD, true, x, t);
    x86_mov_ri(b, m, 0x0f0f0f0f0f0f0f0full);
    x86_arith_rr(b, X86_ARITH_AND, true, x, m);
    x86_mov_ri(b, m, 0x0101010101010101ull); /* the byte sums add up in the top byte */
    x86_op_rr(b, X86_OP_IMUL_GvEv | X86_P_W, x, m);
    x86_shift_ri(b, X86_SHIFT_SHR, true, x, 56);
    x86_ra_out(c, ir_out(in, 0), x);
}

/* bswap of the low 2, 4 or 8 bytes, zero-extended. */
static void lower_bswap(struct x86_ctx *c, const struct ir_insn *in)
{
    int64_t n = in->carg[0];
    if (n != 2 && n != 4 && n != 8) {
        x86_fail(c, BACKEND_ERROR, "insn %u: bswap of %lld bytes", c->idx, (long long)n);
        return;
    }
    int r = x86_ra_in_copy(c, ir_in(in, 0), X86_NO_REG, ALL);
    x86_op_plus_r(&c->b, X86_OP_BSWAP_r | x86_w(n == 8), r);
    if (n == 2)
        x86_shift_ri(&c->b, X86_SHIFT_SHR, false, r, 16);
    else if (n == 8 && !is64(in))
        x86_mov_rr(&c->b, false, r, r);
    x86_ra_out(c, ir_out(in, 0), r);
}

/* ---- bit fields ----------------------------------------------------------------- */

static bool field_ok(struct x86_ctx *c, const struct ir_insn *in, unsigned *pos, unsigned *len)
{
    int64_t p = in->carg[0], l = in->carg[1];
    if (p < 0 || l <= 0 || p + l > (int64_t)width(in)) {
        x86_fail(c, BACKEND_ERROR, "insn %u: bad bit field pos %lld len %lld", c->idx, (long long)p,
                 (long long)l);
        return false;
    }
    *pos = (unsigned)p;
    *len = (unsigned)l;
    return true;
}

static void lower_extract(struct x86_ctx *c, const struct ir_insn *in, bool sign)
{
    struct x86_buf *b = &c->b;
    unsigned pos, len, wd = width(in);
    bool w = is64(in);
    if (!field_ok(c, in, &pos, &len))
        return;
    struct x86_mem m;
    if (pos == 0 && (len == 8 || len == 16 || len == 32) && x86_ra_in_env(c, ir_in(in, 0), &m)) {
        /* the low byte/half/word of a global straight from its env field */
        int r = x86_ra_out_reg(c, ALL);
        x86_load(b, r, m, len / 8, sign, w);
        x86_ra_out(c, ir_out(in, 0), r);
        if (!sign)
            x86_ra_mark_zx(c, ir_out(in, 0));
        return;
    }
    int r = x86_ra_in_copy(c, ir_in(in, 0), X86_NO_REG, ALL);
    if (len == wd) {
        /* the whole value */
    } else if (pos == 0 && (len == 8 || len == 16)) {
        uint32_t op = len == 8 ? (sign ? X86_OP_MOVSX_GvEb : X86_OP_MOVZX_GvEb)
                               : (sign ? X86_OP_MOVSX_GvEw : X86_OP_MOVZX_GvEw);
        x86_op_rr(b, op | (sign ? x86_w(w) : 0), r, r);
    } else if (pos == 0 && len == 32) {
        x86_op_rr(b, sign ? X86_OP_MOVSXD_GvEd : X86_OP_MOV_GvEv, r, r);
    } else if (!sign && pos + len == wd) {
        x86_shift_ri(b, X86_SHIFT_SHR, w, r, pos);
    } else if (!sign && pos == 0 && len < 32) {
        x86_arith_ri(b, X86_ARITH_AND, false, r, (int32_t)sem_field_mask(len));
    } else {
        if (pos + len < wd)
            x86_shift_ri(b, X86_SHIFT_SHL, w, r, wd - pos - len);
        x86_shift_ri(b, sign ? X86_SHIFT_SAR : X86_SHIFT_SHR, w, r, wd - len);
    }
    x86_ra_out(c, ir_out(in, 0), r);
    if (!sign && len <= 32)
        x86_ra_mark_zx(c, ir_out(in, 0));
}

/* deposit: (a & ~m) | ((b << pos) & m), m = field mask << pos */
static void lower_deposit(struct x86_ctx *c, const struct ir_insn *in)
{
    struct x86_buf *b = &c->b;
    unsigned pos, len, wd = width(in);
    bool w = is64(in);
    if (!field_ok(c, in, &pos, &len))
        return;
    uint64_t tmask = ir_type_mask(in->type), m = (sem_field_mask(len) << pos) & tmask;
    ir_ref va = ir_in(in, 0), vb = ir_in(in, 1);
    int r;
    if (len == wd) {
        r = x86_ra_in_copy(c, vb, X86_NO_REG, ALL);
    } else if (ir_is_const(c->f, vb)) {
        uint64_t k = (const_val(c, vb) << pos) & m;
        r = x86_ra_in_copy(c, va, X86_NO_REG, ALL);
        and_const(c, w, r, ~m & tmask);
        if (k)
            or_const(c, w, r, k);
    } else {
        int s = x86_ra_in_copy(c, vb, X86_NO_REG, ALL);
        r = x86_ra_in_copy(c, va, X86_NO_REG, ALL);
        if (pos + len == wd) {
            x86_shift_ri(b, X86_SHIFT_SHL, w, s, pos);
        } else if (len < 32) {
            x86_arith_ri(b, X86_ARITH_AND, false, s, (int32_t)sem_field_mask(len));
            if (pos)
                x86_shift_ri(b, X86_SHIFT_SHL, w, s, pos);
        } else {
            x86_shift_ri(b, X86_SHIFT_SHL, w, s, wd - len);
            x86_shift_ri(b, X86_SHIFT_SHR, w, s, wd - len - pos);
        }
        and_const(c, w, r, ~m & tmask);
        x86_arith_rr(b, X86_ARITH_OR, w, r, s);
    }
    x86_ra_out(c, ir_out(in, 0), r);
}

/* ---- comparisons and flag building blocks ----------------------------------------- */

struct x86_cmp {
    bool w, use_imm;
    int ra, rb;
    int32_t imm;
    enum ir_cond cond;
};

/* Load the operands of a comparison (constants as immediates where they fit). */
static void cmp_prepare(struct x86_ctx *c, bool w, ir_ref a, ir_ref b, enum ir_cond cond,
                        struct x86_cmp *k)
{
    if (ir_is_const(c->f, a) && !ir_is_const(c->f, b)) {
        ir_ref t = a;
        a = b;
        b = t;
        cond = ir_cond_swap(cond);
    }
    k->w = w;
    k->cond = cond;
    k->use_imm = x86_ra_imm(c, b, w, &k->imm);
    k->rb = k->use_imm ? X86_NO_REG : x86_ra_in(c, b, ALL);
    k->ra = x86_ra_in(c, a, ALL);
}

/* The operands of `cmp a, b` in that order (b as an immediate where it fits). */
static void cmp_prepare_ordered(struct x86_ctx *c, bool w, ir_ref a, ir_ref b, struct x86_cmp *k)
{
    k->w = w;
    k->cond = IR_COND_eq;
    k->use_imm = x86_ra_imm(c, b, w, &k->imm);
    k->rb = k->use_imm ? X86_NO_REG : x86_ra_in(c, b, ALL);
    k->ra = x86_ra_in(c, a, ALL);
}

/* cmp a, b (test a, a against 0: same flags for every condition); returns the cc. */
static enum x86_cc cmp_emit(struct x86_ctx *c, const struct x86_cmp *k)
{
    if (k->use_imm && k->imm == 0)
        x86_op_rr(&c->b, X86_OP_TEST_EvGv | x86_w(k->w), k->ra, k->ra);
    else if (k->use_imm)
        x86_arith_ri(&c->b, X86_ARITH_CMP, k->w, k->ra, k->imm);
    else
        x86_arith_rr(&c->b, X86_ARITH_CMP, k->w, k->ra, k->rb);
    return (enum x86_cc)cond_cc[k->cond];
}

static bool cond_ok(struct x86_ctx *c, int64_t cond)
{
    if (cond >= 0 && cond < IR_COND_COUNT)
        return true;
    x86_fail(c, BACKEND_ERROR, "insn %u: bad condition %lld", c->idx, (long long)cond);
    return false;
}

/* out = setcc, zero-extended */
static void set_bool(struct x86_ctx *c, int r, enum x86_cc cc)
{
    x86_op_rr(&c->b, X86_OP_SETCC_Eb + cc, 0, r);
    x86_op_rr(&c->b, X86_OP_MOVZX_GvEb, r, r);
}

static void lower_setcond(struct x86_ctx *c, const struct ir_insn *in)
{
    struct x86_cmp k;
    if (!cond_ok(c, in->carg[0]))
        return;
    cmp_prepare(c, is64(in), ir_in(in, 0), ir_in(in, 1), (enum ir_cond)in->carg[0], &k);
    int r = x86_ra_out_reg(c, ALL);
    set_bool(c, r, cmp_emit(c, &k));
    x86_ra_out(c, ir_out(in, 0), r);
    x86_ra_mark_zx(c, ir_out(in, 0));
}

static void lower_movcond(struct x86_ctx *c, const struct ir_insn *in)
{
    struct x86_cmp k;
    bool w = is64(in);
    if (!cond_ok(c, in->carg[0]))
        return;
    int rt = x86_ra_in(c, ir_in(in, 2), ALL);
    int r = x86_ra_in_copy(c, ir_in(in, 3), X86_NO_REG, ALL);
    cmp_prepare(c, w, ir_in(in, 0), ir_in(in, 1), (enum ir_cond)in->carg[0], &k);
    enum x86_cc cc = cmp_emit(c, &k);
    x86_op_rr(&c->b, (X86_OP_CMOVCC_GvEv + cc) | x86_w(w), r, rt);
    x86_ra_out(c, ir_out(in, 0), r);
}

/* addc, addv, subb, subv: CF := bit 0 of the carry in, then adc/sbb, then
 * setc (carry/borrow out) or seto (signed overflow). */
static void lower_carry(struct x86_ctx *c, const struct ir_insn *in, bool sub, enum x86_cc cc)
{
    struct x86_buf *b = &c->b;
    bool w = is64(in);
    ir_ref vb = ir_in(in, 1), vc = ir_in(in, 2);
    int32_t imm;
    if (sub && ir_is_const(c->f, vc) && !(const_val(c, vc) & 1)) {
        /* no borrow in: cmp a, b sets CF and OF as sub would, without a copy of a */
        struct x86_cmp k;
        cmp_prepare_ordered(c, w, ir_in(in, 0), vb, &k);
        if (k.use_imm)
            x86_arith_ri(b, X86_ARITH_CMP, w, k.ra, k.imm);
        else
            x86_arith_rr(b, X86_ARITH_CMP, w, k.ra, k.rb);
        int r = x86_ra_out_reg(c, ALL);
        set_bool(c, r, cc);
        x86_ra_out(c, ir_out(in, 0), r);
        x86_ra_mark_zx(c, ir_out(in, 0));
        return;
    }
    int rc = ir_is_const(c->f, vc) ? X86_NO_REG : x86_ra_in(c, vc, ALL);
    bool use_imm = x86_ra_imm(c, vb, w, &imm);
    int rb = use_imm ? X86_NO_REG : x86_ra_in(c, vb, ALL);
    int r = x86_ra_in_copy(c, ir_in(in, 0), X86_NO_REG, ALL);
    if (rc != X86_NO_REG) {
        x86_op_rr(b, X86_OP_GRP8_EvIb, X86_GRP8_BT, rc);
        x86_imm8(b, 0);
    } else if (const_val(c, vc) & 1) {
        x86_op_plain(b, X86_OP_STC);
    }
    bool with_carry = rc != X86_NO_REG || (const_val(c, vc) & 1);
    enum x86_arith op = sub ? (with_carry ? X86_ARITH_SBB : X86_ARITH_SUB)
                            : (with_carry ? X86_ARITH_ADC : X86_ARITH_ADD);
    if (use_imm)
        x86_arith_ri(b, op, w, r, imm);
    else
        x86_arith_rr(b, op, w, r, rb);
    set_bool(c, r, cc);
    x86_ra_out(c, ir_out(in, 0), r);
    x86_ra_mark_zx(c, ir_out(in, 0));
}

/* ---- guest memory and CPU state --------------------------------------------------- */

/* [guest_base + zero-extended addr] */
static struct x86_mem guest_addr(struct x86_ctx *c, ir_ref addr)
{
    if (ir_is_const(c->f, addr) && const_val(c, addr) <= 0x7fffffffull)
        return x86_mem_bd(X86_GBASE, (int32_t)const_val(c, addr));
    return x86_mem_bid(X86_GBASE, x86_ra_in(c, addr, ALL), 0);
}

static void lower_ld(struct x86_ctx *c, const struct ir_insn *in)
{
    if (in->carg[0] & IR_MO_MMU) { /* system mode: through the soft TLB */
        x86_softmmu_ld(c, in);
        return;
    }
    struct x86_buf *b = &c->b;
    bool w = is64(in);
    unsigned mo = (unsigned)in->carg[0], size = ir_mo_bytes(mo);
    bool sign = mo & IR_MO_SIGN, be = (mo & IR_MO_BE) && size > 1;
    x86_ra_writeback_globals(c); /* precise state if the access faults */
    struct x86_mem m = guest_addr(c, ir_in(in, 0));
    int r = x86_ra_out_reg(c, ALL);
    if (!be) {
        x86_load(b, r, m, size, sign, w);
        if (size == 8 && !w)
            x86_mov_rr(b, false, r, r);
    } else if (size == 2) { /* swap into the top of the register, shift down */
        x86_load(b, r, m, 2, false, false);
        x86_op_plus_r(b, X86_OP_BSWAP_r | x86_w(w), r);
        x86_shift_ri(b, sign ? X86_SHIFT_SAR : X86_SHIFT_SHR, w, r, w ? 48 : 16);
    } else if (size == 4) {
        x86_load(b, r, m, 4, false, false);
        x86_op_plus_r(b, X86_OP_BSWAP_r, r);
        if (sign && w)
            x86_op_rr(b, X86_OP_MOVSXD_GvEd, r, r);
    } else {
        x86_load(b, r, m, 8, false, true);
        x86_op_plus_r(b, X86_OP_BSWAP_r | X86_P_W, r);
        if (!w)
            x86_mov_rr(b, false, r, r);
    }
    x86_ra_out(c, ir_out(in, 0), r);
}

/* Store `size` bytes of register or constant v (already byte-swapped if constant). */
static void store_value(struct x86_ctx *c, struct x86_mem m, unsigned size, int r, uint64_t k)
{
    if (r != X86_NO_REG) {
        x86_store(&c->b, r, m, size);
    } else if (size < 8 || (int64_t)k == (int32_t)k) {
        x86_store_imm(&c->b, m, size, (int32_t)(uint32_t)k);
    } else {
        int t = x86_ra_scratch(c, X86_NO_REG, ALL);
        x86_mov_ri(&c->b, t, k);
        x86_store(&c->b, t, m, 8);
    }
}

static void lower_st(struct x86_ctx *c, const struct ir_insn *in)
{
    if (in->carg[0] & IR_MO_MMU) {
        x86_softmmu_st(c, in);
        return;
    }
    struct x86_buf *b = &c->b;
    unsigned mo = (unsigned)in->carg[0], size = ir_mo_bytes(mo);
    bool be = (mo & IR_MO_BE) && size > 1;
    ir_ref v = ir_in(in, 0);
    x86_ra_writeback_globals(c);
    if (ir_is_const(c->f, v)) {
        uint64_t k = const_val(c, v);
        if (be)
            k = sem_bswap(k, size);
        int t = X86_NO_REG;
        if (size == 8 && (int64_t)k != (int32_t)k) {
            t = x86_ra_scratch(c, X86_NO_REG, ALL);
            x86_mov_ri(b, t, k);
        }
        store_value(c, guest_addr(c, ir_in(in, 1)), size, t, k);
        return;
    }
    int r;
    if (!be) {
        r = x86_ra_in(c, v, ALL);
    } else {
        r = x86_ra_in_copy(c, v, X86_NO_REG, ALL);
        x86_op_plus_r(b, X86_OP_BSWAP_r | x86_w(size == 8), r);
        if (size == 2)
            x86_shift_ri(b, X86_SHIFT_SHR, false, r, 16);
    }
    store_value(c, guest_addr(c, ir_in(in, 1)), size, r, 0);
}

static void lower_ld_state(struct x86_ctx *c, const struct ir_insn *in)
{
    bool w = is64(in);
    unsigned mo = (unsigned)in->carg[1], size = ir_mo_bytes(mo);
    if (size == 8 && !w)
        size = 4; /* the low half on a little-endian host */
    int r = x86_ra_out_reg(c, ALL);
    x86_load(&c->b, r, x86_mem_bd(X86_ENV, (int32_t)in->carg[0]), size, mo & IR_MO_SIGN, w);
    x86_ra_out(c, ir_out(in, 0), r);
}

static void lower_st_state(struct x86_ctx *c, const struct ir_insn *in)
{
    unsigned size = ir_mo_bytes(in->carg[1]);
    ir_ref v = ir_in(in, 0);
    struct x86_mem m = x86_mem_bd(X86_ENV, (int32_t)in->carg[0]);
    if (ir_is_const(c->f, v))
        store_value(c, m, size, X86_NO_REG, const_val(c, v));
    else
        store_value(c, m, size, x86_ra_in(c, v, ALL), 0);
}

/* ---- helper calls ------------------------------------------------------------------ */

static const int8_t arg_regs[6] = {X86_rdi, X86_rsi, X86_rdx, X86_rcx, X86_r8, X86_r9};

/* SysV: args in rdi, rsi, rdx, rcx, r8, r9 (the env first with IR_HF_ENV),
 * result in rax; rsp is 16-byte aligned in block code. */
static void lower_call(struct x86_ctx *c, const struct ir_insn *in)
{
    struct x86_buf *b = &c->b;
    const struct ir_helper *h = ir_helper_get(in->carg[0]);
    if (!h) {
        x86_fail(c, BACKEND_ERROR, "insn %u: call of unknown helper %lld", c->idx,
                 (long long)in->carg[0]);
        return;
    }
    unsigned first = (h->flags & IR_HF_ENV) ? 1 : 0;
    if (h->nargs + first > 6) {
        x86_fail(c, BACKEND_ERROR, "insn %u: helper %s takes too many args", c->idx, h->name);
        return;
    }
    if (h->flags & (IR_HF_READS_GLOBALS | IR_HF_WRITES_GLOBALS | IR_HF_ENV))
        x86_ra_writeback_globals(c);
    for (unsigned i = 0; i < in->nin; i++)
        x86_ra_in_fixed(c, ir_in(in, i), arg_regs[first + i]);
    if (first) {
        x86_ra_scratch(c, X86_rdi, 0);
        x86_mov_rr(b, true, X86_rdi, X86_ENV);
    }
    x86_ra_spill_call_clobbered(c);
    int fn = x86_ra_scratch(c, X86_rax, 0);
    x86_mov_ri(b, fn, (uint64_t)(uintptr_t)h->fn);
    x86_op_rr(b, X86_OP_GRP5_Ev, X86_GRP5_CALL, fn);
    if (h->flags & IR_HF_WRITES_GLOBALS)
        x86_ra_drop_globals(c);
    if (in->nout) {
        if (h->ret == IR_I32) /* the upper half of rax is unspecified for uint32_t */
            x86_mov_rr(b, false, X86_rax, X86_rax);
        x86_ra_out(c, ir_out(in, 0), X86_rax);
    }
}

/* ---- control flow ------------------------------------------------------------------ */

static const uint64_t *label_live(struct x86_ctx *c, int64_t label)
{
    return c->label_live + (size_t)label * c->words;
}

static void lower_brcond(struct x86_ctx *c, const struct ir_insn *in)
{
    struct x86_cmp k;
    if (!cond_ok(c, in->carg[0]))
        return;
    cmp_prepare(c, is64(in), ir_in(in, 0), ir_in(in, 1), (enum ir_cond)in->carg[0], &k);
    x86_ra_writeback_globals(c);
    x86_ra_save_temps(c, label_live(c, in->carg[1]));
    enum x86_cc cc = cmp_emit(c, &k);
    x86_branch_to_label(c, cc, (uint32_t)in->carg[1]);
}

static void lower_br(struct x86_ctx *c, const struct ir_insn *in)
{
    x86_ra_writeback_globals(c);
    x86_ra_save_temps(c, label_live(c, in->carg[0]));
    x86_branch_to_label(c, -1, (uint32_t)in->carg[0]);
    x86_ra_forget_all(c);
    c->reachable = false;
}

static void lower_set_label(struct x86_ctx *c, const struct ir_insn *in)
{
    const uint64_t *live = label_live(c, in->carg[0]);
    if (c->reachable) {
        x86_ra_writeback_globals(c);
        x86_ra_save_temps(c, live);
    }
    x86_bind_label(c, (uint32_t)in->carg[0]);
    x86_ra_enter_label(c, live);
    c->reachable = true;
}

/* Store the next pc (register or constant) into cpu->pc. */
static void store_pc(struct x86_ctx *c, int r, ir_ref pc)
{
    struct x86_mem m = x86_mem_bd(X86_ENV, CPU_HEAD_PC);
    if (r != X86_NO_REG)
        x86_store(&c->b, r, m, 8);
    else
        store_value(c, m, 8, X86_NO_REG, const_val(c, pc));
}

static void leave_block(struct x86_ctx *c)
{
    x86_ra_forget_all(c);
    c->reachable = false;
}

static void lower_exit(struct x86_ctx *c, const struct ir_insn *in)
{
    ir_ref pc = ir_in(in, 0);
    if (in->carg[0] < 0 || in->carg[0] >= IR_EXIT_COUNT) {
        x86_fail(c, BACKEND_ERROR, "insn %u: bad exit reason %lld", c->idx, (long long)in->carg[0]);
        return;
    }
    int r = ir_is_const(c->f, pc) ? X86_NO_REG : x86_ra_in(c, pc, ALL);
    x86_ra_writeback_globals(c);
    store_pc(c, r, pc);
    x86_mov_ri(&c->b, X86_rax, (uint64_t)in->carg[0]); /* leaving: rax is free to clobber */
    x86_jmp_epilogue(c);
    leave_block(c);
}

/* Inline jump-cache probe: e = &jmp_cache[jc_hash(pc)]; if e->pc == pc and
 * e->flags == cpu->flags, jump to e->host, else return IR_EXIT_lookup. */
static void lower_goto_ptr(struct x86_ctx *c, const struct ir_insn *in)
{
    int pc = x86_ra_in(c, ir_in(in, 0), ALL);
    x86_ra_writeback_globals(c);
    x86_store(&c->b, pc, x86_mem_bd(X86_ENV, CPU_HEAD_PC), 8);
    x86_jc_probe(c, pc);
    leave_block(c);
}

void x86_jc_probe(struct x86_ctx *c, int pc)
{
    struct x86_buf *b = &c->b;
    /* Leaving the block: any two registers other than pc are free. */
    int e = pc == X86_rax ? X86_rcx : X86_rax;
    int fl = pc == X86_rdx ? X86_rcx : X86_rdx;
    x86_mov_rr(b, true, e, pc);
    x86_shift_ri(b, X86_SHIFT_SHR, true, e, JC_BITS);
    x86_arith_rr(b, X86_ARITH_XOR, true, e, pc);
    x86_shift_ri(b, X86_SHIFT_SHR, true, e, 1);
    x86_arith_ri(b, X86_ARITH_AND, false, e, JC_SIZE - 1);
    x86_shift_ri(b, X86_SHIFT_SHL, true, e, 5); /* sizeof(struct jc_entry) == 32 */
    x86_op_rm(b, X86_OP_ADD_GvEv | X86_P_W, e, x86_mem_bd(X86_ENV, CPU_HEAD_JMP_CACHE));
    x86_op_rm(b, X86_OP_CMP_GvEv | X86_P_W, pc, x86_mem_bd(e, offsetof(struct jc_entry, pc)));
    uint32_t miss1 = x86_jcc8(b, X86_CC_NE);
    x86_load(b, fl, x86_mem_bd(X86_ENV, CPU_HEAD_FLAGS), 4, false, false);
    x86_op_rm(b, X86_OP_CMP_GvEv | X86_P_W, fl, x86_mem_bd(e, offsetof(struct jc_entry, flags)));
    uint32_t miss2 = x86_jcc8(b, X86_CC_NE);
    x86_op_rm(b, X86_OP_GRP5_Ev, X86_GRP5_JMP, x86_mem_bd(e, offsetof(struct jc_entry, host)));
    x86_link8(b, miss1, b->pos);
    x86_link8(b, miss2, b->pos);
    x86_mov_ri(b, X86_rax, IR_EXIT_lookup);
    x86_jmp_epilogue(c);
}

static void lower_goto_tb(struct x86_ctx *c, const struct ir_insn *in)
{
    x86_ra_writeback_globals(c);
    x86_record_goto_tb(c, (uint64_t)in->carg[0]);
    leave_block(c);
}

/* ---- dispatch ------------------------------------------------------------------------ */

void x86_lower_insn(struct x86_ctx *c, const struct ir_insn *in)
{
    if (!c->reachable && in->op != IR_OP_set_label && in->op != IR_OP_insn_start)
        return; /* dead code after br or a terminator */
    switch ((enum ir_op)in->op) {
    case IR_OP_mov:
        lower_mov(c, in, is64(in), false);
        break;
    case IR_OP_add:
        lower_alu(c, in, X86_ARITH_ADD, true);
        break;
    case IR_OP_sub:
        lower_alu(c, in, X86_ARITH_SUB, false);
        break;
    case IR_OP_mul:
        lower_mul(c, in);
        break;
    case IR_OP_mulsh:
        lower_mulh(c, in, X86_GRP3_IMUL);
        break;
    case IR_OP_muluh:
        lower_mulh(c, in, X86_GRP3_MUL);
        break;
    case IR_OP_divs:
        lower_div(c, in, true, false);
        break;
    case IR_OP_divu:
        lower_div(c, in, false, false);
        break;
    case IR_OP_rems:
        lower_div(c, in, true, true);
        break;
    case IR_OP_remu:
        lower_div(c, in, false, true);
        break;
    case IR_OP_neg:
        lower_unary(c, in, X86_GRP3_NEG);
        break;
    case IR_OP_and:
        lower_alu(c, in, X86_ARITH_AND, true);
        break;
    case IR_OP_or:
        lower_alu(c, in, X86_ARITH_OR, true);
        break;
    case IR_OP_xor:
        lower_alu(c, in, X86_ARITH_XOR, true);
        break;
    case IR_OP_andc:
        lower_andc(c, in);
        break;
    case IR_OP_not:
        lower_unary(c, in, X86_GRP3_NOT);
        break;
    case IR_OP_shl:
        lower_shift(c, in, X86_SHIFT_SHL);
        break;
    case IR_OP_shr:
        lower_shift(c, in, X86_SHIFT_SHR);
        break;
    case IR_OP_sar:
        lower_shift(c, in, X86_SHIFT_SAR);
        break;
    case IR_OP_rotl:
        lower_shift(c, in, X86_SHIFT_ROL);
        break;
    case IR_OP_rotr:
        lower_shift(c, in, X86_SHIFT_ROR);
        break;
    case IR_OP_clz:
        lower_bitscan(c, in, true);
        break;
    case IR_OP_ctz:
        lower_bitscan(c, in, false);
        break;
    case IR_OP_popcnt:
        lower_popcnt(c, in);
        break;
    case IR_OP_bswap:
        lower_bswap(c, in);
        break;
    case IR_OP_extract:
        lower_extract(c, in, false);
        break;
    case IR_OP_sextract:
        lower_extract(c, in, true);
        break;
    case IR_OP_deposit:
        lower_deposit(c, in);
        break;
    case IR_OP_zext:
        lower_mov(c, in, false, false);
        break;
    case IR_OP_sext:
        lower_sext(c, in);
        break;
    case IR_OP_trunc:
        lower_mov(c, in, false, true);
        break;
    case IR_OP_setcond:
        lower_setcond(c, in);
        break;
    case IR_OP_movcond:
        lower_movcond(c, in);
        break;
    case IR_OP_addc:
        lower_carry(c, in, false, X86_CC_B);
        break;
    case IR_OP_addv:
        lower_carry(c, in, false, X86_CC_O);
        break;
    case IR_OP_subb:
        lower_carry(c, in, true, X86_CC_B);
        break;
    case IR_OP_subv:
        lower_carry(c, in, true, X86_CC_O);
        break;
    case IR_OP_ld:
        lower_ld(c, in);
        /* an unsigned load of up to 4 bytes is zero-extended (ir/sem.h) */
        if (!(in->carg[0] & IR_MO_SIGN) && ir_mo_bytes(in->carg[0]) <= 4)
            x86_ra_mark_zx(c, ir_out(in, 0));
        break;
    case IR_OP_st:
        lower_st(c, in);
        break;
    case IR_OP_ld_state:
        lower_ld_state(c, in);
        break;
    case IR_OP_st_state:
        lower_st_state(c, in);
        break;
    case IR_OP_call:
        lower_call(c, in);
        break;
    case IR_OP_mb:
        if (in->carg[0] == IR_MB_FULL)
            x86_op_rr(&c->b, X86_OP_FENCE, X86_FENCE_MFENCE, 0);
        break;
    case IR_OP_insn_start:
        x86_record_insn_start(c, (uint64_t)in->carg[0]);
        break;
    case IR_OP_nop:
        break;
    case IR_OP_set_label:
        lower_set_label(c, in);
        break;
    case IR_OP_br:
        lower_br(c, in);
        break;
    case IR_OP_brcond:
        lower_brcond(c, in);
        break;
    case IR_OP_goto_tb:
        lower_goto_tb(c, in);
        break;
    case IR_OP_goto_ptr:
        lower_goto_ptr(c, in);
        break;
    case IR_OP_ras_push:
        x86_lower_ras_push(c, in);
        break;
    case IR_OP_goto_ret:
        x86_lower_goto_ret(c, in);
        leave_block(c);
        break;
    case IR_OP_exit:
        lower_exit(c, in);
        break;
    case IR_OP_COUNT:
    default:
        x86_fail(c, BACKEND_ERROR, "insn %u: unknown op %u", c->idx, in->op);
        break;
    }
}
