/* Test-only executor of one ir_func (see opt_vm.h): values from ir/sem.h,
 * globals read and written in env at every access, guest memory bounds
 * checked (an access outside it is a "fault" that ends the run). */
#include "opt_vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/sem.h"

typedef uint64_t vm_helper_fn(uint8_t *env, const uint64_t *args);

static uint64_t env_rd(const uint8_t *env, unsigned off, unsigned mo)
{
    return sem_load(IR_I64, env + off, mo);
}

static void env_wr(uint8_t *env, unsigned off, uint64_t v, unsigned mo)
{
    sem_store(env + off, v, mo);
}

static uint64_t h_pure_impl(uint8_t *env, const uint64_t *a) { return a[0] * 31 + a[1]; }
static uint64_t h_pure32_impl(uint8_t *env, const uint64_t *a)
{
    return (a[0] ^ 0x5a5a) & 0xffffffff;
}
static uint64_t h_rd_impl(uint8_t *env, const uint64_t *a)
{
    return a[0] + env_rd(env, 0x00, IR_MO_64) * 3 + env_rd(env, 0x40, IR_MO_64);
}
static uint64_t h_wr_impl(uint8_t *env, const uint64_t *a)
{
    env_wr(env, 0x08, env_rd(env, 0x08, IR_MO_64) ^ a[0], IR_MO_64);
    env_wr(env, 0x48, env_rd(env, 0x48, IR_MO_32) + a[0], IR_MO_32);
    return 0;
}
static uint64_t h_side_impl(uint8_t *env, const uint64_t *a) { return 0; }
static uint64_t h_env_impl(uint8_t *env, const uint64_t *a)
{
    uint64_t old = env_rd(env, 0x50, IR_MO_64);
    env_wr(env, 0x50, old + 1, IR_MO_64);
    return old;
}

static const struct ir_helper vm_h_pure = {.name = "h_pure",
                                           .fn = (void *)h_pure_impl,
                                           .ret = IR_I64,
                                           .nargs = 2,
                                           .args = {IR_I64, IR_I64},
                                           .flags = 0};
static const struct ir_helper vm_h_pure32 = {.name = "h_pure32",
                                             .fn = (void *)h_pure32_impl,
                                             .ret = IR_I32,
                                             .nargs = 1,
                                             .args = {IR_I32},
                                             .flags = 0};
static const struct ir_helper vm_h_rd = {.name = "h_rd",
                                         .fn = (void *)h_rd_impl,
                                         .ret = IR_I64,
                                         .nargs = 1,
                                         .args = {IR_I64},
                                         .flags = IR_HF_ENV | IR_HF_READS_GLOBALS};
static const struct ir_helper vm_h_wr = {.name = "h_wr",
                                         .fn = (void *)h_wr_impl,
                                         .ret = IR_VOID,
                                         .nargs = 1,
                                         .args = {IR_I64},
                                         .flags = IR_HF_ENV | IR_HF_WRITES_GLOBALS | IR_HF_SIDE};
static const struct ir_helper vm_h_side = {.name = "h_side",
                                           .fn = (void *)h_side_impl,
                                           .ret = IR_VOID,
                                           .nargs = 1,
                                           .args = {IR_I64},
                                           .flags = IR_HF_SIDE};
static const struct ir_helper vm_h_env = {.name = "h_env",
                                          .fn = (void *)h_env_impl,
                                          .ret = IR_I64,
                                          .nargs = 0,
                                          .flags = IR_HF_ENV | IR_HF_SIDE};

const struct vm_helper_ids *vm_helpers_register(void)
{
    static struct vm_helper_ids ids;
    ids.pure = ir_helper_register(&vm_h_pure);
    ids.pure32 = ir_helper_register(&vm_h_pure32);
    ids.rd = ir_helper_register(&vm_h_rd);
    ids.wr = ir_helper_register(&vm_h_wr);
    ids.side = ir_helper_register(&vm_h_side);
    ids.env = ir_helper_register(&vm_h_env);
    return &ids;
}

static bool vm_known_helper(const struct ir_helper *h)
{
    return h == &vm_h_pure || h == &vm_h_pure32 || h == &vm_h_rd || h == &vm_h_wr ||
           h == &vm_h_side || h == &vm_h_env;
}

void vm_init(struct vm_state *s, uint64_t seed)
{
    memset(s, 0, sizeof(*s));
    uint64_t x = seed;
    for (unsigned i = 0; i < VM_ENV_SIZE; i += 8) {
        uint64_t v = vm_rand(&x);
        if (v & 1) /* small values now and then, so compares and shifts vary */
            v = (v >> 1) % 70;
        memcpy(s->env + i, &v, 8);
    }
    for (unsigned i = 0; i < VM_MEM_SIZE; i += 8) {
        uint64_t v = vm_rand(&x);
        memcpy(s->mem + i, &v, 8);
    }
}

