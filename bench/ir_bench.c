/* ferry-ir-bench: speed of the core pipeline, never a pass/fail test.
 * (a) translation: a corpus of random programs (irgen, fixed seed) compiled by
 *     each backend, with and without ir_optimize: IR ops per second and host
 *     bytes per IR op;
 * (b) execution: arithmetic-heavy loops (CRC-32, a hash mix, a sieve over guest
 *     memory) run on each backend: ns per executed IR op and the interp/JIT ratio.
 * Every figure is the median of --runs runs (default 7), in thread CPU time.
 *   ferry-ir-bench [--runs N] [--corpus N] [--scale N] [--quick] */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diffrun.h"

static unsigned nruns = 7, corpus_size = 2000, scale = 4;

/* Thread CPU time: on a shared machine, time spent descheduled does not count
 * (caches shared with other load still do). */
static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "ferry-ir-bench: %s: %s\n", what, msg);
    exit(1);
}

/* ---- the engines ----------------------------------------------------------------- */

static const char *const engine_names[2] = {"interp", "jit"};
static struct diff_engine engines[2];
static struct ir_func land;

static void engines_init(void)
{
    char err[256];
    ir_func_init(&land);
    if (irgen_register_helpers() < 0 || irgen_landing(&land) < 0)
        die("setup", "cannot build the landing block");
    for (unsigned i = 0; i < 2; i++)
        if (diff_engine_init(&engines[i], engine_names[i], &land, err, sizeof(err)) < 0)
            die(engine_names[i], err);
}

/* ---- (a) translation ---------------------------------------------------------------- */

static void bench_translation(void)
{
    struct ir_func *corpus = calloc(corpus_size, sizeof(*corpus));
    struct ir_func *opt = calloc(corpus_size, sizeof(*opt));
    double *t = calloc(nruns, sizeof(*t));
    if (!corpus || !opt || !t)
        die("corpus", "out of memory");
    uint64_t ops_in = 0, ops_opt = 0;
    for (unsigned i = 0; i < corpus_size; i++) {
        ir_func_init(&corpus[i]);
        ir_func_init(&opt[i]);
        enum irgen_profile p = (enum irgen_profile)(i % IRGEN_PROFILE_COUNT);
        if (irgen_program(&corpus[i], irgen_seed_mix(0xbe7c4, p, i), p) < 0)
            die("irgen", corpus[i].errmsg);
        ops_in += corpus[i].ninsns;
    }

    /* the optimizer on its own: copy + ir_optimize of the whole corpus */
    for (unsigned r = 0; r < nruns; r++) {
        double t0 = now_ns();
        for (unsigned i = 0; i < corpus_size; i++) {
            ir_func_copy(&opt[i], &corpus[i]);
            ir_optimize(&opt[i], IR_PASSES_ALL, false, NULL);
        }
        t[r] = now_ns() - t0;
    }
    double opt_ns = median(t, nruns);
    for (unsigned i = 0; i < corpus_size; i++)
        ops_opt += opt[i].ninsns;

    printf("(a) translation: %u random programs (irgen, all profiles, fixed seed), %" PRIu64
           " IR ops, %" PRIu64 " after ir_optimize\n",
           corpus_size, ops_in, ops_opt);
    printf("    ir_optimize alone: %.2f M input ops/s (%.0f ns per input op)\n\n",
           (double)ops_in / opt_ns * 1e3, opt_ns / (double)ops_in);
    printf("    %-7s %-5s %10s %14s %16s %13s\n", "backend", "opt", "ops compiled",
           "compile Mops/s", "opt+compile Mops/s", "bytes/IR op");
    for (unsigned e = 0; e < 2; e++) {
        struct diff_engine *eng = &engines[e];
        if (!eng->be) {
            printf("    %-7s (not built on this host)\n", engine_names[e]);
            continue;
        }
        for (unsigned o = 0; o < 2; o++) {
            struct ir_func *fs = o ? opt : corpus;
            uint64_t ops = o ? ops_opt : ops_in, bytes = 0;
            for (unsigned r = 0; r < nruns; r++) {
                char err[256];
                diff_engine_flush(eng, &land);
                uint64_t b = 0;
                double t0 = now_ns();
                for (unsigned i = 0; i < corpus_size; i++) {
                    if (diff_engine_compile(eng, &land, &fs[i], err, sizeof(err)) < 0)
                        die(engine_names[e], err);
                    b += eng->tb.code_size;
                }
                t[r] = now_ns() - t0;
                bytes = b;
            }
            double ns = median(t, nruns);
            char both[32] = "-";
            if (o)
                snprintf(both, sizeof(both), "%.2f", (double)ops_in / (ns + opt_ns) * 1e3);
            printf("    %-7s %-5s %10" PRIu64 " %14.2f %16s %13.1f\n", engine_names[e],
                   o ? "yes" : "no", ops, (double)ops / ns * 1e3, both,
                   (double)bytes / (double)ops);
        }
    }
    printf(
        "    (Mops/s counts the ops actually compiled; opt+compile counts input ops.\n"
        "     bytes/IR op: host code bytes (JIT) or bytecode bytes (interp) per op compiled.)\n\n");
    for (unsigned i = 0; i < corpus_size; i++) {
        ir_func_free(&corpus[i]);
        ir_func_free(&opt[i]);
    }
    free(corpus);
    free(opt);
    free(t);
}

