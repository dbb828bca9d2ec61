/* test_ir: robustness and round-trip properties on generated input.  Truncated,
 * mutated and random text must never crash the parser (the suite also runs
 * under ASan/UBSan); random valid funcs from the builder must round-trip; and
 * the verifier must survive arbitrary insn fields.  Seeds are fixed. */
#include "test_ir.h"

#include <stdlib.h>
#include <string.h>

static uint64_t rnd(uint64_t *s) /* xorshift64* */
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}
static unsigned rnd_below(uint64_t *s, unsigned n) { return (unsigned)(rnd(s) % n); }

/* Parse text that may be anything.  If it parses, every func must verify and
 * its printout must reparse to the same text. */
static void parse_anything(const char *text)
{
    struct ir_module m;
    char err[256];
    if (ir_parse(text, "fuzz", &m, err, sizeof(err)) != 0) {
        ck_assert_uint_eq(m.nfuncs, 0);
        ck_assert_msg(strncmp(err, "fuzz:", 5) == 0, "message without a location: %s", err);
        return;
    }
    for (unsigned k = 0; k < m.nfuncs; k++) {
        ck_assert_int_eq(ir_verify(&m.funcs[k], err, sizeof(err)), 0);
        char *a = test_print_func(&m.funcs[k]);
        struct ir_module m2;
        ck_assert_msg(ir_parse(a, "again", &m2, err, sizeof(err)) == 0, "%s\n%s", err, a);
        char *b = test_print_func(&m2.funcs[0]);
        ck_assert_str_eq(a, b);
        free(a);
        free(b);
        ir_module_free(&m2);
    }
    ir_module_free(&m);
}

START_TEST(fuzz_truncated_files)
{
    char *text = test_read_data(test_data_files[_i]);
    size_t n = strlen(text);
    char *buf = malloc(n + 1);
    ck_assert_ptr_nonnull(buf);
    for (size_t len = 0; len <= n; len++) {
        memcpy(buf, text, len);
        buf[len] = 0;
        parse_anything(buf);
    }
    free(buf);
    free(text);
}
END_TEST

START_TEST(fuzz_mutated_files)
{
    uint64_t seed = 0x9e3779b97f4a7c15ull + (uint64_t)_i;
    char *text = test_read_data(test_data_files[_i]);
    size_t n = strlen(text);
    static const char interesting[] = " \n\t,:;#@.-0123456789xLt_abcdefgiu";
    char *buf = malloc(n + 16);
    ck_assert_ptr_nonnull(buf);
    for (unsigned iter = 0; iter < 400; iter++) {
        memcpy(buf, text, n + 1);
        size_t len = n;
        for (unsigned k = 1 + rnd_below(&seed, 4); k > 0 && len > 0; k--) {
            size_t at = rnd_below(&seed, (unsigned)len);
            char c = rnd_below(&seed, 4) ? interesting[rnd_below(&seed, sizeof(interesting) - 1)]
                                         : (char)(1 + rnd_below(&seed, 255));
            switch (rnd_below(&seed, 3)) {
            case 0: /* replace */
                buf[at] = c;
                break;
            case 1: /* delete */
                memmove(buf + at, buf + at + 1, len - at);
                len--;
                break;
            default: /* insert */
                memmove(buf + at + 1, buf + at, len - at + 1);
                buf[at] = c;
                len++;
                break;
            }
        }
        parse_anything(buf);
    }
    free(buf);
    free(text);
}
END_TEST

START_TEST(fuzz_random_bytes)
{
    uint64_t seed = 12345;
    char buf[301];
    for (unsigned iter = 0; iter < 3000; iter++) {
        unsigned len = rnd_below(&seed, 300);
        for (unsigned k = 0; k < len; k++)
            buf[k] = (char)(1 + rnd_below(&seed, 255));
        buf[len] = 0;
        parse_anything(buf);
    }
}
END_TEST

