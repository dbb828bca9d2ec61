/* Benchmark: integer matrix multiply C = A*B (int32 elements, 64-bit
 * accumulation), N=160, REPS times with A perturbed between repetitions. */
#include "bench.h"

#define MM_N 160
static int32_t mm_a[MM_N][MM_N], mm_b[MM_N][MM_N];
static int64_t mm_c[MM_N][MM_N];

static void mm_mul(void)
{
    for (int i = 0; i < MM_N; i++)
        for (int j = 0; j < MM_N; j++) {
            int64_t s = 0;
            for (int k = 0; k < MM_N; k++)
                s += (int64_t)mm_a[i][k] * mm_b[k][j];
            mm_c[i][j] = s;
        }
}

int main(int argc, char **argv)
{
    int reps = bench_reps(argc, argv, 60);
    uint64_t st = 42, sum = 0;
    for (int i = 0; i < MM_N; i++)
        for (int j = 0; j < MM_N; j++) {
            mm_a[i][j] = (int32_t)(bench_rand(&st) % 2001) - 1000;
            mm_b[i][j] = (int32_t)(bench_rand(&st) % 2001) - 1000;
        }
    for (int r = 0; r < reps; r++) {
        mm_mul();
        for (int i = 0; i < MM_N; i++)
            sum = sum * 7 + (uint64_t)mm_c[i][(i + r) % MM_N];
        mm_a[r % MM_N][(r * 3) % MM_N] += 1;
    }
    return bench_done("matmul_int", sum);
}
