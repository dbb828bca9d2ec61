/* The interface every host backend implements.  Generic code (accel/tcg) only
 * ever reaches a backend through this const ops struct.
 *
 * Pipeline: frontend -> ir_func -> ir passes -> backend->compile -> code buffer
 *           -> backend->exec runs blocks, following chained jumps and jump-cache
 *              hits by itself, until an exit the dispatcher must handle. */
#ifndef FERRY_BACKEND_H
#define FERRY_BACKEND_H

#include <stdio.h>

#include "../accel/tcg/cpu.h"
#include "../accel/tcg/tb.h"
#include "../ir/ir.h"
#include "codebuf.h"

enum {
    BACKEND_OK = 0,
    BACKEND_FULL = 1,       /* not enough room in the code buffer: flush and retry */
    BACKEND_TOO_BIG = 2,    /* the block exceeds a backend limit: retranslate smaller */
    BACKEND_ERROR = 3,      /* internal error; message written to the log */
};

struct ferry_backend {
    const char *name;
    /* Create per-engine state; may reserve the start of the code buffer (a
     * prologue) by advancing cb->used and cb->reserved.  Returns NULL on failure. */
    void *(*create)(struct code_buf *cb);
    void (*destroy)(void *state);
    /* Compile a verified ir_func into the code buffer at cb->used.  Fills
     * tb->code, code_size, njmp, jmp[i].dest_pc/patch_off/reset_off, pcmap
     * (malloc'd) and ir_ops.  Returns BACKEND_*.  With `log` non-NULL, writes
     * the host code in a readable form (the -d out_asm log). */
    int (*compile)(void *state, struct code_buf *cb, const struct ir_func *f, struct tb *tb,
                   FILE *log);
    /* Run from `tb` (cpu->pc == tb->pc).  Follows chained goto_tb slots and
     * goto_ptr jump-cache hits without returning; returns an IR_EXIT_* reason
     * with cpu->pc set to the next guest pc (and cpu->last_tb/last_slot set for
     * IR_EXIT_chain). */
    unsigned (*exec)(void *state, struct cpu_head *cpu, const struct tb *tb);
    /* Point slot `slot` of `tb` at `dest`'s code, or back at its exit stub if
     * dest is NULL.  Must be safe to call while no block is running. */
    void (*patch_jmp)(void *state, struct code_buf *cb, struct tb *tb, unsigned slot,
                      const struct tb *dest);
    /* Optional; NULL when the host pc of a fault is itself in the block's code
     * (a JIT).  After a synchronous host fault on this thread while exec ran:
     * the address in the code buffer's executable view of the block code that
     * faulted (for tcg_find_tb_by_host_pc / tb_guest_pc), or NULL if the fault
     * was not in a guest memory access of block code (e.g. inside a helper). */
    const uint8_t *(*fault_pc)(void *state);
};

extern const struct ferry_backend backend_x86_64; /* backend/x86_64 */
extern const struct ferry_backend backend_interp; /* backend/interp */

/* By name ("jit" is the host's JIT, "interp"); NULL if unknown. */
const struct ferry_backend *backend_by_name(const char *name);

#endif
