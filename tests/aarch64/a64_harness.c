/* The A64 instruction-vector harness: a 256 KiB guest memory (code page at
 * A64T_CODE filled with stop BRKs, a data page at A64T_DATA), the aarch64
 * frontend on a real backend, and a full end-state comparison (x0..x30, SP,
 * NZCV, V0..V31, TPIDR_EL0, FPCR, FPSR, the data page, exit reason and pc). */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "a64_test.h"
#include "frontend/frontend.h"

const struct a64t_config a64t_configs[A64T_NCONFIGS] = {
    {"jit", true, 0},    {"jit", false, 0},    {"jit", true, 1},
    {"interp", true, 0}, {"interp", false, 0}, {"interp", true, 1},
};

const char *a64t_config_name(unsigned i)
{
    static const char *const names[A64T_NCONFIGS] = {
        "jit/opt", "jit/noopt", "jit/opt/1-insn", "interp/opt", "interp/noopt", "interp/opt/1-insn",
    };
    return i < A64T_NCONFIGS ? names[i] : "?";
}

uint64_t a64t_default_x(unsigned n) { return 0xc0de0000c0de0000ull | (uint64_t)n << 32 | n; }
uint64_t a64t_default_v(unsigned n, unsigned half)
{
    return 0x7e57000000000000ull | (uint64_t)n << 8 | half;
}
uint8_t a64t_default_data(unsigned offset) { return (uint8_t)(offset * 7 + 3); }

static bool a64t_can_exec(void *opaque, uint64_t addr, uint64_t len)
{
    return addr >= A64T_CODE && addr + len <= A64T_CODE + A64T_CODE_SIZE;
}

