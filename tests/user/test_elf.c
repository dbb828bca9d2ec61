/* The ELF loader (user/elf.c): a tiny AArch64 program image built here, the
 * corruptions of elf_cases.inc each refused with its message, loading of
 * ET_EXEC and static PIE, and whole runs of tiny programs through user_run
 * (exit status, SIGSEGV on a wild store, SIGILL on an undefined instruction)
 * on every backend. */
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

#include "user_test.h"

#define IMG_SIZE 0x200
#define IMG_BASE 0x400000ull
#define CODE_OFF 0x100

struct image {
    uint8_t b[IMG_SIZE];
};

/* ELF64 AArch64 ET_EXEC: PT_LOAD (r-x, file 0..0x200 at 0x400000, 0x3000 in
 * memory) and PT_GNU_STACK; code at 0x400100 (default: exit(42)). */
static void make_image(struct image *m, const uint32_t *code, size_t ncode)
{
    memset(m, 0, sizeof(*m));
    Elf64_Ehdr eh = {
        .e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT},
        .e_type = ET_EXEC,
        .e_machine = EM_AARCH64,
        .e_version = EV_CURRENT,
        .e_entry = IMG_BASE + CODE_OFF,
        .e_phoff = sizeof(Elf64_Ehdr),
        .e_ehsize = sizeof(Elf64_Ehdr),
        .e_phentsize = sizeof(Elf64_Phdr),
        .e_phnum = 2,
    };
    Elf64_Phdr ph[2] = {
        {PT_LOAD, PF_R | PF_X, 0, IMG_BASE, IMG_BASE, IMG_SIZE, 0x3000, 0x10000},
        {PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16},
    };
    memcpy(m->b, &eh, sizeof(eh));
    memcpy(m->b + sizeof(eh), ph, sizeof(ph));
    static const uint32_t exit42[] = {
        0xd2800540, /* mov x0, #42 */
        0xd2800ba8, /* mov x8, #93 (exit) */
        0xd4000001, /* svc #0 */
    };
    if (!code) {
        code = exit42;
        ncode = 3;
    }
    memcpy(m->b + CODE_OFF, code, ncode * 4);
}

static void patch(struct image *m, unsigned off, unsigned size, uint64_t v)
{
    if (size)
        memcpy(m->b + off, &v, size); /* little-endian host */
}

struct elf_case {
    const char *name;
    unsigned off1, size1;
    uint64_t val1;
    unsigned off2, size2;
    uint64_t val2;
    size_t file_size;
    const char *expect;
};

static const struct elf_case elf_cases[] = {
#define ELF_CASE(name, o1, s1, v1, o2, s2, v2, fs, msg) {#name, o1, s1, v1, o2, s2, v2, fs, msg},
#include "elf_cases.inc"
#undef ELF_CASE
};

START_TEST(elf_refuses_corrupt_and_foreign_files)
{
    const struct elf_case *c = &elf_cases[_i];
    struct image m;
    make_image(&m, NULL, 0);
    patch(&m, c->off1, c->size1, c->val1);
    patch(&m, c->off2, c->size2, c->val2);
    size_t size = c->file_size ? c->file_size : IMG_SIZE;
    struct user_elf_info info;
    char err[512] = "";
    int r = user_elf_check(m.b, size, size, "prog.elf", &info, err, sizeof(err));
    ck_assert_msg(r == USER_EXIT_NOEXEC, "case %s: status %d (%s)", c->name, r, err);
    ck_assert_msg(strncmp(err, "prog.elf: ", 10) == 0, "case %s: '%s' names the file", c->name,
                  err);
    ck_assert_msg(strstr(err, c->expect), "case %s: '%s' lacks '%s'", c->name, err, c->expect);
}
END_TEST

