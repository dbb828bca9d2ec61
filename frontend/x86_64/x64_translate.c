/* The x86-64 block translator: fetches up to 15 bytes per instruction from
 * guest memory, decodes them with Capstone (64-bit mode, detail on), offers
 * the instruction to each translator group in turn, and ends the block at a
 * branch, an exit, a page boundary or max_insns.  Also the frontend object
 * (frontend_x86_64) with CPU reset and dump. */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/x86_64/x64.h"
#include "util/log.h"

/* ctx->priv: the Capstone handle, one decoded instruction, and what -d unimp
 * has reported already (once per Capstone instruction id). */
struct x64_priv {
    csh cs;
    cs_insn *ci;
    /* system mode: 32-bit protected-mode code (CS.D, not CS.L) */
    csh cs32;
    cs_insn *ci32;
    uint8_t reported_id[(X86_INS_ENDING + 7) / 8];
    bool reported_unknown;
};

int x64_ctx_init(struct frontend_ctx *ctx)
{
    if (x64_muldiv_register_helpers() < 0 || x64_misc_register_helpers() < 0 ||
        x64_shift_register_helpers() < 0 || x64_system_register_helpers() < 0 ||
        x64_sse_register_helpers() < 0)
        return -ENOSPC;
    struct x64_priv *p = calloc(1, sizeof(*p));
    if (!p)
        return -ENOMEM;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &p->cs) != CS_ERR_OK) {
        free(p);
        return -EINVAL;
    }
    cs_option(p->cs, CS_OPT_DETAIL, CS_OPT_ON);
    p->ci = cs_malloc(p->cs);
    if (!p->ci) {
        cs_close(&p->cs);
        free(p);
        return -ENOMEM;
    }
    if (cs_open(CS_ARCH_X86, CS_MODE_32, &p->cs32) != CS_ERR_OK) {
        cs_free(p->ci, 1);
        cs_close(&p->cs);
        free(p);
        return -EINVAL;
    }
    cs_option(p->cs32, CS_OPT_DETAIL, CS_OPT_ON);
    p->ci32 = cs_malloc(p->cs32);
    if (!p->ci32) {
        cs_close(&p->cs32);
        cs_free(p->ci, 1);
        cs_close(&p->cs);
        free(p);
        return -ENOMEM;
    }
    ctx->priv = p;
    return 0;
}

void x64_ctx_fini(struct frontend_ctx *ctx)
{
    struct x64_priv *p = ctx->priv;
    if (!p)
        return;
    cs_free(p->ci, 1);
    cs_close(&p->cs);
    cs_free(p->ci32, 1);
    cs_close(&p->cs32);
    free(p);
    ctx->priv = NULL;
}

int x64_helper(struct x64_dc *dc, const struct ir_helper *h)
{
    int id = ir_helper_register(h);
    if (id < 0)
        ir_error(dc->f, "x64: cannot register helper %s", h->name);
    return id;
}

void x64_goto(struct x64_dc *dc, uint64_t dest)
{
    if (dc->ngoto_tb < TB_MAX_JMP) {
        dc->ngoto_tb++;
        ir_goto_tb(dc->f, dest);
    } else {
        ir_goto_ptr(dc->f, x64_c64(dc, dest));
    }
}

void x64_goto_reg(struct x64_dc *dc, ir_ref dest) { ir_goto_ptr(dc->f, dest); }

void x64_exit(struct x64_dc *dc, enum ir_exit reason, uint64_t pc)
{
    ir_exit(dc->f, reason, x64_c64(dc, pc));
}

void x64_raise(struct x64_dc *dc, unsigned vector)
{
    ir_st_state(dc->f, x64_c32(dc, vector), offsetof(struct x64_cpu, exc_vector), IR_MO_32);
    ir_st_state(dc->f, x64_c32(dc, 0), offsetof(struct x64_cpu, exc_error), IR_MO_32);
    x64_exit(dc, IR_EXIT_exception, dc->pc);
}

/* The groups, tried in order; each returns X64_NEXT for what it does not own. */
static enum x64_status (*const x64_groups[])(struct x64_dc *) = {
    x64_tr_alu,   x64_tr_movs,   x64_tr_stack,  x64_tr_branch, x64_tr_shift,
    x64_tr_muldiv, x64_tr_bitops, x64_tr_string, x64_tr_misc,
};

