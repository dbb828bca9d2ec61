/* irvm: a tiny machine that runs textual IR programs (.fir files) through the
 * translation cache, the optimizer and a backend.  Used by `ferry ir`, the tests
 * and the benchmarks.  Each `block <pc> [flags=N]` of a module is the translation
 * of guest pc (pc, flags); its globals live in irvm_cpu.state, guest memory is a
 * 1 MiB region at guest address 0. */
#ifndef FERRY_IRVM_H
#define FERRY_IRVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../../ir/ir.h"
#include "cpu.h"
#include "tcg.h"

#define IRVM_CPU_SIZE 4096u
#define IRVM_STATE_SIZE (IRVM_CPU_SIZE - CPU_HEAD_SIZE)
#define IRVM_MEM_SIZE ((size_t)1 << 20)

/* The CPU state: globals are bound at env offsets in [CPU_HEAD_SIZE, IRVM_CPU_SIZE).
 * ld_state may read anything in the struct; st_state may write the state area and
 * head.flags / head.exit_request. */
struct irvm_cpu {
    struct cpu_head head;
    uint8_t state[IRVM_STATE_SIZE];
};
_Static_assert(sizeof(struct irvm_cpu) == IRVM_CPU_SIZE, "irvm_cpu is one 4 KiB page");

struct irvm_options {
    const char *backend; /* "interp", "jit" (backend_by_name); NULL = "jit" if built, else interp */
    const struct ferry_backend *backend_ops; /* if non-NULL, used instead of `backend` */
    uint32_t opt_mask;                       /* default IR_PASSES_ALL */
    bool verify;                             /* default true */
    bool no_chain;                           /* default false */
    unsigned max_insns; /* 0 = default; the irvm cannot split a block, so it only
                           matters as a limit reported to the frontend */
    size_t code_size;   /* 0 = TCG_DEFAULT_CODE_SIZE */
    FILE *out;          /* where @putchar writes; NULL = stdout */
    unsigned tier_up;   /* tcg_config.tier_up (0 = every block optimized at once) */
};
void irvm_options_default(struct irvm_options *o);

struct irvm;

/* Register the demo helpers usable from .fir files (call before parsing them):
 *   @putchar(i64)          IR_HF_ENV|IR_HF_SIDE: writes the low byte to the irvm's out
 *   @mix64(i64, i64) -> i64  pure: a 64-bit hash mix of its two arguments
 * Returns 0, or -1 if a different helper already took one of the names. */
int irvm_register_helpers(void);

/* Create a machine for module `m` (borrowed: it must outlive the irvm; blocks are
 * translated from it lazily, so a test may edit a block and invalidate its range).
 * Checks every block's globals and state accesses against the irvm_cpu layout.
 * Returns NULL with a message in err on failure (unknown backend, bad global
 * offset, empty module, out of memory). */
struct irvm *irvm_new(const struct ir_module *m, const struct irvm_options *o, char *err,
                      size_t errlen);
void irvm_free(struct irvm *vm);

/* Run from the first block's (pc, flags) until an exit other than chain/lookup
 * (see tcg_exec): returns the IR_EXIT_* reason, or TCG_EXIT_ERROR with the
 * message in irvm_errmsg (e.g. "no block at pc 0x2000 flags=0").  Globals and
 * memory keep their values between runs (irvm_reset clears them).
 * irvm_resume continues from the current cpu pc/flags instead (after a syscall,
 * an exit request, ...). */
unsigned irvm_run(struct irvm *vm);
unsigned irvm_resume(struct irvm *vm);
/* Zero the state area and guest memory, pc/flags back to the entry block. */
void irvm_reset(struct irvm *vm);
const char *irvm_errmsg(const struct irvm *vm);

/* Accessors.  Guest memory: [0, IRVM_MEM_SIZE) at irvm_mem(vm).  The irvm does not
 * catch wild pointers yet: an access outside that range is a host SIGSEGV (below
 * 4 GiB, on a PROT_NONE guard) or undefined beyond. */
struct irvm_cpu *irvm_cpu(struct irvm *vm);
struct tcg_ctx *irvm_tcg(struct irvm *vm);
uint8_t *irvm_mem(struct irvm *vm);
const struct ir_module *irvm_module(const struct irvm *vm);

/* Globals by name (as declared in the module): 0, or -1 if no such global. */
int irvm_get_global(const struct irvm *vm, const char *name, uint64_t *value);
int irvm_set_global(struct irvm *vm, const char *name, uint64_t value);
/* A state field by env offset and size (1, 2, 4, 8), host byte order; 0 if outside. */
uint64_t irvm_read_state(const struct irvm *vm, uint32_t offset, unsigned size);
/* Print every global of the module "name = 0x... (decimal)", one per line, in
 * offset order. */
void irvm_print_globals(const struct irvm *vm, FILE *out);

#endif
