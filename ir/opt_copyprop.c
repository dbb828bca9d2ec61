/* Pipeline position 2 of ir_optimize (constfold -> copyprop -> simplify,
 * repeated, then stateelim -> dce): copy propagation.
 * After `mov d, s` (s a temp or global), later uses of d read s directly as
 * long as neither has been assigned again.  The IR is not SSA, so a copy is
 * recorded with the write count of s and dies when either side is written;
 * everything is forgotten at labels some branch jumps to. */
#include "opt_util.h"

#include <stdlib.h>

struct cp {
    struct ir_func *f;
    struct opt_vmap copy; /* d -> s | (version of s) << 32 */
    struct opt_vers vers;
    ir_ref *globals;
    uint32_t nglobals;
    uint32_t *refs;
    int changed;
};

/* The source d is a valid copy of, or IR_NONE. */
static ir_ref cp_source(const struct cp *cp, ir_ref d)
{
    uint64_t e;
    if (!opt_is_var(cp->f, d) || !opt_vmap_get(&cp->copy, d, &e))
        return IR_NONE;
    ir_ref s = (ir_ref)e;
    return opt_vers_get(&cp->vers, s) == (uint32_t)(e >> 32) ? s : IR_NONE;
}

static void cp_assign(struct cp *cp, ir_ref r)
{
    opt_vers_bump(&cp->vers, r);
    opt_vmap_del(&cp->copy, r);
}

static void cp_propagate(struct cp *cp, struct ir_insn *in)
{
    for (unsigned i = 0; i < in->nin; i++) {
        ir_ref s = cp_source(cp, ir_in(in, i));
        if (s != IR_NONE) {
            in->args[in->nout + i] = s;
            cp->changed = 1;
        }
    }
}

static void cp_record(struct cp *cp, const struct ir_insn *in)
{
    for (unsigned i = 0; i < in->nout; i++)
        cp_assign(cp, ir_out(in, i));
    if (opt_clobbers_globals(in))
        for (uint32_t i = 0; i < cp->nglobals; i++)
            cp_assign(cp, cp->globals[i]);
    if (in->op == IR_OP_mov) {
        ir_ref d = ir_out(in, 0), s = ir_in(in, 0);
        if (s != d && opt_is_var(cp->f, s))
            opt_vmap_set(&cp->copy, d, s | (uint64_t)opt_vers_get(&cp->vers, s) << 32);
    }
}

int ir_pass_copyprop(struct ir_func *f)
{
    struct cp cp = {.f = f};
    if (f->err)
        return 0;
    struct ir_scratch_pos mark = ir_scratch_mark();
    int ok = !opt_vmap_init(&cp.copy, f->nvals);
    ok = !opt_vers_init(&cp.vers, f->nvals) && ok;
    cp.globals = opt_globals(f, &cp.nglobals);
    cp.refs = opt_label_refs(f);
    if (!ok || !cp.globals || (f->nlabels && !cp.refs))
        goto out;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        struct ir_insn *in = &f->insns[i];
        if (opt_is_join(in, cp.refs, f->nlabels)) {
            opt_vmap_reset(&cp.copy);
            continue;
        }
        cp_propagate(&cp, in);
        cp_record(&cp, in);
    }
out:
    opt_vmap_free(&cp.copy);
    opt_vers_free(&cp.vers);
    ir_scratch_release(mark);
    if (cp.changed)
        ir_compact(f);
    return cp.changed;
}
