/* irvm cases: the .fir programs of this directory (TCG_TEST_DIR) run through
 * the parser, the optimizer, the cache and each backend. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel/tcg/irvm.h"
#include "tcg_test.h"

#ifndef TCG_TEST_DIR
#error "TCG_TEST_DIR must name the directory of the .fir programs"
#endif

static struct ir_module M;
static struct irvm *VM;

static void fir_load(const char *file)
{
    char path[1024], err[256];
    snprintf(path, sizeof(path), "%s/%s", TCG_TEST_DIR, file);
    int r = ir_parse_file(path, &M, err, sizeof(err));
    ck_assert_msg(r == 0, "parsing %s: %s", path, err);
}

static void vm_start_opts(int be, struct irvm_options *o)
{
    char err[256];
    o->backend_ops = test_backends[be].ops;
    VM = irvm_new(&M, o, err, sizeof(err));
    ck_assert_msg(VM != NULL, "irvm_new on %s: %s", test_backends[be].name, err);
}

static void vm_start(int be)
{
    struct irvm_options o;
    irvm_options_default(&o);
    vm_start_opts(be, &o);
}

static void vm_stop(void)
{
    assert_cache_consistent(irvm_tcg(VM), &irvm_cpu(VM)->head);
    irvm_free(VM);
    VM = NULL;
    ir_module_free(&M);
}

static uint64_t global(const char *name)
{
    uint64_t v = 0;
    ck_assert_msg(irvm_get_global(VM, name, &v) == 0, "no global %s", name);
    return v;
}

static unsigned vm_run(void)
{
    unsigned r = irvm_run(VM);
    ck_assert_msg(r != TCG_EXIT_ERROR, "irvm_run: %s", irvm_errmsg(VM));
    return r;
}

START_TEST(irvm_sum_loop_second_run_makes_no_chain_exits)
{
    fir_load("sum_loop.fir");
    vm_start(_i);
    struct tcg_ctx *t = irvm_tcg(VM);
    ck_assert_int_eq(irvm_set_global(VM, "n", 100), 0);
    ck_assert_uint_eq(vm_run(), IR_EXIT_halt);
    ck_assert_uint_eq(global("sum"), 5050);
    ck_assert_uint_eq(t->stats.chains, 3);
    uint64_t chain_exits = t->stats.exits[IR_EXIT_chain];
    ck_assert_uint_eq(chain_exits, 3);
    ck_assert_int_eq(irvm_set_global(VM, "n", 1000), 0);
    ck_assert_uint_eq(vm_run(), IR_EXIT_halt);
    ck_assert_uint_eq(global("sum"), 500500);
    ck_assert_uint_eq(t->stats.exits[IR_EXIT_chain], chain_exits);

    char buf[512] = "";
    FILE *out = fmemopen(buf, sizeof(buf) - 1, "w");
    irvm_print_globals(VM, out);
    fclose(out);
    ck_assert_msg(strstr(buf, "sum = 0x7a314 (500500)\n"), "globals printed: %s", buf);
    ck_assert_msg(strstr(buf, "n = 0x3e8 (1000)\n"), "globals printed: %s", buf);
    vm_stop();
}
END_TEST

/* ---- the return-address hint and tiered translation ---- */

START_TEST(irvm_calls_fill_return_cells_then_hit)
{
    fir_load("calls.fir");
    vm_start(_i);
    struct tcg_ctx *t = irvm_tcg(VM);
    ck_assert_int_eq(irvm_set_global(VM, "n", 10), 0);
    ck_assert_uint_eq(vm_run(), IR_EXIT_halt);
    ck_assert_uint_eq(global("acc"), 60);
    struct tb *a = tcg_find_tb(t, 0x1000, 0), *b = tcg_find_tb(t, 0x1008, 0);
    struct tb *c = tcg_find_tb(t, 0x1010, 0);
    if (test_is_jit(_i)) { /* each call site's cell enters its return block */
        ck_assert_uint_eq(t->stats.ret_fills, 2);
        ck_assert_ptr_eq(a->ret_host, b->code);
        ck_assert_ptr_eq(a->ret_tb, b);
        ck_assert_ptr_eq(b->ret_tb, c);
    } else { /* the interpreter ignores the hint */
        ck_assert_uint_eq(t->stats.ret_fills, 0);
    }
    uint64_t lookups = t->stats.exits[IR_EXIT_lookup];
    ck_assert_int_eq(irvm_set_global(VM, "n", 10), 0);
    ck_assert_uint_eq(vm_run(), IR_EXIT_halt);
    ck_assert_uint_eq(global("acc"), 120);
    ck_assert_uint_eq(t->stats.exits[IR_EXIT_lookup], lookups); /* every return hit */
    vm_stop();
}
END_TEST

