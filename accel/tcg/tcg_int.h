/* accel/tcg internals shared by cache.c and exec.c (not for other modules). */
#ifndef FERRY_TCG_INT_H
#define FERRY_TCG_INT_H

#include "tcg.h"

/* Put tb in cpu's jump cache. */
void tcg_jc_fill(struct tcg_ctx *ctx, struct cpu_head *cpu, struct tb *tb);
/* tcg_lookup without clearing ctx->err; fills the jump cache only if `fill`. */
struct tb *tcg_lookup_fill(struct tcg_ctx *ctx, struct cpu_head *cpu, uint64_t pc, uint32_t flags,
                           bool fill);
uint64_t tcg_now_ns(void);
/* Fill src's return cell with dest (the block at src's ras_push pc). */
void tcg_ret_link(struct tcg_ctx *ctx, struct tb *src, struct tb *dest);
/* Are new blocks compiled cold first (tcg_config.tier_up)? */
bool tcg_tiering(const struct tcg_ctx *ctx);

#endif
