/* The instruction-vector cases of test_a64: every vector of a64_vectors.inc
 * (grouped by instruction class, one Check case per group) run on each
 * configuration (JIT and interpreter, optimized and not, one instruction
 * per block), with the whole end state compared. */
#include <string.h>

#include "a64_test.h"

static const struct a64t_vec a64t_vectors[] = {
#include "a64_vectors.inc"
};
#define A64T_NVECTORS (sizeof a64t_vectors / sizeof a64t_vectors[0])

/* Run every vector of `group` on every configuration. */
static void a64t_run_group(const char *group)
{
    unsigned n = 0;
    for (unsigned c = 0; c < A64T_NCONFIGS; c++) {
        struct a64t h;
        a64t_init(&h, &a64t_configs[c]);
        for (unsigned i = 0; i < A64T_NVECTORS; i++) {
            if (strcmp(a64t_vectors[i].group, group) != 0)
                continue;
            a64t_check_vec(&h, &a64t_vectors[i], a64t_config_name(c));
            n++;
        }
        a64t_fini(&h);
    }
    ck_assert_msg(n > 0, "no vectors in group %s", group);
}

START_TEST(vectors_dp_imm) { a64t_run_group("dp_imm"); }
END_TEST
START_TEST(vectors_dp_reg) { a64t_run_group("dp_reg"); }
END_TEST
START_TEST(vectors_ldst) { a64t_run_group("ldst"); }
END_TEST
START_TEST(vectors_ldst_vec) { a64t_run_group("ldst_vec"); }
END_TEST
START_TEST(vectors_branch) { a64t_run_group("branch"); }
END_TEST
START_TEST(vectors_system) { a64t_run_group("system"); }
END_TEST
START_TEST(vectors_atomic) { a64t_run_group("atomic"); }
END_TEST
START_TEST(vectors_undef) { a64t_run_group("undef"); }
END_TEST

/* Every vector belongs to a group some case runs. */
START_TEST(vectors_all_grouped)
{
    static const char *const groups[] = {"dp_imm", "dp_reg", "ldst", "ldst_vec",
                                         "branch", "system", "atomic", "undef"};
    for (unsigned i = 0; i < A64T_NVECTORS; i++) {
        bool found = false;
        for (unsigned g = 0; g < sizeof groups / sizeof groups[0]; g++)
            found |= strcmp(a64t_vectors[i].group, groups[g]) == 0;
        ck_assert_msg(found, "a64_vectors.inc:%u: group %s is not run", a64t_vectors[i].line,
                      a64t_vectors[i].group);
    }
    ck_assert_uint_ge(A64T_NVECTORS, 300);
}
END_TEST

void a64t_add_vector_tests(Suite *s)
{
    TCase *tc = tcase_create("vectors");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, vectors_dp_imm);
    tcase_add_test(tc, vectors_dp_reg);
    tcase_add_test(tc, vectors_ldst);
    tcase_add_test(tc, vectors_ldst_vec);
    tcase_add_test(tc, vectors_branch);
    tcase_add_test(tc, vectors_system);
    tcase_add_test(tc, vectors_atomic);
    tcase_add_test(tc, vectors_undef);
    tcase_add_test(tc, vectors_all_grouped);
    suite_add_tcase(s, tc);
}
