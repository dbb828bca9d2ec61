/* SSE cases of test_x64 the vector table cannot express: #XM from an
 * exception the guest unmasked in MXCSR (the native oracle would die of
 * SIGFPE), and FXSAVE/FXRSTOR, whose x87 area differs from the host's (only
 * FCW, MXCSR, the XMM area and the architectural bits of MXCSR_MASK are
 * compared with the host). */
#include <string.h>

#include "x64_test.h"

struct x64t_xm_case {
    const char *what;
    unsigned nbytes;
    uint8_t bytes[8];
    uint32_t mxcsr;    /* start MXCSR (something unmasked) */
    uint64_t x0, x1;   /* low qwords of XMM0 and XMM1 */
    uint32_t flag;     /* the MXCSR flag that must be set afterwards */
};

static const struct x64t_xm_case x64t_xm_cases[] = {
    {"divsd xmm0, xmm1 by zero, ZM clear", 4, {0xf2, 0x0f, 0x5e, 0xc1}, 0x1d80,
     0x3ff0000000000000ull, 0, 1u << 2},
    {"addps xmm0, xmm1 with an SNaN, IM clear", 3, {0x0f, 0x58, 0xc1}, 0x1f00, 0x7fa000003f800000ull,
     0x3f8000003f800000ull, 1u << 0},
    {"cvttsd2si rax, xmm1 of a NaN, IM clear", 5, {0xf2, 0x48, 0x0f, 0x2c, 0xc1}, 0x1f00, 0,
     0x7ff8000000000000ull, 1u << 0},
    {"comisd xmm0, xmm1 with a QNaN, IM clear", 4, {0x66, 0x0f, 0x2f, 0xc1}, 0x1f00,
     0x7ff8000000000000ull, 0, 1u << 0},
    {"mulss xmm0, xmm1 overflow, OM clear", 4, {0xf3, 0x0f, 0x59, 0xc1}, 0x1b80, 0x7f7fffffu,
     0x7f7fffffu, 1u << 3},
};

/* The instruction leaves IR_EXIT_exception #XM at itself, the destination
 * (XMM0 / RAX) and the arithmetic flags unchanged, the flag set in MXCSR. */
START_TEST(sse_xm_unmasked)
{
    const struct x64t_xm_case *e = &x64t_xm_cases[_i];
    for (unsigned c = 0; c < X64T_NCONFIGS; c++) {
        struct x64t h;
        x64t_init(&h, &x64t_configs[c]);
        static struct x64t_state in;
        memset(&in, 0, sizeof in);
        in.regs[X64_RSP] = X64T_STACK;
        in.regs[X64_RAX] = 0x1234;
        in.rflags = 0x202 | X64_RFLAGS_ZF | X64_RFLAGS_SF;
        in.mxcsr = e->mxcsr;
        in.xmm[0].d[0] = e->x0;
        in.xmm[0].d[1] = 0x5555;
        in.xmm[1].d[0] = e->x1;
        unsigned r = x64t_run(&h, e->bytes, e->nbytes, &in);
        const char *cfg = x64t_config_name(c);
        ck_assert_msg(r == IR_EXIT_exception && h.cpu->exc_vector == X64_EXC_XM,
                      "%s (%s): exit %u vector %u", e->what, cfg, r, h.cpu->exc_vector);
        ck_assert_msg(h.cpu->head.pc == X64T_CODE, "%s (%s): pc", e->what, cfg);
        ck_assert_msg(h.cpu->xmm[0].d[0] == e->x0 && h.cpu->xmm[0].d[1] == 0x5555,
                      "%s (%s): xmm0 changed", e->what, cfg);
        ck_assert_msg(h.cpu->regs[X64_RAX] == 0x1234, "%s (%s): rax changed", e->what, cfg);
        ck_assert_msg(x64_get_rflags(h.cpu) == in.rflags, "%s (%s): rflags changed", e->what, cfg);
        ck_assert_msg((h.cpu->mxcsr & e->flag) && (h.cpu->mxcsr & ~0x3fu) == e->mxcsr,
                      "%s (%s): mxcsr 0x%x", e->what, cfg, h.cpu->mxcsr);
        x64t_fini(&h);
    }
}
END_TEST

