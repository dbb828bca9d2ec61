/* Shared harness of the test_backend suite (test_backend.c, test_backend_flow.c):
 * a code buffer, a CPU state with IR globals, guest memory and a jump cache
 * per backend, and short helpers to build, compile and run one block. */
#ifndef FERRY_TEST_BACKEND_H
#define FERRY_TEST_BACKEND_H

#include <check.h>

#include "backend/backend.h"

#define NGLOBALS 192
struct test_cpu {
    struct cpu_head head;
    uint64_t g[NGLOBALS]; /* IR globals are bound to these */
    uint8_t state[64];    /* ld_state/st_state */
};
#define G_OFF(i) ((uint32_t)(offsetof(struct test_cpu, g) + 8 * (unsigned)(i)))
#define STATE_OFF(i) ((uint32_t)(offsetof(struct test_cpu, state) + (unsigned)(i)))

/* Guest memory: 64 KiB at 0 and two pages around 4 GiB; the rest of the 8 GiB
 * reservation faults, so a wrongly extended address crashes the test. */
#define GUEST_SPAN (1ull << 33)
#define GUEST_LOW_SIZE 0x10000u
#define GUEST_HIGH 0xfffff000ull
#define GUEST_HIGH_SIZE 0x2000u

struct harness {
    const char *name;
    const struct ferry_backend *be;
    struct code_buf cb;
    void *state;
    struct test_cpu *cpu;
    uint8_t *guest;
    struct jc_entry *jc;
    struct ir_func f;
    char err[256];
};

/* Backend i of the list ("jit", "interp"); false if it is not built or not
 * selected by FERRY_TEST_BACKENDS (comma list). */
unsigned backend_count(void);
bool harness_open(struct harness *h, unsigned i, size_t code_size);
void harness_close(struct harness *h);
#define FOR_EACH_BACKEND(h, i)                                                                     \
    for (unsigned i = 0; i < backend_count(); i++)                                                 \
        if (harness_open(&(h), i, 4u << 20))

struct ir_func *block(struct harness *h, uint64_t pc);    /* a fresh block in h->f */
ir_ref gv(struct ir_func *f, enum ir_type t, unsigned i); /* global bound to g[i] */
ir_ref k32(struct ir_func *f, uint64_t v);
ir_ref k64(struct ir_func *f, uint64_t v);
int try_compile(struct harness *h, struct ir_func *f, struct tb *tb); /* verify + compile */
void compile_ok(struct harness *h, struct ir_func *f, struct tb *tb);
unsigned run(struct harness *h, const struct tb *tb);
void tb_free(struct tb *tb);
void run_halt(struct harness *h, struct ir_func *f); /* compile, run to exit halt, free */
void end_halt(struct ir_func *f);

void backend_flow_tests(Suite *s);   /* test_backend_flow.c */
void backend_random_tests(Suite *s); /* test_backend_random.c */
void backend_add_test(Suite *s, const char *name, const TTest *fn);

#endif