/* Operands Ferry does not model yet (segment, control, x87, SSE registers)
 * make the instruction unimplemented before any group sees it. */
static bool x64_operands_supported(const struct x64_dc *dc)
{
    unsigned idx, size;
    bool high;
    for (unsigned i = 0; i < dc->x->op_count; i++) {
        const cs_x86_op *op = &dc->x->operands[i];
        if (op->type == X86_OP_REG && !x64_reg_info(op->reg, &idx, &size, &high))
            return false;
        if (op->type == X86_OP_MEM) {
            const x86_op_mem *m = &op->mem;
            if (m->base != X86_REG_INVALID && m->base != X86_REG_RIP &&
                !x64_reg_info(m->base, &idx, &size, &high))
                return false;
            if (m->index != X86_REG_INVALID && m->index != X86_REG_RIZ &&
                m->index != X86_REG_EIZ && !x64_reg_info(m->index, &idx, &size, &high))
                return false;
        }
    }
    return true;
}

/* Lazy flags: whether instruction id may run with the flags lazy (it writes
 * them lazily, reads them only through x64_cond, or does not touch them and
 * calls no helper that reads cpu->flags), and whether it is one of the
 * writers that leave them lazy.  Every other instruction gets the flag
 * globals made current before it is translated. */
static bool x64_insn_lazy_writer(unsigned id)
{
    switch (id) {
    case X86_INS_ADD: case X86_INS_SUB: case X86_INS_CMP: case X86_INS_AND:
    case X86_INS_OR: case X86_INS_XOR: case X86_INS_TEST:
    case X86_INS_SHL: case X86_INS_SHR: case X86_INS_SAR: case X86_INS_IMUL: case X86_INS_MUL:
    case X86_INS_ROL: case X86_INS_ROR: case X86_INS_INC: case X86_INS_DEC:
        return true;
    default:
        return false;
    }
}

static bool x64_insn_lazy_safe(unsigned id)
{
    switch (id) {
    case X86_INS_MOV: case X86_INS_MOVZX: case X86_INS_MOVSX: case X86_INS_MOVSXD:
    case X86_INS_LEA: case X86_INS_PUSH: case X86_INS_POP: case X86_INS_NOP:
    case X86_INS_NOT: case X86_INS_XCHG: case X86_INS_BSWAP: case X86_INS_CDQE:
    case X86_INS_CWDE: case X86_INS_CDQ: case X86_INS_CQO: case X86_INS_MOVABS:
    case X86_INS_JMP: case X86_INS_CALL: case X86_INS_RET:
    case X86_INS_JAE: case X86_INS_JA: case X86_INS_JBE: case X86_INS_JB: case X86_INS_JE:
    case X86_INS_JGE: case X86_INS_JG: case X86_INS_JLE: case X86_INS_JL: case X86_INS_JNE:
    case X86_INS_JNO: case X86_INS_JNP: case X86_INS_JNS: case X86_INS_JO: case X86_INS_JP:
    case X86_INS_JS:
    case X86_INS_SETAE: case X86_INS_SETA: case X86_INS_SETBE: case X86_INS_SETB:
    case X86_INS_SETE: case X86_INS_SETGE: case X86_INS_SETG: case X86_INS_SETLE:
    case X86_INS_SETL: case X86_INS_SETNE: case X86_INS_SETNO: case X86_INS_SETNP:
    case X86_INS_SETNS: case X86_INS_SETO: case X86_INS_SETP: case X86_INS_SETS:
    case X86_INS_CMOVAE: case X86_INS_CMOVA: case X86_INS_CMOVBE: case X86_INS_CMOVB:
    case X86_INS_CMOVE: case X86_INS_CMOVGE: case X86_INS_CMOVG: case X86_INS_CMOVLE:
    case X86_INS_CMOVL: case X86_INS_CMOVNE: case X86_INS_CMOVNO: case X86_INS_CMOVNP:
    case X86_INS_CMOVNS: case X86_INS_CMOVO: case X86_INS_CMOVP: case X86_INS_CMOVS:
        return true;
    default:
        return x64_insn_lazy_writer(id);
    }
}

