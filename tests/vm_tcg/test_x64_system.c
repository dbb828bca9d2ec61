/* Check suite for system mode of the x86-64 translator: the CPU helpers
 * (x64_system_cpu.c: segment loads and their faults, CR0/EFER mode changes,
 * MSRs, the I/O permission check, far returns across rings, LTR, string I/O,
 * SYSCALL/SYSRET, CPUID) over a flat 64 KiB fake memory and a port log, and
 * what the translator emits (#GP for privileged instructions at CPL3, HLT,
 * INT n, 32-bit decoding and stack slots). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/frontend.h"
#include "frontend/x86_64/x64_system.h"

#define MEM_SIZE 0x10000u
#define GDT 0x1000u
#define TSS 0x2000u
#define IOMAP 104u

enum { SEL_KCODE = 0x08, SEL_KDATA = 0x10, SEL_UDATA = 0x18, SEL_UCODE = 0x20, SEL_CODE32 = 0x28,
       SEL_NP_DATA = 0x30, SEL_TSS = 0x38 };

struct fake {
    uint8_t mem[MEM_SIZE];
    unsigned flushes;
    uint16_t out_port[32];
    uint8_t out_val[32];
    unsigned nout;
};

static struct fake *fk;
static struct x64_cpu *cpu;

static int fake_read(void *o, struct x64_cpu *c, uint64_t la, void *buf, unsigned len, bool user)
{
    (void)o, (void)user;
    if (la >= MEM_SIZE || len > MEM_SIZE - la) {
        c->cr2 = la;
        x64_sys_fault(c, X64_EXC_PF, 0);
        return -1;
    }
    memcpy(buf, fk->mem + la, len);
    return 0;
}

static int fake_write(void *o, struct x64_cpu *c, uint64_t la, const void *buf, unsigned len,
                      bool user)
{
    (void)o, (void)user;
    if (la >= MEM_SIZE || len > MEM_SIZE - la) {
        c->cr2 = la;
        x64_sys_fault(c, X64_EXC_PF, 2);
        return -1;
    }
    memcpy(fk->mem + la, buf, len);
    return 0;
}

static uint64_t fake_in(void *o, struct x64_cpu *c, uint16_t port, unsigned size)
{
    (void)o, (void)c;
    return 0x40u + port % 16u + (size == 1 ? 0 : 0x100);
}

static void fake_out(void *o, struct x64_cpu *c, uint16_t port, uint64_t v, unsigned size)
{
    (void)o, (void)c, (void)size;
    if (fk->nout < 32) {
        fk->out_port[fk->nout] = port;
        fk->out_val[fk->nout++] = (uint8_t)v;
    }
}

static void fake_flush(void *o, struct x64_cpu *c)
{
    (void)o, (void)c;
    fk->flushes++;
}

static const struct x64_sys_ops fake_ops = {
    .io_in = fake_in, .io_out = fake_out, .mem_read = fake_read, .mem_write = fake_write,
    .tlb_flush = fake_flush,
};

static void put64(uint64_t a, uint64_t v) { memcpy(fk->mem + a, &v, 8); }
static uint64_t get64(uint64_t a)
{
    uint64_t v;
    memcpy(&v, fk->mem + a, 8);
    return v;
}

/* Long mode, CPL0 in 64-bit code, the kit's GDT, a 64-bit TSS whose I/O
 * bitmap allows every port but 0x80. */
