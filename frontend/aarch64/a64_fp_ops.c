/* AArch64 floating-point element operations for the FP/SIMD helpers: the FP
 * environment (FPCR rounding mode on the host, FPSR flags collected from it),
 * and every element operation on raw bit patterns following the Arm
 * pseudocode (NaN propagation, default NaN, flush-to-zero, saturation).
 * Arithmetic with a single rounding (add, mul, div, sqrt, fma, int->fp) runs
 * on the host FPU; everything whose Arm result differs from IEEE hosts
 * (NaNs, min/max, compares, conversions to integer, rounding) is software. */
#include <fenv.h>
#include <math.h>
#include <string.h>

#include "frontend/aarch64/a64_fp.h"

#if defined(__x86_64__)
#include <xmmintrin.h>
#define A64_FP_MXCSR 1
#endif

/* Keep host FP operations between the rounding-mode switch and the flag read:
 * an empty volatile asm the value must pass through (GCC does not model the
 * FP environment as a dependency). */
#if defined(__x86_64__)
#define A64_FP_HIDE(x) __asm__ volatile("" : "+x"(x))
#else
#define A64_FP_HIDE(x) __asm__ volatile("" : "+m"(x))
#endif
#define A64_FP_HIDE_INT(x) __asm__ volatile("" : "+r"(x))

/* ---- the FP environment ------------------------------------------------------ */

#ifdef A64_FP_MXCSR
/* MXCSR: flags 5:0 (IE DE ZE OE UE PE), DAZ 6, masks 12:7, RC 14:13 (0 near,
 * 1 down, 2 up, 3 zero), FTZ 15.  The FPSR bits of the flags. */
static inline uint32_t fp_host_flags(unsigned f)
{
    return (f & 0x01 ? A64_FPSR_IOC : 0) | (f & 0x04 ? A64_FPSR_DZC : 0) |
           (f & 0x08 ? A64_FPSR_OFC : 0) | (f & 0x10 ? A64_FPSR_UFC : 0) |
           (f & 0x20 ? A64_FPSR_IXC : 0);
}
#endif

/* The host FP environment is switched to the guest's lazily, on the first
 * host operation that needs it, and not at all on the fast path (see
 * fp_fast_result).  FPSR is cumulative, so the host's exception flags need
 * not be cleared before every switch either: flags already set on the host
 * that the guest's FPSR already has cannot add anything.  MXCSR is rewritten
 * only when it holds a flag the guest does not have or a different rounding
 * mode; the host's control bits are put back at the end (its flags may stay
 * set).  Ferry itself always runs in the default round-to-nearest mode. */
void a64_fpst_begin(struct a64_fpst *st, const struct a64_cpu *cpu)
{
    st->fpcr = cpu->fpcr;
    st->fpsr = cpu->fpsr;
    st->exc = 0;
    st->entered = false;
    st->flushed = false;
    st->fast = !(cpu->fpcr & (A64_FPCR_FZ | 3u << A64_FPCR_RMODE_SHIFT)) &&
               (cpu->fpsr & A64_FPSR_IXC);
}

static void fp_enter(struct a64_fpst *st)
{
    if (st->entered)
        return;
    st->entered = true;
    unsigned rmode = (st->fpcr >> A64_FPCR_RMODE_SHIFT) & 3;
#ifdef A64_FP_MXCSR
    static const unsigned rc[4] = {0u << 13, 2u << 13, 1u << 13, 3u << 13};
    unsigned csr = _mm_getcsr(), want = 0x1f80u | rc[rmode];
    st->host_saved = csr;
    if ((csr & 0xffc0u) != want || (fp_host_flags(csr) & ~st->fpsr) != 0)
        _mm_setcsr(want); /* flags cleared, all exceptions masked, no FTZ/DAZ */
#else
    static const int rc[4] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
    st->host_round = fegetround();
    fesetround(rc[rmode]);
    feclearexcept(FE_ALL_EXCEPT);
#endif
}

void a64_fpst_end(struct a64_fpst *st, struct a64_cpu *cpu)
{
    uint32_t exc = st->exc;
    if (st->entered) {
#ifdef A64_FP_MXCSR
        unsigned f = _mm_getcsr();
        exc |= fp_host_flags(f);
        if ((f & 0xffc0u) != (st->host_saved & 0xffc0u))
            _mm_setcsr((st->host_saved & 0xffc0u) | (f & 0x3fu));
#else
        int f = fetestexcept(FE_ALL_EXCEPT);
        feclearexcept(FE_ALL_EXCEPT);
        fesetround(st->host_round);
        if (f & FE_INVALID) exc |= A64_FPSR_IOC;
        if (f & FE_DIVBYZERO) exc |= A64_FPSR_DZC;
        if (f & FE_OVERFLOW) exc |= A64_FPSR_OFC;
        if (f & FE_UNDERFLOW) exc |= A64_FPSR_UFC;
        if (f & FE_INEXACT) exc |= A64_FPSR_IXC;
#endif
    }
    cpu->fpsr |= exc;
}

/* ---- formats ------------------------------------------------------------------ */

