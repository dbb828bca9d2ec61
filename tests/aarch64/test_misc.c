/* test_a64 cases beyond the vector table: block formation (branch, page
 * boundary, max_insns, non-executable pc), exit details (SVC/BRK immediates,
 * the undefined word), dead-flag elimination and IR size figures, -d unimp
 * and -d in_asm, HWCAP, the virtual counter, self-modifying code through
 * IC IVAU, frontend_for_elf and cpu_dump. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "a64_test.h"
#include "util/log.h"

/* Encodings (checked with aarch64-linux-gnu-objdump). */
#define W_ADD_X0_X1_X2 0x8b020020u   /* add x0, x1, x2 */
#define W_B_8 0x14000002u            /* b .+8 */
#define W_MSR_DAIFSET 0xd50342dfu    /* msr daifset, #0x2 */
#define W_LDADD 0xf8200041u          /* ldadd x0, x1, [x2] */
#define W_SVC_42 0xd4000841u         /* svc #0x42 */
#define W_BRK_77 0xd4200ee0u         /* brk #0x77 */
#define W_MRS_CNTVCT_X0 0xd53be040u  /* mrs x0, cntvct_el0 */
#define W_MRS_CNTVCT_X1 0xd53be041u  /* mrs x1, cntvct_el0 */
#define W_MRS_CNTPCT_X2 0xd53be022u  /* mrs x2, cntpct_el0 */

static void put_code(struct a64t *h, uint64_t pc, const uint32_t *w, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        memcpy(h->mem + pc + 4 * i, &w[i], 4);
}

/* Translate one block at pc directly (no execution). */
static int translate_at(struct a64t *h, struct ir_func *f, uint64_t pc, unsigned max_insns,
                        uint32_t *size)
{
    ir_func_init(f);
    f->pc = pc;
    return frontend_aarch64.translate(&h->fctx, f, pc, 0, max_insns, size);
}

static unsigned count_op(const struct ir_func *f, enum ir_op op)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < f->ninsns; i++)
        n += f->insns[i].op == op;
    return n;
}

static const struct ir_insn *last_insn(const struct ir_func *f)
{
    for (uint32_t i = f->ninsns; i-- > 0;)
        if (f->insns[i].op != IR_OP_nop)
            return &f->insns[i];
    return NULL;
}

static const struct a64t_config jit_opt = {"jit", true, 0};

START_TEST(block_ends_at_branch)
{
    struct a64t h;
    a64t_init(&h, &jit_opt);
    const uint32_t code[] = {W_ADD_X0_X1_X2, W_B_8, W_ADD_X0_X1_X2};
    a64t_load(&h, code, 3, NULL);
    struct ir_func f;
    uint32_t size = 0;
    ck_assert_int_eq(translate_at(&h, &f, A64T_CODE, 512, &size), 0);
    ck_assert_uint_eq(count_op(&f, IR_OP_insn_start), 2);
    ck_assert_uint_eq(size, 8);
    ck_assert_int_eq(last_insn(&f)->op, IR_OP_goto_tb);
    ck_assert_uint_eq((uint64_t)last_insn(&f)->carg[0], A64T_CODE + 12);
    ir_func_free(&f);
    a64t_fini(&h);
}
END_TEST

START_TEST(block_ends_at_page_boundary)
{
    struct a64t h;
    a64t_init(&h, &jit_opt);
    a64t_load(&h, NULL, 0, NULL);
    const uint32_t code[] = {W_ADD_X0_X1_X2, W_ADD_X0_X1_X2};
    uint64_t pc = A64T_CODE + A64T_CODE_SIZE - 8;
    put_code(&h, pc, code, 2);
    struct ir_func f;
    uint32_t size = 0;
    ck_assert_int_eq(translate_at(&h, &f, pc, 512, &size), 0);
    ck_assert_uint_eq(count_op(&f, IR_OP_insn_start), 2);
    ck_assert_uint_eq(size, 8);
    ck_assert_int_eq(last_insn(&f)->op, IR_OP_goto_tb);
    ck_assert_uint_eq((uint64_t)last_insn(&f)->carg[0], A64T_CODE + A64T_CODE_SIZE);
    ir_func_free(&f);
    a64t_fini(&h);
}
END_TEST

