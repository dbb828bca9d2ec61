/* File system calls of Linux user mode: guest file descriptors are host file
 * descriptors; paths and buffers are guest pointers checked against the guest
 * mappings (a bad one is -EFAULT, never a host fault); struct layouts and
 * flag values that differ from the host's go through the guest's ABI.  The
 * host kernel is called directly (syscall(2)) where glibc's wrapper would
 * change the semantics. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#include "user/user_int.h"

/* /proc/self/exe is the guest program, not ferry. */
static bool is_proc_self_exe(const char *path)
{
    return strcmp(path, "/proc/self/exe") == 0;
}

const char *user_host_path(struct user_proc *p, const char *path)
{
    return is_proc_self_exe(path) && p->exe_path ? p->exe_path : path;
}

int64_t usys_openat(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *path = user_path(p, a[1], &err);
    if (!path)
        return err;
    int flags = user_open_flags_to_host(p->abi, a[2]);
    if (is_proc_self_exe(path) && (flags & O_NOFOLLOW) && !(flags & O_PATH))
        return -ELOOP; /* it is a symbolic link */
    return user_ret(syscall(SYS_openat, (int)a[0], user_host_path(p, path), flags, (mode_t)a[3]));
}

int64_t usys_close(struct user_proc *p, const uint64_t *a)
{
    return user_ret(close((int)a[0]));
}

int64_t usys_read(struct user_proc *p, const uint64_t *a)
{
    uint64_t n = user_mm_accessible(&p->mm, a[1], a[2], PROT_WRITE);
    if (!n && a[2])
        return -EFAULT;
    return user_ret(read((int)a[0], p->mm.base + a[1], n));
}

int64_t usys_write(struct user_proc *p, const uint64_t *a)
{
    uint64_t n = user_mm_accessible(&p->mm, a[1], a[2], PROT_READ);
    if (!n && a[2])
        return -EFAULT;
    return user_ret(write((int)a[0], p->mm.base + a[1], n));
}

int64_t usys_pread64(struct user_proc *p, const uint64_t *a)
{
    uint64_t n = user_mm_accessible(&p->mm, a[1], a[2], PROT_WRITE);
    if (!n && a[2])
        return -EFAULT;
    return user_ret(pread((int)a[0], p->mm.base + a[1], n, (off_t)a[3]));
}

int64_t usys_pwrite64(struct user_proc *p, const uint64_t *a)
{
    uint64_t n = user_mm_accessible(&p->mm, a[1], a[2], PROT_READ);
    if (!n && a[2])
        return -EFAULT;
    return user_ret(pwrite((int)a[0], p->mm.base + a[1], n, (off_t)a[3]));
}

/* Guest iovec array (64-bit guests: {base, len} pairs of 8 bytes) to host iovecs. */
static int64_t get_iov(struct user_proc *p, uint64_t addr, uint64_t cnt, int prot,
                       struct iovec **out)
{
    if (cnt > IOV_MAX)
        return -EINVAL;
    const uint64_t *g = user_ptr(p, addr, cnt * 16, PROT_READ);
    if (!g && cnt)
        return -EFAULT;
    struct iovec *v = calloc(cnt ? cnt : 1, sizeof(*v));
    if (!v)
        return -ENOMEM;
    for (uint64_t i = 0; i < cnt; i++) {
        uint64_t base, len;
        memcpy(&base, &g[2 * i], 8);
        memcpy(&len, &g[2 * i + 1], 8);
        if ((int64_t)len < 0) {
            free(v);
            return -EINVAL;
        }
        if (len && !user_ptr(p, base, len, prot)) {
            free(v);
            return -EFAULT;
        }
        v[i] = (struct iovec){p->mm.base + base, len};
    }
    *out = v;
    return 0;
}

static int64_t do_rwv(struct user_proc *p, const uint64_t *a, int sysno, int prot, bool pos)
{
    struct iovec *v;
    int64_t r = get_iov(p, a[1], a[2], prot, &v);
    if (r < 0)
        return r;
    if (pos)
        r = syscall(sysno, (int)a[0], v, (int)a[2], (long)a[3], 0L);
    else
        r = syscall(sysno, (int)a[0], v, (int)a[2]);
    r = user_ret(r);
    free(v);
    return r;
}

