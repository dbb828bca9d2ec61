/* Random IR program generator for the differential tests and the benchmarks.
 * Builds structured programs (forward branches, counted loops, early exits)
 * through the builder API while tracking which temps are definitely assigned,
 * so every program verifies, terminates and stays inside guest memory. */
#include "irgen.h"

#include <stdio.h>
#include <string.h>

#include "accel/tcg/tb.h"

/* ---- seeds ------------------------------------------------------------------ */

uint64_t irgen_seed_mix(uint64_t base, uint64_t stream, uint64_t index)
{
    struct irgen_rng r = {base ^ (stream * 0xd1b54a32d192ed03ull)};
    irgen_next(&r);
    r.s ^= index * 0x8cb92ba72f3d8dd7ull;
    return irgen_next(&r);
}

const char *const irgen_profile_names[IRGEN_PROFILE_COUNT] = {
#define IRGEN_PROFILE(name, desc) #name,
#include "profiles.def"
#undef IRGEN_PROFILE
};

int irgen_profile_by_name(const char *name)
{
    for (int i = 0; i < IRGEN_PROFILE_COUNT; i++)
        if (strcmp(irgen_profile_names[i], name) == 0)
            return i;
    return -1;
}

/* ---- helpers ------------------------------------------------------------------ */

struct irgen_log irgen_log;

void irgen_log_reset(void) { memset(&irgen_log, 0, sizeof(irgen_log)); }

static void log_append(uint64_t v)
{
    if (irgen_log.n < IRGEN_LOG_MAX)
        irgen_log.e[irgen_log.n] = v;
    irgen_log.n++;
}

/* Position-dependent mixing, so a helper called with its args swapped or
 * truncated gives a different result. */
static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
}

static uint64_t diff_p0(void) { return 0x0123456789abcdefull; }
static uint32_t diff_p1(uint32_t a) { return (uint32_t)mix(1, a); }
static uint64_t diff_p2(uint64_t a, uint32_t b) { return mix(mix(2, a), b); }
static uint32_t diff_p3(uint32_t a, uint64_t b, uint32_t c)
{
    return (uint32_t)(mix(mix(mix(3, a), b), c) >> 7);
}
static uint64_t diff_p4(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    return mix(mix(mix(mix(4, a), b), c), d);
}
static uint64_t diff_p5(uint32_t a, uint64_t b, uint32_t c, uint64_t d, uint32_t e)
{
    return mix(mix(mix(mix(mix(5, a), b), c), d), e);
}
static uint32_t diff_p6(uint64_t a, uint32_t b, uint64_t c, uint32_t d, uint64_t e, uint32_t f)
{
    return (uint32_t)mix(mix(mix(mix(mix(mix(6, a), b), c), d), e), f);
}

/* An i32-returning helper that leaves garbage in bits 32..63 of the return
 * register, as the x86-64 ABI allows: callers must zero-extend it. */
uint32_t irgen_dirty32(uint64_t a);
#if defined(__x86_64__)
__asm__(".text\n"
        ".globl irgen_dirty32\n"
        ".type irgen_dirty32, @function\n"
        "irgen_dirty32:\n"
        "  mov %rdi, %rax\n"
        "  rol $17, %rax\n"
        "  ret\n"
        ".size irgen_dirty32, .-irgen_dirty32\n");
#else
uint32_t irgen_dirty32(uint64_t a) { return (uint32_t)((a << 17) | (a >> 47)); }
#endif

/* Helpers taking the CPU state: they read and/or write the globals. */
static uint64_t diff_env_rw(struct irgen_cpu *cpu, uint64_t a, uint32_t b)
{
    unsigned i = a & 15, j = b & 7, k = (a >> 8) & 15;
    cpu->g64[i] = cpu->g64[i] * 0x9e3779b97f4a7c15ull + cpu->g64[k] + b;
    cpu->g32[j] ^= (uint32_t)(cpu->g64[k] >> 7) + 1;
    return cpu->g64[i] ^ cpu->g32[j];
}
static uint32_t diff_env_r(struct irgen_cpu *cpu, uint32_t a)
{
    return cpu->g32[a & 7] * 3 + (uint32_t)(cpu->g64[(a >> 3) & 15] >> 3);
}
static void diff_env_w(struct irgen_cpu *cpu, uint64_t a)
{
    cpu->g64[a & 15] = a ^ 0x5555aaaa5555aaaaull;
    cpu->g32[(a >> 4) & 7] = (uint32_t)(a >> 16);
}
static uint32_t diff_env_flags(struct irgen_cpu *cpu) { return cpu->head.flags ^ 0xabcu; }
/* Reads and writes the scratch area (state outside the globals): IR_HF_ENV
 * makes it a barrier for ld_state/st_state forwarding, IR_HF_SIDE keeps it. */
static uint64_t diff_env_scratch(struct irgen_cpu *cpu, uint64_t a)
{
    uint64_t old = cpu->scratch[a & 15];
    cpu->scratch[(a >> 4) & 15] = old * 31 + a;
    return old;
}

/* Raises an exit request (as an interrupt would) when bit 0 of a is set: the
 * next block entered through a chained goto_tb or the jump cache must stop at
 * its entry check. */
static void diff_env_request(struct irgen_cpu *cpu, uint32_t a)
{
    if (a & 1)
        cpu->head.exit_request = 1;
}

/* Side effects: append to irgen_log. */
static uint64_t diff_log2(uint64_t a, uint32_t b)
{
    log_append(a);
    log_append(0x200000000ull | b);
    return irgen_log.n;
}
static void diff_log1(uint32_t a) { log_append(0x100000000ull | a); }

