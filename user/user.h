/* Linux user mode: run a guest Linux program (`ferry run`).  The command
 * line (cli/cmd_run.c) fills struct user_options; everything else is here. */
#ifndef FERRY_USER_H
#define FERRY_USER_H

#include <stdbool.h>
#include <stddef.h>

/* Shell-like statuses when the program cannot be run (its own exit status
 * passes through otherwise). */
#define USER_EXIT_ERROR 125    /* ferry failed (cannot reserve memory, translation error) */
#define USER_EXIT_NOEXEC 126   /* found but cannot be executed (foreign, corrupt, dynamic) */
#define USER_EXIT_NOTFOUND 127 /* no such file */

struct user_options {
    const char *program;   /* path of the guest program */
    char **argv;           /* guest arguments after the program (argc entries) */
    int argc;
    const char *argv0;     /* -0: the guest's argv[0] (default: program) */
    const char *sysroot;   /* -L: kept for dynamic programs (not used yet) */
    const char **set_env;  /* -E VAR=value, in order */
    size_t nset_env;
    const char **unset_env; /* -U VAR */
    size_t nunset_env;
    bool strace;           /* -strace */
    bool one_insn_per_tb;  /* -one-insn-per-tb */
    const char *backend;   /* "jit", "interp" or NULL (the host's JIT if any) */
    bool no_opt, no_chain, stats;
};

/* Run the program to its end.  Returns its exit status (0..255), or 125/126/
 * 127 when ferry could not start it (message on stderr).  A guest killed by
 * a signal makes ferry die by the same signal: then this does not return. */
int user_run(const struct user_options *o);

#endif
