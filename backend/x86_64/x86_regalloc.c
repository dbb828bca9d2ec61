/* x86-64 JIT: liveness pre-pass and local register allocator.
 * Pipeline: ir_func -> x86_liveness (dead-after bits per insn, temps live at
 * labels) -> per insn: lowering asks for inputs/scratch/outputs here -> code.
 * Globals stay in host registers until a sync point writes them back; temps
 * live at a label own a fixed spill slot, others borrow slots while spilled. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "x86_jit.h"

/* Preferred allocation order: callee-saved first (they survive helper calls),
 * rax/rdx/rcx last (div, mul and shifts want them). */
static const int8_t alloc_order[] = {X86_rbx, X86_rbp, X86_r12, X86_r13, X86_rsi, X86_rdi, X86_r8,
                                     X86_r9,  X86_r10, X86_r11, X86_rax, X86_rdx, X86_rcx};
#define X86_REGS_CALLEE_SAVED (X86_REGS_ALL & (uint16_t)~X86_REGS_CALL_CLOBBERED)

static bool is_temp(const struct x86_ctx *c, ir_ref v) { return c->f->vals[v].kind == IR_VAL_TEMP; }
static bool is_global(const struct x86_ctx *c, ir_ref v)
{
    return c->f->vals[v].kind == IR_VAL_GLOBAL;
}
static void set_bit(uint64_t *set, ir_ref v) { set[v / 64] |= 1ull << (v % 64); }
static void clear_bit(uint64_t *set, ir_ref v) { set[v / 64] &= ~(1ull << (v % 64)); }

/* ---- liveness ---------------------------------------------------------------- */

static bool ends_bb(const struct ir_insn *in)
{
    return in->op == IR_OP_br || in->op == IR_OP_brcond || (ir_ops[in->op].flags & IR_F_END);
}

/* Basic blocks split at labels and after branches/terminators; live sets of
 * temps by iterating to a fixed point (backward branches make loops); then
 * one backward walk per basic block sets the dead-after bits. */
