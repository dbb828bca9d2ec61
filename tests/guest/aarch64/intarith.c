/* Integer arithmetic the compiler turns into every kind of data-processing
 * instruction: widths, signedness, shifts, rotates, bit counts, high
 * multiplies, conditional selects, and a checksum over a mixing loop. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

static volatile uint64_t seeds[] = {0, 1, 2, 3, 7, 0x7f, 0x80, 0xff, 0x7fffffff, 0x80000000,
                                    0xffffffff, 0x123456789abcdef0ull, 0x8000000000000000ull,
                                    0xffffffffffffffffull, 0xfedcba9876543210ull, 12345678901ull};
#define NSEEDS (sizeof(seeds) / sizeof(seeds[0]))

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h;
}

int main(void)
{
    for (unsigned i = 0; i < NSEEDS; i++) {
        uint64_t x = seeds[i], y = seeds[(i * 7 + 3) % NSEEDS];
        int64_t sx = (int64_t)x, sy = (int64_t)y;
        uint32_t wx = (uint32_t)x, wy = (uint32_t)y;
        int32_t swx = (int32_t)wx, swy = (int32_t)wy;
        printf("%2u add %016" PRIx64 " sub %016" PRIx64 " mul %016" PRIx64 "\n", i, x + y, x - y,
               x * y);
        printf("   w: add %08" PRIx32 " sub %08" PRIx32 " mul %08" PRIx32 " neg %08" PRIx32 "\n",
               wx + wy, wx - wy, wx * wy, -wx);
        printf("   udiv %" PRIu64 " sdiv %" PRId64 " urem %" PRIu64 "\n", y ? x / y : 0,
               (sy && !(sx == INT64_MIN && sy == -1)) ? sx / sy : 0, y ? x % y : 0);
        printf("   w udiv %" PRIu32 " sdiv %" PRId32 "\n", wy ? wx / wy : 0,
               (swy && !(swx == INT32_MIN && swy == -1)) ? swx / swy : 0);
        unsigned s = (unsigned)(y & 63), ws = (unsigned)(y & 31);
        printf("   lsl %016" PRIx64 " lsr %016" PRIx64 " asr %016" PRIx64 " ror %016" PRIx64 "\n",
               x << s, x >> s, (uint64_t)(sx >> s), (x >> s) | (x << ((64 - s) & 63)));
        printf("   w lsl %08" PRIx32 " lsr %08" PRIx32 " asr %08" PRIx32 "\n", wx << ws, wx >> ws,
               (uint32_t)(swx >> ws));
        printf("   clz %d ctz %d pop %d rev %016" PRIx64 " rev32 %08" PRIx32 "\n",
               x ? __builtin_clzll(x) : 64, x ? __builtin_ctzll(x) : 64, __builtin_popcountll(x),
               __builtin_bswap64(x), __builtin_bswap32(wx));
        unsigned __int128 up = (unsigned __int128)x * y;
        __int128 sp = (__int128)sx * sy;
        printf("   umulh %016" PRIx64 " smulh %016" PRIx64 " smull %016" PRIx64 "\n",
               (uint64_t)(up >> 64), (uint64_t)((unsigned __int128)sp >> 64),
               (uint64_t)((int64_t)swx * swy));
        printf("   sel %" PRId64 " %" PRId64 " cmp %d%d%d%d\n", sx < sy ? sx : sy,
               x > y ? x - y : y - x, sx < sy, x < y, swx >= swy, wx == wy);
        printf("   ext sb %" PRId64 " sh %" PRId64 " sw %" PRId64 " ub %" PRIu64 " uh %" PRIu64 "\n",
               (int64_t)(int8_t)x, (int64_t)(int16_t)x, (int64_t)(int32_t)x, (uint64_t)(uint8_t)x,
               (uint64_t)(uint16_t)x);
        printf("   bitfield %" PRIx64 " %" PRIx64 "\n", (x >> 12) & 0x3ff,
               (x & ~((uint64_t)0xff << 20)) | ((y & 0xff) << 20));
    }
    uint64_t h = 0;
    for (uint64_t k = 0; k < 100000; k++)
        h = mix(h, k * 0x2545f4914f6cdd1dull);
    printf("mix checksum %016" PRIx64 "\n", h);
    return 0;
}
