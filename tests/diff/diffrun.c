/* The differential harness (see diffrun.h): per-engine code buffers and jump
 * caches, one program run on every engine, the field-by-field comparator and
 * the failure report. */
#define _GNU_SOURCE
#include "diffrun.h"

#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DIFF_CODE_SIZE ((size_t)8 << 20)
#define DIFF_LOW_WATER ((size_t)512 << 10) /* flush below this much free space */
#define DIFF_TIMEOUT_S 20                  /* per program; generated programs are tiny */

static const struct {
    const char *name, *engine;
    bool opt;
} runs[DIFF_RUN_COUNT] = {
#define DIFF_RUN(name, engine, opt) {#name, engine, opt},
#include "runs.def"
#undef DIFF_RUN
};

const char *const diff_run_names[DIFF_RUN_COUNT] = {
#define DIFF_RUN(name, engine, opt) #name,
#include "runs.def"
#undef DIFF_RUN
};

static const char *const engine_names[2] = {"interp", "jit"};

/* ---- crash and timeout reporting ------------------------------------------------ */

static char current[160]; /* "seed 0x... profile mixed" of the program being checked */
static const char *volatile stage = "idle";

void diff_set_stage(const char *s) { stage = s; }

static void put(const char *s) { (void)!write(2, s, strlen(s)); }

static void on_fatal(int sig)
{
    put("\ntest_diff: fatal signal ");
    put(sig == SIGALRM ? "SIGALRM (timeout)" : strsignal(sig));
    put(" while checking ");
    put(current);
    put(", stage: ");
    put(stage);
    put("\n  reproduce: build/tests/diff/ferry-diff --seed <seed> --profile <profile> --print"
        " (or --file <repro.fir>)\n");
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_handlers(void)
{
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGALRM, SIGABRT, SIGTRAP};
    for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_fatal;
        sa.sa_flags = SA_NODEFER | SA_RESETHAND;
        sigaction(sigs[i], &sa, NULL);
    }
}

/* ---- engines ---------------------------------------------------------------------- */

static void set_jc(struct jc_entry *e, uint64_t pc, uint64_t flags, const void *host, struct tb *tb)
{
    e->pc = pc;
    e->flags = flags;
    e->host = host;
    e->tb = tb;
}

static void jc_clear(struct jc_entry *jc)
{
    for (unsigned i = 0; i < JC_SIZE; i++)
        set_jc(&jc[i], JC_EMPTY_PC, JC_EMPTY_FLAGS, NULL, NULL);
}

/* The jump cache every run sees: empty but for the landing block at LAND_PC
 * (a hit) and at LAND_MISS_PC with other flags (a miss). */
static void jc_install_landing(struct jc_entry *jc, const void *host, struct tb *tb)
{
    set_jc(&jc[jc_hash(IRGEN_LAND_PC)], IRGEN_LAND_PC, IRGEN_CPU_FLAGS, host, tb);
    set_jc(&jc[jc_hash(IRGEN_LAND_MISS_PC)], IRGEN_LAND_MISS_PC, IRGEN_CPU_FLAGS ^ 0x100, host, tb);
}

static const char *backend_rc_name(int rc)
{
    switch (rc) {
    case BACKEND_OK:
        return "ok";
    case BACKEND_FULL:
        return "full";
    case BACKEND_TOO_BIG:
        return "too big";
    case BACKEND_ERROR:
        return "error";
    default:
        return "unknown result";
    }
}

static int compile_into(struct diff_engine *e, const struct ir_func *f, struct tb *tb)
{
    free(tb->pcmap);
    memset(tb, 0, sizeof(*tb));
    tb->pc = f->pc;
    tb->flags = f->flags;
    int rc = e->be->compile(e->state, &e->cb, f, tb, NULL);
    if (rc != BACKEND_OK) {
        free(tb->pcmap);
        memset(tb, 0, sizeof(*tb));
    }
    return rc;
}

