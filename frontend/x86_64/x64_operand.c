/* Operand helpers of the x86-64 translator: IR globals for the registers and
 * flags, sized register reads/writes (zero-extension of 32-bit writes, merges
 * of 8/16-bit ones, AH..BH), effective addresses, flag computation and the
 * sixteen condition codes. */
#include <string.h>

#include "frontend/x86_64/x64.h"
#include "frontend/x86_64/x64_mmu.h"

ir_ref x64_t64(struct x64_dc *dc) { return ir_temp(dc->f, IR_I64); }
ir_ref x64_t32(struct x64_dc *dc) { return ir_temp(dc->f, IR_I32); }
ir_ref x64_c64(struct x64_dc *dc, uint64_t v) { return ir_const(dc->f, IR_I64, v); }
ir_ref x64_c32(struct x64_dc *dc, uint32_t v) { return ir_const(dc->f, IR_I32, v); }

static const char *const x64_reg_names[16] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};
static const char *const x64_flag_names[X64_NFLAGS] = {"cf", "pf", "af", "zf", "sf", "of"};

ir_ref x64_greg(struct x64_dc *dc, unsigned n)
{
    if (!dc->g_reg[n])
        dc->g_reg[n] = ir_global(dc->f, IR_I64, X64_OFF_REG(n), x64_reg_names[n]);
    return dc->g_reg[n];
}

static ir_ref x64_flag_g(struct x64_dc *dc, enum x64_flag fl)
{
    if (!dc->g_flag[fl])
        dc->g_flag[fl] = ir_global(dc->f, IR_I32, X64_OFF_FLAG(fl), x64_flag_names[fl]);
    return dc->g_flag[fl];
}

ir_ref x64_df(struct x64_dc *dc)
{
    if (!dc->g_df)
        dc->g_df = ir_global(dc->f, IR_I32, offsetof(struct x64_cpu, df), "df");
    return dc->g_df;
}

/* Capstone's register ids of each GPR at each size. */
struct x64_regmap {
    uint16_t reg;
    uint8_t idx, size, high;
};
static const struct x64_regmap x64_regmap[] = {
    {X86_REG_RAX, 0, 8, 0}, {X86_REG_EAX, 0, 4, 0}, {X86_REG_AX, 0, 2, 0}, {X86_REG_AL, 0, 1, 0},
    {X86_REG_AH, 0, 1, 1},
    {X86_REG_RCX, 1, 8, 0}, {X86_REG_ECX, 1, 4, 0}, {X86_REG_CX, 1, 2, 0}, {X86_REG_CL, 1, 1, 0},
    {X86_REG_CH, 1, 1, 1},
    {X86_REG_RDX, 2, 8, 0}, {X86_REG_EDX, 2, 4, 0}, {X86_REG_DX, 2, 2, 0}, {X86_REG_DL, 2, 1, 0},
    {X86_REG_DH, 2, 1, 1},
    {X86_REG_RBX, 3, 8, 0}, {X86_REG_EBX, 3, 4, 0}, {X86_REG_BX, 3, 2, 0}, {X86_REG_BL, 3, 1, 0},
    {X86_REG_BH, 3, 1, 1},
    {X86_REG_RSP, 4, 8, 0}, {X86_REG_ESP, 4, 4, 0}, {X86_REG_SP, 4, 2, 0}, {X86_REG_SPL, 4, 1, 0},
    {X86_REG_RBP, 5, 8, 0}, {X86_REG_EBP, 5, 4, 0}, {X86_REG_BP, 5, 2, 0}, {X86_REG_BPL, 5, 1, 0},
    {X86_REG_RSI, 6, 8, 0}, {X86_REG_ESI, 6, 4, 0}, {X86_REG_SI, 6, 2, 0}, {X86_REG_SIL, 6, 1, 0},
    {X86_REG_RDI, 7, 8, 0}, {X86_REG_EDI, 7, 4, 0}, {X86_REG_DI, 7, 2, 0}, {X86_REG_DIL, 7, 1, 0},
    {X86_REG_R8, 8, 8, 0},  {X86_REG_R8D, 8, 4, 0},  {X86_REG_R8W, 8, 2, 0},  {X86_REG_R8B, 8, 1, 0},
    {X86_REG_R9, 9, 8, 0},  {X86_REG_R9D, 9, 4, 0},  {X86_REG_R9W, 9, 2, 0},  {X86_REG_R9B, 9, 1, 0},
    {X86_REG_R10, 10, 8, 0}, {X86_REG_R10D, 10, 4, 0}, {X86_REG_R10W, 10, 2, 0}, {X86_REG_R10B, 10, 1, 0},
    {X86_REG_R11, 11, 8, 0}, {X86_REG_R11D, 11, 4, 0}, {X86_REG_R11W, 11, 2, 0}, {X86_REG_R11B, 11, 1, 0},
    {X86_REG_R12, 12, 8, 0}, {X86_REG_R12D, 12, 4, 0}, {X86_REG_R12W, 12, 2, 0}, {X86_REG_R12B, 12, 1, 0},
    {X86_REG_R13, 13, 8, 0}, {X86_REG_R13D, 13, 4, 0}, {X86_REG_R13W, 13, 2, 0}, {X86_REG_R13B, 13, 1, 0},
    {X86_REG_R14, 14, 8, 0}, {X86_REG_R14D, 14, 4, 0}, {X86_REG_R14W, 14, 2, 0}, {X86_REG_R14B, 14, 1, 0},
    {X86_REG_R15, 15, 8, 0}, {X86_REG_R15D, 15, 4, 0}, {X86_REG_R15W, 15, 2, 0}, {X86_REG_R15B, 15, 1, 0},
};

