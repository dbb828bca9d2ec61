/* Check suite test_machine: the pc machine, its boot loaders and their
 * behaviour on corrupt images. */
#include <stdlib.h>

#include "test_machine.h"

int main(void)
{
    Suite *s = suite_create("machine");
    suite_add_tcase(s, test_pc_tcase());
    suite_add_tcase(s, test_elf64_tcase());
    suite_add_tcase(s, test_elf64_errors_tcase());
    suite_add_tcase(s, test_multiboot_tcase());
    suite_add_tcase(s, test_corrupt_tcase());
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
