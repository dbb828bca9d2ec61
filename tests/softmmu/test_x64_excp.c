/* test_softmmu, exception delivery (x64_excp.c): same-ring and ring 3 -> 0
 * frames, error codes, IST stacks, INT n gate DPL, not-present gates, faults
 * during delivery (#DF) and triple faults. */
#include <string.h>

#include "frontend/x86_64/x64_system.h"
#include "softmmu_test.h"

#define GDT 0x3000ull
#define IDT 0x4000ull
#define TSS 0x5000ull
#define RSP0 0x90000ull
#define IST1 0xa0000ull
#define HANDLER(v) (0xffff800000100000ull + 0x100 * (v)) /* 64-bit offsets */

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1b
#define SEL_UCODE 0x23

enum { GATE_INT = 0xe, GATE_TRAP = 0xf };

static void set_gate(struct xm *m, unsigned v, unsigned type, unsigned dpl, unsigned ist, bool p)
{
    uint64_t off = HANDLER(v);
    uint64_t lo = (off & 0xffff) | (uint64_t)SEL_KCODE << 16 | (uint64_t)ist << 32 |
                  (uint64_t)type << 40 | (uint64_t)dpl << 45 | (uint64_t)p << 47 |
                  ((off >> 16) & 0xffff) << 48;
    xm_wr64(m, IDT + 16 * v, lo);
    xm_wr64(m, IDT + 16 * v + 8, off >> 32);
}

/* Long mode at CPL 0: identity map of RAM (2M pages, user-accessible, as the
 * kit does), a GDT, an IDT with interrupt gates for every vector, a TSS. */
static void excp_open(struct xm *m)
{
    xm_open(m);
    for (uint64_t a = 0; a < XM_RAM_SIZE; a += 1ull << 21)
        xm_map(m, a, a, 1ull << 21, (1u << 1) | (1u << 2));
    xm_wr64(m, GDT + 0x08, 0x00209a0000000000ull); /* kernel code, L */
    xm_wr64(m, GDT + 0x10, 0x0000920000000000ull); /* kernel data */
    xm_wr64(m, GDT + 0x18, 0x0000f20000000000ull); /* user data */
    xm_wr64(m, GDT + 0x20, 0x0020fa0000000000ull); /* user code, L */
    for (unsigned v = 0; v < 256; v++)
        set_gate(m, v, GATE_INT, 0, 0, true);
    xm_wr64(m, TSS + 4, RSP0);
    xm_wr64(m, TSS + 0x24, IST1);
    struct x64_cpu *c = m->cpu;
    c->gdt_base = GDT;
    c->gdt_limit = 0x27;
    c->idt_base = IDT;
    c->idt_limit = 0xfff;
    c->seg[X64_TR].base = TSS;
    c->seg[X64_TR].limit = 0x67;
    c->seg[X64_TR].sel = 0x28;
    c->seg[X64_TR].attr = 0x8b;
    x64_sys_seg_from_desc(&c->seg[X64_CS], SEL_KCODE, xm_rd64(m, GDT + 0x08), 0);
    x64_sys_seg_from_desc(&c->seg[X64_SS], SEL_KDATA, xm_rd64(m, GDT + 0x10), 0);
    x64_sys_update_flags(c);
    c->regs[X64_RSP] = 0x80000;
    c->head.pc = 0x1234;
    c->rflags_other |= 1u << 9; /* IF */
}

static void to_ring3(struct xm *m, uint64_t rsp)
{
    struct x64_cpu *c = m->cpu;
    x64_sys_seg_from_desc(&c->seg[X64_CS], SEL_UCODE, xm_rd64(m, GDT + 0x20), 0);
    x64_sys_seg_from_desc(&c->seg[X64_SS], SEL_UDATA, xm_rd64(m, GDT + 0x18), 0);
    x64_sys_update_flags(c);
    c->regs[X64_RSP] = rsp;
}

static uint64_t stack(struct xm *m, unsigned i) { return xm_rd64(m, m->cpu->regs[X64_RSP] + 8 * i); }

