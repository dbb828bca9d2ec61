/* The initial stack and auxv (user/stack.c) read back as a program's _start
 * would, and the AArch64 ABI tables (user/abi_aarch64.c): struct stat
 * layout, open flags, system call numbers. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "user/stack.h"
#include "user_test.h"

#define TOP 0x7f0000000ull
#define BOTTOM (TOP - 64 * USER_PAGE_SIZE)

static struct user_mm mm;

static void stack_setup(void)
{
    char err[256];
    ck_assert_msg(user_mm_init(&mm, err, sizeof(err)) == 0, "%s", err);
    ck_assert_int_eq(user_mm_map(&mm, BOTTOM, TOP - BOTTOM, PROT_READ | PROT_WRITE, MAP_PRIVATE,
                                 -1, 0, USER_VMA_STACK),
                     0);
}

static void stack_teardown(void) { user_mm_fini(&mm); }

static uint64_t word(uint64_t addr)
{
    uint64_t v;
    memcpy(&v, mm.base + addr, 8);
    return v;
}

static const char *gstr(uint64_t addr) { return (const char *)mm.base + addr; }

static const uint8_t rnd[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

static int build(char *const *argv, size_t argc, char *const *envp, size_t envc, uint64_t *sp)
{
    static const struct user_auxv aux[] = {{AT_PAGESZ, 4096}, {AT_ENTRY, 0x400123}};
    struct user_stack_args a = {argv, argc, envp, envc, "/bin/prog", "aarch64", rnd,
                                aux, 2, 8, 16};
    return user_stack_build(&mm, TOP, BOTTOM, &a, sp);
}

START_TEST(stack_layout_reads_back)
{
    char *argv[] = {"prog", "one", "two three"};
    char *envp[] = {"A=1", "LONGER_NAME=value"};
    uint64_t sp;
    ck_assert_int_eq(build(argv, 3, envp, 2, &sp), 0);
    ck_assert_uint_eq(sp % 16, 0);
    ck_assert_uint_eq(word(sp), 3);
    for (int i = 0; i < 3; i++)
        ck_assert_str_eq(gstr(word(sp + 8 + 8 * (uint64_t)i)), argv[i]);
    ck_assert_uint_eq(word(sp + 32), 0);
    ck_assert_str_eq(gstr(word(sp + 40)), "A=1");
    ck_assert_str_eq(gstr(word(sp + 48)), "LONGER_NAME=value");
    ck_assert_uint_eq(word(sp + 56), 0);
    uint64_t at = sp + 64, seen = 0;
    for (;; at += 16) {
        uint64_t t = word(at), v = word(at + 8);
        if (t == AT_NULL)
            break;
        seen |= 1ull << t;
        switch (t) {
        case AT_PAGESZ: ck_assert_uint_eq(v, 4096); break;
        case AT_ENTRY: ck_assert_uint_eq(v, 0x400123); break;
        case AT_PLATFORM: ck_assert_str_eq(gstr(v), "aarch64"); break;
        case AT_EXECFN: ck_assert_str_eq(gstr(v), "/bin/prog"); break;
        case AT_RANDOM: ck_assert_mem_eq(mm.base + v, rnd, 16); break;
        default: ck_abort_msg("unexpected auxv type %llu", (unsigned long long)t);
        }
    }
    ck_assert_uint_eq(seen, (1ull << AT_PAGESZ) | (1ull << AT_ENTRY) | (1ull << AT_PLATFORM) |
                                (1ull << AT_EXECFN) | (1ull << AT_RANDOM));
    ck_assert_uint_eq(word(TOP - 8), 0); /* the end marker */
    ck_assert_str_eq(gstr(TOP - 8 - sizeof("/bin/prog")), "/bin/prog");
}
END_TEST

START_TEST(stack_pointer_aligned_for_any_argc)
{
    char *argv[] = {"a", "bb", "ccc", "dddd", "eeeee"};
    for (size_t argc = 1; argc <= 5; argc++) {
        for (size_t envc = 0; envc <= 3; envc++) {
            uint64_t sp;
            ck_assert_int_eq(build(argv, argc, argv, envc, &sp), 0);
            ck_assert_msg(sp % 16 == 0, "argc %zu envc %zu: sp %llx", argc, envc,
                          (unsigned long long)sp);
            ck_assert_uint_eq(word(sp), argc);
        }
    }
}
END_TEST

START_TEST(stack_too_large_is_e2big)
{
    static char big[300 * 1024];
    memset(big, 'x', sizeof(big) - 1);
    char *argv[] = {"prog", big};
    uint64_t sp;
    ck_assert_int_eq(build(argv, 2, NULL, 0, &sp), -E2BIG);
}
END_TEST

/* ---- the AArch64 ABI ---- */