START_TEST(irvm_invalidated_return_block_empties_the_cell)
{
    fir_load("calls.fir");
    vm_start(_i);
    struct tcg_ctx *t = irvm_tcg(VM);
    ck_assert_int_eq(irvm_set_global(VM, "n", 3), 0);
    ck_assert_uint_eq(vm_run(), IR_EXIT_halt);
    struct tb *a = tcg_find_tb(t, 0x1000, 0), *b = tcg_find_tb(t, 0x1008, 0);
    tcg_invalidate_tb(t, b);
    ck_assert_ptr_null(a->ret_tb);
    ck_assert_ptr_ne(a->ret_host, b->code); /* never enters the stale code */
    if (test_is_jit(_i))
        ck_assert_ptr_eq(a->ret_host, TB_RET_EMPTY);
    ck_assert_int_eq(irvm_set_global(VM, "n", 3), 0);
    ck_assert_uint_eq(vm_run(), IR_EXIT_halt);
    ck_assert_uint_eq(global("acc"), 36);
    struct tb *b2 = tcg_find_tb(t, 0x1008, 0);
    ck_assert_ptr_ne(b2, b);
    if (test_is_jit(_i)) { /* refilled with the new block */
        ck_assert_ptr_eq(a->ret_tb, b2);
        ck_assert_ptr_eq(a->ret_host, b2->code);
    }
    vm_stop();
}
END_TEST

/* site A pushes 0x1008 but returns to 0x1010: the hint misses, the jump cache
 * (or the loop) takes the return where it really goes */
static const char wrong_return[] = "global n:i64 @0x40\n"
                                   "global lr:i64 @0x48\n"
                                   "global acc:i64 @0x50\n"
                                   "block 0x1000\n"
                                   "  insn_start 0x1000\n"
                                   "  brcond.i64 n, 0, eq, L0\n"
                                   "  mov.i64 lr, 0x1010\n"
                                   "  ras_push 0x1008\n"
                                   "  goto_tb 0x2000\n"
                                   "L0:\n"
                                   "  exit 0x1000, halt\n"
                                   "block 0x1008\n"
                                   "  insn_start 0x1008\n"
                                   "  exit 0x1008, brk\n"
                                   "block 0x1010\n"
                                   "  insn_start 0x1010\n"
                                   "  sub.i64 n, n, 1\n"
                                   "  goto_tb 0x1000\n"
                                   "block 0x2000\n"
                                   "  insn_start 0x2000\n"
                                   "  add.i64 acc, acc, 3\n"
                                   "  goto_ret lr\n";

START_TEST(irvm_return_elsewhere_ignores_the_hint)
{
    char err[256];
    ck_assert_msg(ir_parse(wrong_return, "wrong", &M, err, sizeof(err)) == 0, "%s", err);
    vm_start(_i);
    ck_assert_int_eq(irvm_set_global(VM, "n", 20), 0);
    ck_assert_uint_eq(vm_run(), IR_EXIT_halt);
    ck_assert_uint_eq(global("acc"), 60);
    ck_assert_uint_eq(irvm_tcg(VM)->stats.ret_fills, 0);
    vm_stop();
}
END_TEST

START_TEST(irvm_tiered_blocks_optimize_on_the_nth_entry)
{
    fir_load("sum_loop.fir");
    struct irvm_options o;
    irvm_options_default(&o);
    o.tier_up = 4;
    vm_start_opts(_i, &o);
    struct tcg_ctx *t = irvm_tcg(VM);
    ck_assert_int_eq(irvm_set_global(VM, "n", 100), 0);
    ck_assert_uint_eq(vm_run(), IR_EXIT_halt);
    ck_assert_uint_eq(global("sum"), 5050);
    ck_assert_uint_eq(t->stats.tier_ups, 2); /* the loop test and body */
    ck_assert_uint_eq(tcg_find_tb(t, 0x1000, 0)->cold, 1); /* ran once */
    ck_assert_uint_eq(tcg_find_tb(t, 0x1010, 0)->cold, 0);
    ck_assert_uint_eq(tcg_find_tb(t, 0x1020, 0)->cold, 0);
    uint64_t chain_exits = t->stats.exits[IR_EXIT_chain];
    ck_assert_int_eq(irvm_set_global(VM, "n", 1000), 0);
    ck_assert_uint_eq(vm_run(), IR_EXIT_halt);
    ck_assert_uint_eq(global("sum"), 500500);
    /* the optimized loop is chained: only the cold entry block's jump exits */
    ck_assert_uint_le(t->stats.exits[IR_EXIT_chain], chain_exits + 1);
    ck_assert_uint_eq(t->stats.tier_ups, 2);
    vm_stop();
}
END_TEST

