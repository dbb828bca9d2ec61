/* Run-time helpers for the Advanced SIMD integer instructions the translator
 * does not open-code: element loops over copies of the source registers,
 * following the Arm pseudocode (saturation sets FPSR.QC).  Values are carried
 * as __int128 so that 64-bit elements widen, round and saturate exactly. */
#include <string.h>

#include "frontend/aarch64/a64_fp.h"

#define A64_HF_V (IR_HF_ENV | IR_HF_SIDE)

const struct ir_helper a64_hd_v_3same = {
    "a64_v_3same", (void *)a64_h_v_3same, IR_VOID, 1, {IR_I64}, A64_HF_V};
const struct ir_helper a64_hd_v_2misc = {
    "a64_v_2misc", (void *)a64_h_v_2misc, IR_VOID, 1, {IR_I64}, A64_HF_V};
const struct ir_helper a64_hd_v_across = {
    "a64_v_across", (void *)a64_h_v_across, IR_VOID, 1, {IR_I64}, A64_HF_V};
const struct ir_helper a64_hd_v_3diff = {
    "a64_v_3diff", (void *)a64_h_v_3diff, IR_VOID, 1, {IR_I64}, A64_HF_V};
const struct ir_helper a64_hd_v_shift = {
    "a64_v_shift", (void *)a64_h_v_shift, IR_VOID, 1, {IR_I64}, A64_HF_V};
const struct ir_helper a64_hd_v_perm = {
    "a64_v_perm", (void *)a64_h_v_perm, IR_VOID, 1, {IR_I64}, A64_HF_V};
/* Touches guest memory: globals in the CPU state first (precise faults). */
const struct ir_helper a64_hd_v_ldst = {
    "a64_v_ldst", (void *)a64_h_v_ldst, IR_VOID, 2, {IR_I64, IR_I64},
    IR_HF_ENV | IR_HF_SIDE | IR_HF_READS_GLOBALS};

typedef __int128 i128;

/* One helper invocation's state: element width and the QC flag. */
struct vctx {
    unsigned bits; /* element width of the result */
    bool qc;
};

static inline i128 v_smin(unsigned bits) { return -((i128)1 << (bits - 1)); }
static inline i128 v_smax(unsigned bits) { return ((i128)1 << (bits - 1)) - 1; }
static inline i128 v_umax(unsigned bits) { return ((i128)1 << bits) - 1; }

static i128 v_clamp_s(struct vctx *c, i128 v, unsigned bits)
{
    if (v > v_smax(bits)) {
        c->qc = true;
        return v_smax(bits);
    }
    if (v < v_smin(bits)) {
        c->qc = true;
        return v_smin(bits);
    }
    return v;
}

static uint64_t v_sat_s(struct vctx *c, i128 v, unsigned bits)
{
    return (uint64_t)v_clamp_s(c, v, bits);
}

static uint64_t v_sat_u(struct vctx *c, i128 v, unsigned bits)
{
    if (v > v_umax(bits)) {
        c->qc = true;
        return (uint64_t)v_umax(bits);
    }
    if (v < 0) {
        c->qc = true;
        return 0;
    }
    return (uint64_t)v;
}

static inline uint64_t v_sat(struct vctx *c, i128 v, unsigned bits, bool uns)
{
    return uns ? v_sat_u(c, v, bits) : v_sat_s(c, v, bits);
}

/* Element i of v as a signed or unsigned value. */
static inline i128 v_el(const union a64_vreg *v, unsigned es, unsigned i, bool uns)
{
    return uns ? (i128)a64_vget(v, es, i) : (i128)a64_vgets(v, es, i);
}

static inline i128 v_abs(i128 x) { return x < 0 ? -x : x; }

/* a << sh for a signed shift count (negative: right shift), optionally
 * rounding right shifts and saturating left shifts (Arm's *SHL by register). */
