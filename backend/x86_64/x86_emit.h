/* x86-64 machine code emission: the two lower layers of the JIT.
 * Layer 1: named encodings (X86_OP_*, X86_CC_*, group sub-opcodes).
 * Layer 2: a handful of encoders; every REX/ModRM/SIB rule lives in one
 * function, x86_emit_modrm (x86_emit.c).  Per-op lowering (x86_lower.c) only
 * calls these and never writes raw bytes. */
#ifndef FERRY_X86_EMIT_H
#define FERRY_X86_EMIT_H

#include <stdbool.h>
#include <stdint.h>

enum x86_reg {
#define X86_REG(name, clobbered) X86_##name,
#include "x86_regs.def"
#undef X86_REG
    X86_NREGS
};
_Static_assert(X86_NREGS == 16, "x86_regs.def lists the 16 GPRs in encoding order");
extern const char *const x86_reg_names[X86_NREGS];
extern const bool x86_reg_call_clobbered[X86_NREGS];

#define X86_NO_REG (-1)

/* ---- layer 1: named encodings ----------------------------------------------
 * An opcode is the opcode byte plus prefix/escape flags; x86_emit_modrm turns
 * the flags into bytes in the architectural order
 * (66/F2/F3, REX, 0F [38], opcode). */
enum {
    X86_P_0F = 0x100,       /* two-byte opcode: 0F escape */
    X86_P_66 = 0x200,       /* operand-size prefix: 16-bit operation */
    X86_P_F3 = 0x400,       /* mandatory F3 prefix (popcnt) */
    X86_P_W = 0x800,        /* REX.W: 64-bit operand size */
    X86_P_BYTE_R = 0x1000,  /* the ModRM.reg operand is a byte register */
    X86_P_BYTE_RM = 0x2000, /* the ModRM.rm operand is a byte register */
};

enum x86_opcode {
    /* ALU, "Ev, Gv": rm op= reg / "Gv, Ev": reg op= rm */
    X86_OP_ADD_GvEv = 0x03,
    X86_OP_OR_GvEv = 0x0b,
    X86_OP_ADC_GvEv = 0x13,
    X86_OP_SBB_GvEv = 0x1b,
    X86_OP_AND_GvEv = 0x23,
    X86_OP_SUB_GvEv = 0x2b,
    X86_OP_XOR_GvEv = 0x33,
    X86_OP_CMP_GvEv = 0x3b,
    X86_OP_MOVSXD_GvEd = 0x63 | X86_P_W,
    X86_OP_IMUL_GvEvIz = 0x69,
    X86_OP_IMUL_GvEvIb = 0x6b,
    X86_OP_GRP1_EvIz = 0x81, /* X86_ARITH_* in ModRM.reg */
    X86_OP_GRP1_EvIb = 0x83,
    X86_OP_TEST_EvGv = 0x85,
    X86_OP_MOV_EbGb = 0x88 | X86_P_BYTE_R,
    X86_OP_MOV_EvGv = 0x89,
    X86_OP_MOV_GvEv = 0x8b,
    X86_OP_LEA_GvM = 0x8d,
    X86_OP_CQO = 0x99,       /* cdq without REX.W, cqo with */
    X86_OP_MOV_Iv = 0xb8,    /* + register number */
    X86_OP_GRP2_EvIb = 0xc1, /* X86_SHIFT_* in ModRM.reg */
    X86_OP_RET = 0xc3,
    X86_OP_MOV_EbIb = 0xc6,
    X86_OP_MOV_EvIz = 0xc7,
    X86_OP_GRP2_EvCL = 0xd3,
    X86_OP_CALL_rel32 = 0xe8,
    X86_OP_JMP_rel32 = 0xe9,
    X86_OP_JMP_rel8 = 0xeb,
    X86_OP_JCC_rel8 = 0x70, /* + X86_CC_* */
    X86_OP_STC = 0xf9,
    X86_OP_GRP3_Ev = 0xf7, /* X86_GRP3_* in ModRM.reg */
    X86_OP_GRP5_Ev = 0xff, /* X86_GRP5_* in ModRM.reg */
    X86_OP_PUSH_r = 0x50,  /* + register number */
    X86_OP_POP_r = 0x58,   /* + register number */
    X86_OP_NOP = 0x90,
    X86_OP_CMOVCC_GvEv = 0x40 | X86_P_0F,              /* + X86_CC_* */
    X86_OP_JCC_rel32 = 0x80 | X86_P_0F,                /* + X86_CC_* */
    X86_OP_SETCC_Eb = 0x90 | X86_P_0F | X86_P_BYTE_RM, /* + X86_CC_* */
    X86_OP_FENCE = 0xae | X86_P_0F,                    /* ModRM 0xf0 = mfence */
    X86_OP_IMUL_GvEv = 0xaf | X86_P_0F,
    X86_OP_MOVZX_GvEb = 0xb6 | X86_P_0F | X86_P_BYTE_RM,
    X86_OP_MOVZX_GvEw = 0xb7 | X86_P_0F,
    X86_OP_POPCNT_GvEv = 0xb8 | X86_P_0F | X86_P_F3,
    X86_OP_GRP8_EvIb = 0xba | X86_P_0F, /* bt with /4 */
    X86_OP_BSF_GvEv = 0xbc | X86_P_0F,
    X86_OP_BSR_GvEv = 0xbd | X86_P_0F,
    X86_OP_MOVSX_GvEb = 0xbe | X86_P_0F | X86_P_BYTE_RM,
    X86_OP_MOVSX_GvEw = 0xbf | X86_P_0F,
    X86_OP_BSWAP_r = 0xc8 | X86_P_0F, /* + register number */
};

