/* Shared harness of the test_interp suite (test_interp.c, test_interp_flow.c):
 * a code buffer and interpreter state, a CPU state with i32/i64 globals and
 * result fields, guest memory, a jump cache, and short block helpers. */
#ifndef FERRY_TEST_INTERP_H
#define FERRY_TEST_INTERP_H

#include <check.h>

#include "backend/backend.h"
#include "backend/interp/interp.h"
#include "ir/sem.h"

#define NV 24 /* values in test_interp_vectors.inc */
#define NRES (NV * NV)

struct tcpu {
    struct cpu_head head;
    uint64_t g[NV];     /* i64 globals x<i> */
    uint32_t w[NV];     /* i32 globals w<i> */
    uint64_t r64[NRES]; /* i64 results */
    uint32_t r32[NRES]; /* i32 results */
    uint64_t state[8];  /* ld_state / st_state area */
};
#define OFF_G(i) ((uint32_t)(offsetof(struct tcpu, g) + 8 * (i)))
#define OFF_W(i) ((uint32_t)(offsetof(struct tcpu, w) + 4 * (i)))
#define OFF_R64(i) ((uint32_t)(offsetof(struct tcpu, r64) + 8 * (i)))
#define OFF_R32(i) ((uint32_t)(offsetof(struct tcpu, r32) + 4 * (i)))
#define OFF_STATE ((uint32_t)offsetof(struct tcpu, state))
#define MEM_SIZE 65536

extern const struct ferry_backend *be;
extern struct code_buf cb;
extern void *st;
extern struct tcpu *cpu;
extern struct jc_entry *jc;
extern uint8_t *mem;

void setup(void);
void teardown(void);
ir_ref x64(struct ir_func *f, unsigned i);                 /* i64 global g[i] */
ir_ref x32(struct ir_func *f, unsigned i);                 /* i32 global w[i] */
ir_ref res(struct ir_func *f, enum ir_type t, unsigned k); /* result r64[k] / r32[k] */
ir_ref c64(struct ir_func *f, uint64_t v);
void func_init(struct ir_func *f, uint64_t pc);
int compile(struct ir_func *f, struct tb *tb, FILE *log);
void compile_ok(struct ir_func *f, struct tb *tb);
unsigned run(const struct tb *tb);
/* Compile, run, expect the block to exit with `reason`; frees the func and tb. */
void run_block(struct ir_func *f, unsigned reason);

void interp_flow_tests(Suite *s); /* test_interp_flow.c */

#endif