static uint64_t v_shift_reg(struct vctx *c, i128 a, int sh, bool uns, bool round, bool sat)
{
    unsigned bits = c->bits;
    if (sh >= 0) {
        if (sh >= (int)bits) { /* everything shifted out: 0, or saturated */
            if (!sat || a == 0)
                return 0;
            c->qc = true;
            return (uint64_t)(uns ? v_umax(bits) : a < 0 ? v_smin(bits) : v_smax(bits));
        }
        i128 r = a * ((i128)1 << sh);
        return sat ? v_sat(c, r, bits, uns) : (uint64_t)r;
    }
    unsigned s = (unsigned)-sh;
    if (s > bits + 1)
        s = bits + 1;
    if (round)
        a += (i128)1 << (s - 1);
    return (uint64_t)(a >> s);
}

/* Polynomial (carry-less) product of two bytes or wider values. */
static uint64_t v_pmul(uint64_t a, uint64_t b, unsigned bits)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < bits; i++)
        if ((b >> i) & 1)
            r ^= a << i;
    return r;
}

/* One element of a three-same op (a from Vn, b from Vm, acc from Vd). */
static uint64_t v_3same_el(struct vctx *c, unsigned op, bool uns, i128 a, i128 b, i128 acc)
{
    unsigned bits = c->bits;
    switch (op) {
    case A64_V_ADD: return (uint64_t)(a + b);
    case A64_V_SUB: return (uint64_t)(a - b);
    case A64_V_MUL: return (uint64_t)a * (uint64_t)b;
    case A64_V_MLA: return (uint64_t)acc + (uint64_t)a * (uint64_t)b;
    case A64_V_MLS: return (uint64_t)acc - (uint64_t)a * (uint64_t)b;
    case A64_V_PMUL: return v_pmul((uint64_t)a, (uint64_t)b, bits);
    case A64_V_HADD: return (uint64_t)((a + b) >> 1);
    case A64_V_RHADD: return (uint64_t)((a + b + 1) >> 1);
    case A64_V_HSUB: return (uint64_t)((a - b) >> 1);
    case A64_V_QADD: return v_sat(c, a + b, bits, uns);
    case A64_V_QSUB: return v_sat(c, a - b, bits, uns);
    case A64_V_CMGT: /* signed and unsigned (CMHI) by the operands' extension */
    case A64_V_CMHI: return a > b ? ~0ull : 0;
    case A64_V_CMGE:
    case A64_V_CMHS: return a >= b ? ~0ull : 0;
    case A64_V_CMEQ: return a == b ? ~0ull : 0;
    case A64_V_CMTST: return ((uint64_t)a & (uint64_t)b) ? ~0ull : 0;
    case A64_V_SHL: return v_shift_reg(c, a, (int8_t)b, uns, false, false);
    case A64_V_QSHL: return v_shift_reg(c, a, (int8_t)b, uns, false, true);
    case A64_V_RSHL: return v_shift_reg(c, a, (int8_t)b, uns, true, false);
    case A64_V_QRSHL: return v_shift_reg(c, a, (int8_t)b, uns, true, true);
    case A64_V_MAX: case A64_V_MAXP: return (uint64_t)(a > b ? a : b);
    case A64_V_MIN: case A64_V_MINP: return (uint64_t)(a < b ? a : b);
    case A64_V_ADDP: return (uint64_t)(a + b);
    case A64_V_ABD: return (uint64_t)v_abs(a - b);
    case A64_V_ABA: return (uint64_t)(acc + v_abs(a - b));
    case A64_V_QDMULH: return v_sat_s(c, (2 * a * b) >> bits, bits);
    case A64_V_QRDMULH: return v_sat_s(c, (2 * a * b + ((i128)1 << (bits - 1))) >> bits, bits);
    default: return 0;
    }
}

static inline bool v_op_unsigned(unsigned op, bool uns)
{
    switch (op) {
    case A64_V_CMHI: case A64_V_CMHS: return true;
    case A64_V_CMGT: case A64_V_CMGE: return false;
    case A64_V_QDMULH: case A64_V_QRDMULH: return false; /* U selects the rounding */
    default: return uns;
    }
}

static inline void v_finish(struct a64_cpu *cpu, const struct vctx *c)
{
    if (c->qc)
        cpu->fpsr |= A64_FPSR_QC;
}

