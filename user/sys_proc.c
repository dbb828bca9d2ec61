/* Process, identity, time, resource, signal and random system calls of Linux
 * user mode.  The structs involved (timespec, timeval, rlimit, rusage, tms,
 * sysinfo, utsname, sigaction, stack_t) have the same layout on every 64-bit
 * Linux guest Ferry runs and on the x86-64 host; uname reports the guest's
 * machine.  Signals are recorded, not yet delivered to guest handlers. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "user/user_int.h"

/* ---- ending ---- */

int64_t usys_exit_group(struct user_proc *p, const uint64_t *a)
{
    p->exited = true;
    p->exit_code = (int)(a[0] & 0xff);
    return 0;
}

/* One thread per process for now: the last thread's exit ends the process. */
int64_t usys_exit(struct user_proc *p, const uint64_t *a)
{
    return usys_exit_group(p, a);
}

/* ---- identity ---- */

int64_t usys_getpid(struct user_proc *p, const uint64_t *a) { return getpid(); }
int64_t usys_getppid(struct user_proc *p, const uint64_t *a) { return getppid(); }
int64_t usys_gettid(struct user_proc *p, const uint64_t *a) { return gettid(); }
int64_t usys_getuid(struct user_proc *p, const uint64_t *a) { return getuid(); }
int64_t usys_geteuid(struct user_proc *p, const uint64_t *a) { return geteuid(); }
int64_t usys_getgid(struct user_proc *p, const uint64_t *a) { return getgid(); }
int64_t usys_getegid(struct user_proc *p, const uint64_t *a) { return getegid(); }

int64_t usys_setuid(struct user_proc *p, const uint64_t *a)
{
    return user_ret(syscall(SYS_setuid, (uid_t)a[0]));
}

int64_t usys_setgid(struct user_proc *p, const uint64_t *a)
{
    return user_ret(syscall(SYS_setgid, (gid_t)a[0]));
}

static int64_t getres(struct user_proc *p, const uint64_t *a, long sysno)
{
    uint32_t *ids[3];
    for (int i = 0; i < 3; i++)
        if (!(ids[i] = user_ptr(p, a[i], 4, PROT_WRITE)))
            return -EFAULT;
    return user_ret(syscall(sysno, ids[0], ids[1], ids[2]));
}

int64_t usys_getresuid(struct user_proc *p, const uint64_t *a)
{
    return getres(p, a, SYS_getresuid);
}

int64_t usys_getresgid(struct user_proc *p, const uint64_t *a)
{
    return getres(p, a, SYS_getresgid);
}

int64_t usys_getgroups(struct user_proc *p, const uint64_t *a)
{
    int n = (int)a[0];
    if (n < 0)
        return -EINVAL;
    gid_t *list = NULL;
    if (n && !(list = user_ptr(p, a[1], (uint64_t)n * sizeof(gid_t), PROT_WRITE)))
        return -EFAULT;
    return user_ret(getgroups(n, list));
}

int64_t usys_setpgid(struct user_proc *p, const uint64_t *a)
{
    return user_ret(setpgid((pid_t)a[0], (pid_t)a[1]));
}
int64_t usys_getpgid(struct user_proc *p, const uint64_t *a)
{
    return user_ret(getpgid((pid_t)a[0]));
}
int64_t usys_getsid(struct user_proc *p, const uint64_t *a)
{
    return user_ret(getsid((pid_t)a[0]));
}
int64_t usys_setsid(struct user_proc *p, const uint64_t *a)
{
    return user_ret(setsid());
}

int64_t usys_set_tid_address(struct user_proc *p, const uint64_t *a)
{
    p->clear_child_tid = a[0];
    return gettid();
}

int64_t usys_set_robust_list(struct user_proc *p, const uint64_t *a)
{
    if (a[1] != 24) /* sizeof(struct robust_list_head) on 64-bit guests */
        return -EINVAL;
    p->robust_list = a[0];
    p->robust_len = a[1];
    return 0;
}

int64_t usys_uname(struct user_proc *p, const uint64_t *a)
{
    struct utsname *u = user_ptr(p, a[0], sizeof(*u), PROT_WRITE);
    if (!u)
        return -EFAULT;
    if (uname(u) != 0)
        return user_err(errno);
    snprintf(u->machine, sizeof(u->machine), "%s", p->abi->uname_machine);
    return 0;
}

