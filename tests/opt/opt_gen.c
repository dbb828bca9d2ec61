/* Random IR block generator for the optimizer's differential test; see
 * opt_gen.h.  Blocks pass ir_verify: every temp is assigned at entry, labels
 * are set after the branches that open them, code after br/terminators starts
 * with a label, at most one loop with a dedicated counter. */
#include "opt_gen.h"

#include <string.h>

#define GEN_T64 4
#define GEN_T32 4
#define GEN_MAX_OPEN 6

struct gen {
    struct ir_func *f;
    const struct vm_helper_ids *h;
    uint64_t rng;
    ir_ref g64[4], g32[2];
    ir_ref t64[GEN_T64], t32[GEN_T32];
    ir_ref taddr, tcnt;
    uint32_t open[GEN_MAX_OPEN]; /* labels branched to, not set yet */
    unsigned nopen;
    int loop_label; /* -1: no loop open */
    bool loop_done;
    unsigned ngoto_tb;
    uint64_t pc;
};

static uint64_t rnd(struct gen *g) { return vm_rand(&g->rng); }
static unsigned rn(struct gen *g, unsigned n) { return (unsigned)(rnd(g) % n); }
static bool chance(struct gen *g, unsigned percent) { return rn(g, 100) < percent; }

static uint64_t interesting(struct gen *g, enum ir_type t)
{
    static const uint64_t vals[] = {0,
                                    1,
                                    2,
                                    3,
                                    4,
                                    7,
                                    8,
                                    16,
                                    31,
                                    32,
                                    33,
                                    63,
                                    64,
                                    0xff,
                                    0x80000000u,
                                    0x7fffffffu,
                                    ~0ull,
                                    ~0ull - 1,
                                    0x8000000000000000ull,
                                    0xfffffff0u};
    if (chance(g, 25))
        return rnd(g) & ir_type_mask(t);
    return vals[rn(g, sizeof(vals) / sizeof(vals[0]))] & ir_type_mask(t);
}

static ir_ref gen_var(struct gen *g, enum ir_type t)
{
    if (chance(g, 65))
        return t == IR_I64 ? g->t64[rn(g, GEN_T64)] : g->t32[rn(g, GEN_T32)];
    return t == IR_I64 ? g->g64[rn(g, 4)] : g->g32[rn(g, 2)];
}

static ir_ref gen_operand(struct gen *g, enum ir_type t)
{
    if (chance(g, 30))
        return ir_const(g->f, t, interesting(g, t));
    return gen_var(g, t);
}

static enum ir_type gen_type(struct gen *g) { return chance(g, 50) ? IR_I64 : IR_I32; }

static void gen_binop(struct gen *g)
{
    static const enum ir_op ops[] = {IR_OP_add,  IR_OP_sub,  IR_OP_mul,  IR_OP_mulsh, IR_OP_muluh,
                                     IR_OP_divs, IR_OP_divu, IR_OP_rems, IR_OP_remu,  IR_OP_and,
                                     IR_OP_or,   IR_OP_xor,  IR_OP_andc, IR_OP_shl,   IR_OP_shr,
                                     IR_OP_sar,  IR_OP_rotl, IR_OP_rotr};
    enum ir_type t = gen_type(g);
    enum ir_op op = ops[rn(g, sizeof(ops) / sizeof(ops[0]))];
    ir_ref a = gen_operand(g, t);
    ir_ref b = chance(g, 15) ? a : gen_operand(g, t);
    ir_emit_1_2(g->f, op, gen_var(g, t), a, b);
}

