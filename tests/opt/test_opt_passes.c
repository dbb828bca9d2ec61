/* test_opt: builder-based cases for the tricky parts of each pass: non-SSA
 * reassignment, label resets, calls that clobber globals, state forwarding
 * exactness, dead stores, loops and globals' liveness in dce. */
#include "test_opt.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* The `n`-th insn (after passes: index n). */
static const struct ir_insn *at(uint32_t n)
{
    ck_assert_msg(n < F.ninsns, "no insn %u in\n%s", n, opt_text(&F));
    return &F.insns[n];
}

static bool is_movi(const struct ir_insn *in, ir_ref d, uint64_t v)
{
    return in->op == IR_OP_mov && ir_out(in, 0) == d && ir_is_const(&F, ir_in(in, 0)) &&
           ir_val(&F, ir_in(in, 0))->c == v;
}

/* ---- constfold ---- */

START_TEST(constfold_folds_chain)
{
    ir_movi(&F, T64[0], 5);
    ir_emit_1_2(&F, IR_OP_add, T64[1], T64[0], c64(3));
    ir_emit_1_2(&F, IR_OP_shl, G0, T64[1], c64(2));
    ir_goto_tb(&F, 0x1004);
    ck_assert_int_eq(opt_run_checked(IR_PASS_constfold), 1);
    ck_assert_msg(is_movi(at(2), G0, 32), "%s", opt_text(&F));
}
END_TEST

START_TEST(constfold_reassignment_kills_constant)
{
    ir_movi(&F, T64[0], 5);
    ir_emit_1_2(&F, IR_OP_add, G0, T64[0], c64(1));
    ir_mov(&F, T64[0], G1); /* t0 is no longer 5 */
    ir_emit_1_2(&F, IR_OP_add, G2, T64[0], c64(1));
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_constfold);
    ck_assert(is_movi(at(1), G0, 6));
    ck_assert_int_eq(at(3)->op, IR_OP_add);
    ck_assert_uint_eq(ir_in(at(3), 0), T64[0]);
}
END_TEST

START_TEST(constfold_i32_wraps)
{
    ir_emit_1_2(&F, IR_OP_add, W0, c32(0xffffffff), c32(2));
    ir_emit_1_2(&F, IR_OP_sub, W1, c32(0), c32(1));
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_constfold);
    ck_assert(is_movi(at(0), W0, 1));
    ck_assert(is_movi(at(1), W1, 0xffffffff));
}
END_TEST

START_TEST(constfold_label_resets)
{
    uint32_t l = ir_new_label(&F);
    ir_movi(&F, T64[0], 5);
    ir_brcond(&F, IR_COND_eq, G0, c64(0), l);
    ir_movi(&F, T64[0], 6);
    ir_set_label(&F, l); /* t0 is 5 or 6 here */
    ir_emit_1_2(&F, IR_OP_add, G1, T64[0], c64(1));
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_constfold);
    ck_assert_int_eq(at(4)->op, IR_OP_add);
    ck_assert_uint_eq(ir_in(at(4), 0), T64[0]);
}
END_TEST

START_TEST(constfold_unreferenced_label_keeps_state)
{
    uint32_t l = ir_new_label(&F);
    ir_movi(&F, T64[0], 5);
    ir_set_label(&F, l); /* no branch goes here: only fallthrough */
    ir_emit_1_2(&F, IR_OP_add, G1, T64[0], c64(1));
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_constfold);
    ck_assert(is_movi(at(2), G1, 6));
}
END_TEST

START_TEST(constfold_call_writing_globals_forgets_them)
{
    ir_ref arg = c64(1);
    ir_movi(&F, G1, 7);
    ir_movi(&F, T64[0], 9);
    ir_call(&F, HID->wr, IR_NONE, &arg); /* may change g1, not t0 */
    ir_emit_1_2(&F, IR_OP_add, G2, G1, c64(1));
    ir_emit_1_2(&F, IR_OP_add, G3, T64[0], c64(1));
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_constfold);
    ck_assert_int_eq(at(3)->op, IR_OP_add);
    ck_assert(is_movi(at(4), G3, 10));
}
END_TEST

