/* Check suite test_a64_fp: the A64 floating-point and Advanced SIMD
 * translator.  The instruction vectors of fp_vectors.inc (expected states
 * from qemu-aarch64, see gen/fp_gen_vectors.py) run through the shared
 * harness (a64_harness.c) on every configuration: JIT and interpreter,
 * optimized or not, one instruction per block.  Plus a few behaviours the
 * table cannot express: HWCAP, FPSR across blocks, host FP state. */
#include <fenv.h>
#include <stdlib.h>
#include <string.h>

#include "a64_test.h"
#include "frontend/aarch64/a64.h"
#include "util/log.h"

static const struct a64t_vec fp_vectors[] = {
#include "fp_vectors.inc"
};
#define FP_NVECTORS (sizeof fp_vectors / sizeof fp_vectors[0])

static const char *const fp_groups[] = {
    "fp_arith",   "fp_nan",     "fp_env",       "fp_fma",      "fp_cvt",       "fp_cmp",  "fp_fast",
    "fp_fast_vec",
    "fp_move",    "simd_move",  "simd_logic",   "simd_arith",  "simd_cmp",     "simd_reduce",
    "simd_shift", "simd_wide",  "simd_elem",    "simd_perm",   "simd_count",   "simd_fp",
    "simd_ldst",  "fp_unimp",   "fp_undef",     "fp_random",   "simd_random",
};
#define FP_NGROUPS (sizeof fp_groups / sizeof fp_groups[0])

/* Run every vector of `group` on every configuration. */
static void fp_run_group(const char *group)
{
    unsigned n = 0;
    for (unsigned c = 0; c < A64T_NCONFIGS; c++) {
        struct a64t h;
        a64t_init(&h, &a64t_configs[c]);
        for (unsigned i = 0; i < FP_NVECTORS; i++) {
            if (strcmp(fp_vectors[i].group, group) != 0)
                continue;
            a64t_check_vec(&h, &fp_vectors[i], a64t_config_name(c));
            n++;
        }
        a64t_fini(&h);
    }
    ck_assert_msg(n > 0, "no vectors in group %s", group);
}

START_TEST(vectors_fp_arith) { fp_run_group("fp_arith"); }
END_TEST
START_TEST(vectors_fp_nan) { fp_run_group("fp_nan"); }
END_TEST
START_TEST(vectors_fp_env) { fp_run_group("fp_env"); }
END_TEST
START_TEST(vectors_fp_fma) { fp_run_group("fp_fma"); }
END_TEST
START_TEST(vectors_fp_cvt) { fp_run_group("fp_cvt"); }
END_TEST
START_TEST(vectors_fp_cmp) { fp_run_group("fp_cmp"); }
END_TEST
START_TEST(vectors_fp_fast) { fp_run_group("fp_fast"); }
END_TEST
START_TEST(vectors_fp_fast_vec) { fp_run_group("fp_fast_vec"); }
END_TEST
START_TEST(vectors_fp_move) { fp_run_group("fp_move"); }
END_TEST
START_TEST(vectors_simd_move) { fp_run_group("simd_move"); }
END_TEST
START_TEST(vectors_simd_logic) { fp_run_group("simd_logic"); }
END_TEST
START_TEST(vectors_simd_arith) { fp_run_group("simd_arith"); }
END_TEST
START_TEST(vectors_simd_cmp) { fp_run_group("simd_cmp"); }
END_TEST
START_TEST(vectors_simd_reduce) { fp_run_group("simd_reduce"); }
END_TEST
START_TEST(vectors_simd_shift) { fp_run_group("simd_shift"); }
END_TEST
START_TEST(vectors_simd_wide) { fp_run_group("simd_wide"); }
END_TEST
START_TEST(vectors_simd_elem) { fp_run_group("simd_elem"); }
END_TEST
START_TEST(vectors_simd_perm) { fp_run_group("simd_perm"); }
END_TEST
START_TEST(vectors_simd_count) { fp_run_group("simd_count"); }
END_TEST
START_TEST(vectors_simd_fp) { fp_run_group("simd_fp"); }
END_TEST
START_TEST(vectors_simd_ldst) { fp_run_group("simd_ldst"); }
END_TEST
START_TEST(vectors_fp_unimp) { fp_run_group("fp_unimp"); }
END_TEST
START_TEST(vectors_fp_undef) { fp_run_group("fp_undef"); }
END_TEST
START_TEST(vectors_fp_random) { fp_run_group("fp_random"); }
END_TEST
START_TEST(vectors_simd_random) { fp_run_group("simd_random"); }
END_TEST

