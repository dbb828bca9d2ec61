/* Plain driver for a libFuzzer-style target: runs it on seeded random inputs
 * (bounded count) or on the files given, so ctest exercises the fuzz body
 * without clang.  Usage: fuzz_run [-n COUNT] [-s SEED] [FILE...] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long count = 3000;
    uint64_t seed = 1;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            count = strtoul(argv[++i], NULL, 0);
        else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 0);
        else
            break;
    }
    if (i < argc) {
        int rc = 0;
        for (; i < argc; i++)
            rc |= run_file(argv[i]);
        return rc;
    }
    rng_state = seed ? seed : 1;
    static uint8_t buf[4096];
    for (unsigned long k = 0; k < count; k++) {
        size_t len = rng_next() % ((size_t)1 << (rng_next() % 13)); /* log-uniform, < 4096 */
        for (size_t j = 0; j < len; j++)
            buf[j] = (uint8_t)rng_next();
        LLVMFuzzerTestOneInput(buf, len);
    }
    printf("fuzz_run: %lu inputs (seed %llu), no crash\n", count, (unsigned long long)seed);
    return 0;
}
