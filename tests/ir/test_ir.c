/* test_ir: the IR core (builder), the printer's exact output, and the suite's
 * main.  The text parser, the verifier and the fuzz cases are in test_text.c,
 * test_verify.c and test_fuzz.c. */
#include "test_ir.h"

#include <stdlib.h>
#include <string.h>

/* ---- test helpers (never called: only their signatures matter here) ---------- */

static uint64_t fn_add2(uint64_t a, uint64_t b) { return a + b; }
static uint32_t fn_mix32(uint32_t a, uint64_t b) { return a ^ (uint32_t)b; }
static void fn_void0(void) {}
static uint64_t fn_ret64(void) { return 64; }
static void fn_env(void *env, uint64_t a) { (void)env, (void)a; }
static uint64_t fn_six(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)
{
    return a + b + c + d + e + f;
}

static const struct ir_helper helper_add2 = {"test_add2", (void *)fn_add2, IR_I64, 2, {IR_I64, IR_I64}, 0};
static const struct ir_helper helper_mix32 = {"test_mix32", (void *)fn_mix32, IR_I32, 2, {IR_I32, IR_I64}, 0};
static const struct ir_helper helper_void0 = {"test_void0", (void *)fn_void0, IR_VOID, 0, {0}, IR_HF_SIDE};
static const struct ir_helper helper_ret64 = {"test_ret64", (void *)fn_ret64, IR_I64, 0, {0}, 0};
static const struct ir_helper helper_env = {
    "test_env", (void *)fn_env, IR_VOID, 1, {IR_I64},
    IR_HF_ENV | IR_HF_READS_GLOBALS | IR_HF_WRITES_GLOBALS};
static const struct ir_helper helper_six = {
    "test_six", (void *)fn_six, IR_I64, 6, {IR_I64, IR_I64, IR_I64, IR_I64, IR_I64, IR_I64}, 0};

void test_ir_register_helpers(void)
{
    const struct ir_helper *all[] = {&helper_add2, &helper_mix32, &helper_void0,
                                     &helper_ret64, &helper_env,  &helper_six};
    for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (ir_helper_register(all[i]) < 0) {
            fprintf(stderr, "test_ir: cannot register helper %s\n", all[i]->name);
            exit(1);
        }
    }
}

char *test_print_func(const struct ir_func *f)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(ms);
    ir_print(ms, f);
    fclose(ms);
    return buf;
}

char *test_print_insn(const struct ir_func *f, const struct ir_insn *in)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(ms);
    ir_print_insn(ms, f, in);
    fclose(ms);
    return buf;
}

const char *const test_data_files[] = {"all_ops.fir", "conds.fir", "memops.fir",
                                       "labels.fir",  "calls.fir", "canonical.fir"};
const unsigned test_ndata_files = sizeof(test_data_files) / sizeof(test_data_files[0]);

char *test_read_data(const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", IR_TEST_DATA_DIR, name);
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "cannot open %s", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_eq(fread(text, 1, (size_t)n, fp), (size_t)n);
    text[n] = 0;
    fclose(fp);
    return text;
}

static int helper_id(const char *name)
{
    int id = ir_helper_find(name);
    ck_assert_int_ge(id, 0);
    return id;
}

/* ---- builder ------------------------------------------------------------------ */

START_TEST(builder_init_is_empty)
{
    struct ir_func f;
    ir_func_init(&f);
    ck_assert_uint_eq(f.nvals, 1);
    ck_assert_uint_eq(f.ninsns, 0);
    ck_assert_uint_eq(f.ntemps, 0);
    ck_assert_uint_eq(f.nlabels, 0);
    ck_assert_int_eq(f.err, 0);
    ir_func_free(&f);
}
END_TEST

START_TEST(builder_temps_are_numbered_in_order)
{
    struct ir_func f;
    ir_func_init(&f);
    ir_ref a = ir_temp(&f, IR_I64), b = ir_temp(&f, IR_I32);
    ck_assert_uint_ne(a, IR_NONE);
    ck_assert_uint_ne(a, b);
    ck_assert_uint_eq(ir_val(&f, a)->num, 0);
    ck_assert_uint_eq(ir_val(&f, b)->num, 1);
    ck_assert_int_eq(ir_val_type(&f, b), IR_I32);
    ck_assert_uint_eq(f.ntemps, 2);
    ir_func_free(&f);
}
END_TEST

