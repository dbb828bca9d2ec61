/* test_backend, second half: helper calls, branches and loops, block exits,
 * chaining (goto_tb + patch_jmp), the inline jump-cache probe (goto_ptr),
 * exit requests, the pc map, a full code buffer and the out_asm log.  Every
 * case runs on every backend (see test_backend.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/sem.h"
#include "test_backend.h"

/* ---- helper calls --------------------------------------------------------------- */

static uint64_t h_ret0(void) { return 0x1122334455667788ull; }
static uint64_t h_sum1(uint64_t a) { return a * 3 + 1; }
static uint64_t h_sum2(uint64_t a, uint64_t b) { return a * 3 + b * 5; }
static uint64_t h_sum3(uint64_t a, uint64_t b, uint64_t c) { return a * 3 + b * 5 + c * 7; }
static uint64_t h_sum4(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    return a * 3 + b * 5 + c * 7 + d * 11;
}
static uint64_t h_sum5(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    return a * 3 + b * 5 + c * 7 + d * 11 + e * 13;
}
static uint64_t h_sum6(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
    return a * 3 + b * 5 + c * 7 + d * 11 + e * 13 + f * 17;
}
static const uint64_t weights[6] = {3, 5, 7, 11, 13, 17};

static const struct ir_helper helper_sums[7] = {
    {"t_ret0", (void *)h_ret0, IR_I64, 0, {0}, 0},
    {"t_sum1", (void *)h_sum1, IR_I64, 1, {IR_I64}, 0},
    {"t_sum2", (void *)h_sum2, IR_I64, 2, {IR_I64, IR_I64}, 0},
    {"t_sum3", (void *)h_sum3, IR_I64, 3, {IR_I64, IR_I64, IR_I64}, 0},
    {"t_sum4", (void *)h_sum4, IR_I64, 4, {IR_I64, IR_I64, IR_I64, IR_I64}, 0},
    {"t_sum5", (void *)h_sum5, IR_I64, 5, {IR_I64, IR_I64, IR_I64, IR_I64, IR_I64}, 0},
    {"t_sum6", (void *)h_sum6, IR_I64, 6, {IR_I64, IR_I64, IR_I64, IR_I64, IR_I64, IR_I64}, 0},
};

static int reg(const struct ir_helper *h)
{
    int id = ir_helper_register(h);
    ck_assert_msg(id >= 0, "cannot register helper %s", h->name);
    return id;
}

/* 0..6 i64 args, each as a temp, a global or a constant. */
START_TEST(call_zero_to_six_args)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        for (unsigned n = 0; n <= 6; n++)
            for (unsigned mode = 0; mode < 3; mode++) {
                struct ir_func *f = block(&h, 0x1000);
                ir_ref args[6];
                uint64_t want = n ? 0 : h_ret0();
                if (n == 1)
                    want = 1;
                for (unsigned i = 0; i < n; i++) {
                    uint64_t v = 0x100000001ull * (i + 1) + mode;
                    want += v * weights[i];
                    unsigned m = (mode + i) % 3;
                    if (m == 0) {
                        args[i] = ir_temp(f, IR_I64);
                        ir_movi(f, args[i], v);
                    } else if (m == 1) {
                        args[i] = gv(f, IR_I64, 10 + i);
                        h.cpu->g[10 + i] = v;
                    } else {
                        args[i] = k64(f, v);
                    }
                }
                ir_ref d = ir_temp(f, IR_I64);
                ir_call(f, reg(&helper_sums[n]), d, args);
                ir_mov(f, gv(f, IR_I64, 0), d);
                end_halt(f);
                run_halt(&h, f);
                ck_assert_msg(h.cpu->g[0] == want, "%s: %u args mode %u: got 0x%llx want 0x%llx",
                              h.name, n, mode, (unsigned long long)h.cpu->g[0],
                              (unsigned long long)want);
            }
        harness_close(&h);
    }
}
END_TEST

static uint32_t h_mix32(uint32_t a, uint64_t b, uint32_t c)
{
    return a * 7 + (uint32_t)(b >> 32) + c;
}
/* Returns a uint32_t with garbage in the upper half of rax, as the ABI allows. */
__attribute__((naked)) static uint32_t h_dirty32(void)
{
    __asm__("movabsq $0xdeadbeef87654321, %rax\n\tret");
}
static const struct ir_helper helper_mix32 = {"t_mix32", (void *)h_mix32,          IR_I32,
                                              3,         {IR_I32, IR_I64, IR_I32}, 0};