START_TEST(abi_stat_is_asm_generic_layout)
{
    struct stat st;
    memset(&st, 0, sizeof(st));
    st.st_dev = 0x1111;
    st.st_ino = 0x2222;
    st.st_mode = 0100644;
    st.st_nlink = 3;
    st.st_uid = 1000;
    st.st_gid = 100;
    st.st_size = 0x123456789;
    st.st_blksize = 4096;
    st.st_blocks = 77;
    st.st_mtim.tv_sec = 1700000000;
    st.st_mtim.tv_nsec = 999;
    uint8_t g[128];
    memset(g, 0xee, sizeof(g));
    ck_assert_uint_eq(user_abi_aarch64.stat_size, 128);
    user_abi_aarch64.stat_to_guest(&st, g);
    uint64_t q;
    uint32_t w;
    memcpy(&q, g + 8, 8);
    ck_assert_uint_eq(q, 0x2222);
    memcpy(&w, g + 16, 4);
    ck_assert_uint_eq(w, 0100644); /* st_mode before st_nlink */
    memcpy(&w, g + 20, 4);
    ck_assert_uint_eq(w, 3);
    memcpy(&w, g + 24, 4);
    ck_assert_uint_eq(w, 1000);
    memcpy(&q, g + 48, 8);
    ck_assert_uint_eq(q, 0x123456789);
    memcpy(&w, g + 56, 4);
    ck_assert_uint_eq(w, 4096);
    memcpy(&q, g + 64, 8);
    ck_assert_uint_eq(q, 77);
    memcpy(&q, g + 88, 8);
    ck_assert_uint_eq(q, 1700000000);
    memcpy(&q, g + 96, 8);
    ck_assert_uint_eq(q, 999);
}
END_TEST

START_TEST(abi_open_flags_convert_both_ways)
{
    const struct user_abi *abi = &user_abi_aarch64;
    /* AArch64 O_DIRECTORY 040000 is the host's O_DIRECT (x86-64): must not stay */
    ck_assert_int_eq(user_open_flags_to_host(abi, 040000), O_DIRECTORY);
    ck_assert_int_eq(user_open_flags_to_host(abi, 0100000), O_NOFOLLOW);
    ck_assert_int_eq(user_open_flags_to_host(abi, 0200000), O_DIRECT);
    ck_assert_int_eq(user_open_flags_to_host(abi, 02 | 0100 | 01000 | 02000000),
                     O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC);
    ck_assert_uint_eq(user_open_flags_to_guest(abi, O_DIRECTORY | O_NOFOLLOW), 0140000);
    ck_assert_uint_eq(user_open_flags_to_guest(abi, O_WRONLY | O_APPEND | O_NONBLOCK), 06001);
}
END_TEST

START_TEST(abi_syscall_table_numbers)
{
    const struct user_abi *abi = &user_abi_aarch64;
    static const struct {
        unsigned nr;
        const char *name;
    } known[] = {{56, "openat"}, {57, "close"}, {63, "read"}, {64, "write"}, {79, "newfstatat"},
                 {80, "fstat"}, {93, "exit"}, {94, "exit_group"}, {134, "rt_sigaction"},
                 {172, "getpid"}, {214, "brk"}, {222, "mmap"}, {260, "wait4"}, {261, "prlimit64"},
                 {278, "getrandom"}, {291, "statx"}};
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        ck_assert_uint_lt(known[i].nr, abi->nsyscalls);
        ck_assert_str_eq(abi->syscalls[known[i].nr].name, known[i].name);
        ck_assert_ptr_nonnull(abi->syscalls[known[i].nr].fn);
    }
    for (unsigned i = 0; i < abi->nsyscalls; i++) {
        const struct user_syscall *sc = &abi->syscalls[i];
        if (!sc->name)
            continue;
        ck_assert_msg(!sc->fn || sc->args, "%s: implemented calls say how -strace prints them",
                      sc->name);
        for (unsigned j = i + 1; j < abi->nsyscalls; j++)
            ck_assert_msg(!abi->syscalls[j].name || strcmp(sc->name, abi->syscalls[j].name) != 0,
                          "%s listed twice", sc->name);
    }
    ck_assert_ptr_null(abi->syscalls[244].name); /* arch-specific range: unknown */
}
END_TEST

void add_stack_tests(Suite *s)
{
    TCase *tc = tcase_create("stack");
    tcase_add_checked_fixture(tc, stack_setup, stack_teardown);
    tcase_add_test(tc, stack_layout_reads_back);
    tcase_add_test(tc, stack_pointer_aligned_for_any_argc);
    tcase_add_test(tc, stack_too_large_is_e2big);
    suite_add_tcase(s, tc);
    tc = tcase_create("abi");
    tcase_add_test(tc, abi_stat_is_asm_generic_layout);
    tcase_add_test(tc, abi_open_flags_convert_both_ways);
    tcase_add_test(tc, abi_syscall_table_numbers);
    suite_add_tcase(s, tc);
}