int diff_engine_flush(struct diff_engine *e, const struct ir_func *land)
{
    codebuf_reset(&e->cb);
    free(e->tb.pcmap);
    memset(&e->tb, 0, sizeof(e->tb));
    e->flushes++;
    int rc = compile_into(e, land, &e->land_tb);
    if (rc == BACKEND_OK)
        jc_install_landing(e->jc, e->land_tb.code, &e->land_tb);
    return rc;
}

int diff_engine_init(struct diff_engine *e, const char *name, const struct ir_func *land, char *err,
                     size_t errlen)
{
    memset(e, 0, sizeof(*e));
    e->cb.fd = -1;
    const struct ferry_backend *be = backend_by_name(name);
    if (!be)
        return 0; /* not built on this host: its runs are skipped */
    int r = codebuf_init(&e->cb, DIFF_CODE_SIZE);
    if (r < 0) {
        snprintf(err, errlen, "%s: code buffer: %s", name, strerror(-r));
        return -1;
    }
    e->jc = malloc(JC_SIZE * sizeof(*e->jc));
    e->state = e->jc ? be->create(&e->cb) : NULL;
    if (!e->state) {
        snprintf(err, errlen, "%s: backend create failed", name);
        return -1;
    }
    e->be = be;
    jc_clear(e->jc);
    int rc = diff_engine_flush(e, land);
    if (rc != BACKEND_OK) {
        snprintf(err, errlen, "%s: compiling the landing block: %s", name, backend_rc_name(rc));
        return -1;
    }
    return 0;
}

void diff_engine_fini(struct diff_engine *e)
{
    if (e->be) {
        e->be->destroy(e->state);
        free(e->land_tb.pcmap);
        free(e->tb.pcmap);
    }
    free(e->jc);
    if (e->cb.rw)
        codebuf_fini(&e->cb);
    memset(e, 0, sizeof(*e));
}

int diff_engine_compile(struct diff_engine *e, const struct ir_func *land, const struct ir_func *f,
                        char *err, size_t errlen)
{
    int rc = BACKEND_OK;
    if (codebuf_free(&e->cb) < DIFF_LOW_WATER)
        rc = diff_engine_flush(e, land);
    if (rc == BACKEND_OK)
        rc = compile_into(e, f, &e->tb);
    if (rc == BACKEND_FULL && (rc = diff_engine_flush(e, land)) == BACKEND_OK)
        rc = compile_into(e, f, &e->tb);
    if (rc != BACKEND_OK) {
        snprintf(err, errlen, "compile: %s", backend_rc_name(rc));
        return -1;
    }
    return 0;
}

/* ---- context ------------------------------------------------------------------------ */

int diff_ctx_init(struct diff_ctx *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof(*c));
    c->report = stderr;
    ir_func_init(&c->prog);
    ir_func_init(&c->opt);
    ir_func_init(&c->land);
    if (irgen_register_helpers() < 0) {
        snprintf(err, errlen, "cannot register the test helpers");
        return -1;
    }
    if (irgen_landing(&c->land) < 0) {
        snprintf(err, errlen, "landing block: %s", c->land.errmsg);
        return -1;
    }
    c->init_mem = malloc(IRGEN_MEM_ALLOC);
    if (!c->init_mem) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (unsigned i = 0; i < DIFF_RUN_COUNT; i++)
        if (!(c->res[i].mem = malloc(IRGEN_MEM_ALLOC))) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    if (!(c->ref_jc = malloc(JC_SIZE * sizeof(*c->ref_jc)))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    jc_clear(c->ref_jc);
    jc_install_landing(c->ref_jc, &c->ref_land_tb, &c->ref_land_tb);
    for (unsigned i = 0; i < 2; i++)
        if (diff_engine_init(&c->eng[i], engine_names[i], &c->land, err, errlen) < 0)
            return -1;
    install_handlers();
    return 0;
}

