/* x86-64 JIT backend: the ferry_backend ops (create, compile, exec, patch_jmp).
 * Pipeline: ir_func -> liveness -> per insn lowering (x86_lower.c) with the
 * register allocator (x86_regalloc.c) -> exit stubs -> code buffer (RX view).
 * Also here: the shared prologue/epilogue, labels and relocations, goto_tb
 * chaining slots and the host->guest pc map. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "x86_disas.h"
#include "x86_jit.h"

/* Bytes reserved per IR insn before it is lowered: its own code plus up to
 * two sync points (each register written back once, <= 9 bytes a store). */
#define X86_INSN_RESERVE (X86_INSN_MAX_BYTES + 2 * X86_NREGS * 9 + 64)
/* Exit stubs after the body: exit request plus one per goto_tb slot. */
#define X86_STUB_BYTES 64

void x86_fail(struct x86_ctx *c, int err, const char *fmt, ...)
{
    if (c->err)
        return;
    c->err = err;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
    va_end(ap);
}

/* ---- labels, relocations, block exits ------------------------------------------ */

uint32_t x86_new_label(struct x86_ctx *c)
{
    if (c->nlabels_total == c->cap_labels) {
        uint32_t n = c->cap_labels ? c->cap_labels * 2 : 16;
        int64_t *p = realloc(c->label_pos, n * sizeof(*p));
        if (!p) {
            x86_fail(c, BACKEND_ERROR, "out of memory");
            return 0;
        }
        c->label_pos = p;
        c->cap_labels = n;
    }
    c->label_pos[c->nlabels_total] = -1;
    return c->nlabels_total++;
}

void x86_bind_label(struct x86_ctx *c, uint32_t label) { c->label_pos[label] = c->b.pos; }

static void add_reloc(struct x86_ctx *c, uint32_t at, uint32_t label)
{
    if (c->nrelocs == c->cap_relocs) {
        uint32_t n = c->cap_relocs ? c->cap_relocs * 2 : 16;
        struct x86_reloc *p = realloc(c->relocs, n * sizeof(*p));
        if (!p) {
            x86_fail(c, BACKEND_ERROR, "out of memory");
            return;
        }
        c->relocs = p;
        c->cap_relocs = n;
    }
    c->relocs[c->nrelocs++] = (struct x86_reloc){at, label};
}

/* jcc (cc >= 0) or jmp to a label: short form backwards when it fits,
 * rel32 forwards (fixed up when the block is done). */
void x86_branch_to_label(struct x86_ctx *c, int cc, uint32_t label)
{
    struct x86_buf *b = &c->b;
    int64_t target = c->label_pos[label];
    if (target >= 0 && (int64_t)b->pos + 2 - target <= 128) {
        uint32_t at = cc < 0 ? x86_jmp8(b) : x86_jcc8(b, (enum x86_cc)cc);
        x86_link8(b, at, (uint32_t)target);
        return;
    }
    uint32_t at = cc < 0 ? x86_jmp32(b) : x86_jcc32(b, (enum x86_cc)cc);
    if (target >= 0)
        x86_link32(b, at, (uint32_t)target);
    else
        add_reloc(c, at, label);
}

void x86_jmp_epilogue(struct x86_ctx *c)
{
    uint32_t at = x86_jmp32(&c->b);
    x86_patch32(&c->b, at, (uint32_t)(c->st->epilogue - (c->code_rx + at + 4)));
}

/* goto_tb: a 5-byte jmp whose rel32 field is 4-byte aligned, so patch_jmp can
 * rewrite it with one atomic store while other threads may execute it.  It
 * starts out aimed at the slot's exit stub. */
void x86_record_goto_tb(struct x86_ctx *c, uint64_t dest_pc)
{
    if (c->njmp == TB_MAX_JMP) {
        x86_fail(c, BACKEND_ERROR, "more than %d goto_tb in a block", TB_MAX_JMP);
        return;
    }
    unsigned slot = c->njmp++;
    x86_align(&c->b, 4, 1);
    c->jmp_patch[slot] = x86_jmp32(&c->b);
    c->jmp_dest[slot] = dest_pc;
    c->jmp_stub_label[slot] = x86_new_label(c);
    add_reloc(c, c->jmp_patch[slot], c->jmp_stub_label[slot]);
}

void x86_record_insn_start(struct x86_ctx *c, uint64_t pc)
{
    if (c->npcmap == c->cap_pcmap) {
        uint32_t n = c->cap_pcmap ? c->cap_pcmap * 2 : 16;
        struct tb_pcmap *p = realloc(c->pcmap, n * sizeof(*p));
        if (!p) {
            x86_fail(c, BACKEND_ERROR, "out of memory");
            return;
        }
        c->pcmap = p;
        c->cap_pcmap = n;
    }
    c->pcmap[c->npcmap++] = (struct tb_pcmap){c->b.pos, pc};
}

