/* Exit cases of test_x64 that the native oracle cannot run (they would kill
 * the test process): #DE from DIV/IDIV, #UD from UD2 and unknown or
 * unimplemented encodings, SYSCALL, HLT, INT3; and the CPUID model. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "x64_test.h"

struct x64t_exit_case {
    const char *what;
    unsigned nbytes;
    uint8_t bytes[16];
    uint64_t rax, rdx, rbx;
    unsigned exit;      /* IR_EXIT_* */
    unsigned pc_offset; /* cpu->head.pc - X64T_CODE */
    int vector;         /* exc_vector for IR_EXIT_exception, else -1 */
};

static const struct x64t_exit_case x64t_exit_cases[] = {
    {"div rbx by zero", 3, {0x48, 0xf7, 0xf3}, 5, 0, 0, IR_EXIT_exception, 0, X64_EXC_DE},
    {"div ebx overflow", 2, {0xf7, 0xf3}, 0, 2, 1, IR_EXIT_exception, 0, X64_EXC_DE},
    {"idiv rbx MIN/-1", 3, {0x48, 0xf7, 0xfb}, 0x8000000000000000ull, ~0ull, ~0ull,
     IR_EXIT_exception, 0, X64_EXC_DE},
    {"idiv bl overflow", 2, {0xf6, 0xfb}, 0xff80, 0, 0xff, IR_EXIT_exception, 0, X64_EXC_DE},
    {"nop; div bl by zero (2nd insn)", 3, {0x90, 0xf6, 0xf3}, 5, 0, 0, IR_EXIT_exception, 1, X64_EXC_DE},
    {"ud2", 2, {0x0f, 0x0b}, 0, 0, 0, IR_EXIT_undef, 0, -1},
    {"undecodable (0x06 in 64-bit mode)", 1, {0x06}, 0, 0, 0, IR_EXIT_undef, 0, -1},
    {"nop; unimplemented SSSE3 (pshufb xmm0, xmm1)", 6, {0x90, 0x66, 0x0f, 0x38, 0x00, 0xc1}, 0, 0,
     0, IR_EXIT_undef, 1, -1},
    {"lock pxor xmm0, xmm1: #UD", 5, {0xf0, 0x66, 0x0f, 0xef, 0xc1}, 0, 0, 0, IR_EXIT_undef, 0, -1},
    {"unimplemented MMX (paddb mm0, mm1)", 3, {0x0f, 0xfc, 0xc1}, 0, 0, 0, IR_EXIT_undef, 0, -1},
    {"movdqa xmm0, [rbx+1]: misaligned", 5, {0x66, 0x0f, 0x6f, 0x43, 0x01}, 0, 0, X64T_DATA,
     IR_EXIT_exception, 0, X64_EXC_GP},
    {"nop; pxor xmm1, [rbx+8]: misaligned", 6, {0x90, 0x66, 0x0f, 0xef, 0x4b, 0x08}, 0, 0,
     X64T_DATA, IR_EXIT_exception, 1, X64_EXC_GP},
    {"addps xmm0, [rbx+4]: misaligned", 4, {0x0f, 0x58, 0x43, 0x04}, 0, 0, X64T_DATA,
     IR_EXIT_exception, 0, X64_EXC_GP},
    {"movaps [rbx+8], xmm0: misaligned", 4, {0x0f, 0x29, 0x43, 0x08}, 0, 0, X64T_DATA,
     IR_EXIT_exception, 0, X64_EXC_GP},
    {"ldmxcsr [rbx] with reserved bit 16", 3, {0x0f, 0xae, 0x13}, 0, 0, X64T_DATA + 0x100,
     IR_EXIT_exception, 0, X64_EXC_GP},
    {"fxsave [rbx+8]: misaligned", 4, {0x0f, 0xae, 0x43, 0x08}, 0, 0, X64T_DATA,
     IR_EXIT_exception, 0, X64_EXC_GP},
    {"syscall", 2, {0x0f, 0x05}, 60, 0, 0, IR_EXIT_syscall, 2, -1},
    {"hlt", 1, {0xf4}, 0, 0, 0, IR_EXIT_halt, 0, -1},
    {"int3", 1, {0xcc}, 0, 0, 0, IR_EXIT_brk, 1, -1},
};

/* Each exit case on every configuration: reason, pc, exception vector, and
 * the registers untouched by the faulting instruction. */