START_TEST(builder_consts_are_masked_to_their_type)
{
    struct ir_func f;
    ir_func_init(&f);
    ir_ref c = ir_const(&f, IR_I32, 0x123456789ull);
    ck_assert(ir_is_const(&f, c));
    ck_assert_uint_eq(ir_val(&f, c)->c, 0x23456789u);
    ck_assert_uint_eq(ir_val(&f, ir_const(&f, IR_I64, ~0ull))->c, ~0ull);
    ir_func_free(&f);
}
END_TEST

START_TEST(builder_global_is_found_by_offset)
{
    struct ir_func f;
    ir_func_init(&f);
    ir_ref g = ir_global(&f, IR_I64, 0x40, "x0");
    ck_assert_uint_eq(ir_global(&f, IR_I64, 0x40, "x0"), g);
    ck_assert_uint_eq(ir_val(&f, g)->size, 8);
    ck_assert_str_eq(ir_val(&f, g)->name, "x0");
    ck_assert_int_eq(f.err, 0);
    ir_global(&f, IR_I32, 0x40, "w0"); /* same offset, other type */
    ck_assert_int_ne(f.err, 0);
    ir_func_free(&f);
}
END_TEST

START_TEST(builder_emit_takes_type_from_first_typed_operand)
{
    struct ir_func f;
    ir_func_init(&f);
    ir_ref t = ir_temp(&f, IR_I32);
    ir_emit_1_2(&f, IR_OP_add, t, t, ir_const(&f, IR_I32, 1));
    ir_ref d = ir_temp(&f, IR_I64);
    ir_emit_1_1(&f, IR_OP_zext, d, t);
    ck_assert_int_eq(f.err, 0);
    ck_assert_uint_eq(f.ninsns, 2);
    ck_assert_uint_eq(f.insns[0].type, IR_I32);
    ck_assert_uint_eq(f.insns[0].nout, 1);
    ck_assert_uint_eq(f.insns[0].nin, 2);
    ck_assert_uint_eq(f.insns[1].op, IR_OP_zext);
    ir_func_free(&f);
}
END_TEST

START_TEST(builder_error_is_sticky)
{
    struct ir_func f;
    ir_func_init(&f);
    ir_ref t = ir_temp(&f, IR_I64);
    ir_ref args[2] = {t, t};
    ck_assert_int_eq(ir_emit(&f, IR_OP_add, args, 2, NULL, 0), -1);
    ck_assert_int_ne(f.err, 0);
    ck_assert_ptr_nonnull(strstr(f.errmsg, "add takes 3 values"));
    ir_mov(&f, t, t); /* ignored after the error */
    ck_assert_uint_eq(f.ninsns, 0);
    char err[256];
    ck_assert_int_ne(ir_verify(&f, err, sizeof(err)), 0);
    ck_assert_ptr_nonnull(strstr(err, "builder reported an error"));
    ir_func_free(&f);
}
END_TEST

START_TEST(builder_call_shapes_follow_the_helper)
{
    struct ir_func f;
    ir_func_init(&f);
    ir_ref d = ir_temp(&f, IR_I64);
    ir_ref args[2] = {d, ir_const(&f, IR_I64, 1)};
    ir_movi(&f, d, 0);
    ir_call(&f, helper_id("test_add2"), d, args);
    ir_call(&f, helper_id("test_void0"), IR_NONE, NULL);
    ck_assert_int_eq(f.err, 0);
    ck_assert_uint_eq(f.insns[1].nout, 1);
    ck_assert_uint_eq(f.insns[1].nin, 2);
    ck_assert_uint_eq(f.insns[2].nout, 0);
    ck_assert_uint_eq(f.insns[2].nin, 0);
    /* a helper with side effects makes its call a side-effect insn */
    ck_assert(!(ir_insn_flags(&f.insns[1]) & IR_F_SIDE));
    ck_assert(ir_insn_flags(&f.insns[2]) & IR_F_SIDE);
    ir_call(&f, 99999, d, args);
    ck_assert_int_ne(f.err, 0);
    ir_func_free(&f);
}
END_TEST

/* insn_start, goto_tb, set_label and br have constant args only. */
START_TEST(builder_markers_and_jumps_have_only_constant_args)
{
    struct ir_func f;
    ir_func_init(&f);
    uint32_t l = ir_new_label(&f);
    ir_insn_start(&f, 0xfffffffffffffff0ull);
    ir_br(&f, l);
    ir_set_label(&f, l);
    ir_goto_tb(&f, 0x1234);
    ck_assert_int_eq(f.err, 0);
    ck_assert_uint_eq(f.ninsns, 4);
    static const unsigned ops[4] = {IR_OP_insn_start, IR_OP_br, IR_OP_set_label, IR_OP_goto_tb};
    static const int64_t cargs[4] = {(int64_t)0xfffffffffffffff0ull, 0, 0, 0x1234};
    for (unsigned i = 0; i < 4; i++) {
        ck_assert_uint_eq(f.insns[i].op, ops[i]);
        ck_assert_uint_eq(f.insns[i].nout + f.insns[i].nin, 0);
        ck_assert_uint_eq(f.insns[i].ncarg, 1);
        ck_assert_int_eq(f.insns[i].carg[0], cargs[i]);
    }
    ir_func_free(&f);
}
END_TEST

