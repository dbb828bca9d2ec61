/* The IR text form (docs/ir.md): a printer that writes one canonical spelling of
 * every func, and a parser that builds funcs back through the builder API and
 * verifies them, so print -> parse -> print is byte-identical. */
#include "ir.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared spellings ----------------------------------------------------- */

/* How a constant argument is written.  Keyed by op; ops.def says which ops have
 * constant args and the verifier checks their values. */
enum carg_kind {
    CK_DEC,         /* signed decimal: bswap bytes, extract/sextract/deposit pos, len */
    CK_HEX,         /* 0x-hex: insn_start/goto_tb pc, ld_state/st_state offset */
    CK_COND,        /* condition name */
    CK_MEMOP,       /* guest memop: u8 s8 u16le ... u64be */
    CK_STATE_MEMOP, /* host-order memop: u8 s8 u16 s16 u32 s32 u64 */
    CK_HELPER,      /* @name */
    CK_MB,          /* full, ld, st */
    CK_LABEL,       /* L<n> */
    CK_EXIT,        /* exit reason name */
};

static enum carg_kind carg_kind(unsigned op, unsigned i)
{
    switch (op) {
    case IR_OP_setcond:
    case IR_OP_movcond:
        return CK_COND;
    case IR_OP_ld:
    case IR_OP_st:
        return CK_MEMOP;
    case IR_OP_ld_state:
    case IR_OP_st_state:
        return i == 0 ? CK_HEX : CK_STATE_MEMOP;
    case IR_OP_call:
        return CK_HELPER;
    case IR_OP_mb:
        return CK_MB;
    case IR_OP_insn_start:
    case IR_OP_goto_tb:
    case IR_OP_ras_push:
        return CK_HEX;
    case IR_OP_set_label:
    case IR_OP_br:
        return CK_LABEL;
    case IR_OP_brcond:
        return i == 0 ? CK_COND : CK_LABEL;
    case IR_OP_exit:
        return CK_EXIT;
    default:
        return CK_DEC;
    }
}

static const char *const mb_names[] = {"full", "ld", "st"}; /* IR_MB_* order */
_Static_assert(IR_MB_FULL == 0 && IR_MB_LD == 1 && IR_MB_ST == 2, "mb_names follows IR_MB_*");

/* The canonical name of a memop.  Guest memops carry a byte order except at
 * 8 bits (where IR_MO_BE means nothing and is not printed); state memops are
 * host order and are written without one.  Memops the verifier rejects (s64,
 * a be state memop) are still spelled out so its messages are readable. */
static void memop_name(char *buf, size_t n, int64_t mo, bool state)
{
    bool mmu = !state && mo >= 0 && (mo & IR_MO_MMU) && !(mo & ~(int64_t)IR_MO_GUEST_ALL);
    if (mo < 0 || (mo > IR_MO_ALL && !mmu)) {
        snprintf(buf, n, "?memop=%" PRId64, mo);
        return;
    }
    unsigned size = (unsigned)mo & IR_MO_SIZE;
    const char *order = "";
    if (state)
        order = (mo & IR_MO_BE) ? "be" : "";
    else if (size)
        order = (mo & IR_MO_BE) ? "be" : "le";
    if (mmu) /* through the soft TLB: ".mmu<index>" */
        snprintf(buf, n, "%c%u%s.mmu%u", (mo & IR_MO_SIGN) ? 's' : 'u', 8u << size, order,
                 ir_mo_mmu_idx(mo));
    else
        snprintf(buf, n, "%c%u%s", (mo & IR_MO_SIGN) ? 's' : 'u', 8u << size, order);
}

/* The sig letters of an op's value slots ("T:TT" -> "TTT"); NUL for call. */
static char slot_letter(unsigned op, unsigned i)
{
    if (op >= IR_OP_COUNT || op == IR_OP_call)
        return 0;
    unsigned k = 0;
    for (const char *s = ir_ops[op].sig; *s; s++) {
        if (*s == ':')
            continue;
        if (k++ == i)
            return *s;
    }
    return 0;
}

/* ---- printer -------------------------------------------------------------- */

static void print_const(FILE *out, enum ir_type t, uint64_t c)
{
    if (t != IR_I32)
        t = IR_I64;
    if (c & ~ir_type_mask(t)) { /* not canonical: show the raw bits */
        fprintf(out, "0x%" PRIx64, c);
        return;
    }
    int64_t s = t == IR_I32 ? (int64_t)(int32_t)(uint32_t)c : (int64_t)c;
    if (s >= -4096 && s <= 4096)
        fprintf(out, "%" PRId64, s);
    else
        fprintf(out, "0x%" PRIx64, c);
}

static void print_value(FILE *out, const struct ir_func *f, ir_ref r, char slot)
{
    if (r == IR_NONE || r >= f->nvals || !f->vals) {
        fprintf(out, "?v%" PRIu32, r);
        return;
    }
    const struct ir_value *v = &f->vals[r];
    switch (v->kind) {
    case IR_VAL_TEMP:
        fprintf(out, "t%" PRIu32, v->num);
        break;
    case IR_VAL_GLOBAL:
        fprintf(out, "%.*s", IR_NAME_MAX, v->name);
        break;
    case IR_VAL_CONST:
        /* An A slot zero-extends: write the 64-bit value it stands for. */
        print_const(out, slot == 'A' ? IR_I64 : (enum ir_type)v->type, v->c);
        break;
    default:
        fprintf(out, "?kind%u", v->kind);
        break;
    }
}

