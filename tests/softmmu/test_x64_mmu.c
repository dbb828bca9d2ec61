/* test_softmmu, x86 page walk: paging off, 4-level paging with 4K/2M/1G
 * pages, every #PF error-code case, A/D bits, PAE and 32-bit paging, the TLB
 * over the walk (flushes, INVLPG), MMIO through the slow path on both
 * backends, page faults from IR loads, code pages. */
#include <string.h>

#include "ir/sem.h"
#include "softmmu_test.h"

#define RW (1ull << 1)
#define US (1ull << 2)
#define A_BIT (1ull << 5)
#define D_BIT (1ull << 6)
#define NX (1ull << 63)

static uint32_t walk_err(struct xm *m, uint64_t va, unsigned access, bool user)
{
    struct x64_walk w;
    ck_assert_msg(!x64_mmu_walk(m->cpu, va, access, user, &w), "walk of 0x%llx succeeded",
                  (unsigned long long)va);
    return w.error;
}

static uint64_t walk_ok(struct xm *m, uint64_t va, unsigned access, bool user, uint64_t *size)
{
    struct x64_walk w;
    ck_assert_msg(x64_mmu_walk(m->cpu, va, access, user, &w), "walk of 0x%llx: error 0x%x",
                  (unsigned long long)va, w.error);
    if (size)
        *size = w.page_size;
    return w.paddr;
}

START_TEST(paging_off_is_identity)
{
    struct xm m;
    xm_open(&m);
    m.cpu->cr0 = X64_CR0_PE;
    ck_assert_uint_eq(walk_ok(&m, 0x123456, SOFTMMU_WRITE, true, NULL), 0x123456);
    xm_close(&m);
}
END_TEST

START_TEST(walk_4k_2m_1g_pages)
{
    struct xm m;
    xm_open(&m);
    uint64_t size;
    xm_map(&m, 0x400000, 0x7000, 4096, RW);
    xm_map(&m, 0x40000000ull * 3 + 0x200000, 0x600000, 1ull << 21, RW);
    xm_map(&m, 0x8000000000ull, 0x40000000, 1ull << 30, RW);
    ck_assert_uint_eq(walk_ok(&m, 0x400abc, SOFTMMU_READ, false, &size), 0x7abc);
    ck_assert_uint_eq(size, 4096);
    ck_assert_uint_eq(walk_ok(&m, 0xc0212345ull, SOFTMMU_READ, false, &size), 0x612345);
    ck_assert_uint_eq(size, 1ull << 21);
    ck_assert_uint_eq(walk_ok(&m, 0x8012345678ull, SOFTMMU_READ, false, &size), 0x52345678);
    ck_assert_uint_eq(size, 1ull << 30);
    xm_close(&m);
}
END_TEST

START_TEST(not_present_error_codes)
{
    struct xm m;
    xm_open(&m);
    ck_assert_uint_eq(walk_err(&m, 0x500000, SOFTMMU_READ, false), 0);
    ck_assert_uint_eq(walk_err(&m, 0x500000, SOFTMMU_WRITE, false), X64_PF_W);
    ck_assert_uint_eq(walk_err(&m, 0x500000, SOFTMMU_READ, true), X64_PF_U);
    ck_assert_uint_eq(walk_err(&m, 0x500000, SOFTMMU_WRITE, true), X64_PF_U | X64_PF_W);
    ck_assert_uint_eq(walk_err(&m, 0x500000, SOFTMMU_EXEC, true), X64_PF_U | X64_PF_ID);
    m.cpu->efer &= ~X64_EFER_NXE; /* no I/D bit without NXE */
    ck_assert_uint_eq(walk_err(&m, 0x500000, SOFTMMU_EXEC, false), 0);
    xm_close(&m);
}
END_TEST

START_TEST(user_access_to_supervisor_page)
{
    struct xm m;
    xm_open(&m);
    xm_map(&m, 0x400000, 0x7000, 4096, RW); /* no US */
    ck_assert_uint_eq(walk_err(&m, 0x400000, SOFTMMU_READ, true), X64_PF_P | X64_PF_U);
    ck_assert_uint_eq(walk_err(&m, 0x400000, SOFTMMU_WRITE, true),
                      X64_PF_P | X64_PF_U | X64_PF_W);
    walk_ok(&m, 0x400000, SOFTMMU_WRITE, false, NULL);
    /* U/S clear in an upper level blocks user access even if the leaf allows it */
    xm_map(&m, 0x401000, 0x8000, 4096, RW | US);
    walk_ok(&m, 0x401000, SOFTMMU_READ, true, NULL);
    *xm_entry(&m, 0x401000, 2, false) &= ~US;
    ck_assert_uint_eq(walk_err(&m, 0x401000, SOFTMMU_READ, true), X64_PF_P | X64_PF_U);
    xm_close(&m);
}
END_TEST

