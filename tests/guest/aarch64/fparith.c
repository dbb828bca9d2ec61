/* Floating-point arithmetic: + - * / sqrt fma, conversions both ways,
 * comparisons, rounding functions, float and double, special values. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static volatile double dv[] = {0.0, -0.0, 1.0, -1.5, 3.141592653589793, 1e-310, 1e300,
                               -2.5e-5, 123456789.125, 0.1};
static volatile float fv[] = {0.0f, 1.0f, -1.5f, 3.14159265f, 1e-40f, 3e38f, 0.1f, -7.75f};
#define N(a) (sizeof(a) / sizeof(a[0]))

static uint64_t bits64(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

static uint32_t bits32(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

int main(void)
{
    for (unsigned i = 0; i < N(dv); i++) {
        double x = dv[i], y = dv[(i + 3) % N(dv)];
        printf("d%u %016llx %016llx %016llx %016llx\n", i, (unsigned long long)bits64(x + y),
               (unsigned long long)bits64(x - y), (unsigned long long)bits64(x * y),
               (unsigned long long)bits64(y != 0 ? x / y : 0));
        printf("   sqrt %016llx fma %016llx neg %016llx abs %016llx\n",
               (unsigned long long)bits64(sqrt(fabs(x))), (unsigned long long)bits64(fma(x, y, 1.0)),
               (unsigned long long)bits64(-x), (unsigned long long)bits64(fabs(x)));
        printf("   to i64 %lld to u32 %u to f %08x cmp %d%d%d\n", (long long)x,
               (unsigned)(x > 0 && x < 4e9 ? x : 0), bits32((float)x), x < y, x == y, x >= y);
        printf("   floor %g ceil %g round %g trunc %g rint %g\n", floor(x), ceil(x), round(x),
               trunc(x), rint(x));
        printf("   min %g max %g\n", fmin(x, y), fmax(x, y));
    }
    for (unsigned i = 0; i < N(fv); i++) {
        float x = fv[i], y = fv[(i + 5) % N(fv)];
        printf("f%u %08x %08x %08x %08x sqrt %08x to d %016llx to i %d\n", i, bits32(x + y),
               bits32(x - y), bits32(x * y), bits32(y != 0 ? x / y : 0), bits32(sqrtf(fabsf(x))),
               (unsigned long long)bits64((double)x), (int)x);
    }
    for (int64_t k = -3; k <= 3; k++)
        printf("i64 %lld -> %016llx, u64 -> %016llx\n", (long long)k,
               (unsigned long long)bits64((double)(k * 1000000007)),
               (unsigned long long)bits64((double)(uint64_t)(k * 1000000007)));
    double inf = 1.0 / dv[0], nan = inf - inf;
    printf("inf %g -inf %g nan? %d isinf %d nan<1 %d\n", inf, -inf, isnan(nan), isinf(inf),
           nan < 1.0);
    double s = 0;
    for (int k = 1; k <= 100000; k++)
        s += 1.0 / ((double)k * k);
    printf("sum 1/k^2 %.15f\n", s);
    return 0;
}