static void print_carg(FILE *out, unsigned op, unsigned i, int64_t c)
{
    char buf[32];
    switch (carg_kind(op, i)) {
    case CK_DEC:
        fprintf(out, "%" PRId64, c);
        break;
    case CK_HEX:
        fprintf(out, "0x%" PRIx64, (uint64_t)c);
        break;
    case CK_COND:
        if (c >= 0 && c < IR_COND_COUNT)
            fputs(ir_cond_names[c], out);
        else
            fprintf(out, "?cond=%" PRId64, c);
        break;
    case CK_MEMOP:
    case CK_STATE_MEMOP:
        memop_name(buf, sizeof(buf), c, carg_kind(op, i) == CK_STATE_MEMOP);
        fputs(buf, out);
        break;
    case CK_HELPER: {
        const struct ir_helper *h = ir_helper_get(c);
        if (h)
            fprintf(out, "@%s", h->name);
        else
            fprintf(out, "@?%" PRId64, c);
        break;
    }
    case CK_MB:
        if (c >= 0 && c < 3)
            fputs(mb_names[c], out);
        else
            fprintf(out, "?mb=%" PRId64, c);
        break;
    case CK_LABEL:
        if (c >= 0 && c <= UINT32_MAX)
            fprintf(out, "L%" PRId64, c);
        else
            fprintf(out, "?label=%" PRId64, c);
        break;
    case CK_EXIT:
        if (c >= 0 && c < IR_EXIT_COUNT)
            fputs(ir_exit_names[c], out);
        else
            fprintf(out, "?exit=%" PRId64, c);
        break;
    }
}

/* Robust against any field values: the verifier prints broken insns with it. */
void ir_print_insn(FILE *out, const struct ir_func *f, const struct ir_insn *in)
{
    if (in->op >= IR_OP_COUNT) {
        fprintf(out, "?op=%u", in->op);
        return;
    }
    const struct ir_opinfo *oi = &ir_ops[in->op];
    if (in->op == IR_OP_set_label && in->ncarg == 1) {
        print_carg(out, in->op, 0, in->carg[0]);
        fputc(':', out);
        return;
    }
    fputs(oi->name, out);
    if (strchr(oi->sig, 'T')) {
        if (in->type == IR_I32 || in->type == IR_I64)
            fprintf(out, ".%s", ir_type_names[in->type]);
        else
            fprintf(out, ".?type=%u", in->type);
    }
    unsigned nargs = (unsigned)in->nout + in->nin, ncarg = in->ncarg;
    if (nargs > IR_MAX_ARGS)
        nargs = IR_MAX_ARGS;
    if (ncarg > IR_MAX_CARGS)
        ncarg = IR_MAX_CARGS;
    const char *sep = " ";
    for (unsigned i = 0; i < nargs; i++) {
        fputs(sep, out);
        sep = ", ";
        print_value(out, f, in->args[i], slot_letter(in->op, i));
    }
    for (unsigned i = 0; i < ncarg; i++) {
        fputs(sep, out);
        sep = ", ";
        print_carg(out, in->op, i, in->carg[i]);
    }
}

static const char *type_name(unsigned t)
{
    return t < IR_TYPE_COUNT ? ir_type_names[t] : "?";
}

static void print_temps(FILE *out, const struct ir_func *f)
{
    if (f->ntemps == 0 && f->nvals <= 1)
        return;
    /* Ordinal order; temps with a bad or repeated ordinal follow in value order.
     * (A valid func has ntemps < nvals; do not trust a broken one's.) */
    uint32_t ntemps = f->ntemps < f->nvals ? f->ntemps : 0;
    ir_ref *by_num = ntemps ? calloc(ntemps, sizeof(*by_num)) : NULL;
    bool *placed = calloc(f->nvals, sizeof(*placed));
    bool any = false;
    if (by_num && placed) {
        for (ir_ref r = 1; r < f->nvals; r++) {
            const struct ir_value *v = &f->vals[r];
            if (v->kind == IR_VAL_TEMP && v->num < ntemps && !by_num[v->num]) {
                by_num[v->num] = r;
                placed[r] = true;
            }
        }
        for (uint32_t k = 0; k < ntemps; k++) {
            if (by_num[k]) {
                const struct ir_value *v = &f->vals[by_num[k]];
                fprintf(out, "%st%" PRIu32 ":%s", any ? " " : "  temps ", v->num, type_name(v->type));
                any = true;
            }
        }
    }
    for (ir_ref r = 1; r < f->nvals; r++) {
        const struct ir_value *v = &f->vals[r];
        if (v->kind == IR_VAL_TEMP && !(placed && placed[r])) {
            fprintf(out, "%st%" PRIu32 ":%s", any ? " " : "  temps ", v->num, type_name(v->type));
            any = true;
        }
    }
    if (any)
        fputc('\n', out);
    free(by_num);
    free(placed);
}