int64_t usys_readv(struct user_proc *p, const uint64_t *a)
{
    return do_rwv(p, a, SYS_readv, PROT_WRITE, false);
}
int64_t usys_writev(struct user_proc *p, const uint64_t *a)
{
    return do_rwv(p, a, SYS_writev, PROT_READ, false);
}
int64_t usys_preadv(struct user_proc *p, const uint64_t *a)
{
    return do_rwv(p, a, SYS_preadv, PROT_WRITE, true);
}
int64_t usys_pwritev(struct user_proc *p, const uint64_t *a)
{
    return do_rwv(p, a, SYS_pwritev, PROT_READ, true);
}

int64_t usys_lseek(struct user_proc *p, const uint64_t *a)
{
    return user_ret(lseek((int)a[0], (off_t)a[1], (int)a[2]));
}

/* ---- stat family ---- */

static int64_t put_stat(struct user_proc *p, const struct stat *st, uint64_t addr)
{
    void *out = user_ptr(p, addr, p->abi->stat_size, PROT_WRITE);
    if (!out)
        return -EFAULT;
    p->abi->stat_to_guest(st, out);
    return 0;
}

int64_t usys_fstat(struct user_proc *p, const uint64_t *a)
{
    struct stat st;
    if (fstat((int)a[0], &st) != 0)
        return user_err(errno);
    return put_stat(p, &st, a[1]);
}

int64_t usys_newfstatat(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *path = user_path(p, a[1], &err);
    if (!path)
        return err;
    struct stat st;
    if (fstatat((int)a[0], user_host_path(p, path), &st, (int)a[3]) != 0)
        return user_err(errno);
    return put_stat(p, &st, a[2]);
}

int64_t usys_statx(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *path = user_path(p, a[1], &err);
    if (!path)
        return err;
    void *out = user_ptr(p, a[4], 256, PROT_WRITE); /* struct statx: same on every Linux */
    if (!out)
        return -EFAULT;
    return user_ret(syscall(SYS_statx, (int)a[0], user_host_path(p, path), (int)a[2], (unsigned)a[3],
                            out));
}

static int64_t do_statfs(struct user_proc *p, int fd, const char *path, uint64_t addr)
{
    /* struct statfs of 64-bit asm-generic guests is the x86-64 one: 120 bytes */
    void *out = user_ptr(p, addr, 120, PROT_WRITE);
    if (!out)
        return -EFAULT;
    _Static_assert(sizeof(struct statfs) == 120, "64-bit struct statfs");
    return path ? user_ret(statfs(path, out)) : user_ret(fstatfs(fd, out));
}

int64_t usys_statfs(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *path = user_path(p, a[0], &err);
    if (!path)
        return err;
    return do_statfs(p, -1, path, a[1]);
}

int64_t usys_fstatfs(struct user_proc *p, const uint64_t *a)
{
    return do_statfs(p, (int)a[0], NULL, a[1]);
}

int64_t usys_getdents64(struct user_proc *p, const uint64_t *a)
{
    /* struct linux_dirent64 is the same everywhere */
    void *buf = user_ptr(p, a[1], a[2], PROT_WRITE);
    if (!buf)
        return -EFAULT;
    return user_ret(syscall(SYS_getdents64, (int)a[0], buf, (unsigned)a[2]));
}

int64_t usys_readlinkat(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *path = user_path(p, a[1], &err);
    if (!path)
        return err;
    if ((int64_t)a[3] <= 0)
        return -EINVAL;
    uint64_t n = user_mm_accessible(&p->mm, a[2], a[3], PROT_WRITE);
    if (!n)
        return -EFAULT;
    char *buf = (char *)p->mm.base + a[2];
    if (is_proc_self_exe(path) && p->exe_path) {
        size_t len = strlen(p->exe_path);
        if (len > n)
            len = n;
        memcpy(buf, p->exe_path, len);
        return (int64_t)len;
    }
    return user_ret(readlinkat((int)a[0], path, buf, n));
}

