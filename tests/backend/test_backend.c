/* Check suite test_backend: every case runs on every backend of this host
 * ("jit", "interp") through struct ferry_backend only.  Value ops are checked
 * against ir/sem.h; memory, calls, control flow, chaining and the jump cache
 * against hand-computed results.  FERRY_TEST_BACKENDS=jit limits the list. */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ir/sem.h"
#include "test_backend.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

#include "test_backend_values.inc"

/* ---- harness ------------------------------------------------------------------ */

static const char *const backend_names[] = {"jit", "interp"};
unsigned backend_count(void) { return sizeof(backend_names) / sizeof(backend_names[0]); }

static bool backend_selected(const char *name)
{
    const char *sel = getenv("FERRY_TEST_BACKENDS");
    if (!sel || !*sel)
        return true;
    size_t n = strlen(name);
    for (const char *p = sel; (p = strstr(p, name)) != NULL; p += n)
        if ((p == sel || p[-1] == ',') && (p[n] == 0 || p[n] == ','))
            return true;
    return false;
}

bool harness_open(struct harness *h, unsigned i, size_t code_size)
{
    memset(h, 0, sizeof(*h));
    h->name = backend_names[i];
    h->be = backend_by_name(h->name);
    if (!h->be || !backend_selected(h->name))
        return false;
    ck_assert_int_eq(codebuf_init(&h->cb, code_size), 0);
    h->state = h->be->create(&h->cb);
    ck_assert_msg(h->state != NULL, "%s: create failed", h->name);
    h->cpu = calloc(1, sizeof(*h->cpu));
    h->jc = calloc(JC_SIZE, sizeof(*h->jc));
    ck_assert(h->cpu && h->jc);
    for (unsigned j = 0; j < JC_SIZE; j++) {
        h->jc[j].pc = JC_EMPTY_PC;
        h->jc[j].flags = JC_EMPTY_FLAGS;
    }
    void *g = mmap(NULL, GUEST_SPAN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    ck_assert(g != MAP_FAILED);
    h->guest = g;
    ck_assert_int_eq(mprotect(h->guest, GUEST_LOW_SIZE, PROT_READ | PROT_WRITE), 0);
    ck_assert_int_eq(mprotect(h->guest + GUEST_HIGH, GUEST_HIGH_SIZE, PROT_READ | PROT_WRITE), 0);
    h->cpu->head.guest_base = h->guest;
    h->cpu->head.jmp_cache = h->jc;
    ir_func_init(&h->f);
    return true;
}

void harness_close(struct harness *h)
{
    ir_func_free(&h->f);
    munmap(h->guest, GUEST_SPAN);
    free(h->jc);
    free(h->cpu);
    h->be->destroy(h->state);
    codebuf_fini(&h->cb);
}

/* A fresh block at `pc` in h->f. */
struct ir_func *block(struct harness *h, uint64_t pc)
{
    ir_func_reset(&h->f);
    h->f.pc = pc;
    h->f.env_size = sizeof(struct test_cpu);
    return &h->f;
}

ir_ref gv(struct ir_func *f, enum ir_type t, unsigned i)
{
    char name[16];
    snprintf(name, sizeof(name), "g%u", i);
    return ir_global(f, t, G_OFF(i), name);
}
ir_ref k32(struct ir_func *f, uint64_t v) { return ir_const(f, IR_I32, v); }
ir_ref k64(struct ir_func *f, uint64_t v) { return ir_const(f, IR_I64, v); }

/* Verify and compile f into *tb; returns the BACKEND_* code.  A full code
 * buffer is flushed once (as the translation cache does): tests that keep
 * several blocks run on a fresh buffer and never get there. */
int try_compile(struct harness *h, struct ir_func *f, struct tb *tb)
{
    ck_assert_msg(f->err == 0, "%s: builder: %s", h->name, f->errmsg);
    ck_assert_msg(ir_verify(f, h->err, sizeof(h->err)) == 0, "%s: ir_verify: %s", h->name, h->err);
    memset(tb, 0, sizeof(*tb));
    tb->pc = f->pc;
    tb->flags = f->flags;
    int rc = h->be->compile(h->state, &h->cb, f, tb, NULL);
    if (rc == BACKEND_FULL) {
        codebuf_reset(&h->cb);
        rc = h->be->compile(h->state, &h->cb, f, tb, NULL);
    }
    return rc;
}

void compile_ok(struct harness *h, struct ir_func *f, struct tb *tb)
{
    int rc = try_compile(h, f, tb);
    ck_assert_msg(rc == BACKEND_OK, "%s: compile returned %d", h->name, rc);
}

unsigned run(struct harness *h, const struct tb *tb)
{
    h->cpu->head.pc = tb->pc;
    return h->be->exec(h->state, &h->cpu->head, tb);
}

void tb_free(struct tb *tb)
{
    free(tb->pcmap);
    tb->pcmap = NULL;
}

/* Compile, run to an `exit halt`, free. */
void run_halt(struct harness *h, struct ir_func *f)
{
    struct tb tb;
    compile_ok(h, f, &tb);
    unsigned r = run(h, &tb);
    ck_assert_msg(r == IR_EXIT_halt, "%s: exit %u, want halt", h->name, r);
    tb_free(&tb);
}

void end_halt(struct ir_func *f) { ir_exit(f, IR_EXIT_halt, k64(f, 0x4444)); }

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) /* splitmix64: same sequence on every run */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
/* Random input biased to interesting values. */
static uint64_t rnd_value(void)
{
    switch (rnd() % 6) {
    case 0:
        return edge_values[rnd() % (sizeof(edge_values) / sizeof(edge_values[0]))];
    case 1:
        return rnd() % 70;
    case 2:
        return -(rnd() % 70);
    default:
        return rnd();
    }
}

