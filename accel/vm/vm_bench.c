/* `ferry bench`: the same guest on each engine, N runs each, interleaved
 * (run 1 on every engine, then run 2, ...) so that load drifting over the
 * benchmark hits every engine alike.  Each run is a fresh pc machine in this
 * process; the guest's serial output goes to a memfd and is compared across
 * all runs, then printed once.  One table (or JSON) at the end. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "machine/pc.h"
#include "vm_bench.h"
#include "vm_run.h"

#define BENCH_MAX_MARKS 32     /* phase markers kept per run */
#define BENCH_SHOW_LINES 20    /* guest output lines shown in the table view */
#define BENCH_SHOW_PHASES 8    /* phase columns in the table view */

static const char *const engine_names[VM_BENCH_NENGINES] = {"kvm", "tcg-jit", "tcg-interp"};

const char *vm_bench_engine_name(enum vm_bench_engine e)
{
    return (unsigned)e < VM_BENCH_NENGINES ? engine_names[e] : "?";
}

int vm_bench_parse_engines(const char *list, bool sel[VM_BENCH_NENGINES], char *err,
                           size_t errlen)
{
    for (unsigned i = 0; i < VM_BENCH_NENGINES; i++)
        sel[i] = false;
    const char *p = list;
    bool any = false;
    while (*p) {
        size_t n = strcspn(p, ",");
        bool found = false;
        for (unsigned i = 0; i < VM_BENCH_NENGINES; i++)
            if (strlen(engine_names[i]) == n && strncmp(p, engine_names[i], n) == 0)
                sel[i] = found = true;
        if (n == 3 && strncmp(p, "tcg", 3) == 0)
            sel[VM_BENCH_TCG_JIT] = sel[VM_BENCH_TCG_INTERP] = found = true;
        if (n == 3 && strncmp(p, "all", 3) == 0) {
            for (unsigned i = 0; i < VM_BENCH_NENGINES; i++)
                sel[i] = true;
            found = true;
        }
        if (!found) {
            snprintf(err, errlen, "unknown engine '%.*s' (kvm, tcg-jit, tcg-interp, tcg, all)",
                     (int)n, p);
            return -1;
        }
        any = true;
        p += n;
        if (*p == ',')
            p++;
    }
    if (!any) {
        snprintf(err, errlen, "no engine named");
        return -1;
    }
    return 0;
}

/* ---- one run ------------------------------------------------------------------- */

struct bench_run {
    bool ok;            /* the engine ran and the machine stopped without error */
    double wall_ms;     /* machine creation + load + engine setup + run */
    double guest_ms;    /* the engine's run_ns: guest entry to the end */
    enum machine_state state;
    int exit_code;
    uint64_t value;
    unsigned nmarks;
    uint32_t mark_id[BENCH_MAX_MARKS];
    double mark_ms[BENCH_MAX_MARKS]; /* since the previous marker (the first: guest entry) */
    char *out;          /* serial output */
    size_t outlen;
    struct vm_engine_stats stats;
};

struct bench_engine {
    enum vm_bench_engine id;
    const struct vm_engine *e;
    struct vm_engine_options eo;
    bool selected, available;
    char why[1024];     /* not available: why */
    struct bench_run *run;
    unsigned nrun;      /* runs done */
    unsigned nfailed;
    bool disagrees;
};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int read_memfd(int fd, char **out, size_t *len)
{
    off_t size = lseek(fd, 0, SEEK_END);
    if (size < 0)
        return -1;
    char *buf = malloc((size_t)size + 1);
    if (!buf)
        return -1;
    size_t got = 0;
    while (got < (size_t)size) {
        ssize_t r = pread(fd, buf + got, (size_t)size - got, (off_t)got);
        if (r <= 0) {
            if (r < 0 && errno == EINTR)
                continue;
            break;
        }
        got += (size_t)r;
    }
    buf[got] = 0;
    *out = buf;
    *len = got;
    return 0;
}

/* One run of the guest on engine b.  Returns 0, or -1 when the machine could
 * not be set up (bad image: the benchmark stops). */