int64_t usys_faccessat(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *path = user_path(p, a[1], &err);
    if (!path)
        return err;
    return user_ret(syscall(SYS_faccessat, (int)a[0], user_host_path(p, path), (int)a[2]));
}

int64_t usys_faccessat2(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *path = user_path(p, a[1], &err);
    if (!path)
        return err;
    return user_ret(syscall(SYS_faccessat2, (int)a[0], user_host_path(p, path), (int)a[2], (int)a[3]));
}

/* ---- descriptors ---- */

int64_t usys_dup(struct user_proc *p, const uint64_t *a)
{
    return user_ret(dup((int)a[0]));
}

int64_t usys_dup3(struct user_proc *p, const uint64_t *a)
{
    return user_ret(dup3((int)a[0], (int)a[1], user_open_flags_to_host(p->abi, a[2])));
}

int64_t usys_pipe2(struct user_proc *p, const uint64_t *a)
{
    int *fds = user_ptr(p, a[0], 2 * sizeof(int), PROT_WRITE);
    if (!fds)
        return -EFAULT;
    int host[2];
    if (pipe2(host, user_open_flags_to_host(p->abi, a[1])) != 0)
        return user_err(errno);
    memcpy(fds, host, sizeof(host));
    return 0;
}

int64_t usys_fcntl(struct user_proc *p, const uint64_t *a)
{
    int fd = (int)a[0], cmd = (int)a[1];
    switch (cmd) {
    case F_GETFL: {
        int r = fcntl(fd, F_GETFL);
        return r < 0 ? user_err(errno) : (int64_t)user_open_flags_to_guest(p->abi, r);
    }
    case F_SETFL:
        return user_ret(fcntl(fd, F_SETFL, user_open_flags_to_host(p->abi, a[2])));
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
    case F_GETFD:
    case F_SETFD:
    case F_GETOWN:
    case F_SETOWN:
    case F_SETPIPE_SZ:
    case F_GETPIPE_SZ:
    case F_ADD_SEALS:
    case F_GET_SEALS:
    case F_SETSIG:
    case F_GETSIG:
    case F_SETLEASE:
    case F_GETLEASE:
    case F_NOTIFY:
        return user_ret(fcntl(fd, cmd, (long)a[2]));
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW:
    case F_OFD_GETLK:
    case F_OFD_SETLK:
    case F_OFD_SETLKW: {
        /* struct flock of 64-bit asm-generic guests is the x86-64 one */
        _Static_assert(sizeof(struct flock) == 32, "64-bit struct flock");
        void *fl = user_ptr(p, a[2], sizeof(struct flock), PROT_READ | PROT_WRITE);
        if (!fl)
            return -EFAULT;
        return user_ret(fcntl(fd, cmd, fl));
    }
    default:
        user_unimp(p, "fcntl command %d", cmd);
        return -EINVAL;
    }
}

int64_t usys_ioctl(struct user_proc *p, const uint64_t *a)
{
    int fd = (int)a[0];
    unsigned long req = (uint32_t)a[1];
    size_t size;
    int prot;
    /* the terminal ioctls: asm-generic numbers and layouts, as on x86-64 */
    switch (req) {
    case TCGETS:
        size = 36, prot = PROT_WRITE; /* struct termios (kernel): 4 flags, c_line, 19 c_cc */
        break;
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
        size = 36, prot = PROT_READ;
        break;
    case TIOCGWINSZ:
        size = sizeof(struct winsize), prot = PROT_WRITE;
        break;
    case TIOCSWINSZ:
        size = sizeof(struct winsize), prot = PROT_READ;
        break;
    case TIOCGPGRP:
    case TIOCGSID:
    case FIONREAD:
    case TIOCOUTQ:
        size = sizeof(int), prot = PROT_WRITE;
        break;
    case TIOCSPGRP:
    case FIONBIO:
        size = sizeof(int), prot = PROT_READ;
        break;
    case FIOCLEX:
    case FIONCLEX:
    case TIOCNOTTY:
    case TIOCSCTTY:
    case TCFLSH:
    case TCXONC:
    case TCSBRK:
    case TCSBRKP:
        return user_ret(ioctl(fd, req, (unsigned long)a[2]));
    default:
        user_unimp(p, "ioctl 0x%lx on fd %d", req, fd);
        return -ENOTTY;
    }
    void *arg = user_ptr(p, a[2], size, prot);
    if (!arg)
        return -EFAULT;
    return user_ret(ioctl(fd, req, arg));
}

