/* The KVM run loop: KVM_RUN, then dispatch the exit (port I/O and MMIO to the
 * machine's bus, HLT, failures with a register dump) until the machine stops.
 * With catch_signals the vCPU runs in its own thread while the calling thread
 * waits for SIGINT/SIGTERM and stops the vCPU with immediate_exit + a kick. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm_int.h"

#define KICK_SIGNAL SIGUSR1 /* interrupts KVM_RUN in the vCPU thread */
#define DONE_SIGNAL SIGUSR2 /* the vCPU thread tells the control thread it ended */

static void count_port(struct kvm_stats *s, uint16_t port)
{
    for (unsigned i = 0; i < KVM_STATS_PORTS; i++) {
        if (s->ports[i].count && s->ports[i].port == port) {
            s->ports[i].count++;
            return;
        }
        if (!s->ports[i].count) {
            s->ports[i].port = port;
            s->ports[i].count = 1;
            return;
        }
    }
    s->ports_other++;
}

/* Print the guest bytes at the current RIP, if it translates to RAM. */
static void dump_code(struct kvm_vm *vm, uint64_t rip, FILE *f)
{
    struct kvm_translation t = {.linear_address = rip};
    if (ioctl(vm->vcpu_fd, KVM_TRANSLATE, &t) < 0 || !t.valid)
        return;
    unsigned n = 16;
    const uint8_t *p = NULL;
    while (n && !(p = phys_ptr(&vm->pc->mem, t.physical_address, n)))
        n--;
    if (!p)
        return;
    fprintf(f, "code at rip (guest physical %#llx):", (unsigned long long)t.physical_address);
    for (unsigned i = 0; i < n; i++)
        fprintf(f, " %02x", p[i]);
    fprintf(f, "\n");
}

/* Stop the machine with an error: message, register dump, code bytes. */
__attribute__((format(printf, 2, 3))) static int vcpu_fail(struct kvm_vm *vm, const char *fmt, ...)
{
    uart_flush(&vm->pc->com1);
    fflush(stdout);
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "ferry vm: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    struct kvm_regs r;
    struct kvm_sregs s;
    if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r) == 0 && ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s) == 0) {
        kvm_dump_state(&r, &s, stderr);
        dump_code(vm, r.rip, stderr);
    } else {
        fprintf(stderr, "(vCPU registers unavailable: %s)\n", strerror(errno));
    }
    machine_stop(&vm->pc->status, MACHINE_error, vm->opt.error_status, 0);
    return -1;
}

static const char *internal_error_name(uint32_t sub)
{
    switch (sub) {
    case KVM_INTERNAL_ERROR_EMULATION:
        return "emulation failure: KVM's instruction emulator cannot run the instruction at rip";
    case KVM_INTERNAL_ERROR_SIMUL_EX:
        return "an exception occurred while delivering another one";
    case KVM_INTERNAL_ERROR_DELIVERY_EV:
        return "an exception or interrupt could not be delivered";
    case KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON:
        return "the hardware reported an exit KVM does not expect";
    default:
        return "unknown suberror";
    }
}

static int handle_internal_error(struct kvm_vm *vm)
{
    const struct kvm_run *run = vm->run;
    uint32_t sub = run->internal.suberror;
    char data[200] = "";
    size_t len = 0;
    uint32_t n = run->internal.ndata;
    if (n > sizeof(run->internal.data) / sizeof(run->internal.data[0]))
        n = sizeof(run->internal.data) / sizeof(run->internal.data[0]);
    for (uint32_t i = 0; i < n && len < sizeof(data) - 24; i++)
        len += (size_t)snprintf(data + len, sizeof(data) - len, " %#llx",
                                (unsigned long long)run->internal.data[i]);
    struct kvm_host_info h;
    kvm_host_info(&h);
    const char *hint = "";
    if (sub == KVM_INTERNAL_ERROR_EMULATION && (h.pvm || (!h.vmx && !h.svm)))
        hint = "\nferry vm: on this software KVM backend CPL0, 32-bit and real-mode code is "
               "emulated and the emulator has no x87/SSE arithmetic; run such code at CPL3 "
               "(--entry-ring=3, or drop to CPL3 in the guest)";
    return vcpu_fail(vm, "the vCPU stopped: KVM internal error %u (%s)%s%s%s", sub,
                     internal_error_name(sub), n ? "; data:" : "", data, hint);
}