START_TEST(elf_accepts_the_valid_image)
{
    struct image m;
    make_image(&m, NULL, 0);
    struct user_elf_info info;
    char err[512] = "";
    ck_assert_msg(user_elf_check(m.b, IMG_SIZE, IMG_SIZE, "ok", &info, err, sizeof(err)) == 0,
                  "%s", err);
    ck_assert_ptr_eq(info.fe, &frontend_aarch64);
    ck_assert_uint_eq(info.nseg, 1);
    ck_assert_uint_eq(info.lo, IMG_BASE);
    ck_assert_uint_eq(info.hi, IMG_BASE + 0x3000);
    ck_assert_uint_eq(info.phdr_vaddr, IMG_BASE + 64);
    ck_assert(!info.exec_stack);
}
END_TEST

static char tmpdir[64];

static void files_setup(void)
{
    strcpy(tmpdir, "/tmp/ferry-test-user-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void files_teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Write the image as tmpdir/name; returns the path (static buffer). */
static const char *write_image(const char *name, const struct image *m, size_t size)
{
    static char path[128];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(m->b, 1, size, f), size);
    fclose(f);
    return path;
}

START_TEST(elf_open_missing_file_is_127)
{
    struct user_elf_info info;
    char err[512], path[128];
    snprintf(path, sizeof(path), "%s/nothing-here", tmpdir);
    ck_assert_int_eq(user_elf_open(path, &info, err, sizeof(err)), -USER_EXIT_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(err, "nothing-here: No such file or directory"));
}
END_TEST

START_TEST(elf_open_directory_is_126)
{
    struct user_elf_info info;
    char err[512];
    ck_assert_int_eq(user_elf_open(tmpdir, &info, err, sizeof(err)), -USER_EXIT_NOEXEC);
    ck_assert_ptr_nonnull(strstr(err, "is a directory"));
}
END_TEST

START_TEST(elf_load_exec_maps_segments)
{
    struct image m;
    make_image(&m, NULL, 0);
    const char *path = write_image("exec", &m, IMG_SIZE);
    struct user_elf_info info;
    char err[512];
    int fd = user_elf_open(path, &info, err, sizeof(err));
    ck_assert_msg(fd >= 0, "%s", err);
    struct user_mm mm;
    ck_assert_int_eq(user_mm_init(&mm, err, sizeof(err)), 0);
    struct user_image img;
    ck_assert_msg(user_elf_load(&mm, fd, path, &info, &img, err, sizeof(err)) == 0, "%s", err);
    close(fd);
    ck_assert_uint_eq(img.bias, 0);
    ck_assert_uint_eq(img.entry, IMG_BASE + CODE_OFF);
    ck_assert_uint_eq(img.phdr, IMG_BASE + 64);
    ck_assert_uint_eq(img.brk, IMG_BASE + 0x3000);
    const struct user_vma *v = user_mm_find(&mm, IMG_BASE);
    ck_assert_ptr_nonnull(v);
    ck_assert_int_eq(v->prot, PROT_READ | PROT_EXEC);
    ck_assert_uint_eq(v->end, IMG_BASE + 0x3000);
    ck_assert_mem_eq(mm.base + IMG_BASE, m.b, IMG_SIZE);
    ck_assert_uint_eq(mm.base[IMG_BASE + 0x2fff], 0); /* bss */
    user_mm_fini(&mm);
}
END_TEST

START_TEST(elf_load_static_pie_at_its_base)
{
    struct image m;
    make_image(&m, NULL, 0);
    patch(&m, 16, 2, ET_DYN);
    /* link at 0 as PIEs are */
    patch(&m, 64 + 16, 8, 0);
    patch(&m, 24, 8, CODE_OFF);
    const char *path = write_image("pie", &m, IMG_SIZE);
    struct user_elf_info info;
    char err[512];
    int fd = user_elf_open(path, &info, err, sizeof(err));
    ck_assert_msg(fd >= 0, "%s", err);
    struct user_mm mm;
    ck_assert_int_eq(user_mm_init(&mm, err, sizeof(err)), 0);
    struct user_image img;
    ck_assert_msg(user_elf_load(&mm, fd, path, &info, &img, err, sizeof(err)) == 0, "%s", err);
    close(fd);
    ck_assert_uint_eq(img.bias, USER_PIE_BASE);
    ck_assert_uint_eq(img.entry, USER_PIE_BASE + CODE_OFF);
    ck_assert_uint_eq(img.phdr, USER_PIE_BASE + 64);
    ck_assert(user_mm_can_exec(&mm, img.entry, 4));
    user_mm_fini(&mm);
}
END_TEST

/* ---- whole runs (frontend, translation cache, system calls, signals) ---- */

static const char *const backends[] = {"jit", "interp"};
#define NBACKENDS (sizeof(backends) / sizeof(backends[0]))

static int run_image(const struct image *m, unsigned backend)
{
    const char *path = write_image("run", m, IMG_SIZE);
    struct user_options o = {.program = path, .backend = backends[backend]};
    return user_run(&o);
}

START_TEST(run_exit_status_passes_through)
{
    struct image m;
    make_image(&m, NULL, 0);
    ck_assert_int_eq(run_image(&m, _i), 42);
}
END_TEST

START_TEST(run_missing_program_is_127)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/missing", tmpdir);
    struct user_options o = {.program = path, .backend = backends[_i]};
    ck_assert_int_eq(user_run(&o), USER_EXIT_NOTFOUND);
}
END_TEST