static enum x64_status x64_decode(struct x64_dc *dc)
{
    dc->cc_lazy_ok = x64_insn_lazy_writer(dc->ci->id);
    if (!x64_insn_lazy_safe(dc->ci->id))
        x64_flags_materialize(dc);
    if (dc->flags & X64_HF_SYSTEM) {
        enum x64_status st = x64_tr_system(dc);
        if (st != X64_NEXT)
            return st;
    }
    enum x64_status sse = x64_tr_sse(dc);
    if (sse != X64_NEXT)
        return sse;
    if (!x64_operands_supported(dc))
        return X64_UNIMP;
    for (size_t i = 0; i < sizeof x64_groups / sizeof x64_groups[0]; i++) {
        enum x64_status st = x64_groups[i](dc);
        if (st != X64_NEXT)
            return st;
    }
    return X64_UNIMP;
}

static void x64_report_unimp(struct x64_priv *p, uint64_t pc, const cs_insn *ci, const uint8_t *bytes,
                             unsigned len, bool undef)
{
    if (!log_enabled(LOG_unimp))
        return;
    if (ci) {
        if (ci->id < X86_INS_ENDING) {
            if (p->reported_id[ci->id / 8] & (1u << (ci->id % 8)))
                return;
            p->reported_id[ci->id / 8] |= (uint8_t)(1u << (ci->id % 8));
        }
        fprintf(log_out(), "unimp: %s x86-64 instruction at 0x%016" PRIx64 ": %s %s\n",
                undef ? "undefined" : "unimplemented", pc, ci->mnemonic, ci->op_str);
        return;
    }
    if (p->reported_unknown)
        return;
    p->reported_unknown = true;
    fprintf(log_out(), "unimp: undecodable x86-64 instruction at 0x%016" PRIx64 ":", pc);
    for (unsigned i = 0; i < len && i < 15; i++)
        fprintf(log_out(), " %02x", bytes[i]);
    fprintf(log_out(), "\n");
}

/* How many bytes from pc (at most 15) may be fetched. */
static unsigned x64_fetch_len(const struct frontend_ctx *ctx, uint64_t pc)
{
    if (!ctx->can_exec)
        return 15;
    for (unsigned len = 15; len > 0; len--)
        if (ctx->can_exec(ctx->env_opaque, pc, len))
            return len;
    return 0;
}

/* Copy up to 15 bytes of code at pc into buf: through the MMU in system mode
 * (ctx->fetch), else from guest_base + pc.  Returns how many could be fetched. */
static unsigned x64_fetch(const struct frontend_ctx *ctx, uint64_t pc, uint32_t flags, uint8_t *buf)
{
    if (ctx->fetch)
        return ctx->fetch(ctx->env_opaque, pc, flags, buf, 15);
    unsigned avail = x64_fetch_len(ctx, pc);
    memcpy(buf, (const uint8_t *)((uintptr_t)ctx->guest_base + pc), avail);
    return avail;
}