int64_t usys_flock(struct user_proc *p, const uint64_t *a)
{
    return user_ret(flock((int)a[0], (int)a[1]));
}

/* ---- names in the file system ---- */

int64_t usys_getcwd(struct user_proc *p, const uint64_t *a)
{
    void *buf = user_ptr(p, a[0], a[1], PROT_WRITE);
    if (!buf)
        return -EFAULT;
    return user_ret(syscall(SYS_getcwd, buf, (size_t)a[1]));
}

int64_t usys_chdir(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *path = user_path(p, a[0], &err);
    if (!path)
        return err;
    return user_ret(chdir(path));
}

int64_t usys_fchdir(struct user_proc *p, const uint64_t *a)
{
    return user_ret(fchdir((int)a[0]));
}

int64_t usys_mkdirat(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *path = user_path(p, a[1], &err);
    if (!path)
        return err;
    return user_ret(mkdirat((int)a[0], path, (mode_t)a[2]));
}

int64_t usys_mknodat(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *path = user_path(p, a[1], &err);
    if (!path)
        return err;
    return user_ret(mknodat((int)a[0], path, (mode_t)a[2], (dev_t)a[3]));
}

int64_t usys_unlinkat(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *path = user_path(p, a[1], &err);
    if (!path)
        return err;
    return user_ret(unlinkat((int)a[0], path, (int)a[2]));
}

int64_t usys_symlinkat(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *target = user_path(p, a[0], &err);
    if (!target)
        return err;
    const char *path = user_path(p, a[2], &err);
    if (!path)
        return err;
    return user_ret(symlinkat(target, (int)a[1], path));
}

int64_t usys_linkat(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *from = user_path(p, a[1], &err);
    if (!from)
        return err;
    const char *to = user_path(p, a[3], &err);
    if (!to)
        return err;
    return user_ret(linkat((int)a[0], from, (int)a[2], to, (int)a[4]));
}

int64_t usys_renameat(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *from = user_path(p, a[1], &err);
    if (!from)
        return err;
    const char *to = user_path(p, a[3], &err);
    if (!to)
        return err;
    return user_ret(renameat((int)a[0], from, (int)a[2], to));
}

int64_t usys_renameat2(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *from = user_path(p, a[1], &err);
    if (!from)
        return err;
    const char *to = user_path(p, a[3], &err);
    if (!to)
        return err;
    return user_ret(syscall(SYS_renameat2, (int)a[0], from, (int)a[2], to, (unsigned)a[4]));
}

int64_t usys_truncate(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *path = user_path(p, a[0], &err);
    if (!path)
        return err;
    return user_ret(truncate(path, (off_t)a[1]));
}

int64_t usys_ftruncate(struct user_proc *p, const uint64_t *a)
{
    return user_ret(ftruncate((int)a[0], (off_t)a[1]));
}

int64_t usys_fallocate(struct user_proc *p, const uint64_t *a)
{
    return user_ret(fallocate((int)a[0], (int)a[1], (off_t)a[2], (off_t)a[3]));
}

int64_t usys_fadvise64(struct user_proc *p, const uint64_t *a)
{
    return user_ret(syscall(SYS_fadvise64, (int)a[0], (off_t)a[1], (off_t)a[2], (int)a[3]));
}

