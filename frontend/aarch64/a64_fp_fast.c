/* Fast helpers for the hottest Advanced SIMD FP forms: FADD/FSUB/FMUL/FDIV/
 * FMLA/FMLS on .2S/.4S/.2D (element-wise and by element), all lanes in one
 * call with host SSE, falling back to the exact generic helper
 * (a64_h_fp_binary) whenever a lane's result could differ from Arm's. */
#include <string.h>

#include "frontend/aarch64/a64_fp.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define A64_FV_SSE 1
#define FV_FMA_TARGET __attribute__((target("fma")))
#else
#define FV_FMA_TARGET
#endif

/* When the host result is the Arm result, with the same FPSR effect.
 *
 * Precondition (a64_fp_fast_env): FPCR.RMode = RN, FPCR.FZ = 0 and FPSR.IXC
 * already set; FPCR.DN and AHP only matter for NaN / half results, which
 * never take this path.  The host runs in its default environment (round to
 * nearest, no FTZ/DAZ: Ferry never changes it outside a64_fpst_begin/end).
 *
 * Every lane's result r must then satisfy  2^emin < |r| < inf  (for add and
 * sub also r = 0):
 *  - a NaN result (NaN operand, or Invalid: inf - inf, 0 * inf, 0 / 0) fails,
 *    so NaN operands and the Arm NaN rules all go to the full path;
 *  - DivideByZero and Overflow give infinities: fail;
 *  - Arm detects tininess before rounding, x86 after: a result rounded up to
 *    exactly 2^emin may have been tiny for Arm, so 2^emin itself fails, and
 *    any larger result was not tiny for either;
 *  - an exact zero of add/sub cannot be an underflow (a sum below 2^(emin+1)
 *    is exact); a zero product or quotient can, so it fails;
 *  - Inexact is already in FPSR, and Input Denormal needs FZ.
 * So a lane that passes raised nothing FPSR does not already hold.  The
 * host's own MXCSR flags are left as they are (a64_fpst_begin clears them
 * before it reads them). */

#ifdef A64_FV_SSE
enum { FV_ADD, FV_SUB, FV_MUL, FV_DIV, FV_MLA, FV_MLS };

static inline __m128i fv_load(const union a64_vreg *v, bool q)
{
    /* two 64-bit loads: the JIT writes the halves with 64-bit stores, and a
     * 128-bit load of them would miss store forwarding */
    if (!q) {
        __m128i lo = _mm_cvtsi64_si128((long long)v->d[0]);
        return _mm_unpacklo_epi64(lo, lo); /* lanes 2, 3 = 0, 1 (for the check) */
    }
    __m128d x; /* asm: GCC would merge two adjacent loads into one */
    __asm__("movsd %1, %0\n\tmovhpd %2, %0" : "=&x"(x) : "m"(v->d[0]), "m"(v->d[1]));
    return _mm_castpd_si128(x);
}

static inline void fv_store(union a64_vreg *v, __m128i r, bool q)
{
    v->d[0] = (uint64_t)_mm_cvtsi128_si64(r);
    v->d[1] = q ? (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(r, r)) : 0;
}

/* All lanes of r (float lanes when !dbl) within (2^emin, inf), or zero when zero_ok. */
static inline bool fv_ok_ps(__m128 r, bool zero_ok)
{
    __m128 m = _mm_andnot_ps(_mm_set1_ps(-0.0f), r);
    __m128 ok = _mm_and_ps(_mm_cmpgt_ps(m, _mm_set1_ps(0x1p-126f)),
                           _mm_cmplt_ps(m, _mm_set1_ps(__builtin_inff())));
    if (zero_ok)
        ok = _mm_or_ps(ok, _mm_cmpeq_ps(m, _mm_setzero_ps()));
    return _mm_movemask_ps(ok) == 0xf;
}
static inline bool fv_ok_pd(__m128d r, bool zero_ok)
{
    __m128d m = _mm_andnot_pd(_mm_set1_pd(-0.0), r);
    __m128d ok = _mm_and_pd(_mm_cmpgt_pd(m, _mm_set1_pd(0x1p-1022)),
                            _mm_cmplt_pd(m, _mm_set1_pd(__builtin_inf())));
    if (zero_ok)
        ok = _mm_or_pd(ok, _mm_cmpeq_pd(m, _mm_setzero_pd()));
    return _mm_movemask_pd(ok) == 0x3;
}