/* Typed calls for the reference evaluator (no function-pointer casts). */
static uint64_t ref_p0(void *env, const uint64_t *a) { return diff_p0(); }
static uint64_t ref_p1(void *env, const uint64_t *a) { return diff_p1((uint32_t)a[0]); }
static uint64_t ref_p2(void *env, const uint64_t *a) { return diff_p2(a[0], (uint32_t)a[1]); }
static uint64_t ref_p3(void *env, const uint64_t *a)
{
    return diff_p3((uint32_t)a[0], a[1], (uint32_t)a[2]);
}
static uint64_t ref_p4(void *env, const uint64_t *a) { return diff_p4(a[0], a[1], a[2], a[3]); }
static uint64_t ref_p5(void *env, const uint64_t *a)
{
    return diff_p5((uint32_t)a[0], a[1], (uint32_t)a[2], a[3], (uint32_t)a[4]);
}
static uint64_t ref_p6(void *env, const uint64_t *a)
{
    return diff_p6(a[0], (uint32_t)a[1], a[2], (uint32_t)a[3], a[4], (uint32_t)a[5]);
}
static uint64_t ref_dirty32(void *env, const uint64_t *a) { return irgen_dirty32(a[0]); }
static uint64_t ref_env_rw(void *env, const uint64_t *a)
{
    return diff_env_rw(env, a[0], (uint32_t)a[1]);
}
static uint64_t ref_env_r(void *env, const uint64_t *a) { return diff_env_r(env, (uint32_t)a[0]); }
static uint64_t ref_env_w(void *env, const uint64_t *a)
{
    diff_env_w(env, a[0]);
    return 0;
}
static uint64_t ref_env_flags(void *env, const uint64_t *a) { return diff_env_flags(env); }
static uint64_t ref_env_scratch(void *env, const uint64_t *a)
{
    return diff_env_scratch(env, a[0]);
}
static uint64_t ref_env_request(void *env, const uint64_t *a)
{
    diff_env_request(env, (uint32_t)a[0]);
    return 0;
}
static uint64_t ref_log2(void *env, const uint64_t *a) { return diff_log2(a[0], (uint32_t)a[1]); }
static uint64_t ref_log1(void *env, const uint64_t *a)
{
    diff_log1((uint32_t)a[0]);
    return 0;
}

struct test_helper {
    struct ir_helper h;
    uint64_t (*ref)(void *env, const uint64_t *args);
};

#define RW_GLOBALS (IR_HF_ENV | IR_HF_READS_GLOBALS | IR_HF_WRITES_GLOBALS)
static const struct test_helper test_helpers[] = {
    {{"diff_p0", (void *)diff_p0, IR_I64, 0, {0}, 0}, ref_p0},
    {{"diff_p1", (void *)diff_p1, IR_I32, 1, {IR_I32}, 0}, ref_p1},
    {{"diff_p2", (void *)diff_p2, IR_I64, 2, {IR_I64, IR_I32}, 0}, ref_p2},
    {{"diff_p3", (void *)diff_p3, IR_I32, 3, {IR_I32, IR_I64, IR_I32}, 0}, ref_p3},
    {{"diff_p4", (void *)diff_p4, IR_I64, 4, {IR_I64, IR_I64, IR_I64, IR_I64}, 0}, ref_p4},
    {{"diff_p5", (void *)diff_p5, IR_I64, 5, {IR_I32, IR_I64, IR_I32, IR_I64, IR_I32}, 0}, ref_p5},
    {{"diff_p6", (void *)diff_p6, IR_I32, 6, {IR_I64, IR_I32, IR_I64, IR_I32, IR_I64, IR_I32}, 0},
     ref_p6},
    {{"diff_dirty32", (void *)irgen_dirty32, IR_I32, 1, {IR_I64}, 0}, ref_dirty32},
    {{"diff_env_rw", (void *)diff_env_rw, IR_I64, 2, {IR_I64, IR_I32}, RW_GLOBALS}, ref_env_rw},
    {{"diff_env_r", (void *)diff_env_r, IR_I32, 1, {IR_I32}, IR_HF_ENV | IR_HF_READS_GLOBALS},
     ref_env_r},
    {{"diff_env_w", (void *)diff_env_w, IR_VOID, 1, {IR_I64}, IR_HF_ENV | IR_HF_WRITES_GLOBALS},
     ref_env_w},
    {{"diff_env_flags", (void *)diff_env_flags, IR_I32, 0, {0}, IR_HF_ENV}, ref_env_flags},
    {{"diff_env_scratch", (void *)diff_env_scratch, IR_I64, 1, {IR_I64}, IR_HF_ENV | IR_HF_SIDE},
     ref_env_scratch},
    {{"diff_env_request", (void *)diff_env_request, IR_VOID, 1, {IR_I32}, IR_HF_ENV | IR_HF_SIDE},
     ref_env_request},
    {{"diff_log2", (void *)diff_log2, IR_I64, 2, {IR_I64, IR_I32}, IR_HF_SIDE}, ref_log2},
    {{"diff_log1", (void *)diff_log1, IR_VOID, 1, {IR_I32}, IR_HF_SIDE}, ref_log1},
};
#define NHELPERS (sizeof(test_helpers) / sizeof(test_helpers[0]))
static int helper_id[NHELPERS];
static bool helpers_registered;

int irgen_register_helpers(void)
{
    if (helpers_registered)
        return 0;
    for (unsigned i = 0; i < NHELPERS; i++) {
        helper_id[i] = ir_helper_register(&test_helpers[i].h);
        if (helper_id[i] < 0)
            return -1;
    }
    helpers_registered = true;
    return 0;
}

unsigned irgen_helper_count(void) { return NHELPERS; }
const char *irgen_helper_name(unsigned i) { return i < NHELPERS ? test_helpers[i].h.name : NULL; }

bool irgen_helper_call(const struct ir_helper *h, void *env, const uint64_t *args, uint64_t *ret)
{
    for (unsigned i = 0; i < NHELPERS; i++) {
        if (h == &test_helpers[i].h || h->fn == test_helpers[i].h.fn) {
            *ret = test_helpers[i].ref(env, args) & (h->ret == IR_I32 ? 0xffffffffull : ~0ull);
            return true;
        }
    }
    return false;
}

/* ---- profiles ------------------------------------------------------------------ */

