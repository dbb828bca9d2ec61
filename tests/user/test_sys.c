/* System call handlers (user/sys_*.c) called directly on a process with a
 * guest address space: bad guest pointers are -EFAULT (never a host fault),
 * struct layouts and flags come out in the guest's form, and the dispatcher
 * (user/syscall.c) reads the AArch64 registers and answers unknown calls
 * with -ENOSYS. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "frontend/aarch64/a64_cpu.h"
#include "user_test.h"

#define BUF 0x10000000ull /* a mapped read-write page for the handlers */
#define RO 0x10001000ull  /* a read-only page after it */
#define HOLE 0x10002000ull /* nothing mapped */

static struct user_options test_opts;

struct user_proc *test_proc_new(void)
{
    struct user_proc *p = calloc(1, sizeof(*p));
    ck_assert_ptr_nonnull(p);
    p->opt = &test_opts;
    p->abi = &user_abi_aarch64;
    p->fe = &frontend_aarch64;
    char err[256];
    ck_assert_msg(user_mm_init(&p->mm, err, sizeof(err)) == 0, "%s", err);
    return p;
}

void test_proc_free(struct user_proc *p)
{
    user_mm_fini(&p->mm);
    free(p->cpu);
    free(p);
}

void test_map(struct user_proc *p, uint64_t addr, uint64_t npages, int prot)
{
    ck_assert_int_eq(user_mm_map(&p->mm, addr, npages * USER_PAGE_SIZE, prot, MAP_PRIVATE, -1, 0,
                                 USER_VMA_ANON),
                     0);
}

static struct user_proc *p;

static void sys_setup(void)
{
    p = test_proc_new();
    test_map(p, BUF, 1, PROT_READ | PROT_WRITE);
    test_map(p, RO, 1, PROT_READ);
}

static void sys_teardown(void) { test_proc_free(p); }

static char *gbuf(uint64_t addr) { return (char *)p->mm.base + addr; }

START_TEST(sys_write_bad_pointer_is_efault)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    const uint64_t a[6] = {(uint64_t)fds[1], HOLE, 10};
    ck_assert_int_eq(usys_write(p, a), -EFAULT);
    const uint64_t b[6] = {(uint64_t)fds[1], 0xffffffffffff0000ull, 10};
    ck_assert_int_eq(usys_write(p, b), -EFAULT);
    close(fds[0]);
    close(fds[1]);
}
END_TEST

START_TEST(sys_read_fills_only_the_mapped_part)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    ck_assert_int_eq(write(fds[1], "abcdefgh", 8), 8);
    /* 4 writable bytes before the read-only page: read returns 4 */
    const uint64_t a[6] = {(uint64_t)fds[0], RO - 4, 8};
    ck_assert_int_eq(usys_read(p, a), 4);
    ck_assert_mem_eq(gbuf(RO - 4), "abcd", 4);
    const uint64_t b[6] = {(uint64_t)fds[0], RO, 8};
    ck_assert_int_eq(usys_read(p, b), -EFAULT);
    close(fds[0]);
    close(fds[1]);
}
END_TEST

START_TEST(sys_uname_reports_aarch64)
{
    const uint64_t a[6] = {BUF};
    ck_assert_int_eq(usys_uname(p, a), 0);
    struct utsname *u = (struct utsname *)gbuf(BUF);
    ck_assert_str_eq(u->machine, "aarch64");
    ck_assert_str_eq(u->sysname, "Linux");
    const uint64_t b[6] = {RO};
    ck_assert_int_eq(usys_uname(p, b), -EFAULT);
}
END_TEST

START_TEST(sys_newfstatat_writes_the_guest_layout)
{
    strcpy(gbuf(BUF), "/proc/self/exe");
    char self[] = "/bin/sh";
    p->exe_path = self; /* /proc/self/exe is the guest program */
    const uint64_t a[6] = {(uint64_t)AT_FDCWD, BUF, BUF + 256, 0};
    ck_assert_int_eq(usys_newfstatat(p, a), 0);
    p->exe_path = NULL;
    struct stat st;
    ck_assert_int_eq(stat("/bin/sh", &st), 0);
    int64_t size;
    uint32_t mode;
    memcpy(&size, gbuf(BUF + 256 + 48), 8);
    memcpy(&mode, gbuf(BUF + 256 + 16), 4);
    ck_assert_int_eq(size, st.st_size);
    ck_assert_uint_eq(mode, st.st_mode);
    const uint64_t b[6] = {(uint64_t)AT_FDCWD, BUF, RO + 4000, 0}; /* struct crosses into a hole */
    ck_assert_int_eq(usys_newfstatat(p, b), -EFAULT);
    const uint64_t c[6] = {(uint64_t)AT_FDCWD, HOLE, BUF, 0};
    ck_assert_int_eq(usys_newfstatat(p, c), -EFAULT);
}
END_TEST

START_TEST(sys_openat_takes_guest_flags)
{
    strcpy(gbuf(BUF), "/");
    const uint64_t a[6] = {(uint64_t)AT_FDCWD, BUF, 040000 /* AArch64 O_DIRECTORY */};
    int64_t fd = usys_openat(p, a);
    ck_assert_int_ge(fd, 0);
    const uint64_t g[6] = {(uint64_t)fd, F_GETFL};
    ck_assert_uint_eq((uint64_t)usys_fcntl(p, g), 040000 | 0400000 /* O_LARGEFILE */);
    close((int)fd);
    strcpy(gbuf(BUF), "/bin/sh");
    ck_assert_int_eq(usys_openat(p, a), -ENOTDIR);
}
END_TEST

