/* The initial stack (user/stack.h).  From the top down: an 8-byte zero end
 * marker, the AT_EXECFN string, environment strings, argument strings, the
 * platform string, 16 random bytes; then, from the aligned stack pointer up:
 * argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL. */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "user/stack.h"

struct stack_writer {
    struct user_mm *mm;
    uint64_t at, bottom;
    int err;
};

/* Put n bytes below the current position; returns their guest address. */
static uint64_t push_bytes(struct stack_writer *w, const void *p, size_t n)
{
    if (w->err || w->at - w->bottom < n) {
        w->err = -E2BIG;
        return 0;
    }
    w->at -= n;
    void *dst = user_mm_ptr(w->mm, w->at, n, PROT_WRITE);
    if (!dst) {
        w->err = -EFAULT;
        return 0;
    }
    memcpy(dst, p, n);
    return w->at;
}

static uint64_t push_str(struct stack_writer *w, const char *s)
{
    return push_bytes(w, s, strlen(s) + 1);
}

static void put_word(struct user_mm *mm, uint64_t addr, uint64_t v, unsigned size)
{
    void *p = user_mm_ptr(mm, addr, size, PROT_WRITE);
    if (size == 8) {
        memcpy(p, &v, 8);
    } else {
        uint32_t x = (uint32_t)v;
        memcpy(p, &x, 4);
    }
}

int user_stack_build(struct user_mm *mm, uint64_t top, uint64_t bottom,
                     const struct user_stack_args *a, uint64_t *sp)
{
    struct stack_writer w = {mm, top, bottom, 0};
    static const uint8_t zero[8];
    push_bytes(&w, zero, 8);
    uint64_t execfn = push_str(&w, a->execfn);
    uint64_t *env = calloc(a->envc + a->argc + 1, sizeof(*env));
    if (!env)
        return -ENOMEM;
    uint64_t *arg = env + a->envc;
    for (size_t i = a->envc; i-- > 0;)
        env[i] = push_str(&w, a->envp[i]);
    for (size_t i = a->argc; i-- > 0;)
        arg[i] = push_str(&w, a->argv[i]);
    uint64_t platform = a->platform ? push_str(&w, a->platform) : 0;
    w.at &= ~15ull;
    uint64_t random = push_bytes(&w, a->random, 16);

    /* the table: argc, argv, NULL, envp, NULL, auxv (+ our 3 + AT_NULL) */
    size_t naux = a->naux + 3 + (platform ? 1 : 0);
    size_t words = 1 + a->argc + 1 + a->envc + 1 + 2 * naux;
    uint64_t bytes = words * a->ptr_size;
    if (w.err || w.at - w.bottom < bytes + a->align) {
        free(env);
        return w.err ? w.err : -E2BIG;
    }
    uint64_t base = (w.at - bytes) & ~(uint64_t)(a->align - 1);
    uint64_t p = base;
    unsigned ps = a->ptr_size;
    put_word(mm, p, a->argc, ps), p += ps;
    for (size_t i = 0; i < a->argc; i++)
        put_word(mm, p, arg[i], ps), p += ps;
    put_word(mm, p, 0, ps), p += ps;
    for (size_t i = 0; i < a->envc; i++)
        put_word(mm, p, env[i], ps), p += ps;
    put_word(mm, p, 0, ps), p += ps;
    for (size_t i = 0; i < a->naux; i++) {
        put_word(mm, p, a->aux[i].type, ps), p += ps;
        put_word(mm, p, a->aux[i].val, ps), p += ps;
    }
    if (platform) {
        put_word(mm, p, AT_PLATFORM, ps), p += ps;
        put_word(mm, p, platform, ps), p += ps;
    }
    put_word(mm, p, AT_RANDOM, ps), p += ps;
    put_word(mm, p, random, ps), p += ps;
    put_word(mm, p, AT_EXECFN, ps), p += ps;
    put_word(mm, p, execfn, ps), p += ps;
    put_word(mm, p, AT_NULL, ps), p += ps;
    put_word(mm, p, 0, ps), p += ps;
    free(env);
    *sp = base;
    return 0;
}
