/* Internals of the x86-64 translator (frontend/x86_64): the per-instruction
 * translation context, the translator groups (one file each) and the operand
 * helpers they share (sized register access, addressing, flags, conditions). */
#ifndef FERRY_X64_H
#define FERRY_X64_H

#include <capstone/capstone.h>
#include <stdbool.h>
#include <stdint.h>

#include "frontend/frontend.h"
#include "frontend/x86_64/x64_cpu.h"
#include "ir/ir.h"

/* What a translator reports for one instruction.  On X64_UNDEF / X64_UNIMP
 * the block loop drops the IR emitted for the instruction and emits the
 * undefined-instruction exit instead. */
enum x64_status {
    X64_OK = 0, /* translated; the block continues */
    X64_END,    /* translated; a terminator was emitted */
    X64_UNDEF,  /* architecturally undefined: SIGILL / #UD */
    X64_UNIMP,  /* valid but not translated: SIGILL, reported under -d unimp */
    X64_NEXT,   /* not handled by this group: the dispatcher tries the next */
};

struct x64_priv;

/* Translation state of one block / the current instruction. */
struct x64_dc {
    struct ir_func *f;
    struct frontend_ctx *ctx;
    uint64_t pc;      /* address of the current instruction */
    uint64_t next_pc; /* address of the next one */
    const cs_insn *ci;
    const cs_x86 *x;  /* ci->detail->x86 */
    unsigned ngoto_tb;
    /* IR globals, created on first use (0 = not yet) */
    ir_ref g_reg[16];
    ir_ref g_flag[X64_NFLAGS];
    ir_ref g_df, g_fs, g_gs;
    ir_ref g_cc_op, g_cc_a, g_cc_b, g_cc_res;
    /* Lazy flags (x64_operand.c): what the translator knows of the flag
     * state at this point of the block (enum x64_cc_state), the pending
     * kind and size when lazy, and whether the current instruction may leave
     * the flags lazy (set per instruction by the block loop). */
    unsigned cc_state, cc_kind, cc_size;
    bool cc_lazy_ok;
    uint32_t flags; /* the block's cpu-mode flags (X64_HF_*; 0 = user mode) */
};

/* ---- operand helpers (x64_operand.c) -------------------------------------- */

