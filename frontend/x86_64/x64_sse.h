/* Internals shared by the SSE/SSE2 translator files (x64_sse*.c): the
 * decoded form of a 0F-map instruction (mandatory prefix, opcode, ModRM
 * fields) and the XMM operand helpers built on ld_state/st_state. */
#ifndef FERRY_X64_SSE_H
#define FERRY_X64_SSE_H

#include "frontend/x86_64/x64.h"

/* One 0F xx instruction, decoded from its bytes (Capstone's ids fold the
 * CMPPS predicates and the mandatory prefixes in ways that are easier to
 * take from the encoding). */
struct x64_sse {
    unsigned pfx;   /* mandatory prefix: 0, 0x66, 0xf3 or 0xf2 */
    unsigned opc;   /* the byte after 0F */
    bool rexw;
    bool lock;      /* a LOCK prefix: #UD on every SSE instruction */
    unsigned reg;   /* ModRM.reg with REX.R: an XMM or GPR number */
    unsigned sub;   /* ModRM.reg without REX.R (the /n of group opcodes) */
    unsigned rm;    /* ModRM.rm with REX.B (register forms) */
    bool mem;       /* ModRM.mod != 3 */
    const cs_x86_op *mop; /* Capstone's memory operand (mem forms) */
    uint8_t imm;    /* the last byte (instructions with an imm8) */
};

/* Offset of XMM n's 64-bit half (0 low, 1 high) in struct x64_cpu. */
static inline uint32_t x64_xmm_off(unsigned n, unsigned half)
{
    return (uint32_t)(X64_OFF_XMM(n) + 8u * half);
}
ir_ref x64_xmm_ld(struct x64_dc *dc, unsigned n, unsigned half);
void x64_xmm_st(struct x64_dc *dc, unsigned n, unsigned half, ir_ref v64);
/* The effective address of the memory operand; align (16) raises #GP when
 * it is not a multiple of 16. */
ir_ref x64_sse_addr(struct x64_dc *dc, const struct x64_sse *s, unsigned align);
/* The r/m operand as two i64 halves (size 16; align as above) or its low
 * `size` bytes zero-extended in *lo (size 4 or 8; *hi untouched). */
void x64_sse_rm128(struct x64_dc *dc, const struct x64_sse *s, unsigned align, ir_ref *lo,
                   ir_ref *hi);
ir_ref x64_sse_rm_low(struct x64_dc *dc, const struct x64_sse *s, unsigned size);
/* The CPU-state offset of the r/m operand for a helper: the XMM register,
 * or xmm_tmp loaded with `size` bytes from memory. */
uint32_t x64_sse_rm_off(struct x64_dc *dc, const struct x64_sse *s, unsigned size, unsigned align);
/* Raise #XM when a helper's i32 status is nonzero. */
void x64_sse_check_xm(struct x64_dc *dc, ir_ref status);

/* The groups (each X64_NEXT for what it does not own). */
enum x64_status x64_sse_tr_move(struct x64_dc *dc, const struct x64_sse *s); /* x64_sse_move.c */
enum x64_status x64_sse_tr_x87(struct x64_dc *dc);                         /* x64_sse_move.c */
enum x64_status x64_sse_tr_x87_data(struct x64_dc *dc);                    /* x64_sse_x87.c */
int x64_sse_x87_register_helpers(void);
enum x64_status x64_sse_tr_int(struct x64_dc *dc, const struct x64_sse *s);  /* x64_sse_int.c */
enum x64_status x64_sse_tr_fp(struct x64_dc *dc, const struct x64_sse *s);   /* x64_sse_fp.c */
int x64_sse_int_register_helpers(void);
int x64_sse_fp_register_helpers(void);

#endif
