/* The x86-64 guest ABI of Linux user mode (user/abi_x86_64.c,
 * user/syscalls_x86_64.def, user/sys_legacy.c): system call numbers against
 * the host's, struct stat and open flags in x86-64 form, the RAX/RDI..R9
 * registers through the dispatcher, arch_prctl, the legacy path-name calls,
 * and the signals of the translated code's exits. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <asm/unistd_64.h>
#endif

#include "frontend/x86_64/x64_cpu.h"
#include "ir/ir.h"
#include "user_test.h"

#define BUF 0x10000000ull /* a mapped read-write page */

static struct user_proc *p;
static struct x64_cpu *cpu;

static void x64_setup(void)
{
    p = test_proc_new();
    p->abi = &user_abi_x86_64;
    p->fe = &frontend_x86_64;
    test_map(p, BUF, 1, PROT_READ | PROT_WRITE);
    p->cpu = frontend_cpu_new(p->fe);
    ck_assert_ptr_nonnull(p->cpu);
    cpu = (struct x64_cpu *)p->cpu;
}

static void x64_teardown(void) { test_proc_free(p); }

static char *gbuf(uint64_t addr) { return (char *)p->mm.base + addr; }

/* One system call through the dispatcher; returns RAX. */
static int64_t call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    cpu->regs[X64_RAX] = nr;
    cpu->regs[X64_RDI] = a0;
    cpu->regs[X64_RSI] = a1;
    cpu->regs[X64_RDX] = a2;
    cpu->regs[X64_R10] = a3;
    user_syscall(p);
    return (int64_t)cpu->regs[X64_RAX];
}

START_TEST(x64_abi_is_found_by_elf_machine)
{
    ck_assert_ptr_eq(user_abi_for(EM_X86_64, ELFCLASS64), &user_abi_x86_64);
    ck_assert_ptr_eq(frontend_for_elf(EM_X86_64, ELFCLASS64), &frontend_x86_64);
    ck_assert_ptr_null(user_abi_for(EM_X86_64, ELFCLASS32));
    ck_assert_uint_eq((uintptr_t)p->cpu % frontend_x86_64.cpu_align, 0);
}
END_TEST

#define CHECK_NR(name, nr) ck_assert_msg(nr == __NR_##name, #name " is %d, the host says %d", nr, __NR_##name);

START_TEST(x64_syscall_numbers_are_the_hosts)
{
#if defined(__x86_64__)
    unsigned n = 0;
#define SYSCALL(name, nr, args, ret, fn) CHECK_NR(name, nr) n++;
#include "user/syscalls_x86_64.def"
#undef SYSCALL
    ck_assert_uint_gt(n, 300);
#endif
    const struct user_abi *abi = &user_abi_x86_64;
    ck_assert_str_eq(abi->syscalls[0].name, "read");
    ck_assert_str_eq(abi->syscalls[60].name, "exit");
    ck_assert_str_eq(abi->syscalls[158].name, "arch_prctl");
    ck_assert_ptr_nonnull(abi->syscalls[158].fn);
    ck_assert_ptr_nonnull(abi->syscalls[2].fn);   /* open: a legacy wrapper */
    ck_assert_ptr_nonnull(abi->syscalls[257].fn); /* openat */
    ck_assert_ptr_null(abi->syscalls[400].name); /* the unassigned range */
}
END_TEST

START_TEST(x64_stat_is_the_kernel_layout)
{
    struct stat st;
    ck_assert_int_eq(stat("/", &st), 0);
    uint8_t g[144];
    memset(g, 0xee, sizeof(g));
    ck_assert_uint_eq(user_abi_x86_64.stat_size, 144);
    user_abi_x86_64.stat_to_guest(&st, g);
    uint64_t v;
    memcpy(&v, g + 8, 8);
    ck_assert_uint_eq(v, st.st_ino);
    uint32_t mode;
    memcpy(&mode, g + 24, 4);
    ck_assert_uint_eq(mode, st.st_mode);
    memcpy(&v, g + 88, 8); /* st_mtime */
    ck_assert_uint_eq(v, (uint64_t)st.st_mtim.tv_sec);
#if defined(__x86_64__)
    /* glibc's struct stat on x86-64 is the kernel's: byte for byte */
    ck_assert_uint_eq(sizeof(st), 144);
    ck_assert_int_eq(memcmp(g, &st, 144 - 24), 0);
#endif
}
END_TEST

START_TEST(x64_open_flags_are_the_x86_values)
{
    const struct user_abi *abi = &user_abi_x86_64;
    ck_assert_int_eq(user_open_flags_to_host(abi, 0200000), O_DIRECTORY);
    ck_assert_int_eq(user_open_flags_to_host(abi, 0400000), O_NOFOLLOW);
    ck_assert_int_eq(user_open_flags_to_host(abi, 040000), O_DIRECT);
    ck_assert_int_eq(user_open_flags_to_host(abi, 01 | 0100 | 01000 | 02000000),
                     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC);
    ck_assert_uint_eq(user_open_flags_to_guest(abi, O_DIRECTORY | O_NOFOLLOW), 0600000);
}
END_TEST

