/* malloc-heavy code: many small blocks, frees in a scrambled order, realloc
 * growth into large (mmap-backed, mremap-grown) blocks, calloc zeroing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    enum { N = 5000 };
    static void *ptrs[N];
    static size_t sizes[N];
    uint32_t s = 1;
    uint64_t check = 0;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++) {
            s = s * 1664525u + 1013904223u;
            size_t n = 1 + (s >> 20) % (round == 2 ? 4000 : 200);
            ptrs[i] = malloc(n);
            sizes[i] = n;
            memset(ptrs[i], (int)(i & 0xff), n);
        }
        for (int i = 0; i < N; i++) {
            int j = (int)(((uint64_t)i * 7919) % N);
            unsigned char *p = ptrs[j];
            check += p[0] + p[sizes[j] - 1] * 3u;
            free(p);
        }
    }
    printf("small blocks checksum %llu\n", (unsigned long long)check);

    /* realloc from a few bytes to 16 MiB and back, content preserved */
    size_t n = 16;
    unsigned char *b = malloc(n);
    for (size_t i = 0; i < n; i++)
        b[i] = (unsigned char)i;
    while (n < (16u << 20)) {
        size_t m = n * 2;
        b = realloc(b, m);
        if (!b) {
            printf("realloc failed at %zu\n", m);
            return 1;
        }
        memset(b + n, (int)(n % 251), m - n);
        for (size_t i = n; i < m; i += 61)
            b[i] = (unsigned char)(i * 13);
        n = m;
    }
    uint64_t h = 0;
    for (size_t i = 0; i < n; i += 4093)
        h = h * 31 + b[i];
    b = realloc(b, 100);
    printf("realloc grew to %zu MiB, sample hash %llu, first bytes %u %u %u\n", n >> 20,
           (unsigned long long)h, b[1], b[2], b[15]);
    free(b);
    unsigned *z = calloc(1u << 20, sizeof(unsigned));
    size_t nonzero = 0;
    for (size_t i = 0; i < (1u << 20); i += 7)
        nonzero += z[i] != 0;
    printf("calloc 4 MiB nonzero words %zu\n", nonzero);
    free(z);
    return 0;
}
