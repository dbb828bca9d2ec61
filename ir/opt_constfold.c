/* Pipeline position 1 of ir_optimize (constfold -> copyprop -> simplify,
 * repeated, then stateelim -> dce): constant folding and propagation.
 * A forward walk tracks which temps/globals hold a known constant, replaces
 * their uses by constants and evaluates ops whose inputs are all constant with
 * ir/sem.h.  Knowledge is dropped at labels some branch jumps to. */
#include "opt_util.h"
#include "sem.h"

#include <stdlib.h>

struct cf {
    struct ir_func *f;
    struct opt_vmap known; /* temp/global -> constant value it holds */
    ir_ref *globals;
    uint32_t nglobals;
    uint32_t *refs; /* branch references per label */
    int changed;
};

typedef void cf_fold_fn(struct cf *cf, struct ir_insn *in);

/* ---- shared predicates ---- */

static bool cf_inputs_const(const struct cf *cf, const struct ir_insn *in)
{
    for (unsigned i = 0; i < in->nin; i++)
        if (!ir_is_const(cf->f, ir_in(in, i)))
            return false;
    return true;
}

/* Replace the insn by `mov d, c` unless it already is exactly that. */
static void cf_set_const(struct cf *cf, struct ir_insn *in, uint64_t c)
{
    ir_ref d = ir_out(in, 0);
    enum ir_type t = ir_val_type(cf->f, d);
    if (in->op == IR_OP_mov && opt_is_const_val(cf->f, ir_in(in, 0), c))
        return;
    opt_make_movi(cf->f, in, d, sem_mask(t, c));
    cf->changed = 1;
}

/* Evaluate a pure op whose inputs are all constants. */
static bool cf_eval(struct cf *cf, struct ir_insn *in)
{
    if (!cf_inputs_const(cf, in) || in->nout != 1 || in->nin > 4)
        return false;
    uint64_t vals[4] = {0, 0, 0, 0}, r;
    for (unsigned i = 0; i < in->nin; i++)
        vals[i] = opt_const_val(cf->f, ir_in(in, i));
    if (!sem_eval((enum ir_op)in->op, (enum ir_type)in->type, vals, in->carg, &r))
        return false;
    cf_set_const(cf, in, r);
    return true;
}

/* ---- fold functions, one per op that folds ---- */

/* Every pure value op: mov, arithmetic, bitwise, shifts, counts, fields,
 * width changes, setcond, flag building blocks. */
static void cf_fold_pure(struct cf *cf, struct ir_insn *in) { cf_eval(cf, in); }

/* movcond a, b, c, d: with a constant comparison it is a mov of one arm. */
static void cf_fold_movcond(struct cf *cf, struct ir_insn *in)
{
    if (cf_eval(cf, in))
        return;
    ir_ref a = ir_in(in, 0), b = ir_in(in, 1);
    if (!ir_is_const(cf->f, a) || !ir_is_const(cf->f, b))
        return;
    bool taken = sem_cond((enum ir_type)in->type, (enum ir_cond)in->carg[0],
                          opt_const_val(cf->f, a), opt_const_val(cf->f, b));
    opt_make_mov(cf->f, in, ir_out(in, 0), ir_in(in, taken ? 2 : 3));
    cf->changed = 1;
}

/* brcond a, b with both constant: `br` when taken, nothing when not. */
static void cf_fold_brcond(struct cf *cf, struct ir_insn *in)
{
    if (!cf_inputs_const(cf, in))
        return;
    bool taken = sem_cond((enum ir_type)in->type, (enum ir_cond)in->carg[0],
                          opt_const_val(cf->f, ir_in(in, 0)), opt_const_val(cf->f, ir_in(in, 1)));
    if (opt_resolve_brcond(cf->f, (uint32_t)(in - cf->f->insns), taken, cf->refs))
        cf->changed = 1;
}

