/* The translation cache: TB arena in code order, global (pc, flags) hash table,
 * per-page block lists, jump caches of registered cpus, the translate -> optimize
 * -> compile path, invalidation and flush.  The execution loop is in exec.c. */
#include "tcg_int.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../util/log.h"

#define TB_CHUNK 1024u                /* blocks per arena chunk */
#define NODE_CHUNK ((size_t)64 << 10) /* bytes per page-node arena chunk */
#define HASH_MIN 4096u
#define PAGES_MIN 1024u

static void tcg_set_error(struct tcg_ctx *ctx, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void tcg_set_error(struct tcg_ctx *ctx, int err, const char *fmt, ...)
{
    ctx->err = err;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
    va_end(ap);
}

uint64_t tcg_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void tcg_config_default(struct tcg_config *c)
{
    memset(c, 0, sizeof(*c));
    c->code_size = TCG_DEFAULT_CODE_SIZE;
    c->opt_mask = IR_PASSES_ALL;
    c->max_insns = TCG_DEFAULT_MAX_INSNS;
}

/* ---- jump caches ---------------------------------------------------------- */

static void jc_clear_all(struct jc_entry *jc)
{
    for (unsigned i = 0; i < JC_SIZE; i++) {
        jc[i].pc = JC_EMPTY_PC;
        jc[i].flags = JC_EMPTY_FLAGS;
        jc[i].host = NULL;
        jc[i].tb = NULL;
    }
}

static void jc_drop_tb(struct tcg_ctx *ctx, const struct tb *tb)
{
    uint32_t h = jc_hash(tb->pc);
    for (size_t i = 0; i < ctx->ncpus; i++) {
        struct jc_entry *e = &ctx->cpus[i]->jmp_cache[h];
        if (e->tb == tb) {
            e->pc = JC_EMPTY_PC;
            e->flags = JC_EMPTY_FLAGS;
            e->host = NULL;
            e->tb = NULL;
        }
    }
}

void tcg_jc_fill(struct tcg_ctx *ctx, struct cpu_head *cpu, struct tb *tb)
{
    struct jc_entry *e = &cpu->jmp_cache[jc_hash(tb->pc)];
    if (e->tb == tb)
        return;
    /* The backends probe pc first: make the entry consistent before it matches. */
    e->pc = JC_EMPTY_PC;
    e->tb = tb;
    e->host = tb->code;
    e->flags = tb->flags;
    e->pc = tb->pc;
    ctx->stats.jc_fills++;
}

/* ---- return-address stack ------------------------------------------------- */

static void ras_clear(struct ras_stack *ras)
{
    ras->top = 0;
    ras->fill = NULL;
    for (unsigned i = 0; i < RAS_SIZE; i++) {
        ras->e[i].pc = JC_EMPTY_PC;
        ras->e[i].src = NULL;
    }
}

void tcg_ret_link(struct tcg_ctx *ctx, struct tb *src, struct tb *dest)
{
    src->ret_tb = dest;
    src->ret_next = dest->ret_in_first;
    dest->ret_in_first = src;
    src->ret_host = dest->code;
    ctx->stats.ret_fills++;
}

/* tb is going away: empty the return cells that enter it (they may be filled
 * again) and its own (for good). */
static void ret_unlink(struct tb *tb)
{
    for (struct tb *src = tb->ret_in_first, *next; src; src = next) {
        next = src->ret_next;
        src->ret_host = TB_RET_EMPTY;
        src->ret_tb = NULL;
        src->ret_next = NULL;
    }
    tb->ret_in_first = NULL;
    if (tb->ret_tb) {
        for (struct tb **p = &tb->ret_tb->ret_in_first; *p; p = &(*p)->ret_next) {
            if (*p == tb) {
                *p = tb->ret_next;
                break;
            }
        }
    }
    tb->ret_host = NULL;
    tb->ret_tb = NULL;
    tb->ret_next = NULL;
}

int tcg_cpu_init(struct tcg_ctx *ctx, struct cpu_head *cpu)
{
    if (ctx->ncpus == ctx->cap_cpus) {
        size_t n = ctx->cap_cpus ? ctx->cap_cpus * 2 : 4;
        struct cpu_head **p = realloc(ctx->cpus, n * sizeof(*p));
        if (!p)
            return -ENOMEM;
        ctx->cpus = p;
        ctx->cap_cpus = n;
    }
    /* the return stack lives after the jump cache: one allocation, freed with
     * it (a cpu_reset that forgets cpu->ras only turns the hint off) */
    size_t ras_bytes = ctx->config.no_ras ? 0 : sizeof(struct ras_stack);
    struct jc_entry *jc = malloc(JC_SIZE * sizeof(*jc) + ras_bytes);
    if (!jc)
        return -ENOMEM;
    jc_clear_all(jc);
    struct ras_stack *ras = ras_bytes ? (struct ras_stack *)(jc + JC_SIZE) : NULL;
    if (ras)
        ras_clear(ras);
    cpu->jmp_cache = jc;
    cpu->ras = ras;
    cpu->last_tb = NULL;
    cpu->last_slot = 0;
    ctx->cpus[ctx->ncpus++] = cpu;
    return 0;
}

void tcg_cpu_fini(struct tcg_ctx *ctx, struct cpu_head *cpu)
{
    for (size_t i = 0; i < ctx->ncpus; i++) {
        if (ctx->cpus[i] == cpu) {
            ctx->cpus[i] = ctx->cpus[--ctx->ncpus];
            break;
        }
    }
    free(cpu->jmp_cache); /* and the return stack */
    cpu->jmp_cache = NULL;
    cpu->ras = NULL;
    cpu->last_tb = NULL;
}

/* ---- TB arena --------------------------------------------------------------- */

struct tb *tcg_tb_at(const struct tcg_ctx *ctx, size_t i)
{
    return i < ctx->ntb ? &ctx->tb_chunks[i / TB_CHUNK][i % TB_CHUNK] : NULL;
}

/* The next free slot, zeroed; it becomes a block only with tb_commit. */
static struct tb *tb_alloc(struct tcg_ctx *ctx)
{
    size_t chunk = ctx->ntb / TB_CHUNK;
    if (chunk == ctx->ntb_chunks) {
        struct tb **p = realloc(ctx->tb_chunks, (chunk + 1) * sizeof(*p));
        if (!p)
            return NULL;
        ctx->tb_chunks = p;
        p[chunk] = malloc(TB_CHUNK * sizeof(struct tb));
        if (!p[chunk])
            return NULL;
        ctx->ntb_chunks = chunk + 1;
    }
    struct tb *tb = &ctx->tb_chunks[chunk][ctx->ntb % TB_CHUNK];
    memset(tb, 0, sizeof(*tb));
    return tb;
}

/* ---- hash table --------------------------------------------------------------- */

static size_t tb_hash(const struct tcg_ctx *ctx, uint64_t pc, uint32_t flags)
{
    uint64_t h = (pc ^ ((uint64_t)flags << 40) ^ flags) * 0x9e3779b97f4a7c15ull;
    h ^= h >> 29;
    return (size_t)h & (ctx->hash_size - 1);
}

static int hash_grow(struct tcg_ctx *ctx)
{
    size_t old = ctx->hash_size, n = old ? old * 2 : HASH_MIN;
    struct tb **nh = calloc(n, sizeof(*nh));
    if (!nh)
        return -ENOMEM;
    struct tb **oh = ctx->hash;
    ctx->hash = nh;
    ctx->hash_size = n;
    for (size_t i = 0; i < old; i++) {
        for (struct tb *tb = oh[i], *next; tb; tb = next) {
            next = tb->hash_next;
            size_t h = tb_hash(ctx, tb->pc, tb->flags);
            tb->hash_next = nh[h];
            nh[h] = tb;
        }
    }
    free(oh);
    return 0;
}

struct tb *tcg_find_tb(struct tcg_ctx *ctx, uint64_t pc, uint32_t flags)
{
    for (struct tb *tb = ctx->hash[tb_hash(ctx, pc, flags)]; tb; tb = tb->hash_next)
        if (tb->pc == pc && tb->flags == flags)
            return tb;
    return NULL;
}

static void hash_remove(struct tcg_ctx *ctx, struct tb *tb)
{
    for (struct tb **p = &ctx->hash[tb_hash(ctx, tb->pc, tb->flags)]; *p; p = &(*p)->hash_next) {
        if (*p == tb) {
            *p = tb->hash_next;
            tb->hash_next = NULL;
            ctx->hash_count--;
            return;
        }
    }
}

/* ---- per-page lists ----------------------------------------------------------- */

static void *node_alloc(struct tcg_ctx *ctx, size_t size)
{
    size = (size + 7) & ~(size_t)7;
    if (ctx->nnode_chunks == 0 || ctx->node_chunk_used + size > NODE_CHUNK) {
        char **p = realloc(ctx->node_chunks, (ctx->nnode_chunks + 1) * sizeof(*p));
        if (!p)
            return NULL;
        ctx->node_chunks = p;
        p[ctx->nnode_chunks] = malloc(NODE_CHUNK);
        if (!p[ctx->nnode_chunks])
            return NULL;
        ctx->nnode_chunks++;
        ctx->node_chunk_used = 0;
    }
    void *r = ctx->node_chunks[ctx->nnode_chunks - 1] + ctx->node_chunk_used;
    ctx->node_chunk_used += size;
    return r;
}

static size_t page_hash(const struct tcg_ctx *ctx, uint64_t index)
{
    return (size_t)((index * 0x9e3779b97f4a7c15ull) >> 20) & (ctx->pages_size - 1);
}

static struct tcg_page *page_find(const struct tcg_ctx *ctx, uint64_t index)
{
    for (struct tcg_page *p = ctx->pages[page_hash(ctx, index)]; p; p = p->hash_next)
        if (p->index == index)
            return p;
    return NULL;
}

static int pages_grow(struct tcg_ctx *ctx)
{
    size_t old = ctx->pages_size, n = old ? old * 2 : PAGES_MIN;
    struct tcg_page **np = calloc(n, sizeof(*np));
    if (!np)
        return -ENOMEM;
    struct tcg_page **op = ctx->pages;
    ctx->pages = np;
    ctx->pages_size = n;
    for (size_t i = 0; i < old; i++) {
        for (struct tcg_page *p = op[i], *next; p; p = next) {
            next = p->hash_next;
            size_t h = page_hash(ctx, p->index);
            p->hash_next = np[h];
            np[h] = p;
        }
    }
    free(op);
    return 0;
}

static uint64_t tb_first_page(const struct tb *tb) { return tb->pc >> TCG_PAGE_BITS; }
static uint64_t tb_last_page(const struct tb *tb)
{
    uint64_t size = tb->guest_size ? tb->guest_size : 1;
    uint64_t end = tb->pc + size - 1;
    if (end < tb->pc) /* wraps at the top of the address space */
        end = ~0ull;
    return end >> TCG_PAGE_BITS;
}

static int page_add_tb(struct tcg_ctx *ctx, struct tb *tb)
{
    for (uint64_t i = tb_first_page(tb);; i++) {
        struct tcg_page *p = page_find(ctx, i);
        if (!p) {
            if (ctx->pages_count >= ctx->pages_size && pages_grow(ctx) < 0)
                return -ENOMEM;
            p = node_alloc(ctx, sizeof(*p));
            if (!p)
                return -ENOMEM;
            p->index = i;
            p->first = NULL;
            size_t h = page_hash(ctx, i);
            p->hash_next = ctx->pages[h];
            ctx->pages[h] = p;
            ctx->pages_count++;
        }
        struct tcg_page_link *l = node_alloc(ctx, sizeof(*l));
        if (!l)
            return -ENOMEM;
        l->tb = tb;
        l->next = p->first;
        p->first = l;
        if (i == tb_last_page(tb))
            break;
    }
    return 0;
}

/* Page nodes are arena memory: an unlinked node keeps its `next`, so a walker
 * that read a node before an invalidation can continue from it. */
static void page_remove_tb(struct tcg_ctx *ctx, struct tb *tb)
{
    for (uint64_t i = tb_first_page(tb);; i++) {
        struct tcg_page *p = page_find(ctx, i);
        if (p) {
            for (struct tcg_page_link **l = &p->first; *l; l = &(*l)->next) {
                if ((*l)->tb == tb) {
                    *l = (*l)->next;
                    break;
                }
            }
        }
        if (i == tb_last_page(tb))
            break;
    }
}

/* ---- init / fini ---------------------------------------------------------------- */

int tcg_init(struct tcg_ctx *ctx, const struct tcg_config *config, tcg_translate_fn translate,
             void *opaque)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->cb.fd = -1;
    ctx->config = *config;
    if (!ctx->config.code_size)
        ctx->config.code_size = TCG_DEFAULT_CODE_SIZE;
    if (!ctx->config.max_insns)
        ctx->config.max_insns = TCG_DEFAULT_MAX_INSNS;
    ctx->backend = config->backend;
    ctx->translate = translate;
    ctx->opaque = opaque;
    ir_func_init(&ctx->func);
    if (!ctx->backend || !translate) {
        tcg_set_error(ctx, -EINVAL, "tcg_init: no backend or no translate callback");
        return -EINVAL;
    }
    int r = codebuf_init(&ctx->cb, ctx->config.code_size);
    if (r < 0) {
        tcg_set_error(ctx, r, "cannot create a %zu-byte code buffer: %s", ctx->config.code_size,
                      strerror(-r));
        return r;
    }
    ctx->backend_state = ctx->backend->create(&ctx->cb);
    if (!ctx->backend_state) {
        codebuf_fini(&ctx->cb);
        tcg_set_error(ctx, -ENOMEM, "backend %s failed to initialise", ctx->backend->name);
        return -ENOMEM;
    }
    if (hash_grow(ctx) < 0 || pages_grow(ctx) < 0) {
        tcg_fini(ctx);
        tcg_set_error(ctx, -ENOMEM, "out of memory");
        return -ENOMEM;
    }
    return 0;
}

