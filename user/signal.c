/* Signals of Linux user mode.  Host faults while guest code runs: a fault on
 * the guest reservation (or from generated code) is a guest access, so the
 * handler jumps back to the run loop (siglongjmp: the one non-local exit,
 * out of a signal handler), which raises the guest's SIGSEGV/SIGBUS; any
 * other host fault is a Ferry bug and is reported with the host and guest pc.
 * Guest signals take their default action (ferry dies by the same signal,
 * as qemu-user does); handlers are recorded and delivered later. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <ucontext.h>
#include <unistd.h>

#include "user/user_int.h"
#include "util/log.h"

/* The process whose guest code may run (one per ferry process for now). */
static struct user_proc *volatile sig_proc;

/* What the handler saw, for user_signal_fault_info. */
static struct {
    int signo, code;
    uintptr_t addr, host_pc;
} last_fault;

static const char *const sig_names[] = {
    [SIGHUP] = "SIGHUP",   [SIGINT] = "SIGINT",       [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
    [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",     [SIGBUS] = "SIGBUS",   [SIGFPE] = "SIGFPE",
    [SIGKILL] = "SIGKILL", [SIGUSR1] = "SIGUSR1",     [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
    [SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM",     [SIGTERM] = "SIGTERM", [SIGSTKFLT] = "SIGSTKFLT",
    [SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT",     [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP",
    [SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU",     [SIGURG] = "SIGURG",   [SIGXCPU] = "SIGXCPU",
    [SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH",
    [SIGIO] = "SIGIO",     [SIGPWR] = "SIGPWR",       [SIGSYS] = "SIGSYS",
};

const char *user_signal_name(int sig)
{
    if (sig > 0 && (size_t)sig < sizeof(sig_names) / sizeof(sig_names[0]))
        return sig_names[sig];
    return NULL;
}

/* For messages: "SIGSEGV", or "signal 40". */
static const char *sig_label(int sig, char *buf, size_t len)
{
    const char *n = user_signal_name(sig);
    if (n)
        return n;
    snprintf(buf, len, "signal %d", sig);
    return buf;
}

bool user_signal_default_kills(int sig)
{
    switch (sig) {
    case SIGCHLD:
    case SIGCONT:
    case SIGURG:
    case SIGWINCH:
    case SIGSTOP:
    case SIGTSTP:
    case SIGTTIN:
    case SIGTTOU:
        return false;
    default:
        return true;
    }
}

static bool is_stop_signal(int sig)
{
    return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* Signals the translated code itself raises: their host handlers stay ours. */
static bool is_sync_signal(int sig)
{
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP;
}

static uintptr_t host_pc_of(const void *ucv)
{
    const ucontext_t *uc = ucv;
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.pc;
#else
    (void)uc;
    return 0;
#endif
}

static bool in_code_buffer(const struct user_proc *p, uintptr_t pc)
{
    const struct code_buf *cb = &p->tcg.cb;
    return p->tcg_ready && cb->rx && pc >= (uintptr_t)cb->rx && pc - (uintptr_t)cb->rx < cb->size;
}

/* The guest pc of a host pc in generated code, or UINT64_MAX. */
static uint64_t guest_pc_of(const struct user_proc *p, uintptr_t host_pc)
{
    if (!in_code_buffer(p, host_pc))
        return UINT64_MAX;
    struct tb *tb = tcg_find_tb_by_host_pc(&p->tcg, (const void *)host_pc);
    return tb ? tb_guest_pc(tb, (const uint8_t *)host_pc) : UINT64_MAX;
}

/* A host fault is a guest memory access if it hit the guest reservation, came
 * from generated code, or is a non-canonical address (SI_KERNEL: guest_base
 * plus a huge guest address) while guest code ran. */
static bool is_guest_fault(const struct user_proc *p, int sig, const siginfo_t *si, uintptr_t pc)
{
    if (sig != SIGSEGV && sig != SIGBUS)
        return false;
    return user_mm_host_in(&p->mm, si->si_addr) || in_code_buffer(p, pc) ||
           (sig == SIGSEGV && si->si_code == SI_KERNEL);
}

static void crash_report(struct user_proc *p, int sig, const siginfo_t *si, uintptr_t pc)
{
    char buf[32];
    fprintf(stderr, "ferry: internal error: host %s (code %d) at host pc 0x%" PRIxPTR
            ", address %p, %s\n", sig_label(sig, buf, sizeof(buf)),
            si->si_code, pc, si->si_addr,
            p && p->in_guest ? "while guest code ran" : "outside guest code");
    if (p && p->cpu) {
        uint64_t gpc = guest_pc_of(p, pc);
        if (gpc != UINT64_MAX)
            fprintf(stderr, "ferry: in the translation of guest pc 0x%" PRIx64 "\n", gpc);
        else
            fprintf(stderr, "ferry: last guest pc 0x%" PRIx64 "\n", p->cpu->pc);
        if (p->fe && p->fe->cpu_dump)
            p->fe->cpu_dump(p->cpu, stderr);
        fprintf(stderr, "ferry: guest mappings (guest_base %p):\n", (void *)p->mm.base);
        user_mm_dump(&p->mm, stderr);
    }
    fflush(stderr);
}

/* Where in the block's code the fault happened: the host pc for a JIT; for a
 * backend that runs blocks from C (the interpreter) the backend says which
 * bytecode instruction was accessing guest memory. */
static uintptr_t block_code_pc(const struct user_proc *p, uintptr_t host_pc)
{
    const struct ferry_backend *be = p && p->tcg_ready ? p->tcg.backend : NULL;
    if (be && be->fault_pc) {
        const uint8_t *at = be->fault_pc(p->tcg.backend_state);
        if (at)
            return (uintptr_t)at;
    }
    return host_pc;
}

static void host_fault(int sig, siginfo_t *si, void *ucv)
{
    struct user_proc *p = sig_proc;
    uintptr_t pc = block_code_pc(p, host_pc_of(ucv));
    if (p && p->in_guest && is_guest_fault(p, sig, si, pc)) {
        last_fault.signo = sig;
        last_fault.code = si->si_code;
        last_fault.addr = (uintptr_t)si->si_addr;
        last_fault.host_pc = pc;
        p->in_guest = 0;
        siglongjmp(p->fault_jmp, 1);
    }
    crash_report(p, sig, si, pc);
    signal(SIGABRT, SIG_DFL);
    abort();
}

void user_signal_init(struct user_proc *p)
{
    sig_proc = p;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = host_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER; /* no mask to restore after siglongjmp */
    sigemptyset(&sa.sa_mask);
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaction(sigs[i], &sa, NULL);
}

void user_signal_fini(struct user_proc *p)
{
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        signal(sigs[i], SIG_DFL);
    if (sig_proc == p)
        sig_proc = NULL;
}

void user_signal_fault_info(struct user_proc *p, struct user_siginfo *si)
{
    uint64_t gpc = guest_pc_of(p, last_fault.host_pc);
    if (gpc != UINT64_MAX)
        p->cpu->pc = gpc; /* else a helper faulted: it stored its pc before the call */
    uintptr_t a = last_fault.addr;
    bool in = user_mm_host_in(&p->mm, (const void *)a);
    uint64_t gaddr = in ? (uint64_t)(a - (uintptr_t)p->mm.base) : 0;
    if (last_fault.signo == SIGBUS) {
        *si = (struct user_siginfo){SIGBUS, BUS_ADRERR, gaddr};
        return;
    }
    int code = in && gaddr < p->mm.size && user_mm_find(&p->mm, gaddr) ? SEGV_ACCERR : SEGV_MAPERR;
    *si = (struct user_siginfo){SIGSEGV, code, gaddr};
}

_Noreturn void user_die_by_signal(struct user_proc *p, int sig)
{
    if (p)
        user_run_stats(p);
    fflush(NULL);
    /* the guest's core would be ferry's (terabytes of reservation): none */
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl);
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    kill(getpid(), sig);
    _exit(128 + sig);
}

static void strace_signal(struct user_proc *p, const struct user_siginfo *si)
{
    if (!p->strace && !log_enabled(LOG_guest_errors) && !log_enabled(LOG_unimp))
        return;
    char buf[32];
    fprintf(log_out(), "--- %s {si_signo=%d, si_code=%d, si_addr=0x%" PRIx64 "} at pc 0x%" PRIx64
            " ---\n", sig_label(si->signo, buf, sizeof(buf)), si->signo, si->code, si->addr,
            p->cpu->pc);
    fflush(log_out());
}

void user_signal_raise(struct user_proc *p, const struct user_siginfo *si)
{
    int sig = si->signo;
    char buf[32];
    strace_signal(p, si);
    uint64_t h = p->sigact[sig].handler;
    /* a synchronous fault cannot be ignored or blocked: Linux forces the default */
    if (h > 1)
        user_unimp(p, "delivery of %s to the guest's handler at 0x%" PRIx64
                   " (not yet: default action)", sig_label(sig, buf, sizeof(buf)), h);
    if (user_signal_default_kills(sig))
        user_die_by_signal(p, sig);
}

int64_t user_signal_self(struct user_proc *p, int sig)
{
    if (sig < 1 || sig > USER_NSIG)
        return -EINVAL;
    uint64_t h = p->sigact[sig].handler;
    if (sig == SIGKILL)
        user_die_by_signal(p, sig);
    if (sig == SIGSTOP || (h == 0 && is_stop_signal(sig))) {
        raise(sig);
        return 0;
    }
    if (h == 1) /* SIG_IGN */
        return 0;
    if (h == 0) {
        if (user_signal_default_kills(sig)) {
            struct user_siginfo si = {sig, SI_TKILL, 0};
            strace_signal(p, &si);
            user_die_by_signal(p, sig);
        }
        return 0;
    }
    char buf[32];
    user_unimp(p, "delivery of %s to the guest's handler at 0x%" PRIx64 " (not yet: ignored)",
               sig_label(sig, buf, sizeof(buf)), h);
    return 0;
}

void user_signal_disposition_changed(struct user_proc *p, int sig)
{
    if (is_sync_signal(sig) || sig == SIGKILL || sig == SIGSTOP || sig > SIGRTMAX)
        return;
    uint64_t h = p->sigact[sig].handler;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    /* SIG_IGN is mirrored (a write to a closed pipe then fails with EPIPE as the
     * guest expects); a handler is not delivered yet: for SIGPIPE the host
     * ignores it too, so the guest still sees EPIPE; others keep the default */
    sa.sa_handler = h == 1 || (h > 1 && sig == SIGPIPE) ? SIG_IGN : SIG_DFL;
    char buf[32];
    if (h > 1)
        user_unimp(p, "a handler for %s is recorded, not delivered yet",
                   sig_label(sig, buf, sizeof(buf)));
    sigaction(sig, &sa, NULL);
}
