/* `ferry ir FILE.fir`: run a textual IR program on one backend or on every
 * backend of this host and compare the results. */
#include <stdio.h>
#include <string.h>

#include "accel/tcg/irvm.h"
#include "backend/backend.h"
#include "cli.h"

static const char usage[] =
    "usage: ferry ir [options] FILE.fir\n"
    "Run a textual IR program (docs/ir.md) from its first block until it exits.\n"
    "Without --backend it runs on every backend of this host and checks that the\n"
    "final globals and guest memory agree.  Exit status: 0 ok, 1 backends disagree,\n"
    "2 usage, 125 the program could not be run.\n"
    "Options:\n";

static const char *const all_backends[] = {"jit", "interp"};

struct ir_result {
    const char *backend;
    struct irvm *vm;
    unsigned reason;
};

static int run_one(const struct ir_module *m, const struct cli_common *c, const char *backend,
                   struct ir_result *r)
{
    struct irvm_options o;
    irvm_options_default(&o);
    o.backend = backend;
    o.opt_mask = c->no_opt ? 0 : IR_PASSES_ALL;
    o.no_chain = c->no_chain;
    char err[256];
    r->backend = backend;
    r->vm = irvm_new(m, &o, err, sizeof(err));
    if (!r->vm) {
        fprintf(stderr, "ferry ir: %s\n", err);
        return -1;
    }
    printf("== %s\n", backend);
    fflush(stdout);
    r->reason = irvm_run(r->vm);
    fflush(stdout);
    if (r->reason == TCG_EXIT_ERROR) {
        fprintf(stderr, "ferry ir: %s\n", irvm_errmsg(r->vm));
        return -1;
    }
    printf("exit: %s at pc 0x%llx\n", ir_exit_names[r->reason],
           (unsigned long long)irvm_cpu(r->vm)->head.pc);
    irvm_print_globals(r->vm, stdout);
    if (c->stats)
        tcg_stats_print(irvm_tcg(r->vm), stdout);
    return 0;
}

/* Compare the final state of two runs; print the first difference. */
static bool same_result(const struct ir_result *a, const struct ir_result *b)
{
    const struct irvm_cpu *ca = irvm_cpu(a->vm), *cb = irvm_cpu(b->vm);
    if (a->reason != b->reason || ca->head.pc != cb->head.pc) {
        printf("%s and %s exit differently\n", a->backend, b->backend);
        return false;
    }
    for (size_t i = 0; i < IRVM_STATE_SIZE; i++) {
        if (ca->state[i] != cb->state[i]) {
            printf("%s and %s differ in CPU state at offset 0x%zx\n", a->backend, b->backend,
                   i + CPU_HEAD_SIZE);
            return false;
        }
    }
    const uint8_t *ma = irvm_mem(a->vm), *mb = irvm_mem(b->vm);
    for (size_t i = 0; i < IRVM_MEM_SIZE; i++) {
        if (ma[i] != mb[i]) {
            printf("%s and %s differ in guest memory at 0x%zx\n", a->backend, b->backend, i);
            return false;
        }
    }
    return true;
}

int cmd_ir(int argc, char **argv)
{
    struct cli_common c;
    cli_common_env(&c);
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        int r = cli_common_arg(&c, argc, argv, &i);
        if (r < 0)
            return CLI_EXIT_USAGE;
        if (r > 0)
            continue;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            printf("%s%s", usage, cli_common_help);
            return 0;
        }
        if (argv[i][0] == '-' || file) {
            fprintf(stderr, "ferry ir: unexpected argument '%s'\n%s%s", argv[i], usage,
                    cli_common_help);
            return CLI_EXIT_USAGE;
        }
        file = argv[i];
    }
    if (!file) {
        fprintf(stderr, "%s%s", usage, cli_common_help);
        return CLI_EXIT_USAGE;
    }
    if (cli_common_apply(&c) < 0)
        return CLI_EXIT_USAGE;
    if (c.backend && !backend_by_name(c.backend)) {
        fprintf(stderr, "ferry ir: unknown backend '%s' (jit or interp)\n", c.backend);
        return CLI_EXIT_USAGE;
    }

    irvm_register_helpers();
    struct ir_module m;
    char err[512];
    if (ir_parse_file(file, &m, err, sizeof(err)) != 0) {
        fprintf(stderr, "ferry ir: %s\n", err);
        return CLI_EXIT_ERROR;
    }

    struct ir_result res[2] = {{0}};
    unsigned n = 0;
    int status = 0;
    for (unsigned i = 0; i < 2 && status == 0; i++) {
        const char *b = all_backends[i];
        if (c.backend ? strcmp(c.backend, b) != 0 : !backend_by_name(b))
            continue;
        if (run_one(&m, &c, b, &res[n++]) < 0)
            status = CLI_EXIT_ERROR;
    }
    if (status == 0 && n == 2) {
        if (same_result(&res[0], &res[1]))
            printf("== %s and %s agree: exit reason, pc, CPU state and %zu KiB of memory\n",
                   res[0].backend, res[1].backend, IRVM_MEM_SIZE >> 10);
        else
            status = CLI_EXIT_FAIL;
    }
    for (unsigned i = 0; i < n; i++)
        if (res[i].vm)
            irvm_free(res[i].vm);
    ir_module_free(&m);
    return status;
}