/* Store a 64-bit constant into the env field at `off` (rax is free: leaving). */
static void stub_store64(struct x86_ctx *c, int32_t off, uint64_t v)
{
    struct x86_mem m = x86_mem_bd(X86_ENV, off);
    if ((int64_t)v == (int32_t)v) {
        x86_store_imm(&c->b, m, 8, (int32_t)v);
    } else {
        x86_mov_ri(&c->b, X86_rax, v);
        x86_store(&c->b, X86_rax, m, 8);
    }
}

/* The out-of-line exits: exit request at entry, and unchained goto_tb slots. */
static void emit_stubs(struct x86_ctx *c)
{
    struct x86_buf *b = &c->b;
    x86_bind_label(c, c->request_label);
    stub_store64(c, CPU_HEAD_PC, c->tb->pc);
    x86_mov_ri(b, X86_rax, IR_EXIT_request);
    x86_jmp_epilogue(c);
    for (unsigned s = 0; s < c->njmp; s++) {
        x86_bind_label(c, c->jmp_stub_label[s]);
        stub_store64(c, CPU_HEAD_PC, c->jmp_dest[s]);
        stub_store64(c, CPU_HEAD_LAST_TB, (uint64_t)(uintptr_t)c->tb);
        x86_store_imm(b, x86_mem_bd(X86_ENV, CPU_HEAD_LAST_SLOT), 4, (int32_t)s);
        x86_mov_ri(b, X86_rax, IR_EXIT_chain);
        x86_jmp_epilogue(c);
    }
    x86_softmmu_emit_stubs(c);
}

/* ---- backend ops --------------------------------------------------------------------- */

static const uint8_t saved_regs[] = {X86_rbx, X86_rbp, X86_r12, X86_r13, X86_r14, X86_r15};

/* prologue(cpu = rdi, code = rsi): save callee-saved registers, set up env and
 * guest base, allocate the spill frame, jump to the block.
 * epilogue: blocks jump here with the exit reason in eax. */
static void *x86_create(struct code_buf *cb)
{
    struct x86_state *st = calloc(1, sizeof(*st));
    if (!st)
        return NULL;
    __builtin_cpu_init();
    st->has_popcnt = __builtin_cpu_supports("popcnt") && !getenv("FERRY_X86_NO_POPCNT");

    struct x86_buf b = {cb->rw + cb->used, 0, (uint32_t)(cb->size - cb->used), false};
    uint32_t pro = 0;
    for (unsigned i = 0; i < sizeof(saved_regs); i++)
        x86_op_plus_r(&b, X86_OP_PUSH_r, saved_regs[i]);
    x86_mov_rr(&b, true, X86_ENV, X86_rdi);
    x86_load(&b, X86_GBASE, x86_mem_bd(X86_rdi, CPU_HEAD_GUEST_BASE), 8, false, true);
    x86_arith_ri(&b, X86_ARITH_SUB, true, X86_rsp, X86_FRAME_SIZE);
    x86_op_rr(&b, X86_OP_GRP5_Ev, X86_GRP5_JMP, X86_rsi);
    uint32_t epi = b.pos;
    x86_arith_ri(&b, X86_ARITH_ADD, true, X86_rsp, X86_FRAME_SIZE);
    for (unsigned i = sizeof(saved_regs); i-- > 0;)
        x86_op_plus_r(&b, X86_OP_POP_r, saved_regs[i]);
    x86_op_plain(&b, X86_OP_RET);
    if (b.overflow) {
        free(st);
        return NULL;
    }
    st->prologue = cb->rx + cb->used + pro;
    st->epilogue = cb->rx + cb->used + epi;
    cb->used = (cb->used + b.pos + 15) & ~(size_t)15;
    if (cb->used > cb->size)
        cb->used = cb->size;
    cb->reserved = cb->used;
    return st;
}

static void x86_destroy(void *state) { free(state); }

static void ctx_free(struct x86_ctx *c)
{
    x86_ra_free(c);
    ir_scratch_release(c->scratch);
    free(c->label_pos);
    free(c->relocs);
    free(c->pcmap);
    x86_softmmu_free(c);
}