START_TEST(block_honours_max_insns)
{
    struct a64t h;
    a64t_init(&h, &jit_opt);
    uint32_t code[10];
    for (unsigned i = 0; i < 10; i++)
        code[i] = W_ADD_X0_X1_X2;
    a64t_load(&h, code, 10, NULL);
    struct ir_func f;
    uint32_t size = 0;
    ck_assert_int_eq(translate_at(&h, &f, A64T_CODE, 3, &size), 0);
    ck_assert_uint_eq(count_op(&f, IR_OP_insn_start), 3);
    ck_assert_uint_eq(size, 12);
    ck_assert_uint_eq((uint64_t)last_insn(&f)->carg[0], A64T_CODE + 12);
    ir_func_free(&f);
    a64t_fini(&h);
}
END_TEST

/* A jump into the data page (mapped, not executable): translation fails with
 * -EFAULT, the caller's SIGSEGV, and nothing crashes. */
START_TEST(jump_to_non_executable_page)
{
    for (unsigned c = 0; c < A64T_NCONFIGS; c++) {
        struct a64t h;
        a64t_init(&h, &a64t_configs[c]);
        const uint32_t code[] = {0xd61f0020u}; /* br x1 */
        const struct a64t_item in[] = {X(1, A64T_DATA), {0}};
        a64t_load(&h, code, 1, in);
        ck_assert_uint_eq(a64t_run(&h), TCG_EXIT_ERROR);
        ck_assert_int_eq(tcg_error(&h.tcg), -EFAULT);
        ck_assert_uint_eq(h.cpu->head.pc, A64T_DATA);
        a64t_fini(&h);
    }
}
END_TEST

START_TEST(exit_details)
{
    struct a64t h;
    a64t_init(&h, &jit_opt);
    const uint32_t svc[] = {W_SVC_42};
    a64t_load(&h, svc, 1, NULL);
    ck_assert_uint_eq(a64t_run(&h), IR_EXIT_syscall);
    ck_assert_uint_eq(h.cpu->exc_imm, 0x42);
    ck_assert_uint_eq(h.cpu->head.pc, A64T_CODE + 4);

    const uint32_t brk[] = {W_ADD_X0_X1_X2, W_BRK_77};
    a64t_load(&h, brk, 2, NULL);
    ck_assert_uint_eq(a64t_run(&h), IR_EXIT_brk);
    ck_assert_uint_eq(h.cpu->exc_imm, 0x77);
    ck_assert_uint_eq(h.cpu->head.pc, A64T_CODE + 4);

    const uint32_t undef[] = {W_ADD_X0_X1_X2, 0xdeadbeefu};
    a64t_load(&h, undef, 2, NULL);
    ck_assert_uint_eq(a64t_run(&h), IR_EXIT_undef);
    ck_assert_uint_eq(h.cpu->exc_insn, 0xdeadbeefu);
    ck_assert_uint_eq(h.cpu->head.pc, A64T_CODE + 4);
    ck_assert_uint_eq(h.cpu->x[0], a64t_default_x(1) + a64t_default_x(2)); /* the add ran */
    a64t_fini(&h);
}
END_TEST

static bool writes_global(const struct ir_func *f, const struct ir_insn *in, uint32_t off)
{
    for (unsigned o = 0; o < in->nout; o++) {
        const struct ir_value *v = ir_val(f, ir_out(in, o));
        if (v->kind == IR_VAL_GLOBAL && v->num == off)
            return true;
    }
    return false;
}