START_TEST(irvm_goto_ptr_dispatch_misses_each_target_once)
{
    static const uint8_t bytecode[] = {1, 2, 1, 2, 2, 1, 0}; /* ((1*2+1)*2*2)+1 = 13 */
    fir_load("dispatch.fir");
    vm_start(_i);
    struct tcg_ctx *t = irvm_tcg(VM);
    memcpy(irvm_mem(VM) + 0x200, bytecode, sizeof(bytecode));
    ck_assert_uint_eq(vm_run(), IR_EXIT_halt);
    ck_assert_uint_eq(global("acc"), 13);
    ck_assert_uint_eq(global("ip"), 0x207);
    ck_assert_uint_eq(t->stats.exits[IR_EXIT_lookup], 3);
    ck_assert_uint_eq(vm_run(), IR_EXIT_halt);
    ck_assert_uint_eq(global("acc"), 13);
    ck_assert_uint_eq(t->stats.exits[IR_EXIT_lookup], 3);
    vm_stop();
}
END_TEST

static const char doubled_body[] = "global n:i64 @0x40\n"
                                   "global i:i64 @0x48\n"
                                   "global sum:i64 @0x50\n"
                                   "block 0x1020\n"
                                   "  insn_start 0x1020\n"
                                   "  add.i64 sum, sum, i\n"
                                   "  add.i64 sum, sum, i\n"
                                   "  insn_start 0x1024\n"
                                   "  add.i64 i, i, 1\n"
                                   "  goto_tb 0x1010\n";

START_TEST(irvm_invalidated_block_runs_its_new_text)
{
    fir_load("sum_loop.fir");
    vm_start(_i);
    struct tcg_ctx *t = irvm_tcg(VM);
    ck_assert_int_eq(irvm_set_global(VM, "n", 10), 0);
    ck_assert_uint_eq(vm_run(), IR_EXIT_halt);
    ck_assert_uint_eq(global("sum"), 55);
    struct tb *test = tcg_find_tb(t, 0x1010, 0), *body = tcg_find_tb(t, 0x1020, 0);
    ck_assert_ptr_nonnull(body);
    ck_assert_ptr_eq(test->jmp[0].dest, body);

    struct ir_module m2;
    char err[256];
    ck_assert_msg(ir_parse(doubled_body, "doubled", &m2, err, sizeof(err)) == 0, "%s", err);
    unsigned k = 0;
    while (k < M.nfuncs && M.funcs[k].pc != 0x1020)
        k++;
    ck_assert_uint_lt(k, M.nfuncs);
    struct ir_func tmp = M.funcs[k];
    M.funcs[k] = m2.funcs[0];
    m2.funcs[0] = tmp;

    /* the cache still holds the old translation until told */
    ck_assert_uint_eq(vm_run(), IR_EXIT_halt);
    ck_assert_uint_eq(global("sum"), 55);

    ck_assert_uint_eq(tcg_invalidate_range(t, 0x1020, 0x1024), 1);
    ck_assert(body->invalid);
    ck_assert_ptr_null(test->jmp[0].dest);
    ck_assert_uint_eq(vm_run(), IR_EXIT_halt);
    ck_assert_uint_eq(global("sum"), 110);
    ck_assert_ptr_ne(test->jmp[0].dest, body);
    ck_assert_ptr_nonnull(test->jmp[0].dest);
    vm_stop();
    ir_module_free(&m2);
}
END_TEST

START_TEST(irvm_missing_block_is_a_clear_error)
{
    fir_load("missing.fir");
    vm_start(_i);
    ck_assert_uint_eq(irvm_run(VM), TCG_EXIT_ERROR);
    ck_assert_msg(strstr(irvm_errmsg(VM), "no block at pc 0x2000"), "%s", irvm_errmsg(VM));
    ck_assert_uint_eq(irvm_cpu(VM)->head.pc, 0x2000);
    ck_assert_uint_eq(global("a"), 7);
    vm_stop();
}
END_TEST

START_TEST(irvm_exit_request_from_helper)
{
    fir_load("request.fir");
    vm_start(_i);
    for (int run = 0; run < 2; run++) { /* unchained, then chained */
        ck_assert_uint_eq(vm_run(), IR_EXIT_request);
        ck_assert_uint_eq(irvm_cpu(VM)->head.pc, 0x1010);
        ck_assert_int_eq(irvm_cpu(VM)->head.exit_request, 0);
        ck_assert_uint_eq(global("a"), 1);
        ck_assert_uint_eq(irvm_resume(VM), IR_EXIT_halt);
        ck_assert_uint_eq(global("a"), 2);
    }
    ck_assert_uint_eq(irvm_tcg(VM)->stats.chains, 1);
    vm_stop();
}
END_TEST