void diff_ctx_fini(struct diff_ctx *c)
{
    for (unsigned i = 0; i < 2; i++)
        diff_engine_fini(&c->eng[i]);
    for (unsigned i = 0; i < DIFF_RUN_COUNT; i++)
        free(c->res[i].mem);
    free(c->init_mem);
    free(c->ref_jc);
    ir_func_free(&c->prog);
    ir_func_free(&c->opt);
    ir_func_free(&c->land);
}

struct diff_case diff_case_of_seed(uint64_t seed, int profile)
{
    struct irgen_rng r = {seed ^ 0xc2b2ae3d27d4eb4full};
    struct diff_case cs = {seed, profile, false, false, false, irgen_mem_base(seed)};
    cs.exit_request = irgen_below(&r, 40) == 0;
    cs.chain = irgen_below(&r, 2) == 0;
    cs.unchain = cs.chain && irgen_below(&r, 4) == 0;
    return cs;
}

int diff_parse_skip(const char *list, uint32_t *mask)
{
    *mask = 0;
    while (list && *list) {
        size_t n = strcspn(list, ",");
        bool found = false;
        for (unsigned i = 1; i < DIFF_RUN_COUNT; i++)
            if ((strlen(runs[i].name) == n && strncmp(runs[i].name, list, n) == 0) ||
                (runs[i].engine && strlen(runs[i].engine) == n &&
                 strncmp(runs[i].engine, list, n) == 0)) {
                *mask |= 1u << i;
                found = true;
            }
        if (!found && n)
            return -1;
        list += n + (list[n] == ',');
    }
    return 0;
}

int diff_case_from_file(const char *path, struct diff_case *cs)
{
    *cs = (struct diff_case){1, -1, false, false, false, 0};
    FILE *in = fopen(path, "r");
    if (!in)
        return -1;
    char line[256];
    while (fgets(line, sizeof(line), in)) {
        unsigned long long v;
        if (sscanf(line, "; diff-state-seed: %llx", &v) == 1)
            cs->seed = v;
        else if (sscanf(line, "; diff-chain: %llu", &v) == 1)
            cs->chain = v != 0;
        else if (sscanf(line, "; diff-mem-base: %llx", &v) == 1)
            cs->mem_base = v;
        else if (sscanf(line, "; diff-unchain: %llu", &v) == 1)
            cs->unchain = v != 0;
        else if (sscanf(line, "; diff-exit-request: %llu", &v) == 1)
            cs->exit_request = v != 0;
    }
    fclose(in);
    return 0;
}

/* ---- comparison ------------------------------------------------------------------------ */

static int differ(char *msg, size_t len, const char *field, uint64_t a, uint64_t b)
{
    snprintf(msg, len, "%s: 0x%" PRIx64 " vs 0x%" PRIx64, field, a, b);
    return 1;
}

