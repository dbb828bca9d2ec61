/* Shared predicates and small data structures of the optimizer passes; see
 * opt_util.h.  Nothing here changes what an insn computes except the
 * opt_make_* rewriters, which callers use only with an exact replacement. */
#include "opt_util.h"

#include <stdlib.h>
#include <string.h>

bool opt_is_pow2(const struct ir_func *f, ir_ref r, unsigned *log2)
{
    if (!ir_is_const(f, r))
        return false;
    uint64_t c = opt_const_val(f, r);
    if (c == 0 || (c & (c - 1)) != 0)
        return false;
    *log2 = (unsigned)__builtin_ctzll(c);
    return true;
}

bool opt_same_value(const struct ir_func *f, ir_ref a, ir_ref b)
{
    if (a == b)
        return true;
    return ir_is_const(f, a) && ir_is_const(f, b) && ir_val_type(f, a) == ir_val_type(f, b) &&
           opt_const_val(f, a) == opt_const_val(f, b);
}

/* How far back opt_const looks for an identical constant before making one. */
#define OPT_CONST_REUSE_WINDOW 64

ir_ref opt_const(struct ir_func *f, enum ir_type t, uint64_t v)
{
    v &= ir_type_mask(t);
    uint32_t lo = f->nvals > OPT_CONST_REUSE_WINDOW ? f->nvals - OPT_CONST_REUSE_WINDOW : 1;
    for (uint32_t r = f->nvals; r-- > lo;) {
        const struct ir_value *x = &f->vals[r];
        if (x->kind == IR_VAL_CONST && x->type == t && x->c == v)
            return r;
    }
    return ir_const(f, t, v);
}

void opt_make_op(const struct ir_func *f, struct ir_insn *in, enum ir_op op, ir_ref d, ir_ref a,
                 ir_ref b)
{
    memset(in, 0, sizeof(*in));
    in->op = (uint16_t)op;
    in->type = ir_val_type(f, d);
    in->nout = 1;
    in->nin = b == IR_NONE ? 1 : 2;
    in->args[0] = d;
    in->args[1] = a;
    in->args[2] = b;
    /* width changes have no T slot: the builder gives them type i64 */
    if (op == IR_OP_zext || op == IR_OP_sext || op == IR_OP_trunc)
        in->type = IR_I64;
}

void opt_make_mov(const struct ir_func *f, struct ir_insn *in, ir_ref d, ir_ref src)
{
    opt_make_op(f, in, IR_OP_mov, d, src, IR_NONE);
}

void opt_make_movi(struct ir_func *f, struct ir_insn *in, ir_ref d, uint64_t v)
{
    ir_ref c = opt_const(f, ir_val_type(f, d), v);
    opt_make_mov(f, in, d, c);
}

void opt_make_field(const struct ir_func *f, struct ir_insn *in, enum ir_op op, ir_ref d, ir_ref a,
                    unsigned pos, unsigned len)
{
    opt_make_op(f, in, op, d, a, IR_NONE);
    in->ncarg = 2;
    in->carg[0] = pos;
    in->carg[1] = len;
}

static void opt_make_br(struct ir_insn *in, int64_t label)
{
    memset(in, 0, sizeof(*in));
    in->op = IR_OP_br;
    in->type = IR_I64;
    in->ncarg = 1;
    in->carg[0] = label;
}

uint32_t opt_helper_hflags(const struct ir_insn *in)
{
    const struct ir_helper *h = ir_helper_get(in->carg[0]);
    if (!h)
        return IR_HF_ENV | IR_HF_READS_GLOBALS | IR_HF_WRITES_GLOBALS | IR_HF_SIDE;
    return h->flags;
}

bool opt_needs_globals(const struct ir_insn *in)
{
    if (ir_ops[in->op].flags & IR_F_MEM)
        return true;
    /* A helper that writes globals gets them reloaded afterwards, so the env
     * must hold them before; count it with the readers. */
    return (opt_call_hflags(in) & (IR_HF_ENV | IR_HF_READS_GLOBALS | IR_HF_WRITES_GLOBALS)) != 0;
}