/* ---- (b) execution: hand-written loops ------------------------------------------------- */

static ir_ref x(struct ir_func *f, unsigned i)
{
    char name[8];
    snprintf(name, sizeof(name), "x%u", i);
    return ir_global(f, IR_I64, IRGEN_OFF_G64 + 8 * i, name);
}

static ir_ref w(struct ir_func *f, unsigned i)
{
    char name[8];
    snprintf(name, sizeof(name), "w%u", i);
    return ir_global(f, IR_I32, IRGEN_OFF_G32 + 4 * i, name);
}

static ir_ref k32(struct ir_func *f, uint64_t v) { return ir_const(f, IR_I32, v); }
static ir_ref k64(struct ir_func *f, uint64_t v) { return ir_const(f, IR_I64, v); }

static void begin(struct ir_func *f, uint64_t pc)
{
    ir_func_reset(f);
    f->pc = pc;
    f->flags = IRGEN_CPU_FLAGS;
    f->env_size = sizeof(struct irgen_cpu);
    ir_insn_start(f, pc);
}

/* Bitwise CRC-32 (reflected, poly 0xedb88320) of `bytes` bytes of guest memory,
 * `passes` times: ld.u8, xor, then 8 x (and, neg, shr, and, xor) per byte. */
static void build_crc32(struct ir_func *f, unsigned bytes, unsigned passes)
{
    begin(f, 0x1000);
    ir_ref crc = w(f, 0), i = ir_temp(f, IR_I64), b = ir_temp(f, IR_I32);
    ir_ref j = ir_temp(f, IR_I32), m = ir_temp(f, IR_I32), p = ir_temp(f, IR_I32);
    uint32_t lpass = ir_new_label(f), lbyte = ir_new_label(f), lbit = ir_new_label(f);
    ir_movi(f, p, passes);
    ir_set_label(f, lpass);
    ir_movi(f, crc, 0xffffffff);
    ir_movi(f, i, 0);
    ir_set_label(f, lbyte);
    ir_ld(f, b, i, IR_MO_8);
    ir_emit_1_2(f, IR_OP_xor, crc, crc, b);
    ir_movi(f, j, 8);
    ir_set_label(f, lbit);
    ir_emit_1_2(f, IR_OP_and, m, crc, k32(f, 1));
    ir_emit_1_1(f, IR_OP_neg, m, m);
    ir_emit_1_2(f, IR_OP_shr, crc, crc, k32(f, 1));
    ir_emit_1_2(f, IR_OP_and, m, m, k32(f, 0xedb88320));
    ir_emit_1_2(f, IR_OP_xor, crc, crc, m);
    ir_emit_1_2(f, IR_OP_sub, j, j, k32(f, 1));
    ir_brcond(f, IR_COND_ne, j, k32(f, 0), lbit);
    ir_emit_1_2(f, IR_OP_add, i, i, k64(f, 1));
    ir_brcond(f, IR_COND_ltu, i, k64(f, bytes), lbyte);
    ir_emit_1_1(f, IR_OP_not, crc, crc);
    ir_emit_1_2(f, IR_OP_sub, p, p, k32(f, 1));
    ir_brcond(f, IR_COND_ne, p, k32(f, 0), lpass);
    ir_exit(f, IR_EXIT_halt, k64(f, 0x2000));
}