int diff_compare(const struct diff_result *a, const struct diff_result *b, char *msg, size_t msglen)
{
    char field[48];
    if (a->bad[0] || b->bad[0]) {
        snprintf(msg, msglen, "broken run: %s", a->bad[0] ? a->bad : b->bad);
        return 1;
    }
    if (a->reason != b->reason) {
        snprintf(msg, msglen, "exit reason: %s vs %s",
                 a->reason < IR_EXIT_COUNT ? ir_exit_names[a->reason] : "(invalid)",
                 b->reason < IR_EXIT_COUNT ? ir_exit_names[b->reason] : "(invalid)");
        return 1;
    }
    const struct irgen_cpu *x = &a->cpu, *y = &b->cpu;
    if (x->head.pc != y->head.pc)
        return differ(msg, msglen, "pc", x->head.pc, y->head.pc);
    for (unsigned i = 0; i < IRGEN_NG64; i++)
        if (x->g64[i] != y->g64[i]) {
            snprintf(field, sizeof(field), "x%u", i);
            return differ(msg, msglen, field, x->g64[i], y->g64[i]);
        }
    for (unsigned i = 0; i < IRGEN_NG32; i++)
        if (x->g32[i] != y->g32[i]) {
            snprintf(field, sizeof(field), "w%u", i);
            return differ(msg, msglen, field, x->g32[i], y->g32[i]);
        }
    for (unsigned i = 0; i < IRGEN_SCRATCH / 8; i++)
        if (x->scratch[i] != y->scratch[i]) {
            snprintf(field, sizeof(field), "scratch[+%u] (env offset %u)", 8 * i,
                     IRGEN_OFF_SCRATCH + 8 * i);
            return differ(msg, msglen, field, x->scratch[i], y->scratch[i]);
        }
    if (x->head.flags != y->head.flags)
        return differ(msg, msglen, "cpu flags", x->head.flags, y->head.flags);
    if (x->head.exit_request != y->head.exit_request)
        return differ(msg, msglen, "exit_request", (uint32_t)x->head.exit_request,
                      (uint32_t)y->head.exit_request);
    if (a->log.n != b->log.n)
        return differ(msg, msglen, "helper log length", a->log.n, b->log.n);
    for (unsigned i = 0; i < a->log.n && i < IRGEN_LOG_MAX; i++)
        if (a->log.e[i] != b->log.e[i]) {
            snprintf(field, sizeof(field), "helper log[%u]", i);
            return differ(msg, msglen, field, a->log.e[i], b->log.e[i]);
        }
    if (memcmp(a->mem, b->mem, IRGEN_MEM_ALLOC) != 0)
        for (unsigned i = 0; i < IRGEN_MEM_ALLOC; i++)
            if (a->mem[i] != b->mem[i]) {
                snprintf(field, sizeof(field), "mem[0x%x]", i);
                return differ(msg, msglen, field, a->mem[i], b->mem[i]);
            }
    return 0;
}

/* ---- running ---------------------------------------------------------------------------- */

static void run_setup(struct diff_ctx *c, struct diff_result *r, struct jc_entry *jc)
{
    r->ran = true;
    r->bad[0] = 0;
    r->cpu = c->init_cpu;
    r->cpu.head.guest_base = (uint8_t *)((uintptr_t)r->mem - (uintptr_t)c->cs.mem_base);
    r->cpu.head.jmp_cache = jc;
    r->cpu.head.exit_request = c->cs.exit_request;
    memcpy(r->mem, c->init_mem, IRGEN_MEM_ALLOC);
    irgen_log_reset();
}

/* Clear what legitimately differs between runs (host pointers). */
static void run_finish(struct diff_result *r)
{
    r->log = irgen_log;
    r->cpu.head.guest_base = NULL;
    r->cpu.head.jmp_cache = NULL;
    r->cpu.head.last_tb = NULL;
    r->cpu.head.last_slot = 0;
    r->cpu.head.insn_count = 0;
}

/* A chain exit must name this block and a slot whose target is the new pc. */
static void check_chain(struct diff_result *r, const struct tb *tb, const char *who)
{
    if (r->reason != IR_EXIT_chain)
        return;
    const struct cpu_head *h = &r->cpu.head;
    if (h->last_tb != tb)
        snprintf(r->bad, sizeof(r->bad), "%s: chain exit with last_tb %p, not the block %p", who,
                 (void *)h->last_tb, (const void *)tb);
    else if (h->last_slot >= tb->njmp)
        snprintf(r->bad, sizeof(r->bad), "%s: chain exit with last_slot %u of %u", who,
                 h->last_slot, tb->njmp);
    else if (tb->jmp[h->last_slot].dest_pc != h->pc)
        snprintf(r->bad, sizeof(r->bad),
                 "%s: chain exit through slot %u (dest_pc 0x%" PRIx64 ") with pc 0x%" PRIx64, who,
                 h->last_slot, tb->jmp[h->last_slot].dest_pc, h->pc);
}

