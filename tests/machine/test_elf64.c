/* ELF64 boot protocol: the long-mode boot state, the GDT/TSS/page tables and
 * boot info ferry writes into RAM, ring 3 entry, and every refusal message. */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
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

static const struct test_seg two_segs[] = {
    {.paddr = 0x100000, .filesz = 0x800, .memsz = 0x1000, .seed = 0x40}, /* text + bss tail */
    {.paddr = 0x200000, .filesz = 0x100, .memsz = 0x3000, .seed = 0x80}, /* data + bss */
};

static void load_ok(unsigned ring, const char *cmdline, struct x86_boot_state *st)
{
    size_t n = test_build_elf64(img, 0x100010, two_segs, 2);
    struct pc_boot_options opt = {.entry_ring = ring, .cmdline = cmdline};
    char err[512];
    int r = pc_load_image(&pc, img, n, "guest.elf", &opt, st, err, sizeof err);
    ck_assert_msg(r == 0, "pc_load_image: %s", err);
}

static uint64_t rd64(uint64_t gpa)
{
    const void *p = phys_ptr(&pc.mem, gpa, 8);
    ck_assert_ptr_nonnull(p);
    return test_rd64(p);
}

/* Walk the 4-level tables; returns the physical address or ~0 if not mapped;
 * *user = U/S set at every level. */
static uint64_t walk(uint64_t cr3, uint64_t va, bool *user)
{
    uint64_t e = rd64((cr3 & ~0xfffull) + ((va >> 39) & 511) * 8);
    bool u = e & 4;
    if (!(e & 1))
        return ~0ull;
    e = rd64((e & 0xffffffffff000ull) + ((va >> 30) & 511) * 8);
    u = u && (e & 4);
    if (!(e & 1) || (e & 0x80))
        return ~0ull; /* no 1 GiB pages expected */
    e = rd64((e & 0xffffffffff000ull) + ((va >> 21) & 511) * 8);
    u = u && (e & 4);
    if (!(e & 1) || !(e & 0x80) || !(e & 2))
        return ~0ull;
    *user = u;
    return (e & 0xfffffffe00000ull) + (va & 0x1fffff);
}

START_TEST(elf64_segments_loaded_and_bss_zeroed)
{
    struct x86_boot_state st;
    memset(phys_ptr(&pc.mem, 0x100000, 0x1000), 0xee, 0x1000); /* stale RAM */
    load_ok(0, NULL, &st);
    const uint8_t *t = phys_ptr(&pc.mem, 0x100000, 0x1000);
    for (unsigned j = 0; j < 0x800; j++)
        ck_assert_uint_eq(t[j], (uint8_t)(0x40 + j));
    for (unsigned j = 0x800; j < 0x1000; j++)
        ck_assert_uint_eq(t[j], 0);
    const uint8_t *d = phys_ptr(&pc.mem, 0x200000, 0x3000);
    ck_assert_uint_eq(d[0xff], (uint8_t)(0x80 + 0xff));
    ck_assert_uint_eq(d[0x100], 0);
    ck_assert_uint_eq(d[0x2fff], 0);
}
END_TEST

START_TEST(elf64_ring0_registers)
{
    struct x86_boot_state st;
    load_ok(0, NULL, &st);
    ck_assert_uint_eq(st.rip, 0x100010);
    ck_assert_uint_eq(st.rdi, PC_BOOTINFO_ADDR);
    ck_assert_uint_eq(st.rsp, PC_STACK_TOP);
    ck_assert_uint_eq(st.rflags, 0x2);
    ck_assert_uint_eq(st.cr0, 0x80010033);
    ck_assert_uint_eq(st.cr3, PC_PT_ADDR);
    ck_assert_uint_eq(st.cr4, 0x620);
    ck_assert_uint_eq(st.efer, 0x500);
    ck_assert(st.long_mode);
    ck_assert_uint_eq(st.cpl, 0);
    ck_assert_uint_eq(st.cs.selector, 0x08);
    ck_assert(st.cs.l && !st.cs.db && st.cs.present && st.cs.s && st.cs.dpl == 0);
    ck_assert_uint_eq(st.cs.type, 0xb);
    const struct x86_segment *data[] = {&st.ds, &st.es, &st.fs, &st.gs, &st.ss};
    for (unsigned i = 0; i < 5; i++) {
        ck_assert_uint_eq(data[i]->selector, 0x10);
        ck_assert_uint_eq(data[i]->type, 0x3);
        ck_assert_uint_eq(data[i]->limit, 0xffffffff);
        ck_assert(data[i]->present && data[i]->db && data[i]->g);
    }
    ck_assert_uint_eq(st.tr.selector, 0x30);
    ck_assert_uint_eq(st.tr.base, PC_TSS_ADDR);
    ck_assert_uint_eq(st.tr.limit, 0x2068); /* 104 + 8192-byte I/O bitmap + terminator - 1 */
    ck_assert_uint_eq(st.tr.type, 0xb);
    ck_assert_uint_eq(st.gdt.base, PC_GDT_ADDR);
    ck_assert_uint_eq(st.gdt.limit, PC_GDT_ENTRIES * 8 - 1);
    ck_assert_uint_eq(st.idt.limit, 0);
    ck_assert_uint_eq(st.rax | st.rbx | st.rcx | st.rdx | st.rsi | st.r15, 0);
}
END_TEST