/* A 64-bit hash mix over globals and temps: mul, rotl, xor, add, shr, ld/st of a
 * small table in guest memory, `iters` iterations. */
static void build_hash(struct ir_func *f, unsigned iters)
{
    begin(f, 0x3000);
    ir_ref h = x(f, 0), k = x(f, 1), s = x(f, 2), n = ir_temp(f, IR_I32);
    ir_ref a = ir_temp(f, IR_I64), v = ir_temp(f, IR_I64);
    uint32_t loop = ir_new_label(f);
    ir_movi(f, n, iters);
    ir_set_label(f, loop);
    ir_emit_1_2(f, IR_OP_mul, k, k, k64(f, 0x87c37b91114253d5ull));
    ir_emit_1_2(f, IR_OP_rotl, k, k, k64(f, 31));
    ir_emit_1_2(f, IR_OP_mul, k, k, k64(f, 0x4cf5ad432745937full));
    ir_emit_1_2(f, IR_OP_xor, h, h, k);
    ir_emit_1_2(f, IR_OP_rotl, h, h, k64(f, 27));
    ir_emit_1_2(f, IR_OP_add, h, h, s);
    ir_emit_1_2(f, IR_OP_mul, h, h, k64(f, 5));
    ir_emit_1_2(f, IR_OP_add, h, h, k64(f, 0x52dce729));
    ir_emit_1_2(f, IR_OP_shr, a, h, k64(f, 52)); /* a table slot: (h >> 52) * 8 */
    ir_emit_1_2(f, IR_OP_shl, a, a, k64(f, 3));
    ir_ld(f, v, a, IR_MO_64);
    ir_emit_1_2(f, IR_OP_add, v, v, h);
    ir_st(f, v, a, IR_MO_64);
    ir_emit_1_2(f, IR_OP_xor, s, s, v);
    ir_emit_1_2(f, IR_OP_add, k, k, h);
    ir_emit_1_2(f, IR_OP_sub, n, n, k32(f, 1));
    ir_brcond(f, IR_COND_ne, n, k32(f, 0), loop);
    ir_exit(f, IR_EXIT_halt, k64(f, 0x4000));
}

/* Sieve of Eratosthenes over `size` bytes of guest memory, `passes` times;
 * x3 = the number of primes below size. */
