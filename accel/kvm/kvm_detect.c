/* KVM detection: open /dev/kvm and check the API version and every capability
 * the engine uses, each failure with a message a person can act on.  The
 * vmx/svm CPU flags are reported as information only: software KVM backends
 * (PVM) have neither and work. */
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/kvm.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kvm.h"

static const char *const probe_names[KVM_PROBE_STATUS_COUNT] = {
#define KVM_PROBE(name, summary) #name,
#include "kvm_probe.def"
#undef KVM_PROBE
};

static const char *const probe_summaries[KVM_PROBE_STATUS_COUNT] = {
#define KVM_PROBE(name, summary) summary,
#include "kvm_probe.def"
#undef KVM_PROBE
};

const char *kvm_probe_status_name(enum kvm_probe_status s)
{
    return s < KVM_PROBE_STATUS_COUNT ? probe_names[s] : "?";
}

const char *kvm_probe_status_summary(enum kvm_probe_status s)
{
    return s < KVM_PROBE_STATUS_COUNT ? probe_summaries[s] : "?";
}

struct cap_req {
    unsigned long cap;
    int min;
    const char *name, *why;
};

static const struct cap_req cap_reqs[] = {
#define KVM_CAP_REQ(cap, min, why) {cap, min, #cap, why},
#include "kvm_caps.def"
#undef KVM_CAP_REQ
};

unsigned kvm_required_cap_count(void) { return sizeof(cap_reqs) / sizeof(cap_reqs[0]); }

int kvm_required_cap(unsigned i, const char **name, const char **why)
{
    if (i >= kvm_required_cap_count())
        return -1;
    *name = cap_reqs[i].name;
    *why = cap_reqs[i].why;
    return (int)cap_reqs[i].cap;
}

static int real_ioctl(int fd, unsigned long request, unsigned long arg)
{
    return ioctl(fd, request, arg);
}

/* The permission message: the node's mode and owner, and the fix that
 * applies to it (join its group, or first give the node to a group). */
static void permission_message(const char *path, char *buf, size_t len)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(buf, len, "cannot open %s: permission denied (and cannot stat it: %s)", path,
                 strerror(errno));
        return;
    }
    char mode[11] = "----------";
    const char *rwx = "rwxrwxrwx";
    mode[0] = S_ISCHR(st.st_mode) ? 'c' : S_ISDIR(st.st_mode) ? 'd' : '-';
    for (int i = 0; i < 9; i++)
        if (st.st_mode & (1u << (8 - i)))
            mode[i + 1] = rwx[i];
    struct passwd *pw = getpwuid(st.st_uid);
    struct group *gr = getgrgid(st.st_gid);
    char u[32], g[32];
    snprintf(u, sizeof(u), "%s", pw ? pw->pw_name : "");
    snprintf(g, sizeof(g), "%s", gr ? gr->gr_name : "");
    if (!*u)
        snprintf(u, sizeof(u), "%u", (unsigned)st.st_uid);
    if (!*g)
        snprintf(g, sizeof(g), "%u", (unsigned)st.st_gid);
    bool group_rw = (st.st_mode & (S_IRGRP | S_IWGRP)) == (S_IRGRP | S_IWGRP);
    if (group_rw && st.st_gid != 0)
        snprintf(buf, len,
                 "cannot open %s: permission denied (%s %s:%s); add your user to group %s "
                 "(sudo usermod -aG %s $USER, then log in again)",
                 path, mode, u, g, g, g);
    else
        snprintf(buf, len,
                 "cannot open %s: permission denied (%s %s:%s: only %s may open it); give it "
                 "to group kvm (sudo chgrp kvm %s && sudo chmod 660 %s, or the distribution's "
                 "udev rule) and add your user to that group (sudo usermod -aG kvm $USER, then "
                 "log in again)",
                 path, mode, u, g, group_rw ? "root" : u, path, path);
}

static void probe_reset(struct kvm_probe *p, const char *path)
{
    memset(p, 0, sizeof(*p));
    p->fd = -1;
    p->api_version = -1;
    snprintf(p->path, sizeof(p->path), "%s", path);
}