bool x64_reg_info(unsigned reg, unsigned *idx, unsigned *size, bool *high)
{
    for (size_t i = 0; i < sizeof x64_regmap / sizeof x64_regmap[0]; i++) {
        if (x64_regmap[i].reg == reg) {
            *idx = x64_regmap[i].idx;
            *size = x64_regmap[i].size;
            *high = x64_regmap[i].high;
            return true;
        }
    }
    return false;
}

ir_ref x64_get_gpr(struct x64_dc *dc, unsigned n, unsigned size)
{
    /* always a copy: translators read operands, then write results, then
     * compute flags from the operands (copy propagation removes the mov) */
    ir_ref g = x64_greg(dc, n);
    ir_ref t = x64_t64(dc);
    if (size == 8)
        ir_mov(dc->f, t, g);
    else
        ir_extract(dc->f, t, g, 0, 8 * size);
    return t;
}

void x64_set_gpr(struct x64_dc *dc, unsigned n, unsigned size, ir_ref v64)
{
    ir_ref g = x64_greg(dc, n);
    if (size == 8)
        ir_mov(dc->f, g, v64);
    else if (size == 4)
        ir_extract(dc->f, g, v64, 0, 32);
    else
        ir_deposit(dc->f, g, g, v64, 0, 8 * size);
}

ir_ref x64_get_reg(struct x64_dc *dc, unsigned reg)
{
    unsigned idx, size;
    bool high;
    if (!x64_reg_info(reg, &idx, &size, &high)) {
        ir_error(dc->f, "x64: register %u is not a GPR", reg);
        return x64_c64(dc, 0);
    }
    if (!high)
        return x64_get_gpr(dc, idx, size);
    ir_ref t = x64_t64(dc);
    ir_extract(dc->f, t, x64_greg(dc, idx), 8, 8);
    return t;
}

void x64_set_reg(struct x64_dc *dc, unsigned reg, ir_ref v64)
{
    unsigned idx, size;
    bool high;
    if (!x64_reg_info(reg, &idx, &size, &high)) {
        ir_error(dc->f, "x64: register %u is not a GPR", reg);
        return;
    }
    if (!high) {
        x64_set_gpr(dc, idx, size, v64);
        return;
    }
    ir_ref g = x64_greg(dc, idx);
    ir_deposit(dc->f, g, g, v64, 8, 8);
}

ir_ref x64_addr(struct x64_dc *dc, const cs_x86_op *op)
{
    struct ir_func *f = dc->f;
    const x86_op_mem *m = &op->mem;
    ir_ref a = x64_t64(dc);
    bool have = false;
    uint64_t disp = (uint64_t)m->disp;
    if (m->base == X86_REG_RIP) {
        disp += dc->next_pc;
    } else if (m->base != X86_REG_INVALID) {
        ir_mov(f, a, x64_get_reg(dc, m->base));
        have = true;
    }
    if (m->index != X86_REG_INVALID && m->index != X86_REG_RIZ && m->index != X86_REG_EIZ) {
        ir_ref i = x64_get_reg(dc, m->index);
        if (m->scale > 1) {
            ir_ref s = x64_t64(dc);
            ir_emit_1_2(f, IR_OP_shl, s, i, x64_c64(dc, (uint64_t)__builtin_ctz((unsigned)m->scale)));
            i = s;
        }
        if (have)
            ir_emit_1_2(f, IR_OP_add, a, a, i);
        else
            ir_mov(f, a, i);
        have = true;
    }
    if (!have)
        ir_movi(f, a, disp);
    else if (disp)
        ir_emit_1_2(f, IR_OP_add, a, a, x64_c64(dc, disp));
    if (dc->x->addr_size == 4)
        ir_extract(f, a, a, 0, 32);
    if (m->segment == X86_REG_FS || m->segment == X86_REG_GS) {
        ir_ref *g = m->segment == X86_REG_FS ? &dc->g_fs : &dc->g_gs;
        if (!*g)
            *g = ir_global(f, IR_I64,
                           m->segment == X86_REG_FS ? offsetof(struct x64_cpu, fs_base)
                                                    : offsetof(struct x64_cpu, gs_base),
                           m->segment == X86_REG_FS ? "fs_base" : "gs_base");
        ir_emit_1_2(f, IR_OP_add, a, a, *g);
    }
    return a;
}