/* ADDS; ADDS; SUBS; B.EQ: only the last SUBS's flags survive optimization. */
START_TEST(dead_flags_are_removed)
{
    struct a64t h;
    a64t_init(&h, &jit_opt);
    const uint32_t code[] = {0xab020020u, 0xab050083u, 0xeb0800e6u, 0x54000040u};
    a64t_load(&h, code, 4, NULL);
    struct ir_func f;
    uint32_t size;
    ck_assert_int_eq(translate_at(&h, &f, A64T_CODE, 512, &size), 0);
    ck_assert_uint_eq(count_op(&f, IR_OP_addc), 2);
    ck_assert_int_eq(ir_optimize(&f, IR_PASSES_ALL, true, NULL), 0);
    static const uint32_t flags[4] = {offsetof(struct a64_cpu, nf), offsetof(struct a64_cpu, zf),
                                      offsetof(struct a64_cpu, cf), offsetof(struct a64_cpu, vf)};
    for (unsigned k = 0; k < 4; k++) {
        unsigned writes = 0;
        for (uint32_t i = 0; i < f.ninsns; i++)
            writes += writes_global(&f, &f.insns[i], flags[k]);
        ck_assert_msg(writes == 1, "flag %u written %u times after optimization", k, writes);
    }
    ck_assert_uint_eq(count_op(&f, IR_OP_addc), 0);
    ck_assert_uint_eq(count_op(&f, IR_OP_addv), 0);
    ir_func_free(&f);
    a64t_fini(&h);
}
END_TEST

/* IR size of a typical block (loop body with a load, compare and branch):
 * printed for the record, bounded so a regression fails. */
START_TEST(ir_ops_per_insn)
{
    struct a64t h;
    a64t_init(&h, &jit_opt);
    const uint32_t code[] = {
        0xa9be7bfdu, /* stp x29, x30, [sp, #-32]! */
        0x910003fdu, /* mov x29, sp */
        0xf9400420u, /* ldr x0, [x1, #8] */
        0x8b030002u, /* add x2, x0, x3 */
        0xf100405fu, /* cmp x2, #0x10 */
        0x38401444u, /* ldrb w4, [x2], #1 */
        0x34000064u, /* cbz w4, .+12 */
    };
    a64t_load(&h, code, 7, NULL);
    struct ir_func f;
    uint32_t size;
    ck_assert_int_eq(translate_at(&h, &f, A64T_CODE, 512, &size), 0);
    unsigned n = count_op(&f, IR_OP_insn_start);
    unsigned before = f.ninsns;
    ir_optimize(&f, IR_PASSES_ALL, true, NULL);
    ir_compact(&f);
    unsigned after = f.ninsns;
    printf("a64 IR per guest insn (7-insn block): %.1f emitted, %.1f after optimization\n",
           (double)before / n, (double)after / n);
    ck_assert_uint_eq(n, 7);
    ck_assert_uint_le(after, before);
    ck_assert_msg(after <= 7 * 6, "%u IR insns after optimization for 7 guest insns", after);
    ir_func_free(&f);
    a64t_fini(&h);
}
END_TEST

/* -d unimp: each unimplemented instruction once, with its disassembly;
 * undecodable words too. */
START_TEST(unimp_reported_once)
{
    struct a64t h;
    a64t_init(&h, &jit_opt);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(mem);
    unsigned old_mask = log_mask;
    FILE *old_file = log_file;
    log_mask |= 1u << LOG_unimp;
    log_file = mem;
    a64t_load(&h, NULL, 0, NULL);
    const uint32_t code[] = {W_MSR_DAIFSET, 0xffffffffu};
    put_code(&h, A64T_CODE, code, 1);
    put_code(&h, A64T_CODE + 0x40, code, 1);
    put_code(&h, A64T_CODE + 0x80, code + 1, 1);
    put_code(&h, A64T_CODE + 0xc0, code + 1, 1);
    struct ir_func f;
    uint32_t size;
    for (unsigned i = 0; i < 4; i++) {
        ck_assert_int_eq(translate_at(&h, &f, A64T_CODE + 0x40 * i, 512, &size), 0);
        ck_assert_int_eq(last_insn(&f)->op, IR_OP_exit);
        ck_assert_int_eq(last_insn(&f)->carg[0], IR_EXIT_undef);
        ir_func_free(&f);
    }
    log_mask = old_mask;
    log_file = old_file;
    fclose(mem);
    unsigned lines = 0;
    for (char *p = buf; *p; p++)
        lines += *p == '\n';
    ck_assert_msg(lines == 2, "want 2 report lines, got:\n%s", buf);
    ck_assert_ptr_nonnull(strstr(buf, "msr daifset"));
    ck_assert_ptr_nonnull(strstr(buf, "ffffffff"));
    free(buf);
    a64t_fini(&h);
}
END_TEST