static void setup(void)
{
    fk = calloc(1, sizeof(*fk));
    cpu = aligned_alloc(64, (sizeof(*cpu) + 63) & ~(size_t)63);
    x64_cpu_reset(cpu);
    cpu->sys_ops = &fake_ops;
    put64(GDT + SEL_KCODE, 0x00af9a000000ffffull);
    put64(GDT + SEL_KDATA, 0x00cf92000000ffffull);
    put64(GDT + SEL_UDATA, 0x00cff2000000ffffull);
    put64(GDT + SEL_UCODE, 0x00affa000000ffffull);
    put64(GDT + SEL_CODE32, 0x00cf9a000000ffffull);
    put64(GDT + SEL_NP_DATA, 0x00cf12000000ffffull);
    uint64_t limit = IOMAP + 8192;
    put64(GDT + SEL_TSS, limit | (uint64_t)TSS << 16 | 0x89ull << 40);
    put64(GDT + SEL_TSS + 8, 0);
    cpu->gdt_base = GDT;
    cpu->gdt_limit = SEL_TSS + 15;
    fk->mem[TSS + 102] = IOMAP;
    fk->mem[TSS + IOMAP + 0x80 / 8] = 1; /* port 0x80 denied */
    cpu->cr0 = 0x80000011;
    cpu->cr4 = 0x20;
    cpu->efer = 0x500;
    x64_sys_seg_from_desc(&cpu->seg[X64_CS], SEL_KCODE, get64(GDT + SEL_KCODE), 0);
    x64_sys_seg_from_desc(&cpu->seg[X64_SS], SEL_KDATA, get64(GDT + SEL_KDATA), 0);
    x64_sys_update_flags(cpu);
}

static void teardown(void)
{
    free(cpu);
    free(fk);
}

/* Run at CPL3 in 64-bit code (IOPL 0). */
static void to_cpl3(void)
{
    x64_sys_seg_from_desc(&cpu->seg[X64_CS], SEL_UCODE | 3, get64(GDT + SEL_UCODE), 0);
    x64_sys_update_flags(cpu);
}

START_TEST(mode_flags_from_cs_and_cr0)
{
    ck_assert_uint_eq(cpu->head.flags, X64_HF_SYSTEM | X64_HF_CS64 | X64_HF_PG);
    to_cpl3();
    ck_assert_uint_eq(cpu->head.flags, X64_HF_SYSTEM | X64_HF_CS64 | X64_HF_PG | 3);
    ck_assert_uint_eq(cpu->cpl, 3);
}
END_TEST

START_TEST(load_ds_reads_the_gdt)
{
    ck_assert_int_eq(x64_sys_load_seg(cpu, X64_DS, SEL_KDATA), 0);
    ck_assert_uint_eq(cpu->seg[X64_DS].sel, SEL_KDATA);
    ck_assert_uint_eq(cpu->seg[X64_DS].limit, 0xffffffffu);
    ck_assert(cpu->seg[X64_DS].attr & X64_SEGA_P);
}
END_TEST

START_TEST(load_seg_past_gdt_limit_is_gp_with_selector)
{
    ck_assert_int_eq(x64_sys_load_seg(cpu, X64_DS, 0x48), 1);
    ck_assert_uint_eq(cpu->exc_vector, X64_EXC_GP);
    ck_assert_uint_eq(cpu->exc_error, 0x48);
}
END_TEST

START_TEST(load_kernel_data_at_cpl3_is_gp)
{
    to_cpl3();
    ck_assert_int_eq(x64_sys_load_seg(cpu, X64_ES, SEL_KDATA), 1);
    ck_assert_uint_eq(cpu->exc_vector, X64_EXC_GP);
    ck_assert_uint_eq(cpu->exc_error, SEL_KDATA);
}
END_TEST

START_TEST(load_not_present_is_np)
{
    ck_assert_int_eq(x64_sys_load_seg(cpu, X64_DS, SEL_NP_DATA), 1);
    ck_assert_uint_eq(cpu->exc_vector, X64_EXC_NP);
    ck_assert_uint_eq(cpu->exc_error, SEL_NP_DATA);
}
END_TEST

START_TEST(null_ss_at_cpl3_is_gp)
{
    ck_assert_int_eq(x64_sys_load_seg(cpu, X64_SS, 0), 0); /* CPL0 64-bit: allowed */
    to_cpl3();
    ck_assert_int_eq(x64_sys_load_seg(cpu, X64_SS, 3), 1);
    ck_assert_uint_eq(cpu->exc_vector, X64_EXC_GP);
}
END_TEST

START_TEST(cr0_pg_without_pe_is_gp)
{
    ck_assert_int_eq(x64_sys_write_cr(cpu, 0, 0x80000000), 1);
    ck_assert_uint_eq(cpu->exc_vector, X64_EXC_GP);
    ck_assert_uint_eq(cpu->cr0, 0x80000011);
}
END_TEST