ir_ref x64_ld(struct x64_dc *dc, ir_ref addr, unsigned size)
{
    ir_ref t = x64_t64(dc);
    ir_ld(dc->f, t, addr, (unsigned)__builtin_ctz(size) | x64_mmu_memop(dc->f->flags));
    return t;
}

void x64_st(struct x64_dc *dc, ir_ref addr, unsigned size, ir_ref v64)
{
    ir_st(dc->f, v64, addr, (unsigned)__builtin_ctz(size) | x64_mmu_memop(dc->f->flags));
}

ir_ref x64_read(struct x64_dc *dc, const cs_x86_op *op, ir_ref *addr)
{
    switch (op->type) {
    case X86_OP_REG:
        return x64_get_reg(dc, op->reg);
    case X86_OP_IMM:
        return x64_c64(dc, (uint64_t)op->imm & x64_mask(op->size ? op->size : 8));
    case X86_OP_MEM: {
        ir_ref a = x64_addr(dc, op);
        if (addr)
            *addr = a;
        return x64_ld(dc, a, op->size);
    }
    default:
        ir_error(dc->f, "x64: bad operand type %d", (int)op->type);
        return x64_c64(dc, 0);
    }
}

void x64_write(struct x64_dc *dc, const cs_x86_op *op, ir_ref addr, ir_ref v64)
{
    if (op->type == X86_OP_REG) {
        x64_set_reg(dc, op->reg, v64);
    } else if (op->type == X86_OP_MEM) {
        if (addr == IR_NONE)
            addr = x64_addr(dc, op);
        x64_st(dc, addr, op->size, v64);
    } else {
        ir_error(dc->f, "x64: write to operand type %d", (int)op->type);
    }
}

ir_ref x64_sext(struct x64_dc *dc, ir_ref v, unsigned size)
{
    if (size == 8)
        return v;
    ir_ref t = x64_t64(dc);
    ir_sextract(dc->f, t, v, 0, 8 * size);
    return t;
}

ir_ref x64_trunc_size(struct x64_dc *dc, ir_ref v, unsigned size)
{
    if (size == 8)
        return v;
    ir_ref t = x64_t64(dc);
    ir_extract(dc->f, t, v, 0, 8 * size);
    return t;
}

/* ---- flags ---------------------------------------------------------------- */

/* PF, AF, ZF, SF and OF are kept in a raw form that costs one move to set (see
 * struct x64_cpu): PF's global holds a value whose low byte has PF's parity
 * (PF = 1 when that byte has an even number of ones), AF's a value whose
 * bit 4 is AF, ZF's one that is zero exactly when ZF = 1, SF's and OF's
 * ones whose bit 31 is the flag.  The helpers below convert from and to
 * 0/1. */
static void x64_set_flag_e(struct x64_dc *dc, enum x64_flag fl, ir_ref v32)
{
    if (fl == X64_PF)
        ir_emit_1_2(dc->f, IR_OP_xor, x64_flag_g(dc, fl), v32, x64_c32(dc, 1));
    else if (fl == X64_AF)
        ir_emit_1_2(dc->f, IR_OP_shl, x64_flag_g(dc, fl), v32, x64_c32(dc, 4));
    else if (fl == X64_SF || fl == X64_OF)
        ir_emit_1_2(dc->f, IR_OP_shl, x64_flag_g(dc, fl), v32, x64_c32(dc, 31));
    else if (fl == X64_ZF)
        ir_emit_1_2(dc->f, IR_OP_xor, x64_flag_g(dc, fl), v32, x64_c32(dc, 1));
    else
        ir_mov(dc->f, x64_flag_g(dc, fl), v32);
}

