/* test_diff: differential testing of the core pipeline.  Random IR programs
 * (irgen) run on the reference evaluator, the interpreter and the JIT, each
 * unoptimized and after ir_optimize, must end in identical states.
 * FERRY_DIFF_SEED=<n> picks the base seed, FERRY_DIFF_COUNT=<n> the number of
 * random programs (default 10000), FERRY_DIFF_KEEP_GOING=1 reports every
 * failure instead of stopping at the first, FERRY_DIFF_SKIP=interp (or jit,
 * jit_opt, ...) leaves runs out while an engine is known to be broken.
 * Each test case must finish within CK_DEFAULT_TIMEOUT (120 s under ctest); for
 * sweeps of 100000+ programs use the ferry-diff tool instead. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diffrun.h"

#define DEFAULT_SEED 0xfe77ad1ff0000001ull
#define DEFAULT_COUNT 10000u

static uint64_t base_seed(void)
{
    const char *s = getenv("FERRY_DIFF_SEED");
    return s && *s ? strtoull(s, NULL, 0) : DEFAULT_SEED;
}

static unsigned total_count(void)
{
    const char *s = getenv("FERRY_DIFF_COUNT");
    return s && *s ? (unsigned)strtoul(s, NULL, 0) : DEFAULT_COUNT;
}

static bool keep_going(void)
{
    const char *s = getenv("FERRY_DIFF_KEEP_GOING");
    return s && *s && *s != '0';
}

/* Share of the random programs each profile gets, in per mille (sums to 1000). */
static const unsigned profile_share[IRGEN_PROFILE_COUNT] = {
    [IRGEN_mixed] = 240, [IRGEN_alu] = 150,   [IRGEN_memory] = 120, [IRGEN_control] = 120,
    [IRGEN_calls] = 100, [IRGEN_state] = 100, [IRGEN_exits] = 110, [IRGEN_compare] = 60,
};

static unsigned profile_count(enum irgen_profile p)
{
    unsigned n = (unsigned)((uint64_t)total_count() * profile_share[p] / 1000);
    return n ? n : 1;
}

static struct diff_ctx ctx;

static void ctx_setup(void)
{
    char err[256];
    if (diff_ctx_init(&ctx, err, sizeof(err)) != 0)
        ck_abort_msg("diff_ctx_init: %s", err);
    ctx.fail_dir = ".";
    if (diff_parse_skip(getenv("FERRY_DIFF_SKIP"), &ctx.skip) < 0)
        ck_abort_msg("FERRY_DIFF_SKIP: unknown run name");
}

static void ctx_teardown(void) { diff_ctx_fini(&ctx); }

/* ---- generator ------------------------------------------------------------------ */

START_TEST(irgen_same_seed_same_program)
{
    struct ir_func a, b;
    ir_func_init(&a);
    ir_func_init(&b);
    for (unsigned p = 0; p < IRGEN_PROFILE_COUNT; p++)
        for (unsigned i = 0; i < 40; i++) {
            uint64_t seed = irgen_seed_mix(base_seed(), p, i);
            ck_assert_int_eq(irgen_program(&a, seed, (enum irgen_profile)p), 0);
            ck_assert_int_eq(irgen_program(&b, seed, (enum irgen_profile)p), 0);
            ck_assert_uint_eq(a.ninsns, b.ninsns);
            ck_assert_uint_eq(a.nvals, b.nvals);
            ck_assert_uint_eq(a.nlabels, b.nlabels);
            ck_assert_uint_eq(a.pc, b.pc);
            ck_assert(memcmp(a.insns, b.insns, a.ninsns * sizeof(*a.insns)) == 0);
            /* vals[0] is IR_NONE, never initialised */
            ck_assert(memcmp(a.vals + 1, b.vals + 1, (a.nvals - 1) * sizeof(*a.vals)) == 0);
        }
    ir_func_free(&a);
    ir_func_free(&b);
}
END_TEST