START_TEST(read_only_page_and_cr0_wp)
{
    struct xm m;
    xm_open(&m);
    xm_map(&m, 0x400000, 0x7000, 4096, US);
    walk_ok(&m, 0x400000, SOFTMMU_READ, true, NULL);
    ck_assert_uint_eq(walk_err(&m, 0x400000, SOFTMMU_WRITE, true),
                      X64_PF_P | X64_PF_W | X64_PF_U);
    ck_assert_uint_eq(walk_err(&m, 0x400000, SOFTMMU_WRITE, false), X64_PF_P | X64_PF_W);
    m.cpu->cr0 &= ~X64_CR0_WP; /* the supervisor may write read-only pages */
    walk_ok(&m, 0x400000, SOFTMMU_WRITE, false, NULL);
    ck_assert_uint_eq(walk_err(&m, 0x400000, SOFTMMU_WRITE, true),
                      X64_PF_P | X64_PF_W | X64_PF_U);
    xm_close(&m);
}
END_TEST

START_TEST(nx_with_and_without_nxe)
{
    struct xm m;
    xm_open(&m);
    xm_map(&m, 0x400000, 0x7000, 4096, RW | US | NX);
    walk_ok(&m, 0x400000, SOFTMMU_READ, true, NULL);
    ck_assert_uint_eq(walk_err(&m, 0x400000, SOFTMMU_EXEC, true),
                      X64_PF_P | X64_PF_U | X64_PF_ID);
    ck_assert_uint_eq(walk_err(&m, 0x400000, SOFTMMU_EXEC, false), X64_PF_P | X64_PF_ID);
    m.cpu->efer &= ~X64_EFER_NXE; /* bit 63 is reserved then */
    ck_assert_uint_eq(walk_err(&m, 0x400000, SOFTMMU_READ, false), X64_PF_P | X64_PF_RSVD);
    xm_close(&m);
}
END_TEST

START_TEST(reserved_bits)
{
    struct xm m;
    xm_open(&m);
    xm_map(&m, 0x200000, 0x600000 | (1ull << 13), 1ull << 21, RW); /* 2M base not aligned */
    ck_assert_uint_eq(walk_err(&m, 0x200000, SOFTMMU_WRITE, false),
                      X64_PF_P | X64_PF_RSVD | X64_PF_W);
    xm_map(&m, 0x400000, 0x7000 | (1ull << 51), 4096, RW); /* above the address width */
    ck_assert_uint_eq(walk_err(&m, 0x400000, SOFTMMU_READ, false), X64_PF_P | X64_PF_RSVD);
    xm_close(&m);
}
END_TEST

START_TEST(accessed_and_dirty_bits)
{
    struct xm m;
    xm_open(&m);
    xm_map(&m, 0x400000, 0x7000, 4096, RW);
    walk_ok(&m, 0x400000, SOFTMMU_READ, false, NULL);
    for (unsigned l = 4; l >= 1; l--)
        ck_assert_msg(*xm_entry(&m, 0x400000, l, false) & A_BIT, "A at level %u", l);
    ck_assert(!(*xm_entry(&m, 0x400000, 1, false) & D_BIT));
    walk_ok(&m, 0x400000, SOFTMMU_WRITE, false, NULL);
    ck_assert(*xm_entry(&m, 0x400000, 1, false) & D_BIT);
    /* a failed walk sets nothing */
    xm_map(&m, 0x401000, 0x8000, 4096, 0);
    walk_err(&m, 0x401000, SOFTMMU_WRITE, false);
    ck_assert(!(*xm_entry(&m, 0x401000, 1, false) & (A_BIT | D_BIT)));
    xm_close(&m);
}
END_TEST

START_TEST(non_canonical_is_gp)
{
    struct xm m;
    xm_open(&m);
    struct x64_walk w;
    ck_assert(!x64_mmu_walk(m.cpu, 0x0000800000000000ull, SOFTMMU_READ, false, &w));
    ck_assert(w.gp);
    xm_close(&m);
}
END_TEST

