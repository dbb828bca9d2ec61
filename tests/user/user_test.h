/* Shared declarations of the test_user Check suite (tests/user). */
#ifndef FERRY_USER_TEST_H
#define FERRY_USER_TEST_H

#include <check.h>

#include "user/user_int.h"

void add_mm_tests(Suite *s);    /* test_mm.c: address space, brk, mmap, pointers */
void add_stack_tests(Suite *s); /* test_stack.c: initial stack, auxv, ABI tables */
void add_elf_tests(Suite *s);   /* test_elf.c: ELF checks and loading, whole runs */
void add_sys_tests(Suite *s);   /* test_sys.c: system call handlers and dispatch */
void add_abi_x64_tests(Suite *s); /* test_abi_x64.c: the x86-64 ABI and legacy calls */

/* A process with a reserved address space and the AArch64 ABI, no CPU. */
struct user_proc *test_proc_new(void);
void test_proc_free(struct user_proc *p);
/* Map n pages at guest addr with prot (fails the test if it cannot). */
void test_map(struct user_proc *p, uint64_t addr, uint64_t npages, int prot);

#endif
