/* Check suite of the interpreter backend (backend/interp), part 2: helper
 * calls (libffi with 0..6 mixed args, the direct path, the env argument),
 * chaining through patch_jmp, goto_ptr and the jump cache, exit requests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_interp.h"

/* ---- helper calls ---- */

static uint64_t seen[IR_HELPER_MAX_ARGS];
static unsigned seen_n;
static void *seen_env;
static unsigned ncalls;

/* Record the args of a call and return a hash of them. */
static uint64_t record(void *env, unsigned n, const uint64_t *a)
{
    ncalls++;
    seen_env = env;
    seen_n = n;
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned i = 0; i < n; i++) {
        seen[i] = a[i];
        h = (h ^ a[i]) * 0x100000001b3ull;
    }
    return h;
}

static void h0_void(void) { record(NULL, 0, NULL); }
static uint32_t h1_i32(uint32_t a) { return (uint32_t)record(NULL, 1, (uint64_t[]){a}); }
static uint64_t h2_i64(uint64_t a, uint32_t b) { return record(NULL, 2, (uint64_t[]){a, b}); }
static uint32_t h3_i32(uint32_t a, uint64_t b, uint32_t c)
{
    return (uint32_t)record(NULL, 3, (uint64_t[]){a, b, c});
}
static void h4_void(uint64_t a, uint64_t b, uint32_t c, uint32_t d)
{
    record(NULL, 4, (uint64_t[]){a, b, c, d});
}
static uint64_t h5_i64(uint32_t a, uint64_t b, uint32_t c, uint64_t d, uint32_t e)
{
    return record(NULL, 5, (uint64_t[]){a, b, c, d, e});
}
static uint64_t h6_i64(uint64_t a, uint32_t b, uint64_t c, uint32_t d, uint64_t e, uint32_t f)
{
    return record(NULL, 6, (uint64_t[]){a, b, c, d, e, f});
}
static uint32_t h6_env(void *env, uint32_t a, uint64_t b, uint32_t c, uint64_t d, uint32_t e,
                       uint64_t f)
{
    return (uint32_t)record(env, 6, (uint64_t[]){a, b, c, d, e, f});
}
static uint64_t h0_env(void *env) { return record(env, 0, NULL); }
/* all-uint64_t shapes: the direct path */
static uint64_t d0(void) { return record(NULL, 0, NULL); }
static uint64_t d1(uint64_t a) { return record(NULL, 1, (uint64_t[]){a}); }
static void d2_void(uint64_t a, uint64_t b) { record(NULL, 2, (uint64_t[]){a, b}); }
static uint64_t d3_env(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    return record(env, 3, (uint64_t[]){a, b, c});
}
static uint64_t d4(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    return record(NULL, 4, (uint64_t[]){a, b, c, d});
}
static void d4_env_void(void *env, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    record(env, 4, (uint64_t[]){a, b, c, d});
}

#define I32 IR_I32
#define I64 IR_I64
static const struct ir_helper call_helpers[] = {
    {"interp_test_h0_void", (void *)h0_void, IR_VOID, 0, {0}, IR_HF_SIDE},
    {"interp_test_h1_i32", (void *)h1_i32, I32, 1, {I32}, 0},
    {"interp_test_h2_i64", (void *)h2_i64, I64, 2, {I64, I32}, 0},
    {"interp_test_h3_i32", (void *)h3_i32, I32, 3, {I32, I64, I32}, 0},
    {"interp_test_h4_void", (void *)h4_void, IR_VOID, 4, {I64, I64, I32, I32}, IR_HF_SIDE},
    {"interp_test_h5_i64", (void *)h5_i64, I64, 5, {I32, I64, I32, I64, I32}, 0},
    {"interp_test_h6_i64", (void *)h6_i64, I64, 6, {I64, I32, I64, I32, I64, I32}, 0},
    {"interp_test_h6_env", (void *)h6_env, I32, 6, {I32, I64, I32, I64, I32, I64}, IR_HF_ENV},
    {"interp_test_h0_env", (void *)h0_env, I64, 0, {0}, IR_HF_ENV},
    {"interp_test_d0", (void *)d0, I64, 0, {0}, 0},
    {"interp_test_d1", (void *)d1, I64, 1, {I64}, 0},
    {"interp_test_d2_void", (void *)d2_void, IR_VOID, 2, {I64, I64}, IR_HF_SIDE},
    {"interp_test_d3_env", (void *)d3_env, I64, 3, {I64, I64, I64}, IR_HF_ENV},
    {"interp_test_d4", (void *)d4, I64, 4, {I64, I64, I64, I64}, 0},
    {"interp_test_d4_env_void",
     (void *)d4_env_void,
     IR_VOID,
     4,
     {I64, I64, I64, I64},
     IR_HF_ENV | IR_HF_SIDE},
};
#define NHELPERS (sizeof(call_helpers) / sizeof(call_helpers[0]))

