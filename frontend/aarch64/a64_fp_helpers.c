/* Run-time helpers of the FP translators (scalar FP and the FP forms of
 * Advanced SIMD): each reads its operands from cpu->v[], runs the element
 * operations of a64_fp_ops.c inside one FP environment bracket, writes Vd and
 * ORs the exceptions into FPSR.  Called from IR with IR_HF_ENV. */
#include <math.h>
#include <string.h>

#include "frontend/aarch64/a64_fp.h"

#define A64_HF_FP (IR_HF_ENV | IR_HF_SIDE)

const struct ir_helper a64_hd_fp_binary = {
    "a64_fp_binary", (void *)a64_h_fp_binary, IR_VOID, 1, {IR_I64}, A64_HF_FP};
const struct ir_helper a64_hd_fp_unary = {
    "a64_fp_unary", (void *)a64_h_fp_unary, IR_VOID, 1, {IR_I64}, A64_HF_FP};
const struct ir_helper a64_hd_fp_convert = {
    "a64_fp_convert", (void *)a64_h_fp_convert, IR_VOID, 1, {IR_I64}, A64_HF_FP};
const struct ir_helper a64_hd_fp_arith[2][4] = {
    {
        {"a64_fadd_s", (void *)a64_h_fadd_s, IR_I64, 2, {IR_I64, IR_I64}, A64_HF_FP},
        {"a64_fsub_s", (void *)a64_h_fsub_s, IR_I64, 2, {IR_I64, IR_I64}, A64_HF_FP},
        {"a64_fmul_s", (void *)a64_h_fmul_s, IR_I64, 2, {IR_I64, IR_I64}, A64_HF_FP},
        {"a64_fdiv_s", (void *)a64_h_fdiv_s, IR_I64, 2, {IR_I64, IR_I64}, A64_HF_FP},
    },
    {
        {"a64_fadd_d", (void *)a64_h_fadd_d, IR_I64, 2, {IR_I64, IR_I64}, A64_HF_FP},
        {"a64_fsub_d", (void *)a64_h_fsub_d, IR_I64, 2, {IR_I64, IR_I64}, A64_HF_FP},
        {"a64_fmul_d", (void *)a64_h_fmul_d, IR_I64, 2, {IR_I64, IR_I64}, A64_HF_FP},
        {"a64_fdiv_d", (void *)a64_h_fdiv_d, IR_I64, 2, {IR_I64, IR_I64}, A64_HF_FP},
    },
};
const struct ir_helper a64_hd_fp_muladd[2] = {
    {"a64_fmuladd_s", (void *)a64_h_fmuladd_s, IR_I64, 3, {IR_I64, IR_I64, IR_I64}, A64_HF_FP},
    {"a64_fmuladd_d", (void *)a64_h_fmuladd_d, IR_I64, 3, {IR_I64, IR_I64, IR_I64}, A64_HF_FP},
};
const struct ir_helper a64_hd_fp_cmp = {
    "a64_fp_cmp", (void *)a64_h_fp_cmp, IR_I32, 1, {IR_I64}, A64_HF_FP};
const struct ir_helper a64_hd_fp_reduce = {
    "a64_fp_reduce", (void *)a64_h_fp_reduce, IR_VOID, 1, {IR_I64}, A64_HF_FP};
const struct ir_helper a64_hd_fp_to_gpr = {
    "a64_fp_to_gpr", (void *)a64_h_fp_to_gpr, IR_I64, 1, {IR_I64}, A64_HF_FP};
const struct ir_helper a64_hd_fp_from_gpr = {
    "a64_fp_from_gpr", (void *)a64_h_fp_from_gpr, IR_I64, 2, {IR_I64, IR_I64}, A64_HF_FP};

static inline uint64_t fp_ones(unsigned sz) { return sz == 3 ? ~0ull : (1ull << (8u << sz)) - 1; }