START_TEST(enabling_paging_with_lme_sets_lma)
{
    /* 32-bit protected mode, EFER.LME, CR4.PAE: the Multiboot stub's path */
    x64_sys_seg_from_desc(&cpu->seg[X64_CS], SEL_CODE32, get64(GDT + SEL_CODE32), 0);
    cpu->cr0 = 0x11;
    cpu->efer = 0;
    x64_sys_update_flags(cpu);
    ck_assert_uint_eq(cpu->head.flags, X64_HF_SYSTEM | X64_HF_CS32);
    ck_assert_int_eq(x64_sys_wrmsr(cpu, 0xc0000080, 0x100), 0);
    unsigned before = fk->flushes;
    ck_assert_int_eq(x64_sys_write_cr(cpu, 0, 0x80000011), 0);
    ck_assert_uint_eq(cpu->efer, 0x500);
    ck_assert_uint_gt(fk->flushes, before);
    /* still CS.D code (compatibility mode) until the far jump */
    ck_assert_uint_eq(cpu->head.flags, X64_HF_SYSTEM | X64_HF_CS32 | X64_HF_PG);
    ck_assert_uint_eq(x64_sys_helper_ljmp(cpu, SEL_KCODE, 0x123456), 0);
    ck_assert_uint_eq(cpu->head.flags, X64_HF_SYSTEM | X64_HF_CS64 | X64_HF_PG);
    ck_assert_uint_eq(cpu->head.pc, 0x123456);
}
END_TEST

START_TEST(paging_with_lme_needs_pae)
{
    cpu->cr0 = 0x11;
    cpu->cr4 = 0;
    cpu->efer = 0x100;
    ck_assert_int_eq(x64_sys_write_cr(cpu, 0, 0x80000011), 1);
    ck_assert_uint_eq(cpu->exc_vector, X64_EXC_GP);
    ck_assert_uint_eq(cpu->efer, 0x100);
}
END_TEST

START_TEST(msr_round_trip_and_unknown_msr_gp)
{
    uint64_t v = 0;
    ck_assert_int_eq(x64_sys_wrmsr(cpu, 0xc0000102, 0xffff800000001000ull), 0);
    ck_assert_int_eq(x64_sys_rdmsr(cpu, 0xc0000102, &v), 0);
    ck_assert_uint_eq(v, 0xffff800000001000ull);
    ck_assert_int_eq(x64_sys_wrmsr(cpu, 0xc0000100, 0x0000800000000000ull), 1); /* non-canonical */
    ck_assert_uint_eq(cpu->exc_vector, X64_EXC_GP);
    ck_assert_int_eq(x64_sys_rdmsr(cpu, 0x12345678, &v), 1);
    ck_assert_uint_eq(cpu->exc_vector, X64_EXC_GP);
}
END_TEST

START_TEST(io_at_cpl3_follows_the_tss_bitmap)
{
    cpu->seg[X64_TR].base = TSS;
    cpu->seg[X64_TR].limit = IOMAP + 8192;
    cpu->seg[X64_TR].attr = 0x8b; /* busy 64-bit TSS, present */
    to_cpl3();
    ck_assert_int_eq(x64_sys_io_check(cpu, 0x3f8, 1), 0);
    ck_assert_int_eq(x64_sys_io_check(cpu, 0x80, 1), 1);
    ck_assert_uint_eq(cpu->exc_vector, X64_EXC_GP);
    ck_assert_int_eq(x64_sys_io_check(cpu, 0x7e, 4), 1); /* 0x7e..0x81 covers 0x80 */
    x64_set_rflags(cpu, 0x3002); /* IOPL 3: no bitmap lookup */
    ck_assert_int_eq(x64_sys_io_check(cpu, 0x80, 1), 0);
}
END_TEST

START_TEST(iretq_to_cpl3_pops_ss_rsp)
{
    uint64_t sp = 0x8000;
    uint64_t frame[5] = {0x401000, SEL_UCODE | 3, 0x3202, 0x7000, SEL_UDATA | 3};
    memcpy(fk->mem + sp, frame, sizeof(frame));
    cpu->regs[X64_RSP] = sp;
    ck_assert_int_eq(x64_sys_load_seg(cpu, X64_DS, SEL_KDATA), 0);
    ck_assert_uint_eq(x64_sys_helper_iret(cpu, 8), 0);
    ck_assert_uint_eq(cpu->head.pc, 0x401000);
    ck_assert_uint_eq(cpu->cpl, 3);
    ck_assert_uint_eq(cpu->regs[X64_RSP], 0x7000);
    ck_assert_uint_eq(cpu->seg[X64_SS].sel, SEL_UDATA | 3);
    ck_assert_uint_eq(x64_get_rflags(cpu) & 0x3200, 0x3200); /* IOPL and IF from CPL0 */
    ck_assert_uint_eq(cpu->seg[X64_DS].sel, 0); /* a DPL0 data segment is dropped */
}
END_TEST