START_TEST(elf64_gdt_matches_segments)
{
    struct x86_boot_state st;
    load_ok(0, NULL, &st);
    static const struct { unsigned sel; uint64_t desc; } t[] = {
        {0x00, 0},
        {0x08, 0x00af9b000000ffffull}, /* code64 DPL0 */
        {0x10, 0x00cf93000000ffffull}, /* data DPL0 */
        {0x18, 0x00cffb000000ffffull}, /* code32 DPL3 */
        {0x20, 0x00cff3000000ffffull}, /* data DPL3 */
        {0x28, 0x00affb000000ffffull}, /* code64 DPL3 */
        {0x30, 0x00008b0050002068ull}, /* busy TSS at 0x5000, limit 0x2068 */
        {0x38, 0},                     /* TSS base 63:32 */
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++)
        ck_assert_msg(rd64(PC_GDT_ADDR + t[i].sel) == t[i].desc, "selector 0x%x: %016llx", t[i].sel,
                      (unsigned long long)rd64(PC_GDT_ADDR + t[i].sel));
    ck_assert_uint_eq(x86_descriptor(&st.cs), rd64(PC_GDT_ADDR + 0x08));
    ck_assert_uint_eq(x86_descriptor(&st.ss), rd64(PC_GDT_ADDR + 0x10));
    ck_assert_uint_eq(rd64(PC_TSS_ADDR + 4), PC_RING0_STACK_TOP); /* RSP0 */
}
END_TEST

START_TEST(elf64_tss_io_bitmap_allows_every_port)
{
    struct x86_boot_state st;
    memset(phys_ptr(&pc.mem, PC_TSS_ADDR, PC_TSS_SIZE), 0xa5, PC_TSS_SIZE); /* stale RAM */
    load_ok(3, NULL, &st);
    const uint8_t *tss = phys_ptr(&pc.mem, st.tr.base, st.tr.limit + 1);
    ck_assert_ptr_nonnull(tss);
    uint16_t iomap = (uint16_t)(tss[102] | tss[103] << 8);
    ck_assert_uint_eq(iomap, 104);
    /* Port p is allowed when bit p of the bitmap is 0; the CPU reads two
     * bytes, so the byte after the last one must be inside the limit. */
    ck_assert_uint_eq(st.tr.limit, iomap + 8192u);
    for (unsigned b = 0; b < 8192; b++)
        ck_assert_msg(tss[iomap + b] == 0, "bitmap byte %u = 0x%02x", b, tss[iomap + b]);
    ck_assert_uint_eq(tss[iomap + 8192], 0xff);
}
END_TEST

START_TEST(elf64_identity_page_tables)
{
    struct x86_boot_state st;
    load_ok(0, NULL, &st);
    static const uint64_t va[] = {0, 0x1000, 0x100010, 0x7ffffff, 0x8000000, 0xbfffffff,
                                  0xfee00000, 0xffffffff};
    for (unsigned i = 0; i < sizeof va / sizeof va[0]; i++) {
        bool user = true;
        ck_assert_msg(walk(st.cr3, va[i], &user) == va[i], "va 0x%llx", (unsigned long long)va[i]);
        ck_assert_msg(!user, "va 0x%llx is user-accessible at ring 0 entry", (unsigned long long)va[i]);
    }
    bool user;
    ck_assert_uint_eq(walk(st.cr3, 0x100000000ull, &user), ~0ull); /* 4 GiB: not mapped */
}
END_TEST

