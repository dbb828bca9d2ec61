/* `ferry vm`'s driver: build the pc machine, load the guest, pick the engine
 * from the table (vm_engine.h; --accel=auto: vm_auto.c), run it, and turn the
 * machine's final state into the process exit status.
 * The serial terminal (stdio on a tty) is put in non-canonical, no-echo mode
 * for the run, keeping Ctrl-C as a signal, and restored afterwards. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "machine/pc.h"
#include "vm_auto.h"
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

/* ---- the engine table ------------------------------------------------------- */

#ifdef FERRY_HAVE_VM_TCG
#define VM_TCG_ENGINE (&vm_engine_tcg)
#else
#define VM_TCG_ENGINE NULL
#endif

const struct vm_engine *vm_engine_lookup(enum vm_accel a, char *why, size_t whylen)
{
    if (whylen)
        why[0] = 0;
    if (a == VM_ACCEL_KVM)
        return &vm_engine_kvm;
    if (a == VM_ACCEL_TCG) {
        const struct vm_engine *e = VM_TCG_ENGINE;
        if (!e)
            snprintf(why, whylen, "%s", tcg_missing);
        return e;
    }
    snprintf(why, whylen, "no engine called %s", vm_accel_name(a));
    return NULL;
}

const struct vm_engine *vm_engine_usable(enum vm_accel a, const struct vm_engine_options *o,
                                         char *why, size_t whylen)
{
    const struct vm_engine *e = vm_engine_lookup(a, why, whylen);
    if (e && e->probe(o, why, whylen) != 0)
        return NULL;
    return e;
}

void vm_stats_count_exit(struct vm_engine_stats *s, const char *name, uint64_t n)
{
    for (unsigned i = 0; i < s->nexit_kinds; i++)
        if (strcmp(s->exit_kind[i].name, name) == 0) {
            s->exit_kind[i].count += n;
            return;
        }
    if (s->nexit_kinds < VM_ENGINE_MAX_EXIT_KINDS) {
        s->exit_kind[s->nexit_kinds].name = name;
        s->exit_kind[s->nexit_kinds++].count = n;
        return;
    }
    /* Full: the last slot becomes the catch-all. */
    s->exit_kind[VM_ENGINE_MAX_EXIT_KINDS - 1].name = "other";
    s->exit_kind[VM_ENGINE_MAX_EXIT_KINDS - 1].count += n;
}

/* The engine --accel names, usable here, or NULL with the reason printed. */
static const struct vm_engine *vm_choose_engine(const struct vm_options *o,
                                                const struct vm_engine_options *eo, unsigned ring)
{
    char why[1200];
    enum vm_accel a = o->accel;
    if (a == VM_ACCEL_AUTO) {
        a = vm_auto_choose(eo, ring, why, sizeof(why));
        if (a == VM_ACCEL_AUTO) {
            fprintf(stderr, "ferry vm: %s\n", why);
            return NULL;
        }
        fprintf(stderr, "ferry vm: --accel=auto chose %s: %s\n", vm_accel_name(a), why);
    }
    const struct vm_engine *e = vm_engine_usable(a, eo, why, sizeof(why));
    if (!e)
        fprintf(stderr, "ferry vm: --accel=%s: %s\n", vm_accel_name(a), why);
    return e;
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
    struct vm_engine_options eo = {
        .stats = o->stats,
        .catch_signals = true,
        .error_status = VM_STATUS_VCPU_ERROR,
        .abort_hook = tty_restore,
        .kvm_dev = o->kvm_dev,
        .backend = o->backend,
        .one_insn_per_tb = o->one_insn_per_tb,
    };
    /* An engine that is not built is reported before anything else. */
    char err[1200];
    if (o->accel == VM_ACCEL_TCG && !vm_engine_lookup(VM_ACCEL_TCG, err, sizeof(err))) {
        fprintf(stderr,
                "ferry vm: --accel=tcg: %s; use --accel=kvm (or auto) where KVM is usable\n", err);
        return VM_STATUS_CANNOT_RUN;
    }
    /* The machine and the image first: a bad image is reported as such on
     * every host, before any engine is chosen or vCPU created. */
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
    int status = VM_STATUS_CANNOT_RUN;
    struct pc_boot_options bo = {.entry_ring = o->entry_ring, .cmdline = o->cmdline};
    struct x86_boot_state st;
    if (pc_load(pc, o->image, &bo, &st, err, sizeof(err)) != 0) {
        fprintf(stderr, "ferry vm: %s\n", err);
        goto out;
    }
    const struct vm_engine *e = vm_choose_engine(o, &eo, st.cpl);
    if (!e)
        goto out;
    bool serial_stdio = !o->serial || strcmp(o->serial, "stdio") == 0;
    if (serial_stdio)
        tty_raw();
    struct vm_engine_stats stats;
    int r = e->run(pc, &st, &eo, &stats, err, sizeof(err));
    tty_restore();
    if (r < 0 && machine_running(&pc->status)) {
        /* setup failed: the machine never ran */
        fprintf(stderr, "ferry vm: %s\n", err);
        goto out;
    }
    status = pc->status.exit_code;
    if (pc->status.state == MACHINE_interrupted)
        fprintf(stderr, "ferry vm: stopped by %s\n", strsignal((int)pc->status.value));
    if (o->stats) {
        print_end(pc, stderr);
        if (e->print_stats)
            e->print_stats(&stats, stderr);
        timestamp_print(&pc->ts, stderr); /* start_ns = guest entry (set by the engine) */
        fprintf(stderr, "ferry vm: %s: %.3f ms from the start of `ferry vm` to the end of the run\n",
                e->name, (double)(now_ns() - t_start) / 1e6);
    }
out:
    pc_destroy(pc);
    free(pc);
    return status;
}