START_TEST(lretq_same_ring_reloads_cs)
{
    uint64_t frame[2] = {0x102030, SEL_KCODE};
    memcpy(fk->mem + 0x8000, frame, sizeof(frame));
    cpu->regs[X64_RSP] = 0x8000;
    ck_assert_uint_eq(x64_sys_helper_lret(cpu, 8, 0), 0);
    ck_assert_uint_eq(cpu->head.pc, 0x102030);
    ck_assert_uint_eq(cpu->regs[X64_RSP], 0x8010);
    ck_assert_uint_eq(cpu->cpl, 0);
}
END_TEST

START_TEST(lret_to_inner_ring_is_gp)
{
    to_cpl3();
    uint64_t frame[2] = {0x102030, SEL_KCODE};
    memcpy(fk->mem + 0x8000, frame, sizeof(frame));
    cpu->regs[X64_RSP] = 0x8000;
    ck_assert_uint_eq(x64_sys_helper_lret(cpu, 8, 0), 1);
    ck_assert_uint_eq(cpu->exc_vector, X64_EXC_GP);
    ck_assert_uint_eq(cpu->regs[X64_RSP], 0x8000);
}
END_TEST

START_TEST(ltr_loads_tr_and_marks_busy)
{
    ck_assert_uint_eq(x64_sys_helper_ltr(cpu, SEL_TSS), 0);
    ck_assert_uint_eq(cpu->seg[X64_TR].base, TSS);
    ck_assert_uint_eq(cpu->seg[X64_TR].attr & 0xf, 0xb);
    ck_assert_uint_eq((get64(GDT + SEL_TSS) >> 40) & 0xf, 0xb);
    ck_assert_uint_eq(x64_sys_helper_ltr(cpu, SEL_TSS), 1); /* busy now */
    ck_assert_uint_eq(cpu->exc_vector, X64_EXC_GP);
}
END_TEST

START_TEST(rep_outsb_sends_each_byte_and_counts_down)
{
    memcpy(fk->mem + 0x3000, "abcd", 4);
    cpu->regs[X64_RSI] = 0x3000;
    cpu->regs[X64_RCX] = 4;
    cpu->regs[X64_RDX] = 0x3f8;
    ck_assert_uint_eq(x64_sys_helper_string_io(cpu, 1, 1 | 4), 0);
    ck_assert_uint_eq(fk->nout, 4);
    ck_assert_uint_eq(fk->out_val[3], 'd');
    ck_assert_uint_eq(fk->out_port[0], 0x3f8);
    ck_assert_uint_eq(cpu->regs[X64_RSI], 0x3004);
    ck_assert_uint_eq(cpu->regs[X64_RCX], 0);
}
END_TEST

START_TEST(rep_insb_fault_keeps_progress)
{
    cpu->regs[X64_RDI] = MEM_SIZE - 2;
    cpu->regs[X64_RCX] = 4;
    cpu->regs[X64_RDX] = 0x3f8;
    ck_assert_uint_eq(x64_sys_helper_string_io(cpu, 1, 1), 1);
    ck_assert_uint_eq(cpu->exc_vector, X64_EXC_PF);
    ck_assert_uint_eq(cpu->regs[X64_RCX], 2);
    ck_assert_uint_eq(cpu->regs[X64_RDI], MEM_SIZE);
    ck_assert_uint_eq(fk->mem[MEM_SIZE - 1], 0x48); /* fake_in: 0x40 + 0x3f8 % 16 */
}
END_TEST

