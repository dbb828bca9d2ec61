/* Pipeline position 5, the last pass of ir_optimize (constfold -> copyprop ->
 * simplify, repeated, then stateelim -> dce): dead-code elimination with
 * liveness of globals.  Backward liveness over the block's CFG (labels,
 * branches, terminators; iterated to a fixpoint, loops allowed).  All globals
 * are live at terminators and before anything that may observe the env (guest
 * memory ops, which may fault, and helpers that see the CPU state); temps are
 * dead at terminators.  An insn without side effects whose outputs are all
 * dead is removed -- this is what drops guest flags nobody reads.  Also
 * removed: a `br` to the label right after it, code no path reaches, and
 * labels no branch names. */
#include "opt_util.h"

#include <stdlib.h>
#include <string.h>

struct dce_block {
    uint32_t start, end; /* insns [start, end) */
    int32_t succ[2];     /* block indices, -1 none */
    bool exits;          /* falls off the end of the function: like a terminator */
};

struct dce {
    struct ir_func *f;
    uint32_t words;     /* 64-bit words per value set */
    uint64_t *globals;  /* the set of all globals */
    uint64_t *live_in;  /* nblocks sets */
    uint64_t *live_out; /* nblocks sets */
    uint64_t *cur;      /* scratch set */
    struct dce_block *blocks;
    uint32_t nblocks;
    int32_t *label_block; /* label -> block starting with its set_label */
};

/* ---- value sets ---- */

static bool set_has(const uint64_t *s, ir_ref r) { return (s[r / 64] >> (r % 64)) & 1; }
static void set_add(uint64_t *s, ir_ref r) { s[r / 64] |= 1ull << (r % 64); }
static void set_del(uint64_t *s, ir_ref r) { s[r / 64] &= ~(1ull << (r % 64)); }
static void set_or(uint64_t *d, const uint64_t *s, uint32_t words)
{
    for (uint32_t i = 0; i < words; i++)
        d[i] |= s[i];
}

/* ---- the CFG ---- */

static bool dce_ends_block(const struct ir_insn *in)
{
    return (ir_ops[in->op].flags & (IR_F_BRANCH | IR_F_END)) != 0;
}

static int dce_build_cfg(struct dce *d)
{
    struct ir_func *f = d->f;
    d->blocks = ir_scratch_zalloc((size_t)(f->ninsns + 1) * sizeof(*d->blocks));
    d->label_block =
        ir_scratch_alloc((size_t)(f->nlabels ? f->nlabels : 1) * sizeof(*d->label_block));
    if (!d->blocks || !d->label_block)
        return -1;
    for (uint32_t l = 0; l < f->nlabels; l++)
        d->label_block[l] = -1;
    uint32_t n = 0;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        const struct ir_insn *in = &f->insns[i];
        bool starts = i == 0 || in->op == IR_OP_set_label || dce_ends_block(&f->insns[i - 1]);
        if (starts) {
            if (n)
                d->blocks[n - 1].end = i;
            d->blocks[n].start = i;
            n++;
        }
        int64_t l = in->op == IR_OP_set_label ? in->carg[0] : -1;
        if (l >= 0 && l < f->nlabels)
            d->label_block[l] = (int32_t)(n - 1);
    }
    if (n)
        d->blocks[n - 1].end = f->ninsns;
    d->nblocks = n;
    for (uint32_t b = 0; b < n; b++) {
        struct dce_block *bl = &d->blocks[b];
        const struct ir_insn *last = &f->insns[bl->end - 1];
        int32_t next = b + 1 < n ? (int32_t)(b + 1) : -1;
        int64_t l = opt_label_of(last);
        int32_t target = l >= 0 && l < f->nlabels ? d->label_block[l] : -1;
        bl->succ[0] = bl->succ[1] = -1;
        if (last->op == IR_OP_br) {
            bl->succ[0] = target;
            bl->exits = target < 0;
        } else if (last->op == IR_OP_brcond) {
            bl->succ[0] = next;
            bl->succ[1] = target;
            bl->exits = next < 0 || target < 0;
        } else if (!(ir_ops[last->op].flags & IR_F_END)) {
            bl->succ[0] = next;
            bl->exits = next < 0;
        }
    }
    return 0;
}

