/* The scratch arena passes and backends allocate from (ir_scratch_*):
 * alignment, reuse after release, zeroing, large requests, and (in
 * AddressSanitizer builds) that memory released by a mark is poisoned. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "ir/ir.h"
#include "test_ir.h"

START_TEST(scratch_alloc_is_16_byte_aligned)
{
    struct ir_scratch_pos m = ir_scratch_mark();
    for (size_t n = 1; n < 100; n += 7) {
        void *p = ir_scratch_alloc(n);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq((uintptr_t)p % 16, 0);
        memset(p, 0xa5, n);
    }
    ir_scratch_release(m);
}
END_TEST

START_TEST(scratch_release_reuses_memory)
{
    struct ir_scratch_pos m = ir_scratch_mark();
    void *a = ir_scratch_alloc(256);
    ir_scratch_release(m);
    void *b = ir_scratch_alloc(256);
    ck_assert_ptr_eq(a, b);
    ir_scratch_release(m);
}
END_TEST

START_TEST(scratch_zalloc_zeroes_reused_memory)
{
    struct ir_scratch_pos m = ir_scratch_mark();
    unsigned char *a = ir_scratch_alloc(64);
    memset(a, 0xff, 64);
    ir_scratch_release(m);
    unsigned char *b = ir_scratch_zalloc(64);
    for (unsigned i = 0; i < 64; i++)
        ck_assert_uint_eq(b[i], 0);
    ir_scratch_release(m);
}
END_TEST

START_TEST(scratch_large_request_gets_its_own_chunk)
{
    struct ir_scratch_pos m = ir_scratch_mark();
    unsigned char *small = ir_scratch_alloc(32);
    unsigned char *big = ir_scratch_alloc(1u << 20);
    ck_assert_ptr_nonnull(big);
    memset(big, 1, 1u << 20);
    small[0] = 7; /* the small allocation stays valid */
    ck_assert_uint_eq(small[0], 7);
    ck_assert_ptr_null(ir_scratch_alloc(SIZE_MAX - 4));
    ir_scratch_release(m);
}
END_TEST

#if defined(__SANITIZE_ADDRESS__)
#define TEST_HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_HAVE_ASAN 1
#endif
#endif

#ifdef TEST_HAVE_ASAN
/* Reading scratch memory after its mark was released must be reported: ASan
 * ends the process with status 1 (its default exitcode). */
START_TEST(scratch_use_after_release_is_reported)
{
    struct ir_scratch_pos m = ir_scratch_mark();
    volatile unsigned char *p = ir_scratch_alloc(48);
    p[1] = 1;
    ir_scratch_release(m);
    volatile unsigned char v = p[1]; /* ASan ends the process here */
    ck_assert_uint_eq(v, 0xff); /* not reached under ASan */
}
END_TEST

START_TEST(scratch_overflow_past_request_is_reported)
{
    struct ir_scratch_pos m = ir_scratch_mark();
    volatile unsigned char *p = ir_scratch_alloc(20); /* padded to 32 inside */
    p[24] = 1;
    ir_scratch_release(m);
}
END_TEST
#endif

TCase *test_ir_scratch_tcase(void)
{
    TCase *tc = tcase_create("scratch");
    tcase_add_test(tc, scratch_alloc_is_16_byte_aligned);
    tcase_add_test(tc, scratch_release_reuses_memory);
    tcase_add_test(tc, scratch_zalloc_zeroes_reused_memory);
    tcase_add_test(tc, scratch_large_request_gets_its_own_chunk);
#ifdef TEST_HAVE_ASAN
    tcase_add_exit_test(tc, scratch_use_after_release_is_reported, 1);
    tcase_add_exit_test(tc, scratch_overflow_past_request_is_reported, 1);
#endif
    return tc;
}
