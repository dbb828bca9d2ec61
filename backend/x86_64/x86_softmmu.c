/* x86-64 JIT: guest ld/st through the soft TLB (memops with IR_MO_MMU).
 * Pipeline: x86_lower.c's lower_ld/lower_st hand MMU accesses here; the hit
 * path is inline, the miss path is an out-of-line stub emitted after the
 * block (x86_jit.c's emit_stubs) that calls softmmu_ld_slow/softmmu_st_slow
 * and, on a guest fault, leaves the block with the helper's exit reason. */
#include <stdlib.h>

#include "../../accel/tcg/softmmu.h"
#include "x86_jit.h"

#define ALL X86_REGS_ALL

/* A global whose register copy is newer than its env field (written back by
 * the miss path only: the hit path cannot fault). */
struct x86_smmu_dirty {
    int8_t reg;
    uint8_t size;
    int32_t off;
};

struct x86_smmu_stub {
    uint32_t slow_label, done_label;
    uint8_t ndirty;
    struct x86_smmu_dirty dirty[X86_NREGS];
    uint64_t pc;    /* guest pc of the instruction, for the fault exit */
    uint16_t save;  /* call-clobbered registers holding values across the call */
    int8_t addr;    /* register of the address */
    int8_t val;     /* st: register of the value */
    int8_t out;     /* ld: output register */
    bool store, w;  /* st / ld of an i64 */
    uint32_t memop;
};

/* Bytes of one stub at most (global stores, pushes, argument moves, call,
 * fault exit). */
#define X86_SMMU_STUB_BYTES (192 + X86_NREGS * 8)

size_t x86_softmmu_stub_bytes(const struct x86_ctx *c)
{
    return (size_t)c->nsmmu * X86_SMMU_STUB_BYTES;
}

void x86_softmmu_free(struct x86_ctx *c)
{
    free(c->smmu);
    c->smmu = NULL;
    c->nsmmu = c->cap_smmu = 0;
}

static struct x86_smmu_stub *new_stub(struct x86_ctx *c)
{
    if (c->nsmmu == c->cap_smmu) {
        uint32_t n = c->cap_smmu ? c->cap_smmu * 2 : 8;
        struct x86_smmu_stub *p = realloc(c->smmu, n * sizeof(*p));
        if (!p) {
            x86_fail(c, BACKEND_ERROR, "out of memory");
            return NULL;
        }
        c->smmu = p;
        c->cap_smmu = n;
    }
    struct x86_smmu_stub *s = &c->smmu[c->nsmmu++];
    *s = (struct x86_smmu_stub){0};
    s->slow_label = x86_new_label(c);
    s->done_label = x86_new_label(c);
    s->pc = c->npcmap ? c->pcmap[c->npcmap - 1].guest_pc : c->tb->pc;
    return s;
}

/* Call-clobbered registers that hold something the block still has (values,
 * the current insn's operands), except `skip`. */
static uint16_t live_clobbered(const struct x86_ctx *c, uint16_t skip)
{
    uint16_t m = 0;
    for (int r = 0; r < X86_NREGS; r++)
        if ((X86_REGS_CALL_CLOBBERED & X86_REG_BIT(r)) &&
            (c->owner[r] != IR_NONE || (c->locked & X86_REG_BIT(r))))
            m |= X86_REG_BIT(r);
    return (uint16_t)(m & ~skip);
}

/* The precise-state rule (globals in the CPU state before an access that
 * may fault) is kept on the miss path only: remember which registers hold
 * globals newer than their env fields; the stub stores them first. */
static void record_dirty_globals(const struct x86_ctx *c, struct x86_smmu_stub *s)
{
    s->ndirty = 0;
    for (int r = 0; r < X86_NREGS; r++) {
        ir_ref v = c->owner[r];
        if (v == IR_NONE || c->f->vals[v].kind != IR_VAL_GLOBAL || c->vals[v].mem_ok)
            continue;
        s->dirty[s->ndirty++] = (struct x86_smmu_dirty){
            (int8_t)r, (uint8_t)c->f->vals[v].size, (int32_t)c->f->vals[v].num};
    }
}

/* The inline lookup: t1 = entry offset from env, t2 = last byte's page;
 * compares it with the entry's tag (read or write) and jumps to the stub on
 * a miss; leaves t2 = addend.  Host address of the access: [t2 + addr]. */
