/* test_ir: the verifier.  Each case parses a valid base block, pokes fields of
 * the parsed func to break one invariant (verify_cases.inc) and checks the
 * verifier's message; cases without a message must stay valid. */
#include "test_ir.h"

#include <stdlib.h>
#include <string.h>

enum poke_what {
    P_END,        /* no more pokes */
    P_OP,         /* insns[insn].op = value */
    P_TYPE,       /* insns[insn].type = value */
    P_NIN,        /* insns[insn].nin = value */
    P_NCARG,      /* insns[insn].ncarg = value */
    P_ARG,        /* insns[insn].args[k] = the value `name` (see poke_ref), or ref `value` */
    P_CARG,       /* insns[insn].carg[k] = value */
    P_NOP,        /* ir_make_nop(insns[insn]) */
    P_SWAP,       /* swap insns[insn] and insns[value] */
    P_APPEND_NOP, /* one more insn at the end: a nop */
    P_NINSNS,     /* ninsns = value (only shrinks) */
    P_NLABELS,    /* nlabels = value */
    P_NTEMPS,     /* ntemps = value */
    P_ENV,        /* env_size = value */
    P_VAL_C,      /* the constant args[k] of insns[insn]: c = value */
    P_VAL_NUM,    /* value `name`: num = value (temp ordinal, global offset) */
    P_VAL_TYPE,   /* value `name`: type = value */
    P_VAL_KIND,   /* value `name`: kind = value */
    P_VAL_SIZE,   /* value `name`: size = value */
    P_VAL_NAME,   /* global `name` is renamed `str` */
    P_ERR,        /* a sticky builder error "poked" */
};

struct poke {
    enum poke_what what;
    uint32_t insn, k;
    int64_t value;
    const char *name, *str;
};

/* The table leaves trailing poke fields out (they default to 0/NULL). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct {
    const char *title, *base;
    struct poke pokes[4];
    const char *expect;
} verify_cases[] = {
#include "verify_cases.inc"
};
#pragma GCC diagnostic pop

/* A value by name: a global, t<n> (by ordinal), "new32"/"new64" (a new temp),
 * "c32:<n>"/"c64:<n>" (a new constant). */
static ir_ref poke_ref(struct ir_func *f, const char *name)
{
    if (strcmp(name, "new32") == 0 || strcmp(name, "new64") == 0)
        return ir_temp(f, name[3] == '3' ? IR_I32 : IR_I64);
    if (strncmp(name, "c32:", 4) == 0 || strncmp(name, "c64:", 4) == 0)
        return ir_const(f, name[1] == '3' ? IR_I32 : IR_I64, strtoull(name + 4, NULL, 0));
    for (ir_ref r = 1; r < f->nvals; r++) {
        const struct ir_value *v = ir_val(f, r);
        if (v->kind == IR_VAL_GLOBAL && strcmp(v->name, name) == 0)
            return r;
        if (v->kind == IR_VAL_TEMP && name[0] == 't' && v->num == strtoul(name + 1, NULL, 10))
            return r;
    }
    ck_abort_msg("poke: no value %s", name);
    return IR_NONE;
}

static void apply_poke(struct ir_func *f, const struct poke *p)
{
    struct ir_insn *in = p->insn < f->ninsns ? &f->insns[p->insn] : NULL;
    switch (p->what) {
    case P_END: break;
    case P_OP: in->op = (uint16_t)p->value; break;
    case P_TYPE: in->type = (uint8_t)p->value; break;
    case P_NIN: in->nin = (uint8_t)p->value; break;
    case P_NCARG: in->ncarg = (uint8_t)p->value; break;
    case P_ARG: in->args[p->k] = p->name ? poke_ref(f, p->name) : (ir_ref)p->value; break;
    case P_CARG: in->carg[p->k] = p->value; break;
    case P_NOP: ir_make_nop(in); break;
    case P_SWAP: {
        struct ir_insn tmp = *in;
        *in = f->insns[p->value];
        f->insns[p->value] = tmp;
        break;
    }
    case P_APPEND_NOP:
        ir_emit(f, IR_OP_nop, (ir_ref[]){IR_NONE}, 0, NULL, 0);
        ck_assert_int_eq(f->err, 0);
        break;
    case P_NINSNS:
        ck_assert_uint_le(p->value, f->ninsns);
        f->ninsns = (uint32_t)p->value;
        break;
    case P_NLABELS: f->nlabels = (uint32_t)p->value; break;
    case P_NTEMPS: f->ntemps = (uint32_t)p->value; break;
    case P_ENV: f->env_size = (uint32_t)p->value; break;
    case P_VAL_C: {
        struct ir_value *v = &f->vals[in->args[p->k]];
        ck_assert_int_eq(v->kind, IR_VAL_CONST);
        v->c = (uint64_t)p->value;
        break;
    }
    case P_VAL_NUM: f->vals[poke_ref(f, p->name)].num = (uint32_t)p->value; break;
    case P_VAL_TYPE: f->vals[poke_ref(f, p->name)].type = (uint8_t)p->value; break;
    case P_VAL_KIND: f->vals[poke_ref(f, p->name)].kind = (uint8_t)p->value; break;
    case P_VAL_SIZE: f->vals[poke_ref(f, p->name)].size = (uint16_t)p->value; break;
    case P_VAL_NAME: {
        struct ir_value *v = &f->vals[poke_ref(f, p->name)];
        snprintf(v->name, sizeof(v->name), "%s", p->str);
        break;
    }
    case P_ERR:
        ir_error(f, "poked");
        break;
    }
}