/* One element of a two-operand op; acc is Vd's element (FMLA/FMLS). */
static uint64_t fp_binop(struct a64_fpst *st, unsigned op, unsigned sz, uint64_t a, uint64_t b,
                         uint64_t acc)
{
    switch (op) {
    case A64_F_ADD: return a64_f_add(st, sz, a, b);
    case A64_F_SUB: return a64_f_sub(st, sz, a, b);
    case A64_F_MUL: return a64_f_mul(st, sz, a, b);
    case A64_F_DIV: return a64_f_div(st, sz, a, b);
    case A64_F_MAX: return a64_f_max(st, sz, a, b, false);
    case A64_F_MIN: return a64_f_max(st, sz, a, b, true);
    case A64_F_MAXNM: return a64_f_maxnm(st, sz, a, b, false);
    case A64_F_MINNM: return a64_f_maxnm(st, sz, a, b, true);
    case A64_F_NMUL: return a64_f_neg(sz, a64_f_mul(st, sz, a, b));
    case A64_F_MULX: return a64_f_mulx(st, sz, a, b);
    case A64_F_ABD: return a64_f_abs(sz, a64_f_sub(st, sz, a, b));
    case A64_F_CMEQ: return a64_f_cmp_eq(st, sz, a, b) ? fp_ones(sz) : 0;
    case A64_F_CMGE: return a64_f_cmp_ge(st, sz, a, b) ? fp_ones(sz) : 0;
    case A64_F_CMGT: return a64_f_cmp_gt(st, sz, a, b) ? fp_ones(sz) : 0;
    case A64_F_ACGE:
        return a64_f_cmp_ge(st, sz, a64_f_abs(sz, a), a64_f_abs(sz, b)) ? fp_ones(sz) : 0;
    case A64_F_ACGT:
        return a64_f_cmp_gt(st, sz, a64_f_abs(sz, a), a64_f_abs(sz, b)) ? fp_ones(sz) : 0;
    case A64_F_RECPS: return a64_f_recps(st, sz, a, b);
    case A64_F_RSQRTS: return a64_f_rsqrts(st, sz, a, b);
    case A64_F_MLA: return a64_f_muladd(st, sz, acc, a, b);
    case A64_F_MLS: return a64_f_muladd(st, sz, acc, a64_f_neg(sz, a), b);
    default: return 0;
    }
}

static inline double fp_d(uint64_t x)
{
    double d;
    memcpy(&d, &x, 8);
    return d;
}
static inline uint64_t fp_du(double d)
{
    uint64_t x;
    memcpy(&x, &d, 8);
    return x;
}
static inline float fp_f(uint64_t x)
{
    uint32_t w = (uint32_t)x;
    float f;
    memcpy(&f, &w, 4);
    return f;
}
static inline uint64_t fp_fu(float f)
{
    uint32_t w;
    memcpy(&w, &f, 4);
    return w;
}

/* One lane of FADD/FSUB/FMUL/FDIV/FMLA/FMLS on the host (round to nearest). */
static inline uint64_t fp_lane_fast(unsigned op, unsigned sz, uint64_t a, uint64_t b, uint64_t acc)
{
    if (sz == 3) {
        double x = fp_d(a), y = fp_d(b), z = fp_d(acc);
        switch (op) {
        case A64_F_ADD: return fp_du(x + y);
        case A64_F_SUB: return fp_du(x - y);
        case A64_F_MUL: return fp_du(x * y);
        case A64_F_DIV: return fp_du(x / y);
        case A64_F_MLA: return fp_du(fma(x, y, z));
        default: return fp_du(fma(-x, y, z));
        }
    }
    float x = fp_f(a), y = fp_f(b), z = fp_f(acc);
    switch (op) {
    case A64_F_ADD: return fp_fu(x + y);
    case A64_F_SUB: return fp_fu(x - y);
    case A64_F_MUL: return fp_fu(x * y);
    case A64_F_DIV: return fp_fu(x / y);
    case A64_F_MLA: return fp_fu(fmaf(x, y, z));
    default: return fp_fu(fmaf(-x, y, z));
    }
}

/* The fast path (a64_fp_fast_ok) of a whole element-wise or by-element
 * FADD/FSUB/FMUL/FDIV/FMLA/FMLS: false (nothing written) if any lane needs
 * the full path.  Inlined per element size (sz 2 or 3). */
