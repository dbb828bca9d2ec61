/* test_backend, third part: seeded random blocks (value ops over many temps
 * and globals, guest loads/stores, helper calls, forward branches, all inside
 * a counted loop) run on each backend and on a reference walker over the same
 * ir_func that uses ir/sem.h; CPU state and guest memory must match.  This is
 * what shakes out register-allocator mistakes (spills, syncs, clobbers). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "ir/sem.h"
#include "test_backend.h"

#define RT_TEMPS 40
#define RT_GLOBALS 12
#define RT_MEM 0x2000 /* guest bytes the blocks touch, at guest address 0 */

static uint64_t rt_state;
static uint64_t rt_rnd(void) /* xorshift64*: a sequence per seed */
{
    rt_state ^= rt_state >> 12;
    rt_state ^= rt_state << 25;
    rt_state ^= rt_state >> 27;
    return rt_state * 0x2545f4914f6cdd1dull;
}

static uint64_t rt_mix(uint64_t a) { return (a ^ (a >> 29)) * 0xbf58476d1ce4e5b9ull + 1; }
static const struct ir_helper rt_helper = {"t_rt_mix", (void *)rt_mix, IR_I64, 1, {IR_I64}, 0};

/* ---- the reference: walks the ir_func with ir/sem.h ---- */

struct rt_ref {
    uint64_t *v; /* per ir_ref: temps */
    struct test_cpu *cpu;
    uint8_t *guest;
};

static uint64_t ref_get(const struct ir_func *f, struct rt_ref *r, ir_ref x)
{
    const struct ir_value *iv = ir_val(f, x);
    if (iv->kind == IR_VAL_CONST)
        return iv->c;
    if (iv->kind == IR_VAL_GLOBAL) {
        uint64_t v = 0;
        memcpy(&v, (uint8_t *)r->cpu + iv->num, iv->size);
        return v;
    }
    return r->v[x];
}

static void ref_set(const struct ir_func *f, struct rt_ref *r, ir_ref x, uint64_t v)
{
    const struct ir_value *iv = ir_val(f, x);
    v &= ir_type_mask((enum ir_type)iv->type);
    if (iv->kind == IR_VAL_GLOBAL)
        memcpy((uint8_t *)r->cpu + iv->num, &v, iv->size);
    else
        r->v[x] = v;
}

/* Runs f to its exit; returns the exit reason, sets cpu->pc. */
static unsigned ref_run(const struct ir_func *f, struct rt_ref *r)
{
    uint32_t label_at[64];
    for (uint32_t i = 0; i < f->ninsns; i++)
        if (f->insns[i].op == IR_OP_set_label)
            label_at[f->insns[i].carg[0]] = i;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        const struct ir_insn *in = &f->insns[i];
        uint64_t a[4] = {0};
        for (unsigned k = 0; k < in->nin && k < 4; k++)
            a[k] = ref_get(f, r, ir_in(in, k));
        uint64_t out;
        switch (in->op) {
        case IR_OP_ld:
            ref_set(f, r, ir_out(in, 0),
                    sem_load((enum ir_type)in->type, r->guest + a[0], (unsigned)in->carg[0]));
            break;
        case IR_OP_st:
            sem_store(r->guest + a[1], a[0], (unsigned)in->carg[0]);
            break;
        case IR_OP_call:
            ref_set(f, r, ir_out(in, 0), rt_mix(a[0]));
            break;
        case IR_OP_set_label:
        case IR_OP_insn_start:
            break;
        case IR_OP_br:
            i = label_at[in->carg[0]];
            break;
        case IR_OP_brcond:
            if (sem_cond((enum ir_type)in->type, (enum ir_cond)in->carg[0], a[0], a[1]))
                i = label_at[in->carg[1]];
            break;
        case IR_OP_exit:
            r->cpu->head.pc = a[0];
            return (unsigned)in->carg[0];
        default:
            ck_assert_msg(sem_eval((enum ir_op)in->op, (enum ir_type)in->type, a, in->carg, &out),
                          "reference cannot run %s", ir_ops[in->op].name);
            ref_set(f, r, ir_out(in, 0), out);
            break;
        }
    }
    ck_abort_msg("block fell off its end");
    return 0;
}

/* ---- the generator ---- */

