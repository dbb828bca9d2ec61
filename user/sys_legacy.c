/* The legacy system calls of guests older than asm-generic (x86-64): open,
 * stat, pipe, fork, mkdir and the other path-name calls without a directory
 * descriptor, poll and select with their old time units.  Each is a thin
 * wrapper that rebuilds the argument registers of its *at / modern
 * counterpart and calls that generic handler, so behaviour stays in one
 * place. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>

#include "user/user_int.h"

/* AT_FDCWD as an argument register holds it */
#define LEGACY_CWD ((uint64_t)(int64_t)AT_FDCWD)

int64_t usys_open(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[6] = {LEGACY_CWD, a[0], a[1], a[2]};
    return usys_openat(p, b);
}

int64_t usys_creat(struct user_proc *p, const uint64_t *a)
{
    /* O_CREAT O_WRONLY O_TRUNC have the same values on every Linux guest */
    const uint64_t b[6] = {LEGACY_CWD, a[0], O_CREAT | O_WRONLY | O_TRUNC, a[1]};
    return usys_openat(p, b);
}

int64_t usys_stat(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[6] = {LEGACY_CWD, a[0], a[1], 0};
    return usys_newfstatat(p, b);
}

int64_t usys_lstat(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[6] = {LEGACY_CWD, a[0], a[1], AT_SYMLINK_NOFOLLOW};
    return usys_newfstatat(p, b);
}

int64_t usys_access(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[6] = {LEGACY_CWD, a[0], a[1]};
    return usys_faccessat(p, b);
}

int64_t usys_pipe(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[6] = {a[0], 0};
    return usys_pipe2(p, b);
}

int64_t usys_dup2(struct user_proc *p, const uint64_t *a)
{
    /* unlike dup3, dup2(fd, fd) is fd if fd is open */
    if (a[0] == a[1])
        return fcntl((int)a[0], F_GETFD) < 0 ? user_err(errno) : (int64_t)(int)a[1];
    const uint64_t b[6] = {a[0], a[1], 0};
    return usys_dup3(p, b);
}

int64_t usys_fork(struct user_proc *p, const uint64_t *a)
{
    (void)a;
    const uint64_t b[6] = {SIGCHLD};
    return usys_clone(p, b);
}

int64_t usys_vfork(struct user_proc *p, const uint64_t *a)
{
    (void)a;
    const uint64_t b[6] = {CLONE_VM | CLONE_VFORK | SIGCHLD};
    return usys_clone(p, b);
}

int64_t usys_rename(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[6] = {LEGACY_CWD, a[0], LEGACY_CWD, a[1]};
    return usys_renameat(p, b);
}

int64_t usys_mkdir(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[6] = {LEGACY_CWD, a[0], a[1]};
    return usys_mkdirat(p, b);
}

int64_t usys_rmdir(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[6] = {LEGACY_CWD, a[0], AT_REMOVEDIR};
    return usys_unlinkat(p, b);
}

int64_t usys_unlink(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[6] = {LEGACY_CWD, a[0], 0};
    return usys_unlinkat(p, b);
}

int64_t usys_link(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[6] = {LEGACY_CWD, a[0], LEGACY_CWD, a[1], 0};
    return usys_linkat(p, b);
}

int64_t usys_symlink(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[6] = {a[0], LEGACY_CWD, a[1]};
    return usys_symlinkat(p, b);
}

int64_t usys_readlink(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[6] = {LEGACY_CWD, a[0], a[1], a[2]};
    return usys_readlinkat(p, b);
}

int64_t usys_chmod(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[6] = {LEGACY_CWD, a[0], a[1]};
    return usys_fchmodat(p, b);
}

int64_t usys_chown(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[6] = {LEGACY_CWD, a[0], a[1], a[2], 0};
    return usys_fchownat(p, b);
}

int64_t usys_lchown(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[6] = {LEGACY_CWD, a[0], a[1], a[2], AT_SYMLINK_NOFOLLOW};
    return usys_fchownat(p, b);
}

int64_t usys_mknod(struct user_proc *p, const uint64_t *a)
{
    const uint64_t b[6] = {LEGACY_CWD, a[0], a[1], a[2]};
    return usys_mknodat(p, b);
}

int64_t usys_getpgrp(struct user_proc *p, const uint64_t *a)
{
    (void)a;
    const uint64_t b[6] = {0};
    return usys_getpgid(p, b);
}

int64_t usys_time(struct user_proc *p, const uint64_t *a)
{
    int64_t now = (int64_t)time(NULL);
    if (a[0]) {
        int64_t *out = user_ptr(p, a[0], sizeof(*out), PROT_WRITE);
        if (!out)
            return -EFAULT;
        *out = now;
    }
    return now;
}

/* poll(fds, nfds, timeout in ms; negative waits forever) */
int64_t usys_poll(struct user_proc *p, const uint64_t *a)
{
    uint64_t nfds = a[1];
    if (nfds > 65536)
        return -EINVAL;
    struct pollfd *fds = user_ptr(p, a[0], nfds * sizeof(struct pollfd), PROT_READ | PROT_WRITE);
    if (!fds && nfds)
        return -EFAULT;
    return user_ret(poll(fds, (nfds_t)nfds, (int)a[2]));
}

/* select(nfds, r, w, e, struct timeval *): the remaining time is written
 * back, as Linux does */
int64_t usys_select(struct user_proc *p, const uint64_t *a)
{
    int nfds = (int)a[0];
    if (nfds < 0 || nfds > FD_SETSIZE)
        return -EINVAL;
    size_t bytes = (size_t)(nfds + 63) / 64 * 8;
    fd_set *set[3] = {NULL, NULL, NULL};
    for (int i = 0; i < 3; i++)
        if (a[1 + i] && !(set[i] = user_ptr(p, a[1 + i], bytes, PROT_READ | PROT_WRITE)))
            return -EFAULT;
    struct timeval *tv = NULL;
    if (a[4] && !(tv = user_ptr(p, a[4], sizeof(*tv), PROT_READ | PROT_WRITE)))
        return -EFAULT;
    return user_ret(select(nfds, set[0], set[1], set[2], tv));
}