static inline __attribute__((always_inline)) bool fp_binary_fast_sz(struct a64_cpu *cpu,
                                                                    const struct a64_desc *d,
                                                                    unsigned sz)
{
    unsigned op = d->op, n = d->scalar ? 1u : (d->q ? 16u : 8u) >> sz;
    const union a64_vreg *vn = &cpu->v[d->rn], *vm = &cpu->v[d->rm], *vd = &cpu->v[d->rd];
    union a64_vreg r = {{0}};
    bool acc = op == A64_F_MLA || op == A64_F_MLS;
    for (unsigned i = 0; i < n; i++) {
        uint64_t a = a64_vget(vn, sz, i), b = a64_vget(vm, sz, d->imm2 ? d->imm2 - 1 : i);
        uint64_t c = acc ? a64_vget(vd, sz, i) : 0;
        if (a64_fp_is_nan(sz, a) || a64_fp_is_nan(sz, b) || a64_fp_is_nan(sz, c))
            return false;
        uint64_t x = fp_lane_fast(op, sz, a, b, c);
        if (!a64_fp_fast_ok(sz, x, op == A64_F_ADD || op == A64_F_SUB))
            return false;
        a64_vset(&r, sz, i, x);
    }
    a64_vwrite(cpu, d->rd, &r, d->q && !d->scalar);
    return true;
}

static bool fp_binary_fast(struct a64_cpu *cpu, const struct a64_desc *d)
{
    unsigned op = d->op;
    if ((d->imm & 1) || !a64_fp_fast_env(cpu) ||
        (op > A64_F_DIV && op != A64_F_MLA && op != A64_F_MLS))
        return false;
    return d->es == 3 ? fp_binary_fast_sz(cpu, d, 3) : fp_binary_fast_sz(cpu, d, 2);
}

/* FCMEQ/FCMGE/FCMGT/FACGE/FACGT (and the compares with zero, b = 0 and the
 * operands swapped for LE/LT): numbers compare without exceptions, so with
 * FZ clear and no NaN lane the host compare is exact.  false: full path. */
_Static_assert(A64_F_CMGE == A64_F_CMEQ + 1 && A64_F_CMGT == A64_F_CMEQ + 2 &&
                   A64_F_ACGE == A64_F_CMEQ + 3 && A64_F_ACGT == A64_F_CMEQ + 4 &&
                   A64_F_CMGE0 == A64_F_CMEQ0 + 1 && A64_F_CMGT0 == A64_F_CMEQ0 + 2 &&
                   A64_F_CMLE0 == A64_F_CMEQ0 + 3 && A64_F_CMLT0 == A64_F_CMEQ0 + 4,
               "compare op order (fp_cmp_fast callers)");
static bool fp_cmp_fast(struct a64_cpu *cpu, const struct a64_desc *d, unsigned op, bool zero,
                        bool swap)
{
    unsigned n = a64_nelem(d), sz = d->es;
    if ((cpu->fpcr & A64_FPCR_FZ) || sz < 2 || (d->imm & 1))
        return false;
    const union a64_vreg *vn = &cpu->v[d->rn], *vm = &cpu->v[d->rm];
    union a64_vreg r = {{0}};
    for (unsigned i = 0; i < n; i++) {
        uint64_t a = a64_vget(vn, sz, i), b = zero ? 0 : a64_vget(vm, sz, d->imm2 ? d->imm2 - 1 : i);
        if (a64_fp_is_nan(sz, a) || a64_fp_is_nan(sz, b))
            return false;
        if (op == A64_F_ACGE || op == A64_F_ACGT) {
            a = a64_f_abs(sz, a);
            b = a64_f_abs(sz, b);
        }
        if (swap) {
            uint64_t t = a;
            a = b;
            b = t;
        }
        double x = sz == 3 ? fp_d(a) : (double)fp_f(a), y = sz == 3 ? fp_d(b) : (double)fp_f(b);
        bool t = op == A64_F_CMEQ ? x == y : (op == A64_F_CMGT || op == A64_F_ACGT) ? x > y : x >= y;
        a64_vset(&r, sz, i, t ? fp_ones(sz) : 0);
    }
    a64_vwrite(cpu, d->rd, &r, d->q && !d->scalar);
    return true;
}

/* FADD & co: element-wise, pairwise (desc.imm bit 0: over the concatenation
 * Vm:Vn) or by element (desc.imm2 = index + 1: every m is Vm[index]). */
