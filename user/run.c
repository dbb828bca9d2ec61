/* `ferry run`: start a guest Linux program and run it to its end.  Load the
 * ELF, build the stack, set up the frontend and the translation cache, then
 * loop on tcg_exec: system calls go to user/syscall.c, undefined
 * instructions, breakpoints and faults become guest signals (user/signal.c). */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "backend/backend.h"
#include "user/stack.h"
#include "user/user_int.h"
#include "util/log.h"

extern char **environ;

/* The guest's environment: ferry's, less -U names, plus -E settings. */
static char **guest_env(const struct user_options *o, size_t *count)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + o->nset_env + 1, sizeof(char *));
    if (!env)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = environ[i];
        size_t len = strcspn(e, "=");
        bool drop = false;
        for (size_t j = 0; j < o->nunset_env && !drop; j++)
            drop = strlen(o->unset_env[j]) == len && strncmp(o->unset_env[j], e, len) == 0;
        for (size_t j = 0; j < o->nset_env && !drop; j++)
            drop = strncmp(o->set_env[j], e, len + 1) == 0; /* same "NAME=" */
        if (!drop)
            env[k++] = (char *)e;
    }
    for (size_t j = 0; j < o->nset_env; j++) {
        bool later = false; /* the last -E of a name wins */
        size_t len = strcspn(o->set_env[j], "=");
        for (size_t m = j + 1; m < o->nset_env && !later; m++)
            later = strncmp(o->set_env[m], o->set_env[j], len + 1) == 0;
        if (!later)
            env[k++] = (char *)o->set_env[j];
    }
    env[k] = NULL;
    *count = k;
    return env;
}

/* argv, envp and auxv on the guest stack.  Returns 0 or a negative errno. */
static int setup_stack(struct user_proc *p, uint64_t *sp)
{
    const struct user_options *o = p->opt;
    const struct user_abi *abi = p->abi;
    uint64_t top = p->mm.stack_top, bottom = top - USER_STACK_SIZE;
    int prot = PROT_READ | PROT_WRITE | (p->img.info.exec_stack ? PROT_EXEC : 0);
    int r = user_mm_map(&p->mm, bottom, USER_STACK_SIZE, prot, MAP_PRIVATE | MAP_NORESERVE, -1, 0,
                        USER_VMA_STACK);
    if (r < 0)
        return r;
    size_t envc;
    char **env = guest_env(o, &envc);
    char **argv = calloc((size_t)o->argc + 2, sizeof(char *));
    if (!env || !argv) {
        free(env);
        free(argv);
        return -ENOMEM;
    }
    argv[0] = (char *)(o->argv0 ? o->argv0 : o->program);
    for (int i = 0; i < o->argc; i++)
        argv[i + 1] = o->argv[i];
    uint8_t random[16];
    if (getrandom(random, sizeof(random), 0) != (ssize_t)sizeof(random))
        memset(random, 0x5a, sizeof(random));
    const struct user_image *img = &p->img;
    const struct user_auxv aux[] = {
        {AT_PHDR, img->phdr},
        {AT_PHENT, img->info.phentsize},
        {AT_PHNUM, img->info.phnum},
        {AT_PAGESZ, USER_PAGE_SIZE},
        {AT_BASE, 0}, /* no interpreter */
        {AT_FLAGS, 0},
        {AT_ENTRY, img->entry},
        {AT_UID, getuid()},
        {AT_EUID, geteuid()},
        {AT_GID, getgid()},
        {AT_EGID, getegid()},
        {AT_SECURE, 0},
        {AT_HWCAP, abi->hwcap()},
        {AT_HWCAP2, abi->hwcap2()},
        {AT_CLKTCK, (uint64_t)sysconf(_SC_CLK_TCK)},
        {AT_MINSIGSTKSZ, abi->minsigstksz},
    };
    struct user_stack_args sa = {
        .argv = argv,
        .argc = (size_t)o->argc + 1,
        .envp = env,
        .envc = envc,
        .execfn = o->program,
        .platform = abi->platform,
        .random = random,
        .aux = aux,
        .naux = sizeof(aux) / sizeof(aux[0]),
        .ptr_size = abi->ptr_size,
        .align = abi->stack_align,
    };
    r = user_stack_build(&p->mm, top, bottom, &sa, sp);
    free(env);
    free(argv);
    return r;
}

static void code_changed(void *opaque, uint64_t start, uint64_t end)
{
    struct user_proc *p = opaque;
    if (p->tcg_ready)
        tcg_invalidate_range(&p->tcg, start, end);
}