/* ---- value ops ------------------------------------------------------------------ */

enum in_mode { IN_CONST, IN_TEMP, IN_GLOBAL };
static const char *const mode_names[] = {"const", "temp", "global"};

static enum ir_type slot_type(char s, enum ir_type t)
{
    return s == 'I' ? IR_I32 : s == 'L' ? IR_I64 : t;
}

/* Types of the output and inputs of a value op of type t, from its sig. */
static unsigned op_types(enum ir_op op, enum ir_type t, enum ir_type *out, enum ir_type *ins)
{
    const char *s = ir_ops[op].sig;
    *out = slot_type(s[0], t);
    unsigned n = 0;
    for (s = strchr(s, ':') + 1; *s; s++)
        ins[n++] = slot_type(*s, t);
    return n;
}

#define CASES 16 /* value-op cases per block */
#define RESULT_G(k) (k)
#define INPUT_G(k, i) (CASES + 4 * (k) + (i))
#define KEEP_G(k, i) (CASES * 5 + 4 * (k) + (i))
#define SENTINEL 0xa5a5a5a5a5a5a5a5ull

struct vrun {
    const struct vop *vo;
    enum ir_type t;
    uint8_t mode[4];
    bool out_global; /* else a temp, with the inputs kept live past the op */
    int alias;       /* >= 0: the output is the value of that input */
};

static void describe(char *buf, size_t n, const struct harness *h, const struct vrun *r,
                     const uint64_t *in, unsigned nin)
{
    int len =
        snprintf(buf, n, "%s: %s.%s cargs(%lld,%lld) out=%s%s", h->name, ir_ops[r->vo->op].name,
                 ir_type_names[r->t], (long long)r->vo->carg[0], (long long)r->vo->carg[1],
                 r->out_global ? "global" : "temp", r->alias >= 0 ? " aliasing an input" : "");
    for (unsigned i = 0; i < nin && len > 0 && (size_t)len < n; i++)
        len += snprintf(buf + len, n - (size_t)len, " in%u=%s:0x%llx", i, mode_names[r->mode[i]],
                        (unsigned long long)in[i]);
}