void a64_h_fp_binary(struct a64_cpu *cpu, uint64_t desc)
{
    struct a64_desc d = a64_desc_unpack(desc);
    if (fp_binary_fast(cpu, &d))
        return;
    if (d.op >= A64_F_CMEQ && d.op <= A64_F_ACGT && fp_cmp_fast(cpu, &d, d.op, false, false))
        return;
    unsigned n = a64_nelem(&d), sz = d.es;
    union a64_vreg vn = cpu->v[d.rn], vm = cpu->v[d.rm], vd = cpu->v[d.rd], r = {{0}};
    struct a64_fpst st;
    a64_fpst_begin(&st, cpu);
    for (unsigned i = 0; i < n; i++) {
        uint64_t a, b;
        if (d.imm & 1) {
            const union a64_vreg *src = i < n / 2 ? &vn : &vm;
            unsigned j = (i % (n / 2)) * 2;
            a = a64_vget(src, sz, j);
            b = a64_vget(src, sz, j + 1);
        } else {
            a = a64_vget(&vn, sz, i);
            b = a64_vget(&vm, sz, d.imm2 ? d.imm2 - 1 : i);
        }
        a64_vset(&r, sz, i, fp_binop(&st, d.op, sz, a, b, a64_vget(&vd, sz, i)));
    }
    a64_fpst_end(&st, cpu);
    a64_vwrite(cpu, d.rd, &r, d.q && !d.scalar);
}

static uint64_t fp_unop(struct a64_fpst *st, const struct a64_desc *d, uint64_t a)
{
    unsigned sz = d->es, bits = 8u << sz;
    switch (d->op) {
    case A64_F_SQRT: return a64_f_sqrt(st, sz, a);
    case A64_F_ABS: return a64_f_abs(sz, a);
    case A64_F_NEG: return a64_f_neg(sz, a);
    case A64_F_RINT: return a64_f_rint(st, sz, a, (enum a64_round)d->imm, d->imm2 != 0);
    case A64_F_RECPE: return a64_f_recpe(st, sz, a);
    case A64_F_RSQRTE: return a64_f_rsqrte(st, sz, a);
    case A64_F_RECPX: return a64_f_recpx(st, sz, a);
    case A64_F_URECPE: return a64_f_urecpe((uint32_t)a);
    case A64_F_URSQRTE: return a64_f_ursqrte((uint32_t)a);
    case A64_F_CMEQ0: return a64_f_cmp_eq(st, sz, a, 0) ? fp_ones(sz) : 0;
    case A64_F_CMGE0: return a64_f_cmp_ge(st, sz, a, 0) ? fp_ones(sz) : 0;
    case A64_F_CMGT0: return a64_f_cmp_gt(st, sz, a, 0) ? fp_ones(sz) : 0;
    case A64_F_CMLE0: return a64_f_cmp_ge(st, sz, 0, a) ? fp_ones(sz) : 0;
    case A64_F_CMLT0: return a64_f_cmp_gt(st, sz, 0, a) ? fp_ones(sz) : 0;
    case A64_F_TOINT:
        return a64_f_to_int(st, sz, a, bits, d->imm2, d->uns, (enum a64_round)d->imm);
    case A64_F_FROMINT: return a64_f_from_int(st, sz, a, bits, d->imm2, d->uns);
    default: return 0;
    }
}

/* FCVTZS/FCVTZU (round toward zero, FPCR.FZ clear) of one element of size
 * sz to an integer of isz bits with fbits fraction bits: the host's
 * truncating conversion when the element is a number whose scaled truncation
 * fits (scaling by 2^fbits is exact or overflows to a rejected infinity);
 * Inexact is computed here and ORed into *fpsr.  False: use the full path. */
static bool fp_toint_fast(unsigned sz, uint64_t a, unsigned isz, unsigned fbits, bool uns,
                          uint64_t *r, uint32_t *fpsr)
{
    if (sz < 2 || a64_fp_is_nan(sz, a))
        return false;
    double x = sz == 3 ? fp_d(a) : (double)fp_f(a);
    if (fbits)
        x *= fp_d((uint64_t)(1023 + fbits) << 52);
    bool wide = isz == 64;
    double lo = uns ? -1.0 : wide ? -0x1p63 : -2147483649.0;
    double hi = uns ? (wide ? 0x1p64 : 0x1p32) : (wide ? 0x1p63 : 0x1p31);
    if (!(x > lo && x < hi) && !(!uns && wide && x == -0x1p63))
        return false;
    uint64_t v = uns ? (x <= 0 ? 0 : (uint64_t)x) : (uint64_t)(int64_t)x;
    *r = wide ? v : (uint32_t)v;
    if (x > -0x1p52 && x < 0x1p52 && (double)(int64_t)x != x)
        *fpsr |= A64_FPSR_IXC;
    return true;
}

