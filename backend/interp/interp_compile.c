/* IR -> bytecode for the interpreter backend (backend/interp).
 * Pipeline: verified ir_func -> here -> bytecode in the code buffer (RW view)
 * -> interp_exec.c runs it from the RX view.
 * Every operand is resolved here to a frame slot: temps; constants, which a
 * `consts` insn copies in at block entry; copies of the globals, which a
 * `gather` insn copies in at block entry (and after anything that may change
 * them) and which the _g variants write through to the CPU state; i32 addresses
 * zero-extended into a scratch slot.  Labels become byte offsets.  The result of
 * the insn just before is read from the accumulator (_a variants). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"

#define BCINFO(name, fmt, irop, type, variant, fam, role)                                          \
    {                                                                                              \
        name, fmt, IR_OP_##irop, type, variant, INTERP_FAM_##fam, INTERP_ROLE_##role               \
    }
const struct interp_bcinfo interp_bcinfo[BC_COUNT] = {
#define BC(name, fmt, irop, type, variant)                                                         \
    [BC_##name] = BCINFO(#name, fmt, irop, type, variant, PLAIN, BASE),
#define BCG(name, fmt, irop, type, variant)                                                        \
    [BC_##name] = BCINFO(#name, fmt, irop, type, variant, G, BASE),                                \
    [BC_##name##_g] = BCINFO(#name "_g", fmt "g", irop, type, INTERP_NEVER, G, G),
#define BCA(name, fmt, irop, type, variant)                                                        \
    [BC_##name] = BCINFO(#name, fmt, irop, type, variant, A, BASE),                                \
    [BC_##name##_g] = BCINFO(#name "_g", fmt "g", irop, type, INTERP_NEVER, A, G),                 \
    [BC_##name##_a] = BCINFO(#name "_a", fmt, irop, type, INTERP_NEVER, A, A),                     \
    [BC_##name##_ga] = BCINFO(#name "_ga", fmt "g", irop, type, INTERP_NEVER, A, GA),
#define BCI(name, fmt, irop, type, variant)                                                        \
    [BC_##name] = BCINFO(#name, fmt, irop, type, variant, I, BASE),                                \
    [BC_##name##_a] = BCINFO(#name "_a", fmt, irop, type, INTERP_NEVER, I, A),
#include "interp_ops.def"
#undef BC
#undef BCG
#undef BCA
#undef BCI
};

#define SEL_END 0xffff

/* Op selection lists: for each IR op, its bytecode ops in table order. */
void interp_select_init(struct interp_state *st)
{
    for (unsigned i = 0; i < IR_OP_COUNT; i++)
        st->sel_first[i] = SEL_END;
    for (int bc = BC_COUNT - 1; bc >= 0; bc--) {
        const struct interp_bcinfo *b = &interp_bcinfo[bc];
        if (b->variant == INTERP_NEVER)
            continue;
        st->sel_next[bc] = st->sel_first[b->irop];
        st->sel_first[b->irop] = (uint16_t)bc;
    }
}

/* The handler for (op, type, variant): one specialised for `variant` if there
 * is one, else the general one (variant INTERP_ANY); -1 if none. */
static int select_bc(const struct interp_state *st, enum ir_op op, int type, int64_t variant)
{
    int general = -1;
    for (unsigned bc = st->sel_first[op]; bc != SEL_END; bc = st->sel_next[bc]) {
        const struct interp_bcinfo *b = &interp_bcinfo[bc];
        if (b->type != INTERP_ANY && b->type != type)
            continue;
        if (b->variant == variant && variant != INTERP_ANY)
            return (int)bc;
        if (b->variant == INTERP_ANY && general < 0)
            general = (int)bc;
    }
    return general;
}

uint32_t interp_insn_words(enum interp_bc bc, const int32_t *ip)
{
    uint32_t n = 1 + (uint32_t)strlen(interp_bcinfo[bc].fmt);
    if (bc == BC_call)
        n += (uint32_t)ip[3];
    else if (bc == BC_consts)
        n += 2 * (uint32_t)ip[1];
    else if (bc == BC_gather)
        n += 2 * ((uint32_t)ip[1] + (uint32_t)ip[2]);
    return n;
}