/* The byte-lane forms glibc's string routines use (UMAXP, UMINP, ADDP,
 * UMAX, CMHS ...) as plain byte loops; false for anything else. */
static bool v_3same_bytes(struct a64_cpu *cpu, const struct a64_desc *d)
{
    if (d->es != 0 || d->scalar || d->imm2)
        return false;
    unsigned len = d->q ? 16 : 8;
    uint8_t cat[32], r[16];
    memcpy(cat, cpu->v[d->rn].b, len);
    memcpy(cat + len, cpu->v[d->rm].b, len);
    const uint8_t *n = cat, *m = cat + len;
    bool u = d->uns;
    switch (d->op) {
    case A64_V_MAXP:
        for (unsigned i = 0; i < len; i++) {
            uint8_t a = cat[2 * i], b = cat[2 * i + 1];
            r[i] = u ? (a > b ? a : b) : ((int8_t)a > (int8_t)b ? a : b);
        }
        break;
    case A64_V_MINP:
        for (unsigned i = 0; i < len; i++) {
            uint8_t a = cat[2 * i], b = cat[2 * i + 1];
            r[i] = u ? (a < b ? a : b) : ((int8_t)a < (int8_t)b ? a : b);
        }
        break;
    case A64_V_ADDP:
        for (unsigned i = 0; i < len; i++)
            r[i] = (uint8_t)(cat[2 * i] + cat[2 * i + 1]);
        break;
    case A64_V_MAX:
        for (unsigned i = 0; i < len; i++)
            r[i] = u ? (n[i] > m[i] ? n[i] : m[i]) : ((int8_t)n[i] > (int8_t)m[i] ? n[i] : m[i]);
        break;
    case A64_V_MIN:
        for (unsigned i = 0; i < len; i++)
            r[i] = u ? (n[i] < m[i] ? n[i] : m[i]) : ((int8_t)n[i] < (int8_t)m[i] ? n[i] : m[i]);
        break;
    case A64_V_CMHI:
        for (unsigned i = 0; i < len; i++)
            r[i] = n[i] > m[i] ? 0xff : 0;
        break;
    case A64_V_CMHS:
        for (unsigned i = 0; i < len; i++)
            r[i] = n[i] >= m[i] ? 0xff : 0;
        break;
    case A64_V_CMGT:
        for (unsigned i = 0; i < len; i++)
            r[i] = (int8_t)n[i] > (int8_t)m[i] ? 0xff : 0;
        break;
    case A64_V_CMGE:
        for (unsigned i = 0; i < len; i++)
            r[i] = (int8_t)n[i] >= (int8_t)m[i] ? 0xff : 0;
        break;
    default:
        return false;
    }
    memcpy(cpu->v[d->rd].b, r, len);
    if (!d->q)
        cpu->v[d->rd].d[1] = 0;
    return true;
}

/* Three same (and scalar, pairwise, by element: desc.imm2 = index + 1). */
/* The element loop of a three-same op; inlined once per element size so
 * that the element accesses compile to plain loads and stores. */
static inline __attribute__((always_inline)) void v_3same_loop(struct a64_cpu *cpu,
                                                               const struct a64_desc *d,
                                                               unsigned es)
{
    union a64_vreg vn = cpu->v[d->rn], vm = cpu->v[d->rm], vd = cpu->v[d->rd], r;
    memset(&r, 0, sizeof r);
    unsigned n = a64_nelem(d);
    struct vctx c = {8u << es, false};
    bool uns = v_op_unsigned(d->op, d->uns);
    bool pair = d->op == A64_V_MAXP || d->op == A64_V_MINP || d->op == A64_V_ADDP;
    for (unsigned i = 0; i < n; i++) {
        i128 a, b;
        if (pair) {
            const union a64_vreg *src = d->scalar ? &vn : i < n / 2 ? &vn : &vm;
            unsigned j = d->scalar ? 0 : (i % (n / 2)) * 2;
            a = v_el(src, es, j, uns);
            b = v_el(src, es, j + 1, uns);
        } else {
            a = v_el(&vn, es, i, uns);
            b = v_el(&vm, es, d->imm2 ? d->imm2 - 1 : i, uns);
        }
        a64_vset(&r, es, i, v_3same_el(&c, d->op, uns, a, b, v_el(&vd, es, i, uns)));
    }
    v_finish(cpu, &c);
    a64_vwrite(cpu, d->rd, &r, d->q && !d->scalar);
}

