/* A64 data processing (register), op0 = x101: logical and add/subtract with
 * shifted or extended register, add/subtract with carry, conditional compare
 * and select, 1- and 2-source operations (bit/byte reversal, counts, shifts,
 * divide, CRC32) and the 3-source multiplies. */
#include "frontend/aarch64/a64.h"

/* AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS <Xd>, <Xn>, <Xm>{, <shift> #<amount>}  (MOV, MVN, TST) */
static enum a64_status a64_logic_reg(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31), invert = a64_bit(insn, 21);
    unsigned opc = a64_bits(insn, 29, 2), shift = a64_bits(insn, 22, 2);
    unsigned amount = a64_bits(insn, 10, 6);
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    if (!sf && amount >= 32)
        return A64_UNDEF;
    struct ir_func *f = dc->f;
    ir_ref b = a64_shift_imm(dc, sf, a64_src(dc, rm, sf), shift, amount);
    ir_ref res = a64_temp(dc, sf);
    if (opc == 1 && rn == 31 && !invert) { /* MOV <Xd>, <Xm> */
        ir_mov(f, res, b);
    } else {
        static const enum ir_op ops[4] = {IR_OP_and, IR_OP_or, IR_OP_xor, IR_OP_and};
        if (invert) {
            if (opc == 0 || opc == 3) {
                ir_emit_1_2(f, IR_OP_andc, res, a64_src(dc, rn, sf), b);
                goto done;
            }
            ir_ref nb = a64_temp(dc, sf);
            ir_emit_1_1(f, IR_OP_not, nb, b);
            b = nb;
        }
        ir_emit_1_2(f, ops[opc], res, a64_src(dc, rn, sf), b);
    }
done:
    if (opc == 3) {
        a64_set_nzcv_logic(dc, sf, res);
    }
    a64_dst(dc, rd, sf, res);
    return A64_OK;
}

/* ADD/ADDS/SUB/SUBS <Xd>, <Xn>, <Xm>{, <shift> #<amount>}  (CMP, CMN, NEG, NEGS) */
static enum a64_status a64_addsub_shift(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31), sub = a64_bit(insn, 30), setflags = a64_bit(insn, 29);
    unsigned shift = a64_bits(insn, 22, 2), amount = a64_bits(insn, 10, 6);
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    if (shift == 3 || (!sf && amount >= 32))
        return A64_UNDEF;
    ir_ref b = a64_shift_imm(dc, sf, a64_src(dc, rm, sf), shift, amount);
    ir_ref res = sub ? a64_sub_flags(dc, sf, a64_src(dc, rn, sf), b, IR_NONE, setflags)
                     : a64_add_flags(dc, sf, a64_src(dc, rn, sf), b, IR_NONE, setflags);
    a64_dst(dc, rd, sf, res);
    return A64_OK;
}

/* ADD/ADDS/SUB/SUBS <Xd|SP>, <Xn|SP>, <R><m>{, <extend> {#<amount>}} */
static enum a64_status a64_addsub_ext(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31), sub = a64_bit(insn, 30), setflags = a64_bit(insn, 29);
    unsigned option = a64_bits(insn, 13, 3), amount = a64_bits(insn, 10, 3);
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    if (a64_bits(insn, 22, 2) != 0 || amount > 4)
        return A64_UNDEF;
    ir_ref b = a64_extend_reg(dc, sf, rm, option, amount);
    ir_ref a = a64_src_sp(dc, rn, sf);
    ir_ref res = sub ? a64_sub_flags(dc, sf, a, b, IR_NONE, setflags)
                     : a64_add_flags(dc, sf, a, b, IR_NONE, setflags);
    if (setflags)
        a64_dst(dc, rd, sf, res);
    else
        a64_dst_sp(dc, rd, sf, res);
    return A64_OK;
}

/* ADC/ADCS/SBC/SBCS <Xd>, <Xn>, <Xm>  (NGC, NGCS) */
static enum a64_status a64_adc(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31), sub = a64_bit(insn, 30), setflags = a64_bit(insn, 29);
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    if (a64_bits(insn, 10, 6) != 0)
        return A64_UNDEF; /* RMIF, SETF8/16 (FlagM) are not implemented */
    ir_ref a = a64_src(dc, rn, sf), b = a64_src(dc, rm, sf);
    ir_ref cin = a64_carry(dc, sf);
    ir_ref res = sub ? a64_sub_flags(dc, sf, a, b, cin, setflags)
                     : a64_add_flags(dc, sf, a, b, cin, setflags);
    a64_dst(dc, rd, sf, res);
    return A64_OK;
}

