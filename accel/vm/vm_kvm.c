/* The KVM engine in the engine table (vm_engine.h): a thin wrapper over
 * accel/kvm.  probe = kvm_probe (its ENOENT/EACCES/API/capability message),
 * run = kvm_vm_create + kvm_vm_run, with the exits mapped by reason name.
 * Also `ferry vm --probe` (what KVM detection finds, and the auto choice). */
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "accel/kvm/kvm.h"
#include "vm_auto.h"
#include "vm_engine.h"
#include "vm_run.h"

static void copy_str(char *dst, size_t len, const char *src)
{
    if (len)
        snprintf(dst, len, "%s", src);
}

static int kvm_engine_probe(const struct vm_engine_options *o, char *why, size_t whylen)
{
    struct kvm_probe p;
    if (kvm_probe(o ? o->kvm_dev : NULL, &p) != 0) {
        copy_str(why, whylen, p.msg);
        return -1;
    }
    close(p.fd);
    copy_str(why, whylen, "");
    return 0;
}

/* KVM_EXIT_* reasons by the names of kvm_exits.def (static strings, as
 * vm_engine_stats wants); reasons without a name count as "other". */
static const char *exit_kind_name(unsigned reason)
{
    char buf[32];
    const char *n = kvm_exit_name(reason, buf, sizeof(buf));
    return n == buf ? "other" : n;
}

static int kvm_engine_run(struct pc_machine *pc, const struct x86_boot_state *st,
                          const struct vm_engine_options *o, struct vm_engine_stats *stats,
                          char *err, size_t errlen)
{
    memset(stats, 0, sizeof(*stats));
    struct kvm_probe p;
    if (kvm_probe(o->kvm_dev, &p) != 0) {
        copy_str(err, errlen, p.msg);
        return -1;
    }
    struct kvm_vm_options ko = {
        .stats = o->stats,
        .catch_signals = o->catch_signals,
        .error_status = o->error_status,
        .abort_hook = o->abort_hook,
    };
    char msg[512];
    struct kvm_vm *vm = kvm_vm_create(p.fd, pc, st, &ko, msg, sizeof(msg));
    if (!vm) {
        snprintf(err, errlen, "KVM setup failed: %s", msg);
        close(p.fd);
        return -1;
    }
    int r = kvm_vm_run(vm);
    uint64_t counts[64];
    unsigned n = kvm_vm_exit_counts(vm, counts, 64);
    for (unsigned i = 0; i < n; i++)
        if (counts[i]) {
            vm_stats_count_exit(stats, exit_kind_name(i), counts[i]);
            stats->exits += counts[i];
        }
    stats->run_ns = kvm_vm_run_ns(vm);
    /* KVM's own lines (time inside KVM_RUN, ports) need the VM: printed here,
     * at the end of the run, rather than by print_stats. */
    if (o->stats)
        kvm_vm_print_stats(vm, stderr);
    kvm_vm_free(vm);
    close(p.fd);
    return r;
}

const struct vm_engine vm_engine_kvm = {
    .name = "kvm",
    .probe = kvm_engine_probe,
    .run = kvm_engine_run,
    .print_stats = NULL,
};

/* ---- ferry vm --probe ----------------------------------------------------- */

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
        fprintf(f, "KVM: usable\n");
        close(p.fd);
    } else {
        fprintf(f, "KVM: not usable (%s: %s): %s\n", kvm_probe_status_name(p.status),
                kvm_probe_status_summary(p.status), p.msg);
    }
    char why[1200];
    struct vm_engine_options eo = {.kvm_dev = kvm_dev, .error_status = VM_STATUS_VCPU_ERROR};
    if (vm_engine_usable(VM_ACCEL_TCG, &eo, why, sizeof(why)))
        fprintf(f, "TCG: usable\n");
    else
        fprintf(f, "TCG: not available: %s\n", why);
    for (unsigned ring = 0; ring <= 3; ring += 3) {
        enum vm_accel a = vm_auto_choose(&eo, ring, why, sizeof(why));
        if (a == VM_ACCEL_AUTO)
            fprintf(f, "--accel=auto, guest entered at CPL%u: %s\n", ring, why);
        else
            fprintf(f, "--accel=auto, guest entered at CPL%u: would use %s: %s\n", ring,
                    vm_accel_name(a), why);
    }
    return ok ? 0 : 1;
}
