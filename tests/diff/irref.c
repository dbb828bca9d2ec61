/* Reference evaluator for the differential tests: a deliberately plain
 * walk over the insns of an ir_func using ir/sem.h, see irref.h. */
#include "irref.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/sem.h"
#include "irgen.h"

struct frame {
    const struct irref_block *b;
    struct cpu_head *cpu;
    struct irref_env *env;
    uint64_t *temps;
    uint8_t *defined;
    uint32_t *label_at; /* label -> insn index */
};

static unsigned fail(struct irref_env *env, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static unsigned fail(struct irref_env *env, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(env->err, sizeof(env->err), fmt, ap);
    va_end(ap);
    return IRREF_ERROR;
}

static uint64_t load_env(const uint8_t *env, uint32_t off, unsigned bytes)
{
    uint64_t v = 0;
    memcpy(&v, env + off, bytes); /* host order: little-endian hosts only */
    return v;
}

static void store_env(uint8_t *env, uint32_t off, unsigned bytes, uint64_t v)
{
    memcpy(env + off, &v, bytes);
}

/* Read value r; false if it is an undefined temp. */
static bool get(struct frame *fr, ir_ref r, uint64_t *v)
{
    const struct ir_value *val = ir_val(fr->b->f, r);
    switch (val->kind) {
    case IR_VAL_CONST:
        *v = val->c;
        return true;
    case IR_VAL_GLOBAL:
        *v = load_env((const uint8_t *)fr->cpu, val->num, val->size);
        return true;
    default:
        if (!fr->defined[val->num])
            return false;
        *v = fr->temps[val->num];
        return true;
    }
}

static void set(struct frame *fr, ir_ref r, uint64_t v)
{
    const struct ir_value *val = ir_val(fr->b->f, r);
    v &= ir_type_mask((enum ir_type)val->type);
    if (val->kind == IR_VAL_GLOBAL) {
        store_env((uint8_t *)fr->cpu, val->num, val->size, v);
    } else {
        fr->temps[val->num] = v;
        fr->defined[val->num] = 1;
    }
}

static const struct irref_block *find_block(struct irref_env *env, const struct tb *tb)
{
    for (unsigned i = 0; i < env->nblocks; i++)
        if (env->blocks[i]->tb == tb)
            return env->blocks[i];
    return NULL;
}

/* The slot of the goto_tb at idx: goto_tbs are numbered in order of appearance. */
static unsigned slot_of(const struct ir_func *f, uint32_t idx)
{
    unsigned s = 0;
    for (uint32_t i = 0; i < idx; i++)
        if (f->insns[i].op == IR_OP_goto_tb)
            s++;
    return s;
}

/* Run one block.  Returns an exit reason, or sets *next to the block to continue
 * with (a chained goto_tb or a jump-cache hit) and returns IR_EXIT_COUNT. */
static unsigned run_block(struct frame *fr, const struct irref_block **next)
{
    const struct ir_func *f = fr->b->f;
    struct cpu_head *cpu = fr->cpu;
    struct irref_env *env = fr->env;
    uint64_t max = env->max_steps ? env->max_steps : 100000000ull;

    if (cpu->exit_request) {
        cpu->pc = f->pc;
        return IR_EXIT_request;
    }
    uint32_t i = 0;
    while (i < f->ninsns) {
        const struct ir_insn *in = &f->insns[i];
        uint64_t a[IR_MAX_ARGS];
        if (++env->steps > max)
            return fail(env, "step limit (%llu) reached at insn %u", (unsigned long long)max, i);
        for (unsigned k = 0; k < in->nin; k++)
            if (!get(fr, ir_in(in, k), &a[k]))
                return fail(env, "insn %u (%s) reads undefined temp t%u", i, ir_ops[in->op].name,
                            ir_val(f, ir_in(in, k))->num);
        enum ir_type t = (enum ir_type)in->type;
        uint64_t r;
        switch ((enum ir_op)in->op) {
        case IR_OP_ld:
        case IR_OP_st: {
            unsigned mo = (unsigned)in->carg[0];
            uint64_t addr = in->op == IR_OP_ld ? a[0] : a[1];
            if (addr < env->mem_base || addr - env->mem_base + ir_mo_bytes(mo) > env->mem_size)
                return fail(env, "insn %u: guest access at 0x%llx outside memory", i,
                            (unsigned long long)addr);
            uint8_t *p = env->mem + (addr - env->mem_base);
            if (in->op == IR_OP_ld)
                set(fr, ir_out(in, 0), sem_load(t, p, mo));
            else
                sem_store(p, a[0], mo);
            break;
        }
        case IR_OP_ld_state:
        case IR_OP_st_state: {
            uint32_t off = (uint32_t)in->carg[0];
            unsigned mo = (unsigned)in->carg[1], n = ir_mo_bytes(mo);
            if (f->env_size && off + n > f->env_size)
                return fail(env, "insn %u: state access at %u outside the env", i, off);
            if (in->op == IR_OP_ld_state) {
                uint64_t v = load_env((const uint8_t *)cpu, off, n);
                if ((mo & IR_MO_SIGN) && n < 8 && ((v >> (8 * n - 1)) & 1))
                    v |= ~0ull << (8 * n);
                set(fr, ir_out(in, 0), v);
            } else {
                store_env((uint8_t *)cpu, off, n, a[0]);
            }
            break;
        }
        case IR_OP_call: {
            const struct ir_helper *h = ir_helper_get(in->carg[0]);
            if (!h || !irgen_helper_call(h, cpu, a, &r))
                return fail(env, "insn %u: call of a helper the evaluator does not know", i);
            if (in->nout)
                set(fr, ir_out(in, 0), r);
            break;
        }
        case IR_OP_mb:
        case IR_OP_ras_push: /* a hint: no effect here */
        case IR_OP_insn_start:
        case IR_OP_nop:
        case IR_OP_set_label:
            break;
        case IR_OP_br:
            i = fr->label_at[in->carg[0]];
            continue;
        case IR_OP_brcond:
            if (sem_cond(t, (enum ir_cond)in->carg[0], a[0], a[1])) {
                i = fr->label_at[in->carg[1]];
                continue;
            }
            break;
        case IR_OP_goto_tb: {
            unsigned slot = slot_of(f, i);
            cpu->pc = (uint64_t)in->carg[0];
            if (slot < TB_MAX_JMP && fr->b->chain[slot]) {
                *next = fr->b->chain[slot];
                return IR_EXIT_COUNT;
            }
            cpu->last_tb = (struct tb *)fr->b->tb;
            cpu->last_slot = slot;
            return IR_EXIT_chain;
        }
        case IR_OP_goto_ret: /* the same as goto_ptr (the hint aside) */
        case IR_OP_goto_ptr: {
            cpu->pc = a[0];
            const struct jc_entry *e = &cpu->jmp_cache[jc_hash(a[0])];
            if (e->pc == a[0] && e->flags == cpu->flags && e->tb) {
                *next = find_block(env, e->tb);
                if (!*next)
                    return fail(env, "jump-cache hit on a block the evaluator does not know");
                return IR_EXIT_COUNT;
            }
            return IR_EXIT_lookup;
        }
        case IR_OP_exit:
            cpu->pc = a[0];
            return (unsigned)in->carg[0];
        default:
            if (!sem_eval((enum ir_op)in->op, t, a, in->carg, &r))
                return fail(env, "insn %u: op %u has no reference semantics", i, (unsigned)in->op);
            set(fr, ir_out(in, 0), r);
            break;
        }
        i++;
    }
    return fail(env, "fell off the end of block 0x%llx", (unsigned long long)f->pc);
}

unsigned irref_run(const struct irref_block *b, struct cpu_head *cpu, struct irref_env *env)
{
    env->steps = 0;
    env->err[0] = 0;
    unsigned reason = IRREF_ERROR;
    while (b) {
        const struct ir_func *f = b->f;
        struct frame fr = {b, cpu, env, NULL, NULL, NULL};
        fr.temps = calloc(f->ntemps + 1, sizeof(uint64_t));
        fr.defined = calloc(f->ntemps + 1, 1);
        fr.label_at = calloc(f->nlabels + 1, sizeof(uint32_t));
        if (!fr.temps || !fr.defined || !fr.label_at) {
            reason = fail(env, "out of memory");
        } else {
            for (uint32_t i = 0; i < f->ninsns; i++)
                if (f->insns[i].op == IR_OP_set_label && f->insns[i].carg[0] < f->nlabels)
                    fr.label_at[f->insns[i].carg[0]] = i;
            const struct irref_block *next = NULL;
            reason = run_block(&fr, &next);
            b = reason == IR_EXIT_COUNT ? next : NULL;
        }
        free(fr.temps);
        free(fr.defined);
        free(fr.label_at);
    }
    return reason;
}