START_TEST(elf64_page_tables_cover_high_ram)
{
    pc_destroy(&pc);
    test_pc_init(&pc, 6ull << 30); /* RAM up to 7 GiB (hole at 3-4 GiB) */
    struct x86_boot_state st;
    load_ok(0, NULL, &st);
    bool user;
    ck_assert_uint_eq(walk(st.cr3, 0x1bfffffffull, &user), 0x1bfffffffull);
    ck_assert_uint_eq(walk(st.cr3, 0x1c0000000ull, &user), ~0ull);
}
END_TEST

START_TEST(elf64_boot_info_block)
{
    struct x86_boot_state st;
    load_ok(0, "console=ttyS0 quiet", &st);
    const struct pc_boot_info *bi = phys_ptr(&pc.mem, st.rdi, sizeof *bi);
    ck_assert_ptr_nonnull(bi);
    ck_assert_uint_eq(bi->magic, PC_BOOTINFO_MAGIC);
    ck_assert_uint_eq(bi->version, 1);
    ck_assert_uint_eq(bi->mem_size, 128ull << 20);
    ck_assert_uint_eq(bi->cmdline_len, 19);
    ck_assert_str_eq(phys_ptr(&pc.mem, bi->cmdline, 20), "console=ttyS0 quiet");
    ck_assert_uint_eq(bi->entry_ring, 0);
    ck_assert_uint_eq(bi->image_start, 0x100000);
    ck_assert_uint_eq(bi->image_end, 0x203000);
    ck_assert_uint_eq(bi->stack_top, PC_STACK_TOP);
    ck_assert_uint_eq(bi->pt_base, st.cr3);
    ck_assert_uint_eq(bi->mmap_count, 3);
    ck_assert_uint_eq(bi->mmap[2].base, 0x100000);
    ck_assert_uint_eq(bi->mmap[2].len, 127ull << 20);
}
END_TEST

START_TEST(elf64_empty_cmdline)
{
    struct x86_boot_state st;
    load_ok(0, NULL, &st);
    const struct pc_boot_info *bi = phys_ptr(&pc.mem, st.rdi, sizeof *bi);
    ck_assert_uint_eq(bi->cmdline_len, 0);
    ck_assert_str_eq(phys_ptr(&pc.mem, bi->cmdline, 1), "");
}
END_TEST

START_TEST(elf64_ring3_entry)
{
    struct x86_boot_state st;
    load_ok(3, NULL, &st);
    ck_assert_uint_eq(st.cpl, 3);
    ck_assert_uint_eq(st.cs.selector, 0x2b);
    ck_assert_uint_eq(st.cs.dpl, 3);
    ck_assert(st.cs.l);
    ck_assert_uint_eq(st.ss.selector, 0x23);
    ck_assert_uint_eq(st.ss.dpl, 3);
    ck_assert_uint_eq(st.ds.selector, 0x23);
    ck_assert_uint_eq(st.rflags, 0x3002); /* IOPL 3 */
    ck_assert_uint_eq(rd64(PC_TSS_ADDR + 4), PC_RING0_STACK_TOP);
    ck_assert_uint_eq(x86_descriptor(&st.cs), rd64(PC_GDT_ADDR + PC_SEL_USER_CODE64));
    ck_assert_uint_eq(x86_descriptor(&st.ss), rd64(PC_GDT_ADDR + PC_SEL_USER_DATA));
    static const uint64_t va[] = {0, PC_STACK_TOP - 8, 0x100010, 0x7ffffff, 0xfee00000};
    for (unsigned i = 0; i < sizeof va / sizeof va[0]; i++) {
        bool user = false;
        ck_assert_uint_eq(walk(st.cr3, va[i], &user), va[i]);
        ck_assert_msg(user, "va 0x%llx not user-accessible", (unsigned long long)va[i]);
    }
    const struct pc_boot_info *bi = phys_ptr(&pc.mem, st.rdi, sizeof *bi);
    ck_assert_uint_eq(bi->entry_ring, 3);
}
END_TEST

