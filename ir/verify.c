/* The IR verifier: checks every invariant of an ir_func that the passes and
 * backends rely on (docs/ir.md, "Verifier invariants").  Runs on parsed text,
 * after every optimizer pass in debug builds, and before a backend compiles. */
#include "ir.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* goto_tb slots per block: TB_MAX_JMP in accel/tcg/tb.h (kept literal here so
 * the IR does not depend on the execution engine). */
#define VERIFY_MAX_GOTO_TB 2
/* More labels than any block needs (the parser accepts up to L1000000). */
#define VERIFY_MAX_LABELS (1u << 20)

struct vctx {
    const struct ir_func *f;
    char *err;
    size_t errlen;
    ir_ref *globals; /* every global of f, for the state-access overlap check */
    uint32_t nglobals;
};

static int vfail(struct vctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int vfail(struct vctx *c, const char *fmt, ...)
{
    if (c->err && c->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, c->errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* "insn N (<the insn as text>): <message>" */
static int vfail_insn(struct vctx *c, uint32_t idx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int vfail_insn(struct vctx *c, uint32_t idx, const char *fmt, ...)
{
    if (!c->err || !c->errlen)
        return -1;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    char *text = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&text, &len);
    if (ms) {
        ir_print_insn(ms, c->f, &c->f->insns[idx]);
        fclose(ms);
    }
    snprintf(c->err, c->errlen, "insn %" PRIu32 " (%s): %s", idx, text ? text : "?", msg);
    free(text);
    return -1;
}

static const char *tname(unsigned t) { return t < IR_TYPE_COUNT ? ir_type_names[t] : "?"; }

/* ---- values ----------------------------------------------------------------- */

static bool name_is_ident(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

static bool name_is_temp_like(const char *s)
{
    if (s[0] != 't' || !s[1])
        return false;
    for (s++; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static int check_global(struct vctx *c, ir_ref r)
{
    const struct ir_func *f = c->f;
    const struct ir_value *v = &f->vals[r];
    char name[IR_NAME_MAX + 1];
    memcpy(name, v->name, IR_NAME_MAX);
    name[IR_NAME_MAX] = 0;
    if (memchr(v->name, 0, IR_NAME_MAX) == NULL || !name_is_ident(name) || name_is_temp_like(name))
        return vfail(c, "global @0x%" PRIx32 ": name '%s' is not a valid global name (an "
                        "identifier, not t<n>)", v->num, name);
    unsigned size = v->type == IR_I32 ? 4 : 8;
    if (v->size != size)
        return vfail(c, "global %s: size %u does not match its type %s", name, v->size,
                     tname(v->type));
    if (v->num % size)
        return vfail(c, "global %s: offset 0x%" PRIx32 " is not aligned to its size %u", name,
                     v->num, size);
    if (f->env_size && (uint64_t)v->num + size > f->env_size)
        return vfail(c, "global %s: [0x%" PRIx32 ", 0x%" PRIx64 ") is outside the CPU state "
                        "(env_size 0x%" PRIx32 ")", name, v->num, (uint64_t)v->num + size,
                     f->env_size);
    for (ir_ref q = 1; q < r; q++) {
        const struct ir_value *w = &f->vals[q];
        if (w->kind != IR_VAL_GLOBAL)
            continue;
        if (strncmp(w->name, v->name, IR_NAME_MAX) == 0)
            return vfail(c, "global %s is declared twice (@0x%" PRIx32 " and @0x%" PRIx32 ")",
                         name, w->num, v->num);
        uint64_t wsize = w->size ? w->size : 8;
        if ((uint64_t)v->num < w->num + wsize && (uint64_t)w->num < (uint64_t)v->num + size)
            return vfail(c, "global %s [0x%" PRIx32 ", 0x%" PRIx64 ") overlaps global %.*s "
                            "[0x%" PRIx32 ", 0x%" PRIx64 ")", name, v->num,
                         (uint64_t)v->num + size, IR_NAME_MAX, w->name, w->num, w->num + wsize);
    }
    return 0;
}

static int check_values(struct vctx *c)
{
    const struct ir_func *f = c->f;
    if (f->nvals == 0)
        return vfail(c, "nvals is 0 (ir_func_init was not called?)");
    if (f->nvals > 1 && !f->vals)
        return vfail(c, "nvals is %" PRIu32 " but there is no value array", f->nvals);
    if (f->ntemps >= f->nvals)
        return vfail(c, "ntemps is %" PRIu32 " but there are only %" PRIu32 " values", f->ntemps,
                     f->nvals - 1);
    uint32_t ntemps_seen = 0;
    uint8_t *seen = f->ntemps ? calloc(f->ntemps, 1) : NULL;
    c->globals = malloc((size_t)f->nvals * sizeof(ir_ref));
    if ((f->ntemps && !seen) || !c->globals) {
        free(seen);
        return vfail(c, "out of memory");
    }
    int rc = 0;
    for (ir_ref r = 1; r < f->nvals && rc == 0; r++) {
        const struct ir_value *v = &f->vals[r];
        if (v->type != IR_I32 && v->type != IR_I64) {
            rc = vfail(c, "value %" PRIu32 " has type %s; only i32 and i64 values are usable", r,
                       tname(v->type));
            break;
        }
        switch (v->kind) {
        case IR_VAL_TEMP:
            if (v->num >= f->ntemps)
                rc = vfail(c, "temp t%" PRIu32 ": ordinal is not below ntemps (%" PRIu32 ")",
                           v->num, f->ntemps);
            else if (seen[v->num])
                rc = vfail(c, "two temps are numbered t%" PRIu32, v->num);
            else
                seen[v->num] = 1;
            ntemps_seen++;
            break;
        case IR_VAL_GLOBAL:
            rc = check_global(c, r);
            c->globals[c->nglobals++] = r;
            break;
        case IR_VAL_CONST:
            if (v->c & ~ir_type_mask((enum ir_type)v->type))
                rc = vfail(c, "constant value %" PRIu32 " (0x%" PRIx64 ") does not fit %s: "
                              "constants are kept masked to their type", r, v->c,
                           tname(v->type));
            break;
        default:
            rc = vfail(c, "value %" PRIu32 " has an invalid kind %u", r, v->kind);
            break;
        }
    }
    if (rc == 0 && ntemps_seen != f->ntemps)
        rc = vfail(c, "ntemps is %" PRIu32 " but %" PRIu32 " temps exist", f->ntemps, ntemps_seen);
    free(seen);
    return rc;
}

/* ---- one insn --------------------------------------------------------------- */

static int check_memop(struct vctx *c, uint32_t i, int64_t mo, bool store, bool state)
{
    const struct ir_insn *in = &c->f->insns[i];
    if (mo < 0 || (mo & ~(int64_t)(state ? IR_MO_ALL : IR_MO_GUEST_ALL)))
        return vfail_insn(c, i, "memop 0x%" PRIx64 " has bits outside %s", (uint64_t)mo,
                          state ? "IR_MO_ALL" : "IR_MO_GUEST_ALL");
    if ((mo & IR_MO_MMU_IDX) && !(mo & IR_MO_MMU))
        return vfail_insn(c, i, "memop 0x%" PRIx64 " has an MMU index but no IR_MO_MMU",
                          (uint64_t)mo);
    unsigned bytes = ir_mo_bytes(mo), tbytes = ir_type_bits((enum ir_type)in->type) / 8;
    if (bytes > tbytes)
        return vfail_insn(c, i, "a memop of %u bytes does not fit the value type %s", bytes,
                          tname(in->type));
    if ((mo & IR_MO_SIGN) && bytes == 8)
        return vfail_insn(c, i, "a 64-bit memop cannot be signed");
    if ((mo & IR_MO_SIGN) && store)
        return vfail_insn(c, i, "a store memop cannot be signed");
    if (state && (mo & IR_MO_BE))
        return vfail_insn(c, i, "state accesses use host byte order: no IR_MO_BE");
    return 0;
}

static int check_label_ref(struct vctx *c, uint32_t i, int64_t l)
{
    if (l < 0 || l >= c->f->nlabels)
        return vfail_insn(c, i, "label %" PRId64 " is out of range (nlabels %" PRIu32 ")", l,
                          c->f->nlabels);
    return 0;
}

static int check_state_access(struct vctx *c, uint32_t i)
{
    const struct ir_func *f = c->f;
    const struct ir_insn *in = &f->insns[i];
    int64_t off = in->carg[0];
    int rc = check_memop(c, i, in->carg[1], in->op == IR_OP_st_state, true);
    if (rc)
        return rc;
    unsigned size = ir_mo_bytes(in->carg[1]);
    if (off < 0 || off > UINT32_MAX)
        return vfail_insn(c, i, "state offset %" PRId64 " is not in [0, 2^32)", off);
    if (off % size)
        return vfail_insn(c, i, "state offset 0x%" PRIx64 " is not aligned to the access size %u",
                          (uint64_t)off, size);
    if (f->env_size && (uint64_t)off + size > f->env_size)
        return vfail_insn(c, i, "state access [0x%" PRIx64 ", 0x%" PRIx64 ") is outside the CPU "
                                "state (env_size 0x%" PRIx32 ")",
                          (uint64_t)off, (uint64_t)off + size, f->env_size);
    for (uint32_t k = 0; k < c->nglobals; k++) {
        const struct ir_value *v = &f->vals[c->globals[k]];
        if ((uint64_t)off < (uint64_t)v->num + v->size && v->num < (uint64_t)off + size)
            return vfail_insn(c, i, "state access overlaps global %.*s: globals are read and "
                                    "written only as values", IR_NAME_MAX, v->name);
    }
    return 0;
}

static int check_cargs(struct vctx *c, uint32_t i)
{
    const struct ir_insn *in = &c->f->insns[i];
    unsigned width = ir_type_bits((enum ir_type)in->type);
    const int64_t *a = in->carg;
    switch (in->op) {
    case IR_OP_bswap:
        if (a[0] != 2 && a[0] != 4 && a[0] != 8)
            return vfail_insn(c, i, "bswap swaps 2, 4 or 8 bytes, not %" PRId64, a[0]);
        if ((unsigned)a[0] * 8 > width)
            return vfail_insn(c, i, "bswap of %" PRId64 " bytes does not fit %s", a[0],
                              tname(in->type));
        return 0;
    case IR_OP_extract:
    case IR_OP_sextract:
    case IR_OP_deposit:
        if (a[0] < 0 || a[1] < 1 || a[0] > width || a[1] > (int64_t)width - a[0])
            return vfail_insn(c, i, "bit field pos %" PRId64 ", len %" PRId64 " is not within "
                                    "%u bits (need 0 <= pos, 1 <= len, pos + len <= %u)",
                              a[0], a[1], width, width);
        return 0;
    case IR_OP_setcond:
    case IR_OP_movcond:
    case IR_OP_brcond:
        if (a[0] < 0 || a[0] >= IR_COND_COUNT)
            return vfail_insn(c, i, "condition %" PRId64 " is not an IR_COND_*", a[0]);
        return in->op == IR_OP_brcond ? check_label_ref(c, i, a[1]) : 0;
    case IR_OP_ld:
    case IR_OP_st:
        return check_memop(c, i, a[0], in->op == IR_OP_st, false);
    case IR_OP_ld_state:
    case IR_OP_st_state:
        return check_state_access(c, i);
    case IR_OP_mb:
        if (a[0] < IR_MB_FULL || a[0] > IR_MB_ST)
            return vfail_insn(c, i, "barrier kind %" PRId64 " is not an IR_MB_*", a[0]);
        return 0;
    case IR_OP_set_label:
    case IR_OP_br:
        return check_label_ref(c, i, a[0]);
    case IR_OP_exit:
        if (a[0] < 0 || a[0] >= IR_EXIT_COUNT)
            return vfail_insn(c, i, "exit reason %" PRId64 " is not an IR_EXIT_*", a[0]);
        if (a[0] == IR_EXIT_chain || a[0] == IR_EXIT_lookup || a[0] == IR_EXIT_request)
            return vfail_insn(c, i, "exit reason %s is produced by the backends only",
                              ir_exit_names[a[0]]);
        return 0;
    default: /* call: checked with its operands; insn_start, goto_tb: any pc */
        return 0;
    }
}

static bool is_int_type(unsigned t) { return t == IR_I32 || t == IR_I64; }

static int check_insn(struct vctx *c, uint32_t i)
{
    const struct ir_func *f = c->f;
    const struct ir_insn *in = &f->insns[i];
    if (in->op >= IR_OP_COUNT)
        return vfail_insn(c, i, "op %u is not an IR op", in->op);
    const struct ir_opinfo *oi = &ir_ops[in->op];
    unsigned nout, nin;
    const struct ir_helper *h = NULL;
    if (in->op == IR_OP_call) {
        if (in->ncarg != 1)
            return vfail_insn(c, i, "call takes 1 constant arg (the helper), has %u", in->ncarg);
        h = ir_helper_get(in->carg[0]);
        if (!h)
            return vfail_insn(c, i, "helper %" PRId64 " is not registered", in->carg[0]);
        if ((h->ret != IR_VOID && !is_int_type(h->ret)) || h->nargs > IR_HELPER_MAX_ARGS)
            return vfail_insn(c, i, "helper %s has an unsupported signature", h->name);
        nout = h->ret != IR_VOID;
        nin = h->nargs;
    } else {
        nout = (unsigned)oi->nout;
        nin = (unsigned)oi->nin;
    }
    if (in->nout != nout || in->nin != nin || in->ncarg != oi->ncarg)
        return vfail_insn(c, i, "%s takes %u outputs, %u inputs and %u constant args, has %u, %u "
                                "and %u", oi->name, nout, nin, oi->ncarg, in->nout, in->nin,
                          in->ncarg);
    if (nout + nin > IR_MAX_ARGS)
        return vfail_insn(c, i, "too many operands (%u)", nout + nin);

    for (unsigned k = 0; k < nout + nin; k++) {
        ir_ref r = in->args[k];
        if (r == IR_NONE || r >= f->nvals)
            return vfail_insn(c, i, "operand %u is not a value (ref %" PRIu32 ")", k + 1, r);
        if (k < nout && f->vals[r].kind == IR_VAL_CONST)
            return vfail_insn(c, i, "output %u is a constant", k + 1);
    }

    /* operand types */
    const char *sig = oi->sig;
    int ttype = -1;
    for (unsigned k = 0; k < nout + nin; k++) {
        unsigned t = f->vals[in->args[k]].type;
        if (h) {
            unsigned want = k < nout ? h->ret : h->args[k - nout];
            if (t != want)
                return vfail_insn(c, i, "operand %u is %s, helper %s wants %s", k + 1, tname(t),
                                  h->name, tname(want));
            continue;
        }
        while (*sig == ':')
            sig++;
        char slot = *sig ? *sig++ : 'A';
        switch (slot) {
        case 'T':
            if (ttype < 0)
                ttype = (int)t;
            else if ((int)t != ttype)
                return vfail_insn(c, i, "operand %u is %s but the op's other typed operands are %s",
                                  k + 1, tname(t), tname((unsigned)ttype));
            break;
        case 'I':
            if (t != IR_I32)
                return vfail_insn(c, i, "operand %u must be i32, is %s", k + 1, tname(t));
            break;
        case 'L':
            if (t != IR_I64)
                return vfail_insn(c, i, "operand %u must be i64, is %s", k + 1, tname(t));
            break;
        default: /* A: either int type (checked with the values) */
            break;
        }
    }
    if (strchr(oi->sig, 'T')) {
        if (!is_int_type(in->type))
            return vfail_insn(c, i, "insn type %s is not i32 or i64", tname(in->type));
        if (ttype >= 0 && ttype != in->type)
            return vfail_insn(c, i, "insn type %s does not match its operands (%s)",
                              tname(in->type), tname((unsigned)ttype));
    }
    return check_cargs(c, i);
}

/* ---- control flow ------------------------------------------------------------- */

#define NO_INSN UINT32_MAX

/* Labels set once, branch targets set, terminators, no unreachable code, goto_tb
 * count.  Fills label_at[l] with the set_label insn of label l. */
static int check_flow(struct vctx *c, uint32_t *label_at)
{
    const struct ir_func *f = c->f;
    for (uint32_t l = 0; l < f->nlabels; l++)
        label_at[l] = NO_INSN;
    uint32_t last = NO_INSN, ngoto_tb = 0, nras_push = 0;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        const struct ir_insn *in = &f->insns[i];
        if (in->op == IR_OP_nop)
            continue;
        if (last != NO_INSN && in->op != IR_OP_set_label) {
            const struct ir_insn *prev = &f->insns[last];
            if ((ir_ops[prev->op].flags & IR_F_END) || prev->op == IR_OP_br)
                return vfail_insn(c, i, "unreachable: it follows insn %" PRIu32 " (%s), so it "
                                        "must be a label", last, ir_ops[prev->op].name);
        }
        if (in->op == IR_OP_set_label) {
            uint32_t l = (uint32_t)in->carg[0];
            if (label_at[l] != NO_INSN)
                return vfail_insn(c, i, "label L%" PRIu32 " is already set by insn %" PRIu32, l,
                                  label_at[l]);
            label_at[l] = i;
        }
        if (in->op == IR_OP_goto_tb && ++ngoto_tb > VERIFY_MAX_GOTO_TB)
            return vfail_insn(c, i, "more than %d goto_tb in one block (TB_MAX_JMP)",
                              VERIFY_MAX_GOTO_TB);
        if (in->op == IR_OP_ras_push && ++nras_push > 1)
            return vfail_insn(c, i, "more than one ras_push in one block (one return cell)");
        last = i;
    }
    if (last == NO_INSN)
        return vfail(c, "the block has no instructions");
    if (!(ir_ops[f->insns[last].op].flags & IR_F_END))
        return vfail_insn(c, last, "the block must end with a terminator (goto_tb, goto_ptr or "
                                   "exit)");
    for (uint32_t i = 0; i < f->ninsns; i++) {
        const struct ir_insn *in = &f->insns[i];
        int64_t l = in->op == IR_OP_br ? in->carg[0] : in->op == IR_OP_brcond ? in->carg[1] : -1;
        if (l >= 0 && label_at[l] == NO_INSN)
            return vfail_insn(c, i, "label L%" PRId64 " is never set", l);
    }
    return 0;
}

/* ---- definite assignment of temps ------------------------------------------ */

/* Forward must-analysis over basic blocks: a temp is assigned at a point if it
 * is assigned on every path from the block entry.  Temps are undefined at entry;
 * globals and constants are always defined. */
struct defs {
    uint32_t nbb, words;
    uint32_t *bb_start;  /* first insn of each basic block; bb_start[nbb] = ninsns */
    uint32_t *bb_of;     /* insn -> basic block */
    uint64_t *in, *out, *gen;
};

static bool bit_get(const uint64_t *s, uint32_t b) { return (s[b / 64] >> (b % 64)) & 1; }
static void bit_set(uint64_t *s, uint32_t b) { s[b / 64] |= 1ull << (b % 64); }

static void assign_outputs(const struct ir_func *f, const struct ir_insn *in, uint64_t *set)
{
    for (unsigned k = 0; k < in->nout; k++) {
        const struct ir_value *v = &f->vals[in->args[k]];
        if (v->kind == IR_VAL_TEMP)
            bit_set(set, v->num);
    }
}

/* Successors of basic block b (at most 2). */
static unsigned bb_succs(const struct ir_func *f, const struct defs *d, const uint32_t *label_at,
                         uint32_t b, uint32_t *succ)
{
    const struct ir_insn *last = &f->insns[d->bb_start[b + 1] - 1];
    unsigned n = 0;
    if (last->op == IR_OP_br) {
        succ[n++] = d->bb_of[label_at[last->carg[0]]];
        return n;
    }
    if (ir_ops[last->op].flags & IR_F_END)
        return 0;
    if (last->op == IR_OP_brcond)
        succ[n++] = d->bb_of[label_at[last->carg[1]]];
    if (b + 1 < d->nbb)
        succ[n++] = b + 1;
    return n;
}

static int check_defs(struct vctx *c, const uint32_t *label_at)
{
    const struct ir_func *f = c->f;
    struct defs d = {0};
    int rc = 0;
    d.words = (f->ntemps + 63) / 64;
    if (d.words == 0)
        return 0;
    d.bb_start = malloc(((size_t)f->ninsns + 1) * sizeof(uint32_t));
    d.bb_of = malloc((size_t)f->ninsns * sizeof(uint32_t));
    if (!d.bb_start || !d.bb_of) {
        rc = vfail(c, "out of memory");
        goto out;
    }
    for (uint32_t i = 0; i < f->ninsns; i++) {
        const struct ir_insn *in = &f->insns[i];
        bool leader = i == 0 || in->op == IR_OP_set_label;
        if (i > 0) {
            const struct ir_insn *prev = &f->insns[i - 1];
            leader |= (ir_ops[prev->op].flags & (IR_F_BRANCH | IR_F_END)) != 0;
        }
        if (leader)
            d.bb_start[d.nbb++] = i;
        d.bb_of[i] = d.nbb - 1;
    }
    d.bb_start[d.nbb] = f->ninsns;
    size_t setbytes = (size_t)d.nbb * d.words * sizeof(uint64_t);
    d.in = malloc(setbytes);
    d.out = malloc(setbytes);
    d.gen = calloc(1, setbytes);
    uint64_t *next_in = malloc(setbytes);
    if (!d.in || !d.out || !d.gen || !next_in) {
        free(next_in);
        rc = vfail(c, "out of memory");
        goto out;
    }
    for (uint32_t b = 0; b < d.nbb; b++)
        for (uint32_t i = d.bb_start[b]; i < d.bb_start[b + 1]; i++)
            assign_outputs(f, &f->insns[i], d.gen + (size_t)b * d.words);
    /* Start from "everything assigned" except at entry and iterate down. */
    memset(d.in, 0xff, setbytes);
    memset(d.in, 0, d.words * sizeof(uint64_t));
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t k = 0; k < (size_t)d.nbb * d.words; k++)
            d.out[k] = d.in[k] | d.gen[k];
        memset(next_in, 0xff, setbytes);
        memset(next_in, 0, d.words * sizeof(uint64_t));
        for (uint32_t b = 0; b < d.nbb; b++) {
            uint32_t succ[2];
            unsigned ns = bb_succs(f, &d, label_at, b, succ);
            for (unsigned s = 0; s < ns; s++)
                for (uint32_t w = 0; w < d.words; w++)
                    next_in[(size_t)succ[s] * d.words + w] &= d.out[(size_t)b * d.words + w];
        }
        if (memcmp(next_in, d.in, setbytes) != 0) {
            memcpy(d.in, next_in, setbytes);
            changed = true;
        }
    }
    free(next_in);
    uint64_t *cur = malloc(d.words * sizeof(uint64_t));
    if (!cur) {
        rc = vfail(c, "out of memory");
        goto out;
    }
    for (uint32_t b = 0; b < d.nbb && rc == 0; b++) {
        memcpy(cur, d.in + (size_t)b * d.words, d.words * sizeof(uint64_t));
        for (uint32_t i = d.bb_start[b]; i < d.bb_start[b + 1] && rc == 0; i++) {
            const struct ir_insn *in = &f->insns[i];
            for (unsigned k = in->nout; k < (unsigned)in->nout + in->nin; k++) {
                const struct ir_value *v = &f->vals[in->args[k]];
                if (v->kind == IR_VAL_TEMP && !bit_get(cur, v->num)) {
                    rc = vfail_insn(c, i, "t%" PRIu32 " may be used before it is assigned",
                                    v->num);
                    break;
                }
            }
            assign_outputs(f, in, cur);
        }
    }
    free(cur);
out:
    free(d.bb_start);
    free(d.bb_of);
    free(d.in);
    free(d.out);
    free(d.gen);
    return rc;
}

/* ---- entry point ------------------------------------------------------------ */

int ir_verify(const struct ir_func *f, char *err, size_t errlen)
{
    struct vctx c = {f, err, errlen, NULL, 0};
    if (err && errlen)
        err[0] = 0;
    if (f->err)
        return vfail(&c, "the builder reported an error: %s", f->errmsg);
    if (f->ninsns && !f->insns)
        return vfail(&c, "ninsns is %" PRIu32 " but there is no insn array", f->ninsns);
    int rc = check_values(&c);
    for (uint32_t i = 0; i < f->ninsns && rc == 0; i++)
        rc = check_insn(&c, i);
    free(c.globals);
    if (rc)
        return rc;
    if (f->nlabels > VERIFY_MAX_LABELS)
        return vfail(&c, "nlabels is %" PRIu32 ", more than %u", f->nlabels, VERIFY_MAX_LABELS);
    uint32_t *label_at = malloc(((size_t)f->nlabels + 1) * sizeof(uint32_t));
    if (!label_at)
        return vfail(&c, "out of memory (nlabels %" PRIu32 ")", f->nlabels);
    rc = check_flow(&c, label_at);
    if (rc == 0)
        rc = check_defs(&c, label_at);
    free(label_at);
    return rc;
}