START_TEST(in_asm_log)
{
    struct a64t h;
    a64t_init(&h, &jit_opt);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    unsigned old_mask = log_mask;
    FILE *old_file = log_file;
    log_mask |= 1u << LOG_in_asm;
    log_file = mem;
    const uint32_t code[] = {W_ADD_X0_X1_X2, W_LDADD};
    a64t_load(&h, code, 2, NULL);
    struct ir_func f;
    uint32_t size;
    ck_assert_int_eq(translate_at(&h, &f, A64T_CODE, 2, &size), 0);
    ir_func_free(&f);
    log_mask = old_mask;
    log_file = old_file;
    fclose(mem);
    ck_assert_msg(strstr(buf, "add x0, x1, x2") && strstr(buf, "8b020020"), "log:\n%s", buf);
    ck_assert_msg(strstr(buf, "f8200041"), "log:\n%s", buf); /* unknown to Capstone 4 */
    free(buf);
    a64t_fini(&h);
}
END_TEST

START_TEST(hwcap_bits)
{
    uint64_t hw = a64_hwcap();
    ck_assert(hw & A64_HWCAP_ATOMICS);
    ck_assert(hw & A64_HWCAP_CRC32);
    ck_assert(hw & A64_HWCAP_LRCPC);
    /* not implemented: CPUID (11), SVE (22), USCAT (25), ILRCPC (26), FLAGM (27),
     * SB (29), PACA (30), PACG (31) */
    static const unsigned absent[] = {11, 22, 25, 26, 27, 29, 30, 31};
    for (unsigned i = 0; i < sizeof absent / sizeof absent[0]; i++)
        ck_assert_msg(!(hw & (1ull << absent[i])), "HWCAP bit %u set", absent[i]);
    ck_assert_uint_eq(a64_hwcap2(), 0);
}
END_TEST

/* CNTVCT_EL0 (and CNTPCT_EL0) count nanoseconds of CLOCK_MONOTONIC
 * (CNTFRQ_EL0 = 1 GHz). */
START_TEST(virtual_counter)
{
    struct a64t h;
    a64t_init(&h, &jit_opt);
    const uint32_t code[] = {W_MRS_CNTVCT_X0, W_MRS_CNTVCT_X1, W_MRS_CNTPCT_X2};
    a64t_load(&h, code, 3, NULL);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ck_assert_uint_eq(a64t_run(&h), IR_EXIT_brk);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    uint64_t n0 = (uint64_t)t0.tv_sec * 1000000000u + (uint64_t)t0.tv_nsec;
    uint64_t n1 = (uint64_t)t1.tv_sec * 1000000000u + (uint64_t)t1.tv_nsec;
    ck_assert_uint_le(n0, h.cpu->x[0]);
    ck_assert_uint_le(h.cpu->x[0], h.cpu->x[1]);
    ck_assert_uint_le(h.cpu->x[1], h.cpu->x[2]);
    ck_assert_uint_le(h.cpu->x[2], n1);
    a64t_fini(&h);
}
END_TEST

/* A guest JIT: call f (mov x0, #1; ret), overwrite f's first instruction with
 * mov x0, #2, DC CVAU / DSB / IC IVAU / DSB / ISB, call f again. */