static void gen_unop(struct gen *g)
{
    static const enum ir_op ops[] = {IR_OP_neg, IR_OP_not, IR_OP_clz, IR_OP_ctz, IR_OP_popcnt,
                                     IR_OP_mov, IR_OP_neg, IR_OP_not, IR_OP_mov};
    enum ir_type t = gen_type(g);
    ir_ref d = gen_var(g, t), a = gen_operand(g, t);
    if (chance(g, 10)) {
        int64_t bytes = t == IR_I64 && chance(g, 50) ? 8 : chance(g, 50) ? 4 : 2;
        ir_ref args[2] = {d, a};
        ir_emit(g->f, IR_OP_bswap, args, 2, &bytes, 1);
        return;
    }
    ir_emit_1_1(g->f, ops[rn(g, sizeof(ops) / sizeof(ops[0]))], d, a);
    if (chance(g, 30)) /* double not/neg, trunc of an extension */
        ir_emit_1_1(g->f, chance(g, 50) ? IR_OP_not : IR_OP_neg, gen_var(g, t), d);
}

static void gen_field(struct gen *g)
{
    enum ir_type t = gen_type(g);
    unsigned w = ir_type_bits(t);
    unsigned pos = chance(g, 25) ? 0 : rn(g, w);
    unsigned len = chance(g, 25) ? w - pos : 1 + rn(g, w - pos);
    ir_ref d = gen_var(g, t);
    switch (rn(g, 3)) {
    case 0:
        ir_extract(g->f, d, gen_operand(g, t), pos, len);
        break;
    case 1:
        ir_sextract(g->f, d, gen_operand(g, t), pos, len);
        break;
    default:
        ir_deposit(g->f, d, gen_operand(g, t), gen_operand(g, t), pos, len);
        break;
    }
}

static void gen_width(struct gen *g)
{
    if (chance(g, 60)) {
        ir_ref d = gen_var(g, IR_I64);
        ir_emit_1_1(g->f, chance(g, 50) ? IR_OP_zext : IR_OP_sext, d, gen_operand(g, IR_I32));
        if (chance(g, 40))
            ir_emit_1_1(g->f, IR_OP_trunc, gen_var(g, IR_I32), d);
    } else {
        ir_emit_1_1(g->f, IR_OP_trunc, gen_var(g, IR_I32), gen_operand(g, IR_I64));
    }
}

static void gen_compare(struct gen *g)
{
    enum ir_type t = gen_type(g);
    enum ir_cond c = (enum ir_cond)rn(g, IR_COND_COUNT);
    ir_ref a = gen_operand(g, t), b = chance(g, 15) ? a : gen_operand(g, t);
    if (chance(g, 50)) {
        ir_setcond(g->f, c, gen_var(g, t), a, b);
    } else {
        ir_ref x = gen_operand(g, t), y = chance(g, 15) ? x : gen_operand(g, t);
        ir_movcond(g->f, c, gen_var(g, t), a, b, x, y);
    }
}

static void gen_flag(struct gen *g)
{
    static const enum ir_op ops[] = {IR_OP_addc, IR_OP_addv, IR_OP_subb, IR_OP_subv};
    enum ir_type t = gen_type(g);
    ir_ref a = gen_operand(g, t), b = chance(g, 20) ? a : gen_operand(g, t);
    ir_ref cin = chance(g, 50) ? ir_const(g->f, t, rn(g, 3)) : gen_var(g, t);
    ir_ref args[4] = {gen_var(g, t), a, b, cin};
    ir_emit(g->f, ops[rn(g, 4)], args, 4, NULL, 0);
}

static unsigned gen_memop(struct gen *g, enum ir_type t, bool load)
{
    unsigned size = rn(g, t == IR_I64 ? 4 : 3);
    unsigned mo = size;
    if (load && size < 3 && chance(g, 40))
        mo |= IR_MO_SIGN;
    if (size && chance(g, 30))
        mo |= IR_MO_BE;
    return mo;
}

static void gen_mem(struct gen *g)
{
    enum ir_type t = gen_type(g);
    ir_ref addr = g->taddr;
    if (chance(g, 8)) {
        addr = gen_var(g, IR_I64); /* most likely out of range: a fault */
    } else {
        ir_emit_1_2(g->f, IR_OP_and, g->taddr, gen_operand(g, IR_I64),
                    ir_const(g->f, IR_I64, 0xf8));
    }
    if (chance(g, 50))
        ir_ld(g->f, gen_var(g, t), addr, gen_memop(g, t, true));
    else
        ir_st(g->f, gen_operand(g, t), addr, gen_memop(g, t, false));
}