/* clang-format off */
static cf_fold_fn *const cf_fold_table[IR_OP_COUNT] = {
    [IR_OP_mov] = cf_fold_pure,
    [IR_OP_add] = cf_fold_pure,
    [IR_OP_sub] = cf_fold_pure,
    [IR_OP_mul] = cf_fold_pure,
    [IR_OP_mulsh] = cf_fold_pure,
    [IR_OP_muluh] = cf_fold_pure,
    [IR_OP_divs] = cf_fold_pure,
    [IR_OP_divu] = cf_fold_pure,
    [IR_OP_rems] = cf_fold_pure,
    [IR_OP_remu] = cf_fold_pure,
    [IR_OP_neg] = cf_fold_pure,
    [IR_OP_and] = cf_fold_pure,
    [IR_OP_or] = cf_fold_pure,
    [IR_OP_xor] = cf_fold_pure,
    [IR_OP_andc] = cf_fold_pure,
    [IR_OP_not] = cf_fold_pure,
    [IR_OP_shl] = cf_fold_pure,
    [IR_OP_shr] = cf_fold_pure,
    [IR_OP_sar] = cf_fold_pure,
    [IR_OP_rotl] = cf_fold_pure,
    [IR_OP_rotr] = cf_fold_pure,
    [IR_OP_clz] = cf_fold_pure,
    [IR_OP_ctz] = cf_fold_pure,
    [IR_OP_popcnt] = cf_fold_pure,
    [IR_OP_bswap] = cf_fold_pure,
    [IR_OP_extract] = cf_fold_pure,
    [IR_OP_sextract] = cf_fold_pure,
    [IR_OP_deposit] = cf_fold_pure,
    [IR_OP_zext] = cf_fold_pure,
    [IR_OP_sext] = cf_fold_pure,
    [IR_OP_trunc] = cf_fold_pure,
    [IR_OP_setcond] = cf_fold_pure,
    [IR_OP_movcond] = cf_fold_movcond,
    [IR_OP_addc] = cf_fold_pure,
    [IR_OP_addv] = cf_fold_pure,
    [IR_OP_subb] = cf_fold_pure,
    [IR_OP_subv] = cf_fold_pure,
    [IR_OP_brcond] = cf_fold_brcond,
};
/* clang-format on */

/* ---- the walk ---- */

/* Replace inputs whose value is a known constant by that constant. */
static void cf_propagate(struct cf *cf, struct ir_insn *in)
{
    for (unsigned i = 0; i < in->nin; i++) {
        ir_ref r = ir_in(in, i);
        uint64_t c;
        if (!opt_is_var(cf->f, r) || !opt_vmap_get(&cf->known, r, &c))
            continue;
        in->args[in->nout + i] = opt_const(cf->f, ir_val_type(cf->f, r), c);
        cf->changed = 1;
    }
}

/* What the insn leaves known: its outputs, and globals a helper may change.
 * (State accesses never overlap globals: the verifier rejects that.) */
static void cf_record(struct cf *cf, const struct ir_insn *in)
{
    for (unsigned i = 0; i < in->nout; i++)
        opt_vmap_del(&cf->known, ir_out(in, i));
    if (in->op == IR_OP_mov && ir_is_const(cf->f, ir_in(in, 0)))
        opt_vmap_set(&cf->known, ir_out(in, 0), opt_const_val(cf->f, ir_in(in, 0)));
    if (opt_clobbers_globals(in))
        for (uint32_t i = 0; i < cf->nglobals; i++)
            opt_vmap_del(&cf->known, cf->globals[i]);
}

int ir_pass_constfold(struct ir_func *f)
{
    struct cf cf = {.f = f};
    if (f->err)
        return 0;
    struct ir_scratch_pos mark = ir_scratch_mark();
    if (opt_vmap_init(&cf.known, f->nvals))
        goto out;
    cf.globals = opt_globals(f, &cf.nglobals);
    cf.refs = opt_label_refs(f);
    if (!cf.globals || (f->nlabels && !cf.refs))
        goto out;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        struct ir_insn *in = &f->insns[i];
        if (opt_is_join(in, cf.refs, f->nlabels)) {
            opt_vmap_reset(&cf.known);
            continue;
        }
        cf_propagate(&cf, in);
        cf_fold_fn *fold = cf_fold_table[in->op];
        if (fold)
            fold(&cf, in);
        cf_record(&cf, in);
    }
out:
    opt_vmap_free(&cf.known);
    ir_scratch_release(mark);
    if (cf.changed)
        ir_compact(f);
    return cf.changed;
}