/* The m operand: Vm, or Vm[index] in every lane (by element: imm2 = index + 1). */
static inline __m128i fv_operand_m(const struct a64_cpu *cpu, unsigned rm, unsigned imm2,
                                   unsigned sz, bool q)
{
    if (!imm2)
        return fv_load(&cpu->v[rm], q);
    if (sz == 3)
        return _mm_set1_epi64x((long long)cpu->v[rm].d[imm2 - 1]);
    return _mm_set1_epi32((int)cpu->v[rm].s[imm2 - 1]);
}

/* One op on all lanes; false (nothing written) if the full path is needed. */
static inline __attribute__((always_inline)) bool fv_run(struct a64_cpu *cpu, uint64_t desc,
                                                          unsigned op, unsigned sz)
{
    unsigned rd = desc & 31, rn = (desc >> 5) & 31, rm = (desc >> 10) & 31;
    bool q = (desc >> 22) & 1;
    unsigned imm2 = (desc >> 40) & 0xff;
    if (!a64_fp_fast_env(cpu))
        return false;
    __m128i a = fv_load(&cpu->v[rn], q), b = fv_operand_m(cpu, rm, imm2, sz, q);
    __m128i r;
    bool zero_ok = op == FV_ADD || op == FV_SUB;
    if (sz == 3) {
        __m128d x = _mm_castsi128_pd(a), y = _mm_castsi128_pd(b), z;
        switch (op) {
        case FV_ADD: z = _mm_add_pd(x, y); break;
        case FV_SUB: z = _mm_sub_pd(x, y); break;
        case FV_MUL: z = _mm_mul_pd(x, y); break;
        default: z = _mm_div_pd(x, y); break;
        }
        if (!fv_ok_pd(z, zero_ok))
            return false;
        r = _mm_castpd_si128(z);
    } else {
        __m128 x = _mm_castsi128_ps(a), y = _mm_castsi128_ps(b), z;
        switch (op) {
        case FV_ADD: z = _mm_add_ps(x, y); break;
        case FV_SUB: z = _mm_sub_ps(x, y); break;
        case FV_MUL: z = _mm_mul_ps(x, y); break;
        default: z = _mm_div_ps(x, y); break;
        }
        if (!fv_ok_ps(z, zero_ok))
            return false;
        r = _mm_castps_si128(z);
    }
    fv_store(&cpu->v[rd], r, q);
    return true;
}

/* FMLA/FMLS: Vd = Vd + (-)Vn * Vm fused, with the host's FMA3 (only
 * selected by the translator when the host has it, a64_fp_host_fma). */
static inline __attribute__((always_inline, target("fma"))) bool
fv_run_fma(struct a64_cpu *cpu, uint64_t desc, bool sub, unsigned sz)
{
    unsigned rd = desc & 31, rn = (desc >> 5) & 31, rm = (desc >> 10) & 31;
    bool q = (desc >> 22) & 1;
    unsigned imm2 = (desc >> 40) & 0xff;
    if (!a64_fp_fast_env(cpu))
        return false;
    __m128i a = fv_load(&cpu->v[rn], q), b = fv_operand_m(cpu, rm, imm2, sz, q);
    __m128i c = fv_load(&cpu->v[rd], q);
    __m128i r;
    if (sz == 3) {
        __m128d x = _mm_castsi128_pd(a), y = _mm_castsi128_pd(b), w = _mm_castsi128_pd(c);
        __m128d z = sub ? _mm_fnmadd_pd(x, y, w) : _mm_fmadd_pd(x, y, w);
        if (!fv_ok_pd(z, false))
            return false;
        r = _mm_castpd_si128(z);
    } else {
        __m128 x = _mm_castsi128_ps(a), y = _mm_castsi128_ps(b), w = _mm_castsi128_ps(c);
        __m128 z = sub ? _mm_fnmadd_ps(x, y, w) : _mm_fmadd_ps(x, y, w);
        if (!fv_ok_ps(z, false))
            return false;
        r = _mm_castps_si128(z);
    }
    fv_store(&cpu->v[rd], r, q);
    return true;
}

bool a64_fp_host_fma(void)
{
    static int have = -1;
    if (have < 0)
        have = __builtin_cpu_supports("fma") ? 1 : 0;
    return have != 0;
}

#define FV_BODY(op, sz)                                                                            \
    if (!fv_run(cpu, desc, op, sz))                                                                \
        a64_h_fp_binary(cpu, desc)
