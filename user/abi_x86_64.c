/* x86-64 Linux as user mode sees it: system call numbers (from
 * user/syscalls_x86_64.def), RAX/RDI RSI RDX R10 R8 R9 calling convention,
 * arch_prctl for the FS and GS bases, the x86-64 struct stat and open flags,
 * auxv values (AT_HWCAP is the CPUID leaf 1 EDX the frontend advertises), and
 * the signals the translated code's exits stand for. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>

#include "frontend/x86_64/x64_cpu.h"
#include "ir/ir.h"
#include "user/user_int.h"

static struct x64_cpu *x64(struct cpu_head *cpu) { return (struct x64_cpu *)cpu; }
static const struct x64_cpu *x64c(const struct cpu_head *cpu) { return (const struct x64_cpu *)cpu; }

/* arch_prctl(code, addr) (asm/prctl.h values) */
enum {
    X64_ARCH_SET_GS = 0x1001,
    X64_ARCH_SET_FS = 0x1002,
    X64_ARCH_GET_FS = 0x1003,
    X64_ARCH_GET_GS = 0x1004,
};

/* Guest addresses are below 2^47 (user/mm.h), so any base the guest can
 * reach through its mappings is canonical; Linux refuses non-canonical ones
 * with EPERM. */
static bool x64_canonical(uint64_t v) { return (uint64_t)((int64_t)(v << 16) >> 16) == v; }

static int64_t x64_sys_arch_prctl(struct user_proc *p, const uint64_t *a)
{
    struct x64_cpu *c = x64(p->cpu);
    uint64_t *get = NULL;
    switch (a[0]) {
    case X64_ARCH_SET_FS:
    case X64_ARCH_SET_GS:
        if (!x64_canonical(a[1]))
            return -EPERM;
        *(a[0] == X64_ARCH_SET_FS ? &c->fs_base : &c->gs_base) = a[1];
        return 0;
    case X64_ARCH_GET_FS:
    case X64_ARCH_GET_GS:
        if (!(get = user_ptr(p, a[1], sizeof(*get), PROT_WRITE)))
            return -EFAULT;
        *get = a[0] == X64_ARCH_GET_FS ? c->fs_base : c->gs_base;
        return 0;
    default:
        /* CPUID faulting, CET, AMX permissions: not offered */
        user_unimp(p, "arch_prctl code 0x%llx", (unsigned long long)a[0]);
        return -EINVAL;
    }
}

static const struct user_syscall x64_syscalls[] = {
#define SYSCALL(name, nr, args, ret, fn) [nr] = {#name, args, ret, fn},
#include "user/syscalls_x86_64.def"
#undef SYSCALL
};

/* The x86-64 open flags (the kernel's asm-generic values: on an x86-64 host
 * every entry maps to itself).  The host's O_LARGEFILE is the kernel's bit,
 * which host glibc defines as 0 on 64-bit hosts. */
#if defined(__x86_64__)
#define X64_HOST_O_LARGEFILE 0100000
#elif defined(__aarch64__)
#define X64_HOST_O_LARGEFILE 0400000
#else
#define X64_HOST_O_LARGEFILE 0100000
#endif

static const struct user_flag_map x64_open_flags[] = {
    {0100, O_CREAT, "O_CREAT"},
    {0200, O_EXCL, "O_EXCL"},
    {0400, O_NOCTTY, "O_NOCTTY"},
    {01000, O_TRUNC, "O_TRUNC"},
    {02000, O_APPEND, "O_APPEND"},
    {04000, O_NONBLOCK, "O_NONBLOCK"},
    {010000, O_DSYNC, "O_DSYNC"},
    {020000, O_ASYNC, "O_ASYNC"},
    {040000, O_DIRECT, "O_DIRECT"},
    {0100000, X64_HOST_O_LARGEFILE, "O_LARGEFILE"},
    {0200000, O_DIRECTORY, "O_DIRECTORY"},
    {0400000, O_NOFOLLOW, "O_NOFOLLOW"},
    {01000000, O_NOATIME, "O_NOATIME"},
    {02000000, O_CLOEXEC, "O_CLOEXEC"},
    {04000000, 04000000, "O_SYNC"}, /* __O_SYNC: with O_DSYNC it is O_SYNC */
    {010000000, O_PATH, "O_PATH"},
    {020000000, 020000000, "O_TMPFILE"}, /* __O_TMPFILE */
};