static void emit_lookup(struct x86_ctx *c, int addr, int t1, int t2, unsigned memop, bool store,
                        uint32_t slow_label)
{
    struct x86_buf *b = &c->b;
    unsigned size = ir_mo_bytes(memop);
    int32_t tlb = (int32_t)SOFTMMU_TLB_OFF(ir_mo_mmu_idx(memop));
    int32_t tag = tlb + (int32_t)(store ? SOFTMMU_ENTRY_WRITE : SOFTMMU_ENTRY_READ);
    /* t1 = ((addr >> 12) & 255) << 5, plus the TLB's offset in the CPU state */
    x86_mov_rr(b, true, t1, addr);
    x86_shift_ri(b, X86_SHIFT_SHR, true, t1, SOFTMMU_PAGE_BITS - 5);
    x86_arith_ri(b, X86_ARITH_AND, false, t1, (int32_t)((SOFTMMU_ENTRIES - 1) << 5));
    x86_op_rm(b, 8 * X86_ARITH_ADD + 3, t1, x86_mem_bd(X86_ENV, (int32_t)CPU_HEAD_SOFTMMU_OFF));
    /* t2 = page of the access's last byte: a page-crossing access misses */
    if (size > 1)
        x86_op_rm(b, X86_OP_LEA_GvM | X86_P_W, t2, x86_mem_bd(addr, (int32_t)size - 1));
    else
        x86_mov_rr(b, true, t2, addr);
    x86_arith_ri(b, X86_ARITH_AND, true, t2, (int32_t)SOFTMMU_PAGE_MASK);
    x86_op_rm(b, (8 * X86_ARITH_CMP + 3) | X86_P_W, t2, x86_mem_bid(X86_ENV, t1, tag));
    x86_branch_to_label(c, X86_CC_NE, slow_label);
    x86_load(b, t2, x86_mem_bid(X86_ENV, t1, tlb + (int32_t)SOFTMMU_ENTRY_ADDEND), 8, false, true);
}

void x86_softmmu_ld(struct x86_ctx *c, const struct ir_insn *in)
{
    struct x86_buf *b = &c->b;
    bool w = in->type == IR_I64;
    unsigned mo = (unsigned)in->carg[0], size = ir_mo_bytes(mo);
    bool sign = mo & IR_MO_SIGN, be = (mo & IR_MO_BE) && size > 1;
    int ra = x86_ra_in(c, ir_in(in, 0), ALL);
    int t1 = x86_ra_scratch(c, X86_NO_REG, ALL);
    int t2 = x86_ra_scratch(c, X86_NO_REG, ALL);
    int r = x86_ra_out_reg(c, ALL);
    struct x86_smmu_stub *s = new_stub(c);
    if (!s)
        return;
    s->addr = (int8_t)ra;
    s->out = (int8_t)r;
    s->val = X86_NO_REG;
    s->w = w;
    s->memop = mo;
    s->save = live_clobbered(c, (uint16_t)(X86_REG_BIT(r) | X86_REG_BIT(t1) | X86_REG_BIT(t2)));
    record_dirty_globals(c, s);
    emit_lookup(c, ra, t1, t2, mo, false, s->slow_label);
    struct x86_mem m = x86_mem_bid(t2, ra, 0);
    if (!be) {
        x86_load(b, r, m, size, sign, w);
    } else if (size == 2) {
        x86_load(b, r, m, 2, false, false);
        x86_op_plus_r(b, X86_OP_BSWAP_r | x86_w(w), r);
        x86_shift_ri(b, sign ? X86_SHIFT_SAR : X86_SHIFT_SHR, w, r, w ? 48 : 16);
    } else if (size == 4) {
        x86_load(b, r, m, 4, false, false);
        x86_op_plus_r(b, X86_OP_BSWAP_r, r);
        if (sign && w)
            x86_op_rr(b, X86_OP_MOVSXD_GvEd, r, r);
    } else {
        x86_load(b, r, m, 8, false, true);
        x86_op_plus_r(b, X86_OP_BSWAP_r | X86_P_W, r);
    }
    x86_bind_label(c, s->done_label);
    x86_ra_out(c, ir_out(in, 0), r);
}

