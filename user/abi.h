/* The per-guest facts of Linux user mode: system call numbers (a table built
 * from user/syscalls_<guest>.def), where the registers of a system call are,
 * struct layouts and flag values that differ from the host's, and the auxv
 * values.  One const struct user_abi per guest (user/abi_<guest>.c); the
 * rest of user/ is guest-independent. */
#ifndef FERRY_USER_ABI_H
#define FERRY_USER_ABI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "accel/tcg/cpu.h"

struct user_proc;
struct tcg_ctx;
struct ferry_frontend;

/* A system call handler: a[0..5] are the raw argument registers.  Returns
 * the result, or a negative errno. */
typedef int64_t (*user_sys_fn)(struct user_proc *p, const uint64_t *a);

/* One entry of a guest's system call table (user/syscalls_<guest>.def). */
struct user_syscall {
    const char *name;
    const char *args; /* how -strace prints each argument (letters: user/strace.c) */
    char ret;         /* how -strace prints the result: 'd' decimal, 'x' hex, 'n' none */
    user_sys_fn fn;   /* NULL: known but not implemented (-ENOSYS, reported once) */
};

/* A guest flag bit and the host bit it stands for (0: none). */
struct user_flag_map {
    uint32_t guest, host;
    const char *name;
};

/* Why a guest got a synchronous signal (user/signal.c delivers it). */
struct user_siginfo {
    int signo, code;
    uint64_t addr; /* si_addr */
};

struct user_abi {
    const char *name;        /* "aarch64", "x86_64" */
    unsigned elf_machine;    /* EM_* */
    unsigned elf_class;      /* ELFCLASS32 / ELFCLASS64 */
    const char *platform;    /* AT_PLATFORM */
    const char *uname_machine; /* utsname.machine */
    unsigned ptr_size;       /* bytes of a guest pointer */
    unsigned stack_align;    /* stack pointer alignment at entry */
    uint64_t minsigstksz;    /* AT_MINSIGSTKSZ */
    uint64_t (*hwcap)(void); /* AT_HWCAP / AT_HWCAP2: exactly what the frontend implements
                                (x86: CPUID.1:EDX as the frontend's CPUID reports it) */
    uint64_t (*hwcap2)(void);

    /* indexed by system call number; entries without a name are unknown */
    const struct user_syscall *syscalls;
    unsigned nsyscalls;

    /* open(2) flags whose values differ between guest and host; others pass */
    const struct user_flag_map *open_flags;
    unsigned nopen_flags;

    /* struct stat as the guest's fstat/newfstatat write it */
    size_t stat_size;
    void (*stat_to_guest)(const struct stat *st, void *out);

    /* clone(2): which argument holds the child tid pointer and which the TLS
     * (AArch64, like 32-bit ARM: flags, stack, ptid, tls, ctid; x86-64 swaps
     * the last two) */
    unsigned clone_ctid_arg, clone_tls_arg;

    /* registers */
    void (*start)(struct cpu_head *cpu, uint64_t pc, uint64_t sp); /* at exec */
    uint64_t (*syscall_args)(const struct cpu_head *cpu, uint64_t a[6]); /* returns the number */
    void (*syscall_ret)(struct cpu_head *cpu, uint64_t v);
    void (*set_sp)(struct cpu_head *cpu, uint64_t sp);     /* clone with a new stack */
    void (*set_tls)(struct cpu_head *cpu, uint64_t tls);   /* clone with CLONE_SETTLS */
    void (*set_tcg)(struct cpu_head *cpu, struct tcg_ctx *tcg); /* for code invalidation */
    /* The signal an exit of the translated code raises (IR_EXIT_undef, brk,
     * fault, exception); false if the reason is not a guest signal. */
    bool (*exit_signal)(const struct cpu_head *cpu, unsigned reason, struct user_siginfo *si);
};

extern const struct user_abi user_abi_aarch64;
extern const struct user_abi user_abi_x86_64;

/* The ABI of a frontend's guest, or NULL if Linux user mode has none. */
const struct user_abi *user_abi_for(unsigned elf_machine, unsigned elf_class);

/* open flags guest <-> host through abi->open_flags. */
int user_open_flags_to_host(const struct user_abi *abi, uint64_t guest);
uint64_t user_open_flags_to_guest(const struct user_abi *abi, int host);

#endif
