/* test_ir: the IR text form.  Round trips of the hand-written files in data/
 * (which together use every op, cond, memop, barrier and exit reason), accepted
 * spellings, and a table of malformed inputs with the message each must give. */
#include "test_ir.h"

#include <stdlib.h>
#include <string.h>

/* ---- equivalence of two funcs ------------------------------------------------- */

static bool values_equivalent(const struct ir_func *a, ir_ref ra, const struct ir_func *b, ir_ref rb,
                              bool addr_slot)
{
    const struct ir_value *va = ir_val(a, ra), *vb = ir_val(b, rb);
    if (va->kind != vb->kind)
        return false;
    switch (va->kind) {
    case IR_VAL_TEMP:
        return va->num == vb->num && va->type == vb->type;
    case IR_VAL_GLOBAL:
        return va->num == vb->num && va->type == vb->type && strcmp(va->name, vb->name) == 0;
    default:
        return va->c == vb->c && (addr_slot || va->type == vb->type);
    }
}

static bool is_addr_slot(unsigned op, unsigned i)
{
    if (op == IR_OP_call)
        return false;
    unsigned k = 0;
    for (const char *s = ir_ops[op].sig; *s; s++)
        if (*s != ':' && k++ == i)
            return *s == 'A';
    return false;
}

bool test_funcs_equivalent(const struct ir_func *a, const struct ir_func *b, char *why, size_t n)
{
    if (a->pc != b->pc || a->flags != b->flags || a->env_size != b->env_size) {
        snprintf(why, n, "block header differs");
        return false;
    }
    if (a->ntemps != b->ntemps || a->ninsns != b->ninsns) {
        snprintf(why, n, "ntemps %u/%u or ninsns %u/%u differ", a->ntemps, b->ntemps, a->ninsns,
                 b->ninsns);
        return false;
    }
    /* globals in value order, temps by ordinal */
    ir_ref gb = 1;
    for (ir_ref ga = 1; ga < a->nvals; ga++) {
        const struct ir_value *v = ir_val(a, ga);
        if (v->kind == IR_VAL_TEMP) {
            bool found = false;
            for (ir_ref r = 1; r < b->nvals; r++)
                found |= values_equivalent(a, ga, b, r, false);
            if (!found) {
                snprintf(why, n, "temp t%u differs", v->num);
                return false;
            }
        }
        if (v->kind != IR_VAL_GLOBAL)
            continue;
        while (gb < b->nvals && ir_val(b, gb)->kind != IR_VAL_GLOBAL)
            gb++;
        if (gb == b->nvals || !values_equivalent(a, ga, b, gb, false)) {
            snprintf(why, n, "global %s differs", v->name);
            return false;
        }
        gb++;
    }
    for (uint32_t i = 0; i < a->ninsns; i++) {
        const struct ir_insn *x = &a->insns[i], *y = &b->insns[i];
        bool same = x->op == y->op && x->nout == y->nout && x->nin == y->nin &&
                    x->ncarg == y->ncarg &&
                    (!strchr(ir_ops[x->op].sig, 'T') || x->type == y->type);
        for (unsigned k = 0; same && k < x->ncarg; k++) {
            int64_t cx = x->carg[k], cy = y->carg[k];
            if (x->op == IR_OP_ld || x->op == IR_OP_st) {
                /* an 8-bit memop's byte order means nothing and is not printed */
                if ((cx & IR_MO_SIZE) == IR_MO_8)
                    cx &= ~(int64_t)IR_MO_BE;
                if ((cy & IR_MO_SIZE) == IR_MO_8)
                    cy &= ~(int64_t)IR_MO_BE;
            }
            same = cx == cy;
        }
        for (unsigned k = 0; same && k < (unsigned)x->nout + x->nin; k++)
            same = values_equivalent(a, x->args[k], b, y->args[k], is_addr_slot(x->op, k));
        if (!same) {
            char *tx = test_print_insn(a, x), *ty = test_print_insn(b, y);
            snprintf(why, n, "insn %u differs: '%s' vs '%s'", i, tx, ty);
            free(tx);
            free(ty);
            return false;
        }
    }
    return true;
}

void test_roundtrip_func(const struct ir_func *f)
{
    char err[512];
    char *text1 = test_print_func(f);
    struct ir_module m;
    int rc = ir_parse(text1, "printed", &m, err, sizeof(err));
    ck_assert_msg(rc == 0, "printed IR does not parse: %s\n%s", err, text1);
    ck_assert_uint_eq(m.nfuncs, 1);
    char *text2 = test_print_func(&m.funcs[0]);
    ck_assert_msg(strcmp(text1, text2) == 0, "round trip differs:\n%s---\n%s", text1, text2);
    char why[512];
    ck_assert_msg(test_funcs_equivalent(f, &m.funcs[0], why, sizeof(why)), "%s\n%s", why, text1);
    free(text1);
    free(text2);
    ir_module_free(&m);
}

