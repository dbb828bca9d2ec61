/* Miscellaneous translators: NOP (all forms, ENDBR64, PAUSE), fences,
 * SYSCALL, UD2, HLT, INT3, CPUID, RDTSC, the flag instructions CLC STC CMC
 * CLD STD LAHF SAHF, and PUSHFQ/POPFQ.  Also the CPUID model: it advertises
 * only what the translator implements. */
#include <time.h>

#include "frontend/x86_64/x64.h"

/* ---- CPUID ---------------------------------------------------------------- */

/* Leaf 1 EDX: TSC (4), CMOV (15), FXSR (24), SSE (25), SSE2 (26).  Not
 * FPU (x87 arithmetic is not translated, only its control word), MMX, CX8
 * (no CMPXCHG8B), CLFSH.  Leaf 1 ECX: POPCNT (23) only: no SSE3/SSSE3/SSE4,
 * no OSXSAVE/AVX.  Extended leaf 1: ECX ABM/LZCNT (5); EDX SYSCALL (11),
 * LM (29). */
#define X64_CPUID_1_EDX ((1u << 4) | (1u << 15) | (1u << 24) | (1u << 25) | (1u << 26))
#define X64_CPUID_1_ECX (1u << 23)
#define X64_CPUID_81_ECX (1u << 5)
#define X64_CPUID_81_EDX ((1u << 11) | (1u << 29))

static void x64_helper_cpuid(void *env)
{
    struct x64_cpu *cpu = env;
    uint32_t leaf = (uint32_t)cpu->regs[X64_RAX];
    uint32_t a = 0, b = 0, c = 0, d = 0;
    switch (leaf) {
    case 0: /* max leaf, vendor "Ferry TCGx86" in EBX EDX ECX */
        a = 1;
        b = 0x72726546; /* "Ferr" */
        d = 0x43542079; /* "y TC" */
        c = 0x36387847; /* "Gx86" */
        break;
    case 1:
        a = 0x000606a0; /* family 6 */
        d = X64_CPUID_1_EDX;
        c = X64_CPUID_1_ECX;
        break;
    case 0x80000000: a = 0x80000001; break;
    case 0x80000001:
        c = X64_CPUID_81_ECX;
        d = X64_CPUID_81_EDX;
        break;
    default: break;
    }
    cpu->regs[X64_RAX] = a;
    cpu->regs[X64_RBX] = b;
    cpu->regs[X64_RCX] = c;
    cpu->regs[X64_RDX] = d;
}

void x64_cpuid_query(uint32_t leaf, uint32_t out[4])
{
    struct x64_cpu cpu = {0};
    cpu.regs[X64_RAX] = leaf;
    x64_helper_cpuid(&cpu);
    out[0] = (uint32_t)cpu.regs[X64_RAX];
    out[1] = (uint32_t)cpu.regs[X64_RBX];
    out[2] = (uint32_t)cpu.regs[X64_RCX];
    out[3] = (uint32_t)cpu.regs[X64_RDX];
}

static const struct ir_helper x64_cpuid_helper = {
    .name = "x64_cpuid",
    .fn = (void *)x64_helper_cpuid,
    .ret = IR_VOID,
    .nargs = 0,
    .flags = IR_HF_ENV | IR_HF_READS_GLOBALS | IR_HF_WRITES_GLOBALS | IR_HF_SIDE,
};

