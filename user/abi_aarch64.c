/* AArch64 Linux as user mode sees it: system call numbers (from
 * user/syscalls_aarch64.def), x8/x0..x5 calling convention, the asm-generic
 * struct stat, open flags that differ from the host's, auxv values, and the
 * signals the translated code's exits stand for. */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "frontend/aarch64/a64_cpu.h"
#include "ir/ir.h"
#include "user/user_int.h"

static const struct user_syscall a64_syscalls[] = {
#define SYSCALL(name, nr, args, ret, fn) [nr] = {#name, args, ret, fn},
#include "user/syscalls_aarch64.def"
#undef SYSCALL
};

/* The host kernel's O_LARGEFILE (host glibc defines it as 0 on 64-bit hosts,
 * but F_GETFL reports the kernel's bit). */
#if defined(__x86_64__)
#define HOST_O_LARGEFILE 0100000
#elif defined(__aarch64__)
#define HOST_O_LARGEFILE 0400000
#else
#define HOST_O_LARGEFILE 0100000 /* asm-generic */
#endif

/* arch/arm64/include/uapi/asm/fcntl.h moves four bits; the rest are
 * asm-generic, the same values as on an x86-64 host.  The other entries
 * only name bits for -strace. */
static const struct user_flag_map a64_open_flags[] = {
    {040000, O_DIRECTORY, "O_DIRECTORY"},
    {0100000, O_NOFOLLOW, "O_NOFOLLOW"},
    {0200000, O_DIRECT, "O_DIRECT"},
    {0400000, HOST_O_LARGEFILE, "O_LARGEFILE"},
    {0100, O_CREAT, "O_CREAT"},
    {0200, O_EXCL, "O_EXCL"},
    {0400, O_NOCTTY, "O_NOCTTY"},
    {01000, O_TRUNC, "O_TRUNC"},
    {02000, O_APPEND, "O_APPEND"},
    {04000, O_NONBLOCK, "O_NONBLOCK"},
    {010000, O_DSYNC, "O_DSYNC"},
    {020000, O_ASYNC, "O_ASYNC"},
    {01000000, O_NOATIME, "O_NOATIME"},
    {02000000, O_CLOEXEC, "O_CLOEXEC"},
    {04000000, 04000000, "O_SYNC"}, /* __O_SYNC: with O_DSYNC it is O_SYNC */
    {010000000, O_PATH, "O_PATH"},
    {020000000, 020000000, "O_TMPFILE"}, /* __O_TMPFILE */
};

/* The asm-generic struct stat (include/uapi/asm-generic/stat.h), 128 bytes. */
struct a64_stat {
    uint64_t st_dev, st_ino;
    uint32_t st_mode, st_nlink, st_uid, st_gid;
    uint64_t st_rdev, pad1;
    int64_t st_size;
    int32_t st_blksize, pad2;
    int64_t st_blocks;
    int64_t st_atime_sec;
    uint64_t st_atime_nsec;
    int64_t st_mtime_sec;
    uint64_t st_mtime_nsec;
    int64_t st_ctime_sec;
    uint64_t st_ctime_nsec;
    uint32_t unused4, unused5;
};
_Static_assert(sizeof(struct a64_stat) == 128, "asm-generic struct stat is 128 bytes");
_Static_assert(offsetof(struct a64_stat, st_rdev) == 32, "asm-generic stat layout");
_Static_assert(offsetof(struct a64_stat, st_size) == 48, "asm-generic stat layout");
_Static_assert(offsetof(struct a64_stat, st_blksize) == 56, "asm-generic stat layout");
_Static_assert(offsetof(struct a64_stat, st_blocks) == 64, "asm-generic stat layout");
_Static_assert(offsetof(struct a64_stat, st_atime_sec) == 72, "asm-generic stat layout");
_Static_assert(offsetof(struct a64_stat, st_ctime_nsec) == 112, "asm-generic stat layout");