/* CCMN/CCMP <Xn>, <Xm>, #<nzcv>, <cond> / CCMN/CCMP <Xn>, #<imm5>, #<nzcv>, <cond> */
static enum a64_status a64_ccmp(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31), sub = a64_bit(insn, 30);
    unsigned cond = a64_bits(insn, 12, 4), nzcv = a64_bits(insn, 0, 4);
    unsigned rn = a64_bits(insn, 5, 5), y = a64_bits(insn, 16, 5);
    if (!a64_bit(insn, 29) || a64_bit(insn, 10) || a64_bit(insn, 4))
        return A64_UNDEF;
    struct ir_func *f = dc->f;
    /* the condition first: it reads the old flags */
    struct a64_cmp c = a64_cmp_narrow(dc, a64_cond(dc, cond));
    ir_ref holds = ir_temp(f, IR_I32);
    ir_setcond(f, c.cond, holds, c.a, c.b);
    ir_ref b = a64_bit(insn, 11) ? a64_imm(dc, sf, y) : a64_src(dc, y, sf);
    ir_ref fl[4] = {ir_temp(f, IR_I64), ir_temp(f, IR_I64), ir_temp(f, IR_I32),
                    ir_temp(f, IR_I32)};
    a64_addsub_to(dc, sf, sub, a64_src(dc, rn, sf), b, IR_NONE, fl);
    /* the flags of the comparison, or #nzcv (in the nf/zf form for N and Z) */
    ir_ref holds64 = a64_zext(dc, holds);
    ir_movcond(f, IR_COND_ne, a64_nf(dc), holds64, ir_const(f, IR_I64, 0), fl[0],
               ir_const(f, IR_I64, (uint64_t)((nzcv >> 3) & 1) << 63));
    ir_movcond(f, IR_COND_ne, a64_zf(dc), holds64, ir_const(f, IR_I64, 0), fl[1],
               ir_const(f, IR_I64, (nzcv >> 2) & 1 ? 0 : 1));
    ir_ref zero = ir_const(f, IR_I32, 0);
    ir_movcond(f, IR_COND_ne, a64_cf(dc), holds, zero, fl[2], ir_const(f, IR_I32, (nzcv >> 1) & 1));
    ir_movcond(f, IR_COND_ne, a64_vf(dc), holds, zero, fl[3], ir_const(f, IR_I32, nzcv & 1));
    return A64_OK;
}

/* CSEL/CSINC/CSINV/CSNEG <Xd>, <Xn>, <Xm>, <cond>  (CSET, CSETM, CINC, CINV, CNEG) */
static enum a64_status a64_csel(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31), inv = a64_bit(insn, 30);
    unsigned op2 = a64_bits(insn, 10, 2), cond = a64_bits(insn, 12, 4);
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    if (a64_bit(insn, 29) || op2 > 1)
        return A64_UNDEF;
    struct ir_func *f = dc->f;
    ir_ref b = a64_src(dc, rm, sf);
    if (inv || op2) {
        ir_ref t = a64_temp(dc, sf);
        if (!inv) /* CSINC */
            ir_emit_1_2(f, IR_OP_add, t, b, a64_imm(dc, sf, 1));
        else
            ir_emit_1_1(f, op2 ? IR_OP_neg : IR_OP_not, t, b);
        b = t;
    }
    struct a64_cmp c = a64_cond(dc, cond);
    c = sf ? a64_cmp_wide(dc, c) : a64_cmp_narrow(dc, c);
    ir_ref res = a64_temp(dc, sf);
    ir_movcond(f, c.cond, res, c.a, c.b, a64_src(dc, rn, sf), b);
    a64_dst(dc, rd, sf, res);
    return A64_OK;
}

/* CRC32{B,H,W,X}, CRC32C{B,H,W,X}: the reflected CRC update of acc by the low
 * `bytes` bytes of val, polynomial 0x04C11DB7 (CRC-32) or 0x1EDC6F41 (CRC-32C),
 * without pre- or post-inversion (as the instructions define it). */
static uint32_t a64_crc_update(uint32_t acc, uint64_t val, uint32_t bytes, uint32_t rpoly)
{
    for (uint32_t i = 0; i < bytes; i++) {
        acc ^= (uint8_t)(val >> (8 * i));
        for (int k = 0; k < 8; k++)
            acc = (acc >> 1) ^ (rpoly & (0u - (acc & 1u)));
    }
    return acc;
}
static uint32_t a64_helper_crc32(uint32_t acc, uint64_t val, uint32_t bytes)
{
    return a64_crc_update(acc, val, bytes, 0xedb88320u);
}
static uint32_t a64_helper_crc32c(uint32_t acc, uint64_t val, uint32_t bytes)
{
    return a64_crc_update(acc, val, bytes, 0x82f63b78u);
}
static const struct ir_helper a64_h_crc32 = {
    "a64_crc32", (void *)a64_helper_crc32, IR_I32, 3, {IR_I32, IR_I64, IR_I32}, 0};
