/* The engines that run a loaded `pc` machine: KVM (accel/kvm) and the x86
 * translator (TCG, frontend/x86_64 in system mode).  `ferry vm` picks one
 * (--accel), `ferry bench` runs each in turn; both go through this table so
 * neither knows an engine's internals.  Flow: probe -> run -> stats. */
#ifndef FERRY_ACCEL_VM_ENGINE_H
#define FERRY_ACCEL_VM_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pc_machine;
struct x86_boot_state;

/* How to run (filled by vm_run / ferry bench from the command line). */
struct vm_engine_options {
    bool stats;               /* collect statistics (exits, translation) */
    bool catch_signals;       /* SIGINT/SIGTERM stop the run (pc->status interrupted) */
    int error_status;         /* exit status recorded in pc->status when the vCPU fails */
    void (*abort_hook)(void); /* called before a second Ctrl-C ends the process at once */
    const char *kvm_dev;      /* KVM: NULL = $FERRY_KVM_DEV or /dev/kvm */
    const char *backend;      /* TCG: "jit" or "interp"; NULL = the default (jit) */
    bool one_insn_per_tb;     /* TCG: -one-insn-per-tb */
};

#define VM_ENGINE_MAX_EXIT_KINDS 24

/* What one run did.  Counters an engine does not have stay 0. */
struct vm_engine_stats {
    uint64_t run_ns; /* from the first guest instruction to the end of the run */
    uint64_t exits;  /* exits to the engine's loop (KVM_RUN returns / TCG block exits) */
    struct {
        const char *name; /* "io", "mmio", "hlt", "syscall", ... (static strings) */
        uint64_t count;
    } exit_kind[VM_ENGINE_MAX_EXIT_KINDS];
    unsigned nexit_kinds;
    uint64_t blocks_translated; /* TCG */
    uint64_t code_bytes;        /* TCG: host code (or bytecode) generated */
    uint64_t guest_insns;       /* TCG: guest instructions translated */
    uint64_t tlb_misses;        /* TCG system mode: soft-TLB refills */
};

struct vm_engine {
    const char *name; /* "kvm", "tcg" */
    /* 0 if the engine can run on this host; else -1 with a reason a person can
     * act on in why ("no KVM device /dev/kvm (ENOENT): ..."). */
    int (*probe)(const struct vm_engine_options *o, char *why, size_t whylen);
    /* Run the machine from *st until it stops (pc->status no longer running).
     * Returns 0, or -1 when the vCPU failed (pc->status is MACHINE_error, a
     * message and register dump went to stderr) or setup failed (message in
     * err, pc->status untouched).  *stats is filled (zeroed first). */
    int (*run)(struct pc_machine *pc, const struct x86_boot_state *st,
               const struct vm_engine_options *o, struct vm_engine_stats *stats, char *err,
               size_t errlen);
    /* Print the engine's own --stats lines (may be NULL). */
    void (*print_stats)(const struct vm_engine_stats *stats, FILE *f);
};

extern const struct vm_engine vm_engine_kvm; /* accel/vm/vm_kvm.c */
extern const struct vm_engine vm_engine_tcg; /* accel/vm/vm_tcg.c */

/* Add n to the exit counter called name (creating it); for engines. */
void vm_stats_count_exit(struct vm_engine_stats *s, const char *name, uint64_t n);

#endif
