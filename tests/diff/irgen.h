/* Seeded random IR programs for differential testing: the test CPU they run on,
 * the helpers they call, a deterministic generator (own PRNG) with profiles
 * that stress different parts of the pipeline, and seeded initial states. */
#ifndef FERRY_TESTS_IRGEN_H
#define FERRY_TESTS_IRGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accel/tcg/cpu.h"
#include "ir/ir.h"

/* ---- PRNG: splitmix64 (never rand()) -------------------------------------- */

struct irgen_rng {
    uint64_t s;
};
static inline uint64_t irgen_next(struct irgen_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
/* Uniform in [0, n) (n > 0; the tiny modulo bias does not matter here). */
static inline unsigned irgen_below(struct irgen_rng *r, unsigned n)
{
    return (unsigned)(irgen_next(r) % n);
}
static inline bool irgen_chance(struct irgen_rng *r, unsigned percent)
{
    return irgen_below(r, 100) < percent;
}
/* A well-mixed seed for item `index` of stream `stream` under `base`. */
uint64_t irgen_seed_mix(uint64_t base, uint64_t stream, uint64_t index);

/* ---- the test CPU ------------------------------------------------------------ */

#define IRGEN_NG64 16           /* i64 globals x0..x15 */
#define IRGEN_NG32 8            /* i32 globals w0..w7 */
#define IRGEN_SCRATCH 128       /* bytes reached only by ld_state/st_state */
#define IRGEN_MEM_SIZE 0x10000u /* guest memory: [mem_base, mem_base + MEM_SIZE) */
#define IRGEN_MEM_SLACK 8u      /* an 8-byte access at MEM_SIZE-1 ends in here */
#define IRGEN_MEM_ALLOC (IRGEN_MEM_SIZE + IRGEN_MEM_SLACK)

struct irgen_cpu {
    struct cpu_head head;
    uint64_t g64[IRGEN_NG64];
    uint32_t g32[IRGEN_NG32];
    uint64_t scratch[IRGEN_SCRATCH / 8];
};
#define IRGEN_OFF_G64 ((uint32_t)offsetof(struct irgen_cpu, g64))
#define IRGEN_OFF_G32 ((uint32_t)offsetof(struct irgen_cpu, g32))
#define IRGEN_OFF_SCRATCH ((uint32_t)offsetof(struct irgen_cpu, scratch))

/* Every program and the landing block run with these cpu-mode flags. */
#define IRGEN_CPU_FLAGS 0x5u
/* The landing block: goto_tb to LAND_PC may be chained to it, and goto_ptr to
 * LAND_PC hits it in the jump cache.  LAND_MISS_PC has a jump-cache entry whose
 * flags do not match, so goto_ptr to it must miss.  Different jc_hash slots. */
#define IRGEN_LAND_PC 0x40000ull
#define IRGEN_LAND_MISS_PC 0x40040ull
#define IRGEN_LAND_EXIT_PC 0x40004ull

/* ---- helpers --------------------------------------------------------------- */

/* The side-effect log the @diff_log* helpers append to (reset before each run). */
#define IRGEN_LOG_MAX 64
struct irgen_log {
    uint32_t n; /* entries appended (may exceed IRGEN_LOG_MAX; the rest dropped) */
    uint64_t e[IRGEN_LOG_MAX];
};
extern struct irgen_log irgen_log;
void irgen_log_reset(void);

/* Register the test helpers (idempotent).  Returns 0, or -1 if a name is taken. */
int irgen_register_helpers(void);
/* The test helpers by index (for coverage checks); NULL past the end. */
unsigned irgen_helper_count(void);
const char *irgen_helper_name(unsigned i);
/* Call test helper `h` (as registered by irgen_register_helpers) on `args` with
 * env as the hidden first argument where it takes one; for the reference
 * evaluator.  Returns false if h is not one of them. */
bool irgen_helper_call(const struct ir_helper *h, void *env, const uint64_t *args, uint64_t *ret);

/* ---- programs ---------------------------------------------------------------- */

enum irgen_profile {
#define IRGEN_PROFILE(name, desc) IRGEN_##name,
#include "profiles.def"
#undef IRGEN_PROFILE
    IRGEN_PROFILE_COUNT
};
extern const char *const irgen_profile_names[IRGEN_PROFILE_COUNT];
/* By name; -1 if unknown. */
int irgen_profile_by_name(const char *name);

/* Fill `f` (initialised; reset here) with the program of (seed, profile).
 * Deterministic: the same arguments always give the same IR.  The program
 * verifies, terminates, and keeps guest addresses in [irgen_mem_base(seed),
 * irgen_mem_base(seed) + IRGEN_MEM_SIZE).
 * Returns 0, or -1 with f->err set (a generator bug). */
int irgen_program(struct ir_func *f, uint64_t seed, enum irgen_profile profile);
/* Where the program of `seed` sees guest memory: 0, 0x80000000 or 0xffff0000
 * (bit 31 set catches backends that sign-extend 32-bit addresses).  Runs set
 * cpu->guest_base = memory - base. */
uint64_t irgen_mem_base(uint64_t seed);
/* The landing block at IRGEN_LAND_PC: changes x15 and w7, exits with brk to
 * IRGEN_LAND_EXIT_PC. */
int irgen_landing(struct ir_func *f);

/* Seeded initial state: globals (edge values mixed in), scratch, head.pc =
 * pc, head.flags = IRGEN_CPU_FLAGS; guest_base and jmp_cache are left NULL. */
void irgen_init_cpu(struct irgen_cpu *cpu, uint64_t seed, uint64_t pc);
void irgen_init_mem(uint8_t *mem, uint64_t seed); /* IRGEN_MEM_ALLOC bytes */

#endif