static int setup_tcg(struct user_proc *p, char *err, size_t errlen)
{
    const struct user_options *o = p->opt;
    struct tcg_config cfg;
    tcg_config_default(&cfg);
    cfg.backend = o->backend ? backend_by_name(o->backend) : backend_by_name("jit");
    if (!cfg.backend && !o->backend)
        cfg.backend = backend_by_name("interp");
    if (!cfg.backend) {
        snprintf(err, errlen, "unknown backend '%s' (jit or interp)", o->backend);
        return -EINVAL;
    }
    cfg.opt_mask = o->no_opt ? 0 : IR_PASSES_ALL;
    /* tiered translation: FERRY_TIER_UP=N optimizes a block on its N-th entry
     * (0 or 1: every block at once) */
    const char *tier = getenv("FERRY_TIER_UP");
    cfg.tier_up = tier ? (unsigned)strtoul(tier, NULL, 10) : TCG_DEFAULT_TIER_UP;
    cfg.tier0_mask = 0;
    const char *ras = getenv("FERRY_RAS"); /* FERRY_RAS=0: no return-address hint */
    cfg.no_ras = ras && strcmp(ras, "0") == 0;
    cfg.no_chain = o->no_chain;
    cfg.max_insns = o->one_insn_per_tb ? 1 : 0;
#ifndef NDEBUG
    cfg.verify = true; /* debug builds check the frontend's IR and every pass */
#endif
    int r = tcg_init(&p->tcg, &cfg, p->fe->translate, &p->fctx);
    if (r < 0) {
        snprintf(err, errlen, "translation cache: %s", p->tcg.errmsg);
        return r;
    }
    p->tcg_ready = true;
    if ((r = tcg_cpu_init(&p->tcg, p->cpu)) < 0) {
        snprintf(err, errlen, "translation cache: %s", strerror(-r));
        return r;
    }
    p->abi->set_tcg(p->cpu, &p->tcg);
    return 0;
}

int user_run_after_fork(struct user_proc *p)
{
    struct tcg_config cfg = p->tcg.config;
    tcg_cpu_fini(&p->tcg, p->cpu);
    tcg_fini(&p->tcg);
    p->tcg_ready = false;
    int r = tcg_init(&p->tcg, &cfg, p->fe->translate, &p->fctx);
    if (r < 0)
        return r;
    p->tcg_ready = true;
    if ((r = tcg_cpu_init(&p->tcg, p->cpu)) < 0)
        return r;
    p->abi->set_tcg(p->cpu, &p->tcg);
    return 0;
}

void user_run_stats(struct user_proc *p)
{
    static bool done;
    if (!p->opt->stats || done || !p->tcg_ready)
        return;
    done = true;
    uint64_t insns = 0;
    for (size_t i = 0; i < tcg_tb_count(&p->tcg); i++)
        insns += tcg_tb_at(&p->tcg, i)->guest_insns;
    FILE *o = stderr;
    fprintf(o, "== ferry run --stats: %s\n", p->opt->program);
    tcg_stats_print(&p->tcg, o);
    fprintf(o, "guest insns        %" PRIu64 " translated%s\n", insns,
            p->tcg.stats.flushes ? " (since the last flush)" : "");
    fprintf(o, "system calls       %" PRIu64 " (%.3f ms)\n", p->nsyscalls,
            (double)p->syscall_ns / 1e6);
    fflush(o);
}

/* Translation failed at cpu->pc: a jump to memory that is not executable is
 * the guest's SIGSEGV; anything else is ferry's failure. */
static int translate_failed(struct user_proc *p)
{
    uint64_t pc = p->cpu->pc;
    if (!user_mm_can_exec(&p->mm, pc, 4)) {
        const struct user_vma *v = pc < p->mm.size ? user_mm_find(&p->mm, pc) : NULL;
        struct user_siginfo si = {SIGSEGV, v ? SEGV_ACCERR : SEGV_MAPERR, pc};
        user_signal_raise(p, &si);
        return -1;
    }
    fprintf(stderr, "ferry run: cannot translate the code at guest pc 0x%" PRIx64 ": %s\n", pc,
            tcg_errmsg(&p->tcg));
    return USER_EXIT_ERROR;
}

