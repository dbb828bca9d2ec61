/* Reference evaluator: runs an ir_func directly from the semantics in ir/sem.h,
 * with no compilation at all.  It is the third oracle of the differential tests
 * (next to the interpreter and the JIT), tells which side of a mismatch is
 * wrong, and counts executed IR insns for the benchmarks. */
#ifndef FERRY_TESTS_IRREF_H
#define FERRY_TESTS_IRREF_H

#include <stdint.h>

#include "accel/tcg/cpu.h"
#include "accel/tcg/tb.h"
#include "ir/ir.h"

/* A block the evaluator may run: its IR, the tb identity it stands for (what
 * cpu->last_tb and jump-cache entries point to), and where its goto_tb slots
 * are chained (NULL: unchained, the block returns IR_EXIT_chain).  Slots are
 * numbered in order of appearance, as the backends do. */
struct irref_block {
    const struct ir_func *f;
    const struct tb *tb;
    const struct irref_block *chain[TB_MAX_JMP];
};

struct irref_env {
    uint8_t *mem;                            /* guest memory (cpu->guest_base is not used) */
    uint64_t mem_size;                       /* accesses beyond it are errors */
    uint64_t mem_base;                       /* guest address of mem[0] */
    const struct irref_block *const *blocks; /* blocks reachable through the jump cache */
    unsigned nblocks;
    uint64_t max_steps; /* 0 = 100 million */
    uint64_t steps;     /* out: IR insns executed (labels and nops included) */
    char err[200];      /* out: why IRREF_ERROR was returned */
};

/* Returned on an internal problem (undefined temp read, out-of-range access,
 * step limit, unknown helper or jump-cache block). */
#define IRREF_ERROR 0xffffu

/* Run from `b` with the same contract as ferry_backend.exec: returns an
 * IR_EXIT_* reason with cpu->pc (and last_tb/last_slot for IR_EXIT_chain) set. */
unsigned irref_run(const struct irref_block *b, struct cpu_head *cpu, struct irref_env *env);

#endif