int kvm_io_dispatch(struct kvm_run *run, size_t run_size, struct bus *bus,
                    const struct machine_status *st)
{
    unsigned size = run->io.size, count = run->io.count;
    /* The data sits in the run area; never trust it to fit. */
    if ((size != 1 && size != 2 && size != 4) || run->io.data_offset > run_size ||
        (uint64_t)count * size > run_size - run->io.data_offset)
        return -1;
    uint8_t *data = (uint8_t *)run + run->io.data_offset;
    for (unsigned i = 0; i < count && machine_running(st); i++) {
        uint64_t v = 0;
        if (run->io.direction == KVM_EXIT_IO_OUT) {
            memcpy(&v, data + (size_t)i * size, size);
            bus_write(bus, BUS_PIO, run->io.port, v, size);
        } else {
            v = bus_read(bus, BUS_PIO, run->io.port, size);
            memcpy(data + (size_t)i * size, &v, size);
        }
    }
    return 0;
}

int kvm_mmio_dispatch(struct kvm_run *run, struct bus *bus)
{
    unsigned len = run->mmio.len;
    if (len < 1 || len > 8)
        return -1;
    uint64_t v = 0;
    if (run->mmio.is_write) {
        memcpy(&v, run->mmio.data, len);
        bus_write(bus, BUS_MMIO, run->mmio.phys_addr, v, len);
    } else {
        v = bus_read(bus, BUS_MMIO, run->mmio.phys_addr, len);
        memcpy(run->mmio.data, &v, len);
    }
    return 0;
}

static void handle_io(struct kvm_vm *vm)
{
    struct kvm_run *run = vm->run;
    if (run->io.direction == KVM_EXIT_IO_OUT)
        vm->stats.pio_out++;
    else
        vm->stats.pio_in++;
    if (run->io.count > 1)
        vm->stats.pio_string++;
    vm->stats.pio_items += run->io.count;
    count_port(&vm->stats, run->io.port);
    if (kvm_io_dispatch(run, vm->run_size, &vm->pc->bus, &vm->pc->status) < 0)
        vcpu_fail(vm, "KVM reported a malformed port I/O exit (port %#x, size %u, count %u)",
                  run->io.port, run->io.size, run->io.count);
}

static void handle_mmio(struct kvm_vm *vm)
{
    struct kvm_run *run = vm->run;
    if (run->mmio.is_write)
        vm->stats.mmio_write++;
    else
        vm->stats.mmio_read++;
    if (kvm_mmio_dispatch(run, &vm->pc->bus) < 0)
        vcpu_fail(vm, "KVM reported a malformed MMIO exit (address %#llx, length %u)",
                  (unsigned long long)run->mmio.phys_addr, run->mmio.len);
}

static void handle_hlt(struct kvm_vm *vm)
{
    struct kvm_regs r;
    if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r) == 0 && (r.rflags & 0x200)) {
        /* Nothing raises interrupts on this machine yet, so waiting would
         * hang forever: end the run, but say so. */
        uart_flush(&vm->pc->com1);
        fprintf(stderr,
                "ferry vm: the guest halted with interrupts enabled at rip %#llx; no "
                "device raises interrupts yet, so the run ends here\n",
                (unsigned long long)r.rip);
    }
    machine_stop(&vm->pc->status, MACHINE_halted, 0, 0);
}