/* SCVTF/UCVTF of an integer of isz bits (v zero-extended) with fbits
 * fraction bits to size sz: the host conversion (one rounding, in its
 * round-to-nearest mode) is the Arm result when exact, or when FPCR.RMode
 * is RN; Inexact comes from the significant bits.  Scaling by 2^-fbits is
 * exact (no result comes near the denormals).  FZ does not matter. */
static bool fp_fromint_fast(uint32_t fpcr, unsigned sz, uint64_t v, unsigned isz, unsigned fbits,
                            bool uns, uint64_t *r, uint32_t *fpsr)
{
    if (sz < 2)
        return false;
    int64_t iv;
    if (isz == 32)
        iv = uns ? (int64_t)(uint32_t)v : (int64_t)(int32_t)v;
    else if (uns && (v >> 63))
        return false;
    else
        iv = (int64_t)v;
    uint64_t u = iv < 0 ? -(uint64_t)iv : (uint64_t)iv;
    unsigned prec = sz == 3 ? 53u : 24u;
    bool inexact = false;
    if (u >> prec)
        inexact = 64u - (unsigned)__builtin_clzll(u) - (unsigned)__builtin_ctzll(u) > prec;
    if (inexact && ((fpcr >> A64_FPCR_RMODE_SHIFT) & 3) != A64_RN)
        return false;
    if (sz == 3) {
        double x = (double)iv;
        if (fbits)
            x *= fp_d((uint64_t)(1023 - fbits) << 52);
        *r = fp_du(x);
    } else {
        float x = (float)iv;
        if (fbits)
            x *= fp_f((uint64_t)(127 - fbits) << 23);
        *r = fp_fu(x);
    }
    if (inexact)
        *fpsr |= A64_FPSR_IXC;
    return true;
}

/* Vector FCVTZS/FCVTZU/SCVTF/UCVTF: every lane through the fast element
 * conversions, or false (nothing written) for the full path. */
static bool fp_unary_fast(struct a64_cpu *cpu, const struct a64_desc *d)
{
    bool toint = d->op == A64_F_TOINT;
    if (toint ? (d->imm != A64_RZ || (cpu->fpcr & A64_FPCR_FZ)) : d->op != A64_F_FROMINT)
        return false;
    unsigned n = a64_nelem(d), bits = 8u << d->es;
    union a64_vreg r = {{0}};
    uint32_t fpsr = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t a = a64_vget(&cpu->v[d->rn], d->es, i), x;
        bool ok = toint ? fp_toint_fast(d->es, a, bits, d->imm2, d->uns, &x, &fpsr)
                        : fp_fromint_fast(cpu->fpcr, d->es, a, bits, d->imm2, d->uns, &x, &fpsr);
        if (!ok)
            return false;
        a64_vset(&r, d->es, i, x);
    }
    cpu->fpsr |= fpsr;
    a64_vwrite(cpu, d->rd, &r, d->q && !d->scalar);
    return true;
}

void a64_h_fp_unary(struct a64_cpu *cpu, uint64_t desc)
{
    struct a64_desc d = a64_desc_unpack(desc);
    if (fp_unary_fast(cpu, &d))
        return;
    if (d.op >= A64_F_CMEQ0 && d.op <= A64_F_CMLT0) {
        static const unsigned char rel[5] = {A64_F_CMEQ, A64_F_CMGE, A64_F_CMGT, A64_F_CMGE,
                                             A64_F_CMGT};
        unsigned k = d.op - A64_F_CMEQ0;
        if (fp_cmp_fast(cpu, &d, rel[k], true, k >= 3))
            return;
    }
    unsigned n = a64_nelem(&d);
    union a64_vreg vn = cpu->v[d.rn], r = {{0}};
    struct a64_fpst st;
    a64_fpst_begin(&st, cpu);
    for (unsigned i = 0; i < n; i++)
        a64_vset(&r, d.es, i, fp_unop(&st, &d, a64_vget(&vn, d.es, i)));
    a64_fpst_end(&st, cpu);
    a64_vwrite(cpu, d.rd, &r, d.q && !d.scalar);
}

