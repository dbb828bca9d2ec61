/* Unit tests of the KVM engine that need no working KVM: detection messages
 * (real paths for ENOENT/EACCES/others, a fake ioctl for the API version and
 * capability checks), the register dump, the boot-state conversion, names. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "accel/kvm/kvm.h"

/* ---- detection: real paths --------------------------------------------- */

START_TEST(probe_missing_device_says_no_kvm)
{
    struct kvm_probe p;
    ck_assert_int_eq(kvm_probe("/nonexistent-ferry-dir/kvm", &p), -1);
    ck_assert_int_eq(p.status, KVM_PROBE_no_device);
    ck_assert_int_eq(p.err, ENOENT);
    ck_assert_int_eq(p.fd, -1);
    ck_assert_str_eq(p.path, "/nonexistent-ferry-dir/kvm");
    ck_assert_ptr_nonnull(strstr(p.msg, "no /nonexistent-ferry-dir/kvm: the kernel has no KVM or "
                                        "it is not exposed to this machine"));
}
END_TEST

START_TEST(probe_path_comes_from_environment)
{
    setenv(KVM_DEV_ENV, "/nonexistent-ferry-env/kvm", 1);
    struct kvm_probe p;
    int r = kvm_probe(NULL, &p);
    unsetenv(KVM_DEV_ENV);
    ck_assert_int_eq(r, -1);
    ck_assert_str_eq(p.path, "/nonexistent-ferry-env/kvm");
    ck_assert_int_eq(p.status, KVM_PROBE_no_device);
}
END_TEST

START_TEST(probe_default_path_is_dev_kvm)
{
    unsetenv(KVM_DEV_ENV);
    struct kvm_probe p;
    if (kvm_probe(NULL, &p) == 0)
        close(p.fd);
    ck_assert_str_eq(p.path, "/dev/kvm");
}
END_TEST

/* Probe `path` as an unprivileged user (as root, in a child that drops to
 * nobody: root ignores file permissions) and check the message.  Returns 0
 * or the number of the failed check. */
static int probe_unprivileged(const char *path, const char *want1, const char *want2)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0))
            _exit(10);
        struct kvm_probe p;
        if (kvm_probe(path, &p) != -1)
            _exit(11);
        if (p.status != KVM_PROBE_no_permission)
            _exit(12);
        if (!strstr(p.msg, "permission denied") || !strstr(p.msg, want1))
            _exit(13);
        if (!strstr(p.msg, want2))
            _exit(14);
        _exit(0);
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(WIFEXITED(st));
    return WEXITSTATUS(st);
}

/* A node in a fresh directory; mode and (as root) group set by the test. */
static void make_node(char *dir, char *path, size_t len, mode_t mode, gid_t gid)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(chmod(dir, 0755), 0);
    snprintf(path, len, "%s/kvm", dir);
    int fd = open(path, O_CREAT | O_WRONLY, 0);
    ck_assert_int_ge(fd, 0);
    close(fd);
    if (geteuid() == 0)
        ck_assert_int_eq(chown(path, 0, gid), 0);
    ck_assert_int_eq(chmod(path, mode), 0);
}

START_TEST(probe_permission_denied_says_how_to_fix)
{
    char dir[] = "/tmp/ferry-kvm-test-XXXXXX", path[64];
    make_node(dir, path, sizeof(path), 0, 0);
    int r = probe_unprivileged(path, "(---------- ", "sudo usermod -aG kvm $USER");
    unlink(path);
    rmdir(dir);
    ck_assert_msg(r == 0, "child check %d failed", r);
}
END_TEST

START_TEST(probe_permission_group_node_names_its_group)
{
    char dir[] = "/tmp/ferry-kvm-test-XXXXXX", path[64];
    make_node(dir, path, sizeof(path), 0060, 1);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    struct group *gr = getgrgid(st.st_gid);
    char want[96];
    snprintf(want, sizeof(want), "add your user to group %s (sudo usermod -aG %s $USER",
             gr ? gr->gr_name : "?", gr ? gr->gr_name : "?");
    int r = probe_unprivileged(path, "(----rw---- ", want);
    unlink(path);
    rmdir(dir);
    ck_assert_msg(r == 0, "child check %d failed (wanted '%s')", r, want);
}
END_TEST

