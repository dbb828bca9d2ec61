/* Pipeline position 3 of ir_optimize (constfold -> copyprop -> simplify,
 * repeated, then stateelim -> dce): algebraic simplification.
 * One fold function per op rewrites it by identities that hold bit for bit
 * for i32 and i64 under ir/sem.h (x+0, x*2^k -> shl, x^x -> 0, ...), and puts
 * constants second in commutative ops.  A forward walk remembers single-input
 * definitions (not, neg, zext, sext) while their input is unchanged, for
 * not(not x), neg(neg x) and trunc(zext x), and comparisons (x = setcond a, b,
 * or a trunc of one) while x, a and b are unchanged, so that a test of x
 * against 0 (brcond, movcond) compares a with b directly. */
#include "opt_util.h"

#include <stdlib.h>

struct simp {
    struct ir_func *f;
    struct opt_vmap def; /* d -> s | (version of s) << 32, for d = op(s) */
    uint16_t *defop;     /* that op, valid while `def` has d */
    struct opt_vers vers;
    ir_ref *globals;
    uint32_t nglobals;
    uint32_t *refs;
    /* x -> index of `setcond x, a, b` (or of the setcond a `trunc x` reads),
     * with the versions of a and b then in cmp_va/cmp_vb[x] */
    struct opt_vmap cmp;
    uint32_t *cmp_va, *cmp_vb;
};

/* A fold function returns true if it rewrote the insn. */
typedef bool simp_fold_fn(struct simp *s, struct ir_insn *in);

/* ---- shared predicates and rewrites ---- */

static ir_ref in0(const struct ir_insn *in) { return ir_in(in, 0); }
static ir_ref in1(const struct ir_insn *in) { return ir_in(in, 1); }
static ir_ref in2(const struct ir_insn *in) { return ir_in(in, 2); }
static ir_ref out0(const struct ir_insn *in) { return ir_out(in, 0); }
static enum ir_type simp_type(const struct ir_insn *in) { return (enum ir_type)in->type; }
static unsigned simp_bits(const struct ir_insn *in) { return ir_type_bits(simp_type(in)); }

/* A carry/borrow input that contributes nothing: a constant with bit 0 clear. */
static bool simp_no_carry(const struct simp *s, ir_ref r)
{
    return ir_is_const(s->f, r) && (opt_const_val(s->f, r) & 1) == 0;
}

static bool simp_to_const(struct simp *s, struct ir_insn *in, uint64_t v)
{
    opt_make_movi(s->f, in, out0(in), v);
    return true;
}

static bool simp_to_mov(struct simp *s, struct ir_insn *in, ir_ref src)
{
    opt_make_mov(s->f, in, out0(in), src);
    return true;
}

static bool simp_to_op1(struct simp *s, struct ir_insn *in, enum ir_op op, ir_ref a)
{
    opt_make_op(s->f, in, op, out0(in), a, IR_NONE);
    return true;
}

/* Rewrite into `op d, a, <const b>` of the insn's type. */
static bool simp_to_op2i(struct simp *s, struct ir_insn *in, enum ir_op op, ir_ref a, uint64_t b)
{
    ir_ref d = out0(in);
    ir_ref c = opt_const(s->f, ir_val_type(s->f, d), b);
    opt_make_op(s->f, in, op, d, a, c);
    return true;
}

/* Commutative inputs 0 and 1: constant second. */
static bool simp_canon_commute(struct simp *s, struct ir_insn *in)
{
    ir_ref a = in0(in), b = in1(in);
    if (!ir_is_const(s->f, a) || ir_is_const(s->f, b))
        return false;
    in->args[in->nout] = b;
    in->args[in->nout + 1] = a;
    return true;
}

/* Comparison inputs 0 and 1 (carg 0 the condition): constant second. */
static bool simp_canon_compare(struct simp *s, struct ir_insn *in)
{
    if (!simp_canon_commute(s, in))
        return false;
    in->carg[0] = ir_cond_swap((enum ir_cond)in->carg[0]);
    return true;
}