static void run_ref(struct diff_ctx *c, const struct ir_func *f, struct diff_result *r,
                    uint64_t *steps, char *err, size_t errlen)
{
    /* the reference's jump cache points at c->ref_land_tb (an identity only) */
    struct tb *ref_prog_tb = &c->ref_prog_tb;
    struct irref_block land = {&c->land, &c->ref_land_tb, {NULL, NULL}};
    struct irref_block prog = {f, ref_prog_tb, {NULL, NULL}};
    /* a tb-like view of the slots, for check_chain */
    memset(ref_prog_tb, 0, sizeof(*ref_prog_tb));
    for (uint32_t i = 0; i < f->ninsns; i++)
        if (f->insns[i].op == IR_OP_goto_tb && ref_prog_tb->njmp < TB_MAX_JMP) {
            uint64_t pc = (uint64_t)f->insns[i].carg[0];
            if (c->cs.chain && !c->cs.unchain && pc == IRGEN_LAND_PC)
                prog.chain[ref_prog_tb->njmp] = &land;
            ref_prog_tb->jmp[ref_prog_tb->njmp++].dest_pc = pc;
        }
    const struct irref_block *blocks[1] = {&land};
    struct irref_env env = {.mem = r->mem,
                            .mem_size = IRGEN_MEM_ALLOC,
                            .mem_base = c->cs.mem_base,
                            .blocks = blocks,
                            .nblocks = 1};
    run_setup(c, r, c->ref_jc);
    r->reason = irref_run(&prog, &r->cpu.head, &env);
    *steps = env.steps;
    if (r->reason == IRREF_ERROR)
        snprintf(err, errlen, "reference evaluator: %s", env.err);
    check_chain(r, ref_prog_tb, "ref");
    run_finish(r);
}

static void run_engine(struct diff_ctx *c, struct diff_engine *e, const struct ir_func *f,
                       struct diff_result *r, char *err, size_t errlen)
{
    if (diff_engine_compile(e, &c->land, f, err, errlen) < 0)
        return;
    for (unsigned i = 0; i < e->tb.njmp; i++)
        if (c->cs.chain && e->tb.jmp[i].dest_pc == IRGEN_LAND_PC) {
            e->be->patch_jmp(e->state, &e->cb, &e->tb, i, &e->land_tb);
            if (c->cs.unchain)
                e->be->patch_jmp(e->state, &e->cb, &e->tb, i, NULL);
        }
    run_setup(c, r, e->jc);
    r->cpu.head.pc = e->tb.pc;
    r->reason = e->be->exec(e->state, &r->cpu.head, &e->tb);
    check_chain(r, &e->tb, "exec");
    run_finish(r);
    free(e->tb.pcmap);
    e->tb.pcmap = NULL;
}

/* ---- reporting ------------------------------------------------------------------------------ */

static void print_ir(FILE *out, const char *title, const struct ir_func *f)
{
    fprintf(out, "---- %s (%u insns) ----\n", title, f->ninsns);
    ir_print(out, f);
}

static void print_result(FILE *out, const char *name, const struct diff_result *r)
{
    if (!r->ran) {
        fprintf(out, "  %-10s (not run)\n", name);
        return;
    }
    fprintf(out, "  %-10s exit %s pc 0x%" PRIx64 " log %u%s%s\n", name,
            r->reason < IR_EXIT_COUNT ? ir_exit_names[r->reason] : "(invalid)", r->cpu.head.pc,
            r->log.n, r->bad[0] ? "  BROKEN: " : "", r->bad);
}

static void case_line(const struct diff_ctx *c, char *buf, size_t len)
{
    if (c->cs.profile >= 0)
        snprintf(buf, len, "seed 0x%016" PRIx64 " profile %s%s%s", c->cs.seed,
                 irgen_profile_names[c->cs.profile],
                 c->cs.unchain ? " chain+unchain"
                 : c->cs.chain ? " chain"
                               : "",
                 c->cs.exit_request ? " exit_request" : "");
    else
        snprintf(buf, len, "state seed 0x%016" PRIx64 "%s%s", c->cs.seed,
                 c->cs.unchain ? " chain+unchain"
                 : c->cs.chain ? " chain"
                               : "",
                 c->cs.exit_request ? " exit_request" : "");
}