static void x64_set_flag_ce(struct x64_dc *dc, enum x64_flag fl, unsigned v)
{
    if (fl == X64_PF || fl == X64_ZF)
        v = (v & 1) ^ 1;
    else if (fl == X64_AF)
        v = (v & 1) << 4;
    else if (fl == X64_SF || fl == X64_OF)
        v = (v & 1) << 31;
    ir_movi(dc->f, x64_flag_g(dc, fl), v);
}

static ir_ref x64_get_flag_e(struct x64_dc *dc, enum x64_flag fl)
{
    struct ir_func *f = dc->f;
    if (fl == X64_AF || fl == X64_SF || fl == X64_OF) {
        ir_ref t = x64_t32(dc);
        ir_extract(f, t, x64_flag_g(dc, fl), fl == X64_AF ? 4 : 31, 1);
        return t;
    }
    if (fl == X64_ZF) {
        ir_ref t = x64_t32(dc);
        ir_setcond(f, IR_COND_eq, t, x64_flag_g(dc, fl), x64_c32(dc, 0));
        return t;
    }
    if (fl != X64_PF)
        return x64_flag_g(dc, fl);
    ir_ref lo = x64_t32(dc), p = x64_t32(dc);
    ir_extract(f, lo, x64_flag_g(dc, fl), 0, 8);
    ir_emit_1_1(f, IR_OP_popcnt, p, lo);
    ir_emit_1_2(f, IR_OP_and, p, p, x64_c32(dc, 1));
    ir_emit_1_2(f, IR_OP_xor, p, p, x64_c32(dc, 1));
    return p;
}

/* Bit `pos` of an i64 as an i32 0/1. */
static ir_ref x64_bit32(struct x64_dc *dc, ir_ref v64, unsigned pos)
{
    ir_ref b = x64_t64(dc), t = x64_t32(dc);
    ir_extract(dc->f, b, v64, pos, 1);
    ir_emit_1_1(dc->f, IR_OP_trunc, t, b);
    return t;
}

/* Raw SF/OF: bit 8*size-1 of v64 moved to bit 31 of the flag global. */
static void x64_set_bit31_flag(struct x64_dc *dc, enum x64_flag fl, unsigned size, ir_ref v64)
{
    struct ir_func *f = dc->f;
    if (size == 4) {
        ir_emit_1_1(f, IR_OP_trunc, x64_flag_g(dc, fl), v64);
        return;
    }
    ir_ref t = x64_t64(dc);
    if (size == 8)
        ir_emit_1_2(f, IR_OP_shr, t, v64, x64_c64(dc, 32));
    else
        ir_emit_1_2(f, IR_OP_shl, t, v64, x64_c64(dc, 32 - 8 * size));
    ir_emit_1_1(f, IR_OP_trunc, x64_flag_g(dc, fl), t);
}

static void x64_set_szp_e(struct x64_dc *dc, unsigned size, ir_ref res)
{
    struct ir_func *f = dc->f;
    /* ZF (raw): the result (nonzero exactly when ZF = 0) */
    if (size == 8)
        x64_setcond32(dc, IR_COND_ne, x64_flag_g(dc, X64_ZF), res, x64_c64(dc, 0));
    else
        ir_emit_1_1(f, IR_OP_trunc, x64_flag_g(dc, X64_ZF),
                    size == 4 ? res : x64_trunc_size(dc, res, size));
    x64_set_bit31_flag(dc, X64_SF, size, res); /* SF (raw): the sign bit */
    /* PF (raw): the low byte of the result */
    ir_emit_1_1(f, IR_OP_trunc, x64_flag_g(dc, X64_PF), res);
}