void ir_print(FILE *out, const struct ir_func *f)
{
    for (ir_ref r = 1; r < f->nvals; r++) {
        const struct ir_value *v = &f->vals[r];
        if (v->kind == IR_VAL_GLOBAL)
            fprintf(out, "global %.*s:%s @0x%" PRIx32 "\n", IR_NAME_MAX, v->name,
                    type_name(v->type), v->num);
    }
    fprintf(out, "block 0x%" PRIx64, f->pc);
    if (f->flags)
        fprintf(out, " flags=0x%" PRIx32, f->flags);
    if (f->env_size)
        fprintf(out, " env_size=0x%" PRIx32, f->env_size);
    fputc('\n', out);
    print_temps(out, f);
    for (uint32_t i = 0; i < f->ninsns; i++) {
        const struct ir_insn *in = &f->insns[i];
        if (!(in->op == IR_OP_set_label && in->ncarg == 1))
            fputs("  ", out);
        ir_print_insn(out, f, in);
        fputc('\n', out);
    }
}

/* ---- parser: numbers and names -------------------------------------------- */

/* Largest label number the parser accepts (labels are dense small integers). */
#define PARSE_LABEL_MAX 1000000u
/* More operands than any op takes; the rest are only counted. */
#define PARSE_MAX_TOKENS 16

/* Decimal or 0x-hex with an optional '-': sign and magnitude.  False if `s` is
 * not entirely a number or the magnitude does not fit 64 bits (*overflow says
 * which, if non-NULL). */
static bool parse_num_ovf(const char *s, bool *neg, uint64_t *mag, bool *overflow)
{
    bool ovf = false;
    if (overflow)
        *overflow = false;
    *neg = *s == '-';
    if (*neg)
        s++;
    uint64_t v = 0;
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s)
        return false;
    for (; *s; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            return false;
        if (v > (UINT64_MAX - d) / base)
            ovf = true;
        v = v * base + d;
    }
    if (overflow)
        *overflow = ovf;
    *mag = v;
    return !ovf;
}

static bool parse_num(const char *s, bool *neg, uint64_t *mag)
{
    return parse_num_ovf(s, neg, mag, NULL);
}

/* A number as a 64-bit pattern: anything in [-2^63, 2^64). */
static bool parse_u64(const char *s, uint64_t *out)
{
    bool neg;
    uint64_t mag;
    if (!parse_num(s, &neg, &mag))
        return false;
    if (neg && mag > (1ull << 63))
        return false;
    *out = neg ? 0 - mag : mag;
    return true;
}

/* A signed number in [-2^63, 2^63). */
static bool parse_s64(const char *s, int64_t *out)
{
    bool neg;
    uint64_t mag;
    if (!parse_num(s, &neg, &mag))
        return false;
    if (neg ? mag > (1ull << 63) : mag > (uint64_t)INT64_MAX)
        return false;
    *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return true;
}

/* A constant of type t: i32 takes anything that fits 32 bits signed or unsigned. */
static bool parse_const_value(const char *s, enum ir_type t, uint64_t *out)
{
    bool neg;
    uint64_t mag;
    if (!parse_num(s, &neg, &mag))
        return false;
    uint64_t max_pos = t == IR_I32 ? UINT32_MAX : UINT64_MAX;
    uint64_t max_neg = t == IR_I32 ? 1ull << 31 : 1ull << 63;
    if (neg ? mag > max_neg : mag > max_pos)
        return false;
    *out = (neg ? 0 - mag : mag) & ir_type_mask(t);
    return true;
}

static bool is_ident(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

/* "<prefix><digits>" with a value <= max: the number, else -1. */
static int64_t parse_numbered(const char *s, char prefix, uint64_t max)
{
    if (*s != prefix || !s[1])
        return -1;
    uint64_t v = 0;
    for (s++; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max)
            return -1;
    }
    return (int64_t)v;
}

static bool is_numbered(const char *s, char prefix)
{
    if (*s != prefix || !s[1])
        return false;
    for (s++; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static int parse_type(const char *s)
{
    if (strcmp(s, "i32") == 0)
        return IR_I32;
    if (strcmp(s, "i64") == 0)
        return IR_I64;
    return -1;
}

/* ---- parser state --------------------------------------------------------- */

struct parse_global {
    char name[IR_NAME_MAX];
    uint8_t type;
    uint32_t offset;
    unsigned line;
};

struct parser {
    const char *name;
    unsigned line;
    char *err;
    size_t errlen;
    bool failed;

    struct ir_module *m;
    unsigned cap_funcs;
    struct parse_global *globals;
    unsigned nglobals, cap_globals;

    /* the block being parsed */
    bool in_block;
    struct ir_func f;
    unsigned block_line;
    ir_ref *temps; /* ordinal -> ref */
    unsigned ntemps, cap_temps;
    ir_ref *global_refs; /* globals[i] -> its ref in this block */
    unsigned block_nglobals, cap_global_refs; /* globals declared before the block */
    unsigned *insn_lines;
    unsigned cap_insn_lines;
    int64_t max_label; /* -1: none */
};

static void perr_at(struct parser *p, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void perr_at(struct parser *p, unsigned line, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    if (!p->err || !p->errlen)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(p->err, p->errlen, "%s:%u: %s", p->name, line, msg);
}
#define perr(p, ...) perr_at((p), (p)->line, __VA_ARGS__)

static bool grow_array(void **a, unsigned *cap, unsigned need, size_t elem)
{
    if (need <= *cap)
        return true;
    unsigned n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*a, (size_t)n * elem);
    if (!q)
        return false;
    *a = q;
    *cap = n;
    return true;
}

static const struct parse_global *find_global(const struct parser *p, const char *name)
{
    for (unsigned i = 0; i < p->nglobals; i++)
        if (strcmp(p->globals[i].name, name) == 0)
            return &p->globals[i];
    return NULL;
}

/* Split `s` at whitespace into at most `max` words (NUL-terminated in place);
 * returns the number of words found (which may exceed max). */
static unsigned split_words(char *s, char **w, unsigned max)
{
    unsigned n = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\v' || *s == '\f')
            s++;
        if (!*s)
            return n;
        if (n < max)
            w[n] = s;
        n++;
        while (*s && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\v' && *s != '\f')
            s++;
        if (*s)
            *s++ = 0;
    }
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\v' || *s == '\f')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\v' ||
                 s[n - 1] == '\f'))
        s[--n] = 0;
    return s;
}