int64_t usys_personality(struct user_proc *p, const uint64_t *a)
{
    return 0; /* PER_LINUX; changes are accepted and ignored */
}

int64_t usys_prctl(struct user_proc *p, const uint64_t *a)
{
    switch ((int)a[0]) {
    case PR_SET_NAME:
    case PR_GET_NAME: {
        char *name = user_ptr(p, a[1], 16, a[0] == PR_GET_NAME ? PROT_WRITE : PROT_READ);
        if (!name)
            return -EFAULT;
        return user_ret(prctl((int)a[0], name, 0, 0, 0));
    }
    case PR_GET_DUMPABLE:
    case PR_SET_DUMPABLE:
    case PR_GET_PDEATHSIG:
    case PR_SET_PDEATHSIG:
    case PR_GET_NO_NEW_PRIVS:
    case PR_SET_NO_NEW_PRIVS:
        if (a[0] == PR_GET_PDEATHSIG) {
            int *sig = user_ptr(p, a[1], sizeof(int), PROT_WRITE);
            return sig ? user_ret(prctl(PR_GET_PDEATHSIG, sig, 0, 0, 0)) : -EFAULT;
        }
        return user_ret(prctl((int)a[0], (unsigned long)a[1], (unsigned long)a[2],
                              (unsigned long)a[3], (unsigned long)a[4]));
    default:
        user_unimp(p, "prctl option %d", (int)a[0]);
        return -EINVAL;
    }
}

/* ---- resources and scheduling ---- */

int64_t usys_prlimit64(struct user_proc *p, const uint64_t *a)
{
    const struct rlimit *nl = NULL;
    struct rlimit *ol = NULL;
    if (a[2] && !(nl = user_ptr(p, a[2], sizeof(*nl), PROT_READ)))
        return -EFAULT;
    if (a[3] && !(ol = user_ptr(p, a[3], sizeof(*ol), PROT_WRITE)))
        return -EFAULT;
    int res = (int)a[1];
    if (nl && (res == RLIMIT_AS || res == RLIMIT_DATA)) {
        /* would limit ferry's own address space (the guest reservation): not applied */
        user_unimp(p, "prlimit64 of RLIMIT_AS/RLIMIT_DATA (accepted, not applied)");
        nl = NULL;
    }
    return user_ret(prlimit((pid_t)a[0], res, nl, ol));
}

int64_t usys_getrlimit(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[4] = {0, a[0], 0, a[1]};
    return usys_prlimit64(p, b);
}

int64_t usys_setrlimit(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[4] = {0, a[0], a[1], 0};
    return usys_prlimit64(p, b);
}

int64_t usys_getrusage(struct user_proc *p, const uint64_t *a)
{
    struct rusage *ru = user_ptr(p, a[1], sizeof(*ru), PROT_WRITE);
    if (!ru)
        return -EFAULT;
    return user_ret(getrusage((int)a[0], ru));
}

int64_t usys_times(struct user_proc *p, const uint64_t *a)
{
    struct tms *t = NULL;
    if (a[0] && !(t = user_ptr(p, a[0], sizeof(*t), PROT_WRITE)))
        return -EFAULT;
    return user_ret(syscall(SYS_times, t));
}

int64_t usys_sysinfo(struct user_proc *p, const uint64_t *a)
{
    struct sysinfo *si = user_ptr(p, a[0], sizeof(*si), PROT_WRITE);
    if (!si)
        return -EFAULT;
    return user_ret(sysinfo(si));
}

int64_t usys_sched_getaffinity(struct user_proc *p, const uint64_t *a)
{
    void *mask = user_ptr(p, a[2], a[1], PROT_WRITE);
    if (!mask)
        return -EFAULT;
    return user_ret(syscall(SYS_sched_getaffinity, (pid_t)a[0], (size_t)a[1], mask));
}

int64_t usys_sched_yield(struct user_proc *p, const uint64_t *a)
{
    return user_ret(sched_yield());
}