void a64_h_v_3same(struct a64_cpu *cpu, uint64_t desc)
{
    struct a64_desc d = a64_desc_unpack(desc);
    if (v_3same_bytes(cpu, &d))
        return;
    switch (d.es) {
    case 0: v_3same_loop(cpu, &d, 0); break;
    case 1: v_3same_loop(cpu, &d, 1); break;
    case 2: v_3same_loop(cpu, &d, 2); break;
    default: v_3same_loop(cpu, &d, 3); break;
    }
}

static unsigned v_cls(uint64_t x, unsigned bits)
{
    unsigned n = 0;
    bool s = (x >> (bits - 1)) & 1;
    for (int i = (int)bits - 2; i >= 0 && (((x >> i) & 1) == s); i--)
        n++;
    return n;
}

static unsigned v_clz(uint64_t x, unsigned bits)
{
    unsigned n = 0;
    for (int i = (int)bits - 1; i >= 0 && !((x >> i) & 1); i--)
        n++;
    return n;
}

static uint64_t v_rbit8(uint64_t x)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 8; i++)
        r |= ((x >> i) & 1) << (7 - i);
    return r;
}

/* Narrow results (XTN & co, ADDHN & co, SHRN & co): n elements of size es
 * into the low half of Vd (upper zeroed) or, for the "2" forms, the high half. */
static void v_write_narrow(struct a64_cpu *cpu, const struct a64_desc *d, const uint64_t *res,
                           unsigned n)
{
    union a64_vreg r;
    memset(&r, 0, sizeof r);
    if (d->part)
        r.d[0] = cpu->v[d->rd].d[0];
    for (unsigned i = 0; i < n; i++)
        a64_vset(&r, d->es, i + (d->part ? n : 0), res[i]);
    a64_vwrite(cpu, d->rd, &r, d->part);
}