static void save_failure(struct diff_ctx *c, const char *summary)
{
    if (!c->fail_dir || c->cs.profile < 0)
        return;
    char path[512];
    snprintf(path, sizeof(path), "%s/diff-fail-%s-%016" PRIx64 ".fir", c->fail_dir,
             irgen_profile_names[c->cs.profile], c->cs.seed);
    FILE *out = fopen(path, "w");
    if (!out)
        return;
    fprintf(out,
            "; %s\n; diff-state-seed: 0x%016" PRIx64 "\n; diff-chain: %d\n"
            "; diff-unchain: %d\n; diff-exit-request: %d\n; diff-mem-base: 0x%" PRIx64 "\n",
            summary, c->cs.seed, c->cs.chain, c->cs.unchain, c->cs.exit_request, c->cs.mem_base);
    ir_print(out, &c->prog);
    fclose(out);
    if (c->report)
        fprintf(c->report, "  saved as %s\n", path);
}

static int report(struct diff_ctx *c, int kind, const char *what, char *msg, size_t msglen)
{
    char cl[160];
    case_line(c, cl, sizeof(cl));
    snprintf(msg, msglen, "%s: %s", cl, what);
    if (c->report) {
        FILE *out = c->report;
        fprintf(out, "\n==== test_diff %s: %s\n", kind == DIFF_MISMATCH ? "MISMATCH" : "BROKEN",
                msg);
        if (c->prog.ninsns)
            print_ir(out, "IR (unoptimized)", &c->prog);
        if (c->opt.ninsns)
            print_ir(out, "IR (after ir_optimize)", &c->opt);
        fprintf(out, "---- runs ----\n");
        for (unsigned i = 0; i < DIFF_RUN_COUNT; i++)
            print_result(out, diff_run_names[i], &c->res[i]);
        if (kind == DIFF_MISMATCH) {
            fprintf(out, "---- every difference from %s ----\n", diff_run_names[0]);
            for (unsigned i = 1; i < DIFF_RUN_COUNT; i++) {
                char d[200];
                if (c->res[i].ran && diff_compare(&c->res[i], &c->res[0], d, sizeof(d)))
                    fprintf(out, "  %s vs %s: %s\n", diff_run_names[i], diff_run_names[0], d);
            }
        }
        fflush(out);
    }
    save_failure(c, msg);
    return kind;
}

/* Find the pass after which the optimized IR stops verifying. */
static void blame_pass(const struct ir_func *prog, char *buf, size_t len)
{
    struct ir_func f;
    ir_func_init(&f);
    snprintf(buf, len, "(no single pass)");
    if (ir_func_copy(&f, prog) == 0) {
        for (unsigned p = 0; p < IR_PASS_COUNT; p++) {
            char err[200];
            ir_optimize(&f, 1u << p, false, NULL);
            if (ir_verify(&f, err, sizeof(err)) != 0) {
                snprintf(buf, len, "pass %s: %s", ir_pass_names[p], err);
                break;
            }
        }
    }
    ir_func_free(&f);
}

