/* IR core: the op table expanded from ops.def, value and instruction
 * construction with a sticky error, the helper registry, and the per-thread
 * scratch memory of passes and backends */
#include "ir.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const struct ir_opinfo ir_ops[IR_OP_COUNT] = {
#define IR_OP(name, nout, nin, ncarg, flags, sig) {#name, nout, nin, ncarg, flags, sig},
#include "ops.def"
#undef IR_OP
};

const char *const ir_type_names[IR_TYPE_COUNT] = {"i32", "i64", "f64", "v128", "void"};

const char *const ir_cond_names[IR_COND_COUNT] = {
#define IR_COND(name, inv, swp) #name,
#include "conds.def"
#undef IR_COND
};

static const uint8_t cond_inverse[IR_COND_COUNT] = {
#define IR_COND(name, inv, swp) IR_COND_##inv,
#include "conds.def"
#undef IR_COND
};

static const uint8_t cond_swapped[IR_COND_COUNT] = {
#define IR_COND(name, inv, swp) IR_COND_##swp,
#include "conds.def"
#undef IR_COND
};

enum ir_cond ir_cond_invert(enum ir_cond c) { return (enum ir_cond)cond_inverse[c]; }
enum ir_cond ir_cond_swap(enum ir_cond c) { return (enum ir_cond)cond_swapped[c]; }

const char *const ir_exit_names[IR_EXIT_COUNT] = {
#define IR_EXIT(name, desc) #name,
#include "exits.def"
#undef IR_EXIT
};
const char *const ir_exit_descs[IR_EXIT_COUNT] = {
#define IR_EXIT(name, desc) desc,
#include "exits.def"
#undef IR_EXIT
};

const char *const ir_pass_names[IR_PASS_COUNT] = {
#define IR_PASS(name, desc) #name,
#include "passes.def"
#undef IR_PASS
};

/* ---- helper registry ---- */

#define IR_HELPERS_MAX 1024
static const struct ir_helper *helpers[IR_HELPERS_MAX];
static int nhelpers;

int ir_helper_register(const struct ir_helper *h)
{
    for (int i = 0; i < nhelpers; i++) {
        if (helpers[i] == h)
            return i;
        if (strcmp(helpers[i]->name, h->name) == 0)
            return -1;
    }
    if (nhelpers == IR_HELPERS_MAX || h->nargs > IR_HELPER_MAX_ARGS)
        return -1;
    helpers[nhelpers] = h;
    return nhelpers++;
}

const struct ir_helper *ir_helper_get(int64_t id)
{
    return id >= 0 && id < nhelpers ? helpers[id] : NULL;
}

int ir_helper_find(const char *name)
{
    for (int i = 0; i < nhelpers; i++)
        if (strcmp(helpers[i]->name, name) == 0)
            return i;
    return -1;
}

/* ---- functions ---- */

void ir_func_init(struct ir_func *f)
{
    memset(f, 0, sizeof(*f));
    f->nvals = 1; /* vals[0] is IR_NONE */
}

void ir_func_reset(struct ir_func *f)
{
    f->pc = 0;
    f->flags = 0;
    f->env_size = 0;
    f->nvals = 1;
    f->ntemps = 0;
    f->ninsns = 0;
    f->nlabels = 0;
    f->err = 0;
    f->errmsg[0] = 0;
}

void ir_func_free(struct ir_func *f)
{
    free(f->vals);
    free(f->insns);
    ir_func_init(f);
}

int ir_func_copy(struct ir_func *dst, const struct ir_func *src)
{
    struct ir_value *v = realloc(dst->vals, (src->nvals + 1) * sizeof(*v));
    if (!v)
        return -1;
    dst->vals = v;
    struct ir_insn *in = realloc(dst->insns, (src->ninsns + 1) * sizeof(*in));
    if (!in)
        return -1;
    dst->insns = in;
    struct ir_func keep = *dst;
    *dst = *src;
    dst->vals = keep.vals;
    dst->insns = keep.insns;
    dst->cap_vals = src->nvals + 1;
    dst->cap_insns = src->ninsns + 1;
    memcpy(dst->vals, src->vals, src->nvals * sizeof(*v));
    if (src->ninsns)
        memcpy(dst->insns, src->insns, src->ninsns * sizeof(*in));
    return 0;
}