static inline unsigned fp_fbits(unsigned sz) { return sz == 3 ? 52 : sz == 2 ? 23 : 10; }
static inline unsigned fp_ebits(unsigned sz) { return sz == 3 ? 11 : sz == 2 ? 8 : 5; }
static inline int fp_bias(unsigned sz) { return (1 << (fp_ebits(sz) - 1)) - 1; }
static inline uint64_t fp_sign(unsigned sz) { return 1ull << ((8u << sz) - 1); }
static inline uint64_t fp_fracmask(unsigned sz) { return (1ull << fp_fbits(sz)) - 1; }
static inline uint64_t fp_expmask(unsigned sz)
{
    return ((1ull << fp_ebits(sz)) - 1) << fp_fbits(sz);
}
static inline uint64_t fp_quiet_bit(unsigned sz) { return 1ull << (fp_fbits(sz) - 1); }
static inline uint64_t fp_mag(unsigned sz, uint64_t x) { return x & (fp_sign(sz) - 1); }
static inline bool fp_is_nan(unsigned sz, uint64_t x) { return fp_mag(sz, x) > fp_expmask(sz); }
static inline bool fp_is_snan(unsigned sz, uint64_t x)
{
    return fp_is_nan(sz, x) && !(x & fp_quiet_bit(sz));
}
static inline bool fp_is_inf(unsigned sz, uint64_t x) { return fp_mag(sz, x) == fp_expmask(sz); }
static inline bool fp_is_zero(unsigned sz, uint64_t x) { return fp_mag(sz, x) == 0; }
static inline bool fp_is_denormal(unsigned sz, uint64_t x)
{
    return (x & fp_expmask(sz)) == 0 && (x & fp_fracmask(sz)) != 0;
}
static inline bool fp_negative(unsigned sz, uint64_t x) { return (x & fp_sign(sz)) != 0; }
static inline uint64_t fp_default_nan(unsigned sz) { return fp_expmask(sz) | fp_quiet_bit(sz); }
static inline uint64_t fp_inf(unsigned sz, bool neg) { return fp_expmask(sz) | (neg ? fp_sign(sz) : 0); }
static inline uint64_t fp_zero(unsigned sz, bool neg) { return neg ? fp_sign(sz) : 0; }
static inline uint64_t fp_max_normal(unsigned sz, bool neg)
{
    return (fp_expmask(sz) - (1ull << fp_fbits(sz))) | fp_fracmask(sz) | (neg ? fp_sign(sz) : 0);
}
/* 2.0, 1.5 (FMULX / FRECPS / FRSQRTS special results) */
static inline uint64_t fp_two(unsigned sz, bool neg)
{
    return ((uint64_t)(fp_bias(sz) + 1) << fp_fbits(sz)) | (neg ? fp_sign(sz) : 0);
}
static inline uint64_t fp_one_point_five(unsigned sz)
{
    return ((uint64_t)fp_bias(sz) << fp_fbits(sz)) | fp_quiet_bit(sz);
}

static inline double fp_u2d(uint64_t x)
{
    double d;
    memcpy(&d, &x, 8);
    return d;
}
static inline uint64_t fp_d2u(double d)
{
    uint64_t x;
    memcpy(&x, &d, 8);
    return x;
}
static inline float fp_u2f(uint64_t x)
{
    uint32_t w = (uint32_t)x;
    float f;
    memcpy(&f, &w, 4);
    return f;
}
static inline uint64_t fp_f2u(float f)
{
    uint32_t w;
    memcpy(&w, &f, 4);
    return w;
}

/* ---- unpack / NaNs / outputs ---------------------------------------------- */

/* FPUnpack's flush-to-zero of a denormal input (Input Denormal exception). */
static inline uint64_t fp_in(struct a64_fpst *st, unsigned sz, uint64_t x)
{
    if ((st->fpcr & A64_FPCR_FZ) && sz >= 2 && fp_is_denormal(sz, x)) {
        st->exc |= A64_FPSR_IDC;
        return x & fp_sign(sz);
    }
    return x;
}

static inline uint64_t fp_dn(struct a64_fpst *st, unsigned sz, uint64_t nan)
{
    return (st->fpcr & A64_FPCR_DN) ? fp_default_nan(sz) : nan;
}

/* FPProcessNaN */
static uint64_t fp_nan1(struct a64_fpst *st, unsigned sz, uint64_t a)
{
    if (fp_is_snan(sz, a)) {
        st->exc |= A64_FPSR_IOC;
        a |= fp_quiet_bit(sz);
    }
    return fp_dn(st, sz, a);
}

/* FPProcessNaNs: true (result in *r) if a or b is a NaN. */
static bool fp_nans2(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b, uint64_t *r)
{
    if (fp_is_snan(sz, a))
        *r = fp_nan1(st, sz, a);
    else if (fp_is_snan(sz, b))
        *r = fp_nan1(st, sz, b);
    else if (fp_is_nan(sz, a))
        *r = fp_dn(st, sz, a);
    else if (fp_is_nan(sz, b))
        *r = fp_dn(st, sz, b);
    else
        return false;
    return true;
}

/* FPProcessNaNs3 (a is checked first, then b, then c). */
static bool fp_nans3(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b, uint64_t c,
                     uint64_t *r)
{
    if (fp_is_snan(sz, a))
        *r = fp_nan1(st, sz, a);
    else if (fp_is_snan(sz, b))
        *r = fp_nan1(st, sz, b);
    else if (fp_is_snan(sz, c))
        *r = fp_nan1(st, sz, c);
    else if (fp_is_nan(sz, a))
        *r = fp_dn(st, sz, a);
    else if (fp_is_nan(sz, b))
        *r = fp_dn(st, sz, b);
    else if (fp_is_nan(sz, c))
        *r = fp_dn(st, sz, c);
    else
        return false;
    return true;
}

/* A host result: a NaN the host generated (inputs were numbers) becomes the
 * Arm default NaN; a denormal result is flushed under FPCR.FZ. */
static inline uint64_t fp_out(struct a64_fpst *st, unsigned sz, uint64_t r)
{
    if (fp_is_nan(sz, r))
        return fp_default_nan(sz);
    if ((st->fpcr & A64_FPCR_FZ) && fp_is_denormal(sz, r)) {
        st->exc |= A64_FPSR_UFC;
        st->flushed = true;
        return r & fp_sign(sz);
    }
    return r;
}

