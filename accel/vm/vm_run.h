/* `ferry vm`'s driver, engine-neutral: build the pc machine, load the guest,
 * choose the engine (--accel; auto: vm_auto.c), run it through the engine
 * table (vm_engine.h), report.  Also the engine lookup ferry bench uses. */
#ifndef FERRY_ACCEL_VM_RUN_H
#define FERRY_ACCEL_VM_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vm_engine.h"

enum vm_accel { VM_ACCEL_AUTO, VM_ACCEL_KVM, VM_ACCEL_TCG };

/* Exit statuses of `ferry vm` besides the guest's own (debug exit: v*2+1,
 * always odd; reset and halt: 0). */
enum {
    VM_STATUS_VCPU_ERROR = 124,  /* the vCPU failed: triple fault, entry failure, emulation */
    VM_STATUS_CANNOT_RUN = 125,  /* no usable engine, bad image, setup failure */
    VM_STATUS_INTERRUPTED = 130, /* SIGINT (SIGTERM: 143) */
};

struct vm_options {
    enum vm_accel accel;
    uint64_t ram_size;   /* 0 = the machine's default */
    unsigned entry_ring; /* 0 or 3 */
    const char *serial;  /* -serial spec; NULL = "stdio" */
    bool stats;          /* --stats to stderr */
    const char *image;
    const char *cmdline; /* NULL = "" */
    const char *kvm_dev; /* NULL = $FERRY_KVM_DEV or /dev/kvm */
    const char *backend; /* TCG: "jit" or "interp"; NULL = jit */
    bool one_insn_per_tb; /* TCG: one guest instruction per block */
};

/* The engine for kvm or tcg, or NULL (with the reason in why) when it is not
 * built into this ferry (the TCG engine is built when accel/vm/vm_tcg.c
 * exists: FERRY_HAVE_VM_TCG). */
const struct vm_engine *vm_engine_lookup(enum vm_accel a, char *why, size_t whylen);
/* Lookup + probe: the engine if it can run here, else NULL with why. */
const struct vm_engine *vm_engine_usable(enum vm_accel a, const struct vm_engine_options *o,
                                         char *why, size_t whylen);

/* "kvm", "tcg", "auto" -> 0, else -1. */
int vm_parse_accel(const char *s, enum vm_accel *out);
const char *vm_accel_name(enum vm_accel a);

/* Run the guest; returns the process exit status.  Messages go to stderr. */
int vm_run(const struct vm_options *o);

/* `ferry vm --probe` (vm_kvm.c): what KVM detection finds, every capability,
 * the host's virtualization flags, whether TCG is usable, and the engine
 * --accel=auto would use at CPL0 and CPL3.  Returns 0 if KVM is usable, 1 if
 * not. */
int vm_probe_report(const char *kvm_dev, FILE *f);

#endif