/* Scalar FCVT between single and double: single -> double is exact for
 * numbers (FZ only matters for denormal inputs); double -> single in the
 * fast environment (a64_fp_fast_env) when the result is a normal number
 * above the smallest (a64_fp_fast_ok) or an exact zero. */
static bool fp_cvt_fast(struct a64_cpu *cpu, const struct a64_desc *d, uint64_t a, uint64_t *r)
{
    if (d->es == 2 && d->imm == 3) {
        a &= 0xffffffffu;
        if (a64_fp_is_nan(2, a) || (cpu->fpcr & A64_FPCR_FZ))
            return false;
        *r = fp_du((double)fp_f(a));
        return true;
    }
    if (d->es == 3 && d->imm == 2 && a64_fp_fast_env(cpu) && !a64_fp_is_nan(3, a)) {
        uint64_t x = fp_fu((float)fp_d(a));
        if (a64_fp_fast_ok(2, x, false) || (a << 1) == 0) {
            *r = x;
            return true;
        }
    }
    return false;
}

/* FCVT Sd/Dd/Hd, <other>: desc.es = source size, desc.imm = destination size.
 * FCVTN(2)/FCVTXN(2): desc.es = destination element size; sources are twice
 * as wide; results go to the low half (part 0, upper zeroed) or the high half
 * (part 1, low half kept).  FCVTL(2): desc.es = source size, from the low or
 * high half of Vn. */
void a64_h_fp_convert(struct a64_cpu *cpu, uint64_t desc)
{
    struct a64_desc d = a64_desc_unpack(desc);
    union a64_vreg vn = cpu->v[d.rn], r = {{0}};
    struct a64_fpst st;
    a64_fpst_begin(&st, cpu);
    switch (d.op) {
    case A64_F_CVT:
        if (fp_cvt_fast(cpu, &d, vn.d[0], &r.d[0])) {
            a64_vwrite(cpu, d.rd, &r, false);
            return;
        }
        r.d[0] = a64_f_convert(&st, d.es, d.imm, vn.d[0] & (d.es == 3 ? ~0ull : (1ull << (8u << d.es)) - 1), false);
        a64_fpst_end(&st, cpu);
        a64_vwrite(cpu, d.rd, &r, false);
        return;
    case A64_F_CVTN:
    case A64_F_CVTXN: {
        unsigned n = d.scalar ? 1 : 8u >> d.es;
        union a64_vreg old = cpu->v[d.rd];
        if (d.part)
            r.d[0] = old.d[0];
        for (unsigned i = 0; i < n; i++) {
            uint64_t x = a64_f_convert(&st, d.es + 1, d.es, a64_vget(&vn, d.es + 1, i),
                                       d.op == A64_F_CVTXN);
            a64_vset(&r, d.es, i + (d.part ? n : 0), x);
        }
        a64_fpst_end(&st, cpu);
        a64_vwrite(cpu, d.rd, &r, d.part);
        return;
    }
    default: { /* A64_F_CVTL */
        unsigned n = 8u >> d.es;
        for (unsigned i = 0; i < n; i++) {
            uint64_t x = a64_vget(&vn, d.es, i + (d.part ? n : 0));
            a64_vset(&r, d.es + 1, i, a64_f_convert(&st, d.es, d.es + 1, x, false));
        }
        a64_fpst_end(&st, cpu);
        a64_vwrite(cpu, d.rd, &r, true);
        return;
    }
    }
}

/* ---- value helpers with a fast path ---- */

/* The full path: one element operation inside an FP environment bracket. */
static uint64_t fp_slow2(struct a64_cpu *cpu, unsigned op, unsigned sz, uint64_t a, uint64_t b)
{
    struct a64_fpst st;
    a64_fpst_begin(&st, cpu);
    uint64_t r = fp_binop(&st, op, sz, a, b, 0);
    a64_fpst_end(&st, cpu);
    return r;
}