static void build_sieve(struct ir_func *f, unsigned size, unsigned passes)
{
    begin(f, 0x5000);
    ir_ref i = ir_temp(f, IR_I64), j = ir_temp(f, IR_I64), sq = ir_temp(f, IR_I64);
    ir_ref b = ir_temp(f, IR_I32), p = ir_temp(f, IR_I32), count = x(f, 3);
    uint32_t lpass = ir_new_label(f), lfill = ir_new_label(f), louter = ir_new_label(f);
    uint32_t linner = ir_new_label(f), lnext = ir_new_label(f), lcount = ir_new_label(f);
    uint32_t lskip = ir_new_label(f);
    ir_movi(f, p, passes);
    ir_set_label(f, lpass);
    ir_movi(f, i, 2); /* fill: mem[i] = 1 */
    ir_set_label(f, lfill);
    ir_st(f, k32(f, 1), i, IR_MO_8);
    ir_emit_1_2(f, IR_OP_add, i, i, k64(f, 1));
    ir_brcond(f, IR_COND_ltu, i, k64(f, size), lfill);
    ir_movi(f, i, 2); /* cross out multiples */
    ir_set_label(f, louter);
    ir_ld(f, b, i, IR_MO_8);
    ir_brcond(f, IR_COND_eq, b, k32(f, 0), lnext);
    ir_emit_1_2(f, IR_OP_mul, j, i, i);
    ir_brcond(f, IR_COND_geu, j, k64(f, size), lnext);
    ir_set_label(f, linner);
    ir_st(f, k32(f, 0), j, IR_MO_8);
    ir_emit_1_2(f, IR_OP_add, j, j, i);
    ir_brcond(f, IR_COND_ltu, j, k64(f, size), linner);
    ir_set_label(f, lnext);
    ir_emit_1_2(f, IR_OP_add, i, i, k64(f, 1));
    ir_emit_1_2(f, IR_OP_mul, sq, i, i);
    ir_brcond(f, IR_COND_ltu, sq, k64(f, size), louter);
    ir_movi(f, count, 0); /* count */
    ir_movi(f, i, 2);
    ir_set_label(f, lcount);
    ir_ld(f, b, i, IR_MO_8);
    ir_brcond(f, IR_COND_eq, b, k32(f, 0), lskip);
    ir_emit_1_2(f, IR_OP_add, count, count, k64(f, 1));
    ir_set_label(f, lskip);
    ir_emit_1_2(f, IR_OP_add, i, i, k64(f, 1));
    ir_brcond(f, IR_COND_ltu, i, k64(f, size), lcount);
    ir_emit_1_2(f, IR_OP_sub, p, p, k32(f, 1));
    ir_brcond(f, IR_COND_ne, p, k32(f, 0), lpass);
    ir_exit(f, IR_EXIT_halt, k64(f, 0x6000));
}

struct exec_prog {
    const char *name;
    struct ir_func f, opt;
    uint64_t steps; /* IR insns the reference executes (unoptimized) */
    struct irgen_cpu ref_cpu;
};

static struct irgen_cpu init_cpu;
static uint8_t *init_mem, *mem;

static void reset_state(struct irgen_cpu *cpu, struct jc_entry *jc)
{
    *cpu = init_cpu;
    cpu->head.guest_base = mem;
    cpu->head.jmp_cache = jc;
    memcpy(mem, init_mem, IRGEN_MEM_ALLOC);
}

static bool same_state(const struct irgen_cpu *a, const struct irgen_cpu *b)
{
    return a->head.pc == b->head.pc && !memcmp(a->g64, b->g64, sizeof(a->g64)) &&
           !memcmp(a->g32, b->g32, sizeof(a->g32));
}