START_TEST(verify_case)
{
    struct ir_module m;
    char err[512];
    int rc = ir_parse(verify_cases[_i].base, "base", &m, err, sizeof(err));
    ck_assert_msg(rc == 0, "%s: base does not parse: %s", verify_cases[_i].title, err);
    struct ir_func *f = &m.funcs[0];
    for (unsigned k = 0; k < 4 && verify_cases[_i].pokes[k].what != P_END; k++)
        apply_poke(f, &verify_cases[_i].pokes[k]);
    rc = ir_verify(f, err, sizeof(err));
    const char *expect = verify_cases[_i].expect;
    if (!expect) {
        ck_assert_msg(rc == 0, "%s: rejected: %s", verify_cases[_i].title, err);
        ck_assert_str_eq(err, "");
    } else {
        ck_assert_msg(rc != 0, "%s: accepted", verify_cases[_i].title);
        ck_assert_msg(strstr(err, expect) != NULL, "%s:\n got '%s'\nwant '%s'",
                      verify_cases[_i].title, err, expect);
    }
    ir_module_free(&m);
}
END_TEST

/* A func built entirely through the builder, as a frontend would, verifies. */
START_TEST(verify_accepts_builder_loop)
{
    struct ir_func f;
    ir_func_init(&f);
    ir_ref n = ir_global(&f, IR_I64, 0x10, "n"), acc = ir_global(&f, IR_I64, 0x18, "acc");
    ir_ref i = ir_temp(&f, IR_I64), s = ir_temp(&f, IR_I64);
    uint32_t top = ir_new_label(&f), done = ir_new_label(&f);
    ir_mov(&f, i, n);
    ir_movi(&f, s, 0);
    ir_set_label(&f, top);
    ir_brcond(&f, IR_COND_eq, i, ir_const(&f, IR_I64, 0), done);
    ir_emit_1_2(&f, IR_OP_add, s, s, i);
    ir_emit_1_2(&f, IR_OP_sub, i, i, ir_const(&f, IR_I64, 1));
    ir_br(&f, top);
    ir_set_label(&f, done);
    ir_mov(&f, acc, s);
    ir_goto_tb(&f, 0x40);
    char err[512];
    ck_assert_msg(ir_verify(&f, err, sizeof(err)) == 0, "%s", err);
    test_roundtrip_func(&f);
    ir_func_free(&f);
}
END_TEST

/* The verifier needs no message buffer and leaves a short one terminated. */
START_TEST(verify_error_buffer_handling)
{
    struct ir_func f;
    ir_func_init(&f);
    ir_ref t = ir_temp(&f, IR_I64);
    ir_exit(&f, IR_EXIT_halt, t);
    ck_assert_int_ne(ir_verify(&f, NULL, 0), 0);
    char small[8];
    ck_assert_int_ne(ir_verify(&f, small, sizeof(small)), 0);
    ck_assert_str_eq(small, "insn 0 ");
    ir_func_free(&f);
}
END_TEST

TCase *test_ir_verify_tcase(void)
{
    TCase *tc = tcase_create("verify");
    tcase_add_loop_test(tc, verify_case, 0, sizeof(verify_cases) / sizeof(verify_cases[0]));
    tcase_add_test(tc, verify_accepts_builder_loop);
    tcase_add_test(tc, verify_error_buffer_handling);
    return tc;
}
