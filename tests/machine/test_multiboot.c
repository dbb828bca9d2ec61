/* Multiboot v1 protocol: 32-bit flat boot state, the multiboot information
 * structure (memory, command line, memory map, loader name), refusals. */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "machine/loader.h"
#include "test_machine.h"

static struct pc_machine pc;
static uint8_t img[TEST_IMAGE_MAX];

static void setup(void)
{
    test_pc_init(&pc, 0);
}

static void teardown(void)
{
    pc_destroy(&pc);
}

static const struct test_seg mb_segs[] = {
    {.paddr = 0x100000, .filesz = 0x400, .memsz = 0x400, .seed = 1},
    {.paddr = 0x101000, .filesz = 0x10, .memsz = 0x2000, .seed = 2},
};

static int load(uint32_t mb_flags, const struct pc_boot_options *opt, struct x86_boot_state *st,
                char *err, size_t errlen)
{
    size_t n = test_build_multiboot(img, 0x100020, mb_segs, 2, mb_flags);
    return pc_load_image(&pc, img, n, "kernel.elf", opt, st, err, errlen);
}

static uint32_t rd32(uint64_t gpa)
{
    const void *p = phys_ptr(&pc.mem, gpa, 4);
    ck_assert_ptr_nonnull(p);
    return test_rd32(p);
}

