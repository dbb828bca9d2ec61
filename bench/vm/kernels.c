/* Compute kernels for the VM benchmark and the `compute` test guest; the same
 * source runs as a pc guest (at CPL0 or CPL3) and as a native host process. */
#include "kernels.h"

/* All data in one page-aligned block, so that the guest and the native build
 * place every array at the same page offset: the L1 cache is indexed by the
 * offset, and a different placement alone changes the time by ~10%. */
static struct {
    uint8_t crc_buf[KERNELS_CRC_MAX];
    uint32_t crc_table[256];
    uint8_t sieve[KERNELS_SIEVE_MAX];
    uint32_t mat_a[KERNELS_MAT_MAX][KERNELS_MAT_MAX], mat_b[KERNELS_MAT_MAX][KERNELS_MAT_MAX];
    uint32_t mat_c[KERNELS_MAT_MAX][KERNELS_MAT_MAX];
} kd __attribute__((aligned(4096)));

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s;
}

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        kd.crc_table[i] = c;
    }
}

static uint32_t crc32_buf(uint32_t n, uint32_t seed)
{
    for (uint32_t i = 0; i < n; i++)
        kd.crc_buf[i] = (uint8_t)(lcg(&seed) >> 24);
    uint32_t c = 0xffffffffu;
    for (uint32_t i = 0; i < n; i++)
        c = kd.crc_table[(c ^ kd.crc_buf[i]) & 0xff] ^ (c >> 8);
    return ~c;
}

static uint32_t count_primes(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        kd.sieve[i] = 1;
    kd.sieve[0] = kd.sieve[1] = 0;
    for (uint32_t i = 2; i * i < n; i++)
        if (kd.sieve[i])
            for (uint32_t j = i * i; j < n; j += i)
                kd.sieve[j] = 0;
    uint32_t count = 0;
    for (uint32_t i = 0; i < n; i++)
        count += kd.sieve[i];
    return count;
}

static uint64_t mat_mul(uint32_t n, uint32_t seed)
{
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++) {
            kd.mat_a[i][j] = lcg(&seed) >> 20;
            kd.mat_b[i][j] = lcg(&seed) >> 20;
        }
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++) {
            uint32_t s = 0;
            for (uint32_t k = 0; k < n; k++)
                s += kd.mat_a[i][k] * kd.mat_b[k][j];
            kd.mat_c[i][j] = s;
        }
    uint64_t sum = 0;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++)
            sum += kd.mat_c[i][j];
    return sum;
}

void kernels_run(struct kernels_size size, unsigned rounds, struct kernels_result *r,
                 kernels_phase_fn phase)
{
    if (size.crc_bytes > KERNELS_CRC_MAX)
        size.crc_bytes = KERNELS_CRC_MAX;
    if (size.sieve_n > KERNELS_SIEVE_MAX)
        size.sieve_n = KERNELS_SIEVE_MAX;
    if (size.sieve_n < 2)
        size.sieve_n = 2;
    if (size.mat_n > KERNELS_MAT_MAX)
        size.mat_n = KERNELS_MAT_MAX;
    if (phase)
        phase(1);
    crc_init();
    r->check = 0;
    for (unsigned round = 0; round < rounds; round++) {
        int last = round + 1 == rounds;
        r->crc = crc32_buf(size.crc_bytes, 0x12345678u + round);
        if (last && phase)
            phase(2);
        r->primes = count_primes(size.sieve_n);
        if (last && phase)
            phase(3);
        r->mat = mat_mul(size.mat_n, 0x9abcdef0u + round);
        r->check = (r->check ^ r->crc ^ ((uint64_t)r->primes << 32) ^ r->mat) * 0x100000001b3ull;
    }
    if (phase)
        phase(4);
}
