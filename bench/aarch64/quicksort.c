/* Benchmark: recursive quicksort (median of three, insertion sort for small
 * ranges) of 1M pseudo-random 32-bit keys, REPS times; verifies the order. */
#include "bench.h"

#define QS_N (1u << 20)
static uint32_t qs_keys[QS_N];

static void qs_insertion(uint32_t *a, long n)
{
    for (long i = 1; i < n; i++) {
        uint32_t v = a[i];
        long j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void qs_sort(uint32_t *a, long n)
{
    while (n > 16) {
        uint32_t x = a[0], y = a[n / 2], z = a[n - 1];
        uint32_t p = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        long i = 0, j = n - 1;
        for (;;) {
            while (a[i] < p)
                i++;
            while (a[j] > p)
                j--;
            if (i >= j)
                break;
            uint32_t t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++;
            j--;
        }
        /* recurse into the smaller half, loop on the larger */
        if (j + 1 < n - j - 1) {
            qs_sort(a, j + 1);
            a += j + 1;
            n -= j + 1;
        } else {
            qs_sort(a + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    qs_insertion(a, n);
}

int main(int argc, char **argv)
{
    int reps = bench_reps(argc, argv, 5);
    uint64_t st = 99, sum = 0;
    for (int r = 0; r < reps; r++) {
        for (uint32_t i = 0; i < QS_N; i++)
            qs_keys[i] = (uint32_t)bench_rand(&st);
        qs_sort(qs_keys, QS_N);
        for (uint32_t i = 1; i < QS_N; i++)
            if (qs_keys[i - 1] > qs_keys[i]) {
                printf("quicksort: not sorted at %u\n", i);
                return 1;
            }
        for (uint32_t i = 0; i < QS_N; i += 4099)
            sum = sum * 31 + qs_keys[i];
    }
    return bench_done("quicksort", sum);
}