/* ---- round trips of the data files ------------------------------------------------ */

static void parse_data_file(const char *name, struct ir_module *m)
{
    char path[512], err[512];
    snprintf(path, sizeof(path), "%s/%s", IR_TEST_DATA_DIR, name);
    int rc = ir_parse_file(path, m, err, sizeof(err));
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_uint_gt(m->nfuncs, 0);
}

START_TEST(roundtrip_data_file)
{
    struct ir_module m;
    parse_data_file(test_data_files[_i], &m);
    for (unsigned k = 0; k < m.nfuncs; k++)
        test_roundtrip_func(&m.funcs[k]);
    ir_module_free(&m);
}
END_TEST

/* canonical.fir is written exactly as the printer writes it. */
START_TEST(roundtrip_canonical_file_prints_identically)
{
    struct ir_module m;
    parse_data_file("canonical.fir", &m);
    ck_assert_uint_eq(m.nfuncs, 1);
    char *want = test_read_data("canonical.fir"), *got = test_print_func(&m.funcs[0]);
    ck_assert_str_eq(got, want);
    free(want);
    free(got);
    ir_module_free(&m);
}
END_TEST

/* The data files exercise every op (both types where it has one), every cond in
 * every op that takes one, every spelling of memop, every barrier kind and every
 * exit reason an `exit` may name.  A new op in ops.def makes this fail until a
 * data file uses it. */
START_TEST(roundtrip_files_cover_everything)
{
    bool op_type[IR_OP_COUNT][2] = {{false}};
    bool cond_in[3][IR_COND_COUNT] = {{false}}; /* setcond, movcond, brcond */
    bool memop_ld[2][16] = {{false}}, memop_st[2][16] = {{false}};
    bool state_ld[2][8] = {{false}}, state_st[2][8] = {{false}};
    bool mb[3] = {false}, exits[IR_EXIT_COUNT] = {false};
    for (unsigned fi = 0; fi < test_ndata_files; fi++) {
        struct ir_module m;
        parse_data_file(test_data_files[fi], &m);
        for (unsigned k = 0; k < m.nfuncs; k++) {
            const struct ir_func *f = &m.funcs[k];
            for (uint32_t i = 0; i < f->ninsns; i++) {
                const struct ir_insn *in = &f->insns[i];
                unsigned t = in->type == IR_I32 ? 0 : 1;
                op_type[in->op][t] = true;
                switch (in->op) {
                case IR_OP_setcond: cond_in[0][in->carg[0]] = true; break;
                case IR_OP_movcond: cond_in[1][in->carg[0]] = true; break;
                case IR_OP_brcond: cond_in[2][in->carg[0]] = true; break;
                case IR_OP_ld: memop_ld[t][in->carg[0]] = true; break;
                case IR_OP_st: memop_st[t][in->carg[0]] = true; break;
                case IR_OP_ld_state: state_ld[t][in->carg[1]] = true; break;
                case IR_OP_st_state: state_st[t][in->carg[1]] = true; break;
                case IR_OP_mb: mb[in->carg[0]] = true; break;
                case IR_OP_exit: exits[in->carg[0]] = true; break;
                default: break;
                }
            }
        }
        ir_module_free(&m);
    }
    for (unsigned op = 0; op < IR_OP_COUNT; op++) {
        if (strchr(ir_ops[op].sig, 'T')) {
            ck_assert_msg(op_type[op][0], "no data file uses %s.i32", ir_ops[op].name);
            ck_assert_msg(op_type[op][1], "no data file uses %s.i64", ir_ops[op].name);
        } else {
            ck_assert_msg(op_type[op][0] || op_type[op][1], "no data file uses %s", ir_ops[op].name);
        }
    }
    for (unsigned k = 0; k < 3; k++)
        for (unsigned c = 0; c < IR_COND_COUNT; c++)
            ck_assert_msg(cond_in[k][c], "cond %s is not used by op %u", ir_cond_names[c], k);
    for (unsigned t = 0; t < 2; t++) {
        for (unsigned mo = 0; mo < 16; mo++) {
            unsigned bytes = ir_mo_bytes(mo);
            if (bytes > (t ? 8u : 4u) || (bytes == 1 && (mo & IR_MO_BE)) ||
                (bytes == 8 && (mo & IR_MO_SIGN)))
                continue;
            ck_assert_msg(memop_ld[t][mo], "ld.%s with memop %u unused", t ? "i64" : "i32", mo);
            if (!(mo & IR_MO_SIGN))
                ck_assert_msg(memop_st[t][mo], "st.%s with memop %u unused", t ? "i64" : "i32", mo);
            if (!(mo & IR_MO_BE)) {
                ck_assert_msg(state_ld[t][mo], "ld_state.%s memop %u unused", t ? "i64" : "i32", mo);
                if (!(mo & IR_MO_SIGN))
                    ck_assert_msg(state_st[t][mo], "st_state.%s memop %u unused",
                                  t ? "i64" : "i32", mo);
            }
        }
    }
    for (unsigned k = 0; k < 3; k++)
        ck_assert_msg(mb[k], "mb kind %u unused", k);
    for (unsigned e = 0; e < IR_EXIT_COUNT; e++)
        if (e != IR_EXIT_chain && e != IR_EXIT_lookup && e != IR_EXIT_request)
            ck_assert_msg(exits[e], "exit reason %s unused", ir_exit_names[e]);
}
END_TEST