/* Under FZ a flushed result raises Underflow only, while the host raised
 * Inexact (and Underflow) for it: host operations that may be flushed are
 * bracketed by fp_fz_mark / fp_fz_merge, which drop the host's flags of a
 * flushed operation.  Nothing to do without FZ. */
static unsigned fp_fz_mark(struct a64_fpst *st)
{
    if (!(st->fpcr & A64_FPCR_FZ))
        return 0;
    st->flushed = false;
#ifdef A64_FP_MXCSR
    unsigned csr = _mm_getcsr();
    _mm_setcsr(csr & ~0x3fu);
    return csr & 0x3fu;
#else
    int f = fetestexcept(FE_ALL_EXCEPT);
    feclearexcept(FE_ALL_EXCEPT);
    return (unsigned)f;
#endif
}

static void fp_fz_merge(struct a64_fpst *st, unsigned mark)
{
    if (!(st->fpcr & A64_FPCR_FZ))
        return;
    /* A tiny result (flushed from a denormal, or underflowed to zero on the
     * host) is a flush: Underflow only, no Inexact. */
#ifdef A64_FP_MXCSR
    unsigned csr = _mm_getcsr(), f = csr & 0x3fu;
    if (st->flushed || (f & 0x10u))
        f = (f & ~0x20u) | 0x10u; /* UE without PE */
    _mm_setcsr((csr & ~0x3fu) | mark | f);
#else
    int f = fetestexcept(FE_ALL_EXCEPT);
    if (st->flushed || (f & FE_UNDERFLOW))
        f = (f & ~FE_INEXACT) | FE_UNDERFLOW;
    feclearexcept(FE_ALL_EXCEPT);
    feraiseexcept((int)mark | f);
#endif
}

/* ---- host arithmetic ---------------------------------------------------------- */

enum fp_hop { FP_HADD, FP_HSUB, FP_HMUL, FP_HDIV };

static uint64_t fp_host2(unsigned sz, enum fp_hop op, uint64_t a, uint64_t b)
{
    if (sz == 3) {
        double x = fp_u2d(a), y = fp_u2d(b), r;
        A64_FP_HIDE(x);
        A64_FP_HIDE(y);
        switch (op) {
        case FP_HADD: r = x + y; break;
        case FP_HSUB: r = x - y; break;
        case FP_HMUL: r = x * y; break;
        default: r = x / y; break;
        }
        A64_FP_HIDE(r);
        return fp_d2u(r);
    }
    float x = fp_u2f(a), y = fp_u2f(b), r;
    A64_FP_HIDE(x);
    A64_FP_HIDE(y);
    switch (op) {
    case FP_HADD: r = x + y; break;
    case FP_HSUB: r = x - y; break;
    case FP_HMUL: r = x * y; break;
    default: r = x / y; break;
    }
    A64_FP_HIDE(r);
    return fp_f2u(r);
}

static uint64_t fp_host_fma(unsigned sz, uint64_t a, uint64_t n, uint64_t m)
{
    if (sz == 3) {
        double x = fp_u2d(n), y = fp_u2d(m), z = fp_u2d(a);
        A64_FP_HIDE(x);
        A64_FP_HIDE(y);
        A64_FP_HIDE(z);
        double r = fma(x, y, z);
        A64_FP_HIDE(r);
        return fp_d2u(r);
    }
    float x = fp_u2f(n), y = fp_u2f(m), z = fp_u2f(a);
    A64_FP_HIDE(x);
    A64_FP_HIDE(y);
    A64_FP_HIDE(z);
    float r = fmaf(x, y, z);
    A64_FP_HIDE(r);
    return fp_f2u(r);
}

/* x86 detects tininess after rounding, Arm before: a product, quotient or
 * fused result of exactly the smallest normal magnitude may come from a
 * tiny exact value.  Recomputing it rounded toward zero tells (the
 * recomputation's own flags are dropped).  Tiny: Underflow, or a flush to
 * zero under FZ.  kind: 0 a*b, 1 a/b, 2 a + b*c. */
static uint64_t fp_host_rz(unsigned sz, int kind, uint64_t a, uint64_t b, uint64_t c)
{
#ifdef A64_FP_MXCSR
    unsigned csr = _mm_getcsr();
    _mm_setcsr(csr | 0x6000u);
#else
    fenv_t env;
    fegetenv(&env);
    fesetround(FE_TOWARDZERO);
#endif
    uint64_t r = kind == 2 ? fp_host_fma(sz, a, b, c) : fp_host2(sz, kind ? FP_HDIV : FP_HMUL, a, b);
#ifdef A64_FP_MXCSR
    _mm_setcsr(csr);
#else
    fesetenv(&env);
#endif
    return r;
}

static uint64_t fp_tiny_fixup(struct a64_fpst *st, unsigned sz, uint64_t r, int kind, uint64_t a,
                              uint64_t b, uint64_t c)
{
    if (fp_mag(sz, r) != 1ull << fp_fbits(sz))
        return r;
    if ((fp_host_rz(sz, kind, a, b, c) & fp_expmask(sz)) != 0)
        return r; /* the exact value is not below the smallest normal */
    if (st->fpcr & A64_FPCR_FZ) {
        st->exc |= A64_FPSR_UFC;
        st->flushed = true;
        return r & fp_sign(sz);
    }
    st->exc |= A64_FPSR_UFC | A64_FPSR_IXC;
    return r;
}

