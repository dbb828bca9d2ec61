/* A hand-run speed check of the backends on tight arithmetic loops inside one
 * block (not a test): prints ns per IR op executed, for the interpreter and,
 * where this host has one, the JIT.
 *   build: cmake --build <dir> --target bench_interp_loop
 *   run:   <dir>/backend/interp/bench_interp_loop [iterations]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/backend.h"

struct bench_cpu {
    struct cpu_head head;
    uint64_t x[8];
};
#define XOFF(i) ((uint32_t)(offsetof(struct bench_cpu, x) + 8 * (i)))

/* Loop over guest registers (globals): 6 ops per iteration. */
static unsigned build_globals(struct ir_func *f)
{
    ir_ref x[4];
    for (int i = 0; i < 4; i++)
        x[i] = ir_global(f, IR_I64, XOFF(i), (const char *[]){"x0", "x1", "x2", "x3"}[i]);
    ir_ref t0 = ir_temp(f, IR_I64);
    uint32_t top = ir_new_label(f);
    ir_set_label(f, top);
    ir_emit_1_2(f, IR_OP_add, x[1], x[1], x[0]);
    ir_emit_1_2(f, IR_OP_xor, x[2], x[2], x[1]);
    ir_emit_1_2(f, IR_OP_shl, t0, x[1], ir_const(f, IR_I64, 3));
    ir_emit_1_2(f, IR_OP_add, x[3], x[3], t0);
    ir_emit_1_2(f, IR_OP_sub, x[0], x[0], ir_const(f, IR_I64, 1));
    ir_brcond(f, IR_COND_ne, x[0], ir_const(f, IR_I64, 0), top);
    ir_exit(f, IR_EXIT_halt, ir_const(f, IR_I64, 0x2000));
    return 6;
}

/* The same loop over temps, written back at the end: 6 ops per iteration. */
static unsigned build_temps(struct ir_func *f)
{
    ir_ref x[4], t[4];
    for (int i = 0; i < 4; i++) {
        x[i] = ir_global(f, IR_I64, XOFF(i), (const char *[]){"x0", "x1", "x2", "x3"}[i]);
        t[i] = ir_temp(f, IR_I64);
        ir_mov(f, t[i], x[i]);
    }
    ir_ref t0 = ir_temp(f, IR_I64);
    uint32_t top = ir_new_label(f);
    ir_set_label(f, top);
    ir_emit_1_2(f, IR_OP_add, t[1], t[1], t[0]);
    ir_emit_1_2(f, IR_OP_xor, t[2], t[2], t[1]);
    ir_emit_1_2(f, IR_OP_shl, t0, t[1], ir_const(f, IR_I64, 3));
    ir_emit_1_2(f, IR_OP_add, t[3], t[3], t0);
    ir_emit_1_2(f, IR_OP_sub, t[0], t[0], ir_const(f, IR_I64, 1));
    ir_brcond(f, IR_COND_ne, t[0], ir_const(f, IR_I64, 0), top);
    for (int i = 0; i < 4; i++)
        ir_mov(f, x[i], t[i]);
    ir_exit(f, IR_EXIT_halt, ir_const(f, IR_I64, 0x2000));
    return 6;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: steadier on a busy machine */
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int run(const char *bname, const char *what, unsigned (*build)(struct ir_func *),
               uint64_t iters, uint64_t *check)
{
    const struct ferry_backend *be = backend_by_name(bname);
    if (!be)
        return 0;
    struct code_buf cb;
    if (codebuf_init(&cb, 1 << 20) != 0)
        return 1;
    void *st = be->create(&cb);
    struct ir_func f;
    ir_func_init(&f);
    f.pc = 0x1000;
    unsigned per_iter = build(&f);
    struct tb tb;
    memset(&tb, 0, sizeof(tb));
    tb.pc = 0x1000;
    if (f.err || be->compile(st, &cb, &f, &tb, NULL) != BACKEND_OK) {
        fprintf(stderr, "%s: compile failed %s\n", bname, f.errmsg);
        return 1;
    }
    static struct jc_entry jc[JC_SIZE];
    struct bench_cpu cpu;
    memset(&cpu, 0, sizeof(cpu));
    cpu.head.jmp_cache = jc;
    cpu.x[0] = iters;
    double t0 = now();
    unsigned r = be->exec(st, &cpu.head, &tb);
    double dt = now() - t0;
    printf("%-7s %-8s %8.3f ns/op  (%llu iterations x %u ops in %.3f s, exit %u)\n", bname, what,
           1e9 * dt / ((double)iters * per_iter), (unsigned long long)iters, per_iter, dt, r);
    if (*check && *check != cpu.x[3])
        printf("  MISMATCH: x3 = 0x%llx, expected 0x%llx\n", (unsigned long long)cpu.x[3],
               (unsigned long long)*check);
    *check = cpu.x[3];
    free(tb.pcmap);
    ir_func_free(&f);
    be->destroy(st);
    codebuf_fini(&cb);
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t iters = argc > 1 ? strtoull(argv[1], NULL, 0) : 20000000;
    uint64_t check = 0;
    int err = 0;
    err |= run("interp", "globals", build_globals, iters, &check);
    err |= run("jit", "globals", build_globals, iters, &check);
    err |= run("interp", "temps", build_temps, iters, &check);
    err |= run("jit", "temps", build_temps, iters, &check);
    return err;
}