static int check_prepared(struct diff_ctx *c, char *msg, size_t msglen)
{
    char err[256], what[1024];
    c->programs++;
    c->ops_in += c->prog.ninsns;
    for (unsigned i = 0; i < DIFF_RUN_COUNT; i++)
        c->res[i].ran = false;

    diff_set_stage("ir_verify (unoptimized)");
    if (ir_verify(&c->prog, err, sizeof(err)) != 0) {
        snprintf(what, sizeof(what), "ir_verify rejects the program: %s", err);
        return report(c, DIFF_BROKEN, what, msg, msglen);
    }
    diff_set_stage("ir_optimize");
    if (ir_func_copy(&c->opt, &c->prog) != 0)
        return report(c, DIFF_BROKEN, "out of memory", msg, msglen);
    ir_optimize(&c->opt, IR_PASSES_ALL, false, NULL);
    c->ops_out += c->opt.ninsns;
    diff_set_stage("ir_verify (optimized)");
    if (ir_verify(&c->opt, err, sizeof(err)) != 0) {
        char pass[300];
        blame_pass(&c->prog, pass, sizeof(pass));
        snprintf(what, sizeof(what), "optimized IR does not verify: %s; first failing %s", err,
                 pass);
        return report(c, DIFF_BROKEN, what, msg, msglen);
    }
    irgen_init_cpu(&c->init_cpu, c->cs.seed, c->prog.pc);
    irgen_init_mem(c->init_mem, c->cs.seed);

    for (unsigned i = 0; i < DIFF_RUN_COUNT; i++) {
        const struct ir_func *f = runs[i].opt ? &c->opt : &c->prog;
        struct diff_result *r = &c->res[i];
        err[0] = 0;
        diff_set_stage(diff_run_names[i]);
        if (!runs[i].engine) {
            uint64_t steps = 0;
            run_ref(c, f, r, &steps, err, sizeof(err));
            if (i == 0)
                c->ref_steps = steps;
        } else if (!((c->skip >> i) & 1)) {
            struct diff_engine *e = &c->eng[strcmp(runs[i].engine, "jit") == 0];
            if (!e->be)
                continue;
            run_engine(c, e, f, r, err, sizeof(err));
        }
        if (err[0]) {
            snprintf(what, sizeof(what), "%s: %s", diff_run_names[i], err);
            return report(c, DIFF_BROKEN, what, msg, msglen);
        }
    }
    diff_set_stage("compare");
    if (c->corrupt_run > 0 && c->corrupt_run < DIFF_RUN_COUNT && c->res[c->corrupt_run].ran)
        c->res[c->corrupt_run].cpu.g64[0] ^= 1ull << (c->corrupt_bit & 63);
    for (unsigned i = 1; i < DIFF_RUN_COUNT; i++) {
        char d[256];
        if (c->res[i].ran && diff_compare(&c->res[i], &c->res[0], d, sizeof(d))) {
            snprintf(what, sizeof(what), "%s vs %s differ: first difference %s", diff_run_names[i],
                     diff_run_names[0], d);
            return report(c, DIFF_MISMATCH, what, msg, msglen);
        }
    }
    diff_set_stage("idle");
    return DIFF_OK;
}

int diff_check_seed(struct diff_ctx *c, uint64_t seed, enum irgen_profile profile, char *msg,
                    size_t msglen)
{
    c->cs = diff_case_of_seed(seed, (int)profile);
    case_line(c, current, sizeof(current));
    alarm(c->timeout_s ? c->timeout_s : DIFF_TIMEOUT_S);
    diff_set_stage("irgen_program");
    c->opt.ninsns = 0;
    if (irgen_program(&c->prog, seed, profile) < 0) {
        char what[256];
        snprintf(what, sizeof(what), "generator error: %s", c->prog.errmsg);
        return report(c, DIFF_BROKEN, what, msg, msglen);
    }
    int rc = check_prepared(c, msg, msglen);
    alarm(0);
    return rc;
}

int diff_check_func(struct diff_ctx *c, const struct ir_func *f, const struct diff_case *cs,
                    char *msg, size_t msglen)
{
    c->cs = *cs;
    case_line(c, current, sizeof(current));
    c->opt.ninsns = 0;
    if (ir_func_copy(&c->prog, f) != 0) {
        snprintf(msg, msglen, "out of memory");
        return DIFF_BROKEN;
    }
    alarm(c->timeout_s ? c->timeout_s : DIFF_TIMEOUT_S);
    int rc = check_prepared(c, msg, msglen);
    alarm(0);
    return rc;
}