/* ---- the assembler context ---- */

struct fixup {
    uint32_t at;   /* word holding the branch offset */
    uint32_t insn; /* word where the branch insn starts */
    uint32_t label;
};

struct asm_ctx {
    struct interp_state *st;
    const struct ir_func *f;
    int32_t *w; /* body: everything after the block-entry consts and gather */
    uint32_t n, cap;
    uint16_t *ops; /* bytecode op of each body insn, for the listing */
    uint32_t nops, cap_ops;
    uint32_t *label_off;
    struct fixup *fix;
    uint32_t nfix;
    uint64_t *cval; /* constants: value and type, in slot ntemps + 1 + index */
    uint8_t *ctype;
    uint32_t nconst, cap_const;
    int32_t *gslot; /* by value ref: the slot word of a global's copy, 0 if none */
    bool *gread;    /* by value ref: the block reads this global */
    uint32_t nglob; /* global slots, from the top slot down */
    uint32_t nread; /* globals read */
    struct tb_pcmap *pcm;
    uint32_t npcm;
    uint32_t jmp_insn[TB_MAX_JMP];
    uint64_t jmp_pc[TB_MAX_JMP];
    uint32_t njmp;
    uint32_t ntemps;
    int32_t acc_slot;  /* the slot whose value the accumulator holds here, 0 if unknown */
    bool too_big;      /* the error is a limit, not malformed IR */
    uint32_t bad_insn; /* index of the insn the error is about, or UINT32_MAX */
    char err[200];
};

#define LABEL_UNSET UINT32_MAX

