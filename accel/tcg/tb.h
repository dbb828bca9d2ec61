/* Translation blocks: one compiled ir_func, keyed by (guest pc, cpu-mode flags),
 * with the bookkeeping for chaining direct jumps and mapping host pcs back to
 * guest pcs.  Owned by the translation cache (accel/tcg/cache.c); backends fill
 * in the code fields when they compile. */
#ifndef FERRY_TCG_TB_H
#define FERRY_TCG_TB_H

#include <stdint.h>

#define TB_MAX_JMP 2 /* goto_tb slots per block (the verifier enforces it) */
#define TB_RET_EMPTY ((const void *)1) /* tb->ret_host: fill me */

struct tb;

/* One outgoing direct jump (a goto_tb). */
struct tb_jmp {
    uint64_t dest_pc;    /* the goto_tb's target pc */
    uint32_t patch_off;  /* backend-defined: where in the code the jump lives */
    uint32_t reset_off;  /* backend-defined: the unchained target (exit stub) */
    struct tb *dest;     /* the block this slot is chained to, or NULL */
    struct tb *src;      /* the block owning this slot */
    struct tb_jmp *in_next; /* next jump into the same dest block */
};

/* host pc -> guest pc: one entry per guest instruction (insn_start), host_off
 * is the offset from tb->code of the first host byte of that instruction. */
struct tb_pcmap {
    uint32_t host_off;
    uint64_t guest_pc;
};

struct tb {
    uint64_t pc;
    uint32_t flags;
    uint32_t guest_size;  /* bytes of guest code the block covers (invalidation) */
    uint32_t guest_insns; /* guest instructions in the block */
    uint32_t njmp;        /* goto_tb slots used */

    const uint8_t *code;  /* entry point in the code buffer's executable view */
    uint32_t code_size;   /* bytes of host code (or bytecode) */
    uint32_t ir_ops;      /* IR insns compiled (statistics) */

    struct tb_jmp jmp[TB_MAX_JMP];
    struct tb_jmp *in_first; /* jumps from other blocks chained to this one */

    struct tb_pcmap *pcmap;  /* malloc'd by the backend, freed by the cache */
    uint32_t npcmap;
    uint32_t invalid;        /* set when invalidated (never reused until flush) */

    struct tb *hash_next;    /* global hash chain */
    struct tb *page_next;    /* per-page list (invalidation by range) */

    /* Tiered translation (tcg_config.tier_up): a cold block was compiled with
     * the cheap pass set; the loop counts its entries (a cold block is never
     * chained to nor put in a jump cache, so every entry passes the loop) and
     * retranslates it with the full optimizer on the tier_up-th. */
    uint32_t cold;
    uint32_t hits;

    /* Return cell (accel/tcg/cpu.h, struct ras_entry): the code of the block at
     * this block's ras_push pc (at most one per block).  TB_RET_EMPTY: not
     * known yet, a goto_ret that matches exits to the loop to fill it (the
     * cache sets this when the block is committed and again when the block it
     * entered is invalidated); NULL: no hint (goto_ret just probes the jump
     * cache; blocks outside a translation cache, invalidated ones). */
    const void *ret_host;
    struct tb *ret_tb;      /* the block ret_host enters */
    struct tb *ret_in_first; /* blocks whose ret_tb is this one ... */
    struct tb *ret_next;     /* ... linked through ret_next */
};

/* Guest pc of the instruction whose host code contains `host_pc` (an address
 * in tb->code .. tb->code + code_size); tb->pc if the map is empty. */
static inline uint64_t tb_guest_pc(const struct tb *tb, const uint8_t *host_pc)
{
    uint64_t pc = tb->pc;
    uint32_t off = (uint32_t)(host_pc - tb->code);
    for (uint32_t i = 0; i < tb->npcmap && tb->pcmap[i].host_off <= off; i++)
        pc = tb->pcmap[i].guest_pc;
    return pc;
}

#endif