void ir_error(struct ir_func *f, const char *fmt, ...)
{
    if (f->err)
        return;
    f->err = -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->errmsg, sizeof(f->errmsg), fmt, ap);
    va_end(ap);
}

static bool grow(void **p, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    uint32_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, (size_t)n * elem);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

static ir_ref new_value(struct ir_func *f, enum ir_vkind kind, enum ir_type t)
{
    if (f->nvals == 0)
        f->nvals = 1;
    if (!grow((void **)&f->vals, &f->cap_vals, f->nvals + 1, sizeof(struct ir_value))) {
        ir_error(f, "out of memory (values)");
        return IR_NONE;
    }
    struct ir_value *v = &f->vals[f->nvals];
    memset(v, 0, sizeof(*v));
    v->kind = (uint8_t)kind;
    v->type = (uint8_t)t;
    return f->nvals++;
}

ir_ref ir_temp(struct ir_func *f, enum ir_type t)
{
    ir_ref r = new_value(f, IR_VAL_TEMP, t);
    if (r)
        f->vals[r].num = f->ntemps++;
    return r;
}

ir_ref ir_const(struct ir_func *f, enum ir_type t, uint64_t c)
{
    ir_ref r = new_value(f, IR_VAL_CONST, t);
    if (r)
        f->vals[r].c = c & ir_type_mask(t);
    return r;
}

ir_ref ir_global(struct ir_func *f, enum ir_type t, uint32_t offset, const char *name)
{
    for (ir_ref r = 1; r < f->nvals; r++) {
        struct ir_value *v = &f->vals[r];
        if (v->kind == IR_VAL_GLOBAL && v->num == offset) {
            if (v->type != t)
                ir_error(f, "global %s at offset %u redeclared as %s", name, offset, ir_type_names[t]);
            return r;
        }
    }
    ir_ref r = new_value(f, IR_VAL_GLOBAL, t);
    if (r) {
        struct ir_value *v = &f->vals[r];
        v->num = offset;
        v->size = t == IR_I32 ? 4 : 8;
        /* same as snprintf "%s" (truncating), without the stdio cost */
        const char *src = name ? name : "(null)";
        size_t n = strnlen(src, sizeof(v->name) - 1);
        memcpy(v->name, src, n);
        v->name[n] = '\0';
    }
    return r;
}

uint32_t ir_new_label(struct ir_func *f) { return f->nlabels++; }

/* The type T of an insn: the type of the first arg whose sig slot is 'T'. */
static int insn_type(const struct ir_func *f, const char *sig, const ir_ref *args, unsigned nargs)
{
    unsigned slot = 0;
    for (const char *s = sig; *s; s++) {
        if (*s == ':')
            continue;
        if (*s == 'T')
            return slot < nargs && args[slot] < f->nvals ? f->vals[args[slot]].type : -1;
        slot++;
    }
    return IR_I64;
}

