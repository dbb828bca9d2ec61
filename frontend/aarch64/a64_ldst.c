/* A64 loads and stores, op0 = x1x0: single registers (unsigned offset,
 * unscaled, pre/post-index, unprivileged, register offset, literal), pairs
 * (LDP/STP/LDNP/STNP/LDPSW), for X/W registers and the scalar B/H/S/D/Q views
 * of the SIMD&FP registers, and PRFM.  Exclusives, acquire/release and LSE
 * atomics are in a64_atomic.c; LD1/ST1 structures in the FP/SIMD translator. */
#include <string.h>

#include "frontend/aarch64/a64.h"

/* What one load/store transfers. */
enum a64_ldst_kind { A64_STORE, A64_LOAD, A64_PREFETCH };
struct a64_ldst_op {
    enum a64_ldst_kind kind;
    unsigned size; /* log2 bytes: 0..3, 4 for Q */
    bool sign;     /* sign-extending load */
    bool w32;      /* sign-extending load into Wt (LDRSB/LDRSH Wt) */
    bool vec;      /* Bt/Ht/St/Dt/Qt */
};

/* Decode size (31:30), V (26), opc (23:22) of a single-register load/store. */
static bool a64_ldst_decode(uint32_t insn, struct a64_ldst_op *op, bool allow_prefetch)
{
    unsigned size = a64_bits(insn, 30, 2), opc = a64_bits(insn, 22, 2);
    memset(op, 0, sizeof(*op));
    op->size = size;
    if (a64_bit(insn, 26)) {
        op->vec = true;
        if (opc & 2) {
            if (size != 0)
                return false;
            op->size = 4;
        }
        op->kind = (opc & 1) ? A64_LOAD : A64_STORE;
        return true;
    }
    switch (opc) {
    case 0:
        op->kind = A64_STORE;
        return true;
    case 1:
        op->kind = A64_LOAD;
        return true;
    case 2:
        if (size == 3) {
            op->kind = A64_PREFETCH;
            return allow_prefetch;
        }
        op->kind = A64_LOAD;
        op->sign = true;
        return true;
    default:
        if (size >= 2)
            return false;
        op->kind = A64_LOAD;
        op->sign = true;
        op->w32 = true;
        return true;
    }
}

/* base + off (off a constant), as a new temp (or base itself for 0). */
static ir_ref a64_addr_imm(struct a64_dc *dc, ir_ref base, int64_t off)
{
    if (off == 0)
        return base;
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_emit_1_2(dc->f, IR_OP_add, t, base, ir_const(dc->f, IR_I64, (uint64_t)off));
    return t;
}

/* A loaded value: one i64/i32 temp, or two i64 halves for Q. */
struct a64_loaded {
    ir_ref lo, hi;
};

static struct a64_loaded a64_load(struct a64_dc *dc, const struct a64_ldst_op *op, ir_ref addr)
{
    struct ir_func *f = dc->f;
    struct a64_loaded v = {IR_NONE, IR_NONE};
    if (op->size == 4) {
        v.lo = ir_temp(f, IR_I64);
        v.hi = ir_temp(f, IR_I64);
        ir_ld(f, v.lo, addr, IR_MO_64);
        ir_ld(f, v.hi, a64_addr_imm(dc, addr, 8), IR_MO_64);
        return v;
    }
    unsigned mo = op->size | (op->sign ? IR_MO_SIGN : 0);
    v.lo = ir_temp(f, op->w32 ? IR_I32 : IR_I64);
    ir_ld(f, v.lo, addr, mo);
    return v;
}

/* Write a loaded value to Rt (W/X) or to Vt (zeroing the bytes above it). */
static void a64_load_writeback(struct a64_dc *dc, const struct a64_ldst_op *op, unsigned rt,
                               struct a64_loaded v)
{
    if (!op->vec) {
        a64_dst(dc, rt, !op->w32, v.lo);
        return;
    }
    ir_st_state(dc->f, v.lo, (uint32_t)A64_OFF_V(rt), IR_MO_64);
    ir_st_state(dc->f, v.hi ? v.hi : ir_const(dc->f, IR_I64, 0), (uint32_t)A64_OFF_V(rt) + 8,
                IR_MO_64);
}