struct vm {
    const struct ir_func *f;
    struct vm_state *s;
    uint64_t *temps;
    uint8_t *assigned;
    uint32_t *label_at;
};

static bool vm_bad(struct vm *vm, uint32_t i, const char *what)
{
    vm->s->end = VM_END_BAD;
    snprintf(vm->s->bad, sizeof(vm->s->bad), "insn %u: %s", i, what);
    return false;
}

static bool vm_get(struct vm *vm, uint32_t i, ir_ref r, uint64_t *v)
{
    const struct ir_value *x = &vm->f->vals[r];
    switch (x->kind) {
    case IR_VAL_CONST:
        *v = x->c;
        return true;
    case IR_VAL_GLOBAL:
        if (x->num + x->size > VM_ENV_SIZE)
            return vm_bad(vm, i, "global outside env");
        *v = sem_load((enum ir_type)x->type, vm->s->env + x->num,
                      x->size == 4 ? IR_MO_32 : IR_MO_64);
        return true;
    default:
        if (!vm->assigned[x->num])
            return vm_bad(vm, i, "read of an unassigned temp");
        *v = vm->temps[x->num];
        return true;
    }
}

static void vm_set(struct vm *vm, ir_ref r, uint64_t v)
{
    const struct ir_value *x = &vm->f->vals[r];
    v &= ir_type_mask((enum ir_type)x->type);
    if (x->kind == IR_VAL_GLOBAL) {
        sem_store(vm->s->env + x->num, v, x->size == 4 ? IR_MO_32 : IR_MO_64);
    } else {
        vm->temps[x->num] = v;
        vm->assigned[x->num] = 1;
    }
}

static void vm_event(struct vm *vm, uint8_t kind, uint64_t a, uint64_t b, uint64_t c)
{
    if (vm->s->nev < VM_MAX_EVENTS)
        vm->s->ev[vm->s->nev++] = (struct vm_event){kind, a, b, c};
}

/* Execute insn i; returns the next insn index, or UINT32_MAX when the run ended. */
static uint32_t vm_step(struct vm *vm, uint32_t i)
{
    const struct ir_func *f = vm->f;
    const struct ir_insn *in = &f->insns[i];
    struct vm_state *s = vm->s;
    uint64_t a[IR_MAX_ARGS] = {0};
    for (unsigned k = 0; k < in->nin; k++)
        if (!vm_get(vm, i, ir_in(in, k), &a[k]))
            return UINT32_MAX;
    enum ir_type t = (enum ir_type)in->type;
    uint64_t r;
    switch (in->op) {
    case IR_OP_ld:
    case IR_OP_st: {
        unsigned n = ir_mo_bytes(in->carg[0]);
        uint64_t addr = a[in->op == IR_OP_st ? 1 : 0];
        if (addr > VM_MEM_SIZE - n) {
            s->end = VM_END_FAULT;
            s->pc = addr;
            return UINT32_MAX;
        }
        if (in->op == IR_OP_ld) {
            vm_set(vm, ir_out(in, 0), sem_load(t, s->mem + addr, (unsigned)in->carg[0]));
        } else {
            sem_store(s->mem + addr, a[0], (unsigned)in->carg[0]);
            vm_event(vm, 's', addr, a[0] & ir_type_mask(t), (uint64_t)in->carg[0]);
        }
        return i + 1;
    }
    case IR_OP_ld_state:
    case IR_OP_st_state: {
        uint64_t off = (uint64_t)in->carg[0];
        unsigned mo = (unsigned)in->carg[1];
        if (off + ir_mo_bytes(mo) > VM_ENV_SIZE)
            return vm_bad(vm, i, "state access outside env"), UINT32_MAX;
        if (in->op == IR_OP_ld_state)
            vm_set(vm, ir_out(in, 0), sem_load(t, s->env + off, mo));
        else
            sem_store(s->env + off, a[0], mo);
        return i + 1;
    }
    case IR_OP_call: {
        const struct ir_helper *h = ir_helper_get(in->carg[0]);
        if (!h || !vm_known_helper(h))
            return vm_bad(vm, i, "unknown helper"), UINT32_MAX;
        /* calls without side effects may be removed when their result is dead */
        if (ir_insn_flags(in) & IR_F_SIDE)
            vm_event(vm, 'c', (uint64_t)in->carg[0], a[0], a[1]);
        r = ((vm_helper_fn *)h->fn)(s->env, a);
        if (in->nout)
            vm_set(vm, ir_out(in, 0), r);
        return i + 1;
    }
    case IR_OP_mb:
    case IR_OP_ras_push: /* a hint: no effect here */
    case IR_OP_nop:
    case IR_OP_set_label:
        return i + 1;
    case IR_OP_insn_start:
        s->insn_pc = (uint64_t)in->carg[0];
        return i + 1;
    case IR_OP_br:
        return vm->label_at[in->carg[0]];
    case IR_OP_brcond:
        if (sem_cond(t, (enum ir_cond)in->carg[0], a[0], a[1]))
            return vm->label_at[in->carg[1]];
        return i + 1;
    case IR_OP_goto_tb:
        s->end = VM_END_GOTO_TB;
        s->pc = (uint64_t)in->carg[0];
        return UINT32_MAX;
    case IR_OP_goto_ret: /* the same as goto_ptr (the hint aside) */
    case IR_OP_goto_ptr:
        s->end = VM_END_GOTO_PTR;
        s->pc = a[0];
        return UINT32_MAX;
    case IR_OP_exit:
        s->end = VM_END_EXIT;
        s->pc = a[0];
        s->reason = in->carg[0];
        return UINT32_MAX;
    default:
        if (!sem_eval((enum ir_op)in->op, t, a, in->carg, &r))
            return vm_bad(vm, i, "op not evaluable"), UINT32_MAX;
        vm_set(vm, ir_out(in, 0), r);
        return i + 1;
    }
}

