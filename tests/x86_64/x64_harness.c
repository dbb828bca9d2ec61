/* The Ferry side of test_x64: a 2 MiB guest memory holding the code page
 * (the vector, then INT3s that stop it) and the data page at the addresses
 * the native oracle uses, the x86_64 frontend on a real backend, and the
 * random start states the vectors constrain. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "x64_test.h"

const struct x64t_config x64t_configs[X64T_NCONFIGS] = {
    {"jit", true, 0},    {"jit", false, 0},    {"jit", true, 1},
    {"interp", true, 0}, {"interp", false, 0}, {"interp", true, 1},
};

const char *x64t_config_name(unsigned i)
{
    static const char *const names[X64T_NCONFIGS] = {
        "jit/opt", "jit/noopt", "jit/opt/1-insn", "interp/opt", "interp/noopt", "interp/opt/1-insn",
    };
    return i < X64T_NCONFIGS ? names[i] : "?";
}

static bool x64t_can_exec(void *opaque, uint64_t addr, uint64_t len)
{
    (void)opaque;
    return addr >= X64T_CODE && addr + len <= X64T_CODE + X64T_CODE_SIZE;
}

void x64t_init(struct x64t *h, const struct x64t_config *cfg)
{
    memset(h, 0, sizeof(*h));
    h->mem = mmap(NULL, X64T_MEM_SIZE, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    ck_assert_msg(h->mem != MAP_FAILED, "mmap guest memory");
    h->cpu = (struct x64_cpu *)frontend_cpu_new(&frontend_x86_64);
    ck_assert_ptr_nonnull(h->cpu);
    h->fctx.fe = &frontend_x86_64;
    h->fctx.guest_base = h->mem;
    h->fctx.can_exec = x64t_can_exec;
    ck_assert_int_eq(frontend_x86_64.ctx_init(&h->fctx), 0);

    struct tcg_config c;
    tcg_config_default(&c);
    c.backend = backend_by_name(cfg->backend);
    ck_assert_msg(c.backend != NULL, "no backend %s", cfg->backend);
    c.code_size = 4u << 20;
    c.opt_mask = cfg->optimize ? IR_PASSES_ALL : 0;
    c.verify = true;
    c.max_insns = cfg->max_insns;
    int r = tcg_init(&h->tcg, &c, frontend_x86_64.translate, &h->fctx);
    ck_assert_msg(r == 0, "tcg_init: %s", tcg_errmsg(&h->tcg));
    ck_assert_int_eq(tcg_cpu_init(&h->tcg, &h->cpu->head), 0);
    h->inited = true;
}

void x64t_fini(struct x64t *h)
{
    if (!h->inited)
        return;
    tcg_cpu_fini(&h->tcg, &h->cpu->head);
    tcg_fini(&h->tcg);
    frontend_x86_64.ctx_fini(&h->fctx);
    free(h->cpu);
    munmap(h->mem, X64T_MEM_SIZE);
    h->inited = false;
}

unsigned x64t_run(struct x64t *h, const uint8_t *bytes, unsigned n, const struct x64t_state *in)
{
    tcg_flush(&h->tcg);
    memset(h->mem + X64T_CODE, 0xcc, X64T_CODE_SIZE);
    memcpy(h->mem + X64T_CODE, bytes, n);
    memcpy(h->mem + X64T_DATA, in->data, X64T_DATA_SIZE);
    struct jc_entry *jc = h->cpu->head.jmp_cache;
    struct ras_stack *ras = h->cpu->head.ras;
    frontend_x86_64.cpu_reset(&h->cpu->head);
    h->cpu->head.jmp_cache = jc;
    h->cpu->head.ras = ras;
    h->cpu->head.guest_base = h->mem;
    memcpy(h->cpu->regs, in->regs, sizeof in->regs);
    x64_set_rflags(h->cpu, in->rflags);
    memcpy(h->cpu->xmm, in->xmm, sizeof in->xmm);
    h->cpu->mxcsr = in->mxcsr;
    h->cpu->fs_base = in->fs_base;
    h->cpu->gs_base = in->gs_base;
    h->cpu->head.pc = X64T_CODE;
    return tcg_exec(&h->tcg, &h->cpu->head);
}

void x64t_get_state(const struct x64t *h, struct x64t_state *out)
{
    memcpy(out->regs, h->cpu->regs, sizeof out->regs);
    out->rflags = x64_get_rflags(h->cpu);
    memcpy(out->xmm, h->cpu->xmm, sizeof out->xmm);
    out->mxcsr = h->cpu->mxcsr;
    memcpy(out->data, h->mem + X64T_DATA, X64T_DATA_SIZE);
}

/* splitmix64 */
static uint64_t x64t_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Random register values with a bias to the edges. */
static uint64_t x64t_rand_value(uint64_t *s)
{
    static const uint64_t edges[] = {0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
                                     0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
                                     0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull};
    uint64_t r = x64t_rand(s);
    switch (r & 7) {
    case 0: return edges[(r >> 8) % (sizeof edges / sizeof edges[0])];
    case 1: return (r >> 8) & 0xff;
    case 2: return (uint64_t)-(int64_t)((r >> 8) & 0xff);
    default: return x64t_rand(s);
    }
}