START_TEST(ic_ivau_invalidates_translations)
{
    for (unsigned c = 0; c < A64T_NCONFIGS; c++) {
        struct a64t h;
        a64t_init(&h, &a64t_configs[c]);
        const uint32_t code[] = {
            0x94000040u, /* bl .+0x100 */
            0xb9000062u, /* str w2, [x3] */
            0xd50b7b23u, /* dc cvau, x3 */
            0xd5033b9fu, /* dsb ish */
            0xd50b7523u, /* ic ivau, x3 */
            0xd5033b9fu, /* dsb ish */
            0xd5033fdfu, /* isb */
            0xaa0003e4u, /* mov x4, x0 */
            0x94000038u, /* bl .+0xe0 */
        };
        const uint32_t f1[] = {0xd2800020u /* mov x0, #0x1 */, 0xd65f03c0u /* ret */};
        const struct a64t_item in[] = {X(2, 0xd2800040u /* mov x0, #0x2 */), X(3, A64T_CODE + 0x100), {0}};
        a64t_load(&h, code, 9, in);
        put_code(&h, A64T_CODE + 0x100, f1, 2);
        ck_assert_uint_eq(a64t_run(&h), IR_EXIT_brk);
        ck_assert_uint_eq(h.cpu->head.pc, A64T_CODE + 9 * 4);
        ck_assert_msg(h.cpu->x[4] == 1 && h.cpu->x[0] == 2, "%s: first call %llu, second %llu",
                      a64t_config_name(c), (unsigned long long)h.cpu->x[4],
                      (unsigned long long)h.cpu->x[0]);
        ck_assert_uint_ge(h.tcg.stats.invalidations, 1);
        a64t_fini(&h);
    }
}
END_TEST

/* Valid encodings of every group, to mutate (one per translator). */
static const uint32_t a64t_mutate_base[] = {
    0x91000420u, /* add x0, x1, #0x1 */      0xb200f3e0u, /* mov x0, #0x5555555555555555 */
    0xd2e24680u, /* mov x0, #0x1234000000000000 */ 0xd3485c20u, /* ubfx x0, x1, #8, #16 */
    0x93c23020u, /* extr x0, x1, x2, #12 */  0x90000000u, /* adrp x0, 0x10000 */
    0x8b020c20u, /* add x0, x1, x2, lsl #3 */ 0x8b222020u, /* add x0, x1, w2, uxth */
    0x8a220020u, /* bic x0, x1, x2 */        0x9a020020u, /* adc x0, x1, x2 */
    0xfa420020u, /* ccmp x1, x2, #0x0, eq */ 0x9a820020u, /* csel x0, x1, x2, eq */
    0x9ac20c20u, /* sdiv x0, x1, x2 */       0xdac00020u, /* rbit x0, x1 */
    0x9b020c20u, /* madd x0, x1, x2, x3 */   0x9bc27c20u, /* umulh x0, x1, x2 */
    0xf9400420u, /* ldr x0, [x1, #8] */      0xf85f0420u, /* ldr x0, [x1], #-16 */
    0xf8627820u, /* ldr x0, [x1, x2, lsl #3] */ 0x58000040u, /* ldr x0, 0x10008 */
    0xa9400440u, /* ldp x0, x1, [x2] */      0x3dc00020u, /* ldr q0, [x1] */
    0xc85f7c20u, /* ldxr x0, [x1] */         0xc8027c20u, /* stxr w2, x0, [x1] */
    0xc8dffc20u, /* ldar x0, [x1] */         0xc8a07c41u, /* cas x0, x1, [x2] */
    0x48207c82u, /* casp x0, x1, x2, x3, [x4] */ 0xf8200041u, /* ldadd x0, x1, [x2] */
    0x54000040u, /* b.eq 0x10008 */          0xb4000201u, /* cbz x1, 0x10040 */
    0x37000101u, /* tbnz w1, #0, 0x10020 */  0xd63f0020u, /* blr x1 */
    0xd4000001u, /* svc #0x0 */              0xd503201fu, /* nop */
    0xd5033bbfu, /* dmb ish */               0xd53b4200u, /* mrs x0, nzcv */
    0xd50b7421u, /* dc zva, x1 */            0xd50b7521u, /* ic ivau, x1 */
};

/* Random words (of every encoding group) translate to IR that verifies and
 * compiles, or to the undefined-instruction exit: never a crash or an
 * internal error. */