/* Arg i of a test call: high bits set, so truncation or sign extension shows. */
static uint64_t arg_value(unsigned i, uint8_t type)
{
    uint64_t v = 0x8000000000000001ull ^ (0x0123456789abcdefull * (i + 1));
    return type == IR_I32 ? (uint32_t)(v | 0x80000000u) : v;
}

/* Call helper h with args from `kind` (0 globals, 1 temps, 2 constants). */
static void check_call(const struct ir_helper *h, unsigned kind)
{
    int id = ir_helper_register(h);
    ck_assert_int_ge(id, 0);
    struct ir_func f;
    func_init(&f, 0x1000);
    ir_ref args[IR_HELPER_MAX_ARGS];
    uint64_t want_args[IR_HELPER_MAX_ARGS];
    for (unsigned i = 0; i < h->nargs; i++) {
        enum ir_type t = (enum ir_type)h->args[i];
        want_args[i] = arg_value(i, h->args[i]);
        ir_ref g = t == IR_I64 ? x64(&f, i) : x32(&f, i);
        if (t == IR_I64)
            cpu->g[i] = want_args[i];
        else
            cpu->w[i] = (uint32_t)want_args[i];
        if (kind == 0) {
            args[i] = g;
        } else if (kind == 1) {
            args[i] = ir_temp(&f, t);
            ir_mov(&f, args[i], g);
        } else {
            args[i] = ir_const(&f, t, want_args[i]);
        }
    }
    ir_ref out = h->ret == IR_VOID ? IR_NONE : res(&f, (enum ir_type)h->ret, 0);
    ir_call(&f, id, out, args);
    ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
    cpu->r64[0] = cpu->r32[0] = 0xdead;
    ncalls = 0;
    seen_env = (void *)1;
    run_block(&f, IR_EXIT_halt);
    ck_assert_uint_eq(ncalls, 1);
    ck_assert_uint_eq(seen_n, h->nargs);
    ck_assert_ptr_eq(seen_env, (h->flags & IR_HF_ENV) ? (void *)cpu : NULL);
    for (unsigned i = 0; i < h->nargs; i++)
        ck_assert_msg(seen[i] == want_args[i], "%s arg %u: 0x%llx, expected 0x%llx", h->name, i,
                      (unsigned long long)seen[i], (unsigned long long)want_args[i]);
    uint64_t hash = 0xcbf29ce484222325ull;
    for (unsigned i = 0; i < h->nargs; i++)
        hash = (hash ^ want_args[i]) * 0x100000001b3ull;
    if (h->ret == IR_I64)
        ck_assert_uint_eq(cpu->r64[0], hash);
    else if (h->ret == IR_I32)
        ck_assert_uint_eq(cpu->r32[0], (uint32_t)hash);
    else
        ck_assert_uint_eq(cpu->r64[0], 0xdead);
}

START_TEST(test_call_through_libffi)
{
    interp_set_direct_calls(st, false);
    for (unsigned i = 0; i < NHELPERS; i++)
        for (unsigned kind = 0; kind < 3; kind++)
            check_call(&call_helpers[i], kind);
}
END_TEST

START_TEST(test_call_direct_paths)
{
    interp_set_direct_calls(st, true);
    for (unsigned i = 0; i < NHELPERS; i++)
        for (unsigned kind = 0; kind < 3; kind++)
            check_call(&call_helpers[i], kind);
}
END_TEST