START_TEST(pae_legacy_paging)
{
    struct xm m;
    xm_open(&m);
    m.cpu->efer = 0;
    m.cpu->cr3 = 0x2000; /* 4 PDPTEs */
    xm_wr64(&m, 0x2000 + 8 * 1, 0x3000 | 1); /* 1-2 GiB */
    xm_wr64(&m, 0x3000 + 8 * 2, 0x4000 | 7); /* PDE: 0x40400000 */
    xm_wr64(&m, 0x4000 + 8 * 5, 0x9000 | 7); /* PTE: page 5 */
    xm_wr64(&m, 0x3000 + 8 * 3, 0x600000 | 0x87); /* 2M page at 0x40600000 */
    ck_assert_uint_eq(walk_ok(&m, 0x40405123, SOFTMMU_WRITE, true, NULL), 0x9123);
    ck_assert_uint_eq(walk_ok(&m, 0x40612345, SOFTMMU_READ, false, NULL), 0x612345);
    ck_assert_uint_eq(walk_err(&m, 0x80000000, SOFTMMU_READ, false), 0);
    xm_close(&m);
}
END_TEST

START_TEST(legacy_32bit_paging_with_pse)
{
    struct xm m;
    xm_open(&m);
    m.cpu->efer = 0;
    m.cpu->cr4 = X64_CR4_PSE;
    m.cpu->cr3 = 0x2000;
    uint32_t pde_table = 0x3000 | 7, pde_4m = 0x400000 | 0x87, pte = 0x9000 | 3;
    memcpy(m.ram + 0x2000 + 4 * 1, &pde_table, 4); /* 4-8 MiB: a table */
    memcpy(m.ram + 0x3000 + 4 * 2, &pte, 4);
    memcpy(m.ram + 0x2000 + 4 * 2, &pde_4m, 4); /* 8-12 MiB: a 4M page */
    ck_assert_uint_eq(walk_ok(&m, 0x402010, SOFTMMU_WRITE, false, NULL), 0x9010);
    ck_assert_uint_eq(walk_err(&m, 0x402010, SOFTMMU_READ, true), X64_PF_P | X64_PF_U);
    ck_assert_uint_eq(walk_ok(&m, 0x812345, SOFTMMU_READ, true, NULL), 0x412345);
    xm_close(&m);
}
END_TEST

/* ---- the TLB over the walk ------------------------------------------------------ */

static uint64_t mmu_ld(struct xm *m, uint64_t va, unsigned size, bool user, uint64_t *exit)
{
    uint64_t mo = (uint64_t)__builtin_ctz(size) | IR_MO_MMU |
                  (uint64_t)(user ? X64_MMU_USER : X64_MMU_SUPER) << IR_MO_MMU_IDX_SHIFT;
    struct softmmu_result r = softmmu_ld_slow(&m->cpu->head, va, mo);
    *exit = r.exit;
    return r.val;
}

START_TEST(tlb_keeps_a_mapping_until_invlpg)
{
    struct xm m;
    xm_open(&m);
    uint64_t exit;
    xm_map(&m, 0x400000, 0x7000, 4096, RW);
    xm_wr64(&m, 0x7008, 0x1111);
    xm_wr64(&m, 0x8008, 0x2222);
    ck_assert_uint_eq(mmu_ld(&m, 0x400008, 8, false, &exit), 0x1111);
    uint64_t walks = m.mmu.walks;
    xm_map(&m, 0x400000, 0x8000, 4096, RW); /* the guest edits its PTE ... */
    ck_assert_uint_eq(mmu_ld(&m, 0x400008, 8, false, &exit), 0x1111); /* ... a stale hit */
    ck_assert_uint_eq(m.mmu.walks, walks);
    x64_mmu_flush_page(m.cpu, 0x400fff);
    ck_assert_uint_eq(mmu_ld(&m, 0x400008, 8, false, &exit), 0x2222);
    xm_map(&m, 0x400000, 0x7000, 4096, RW);
    x64_mmu_flush_all(m.cpu);
    ck_assert_uint_eq(mmu_ld(&m, 0x400008, 8, false, &exit), 0x1111);
    xm_close(&m);
}
END_TEST

START_TEST(invlpg_in_a_large_page_flushes_it)
{
    struct xm m;
    xm_open(&m);
    uint64_t exit;
    xm_map(&m, 0x200000, 0x400000, 1ull << 21, RW);
    xm_wr64(&m, 0x400000 + 0x5000, 0x77);
    xm_wr64(&m, 0x600000 + 0x5000, 0x88);
    ck_assert_uint_eq(mmu_ld(&m, 0x205000, 8, false, &exit), 0x77);
    xm_map(&m, 0x200000, 0x600000, 1ull << 21, RW);
    x64_mmu_flush_page(m.cpu, 0x200000); /* another 4K page of the same 2M page */
    ck_assert_uint_eq(mmu_ld(&m, 0x205000, 8, false, &exit), 0x88);
    xm_close(&m);
}
END_TEST