/* Run r on vectors vec[0..n) (CASES per block) and check each result. */
static void check_vrun(struct harness *h, const struct vrun *r, const uint64_t (*vec)[4],
                       unsigned n)
{
    enum ir_type ot, it[4];
    unsigned nin = op_types(r->vo->op, r->t, &ot, it);
    unsigned ncarg = ir_ops[r->vo->op].ncarg;
    for (unsigned base = 0; base < n; base += CASES) {
        unsigned cnt = n - base < CASES ? n - base : CASES;
        struct ir_func *f = block(h, 0x1000);
        uint64_t in[CASES][4];
        for (unsigned k = 0; k < cnt; k++) {
            ir_ref args[5];
            for (unsigned i = 0; i < nin; i++) {
                uint64_t v = vec[base + k][i] & ir_type_mask(it[i]);
                in[k][i] = v;
                if (r->mode[i] == IN_CONST) {
                    args[1 + i] = ir_const(f, it[i], v);
                } else if (r->mode[i] == IN_TEMP) {
                    args[1 + i] = ir_temp(f, it[i]);
                    ir_mov(f, args[1 + i], ir_const(f, it[i], v));
                } else {
                    args[1 + i] = gv(f, it[i], INPUT_G(k, i));
                    h->cpu->g[INPUT_G(k, i)] = (it[i] == IR_I32 ? SENTINEL << 32 : 0) | v;
                }
            }
            if (r->alias >= 0)
                args[0] = args[1 + r->alias];
            else
                args[0] = r->out_global ? gv(f, ot, RESULT_G(k)) : ir_temp(f, ot);
            ir_emit(f, r->vo->op, args, 1 + nin, r->vo->carg, ncarg);
            if (args[0] != gv(f, ot, RESULT_G(k)))
                ir_mov(f, gv(f, ot, RESULT_G(k)), args[0]);
            if (!r->out_global && r->alias < 0)
                for (unsigned i = 0; i < nin; i++)
                    if (r->mode[i] == IN_TEMP)
                        ir_mov(f, gv(f, it[i], KEEP_G(k, i)), args[1 + i]);
            h->cpu->g[RESULT_G(k)] = SENTINEL;
        }
        end_halt(f);
        run_halt(h, f);
        for (unsigned k = 0; k < cnt; k++) {
            uint64_t want, got = h->cpu->g[RESULT_G(k)];
            char msg[400];
            ck_assert(sem_eval(r->vo->op, r->t, in[k], r->vo->carg, &want));
            describe(msg, sizeof(msg), h, r, in[k], nin);
            if (ot == IR_I32) {
                ck_assert_msg(got >> 32 == SENTINEL >> 32, "%s: i32 store wrote 8 bytes", msg);
                got &= 0xffffffffull;
            }
            ck_assert_msg(got == want, "%s: got 0x%llx want 0x%llx", msg, (unsigned long long)got,
                          (unsigned long long)want);
            if (!r->out_global && r->alias < 0)
                for (unsigned i = 0; i < nin; i++)
                    if (r->mode[i] == IN_TEMP)
                        ck_assert_msg((h->cpu->g[KEEP_G(k, i)] & ir_type_mask(it[i])) == in[k][i],
                                      "%s: input %u clobbered", msg, i);
        }
    }
}

/* Input vectors for an op with nin inputs: edges (all of them, or all
 * pairs; at most max_edges of them), then seeded random ones. */
static unsigned make_vectors(uint64_t (*vec)[4], unsigned cap, unsigned nin, unsigned max_edges,
                             unsigned nrandom)
{
    unsigned n = 0;
    const unsigned ne = sizeof(edge_values) / sizeof(edge_values[0]);
    const unsigned np = sizeof(edge_pair_values) / sizeof(edge_pair_values[0]);
    if (nin == 1) {
        for (unsigned a = 0; a < ne; a++)
            vec[n++][0] = edge_values[a];
    } else {
        for (unsigned a = 0; a < np; a++)
            for (unsigned b = 0; b < np; b++) {
                vec[n][0] = edge_pair_values[a];
                vec[n][1] = edge_pair_values[b];
                vec[n][2] = nin > 2 ? rnd() % 4 : 0; /* carry in: bit 0 counts */
                vec[n][3] = rnd();
                if (nin == 4) {
                    vec[n][2] = rnd_value();
                    if (++n == cap || a * np + b >= 64)
                        goto random;
                    continue;
                }
                n++;
            }
    }
random:
    if (n > max_edges) { /* an even sample of the edge vectors */
        for (unsigned i = 0; i < max_edges; i++)
            memcpy(vec[i], vec[(uint64_t)i * n / max_edges], sizeof(vec[i]));
        n = max_edges;
    }
    for (unsigned i = 0; i < nrandom && n < cap; i++, n++) {
        for (unsigned j = 0; j < 4; j++)
            vec[n][j] = rnd_value();
        if (nin > 2 && nin < 4)
            vec[n][2] = rnd() % 4;
        if (rnd() % 4 == 0)
            vec[n][1] = vec[n][0]; /* equal operands */
    }
    return n;
}

