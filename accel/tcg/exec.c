/* The frontend-independent execution loop: run blocks through backend->exec,
 * chain direct jumps as they are first taken, refill the jump cache on indirect
 * misses, and hand every other exit to the caller. */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "../../util/log.h"
#include "tcg_int.h"

/* Patch slot `slot` of src to jump straight into dest. */
static void tcg_chain(struct tcg_ctx *ctx, struct tb *src, unsigned slot, struct tb *dest)
{
    struct tb_jmp *j = &src->jmp[slot];
    ctx->backend->patch_jmp(ctx->backend_state, &ctx->cb, src, slot, dest);
    j->dest = dest;
    j->in_next = dest->in_first;
    dest->in_first = j;
    ctx->stats.chains++;
}

/* May the chain exit of (src, slot), taken in flush generation gen, be patched
 * to dest?  src may have been flushed away or invalidated meanwhile.  A cold
 * block is never chained to (the loop counts its entries).  Blocks are
 * only chained within one cpu mode (a block that changes cpu->flags must end
 * with an exit, not a goto_tb). */
static bool tcg_can_chain(const struct tcg_ctx *ctx, uint64_t gen, const struct tb *src,
                          unsigned slot, const struct tb *dest)
{
    return gen == ctx->generation && src && !src->invalid && !dest->invalid && !dest->cold &&
           slot < src->njmp &&
           !src->jmp[slot].dest && src->jmp[slot].dest_pc == dest->pc && src->flags == dest->flags;
}

/* May src's return cell, found empty by a goto_ret to dest->pc (src's ras_push
 * pc) in flush generation gen, now enter dest?  Like chaining: same mode, both
 * valid, dest optimized. */
static bool tcg_can_fill_ret(const struct tcg_ctx *ctx, uint64_t gen, const struct tb *src,
                             const struct tb *dest)
{
    return gen == ctx->generation && !src->invalid && !dest->invalid && !dest->cold &&
           src->ret_host == TB_RET_EMPTY && src->flags == dest->flags;
}

static unsigned tcg_exec_loop(struct tcg_ctx *ctx, struct cpu_head *cpu)
{
    bool log_exec = log_enabled(LOG_exec);
    bool chain = !ctx->config.no_chain && !log_exec;
    /* with -d exec every block returns to the loop: no chaining, no jump cache */
    bool fill = !log_exec;
    struct tb *tb = tcg_lookup_fill(ctx, cpu, cpu->pc, cpu->flags, fill);
    for (;;) {
        if (!tb)
            return TCG_EXIT_ERROR;
        if (log_exec)
            fprintf(log_out(), "Trace: pc=0x%" PRIx64 " flags=0x%x host=%p\n", tb->pc, tb->flags,
                    (const void *)tb->code);
        unsigned r = ctx->backend->exec(ctx->backend_state, cpu, tb);
        if (r >= IR_EXIT_COUNT) {
            ctx->err = -EIO;
            snprintf(ctx->errmsg, sizeof(ctx->errmsg),
                     "backend %s returned an unknown exit reason %u near pc 0x%" PRIx64,
                     ctx->backend->name, r, cpu->pc);
            return TCG_EXIT_ERROR;
        }
        ctx->stats.exits[r]++;
        switch (r) {
        case IR_EXIT_chain: {
            struct tb *src = cpu->last_tb;
            unsigned slot = cpu->last_slot;
            uint64_t gen = ctx->generation;
            cpu->last_tb = NULL;
            tb = tcg_lookup_fill(ctx, cpu, cpu->pc, cpu->flags, fill);
            if (tb && chain && tcg_can_chain(ctx, gen, src, slot, tb))
                tcg_chain(ctx, src, slot, tb);
            break;
        }
        case IR_EXIT_lookup: {
            /* a goto_ret whose return-stack entry matched an empty return cell */
            struct tb *src = cpu->ras ? cpu->ras->fill : NULL;
            uint64_t gen = ctx->generation;
            if (src)
                cpu->ras->fill = NULL;
            tb = tcg_lookup_fill(ctx, cpu, cpu->pc, cpu->flags, fill);
            if (src && tb && chain && tcg_can_fill_ret(ctx, gen, src, tb))
                tcg_ret_link(ctx, src, tb);
            break;
        }
        case IR_EXIT_invalidate:
            tb = tcg_lookup_fill(ctx, cpu, cpu->pc, cpu->flags, fill);
            break;
        case IR_EXIT_request:
            cpu->exit_request = 0;
            return r;
        default:
            return r;
        }
    }
}

unsigned tcg_exec(struct tcg_ctx *ctx, struct cpu_head *cpu)
{
    assert(cpu->jmp_cache && "tcg_exec: cpu not registered with tcg_cpu_init");
    uint64_t t0 = tcg_now_ns();
    ctx->err = 0;
    ctx->errmsg[0] = 0;
    unsigned r = tcg_exec_loop(ctx, cpu);
    ctx->stats.total_ns += tcg_now_ns() - t0;
    return r;
}