/* ---- parser: declarations ------------------------------------------------- */

/* global NAME:TYPE @OFFSET */
static void parse_global_decl(struct parser *p, char *rest)
{
    char *w[3];
    unsigned n = split_words(rest, w, 3);
    char *colon = n >= 1 ? strchr(w[0], ':') : NULL;
    if (n != 2 || !colon || w[1][0] != '@') {
        perr(p, "global expects 'name:type @offset', e.g. 'global x0:i64 @0x40'");
        return;
    }
    *colon = 0;
    const char *name = w[0], *tname = colon + 1;
    if (!is_ident(name)) {
        perr(p, "global name '%s' is not an identifier ([A-Za-z_][A-Za-z0-9_]*)", name);
        return;
    }
    if (strlen(name) >= IR_NAME_MAX) {
        perr(p, "global name '%s' is longer than %d characters", name, IR_NAME_MAX - 1);
        return;
    }
    if (is_numbered(name, 't')) {
        perr(p, "global name '%s' looks like a temp (t<n> names are reserved for temps)", name);
        return;
    }
    int t = parse_type(tname);
    if (t < 0) {
        perr(p, "unknown type '%s' for global %s (expected i32 or i64)", tname, name);
        return;
    }
    uint64_t off;
    if (!parse_u64(w[1] + 1, &off) || off > UINT32_MAX) {
        perr(p, "global %s: bad offset '%s' (expected a number below 2^32)", name, w[1] + 1);
        return;
    }
    unsigned size = t == IR_I32 ? 4 : 8;
    const struct parse_global *old = find_global(p, name);
    if (old) {
        if (old->type == t && old->offset == off)
            return; /* the same declaration again (e.g. concatenated printouts) */
        perr(p, "global %s redeclared differently (first declared at line %u as %s:%s @0x%" PRIx32 ")",
             name, old->line, old->name, ir_type_names[old->type], old->offset);
        return;
    }
    if (off % size) {
        perr(p, "global %s: offset 0x%" PRIx64 " is not aligned to its size %u", name, off, size);
        return;
    }
    for (unsigned i = 0; i < p->nglobals; i++) {
        const struct parse_global *g = &p->globals[i];
        uint64_t gsize = g->type == IR_I32 ? 4 : 8;
        if (off < g->offset + gsize && g->offset < off + size) {
            perr(p, "global %s [0x%" PRIx64 ", 0x%" PRIx64 ") overlaps %s (line %u)", name, off,
                 off + size, g->name, g->line);
            return;
        }
    }
    if (!grow_array((void **)&p->globals, &p->cap_globals, p->nglobals + 1, sizeof(*p->globals))) {
        perr(p, "out of memory");
        return;
    }
    struct parse_global *g = &p->globals[p->nglobals++];
    snprintf(g->name, sizeof(g->name), "%s", name);
    g->type = (uint8_t)t;
    g->offset = (uint32_t)off;
    g->line = p->line;
}

static void finish_block(struct parser *p);

/* block PC [flags=N] [env_size=N] */
static void parse_block_decl(struct parser *p, char *rest)
{
    finish_block(p);
    if (p->failed)
        return;
    char *w[4];
    unsigned n = split_words(rest, w, 4);
    uint64_t pc;
    if (n < 1 || n > 3 || !parse_u64(w[0], &pc)) {
        perr(p, "block expects 'block <pc> [flags=N] [env_size=N]'");
        return;
    }
    ir_func_init(&p->f);
    p->in_block = true;
    p->block_line = p->line;
    p->ntemps = 0;
    p->max_label = -1;
    p->f.pc = pc;
    for (unsigned i = 1; i < n; i++) {
        char *eq = strchr(w[i], '=');
        uint64_t v;
        if (eq)
            *eq = 0;
        if (!eq || (strcmp(w[i], "flags") != 0 && strcmp(w[i], "env_size") != 0)) {
            perr(p, "unknown block attribute '%s' (expected flags=N or env_size=N)", w[i]);
            return;
        }
        if (!parse_u64(eq + 1, &v) || v > UINT32_MAX) {
            perr(p, "block %s: bad value '%s' (expected a number below 2^32)", w[i], eq + 1);
            return;
        }
        if (w[i][0] == 'f')
            p->f.flags = (uint32_t)v;
        else
            p->f.env_size = (uint32_t)v;
    }
    if (!grow_array((void **)&p->global_refs, &p->cap_global_refs, p->nglobals + 1,
                    sizeof(*p->global_refs))) {
        perr(p, "out of memory");
        return;
    }
    for (unsigned i = 0; i < p->nglobals; i++) {
        const struct parse_global *g = &p->globals[i];
        p->global_refs[i] = ir_global(&p->f, (enum ir_type)g->type, g->offset, g->name);
    }
    p->block_nglobals = p->nglobals;
    if (p->f.err)
        perr(p, "%s", p->f.errmsg);
}

