/* A64 Advanced SIMD structure loads and stores: LD1-LD4/ST1-ST4 (multiple
 * structures), their single-lane forms and LD1R-LD4R, without offset and
 * post-indexed.  LD1/ST1 of whole registers, lanes and replicates are plain
 * IR loads/stores; the interleaving LD2-4/ST2-4 of whole registers call
 * a64_h_v_ldst, which touches guest memory itself (pc synced first). */
#include <string.h>

#include "frontend/aarch64/a64_fp.h"

static ir_ref sl_add(struct a64_dc *dc, ir_ref base, uint64_t off)
{
    if (off == 0)
        return base;
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_emit_1_2(dc->f, IR_OP_add, t, base, ir_const(dc->f, IR_I64, off));
    return t;
}

/* The post-index writeback value (Xn + Xm, or Xn + bytes when Rm = 31), or
 * IR_NONE for the no-offset forms.  Computed before any register changes. */
static ir_ref sl_writeback(struct a64_dc *dc, ir_ref base, unsigned bytes)
{
    uint32_t insn = dc->insn;
    if (!a64_bit(insn, 23))
        return IR_NONE;
    unsigned rm = a64_bits(insn, 16, 5);
    ir_ref t = ir_temp(dc->f, IR_I64);
    ir_ref off = rm == 31 ? ir_const(dc->f, IR_I64, bytes) : a64_xreg(dc, rm);
    ir_emit_1_2(dc->f, IR_OP_add, t, base, off);
    return t;
}

/* LD1/ST1 {<Vt>.<T>, ...} of 1-4 whole registers */
static void sl_ld1_st1(struct a64_dc *dc, ir_ref addr, unsigned rt, unsigned regs, bool q,
                       bool load)
{
    struct ir_func *f = dc->f;
    unsigned halves = q ? 2 : 1;
    ir_ref v[8];
    for (unsigned r = 0; r < regs; r++) {
        for (unsigned h = 0; h < halves; h++) {
            unsigned reg = (rt + r) % 32;
            ir_ref a = sl_add(dc, addr, (r * halves + h) * 8);
            if (load) {
                v[r * halves + h] = ir_temp(f, IR_I64);
                ir_ld(f, v[r * halves + h], a, IR_MO_64);
            } else {
                ir_st(f, a64_vld64(dc, reg, h), a, IR_MO_64);
            }
        }
    }
    if (!load)
        return;
    /* all loads done before the first register write (a fault leaves Vt intact) */
    for (unsigned r = 0; r < regs; r++) {
        unsigned reg = (rt + r) % 32;
        a64_vst64(dc, reg, 0, v[r * halves]);
        if (q)
            a64_vst64(dc, reg, 1, v[r * halves + 1]);
        else
            a64_vzero_hi(dc, reg);
    }
}

/* LD1-LD4 / ST1-ST4 (multiple structures), bits 29:23 = 0011000 / 0011001 */
static enum a64_status sl_multiple(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool q = a64_bit(insn, 30), load = a64_bit(insn, 22);
    unsigned opcode = a64_bits(insn, 12, 4), size = a64_bits(insn, 10, 2);
    unsigned rt = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
    unsigned regs, selem;
    if (a64_bit(insn, 21) || (!a64_bit(insn, 23) && a64_bits(insn, 16, 5) != 0))
        return A64_UNDEF;
    switch (opcode) {
    case 0x0: regs = 4; selem = 4; break; /* LD4/ST4 */
    case 0x2: regs = 4; selem = 1; break; /* LD1/ST1, 4 registers */
    case 0x4: regs = 3; selem = 3; break; /* LD3/ST3 */
    case 0x6: regs = 3; selem = 1; break;
    case 0x7: regs = 1; selem = 1; break;
    case 0x8: regs = 2; selem = 2; break; /* LD2/ST2 */
    case 0xa: regs = 2; selem = 1; break;
    default: return A64_UNDEF;
    }
    if (size == 3 && !q && selem > 1)
        return A64_UNDEF;
    unsigned bytes = regs * (q ? 16u : 8u);
    ir_ref base = a64_base(dc, rn);
    ir_ref wb = sl_writeback(dc, base, bytes);
    if (selem == 1) {
        sl_ld1_st1(dc, base, rt, regs, q, load);
    } else {
        struct a64_desc d;
        memset(&d, 0, sizeof d);
        d.rd = rt;
        d.es = size;
        d.q = q;
        d.op = selem;
        d.uns = load;
        int id = a64_helper(dc, &a64_hd_v_ldst);
        if (id < 0)
            return A64_OK;
        a64_sync_pc(dc);
        ir_ref args[2] = {base, ir_const(dc->f, IR_I64, a64_desc_pack(&d))};
        ir_call(dc->f, id, IR_NONE, args);
    }
    if (wb != IR_NONE)
        ir_mov(dc->f, base, wb);
    return A64_OK;
}