static bool fail(struct asm_ctx *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(struct asm_ctx *a, const char *fmt, ...)
{
    if (!a->err[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(a->err, sizeof(a->err), fmt, ap);
        va_end(ap);
    }
    return false;
}

/* Room for `words` more body words and 4 more insns. */
static bool reserve(struct asm_ctx *a, uint32_t words)
{
    if (a->n + words > a->cap) {
        uint32_t cap = a->cap ? a->cap : 256;
        while (cap < a->n + words)
            cap *= 2;
        int32_t *w = realloc(a->w, cap * sizeof(*w));
        if (!w)
            return fail(a, "out of memory");
        a->w = w;
        a->cap = cap;
    }
    if (a->nops + 4 > a->cap_ops) {
        uint32_t cap = a->cap_ops ? a->cap_ops * 2 : 128;
        uint16_t *ops = realloc(a->ops, cap * sizeof(*ops));
        if (!ops)
            return fail(a, "out of memory");
        a->ops = ops;
        a->cap_ops = cap;
    }
    if (a->n + words > INT32_MAX / 8) {
        a->too_big = true;
        return fail(a, "more than %d words of bytecode", INT32_MAX / 8);
    }
    return true;
}

static void put(struct asm_ctx *a, int32_t word) { a->w[a->n++] = word; }

static void put_u64(struct asm_ctx *a, uint64_t v)
{
    memcpy(&a->w[a->n], &v, 8);
    a->n += 2;
}

/* Start a body insn: its handler word.  Returns the word index of the insn. */
static uint32_t emit_op(struct asm_ctx *a, enum interp_bc bc)
{
    uint32_t at = a->n;
    put(a, a->st->handler[bc]);
    a->ops[a->nops++] = (uint16_t)bc;
    return at;
}

/* ---- operands ---- */

static bool slots_left(struct asm_ctx *a)
{
    if (a->ntemps + 1 + a->nconst + a->nglob < INTERP_MAX_SLOTS)
        return true;
    a->too_big = true;
    return fail(a, "more than %d frame slots (temps, constants, globals)", INTERP_MAX_SLOTS);
}

static bool const_slot(struct asm_ctx *a, enum ir_type t, uint64_t c, int32_t *slot)
{
    uint32_t i;
    for (i = 0; i < a->nconst; i++)
        if (a->cval[i] == c && a->ctype[i] == t)
            break;
    if (i == a->nconst) {
        if (!slots_left(a))
            return false;
        if (a->nconst == a->cap_const) {
            uint32_t cap = a->cap_const ? a->cap_const * 2 : 32;
            uint64_t *v = realloc(a->cval, cap * sizeof(*v));
            if (v)
                a->cval = v;
            uint8_t *ty = realloc(a->ctype, cap);
            if (ty)
                a->ctype = ty;
            if (!v || !ty)
                return fail(a, "out of memory");
            a->cap_const = cap;
        }
        a->cval[i] = c;
        a->ctype[i] = (uint8_t)t;
        a->nconst++;
    }
    *slot = interp_slot_loc(a->ntemps + 1 + i);
    return true;
}

/* The slot of global r's copy (allocated on first use). */
static bool global_slot(struct asm_ctx *a, ir_ref r, int32_t *slot)
{
    const struct ir_value *v = &a->f->vals[r];
    if (v->num > INT32_MAX - 8 || (v->type != IR_I32 && v->type != IR_I64))
        return fail(a, "global %s: bad offset %u or type %u", v->name, v->num, v->type);
    if (a->gslot[r] == 0) {
        if (!slots_left(a))
            return false;
        a->gslot[r] = interp_slot_loc(INTERP_MAX_SLOTS - 1 - a->nglob);
        a->nglob++;
    }
    *slot = a->gslot[r];
    return true;
}

static const char *kind_name(uint8_t k)
{
    return k == IR_VAL_TEMP ? "temp" : k == IR_VAL_GLOBAL ? "global" : "const";
}

/* Slot of value r read or written as type t; for a global output, *env gets
 * its env offset (else -1). */
static bool value_slot(struct asm_ctx *a, ir_ref r, enum ir_type t, bool out, int32_t *slot,
                       int32_t *env)
{
    if (env)
        *env = -1;
    if (r == IR_NONE || r >= a->f->nvals)
        return fail(a, "operand %u is not a value", r);
    if (t != IR_I32 && t != IR_I64)
        return fail(a, "operand type %u is not i32/i64", t);
    const struct ir_value *v = &a->f->vals[r];
    if (v->kind == IR_VAL_CONST) {
        if (out)
            return fail(a, "constant as an output");
        return const_slot(a, t, v->c & ir_type_mask(t), slot);
    }
    if (v->type != t)
        return fail(a, "%s %u is %s, used as %s", kind_name(v->kind), v->num,
                    v->type < IR_TYPE_COUNT ? ir_type_names[v->type] : "?", ir_type_names[t]);
    if (v->kind == IR_VAL_TEMP) {
        if (v->num >= a->ntemps)
            return fail(a, "temp t%u out of range (%u temps)", v->num, a->ntemps);
        *slot = interp_slot_loc(v->num);
        return true;
    }
    if (v->kind != IR_VAL_GLOBAL)
        return fail(a, "value %u has kind %u", r, v->kind);
    if (out && env)
        *env = (int32_t)v->num;
    return global_slot(a, r, slot);
}

/* Slot of an address/pc input (sig letter A) as an i64: i32 values are
 * zero-extended into the scratch slot by an extra insn. */
static bool addr_slot(struct asm_ctx *a, ir_ref r, int32_t *slot)
{
    if (r == IR_NONE || r >= a->f->nvals)
        return fail(a, "operand %u is not a value", r);
    const struct ir_value *v = &a->f->vals[r];
    if (v->kind == IR_VAL_CONST)
        return const_slot(a, IR_I64, v->c & ir_type_mask((enum ir_type)v->type), slot);
    if (v->type != IR_I32)
        return value_slot(a, r, IR_I64, false, slot, NULL);
    int32_t src;
    if (!value_slot(a, r, IR_I32, false, &src, NULL))
        return false;
    int32_t scratch = interp_slot_loc(a->ntemps);
    emit_op(a, interp_bc_variant(BC_zext, false, src == a->acc_slot));
    put(a, scratch);
    put(a, src);
    a->acc_slot = scratch;
    *slot = scratch;
    return true;
}

/* ---- gathering global copies ---- */

/* Does global v (bytes [num, num + size)) overlap env bytes [lo, hi)? */
static bool global_overlaps(const struct ir_value *v, uint32_t lo, uint32_t hi)
{
    uint64_t size = v->type == IR_I32 ? 4 : 8;
    return v->num < hi && v->num + size > lo;
}

/* How many read globals overlap env bytes [lo, hi). */
static uint32_t gather_count(const struct asm_ctx *a, uint32_t lo, uint32_t hi)
{
    uint32_t n = 0;
    for (ir_ref r = 1; r < a->f->nvals; r++)
        n += a->gread[r] && global_overlaps(&a->f->vals[r], lo, hi);
    return n;
}

/* Write a gather insn for the read globals overlapping env [lo, hi) at dst
 * (a body insn if dst is NULL).  Returns its words. */
static uint32_t gather_write(struct asm_ctx *a, int32_t *dst, uint32_t lo, uint32_t hi)
{
    uint32_t n = gather_count(a, lo, hi);
    if (n == 0)
        return 0;
    if (!dst) {
        emit_op(a, BC_gather);
        dst = a->w + a->n - 1;
        a->n += 3 + 2 * n;
    } else {
        dst[0] = a->st->handler[BC_gather];
    }
    uint32_t k = 4, n64 = 0;
    for (unsigned pass = 0; pass < 2; pass++)
        for (ir_ref r = 1; r < a->f->nvals; r++) {
            const struct ir_value *v = &a->f->vals[r];
            if (!a->gread[r] || !global_overlaps(v, lo, hi))
                continue;
            if ((v->type == IR_I64) != (pass == 0))
                continue;
            dst[k++] = a->gslot[r];
            dst[k++] = (int32_t)v->num;
            n64 += pass == 0;
        }
    dst[1] = (int32_t)n64;
    dst[2] = (int32_t)(n - n64);
    dst[3] = 0;
    return 4 + 2 * n;
}

static bool emit_gather(struct asm_ctx *a, uint32_t lo, uint32_t hi)
{
    if (!reserve(a, 4 + 2 * a->nread))
        return false;
    if (gather_write(a, NULL, lo, hi))
        a->acc_slot = 0;
    return true;
}

/* Every global read anywhere in the block gets a slot and is gathered at block
 * entry (a global written before it is read on one path may be read first on
 * another). */
static bool find_read_globals(struct asm_ctx *a)
{
    const struct ir_func *f = a->f;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        const struct ir_insn *in = &f->insns[i];
        if (in->nout + in->nin > IR_MAX_ARGS)
            return fail(a, "insn %u: %u operands", i, in->nout + in->nin);
        for (unsigned k = in->nout; k < (unsigned)in->nout + in->nin; k++) {
            ir_ref r = in->args[k];
            if (r == IR_NONE || r >= f->nvals || f->vals[r].kind != IR_VAL_GLOBAL || a->gread[r])
                continue;
            int32_t slot;
            if (!global_slot(a, r, &slot))
                return false;
            a->gread[r] = true;
            a->nread++;
        }
    }
    return true;
}

/* ---- insns ---- */

/* The carg a handler may be specialised for (see interp_ops.def). */
static int64_t insn_variant(const struct ir_insn *in)
{
    int64_t mo;
    switch (in->op) {
    case IR_OP_setcond:
    case IR_OP_movcond:
    case IR_OP_brcond:
    case IR_OP_bswap:
    case IR_OP_mb:
        return in->carg[0];
    case IR_OP_ld: /* drop bits that change nothing */
        mo = in->carg[0];
        if (mo & IR_MO_MMU)
            return INTERP_MMU;
        if ((mo & IR_MO_SIZE) == IR_MO_8)
            mo &= ~(int64_t)IR_MO_BE;
        if ((mo & IR_MO_SIZE) == IR_MO_64 || ((mo & IR_MO_SIZE) == IR_MO_32 && in->type == IR_I32))
            mo &= ~(int64_t)IR_MO_SIGN;
        return mo;
    case IR_OP_st:
        if (in->carg[0] & IR_MO_MMU)
            return INTERP_MMU;
        mo = in->carg[0] & ~(int64_t)IR_MO_SIGN;
        if ((mo & IR_MO_SIZE) == IR_MO_8)
            mo &= ~(int64_t)IR_MO_BE;
        return mo;
    default:
        return INTERP_ANY;
    }
}

static bool check_cargs(struct asm_ctx *a, const struct ir_insn *in)
{
    switch (in->op) {
    case IR_OP_extract:
    case IR_OP_sextract:
    case IR_OP_deposit: {
        unsigned w = ir_type_bits((enum ir_type)in->type);
        if (in->carg[0] < 0 || in->carg[1] < 1 || in->carg[0] + in->carg[1] > w)
            return fail(a, "bit field pos %lld len %lld out of range", (long long)in->carg[0],
                        (long long)in->carg[1]);
        return true;
    }
    case IR_OP_ld:
    case IR_OP_st:
        if (in->carg[0] & ~(int64_t)IR_MO_GUEST_ALL)
            return fail(a, "bad memop %lld", (long long)in->carg[0]);
        return true;
    case IR_OP_ld_state:
    case IR_OP_st_state:
        if (in->carg[0] < 0 || in->carg[0] > INT32_MAX - 8 || (in->carg[1] & ~(int64_t)IR_MO_ALL))
            return fail(a, "bad state offset %lld or memop %lld", (long long)in->carg[0],
                        (long long)in->carg[1]);
        return true;
    case IR_OP_exit:
        if (in->carg[0] < 0 || in->carg[0] >= IR_EXIT_COUNT)
            return fail(a, "bad exit reason %lld", (long long)in->carg[0]);
        return true;
    default:
        return true;
    }
}

static bool check_label(struct asm_ctx *a, int64_t label)
{
    if (label < 0 || label >= a->f->nlabels)
        return fail(a, "label L%lld out of range (%u labels)", (long long)label, a->f->nlabels);
    return true;
}

static bool is_commutative(enum ir_op op)
{
    switch (op) {
    case IR_OP_add:
    case IR_OP_mul:
    case IR_OP_mulsh:
    case IR_OP_muluh:
    case IR_OP_and:
    case IR_OP_or:
    case IR_OP_xor:
    case IR_OP_addc: /* a and b; the carry in stays third */
    case IR_OP_addv:
        return true;
    default:
        return false;
    }
}

/* Every op but call, goto_tb and the markers: operands typed by the op's sig,
 * then the handler's words in the order of its fmt. */
static bool emit_generic(struct asm_ctx *a, const struct ir_insn *in)
{
    const struct ir_opinfo *oi = &ir_ops[in->op];
    if (in->nout != oi->nout || in->nin != oi->nin || in->ncarg != oi->ncarg)
        return fail(a, "%s: wrong operand counts", oi->name);
    if (in->type != IR_I32 && in->type != IR_I64)
        return fail(a, "%s: bad type %u", oi->name, in->type);
    if (!check_cargs(a, in))
        return false;
    int32_t outs[1], out_env = -1, ins[4];
    unsigned no = 0, ni = 0;
    bool inputs = false;
    for (const char *s = oi->sig; *s; s++) {
        if (*s == ':') {
            inputs = true;
            continue;
        }
        enum ir_type t = *s == 'I' ? IR_I32 : *s == 'L' ? IR_I64 : (enum ir_type)in->type;
        bool ok;
        if (!inputs) {
            ok = value_slot(a, in->args[no], t, true, &outs[no], &out_env);
            no++;
        } else {
            ir_ref r = in->args[in->nout + ni];
            ok = *s == 'A' ? addr_slot(a, r, &ins[ni]) : value_slot(a, r, t, false, &ins[ni], NULL);
            ni++;
        }
        if (!ok)
            return false;
    }
    /* the accumulator holds the first input, or can if the first two swap */
    int64_t variant = insn_variant(in);
    if (ni >= 2 && a->acc_slot && ins[1] == a->acc_slot && ins[0] != a->acc_slot) {
        bool compare = in->op == IR_OP_setcond || in->op == IR_OP_movcond || in->op == IR_OP_brcond;
        if (compare && variant >= 0 && variant < IR_COND_COUNT) {
            variant = ir_cond_swap((enum ir_cond)variant);
            ins[1] = ins[0];
            ins[0] = a->acc_slot;
        } else if (is_commutative((enum ir_op)in->op)) {
            ins[1] = ins[0];
            ins[0] = a->acc_slot;
        }
    }
    int bc = select_bc(a->st, (enum ir_op)in->op, in->type, variant);
    if (bc < 0)
        return fail(a, "%s.%s: no handler for carg %lld", oi->name, ir_type_names[in->type],
                    (long long)in->carg[0]);
    enum interp_family fam = (enum interp_family)interp_bcinfo[bc].family;
    if (out_env >= 0 && fam != INTERP_FAM_G && fam != INTERP_FAM_A)
        return fail(a, "%s: handler %s has no global-output twin", oi->name,
                    interp_bcinfo[bc].name);
    bool acc = ni >= 1 && a->acc_slot && ins[0] == a->acc_slot;
    uint32_t at = emit_op(a, interp_bc_variant((enum interp_bc)bc, out_env >= 0, acc));
    unsigned io = 0, ii = 0, ic = 0;
    for (const char *s = interp_bcinfo[bc].fmt; *s; s++) {
        switch (*s) {
        case 'o':
            put(a, outs[io++]);
            break;
        case 'i':
            put(a, ins[ii++]);
            break;
        case 'n':
            put(a, (int32_t)in->carg[ic++]);
            break;
        case 'l': {
            int64_t label = in->op == IR_OP_brcond ? in->carg[1] : in->carg[0];
            if (!check_label(a, label))
                return false;
            a->fix[a->nfix++] = (struct fixup){a->n, at, (uint32_t)label};
            put(a, 0);
            break;
        }
        default:
            return fail(a, "%s: handler %s has an unexpected format", oi->name,
                        interp_bcinfo[bc].name);
        }
    }
    if (out_env >= 0)
        put(a, out_env);
    if (fam == INTERP_FAM_G || fam == INTERP_FAM_A)
        a->acc_slot = outs[0];
    /* st_state may have written a global's field: refresh those copies */
    if (in->op == IR_OP_st_state) {
        uint32_t lo = (uint32_t)in->carg[0];
        return emit_gather(a, lo, lo + ir_mo_bytes(in->carg[1]));
    }
    return true;
}

static bool emit_call(struct asm_ctx *a, const struct ir_insn *in)
{
    struct interp_call *c = interp_call_get(a->st, in->carg[0], a->err, sizeof(a->err));
    if (!c)
        return false;
    unsigned nout = c->ret != IR_VOID;
    if (in->nout != nout || in->nin != c->nargs)
        return fail(a, "call %s: %u outputs and %u inputs, helper has %u and %u", c->h->name,
                    in->nout, in->nin, nout, c->nargs);
    int32_t out = 0, out_env = -1, args[IR_HELPER_MAX_ARGS];
    if (nout && !value_slot(a, in->args[0], (enum ir_type)c->ret, true, &out, &out_env))
        return false;
    for (unsigned i = 0; i < c->nargs; i++)
        if (!value_slot(a, in->args[nout + i], (enum ir_type)c->h->args[i], false, &args[i], NULL))
            return false;
    emit_op(a, BC_call);
    put(a, out);
    put(a, out_env);
    put(a, c->nargs);
    uint32_t words[2] = {0, 0};
    memcpy(words, &c, sizeof(c));
    put(a, (int32_t)words[0]);
    put(a, (int32_t)words[1]);
    for (unsigned i = 0; i < c->nargs; i++)
        put(a, args[i]);
    a->acc_slot = 0;
    /* the helper may have changed any global: refresh every copy */
    if (c->h->flags & IR_HF_WRITES_GLOBALS)
        return emit_gather(a, 0, UINT32_MAX);
    return true;
}

static bool emit_goto_tb(struct asm_ctx *a, const struct ir_insn *in)
{
    if (a->njmp == TB_MAX_JMP)
        return fail(a, "more than %d goto_tb", TB_MAX_JMP);
    if (a->n & 1) /* the chain pointer (word 2) must be 8-aligned */
        emit_op(a, BC_nop);
    uint32_t at = emit_op(a, BC_goto_tb);
    put(a, (int32_t)a->njmp);
    put_u64(a, 0); /* not chained */
    put_u64(a, (uint64_t)in->carg[0]);
    a->jmp_insn[a->njmp] = at;
    a->jmp_pc[a->njmp] = (uint64_t)in->carg[0];
    a->njmp++;
    return true;
}

/* Words one IR insn can take at most, besides a gather: zext of an address,
 * nop padding, and the largest insn (a call with every arg). */
#define MAX_WORDS_PER_INSN (3 + 1 + 6 + IR_HELPER_MAX_ARGS)

static bool emit_insn(struct asm_ctx *a, const struct ir_insn *in)
{
    if (in->op >= IR_OP_COUNT)
        return fail(a, "bad op %u", in->op);
    if (!reserve(a, MAX_WORDS_PER_INSN))
        return false;
    switch (in->op) {
    case IR_OP_nop:
        return true;
    case IR_OP_insn_start:
        a->pcm[a->npcm++] = (struct tb_pcmap){a->n, (uint64_t)in->carg[0]};
        return true;
    case IR_OP_set_label:
        if (!check_label(a, in->carg[0]))
            return false;
        if (a->label_off[in->carg[0]] != LABEL_UNSET)
            return fail(a, "label L%lld set twice", (long long)in->carg[0]);
        a->label_off[in->carg[0]] = a->n;
        a->acc_slot = 0; /* reached from elsewhere too */
        return true;
    case IR_OP_call:
        return emit_call(a, in);
    case IR_OP_goto_tb:
        return emit_goto_tb(a, in);
    case IR_OP_ras_push:
        return true; /* a return-address hint the interpreter does not use */
    case IR_OP_goto_ret: { /* the same as goto_ptr here (its jump-cache probe) */
        struct ir_insn g = *in;
        g.op = IR_OP_goto_ptr;
        return emit_generic(a, &g);
    }
    default:
        return emit_generic(a, in);
    }
}

/* ---- the block ---- */

static void ctx_free(struct asm_ctx *a)
{
    free(a->w);
    free(a->ops);
    free(a->label_off);
    free(a->fix);
    free(a->cval);
    free(a->ctype);
    free(a->gslot);
    free(a->gread);
    free(a->pcm);
}

static bool assemble(struct asm_ctx *a)
{
    const struct ir_func *f = a->f;
    if (f->err)
        return fail(a, "the function has a build error: %s", f->errmsg);
    const struct ir_insn *last = f->ninsns ? &f->insns[f->ninsns - 1] : NULL;
    if (!last || last->op >= IR_OP_COUNT || !(ir_ops[last->op].flags & IR_F_END))
        return fail(a, "the block does not end with a terminator");
    a->ntemps = f->ntemps;
    if (a->ntemps + 1 > INTERP_MAX_SLOTS) {
        a->too_big = true;
        return fail(a, "%u temps, the interpreter has %d frame slots", a->ntemps, INTERP_MAX_SLOTS);
    }
    a->label_off = malloc((f->nlabels + 1) * sizeof(*a->label_off));
    a->fix = malloc(f->ninsns * sizeof(*a->fix));
    a->pcm = malloc(f->ninsns * sizeof(*a->pcm));
    a->gslot = calloc(f->nvals, sizeof(*a->gslot));
    a->gread = calloc(f->nvals, sizeof(*a->gread));
    if (!a->label_off || !a->fix || !a->pcm || !a->gslot || !a->gread)
        return fail(a, "out of memory");
    for (uint32_t i = 0; i < f->nlabels; i++)
        a->label_off[i] = LABEL_UNSET;
    if (!find_read_globals(a))
        return false;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        if (!emit_insn(a, &f->insns[i])) {
            a->bad_insn = i;
            return false;
        }
    }
    for (uint32_t i = 0; i < a->nfix; i++) {
        uint32_t off = a->label_off[a->fix[i].label];
        if (off == LABEL_UNSET)
            return fail(a, "branch to label L%u, which is never set", a->fix[i].label);
        a->w[a->fix[i].at] = 4 * ((int32_t)off - (int32_t)a->fix[i].insn);
    }
    return true;
}

