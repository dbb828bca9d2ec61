/* `ferry run [options] PROGRAM [ARGS...]`: run a Linux program of another
 * architecture (qemu-user's options and conventions).  Argument parsing
 * only; the work is in user/ (user_run). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "cli.h"
#include "user/user.h"

static const char usage[] =
    "usage: ferry run [options] PROGRAM [ARGS...]\n"
    "Run a static Linux program for another architecture (AArch64) on this host.\n"
    "Exit status: the program's; if a signal kills it, ferry dies by the same\n"
    "signal.  126 the file cannot be run (foreign, corrupt or dynamic ELF), 127 no\n"
    "such file, 125 ferry failed, 2 bad command line.\n"
    "Options (single or double dash):\n"
    "  -L PATH          sysroot for dynamic programs (kept; not used yet)  [FERRY_LD_PREFIX]\n"
    "  -E VAR=VALUE     set a variable in the program's environment  [FERRY_SET_ENV=V=x,W=y]\n"
    "  -U VAR           remove a variable from it                    [FERRY_UNSET_ENV=V,W]\n"
    "  -0 ARGV0         the program's argv[0] (default: PROGRAM)     [FERRY_ARGV0]\n"
    "  -strace          print each system call and its result        [FERRY_STRACE=1]\n"
    "  -one-insn-per-tb translate one guest instruction per block  [FERRY_ONE_INSN_PER_TB=1]\n"
    "  --               end of options\n";

static bool env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

/* "-name" or "--name" */
static bool is_opt(const char *arg, const char *name)
{
    if (arg[0] == '-' && arg[1] == '-')
        arg++;
    return strcmp(arg, name) == 0;
}

struct run_args {
    struct user_options o;
    const char **set, **unset;
    size_t nset, nunset, cap;
    char *env_set_copy, *env_unset_copy; /* FERRY_SET_ENV / FERRY_UNSET_ENV, split in place */
};

static int add_to(const char ***list, size_t *n, size_t cap, const char *v)
{
    if (*n >= cap)
        return -1;
    (*list)[(*n)++] = v;
    return 0;
}

/* Split a comma-separated environment twin into the list. */
static void add_env_list(struct run_args *ra, const char *name, char **copy, bool set)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return;
    *copy = strdup(v);
    for (char *save = NULL, *t = strtok_r(*copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
        add_to(set ? &ra->set : &ra->unset, set ? &ra->nset : &ra->nunset, ra->cap, t);
}

static int bad(const char *msg, const char *arg)
{
    fprintf(stderr, "ferry run: %s%s%s (ferry run --help lists the options)\n", msg,
            arg ? " " : "", arg ? arg : "");
    return CLI_EXIT_USAGE;
}

int cmd_run(int argc, char **argv)
{
    struct cli_common c;
    cli_common_env(&c);
    struct run_args ra;
    memset(&ra, 0, sizeof(ra));
    ra.cap = (size_t)argc + 64;
    ra.set = calloc(ra.cap, sizeof(char *));
    ra.unset = calloc(ra.cap, sizeof(char *));
    struct user_options *o = &ra.o;
    o->sysroot = getenv("FERRY_LD_PREFIX");
    o->argv0 = getenv("FERRY_ARGV0");
    o->strace = env_flag("FERRY_STRACE");
    o->one_insn_per_tb = env_flag("FERRY_ONE_INSN_PER_TB");
    add_env_list(&ra, "FERRY_SET_ENV", &ra.env_set_copy, true);
    add_env_list(&ra, "FERRY_UNSET_ENV", &ra.env_unset_copy, false);

    int status = CLI_EXIT_USAGE, i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] != '-' || a[1] == 0)
            break;
        int r = cli_common_arg(&c, argc, argv, &i);
        if (r < 0)
            goto out;
        if (r > 0)
            continue;
        bool has_value = is_opt(a, "-L") || is_opt(a, "-E") || is_opt(a, "-U") || is_opt(a, "-0");
        if (has_value && i + 1 >= argc) {
            status = bad("option needs a value:", a);
            goto out;
        }
        if (is_opt(a, "-L")) {
            o->sysroot = argv[++i];
        } else if (is_opt(a, "-E")) {
            if (!strchr(argv[i + 1], '=')) {
                status = bad("-E needs VAR=VALUE, not", argv[i + 1]);
                goto out;
            }
            add_to(&ra.set, &ra.nset, ra.cap, argv[++i]);
        } else if (is_opt(a, "-U")) {
            add_to(&ra.unset, &ra.nunset, ra.cap, argv[++i]);
        } else if (is_opt(a, "-0")) {
            o->argv0 = argv[++i];
        } else if (is_opt(a, "-strace")) {
            o->strace = true;
        } else if (is_opt(a, "-one-insn-per-tb") || is_opt(a, "-singlestep")) {
            o->one_insn_per_tb = true;
        } else if (is_opt(a, "-h") || is_opt(a, "-help")) {
            printf("%s%s", usage, cli_common_help);
            status = 0;
            goto out;
        } else {
            status = bad("unknown option", a);
            goto out;
        }
    }
    if (i >= argc) {
        status = bad("no program to run", NULL);
        goto out;
    }
    if (cli_common_apply(&c) < 0)
        goto out;
    if (c.backend && *c.backend && !backend_by_name(c.backend)) {
        status = bad("unknown backend (jit or interp):", c.backend);
        goto out;
    }
    o->program = argv[i];
    o->argv = argv + i + 1;
    o->argc = argc - i - 1;
    o->set_env = ra.set;
    o->nset_env = ra.nset;
    o->unset_env = ra.unset;
    o->nunset_env = ra.nunset;
    o->backend = c.backend && *c.backend ? c.backend : NULL;
    o->no_opt = c.no_opt;
    o->no_chain = c.no_chain;
    o->stats = c.stats;
    status = user_run(o);
out:
    free(ra.set);
    free(ra.unset);
    free(ra.env_set_copy);
    free(ra.env_unset_copy);
    return status;
}