/* Lines assembled from IR words: far more of them get past the first token. */
START_TEST(fuzz_token_soup)
{
    static const char *const words[] = {
        "block", "0x10", "global", "x0:i64", "@0x40", "w:i32", "@0x48", "temps", "t0:i64",
        "t1:i32", "t2:i64", "add.i64", "mov.i32", "ld.i64", "st.i32", "call", "@test_add2",
        "@test_void0", "brcond.i64", "br", "L0", "L1", "L0:", "L1:", "exit", "goto_tb",
        "goto_ptr", "halt", "syscall", "chain", "eq", "ltu", "u32le", "s8", "u64", "t0", "t1",
        "t2", "x0", "w", "0", "-1", "4097", "0xffffffff", "0x1ffffffff", ",", ",", ",", ":",
        "flags=1", "env_size=0x100", "extract.i64", "8", "64", "bswap.i32", "4", "ld_state.i64",
        "mb", "full", "nop", "insn_start", "zext", "trunc", "setcond.i32", "movcond.i64", ";",
        "#", "\n", "\n", "\n", "\n"};
    const unsigned nwords = sizeof(words) / sizeof(words[0]);
    uint64_t seed = 777;
    char buf[1024];
    for (unsigned iter = 0; iter < 4000; iter++) {
        size_t len = 0;
        unsigned n = 1 + rnd_below(&seed, 60);
        for (unsigned k = 0; k < n; k++) {
            const char *w = words[rnd_below(&seed, nwords)];
            size_t wl = strlen(w);
            if (len + wl + 2 >= sizeof(buf))
                break;
            memcpy(buf + len, w, wl);
            len += wl;
            buf[len++] = rnd_below(&seed, 3) ? ' ' : ',';
        }
        buf[len] = 0;
        parse_anything(buf);
    }
}
END_TEST

/* ---- random valid funcs ------------------------------------------------------------- */

static uint64_t rnd_const(uint64_t *s)
{
    static const uint64_t edge[] = {0, 1, 2, ~0ull, 4096, 4097, (uint64_t)-4096, (uint64_t)-4097,
                                    0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
                                    1ull << 63, (1ull << 63) - 1, 0xfffff000, 0xffffefff};
    return rnd_below(s, 3) ? edge[rnd_below(s, sizeof(edge) / sizeof(edge[0]))] : rnd(s);
}

struct gen {
    uint64_t *seed;
    struct ir_func *f;
    ir_ref temps[2][8]; /* [is_i64] */
    unsigned ntemps[2];
    ir_ref globals[2][2];
    uint32_t next_label; /* labels [0, next_label) are set */
    unsigned ngoto_tb;
};

static enum ir_type gen_type(struct gen *g) { return rnd_below(g->seed, 2) ? IR_I64 : IR_I32; }

/* A destination of type t: a temp or a global. */
static ir_ref gen_out(struct gen *g, enum ir_type t)
{
    unsigned k = t == IR_I64;
    if (rnd_below(g->seed, 5) == 0)
        return g->globals[k][rnd_below(g->seed, 2)];
    return g->temps[k][rnd_below(g->seed, g->ntemps[k])];
}

/* A source of type t: a destination or a constant. */
static ir_ref gen_in(struct gen *g, enum ir_type t)
{
    if (rnd_below(g->seed, 3) == 0)
        return ir_const(g->f, t, rnd_const(g->seed));
    return gen_out(g, t);
}

static unsigned gen_memop(struct gen *g, enum ir_type t, bool store, bool state)
{
    for (;;) {
        unsigned mo = rnd_below(g->seed, 16);
        unsigned bytes = ir_mo_bytes(mo);
        if (bytes * 8 > ir_type_bits(t) || (bytes == 8 && (mo & IR_MO_SIGN)) ||
            (store && (mo & IR_MO_SIGN)) || (state && (mo & IR_MO_BE)))
            continue;
        return mo;
    }
}