START_TEST(x64_dispatch_uses_rax_and_rdi_to_r9)
{
    ck_assert_int_eq(call(39, 0, 0, 0, 0), getpid()); /* getpid */
    ck_assert_int_eq(call(63, BUF, 0, 0, 0), 0);      /* uname */
    ck_assert_str_eq(gbuf(BUF) + 4 * 65, "x86_64");
    /* mmap(0, 4096, RW, PRIVATE|ANON, fd in R8, offset in R9) */
    cpu->regs[X64_R8] = (uint64_t)-1;
    cpu->regs[X64_R9] = 0;
    int64_t m = call(9, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    ck_assert_int_gt(m, 0);
    ck_assert_int_eq(call(11, (uint64_t)m, 4096, 0, 0), 0);
    ck_assert_int_eq(call(335, 0, 0, 0, 0), -ENOSYS); /* unassigned */
    call(231, 0x1207, 0, 0, 0); /* exit_group */
    ck_assert(p->exited);
    ck_assert_int_eq(p->exit_code, 7);
}
END_TEST

START_TEST(x64_arch_prctl_sets_and_gets_the_bases)
{
    ck_assert_int_eq(call(158, 0x1002, 0x7f0000001000ull, 0, 0), 0); /* ARCH_SET_FS */
    ck_assert_uint_eq(cpu->fs_base, 0x7f0000001000ull);
    ck_assert_int_eq(call(158, 0x1001, 0x2000, 0, 0), 0); /* ARCH_SET_GS */
    ck_assert_uint_eq(cpu->gs_base, 0x2000);
    ck_assert_int_eq(call(158, 0x1003, BUF, 0, 0), 0); /* ARCH_GET_FS */
    uint64_t v;
    memcpy(&v, gbuf(BUF), 8);
    ck_assert_uint_eq(v, 0x7f0000001000ull);
    ck_assert_int_eq(call(158, 0x1004, BUF + 8, 0, 0), 0); /* ARCH_GET_GS */
    memcpy(&v, gbuf(BUF + 8), 8);
    ck_assert_uint_eq(v, 0x2000);
    ck_assert_int_eq(call(158, 0x1003, 0x5000, 0, 0), -EFAULT);
    ck_assert_int_eq(call(158, 0x1002, 0x8000000000000000ull, 0, 0), -EPERM);
    ck_assert_int_eq(call(158, 0x3001, 0, 0, 0), -EINVAL); /* CET status: not offered */
    /* clone's CLONE_SETTLS goes to the FS base too */
    user_abi_x86_64.set_tls(p->cpu, 0x4000);
    ck_assert_uint_eq(cpu->fs_base, 0x4000);
}
END_TEST

START_TEST(x64_legacy_path_calls)
{
    char dir[] = "/tmp/ferry-x64-legacy-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(gbuf(BUF), 256, "%s/d", dir);
    snprintf(gbuf(BUF + 256), 256, "%s/d/f", dir);
    snprintf(gbuf(BUF + 512), 256, "%s/d/g", dir);
    ck_assert_int_eq(call(83, BUF, 0700, 0, 0), 0);      /* mkdir */
    ck_assert_int_eq(call(83, BUF, 0700, 0, 0), -EEXIST);
    int64_t fd = call(2, BUF + 256, 01 | 0100, 0600, 0); /* open(O_WRONLY|O_CREAT) */
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(call(3, (uint64_t)fd, 0, 0, 0), 0);
    ck_assert_int_eq(call(4, BUF + 256, BUF + 1024, 0, 0), 0); /* stat */
    uint32_t mode;
    memcpy(&mode, gbuf(BUF + 1024 + 24), 4);
    ck_assert_uint_eq(mode, S_IFREG | 0600);
    ck_assert_int_eq(call(21, BUF + 256, R_OK, 0, 0), 0);      /* access */
    ck_assert_int_eq(call(82, BUF + 256, BUF + 512, 0, 0), 0); /* rename */
    ck_assert_int_eq(call(87, BUF + 256, 0, 0, 0), -ENOENT);   /* unlink the old name */
    ck_assert_int_eq(call(84, BUF, 0, 0, 0), -ENOTEMPTY);      /* rmdir */
    ck_assert_int_eq(call(87, BUF + 512, 0, 0, 0), 0);
    ck_assert_int_eq(call(84, BUF, 0, 0, 0), 0);
    ck_assert_int_eq(rmdir(dir), 0);
    ck_assert_int_eq(call(22, BUF, 0, 0, 0), 0); /* pipe */
    int fds[2];
    memcpy(fds, gbuf(BUF), sizeof(fds));
    ck_assert_int_eq(call(33, (uint64_t)fds[1], (uint64_t)fds[1], 0, 0), fds[1]); /* dup2 to itself */
    ck_assert_int_eq(call(33, (uint64_t)fds[0], 100, 0, 0), 100);
    close(fds[0]);
    close(fds[1]);
    close(100);
    ck_assert_int_eq(call(33, 100, 100, 0, 0), -EBADF);
}
END_TEST

START_TEST(x64_exits_are_the_kernels_signals)
{
    const struct user_abi *abi = &user_abi_x86_64;
    struct user_siginfo si;
    p->cpu->pc = 0x401000;
    cpu->exc_vector = X64_EXC_DE;
    ck_assert(abi->exit_signal(p->cpu, IR_EXIT_exception, &si));
    ck_assert_int_eq(si.signo, SIGFPE);
    ck_assert_int_eq(si.code, FPE_INTDIV);
    ck_assert_uint_eq(si.addr, 0x401000);
    ck_assert(abi->exit_signal(p->cpu, IR_EXIT_undef, &si));
    ck_assert_int_eq(si.signo, SIGILL);
    ck_assert(abi->exit_signal(p->cpu, IR_EXIT_brk, &si));
    ck_assert_int_eq(si.signo, SIGTRAP);
    ck_assert(abi->exit_signal(p->cpu, IR_EXIT_halt, &si));
    ck_assert_int_eq(si.signo, SIGSEGV);
    cpu->fault_addr = 0x7000;
    ck_assert(abi->exit_signal(p->cpu, IR_EXIT_fault, &si));
    ck_assert_int_eq(si.signo, SIGSEGV);
    ck_assert_uint_eq(si.addr, 0x7000);
    cpu->exc_vector = X64_EXC_XM;
    cpu->mxcsr = (0x1f80 & ~(1u << 9)) | 0x04; /* divide-by-zero unmasked and raised */
    ck_assert(abi->exit_signal(p->cpu, IR_EXIT_exception, &si));
    ck_assert_int_eq(si.signo, SIGFPE);
    ck_assert_int_eq(si.code, FPE_FLTDIV);
    cpu->exc_vector = X64_EXC_GP;
    ck_assert(abi->exit_signal(p->cpu, IR_EXIT_exception, &si));
    ck_assert_int_eq(si.signo, SIGSEGV);
    ck_assert(!abi->exit_signal(p->cpu, IR_EXIT_request, &si));
}
END_TEST

START_TEST(x64_hwcap_is_cpuid_leaf1_edx)
{
    uint32_t r[4];
    x64_cpuid_query(1, r);
    ck_assert_uint_eq(user_abi_x86_64.hwcap(), r[3]);
    ck_assert_uint_eq(user_abi_x86_64.hwcap() & 0x8010, 0x8010); /* TSC, CMOV */
    ck_assert_uint_eq(user_abi_x86_64.hwcap2(), 0);
    ck_assert_str_eq(user_abi_x86_64.platform, "x86_64");
}
END_TEST

START_TEST(x64_start_sets_rip_rsp_and_rflags)
{
    user_abi_x86_64.start(p->cpu, 0x401000, 0x7ffff000);
    ck_assert_uint_eq(p->cpu->pc, 0x401000);
    ck_assert_uint_eq(cpu->regs[X64_RSP], 0x7ffff000);
    ck_assert_uint_eq(x64_get_rflags(cpu), 0x202);
    ck_assert_uint_eq(cpu->regs[X64_RDX], 0);
}
END_TEST

void add_abi_x64_tests(Suite *s)
{
    TCase *tc = tcase_create("abi_x86_64");
    tcase_add_checked_fixture(tc, x64_setup, x64_teardown);
    tcase_add_test(tc, x64_abi_is_found_by_elf_machine);
    tcase_add_test(tc, x64_syscall_numbers_are_the_hosts);
    tcase_add_test(tc, x64_stat_is_the_kernel_layout);
    tcase_add_test(tc, x64_open_flags_are_the_x86_values);
    tcase_add_test(tc, x64_dispatch_uses_rax_and_rdi_to_r9);
    tcase_add_test(tc, x64_arch_prctl_sets_and_gets_the_bases);
    tcase_add_test(tc, x64_legacy_path_calls);
    tcase_add_test(tc, x64_exits_are_the_kernels_signals);
    tcase_add_test(tc, x64_hwcap_is_cpuid_leaf1_edx);
    tcase_add_test(tc, x64_start_sets_rip_rsp_and_rflags);
    suite_add_tcase(s, tc);
}
