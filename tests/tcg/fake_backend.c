/* The fake backend of the accel/tcg tests (see fake_backend.h): a block is a
 * record {magic, IR copy, chain slots} in the code buffer plus 8 bytes per IR
 * insn, so code size grows with the block and the buffer can fill up. */
#include "fake_backend.h"

#include <stdlib.h>
#include <string.h>

#include "ir/sem.h"

#define FAKE_MAGIC 0xfa4eb10c4ull
#define FAKE_PROLOGUE 64u /* reserved at the start, kept across flushes */
#define FAKE_BYTES_PER_OP 8u
#define FAKE_MAX_TEMPS 512u

struct fake_block {
    struct ir_func f;
    uint32_t *label_pos; /* label -> insn index of its set_label */
    uint8_t *slot_of;    /* insn index -> goto_tb slot */
    struct fake_block *next_alloc;
};

struct fake_code {
    uint64_t magic;
    struct fake_block *block;
    const struct tb *chain[TB_MAX_JMP]; /* patched through the RW view */
};

struct fake_state {
    struct fake_block *blocks; /* every block ever compiled, freed by destroy */
};

struct fake_stats fake_stats;

static void *fake_create(struct code_buf *cb)
{
    struct fake_state *s = calloc(1, sizeof(*s));
    if (!s || codebuf_free(cb) < FAKE_PROLOGUE) {
        free(s);
        return NULL;
    }
    unsigned max_ops = fake_stats.max_ops;
    memset(&fake_stats, 0, sizeof(fake_stats));
    fake_stats.max_ops = max_ops;
    memset(cb->rw + cb->used, 0xf4, FAKE_PROLOGUE);
    cb->used += FAKE_PROLOGUE;
    cb->reserved = cb->used;
    return s;
}

static void fake_destroy(void *state)
{
    struct fake_state *s = state;
    for (struct fake_block *b = s->blocks, *next; b; b = next) {
        next = b->next_alloc;
        ir_func_free(&b->f);
        free(b->label_pos);
        free(b->slot_of);
        free(b);
    }
    free(s);
}

static int fake_compile(void *state, struct code_buf *cb, const struct ir_func *f, struct tb *tb,
                        FILE *log)
{
    struct fake_state *s = state;
    if (fake_stats.max_ops && f->ninsns > fake_stats.max_ops)
        return BACKEND_TOO_BIG;
    size_t size = sizeof(struct fake_code) + FAKE_BYTES_PER_OP * f->ninsns;
    size = (size + 15) & ~(size_t)15;
    if (codebuf_free(cb) < size)
        return BACKEND_FULL;
    if (f->ntemps > FAKE_MAX_TEMPS)
        return BACKEND_TOO_BIG;

    struct fake_block *b = calloc(1, sizeof(*b));
    if (!b)
        return BACKEND_ERROR;
    ir_func_init(&b->f);
    b->label_pos = calloc(f->nlabels + 1, sizeof(*b->label_pos));
    b->slot_of = calloc(f->ninsns + 1, 1);
    if (!b->label_pos || !b->slot_of || ir_func_copy(&b->f, f) < 0) {
        free(b->label_pos);
        free(b->slot_of);
        ir_func_free(&b->f);
        free(b);
        return BACKEND_ERROR;
    }
    b->next_alloc = s->blocks;
    s->blocks = b;

    unsigned njmp = 0, npc = 0;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        const struct ir_insn *in = &f->insns[i];
        if (in->op == IR_OP_set_label && in->carg[0] >= 0 && (uint64_t)in->carg[0] < f->nlabels)
            b->label_pos[in->carg[0]] = i;
        if (in->op == IR_OP_insn_start)
            npc++;
        if (in->op == IR_OP_goto_tb) {
            if (njmp == TB_MAX_JMP)
                return BACKEND_ERROR;
            b->slot_of[i] = (uint8_t)njmp;
            tb->jmp[njmp].dest_pc = (uint64_t)in->carg[0];
            tb->jmp[njmp].patch_off = (uint32_t)offsetof(struct fake_code, chain[njmp]);
            tb->jmp[njmp].reset_off = 0;
            njmp++;
        }
    }
    tb->njmp = njmp;
    tb->pcmap = npc ? calloc(npc, sizeof(*tb->pcmap)) : NULL;
    if (npc && !tb->pcmap)
        return BACKEND_ERROR;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        if (f->insns[i].op == IR_OP_insn_start) {
            tb->pcmap[tb->npcmap].host_off =
                (uint32_t)(sizeof(struct fake_code) + FAKE_BYTES_PER_OP * i);
            tb->pcmap[tb->npcmap].guest_pc = (uint64_t)f->insns[i].carg[0];
            tb->npcmap++;
        }
    }

    struct fake_code hdr = {.magic = FAKE_MAGIC, .block = b, .chain = {NULL, NULL}};
    uint8_t *rw = cb->rw + cb->used;
    memset(rw, 0xcc, size);
    memcpy(rw, &hdr, sizeof(hdr));
    tb->code = cb->rx + cb->used;
    tb->code_size = (uint32_t)size;
    tb->ir_ops = f->ninsns;
    cb->used += size;
    fake_stats.compiles++;
    if (log)
        fprintf(log, "fake: %u IR insns, %zu bytes at %p\n", f->ninsns, size,
                (const void *)tb->code);
    return BACKEND_OK;
}

