/* FP/SIMD guest program (test_a64_fp_progs): libm, printf/strtod of floats,
 * <fenv.h> rounding modes and exception flags, float <-> integer
 * conversions, as static glibc and gcc -O2 use them.  Every line it prints
 * must be identical under ferry and under qemu-aarch64 (fp_prog_expected/). */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile double vd[] = {0.0, -0.0, 0.5, -1.5, 2.5, 3.14159265358979, -2.718281828459045,
                               1e-310, 1e300, -7.25e-5, 123456.789, 1.0 / 3.0, 0.1, 1e22, 4.5};
static volatile float vf[] = {0.0f, -0.5f, 1.5f, 2.5f, -3.75f, 1e-40f, 3.4e38f, 0.1f, 16777217.0f};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, 8);
    return u;
}

static void show_flags(const char *what)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    printf("%-14s flags:%s%s%s%s%s\n", what, e & FE_INVALID ? " invalid" : "",
           e & FE_DIVBYZERO ? " divbyzero" : "", e & FE_OVERFLOW ? " overflow" : "",
           e & FE_UNDERFLOW ? " underflow" : "", e & FE_INEXACT ? " inexact" : "");
    feclearexcept(FE_ALL_EXCEPT);
}

static void libm(void)
{
    for (unsigned i = 0; i < N(vd); i++) {
        double x = vd[i];
        printf("x=%.17g sqrt=%.17g exp=%.17g log=%.17g sin=%.17g cos=%.17g\n", x, sqrt(fabs(x)),
               exp(x / 64), log(fabs(x) + 1), sin(x), cos(x));
        printf("  atan2=%.17g pow=%.17g cbrt=%.17g fmod=%.17g hypot=%.17g tanh=%.17g\n",
               atan2(x, 1.5), pow(fabs(x), 0.75), cbrt(x), fmod(x, 0.7), hypot(x, 3.0), tanh(x));
        printf("  floor=%g ceil=%g round=%g trunc=%g rint=%g nearbyint=%g lround=%ld llrint=%lld\n",
               floor(x), ceil(x), round(x), trunc(x), rint(x), nearbyint(x),
               fabs(x) < 1e18 ? lround(x) : 0L, fabs(x) < 1e18 ? llrint(x) : 0LL);
        int e;
        double m = frexp(x, &e);
        printf("  frexp=%a,%d ldexp=%a expm1=%.17g log1p=%.17g bits=%016llx\n", m, e, ldexp(x, 7),
               expm1(x / 100), log1p(fabs(x)), (unsigned long long)bits(x));
    }
    for (unsigned i = 0; i < N(vf); i++) {
        float x = vf[i];
        printf("f=%.9g sqrtf=%.9g expf=%.9g logf=%.9g sinf=%.9g powf=%.9g floorf=%g roundf=%g\n", x,
               sqrtf(fabsf(x)), expf(x / 64), logf(fabsf(x) + 1), sinf(x), powf(fabsf(x), 1.5f),
               floorf(x), roundf(x));
        printf("  (double)=%.17g (int)=%d (unsigned)=%u (long)=%ld %e %a\n", (double)x,
               fabsf(x) < 2e9f ? (int)x : -1, x >= 0 && x < 4e9f ? (unsigned)x : 7u,
               fabsf(x) < 9e18f ? (long)x : -1L, x, x);
    }
}

static void printing(void)
{
    static const double v[] = {0.1, 1.0 / 3, 2.0 / 3, 1e-5, 123456789.125, 1e100, -0.0, 5e-324,
                               DBL_MAX, 0.5, 1.5, 2.5, 1234.5678};
    for (unsigned i = 0; i < N(v); i++)
        printf("%f|%.3f|%g|%.12g|%e|%.0f|%10.4f|%-12.2e|%a\n", v[i], v[i], v[i], v[i], v[i], v[i],
               v[i], v[i], v[i]);
    printf("%f %f %g %g\n", INFINITY, -INFINITY, NAN, -NAN);
    static const char *const s[] = {"3.14159", "1e-320", "0x1.8p3", "-0", "2.2250738585072011e-308",
                                    "1.7976931348623157e308", "1e400", "0.1", "123.456e-2",
                                    "4.9406564584124654e-324", "nan", "-inf"};
    for (unsigned i = 0; i < N(s); i++) {
        double d = strtod(s[i], NULL);
        float f = strtof(s[i], NULL);
        printf("strtod(%s)=%.17g %016llx strtof=%.9g\n", s[i], d, (unsigned long long)bits(d), f);
    }
}

static void rounding(void)
{
    static const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
    static const char *const names[] = {"nearest", "upward", "downward", "towardzero"};
    for (unsigned m = 0; m < 4; m++) {
        fesetround(modes[m]);
        volatile double a = 1.0, b = 3.0, c = -2.5;
        volatile float fa = 1.0f, fb = 3.0f;
        printf("%-10s 1/3=%.17g -1/3=%.17g f1/3=%.9g rint(2.5)=%g rint(-2.5)=%g nearbyint(-0.5)=%g "
               "llrint(2.5)=%lld sqrt(2)=%.17g fma=%.17g (float)1/3=%.9g\n",
               names[m], a / b, -a / b, fa / fb, rint(c + 5.0), rint(c), nearbyint(-0.5),
               llrint(2.5), sqrt(2.0 * a), fma(a / b, b, -a), (float)(a / b));
        printf("%-10s fegetround ok=%d\n", names[m], fegetround() == modes[m]);
    }
    fesetround(FE_TONEAREST);
}

static void exceptions(void)
{
    volatile double zero = 0.0, one = 1.0, big = 1e308, tiny = 1e-308, three = 3.0;
    feclearexcept(FE_ALL_EXCEPT);
    show_flags("none");
    volatile double r = one / zero;
    show_flags("1/0");
    r = zero / zero;
    show_flags("0/0");
    r = big * big;
    show_flags("overflow");
    r = tiny * tiny;
    show_flags("underflow");
    r = one / three;
    show_flags("1/3");
    r = sqrt(-one);
    show_flags("sqrt(-1)");
    volatile long l = (long)(big);
    show_flags("(long)1e308");
    (void)r;
    (void)l;
}

/* Compiled to FCVTZS/SCVTF/FCVT/FCSEL/FMAX/FMADD by gcc -O2. */
static void conversions(void)
{
    double acc = 0;
    float facc = 0;
    long long isum = 0;
    for (int i = -50; i < 50; i++) {
        double x = i * 0.37 + 0.1;
        float f = (float)x * 1.5f;
        acc += x * x - f;
        facc = fmaxf(facc, f) + (float)i / 7.0f;
        isum += (long long)(x * 1000) + (int)f + (unsigned char)(i + 300) + (long long)lrint(x);
        acc = acc > 100 ? acc - 100 : acc;
    }
    printf("conv acc=%.17g facc=%.9g isum=%lld\n", acc, facc, isum);
    unsigned long long big = 0xfffffffffffffc00ull;
    printf("u64->double %.17g double->u64 %llu i64->float %.9g\n", (double)big,
           (unsigned long long)(double)(big >> 1), (float)(long long)big);
}

int main(void)
{
    libm();
    printing();
    rounding();
    exceptions();
    conversions();
    return 0;
}