static void arena_free_pcmaps(struct tcg_ctx *ctx)
{
    for (size_t i = 0; i < ctx->ntb; i++) {
        struct tb *tb = tcg_tb_at(ctx, i);
        free(tb->pcmap);
        tb->pcmap = NULL;
        tb->npcmap = 0;
    }
}

void tcg_fini(struct tcg_ctx *ctx)
{
    for (size_t i = 0; i < ctx->ncpus; i++) { /* cpus not unregistered by tcg_cpu_fini */
        free(ctx->cpus[i]->jmp_cache); /* and the return stack */
        ctx->cpus[i]->jmp_cache = NULL;
        ctx->cpus[i]->ras = NULL;
        ctx->cpus[i]->last_tb = NULL;
    }
    arena_free_pcmaps(ctx);
    for (size_t i = 0; i < ctx->ntb_chunks; i++)
        free(ctx->tb_chunks[i]);
    free(ctx->tb_chunks);
    for (size_t i = 0; i < ctx->nnode_chunks; i++)
        free(ctx->node_chunks[i]);
    free(ctx->node_chunks);
    free(ctx->hash);
    free(ctx->pages);
    free(ctx->cpus);
    ir_func_free(&ctx->func);
    if (ctx->backend_state)
        ctx->backend->destroy(ctx->backend_state);
    if (ctx->cb.rw)
        codebuf_fini(&ctx->cb);
    int err = ctx->err;
    char msg[sizeof(ctx->errmsg)];
    memcpy(msg, ctx->errmsg, sizeof(msg));
    memset(ctx, 0, sizeof(*ctx));
    ctx->cb.fd = -1;
    ctx->err = err; /* keep the reason a failed tcg_init gave */
    memcpy(ctx->errmsg, msg, sizeof(msg));
}