/* temps t0:i64 t1:i32 ... (numbered in declaration order) */
static void parse_temps_decl(struct parser *p, char *s)
{
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\v' || *s == '\f')
            s++;
        if (!*s)
            return;
        char *word = s;
        while (*s && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\v' && *s != '\f')
            s++;
        if (*s)
            *s++ = 0;
        char *colon = strchr(word, ':');
        if (!colon) {
            perr(p, "temps expects 'tN:type' words, got '%s'", word);
            return;
        }
        *colon = 0;
        int64_t num = parse_numbered(word, 't', UINT32_MAX);
        if (num < 0) {
            perr(p, "temp name '%s' must be t<n>", word);
            return;
        }
        if ((uint64_t)num < p->ntemps) {
            perr(p, "temp %s is declared twice", word);
            return;
        }
        if ((uint64_t)num != p->ntemps) {
            perr(p, "temp %s declared out of order: expected t%u (temps are t0, t1, ... in "
                    "declaration order)", word, p->ntemps);
            return;
        }
        int t = parse_type(colon + 1);
        if (t < 0) {
            perr(p, "unknown type '%s' for temp %s (expected i32 or i64)", colon + 1, word);
            return;
        }
        if (!grow_array((void **)&p->temps, &p->cap_temps, p->ntemps + 1, sizeof(*p->temps))) {
            perr(p, "out of memory");
            return;
        }
        ir_ref r = ir_temp(&p->f, (enum ir_type)t);
        if (!r) {
            perr(p, "%s", p->f.errmsg);
            return;
        }
        p->temps[p->ntemps++] = r;
    }
}

/* ---- parser: instructions ------------------------------------------------- */

static bool note_insn_line(struct parser *p, int idx)
{
    if (idx < 0) {
        perr(p, "%s", p->f.err ? p->f.errmsg : "cannot emit the instruction");
        return false;
    }
    if (!grow_array((void **)&p->insn_lines, &p->cap_insn_lines, (unsigned)idx + 1,
                    sizeof(*p->insn_lines))) {
        perr(p, "out of memory");
        return false;
    }
    p->insn_lines[idx] = p->line;
    return true;
}

static bool parse_label_ref(struct parser *p, const char *tok, int64_t *out)
{
    int64_t l = parse_numbered(tok, 'L', PARSE_LABEL_MAX);
    if (l < 0) {
        if (is_numbered(tok, 'L'))
            perr(p, "label %s is too large (at most L%u)", tok, PARSE_LABEL_MAX);
        else
            perr(p, "expected a label L<n>, got '%s'", tok);
        return false;
    }
    if (l > p->max_label)
        p->max_label = l;
    *out = l;
    return true;
}

static void list_names(char *buf, size_t n, const char *const *names, unsigned count,
                       unsigned skip_mask)
{
    size_t len = 0;
    buf[0] = 0;
    for (unsigned i = 0; i < count && len < n; i++) {
        if (skip_mask & (1u << i))
            continue;
        int k = snprintf(buf + len, n - len, "%s%s", len ? ", " : "", names[i]);
        if (k < 0)
            break;
        len += (size_t)k;
    }
}

static bool parse_memop(struct parser *p, const char *tok, bool state, const char *opname,
                        int64_t *out)
{
    char name[32];
    const char *dot = state ? NULL : strstr(tok, ".mmu");
    if (dot) { /* u32le.mmu1: the plain memop, then the MMU index */
        char base[32];
        size_t blen = (size_t)(dot - tok);
        const char *idx = dot + 4;
        if (blen >= sizeof(base) || idx[0] < '0' || idx[0] > '3' || idx[1]) {
            perr(p, "bad MMU memop '%s' (expected <memop>.mmu0 .. <memop>.mmu3)", tok);
            return false;
        }
        memcpy(base, tok, blen);
        base[blen] = 0;
        if (!parse_memop(p, base, false, opname, out))
            return false;
        *out |= IR_MO_MMU | (int64_t)(idx[0] - '0') << IR_MO_MMU_IDX_SHIFT;
        return true;
    }
    for (int64_t mo = 0; mo <= (state ? IR_MO_SIGN | IR_MO_SIZE : IR_MO_ALL); mo++) {
        unsigned size = (unsigned)mo & IR_MO_SIZE;
        if (size == 3 && (mo & IR_MO_SIGN))
            continue; /* no s64 */
        if (size == 0 && (mo & IR_MO_BE))
            continue; /* u8/s8 are spelled without a byte order */
        memop_name(name, sizeof(name), mo, state);
        if (strcmp(name, tok) == 0) {
            *out = mo;
            return true;
        }
    }
    size_t len = strlen(tok);
    if (tok[0] == 's' && strncmp(tok + 1, "64", 2) == 0)
        perr(p, "64-bit memops have no sign: use u64%s", state ? "" : tok + 3);
    else if (state && len > 2 && (strcmp(tok + len - 2, "le") == 0 || strcmp(tok + len - 2, "be") == 0))
        perr(p, "%s uses host byte order: write '%.*s', not '%s'", opname, (int)(len - 2), tok, tok);
    else if (!state && (strcmp(tok, "u16") == 0 || strcmp(tok, "s16") == 0 ||
                        strcmp(tok, "u32") == 0 || strcmp(tok, "s32") == 0 ||
                        strcmp(tok, "u64") == 0))
        perr(p, "memop '%s' needs a byte order: %sle or %sbe", tok, tok, tok);
    else if (!state && (strcmp(tok, "u8le") == 0 || strcmp(tok, "u8be") == 0 ||
                        strcmp(tok, "s8le") == 0 || strcmp(tok, "s8be") == 0))
        perr(p, "8-bit memops have no byte order: write '%.2s'", tok);
    else if (state)
        perr(p, "unknown memop '%s' for %s (expected u8, s8, u16, s16, u32, s32 or u64)", tok,
             opname);
    else
        perr(p, "unknown memop '%s' (expected u8, s8, u16le, s16le, u32le, s32le, u64le, or "
                "the same with be)", tok);
    return false;
}

