/* Shared pieces of the test_x64 suite: the instruction-vector format (see
 * x64_vectors.inc), the native executor that is the oracle (the host is
 * x86-64: each vector's bytes run natively between a register-loading
 * prologue and a register-saving epilogue), and the Ferry harness that runs
 * the same bytes through the x86_64 frontend on a chosen backend. */
#ifndef FERRY_TEST_X64_H
#define FERRY_TEST_X64_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>

#include "accel/tcg/tcg.h"
#include "frontend/frontend.h"
#include "frontend/x86_64/x64_cpu.h"

/* Addresses are the same natively and in the guest (fixed host mappings;
 * the guest memory maps them at the same guest addresses). */
#define X64T_CODE 0x100000u      /* code page: prologue, vector, epilogue */
#define X64T_CODE_SIZE 0x1000u
#define X64T_DATA 0x110000u      /* data the vectors may read and write */
#define X64T_DATA_SIZE 0x2000u
#define X64T_STATE 0x120000u     /* native executor's register save area */
#define X64T_MEM_SIZE 0x200000u  /* guest memory: [0, 2 MiB) */
#define X64T_STACK (X64T_DATA + 0x1000u) /* RSP of every vector */

/* How a vector constrains the random start state. */
enum x64t_setup_kind {
    X64T_END_SETUP = 0,
    X64T_SET,  /* reg n = a */
    X64T_AND,  /* reg n &= a */
    X64T_OR,   /* reg n |= a */
    X64T_PTR,  /* reg n = X64T_DATA + (random & a) */
    X64T_SEXT, /* sign-extend the accumulator for IDIV of size n (1: AL->AH) */
    X64T_FLAGS, /* RFLAGS status bits = a (instead of random) */
    X64T_MXCSR, /* MXCSR = a (instead of 0x1f80 with random exception flags) */
    X64T_XLO,   /* low qword of XMM n = a */
    X64T_XHI,   /* high qword of XMM n = a */
};
struct x64t_setup {
    uint8_t kind, n;
    uint64_t a;
};

#define X64T_MAX_BYTES 32
#define X64T_MAX_SETUP 6
struct x64t_vec {
    const char *group;
    unsigned line;
    unsigned nbytes;
    uint8_t bytes[X64T_MAX_BYTES];
    uint32_t flags;  /* status flags compared (defined by the SDM) */
    struct x64t_setup setup[X64T_MAX_SETUP];
};

#define X64T_NARGS(...) (sizeof((uint8_t[]){__VA_ARGS__}) / sizeof(uint8_t))
#define BYTES(...) .nbytes = X64T_NARGS(__VA_ARGS__), .bytes = {__VA_ARGS__}
#define FLAGS(m) .flags = (m)
#define SETUP(...) .setup = {__VA_ARGS__}
#define SET(r, v) {X64T_SET, (r), (uint64_t)(v)}
#define AND(r, v) {X64T_AND, (r), (uint64_t)(v)}
#define OR(r, v) {X64T_OR, (r), (uint64_t)(v)}
#define PTR(r, m) {X64T_PTR, (r), (uint64_t)(m)}
#define SEXT(size) {X64T_SEXT, (size), 0}
#define RFLAGS(v) {X64T_FLAGS, 0, (uint64_t)(v)}
#define MXCSR(v) {X64T_MXCSR, 0, (uint64_t)(v)}
#define XLO(n, v) {X64T_XLO, (n), (uint64_t)(v)}
#define XHI(n, v) {X64T_XHI, (n), (uint64_t)(v)}
#define F_ALL 0x8d5u   /* CF PF AF ZF SF OF */
#define F_LOGIC 0x8c5u /* all but AF */
#define F_NONE 0u

/* One machine state: what the executor loads and what it saves. */
struct x64t_state {
    uint64_t regs[16];
    uint64_t rflags;
    uint64_t fs_base, gs_base; /* Ferry only (the native run uses the host's) */
    union x64_xmm xmm[16];
    uint32_t mxcsr;
    uint8_t data[X64T_DATA_SIZE];
};

/* Build the start state of a vector from a seed. */
void x64t_make_state(const struct x64t_vec *v, uint64_t seed, struct x64t_state *s);

/* ---- native executor (x64_native.c) ---- */
/* Map the fixed pages; false (with a message) if they cannot be mapped. */
bool x64t_native_init(char *err, size_t errlen);
/* Run the bytes natively from state `in`; the end state into `out`. */
void x64t_native_run(const uint8_t *bytes, unsigned n, const struct x64t_state *in,
                     struct x64t_state *out);

/* ---- Ferry harness (x64_harness.c) ---- */
struct x64t_config {
    const char *backend; /* "jit", "interp" */
    bool optimize;
    unsigned max_insns; /* 0 = default */
};
#define X64T_NCONFIGS 6
extern const struct x64t_config x64t_configs[X64T_NCONFIGS];
const char *x64t_config_name(unsigned i);

struct x64t {
    struct tcg_ctx tcg;
    struct frontend_ctx fctx;
    struct x64_cpu *cpu;
    uint8_t *mem; /* X64T_MEM_SIZE bytes: guest_base */
    bool inited;
};
void x64t_init(struct x64t *h, const struct x64t_config *cfg);
void x64t_fini(struct x64t *h);
/* Put the bytes at X64T_CODE followed by INT3s, set the registers, RFLAGS
 * and data from `in`, run from X64T_CODE; returns tcg_exec's result. */
unsigned x64t_run(struct x64t *h, const uint8_t *bytes, unsigned n, const struct x64t_state *in);
/* Read the guest end state. */
void x64t_get_state(const struct x64t *h, struct x64t_state *out);

void x64t_add_vector_tests(Suite *s);
void x64t_add_misc_tests(Suite *s);
void x64t_add_sse_tests(Suite *s);
void x64t_add_ir_tests(Suite *s);

#endif