int x64_translate(void *opaque, struct ir_func *f, uint64_t pc, uint32_t flags, unsigned max_insns,
                  uint32_t *guest_size)
{
    struct frontend_ctx *ctx = opaque;
    struct x64_priv *priv = ctx->priv;
    struct x64_dc dc;
    memset(&dc, 0, sizeof dc);
    dc.f = f;
    dc.ctx = ctx;
    dc.flags = flags;
    /* system mode outside 64-bit code: 32-bit protected mode (16-bit code
     * is not translated) */
    csh cs = priv->cs;
    cs_insn *ci = priv->ci;
    if ((flags & X64_HF_SYSTEM) && !(flags & X64_HF_CS64)) {
        if (!(flags & X64_HF_CS32)) {
            ir_error(f, "x64: 16-bit code at 0x%llx is not translated", (unsigned long long)pc);
            return -EINVAL;
        }
        cs = priv->cs32;
        ci = priv->ci32;
    }
    f->env_size = sizeof(struct x64_cpu);
    uint64_t start = pc;
    if (max_insns == 0)
        max_insns = 1;
    if (!ctx->fetch && x64_fetch_len(ctx, pc) == 0) {
        ir_error(f, "x64: pc 0x%llx is not executable", (unsigned long long)pc);
        return -EFAULT;
    }

    bool log_asm = log_enabled(LOG_in_asm);
    if (log_asm)
        fprintf(log_out(), "----------------\nIN:\n");
    for (unsigned n = 0;;) {
        /* decode from a copy padded with zeros, so that an instruction
         * running past the executable bytes is told from an invalid one */
        uint8_t buf[16] = {0};
        unsigned avail = x64_fetch(ctx, pc, flags, buf);
        const uint8_t *cp = buf;
        size_t left = 15;
        uint64_t addr = pc;
        ir_insn_start(f, pc);
        dc.pc = pc;
        bool ok = cs_disasm_iter(cs, &cp, &left, &addr, ci);
        if (ok && ci->size > avail && n > 0) {
            /* it needs bytes we may not execute: end the block here, so
             * that the next block starts with it and faults precisely */
            x64_goto(&dc, pc);
            break;
        }
        if (ok && ci->size > avail) {
            ir_st_state(f, x64_c64(&dc, pc + avail), offsetof(struct x64_cpu, fault_addr), IR_MO_64);
            x64_exit(&dc, IR_EXIT_fault, pc);
            n++;
            pc += avail ? avail : 1;
            break;
        }
        if (!ok) {
            x64_report_unimp(priv, pc, NULL, buf, avail, true);
            x64_exit(&dc, IR_EXIT_undef, pc);
            n++;
            pc += 1;
            break;
        }
        dc.ci = ci;
        dc.x = &ci->detail->x86;
        dc.next_pc = pc + ci->size;
        if (log_asm)
            fprintf(log_out(), "0x%016" PRIx64 ":  %s %s\n", pc, dc.ci->mnemonic, dc.ci->op_str);
        uint32_t mark = f->ninsns;
        unsigned ngoto = dc.ngoto_tb;
        enum x64_status st = x64_decode(&dc);
        if (f->err)
            break;
        n++;
        pc = dc.next_pc;
        if (st == X64_UNDEF || st == X64_UNIMP) {
            f->ninsns = mark;
            dc.ngoto_tb = ngoto;
            x64_report_unimp(priv, dc.pc, dc.ci, buf, dc.ci->size, st == X64_UNDEF);
            x64_exit(&dc, IR_EXIT_undef, dc.pc);
            break;
        }
        if (st == X64_END)
            break;
        if (n >= max_insns || (pc >> TCG_PAGE_BITS) != (start >> TCG_PAGE_BITS)) {
            x64_goto(&dc, pc);
            break;
        }
    }
    if (log_asm)
        fprintf(log_out(), "\n");
    *guest_size = pc > start ? (uint32_t)(pc - start) : 1u;
    return 0;
}

/* ---- the CPU state and the frontend object -------------------------------- */

/* The status flags of a pending lazy op (cpu->cc_op != X64_CC_EAGER). */
static uint64_t x64_lazy_status(const struct x64_cpu *cpu)
{
    unsigned kind = cpu->cc_op & 15, size = (cpu->cc_op >> 4) & 15;
    unsigned w = 8 * size;
    uint64_t mask = size >= 8 ? ~0ull : (1ull << w) - 1;
    uint64_t a = cpu->cc_a, b = cpu->cc_b, res = cpu->cc_res;
    uint64_t cf = 0, of = 0, af = 0;
    if (kind == X64_CC_SHL) {
        cf = (a >> (w - 1)) & 1;
        of = ((res >> (w - 1)) & 1) ^ cf;
    } else if (kind == X64_CC_SHR) {
        cf = a & 1;
        of = (b >> (w - 1)) & 1;
    } else if (kind == X64_CC_SAR) {
        cf = a & 1;
    } else if (kind == X64_CC_INC || kind == X64_CC_DEC) {
        cf = b & 1;
        uint64_t sres = kind == X64_CC_INC ? (a ^ res) & (1 ^ res) : (a ^ 1) & (a ^ res);
        of = (sres >> (w - 1)) & 1;
        af = ((a ^ 1 ^ res) >> 4) & 1;
    } else if (kind == X64_CC_ROT) {
        cf = a & 1;
        of = (a >> 1) & 1;
        af = (b >> 4) & 1;
    } else if (kind == X64_CC_MUL) {
        cf = of = a & 1;
    } else if (kind == X64_CC_ADD) {
        cf = size >= 8 ? res < a : (res >> w) & 1;
        of = (((a ^ res) & (b ^ res)) >> (w - 1)) & 1;
        af = ((a ^ b ^ res) >> 4) & 1;
    } else if (kind == X64_CC_SUB) {
        cf = size >= 8 ? a < b : (res >> w) & 1;
        of = (((a ^ b) & (a ^ res)) >> (w - 1)) & 1;
        af = ((a ^ b ^ res) >> 4) & 1;
    }
    uint64_t r = cf | af << 4 | of << 11;
    r |= (uint64_t)(~__builtin_popcount((unsigned)(res & 0xffu)) & 1) << 2;
    r |= (uint64_t)((res & mask) == 0) << 6;
    r |= ((res >> (w - 1)) & 1) << 7;
    return r;
}