START_TEST(probe_other_open_error_names_it)
{
    struct kvm_probe p;
    ck_assert_int_eq(kvm_probe("/tmp", &p), -1); /* a directory: EISDIR */
    ck_assert_int_eq(p.status, KVM_PROBE_open_failed);
    ck_assert_int_eq(p.err, EISDIR);
    ck_assert_ptr_nonnull(strstr(p.msg, "cannot open /tmp: "));
}
END_TEST

START_TEST(probe_regular_file_is_not_a_kvm_device)
{
    char path[] = "/tmp/ferry-kvm-file-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    struct kvm_probe p;
    int r = kvm_probe(path, &p);
    unlink(path);
    ck_assert_int_eq(r, -1);
    ck_assert_int_eq(p.status, KVM_PROBE_api_version);
    ck_assert_ptr_nonnull(strstr(p.msg, "does not answer KVM_GET_API_VERSION"));
}
END_TEST

/* ---- detection: fake ioctl ------------------------------------------------- */

static int fake_api = KVM_REQUIRED_API;
static unsigned long fake_missing_cap = ~0ul; /* answers 0 for this capability */
static int fake_memslots = 32;
static unsigned long fake_asked[32];
static unsigned fake_nasked;

static int fake_ioctl(int fd, unsigned long request, unsigned long arg)
{
    (void)fd;
    if (request == KVM_GET_API_VERSION)
        return fake_api;
    if (request == KVM_CHECK_EXTENSION) {
        if (fake_nasked < 32)
            fake_asked[fake_nasked++] = arg;
        if (arg == fake_missing_cap)
            return 0;
        if (arg == KVM_CAP_NR_MEMSLOTS)
            return fake_memslots;
        return 1;
    }
    errno = ENOTTY;
    return -1;
}

static void fake_reset(void)
{
    fake_api = KVM_REQUIRED_API;
    fake_missing_cap = ~0ul;
    fake_memslots = 32;
    fake_nasked = 0;
}

static void fake_probe(struct kvm_probe *p)
{
    memset(p, 0, sizeof(*p));
    snprintf(p->path, sizeof(p->path), "/dev/fakekvm");
    kvm_probe_fd(-1, p, fake_ioctl);
}

START_TEST(probe_fd_accepts_api_12_with_every_cap)
{
    fake_reset();
    struct kvm_probe p;
    fake_probe(&p);
    ck_assert_int_eq(p.status, KVM_PROBE_ok);
    ck_assert_int_eq(p.api_version, 12);
}
END_TEST

START_TEST(probe_fd_rejects_other_api_versions)
{
    fake_reset();
    fake_api = 11;
    struct kvm_probe p;
    fake_probe(&p);
    ck_assert_int_eq(p.status, KVM_PROBE_api_version);
    ck_assert_int_eq(p.api_version, 11);
    ck_assert_ptr_nonnull(strstr(p.msg, "API version 11; ferry needs version 12"));
    ck_assert_uint_eq(fake_nasked, 0); /* no capability asked before the version is right */
}
END_TEST

START_TEST(probe_fd_names_the_missing_cap)
{
    fake_reset();
    fake_missing_cap = KVM_CAP_IMMEDIATE_EXIT;
    struct kvm_probe p;
    fake_probe(&p);
    ck_assert_int_eq(p.status, KVM_PROBE_missing_cap);
    ck_assert_str_eq(p.missing_cap, "KVM_CAP_IMMEDIATE_EXIT");
    ck_assert_ptr_nonnull(strstr(p.msg, "lacks KVM_CAP_IMMEDIATE_EXIT"));
}
END_TEST