START_TEST(constfold_call_reading_globals_keeps_them)
{
    ir_ref arg = c64(1);
    ir_movi(&F, G1, 7);
    ir_call(&F, HID->rd, T64[0], &arg);
    ir_emit_1_2(&F, IR_OP_add, G2, G1, c64(1));
    ir_emit_1_2(&F, IR_OP_add, G3, T64[0], c64(1)); /* call output: unknown */
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_constfold);
    ck_assert(is_movi(at(2), G2, 8));
    ck_assert_int_eq(at(3)->op, IR_OP_add);
}
END_TEST

START_TEST(constfold_brcond_taken_becomes_br)
{
    uint32_t l = ir_new_label(&F), m = ir_new_label(&F);
    ir_brcond(&F, IR_COND_eq, G1, c64(0), m);
    ir_movi(&F, T64[0], 3);
    ir_brcond(&F, IR_COND_ltu, T64[0], c64(4), l);
    ir_movi(&F, G0, 1); /* unreachable once the branch is known taken */
    ir_exit(&F, IR_EXIT_syscall, c64(0x1004));
    ir_set_label(&F, m);
    ir_exit(&F, IR_EXIT_undef, c64(0x1008));
    ir_set_label(&F, l);
    ir_goto_tb(&F, 0x100c);
    opt_run_checked(IR_PASS_constfold);
    ck_assert_msg(F.ninsns == 7, "%s", opt_text(&F));
    ck_assert_int_eq(at(2)->op, IR_OP_br);
    ck_assert_int_eq(at(3)->op, IR_OP_set_label);
}
END_TEST

START_TEST(constfold_brcond_taken_to_next_label_disappears)
{
    uint32_t l = ir_new_label(&F);
    ir_movi(&F, T64[0], 3);
    ir_brcond(&F, IR_COND_ltu, T64[0], c64(4), l);
    ir_movi(&F, G0, 1);
    ir_exit(&F, IR_EXIT_syscall, c64(0x1004));
    ir_set_label(&F, l); /* no other branch: t0 is still known after it */
    ir_emit_1_2(&F, IR_OP_add, G1, T64[0], c64(1));
    ir_goto_tb(&F, 0x1008);
    opt_run_checked(IR_PASS_constfold);
    ck_assert_msg(F.ninsns == 4, "%s", opt_text(&F));
    ck_assert_int_eq(opt_count_op(&F, IR_OP_br) + opt_count_op(&F, IR_OP_brcond), 0);
    ck_assert(is_movi(at(2), G1, 4));
}
END_TEST

START_TEST(constfold_brcond_not_taken_disappears)
{
    uint32_t l = ir_new_label(&F);
    ir_brcond(&F, IR_COND_gt, c32(1), c32(2), l);
    ir_movi(&F, G0, 1);
    ir_set_label(&F, l);
    ir_goto_tb(&F, 0x1008);
    opt_run_checked(IR_PASS_constfold);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_brcond), 0);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_br), 0);
}
END_TEST

START_TEST(constfold_taken_backward_brcond_without_label_after_stays)
{
    /* turning it into br would leave the terminator unreachable */
    uint32_t l = ir_new_label(&F);
    ir_movi(&F, T64[0], 0);
    ir_set_label(&F, l);
    ir_emit_1_2(&F, IR_OP_add, T64[0], T64[0], c64(1));
    ir_brcond(&F, IR_COND_ne, T64[0], c64(3), l);
    ir_brcond(&F, IR_COND_eq, c64(1), c64(1), l);
    ir_goto_tb(&F, 0x1008);
    ck_assert_int_eq(ir_pass_constfold(&F), 0);
    char err[200];
    ck_assert_msg(ir_verify(&F, err, sizeof(err)) == 0, "%s", err);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_brcond), 2);
}
END_TEST

START_TEST(constfold_movcond_constant_compare)
{
    ir_movcond(&F, IR_COND_lt, G0, c64(-1), c64(0), G1, G2);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_constfold);
    ck_assert_int_eq(at(0)->op, IR_OP_mov);
    ck_assert_uint_eq(ir_in(at(0), 0), G1);
}
END_TEST

/* ---- copyprop ---- */

START_TEST(copyprop_replaces_use)
{
    ir_mov(&F, T64[1], G0);
    ir_emit_1_2(&F, IR_OP_add, G1, T64[1], c64(1));
    ir_goto_tb(&F, 0x1004);
    ck_assert_int_eq(opt_run_checked(IR_PASS_copyprop), 1);
    ck_assert_uint_eq(ir_in(at(1), 0), G0);
}
END_TEST

