/* ferry-diff: run the differential harness by hand -- print the program of a
 * seed, replay one failing seed, sweep many seeds, or check a .fir file.
 *   ferry-diff --seed 0x1234 --profile mixed --print
 *   ferry-diff --base 7 --count 100000 --profile alu [--keep-going]
 *   ferry-diff --file tests/diff/repro/x.fir [--state-seed N] [--chain]
 *   ferry-diff --seed 0x1234 --profile mixed --reduce [--out repro.fir] */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diffrun.h"
#include "reduce.h"

static void usage(void)
{
    fprintf(stderr,
            "usage: ferry-diff [--seed S | --base B --count N] [--profile P|all] [--print]\n"
            "                  [--keep-going] [--file F.fir [--state-seed S] [--chain]\n"
            "                  [--exit-request]] [--gen-only] [--skip RUN,...]\n"
            "                  [--reduce [--out FILE.fir]]\n"
            "profiles:");
    for (unsigned i = 0; i < IRGEN_PROFILE_COUNT; i++)
        fprintf(stderr, " %s", irgen_profile_names[i]);
    fprintf(stderr, "\n");
    exit(2);
}

static void print_runs(const struct diff_ctx *c)
{
    for (unsigned i = 0; i < DIFF_RUN_COUNT; i++) {
        const struct diff_result *r = &c->res[i];
        if (!r->ran) {
            printf("  %-10s (not run)\n", diff_run_names[i]);
            continue;
        }
        printf("  %-10s exit %-10s pc 0x%" PRIx64 " x0 0x%" PRIx64 " w0 0x%x log %u\n",
               diff_run_names[i], r->reason < IR_EXIT_COUNT ? ir_exit_names[r->reason] : "?",
               r->cpu.head.pc, r->cpu.g64[0], r->cpu.g32[0], r->log.n);
    }
}

/* --reduce: shrink the program of a seed (or the first block of a file) that
 * fails, and write it as a repro file (header comments + IR). */