int kvm_probe_fd(int fd, struct kvm_probe *p, kvm_ioctl_fn ioctl_fn)
{
    if (!ioctl_fn)
        ioctl_fn = real_ioctl;
    int v = ioctl_fn(fd, KVM_GET_API_VERSION, 0);
    p->api_version = v;
    if (v != KVM_REQUIRED_API) {
        p->status = KVM_PROBE_api_version;
        p->err = v < 0 ? errno : 0;
        if (v < 0)
            snprintf(p->msg, sizeof(p->msg),
                     "%s does not answer KVM_GET_API_VERSION (%s): it is not a KVM device", p->path,
                     strerror(p->err));
        else
            snprintf(p->msg, sizeof(p->msg),
                     "%s speaks KVM API version %d; ferry needs version %d (the stable API "
                     "every Linux since 2.6.22 provides)",
                     p->path, v, KVM_REQUIRED_API);
        return -1;
    }
    for (unsigned i = 0; i < kvm_required_cap_count(); i++) {
        const struct cap_req *c = &cap_reqs[i];
        int r = ioctl_fn(fd, KVM_CHECK_EXTENSION, c->cap);
        if (r < c->min) {
            p->status = KVM_PROBE_missing_cap;
            p->missing_cap = c->name;
            if (c->min > 1 && r > 0)
                snprintf(p->msg, sizeof(p->msg), "%s: %s is %d, ferry needs at least %d (%s)",
                         p->path, c->name, r, c->min, c->why);
            else
                snprintf(p->msg, sizeof(p->msg),
                         "%s lacks %s, needed for %s: the host kernel's KVM is too old or "
                         "limited",
                         p->path, c->name, c->why);
            return -1;
        }
    }
    p->status = KVM_PROBE_ok;
    return 0;
}

int kvm_probe(const char *path, struct kvm_probe *p)
{
    if (!path)
        path = getenv(KVM_DEV_ENV);
    if (!path || !*path)
        path = KVM_DEFAULT_DEV;
    probe_reset(p, path);
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        p->err = e;
        if (e == ENOENT) {
            p->status = KVM_PROBE_no_device;
            snprintf(p->msg, sizeof(p->msg),
                     "no %s: the kernel has no KVM or it is not exposed to this machine "
                     "(in a container, pass the device through, e.g. --device /dev/kvm)",
                     path);
        } else if (e == EACCES || e == EPERM) {
            p->status = KVM_PROBE_no_permission;
            permission_message(path, p->msg, sizeof(p->msg));
        } else {
            p->status = KVM_PROBE_open_failed;
            snprintf(p->msg, sizeof(p->msg), "cannot open %s: %s%s", path, strerror(e),
                     e == ENXIO || e == ENODEV
                         ? " (no KVM driver behind the device: load kvm_intel or kvm_amd, "
                           "and enable virtualization in the firmware)"
                         : "");
        }
        return -1;
    }
    if (kvm_probe_fd(fd, p, NULL) != 0) {
        close(fd);
        return -1;
    }
    p->fd = fd;
    return 0;
}

void kvm_host_info(struct kvm_host_info *h)
{
    unsigned a, b, c, d;
    memset(h, 0, sizeof(*h));
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        h->vmx = (c >> 5) & 1;
        h->hypervisor = (c >> 31) & 1;
    }
    if (__get_cpuid(0x80000001, &a, &b, &c, &d))
        h->svm = (c >> 2) & 1;
    h->pvm = access("/sys/module/kvm_pvm", F_OK) == 0;
}

void kvm_host_info_print(const struct kvm_host_info *h, FILE *f)
{
    fprintf(f, "host CPU: vmx %s, svm %s, running under a hypervisor: %s\n", h->vmx ? "yes" : "no",
            h->svm ? "yes" : "no", h->hypervisor ? "yes" : "no");
    if (h->pvm)
        fprintf(f, "KVM backend: PVM (software): 64-bit CPL3 guest code runs natively, "
                   "CPL0, 32-bit and real-mode code is emulated (much slower)\n");
    else if (!h->vmx && !h->svm)
        fprintf(f, "KVM backend: no VT-x/AMD-V flag visible; KVM may be a software "
                   "backend (supervisor-mode guest code then runs emulated)\n");
    else
        fprintf(f, "KVM backend: hardware virtualization (%s)\n", h->vmx ? "VT-x" : "AMD-V");
}