static bool vop_fits(const struct vop *vo, enum ir_type t)
{
    unsigned w = ir_type_bits(t);
    switch (vo->op) {
    case IR_OP_bswap:
        return (unsigned)vo->carg[0] * 8 <= w;
    case IR_OP_extract:
    case IR_OP_sextract:
    case IR_OP_deposit:
        return vo->carg[0] + vo->carg[1] <= (int64_t)w;
    case IR_OP_zext:
    case IR_OP_sext:
    case IR_OP_trunc:
        return t == IR_I64; /* no T in the sig: run once */
    default:
        return true;
    }
}

/* Every input mode combination (all of const/temp/global with up to two
 * inputs; const/temp plus all-global with more), output to a temp and to a
 * global; then the output aliasing each input of its type. */
static void check_value_ops(const struct vop *ops, unsigned nops, unsigned max_edges,
                            unsigned nrandom)
{
    struct harness h;
    static uint64_t vec[600][4];
    FOR_EACH_BACKEND(h, bi)
    {
        for (unsigned o = 0; o < nops; o++) {
            for (enum ir_type t = IR_I32; t <= IR_I64; t++) {
                if (!vop_fits(&ops[o], t))
                    continue;
                enum ir_type ot, it[4];
                unsigned nin = op_types(ops[o].op, t, &ot, it);
                unsigned n = make_vectors(vec, 600, nin, max_edges, nrandom);
                unsigned nmodes = 1;
                for (unsigned i = 0; i < nin; i++)
                    nmodes *= nin <= 2 ? 3 : 2;
                for (unsigned m = 0; m <= nmodes; m++) {
                    struct vrun r = {&ops[o], t, {0}, false, -1};
                    unsigned x = m;
                    for (unsigned i = 0; i < nin; i++) {
                        r.mode[i] = m == nmodes ? IN_GLOBAL : (uint8_t)(x % (nin <= 2 ? 3 : 2));
                        x /= nin <= 2 ? 3 : 2;
                    }
                    if (m == nmodes && nin <= 2)
                        continue; /* already covered */
                    for (int og = 0; og < 2; og++) {
                        r.out_global = og;
                        check_vrun(&h, &r, vec, n);
                    }
                }
                for (unsigned j = 0; j < nin; j++) {
                    if (it[j] != ot)
                        continue;
                    for (uint8_t md = IN_TEMP; md <= IN_GLOBAL; md++) {
                        struct vrun r = {
                            &ops[o], t, {IN_TEMP, IN_TEMP, IN_TEMP, IN_TEMP}, true, (int)j};
                        r.mode[j] = md;
                        check_vrun(&h, &r, vec, n < 64 ? n : 64);
                    }
                }
            }
        }
        harness_close(&h);
    }
}

START_TEST(value_arith) { check_value_ops(ops_arith, NELEMS(ops_arith), 1000, 100); }
END_TEST
START_TEST(value_div) { check_value_ops(ops_div, NELEMS(ops_div), 1000, 120); }
END_TEST
START_TEST(value_bitwise) { check_value_ops(ops_bitwise, NELEMS(ops_bitwise), 1000, 100); }
END_TEST
START_TEST(value_shift) { check_value_ops(ops_shift, NELEMS(ops_shift), 1000, 100); }
END_TEST
START_TEST(value_bitcount) { check_value_ops(ops_bitcount, NELEMS(ops_bitcount), 1000, 200); }
END_TEST
START_TEST(value_width) { check_value_ops(ops_width, NELEMS(ops_width), 1000, 100); }
END_TEST
START_TEST(value_setcond) { check_value_ops(ops_setcond, NELEMS(ops_setcond), 120, 60); }
END_TEST
START_TEST(value_movcond) { check_value_ops(ops_movcond, NELEMS(ops_movcond), 1000, 40); }
END_TEST
START_TEST(value_carry) { check_value_ops(ops_carry, NELEMS(ops_carry), 1000, 100); }
END_TEST

