/* The differential cases of test_x64: every vector of x64_vectors.inc runs
 * natively (the oracle) and through Ferry on each configuration (JIT and
 * interpreter, optimized and not, one instruction per block) from several
 * seeded random start states; registers, the flags the SDM defines for the
 * instruction, DF, the data page and the stop address must agree. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "x64_test.h"

static const struct x64t_vec x64t_vectors[] = {
#include "x64_vectors.inc"
};
#define X64T_NVECTORS (sizeof x64t_vectors / sizeof x64t_vectors[0])
#define X64T_NSEEDS 6

static void x64t_say(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void x64t_say(char *buf, size_t len, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, len - used, fmt, ap);
    va_end(ap);
}

static const char *const x64t_reg_names[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp",
                                               "rsi", "rdi", "r8",  "r9",  "r10", "r11",
                                               "r12", "r13", "r14", "r15"};

static struct x64t_state x64t_in, x64t_want, x64t_got;

/* Run one vector from one seed on one harness; fail with every difference. */
static void x64t_check(struct x64t *h, const struct x64t_vec *v, uint64_t seed, const char *cfgname)
{
    unsigned r = x64t_run(h, v->bytes, v->nbytes, &x64t_in);
    x64t_get_state(h, &x64t_got);
    char msg[2048] = "";
    if (r != IR_EXIT_brk)
        x64t_say(msg, sizeof msg, " exit %s, want brk%s%s;",
                 r < IR_EXIT_COUNT ? ir_exit_names[r] : "ERROR", r == TCG_EXIT_ERROR ? ": " : "",
                 r == TCG_EXIT_ERROR ? tcg_errmsg(&h->tcg) : "");
    uint64_t want_pc = X64T_CODE + v->nbytes + 1;
    if (h->cpu->head.pc != want_pc)
        x64t_say(msg, sizeof msg, " pc 0x%" PRIx64 ", want 0x%" PRIx64 ";", h->cpu->head.pc, want_pc);
    for (unsigned i = 0; i < 16; i++)
        if (x64t_got.regs[i] != x64t_want.regs[i])
            x64t_say(msg, sizeof msg, " %s 0x%" PRIx64 ", want 0x%" PRIx64 " (was 0x%" PRIx64 ");",
                     x64t_reg_names[i], x64t_got.regs[i], x64t_want.regs[i], x64t_in.regs[i]);
    uint64_t fm = v->flags | X64_RFLAGS_DF;
    if ((x64t_got.rflags & fm) != (x64t_want.rflags & fm))
        x64t_say(msg, sizeof msg, " rflags 0x%" PRIx64 ", want 0x%" PRIx64 " (mask 0x%" PRIx64
                 ", was 0x%" PRIx64 ");", x64t_got.rflags & fm, x64t_want.rflags & fm, fm,
                 x64t_in.rflags);
    for (unsigned i = 0; i < 16; i++)
        for (unsigned h = 0; h < 2; h++)
            if (x64t_got.xmm[i].d[h] != x64t_want.xmm[i].d[h])
                x64t_say(msg, sizeof msg, " xmm%u.q%u 0x%016" PRIx64 ", want 0x%016" PRIx64
                         " (was 0x%016" PRIx64 ");", i, h, x64t_got.xmm[i].d[h],
                         x64t_want.xmm[i].d[h], x64t_in.xmm[i].d[h]);
    if (x64t_got.mxcsr != x64t_want.mxcsr)
        x64t_say(msg, sizeof msg, " mxcsr 0x%x, want 0x%x (was 0x%x);", x64t_got.mxcsr,
                 x64t_want.mxcsr, x64t_in.mxcsr);
    for (unsigned i = 0; i < X64T_DATA_SIZE; i++)
        if (x64t_got.data[i] != x64t_want.data[i]) {
            x64t_say(msg, sizeof msg, " data[0x%x] 0x%02x, want 0x%02x;", X64T_DATA + i,
                     x64t_got.data[i], x64t_want.data[i]);
            break;
        }
    if (msg[0]) {
        char code[160] = "";
        for (unsigned i = 0; i < v->nbytes; i++)
            x64t_say(code, sizeof code, "%02x", v->bytes[i]);
        ck_abort_msg("%s:%u [%s] (%s, seed %" PRIu64 "):%s",
                     strcmp(v->group, "chain") == 0 ? "chain" : "x64_vectors.inc", v->line, code,
                     cfgname, seed, msg);
    }
}

/* Every vector of `group`, every seed, every configuration. */
static void x64t_run_group(const char *group)
{
    char err[256];
    ck_assert_msg(x64t_native_init(err, sizeof err), "%s", err);
    static struct x64t hs[X64T_NCONFIGS];
    for (unsigned c = 0; c < X64T_NCONFIGS; c++)
        x64t_init(&hs[c], &x64t_configs[c]);
    unsigned n = 0;
    for (unsigned i = 0; i < X64T_NVECTORS; i++) {
        const struct x64t_vec *v = &x64t_vectors[i];
        if (strcmp(v->group, group) != 0)
            continue;
        for (uint64_t seed = 0; seed < X64T_NSEEDS; seed++) {
            x64t_make_state(v, seed, &x64t_in);
            x64t_native_run(v->bytes, v->nbytes, &x64t_in, &x64t_want);
            for (unsigned c = 0; c < X64T_NCONFIGS; c++)
                x64t_check(&hs[c], v, seed, x64t_config_name(c));
        }
        n++;
    }
    for (unsigned c = 0; c < X64T_NCONFIGS; c++)
        x64t_fini(&hs[c]);
    ck_assert_msg(n > 0, "no vectors in group %s", group);
}

