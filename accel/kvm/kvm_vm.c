/* KVM VM setup for the pc machine: the VM, its TSS/identity-map pages, one
 * memory slot per RAM region, one vCPU with the host-supported CPUID (set
 * before any MSR), the MSRs, the FPU and the registers from the boot state. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kvm_int.h"

#define MSR_IA32_MISC_ENABLE 0x1a0
#define MISC_ENABLE_FAST_STRING 0x1ull
#define CPUID_MAX_ENTRIES 1024

uint64_t kvm_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int ioctl_retry(int fd, unsigned long req, unsigned long arg)
{
    int r;
    do
        r = ioctl(fd, req, arg);
    while (r < 0 && errno == EINTR);
    return r;
}

__attribute__((format(printf, 3, 4))) static void set_err(char *err, size_t len, const char *fmt,
                                                          ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

/* The host-supported CPUID, adjusted for a VM: the hypervisor bit set, the
 * initial APIC ID 0 (vCPU 0). */
static int setup_cpuid(struct kvm_vm *vm, char *err, size_t errlen)
{
    struct kvm_cpuid2 *c = NULL;
    for (unsigned n = 64; n <= CPUID_MAX_ENTRIES; n *= 2) {
        free(c);
        c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));
        if (!c) {
            set_err(err, errlen, "out of memory");
            return -1;
        }
        c->nent = n;
        if (ioctl_retry(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, (unsigned long)c) == 0)
            break;
        if (errno != E2BIG || n == CPUID_MAX_ENTRIES) {
            set_err(err, errlen, "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
            free(c);
            return -1;
        }
    }
    for (unsigned i = 0; i < c->nent; i++) {
        struct kvm_cpuid_entry2 *e = &c->entries[i];
        if (e->function == 1) {
            e->ecx |= 1u << 31;    /* running under a hypervisor */
            e->ebx &= 0x00ffffffu; /* initial APIC ID = 0 */
        }
    }
    int r = ioctl_retry(vm->vcpu_fd, KVM_SET_CPUID2, (unsigned long)c);
    free(c);
    if (r < 0) {
        set_err(err, errlen, "KVM_SET_CPUID2: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* MSRs after CPUID (KVM checks MSR writes against the guest's CPUID). */
static int setup_msrs(struct kvm_vm *vm, char *err, size_t errlen)
{
    struct {
        struct kvm_msrs hdr;
        struct kvm_msr_entry e[1];
    } m;
    memset(&m, 0, sizeof(m));
    m.hdr.nmsrs = 1;
    m.e[0].index = MSR_IA32_MISC_ENABLE;
    m.e[0].data = MISC_ENABLE_FAST_STRING;
    int r = ioctl_retry(vm->vcpu_fd, KVM_SET_MSRS, (unsigned long)&m);
    if (r != (int)m.hdr.nmsrs) {
        set_err(err, errlen, "KVM_SET_MSRS: MSR %#x refused%s%s", m.e[r > 0 ? r : 0].index,
                r < 0 ? ": " : "", r < 0 ? strerror(errno) : "");
        return -1;
    }
    return 0;
}

static int setup_registers(struct kvm_vm *vm, const struct x86_boot_state *st, char *err,
                           size_t errlen)
{
    struct kvm_fpu fpu;
    memset(&fpu, 0, sizeof(fpu));
    fpu.fcw = 0x37f;    /* x87 reset state */
    fpu.mxcsr = 0x1f80; /* SSE reset state */
    if (ioctl_retry(vm->vcpu_fd, KVM_SET_FPU, (unsigned long)&fpu) < 0) {
        set_err(err, errlen, "KVM_SET_FPU: %s", strerror(errno));
        return -1;
    }
    struct kvm_sregs s;
    struct kvm_regs r;
    if (ioctl_retry(vm->vcpu_fd, KVM_GET_SREGS, (unsigned long)&s) < 0) {
        set_err(err, errlen, "KVM_GET_SREGS: %s", strerror(errno));
        return -1;
    }
    kvm_state_from_boot(st, &r, &s);
    if (ioctl_retry(vm->vcpu_fd, KVM_SET_REGS, (unsigned long)&r) < 0) {
        set_err(err, errlen, "KVM_SET_REGS: %s", strerror(errno));
        return -1;
    }
    if (ioctl_retry(vm->vcpu_fd, KVM_SET_SREGS, (unsigned long)&s) < 0) {
        set_err(err, errlen, "KVM_SET_SREGS: %s (initial state: %s, CR0 %#llx, EFER %#llx)",
                strerror(errno), st->long_mode ? "long mode" : "protected mode",
                (unsigned long long)st->cr0, (unsigned long long)st->efer);
        return -1;
    }
    return 0;
}

static int setup_memory(struct kvm_vm *vm, char *err, size_t errlen)
{
    const struct physmem *mem = &vm->pc->mem;
    for (unsigned i = 0; i < mem->count; i++) {
        struct kvm_userspace_memory_region slot = {
            .slot = i,
            .flags = 0,
            .guest_phys_addr = mem->region[i].gpa,
            .memory_size = mem->region[i].size,
            .userspace_addr = (uint64_t)(uintptr_t)mem->region[i].host,
        };
        if (ioctl_retry(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, (unsigned long)&slot) < 0) {
            set_err(err, errlen, "KVM_SET_USER_MEMORY_REGION (slot %u, guest %#llx, %llu MiB): %s",
                    i, (unsigned long long)slot.guest_phys_addr,
                    (unsigned long long)(slot.memory_size >> 20), strerror(errno));
            return -1;
        }
    }
    return 0;
}

struct kvm_vm *kvm_vm_create(int kvm_fd, struct pc_machine *pc, const struct x86_boot_state *st,
                             const struct kvm_vm_options *o, char *err, size_t errlen)
{
    struct kvm_vm *vm = calloc(1, sizeof(*vm));
    if (!vm) {
        set_err(err, errlen, "out of memory");
        return NULL;
    }
    vm->stats.create_ns = kvm_now_ns();
    vm->kvm_fd = kvm_fd;
    vm->vm_fd = vm->vcpu_fd = -1;
    vm->pc = pc;
    if (o)
        vm->opt = *o;
    atomic_init(&vm->stop_signal, 0);

    vm->vm_fd = ioctl_retry(kvm_fd, KVM_CREATE_VM, 0);
    if (vm->vm_fd < 0) {
        set_err(err, errlen, "KVM_CREATE_VM: %s%s", strerror(errno),
                errno == ENOMEM || errno == EBUSY
                    ? " (another hypervisor may own the virtualization extensions)"
                    : "");
        goto fail;
    }
    if (ioctl_retry(vm->vm_fd, KVM_SET_TSS_ADDR, KVM_TSS_ADDR) < 0) {
        set_err(err, errlen, "KVM_SET_TSS_ADDR: %s", strerror(errno));
        goto fail;
    }
    uint64_t idmap = KVM_IDENTITY_MAP_ADDR;
    if (ioctl_retry(vm->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, (unsigned long)&idmap) < 0) {
        set_err(err, errlen, "KVM_SET_IDENTITY_MAP_ADDR: %s", strerror(errno));
        goto fail;
    }
    if (setup_memory(vm, err, errlen) < 0)
        goto fail;
    vm->vcpu_fd = ioctl_retry(vm->vm_fd, KVM_CREATE_VCPU, 0);
    if (vm->vcpu_fd < 0) {
        set_err(err, errlen, "KVM_CREATE_VCPU: %s", strerror(errno));
        goto fail;
    }
    int size = ioctl_retry(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (size < (int)sizeof(struct kvm_run)) {
        set_err(err, errlen, "KVM_GET_VCPU_MMAP_SIZE: %s",
                size < 0 ? strerror(errno) : "too small");
        goto fail;
    }
    vm->run_size = (size_t)size;
    vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
    if (vm->run == MAP_FAILED) {
        vm->run = NULL;
        set_err(err, errlen, "mmap of the vCPU run area: %s", strerror(errno));
        goto fail;
    }
    if (setup_cpuid(vm, err, errlen) < 0 || setup_msrs(vm, err, errlen) < 0 ||
        setup_registers(vm, st, err, errlen) < 0)
        goto fail;
    return vm;
fail:
    kvm_vm_free(vm);
    return NULL;
}

void kvm_vm_free(struct kvm_vm *vm)
{
    if (!vm)
        return;
    if (vm->run)
        munmap(vm->run, vm->run_size);
    if (vm->vcpu_fd >= 0)
        close(vm->vcpu_fd);
    if (vm->vm_fd >= 0)
        close(vm->vm_fd);
    free(vm);
}
