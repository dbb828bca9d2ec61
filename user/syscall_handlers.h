/* Prototypes of the system call handlers (user/sys_file.c, sys_mem.c,
 * sys_proc.c): each takes the process and the six raw argument registers and
 * returns the result or a negative errno.  The guests' tables
 * (user/syscalls_<guest>.def) name them. */
#ifndef FERRY_USER_SYSCALL_HANDLERS_H
#define FERRY_USER_SYSCALL_HANDLERS_H

#include <stdint.h>

struct user_proc;

int64_t usys_brk(struct user_proc *p, const uint64_t *a);
int64_t usys_chdir(struct user_proc *p, const uint64_t *a);
int64_t usys_clock_getres(struct user_proc *p, const uint64_t *a);
int64_t usys_clock_gettime(struct user_proc *p, const uint64_t *a);
int64_t usys_clock_nanosleep(struct user_proc *p, const uint64_t *a);
int64_t usys_clone(struct user_proc *p, const uint64_t *a);
int64_t usys_close(struct user_proc *p, const uint64_t *a);
int64_t usys_dup(struct user_proc *p, const uint64_t *a);
int64_t usys_dup3(struct user_proc *p, const uint64_t *a);
int64_t usys_execve(struct user_proc *p, const uint64_t *a);
int64_t usys_exit(struct user_proc *p, const uint64_t *a);
int64_t usys_exit_group(struct user_proc *p, const uint64_t *a);
int64_t usys_faccessat(struct user_proc *p, const uint64_t *a);
int64_t usys_faccessat2(struct user_proc *p, const uint64_t *a);
int64_t usys_fadvise64(struct user_proc *p, const uint64_t *a);
int64_t usys_fallocate(struct user_proc *p, const uint64_t *a);
int64_t usys_fchdir(struct user_proc *p, const uint64_t *a);
int64_t usys_fchmod(struct user_proc *p, const uint64_t *a);
int64_t usys_fchmodat(struct user_proc *p, const uint64_t *a);
int64_t usys_fchown(struct user_proc *p, const uint64_t *a);
int64_t usys_fchownat(struct user_proc *p, const uint64_t *a);
int64_t usys_fcntl(struct user_proc *p, const uint64_t *a);
int64_t usys_fdatasync(struct user_proc *p, const uint64_t *a);
int64_t usys_flock(struct user_proc *p, const uint64_t *a);
int64_t usys_fstat(struct user_proc *p, const uint64_t *a);
int64_t usys_fstatfs(struct user_proc *p, const uint64_t *a);
int64_t usys_fsync(struct user_proc *p, const uint64_t *a);
int64_t usys_ftruncate(struct user_proc *p, const uint64_t *a);
int64_t usys_futex(struct user_proc *p, const uint64_t *a);
int64_t usys_getcpu(struct user_proc *p, const uint64_t *a);
int64_t usys_getcwd(struct user_proc *p, const uint64_t *a);
int64_t usys_getdents64(struct user_proc *p, const uint64_t *a);
int64_t usys_getegid(struct user_proc *p, const uint64_t *a);
int64_t usys_geteuid(struct user_proc *p, const uint64_t *a);
int64_t usys_getgid(struct user_proc *p, const uint64_t *a);
int64_t usys_getgroups(struct user_proc *p, const uint64_t *a);
int64_t usys_getpgid(struct user_proc *p, const uint64_t *a);
int64_t usys_getpid(struct user_proc *p, const uint64_t *a);
int64_t usys_getppid(struct user_proc *p, const uint64_t *a);
int64_t usys_getrandom(struct user_proc *p, const uint64_t *a);
int64_t usys_getresgid(struct user_proc *p, const uint64_t *a);
int64_t usys_getresuid(struct user_proc *p, const uint64_t *a);
int64_t usys_getrlimit(struct user_proc *p, const uint64_t *a);
int64_t usys_getrusage(struct user_proc *p, const uint64_t *a);
int64_t usys_getsid(struct user_proc *p, const uint64_t *a);
int64_t usys_gettid(struct user_proc *p, const uint64_t *a);
int64_t usys_gettimeofday(struct user_proc *p, const uint64_t *a);
int64_t usys_getuid(struct user_proc *p, const uint64_t *a);
int64_t usys_ioctl(struct user_proc *p, const uint64_t *a);
int64_t usys_kill(struct user_proc *p, const uint64_t *a);
int64_t usys_linkat(struct user_proc *p, const uint64_t *a);
int64_t usys_lseek(struct user_proc *p, const uint64_t *a);
int64_t usys_madvise(struct user_proc *p, const uint64_t *a);
int64_t usys_memfd_create(struct user_proc *p, const uint64_t *a);
int64_t usys_mkdirat(struct user_proc *p, const uint64_t *a);
int64_t usys_mknodat(struct user_proc *p, const uint64_t *a);
int64_t usys_mlock(struct user_proc *p, const uint64_t *a);
int64_t usys_mmap(struct user_proc *p, const uint64_t *a);
int64_t usys_mprotect(struct user_proc *p, const uint64_t *a);
int64_t usys_mremap(struct user_proc *p, const uint64_t *a);
int64_t usys_msync(struct user_proc *p, const uint64_t *a);
int64_t usys_munlock(struct user_proc *p, const uint64_t *a);
int64_t usys_munmap(struct user_proc *p, const uint64_t *a);
int64_t usys_nanosleep(struct user_proc *p, const uint64_t *a);
int64_t usys_newfstatat(struct user_proc *p, const uint64_t *a);
int64_t usys_openat(struct user_proc *p, const uint64_t *a);
int64_t usys_personality(struct user_proc *p, const uint64_t *a);
int64_t usys_pipe2(struct user_proc *p, const uint64_t *a);
int64_t usys_ppoll(struct user_proc *p, const uint64_t *a);
int64_t usys_prctl(struct user_proc *p, const uint64_t *a);
int64_t usys_pread64(struct user_proc *p, const uint64_t *a);
int64_t usys_preadv(struct user_proc *p, const uint64_t *a);
int64_t usys_prlimit64(struct user_proc *p, const uint64_t *a);
int64_t usys_pselect6(struct user_proc *p, const uint64_t *a);
int64_t usys_pwrite64(struct user_proc *p, const uint64_t *a);
int64_t usys_pwritev(struct user_proc *p, const uint64_t *a);
int64_t usys_read(struct user_proc *p, const uint64_t *a);
int64_t usys_readlinkat(struct user_proc *p, const uint64_t *a);
int64_t usys_readv(struct user_proc *p, const uint64_t *a);
int64_t usys_renameat(struct user_proc *p, const uint64_t *a);
int64_t usys_renameat2(struct user_proc *p, const uint64_t *a);
int64_t usys_rt_sigaction(struct user_proc *p, const uint64_t *a);
int64_t usys_rt_sigprocmask(struct user_proc *p, const uint64_t *a);
int64_t usys_sched_getaffinity(struct user_proc *p, const uint64_t *a);
int64_t usys_sched_yield(struct user_proc *p, const uint64_t *a);
int64_t usys_sendfile(struct user_proc *p, const uint64_t *a);
int64_t usys_set_robust_list(struct user_proc *p, const uint64_t *a);
int64_t usys_set_tid_address(struct user_proc *p, const uint64_t *a);
int64_t usys_setgid(struct user_proc *p, const uint64_t *a);
int64_t usys_setpgid(struct user_proc *p, const uint64_t *a);
int64_t usys_setrlimit(struct user_proc *p, const uint64_t *a);
int64_t usys_setsid(struct user_proc *p, const uint64_t *a);
int64_t usys_setuid(struct user_proc *p, const uint64_t *a);
int64_t usys_sigaltstack(struct user_proc *p, const uint64_t *a);
int64_t usys_statfs(struct user_proc *p, const uint64_t *a);
int64_t usys_statx(struct user_proc *p, const uint64_t *a);
int64_t usys_symlinkat(struct user_proc *p, const uint64_t *a);
int64_t usys_sync(struct user_proc *p, const uint64_t *a);
int64_t usys_sysinfo(struct user_proc *p, const uint64_t *a);
int64_t usys_tgkill(struct user_proc *p, const uint64_t *a);
int64_t usys_times(struct user_proc *p, const uint64_t *a);
int64_t usys_tkill(struct user_proc *p, const uint64_t *a);
int64_t usys_truncate(struct user_proc *p, const uint64_t *a);
int64_t usys_umask(struct user_proc *p, const uint64_t *a);
int64_t usys_uname(struct user_proc *p, const uint64_t *a);
int64_t usys_unlinkat(struct user_proc *p, const uint64_t *a);
int64_t usys_utimensat(struct user_proc *p, const uint64_t *a);
int64_t usys_wait4(struct user_proc *p, const uint64_t *a);
int64_t usys_write(struct user_proc *p, const uint64_t *a);
int64_t usys_writev(struct user_proc *p, const uint64_t *a);

