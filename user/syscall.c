/* The system call dispatcher of Linux user mode: read the number and
 * arguments from the guest registers (through the guest's ABI), print them
 * under -strace, call the handler from the guest's table, write the result
 * back.  Calls the table does not implement get -ENOSYS, reported once. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "user/user_int.h"
#include "util/log.h"

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void user_unimp(struct user_proc *p, const char *fmt, ...)
{
    if (!log_enabled(LOG_unimp))
        return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < p->nunimp_msgs; i++)
        if (strcmp(p->unimp_msgs[i], msg) == 0)
            return; /* once each */
    char **m = realloc(p->unimp_msgs, (p->nunimp_msgs + 1) * sizeof(char *));
    if (m) {
        p->unimp_msgs = m;
        if ((m[p->nunimp_msgs] = strdup(msg)) != NULL)
            p->nunimp_msgs++;
    }
    fprintf(log_out(), "ferry: unimplemented: %s\n", msg);
    fflush(log_out());
}

static void unimp_syscall(struct user_proc *p, uint64_t nr, const struct user_syscall *sc)
{
    if (sc)
        user_unimp(p, "system call %s (%" PRIu64 "): the guest gets ENOSYS", sc->name, nr);
    else
        user_unimp(p, "unknown system call %" PRIu64 ": the guest gets ENOSYS", nr);
}

void user_syscall(struct user_proc *p)
{
    const struct user_abi *abi = p->abi;
    uint64_t a[6];
    uint64_t nr = abi->syscall_args(p->cpu, a);
    const struct user_syscall *sc =
        nr < abi->nsyscalls && abi->syscalls[nr].name ? &abi->syscalls[nr] : NULL;
    uint64_t t0 = p->opt->stats ? now_ns() : 0;
    p->nsyscalls++;
    if (p->strace)
        user_strace_call(p, nr, sc, a);
    int64_t r = sc && sc->fn ? sc->fn(p, a) : -ENOSYS;
    if (p->exited)
        return;
    abi->syscall_ret(p->cpu, (uint64_t)r);
    if (p->strace)
        user_strace_ret(p, sc, r);
    if (!sc || !sc->fn)
        unimp_syscall(p, nr, sc);
    if (t0)
        p->syscall_ns += now_ns() - t0;
}

const char *user_path(struct user_proc *p, uint64_t addr, int *err)
{
    return user_mm_str(&p->mm, addr, 4095, err);
}

int64_t user_ret(int64_t r)
{
    return r < 0 ? user_err(errno) : r;
}