/* What a sequence item can be. */
enum item {
    IT_ALU,    /* one value op */
    IT_MEM,    /* ld or st (with its address computation) */
    IT_STATE,  /* ld_state or st_state */
    IT_CALL,   /* helper call */
    IT_MARK,   /* mb, insn_start, nop */
    IT_IF,     /* brcond over a region */
    IT_IFELSE, /* brcond, then-region, br, else-region */
    IT_LOOP,   /* counted do-while loop (backward brcond) */
    IT_WHILE,  /* counted while loop (forward brcond out, backward br) */
    IT_EXIT,   /* brcond over an early terminator */
    IT_COUNT
};

struct profile {
    uint16_t min_insns, max_insns;
    uint8_t w[IT_COUNT];  /* item weights */
    uint8_t p_const;      /* percent of inputs that are constants */
    uint8_t p_global;     /* percent of inputs that are globals */
    uint8_t p_global_out; /* percent of outputs that are globals */
};

static const struct profile profiles[IRGEN_PROFILE_COUNT] = {
    /*                         ALU MEM STA CAL MRK IF  IFE LOP WHL EXI */
    [IRGEN_mixed] = {5, 200, {40, 10, 6, 6, 4, 4, 3, 2, 2, 2}, 25, 25, 30},
    [IRGEN_alu] = {5, 160, {80, 0, 0, 0, 2, 5, 4, 2, 1, 1}, 30, 20, 25},
    [IRGEN_memory] = {5, 160, {30, 40, 3, 2, 4, 3, 2, 2, 1, 1}, 20, 25, 25},
    [IRGEN_control] = {10, 200, {30, 5, 3, 3, 3, 10, 8, 6, 5, 4}, 20, 25, 25},
    [IRGEN_calls] = {5, 120, {30, 5, 5, 30, 2, 3, 2, 2, 1, 1}, 25, 30, 30},
    [IRGEN_state] = {5, 120, {30, 6, 25, 12, 3, 3, 2, 1, 1, 1}, 15, 45, 55},
    [IRGEN_exits] = {5, 60, {30, 5, 3, 3, 3, 3, 3, 1, 1, 15}, 25, 30, 30},
    [IRGEN_compare] = {10, 160, {40, 4, 2, 2, 2, 12, 8, 3, 3, 3}, 20, 30, 30},
};

/* ---- generator state ------------------------------------------------------------ */

#define MAX_TEMPS 48
#define MAX_DEPTH 4
#define MAX_LOOP_DEPTH 2
#define MAX_LOOP_ITERS 48 /* product of nested iteration counts */

struct gen {
    struct ir_func *f;
    struct irgen_rng r;
    const struct profile *p;
    enum irgen_profile profile;
    ir_ref temp[MAX_TEMPS];
    uint8_t ttype[MAX_TEMPS];
    unsigned nt;
    uint64_t def;  /* temps definitely assigned here (bit i = temp[i]) */
    uint64_t busy; /* loop counters of enclosing loops: never written */
    bool dead;     /* after a terminator: nothing reaches this point */
    unsigned depth, loop_depth, loop_iters;
    unsigned njmp; /* goto_tb emitted (the block has at most TB_MAX_JMP) */
    bool ras_pushed; /* ras_push emitted (at most one per block) */
    uint64_t next_pc;
    ir_ref g64[IRGEN_NG64], g32[IRGEN_NG32];
    ir_ref last_in;    /* the last input picked, to repeat it now and then */
    uint64_t mem_base; /* guest address of the first byte of guest memory */
};

static unsigned below(struct gen *g, unsigned n) { return irgen_below(&g->r, n); }
static bool chance(struct gen *g, unsigned pct) { return irgen_chance(&g->r, pct); }
static enum ir_type rand_type(struct gen *g) { return chance(g, 50) ? IR_I32 : IR_I64; }

static int temp_index(const struct gen *g, ir_ref r)
{
    for (unsigned i = 0; i < g->nt; i++)
        if (g->temp[i] == r)
            return (int)i;
    return -1;
}

static void mark_def(struct gen *g, ir_ref r)
{
    int i = temp_index(g, r);
    if (i >= 0)
        g->def |= 1ull << i;
}

static ir_ref global_of(struct gen *g, enum ir_type t)
{
    return t == IR_I32 ? g->g32[below(g, IRGEN_NG32)] : g->g64[below(g, IRGEN_NG64)];
}

/* A random temp of type t whose bit is set in `set`; IR_NONE if none. */
static ir_ref temp_in(struct gen *g, enum ir_type t, uint64_t set)
{
    unsigned cand[MAX_TEMPS], n = 0;
    for (unsigned i = 0; i < g->nt; i++)
        if (g->ttype[i] == t && ((set >> i) & 1))
            cand[n++] = i;
    return n ? g->temp[cand[below(g, n)]] : IR_NONE;
}

/* Edge constants of a type: 0, 1, -1, MIN, MAX, width-related, byte masks... */
static uint64_t edge_const(struct gen *g, enum ir_type t)
{
    unsigned w = ir_type_bits(t);
    uint64_t sign = 1ull << (w - 1);
    switch (below(g, 20)) {
    case 0:
        return 0;
    case 1:
        return 1;
    case 2:
        return ~0ull;
    case 3:
        return sign;
    case 4:
        return sign - 1;
    case 5:
        return 2;
    case 6:
        return w - 1;
    case 7:
        return w;
    case 8:
        return w + 1;
    case 9:
        return 0x80;
    case 10:
        return 0xff;
    case 11:
        return 0x8000;
    case 12:
        return 0xffff;
    case 13:
        return 0x7fffffff;
    case 14:
        return 0x80000000;
    case 15:
        return 0xffffffff;
    case 16:
        return 0x100000000ull;
    case 17:
        return below(g, 16);
    case 18:
        return 1ull << below(g, w);
    default:
        return 0 - (uint64_t)(1 + below(g, 16));
    }
}

static uint64_t rand_const(struct gen *g, enum ir_type t)
{
    switch (below(g, 4)) {
    case 0:
    case 1:
        return edge_const(g, t);
    case 2:
        return irgen_next(&g->r);
    default:
        return below(g, 1000);
    }
}

