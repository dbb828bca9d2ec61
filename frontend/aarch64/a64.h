/* Internals of the A64 translator (frontend/aarch64): the per-instruction
 * translation context, the translator groups (one file each) and the operand
 * helpers they share (register access with XZR/SP, shifts, extends, NZCV). */
#ifndef FERRY_A64_H
#define FERRY_A64_H

#include <stdbool.h>
#include <stdint.h>

#include "frontend/aarch64/a64_cpu.h"
#include "frontend/frontend.h"
#include "ir/ir.h"

/* What a translator reports for one instruction.  A translator that returns
 * A64_UNDEF or A64_UNIMP may already have emitted IR: the block loop drops
 * everything emitted for the instruction and emits the undefined-instruction
 * exit instead. */
enum a64_status {
    A64_OK = 0,  /* translated; the block continues with the next instruction */
    A64_END,     /* translated and the block ends here (terminator emitted) */
    A64_UNDEF,   /* unallocated / architecturally undefined: SIGILL */
    A64_UNIMP,   /* a valid instruction Ferry does not translate: SIGILL, and
                    reported once under -d unimp */
};

/* Translation state of one block / the current instruction. */
struct a64_dc {
    struct ir_func *f;
    struct frontend_ctx *ctx;
    uint64_t pc;   /* address of the current instruction */
    uint32_t insn; /* its encoding */
    unsigned ngoto_tb; /* goto_tb emitted so far (at most TB_MAX_JMP) */
    /* IR globals, created on first use (0 = not yet): x0..x30, sp; N Z C V. */
    ir_ref g_x[32];
    ir_ref g_flag[4];
    /* The last flag-setting operation of the block (a64_operand.c): a
     * condition read while nothing since has written the flags, its operands
     * or its result is computed from them (cmp + b.cond -> one brcond). */
    struct a64_flagsrc {
        uint8_t kind;  /* enum a64_fs_kind; A64_FS_NONE: nothing recorded */
        bool sf;       /* operand width */
        uint32_t end;  /* f->ninsns right after the flag writes */
        ir_ref a, b;   /* SUBS/ADDS operands */
        ir_ref res;    /* the result */
    } fs;
};

enum a64_fs_kind {
    A64_FS_NONE = 0,
    A64_FS_SUB,   /* SUBS/CMP res = a - b (no carry in) */
    A64_FS_ADD,   /* ADDS/CMN res = a + b (no carry in) */
    A64_FS_LOGIC, /* ANDS/BICS/TST: N, Z of res; C = V = 0 */
};

static inline uint32_t a64_bits(uint32_t insn, unsigned pos, unsigned len)
{
    return (insn >> pos) & ((1u << len) - 1u);
}
static inline int64_t a64_sbits(uint32_t insn, unsigned pos, unsigned len)
{
    uint64_t v = a64_bits(insn, pos, len);
    uint64_t m = 1ull << (len - 1);
    return (int64_t)((v ^ m) - m);
}
static inline bool a64_bit(uint32_t insn, unsigned pos) { return (insn >> pos) & 1u; }

/* ---- operand helpers (a64_operand.c) -------------------------------------- */

static inline enum ir_type a64_type(bool sf) { return sf ? IR_I64 : IR_I32; }
ir_ref a64_temp(struct a64_dc *dc, bool sf);
ir_ref a64_imm(struct a64_dc *dc, bool sf, uint64_t v);

/* The 64-bit register global Xn (n 0..30), or SP (n == 31). */
ir_ref a64_xreg(struct a64_dc *dc, unsigned n);
ir_ref a64_spreg(struct a64_dc *dc);
/* Source operand Wn/Xn (sf) where 31 is the zero register.  For 32-bit the
 * value is the low half as an i32. */
ir_ref a64_src(struct a64_dc *dc, unsigned n, bool sf);
/* Source operand Wn|WSP / Xn|SP where 31 is the stack pointer. */
ir_ref a64_src_sp(struct a64_dc *dc, unsigned n, bool sf);
/* 64-bit address base Xn|SP. */
static inline ir_ref a64_base(struct a64_dc *dc, unsigned n)
{
    return n == 31 ? a64_spreg(dc) : a64_xreg(dc, n);
}
/* Write Wd/Xd (31 = zero register: discarded).  A 32-bit value (i32) is
 * zero-extended into the X register. */