/* One of FADD/FSUB/FMUL/FDIV (op) of size sz: on the host directly when the
 * fast path allows (a64_fp_fast_ok), else through fp_slow2.  Inlined into
 * each helper below with a constant op and size. */
static inline __attribute__((always_inline)) uint64_t fp_arith_value(struct a64_cpu *cpu,
                                                                     unsigned op, unsigned sz,
                                                                     uint64_t a, uint64_t b)
{
    if (sz == 2) {
        a &= 0xffffffffu;
        b &= 0xffffffffu;
    }
    if (a64_fp_fast_env(cpu) && !a64_fp_is_nan(sz, a) && !a64_fp_is_nan(sz, b)) {
        uint64_t r;
        if (sz == 3) {
            double x = fp_d(a), y = fp_d(b);
            r = fp_du(op == A64_F_ADD ? x + y : op == A64_F_SUB ? x - y : op == A64_F_MUL ? x * y : x / y);
        } else {
            float x = fp_f(a), y = fp_f(b);
            r = fp_fu(op == A64_F_ADD ? x + y : op == A64_F_SUB ? x - y : op == A64_F_MUL ? x * y : x / y);
        }
        if (a64_fp_fast_ok(sz, r, op == A64_F_ADD || op == A64_F_SUB))
            return r;
    }
    return fp_slow2(cpu, op, sz, a, b);
}

uint64_t a64_h_fadd_d(struct a64_cpu *cpu, uint64_t a, uint64_t b)
{
    return fp_arith_value(cpu, A64_F_ADD, 3, a, b);
}
uint64_t a64_h_fsub_d(struct a64_cpu *cpu, uint64_t a, uint64_t b)
{
    return fp_arith_value(cpu, A64_F_SUB, 3, a, b);
}
uint64_t a64_h_fmul_d(struct a64_cpu *cpu, uint64_t a, uint64_t b)
{
    return fp_arith_value(cpu, A64_F_MUL, 3, a, b);
}
uint64_t a64_h_fdiv_d(struct a64_cpu *cpu, uint64_t a, uint64_t b)
{
    return fp_arith_value(cpu, A64_F_DIV, 3, a, b);
}
uint64_t a64_h_fadd_s(struct a64_cpu *cpu, uint64_t a, uint64_t b)
{
    return fp_arith_value(cpu, A64_F_ADD, 2, a, b);
}
uint64_t a64_h_fsub_s(struct a64_cpu *cpu, uint64_t a, uint64_t b)
{
    return fp_arith_value(cpu, A64_F_SUB, 2, a, b);
}
uint64_t a64_h_fmul_s(struct a64_cpu *cpu, uint64_t a, uint64_t b)
{
    return fp_arith_value(cpu, A64_F_MUL, 2, a, b);
}
uint64_t a64_h_fdiv_s(struct a64_cpu *cpu, uint64_t a, uint64_t b)
{
    return fp_arith_value(cpu, A64_F_DIV, 2, a, b);
}

static uint64_t fp_slow_muladd(struct a64_cpu *cpu, unsigned sz, uint64_t a, uint64_t n, uint64_t m)
{
    struct a64_fpst st;
    a64_fpst_begin(&st, cpu);
    uint64_t r = a64_f_muladd(&st, sz, a, n, m);
    a64_fpst_end(&st, cpu);
    return r;
}

uint64_t a64_h_fmuladd_d(struct a64_cpu *cpu, uint64_t a, uint64_t n, uint64_t m)
{
    if (a64_fp_fast_env(cpu) && !a64_fp_is_nan(3, a) && !a64_fp_is_nan(3, n) &&
        !a64_fp_is_nan(3, m)) {
        uint64_t r = fp_du(fma(fp_d(n), fp_d(m), fp_d(a)));
        if (a64_fp_fast_ok(3, r, false))
            return r;
    }
    return fp_slow_muladd(cpu, 3, a, n, m);
}

uint64_t a64_h_fmuladd_s(struct a64_cpu *cpu, uint64_t a, uint64_t n, uint64_t m)
{
    a &= 0xffffffffu, n &= 0xffffffffu, m &= 0xffffffffu;
    if (a64_fp_fast_env(cpu) && !a64_fp_is_nan(2, a) && !a64_fp_is_nan(2, n) &&
        !a64_fp_is_nan(2, m)) {
        uint64_t r = fp_fu(fmaf(fp_f(n), fp_f(m), fp_f(a)));
        if (a64_fp_fast_ok(2, r, false))
            return r;
    }
    return fp_slow_muladd(cpu, 2, a, n, m);
}