/* Every vector belongs to a group that runs, and the table is big enough. */
START_TEST(fp_vectors_all_grouped)
{
    for (unsigned i = 0; i < FP_NVECTORS; i++) {
        bool found = false;
        for (unsigned g = 0; g < FP_NGROUPS; g++)
            found |= strcmp(fp_vectors[i].group, fp_groups[g]) == 0;
        ck_assert_msg(found, "fp_vectors.inc:%u: group %s is not run", fp_vectors[i].line,
                      fp_vectors[i].group);
    }
    ck_assert_uint_ge(FP_NVECTORS, 1200);
}
END_TEST

/* AT_HWCAP advertises FP and ASIMD, and none of the extensions the FP/SIMD
 * translator reports as unimplemented. */
START_TEST(fp_hwcap_exact)
{
    uint64_t hw = a64_hwcap();
    ck_assert(hw & A64_HWCAP_FP);
    ck_assert(hw & A64_HWCAP_ASIMD);
    /* FPHP 9, ASIMDHP 10, AES 3, PMULL 4, SHA1 5, SHA2 6, JSCVT 13, FCMA 14,
     * SHA3 17, SM3 18, SM4 19, ASIMDDP 20, SHA512 21, SVE 22, ASIMDFHM 23,
     * ASIMDRDM 12, FRINT (hwcap2) */
    static const unsigned absent[] = {3, 4, 5, 6, 9, 10, 12, 13, 14, 17, 18, 19, 20, 21, 22, 23};
    for (unsigned i = 0; i < sizeof absent / sizeof absent[0]; i++)
        ck_assert_msg(!(hw & (1ull << absent[i])), "HWCAP bit %u must not be set", absent[i]);
    ck_assert_uint_eq(a64_fpsimd_hwcap(), A64_HWCAP_FP | A64_HWCAP_ASIMD);
}
END_TEST

/* FPSR's cumulative bits survive block boundaries and accumulate; the
 * rounding mode set by MSR FPCR applies to later blocks. */
START_TEST(fp_fpsr_accumulates_across_blocks)
{
    static const uint32_t code[] = {
        0x1e622820, /* fadd d0, d1, d2   (inexact) */
        0x14000001, /* b .+4             (new block) */
        0x1e631840, /* fdiv d0, d2, d3   (by zero) */
        0xd53b4400, /* mrs x0, fpcr */
        0xd53b4421, /* mrs x1, fpsr */
    };
    for (unsigned c = 0; c < A64T_NCONFIGS; c++) {
        struct a64t h;
        a64t_init(&h, &a64t_configs[c]);
        struct a64t_item in[] = {
            V(1, 0x3ff0000000000000ull, 0), /* 1.0 */
            V(2, 0x3c30000000000000ull, 0), /* 2^-60 */
            V(3, 0, 0),                     /* +0.0 */
            FPCR(0x400000),                 /* round up */
            {A64T_END_LIST, 0, 0, 0},
        };
        a64t_load(&h, code, 5, in);
        unsigned r = a64t_run(&h);
        ck_assert_uint_eq(r, IR_EXIT_brk);
        ck_assert_uint_eq(h.cpu->x[0], 0x400000);
        ck_assert_uint_eq(h.cpu->x[1], 0x12); /* IXC | DZC */
        ck_assert_uint_eq(h.cpu->fpsr, 0x12);
        ck_assert_uint_eq(h.cpu->v[0].d[0], 0x7ff0000000000000ull); /* 2^-60 / 0 = +inf */
        a64t_fini(&h);
    }
}
END_TEST

/* Helpers restore the host's rounding mode: guest FP in a round-toward-zero
 * mode leaves the host in its own mode. */
