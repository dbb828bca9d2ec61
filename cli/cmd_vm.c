/* `ferry vm [options] guest.elf [cmdline...]`: run an x86 guest on the pc
 * machine.  Argument parsing only; the driver is accel/vm/vm_run.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel/vm/vm_run.h"
#include "backend/backend.h"
#include "cli.h"
#include "machine/pc.h"

static const char usage[] =
    "usage: ferry vm [options] GUEST.elf [CMDLINE...]\n"
    "       ferry vm --probe\n"
    "Run an x86 guest on the pc machine: an ELF64 image entered in long mode, or a\n"
    "Multiboot v1 image (the same file boots in qemu-system-x86_64 -kernel).  Words\n"
    "after the image form the guest's command line.\n"
    "Exit status: the guest's debug-exit status (value*2+1), 0 after a reset or a\n"
    "halt, 124 the vCPU failed (triple fault, emulation failure; registers are\n"
    "dumped), 125 no usable engine or a bad image, 130 Ctrl-C, 2 bad command line.\n"
    "Options:\n"
    "  --accel=ENGINE   kvm, tcg or auto (default): auto takes KVM where it probes usable\n"
    "                   and is not slower than TCG on a short calibration loop at the\n"
    "                   guest's entry ring, else TCG; it says which and why  [FERRY_ACCEL]\n"
    "  -m SIZE          RAM: 128 (MiB), 512M, 2G; default 128 MiB\n"
    "  --entry-ring=N   0 (default) or 3: start an ELF64 guest at CPL3 with IOPL=3\n"
    "  -serial SPEC     COM1: stdio (default), file:PATH or none\n"
    "  -one-insn-per-tb TCG: translate one guest instruction per block [FERRY_ONE_INSN_PER_TB=1]\n"
    "  --probe          say whether KVM and TCG are usable here, what --accel=auto would\n"
    "                   choose and why, then exit (0: KVM usable)\n"
    "The TCG engine uses --backend (jit or interp; default jit).\n";

static int bad_usage(const char *what, const char *arg)
{
    fprintf(stderr, "ferry vm: %s '%s'\n%s%s", what, arg, usage, cli_common_help);
    return CLI_EXIT_USAGE;
}

int cmd_vm(int argc, char **argv)
{
    struct cli_common c;
    cli_common_env(&c);
    struct vm_options o = {.accel = VM_ACCEL_AUTO};
    const char *accel = getenv("FERRY_ACCEL"), *ram = NULL, *ring = NULL;
    bool probe = false;
    o.one_insn_per_tb = cli_env_flag("FERRY_ONE_INSN_PER_TB");
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
            r = cli_opt_value("ferry vm", argc, argv, &i, "--accel", &accel);
        if (r == 0)
            r = cli_opt_value("ferry vm", argc, argv, &i, "-m", &ram);
        if (r == 0)
            r = cli_opt_value("ferry vm", argc, argv, &i, "--entry-ring", &ring);
        if (r == 0)
            r = cli_opt_value("ferry vm", argc, argv, &i, "-serial", &o.serial);
        if (r < 0)
            return CLI_EXIT_USAGE;
        if (r > 0)
            continue;
        if (strcmp(a, "--probe") == 0) {
            probe = true;
        } else if (strcmp(a, "-one-insn-per-tb") == 0 || strcmp(a, "--one-insn-per-tb") == 0) {
            o.one_insn_per_tb = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            printf("%s%s", usage, cli_common_help);
            return 0;
        } else {
            return bad_usage("unknown option", a);
        }
    }
    if (cli_common_apply(&c) < 0)
        return CLI_EXIT_USAGE;
    if (probe)
        return vm_probe_report(NULL, stdout) == 0 ? 0 : CLI_EXIT_FAIL;
    if (i >= argc) {
        fprintf(stderr, "ferry vm: no guest image\n%s%s", usage, cli_common_help);
        return CLI_EXIT_USAGE;
    }
    if (accel && *accel && vm_parse_accel(accel, &o.accel) != 0)
        return bad_usage("--accel must be kvm, tcg or auto, not", accel);
    if (c.backend && *c.backend) {
        if (!backend_by_name(c.backend))
            return bad_usage("--backend must be jit or interp, not", c.backend);
        o.backend = c.backend;
    }
    if (ring) {
        if (strcmp(ring, "0") != 0 && strcmp(ring, "3") != 0)
            return bad_usage("--entry-ring must be 0 or 3, not", ring);
        o.entry_ring = (unsigned)(ring[0] - '0');
    }
    if (ram) {
        char err[256];
        if (pc_parse_ram_size(ram, &o.ram_size, err, sizeof(err)) != 0) {
            fprintf(stderr, "ferry vm: %s\n", err);
            return CLI_EXIT_USAGE;
        }
    }
    if (o.serial && strcmp(o.serial, "stdio") != 0 && strcmp(o.serial, "none") != 0 &&
        strncmp(o.serial, "file:", 5) != 0)
        return bad_usage("-serial must be stdio, file:PATH or none, not", o.serial);
    o.stats = c.stats;
    o.image = argv[i];
    char *cmdline = cli_join_args(argc, argv, i + 1);
    o.cmdline = cmdline;
    int status = vm_run(&o);
    free(cmdline);
    return status;
}
