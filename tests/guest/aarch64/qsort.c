/* qsort and bsearch on integers, strings and structs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec {
    int key;
    char name[12];
};

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? 1 : -1; /* descending */
    return strcmp(x->name, y->name);
}

int main(void)
{
    enum { N = 5000 };
    static int v[N];
    unsigned s = 12345;
    for (int i = 0; i < N; i++) {
        s = s * 1103515245u + 12345u;
        v[i] = (int)(s >> 8) % 100000 - 50000;
    }
    qsort(v, N, sizeof(v[0]), cmp_int);
    int sorted = 1;
    long long total = 0;
    for (int i = 0; i < N; i++) {
        if (i && v[i - 1] > v[i])
            sorted = 0;
        total += (long long)v[i] * (i % 7);
    }
    printf("ints sorted %d min %d max %d median %d weighted %lld\n", sorted, v[0], v[N - 1],
           v[N / 2], total);
    int key = v[1234];
    int *hit = bsearch(&key, v, N, sizeof(v[0]), cmp_int);
    printf("bsearch %d found %d\n", key, hit && *hit == key);

    const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "date", "elderberry",
                           "grape", "kiwi", "apricot", "lime", "mango"};
    size_t nw = sizeof(words) / sizeof(words[0]);
    qsort(words, nw, sizeof(words[0]), cmp_str);
    for (size_t i = 0; i < nw; i++)
        printf("%s%s", words[i], i + 1 < nw ? " " : "\n");

    struct rec r[9];
    for (int i = 0; i < 9; i++) {
        r[i].key = (i * 5) % 4;
        snprintf(r[i].name, sizeof(r[i].name), "rec%d", 9 - i);
    }
    qsort(r, 9, sizeof(r[0]), cmp_rec);
    for (int i = 0; i < 9; i++)
        printf("(%d %s)", r[i].key, r[i].name);
    printf("\n");
    return 0;
}
