/* Internal header of the portable interpreter backend (backend/interp):
 * IR -> bytecode (interp_compile.c) -> dispatch loop (interp_exec.c), helper
 * calls through libffi (interp_call.c), bytecode listing (interp_disas.c).
 *
 * Bytecode: a sequence of 32-bit words in the code buffer.  Each insn is a
 * handler word (offset of its label in the dispatch loop from a base label, so
 * dispatch is one load and an indirect jump) followed by operand words with every
 * operand pre-resolved to a frame slot (a byte offset from the end of the frame):
 * temps, the block's constants, copies of the globals it uses, a scratch slot.
 * Writes to globals go to their slot and through to the CPU state, which is
 * therefore always up to date (see interp_ops.def).  i32 values are read and
 * written as 4 bytes, i64 as 8. */
#ifndef FERRY_INTERP_H
#define FERRY_INTERP_H

#include <ffi.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../backend.h"

#define INTERP_ANY (-1)   /* interp_ops.def: any type / any variant */
#define INTERP_NEVER (-2) /* interp_ops.def: internal op, never selected */
#define INTERP_MMU IR_MO_MMU /* interp_ops.def: the variant of every ld/st through the soft TLB */

/* The variants of an op follow it in this order (interp_bc_variant relies on it). */
enum interp_bc {
#define BC(name, fmt, irop, type, variant) BC_##name,
#define BCG(name, fmt, irop, type, variant) BC_##name, BC_##name##_g,
#define BCA(name, fmt, irop, type, variant) BC_##name, BC_##name##_g, BC_##name##_a, BC_##name##_ga,
#define BCI(name, fmt, irop, type, variant) BC_##name, BC_##name##_a,
#include "interp_ops.def"
#undef BC
#undef BCG
#undef BCA
#undef BCI
    BC_COUNT
};

/* Which variants follow an op (its family) and which variant an op is (role). */
enum interp_family { INTERP_FAM_PLAIN, INTERP_FAM_G, INTERP_FAM_A, INTERP_FAM_I };
enum interp_role { INTERP_ROLE_BASE, INTERP_ROLE_G, INTERP_ROLE_A, INTERP_ROLE_GA };
_Static_assert(BC_COUNT < 0xffff, "interp_state.sel_* hold bytecode ops in uint16_t");

struct interp_bcinfo {
    const char *name;
    const char *fmt;
    int16_t irop;
    int8_t type;
    int16_t variant;
    uint8_t family; /* enum interp_family of the base op */
    uint8_t role;   /* enum interp_role */
};
extern const struct interp_bcinfo interp_bcinfo[BC_COUNT];

/* Variant of base op bc writing a global (g) / reading the accumulator (acc). */
static inline enum interp_bc interp_bc_variant(enum interp_bc bc, bool g, bool acc)
{
    switch (interp_bcinfo[bc].family) {
    case INTERP_FAM_G:
        return (enum interp_bc)(bc + g);
    case INTERP_FAM_A:
        return (enum interp_bc)(bc + g + 2 * acc);
    case INTERP_FAM_I:
        return (enum interp_bc)(bc + acc);
    default:
        return bc;
    }
}

/* Frame: 8-byte slots on the host stack of exec.  Slot k is at byte offset
 * -8 * (k + 1) from the frame's end.  Temps from slot 0, then the scratch slot,
 * then constants; global copies from the top slot down. */
#define INTERP_MAX_SLOTS 2048
static inline int32_t interp_slot_loc(uint32_t k) { return -8 * (int32_t)(k + 1); }

/* A prepared helper call (one per helper id, built at compile time, freed by
 * destroy; bytecode points at it). */
enum interp_direct {
    INTERP_DIRECT_NONE, /* libffi */
    INTERP_DIRECT_U64,  /* up to 4 args, every arg and the return uint64_t (or void) */
};
struct interp_call {
    const struct ir_helper *h;
    int id;
    void (*fn)(void);
    uint8_t ret;    /* IR_I32, IR_I64, IR_VOID */
    uint8_t nargs;  /* value args */
    bool env;       /* IR_HF_ENV: hidden first argument */
    uint8_t shape;  /* enum interp_direct: the fast path this helper's types allow */
    uint8_t direct; /* enum interp_direct in use: shape, or NONE if turned off */
    ffi_cif cif;
    ffi_type *types[IR_HELPER_MAX_ARGS + 1];
};

struct interp_state {
    const int32_t *handler;          /* BC_COUNT label offsets from the dispatch loop */
    uint16_t sel_first[IR_OP_COUNT]; /* op selection: first bytecode op of an IR op */
    uint16_t sel_next[BC_COUNT];     /*   ... and the next one (0xffff ends) */
    struct interp_call **calls;      /* by helper id */
    uint32_t ncalls;
    bool direct_calls; /* use the direct-call fast paths */
};

/* interp_exec.c: the dispatch loop.  With `handlers` non-NULL it only stores the
 * label offset table there and returns 0. */
unsigned interp_run(struct interp_state *st, struct cpu_head *cpu, const struct tb *tb,
                    const int32_t **handlers);

/* After a synchronous host fault on this thread inside exec: the bytecode
 * address (RX view) of the guest memory access that faulted, NULL if the fault
 * was elsewhere (a helper).  The backend's fault_pc. */
const uint8_t *interp_fault_pc(void *state);

/* interp_call.c */
/* The prepared call for helper `id` (built on first use); NULL with a message in
 * err if the helper is unknown or libffi refuses it. */
struct interp_call *interp_call_get(struct interp_state *st, int64_t id, char *err, size_t errlen);
void interp_calls_free(struct interp_state *st);
/* Call with env and pointers to each value arg (uint32_t or uint64_t per the
 * helper's types); returns the result zero-extended (0 for void). */
uint64_t interp_call_invoke(const struct interp_call *c, void *env, void *const *argp);

/* interp_compile.c */
int interp_compile(void *state, struct code_buf *cb, const struct ir_func *f, struct tb *tb,
                   FILE *log);
void interp_select_init(struct interp_state *st);

/* interp_disas.c: the -d out_asm listing.  `code` holds `nwords` words whose
 * insns are the bytecode ops `ops` (nops of them, in order); tb's pcmap marks the
 * guest instructions.  `li` names the operands. */
struct interp_listing {
    const struct ir_func *f; /* global names */
    uint32_t ntemps;         /* frame slots: temps, then scratch, then constants ... */
    uint32_t nconst;
    const int32_t *gslot; /* ... and by value ref, the slot word of a global's copy or 0 */
};
void interp_disas(FILE *out, const struct interp_listing *li, const struct tb *tb,
                  const int32_t *code, uint32_t nwords, const uint16_t *ops, uint32_t nops);
/* Words of the insn at `ip` whose op is `bc` (including the handler word). */
uint32_t interp_insn_words(enum interp_bc bc, const int32_t *ip);

/* For tests and benchmarks: turn the direct-call fast paths on or off (default on)
 * for calls compiled afterwards. */
void interp_set_direct_calls(void *state, bool on);

#endif