static ir_ref konst(struct gen *g, enum ir_type t, uint64_t v) { return ir_const(g->f, t, v); }

/* An input of type t: a defined temp, a global or a constant. */
static ir_ref pick_in(struct gen *g, enum ir_type t)
{
    ir_ref r;
    int li = g->last_in ? temp_index(g, g->last_in) : -1;
    if (g->last_in && ir_val_type(g->f, g->last_in) == t && (li < 0 || ((g->def >> li) & 1)) &&
        chance(g, 12))
        return g->last_in;
    unsigned k = below(g, 100);
    if (k < g->p->p_const)
        r = konst(g, t, rand_const(g, t));
    else if (k < (unsigned)g->p->p_const + g->p->p_global)
        r = global_of(g, t);
    else if (!(r = temp_in(g, t, g->def)))
        r = global_of(g, t);
    g->last_in = r;
    return r;
}

/* An output of type t: a temp that is not a loop counter, or a global. */
static ir_ref pick_out(struct gen *g, enum ir_type t)
{
    if (chance(g, g->p->p_global_out))
        return global_of(g, t);
    ir_ref r = temp_in(g, t, ~g->busy);
    return r ? r : global_of(g, t);
}

static void emit(struct gen *g, enum ir_op op, const ir_ref *args, unsigned nargs,
                 const int64_t *ca, unsigned nca)
{
    ir_emit(g->f, op, args, nargs, ca, nca);
    for (unsigned i = 0; i < (unsigned)(op == IR_OP_call ? 0 : ir_ops[op].nout); i++)
        mark_def(g, args[i]);
}

/* ---- value ops ----------------------------------------------------------------- */

static bool is_value_op(enum ir_op op) { return ir_ops[op].flags == 0 && ir_ops[op].nout == 1; }

static enum ir_type slot_type(struct gen *g, char c, enum ir_type t)
{
    switch (c) {
    case 'I':
        return IR_I32;
    case 'L':
        return IR_I64;
    case 'A':
        return rand_type(g);
    default:
        return t;
    }
}

/* Bit-field position and length inside a w-bit value, edges favoured. */
static void pick_field(struct gen *g, unsigned w, int64_t *pos, int64_t *len)
{
    unsigned p, l;
    switch (below(g, 9)) {
    case 0:
        p = 0, l = w;
        break;
    case 1:
        p = w - 1, l = 1;
        break;
    case 2:
        p = 0, l = 1;
        break;
    case 3:
        p = 0, l = w - 1;
        break;
    case 4:
        p = 1, l = w - 1;
        break;
    case 5:
        p = below(g, w), l = w - p;
        break;
    case 6:
        l = 8u << below(g, w == 64 ? 3 : 2);
        p = l * below(g, w / l);
        break;
    default:
        p = below(g, w), l = 1 + below(g, w - p);
        break;
    }
    *pos = p;
    *len = l;
}

/* Input `i` of a value op: shift counts, divisors and carries get their edges. */
static ir_ref value_input(struct gen *g, enum ir_op op, unsigned i, enum ir_type t)
{
    unsigned w = ir_type_bits(t);
    switch (op) {
    case IR_OP_shl:
    case IR_OP_shr:
    case IR_OP_sar:
    case IR_OP_rotl:
    case IR_OP_rotr:
        if (i == 1 && chance(g, 50)) {
            static const uint64_t counts[] = {0, 1, 31, 32, 33, 63, 64, 65, 127, 128, 255, ~0ull};
            uint64_t c = chance(g, 70) ? counts[below(g, 12)] : below(g, 2 * w);
            return konst(g, t, c);
        }
        break;
    case IR_OP_divs:
    case IR_OP_divu:
    case IR_OP_rems:
    case IR_OP_remu:
        if (i == 1 && chance(g, 25)) {
            static const uint64_t divs[] = {0, 1, ~0ull, 2, 3, 7};
            return konst(g, t, chance(g, 15) ? 1ull << (w - 1) : divs[below(g, 6)]);
        }
        if (i == 0 && chance(g, 10))
            return konst(g, t, 1ull << (w - 1));
        break;
    case IR_OP_addc:
    case IR_OP_addv:
    case IR_OP_subb:
    case IR_OP_subv:
        if (i == 2 && chance(g, 40))
            return konst(g, t, below(g, 2));
        break;
    default:
        break;
    }
    return pick_in(g, t);
}

/* One value op; type t and output `out` are random when IR_TYPE_COUNT/IR_NONE. */
static void gen_value_op(struct gen *g, enum ir_op op, enum ir_type t, ir_ref out)
{
    const struct ir_opinfo *oi = &ir_ops[op];
    if (t == IR_TYPE_COUNT)
        t = rand_type(g);
    enum ir_type types[IR_MAX_ARGS];
    unsigned n = 0;
    for (const char *s = oi->sig; *s && n < IR_MAX_ARGS; s++)
        if (*s != ':')
            types[n++] = slot_type(g, *s, t);
    ir_ref args[IR_MAX_ARGS];
    bool all_const = chance(g, 4);
    for (unsigned i = 0; i < (unsigned)oi->nin; i++) {
        enum ir_type it = types[oi->nout + i];
        args[oi->nout + i] =
            all_const ? konst(g, it, rand_const(g, it)) : value_input(g, op, i, it);
    }
    for (unsigned i = 0; i < (unsigned)oi->nout; i++) {
        /* now and then write into one of the inputs (d = d op x, d = x op d):
         * two-operand hosts must not clobber an input before reading it */
        unsigned k = oi->nin ? below(g, (unsigned)oi->nin) : 0;
        ir_ref in = oi->nin ? args[oi->nout + k] : IR_NONE;
        int ti = in ? temp_index(g, in) : -1;
        if (out && i == 0)
            args[i] = out;
        else if (in && types[i] == types[oi->nout + k] && !ir_is_const(g->f, in) &&
                 !(ti >= 0 && ((g->busy >> ti) & 1)) && chance(g, 30))
            args[i] = in;
        else
            args[i] = pick_out(g, types[i]);
    }
    int64_t ca[IR_MAX_CARGS] = {0};
    unsigned w = ir_type_bits(t);
    switch (op) {
    case IR_OP_bswap:
        ca[0] = 2 << below(g, t == IR_I32 ? 2 : 3);
        break;
    case IR_OP_extract:
    case IR_OP_sextract:
    case IR_OP_deposit:
        pick_field(g, w, &ca[0], &ca[1]);
        break;
    case IR_OP_setcond:
    case IR_OP_movcond:
        ca[0] = below(g, IR_COND_COUNT);
        break;
    default:
        if (oi->ncarg)
            ir_error(g->f, "irgen: no rule for the constant args of %s", oi->name);
        break;
    }
    emit(g, op, args, (unsigned)(oi->nout + oi->nin), ca, oi->ncarg);
}