/* The direct path is taken exactly for the all-uint64_t shapes of <= 4 args,
 * and switching it off affects calls already prepared. */
START_TEST(test_call_direct_shape_selection)
{
    struct interp_state *s = st;
    char err[128];
    for (unsigned i = 0; i < NHELPERS; i++) {
        int id = ir_helper_register(&call_helpers[i]);
        const struct interp_call *c = interp_call_get(s, id, err, sizeof(err));
        ck_assert_ptr_nonnull(c);
        bool all64 = call_helpers[i].ret != IR_I32 && call_helpers[i].nargs <= 4;
        for (unsigned k = 0; k < call_helpers[i].nargs; k++)
            all64 = all64 && call_helpers[i].args[k] == IR_I64;
        ck_assert_msg(c->direct == (all64 ? INTERP_DIRECT_U64 : INTERP_DIRECT_NONE), "%s",
                      call_helpers[i].name);
        interp_set_direct_calls(st, false);
        ck_assert_uint_eq(c->direct, INTERP_DIRECT_NONE);
        interp_set_direct_calls(st, true);
    }
    ck_assert_ptr_null(interp_call_get(s, 1000000, err, sizeof(err)));
}
END_TEST

/* ---- chaining, the jump cache, exit requests ---- */

/* pc 0x2000: x1 += 10; exit 0x3000, halt */
static void build_target(struct ir_func *f)
{
    func_init(f, 0x2000);
    ir_insn_start(f, 0x2000);
    ir_emit_1_2(f, IR_OP_add, x64(f, 1), x64(f, 1), c64(f, 10));
    ir_exit(f, IR_EXIT_halt, c64(f, 0x3000));
}

START_TEST(test_goto_tb_unchained_exits_with_chain)
{
    struct ir_func fa, fb;
    func_init(&fa, 0x1000);
    ir_mov(&fa, x64(&fa, 0), c64(&fa, 1));
    ir_goto_tb(&fa, 0x2000);
    build_target(&fb);
    struct tb a, b;
    compile_ok(&fa, &a);
    compile_ok(&fb, &b);
    ck_assert_uint_eq(a.njmp, 1);
    ck_assert_uint_eq(a.jmp[0].dest_pc, 0x2000);
    ck_assert_uint_eq(run(&a), IR_EXIT_chain);
    ck_assert_uint_eq(cpu->head.pc, 0x2000);
    ck_assert_ptr_eq(cpu->head.last_tb, &a);
    ck_assert_uint_eq(cpu->head.last_slot, 0);
    ck_assert_uint_eq(cpu->g[0], 1);
    ck_assert_uint_eq(cpu->g[1], 0);
    free(a.pcmap);
    free(b.pcmap);
    ir_func_free(&fa);
    ir_func_free(&fb);
}
END_TEST

START_TEST(test_patch_jmp_chains_and_unchains)
{
    struct ir_func fa, fb;
    func_init(&fa, 0x1000);
    uint32_t other = ir_new_label(&fa);
    ir_brcond(&fa, IR_COND_ne, x64(&fa, 0), c64(&fa, 0), other);
    ir_goto_tb(&fa, 0x4000);
    ir_set_label(&fa, other);
    ir_goto_tb(&fa, 0x2000);
    build_target(&fb);
    struct tb a, b;
    compile_ok(&fa, &a);
    compile_ok(&fb, &b);
    ck_assert_uint_eq(a.njmp, 2);
    ck_assert_uint_eq(a.jmp[0].dest_pc, 0x4000);
    ck_assert_uint_eq(a.jmp[1].dest_pc, 0x2000);
    ck_assert_uint_eq((uintptr_t)(a.code + a.jmp[1].patch_off) % 8, 0);

    cpu->g[0] = 1; /* take slot 1 */
    ck_assert_uint_eq(run(&a), IR_EXIT_chain);
    ck_assert_uint_eq(cpu->head.last_slot, 1);
    ck_assert_uint_eq(cpu->head.pc, 0x2000);

    be->patch_jmp(st, &cb, &a, 1, &b);
    const struct tb *chained;
    memcpy(&chained, a.code + a.jmp[1].patch_off, sizeof(chained));
    ck_assert_ptr_eq(chained, &b);
    ck_assert_uint_eq(run(&a), IR_EXIT_halt);
    ck_assert_uint_eq(cpu->head.pc, 0x3000);
    ck_assert_uint_eq(cpu->g[1], 10);

    cpu->g[0] = 0; /* slot 0 is still unchained */
    ck_assert_uint_eq(run(&a), IR_EXIT_chain);
    ck_assert_uint_eq(cpu->head.last_slot, 0);
    ck_assert_uint_eq(cpu->head.pc, 0x4000);

    cpu->g[0] = 1;
    be->patch_jmp(st, &cb, &a, 1, NULL);
    ck_assert_uint_eq(run(&a), IR_EXIT_chain);
    ck_assert_uint_eq(cpu->head.last_slot, 1);
    ck_assert_uint_eq(cpu->g[1], 10);
    free(a.pcmap);
    free(b.pcmap);
    ir_func_free(&fa);
    ir_func_free(&fb);
}
END_TEST