START_TEST(probe_fd_checks_every_required_cap_in_order)
{
    fake_reset();
    struct kvm_probe p;
    fake_probe(&p);
    ck_assert_uint_eq(fake_nasked, kvm_required_cap_count());
    for (unsigned i = 0; i < kvm_required_cap_count(); i++) {
        const char *name, *why;
        ck_assert_uint_eq(fake_asked[i], (unsigned long)kvm_required_cap(i, &name, &why));
        ck_assert_ptr_nonnull(why);
    }
    const char *name, *why;
    ck_assert_int_eq(kvm_required_cap(kvm_required_cap_count(), &name, &why), -1);
}
END_TEST

START_TEST(probe_fd_requires_the_caps_the_engine_uses)
{
    static const unsigned long used[] = {KVM_CAP_USER_MEMORY,           KVM_CAP_SET_TSS_ADDR,
                                         KVM_CAP_SET_IDENTITY_MAP_ADDR, KVM_CAP_EXT_CPUID,
                                         KVM_CAP_IMMEDIATE_EXIT,        KVM_CAP_NR_MEMSLOTS};
    for (unsigned u = 0; u < sizeof(used) / sizeof(used[0]); u++) {
        fake_reset();
        fake_missing_cap = used[u];
        struct kvm_probe p;
        fake_probe(&p);
        ck_assert_msg(p.status == KVM_PROBE_missing_cap, "capability %lu not required", used[u]);
    }
}
END_TEST

START_TEST(probe_fd_wants_a_slot_per_ram_region)
{
    fake_reset();
    fake_memslots = 2;
    struct kvm_probe p;
    fake_probe(&p);
    ck_assert_int_eq(p.status, KVM_PROBE_missing_cap);
    ck_assert_str_eq(p.missing_cap, "KVM_CAP_NR_MEMSLOTS");
    ck_assert_ptr_nonnull(strstr(p.msg, "is 2, ferry needs at least"));
}
END_TEST

START_TEST(probe_status_names_follow_the_table)
{
    ck_assert_str_eq(kvm_probe_status_name(KVM_PROBE_ok), "ok");
    ck_assert_str_eq(kvm_probe_status_name(KVM_PROBE_no_permission), "no_permission");
    ck_assert_str_eq(kvm_probe_status_name(KVM_PROBE_missing_cap), "missing_cap");
    ck_assert_str_eq(kvm_probe_status_name(KVM_PROBE_STATUS_COUNT), "?");
    ck_assert_str_eq(kvm_probe_status_summary(KVM_PROBE_no_device), "no KVM device (ENOENT)");
}
END_TEST

START_TEST(host_info_prints_flags_as_information)
{
    struct kvm_host_info h = {.vmx = false, .svm = false, .hypervisor = true, .pvm = true};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    kvm_host_info_print(&h, f);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(buf, "vmx no, svm no"));
    ck_assert_ptr_nonnull(strstr(buf, "PVM"));
    free(buf);
}
END_TEST

/* ---- exit dispatch to the bus ------------------------------------------------ */

/* A device at port 0x100 (4 ports) and MMIO 0xfe000000 (16 bytes) that
 * records accesses; reads return 0x10 + the access number; the write with
 * value 0xdead stops the machine. */
struct rec {
    struct machine_status *st;
    unsigned n;
    uint64_t off[16], val[16];
    unsigned size[16];
    char kind[16];
};

static uint64_t rec_read(void *opaque, uint64_t off, unsigned size)
{
    struct rec *r = opaque;
    unsigned i = r->n++ & 15;
    r->kind[i] = 'r', r->off[i] = off, r->size[i] = size, r->val[i] = 0x10 + i;
    return 0x10 + i;
}

static void rec_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    struct rec *r = opaque;
    unsigned i = r->n++ & 15;
    r->kind[i] = 'w', r->off[i] = off, r->size[i] = size, r->val[i] = v;
    if (v == 0xdead)
        machine_stop(r->st, MACHINE_exited, 3, v);
}

static const struct bus_ops rec_ops = {rec_read, rec_write};