START_TEST(same_ring_frame_without_error_code)
{
    struct xm m;
    excp_open(&m);
    ck_assert_int_eq(x64_deliver(m.cpu, X64_EXC_DE, false, 0, false), X64_DELIVER_OK);
    ck_assert_uint_eq(m.cpu->head.pc, HANDLER(0));
    ck_assert_uint_eq(m.cpu->regs[X64_RSP], 0x80000 - 40);
    ck_assert_uint_eq(stack(&m, 0), 0x1234);
    ck_assert_uint_eq(stack(&m, 1), SEL_KCODE);
    ck_assert(stack(&m, 2) & (1u << 9)); /* RFLAGS as it was: IF set */
    ck_assert_uint_eq(stack(&m, 3), 0x80000);
    ck_assert_uint_eq(stack(&m, 4), SEL_KDATA);
    ck_assert(!(m.cpu->rflags_other & (1u << 9))); /* interrupt gate clears IF */
    ck_assert_uint_eq(m.cpu->head.flags & X64_HF_CPL_MASK, 0);
    xm_close(&m);
}
END_TEST

START_TEST(trap_gate_keeps_if_and_stack_is_aligned)
{
    struct xm m;
    excp_open(&m);
    set_gate(&m, 3, GATE_TRAP, 3, 0, true);
    m.cpu->regs[X64_RSP] = 0x80008; /* not 16-byte aligned */
    ck_assert_int_eq(x64_deliver(m.cpu, 3, false, 0, true), X64_DELIVER_OK);
    ck_assert_uint_eq(m.cpu->regs[X64_RSP], 0x80000 - 40);
    ck_assert_uint_eq(stack(&m, 3), 0x80008);
    ck_assert(m.cpu->rflags_other & (1u << 9));
    xm_close(&m);
}
END_TEST

START_TEST(error_code_is_pushed_below_rip)
{
    struct xm m;
    excp_open(&m);
    ck_assert_int_eq(x64_deliver(m.cpu, X64_EXC_GP, true, 0x18, false), X64_DELIVER_OK);
    ck_assert_uint_eq(m.cpu->head.pc, HANDLER(13));
    ck_assert_uint_eq(m.cpu->regs[X64_RSP], 0x80000 - 48);
    ck_assert_uint_eq(stack(&m, 0), 0x18);
    ck_assert_uint_eq(stack(&m, 1), 0x1234);
    xm_close(&m);
}
END_TEST

START_TEST(ring3_to_ring0_switches_to_rsp0)
{
    struct xm m;
    excp_open(&m);
    to_ring3(&m, 0x7ff08);
    m.cpu->cr2 = 0;
    m.cpu->exc_vector = X64_EXC_PF;
    m.cpu->exc_error = X64_PF_U | X64_PF_W;
    m.cpu->exc_soft = 0;
    ck_assert_int_eq(x64_deliver_pending(m.cpu), X64_DELIVER_OK);
    ck_assert_uint_eq(m.cpu->regs[X64_RSP], RSP0 - 48);
    ck_assert_uint_eq(stack(&m, 0), X64_PF_U | X64_PF_W);
    ck_assert_uint_eq(stack(&m, 1), 0x1234);
    ck_assert_uint_eq(stack(&m, 2), SEL_UCODE);
    ck_assert_uint_eq(stack(&m, 4), 0x7ff08);
    ck_assert_uint_eq(stack(&m, 5), SEL_UDATA);
    ck_assert_uint_eq(m.cpu->seg[X64_CS].sel, SEL_KCODE);
    ck_assert_uint_eq(m.cpu->seg[X64_SS].sel, 0);
    ck_assert_uint_eq(m.cpu->head.flags & X64_HF_CPL_MASK, 0);
    ck_assert(m.cpu->head.flags & X64_HF_CS64);
    xm_close(&m);
}
END_TEST

START_TEST(ist_gate_uses_the_ist_stack)
{
    struct xm m;
    excp_open(&m);
    set_gate(&m, X64_EXC_DF, GATE_INT, 0, 1, true);
    ck_assert_int_eq(x64_deliver(m.cpu, X64_EXC_DF, true, 0, false), X64_DELIVER_OK);
    ck_assert_uint_eq(m.cpu->regs[X64_RSP], IST1 - 48);
    xm_close(&m);
}
END_TEST