START_TEST(elf64_reload_as_ring0_clears_user_bits)
{
    struct x86_boot_state st;
    load_ok(3, NULL, &st);
    load_ok(0, NULL, &st);
    bool user = true;
    ck_assert_uint_eq(walk(st.cr3, 0x100000, &user), 0x100000);
    ck_assert(!user);
}
END_TEST

START_TEST(elf64_bad_entry_ring)
{
    size_t n = test_build_elf64(img, 0x100010, two_segs, 2);
    struct pc_boot_options opt = {.entry_ring = 2};
    struct x86_boot_state st;
    char err[512];
    ck_assert_int_eq(pc_load_image(&pc, img, n, "g", &opt, &st, err, sizeof err), -EINVAL);
    ck_assert_msg(strstr(err, "must be 0 or 3"), "%s", err);
}
END_TEST

START_TEST(elf64_cmdline_too_long)
{
    size_t n = test_build_elf64(img, 0x100010, two_segs, 2);
    char *cmd = malloc(PC_CMDLINE_MAX + 1);
    memset(cmd, 'a', PC_CMDLINE_MAX);
    cmd[PC_CMDLINE_MAX] = '\0';
    struct pc_boot_options opt = {.cmdline = cmd};
    struct x86_boot_state st;
    char err[512];
    ck_assert_int_eq(pc_load_image(&pc, img, n, "g", &opt, &st, err, sizeof err), -E2BIG);
    ck_assert_msg(strstr(err, "too long"), "%s", err);
    cmd[PC_CMDLINE_MAX - 1] = '\0'; /* 4095 bytes: fits */
    ck_assert_int_eq(pc_load_image(&pc, img, n, "g", &opt, &st, err, sizeof err), 0);
    free(cmd);
}
END_TEST

TCase *test_elf64_tcase(void)
{
    TCase *tc = tcase_create("elf64");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, elf64_segments_loaded_and_bss_zeroed);
    tcase_add_test(tc, elf64_ring0_registers);
    tcase_add_test(tc, elf64_gdt_matches_segments);
    tcase_add_test(tc, elf64_tss_io_bitmap_allows_every_port);
    tcase_add_test(tc, elf64_identity_page_tables);
    tcase_add_test(tc, elf64_page_tables_cover_high_ram);
    tcase_add_test(tc, elf64_boot_info_block);
    tcase_add_test(tc, elf64_empty_cmdline);
    tcase_add_test(tc, elf64_ring3_entry);
    tcase_add_test(tc, elf64_reload_as_ring0_clears_user_bits);
    tcase_add_test(tc, elf64_bad_entry_ring);
    tcase_add_test(tc, elf64_cmdline_too_long);
    return tc;
}

/* ---- refusals ------------------------------------------------------------ */

enum elf64_mutation {
    ELFM_TRUNCATE_HEADER, ELFM_MACHINE_AARCH64, ELFM_BIG_ENDIAN, ELFM_ET_DYN, ELFM_ET_REL,
    ELFM_NO_PHDRS, ELFM_PHENTSIZE, ELFM_PHOFF_PAST_END, ELFM_NO_LOAD, ELFM_FILESZ_GT_MEMSZ,
    ELFM_OFFSET_PAST_END, ELFM_BEYOND_RAM, ELFM_BELOW_1M, ELFM_OVERLAP, ELFM_WRAPS,
    ELFM_ENTRY_OUTSIDE, ELFM_MANY_PHDRS, ELFM_CLASS32, ELFM_NOT_ELF, ELFM_EMPTY,
};

static Elf64_Ehdr *eh(void)
{
    return (Elf64_Ehdr *)img; /* img is static and suitably aligned */
}

static Elf64_Phdr *ph(unsigned i)
{
    return (Elf64_Phdr *)(img + sizeof(Elf64_Ehdr)) + i;
}