static ir_ref gen_cmp_result(struct gen *g);

static void gen_alu(struct gen *g)
{
    static enum ir_op ops[IR_OP_COUNT];
    static unsigned nops;
    if (!nops)
        for (unsigned op = 0; op < IR_OP_COUNT; op++)
            if (is_value_op((enum ir_op)op))
                ops[nops++] = (enum ir_op)op;
    if (g->profile == IRGEN_compare && g->depth < MAX_DEPTH && chance(g, 20)) {
        /* d = (x ==/!= 0) ? c : e on a comparison result x */
        g->depth++; /* bounds the recursion through gen_cmp_result */
        ir_ref x = gen_cmp_result(g);
        g->depth--;
        enum ir_type t = ir_val_type(g->f, x);
        ir_ref c = pick_in(g, t), e = pick_in(g, t);
        ir_ref args[5] = {pick_out(g, t), x, konst(g, t, 0), c, e};
        int64_t ca[1] = {chance(g, 50) ? IR_COND_eq : IR_COND_ne};
        emit(g, IR_OP_movcond, args, 5, ca, 1);
        return;
    }
    gen_value_op(g, ops[below(g, nops)], IR_TYPE_COUNT, IR_NONE);
}

/* ---- memory, state, calls, markers ------------------------------------------- */

/* An address in [mem_base, mem_base + IRGEN_MEM_SIZE): a constant, or a value
 * masked into a window of guest memory, then offset. */
static ir_ref gen_addr(struct gen *g)
{
    static const struct {
        uint32_t mask, base;
    } win[] = {
        {0xffff, 0},    {0xfff8, 0},    {0x7ff8, 0x8000}, {0x3f, 0x100},
        {0x0f, 0xfff0}, {0xff, 0x1000}, {0x7, 0x2000},    {0xfffc, 0},
    };
    enum ir_type at = rand_type(g);
    if (chance(g, 15))
        return konst(g, at,
                     g->mem_base +
                         (chance(g, 30) ? 0x100 + below(g, 0x40) : below(g, IRGEN_MEM_SIZE)));
    unsigned k = below(g, sizeof(win) / sizeof(win[0]));
    ir_ref x = pick_in(g, at);
    ir_ref a = chance(g, 20) ? global_of(g, at) : pick_out(g, at);
    ir_ref args[3] = {a, x, konst(g, at, win[k].mask)};
    emit(g, IR_OP_and, args, 3, NULL, 0);
    uint64_t off = win[k].base + g->mem_base;
    if (off) {
        ir_ref b[3] = {a, a, konst(g, at, off)};
        emit(g, (win[k].mask & off) == 0 && chance(g, 50) ? IR_OP_or : IR_OP_add, b, 3, NULL, 0);
    }
    return a;
}

/* A memop for a value of type t: size up to the type, sign only when narrower. */
static unsigned pick_memop(struct gen *g, enum ir_type t, bool load, bool allow_be)
{
    unsigned size = below(g, t == IR_I32 ? 3 : 4);
    unsigned mo = size;
    if (load && (8u << size) < ir_type_bits(t) && chance(g, 50))
        mo |= IR_MO_SIGN;
    if (allow_be && size > 0 && chance(g, 40))
        mo |= IR_MO_BE;
    return mo;
}

static void gen_mem(struct gen *g)
{
    enum ir_type t = rand_type(g);
    if (chance(g, 50)) {
        ir_ref addr = gen_addr(g);
        bool reuse = !ir_is_const(g->f, addr) && ir_val_type(g->f, addr) == t && chance(g, 25);
        ir_ref args[2] = {reuse ? addr : pick_out(g, t), addr}; /* ld t, t too */
        int64_t mo = pick_memop(g, t, true, true);
        emit(g, IR_OP_ld, args, 2, &mo, 1);
    } else {
        ir_ref addr = gen_addr(g);
        ir_ref args[2] = {pick_in(g, t), addr};
        int64_t mo = pick_memop(g, t, false, true);
        emit(g, IR_OP_st, args, 2, &mo, 1);
    }
}

static void gen_state(struct gen *g)
{
    enum ir_type t = rand_type(g);
    int64_t ca[2];
    if (chance(g, 5)) { /* a cpu_head field: the mode flags */
        ir_ref d = pick_out(g, t);
        ca[0] = CPU_HEAD_FLAGS;
        ca[1] = IR_MO_32;
        emit(g, IR_OP_ld_state, &d, 1, ca, 2);
        return;
    }
    unsigned mo = pick_memop(g, t, true, false);
    unsigned n = ir_mo_bytes(mo);
    unsigned span = chance(g, 50) ? 16 : IRGEN_SCRATCH; /* a hot spot: more reuse */
    ca[0] = IRGEN_OFF_SCRATCH + n * below(g, span / n);
    if (chance(g, 50)) {
        ir_ref d = pick_out(g, t);
        ca[1] = mo;
        emit(g, IR_OP_ld_state, &d, 1, ca, 2);
    } else {
        ir_ref v = pick_in(g, t);
        ca[1] = mo & ~(unsigned)IR_MO_SIGN;
        emit(g, IR_OP_st_state, &v, 1, ca, 2);
    }
}

