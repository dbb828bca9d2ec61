/* A64 branches and exception generation, op0 = 101x: B.cond, B, BL, CBZ/CBNZ,
 * TBZ/TBNZ, BR/BLR/RET, SVC, BRK, HLT.  The system-instruction class
 * (hints, barriers, MRS/MSR, SYS) is in a64_system.c. */
#include "frontend/aarch64/a64.h"

/* End the block on a conditional branch: taken -> target, else the next insn. */
static enum a64_status a64_branch_if(struct a64_dc *dc, enum ir_cond cond, ir_ref a, ir_ref b,
                                     uint64_t target)
{
    uint32_t taken = ir_new_label(dc->f);
    ir_brcond(dc->f, cond, a, b, taken);
    a64_goto(dc, dc->pc + 4);
    ir_set_label(dc->f, taken);
    a64_goto(dc, target);
    return A64_END;
}

/* B.<cond> <label> */
static enum a64_status a64_b_cond(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    if (a64_bit(insn, 4))
        return A64_UNDEF; /* BC.cond (v8.8) */
    uint64_t target = dc->pc + (uint64_t)(a64_sbits(insn, 5, 19) * 4);
    unsigned cond = a64_bits(insn, 0, 4);
    if (cond >= 14) { /* AL, NV: always */
        a64_goto(dc, target);
        return A64_END;
    }
    struct a64_cmp c = a64_cond(dc, cond);
    return a64_branch_if(dc, c.cond, c.a, c.b, target);
}

/* B <label> / BL <label> */
static enum a64_status a64_b(struct a64_dc *dc)
{
    uint64_t target = dc->pc + (uint64_t)(a64_sbits(dc->insn, 0, 26) * 4);
    if (a64_bit(dc->insn, 31)) { /* BL: a call; its return is hinted */
        ir_movi(dc->f, a64_xreg(dc, 30), dc->pc + 4);
        ir_ras_push(dc->f, dc->pc + 4);
    }
    a64_goto(dc, target);
    return A64_END;
}

/* CBZ/CBNZ <Xt>, <label> */
static enum a64_status a64_cbz(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31), nz = a64_bit(insn, 24);
    uint64_t target = dc->pc + (uint64_t)(a64_sbits(insn, 5, 19) * 4);
    ir_ref v = a64_src(dc, a64_bits(insn, 0, 5), sf);
    return a64_branch_if(dc, nz ? IR_COND_ne : IR_COND_eq, v, a64_imm(dc, sf, 0), target);
}

/* TBZ/TBNZ <R><t>, #<imm>, <label> */
static enum a64_status a64_tbz(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool nz = a64_bit(insn, 24);
    unsigned bit = (a64_bit(insn, 31) << 5) | a64_bits(insn, 19, 5);
    uint64_t target = dc->pc + (uint64_t)(a64_sbits(insn, 5, 14) * 4);
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_emit_1_2(dc->f, IR_OP_and, t, a64_src(dc, a64_bits(insn, 0, 5), true),
                ir_const(dc->f, IR_I64, 1ull << bit));
    return a64_branch_if(dc, nz ? IR_COND_ne : IR_COND_eq, t, ir_const(dc->f, IR_I64, 0), target);
}

/* BR <Xn> / BLR <Xn> / RET {<Xn>} */
static enum a64_status a64_br_reg(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    unsigned opc = a64_bits(insn, 21, 4);
    if (a64_bits(insn, 16, 5) != 31 || a64_bits(insn, 10, 6) != 0 || a64_bits(insn, 0, 5) != 0)
        return A64_UNDEF; /* pointer-authenticating forms (BRAA, RETAA, ...) */
    if (opc > 2)
        return A64_UNDEF; /* ERET, DRPS: not at EL0 */
    ir_ref dest = ir_temp(dc->f, IR_I64);
    ir_mov(dc->f, dest, a64_src(dc, a64_bits(insn, 5, 5), true)); /* before BLR writes X30 */
    if (opc == 1) { /* BLR: a call */
        ir_movi(dc->f, a64_xreg(dc, 30), dc->pc + 4);
        ir_ras_push(dc->f, dc->pc + 4);
    }
    if (opc == 2)
        ir_goto_ret(dc->f, dest); /* RET: pops the call's return-address hint */
    else
        a64_goto_reg(dc, dest);
    return A64_END;
}

/* SVC #<imm>; BRK #<imm>; HLT #<imm> (and HVC, SMC, DCPS: undefined at EL0) */
static enum a64_status a64_exception(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    unsigned opc = a64_bits(insn, 21, 3), op2 = a64_bits(insn, 2, 3), ll = a64_bits(insn, 0, 2);
    ir_ref imm = ir_const(dc->f, IR_I32, a64_bits(insn, 5, 16));
    if (op2 != 0)
        return A64_UNDEF;
    if (opc == 0 && ll == 1) { /* SVC: resume after it */
        ir_st_state(dc->f, imm, offsetof(struct a64_cpu, exc_imm), IR_MO_32);
        a64_exit(dc, IR_EXIT_syscall, dc->pc + 4);
        return A64_END;
    }
    if (opc == 1 && ll == 0) { /* BRK: reported at the BRK itself */
        ir_st_state(dc->f, imm, offsetof(struct a64_cpu, exc_imm), IR_MO_32);
        a64_exit(dc, IR_EXIT_brk, dc->pc);
        return A64_END;
    }
    return A64_UNDEF; /* HLT (no halting debug in user mode), HVC, SMC, DCPS, TCANCEL */
}

enum a64_status a64_tr_branch(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    switch (a64_bits(insn, 26, 6) & 0x1f) {
    case 0x05: /* x00101: B, BL */
        return a64_b(dc);
    case 0x0d: /* x01101: CBZ/CBNZ (bit 25 = 0), TBZ/TBNZ (bit 25 = 1) */
        return a64_bit(insn, 25) ? a64_tbz(dc) : a64_cbz(dc);
    case 0x15: /* x10101 */
        if (a64_bit(insn, 31)) { /* 110101: exceptions, system, BR */
            if (a64_bit(insn, 25))
                return a64_br_reg(dc);
            if (!a64_bit(insn, 24))
                return a64_exception(dc);
            if (a64_bits(insn, 22, 2) == 0)
                return a64_tr_system(dc);
            return A64_UNDEF;
        }
        if (a64_bits(insn, 24, 2) == 0)
            return a64_b_cond(dc); /* 0101 0100 */
        return A64_UNDEF;
    default:
        return A64_UNDEF;
    }
}