static uint64_t fp_arith(struct a64_fpst *st, unsigned sz, enum fp_hop op, uint64_t a, uint64_t b)
{
    a = fp_in(st, sz, a);
    b = fp_in(st, sz, b);
    uint64_t r;
    if (fp_nans2(st, sz, a, b, &r))
        return r;
    if (st->fast) {
        r = fp_host2(sz, op, a, b);
        if (a64_fp_fast_ok(sz, r, op == FP_HADD || op == FP_HSUB))
            return r;
    }
    fp_enter(st);
    unsigned mark = fp_fz_mark(st);
    r = fp_host2(sz, op, a, b);
    if (op == FP_HMUL || op == FP_HDIV)
        r = fp_tiny_fixup(st, sz, r, op == FP_HDIV, a, b, 0);
    r = fp_out(st, sz, r);
    fp_fz_merge(st, mark);
    return r;
}

uint64_t a64_f_add(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b)
{
    return fp_arith(st, sz, FP_HADD, a, b);
}

uint64_t a64_f_sub(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b)
{
    return fp_arith(st, sz, FP_HSUB, a, b);
}

uint64_t a64_f_mul(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b)
{
    return fp_arith(st, sz, FP_HMUL, a, b);
}

uint64_t a64_f_div(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b)
{
    return fp_arith(st, sz, FP_HDIV, a, b);
}

/* FMULX: as FMUL, but infinity * zero is 2.0 with the product's sign. */
uint64_t a64_f_mulx(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b)
{
    a = fp_in(st, sz, a);
    b = fp_in(st, sz, b);
    uint64_t r;
    if (fp_nans2(st, sz, a, b, &r))
        return r;
    if ((fp_is_inf(sz, a) && fp_is_zero(sz, b)) || (fp_is_zero(sz, a) && fp_is_inf(sz, b)))
        return fp_two(sz, fp_negative(sz, a) != fp_negative(sz, b));
    return fp_arith(st, sz, FP_HMUL, a, b);
}

/* FPMulAdd: a + n * m, one rounding.  (inf * 0) + qNaN is Invalid -> default NaN. */
uint64_t a64_f_muladd(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t n, uint64_t m)
{
    a = fp_in(st, sz, a);
    n = fp_in(st, sz, n);
    m = fp_in(st, sz, m);
    bool infzero = (fp_is_inf(sz, n) && fp_is_zero(sz, m)) || (fp_is_zero(sz, n) && fp_is_inf(sz, m));
    uint64_t r;
    if (fp_nans3(st, sz, a, n, m, &r)) {
        if (fp_is_nan(sz, a) && !fp_is_snan(sz, a) && !fp_is_nan(sz, n) && !fp_is_nan(sz, m) &&
            infzero) {
            st->exc |= A64_FPSR_IOC;
            return fp_default_nan(sz);
        }
        return r;
    }
    if (st->fast) {
        r = fp_host_fma(sz, a, n, m);
        if (a64_fp_fast_ok(sz, r, false))
            return r;
    }
    fp_enter(st);
    unsigned mark = fp_fz_mark(st);
    r = fp_tiny_fixup(st, sz, fp_host_fma(sz, a, n, m), 2, a, n, m);
    r = fp_out(st, sz, r);
    fp_fz_merge(st, mark);
    return r;
}

/* FPRecipStepFused: 2 - n * m (fused); infinity * zero gives 2.0. */
uint64_t a64_f_recps(struct a64_fpst *st, unsigned sz, uint64_t n, uint64_t m)
{
    n = fp_in(st, sz, a64_f_neg(sz, n));
    m = fp_in(st, sz, m);
    uint64_t r;
    if (fp_nans2(st, sz, n, m, &r))
        return r;
    if ((fp_is_inf(sz, n) && fp_is_zero(sz, m)) || (fp_is_zero(sz, n) && fp_is_inf(sz, m)))
        return fp_two(sz, false);
    if (fp_is_inf(sz, n) || fp_is_inf(sz, m))
        return fp_inf(sz, fp_negative(sz, n) != fp_negative(sz, m));
    fp_enter(st);
    unsigned mark = fp_fz_mark(st);
    r = fp_out(st, sz, fp_host_fma(sz, fp_two(sz, false), n, m));
    fp_fz_merge(st, mark);
    return r;
}

/* FPRSqrtStepFused: (3 - n * m) / 2 (fused); infinity * zero gives 1.5. */
uint64_t a64_f_rsqrts(struct a64_fpst *st, unsigned sz, uint64_t n, uint64_t m)
{
    n = fp_in(st, sz, a64_f_neg(sz, n));
    m = fp_in(st, sz, m);
    uint64_t r;
    if (fp_nans2(st, sz, n, m, &r))
        return r;
    if ((fp_is_inf(sz, n) && fp_is_zero(sz, m)) || (fp_is_zero(sz, n) && fp_is_inf(sz, m)))
        return fp_one_point_five(sz);
    if (fp_is_inf(sz, n) || fp_is_inf(sz, m))
        return fp_inf(sz, fp_negative(sz, n) != fp_negative(sz, m));
    /* (3 + (-n * m)) / 2 with one rounding: 1.5 + (-n / 2) * m, halving an
     * operand whose halving is exact (biased exponent >= 2).  If neither is,
     * the product is tiny and 3 - n * m (about 3) halves exactly. */
    uint64_t one5 = fp_one_point_five(sz);
    uint64_t one = (uint64_t)1 << fp_fbits(sz); /* one unit of the exponent field */
    fp_enter(st);
    unsigned mark = fp_fz_mark(st);
    if ((n & fp_expmask(sz)) > one) {
        r = fp_host_fma(sz, one5, n - one, m);
    } else if ((m & fp_expmask(sz)) > one) {
        r = fp_host_fma(sz, one5, n, m - one);
    } else {
        uint64_t three = fp_two(sz, false) | fp_quiet_bit(sz);
        uint64_t half = (uint64_t)(fp_bias(sz) - 1) << fp_fbits(sz);
        r = fp_host2(sz, FP_HMUL, fp_host_fma(sz, three, n, m), half);
    }
    r = fp_out(st, sz, r);
    fp_fz_merge(st, mark);
    return r;
}