static void x64_flags_addsub_e(struct x64_dc *dc, unsigned size, bool sub, ir_ref a, ir_ref b,
                               ir_ref cin, ir_ref res)
{
    struct ir_func *f = dc->f;
    unsigned w = 8 * size;
    /* CF: carry/borrow out of bit w-1 */
    if (size == 8) {
        ir_ref c = x64_t64(dc);
        ir_ref ci = cin == IR_NONE ? x64_c64(dc, 0) : cin;
        ir_emit(f, sub ? IR_OP_subb : IR_OP_addc, (ir_ref[]){c, a, b, ci}, 4, NULL, 0);
        ir_emit_1_1(f, IR_OP_trunc, x64_flag_g(dc, X64_CF), c);
    } else {
        /* a, b < 2^w: bit w of the 64-bit sum/difference is the carry/borrow */
        x64_set_flag_e(dc, X64_CF, x64_bit32(dc, res, w));
    }
    /* OF: add: (a ^ res) & (b ^ res); sub: (a ^ b) & (a ^ res); sign bit */
    ir_ref t1 = x64_t64(dc), t2 = x64_t64(dc);
    ir_emit_1_2(f, IR_OP_xor, t1, a, res);
    ir_emit_1_2(f, IR_OP_xor, t2, sub ? a : b, sub ? b : res);
    ir_emit_1_2(f, IR_OP_and, t1, t1, t2);
    x64_set_bit31_flag(dc, X64_OF, size, t1); /* raw: bit w-1 of t1 */
    /* AF: carry/borrow out of bit 3 */
    ir_ref t3 = x64_t64(dc);
    ir_emit_1_2(f, IR_OP_xor, t3, a, b);
    ir_emit_1_2(f, IR_OP_xor, t3, t3, res);
    ir_emit_1_1(f, IR_OP_trunc, x64_flag_g(dc, X64_AF), t3); /* raw: bit 4 */
    x64_set_szp_e(dc, size, res);
}

static void x64_flags_logic_e(struct x64_dc *dc, unsigned size, ir_ref res)
{
    x64_set_flag_ce(dc, X64_CF, 0);
    x64_set_flag_ce(dc, X64_OF, 0);
    x64_set_flag_ce(dc, X64_AF, 0);
    x64_set_szp_e(dc, size, res);
}

static ir_ref x64_cond_e(struct x64_dc *dc, unsigned cc)
{
    struct ir_func *f = dc->f;
    ir_ref t = x64_t32(dc);
    if (cc >> 1 == 2) { /* E / NE straight from the raw ZF */
        ir_setcond(f, cc & 1 ? IR_COND_ne : IR_COND_eq, t, x64_flag_g(dc, X64_ZF), x64_c32(dc, 0));
        return t;
    }
    switch (cc >> 1) {
    case 0: ir_mov(f, t, x64_get_flag_e(dc, X64_OF)); break;
    case 1: ir_mov(f, t, x64_flag_g(dc, X64_CF)); break;
    case 2: ir_mov(f, t, x64_get_flag_e(dc, X64_ZF)); break;
    case 3: ir_emit_1_2(f, IR_OP_or, t, x64_flag_g(dc, X64_CF), x64_get_flag_e(dc, X64_ZF)); break;
    case 4: ir_mov(f, t, x64_get_flag_e(dc, X64_SF)); break;
    case 5: ir_mov(f, t, x64_get_flag_e(dc, X64_PF)); break;
    case 6: /* SF != OF: bit 31 of the raw forms' xor */
        ir_emit_1_2(f, IR_OP_xor, t, x64_flag_g(dc, X64_SF), x64_flag_g(dc, X64_OF));
        ir_extract(f, t, t, 31, 1);
        break;
    default:
        ir_emit_1_2(f, IR_OP_xor, t, x64_flag_g(dc, X64_SF), x64_flag_g(dc, X64_OF));
        ir_extract(f, t, t, 31, 1);
        ir_emit_1_2(f, IR_OP_or, t, t, x64_get_flag_e(dc, X64_ZF));
        break;
    }
    if (cc & 1)
        ir_emit_1_2(f, IR_OP_xor, t, t, x64_c32(dc, 1));
    return t;
}

/* ---- lazy flags ----------------------------------------------------------- */

/* ADD/SUB/CMP and the logic ops leave (kind, size, operands, result) in the
 * cc_* globals instead of computing six flags (struct x64_cpu); Jcc/SETcc/
 * CMOVcc later in the block fold the common conditions straight from the
 * operands, anything else makes the flag globals current first. */

static ir_ref x64_cc_g(struct x64_dc *dc, ir_ref *slot, enum ir_type t, size_t off, const char *name)
{
    if (!*slot)
        *slot = ir_global(dc->f, t, off, name);
    return *slot;
}
static ir_ref x64_cc_op(struct x64_dc *dc)
{
    return x64_cc_g(dc, &dc->g_cc_op, IR_I32, X64_OFF_CC_OP, "cc_op");
}
static ir_ref x64_cc_a(struct x64_dc *dc)
{
    return x64_cc_g(dc, &dc->g_cc_a, IR_I64, X64_OFF_CC_A, "cc_a");
}
static ir_ref x64_cc_b(struct x64_dc *dc)
{
    return x64_cc_g(dc, &dc->g_cc_b, IR_I64, X64_OFF_CC_B, "cc_b");
}
static ir_ref x64_cc_res(struct x64_dc *dc)
{
    return x64_cc_g(dc, &dc->g_cc_res, IR_I64, X64_OFF_CC_RES, "cc_res");
}

