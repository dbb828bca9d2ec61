/* Integer division by zero on x86-64 raises #DE: the program dies by SIGFPE
 * (status 136) after its earlier output, unlike AArch64, where it yields 0
 * (tests/guest/aarch64/divzero.c). */
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argv;
    volatile int64_t a = 1234567, b = 1000 - 999 * argc; /* 1 with no arguments */
    printf("1234567 / %lld = %lld\n", (long long)b, (long long)(a / b));
    fflush(stdout);
    volatile int32_t zero = 0;
    printf("%d\n", (int)a / zero);
    printf("after the division (must not be printed)\n");
    return 0;
}