static void fake_patch_jmp(void *state, struct code_buf *cb, struct tb *tb, unsigned slot,
                           const struct tb *dest)
{
    struct fake_code *c = (struct fake_code *)codebuf_rw_of(cb, tb->code);
    c->chain[slot] = dest;
    if (dest)
        fake_stats.patches++;
    else
        fake_stats.unpatches++;
}

/* ---- the interpreter ---------------------------------------------------------- */

static uint64_t fake_get(const struct ir_func *f, const uint64_t *t, struct cpu_head *cpu, ir_ref r)
{
    const struct ir_value *v = &f->vals[r];
    if (v->kind == IR_VAL_CONST)
        return v->c;
    if (v->kind == IR_VAL_TEMP)
        return t[v->num];
    uint64_t x = 0;
    memcpy(&x, (uint8_t *)cpu + v->num, v->type == IR_I32 ? 4 : 8);
    return x;
}

static void fake_set(const struct ir_func *f, uint64_t *t, struct cpu_head *cpu, ir_ref r,
                     uint64_t x)
{
    const struct ir_value *v = &f->vals[r];
    x &= ir_type_mask((enum ir_type)v->type);
    if (v->kind == IR_VAL_TEMP)
        t[v->num] = x;
    else
        memcpy((uint8_t *)cpu + v->num, &x, v->type == IR_I32 ? 4 : 8);
}

/* Helpers with only i64 args (at most 2) and an i64 or void result. */
static uint64_t fake_call(const struct ir_helper *h, struct cpu_head *cpu, const uint64_t *a)
{
    bool env = h->flags & IR_HF_ENV, v = h->ret == IR_VOID;
    for (unsigned i = 0; i < h->nargs; i++)
        if (h->args[i] != IR_I64)
            abort();
    switch (h->nargs * 4 + env * 2 + v) {
    case 0:
        return ((uint64_t(*)(void))h->fn)();
    case 1:
        ((void (*)(void))h->fn)();
        return 0;
    case 2:
        return ((uint64_t(*)(void *))h->fn)(cpu);
    case 3:
        ((void (*)(void *))h->fn)(cpu);
        return 0;
    case 4:
        return ((uint64_t(*)(uint64_t))h->fn)(a[0]);
    case 5:
        ((void (*)(uint64_t))h->fn)(a[0]);
        return 0;
    case 6:
        return ((uint64_t(*)(void *, uint64_t))h->fn)(cpu, a[0]);
    case 7:
        ((void (*)(void *, uint64_t))h->fn)(cpu, a[0]);
        return 0;
    case 8:
        return ((uint64_t(*)(uint64_t, uint64_t))h->fn)(a[0], a[1]);
    case 9:
        ((void (*)(uint64_t, uint64_t))h->fn)(a[0], a[1]);
        return 0;
    case 10:
        return ((uint64_t(*)(void *, uint64_t, uint64_t))h->fn)(cpu, a[0], a[1]);
    case 11:
        ((void (*)(void *, uint64_t, uint64_t))h->fn)(cpu, a[0], a[1]);
        return 0;
    default:
        abort();
    }
}