static const enum ir_op rt_ops[] = {
    IR_OP_mov,   IR_OP_add,     IR_OP_sub,      IR_OP_mul,     IR_OP_mulsh, IR_OP_muluh,
    IR_OP_divs,  IR_OP_divu,    IR_OP_rems,     IR_OP_remu,    IR_OP_neg,   IR_OP_and,
    IR_OP_or,    IR_OP_xor,     IR_OP_andc,     IR_OP_not,     IR_OP_shl,   IR_OP_shr,
    IR_OP_sar,   IR_OP_rotl,    IR_OP_rotr,     IR_OP_clz,     IR_OP_ctz,   IR_OP_popcnt,
    IR_OP_bswap, IR_OP_extract, IR_OP_sextract, IR_OP_deposit, IR_OP_zext,  IR_OP_sext,
    IR_OP_trunc, IR_OP_setcond, IR_OP_movcond,  IR_OP_addc,    IR_OP_addv,  IR_OP_subb,
    IR_OP_subv,
};

struct rt_gen {
    struct ir_func *f;
    ir_ref temps[2][RT_TEMPS]; /* by type */
    ir_ref globals[2][RT_GLOBALS / 2];
};

/* An operand of type t: mostly temps, some globals and constants. */
static ir_ref rt_operand(struct rt_gen *g, enum ir_type t)
{
    unsigned k = (unsigned)(rt_rnd() % 10);
    if (k < 6)
        return g->temps[t][rt_rnd() % RT_TEMPS];
    if (k < 8)
        return g->globals[t][rt_rnd() % (RT_GLOBALS / 2)];
    static const uint64_t ks[] = {0, 1, 2, 31, 32, 63, 0x80000000, 0xffffffffffffffffull};
    return ir_const(g->f, t, rt_rnd() % 2 ? ks[rt_rnd() % 8] : rt_rnd());
}

static ir_ref rt_dest(struct rt_gen *g, enum ir_type t)
{
    return rt_rnd() % 4 ? g->temps[t][rt_rnd() % RT_TEMPS]
                        : g->globals[t][rt_rnd() % (RT_GLOBALS / 2)];
}

static enum ir_type rt_slot(char s, enum ir_type t)
{
    return s == 'I' ? IR_I32 : s == 'L' ? IR_I64 : t;
}

static void rt_value_op(struct rt_gen *g)
{
    enum ir_op op = rt_ops[rt_rnd() % (sizeof(rt_ops) / sizeof(rt_ops[0]))];
    enum ir_type t = rt_rnd() % 2 ? IR_I64 : IR_I32;
    unsigned w = ir_type_bits(t);
    int64_t carg[2] = {0, 0};
    if (op == IR_OP_bswap)
        carg[0] = (int64_t)(2u << (rt_rnd() % (t == IR_I64 ? 3 : 2)));
    if (op == IR_OP_extract || op == IR_OP_sextract || op == IR_OP_deposit) {
        carg[1] = 1 + (int64_t)(rt_rnd() % w);
        carg[0] = (int64_t)(rt_rnd() % (w - (unsigned)carg[1] + 1));
    }
    if (op == IR_OP_setcond || op == IR_OP_movcond)
        carg[0] = (int64_t)(rt_rnd() % IR_COND_COUNT);
    const char *sig = ir_ops[op].sig;
    ir_ref args[5];
    args[0] = rt_dest(g, rt_slot(sig[0], t));
    unsigned n = 1;
    for (const char *s = strchr(sig, ':') + 1; *s; s++)
        args[n++] = rt_operand(g, rt_slot(*s, t));
    ir_emit(g->f, op, args, n, carg, ir_ops[op].ncarg);
}