START_TEST(run_foreign_program_is_126)
{
    struct image m;
    make_image(&m, NULL, 0);
    patch(&m, 18, 2, EM_RISCV);
    ck_assert_int_eq(run_image(&m, _i), USER_EXIT_NOEXEC);
}
END_TEST

START_TEST(run_wild_store_dies_by_sigsegv)
{
    static const uint32_t code[] = {
        0xd2800201, /* mov x1, #0x10 */
        0xf9000020, /* str x0, [x1] */
        0xd2800ba8, /* mov x8, #93 */
        0xd4000001, /* svc #0 */
    };
    struct image m;
    make_image(&m, code, 4);
    run_image(&m, _i);
}
END_TEST

START_TEST(run_undefined_instruction_dies_by_sigill)
{
    static const uint32_t code[] = {
        0x00000000, /* udf #0 */
        0xd2800ba8, /* mov x8, #93 */
        0xd4000001, /* svc #0 */
    };
    struct image m;
    make_image(&m, code, 3);
    run_image(&m, _i);
}
END_TEST

START_TEST(run_jump_to_unmapped_dies_by_sigsegv)
{
    static const uint32_t code[] = {
        0xd2a00201, /* mov x1, #0x100000 */
        0xd61f0020, /* br x1 */
    };
    struct image m;
    make_image(&m, code, 2);
    run_image(&m, _i);
}
END_TEST

void add_elf_tests(Suite *s)
{
    TCase *tc = tcase_create("elf");
    tcase_add_checked_fixture(tc, files_setup, files_teardown);
    tcase_add_loop_test(tc, elf_refuses_corrupt_and_foreign_files, 0,
                        (int)(sizeof(elf_cases) / sizeof(elf_cases[0])));
    tcase_add_test(tc, elf_accepts_the_valid_image);
    tcase_add_test(tc, elf_open_missing_file_is_127);
    tcase_add_test(tc, elf_open_directory_is_126);
    tcase_add_test(tc, elf_load_exec_maps_segments);
    tcase_add_test(tc, elf_load_static_pie_at_its_base);
    suite_add_tcase(s, tc);

    tc = tcase_create("run");
    /* in the parent: the cases that die by a signal never reach a teardown */
    tcase_add_unchecked_fixture(tc, files_setup, files_teardown);
    tcase_add_loop_test(tc, run_exit_status_passes_through, 0, NBACKENDS);
    tcase_add_loop_test(tc, run_missing_program_is_127, 0, NBACKENDS);
    tcase_add_loop_test(tc, run_foreign_program_is_126, 0, NBACKENDS);
    tcase_add_loop_test_raise_signal(tc, run_wild_store_dies_by_sigsegv, SIGSEGV, 0, NBACKENDS);
    tcase_add_loop_test_raise_signal(tc, run_undefined_instruction_dies_by_sigill, SIGILL, 0,
                                     NBACKENDS);
    tcase_add_loop_test_raise_signal(tc, run_jump_to_unmapped_dies_by_sigsegv, SIGSEGV, 0,
                                     NBACKENDS);
    suite_add_tcase(s, tc);
}