static int reduce_one(struct diff_ctx *c, const char *file, uint64_t seed, int profile,
                      uint64_t state_seed, bool have_state_seed, bool chain, bool exit_req,
                      const char *out)
{
    struct ir_func f;
    ir_func_init(&f);
    struct diff_case cs = {state_seed, -1, exit_req, chain, false, 0};
    char err[512];
    if (file && !have_state_seed) {
        diff_case_from_file(file, &cs);
        cs.chain |= chain;
        cs.exit_request |= exit_req;
    }
    if (file) {
        struct ir_module m = {0};
        if (ir_parse_file(file, &m, err, sizeof(err)) != 0 || m.nfuncs == 0) {
            fprintf(stderr, "ferry-diff: %s\n", m.nfuncs ? err : "no block");
            return 1;
        }
        ir_func_copy(&f, &m.funcs[0]);
        ir_module_free(&m);
    } else {
        cs = diff_case_of_seed(seed, -1);
        if (irgen_program(&f, seed, (enum irgen_profile)profile) < 0) {
            fprintf(stderr, "ferry-diff: %s\n", f.errmsg);
            return 1;
        }
    }
    if (diff_reduce(c, &f, &cs, stderr) != 0) {
        fprintf(stderr, "ferry-diff: the program does not fail; nothing to reduce\n");
        return 1;
    }
    FILE *o = out ? fopen(out, "w") : stdout;
    if (!o) {
        perror(out);
        return 1;
    }
    fprintf(o, "; reduced by ferry-diff --reduce from %s%s0x%016" PRIx64 "\n", file ? file : "",
            file ? " state seed " : "seed ", file ? cs.seed : seed);
    fprintf(o,
            "; diff-state-seed: 0x%016" PRIx64 "\n; diff-chain: %d\n; diff-unchain: %d\n"
            "; diff-exit-request: %d\n; diff-mem-base: 0x%" PRIx64 "\n",
            cs.seed, cs.chain, cs.unchain, cs.exit_request, cs.mem_base);
    ir_print(o, &f);
    if (out)
        fclose(o);
    ir_func_free(&f);
    diff_ctx_fini(c);
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t seed = 0, base = 1, state_seed = 1;
    bool have_seed = false, print = false, keep = false, chain = false, exit_req = false;
    bool gen_only = false;
    unsigned count = 1;
    int profile = IRGEN_mixed, all = 0;
    const char *file = NULL, *skip = NULL, *out = NULL;
    bool reduce = false, have_state_seed = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--seed") && v)
            seed = strtoull(v, NULL, 0), have_seed = true, i++;
        else if (!strcmp(a, "--base") && v)
            base = strtoull(v, NULL, 0), i++;
        else if (!strcmp(a, "--count") && v)
            count = (unsigned)strtoul(v, NULL, 0), i++;
        else if (!strcmp(a, "--profile") && v) {
            all = !strcmp(v, "all");
            profile = all ? 0 : irgen_profile_by_name(v);
            if (profile < 0)
                usage();
            i++;
        } else if (!strcmp(a, "--file") && v)
            file = v, i++;
        else if (!strcmp(a, "--state-seed") && v)
            state_seed = strtoull(v, NULL, 0), have_state_seed = true, i++;
        else if (!strcmp(a, "--skip") && v) {
            skip = v;
            i++;
        } else if (!strcmp(a, "--out") && v)
            out = v, i++;
        else if (!strcmp(a, "--reduce"))
            reduce = true;
        else if (!strcmp(a, "--print"))
            print = true;
        else if (!strcmp(a, "--keep-going"))
            keep = true;
        else if (!strcmp(a, "--chain"))
            chain = true;
        else if (!strcmp(a, "--exit-request"))
            exit_req = true;
        else if (!strcmp(a, "--gen-only"))
            gen_only = true;
        else
            usage();
    }

    if (gen_only) { /* just print the program (needs no backend) */
        struct ir_func f;
        ir_func_init(&f);
        if (irgen_program(&f, have_seed ? seed : base, (enum irgen_profile)profile) < 0) {
            fprintf(stderr, "ferry-diff: %s\n", f.errmsg);
            return 1;
        }
        ir_print(stdout, &f);
        ir_func_free(&f);
        return 0;
    }

    static struct diff_ctx c;
    char err[512], msg[1024];
    if (diff_ctx_init(&c, err, sizeof(err)) != 0) {
        fprintf(stderr, "ferry-diff: %s\n", err);
        return 1;
    }
    c.fail_dir = ".";
    if (diff_parse_skip(skip, &c.skip) < 0) {
        fprintf(stderr, "ferry-diff: --skip: unknown run in \"%s\"\n", skip);
        return 2;
    }
    unsigned failures = 0, checked = 0;
    if (reduce)
        return reduce_one(&c, file, have_seed ? seed : base, profile, state_seed, have_state_seed,
                          chain, exit_req, out);
    if (file) {
        struct ir_module m = {0};
        if (ir_parse_file(file, &m, err, sizeof(err)) != 0) {
            fprintf(stderr, "ferry-diff: %s\n", err);
            return 1;
        }
        struct diff_case cs;
        diff_case_from_file(file, &cs); /* its header, then the options */
        if (have_state_seed)
            cs.seed = state_seed;
        cs.chain |= chain;
        cs.exit_request |= exit_req;
        for (unsigned k = 0; k < m.nfuncs; k++) {
            int rc = diff_check_func(&c, &m.funcs[k], &cs, msg, sizeof(msg));
            checked++;
            failures += rc != DIFF_OK;
            if (print) {
                printf("block %u: %s\n", k, rc == DIFF_OK ? "ok" : msg);
                print_runs(&c);
            }
        }
        ir_module_free(&m);
    } else {
        for (int p = profile; p <= (all ? IRGEN_PROFILE_COUNT - 1 : profile); p++)
            for (unsigned i = 0; i < count; i++) {
                uint64_t s = have_seed ? seed + i : irgen_seed_mix(base, (uint64_t)p, i);
                int rc = diff_check_seed(&c, s, (enum irgen_profile)p, msg, sizeof(msg));
                checked++;
                if (print) {
                    printf("; seed 0x%016" PRIx64 " profile %s: %s\n", s, irgen_profile_names[p],
                           rc == DIFF_OK ? "ok" : msg);
                    ir_print(stdout, &c.prog);
                    printf("; after ir_optimize:\n");
                    ir_print(stdout, &c.opt);
                    print_runs(&c);
                }
                if (rc != DIFF_OK && ++failures && !keep)
                    goto done;
            }
    }
done:
    printf("ferry-diff: %u checked, %u failing; %" PRIu64 " IR insns in, %" PRIu64
           " after optimization\n",
           checked, failures, c.ops_in, c.ops_out);
    diff_ctx_fini(&c);
    return failures ? 1 : 0;
}
