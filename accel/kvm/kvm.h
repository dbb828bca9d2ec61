/* The KVM engine: run a `pc` machine's vCPU directly on the host CPU through
 * /dev/kvm.  Detection (kvm_probe), VM setup from the engine-neutral boot
 * state, and the run loop that dispatches port I/O and MMIO exits to the
 * machine's bus.  Flow: kvm_probe -> kvm_vm_create -> kvm_vm_run -> kvm_vm_free. */
#ifndef FERRY_ACCEL_KVM_H
#define FERRY_ACCEL_KVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "machine/pc.h"

#define KVM_DEFAULT_DEV "/dev/kvm"
#define KVM_DEV_ENV "FERRY_KVM_DEV" /* overrides the device path (tests) */
#define KVM_REQUIRED_API 12

/* Detection results, in the order kvm_probe checks them (each later status
 * implies the earlier checks passed).  KVM_PROBE(name, summary) */
enum kvm_probe_status {
#define KVM_PROBE(name, summary) KVM_PROBE_##name,
#include "kvm_probe.def"
#undef KVM_PROBE
    KVM_PROBE_STATUS_COUNT
};
_Static_assert(KVM_PROBE_ok == 0, "KVM_PROBE_ok first: a zeroed probe is usable");

struct kvm_probe {
    enum kvm_probe_status status;
    int fd;                  /* open /dev/kvm (usable only), else -1 */
    int err;                 /* errno of the failing step, 0 if none */
    int api_version;         /* -1 until read */
    const char *missing_cap; /* KVM_CAP_* name when status is missing_cap */
    char path[256];
    char msg[512]; /* one line a person can act on ("" when ok) */
};

/* The ioctl kvm_probe_fd uses; tests substitute a fake. */
typedef int (*kvm_ioctl_fn)(int fd, unsigned long request, unsigned long arg);

/* Open the KVM device (path; NULL = $FERRY_KVM_DEV or /dev/kvm) and check it:
 * ENOENT, EACCES/EPERM, other open errors, API version, every capability the
 * engine uses.  Returns 0 with p->fd open (the caller closes it), or -1 with
 * p->status and p->msg saying why.  Never looks at the vmx/svm CPU flags. */
int kvm_probe(const char *path, struct kvm_probe *p);
/* The checks after open(), on an open fd, with an injectable ioctl. */
int kvm_probe_fd(int fd, struct kvm_probe *p, kvm_ioctl_fn ioctl_fn);
const char *kvm_probe_status_name(enum kvm_probe_status s);
/* The summary column of kvm_probe.def ("no KVM device (ENOENT)"). */
const char *kvm_probe_status_summary(enum kvm_probe_status s);
/* The capabilities the engine requires, in the order they are checked.
 * Index i in 0..kvm_required_cap_count()-1. */
unsigned kvm_required_cap_count(void);
int kvm_required_cap(unsigned i, const char **name, const char **why);

/* Information for messages (never used to decide): does this CPU report
 * VT-x / AMD-V / a hypervisor, and is the KVM module a software backend (PVM)
 * that emulates supervisor-mode guest code. */
struct kvm_host_info {
    bool vmx, svm, hypervisor, pvm;
};
void kvm_host_info(struct kvm_host_info *h);
/* "vmx: no, svm: no, hypervisor: yes; KVM backend: PVM (software: ...)" */
void kvm_host_info_print(const struct kvm_host_info *h, FILE *f);

/* ---- a VM with one vCPU -------------------------------------------------- */
struct kvm_vm;

struct kvm_vm_options {
    bool stats;               /* count exits and time KVM_RUN (kvm_vm_print_stats) */
    bool catch_signals;       /* SIGINT/SIGTERM stop the vCPU (the CLI sets it) */
    int error_status;         /* exit status recorded in pc->status when the vCPU fails */
    void (*abort_hook)(void); /* called before a second Ctrl-C ends the process at once */
};

/* Create the VM for `pc` (memory slots for its RAM regions, TSS and identity
 * map in the [3 GiB, 4 GiB) hole, CPUID, MSRs, registers from *st).  kvm_fd
 * stays owned by the caller.  Returns NULL with a message in err. */
struct kvm_vm *kvm_vm_create(int kvm_fd, struct pc_machine *pc, const struct x86_boot_state *st,
                             const struct kvm_vm_options *o, char *err, size_t errlen);

/* Run until the machine stops (pc->status no longer RUNNING: debug exit,
 * reset, HLT with interrupts off, SIGINT/SIGTERM) or the vCPU fails
 * (triple fault, entry failure, internal error, unexpected exit): then
 * pc->status is MACHINE_error, a message and the register dump went to
 * stderr, and -1 is returned.  0 otherwise. */
int kvm_vm_run(struct kvm_vm *vm);
/* The engine's own --stats lines (time inside KVM_RUN, exits, ports, MMIO);
 * the guest's phase markers are the driver's (accel/vm). */
void kvm_vm_print_stats(const struct kvm_vm *vm, FILE *f);
/* For engine-neutral statistics (accel/vm/vm_kvm.c): exits counted per
 * KVM_EXIT_* reason (reasons >= n - 1 share the last slot; returns the number
 * of slots filled), and the time from the first KVM_RUN to the end of the
 * run loop. */
unsigned kvm_vm_exit_counts(const struct kvm_vm *vm, uint64_t *counts, unsigned n);
uint64_t kvm_vm_run_ns(const struct kvm_vm *vm);
void kvm_vm_free(struct kvm_vm *vm);

/* ---- exit dispatch (the run loop's, exposed for tests) ------------------- */
struct kvm_run;
/* KVM_EXIT_IO: every one of run->io.count items (string/rep I/O) of
 * run->io.size bytes to or from the bus, stopping early once `st` is no longer
 * running (a debug-exit in the middle of a rep outs).  -1 if the exit is
 * malformed: size not 1, 2 or 4, or data outside the run_size-byte run area. */
int kvm_io_dispatch(struct kvm_run *run, size_t run_size, struct bus *bus,
                    const struct machine_status *st);
/* KVM_EXIT_MMIO: one access of run->mmio.len (1..8, else -1) bytes. */
int kvm_mmio_dispatch(struct kvm_run *run, struct bus *bus);

/* ---- diagnostics ----------------------------------------------------------- */
struct kvm_regs;
struct kvm_sregs;
/* Registers, flags, segments, descriptor tables, control registers, EFER. */
void kvm_dump_state(const struct kvm_regs *r, const struct kvm_sregs *s, FILE *f);
/* Name of a KVM_EXIT_* reason ("io", "shutdown", ...), "exit-N" if unknown
 * (buf used then). */
const char *kvm_exit_name(unsigned reason, char *buf, size_t len);
/* Fill kvm_regs/kvm_sregs from the engine-neutral boot state. */
void kvm_state_from_boot(const struct x86_boot_state *st, struct kvm_regs *r, struct kvm_sregs *s);

#endif
