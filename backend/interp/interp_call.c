/* Helper calls of the interpreter (backend/interp): one prepared libffi call
 * interface per helper, built when a block first calls it and kept until the
 * engine is destroyed, plus a direct-call fast path for the common all-uint64_t
 * shapes.  libffi is the general path: any mix of uint32_t/uint64_t args. */
#include <stdlib.h>
#include <string.h>

#include "interp.h"

static ffi_type *ffi_type_of(uint8_t t)
{
    switch (t) {
    case IR_I32:
        return &ffi_type_uint32;
    case IR_I64:
        return &ffi_type_uint64;
    case IR_VOID:
        return &ffi_type_void;
    default:
        return NULL;
    }
}

static enum interp_direct call_shape(const struct interp_call *c)
{
    if (c->nargs > 4 || c->ret == IR_I32)
        return INTERP_DIRECT_NONE;
    for (unsigned i = 0; i < c->nargs; i++)
        if (c->h->args[i] != IR_I64)
            return INTERP_DIRECT_NONE;
    return INTERP_DIRECT_U64;
}

struct interp_call *interp_call_get(struct interp_state *st, int64_t id, char *err, size_t errlen)
{
    const struct ir_helper *h = ir_helper_get(id);
    if (!h) {
        snprintf(err, errlen, "call of unknown helper %lld", (long long)id);
        return NULL;
    }
    if ((uint64_t)id < st->ncalls && st->calls[id])
        return st->calls[id];
    if ((uint64_t)id >= st->ncalls) {
        uint32_t n = st->ncalls ? st->ncalls : 16;
        while (n <= (uint64_t)id)
            n *= 2;
        struct interp_call **p = realloc(st->calls, n * sizeof(*p));
        if (!p) {
            snprintf(err, errlen, "out of memory");
            return NULL;
        }
        memset(p + st->ncalls, 0, (n - st->ncalls) * sizeof(*p));
        st->calls = p;
        st->ncalls = n;
    }
    if (h->nargs > IR_HELPER_MAX_ARGS || !h->fn) {
        snprintf(err, errlen, "helper %s: bad descriptor (%u args, fn %p)", h->name, h->nargs,
                 h->fn);
        return NULL;
    }
    struct interp_call *c = calloc(1, sizeof(*c));
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->h = h;
    c->id = (int)id;
    c->fn = (void (*)(void))h->fn;
    c->ret = h->ret;
    c->nargs = h->nargs;
    c->env = (h->flags & IR_HF_ENV) != 0;
    unsigned n = 0;
    if (c->env)
        c->types[n++] = &ffi_type_pointer;
    ffi_type *rtype = ffi_type_of(h->ret);
    bool ok = rtype != NULL;
    for (unsigned i = 0; i < h->nargs; i++) {
        ffi_type *t = h->args[i] == IR_VOID ? NULL : ffi_type_of(h->args[i]);
        ok = ok && t;
        c->types[n++] = t;
    }
    if (!ok) {
        snprintf(err, errlen, "helper %s: argument or return type not i32/i64", h->name);
        free(c);
        return NULL;
    }
    if (ffi_prep_cif(&c->cif, FFI_DEFAULT_ABI, n, rtype, c->types) != FFI_OK) {
        snprintf(err, errlen, "helper %s: libffi cannot prepare the call", h->name);
        free(c);
        return NULL;
    }
    c->shape = (uint8_t)call_shape(c);
    c->direct = st->direct_calls ? c->shape : INTERP_DIRECT_NONE;
    st->calls[id] = c;
    return c;
}

void interp_calls_free(struct interp_state *st)
{
    for (uint32_t i = 0; i < st->ncalls; i++)
        free(st->calls[i]);
    free(st->calls);
    st->calls = NULL;
    st->ncalls = 0;
}

void interp_set_direct_calls(void *state, bool on)
{
    struct interp_state *st = state;
    st->direct_calls = on;
    for (uint32_t i = 0; i < st->ncalls; i++)
        if (st->calls[i])
            st->calls[i]->direct = on ? st->calls[i]->shape : INTERP_DIRECT_NONE;
}