static void gen_state(struct gen *g)
{
    /* mostly a few fixed fields, so loads and stores of one field meet */
    static const struct {
        unsigned off, mo;
    } fields[] = {{0x40, IR_MO_64}, {0x48, IR_MO_32}, {0x4c, IR_MO_16}, {0x50, IR_MO_64}};
    enum ir_type t = gen_type(g);
    unsigned mo, off;
    bool load = chance(g, 50);
    if (chance(g, 70)) {
        unsigned k = rn(g, 4);
        off = fields[k].off;
        mo = fields[k].mo;
        if (mo == IR_MO_64)
            t = IR_I64;
        if (load && mo != IR_MO_64 && chance(g, 30))
            mo |= IR_MO_SIGN;
    } else {
        mo = gen_memop(g, t, load) & ~(unsigned)IR_MO_BE;
        unsigned size = ir_mo_bytes(mo);
        unsigned slots = (VM_STATE_HI - VM_STATE_LO) / size;
        off = VM_STATE_LO + size * rn(g, slots < 6 ? slots : 6);
    }
    if (load)
        ir_ld_state(g->f, gen_var(g, t), off, mo);
    else
        ir_st_state(g->f, gen_operand(g, t), off, mo);
}

static void gen_call(struct gen *g)
{
    ir_ref args[2];
    switch (rn(g, 6)) {
    case 0:
        args[0] = gen_operand(g, IR_I64);
        args[1] = gen_operand(g, IR_I64);
        ir_call(g->f, g->h->pure, gen_var(g, IR_I64), args);
        break;
    case 1:
        args[0] = gen_operand(g, IR_I32);
        ir_call(g->f, g->h->pure32, gen_var(g, IR_I32), args);
        break;
    case 2:
        args[0] = gen_operand(g, IR_I64);
        ir_call(g->f, g->h->rd, gen_var(g, IR_I64), args);
        break;
    case 3:
        args[0] = gen_operand(g, IR_I64);
        ir_call(g->f, g->h->wr, IR_NONE, args);
        break;
    case 4:
        args[0] = gen_operand(g, IR_I64);
        ir_call(g->f, g->h->side, IR_NONE, args);
        break;
    default:
        ir_call(g->f, g->h->env, gen_var(g, IR_I64), NULL);
        break;
    }
}

static void gen_terminator(struct gen *g)
{
    unsigned k = rn(g, 3);
    if (k == 0 && g->ngoto_tb < 2) {
        g->ngoto_tb++;
        ir_goto_tb(g->f, 0x2000 + rn(g, 16) * 4);
    } else if (k == 1) {
        ir_goto_ptr(g->f, gen_operand(g, IR_I64));
    } else {
        ir_exit(g->f, chance(g, 50) ? IR_EXIT_syscall : IR_EXIT_undef, gen_operand(g, IR_I64));
    }
}

/* Set an open label; sometimes end the code before it (br or terminator). */
static void gen_close_label(struct gen *g)
{
    unsigned k = rn(g, g->nopen);
    uint32_t l = g->open[k];
    g->open[k] = g->open[--g->nopen];
    if (chance(g, 25)) {
        if (g->nopen && chance(g, 50))
            ir_br(g->f, g->open[rn(g, g->nopen)]);
        else
            gen_terminator(g);
    }
    ir_set_label(g->f, l);
}