ir_ref x64_t64(struct x64_dc *dc);
ir_ref x64_t32(struct x64_dc *dc);
ir_ref x64_c64(struct x64_dc *dc, uint64_t v);
ir_ref x64_c32(struct x64_dc *dc, uint32_t v);
static inline uint64_t x64_mask(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

/* The 64-bit global of GPR n / flag fl (i32) / DF (i32). */
ir_ref x64_greg(struct x64_dc *dc, unsigned n);
ir_ref x64_flag(struct x64_dc *dc, enum x64_flag fl);
ir_ref x64_df(struct x64_dc *dc);

/* Capstone register -> GPR number, size in bytes, AH..BH; false if it is not
 * a general-purpose register. */
bool x64_reg_info(unsigned reg, unsigned *idx, unsigned *size, bool *high);
/* Read a GPR (any size) zero-extended to an i64. */
ir_ref x64_get_reg(struct x64_dc *dc, unsigned reg);
/* Write a GPR: 64 and 32-bit writes replace (32 zero-extends), 8 and 16-bit
 * writes merge into the old value. */
void x64_set_reg(struct x64_dc *dc, unsigned reg, ir_ref v64);
/* The same by number and size (size 1 = low byte). */
ir_ref x64_get_gpr(struct x64_dc *dc, unsigned n, unsigned size);
void x64_set_gpr(struct x64_dc *dc, unsigned n, unsigned size, ir_ref v64);

/* Effective address of a memory operand (segment base, RIP-relative and the
 * 0x67 address-size prefix included) as an i64. */
ir_ref x64_addr(struct x64_dc *dc, const cs_x86_op *op);
/* Read an operand of any kind zero-extended to i64; for memory operands
 * *addr receives the address (may be NULL). */
ir_ref x64_read(struct x64_dc *dc, const cs_x86_op *op, ir_ref *addr);
/* Write an operand (register or memory at addr from x64_read, or IR_NONE to
 * compute it). */
void x64_write(struct x64_dc *dc, const cs_x86_op *op, ir_ref addr, ir_ref v64);
/* Guest memory of `size` bytes at addr, zero-extended / stored. */
ir_ref x64_ld(struct x64_dc *dc, ir_ref addr, unsigned size);
void x64_st(struct x64_dc *dc, ir_ref addr, unsigned size, ir_ref v64);
/* Sign-extend the low `size` bytes of v to i64. */
ir_ref x64_sext(struct x64_dc *dc, ir_ref v, unsigned size);
/* v & mask(size) into a new temp (v itself for size 8). */
ir_ref x64_trunc_size(struct x64_dc *dc, ir_ref v, unsigned size);

/* ---- flags and conditions (x64_operand.c) --------------------------------- */

/* Translation-time flag state: UNKNOWN at block entry (cpu->cc_op decides at
 * run time), EAGER (the flag globals are current, cc_op is X64_CC_EAGER),
 * LAZY (cc_op/cc_a/cc_b/cc_res globals hold dc->cc_kind/cc_size's operands). */
enum x64_cc_state { X64_CCS_UNKNOWN = 0, X64_CCS_EAGER, X64_CCS_LAZY };
/* Make the six flag globals current (no-op when EAGER).  x64_flag and every
 * flag helper below call it; the block loop calls it before each instruction
 * that is not known to deal with lazy flags. */
void x64_flags_materialize(struct x64_dc *dc);
/* Record a flag-writing op lazily (enum x64_cc_kind; a, b, res i64 as the
 * kind describes, IR_NONE when unused).  Only when dc->cc_lazy_ok. */
void x64_flags_lazy(struct x64_dc *dc, unsigned kind, unsigned size, ir_ref a, ir_ref b, ir_ref res);
/* ROL/ROR by a constant: record CF and OF (i32 0/1) on top of a pending lazy
 * op (X64_CC_ROT); false (nothing emitted) when the flags are not lazy. */
bool x64_flags_lazy_rot(struct x64_dc *dc, ir_ref cf, ir_ref of);
/* CF as an i64 0/1, from the lazy state when it is known (no materialization). */
ir_ref x64_flags_cf64(struct x64_dc *dc);

/* ZF SF PF from a result (only the low `size` bytes count). */
void x64_set_szp(struct x64_dc *dc, unsigned size, ir_ref res);
/* All six flags of res = a + b + cin (sub: a - b - cin); a, b zero-extended
 * i64 values of `size` bytes, res unmasked; cin an i64 0/1 or IR_NONE. */
void x64_flags_addsub(struct x64_dc *dc, unsigned size, bool sub, ir_ref a, ir_ref b, ir_ref cin,
                      ir_ref res);
/* CF = OF = AF = 0 and ZF SF PF from res (AND, OR, XOR, TEST). */
void x64_flags_logic(struct x64_dc *dc, unsigned size, ir_ref res);
/* Set one flag from an i32 0/1 value or a constant; read one as an i32 0/1
 * (PF and AF globals hold raw forms: always go through these for them). */
void x64_set_flag(struct x64_dc *dc, enum x64_flag fl, ir_ref v32);
void x64_set_flag_c(struct x64_dc *dc, enum x64_flag fl, unsigned v);
ir_ref x64_get_flag(struct x64_dc *dc, enum x64_flag fl);
/* d32 (i32 0/1) = cond(a, b) for i64 or i32 a, b. */
void x64_setcond32(struct x64_dc *dc, enum ir_cond cond, ir_ref d32, ir_ref a, ir_ref b);
/* Condition code cc (0..15, the low nibble of Jcc/SETcc/CMOVcc) as an i32 0/1. */
ir_ref x64_cond(struct x64_dc *dc, unsigned cc);
/* The condition nibble of the current Jcc/SETcc/CMOVcc (from its opcode). */
unsigned x64_insn_cc(const struct x64_dc *dc);

/* ---- block endings (x64_translate.c) -------------------------------------- */

void x64_goto(struct x64_dc *dc, uint64_t dest);
void x64_goto_reg(struct x64_dc *dc, ir_ref dest);
void x64_exit(struct x64_dc *dc, enum ir_exit reason, uint64_t pc);
/* Raise exception `vector` at the current instruction (IR_EXIT_exception). */
void x64_raise(struct x64_dc *dc, unsigned vector);
/* Register a helper; -1 sets the sticky error. */
int x64_helper(struct x64_dc *dc, const struct ir_helper *h);

int x64_translate(void *opaque, struct ir_func *f, uint64_t pc, uint32_t flags, unsigned max_insns,
                  uint32_t *guest_size);
int x64_ctx_init(struct frontend_ctx *ctx);
void x64_ctx_fini(struct frontend_ctx *ctx);

/* ---- translator groups: each returns X64_NEXT for instructions it does not
 * own ---------------------------------------------------------------------- */

enum x64_status x64_tr_alu(struct x64_dc *dc);     /* x64_alu.c */
enum x64_status x64_tr_shift(struct x64_dc *dc);   /* x64_shift.c */
enum x64_status x64_tr_muldiv(struct x64_dc *dc);  /* x64_muldiv.c */
enum x64_status x64_tr_bitops(struct x64_dc *dc);  /* x64_bitops.c */
enum x64_status x64_tr_movs(struct x64_dc *dc);    /* x64_movs.c */
enum x64_status x64_tr_stack(struct x64_dc *dc);   /* x64_stack.c */
enum x64_status x64_tr_branch(struct x64_dc *dc);  /* x64_branch.c */
enum x64_status x64_tr_string(struct x64_dc *dc);  /* x64_string.c */
enum x64_status x64_tr_misc(struct x64_dc *dc);    /* x64_misc.c */
/* SSE/SSE2 and the x87 control word (x64_sse*.c); tried before the others
 * because its operands (XMM) fail the GPR-only operand check. */
enum x64_status x64_tr_sse(struct x64_dc *dc);     /* x64_sse.c */
/* System mode only, tried first (x64_system.c): privileged and system
 * instructions, far transfers, port I/O, x87 set-up (x64_system_fpu.c). */
enum x64_status x64_tr_system(struct x64_dc *dc);
/* Raise `vector` with an error code; soft = INT n (resume after it). */
void x64_sys_raise(struct x64_dc *dc, unsigned vector, uint32_t error, bool soft);
int x64_system_register_helpers(void);
/* The system-mode x87 subset (x64_system_fpu.c), tried by x64_tr_system. */
enum x64_status x64_tr_x87(struct x64_dc *dc);
int x64_sys_fpu_register_helpers(void);

int x64_muldiv_register_helpers(void);
int x64_misc_register_helpers(void);
int x64_shift_register_helpers(void);
int x64_sse_register_helpers(void);

#endif