int64_t opt_label_of(const struct ir_insn *in)
{
    switch (in->op) {
    case IR_OP_set_label:
    case IR_OP_br:
        return in->carg[0];
    case IR_OP_brcond:
        return in->carg[1];
    default:
        return -1;
    }
}

uint32_t *opt_label_refs(const struct ir_func *f)
{
    if (!f->nlabels)
        return NULL;
    uint32_t *refs = ir_scratch_zalloc((size_t)f->nlabels * sizeof(*refs));
    if (!refs)
        return NULL;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        const struct ir_insn *in = &f->insns[i];
        if (in->op != IR_OP_br && in->op != IR_OP_brcond)
            continue;
        int64_t l = opt_label_of(in);
        if (l >= 0 && l < f->nlabels)
            refs[l]++;
    }
    return refs;
}

/* A branch was removed: its label has one reference less. */
static void opt_label_unref(uint32_t *refs, uint32_t nlabels, int64_t label)
{
    if (refs && label >= 0 && label < nlabels && refs[label])
        refs[label]--;
}

bool opt_resolve_brcond(struct ir_func *f, uint32_t i, bool taken, uint32_t *refs)
{
    struct ir_insn *in = &f->insns[i];
    int64_t label = in->carg[1];
    if (!taken) {
        ir_make_nop(in);
        opt_label_unref(refs, f->nlabels, label);
        return true;
    }
    uint32_t end = i + 1;
    while (end < f->ninsns && f->insns[end].op != IR_OP_set_label)
        end++;
    if (end == f->ninsns)
        return false;
    for (uint32_t j = i + 1; j < end; j++) {
        struct ir_insn *dead = &f->insns[j];
        if (dead->op == IR_OP_br || dead->op == IR_OP_brcond)
            opt_label_unref(refs, f->nlabels, opt_label_of(dead));
        ir_make_nop(dead);
    }
    /* a jump to one of the labels right after it is a fallthrough */
    for (uint32_t j = end; j < f->ninsns && f->insns[j].op == IR_OP_set_label; j++) {
        if (f->insns[j].carg[0] == label) {
            ir_make_nop(in);
            opt_label_unref(refs, f->nlabels, label);
            return true;
        }
    }
    opt_make_br(in, label);
    return true;
}

int opt_vmap_init(struct opt_vmap *m, uint32_t n)
{
    m->n = n;
    m->gen = 1;
    /* a stamp of 0 is never the current generation: val needs no zeroing */
    m->stamp = ir_scratch_zalloc((size_t)(n ? n : 1) * sizeof(*m->stamp));
    m->val = ir_scratch_alloc((size_t)(n ? n : 1) * sizeof(*m->val));
    if (!m->stamp || !m->val) {
        opt_vmap_free(m);
        return -1;
    }
    return 0;
}

void opt_vmap_free(struct opt_vmap *m)
{
    m->stamp = NULL;
    m->val = NULL;
    m->n = 0;
}

int opt_vers_init(struct opt_vers *vs, uint32_t n)
{
    vs->n = n;
    vs->v = ir_scratch_zalloc((size_t)(n ? n : 1) * sizeof(*vs->v));
    return vs->v ? 0 : -1;
}

void opt_vers_free(struct opt_vers *vs)
{
    vs->v = NULL;
    vs->n = 0;
}

ir_ref *opt_globals(const struct ir_func *f, uint32_t *count)
{
    /* room for every value: one walk instead of counting first */
    ir_ref *g = ir_scratch_alloc((size_t)(f->nvals ? f->nvals : 1) * sizeof(*g));
    *count = 0;
    if (!g)
        return NULL;
    for (ir_ref r = 1; r < f->nvals; r++)
        if (opt_is_global(f, r))
            g[(*count)++] = r;
    return g;
}
