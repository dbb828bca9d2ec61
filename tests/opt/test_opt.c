/* test_opt: the Check suite of the IR optimizer (ir/opt*.c).  This file holds
 * the fixture, the checked pass runner and main; the cases are in
 * test_opt_passes.c, test_opt_simplify.c, test_opt_golden.c, test_opt_random.c. */
#include "test_opt.h"

#include <stdlib.h>
#include <string.h>

struct ir_func F;
ir_ref G0, G1, G2, G3, W0, W1, NF;
ir_ref T64[4], T32[4];
const struct vm_helper_ids *HID;

void opt_fixture_setup(void)
{
    HID = vm_helpers_register();
    ir_func_init(&F);
    F.pc = 0x1000;
    F.env_size = VM_ENV_SIZE;
    G0 = ir_global(&F, IR_I64, 0x00, "g0");
    G1 = ir_global(&F, IR_I64, 0x08, "g1");
    G2 = ir_global(&F, IR_I64, 0x10, "g2");
    G3 = ir_global(&F, IR_I64, 0x18, "g3");
    W0 = ir_global(&F, IR_I32, 0x20, "w0");
    W1 = ir_global(&F, IR_I32, 0x24, "w1");
    NF = ir_global(&F, IR_I32, 0x28, "nf");
    for (int i = 0; i < 4; i++)
        T64[i] = ir_temp(&F, IR_I64);
    for (int i = 0; i < 4; i++)
        T32[i] = ir_temp(&F, IR_I32);
}

void opt_fixture_teardown(void) { ir_func_free(&F); }

ir_ref c64(uint64_t v) { return ir_const(&F, IR_I64, v); }
ir_ref c32(uint64_t v) { return ir_const(&F, IR_I32, v); }

const char *opt_text(const struct ir_func *f)
{
    static char buf[16384];
    FILE *ms = fmemopen(buf, sizeof(buf) - 1, "w");
    if (!ms)
        return "?";
    ir_print(ms, f);
    fclose(ms);
    buf[sizeof(buf) - 1] = 0;
    return buf;
}

unsigned opt_count_op(const struct ir_func *f, enum ir_op op)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < f->ninsns; i++)
        n += f->insns[i].op == op;
    return n;
}

const struct ir_insn *opt_find(const struct ir_func *f, enum ir_op op, unsigned n)
{
    for (uint32_t i = 0; i < f->ninsns; i++)
        if (f->insns[i].op == op && n-- == 0)
            return &f->insns[i];
    return NULL;
}

bool opt_equivalent(const struct ir_func *a, const struct ir_func *b, unsigned nseeds, char *why,
                    size_t n)
{
    static struct vm_state sa, sb;
    for (unsigned seed = 1; seed <= nseeds; seed++) {
        vm_init(&sa, seed);
        vm_init(&sb, seed);
        vm_run(a, &sa, 100000);
        vm_run(b, &sb, 100000);
        if (sa.end == VM_END_BAD) {
            snprintf(why, n, "start state %u: the input block is broken: %s", seed, sa.bad);
            return false;
        }
        if (sa.end == VM_END_STEPS)
            continue;
        char d[200];
        if (!vm_same(&sa, &sb, d, sizeof(d))) {
            snprintf(why, n, "start state %u: %s%s%s", seed, d, sb.end == VM_END_BAD ? ": " : "",
                     sb.end == VM_END_BAD ? sb.bad : "");
            return false;
        }
    }
    return true;
}

int opt_run_checked(enum ir_pass p)
{
    ck_assert_msg(F.err == 0, "building the test block failed: %s", F.errmsg);
    char err[300];
    ck_assert_msg(ir_verify(&F, err, sizeof(err)) == 0, "test block invalid: %s\n%s", err,
                  opt_text(&F));
    struct ir_func before;
    ir_func_init(&before);
    ck_assert_int_eq(ir_func_copy(&before, &F), 0);
    int r;
    switch (p) {
    case IR_PASS_constfold:
        r = ir_pass_constfold(&F);
        break;
    case IR_PASS_copyprop:
        r = ir_pass_copyprop(&F);
        break;
    case IR_PASS_simplify:
        r = ir_pass_simplify(&F);
        break;
    case IR_PASS_stateelim:
        r = ir_pass_stateelim(&F);
        break;
    case IR_PASS_dce:
        r = ir_pass_dce(&F);
        break;
    default:
        r = ir_optimize(&F, IR_PASSES_ALL, true, NULL);
        break;
    }
    ck_assert_msg(ir_verify(&F, err, sizeof(err)) == 0, "invalid after the pass: %s\n%s", err,
                  opt_text(&F));
    char why[400];
    bool same = opt_equivalent(&before, &F, 32, why, sizeof(why));
    if (!same) {
        char *a = strdup(opt_text(&before));
        ck_abort_msg("behaviour changed: %s\nbefore:\n%s\nafter:\n%s", why, a, opt_text(&F));
    }
    ir_func_free(&before);
    return r;
}

int main(void)
{
    Suite *s = suite_create("opt");
    suite_add_tcase(s, opt_tcase_constfold());
    suite_add_tcase(s, opt_tcase_copyprop());
    suite_add_tcase(s, opt_tcase_simplify());
    suite_add_tcase(s, opt_tcase_stateelim());
    suite_add_tcase(s, opt_tcase_dce());
    suite_add_tcase(s, opt_tcase_optimize());
    suite_add_tcase(s, opt_tcase_random());
    opt_add_golden_tcases(s);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