/* ---- invalidation and flush --------------------------------------------------- */

static void jmp_unlink_in(struct tcg_ctx *ctx, struct tb_jmp *j)
{
    struct tb *dest = j->dest;
    for (struct tb_jmp **p = &dest->in_first; *p; p = &(*p)->in_next) {
        if (*p == j) {
            *p = j->in_next;
            break;
        }
    }
    j->in_next = NULL;
    j->dest = NULL;
    ctx->backend->patch_jmp(ctx->backend_state, &ctx->cb, j->src, (unsigned)(j - j->src->jmp),
                            NULL);
}

/* Unlink tb from every table; its code stays in the buffer until the flush. */
static void tb_unlink(struct tcg_ctx *ctx, struct tb *tb)
{
    tb->invalid = 1;
    hash_remove(ctx, tb);
    ret_unlink(tb);
    page_remove_tb(ctx, tb);
    jc_drop_tb(ctx, tb);
    /* incoming jumps go back to their exit stubs */
    for (struct tb_jmp *j = tb->in_first, *next; j; j = next) {
        next = j->in_next;
        j->in_next = NULL;
        j->dest = NULL;
        ctx->backend->patch_jmp(ctx->backend_state, &ctx->cb, j->src, (unsigned)(j - j->src->jmp),
                                NULL);
    }
    tb->in_first = NULL;
    /* outgoing jumps: leave the dests' lists (and exit to the loop if the block
     * is still running) */
    for (unsigned i = 0; i < tb->njmp; i++)
        if (tb->jmp[i].dest)
            jmp_unlink_in(ctx, &tb->jmp[i]);
}