/* Words of the block-entry consts insn (even, so the body stays 8-aligned). */
static uint32_t consts_words(uint32_t nconst) { return nconst ? 4 + 2 * nconst : 0; }

/* Write the block: consts, gather of every global read, then the body. */
static void write_code(struct asm_ctx *a, int32_t *dst)
{
    uint32_t p = 0;
    if (a->nconst) {
        dst[p++] = a->st->handler[BC_consts];
        dst[p++] = (int32_t)a->nconst;
        /* the lowest address: the last constant's slot */
        dst[p++] = interp_slot_loc(a->ntemps + a->nconst);
        dst[p++] = 0;
        for (uint32_t i = 0; i < a->nconst; i++) {
            uint32_t j = a->nconst - 1 - i; /* slot image i holds constant j */
            uint8_t img[8] = {0};
            if (a->ctype[j] == IR_I32) {
                uint32_t v = (uint32_t)a->cval[j];
                memcpy(img, &v, 4);
            } else {
                memcpy(img, &a->cval[j], 8);
            }
            memcpy(&dst[p], img, 8);
            p += 2;
        }
    }
    p += gather_write(a, dst + p, 0, UINT32_MAX);
    memcpy(dst + p, a->w, a->n * sizeof(*a->w));
}

int interp_compile(void *state, struct code_buf *cb, const struct ir_func *f, struct tb *tb,
                   FILE *log)
{
    struct asm_ctx a = {.st = state, .f = f, .bad_insn = UINT32_MAX};
    if (!assemble(&a)) {
        FILE *out = log ? log : stderr;
        fprintf(out, "interp: block 0x%llx: ", (unsigned long long)f->pc);
        if (a.bad_insn != UINT32_MAX) {
            unsigned op = f->insns[a.bad_insn].op;
            fprintf(out, "insn %u (%s): ", a.bad_insn, op < IR_OP_COUNT ? ir_ops[op].name : "?");
        }
        fprintf(out, "%s\n", a.err);
        ctx_free(&a);
        return a.too_big ? BACKEND_TOO_BIG : BACKEND_ERROR;
    }
    uint32_t ngather = gather_count(&a, 0, UINT32_MAX);
    uint32_t pre = consts_words(a.nconst) + (ngather ? 4 + 2 * ngather : 0);
    size_t bytes = 4 * ((size_t)pre + a.n);
    size_t pad = (size_t)(-cb->used & 7);
    if (cb->used + pad + bytes > cb->size) {
        ctx_free(&a);
        return BACKEND_FULL;
    }
    struct tb_pcmap *pcmap = NULL;
    if (a.npcm) {
        pcmap = malloc(a.npcm * sizeof(*pcmap));
        if (!pcmap) {
            fprintf(log ? log : stderr, "interp: out of memory\n");
            ctx_free(&a);
            return BACKEND_ERROR;
        }
        for (uint32_t i = 0; i < a.npcm; i++)
            pcmap[i] = (struct tb_pcmap){4 * (pre + a.pcm[i].host_off), a.pcm[i].guest_pc};
    }
    size_t start = cb->used + pad;
    write_code(&a, (int32_t *)(void *)(cb->rw + start));
    cb->used = start + bytes;

    tb->code = cb->rx + start;
    tb->code_size = (uint32_t)bytes;
    tb->ir_ops = 0;
    for (uint32_t i = 0; i < f->ninsns; i++)
        tb->ir_ops += f->insns[i].op != IR_OP_nop;
    tb->njmp = a.njmp;
    for (uint32_t i = 0; i < a.njmp; i++) {
        tb->jmp[i].dest_pc = a.jmp_pc[i];
        tb->jmp[i].patch_off = 4 * (pre + a.jmp_insn[i] + 2);
        tb->jmp[i].reset_off = 4 * (pre + a.jmp_insn[i]); /* the insn whose unchained path exits */
    }
    tb->pcmap = pcmap;
    tb->npcmap = a.npcm;

    if (log) {
        uint16_t *ops = malloc((a.nops + 2) * sizeof(*ops));
        if (ops) {
            uint32_t k = 0;
            if (a.nconst)
                ops[k++] = BC_consts;
            if (ngather)
                ops[k++] = BC_gather;
            memcpy(ops + k, a.ops, a.nops * sizeof(*ops));
            struct interp_listing li = {f, a.ntemps, a.nconst, a.gslot};
            interp_disas(log, &li, tb, (const int32_t *)(const void *)tb->code, pre + a.n, ops,
                         k + a.nops);
            free(ops);
        }
    }
    ctx_free(&a);
    return BACKEND_OK;
}