struct io_fixture {
    struct bus bus;
    struct machine_status st;
    struct rec rec;
    union {
        struct kvm_run run;
        uint8_t bytes[4096];
    } area;
};

static void io_setup(struct io_fixture *f)
{
    memset(f, 0, sizeof(*f));
    f->rec.st = &f->st;
    bus_init(&f->bus);
    ck_assert_int_eq(bus_register(&f->bus, BUS_PIO, 0x100, 4, &rec_ops, &f->rec, "rec"), 0);
    ck_assert_int_eq(bus_register(&f->bus, BUS_MMIO, 0xfe000000, 16, &rec_ops, &f->rec, "rec"), 0);
}

static void io_exit(struct io_fixture *f, uint8_t dir, uint8_t size, uint16_t port, uint32_t count)
{
    f->area.run.exit_reason = KVM_EXIT_IO;
    f->area.run.io.direction = dir;
    f->area.run.io.size = size;
    f->area.run.io.port = port;
    f->area.run.io.count = count;
    f->area.run.io.data_offset = 1024;
}

START_TEST(io_rep_out_delivers_every_item)
{
    struct io_fixture f;
    io_setup(&f);
    io_exit(&f, KVM_EXIT_IO_OUT, 2, 0x102, 3);
    uint16_t items[3] = {0x1111, 0x2222, 0x3333};
    memcpy(f.area.bytes + 1024, items, sizeof(items));
    ck_assert_int_eq(kvm_io_dispatch(&f.area.run, sizeof(f.area), &f.bus, &f.st), 0);
    ck_assert_uint_eq(f.rec.n, 3);
    for (unsigned i = 0; i < 3; i++) {
        ck_assert_int_eq(f.rec.kind[i], 'w');
        ck_assert_uint_eq(f.rec.off[i], 2);
        ck_assert_uint_eq(f.rec.size[i], 2);
        ck_assert_uint_eq(f.rec.val[i], items[i]);
    }
    bus_destroy(&f.bus);
}
END_TEST

START_TEST(io_rep_in_fills_every_item)
{
    struct io_fixture f;
    io_setup(&f);
    io_exit(&f, KVM_EXIT_IO_IN, 4, 0x100, 4);
    ck_assert_int_eq(kvm_io_dispatch(&f.area.run, sizeof(f.area), &f.bus, &f.st), 0);
    uint32_t got[4];
    memcpy(got, f.area.bytes + 1024, sizeof(got));
    for (unsigned i = 0; i < 4; i++) {
        ck_assert_int_eq(f.rec.kind[i], 'r');
        ck_assert_uint_eq(f.rec.size[i], 4);
        ck_assert_uint_eq(got[i], 0x10 + i);
    }
    bus_destroy(&f.bus);
}
END_TEST

START_TEST(io_in_from_nothing_reads_all_ones)
{
    struct io_fixture f;
    io_setup(&f);
    io_exit(&f, KVM_EXIT_IO_IN, 1, 0x700, 8);
    ck_assert_int_eq(kvm_io_dispatch(&f.area.run, sizeof(f.area), &f.bus, &f.st), 0);
    for (unsigned i = 0; i < 8; i++)
        ck_assert_uint_eq(f.area.bytes[1024 + i], 0xff);
    io_exit(&f, KVM_EXIT_IO_IN, 2, 0x700, 1);
    ck_assert_int_eq(kvm_io_dispatch(&f.area.run, sizeof(f.area), &f.bus, &f.st), 0);
    ck_assert_uint_eq(f.area.bytes[1024] | f.area.bytes[1025] << 8, 0xffff);
    ck_assert_uint_eq(f.rec.n, 0);
    bus_destroy(&f.bus);
}
END_TEST

START_TEST(io_stops_when_the_machine_stops)
{
    struct io_fixture f;
    io_setup(&f);
    io_exit(&f, KVM_EXIT_IO_OUT, 4, 0x100, 4);
    uint32_t items[4] = {1, 0xdead, 3, 4};
    memcpy(f.area.bytes + 1024, items, sizeof(items));
    ck_assert_int_eq(kvm_io_dispatch(&f.area.run, sizeof(f.area), &f.bus, &f.st), 0);
    ck_assert_uint_eq(f.rec.n, 2);
    ck_assert_int_eq(f.st.state, MACHINE_exited);
    bus_destroy(&f.bus);
}
END_TEST