START_TEST(cpuid_reports_what_kvm_guests_expect)
{
    cpu->regs[X64_RAX] = 1;
    x64_sys_cpuid(cpu);
    uint32_t d = (uint32_t)cpu->regs[X64_RDX], c = (uint32_t)cpu->regs[X64_RCX];
    ck_assert(d & 1);          /* fpu */
    ck_assert(d & (1u << 26)); /* sse2 */
    ck_assert(c & (1u << 31)); /* hypervisor */
    cpu->regs[X64_RAX] = 0x80000001;
    x64_sys_cpuid(cpu);
    ck_assert(cpu->regs[X64_RDX] & (1u << 29)); /* lm */
    ck_assert(cpu->regs[X64_RDX] & (1u << 20)); /* nx */
}
END_TEST

START_TEST(popf_at_cpl3_keeps_iopl_and_if)
{
    x64_set_rflags(cpu, 0x202);
    to_cpl3();
    x64_sys_set_rflags(cpu, 0x3001, false);
    uint64_t r = x64_get_rflags(cpu);
    ck_assert_uint_eq(r & 0x3000, 0);  /* IOPL unchanged at CPL3 */
    ck_assert_uint_eq(r & 0x200, 0x200); /* IF: CPL3 > IOPL 0 */
    ck_assert_uint_eq(r & 1, 1);
}
END_TEST


START_TEST(syscall_sysret_round_trip)
{
    cpu->efer |= 1; /* SCE */
    cpu->star = (uint64_t)(SEL_UDATA - 8) << 48 | (uint64_t)SEL_KCODE << 32;
    cpu->lstar = 0xffff800000100000ull;
    cpu->sfmask = 0x200;
    to_cpl3();
    x64_set_rflags(cpu, 0x202);
    ck_assert_uint_eq(x64_sys_helper_syscall(cpu, 0x401234), 0);
    ck_assert_uint_eq(cpu->head.pc, 0xffff800000100000ull);
    ck_assert_uint_eq(cpu->cpl, 0);
    ck_assert_uint_eq(cpu->regs[X64_RCX], 0x401234);
    ck_assert_uint_eq(cpu->regs[X64_R11], 0x202);
    ck_assert_uint_eq(x64_get_rflags(cpu) & 0x200, 0); /* IF masked by SFMASK */
    ck_assert_uint_eq(cpu->seg[X64_SS].sel, SEL_KDATA);
    ck_assert_uint_eq(x64_sys_helper_sysret(cpu, 8), 0);
    ck_assert_uint_eq(cpu->head.pc, 0x401234);
    ck_assert_uint_eq(cpu->cpl, 3);
    ck_assert_uint_eq(cpu->seg[X64_CS].sel, SEL_UCODE | 3);
    ck_assert_uint_eq(cpu->seg[X64_SS].sel, SEL_UDATA | 3);
    ck_assert_uint_eq(cpu->head.flags & X64_HF_CS64, X64_HF_CS64);
    ck_assert_uint_eq(x64_get_rflags(cpu) & 0x200, 0x200);
}
END_TEST

START_TEST(syscall_without_sce_is_ud)
{
    ck_assert_uint_eq(x64_sys_helper_syscall(cpu, 0x1000), 1);
    ck_assert_uint_eq(cpu->exc_vector, X64_EXC_UD);
}
END_TEST

/* ---- translation: what the system group emits --------------------------- */

static const uint8_t *code_bytes;
static unsigned code_len;

static unsigned fake_fetch(void *env, uint64_t addr, uint32_t flags, uint8_t *buf, unsigned len)
{
    (void)env, (void)flags;
    unsigned n = addr < code_len ? code_len - (unsigned)addr : 0;
    if (n > len)
        n = len;
    memcpy(buf, code_bytes + addr, n);
    return n;
}

/* Translate one instruction at pc 0 in mode `flags`; returns the exit reason
 * of the first exit insn (-1 if none) and the vector it stores, if any. */