void tcg_invalidate_tb(struct tcg_ctx *ctx, struct tb *tb)
{
    if (tb->invalid)
        return;
    ctx->stats.invalidations++;
    tb_unlink(ctx, tb);
}

unsigned tcg_invalidate_range(struct tcg_ctx *ctx, uint64_t start, uint64_t end)
{
    if (end <= start)
        return 0;
    unsigned n = 0;
    uint64_t first = start >> TCG_PAGE_BITS, last = (end - 1) >> TCG_PAGE_BITS;
    for (uint64_t i = first;; i++) {
        struct tcg_page *p = page_find(ctx, i);
        for (struct tcg_page_link *l = p ? p->first : NULL, *next; l; l = next) {
            next = l->next;
            struct tb *tb = l->tb;
            uint64_t tb_end = tb->pc + (tb->guest_size ? tb->guest_size : 1);
            if (tb->pc < end && tb_end > start) {
                tcg_invalidate_tb(ctx, tb);
                n++;
            }
        }
        if (i == last)
            break;
    }
    return n;
}

void tcg_flush(struct tcg_ctx *ctx)
{
    arena_free_pcmaps(ctx);
    ctx->ntb = 0;
    codebuf_reset(&ctx->cb);
    memset(ctx->hash, 0, ctx->hash_size * sizeof(*ctx->hash));
    ctx->hash_count = 0;
    memset(ctx->pages, 0, ctx->pages_size * sizeof(*ctx->pages));
    ctx->pages_count = 0;
    for (size_t i = 1; i < ctx->nnode_chunks; i++)
        free(ctx->node_chunks[i]);
    ctx->nnode_chunks = ctx->nnode_chunks ? 1 : 0;
    ctx->node_chunk_used = 0;
    for (size_t i = 0; i < ctx->ncpus; i++) {
        jc_clear_all(ctx->cpus[i]->jmp_cache);
        if (ctx->cpus[i]->ras)
            ras_clear(ctx->cpus[i]->ras);
        ctx->cpus[i]->last_tb = NULL;
    }
    ctx->generation++;
    ctx->stats.flushes++;
}

