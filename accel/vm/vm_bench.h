/* `ferry bench`: run one pc guest on every engine (KVM, TCG with the JIT, TCG
 * with the interpreter), N runs each, interleaved; check that every run
 * printed the same output and ended the same way; print one table (or JSON)
 * of wall time, phase markers, exits, translation counters and TCG/KVM
 * ratios.  Engines that cannot run are listed with the reason. */
#ifndef FERRY_ACCEL_VM_BENCH_H
#define FERRY_ACCEL_VM_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum vm_bench_engine { VM_BENCH_KVM, VM_BENCH_TCG_JIT, VM_BENCH_TCG_INTERP, VM_BENCH_NENGINES };

#define VM_BENCH_RUNS_DEFAULT 5
#define VM_BENCH_RUNS_MAX 1000

struct vm_bench_options {
    const char *image;
    const char *cmdline;  /* NULL = "" */
    unsigned runs;        /* per engine; 0 = VM_BENCH_RUNS_DEFAULT */
    uint64_t ram_size;    /* 0 = the machine's default */
    unsigned entry_ring;  /* 0 or 3 */
    bool engine[VM_BENCH_NENGINES]; /* which engines to run (--engines) */
    bool json;
    bool one_insn_per_tb; /* TCG */
    const char *kvm_dev;  /* NULL = $FERRY_KVM_DEV or /dev/kvm */
};

/* "kvm", "tcg-jit", "tcg-interp". */
const char *vm_bench_engine_name(enum vm_bench_engine e);
/* "kvm,tcg-jit" -> sel[] (all false first; "tcg" = both TCG rows, "all").
 * Returns 0, or -1 with the unknown name in err. */
int vm_bench_parse_engines(const char *list, bool sel[VM_BENCH_NENGINES], char *err,
                           size_t errlen);

/* Run the benchmark; the table (or JSON) goes to out, problems to stderr.
 * Returns the process exit status: 0 if every runnable engine ran every run
 * and all runs agreed, 1 if a run failed or the engines disagree, 125 if
 * nothing could run (bad image, no engine). */
int vm_bench_run(const struct vm_bench_options *o, FILE *out);

#endif
