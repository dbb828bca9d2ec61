/* Shared bits of the AArch64 benchmark programs: the repetition count from
 * argv[1], a deterministic pseudo-random generator, and the checksum line
 * every program prints (run.sh compares it with the native run's). */
#ifndef BENCH_A64_H
#define BENCH_A64_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* bench_reps: argv[1] if given (a positive count), else def. */
static inline int bench_reps(int argc, char **argv, int def)
{
    if (argc > 1) {
        int n = atoi(argv[1]);
        if (n > 0)
            return n;
    }
    return def;
}

/* bench_rand: xorshift64*, the same sequence on every host. */
static inline uint64_t bench_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545f4914f6cdd1dull;
}

static inline int bench_done(const char *name, uint64_t sum)
{
    printf("%s %016llx\n", name, (unsigned long long)sum);
    return 0;
}
#endif