static void a64_stat_to_guest(const struct stat *st, void *out)
{
    struct a64_stat g = {
        .st_dev = st->st_dev,
        .st_ino = st->st_ino,
        .st_mode = st->st_mode,
        .st_nlink = (uint32_t)st->st_nlink,
        .st_uid = st->st_uid,
        .st_gid = st->st_gid,
        .st_rdev = st->st_rdev,
        .st_size = st->st_size,
        .st_blksize = (int32_t)st->st_blksize,
        .st_blocks = st->st_blocks,
        .st_atime_sec = st->st_atim.tv_sec,
        .st_atime_nsec = (uint64_t)st->st_atim.tv_nsec,
        .st_mtime_sec = st->st_mtim.tv_sec,
        .st_mtime_nsec = (uint64_t)st->st_mtim.tv_nsec,
        .st_ctime_sec = st->st_ctim.tv_sec,
        .st_ctime_nsec = (uint64_t)st->st_ctim.tv_nsec,
    };
    memcpy(out, &g, sizeof(g));
}

static struct a64_cpu *a64(struct cpu_head *cpu) { return (struct a64_cpu *)cpu; }
static const struct a64_cpu *a64c(const struct cpu_head *cpu) { return (const struct a64_cpu *)cpu; }

/* Linux starts a program with every register zero but pc and sp. */
static void a64_start(struct cpu_head *cpu, uint64_t pc, uint64_t sp)
{
    cpu->pc = pc;
    a64(cpu)->sp = sp;
}

static uint64_t a64_syscall_args(const struct cpu_head *cpu, uint64_t a[6])
{
    memcpy(a, a64c(cpu)->x, 6 * sizeof(uint64_t));
    return a64c(cpu)->x[8];
}

static void a64_syscall_ret(struct cpu_head *cpu, uint64_t v) { a64(cpu)->x[0] = v; }
static void a64_set_sp(struct cpu_head *cpu, uint64_t sp) { a64(cpu)->sp = sp; }
static void a64_set_tls(struct cpu_head *cpu, uint64_t tls) { a64(cpu)->tpidr_el0 = tls; }
static void a64_set_tcg(struct cpu_head *cpu, struct tcg_ctx *tcg) { a64(cpu)->tcg = tcg; }

/* What the Linux kernel sends for each synchronous exception of EL0. */
static bool a64_exit_signal(const struct cpu_head *cpu, unsigned reason, struct user_siginfo *si)
{
    const struct a64_cpu *c = a64c(cpu);
    switch (reason) {
    case IR_EXIT_undef:
        *si = (struct user_siginfo){SIGILL, ILL_ILLOPC, cpu->pc};
        return true;
    case IR_EXIT_brk:
        *si = (struct user_siginfo){SIGTRAP, TRAP_BRKPT, cpu->pc};
        return true;
    case IR_EXIT_fault:
        if (c->fault_kind == A64_FAULT_ALIGN)
            *si = (struct user_siginfo){SIGBUS, BUS_ADRALN, c->fault_addr};
        else
            *si = (struct user_siginfo){SIGSEGV, SEGV_MAPERR, c->fault_addr};
        return true;
    default:
        return false;
    }
}

const struct user_abi user_abi_aarch64 = {
    .name = "aarch64",
    .elf_machine = EM_AARCH64,
    .elf_class = ELFCLASS64,
    .platform = "aarch64",
    .uname_machine = "aarch64",
    .ptr_size = 8,
    .stack_align = 16,
    .minsigstksz = 5120, /* arm64 MINSIGSTKSZ: a signal frame without SVE state */
    .hwcap = a64_hwcap,
    .hwcap2 = a64_hwcap2,
    .syscalls = a64_syscalls,
    .nsyscalls = sizeof(a64_syscalls) / sizeof(a64_syscalls[0]),
    .open_flags = a64_open_flags,
    .nopen_flags = sizeof(a64_open_flags) / sizeof(a64_open_flags[0]),
    .stat_size = sizeof(struct a64_stat),
    .stat_to_guest = a64_stat_to_guest,
    .clone_ctid_arg = 4,
    .clone_tls_arg = 3,
    .start = a64_start,
    .syscall_args = a64_syscall_args,
    .syscall_ret = a64_syscall_ret,
    .set_sp = a64_set_sp,
    .set_tls = a64_set_tls,
    .set_tcg = a64_set_tcg,
    .exit_signal = a64_exit_signal,
};