uint64_t a64_f_sqrt(struct a64_fpst *st, unsigned sz, uint64_t a)
{
    a = fp_in(st, sz, a);
    if (fp_is_nan(sz, a))
        return fp_nan1(st, sz, a);
    if (fp_is_zero(sz, a))
        return a;
    if (fp_negative(sz, a)) {
        st->exc |= A64_FPSR_IOC;
        return fp_default_nan(sz);
    }
    if (!st->fast) /* a positive number: only Inexact is possible */
        fp_enter(st);
    if (sz == 3) {
        double x = fp_u2d(a);
        A64_FP_HIDE(x);
        double r = sqrt(x);
        A64_FP_HIDE(r);
        return fp_out(st, sz, fp_d2u(r));
    }
    float x = fp_u2f(a);
    A64_FP_HIDE(x);
    float r = sqrtf(x);
    A64_FP_HIDE(r);
    return fp_out(st, sz, fp_f2u(r));
}

/* ---- ordering ------------------------------------------------------------------ */

/* A signed key ordering non-NaN values (+0 and -0 equal). */
static inline int64_t fp_key(unsigned sz, uint64_t x)
{
    int64_t m = (int64_t)fp_mag(sz, x);
    return fp_negative(sz, x) ? -m : m;
}

uint64_t a64_f_max(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b, bool min)
{
    a = fp_in(st, sz, a);
    b = fp_in(st, sz, b);
    uint64_t r;
    if (fp_nans2(st, sz, a, b, &r))
        return r;
    if (fp_is_zero(sz, a) && fp_is_zero(sz, b)) /* max(+0,-0) = +0, min = -0 */
        return min ? (a | b) : (a & b);
    int64_t ka = fp_key(sz, a), kb = fp_key(sz, b);
    return min ? (ka < kb ? a : b) : (ka > kb ? a : b);
}

/* FPMaxNum/FPMinNum: a single quiet NaN loses to a number. */
uint64_t a64_f_maxnm(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b, bool min)
{
    a = fp_in(st, sz, a);
    b = fp_in(st, sz, b);
    bool qa = fp_is_nan(sz, a) && !fp_is_snan(sz, a);
    bool qb = fp_is_nan(sz, b) && !fp_is_snan(sz, b);
    if (qa && !qb)
        a = fp_inf(sz, !min);
    else if (!qa && qb)
        b = fp_inf(sz, !min);
    return a64_f_max(st, sz, a, b, min);
}

unsigned a64_f_compare(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b, bool signal_all)
{
    a = fp_in(st, sz, a);
    b = fp_in(st, sz, b);
    if (fp_is_nan(sz, a) || fp_is_nan(sz, b)) {
        if (signal_all || fp_is_snan(sz, a) || fp_is_snan(sz, b))
            st->exc |= A64_FPSR_IOC;
        return 0x3;
    }
    int64_t ka = fp_key(sz, a), kb = fp_key(sz, b);
    if (ka == kb)
        return 0x6;
    return ka < kb ? 0x8 : 0x2;
}

bool a64_f_cmp_eq(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b)
{
    a = fp_in(st, sz, a);
    b = fp_in(st, sz, b);
    if (fp_is_nan(sz, a) || fp_is_nan(sz, b)) {
        if (fp_is_snan(sz, a) || fp_is_snan(sz, b))
            st->exc |= A64_FPSR_IOC;
        return false;
    }
    return fp_key(sz, a) == fp_key(sz, b);
}

static bool fp_cmp_order(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b, bool ge)
{
    a = fp_in(st, sz, a);
    b = fp_in(st, sz, b);
    if (fp_is_nan(sz, a) || fp_is_nan(sz, b)) {
        st->exc |= A64_FPSR_IOC;
        return false;
    }
    int64_t ka = fp_key(sz, a), kb = fp_key(sz, b);
    return ge ? ka >= kb : ka > kb;
}

bool a64_f_cmp_ge(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b)
{
    return fp_cmp_order(st, sz, a, b, true);
}

bool a64_f_cmp_gt(struct a64_fpst *st, unsigned sz, uint64_t a, uint64_t b)
{
    return fp_cmp_order(st, sz, a, b, false);
}

/* ---- rounding to integral -------------------------------------------------------- */

/* Whether to add one unit to magnitude q, given the discarded part rem of a
 * field whose half is `half` (rem, half in the same scale). */
static inline bool fp_round_up(enum a64_round rm, bool neg, uint64_t q, uint64_t rem, uint64_t half)
{
    switch (rm) {
    case A64_RN: return rem > half || (rem == half && (q & 1));
    case A64_RA: return rem >= half && rem != 0;
    case A64_RP: return !neg && rem != 0;
    case A64_RM: return neg && rem != 0;
    default: return false;
    }
}

static inline enum a64_round fp_mode(const struct a64_fpst *st, enum a64_round rm)
{
    return rm == A64_RFPCR ? (enum a64_round)((st->fpcr >> A64_FPCR_RMODE_SHIFT) & 3) : rm;
}