START_TEST(irvm_same_pc_two_modes)
{
    fir_load("modes.fir");
    vm_start(_i);
    ck_assert_uint_eq(vm_run(), IR_EXIT_halt);
    ck_assert_uint_eq(global("x"), 1);
    ck_assert_uint_eq(global("y"), 2);
    ck_assert_uint_eq(irvm_cpu(VM)->head.flags, 1);
    struct tb *t0 = tcg_find_tb(irvm_tcg(VM), 0x1000, 0),
              *t1 = tcg_find_tb(irvm_tcg(VM), 0x1000, 1);
    ck_assert_ptr_nonnull(t0);
    ck_assert_ptr_nonnull(t1);
    ck_assert_ptr_ne(t0, t1);
    vm_stop();
}
END_TEST

static uint64_t ref_mix64(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ (b * 0x9e3779b97f4a7c15ull);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

START_TEST(irvm_demo_helpers_print_and_mix)
{
    fir_load("hello.fir");
    char buf[64] = "";
    FILE *out = fmemopen(buf, sizeof(buf) - 1, "w");
    struct irvm_options o;
    irvm_options_default(&o);
    o.out = out;
    vm_start_opts(_i, &o);
    ck_assert_uint_eq(vm_run(), IR_EXIT_halt);
    fclose(out);
    ck_assert_str_eq(buf, "Hi\n");
    ck_assert_uint_eq(global("h"), ref_mix64(1, 2));
    vm_stop();
}
END_TEST

static void expect_rejected(const char *text, const char *what)
{
    struct ir_module m;
    char err[256];
    ck_assert_msg(ir_parse(text, "bad", &m, err, sizeof(err)) == 0, "%s", err);
    struct irvm_options o;
    irvm_options_default(&o);
    o.backend = "interp";
    struct irvm *vm = irvm_new(&m, &o, err, sizeof(err));
    ck_assert_ptr_null(vm);
    ck_assert_msg(strstr(err, what), "message '%s' should say '%s'", err, what);
    ir_module_free(&m);
}

START_TEST(irvm_rejects_globals_outside_the_state)
{
    expect_rejected("global bad:i64 @0x8\nblock 0x1000\n  mov.i64 bad, 1\n  exit 0x1000, halt\n",
                    "outside the irvm state");
    expect_rejected("global bad:i64 @0x1000\nblock 0x1000\n  mov.i64 bad, 1\n  exit 0x1000, halt\n",
                    "outside the irvm state");
}
END_TEST

START_TEST(irvm_rejects_unknown_backend)
{
    ck_assert_int_eq(ir_parse("block 0x1000\n  exit 0x1000, halt\n", "t", &M, NULL, 0), 0);
    struct irvm_options o;
    irvm_options_default(&o);
    o.backend = "nope";
    char err[256] = "";
    ck_assert_ptr_null(irvm_new(&M, &o, err, sizeof(err)));
    ck_assert_msg(strstr(err, "unknown backend 'nope'"), "%s", err);
    ir_module_free(&M);
}
END_TEST

void add_irvm_tests(Suite *s)
{
    TCase *tc = tcase_create("irvm");
    tcase_add_loop_test(tc, irvm_sum_loop_second_run_makes_no_chain_exits, 0, test_nbackends);
    tcase_add_loop_test(tc, irvm_goto_ptr_dispatch_misses_each_target_once, 0, test_nbackends);
    tcase_add_loop_test(tc, irvm_calls_fill_return_cells_then_hit, 0, test_nbackends);
    tcase_add_loop_test(tc, irvm_invalidated_return_block_empties_the_cell, 0, test_nbackends);
    tcase_add_loop_test(tc, irvm_return_elsewhere_ignores_the_hint, 0, test_nbackends);
    tcase_add_loop_test(tc, irvm_tiered_blocks_optimize_on_the_nth_entry, 0, test_nbackends);
    tcase_add_loop_test(tc, irvm_invalidated_block_runs_its_new_text, 0, test_nbackends);
    tcase_add_loop_test(tc, irvm_missing_block_is_a_clear_error, 0, test_nbackends);
    tcase_add_loop_test(tc, irvm_exit_request_from_helper, 0, test_nbackends);
    tcase_add_loop_test(tc, irvm_same_pc_two_modes, 0, test_nbackends);
    tcase_add_loop_test(tc, irvm_demo_helpers_print_and_mix, 0, test_nbackends);
    tcase_add_test(tc, irvm_rejects_globals_outside_the_state);
    tcase_add_test(tc, irvm_rejects_unknown_backend);
    suite_add_tcase(s, tc);
}
