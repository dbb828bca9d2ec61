/* Process creation system calls of Linux user mode: clone as fork (a host
 * fork copies the whole guest), execve (a guest program re-enters ferry
 * through /proc/self/exe, anything else runs natively, as binfmt_misc would
 * do), wait4.  Guest threads (clone with CLONE_VM) come later. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/user_int.h"

int64_t usys_clone(struct user_proc *p, const uint64_t *a)
{
    uint64_t flags = a[0];
    uint64_t ctid = a[p->abi->clone_ctid_arg], tls = a[p->abi->clone_tls_arg];
    if ((flags & CLONE_VM) && !(flags & CLONE_VFORK)) {
        user_unimp(p, "clone with CLONE_VM (threads)");
        return -ENOSYS;
    }
    /* fork, or vfork/posix_spawn (CLONE_VM|CLONE_VFORK) done as a fork: the
     * child gets a copy of the guest instead of sharing it */
    if (flags & ~(uint64_t)(CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_PARENT_SETTID |
                            CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_SETTLS)) {
        user_unimp(p, "clone flags 0x%llx", (unsigned long long)flags);
        return -EINVAL;
    }
    uint32_t *ptid = NULL, *ctidp = NULL;
    if ((flags & CLONE_PARENT_SETTID) && !(ptid = user_ptr(p, a[2], 4, PROT_WRITE)))
        return -EFAULT;
    if ((flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) &&
        !(ctidp = user_ptr(p, ctid, 4, PROT_WRITE)))
        return -EFAULT;
    fflush(NULL);
    if ((flags & CSIGNAL) != SIGCHLD) {
        user_unimp(p, "clone with exit signal %d", (int)(flags & CSIGNAL));
        return -EINVAL;
    }
    pid_t pid = fork();
    if (pid < 0)
        return user_err(errno);
    if (pid > 0) {
        if (ptid)
            *ptid = (uint32_t)pid;
        return pid;
    }
    /* the child */
    uint32_t me = (uint32_t)gettid();
    if (flags & CLONE_CHILD_SETTID)
        *ctidp = me;
    if (flags & CLONE_CHILD_CLEARTID)
        p->clear_child_tid = ctid;
    if (flags & CLONE_SETTLS)
        p->abi->set_tls(p->cpu, tls);
    if (a[1])
        p->abi->set_sp(p->cpu, a[1]);
    if (user_run_after_fork(p) < 0) {
        fprintf(stderr, "ferry: the forked child cannot set up its translation cache\n");
        _exit(125);
    }
    return 0;
}

int64_t usys_wait4(struct user_proc *p, const uint64_t *a)
{
    int *status = NULL;
    struct rusage *ru = NULL;
    if (a[1] && !(status = user_ptr(p, a[1], sizeof(int), PROT_WRITE)))
        return -EFAULT;
    if (a[3] && !(ru = user_ptr(p, a[3], sizeof(*ru), PROT_WRITE)))
        return -EFAULT;
    return user_ret(wait4((pid_t)a[0], status, (int)a[2], ru));
}

/* A NULL-terminated guest array of string pointers: a malloc'd host array of
 * pointers into guest memory, or NULL with *err set. */
static char **guest_strv(struct user_proc *p, uint64_t addr, size_t extra_front, int *err)
{
    size_t n = 0, ps = p->abi->ptr_size;
    for (;; n++) {
        const uint8_t *w = user_ptr(p, addr + n * ps, ps, PROT_READ);
        if (!w) {
            *err = -EFAULT;
            return NULL;
        }
        uint64_t v = 0;
        memcpy(&v, w, ps);
        if (!v)
            break;
        if (n > 1u << 20) {
            *err = -E2BIG;
            return NULL;
        }
    }
    char **v = calloc(extra_front + n + 1, sizeof(char *));
    if (!v) {
        *err = -ENOMEM;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t s = 0;
        memcpy(&s, user_ptr(p, addr + i * ps, ps, PROT_READ), ps);
        const char *str = user_mm_str(&p->mm, s, 1u << 20, err);
        if (!str) {
            free(v);
            return NULL;
        }
        v[extra_front + i] = (char *)str;
    }
    return v;
}

/* ferry's own options that the new program inherits, then "-0 ARGV0 -- PATH". */
static size_t ferry_argv(struct user_proc *p, char **out, const char *path, const char *argv0,
                         char *backend_buf, size_t backend_len)
{
    const struct user_options *o = p->opt;
    size_t n = 0;
    out[n++] = "ferry";
    out[n++] = "run";
    if (o->backend) {
        snprintf(backend_buf, backend_len, "--backend=%s", o->backend);
        out[n++] = backend_buf;
    }
    if (o->strace)
        out[n++] = "-strace";
    if (o->one_insn_per_tb)
        out[n++] = "-one-insn-per-tb";
    if (o->no_opt)
        out[n++] = "-O0";
    if (o->no_chain)
        out[n++] = "--no-chain";
    if (argv0) {
        out[n++] = "-0";
        out[n++] = (char *)argv0;
    }
    out[n++] = "--";
    out[n++] = (char *)path;
    return n;
}

enum { FERRY_ARGV_MAX = 12 };

int64_t usys_execve(struct user_proc *p, const uint64_t *a)
{
    int err;
    const char *path = user_path(p, a[0], &err);
    if (!path)
        return err;
    path = user_host_path(p, path);
    char **argv = guest_strv(p, a[1], FERRY_ARGV_MAX, &err);
    if (!argv)
        return err;
    char **envp = guest_strv(p, a[2], 0, &err);
    if (!envp) {
        free(argv);
        return err;
    }
    /* a program for a guest ferry runs: ferry runs it; anything else natively */
    struct user_elf_info *info = malloc(sizeof(*info));
    char msg[256];
    int fd = info ? user_elf_open(path, info, msg, sizeof(msg)) : -1;
    bool guest = fd >= 0 && user_abi_for(info->machine, info->elf_class);
    if (fd >= 0)
        close(fd);
    free(info);
    char backend[64];
    char **run = argv + FERRY_ARGV_MAX;
    if (guest) {
        char *front[FERRY_ARGV_MAX];
        const char *argv0 = run[0] ? run[0] : path;
        size_t n = ferry_argv(p, front, path, argv0, backend, sizeof(backend));
        run = run[0] ? run + 1 - n : run - n; /* the guest's argv[0] went into -0 */
        memcpy(run, front, n * sizeof(char *));
        fflush(NULL);
        execve("/proc/self/exe", run, envp);
    } else {
        fflush(NULL);
        execve(path, run, envp);
    }
    err = -errno;
    free(argv);
    free(envp);
    return err;
}