uint64_t a64_f_rint(struct a64_fpst *st, unsigned sz, uint64_t a, enum a64_round rm, bool exact)
{
    a = fp_in(st, sz, a);
    if (fp_is_nan(sz, a))
        return fp_nan1(st, sz, a);
    rm = fp_mode(st, rm);
    unsigned fb = fp_fbits(sz);
    int exp = (int)((a & fp_expmask(sz)) >> fb);
    bool neg = fp_negative(sz, a);
    if (exp >= fp_bias(sz) + (int)fb || fp_is_zero(sz, a))
        return a; /* integral already (or infinite, or zero) */
    uint64_t r;
    bool inexact = true;
    if (exp < fp_bias(sz)) {
        /* |a| < 1: the result is 0 or 1 */
        uint64_t one = (uint64_t)fp_bias(sz) << fb;
        bool up;
        if (exp == fp_bias(sz) - 1) { /* 0.5 <= |a| < 1 */
            uint64_t frac = a & fp_fracmask(sz);
            up = rm == A64_RA || (rm == A64_RN && frac != 0) || (rm == A64_RP && !neg) ||
                 (rm == A64_RM && neg);
        } else {
            up = (rm == A64_RP && !neg) || (rm == A64_RM && neg);
        }
        r = (up ? one : 0) | (neg ? fp_sign(sz) : 0);
    } else {
        unsigned shift = (unsigned)(fp_bias(sz) + (int)fb - exp); /* 1 .. fb */
        uint64_t mask = (1ull << shift) - 1;
        uint64_t rem = a & mask;
        r = a & ~mask;
        inexact = rem != 0;
        if (fp_round_up(rm, neg, (a >> shift), rem, 1ull << (shift - 1)))
            r += 1ull << shift; /* a carry into the exponent is still right */
    }
    if (exact && inexact)
        st->exc |= A64_FPSR_IXC;
    return r;
}

/* ---- unpacked values, rounding and packing --------------------------------------- */

/* value = mant * 2^(e - 63), mant with bit 63 set (normalized). */
struct fp_unpacked {
    bool neg;
    int e;
    uint64_t mant;
};

/* Unpack a finite nonzero value. */
static struct fp_unpacked fp_unpack(unsigned sz, uint64_t x)
{
    struct fp_unpacked u;
    unsigned fb = fp_fbits(sz);
    int exp = (int)((x & fp_expmask(sz)) >> fb);
    uint64_t frac = x & fp_fracmask(sz);
    u.neg = fp_negative(sz, x);
    if (exp == 0) {
        unsigned lz = (unsigned)__builtin_clzll(frac);
        u.mant = frac << lz;
        u.e = 1 - fp_bias(sz) + (int)(63 - fb) - (int)lz;
    } else {
        u.mant = (frac | (1ull << fb)) << (63 - fb);
        u.e = exp - fp_bias(sz);
    }
    return u;
}

/* FPRound of an unpacked value into size tsz with mode rm (A64_RZ + odd for
 * FCVTXN's round-to-odd).  Tininess is detected before rounding, as Arm does. */
static uint64_t fp_round_pack(struct a64_fpst *st, unsigned tsz, struct fp_unpacked u,
                              enum a64_round rm, bool round_odd)
{
    unsigned fb = fp_fbits(tsz);
    int biased = u.e + fp_bias(tsz);
    int emax = (1 << fp_ebits(tsz)) - 1; /* all-ones exponent */
    uint64_t sign = u.neg ? fp_sign(tsz) : 0;
    unsigned shift = 63 - fb;
    bool tiny = biased < 1;
    if (tiny) {
        if ((st->fpcr & A64_FPCR_FZ) && tsz >= 2) {
            st->exc |= A64_FPSR_UFC;
            return sign;
        }
        unsigned extra = (unsigned)(1 - biased);
        shift = shift + extra > 65 ? 65 : shift + extra;
    }
    /* q: the kept bits; rem against half: the discarded ones (shift 65 means
     * "below half an ulp, nonzero") */
    uint64_t q, rem, half;
    if (shift == 65) {
        q = 0, rem = 1, half = 2;
    } else if (shift == 64) {
        q = 0, rem = u.mant, half = 1ull << 63;
    } else {
        q = u.mant >> shift, rem = u.mant & ((1ull << shift) - 1), half = 1ull << (shift - 1);
    }
    bool inexact = rem != 0;
    if (round_odd) {
        if (inexact)
            q |= 1;
    } else if (fp_round_up(rm, u.neg, q, rem, half)) {
        q++;
    }
    uint64_t r;
    if (!tiny) {
        if (q >> (fb + 1)) { /* rounding carried into a new bit */
            q >>= 1;
            biased++;
        }
        if (biased >= emax) {
            st->exc |= A64_FPSR_OFC | A64_FPSR_IXC;
            bool to_inf = (rm == A64_RN || rm == A64_RA) && !round_odd;
            to_inf = to_inf || (rm == A64_RP && !u.neg) || (rm == A64_RM && u.neg);
            return to_inf ? fp_inf(tsz, u.neg) : fp_max_normal(tsz, u.neg);
        }
        r = ((uint64_t)biased << fb) | (q & fp_fracmask(tsz));
    } else {
        r = q; /* a denormal (q == 1 << fb is the smallest normal) */
        if (inexact)
            st->exc |= A64_FPSR_UFC;
    }
    if (inexact)
        st->exc |= A64_FPSR_IXC;
    return sign | r;
}

/* FPConvertNaN: keep the sign and the top fraction bits, set the quiet bit. */
static uint64_t fp_convert_nan(unsigned fsz, unsigned tsz, uint64_t a)
{
    unsigned ff = fp_fbits(fsz), tf = fp_fbits(tsz);
    uint64_t frac = a & fp_fracmask(fsz);
    frac = ff > tf ? frac >> (ff - tf) : frac << (tf - ff);
    return (fp_negative(fsz, a) ? fp_sign(tsz) : 0) | fp_expmask(tsz) | fp_quiet_bit(tsz) | frac;
}