/* popcnt without the host instruction: the JIT's path for hosts lacking
 * POPCNT, forced by FERRY_X86_NO_POPCNT (other backends ignore it). */
START_TEST(value_popcnt_portable)
{
    static const struct vop ops[] = {{IR_OP_popcnt, {0}}};
    setenv("FERRY_X86_NO_POPCNT", "1", 1);
    check_value_ops(ops, 1, 1000, 200);
    unsetenv("FERRY_X86_NO_POPCNT");
}
END_TEST

START_TEST(value_fields)
{
    const unsigned nf = sizeof(field_args) / sizeof(field_args[0]);
    static const enum ir_op fops[] = {IR_OP_extract, IR_OP_sextract, IR_OP_deposit};
    struct vop ops[3 * sizeof(field_args) / sizeof(field_args[0])];
    unsigned n = 0;
    for (unsigned o = 0; o < 3; o++)
        for (unsigned i = 0; i < nf; i++)
            ops[n++] = (struct vop){fops[o], {field_args[i][0], field_args[i][1]}};
    check_value_ops(ops, n, 40, 16);
}
END_TEST

/* Every input of a multi-input op is the same value (add t, x, x). */
START_TEST(value_same_input_everywhere)
{
    static const struct vop *groups[] = {ops_arith,   ops_div,     ops_bitwise, ops_shift,
                                         ops_setcond, ops_movcond, ops_carry};
    static const unsigned sizes[] = {7, 4, 5, 5, 10, 10, 4};
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        for (unsigned g = 0; g < 7; g++)
            for (unsigned o = 0; o < sizes[g]; o++)
                for (enum ir_type t = IR_I32; t <= IR_I64; t++) {
                    const struct vop *vo = &groups[g][o];
                    enum ir_type ot, it[4];
                    unsigned nin = op_types(vo->op, t, &ot, it);
                    const unsigned ne = sizeof(edge_values) / sizeof(edge_values[0]);
                    for (int og = 0; og < 2; og++)
                        for (unsigned e = 0; e < ne; e++) {
                            struct ir_func *f = block(&h, 0x1000);
                            ir_ref x = og ? gv(f, t, 1) : ir_temp(f, t);
                            uint64_t v = edge_values[e] & ir_type_mask(t), in[4] = {v, v, v, v},
                                     want;
                            if (og)
                                h.cpu->g[1] = v;
                            else
                                ir_mov(f, x, ir_const(f, t, v));
                            ir_ref args[5] = {gv(f, ot, 0), x, x, x, x};
                            ir_emit(f, vo->op, args, 1 + nin, vo->carg, ir_ops[vo->op].ncarg);
                            end_halt(f);
                            h.cpu->g[0] = 0;
                            run_halt(&h, f);
                            ck_assert(sem_eval(vo->op, t, in, vo->carg, &want));
                            ck_assert_msg(h.cpu->g[0] == want,
                                          "%s: %s.%s x=%s 0x%llx: got 0x%llx want 0x%llx", h.name,
                                          ir_ops[vo->op].name, ir_type_names[t],
                                          og ? "global" : "temp", (unsigned long long)v,
                                          (unsigned long long)h.cpu->g[0],
                                          (unsigned long long)want);
                        }
                }
        harness_close(&h);
    }
}
END_TEST

/* ---- register pressure ------------------------------------------------------------ */