void vm_run(const struct ir_func *f, struct vm_state *s, uint64_t max_steps)
{
    struct vm vm = {.f = f, .s = s};
    s->end = VM_END_NONE;
    s->nev = 0;
    vm.temps = calloc(f->ntemps + 1, sizeof(*vm.temps));
    vm.assigned = calloc(f->ntemps + 1, 1);
    vm.label_at = calloc(f->nlabels + 1, sizeof(*vm.label_at));
    if (!vm.temps || !vm.assigned || !vm.label_at) {
        vm_bad(&vm, 0, "out of memory");
        goto out;
    }
    for (uint32_t l = 0; l < f->nlabels; l++)
        vm.label_at[l] = UINT32_MAX;
    for (uint32_t i = 0; i < f->ninsns; i++)
        if (f->insns[i].op == IR_OP_set_label)
            vm.label_at[f->insns[i].carg[0]] = i;
    uint32_t pc = 0;
    for (uint64_t steps = 0;; steps++) {
        if (steps == max_steps) {
            s->end = VM_END_STEPS;
            break;
        }
        if (pc >= f->ninsns) {
            vm_bad(&vm, pc, "ran off the end or to an unset label");
            break;
        }
        pc = vm_step(&vm, pc);
        if (pc == UINT32_MAX)
            break;
    }
out:
    free(vm.temps);
    free(vm.assigned);
    free(vm.label_at);
}

static const char *const vm_end_names[] = {"none",  "goto_tb", "goto_ptr", "exit",
                                           "fault", "steps",   "bad"};

bool vm_same(const struct vm_state *a, const struct vm_state *b, char *why, size_t n)
{
    if (a->end != b->end || a->pc != b->pc || a->reason != b->reason) {
        snprintf(why, n, "ended %s pc 0x%llx reason %lld vs %s pc 0x%llx reason %lld",
                 vm_end_names[a->end], (unsigned long long)a->pc, (long long)a->reason,
                 vm_end_names[b->end], (unsigned long long)b->pc, (long long)b->reason);
        return false;
    }
    if (a->end == VM_END_FAULT && a->insn_pc != b->insn_pc) {
        snprintf(why, n, "fault at guest insn 0x%llx vs 0x%llx", (unsigned long long)a->insn_pc,
                 (unsigned long long)b->insn_pc);
        return false;
    }
    for (unsigned i = 0; i < VM_ENV_SIZE; i++) {
        if (a->env[i] != b->env[i]) {
            snprintf(why, n, "env byte 0x%x: 0x%02x vs 0x%02x", i, a->env[i], b->env[i]);
            return false;
        }
    }
    if (memcmp(a->mem, b->mem, VM_MEM_SIZE) != 0) {
        snprintf(why, n, "guest memory differs");
        return false;
    }
    if (a->nev != b->nev) {
        snprintf(why, n, "%u events vs %u", a->nev, b->nev);
        return false;
    }
    for (unsigned i = 0; i < a->nev; i++) {
        const struct vm_event *x = &a->ev[i], *y = &b->ev[i];
        if (x->kind != y->kind || x->a != y->a || x->b != y->b || x->c != y->c) {
            snprintf(why, n, "event %u: %c %llx %llx vs %c %llx %llx", i, x->kind,
                     (unsigned long long)x->a, (unsigned long long)x->b, y->kind,
                     (unsigned long long)y->a, (unsigned long long)y->b);
            return false;
        }
    }
    return true;
}