int64_t usys_getcpu(struct user_proc *p, const uint64_t *a)
{
    unsigned *cpu = NULL, *node = NULL;
    if (a[0] && !(cpu = user_ptr(p, a[0], sizeof(*cpu), PROT_WRITE)))
        return -EFAULT;
    if (a[1] && !(node = user_ptr(p, a[1], sizeof(*node), PROT_WRITE)))
        return -EFAULT;
    return user_ret(syscall(SYS_getcpu, cpu, node, NULL));
}

/* ---- time ---- */

int64_t usys_clock_gettime(struct user_proc *p, const uint64_t *a)
{
    struct timespec *ts = user_ptr(p, a[1], sizeof(*ts), PROT_WRITE);
    if (!ts)
        return -EFAULT;
    return user_ret(clock_gettime((clockid_t)a[0], ts));
}

int64_t usys_clock_getres(struct user_proc *p, const uint64_t *a)
{
    struct timespec *ts = NULL;
    if (a[1] && !(ts = user_ptr(p, a[1], sizeof(*ts), PROT_WRITE)))
        return -EFAULT;
    return user_ret(clock_getres((clockid_t)a[0], ts));
}

int64_t usys_gettimeofday(struct user_proc *p, const uint64_t *a)
{
    void *tv = NULL, *tz = NULL;
    if (a[0] && !(tv = user_ptr(p, a[0], sizeof(struct timeval), PROT_WRITE)))
        return -EFAULT;
    if (a[1] && !(tz = user_ptr(p, a[1], 8, PROT_WRITE))) /* struct timezone: 2 ints */
        return -EFAULT;
    return user_ret(syscall(SYS_gettimeofday, tv, tz));
}

int64_t usys_nanosleep(struct user_proc *p, const uint64_t *a)
{
    const struct timespec *req = user_ptr(p, a[0], sizeof(*req), PROT_READ);
    struct timespec *rem = NULL;
    if (!req || (a[1] && !(rem = user_ptr(p, a[1], sizeof(*rem), PROT_WRITE))))
        return -EFAULT;
    return user_ret(nanosleep(req, rem));
}

int64_t usys_clock_nanosleep(struct user_proc *p, const uint64_t *a)
{
    const struct timespec *req = user_ptr(p, a[2], sizeof(*req), PROT_READ);
    struct timespec *rem = NULL;
    if (!req || (a[3] && !(rem = user_ptr(p, a[3], sizeof(*rem), PROT_WRITE))))
        return -EFAULT;
    return user_err(clock_nanosleep((clockid_t)a[0], (int)a[1], req, rem)); /* returns errno */
}

int64_t usys_getrandom(struct user_proc *p, const uint64_t *a)
{
    void *buf = user_ptr(p, a[0], a[1], PROT_WRITE);
    if (!buf)
        return -EFAULT;
    return user_ret(getrandom(buf, (size_t)a[1], (unsigned)a[2]));
}

/* ---- futexes: the guest word is host memory, so the host kernel does it ---- */

int64_t usys_futex(struct user_proc *p, const uint64_t *a)
{
    int op = (int)a[1] & FUTEX_CMD_MASK;
    void *uaddr = user_ptr(p, a[0], 4, PROT_READ);
    if (!uaddr)
        return -EFAULT;
    void *arg4 = (void *)(uintptr_t)a[3]; /* timeout pointer or val2 */
    void *uaddr2 = NULL;
    switch (op) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
    case FUTEX_LOCK_PI:
    case FUTEX_WAIT_REQUEUE_PI:
        if (a[3] && !(arg4 = user_ptr(p, a[3], sizeof(struct timespec), PROT_READ)))
            return -EFAULT;
        break;
    default:
        break;
    }
    switch (op) {
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
    case FUTEX_WAKE_OP:
    case FUTEX_CMP_REQUEUE_PI:
    case FUTEX_WAIT_REQUEUE_PI:
        if (!(uaddr2 = user_ptr(p, a[4], 4, PROT_READ)))
            return -EFAULT;
        break;
    default:
        break;
    }
    return user_ret(syscall(SYS_futex, uaddr, (int)a[1], (uint32_t)a[2], arg4, uaddr2,
                            (uint32_t)a[5]));
}

/* ---- signals (recorded; delivery to guest handlers comes with signal frames) ---- */