/* ---- liveness ---- */

static bool dce_removable(const struct ir_insn *in)
{
    return !(ir_insn_flags(in) & (IR_F_SIDE | IR_F_MEM));
}

static bool dce_any_out_live(const struct ir_insn *in, const uint64_t *live)
{
    for (unsigned i = 0; i < in->nout; i++)
        if (set_has(live, ir_out(in, i)))
            return true;
    return false;
}

/* Step `live` backwards over one insn.  Returns false if the insn is dead
 * (and so contributes nothing). */
static bool dce_step(struct dce *d, const struct ir_insn *in, uint64_t *live)
{
    const struct ir_func *f = d->f;
    if (ir_ops[in->op].flags & IR_F_END) {
        memcpy(live, d->globals, d->words * sizeof(*live));
    } else {
        if (dce_removable(in) && !dce_any_out_live(in, live))
            return false;
        for (unsigned i = 0; i < in->nout; i++)
            set_del(live, ir_out(in, i));
    }
    for (unsigned i = 0; i < in->nin; i++) {
        ir_ref r = ir_in(in, i);
        if (opt_is_var(f, r))
            set_add(live, r);
    }
    if (opt_needs_globals(in))
        set_or(live, d->globals, d->words);
    return true;
}

static void dce_block_out(struct dce *d, uint32_t b, uint64_t *out)
{
    const struct dce_block *bl = &d->blocks[b];
    memset(out, 0, d->words * sizeof(*out));
    if (bl->exits)
        set_or(out, d->globals, d->words);
    for (int k = 0; k < 2; k++)
        if (bl->succ[k] >= 0)
            set_or(out, &d->live_in[(size_t)bl->succ[k] * d->words], d->words);
}

static void dce_liveness(struct dce *d)
{
    bool changed = true;
    while (changed) {
        changed = false;
        for (uint32_t b = d->nblocks; b-- > 0;) {
            const struct dce_block *bl = &d->blocks[b];
            uint64_t *out = &d->live_out[(size_t)b * d->words];
            uint64_t *in = &d->live_in[(size_t)b * d->words];
            dce_block_out(d, b, out);
            memcpy(d->cur, out, d->words * sizeof(*out));
            for (uint32_t i = bl->end; i-- > bl->start;)
                dce_step(d, &d->f->insns[i], d->cur);
            if (memcmp(in, d->cur, d->words * sizeof(*in)) != 0) {
                /* sets only grow: the transfer is monotone from empty sets */
                memcpy(in, d->cur, d->words * sizeof(*in));
                changed = true;
            }
        }
    }
}

/* Some block branches (or falls) to itself or to an earlier block. */
static bool dce_has_back_edge(const struct dce *d)
{
    for (uint32_t b = 0; b < d->nblocks; b++)
        for (int k = 0; k < 2; k++)
            if (d->blocks[b].succ[k] >= 0 && (uint32_t)d->blocks[b].succ[k] <= b)
                return true;
    return false;
}

/* ---- the pass ---- */

/* br L where L is set before any other insn follows */
static int dce_branch_to_next(struct ir_func *f)
{
    int changed = 0;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        struct ir_insn *in = &f->insns[i];
        if (in->op != IR_OP_br)
            continue;
        for (uint32_t j = i + 1; j < f->ninsns; j++) {
            const struct ir_insn *nx = &f->insns[j];
            if (nx->op == IR_OP_set_label && nx->carg[0] == in->carg[0]) {
                ir_make_nop(in);
                changed = 1;
                break;
            }
            if (nx->op != IR_OP_set_label && nx->op != IR_OP_nop)
                break;
        }
    }
    return changed;
}

/* Remove blocks no path from the entry reaches, then labels no branch names
 * any more (they are only fallen into).  Trailing unreachable blocks stay
 * when the last reachable insn is not a terminator: the block must end in one. */