/* The outcome of cond(a, b) when it does not depend on the values:
 * 1 true, 0 false, -1 unknown. */
static int simp_cond_fixed(const struct simp *s, enum ir_cond c, ir_ref a, ir_ref b)
{
    if (opt_same_value(s->f, a, b)) {
        switch (c) {
        case IR_COND_eq:
        case IR_COND_le:
        case IR_COND_ge:
        case IR_COND_leu:
        case IR_COND_geu:
            return 1;
        default:
            return 0;
        }
    }
    if (opt_is_zero(s->f, b) && c == IR_COND_ltu)
        return 0;
    if (opt_is_zero(s->f, b) && c == IR_COND_geu)
        return 1;
    return -1;
}

/* Shift/rotate count: a constant count is taken modulo the width.
 * Rewrites the count into range; *n receives it.  False if not constant. */
static bool simp_const_count(struct simp *s, struct ir_insn *in, unsigned *n, bool *changed)
{
    ir_ref b = in1(in);
    if (!ir_is_const(s->f, b))
        return false;
    uint64_t c = opt_const_val(s->f, b);
    *n = (unsigned)(c & (simp_bits(in) - 1));
    if (c != *n) {
        in->args[in->nout + 1] = opt_const(s->f, ir_val_type(s->f, b), *n);
        *changed = true;
    }
    return true;
}

/* x = op(y) recorded by the walk, with y unchanged since: returns y. */
static ir_ref simp_def_of(const struct simp *s, ir_ref x, enum ir_op op)
{
    uint64_t e;
    if (!opt_is_var(s->f, x) || !opt_vmap_get(&s->def, x, &e) || s->defop[x] != op)
        return IR_NONE;
    ir_ref y = (ir_ref)e;
    return opt_vers_get(&s->vers, y) == (uint32_t)(e >> 32) ? y : IR_NONE;
}

/* x = setcond(a, b, cond) recorded by the walk, with x, a and b unchanged
 * since: the setcond insn, else NULL. */
static const struct ir_insn *simp_cmp_of(const struct simp *s, ir_ref x)
{
    uint64_t idx;
    if (!opt_is_var(s->f, x) || !opt_vmap_get(&s->cmp, x, &idx))
        return NULL;
    const struct ir_insn *def = &s->f->insns[idx];
    if (def->op != IR_OP_setcond || opt_vers_get(&s->vers, in0(def)) != s->cmp_va[x] ||
        opt_vers_get(&s->vers, in1(def)) != s->cmp_vb[x])
        return NULL;
    return def;
}

/* A test `x ==/!= 0` (cond, b = in1) of a comparison result x = setcond(a, b', c):
 * rewrite the insn's compare operands (inputs i, i+1) and cond into a, b', c
 * or its inverse.  The insn's type becomes that of a when it has no output
 * of its own type (brcond); otherwise the types must agree. */
static bool simp_test_of_cmp(struct simp *s, struct ir_insn *in, unsigned i, bool typed)
{
    enum ir_cond c = (enum ir_cond)in->carg[0];
    ir_ref x = ir_in(in, i), z = ir_in(in, i + 1);
    if ((c != IR_COND_eq && c != IR_COND_ne) || !opt_is_zero(s->f, z))
        return false;
    const struct ir_insn *def = simp_cmp_of(s, x);
    if (!def || (typed && def->type != in->type))
        return false;
    enum ir_cond dc = (enum ir_cond)def->carg[0];
    in->args[in->nout + i] = in0(def);
    in->args[in->nout + i + 1] = in1(def);
    in->type = def->type;
    in->carg[0] = c == IR_COND_ne ? dc : ir_cond_invert(dc);
    return true;
}

/* ---- fold functions, one per op ---- */

/* mov x, x */
static bool simp_mov(struct simp *s, struct ir_insn *in)
{
    if (out0(in) != in0(in))
        return false;
    ir_make_nop(in);
    return true;
}

static bool simp_add(struct simp *s, struct ir_insn *in)
{
    if (simp_canon_commute(s, in))
        return true;
    if (opt_is_zero(s->f, in1(in)))
        return simp_to_mov(s, in, in0(in));
    return false;
}

