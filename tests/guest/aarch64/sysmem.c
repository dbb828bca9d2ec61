/* Memory system calls directly: brk growth, anonymous mmap, mprotect,
 * munmap, mremap that moves, MAP_FIXED over part of a mapping. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    char *b0 = sbrk(0);
    char *b1 = sbrk(100000);
    memset(b1, 1, 100000);
    printf("sbrk grows contiguously %d\n", b1 == b0 && (char *)sbrk(0) == b0 + 100000);
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    printf("page size %zu\n", pg);
    char *m = mmap(NULL, 16 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap ok %d aligned %d zeroed %d\n", m != MAP_FAILED, ((uintptr_t)m % pg) == 0,
           m[0] == 0 && m[16 * pg - 1] == 0);
    for (size_t i = 0; i < 16 * pg; i++)
        m[i] = (char)(i / pg);
    printf("mprotect read-only %d\n", mprotect(m + 4 * pg, 2 * pg, PROT_READ));
    printf("read still works %d\n", m[4 * pg] == 4);
    printf("munmap middle %d\n", munmap(m + 8 * pg, 2 * pg));
    char *f = mmap(m + 12 * pg, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                   -1, 0);
    printf("MAP_FIXED at the asked address %d, zeroed %d, neighbour kept %d\n", f == m + 12 * pg,
           f[0] == 0, m[13 * pg] == 13);
    char *r = mremap(m + 14 * pg, 2 * pg, 64 * pg, MREMAP_MAYMOVE);
    printf("mremap ok %d content kept %d %d tail zero %d\n", r != MAP_FAILED, r[0] == 14,
           r[pg] == 15, r[63 * pg] == 0);
    printf("munmap unaligned fails %d\n", munmap(m + 1, pg) != 0);
    return 0;
}
