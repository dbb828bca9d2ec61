/* Shared pieces of the test_a64 suite: the instruction-vector format (see
 * a64_vectors.inc), and a harness that runs A64 code in a small guest memory
 * on a chosen backend and optimizer setting. */
#ifndef FERRY_TEST_A64_H
#define FERRY_TEST_A64_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>

#include "accel/tcg/tcg.h"
#include "frontend/aarch64/a64_cpu.h"
#include "frontend/frontend.h"

/* Guest memory of the harness: code page, data page (not executable). */
#define A64T_MEM_SIZE 0x40000u
#define A64T_CODE 0x10000u   /* the tested code starts here */
#define A64T_CODE_SIZE 0x1000u /* code page, filled with the stop BRK */
#define A64T_DATA 0x20000u
#define A64T_DATA_SIZE 0x1000u
#define A64T_STOP_BRK 0xd421e000u /* brk #0xf00: ends every vector */

/* One item of a state description. */
enum a64t_kind {
    A64T_END_LIST = 0,
    A64T_X,     /* n = register 0..30, a = value */
    A64T_SP,    /* a = value */
    A64T_NZCV,  /* a = NZCV as 4 bits (N = 8) */
    A64T_V,     /* n = register, a = low 64 bits, b = high */
    A64T_MEM,   /* a = guest address, b = value (little-endian), n = bytes */
    A64T_TPIDR, /* a = TPIDR_EL0 */
    A64T_FPCR,  /* a */
    A64T_FPSR,  /* a */
    A64T_EXIT,  /* n = IR_EXIT_* reason, a = pc after the exit */
    A64T_FAULT, /* a = fault address (IR_EXIT_fault, alignment) */
};
struct a64t_item {
    uint8_t kind, n;
    uint64_t a, b;
};

#define A64T_MAX_CODE 8
#define A64T_MAX_ITEMS 12
struct a64t_vec {
    const char *group; /* the test case that runs it */
    unsigned line;     /* in a64_vectors.inc */
    unsigned ncode;
    uint32_t code[A64T_MAX_CODE];
    struct a64t_item in[A64T_MAX_ITEMS], out[A64T_MAX_ITEMS];
};

/* Table syntax (a64_vectors.inc). */
#define A64T_NARGS(...) (sizeof((uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))
#define CODE(...) .ncode = A64T_NARGS(__VA_ARGS__), .code = {__VA_ARGS__}
#define IN(...) .in = {__VA_ARGS__}
#define OUT(...) .out = {__VA_ARGS__}
#define X(n, v) {A64T_X, (n), (uint64_t)(v), 0}
#define SP(v) {A64T_SP, 0, (uint64_t)(v), 0}
#define NZCV(v) {A64T_NZCV, 0, (uint64_t)(v), 0}
#define V(n, lo, hi) {A64T_V, (n), (uint64_t)(lo), (uint64_t)(hi)}
#define M(addr, bytes, v) {A64T_MEM, (bytes), (uint64_t)(addr), (uint64_t)(v)}
#define TPIDR(v) {A64T_TPIDR, 0, (uint64_t)(v), 0}
#define FPCR(v) {A64T_FPCR, 0, (uint64_t)(v), 0}
#define FPSR(v) {A64T_FPSR, 0, (uint64_t)(v), 0}
#define EXIT(reason, pc) {A64T_EXIT, IR_EXIT_##reason, (uint64_t)(pc), 0}
#define FAULT(addr) {A64T_FAULT, 0, (uint64_t)(addr), 0}

/* The default start state every vector modifies (also used by the oracle
 * generator, tests/aarch64/gen/: keep in sync with gen_vectors.py). */
uint64_t a64t_default_x(unsigned n);
uint64_t a64t_default_v(unsigned n, unsigned half);
uint8_t a64t_default_data(unsigned offset);
#define A64T_DEFAULT_SP (A64T_DATA + 0x800u)

/* ---- the harness ---- */
struct a64t_config {
    const char *backend; /* "jit", "interp" */
    bool optimize;       /* every IR pass, or none */
    unsigned max_insns;  /* 0 = default */
};

struct a64t {
    struct tcg_ctx tcg;
    struct frontend_ctx fctx;
    struct a64_cpu *cpu;
    uint8_t *mem; /* A64T_MEM_SIZE bytes: guest_base */
    bool inited;
};

/* Create (ck_assert on failure) / destroy. */
void a64t_init(struct a64t *h, const struct a64t_config *cfg);
void a64t_fini(struct a64t *h);
/* Put code at A64T_CODE (the rest of the code page is stop BRKs), reset the
 * CPU and memory to the default state plus `in`, flush the cache. */
void a64t_load(struct a64t *h, const uint32_t *code, unsigned ncode, const struct a64t_item *in);
/* Run from A64T_CODE; returns tcg_exec's result. */
unsigned a64t_run(struct a64t *h);
/* Load, run and compare everything with the expected end state; on a
 * mismatch, fail with a message naming the vector and every difference. */
void a64t_check_vec(struct a64t *h, const struct a64t_vec *v, const char *cfgname);

/* The test configurations: backend x optimizer x block size. */
#define A64T_NCONFIGS 6
extern const struct a64t_config a64t_configs[A64T_NCONFIGS];
const char *a64t_config_name(unsigned i);

void a64t_add_vector_tests(Suite *s);
void a64t_add_misc_tests(Suite *s);
void a64t_add_disas_tests(Suite *s);
void a64t_add_flag_tests(Suite *s);

#endif