static void bench_execution(void)
{
    static struct exec_prog progs[3];
    static struct jc_entry jc[JC_SIZE];
    for (unsigned i = 0; i < JC_SIZE; i++)
        jc[i] = (struct jc_entry){JC_EMPTY_PC, JC_EMPTY_FLAGS, NULL, NULL};
    init_mem = malloc(IRGEN_MEM_ALLOC);
    mem = malloc(IRGEN_MEM_ALLOC);
    if (!init_mem || !mem)
        die("memory", "out of memory");
    irgen_init_mem(init_mem, 42);
    irgen_init_cpu(&init_cpu, 42, 0);

    progs[0].name = "crc32";
    progs[1].name = "hash-mix";
    progs[2].name = "sieve";
    for (unsigned p = 0; p < 3; p++) {
        ir_func_init(&progs[p].f);
        ir_func_init(&progs[p].opt);
    }
    build_crc32(&progs[0].f, 16384, scale);
    build_hash(&progs[1].f, 100000 * scale);
    build_sieve(&progs[2].f, 65536, 2 * scale);

    printf("(b) execution: ns per executed IR op (count from the reference evaluator,\n"
           "    unoptimized program), median of %u runs\n\n",
           nruns);
    printf("    %-9s %11s %9s %9s %9s %9s %13s %13s  %s\n", "program", "IR ops run", "interp",
           "interp+O", "jit", "jit+O", "interp/jit", "interp/jit+O", "results");
    double *t = calloc(nruns, sizeof(*t));
    for (unsigned p = 0; p < 3; p++) {
        struct exec_prog *ep = &progs[p];
        char err[256];
        if (ep->f.err || ir_verify(&ep->f, err, sizeof(err)) != 0)
            die(ep->name, ep->f.err ? ep->f.errmsg : err);
        ir_func_copy(&ep->opt, &ep->f);
        ir_optimize(&ep->opt, IR_PASSES_ALL, false, NULL);
        struct irgen_cpu cpu;
        reset_state(&cpu, jc);
        cpu.head.pc = ep->f.pc;
        struct irref_block b = {&ep->f, NULL, {NULL, NULL}};
        struct irref_env env = {.mem = mem, .mem_size = IRGEN_MEM_ALLOC, .max_steps = ~0ull >> 1};
        if (irref_run(&b, &cpu.head, &env) == IRREF_ERROR)
            die(ep->name, env.err);
        ep->steps = env.steps;
        ep->ref_cpu = cpu;

        double ns[4] = {0, 0, 0, 0};
        bool ok = true;
        for (unsigned e = 0; e < 2; e++) {
            struct diff_engine *eng = &engines[e];
            for (unsigned o = 0; o < 2 && eng->be; o++) {
                if (diff_engine_compile(eng, &land, o ? &ep->opt : &ep->f, err, sizeof(err)) < 0)
                    die(ep->name, err);
                for (unsigned r = 0; r < nruns; r++) {
                    reset_state(&cpu, eng->jc);
                    cpu.head.pc = ep->f.pc;
                    double t0 = now_ns();
                    eng->be->exec(eng->state, &cpu.head, &eng->tb);
                    t[r] = now_ns() - t0;
                    ok &= same_state(&cpu, &ep->ref_cpu);
                }
                ns[2 * e + o] = median(t, nruns) / (double)ep->steps;
            }
        }
        char cell[4][16];
        for (unsigned k = 0; k < 4; k++) {
            if (ns[k] > 0)
                snprintf(cell[k], sizeof(cell[k]), "%.3f", ns[k]);
            else
                snprintf(cell[k], sizeof(cell[k]), "-");
        }
        char r0[16] = "-", r1[16] = "-";
        if (ns[2] > 0)
            snprintf(r0, sizeof(r0), "%.1fx", ns[0] / ns[2]);
        if (ns[3] > 0)
            snprintf(r1, sizeof(r1), "%.1fx", ns[1] / ns[3]);
        printf("    %-9s %11" PRIu64 " %9s %9s %9s %9s %13s %13s  %s\n", ep->name, ep->steps,
               cell[0], cell[1], cell[2], cell[3], r0, r1, ok ? "match ref" : "DIFFER FROM REF");
    }
    printf("    (+O: after ir_optimize; ns/op still divides by the unoptimized op count)\n");
    free(t);
    for (unsigned p = 0; p < 3; p++) {
        ir_func_free(&progs[p].f);
        ir_func_free(&progs[p].opt);
    }
    free(init_mem);
    free(mem);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--runs") && v)
            nruns = (unsigned)strtoul(v, NULL, 0), i++;
        else if (!strcmp(argv[i], "--corpus") && v)
            corpus_size = (unsigned)strtoul(v, NULL, 0), i++;
        else if (!strcmp(argv[i], "--scale") && v)
            scale = (unsigned)strtoul(v, NULL, 0), i++;
        else if (!strcmp(argv[i], "--quick"))
            nruns = 5, corpus_size = 300, scale = 1;
        else {
            fprintf(stderr,
                    "usage: ferry-ir-bench [--runs N] [--corpus N] [--scale N] [--quick]\n");
            return 2;
        }
    }
    if (nruns < 1 || corpus_size < 1 || scale < 1) {
        fprintf(stderr, "ferry-ir-bench: --runs, --corpus and --scale must be >= 1\n");
        return 2;
    }
    engines_init();
    printf("ferry-ir-bench: backends interp%s; %u runs per figure (median, thread CPU time)\n\n",
           engines[1].be ? ", jit" : " (no JIT on this host)", nruns);
    bench_translation();
    bench_execution();
    for (unsigned i = 0; i < 2; i++)
        diff_engine_fini(&engines[i]);
    ir_func_free(&land);
    return 0;
}