/* A random 64-bit XMM lane: raw bits, two floats or a double, biased to
 * the values FP code trips on (zeros, infinities, NaNs, denormals, limits
 * of the integer conversions, halfway cases). */
static uint64_t x64t_rand_lane(uint64_t *s)
{
    static const uint64_t dbl[] = {
        0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
        0x3ff8000000000000ull, 0x4004000000000000ull, 0xc004000000000000ull,
        0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
        0x7ff4000000000000ull, 0xfff8000000000001ull, 0x0000000000000001ull,
        0x800fffffffffffffull, 0x0010000000000000ull, 0x7fefffffffffffffull,
        0x43e0000000000000ull, 0xc3e0000000000000ull, 0x41dfffffffc00000ull,
        0xc1e0000000000000ull, 0x3fe0000000000000ull, 0x4330000000000000ull,
        0x3fb999999999999aull, 0x47efffffe0000000ull, 0x3690000000000000ull};
    static const uint32_t flt[] = {
        0, 0x80000000u, 0x3f800000u, 0xbf800000u, 0x3fc00000u, 0x40200000u, 0xc0200000u,
        0x7f800000u, 0xff800000u, 0x7fc00000u, 0x7fa00000u, 0xffc00001u, 0x00000001u,
        0x807fffffu, 0x00800000u, 0x7f7fffffu, 0x5f000000u, 0xdf000000u, 0x4f000000u,
        0xcf000000u, 0x3f000000u, 0x4b000000u, 0x3dcccccdu};
    uint64_t r = x64t_rand(s);
    switch (r & 7) {
    case 0:
    case 1: return x64t_rand(s);
    case 2:
    case 3: return dbl[(r >> 8) % (sizeof dbl / sizeof dbl[0])];
    case 4: { /* a double of moderate magnitude */
        uint64_t m = x64t_rand(s) & 0x800fffffffffffffull;
        return m | ((uint64_t)(0x3f0 + ((r >> 8) % 0x40)) << 52);
    }
    case 5: { /* a float pair of moderate magnitude */
        uint64_t m = x64t_rand(s) & 0x807fffff807fffffull;
        return m | ((uint64_t)(0x70 + ((r >> 8) % 0x20)) << 23) |
               ((uint64_t)(0x70 + ((r >> 16) % 0x20)) << 55);
    }
    default:
        return flt[(r >> 8) % (sizeof flt / sizeof flt[0])] |
               (uint64_t)flt[(r >> 24) % (sizeof flt / sizeof flt[0])] << 32;
    }
}

void x64t_make_state(const struct x64t_vec *v, uint64_t seed, struct x64t_state *s)
{
    uint64_t rs = seed * 0x2545f4914f6cdd1dull + v->line;
    for (unsigned r = 0; r < 16; r++)
        s->regs[r] = x64t_rand_value(&rs);
    s->regs[X64_RSP] = X64T_STACK;
    s->rflags = 0x202 | (x64t_rand(&rs) & X64_RFLAGS_STATUS);
    for (unsigned i = 0; i < X64T_DATA_SIZE; i += 8) {
        uint64_t d = (i & 8) ? x64t_rand_lane(&rs) : x64t_rand(&rs);
        memcpy(s->data + i, &d, 8);
    }
    for (unsigned r = 0; r < 16; r++) {
        s->xmm[r].d[0] = x64t_rand_lane(&rs);
        s->xmm[r].d[1] = x64t_rand_lane(&rs);
    }
    s->mxcsr = X64_MXCSR_DEFAULT | (uint32_t)(x64t_rand(&rs) & 0x3f);
    for (unsigned i = 0; i < X64T_MAX_SETUP && v->setup[i].kind != X64T_END_SETUP; i++) {
        const struct x64t_setup *u = &v->setup[i];
        uint64_t *r = &s->regs[u->n & 15];
        switch (u->kind) {
        case X64T_SET: *r = u->a; break;
        case X64T_AND: *r &= u->a; break;
        case X64T_OR: *r |= u->a; break;
        case X64T_PTR: *r = X64T_DATA + (x64t_rand(&rs) & u->a); break;
        case X64T_MXCSR: s->mxcsr = (uint32_t)u->a; break;
        case X64T_XLO: s->xmm[u->n & 15].d[0] = u->a; break;
        case X64T_XHI: s->xmm[u->n & 15].d[1] = u->a; break;
        case X64T_FLAGS: s->rflags = 0x202 | (u->a & (X64_RFLAGS_STATUS | X64_RFLAGS_DF)); break;
        case X64T_SEXT: {
            uint64_t *ax = &s->regs[X64_RAX], *dx = &s->regs[X64_RDX];
            switch (u->n) {
            case 1: *ax = (*ax & ~0xff00ull) | (((*ax & 0x80) ? 0xffull : 0) << 8); break;
            case 2: *dx = (*dx & ~0xffffull) | ((*ax & 0x8000) ? 0xffff : 0); break;
            case 4: *dx = (*ax & 0x80000000) ? 0xffffffffull : 0; break;
            default: *dx = (*ax >> 63) ? ~0ull : 0; break;
            }
            break;
        }
        default: break;
        }
    }
}