START_TEST(write_after_read_sets_dirty)
{
    struct xm m;
    xm_open(&m);
    uint64_t exit;
    xm_map(&m, 0x400000, 0x7000, 4096, RW);
    mmu_ld(&m, 0x400000, 8, false, &exit); /* read fill: no write permission cached */
    ck_assert(!(*xm_entry(&m, 0x400000, 1, false) & D_BIT));
    struct softmmu_result r = softmmu_st_slow(&m.cpu->head, 0x400000, 5, IR_MO_64 | IR_MO_MMU);
    ck_assert_uint_eq(r.exit, 0);
    ck_assert(*xm_entry(&m, 0x400000, 1, false) & D_BIT);
    ck_assert_uint_eq(xm_rd64(&m, 0x7000), 5);
    xm_close(&m);
}
END_TEST

/* ---- IR programs on both backends --------------------------------------------------- */

static const char *const backends[] = {"jit", "interp"};

START_TEST(mmio_through_the_slow_path_on_both_backends)
{
    for (unsigned b = 0; b < 2; b++) {
        struct xm m;
        xm_open(&m);
        xm_map(&m, 0x7000000000ull, XM_MMIO, 4096, RW);
        struct ir_func f;
        ir_func_init(&f);
        f.pc = 0x1000;
        f.flags = m.cpu->head.flags;
        ir_ref a = ir_const(&f, IR_I64, 0x7000000010ull);
        ir_ref g = ir_global(&f, IR_I64, X64_OFF_REG(X64_RAX), "rax");
        ir_insn_start(&f, 0x1000);
        for (unsigned k = 0; k < 3; k++)
            ir_ld(&f, g, a, IR_MO_32 | x64_mmu_memop(f.flags));
        ir_st(&f, ir_const(&f, IR_I64, 0x1234), ir_const(&f, IR_I64, 0x7000000020ull),
              IR_MO_16 | x64_mmu_memop(f.flags));
        ir_exit(&f, IR_EXIT_halt, ir_const(&f, IR_I64, 0x1004));
        unsigned r = softmmu_test_run(backends[b], &m.cpu->head, &f);
        if (r != SOFTMMU_NO_BACKEND) {
            ck_assert_uint_eq(r, IR_EXIT_halt);
            ck_assert_uint_eq(m.mmio_reads, 3);
            ck_assert_uint_eq(m.mmio_last_off, 0x20);
            ck_assert_uint_eq(m.mmio_writes, 1);
            ck_assert_uint_eq(m.mmio_last_val, 0x1234);
            ck_assert_uint_eq(m.cpu->regs[X64_RAX], 0xa5a5a5a5);
        }
        ir_func_free(&f);
        xm_close(&m);
    }
}
END_TEST

START_TEST(ir_page_fault_records_vector_error_cr2)
{
    for (unsigned b = 0; b < 2; b++) {
        struct xm m;
        xm_open(&m);
        xm_map(&m, 0x400000, 0x7000, 4096, US); /* user, read-only */
        m.cpu->head.flags |= 3;                 /* CPL 3 */
        struct ir_func f;
        ir_func_init(&f);
        f.pc = 0x2000;
        f.flags = m.cpu->head.flags;
        ir_ref g = ir_global(&f, IR_I64, X64_OFF_REG(X64_RBX), "rbx");
        ir_insn_start(&f, 0x2000);
        ir_mov(&f, g, ir_const(&f, IR_I64, 99));
        ir_insn_start(&f, 0x2003);
        ir_st(&f, g, ir_const(&f, IR_I64, 0x400010), IR_MO_64 | x64_mmu_memop(f.flags));
        ir_exit(&f, IR_EXIT_halt, ir_const(&f, IR_I64, 0x2008));
        unsigned r = softmmu_test_run(backends[b], &m.cpu->head, &f);
        if (r != SOFTMMU_NO_BACKEND) {
            ck_assert_uint_eq(r, IR_EXIT_exception);
            ck_assert_uint_eq(m.cpu->head.pc, 0x2003);
            ck_assert_uint_eq(m.cpu->regs[X64_RBX], 99);
            ck_assert_uint_eq(m.cpu->exc_vector, X64_EXC_PF);
            ck_assert_uint_eq(m.cpu->exc_error, X64_PF_P | X64_PF_W | X64_PF_U);
            ck_assert_uint_eq(m.cpu->cr2, 0x400010);
            ck_assert_uint_eq(xm_rd64(&m, 0x7010), 0);
        }
        ir_func_free(&f);
        xm_close(&m);
    }
}
END_TEST

