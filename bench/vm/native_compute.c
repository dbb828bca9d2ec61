/* The `compute` guest's kernels (kernels.c) as a native host process, for
 * bench/vm/run.sh: prints the same result line as the guest and the time
 * spent in the kernels (the guest's phase markers 1..4 measure the same). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kernels.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    unsigned rounds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 1;
    struct kernels_result r;
    double t0 = now();
    kernels_run(KERNELS_FULL, rounds, &r, NULL);
    double t1 = now();
    printf("compute: full rounds %u crc32 %08x primes %u matrix %#lx check %016lx\n", rounds, r.crc,
           r.primes, (unsigned long)r.mat, (unsigned long)r.check);
    fprintf(stderr, "kernels: %.3f ms\n", (t1 - t0) * 1e3);
    return 0;
}
