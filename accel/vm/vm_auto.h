/* --accel=auto: KVM if it probes usable and is not slower than TCG on a short
 * calibration loop at the guest's entry ring, else TCG.  The decision is a
 * pure function of the facts (unit-tested with injected numbers); gathering
 * them (probes, the built-in calibration guest) is vm_auto_choose. */
#ifndef FERRY_ACCEL_VM_AUTO_H
#define FERRY_ACCEL_VM_AUTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm_engine.h"
#include "vm_run.h"

/* KVM is kept while its calibration time is at most this factor times TCG's
 * (timing noise on a loaded host must not flip the choice). */
#define VM_AUTO_TOLERANCE 1.25
/* Iterations of the calibration loop (3 instructions each). */
#define VM_AUTO_LOOP_ITERS 1000u

struct vm_auto_facts {
    unsigned ring;        /* the guest's entry ring (0 or 3) */
    bool kvm_usable, tcg_usable;
    char kvm_why[512];    /* why not usable */
    char tcg_why[512];
    bool kvm_software;    /* KVM is a software backend (PVM): for the message */
    /* Calibration (both usable): loop time in ms, < 0 if that run failed
     * (reason in cal_why). */
    double kvm_ms, tcg_ms;
    char cal_why[512];
};

/* VM_ACCEL_KVM or VM_ACCEL_TCG, or VM_ACCEL_AUTO when neither can run; why
 * gets the one-line reason ("KVM usable but supervisor code runs 180x slower
 * than TCG here (...)"). */
enum vm_accel vm_auto_decide(const struct vm_auto_facts *f, char *why, size_t whylen);

/* The calibration guest as an ELF64 executable image (one PT_LOAD segment at
 * 1 MiB): its size, or 0 if len is too small. */
size_t vm_auto_calibration_image(uint8_t *buf, size_t len, uint32_t iters);

/* Run the built-in calibration guest (VM_AUTO_LOOP_ITERS iterations of an
 * integer loop between two phase markers, ELF64 entered at `ring`) on engine
 * e: 0 with the loop's time in *ms, or -1 with a message in err. */
int vm_auto_calibrate(const struct vm_engine *e, const struct vm_engine_options *o,
                      unsigned ring, double *ms, char *err, size_t errlen);

/* Probe both engines, calibrate when both are usable, decide. */
enum vm_accel vm_auto_choose(const struct vm_engine_options *o, unsigned ring, char *why,
                             size_t whylen);

#endif