uint64_t a64_f_convert(struct a64_fpst *st, unsigned fsz, unsigned tsz, uint64_t a,
                       bool round_odd)
{
    a = fp_in(st, fsz, a);
    if (fp_is_nan(fsz, a)) {
        if (fp_is_snan(fsz, a))
            st->exc |= A64_FPSR_IOC;
        return (st->fpcr & A64_FPCR_DN) ? fp_default_nan(tsz) : fp_convert_nan(fsz, tsz, a);
    }
    bool neg = fp_negative(fsz, a);
    if (fp_is_inf(fsz, a))
        return fp_inf(tsz, neg);
    if (fp_is_zero(fsz, a))
        return fp_zero(tsz, neg);
    return fp_round_pack(st, tsz, fp_unpack(fsz, a), fp_mode(st, round_odd ? A64_RZ : A64_RFPCR),
                         round_odd);
}

/* ---- integer conversions -------------------------------------------------------- */

uint64_t a64_f_to_int(struct a64_fpst *st, unsigned sz, uint64_t a, unsigned ibits,
                      unsigned fbits, bool uns, enum a64_round rm)
{
    a = fp_in(st, sz, a);
    rm = fp_mode(st, rm);
    uint64_t imax = uns ? (ibits == 64 ? ~0ull : (1ull << ibits) - 1) : (1ull << (ibits - 1)) - 1;
    uint64_t imin = uns ? 0 : 0 - (1ull << (ibits - 1)); /* as bits */
    uint64_t mask = ibits == 64 ? ~0ull : (1ull << ibits) - 1;
    if (fp_is_nan(sz, a)) {
        st->exc |= A64_FPSR_IOC;
        return 0;
    }
    bool neg = fp_negative(sz, a);
    if (fp_is_zero(sz, a))
        return 0;
    if (fp_is_inf(sz, a)) {
        st->exc |= A64_FPSR_IOC;
        return (neg ? imin : imax) & mask;
    }
    struct fp_unpacked u = fp_unpack(sz, a);
    int e = u.e + (int)fbits; /* value = mant * 2^(e - 63) */
    /* magnitude = mant >> (63 - e): q integral part, rem the discarded bits */
    unsigned __int128 q;
    uint64_t rem, half;
    if (e > 64) { /* far out of range */
        st->exc |= A64_FPSR_IOC;
        return (neg ? imin : imax) & mask;
    }
    if (e >= 63) {
        q = (unsigned __int128)u.mant << (e - 63);
        rem = 0;
        half = 1;
    } else if (e >= -1) {
        unsigned s = (unsigned)(63 - e); /* 1 .. 64 */
        q = s == 64 ? 0 : u.mant >> s;
        rem = s == 64 ? u.mant : u.mant & ((1ull << s) - 1);
        half = 1ull << (s - 1);
    } else { /* |value| < 0.25: below half */
        q = 0;
        rem = 1;
        half = 2;
    }
    bool inexact = rem != 0;
    if (fp_round_up(rm, neg, (uint64_t)q, rem, half))
        q++;
    /* range check on the rounded magnitude */
    bool overflow;
    if (neg)
        overflow = uns ? q != 0 : q > ((unsigned __int128)1 << (ibits - 1));
    else
        overflow = q > imax;
    if (overflow) {
        st->exc |= A64_FPSR_IOC;
        return (neg ? imin : imax) & mask;
    }
    if (inexact)
        st->exc |= A64_FPSR_IXC;
    uint64_t v = (uint64_t)q;
    return (neg ? 0 - v : v) & mask;
}

uint64_t a64_f_from_int(struct a64_fpst *st, unsigned sz, uint64_t v, unsigned ibits,
                        unsigned fbits, bool uns)
{
    if (ibits < 64)
        v = uns ? v & ((1ull << ibits) - 1) : (uint64_t)((int64_t)(v << (64 - ibits)) >> (64 - ibits));
    /* The conversion rounds once in the guest's mode; the scaling by 2^-fbits
     * (fbits <= 64) is exact for single and double.  Inexact is the only
     * exception it can raise: nothing to do on the fast path. */
    if (!st->fast)
        fp_enter(st);
    uint64_t r;
    if (sz == 3) {
        double d;
        if (uns) {
            uint64_t x = v;
            A64_FP_HIDE_INT(x);
            d = (double)x;
        } else {
            int64_t x = (int64_t)v;
            A64_FP_HIDE_INT(x);
            d = (double)x;
        }
        A64_FP_HIDE(d);
        if (fbits)
            d = ldexp(d, -(int)fbits);
        r = fp_d2u(d);
    } else {
        float f;
        if (uns) {
            uint64_t x = v;
            A64_FP_HIDE_INT(x);
            f = (float)x;
        } else {
            int64_t x = (int64_t)v;
            A64_FP_HIDE_INT(x);
            f = (float)x;
        }
        A64_FP_HIDE(f);
        if (fbits)
            f = ldexpf(f, -(int)fbits);
        r = fp_f2u(f);
    }
    return r;
}

/* ---- estimates ------------------------------------------------------------------- */

/* RecipEstimate: a in [256, 511] -> [256, 511] */
static unsigned fp_recip_estimate(unsigned a)
{
    a = a * 2 + 1;
    unsigned b = (1u << 19) / a;
    return (b + 1) / 2;
}

/* RecipSqrtEstimate: a in [128, 511] -> [256, 511] */
static unsigned fp_rsqrt_estimate(unsigned a)
{
    if (a < 256)
        a = a * 2 + 1;
    else
        a = (((a >> 1) << 1) + 1) * 2;
    unsigned b = 512;
    while ((uint64_t)a * (b + 1) * (b + 1) < (1ull << 28))
        b++;
    return (b + 1) / 2;
}