/* Run-time materialization for a block entered with unknown flag state:
 * flags[] and cc_op only.  (Globals are written back and reloaded around it:
 * the interpreter backend keeps globals it has loaded.) */
static void x64_helper_flags_sync(struct x64_cpu *cpu)
{
    uint64_t r = x64_get_rflags(cpu);
    cpu->flags[X64_CF] = r & 1;
    cpu->flags[X64_PF] = ((r >> 2) & 1) ^ 1;
    cpu->flags[X64_AF] = r & X64_RFLAGS_AF;
    cpu->flags[X64_ZF] = ((r >> 6) & 1) ^ 1;
    cpu->flags[X64_SF] = (uint32_t)((r >> 7) & 1) << 31;
    cpu->flags[X64_OF] = (uint32_t)((r >> 11) & 1) << 31;
    cpu->cc_op = X64_CC_EAGER;
}
static const struct ir_helper x64_flags_sync_helper = {
    .name = "x64_flags_sync",
    .fn = (void *)x64_helper_flags_sync,
    .ret = IR_VOID,
    .nargs = 0,
    .flags = IR_HF_ENV | IR_HF_READS_GLOBALS | IR_HF_WRITES_GLOBALS | IR_HF_SIDE,
};

/* The flag globals from the pending lazy op (translation-time kind). */
static void x64_flags_lazy_eager(struct x64_dc *dc)
{
    unsigned size = dc->cc_size, w = 8 * size;
    ir_ref a = x64_cc_a(dc), res = x64_cc_res(dc);
    switch (dc->cc_kind) {
    case X64_CC_LOGIC:
        x64_flags_logic_e(dc, size, res);
        return;
    case X64_CC_ADD:
    case X64_CC_SUB:
        x64_flags_addsub_e(dc, size, dc->cc_kind == X64_CC_SUB, a, x64_cc_b(dc), IR_NONE, res);
        return;
    case X64_CC_SHL: {
        ir_ref cf = x64_bit32(dc, a, w - 1), of = x64_bit32(dc, res, w - 1);
        ir_emit_1_2(dc->f, IR_OP_xor, of, of, cf);
        x64_set_flag_e(dc, X64_CF, cf);
        x64_set_flag_e(dc, X64_OF, of);
        break;
    }
    case X64_CC_SHR:
        x64_set_flag_e(dc, X64_CF, x64_bit32(dc, a, 0));
        x64_set_flag_e(dc, X64_OF, x64_bit32(dc, x64_cc_b(dc), w - 1));
        break;
    case X64_CC_SAR:
        x64_set_flag_e(dc, X64_CF, x64_bit32(dc, a, 0));
        x64_set_flag_ce(dc, X64_OF, 0);
        break;
    case X64_CC_INC:
    case X64_CC_DEC: {
        ir_ref c = x64_t32(dc);
        x64_flags_addsub_e(dc, size, dc->cc_kind == X64_CC_DEC, a, x64_c64(dc, 1), IR_NONE, res);
        ir_emit_1_1(dc->f, IR_OP_trunc, c, x64_cc_b(dc));
        x64_set_flag_e(dc, X64_CF, c);
        return;
    }
    case X64_CC_ROT: {
        ir_ref o = x64_t32(dc);
        x64_set_flag_e(dc, X64_CF, x64_bit32(dc, a, 0));
        x64_set_flag_e(dc, X64_OF, x64_bit32(dc, a, 1));
        ir_emit_1_1(dc->f, IR_OP_trunc, o, x64_cc_b(dc));
        ir_mov(dc->f, x64_flag_g(dc, X64_AF), o); /* raw: bit 4 */
        x64_set_szp_e(dc, size, res);
        return;
    }
    default: { /* X64_CC_MUL */
        ir_ref o = x64_t32(dc);
        ir_emit_1_1(dc->f, IR_OP_trunc, o, a);
        x64_set_flag_e(dc, X64_CF, o);
        x64_set_flag_e(dc, X64_OF, o);
        break;
    }
    }
    x64_set_flag_ce(dc, X64_AF, 0);
    x64_set_szp_e(dc, size, res);
}

