/* A64 data processing (immediate), op0 = 100x: PC-relative addressing,
 * add/subtract immediate, logical immediate (with the bitmask decoder), move
 * wide, bitfield (SBFM/BFM/UBFM and all their aliases) and EXTR. */
#include "frontend/aarch64/a64.h"

/* ADR <Xd>, <label> / ADRP <Xd>, <label> */
static enum a64_status a64_adr(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    int64_t imm = (int64_t)((uint64_t)a64_sbits(insn, 5, 19) << 2) | a64_bits(insn, 29, 2);
    uint64_t v;
    if (a64_bit(insn, 31)) /* ADRP */
        v = (dc->pc & ~0xfffull) + ((uint64_t)imm << 12);
    else
        v = dc->pc + (uint64_t)imm;
    a64_dst(dc, a64_bits(insn, 0, 5), true, ir_const(dc->f, IR_I64, v));
    return A64_OK;
}

/* ADD{S} <Xd|SP>, <Xn|SP>, #<imm>{, <shift>} / SUB{S} ...  (CMP, CMN, MOV to/from SP) */
static enum a64_status a64_addsub_imm(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31), sub = a64_bit(insn, 30), setflags = a64_bit(insn, 29);
    uint64_t imm = a64_bits(insn, 10, 12);
    if (a64_bit(insn, 22))
        imm <<= 12;
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
    ir_ref a = a64_src_sp(dc, rn, sf);
    ir_ref b = a64_imm(dc, sf, imm);
    ir_ref res = sub ? a64_sub_flags(dc, sf, a, b, IR_NONE, setflags)
                     : a64_add_flags(dc, sf, a, b, IR_NONE, setflags);
    if (setflags)
        a64_dst(dc, rd, sf, res);
    else
        a64_dst_sp(dc, rd, sf, res);
    return A64_OK;
}

/* DecodeBitMasks(N, imms, immr, immediate): the wmask (and tmask) of a
 * logical immediate or bitfield.  Returns false for reserved encodings. */
bool a64_decode_bitmasks(unsigned n, unsigned imms, unsigned immr, bool immediate, unsigned width,
                         uint64_t *wmask, uint64_t *tmask)
{
    unsigned combined = (n << 6) | (~imms & 0x3f);
    if (combined == 0)
        return false;
    unsigned len = 31 - (unsigned)__builtin_clz(combined);
    if (len < 1)
        return false;
    unsigned esize = 1u << len;
    if (esize > width)
        return false;
    unsigned levels = esize - 1;
    if (immediate && (imms & levels) == levels)
        return false;
    unsigned s = imms & levels, r = immr & levels;
    uint64_t emask = esize == 64 ? ~0ull : (1ull << esize) - 1;
    uint64_t welem = s + 1 == 64 ? ~0ull : (1ull << (s + 1)) - 1;
    /* rotate right by r within esize bits */
    uint64_t wrot = r ? ((welem >> r) | (welem << (esize - r))) & emask : welem;
    unsigned d = (s - r) & levels;
    uint64_t telem = d + 1 == 64 ? ~0ull : (1ull << (d + 1)) - 1;
    uint64_t w = 0, t = 0;
    for (unsigned i = 0; i < width; i += esize) {
        w |= wrot << i;
        t |= telem << i;
    }
    if (wmask)
        *wmask = w;
    if (tmask)
        *tmask = t;
    return true;
}

/* AND/ORR/EOR <Xd|SP>, <Xn>, #<imm>;  ANDS <Xd>, <Xn>, #<imm>  (MOV bitmask, TST) */
static enum a64_status a64_logic_imm(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31);
    unsigned opc = a64_bits(insn, 29, 2), n = a64_bit(insn, 22);
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
    uint64_t imm;
    if (!sf && n)
        return A64_UNDEF;
    if (!a64_decode_bitmasks(n, a64_bits(insn, 10, 6), a64_bits(insn, 16, 6), true, sf ? 64 : 32,
                             &imm, NULL))
        return A64_UNDEF;
    static const enum ir_op ops[4] = {IR_OP_and, IR_OP_or, IR_OP_xor, IR_OP_and};
    ir_ref res = a64_temp(dc, sf);
    ir_emit_1_2(dc->f, ops[opc], res, a64_src(dc, rn, sf), a64_imm(dc, sf, imm));
    if (opc == 3) {
        a64_set_nzcv_logic(dc, sf, res);
        a64_dst(dc, rd, sf, res);
    } else {
        a64_dst_sp(dc, rd, sf, res);
    }
    return A64_OK;
}