START_TEST(builder_compact_removes_nops)
{
    struct ir_func f;
    ir_func_init(&f);
    ir_ref t = ir_temp(&f, IR_I64);
    ir_movi(&f, t, 1);
    ir_movi(&f, t, 2);
    ir_exit(&f, IR_EXIT_halt, t);
    ir_make_nop(&f.insns[0]);
    char err[256];
    ck_assert_msg(ir_verify(&f, err, sizeof(err)) == 0, "%s", err); /* nops are valid */
    ir_compact(&f);
    ck_assert_uint_eq(f.ninsns, 2);
    ck_assert_uint_eq(ir_val(&f, ir_in(&f.insns[0], 0))->c, 2);
    ck_assert_uint_eq(f.insns[1].op, IR_OP_exit);
    ir_func_free(&f);
}
END_TEST

START_TEST(builder_copy_is_equal)
{
    struct ir_func f, g;
    ir_func_init(&f);
    ir_func_init(&g);
    ir_ref x = ir_global(&f, IR_I64, 8, "x");
    uint32_t l = ir_new_label(&f);
    ir_brcond(&f, IR_COND_eq, x, ir_const(&f, IR_I64, 0), l);
    ir_goto_tb(&f, 0x10);
    ir_set_label(&f, l);
    ir_goto_ptr(&f, x);
    ck_assert_int_eq(ir_func_copy(&g, &f), 0);
    char *a = test_print_func(&f), *b = test_print_func(&g);
    ck_assert_str_eq(a, b);
    ck_assert_uint_eq(g.nlabels, 1);
    free(a);
    free(b);
    ir_func_free(&f);
    ir_func_free(&g);
}
END_TEST

TCase *test_ir_builder_tcase(void)
{
    TCase *tc = tcase_create("builder");
    tcase_add_test(tc, builder_init_is_empty);
    tcase_add_test(tc, builder_temps_are_numbered_in_order);
    tcase_add_test(tc, builder_consts_are_masked_to_their_type);
    tcase_add_test(tc, builder_global_is_found_by_offset);
    tcase_add_test(tc, builder_emit_takes_type_from_first_typed_operand);
    tcase_add_test(tc, builder_error_is_sticky);
    tcase_add_test(tc, builder_call_shapes_follow_the_helper);
    tcase_add_test(tc, builder_markers_and_jumps_have_only_constant_args);
    tcase_add_test(tc, builder_compact_removes_nops);
    tcase_add_test(tc, builder_copy_is_equal);
    return tc;
}

/* ---- printer -------------------------------------------------------------------- */