START_TEST(int_n_checks_the_gate_dpl)
{
    struct xm m;
    excp_open(&m);
    to_ring3(&m, 0x7ff00);
    ck_assert_int_eq(x64_deliver(m.cpu, 0x80, false, 0, true), X64_DELIVER_OK);
    ck_assert_uint_eq(m.cpu->head.pc, HANDLER(13)); /* #GP(0x80 * 8 + 2) instead */
    ck_assert_uint_eq(stack(&m, 0), 0x80 * 8 + 2);
    xm_close(&m);
    excp_open(&m);
    to_ring3(&m, 0x7ff00);
    set_gate(&m, 0x80, GATE_TRAP, 3, 0, true);
    ck_assert_int_eq(x64_deliver(m.cpu, 0x80, false, 0, true), X64_DELIVER_OK);
    ck_assert_uint_eq(m.cpu->head.pc, HANDLER(0x80));
    ck_assert_uint_eq(stack(&m, 0), 0x1234); /* no error code */
    xm_close(&m);
}
END_TEST

START_TEST(not_present_gate_is_np)
{
    struct xm m;
    excp_open(&m);
    set_gate(&m, 0x40, GATE_INT, 0, 0, false);
    ck_assert_int_eq(x64_deliver(m.cpu, 0x40, false, 0, false), X64_DELIVER_OK);
    ck_assert_uint_eq(m.cpu->head.pc, HANDLER(X64_EXC_NP));
    ck_assert_uint_eq(stack(&m, 0), 0x40 * 8 + 2 + 1); /* IDT, EXT */
    xm_close(&m);
}
END_TEST

START_TEST(vector_beyond_idt_limit_is_gp)
{
    struct xm m;
    excp_open(&m);
    m.cpu->idt_limit = 16 * 14 - 1; /* vectors 0..13 */
    ck_assert_int_eq(x64_deliver(m.cpu, 0x30, false, 0, false), X64_DELIVER_OK);
    ck_assert_uint_eq(m.cpu->head.pc, HANDLER(X64_EXC_GP));
    ck_assert_uint_eq(stack(&m, 0), 0x30 * 8 + 2 + 1);
    xm_close(&m);
    /* a #GP while delivering a #PF (contributory after a page fault) is #DF */
    excp_open(&m);
    m.cpu->idt_limit = 16 * 14 - 1;
    ck_assert_int_eq(x64_deliver(m.cpu, X64_EXC_PF, true, 0, false), X64_DELIVER_OK);
    ck_assert_uint_eq(m.cpu->head.pc, HANDLER(X64_EXC_DF));
    xm_close(&m);
}
END_TEST

START_TEST(page_fault_while_pushing_is_a_double_fault)
{
    struct xm m;
    excp_open(&m);
    set_gate(&m, X64_EXC_DF, GATE_INT, 0, 1, true);
    m.cpu->regs[X64_RSP] = 0x40000000; /* not mapped */
    ck_assert_int_eq(x64_deliver(m.cpu, X64_EXC_PF, true, 0, false), X64_DELIVER_OK);
    ck_assert_uint_eq(m.cpu->head.pc, HANDLER(X64_EXC_DF));
    ck_assert_uint_eq(m.cpu->regs[X64_RSP], IST1 - 48);
    ck_assert_uint_eq(stack(&m, 0), 0);
    ck_assert_uint_eq(m.cpu->cr2, 0x40000000 - 40 - 8); /* the frame's lowest byte */
    xm_close(&m);
}
END_TEST

START_TEST(fault_while_delivering_df_is_a_triple_fault)
{
    struct xm m;
    excp_open(&m);
    m.cpu->regs[X64_RSP] = 0x40000000; /* every gate uses this stack */
    uint64_t pc = m.cpu->head.pc;
    ck_assert_int_eq(x64_deliver(m.cpu, X64_EXC_GP, true, 0, false), X64_DELIVER_TRIPLE);
    ck_assert_uint_eq(m.cpu->head.pc, pc);
    xm_close(&m);
}
END_TEST

void x64_excp_tests(Suite *s)
{
    TCase *tc = tcase_create("x64_excp");
    tcase_add_test(tc, same_ring_frame_without_error_code);
    tcase_add_test(tc, trap_gate_keeps_if_and_stack_is_aligned);
    tcase_add_test(tc, error_code_is_pushed_below_rip);
    tcase_add_test(tc, ring3_to_ring0_switches_to_rsp0);
    tcase_add_test(tc, ist_gate_uses_the_ist_stack);
    tcase_add_test(tc, int_n_checks_the_gate_dpl);
    tcase_add_test(tc, not_present_gate_is_np);
    tcase_add_test(tc, vector_beyond_idt_limit_is_gp);
    tcase_add_test(tc, page_fault_while_pushing_is_a_double_fault);
    tcase_add_test(tc, fault_while_delivering_df_is_a_triple_fault);
    suite_add_tcase(s, tc);
}