START_TEST(exits)
{
    const struct x64t_exit_case *e = &x64t_exit_cases[_i % (sizeof x64t_exit_cases / sizeof x64t_exit_cases[0])];
    for (unsigned c = 0; c < X64T_NCONFIGS; c++) {
        struct x64t h;
        x64t_init(&h, &x64t_configs[c]);
        static struct x64t_state in;
        memset(&in, 0, sizeof in);
        in.regs[X64_RAX] = e->rax;
        in.regs[X64_RDX] = e->rdx;
        in.regs[X64_RBX] = e->rbx;
        in.regs[X64_RSP] = X64T_STACK;
        in.rflags = 0x202;
        in.mxcsr = X64_MXCSR_DEFAULT;
        uint32_t bad_mxcsr = 0x11f80; /* for the LDMXCSR case, at X64T_DATA + 0x100 */
        memcpy(in.data + 0x100, &bad_mxcsr, 4);
        unsigned r = x64t_run(&h, e->bytes, e->nbytes, &in);
        ck_assert_msg(r == e->exit, "%s (%s): exit %u, want %u", e->what, x64t_config_name(c), r,
                      e->exit);
        ck_assert_msg(h.cpu->head.pc == X64T_CODE + e->pc_offset, "%s (%s): pc 0x%llx", e->what,
                      x64t_config_name(c), (unsigned long long)h.cpu->head.pc);
        if (e->vector >= 0)
            ck_assert_msg(h.cpu->exc_vector == (unsigned)e->vector, "%s: vector %u", e->what,
                          h.cpu->exc_vector);
        if (e->exit == IR_EXIT_syscall)
            ck_assert_msg(h.cpu->regs[X64_RCX] == X64T_CODE + e->pc_offset &&
                              h.cpu->regs[X64_R11] == 0x202,
                          "syscall: rcx 0x%llx r11 0x%llx", (unsigned long long)h.cpu->regs[X64_RCX],
                          (unsigned long long)h.cpu->regs[X64_R11]);
        ck_assert_msg(h.cpu->regs[X64_RAX] == e->rax && h.cpu->regs[X64_RDX] == e->rdx,
                      "%s (%s): rax/rdx changed by a faulting instruction", e->what,
                      x64t_config_name(c));
        x64t_fini(&h);
    }
}
END_TEST

/* CPUID leaf 0 names the model's vendor; leaf 1 advertises POPCNT, FXSR,
 * SSE, SSE2 and nothing newer; extended leaf 1 has LM and SYSCALL. */
START_TEST(cpuid_model)
{
    struct x64t h;
    x64t_init(&h, &x64t_configs[0]);
    static struct x64t_state in;
    memset(&in, 0, sizeof in);
    in.regs[X64_RSP] = X64T_STACK;
    in.rflags = 0x202;
    static const uint8_t cpuid[] = {0x0f, 0xa2};
    x64t_run(&h, cpuid, 2, &in);
    char vendor[13];
    memcpy(vendor, &h.cpu->regs[X64_RBX], 4);
    memcpy(vendor + 4, &h.cpu->regs[X64_RDX], 4);
    memcpy(vendor + 8, &h.cpu->regs[X64_RCX], 4);
    vendor[12] = 0;
    ck_assert_str_eq(vendor, "Ferry TCGx86");
    in.regs[X64_RAX] = 1;
    x64t_run(&h, cpuid, 2, &in);
    ck_assert_msg(h.cpu->regs[X64_RCX] & (1u << 23), "POPCNT advertised");
    ck_assert_msg((h.cpu->regs[X64_RDX] & (7u << 24)) == (7u << 24), "FXSR SSE SSE2 advertised");
    ck_assert_msg(!(h.cpu->regs[X64_RDX] & 1u), "no FPU: x87 arithmetic is not translated");
    ck_assert_msg(!(h.cpu->regs[X64_RDX] & (1u << 23)), "no MMX");
    ck_assert_msg(!(h.cpu->regs[X64_RCX] & ((1u << 0) | (1u << 9) | (1u << 19) | (1u << 27) | (1u << 28))),
                  "no SSE3 SSSE3 SSE4.1 OSXSAVE AVX");
    in.regs[X64_RAX] = 0x80000001;
    x64t_run(&h, cpuid, 2, &in);
    ck_assert_msg(h.cpu->regs[X64_RDX] & (1u << 29), "LM advertised");
    x64t_fini(&h);
}
END_TEST

/* FS/GS overrides add the segment base (TLS, the stack protector's
 * fs:[0x28]); LEA ignores it. */