void a64_dst(struct a64_dc *dc, unsigned n, bool sf, ir_ref v);
/* Write Wd|WSP / Xd|SP (31 = SP). */
void a64_dst_sp(struct a64_dc *dc, unsigned n, bool sf, ir_ref v);
/* Convert between widths. */
ir_ref a64_trunc(struct a64_dc *dc, ir_ref v64);
ir_ref a64_zext(struct a64_dc *dc, ir_ref v32);

/* DecodeShift: LSL, LSR, ASR, ROR of v by a constant (0 = v itself). */
enum { A64_LSL = 0, A64_LSR = 1, A64_ASR = 2, A64_ROR = 3 };
ir_ref a64_shift_imm(struct a64_dc *dc, bool sf, ir_ref v, unsigned type, unsigned amount);
/* ExtendReg: UXTB..SXTX (option 0..7) of register n, then << shift (0..4);
 * result of width sf.  31 is the zero register. */
ir_ref a64_extend_reg(struct a64_dc *dc, bool sf, unsigned n, unsigned option, unsigned shift);
/* Extend a 64-bit value by option (used for addresses). */
ir_ref a64_extend64(struct a64_dc *dc, ir_ref v64, unsigned option, unsigned shift);

/* DecodeBitMasks of a logical immediate (immediate = true) or bitfield;
 * false for a reserved encoding (a64_dp_imm.c). */
bool a64_decode_bitmasks(unsigned n, unsigned imms, unsigned immr, bool immediate, unsigned width,
                         uint64_t *wmask, uint64_t *tmask);

/* ---- flags and conditions (a64_operand.c) --------------------------------- */

ir_ref a64_nf(struct a64_dc *dc);
ir_ref a64_zf(struct a64_dc *dc);
ir_ref a64_cf(struct a64_dc *dc);
ir_ref a64_vf(struct a64_dc *dc);
/* N and Z from a result of width sf (nf, zf = the result; see a64_cpu.h). */
void a64_set_nz(struct a64_dc *dc, bool sf, ir_ref res);
/* NZCV of a logical operation (ANDS, BICS, TST): N, Z of res; C = V = 0. */
void a64_set_nzcv_logic(struct a64_dc *dc, bool sf, ir_ref res);
/* d = a + b + cin (cin i32/i64 const or value of width sf, or IR_NONE for 0),
 * optionally setting NZCV.  Returns the result temp. */
ir_ref a64_add_flags(struct a64_dc *dc, bool sf, ir_ref a, ir_ref b, ir_ref cin, bool setflags);
/* d = a - b - (1 - cin) (cin IR_NONE means "carry set": plain subtraction),
 * optionally setting NZCV (C = NOT borrow). */
ir_ref a64_sub_flags(struct a64_dc *dc, bool sf, ir_ref a, ir_ref b, ir_ref cin, bool setflags);
/* The same with the four flags written to fl[0..3] (N, Z: i64 in the nf/zf
 * form of struct a64_cpu; C, V: i32 0/1; e.g. temps for CCMP), or not computed
 * when fl is NULL. */
ir_ref a64_addsub_to(struct a64_dc *dc, bool sf, bool sub, ir_ref a, ir_ref b, ir_ref cin,
                     const ir_ref fl[4]);
/* The carry flag as a value of width sf (ADC/SBC carry in). */
ir_ref a64_carry(struct a64_dc *dc, bool sf);
/* Set NZCV from a 4-bit constant (CCMP's #nzcv). */
void a64_set_nzcv_imm(struct a64_dc *dc, unsigned nzcv);
/* Set NZCV from a 4-bit value (i32, N = bit 3; FCMP, MSR NZCV). */
void a64_set_nzcv(struct a64_dc *dc, ir_ref nzcv);
/* NZCV as a 4-bit value (i32, N = bit 3; MRS NZCV). */
ir_ref a64_get_nzcv(struct a64_dc *dc);