void x64_flags_materialize(struct x64_dc *dc)
{
    struct ir_func *f = dc->f;
    if (dc->cc_state == X64_CCS_EAGER)
        return;
    if (dc->cc_state == X64_CCS_LAZY) {
        dc->cc_state = X64_CCS_EAGER;
        x64_flags_lazy_eager(dc);
        ir_movi(f, x64_cc_op(dc), X64_CC_EAGER);
        return;
    }
    dc->cc_state = X64_CCS_EAGER;
    int id = x64_helper(dc, &x64_flags_sync_helper);
    if (id < 0)
        return;
    uint32_t l = ir_new_label(f);
    ir_brcond(f, IR_COND_eq, x64_cc_op(dc), x64_c32(dc, X64_CC_EAGER), l);
    ir_call(f, id, IR_NONE, NULL);
    ir_set_label(f, l);
}

ir_ref x64_flag(struct x64_dc *dc, enum x64_flag fl)
{
    x64_flags_materialize(dc);
    return x64_flag_g(dc, fl);
}

void x64_set_flag(struct x64_dc *dc, enum x64_flag fl, ir_ref v32)
{
    x64_flags_materialize(dc);
    x64_set_flag_e(dc, fl, v32);
}

void x64_set_flag_c(struct x64_dc *dc, enum x64_flag fl, unsigned v)
{
    x64_flags_materialize(dc);
    x64_set_flag_ce(dc, fl, v);
}

ir_ref x64_get_flag(struct x64_dc *dc, enum x64_flag fl)
{
    x64_flags_materialize(dc);
    return x64_get_flag_e(dc, fl);
}

void x64_set_szp(struct x64_dc *dc, unsigned size, ir_ref res)
{
    x64_flags_materialize(dc);
    x64_set_szp_e(dc, size, res);
}

void x64_flags_lazy(struct x64_dc *dc, unsigned kind, unsigned size, ir_ref a, ir_ref b, ir_ref res)
{
    struct ir_func *f = dc->f;
    if (a != IR_NONE)
        ir_mov(f, x64_cc_a(dc), a);
    if (b != IR_NONE)
        ir_mov(f, x64_cc_b(dc), b);
    ir_mov(f, x64_cc_res(dc), res);
    ir_movi(f, x64_cc_op(dc), (uint64_t)kind | (uint64_t)size << 4);
    dc->cc_state = X64_CCS_LAZY;
    dc->cc_kind = kind;
    dc->cc_size = size;
}

void x64_flags_addsub(struct x64_dc *dc, unsigned size, bool sub, ir_ref a, ir_ref b, ir_ref cin,
                      ir_ref res)
{
    if (dc->cc_lazy_ok && cin == IR_NONE) {
        x64_flags_lazy(dc, sub ? X64_CC_SUB : X64_CC_ADD, size, a, b, res);
        return;
    }
    x64_flags_materialize(dc);
    x64_flags_addsub_e(dc, size, sub, a, b, cin, res);
}

void x64_flags_logic(struct x64_dc *dc, unsigned size, ir_ref res)
{
    if (dc->cc_lazy_ok) {
        x64_flags_lazy(dc, X64_CC_LOGIC, size, IR_NONE, IR_NONE, res);
        return;
    }
    x64_flags_materialize(dc);
    x64_flags_logic_e(dc, size, res);
}

ir_ref x64_flags_cf64(struct x64_dc *dc)
{
    struct ir_func *f = dc->f;
    ir_ref t = x64_t64(dc);
    if (dc->cc_state != X64_CCS_LAZY) {
        ir_emit_1_1(f, IR_OP_zext, t, x64_flag(dc, X64_CF));
        return t;
    }
    unsigned w = 8 * dc->cc_size;
    ir_ref a = x64_cc_a(dc), res = x64_cc_res(dc);
    switch (dc->cc_kind) {
    case X64_CC_ADD:
    case X64_CC_SUB:
        if (w == 64) {
            bool add = dc->cc_kind == X64_CC_ADD;
            ir_setcond(f, IR_COND_ltu, t, add ? res : a, add ? a : x64_cc_b(dc));
        } else {
            ir_extract(f, t, res, w, 1);
        }
        break;
    case X64_CC_LOGIC: ir_movi(f, t, 0); break;
    case X64_CC_SHL: ir_extract(f, t, a, w - 1, 1); break;
    case X64_CC_INC:
    case X64_CC_DEC: ir_mov(f, t, x64_cc_b(dc)); break;
    default: ir_extract(f, t, a, 0, 1); break; /* SHR SAR MUL ROT */
    }
    return t;
}