/* Build a valid two-segment image, then break it; returns the size. */
static size_t elf64_mutate(enum elf64_mutation m)
{
    struct test_seg seg[2] = {
        {.paddr = 0x100000, .filesz = 0x1000, .memsz = 0x1000},
        {.paddr = 0x200000, .filesz = 0x100, .memsz = 0x1000},
    };
    if (m == ELFM_OVERLAP)
        seg[1].paddr = 0x100800;
    if (m == ELFM_BEYOND_RAM)
        seg[1] = (struct test_seg){.paddr = 0x7fff000, .filesz = 0x100, .memsz = 0x2000};
    if (m == ELFM_BELOW_1M)
        seg[0].paddr = 0x8000;
    size_t n = test_build_elf64(img, m == ELFM_ENTRY_OUTSIDE ? 0x500000 : seg[0].paddr, seg, 2);
    if (m == ELFM_BELOW_1M)
        eh()->e_entry = 0x200000;
    switch (m) {
    case ELFM_TRUNCATE_HEADER: return 40;
    case ELFM_MACHINE_AARCH64: eh()->e_machine = EM_AARCH64; break;
    case ELFM_BIG_ENDIAN: eh()->e_ident[EI_DATA] = ELFDATA2MSB; break;
    case ELFM_ET_DYN: eh()->e_type = ET_DYN; break;
    case ELFM_ET_REL: eh()->e_type = ET_REL; break;
    case ELFM_NO_PHDRS: eh()->e_phnum = 0; break;
    case ELFM_PHENTSIZE: eh()->e_phentsize = 32; break;
    case ELFM_PHOFF_PAST_END: eh()->e_phoff = 0x100000; break;
    case ELFM_NO_LOAD: ph(0)->p_type = PT_NOTE; ph(1)->p_type = PT_NULL; break;
    case ELFM_FILESZ_GT_MEMSZ: ph(1)->p_filesz = 0x2000; break;
    case ELFM_OFFSET_PAST_END: ph(1)->p_offset = 0xfff000; break;
    case ELFM_WRAPS: ph(1)->p_paddr = ~0ull - 0x10; break;
    case ELFM_MANY_PHDRS: eh()->e_phnum = 300; break;
    case ELFM_CLASS32: eh()->e_ident[EI_CLASS] = ELFCLASS32; break;
    case ELFM_NOT_ELF: img[0] = 'X'; break;
    case ELFM_EMPTY: return 0;
    default: break;
    }
    return n;
}

static const struct { const char *what; enum elf64_mutation m; const char *msg; } refusals[] = {
#include "elf64_errors.inc"
};
#define N_REFUSALS (int)(sizeof refusals / sizeof refusals[0])

START_TEST(elf64_refusals)
{
    const __typeof__(refusals[0]) *t = refusals;
    unsigned i = (unsigned)_i;
    size_t n = elf64_mutate(t[i].m);
    struct x86_boot_state st;
    char err[512] = "";
    int r = pc_load_image(&pc, img, n, "guest.elf", NULL, &st, err, sizeof err);
    ck_assert_msg(r < 0, "%s: accepted", t[i].what);
    ck_assert_msg(strncmp(err, "guest.elf: ", 11) == 0, "%s: message '%s' lacks the file name",
                  t[i].what, err);
    ck_assert_msg(strstr(err, t[i].msg), "%s: message '%s', expected '%s'", t[i].what, err, t[i].msg);
}
END_TEST

START_TEST(elf64_refusal_leaves_ram_untouched)
{
    /* Segment 0 is fine, segment 1 does not fit: nothing may be written. */
    memset(phys_ptr(&pc.mem, 0x100000, 0x1000), 0x5a, 0x1000);
    memset(phys_ptr(&pc.mem, PC_GDT_ADDR, 16), 0x5a, 16);
    size_t n = elf64_mutate(ELFM_BEYOND_RAM);
    struct x86_boot_state st;
    char err[512];
    ck_assert_int_lt(pc_load_image(&pc, img, n, "g", NULL, &st, err, sizeof err), 0);
    const uint8_t *p = phys_ptr(&pc.mem, 0x100000, 0x1000);
    for (unsigned j = 0; j < 0x1000; j++)
        ck_assert_uint_eq(p[j], 0x5a);
    ck_assert_uint_eq(*(uint8_t *)phys_ptr(&pc.mem, PC_GDT_ADDR, 1), 0x5a);
}
END_TEST

TCase *test_elf64_errors_tcase(void)
{
    TCase *tc = tcase_create("elf64_errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, elf64_refusals, 0, N_REFUSALS);
    tcase_add_test(tc, elf64_refusal_leaves_ram_untouched);
    return tc;
}