START_TEST(sys_mmap_and_munmap_stay_in_the_guest)
{
    const uint64_t a[6] = {0, 3 * USER_PAGE_SIZE, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1, 0};
    int64_t r = usys_mmap(p, a);
    ck_assert_int_gt(r, 0);
    ck_assert_uint_lt((uint64_t)r, p->mm.size);
    ck_assert_uint_eq((uint64_t)r % USER_PAGE_SIZE, 0);
    gbuf((uint64_t)r)[3 * USER_PAGE_SIZE - 1] = 1;
    const uint64_t b[6] = {(uint64_t)r + 1, USER_PAGE_SIZE};
    ck_assert_int_eq(usys_munmap(p, b), -EINVAL);
    const uint64_t c[6] = {(uint64_t)r, 3 * USER_PAGE_SIZE};
    ck_assert_int_eq(usys_munmap(p, c), 0);
    ck_assert_ptr_null(user_mm_find(&p->mm, (uint64_t)r));
}
END_TEST

START_TEST(sys_rt_sigaction_records_and_returns_old)
{
    uint64_t act[4] = {0x400500, 0x4000000, 0x400600, 0x5};
    memcpy(gbuf(BUF), act, sizeof(act));
    const uint64_t a[6] = {10 /* SIGUSR1 */, BUF, 0, 8};
    ck_assert_int_eq(usys_rt_sigaction(p, a), 0);
    ck_assert_uint_eq(p->sigact[10].handler, 0x400500);
    const uint64_t b[6] = {10, 0, BUF + 64, 8};
    ck_assert_int_eq(usys_rt_sigaction(p, b), 0);
    ck_assert_mem_eq(gbuf(BUF + 64), act, sizeof(act));
    const uint64_t c[6] = {9 /* SIGKILL */, BUF, 0, 8};
    ck_assert_int_eq(usys_rt_sigaction(p, c), -EINVAL);
    const uint64_t d[6] = {10, BUF, 0, 16}; /* wrong sigsetsize */
    ck_assert_int_eq(usys_rt_sigaction(p, d), -EINVAL);
    const uint64_t e[6] = {10, 0, RO, 8};
    ck_assert_int_eq(usys_rt_sigaction(p, e), -EFAULT);
}
END_TEST

START_TEST(sys_readlink_proc_self_exe_is_the_program)
{
    char prog[] = "/some/guest/program";
    p->exe_path = prog;
    strcpy(gbuf(BUF), "/proc/self/exe");
    const uint64_t a[6] = {(uint64_t)AT_FDCWD, BUF, BUF + 100, 64};
    ck_assert_int_eq(usys_readlinkat(p, a), (int64_t)strlen(prog));
    ck_assert_mem_eq(gbuf(BUF + 100), prog, strlen(prog));
    p->exe_path = NULL;
}
END_TEST

/* Through the dispatcher: number in x8, arguments in x0.., result in x0. */
static struct a64_cpu *dispatch_cpu(void)
{
    p->cpu = frontend_cpu_new(&frontend_aarch64);
    ck_assert_ptr_nonnull(p->cpu);
    return (struct a64_cpu *)p->cpu;
}

START_TEST(dispatch_reads_registers_and_writes_x0)
{
    struct a64_cpu *cpu = dispatch_cpu();
    cpu->x[8] = 172; /* getpid */
    user_syscall(p);
    ck_assert_int_eq((int64_t)cpu->x[0], getpid());
    cpu->x[8] = 160; /* uname(BUF) */
    cpu->x[0] = BUF;
    user_syscall(p);
    ck_assert_uint_eq(cpu->x[0], 0);
    ck_assert_str_eq(gbuf(BUF) + 4 * 65, "aarch64");
}
END_TEST

START_TEST(dispatch_unknown_and_unimplemented_are_enosys)
{
    struct a64_cpu *cpu = dispatch_cpu();
    cpu->x[8] = 9999;
    user_syscall(p);
    ck_assert_int_eq((int64_t)cpu->x[0], -ENOSYS);
    cpu->x[8] = 293; /* rseq: known, not implemented */
    user_syscall(p);
    ck_assert_int_eq((int64_t)cpu->x[0], -ENOSYS);
}
END_TEST

START_TEST(dispatch_exit_group_ends_the_process)
{
    struct a64_cpu *cpu = dispatch_cpu();
    cpu->x[8] = 94;
    cpu->x[0] = 0x1234;
    user_syscall(p);
    ck_assert(p->exited);
    ck_assert_int_eq(p->exit_code, 0x34);
}
END_TEST

void add_sys_tests(Suite *s)
{
    TCase *tc = tcase_create("sys");
    tcase_add_checked_fixture(tc, sys_setup, sys_teardown);
    tcase_add_test(tc, sys_write_bad_pointer_is_efault);
    tcase_add_test(tc, sys_read_fills_only_the_mapped_part);
    tcase_add_test(tc, sys_uname_reports_aarch64);
    tcase_add_test(tc, sys_newfstatat_writes_the_guest_layout);
    tcase_add_test(tc, sys_openat_takes_guest_flags);
    tcase_add_test(tc, sys_mmap_and_munmap_stay_in_the_guest);
    tcase_add_test(tc, sys_rt_sigaction_records_and_returns_old);
    tcase_add_test(tc, sys_readlink_proc_self_exe_is_the_program);
    tcase_add_test(tc, dispatch_reads_registers_and_writes_x0);
    tcase_add_test(tc, dispatch_unknown_and_unimplemented_are_enosys);
    tcase_add_test(tc, dispatch_exit_group_ends_the_process);
    suite_add_tcase(s, tc);
}
