/* The portable interpreter backend (backend/interp): the `struct ferry_backend`
 * glue.  Pipeline: ir_func -> interp_compile.c (bytecode into the code buffer)
 * -> interp_exec.c (dispatch loop); helper calls in interp_call.c. */
#include <stdlib.h>

#include "interp.h"

static void *interp_create(struct code_buf *cb)
{
    struct interp_state *st = calloc(1, sizeof(*st));
    if (!st)
        return NULL;
    interp_run(NULL, NULL, NULL, &st->handler);
    interp_select_init(st);
    st->direct_calls = true;
    return st;
}

static void interp_destroy(void *state)
{
    struct interp_state *st = state;
    if (!st)
        return;
    interp_calls_free(st);
    free(st);
}

static unsigned interp_exec(void *state, struct cpu_head *cpu, const struct tb *tb)
{
    return interp_run(state, cpu, tb, NULL);
}

/* The chain pointer of a goto_tb insn: NULL = unchained (the insn exits with
 * IR_EXIT_chain), else the block to continue in. */
static void interp_patch_jmp(void *state, struct code_buf *cb, struct tb *tb, unsigned slot,
                             const struct tb *dest)
{
    uint8_t *p = codebuf_rw_of(cb, tb->code) + tb->jmp[slot].patch_off;
    __atomic_store_n((const struct tb **)(void *)p, dest, __ATOMIC_RELEASE);
}

const struct ferry_backend backend_interp = {
    .name = "interp",
    .create = interp_create,
    .destroy = interp_destroy,
    .compile = interp_compile,
    .exec = interp_exec,
    .patch_jmp = interp_patch_jmp,
    .fault_pc = interp_fault_pc,
};