/* ---- translation ---------------------------------------------------------------- */

static unsigned count_ops(const struct ir_func *f, enum ir_op only, bool all)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < f->ninsns; i++)
        if (all ? f->insns[i].op != IR_OP_nop : f->insns[i].op == only)
            n++;
    return n;
}

/* Frontend + verifier + optimizer into ctx->func.  0 or negative error. */
static int tb_build_ir(struct tcg_ctx *ctx, uint64_t pc, uint32_t flags, unsigned max_insns,
                       uint32_t opt_mask, uint32_t *guest_size)
{
    struct ir_func *f = &ctx->func;
    ir_func_reset(f);
    f->pc = pc;
    f->flags = flags;
    *guest_size = 0;
    int r = ctx->translate(ctx->opaque, f, pc, flags, max_insns, guest_size);
    if (r < 0 || f->err) {
        if (f->errmsg[0])
            tcg_set_error(ctx, r < 0 ? r : -EINVAL, "%s", f->errmsg);
        else
            tcg_set_error(ctx, r < 0 ? r : -EINVAL,
                          "cannot translate the block at pc 0x%" PRIx64 " flags=0x%x: %s", pc,
                          flags, strerror(r < 0 ? -r : EINVAL));
        return ctx->err;
    }
    char msg[200];
    if (ctx->config.verify && ir_verify(f, msg, sizeof(msg)) != 0) {
        tcg_set_error(ctx, -EINVAL, "invalid IR from the frontend at pc 0x%" PRIx64 ": %s", pc,
                      msg);
        if (log_enabled(LOG_ir))
            ir_print(log_out(), f);
        return ctx->err;
    }
    if (log_enabled(LOG_ir)) {
        fprintf(log_out(), "IR pc=0x%" PRIx64 " flags=0x%x:\n", pc, flags);
        ir_print(log_out(), f);
        fputc('\n', log_out());
    }
    ctx->stats.ir_ops_in += count_ops(f, IR_OP_nop, true);
    if (opt_mask) {
        FILE *log = log_enabled(LOG_ir_opt) ? log_out() : NULL;
        if (log)
            fprintf(log, "IR passes, pc=0x%" PRIx64 " flags=0x%x:\n", pc, flags);
        if (ir_optimize(f, opt_mask, ctx->config.verify, log) < 0) {
            tcg_set_error(ctx, -EINVAL, "optimizer failed on the block at pc 0x%" PRIx64, pc);
            return ctx->err;
        }
        if (f->err) {
            tcg_set_error(ctx, -EINVAL, "optimizer failed on the block at pc 0x%" PRIx64 ": %s", pc,
                          f->errmsg);
            return ctx->err;
        }
    }
    ctx->stats.ir_ops_out += count_ops(f, IR_OP_nop, true);
    return 0;
}