static bool parse_carg(struct parser *p, const char *opname, unsigned op, unsigned i,
                       const char *tok, int64_t *out)
{
    char list[256];
    uint64_t u;
    switch (carg_kind(op, i)) {
    case CK_DEC:
        if (parse_s64(tok, out))
            return true;
        perr(p, "%s: expected a number, got '%s'", opname, tok);
        return false;
    case CK_HEX:
        if (op == IR_OP_ld_state || op == IR_OP_st_state) {
            if (parse_u64(tok, &u) && u <= UINT32_MAX) {
                *out = (int64_t)u;
                return true;
            }
            perr(p, "%s: bad state offset '%s' (expected a number below 2^32)", opname, tok);
            return false;
        }
        if (parse_u64(tok, &u)) {
            *out = (int64_t)u;
            return true;
        }
        perr(p, "%s: expected a pc, got '%s'", opname, tok);
        return false;
    case CK_COND:
        for (unsigned c = 0; c < IR_COND_COUNT; c++) {
            if (strcmp(tok, ir_cond_names[c]) == 0) {
                *out = c;
                return true;
            }
        }
        list_names(list, sizeof(list), ir_cond_names, IR_COND_COUNT, 0);
        perr(p, "unknown condition '%s' (expected one of %s)", tok, list);
        return false;
    case CK_MEMOP:
    case CK_STATE_MEMOP:
        return parse_memop(p, tok, carg_kind(op, i) == CK_STATE_MEMOP, opname, out);
    case CK_HELPER: /* resolved before the operands (it fixes their count) */
        return false;
    case CK_MB:
        for (unsigned k = 0; k < 3; k++) {
            if (strcmp(tok, mb_names[k]) == 0) {
                *out = k;
                return true;
            }
        }
        perr(p, "unknown barrier kind '%s' (expected full, ld or st)", tok);
        return false;
    case CK_LABEL:
        return parse_label_ref(p, tok, out);
    case CK_EXIT:
        for (unsigned k = 0; k < IR_EXIT_COUNT; k++) {
            if (strcmp(tok, ir_exit_names[k]) == 0) {
                *out = k;
                return true;
            }
        }
        list_names(list, sizeof(list), ir_exit_names, IR_EXIT_COUNT,
                   1u << IR_EXIT_chain | 1u << IR_EXIT_lookup | 1u << IR_EXIT_request);
        perr(p, "unknown exit reason '%s' (expected one of %s)", tok, list);
        return false;
    }
    return false;
}

/* One value operand.  `want` is its type (-1: any int type, an A slot). */
static bool parse_value(struct parser *p, const char *opname, unsigned i, bool output, int want,
                        const char *tok, ir_ref *out)
{
    if (tok[0] == '-' || (tok[0] >= '0' && tok[0] <= '9')) {
        if (output) {
            perr(p, "operand %u of %s is an output: expected a temp or global, got constant %s",
                 i + 1, opname, tok);
            return false;
        }
        enum ir_type t = want < 0 ? IR_I64 : (enum ir_type)want;
        uint64_t v;
        if (!parse_const_value(tok, t, &v)) {
            bool neg, overflow;
            uint64_t mag;
            if (parse_num_ovf(tok, &neg, &mag, &overflow) || overflow)
                perr(p, "constant %s does not fit %s", tok, ir_type_names[t]);
            else
                perr(p, "bad constant '%s' (expected decimal or 0x-hex)", tok);
            return false;
        }
        *out = ir_const(&p->f, t, v);
        if (!*out) {
            perr(p, "%s", p->f.errmsg);
            return false;
        }
        return true;
    }
    if (!is_ident(tok)) {
        perr(p, "operand %u of %s: expected a temp, global or constant, got '%s'", i + 1, opname,
             tok);
        return false;
    }
    ir_ref r = IR_NONE;
    if (is_numbered(tok, 't')) {
        int64_t k = parse_numbered(tok, 't', UINT32_MAX);
        if (k >= 0 && (uint64_t)k < p->ntemps)
            r = p->temps[k];
    } else {
        /* only the globals declared before this block belong to it */
        const struct parse_global *g = find_global(p, tok);
        if (g && (unsigned)(g - p->globals) < p->block_nglobals)
            r = p->global_refs[g - p->globals];
    }
    if (!r) {
        perr(p, "%s is not declared", tok);
        return false;
    }
    enum ir_type t = ir_val_type(&p->f, r);
    if (want >= 0 && (int)t != want) {
        perr(p, "operand %u of %s: %s is %s, expected %s", i + 1, opname, tok, ir_type_names[t],
             ir_type_names[want]);
        return false;
    }
    *out = r;
    return true;
}

