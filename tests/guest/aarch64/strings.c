/* String and memory functions (glibc's optimized AArch64 versions) on
 * unaligned buffers and on buffers that end exactly at a page followed by an
 * inaccessible page, where an over-read would fault. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static uint32_t sum(const unsigned char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    unsigned char *area = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                               -1, 0);
    if (area == MAP_FAILED || mprotect(area + 2 * page, page, PROT_NONE) != 0) {
        perror("mmap");
        return 1;
    }
    unsigned char *end = area + 2 * page; /* first inaccessible byte */
    unsigned char src[300], dst[300];
    for (int i = 0; i < 300; i++)
        src[i] = (unsigned char)(i * 37 + 11);

    /* memcpy/memmove/memset/memcmp at every alignment and many lengths */
    uint32_t h = 0;
    for (int a = 0; a < 16; a++) {
        for (int n = 0; n < 200; n += 7) {
            memset(dst, 0xee, sizeof(dst));
            memcpy(dst + a, src + (15 - a), (size_t)n);
            h = h * 31 + sum(dst, sizeof(dst));
            memmove(dst + a + 3, dst + a, (size_t)n);
            h = h * 31 + sum(dst, sizeof(dst));
            memmove(dst + a, dst + a + 5, (size_t)n);
            h = h * 31 + sum(dst, sizeof(dst));
            memset(dst + a, a * 3, (size_t)n);
            h = h * 31 + sum(dst, sizeof(dst));
            h = h * 31 + (uint32_t)(memcmp(dst + a, src, (size_t)n) > 0);
        }
    }
    printf("mem* checksum %08x\n", h);

    /* strings ending right before the inaccessible page */
    for (int len = 0; len < 70; len += 3) {
        char *s = (char *)end - len - 1;
        for (int i = 0; i < len; i++)
            s[i] = (char)('a' + (i * 7) % 26);
        s[len] = 0;
        char *t = (char *)area + 17;
        strcpy(t, s);
        printf("len %2d strlen %2zu strnlen %2zu chr %ld rchr %ld cmp %d ncmp %d memchr %d\n", len,
               strlen(s), strnlen(s, 1000), strchr(s, 'h') ? (long)(strchr(s, 'h') - s) : -1L,
               strrchr(s, 'a') ? (long)(strrchr(s, 'a') - s) : -1L, strcmp(s, t) != 0,
               strncmp(s, "ahov", 4) < 0, memchr(s, 0, (size_t)len + 1) == s + len);
    }
    /* memcmp and memcpy whose source ends at the page end */
    memset(end - 64, 'x', 64);
    printf("memcmp at page end %d\n", memcmp(end - 40, end - 64, 40));
    memcpy(dst, end - 33, 33);
    printf("memcpy from page end %08x\n", sum(dst, 33));
    char buf[128] = "concatenated:";
    strcat(buf, " one");
    volatile size_t four = 4;
    strncat(buf, " two three", four);
    printf("%s | strstr %s | strspn %zu | strcspn %zu\n", buf, strstr(buf, "one"),
           strspn(buf, "acnote"), strcspn(buf, ":"));
    char tok[] = "a,b,,c";
    for (char *save, *w = strtok_r(tok, ",", &save); w; w = strtok_r(NULL, ",", &save))
        printf("token '%s'\n", w);
    return 0;
}