int ir_emit(struct ir_func *f, enum ir_op op, const ir_ref *args, unsigned nargs,
            const int64_t *cargs, unsigned ncargs)
{
    if (f->err)
        return -1;
    if ((unsigned)op >= IR_OP_COUNT) {
        ir_error(f, "ir_emit: bad op %d", (int)op);
        return -1;
    }
    const struct ir_opinfo *oi = &ir_ops[op];
    unsigned nout, nin;
    if (op == IR_OP_call) {
        const struct ir_helper *h = ncargs ? ir_helper_get(cargs[0]) : NULL;
        if (!h) {
            ir_error(f, "ir_emit: call of unknown helper");
            return -1;
        }
        nout = h->ret != IR_VOID;
        nin = h->nargs;
    } else {
        nout = (unsigned)oi->nout;
        nin = (unsigned)oi->nin;
    }
    if (nargs != nout + nin || ncargs != oi->ncarg || nargs > IR_MAX_ARGS) {
        ir_error(f, "ir_emit: %s takes %u values and %u constant args, got %u and %u", oi->name,
                 nout + nin, oi->ncarg, nargs, ncargs);
        return -1;
    }
    for (unsigned i = 0; i < nargs; i++) {
        if (args[i] == IR_NONE || args[i] >= f->nvals) {
            ir_error(f, "ir_emit: %s: operand %u is not a value", oi->name, i);
            return -1;
        }
    }
    if (!grow((void **)&f->insns, &f->cap_insns, f->ninsns + 1, sizeof(struct ir_insn))) {
        ir_error(f, "out of memory (insns)");
        return -1;
    }
    struct ir_insn *in = &f->insns[f->ninsns];
    memset(in, 0, sizeof(*in));
    in->op = (uint16_t)op;
    int t = insn_type(f, oi->sig, args, nargs);
    in->type = (uint8_t)(t < 0 ? IR_I64 : t);
    in->nout = (uint8_t)nout;
    in->nin = (uint8_t)nin;
    in->ncarg = (uint8_t)ncargs;
    if (nargs) /* args may be NULL when there are none (memcpy needs non-NULL) */
        memcpy(in->args, args, nargs * sizeof(ir_ref));
    if (ncargs)
        memcpy(in->carg, cargs, ncargs * sizeof(int64_t));
    return (int)f->ninsns++;
}

void ir_emit_1_1(struct ir_func *f, enum ir_op op, ir_ref d, ir_ref a)
{
    ir_ref args[2] = {d, a};
    ir_emit(f, op, args, 2, NULL, 0);
}

void ir_emit_1_2(struct ir_func *f, enum ir_op op, ir_ref d, ir_ref a, ir_ref b)
{
    ir_ref args[3] = {d, a, b};
    ir_emit(f, op, args, 3, NULL, 0);
}

void ir_mov(struct ir_func *f, ir_ref d, ir_ref a) { ir_emit_1_1(f, IR_OP_mov, d, a); }

void ir_movi(struct ir_func *f, ir_ref d, uint64_t v)
{
    if (d && d < f->nvals)
        ir_mov(f, d, ir_const(f, (enum ir_type)f->vals[d].type, v));
}

void ir_setcond(struct ir_func *f, enum ir_cond c, ir_ref d, ir_ref a, ir_ref b)
{
    ir_ref args[3] = {d, a, b};
    int64_t ca[1] = {c};
    ir_emit(f, IR_OP_setcond, args, 3, ca, 1);
}

void ir_movcond(struct ir_func *f, enum ir_cond c, ir_ref d, ir_ref a, ir_ref b, ir_ref t, ir_ref e)
{
    ir_ref args[5] = {d, a, b, t, e};
    int64_t ca[1] = {c};
    ir_emit(f, IR_OP_movcond, args, 5, ca, 1);
}

static void emit_field(struct ir_func *f, enum ir_op op, const ir_ref *args, unsigned nargs,
                       unsigned pos, unsigned len)
{
    int64_t ca[2] = {pos, len};
    ir_emit(f, op, args, nargs, ca, 2);
}

void ir_extract(struct ir_func *f, ir_ref d, ir_ref a, unsigned pos, unsigned len)
{
    ir_ref args[2] = {d, a};
    emit_field(f, IR_OP_extract, args, 2, pos, len);
}

void ir_sextract(struct ir_func *f, ir_ref d, ir_ref a, unsigned pos, unsigned len)
{
    ir_ref args[2] = {d, a};
    emit_field(f, IR_OP_sextract, args, 2, pos, len);
}