/* legacy calls of pre-asm-generic guests (x86-64): user/sys_legacy.c */
int64_t usys_open(struct user_proc *p, const uint64_t *a);
int64_t usys_creat(struct user_proc *p, const uint64_t *a);
int64_t usys_stat(struct user_proc *p, const uint64_t *a);
int64_t usys_lstat(struct user_proc *p, const uint64_t *a);
int64_t usys_access(struct user_proc *p, const uint64_t *a);
int64_t usys_pipe(struct user_proc *p, const uint64_t *a);
int64_t usys_dup2(struct user_proc *p, const uint64_t *a);
int64_t usys_fork(struct user_proc *p, const uint64_t *a);
int64_t usys_vfork(struct user_proc *p, const uint64_t *a);
int64_t usys_rename(struct user_proc *p, const uint64_t *a);
int64_t usys_mkdir(struct user_proc *p, const uint64_t *a);
int64_t usys_rmdir(struct user_proc *p, const uint64_t *a);
int64_t usys_unlink(struct user_proc *p, const uint64_t *a);
int64_t usys_link(struct user_proc *p, const uint64_t *a);
int64_t usys_symlink(struct user_proc *p, const uint64_t *a);
int64_t usys_readlink(struct user_proc *p, const uint64_t *a);
int64_t usys_chmod(struct user_proc *p, const uint64_t *a);
int64_t usys_chown(struct user_proc *p, const uint64_t *a);
int64_t usys_lchown(struct user_proc *p, const uint64_t *a);
int64_t usys_mknod(struct user_proc *p, const uint64_t *a);
int64_t usys_getpgrp(struct user_proc *p, const uint64_t *a);
int64_t usys_time(struct user_proc *p, const uint64_t *a);
int64_t usys_poll(struct user_proc *p, const uint64_t *a);
int64_t usys_select(struct user_proc *p, const uint64_t *a);

#endif
