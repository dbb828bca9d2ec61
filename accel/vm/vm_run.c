/* `ferry vm`'s driver: pick the engine, build the pc machine, load the guest,
 * run, and turn the machine's final state into the process exit status.
 * The serial terminal (stdio on a tty) is put in non-canonical, no-echo mode
 * for the run, keeping Ctrl-C as a signal, and restored afterwards. */
#include <errno.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "accel/kvm/kvm.h"
#include "vm_run.h"

static const char *const accel_names[] = {"auto", "kvm", "tcg"};

int vm_parse_accel(const char *s, enum vm_accel *out)
{
    for (unsigned i = 0; i < sizeof(accel_names) / sizeof(accel_names[0]); i++)
        if (strcmp(s, accel_names[i]) == 0) {
            *out = (enum vm_accel)i;
            return 0;
        }
    return -1;
}

const char *vm_accel_name(enum vm_accel a)
{
    return (unsigned)a < sizeof(accel_names) / sizeof(accel_names[0]) ? accel_names[a] : "?";
}

static const char tcg_missing[] =
    "the x86 translator (the TCG engine for the pc machine) is not built yet";

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- terminal --------------------------------------------------------------- */

static struct termios saved_tty;
static bool tty_changed;

static void tty_restore(void)
{
    if (tty_changed) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
        tty_changed = false;
    }
}

/* Characters reach the guest as typed (no line editing, no local echo: the
 * guest echoes); ISIG stays on so Ctrl-C stops the VM. */
static void tty_raw(void)
{
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tty) != 0)
        return;
    struct termios t = saved_tty;
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ECHONL | IEXTEN);
    t.c_iflag &= ~(tcflag_t)(ICRNL | IXON);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0) {
        tty_changed = true;
        atexit(tty_restore);
    }
}

/* ---- engine choice ------------------------------------------------------------ */

/* KVM (the only engine for the pc machine so far): returns an open KVM fd,
 * or -1 with the reason printed. */
static int vm_choose_engine(const struct vm_options *o)
{
    struct kvm_probe p;
    if (kvm_probe(o->kvm_dev, &p) != 0) {
        if (o->accel == VM_ACCEL_KVM)
            fprintf(stderr, "ferry vm: --accel=kvm: %s\n", p.msg);
        else
            fprintf(stderr, "ferry vm: no usable engine: KVM: %s; and %s\n", p.msg, tcg_missing);
        return -1;
    }
    if (o->accel == VM_ACCEL_AUTO)
        fprintf(stderr, "ferry vm: --accel=auto chose kvm: KVM usable; %s\n", tcg_missing);
    return p.fd;
}

static void print_end(const struct pc_machine *pc, FILE *f)
{
    const struct machine_status *st = &pc->status;
    fprintf(f, "ferry vm: machine %s: %s", machine_state_name(st->state),
            machine_state_desc(st->state));
    if (st->state == MACHINE_exited)
        fprintf(f, " (value %#llx)", (unsigned long long)st->value);
    fprintf(f, "; exit status %d\n", st->exit_code);
}

int vm_run(const struct vm_options *o)
{
    uint64_t t_start = now_ns();
    if (o->accel == VM_ACCEL_TCG) {
        fprintf(stderr,
                "ferry vm: --accel=tcg: %s; use --accel=kvm (or auto) where KVM is "
                "usable\n",
                tcg_missing);
        return VM_STATUS_CANNOT_RUN;
    }
    /* The machine and the image first: a bad image is reported as such on
     * every host, before any engine is chosen or vCPU created. */
    char err[512];
    struct pc_machine *pc = calloc(1, sizeof(*pc));
    if (!pc) {
        fprintf(stderr, "ferry vm: out of memory\n");
        return VM_STATUS_CANNOT_RUN;
    }
    struct pc_config cfg = {.ram_size = o->ram_size, .serial = o->serial};
    if (pc_init(pc, &cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "ferry vm: %s\n", err);
        free(pc);
        return VM_STATUS_CANNOT_RUN;
    }
    int status = VM_STATUS_CANNOT_RUN, kvm_fd = -1;
    struct pc_boot_options bo = {.entry_ring = o->entry_ring, .cmdline = o->cmdline};
    struct x86_boot_state st;
    struct kvm_vm *vm = NULL;
    if (pc_load(pc, o->image, &bo, &st, err, sizeof(err)) != 0) {
        fprintf(stderr, "ferry vm: %s\n", err);
        goto out;
    }
    kvm_fd = vm_choose_engine(o);
    if (kvm_fd < 0)
        goto out;
    struct kvm_vm_options ko = {
        .stats = o->stats,
        .catch_signals = true,
        .error_status = VM_STATUS_VCPU_ERROR,
        .abort_hook = tty_restore,
    };
    vm = kvm_vm_create(kvm_fd, pc, &st, &ko, err, sizeof(err));
    if (!vm) {
        fprintf(stderr, "ferry vm: KVM setup failed: %s\n", err);
        goto out;
    }
    bool serial_stdio = !o->serial || strcmp(o->serial, "stdio") == 0;
    if (serial_stdio)
        tty_raw();
    kvm_vm_run(vm);
    tty_restore();
    status = pc->status.exit_code;
    if (pc->status.state == MACHINE_interrupted)
        fprintf(stderr, "ferry vm: stopped by %s\n", strsignal((int)pc->status.value));
    if (o->stats) {
        print_end(pc, stderr);
        kvm_vm_print_stats(vm, stderr);
        fprintf(stderr, "ferry vm: %.3f ms from the start of `ferry vm` to the end of the run\n",
                (double)(now_ns() - t_start) / 1e6);
    }
out:
    kvm_vm_free(vm);
    pc_destroy(pc);
    free(pc);
    if (kvm_fd >= 0)
        close(kvm_fd);
    return status;
}

/* ---- --probe ---------------------------------------------------------------- */

int vm_probe_report(const char *kvm_dev, FILE *f)
{
    struct kvm_probe p;
    int ok = kvm_probe(kvm_dev, &p) == 0;
    fprintf(f, "KVM device: %s\n", p.path);
    if (p.api_version >= 0)
        fprintf(f, "KVM API version: %d\n", p.api_version);
    if (p.api_version == KVM_REQUIRED_API) {
        int fd = ok ? p.fd : -1;
        for (unsigned i = 0; i < kvm_required_cap_count(); i++) {
            const char *name, *why;
            int cap = kvm_required_cap(i, &name, &why);
            if (fd >= 0)
                fprintf(f, "  %-30s %d  (%s)\n", name, ioctl(fd, KVM_CHECK_EXTENSION, cap), why);
            else if (p.missing_cap && strcmp(p.missing_cap, name) == 0)
                fprintf(f, "  %-30s missing  (%s)\n", name, why);
        }
    }
    struct kvm_host_info h;
    kvm_host_info(&h);
    kvm_host_info_print(&h, f);
    if (ok) {
        fprintf(f, "KVM: usable\n--accel=auto would use kvm (%s)\n", tcg_missing);
        close(p.fd);
        return 0;
    }
    fprintf(f, "KVM: not usable (%s: %s): %s\n", kvm_probe_status_name(p.status),
            kvm_probe_status_summary(p.status), p.msg);
    fprintf(f, "--accel=auto has no engine: %s\n", tcg_missing);
    return 1;
}