/* Group 1 (0x81/0x83) sub-opcodes; also the "Gv, Ev" opcode is 8*op + 3. */
enum x86_arith {
    X86_ARITH_ADD = 0,
    X86_ARITH_OR = 1,
    X86_ARITH_ADC = 2,
    X86_ARITH_SBB = 3,
    X86_ARITH_AND = 4,
    X86_ARITH_SUB = 5,
    X86_ARITH_XOR = 6,
    X86_ARITH_CMP = 7
};
/* Group 2 (shifts, rotates) sub-opcodes. */
enum x86_shift {
    X86_SHIFT_ROL = 0,
    X86_SHIFT_ROR = 1,
    X86_SHIFT_SHL = 4,
    X86_SHIFT_SHR = 5,
    X86_SHIFT_SAR = 7
};
/* Group 3 (0xf7) sub-opcodes. */
enum x86_grp3 {
    X86_GRP3_NOT = 2,
    X86_GRP3_NEG = 3,
    X86_GRP3_MUL = 4,
    X86_GRP3_IMUL = 5,
    X86_GRP3_DIV = 6,
    X86_GRP3_IDIV = 7
};
/* Group 5 (0xff) sub-opcodes. */
enum x86_grp5 { X86_GRP5_CALL = 2, X86_GRP5_JMP = 4 };
enum { X86_GRP8_BT = 4, X86_FENCE_MFENCE = 6 };

/* Condition codes (low nibble of jcc/setcc/cmovcc). */
enum x86_cc {
    X86_CC_O = 0x0,
    X86_CC_NO = 0x1,
    X86_CC_B = 0x2,
    X86_CC_AE = 0x3,
    X86_CC_E = 0x4,
    X86_CC_NE = 0x5,
    X86_CC_BE = 0x6,
    X86_CC_A = 0x7,
    X86_CC_S = 0x8,
    X86_CC_NS = 0x9,
    X86_CC_L = 0xc,
    X86_CC_GE = 0xd,
    X86_CC_LE = 0xe,
    X86_CC_G = 0xf,
};

/* ---- the output buffer ------------------------------------------------------ */

/* Writes past `cap` are dropped and set `overflow`; the caller checks once. */
struct x86_buf {
    uint8_t *p;   /* writable view */
    uint32_t pos; /* bytes written */
    uint32_t cap;
    bool overflow;
};

static inline void x86_byte(struct x86_buf *b, unsigned v)
{
    if (b->pos < b->cap)
        b->p[b->pos] = (uint8_t)v;
    else
        b->overflow = true;
    b->pos++;
}
void x86_imm8(struct x86_buf *b, int32_t v);
void x86_imm16(struct x86_buf *b, uint32_t v);
void x86_imm32(struct x86_buf *b, uint32_t v);
void x86_imm64(struct x86_buf *b, uint64_t v);
/* Rewrite the 32-bit field at `at` (already emitted). */
void x86_patch32(struct x86_buf *b, uint32_t at, uint32_t v);
void x86_patch8(struct x86_buf *b, uint32_t at, uint8_t v);