/* ---- accepted spellings and parser behaviour ------------------------------------------ */

static void parse_ok(const char *text, struct ir_module *m)
{
    char err[512];
    int rc = ir_parse(text, "t.fir", m, err, sizeof(err));
    ck_assert_msg(rc == 0, "%s", err);
}

static const struct {
    enum ir_type type;
    const char *text;
    uint64_t value;
} number_forms[] = {
    {IR_I64, "0", 0},
    {IR_I64, "-0", 0},
    {IR_I64, "007", 7},
    {IR_I64, "0x1F", 0x1f},
    {IR_I64, "0XfF", 0xff},
    {IR_I64, "-1", ~0ull},
    {IR_I64, "18446744073709551615", ~0ull},
    {IR_I64, "-9223372036854775808", 1ull << 63},
    {IR_I64, "0xffffffffffffffff", ~0ull},
    {IR_I64, "-0x10", (uint64_t)-16},
    {IR_I32, "4294967295", 0xffffffff},
    {IR_I32, "-2147483648", 0x80000000},
    {IR_I32, "-1", 0xffffffff},
    {IR_I32, "0xffffffff", 0xffffffff},
};

START_TEST(parse_number_forms)
{
    char text[256];
    const char *tn = ir_type_names[number_forms[_i].type];
    snprintf(text, sizeof(text), "block 0\n  temps t0:%s\n  mov.%s t0, %s\n  exit 0, halt\n", tn,
             tn, number_forms[_i].text);
    struct ir_module m;
    parse_ok(text, &m);
    const struct ir_func *f = &m.funcs[0];
    const struct ir_value *c = ir_val(f, ir_in(&f->insns[0], 0));
    ck_assert(c->kind == IR_VAL_CONST);
    ck_assert_uint_eq(c->type, number_forms[_i].type);
    ck_assert_uint_eq(c->c, number_forms[_i].value);
    ir_module_free(&m);
}
END_TEST

START_TEST(parse_comments_blank_lines_and_crlf)
{
    struct ir_module m;
    parse_ok("; leading comment\r\n# another\r\n\r\nglobal x0:i64 @0x8 ; trailing\r\n"
             "block 0x10   # the block\r\n\t  exit x0 , halt;done\r\n   \r\n",
             &m);
    ck_assert_uint_eq(m.nfuncs, 1);
    char *text = test_print_func(&m.funcs[0]);
    ck_assert_str_eq(text, "global x0:i64 @0x8\nblock 0x10\n  exit x0, halt\n");
    free(text);
    ir_module_free(&m);
}
END_TEST

START_TEST(parse_globals_apply_to_following_blocks)
{
    struct ir_module m;
    parse_ok("global a:i64 @0x0\nblock 1\n  exit a, halt\n"
             "global b:i32 @0x8\nblock 2\n  exit b, halt\n"
             "global a:i64 @0x0\n" /* the same declaration again is fine */
             "block 3\n  exit a, halt\n",
             &m);
    ck_assert_uint_eq(m.nfuncs, 3);
    ck_assert_uint_eq(m.funcs[0].nvals, 2); /* a only */
    ck_assert_uint_eq(m.funcs[1].nvals, 3); /* a and b */
    ck_assert_uint_eq(m.funcs[2].nvals, 3);
    ck_assert_uint_eq(m.funcs[1].pc, 2);
    ir_module_free(&m);
    char err[512];
    ck_assert_int_ne(ir_parse("global a:i64 @0x0\nblock 1\n  exit b, halt\nglobal b:i32 @0x8\n",
                              "t.fir", &m, err, sizeof(err)), 0);
    ck_assert_str_eq(err, "t.fir:3: b is not declared");
    ir_module_free(&m);
}
END_TEST