START_TEST(copyprop_source_reassigned)
{
    ir_mov(&F, T64[1], G0);
    ir_movi(&F, G0, 5); /* t1 still holds the old g0 */
    ir_emit_1_2(&F, IR_OP_add, G1, T64[1], c64(1));
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_copyprop);
    ck_assert_uint_eq(ir_in(at(2), 0), T64[1]);
}
END_TEST

START_TEST(copyprop_dest_reassigned)
{
    ir_mov(&F, T64[1], G0);
    ir_emit_1_2(&F, IR_OP_add, T64[1], T64[1], c64(1)); /* reads g0, then t1 changes */
    ir_emit_1_2(&F, IR_OP_add, G1, T64[1], c64(1));
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_copyprop);
    ck_assert_uint_eq(ir_in(at(1), 0), G0);
    ck_assert_uint_eq(ir_in(at(2), 0), T64[1]);
}
END_TEST

START_TEST(copyprop_chain)
{
    ir_mov(&F, T64[1], G0);
    ir_mov(&F, T64[2], T64[1]);
    ir_emit_1_2(&F, IR_OP_add, G1, T64[2], c64(1));
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_copyprop);
    ck_assert_uint_eq(ir_in(at(1), 0), G0);
    ck_assert_uint_eq(ir_in(at(2), 0), G0);
}
END_TEST

START_TEST(copyprop_label_resets)
{
    uint32_t l = ir_new_label(&F);
    ir_mov(&F, T64[1], G0);
    ir_brcond(&F, IR_COND_eq, G1, c64(0), l);
    ir_mov(&F, T64[1], G2);
    ir_set_label(&F, l);
    ir_emit_1_2(&F, IR_OP_add, G3, T64[1], c64(1));
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_copyprop);
    ck_assert_uint_eq(ir_in(at(4), 0), T64[1]);
}
END_TEST

START_TEST(copyprop_call_writing_globals_kills_global_copies)
{
    ir_ref arg = c64(1);
    ir_mov(&F, T64[1], G1);
    ir_mov(&F, T64[2], G2);
    ir_call(&F, HID->wr, IR_NONE, &arg);
    ir_emit_1_2(&F, IR_OP_add, G3, T64[1], T64[2]);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_copyprop);
    ck_assert_uint_eq(ir_in(at(3), 0), T64[1]);
    ck_assert_uint_eq(ir_in(at(3), 1), T64[2]);
}
END_TEST

/* ---- simplify (non-table cases) ---- */

START_TEST(simplify_double_not)
{
    ir_emit_1_1(&F, IR_OP_not, T64[1], G0);
    ir_emit_1_1(&F, IR_OP_not, G1, T64[1]);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_simplify);
    ck_assert_int_eq(at(1)->op, IR_OP_mov);
    ck_assert_uint_eq(ir_in(at(1), 0), G0);
}
END_TEST

START_TEST(simplify_double_neg_needs_unchanged_input)
{
    ir_emit_1_1(&F, IR_OP_neg, T64[1], G0);
    ir_movi(&F, G0, 3); /* the inner input changed */
    ir_emit_1_1(&F, IR_OP_neg, G1, T64[1]);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_simplify);
    ck_assert_int_eq(at(2)->op, IR_OP_neg);
}
END_TEST

START_TEST(simplify_trunc_of_zext)
{
    ir_emit_1_1(&F, IR_OP_zext, T64[1], W0);
    ir_emit_1_1(&F, IR_OP_trunc, W1, T64[1]);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_simplify);
    ck_assert_int_eq(at(1)->op, IR_OP_mov);
    ck_assert_uint_eq(ir_in(at(1), 0), W0);
}
END_TEST

START_TEST(simplify_brcond_same_operands)
{
    uint32_t l = ir_new_label(&F), m = ir_new_label(&F);
    ir_brcond(&F, IR_COND_ltu, G0, G0, l); /* never */
    ir_movi(&F, G1, 1);
    ir_set_label(&F, l);
    ir_brcond(&F, IR_COND_geu, G0, G0, m); /* always */
    ir_movi(&F, G1, 2);
    ir_set_label(&F, m);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_simplify);
    /* mov g1, 1; L; M; goto_tb: the always-taken branch skipped only dead code */
    ck_assert_msg(F.ninsns == 4, "%s", opt_text(&F));
    ck_assert_int_eq(opt_count_op(&F, IR_OP_brcond) + opt_count_op(&F, IR_OP_br), 0);
}
END_TEST