/* FCMP/FCMPE: two numbers (no NaN) compare without any exception; only
 * FZ (an input denormal is flushed and raises IDC) needs the full path. */
uint32_t a64_h_fp_cmp(struct a64_cpu *cpu, uint64_t desc)
{
    struct a64_desc d = a64_desc_unpack(desc);
    uint64_t a = a64_vget(&cpu->v[d.rn], d.es, 0);
    uint64_t b = (d.imm & 2) ? 0 : a64_vget(&cpu->v[d.rm], d.es, 0);
    if (!(cpu->fpcr & A64_FPCR_FZ) && d.es >= 2 && !a64_fp_is_nan(d.es, a) &&
        !a64_fp_is_nan(d.es, b)) {
        bool lt, eq;
        if (d.es == 3) {
            lt = fp_d(a) < fp_d(b);
            eq = fp_d(a) == fp_d(b);
        } else {
            lt = fp_f(a) < fp_f(b);
            eq = fp_f(a) == fp_f(b);
        }
        return lt ? 0x8 : eq ? 0x6 : 0x2;
    }
    struct a64_fpst st;
    a64_fpst_begin(&st, cpu);
    unsigned nzcv = a64_f_compare(&st, d.es, a, b, d.imm & 1);
    a64_fpst_end(&st, cpu);
    return nzcv;
}

/* Reduce(op, Vn, n): op(Reduce(low half), Reduce(high half)). */
static uint64_t fp_reduce(struct a64_fpst *st, unsigned op, unsigned sz, const union a64_vreg *v,
                          unsigned first, unsigned n)
{
    if (n == 1)
        return a64_vget(v, sz, first);
    uint64_t lo = fp_reduce(st, op, sz, v, first, n / 2);
    uint64_t hi = fp_reduce(st, op, sz, v, first + n / 2, n / 2);
    return fp_binop(st, op, sz, lo, hi, 0);
}

void a64_h_fp_reduce(struct a64_cpu *cpu, uint64_t desc)
{
    struct a64_desc d = a64_desc_unpack(desc);
    union a64_vreg vn = cpu->v[d.rn], r = {{0}};
    struct a64_fpst st;
    a64_fpst_begin(&st, cpu);
    a64_vset(&r, d.es, 0, fp_reduce(&st, d.op, d.es, &vn, 0, d.imm));
    a64_fpst_end(&st, cpu);
    a64_vwrite(cpu, d.rd, &r, false);
}

uint64_t a64_h_fp_to_gpr(struct a64_cpu *cpu, uint64_t desc)
{
    struct a64_desc d = a64_desc_unpack(desc);
    uint64_t fr;
    if (d.imm == A64_RZ && !(cpu->fpcr & A64_FPCR_FZ) &&
        fp_toint_fast(d.es, a64_vget(&cpu->v[d.rn], d.es, 0), d.q ? 64 : 32, d.imm2, d.uns, &fr,
                      &cpu->fpsr))
        return fr;
    struct a64_fpst st;
    a64_fpst_begin(&st, cpu);
    uint64_t r = a64_f_to_int(&st, d.es, a64_vget(&cpu->v[d.rn], d.es, 0), d.q ? 64 : 32, d.imm2,
                              d.uns, (enum a64_round)d.imm);
    a64_fpst_end(&st, cpu);
    return r;
}

uint64_t a64_h_fp_from_gpr(struct a64_cpu *cpu, uint64_t v, uint64_t desc)
{
    struct a64_desc d = a64_desc_unpack(desc);
    uint64_t fr;
    if (fp_fromint_fast(cpu->fpcr, d.es, v, d.q ? 64 : 32, d.imm2, d.uns, &fr, &cpu->fpsr))
        return fr;
    struct a64_fpst st;
    a64_fpst_begin(&st, cpu);
    uint64_t r = a64_f_from_int(&st, d.es, v, d.q ? 64 : 32, d.imm2, d.uns);
    a64_fpst_end(&st, cpu);
    return r;
}
