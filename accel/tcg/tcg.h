/* The translation cache and the frontend-independent execution loop.
 * Pipeline: translate callback (frontend) -> ir_func -> ir_optimize -> backend->compile
 * -> code buffer; tcg_exec runs blocks through backend->exec and handles the exits
 * the dispatcher owns (chain, lookup, request, invalidate). */
#ifndef FERRY_TCG_H
#define FERRY_TCG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../../backend/backend.h"
#include "../../ir/ir.h"
#include "cpu.h"
#include "tb.h"

#define TCG_DEFAULT_CODE_SIZE ((size_t)32 << 20)
#define TCG_DEFAULT_MAX_INSNS 512u
#define TCG_PAGE_BITS 12 /* guest page size for range invalidation: 4 KiB */
#define TCG_PAGE_SIZE (1ull << TCG_PAGE_BITS)

/* tcg_exec's return value when translation failed: one past the last IR_EXIT_*.
 * tcg_error()/tcg_errmsg() say why. */
#define TCG_EXIT_ERROR ((unsigned)IR_EXIT_COUNT)

struct tcg_config {
    const struct ferry_backend *backend; /* required */
    size_t code_size;                    /* bytes of code buffer; 0 = TCG_DEFAULT_CODE_SIZE */
    uint32_t opt_mask;  /* IR passes to run (bit i = IR_PASS i); 0 = no optimization */
    bool verify;        /* ir_verify the frontend's IR and the IR after each pass */
    unsigned max_insns; /* guest insns per block; 0 = TCG_DEFAULT_MAX_INSNS */
    bool no_chain;      /* never patch direct jumps (every goto_tb returns to the loop) */
    /* Tiered translation: 0 = off (every block gets opt_mask at once).  N > 0:
     * a block is first compiled with tier0_mask (a cold block) and recompiled
     * with opt_mask when the loop enters it for the N-th time (cold blocks are
     * not chained to and not put in jump caches, so the loop sees every entry).
     * Startup code that runs a few times never pays for the optimizer. */
    unsigned tier_up;
    uint32_t tier0_mask;
    bool no_ras; /* give cpus no return stack (ras_push/goto_ret act as plain jumps) */
};
/* Entries of a cold block before it is optimized (ferry run's default). */
#define TCG_DEFAULT_TIER_UP 16u
/* backend NULL, default code size and max_insns, every pass, verify off, chaining on,
 * tiering off. */
void tcg_config_default(struct tcg_config *c);

/* The frontend: fill `f` (already reset; f->pc/f->flags preset to pc/flags) with
 * the block starting at (pc, flags), at most max_insns guest instructions, and
 * set *guest_size to the bytes of guest code it covers (>= 1 is assumed).
 * Returns 0, or a negative error (e.g. -EFAULT: pc not mapped); it may explain
 * the error with ir_error(f, ...), which tcg_errmsg() then reports.  A sticky
 * error left in f (f->err) with a 0 return is also a translation failure. */
typedef int (*tcg_translate_fn)(void *opaque, struct ir_func *f, uint64_t pc, uint32_t flags,
                                unsigned max_insns, uint32_t *guest_size);

struct tcg_stats {
    uint64_t blocks;               /* blocks translated (compiled successfully) */
    uint64_t retranslations;       /* BACKEND_TOO_BIG retries with fewer insns */
    uint64_t ir_ops_in;            /* IR insns the frontend emitted */
    uint64_t ir_ops_out;           /* IR insns after optimization */
    uint64_t host_bytes;           /* host code (or bytecode) bytes compiled */
    uint64_t flushes;              /* code buffer flushes */
    uint64_t chains;               /* direct jumps patched */
    uint64_t invalidations;        /* blocks invalidated */
    uint64_t jc_fills;             /* jump-cache entries filled by the loop */
    uint64_t tier_ups;             /* cold blocks retranslated with the full optimizer */
    uint64_t ret_fills;            /* return cells filled (goto_ret hints) */
    uint64_t exits[IR_EXIT_COUNT]; /* backend->exec returns, by reason */
    uint64_t translate_ns;         /* time spent finding+translating+compiling blocks */
    uint64_t total_ns;             /* time spent inside tcg_exec; executing = total - translate */
};

/* Per-page list node (a block spanning several pages has one node per page). */
struct tcg_page_link {
    struct tb *tb;
    struct tcg_page_link *next;
};
struct tcg_page {
    uint64_t index; /* guest address >> TCG_PAGE_BITS */
    struct tcg_page_link *first;
    struct tcg_page *hash_next;
};

/* Everything below is owned by accel/tcg; read `stats` and `cb` freely. */
struct tcg_ctx {
    struct tcg_config config;
    const struct ferry_backend *backend;
    void *backend_state;
    struct code_buf cb;
    tcg_translate_fn translate;
    void *opaque;