/* ---- stateelim ---- */

START_TEST(stateelim_store_forwards_to_load)
{
    ir_st_state(&F, G0, 0x40, IR_MO_64);
    ir_ld_state(&F, T64[0], 0x40, IR_MO_64);
    ir_mov(&F, G1, T64[0]);
    ir_goto_tb(&F, 0x1004);
    ck_assert_int_eq(opt_run_checked(IR_PASS_stateelim), 1);
    ck_assert_int_eq(at(1)->op, IR_OP_mov);
    ck_assert_uint_eq(ir_in(at(1), 0), G0);
}
END_TEST

START_TEST(stateelim_load_forwards_to_load)
{
    ir_ld_state(&F, T32[0], 0x44, IR_MO_16 | IR_MO_SIGN);
    ir_ld_state(&F, T32[1], 0x44, IR_MO_16 | IR_MO_SIGN);
    ir_ld_state(&F, T32[2], 0x44, IR_MO_16);
    ir_emit_1_2(&F, IR_OP_add, W0, T32[1], T32[2]);
    ir_mov(&F, W1, T32[0]);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_stateelim);
    ck_assert_int_eq(at(1)->op, IR_OP_mov);
    ck_assert_int_eq(at(2)->op, IR_OP_extract); /* zero-extend the sign-extended copy */
}
END_TEST

START_TEST(stateelim_extends_exactly_across_types)
{
    ir_st_state(&F, W0, 0x48, IR_MO_32);
    ir_ld_state(&F, T64[0], 0x48, IR_MO_32 | IR_MO_SIGN);
    ir_ld_state(&F, T64[1], 0x48, IR_MO_32);
    ir_st_state(&F, G1, 0x50, IR_MO_16);
    ir_ld_state(&F, T64[2], 0x50, IR_MO_16 | IR_MO_SIGN);
    ir_ld_state(&F, T32[0], 0x50, IR_MO_16); /* from an i64: no single exact op */
    ir_mov(&F, G0, T64[0]);
    ir_mov(&F, G2, T64[1]);
    ir_mov(&F, G3, T64[2]);
    ir_mov(&F, W1, T32[0]);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_stateelim);
    ck_assert_int_eq(at(1)->op, IR_OP_sext);
    ck_assert_int_eq(at(2)->op, IR_OP_zext);
    ck_assert_int_eq(at(4)->op, IR_OP_sextract);
    ck_assert_int_eq(at(5)->op, IR_OP_ld_state);
}
END_TEST

START_TEST(stateelim_env_call_forgets)
{
    ir_st_state(&F, G0, 0x50, IR_MO_64);
    ir_call(&F, HID->env, T64[1], NULL);
    ir_ld_state(&F, T64[0], 0x50, IR_MO_64);
    ir_emit_1_2(&F, IR_OP_add, G1, T64[0], T64[1]);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_stateelim);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_ld_state), 1);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_st_state), 1);
}
END_TEST

START_TEST(stateelim_dead_store_removed)
{
    ir_st_state(&F, G0, 0x40, IR_MO_64);
    ir_emit_1_2(&F, IR_OP_add, G1, G1, c64(1));
    ir_st_state(&F, G2, 0x40, IR_MO_64);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_stateelim);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_st_state), 1);
    ck_assert_uint_eq(ir_in(opt_find(&F, IR_OP_st_state, 0), 0), G2);
}
END_TEST

START_TEST(stateelim_store_kept_before_guest_memory_op)
{
    ir_st_state(&F, G0, 0x40, IR_MO_64);
    ir_ld(&F, G1, G2, IR_MO_8); /* may fault: the state must be precise */
    ir_st_state(&F, G3, 0x40, IR_MO_64);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_stateelim);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_st_state), 2);
}
END_TEST

START_TEST(stateelim_partial_overlap_is_barrier)
{
    ir_st_state(&F, G0, 0x40, IR_MO_64);
    ir_st_state(&F, W0, 0x44, IR_MO_32);
    ir_ld_state(&F, T64[0], 0x40, IR_MO_64); /* not G0 any more */
    ir_st_state(&F, G3, 0x40, IR_MO_64);
    ir_mov(&F, G1, T64[0]);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_stateelim);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_ld_state), 1);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_st_state), 3);
}
END_TEST

