/* x86-64 encoders: instruction bytes from named opcodes (x86_emit.h).
 * x86_emit_modrm is the only function that knows the REX/ModRM/SIB rules;
 * everything else here composes it or emits fixed-form instructions. */
#include "x86_emit.h"

#include <assert.h>
#include <string.h>

const char *const x86_reg_names[X86_NREGS] = {
#define X86_REG(name, clobbered) #name,
#include "x86_regs.def"
#undef X86_REG
};
const bool x86_reg_call_clobbered[X86_NREGS] = {
#define X86_REG(name, clobbered) clobbered,
#include "x86_regs.def"
#undef X86_REG
};

void x86_imm8(struct x86_buf *b, int32_t v) { x86_byte(b, (unsigned)v & 0xff); }
void x86_imm16(struct x86_buf *b, uint32_t v)
{
    x86_byte(b, v & 0xff);
    x86_byte(b, (v >> 8) & 0xff);
}
void x86_imm32(struct x86_buf *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        x86_byte(b, (v >> (8 * i)) & 0xff);
}
void x86_imm64(struct x86_buf *b, uint64_t v)
{
    x86_imm32(b, (uint32_t)v);
    x86_imm32(b, (uint32_t)(v >> 32));
}
void x86_patch32(struct x86_buf *b, uint32_t at, uint32_t v)
{
    if (at + 4 <= b->cap)
        memcpy(b->p + at, &v, 4); /* the host is little-endian */
}
void x86_patch8(struct x86_buf *b, uint32_t at, uint8_t v)
{
    if (at < b->cap)
        b->p[at] = v;
}

static bool fits_i8(int64_t v) { return v >= -128 && v <= 127; }

/* Encoding rules, all of them:
 *  - Legacy prefixes come first: 66 (16-bit operand), then the mandatory F3.
 *  - REX (0100WRXB) comes right before the opcode (after the prefixes):
 *      W  64-bit operand size;
 *      R  bit 3 of ModRM.reg (r8-r15 in the reg operand);
 *      X  bit 3 of SIB.index;
 *      B  bit 3 of ModRM.rm, or of SIB.base when there is a SIB byte.
 *    A byte-register operand numbered 4-7 needs a REX prefix (even 0x40 with
 *    no bits): with REX those numbers mean spl/bpl/sil/dil, without it they
 *    mean ah/ch/dh/bh.
 *  - ModRM = mod(2) reg(3) rm(3).  mod 3: rm is a register.  Otherwise memory:
 *      rm = 100 (rsp, r12 as base) does not name a base; it means "a SIB byte
 *        follows", so those bases always take a SIB byte (index 100 = none);
 *      mod 0 with rm = 101 (rbp, r13 as base) means RIP-relative (or, with a
 *        SIB byte, "no base + disp32"), so those bases always carry a
 *        displacement: an explicit disp8 of 0 when there is none;
 *      mod 1 = disp8, mod 2 = disp32, sign-extended.
 *  - SIB = scale(2) index(3) base(3); index 100 without REX.X means no index,
 *    so rsp can never be an index (r12 can: REX.X tells them apart). */
void x86_emit_modrm(struct x86_buf *b, uint32_t opc, int r, int rm, const struct x86_mem *mem)
{
    if (opc & X86_P_66)
        x86_byte(b, 0x66);
    if (opc & X86_P_F3)
        x86_byte(b, 0xf3);

    unsigned rex = 0;
    bool need_rex = false;
    if (opc & X86_P_W)
        rex |= 8;
    if (r & 8)
        rex |= 4;
    if (mem) {
        if (mem->index != X86_NO_REG && (mem->index & 8))
            rex |= 2;
        if (mem->base & 8)
            rex |= 1;
    } else if (rm & 8) {
        rex |= 1;
    }
    if ((opc & X86_P_BYTE_R) && r >= 4 && r < 8)
        need_rex = true;
    if ((opc & X86_P_BYTE_RM) && !mem && rm >= 4 && rm < 8)
        need_rex = true;
    if (rex || need_rex)
        x86_byte(b, 0x40 | rex);

    if (opc & X86_P_0F)
        x86_byte(b, 0x0f);
    x86_byte(b, opc & 0xff);

    if (!mem) {
        x86_byte(b, 0xc0 | (unsigned)(r & 7) << 3 | (unsigned)(rm & 7));
        return;
    }

    int base = mem->base, index = mem->index;
    int32_t disp = mem->disp;
    assert(base >= 0 && index != X86_rsp);
    unsigned mod;
    if (disp == 0 && (base & 7) != 5) /* rbp/r13 need an explicit disp (see above) */
        mod = 0;
    else if (fits_i8(disp))
        mod = 1;
    else
        mod = 2;

    if (index == X86_NO_REG && (base & 7) != 4) {
        x86_byte(b, mod << 6 | (unsigned)(r & 7) << 3 | (unsigned)(base & 7));
    } else { /* SIB: an index, or rsp/r12 as the base */
        unsigned ss = mem->scale == 8 ? 3 : mem->scale == 4 ? 2 : mem->scale == 2 ? 1 : 0;
        unsigned idx = index == X86_NO_REG ? 4 : (unsigned)(index & 7);
        x86_byte(b, mod << 6 | (unsigned)(r & 7) << 3 | 4);
        x86_byte(b, ss << 6 | idx << 3 | (unsigned)(base & 7));
    }
    if (mod == 1)
        x86_imm8(b, disp);
    else if (mod == 2)
        x86_imm32(b, (uint32_t)disp);
}