/* 48 temps and 24 globals live at once: more than any host has registers. */
START_TEST(pressure_many_live_values)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        enum { NT = 48, NG = 24 };
        struct ir_func *f = block(&h, 0x1000);
        ir_ref t[NT];
        uint64_t tv[NT], gvv[NG], x = 0x1234567, sum = 0;
        h.cpu->g[100] = x;
        for (unsigned i = 0; i < NG; i++) {
            h.cpu->g[i] = 1000 + i;
            gvv[i] = 1000 + i;
        }
        for (unsigned i = 0; i < NT; i++) {
            t[i] = ir_temp(f, IR_I64);
            ir_emit_1_2(f, IR_OP_mul, t[i], gv(f, IR_I64, 100), k64(f, i + 3));
            ir_emit_1_2(f, IR_OP_xor, t[i], t[i], k64(f, i * 0x1111));
            tv[i] = (x * (i + 3)) ^ (i * 0x1111);
            if (i < NG) {
                ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, i), gv(f, IR_I64, i), t[i]);
                gvv[i] += tv[i];
            }
        }
        ir_ref acc = ir_temp(f, IR_I64);
        ir_movi(f, acc, 0);
        for (unsigned i = NT; i-- > 0;) {
            ir_emit_1_2(f, IR_OP_rotl, acc, acc, k64(f, 5));
            ir_emit_1_2(f, IR_OP_add, acc, acc, t[i]);
            sum = ((sum << 5) | (sum >> 59)) + tv[i];
        }
        ir_mov(f, gv(f, IR_I64, 101), acc);
        end_halt(f);
        run_halt(&h, f);
        ck_assert_msg(h.cpu->g[101] == sum, "%s: sum 0x%llx want 0x%llx", h.name,
                      (unsigned long long)h.cpu->g[101], (unsigned long long)sum);
        for (unsigned i = 0; i < NG; i++)
            ck_assert_msg(h.cpu->g[i] == gvv[i], "%s: global %u", h.name, i);
        harness_close(&h);
    }
}
END_TEST

/* More values live across a label than a fixed spill area holds: the backend
 * either refuses with BACKEND_TOO_BIG or computes the right result. */
START_TEST(pressure_too_many_for_the_frame)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        enum { NT = 600 };
        struct ir_func *f = block(&h, 0x1000);
        static ir_ref t[NT];
        uint64_t want = 0;
        h.cpu->g[0] = 5;
        for (unsigned i = 0; i < NT; i++) {
            t[i] = ir_temp(f, IR_I64);
            ir_emit_1_2(f, IR_OP_add, t[i], gv(f, IR_I64, 0), k64(f, i));
            want += 5 + i;
        }
        uint32_t l = ir_new_label(f);
        ir_set_label(f, l);
        ir_ref acc = ir_temp(f, IR_I64);
        ir_movi(f, acc, 0);
        for (unsigned i = 0; i < NT; i++)
            ir_emit_1_2(f, IR_OP_add, acc, acc, t[i]);
        ir_mov(f, gv(f, IR_I64, 1), acc);
        end_halt(f);
        struct tb tb;
        size_t used = h.cb.used;
        int rc = try_compile(&h, f, &tb);
        ck_assert_msg(rc == BACKEND_OK || rc == BACKEND_TOO_BIG, "%s: rc %d", h.name, rc);
        if (rc == BACKEND_OK) {
            ck_assert_int_eq(run(&h, &tb), IR_EXIT_halt);
            ck_assert_msg(h.cpu->g[1] == want, "%s: sum", h.name);
            tb_free(&tb);
        } else {
            ck_assert_msg(h.cb.used == used, "%s: TOO_BIG advanced the code buffer", h.name);
        }
        harness_close(&h);
    }
}
END_TEST

/* ---- guest memory ------------------------------------------------------------------- */

enum addr_mode {
    ADDR_CONST_LOW,
    ADDR_I64_LOW,
    ADDR_I32_LOW,
    ADDR_CONST_HIGH32,
    ADDR_I32_HIGH,
    ADDR_I64_ABOVE_4G,
    ADDR_MODES
};
static const char *const addr_names[] = {"const",     "i64 reg",     "i32 reg",
                                         "const >2G", "i32 reg >2G", "i64 reg >4G"};

static uint64_t addr_of(enum addr_mode m)
{
    switch (m) {
    case ADDR_CONST_HIGH32:
    case ADDR_I32_HIGH:
        return GUEST_HIGH + 0x808;
    case ADDR_I64_ABOVE_4G:
        return 0x100000000ull + 0x10;
    default:
        return 0x1238;
    }
}

static ir_ref addr_value(struct ir_func *f, enum addr_mode m)
{
    uint64_t a = addr_of(m);
    switch (m) {
    case ADDR_CONST_LOW:
        return k64(f, a);
    case ADDR_CONST_HIGH32:
        return k32(f, a);
    case ADDR_I32_LOW:
    case ADDR_I32_HIGH: {
        ir_ref t = ir_temp(f, IR_I32);
        ir_movi(f, t, a);
        return t;
    }
    default: {
        ir_ref t = ir_temp(f, IR_I64);
        ir_movi(f, t, a);
        return t;
    }
    }
}

