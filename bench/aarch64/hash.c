/* Benchmark: two hash functions over a 1 MiB buffer, REPS passes: FNV-1a 64
 * (one byte at a time) and a murmur-style 64-bit block mix (8 bytes at a
 * time with multiply, rotate, xor), each pass seeded with the last hash. */
#include <string.h>
#include "bench.h"

#define HASH_BUF (1u << 20)
static uint8_t hash_buf[HASH_BUF];

static uint64_t hash_fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
    h ^= 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static uint64_t hash_rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t hash_mix(uint64_t h, const uint8_t *p, size_t n)
{
    const uint64_t m1 = 0x87c37b91114253d5ull, m2 = 0x4cf5ad432745937full;
    for (size_t i = 0; i + 8 <= n; i += 8) {
        uint64_t k;
        memcpy(&k, p + i, 8);
        k *= m1;
        k = hash_rotl(k, 31);
        k *= m2;
        h ^= k;
        h = hash_rotl(h, 27) * 5 + 0x52dce729;
    }
    h ^= n;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

int main(int argc, char **argv)
{
    int reps = bench_reps(argc, argv, 200);
    uint64_t st = 5, h1 = 0, h2 = 0;
    for (uint32_t i = 0; i < HASH_BUF; i++)
        hash_buf[i] = (uint8_t)bench_rand(&st);
    for (int r = 0; r < reps; r++) {
        h1 = hash_fnv1a(h1, hash_buf, HASH_BUF);
        h2 = hash_mix(h2 ^ h1, hash_buf, HASH_BUF);
    }
    return bench_done("hash", h1 ^ hash_rotl(h2, 17));
}