void x86_op_plus_r(struct x86_buf *b, uint32_t opc, int reg)
{
    unsigned rex = ((opc & X86_P_W) ? 8 : 0) | ((reg & 8) ? 1 : 0);
    if (rex)
        x86_byte(b, 0x40 | rex);
    if (opc & X86_P_0F)
        x86_byte(b, 0x0f);
    x86_byte(b, (opc & 0xff) + (unsigned)(reg & 7));
}

void x86_op_plain(struct x86_buf *b, uint32_t opc)
{
    if (opc & X86_P_W)
        x86_byte(b, 0x48);
    if (opc & X86_P_0F)
        x86_byte(b, 0x0f);
    x86_byte(b, opc & 0xff);
}

void x86_arith_rr(struct x86_buf *b, enum x86_arith op, bool is64, int reg, int rm)
{
    x86_op_rr(b, (uint32_t)(op * 8 + 3) | x86_w(is64), reg, rm);
}

void x86_arith_ri(struct x86_buf *b, enum x86_arith op, bool is64, int reg, int32_t imm)
{
    if (fits_i8(imm)) {
        x86_op_rr(b, X86_OP_GRP1_EvIb | x86_w(is64), op, reg);
        x86_imm8(b, imm);
    } else {
        x86_op_rr(b, X86_OP_GRP1_EvIz | x86_w(is64), op, reg);
        x86_imm32(b, (uint32_t)imm);
    }
}

void x86_arith_mi(struct x86_buf *b, enum x86_arith op, bool is64, struct x86_mem m, int32_t imm)
{
    if (fits_i8(imm)) {
        x86_op_rm(b, X86_OP_GRP1_EvIb | x86_w(is64), op, m);
        x86_imm8(b, imm);
    } else {
        x86_op_rm(b, X86_OP_GRP1_EvIz | x86_w(is64), op, m);
        x86_imm32(b, (uint32_t)imm);
    }
}

void x86_mov_ri(struct x86_buf *b, int reg, uint64_t v)
{
    if (v <= 0xffffffffull) { /* mov r32, imm32 zero-extends */
        x86_op_plus_r(b, X86_OP_MOV_Iv, reg);
        x86_imm32(b, (uint32_t)v);
    } else if ((int64_t)v == (int32_t)v) { /* mov r/m64, simm32 */
        x86_op_rr(b, X86_OP_MOV_EvIz | X86_P_W, 0, reg);
        x86_imm32(b, (uint32_t)v);
    } else {
        x86_op_plus_r(b, X86_OP_MOV_Iv | X86_P_W, reg);
        x86_imm64(b, v);
    }
}

void x86_mov_rr(struct x86_buf *b, bool is64, int dst, int src)
{
    x86_op_rr(b, X86_OP_MOV_GvEv | x86_w(is64), dst, src);
}

void x86_shift_ri(struct x86_buf *b, enum x86_shift op, bool is64, int reg, unsigned count)
{
    x86_op_rr(b, X86_OP_GRP2_EvIb | x86_w(is64), op, reg);
    x86_imm8(b, (int32_t)count);
}