static int run_loop(struct user_proc *p)
{
    if (sigsetjmp(p->fault_jmp, 0) != 0) {
        /* a guest access faulted (user/signal.c jumped here) */
        struct user_siginfo si;
        user_signal_fault_info(p, &si);
        user_signal_raise(p, &si);
    }
    for (;;) {
        p->in_guest = 1;
        unsigned r = tcg_exec(&p->tcg, p->cpu);
        p->in_guest = 0;
        struct user_siginfo si;
        switch (r) {
        case IR_EXIT_syscall:
            user_syscall(p);
            if (p->exited)
                return p->exit_code;
            break;
        case IR_EXIT_request:
            break;
        case TCG_EXIT_ERROR: {
            int s = translate_failed(p);
            if (s >= 0)
                return s;
            break;
        }
        default:
            if (p->abi->exit_signal(p->cpu, r, &si)) {
                user_signal_raise(p, &si);
                break;
            }
            fprintf(stderr, "ferry run: guest code stopped with '%s' at pc 0x%" PRIx64
                    ", which Linux user mode does not expect\n",
                    r < IR_EXIT_COUNT ? ir_exit_names[r] : "?", p->cpu->pc);
            return USER_EXIT_ERROR;
        }
    }
}

static void proc_free(struct user_proc *p)
{
    user_signal_fini(p);
    if (p->tcg_ready) {
        tcg_cpu_fini(&p->tcg, p->cpu);
        tcg_fini(&p->tcg);
    }
    if (p->fctx_ready && p->fe->ctx_fini)
        p->fe->ctx_fini(&p->fctx);
    free(p->cpu);
    user_mm_fini(&p->mm);
    free(p->exe_path);
    for (size_t i = 0; i < p->nunimp_msgs; i++)
        free(p->unimp_msgs[i]);
    free(p->unimp_msgs);
    free(p);
}

int user_run(const struct user_options *o)
{
    struct user_proc *p = calloc(1, sizeof(*p));
    if (!p) {
        fprintf(stderr, "ferry run: out of memory\n");
        return USER_EXIT_ERROR;
    }
    p->opt = o;
    p->strace = o->strace;
    char err[512];
    int fd = user_elf_open(o->program, &p->img.info, err, sizeof(err));
    if (fd < 0) {
        fprintf(stderr, "ferry run: %s\n", err);
        free(p);
        return -fd;
    }
    struct user_elf_info info = p->img.info;
    p->fe = info.fe;
    p->abi = user_abi_for(info.machine, info.elf_class);
    int status = USER_EXIT_NOEXEC;
    if (!p->abi) {
        fprintf(stderr, "ferry run: %s: Linux user mode does not run %s programs yet\n",
                o->program, p->fe->name);
        goto out;
    }
    if (user_mm_init(&p->mm, err, sizeof(err)) < 0) {
        fprintf(stderr, "ferry run: %s\n", err);
        status = USER_EXIT_ERROR;
        goto out;
    }
    p->mm.code_changed = code_changed;
    p->mm.opaque = p;
    if (user_elf_load(&p->mm, fd, o->program, &info, &p->img, err, sizeof(err)) != 0) {
        fprintf(stderr, "ferry run: %s\n", err);
        goto out;
    }
    close(fd);
    fd = -1;
    p->exe_path = realpath(o->program, NULL);
    user_mm_brk_init(&p->mm, p->img.brk);

    status = USER_EXIT_ERROR;
    if (!(p->cpu = frontend_cpu_new(p->fe))) {
        fprintf(stderr, "ferry run: out of memory\n");
        goto out;
    }
    p->cpu->guest_base = p->mm.base;
    uint64_t sp;
    int r = setup_stack(p, &sp);
    if (r < 0) {
        fprintf(stderr, "ferry run: %s: cannot build the initial stack: %s\n", o->program,
                r == -E2BIG ? "arguments and environment too large" : strerror(-r));
        status = r == -E2BIG ? USER_EXIT_NOEXEC : USER_EXIT_ERROR;
        goto out;
    }
    p->abi->start(p->cpu, p->img.entry, sp);

    p->fctx = (struct frontend_ctx){.fe = p->fe, .guest_base = p->mm.base,
                                    .can_exec = user_mm_can_exec, .env_opaque = &p->mm};
    if (p->fe->ctx_init && (r = p->fe->ctx_init(&p->fctx)) < 0) {
        fprintf(stderr, "ferry run: %s frontend: %s\n", p->fe->name, strerror(-r));
        goto out;
    }
    p->fctx_ready = true;
    if (setup_tcg(p, err, sizeof(err)) < 0) {
        fprintf(stderr, "ferry run: %s\n", err);
        goto out;
    }
    user_signal_init(p);
    status = run_loop(p);
    user_run_stats(p);
out:
    if (fd >= 0)
        close(fd);
    proc_free(p);
    return status;
}