void a64_h_v_2misc(struct a64_cpu *cpu, uint64_t desc)
{
    struct a64_desc d = a64_desc_unpack(desc);
    union a64_vreg vn = cpu->v[d.rn], vd = cpu->v[d.rd], r;
    memset(&r, 0, sizeof r);
    unsigned es = d.es, n = a64_nelem(&d), bits = 8u << es;
    struct vctx c = {bits, false};
    bool uns = d.uns;
    switch (d.op) {
    case A64_V_XTN: case A64_V_SQXTN: case A64_V_UQXTN: case A64_V_SQXTUN: {
        /* es = destination size; sources are 2x wide, a whole 128-bit Vn */
        uint64_t res[8];
        unsigned cnt = d.scalar ? 1 : 8u >> es;
        for (unsigned i = 0; i < cnt; i++) {
            i128 x = v_el(&vn, es + 1, i, d.op == A64_V_UQXTN);
            if (d.op == A64_V_XTN)
                res[i] = (uint64_t)x;
            else
                res[i] = v_sat(&c, x, bits, d.op != A64_V_SQXTN);
        }
        if (d.scalar) {
            a64_vset(&r, es, 0, res[0]);
            a64_vwrite(cpu, d.rd, &r, false);
        } else {
            v_write_narrow(cpu, &d, res, cnt);
        }
        v_finish(cpu, &c);
        return;
    }
    case A64_V_SHLL: { /* es = source size, from the low/high half of Vn */
        unsigned cnt = 8u >> es;
        for (unsigned i = 0; i < cnt; i++)
            a64_vset(&r, es + 1, i, a64_vget(&vn, es, i + (d.part ? cnt : 0)) << bits);
        a64_vwrite(cpu, d.rd, &r, true);
        return;
    }
    case A64_V_ADDLP: case A64_V_ADALP: { /* es = source size */
        unsigned cnt = n / 2;
        for (unsigned i = 0; i < cnt; i++) {
            i128 s = v_el(&vn, es, 2 * i, uns) + v_el(&vn, es, 2 * i + 1, uns);
            if (d.op == A64_V_ADALP)
                s += v_el(&vd, es + 1, i, uns);
            a64_vset(&r, es + 1, i, (uint64_t)s);
        }
        a64_vwrite(cpu, d.rd, &r, d.q);
        return;
    }
    case A64_V_REV16: case A64_V_REV32: case A64_V_REV64: {
        unsigned cbits = d.op == A64_V_REV16 ? 16 : d.op == A64_V_REV32 ? 32 : 64;
        unsigned k = cbits / bits;
        for (unsigned i = 0; i < n; i++)
            a64_vset(&r, es, i, a64_vget(&vn, es, i ^ (k - 1)));
        a64_vwrite(cpu, d.rd, &r, d.q);
        return;
    }
    default:
        break;
    }
    for (unsigned i = 0; i < n; i++) {
        i128 a = v_el(&vn, es, i, false); /* the rest are signed whatever U says */
        uint64_t ua = a64_vget(&vn, es, i), x;
        switch (d.op) {
        case A64_V_SUQADD: /* signed Vd + unsigned Vn */
            x = v_sat_s(&c, v_el(&vd, es, i, false) + (i128)ua, bits);
            break;
        case A64_V_USQADD: /* unsigned Vd + signed Vn */
            x = v_sat_u(&c, v_el(&vd, es, i, true) + v_el(&vn, es, i, false), bits);
            break;
        case A64_V_CLS: x = v_cls(ua, bits); break;
        case A64_V_CLZ: x = v_clz(ua, bits); break;
        case A64_V_CNT: x = (uint64_t)__builtin_popcountll(ua); break;
        case A64_V_RBIT: x = v_rbit8(ua); break;
        case A64_V_QABS: x = v_sat_s(&c, v_abs(a), bits); break;
        case A64_V_QNEG: x = v_sat_s(&c, -a, bits); break;
        case A64_V_ABS: x = (uint64_t)v_abs(a); break;
        case A64_V_NEG: x = (uint64_t)-a; break;
        case A64_V_CMGT0: x = a > 0 ? ~0ull : 0; break;
        case A64_V_CMGE0: x = a >= 0 ? ~0ull : 0; break;
        case A64_V_CMEQ0: x = a == 0 ? ~0ull : 0; break;
        case A64_V_CMLE0: x = a <= 0 ? ~0ull : 0; break;
        case A64_V_CMLT0: x = a < 0 ? ~0ull : 0; break;
        default: x = 0; break;
        }
        a64_vset(&r, es, i, x);
    }
    v_finish(cpu, &c);
    a64_vwrite(cpu, d.rd, &r, d.q && !d.scalar);
}

void a64_h_v_across(struct a64_cpu *cpu, uint64_t desc)
{
    struct a64_desc d = a64_desc_unpack(desc);
    const union a64_vreg *vn = &cpu->v[d.rn];
    unsigned n = a64_nelem(&d), es = d.es;
    bool uns = d.uns || d.op == A64_V_ADDV;
    i128 acc = v_el(vn, es, 0, uns);
    for (unsigned i = 1; i < n; i++) {
        i128 x = v_el(vn, es, i, uns);
        switch (d.op) {
        case A64_V_MAXV: acc = x > acc ? x : acc; break;
        case A64_V_MINV: acc = x < acc ? x : acc; break;
        default: acc += x; break; /* ADDV, SADDLV/UADDLV */
        }
    }
    union a64_vreg r;
    memset(&r, 0, sizeof r);
    a64_vset(&r, d.op == A64_V_ADDLV ? es + 1 : es, 0, (uint64_t)acc);
    a64_vwrite(cpu, d.rd, &r, false);
}