int x86_liveness(struct x86_ctx *c)
{
    const struct ir_func *f = c->f;
    uint32_t n = f->ninsns, W = (f->nvals + 63) / 64;
    c->words = W;
    /* all in ir_scratch memory, given back by x86_compile */
    c->dead = ir_scratch_zalloc((size_t)n + 1);
    c->label_live = ir_scratch_zalloc((size_t)(f->nlabels + 1) * W * sizeof(uint64_t));
    c->fixed = ir_scratch_zalloc((size_t)W * sizeof(uint64_t));
    int64_t *label_insn = ir_scratch_alloc((size_t)(f->nlabels + 1) * sizeof(int64_t));
    uint32_t *bb_of = ir_scratch_alloc(((size_t)n + 1) * sizeof(uint32_t));
    uint32_t *bb_first = ir_scratch_alloc(((size_t)n + 1) * sizeof(uint32_t));
    if (!c->dead || !c->label_live || !c->fixed || !label_insn || !bb_of || !bb_first) {
        x86_fail(c, BACKEND_ERROR, "out of memory");
        goto out_early;
    }
    for (uint32_t l = 0; l < f->nlabels; l++)
        label_insn[l] = -1;
    for (uint32_t i = 0; i < n; i++) {
        const struct ir_insn *in = &f->insns[i];
        if (in->op == IR_OP_set_label) {
            uint64_t l = (uint64_t)in->carg[0];
            if (l >= f->nlabels || label_insn[l] >= 0) {
                x86_fail(c, BACKEND_ERROR, "insn %u: label L%lld undeclared or set twice", i,
                         (long long)in->carg[0]);
                goto out_early;
            }
            label_insn[l] = i;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        const struct ir_insn *in = &f->insns[i];
        int64_t l = in->op == IR_OP_br ? in->carg[0] : in->op == IR_OP_brcond ? in->carg[1] : -1;
        if (l >= 0 && ((uint64_t)l >= f->nlabels || label_insn[l] < 0)) {
            x86_fail(c, BACKEND_ERROR, "insn %u: branch to a label that is never set", i);
            goto out_early;
        }
    }

    uint32_t nbb = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (i == 0 || f->insns[i].op == IR_OP_set_label || ends_bb(&f->insns[i - 1]))
            bb_first[nbb++] = i;
        bb_of[i] = nbb - 1;
    }
    bb_first[nbb] = n;

    uint64_t *sets = ir_scratch_zalloc(((size_t)nbb * 4 * W + W) * sizeof(uint64_t));
    if (!sets) {
        x86_fail(c, BACKEND_ERROR, "out of memory");
        goto out_early;
    }
    uint64_t *use = sets, *def = sets + (size_t)nbb * W, *lin = sets + (size_t)nbb * 2 * W,
             *lout = sets + (size_t)nbb * 3 * W, *live = sets + (size_t)nbb * 4 * W;

    for (uint32_t b = 0; b < nbb; b++) {
        for (uint32_t i = bb_first[b]; i < bb_first[b + 1]; i++) {
            const struct ir_insn *in = &f->insns[i];
            for (unsigned k = 0; k < in->nin; k++) {
                ir_ref v = ir_in(in, k);
                if (is_temp(c, v) && !x86_bit(def + b * W, v))
                    set_bit(use + b * W, v);
            }
            for (unsigned k = 0; k < in->nout; k++)
                if (is_temp(c, ir_out(in, k)))
                    set_bit(def + b * W, ir_out(in, k));
        }
    }

    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t b = nbb; b-- > 0;) {
            const struct ir_insn *last = &f->insns[bb_first[b + 1] - 1];
            uint32_t succ[2], ns = 0;
            if (last->op == IR_OP_br)
                succ[ns++] = bb_of[label_insn[last->carg[0]]];
            else if (last->op == IR_OP_brcond)
                succ[ns++] = bb_of[label_insn[last->carg[1]]];
            if (!(ir_ops[last->op].flags & IR_F_END) && last->op != IR_OP_br && b + 1 < nbb)
                succ[ns++] = b + 1;
            uint64_t *o = lout + b * W, *l = lin + b * W;
            for (uint32_t w = 0; w < W; w++) {
                uint64_t x = 0;
                for (uint32_t s = 0; s < ns; s++)
                    x |= lin[succ[s] * W + w];
                o[w] = x;
                uint64_t nl = use[b * W + w] | (x & ~def[b * W + w]);
                if (nl != l[w]) {
                    l[w] = nl;
                    changed = true;
                }
            }
        }
    }

    for (uint32_t b = 0; b < nbb; b++) {
        memcpy(live, lout + b * W, W * sizeof(uint64_t));
        for (uint32_t i = bb_first[b + 1]; i-- > bb_first[b];) {
            const struct ir_insn *in = &f->insns[i];
            uint8_t d = 0;
            for (unsigned k = 0; k < in->nout; k++) {
                ir_ref v = ir_out(in, k);
                if (is_temp(c, v)) {
                    if (!x86_bit(live, v))
                        d |= (uint8_t)(1u << k);
                    clear_bit(live, v);
                }
            }
            for (unsigned k = 0; k < in->nin; k++) {
                ir_ref v = ir_in(in, k);
                if (is_temp(c, v) && !x86_bit(live, v))
                    d |= (uint8_t)(1u << (in->nout + k));
            }
            for (unsigned k = 0; k < in->nin; k++)
                if (is_temp(c, ir_in(in, k)))
                    set_bit(live, ir_in(in, k));
            c->dead[i] = d;
        }
    }

    for (uint32_t l = 0; l < f->nlabels; l++) {
        if (label_insn[l] < 0)
            continue;
        const uint64_t *src = lin + (size_t)bb_of[label_insn[l]] * W;
        memcpy(c->label_live + (size_t)l * W, src, W * sizeof(uint64_t));
        for (uint32_t w = 0; w < W; w++)
            c->fixed[w] |= src[w];
    }
