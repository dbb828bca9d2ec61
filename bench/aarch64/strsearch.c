/* Benchmark: string search in a 256 KiB text of pseudo-random words: a naive
 * byte-by-byte search of our own, then libc's strstr and memchr (glibc's
 * optimized routines: on AArch64 they use SIMD), REPS passes over patterns. */
#include <string.h>
#include "bench.h"

#define SS_TEXT (256u << 10)
static char ss_text[SS_TEXT + 1];

static size_t ss_naive_count(const char *t, size_t n, const char *p, size_t m)
{
    size_t count = 0;
    for (size_t i = 0; i + m <= n; i++) {
        size_t j = 0;
        while (j < m && t[i + j] == p[j])
            j++;
        if (j == m)
            count++;
    }
    return count;
}

static size_t ss_strstr_count(const char *t, const char *p)
{
    size_t count = 0;
    for (const char *q = strstr(t, p); q; q = strstr(q + 1, p))
        count++;
    return count;
}

static size_t ss_memchr_count(const char *t, size_t n, int c)
{
    size_t count = 0;
    const char *end = t + n;
    for (const char *q = memchr(t, c, n); q; q = memchr(q + 1, c, (size_t)(end - q - 1)))
        count++;
    return count;
}

int main(int argc, char **argv)
{
    int reps = bench_reps(argc, argv, 60);
    static const char *pats[] = {"abe", "cadab", "ebb", "dacca", "bead", "aaab", "faced"};
    const size_t npats = sizeof pats / sizeof pats[0];
    uint64_t st = 11, sum = 0;
    for (uint32_t i = 0; i < SS_TEXT; i++) {
        uint64_t x = bench_rand(&st) % 8;
        ss_text[i] = x < 6 ? (char)('a' + x) : ' ';
    }
    ss_text[SS_TEXT] = 0;
    for (int r = 0; r < reps; r++) {
        const char *p = pats[r % npats];
        sum = sum * 31 + ss_naive_count(ss_text, SS_TEXT, p, strlen(p));
        for (size_t k = 0; k < npats; k++)
            sum = sum * 31 + ss_strstr_count(ss_text, pats[k]);
        for (int c = 'a'; c <= 'f'; c++)
            sum = sum * 31 + ss_memchr_count(ss_text, SS_TEXT, c);
    }
    return bench_done("strsearch", sum);
}