static bool simp_sub(struct simp *s, struct ir_insn *in)
{
    ir_ref a = in0(in), b = in1(in);
    if (opt_is_zero(s->f, b))
        return simp_to_mov(s, in, a);
    if (opt_same_value(s->f, a, b))
        return simp_to_const(s, in, 0);
    if (opt_is_zero(s->f, a))
        return simp_to_op1(s, in, IR_OP_neg, b);
    if (ir_is_const(s->f, b) && !ir_is_const(s->f, a))
        return simp_to_op2i(s, in, IR_OP_add, a, 0 - opt_const_val(s->f, b));
    return false;
}

static bool simp_mul(struct simp *s, struct ir_insn *in)
{
    if (simp_canon_commute(s, in))
        return true;
    ir_ref a = in0(in), b = in1(in);
    unsigned k;
    if (opt_is_zero(s->f, b))
        return simp_to_const(s, in, 0);
    if (opt_is_one(s->f, b))
        return simp_to_mov(s, in, a);
    if (opt_is_ones(s->f, b))
        return simp_to_op1(s, in, IR_OP_neg, a);
    if (opt_is_pow2(s->f, b, &k))
        return simp_to_op2i(s, in, IR_OP_shl, a, k);
    return false;
}

/* high half of a signed product: x * 1 is x, whose high half is its sign */
static bool simp_mulsh(struct simp *s, struct ir_insn *in)
{
    if (simp_canon_commute(s, in))
        return true;
    if (opt_is_zero(s->f, in1(in)))
        return simp_to_const(s, in, 0);
    if (opt_is_one(s->f, in1(in)))
        return simp_to_op2i(s, in, IR_OP_sar, in0(in), simp_bits(in) - 1);
    return false;
}

static bool simp_muluh(struct simp *s, struct ir_insn *in)
{
    if (simp_canon_commute(s, in))
        return true;
    if (opt_is_zero(s->f, in1(in)) || opt_is_one(s->f, in1(in)))
        return simp_to_const(s, in, 0);
    return false;
}

/* x/0 = 0, MIN/-1 = MIN (= -MIN), 0/y = 0 */
static bool simp_divs(struct simp *s, struct ir_insn *in)
{
    ir_ref a = in0(in), b = in1(in);
    if (opt_is_zero(s->f, b) || opt_is_zero(s->f, a))
        return simp_to_const(s, in, 0);
    if (opt_is_one(s->f, b))
        return simp_to_mov(s, in, a);
    if (opt_is_ones(s->f, b))
        return simp_to_op1(s, in, IR_OP_neg, a);
    return false;
}

static bool simp_divu(struct simp *s, struct ir_insn *in)
{
    ir_ref a = in0(in), b = in1(in);
    unsigned k;
    if (opt_is_zero(s->f, b) || opt_is_zero(s->f, a))
        return simp_to_const(s, in, 0);
    if (opt_is_one(s->f, b))
        return simp_to_mov(s, in, a);
    if (opt_is_pow2(s->f, b, &k))
        return simp_to_op2i(s, in, IR_OP_shr, a, k);
    return false;
}

/* x%0 = x, x%1 = x%-1 = 0, 0%y = 0 */
static bool simp_rems(struct simp *s, struct ir_insn *in)
{
    ir_ref a = in0(in), b = in1(in);
    if (opt_is_zero(s->f, b))
        return simp_to_mov(s, in, a);
    if (opt_is_zero(s->f, a) || opt_is_one(s->f, b) || opt_is_ones(s->f, b))
        return simp_to_const(s, in, 0);
    return false;
}

static bool simp_remu(struct simp *s, struct ir_insn *in)
{
    ir_ref a = in0(in), b = in1(in);
    unsigned k;
    if (opt_is_zero(s->f, b))
        return simp_to_mov(s, in, a);
    if (opt_is_zero(s->f, a) || opt_is_one(s->f, b))
        return simp_to_const(s, in, 0);
    if (opt_is_pow2(s->f, b, &k))
        return simp_to_op2i(s, in, IR_OP_and, a, opt_const_val(s->f, b) - 1);
    return false;
}

