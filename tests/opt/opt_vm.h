/* A small test-only executor of one ir_func over ir/sem.h, for the optimizer
 * tests: it runs a block before and after the passes and compares everything a
 * block can make visible (env bytes = globals + state, guest memory, helper
 * calls, stores, how it ended, the pc of a faulting guest insn). */
#ifndef FERRY_TESTS_OPT_VM_H
#define FERRY_TESTS_OPT_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ir/ir.h"

#define VM_ENV_SIZE 0x80u
#define VM_MEM_SIZE 0x100u
#define VM_MAX_EVENTS 256

/* Layout the tests use: globals g0..g3 (i64) at 0x00..0x18, w0/w1 (i32) at
 * 0x20/0x24; CPU-state fields for ld_state/st_state in [0x40, 0x60). */
#define VM_STATE_LO 0x40u
#define VM_STATE_HI 0x60u

enum vm_end {
    VM_END_NONE,
    VM_END_GOTO_TB,
    VM_END_GOTO_PTR,
    VM_END_EXIT,
    VM_END_FAULT, /* guest memory access outside VM_MEM_SIZE */
    VM_END_STEPS, /* step limit: not compared */
    VM_END_BAD,   /* the IR did something undefined (a test bug) */
};

struct vm_event {
    uint8_t kind; /* 's' guest store, 'c' helper call */
    uint64_t a, b, c;
};

struct vm_state {
    uint8_t env[VM_ENV_SIZE];
    uint8_t mem[VM_MEM_SIZE];
    struct vm_event ev[VM_MAX_EVENTS];
    unsigned nev;
    enum vm_end end;
    uint64_t pc;      /* goto_tb/goto_ptr/exit pc, fault address */
    int64_t reason;   /* exit reason */
    uint64_t insn_pc; /* pc of the last insn_start executed */
    char bad[120];    /* why VM_END_BAD */
};

/* Test helpers (registered by vm_helpers_register):
 *   h_pure(i64 a, i64 b) -> i64       no flags
 *   h_pure32(i32 a) -> i32            no flags
 *   h_rd(env, i64 a) -> i64           ENV | READS_GLOBALS (reads g0 and state 0x40)
 *   h_wr(env, i64 a)                  ENV | WRITES_GLOBALS | SIDE (writes g1, state 0x48)
 *   h_side(i64 a)                     SIDE
 *   h_env(env) -> i64                 ENV | SIDE (bumps state 0x50, returns old) */
struct vm_helper_ids {
    int pure, pure32, rd, wr, side, env;
};
const struct vm_helper_ids *vm_helpers_register(void);

/* Fill env and mem from a seed. */
void vm_init(struct vm_state *s, uint64_t seed);
/* Run f from s (env/mem as initial state). */
void vm_run(const struct ir_func *f, struct vm_state *s, uint64_t max_steps);
/* Same observable result; else false with a description in why. */
bool vm_same(const struct vm_state *a, const struct vm_state *b, char *why, size_t n);

static inline uint64_t vm_rand(uint64_t *x)
{
    /* splitmix64 */
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

#endif
