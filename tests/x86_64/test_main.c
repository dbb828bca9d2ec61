/* Check suite test_x64: the x86-64 frontend (frontend/x86_64) --
 * differential instruction vectors against the host CPU on every backend,
 * the exits (#DE, #UD, #GP, #XM, SYSCALL, HLT, INT3), FXSAVE, and the CPUID
 * model. */
#include <stdlib.h>

#include "x64_test.h"

int main(void)
{
    Suite *s = suite_create("x64");
    x64t_add_vector_tests(s);
    x64t_add_misc_tests(s);
    x64t_add_sse_tests(s);
    x64t_add_ir_tests(s);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