static bool simp_neg(struct simp *s, struct ir_insn *in)
{
    ir_ref y = simp_def_of(s, in0(in), IR_OP_neg);
    return y != IR_NONE && simp_to_mov(s, in, y);
}

static bool simp_not(struct simp *s, struct ir_insn *in)
{
    ir_ref y = simp_def_of(s, in0(in), IR_OP_not);
    return y != IR_NONE && simp_to_mov(s, in, y);
}

static bool simp_and(struct simp *s, struct ir_insn *in)
{
    if (simp_canon_commute(s, in))
        return true;
    ir_ref a = in0(in), b = in1(in);
    if (opt_is_zero(s->f, b))
        return simp_to_const(s, in, 0);
    if (opt_is_ones(s->f, b) || opt_same_value(s->f, a, b))
        return simp_to_mov(s, in, a);
    return false;
}

static bool simp_or(struct simp *s, struct ir_insn *in)
{
    if (simp_canon_commute(s, in))
        return true;
    ir_ref a = in0(in), b = in1(in);
    if (opt_is_zero(s->f, b) || opt_same_value(s->f, a, b))
        return simp_to_mov(s, in, a);
    if (opt_is_ones(s->f, b))
        return simp_to_const(s, in, ~0ull);
    return false;
}

static bool simp_xor(struct simp *s, struct ir_insn *in)
{
    if (simp_canon_commute(s, in))
        return true;
    ir_ref a = in0(in), b = in1(in);
    if (opt_is_zero(s->f, b))
        return simp_to_mov(s, in, a);
    if (opt_same_value(s->f, a, b))
        return simp_to_const(s, in, 0);
    if (opt_is_ones(s->f, b))
        return simp_to_op1(s, in, IR_OP_not, a);
    return false;
}

/* a & ~b */
static bool simp_andc(struct simp *s, struct ir_insn *in)
{
    ir_ref a = in0(in), b = in1(in);
    if (opt_same_value(s->f, a, b) || opt_is_zero(s->f, a) || opt_is_ones(s->f, b))
        return simp_to_const(s, in, 0);
    if (opt_is_zero(s->f, b))
        return simp_to_mov(s, in, a);
    if (ir_is_const(s->f, b) && !ir_is_const(s->f, a))
        return simp_to_op2i(s, in, IR_OP_and, a, ~opt_const_val(s->f, b));
    return false;
}

/* Shared by the shifts and rotates: count 0 (mod width) is a mov, a shifted
 * zero stays zero; `ones_fixed` for ops that also keep all-ones. */
static bool simp_shift(struct simp *s, struct ir_insn *in, bool ones_fixed)
{
    bool changed = false;
    unsigned n;
    if (opt_is_zero(s->f, in0(in)))
        return simp_to_const(s, in, 0);
    if (ones_fixed && opt_is_ones(s->f, in0(in)))
        return simp_to_const(s, in, ~0ull);
    if (simp_const_count(s, in, &n, &changed) && n == 0)
        return simp_to_mov(s, in, in0(in));
    return changed;
}

static bool simp_shl(struct simp *s, struct ir_insn *in) { return simp_shift(s, in, false); }
static bool simp_shr(struct simp *s, struct ir_insn *in) { return simp_shift(s, in, false); }
static bool simp_sar(struct simp *s, struct ir_insn *in) { return simp_shift(s, in, true); }
static bool simp_rotl(struct simp *s, struct ir_insn *in) { return simp_shift(s, in, true); }
static bool simp_rotr(struct simp *s, struct ir_insn *in) { return simp_shift(s, in, true); }

/* extract/sextract of the whole value */
static bool simp_extract(struct simp *s, struct ir_insn *in)
{
    if (in->carg[0] != 0 || in->carg[1] != (int64_t)simp_bits(in))
        return false;
    return simp_to_mov(s, in, in0(in));
}