static void gen_call(struct gen *g)
{
    unsigned k = below(g, NHELPERS);
    const struct ir_helper *h = &test_helpers[k].h;
    ir_ref args[IR_MAX_ARGS];
    for (unsigned i = 0; i < h->nargs; i++)
        args[i] = pick_in(g, (enum ir_type)h->args[i]);
    ir_ref d = h->ret == IR_VOID ? IR_NONE : pick_out(g, (enum ir_type)h->ret);
    if (d && h->nargs && chance(g, 20)) { /* the result overwrites an argument */
        unsigned a = below(g, h->nargs);
        int ti = temp_index(g, args[a]);
        if (h->args[a] == h->ret && !ir_is_const(g->f, args[a]) &&
            !(ti >= 0 && ((g->busy >> ti) & 1)))
            d = args[a];
    }
    ir_call(g->f, helper_id[k], d, args);
    if (d)
        mark_def(g, d);
}

static void gen_mark(struct gen *g)
{
    switch (below(g, 8)) {
    case 0:
    case 1:
    case 2: {
        int64_t kind = below(g, 3); /* IR_MB_FULL, IR_MB_LD, IR_MB_ST */
        ir_emit(g->f, IR_OP_mb, NULL, 0, &kind, 1);
        break;
    }
    case 3:
        ir_emit(g->f, IR_OP_nop, NULL, 0, NULL, 0);
        break;
    default:
        ir_insn_start(g->f, g->next_pc);
        g->next_pc += 4;
        break;
    }
}

/* ---- terminators ---------------------------------------------------------------- */

static ir_ref pc_value(struct gen *g)
{
    enum ir_type t = rand_type(g);
    switch (below(g, 4)) {
    case 0:
        return konst(g, t, g->next_pc);
    case 1:
        return konst(g, t, irgen_next(&g->r));
    default:
        return pick_in(g, t);
    }
}

static void gen_terminator(struct gen *g)
{
    unsigned k = below(g, 8); /* exit 4/8, goto_tb 2/8, goto_ptr/goto_ret 2/8 */
    k = k < 4 ? 0 : k < 6 ? 1 : 2;
    if (!g->ras_pushed && chance(g, 20)) { /* a call's return-address hint */
        ir_ras_push(g->f, chance(g, 50) ? IRGEN_LAND_PC : g->next_pc);
        g->ras_pushed = true;
    }
    if (k == 1 && g->njmp >= TB_MAX_JMP)
        k = 0;
    if (k == 0) {
        static const enum ir_exit reasons[] = {IR_EXIT_syscall,   IR_EXIT_undef, IR_EXIT_brk,
                                               IR_EXIT_halt,      IR_EXIT_fault, IR_EXIT_exception,
                                               IR_EXIT_invalidate};
        ir_exit(g->f, reasons[below(g, sizeof(reasons) / sizeof(reasons[0]))], pc_value(g));
    } else if (k == 1) {
        uint64_t pc;
        switch (below(g, 5)) {
        case 0:
        case 1:
            pc = IRGEN_LAND_PC;
            break;
        case 2:
            pc = g->f->pc;
            break;
        case 3:
            pc = g->next_pc;
            break;
        default:
            pc = irgen_next(&g->r);
            break;
        }
        ir_goto_tb(g->f, pc);
        g->njmp++;
    } else {
        enum ir_type t = rand_type(g);
        ir_ref pc;
        if (chance(g, 40)) { /* LAND_PC (a hit) or LAND_MISS_PC (flags mismatch) */
            pc = pick_out(g, t);
            ir_ref a[3] = {pc, pick_in(g, t), konst(g, t, IRGEN_LAND_PC ^ IRGEN_LAND_MISS_PC)};
            emit(g, IR_OP_and, a, 3, NULL, 0);
            ir_ref b[3] = {pc, pc, konst(g, t, IRGEN_LAND_PC)};
            emit(g, IR_OP_or, b, 3, NULL, 0);
        } else if (chance(g, 30)) {
            pc = konst(g, t, IRGEN_LAND_PC);
        } else {
            pc = pc_value(g);
        }
        if (chance(g, 40))
            ir_goto_ret(g->f, pc);
        else
            ir_goto_ptr(g->f, pc);
    }
    g->dead = true;
}

/* ---- structure ------------------------------------------------------------------- */

static void gen_seq(struct gen *g, uint32_t end);

static void gen_alu(struct gen *g);

/* The compare profile: x = setcond(a, b) (an i32 trunc of it now and then),
 * sometimes followed by an op that may overwrite x, a or b; returns x, to be
 * tested against 0 (the simplify pass turns such tests into compares of a
 * with b while nothing changed them). */
static ir_ref gen_cmp_result(struct gen *g)
{
    enum ir_type t = rand_type(g);
    ir_ref a = pick_in(g, t), b = chance(g, 30) ? konst(g, t, edge_const(g, t)) : pick_in(g, t);
    ir_ref x = pick_out(g, t);
    ir_ref args[3] = {x, a, b};
    int64_t ca[1] = {below(g, IR_COND_COUNT)};
    emit(g, IR_OP_setcond, args, 3, ca, 1);
    if (t == IR_I64 && chance(g, 30)) {
        ir_ref y = pick_out(g, IR_I32);
        ir_ref targs[2] = {y, x};
        emit(g, IR_OP_trunc, targs, 2, NULL, 0);
        x = y;
    }
    if (chance(g, 30))
        gen_alu(g);
    return x;
}

/* brcond with inputs that make both outcomes likely. */
static void gen_brcond(struct gen *g, uint32_t label)
{
    if (g->profile == IRGEN_compare && chance(g, 60)) {
        ir_ref x = gen_cmp_result(g);
        ir_brcond(g->f, chance(g, 50) ? IR_COND_eq : IR_COND_ne, x,
                  konst(g, ir_val_type(g->f, x), 0), label);
        return;
    }
    enum ir_type t = rand_type(g);
    ir_ref a = pick_in(g, t), b;
    switch (below(g, 5)) {
    case 0:
        b = a;
        break;
    case 1:
        b = konst(g, t, edge_const(g, t));
        break;
    default:
        b = pick_in(g, t);
        break;
    }
    ir_brcond(g->f, (enum ir_cond)below(g, IR_COND_COUNT), a, b, label);
}