static void tb_discard(struct tb *tb)
{
    free(tb->pcmap);
    memset(tb, 0, sizeof(*tb));
}

/* Make a compiled block findable: arena, hash, pages. */
static int tb_commit(struct tcg_ctx *ctx, struct tb *tb)
{
    const struct tb *prev = ctx->ntb ? tcg_tb_at(ctx, ctx->ntb - 1) : NULL;
    assert(tb->code >= ctx->cb.rx && tb->code + tb->code_size <= ctx->cb.rx + ctx->cb.used &&
           "backend placed a block outside the used code buffer");
    assert((!prev || tb->code >= prev->code + prev->code_size) &&
           "blocks must be compiled in code order");
    (void)prev;
    for (unsigned i = 0; i < tb->njmp; i++) {
        tb->jmp[i].src = tb;
        tb->jmp[i].dest = NULL;
        tb->jmp[i].in_next = NULL;
    }
    tb->in_first = NULL;
    tb->invalid = 0;
    /* return cells are filled by the loop like chains (not with -d exec) */
    tb->ret_host = ctx->config.no_chain || log_enabled(LOG_exec) ? NULL : TB_RET_EMPTY;
    ctx->ntb++;
    if (ctx->hash_count >= ctx->hash_size && hash_grow(ctx) < 0) {
        tb->invalid = 1; /* stays in the arena, unreachable */
        return -ENOMEM;
    }
    size_t h = tb_hash(ctx, tb->pc, tb->flags);
    tb->hash_next = ctx->hash[h];
    ctx->hash[h] = tb;
    ctx->hash_count++;
    tb->page_next = NULL; /* page lists are tcg_page_link nodes (a tb may be on several) */
    if (page_add_tb(ctx, tb) < 0) {
        hash_remove(ctx, tb);
        page_remove_tb(ctx, tb);
        tb->invalid = 1;
        return -ENOMEM;
    }
    ctx->stats.blocks++;
    ctx->stats.host_bytes += tb->code_size;
    return 0;
}