START_TEST(irgen_different_seeds_different_programs)
{
    struct ir_func a, b;
    ir_func_init(&a);
    ir_func_init(&b);
    unsigned same = 0;
    for (unsigned i = 0; i < 100; i++) {
        irgen_program(&a, irgen_seed_mix(1, 0, i), IRGEN_mixed);
        irgen_program(&b, irgen_seed_mix(2, 0, i), IRGEN_mixed);
        same += a.ninsns == b.ninsns && memcmp(a.insns, b.insns, a.ninsns * sizeof(*a.insns)) == 0;
    }
    ck_assert_uint_le(same, 2);
    ir_func_free(&a);
    ir_func_free(&b);
}
END_TEST

/* What the generated programs contain, counted over many programs. */
struct coverage {
    uint32_t op[IR_OP_COUNT][2];                           /* by insn type (i32, i64) */
    uint32_t const_in[IR_OP_COUNT][IR_MAX_ARGS];           /* a constant in input i */
    uint32_t cond[3][IR_COND_COUNT];                       /* setcond, movcond, brcond */
    uint32_t ld[2][16], st[2][16], lds[2][16], sts[2][16]; /* memops by type */
    uint32_t bswap[2][9];
    uint32_t field_whole[IR_OP_COUNT][2], field_top_bit[IR_OP_COUNT][2];
    uint32_t big_shift[IR_OP_COUNT][2]; /* constant count >= width */
    uint32_t edge[2][5];                /* 0, 1, -1, MIN, MAX as inputs */
    uint32_t helper[64];
    uint32_t reason[IR_EXIT_COUNT];
    uint32_t mb[3];
    uint32_t backward, small, large;
};

static void cover(struct coverage *cv, const struct ir_func *f)
{
    bool label_seen[256] = {false};
    if (f->ninsns <= 10)
        cv->small++;
    if (f->ninsns >= 150)
        cv->large++;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        const struct ir_insn *in = &f->insns[i];
        unsigned t = in->type == IR_I64, w = t ? 64 : 32;
        cv->op[in->op][t]++;
        for (unsigned k = 0; k < in->nin; k++) {
            ir_ref r = ir_in(in, k);
            if (!ir_is_const(f, r))
                continue;
            cv->const_in[in->op][k]++;
            unsigned vt = ir_val_type(f, r) == IR_I64;
            uint64_t c = ir_val(f, r)->c, m = vt ? ~0ull : 0xffffffffull,
                     sign = vt ? 1ull << 63 : 1ull << 31;
            const uint64_t edges[5] = {0, 1, m, sign, sign - 1};
            for (unsigned e = 0; e < 5; e++)
                cv->edge[vt][e] += c == edges[e];
            if (k == 1 && c >= w &&
                (in->op == IR_OP_shl || in->op == IR_OP_shr || in->op == IR_OP_sar ||
                 in->op == IR_OP_rotl || in->op == IR_OP_rotr))
                cv->big_shift[in->op][t]++;
        }
        switch (in->op) {
        case IR_OP_setcond:
            cv->cond[0][in->carg[0]]++;
            break;
        case IR_OP_movcond:
            cv->cond[1][in->carg[0]]++;
            break;
        case IR_OP_brcond:
            cv->cond[2][in->carg[0]]++;
            if (in->carg[1] < 256 && label_seen[in->carg[1]])
                cv->backward++;
            break;
        case IR_OP_br:
            if (in->carg[0] < 256 && label_seen[in->carg[0]])
                cv->backward++;
            break;
        case IR_OP_set_label:
            if (in->carg[0] < 256)
                label_seen[in->carg[0]] = true;
            break;
        case IR_OP_ld:
            cv->ld[t][in->carg[0] & 15]++;
            break;
        case IR_OP_st:
            cv->st[t][in->carg[0] & 15]++;
            break;
        case IR_OP_ld_state:
            cv->lds[t][in->carg[1] & 15]++;
            break;
        case IR_OP_st_state:
            cv->sts[t][in->carg[1] & 15]++;
            break;
        case IR_OP_bswap:
            cv->bswap[t][in->carg[0] & 7 ? in->carg[0] & 7 : 8]++;
            break;
        case IR_OP_extract:
        case IR_OP_sextract:
        case IR_OP_deposit:
            cv->field_whole[in->op][t] += in->carg[0] == 0 && in->carg[1] == w;
            cv->field_top_bit[in->op][t] += in->carg[0] == w - 1 && in->carg[1] == 1;
            break;
        case IR_OP_call:
            if (in->carg[0] < 64)
                cv->helper[in->carg[0]]++;
            break;
        case IR_OP_exit:
            cv->reason[in->carg[0]]++;
            break;
        case IR_OP_mb:
            cv->mb[in->carg[0] % 3]++;
            break;
        default:
            break;
        }
    }
}

