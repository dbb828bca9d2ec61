/* KVM engine internals shared by kvm_vm.c (setup) and kvm_run.c (run loop). */
#ifndef FERRY_ACCEL_KVM_INT_H
#define FERRY_ACCEL_KVM_INT_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdatomic.h>

#include "kvm.h"

/* KVM's TSS (3 pages) and identity-map page (1 page), needed on Intel for
 * real-mode and unpaged protected-mode guests: in the [3 GiB, 4 GiB) hole
 * that is never RAM on the pc machine. */
#define KVM_TSS_ADDR 0xfffbd000ull
#define KVM_IDENTITY_MAP_ADDR 0xfffbc000ull
_Static_assert(KVM_IDENTITY_MAP_ADDR >= PC_HOLE_START && KVM_TSS_ADDR + 3 * 4096 <= 1ull << 32,
               "KVM pages lie in the pc machine's MMIO hole");

#define KVM_STATS_REASONS 64 /* exit reasons counted individually (higher: last slot) */
#define KVM_STATS_PORTS 16   /* distinct I/O ports counted */

struct kvm_port_count {
    uint16_t port;
    uint64_t count;
};

struct kvm_stats {
    uint64_t exits[KVM_STATS_REASONS];
    uint64_t runs;  /* KVM_RUN calls */
    uint64_t eintr; /* KVM_RUN interrupted by a signal */
    uint64_t pio_in, pio_out, pio_string, pio_items;
    uint64_t mmio_read, mmio_write;
    struct kvm_port_count ports[KVM_STATS_PORTS];
    uint64_t ports_other;
    uint64_t create_ns;    /* kvm_vm_create: start */
    uint64_t first_run_ns; /* first KVM_RUN */
    uint64_t end_ns;       /* the run loop ended */
    uint64_t in_run_ns;    /* summed time inside KVM_RUN */
};

struct kvm_vm {
    int kvm_fd; /* not owned */
    int vm_fd, vcpu_fd;
    struct kvm_run *run;
    size_t run_size;
    struct pc_machine *pc;
    struct kvm_vm_options opt;
    struct kvm_stats stats;
    /* Ctrl-C: the control thread stores the signal and kicks the vCPU thread
     * (immediate_exit + SIGUSR1); the vCPU thread turns it into a stop. */
    atomic_int stop_signal;
    pthread_t vcpu_thread;
    pthread_t control_thread;
    int result;
};

uint64_t kvm_now_ns(void);

#endif