/* Translate and compile the block for (pc, flags), cold (tier0_mask) or with
 * the full pass set.  NULL on error. */
static struct tb *tb_gen(struct tcg_ctx *ctx, uint64_t pc, uint32_t flags, bool cold)
{
    unsigned max_insns = ctx->config.max_insns;
    uint32_t mask = cold ? ctx->config.tier0_mask : ctx->config.opt_mask;
    FILE *asm_log = log_enabled(LOG_out_asm) ? log_out() : NULL;
    for (;;) {
        uint32_t guest_size;
        if (tb_build_ir(ctx, pc, flags, max_insns, mask, &guest_size) < 0)
            return NULL;
        const struct ir_func *f = &ctx->func;
        unsigned ninsns = count_ops(f, IR_OP_insn_start, false);
        bool flushed = false;
        for (;;) {
            struct tb *tb = tb_alloc(ctx);
            if (!tb) {
                tcg_set_error(ctx, -ENOMEM, "out of memory for a block");
                return NULL;
            }
            tb->pc = pc;
            tb->flags = flags;
            tb->guest_size = guest_size ? guest_size : 1;
            tb->guest_insns = ninsns;
            tb->cold = cold;
            tb->hits = 1;
            int r = ctx->backend->compile(ctx->backend_state, &ctx->cb, f, tb, asm_log);
            if (r == BACKEND_OK) {
                if (tb_commit(ctx, tb) < 0) {
                    tcg_set_error(ctx, -ENOMEM, "out of memory for the block tables");
                    return NULL;
                }
                return tb;
            }
            tb_discard(tb);
            if (r == BACKEND_FULL && !flushed) {
                tcg_flush(ctx);
                flushed = true;
                continue;
            }
            if (r == BACKEND_FULL) {
                tcg_set_error(ctx, -ENOSPC,
                              "the block at pc 0x%" PRIx64 " does not fit an empty %zu-byte "
                              "code buffer (backend %s)",
                              pc, ctx->cb.size, ctx->backend->name);
                return NULL;
            }
            if (r == BACKEND_TOO_BIG && ninsns > 1) {
                max_insns = ninsns / 2;
                ctx->stats.retranslations++;
                break;
            }
            if (r == BACKEND_TOO_BIG)
                tcg_set_error(ctx, -E2BIG,
                              "the block at pc 0x%" PRIx64 " is too big for backend %s even "
                              "with one guest instruction",
                              pc, ctx->backend->name);
            else
                tcg_set_error(ctx, -EIO,
                              "backend %s failed to compile the block at pc 0x%" PRIx64
                              " (see the log)",
                              ctx->backend->name, pc);
            return NULL;
        }
    }
}

struct tb *tcg_lookup_fill(struct tcg_ctx *ctx, struct cpu_head *cpu, uint64_t pc, uint32_t flags,
                           bool fill)
{
    if (cpu) {
        struct jc_entry *e = &cpu->jmp_cache[jc_hash(pc)];
        if (e->tb && e->pc == pc && e->flags == flags)
            return e->tb;
    }
    struct tb *tb = tcg_find_tb(ctx, pc, flags);
    if (!tb || (tb->cold && ++tb->hits >= ctx->config.tier_up)) {
        uint64_t t0 = tcg_now_ns();
        if (tb) { /* hot now: replace the cold block by an optimized one */
            tb_unlink(ctx, tb);
            ctx->stats.tier_ups++;
        }
        tb = tb_gen(ctx, pc, flags, !tb && tcg_tiering(ctx));
        ctx->stats.translate_ns += tcg_now_ns() - t0;
        if (!tb)
            return NULL;
    }
    if (cpu && fill && !tb->cold)
        tcg_jc_fill(ctx, cpu, tb);
    return tb;
}