/* Append "what" to the list of missing items. */
static void missing(char *buf, size_t len, unsigned *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void missing(char *buf, size_t len, unsigned *n, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (++*n > 12 || used + 2 >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, len - used, fmt, ap);
    va_end(ap);
    used = strlen(buf);
    snprintf(buf + used, len - used, "; ");
}

static bool has_type_slot(enum ir_op op) { return strchr(ir_ops[op].sig, 'T') != NULL; }

START_TEST(irgen_covers_every_op_and_edge)
{
    static struct coverage cv;
    memset(&cv, 0, sizeof(cv));
    struct ir_func f;
    ir_func_init(&f);
    for (unsigned i = 0; i < 3000; i++) {
        enum irgen_profile p = (enum irgen_profile)(i % IRGEN_PROFILE_COUNT);
        ck_assert_int_eq(irgen_program(&f, irgen_seed_mix(base_seed(), 100 + p, i), p), 0);
        cover(&cv, &f);
    }
    ir_func_free(&f);

    char miss[1024] = "";
    unsigned n = 0;
    for (unsigned op = 0; op < IR_OP_COUNT; op++) {
        const struct ir_opinfo *oi = &ir_ops[op];
        bool typed = has_type_slot((enum ir_op)op);
        for (unsigned t = 0; t < 2; t++)
            if (!cv.op[op][t] && (typed || t == 1))
                missing(miss, sizeof(miss), &n, "%s%s", oi->name,
                        typed ? (t ? ".i64" : ".i32") : "");
        for (unsigned k = 0; op != IR_OP_call && k < (unsigned)(oi->nin > 0 ? oi->nin : 0); k++)
            if (!cv.const_in[op][k])
                missing(miss, sizeof(miss), &n, "%s with a constant input %u", oi->name, k);
    }
    static const char *const cond_op[3] = {"setcond", "movcond", "brcond"};
    for (unsigned o = 0; o < 3; o++)
        for (unsigned c = 0; c < IR_COND_COUNT; c++)
            if (!cv.cond[o][c])
                missing(miss, sizeof(miss), &n, "%s %s", cond_op[o], ir_cond_names[c]);
    for (unsigned t = 0; t < 2; t++) {
        unsigned w = t ? 64 : 32;
        for (unsigned mo = 0; mo < 16; mo++) {
            unsigned size = mo & IR_MO_SIZE, bits = 8u << size;
            if (bits > w || ((mo & IR_MO_BE) && size == 0))
                continue;
            bool sign = mo & IR_MO_SIGN;
            if (!(sign && bits >= w) && !cv.ld[t][mo])
                missing(miss, sizeof(miss), &n, "ld.i%u memop %u", w, mo);
            if (!sign && !cv.st[t][mo])
                missing(miss, sizeof(miss), &n, "st.i%u memop %u", w, mo);
            if (!(mo & IR_MO_BE) && !(sign && bits >= w) && !cv.lds[t][mo])
                missing(miss, sizeof(miss), &n, "ld_state.i%u memop %u", w, mo);
            if (!(mo & IR_MO_BE) && !sign && !cv.sts[t][mo])
                missing(miss, sizeof(miss), &n, "st_state.i%u memop %u", w, mo);
        }
        for (unsigned b = 2; b <= w / 8; b *= 2)
            if (!cv.bswap[t][b])
                missing(miss, sizeof(miss), &n, "bswap.i%u %u bytes", w, b);
        static const enum ir_op fields[] = {IR_OP_extract, IR_OP_sextract, IR_OP_deposit};
        for (unsigned k = 0; k < 3; k++) {
            if (!cv.field_whole[fields[k]][t])
                missing(miss, sizeof(miss), &n, "%s.i%u of the whole value", ir_ops[fields[k]].name,
                        w);
            if (!cv.field_top_bit[fields[k]][t])
                missing(miss, sizeof(miss), &n, "%s.i%u of the top bit", ir_ops[fields[k]].name, w);
        }
        static const enum ir_op shifts[] = {IR_OP_shl, IR_OP_shr, IR_OP_sar, IR_OP_rotl,
                                            IR_OP_rotr};
        for (unsigned k = 0; k < 5; k++)
            if (!cv.big_shift[shifts[k]][t])
                missing(miss, sizeof(miss), &n, "%s.i%u by a constant >= width",
                        ir_ops[shifts[k]].name, w);
        static const char *const edge_names[5] = {"0", "1", "-1", "MIN", "MAX"};
        for (unsigned e = 0; e < 5; e++)
            if (!cv.edge[t][e])
                missing(miss, sizeof(miss), &n, "constant %s of i%u", edge_names[e], w);
    }
    for (unsigned i = 0; i < irgen_helper_count(); i++) {
        int id = ir_helper_find(irgen_helper_name(i));
        if (id < 0 || id >= 64 || !cv.helper[id])
            missing(miss, sizeof(miss), &n, "call of %s", irgen_helper_name(i));
    }
    for (unsigned r = 0; r < IR_EXIT_COUNT; r++)
        if (r != IR_EXIT_chain && r != IR_EXIT_lookup && r != IR_EXIT_request && !cv.reason[r])
            missing(miss, sizeof(miss), &n, "exit %s", ir_exit_names[r]);
    for (unsigned k = 0; k < 3; k++)
        if (!cv.mb[k])
            missing(miss, sizeof(miss), &n, "mb kind %u", k);
    if (!cv.backward)
        missing(miss, sizeof(miss), &n, "a backward branch");
    if (!cv.small || !cv.large)
        missing(miss, sizeof(miss), &n, "programs of <= 10 and >= 150 insns");
    ck_assert_msg(n == 0, "%u things never generated: %s", n, miss);
}
END_TEST

START_TEST(irgen_programs_verify)
{
    struct ir_func f;
    ir_func_init(&f);
    for (unsigned p = 0; p < IRGEN_PROFILE_COUNT; p++)
        for (unsigned i = 0; i < 150; i++) {
            uint64_t seed = irgen_seed_mix(base_seed(), 200 + p, i);
            char err[256];
            ck_assert_int_eq(irgen_program(&f, seed, (enum irgen_profile)p), 0);
            if (ir_verify(&f, err, sizeof(err)) != 0) {
                ir_print(stderr, &f);
                ck_abort_msg("seed 0x%016" PRIx64 " profile %s: %s", seed, irgen_profile_names[p],
                             err);
            }
        }
    ir_func_free(&f);
}
END_TEST

/* The reference evaluator runs every program to an exit: no undefined temp is
 * read, no access leaves guest memory, every loop ends. */
START_TEST(irgen_programs_run_on_reference)
{
    struct ir_func f;
    ir_func_init(&f);
    static struct irgen_cpu cpu;
    static uint8_t mem[IRGEN_MEM_ALLOC];
    static struct jc_entry jc[JC_SIZE];
    for (unsigned i = 0; i < JC_SIZE; i++)
        jc[i] = (struct jc_entry){JC_EMPTY_PC, JC_EMPTY_FLAGS, NULL, NULL};
    uint64_t steps = 0;
    for (unsigned p = 0; p < IRGEN_PROFILE_COUNT; p++)
        for (unsigned i = 0; i < 150; i++) {
            uint64_t seed = irgen_seed_mix(base_seed(), 300 + p, i);
            ck_assert_int_eq(irgen_program(&f, seed, (enum irgen_profile)p), 0);
            irgen_init_cpu(&cpu, seed, f.pc);
            cpu.head.jmp_cache = jc;
            irgen_init_mem(mem, seed);
            struct irref_block b = {&f, NULL, {NULL, NULL}};
            struct irref_env env = {.mem = mem,
                                    .mem_size = IRGEN_MEM_ALLOC,
                                    .mem_base = irgen_mem_base(seed),
                                    .max_steps = 1000000};
            unsigned r = irref_run(&b, &cpu.head, &env);
            ck_assert_msg(r != IRREF_ERROR, "seed 0x%016" PRIx64 " profile %s: %s", seed,
                          irgen_profile_names[p], env.err);
            steps += env.steps;
        }
    ck_assert_uint_gt(steps, 0);
    ir_func_free(&f);
}
END_TEST

/* ---- the harness itself -------------------------------------------------------------- */

/* A real result to corrupt: the reference run of a program with helper calls
 * (the reference only, so these tests do not depend on the backends). */
static void real_result(struct diff_result *a)
{
    static struct jc_entry jc[JC_SIZE];
    struct ir_func f;
    ir_func_init(&f);
    uint64_t seed = irgen_seed_mix(7, 7, 7);
    ck_assert_int_eq(irgen_program(&f, seed, IRGEN_calls), 0);
    memset(a, 0, sizeof(*a));
    a->mem = malloc(IRGEN_MEM_ALLOC);
    ck_assert_ptr_nonnull(a->mem);
    for (unsigned i = 0; i < JC_SIZE; i++)
        jc[i] = (struct jc_entry){JC_EMPTY_PC, JC_EMPTY_FLAGS, NULL, NULL};
    irgen_init_cpu(&a->cpu, seed, f.pc);
    irgen_init_mem(a->mem, seed);
    a->cpu.head.jmp_cache = jc;
    irgen_log_reset();
    struct irref_block b = {&f, NULL, {NULL, NULL}};
    struct irref_env env = {
        .mem = a->mem, .mem_size = IRGEN_MEM_ALLOC, .mem_base = irgen_mem_base(seed)};
    a->reason = irref_run(&b, &a->cpu.head, &env);
    ck_assert_msg(a->reason != IRREF_ERROR, "%s", env.err);
    a->ran = true;
    a->log = irgen_log;
    a->log.n = 2; /* make sure there is a log to corrupt */
    a->cpu.head.jmp_cache = NULL;
    ir_func_free(&f);
}

START_TEST(compare_accepts_identical_results)
{
    struct diff_result a, b;
    real_result(&a);
    b = a;
    char msg[256] = "";
    ck_assert_int_eq(diff_compare(&a, &b, msg, sizeof(msg)), 0);
    free(a.mem);
}
END_TEST

static const struct corruption {
    const char *name, *field;
} corruptions[] = {
#define CORRUPTION(name, field, code) {#name, field},
#include "corruptions.inc"
#undef CORRUPTION
};
#define NCORRUPTIONS (sizeof(corruptions) / sizeof(corruptions[0]))

static void corrupt(struct diff_result *r, unsigned k)
{
    unsigned i = 0;
#define CORRUPTION(name, field, code)                                                              \
    if (k == i++)                                                                                  \
        (void)(code);
#include "corruptions.inc"
#undef CORRUPTION
}

START_TEST(compare_reports_each_corrupted_field)
{
    const struct corruption *c = &corruptions[_i];
    struct diff_result a, b;
    real_result(&a);
    b = a;
    b.mem = malloc(IRGEN_MEM_ALLOC);
    ck_assert_ptr_nonnull(b.mem);
    memcpy(b.mem, a.mem, IRGEN_MEM_ALLOC);
    corrupt(&b, (unsigned)_i);
    char msg[256] = "";
    ck_assert_msg(diff_compare(&a, &b, msg, sizeof(msg)) == 1, "corruption %s not detected",
                  c->name);
    ck_assert_msg(strncmp(msg, c->field, strlen(c->field)) == 0,
                  "corruption %s reported as \"%s\", expected field \"%s\"", c->name, msg,
                  c->field);
    free(b.mem);
    free(a.mem);
}
END_TEST

/* End to end: one run's x0 is flipped after it ran; the check must fail and
 * name that run against the reference.  A trivial program, so that a real
 * engine bug cannot be what the check reports. */
START_TEST(check_fails_when_one_run_is_corrupted)
{
    char msg[512];
    struct ir_func f;
    ir_func_init(&f);
    f.pc = 0x1000;
    f.flags = IRGEN_CPU_FLAGS;
    ir_ref x0 = ir_global(&f, IR_I64, IRGEN_OFF_G64, "x0");
    ir_emit_1_2(&f, IR_OP_add, x0, x0, ir_const(&f, IR_I64, 1));
    ir_exit(&f, IR_EXIT_halt, ir_const(&f, IR_I64, 0x1004));
    struct diff_case cs = {1, -1, false, false, false, 0};
    ctx.report = NULL;
    ctx.fail_dir = NULL;
    ck_assert_int_eq(diff_check_func(&ctx, &f, &cs, msg, sizeof(msg)), DIFF_OK);
    for (unsigned run = 1; run < DIFF_RUN_COUNT; run++) {
        ctx.corrupt_run = run;
        ctx.corrupt_bit = 3 * run;
        int rc = diff_check_func(&ctx, &f, &cs, msg, sizeof(msg));
        if (!ctx.res[run].ran)
            continue; /* engine not built on this host */
        ck_assert_msg(rc == DIFF_MISMATCH, "corrupted %s not caught (%d: %s)", diff_run_names[run],
                      rc, msg);
        ck_assert_msg(strstr(msg, diff_run_names[run]) && strstr(msg, "x0:"),
                      "mismatch message does not name %s and x0: %s", diff_run_names[run], msg);
    }
    ctx.corrupt_run = 0;
    ir_func_free(&f);
}
END_TEST

/* ---- differential runs ---------------------------------------------------------------------- */

static void check_profile(enum irgen_profile p)
{
    unsigned n = profile_count(p), failures = 0;
    uint64_t base = base_seed();
    char msg[1024], first[1024] = "";
    for (unsigned i = 0; i < n; i++) {
        uint64_t seed = irgen_seed_mix(base, p, i);
        if (diff_check_seed(&ctx, seed, p, msg, sizeof(msg)) != DIFF_OK) {
            if (!failures++)
                snprintf(first, sizeof(first), "%s", msg);
            if (!keep_going() || failures >= 20)
                break;
        }
    }
    printf("test_diff %-8s %u programs, %" PRIu64 " IR insns, %" PRIu64
           " after optimization, %u failing (base seed 0x%016" PRIx64 ")\n",
           irgen_profile_names[p], n, ctx.ops_in, ctx.ops_out, failures, base);
    fflush(stdout);
    ck_assert_msg(failures == 0, "%u failing program(s); first: %s", failures, first);
}

START_TEST(diff_mixed) { check_profile(IRGEN_mixed); }
END_TEST
START_TEST(diff_alu) { check_profile(IRGEN_alu); }
END_TEST
START_TEST(diff_memory) { check_profile(IRGEN_memory); }
END_TEST
START_TEST(diff_control) { check_profile(IRGEN_control); }
END_TEST
START_TEST(diff_calls) { check_profile(IRGEN_calls); }
END_TEST
START_TEST(diff_state) { check_profile(IRGEN_state); }
END_TEST
START_TEST(diff_exits) { check_profile(IRGEN_exits); }
END_TEST
START_TEST(diff_compare_tests) { check_profile(IRGEN_compare); }
END_TEST

/* Every engine honours exit_request at block entry: nothing runs. */
START_TEST(diff_exit_request_stops_before_anything_runs)
{
    char msg[1024];
    for (unsigned i = 0; i < 100; i++) {
        uint64_t seed = irgen_seed_mix(base_seed(), 400, i);
        ck_assert_int_eq(irgen_program(&ctx.prog, seed, IRGEN_mixed), 0);
        struct ir_func f;
        ir_func_init(&f);
        ck_assert_int_eq(ir_func_copy(&f, &ctx.prog), 0);
        struct diff_case cs = diff_case_of_seed(seed, -1);
        cs.exit_request = true;
        int rc = diff_check_func(&ctx, &f, &cs, msg, sizeof(msg));
        ir_func_free(&f);
        ck_assert_msg(rc == DIFF_OK, "%s", msg);
        ck_assert_uint_eq(ctx.res[DIFF_ref].reason, IR_EXIT_request);
        ck_assert_uint_eq(ctx.res[DIFF_ref].cpu.head.pc, ctx.prog.pc);
    }
}
END_TEST

/* goto_tb LAND_PC chained to the landing block, and goto_ptr jump-cache hits,
 * run the landing block on every engine. */
START_TEST(diff_chained_and_jump_cache_exits)
{
    char msg[1024];
    unsigned landed = 0;
    for (unsigned i = 0; i < 300; i++) {
        uint64_t seed = irgen_seed_mix(base_seed(), 500, i);
        ck_assert_int_eq(irgen_program(&ctx.prog, seed, IRGEN_exits), 0);
        struct ir_func f;
        ir_func_init(&f);
        ck_assert_int_eq(ir_func_copy(&f, &ctx.prog), 0);
        struct diff_case cs = diff_case_of_seed(seed, -1);
        cs.chain = true;
        cs.exit_request = false;
        int rc = diff_check_func(&ctx, &f, &cs, msg, sizeof(msg));
        ir_func_free(&f);
        ck_assert_msg(rc == DIFF_OK, "%s", msg);
        landed += ctx.res[DIFF_ref].cpu.head.pc == IRGEN_LAND_EXIT_PC &&
                  ctx.res[DIFF_ref].reason == IR_EXIT_brk;
    }
    ck_assert_uint_ge(landed, 20);
}
END_TEST

/* Programs that once failed, kept as .fir files in tests/diff/repro. */
START_TEST(diff_repro_files)
{
    DIR *d = opendir(FERRY_DIFF_REPRO_DIR);
    ck_assert_ptr_nonnull(d);
    struct dirent *de;
    unsigned files = 0;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".fir") != 0)
            continue;
        char path[1024], err[512], msg[1024];
        snprintf(path, sizeof(path), "%s/%s", FERRY_DIFF_REPRO_DIR, de->d_name);
        struct ir_module m = {0};
        ck_assert_msg(ir_parse_file(path, &m, err, sizeof(err)) == 0, "%s", err);
        /* the case parameters are in the header comments */
        struct diff_case cs;
        ck_assert_int_eq(diff_case_from_file(path, &cs), 0);
        for (unsigned k = 0; k < m.nfuncs; k++) {
            int rc = diff_check_func(&ctx, &m.funcs[k], &cs, msg, sizeof(msg));
            ck_assert_msg(rc == DIFF_OK, "%s block %u: %s", de->d_name, k, msg);
        }
        ir_module_free(&m);
        files++;
    }
    closedir(d);
    printf("test_diff repro: %u file(s)\n", files);
}
END_TEST