START_TEST(fp_host_environment_restored)
{
    static const uint32_t code[] = {
        0x4e22d420, /* fadd v0.4s, v1.4s, v2.4s */
        0x1e780020, /* fcvtzs w0, d1 */
        0x1e622820, /* fadd d0, d1, d2 */
    };
    struct a64t h;
    a64t_init(&h, &a64t_configs[0]);
    struct a64t_item in[] = {
        V(1, 0x7fefffffffffffffull, 0), V(2, 0x7fefffffffffffffull, 0), FPCR(0xc00000),
        {A64T_END_LIST, 0, 0, 0},
    };
    a64t_load(&h, code, 3, in);
    ck_assert_int_eq(fegetround(), FE_TONEAREST);
    ck_assert_uint_eq(a64t_run(&h), IR_EXIT_brk);
    ck_assert_int_eq(fegetround(), FE_TONEAREST);
    ck_assert_uint_eq(h.cpu->v[0].d[0], 0x7fefffffffffffffull); /* overflow, RZ: max double */
    ck_assert_uint_ne(h.cpu->fpsr & 0x4, 0);                     /* OFC */
    a64t_fini(&h);
}
END_TEST

/* Exception flags an earlier instruction left on the host never reach the
 * guest after it cleared FPSR (helpers keep host flags between calls). */
START_TEST(fp_cleared_fpsr_stays_clear)
{
    static const uint32_t code[] = {
        0x1e622820, /* fadd d0, d1, d2   (inexact) */
        0xd53b4423, /* mrs x3, fpsr */
        0xd51b443f, /* msr fpsr, xzr */
        0x1e612824, /* fadd d4, d1, d1   (exact) */
        0xd53b4425, /* mrs x5, fpsr */
    };
    for (unsigned c = 0; c < A64T_NCONFIGS; c++) {
        struct a64t h;
        a64t_init(&h, &a64t_configs[c]);
        struct a64t_item in[] = {
            V(1, 0x3ff0000000000000ull, 0), V(2, 0x3c30000000000000ull, 0),
            {A64T_END_LIST, 0, 0, 0},
        };
        a64t_load(&h, code, 5, in);
        feraiseexcept(FE_INEXACT | FE_INVALID); /* host flags of its own, too */
        ck_assert_uint_eq(a64t_run(&h), IR_EXIT_brk);
        ck_assert_uint_eq(h.cpu->x[3], 0x10); /* IXC */
        ck_assert_uint_eq(h.cpu->x[5], 0);
        ck_assert_uint_eq(h.cpu->fpsr, 0);
        ck_assert_uint_eq(h.cpu->v[4].d[0], 0x4000000000000000ull); /* 2.0 */
        a64t_fini(&h);
    }
}
END_TEST

/* Run from guest pc `pc` (a64t_run starts at A64T_CODE). */
static unsigned fp_run_at(struct a64t *h, uint64_t pc)
{
    h->cpu->head.pc = pc;
    return tcg_exec(&h->tcg, &h->cpu->head);
}

/* -d unimp: an FP/SIMD instruction of a feature Ferry does not implement
 * (FEAT_FP16 FADD) is reported once as unimplemented with its disassembly,
 * an unallocated FP encoding as undefined; both reach the guest as SIGILL. */
START_TEST(fp_unimp_reported_once)
{
    struct a64t h;
    a64t_init(&h, &a64t_configs[0]);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(mem);
    unsigned old_mask = log_mask;
    FILE *old_file = log_file;
    log_mask |= 1u << LOG_unimp;
    log_file = mem;
    a64t_load(&h, NULL, 0, NULL);
    static const uint32_t words[4] = {
        0x1ee22820, /* fadd h0, h1, h2 (FEAT_FP16) */
        0x1ee22820,
        0x1ea02820, /* fadd with ftype 10: unallocated */
        0x1ea02820,
    };
    for (unsigned i = 0; i < 4; i++)
        memcpy(h.mem + A64T_CODE + 0x40 * i, &words[i], 4);
    for (unsigned i = 0; i < 4; i++) {
        ck_assert_uint_eq(fp_run_at(&h, A64T_CODE + 0x40 * i), IR_EXIT_undef);
        ck_assert_uint_eq(h.cpu->head.pc, A64T_CODE + 0x40 * i);
        ck_assert_uint_eq(h.cpu->exc_insn, words[i]);
    }
    log_mask = old_mask;
    log_file = old_file;
    fclose(mem);
    unsigned lines = 0;
    for (char *p = buf; *p; p++)
        lines += *p == '\n';
    ck_assert_msg(lines == 2, "want 2 report lines, got:\n%s", buf);
    ck_assert_msg(strstr(buf, "unimplemented") && strstr(buf, "1ee22820"), "%s", buf);
    ck_assert_msg(strstr(buf, "undefined") && strstr(buf, "1ea02820"), "%s", buf);
    free(buf);
    a64t_fini(&h);
}
END_TEST