static void x64t_sse_state(struct x64t_state *in)
{
    memset(in, 0, sizeof *in);
    in->regs[X64_RSP] = X64T_STACK;
    in->regs[X64_RBX] = X64T_DATA + 0x200;
    in->regs[X64_RSI] = X64T_DATA + 0x600;
    in->rflags = 0x202;
    in->mxcsr = 0x3fa1;
    for (unsigned i = 0; i < 16; i++) {
        in->xmm[i].d[0] = 0x0101010101010101ull * (i + 1);
        in->xmm[i].d[1] = ~in->xmm[i].d[0];
    }
    for (unsigned i = 0; i < X64T_DATA_SIZE; i++)
        in->data[i] = (uint8_t)(i * 7 + 3);
    /* an FXSAVE image for FXRSTOR at rsi: FCW, MXCSR, XMM i = bytes 0xi0.. */
    uint16_t fcw = 0x027f;
    uint32_t mx = 0x5f80;
    memcpy(in->data + 0x600, &fcw, 2);
    memcpy(in->data + 0x600 + 24, &mx, 4);
    for (unsigned i = 0; i < 256; i++)
        in->data[0x600 + 160 + i] = (uint8_t)(0x80 + i);
}

/* FXSAVE's FCW, MXCSR, MXCSR_MASK and XMM area match the host's. */
START_TEST(sse_fxsave_native)
{
    char err[256];
    ck_assert_msg(x64t_native_init(err, sizeof err), "%s", err);
    static const uint8_t code[] = {0x0f, 0xae, 0x03}; /* fxsave [rbx] */
    static struct x64t_state in, want, got;
    x64t_sse_state(&in);
    x64t_native_run(code, sizeof code, &in, &want);
    for (unsigned c = 0; c < X64T_NCONFIGS; c++) {
        struct x64t h;
        x64t_init(&h, &x64t_configs[c]);
        ck_assert_uint_eq(x64t_run(&h, code, sizeof code, &in), IR_EXIT_brk);
        x64t_get_state(&h, &got);
        const uint8_t *w = want.data + 0x200, *g = got.data + 0x200;
        ck_assert_msg(memcmp(w, g, 2) == 0, "%s: FCW", x64t_config_name(c));
        /* MXCSR_MASK: Ferry's is 0xffff (DAZ, no AMD misaligned-SSE bit 17) */
        uint32_t gm, wm;
        memcpy(&gm, g + 28, 4);
        memcpy(&wm, w + 28, 4);
        ck_assert_msg(memcmp(w + 24, g + 24, 4) == 0 && gm == 0xffff && (wm & 0xffff) == 0xffff,
                      "%s: MXCSR/MXCSR_MASK %08x %08x / %08x %08x", x64t_config_name(c),
                      *(const uint32_t *)(g + 24), gm, *(const uint32_t *)(w + 24), wm);
        ck_assert_msg(memcmp(w + 160, g + 160, 256) == 0, "%s: XMM area", x64t_config_name(c));
        x64t_fini(&h);
    }
}
END_TEST

/* FXRSTOR loads FCW (read back by FNSTCW), MXCSR and the XMM registers. */
START_TEST(sse_fxrstor)
{
    /* fxrstor [rsi]; fnstcw [rbx]; stmxcsr [rbx+4] */
    static const uint8_t code[] = {0x0f, 0xae, 0x0e, 0xd9, 0x3b, 0x0f, 0xae, 0x5b, 0x04};
    static struct x64t_state in, got;
    x64t_sse_state(&in);
    for (unsigned c = 0; c < X64T_NCONFIGS; c++) {
        struct x64t h;
        x64t_init(&h, &x64t_configs[c]);
        ck_assert_uint_eq(x64t_run(&h, code, sizeof code, &in), IR_EXIT_brk);
        x64t_get_state(&h, &got);
        ck_assert_uint_eq(got.mxcsr, 0x5f80);
        ck_assert_uint_eq(got.data[0x200] | got.data[0x201] << 8, 0x027f);
        ck_assert_uint_eq(got.data[0x204] | got.data[0x205] << 8, 0x5f80);
        ck_assert_msg(memcmp(got.xmm, in.data + 0x600 + 160, 256) == 0, "%s: XMM",
                      x64t_config_name(c));
        x64t_fini(&h);
    }
}
END_TEST

void x64t_add_sse_tests(Suite *s)
{
    TCase *tc = tcase_create("sse");
    tcase_add_loop_test(tc, sse_xm_unmasked, 0,
                        (int)(sizeof x64t_xm_cases / sizeof x64t_xm_cases[0]));
    tcase_add_test(tc, sse_fxsave_native);
    tcase_add_test(tc, sse_fxrstor);
    suite_add_tcase(s, tc);
}