static bool memop_fits(unsigned mo, enum ir_type t, bool store)
{
    unsigned size = ir_mo_bytes(mo);
    return size * 8 <= ir_type_bits(t) && !((mo & IR_MO_SIGN) && (size == 8 || store));
}

START_TEST(mem_load_every_memop)
{
    struct harness h;
    static const uint8_t pattern[8] = {0x81, 0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7, 0xf8};
    static const uint8_t pattern2[8] = {0x71, 0x62, 0x53, 0x44, 0x35, 0x26, 0x17, 0x08};
    FOR_EACH_BACKEND(h, bi)
    {
        for (unsigned mo = 0; mo <= IR_MO_ALL; mo++)
            for (enum ir_type t = IR_I32; t <= IR_I64; t++)
                for (enum addr_mode am = 0; am < ADDR_MODES; am++)
                    for (unsigned p = 0; p < 2; p++) {
                        if (!memop_fits(mo, t, false))
                            continue;
                        uint8_t *host = h.guest + addr_of(am);
                        memcpy(host, p ? pattern2 : pattern, 8);
                        struct ir_func *f = block(&h, 0x1000);
                        ir_ref d = p ? gv(f, t, 0) : ir_temp(f, t);
                        ir_ld(f, d, addr_value(f, am), mo);
                        if (!p)
                            ir_mov(f, gv(f, t, 0), d);
                        end_halt(f);
                        h.cpu->g[0] = SENTINEL;
                        run_halt(&h, f);
                        uint64_t want = sem_load(t, host, mo);
                        uint64_t got = t == IR_I32 ? h.cpu->g[0] & 0xffffffffull : h.cpu->g[0];
                        ck_assert_msg(got == want,
                                      "%s: ld.%s memop %u addr %s: got 0x%llx want 0x%llx", h.name,
                                      ir_type_names[t], mo, addr_names[am], (unsigned long long)got,
                                      (unsigned long long)want);
                    }
        harness_close(&h);
    }
}
END_TEST

START_TEST(mem_store_every_memop)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        for (unsigned mo = 0; mo <= IR_MO_ALL; mo++)
            for (enum ir_type t = IR_I32; t <= IR_I64; t++)
                for (enum addr_mode am = 0; am < ADDR_MODES; am++)
                    for (unsigned vm = 0; vm < 3; vm++) {
                        if (!memop_fits(mo, t, true))
                            continue;
                        uint64_t v = (vm == 2 ? 0x0123456789abcdefull : 0xf1e2d3c4b5a69788ull) &
                                     ir_type_mask(t);
                        uint8_t *host = h.guest + addr_of(am);
                        uint8_t want[16], *buf = host - 4;
                        memset(buf, 0xcc, 16);
                        memset(want, 0xcc, 16);
                        sem_store(want + 4, v, mo);
                        struct ir_func *f = block(&h, 0x1000);
                        ir_ref val;
                        if (vm == 0) {
                            val = ir_temp(f, t);
                            ir_mov(f, val, ir_const(f, t, v));
                        } else if (vm == 1) {
                            val = gv(f, t, 3);
                            h.cpu->g[3] = v;
                        } else {
                            val = ir_const(f, t, v);
                        }
                        ir_st(f, val, addr_value(f, am), mo);
                        end_halt(f);
                        run_halt(&h, f);
                        ck_assert_msg(memcmp(buf, want, 16) == 0,
                                      "%s: st.%s memop %u addr %s value %s: bytes differ", h.name,
                                      ir_type_names[t], mo, addr_names[am],
                                      mode_names[vm == 0   ? 1
                                                 : vm == 1 ? 2
                                                           : 0]);
                    }
        harness_close(&h);
    }
}
END_TEST

/* Globals are in the env when a guest access runs (a fault must see them):
 * with guest_base pointing at the CPU state, a load reads a global's field. */