out_early:
    return c->err;
}

/* ---- register bookkeeping ---------------------------------------------------- */

void x86_ra_init(struct x86_ctx *c)
{
    const struct ir_func *f = c->f;
    c->vals = ir_scratch_zalloc((size_t)f->nvals * sizeof(*c->vals));
    if (!c->vals) {
        x86_fail(c, BACKEND_ERROR, "out of memory");
        return;
    }
    for (ir_ref v = 1; v < f->nvals; v++) {
        c->vals[v].reg = X86_NO_REG;
        c->vals[v].slot = -1;
        c->vals[v].mem_ok = is_global(c, v); /* the env holds every global at entry */
        if (is_temp(c, v) && x86_bit(c->fixed, v)) {
            if (c->nfixed_slots == X86_SPILL_SLOTS) {
                x86_fail(c, BACKEND_TOO_BIG, "more than %d temps live across labels",
                         X86_SPILL_SLOTS);
                return;
            }
            c->vals[v].slot = (int16_t)c->nfixed_slots++;
        }
    }
}

/* The arrays are ir_scratch memory: x86_compile releases its mark after this. */
void x86_ra_free(struct x86_ctx *c)
{
    c->vals = NULL;
    c->dead = NULL;
    c->label_live = NULL;
    c->fixed = NULL;
}

static void touch(struct x86_ctx *c, int r) { c->last_use[r] = ++c->clock; }
static void lock(struct x86_ctx *c, int r)
{
    c->locked |= X86_REG_BIT(r);
    touch(c, r);
}
static void bind(struct x86_ctx *c, int r, ir_ref v)
{
    c->owner[r] = v;
    c->vals[v].reg = (int8_t)r;
    touch(c, r);
}
static void unbind(struct x86_ctx *c, int r)
{
    ir_ref v = c->owner[r];
    if (v)
        c->vals[v].reg = X86_NO_REG;
    c->owner[r] = IR_NONE;
}

static bool is_output(const struct x86_ctx *c, ir_ref v)
{
    for (unsigned k = 0; k < c->in->nout; k++)
        if (ir_out(c->in, k) == v)
            return true;
    return false;
}

static unsigned input_uses(const struct x86_ctx *c, ir_ref v)
{
    unsigned n = 0;
    for (unsigned k = 0; k < c->in->nin; k++)
        n += ir_in(c->in, k) == v;
    return n;
}

/* The value of temp v is not needed after the current insn. */
bool x86_ra_dies(const struct x86_ctx *c, ir_ref v)
{
    if (!is_temp(c, v))
        return false;
    for (unsigned k = 0; k < c->in->nin; k++)
        if (ir_in(c->in, k) == v && (c->in_dead >> (c->in->nout + k)) & 1)
            return true;
    return false;
}

/* The old value of v is not needed once the current insn has read its inputs. */
static bool consumed_here(const struct x86_ctx *c, ir_ref v)
{
    return x86_ra_dies(c, v) || is_output(c, v);
}

static int temp_slot(struct x86_ctx *c, ir_ref v)
{
    struct x86_val *x = &c->vals[v];
    if (x->slot >= 0)
        return x->slot;
    for (int s = c->nfixed_slots; s < X86_SPILL_SLOTS; s++) {
        if (!c->slot_busy[s]) {
            c->slot_busy[s] = 1;
            x->slot = (int16_t)s;
            return s;
        }
    }
    x86_fail(c, BACKEND_TOO_BIG, "more than %d spill slots needed", X86_SPILL_SLOTS);
    return 0;
}

static void free_slot(struct x86_ctx *c, ir_ref v)
{
    struct x86_val *x = &c->vals[v];
    if (x->slot >= c->nfixed_slots) {
        c->slot_busy[x->slot] = 0;
        x->slot = -1;
    }
    x->mem_ok = false;
}

