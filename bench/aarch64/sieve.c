/* Benchmark: sieve of Eratosthenes over a byte array, REPS times with a
 * growing limit; the checksum mixes each prime count and the last prime. */
#include <string.h>
#include "bench.h"

#define SIEVE_MAX (4u << 20)
static unsigned char sieve_flags[SIEVE_MAX + 1];

static uint64_t sieve_run(uint32_t limit)
{
    uint64_t count = 0, last = 0;
    memset(sieve_flags, 1, limit + 1);
    for (uint32_t i = 2; (uint64_t)i * i <= limit; i++)
        if (sieve_flags[i])
            for (uint32_t j = i * i; j <= limit; j += i)
                sieve_flags[j] = 0;
    for (uint32_t i = 2; i <= limit; i++)
        if (sieve_flags[i]) {
            count++;
            last = i;
        }
    return count * 1000003u + last;
}

int main(int argc, char **argv)
{
    int reps = bench_reps(argc, argv, 20);
    uint64_t sum = 0;
    for (int r = 0; r < reps; r++)
        sum = sum * 31 + sieve_run(SIEVE_MAX - (uint32_t)(r % 7) * 1024);
    return bench_done("sieve", sum);
}