static int translate_one(const uint8_t *bytes, unsigned len, uint32_t flags, int *vector)
{
    struct frontend_ctx ctx = {.fe = &frontend_x86_64, .fetch = fake_fetch};
    code_bytes = bytes;
    code_len = len;
    ck_assert_int_eq(frontend_x86_64.ctx_init(&ctx), 0);
    struct ir_func f;
    ir_func_init(&f);
    f.flags = flags;
    uint32_t size = 0;
    ck_assert_int_eq(frontend_x86_64.translate(&ctx, &f, 0, flags, 1, &size), 0);
    int reason = -1;
    *vector = -1;
    for (uint32_t i = 0; i < f.ninsns; i++) {
        const struct ir_insn *in = &f.insns[i];
        if (in->op == IR_OP_st_state && in->carg[0] == (int64_t)offsetof(struct x64_cpu, exc_vector) &&
            ir_is_const(&f, ir_in(in, 0)) && *vector < 0)
            *vector = (int)ir_val(&f, ir_in(in, 0))->c;
        if (in->op == IR_OP_exit && reason < 0)
            reason = (int)in->carg[0];
    }
    ir_func_free(&f);
    frontend_x86_64.ctx_fini(&ctx);
    return reason;
}

#define MODE64 (X64_HF_SYSTEM | X64_HF_CS64 | X64_HF_PG)

static const struct {
    const char *name;
    uint8_t bytes[4];
    unsigned len;
} privileged[] = {
    {"hlt", {0xf4}, 1},
    {"mov cr3, rax", {0x0f, 0x22, 0xd8}, 3},
    {"mov rax, cr0", {0x0f, 0x20, 0xc0}, 3},
    {"lgdt [rax]", {0x0f, 0x01, 0x10}, 3},
    {"lidt [rax]", {0x0f, 0x01, 0x18}, 3},
    {"ltr ax", {0x0f, 0x00, 0xd8}, 3},
    {"wrmsr", {0x0f, 0x30}, 2},
    {"rdmsr", {0x0f, 0x32}, 2},
    {"invlpg [rax]", {0x0f, 0x01, 0x38}, 3},
    {"wbinvd", {0x0f, 0x09}, 2},
    {"clts", {0x0f, 0x06}, 2},
    {"swapgs", {0x0f, 0x01, 0xf8}, 3},
};

START_TEST(privileged_at_cpl3_raises_gp)
{
    int vec;
    int r = translate_one(privileged[_i].bytes, privileged[_i].len, MODE64 | 3, &vec);
    ck_assert_msg(r == IR_EXIT_exception && vec == X64_EXC_GP, "%s at CPL3: exit %d vector %d",
                  privileged[_i].name, r, vec);
    r = translate_one(privileged[_i].bytes, privileged[_i].len, MODE64, &vec);
    ck_assert_msg(vec != X64_EXC_GP, "%s at CPL0 raised #GP", privileged[_i].name);
}
END_TEST

START_TEST(hlt_at_cpl0_exits_halt)
{
    int vec;
    ck_assert_int_eq(translate_one((const uint8_t[]){0xf4}, 1, MODE64, &vec), IR_EXIT_halt);
}
END_TEST

START_TEST(int_n_is_a_soft_exception)
{
    int vec;
    ck_assert_int_eq(translate_one((const uint8_t[]){0xcd, 0x80}, 2, MODE64 | 3, &vec),
                     IR_EXIT_exception);
    ck_assert_int_eq(vec, 0x80);
    ck_assert_int_eq(translate_one((const uint8_t[]){0x0f, 0x0b}, 2, MODE64, &vec),
                     IR_EXIT_exception);
    ck_assert_int_eq(vec, X64_EXC_UD);
}
END_TEST

/* Guest instructions in the block translated at pc 0 in mode `flags`. */
static unsigned block_insns(const uint8_t *bytes, unsigned len, uint32_t flags)
{
    struct frontend_ctx ctx = {.fe = &frontend_x86_64, .fetch = fake_fetch};
    code_bytes = bytes;
    code_len = len;
    ck_assert_int_eq(frontend_x86_64.ctx_init(&ctx), 0);
    struct ir_func f;
    ir_func_init(&f);
    f.flags = flags;
    uint32_t size = 0;
    ck_assert_int_eq(frontend_x86_64.translate(&ctx, &f, 0, flags, 8, &size), 0);
    unsigned n = 0;
    for (uint32_t i = 0; i < f.ninsns; i++)
        n += f.insns[i].op == IR_OP_insn_start;
    ir_func_free(&f);
    frontend_x86_64.ctx_fini(&ctx);
    return n;
}

