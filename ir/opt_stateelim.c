/* Pipeline position 4 of ir_optimize (constfold -> copyprop -> simplify,
 * repeated, then stateelim -> dce): redundant CPU-state load/store
 * elimination for ld_state/st_state (fields not bound to globals).
 * Forwarding: a ld_state of a field whose bytes are known to be the low bits
 * of a value (from an earlier st_state or ld_state of the same offset and
 * size) becomes a mov, or an exact extension of that value.
 * Dead stores: a st_state overwritten by a later one of the same offset and
 * size, with nothing in between that could observe it, is removed. */
#include "opt_util.h"

#include <stdlib.h>

/* How a remembered value relates to the field bytes. */
enum se_ext {
    SE_EXT_FULL, /* the value is exactly the field (field as wide as its type) */
    SE_EXT_ZERO, /* the value is the field zero-extended */
    SE_EXT_SIGN, /* the value is the field sign-extended */
    SE_EXT_LOW,  /* only the value's low bits are the field */
};

struct se_field {
    uint32_t off, size; /* bytes [off, off+size) */
    uint8_t ext;        /* enum se_ext */
    uint8_t vtype;      /* type of v */
    ir_ref v;           /* temp, global or constant */
    uint32_t vver;      /* version of v when recorded */
};

struct se_store {
    uint32_t off, size;
    uint32_t insn; /* index of the st_state not observed yet */
};

/* Fields tracked at once; the oldest is dropped when full. */
#define SE_MAX 32

struct se {
    struct ir_func *f;
    struct opt_vers vers;
    uint32_t *refs;
    struct se_field fields[SE_MAX];
    unsigned nfields;
    struct se_store pending[SE_MAX];
    unsigned npending;
    int changed;
};

/* ---- shared predicates ---- */

static bool se_field_valid(const struct se *se, const struct se_field *e)
{
    return !opt_is_var(se->f, e->v) || opt_vers_get(&se->vers, e->v) == e->vver;
}

static struct se_field *se_find(struct se *se, uint64_t off, uint64_t size)
{
    for (unsigned i = 0; i < se->nfields; i++) {
        struct se_field *e = &se->fields[i];
        if (e->off == off && e->size == size && se_field_valid(se, e))
            return e;
    }
    return NULL;
}

/* Forget known fields overlapping [off, off+size), or every one with `all`. */
static void se_forget(struct se *se, uint64_t off, uint64_t size, bool all)
{
    unsigned j = 0;
    for (unsigned i = 0; i < se->nfields; i++) {
        struct se_field *e = &se->fields[i];
        if (!all && !opt_ranges_overlap(e->off, e->size, off, size))
            se->fields[j++] = *e;
    }
    se->nfields = j;
}

static void se_remember(struct se *se, uint64_t off, uint64_t size, enum se_ext ext, ir_ref v)
{
    se_forget(se, off, size, false);
    if (se->nfields == SE_MAX) {
        for (unsigned i = 1; i < SE_MAX; i++)
            se->fields[i - 1] = se->fields[i];
        se->nfields--;
    }
    se->fields[se->nfields++] = (struct se_field){
        .off = (uint32_t)off,
        .size = (uint32_t)size,
        .ext = (uint8_t)ext,
        .vtype = ir_val_type(se->f, v),
        .v = v,
        .vver = opt_vers_get(&se->vers, v),
    };
}

/* Pending stores overlapping [off, off+size) (every one with `all`) are
 * observed: they stay. */
static void se_observe(struct se *se, uint64_t off, uint64_t size, bool all)
{
    unsigned j = 0;
    for (unsigned i = 0; i < se->npending; i++) {
        struct se_store *p = &se->pending[i];
        if (!all && !opt_ranges_overlap(p->off, p->size, off, size))
            se->pending[j++] = *p;
    }
    se->npending = j;
}

static bool se_state_access_ok(const struct se *se, const struct ir_insn *in)
{
    /* host byte order only; the field must fit in the value's type */
    int64_t mo = in->carg[1];
    return in->carg[0] >= 0 && in->carg[0] <= UINT32_MAX && (mo & ~(int64_t)IR_MO_ALL) == 0 &&
           !(mo & IR_MO_BE) && ir_mo_bytes(mo) * 8 <= ir_type_bits((enum ir_type)in->type);
}

/* ---- forwarding a load from a known field ---- */

/* Rewrite `ld_state.T d, off, mo` reading field e exactly from e->v.
 * Returns false when no single exact op exists. */
