/* Flag-setting instructions followed by a condition reader in the same block
 * (B.cond, CSINC, CCMP): the translator computes such conditions from the
 * compare's operands instead of the flags, so check every condition code after
 * CMP/CMN/TST/SUBS (both widths) against a C model of NZCV, on edge operands. */
#include <inttypes.h>
#include <stdio.h>

#include "a64_test.h"

/* The flag-setting first instruction: x1 op x2 (or an immediate). */
struct flagop {
    const char *name;
    uint32_t word;
    bool sf;
    char kind;      /* 's' subtract, 'a' add, 'l' and */
    bool imm;       /* second operand #5 instead of x2 */
    bool writes_x1; /* the result goes to Wd/Xd = x1 */
};

static const struct flagop flagops[] = {
    {"cmp w1, w2", 0x6b02003fu, false, 's', false, false},
    {"cmp x1, x2", 0xeb02003fu, true, 's', false, false},
    {"cmp x1, #5", 0xf100143fu, true, 's', true, false},
    {"cmn w1, w2", 0x2b02003fu, false, 'a', false, false},
    {"cmn x1, x2", 0xab02003fu, true, 'a', false, false},
    {"tst w1, w2", 0x6a02003fu, false, 'l', false, false},
    {"tst x1, x2", 0xea02003fu, true, 'l', false, false},
    {"subs w1, w1, w2", 0x6b020021u, false, 's', false, true},
    {"subs x1, x1, x2", 0xeb020021u, true, 's', false, true},
    {"adds x1, x1, x2", 0xab020021u, true, 'a', false, true},
};

static const uint64_t operands[] = {
    0, 1, 5, 0x7fffffffu, 0x80000000u, 0xffffffffu, 0x100000005ull, 0x7fffffffffffffffull,
    0x8000000000000000ull, 0xffffffffffffffffull, 0xfffffffffffffffbull,
};
#define NOPERANDS (sizeof(operands) / sizeof(operands[0]))

/* NZCV (4 bits) and the result of the flag-setting op on a, b. */
static unsigned model_nzcv(const struct flagop *op, uint64_t a, uint64_t b, uint64_t *res)
{
    unsigned w = op->sf ? 64 : 32;
    uint64_t mask = op->sf ? ~0ull : 0xffffffffull, sign = 1ull << (w - 1);
    a &= mask;
    b &= mask;
    uint64_t r;
    unsigned c = 0, v = 0;
    switch (op->kind) {
    case 's':
        r = (a - b) & mask;
        c = a >= b;
        v = (((a ^ b) & (a ^ r)) & sign) != 0;
        break;
    case 'a':
        r = (a + b) & mask;
        c = r < a;
        v = ((~(a ^ b) & (a ^ r)) & sign) != 0;
        break;
    default:
        r = a & b;
        break;
    }
    *res = r;
    return ((r & sign) ? 8u : 0u) | (r == 0 ? 4u : 0u) | c << 1 | v;
}

static bool model_holds(unsigned cond, unsigned nzcv)
{
    bool n = nzcv & 8, z = nzcv & 4, c = nzcv & 2, v = nzcv & 1, r;
    switch (cond >> 1) {
    case 0: r = z; break;
    case 1: r = c; break;
    case 2: r = n; break;
    case 3: r = v; break;
    case 4: r = c && !z; break;
    case 5: r = n == v; break;
    case 6: r = n == v && !z; break;
    default: return true; /* AL, NV */
    }
    return (cond & 1) && cond != 15 ? !r : r;
}

/* The condition readers put after the flag-setting op. */
enum reader { R_CSINC_X, R_CSINC_W, R_BCOND, R_CCMP, R_NREADERS };
static const char *const reader_names[R_NREADERS] = {"csinc x0", "csinc w3", "b.cond", "ccmp"};

static unsigned reader_code(enum reader r, unsigned cond, uint32_t *code)
{
    switch (r) {
    case R_CSINC_X: /* csinc x0, xzr, xzr, cond: x0 = holds ? 0 : 1 */
        code[0] = 0x9a9f07e0u | cond << 12;
        return 1;
    case R_CSINC_W: /* csinc w3, wzr, wzr, cond */
        code[0] = 0x1a9f07e3u | cond << 12;
        return 1;
    case R_BCOND: /* b.cond +8; movz x4, #1; movz x5, #1 */
        code[0] = 0x54000040u | cond;
        code[1] = 0xd2800024u;
        code[2] = 0xd2800025u;
        return 3;
    default: /* ccmp x1, #0, #0b1010, cond */
        code[0] = 0xfa40082au | cond << 12;
        return 1;
    }
}

