/* Options shared by the engine subcommands, and their FERRY_* twins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/log.h"

const char cli_common_help[] =
    "  --backend=NAME   jit (this host's JIT) or interp (portable)   [FERRY_BACKEND]\n"
    "  -d ITEMS         debug log, comma separated; -d help lists    [FERRY_LOG]\n"
    "  -D FILE          write the debug log to FILE (default stderr) [FERRY_LOG_FILE]\n"
    "  -O0              do not optimize the IR                       [FERRY_NO_OPT=1]\n"
    "  --no-chain       never chain blocks (each jump returns to the loop) [FERRY_NO_CHAIN=1]\n"
    "  --stats          print translation and execution statistics  [FERRY_STATS=1]\n";

bool cli_env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

void cli_common_env(struct cli_common *c)
{
    memset(c, 0, sizeof(*c));
    c->backend = getenv("FERRY_BACKEND");
    c->log = getenv("FERRY_LOG");
    c->log_file = getenv("FERRY_LOG_FILE");
    c->no_opt = cli_env_flag("FERRY_NO_OPT");
    c->stats = cli_env_flag("FERRY_STATS");
    c->no_chain = cli_env_flag("FERRY_NO_CHAIN");
}

/* "--name=value" or "--name value" / "-x value" */
static int take_value(int argc, char **argv, int *i, const char *name, const char **out)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *out = a + n + 1;
        return 1;
    }
    if (a[n] != 0)
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "ferry: %s needs a value\n", name);
        return -1;
    }
    *out = argv[++*i];
    return 1;
}

int cli_common_arg(struct cli_common *c, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    int r;
    if ((r = take_value(argc, argv, i, "--backend", &c->backend)) != 0)
        return r;
    if ((r = take_value(argc, argv, i, "-d", &c->log)) != 0)
        return r;
    if ((r = take_value(argc, argv, i, "-D", &c->log_file)) != 0)
        return r;
    if (strcmp(a, "-O0") == 0)
        return c->no_opt = true, 1;
    if (strcmp(a, "--stats") == 0)
        return c->stats = true, 1;
    if (strcmp(a, "--no-chain") == 0)
        return c->no_chain = true, 1;
    return 0;
}

int cli_common_apply(const struct cli_common *c)
{
    if (c->log && strcmp(c->log, "help") == 0) {
        printf("Log items for -d (comma separated):\n");
        for (int i = 0; i < LOG_ITEM_COUNT; i++)
            printf("  %-13s %s\n", log_items[i].name, log_items[i].desc);
        exit(0);
    }
    if (c->log) {
        char err[128];
        if (log_parse(c->log, &log_mask, err, sizeof(err)) < 0) {
            fprintf(stderr, "ferry: -d: %s\n", err);
            return -1;
        }
    }
    if (c->log_file) {
        int e = log_set_file(c->log_file);
        if (e < 0) {
            fprintf(stderr, "ferry: -D %s: %s\n", c->log_file, strerror(-e));
            return -1;
        }
    }
    return 0;
}

int cli_opt_value(const char *cmd, int argc, char **argv, int *i, const char *name,
                  const char **out)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return 0;
    if (argv[*i][n] == '=') {
        *out = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != 0)
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "%s: %s needs a value\n", cmd, name);
        return -1;
    }
    *out = argv[++*i];
    return 1;
}

char *cli_join_args(int argc, char **argv, int first)
{
    if (first >= argc)
        return NULL;
    size_t len = 1;
    for (int i = first; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    for (int i = first; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (i > first)
            *p++ = ' ';
        memcpy(p, argv[i], n);
        p += n;
    }
    *p = 0;
    return s;
}