static const struct ir_helper helper_dirty32 = {"t_dirty32", (void *)h_dirty32, IR_I32, 0, {0}, 0};

START_TEST(call_i32_args_and_return)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        struct ir_func *f = block(&h, 0x1000);
        ir_ref a = ir_temp(f, IR_I32), r = ir_temp(f, IR_I32), r2 = ir_temp(f, IR_I32);
        ir_movi(f, a, 0x80000001);
        ir_ref args[3] = {a, gv(f, IR_I64, 5), k32(f, 0xfffffff0)};
        h.cpu->g[5] = 0x1234567800000000ull;
        ir_call(f, reg(&helper_mix32), r, args);
        ir_call(f, reg(&helper_dirty32), r2, NULL);
        ir_ref z = ir_temp(f, IR_I64);
        ir_emit_1_1(f, IR_OP_zext, z, r2); /* must see a zero-extended value */
        ir_mov(f, gv(f, IR_I32, 0), r);
        ir_mov(f, gv(f, IR_I64, 1), z);
        end_halt(f);
        run_halt(&h, f);
        ck_assert_uint_eq(h.cpu->g[0] & 0xffffffff,
                          h_mix32(0x80000001, 0x1234567800000000ull, 0xfffffff0));
        ck_assert_msg(h.cpu->g[1] == 0x87654321, "%s: i32 return not zero-extended: 0x%llx", h.name,
                      (unsigned long long)h.cpu->g[1]);
        harness_close(&h);
    }
}
END_TEST

static uint64_t h_env_read(struct test_cpu *cpu, uint64_t a) { return cpu->g[20] * 1000 + a; }
static void h_env_write(struct test_cpu *cpu, uint64_t v) { cpu->g[21] = v; }
static uint64_t h_env5(struct test_cpu *cpu, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                       uint64_t e)
{
    return (uint64_t)(uintptr_t)cpu + a + 2 * b + 3 * c + 4 * d + 5 * e;
}
static const struct ir_helper helper_env_read = {
    "t_env_read", (void *)h_env_read, IR_I64, 1, {IR_I64}, IR_HF_ENV | IR_HF_READS_GLOBALS};
static const struct ir_helper helper_env_write = {
    "t_env_write", (void *)h_env_write, IR_VOID, 1, {IR_I64}, IR_HF_ENV | IR_HF_WRITES_GLOBALS};
static const struct ir_helper helper_env5 = {
    "t_env5", (void *)h_env5, IR_I64, 5, {IR_I64, IR_I64, IR_I64, IR_I64, IR_I64}, IR_HF_ENV};

/* A helper reading globals sees values the block just wrote. */
START_TEST(call_reads_globals_sees_block_writes)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        struct ir_func *f = block(&h, 0x1000);
        h.cpu->g[20] = 1;
        ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, 20), gv(f, IR_I64, 20), k64(f, 6)); /* 7 */
        ir_ref arg = k64(f, 5), d = ir_temp(f, IR_I64);
        ir_call(f, reg(&helper_env_read), d, &arg);
        ir_mov(f, gv(f, IR_I64, 0), d);
        end_halt(f);
        run_halt(&h, f);
        ck_assert_msg(h.cpu->g[0] == 7005, "%s: helper saw g20 = %llu", h.name,
                      (unsigned long long)(h.cpu->g[0] / 1000));
        harness_close(&h);
    }
}
END_TEST

/* After a helper that writes globals, the block reads the new values, and a
 * value the block wrote earlier does not overwrite the helper's. */
START_TEST(call_writes_globals_reloaded)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        struct ir_func *f = block(&h, 0x1000);
        h.cpu->g[21] = 1;
        ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, 21), gv(f, IR_I64, 21), k64(f, 1)); /* dirty */
        ir_ref arg = k64(f, 99);
        ir_call(f, reg(&helper_env_write), IR_NONE, &arg);
        ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, 22), gv(f, IR_I64, 21), k64(f, 1));
        end_halt(f);
        run_halt(&h, f);
        ck_assert_uint_eq(h.cpu->g[21], 99);
        ck_assert_uint_eq(h.cpu->g[22], 100);
        harness_close(&h);
    }
}
END_TEST