/* Store Rt (or the low bytes of Vt) at addr. */
static void a64_store(struct a64_dc *dc, const struct a64_ldst_op *op, unsigned rt, ir_ref addr)
{
    struct ir_func *f = dc->f;
    if (!op->vec) {
        ir_st(f, a64_src(dc, rt, true), addr, op->size);
        return;
    }
    ir_ref lo = ir_temp(f, IR_I64);
    ir_ld_state(f, lo, (uint32_t)A64_OFF_V(rt), op->size == 4 ? IR_MO_64 : op->size);
    if (op->size == 4) {
        ir_ref hi = ir_temp(f, IR_I64);
        ir_ld_state(f, hi, (uint32_t)A64_OFF_V(rt) + 8, IR_MO_64);
        ir_st(f, lo, addr, IR_MO_64);
        ir_st(f, hi, a64_addr_imm(dc, addr, 8), IR_MO_64);
        return;
    }
    ir_st(f, lo, addr, op->size);
}

/* One single-register access at addr, then the base writeback (if any).
 * Rn == Rt with writeback is CONSTRAINED UNPREDICTABLE; Ferry stores the
 * old value of Rt and, for loads, leaves the loaded value in Rt. */
static enum a64_status a64_ldst_single(struct a64_dc *dc, const struct a64_ldst_op *op,
                                       unsigned rt, ir_ref addr, unsigned rn, ir_ref wb)
{
    if (op->kind == A64_PREFETCH)
        return A64_OK; /* PRFM: a hint */
    if (op->kind == A64_STORE) {
        a64_store(dc, op, rt, addr);
        if (wb)
            ir_mov(dc->f, a64_base(dc, rn), wb);
        return A64_OK;
    }
    struct a64_loaded v = a64_load(dc, op, addr);
    if (wb)
        ir_mov(dc->f, a64_base(dc, rn), wb);
    a64_load_writeback(dc, op, rt, v);
    return A64_OK;
}

/* LDR/STR/LDRB/STRB/LDRH/STRH/LDRSB/LDRSH/LDRSW <Xt>, [<Xn|SP>{, #<pimm>}]; PRFM; B/H/S/D/Q */
static enum a64_status a64_ldst_uimm(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    struct a64_ldst_op op;
    if (!a64_ldst_decode(insn, &op, true))
        return A64_UNDEF;
    unsigned rn = a64_bits(insn, 5, 5);
    int64_t off = (int64_t)a64_bits(insn, 10, 12) << (op.kind == A64_PREFETCH ? 3 : op.size);
    ir_ref addr = a64_addr_imm(dc, a64_base(dc, rn), off);
    return a64_ldst_single(dc, &op, a64_bits(insn, 0, 5), addr, rn, IR_NONE);
}

/* LDUR/STUR.. [<Xn|SP>{, #<simm>}] (PRFUM); LDTR/STTR..; LDR.. [<Xn|SP>], #<simm>;
 * LDR.. [<Xn|SP>, #<simm>]! */
static enum a64_status a64_ldst_imm9(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    unsigned mode = a64_bits(insn, 10, 2); /* 0 unscaled, 1 post, 2 unprivileged, 3 pre */
    struct a64_ldst_op op;
    if (!a64_ldst_decode(insn, &op, mode == 0))
        return A64_UNDEF;
    if (mode == 2 && op.vec)
        return A64_UNDEF;
    unsigned rn = a64_bits(insn, 5, 5);
    int64_t off = a64_sbits(insn, 12, 9);
    ir_ref base = a64_base(dc, rn);
    ir_ref addr, wb = IR_NONE;
    if (mode == 1) { /* post-index: access at base, then base += off */
        addr = ir_temp(dc->f, IR_I64);
        ir_mov(dc->f, addr, base);
        wb = a64_addr_imm(dc, addr, off);
    } else {
        addr = a64_addr_imm(dc, base, off);
        if (mode == 3) {
            if (addr == base) { /* keep a copy: the writeback must not alias */
                addr = ir_temp(dc->f, IR_I64);
                ir_mov(dc->f, addr, base);
            }
            wb = addr;
        }
    }
    return a64_ldst_single(dc, &op, a64_bits(insn, 0, 5), addr, rn, wb);
}

/* LDR.. <Xt>, [<Xn|SP>, (<Wm>|<Xm>){, <extend> {<amount>}}]; PRFM (register) */
static enum a64_status a64_ldst_regoff(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    unsigned option = a64_bits(insn, 13, 3);
    struct a64_ldst_op op;
    if (!(option & 2) || !a64_ldst_decode(insn, &op, true))
        return A64_UNDEF;
    unsigned rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    unsigned shift = a64_bit(insn, 12) ? (op.kind == A64_PREFETCH ? 3 : op.size) : 0;
    ir_ref off = a64_extend64(dc, a64_src(dc, rm, true), option, shift);
    ir_ref addr = ir_temp(dc->f, IR_I64);
    ir_emit_1_2(dc->f, IR_OP_add, addr, a64_base(dc, rn), off);
    return a64_ldst_single(dc, &op, a64_bits(insn, 0, 5), addr, rn, IR_NONE);
}