START_TEST(fs_gs_base)
{
    /* mov rax, fs:[0x28]; mov gs:[rbx+8], rcx; lea rdx, fs:[rbx+0x10] */
    static const uint8_t code[] = {0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0x00, 0x00, 0x00, 0x65,
                                   0x48, 0x89, 0x4b, 0x08, 0x64, 0x48, 0x8d, 0x53, 0x10};
    for (unsigned c = 0; c < X64T_NCONFIGS; c++) {
        struct x64t h;
        x64t_init(&h, &x64t_configs[c]);
        static struct x64t_state in;
        memset(&in, 0, sizeof in);
        in.regs[X64_RSP] = X64T_STACK;
        in.regs[X64_RBX] = 0x100;
        in.regs[X64_RCX] = 0x1122334455667788ull;
        in.rflags = 0x202;
        in.fs_base = X64T_DATA + 0x200;
        in.gs_base = X64T_DATA + 0x400;
        uint64_t tls = 0xfeedfacecafebeefull;
        memcpy(in.data + 0x228, &tls, 8);
        unsigned r = x64t_run(&h, code, sizeof code, &in);
        ck_assert_uint_eq(r, IR_EXIT_brk);
        ck_assert_msg(h.cpu->regs[X64_RAX] == tls, "%s: fs load 0x%llx", x64t_config_name(c),
                      (unsigned long long)h.cpu->regs[X64_RAX]);
        uint64_t stored;
        memcpy(&stored, h.mem + X64T_DATA + 0x400 + 0x108, 8);
        ck_assert_msg(stored == in.regs[X64_RCX], "%s: gs store", x64t_config_name(c));
        ck_assert_uint_eq(h.cpu->regs[X64_RDX], 0x110);
        x64t_fini(&h);
    }
}
END_TEST

/* An instruction that runs past the executable page: IR_EXIT_fault at the
 * instruction (also when a block reaches it after other instructions), with
 * fault_addr = the first byte that may not be executed. */
START_TEST(fetch_fault)
{
    static uint8_t code[X64T_CODE_SIZE];
    memset(code, 0xcc, sizeof code);
    /* jmp 0xffd; ...; 0xffd: nop; 0xffe: 48 01 (add r/m64 needs a ModRM) */
    code[0] = 0xe9;
    uint32_t rel = 0xffd - 5;
    memcpy(code + 1, &rel, 4);
    code[0xffd] = 0x90;
    code[0xffe] = 0x48;
    code[0xfff] = 0x01;
    for (unsigned c = 0; c < X64T_NCONFIGS; c++) {
        struct x64t h;
        x64t_init(&h, &x64t_configs[c]);
        static struct x64t_state in;
        memset(&in, 0, sizeof in);
        in.regs[X64_RSP] = X64T_STACK;
        in.rflags = 0x202;
        unsigned r = x64t_run(&h, code, sizeof code, &in);
        ck_assert_msg(r == IR_EXIT_fault, "%s: exit %u", x64t_config_name(c), r);
        ck_assert_uint_eq(h.cpu->head.pc, X64T_CODE + 0xffe);
        ck_assert_uint_eq(h.cpu->fault_addr, X64T_CODE + 0x1000);
        x64t_fini(&h);
    }
}
END_TEST

void x64t_add_misc_tests(Suite *s)
{
    TCase *tc = tcase_create("misc");
    tcase_add_test(tc, fetch_fault);
    tcase_add_test(tc, fs_gs_base);
    tcase_add_loop_test(tc, exits, 0, (int)(sizeof x64t_exit_cases / sizeof x64t_exit_cases[0]));
    tcase_add_test(tc, cpuid_model);
    suite_add_tcase(s, tc);
}

/* Translate `bytes` at X64T_CODE into f (one block). */
static void x64t_translate(struct x64t *h, const uint8_t *bytes, unsigned n, struct ir_func *f)
{
    memset(h->mem + X64T_CODE, 0xcc, X64T_CODE_SIZE);
    memcpy(h->mem + X64T_CODE, bytes, n);
    uint32_t size = 0;
    ck_assert_int_eq(frontend_x86_64.translate(&h->fctx, f, X64T_CODE, 0, 64, &size), 0);
    ck_assert_msg(!f->err, "translate failed");
}

static unsigned x64t_count(const struct ir_func *f, int op)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < f->ninsns; i++)
        if (f->insns[i].op != IR_OP_nop && f->insns[i].op != IR_OP_insn_start &&
            (op < 0 || f->insns[i].op == op))
            n++;
    return n;
}

/* Ops writing the global named `name`. */
static unsigned x64t_count_writes(const struct ir_func *f, const char *name)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        const struct ir_insn *in = &f->insns[i];
        if (in->op == IR_OP_nop || in->op == IR_OP_insn_start)
            continue;
        for (unsigned o = 0; o < in->nout; o++) {
            const struct ir_value *v = &f->vals[ir_out(in, o)];
            if (v->kind == IR_VAL_GLOBAL && strcmp(v->name, name) == 0)
                n++;
        }
    }
    return n;
}

/* Lazy flags: each ALU writer records its operands in the cc_* globals
 * instead of computing flags (no PF writes at all); only the last writer's
 * stay live (stored at the block end), the dead-code pass removes the
 * earlier ones.  Prints the IR-size figures (docs/frontend-x86_64.md). */
