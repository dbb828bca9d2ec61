/* irvm: runs a parsed IR module through accel/tcg.  The "frontend" is a table
 * lookup: block (pc, flags) of the module is copied into the ir_func the cache
 * asks for; the rest (optimizer, backend, chaining) is the real pipeline. */
#define _GNU_SOURCE
#include "irvm.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../../backend/backend.h"

/* Guest memory is followed by this much PROT_NONE address space, so that a wild
 * 32-bit guest address is a clean host SIGSEGV rather than a silent corruption. */
#define IRVM_GUARD_SIZE ((size_t)4 << 30)
/* Bytes of guest code an irvm "instruction" (insn_start) stands for. */
#define IRVM_INSN_BYTES 4u

struct irvm {
    struct irvm_cpu cpu; /* first: helpers get &cpu.head as env and find the irvm */
    const struct ir_module *m;
    struct tcg_ctx tcg;
    bool tcg_ready, cpu_ready;
    uint8_t *mem;
    size_t map_size;
    FILE *out;
    uint64_t entry_pc;
    uint32_t entry_flags;
    char errmsg[320];
};

void irvm_options_default(struct irvm_options *o)
{
    memset(o, 0, sizeof(*o));
    o->opt_mask = IR_PASSES_ALL;
    o->verify = true;
}

/* ---- demo helpers ----------------------------------------------------------- */

static void irvm_helper_putchar(void *env, uint64_t c)
{
    struct irvm *vm = (struct irvm *)((char *)env - offsetof(struct irvm, cpu.head));
    fputc((int)(c & 0xff), vm->out);
}

static uint64_t irvm_helper_mix64(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ (b * 0x9e3779b97f4a7c15ull);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static const struct ir_helper irvm_putchar_helper = {
    .name = "putchar",
    .fn = (void *)irvm_helper_putchar,
    .ret = IR_VOID,
    .nargs = 1,
    .args = {IR_I64},
    .flags = IR_HF_ENV | IR_HF_SIDE,
};

static const struct ir_helper irvm_mix64_helper = {
    .name = "mix64",
    .fn = (void *)irvm_helper_mix64,
    .ret = IR_I64,
    .nargs = 2,
    .args = {IR_I64, IR_I64},
    .flags = 0,
};

int irvm_register_helpers(void)
{
    if (ir_helper_register(&irvm_putchar_helper) < 0)
        return -1;
    if (ir_helper_register(&irvm_mix64_helper) < 0)
        return -1;
    return 0;
}

/* ---- module checks -------------------------------------------------------------- */

static int irvm_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int irvm_fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && errlen)
        vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static bool irvm_range_ok(uint64_t off, uint64_t size, uint64_t lo, uint64_t hi)
{
    return off >= lo && off + size <= hi && off + size > off;
}