/* A block chained to itself loops inside exec until it exits. */
START_TEST(test_block_chained_to_itself_loops_inside_exec)
{
    struct ir_func f;
    func_init(&f, 0x1000);
    uint32_t done = ir_new_label(&f);
    ir_emit_1_2(&f, IR_OP_sub, x64(&f, 0), x64(&f, 0), c64(&f, 1));
    ir_emit_1_2(&f, IR_OP_add, x64(&f, 1), x64(&f, 1), x64(&f, 0));
    ir_brcond(&f, IR_COND_eq, x64(&f, 0), c64(&f, 0), done);
    ir_goto_tb(&f, 0x1000);
    ir_set_label(&f, done);
    ir_exit(&f, IR_EXIT_halt, c64(&f, 0x5000));
    struct tb tb;
    compile_ok(&f, &tb);
    be->patch_jmp(st, &cb, &tb, 0, &tb);
    cpu->g[0] = 1000;
    ck_assert_uint_eq(run(&tb), IR_EXIT_halt);
    ck_assert_uint_eq(cpu->g[0], 0);
    ck_assert_uint_eq(cpu->g[1], 999 * 1000 / 2);
    ck_assert_uint_eq(cpu->head.pc, 0x5000);
    free(tb.pcmap);
    ir_func_free(&f);
}
END_TEST

START_TEST(test_goto_ptr_hit_and_miss)
{
    struct ir_func fp, fb;
    func_init(&fp, 0x1000);
    ir_goto_ptr(&fp, x64(&fp, 2));
    build_target(&fb);
    struct tb p, b;
    compile_ok(&fp, &p);
    compile_ok(&fb, &b);
    cpu->g[2] = 0x2000;
    cpu->head.flags = 5;

    ck_assert_uint_eq(run(&p), IR_EXIT_lookup); /* empty cache */
    ck_assert_uint_eq(cpu->head.pc, 0x2000);

    struct jc_entry *e = &jc[jc_hash(0x2000)];
    *e = (struct jc_entry){0x2000, 5, b.code, &b};
    ck_assert_uint_eq(run(&p), IR_EXIT_halt);
    ck_assert_uint_eq(cpu->head.pc, 0x3000);
    ck_assert_uint_eq(cpu->g[1], 10);

    e->flags = 4; /* other cpu mode */
    ck_assert_uint_eq(run(&p), IR_EXIT_lookup);
    ck_assert_uint_eq(cpu->head.pc, 0x2000);
    e->flags = 5;
    e->tb = NULL;
    ck_assert_uint_eq(run(&p), IR_EXIT_lookup);
    e->tb = &b;
    cpu->g[2] = 0x2000 + (JC_SIZE << 1); /* same hash bucket? different pc anyway */
    ck_assert_uint_eq(run(&p), IR_EXIT_lookup);
    ck_assert_uint_eq(cpu->head.pc, 0x2000 + (JC_SIZE << 1));
    ck_assert_uint_eq(cpu->g[1], 10);
    free(p.pcmap);
    free(b.pcmap);
    ir_func_free(&fp);
    ir_func_free(&fb);
}
END_TEST