static int bench_one(const struct vm_bench_options *o, struct bench_engine *b, int memfd,
                     struct bench_run *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof(*r));
    if (ftruncate(memfd, 0) != 0 || lseek(memfd, 0, SEEK_SET) != 0) {
        snprintf(err, errlen, "cannot reset the output buffer: %s", strerror(errno));
        return -1;
    }
    uint64_t t0 = now_ns();
    struct pc_machine *pc = calloc(1, sizeof(*pc));
    if (!pc) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    struct pc_config cfg = {.ram_size = o->ram_size, .serial = "none"};
    if (pc_init(pc, &cfg, err, errlen) != 0) {
        free(pc);
        return -1;
    }
    pc->com1.out_fd = memfd; /* not owned: the benchmark reads it back */
    pc->com1.out_owned = false;
    int status = -1;
    struct pc_boot_options bo = {.entry_ring = o->entry_ring, .cmdline = o->cmdline};
    struct x86_boot_state st;
    if (pc_load(pc, o->image, &bo, &st, err, errlen) != 0)
        goto out;
    char msg[1024];
    int rr = b->e->run(pc, &st, &b->eo, &r->stats, msg, sizeof(msg));
    uint64_t t1 = now_ns();
    status = 0;
    if (rr != 0 && machine_running(&pc->status)) {
        fprintf(stderr, "ferry bench: %s: %s\n", vm_bench_engine_name(b->id), msg);
        r->state = MACHINE_error;
    } else {
        r->state = pc->status.state;
    }
    r->ok = rr == 0 && r->state != MACHINE_error && r->state != MACHINE_interrupted &&
            r->state != MACHINE_running;
    r->exit_code = pc->status.exit_code;
    r->value = pc->status.value;
    r->wall_ms = (double)(t1 - t0) / 1e6;
    r->guest_ms = (double)r->stats.run_ns / 1e6;
    const struct timestamp_dev *ts = &pc->ts;
    uint64_t prev = ts->start_ns;
    for (unsigned i = 0; i < ts->count && i < BENCH_MAX_MARKS; i++) {
        r->mark_id[i] = ts->mark[i].id;
        r->mark_ms[i] = ts->mark[i].ns >= prev ? (double)(ts->mark[i].ns - prev) / 1e6 : 0;
        prev = ts->mark[i].ns;
        r->nmarks = i + 1;
    }
out:
    pc_destroy(pc); /* flushes the UART into memfd */
    free(pc);
    if (status == 0 && read_memfd(memfd, &r->out, &r->outlen) != 0) {
        snprintf(err, errlen, "cannot read the guest's output back: %s", strerror(errno));
        return -1;
    }
    return status;
}

/* ---- statistics ------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

struct summary {
    double median, min, max;
    unsigned n;
};

static struct summary summarize(const double *v, unsigned n)
{
    struct summary s = {0, 0, 0, n};
    if (!n)
        return s;
    double *t = malloc(n * sizeof(*t));
    if (!t)
        return s;
    memcpy(t, v, n * sizeof(*t));
    qsort(t, n, sizeof(*t), cmp_double);
    s.min = t[0];
    s.max = t[n - 1];
    s.median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
    free(t);
    return s;
}

/* Summary of field f (selected by which: 0 wall, 1 guest, 2+k phase k) over
 * the engine's good runs. */
static struct summary engine_summary(const struct bench_engine *b, int which)
{
    double v[VM_BENCH_RUNS_MAX];
    unsigned n = 0;
    for (unsigned i = 0; i < b->nrun; i++) {
        const struct bench_run *r = &b->run[i];
        if (!r->ok)
            continue;
        if (which == 0)
            v[n++] = r->wall_ms;
        else if (which == 1)
            v[n++] = r->guest_ms;
        else if ((unsigned)(which - 2) < r->nmarks)
            v[n++] = r->mark_ms[which - 2];
    }
    return summarize(v, n);
}

static const struct bench_run *first_good(const struct bench_engine *b)
{
    for (unsigned i = 0; i < b->nrun; i++)
        if (b->run[i].ok)
            return &b->run[i];
    return NULL;
}