/* arch/x86/include/uapi/asm/stat.h, the 64-bit struct stat: 144 bytes. */
struct x64_stat {
    uint64_t st_dev, st_ino, st_nlink;
    uint32_t st_mode, st_uid, st_gid, pad0;
    uint64_t st_rdev;
    int64_t st_size, st_blksize, st_blocks;
    uint64_t st_atime_sec, st_atime_nsec;
    uint64_t st_mtime_sec, st_mtime_nsec;
    uint64_t st_ctime_sec, st_ctime_nsec;
    int64_t unused[3];
};
_Static_assert(sizeof(struct x64_stat) == 144, "x86-64 struct stat is 144 bytes");
_Static_assert(offsetof(struct x64_stat, st_mode) == 24, "x86-64 stat layout");
_Static_assert(offsetof(struct x64_stat, st_rdev) == 40, "x86-64 stat layout");
_Static_assert(offsetof(struct x64_stat, st_size) == 48, "x86-64 stat layout");
_Static_assert(offsetof(struct x64_stat, st_atime_sec) == 72, "x86-64 stat layout");
_Static_assert(offsetof(struct x64_stat, st_ctime_nsec) == 112, "x86-64 stat layout");

static void x64_stat_to_guest(const struct stat *st, void *out)
{
    struct x64_stat g = {
        .st_dev = st->st_dev,
        .st_ino = st->st_ino,
        .st_nlink = st->st_nlink,
        .st_mode = st->st_mode,
        .st_uid = st->st_uid,
        .st_gid = st->st_gid,
        .st_rdev = st->st_rdev,
        .st_size = st->st_size,
        .st_blksize = st->st_blksize,
        .st_blocks = st->st_blocks,
        .st_atime_sec = (uint64_t)st->st_atim.tv_sec,
        .st_atime_nsec = (uint64_t)st->st_atim.tv_nsec,
        .st_mtime_sec = (uint64_t)st->st_mtim.tv_sec,
        .st_mtime_nsec = (uint64_t)st->st_mtim.tv_nsec,
        .st_ctime_sec = (uint64_t)st->st_ctim.tv_sec,
        .st_ctime_nsec = (uint64_t)st->st_ctim.tv_nsec,
    };
    memcpy(out, &g, sizeof(g));
}

/* AT_HWCAP on x86 is CPUID.1:EDX; AT_HWCAP2 has only the ring-3 MWAIT and
 * FSGSBASE bits, neither offered. */
static uint64_t x64_hwcap(void)
{
    uint32_t r[4];
    x64_cpuid_query(1, r);
    return r[3];
}

static uint64_t x64_hwcap2(void) { return 0; }

/* Linux starts a program with every register zero but RIP and RSP (RDX = 0:
 * no rtld finalizer), RFLAGS = 0x202. */
static void x64_start(struct cpu_head *cpu, uint64_t pc, uint64_t sp)
{
    cpu->pc = pc;
    x64(cpu)->regs[X64_RSP] = sp;
    x64_set_rflags(x64(cpu), 0x202);
}

static uint64_t x64_syscall_args(const struct cpu_head *cpu, uint64_t a[6])
{
    static const unsigned regs[6] = {X64_RDI, X64_RSI, X64_RDX, X64_R10, X64_R8, X64_R9};
    for (unsigned i = 0; i < 6; i++)
        a[i] = x64c(cpu)->regs[regs[i]];
    return x64c(cpu)->regs[X64_RAX];
}

static void x64_syscall_ret(struct cpu_head *cpu, uint64_t v) { x64(cpu)->regs[X64_RAX] = v; }
static void x64_set_sp(struct cpu_head *cpu, uint64_t sp) { x64(cpu)->regs[X64_RSP] = sp; }
static void x64_set_tls(struct cpu_head *cpu, uint64_t tls) { x64(cpu)->fs_base = tls; }
static void x64_set_tcg(struct cpu_head *cpu, struct tcg_ctx *tcg)
{
    (void)cpu; /* x86 code changes are seen through the translation cache's page tracking */
    (void)tcg;
}

/* The si_code of an SSE exception (#XM): the first unmasked flag raised, in
 * the kernel's order (denormal counts as underflow). */
