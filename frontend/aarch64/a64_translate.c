/* The A64 block translator: fetches instruction words from guest memory,
 * dispatches each on its top-level encoding group (op0, bits 28:25) to one
 * translator per group, and ends the block at a branch, an exception, a page
 * boundary or max_insns.  Capstone is used for -d in_asm and -d unimp only;
 * operands are decoded from the instruction bits (Capstone 4.0.2 does not
 * know the LSE atomics and mis-decodes a few forms). */
#include <capstone/capstone.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/aarch64/a64.h"
#include "util/log.h"

/* ctx->priv: the Capstone handle and what -d unimp has reported already. */
#define A64_REPORTED_WORDS 256
struct a64_priv {
    csh cs;
    bool cs_ok;
    uint8_t reported_id[(ARM64_INS_ENDING + 7) / 8];
    uint32_t reported_word[A64_REPORTED_WORDS];
    unsigned nreported_words;
};

int a64_ctx_init(struct frontend_ctx *ctx)
{
    if (a64_dp_reg_register_helpers() < 0 || a64_system_register_helpers() < 0 ||
        a64_atomic_register_helpers() < 0)
        return -ENOSPC; /* the helper registry is full */
    struct a64_priv *p = calloc(1, sizeof(*p));
    if (!p)
        return -ENOMEM;
    if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &p->cs) == CS_ERR_OK) {
        cs_option(p->cs, CS_OPT_DETAIL, CS_OPT_ON);
        p->cs_ok = true;
    }
    ctx->priv = p;
    return 0;
}

void a64_ctx_fini(struct frontend_ctx *ctx)
{
    struct a64_priv *p = ctx->priv;
    if (!p)
        return;
    if (p->cs_ok)
        cs_close(&p->cs);
    free(p);
    ctx->priv = NULL;
}

/* Disassemble one word into buf ("mnemonic operands"); returns the Capstone
 * instruction id, or 0 if Capstone cannot decode it (buf = "(unknown)"). */
static unsigned a64_disas(struct a64_priv *p, uint64_t pc, uint32_t insn, char *buf, size_t len)
{
    uint8_t bytes[4] = {(uint8_t)insn, (uint8_t)(insn >> 8), (uint8_t)(insn >> 16),
                        (uint8_t)(insn >> 24)};
    cs_insn *ci = NULL;
    if (p && p->cs_ok && cs_disasm(p->cs, bytes, 4, pc, 1, &ci) == 1) {
        unsigned id = ci->id;
        snprintf(buf, len, "%s%s%s", ci->mnemonic, ci->op_str[0] ? " " : "", ci->op_str);
        cs_free(ci, 1);
        return id;
    }
    snprintf(buf, len, "(unknown)");
    return 0;
}

/* -d unimp: report an instruction Ferry does not translate, once per
 * Capstone instruction id (or once per word when Capstone does not know it). */
static void a64_report_unimp(struct a64_priv *p, uint64_t pc, uint32_t insn, bool undef)
{
    if (!log_enabled(LOG_unimp))
        return;
    char text[256];
    unsigned id = a64_disas(p, pc, insn, text, sizeof text);
    if (p && id && id < ARM64_INS_ENDING) {
        if (p->reported_id[id / 8] & (1u << (id % 8)))
            return;
        p->reported_id[id / 8] |= (uint8_t)(1u << (id % 8));
    } else if (p) {
        for (unsigned i = 0; i < p->nreported_words; i++)
            if (p->reported_word[i] == insn)
                return;
        if (p->nreported_words < A64_REPORTED_WORDS)
            p->reported_word[p->nreported_words++] = insn;
    }
    fprintf(log_out(), "unimp: %s A64 instruction at 0x%016llx: %08x  %s\n",
            undef ? "undefined" : "unimplemented", (unsigned long long)pc, insn, text);
}

int a64_helper(struct a64_dc *dc, const struct ir_helper *h)
{
    int id = ir_helper_register(h);
    if (id < 0)
        ir_error(dc->f, "a64: cannot register helper %s", h->name);
    return id;
}

void a64_goto(struct a64_dc *dc, uint64_t dest)
{
    if (dc->ngoto_tb < TB_MAX_JMP) {
        dc->ngoto_tb++;
        ir_goto_tb(dc->f, dest);
    } else {
        ir_goto_ptr(dc->f, ir_const(dc->f, IR_I64, dest));
    }
}

void a64_goto_reg(struct a64_dc *dc, ir_ref dest) { ir_goto_ptr(dc->f, dest); }

