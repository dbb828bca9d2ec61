/* The `ferry` command: global options and dispatch to subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"run", cmd_run, "run a static AArch64 Linux program (qemu-user style options)"},
    {"ir", cmd_ir, "run a textual IR program on the JIT and the interpreter and compare"},
#ifdef FERRY_HAVE_VM
    {"vm", cmd_vm, "run an x86 guest (ELF64 or Multiboot) on the pc machine (KVM or TCG)"},
    {"bench", cmd_bench, "run a pc guest on every engine (KVM, TCG JIT/interp): one table"},
#endif
};

static void help(FILE *out)
{
    fprintf(out, "ferry %s: a portable dynamic binary translator\n\n", FERRY_VERSION);
    fprintf(out, "usage: ferry COMMAND [options] ...\n       ferry --help | --version\n\n");
    fprintf(out, "Commands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-6s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nOptions common to the commands:\n%s", cli_common_help);
    fprintf(out, "\n'ferry COMMAND --help' describes one command.  "
                 "Documentation: docs/cli.md, docs/architecture.md, docs/ir.md.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        help(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        help(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("ferry %s\n", FERRY_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "ferry: unknown command '%s' (see ferry --help)\n", argv[1]);
    return CLI_EXIT_USAGE;
}
