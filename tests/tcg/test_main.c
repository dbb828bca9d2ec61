/* Check suite test_tcg: the translation cache, the execution loop and the irvm,
 * each case run on the fake test backend and on every real backend of the host. */
#include <stdio.h>
#include <stdlib.h>

#include "accel/tcg/irvm.h"
#include "fake_backend.h"
#include "tcg_test.h"

struct test_backend test_backends[TEST_MAX_BACKENDS];
int test_nbackends;

static void test_backends_init(void)
{
    test_backends[test_nbackends++] = (struct test_backend){"fake", &fake_backend};
    static const char *const names[] = {"interp", "jit"};
    for (unsigned i = 0; i < 2; i++)
        if (backend_by_name(names[i]))
            test_backends[test_nbackends++] =
                (struct test_backend){names[i], backend_by_name(names[i])};
}

int main(void)
{
    test_backends_init();
    if (irvm_register_helpers() < 0 || register_test_helpers() < 0) {
        fprintf(stderr, "test_tcg: cannot register the helpers\n");
        return EXIT_FAILURE;
    }
    Suite *s = suite_create("tcg");
    add_cache_tests(s);
    add_irvm_tests(s);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