START_TEST(vectors_alu) { x64t_run_group("alu"); }
END_TEST
START_TEST(vectors_shift) { x64t_run_group("shift"); }
END_TEST
START_TEST(vectors_muldiv) { x64t_run_group("muldiv"); }
END_TEST
START_TEST(vectors_bitops) { x64t_run_group("bitops"); }
END_TEST
START_TEST(vectors_movs) { x64t_run_group("movs"); }
END_TEST
START_TEST(vectors_stack) { x64t_run_group("stack"); }
END_TEST
START_TEST(vectors_branch) { x64t_run_group("branch"); }
END_TEST
START_TEST(vectors_string) { x64t_run_group("string"); }
END_TEST
START_TEST(vectors_misc) { x64t_run_group("misc"); }
END_TEST
START_TEST(vectors_sse_move) { x64t_run_group("sse_move"); }
END_TEST
START_TEST(vectors_sse_int) { x64t_run_group("sse_int"); }
END_TEST
START_TEST(vectors_sse_fp) { x64t_run_group("sse_fp"); }
END_TEST

/* Blocks of 2-4 random flag-writing and flag-reading instructions (ALU,
 * CMOVcc, SETcc, ... with fully defined flags and no constraints): the
 * flags one instruction leaves must be what the next one reads, after the
 * dead-code pass has removed the dead ones. */
START_TEST(vectors_chains)
{
    char err[256];
    ck_assert_msg(x64t_native_init(err, sizeof err), "%s", err);
    static unsigned pool[X64T_NVECTORS];
    unsigned npool = 0;
    for (unsigned i = 0; i < X64T_NVECTORS; i++) {
        const struct x64t_vec *v = &x64t_vectors[i];
        if (v->flags == F_ALL && v->setup[0].kind == X64T_END_SETUP && v->nbytes <= 8 &&
            (strcmp(v->group, "alu") == 0 || strcmp(v->group, "movs") == 0))
            pool[npool++] = i;
    }
    ck_assert_uint_gt(npool, 50);
    static struct x64t hs[X64T_NCONFIGS];
    for (unsigned c = 0; c < X64T_NCONFIGS; c++)
        x64t_init(&hs[c], &x64t_configs[c]);
    uint64_t rs = 12345;
    for (unsigned n = 0; n < 300; n++) {
        static struct x64t_vec chain;
        memset(&chain, 0, sizeof chain);
        chain.group = "chain";
        chain.line = n;
        chain.flags = F_ALL;
        rs = rs * 6364136223846793005ull + 1442695040888963407ull;
        unsigned len = 2 + (unsigned)(rs >> 60) % 3;
        for (unsigned k = 0; k < len; k++) {
            rs = rs * 6364136223846793005ull + 1442695040888963407ull;
            const struct x64t_vec *v = &x64t_vectors[pool[(rs >> 33) % npool]];
            if (chain.nbytes + v->nbytes > X64T_MAX_BYTES)
                break;
            memcpy(chain.bytes + chain.nbytes, v->bytes, v->nbytes);
            chain.nbytes += v->nbytes;
        }
        x64t_make_state(&chain, n, &x64t_in);
        x64t_native_run(chain.bytes, chain.nbytes, &x64t_in, &x64t_want);
        for (unsigned c = 0; c < X64T_NCONFIGS; c++)
            x64t_check(&hs[c], &chain, n, x64t_config_name(c));
    }
    for (unsigned c = 0; c < X64T_NCONFIGS; c++)
        x64t_fini(&hs[c]);
}
END_TEST

static const char *const x64t_groups[] = {"alu",    "shift",  "muldiv", "bitops", "movs",
                                          "stack",  "branch", "string", "misc",
                                          "sse_move", "sse_int", "sse_fp"};

/* Every vector belongs to a group some case runs. */
START_TEST(vectors_all_grouped)
{
    for (unsigned i = 0; i < X64T_NVECTORS; i++) {
        bool found = false;
        for (unsigned g = 0; g < sizeof x64t_groups / sizeof x64t_groups[0]; g++)
            found |= strcmp(x64t_vectors[i].group, x64t_groups[g]) == 0;
        ck_assert_msg(found, "x64_vectors.inc:%u: group %s is not run", x64t_vectors[i].line,
                      x64t_vectors[i].group);
    }
}
END_TEST

void x64t_add_vector_tests(Suite *s)
{
    TCase *tc = tcase_create("vectors");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, vectors_all_grouped);
    tcase_add_test(tc, vectors_alu);
    tcase_add_test(tc, vectors_shift);
    tcase_add_test(tc, vectors_muldiv);
    tcase_add_test(tc, vectors_bitops);
    tcase_add_test(tc, vectors_movs);
    tcase_add_test(tc, vectors_stack);
    tcase_add_test(tc, vectors_branch);
    tcase_add_test(tc, vectors_string);
    tcase_add_test(tc, vectors_misc);
    tcase_add_test(tc, vectors_sse_move);
    tcase_add_test(tc, vectors_sse_int);
    tcase_add_test(tc, vectors_sse_fp);
    tcase_add_test(tc, vectors_chains);
    suite_add_tcase(s, tc);
}
