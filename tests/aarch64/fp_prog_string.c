/* FP/SIMD guest program (test_a64_fp_progs): glibc's string and memory
 * routines (their AArch64 versions are Advanced SIMD code: LD1, CMEQ, SHRN,
 * UMAXP, ADDP, TBL, ...) on every alignment, on lengths around the vector
 * sizes and on buffers that end at an unmapped page.  Prints checksums that
 * must match qemu-aarch64's (fp_prog_expected/). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static uint64_t h = 1469598103934665603ull;
static void mix(uint64_t v)
{
    h ^= v;
    h *= 1099511628211ull;
}

static unsigned char src[512], dst[512];

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(((i + seed) * 2654435761u) >> 13) | 1; /* never 0 */
}

static void test_mem(void)
{
    for (unsigned sa = 0; sa < 17; sa++)
        for (unsigned da = 0; da < 17; da++)
            for (unsigned n = 0; n < 140; n += (n < 40 ? 1 : 7)) {
                fill(src, sizeof src, sa + n);
                memset(dst, 0x5a, sizeof dst);
                memcpy(dst + da, src + sa, n);
                mix(memcmp(dst + da, src + sa, n) == 0);
                mix(dst[da + n] + dst[da ? da - 1 : 0]);
                memmove(dst + da + 3, dst + da, n);
                mix(dst[da + 3 + n / 2]);
                memset(dst + sa, (int)n, n);
                mix(dst[sa + n] ^ dst[sa]);
                if (n) {
                    src[sa + n - 1] ^= 0x80;
                    int c = memcmp(src + sa, dst + da, n);
                    mix((uint64_t)(c > 0) | (uint64_t)(c < 0) << 1);
                }
            }
    printf("mem %016llx\n", (unsigned long long)h);
}

static void test_str(void)
{
    char buf[300], buf2[300];
    for (unsigned a = 0; a < 33; a++)
        for (unsigned n = 0; n < 100; n++) {
            fill((unsigned char *)buf, sizeof buf, a * 3 + n);
            buf[a + n] = 0;
            char *s = buf + a;
            mix(strlen(s));
            mix(strnlen(s, n / 2));
            int c = (unsigned char)s[n / 3];
            char *p = strchr(s, c);
            mix(p ? (uint64_t)(p - s) : 999);
            p = strrchr(s, c);
            mix(p ? (uint64_t)(p - s) : 999);
            p = strchr(s, 0);
            mix((uint64_t)(p - s));
            p = memchr(s, c, n);
            mix(p ? (uint64_t)(p - s) : 999);
            p = memrchr(s, c, n);
            mix(p ? (uint64_t)(p - s) : 999);
            p = rawmemchr(s, 0);
            mix((uint64_t)(p - s));
            strcpy(buf2 + (n & 15), s);
            mix(strcmp(buf2 + (n & 15), s) == 0);
            char *e = stpcpy(buf2 + 1, s);
            mix((uint64_t)(e - buf2));
            if (n) {
                buf2[1 + n - 1]--;
                int r = strcmp(buf2 + 1, s);
                mix((uint64_t)(r < 0) | (uint64_t)(r > 0) << 1);
                r = strncmp(buf2 + 1, s, n - 1);
                mix(r == 0);
            }
            mix(strspn(s, "\x01\x03\x05\x07\x09") + strcspn(s, "ABC"));
        }
    printf("str %016llx\n", (unsigned long long)h);
}

/* Strings ending right before an unmapped page: the SIMD routines read
 * aligned 16-byte chunks and must never fault. */
static void test_page_end(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    unsigned char *m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED || mprotect(m + pg, pg, PROT_NONE) != 0) {
        puts("mmap failed");
        return;
    }
    for (unsigned n = 0; n < 70; n++) {
        unsigned char *s = m + pg - n - 1;
        fill(s, n, n);
        s[n] = 0;
        mix(strlen((char *)s));
        mix(strchr((char *)s, 0) == (char *)s + n);
        mix(memchr(s, 0, n + 1) == s + n);
        mix(strnlen((char *)s, 200));
        mix(memcmp(s, s, n + 1));
        mix((uint64_t)(strrchr((char *)s, s[0]) - (char *)s));
        unsigned char *d = m + pg - n; /* overwrites s's terminator: s is no string now */
        memcpy(m + 5, s, n);
        memmove(d, m + 5, n);
        mix(n ? d[n - 1] : 0);
    }
    printf("page %016llx\n", (unsigned long long)h);
}

int main(void)
{
    test_mem();
    test_str();
    test_page_end();
    return 0;
}