#define FV_FMA_BODY(sub, sz)                                                                       \
    if (!fv_run_fma(cpu, desc, sub, sz))                                                           \
        a64_h_fp_binary(cpu, desc)
#else
bool a64_fp_host_fma(void) { return false; }
#define FV_BODY(op, sz) a64_h_fp_binary(cpu, desc)
#define FV_FMA_BODY(sub, sz) a64_h_fp_binary(cpu, desc)
#endif

static void a64_h_fv_add_s(struct a64_cpu *cpu, uint64_t desc) { FV_BODY(FV_ADD, 2); }
static void a64_h_fv_sub_s(struct a64_cpu *cpu, uint64_t desc) { FV_BODY(FV_SUB, 2); }
static void a64_h_fv_mul_s(struct a64_cpu *cpu, uint64_t desc) { FV_BODY(FV_MUL, 2); }
static void a64_h_fv_div_s(struct a64_cpu *cpu, uint64_t desc) { FV_BODY(FV_DIV, 2); }
static void a64_h_fv_add_d(struct a64_cpu *cpu, uint64_t desc) { FV_BODY(FV_ADD, 3); }
static void a64_h_fv_sub_d(struct a64_cpu *cpu, uint64_t desc) { FV_BODY(FV_SUB, 3); }
static void a64_h_fv_mul_d(struct a64_cpu *cpu, uint64_t desc) { FV_BODY(FV_MUL, 3); }
static void a64_h_fv_div_d(struct a64_cpu *cpu, uint64_t desc) { FV_BODY(FV_DIV, 3); }
static FV_FMA_TARGET void a64_h_fv_mla_s(struct a64_cpu *cpu, uint64_t desc)
{
    FV_FMA_BODY(false, 2);
}
static FV_FMA_TARGET void a64_h_fv_mls_s(struct a64_cpu *cpu, uint64_t desc)
{
    FV_FMA_BODY(true, 2);
}
static FV_FMA_TARGET void a64_h_fv_mla_d(struct a64_cpu *cpu, uint64_t desc)
{
    FV_FMA_BODY(false, 3);
}
static FV_FMA_TARGET void a64_h_fv_mls_d(struct a64_cpu *cpu, uint64_t desc)
{
    FV_FMA_BODY(true, 3);
}

#define A64_HF_FP (IR_HF_ENV | IR_HF_SIDE)
#define FV_HELPER(name, fn) {name, (void *)fn, IR_VOID, 1, {IR_I64}, A64_HF_FP}

static const struct ir_helper fv_helpers[2][6] = {
    {
        FV_HELPER("a64_fv_add_s", a64_h_fv_add_s),
        FV_HELPER("a64_fv_sub_s", a64_h_fv_sub_s),
        FV_HELPER("a64_fv_mul_s", a64_h_fv_mul_s),
        FV_HELPER("a64_fv_div_s", a64_h_fv_div_s),
        FV_HELPER("a64_fv_mla_s", a64_h_fv_mla_s),
        FV_HELPER("a64_fv_mls_s", a64_h_fv_mls_s),
    },
    {
        FV_HELPER("a64_fv_add_d", a64_h_fv_add_d),
        FV_HELPER("a64_fv_sub_d", a64_h_fv_sub_d),
        FV_HELPER("a64_fv_mul_d", a64_h_fv_mul_d),
        FV_HELPER("a64_fv_div_d", a64_h_fv_div_d),
        FV_HELPER("a64_fv_mla_d", a64_h_fv_mla_d),
        FV_HELPER("a64_fv_mls_d", a64_h_fv_mls_d),
    },
};

const struct ir_helper *a64_fp_vec_helper(unsigned op, unsigned es, bool scalar)
{
    int i;
    switch (op) {
    case A64_F_ADD: i = 0; break;
    case A64_F_SUB: i = 1; break;
    case A64_F_MUL: i = 2; break;
    case A64_F_DIV: i = 3; break;
    case A64_F_MLA: i = 4; break;
    case A64_F_MLS: i = 5; break;
    default: return &a64_hd_fp_binary;
    }
    if (scalar || (es != 2 && es != 3))
        return &a64_hd_fp_binary;
    if (i >= 4 && !a64_fp_host_fma())
        return &a64_hd_fp_binary;
    return &fv_helpers[es - 2][i];
}
