/* Benchmark: double-precision matrix multiply C = A*B, N=160, REPS times.
 * Built with -ffp-contract=off on both hosts so no fused multiply-add
 * changes the rounding: the checksum (bits of the sums) is then identical. */
#include <string.h>
#include "bench.h"

#define MF_N 160
static double mf_a[MF_N][MF_N], mf_b[MF_N][MF_N], mf_c[MF_N][MF_N];

static void mf_mul(void)
{
    for (int i = 0; i < MF_N; i++)
        for (int j = 0; j < MF_N; j++) {
            double s = 0;
            for (int k = 0; k < MF_N; k++)
                s += mf_a[i][k] * mf_b[k][j];
            mf_c[i][j] = s;
        }
}

int main(int argc, char **argv)
{
    int reps = bench_reps(argc, argv, 30);
    uint64_t st = 7, sum = 0;
    for (int i = 0; i < MF_N; i++)
        for (int j = 0; j < MF_N; j++) {
            mf_a[i][j] = (double)(int64_t)(bench_rand(&st) % 20001 - 10000) / 997.0;
            mf_b[i][j] = (double)(int64_t)(bench_rand(&st) % 20001 - 10000) / 1009.0;
        }
    for (int r = 0; r < reps; r++) {
        mf_mul();
        double t = 0;
        for (int i = 0; i < MF_N; i++)
            t += mf_c[i][(i + r) % MF_N];
        uint64_t bits;
        memcpy(&bits, &t, sizeof bits);
        sum = sum * 7 + bits;
        mf_a[r % MF_N][(r * 3) % MF_N] *= 1.0009765625;
    }
    return bench_done("matmul_fp", sum);
}