/* Where a sub-region ends: within the room left (at least one item). */
static uint32_t sub_end(struct gen *g, uint32_t end, unsigned max)
{
    uint32_t room = end > g->f->ninsns ? end - g->f->ninsns : 1;
    return g->f->ninsns + 1 + below(g, room < max ? room : max);
}

static void gen_if(struct gen *g, uint32_t end)
{
    uint32_t skip = ir_new_label(g->f);
    uint64_t def0 = g->def;
    gen_brcond(g, skip);
    g->depth++;
    gen_seq(g, sub_end(g, end, 24));
    g->depth--;
    ir_set_label(g->f, skip);
    g->def = def0; /* reached from the brcond too */
    g->dead = false;
}

static void gen_ifelse(struct gen *g, uint32_t end)
{
    uint32_t lelse = ir_new_label(g->f), lend = 0;
    bool have_end = false;
    uint64_t def0 = g->def;
    gen_brcond(g, lelse);
    g->depth++;
    gen_seq(g, sub_end(g, end, 20));
    uint64_t def1 = g->def;
    bool dead1 = g->dead;
    if (!dead1) {
        lend = ir_new_label(g->f);
        have_end = true;
        ir_br(g->f, lend);
    }
    ir_set_label(g->f, lelse);
    g->def = def0;
    g->dead = false;
    gen_seq(g, sub_end(g, end, 20));
    g->depth--;
    uint64_t def2 = g->def;
    bool dead2 = g->dead;
    if (have_end)
        ir_set_label(g->f, lend);
    g->dead = dead1 && dead2;
    g->def = dead1 ? def2 : dead2 ? def1 : (def1 & def2);
}

/* A loop counter: a temp that is not already one. */
static int pick_counter(struct gen *g)
{
    unsigned cand[MAX_TEMPS], n = 0;
    for (unsigned i = 0; i < g->nt; i++)
        if (!((g->busy >> i) & 1))
            cand[n++] = i;
    return n ? (int)cand[below(g, n)] : -1;
}

static void gen_loop(struct gen *g, uint32_t end, bool while_form)
{
    unsigned max_iters = MAX_LOOP_ITERS / (g->loop_iters ? g->loop_iters : 1);
    int ci = pick_counter(g);
    if (ci < 0 || max_iters < 2 || g->loop_depth >= MAX_LOOP_DEPTH) {
        gen_alu(g);
        return;
    }
    unsigned iters = (while_form ? 0 : 1) + below(g, max_iters < 8 ? max_iters : 8);
    ir_ref c = g->temp[ci];
    enum ir_type t = (enum ir_type)g->ttype[ci];
    uint32_t head = ir_new_label(g->f);
    bool up = !while_form && chance(g, 40); /* count up from 0, else down to 0 */
    ir_movi(g->f, c, up ? 0 : iters);
    g->def |= 1ull << ci;
    g->busy |= 1ull << ci;
    ir_set_label(g->f, head);
    uint64_t def_head = g->def;
    uint32_t out = 0;
    if (while_form) {
        out = ir_new_label(g->f);
        ir_brcond(g->f, IR_COND_eq, c, konst(g, t, 0), out);
    }
    unsigned saved_iters = g->loop_iters;
    g->loop_iters = (g->loop_iters ? g->loop_iters : 1) * (iters ? iters : 1);
    g->loop_depth++;
    g->depth++;
    /* the body: terminators only inside its if-regions (see gen_item) */
    gen_seq(g, sub_end(g, end, 30));
    g->depth--;
    g->loop_depth--;
    g->loop_iters = saved_iters;
    ir_ref args[3] = {c, c, konst(g, t, 1)};
    ir_emit(g->f, up ? IR_OP_add : IR_OP_sub, args, 3, NULL, 0);
    if (while_form) {
        ir_br(g->f, head);
        ir_set_label(g->f, out);
        g->def = def_head;
    } else if (up) {
        if (chance(g, 50))
            ir_brcond(g->f, chance(g, 50) ? IR_COND_ltu : IR_COND_ne, c, konst(g, t, iters), head);
        else
            ir_brcond(g->f, IR_COND_gtu, konst(g, t, iters), c, head);
    } else {
        static const enum ir_cond down[] = {IR_COND_ne, IR_COND_gt, IR_COND_gtu};
        ir_brcond(g->f, down[below(g, 3)], c, konst(g, t, 0), head);
    }
    g->busy &= ~(1ull << ci);
}

static void gen_early_exit(struct gen *g, uint32_t end)
{
    uint32_t skip = ir_new_label(g->f);
    uint64_t def0 = g->def;
    gen_brcond(g, skip);
    g->depth++;
    gen_seq(g, sub_end(g, end, 6));
    g->depth--;
    if (!g->dead)
        gen_terminator(g);
    ir_set_label(g->f, skip);
    g->def = def0;
    g->dead = false;
}

static void gen_item(struct gen *g, uint32_t end)
{
    const struct profile *p = g->p;
    unsigned total = 0;
    for (unsigned i = 0; i < IT_COUNT; i++)
        total += p->w[i];
    unsigned k = below(g, total), it = 0;
    while (k >= p->w[it])
        k -= p->w[it++];
    uint32_t room = end - g->f->ninsns;
    bool region = it >= IT_IF;
    if (region && (room < 6 || g->depth >= MAX_DEPTH))
        it = IT_ALU;
    switch ((enum item)it) {
    case IT_ALU:
        gen_alu(g);
        break;
    case IT_MEM:
        gen_mem(g);
        break;
    case IT_STATE:
        gen_state(g);
        break;
    case IT_CALL:
        gen_call(g);
        break;
    case IT_MARK:
        gen_mark(g);
        break;
    case IT_IF:
        gen_if(g, end);
        break;
    case IT_IFELSE:
        gen_ifelse(g, end);
        break;
    case IT_LOOP:
        gen_loop(g, end, false);
        break;
    case IT_WHILE:
        gen_loop(g, end, true);
        break;
    case IT_EXIT:
        gen_early_exit(g, end);
        break;
    case IT_COUNT:
        break;
    }
}

