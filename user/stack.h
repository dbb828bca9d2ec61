/* The initial stack of a Linux program: argument and environment strings,
 * the auxiliary vector (auxv) and the argc/argv/envp words the program's
 * _start reads, laid out as the Linux kernel does (fs/binfmt_elf.c order). */
#ifndef FERRY_USER_STACK_H
#define FERRY_USER_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "user/mm.h"

struct user_auxv {
    uint64_t type, val;
};

struct user_stack_args {
    char *const *argv;
    size_t argc;
    char *const *envp;
    size_t envc;
    const char *execfn;      /* AT_EXECFN's string (the program path as given) */
    const char *platform;    /* AT_PLATFORM's string, or NULL for none */
    const uint8_t *random;   /* AT_RANDOM's 16 bytes */
    const struct user_auxv *aux; /* every other entry, in order (no AT_NULL) */
    size_t naux;
    unsigned ptr_size;       /* 8 (64-bit guest) or 4 */
    unsigned align;          /* stack pointer alignment at entry (AArch64: 16) */
};

/* Build the stack below `top` (mapped writable down to `bottom`).  On success
 * *sp is the entry stack pointer (it points at argc) and 0 is returned;
 * -E2BIG if it does not fit. */
int user_stack_build(struct user_mm *mm, uint64_t top, uint64_t bottom,
                     const struct user_stack_args *a, uint64_t *sp);

#endif