/* The env as a hidden first argument with five more args (all six registers). */
START_TEST(call_env_with_five_args)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        struct ir_func *f = block(&h, 0x1000);
        ir_ref args[5], d = ir_temp(f, IR_I64);
        for (unsigned i = 0; i < 5; i++) {
            args[i] = ir_temp(f, IR_I64);
            ir_movi(f, args[i], i + 1);
        }
        ir_call(f, reg(&helper_env5), d, args);
        ir_mov(f, gv(f, IR_I64, 0), d);
        end_halt(f);
        run_halt(&h, f);
        ck_assert_uint_eq(h.cpu->g[0], (uint64_t)(uintptr_t)h.cpu + 1 + 4 + 9 + 16 + 25);
        harness_close(&h);
    }
}
END_TEST

static uint64_t h_clobber(uint64_t a) /* uses many registers */
{
    volatile uint64_t x[16];
    for (int i = 0; i < 16; i++)
        x[i] = a * (uint64_t)i;
    uint64_t s = 0;
    for (int i = 0; i < 16; i++)
        s += x[i] ^ (s >> 3);
    return s;
}
static const struct ir_helper helper_clobber = {"t_clobber", (void *)h_clobber, IR_I64,
                                                1,           {IR_I64},          0};

/* Temps and dirty globals live across calls keep their values. */
START_TEST(call_preserves_live_values)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        enum { NT = 20 };
        struct ir_func *f = block(&h, 0x1000);
        ir_ref t[NT];
        for (unsigned i = 0; i < NT; i++) {
            t[i] = ir_temp(f, i % 2 ? IR_I32 : IR_I64);
            ir_movi(f, t[i], 0x1000 + i);
            ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, 30 + i), gv(f, IR_I64, 30 + i), k64(f, i));
        }
        for (unsigned c = 0; c < 3; c++) {
            ir_ref arg = t[c], d = ir_temp(f, IR_I64);
            if (c == 1) {
                arg = ir_temp(f, IR_I64);
                ir_movi(f, arg, 77);
            }
            ir_call(f, reg(&helper_clobber), d, &arg);
            ir_mov(f, gv(f, IR_I64, 60 + c), d);
        }
        for (unsigned i = 0; i < NT; i++)
            ir_mov(f, gv(f, i % 2 ? IR_I32 : IR_I64, i), t[i]);
        end_halt(f);
        for (unsigned i = 0; i < NT; i++)
            h.cpu->g[30 + i] = 100;
        run_halt(&h, f);
        for (unsigned i = 0; i < NT; i++) {
            ck_assert_msg((h.cpu->g[i] & 0xffffffff) == 0x1000 + i, "%s: temp %u lost", h.name, i);
            ck_assert_msg(h.cpu->g[30 + i] == 100 + i, "%s: global %u lost", h.name, 30 + i);
        }
        ck_assert_uint_eq(h.cpu->g[60], h_clobber(0x1000));
        ck_assert_uint_eq(h.cpu->g[61], h_clobber(77));
        ck_assert_uint_eq(h.cpu->g[62], h_clobber(0x1002));
        harness_close(&h);
    }
}
END_TEST

/* ---- branches and labels ----------------------------------------------------------- */

/* if (cond(a, b)) g2 = t1 + 1 else g2 = t1 + 2: a forward brcond for every
 * condition, b as register and constant, temps live across the labels. */