START_TEST(parse_labels_forward_and_sparse)
{
    struct ir_module m;
    parse_ok("block 0\n  brcond.i64 1, 2, eq, L9\n  br L2\nL2:\n  goto_tb 4\nL9:\n  goto_tb 8\n",
             &m);
    const struct ir_func *f = &m.funcs[0];
    ck_assert_uint_eq(f->nlabels, 10); /* max + 1 */
    ck_assert_uint_eq(f->insns[0].carg[1], 9);
    ck_assert_uint_eq(f->insns[2].op, IR_OP_set_label);
    ck_assert_uint_eq(f->insns[2].carg[0], 2);
    ir_module_free(&m);
    /* the long form of a label is accepted too */
    parse_ok("block 0\n  br L0\n  set_label L0\n  goto_tb 4\n", &m);
    ck_assert_uint_eq(m.funcs[0].insns[1].op, IR_OP_set_label);
    ir_module_free(&m);
}
END_TEST

START_TEST(parse_block_attributes)
{
    struct ir_module m;
    parse_ok("block 0xffffffffffffffff flags=7 env_size=0x1000\n  exit 0, halt\n", &m);
    ck_assert_uint_eq(m.funcs[0].pc, ~0ull);
    ck_assert_uint_eq(m.funcs[0].flags, 7);
    ck_assert_uint_eq(m.funcs[0].env_size, 0x1000);
    ir_module_free(&m);
}
END_TEST

START_TEST(parse_empty_text_has_no_blocks)
{
    struct ir_module m;
    parse_ok("", &m);
    ck_assert_uint_eq(m.nfuncs, 0);
    parse_ok("; only a comment\nglobal x:i64 @0\n", &m);
    ck_assert_uint_eq(m.nfuncs, 0);
    ir_module_free(&m);
}
END_TEST

START_TEST(parse_file_errors_name_the_file)
{
    struct ir_module m;
    char err[512];
    ck_assert_int_ne(ir_parse_file("/nonexistent/x.fir", &m, err, sizeof(err)), 0);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/x.fir: cannot open"));
    ck_assert_uint_eq(m.nfuncs, 0);
    ck_assert_int_ne(ir_parse("block 0\n  bogus\n", NULL, &m, err, sizeof(err)), 0);
    ck_assert_str_eq(err, "<input>:2: unknown op 'bogus'");
}
END_TEST

/* An error after some good blocks leaves the module empty; a tiny error buffer
 * is truncated, a NULL one is allowed. */
START_TEST(parse_error_leaves_module_empty)
{
    struct ir_module m;
    char err[12];
    ck_assert_int_ne(ir_parse("block 0\n  exit 0, halt\nblock 1\n  exit 0, nope\n", "t.fir", &m,
                              err, sizeof(err)), 0);
    ck_assert_uint_eq(m.nfuncs, 0);
    ck_assert_ptr_null(m.funcs);
    ck_assert_str_eq(err, "t.fir:4: un");
    ck_assert_int_ne(ir_parse("block 0\n  nope\n", "t.fir", &m, NULL, 0), 0);
}
END_TEST

TCase *test_ir_roundtrip_tcase(void)
{
    TCase *tc = tcase_create("text");
    tcase_add_loop_test(tc, roundtrip_data_file, 0, (int)test_ndata_files);
    tcase_add_test(tc, roundtrip_canonical_file_prints_identically);
    tcase_add_test(tc, roundtrip_files_cover_everything);
    tcase_add_loop_test(tc, parse_number_forms, 0, sizeof(number_forms) / sizeof(number_forms[0]));
    tcase_add_test(tc, parse_comments_blank_lines_and_crlf);
    tcase_add_test(tc, parse_globals_apply_to_following_blocks);
    tcase_add_test(tc, parse_labels_forward_and_sparse);
    tcase_add_test(tc, parse_block_attributes);
    tcase_add_test(tc, parse_empty_text_has_no_blocks);
    tcase_add_test(tc, parse_file_errors_name_the_file);
    tcase_add_test(tc, parse_error_leaves_module_empty);
    return tc;
}

/* ---- malformed input --------------------------------------------------------------- */

static const struct {
    const char *text, *expect;
} parse_errors[] = {
#include "parse_errors.inc"
};

START_TEST(parse_error_message)
{
    struct ir_module m = {(struct ir_func *)1, 99};
    char err[512];
    int rc = ir_parse(parse_errors[_i].text, "t.fir", &m, err, sizeof(err));
    ck_assert_msg(rc != 0, "accepted:\n%s", parse_errors[_i].text);
    ck_assert_msg(strstr(err, parse_errors[_i].expect) != NULL, "got '%s'\nwant '%s'", err,
                  parse_errors[_i].expect);
    ck_assert_uint_eq(m.nfuncs, 0);
    ck_assert_ptr_null(m.funcs);
}
END_TEST

TCase *test_ir_parse_errors_tcase(void)
{
    TCase *tc = tcase_create("parse_errors");
    tcase_add_loop_test(tc, parse_error_message, 0, sizeof(parse_errors) / sizeof(parse_errors[0]));
    return tc;
}