/* A vectorised loop (gcc -O2 style: LD1, ADD .4S, ST1, post-index, branch
 * back) runs many blocks through chaining and stays exact. */
START_TEST(simd_loop_sums_arrays)
{
    static const uint32_t code[] = {
        0x4cdf7800, /* 1: ld1 {v0.4s}, [x0], #16 */
        0x4cdf7821, /*    ld1 {v1.4s}, [x1], #16 */
        0x4ea18400, /*    add v0.4s, v0.4s, v1.4s */
        0x4c9f7840, /*    st1 {v0.4s}, [x2], #16 */
        0xf1000463, /*    subs x3, x3, #1 */
        0x54ffff61, /*    b.ne 1b */
        0x4eb1b800, /*    addv s0, v0.4s */
    };
    for (unsigned c = 0; c < A64T_NCONFIGS; c++) {
        struct a64t h;
        a64t_init(&h, &a64t_configs[c]);
        struct a64t_item in[] = {
            X(0, A64T_DATA), X(1, A64T_DATA + 0x100), X(2, A64T_DATA + 0x200), X(3, 16),
            {A64T_END_LIST, 0, 0, 0},
        };
        a64t_load(&h, code, 7, in);
        uint32_t *a = (uint32_t *)(h.mem + A64T_DATA), *b = (uint32_t *)(h.mem + A64T_DATA + 0x100);
        for (unsigned i = 0; i < 64; i++) {
            a[i] = i * 3u + 1;
            b[i] = 0xfffffff0u + i;
        }
        ck_assert_uint_eq(a64t_run(&h), IR_EXIT_brk);
        const uint32_t *out = (const uint32_t *)(h.mem + A64T_DATA + 0x200);
        for (unsigned i = 0; i < 64; i++)
            ck_assert_uint_eq(out[i], (uint32_t)(i * 3u + 1 + 0xfffffff0u + i));
        uint32_t last = 0;
        for (unsigned i = 60; i < 64; i++)
            last += out[i];
        ck_assert_uint_eq(h.cpu->v[0].s[0], last);
        ck_assert_uint_eq(h.cpu->x[2], A64T_DATA + 0x300);
        a64t_fini(&h);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("a64_fp");
    TCase *tc = tcase_create("vectors");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, vectors_fp_arith);
    tcase_add_test(tc, vectors_fp_nan);
    tcase_add_test(tc, vectors_fp_env);
    tcase_add_test(tc, vectors_fp_fma);
    tcase_add_test(tc, vectors_fp_cvt);
    tcase_add_test(tc, vectors_fp_cmp);
    tcase_add_test(tc, vectors_fp_fast);
    tcase_add_test(tc, vectors_fp_fast_vec);
    tcase_add_test(tc, vectors_fp_move);
    tcase_add_test(tc, vectors_simd_move);
    tcase_add_test(tc, vectors_simd_logic);
    tcase_add_test(tc, vectors_simd_arith);
    tcase_add_test(tc, vectors_simd_cmp);
    tcase_add_test(tc, vectors_simd_reduce);
    tcase_add_test(tc, vectors_simd_shift);
    tcase_add_test(tc, vectors_simd_wide);
    tcase_add_test(tc, vectors_simd_elem);
    tcase_add_test(tc, vectors_simd_perm);
    tcase_add_test(tc, vectors_simd_count);
    tcase_add_test(tc, vectors_simd_fp);
    tcase_add_test(tc, vectors_simd_ldst);
    tcase_add_test(tc, vectors_fp_unimp);
    tcase_add_test(tc, vectors_fp_undef);
    tcase_add_test(tc, vectors_fp_random);
    tcase_add_test(tc, vectors_simd_random);
    tcase_add_test(tc, fp_vectors_all_grouped);
    suite_add_tcase(s, tc);
    TCase *env = tcase_create("environment");
    tcase_add_test(env, fp_hwcap_exact);
    tcase_add_test(env, fp_fpsr_accumulates_across_blocks);
    tcase_add_test(env, fp_host_environment_restored);
    tcase_add_test(env, fp_cleared_fpsr_stays_clear);
    tcase_add_test(env, fp_unimp_reported_once);
    tcase_add_test(env, simd_loop_sums_arrays);
    suite_add_tcase(s, env);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