/* The long and wide forms of three different, inlined per element size. */
static inline __attribute__((always_inline)) void v_3diff_loop(struct a64_cpu *cpu,
                                                               const struct a64_desc *d,
                                                               unsigned es)
{
    union a64_vreg vn = cpu->v[d->rn], vm = cpu->v[d->rm], vd = cpu->v[d->rd], r;
    memset(&r, 0, sizeof r);
    unsigned bits = 8u << es;
    unsigned cnt = d->scalar ? 1 : 8u >> es, off = d->part ? cnt : 0;
    unsigned midx = d->imm2 ? d->imm2 - 1 : 0; /* by element */
    struct vctx c = {2 * bits, false};
    bool uns = d->uns || d->op == A64_V_PMULL;
    bool wide = d->op == A64_V_ADDW || d->op == A64_V_SUBW;
    for (unsigned i = 0; i < cnt; i++) {
        i128 a = wide ? v_el(&vn, es + 1, i, uns) : v_el(&vn, es, i + off, uns);
        i128 b = v_el(&vm, es, d->imm2 ? midx : i + off, uns);
        i128 acc = v_el(&vd, es + 1, i, uns);
        uint64_t x;
        switch (d->op) {
        case A64_V_ADDL: case A64_V_ADDW: x = (uint64_t)(a + b); break;
        case A64_V_SUBL: case A64_V_SUBW: x = (uint64_t)(a - b); break;
        case A64_V_ABAL: x = (uint64_t)(acc + v_abs(a - b)); break;
        case A64_V_ABDL: x = (uint64_t)v_abs(a - b); break;
        case A64_V_MLAL: x = (uint64_t)(acc + a * b); break;
        case A64_V_MLSL: x = (uint64_t)(acc - a * b); break;
        case A64_V_MULL: x = (uint64_t)(a * b); break;
        case A64_V_QDMULL: x = v_sat_s(&c, 2 * a * b, 2 * bits); break;
        case A64_V_QDMLAL:
        case A64_V_QDMLSL: {
            i128 p = v_clamp_s(&c, 2 * a * b, 2 * bits);
            x = v_sat_s(&c, d->op == A64_V_QDMLAL ? acc + p : acc - p, 2 * bits);
            break;
        }
        case A64_V_PMULL: x = v_pmul((uint64_t)a, (uint64_t)b, bits); break;
        default: x = 0; break;
        }
        a64_vset(&r, es + 1, i, x);
    }
    v_finish(cpu, &c);
    a64_vwrite(cpu, d->rd, &r, !d->scalar);
}

/* Three different: desc.es = the narrow element size. */
void a64_h_v_3diff(struct a64_cpu *cpu, uint64_t desc)
{
    struct a64_desc d = a64_desc_unpack(desc);
    unsigned es = d.es, bits = 8u << es;
    if (d.op == A64_V_ADDHN || d.op == A64_V_RADDHN || d.op == A64_V_SUBHN ||
        d.op == A64_V_RSUBHN) {
        const union a64_vreg *vn = &cpu->v[d.rn], *vm = &cpu->v[d.rm];
        unsigned cnt = 8u >> es;
        uint64_t res[8];
        for (unsigned i = 0; i < cnt; i++) {
            uint64_t a = a64_vget(vn, es + 1, i), b = a64_vget(vm, es + 1, i);
            i128 s = (d.op == A64_V_ADDHN || d.op == A64_V_RADDHN) ? (i128)a + b : (i128)a - b;
            if (d.op == A64_V_RADDHN || d.op == A64_V_RSUBHN)
                s += (i128)1 << (bits - 1);
            res[i] = (uint64_t)(s >> bits);
        }
        v_write_narrow(cpu, &d, res, cnt);
        return;
    }
    switch (es) {
    case 0: v_3diff_loop(cpu, &d, 0); break;
    case 1: v_3diff_loop(cpu, &d, 1); break;
    default: v_3diff_loop(cpu, &d, 2); break;
    }
}

