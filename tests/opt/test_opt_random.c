/* test_opt: differential test of the optimizer on random blocks (opt_gen.c):
 * each pass alone and the whole pipeline must leave a valid block that
 * behaves exactly as the input on the test executor. */
#include "test_opt.h"

#include <stdlib.h>
#include <string.h>

#include "opt_gen.h"

/* Overridable at build time for long fuzzing runs. */
#ifndef RANDOM_CHUNKS
#define RANDOM_CHUNKS 10
#endif
#ifndef RANDOM_SEEDS_PER_CHUNK
#define RANDOM_SEEDS_PER_CHUNK 150
#endif
#define RANDOM_STATES 6

static int random_run(struct ir_func *f, int pass)
{
    switch (pass) {
    case IR_PASS_constfold:
        return ir_pass_constfold(f);
    case IR_PASS_copyprop:
        return ir_pass_copyprop(f);
    case IR_PASS_simplify:
        return ir_pass_simplify(f);
    case IR_PASS_stateelim:
        return ir_pass_stateelim(f);
    case IR_PASS_dce:
        return ir_pass_dce(f);
    default:
        return ir_optimize(f, IR_PASSES_ALL, false, NULL);
    }
}

START_TEST(random_blocks_keep_behaviour)
{
    const struct vm_helper_ids *h = vm_helpers_register();
    struct ir_func orig, work;
    ir_func_init(&orig);
    ir_func_init(&work);
    char err[300], why[400];
    for (unsigned k = 0; k < RANDOM_SEEDS_PER_CHUNK; k++) {
        uint64_t seed = (uint64_t)_i * RANDOM_SEEDS_PER_CHUNK + k + 1;
        ir_func_reset(&orig);
        gen_block(&orig, seed, h);
        ck_assert_msg(orig.err == 0, "seed %llu: generator: %s", (unsigned long long)seed,
                      orig.errmsg);
        ck_assert_msg(ir_verify(&orig, err, sizeof(err)) == 0,
                      "seed %llu: generator made an "
                      "invalid block: %s\n%s",
                      (unsigned long long)seed, err, opt_text(&orig));
        for (int p = 0; p <= IR_PASS_COUNT; p++) {
            const char *name = p < IR_PASS_COUNT ? ir_pass_names[p] : "ir_optimize";
            ck_assert_int_eq(ir_func_copy(&work, &orig), 0);
            random_run(&work, p);
            if (ir_verify(&work, err, sizeof(err)) != 0) {
                char *a = strdup(opt_text(&orig));
                ck_abort_msg("seed %llu, %s: invalid result: %s\ninput:\n%s\nresult:\n%s",
                             (unsigned long long)seed, name, err, a, opt_text(&work));
            }
            if (!opt_equivalent(&orig, &work, RANDOM_STATES, why, sizeof(why))) {
                char *a = strdup(opt_text(&orig));
                ck_abort_msg("seed %llu, %s: %s\ninput:\n%s\nresult:\n%s", (unsigned long long)seed,
                             name, why, a, opt_text(&work));
            }
        }
    }
    ir_func_free(&orig);
    ir_func_free(&work);
}
END_TEST

/* The pipeline reaches a fixpoint: running it again changes nothing much
 * and keeps behaviour (guards against passes that undo each other). */
START_TEST(random_blocks_second_run_stable)
{
    const struct vm_helper_ids *h = vm_helpers_register();
    struct ir_func orig, work;
    ir_func_init(&orig);
    ir_func_init(&work);
    char why[400];
    for (unsigned k = 0; k < 100; k++) {
        uint64_t seed = 900000 + (uint64_t)k;
        ir_func_reset(&orig);
        gen_block(&orig, seed, h);
        ck_assert_int_eq(ir_func_copy(&work, &orig), 0);
        ir_optimize(&work, IR_PASSES_ALL, true, NULL);
        uint32_t n1 = work.ninsns;
        ir_optimize(&work, IR_PASSES_ALL, true, NULL);
        ck_assert_msg(work.ninsns <= n1, "seed %llu: second run grew the block",
                      (unsigned long long)seed);
        ck_assert_msg(opt_equivalent(&orig, &work, RANDOM_STATES, why, sizeof(why)),
                      "seed %llu: %s", (unsigned long long)seed, why);
    }
    ir_func_free(&orig);
    ir_func_free(&work);
}
END_TEST

TCase *opt_tcase_random(void)
{
    TCase *tc = tcase_create("random");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, random_blocks_keep_behaviour, 0, RANDOM_CHUNKS);
    tcase_add_test(tc, random_blocks_second_run_stable);
    return tc;
}