/* A block built through the builder, printed exactly. */
START_TEST(printer_known_func_golden)
{
    struct ir_func f;
    ir_func_init(&f);
    f.pc = 0x1000;
    f.flags = 2;
    ir_ref x0 = ir_global(&f, IR_I64, 0x40, "x0");
    ir_ref nf = ir_global(&f, IR_I32, 0x48, "nf");
    ir_ref t0 = ir_temp(&f, IR_I64), t1 = ir_temp(&f, IR_I32);
    uint32_t l0 = ir_new_label(&f);
    ir_insn_start(&f, 0x1000);
    ir_emit_1_2(&f, IR_OP_add, t0, x0, ir_const(&f, IR_I64, 5));
    ir_ld(&f, t1, t0, IR_MO_32);
    ir_brcond(&f, IR_COND_ltu, t0, x0, l0);
    ir_setcond(&f, IR_COND_lt, nf, t1, ir_const(&f, IR_I32, 0));
    ir_ref args[2] = {x0, ir_const(&f, IR_I64, (uint64_t)-5000)};
    ir_call(&f, helper_id("test_add2"), t0, args);
    ir_st(&f, t1, t0, IR_MO_16 | IR_MO_BE);
    ir_ld_state(&f, t0, 0x100, IR_MO_8 | IR_MO_SIGN);
    ir_deposit(&f, t1, t1, ir_const(&f, IR_I32, 0xffffffff), 4, 8);
    int64_t two = 2;
    ir_ref bs[2] = {t1, t1};
    ir_emit(&f, IR_OP_bswap, bs, 2, &two, 1);
    ir_emit(&f, IR_OP_mb, (ir_ref[]){IR_NONE}, 0, (int64_t[]){IR_MB_ST}, 1);
    ir_exit(&f, IR_EXIT_syscall, t0);
    ir_set_label(&f, l0);
    ir_goto_tb(&f, 0x1004);
    ck_assert_int_eq(f.err, 0);
    char *text = test_print_func(&f);
    ck_assert_str_eq(text,
                     "global x0:i64 @0x40\n"
                     "global nf:i32 @0x48\n"
                     "block 0x1000 flags=0x2\n"
                     "  temps t0:i64 t1:i32\n"
                     "  insn_start 0x1000\n"
                     "  add.i64 t0, x0, 5\n"
                     "  ld.i32 t1, t0, u32le\n"
                     "  brcond.i64 t0, x0, ltu, L0\n"
                     "  setcond.i32 nf, t1, 0, lt\n"
                     "  call t0, x0, 0xffffffffffffec78, @test_add2\n"
                     "  st.i32 t1, t0, u16be\n"
                     "  ld_state.i64 t0, 0x100, s8\n"
                     "  deposit.i32 t1, t1, -1, 4, 8\n"
                     "  bswap.i32 t1, t1, 2\n"
                     "  mb st\n"
                     "  exit t0, syscall\n"
                     "L0:\n"
                     "  goto_tb 0x1004\n");
    free(text);
    char err[256];
    ck_assert_msg(ir_verify(&f, err, sizeof(err)) == 0, "%s", err);
    ir_func_free(&f);
}
END_TEST

START_TEST(printer_omits_empty_temps_and_zero_flags)
{
    struct ir_func f;
    ir_func_init(&f);
    f.pc = 0x20;
    ir_goto_tb(&f, 0x24);
    char *text = test_print_func(&f);
    ck_assert_str_eq(text, "block 0x20\n  goto_tb 0x24\n");
    free(text);
    f.env_size = 0x200;
    text = test_print_func(&f);
    ck_assert_str_eq(text, "block 0x20 env_size=0x200\n  goto_tb 0x24\n");
    free(text);
    ir_func_free(&f);
}
END_TEST

/* Constants: signed decimal within [-4096, 4096], else hex of the type's bits. */
static const struct {
    enum ir_type type;
    uint64_t value;
    const char *text;
} const_forms[] = {
    {IR_I64, 0, "0"},
    {IR_I64, 4096, "4096"},
    {IR_I64, 4097, "0x1001"},
    {IR_I64, (uint64_t)-4096, "-4096"},
    {IR_I64, (uint64_t)-4097, "0xffffffffffffefff"},
    {IR_I64, ~0ull, "-1"},
    {IR_I64, 1ull << 63, "0x8000000000000000"},
    {IR_I64, 0xffffffffull, "0xffffffff"},
    {IR_I32, 0xffffffffull, "-1"},
    {IR_I32, 0xfffff000ull, "-4096"},
    {IR_I32, 0xffffefffull, "0xffffefff"},
    {IR_I32, 0x80000000ull, "0x80000000"},
    {IR_I32, 0x7fffffffull, "0x7fffffff"},
    {IR_I32, 4096, "4096"},
};

START_TEST(printer_constant_canonical_form)
{
    struct ir_func f;
    ir_func_init(&f);
    enum ir_type t = const_forms[_i].type;
    ir_mov(&f, ir_temp(&f, t), ir_const(&f, t, const_forms[_i].value));
    char *text = test_print_insn(&f, &f.insns[0]);
    char want[64];
    snprintf(want, sizeof(want), "mov.%s t0, %s", ir_type_names[t], const_forms[_i].text);
    ck_assert_str_eq(text, want);
    free(text);
    ir_func_free(&f);
}
END_TEST

/* An address slot zero-extends: an i32 constant there prints as its 64-bit value. */
START_TEST(printer_address_constant_is_zero_extended)
{
    struct ir_func f;
    ir_func_init(&f);
    ir_ld(&f, ir_temp(&f, IR_I64), ir_const(&f, IR_I32, 0xfffffffb), IR_MO_8);
    ir_exit(&f, IR_EXIT_halt, ir_const(&f, IR_I32, 0xfffffffb));
    char *a = test_print_insn(&f, &f.insns[0]), *b = test_print_insn(&f, &f.insns[1]);
    ck_assert_str_eq(a, "ld.i64 t0, 0xfffffffb, u8");
    ck_assert_str_eq(b, "exit 0xfffffffb, halt");
    free(a);
    free(b);
    ir_func_free(&f);
}
END_TEST