static bool se_forward(struct se *se, struct ir_insn *in, const struct se_field *e)
{
    ir_ref d = ir_out(in, 0), v = e->v;
    enum ir_type t = ir_val_type(se->f, d);
    bool sign = (in->carg[1] & IR_MO_SIGN) != 0;
    unsigned bits = e->size * 8;
    bool ext_matches = e->ext == SE_EXT_FULL || (e->ext == SE_EXT_ZERO && !sign) ||
                       (e->ext == SE_EXT_SIGN && sign);
    if (t == e->vtype) {
        if (ext_matches || bits == ir_type_bits(t)) {
            if (d == v)
                ir_make_nop(in);
            else
                opt_make_mov(se->f, in, d, v);
        } else {
            opt_make_field(se->f, in, sign ? IR_OP_sextract : IR_OP_extract, d, v, 0, bits);
        }
        return true;
    }
    if (t == IR_I64 && e->vtype == IR_I32 && ext_matches) {
        /* the i32 value is the field (or it extended as wanted): extend on */
        opt_make_op(se->f, in, sign ? IR_OP_sext : IR_OP_zext, d, v, IR_NONE);
        return true;
    }
    if (t == IR_I32 && e->vtype == IR_I64 && (bits == 32 || (bits < 32 && ext_matches))) {
        /* the low 32 bits of the i64 value are the field (extended as wanted) */
        opt_make_op(se->f, in, IR_OP_trunc, d, v, IR_NONE);
        return true;
    }
    return false;
}

static void se_effects(struct se *se, const struct ir_insn *in);

static void se_ld_state(struct se *se, struct ir_insn *in)
{
    uint64_t off = (uint64_t)in->carg[0], size = ir_mo_bytes(in->carg[1]);
    bool ok = se_state_access_ok(se, in);
    struct se_field *e = ok ? se_find(se, off, size) : NULL;
    if (e && se_forward(se, in, e)) { /* no longer reads the field */
        se->changed = 1;
        se_effects(se, in);
        return;
    }
    se_observe(se, off, size, false);
    ir_ref d = ir_out(in, 0);
    bool sign = (in->carg[1] & IR_MO_SIGN) != 0;
    enum se_ext ext = size * 8 == ir_type_bits(ir_val_type(se->f, d)) ? SE_EXT_FULL
                      : sign                                          ? SE_EXT_SIGN
                                                                      : SE_EXT_ZERO;
    se_effects(se, in); /* d is written before it is remembered */
    if (ok)
        se_remember(se, off, size, ext, d);
}

static void se_st_state(struct se *se, struct ir_insn *in, uint32_t idx)
{
    uint64_t off = (uint64_t)in->carg[0], size = ir_mo_bytes(in->carg[1]);
    /* dead store: the pending one of exactly this range is overwritten */
    for (unsigned i = 0; i < se->npending; i++) {
        struct se_store *p = &se->pending[i];
        if (p->off == off && p->size == size) {
            ir_make_nop(&se->f->insns[p->insn]);
            se->changed = 1;
            se->pending[i] = se->pending[--se->npending];
            break;
        }
    }
    se_observe(se, off, size, false); /* partial overlaps are barriers */
    if (se->npending < SE_MAX && off <= UINT32_MAX)
        se->pending[se->npending++] = (struct se_store){(uint32_t)off, (uint32_t)size, idx};
    se_forget(se, off, size, false);
    if (se_state_access_ok(se, in))
        se_remember(se, off, size,
                    size * 8 == ir_type_bits((enum ir_type)in->type) ? SE_EXT_FULL : SE_EXT_LOW,
                    ir_in(in, 0));
}

/* Barriers and the effects every insn has on what is known. */
static void se_effects(struct se *se, const struct ir_insn *in)
{
    uint32_t fl = ir_ops[in->op].flags;
    uint32_t hf = opt_call_hflags(in);
    if (fl & (IR_F_MEM | IR_F_LABEL | IR_F_BRANCH | IR_F_END))
        se_observe(se, 0, 0, true);
    if (hf & (IR_HF_ENV | IR_HF_READS_GLOBALS | IR_HF_WRITES_GLOBALS))
        se_observe(se, 0, 0, true);
    if (hf & (IR_HF_ENV | IR_HF_WRITES_GLOBALS))
        se_forget(se, 0, 0, true);
    /* (globals never overlap state fields: the verifier rejects that) */
    for (unsigned i = 0; i < in->nout; i++)
        opt_vers_bump(&se->vers, ir_out(in, i));
}

int ir_pass_stateelim(struct ir_func *f)
{
    struct se se = {.f = f};
    if (f->err)
        return 0;
    struct ir_scratch_pos mark = ir_scratch_mark();
    if (opt_vers_init(&se.vers, f->nvals))
        goto out;
    se.refs = opt_label_refs(f);
    if (f->nlabels && !se.refs)
        goto out;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        struct ir_insn *in = &f->insns[i];
        if (opt_is_join(in, se.refs, f->nlabels))
            se_forget(&se, 0, 0, true);
        if (in->op == IR_OP_ld_state) {
            se_ld_state(&se, in);
            continue;
        }
        if (in->op == IR_OP_st_state)
            se_st_state(&se, in, i);
        se_effects(&se, in);
    }
out:
    opt_vers_free(&se.vers);
    ir_scratch_release(mark);
    if (se.changed)
        ir_compact(f);
    return se.changed;
}