static bool simp_sextract(struct simp *s, struct ir_insn *in) { return simp_extract(s, in); }

/* deposit of the whole value replaces it */
static bool simp_deposit(struct simp *s, struct ir_insn *in)
{
    if (in->carg[0] != 0 || in->carg[1] != (int64_t)simp_bits(in))
        return false;
    return simp_to_mov(s, in, in1(in));
}

/* trunc(zext y) = trunc(sext y) = y */
static bool simp_trunc(struct simp *s, struct ir_insn *in)
{
    ir_ref y = simp_def_of(s, in0(in), IR_OP_zext);
    if (y == IR_NONE)
        y = simp_def_of(s, in0(in), IR_OP_sext);
    return y != IR_NONE && simp_to_mov(s, in, y);
}

static bool simp_setcond(struct simp *s, struct ir_insn *in)
{
    if (simp_canon_compare(s, in))
        return true;
    int r = simp_cond_fixed(s, (enum ir_cond)in->carg[0], in0(in), in1(in));
    return r >= 0 && simp_to_const(s, in, (uint64_t)r);
}

/* movcond a, b, c, d, cond */
static bool simp_movcond(struct simp *s, struct ir_insn *in)
{
    if (simp_canon_compare(s, in))
        return true;
    if (opt_same_value(s->f, in2(in), ir_in(in, 3)))
        return simp_to_mov(s, in, in2(in));
    int r = simp_cond_fixed(s, (enum ir_cond)in->carg[0], in0(in), in1(in));
    if (r >= 0)
        return simp_to_mov(s, in, ir_in(in, r ? 2 : 3));
    return simp_test_of_cmp(s, in, 0, true);
}

/* Rewrite into `setcond d, a, <const c>, cond` of the insn's type. */
static bool simp_to_setcondi(struct simp *s, struct ir_insn *in, ir_ref a, uint64_t c,
                             enum ir_cond cond)
{
    simp_to_op2i(s, in, IR_OP_setcond, a, c);
    in->ncarg = 1;
    in->carg[0] = cond;
    return true;
}

static uint64_t simp_smax(const struct ir_insn *in) { return ir_type_mask(simp_type(in)) >> 1; }
static uint64_t simp_smin(const struct ir_insn *in) { return simp_smax(in) + 1; }
static bool simp_negative(const struct ir_insn *in, uint64_t c) { return c >= simp_smin(in); }

/* carry out of a + b + cin: none when adding zero without a carry in;
 * a + c (no carry in) carries exactly when a >u ~c */
static bool simp_addc(struct simp *s, struct ir_insn *in)
{
    if (simp_canon_commute(s, in))
        return true;
    ir_ref a = in0(in), b = in1(in);
    bool nocarry = simp_no_carry(s, in2(in));
    if (opt_is_zero(s->f, b) && (opt_is_zero(s->f, a) || nocarry))
        return simp_to_const(s, in, 0);
    if (nocarry && ir_is_const(s->f, b) && !ir_is_const(s->f, a))
        return simp_to_setcondi(s, in, a, ~opt_const_val(s->f, b), IR_COND_gtu);
    return false;
}

/* signed overflow of a + b + cin: 0 + 0 + (0 or 1) and x + 0 + 0 never do;
 * a + c overflows exactly when a > MAX - c (c > 0) or a < MIN - c (c < 0) */
static bool simp_addv(struct simp *s, struct ir_insn *in)
{
    if (simp_canon_commute(s, in))
        return true;
    ir_ref a = in0(in), b = in1(in);
    bool nocarry = simp_no_carry(s, in2(in));
    if (opt_is_zero(s->f, b) && (opt_is_zero(s->f, a) || nocarry))
        return simp_to_const(s, in, 0);
    if (nocarry && ir_is_const(s->f, b) && !ir_is_const(s->f, a)) {
        uint64_t c = opt_const_val(s->f, b);
        if (simp_negative(in, c))
            return simp_to_setcondi(s, in, a, simp_smin(in) - c, IR_COND_lt);
        return simp_to_setcondi(s, in, a, simp_smax(in) - c, IR_COND_gt);
    }
    return false;
}