/* ---- layer 2: encoders ------------------------------------------------------ */

/* Memory operand [base + index*scale + disp]; index X86_NO_REG for none.
 * base must be a register (no RIP-relative or absolute forms are needed). */
struct x86_mem {
    int8_t base, index;
    uint8_t scale; /* 1, 2, 4, 8 */
    int32_t disp;
};
static inline struct x86_mem x86_mem_bd(int base, int32_t disp)
{
    return (struct x86_mem){(int8_t)base, X86_NO_REG, 1, disp};
}
static inline struct x86_mem x86_mem_bid(int base, int index, int32_t disp)
{
    return (struct x86_mem){(int8_t)base, (int8_t)index, 1, disp};
}

/* The one place that knows REX/ModRM/SIB: opcode `opc` with ModRM.reg = r
 * (a register or a group sub-opcode) and ModRM.rm a register (mem NULL,
 * register rm) or the memory operand *mem. */
void x86_emit_modrm(struct x86_buf *b, uint32_t opc, int r, int rm, const struct x86_mem *mem);

static inline void x86_op_rr(struct x86_buf *b, uint32_t opc, int r, int rm)
{
    x86_emit_modrm(b, opc, r, rm, 0);
}
static inline void x86_op_rm(struct x86_buf *b, uint32_t opc, int r, struct x86_mem m)
{
    x86_emit_modrm(b, opc, r, X86_NO_REG, &m);
}
/* Opcode + register in the low three bits (push, pop, bswap, mov r, imm). */
void x86_op_plus_r(struct x86_buf *b, uint32_t opc, int reg);
/* Opcode bytes only (ret, cqo, stc, nop). */
void x86_op_plain(struct x86_buf *b, uint32_t opc);

/* Composite encoders choosing the shortest form. */
static inline uint32_t x86_w(bool is64) { return is64 ? X86_P_W : 0; }
/* op reg, rm-reg ("Gv, Ev" form, reg op= rm). */
void x86_arith_rr(struct x86_buf *b, enum x86_arith op, bool is64, int reg, int rm);
/* op reg, imm (imm8 form when it fits; imm sign-extended to 64 bits). */
void x86_arith_ri(struct x86_buf *b, enum x86_arith op, bool is64, int reg, int32_t imm);
void x86_arith_mi(struct x86_buf *b, enum x86_arith op, bool is64, struct x86_mem m, int32_t imm);
/* mov reg, imm64: xor-free shortest form (never touches flags). */
void x86_mov_ri(struct x86_buf *b, int reg, uint64_t v);
void x86_mov_rr(struct x86_buf *b, bool is64, int dst, int src);
void x86_shift_ri(struct x86_buf *b, enum x86_shift op, bool is64, int reg, unsigned count);
void x86_shift_rcl(struct x86_buf *b, enum x86_shift op, bool is64, int reg);
void x86_grp3(struct x86_buf *b, enum x86_grp3 op, bool is64, int reg);
/* Loads/stores of `size` bytes (1, 2, 4, 8) between a register and memory;
 * loads zero-extend (sign-extend with `sign`) into 64 bits (the 32-bit
 * destination form is used wherever it gives the same value). */
void x86_load(struct x86_buf *b, int reg, struct x86_mem m, unsigned size, bool sign, bool to64);
void x86_store(struct x86_buf *b, int reg, struct x86_mem m, unsigned size);
void x86_store_imm(struct x86_buf *b, struct x86_mem m, unsigned size, int32_t imm);
/* Jumps: emit with a zero displacement, returning the position of the
 * displacement field; x86_link fixes it to `target` (a buffer position). */
uint32_t x86_jcc32(struct x86_buf *b, enum x86_cc cc);
uint32_t x86_jmp32(struct x86_buf *b);
uint32_t x86_jcc8(struct x86_buf *b, enum x86_cc cc);
uint32_t x86_jmp8(struct x86_buf *b);
void x86_link32(struct x86_buf *b, uint32_t at, uint32_t target);
void x86_link8(struct x86_buf *b, uint32_t at, uint32_t target); /* asserts range */
/* Pad with multi-byte nops until (pos + skew) % align == 0. */
void x86_align(struct x86_buf *b, unsigned align, unsigned skew);

#endif
