/* Shared predicates and small data structures of the optimizer passes
 * (ir/opt_*.c): value kinds and constants, operand queries, helper-call
 * effects, label reference counts, and generation-stamped per-value maps. */
#ifndef FERRY_IR_OPT_UTIL_H
#define FERRY_IR_OPT_UTIL_H

#include "ir.h"

/* ---- values ---- */

static inline bool opt_is_global(const struct ir_func *f, ir_ref r)
{
    return f->vals[r].kind == IR_VAL_GLOBAL;
}
/* A temp or a global: something an insn can assign. */
static inline bool opt_is_var(const struct ir_func *f, ir_ref r)
{
    return f->vals[r].kind != IR_VAL_CONST;
}
static inline uint64_t opt_const_val(const struct ir_func *f, ir_ref r) { return f->vals[r].c; }
static inline bool opt_is_const_val(const struct ir_func *f, ir_ref r, uint64_t v)
{
    return ir_is_const(f, r) && f->vals[r].c == (v & ir_type_mask(ir_val_type(f, r)));
}
static inline bool opt_is_zero(const struct ir_func *f, ir_ref r)
{
    return opt_is_const_val(f, r, 0);
}
static inline bool opt_is_one(const struct ir_func *f, ir_ref r)
{
    return opt_is_const_val(f, r, 1);
}
/* All ones in the value's type. */
static inline bool opt_is_ones(const struct ir_func *f, ir_ref r)
{
    return opt_is_const_val(f, r, ~0ull);
}
/* A constant power of two; *log2 receives the exponent. */
bool opt_is_pow2(const struct ir_func *f, ir_ref r, unsigned *log2);
/* Two operands that always hold the same value at this point: the same
 * temp/global, or two constants of equal type and value. */
bool opt_same_value(const struct ir_func *f, ir_ref a, ir_ref b);

/* A constant of type t (reusing a recent identical one). */
ir_ref opt_const(struct ir_func *f, enum ir_type t, uint64_t v);

/* Byte ranges [a, a+na) and [b, b+nb) intersect. */
static inline bool opt_ranges_overlap(uint64_t a, uint64_t na, uint64_t b, uint64_t nb)
{
    return a < b + nb && b < a + na;
}

/* ---- insns ---- */

/* Rewrite an insn in place into `mov d, src` (type of d). */
void opt_make_mov(const struct ir_func *f, struct ir_insn *in, ir_ref d, ir_ref src);
/* Rewrite into `mov d, <const v>`. */
void opt_make_movi(struct ir_func *f, struct ir_insn *in, ir_ref d, uint64_t v);
/* Rewrite into a one-output, one/two-input op without constant args
 * (b = IR_NONE for one input).  The type is taken from d. */
void opt_make_op(const struct ir_func *f, struct ir_insn *in, enum ir_op op, ir_ref d, ir_ref a,
                 ir_ref b);
/* Rewrite into extract/sextract d, a, pos, len. */
void opt_make_field(const struct ir_func *f, struct ir_insn *in, enum ir_op op, ir_ref d, ir_ref a,
                    unsigned pos, unsigned len);

/* Helper flags (IR_HF_*) of a call insn; an unknown helper gets every flag;
 * 0 for other ops (decided inline: most insns are not calls). */
uint32_t opt_helper_hflags(const struct ir_insn *in); /* a call insn */
static inline uint32_t opt_call_hflags(const struct ir_insn *in)
{
    return in->op == IR_OP_call ? opt_helper_hflags(in) : 0;
}
/* Globals may change at this insn without being one of its outputs. */
static inline bool opt_clobbers_globals(const struct ir_insn *in)
{
    return (opt_call_hflags(in) & IR_HF_WRITES_GLOBALS) != 0;
}
/* Every global must be in the env (and so live) before this insn: guest
 * memory ops (they may fault) and calls that can see the CPU state. */
bool opt_needs_globals(const struct ir_insn *in);
/* The label operand of set_label, br, brcond; -1 for other ops. */
int64_t opt_label_of(const struct ir_insn *in);

/* ---- labels ---- */

/* Number of br/brcond referencing each label (array of f->nlabels in ir_scratch
 * memory, or NULL on allocation failure or no labels).  A label with no reference is only
 * reached by falling through, so forward analyses need not reset there. */
uint32_t *opt_label_refs(const struct ir_func *f);
/* A forward pass reaching insn `in`: does it start a region with unknown
 * predecessors?  (set_label referenced by some branch.) */
static inline bool opt_is_join(const struct ir_insn *in, const uint32_t *refs, uint32_t nlabels)
{
    if (in->op != IR_OP_set_label)
        return false;
    int64_t l = in->carg[0];
    if (!refs || l < 0 || l >= nlabels)
        return true;
    return refs[l] != 0;
}
/* Turn the conditional branch at insn i into `br` (taken = true) or remove it.
 * A `br` makes the insns after it unreachable up to the next set_label; they
 * are removed (the IR has no unreachable code); a `br` to a label that then
 * directly follows is removed too.  When no set_label follows,
 * the block's terminator would go too, so nothing changes and false is
 * returned; otherwise true.  `refs` (may be NULL) is kept up to date. */
bool opt_resolve_brcond(struct ir_func *f, uint32_t i, bool taken, uint32_t *refs);

/* ---- per-value maps ---- */

/* A map from value refs to a 64-bit payload, forgotten in O(1) by bumping
 * the generation.  Maps and version counters live in ir_scratch memory (the
 * _free functions only forget the arrays).  Refs >= n (values created during the pass) are never
 * present. */
struct opt_vmap {
    uint32_t n, gen;
    uint32_t *stamp;
    uint64_t *val;
};
int opt_vmap_init(struct opt_vmap *m, uint32_t n);
void opt_vmap_free(struct opt_vmap *m);
static inline void opt_vmap_reset(struct opt_vmap *m) { m->gen++; }
static inline bool opt_vmap_get(const struct opt_vmap *m, ir_ref r, uint64_t *v)
{
    if (r >= m->n || m->stamp[r] != m->gen)
        return false;
    *v = m->val[r];
    return true;
}
static inline void opt_vmap_set(struct opt_vmap *m, ir_ref r, uint64_t v)
{
    if (r < m->n) {
        m->stamp[r] = m->gen;
        m->val[r] = v;
    }
}
static inline void opt_vmap_del(struct opt_vmap *m, ir_ref r)
{
    if (r < m->n)
        m->stamp[r] = m->gen - 1;
}

/* Write counters per value: bumped at every assignment, so a fact recorded
 * with a value's version stays true while the version is unchanged. */
struct opt_vers {
    uint32_t n;
    uint32_t *v;
};
int opt_vers_init(struct opt_vers *vs, uint32_t n);
void opt_vers_free(struct opt_vers *vs);
static inline uint32_t opt_vers_get(const struct opt_vers *vs, ir_ref r)
{
    return r < vs->n ? vs->v[r] : 0;
}
static inline void opt_vers_bump(struct opt_vers *vs, ir_ref r)
{
    if (r < vs->n)
        vs->v[r]++;
}

/* The refs of all globals of f (sorted by ref, in ir_scratch memory); *count
 * receives the number. */
ir_ref *opt_globals(const struct ir_func *f, uint32_t *count);

#endif