/* borrow out of a - b - bin: without bin it is a <u b; x - x borrows bin */
static bool simp_subb(struct simp *s, struct ir_insn *in)
{
    ir_ref a = in0(in), b = in1(in), bin = in2(in);
    if (opt_same_value(s->f, a, b)) {
        if (ir_is_const(s->f, bin))
            return simp_to_const(s, in, opt_const_val(s->f, bin) & 1);
        return simp_to_op2i(s, in, IR_OP_and, bin, 1);
    }
    if (!simp_no_carry(s, bin))
        return false;
    if (opt_is_zero(s->f, b))
        return simp_to_const(s, in, 0);
    ir_ref d = out0(in);
    opt_make_op(s->f, in, IR_OP_setcond, d, a, b);
    in->ncarg = 1;
    in->carg[0] = IR_COND_ltu;
    return true;
}

/* signed overflow of a - b - bin: never for x - x - bin or x - 0 - 0;
 * a - c overflows exactly when a < MIN + c (c > 0) or a > MAX + c (c < 0) */
static bool simp_subv(struct simp *s, struct ir_insn *in)
{
    ir_ref a = in0(in), b = in1(in);
    bool nocarry = simp_no_carry(s, in2(in));
    if (opt_same_value(s->f, a, b) || (opt_is_zero(s->f, b) && nocarry))
        return simp_to_const(s, in, 0);
    if (nocarry && ir_is_const(s->f, b) && !ir_is_const(s->f, a)) {
        uint64_t c = opt_const_val(s->f, b);
        if (simp_negative(in, c))
            return simp_to_setcondi(s, in, a, simp_smax(in) + c, IR_COND_gt);
        return simp_to_setcondi(s, in, a, simp_smin(in) + c, IR_COND_lt);
    }
    return false;
}

/* brcond with an outcome known from its operands: `br` or nothing */
static bool simp_brcond(struct simp *s, struct ir_insn *in)
{
    if (simp_canon_compare(s, in))
        return true;
    int r = simp_cond_fixed(s, (enum ir_cond)in->carg[0], in0(in), in1(in));
    if (r < 0)
        return simp_test_of_cmp(s, in, 0, false);
    return opt_resolve_brcond(s->f, (uint32_t)(in - s->f->insns), r != 0, s->refs);
}

/* clang-format off */
static simp_fold_fn *const simp_fold_table[IR_OP_COUNT] = {
    [IR_OP_mov] = simp_mov,
    [IR_OP_add] = simp_add,
    [IR_OP_sub] = simp_sub,
    [IR_OP_mul] = simp_mul,
    [IR_OP_mulsh] = simp_mulsh,
    [IR_OP_muluh] = simp_muluh,
    [IR_OP_divs] = simp_divs,
    [IR_OP_divu] = simp_divu,
    [IR_OP_rems] = simp_rems,
    [IR_OP_remu] = simp_remu,
    [IR_OP_neg] = simp_neg,
    [IR_OP_and] = simp_and,
    [IR_OP_or] = simp_or,
    [IR_OP_xor] = simp_xor,
    [IR_OP_andc] = simp_andc,
    [IR_OP_not] = simp_not,
    [IR_OP_shl] = simp_shl,
    [IR_OP_shr] = simp_shr,
    [IR_OP_sar] = simp_sar,
    [IR_OP_rotl] = simp_rotl,
    [IR_OP_rotr] = simp_rotr,
    [IR_OP_extract] = simp_extract,
    [IR_OP_sextract] = simp_sextract,
    [IR_OP_deposit] = simp_deposit,
    [IR_OP_trunc] = simp_trunc,
    [IR_OP_setcond] = simp_setcond,
    [IR_OP_movcond] = simp_movcond,
    [IR_OP_addc] = simp_addc,
    [IR_OP_addv] = simp_addv,
    [IR_OP_subb] = simp_subb,
    [IR_OP_subv] = simp_subv,
    [IR_OP_brcond] = simp_brcond,
};
/* clang-format on */