void ir_deposit(struct ir_func *f, ir_ref d, ir_ref a, ir_ref b, unsigned pos, unsigned len)
{
    ir_ref args[3] = {d, a, b};
    emit_field(f, IR_OP_deposit, args, 3, pos, len);
}

void ir_ld(struct ir_func *f, ir_ref d, ir_ref addr, unsigned memop)
{
    ir_ref args[2] = {d, addr};
    int64_t ca[1] = {memop};
    ir_emit(f, IR_OP_ld, args, 2, ca, 1);
}

void ir_st(struct ir_func *f, ir_ref v, ir_ref addr, unsigned memop)
{
    ir_ref args[2] = {v, addr};
    int64_t ca[1] = {memop};
    ir_emit(f, IR_OP_st, args, 2, ca, 1);
}

void ir_ld_state(struct ir_func *f, ir_ref d, uint32_t offset, unsigned memop)
{
    int64_t ca[2] = {offset, memop};
    ir_emit(f, IR_OP_ld_state, &d, 1, ca, 2);
}

void ir_st_state(struct ir_func *f, ir_ref v, uint32_t offset, unsigned memop)
{
    int64_t ca[2] = {offset, memop};
    ir_emit(f, IR_OP_st_state, &v, 1, ca, 2);
}

void ir_call(struct ir_func *f, int helper_id, ir_ref d, const ir_ref *args)
{
    const struct ir_helper *h = ir_helper_get(helper_id);
    if (!h) {
        ir_error(f, "ir_call: unknown helper %d", helper_id);
        return;
    }
    ir_ref all[IR_MAX_ARGS];
    unsigned n = 0;
    if (d != IR_NONE)
        all[n++] = d;
    for (unsigned i = 0; i < h->nargs && n < IR_MAX_ARGS; i++)
        all[n++] = args[i];
    int64_t ca[1] = {helper_id};
    ir_emit(f, IR_OP_call, all, n, ca, 1);
}

static void emit_carg1(struct ir_func *f, enum ir_op op, int64_t c)
{
    ir_emit(f, op, NULL, 0, &c, 1);
}

void ir_insn_start(struct ir_func *f, uint64_t pc) { emit_carg1(f, IR_OP_insn_start, (int64_t)pc); }
void ir_set_label(struct ir_func *f, uint32_t label) { emit_carg1(f, IR_OP_set_label, label); }
void ir_br(struct ir_func *f, uint32_t label) { emit_carg1(f, IR_OP_br, label); }
void ir_goto_tb(struct ir_func *f, uint64_t pc) { emit_carg1(f, IR_OP_goto_tb, (int64_t)pc); }

void ir_brcond(struct ir_func *f, enum ir_cond c, ir_ref a, ir_ref b, uint32_t label)
{
    ir_ref args[2] = {a, b};
    int64_t ca[2] = {c, label};
    ir_emit(f, IR_OP_brcond, args, 2, ca, 2);
}

void ir_goto_ptr(struct ir_func *f, ir_ref pc) { ir_emit(f, IR_OP_goto_ptr, &pc, 1, NULL, 0); }
void ir_ras_push(struct ir_func *f, uint64_t ret_pc) { emit_carg1(f, IR_OP_ras_push, (int64_t)ret_pc); }
void ir_goto_ret(struct ir_func *f, ir_ref pc) { ir_emit(f, IR_OP_goto_ret, &pc, 1, NULL, 0); }

void ir_exit(struct ir_func *f, enum ir_exit reason, ir_ref pc)
{
    int64_t ca[1] = {reason};
    ir_emit(f, IR_OP_exit, &pc, 1, ca, 1);
}

void ir_make_nop(struct ir_insn *in)
{
    memset(in, 0, sizeof(*in));
    in->op = IR_OP_nop;
}