static void gen_seq(struct gen *g, uint32_t end)
{
    while (!g->dead && g->f->ninsns < end && !g->f->err)
        gen_item(g, end);
}

static void gen_setup(struct gen *g, struct ir_func *f, uint64_t pc)
{
    ir_func_reset(f);
    f->pc = pc;
    f->flags = IRGEN_CPU_FLAGS;
    f->env_size = sizeof(struct irgen_cpu);
    g->f = f;
    for (unsigned i = 0; i < IRGEN_NG64; i++) {
        char name[IR_NAME_MAX];
        snprintf(name, sizeof(name), "x%u", i);
        g->g64[i] = ir_global(f, IR_I64, IRGEN_OFF_G64 + 8 * i, name);
    }
    for (unsigned i = 0; i < IRGEN_NG32; i++) {
        char name[IR_NAME_MAX];
        snprintf(name, sizeof(name), "w%u", i);
        g->g32[i] = ir_global(f, IR_I32, IRGEN_OFF_G32 + 4 * i, name);
    }
}

int irgen_program(struct ir_func *f, uint64_t seed, enum irgen_profile profile)
{
    struct gen g;
    memset(&g, 0, sizeof(g));
    g.r.s = seed;
    g.profile = profile;
    g.p = &profiles[profile];
    g.mem_base = irgen_mem_base(seed);
    if (irgen_register_helpers() < 0) {
        ir_func_reset(f);
        ir_error(f, "irgen: cannot register the test helpers");
        return -1;
    }
    gen_setup(&g, f, 0x10000 + ((uint64_t)irgen_below(&g.r, 4096) << 4));
    /* at least three temps of each type: loop counters and address temps
     * never starve the rest */
    /* mostly up to 24 temps, sometimes up to MAX_TEMPS (more than any host has
     * registers) */
    g.nt = 6 + below(&g, chance(&g, 80) ? 19 : MAX_TEMPS - 5);
    for (unsigned i = 0; i < g.nt; i++) {
        g.ttype[i] = i < 6 ? (i & 1 ? IR_I64 : IR_I32) : rand_type(&g);
        g.temp[i] = ir_temp(f, (enum ir_type)g.ttype[i]);
    }
    g.next_pc = f->pc;
    unsigned lo = g.p->min_insns, hi = g.p->max_insns, size;
    switch (below(&g, 10)) { /* varied sizes: many small, some large */
    case 0:
    case 1:
    case 2:
        size = lo + below(&g, 16);
        break;
    case 3:
    case 4:
    case 5:
    case 6:
        size = lo + below(&g, (hi - lo) / 3 + 1);
        break;
    default:
        size = lo + below(&g, hi - lo + 1);
        break;
    }
    if (chance(&g, 80)) {
        ir_insn_start(f, g.next_pc);
        g.next_pc += 4;
    }
    if (chance(&g, 15)) /* register pressure: every temp live from the start */
        for (unsigned i = 0; i < g.nt; i++)
            gen_value_op(&g, chance(&g, 50) ? IR_OP_mov : IR_OP_add, (enum ir_type)g.ttype[i],
                         g.temp[i]);
    gen_seq(&g, size > 1 ? size - 1 : 1);
    if (!g.dead)
        gen_terminator(&g);
    return f->err ? -1 : 0;
}

uint64_t irgen_mem_base(uint64_t seed)
{
    struct irgen_rng r = {seed ^ 0x9fb21c651e98df25ull};
    static const uint64_t bases[4] = {0, 0, 0x80000000ull, 0xffff0000ull};
    return bases[irgen_below(&r, 4)];
}

int irgen_landing(struct ir_func *f)
{
    struct gen g;
    memset(&g, 0, sizeof(g));
    gen_setup(&g, f, IRGEN_LAND_PC);
    ir_insn_start(f, IRGEN_LAND_PC);
    ir_ref x15 = g.g64[15], w7 = g.g32[7];
    ir_emit_1_2(f, IR_OP_add, x15, x15, ir_const(f, IR_I64, 0x1111));
    ir_emit_1_2(f, IR_OP_mul, w7, w7, ir_const(f, IR_I32, 3));
    ir_emit_1_2(f, IR_OP_add, w7, w7, ir_const(f, IR_I32, 1));
    ir_exit(f, IR_EXIT_brk, ir_const(f, IR_I64, IRGEN_LAND_EXIT_PC));
    return f->err ? -1 : 0;
}

/* ---- initial state ------------------------------------------------------------------ */

static uint64_t init_value(struct gen *g, enum ir_type t)
{
    return (chance(g, 30) ? edge_const(g, t) : irgen_next(&g->r)) & ir_type_mask(t);
}

void irgen_init_cpu(struct irgen_cpu *cpu, uint64_t seed, uint64_t pc)
{
    struct gen g;
    memset(&g, 0, sizeof(g));
    g.r.s = seed ^ 0x5bd1e9955bd1e995ull;
    memset(cpu, 0, sizeof(*cpu));
    cpu->head.pc = pc;
    cpu->head.flags = IRGEN_CPU_FLAGS;
    for (unsigned i = 0; i < IRGEN_NG64; i++)
        cpu->g64[i] = init_value(&g, IR_I64);
    for (unsigned i = 0; i < IRGEN_NG32; i++)
        cpu->g32[i] = (uint32_t)init_value(&g, IR_I32);
    for (unsigned i = 0; i < IRGEN_SCRATCH / 8; i++)
        cpu->scratch[i] = irgen_next(&g.r);
}

void irgen_init_mem(uint8_t *mem, uint64_t seed)
{
    struct irgen_rng r = {seed ^ 0x2545f4914f6cdd1dull};
    for (size_t i = 0; i < IRGEN_MEM_ALLOC; i += 8) {
        uint64_t v = irgen_next(&r);
        size_t n = IRGEN_MEM_ALLOC - i < 8 ? IRGEN_MEM_ALLOC - i : 8;
        memcpy(mem + i, &v, n);
    }
}