START_TEST(io_refuses_malformed_exits)
{
    static const struct {
        uint8_t size;
        uint32_t count;
        uint64_t offset;
        size_t run_size;
        const char *what;
    } cases[] = {
#define IO_BAD(size, count, offset, run_size, what) {size, count, offset, run_size, what},
#include "io_bad_cases.inc"
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct io_fixture f;
        io_setup(&f);
        io_exit(&f, KVM_EXIT_IO_OUT, cases[i].size, 0x100, cases[i].count);
        f.area.run.io.data_offset = cases[i].offset;
        ck_assert_msg(kvm_io_dispatch(&f.area.run, cases[i].run_size, &f.bus, &f.st) == -1,
                      "accepted %s", cases[i].what);
        ck_assert_msg(f.rec.n == 0, "%s reached the device", cases[i].what);
        bus_destroy(&f.bus);
    }
}
END_TEST

START_TEST(mmio_reads_and_writes_reach_the_bus)
{
    struct io_fixture f;
    io_setup(&f);
    f.area.run.exit_reason = KVM_EXIT_MMIO;
    f.area.run.mmio.phys_addr = 0xfe000008;
    f.area.run.mmio.len = 4;
    f.area.run.mmio.is_write = 1;
    uint32_t v = 0xcafef00d;
    memcpy(f.area.run.mmio.data, &v, 4);
    ck_assert_int_eq(kvm_mmio_dispatch(&f.area.run, &f.bus), 0);
    ck_assert_int_eq(f.rec.kind[0], 'w');
    ck_assert_uint_eq(f.rec.off[0], 8);
    ck_assert_uint_eq(f.rec.val[0], 0xcafef00d);
    f.area.run.mmio.is_write = 0;
    f.area.run.mmio.len = 8;
    f.area.run.mmio.phys_addr = 0xfe000000;
    ck_assert_int_eq(kvm_mmio_dispatch(&f.area.run, &f.bus), 0);
    uint64_t r;
    memcpy(&r, f.area.run.mmio.data, 8);
    ck_assert_uint_eq(r, 0x11);
    ck_assert_uint_eq(f.rec.size[1], 8);
    f.area.run.mmio.phys_addr = 0xfd000000; /* nothing there */
    f.area.run.mmio.len = 2;
    ck_assert_int_eq(kvm_mmio_dispatch(&f.area.run, &f.bus), 0);
    memcpy(&r, f.area.run.mmio.data, 8);
    ck_assert_uint_eq(r & 0xffff, 0xffff);
    f.area.run.mmio.len = 0;
    ck_assert_int_eq(kvm_mmio_dispatch(&f.area.run, &f.bus), -1);
    f.area.run.mmio.len = 9;
    ck_assert_int_eq(kvm_mmio_dispatch(&f.area.run, &f.bus), -1);
    ck_assert_uint_eq(f.rec.n, 2);
    bus_destroy(&f.bus);
}
END_TEST

/* ---- register dump ------------------------------------------------------------ */

static char *dump(const struct kvm_regs *r, const struct kvm_sregs *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    kvm_dump_state(r, s, f);
    fclose(f);
    return buf;
}

START_TEST(dump_names_the_cpu_mode)
{
    static const struct {
        uint64_t cr0, efer;
        uint8_t l, db, dpl;
        const char *first;
    } cases[] = {
#define DUMP_MODE(cr0, efer, l, db, dpl, first) {cr0, efer, l, db, dpl, first},
#include "dump_cases.inc"
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct kvm_regs r = {0};
        struct kvm_sregs s = {0};
        s.cr0 = cases[i].cr0;
        s.efer = cases[i].efer;
        s.cs.l = cases[i].l;
        s.cs.db = cases[i].db;
        s.cs.dpl = cases[i].dpl;
        char *out = dump(&r, &s);
        ck_assert_msg(strncmp(out, cases[i].first, strlen(cases[i].first)) == 0,
                      "case %zu: got '%.60s'", i, out);
        free(out);
    }
}
END_TEST