void ir_compact(struct ir_func *f)
{
    uint32_t j = 0;
    while (j < f->ninsns && f->insns[j].op != IR_OP_nop) /* nothing moves before the first nop */
        j++;
    for (uint32_t i = j; i < f->ninsns; i++)
        if (f->insns[i].op != IR_OP_nop)
            f->insns[j++] = f->insns[i];
    f->ninsns = j;
}

uint32_t ir_insn_flags(const struct ir_insn *in)
{
    uint32_t fl = ir_ops[in->op].flags;
    if (in->op == IR_OP_call) {
        const struct ir_helper *h = ir_helper_get(in->carg[0]);
        if (!h || (h->flags & (IR_HF_SIDE | IR_HF_WRITES_GLOBALS)))
            fl |= IR_F_SIDE;
    }
    return fl;
}

/* ---- scratch memory ---- */

/* Chunks form a list in allocation order; `scratch_cur` is the one being filled.
 * Chunks after it are free and reused before a new one is made. */
struct ir_scratch_chunk {
    struct ir_scratch_chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

#define IR_SCRATCH_CHUNK_MIN (64u * 1024)

static _Thread_local struct ir_scratch_chunk *scratch_first, *scratch_cur;

/* Under AddressSanitizer the free part of every chunk is poisoned, so a use of
 * scratch memory after ir_scratch_release, or past the bytes asked for, is
 * reported like a heap error. */
#if defined(__SANITIZE_ADDRESS__)
#define IR_SCRATCH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IR_SCRATCH_ASAN 1
#endif
#endif
#ifdef IR_SCRATCH_ASAN
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define scratch_poison(p, n) __asan_poison_memory_region((p), (n))
#define scratch_unpoison(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define scratch_poison(p, n) ((void)(p), (void)(n))
#define scratch_unpoison(p, n) ((void)(p), (void)(n))
#endif

struct ir_scratch_pos ir_scratch_mark(void)
{
    struct ir_scratch_pos m = {scratch_cur, scratch_cur ? scratch_cur->used : 0};
    return m;
}

void ir_scratch_release(struct ir_scratch_pos m)
{
    /* everything after the mark is free again: the rest of its chunk and
     * the chunks behind it, up to the one being filled */
    struct ir_scratch_chunk *c = m.chunk ? m.chunk : scratch_first;
    size_t from = m.chunk ? m.used : 0;
    for (; c; c = c->next, from = 0) {
        scratch_poison(c->data + from, c->size - from);
        if (c == scratch_cur)
            break;
    }
    scratch_cur = m.chunk;
    if (scratch_cur)
        scratch_cur->used = m.used;
}

void *ir_scratch_alloc(size_t bytes)
{
    size_t n = (bytes + 15) & ~(size_t)15;
    if (n < bytes || n > SIZE_MAX / 4)
        return NULL;
    for (;;) {
        if (scratch_cur && scratch_cur->size - scratch_cur->used >= n) {
            void *p = scratch_cur->data + scratch_cur->used;
            scratch_cur->used += n;
            scratch_unpoison(p, bytes);
            return p;
        }
        struct ir_scratch_chunk *next = scratch_cur ? scratch_cur->next : scratch_first;
        if (!next || next->size < n) {
            size_t size = n > IR_SCRATCH_CHUNK_MIN / 2 ? n * 2 : IR_SCRATCH_CHUNK_MIN;
            struct ir_scratch_chunk *c = malloc(sizeof(*c) + size);
            if (!c)
                return NULL;
            c->size = size;
            scratch_poison(c->data, size);
            c->next = next; /* a smaller free chunk stays behind it */
            if (scratch_cur)
                scratch_cur->next = c;
            else
                scratch_first = c;
            next = c;
        }
        scratch_cur = next;
        scratch_cur->used = 0;
    }
}

void *ir_scratch_zalloc(size_t bytes)
{
    void *p = ir_scratch_alloc(bytes);
    if (p)
        memset(p, 0, bytes);
    return p;
}
