/* The differential harness: runs one IR program from one seeded state on every
 * engine (reference evaluator, interpreter, JIT), unoptimized and optimized,
 * and compares the final states field by field.  Used by test_diff, the
 * ferry-diff tool and the benchmarks. */
#ifndef FERRY_TESTS_DIFFRUN_H
#define FERRY_TESTS_DIFFRUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "backend/backend.h"
#include "irgen.h"
#include "irref.h"

/* The runs, in the order they are made and compared (each against the first).
 * DIFF_RUN(name, engine, optimized): engine NULL is the reference evaluator. */
enum diff_run_id {
#define DIFF_RUN(name, engine, opt) DIFF_##name,
#include "runs.def"
#undef DIFF_RUN
    DIFF_RUN_COUNT
};
extern const char *const diff_run_names[DIFF_RUN_COUNT];

/* The final state of one run. */
struct diff_result {
    bool ran;        /* false: engine not built on this host (skipped) */
    unsigned reason; /* IR_EXIT_* */
    struct irgen_cpu cpu;
    uint8_t *mem; /* IRGEN_MEM_ALLOC bytes, owned by the diff_ctx */
    struct irgen_log log;
    char bad[200]; /* a contract broken inside this run alone (e.g. chain exit
                      with a wrong slot); empty if none */
};

/* One backend with its own code buffer, jump cache and landing block; created
 * once and flushed when the buffer runs low. */
struct diff_engine {
    const struct ferry_backend *be; /* NULL: not available */
    void *state;
    struct code_buf cb;
    struct jc_entry *jc;
    struct tb land_tb;
    struct tb tb; /* the program under test */
    uint64_t flushes;
};

/* Create engine "interp" or "jit" (backend_by_name) with its landing block.
 * Returns 0 (e->be stays NULL if the engine is not built on this host), or -1
 * with a message. */
int diff_engine_init(struct diff_engine *e, const char *name, const struct ir_func *land, char *err,
                     size_t errlen);
void diff_engine_fini(struct diff_engine *e);
/* Forget every block and compile the landing block again: a BACKEND_* code. */
int diff_engine_flush(struct diff_engine *e, const struct ir_func *land);
/* Compile f into e->tb (flushing when the buffer runs low): 0, or -1 with a message. */
int diff_engine_compile(struct diff_engine *e, const struct ir_func *land, const struct ir_func *f,
                        char *err, size_t errlen);

/* How a program is run (derived from its seed by diff_case_of_seed). */
struct diff_case {
    uint64_t seed;     /* program seed (also seeds the initial state) */
    int profile;       /* enum irgen_profile, or -1 for a given ir_func */
    bool exit_request; /* cpu->exit_request set before running */
    bool chain;        /* goto_tb LAND_PC slots chained to the landing block */
    bool unchain;      /* ... and unchained again (patch_jmp NULL) before running */
    uint64_t mem_base; /* guest address of guest memory (irgen_mem_base) */
};
struct diff_case diff_case_of_seed(uint64_t seed, int profile);
/* The case a repro file asks for in its header comments ("; diff-state-seed: 0x..", * ";
 * diff-chain: 1", "; diff-unchain: 0", "; diff-exit-request: 0"); defaults: seed 1, no chain, no
 * request.  Returns 0, or -1 if the file cannot be read. */
int diff_case_from_file(const char *path, struct diff_case *cs);

struct diff_ctx {
    struct diff_engine eng[2];          /* [0] interp, [1] jit */
    struct jc_entry *ref_jc;            /* the reference's jump cache ... */
    struct tb ref_land_tb, ref_prog_tb; /* ... and the identities it points at */
    struct ir_func prog, opt, land;
    uint8_t *init_mem;
    struct irgen_cpu init_cpu;
    struct diff_result res[DIFF_RUN_COUNT];
    struct diff_case cs;
    uint64_t ref_steps;                 /* IR insns the reference executed (unoptimized) */
    FILE *report;                       /* failure details go here (default stderr); NULL: none */
    const char *fail_dir;               /* if set, a failing program is saved there as .fir */
    uint64_t programs, ops_in, ops_out; /* statistics */
    uint32_t skip;                      /* bit i: do not make run i (see diff_parse_skip) */
    unsigned timeout_s;                 /* per program (SIGALRM); 0 = 20 s */
    /* Testing the harness itself: if corrupt_run is nonzero, bit corrupt_bit of
     * x0 is flipped in that run's result before the comparison. */
    unsigned corrupt_run, corrupt_bit;
};

/* 0, or -1 with a message (e.g. a backend failed to create). */
int diff_ctx_init(struct diff_ctx *c, char *err, size_t errlen);
void diff_ctx_fini(struct diff_ctx *c);

enum { DIFF_OK = 0, DIFF_MISMATCH = 1, DIFF_BROKEN = 2 };
/* Generate the program of (seed, profile) and check it: DIFF_OK, DIFF_MISMATCH
 * (runs disagree), or DIFF_BROKEN (verify/compile/generator failure).  On
 * failure msg gets a one-line summary and c->report the full story (IR before
 * and after optimization, every differing field). */
int diff_check_seed(struct diff_ctx *c, uint64_t seed, enum irgen_profile profile, char *msg,
                    size_t msglen);
/* The same for a given function (e.g. a parsed repro file), with case cs. */
int diff_check_func(struct diff_ctx *c, const struct ir_func *f, const struct diff_case *cs,
                    char *msg, size_t msglen);

/* Parse a comma-separated list of run names ("interp,interp_opt", or an engine
 * name for both its runs) into a skip mask.  Returns 0, or -1 on an unknown name. */
int diff_parse_skip(const char *list, uint32_t *mask);

/* Compare two results: 0 if equal, else 1 with the first differing field
 * ("x3: 0x1 vs 0x0", a's value first; "mem[0x1234]: ...") in msg. */
int diff_compare(const struct diff_result *a, const struct diff_result *b, char *msg,
                 size_t msglen);

/* What the harness is doing right now, printed if the process dies of a
 * signal (crash in generated code, timeout): installed by diff_ctx_init. */
void diff_set_stage(const char *stage);

#endif