static int irvm_check_func(const struct ir_func *f, char *err, size_t errlen)
{
    for (ir_ref r = 1; r < f->nvals; r++) {
        const struct ir_value *v = &f->vals[r];
        unsigned size = v->type == IR_I32 ? 4 : 8;
        if (v->kind == IR_VAL_GLOBAL && !irvm_range_ok(v->num, size, CPU_HEAD_SIZE, IRVM_CPU_SIZE))
            return irvm_fail(err, errlen,
                             "block 0x%" PRIx64 ": global %s at @0x%x is outside the irvm state "
                             "(globals must lie in [0x%zx, 0x%x))",
                             f->pc, v->name, v->num, CPU_HEAD_SIZE, IRVM_CPU_SIZE);
    }
    for (uint32_t i = 0; i < f->ninsns; i++) {
        const struct ir_insn *in = &f->insns[i];
        if ((in->op == IR_OP_ld || in->op == IR_OP_st) && (in->carg[0] & IR_MO_MMU))
            return irvm_fail(err, errlen,
                             "block 0x%" PRIx64 ", insn %u: %s through the soft TLB (.mmu): the "
                             "irvm has no guest MMU",
                             f->pc, i, ir_ops[in->op].name);
        if (in->op != IR_OP_ld_state && in->op != IR_OP_st_state)
            continue;
        uint64_t off = (uint64_t)in->carg[0], size = ir_mo_bytes(in->carg[1]);
        bool ok;
        if (in->op == IR_OP_ld_state)
            ok = irvm_range_ok(off, size, 0, IRVM_CPU_SIZE);
        else
            ok = irvm_range_ok(off, size, CPU_HEAD_SIZE, IRVM_CPU_SIZE) ||
                 irvm_range_ok(off, size, CPU_HEAD_FLAGS, CPU_HEAD_FLAGS + 4) ||
                 irvm_range_ok(off, size, CPU_HEAD_EXIT_REQUEST, CPU_HEAD_EXIT_REQUEST + 4);
        if (!ok)
            return irvm_fail(err, errlen,
                             "block 0x%" PRIx64 ", insn %u: %s at offset 0x%" PRIx64
                             " is outside what the irvm allows (ld_state: [0, 0x%x); st_state: "
                             "[0x%zx, 0x%x), flags, exit_request)",
                             f->pc, i, ir_ops[in->op].name, off, IRVM_CPU_SIZE, CPU_HEAD_SIZE,
                             IRVM_CPU_SIZE);
    }
    return 0;
}

static int irvm_check_module(const struct ir_module *m, char *err, size_t errlen)
{
    if (!m || m->nfuncs == 0)
        return irvm_fail(err, errlen, "the IR module has no blocks");
    for (unsigned i = 0; i < m->nfuncs; i++) {
        if (irvm_check_func(&m->funcs[i], err, errlen) < 0)
            return -1;
        for (unsigned j = 0; j < i; j++)
            if (m->funcs[j].pc == m->funcs[i].pc && m->funcs[j].flags == m->funcs[i].flags)
                return irvm_fail(err, errlen, "two blocks at pc 0x%" PRIx64 " flags=%u",
                                 m->funcs[i].pc, m->funcs[i].flags);
    }
    return 0;
}

/* ---- the translate callback -------------------------------------------------- */

static const struct ir_func *irvm_find_block(const struct ir_module *m, uint64_t pc, uint32_t flags)
{
    for (unsigned i = 0; i < m->nfuncs; i++)
        if (m->funcs[i].pc == pc && m->funcs[i].flags == flags)
            return &m->funcs[i];
    return NULL;
}

/* Each insn_start stands for one IRVM_INSN_BYTES-byte guest instruction: the
 * block covers [pc, last insn_start + 4), or [pc, pc + 4) without any. */
static uint32_t irvm_guest_size(const struct ir_func *f)
{
    uint64_t end = f->pc + IRVM_INSN_BYTES;
    for (uint32_t i = 0; i < f->ninsns; i++) {
        const struct ir_insn *in = &f->insns[i];
        uint64_t ipc = (uint64_t)in->carg[0];
        if (in->op == IR_OP_insn_start && ipc >= f->pc && ipc - f->pc < (1u << 24) &&
            ipc + IRVM_INSN_BYTES > end)
            end = ipc + IRVM_INSN_BYTES;
    }
    return (uint32_t)(end - f->pc);
}

static int irvm_translate(void *opaque, struct ir_func *f, uint64_t pc, uint32_t flags,
                          unsigned max_insns, uint32_t *guest_size)
{
    struct irvm *vm = opaque;
    const struct ir_func *src = irvm_find_block(vm->m, pc, flags);
    if (!src) {
        ir_error(f, "no block at pc 0x%" PRIx64 " flags=%u", pc, flags);
        return -EFAULT;
    }
    if (ir_func_copy(f, src) < 0) {
        ir_error(f, "out of memory copying the block at pc 0x%" PRIx64, pc);
        return -ENOMEM;
    }
    f->err = 0;
    f->errmsg[0] = 0;
    f->env_size = IRVM_CPU_SIZE;
    *guest_size = irvm_guest_size(f);
    return 0;
}