START_TEST(branch_forward_every_condition)
{
    static const uint64_t pairs[][2] = {{1, 2},
                                        {2, 1},
                                        {5, 5},
                                        {0xffffffffffffffffull, 1},
                                        {0x80000000, 0x7fffffff},
                                        {0, 0x8000000000000000ull}};
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        for (enum ir_type t = IR_I32; t <= IR_I64; t++)
            for (unsigned c = 0; c < IR_COND_COUNT; c++)
                for (unsigned p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++)
                    for (int bconst = 0; bconst < 2; bconst++) {
                        uint64_t a = pairs[p][0] & ir_type_mask(t),
                                 b = pairs[p][1] & ir_type_mask(t);
                        struct ir_func *f = block(&h, 0x1000);
                        uint32_t l_else = ir_new_label(f), l_end = ir_new_label(f);
                        ir_ref t1 = ir_temp(f, IR_I64), vb = ir_const(f, t, b);
                        ir_movi(f, t1, 40);
                        if (!bconst) {
                            vb = ir_temp(f, t);
                            ir_movi(f, vb, b);
                        }
                        h.cpu->g[1] = a;
                        ir_brcond(f, ir_cond_invert(c), gv(f, t, 1), vb, l_else);
                        ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, 2), t1, k64(f, 1));
                        ir_br(f, l_end);
                        ir_set_label(f, l_else);
                        ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, 2), t1, k64(f, 2));
                        ir_set_label(f, l_end);
                        ir_ref t2 = ir_temp(f, t);
                        ir_movi(f, t2, 7);
                        ir_emit_1_2(f, IR_OP_add, gv(f, t, 3), t2, vb); /* vb live across labels */
                        end_halt(f);
                        run_halt(&h, f);
                        uint64_t want = sem_cond(t, c, a, b) ? 41 : 42;
                        ck_assert_msg(h.cpu->g[2] == want, "%s: brcond.%s %s 0x%llx, 0x%llx (%s)",
                                      h.name, ir_type_names[t], ir_cond_names[c],
                                      (unsigned long long)a, (unsigned long long)b,
                                      bconst ? "const" : "temp");
                        ck_assert_uint_eq(h.cpu->g[3] & ir_type_mask(t), (7 + b) & ir_type_mask(t));
                    }
        harness_close(&h);
    }
}
END_TEST

/* A counted loop: a backward brcond, temps and globals carried around it. */
START_TEST(branch_backward_loop)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        for (uint64_t n = 1; n <= 1000; n *= 10) {
            struct ir_func *f = block(&h, 0x1000);
            ir_ref i = ir_temp(f, IR_I64), sum = ir_temp(f, IR_I64), x = ir_temp(f, IR_I32);
            ir_movi(f, i, n);
            ir_movi(f, sum, 0);
            ir_movi(f, x, 1);
            h.cpu->g[0] = 0;
            uint32_t top = ir_new_label(f);
            ir_set_label(f, top);
            ir_emit_1_2(f, IR_OP_add, sum, sum, i);
            ir_emit_1_2(f, IR_OP_mul, x, x, k32(f, 3));
            ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, 0), gv(f, IR_I64, 0), k64(f, 2));
            ir_emit_1_2(f, IR_OP_sub, i, i, k64(f, 1));
            ir_brcond(f, IR_COND_ne, i, k64(f, 0), top);
            ir_mov(f, gv(f, IR_I64, 1), sum);
            ir_mov(f, gv(f, IR_I32, 2), x);
            end_halt(f);
            run_halt(&h, f);
            uint32_t xw = 1;
            for (uint64_t k = 0; k < n; k++)
                xw *= 3;
            ck_assert_uint_eq(h.cpu->g[1], n * (n + 1) / 2);
            ck_assert_uint_eq(h.cpu->g[2] & 0xffffffff, xw);
            ck_assert_uint_eq(h.cpu->g[0], 2 * n);
        }
        harness_close(&h);
    }
}
END_TEST

/* br over code, and a temp assigned differently on two paths that merge. */
START_TEST(branch_unconditional_and_merge)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        for (uint64_t sel = 0; sel < 2; sel++) {
            struct ir_func *f = block(&h, 0x1000);
            uint32_t l1 = ir_new_label(f), l2 = ir_new_label(f);
            ir_ref t = ir_temp(f, IR_I64), keep = ir_temp(f, IR_I64);
            ir_movi(f, keep, 0x5555);
            h.cpu->g[0] = sel;
            ir_brcond(f, IR_COND_eq, gv(f, IR_I64, 0), k64(f, 0), l1);
            ir_movi(f, t, 100);
            ir_br(f, l2);
            ir_set_label(f, l1);
            ir_movi(f, t, 200);
            ir_br(f, l2);
            ir_set_label(f, l2);
            ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, 1), t, keep);
            end_halt(f);
            run_halt(&h, f);
            ck_assert_uint_eq(h.cpu->g[1], (sel ? 100 : 200) + 0x5555);
        }
        harness_close(&h);
    }
}
END_TEST

/* ---- block exits ------------------------------------------------------------------ */