static unsigned fake_exec(void *state, struct cpu_head *cpu, const struct tb *tb)
{
    uint64_t t[FAKE_MAX_TEMPS];
next_block:
    if (cpu->exit_request) {
        cpu->pc = tb->pc;
        return IR_EXIT_request;
    }
    const struct fake_code *c = (const struct fake_code *)tb->code;
    if (c->magic != FAKE_MAGIC)
        abort();
    const struct fake_block *b = c->block;
    const struct ir_func *f = &b->f;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        const struct ir_insn *in = &f->insns[i];
        enum ir_type ty = (enum ir_type)in->type;
        uint64_t x[IR_MAX_ARGS] = {0}, out;
        for (unsigned k = 0; k < in->nin; k++)
            x[k] = fake_get(f, t, cpu, ir_in(in, k));
        switch (in->op) {
        case IR_OP_goto_tb: {
            unsigned slot = b->slot_of[i];
            cpu->pc = (uint64_t)in->carg[0];
            if (c->chain[slot]) {
                tb = c->chain[slot];
                fake_stats.chain_follows++;
                goto next_block;
            }
            cpu->last_tb = (struct tb *)tb;
            cpu->last_slot = slot;
            return IR_EXIT_chain;
        }
        case IR_OP_goto_ret: /* the same as goto_ptr (the hint aside) */
        case IR_OP_goto_ptr: {
            const struct jc_entry *e = &cpu->jmp_cache[jc_hash(x[0])];
            cpu->pc = x[0];
            if (e->pc == x[0] && e->flags == cpu->flags && e->tb) {
                tb = e->tb;
                fake_stats.jc_hits++;
                goto next_block;
            }
            return IR_EXIT_lookup;
        }
        case IR_OP_exit:
            cpu->pc = x[0];
            return (unsigned)in->carg[0];
        case IR_OP_br:
            i = b->label_pos[in->carg[0]];
            break;
        case IR_OP_brcond:
            if (sem_cond(ty, (enum ir_cond)in->carg[0], x[0], x[1]))
                i = b->label_pos[in->carg[1]];
            break;
        case IR_OP_ld:
            fake_set(f, t, cpu, ir_out(in, 0),
                     sem_load(ty, cpu->guest_base + x[0], (unsigned)in->carg[0]));
            break;
        case IR_OP_st:
            sem_store(cpu->guest_base + x[1], x[0], (unsigned)in->carg[0]);
            break;
        case IR_OP_ld_state:
            fake_set(f, t, cpu, ir_out(in, 0),
                     sem_load(ty, (uint8_t *)cpu + in->carg[0], (unsigned)in->carg[1]));
            break;
        case IR_OP_st_state:
            sem_store((uint8_t *)cpu + in->carg[0], x[0], (unsigned)in->carg[1]);
            break;
        case IR_OP_call: {
            const struct ir_helper *h = ir_helper_get(in->carg[0]);
            if (!h)
                abort();
            out = fake_call(h, cpu, x);
            if (in->nout)
                fake_set(f, t, cpu, ir_out(in, 0), out);
            break;
        }
        case IR_OP_mb:
        case IR_OP_ras_push: /* a hint: no effect here */
        case IR_OP_insn_start:
        case IR_OP_nop:
        case IR_OP_set_label:
            break;
        default:
            if (!sem_eval((enum ir_op)in->op, ty, x, in->carg, &out))
                abort();
            fake_set(f, t, cpu, ir_out(in, 0), out);
            break;
        }
    }
    abort(); /* fell off the end of a block: the verifier should have caught it */
}

const struct ferry_backend fake_backend = {
    .name = "fake",
    .create = fake_create,
    .destroy = fake_destroy,
    .compile = fake_compile,
    .exec = fake_exec,
    .patch_jmp = fake_patch_jmp,
};
