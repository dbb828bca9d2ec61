/* test_opt: the simplify identities of simplify_rules.inc, each for i32 and
 * i64: the rewritten op is the expected one and the block still computes the
 * same (checked on the test executor over many start states). */
#include "test_opt.h"

struct rule_opnd {
    char kind; /* 'x', 'y', 'c' constant, 'w' width, '?' any, 0 unused */
    uint64_t v;
};

struct rule {
    const char *name;
    enum ir_op op;
    struct rule_opnd in[4];
    enum ir_cond cond;
    int pos, len;
    enum ir_op want_op;
    struct rule_opnd want_in0;
};

#define X                                                                                          \
    {                                                                                              \
        'x', 0                                                                                     \
    }
#define Y                                                                                          \
    {                                                                                              \
        'y', 0                                                                                     \
    }
#define W                                                                                          \
    {                                                                                              \
        'w', 0                                                                                     \
    }
#define K(v)                                                                                       \
    {                                                                                              \
        'c', (uint64_t)(v)                                                                         \
    }
static const struct rule rules[] = {
#include "simplify_rules.inc"
};
#undef K
#undef W
#undef Y
#undef X

#define NRULES (sizeof(rules) / sizeof(rules[0]))

static ir_ref rule_value(enum ir_type t, const struct rule_opnd *o)
{
    switch (o->kind) {
    case 'x':
        return t == IR_I64 ? G0 : W0;
    case 'y':
        return t == IR_I64 ? G1 : W1;
    case 'w':
        return ir_const(&F, t, ir_type_bits(t));
    default:
        return ir_const(&F, t, o->v);
    }
}

START_TEST(simplify_rule)
{
    const struct rule *r = &rules[_i / 2];
    enum ir_type t = _i % 2 ? IR_I64 : IR_I32;
    ir_ref args[5] = {t == IR_I64 ? G2 : NF};
    unsigned nin = (unsigned)ir_ops[r->op].nin;
    for (unsigned k = 0; k < nin; k++)
        args[1 + k] = rule_value(t, &r->in[k]);
    int64_t cargs[2] = {0, 0};
    unsigned ncargs = ir_ops[r->op].ncarg;
    if (r->op == IR_OP_setcond || r->op == IR_OP_movcond) {
        cargs[0] = r->cond;
    } else if (ncargs == 2) {
        cargs[0] = r->pos;
        cargs[1] = r->len < 0 ? (int64_t)ir_type_bits(t) : r->len;
    }
    ir_emit(&F, r->op, args, 1 + nin, cargs, ncargs);
    ir_goto_tb(&F, 0x1004);
    opt_run_checked(IR_PASS_simplify);
    const struct ir_insn *in = &F.insns[0];
    ck_assert_msg(in->op == r->want_op, "%s (%s): became %s, want %s\n%s", r->name,
                  ir_type_names[t], ir_ops[in->op].name, ir_ops[r->want_op].name, opt_text(&F));
    ir_ref got = ir_in(in, 0);
    const struct rule_opnd *w = &r->want_in0;
    bool ok = w->kind == 'c'
                  ? ir_is_const(&F, got) && ir_val(&F, got)->c == (w->v & ir_type_mask(t))
                  : got == rule_value(t, w);
    ck_assert_msg(ok, "%s (%s): unexpected first input\n%s", r->name, ir_type_names[t],
                  opt_text(&F));
}
END_TEST

void opt_add_simplify_table_tests(TCase *tc)
{
    tcase_add_loop_test(tc, simplify_rule, 0, (int)(2 * NRULES));
}