/* LD1-LD4 / ST1-ST4 (single structure) and LD1R-LD4R, bits 29:23 = 0011010 / 0011011 */
static enum a64_status sl_single(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    struct ir_func *f = dc->f;
    bool q = a64_bit(insn, 30), load = a64_bit(insn, 22), s = a64_bit(insn, 12);
    unsigned opcode = a64_bits(insn, 13, 3), size = a64_bits(insn, 10, 2);
    unsigned rt = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
    unsigned selem = ((opcode & 1) << 1 | a64_bit(insn, 21)) + 1;
    unsigned scale = opcode >> 1, index = 0;
    bool replicate = false;
    if (!a64_bit(insn, 23) && a64_bits(insn, 16, 5) != 0)
        return A64_UNDEF;
    switch (scale) {
    case 0:
        index = (unsigned)q << 3 | (unsigned)s << 2 | size;
        break;
    case 1:
        if (size & 1)
            return A64_UNDEF;
        index = (unsigned)q << 2 | (unsigned)s << 1 | size >> 1;
        break;
    case 2:
        if (size & 2)
            return A64_UNDEF;
        if (size == 0) {
            index = (unsigned)q << 1 | s;
        } else {
            if (s)
                return A64_UNDEF;
            index = q;
            scale = 3;
        }
        break;
    default:
        if (!load || s)
            return A64_UNDEF;
        scale = size;
        replicate = true;
        break;
    }
    unsigned ebytes = 1u << scale;
    ir_ref base = a64_base(dc, rn);
    ir_ref wb = sl_writeback(dc, base, selem * ebytes);
    if (load) {
        ir_ref v[4];
        for (unsigned e = 0; e < selem; e++) {
            v[e] = ir_temp(f, IR_I64);
            ir_ld(f, v[e], sl_add(dc, base, e * ebytes), scale);
        }
        for (unsigned e = 0; e < selem; e++) {
            unsigned reg = (rt + e) % 32;
            if (replicate) {
                ir_ref rep = a64_dup64(dc, v[e], scale);
                a64_vst64(dc, reg, 0, rep);
                if (q)
                    a64_vst64(dc, reg, 1, rep);
                else
                    a64_vzero_hi(dc, reg);
            } else {
                a64_vst_lane(dc, reg, scale, index, v[e]);
            }
        }
    } else {
        for (unsigned e = 0; e < selem; e++)
            ir_st(f, a64_vld_lane(dc, (rt + e) % 32, scale, index, false),
                  sl_add(dc, base, e * ebytes), scale);
    }
    if (wb != IR_NONE)
        ir_mov(f, base, wb);
    return A64_OK;
}

enum a64_status a64_tr_simd_ldst(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    if (a64_bit(insn, 31) || a64_bits(insn, 25, 5) != 0x06)
        return A64_UNDEF;
    return a64_bit(insn, 24) ? sl_single(dc) : sl_multiple(dc);
}