static void gen_value_insn(struct gen *g)
{
    static const enum ir_op binops[] = {
        IR_OP_add,  IR_OP_sub,  IR_OP_mul,  IR_OP_mulsh, IR_OP_muluh, IR_OP_divs, IR_OP_divu,
        IR_OP_rems, IR_OP_remu, IR_OP_and,  IR_OP_or,    IR_OP_xor,   IR_OP_andc, IR_OP_shl,
        IR_OP_shr,  IR_OP_sar,  IR_OP_rotl, IR_OP_rotr};
    static const enum ir_op unops[] = {IR_OP_mov, IR_OP_neg, IR_OP_not, IR_OP_clz, IR_OP_ctz,
                                       IR_OP_popcnt};
    static const enum ir_op flagops[] = {IR_OP_addc, IR_OP_addv, IR_OP_subb, IR_OP_subv};
    struct ir_func *f = g->f;
    enum ir_type t = gen_type(g);
    unsigned w = ir_type_bits(t);
    switch (rnd_below(g->seed, 16)) {
    case 0: case 1: case 2:
        ir_emit_1_2(f, binops[rnd_below(g->seed, 18)], gen_out(g, t), gen_in(g, t), gen_in(g, t));
        break;
    case 3:
        ir_emit_1_1(f, unops[rnd_below(g->seed, 6)], gen_out(g, t), gen_in(g, t));
        break;
    case 4: {
        ir_ref a[4] = {gen_out(g, t), gen_in(g, t), gen_in(g, t), gen_in(g, t)};
        ir_emit(f, flagops[rnd_below(g->seed, 4)], a, 4, NULL, 0);
        break;
    }
    case 5: {
        int64_t bytes = t == IR_I32 ? 2 << rnd_below(g->seed, 2) : 2 << rnd_below(g->seed, 3);
        ir_ref a[2] = {gen_out(g, t), gen_in(g, t)};
        ir_emit(f, IR_OP_bswap, a, 2, &bytes, 1);
        break;
    }
    case 6: {
        unsigned pos = rnd_below(g->seed, w), len = 1 + rnd_below(g->seed, w - pos);
        switch (rnd_below(g->seed, 3)) {
        case 0: ir_extract(f, gen_out(g, t), gen_in(g, t), pos, len); break;
        case 1: ir_sextract(f, gen_out(g, t), gen_in(g, t), pos, len); break;
        default: ir_deposit(f, gen_out(g, t), gen_in(g, t), gen_in(g, t), pos, len); break;
        }
        break;
    }
    case 7:
        switch (rnd_below(g->seed, 3)) {
        case 0: ir_emit_1_1(f, IR_OP_zext, gen_out(g, IR_I64), gen_in(g, IR_I32)); break;
        case 1: ir_emit_1_1(f, IR_OP_sext, gen_out(g, IR_I64), gen_in(g, IR_I32)); break;
        default: ir_emit_1_1(f, IR_OP_trunc, gen_out(g, IR_I32), gen_in(g, IR_I64)); break;
        }
        break;
    case 8:
        ir_setcond(f, (enum ir_cond)rnd_below(g->seed, IR_COND_COUNT), gen_out(g, t), gen_in(g, t),
                   gen_in(g, t));
        break;
    case 9:
        ir_movcond(f, (enum ir_cond)rnd_below(g->seed, IR_COND_COUNT), gen_out(g, t), gen_in(g, t),
                   gen_in(g, t), gen_in(g, t), gen_in(g, t));
        break;
    case 10:
        ir_ld(f, gen_out(g, t), gen_in(g, gen_type(g)), gen_memop(g, t, false, false));
        break;
    case 11:
        ir_st(f, gen_in(g, t), gen_in(g, gen_type(g)), gen_memop(g, t, true, false));
        break;
    case 12: {
        unsigned mo = gen_memop(g, t, rnd_below(g->seed, 2), true);
        uint32_t off = 0x100 + 8 * rnd_below(g->seed, 16);
        if (rnd_below(g->seed, 2))
            ir_ld_state(f, gen_out(g, t), off, mo);
        else
            ir_st_state(f, gen_in(g, t), off, mo & ~(unsigned)IR_MO_SIGN);
        break;
    }
    case 13: {
        static const char *const names[] = {"test_add2", "test_mix32", "test_void0",
                                            "test_ret64", "test_env", "test_six"};
        int id = ir_helper_find(names[rnd_below(g->seed, 6)]);
        const struct ir_helper *h = ir_helper_get(id);
        ir_ref args[IR_HELPER_MAX_ARGS];
        for (unsigned k = 0; k < h->nargs; k++)
            args[k] = gen_in(g, (enum ir_type)h->args[k]);
        ir_call(f, id, h->ret == IR_VOID ? IR_NONE : gen_out(g, (enum ir_type)h->ret), args);
        break;
    }
    case 14:
        switch (rnd_below(g->seed, 3)) {
        case 0: ir_emit(f, IR_OP_mb, (ir_ref[]){IR_NONE}, 0, (int64_t[]){rnd_below(g->seed, 3)}, 1); break;
        case 1: ir_insn_start(f, rnd(g->seed)); break;
        default: ir_emit(f, IR_OP_nop, (ir_ref[]){IR_NONE}, 0, NULL, 0); break;
        }
        break;
    default:
        ir_mov(f, gen_out(g, t), gen_in(g, t));
        break;
    }
}