START_TEST(stateelim_value_reassigned_not_forwarded)
{
    ir_st_state(&F, G0, 0x40, IR_MO_64);
    ir_movi(&F, G0, 1);
    ir_ld_state(&F, T64[0], 0x40, IR_MO_64);
    ir_mov(&F, G1, T64[0]);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_stateelim);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_ld_state), 1);
}
END_TEST

/* ---- dce ---- */

START_TEST(dce_removes_dead_flag)
{
    ir_setcond(&F, IR_COND_lt, NF, W0, c32(0));
    ir_emit_1_2(&F, IR_OP_add, W0, W0, W1);
    ir_setcond(&F, IR_COND_lt, NF, W0, c32(0));
    ir_goto_tb(&F, 0x1004);
    ck_assert_int_eq(opt_run_checked(IR_PASS_dce), 1);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_setcond), 1);
    ck_assert_int_eq(at(0)->op, IR_OP_add);
}
END_TEST

START_TEST(dce_flag_kept_before_guest_load)
{
    ir_setcond(&F, IR_COND_lt, NF, W0, c32(0));
    ir_ld(&F, G0, G1, IR_MO_32);
    ir_setcond(&F, IR_COND_lt, NF, W1, c32(0));
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_dce);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_setcond), 2);
}
END_TEST

START_TEST(dce_flag_kept_before_global_reading_call)
{
    ir_ref arg = c64(0);
    ir_setcond(&F, IR_COND_lt, NF, W0, c32(0));
    ir_call(&F, HID->rd, G0, &arg);
    ir_setcond(&F, IR_COND_lt, NF, W1, c32(0));
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_dce);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_setcond), 2);
}
END_TEST

START_TEST(dce_temps_dead_at_terminator)
{
    ir_emit_1_2(&F, IR_OP_add, T64[0], G0, c64(1)); /* never read */
    ir_emit_1_2(&F, IR_OP_add, G1, G0, c64(1));
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_dce);
    ck_assert_int_eq(F.ninsns, 2);
    ck_assert_uint_eq(ir_out(at(0), 0), G1);
}
END_TEST

START_TEST(dce_loop_keeps_value_read_by_back_edge)
{
    uint32_t l = ir_new_label(&F);
    ir_movi(&F, T64[0], 0);
    ir_movi(&F, T64[1], 0);
    ir_set_label(&F, l);
    ir_emit_1_2(&F, IR_OP_add, T64[1], T64[1], G1); /* read on the next iteration */
    ir_emit_1_2(&F, IR_OP_add, T64[0], T64[0], c64(1));
    ir_brcond(&F, IR_COND_ne, T64[0], c64(4), l);
    ir_mov(&F, G2, T64[1]);
    ir_emit_1_2(&F, IR_OP_add, T64[2], T64[0], c64(7)); /* dead */
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_dce);
    ck_assert_int_eq(F.ninsns, 8);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_add), 2);
}
END_TEST

START_TEST(dce_loop_removes_value_dead_around_it)
{
    uint32_t l = ir_new_label(&F);
    ir_movi(&F, T64[0], 0);
    ir_set_label(&F, l);
    ir_emit_1_2(&F, IR_OP_add, T64[1], T64[0], G1); /* never read */
    ir_emit_1_2(&F, IR_OP_add, T64[0], T64[0], c64(1));
    ir_brcond(&F, IR_COND_ne, T64[0], c64(4), l);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_dce);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_add), 1);
}
END_TEST

START_TEST(dce_global_written_before_branch_is_live_on_one_path)
{
    uint32_t l = ir_new_label(&F);
    ir_movi(&F, G0, 1);
    ir_brcond(&F, IR_COND_eq, G1, c64(0), l);
    ir_movi(&F, G0, 2);
    ir_set_label(&F, l);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_dce);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_mov), 2);
}
END_TEST

START_TEST(dce_removes_branch_to_next_label)
{
    uint32_t l = ir_new_label(&F), m = ir_new_label(&F);
    ir_brcond(&F, IR_COND_eq, G1, c64(0), m);
    ir_movi(&F, G0, 1);
    ir_br(&F, l);
    ir_set_label(&F, m);
    ir_set_label(&F, l);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_dce);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_br), 0);
    ck_assert_int_eq(opt_count_op(&F, IR_OP_brcond), 1);
}
END_TEST