void a64_exit(struct a64_dc *dc, enum ir_exit reason, uint64_t pc)
{
    ir_exit(dc->f, reason, ir_const(dc->f, IR_I64, pc));
}

void a64_sync_pc(struct a64_dc *dc)
{
    ir_st_state(dc->f, ir_const(dc->f, IR_I64, dc->pc), CPU_HEAD_PC, IR_MO_64);
}

/* Top-level A64 decode on op0 = bits 28:25. */
static enum a64_status a64_decode(struct a64_dc *dc)
{
    switch (a64_bits(dc->insn, 25, 4)) {
    case 0x8: case 0x9: /* 100x: data processing, immediate */
        return a64_tr_dp_imm(dc);
    case 0xa: case 0xb: /* 101x: branches, exception generation, system */
        return a64_tr_branch(dc);
    case 0x4: case 0x6: case 0xc: case 0xe: /* x1x0: loads and stores */
        return a64_tr_ldst(dc);
    case 0x5: case 0xd: /* x101: data processing, register */
        return a64_tr_dp_reg(dc);
    case 0x7: case 0xf: /* x111: data processing, SIMD and FP */
        return a64_tr_fpsimd_dp(dc);
    default: /* 0000 UDF / SME, 0001, 0010 SVE, 0011: unallocated here */
        return A64_UNDEF;
    }
}

/* The undefined-instruction exit for the insn at dc->pc. */
static void a64_emit_undef(struct a64_dc *dc)
{
    ir_st_state(dc->f, ir_const(dc->f, IR_I32, dc->insn), offsetof(struct a64_cpu, exc_insn),
                IR_MO_32);
    a64_exit(dc, IR_EXIT_undef, dc->pc);
}

static uint32_t a64_fetch(const struct frontend_ctx *ctx, uint64_t pc)
{
    const uint8_t *b = ctx->guest_base + pc;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

int a64_translate(void *opaque, struct ir_func *f, uint64_t pc, uint32_t flags, unsigned max_insns,
                  uint32_t *guest_size)
{
    struct frontend_ctx *ctx = opaque;
    struct a64_priv *priv = ctx->priv;
    struct a64_dc dc;
    memset(&dc, 0, sizeof dc);
    dc.f = f;
    dc.ctx = ctx;
    f->env_size = sizeof(struct a64_cpu);
    uint64_t start = pc;
    if (max_insns == 0)
        max_insns = 1;

    if (pc & 3) {
        /* PC alignment fault (a BR/RET to a misaligned address): SIGBUS */
        ir_insn_start(f, pc);
        ir_st_state(f, ir_const(f, IR_I32, A64_FAULT_ALIGN), offsetof(struct a64_cpu, fault_kind),
                    IR_MO_32);
        ir_st_state(f, ir_const(f, IR_I64, pc), offsetof(struct a64_cpu, fault_addr), IR_MO_64);
        ir_exit(f, IR_EXIT_fault, ir_const(f, IR_I64, pc));
        *guest_size = 1;
        return 0;
    }
    if (ctx->can_exec && !ctx->can_exec(ctx->env_opaque, pc, 4)) {
        ir_error(f, "a64: pc 0x%llx is not executable", (unsigned long long)pc);
        return -EFAULT;
    }

    bool log_asm = log_enabled(LOG_in_asm);
    if (log_asm)
        fprintf(log_out(), "----------------\nIN:\n");
    for (unsigned n = 0;;) {
        dc.pc = pc;
        dc.insn = a64_fetch(ctx, pc);
        if (log_asm) {
            char text[256];
            a64_disas(priv, pc, dc.insn, text, sizeof text);
            fprintf(log_out(), "0x%016llx:  %08x      %s\n", (unsigned long long)pc, dc.insn, text);
        }
        ir_insn_start(f, pc);
        uint32_t mark = f->ninsns;
        unsigned ngoto = dc.ngoto_tb;
        enum a64_status st = a64_decode(&dc);
        if (f->err)
            break;
        n++;
        pc += 4;
        if (st == A64_UNDEF || st == A64_UNIMP) {
            f->ninsns = mark;
            dc.ngoto_tb = ngoto;
            a64_report_unimp(priv, dc.pc, dc.insn, st == A64_UNDEF);
            a64_emit_undef(&dc);
            break;
        }
        if (st == A64_END)
            break;
        if (n >= max_insns || (pc & (TCG_PAGE_SIZE - 1)) == 0) {
            a64_goto(&dc, pc);
            break;
        }
    }
    if (log_asm)
        fprintf(log_out(), "\n");
    *guest_size = pc > start ? (uint32_t)(pc - start) : 4u;
    return 0;
}