/* A terminator, or br, followed by a new label so the code after it is reachable. */
static void gen_exit_point(struct gen *g, bool last)
{
    struct ir_func *f = g->f;
    unsigned kind = rnd_below(g->seed, last ? 3 : 4);
    if (kind == 0 && g->ngoto_tb < 2) {
        ir_goto_tb(f, rnd(g->seed));
        g->ngoto_tb++;
    } else if (kind == 1) {
        ir_goto_ptr(f, gen_in(g, gen_type(g)));
    } else if (kind == 3) {
        ir_br(f, rnd_below(g->seed, f->nlabels));
    } else {
        static const enum ir_exit reasons[] = {IR_EXIT_syscall, IR_EXIT_undef, IR_EXIT_brk,
                                               IR_EXIT_halt, IR_EXIT_fault, IR_EXIT_exception,
                                               IR_EXIT_invalidate};
        ir_exit(f, reasons[rnd_below(g->seed, 7)], gen_in(g, gen_type(g)));
    }
    if (!last)
        ir_set_label(f, g->next_label++);
}

static void gen_func(struct ir_func *f, uint64_t *seed)
{
    struct gen g = {.seed = seed, .f = f};
    ir_func_init(f);
    f->pc = rnd(seed);
    f->flags = rnd_below(seed, 3) ? 0 : (uint32_t)rnd(seed);
    f->env_size = rnd_below(seed, 2) ? 0 : 0x400;
    g.globals[1][0] = ir_global(f, IR_I64, 0x40, "x0");
    g.globals[0][0] = ir_global(f, IR_I32, 0x48, "w0");
    g.globals[1][1] = ir_global(f, IR_I64, 0x50, "x1");
    g.globals[0][1] = ir_global(f, IR_I32, 0x5c, "w_1");
    for (unsigned k = 0; k < 2; k++) {
        g.ntemps[k] = 1 + rnd_below(seed, 8);
        for (unsigned j = 0; j < g.ntemps[k]; j++)
            g.temps[k][j] = ir_temp(f, k ? IR_I64 : IR_I32);
    }
    for (unsigned k = 0; k < 2; k++) /* everything assigned up front */
        for (unsigned j = 0; j < g.ntemps[k]; j++)
            ir_movi(f, g.temps[k][j], rnd_const(seed));
    unsigned nlabels = rnd_below(seed, 5);
    for (unsigned k = 0; k < nlabels; k++)
        ir_new_label(f);
    unsigned n = 5 + rnd_below(seed, 40);
    for (unsigned i = 0; i < n; i++) {
        unsigned r = rnd_below(seed, 12);
        if (r == 0 && g.next_label < nlabels)
            ir_set_label(f, g.next_label++);
        else if (r == 1 && nlabels)
            ir_brcond(f, (enum ir_cond)rnd_below(seed, IR_COND_COUNT), gen_in(&g, IR_I64),
                      gen_in(&g, IR_I64), rnd_below(seed, nlabels));
        else if (r == 2 && g.next_label < nlabels)
            gen_exit_point(&g, false);
        else
            gen_value_insn(&g);
    }
    while (g.next_label < nlabels)
        ir_set_label(f, g.next_label++);
    gen_exit_point(&g, true);
}