/* Split "a, b, c" into trimmed operands; returns the count (may exceed max),
 * or -1 after reporting an empty or malformed operand. */
static int split_operands(struct parser *p, const char *opname, char *s, char **tok, unsigned max)
{
    s = trim(s);
    if (!*s)
        return 0;
    unsigned n = 0;
    for (;;) {
        char *comma = strchr(s, ',');
        if (comma)
            *comma = 0;
        char *t = trim(s);
        if (!*t) {
            perr(p, "%s: empty operand %u", opname, n + 1);
            return -1;
        }
        if (strpbrk(t, " \t\v\f")) {
            perr(p, "%s: operand %u '%s' has no comma before '%s'", opname, n + 1, t,
                 trim(strpbrk(t, " \t\v\f")));
            return -1;
        }
        if (n < max)
            tok[n] = t;
        n++;
        if (!comma)
            return (int)n;
        s = comma + 1;
    }
}

static void parse_insn(struct parser *p, char *mnemonic, char *rest)
{
    char opname[48];
    snprintf(opname, sizeof(opname), "%s", mnemonic);
    char *dot = strchr(mnemonic, '.');
    if (dot)
        *dot = 0;
    unsigned op = IR_OP_COUNT;
    for (unsigned k = 0; k < IR_OP_COUNT; k++) {
        if (strcmp(ir_ops[k].name, mnemonic) == 0) {
            op = k;
            break;
        }
    }
    if (op == IR_OP_COUNT) {
        perr(p, "unknown op '%s'", mnemonic);
        return;
    }
    const struct ir_opinfo *oi = &ir_ops[op];
    int type = -1;
    if (strchr(oi->sig, 'T')) {
        if (!dot) {
            perr(p, "%s needs a type suffix: %s.i32 or %s.i64", mnemonic, mnemonic, mnemonic);
            return;
        }
        type = parse_type(dot + 1);
        if (type < 0) {
            perr(p, "unknown type suffix '.%s' on %s (expected .i32 or .i64)", dot + 1, mnemonic);
            return;
        }
    } else if (dot) {
        perr(p, "%s takes no type suffix", mnemonic);
        return;
    }

    char *tok[PARSE_MAX_TOKENS];
    int ntok = split_operands(p, opname, rest, tok, PARSE_MAX_TOKENS);
    if (ntok < 0)
        return;

    unsigned nout, nin;
    int slot_type[IR_MAX_ARGS]; /* -1: A slot */
    int helper = -1;
    if (op == IR_OP_call) {
        if (ntok > PARSE_MAX_TOKENS) {
            perr(p, "call: too many operands (%d)", ntok);
            return;
        }
        if (ntok == 0 || tok[ntok - 1][0] != '@') {
            perr(p, "call needs its helper (@name) as the last operand");
            return;
        }
        helper = ir_helper_find(tok[ntok - 1] + 1);
        const struct ir_helper *h = ir_helper_get(helper);
        if (!h) {
            perr(p, "unknown helper '%s'", tok[ntok - 1]);
            return;
        }
        nout = h->ret != IR_VOID;
        nin = h->nargs;
        if (nout + nin > IR_MAX_ARGS || (nout && h->ret != IR_I32 && h->ret != IR_I64)) {
            perr(p, "helper %s has an unsupported signature", tok[ntok - 1]);
            return;
        }
        if (nout)
            slot_type[0] = h->ret;
        for (unsigned i = 0; i < nin; i++) {
            if (h->args[i] != IR_I32 && h->args[i] != IR_I64) {
                perr(p, "helper %s has an unsupported signature", tok[ntok - 1]);
                return;
            }
            slot_type[nout + i] = h->args[i];
        }
        snprintf(opname, sizeof(opname), "call %s", tok[ntok - 1]);
    } else {
        nout = (unsigned)oi->nout;
        nin = (unsigned)oi->nin;
        for (unsigned i = 0; i < nout + nin; i++) {
            char c = slot_letter(op, i);
            slot_type[i] = c == 'T' ? type : c == 'I' ? IR_I32 : c == 'L' ? IR_I64 : -1;
        }
    }
    unsigned want = nout + nin + oi->ncarg;
    if ((unsigned)ntok != want) {
        perr(p, "%s expects %u operand%s, got %d", opname, want, want == 1 ? "" : "s", ntok);
        return;
    }
    ir_ref args[IR_MAX_ARGS];
    int64_t cargs[IR_MAX_CARGS];
    for (unsigned i = 0; i < nout + nin; i++)
        if (!parse_value(p, opname, i, i < nout, slot_type[i], tok[i], &args[i]))
            return;
    for (unsigned i = 0; i < oi->ncarg; i++) {
        if (op == IR_OP_call)
            cargs[i] = helper;
        else if (!parse_carg(p, opname, op, i, tok[nout + nin + i], &cargs[i]))
            return;
    }
    note_insn_line(p, ir_emit(&p->f, (enum ir_op)op, args, nout + nin, cargs, oi->ncarg));
}

