/* The host TSC rate (ticks per second), for bench/vm/run.sh: the `exits`
 * guest reports TSC ticks, and KVM guests see the host TSC's rate. */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

int main(void)
{
    struct timespec a, b, d = {0, 200 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &a);
    uint64_t t0 = __rdtsc();
    nanosleep(&d, NULL);
    uint64_t t1 = __rdtsc();
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    printf("%.0f\n", (double)(t1 - t0) / s);
    return 0;
}
