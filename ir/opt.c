/* The optimizer driver: frontend IR -> ir_optimize -> backend.
 * Pipeline: constfold -> copyprop -> simplify, repeated while they change
 * something (bounded), then stateelim -> dce, then ir_compact.  Optionally
 * verifies (an invalid result is an internal error) and logs after each pass. */
#include "ir.h"

#include <stdlib.h>

/* Rounds of the constfold/copyprop/simplify loop at most. */
#define IR_OPT_ROUNDS 4

typedef int ir_pass_fn(struct ir_func *f);

static ir_pass_fn *const ir_pass_fns[IR_PASS_COUNT] = {
    [IR_PASS_constfold] = ir_pass_constfold,
    [IR_PASS_copyprop] = ir_pass_copyprop,
    [IR_PASS_simplify] = ir_pass_simplify,
    [IR_PASS_stateelim] = ir_pass_stateelim,
    [IR_PASS_dce] = ir_pass_dce,
};

/* The loop below relies on the order of passes.def. */
_Static_assert(IR_PASS_constfold == 0 && IR_PASS_copyprop == 1 && IR_PASS_simplify == 2 &&
                   IR_PASS_stateelim == 3 && IR_PASS_dce == 4 && IR_PASS_COUNT == 5,
               "ir_optimize assumes the pass order of passes.def");

static int ir_opt_run(struct ir_func *f, enum ir_pass p, bool verify, FILE *log)
{
    int changed = ir_pass_fns[p](f);
    if (verify) {
        char err[256];
        if (ir_verify(f, err, sizeof(err)) != 0) {
            fprintf(stderr, "ir_optimize: invalid IR after pass %s: %s\n", ir_pass_names[p], err);
            ir_print(stderr, f);
            abort();
        }
    }
    if (log && changed) { /* a pass that changed nothing adds nothing to read */
        fprintf(log, "-- after %s\n", ir_pass_names[p]);
        ir_print(log, f);
    }
    return changed;
}

int ir_optimize(struct ir_func *f, uint32_t mask, bool verify, FILE *log)
{
    if (f->err)
        return -1;
    for (int round = 0; round < IR_OPT_ROUNDS; round++) {
        int changed = 0;
        for (enum ir_pass p = IR_PASS_constfold; p <= IR_PASS_simplify; p++)
            if (mask & (1u << p))
                changed |= ir_opt_run(f, p, verify, log);
        if (!changed)
            break;
    }
    for (enum ir_pass p = IR_PASS_stateelim; p <= IR_PASS_dce; p++)
        if (mask & (1u << p))
            ir_opt_run(f, p, verify, log);
    ir_compact(f);
    return 0;
}
