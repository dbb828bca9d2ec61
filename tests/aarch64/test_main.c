/* Check suite test_a64: the AArch64 frontend (frontend/aarch64) -- instruction
 * vectors on every backend, block formation, logging and exits. */
#include <stdlib.h>

#include "a64_test.h"

int main(void)
{
    Suite *s = suite_create("a64");
    a64t_add_vector_tests(s);
    a64t_add_misc_tests(s);
    a64t_add_disas_tests(s);
    a64t_add_flag_tests(s);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