/* ---- the walk ---- */

static void simp_assign(struct simp *s, ir_ref r)
{
    opt_vers_bump(&s->vers, r);
    opt_vmap_del(&s->def, r);
    opt_vmap_del(&s->cmp, r);
}

/* Remember x as the result of the setcond at idx (see struct simp). */
static void simp_record_cmp(struct simp *s, ir_ref x, uint32_t idx)
{
    const struct ir_insn *def = &s->f->insns[idx];
    ir_ref a = in0(def), b = in1(def);
    if (x == a || x == b || x >= s->cmp.n)
        return;
    opt_vmap_set(&s->cmp, x, idx);
    s->cmp_va[x] = opt_vers_get(&s->vers, a);
    s->cmp_vb[x] = opt_vers_get(&s->vers, b);
}

static void simp_record(struct simp *s, const struct ir_insn *in)
{
    const struct ir_insn *src = in->op == IR_OP_trunc ? simp_cmp_of(s, in0(in)) : NULL;
    for (unsigned i = 0; i < in->nout; i++)
        simp_assign(s, ir_out(in, i));
    if (opt_clobbers_globals(in))
        for (uint32_t i = 0; i < s->nglobals; i++)
            simp_assign(s, s->globals[i]);
    switch (in->op) {
    case IR_OP_setcond:
        simp_record_cmp(s, out0(in), (uint32_t)(in - s->f->insns));
        break;
    case IR_OP_trunc:
        if (src)
            simp_record_cmp(s, out0(in), (uint32_t)(src - s->f->insns));
        break;
    case IR_OP_not:
    case IR_OP_neg:
    case IR_OP_zext:
    case IR_OP_sext: {
        ir_ref d = out0(in), y = in0(in);
        if (d != y && opt_is_var(s->f, y) && d < s->def.n) {
            opt_vmap_set(&s->def, d, y | (uint64_t)opt_vers_get(&s->vers, y) << 32);
            s->defop[d] = in->op;
        }
        break;
    }
    default:
        break;
    }
}

/* Rewrites one insn may take in a row (canonicalise, then an identity, ...). */
#define SIMP_MAX_STEPS 4

int ir_pass_simplify(struct ir_func *f)
{
    struct simp s = {.f = f};
    int changed = 0;
    if (f->err)
        return 0;
    struct ir_scratch_pos mark = ir_scratch_mark();
    int ok = !opt_vmap_init(&s.def, f->nvals);
    ok = !opt_vmap_init(&s.cmp, f->nvals) && ok;
    ok = !opt_vers_init(&s.vers, f->nvals) && ok;
    s.defop = ir_scratch_zalloc((size_t)(f->nvals ? f->nvals : 1) * sizeof(*s.defop));
    s.cmp_va = ir_scratch_alloc((size_t)(f->nvals ? f->nvals : 1) * sizeof(*s.cmp_va));
    s.cmp_vb = ir_scratch_alloc((size_t)(f->nvals ? f->nvals : 1) * sizeof(*s.cmp_vb));
    s.globals = opt_globals(f, &s.nglobals);
    s.refs = opt_label_refs(f);
    if (!ok || !s.defop || !s.cmp_va || !s.cmp_vb || !s.globals || (f->nlabels && !s.refs))
        goto out;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        struct ir_insn *in = &f->insns[i];
        if (opt_is_join(in, s.refs, f->nlabels)) {
            opt_vmap_reset(&s.def);
            opt_vmap_reset(&s.cmp);
            continue;
        }
        for (int step = 0; step < SIMP_MAX_STEPS; step++) {
            simp_fold_fn *fold = simp_fold_table[in->op];
            if (!fold || !fold(&s, in))
                break;
            changed = 1;
        }
        simp_record(&s, in);
    }
out:
    opt_vmap_free(&s.def);
    opt_vmap_free(&s.cmp);
    opt_vers_free(&s.vers);
    ir_scratch_release(mark);
    if (changed)
        ir_compact(f);
    return changed;
}