START_TEST(exit_reasons_and_pc)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        for (unsigned r = IR_EXIT_syscall; r < IR_EXIT_COUNT; r++)
            for (unsigned m = 0; m < 4; m++) {
                static const uint64_t pcs[4] = {0x123456789abcull, 0xfffffff0, 0x2000,
                                                0xfffffffffffff000ull};
                struct ir_func *f = block(&h, 0x1000);
                ir_ref pc;
                if (m == 0) {
                    pc = k64(f, pcs[m]);
                } else if (m == 1) {
                    pc = ir_temp(f, IR_I32);
                    ir_movi(f, pc, pcs[m]);
                } else if (m == 2) {
                    pc = k32(f, pcs[m]);
                } else {
                    pc = gv(f, IR_I64, 4);
                    h.cpu->g[4] = pcs[m];
                }
                ir_movi(f, gv(f, IR_I64, 0), r);
                ir_exit(f, (enum ir_exit)r, pc);
                struct tb tb;
                compile_ok(&h, f, &tb);
                h.cpu->g[0] = 0;
                unsigned got = run(&h, &tb);
                ck_assert_msg(got == r, "%s: exit %s returned %u", h.name, ir_exit_names[r], got);
                ck_assert_msg(h.cpu->head.pc == pcs[m], "%s: pc 0x%llx want 0x%llx", h.name,
                              (unsigned long long)h.cpu->head.pc, (unsigned long long)pcs[m]);
                ck_assert_uint_eq(h.cpu->g[0], r);
                tb_free(&tb);
            }
        harness_close(&h);
    }
}
END_TEST

START_TEST(exit_request_at_entry)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        struct ir_func *f = block(&h, 0x3000);
        ir_movi(f, gv(f, IR_I64, 0), 5);
        ir_exit(f, IR_EXIT_syscall, k64(f, 0x3004));
        struct tb tb;
        compile_ok(&h, f, &tb);
        h.cpu->head.exit_request = 1;
        h.cpu->g[0] = 9;
        ck_assert_uint_eq(run(&h, &tb), IR_EXIT_request);
        ck_assert_uint_eq(h.cpu->head.pc, 0x3000);
        ck_assert_uint_eq(h.cpu->g[0], 9);
        h.cpu->head.exit_request = 0;
        ck_assert_uint_eq(run(&h, &tb), IR_EXIT_syscall);
        ck_assert_uint_eq(h.cpu->g[0], 5);
        ck_assert_uint_eq(h.cpu->head.pc, 0x3004);
        tb_free(&tb);
        harness_close(&h);
    }
}
END_TEST

START_TEST(mb_and_nop)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        struct ir_func *f = block(&h, 0x1000);
        for (int64_t k = IR_MB_FULL; k <= IR_MB_ST; k++) {
            ir_emit(f, IR_OP_mb, NULL, 0, &k, 1);
            ir_emit(f, IR_OP_nop, NULL, 0, NULL, 0);
            ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, 0), gv(f, IR_I64, 0), k64(f, 1));
        }
        end_halt(f);
        h.cpu->g[0] = 0;
        run_halt(&h, f);
        ck_assert_uint_eq(h.cpu->g[0], 3);
        harness_close(&h);
    }
}
END_TEST

/* ---- chaining and the jump cache ---------------------------------------------------- */

/* Block A at 0x1000: g0 += 1; if g9 == 0 goto_tb 0x2000 (slot 0) else goto_tb 0x3000 (slot 1). */
static void build_a(struct harness *h, struct tb *tb)
{
    struct ir_func *f = block(h, 0x1000);
    uint32_t l = ir_new_label(f);
    ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, 0), gv(f, IR_I64, 0), k64(f, 1));
    ir_brcond(f, IR_COND_ne, gv(f, IR_I64, 9), k64(f, 0), l);
    ir_goto_tb(f, 0x2000);
    ir_set_label(f, l);
    ir_goto_tb(f, 0x3000);
    compile_ok(h, f, tb);
}

