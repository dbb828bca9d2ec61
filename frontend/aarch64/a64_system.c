/* A64 system instructions (1101 0101 00 ...): hints (NOP, YIELD, BTI,
 * PACIASP/AUTIASP as hints), CLREX and barriers, MRS/MSR of the system
 * registers EL0 may use, and the cache maintenance SYS aliases (DC ZVA,
 * DC CVAU/CVAC/CIVAC, IC IVAU) a user-mode program executes. */
#include <time.h>

#include "accel/tcg/tcg.h"
#include "frontend/aarch64/a64.h"

/* sysreg key: op0:op1:CRn:CRm:op2 as in the MRS/MSR encoding (bits 20:5). */
#define A64_SYSREG(op0, op1, crn, crm, op2)                                                         \
    (((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
enum {
    A64_SR_NZCV = A64_SYSREG(3, 3, 4, 2, 0),
    A64_SR_FPCR = A64_SYSREG(3, 3, 4, 4, 0),
    A64_SR_FPSR = A64_SYSREG(3, 3, 4, 4, 1),
    A64_SR_TPIDR_EL0 = A64_SYSREG(3, 3, 13, 0, 2),
    A64_SR_TPIDRRO_EL0 = A64_SYSREG(3, 3, 13, 0, 3),
    A64_SR_CTR_EL0 = A64_SYSREG(3, 3, 0, 0, 1),
    A64_SR_DCZID_EL0 = A64_SYSREG(3, 3, 0, 0, 7),
    A64_SR_MIDR_EL1 = A64_SYSREG(3, 0, 0, 0, 0),
    A64_SR_CNTFRQ_EL0 = A64_SYSREG(3, 3, 14, 0, 0),
    A64_SR_CNTPCT_EL0 = A64_SYSREG(3, 3, 14, 0, 1),
    A64_SR_CNTVCT_EL0 = A64_SYSREG(3, 3, 14, 0, 2),
};

/* Bits of FPCR/FPSR that exist here: FPCR AHP, DN, FZ, RMode, FZ16 (trap
 * enables read as zero: untrapped FP exceptions only); FPSR IOC..IXC, IDC, QC. */
#define A64_FPCR_MASK 0x07c80000u
#define A64_FPSR_MASK 0x0800009fu

static uint64_t a64_helper_cntvct(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec; /* A64_CNTFRQ = 1 GHz */
}
static const struct ir_helper a64_h_cntvct = {
    "a64_cntvct", (void *)a64_helper_cntvct, IR_I64, 0, {0}, IR_HF_SIDE};

/* IC IVAU / DC CVAU: drop the translations of the 64-byte line at addr. */
static void a64_helper_invalidate_line(void *env, uint64_t addr)
{
    struct a64_cpu *cpu = env;
    if (cpu->tcg) {
        uint64_t line = addr & ~63ull;
        tcg_invalidate_range(cpu->tcg, line, line + 64);
    }
}
static const struct ir_helper a64_h_invalidate = {
    "a64_invalidate_line", (void *)a64_helper_invalidate_line, IR_VOID, 1, {IR_I64},
    IR_HF_ENV | IR_HF_SIDE};

/* NOP, YIELD, WFE, WFI, SEV, SEVL, BTI, PACIASP, AUTIASP, XPACLRI, ... (HINT #<imm>) */
static enum a64_status a64_hint(struct a64_dc *dc)
{
    /* Every hint is a NOP here: no pointer authentication (PACIASP/AUTIASP pairs
     * leave X30 unchanged, which is consistent), no BTI checking, and WFE/WFI
     * just return (one thread of the guest per host thread). */
    return A64_OK;
}

/* CLREX; DSB <option>; DMB <option>; ISB; SB */
static enum a64_status a64_barrier(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    if (a64_bits(insn, 0, 5) != 31)
        return A64_UNDEF;
    switch (a64_bits(insn, 5, 3)) {
    case 2: /* CLREX */
        ir_st_state(dc->f, ir_const(dc->f, IR_I64, A64_EXCL_NONE), offsetof(struct a64_cpu, excl_addr),
                    IR_MO_64);
        return A64_OK;
    case 4: /* DSB */
    case 5: { /* DMB: the CRm<1:0> type: 01 loads (LD), 10 stores (ST), 11 all */
        unsigned type = a64_bits(insn, 8, 2);
        int64_t kind = type == 1 ? IR_MB_LD : type == 2 ? IR_MB_ST : IR_MB_FULL;
        if (a64_bits(insn, 5, 3) == 4)
            kind = IR_MB_FULL; /* DSB waits for everything */
        ir_emit(dc->f, IR_OP_mb, NULL, 0, &kind, 1);
        return A64_OK;
    }
    case 6: /* ISB: later instructions are fetched anew: end the block */
        a64_goto(dc, dc->pc + 4);
        return A64_END;
    case 7: /* SB: speculation barrier */
        return A64_OK;
    default: /* DSB nXS (1), TCOMMIT (3) */
        return A64_UNDEF;
    }
}

/* MRS <Xt>, <sysreg> */
static enum a64_status a64_mrs(struct a64_dc *dc, unsigned key, unsigned rt)
{
    struct ir_func *f = dc->f;
    ir_ref v = ir_temp(f, IR_I64);
    switch (key) {
    case A64_SR_NZCV: {
        ir_ref t = ir_temp(f, IR_I32);
        ir_emit_1_2(f, IR_OP_shl, t, a64_get_nzcv(dc), ir_const(f, IR_I32, 28));
        ir_emit_1_1(f, IR_OP_zext, v, t);
        break;
    }
    case A64_SR_FPCR:
        ir_ld_state(f, v, offsetof(struct a64_cpu, fpcr), IR_MO_32);
        break;
    case A64_SR_FPSR:
        ir_ld_state(f, v, offsetof(struct a64_cpu, fpsr), IR_MO_32);
        break;
    case A64_SR_TPIDR_EL0:
        ir_ld_state(f, v, offsetof(struct a64_cpu, tpidr_el0), IR_MO_64);
        break;
    case A64_SR_TPIDRRO_EL0:
        ir_ld_state(f, v, offsetof(struct a64_cpu, tpidrro_el0), IR_MO_64);
        break;
    case A64_SR_CTR_EL0:
        v = ir_const(f, IR_I64, A64_CTR_EL0);
        break;
    case A64_SR_DCZID_EL0:
        v = ir_const(f, IR_I64, A64_DCZID_EL0);
        break;
    case A64_SR_MIDR_EL1:
        v = ir_const(f, IR_I64, A64_MIDR_EL1);
        break;
    case A64_SR_CNTFRQ_EL0:
        v = ir_const(f, IR_I64, A64_CNTFRQ);
        break;
    case A64_SR_CNTPCT_EL0: /* Linux lets EL0 read both; the virtual offset is 0 */
    case A64_SR_CNTVCT_EL0: {
        int id = a64_helper(dc, &a64_h_cntvct);
        if (id < 0)
            return A64_OK;
        ir_call(f, id, v, NULL);
        break;
    }
    default:
        return A64_UNIMP;
    }
    a64_dst(dc, rt, true, v);
    return A64_OK;
}

/* MSR <sysreg>, <Xt> */
static enum a64_status a64_msr(struct a64_dc *dc, unsigned key, unsigned rt)
{
    struct ir_func *f = dc->f;
    ir_ref x = a64_src(dc, rt, true);
    switch (key) {
    case A64_SR_NZCV: {
        ir_ref w = ir_temp(f, IR_I32);
        ir_extract(f, w, a64_trunc(dc, x), 28, 4);
        a64_set_nzcv(dc, w);
        return A64_OK;
    }
    case A64_SR_FPCR:
    case A64_SR_FPSR: {
        bool fpcr = key == A64_SR_FPCR;
        ir_ref w = ir_temp(f, IR_I32);
        ir_emit_1_2(f, IR_OP_and, w, a64_trunc(dc, x),
                    ir_const(f, IR_I32, fpcr ? A64_FPCR_MASK : A64_FPSR_MASK));
        ir_st_state(f, w, fpcr ? offsetof(struct a64_cpu, fpcr) : offsetof(struct a64_cpu, fpsr),
                    IR_MO_32);
        if (fpcr) { /* FP translations may depend on FPCR: continue through the jump cache */
            a64_goto_reg(dc, ir_const(f, IR_I64, dc->pc + 4));
            return A64_END;
        }
        return A64_OK;
    }
    case A64_SR_TPIDR_EL0:
        ir_st_state(f, x, offsetof(struct a64_cpu, tpidr_el0), IR_MO_64);
        return A64_OK;
    default: /* read-only or unknown at EL0 */
        return A64_UNIMP;
    }
}

/* SYS #<op1>, <Cn>, <Cm>, #<op2>{, <Xt>}: DC ZVA, DC CVAU/CVAC/CIVAC/CVAP/CVADP, IC IVAU */
static enum a64_status a64_sys(struct a64_dc *dc, unsigned key, unsigned rt)
{
    struct ir_func *f = dc->f;
    switch (key) {
    case A64_SYSREG(1, 3, 7, 4, 1): { /* DC ZVA, Xt: zero the 64-byte block */
        ir_ref addr = ir_temp(f, IR_I64);
        ir_emit_1_2(f, IR_OP_and, addr, a64_src(dc, rt, true), ir_const(f, IR_I64, ~63ull));
        ir_ref zero = ir_const(f, IR_I64, 0);
        for (unsigned i = 0; i < 64; i += 8) {
            ir_ref a = addr;
            if (i) {
                a = ir_temp(f, IR_I64);
                ir_emit_1_2(f, IR_OP_add, a, addr, ir_const(f, IR_I64, i));
            }
            ir_st(f, zero, a, IR_MO_64);
        }
        return A64_OK;
    }
    case A64_SYSREG(1, 3, 7, 11, 1):  /* DC CVAU: code may have been written */
    case A64_SYSREG(1, 3, 7, 5, 1): { /* IC IVAU */
        int id = a64_helper(dc, &a64_h_invalidate);
        if (id < 0)
            return A64_OK;
        ir_ref addr = a64_src(dc, rt, true);
        ir_call(f, id, IR_NONE, &addr);
        if (key == A64_SYSREG(1, 3, 7, 5, 1)) { /* IC IVAU: fetch anew after it */
            a64_exit(dc, IR_EXIT_invalidate, dc->pc + 4);
            return A64_END;
        }
        return A64_OK;
    }
    case A64_SYSREG(1, 3, 7, 10, 1): /* DC CVAC */
    case A64_SYSREG(1, 3, 7, 14, 1): /* DC CIVAC */
    case A64_SYSREG(1, 3, 7, 12, 1): /* DC CVAP */
    case A64_SYSREG(1, 3, 7, 13, 1): /* DC CVADP */
        return A64_OK; /* the host's caches are coherent */
    default:
        return A64_UNIMP;
    }
}

int a64_system_register_helpers(void)
{
    return ir_helper_register(&a64_h_cntvct) < 0 || ir_helper_register(&a64_h_invalidate) < 0 ? -1
                                                                                                : 0;
}

enum a64_status a64_tr_system(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool l = a64_bit(insn, 21);
    unsigned op0 = a64_bits(insn, 19, 2), crn = a64_bits(insn, 12, 4);
    unsigned key = a64_bits(insn, 5, 16), rt = a64_bits(insn, 0, 5);
    if (op0 == 0) {
        if (l)
            return A64_UNDEF;
        bool op1_3 = a64_bits(insn, 16, 3) == 3;
        if (crn == 2 && rt == 31 && op1_3)
            return a64_hint(dc);
        if (crn == 3 && op1_3)
            return a64_barrier(dc);
        return A64_UNIMP; /* MSR (immediate): PSTATE fields (DAIF, SPSel, ...) */
    }
    if (op0 == 1)
        return l ? A64_UNIMP : a64_sys(dc, key, rt); /* SYSL */
    return l ? a64_mrs(dc, key, rt) : a64_msr(dc, key, rt);
}
