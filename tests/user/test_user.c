/* Check suite test_user: Linux user mode (user/): the guest address space,
 * the initial stack and auxv, the AArch64 ABI tables, the ELF loader, the
 * system call handlers, whole runs of tiny AArch64 programs, and the x86-64
 * ABI (test_abi_x64.c). */
#include <stdlib.h>

#include "user_test.h"

int main(void)
{
    Suite *s = suite_create("user");
    add_mm_tests(s);
    add_stack_tests(s);
    add_elf_tests(s);
    add_sys_tests(s);
    add_abi_x64_tests(s);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