/* Block B at `pc`: g1 = g0 * 10 + g1; exit halt at pc + 4. */
static void build_b(struct harness *h, struct tb *tb, uint64_t pc)
{
    struct ir_func *f = block(h, pc);
    ir_ref t = ir_temp(f, IR_I64);
    ir_emit_1_2(f, IR_OP_mul, t, gv(f, IR_I64, 0), k64(f, 10));
    ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, 1), gv(f, IR_I64, 1), t);
    ir_exit(f, IR_EXIT_halt, k64(f, pc + 4));
    compile_ok(h, f, tb);
}

START_TEST(goto_tb_unchained_returns_chain)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        struct tb a;
        build_a(&h, &a);
        ck_assert_uint_eq(a.njmp, 2);
        ck_assert_uint_eq(a.jmp[0].dest_pc, 0x2000);
        ck_assert_uint_eq(a.jmp[1].dest_pc, 0x3000);
        for (unsigned slot = 0; slot < 2; slot++) {
            h.cpu->g[9] = slot;
            h.cpu->g[0] = 0;
            h.cpu->head.last_tb = NULL;
            h.cpu->head.last_slot = 7;
            ck_assert_uint_eq(run(&h, &a), IR_EXIT_chain);
            ck_assert_uint_eq(h.cpu->head.pc, slot ? 0x3000 : 0x2000);
            ck_assert_ptr_eq(h.cpu->head.last_tb, &a);
            ck_assert_uint_eq(h.cpu->head.last_slot, slot);
            ck_assert_uint_eq(h.cpu->g[0], 1);
        }
        tb_free(&a);
        harness_close(&h);
    }
}
END_TEST

START_TEST(goto_tb_patched_runs_through_and_unlinks)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        struct tb a, b, c;
        build_a(&h, &a);
        build_b(&h, &b, 0x2000);
        build_b(&h, &c, 0x3000);
        h.be->patch_jmp(h.state, &h.cb, &a, 0, &b);
        h.be->patch_jmp(h.state, &h.cb, &a, 1, &c);
        for (unsigned slot = 0; slot < 2; slot++) {
            h.cpu->g[9] = slot;
            h.cpu->g[0] = 4;
            h.cpu->g[1] = 3;
            ck_assert_uint_eq(run(&h, &a), IR_EXIT_halt);
            ck_assert_uint_eq(h.cpu->head.pc, slot ? 0x3004 : 0x2004);
            ck_assert_uint_eq(h.cpu->g[1], 53);
        }
        h.be->patch_jmp(h.state, &h.cb, &a, 0, NULL);
        h.cpu->g[9] = 0;
        h.cpu->g[1] = 0;
        ck_assert_uint_eq(run(&h, &a), IR_EXIT_chain);
        ck_assert_uint_eq(h.cpu->head.pc, 0x2000);
        ck_assert_uint_eq(h.cpu->g[1], 0);
        h.cpu->g[9] = 1; /* slot 1 is still chained */
        ck_assert_uint_eq(run(&h, &a), IR_EXIT_halt);
        ck_assert_uint_eq(h.cpu->head.pc, 0x3004);
        /* a chained block honours exit requests at its own entry */
        h.be->patch_jmp(h.state, &h.cb, &a, 0, &b);
        h.cpu->g[9] = 0;
        h.cpu->head.exit_request = 1;
        ck_assert_uint_eq(run(&h, &a), IR_EXIT_request);
        ck_assert_uint_eq(h.cpu->head.pc, 0x1000);
        h.cpu->head.exit_request = 0;
        tb_free(&a);
        tb_free(&b);
        tb_free(&c);
        harness_close(&h);
    }
}
END_TEST

static void jc_set(struct harness *h, uint64_t pc, uint64_t flags, struct tb *tb)
{
    struct jc_entry *e = &h->jc[jc_hash(pc)];
    e->pc = pc;
    e->flags = flags;
    e->host = tb->code;
    e->tb = tb;
}

/* goto_ptr: a jump-cache hit continues in the cached block; a miss (empty,
 * other pc, other flags) returns IR_EXIT_lookup with the pc stored. */