/* ---- instruction fetch and code pages -------------------------------------------------- */

START_TEST(fetch_through_the_mmu)
{
    struct xm m;
    xm_open(&m);
    xm_map(&m, 0x400000, 0x7000, 4096, RW);
    xm_map(&m, 0x401000, 0x9000, 4096, RW | NX);
    memcpy(m.ram + 0x7ffc, "\x90\x90\x90\x90", 4);
    uint8_t buf[15];
    ck_assert_uint_eq(x64_mmu_fetch(m.cpu, 0x400ffc, m.cpu->head.flags, buf, 15), 4);
    ck_assert_uint_eq(buf[3], 0x90);
    /* fetch faults are raised at run time: the exit gives fault_addr */
    m.cpu->fault_addr = 0x401000;
    ck_assert(x64_mmu_fetch_fault(m.cpu));
    ck_assert_uint_eq(m.cpu->exc_vector, X64_EXC_PF);
    ck_assert_uint_eq(m.cpu->exc_error, X64_PF_P | X64_PF_ID);
    ck_assert_uint_eq(m.cpu->cr2, 0x401000);
    /* a CR3 write after code was translated asks for a translation flush */
    ck_assert(!x64_mmu_take_tb_flush(m.cpu));
    x64_mmu_flush_all(m.cpu);
    ck_assert(x64_mmu_take_tb_flush(m.cpu));
    ck_assert(!x64_mmu_take_tb_flush(m.cpu));
    xm_close(&m);
}
END_TEST

START_TEST(write_to_code_page_takes_the_slow_path)
{
    struct xm m;
    xm_open(&m);
    xm_map(&m, 0x400000, 0x7000, 4096, RW);
    uint8_t buf[4];
    struct softmmu_result r = softmmu_st_slow(&m.cpu->head, 0x400100, 1, IR_MO_8 | IR_MO_MMU);
    ck_assert_uint_eq(r.exit, 0);
    /* a plain RAM page: the TLB serves writes inline */
    ck_assert_ptr_nonnull(softmmu_hit(&m.cpu->head, 0x400100, IR_MO_8 | IR_MO_MMU, true));
    ck_assert_uint_eq(x64_mmu_fetch(m.cpu, 0x400000, m.cpu->head.flags, buf, 4), 4);
    /* now it holds code: writes must reach code_write, not the hit path */
    ck_assert_ptr_null(softmmu_hit(&m.cpu->head, 0x400100, IR_MO_8 | IR_MO_MMU, true));
    r = softmmu_st_slow(&m.cpu->head, 0x400100, 2, IR_MO_8 | IR_MO_MMU);
    ck_assert_uint_eq(r.exit, 0);
    ck_assert_uint_eq(m.ram[0x7100], 2);
    /* the write dropped the page's code status: writes are fast again */
    r = softmmu_st_slow(&m.cpu->head, 0x400100, 3, IR_MO_8 | IR_MO_MMU);
    ck_assert_ptr_nonnull(softmmu_hit(&m.cpu->head, 0x400100, IR_MO_8 | IR_MO_MMU, true));
    xm_close(&m);
}
END_TEST

void x64_mmu_tests(Suite *s)
{
    TCase *tc = tcase_create("x64_mmu");
    tcase_add_test(tc, paging_off_is_identity);
    tcase_add_test(tc, walk_4k_2m_1g_pages);
    tcase_add_test(tc, not_present_error_codes);
    tcase_add_test(tc, user_access_to_supervisor_page);
    tcase_add_test(tc, read_only_page_and_cr0_wp);
    tcase_add_test(tc, nx_with_and_without_nxe);
    tcase_add_test(tc, reserved_bits);
    tcase_add_test(tc, accessed_and_dirty_bits);
    tcase_add_test(tc, non_canonical_is_gp);
    tcase_add_test(tc, pae_legacy_paging);
    tcase_add_test(tc, legacy_32bit_paging_with_pse);
    tcase_add_test(tc, tlb_keeps_a_mapping_until_invlpg);
    tcase_add_test(tc, invlpg_in_a_large_page_flushes_it);
    tcase_add_test(tc, write_after_read_sets_dirty);
    tcase_add_test(tc, mmio_through_the_slow_path_on_both_backends);
    tcase_add_test(tc, ir_page_fault_records_vector_error_cr2);
    tcase_add_test(tc, fetch_through_the_mmu);
    tcase_add_test(tc, write_to_code_page_takes_the_slow_path);
    suite_add_tcase(s, tc);
}