/* Home of a global (its env field) or a temp (its spill slot). */
static struct x86_mem val_home(struct x86_ctx *c, ir_ref v)
{
    if (is_global(c, v))
        return x86_mem_bd(X86_ENV, (int32_t)c->f->vals[v].num);
    return x86_mem_bd(X86_rsp, temp_slot(c, v) * 8);
}
static unsigned val_home_size(const struct x86_ctx *c, ir_ref v)
{
    return is_global(c, v) ? c->f->vals[v].size : 8;
}

/* Put v's current value into r (no bookkeeping).  An undefined temp (never
 * written on this path) leaves r as it is: its value is unspecified. */
static void load_val(struct x86_ctx *c, int r, ir_ref v)
{
    const struct ir_value *iv = &c->f->vals[v];
    struct x86_val *x = &c->vals[v];
    if (iv->kind == IR_VAL_CONST)
        x86_mov_ri(&c->b, r, iv->c);
    else if (x->reg >= 0)
        x86_mov_rr(&c->b, true, r, x->reg);
    else if (x->mem_ok)
        x86_load(&c->b, r, val_home(c, v), val_home_size(c, v), false, true);
}

static void store_home(struct x86_ctx *c, int r, ir_ref v)
{
    x86_store(&c->b, r, val_home(c, v), val_home_size(c, v));
    c->vals[v].mem_ok = true;
}

/* Empty register r, storing its value home first if the home is stale. */
static void spill_reg(struct x86_ctx *c, int r)
{
    ir_ref v = c->owner[r];
    if (!v)
        return;
    if (!c->vals[v].mem_ok)
        store_home(c, r, v);
    unbind(c, r);
}

static int find_free(const struct x86_ctx *c, uint16_t allowed)
{
    for (unsigned i = 0; i < sizeof(alloc_order); i++) {
        int r = alloc_order[i];
        if ((allowed & X86_REG_BIT(r)) && !c->owner[r] && !(c->locked & X86_REG_BIT(r)))
            return r;
    }
    return X86_NO_REG;
}

/* The cheapest register to empty: no store needed first, then least recently used. */
static int pick_victim(const struct x86_ctx *c, uint16_t allowed)
{
    int best = X86_NO_REG;
    uint64_t best_cost = ~0ull;
    for (unsigned i = 0; i < sizeof(alloc_order); i++) {
        int r = alloc_order[i];
        if (!(allowed & X86_REG_BIT(r)) || (c->locked & X86_REG_BIT(r)))
            continue;
        ir_ref v = c->owner[r];
        uint64_t cost = ((uint64_t)(v && !c->vals[v].mem_ok) << 32) | c->last_use[r];
        if (cost < best_cost) {
            best_cost = cost;
            best = r;
        }
    }
    return best;
}

/* Empty r, moving its value to a free register if there is one. */
static void evict(struct x86_ctx *c, int r)
{
    ir_ref v = c->owner[r];
    if (!v)
        return;
    int r2 = find_free(c, X86_REGS_ALL & (uint16_t)~X86_REG_BIT(r));
    if (r2 == X86_NO_REG) {
        spill_reg(c, r);
        return;
    }
    x86_mov_rr(&c->b, true, r2, r);
    unbind(c, r);
    bind(c, r2, v);
}

/* ---- per-insn interface -------------------------------------------------------- */

void x86_ra_begin_insn(struct x86_ctx *c, uint32_t idx)
{
    c->idx = idx;
    c->in = &c->f->insns[idx];
    c->in_dead = c->dead[idx];
    c->locked = 0;
}

void x86_ra_end_insn(struct x86_ctx *c)
{
    const struct ir_insn *in = c->in;
    for (unsigned k = 0; k < in->nin; k++) {
        ir_ref v = ir_in(in, k);
        if (!((c->in_dead >> (in->nout + k)) & 1) || is_output(c, v))
            continue;
        if (c->vals[v].reg >= 0)
            unbind(c, c->vals[v].reg);
        free_slot(c, v);
    }
    for (unsigned k = 0; k < in->nout; k++) {
        ir_ref v = ir_out(in, k);
        if (!((c->in_dead >> k) & 1))
            continue;
        if (c->vals[v].reg >= 0)
            unbind(c, c->vals[v].reg);
        free_slot(c, v);
    }
    c->locked = 0;
}