START_TEST(goto_ptr_hit_and_miss)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        static const uint64_t targets[] = {0x2000, 0x123456789000ull, 0xfffffff0};
        for (unsigned ti = 0; ti < 3; ti++)
            for (unsigned m = 0; m < 3; m++) {
                uint64_t dest = targets[ti];
                struct tb a, b;
                build_b(&h, &b, dest);
                struct ir_func *f = block(&h, 0x1000);
                ir_ref pc;
                if (m == 0) {
                    pc = gv(f, IR_I64, 5);
                    h.cpu->g[5] = dest;
                } else if (m == 1) {
                    pc = ir_temp(f, dest > 0xffffffffull ? IR_I64 : IR_I32);
                    ir_movi(f, pc, dest);
                } else {
                    pc = dest > 0xffffffffull ? k64(f, dest) : k32(f, dest);
                }
                ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, 0), gv(f, IR_I64, 0), k64(f, 1));
                ir_goto_ptr(f, pc);
                compile_ok(&h, f, &a);
                h.cpu->head.flags = 0x80000005;
                for (unsigned j = 0; j < JC_SIZE; j++)
                    h.jc[j] = (struct jc_entry){JC_EMPTY_PC, JC_EMPTY_FLAGS, NULL, NULL};
                h.cpu->g[0] = 1;
                h.cpu->g[1] = 0;
                ck_assert_uint_eq(run(&h, &a), IR_EXIT_lookup); /* empty cache */
                ck_assert_uint_eq(h.cpu->head.pc, dest);
                ck_assert_uint_eq(h.cpu->g[0], 2);
                jc_set(&h, dest, 0x80000005, &b);
                ck_assert_uint_eq(run(&h, &a), IR_EXIT_halt); /* hit */
                ck_assert_uint_eq(h.cpu->head.pc, dest + 4);
                ck_assert_uint_eq(h.cpu->g[1], 30);
                jc_set(&h, dest, 0x5, &b);
                ck_assert_uint_eq(run(&h, &a), IR_EXIT_lookup); /* other flags */
                ck_assert_uint_eq(h.cpu->head.pc, dest);
                jc_set(&h, dest, 0x80000005, &b);
                h.jc[jc_hash(dest)].pc = dest + 0x10000000; /* another pc in the slot */
                ck_assert_uint_eq(run(&h, &a), IR_EXIT_lookup);
                ck_assert_uint_eq(h.cpu->head.pc, dest);
                tb_free(&a);
                tb_free(&b);
            }
        harness_close(&h);
    }
}
END_TEST

/* ---- pc map, code buffer, log -------------------------------------------------------- */

START_TEST(pcmap_monotonic_and_maps_back)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        struct ir_func *f = block(&h, 0x8000);
        for (unsigned i = 0; i < 6; i++) {
            ir_insn_start(f, 0x8000 + 4 * i);
            for (unsigned k = 0; k <= i; k++)
                ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, i), gv(f, IR_I64, i), k64(f, k + 1));
        }
        end_halt(f);
        struct tb tb;
        compile_ok(&h, f, &tb);
        ck_assert_uint_eq(tb.npcmap, 6);
        ck_assert_ptr_nonnull(tb.pcmap);
        ck_assert_uint_eq(tb.ir_ops, f->ninsns);
        ck_assert_uint_gt(tb.code_size, 0);
        for (unsigned i = 0; i < 6; i++) {
            ck_assert_uint_eq(tb.pcmap[i].guest_pc, 0x8000 + 4 * i);
            ck_assert_uint_lt(tb.pcmap[i].host_off, tb.code_size);
            if (i)
                ck_assert_uint_gt(tb.pcmap[i].host_off, tb.pcmap[i - 1].host_off);
            ck_assert_uint_eq(tb_guest_pc(&tb, tb.code + tb.pcmap[i].host_off), 0x8000 + 4 * i);
            if (i + 1 < 6)
                ck_assert_uint_eq(tb_guest_pc(&tb, tb.code + tb.pcmap[i + 1].host_off - 1),
                                  0x8000 + 4 * i);
        }
        ck_assert_uint_eq(run(&h, &tb), IR_EXIT_halt);
        ck_assert_uint_eq(h.cpu->g[5], 21);
        tb_free(&tb);
        harness_close(&h);
    }
}
END_TEST