START_TEST(random_words_translate_cleanly)
{
    for (unsigned c = 0; c < A64T_NCONFIGS; c += 3) { /* jit/opt, interp/opt */
        struct a64t h;
        a64t_init(&h, &a64t_configs[c]);
        a64t_load(&h, NULL, 0, NULL);
        uint64_t s = 0x9e3779b97f4a7c15ull;
        unsigned undef = 0;
        for (unsigned i = 0; i < 50000; i++) {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            uint32_t w = (uint32_t)(s >> 16);
            if (i & 1) /* every other word: a valid encoding with 1-3 bits flipped */
                w = a64t_mutate_base[(s >> 8) % (sizeof a64t_mutate_base / 4)] ^ (1u << (s & 31)) ^
                    ((s >> 5 & 1) << (s >> 40 & 31)) ^ ((s >> 6 & 1) << (s >> 50 & 31));
            put_code(&h, A64T_CODE, &w, 1);
            struct ir_func f;
            uint32_t size;
            if (translate_at(&h, &f, A64T_CODE, 1, &size) != 0)
                ck_abort_msg("%08x: translation failed: %s", w, f.errmsg);
            char err[256];
            if (ir_verify(&f, err, sizeof err) != 0) /* (no ck_assert per word: they are slow) */
                ck_abort_msg("%08x: %s", w, err);
            const struct ir_insn *last = last_insn(&f);
            undef += last->op == IR_OP_exit && last->carg[0] == IR_EXIT_undef;
            ir_func_free(&f);
            if (i % 8 == 0) { /* translate, optimize, verify and compile through the cache */
                tcg_flush(&h.tcg);
                if (!tcg_lookup(&h.tcg, NULL, A64T_CODE, 0))
                    ck_abort_msg("%08x: %s", w, tcg_errmsg(&h.tcg));
            }
        }
        ck_assert_uint_gt(undef, 0);
        ck_assert_uint_lt(undef, 50000);
        a64t_fini(&h);
    }
}
END_TEST

START_TEST(frontend_for_elf_finds_aarch64)
{
    ck_assert_ptr_eq(frontend_for_elf(EM_AARCH64, ELFCLASS64), &frontend_aarch64);
    ck_assert_ptr_null(frontend_for_elf(EM_AARCH64, ELFCLASS32));
    ck_assert_ptr_null(frontend_for_elf(EM_RISCV, ELFCLASS64));
    ck_assert_str_eq(frontend_aarch64.name, "aarch64");
    ck_assert_uint_ge(frontend_aarch64.cpu_size, sizeof(struct a64_cpu));
    ck_assert_uint_eq(frontend_aarch64.cpu_align % 16, 0);
}
END_TEST

START_TEST(cpu_reset_and_dump)
{
    struct a64_cpu *cpu = aligned_alloc(64, (sizeof(struct a64_cpu) + 63) / 64 * 64);
    ck_assert_ptr_nonnull(cpu);
    memset(cpu, 0xa5, sizeof(*cpu));
    frontend_aarch64.cpu_reset(&cpu->head);
    ck_assert_uint_eq(cpu->x[30], 0);
    ck_assert_uint_eq(cpu->v[31].d[1], 0);
    ck_assert_uint_eq(cpu->excl_addr, A64_EXCL_NONE);
    cpu->x[30] = 0x1234;
    a64_cpu_set_nzcv(cpu, 4);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    frontend_aarch64.cpu_dump(&cpu->head, mem);
    fclose(mem);
    ck_assert_ptr_nonnull(strstr(buf, "X30=0000000000001234"));
    ck_assert_ptr_nonnull(strstr(buf, "NZCV=-Z--"));
    free(buf);
    free(cpu);
}
END_TEST

void a64t_add_misc_tests(Suite *s)
{
    TCase *tc = tcase_create("blocks");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, block_ends_at_branch);
    tcase_add_test(tc, block_ends_at_page_boundary);
    tcase_add_test(tc, block_honours_max_insns);
    tcase_add_test(tc, jump_to_non_executable_page);
    tcase_add_test(tc, exit_details);
    tcase_add_test(tc, dead_flags_are_removed);
    tcase_add_test(tc, ir_ops_per_insn);
    tcase_add_test(tc, random_words_translate_cleanly);
    suite_add_tcase(s, tc);

    tc = tcase_create("interfaces");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, unimp_reported_once);
    tcase_add_test(tc, in_asm_log);
    tcase_add_test(tc, hwcap_bits);
    tcase_add_test(tc, virtual_counter);
    tcase_add_test(tc, ic_ivau_invalidates_translations);
    tcase_add_test(tc, frontend_for_elf_finds_aarch64);
    tcase_add_test(tc, cpu_reset_and_dump);
    suite_add_tcase(s, tc);
}