int x86_ra_scratch(struct x86_ctx *c, int reg, uint16_t allowed)
{
    if (reg != X86_NO_REG) {
        assert(!(c->locked & X86_REG_BIT(reg)) && "fixed register already in use by this insn");
        evict(c, reg);
        lock(c, reg);
        return reg;
    }
    int r = find_free(c, allowed);
    if (r == X86_NO_REG) {
        r = pick_victim(c, allowed);
        if (r == X86_NO_REG) {
            x86_fail(c, BACKEND_ERROR, "insn %u: out of host registers", c->idx);
            return X86_rax;
        }
        spill_reg(c, r);
    }
    lock(c, r);
    return r;
}

int x86_ra_in(struct x86_ctx *c, ir_ref v, uint16_t allowed)
{
    int cur = c->vals[v].reg;
    if (ir_is_const(c->f, v) || cur < 0 || !(allowed & X86_REG_BIT(cur))) {
        bool own = !ir_is_const(c->f, v) && cur < 0;
        int r = x86_ra_scratch(c, X86_NO_REG, allowed);
        load_val(c, r, v);
        if (own) /* cache it: later uses find it in r */
            bind(c, r, v);
        return r;
    }
    lock(c, cur);
    return cur;
}

int x86_ra_in_fixed(struct x86_ctx *c, ir_ref v, int reg)
{
    if (!ir_is_const(c->f, v) && c->vals[v].reg == reg) {
        lock(c, reg);
        return reg;
    }
    x86_ra_scratch(c, reg, 0);
    int cur = ir_is_const(c->f, v) ? X86_NO_REG : c->vals[v].reg;
    load_val(c, reg, v);
    if (!ir_is_const(c->f, v) && !(cur >= 0 && (c->locked & X86_REG_BIT(cur)))) {
        if (cur >= 0) /* move it rather than copy */
            unbind(c, cur);
        bind(c, reg, v);
    }
    return reg;
}

bool x86_ra_in_place(const struct x86_ctx *c, ir_ref v)
{
    return !ir_is_const(c->f, v) && c->vals[v].reg >= 0 && consumed_here(c, v) &&
           input_uses(c, v) == 1;
}

int x86_ra_in_copy(struct x86_ctx *c, ir_ref v, int reg, uint16_t allowed)
{
    int cur = ir_is_const(c->f, v) ? X86_NO_REG : c->vals[v].reg;
    if (x86_ra_in_place(c, v) &&
        (reg == X86_NO_REG ? (allowed & X86_REG_BIT(cur)) != 0 : cur == reg)) {
        /* Its register can be overwritten: the value is not needed afterwards
         * and no other operand of this insn reads it. */
        unbind(c, cur);
        lock(c, cur);
        return cur;
    }
    int r = x86_ra_scratch(c, reg, allowed);
    load_val(c, r, v);
    return r;
}

bool x86_ra_imm(const struct x86_ctx *c, ir_ref v, bool is64, int32_t *imm)
{
    if (!ir_is_const(c->f, v))
        return false;
    uint64_t k = c->f->vals[v].c;
    if (!is64 || (int64_t)k == (int32_t)k) {
        *imm = (int32_t)(uint32_t)k;
        return true;
    }
    return false;
}

int x86_ra_out_reg(struct x86_ctx *c, uint16_t allowed)
{
    const struct ir_insn *in = c->in;
    for (unsigned k = 0; k < in->nin; k++) {
        ir_ref v = ir_in(in, k);
        int r = c->vals[v].reg;
        if (r >= 0 && (allowed & X86_REG_BIT(r)) && consumed_here(c, v) &&
            (c->locked & X86_REG_BIT(r)))
            return r;
    }
    return x86_ra_scratch(c, X86_NO_REG, allowed);
}