/* The element-wise shifts, inlined per element size. */
static inline __attribute__((always_inline)) void v_shift_loop(struct a64_cpu *cpu,
                                                               const struct a64_desc *d,
                                                               unsigned es)
{
    union a64_vreg vn = cpu->v[d->rn], vd = cpu->v[d->rd], r;
    memset(&r, 0, sizeof r);
    unsigned bits = 8u << es, sh = d->imm, n = a64_nelem(d);
    struct vctx c = {bits, false};
    bool uns = d->uns;
    uint64_t emask = bits == 64 ? ~0ull : (1ull << bits) - 1;
    for (unsigned i = 0; i < n; i++) {
        i128 a = v_el(&vn, es, i, uns);
        uint64_t ua = a64_vget(&vn, es, i), acc = a64_vget(&vd, es, i), x;
        switch (d->op) {
        case A64_V_SHR: x = (uint64_t)(a >> sh); break;
        case A64_V_SRA: x = acc + (uint64_t)(a >> sh); break;
        case A64_V_RSHR: x = (uint64_t)((a + ((i128)1 << (sh - 1))) >> sh); break;
        case A64_V_RSRA: x = acc + (uint64_t)((a + ((i128)1 << (sh - 1))) >> sh); break;
        case A64_V_SRI: {
            uint64_t mask = sh >= 64 ? 0 : emask >> sh;
            x = (acc & ~mask) | ((sh >= 64 ? 0 : ua >> sh) & mask);
            break;
        }
        case A64_V_SHLI: x = ua << sh; break;
        case A64_V_SLI: {
            uint64_t mask = (emask << sh) & emask;
            x = (acc & ~mask) | ((ua << sh) & mask);
            break;
        }
        case A64_V_QSHLU: x = v_sat_u(&c, v_el(&vn, es, i, false) * ((i128)1 << sh), bits); break;
        case A64_V_QSHLI: x = v_sat(&c, a * ((i128)1 << sh), bits, uns); break;
        default: x = 0; break;
        }
        a64_vset(&r, es, i, x);
    }
    v_finish(cpu, &c);
    a64_vwrite(cpu, d->rd, &r, d->q && !d->scalar);
}

/* Shift by immediate: desc.imm = shift amount, desc.es = element size (the
 * narrow one for the narrowing forms; SSHLL/USHLL are open-coded). */
void a64_h_v_shift(struct a64_cpu *cpu, uint64_t desc)
{
    struct a64_desc d = a64_desc_unpack(desc);
    union a64_vreg vn = cpu->v[d.rn], r;
    memset(&r, 0, sizeof r);
    unsigned es = d.es, bits = 8u << es, sh = d.imm;
    struct vctx c = {bits, false};
    bool uns = d.uns;
    switch (d.op) {
    case A64_V_SHRN: case A64_V_RSHRN: case A64_V_QSHRN: case A64_V_QRSHRN:
    case A64_V_QSHRUN: case A64_V_QRSHRUN: {
        uint64_t res[8];
        unsigned cnt = d.scalar ? 1 : 8u >> es;
        bool round = d.op == A64_V_RSHRN || d.op == A64_V_QRSHRN || d.op == A64_V_QRSHRUN;
        for (unsigned i = 0; i < cnt; i++) {
            bool src_uns = d.op == A64_V_SHRN || d.op == A64_V_RSHRN ||
                           ((d.op == A64_V_QSHRN || d.op == A64_V_QRSHRN) && uns);
            i128 a = v_el(&vn, es + 1, i, src_uns);
            if (round)
                a += (i128)1 << (sh - 1);
            a >>= sh;
            if (d.op == A64_V_SHRN || d.op == A64_V_RSHRN)
                res[i] = (uint64_t)a;
            else
                res[i] = v_sat(&c, a, bits, d.op == A64_V_QSHRUN || d.op == A64_V_QRSHRUN || uns);
        }
        if (d.scalar) {
            a64_vset(&r, es, 0, res[0]);
            a64_vwrite(cpu, d.rd, &r, false);
        } else {
            v_write_narrow(cpu, &d, res, cnt);
        }
        v_finish(cpu, &c);
        return;
    }
    default:
        break;
    }
    switch (es) {
    case 0: v_shift_loop(cpu, &d, 0); break;
    case 1: v_shift_loop(cpu, &d, 1); break;
    case 2: v_shift_loop(cpu, &d, 2); break;
    default: v_shift_loop(cpu, &d, 3); break;
    }
}