    /* TB arena: blocks in code order in fixed-size chunks; ntb used since the
     * last flush.  Pointers stay valid until tcg_flush. */
    struct tb **tb_chunks;
    size_t ntb_chunks, ntb;

    /* global hash table keyed (pc, flags) */
    struct tb **hash;
    size_t hash_size, hash_count; /* hash_size: power of two */

    /* guest page -> blocks on it */
    struct tcg_page **pages;
    size_t pages_size, pages_count;
    /* arena for tcg_page and tcg_page_link nodes, freed at flush */
    char **node_chunks;
    size_t nnode_chunks, node_chunk_used;

    struct cpu_head **cpus; /* registered cpus (their jump caches) */
    size_t ncpus, cap_cpus;

    struct ir_func func; /* reused for every translation */
    uint64_t generation; /* incremented by every flush */

    int err; /* last error of tcg_exec/tcg_lookup (negative), 0 if none */
    char errmsg[256];

    struct tcg_stats stats;
};

/* Create the code buffer and backend state.  Returns 0, or a negative errno
 * with a message in ctx->errmsg (nothing to free). */
int tcg_init(struct tcg_ctx *ctx, const struct tcg_config *config, tcg_translate_fn translate,
             void *opaque);
/* Free everything, including the jump caches of cpus still registered. */
void tcg_fini(struct tcg_ctx *ctx);

/* Register a cpu: allocate its jump cache (every entry empty) and return stack
 * (unless config.no_ras), set cpu->jmp_cache and cpu->ras.  Returns 0 or -ENOMEM.  tcg_cpu_fini unregisters and frees it. */
int tcg_cpu_init(struct tcg_ctx *ctx, struct cpu_head *cpu);
void tcg_cpu_fini(struct tcg_ctx *ctx, struct cpu_head *cpu);

/* Run `cpu` (registered with tcg_cpu_init) from (cpu->pc, cpu->flags) until an
 * exit the caller must handle:
 * returns an IR_EXIT_* reason other than chain, lookup and invalidate (those the
 * loop handles itself: invalidate just resumes at cpu->pc), with cpu->pc the guest
 * pc to resume at.  IR_EXIT_request clears cpu->exit_request before returning.
 * Returns TCG_EXIT_ERROR if a block could not be translated or compiled
 * (cpu->pc is its pc; tcg_error/tcg_errmsg tell why).
 * A direct jump is chained only between blocks of the same flags, so a block
 * that changes cpu->flags must end with goto_ptr or exit, not goto_tb.
 * With -d exec every block is logged as it starts; chaining and jump-cache
 * fills are then off so that no block runs unseen.
 * One tcg_ctx serves one thread at a time. */
unsigned tcg_exec(struct tcg_ctx *ctx, struct cpu_head *cpu);

/* Find the block for (pc, flags): jump cache of `cpu` (may be NULL), then the
 * hash table, else translate it.  NULL on error (tcg_errmsg).  The returned
 * block is valid until the next flush or invalidation. */
struct tb *tcg_lookup(struct tcg_ctx *ctx, struct cpu_head *cpu, uint64_t pc, uint32_t flags);
/* Cache only (no translation); NULL if absent. */
struct tb *tcg_find_tb(struct tcg_ctx *ctx, uint64_t pc, uint32_t flags);

/* Negative error code and message of the last failure. */
static inline int tcg_error(const struct tcg_ctx *ctx) { return ctx->err; }
static inline const char *tcg_errmsg(const struct tcg_ctx *ctx) { return ctx->errmsg; }

/* Invalidation.  Safe to call from a helper while a block runs (the block itself
 * finishes; its direct jumps now lead back to the loop, so no invalidated code is
 * entered again).  tcg_invalidate_range drops every block overlapping guest
 * addresses [start, end) and returns how many. */
void tcg_invalidate_tb(struct tcg_ctx *ctx, struct tb *tb);
unsigned tcg_invalidate_range(struct tcg_ctx *ctx, uint64_t start, uint64_t end);
/* Forget every block.  Must not be called while a block runs (not from helpers). */
void tcg_flush(struct tcg_ctx *ctx);

/* The block whose host code contains host_pc (an address in the executable view),
 * including invalidated blocks not yet flushed; NULL if none.  With tb_guest_pc()
 * this maps a faulting host pc to its guest pc. */
struct tb *tcg_find_tb_by_host_pc(const struct tcg_ctx *ctx, const void *host_pc);

/* Number of blocks currently in the arena (valid or invalidated) and the i-th in
 * code order (for tests and statistics). */
static inline size_t tcg_tb_count(const struct tcg_ctx *ctx) { return ctx->ntb; }
struct tb *tcg_tb_at(const struct tcg_ctx *ctx, size_t i);

/* Human-readable statistics (the CLI's --stats). */
void tcg_stats_print(const struct tcg_ctx *ctx, FILE *out);

#endif
