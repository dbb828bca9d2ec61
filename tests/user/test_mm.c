/* The guest address space (user/mm.c): reservation, mapping table, mmap
 * placement, munmap/mprotect splitting, mremap, brk, checked pointers. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "user_test.h"

#define PG USER_PAGE_SIZE

static struct user_mm mm;

static void mm_setup(void)
{
    char err[256];
    ck_assert_msg(user_mm_init(&mm, err, sizeof(err)) == 0, "%s", err);
}

static void mm_teardown(void) { user_mm_fini(&mm); }

static void map(uint64_t addr, uint64_t n, int prot)
{
    int r = user_mm_map(&mm, addr, n * PG, prot, MAP_PRIVATE, -1, 0, USER_VMA_ANON);
    ck_assert_int_eq(r, 0);
}

START_TEST(mm_reservation_layout)
{
    ck_assert_uint_ge(mm.size, 1ull << USER_MM_MIN_BITS);
    ck_assert_uint_le(mm.size, 1ull << USER_MM_MAX_BITS);
    ck_assert_uint_eq(mm.reserved, 2 * mm.size);
    ck_assert_uint_eq((uintptr_t)mm.base % (2u << 20), 0);
    ck_assert_uint_eq(mm.nvma, 0);
    ck_assert_uint_lt(mm.mmap_top, mm.stack_top - USER_STACK_SIZE);
    ck_assert(user_mm_host_in(&mm, mm.base + mm.size + 5)); /* the guard counts */
    ck_assert(!user_mm_host_in(&mm, mm.base + mm.reserved));
}
END_TEST

START_TEST(mm_map_find_and_free)
{
    map(0x100000, 4, PROT_READ | PROT_WRITE);
    const struct user_vma *v = user_mm_find(&mm, 0x101234);
    ck_assert_ptr_nonnull(v);
    ck_assert_uint_eq(v->start, 0x100000);
    ck_assert_uint_eq(v->end, 0x104000);
    ck_assert_ptr_null(user_mm_find(&mm, 0x104000));
    ck_assert(!user_mm_is_free(&mm, 0xff000, 2 * PG));
    ck_assert(user_mm_is_free(&mm, 0x104000, PG));
    ((volatile uint8_t *)mm.base)[0x103fff] = 7; /* really mapped in the host */
}
END_TEST

START_TEST(mm_munmap_splits_mapping)
{
    map(0x200000, 4, PROT_READ | PROT_WRITE);
    ck_assert_int_eq(user_mm_munmap(&mm, 0x201000, PG), 0);
    ck_assert_uint_eq(mm.nvma, 2);
    ck_assert_uint_eq(mm.vma[0].end, 0x201000);
    ck_assert_uint_eq(mm.vma[1].start, 0x202000);
    ck_assert_ptr_null(user_mm_find(&mm, 0x201800));
    ck_assert_int_eq(user_mm_munmap(&mm, 0x200001, PG), -EINVAL);
}
END_TEST

START_TEST(mm_mprotect_splits_and_merges)
{
    map(0x300000, 3, PROT_READ | PROT_WRITE);
    ck_assert_int_eq(user_mm_mprotect(&mm, 0x301000, PG, PROT_READ), 0);
    ck_assert_uint_eq(mm.nvma, 3);
    ck_assert_int_eq(mm.vma[1].prot, PROT_READ);
    ck_assert_int_eq(user_mm_mprotect(&mm, 0x301000, PG, PROT_READ | PROT_WRITE), 0);
    ck_assert_uint_eq(mm.nvma, 1); /* same protection again: one mapping */
}
END_TEST

START_TEST(mm_mprotect_hole_is_enomem)
{
    map(0x400000, 1, PROT_READ);
    map(0x402000, 1, PROT_READ);
    ck_assert_int_eq(user_mm_mprotect(&mm, 0x400000, 3 * PG, PROT_NONE), -ENOMEM);
    ck_assert_int_eq(user_mm_mprotect(&mm, 0x400001, PG, PROT_NONE), -EINVAL);
}
END_TEST