START_TEST(dce_keeps_side_effects_and_memory_ops)
{
    ir_ref arg = c64(0);
    ir_ld(&F, T64[0], G1, IR_MO_64); /* result dead, but it may fault */
    ir_call(&F, HID->side, IR_NONE, &arg);
    ir_call(&F, HID->pure, T64[1], (ir_ref[]){G0, G1}); /* dead and pure: removed */
    ir_ld_state(&F, T64[2], 0x40, IR_MO_64);            /* dead: removed */
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_dce);
    ck_assert_int_eq(F.ninsns, 3);
    ck_assert_int_eq(at(0)->op, IR_OP_ld);
    ck_assert_int_eq(at(1)->op, IR_OP_call);
}
END_TEST

/* ---- ir_optimize ---- */

START_TEST(optimize_runs_pipeline_and_logs)
{
    ir_movi(&F, T64[0], 4);
    ir_emit_1_2(&F, IR_OP_mul, T64[1], G0, T64[0]);
    ir_setcond(&F, IR_COND_lt, NF, W0, c32(0));
    ir_mov(&F, G1, T64[1]);
    ir_setcond(&F, IR_COND_eq, NF, W1, c32(0));
    ir_goto_tb(&F, 0x1004);
    char *log = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&log, &len);
    ck_assert_ptr_nonnull(ms);
    struct ir_func before;
    ir_func_init(&before);
    ir_func_copy(&before, &F);
    ck_assert_int_eq(ir_optimize(&F, IR_PASSES_ALL, true, ms), 0);
    fclose(ms);
    /* The log shows each pass that changed the block, and only those. */
    static const struct {
        enum ir_pass pass;
        bool changes;
    } expect[] = {{IR_PASS_constfold, true},
                  {IR_PASS_simplify, true},
                  {IR_PASS_stateelim, false},
                  {IR_PASS_dce, true}};
    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
        char want[64];
        snprintf(want, sizeof(want), "-- after %s\n", ir_pass_names[expect[i].pass]);
        ck_assert_msg(!strstr(log, want) == !expect[i].changes, "log %s '%s':\n%s",
                      expect[i].changes ? "lacks" : "has", want, log);
    }
    free(log);
    char why[300];
    ck_assert_msg(opt_equivalent(&before, &F, 64, why, sizeof(why)), "%s", why);
    /* shl t1, g0, 2; mov g1, t1; setcond nf; goto_tb */
    ck_assert_msg(F.ninsns == 4, "%s", opt_text(&F));
    ck_assert_int_eq(at(0)->op, IR_OP_shl);
    ck_assert_int_eq(at(2)->op, IR_OP_setcond);
    ir_func_free(&before);
}
END_TEST

START_TEST(optimize_mask_selects_passes)
{
    ir_movi(&F, T64[0], 4);
    ir_emit_1_2(&F, IR_OP_add, G1, G0, T64[0]);
    ir_goto_tb(&F, 0x1004);
    ir_optimize(&F, 1u << IR_PASS_dce, true, NULL);
    ck_assert_int_eq(F.ninsns, 3);
    ir_optimize(&F, 1u << IR_PASS_constfold, true, NULL);
    ck_assert_int_eq(F.ninsns, 3);
    ck_assert(ir_is_const(&F, ir_in(at(1), 1)));
    ir_optimize(&F, IR_PASSES_ALL, true, NULL);
    ck_assert_int_eq(F.ninsns, 2);
}
END_TEST

START_TEST(optimize_verify_failure_aborts)
{
    /* no terminator: the verifier rejects the block after the first pass */
    ir_emit_1_2(&F, IR_OP_add, G1, G0, c64(1));
    fclose(stderr); /* the report (message and IR) is not wanted in the test log */
    ir_optimize(&F, IR_PASSES_ALL, true, NULL);
}
END_TEST

START_TEST(optimize_refuses_block_with_builder_error)
{
    ir_emit_1_2(&F, IR_OP_add, G1, G0, c64(1));
    ir_emit_1_2(&F, IR_OP_add, G1, c32(1), IR_NONE); /* malformed: sticky error */
    ck_assert_int_ne(F.err, 0);
    ck_assert_int_eq(ir_optimize(&F, IR_PASSES_ALL, true, NULL), -1);
    ck_assert_int_eq(F.ninsns, 1);
}
END_TEST