/* The direct path: every value arg and the result uint64_t. */
typedef uint64_t (*fn_r0)(void);
typedef uint64_t (*fn_r1)(uint64_t);
typedef uint64_t (*fn_r2)(uint64_t, uint64_t);
typedef uint64_t (*fn_r3)(uint64_t, uint64_t, uint64_t);
typedef uint64_t (*fn_r4)(uint64_t, uint64_t, uint64_t, uint64_t);
typedef uint64_t (*fn_er0)(void *);
typedef uint64_t (*fn_er1)(void *, uint64_t);
typedef uint64_t (*fn_er2)(void *, uint64_t, uint64_t);
typedef uint64_t (*fn_er3)(void *, uint64_t, uint64_t, uint64_t);
typedef uint64_t (*fn_er4)(void *, uint64_t, uint64_t, uint64_t, uint64_t);
typedef void (*fn_v0)(void);
typedef void (*fn_v1)(uint64_t);
typedef void (*fn_v2)(uint64_t, uint64_t);
typedef void (*fn_v3)(uint64_t, uint64_t, uint64_t);
typedef void (*fn_v4)(uint64_t, uint64_t, uint64_t, uint64_t);
typedef void (*fn_ev0)(void *);
typedef void (*fn_ev1)(void *, uint64_t);
typedef void (*fn_ev2)(void *, uint64_t, uint64_t);
typedef void (*fn_ev3)(void *, uint64_t, uint64_t, uint64_t);
typedef void (*fn_ev4)(void *, uint64_t, uint64_t, uint64_t, uint64_t);

static uint64_t call_direct_u64(const struct interp_call *c, void *env, void *const *argp)
{
    uint64_t a[4] = {0, 0, 0, 0};
    for (unsigned i = 0; i < c->nargs; i++)
        memcpy(&a[i], argp[i], 8);
    /* key: nargs, env, returns a value */
    switch (c->nargs * 4 + c->env * 2 + (c->ret != IR_VOID)) {
    case 0 * 4 + 0:
        ((fn_v0)c->fn)();
        return 0;
    case 0 * 4 + 1:
        return ((fn_r0)c->fn)();
    case 0 * 4 + 2:
        ((fn_ev0)c->fn)(env);
        return 0;
    case 0 * 4 + 3:
        return ((fn_er0)c->fn)(env);
    case 1 * 4 + 0:
        ((fn_v1)c->fn)(a[0]);
        return 0;
    case 1 * 4 + 1:
        return ((fn_r1)c->fn)(a[0]);
    case 1 * 4 + 2:
        ((fn_ev1)c->fn)(env, a[0]);
        return 0;
    case 1 * 4 + 3:
        return ((fn_er1)c->fn)(env, a[0]);
    case 2 * 4 + 0:
        ((fn_v2)c->fn)(a[0], a[1]);
        return 0;
    case 2 * 4 + 1:
        return ((fn_r2)c->fn)(a[0], a[1]);
    case 2 * 4 + 2:
        ((fn_ev2)c->fn)(env, a[0], a[1]);
        return 0;
    case 2 * 4 + 3:
        return ((fn_er2)c->fn)(env, a[0], a[1]);
    case 3 * 4 + 0:
        ((fn_v3)c->fn)(a[0], a[1], a[2]);
        return 0;
    case 3 * 4 + 1:
        return ((fn_r3)c->fn)(a[0], a[1], a[2]);
    case 3 * 4 + 2:
        ((fn_ev3)c->fn)(env, a[0], a[1], a[2]);
        return 0;
    case 3 * 4 + 3:
        return ((fn_er3)c->fn)(env, a[0], a[1], a[2]);
    case 4 * 4 + 0:
        ((fn_v4)c->fn)(a[0], a[1], a[2], a[3]);
        return 0;
    case 4 * 4 + 1:
        return ((fn_r4)c->fn)(a[0], a[1], a[2], a[3]);
    case 4 * 4 + 2:
        ((fn_ev4)c->fn)(env, a[0], a[1], a[2], a[3]);
        return 0;
    default:
        return ((fn_er4)c->fn)(env, a[0], a[1], a[2], a[3]);
    }
}

uint64_t interp_call_invoke(const struct interp_call *c, void *env, void *const *argp)
{
    if (c->direct == INTERP_DIRECT_U64)
        return call_direct_u64(c, env, argp);
    void *av[IR_HELPER_MAX_ARGS + 1];
    unsigned n = 0;
    if (c->env)
        av[n++] = &env;
    for (unsigned i = 0; i < c->nargs; i++)
        av[n++] = argp[i]; /* the value's loc: 4 bytes for i32, 8 for i64 */
    /* Integer results narrower than ffi_arg come back widened to ffi_arg. */
    union {
        ffi_arg a;
        uint64_t u64;
    } rv = {0};
    ffi_call((ffi_cif *)&c->cif, c->fn, &rv, av);
    switch (c->ret) {
    case IR_I32:
        return (uint32_t)rv.a;
    case IR_I64:
        return sizeof(ffi_arg) >= 8 ? (uint64_t)rv.a : rv.u64;
    default:
        return 0;
    }
}