static int x86_compile(void *state, struct code_buf *cb, const struct ir_func *f, struct tb *tb,
                       FILE *log)
{
    const struct x86_state *st = state;
    size_t start = (cb->used + 15) & ~(size_t)15;
    if (start + X86_INSN_RESERVE > cb->size)
        return BACKEND_FULL;
    size_t avail = cb->size - start;
    struct x86_ctx c = {0};
    c.b = (struct x86_buf){cb->rw + start, 0, avail > UINT32_MAX ? UINT32_MAX : (uint32_t)avail,
                           false};
    c.f = f;
    c.tb = tb;
    c.st = st;
    c.code_rx = (uint8_t *)cb->rx + start;
    c.reachable = true;
    c.scratch = ir_scratch_mark();

    if (f->ninsns == 0 || (!(ir_ops[f->insns[f->ninsns - 1].op].flags & IR_F_END) &&
                           f->insns[f->ninsns - 1].op != IR_OP_br))
        x86_fail(&c, BACKEND_ERROR, "block 0x%llx does not end with a terminator",
                 (unsigned long long)f->pc);
    if (!c.err)
        x86_liveness(&c);
    if (!c.err)
        x86_ra_init(&c);
    for (uint32_t l = 0; l < f->nlabels && !c.err; l++)
        x86_new_label(&c);
    c.request_label = x86_new_label(&c);

    /* entry: leave at once if an exit was requested */
    x86_arith_mi(&c.b, X86_ARITH_CMP, false, x86_mem_bd(X86_ENV, CPU_HEAD_EXIT_REQUEST), 0);
    add_reloc(&c, x86_jcc32(&c.b, X86_CC_NE), c.request_label);

    for (uint32_t i = 0; i < f->ninsns && !c.err; i++) {
        if (c.b.pos + (uint64_t)X86_INSN_RESERVE + X86_STUB_BYTES * (TB_MAX_JMP + 1) +
                x86_softmmu_stub_bytes(&c) >
            c.b.cap) {
            c.b.overflow = true;
            break;
        }
        x86_ra_begin_insn(&c, i);
        x86_lower_insn(&c, &f->insns[i]);
        x86_ra_end_insn(&c);
    }
    if (!c.err && !c.b.overflow) {
        emit_stubs(&c);
        for (uint32_t r = 0; r < c.nrelocs; r++)
            x86_link32(&c.b, c.relocs[r].at, (uint32_t)c.label_pos[c.relocs[r].label]);
    }
    if (c.err || c.b.overflow) {
        int err = c.err ? c.err : BACKEND_FULL;
        if (c.err && c.err != BACKEND_TOO_BIG)
            fprintf(log ? log : stderr, "x86_64 backend: %s\n", c.errmsg);
        ctx_free(&c);
        return err;
    }

    tb->code = c.code_rx;
    tb->code_size = c.b.pos;
    tb->ir_ops = f->ninsns;
    tb->njmp = c.njmp;
    for (unsigned s = 0; s < c.njmp; s++) {
        tb->jmp[s].dest_pc = c.jmp_dest[s];
        tb->jmp[s].patch_off = c.jmp_patch[s];
        tb->jmp[s].reset_off = (uint32_t)c.label_pos[c.jmp_stub_label[s]];
        tb->jmp[s].dest = NULL;
        tb->jmp[s].src = tb;
    }
    tb->pcmap = c.pcmap;
    tb->npcmap = c.npcmap;
    c.pcmap = NULL;
    cb->used = start + c.b.pos;
    if (log)
        x86_log_code(log, f, tb, cb->rw + start, c.b.pos);
    ctx_free(&c);
    return BACKEND_OK;
}

static unsigned x86_exec(void *state, struct cpu_head *cpu, const struct tb *tb)
{
    const struct x86_state *st = state;
    unsigned (*enter)(struct cpu_head *, const void *);
    _Static_assert(sizeof(enter) == sizeof(st->prologue), "code pointers are data pointers");
    memcpy(&enter, &st->prologue, sizeof(enter));
    return enter(cpu, tb->code);
}

static void x86_patch_jmp(void *state, struct code_buf *cb, struct tb *tb, unsigned slot,
                          const struct tb *dest)
{
    const struct tb_jmp *j = &tb->jmp[slot];
    const uint8_t *field = tb->code + j->patch_off;
    const uint8_t *target = dest ? dest->code : tb->code + j->reset_off;
    uint32_t rel = (uint32_t)(int32_t)(target - (field + 4));
    uint32_t *p = (uint32_t *)(void *)codebuf_rw_of(cb, field);
    __atomic_store_n(p, rel, __ATOMIC_RELEASE); /* 4-byte aligned: one atomic write */
}

const struct ferry_backend backend_x86_64 = {
    .name = "x86_64",
    .create = x86_create,
    .destroy = x86_destroy,
    .compile = x86_compile,
    .exec = x86_exec,
    .patch_jmp = x86_patch_jmp,
};