int64_t usys_fchmod(struct user_proc *p, const uint64_t *a)
{
    return user_ret(fchmod((int)a[0], (mode_t)a[1]));
}

int64_t usys_fchmodat(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *path = user_path(p, a[1], &err);
    if (!path)
        return err;
    return user_ret(syscall(SYS_fchmodat, (int)a[0], path, (mode_t)a[2]));
}

int64_t usys_fchown(struct user_proc *p, const uint64_t *a)
{
    return user_ret(fchown((int)a[0], (uid_t)a[1], (gid_t)a[2]));
}

int64_t usys_fchownat(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *path = user_path(p, a[1], &err);
    if (!path)
        return err;
    return user_ret(fchownat((int)a[0], path, (uid_t)a[2], (gid_t)a[3], (int)a[4]));
}

int64_t usys_utimensat(struct user_proc *p, const uint64_t *a)
{
    const char *path = NULL;
    if (a[1]) {
        int err;
        if (!(path = user_path(p, a[1], &err)))
            return err;
    }
    const void *times = NULL;
    if (a[2] && !(times = user_ptr(p, a[2], 2 * sizeof(struct timespec), PROT_READ)))
        return -EFAULT;
    return user_ret(syscall(SYS_utimensat, (int)a[0], path, times, (int)a[3]));
}

int64_t usys_umask(struct user_proc *p, const uint64_t *a)
{
    return umask((mode_t)a[0]);
}

int64_t usys_sync(struct user_proc *p, const uint64_t *a)
{
    sync();
    return 0;
}

int64_t usys_fsync(struct user_proc *p, const uint64_t *a)
{
    return user_ret(fsync((int)a[0]));
}

int64_t usys_fdatasync(struct user_proc *p, const uint64_t *a)
{
    return user_ret(fdatasync((int)a[0]));
}

int64_t usys_memfd_create(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *name = user_path(p, a[0], &err);
    if (!name)
        return err;
    return user_ret(syscall(SYS_memfd_create, name, (unsigned)a[1]));
}

int64_t usys_sendfile(struct user_proc *p, const uint64_t *a)
{
    off_t *off = NULL;
    if (a[2] && !(off = user_ptr(p, a[2], sizeof(off_t), PROT_READ | PROT_WRITE)))
        return -EFAULT;
    return user_ret(sendfile((int)a[0], (int)a[1], off, (size_t)a[3]));
}

/* ---- waiting for descriptors (the guest's signal mask is only recorded, so
 * the host calls get none) ---- */

int64_t usys_ppoll(struct user_proc *p, const uint64_t *a)
{
    uint64_t nfds = a[1];
    if (nfds > 65536)
        return -EINVAL;
    struct pollfd *fds = user_ptr(p, a[0], nfds * sizeof(struct pollfd), PROT_READ | PROT_WRITE);
    if (!fds && nfds)
        return -EFAULT;
    struct timespec *ts = NULL;
    if (a[2] && !(ts = user_ptr(p, a[2], sizeof(*ts), PROT_READ | PROT_WRITE)))
        return -EFAULT;
    return user_ret(syscall(SYS_ppoll, fds, (nfds_t)nfds, ts, NULL, (size_t)8));
}

int64_t usys_pselect6(struct user_proc *p, const uint64_t *a)
{
    int nfds = (int)a[0];
    if (nfds < 0 || nfds > FD_SETSIZE)
        return -EINVAL;
    size_t bytes = (size_t)(nfds + 63) / 64 * 8;
    void *set[3] = {NULL, NULL, NULL};
    for (int i = 0; i < 3; i++)
        if (a[1 + i] && !(set[i] = user_ptr(p, a[1 + i], bytes, PROT_READ | PROT_WRITE)))
            return -EFAULT;
    struct timespec *ts = NULL;
    if (a[4] && !(ts = user_ptr(p, a[4], sizeof(*ts), PROT_READ | PROT_WRITE)))
        return -EFAULT;
    return user_ret(syscall(SYS_pselect6, nfds, set[0], set[1], set[2], ts, NULL));
}