static void check_config(const struct a64t_config *cfg, const char *cfgname)
{
    struct a64t h;
    a64t_init(&h, cfg);
    unsigned nops = sizeof(flagops) / sizeof(flagops[0]);
    for (unsigned o = 0; o < nops; o++) {
        const struct flagop *op = &flagops[o];
        for (unsigned r = 0; r < R_NREADERS; r++) {
            for (unsigned cond = 0; cond < 16; cond++) {
                uint32_t code[A64T_MAX_CODE];
                code[0] = op->word;
                unsigned n = 1 + reader_code((enum reader)r, cond, code + 1);
                a64t_load(&h, code, n, NULL);
                for (unsigned i = 0; i < NOPERANDS; i++) {
                    for (unsigned j = 0; j < NOPERANDS; j++) {
                        uint64_t a = operands[i], b = op->imm ? 5 : operands[j];
                        if (op->imm && j > 0)
                            break;
                        struct a64_cpu *cpu = h.cpu;
                        for (unsigned k = 0; k < 6; k++)
                            cpu->x[k] = a64t_default_x(k);
                        cpu->x[1] = a;
                        cpu->x[2] = b;
                        a64_cpu_set_nzcv(cpu, 0);
                        unsigned exit = a64t_run(&h);

                        uint64_t res, x1 = a;
                        unsigned nzcv = model_nzcv(op, a, b, &res);
                        if (op->writes_x1)
                            x1 = res;
                        bool holds = model_holds(cond, nzcv);
                        uint64_t want_x0 = a64t_default_x(0), want_x3 = a64t_default_x(3);
                        uint64_t want_x4 = a64t_default_x(4), want_x5 = a64t_default_x(5);
                        unsigned want_nzcv = nzcv;
                        switch ((enum reader)r) {
                        case R_CSINC_X: want_x0 = holds ? 0 : 1; break;
                        case R_CSINC_W: want_x3 = holds ? 0 : 1; break;
                        case R_BCOND:
                            want_x4 = holds ? want_x4 : 1;
                            want_x5 = 1;
                            break;
                        default: {
                            uint64_t unused;
                            struct flagop cmp0 = {"cmp x1, #0", 0, true, 's', true, false};
                            want_nzcv = holds ? model_nzcv(&cmp0, x1, 0, &unused) : 0xa;
                            break;
                        }
                        }
                        unsigned got_nzcv = a64_cpu_nzcv(cpu);
                        ck_assert_msg(exit == IR_EXIT_brk && cpu->x[0] == want_x0 &&
                                          cpu->x[1] == x1 && cpu->x[3] == want_x3 &&
                                          cpu->x[4] == want_x4 && cpu->x[5] == want_x5 &&
                                          got_nzcv == want_nzcv,
                                      "%s: %s; %s cond %u with x1=0x%" PRIx64 " x2=0x%" PRIx64
                                      ": exit %u x0=0x%" PRIx64 " x1=0x%" PRIx64
                                      " x3=0x%" PRIx64 " x4=0x%" PRIx64 " nzcv=%x; want x0=0x%" PRIx64
                                      " x1=0x%" PRIx64 " x3=0x%" PRIx64 " x4=0x%" PRIx64 " nzcv=%x",
                                      cfgname, op->name, reader_names[r], cond, a, b, exit,
                                      cpu->x[0], cpu->x[1], cpu->x[3], cpu->x[4], got_nzcv, want_x0,
                                      x1, want_x3, want_x4, want_nzcv);
                    }
                }
            }
        }
    }
    a64t_fini(&h);
}

/* The configurations that translate whole blocks (where the fold happens) and
 * one instruction per block (where every condition reads the flags). */
START_TEST(conditions_after_flag_setting_ops)
{
    check_config(&a64t_configs[_i], a64t_config_name(_i));
}
END_TEST

void a64t_add_flag_tests(Suite *s)
{
    TCase *tc = tcase_create("flags");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, conditions_after_flag_setting_ops, 0, A64T_NCONFIGS);
    suite_add_tcase(s, tc);
}