static int x64_simd_fpe_code(uint32_t mxcsr)
{
    uint32_t err = mxcsr & 0x3f & ~((mxcsr >> 7) & 0x3f);
    if (err & 0x01)
        return FPE_FLTINV;
    if (err & 0x04)
        return FPE_FLTDIV;
    if (err & 0x08)
        return FPE_FLTOVF;
    if (err & 0x12)
        return FPE_FLTUND;
    if (err & 0x20)
        return FPE_FLTRES;
    return 0;
}

/* What the Linux kernel sends for each exception of a user-mode x86-64
 * process (arch/x86/kernel/traps.c): #DE is SIGFPE/FPE_INTDIV, #UD
 * SIGILL/ILL_ILLOPN, INT3 SIGTRAP (SI_KERNEL), a privileged instruction
 * (#GP: HLT, IN/OUT, ...) SIGSEGV with SI_KERNEL and address 0, a fetch
 * from memory that is not executable SIGSEGV at that address, an unmasked
 * SSE exception (#XM) SIGFPE with the flag's code. */
static bool x64_exit_signal(const struct cpu_head *cpu, unsigned reason, struct user_siginfo *si)
{
    const struct x64_cpu *c = x64c(cpu);
    switch (reason) {
    case IR_EXIT_undef:
        *si = (struct user_siginfo){SIGILL, ILL_ILLOPN, cpu->pc};
        return true;
    case IR_EXIT_brk:
        *si = (struct user_siginfo){SIGTRAP, SI_KERNEL, 0};
        return true;
    case IR_EXIT_halt:
        *si = (struct user_siginfo){SIGSEGV, SI_KERNEL, 0};
        return true;
    case IR_EXIT_fault:
        *si = (struct user_siginfo){SIGSEGV, SEGV_MAPERR, c->fault_addr};
        return true;
    case IR_EXIT_exception:
        switch (c->exc_vector) {
        case X64_EXC_DE:
            *si = (struct user_siginfo){SIGFPE, FPE_INTDIV, cpu->pc};
            return true;
        case X64_EXC_UD:
            *si = (struct user_siginfo){SIGILL, ILL_ILLOPN, cpu->pc};
            return true;
        case X64_EXC_BP:
        case X64_EXC_DB:
            *si = (struct user_siginfo){SIGTRAP, SI_KERNEL, 0};
            return true;
        case X64_EXC_PF:
            *si = (struct user_siginfo){SIGSEGV, SEGV_MAPERR, c->cr2};
            return true;
        case X64_EXC_XM:
            *si = (struct user_siginfo){SIGFPE, x64_simd_fpe_code(c->mxcsr), cpu->pc};
            return true;
        case X64_EXC_MF:
            *si = (struct user_siginfo){SIGFPE, FPE_FLTINV, cpu->pc};
            return true;
        case X64_EXC_NP:
        case X64_EXC_SS:
            *si = (struct user_siginfo){SIGBUS, SI_KERNEL, 0};
            return true;
        default: /* #GP and the rest of the faults a ring-3 process can take */
            *si = (struct user_siginfo){SIGSEGV, SI_KERNEL, 0};
            return true;
        }
    default:
        return false;
    }
}

const struct user_abi user_abi_x86_64 = {
    .name = "x86_64",
    .elf_machine = EM_X86_64,
    .elf_class = ELFCLASS64,
    .platform = "x86_64",
    .uname_machine = "x86_64",
    .ptr_size = 8,
    .stack_align = 16,
    .minsigstksz = 2048, /* x86 MINSIGSTKSZ: a frame with the 512-byte FXSAVE area */
    .hwcap = x64_hwcap,
    .hwcap2 = x64_hwcap2,
    .syscalls = x64_syscalls,
    .nsyscalls = sizeof(x64_syscalls) / sizeof(x64_syscalls[0]),
    .open_flags = x64_open_flags,
    .nopen_flags = sizeof(x64_open_flags) / sizeof(x64_open_flags[0]),
    .stat_size = sizeof(struct x64_stat),
    .stat_to_guest = x64_stat_to_guest,
    .clone_ctid_arg = 3, /* clone(flags, stack, ptid, ctid, tls) */
    .clone_tls_arg = 4,
    .start = x64_start,
    .syscall_args = x64_syscall_args,
    .syscall_ret = x64_syscall_ret,
    .set_sp = x64_set_sp,
    .set_tls = x64_set_tls,
    .set_tcg = x64_set_tcg,
    .exit_signal = x64_exit_signal,
};
