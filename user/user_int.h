/* Internals of Linux user mode shared by the user/ sources: the process state, the
 * system call dispatcher and its handlers (user/sys_*.c), -strace, signals. */
#ifndef FERRY_USER_INT_H
#define FERRY_USER_INT_H

#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#include "accel/tcg/tcg.h"
#include "frontend/frontend.h"
#include "user/abi.h"
#include "user/elf.h"
#include "user/mm.h"
#include "user/user.h"

#define USER_NSIG 64 /* guest signals 1..64 */

/* A guest sigaction as recorded (full delivery comes with guest signal frames). */
struct user_sigaction {
    uint64_t handler; /* 0 SIG_DFL, 1 SIG_IGN, else the guest handler */
    uint64_t flags;
    uint64_t restorer;
    uint64_t mask;
};

struct user_proc {
    const struct user_options *opt;
    const struct user_abi *abi;
    const struct ferry_frontend *fe;
    struct user_mm mm;
    struct user_image img;
    char *exe_path; /* absolute path of the program: /proc/self/exe */

    struct tcg_ctx tcg;
    bool tcg_ready;
    struct frontend_ctx fctx;
    bool fctx_ready;
    struct cpu_head *cpu;

    /* signals: recorded dispositions and mask */
    struct user_sigaction sigact[USER_NSIG + 1];
    uint64_t sigmask;
    uint64_t altstack_sp, altstack_flags, altstack_size;

    uint64_t clear_child_tid, robust_list, robust_len;

    bool exited;
    int exit_code;

    bool strace;
    char **unimp_msgs; /* what -d unimp already reported */
    size_t nunimp_msgs;

    /* host fault caught while guest code ran (user/signal.c) */
    sigjmp_buf fault_jmp;
    volatile sig_atomic_t in_guest;

    uint64_t nsyscalls, syscall_ns;
};

/* ---- system calls (user/syscall.c) ---- */

/* Handle the system call cpu stopped at: decode, -strace, dispatch, result
 * into the guest's register. */
void user_syscall(struct user_proc *p);
/* Report something unimplemented under -d unimp, once per message. */
void user_unimp(struct user_proc *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Checked guest memory for the handlers: NULL if not mapped with prot. */
static inline void *user_ptr(struct user_proc *p, uint64_t addr, uint64_t len, int prot)
{
    return user_mm_ptr(&p->mm, addr, len, prot);
}
/* Guest path: NULL with *err = -EFAULT / -ENAMETOOLONG. */
const char *user_path(struct user_proc *p, uint64_t addr, int *err);
/* The host file a guest path names: /proc/self/exe is the guest program. */
const char *user_host_path(struct user_proc *p, const char *path);
/* Host errno of a failed host call, as a negative guest errno (same numbers
 * on every Linux guest Ferry supports: asm-generic errno). */
static inline int64_t user_err(int host_errno) { return -(int64_t)host_errno; }
/* r < 0 ? -errno : r */
int64_t user_ret(int64_t r);

/* ---- -strace (user/strace.c) ---- */
void user_strace_call(struct user_proc *p, uint64_t nr, const struct user_syscall *sc,
                      const uint64_t *a);
void user_strace_ret(struct user_proc *p, const struct user_syscall *sc, int64_t r);

/* ---- signals (user/signal.c) ---- */
/* Install the host SIGSEGV/SIGBUS handlers that catch guest faults. */
void user_signal_init(struct user_proc *p);
void user_signal_fini(struct user_proc *p);
/* After a caught host fault: the guest signal it stands for. */
void user_signal_fault_info(struct user_proc *p, struct user_siginfo *si);
/* Deliver a synchronous guest signal.  Until guest signal frames exist only
 * the default actions are carried out: for a fatal signal ferry dies by it
 * (does not return); returns if the guest ignores it. */
void user_signal_raise(struct user_proc *p, const struct user_siginfo *si);
/* The guest sends itself signal sig (kill, tgkill, raise): default action,
 * ignore, or (handlers not delivered yet) reported under -d unimp. */
int64_t user_signal_self(struct user_proc *p, int sig);
/* rt_sigaction changed sig's disposition: mirror SIG_IGN on the host. */
void user_signal_disposition_changed(struct user_proc *p, int sig);
/* Die by host signal sig (default action), as the guest would. */
_Noreturn void user_die_by_signal(struct user_proc *p, int sig);
const char *user_signal_name(int sig);
/* The default action of a signal kills the process. */
bool user_signal_default_kills(int sig);

/* ---- run loop (user/run.c) ---- */
/* In a child after fork: give it its own translation cache (the code buffer
 * is shared memory between parent and child).  Returns 0 or a negative errno. */
int user_run_after_fork(struct user_proc *p);
/* Print --stats (once). */
void user_run_stats(struct user_proc *p);

/* ---- handlers (user/sys_file.c, user/sys_mem.c, user/sys_proc.c) ---- */
#include "user/syscall_handlers.h"

#endif