/* ---- life cycle ------------------------------------------------------------------ */

static int irvm_map_memory(struct irvm *vm)
{
    size_t size = IRVM_MEM_SIZE + IRVM_GUARD_SIZE;
    void *p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) { /* small address space: one guard page at least */
        size = IRVM_MEM_SIZE + 4096;
        p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
            return -errno;
    }
    if (mprotect(p, IRVM_MEM_SIZE, PROT_READ | PROT_WRITE) < 0) {
        int e = errno;
        munmap(p, size);
        return -e;
    }
    vm->mem = p;
    vm->map_size = size;
    return 0;
}

struct irvm *irvm_new(const struct ir_module *m, const struct irvm_options *o, char *err,
                      size_t errlen)
{
    struct irvm_options def;
    if (!o) {
        irvm_options_default(&def);
        o = &def;
    }
    if (irvm_check_module(m, err, errlen) < 0)
        return NULL;
    const struct ferry_backend *be = o->backend_ops;
    if (!be) {
        const char *name = o->backend;
        if (!name)
            name = backend_by_name("jit") ? "jit" : "interp";
        be = backend_by_name(name);
        if (!be) {
            irvm_fail(err, errlen, "unknown backend '%s' (try jit or interp)", name);
            return NULL;
        }
    }
    struct irvm *vm = calloc(1, sizeof(*vm));
    if (!vm) {
        irvm_fail(err, errlen, "out of memory");
        return NULL;
    }
    vm->m = m;
    vm->out = o->out ? o->out : stdout;
    vm->entry_pc = m->funcs[0].pc;
    vm->entry_flags = m->funcs[0].flags;
    int r = irvm_map_memory(vm);
    if (r < 0) {
        irvm_fail(err, errlen, "cannot map %zu bytes of guest memory: %s", IRVM_MEM_SIZE,
                  strerror(-r));
        irvm_free(vm);
        return NULL;
    }
    struct tcg_config cfg;
    tcg_config_default(&cfg);
    cfg.backend = be;
    cfg.opt_mask = o->opt_mask;
    cfg.verify = o->verify;
    cfg.no_chain = o->no_chain;
    cfg.tier_up = o->tier_up;
    if (o->max_insns)
        cfg.max_insns = o->max_insns;
    if (o->code_size)
        cfg.code_size = o->code_size;
    if (tcg_init(&vm->tcg, &cfg, irvm_translate, vm) < 0) {
        irvm_fail(err, errlen, "%s", tcg_errmsg(&vm->tcg));
        irvm_free(vm);
        return NULL;
    }
    vm->tcg_ready = true;
    if (tcg_cpu_init(&vm->tcg, &vm->cpu.head) < 0) {
        irvm_fail(err, errlen, "out of memory");
        irvm_free(vm);
        return NULL;
    }
    vm->cpu_ready = true;
    vm->cpu.head.guest_base = vm->mem;
    vm->cpu.head.pc = vm->entry_pc;
    vm->cpu.head.flags = vm->entry_flags;
    return vm;
}

void irvm_free(struct irvm *vm)
{
    if (!vm)
        return;
    if (vm->cpu_ready)
        tcg_cpu_fini(&vm->tcg, &vm->cpu.head);
    if (vm->tcg_ready)
        tcg_fini(&vm->tcg);
    if (vm->mem)
        munmap(vm->mem, vm->map_size);
    free(vm);
}

unsigned irvm_resume(struct irvm *vm)
{
    vm->errmsg[0] = 0;
    unsigned r = tcg_exec(&vm->tcg, &vm->cpu.head);
    if (r == TCG_EXIT_ERROR)
        snprintf(vm->errmsg, sizeof(vm->errmsg), "%s", tcg_errmsg(&vm->tcg));
    return r;
}

unsigned irvm_run(struct irvm *vm)
{
    vm->cpu.head.pc = vm->entry_pc;
    vm->cpu.head.flags = vm->entry_flags;
    return irvm_resume(vm);
}

