/* Seeded corrupt images: a few valid images, each mutated a few hundred
 * times (bit flips, truncations, header field tweaks).  pc_load_image must
 * return an error with a message, or a sane boot state; never crash (this
 * suite also runs under ASan + UBSan). */
#include <elf.h>
#include <string.h>

#include "test_machine.h"

#define MUTATIONS_PER_IMAGE 200

static uint64_t rng;

static uint64_t rng_next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static const uint64_t field_values[] = {
    0, 1, 2, 3, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x100000, 0x7fffffff, 0x80000000,
    0xffffffff, 0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull, 0x1000,
    0x8000000, 0x7fff000,
};

/* Overwrite a random header field (1, 2, 4 or 8 bytes at a random offset in
 * the first `span` bytes) with a boundary value. */
static void tweak_field(uint8_t *img, size_t size, size_t span)
{
    static const unsigned widths[] = {1, 2, 4, 8};
    unsigned w = widths[rng_next() % 4];
    if (span > size)
        span = size;
    if (span < w)
        return;
    size_t off = rng_next() % (span - w + 1);
    uint64_t v = field_values[rng_next() % (sizeof field_values / sizeof field_values[0])];
    if (rng_next() % 4 == 0)
        v = rng_next();
    memcpy(img + off, &v, w); /* little-endian host */
}

static size_t mutate(uint8_t *img, size_t size, size_t header_span)
{
    unsigned rounds = 1 + (unsigned)(rng_next() % 3);
    for (unsigned r = 0; r < rounds; r++) {
        switch (rng_next() % 4) {
        case 0: /* bit flips in the headers */
            for (unsigned k = 0, n = 1 + (unsigned)(rng_next() % 8); k < n; k++) {
                size_t off = rng_next() % (header_span < size ? header_span : size);
                img[off] ^= (uint8_t)(1u << (rng_next() % 8));
            }
            break;
        case 1: /* bit flips anywhere */
            for (unsigned k = 0, n = 1 + (unsigned)(rng_next() % 8); k < n; k++)
                img[rng_next() % size] ^= (uint8_t)(1u << (rng_next() % 8));
            break;
        case 2: /* truncation */
            size = rng_next() % (size + 1);
            if (size == 0)
                return 0;
            break;
        case 3:
            tweak_field(img, size, header_span);
            break;
        }
    }
    return size;
}

static void check_outcome(struct pc_machine *pc, int r, const struct x86_boot_state *st,
                          const char *err, unsigned image, unsigned k)
{
    if (r < 0) {
        ck_assert_msg(strncmp(err, "img: ", 5) == 0 && strlen(err) > 5,
                      "image %u mutation %u: error %d without a message ('%s')", image, k, r, err);
        return;
    }
    ck_assert_msg(r == 0, "image %u mutation %u: result %d", image, k, r);
    /* A sane state: entry in RAM inside the image, usable segments. */
    ck_assert_msg(phys_ptr(&pc->mem, st->rip, 1) != NULL && st->rip >= PC_IMAGE_MIN,
                  "image %u mutation %u: entry 0x%llx", image, k, (unsigned long long)st->rip);
    ck_assert(st->cs.present && st->ss.present && st->tr.present);
    ck_assert(st->cr0 & X86_CR0_PE);
    if (st->long_mode)
        ck_assert(st->cr3 == PC_PT_ADDR && (st->efer & X86_EFER_LMA) && st->rdi == PC_BOOTINFO_ADDR);
    else
        ck_assert(st->rax == 0x2badb002 && st->rbx == PC_BOOTINFO_ADDR);
}

START_TEST(corrupt_images_never_crash)
{
    static uint8_t base[TEST_IMAGE_MAX], img[TEST_IMAGE_MAX];
    static const struct test_seg segs[] = {
        {.paddr = 0x100000, .filesz = 0x300, .memsz = 0x1000, .seed = 3},
        {.paddr = 0x200000, .filesz = 0x80, .memsz = 0x4000, .seed = 4},
        {.paddr = 0x7ff0000, .filesz = 0x10, .memsz = 0x10000, .seed = 5}, /* ends at top of RAM */
    };
    struct pc_machine pc;
    test_pc_init(&pc, 0);
    unsigned ok = 0, refused = 0;
    rng = 0x9e3779b97f4a7c15ull;
    for (unsigned image = 0; image < 3; image++) {
        size_t n, span;
        if (image == 0) {
            n = test_build_elf64(base, 0x100000, segs, 3);
            span = sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Phdr);
        } else if (image == 1) {
            n = test_build_elf64(base, 0x100100, segs, 1);
            span = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr);
        } else {
            n = test_build_multiboot(base, 0x200010, segs, 2, 0x3);
            span = test_multiboot_header_offset(2) + 12;
        }
        for (unsigned k = 0; k < MUTATIONS_PER_IMAGE; k++) {
            memcpy(img, base, n);
            size_t m = mutate(img, n, span);
            struct pc_boot_options opt = {.entry_ring = (k & 1) && image < 2 ? 3 : 0,
                                          .cmdline = "x"};
            struct x86_boot_state st;
            char err[512] = "";
            int r = pc_load_image(&pc, img, m, "img", &opt, &st, err, sizeof err);
            check_outcome(&pc, r, &st, err, image, k);
            if (r == 0)
                ok++;
            else
                refused++;
        }
    }
    /* The mutations must exercise both outcomes, or the test proves little. */
    ck_assert_msg(ok > 20 && refused > 100, "ok %u refused %u", ok, refused);
    pc_destroy(&pc);
}
END_TEST

START_TEST(truncated_at_every_length)
{
    static uint8_t img[TEST_IMAGE_MAX];
    static const struct test_seg seg[] = {{.paddr = 0x100000, .filesz = 0x40, .memsz = 0x40}};
    struct pc_machine pc;
    test_pc_init(&pc, 0);
    for (unsigned kind = 0; kind < 2; kind++) {
        size_t n = kind ? test_build_multiboot(img, 0x100000, seg, 1, 0x3)
                        : test_build_elf64(img, 0x100000, seg, 1);
        size_t full = 0x1000 + 0x40; /* the end of the last segment's file bytes */
        ck_assert_uint_le(full, n);
        for (size_t len = 0; len < full; len++) {
            struct x86_boot_state st;
            char err[512] = "";
            int r = pc_load_image(&pc, img, len, "img", NULL, &st, err, sizeof err);
            ck_assert_msg(r < 0, "kind %u: truncated to %zu bytes but accepted", kind, len);
            ck_assert_msg(strncmp(err, "img: ", 5) == 0, "kind %u len %zu: '%s'", kind, len, err);
        }
        struct x86_boot_state st;
        char err[512] = "";
        ck_assert_msg(pc_load_image(&pc, img, full, "img", NULL, &st, err, sizeof err) == 0, "%s", err);
    }
    pc_destroy(&pc);
}
END_TEST

TCase *test_corrupt_tcase(void)
{
    TCase *tc = tcase_create("corrupt");
    tcase_add_test(tc, corrupt_images_never_crash);
    tcase_add_test(tc, truncated_at_every_length);
    return tc;
}