START_TEST(mem_globals_synced_before_access)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        for (int st = 0; st < 2; st++) {
            struct ir_func *f = block(&h, 0x1000);
            h.cpu->g[0] = 1;
            h.cpu->g[1] = 0;
            ir_emit_1_2(f, IR_OP_add, gv(f, IR_I64, 0), gv(f, IR_I64, 0), k64(f, 41));
            ir_ref t = ir_temp(f, IR_I64);
            if (st) /* a store also syncs first: it could fault too */
                ir_st(f, k64(f, 7), k64(f, G_OFF(2)), IR_MO_64);
            ir_ld(f, t, k64(f, G_OFF(0)), IR_MO_64);
            ir_mov(f, gv(f, IR_I64, 1), t);
            end_halt(f);
            h.cpu->head.guest_base = (uint8_t *)h.cpu;
            run_halt(&h, f);
            h.cpu->head.guest_base = h.guest;
            ck_assert_uint_eq(h.cpu->g[0], 42);
            ck_assert_msg(h.cpu->g[1] == 42, "%s: the load saw 0x%llx", h.name,
                          (unsigned long long)h.cpu->g[1]);
        }
        harness_close(&h);
    }
}
END_TEST

START_TEST(state_load_store)
{
    struct harness h;
    FOR_EACH_BACKEND(h, bi)
    {
        for (unsigned mo = 0; mo < 8; mo++)
            for (enum ir_type t = IR_I32; t <= IR_I64; t++)
                for (int cv = 0; cv < 2; cv++) {
                    if (!memop_fits(mo, t, false))
                        continue;
                    static const uint8_t pat[8] = {0x89, 0x9a, 0xab, 0xbc, 0xcd, 0xde, 0xef, 0xf0};
                    memcpy(h.cpu->state + 8, pat, 8);
                    memset(h.cpu->state + 24, 0xcc, 16);
                    uint64_t v = 0x8877665544332211ull & ir_type_mask(t);
                    struct ir_func *f = block(&h, 0x1000);
                    ir_ref d = ir_temp(f, t);
                    ir_ld_state(f, d, STATE_OFF(8), mo);
                    ir_mov(f, gv(f, t, 0), d);
                    if (!(mo & IR_MO_SIGN)) {
                        ir_ref s = cv ? ir_const(f, t, v) : ir_temp(f, t);
                        if (!cv)
                            ir_mov(f, s, ir_const(f, t, v));
                        ir_st_state(f, s, STATE_OFF(32), mo);
                    }
                    end_halt(f);
                    h.cpu->g[0] = 0;
                    run_halt(&h, f);
                    uint64_t want = sem_load(t, pat, mo);
                    ck_assert_msg((h.cpu->g[0] & ir_type_mask(t)) == want,
                                  "%s: ld_state.%s memop %u", h.name, ir_type_names[t], mo);
                    if (!(mo & IR_MO_SIGN)) {
                        uint8_t w[16];
                        memset(w, 0xcc, 16);
                        sem_store(w + 8, v, mo);
                        ck_assert_msg(memcmp(h.cpu->state + 24, w, 16) == 0,
                                      "%s: st_state.%s memop %u", h.name, ir_type_names[t], mo);
                    }
                }
        harness_close(&h);
    }
}
END_TEST

void backend_add_test(Suite *s, const char *name, const TTest *fn)
{
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, fn);
    suite_add_tcase(s, tc);
}

static Suite *backend_suite(void)
{
    Suite *s = suite_create("test_backend");
    struct {
        const char *name;
        const TTest *fn;
    } cases[] = {
        {"value_arith", value_arith},
        {"value_div", value_div},
        {"value_bitwise", value_bitwise},
        {"value_shift", value_shift},
        {"value_bitcount", value_bitcount},
        {"value_popcnt_portable", value_popcnt_portable},
        {"value_fields", value_fields},
        {"value_width", value_width},
        {"value_setcond", value_setcond},
        {"value_movcond", value_movcond},
        {"value_carry", value_carry},
        {"value_same_input_everywhere", value_same_input_everywhere},
        {"pressure_many_live_values", pressure_many_live_values},
        {"pressure_too_many_for_the_frame", pressure_too_many_for_the_frame},
        {"mem_load_every_memop", mem_load_every_memop},
        {"mem_store_every_memop", mem_store_every_memop},
        {"mem_globals_synced_before_access", mem_globals_synced_before_access},
        {"state_load_store", state_load_store},
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        backend_add_test(s, cases[i].name, cases[i].fn);
    backend_flow_tests(s);
    backend_random_tests(s);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(backend_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