void irvm_reset(struct irvm *vm)
{
    memset(vm->cpu.state, 0, sizeof(vm->cpu.state));
    memset(vm->mem, 0, IRVM_MEM_SIZE);
    vm->cpu.head.pc = vm->entry_pc;
    vm->cpu.head.flags = vm->entry_flags;
    vm->cpu.head.exit_request = 0;
}

const char *irvm_errmsg(const struct irvm *vm) { return vm->errmsg; }
struct irvm_cpu *irvm_cpu(struct irvm *vm) { return &vm->cpu; }
struct tcg_ctx *irvm_tcg(struct irvm *vm) { return &vm->tcg; }
uint8_t *irvm_mem(struct irvm *vm) { return vm->mem; }
const struct ir_module *irvm_module(const struct irvm *vm) { return vm->m; }

/* ---- globals ---------------------------------------------------------------------- */

static const struct ir_value *irvm_find_global(const struct ir_module *m, const char *name)
{
    for (unsigned i = 0; i < m->nfuncs; i++) {
        const struct ir_func *f = &m->funcs[i];
        for (ir_ref r = 1; r < f->nvals; r++)
            if (f->vals[r].kind == IR_VAL_GLOBAL && strcmp(f->vals[r].name, name) == 0)
                return &f->vals[r];
    }
    return NULL;
}

uint64_t irvm_read_state(const struct irvm *vm, uint32_t offset, unsigned size)
{
    if ((size != 1 && size != 2 && size != 4 && size != 8) || offset > IRVM_CPU_SIZE - size)
        return 0;
    const uint8_t *p = (const uint8_t *)&vm->cpu + offset;
    uint64_t v = 0;
    memcpy(&v, p, size); /* little-endian host: the low bytes */
    return v;
}

int irvm_get_global(const struct irvm *vm, const char *name, uint64_t *value)
{
    const struct ir_value *g = irvm_find_global(vm->m, name);
    if (!g)
        return -1;
    *value = irvm_read_state(vm, g->num, g->type == IR_I32 ? 4 : 8);
    return 0;
}

int irvm_set_global(struct irvm *vm, const char *name, uint64_t value)
{
    const struct ir_value *g = irvm_find_global(vm->m, name);
    if (!g)
        return -1;
    memcpy((uint8_t *)&vm->cpu + g->num, &value, g->type == IR_I32 ? 4 : 8);
    return 0;
}

static int irvm_cmp_global(const void *a, const void *b)
{
    const struct ir_value *x = *(const struct ir_value *const *)a;
    const struct ir_value *y = *(const struct ir_value *const *)b;
    return x->num < y->num ? -1 : x->num > y->num;
}

void irvm_print_globals(const struct irvm *vm, FILE *out)
{
    const struct ir_module *m = vm->m;
    size_t n = 0, cap = 0;
    const struct ir_value **list = NULL;
    for (unsigned i = 0; i < m->nfuncs; i++) {
        const struct ir_func *f = &m->funcs[i];
        for (ir_ref r = 1; r < f->nvals; r++) {
            const struct ir_value *v = &f->vals[r];
            if (v->kind != IR_VAL_GLOBAL)
                continue;
            bool seen = false;
            for (size_t k = 0; k < n && !seen; k++)
                seen = list[k]->num == v->num;
            if (seen)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                const struct ir_value **p = realloc(list, cap * sizeof(*p));
                if (!p) {
                    free(list);
                    return;
                }
                list = p;
            }
            list[n++] = v;
        }
    }
    if (n)
        qsort(list, n, sizeof(*list), irvm_cmp_global);
    for (size_t k = 0; k < n; k++) {
        const struct ir_value *v = list[k];
        bool i32 = v->type == IR_I32;
        uint64_t x = irvm_read_state(vm, v->num, i32 ? 4 : 8);
        int64_t s = i32 ? (int64_t)(int32_t)(uint32_t)x : (int64_t)x;
        fprintf(out, "%s = 0x%" PRIx64 " (%" PRId64 ")\n", v->name, x, s);
    }
    free(list);
}