START_TEST(mm_mmap_places_top_down)
{
    int64_t a = user_mm_mmap(&mm, 0, 3 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int64_t b = user_mm_mmap(&mm, 0, 1, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_int_gt(a, 0);
    ck_assert_uint_eq((uint64_t)a % PG, 0);
    ck_assert_uint_le((uint64_t)a + 3 * PG, mm.mmap_top);
    ck_assert_uint_eq((uint64_t)b, (uint64_t)a - PG); /* just below, length rounded up */
}
END_TEST

START_TEST(mm_mmap_hint_taken_when_free)
{
    int64_t a = user_mm_mmap(&mm, 0x7000000, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_int_eq(a, 0x7000000);
    int64_t b = user_mm_mmap(&mm, 0x7000000, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_int_gt(b, 0);
    ck_assert_int_ne(b, 0x7000000); /* occupied: placed elsewhere */
}
END_TEST

START_TEST(mm_mmap_fixed_noreplace_and_fixed)
{
    map(0x500000, 2, PROT_READ | PROT_WRITE);
    mm.base[0x500010] = 0x55;
    ck_assert_int_eq(user_mm_mmap(&mm, 0x500000, PG, PROT_READ,
                                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
                     -EEXIST);
    ck_assert_int_eq(user_mm_mmap(&mm, 0x500000, PG, PROT_READ | PROT_WRITE,
                                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
                     0x500000);
    ck_assert_uint_eq(mm.base[0x500010], 0); /* replaced by fresh zero pages */
    ck_assert_int_eq(user_mm_mmap(&mm, 0x1000, PG, PROT_READ,
                                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
                     -EPERM);
    ck_assert_int_eq(user_mm_mmap(&mm, 0x500001, PG, PROT_READ,
                                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
                     -EINVAL);
}
END_TEST

START_TEST(mm_ptr_checks_every_byte)
{
    map(0x600000, 1, PROT_READ | PROT_WRITE);
    map(0x601000, 1, PROT_READ);
    ck_assert_ptr_eq(user_mm_ptr(&mm, 0x600ff0, 0x20, PROT_READ), mm.base + 0x600ff0);
    ck_assert_ptr_null(user_mm_ptr(&mm, 0x600ff0, 0x20, PROT_WRITE)); /* 2nd page read-only */
    ck_assert_ptr_null(user_mm_ptr(&mm, 0x601ff0, 0x20, PROT_READ));  /* runs into a hole */
    ck_assert_ptr_null(user_mm_ptr(&mm, 0x5ffff0, 0x20, PROT_READ));  /* starts in a hole */
    ck_assert_ptr_null(user_mm_ptr(&mm, mm.size - 8, 16, PROT_READ));
    ck_assert_ptr_null(user_mm_ptr(&mm, ~0ull - 4, 16, PROT_READ));  /* wraps around */
    ck_assert_ptr_nonnull(user_mm_ptr(&mm, 0x600000, 0, PROT_WRITE));
    ck_assert_uint_eq(user_mm_accessible(&mm, 0x600800, 0x10000, PROT_READ), 0x1800);
    ck_assert_uint_eq(user_mm_accessible(&mm, 0x600800, 0x10000, PROT_WRITE), 0x800);
}
END_TEST

START_TEST(mm_strlen_across_pages_and_at_the_end)
{
    map(0x700000, 2, PROT_READ | PROT_WRITE);
    memset(mm.base + 0x700ff0, 'a', 0x20);
    mm.base[0x701010] = 0;
    ck_assert_int_eq(user_mm_strlen(&mm, 0x700ff0, 4096), 0x20);
    memset(mm.base + 0x701f00, 'b', 0x100); /* no NUL before the unmapped page */
    ck_assert_int_eq(user_mm_strlen(&mm, 0x701f00, 4096), -EFAULT);
    ck_assert_int_eq(user_mm_strlen(&mm, 0x700ff0, 8), -ENAMETOOLONG);
    ck_assert_int_eq(user_mm_strlen(&mm, 0x10, 8), -EFAULT);
}
END_TEST

START_TEST(mm_brk_grows_shrinks_and_stops_at_mappings)
{
    user_mm_brk_init(&mm, 0x800123);
    ck_assert_uint_eq(mm.brk_start, 0x801000);
    ck_assert_uint_eq(user_mm_brk(&mm, 0), 0x801000); /* query */
    ck_assert_uint_eq(user_mm_brk(&mm, 0x803010), 0x803010);
    mm.base[0x803fff] = 1;
    ck_assert_uint_eq(user_mm_brk(&mm, 0x802000), 0x802000);
    ck_assert_ptr_null(user_mm_find(&mm, 0x802000));
    map(0x810000, 1, PROT_READ);
    ck_assert_uint_eq(user_mm_brk(&mm, 0x820000), 0x802000); /* would cover a mapping */
    ck_assert_uint_eq(user_mm_brk(&mm, 0x700000), 0x802000); /* below the start */
}
END_TEST

START_TEST(mm_mremap_grows_in_place_or_moves)
{
    map(0x900000, 2, PROT_READ | PROT_WRITE);
    mm.base[0x900000] = 0x11;
    mm.base[0x901fff] = 0x22;
    ck_assert_int_eq(user_mm_mremap(&mm, 0x900000, 2 * PG, 4 * PG, 0, 0), 0x900000);
    ck_assert_uint_eq(mm.base[0x901fff], 0x22);
    ck_assert_uint_eq(mm.base[0x903fff], 0);
    map(0x904000, 1, PROT_READ); /* blocks further growth in place */
    ck_assert_int_eq(user_mm_mremap(&mm, 0x900000, 4 * PG, 8 * PG, 0, 0), -ENOMEM);
    int64_t n = user_mm_mremap(&mm, 0x900000, 4 * PG, 8 * PG, MREMAP_MAYMOVE, 0);
    ck_assert_int_gt(n, 0);
    ck_assert_int_ne(n, 0x900000);
    ck_assert_uint_eq(mm.base[n], 0x11);
    ck_assert_uint_eq(mm.base[n + 0x1fff], 0x22);
    ck_assert_ptr_null(user_mm_find(&mm, 0x900000));
    ck_assert_int_eq(user_mm_find(&mm, (uint64_t)n + 7 * PG)->prot, PROT_READ | PROT_WRITE);
}
END_TEST

START_TEST(mm_can_exec_needs_exec_on_every_byte)
{
    map(0xa00000, 1, PROT_READ | PROT_EXEC);
    map(0xa01000, 1, PROT_READ);
    ck_assert(user_mm_can_exec(&mm, 0xa00ffc, 4));
    ck_assert(!user_mm_can_exec(&mm, 0xa00ffe, 4));
    ck_assert(!user_mm_can_exec(&mm, 0xa01000, 4));
    ck_assert(!user_mm_can_exec(&mm, 0x10, 4));
}
END_TEST

static unsigned changed_calls;
static uint64_t changed_start, changed_end;
static void on_changed(void *opaque, uint64_t s, uint64_t e)
{
    changed_calls++;
    changed_start = s;
    changed_end = e;
}

START_TEST(mm_code_changes_reported_for_exec_ranges_only)
{
    mm.code_changed = on_changed;
    map(0xb00000, 2, PROT_READ | PROT_EXEC);
    map(0xc00000, 2, PROT_READ | PROT_WRITE);
    changed_calls = 0;
    user_mm_munmap(&mm, 0xc00000, PG);
    ck_assert_uint_eq(changed_calls, 0);
    user_mm_mprotect(&mm, 0xb01000, PG, PROT_READ);
    ck_assert_uint_eq(changed_calls, 1);
    ck_assert_uint_eq(changed_start, 0xb01000);
    ck_assert_uint_eq(changed_end, 0xb02000);
    user_mm_munmap(&mm, 0xb00000, 2 * PG);
    ck_assert_uint_eq(changed_calls, 2);
}
END_TEST

void add_mm_tests(Suite *s)
{
    TCase *tc = tcase_create("mm");
    tcase_add_checked_fixture(tc, mm_setup, mm_teardown);
    tcase_add_test(tc, mm_reservation_layout);
    tcase_add_test(tc, mm_map_find_and_free);
    tcase_add_test(tc, mm_munmap_splits_mapping);
    tcase_add_test(tc, mm_mprotect_splits_and_merges);
    tcase_add_test(tc, mm_mprotect_hole_is_enomem);
    tcase_add_test(tc, mm_mmap_places_top_down);
    tcase_add_test(tc, mm_mmap_hint_taken_when_free);
    tcase_add_test(tc, mm_mmap_fixed_noreplace_and_fixed);
    tcase_add_test(tc, mm_ptr_checks_every_byte);
    tcase_add_test(tc, mm_strlen_across_pages_and_at_the_end);
    tcase_add_test(tc, mm_brk_grows_shrinks_and_stops_at_mappings);
    tcase_add_test(tc, mm_mremap_grows_in_place_or_moves);
    tcase_add_test(tc, mm_can_exec_needs_exec_on_every_byte);
    tcase_add_test(tc, mm_code_changes_reported_for_exec_ranges_only);
    suite_add_tcase(s, tc);
}