uint64_t x64_get_rflags(const struct x64_cpu *cpu)
{
    uint64_t r = (cpu->rflags_other & ~(uint64_t)(X64_RFLAGS_STATUS | X64_RFLAGS_DF)) | 2u;
    if (cpu->cc_op != X64_CC_EAGER)
        return r | x64_lazy_status(cpu) | (uint64_t)(cpu->df & 1) << 10;
    r |= (uint64_t)(cpu->flags[X64_CF] & 1) << 0;
    r |= (uint64_t)(~__builtin_popcount(cpu->flags[X64_PF] & 0xffu) & 1) << 2;
    r |= (uint64_t)((cpu->flags[X64_AF] >> 4) & 1) << 4;
    r |= (uint64_t)(cpu->flags[X64_ZF] == 0) << 6;
    r |= (uint64_t)(cpu->flags[X64_SF] >> 31) << 7;
    r |= (uint64_t)(cpu->df & 1) << 10;
    r |= (uint64_t)(cpu->flags[X64_OF] >> 31) << 11;
    return r;
}

void x64_set_rflags(struct x64_cpu *cpu, uint64_t r)
{
    cpu->cc_op = X64_CC_EAGER;
    cpu->flags[X64_CF] = (r >> 0) & 1;
    cpu->flags[X64_PF] = ((r >> 2) & 1) ^ 1; /* raw forms: see struct x64_cpu */
    cpu->flags[X64_AF] = r & X64_RFLAGS_AF;
    cpu->flags[X64_ZF] = ((r >> 6) & 1) ^ 1;
    cpu->flags[X64_SF] = (uint32_t)((r >> 7) & 1) << 31;
    cpu->df = (r >> 10) & 1;
    cpu->flags[X64_OF] = (uint32_t)((r >> 11) & 1) << 31;
    cpu->rflags_other = (uint32_t)(r & ~(uint64_t)(X64_RFLAGS_STATUS | X64_RFLAGS_DF)) | 2u;
}

void x64_cpu_reset(struct x64_cpu *cpu)
{
    memset(cpu, 0, sizeof(*cpu));
    x64_set_rflags(cpu, 2);
    cpu->mxcsr = X64_MXCSR_DEFAULT;
    cpu->fpu_cw = X64_FPU_CW_DEFAULT;
}

void x64_cpu_dump(const struct x64_cpu *cpu, FILE *out)
{
    static const char *const names[16] = {"RAX", "RCX", "RDX", "RBX", "RSP", "RBP", "RSI", "RDI",
                                          "R8",  "R9",  "R10", "R11", "R12", "R13", "R14", "R15"};
    fprintf(out, " RIP=%016" PRIx64 "  RFLAGS=%08" PRIx64 "\n", cpu->head.pc, x64_get_rflags(cpu));
    for (int i = 0; i < 16; i++) {
        fprintf(out, " %-3s=%016" PRIx64, names[i], cpu->regs[i]);
        if (i % 4 == 3)
            fputc('\n', out);
    }
    fprintf(out, " FS=%016" PRIx64 " GS=%016" PRIx64 "\n", cpu->fs_base, cpu->gs_base);
}

static void frontend_x64_reset(struct cpu_head *cpu) { x64_cpu_reset((struct x64_cpu *)cpu); }

static void frontend_x64_dump(const struct cpu_head *cpu, FILE *out)
{
    x64_cpu_dump((const struct x64_cpu *)cpu, out);
}

const struct ferry_frontend frontend_x86_64 = {
    .name = "x86_64",
    .elf_machine = EM_X86_64,
    .elf_class = ELFCLASS64,
    .cpu_size = sizeof(struct x64_cpu),
    .cpu_align = _Alignof(struct x64_cpu),
    .cpu_reset = frontend_x64_reset,
    .ctx_init = x64_ctx_init,
    .ctx_fini = x64_ctx_fini,
    .translate = x64_translate,
    .cpu_dump = frontend_x64_dump,
};