static uint64_t fnv1a64(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (uint8_t)p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* ---- agreement ---------------------------------------------------------------------- */

static void show_bytes(const char *p, size_t n, size_t at, FILE *f)
{
    fputc('"', f);
    for (size_t i = at; i < n && i < at + 24; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\n')
            fputs("\\n", f);
        else if (c < 32 || c >= 127 || c == '"' || c == '\\')
            fprintf(f, "\\x%02x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* Compare run r of engine b with the reference run; loud on a difference. */
static bool check_agrees(const struct bench_engine *b, unsigned ri, const struct bench_run *ref,
                         const char *ref_name, unsigned ref_i)
{
    const struct bench_run *r = &b->run[ri];
    bool same_out = r->outlen == ref->outlen && memcmp(r->out, ref->out, r->outlen) == 0;
    bool same_end = r->state == ref->state && r->exit_code == ref->exit_code;
    if (same_out && same_end)
        return true;
    fprintf(stderr, "ferry bench: DISAGREEMENT: %s run %u differs from %s run %u:\n",
            vm_bench_engine_name(b->id), ri + 1, ref_name, ref_i + 1);
    if (!same_end)
        fprintf(stderr, "  end: machine %s, exit status %d  vs  machine %s, exit status %d\n",
                machine_state_name(r->state), r->exit_code, machine_state_name(ref->state),
                ref->exit_code);
    if (!same_out) {
        size_t at = 0;
        while (at < r->outlen && at < ref->outlen && r->out[at] == ref->out[at])
            at++;
        fprintf(stderr, "  output: %zu vs %zu bytes, first difference at byte %zu: ", r->outlen,
                ref->outlen, at);
        show_bytes(r->out, r->outlen, at, stderr);
        fputs("  vs  ", stderr);
        show_bytes(ref->out, ref->outlen, at, stderr);
        fputc('\n', stderr);
    }
    return false;
}

/* ---- the table ------------------------------------------------------------------------ */

static unsigned phase_count(const struct bench_engine *eng)
{
    unsigned n = 0;
    for (unsigned i = 0; i < VM_BENCH_NENGINES; i++) {
        const struct bench_run *r = first_good(&eng[i]);
        if (r && r->nmarks > n)
            n = r->nmarks;
    }
    return n;
}

/* "254 (io 110, chain 231)": the total, then the reasons seen. */
static void exits_text(const struct vm_engine_stats *s, char *buf, size_t len)
{
    size_t n = (size_t)snprintf(buf, len, "%llu", (unsigned long long)s->exits);
    unsigned shown = 0;
    for (unsigned i = 0; i < s->nexit_kinds && n < len; i++)
        if (s->exit_kind[i].count)
            n += (size_t)snprintf(buf + n, len - n, "%s%s %llu", shown++ ? ", " : " (",
                                  s->exit_kind[i].name, (unsigned long long)s->exit_kind[i].count);
    if (shown && n < len)
        snprintf(buf + n, len - n, ")");
}

static void print_output_once(const struct bench_run *ref, unsigned nruns, FILE *f)
{
    fprintf(f, "guest output (%zu bytes, fnv1a64 %016llx), the same in all %u runs; machine %s, "
               "exit status %d:\n",
            ref->outlen, (unsigned long long)fnv1a64(ref->out, ref->outlen), nruns,
            machine_state_name(ref->state), ref->exit_code);
    unsigned lines = 0;
    const char *p = ref->out, *end = ref->out + ref->outlen;
    while (p < end && lines < BENCH_SHOW_LINES) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        fprintf(f, "  | %.*s\n", (int)n, p);
        p += n + (nl ? 1 : 0);
        lines++;
    }
    unsigned more = 0;
    for (const char *q = p; q < end; q++)
        more += *q == '\n';
    if (p < end)
        fprintf(f, "  | ... (%u more lines)\n", more + (end[-1] != '\n'));
}

static void print_table(const struct vm_bench_options *o, struct bench_engine *eng, FILE *f)
{
    unsigned nph = phase_count(eng);
    unsigned show = nph < BENCH_SHOW_PHASES ? nph : BENCH_SHOW_PHASES;
    const struct bench_engine *kvm = &eng[VM_BENCH_KVM];
    struct summary kw = engine_summary(kvm, 0), kg = engine_summary(kvm, 1);
    fprintf(f, "\n%-11s %9s %9s %9s %9s", "engine", "wall ms", "min", "max", "guest ms");
    for (unsigned k = 0; k < show; k++) {
        char h[16];
        snprintf(h, sizeof(h), "phase %u", k + 1);
        fprintf(f, " %9s", h);
    }
    fprintf(f, " %8s %11s %9s %9s  %s\n", "blocks", "code bytes", "wall/kvm", "guest/kvm",
            "exits (by reason)");
    for (unsigned i = 0; i < VM_BENCH_NENGINES; i++) {
        struct bench_engine *b = &eng[i];
        if (!b->selected)
            continue;
        const char *name = vm_bench_engine_name(b->id);
        if (!b->available) {
            fprintf(f, "%-11s not available: %s\n", name, b->why);
            continue;
        }
        const struct bench_run *r = first_good(b);
        if (!r) {
            fprintf(f, "%-11s every run failed (see the messages above)\n", name);
            continue;
        }
        struct summary w = engine_summary(b, 0), g = engine_summary(b, 1);
        fprintf(f, "%-11s %9.3f %9.3f %9.3f %9.3f", name, w.median, w.min, w.max, g.median);
        for (unsigned k = 0; k < show; k++) {
            struct summary p = engine_summary(b, 2 + (int)k);
            if (p.n)
                fprintf(f, " %9.3f", p.median);
            else
                fprintf(f, " %9s", "-");
        }
        char blocks[24] = "-", code[24] = "-", rw[16] = "-", rg[16] = "-";
        if (b->id != VM_BENCH_KVM) {
            snprintf(blocks, sizeof(blocks), "%llu", (unsigned long long)r->stats.blocks_translated);
            snprintf(code, sizeof(code), "%llu", (unsigned long long)r->stats.code_bytes);
            if (kw.n && kw.median > 0)
                snprintf(rw, sizeof(rw), "%.2fx", w.median / kw.median);
            if (kg.n && kg.median > 0)
                snprintf(rg, sizeof(rg), "%.2fx", g.median / kg.median);
        }
        char ex[512];
        exits_text(&r->stats, ex, sizeof(ex));
        fprintf(f, " %8s %11s %9s %9s  %s", blocks, code, rw, rg, ex);
        if (b->nfailed)
            fprintf(f, "  [%u of %u runs failed]", b->nfailed, b->nrun);
        if (b->disagrees)
            fprintf(f, "  [DISAGREES]");
        fputc('\n', f);
    }
    fprintf(f, "\nwall: machine creation, load, engine setup and run (median, min, max of %u "
               "runs); guest: from the first guest instruction; phase k: ms from marker k-1 "
               "(guest entry for k=1) to marker k (port %#x), median",
            o->runs, TIMESTAMP_BASE);
    if (nph > show)
        fprintf(f, " (%u more phases in --json)", nph - show);
    fprintf(f, "; x/kvm: TCG time over KVM time (above 1: slower than KVM).\n");
}

/* ---- JSON ----------------------------------------------------------------------------- */

static void json_str(const char *s, size_t n, FILE *f)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c < 32 || c >= 127)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void json_summary(const char *key, struct summary s, FILE *f)
{
    fprintf(f, "\"%s\": {\"median\": %.6f, \"min\": %.6f, \"max\": %.6f, \"n\": %u}", key,
            s.median, s.min, s.max, s.n);
}

static void print_json(const struct vm_bench_options *o, struct bench_engine *eng,
                       const struct bench_run *ref, bool agree, FILE *f)
{
    fprintf(f, "{\n  \"image\": ");
    json_str(o->image, strlen(o->image), f);
    fprintf(f, ",\n  \"cmdline\": ");
    json_str(o->cmdline ? o->cmdline : "", o->cmdline ? strlen(o->cmdline) : 0, f);
    fprintf(f, ",\n  \"entry_ring\": %u,\n  \"runs\": %u,\n  \"agree\": %s,\n", o->entry_ring,
            o->runs, agree ? "true" : "false");
    if (ref) {
        fprintf(f, "  \"output\": {\"bytes\": %zu, \"fnv1a64\": \"%016llx\", \"end\": \"%s\", "
                   "\"exit_status\": %d, \"text\": ",
                ref->outlen, (unsigned long long)fnv1a64(ref->out, ref->outlen),
                machine_state_name(ref->state), ref->exit_code);
        json_str(ref->out, ref->outlen, f);
        fprintf(f, "},\n");
    } else {
        fprintf(f, "  \"output\": null,\n");
    }
    const struct bench_engine *kvm = &eng[VM_BENCH_KVM];
    struct summary kw = engine_summary(kvm, 0), kg = engine_summary(kvm, 1);
    fprintf(f, "  \"engines\": [");
    bool first = true;
    for (unsigned i = 0; i < VM_BENCH_NENGINES; i++) {
        struct bench_engine *b = &eng[i];
        if (!b->selected)
            continue;
        fprintf(f, "%s\n    {\"name\": \"%s\", \"available\": %s", first ? "" : ",",
                vm_bench_engine_name(b->id), b->available ? "true" : "false");
        first = false;
        if (!b->available) {
            fprintf(f, ", \"reason\": ");
            json_str(b->why, strlen(b->why), f);
            fprintf(f, "}");
            continue;
        }
        fprintf(f, ", \"runs_done\": %u, \"runs_failed\": %u, \"agree\": %s,\n     ", b->nrun,
                b->nfailed, b->disagrees ? "false" : "true");
        struct summary w = engine_summary(b, 0), g = engine_summary(b, 1);
        json_summary("wall_ms", w, f);
        fprintf(f, ", ");
        json_summary("guest_ms", g, f);
        fprintf(f, ",\n     \"phases_ms\": [");
        const struct bench_run *r = first_good(b);
        for (unsigned k = 0; r && k < r->nmarks; k++) {
            struct summary p = engine_summary(b, 2 + (int)k);
            fprintf(f, "%s{\"marker\": %u, \"median\": %.6f}", k ? ", " : "", r->mark_id[k],
                    p.median);
        }
        fprintf(f, "],\n     \"wall_runs_ms\": [");
        for (unsigned k = 0; k < b->nrun; k++)
            fprintf(f, "%s%.6f", k ? ", " : "", b->run[k].wall_ms);
        fprintf(f, "],\n     \"exits\": %llu, \"exits_by_reason\": {",
                r ? (unsigned long long)r->stats.exits : 0ull);
        for (unsigned k = 0; r && k < r->stats.nexit_kinds; k++)
            fprintf(f, "%s\"%s\": %llu", k ? ", " : "", r->stats.exit_kind[k].name,
                    (unsigned long long)r->stats.exit_kind[k].count);
        fprintf(f, "},\n     \"blocks_translated\": %llu, \"code_bytes\": %llu, "
                   "\"guest_insns\": %llu, \"tlb_misses\": %llu",
                r ? (unsigned long long)r->stats.blocks_translated : 0ull,
                r ? (unsigned long long)r->stats.code_bytes : 0ull,
                r ? (unsigned long long)r->stats.guest_insns : 0ull,
                r ? (unsigned long long)r->stats.tlb_misses : 0ull);
        if (b->id != VM_BENCH_KVM && kw.n && kw.median > 0 && w.n)
            fprintf(f, ", \"wall_ratio_vs_kvm\": %.6f", w.median / kw.median);
        else
            fprintf(f, ", \"wall_ratio_vs_kvm\": null");
        if (b->id != VM_BENCH_KVM && kg.n && kg.median > 0 && g.n)
            fprintf(f, ", \"guest_ratio_vs_kvm\": %.6f", g.median / kg.median);
        else
            fprintf(f, ", \"guest_ratio_vs_kvm\": null");
        fprintf(f, "}");
    }
    fprintf(f, "\n  ]\n}\n");
}

/* ---- the benchmark ----------------------------------------------------------------------- */

static void engines_setup(const struct vm_bench_options *o, struct bench_engine *eng)
{
    for (unsigned i = 0; i < VM_BENCH_NENGINES; i++) {
        struct bench_engine *b = &eng[i];
        memset(b, 0, sizeof(*b));
        b->id = (enum vm_bench_engine)i;
        b->selected = o->engine[i];
        b->eo = (struct vm_engine_options){
            .error_status = VM_STATUS_VCPU_ERROR,
            .kvm_dev = o->kvm_dev,
            .backend = i == VM_BENCH_TCG_INTERP ? "interp" : "jit",
            .one_insn_per_tb = o->one_insn_per_tb,
            /* Every engine fills vm_engine_stats anyway; with stats it would
             * also print its own lines after each run. */
            .stats = false,
        };
        if (!b->selected)
            continue;
        b->e = vm_engine_usable(i == VM_BENCH_KVM ? VM_ACCEL_KVM : VM_ACCEL_TCG, &b->eo, b->why,
                                sizeof(b->why));
        b->available = b->e != NULL;
        if (b->available) {
            b->run = calloc(o->runs, sizeof(*b->run));
            if (!b->run) {
                snprintf(b->why, sizeof(b->why), "out of memory");
                b->available = false;
            }
        }
    }
}

static void engines_free(struct bench_engine *eng)
{
    for (unsigned i = 0; i < VM_BENCH_NENGINES; i++) {
        for (unsigned k = 0; k < eng[i].nrun; k++)
            free(eng[i].run[k].out);
        free(eng[i].run);
    }
}

int vm_bench_run(const struct vm_bench_options *opt, FILE *out)
{
    struct vm_bench_options o = *opt;
    if (!o.runs)
        o.runs = VM_BENCH_RUNS_DEFAULT;
    if (o.runs > VM_BENCH_RUNS_MAX)
        o.runs = VM_BENCH_RUNS_MAX;
    struct bench_engine eng[VM_BENCH_NENGINES];
    engines_setup(&o, eng);
    int memfd = memfd_create("ferry-bench-serial", MFD_CLOEXEC);
    if (memfd < 0) {
        fprintf(stderr, "ferry bench: memfd_create: %s\n", strerror(errno));
        engines_free(eng);
        return VM_STATUS_CANNOT_RUN;
    }
    unsigned runnable = 0;
    for (unsigned i = 0; i < VM_BENCH_NENGINES; i++)
        runnable += eng[i].available;
    if (!o.json) {
        fprintf(out, "ferry bench: %s%s%s: %u runs per engine, interleaved\n", o.image,
                o.cmdline && *o.cmdline ? " " : "", o.cmdline ? o.cmdline : "", o.runs);
        fflush(out);
    }
    int status = 0;
    char err[1024];
    const struct bench_run *ref = NULL;
    const char *ref_name = NULL;
    unsigned ref_i = 0, total_ok = 0;
    bool agree = true;
    for (unsigned k = 0; k < o.runs && runnable; k++) {
        for (unsigned i = 0; i < VM_BENCH_NENGINES; i++) {
            struct bench_engine *b = &eng[i];
            if (!b->available)
                continue;
            struct bench_run *r = &b->run[b->nrun];
            if (bench_one(&o, b, memfd, r, err, sizeof(err)) != 0) {
                fprintf(stderr, "ferry bench: %s\n", err);
                status = VM_STATUS_CANNOT_RUN;
                goto done;
            }
            b->nrun++;
            if (!r->ok) {
                b->nfailed++;
                fprintf(stderr, "ferry bench: %s run %u failed: machine %s (%s)\n",
                        vm_bench_engine_name(b->id), k + 1, machine_state_name(r->state),
                        machine_state_desc(r->state));
                continue;
            }
            total_ok++;
            if (!ref) {
                ref = r;
                ref_name = vm_bench_engine_name(b->id);
                ref_i = k;
            } else if (!check_agrees(b, b->nrun - 1, ref, ref_name, ref_i)) {
                b->disagrees = true;
                agree = false;
            }
        }
    }
done:
    close(memfd);
    if (status == 0) {
        if (o.json) {
            print_json(&o, eng, ref, agree, out);
        } else {
            if (ref && agree)
                print_output_once(ref, total_ok, out);
            print_table(&o, eng, out);
        }
        if (!runnable) {
            fprintf(stderr, "ferry bench: no engine can run here (see the reasons above)\n");
            status = VM_STATUS_CANNOT_RUN;
        } else {
            for (unsigned i = 0; i < VM_BENCH_NENGINES; i++)
                if (eng[i].available && (eng[i].nfailed || eng[i].disagrees))
                    status = 1;
            if (!agree)
                fprintf(stderr, "ferry bench: THE ENGINES DISAGREE: the guest's output or end "
                                "differs between runs (details above)\n");
        }
    }
    engines_free(eng);
    return status;
}