/* LDR <Wt|Xt|St|Dt|Qt>, <label>; LDRSW <Xt>, <label>; PRFM <prfop>, <label> */
static enum a64_status a64_ld_literal(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    unsigned opc = a64_bits(insn, 30, 2);
    struct a64_ldst_op op = {A64_LOAD, 0, false, false, a64_bit(insn, 26)};
    if (a64_bit(insn, 24))
        return A64_UNDEF; /* RCpc / MOPS space */
    if (op.vec) {
        if (opc == 3)
            return A64_UNDEF;
        op.size = 2 + opc;
    } else if (opc == 3) {
        return A64_OK; /* PRFM (literal) */
    } else {
        op.size = opc == 0 ? 2 : opc == 1 ? 3 : 2;
        op.sign = opc == 2;
    }
    uint64_t addr = dc->pc + (uint64_t)(a64_sbits(insn, 5, 19) * 4);
    return a64_ldst_single(dc, &op, a64_bits(insn, 0, 5), ir_const(dc->f, IR_I64, addr), 0,
                           IR_NONE);
}

/* LDP/STP/LDNP/STNP <Xt1>, <Xt2>, [<Xn|SP>{, #<imm>}] (and [..], #imm / [.., #imm]!);
 * LDPSW; the S/D/Q forms */
static enum a64_status a64_ldst_pair(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    unsigned opc = a64_bits(insn, 30, 2), mode = a64_bits(insn, 23, 2); /* 0 no-allocate, 1 post, 2 offset, 3 pre */
    bool load = a64_bit(insn, 22);
    struct a64_ldst_op op = {load ? A64_LOAD : A64_STORE, 0, false, false, a64_bit(insn, 26)};
    if (opc == 3)
        return A64_UNDEF;
    if (op.vec) {
        op.size = 2 + opc;
    } else if (opc == 1) {
        if (!load || mode == 0)
            return A64_UNDEF; /* STGP (MTE); no LDNPSW */
        op.size = 2;
        op.sign = true; /* LDPSW */
    } else {
        op.size = opc == 0 ? 2 : 3;
    }
    unsigned rt = a64_bits(insn, 0, 5), rt2 = a64_bits(insn, 10, 5), rn = a64_bits(insn, 5, 5);
    int64_t off = (int64_t)((uint64_t)a64_sbits(insn, 15, 7) << op.size);
    struct ir_func *f = dc->f;
    ir_ref base = a64_base(dc, rn);
    ir_ref addr = ir_temp(f, IR_I64);
    if (mode == 1)
        ir_mov(f, addr, base);
    else
        ir_emit_1_2(f, IR_OP_add, addr, base, ir_const(f, IR_I64, (uint64_t)off));
    ir_ref addr2 = a64_addr_imm(dc, addr, 1ll << op.size);
    ir_ref wb = IR_NONE;
    if (mode == 1)
        wb = a64_addr_imm(dc, addr, off);
    else if (mode == 3)
        wb = addr;
    if (!load) {
        a64_store(dc, &op, rt, addr);
        a64_store(dc, &op, rt2, addr2);
        if (wb)
            ir_mov(f, base, wb);
        return A64_OK;
    }
    /* both loads before any register write (Rn may be Rt or Rt2) */
    struct a64_loaded v1 = a64_load(dc, &op, addr);
    struct a64_loaded v2 = a64_load(dc, &op, addr2);
    if (wb)
        ir_mov(f, base, wb);
    a64_load_writeback(dc, &op, rt, v1);
    a64_load_writeback(dc, &op, rt2, v2);
    return A64_OK;
}

enum a64_status a64_tr_ldst(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool v = a64_bit(insn, 26);
    switch (a64_bits(insn, 28, 2)) {
    case 0: /* exclusives, acquire/release, CAS (V=0); SIMD structures (V=1) */
        if (v)
            return a64_bit(insn, 31) ? A64_UNDEF : a64_tr_simd_ldst(dc);
        if (a64_bit(insn, 24))
            return A64_UNDEF;
        return a64_tr_exclusive(dc);
    case 1:
        return a64_ld_literal(dc);
    case 2:
        return a64_ldst_pair(dc);
    default:
        if (a64_bit(insn, 24))
            return a64_ldst_uimm(dc);
        if (!a64_bit(insn, 21))
            return a64_ldst_imm9(dc);
        switch (a64_bits(insn, 10, 2)) {
        case 0:
            return v ? A64_UNDEF : a64_tr_atomic(dc);
        case 2:
            return a64_ldst_regoff(dc);
        default:
            return A64_UNDEF; /* LDRAA/LDRAB (pointer authentication) */
        }
    }
}