void x86_shift_rcl(struct x86_buf *b, enum x86_shift op, bool is64, int reg)
{
    x86_op_rr(b, X86_OP_GRP2_EvCL | x86_w(is64), op, reg);
}

void x86_grp3(struct x86_buf *b, enum x86_grp3 op, bool is64, int reg)
{
    x86_op_rr(b, X86_OP_GRP3_Ev | x86_w(is64), op, reg);
}

void x86_load(struct x86_buf *b, int reg, struct x86_mem m, unsigned size, bool sign, bool to64)
{
    switch (size) {
    case 1:
        x86_op_rm(b, sign ? X86_OP_MOVSX_GvEb | x86_w(to64) : X86_OP_MOVZX_GvEb, reg, m);
        break;
    case 2:
        x86_op_rm(b, sign ? X86_OP_MOVSX_GvEw | x86_w(to64) : X86_OP_MOVZX_GvEw, reg, m);
        break;
    case 4:
        x86_op_rm(b, sign && to64 ? X86_OP_MOVSXD_GvEd : X86_OP_MOV_GvEv, reg, m);
        break;
    default:
        x86_op_rm(b, X86_OP_MOV_GvEv | X86_P_W, reg, m);
        break;
    }
}

void x86_store(struct x86_buf *b, int reg, struct x86_mem m, unsigned size)
{
    switch (size) {
    case 1:
        x86_op_rm(b, X86_OP_MOV_EbGb, reg, m);
        break;
    case 2:
        x86_op_rm(b, X86_OP_MOV_EvGv | X86_P_66, reg, m);
        break;
    case 4:
        x86_op_rm(b, X86_OP_MOV_EvGv, reg, m);
        break;
    default:
        x86_op_rm(b, X86_OP_MOV_EvGv | X86_P_W, reg, m);
        break;
    }
}

void x86_store_imm(struct x86_buf *b, struct x86_mem m, unsigned size, int32_t imm)
{
    switch (size) {
    case 1:
        x86_op_rm(b, X86_OP_MOV_EbIb, 0, m);
        x86_imm8(b, imm);
        break;
    case 2:
        x86_op_rm(b, X86_OP_MOV_EvIz | X86_P_66, 0, m);
        x86_imm16(b, (uint32_t)imm);
        break;
    default:
        x86_op_rm(b, X86_OP_MOV_EvIz | x86_w(size == 8), 0, m);
        x86_imm32(b, (uint32_t)imm);
        break;
    }
}

uint32_t x86_jcc32(struct x86_buf *b, enum x86_cc cc)
{
    x86_op_plain(b, X86_OP_JCC_rel32 + cc);
    uint32_t at = b->pos;
    x86_imm32(b, 0);
    return at;
}

uint32_t x86_jmp32(struct x86_buf *b)
{
    x86_op_plain(b, X86_OP_JMP_rel32);
    uint32_t at = b->pos;
    x86_imm32(b, 0);
    return at;
}

uint32_t x86_jcc8(struct x86_buf *b, enum x86_cc cc)
{
    x86_op_plain(b, X86_OP_JCC_rel8 + cc);
    uint32_t at = b->pos;
    x86_byte(b, 0);
    return at;
}

uint32_t x86_jmp8(struct x86_buf *b)
{
    x86_op_plain(b, X86_OP_JMP_rel8);
    uint32_t at = b->pos;
    x86_byte(b, 0);
    return at;
}

void x86_link32(struct x86_buf *b, uint32_t at, uint32_t target)
{
    x86_patch32(b, at, target - (at + 4));
}

void x86_link8(struct x86_buf *b, uint32_t at, uint32_t target)
{
    int64_t rel = (int64_t)target - (int64_t)(at + 1);
    assert(fits_i8(rel) && "short jump out of range");
    x86_patch8(b, at, (uint8_t)(int8_t)rel);
}

void x86_align(struct x86_buf *b, unsigned align, unsigned skew)
{
    while ((b->pos + skew) % align) {
        unsigned n = align - (b->pos + skew) % align;
        if (n >= 3) { /* nopl (%rax) */
            x86_byte(b, 0x0f);
            x86_byte(b, 0x1f);
            x86_byte(b, 0x00);
        } else if (n == 2) { /* xchg %ax,%ax */
            x86_byte(b, 0x66);
            x86_byte(b, X86_OP_NOP);
        } else {
            x86_byte(b, X86_OP_NOP);
        }
    }
}