START_TEST(multiboot_registers)
{
    struct x86_boot_state st;
    char err[512];
    ck_assert_msg(load(0x3, NULL, &st, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(st.rax, 0x2badb002);
    ck_assert_uint_eq(st.rbx, PC_BOOTINFO_ADDR);
    ck_assert_uint_eq(st.rip, 0x100020);
    ck_assert_uint_eq(st.cr0, 0x11); /* PE | ET, paging off */
    ck_assert_uint_eq(st.cr4, 0);
    ck_assert_uint_eq(st.efer, 0);
    ck_assert_uint_eq(st.rflags, 0x2);
    ck_assert(!st.long_mode);
    ck_assert_uint_eq(st.cs.selector, 0x08);
    ck_assert(st.cs.db && !st.cs.l && st.cs.g && st.cs.present);
    ck_assert_uint_eq(st.cs.base, 0);
    ck_assert_uint_eq(st.cs.limit, 0xffffffff);
    ck_assert_uint_eq(st.cs.type, 0xb);
    ck_assert_uint_eq(st.ss.selector, 0x10);
    ck_assert_uint_eq(st.ds.type, 0x3);
    ck_assert(st.ds.db && st.ds.g);
    ck_assert_uint_eq(st.tr.selector, 0x18);
    ck_assert_uint_eq(st.tr.type, 0xb);
    ck_assert_uint_eq(st.tr.base, PC_TSS_ADDR);
    ck_assert_uint_eq(st.tr.limit, PC_TSS_LIMIT);
    ck_assert_uint_eq(rd32(PC_TSS_ADDR + 4), PC_RING0_STACK_TOP); /* ESP0 */
    ck_assert_uint_eq(rd32(PC_TSS_ADDR + 100) >> 16, 104);         /* I/O map base */
    ck_assert_uint_eq(*(uint8_t *)phys_ptr(&pc.mem, PC_TSS_ADDR + PC_TSS_LIMIT, 1), 0xff);
    ck_assert_uint_eq(x86_descriptor(&st.cs), test_rd64(phys_ptr(&pc.mem, PC_GDT_ADDR + 8, 8)));
    ck_assert_uint_eq(x86_descriptor(&st.ss), test_rd64(phys_ptr(&pc.mem, PC_GDT_ADDR + 16, 8)));
    ck_assert_uint_eq(x86_descriptor(&st.cs), 0x00cf9b000000ffffull);
}
END_TEST

START_TEST(multiboot_segments_at_paddr)
{
    struct x86_boot_state st;
    char err[512];
    memset(phys_ptr(&pc.mem, 0x101000, 0x2000), 0xcc, 0x2000);
    ck_assert_msg(load(0x3, NULL, &st, err, sizeof err) == 0, "%s", err);
    const uint8_t *p = phys_ptr(&pc.mem, 0x100000, 0x3000);
    ck_assert_uint_eq(p[0x3ff], (uint8_t)(1 + 0x3ff));
    ck_assert_uint_eq(p[0x1000], 2);
    ck_assert_uint_eq(p[0x1010], 0); /* bss */
    ck_assert_uint_eq(p[0x2fff], 0);
}
END_TEST

START_TEST(multiboot_info_fields)
{
    struct x86_boot_state st;
    char err[512];
    struct pc_boot_options opt = {.cmdline = "a=1 b"};
    ck_assert_msg(load(0x3, &opt, &st, err, sizeof err) == 0, "%s", err);
    uint64_t mbi = st.rbx;
    uint32_t flags = rd32(mbi);
    ck_assert_uint_eq(flags, (1u << 0) | (1u << 2) | (1u << 6) | (1u << 9));
    ck_assert_uint_eq(rd32(mbi + 4), 639);                /* mem_lower, KiB */
    ck_assert_uint_eq(rd32(mbi + 8), (128 - 1) * 1024);   /* mem_upper, KiB above 1 MiB */
    ck_assert_str_eq(phys_ptr(&pc.mem, rd32(mbi + 16), 1), "kernel.elf a=1 b");
    ck_assert_uint_eq(rd32(mbi + 20), 0);                 /* no modules */
    ck_assert_str_eq(phys_ptr(&pc.mem, rd32(mbi + 64), 1), "ferry " FERRY_VERSION);
    uint32_t len = rd32(mbi + 44), addr = rd32(mbi + 48);
    ck_assert_uint_eq(len, 3 * 24);
    static const struct { uint64_t base, len; uint32_t type; } want[] = {
        {0, 0x9fc00, 1}, {0x9fc00, 0x400, 2}, {0x100000, 127ull << 20, 1}};
    for (unsigned i = 0; i < 3; i++) {
        uint64_t e = addr + i * 24;
        ck_assert_uint_eq(rd32(e), 20);
        ck_assert_uint_eq(test_rd64(phys_ptr(&pc.mem, e + 4, 8)), want[i].base);
        ck_assert_uint_eq(test_rd64(phys_ptr(&pc.mem, e + 12, 8)), want[i].len);
        ck_assert_uint_eq(rd32(e + 20), want[i].type);
    }
}
END_TEST

START_TEST(multiboot_mem_upper_stops_at_hole)
{
    pc_destroy(&pc);
    test_pc_init(&pc, 4ull << 30);
    struct x86_boot_state st;
    char err[512];
    ck_assert_msg(load(0x3, NULL, &st, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(rd32(st.rbx + 8), (uint32_t)((PC_HOLE_START - 0x100000) / 1024));
    ck_assert_uint_eq(rd32(st.rbx + 44), 4 * 24);
}
END_TEST

START_TEST(multiboot_header_found_anywhere_in_8k)
{
    size_t n = test_build_multiboot(img, 0x100020, mb_segs, 2, 0x3);
    size_t off = test_multiboot_header_offset(2);
    uint8_t hdr[12];
    memcpy(hdr, img + off, 12);
    memset(img + off, 0, 12);
    memcpy(img + 0x1ff0, hdr, 12); /* last aligned slot that fits in 8 KiB */
    struct x86_boot_state st;
    char err[512];
    ck_assert_int_eq(pc_detect_protocol(img, n), PC_BOOT_MULTIBOOT);
    ck_assert_msg(pc_load_image(&pc, img, n, "k", NULL, &st, err, sizeof err) == 0, "%s", err);
    memset(img + 0x1ff0, 0, 12);
    memcpy(img + 0x2000, hdr, 12); /* beyond 8 KiB: not found */
    ck_assert_int_eq(pc_detect_protocol(img, n), PC_BOOT_NONE);
}
END_TEST

START_TEST(multiboot_refusals)
{
    static const struct { uint32_t flags; const char *msg; } t[] = {
        {0x10003, "uses the a.out kludge (flag 16)"},
        {0x00013, "requires unknown features (flags 0x00000013)"},
    };
    for (unsigned i = 0; i < 2; i++) {
        struct x86_boot_state st;
        char err[512];
        ck_assert_int_lt(load(t[i].flags, NULL, &st, err, sizeof err), 0);
        ck_assert_msg(strstr(err, t[i].msg), "flags 0x%x: '%s'", t[i].flags, err);
    }
}
END_TEST

START_TEST(multiboot_bad_checksum)
{
    size_t n = test_build_multiboot(img, 0x100020, mb_segs, 2, 0x3);
    img[test_multiboot_header_offset(2) + 8] ^= 1;
    struct x86_boot_state st;
    char err[512];
    ck_assert_int_lt(pc_load_image(&pc, img, n, "k", NULL, &st, err, sizeof err), 0);
    ck_assert_msg(strstr(err, "Multiboot header at offset 0x74 has a bad checksum"), "%s", err);
}
END_TEST

START_TEST(multiboot_elf_checks)
{
    static const struct { unsigned field; const char *msg; } t[] = {
        {0, "not i386 (3)"},
        {1, "runs past 4 GiB"},
        {2, "does not fit in 128 MiB of RAM"},
        {3, "not an ELF file (only ELF32"},
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        size_t n = test_build_multiboot(img, 0x100020, mb_segs, 2, 0x3);
        Elf32_Ehdr *e = (Elf32_Ehdr *)img;
        Elf32_Phdr *p = (Elf32_Phdr *)(img + sizeof *e);
        if (t[i].field == 0)
            e->e_machine = EM_ARM;
        if (t[i].field == 1)
            p[1].p_paddr = 0xfffff000;
        if (t[i].field == 2)
            p[1].p_paddr = 0x8000000;
        if (t[i].field == 3)
            img[1] = 'X';
        struct x86_boot_state st;
        char err[512];
        ck_assert_int_lt(pc_load_image(&pc, img, n, "k", NULL, &st, err, sizeof err), 0);
        ck_assert_msg(strstr(err, t[i].msg), "case %u: '%s'", i, err);
    }
}
END_TEST

START_TEST(multiboot_ring3_refused)
{
    struct pc_boot_options opt = {.entry_ring = 3};
    struct x86_boot_state st;
    char err[512];
    ck_assert_int_eq(load(0x3, &opt, &st, err, sizeof err), -EINVAL);
    ck_assert_msg(strstr(err, "needs an ELF64 image"), "%s", err);
}
END_TEST

TCase *test_multiboot_tcase(void)
{
    TCase *tc = tcase_create("multiboot");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, multiboot_registers);
    tcase_add_test(tc, multiboot_segments_at_paddr);
    tcase_add_test(tc, multiboot_info_fields);
    tcase_add_test(tc, multiboot_mem_upper_stops_at_hole);
    tcase_add_test(tc, multiboot_header_found_anywhere_in_8k);
    tcase_add_test(tc, multiboot_refusals);
    tcase_add_test(tc, multiboot_bad_checksum);
    tcase_add_test(tc, multiboot_elf_checks);
    tcase_add_test(tc, multiboot_ring3_refused);
    return tc;
}