bool x64_flags_lazy_rot(struct x64_dc *dc, ir_ref cf, ir_ref of)
{
    struct ir_func *f = dc->f;
    if (!dc->cc_lazy_ok || dc->cc_state != X64_CCS_LAZY)
        return false;
    if (dc->cc_kind != X64_CC_ROT) {
        /* keep the earlier op's AF (raw, bit 4) in cc_b */
        if (dc->cc_kind == X64_CC_ADD || dc->cc_kind == X64_CC_SUB || dc->cc_kind == X64_CC_INC ||
            dc->cc_kind == X64_CC_DEC) {
            bool incdec = dc->cc_kind == X64_CC_INC || dc->cc_kind == X64_CC_DEC;
            ir_ref t = x64_t64(dc);
            ir_emit_1_2(f, IR_OP_xor, t, x64_cc_a(dc), incdec ? x64_c64(dc, 1) : x64_cc_b(dc));
            ir_emit_1_2(f, IR_OP_xor, x64_cc_b(dc), t, x64_cc_res(dc));
        } else {
            ir_movi(f, x64_cc_b(dc), 0);
        }
    }
    ir_ref c = x64_t32(dc), p = x64_t64(dc);
    ir_emit_1_2(f, IR_OP_shl, c, of, x64_c32(dc, 1));
    ir_emit_1_2(f, IR_OP_or, c, c, cf);
    ir_emit_1_1(f, IR_OP_zext, p, c);
    ir_mov(f, x64_cc_a(dc), p);
    ir_movi(f, x64_cc_op(dc), (uint64_t)X64_CC_ROT | (uint64_t)dc->cc_size << 4);
    dc->cc_kind = X64_CC_ROT;
    return true;
}

/* Condition cc folded from a pending lazy op, or IR_NONE if it does not fold. */
static ir_ref x64_cond_lazy(struct x64_dc *dc, unsigned cc)
{
    struct ir_func *f = dc->f;
    unsigned size = dc->cc_size;
    ir_ref t = x64_t32(dc);
    bool inv = cc & 1;
    switch (cc >> 1) {
    case 2: /* E / NE: the truncated result is zero */
        x64_setcond32(dc, inv ? IR_COND_ne : IR_COND_eq, t,
                      x64_trunc_size(dc, x64_cc_res(dc), size), x64_c64(dc, 0));
        return t;
    case 4: { /* S / NS: the sign bit of the result */
        ir_ref b = x64_t64(dc);
        ir_extract(f, b, x64_cc_res(dc), 8 * size - 1, 1);
        x64_setcond32(dc, inv ? IR_COND_eq : IR_COND_ne, t, b, x64_c64(dc, 0));
        return t;
    }
    default:
        break;
    }
    if (dc->cc_kind != X64_CC_SUB)
        return IR_NONE;
    ir_ref a = x64_cc_a(dc), b = x64_cc_b(dc);
    switch (cc >> 1) {
    case 1: /* B / AE */
        x64_setcond32(dc, inv ? IR_COND_geu : IR_COND_ltu, t, a, b);
        return t;
    case 3: /* BE / A */
        x64_setcond32(dc, inv ? IR_COND_gtu : IR_COND_leu, t, a, b);
        return t;
    case 6: /* L / GE */
    case 7: /* LE / G */
        if (size < 8) {
            a = x64_sext(dc, a, size);
            b = x64_sext(dc, b, size);
        }
        if (cc >> 1 == 6)
            x64_setcond32(dc, inv ? IR_COND_ge : IR_COND_lt, t, a, b);
        else
            x64_setcond32(dc, inv ? IR_COND_gt : IR_COND_le, t, a, b);
        return t;
    default:
        return IR_NONE;
    }
}

ir_ref x64_cond(struct x64_dc *dc, unsigned cc)
{
    if (dc->cc_state == X64_CCS_LAZY) {
        ir_ref t = x64_cond_lazy(dc, cc);
        if (t != IR_NONE)
            return t;
    }
    x64_flags_materialize(dc);
    return x64_cond_e(dc, cc);
}

unsigned x64_insn_cc(const struct x64_dc *dc)
{
    const uint8_t *op = dc->x->opcode;
    /* 0F 4x / 0F 8x / 0F 9x, or 7x (short Jcc) */
    return (op[0] == 0x0f ? op[1] : op[0]) & 0xf;
}

void x64_setcond32(struct x64_dc *dc, enum ir_cond cond, ir_ref d32, ir_ref a, ir_ref b)
{
    if (ir_val_type(dc->f, a) == IR_I32) {
        ir_setcond(dc->f, cond, d32, a, b);
        return;
    }
    ir_ref t = x64_t64(dc);
    ir_setcond(dc->f, cond, t, a, b);
    ir_emit_1_1(dc->f, IR_OP_trunc, d32, t);
}