void a64t_init(struct a64t *h, const struct a64t_config *cfg)
{
    memset(h, 0, sizeof(*h));
    h->mem = mmap(NULL, A64T_MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_msg(h->mem != MAP_FAILED, "mmap guest memory");
    h->cpu = (struct a64_cpu *)frontend_cpu_new(&frontend_aarch64);
    ck_assert_ptr_nonnull(h->cpu);

    h->fctx.fe = &frontend_aarch64;
    h->fctx.guest_base = h->mem;
    h->fctx.can_exec = a64t_can_exec;
    ck_assert_int_eq(frontend_aarch64.ctx_init(&h->fctx), 0);

    struct tcg_config c;
    tcg_config_default(&c);
    c.backend = backend_by_name(cfg->backend);
    ck_assert_msg(c.backend != NULL, "no backend %s", cfg->backend);
    c.code_size = 4u << 20;
    c.opt_mask = cfg->optimize ? IR_PASSES_ALL : 0;
    c.verify = true;
    c.max_insns = cfg->max_insns;
    int r = tcg_init(&h->tcg, &c, frontend_aarch64.translate, &h->fctx);
    ck_assert_msg(r == 0, "tcg_init: %s", tcg_errmsg(&h->tcg));
    ck_assert_int_eq(tcg_cpu_init(&h->tcg, &h->cpu->head), 0);
    h->inited = true;
}

void a64t_fini(struct a64t *h)
{
    if (!h->inited)
        return;
    tcg_cpu_fini(&h->tcg, &h->cpu->head);
    tcg_fini(&h->tcg);
    frontend_aarch64.ctx_fini(&h->fctx);
    free(h->cpu);
    munmap(h->mem, A64T_MEM_SIZE);
    h->inited = false;
}

/* (No ck_assert on the hot paths: every Check assertion records its place.) */
static void a64t_put(uint8_t *mem, uint64_t addr, unsigned bytes, uint64_t v)
{
    if (addr + bytes > A64T_MEM_SIZE)
        ck_abort_msg("vector memory 0x%" PRIx64 " outside", addr);
    for (unsigned i = 0; i < bytes; i++)
        mem[addr + i] = (uint8_t)(v >> (8 * i));
}

/* Apply the items of a state description to a CPU and memory image. */
static void a64t_apply(struct a64_cpu *cpu, uint8_t *mem, const struct a64t_item *it)
{
    for (unsigned i = 0; i < A64T_MAX_ITEMS && it[i].kind != A64T_END_LIST; i++) {
        const struct a64t_item *e = &it[i];
        switch (e->kind) {
        case A64T_X: cpu->x[e->n] = e->a; break;
        case A64T_SP: cpu->sp = e->a; break;
        case A64T_NZCV:
            a64_cpu_set_nzcv(cpu, (unsigned)e->a & 15);
            break;
        case A64T_V:
            cpu->v[e->n].d[0] = e->a;
            cpu->v[e->n].d[1] = e->b;
            break;
        case A64T_MEM: a64t_put(mem, e->a, e->n, e->b); break;
        case A64T_TPIDR: cpu->tpidr_el0 = e->a; break;
        case A64T_FPCR: cpu->fpcr = (uint32_t)e->a; break;
        case A64T_FPSR: cpu->fpsr = (uint32_t)e->a; break;
        default: break; /* EXIT, FAULT: expectations only */
        }
    }
}

static void a64t_default_state(struct a64_cpu *cpu, uint8_t *data)
{
    for (unsigned n = 0; n < 31; n++)
        cpu->x[n] = a64t_default_x(n);
    for (unsigned n = 0; n < 32; n++) {
        cpu->v[n].d[0] = a64t_default_v(n, 0);
        cpu->v[n].d[1] = a64t_default_v(n, 1);
    }
    cpu->sp = A64T_DEFAULT_SP;
    a64_cpu_set_nzcv(cpu, 0);
    cpu->tpidr_el0 = 0;
    cpu->fpcr = cpu->fpsr = 0;
    for (unsigned i = 0; i < A64T_DATA_SIZE; i++)
        data[i] = a64t_default_data(i);
}

void a64t_load(struct a64t *h, const uint32_t *code, unsigned ncode, const struct a64t_item *in)
{
    tcg_flush(&h->tcg);
    memset(h->mem, 0, A64T_MEM_SIZE);
    for (unsigned i = 0; i < A64T_CODE_SIZE; i += 4)
        memcpy(h->mem + A64T_CODE + i, &(uint32_t){A64T_STOP_BRK}, 4);
    for (unsigned i = 0; i < ncode; i++)
        a64t_put(h->mem, A64T_CODE + 4 * i, 4, code[i]);
    struct jc_entry *jc = h->cpu->head.jmp_cache;
    frontend_aarch64.cpu_reset(&h->cpu->head);
    h->cpu->head.jmp_cache = jc;
    h->cpu->head.guest_base = h->mem;
    h->cpu->tcg = &h->tcg;
    a64t_default_state(h->cpu, h->mem + A64T_DATA);
    if (in)
        a64t_apply(h->cpu, h->mem, in);
}

unsigned a64t_run(struct a64t *h)
{
    h->cpu->head.pc = A64T_CODE;
    h->cpu->head.flags = 0;
    return tcg_exec(&h->tcg, &h->cpu->head);
}

/* Append to a bounded message. */
static void a64t_say(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void a64t_say(char *buf, size_t len, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, len - used, fmt, ap);
    va_end(ap);
}

void a64t_check_vec(struct a64t *h, const struct a64t_vec *v, const char *cfgname)
{
    a64t_load(h, v->code, v->ncode, v->in);
    unsigned r = a64t_run(h);

    /* the expected end state: the start state plus `out` */
    static struct a64_cpu want_cpu;
    static uint8_t wmem[A64T_MEM_SIZE];
    struct a64_cpu *want = &want_cpu;
    memset(want, 0, sizeof(*want));
    memset(wmem + A64T_DATA, 0, A64T_DATA_SIZE);
    a64t_default_state(want, wmem + A64T_DATA);
    a64t_apply(want, wmem, v->in);
    a64t_apply(want, wmem, v->out);
    unsigned want_exit = IR_EXIT_brk;
    uint64_t want_pc = A64T_CODE + 4u * v->ncode, want_fault = 0;
    bool check_fault = false;
    for (unsigned i = 0; i < A64T_MAX_ITEMS && v->out[i].kind != A64T_END_LIST; i++) {
        if (v->out[i].kind == A64T_EXIT) {
            want_exit = v->out[i].n;
            want_pc = v->out[i].a;
        } else if (v->out[i].kind == A64T_FAULT) {
            want_fault = v->out[i].a;
            check_fault = true;
        }
    }

    const struct a64_cpu *got = h->cpu;
    char msg[2048] = "";
    if (r != want_exit)
        a64t_say(msg, sizeof msg, " exit %s, want %s%s%s;",
                 r < IR_EXIT_COUNT ? ir_exit_names[r] : "ERROR", ir_exit_names[want_exit],
                 r == TCG_EXIT_ERROR ? ": " : "", r == TCG_EXIT_ERROR ? tcg_errmsg(&h->tcg) : "");
    if (got->head.pc != want_pc)
        a64t_say(msg, sizeof msg, " pc 0x%" PRIx64 ", want 0x%" PRIx64 ";", got->head.pc, want_pc);
    for (unsigned n = 0; n < 31; n++)
        if (got->x[n] != want->x[n])
            a64t_say(msg, sizeof msg, " x%u 0x%" PRIx64 ", want 0x%" PRIx64 ";", n, got->x[n],
                     want->x[n]);
    if (got->sp != want->sp)
        a64t_say(msg, sizeof msg, " sp 0x%" PRIx64 ", want 0x%" PRIx64 ";", got->sp, want->sp);
    unsigned gn = a64_cpu_nzcv(got), wn = a64_cpu_nzcv(want);
    if (gn != wn || got->cf > 1 || got->vf > 1)
        a64t_say(msg, sizeof msg, " nzcv %u%u%u%u, want %u%u%u%u;", gn >> 3, (gn >> 2) & 1,
                 (gn >> 1) & 1, gn & 1, wn >> 3, (wn >> 2) & 1, (wn >> 1) & 1, wn & 1);
    for (unsigned n = 0; n < 32; n++)
        if (memcmp(&got->v[n], &want->v[n], 16) != 0)
            a64t_say(msg, sizeof msg, " v%u 0x%016" PRIx64 "%016" PRIx64 ", want 0x%016" PRIx64
                     "%016" PRIx64 ";", n, got->v[n].d[1], got->v[n].d[0], want->v[n].d[1],
                     want->v[n].d[0]);
    if (got->tpidr_el0 != want->tpidr_el0)
        a64t_say(msg, sizeof msg, " tpidr_el0 0x%" PRIx64 ", want 0x%" PRIx64 ";", got->tpidr_el0,
                 want->tpidr_el0);
    if (got->fpcr != want->fpcr || got->fpsr != want->fpsr)
        a64t_say(msg, sizeof msg, " fpcr/fpsr 0x%x/0x%x, want 0x%x/0x%x;", got->fpcr, got->fpsr,
                 want->fpcr, want->fpsr);
    if (check_fault && (got->fault_addr != want_fault || got->fault_kind != A64_FAULT_ALIGN))
        a64t_say(msg, sizeof msg, " fault %u at 0x%" PRIx64 ", want alignment at 0x%" PRIx64 ";",
                 got->fault_kind, got->fault_addr, want_fault);
    for (unsigned i = 0; i < A64T_DATA_SIZE; i++) {
        uint8_t g = h->mem[A64T_DATA + i], w = wmem[A64T_DATA + i];
        if (g != w)
            a64t_say(msg, sizeof msg, " mem[0x%x] 0x%02x, want 0x%02x;", A64T_DATA + i, g, w);
    }
    if (msg[0]) {
        char code[128] = "";
        for (unsigned i = 0; i < v->ncode; i++)
            a64t_say(code, sizeof code, "%s%08x", i ? " " : "", v->code[i]);
        ck_abort_msg("a64_vectors.inc:%u [%s] (%s):%s", v->line, code, cfgname, msg);
    }
}