START_TEST(dump_decodes_rflags)
{
    static const struct {
        uint64_t rflags;
        const char *text;
    } cases[] = {
#define DUMP_FLAGS(fl, text) {fl, text},
#include "flags_cases.inc"
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct kvm_regs r = {.rflags = cases[i].rflags};
        struct kvm_sregs s = {0};
        char *out = dump(&r, &s);
        ck_assert_msg(strstr(out, cases[i].text) != NULL, "case %zu: no '%s' in\n%s", i,
                      cases[i].text, out);
        free(out);
    }
}
END_TEST

START_TEST(dump_shows_every_register)
{
    struct kvm_regs r = {
        .rax = 0x1111, .rbx = 0x2222, .r15 = 0xf15f15, .rip = 0x100abb, .rsp = 0x9f000};
    struct kvm_sregs s = {0};
    s.cs = (struct kvm_segment){.selector = 0x2b,
                                .limit = 0xffffffff,
                                .type = 0xb,
                                .present = 1,
                                .dpl = 3,
                                .s = 1,
                                .l = 1,
                                .g = 1};
    s.ldt.unusable = 1;
    s.cr0 = 0x80010033;
    s.cr3 = 0x10000;
    s.cr4 = 0x620;
    s.efer = 0x500;
    s.gdt.base = 0x1000;
    s.gdt.limit = 0x3f;
    char *out = dump(&r, &s);
    static const char *const want[] = {
        "rax 0000000000001111 rbx 0000000000002222",
        "r15 0000000000f15f15",
        "rip 0000000000100abb ",
        "rsp 000000000009f000",
        "cs  sel=002b base=0000000000000000 limit=ffffffff type=b s=1 dpl=3 p=1 db=0 l=1 g=1\n",
        "ldt sel=0000 base=0000000000000000 limit=00000000 type=0 s=0 dpl=0 p=0 db=0 l=0 g=0 "
        "unusable",
        "gdt base=0000000000001000 limit=003f",
        "cr0 0000000080010033",
        "cr3 0000000000010000 cr4 0000000000000620",
        "efer 0000000000000500",
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        ck_assert_msg(strstr(out, want[i]) != NULL, "no '%s' in\n%s", want[i], out);
    free(out);
}
END_TEST

START_TEST(state_from_boot_copies_registers_and_segments)
{
    struct x86_boot_state st;
    memset(&st, 0, sizeof(st));
    st.rdi = 0x3000;
    st.rsp = 0x9f000;
    st.rip = 0x100000;
    st.rflags = 0x3002;
    st.r15 = 15;
    st.cr0 = 0x80010033;
    st.cr3 = 0x10000;
    st.cr4 = 0x620;
    st.efer = 0x500;
    st.cs = (struct x86_segment){.base = 0,
                                 .limit = 0xffffffff,
                                 .selector = 0x2b,
                                 .type = 0xb,
                                 .present = 1,
                                 .dpl = 3,
                                 .s = 1,
                                 .l = 1,
                                 .g = 1};
    st.tr = (struct x86_segment){
        .base = 0x2000, .limit = 0x67, .selector = 0x30, .type = 0xb, .present = 1};
    st.ldt.unusable = 1;
    st.gdt = (struct x86_dtable){0x1000, 0x3f};
    st.idt = (struct x86_dtable){0, 0};
    struct kvm_regs r;
    struct kvm_sregs s;
    memset(&s, 0xaa, sizeof(s));
    s.apic_base = 0xfee00900;
    kvm_state_from_boot(&st, &r, &s);
    ck_assert_uint_eq(r.rdi, 0x3000);
    ck_assert_uint_eq(r.rsp, 0x9f000);
    ck_assert_uint_eq(r.rip, 0x100000);
    ck_assert_uint_eq(r.rflags, 0x3002);
    ck_assert_uint_eq(r.r15, 15);
    ck_assert_uint_eq(s.cs.selector, 0x2b);
    ck_assert_uint_eq(s.cs.dpl, 3);
    ck_assert_uint_eq(s.cs.l, 1);
    ck_assert_uint_eq(s.cs.limit, 0xffffffff);
    ck_assert_uint_eq(s.tr.base, 0x2000);
    ck_assert_uint_eq(s.tr.type, 0xb);
    ck_assert_uint_eq(s.ldt.unusable, 1);
    ck_assert_uint_eq(s.gdt.base, 0x1000);
    ck_assert_uint_eq(s.gdt.limit, 0x3f);
    ck_assert_uint_eq(s.cr0, 0x80010033);
    ck_assert_uint_eq(s.cr3, 0x10000);
    ck_assert_uint_eq(s.efer, 0x500);
    ck_assert_uint_eq(s.cr8, 0);
    ck_assert_uint_eq(s.interrupt_bitmap[0], 0);
    ck_assert_uint_eq(s.apic_base, 0xfee00900); /* KVM's own value kept */
}
END_TEST

START_TEST(exit_names_known_and_unknown)
{
    char buf[32];
    ck_assert_str_eq(kvm_exit_name(KVM_EXIT_IO, buf, sizeof(buf)), "io");
    ck_assert_str_eq(kvm_exit_name(KVM_EXIT_SHUTDOWN, buf, sizeof(buf)), "shutdown");
    ck_assert_str_eq(kvm_exit_name(KVM_EXIT_INTERNAL_ERROR, buf, sizeof(buf)), "internal_error");
    ck_assert_str_eq(kvm_exit_name(999, buf, sizeof(buf)), "exit-999");
}
END_TEST

static Suite *kvm_suite(void)
{
    Suite *s = suite_create("kvm");
    TCase *t = tcase_create("detect");
    tcase_add_test(t, probe_missing_device_says_no_kvm);
    tcase_add_test(t, probe_path_comes_from_environment);
    tcase_add_test(t, probe_default_path_is_dev_kvm);
    tcase_add_test(t, probe_permission_denied_says_how_to_fix);
    tcase_add_test(t, probe_permission_group_node_names_its_group);
    tcase_add_test(t, probe_other_open_error_names_it);
    tcase_add_test(t, probe_regular_file_is_not_a_kvm_device);
    tcase_add_test(t, probe_fd_accepts_api_12_with_every_cap);
    tcase_add_test(t, probe_fd_rejects_other_api_versions);
    tcase_add_test(t, probe_fd_names_the_missing_cap);
    tcase_add_test(t, probe_fd_checks_every_required_cap_in_order);
    tcase_add_test(t, probe_fd_requires_the_caps_the_engine_uses);
    tcase_add_test(t, probe_fd_wants_a_slot_per_ram_region);
    tcase_add_test(t, probe_status_names_follow_the_table);
    tcase_add_test(t, host_info_prints_flags_as_information);
    suite_add_tcase(s, t);
    t = tcase_create("dispatch");
    tcase_add_test(t, io_rep_out_delivers_every_item);
    tcase_add_test(t, io_rep_in_fills_every_item);
    tcase_add_test(t, io_in_from_nothing_reads_all_ones);
    tcase_add_test(t, io_stops_when_the_machine_stops);
    tcase_add_test(t, io_refuses_malformed_exits);
    tcase_add_test(t, mmio_reads_and_writes_reach_the_bus);
    suite_add_tcase(s, t);
    t = tcase_create("state");
    tcase_add_test(t, dump_names_the_cpu_mode);
    tcase_add_test(t, dump_decodes_rflags);
    tcase_add_test(t, dump_shows_every_register);
    tcase_add_test(t, state_from_boot_copies_registers_and_segments);
    tcase_add_test(t, exit_names_known_and_unknown);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *r = srunner_create(kvm_suite());
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