static const struct ir_helper a64_h_crc32c = {
    "a64_crc32c", (void *)a64_helper_crc32c, IR_I32, 3, {IR_I32, IR_I64, IR_I32}, 0};

int a64_dp_reg_register_helpers(void)
{
    return ir_helper_register(&a64_h_crc32) < 0 || ir_helper_register(&a64_h_crc32c) < 0 ? -1 : 0;
}

/* CRC32B/H/W <Wd>, <Wn>, <Wm>; CRC32X <Wd>, <Wn>, <Xm>; CRC32C{B,H,W,X} */
static enum a64_status a64_crc32(struct a64_dc *dc, bool sf, unsigned opcode)
{
    uint32_t insn = dc->insn;
    unsigned sz = opcode & 3;
    bool c = opcode & 4;
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    if (sf != (sz == 3))
        return A64_UNDEF;
    int id = a64_helper(dc, c ? &a64_h_crc32c : &a64_h_crc32);
    if (id < 0)
        return A64_OK;
    ir_ref val = a64_src(dc, rm, true);
    ir_ref args[3] = {a64_src(dc, rn, false), val, ir_const(dc->f, IR_I32, 1u << sz)};
    ir_ref res = ir_temp(dc->f, IR_I32);
    ir_call(dc->f, id, res, args);
    a64_dst(dc, rd, false, res);
    return A64_OK;
}

/* UDIV/SDIV <Xd>, <Xn>, <Xm>; LSLV/LSRV/ASRV/RORV <Xd>, <Xn>, <Xm>; CRC32* */
static enum a64_status a64_dp_2src(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31);
    unsigned opcode = a64_bits(insn, 10, 6);
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    enum ir_op op;
    if (a64_bit(insn, 29))
        return A64_UNDEF; /* SUBPS (MTE) */
    switch (opcode) {
    case 0x02: op = IR_OP_divu; break;
    case 0x03: op = IR_OP_divs; break;
    case 0x08: op = IR_OP_shl; break;
    case 0x09: op = IR_OP_shr; break;
    case 0x0a: op = IR_OP_sar; break;
    case 0x0b: op = IR_OP_rotr; break;
    case 0x10: case 0x11: case 0x12: case 0x13:
    case 0x14: case 0x15: case 0x16: case 0x17:
        return a64_crc32(dc, sf, opcode & 7);
    default: /* SUBP, IRG, GMI, PACGA, ... */
        return A64_UNDEF;
    }
    /* shifts: the IR takes the count modulo the width, as A64 does */
    ir_ref res = a64_temp(dc, sf);
    ir_emit_1_2(dc->f, op, res, a64_src(dc, rn, sf), a64_src(dc, rm, sf));
    a64_dst(dc, rd, sf, res);
    return A64_OK;
}

/* v = ((v >> k) & m) | ((v & m) << k): swap adjacent k-bit groups. */
static ir_ref a64_swap_bits(struct a64_dc *dc, bool sf, ir_ref v, unsigned k, uint64_t m)
{
    struct ir_func *f = dc->f;
    ir_ref hi = a64_temp(dc, sf), lo = a64_temp(dc, sf), res = a64_temp(dc, sf);
    ir_ref mask = a64_imm(dc, sf, m), sh = a64_imm(dc, sf, k);
    ir_emit_1_2(f, IR_OP_shr, hi, v, sh);
    ir_emit_1_2(f, IR_OP_and, hi, hi, mask);
    ir_emit_1_2(f, IR_OP_and, lo, v, mask);
    ir_emit_1_2(f, IR_OP_shl, lo, lo, sh);
    ir_emit_1_2(f, IR_OP_or, res, hi, lo);
    return res;
}