START_TEST(dead_flags_removed)
{
    /* add rax, rbx; add rax, rcx; sub rax, rdx; cmp rax, r8; jne +0 (a
     * typical compute block ending in a conditional branch) */
    static const uint8_t code[] = {0x48, 0x01, 0xd8, 0x48, 0x01, 0xc8, 0x48, 0x29, 0xd0,
                                   0x4c, 0x39, 0xc0, 0x75, 0x00};
    struct x64t h;
    x64t_init(&h, &x64t_configs[0]);
    struct ir_func f;
    ir_func_init(&f);
    x64t_translate(&h, code, sizeof code, &f);
    ck_assert_uint_eq(x64t_count_writes(&f, "pf"), 0);
    unsigned before = x64t_count(&f, -1), pc_before = x64t_count_writes(&f, "cc_res");
    ck_assert_int_eq(ir_optimize(&f, IR_PASSES_ALL, true, NULL), 0);
    ir_compact(&f);
    unsigned after = x64t_count(&f, -1), pc_after = x64t_count_writes(&f, "cc_res");
    printf("x64 IR ops, 5-insn ALU block: %u before optimization (%.1f per insn), %u after "
           "(%.1f per insn); cc_res writes %u -> %u\n",
           before, before / 5.0, after, after / 5.0, pc_before, pc_after);
    ck_assert_uint_eq(pc_before, 4);
    ck_assert_uint_eq(pc_after, 1); /* the last writer: flags are live at the block end */
    ck_assert_msg(after * 2 < before, "optimizer left %u of %u ops", after, before);
    ir_func_free(&f);

    /* the same with memory operands: add rax, [rbx]; add rax, [rbx+8];
     * sub rax, [rbx+16]; cmp rax, r8; jne +0 -- every ld may fault, so the
     * flags before it must be precise: does the dead-code pass still drop
     * the earlier writers' flags? (printed for the record) */
    static const uint8_t mcode[] = {0x48, 0x03, 0x03, 0x48, 0x03, 0x43, 0x08, 0x48, 0x2b, 0x43,
                                    0x10, 0x4c, 0x39, 0xc0, 0x75, 0x00};
    ir_func_init(&f);
    x64t_translate(&h, mcode, sizeof mcode, &f);
    before = x64t_count(&f, -1);
    pc_before = x64t_count_writes(&f, "cc_res");
    ck_assert_int_eq(ir_optimize(&f, IR_PASSES_ALL, true, NULL), 0);
    ir_compact(&f);
    after = x64t_count(&f, -1);
    pc_after = x64t_count_writes(&f, "cc_res");
    printf("x64 IR ops, 5-insn block with loads: %u before optimization (%.1f per insn), %u after "
           "(%.1f per insn); cc_res writes %u -> %u\n",
           before, before / 5.0, after, after / 5.0, pc_before, pc_after);
    ck_assert_uint_lt(after, before);
    ir_func_free(&f);
    x64t_fini(&h);
}
END_TEST

/* -d unimp: each unimplemented instruction once (by Capstone id) with its
 * disassembly; undecodable bytes once with the bytes. */
START_TEST(unimp_reported_once)
{
    struct x64t h;
    x64t_init(&h, &x64t_configs[0]);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(mem);
    unsigned old_mask = log_mask;
    FILE *old_file = log_file;
    log_mask |= 1u << LOG_unimp;
    log_file = mem;
    /* pshufb (SSSE3, not translated) */
    static const uint8_t pshufb[] = {0x66, 0x0f, 0x38, 0x00, 0xc1}, bad[] = {0x06};
    const uint8_t *codes[4] = {pshufb, pshufb, bad, bad};
    const unsigned lens[4] = {5, 5, 1, 1};
    for (unsigned i = 0; i < 4; i++) {
        struct ir_func f;
        ir_func_init(&f);
        x64t_translate(&h, codes[i], lens[i], &f);
        const struct ir_insn *last = &f.insns[f.ninsns - 1];
        ck_assert_int_eq(last->op, IR_OP_exit);
        ck_assert_int_eq(last->carg[0], IR_EXIT_undef);
        ir_func_free(&f);
    }
    log_mask = old_mask;
    log_file = old_file;
    fclose(mem);
    unsigned lines = 0;
    for (char *p = buf; *p; p++)
        lines += *p == '\n';
    ck_assert_msg(lines == 2, "want 2 report lines, got:\n%s", buf);
    ck_assert_ptr_nonnull(strstr(buf, "pshufb xmm0, xmm1"));
    ck_assert_ptr_nonnull(strstr(buf, " 06"));
    free(buf);
    x64t_fini(&h);
}
END_TEST

void x64t_add_ir_tests(Suite *s)
{
    TCase *tc = tcase_create("ir");
    tcase_add_test(tc, unimp_reported_once);
    tcase_add_test(tc, dead_flags_removed);
    suite_add_tcase(s, tc);
}