static Suite *diff_suite(void)
{
    Suite *s = suite_create("test_diff");

    TCase *gen = tcase_create("generator");
    tcase_add_test(gen, irgen_same_seed_same_program);
    tcase_add_test(gen, irgen_different_seeds_different_programs);
    tcase_add_test(gen, irgen_covers_every_op_and_edge);
    tcase_add_test(gen, irgen_programs_verify);
    tcase_add_test(gen, irgen_programs_run_on_reference);
    suite_add_tcase(s, gen);

    TCase *harness = tcase_create("harness");
    tcase_add_test(harness, compare_accepts_identical_results);
    tcase_add_loop_test(harness, compare_reports_each_corrupted_field, 0, (int)NCORRUPTIONS);
    suite_add_tcase(s, harness);

    TCase *e2e = tcase_create("harness_end_to_end");
    tcase_add_checked_fixture(e2e, ctx_setup, ctx_teardown);
    tcase_add_test(e2e, check_fails_when_one_run_is_corrupted);
    suite_add_tcase(s, e2e);

    TCase *diff = tcase_create("differential");
    tcase_add_checked_fixture(diff, ctx_setup, ctx_teardown);
    tcase_add_test(diff, diff_mixed);
    tcase_add_test(diff, diff_alu);
    tcase_add_test(diff, diff_memory);
    tcase_add_test(diff, diff_control);
    tcase_add_test(diff, diff_calls);
    tcase_add_test(diff, diff_state);
    tcase_add_test(diff, diff_exits);
    tcase_add_test(diff, diff_compare_tests);
    tcase_add_test(diff, diff_exit_request_stops_before_anything_runs);
    tcase_add_test(diff, diff_chained_and_jump_cache_exits);
    tcase_add_test(diff, diff_repro_files);
    suite_add_tcase(s, diff);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(diff_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