static void parse_line(struct parser *p, char *s)
{
    char *cut = strpbrk(s, ";#");
    if (cut)
        *cut = 0;
    s = trim(s);
    if (!*s)
        return;
    char *rest = s;
    while (*rest && *rest != ' ' && *rest != '\t' && *rest != '\v' && *rest != '\f')
        rest++;
    if (*rest)
        *rest++ = 0;
    const char *word = s;

    if (strcmp(word, "global") == 0) {
        parse_global_decl(p, rest);
        return;
    }
    if (strcmp(word, "block") == 0) {
        parse_block_decl(p, rest);
        return;
    }
    if (!p->in_block) {
        perr(p, "'%s' outside a block: expected 'global' or 'block' first", word);
        return;
    }
    if (strcmp(word, "temps") == 0) {
        parse_temps_decl(p, rest);
        return;
    }
    size_t len = strlen(word);
    if (len > 1 && word[len - 1] == ':') {
        s[len - 1] = 0;
        int64_t l;
        if (!parse_label_ref(p, word, &l))
            return;
        if (*trim(rest)) {
            perr(p, "unexpected '%s' after label %s: (one label per line)", trim(rest), word);
            return;
        }
        int64_t c = l;
        ir_ref none[1] = {IR_NONE}; /* not NULL: ir_emit memcpy()s from it */
        note_insn_line(p, ir_emit(&p->f, IR_OP_set_label, none, 0, &c, 1));
        return;
    }
    parse_insn(p, s, rest);
}

/* Close the current block: fix nlabels, verify, append it to the module. */
static void finish_block(struct parser *p)
{
    if (!p->in_block)
        return;
    p->in_block = false;
    struct ir_func *f = &p->f;
    if (p->failed) {
        ir_func_free(f);
        return;
    }
    f->nlabels = (uint32_t)(p->max_label + 1);
    char msg[512];
    if (f->err) {
        perr_at(p, p->block_line, "%s", f->errmsg);
    } else if (ir_verify(f, msg, sizeof(msg)) != 0) {
        /* Point at the insn the message names, else at the block. */
        unsigned line = p->block_line, k;
        if (sscanf(msg, "insn %u ", &k) == 1 && k < f->ninsns)
            line = p->insn_lines[k];
        perr_at(p, line, "%s", msg);
    }
    if (p->failed) {
        ir_func_free(f);
        return;
    }
    struct ir_module *m = p->m;
    if (!grow_array((void **)&m->funcs, &p->cap_funcs, m->nfuncs + 1, sizeof(*m->funcs))) {
        perr(p, "out of memory");
        ir_func_free(f);
        return;
    }
    m->funcs[m->nfuncs++] = *f;
    ir_func_init(f);
}

int ir_parse(const char *text, const char *name, struct ir_module *m, char *err, size_t errlen)
{
    struct parser p;
    memset(&p, 0, sizeof(p));
    p.name = name ? name : "<input>";
    p.err = err;
    p.errlen = errlen;
    p.m = m;
    p.max_label = -1;
    m->funcs = NULL;
    m->nfuncs = 0;
    if (err && errlen)
        err[0] = 0;
    ir_func_init(&p.f);

    char *buf = strdup(text ? text : "");
    if (!buf) {
        perr_at(&p, 0, "out of memory");
        return -1;
    }
    char *s = buf;
    for (p.line = 1; !p.failed; p.line++) {
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = 0;
        parse_line(&p, s);
        if (!nl)
            break;
        s = nl + 1;
    }
    if (!p.failed)
        finish_block(&p);
    else if (p.in_block)
        ir_func_free(&p.f);
    free(buf);
    free(p.globals);
    free(p.temps);
    free(p.global_refs);
    free(p.insn_lines);
    if (p.failed) {
        ir_module_free(m);
        return -1;
    }
    return 0;
}

int ir_parse_file(const char *path, struct ir_module *m, char *err, size_t errlen)
{
    m->funcs = NULL;
    m->nfuncs = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        if (err && errlen)
            snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *q = realloc(text, ncap);
            if (!q) {
                free(text);
                fclose(fp);
                if (err && errlen)
                    snprintf(err, errlen, "%s: out of memory", path);
                return -1;
            }
            text = q;
            cap = ncap;
        }
        size_t k = fread(text + len, 1, cap - len - 1, fp);
        len += k;
        if (k == 0)
            break;
    }
    bool bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(text);
        if (err && errlen)
            snprintf(err, errlen, "%s: read error", path);
        return -1;
    }
    text[len] = 0;
    if (strlen(text) != len) {
        free(text);
        if (err && errlen)
            snprintf(err, errlen, "%s: contains a NUL byte (not an IR text file?)", path);
        return -1;
    }
    int rc = ir_parse(text, path, m, err, errlen);
    free(text);
    return rc;
}

void ir_module_free(struct ir_module *m)
{
    for (unsigned i = 0; i < m->nfuncs; i++)
        ir_func_free(&m->funcs[i]);
    free(m->funcs);
    m->funcs = NULL;
    m->nfuncs = 0;
}