void x86_ra_out(struct x86_ctx *c, ir_ref v, int reg)
{
    ir_ref o = c->owner[reg];
    if (o && o != v) {
        assert(consumed_here(c, o) && "output overwrites a live value");
        unbind(c, reg);
    }
    int old = c->vals[v].reg;
    if (old >= 0 && old != reg)
        unbind(c, old);
    bind(c, reg, v);
    c->vals[v].mem_ok = false;
    c->vals[v].zx = false;
    lock(c, reg);
}

void x86_ra_mark_zx(struct x86_ctx *c, ir_ref v)
{
    if (is_temp(c, v))
        c->vals[v].zx = true;
}

bool x86_ra_known_zx(const struct x86_ctx *c, ir_ref v) { return is_temp(c, v) && c->vals[v].zx; }

bool x86_ra_in_env(struct x86_ctx *c, ir_ref v, struct x86_mem *m)
{
    if (!is_global(c, v) || c->vals[v].reg >= 0 || !c->vals[v].mem_ok)
        return false;
    *m = val_home(c, v);
    return true;
}

/* ---- sync points ---------------------------------------------------------------- */

void x86_ra_writeback_globals(struct x86_ctx *c)
{
    for (int r = 0; r < X86_NREGS; r++) {
        ir_ref v = c->owner[r];
        if (v && is_global(c, v) && !c->vals[v].mem_ok)
            store_home(c, r, v);
    }
}

void x86_ra_drop_globals(struct x86_ctx *c)
{
    for (int r = 0; r < X86_NREGS; r++) {
        ir_ref v = c->owner[r];
        if (v && is_global(c, v)) {
            assert(c->vals[v].mem_ok);
            unbind(c, r);
        }
    }
}

void x86_ra_save_temps(struct x86_ctx *c, const uint64_t *live)
{
    for (int r = 0; r < X86_NREGS; r++) {
        ir_ref v = c->owner[r];
        if (v && is_temp(c, v) && x86_bit(live, v) && !c->vals[v].mem_ok)
            store_home(c, r, v);
    }
}

void x86_ra_forget_all(struct x86_ctx *c)
{
    for (int r = 0; r < X86_NREGS; r++)
        unbind(c, r);
}

/* Every path into a label arrives with globals in the env and the temps live
 * there in their fixed slots; nothing is in a register. */
void x86_ra_enter_label(struct x86_ctx *c, const uint64_t *live)
{
    x86_ra_forget_all(c);
    for (ir_ref v = 1; v < c->f->nvals; v++) {
        if (is_temp(c, v)) {
            free_slot(c, v);
            c->vals[v].mem_ok = x86_bit(live, v);
            c->vals[v].zx = false; /* other paths may arrive with other values */
        } else if (is_global(c, v)) {
            c->vals[v].mem_ok = true;
        }
    }
    memset(c->slot_busy, 0, sizeof(c->slot_busy));
}

void x86_ra_spill_call_clobbered(struct x86_ctx *c)
{
    for (int r = 0; r < X86_NREGS; r++) {
        ir_ref v = c->owner[r];
        if (!(X86_REGS_CALL_CLOBBERED & X86_REG_BIT(r)) || !v)
            continue;
        if (is_temp(c, v) && consumed_here(c, v)) {
            unbind(c, r); /* an argument that dies here: nothing to keep */
            continue;
        }
        int r2 = X86_NO_REG;
        if (is_temp(c, v) && !(c->locked & X86_REG_BIT(r)))
            r2 = find_free(c, X86_REGS_CALLEE_SAVED);
        if (r2 != X86_NO_REG) {
            x86_mov_rr(&c->b, true, r2, r);
            unbind(c, r);
            bind(c, r2, v);
        } else {
            spill_reg(c, r);
        }
    }
}