static int dce_unreachable(struct dce *d)
{
    struct ir_func *f = d->f;
    int changed = 0;
    uint8_t *reach = ir_scratch_zalloc(d->nblocks);
    uint32_t *stack = ir_scratch_alloc((size_t)d->nblocks * sizeof(*stack));
    uint32_t *refs = ir_scratch_zalloc((size_t)(f->nlabels ? f->nlabels : 1) * sizeof(*refs));
    if (!reach || !stack || !refs)
        goto out;
    uint32_t sp = 0;
    reach[0] = 1;
    stack[sp++] = 0;
    while (sp) {
        const struct dce_block *bl = &d->blocks[stack[--sp]];
        for (int k = 0; k < 2; k++) {
            int32_t s = bl->succ[k];
            if (s >= 0 && !reach[s]) {
                reach[s] = 1;
                stack[sp++] = (uint32_t)s;
            }
        }
    }
    uint32_t last = 0;
    for (uint32_t b = 0; b < d->nblocks; b++)
        if (reach[b])
            last = b;
    bool ends = ir_ops[f->insns[d->blocks[last].end - 1].op].flags & IR_F_END;
    for (uint32_t b = 0; b < d->nblocks; b++) {
        if (reach[b] || (b > last && !ends))
            continue;
        for (uint32_t i = d->blocks[b].start; i < d->blocks[b].end; i++) {
            if (f->insns[i].op != IR_OP_nop) {
                ir_make_nop(&f->insns[i]);
                changed = 1;
            }
        }
    }
    for (uint32_t i = 0; i < f->ninsns; i++) {
        int64_t l = f->insns[i].op == IR_OP_set_label ? -1 : opt_label_of(&f->insns[i]);
        if (l >= 0 && l < f->nlabels)
            refs[l]++;
    }
    for (uint32_t b = 0; b < d->nblocks; b++) {
        struct ir_insn *first = &f->insns[d->blocks[b].start];
        int64_t l = first->carg[0];
        if (reach[b] && first->op == IR_OP_set_label && l >= 0 && l < f->nlabels && !refs[l]) {
            ir_make_nop(first);
            changed = 1;
        }
    }
out:
    return changed;
}

int ir_pass_dce(struct ir_func *f)
{
    struct dce d = {.f = f};
    if (f->err || !f->ninsns)
        return 0;
    int changed = dce_branch_to_next(f);
    struct ir_scratch_pos mark = ir_scratch_mark();
    d.words = (f->nvals + 63) / 64;
    d.globals = ir_scratch_zalloc(d.words * sizeof(uint64_t));
    d.cur = ir_scratch_zalloc(d.words * sizeof(uint64_t));
    if (!d.globals || !d.cur || dce_build_cfg(&d))
        goto out;
    d.live_in = ir_scratch_zalloc((size_t)d.nblocks * d.words * sizeof(uint64_t));
    d.live_out = ir_scratch_zalloc((size_t)d.nblocks * d.words * sizeof(uint64_t));
    if (!d.live_in || !d.live_out)
        goto out;
    for (ir_ref r = 1; r < f->nvals; r++)
        if (opt_is_global(f, r))
            set_add(d.globals, r);
    changed |= dce_unreachable(&d);
    if (!dce_has_back_edge(&d)) {
        /* Blocks in reverse order see their successors' final live-in sets:
         * one walk is the fixpoint, and removes the dead insns as it goes. */
        for (uint32_t b = d.nblocks; b-- > 0;) {
            const struct dce_block *bl = &d.blocks[b];
            dce_block_out(&d, b, d.cur);
            for (uint32_t i = bl->end; i-- > bl->start;) {
                struct ir_insn *in = &f->insns[i];
                if (!dce_step(&d, in, d.cur) && in->op != IR_OP_nop) {
                    ir_make_nop(in);
                    changed = 1;
                }
            }
            memcpy(&d.live_in[(size_t)b * d.words], d.cur, d.words * sizeof(uint64_t));
        }
        goto out;
    }
    dce_liveness(&d);
    for (uint32_t b = 0; b < d.nblocks; b++) {
        const struct dce_block *bl = &d.blocks[b];
        memcpy(d.cur, &d.live_out[(size_t)b * d.words], d.words * sizeof(uint64_t));
        for (uint32_t i = bl->end; i-- > bl->start;) {
            struct ir_insn *in = &f->insns[i];
            if (!dce_step(&d, in, d.cur) && in->op != IR_OP_nop) {
                ir_make_nop(in);
                changed = 1;
            }
        }
    }
out:
    ir_scratch_release(mark);
    if (changed)
        ir_compact(f);
    return changed;
}
