/* The `ferry` command: shared option handling for its subcommands.
 * Each subcommand lives in cli/cmd_<name>.c and only parses arguments. */
#ifndef FERRY_CLI_H
#define FERRY_CLI_H

#include <stdbool.h>

/* Exit statuses of ferry's own failures (a guest's status passes through). */
enum {
    CLI_EXIT_USAGE = 2,   /* bad command line */
    CLI_EXIT_FAIL = 1,    /* the job ran and failed (e.g. backends disagree) */
    CLI_EXIT_ERROR = 125, /* ferry could not run the job (bad file, translation error) */
};

/* Options every engine command shares, each with a FERRY_* environment twin
 * (the command line wins). */
struct cli_common {
    const char *backend;  /* --backend=NAME      FERRY_BACKEND */
    const char *log;      /* -d ITEMS            FERRY_LOG */
    const char *log_file; /* -D FILE             FERRY_LOG_FILE */
    bool no_opt;          /* -O0                 FERRY_NO_OPT=1 */
    bool stats;           /* --stats             FERRY_STATS=1 */
    bool no_chain;        /* --no-chain          FERRY_NO_CHAIN=1 */
};

/* Fill from the environment. */
void cli_common_env(struct cli_common *c);
/* If argv[*i] is a common option, consume it (and its value) and return 1;
 * return 0 if it is not one, -1 (message printed) if it is malformed. */
int cli_common_arg(struct cli_common *c, int argc, char **argv, int *i);
/* Apply -d/-D to util/log.  Returns 0, or -1 with a message printed. */
int cli_common_apply(const struct cli_common *c);
/* A FERRY_* flag variable: set, not empty and not "0". */
bool cli_env_flag(const char *name);
/* "NAME=value" or "NAME value" at argv[*i]: 1 with *out set (and *i past
 * the value), 0 if argv[*i] is another option, -1 if the value is missing
 * (message printed, prefixed with cmd). */
int cli_opt_value(const char *cmd, int argc, char **argv, int *i, const char *name,
                  const char **out);
/* argv[first..argc-1] joined by spaces (malloc'd; NULL if there are none or
 * out of memory). */
char *cli_join_args(int argc, char **argv, int first);
/* The help text for the common options. */
extern const char cli_common_help[];

int cmd_ir(int argc, char **argv);
int cmd_vm(int argc, char **argv); /* cli/cmd_vm.c, built where accel/kvm is */
int cmd_bench(int argc, char **argv); /* cli/cmd_bench.c, built with cmd_vm.c */
int cmd_run(int argc, char **argv); /* cli/cmd_run.c: Linux user mode */

#endif