bool tcg_tiering(const struct tcg_ctx *ctx)
{
    /* with -d ir_opt every block shows its passes once */
    return ctx->config.tier_up > 1 && ctx->config.opt_mask != ctx->config.tier0_mask &&
           !log_enabled(LOG_ir_opt);
}

struct tb *tcg_lookup(struct tcg_ctx *ctx, struct cpu_head *cpu, uint64_t pc, uint32_t flags)
{
    ctx->err = 0;
    return tcg_lookup_fill(ctx, cpu, pc, flags, !log_enabled(LOG_exec));
}

/* ---- host pc -> block ------------------------------------------------------------ */

struct tb *tcg_find_tb_by_host_pc(const struct tcg_ctx *ctx, const void *host_pc)
{
    const uint8_t *p = host_pc;
    if (ctx->ntb == 0 || p < ctx->cb.rx || p >= ctx->cb.rx + ctx->cb.size)
        return NULL;
    /* the last block whose code starts at or before p */
    size_t lo = 0, hi = ctx->ntb;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (tcg_tb_at(ctx, mid)->code <= p)
            lo = mid;
        else
            hi = mid;
    }
    struct tb *tb = tcg_tb_at(ctx, lo);
    return p >= tb->code && p < tb->code + tb->code_size ? tb : NULL;
}

/* ---- statistics ---------------------------------------------------------------- */

void tcg_stats_print(const struct tcg_ctx *ctx, FILE *out)
{
    const struct tcg_stats *s = &ctx->stats;
    uint64_t exec_ns = s->total_ns > s->translate_ns ? s->total_ns - s->translate_ns : 0;
    fprintf(out, "backend            %s\n", ctx->backend ? ctx->backend->name : "-");
    fprintf(out, "blocks translated  %" PRIu64 " (%" PRIu64 " retranslated smaller)\n", s->blocks,
            s->retranslations);
    fprintf(out, "IR ops             %" PRIu64 " -> %" PRIu64 " after optimization", s->ir_ops_in,
            s->ir_ops_out);
    if (s->ir_ops_in)
        fprintf(out, " (%.1f%%)", 100.0 * (double)s->ir_ops_out / (double)s->ir_ops_in);
    fputc('\n', out);
    fprintf(out, "host code bytes    %" PRIu64 " (%zu of %zu in use)\n", s->host_bytes,
            ctx->cb.used, ctx->cb.size);
    fprintf(out, "flushes            %" PRIu64 "\n", s->flushes);
    fprintf(out, "chains made        %" PRIu64 "\n", s->chains);
    fprintf(out, "invalidations      %" PRIu64 "\n", s->invalidations);
    fprintf(out, "jump-cache fills   %" PRIu64 "\n", s->jc_fills);
    fprintf(out, "return cells       %" PRIu64 " filled\n", s->ret_fills);
    if (s->tier_ups || tcg_tiering(ctx))
        fprintf(out, "tier-ups           %" PRIu64 " (cold blocks optimized on entry %u)\n",
                s->tier_ups, ctx->config.tier_up);
    fprintf(out, "exits:");
    for (unsigned i = 0; i < IR_EXIT_COUNT; i++)
        if (s->exits[i])
            fprintf(out, " %s=%" PRIu64, ir_exit_names[i], s->exits[i]);
    fputc('\n', out);
    fprintf(out, "time translating   %.3f ms\n", (double)s->translate_ns / 1e6);
    fprintf(out, "time executing     %.3f ms\n", (double)exec_ns / 1e6);
}