static const struct {
    unsigned memop;
    const char *guest, *state;
} memop_forms[] = {
    {IR_MO_8, "u8", "u8"},
    {IR_MO_8 | IR_MO_SIGN, "s8", "s8"},
    {IR_MO_8 | IR_MO_BE, "u8", NULL}, /* byte order means nothing at 8 bits */
    {IR_MO_16, "u16le", "u16"},
    {IR_MO_16 | IR_MO_SIGN, "s16le", "s16"},
    {IR_MO_16 | IR_MO_BE, "u16be", NULL},
    {IR_MO_16 | IR_MO_BE | IR_MO_SIGN, "s16be", NULL},
    {IR_MO_32, "u32le", "u32"},
    {IR_MO_32 | IR_MO_SIGN, "s32le", "s32"},
    {IR_MO_32 | IR_MO_BE, "u32be", NULL},
    {IR_MO_32 | IR_MO_BE | IR_MO_SIGN, "s32be", NULL},
    {IR_MO_64, "u64le", "u64"},
    {IR_MO_64 | IR_MO_BE, "u64be", NULL},
};

START_TEST(printer_memop_names)
{
    struct ir_func f;
    ir_func_init(&f);
    ir_ref t = ir_temp(&f, IR_I64);
    ir_ld(&f, t, t, memop_forms[_i].memop);
    ir_ld_state(&f, t, 0x10, memop_forms[_i].memop);
    char want[64];
    char *text = test_print_insn(&f, &f.insns[0]);
    snprintf(want, sizeof(want), "ld.i64 t0, t0, %s", memop_forms[_i].guest);
    ck_assert_str_eq(text, want);
    free(text);
    if (memop_forms[_i].state) {
        text = test_print_insn(&f, &f.insns[1]);
        snprintf(want, sizeof(want), "ld_state.i64 t0, 0x10, %s", memop_forms[_i].state);
        ck_assert_str_eq(text, want);
        free(text);
    }
    ir_func_free(&f);
}
END_TEST

/* The verifier prints broken insns: the printer must show, not crash on, bad fields. */
START_TEST(printer_shows_invalid_fields)
{
    struct ir_func f;
    ir_func_init(&f);
    ir_ref t = ir_temp(&f, IR_I64);
    ir_setcond(&f, IR_COND_eq, t, t, t);
    struct ir_insn *in = &f.insns[0];
    in->carg[0] = 77;
    in->args[2] = 12345;
    char *text = test_print_insn(&f, in);
    ck_assert_str_eq(text, "setcond.i64 t0, t0, ?v12345, ?cond=77");
    free(text);
    in->op = 999;
    text = test_print_insn(&f, in);
    ck_assert_str_eq(text, "?op=999");
    free(text);
    in->op = IR_OP_exit;
    in->nout = 0;
    in->nin = 1;
    in->ncarg = 1;
    in->args[0] = t;
    in->carg[0] = -3;
    text = test_print_insn(&f, in);
    ck_assert_str_eq(text, "exit t0, ?exit=-3");
    free(text);
    in->nin = 200; /* more than IR_MAX_ARGS: printing stops at the array's end */
    free(test_print_insn(&f, in));
    ir_func_free(&f);
}
END_TEST

TCase *test_ir_printer_tcase(void)
{
    TCase *tc = tcase_create("printer");
    tcase_add_test(tc, printer_known_func_golden);
    tcase_add_test(tc, printer_omits_empty_temps_and_zero_flags);
    tcase_add_loop_test(tc, printer_constant_canonical_form, 0,
                        sizeof(const_forms) / sizeof(const_forms[0]));
    tcase_add_test(tc, printer_address_constant_is_zero_extended);
    tcase_add_loop_test(tc, printer_memop_names, 0, sizeof(memop_forms) / sizeof(memop_forms[0]));
    tcase_add_test(tc, printer_shows_invalid_fields);
    return tc;
}

/* ---- main ------------------------------------------------------------------------ */

int main(void)
{
    test_ir_register_helpers();
    Suite *s = suite_create("ir");
    suite_add_tcase(s, test_ir_builder_tcase());
    suite_add_tcase(s, test_ir_printer_tcase());
    suite_add_tcase(s, test_ir_roundtrip_tcase());
    suite_add_tcase(s, test_ir_parse_errors_tcase());
    suite_add_tcase(s, test_ir_verify_tcase());
    suite_add_tcase(s, test_ir_fuzz_tcase());
    suite_add_tcase(s, test_ir_scratch_tcase());
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