TCase *opt_tcase_constfold(void)
{
    TCase *tc = tcase_create("constfold");
    tcase_add_checked_fixture(tc, opt_fixture_setup, opt_fixture_teardown);
    tcase_add_test(tc, constfold_folds_chain);
    tcase_add_test(tc, constfold_reassignment_kills_constant);
    tcase_add_test(tc, constfold_i32_wraps);
    tcase_add_test(tc, constfold_label_resets);
    tcase_add_test(tc, constfold_unreferenced_label_keeps_state);
    tcase_add_test(tc, constfold_call_writing_globals_forgets_them);
    tcase_add_test(tc, constfold_call_reading_globals_keeps_them);
    tcase_add_test(tc, constfold_brcond_taken_becomes_br);
    tcase_add_test(tc, constfold_brcond_taken_to_next_label_disappears);
    tcase_add_test(tc, constfold_brcond_not_taken_disappears);
    tcase_add_test(tc, constfold_taken_backward_brcond_without_label_after_stays);
    tcase_add_test(tc, constfold_movcond_constant_compare);
    return tc;
}

TCase *opt_tcase_copyprop(void)
{
    TCase *tc = tcase_create("copyprop");
    tcase_add_checked_fixture(tc, opt_fixture_setup, opt_fixture_teardown);
    tcase_add_test(tc, copyprop_replaces_use);
    tcase_add_test(tc, copyprop_source_reassigned);
    tcase_add_test(tc, copyprop_dest_reassigned);
    tcase_add_test(tc, copyprop_chain);
    tcase_add_test(tc, copyprop_label_resets);
    tcase_add_test(tc, copyprop_call_writing_globals_kills_global_copies);
    return tc;
}

void opt_add_simplify_table_tests(TCase *tc);

TCase *opt_tcase_simplify(void)
{
    TCase *tc = tcase_create("simplify");
    tcase_add_checked_fixture(tc, opt_fixture_setup, opt_fixture_teardown);
    tcase_add_test(tc, simplify_double_not);
    tcase_add_test(tc, simplify_double_neg_needs_unchanged_input);
    tcase_add_test(tc, simplify_trunc_of_zext);
    tcase_add_test(tc, simplify_brcond_same_operands);
    opt_add_simplify_table_tests(tc);
    return tc;
}

TCase *opt_tcase_stateelim(void)
{
    TCase *tc = tcase_create("stateelim");
    tcase_add_checked_fixture(tc, opt_fixture_setup, opt_fixture_teardown);
    tcase_add_test(tc, stateelim_store_forwards_to_load);
    tcase_add_test(tc, stateelim_load_forwards_to_load);
    tcase_add_test(tc, stateelim_extends_exactly_across_types);
    tcase_add_test(tc, stateelim_env_call_forgets);
    tcase_add_test(tc, stateelim_dead_store_removed);
    tcase_add_test(tc, stateelim_store_kept_before_guest_memory_op);
    tcase_add_test(tc, stateelim_partial_overlap_is_barrier);
    tcase_add_test(tc, stateelim_value_reassigned_not_forwarded);
    return tc;
}

TCase *opt_tcase_dce(void)
{
    TCase *tc = tcase_create("dce");
    tcase_add_checked_fixture(tc, opt_fixture_setup, opt_fixture_teardown);
    tcase_add_test(tc, dce_removes_dead_flag);
    tcase_add_test(tc, dce_flag_kept_before_guest_load);
    tcase_add_test(tc, dce_flag_kept_before_global_reading_call);
    tcase_add_test(tc, dce_temps_dead_at_terminator);
    tcase_add_test(tc, dce_loop_keeps_value_read_by_back_edge);
    tcase_add_test(tc, dce_loop_removes_value_dead_around_it);
    tcase_add_test(tc, dce_global_written_before_branch_is_live_on_one_path);
    tcase_add_test(tc, dce_removes_branch_to_next_label);
    tcase_add_test(tc, dce_keeps_side_effects_and_memory_ops);
    return tc;
}

TCase *opt_tcase_optimize(void)
{
    TCase *tc = tcase_create("optimize");
    tcase_add_checked_fixture(tc, opt_fixture_setup, opt_fixture_teardown);
    tcase_add_test(tc, optimize_runs_pipeline_and_logs);
    tcase_add_test(tc, optimize_mask_selects_passes);
    tcase_add_test_raise_signal(tc, optimize_verify_failure_aborts, SIGABRT);
    tcase_add_test(tc, optimize_refuses_block_with_builder_error);
    return tc;
}