/* The fraction of x extended to 52 bits (FPRecipEstimate's view). */
static inline uint64_t fp_frac52(unsigned sz, uint64_t x)
{
    return (x & fp_fracmask(sz)) << (52 - fp_fbits(sz));
}

uint64_t a64_f_recpe(struct a64_fpst *st, unsigned sz, uint64_t a)
{
    a = fp_in(st, sz, a);
    bool neg = fp_negative(sz, a);
    if (fp_is_nan(sz, a))
        return fp_nan1(st, sz, a);
    if (fp_is_inf(sz, a))
        return fp_zero(sz, neg);
    if (fp_is_zero(sz, a)) {
        st->exc |= A64_FPSR_DZC;
        return fp_inf(sz, neg);
    }
    unsigned fb = fp_fbits(sz);
    int exp = (int)((a & fp_expmask(sz)) >> fb);
    uint64_t frac = fp_frac52(sz, a);
    /* |a| < 2^-(bias+1): the reciprocal overflows */
    if (exp == 0 && !(frac >> 50)) {
        enum a64_round rm = fp_mode(st, A64_RFPCR);
        bool to_inf = rm == A64_RN || (rm == A64_RP && !neg) || (rm == A64_RM && neg);
        st->exc |= A64_FPSR_OFC | A64_FPSR_IXC;
        return to_inf ? fp_inf(sz, neg) : fp_max_normal(sz, neg);
    }
    if ((st->fpcr & A64_FPCR_FZ) && exp >= 2 * fp_bias(sz) - 1) {
        st->exc |= A64_FPSR_UFC;
        return fp_zero(sz, neg);
    }
    if (exp == 0) {
        if (!(frac >> 51)) {
            exp = -1;
            frac = (frac << 2) & ((1ull << 52) - 1);
        } else {
            frac = (frac << 1) & ((1ull << 52) - 1);
        }
    }
    unsigned scaled = 256 | (unsigned)(frac >> 44);
    int rexp = 2 * fp_bias(sz) - 1 - exp;
    uint64_t est = fp_recip_estimate(scaled);
    uint64_t rfrac = (est & 0xff) << 44;
    if (rexp == 0) {
        rfrac = (1ull << 51) | (rfrac >> 1);
    } else if (rexp == -1) {
        rfrac = (1ull << 50) | (rfrac >> 2);
        rexp = 0;
    }
    return (neg ? fp_sign(sz) : 0) | ((uint64_t)rexp << fb) | (rfrac >> (52 - fb));
}

uint64_t a64_f_rsqrte(struct a64_fpst *st, unsigned sz, uint64_t a)
{
    a = fp_in(st, sz, a);
    bool neg = fp_negative(sz, a);
    if (fp_is_nan(sz, a))
        return fp_nan1(st, sz, a);
    if (fp_is_zero(sz, a)) {
        st->exc |= A64_FPSR_DZC;
        return fp_inf(sz, neg);
    }
    if (neg) {
        st->exc |= A64_FPSR_IOC;
        return fp_default_nan(sz);
    }
    if (fp_is_inf(sz, a))
        return 0;
    unsigned fb = fp_fbits(sz);
    int exp = (int)((a & fp_expmask(sz)) >> fb);
    uint64_t frac = fp_frac52(sz, a);
    const uint64_t m52 = (1ull << 52) - 1;
    if (exp == 0) {
        while (!(frac >> 51)) {
            frac = (frac << 1) & m52;
            exp--;
        }
        frac = (frac << 1) & m52;
    }
    unsigned scaled = (exp & 1) ? 128 | (unsigned)(frac >> 45) : 256 | (unsigned)(frac >> 44);
    int base = sz == 3 ? 3068 : 380;
    int rexp = (base - exp) / 2; /* base - exp > 0 */
    uint64_t est = fp_rsqrt_estimate(scaled);
    return ((uint64_t)rexp << fb) | (((est & 0xff) << 44) >> (52 - fb));
}

uint64_t a64_f_recpx(struct a64_fpst *st, unsigned sz, uint64_t a)
{
    a = fp_in(st, sz, a);
    if (fp_is_nan(sz, a))
        return fp_nan1(st, sz, a);
    unsigned fb = fp_fbits(sz);
    uint64_t exp = (a & fp_expmask(sz)) >> fb;
    uint64_t emask = (1ull << fp_ebits(sz)) - 1;
    uint64_t rexp = exp == 0 ? emask - 1 : ~exp & emask;
    return (a & fp_sign(sz)) | (rexp << fb);
}

uint32_t a64_f_urecpe(uint32_t a)
{
    if (!(a >> 31))
        return 0xffffffffu;
    return (uint32_t)fp_recip_estimate(a >> 23) << 23;
}

uint32_t a64_f_ursqrte(uint32_t a)
{
    if (!(a >> 30))
        return 0xffffffffu;
    return (uint32_t)fp_rsqrt_estimate(a >> 23) << 23;
}

uint64_t a64_fp_expand_imm(unsigned sz, unsigned imm8)
{
    unsigned e = fp_ebits(sz), f = fp_fbits(sz);
    uint64_t sign = (imm8 >> 7) & 1, b6 = (imm8 >> 6) & 1;
    uint64_t exp = ((b6 ^ 1) << (e - 1)) | ((b6 ? (1ull << (e - 3)) - 1 : 0) << 2) |
                   ((imm8 >> 4) & 3);
    uint64_t frac = (uint64_t)(imm8 & 15) << (f - 4);
    return sign << (e + f) | exp << f | frac;
}