/* A full code buffer: BACKEND_FULL with cb->used unchanged; earlier blocks still run. */
START_TEST(codebuf_full_leaves_used_unchanged)
{
    struct harness h;
    for (unsigned bi = 0; bi < backend_count(); bi++) {
        if (!harness_open(&h, bi, 16384))
            continue;
        static struct tb tbs[512];
        unsigned n = 0;
        int rc = BACKEND_OK;
        while (n < 512) {
            struct ir_func *f = block(&h, 0x1000 + n);
            for (unsigned i = 0; i < 20; i++)
                ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, i), gv(f, IR_I64, i), k64(f, n));
            end_halt(f);
            ck_assert_int_eq(ir_verify(f, h.err, sizeof(h.err)), 0);
            size_t used = h.cb.used;
            memset(&tbs[n], 0, sizeof(tbs[n]));
            tbs[n].pc = f->pc;
            rc = h.be->compile(h.state, &h.cb, f, &tbs[n], NULL);
            if (rc == BACKEND_FULL) {
                ck_assert_msg(h.cb.used == used, "%s: FULL moved cb->used", h.name);
                break;
            }
            ck_assert_int_eq(rc, BACKEND_OK);
            ck_assert(h.cb.used <= h.cb.size);
            n++;
        }
        ck_assert_msg(rc == BACKEND_FULL && n > 0, "%s: 16 KiB never filled (%u blocks)", h.name,
                      n);
        h.cpu->g[0] = 0;
        ck_assert_uint_eq(run(&h, &tbs[0]), IR_EXIT_halt);
        ck_assert_uint_eq(run(&h, &tbs[n - 1]), IR_EXIT_halt);
        ck_assert_uint_eq(h.cpu->g[0], n - 1);
        for (unsigned i = 0; i < n; i++)
            tb_free(&tbs[i]);
        harness_close(&h);
    }
}
END_TEST

START_TEST(log_writes_host_code)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        char *text = NULL;
        size_t len = 0;
        FILE *log = open_memstream(&text, &len);
        ck_assert_ptr_nonnull(log);
        struct ir_func *f = block(&h, 0x1000);
        ir_insn_start(f, 0x1000);
        ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, 0), gv(f, IR_I64, 0), k64(f, 1));
        ir_insn_start(f, 0x1004);
        ir_goto_tb(f, 0x1008);
        ck_assert_int_eq(ir_verify(f, h.err, sizeof(h.err)), 0);
        struct tb tb = {.pc = 0x1000};
        ck_assert_int_eq(h.be->compile(h.state, &h.cb, f, &tb, log), BACKEND_OK);
        fclose(log);
        ck_assert_msg(len > 0, "%s: nothing logged", h.name);
        ck_assert_msg(strstr(text, "1004") != NULL, "%s: guest pc not in the log:\n%s", h.name,
                      text);
        free(text);
        tb_free(&tb);
        harness_close(&h);
    }
}
END_TEST

void backend_flow_tests(Suite *s)
{
    backend_add_test(s, "call_zero_to_six_args", call_zero_to_six_args);
    backend_add_test(s, "call_i32_args_and_return", call_i32_args_and_return);
    backend_add_test(s, "call_reads_globals_sees_block_writes",
                     call_reads_globals_sees_block_writes);
    backend_add_test(s, "call_writes_globals_reloaded", call_writes_globals_reloaded);
    backend_add_test(s, "call_env_with_five_args", call_env_with_five_args);
    backend_add_test(s, "call_preserves_live_values", call_preserves_live_values);
    backend_add_test(s, "branch_forward_every_condition", branch_forward_every_condition);
    backend_add_test(s, "branch_backward_loop", branch_backward_loop);
    backend_add_test(s, "branch_unconditional_and_merge", branch_unconditional_and_merge);
    backend_add_test(s, "exit_reasons_and_pc", exit_reasons_and_pc);
    backend_add_test(s, "exit_request_at_entry", exit_request_at_entry);
    backend_add_test(s, "mb_and_nop", mb_and_nop);
    backend_add_test(s, "goto_tb_unchained_returns_chain", goto_tb_unchained_returns_chain);
    backend_add_test(s, "goto_tb_patched_runs_through_and_unlinks",
                     goto_tb_patched_runs_through_and_unlinks);
    backend_add_test(s, "goto_ptr_hit_and_miss", goto_ptr_hit_and_miss);
    backend_add_test(s, "pcmap_monotonic_and_maps_back", pcmap_monotonic_and_maps_back);
    backend_add_test(s, "codebuf_full_leaves_used_unchanged", codebuf_full_leaves_used_unchanged);
    backend_add_test(s, "log_writes_host_code", log_writes_host_code);
}