static bool sig_ok(uint64_t sig) { return sig >= 1 && sig <= USER_NSIG; }

int64_t usys_rt_sigaction(struct user_proc *p, const uint64_t *a)
{
    uint64_t sig = a[0];
    if (!sig_ok(sig) || a[3] != 8)
        return -EINVAL;
    /* struct sigaction of 64-bit Linux: handler, flags, restorer, mask (8 bytes each) */
    const uint64_t *act = NULL;
    uint64_t *oact = NULL;
    if (a[1] && !(act = user_ptr(p, a[1], 32, PROT_READ)))
        return -EFAULT;
    if (a[2] && !(oact = user_ptr(p, a[2], 32, PROT_WRITE)))
        return -EFAULT;
    if (act && (sig == SIGKILL || sig == SIGSTOP))
        return -EINVAL;
    struct user_sigaction old = p->sigact[sig];
    if (act) {
        struct user_sigaction n;
        memcpy(&n, act, sizeof(n));
        p->sigact[sig] = n;
        user_signal_disposition_changed(p, (int)sig);
    }
    if (oact)
        memcpy(oact, &old, sizeof(old));
    return 0;
}

int64_t usys_rt_sigprocmask(struct user_proc *p, const uint64_t *a)
{
    if (a[3] != 8)
        return -EINVAL;
    const uint64_t *set = NULL;
    uint64_t *oset = NULL;
    if (a[1] && !(set = user_ptr(p, a[1], 8, PROT_READ)))
        return -EFAULT;
    if (a[2] && !(oset = user_ptr(p, a[2], 8, PROT_WRITE)))
        return -EFAULT;
    uint64_t old = p->sigmask;
    if (set) {
        uint64_t s;
        memcpy(&s, set, 8);
        switch ((int)a[0]) {
        case SIG_BLOCK: p->sigmask |= s; break;
        case SIG_UNBLOCK: p->sigmask &= ~s; break;
        case SIG_SETMASK: p->sigmask = s; break;
        default: return -EINVAL;
        }
        p->sigmask &= ~((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)));
    }
    if (oset)
        memcpy(oset, &old, 8);
    return 0;
}

int64_t usys_sigaltstack(struct user_proc *p, const uint64_t *a)
{
    /* stack_t: ss_sp (8), ss_flags (4 + 4 padding), ss_size (8) */
    const uint8_t *ss = NULL;
    uint8_t *old = NULL;
    if (a[0] && !(ss = user_ptr(p, a[0], 24, PROT_READ)))
        return -EFAULT;
    if (a[1] && !(old = user_ptr(p, a[1], 24, PROT_WRITE)))
        return -EFAULT;
    uint64_t osp = p->altstack_sp, oflags = p->altstack_flags, osize = p->altstack_size;
    if (ss) {
        uint32_t flags;
        memcpy(&p->altstack_sp, ss, 8);
        memcpy(&flags, ss + 8, 4);
        memcpy(&p->altstack_size, ss + 16, 8);
        p->altstack_flags = flags;
    }
    if (old) {
        uint32_t f = (uint32_t)(osp ? oflags : SS_DISABLE), pad = 0;
        memcpy(old, &osp, 8);
        memcpy(old + 8, &f, 4);
        memcpy(old + 12, &pad, 4);
        memcpy(old + 16, &osize, 8);
    }
    return 0;
}

int64_t usys_kill(struct user_proc *p, const uint64_t *a)
{
    if ((pid_t)a[0] == getpid() && a[1])
        return user_signal_self(p, (int)a[1]);
    return user_ret(kill((pid_t)a[0], (int)a[1]));
}

int64_t usys_tkill(struct user_proc *p, const uint64_t *a)
{
    if ((pid_t)a[0] == gettid() && a[1])
        return user_signal_self(p, (int)a[1]);
    return user_ret(syscall(SYS_tkill, (pid_t)a[0], (int)a[1]));
}

int64_t usys_tgkill(struct user_proc *p, const uint64_t *a)
{
    if ((pid_t)a[0] == getpid() && (pid_t)a[1] == gettid() && a[2])
        return user_signal_self(p, (int)a[2]);
    return user_ret(syscall(SYS_tgkill, (pid_t)a[0], (pid_t)a[1], (int)a[2]));
}
