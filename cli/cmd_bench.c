/* `ferry bench [options] GUEST.elf [CMDLINE...]`: the same pc guest on KVM,
 * TCG with the JIT and TCG with the interpreter, side by side.  Argument
 * parsing only; the benchmark is accel/vm/vm_bench.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel/vm/vm_bench.h"
#include "cli.h"
#include "machine/pc.h"

static const char usage[] =
    "usage: ferry bench [options] GUEST.elf [CMDLINE...]\n"
    "Run an x86 guest of the pc machine on every engine (KVM, TCG with the JIT, TCG\n"
    "with the interpreter), N runs each, interleaved; check that all runs print the\n"
    "same output and end the same way; print one table: wall time (median, min,\n"
    "max), the guest's phase markers (port 0xe0), exits by reason, blocks translated,\n"
    "code bytes, and the TCG/KVM time ratios.  Engines that cannot run here are\n"
    "listed with the reason.\n"
    "Exit status: 0 every runnable engine ran every run and all agree; 1 a run failed\n"
    "or the engines disagree; 125 nothing could run (bad image, no engine); 2 bad\n"
    "command line.\n"
    "Options:\n"
    "  --runs N         runs per engine (default 5)\n"
    "  --json           print the results as JSON instead of the table\n"
    "  --engines LIST   comma separated: kvm, tcg-jit, tcg-interp, tcg (both), all (default)\n"
    "  -m SIZE          RAM: 128 (MiB), 512M, 2G; default 128 MiB\n"
    "  --entry-ring=N   0 (default) or 3: start an ELF64 guest at CPL3\n"
    "  -one-insn-per-tb TCG: translate one guest instruction per block [FERRY_ONE_INSN_PER_TB=1]\n";

static int bad_usage(const char *what, const char *arg)
{
    fprintf(stderr, "ferry bench: %s '%s'\n%s", what, arg, usage);
    return CLI_EXIT_USAGE;
}

int cmd_bench(int argc, char **argv)
{
    struct cli_common c;
    cli_common_env(&c);
    struct vm_bench_options o = {.runs = 5};
    for (unsigned e = 0; e < VM_BENCH_NENGINES; e++)
        o.engine[e] = true;
    o.one_insn_per_tb = cli_env_flag("FERRY_ONE_INSN_PER_TB");
    const char *runs = NULL, *engines = NULL, *ram = NULL, *ring = NULL;
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] != '-')
            break;
        int r = cli_common_arg(&c, argc, argv, &i);
        if (r == 0)
            r = cli_opt_value("ferry bench", argc, argv, &i, "--runs", &runs);
        if (r == 0)
            r = cli_opt_value("ferry bench", argc, argv, &i, "--engines", &engines);
        if (r == 0)
            r = cli_opt_value("ferry bench", argc, argv, &i, "-m", &ram);
        if (r == 0)
            r = cli_opt_value("ferry bench", argc, argv, &i, "--entry-ring", &ring);
        if (r < 0)
            return CLI_EXIT_USAGE;
        if (r > 0)
            continue;
        if (strcmp(a, "--json") == 0) {
            o.json = true;
        } else if (strcmp(a, "-one-insn-per-tb") == 0 || strcmp(a, "--one-insn-per-tb") == 0) {
            o.one_insn_per_tb = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            printf("%s", usage);
            return 0;
        } else {
            return bad_usage("unknown option", a);
        }
    }
    if (cli_common_apply(&c) < 0)
        return CLI_EXIT_USAGE;
    if (c.backend && *c.backend)
        fprintf(stderr, "ferry bench: --backend ignored: the TCG rows use each backend "
                        "(--engines tcg-jit or tcg-interp selects)\n");
    if (i >= argc) {
        fprintf(stderr, "ferry bench: no guest image\n%s", usage);
        return CLI_EXIT_USAGE;
    }
    if (runs) {
        char *end;
        unsigned long n = strtoul(runs, &end, 10);
        if (*runs == 0 || *end || n < 1 || n > VM_BENCH_RUNS_MAX)
            return bad_usage("--runs must be a number from 1 to 1000, not", runs);
        o.runs = (unsigned)n;
    }
    if (engines) {
        char err[256];
        if (vm_bench_parse_engines(engines, o.engine, err, sizeof(err)) != 0)
            return bad_usage(err, engines);
    }
    if (ring) {
        if (strcmp(ring, "0") != 0 && strcmp(ring, "3") != 0)
            return bad_usage("--entry-ring must be 0 or 3, not", ring);
        o.entry_ring = (unsigned)(ring[0] - '0');
    }
    if (ram) {
        char err[256];
        if (pc_parse_ram_size(ram, &o.ram_size, err, sizeof(err)) != 0) {
            fprintf(stderr, "ferry bench: %s\n", err);
            return CLI_EXIT_USAGE;
        }
    }
    o.image = argv[i];
    char *cmdline = cli_join_args(argc, argv, i + 1);
    o.cmdline = cmdline;
    int status = vm_bench_run(&o, stdout);
    free(cmdline);
    return status;
}