/* Handle one exit.  Returns 0 to go on, -1 after a vCPU failure. */
static int handle_exit(struct kvm_vm *vm)
{
    struct kvm_run *run = vm->run;
    unsigned reason = run->exit_reason;
    char buf[32];
    vm->stats.exits[reason < KVM_STATS_REASONS ? reason : KVM_STATS_REASONS - 1]++;
    switch (reason) {
    case KVM_EXIT_IO:
        handle_io(vm);
        break;
    case KVM_EXIT_MMIO:
        handle_mmio(vm);
        break;
    case KVM_EXIT_HLT:
        handle_hlt(vm);
        break;
    case KVM_EXIT_INTR:
        break;
    case KVM_EXIT_SHUTDOWN:
        return vcpu_fail(vm, "the guest triple-faulted (KVM_EXIT_SHUTDOWN): an exception "
                             "could not be delivered (no usable IDT, or a fault in the handler)");
    case KVM_EXIT_FAIL_ENTRY:
        return vcpu_fail(vm,
                         "KVM could not enter the guest (KVM_EXIT_FAIL_ENTRY, hardware "
                         "entry failure reason %#llx): the vCPU state is invalid",
                         (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
    case KVM_EXIT_INTERNAL_ERROR:
        return handle_internal_error(vm);
    case KVM_EXIT_SYSTEM_EVENT:
        if (run->system_event.type == KVM_SYSTEM_EVENT_RESET)
            machine_stop(&vm->pc->status, MACHINE_reset, 0, 0);
        else
            return vcpu_fail(vm, "the vCPU reported system event %u", run->system_event.type);
        break;
    default:
        return vcpu_fail(vm, "unexpected KVM exit %s (%u)", kvm_exit_name(reason, buf, sizeof(buf)),
                         reason);
    }
    return machine_running(&vm->pc->status) || vm->pc->status.state != MACHINE_error ? 0 : -1;
}

static int vcpu_loop(struct kvm_vm *vm)
{
    vm->stats.first_run_ns = kvm_now_ns();
    vm->pc->ts.start_ns = vm->stats.first_run_ns; /* phase markers count from guest entry */
    while (machine_running(&vm->pc->status)) {
        int sig = atomic_load(&vm->stop_signal);
        if (sig) {
            machine_stop(&vm->pc->status, MACHINE_interrupted, 128 + sig, (uint64_t)sig);
            break;
        }
        uint64_t t0 = vm->opt.stats ? kvm_now_ns() : 0;
        int r = ioctl(vm->vcpu_fd, KVM_RUN, 0);
        int e = errno;
        if (vm->opt.stats)
            vm->stats.in_run_ns += kvm_now_ns() - t0;
        vm->stats.runs++;
        if (r < 0) {
            if (e == EINTR || e == EAGAIN) {
                vm->stats.eintr++;
                continue;
            }
            return vcpu_fail(vm, "KVM_RUN failed: %s", strerror(e));
        }
        if (handle_exit(vm) < 0)
            return -1;
    }
    return 0;
}

static void kick_handler(int sig)
{
    (void)sig; /* only there so the signal interrupts KVM_RUN with EINTR */
}

static void *vcpu_thread_main(void *arg)
{
    struct kvm_vm *vm = arg;
    sigset_t kick;
    sigemptyset(&kick);
    sigaddset(&kick, KICK_SIGNAL);
    pthread_sigmask(SIG_UNBLOCK, &kick, NULL);
    vm->result = vcpu_loop(vm);
    vm->stats.end_ns = kvm_now_ns();
    pthread_kill(vm->control_thread, DONE_SIGNAL);
    return NULL;
}

/* The calling thread waits for the vCPU thread to end or for SIGINT/SIGTERM;
 * a signal stops the vCPU (immediate_exit covers a kick that lands outside
 * KVM_RUN); a second one ends the process at once. */
static int run_threaded(struct kvm_vm *vm)
{
    sigset_t wait_set, old;
    sigemptyset(&wait_set);
    sigaddset(&wait_set, SIGINT);
    sigaddset(&wait_set, SIGTERM);
    sigaddset(&wait_set, DONE_SIGNAL);
    sigaddset(&wait_set, KICK_SIGNAL);
    struct sigaction kick = {.sa_handler = kick_handler}, old_kick;
    sigemptyset(&kick.sa_mask); /* no SA_RESTART: KVM_RUN must return EINTR */
    if (sigaction(KICK_SIGNAL, &kick, &old_kick) < 0 ||
        pthread_sigmask(SIG_BLOCK, &wait_set, &old) != 0) {
        fprintf(stderr, "ferry vm: cannot set up signal handling: %s\n", strerror(errno));
        return vm->result = vcpu_loop(vm);
    }
    vm->control_thread = pthread_self();
    int e = pthread_create(&vm->vcpu_thread, NULL, vcpu_thread_main, vm);
    if (e != 0) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        sigaction(KICK_SIGNAL, &old_kick, NULL);
        fprintf(stderr, "ferry vm: cannot start the vCPU thread: %s\n", strerror(e));
        machine_stop(&vm->pc->status, MACHINE_error, vm->opt.error_status, 0);
        return -1;
    }
    sigset_t stop_set;
    sigemptyset(&stop_set);
    sigaddset(&stop_set, SIGINT);
    sigaddset(&stop_set, SIGTERM);
    sigaddset(&stop_set, DONE_SIGNAL);
    int stops = 0;
    for (;;) {
        int sig = sigwaitinfo(&stop_set, NULL);
        if (sig < 0)
            continue; /* EINTR */
        if (sig == DONE_SIGNAL)
            break;
        if (++stops > 1) {
            fprintf(stderr, "\nferry vm: interrupted again; exiting at once\n");
            if (vm->opt.abort_hook)
                vm->opt.abort_hook();
            _exit(128 + sig);
        }
        atomic_store(&vm->stop_signal, sig);
        __atomic_store_n(&vm->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
        pthread_kill(vm->vcpu_thread, KICK_SIGNAL);
    }
    pthread_join(vm->vcpu_thread, NULL);
    /* Drop signals that raced with the end (a kick or a late Ctrl-C is moot). */
    sigset_t pending;
    struct timespec zero = {0, 0};
    while (sigpending(&pending) == 0 &&
           (sigismember(&pending, KICK_SIGNAL) || sigismember(&pending, DONE_SIGNAL)))
        sigtimedwait(&wait_set, NULL, &zero);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    sigaction(KICK_SIGNAL, &old_kick, NULL);
    return vm->result;
}

int kvm_vm_run(struct kvm_vm *vm)
{
    int r;
    if (vm->opt.catch_signals) {
        r = run_threaded(vm);
    } else {
        r = vm->result = vcpu_loop(vm);
        vm->stats.end_ns = kvm_now_ns();
    }
    uart_flush(&vm->pc->com1);
    return r;
}

static double ms(uint64_t ns) { return (double)ns / 1e6; }

void kvm_vm_print_stats(const struct kvm_vm *vm, FILE *f)
{
    const struct kvm_stats *s = &vm->stats;
    uint64_t setup = s->first_run_ns - s->create_ns;
    uint64_t run = s->end_ns > s->first_run_ns ? s->end_ns - s->first_run_ns : 0;
    uint64_t ferry = run > s->in_run_ns ? run - s->in_run_ns : 0;
    uint64_t total_exits = 0;
    for (unsigned i = 0; i < KVM_STATS_REASONS; i++)
        total_exits += s->exits[i];
    fprintf(f, "== kvm stats ==\n");
    fprintf(f,
            "time: VM setup %.3f ms, run %.3f ms: inside KVM_RUN %.3f ms (%.1f%%), in ferry "
            "%.3f ms\n",
            ms(setup), ms(run), ms(s->in_run_ns),
            run ? 100.0 * (double)s->in_run_ns / (double)run : 0.0, ms(ferry));
    fprintf(f, "exits: %llu in %llu KVM_RUN calls (%llu interrupted by signals)",
            (unsigned long long)total_exits, (unsigned long long)s->runs,
            (unsigned long long)s->eintr);
    if (total_exits)
        fprintf(f, ", %.2f us of run time per exit", (double)run / 1e3 / (double)total_exits);
    fprintf(f, "\n");
    char buf[32];
    for (unsigned i = 0; i < KVM_STATS_REASONS; i++)
        if (s->exits[i])
            fprintf(f, "  %-16s %llu\n", kvm_exit_name(i, buf, sizeof(buf)),
                    (unsigned long long)s->exits[i]);
    if (s->pio_in + s->pio_out) {
        fprintf(f, "port I/O: %llu out, %llu in, %llu string/rep exits, %llu items\n",
                (unsigned long long)s->pio_out, (unsigned long long)s->pio_in,
                (unsigned long long)s->pio_string, (unsigned long long)s->pio_items);
        for (unsigned i = 0; i < KVM_STATS_PORTS && s->ports[i].count; i++) {
            const struct bus_region *reg = bus_find(&vm->pc->bus, BUS_PIO, s->ports[i].port);
            fprintf(f, "  port %#06x %-12s %llu\n", s->ports[i].port, reg ? reg->name : "(nothing)",
                    (unsigned long long)s->ports[i].count);
        }
        if (s->ports_other)
            fprintf(f, "  other ports       %llu\n", (unsigned long long)s->ports_other);
    }
    if (s->mmio_read + s->mmio_write)
        fprintf(f, "MMIO: %llu reads, %llu writes\n", (unsigned long long)s->mmio_read,
                (unsigned long long)s->mmio_write);
}

unsigned kvm_vm_exit_counts(const struct kvm_vm *vm, uint64_t *counts, unsigned n)
{
    if (n == 0)
        return 0;
    memset(counts, 0, n * sizeof(*counts));
    for (unsigned i = 0; i < KVM_STATS_REASONS; i++)
        counts[i < n ? i : n - 1] += vm->stats.exits[i];
    return n < KVM_STATS_REASONS ? n : KVM_STATS_REASONS;
}

uint64_t kvm_vm_run_ns(const struct kvm_vm *vm)
{
    const struct kvm_stats *s = &vm->stats;
    return s->end_ns > s->first_run_ns ? s->end_ns - s->first_run_ns : 0;
}