START_TEST(fuzz_random_valid_funcs_round_trip)
{
    uint64_t seed = 0xfe77e5eedull;
    for (unsigned iter = 0; iter < 300; iter++) {
        struct ir_func f;
        gen_func(&f, &seed);
        ck_assert_msg(f.err == 0, "generator: %s", f.errmsg);
        char err[512];
        if (ir_verify(&f, err, sizeof(err)) != 0) {
            char *text = test_print_func(&f);
            ck_abort_msg("generated func %u rejected: %s\n%s", iter, err, text);
        }
        test_roundtrip_func(&f);
        ir_func_free(&f);
    }
}
END_TEST

/* Arbitrary insn fields: the verifier (and the printer it uses) must not crash. */
START_TEST(fuzz_verifier_on_garbage_fields)
{
    struct ir_module m;
    char err[512];
    char *text = test_read_data("all_ops.fir");
    ck_assert_int_eq(ir_parse(text, "all_ops", &m, err, sizeof(err)), 0);
    free(text);
    const struct ir_func *base = &m.funcs[0];
    static const int64_t edge[] = {0, 1, 2, 3, 4, 8, 15, 16, 31, 32, 63, 64, 65, -1, -2,
                                   INT64_MIN, INT64_MAX, 0xffffffff, 1000000};
    uint64_t seed = 4242;
    struct ir_func f;
    ir_func_init(&f);
    for (unsigned iter = 0; iter < 3000; iter++) {
        ck_assert_int_eq(ir_func_copy(&f, base), 0);
        for (unsigned k = 1 + rnd_below(&seed, 3); k > 0; k--) {
            if (f.ninsns == 0)
                break;
            struct ir_insn *in = &f.insns[rnd_below(&seed, f.ninsns)];
            int64_t e = edge[rnd_below(&seed, sizeof(edge) / sizeof(edge[0]))];
            switch (rnd_below(&seed, 10)) {
            case 0: in->op = (uint16_t)rnd_below(&seed, IR_OP_COUNT + 3); break;
            case 1: in->type = (uint8_t)rnd_below(&seed, 7); break;
            case 2: in->nout = (uint8_t)rnd_below(&seed, 4); break;
            case 3: in->nin = (uint8_t)(rnd_below(&seed, 8) ? rnd_below(&seed, 5) : rnd(&seed)); break;
            case 4: in->ncarg = (uint8_t)(rnd_below(&seed, 8) ? rnd_below(&seed, 4) : rnd(&seed)); break;
            case 5: in->args[rnd_below(&seed, IR_MAX_ARGS)] = (ir_ref)rnd_below(&seed, f.nvals + 3); break;
            case 6: in->carg[rnd_below(&seed, IR_MAX_CARGS)] = e; break;
            case 7: f.nlabels = (uint32_t)(rnd_below(&seed, 8) ? rnd_below(&seed, 5) : (uint64_t)e); break;
            case 8: f.ntemps = (uint32_t)(rnd_below(&seed, 2) ? rnd_below(&seed, 10) : (uint64_t)e); break;
            default: f.ninsns = rnd_below(&seed, f.ninsns + 1); break;
            }
        }
        if (ir_verify(&f, err, sizeof(err)) == 0) {
            /* still valid: it must print and parse back to the same text */
            char *a = test_print_func(&f);
            struct ir_module m2;
            ck_assert_msg(ir_parse(a, "again", &m2, err, sizeof(err)) == 0, "%s\n%s", err, a);
            char *b = test_print_func(&m2.funcs[0]);
            ck_assert_str_eq(a, b);
            free(a);
            free(b);
            ir_module_free(&m2);
        } else {
            free(test_print_func(&f));
        }
    }
    ir_func_free(&f);
    ir_module_free(&m);
}
END_TEST

TCase *test_ir_fuzz_tcase(void)
{
    TCase *tc = tcase_create("fuzz");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, fuzz_truncated_files, 0, (int)test_ndata_files);
    tcase_add_loop_test(tc, fuzz_mutated_files, 0, (int)test_ndata_files);
    tcase_add_test(tc, fuzz_random_bytes);
    tcase_add_test(tc, fuzz_token_soup);
    tcase_add_test(tc, fuzz_random_valid_funcs_round_trip);
    tcase_add_test(tc, fuzz_verifier_on_garbage_fields);
    return tc;
}