START_TEST(mode32_decodes_32bit_code)
{
    /* 48 is DEC EAX in 32-bit code but a REX prefix in 64-bit code */
    const uint8_t code[] = {0x48, 0xf4};
    ck_assert_uint_eq(block_insns(code, 2, X64_HF_SYSTEM | X64_HF_CS32 | 3), 2);
    ck_assert_uint_eq(block_insns(code, 2, MODE64 | 3), 1);
}
END_TEST

/* The size (log2 bytes) of the first guest store in the block at pc 0. */
static int first_store_size(const uint8_t *bytes, unsigned len, uint32_t flags)
{
    struct frontend_ctx ctx = {.fe = &frontend_x86_64, .fetch = fake_fetch};
    code_bytes = bytes;
    code_len = len;
    ck_assert_int_eq(frontend_x86_64.ctx_init(&ctx), 0);
    struct ir_func f;
    ir_func_init(&f);
    f.flags = flags;
    uint32_t size = 0;
    ck_assert_int_eq(frontend_x86_64.translate(&ctx, &f, 0, flags, 1, &size), 0);
    int r = -1;
    for (uint32_t i = 0; i < f.ninsns && r < 0; i++)
        if (f.insns[i].op == IR_OP_st)
            r = (int)(f.insns[i].carg[0] & IR_MO_SIZE);
    ir_func_free(&f);
    frontend_x86_64.ctx_fini(&ctx);
    return r;
}

START_TEST(stack_slots_are_4_bytes_in_32bit_code)
{
    const uint8_t push[] = {0x50}, call[] = {0xe8, 0, 0, 0, 0};
    uint32_t m32 = X64_HF_SYSTEM | X64_HF_CS32;
    ck_assert_int_eq(first_store_size(push, 1, m32), IR_MO_32);
    ck_assert_int_eq(first_store_size(call, 5, m32), IR_MO_32);
    ck_assert_int_eq(first_store_size(push, 1, MODE64), IR_MO_64);
    ck_assert_int_eq(first_store_size(call, 5, MODE64), IR_MO_64);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("x64_system");
    TCase *tc = tcase_create("helpers");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, mode_flags_from_cs_and_cr0);
    tcase_add_test(tc, load_ds_reads_the_gdt);
    tcase_add_test(tc, load_seg_past_gdt_limit_is_gp_with_selector);
    tcase_add_test(tc, load_kernel_data_at_cpl3_is_gp);
    tcase_add_test(tc, load_not_present_is_np);
    tcase_add_test(tc, null_ss_at_cpl3_is_gp);
    tcase_add_test(tc, cr0_pg_without_pe_is_gp);
    tcase_add_test(tc, enabling_paging_with_lme_sets_lma);
    tcase_add_test(tc, paging_with_lme_needs_pae);
    tcase_add_test(tc, msr_round_trip_and_unknown_msr_gp);
    tcase_add_test(tc, io_at_cpl3_follows_the_tss_bitmap);
    tcase_add_test(tc, iretq_to_cpl3_pops_ss_rsp);
    tcase_add_test(tc, lretq_same_ring_reloads_cs);
    tcase_add_test(tc, lret_to_inner_ring_is_gp);
    tcase_add_test(tc, ltr_loads_tr_and_marks_busy);
    tcase_add_test(tc, rep_outsb_sends_each_byte_and_counts_down);
    tcase_add_test(tc, rep_insb_fault_keeps_progress);
    tcase_add_test(tc, cpuid_reports_what_kvm_guests_expect);
    tcase_add_test(tc, popf_at_cpl3_keeps_iopl_and_if);
    tcase_add_test(tc, syscall_sysret_round_trip);
    tcase_add_test(tc, syscall_without_sce_is_ud);
    suite_add_tcase(s, tc);
    TCase *tt = tcase_create("translate");
    tcase_add_loop_test(tt, privileged_at_cpl3_raises_gp, 0,
                        (int)(sizeof(privileged) / sizeof(privileged[0])));
    tcase_add_test(tt, hlt_at_cpl0_exits_halt);
    tcase_add_test(tt, int_n_is_a_soft_exception);
    tcase_add_test(tt, mode32_decodes_32bit_code);
    tcase_add_test(tt, stack_slots_are_4_bytes_in_32bit_code);
    suite_add_tcase(s, tt);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
