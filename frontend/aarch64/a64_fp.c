/* FP/SIMD translator entry points of the A64 frontend: the top-level decode of
 * op0 = x111 (scalar FP, Advanced SIMD scalar and vector, crypto), the HWCAP
 * bits this translator implements, and the IR utilities its groups share
 * (SIMD&FP register halves and lanes in the CPU state, helper calls). */
#include "frontend/aarch64/a64_fp.h"

/* Data processing -- scalar FP and Advanced SIMD (bits 28:25 = x111), split
 * on bit 31, bit 30 and bit 28 (op0 of the Arm encoding tables). */
enum a64_status a64_tr_fpsimd_dp(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool b31 = a64_bit(insn, 31), b30 = a64_bit(insn, 30), b28 = a64_bit(insn, 28);
    if (b28) {
        if (!b30) /* x0x1: scalar FP, FP<->integer and fixed-point conversions */
            return a64_tr_fp_scalar(dc);
        if (!b31) /* 01x1: Advanced SIMD scalar */
            return a64_tr_simd_scalar(dc);
        return A64_UNDEF;
    }
    if (!b31) /* 0xx0: Advanced SIMD vector (and AES/SHA on some op values) */
        return a64_tr_simd_vector(dc);
    /* 1100: SHA512, SHA3 (EOR3, RAX1, XAR, BCAX), SM3, SM4: not implemented */
    if (!b30 && !a64_bit(insn, 29))
        return A64_UNIMP;
    return A64_UNDEF;
}

/* What glibc may select: FP and ASIMD (the base Advanced SIMD and FP
 * instructions).  No FPHP/ASIMDHP (half-precision arithmetic), AES, PMULL,
 * SHA*, CRC32 (integer helper's), DOTPROD, JSCVT, FCMA, RDM, FRINT, SVE... */
uint64_t a64_fpsimd_hwcap(void)
{
    return A64_HWCAP_FP | A64_HWCAP_ASIMD;
}

/* ---- IR utilities ---------------------------------------------------------- */

ir_ref a64_vld64(struct a64_dc *dc, unsigned reg, unsigned half)
{
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_ld_state(dc->f, t, a64_voff(reg, 8 * half), IR_MO_64);
    return t;
}

void a64_vst64(struct a64_dc *dc, unsigned reg, unsigned half, ir_ref v)
{
    ir_st_state(dc->f, v, a64_voff(reg, 8 * half), IR_MO_64);
}

void a64_vzero_hi(struct a64_dc *dc, unsigned reg)
{
    a64_vst64(dc, reg, 1, ir_const(dc->f, IR_I64, 0));
}

ir_ref a64_vld_lane(struct a64_dc *dc, unsigned reg, unsigned es, unsigned idx, bool sign)
{
    ir_ref t = ir_temp(dc->f, IR_I64);
    unsigned mo = es | (sign && es < 3 ? IR_MO_SIGN : 0);
    ir_ld_state(dc->f, t, a64_voff(reg, idx << es), mo);
    return t;
}

void a64_vst_lane(struct a64_dc *dc, unsigned reg, unsigned es, unsigned idx, ir_ref v64)
{
    ir_st_state(dc->f, v64, a64_voff(reg, idx << es), es);
}

ir_ref a64_dup64(struct a64_dc *dc, ir_ref v, unsigned es)
{
    static const uint64_t rep[3] = {0x0101010101010101ull, 0x0001000100010001ull,
                                    0x0000000100000001ull};
    if (es >= 3)
        return v;
    struct ir_func *f = dc->f;
    unsigned bits = 8u << es;
    if (ir_is_const(f, v)) {
        uint64_t c = ir_val(f, v)->c & ((1ull << bits) - 1);
        return ir_const(f, IR_I64, c * rep[es]);
    }
    ir_ref t = ir_temp(f, IR_I64);
    ir_extract(f, t, v, 0, bits);
    ir_emit_1_2(f, IR_OP_mul, t, t, ir_const(f, IR_I64, rep[es]));
    return t;
}

void a64_call_desc(struct a64_dc *dc, const struct ir_helper *h, const struct a64_desc *d)
{
    int id = a64_helper(dc, h);
    if (id < 0)
        return;
    ir_ref arg = ir_const(dc->f, IR_I64, a64_desc_pack(d));
    ir_call(dc->f, id, IR_NONE, &arg);
}