/* One random block: init, then a loop of body ops run `iters` times. */
static void rt_build(struct rt_gen *g, unsigned nops, unsigned iters)
{
    struct ir_func *f = g->f;
    for (enum ir_type t = IR_I32; t <= IR_I64; t++) {
        for (unsigned i = 0; i < RT_TEMPS; i++) {
            g->temps[t][i] = ir_temp(f, t);
            ir_mov(f, g->temps[t][i], ir_const(f, t, rt_rnd()));
        }
        for (unsigned i = 0; i < RT_GLOBALS / 2; i++)
            g->globals[t][i] = gv(f, t, 10 + t * (RT_GLOBALS / 2) + i);
    }
    ir_ref count = ir_temp(f, IR_I64);
    ir_mov(f, count, ir_const(f, IR_I64, iters));
    uint32_t top = ir_new_label(f);
    ir_set_label(f, top);
    uint32_t pending[8];
    unsigned npending = 0;
    int helper = ir_helper_register(&rt_helper);
    ck_assert_int_ge(helper, 0);
    for (unsigned i = 0; i < nops; i++) {
        unsigned k = (unsigned)(rt_rnd() % 40);
        if (k == 0 && npending < 8 && f->nlabels < 60) { /* forward branch over the next ops */
            pending[npending] = ir_new_label(f);
            enum ir_type t = rt_rnd() % 2 ? IR_I64 : IR_I32;
            ir_brcond(f, (enum ir_cond)(rt_rnd() % IR_COND_COUNT), rt_operand(g, t),
                      rt_operand(g, t), pending[npending++]);
        } else if (k == 1 && npending) {
            ir_set_label(f, pending[--npending]);
        } else if (k == 2 || k == 3) { /* guest memory, address masked into range */
            enum ir_type t = rt_rnd() % 2 ? IR_I64 : IR_I32;
            unsigned mo = (unsigned)(rt_rnd() % (t == IR_I64 ? 4 : 3));
            mo |= (rt_rnd() % 2 ? IR_MO_BE : 0);
            ir_ref addr = ir_temp(f, IR_I64);
            ir_emit_1_2(f, IR_OP_and, addr, rt_operand(g, IR_I64), k64(f, RT_MEM - 8));
            if (k == 2) {
                if (rt_rnd() % 2 && ir_mo_bytes(mo) < 8)
                    mo |= IR_MO_SIGN;
                ir_ld(f, rt_dest(g, t), addr, mo);
            } else {
                ir_st(f, rt_operand(g, t), addr, mo);
            }
        } else if (k == 4) {
            ir_ref arg = rt_operand(g, IR_I64);
            ir_call(f, helper, rt_dest(g, IR_I64), &arg);
        } else {
            rt_value_op(g);
        }
    }
    while (npending)
        ir_set_label(f, pending[--npending]);
    ir_emit_1_2(f, IR_OP_sub, count, count, k64(f, 1));
    ir_brcond(f, IR_COND_ne, count, k64(f, 0), top);
    /* every temp out to the state, so the comparison sees them all */
    for (enum ir_type t = IR_I32; t <= IR_I64; t++)
        for (unsigned i = 0; i < RT_TEMPS; i++)
            ir_mov(f, gv(f, t, 40 + t * RT_TEMPS + i), g->temps[t][i]);
    ir_exit(f, IR_EXIT_halt, k64(f, 0x9999));
}

START_TEST(random_blocks_match_reference)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        struct test_cpu *want = malloc(sizeof(*want));
        uint8_t *want_mem = malloc(RT_MEM);
        uint64_t *vals = NULL;
        ck_assert(want && want_mem);
        for (unsigned seed = 1; seed <= 60; seed++) {
            rt_state = 0x1234567ull * seed + 99;
            struct rt_gen g = {.f = block(&h, 0x1000)};
            rt_build(&g, 40 + seed * 4, 1 + seed % 4);
            for (unsigned i = 0; i < NGLOBALS; i++)
                h.cpu->g[i] = rt_rnd();
            for (unsigned i = 0; i < RT_MEM; i++)
                h.guest[i] = (uint8_t)rt_rnd();
            memcpy(want, h.cpu, sizeof(*want));
            memcpy(want_mem, h.guest, RT_MEM);
            vals = realloc(vals, g.f->nvals * sizeof(*vals));
            struct rt_ref r = {vals, want, want_mem};
            ck_assert_uint_eq(ref_run(g.f, &r), IR_EXIT_halt);
            run_halt(&h, g.f);
            for (unsigned i = 0; i < NGLOBALS; i++)
                ck_assert_msg(h.cpu->g[i] == want->g[i],
                              "%s: seed %u: g%u = 0x%llx, reference 0x%llx", h.name, seed, i,
                              (unsigned long long)h.cpu->g[i], (unsigned long long)want->g[i]);
            ck_assert_msg(memcmp(h.guest, want_mem, RT_MEM) == 0, "%s: seed %u: guest memory",
                          h.name, seed);
        }
        free(vals);
        free(want);
        free(want_mem);
        harness_close(&h);
    }
}
END_TEST

void backend_random_tests(Suite *s)
{
    backend_add_test(s, "random_blocks_match_reference", random_blocks_match_reference);
}
