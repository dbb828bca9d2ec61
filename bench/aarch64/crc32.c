/* Benchmark: bytewise table-driven CRC-32 (reflected, poly 0xedb88320) over
 * a 1 MiB pseudo-random buffer, REPS passes, each seeded with the last CRC. */
#include "bench.h"

#define CRC_BUF (1u << 20)
static uint8_t crc_buf[CRC_BUF];
static uint32_t crc_table[256];

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--)
        crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

int main(int argc, char **argv)
{
    int reps = bench_reps(argc, argv, 150);
    uint64_t st = 0x1234567;
    crc_init();
    for (uint32_t i = 0; i < CRC_BUF; i++)
        crc_buf[i] = (uint8_t)bench_rand(&st);
    uint32_t crc = 0;
    uint64_t sum = 0;
    for (int r = 0; r < reps; r++) {
        crc = crc_update(crc, crc_buf, CRC_BUF);
        sum = sum * 33 + crc;
    }
    return bench_done("crc32", sum);
}
