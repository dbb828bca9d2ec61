/* x86-64 lowering of the return-address hint: ras_push (a call pushes its
 * return pc and its block onto the cpu's return stack) and goto_ret (a return
 * pops it and, on a match, jumps through the pushing block's return cell).
 * Layouts: struct ras_stack and struct cpu_head (accel/tcg/cpu.h), struct tb. */
#include "x86_jit.h"

#include <stddef.h>

#include "../../accel/tcg/cpu.h"
#include "../../accel/tcg/tb.h"

#define RAS_E(field) ((int32_t)(offsetof(struct ras_stack, e) + offsetof(struct ras_entry, field)))

/* if cpu->ras: top = (top + 1) % RAS_SIZE; e[top] = {return pc, this block} */
void x86_lower_ras_push(struct x86_ctx *c, const struct ir_insn *in)
{
    struct x86_buf *b = &c->b;
    int s = x86_ra_scratch(c, X86_NO_REG, X86_REGS_ALL);
    int i = x86_ra_scratch(c, X86_NO_REG, X86_REGS_ALL);
    int v = x86_ra_scratch(c, X86_NO_REG, X86_REGS_ALL);
    x86_load(b, s, x86_mem_bd(X86_ENV, CPU_HEAD_RAS), 8, false, true);
    x86_op_rr(b, X86_OP_TEST_EvGv | X86_P_W, s, s);
    uint32_t none = x86_jcc8(b, X86_CC_E);
    struct x86_mem top = x86_mem_bd(s, offsetof(struct ras_stack, top));
    x86_load(b, i, top, 4, false, false);
    x86_arith_ri(b, X86_ARITH_ADD, false, i, 1);
    x86_arith_ri(b, X86_ARITH_AND, false, i, RAS_SIZE - 1);
    x86_store(b, i, top, 4);
    x86_shift_ri(b, X86_SHIFT_SHL, false, i, 4); /* sizeof(struct ras_entry) == 16 */
    x86_arith_rr(b, X86_ARITH_ADD, true, i, s);
    x86_mov_ri(b, v, (uint64_t)in->carg[0]);
    x86_store(b, v, x86_mem_bd(i, RAS_E(pc)), 8);
    x86_mov_ri(b, v, (uint64_t)(uintptr_t)c->tb);
    x86_store(b, v, x86_mem_bd(i, RAS_E(src)), 8);
    x86_link8(b, none, b->pos);
}

/* cpu->pc = pc; if cpu->ras: e = e[top], top--;
 * if e.pc == pc and e.src (NULL: empty) and e.src->flags == cpu->flags:
 *     if e.src->ret_host is code: jump there
 *     if it is TB_RET_EMPTY: ras->fill = e.src, return IR_EXIT_lookup (the
 *         loop fills the cell)
 * otherwise (and for a NULL cell or no return stack): goto_ptr's jump-cache probe. */
void x86_lower_goto_ret(struct x86_ctx *c, const struct ir_insn *in)
{
    struct x86_buf *b = &c->b;
    int pc = x86_ra_in(c, ir_in(in, 0), X86_REGS_ALL);
    x86_ra_writeback_globals(c);
    x86_store(b, pc, x86_mem_bd(X86_ENV, CPU_HEAD_PC), 8);
    /* Leaving the block: any three registers other than pc are free. */
    int s = pc == X86_rsi ? X86_rdi : X86_rsi;
    int e = pc == X86_rax ? X86_rcx : X86_rax;
    int t = pc == X86_rdx ? X86_rcx : X86_rdx;
    x86_load(b, s, x86_mem_bd(X86_ENV, CPU_HEAD_RAS), 8, false, true);
    x86_op_rr(b, X86_OP_TEST_EvGv | X86_P_W, s, s);
    uint32_t miss0 = x86_jcc8(b, X86_CC_E);
    struct x86_mem top = x86_mem_bd(s, offsetof(struct ras_stack, top));
    x86_load(b, e, top, 4, false, false);
    x86_mov_rr(b, false, t, e);
    x86_arith_ri(b, X86_ARITH_SUB, false, t, 1);
    x86_arith_ri(b, X86_ARITH_AND, false, t, RAS_SIZE - 1);
    x86_store(b, t, top, 4);
    x86_shift_ri(b, X86_SHIFT_SHL, false, e, 4); /* sizeof(struct ras_entry) == 16 */
    x86_arith_rr(b, X86_ARITH_ADD, true, e, s);
    x86_op_rm(b, X86_OP_CMP_GvEv | X86_P_W, pc, x86_mem_bd(e, RAS_E(pc)));
    uint32_t miss1 = x86_jcc8(b, X86_CC_NE);
    x86_load(b, e, x86_mem_bd(e, RAS_E(src)), 8, false, true);
    x86_op_rr(b, X86_OP_TEST_EvGv | X86_P_W, e, e); /* an empty entry */
    uint32_t miss2 = x86_jcc8(b, X86_CC_E);
    x86_load(b, t, x86_mem_bd(X86_ENV, CPU_HEAD_FLAGS), 4, false, false);
    x86_op_rm(b, X86_OP_CMP_GvEv, t, x86_mem_bd(e, offsetof(struct tb, flags)));
    uint32_t miss3 = x86_jcc8(b, X86_CC_NE);
    x86_load(b, t, x86_mem_bd(e, offsetof(struct tb, ret_host)), 8, false, true);
    _Static_assert((uintptr_t)TB_RET_EMPTY == 1, "one compare tells NULL, EMPTY and code apart");
    x86_arith_ri(b, X86_ARITH_CMP, true, t, 1);
    uint32_t special = x86_jcc8(b, X86_CC_BE);
    x86_op_rr(b, X86_OP_GRP5_Ev, X86_GRP5_JMP, t);
    x86_link8(b, special, b->pos);
    uint32_t miss4 = x86_jcc8(b, X86_CC_B); /* NULL: no hint */
    x86_store(b, e, x86_mem_bd(s, offsetof(struct ras_stack, fill)), 8);
    x86_mov_ri(b, X86_rax, IR_EXIT_lookup);
    x86_jmp_epilogue(c);
    x86_link8(b, miss0, b->pos);
    x86_link8(b, miss1, b->pos);
    x86_link8(b, miss2, b->pos);
    x86_link8(b, miss3, b->pos);
    x86_link8(b, miss4, b->pos);
    x86_jc_probe(c, pc);
}