/* A condition as an IR comparison: holds iff cond(a, b). */
struct a64_cmp {
    ir_ref a, b; /* both i32 or both i64 */
    enum ir_cond cond;
};
/* ConditionHolds(cond) for the 4-bit A64 condition code.  Right after a
 * compare in the same block it compares the compare's operands (i32 or i64);
 * otherwise it reads the flags. */
struct a64_cmp a64_cond(struct a64_dc *dc, unsigned cond);
/* The same comparison with i64 operands (for movcond.i64). */
struct a64_cmp a64_cmp_wide(struct a64_dc *dc, struct a64_cmp c);
/* The same comparison with i32 operands (for setcond.i32, movcond.i32). */
struct a64_cmp a64_cmp_narrow(struct a64_dc *dc, struct a64_cmp c);

/* ---- block endings (a64_translate.c) -------------------------------------- */

/* Direct jump to a constant pc (goto_tb; a goto_ptr to the constant when both
 * goto_tb slots of the block are used). */
void a64_goto(struct a64_dc *dc, uint64_t dest);
/* Indirect jump to a computed i64 pc. */
void a64_goto_reg(struct a64_dc *dc, ir_ref dest);
/* Leave the block with `reason` and cpu->pc = pc. */
void a64_exit(struct a64_dc *dc, enum ir_exit reason, uint64_t pc);
/* Store the current insn's pc in cpu->head.pc (before a helper that touches
 * guest memory, so a host fault inside it knows the guest pc). */
void a64_sync_pc(struct a64_dc *dc);

/* frontend_aarch64's callbacks (a64_translate.c). */
int a64_translate(void *opaque, struct ir_func *f, uint64_t pc, uint32_t flags, unsigned max_insns,
                  uint32_t *guest_size);
int a64_ctx_init(struct frontend_ctx *ctx);
void a64_ctx_fini(struct frontend_ctx *ctx);

/* The id of a helper (registering it if needed; registering is idempotent);
 * -1 sets the sticky error. */
int a64_helper(struct a64_dc *dc, const struct ir_helper *h);
/* Register each group's helpers up front (ctx_init), so that translation
 * never grows the registry.  0 or -1. */
int a64_dp_reg_register_helpers(void);
int a64_system_register_helpers(void);
int a64_atomic_register_helpers(void);

/* ---- translator groups ---------------------------------------------------- */

enum a64_status a64_tr_dp_imm(struct a64_dc *dc);   /* a64_dp_imm.c: op0 100x */
enum a64_status a64_tr_branch(struct a64_dc *dc);   /* a64_branch.c: op0 101x */
enum a64_status a64_tr_system(struct a64_dc *dc);   /* a64_system.c: 1101 0101 00 ... */
enum a64_status a64_tr_dp_reg(struct a64_dc *dc);   /* a64_dp_reg.c: op0 x101 */
enum a64_status a64_tr_ldst(struct a64_dc *dc);     /* a64_ldst.c: op0 x1x0 */
enum a64_status a64_tr_exclusive(struct a64_dc *dc); /* a64_atomic.c: xx00 1000 ... */
enum a64_status a64_tr_atomic(struct a64_dc *dc);   /* a64_atomic.c: LSE LDADD..SWP, LDAPR */

/* FP/SIMD hooks (owned by the FP/SIMD translator, a64_fp*.c / a64_simd*.c):
 * until a form is implemented they return A64_UNIMP (SIGILL + -d unimp).
 *   a64_tr_fpsimd_dp:   op0 x111 (scalar FP and Advanced SIMD data processing)
 *   a64_tr_simd_ldst:   Advanced SIMD load/store multiple/single structures
 *                       (LD1..LD4, ST1..ST4, LD1R.., bits 31,29:24 = 0 001100/001101)
 * Scalar LDR/STR/LDP/STP/LDUR/LDNP of B/H/S/D/Q registers (V=1) are done by
 * a64_ldst.c itself. */
enum a64_status a64_tr_fpsimd_dp(struct a64_dc *dc);
enum a64_status a64_tr_simd_ldst(struct a64_dc *dc);
/* The AT_HWCAP bits the FP/SIMD translator implements (FP, ASIMD, ...). */
uint64_t a64_fpsimd_hwcap(void);

#endif