/* UZP/ZIP/TRN of 8/16-bit elements (desc.es), TBL/TBX (desc.imm = table
 * registers 1..4 starting at Vn, indices in Vm).  EXT and the wider permutes
 * are open-coded (a64_simd_inline.c). */
void a64_h_v_perm(struct a64_cpu *cpu, uint64_t desc)
{
    struct a64_desc d = a64_desc_unpack(desc);
    union a64_vreg vn = cpu->v[d.rn], vm = cpu->v[d.rm], r;
    memset(&r, 0, sizeof r);
    unsigned es = d.es, n = a64_nelem(&d), half = n / 2;
    switch (d.op) {
    case A64_V_UZP1: case A64_V_UZP2: {
        unsigned o = d.op == A64_V_UZP2;
        for (unsigned i = 0; i < n; i++) {
            unsigned j = 2 * i + o;
            a64_vset(&r, es, i, j < n ? a64_vget(&vn, es, j) : a64_vget(&vm, es, j - n));
        }
        break;
    }
    case A64_V_ZIP1: case A64_V_ZIP2: {
        unsigned base = d.op == A64_V_ZIP2 ? half : 0;
        for (unsigned i = 0; i < half; i++) {
            a64_vset(&r, es, 2 * i, a64_vget(&vn, es, base + i));
            a64_vset(&r, es, 2 * i + 1, a64_vget(&vm, es, base + i));
        }
        break;
    }
    case A64_V_TRN1: case A64_V_TRN2: {
        unsigned o = d.op == A64_V_TRN2;
        for (unsigned i = 0; i < half; i++) {
            a64_vset(&r, es, 2 * i, a64_vget(&vn, es, 2 * i + o));
            a64_vset(&r, es, 2 * i + 1, a64_vget(&vm, es, 2 * i + o));
        }
        break;
    }
    default: { /* TBL, TBX */
        uint8_t table[64];
        unsigned len = d.imm;
        for (unsigned t = 0; t < len; t++)
            memcpy(table + 16 * t, cpu->v[(d.rn + t) % 32].b, 16);
        const union a64_vreg *old = &cpu->v[d.rd];
        unsigned bytes = d.q ? 16 : 8;
        for (unsigned i = 0; i < bytes; i++) {
            unsigned idx = vm.b[i];
            r.b[i] = idx < 16 * len ? table[idx] : d.op == A64_V_TBX ? old->b[i] : 0;
        }
        break;
    }
    }
    a64_vwrite(cpu, d.rd, &r, d.q);
}

/* LD2/LD3/LD4, ST2/ST3/ST4 (multiple structures): element e of register
 * t + s is at addr + (e * selem + s) * ebytes. */
void a64_h_v_ldst(struct a64_cpu *cpu, uint64_t addr, uint64_t desc)
{
    struct a64_desc d = a64_desc_unpack(desc);
    unsigned selem = d.op, es = d.es, ebytes = 1u << es;
    unsigned n = (d.q ? 16u : 8u) >> es;
    uint8_t *mem = cpu->head.guest_base + addr;
    if (d.uns) {
        union a64_vreg r[4];
        memset(r, 0, sizeof r);
        for (unsigned e = 0; e < n; e++)
            for (unsigned s = 0; s < selem; s++)
                memcpy(&r[s].b[e * ebytes], mem + (e * selem + s) * ebytes, ebytes);
        for (unsigned s = 0; s < selem; s++)
            a64_vwrite(cpu, (d.rd + s) % 32, &r[s], d.q);
    } else {
        for (unsigned e = 0; e < n; e++)
            for (unsigned s = 0; s < selem; s++)
                memcpy(mem + (e * selem + s) * ebytes, &cpu->v[(d.rd + s) % 32].b[e * ebytes],
                       ebytes);
    }
}