/* An i32 pc is zero-extended (goto_ptr, exit). */
START_TEST(test_i32_pc_is_zero_extended)
{
    struct ir_func f;
    func_init(&f, 0x1000);
    ir_goto_ptr(&f, x32(&f, 0));
    struct tb tb;
    compile_ok(&f, &tb);
    cpu->w[0] = 0x80002000u;
    ck_assert_uint_eq(run(&tb), IR_EXIT_lookup);
    ck_assert_uint_eq(cpu->head.pc, 0x80002000u);
    free(tb.pcmap);
    ir_func_free(&f);

    func_init(&f, 0x1000);
    ir_exit(&f, IR_EXIT_syscall, ir_const(&f, IR_I32, 0xfffffff0u));
    run_block(&f, IR_EXIT_syscall);
    ck_assert_uint_eq(cpu->head.pc, 0xfffffff0u);
}
END_TEST

START_TEST(test_exit_request_at_block_entry)
{
    struct ir_func f;
    build_target(&f);
    struct tb tb;
    compile_ok(&f, &tb);
    cpu->head.exit_request = 1;
    ck_assert_uint_eq(run(&tb), IR_EXIT_request);
    ck_assert_uint_eq(cpu->head.pc, 0x2000);
    ck_assert_uint_eq(cpu->g[1], 0);
    cpu->head.exit_request = 0;
    ck_assert_uint_eq(run(&tb), IR_EXIT_halt);
    ck_assert_uint_eq(cpu->g[1], 10);
    free(tb.pcmap);
    ir_func_free(&f);
}
END_TEST

static void h_request_exit(void *env) { ((struct cpu_head *)env)->exit_request = 1; }
static const struct ir_helper helper_request_exit = {
    "interp_test_request_exit", (void *)h_request_exit, IR_VOID, 0, {0}, IR_HF_ENV | IR_HF_SIDE};

/* A request raised while a block runs stops at the next (chained) block entry. */
START_TEST(test_exit_request_stops_chained_block)
{
    int id = ir_helper_register(&helper_request_exit);
    ck_assert_int_ge(id, 0);
    struct ir_func fa, fb;
    func_init(&fa, 0x1000);
    ir_call(&fa, id, IR_NONE, NULL);
    ir_mov(&fa, x64(&fa, 0), c64(&fa, 1));
    ir_goto_tb(&fa, 0x2000);
    build_target(&fb);
    struct tb a, b;
    compile_ok(&fa, &a);
    compile_ok(&fb, &b);
    be->patch_jmp(st, &cb, &a, 0, &b);
    ck_assert_uint_eq(run(&a), IR_EXIT_request);
    ck_assert_uint_eq(cpu->head.pc, 0x2000);
    ck_assert_uint_eq(cpu->g[0], 1);
    ck_assert_uint_eq(cpu->g[1], 0);
    free(a.pcmap);
    free(b.pcmap);
    ir_func_free(&fa);
    ir_func_free(&fb);
}
END_TEST

void interp_flow_tests(Suite *s)
{
    TCase *calls = tcase_create("calls");
    tcase_add_checked_fixture(calls, setup, teardown);
    tcase_add_test(calls, test_call_through_libffi);
    tcase_add_test(calls, test_call_direct_paths);
    tcase_add_test(calls, test_call_direct_shape_selection);
    suite_add_tcase(s, calls);

    TCase *flow = tcase_create("flow");
    tcase_add_checked_fixture(flow, setup, teardown);
    tcase_add_test(flow, test_goto_tb_unchained_exits_with_chain);
    tcase_add_test(flow, test_patch_jmp_chains_and_unchains);
    tcase_add_test(flow, test_block_chained_to_itself_loops_inside_exec);
    tcase_add_test(flow, test_goto_ptr_hit_and_miss);
    tcase_add_test(flow, test_i32_pc_is_zero_extended);
    tcase_add_test(flow, test_exit_request_at_block_entry);
    tcase_add_test(flow, test_exit_request_stops_chained_block);
    suite_add_tcase(s, flow);
}
