/* Integer division by zero: AArch64 SDIV/UDIV return 0 and never trap. */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    volatile int32_t a = 1234567, zero = 0, m1 = -1, min = INT32_MIN;
    volatile int64_t b = -987654321012345ll, zero64 = 0, m164 = -1, min64 = INT64_MIN;
    volatile uint32_t ua = 4000000000u, uz = 0;
    volatile uint64_t ub = 18000000000000000000ull, uz64 = 0;
    printf("int32  %d / 0 = %d\n", a, a / zero);
    printf("int64  %lld / 0 = %lld\n", (long long)b, (long long)(b / zero64));
    printf("uint32 %u / 0 = %u\n", ua, ua / uz);
    printf("uint64 %llu / 0 = %llu\n", (unsigned long long)ub, (unsigned long long)(ub / uz64));
    printf("int32  INT32_MIN / -1 = %d\n", min / m1);
    printf("int64  INT64_MIN / -1 = %lld\n", (long long)(min64 / m164));
    /* the remainder is computed as a - (a / b) * b (MSUB): a % 0 == a */
    printf("int32  %d %% 0 = %d\n", a, a % zero);
    printf("uint64 %llu %% 0 = %llu\n", (unsigned long long)ub, (unsigned long long)(ub % uz64));
    return 0;
}