static void gen_branch(struct gen *g)
{
    enum ir_type t = gen_type(g);
    ir_ref a = gen_operand(g, t), b = chance(g, 15) ? a : gen_operand(g, t);
    uint32_t l;
    if (g->nopen && chance(g, 40)) {
        l = g->open[rn(g, g->nopen)];
    } else if (g->nopen < GEN_MAX_OPEN) {
        l = ir_new_label(g->f);
        g->open[g->nopen++] = l;
    } else {
        return;
    }
    ir_brcond(g->f, (enum ir_cond)rn(g, IR_COND_COUNT), a, b, l);
}

static void gen_loop(struct gen *g)
{
    if (g->loop_label < 0 && !g->loop_done) {
        g->loop_label = (int)ir_new_label(g->f);
        ir_set_label(g->f, (uint32_t)g->loop_label);
    } else if (g->loop_label >= 0) {
        ir_emit_1_2(g->f, IR_OP_sub, g->tcnt, g->tcnt, ir_const(g->f, IR_I64, 1));
        ir_brcond(g->f, IR_COND_ne, g->tcnt, ir_const(g->f, IR_I64, 0), (uint32_t)g->loop_label);
        g->loop_label = -1;
        g->loop_done = true;
    }
}

static void gen_insn(struct gen *g)
{
    unsigned k = rn(g, 100);
    if (k < 22)
        gen_binop(g);
    else if (k < 32)
        gen_unop(g);
    else if (k < 38)
        gen_field(g);
    else if (k < 43)
        gen_width(g);
    else if (k < 50)
        gen_compare(g);
    else if (k < 55)
        gen_flag(g);
    else if (k < 62)
        gen_mem(g);
    else if (k < 72)
        gen_state(g);
    else if (k < 78)
        gen_call(g);
    else if (k < 85)
        gen_branch(g);
    else if (k < 90 && g->nopen)
        gen_close_label(g);
    else if (k < 93)
        gen_loop(g);
    else if (k < 99)
        ir_insn_start(g->f, g->pc += 4);
    else
        ir_emit(g->f, IR_OP_mb, NULL, 0, (const int64_t[]){IR_MB_FULL}, 1);
}

void gen_block(struct ir_func *f, uint64_t seed, const struct vm_helper_ids *h)
{
    struct gen g;
    memset(&g, 0, sizeof(g));
    g.f = f;
    g.h = h;
    g.rng = seed * 0x100000001b3ull + 1;
    g.loop_label = -1;
    g.pc = 0x1000;
    f->pc = g.pc;
    f->env_size = VM_ENV_SIZE;
    static const char *const n64[4] = {"g0", "g1", "g2", "g3"};
    for (unsigned i = 0; i < 4; i++)
        g.g64[i] = ir_global(f, IR_I64, 8 * i, n64[i]);
    g.g32[0] = ir_global(f, IR_I32, 0x20, "w0");
    g.g32[1] = ir_global(f, IR_I32, 0x24, "w1");
    for (unsigned i = 0; i < GEN_T64; i++)
        g.t64[i] = ir_temp(f, IR_I64);
    for (unsigned i = 0; i < GEN_T32; i++)
        g.t32[i] = ir_temp(f, IR_I32);
    g.taddr = ir_temp(f, IR_I64);
    g.tcnt = ir_temp(f, IR_I64);

    ir_insn_start(f, g.pc);
    ir_movi(f, g.tcnt, 3);
    ir_movi(f, g.taddr, 0);
    for (unsigned i = 0; i < GEN_T64; i++)
        ir_mov(f, g.t64[i],
               chance(&g, 50) ? g.g64[i] : ir_const(f, IR_I64, interesting(&g, IR_I64)));
    for (unsigned i = 0; i < GEN_T32; i++)
        ir_mov(f, g.t32[i],
               chance(&g, 50) ? g.g32[i % 2] : ir_const(f, IR_I32, interesting(&g, IR_I32)));
    unsigned n = 10 + rn(&g, 40);
    for (unsigned i = 0; i < n; i++)
        gen_insn(&g);
    if (g.loop_label >= 0)
        gen_loop(&g);
    while (g.nopen)
        gen_close_label(&g);
    gen_terminator(&g);
}