/* MOVN/MOVZ/MOVK <Xd>, #<imm16>{, LSL #<shift>}  (MOV wide immediate) */
static enum a64_status a64_movw(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31);
    unsigned opc = a64_bits(insn, 29, 2), hw = a64_bits(insn, 21, 2);
    unsigned rd = a64_bits(insn, 0, 5);
    uint64_t imm = a64_bits(insn, 5, 16);
    if (opc == 1 || (!sf && hw >= 2))
        return A64_UNDEF;
    unsigned pos = hw * 16;
    if (opc == 3) { /* MOVK */
        if (rd == 31)
            return A64_OK;
        ir_ref t = a64_temp(dc, sf);
        ir_deposit(dc->f, t, a64_src(dc, rd, sf), a64_imm(dc, sf, imm), pos, 16);
        a64_dst(dc, rd, sf, t);
        return A64_OK;
    }
    uint64_t v = imm << pos;
    if (opc == 0)
        v = ~v;
    a64_dst(dc, rd, sf, a64_imm(dc, sf, v));
    return A64_OK;
}

/* SBFM/BFM/UBFM <Xd>, <Xn>, #<immr>, #<imms>
 * (ASR/LSL/LSR #imm, SBFX/UBFX, SBFIZ/UBFIZ, BFI/BFXIL/BFC, SXTB/SXTH/SXTW, UXTB/UXTH) */
static enum a64_status a64_bitfield(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31);
    unsigned opc = a64_bits(insn, 29, 2), n = a64_bit(insn, 22);
    unsigned r = a64_bits(insn, 16, 6), s = a64_bits(insn, 10, 6);
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
    unsigned w = sf ? 64 : 32;
    if (opc == 3 || n != (unsigned)sf || (!sf && (r >= 32 || s >= 32)))
        return A64_UNDEF;
    struct ir_func *f = dc->f;
    ir_ref src = a64_src(dc, rn, sf);
    ir_ref res = a64_temp(dc, sf);
    if (s >= r) {
        unsigned len = s - r + 1; /* field [r, s] to the bottom */
        if (opc == 0)
            ir_sextract(f, res, src, r, len);
        else if (opc == 2)
            ir_extract(f, res, src, r, len);
        else {
            ir_ref t = src;
            if (r) {
                t = a64_temp(dc, sf);
                ir_emit_1_2(f, IR_OP_shr, t, src, a64_imm(dc, sf, r));
            }
            ir_deposit(f, res, a64_src(dc, rd, sf), t, 0, len);
        }
    } else {
        unsigned len = s + 1, pos = w - r; /* bottom s+1 bits to [w-r, ...) */
        if (opc == 0) {
            ir_sextract(f, res, src, 0, len);
            ir_emit_1_2(f, IR_OP_shl, res, res, a64_imm(dc, sf, pos));
        } else {
            ir_deposit(f, res, opc == 2 ? a64_imm(dc, sf, 0) : a64_src(dc, rd, sf), src, pos, len);
        }
    }
    a64_dst(dc, rd, sf, res);
    return A64_OK;
}

/* EXTR <Xd>, <Xn>, <Xm>, #<lsb>  (ROR #imm when Xn == Xm) */
static enum a64_status a64_extr(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool sf = a64_bit(insn, 31);
    unsigned n = a64_bit(insn, 22), lsb = a64_bits(insn, 10, 6);
    unsigned rd = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5), rm = a64_bits(insn, 16, 5);
    if (a64_bits(insn, 29, 2) != 0 || a64_bit(insn, 21) || n != (unsigned)sf || (!sf && lsb >= 32))
        return A64_UNDEF;
    struct ir_func *f = dc->f;
    ir_ref lo = a64_src(dc, rm, sf);
    ir_ref res;
    if (lsb == 0) {
        res = lo;
    } else if (rn == rm) {
        res = a64_shift_imm(dc, sf, lo, A64_ROR, lsb);
    } else {
        ir_ref hi = a64_temp(dc, sf);
        res = a64_temp(dc, sf);
        ir_emit_1_2(f, IR_OP_shl, hi, a64_src(dc, rn, sf), a64_imm(dc, sf, (sf ? 64 : 32) - lsb));
        ir_emit_1_2(f, IR_OP_shr, res, lo, a64_imm(dc, sf, lsb));
        ir_emit_1_2(f, IR_OP_or, res, res, hi);
    }
    a64_dst(dc, rd, sf, res);
    return A64_OK;
}

enum a64_status a64_tr_dp_imm(struct a64_dc *dc)
{
    switch (a64_bits(dc->insn, 23, 3)) {
    case 0: case 1:
        return a64_adr(dc);
    case 2:
        return a64_addsub_imm(dc);
    case 4:
        return a64_logic_imm(dc);
    case 5:
        return a64_movw(dc);
    case 6:
        return a64_bitfield(dc);
    case 7:
        return a64_extr(dc);
    default: /* 3: add/subtract immediate with tags (MTE) */
        return A64_UNDEF;
    }
}