/* RBIT/REV16/REV32/REV/CLZ/CLS <Xd>, <Xn> */
static enum a64_status a64_dp_1src(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31);
    unsigned opcode = a64_bits(insn, 10, 6);
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
    if (a64_bit(insn, 29) || a64_bits(insn, 16, 5) != 0)
        return A64_UNDEF; /* PAC*, AUT*, XPAC* are not implemented */
    struct ir_func *f = dc->f;
    ir_ref src = a64_src(dc, rn, sf);
    ir_ref res = a64_temp(dc, sf);
    int64_t nbytes = sf ? 8 : 4;
    switch (opcode) {
    case 0: /* RBIT */
        src = a64_swap_bits(dc, sf, src, 1, 0x5555555555555555ull);
        src = a64_swap_bits(dc, sf, src, 2, 0x3333333333333333ull);
        src = a64_swap_bits(dc, sf, src, 4, 0x0f0f0f0f0f0f0f0full);
        ir_emit(f, IR_OP_bswap, (ir_ref[]){res, src}, 2, &nbytes, 1);
        break;
    case 1: /* REV16 */
        res = a64_swap_bits(dc, sf, src, 8, 0x00ff00ff00ff00ffull);
        break;
    case 2: /* REV32 (64-bit) / REV (32-bit) */
        ir_emit(f, IR_OP_bswap, (ir_ref[]){res, src}, 2, &nbytes, 1);
        if (sf)
            ir_emit_1_2(f, IR_OP_rotr, res, res, a64_imm(dc, sf, 32));
        break;
    case 3: /* REV (64-bit) */
        if (!sf)
            return A64_UNDEF;
        ir_emit(f, IR_OP_bswap, (ir_ref[]){res, src}, 2, &nbytes, 1);
        break;
    case 4: /* CLZ */
        ir_emit_1_1(f, IR_OP_clz, res, src);
        break;
    case 5: /* CLS = CLZ(x ^ (x >> 1 arithmetic)) - 1 */
        ir_emit_1_2(f, IR_OP_sar, res, src, a64_imm(dc, sf, 1));
        ir_emit_1_2(f, IR_OP_xor, res, res, src);
        ir_emit_1_1(f, IR_OP_clz, res, res);
        ir_emit_1_2(f, IR_OP_sub, res, res, a64_imm(dc, sf, 1));
        break;
    default: /* CTZ, CNT, ABS (CSSC) and the rest */
        return A64_UNDEF;
    }
    a64_dst(dc, rd, sf, res);
    return A64_OK;
}

/* MADD/MSUB <Xd>, <Xn>, <Xm>, <Xa>  (MUL, MNEG);
 * SMADDL/SMSUBL/UMADDL/UMSUBL <Xd>, <Wn>, <Wm>, <Xa>  (SMULL, UMULL, SMNEGL, UMNEGL);
 * SMULH/UMULH <Xd>, <Xn>, <Xm> */
static enum a64_status a64_dp_3src(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31), o0 = a64_bit(insn, 15);
    unsigned op31 = a64_bits(insn, 21, 3);
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    unsigned ra = a64_bits(insn, 10, 5);
    if (a64_bits(insn, 29, 2) != 0 || (!sf && op31 != 0))
        return A64_UNDEF;
    struct ir_func *f = dc->f;
    ir_ref prod = a64_temp(dc, sf);
    switch (op31) {
    case 0: /* MADD, MSUB */
        ir_emit_1_2(f, IR_OP_mul, prod, a64_src(dc, rn, sf), a64_src(dc, rm, sf));
        break;
    case 1: case 5: { /* SMADDL, SMSUBL, UMADDL, UMSUBL */
        enum ir_op ext = op31 == 1 ? IR_OP_sext : IR_OP_zext;
        ir_ref a = ir_temp(f, IR_I64), b = ir_temp(f, IR_I64);
        ir_emit_1_1(f, ext, a, a64_src(dc, rn, false));
        ir_emit_1_1(f, ext, b, a64_src(dc, rm, false));
        ir_emit_1_2(f, IR_OP_mul, prod, a, b);
        break;
    }
    case 2: case 6: /* SMULH, UMULH */
        if (o0)
            return A64_UNDEF;
        ir_emit_1_2(f, op31 == 2 ? IR_OP_mulsh : IR_OP_muluh, prod, a64_src(dc, rn, sf),
                    a64_src(dc, rm, sf));
        a64_dst(dc, rd, sf, prod);
        return A64_OK;
    default:
        return A64_UNDEF;
    }
    ir_ref res = prod;
    if (ra != 31 || o0) {
        res = a64_temp(dc, sf);
        ir_emit_1_2(f, o0 ? IR_OP_sub : IR_OP_add, res, a64_src(dc, ra, sf), prod);
    }
    a64_dst(dc, rd, sf, res);
    return A64_OK;
}

enum a64_status a64_tr_dp_reg(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    unsigned op2 = a64_bits(insn, 21, 4);
    if (!a64_bit(insn, 28)) {
        if (!(op2 & 8))
            return a64_logic_reg(dc);
        return (op2 & 1) ? a64_addsub_ext(dc) : a64_addsub_shift(dc);
    }
    if (op2 & 8)
        return a64_dp_3src(dc);
    switch (op2) {
    case 0x0:
        return a64_adc(dc);
    case 0x2:
        return a64_ccmp(dc);
    case 0x4:
        return a64_csel(dc);
    case 0x6:
        return a64_bit(insn, 30) ? a64_dp_1src(dc) : a64_dp_2src(dc);
    default:
        return A64_UNDEF;
    }
}