/* RDTSC: nanoseconds of CLOCK_MONOTONIC (a 1 GHz invariant TSC). */
static uint64_t x64_helper_rdtsc(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static const struct ir_helper x64_rdtsc_helper = {
    .name = "x64_rdtsc",
    .fn = (void *)x64_helper_rdtsc,
    .ret = IR_I64,
    .nargs = 0,
    .flags = IR_HF_SIDE,
};

int x64_misc_register_helpers(void)
{
    return ir_helper_register(&x64_cpuid_helper) < 0 || ir_helper_register(&x64_rdtsc_helper) < 0
               ? -1
               : 0;
}

/* ---- translators ----------------------------------------------------------- */

/* RDTSC: EDX:EAX = TSC */
static enum x64_status x64_tr_rdtsc(struct x64_dc *dc)
{
    int id = x64_helper(dc, &x64_rdtsc_helper);
    if (id < 0)
        return X64_UNIMP;
    ir_ref t = x64_t64(dc), hi = x64_t64(dc);
    ir_call(dc->f, id, t, NULL);
    ir_emit_1_2(dc->f, IR_OP_shr, hi, t, x64_c64(dc, 32));
    x64_set_gpr(dc, X64_RAX, 4, t);
    x64_set_gpr(dc, X64_RDX, 4, hi);
    return X64_OK;
}

/* CPUID */
static enum x64_status x64_tr_cpuid(struct x64_dc *dc)
{
    int id = x64_helper(dc, &x64_cpuid_helper);
    if (id < 0)
        return X64_UNIMP;
    ir_call(dc->f, id, IR_NONE, NULL);
    return X64_OK;
}

/* LAHF: AH = SF ZF 0 AF 0 PF 1 CF */
static enum x64_status x64_tr_lahf(struct x64_dc *dc)
{
    struct ir_func *f = dc->f;
    static const struct { enum x64_flag fl; unsigned bit; } bits[] = {
        {X64_CF, 0}, {X64_PF, 2}, {X64_AF, 4}, {X64_ZF, 6}, {X64_SF, 7}};
    ir_ref v = x64_t64(dc);
    ir_movi(f, v, 2);
    for (unsigned i = 0; i < 5; i++) {
        ir_ref b = x64_t64(dc);
        ir_emit_1_1(f, IR_OP_zext, b, x64_get_flag(dc, bits[i].fl));
        ir_deposit(f, v, v, b, bits[i].bit, 1);
    }
    ir_ref g = x64_greg(dc, X64_RAX);
    ir_deposit(f, g, g, v, 8, 8);
    return X64_OK;
}

/* SAHF: SF ZF AF PF CF = AH bits 7 6 4 2 0 */
static enum x64_status x64_tr_sahf(struct x64_dc *dc)
{
    struct ir_func *f = dc->f;
    static const struct { enum x64_flag fl; unsigned bit; } bits[] = {
        {X64_CF, 8}, {X64_PF, 10}, {X64_AF, 12}, {X64_ZF, 14}, {X64_SF, 15}};
    for (unsigned i = 0; i < 5; i++) {
        ir_ref b = x64_t64(dc);
        ir_extract(f, b, x64_greg(dc, X64_RAX), bits[i].bit, 1);
        ir_ref b32 = x64_t32(dc);
        ir_emit_1_1(f, IR_OP_trunc, b32, b);
        x64_set_flag(dc, bits[i].fl, b32);
    }
    return X64_OK;
}

/* RFLAGS as an i64 value (RF and VM read as 0). */
static ir_ref x64_build_rflags(struct x64_dc *dc)
{
    struct ir_func *f = dc->f;
    static const struct { enum x64_flag fl; unsigned bit; } bits[] = {
        {X64_CF, 0}, {X64_PF, 2}, {X64_AF, 4}, {X64_ZF, 6}, {X64_SF, 7}, {X64_OF, 11}};
    ir_ref v = x64_t64(dc);
    ir_ld_state(f, v, offsetof(struct x64_cpu, rflags_other), IR_MO_32);
    for (unsigned i = 0; i < 6; i++) {
        ir_ref b = x64_t64(dc);
        ir_emit_1_1(f, IR_OP_zext, b, x64_get_flag(dc, bits[i].fl));
        ir_deposit(f, v, v, b, bits[i].bit, 1);
    }
    ir_ref b = x64_t64(dc);
    ir_emit_1_1(f, IR_OP_zext, b, x64_df(dc));
    ir_deposit(f, v, v, b, 10, 1);
    return v;
}

/* PUSHFQ */
static enum x64_status x64_tr_pushfq(struct x64_dc *dc)
{
    struct ir_func *f = dc->f;
    ir_ref v = x64_build_rflags(dc);
    ir_ref sp = x64_greg(dc, X64_RSP), a = x64_t64(dc);
    ir_emit_1_2(f, IR_OP_sub, a, sp, x64_c64(dc, 8));
    x64_st(dc, a, 8, v);
    ir_mov(f, sp, a);
    return X64_OK;
}

/* SYSCALL: RCX = the next RIP, R11 = RFLAGS (as the hardware does; the
 * kernel returns them so), then leave for the user layer */
static enum x64_status x64_tr_syscall(struct x64_dc *dc)
{
    ir_ref fl = x64_build_rflags(dc);
    ir_mov(dc->f, x64_greg(dc, X64_R11), fl);
    ir_movi(dc->f, x64_greg(dc, X64_RCX), dc->next_pc);
    x64_exit(dc, IR_EXIT_syscall, dc->next_pc);
    return X64_END;
}

/* POPFQ: the status flags, DF, and AC/ID (user-writable bits) */
static enum x64_status x64_tr_popfq(struct x64_dc *dc)
{
    struct ir_func *f = dc->f;
    static const struct { enum x64_flag fl; unsigned bit; } bits[] = {
        {X64_CF, 0}, {X64_PF, 2}, {X64_AF, 4}, {X64_ZF, 6}, {X64_SF, 7}, {X64_OF, 11}};
    ir_ref sp = x64_greg(dc, X64_RSP);
    ir_ref v = x64_ld(dc, sp, 8);
    ir_emit_1_2(f, IR_OP_add, sp, sp, x64_c64(dc, 8));
    for (unsigned i = 0; i < 6; i++) {
        ir_ref b = x64_t64(dc);
        ir_extract(f, b, v, bits[i].bit, 1);
        ir_ref b32 = x64_t32(dc);
        ir_emit_1_1(f, IR_OP_trunc, b32, b);
        x64_set_flag(dc, bits[i].fl, b32);
    }
    ir_ref b = x64_t64(dc);
    ir_extract(f, b, v, 10, 1);
    ir_emit_1_1(f, IR_OP_trunc, x64_df(dc), b);
    /* other bits: keep IF etc., take AC (18) and ID (21) from the guest */
    ir_ref o = x64_t64(dc), keep = x64_t64(dc);
    ir_ld_state(f, o, offsetof(struct x64_cpu, rflags_other), IR_MO_32);
    ir_emit_1_2(f, IR_OP_and, keep, o, x64_c64(dc, ~(uint64_t)((1u << 18) | (1u << 21))));
    ir_emit_1_2(f, IR_OP_and, v, v, x64_c64(dc, (1u << 18) | (1u << 21)));
    ir_emit_1_2(f, IR_OP_or, v, v, keep);
    ir_st_state(f, v, offsetof(struct x64_cpu, rflags_other), IR_MO_32);
    return X64_OK;
}

enum x64_status x64_tr_misc(struct x64_dc *dc)
{
    switch (dc->ci->id) {
    case X86_INS_NOP:
    case X86_INS_ENDBR64:
    case X86_INS_PAUSE:
    case X86_INS_LFENCE:
    case X86_INS_SFENCE:
        return X64_OK;
    case X86_INS_MFENCE: {
        int64_t kind = IR_MB_FULL;
        ir_emit(dc->f, IR_OP_mb, NULL, 0, &kind, 1);
        return X64_OK;
    }
    case X86_INS_SYSCALL: return x64_tr_syscall(dc);
    case X86_INS_UD2: return X64_UNDEF;
    case X86_INS_HLT: x64_exit(dc, IR_EXIT_halt, dc->pc); return X64_END;
    case X86_INS_INT3: x64_exit(dc, IR_EXIT_brk, dc->next_pc); return X64_END;
    case X86_INS_CPUID: return x64_tr_cpuid(dc);
    case X86_INS_RDTSC: return x64_tr_rdtsc(dc);
    case X86_INS_CLC: x64_set_flag_c(dc, X64_CF, 0); return X64_OK;
    case X86_INS_STC: x64_set_flag_c(dc, X64_CF, 1); return X64_OK;
    case X86_INS_CMC:
        ir_emit_1_2(dc->f, IR_OP_xor, x64_flag(dc, X64_CF), x64_flag(dc, X64_CF), x64_c32(dc, 1));
        return X64_OK;
    case X86_INS_CLD: ir_movi(dc->f, x64_df(dc), 0); return X64_OK;
    case X86_INS_STD: ir_movi(dc->f, x64_df(dc), 1); return X64_OK;
    case X86_INS_LAHF: return x64_tr_lahf(dc);
    case X86_INS_SAHF: return x64_tr_sahf(dc);
    case X86_INS_PUSHFQ: return x64_tr_pushfq(dc);
    case X86_INS_POPFQ: return x64_tr_popfq(dc);
    default: return X64_NEXT;
    }
}