void x86_softmmu_st(struct x86_ctx *c, const struct ir_insn *in)
{
    struct x86_buf *b = &c->b;
    unsigned mo = (unsigned)in->carg[0], size = ir_mo_bytes(mo);
    bool be = (mo & IR_MO_BE) && size > 1;
    int rv = x86_ra_in(c, ir_in(in, 0), ALL);
    int ra = x86_ra_in(c, ir_in(in, 1), ALL);
    int t1 = x86_ra_scratch(c, X86_NO_REG, ALL);
    int t2 = x86_ra_scratch(c, X86_NO_REG, ALL);
    struct x86_smmu_stub *s = new_stub(c);
    if (!s)
        return;
    s->addr = (int8_t)ra;
    s->val = (int8_t)rv;
    s->out = X86_NO_REG;
    s->store = true;
    s->memop = mo;
    s->save = live_clobbered(c, (uint16_t)(X86_REG_BIT(t1) | X86_REG_BIT(t2)));
    record_dirty_globals(c, s);
    emit_lookup(c, ra, t1, t2, mo, true, s->slow_label);
    struct x86_mem m = x86_mem_bid(t2, ra, 0);
    int v = rv;
    if (be) { /* t1 is free once the addend is loaded */
        x86_mov_rr(b, true, t1, rv);
        x86_op_plus_r(b, X86_OP_BSWAP_r | x86_w(size == 8), t1);
        if (size == 2)
            x86_shift_ri(b, X86_SHIFT_SHR, false, t1, 16);
        v = t1;
    }
    x86_store(b, v, m, size);
    x86_bind_label(c, s->done_label);
}

/* mov qword [env + CPU_HEAD_PC], pc (may use rax). */
static void store_pc(struct x86_buf *b, uint64_t pc)
{
    struct x86_mem m = x86_mem_bd(X86_ENV, (int32_t)CPU_HEAD_PC);
    if ((int64_t)pc == (int32_t)pc) {
        x86_store_imm(b, m, 8, (int32_t)pc);
    } else {
        x86_mov_ri(b, X86_rax, pc);
        x86_store(b, X86_rax, m, 8);
    }
}

static void emit_stub(struct x86_ctx *c, const struct x86_smmu_stub *s)
{
    struct x86_buf *b = &c->b;
    uint32_t fault = x86_new_label(c);
    x86_bind_label(c, s->slow_label);
    /* precise state for a fault (and for the helper): globals to env */
    for (unsigned i = 0; i < s->ndirty; i++)
        x86_store(b, s->dirty[i].reg, x86_mem_bd(X86_ENV, s->dirty[i].off), s->dirty[i].size);
    unsigned n = 0;
    for (int r = 0; r < X86_NREGS; r++)
        if (s->save & X86_REG_BIT(r)) {
            x86_op_plus_r(b, X86_OP_PUSH_r, r);
            n++;
        }
    int32_t frame = (int32_t)(8 * n + ((n & 1) ? 8 : 0)); /* keep rsp 16-byte aligned */
    if (n & 1)
        x86_arith_ri(b, X86_ARITH_SUB, true, X86_rsp, 8);
    /* arguments: (env, addr, memop) or (env, addr, value, memop) */
    if (s->store) {
        x86_op_plus_r(b, X86_OP_PUSH_r, s->val);
        if (s->addr != X86_rsi)
            x86_mov_rr(b, true, X86_rsi, s->addr);
        x86_op_plus_r(b, X86_OP_POP_r, X86_rdx);
        x86_mov_ri(b, X86_rcx, s->memop);
    } else {
        if (s->addr != X86_rsi)
            x86_mov_rr(b, true, X86_rsi, s->addr);
        x86_mov_ri(b, X86_rdx, s->memop);
    }
    x86_mov_rr(b, true, X86_rdi, X86_ENV);
    void *fn = s->store ? (void *)softmmu_st_slow : (void *)softmmu_ld_slow;
    x86_mov_ri(b, X86_rax, (uint64_t)(uintptr_t)fn);
    x86_op_rr(b, X86_OP_GRP5_Ev, X86_GRP5_CALL, X86_rax);
    x86_op_rr(b, X86_OP_TEST_EvGv | X86_P_W, X86_rdx, X86_rdx);
    x86_branch_to_label(c, X86_CC_NE, fault);
    if (!s->store) /* the output register is never among the saved ones */
        x86_mov_rr(b, s->w, s->out, X86_rax);
    if (n & 1)
        x86_arith_ri(b, X86_ARITH_ADD, true, X86_rsp, 8);
    for (int r = X86_NREGS; r-- > 0;)
        if (s->save & X86_REG_BIT(r))
            x86_op_plus_r(b, X86_OP_POP_r, r);
    x86_branch_to_label(c, -1, s->done_label);
    /* guest fault: the globals are in the CPU state already; leave with the
     * reason the helper returned, pc = the faulting instruction */
    x86_bind_label(c, fault);
    if (frame)
        x86_arith_ri(b, X86_ARITH_ADD, true, X86_rsp, frame);
    store_pc(b, s->pc);
    x86_mov_rr(b, false, X86_rax, X86_rdx);
    x86_jmp_epilogue(c);
}

void x86_softmmu_emit_stubs(struct x86_ctx *c)
{
    for (uint32_t i = 0; i < c->nsmmu && !c->err; i++)
        emit_stub(c, &c->smmu[i]);
}
