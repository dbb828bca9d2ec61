/* Ferry IR: the platform-independent representation every frontend emits and
 * every backend compiles.  One ir_func is one translation block: a linear list
 * of instructions over typed values (temps, globals bound to CPU-state fields,
 * constants), with labels and branches inside it and explicit terminators.
 * The op table is ir/ops.def; op semantics are in ir/sem.h. */
#ifndef FERRY_IR_H
#define FERRY_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- op table ------------------------------------------------------------ */

enum ir_op {
#define IR_OP(name, nout, nin, ncarg, flags, sig) IR_OP_##name,
#include "ops.def"
#undef IR_OP
    IR_OP_COUNT
};

enum {
    IR_F_MEM = 1u << 0,    /* guest memory access: may fault, globals synced */
    IR_F_SIDE = 1u << 1,   /* never removed by dead-code elimination */
    IR_F_STATE = 1u << 2,  /* CPU-state access outside the globals */
    IR_F_CALL = 1u << 3,   /* helper call (flags of the helper apply) */
    IR_F_LABEL = 1u << 4,  /* set_label */
    IR_F_BRANCH = 1u << 5, /* br, brcond: may transfer control to a label */
    IR_F_END = 1u << 6,    /* block terminator: control leaves the block */
};

struct ir_opinfo {
    const char *name;
    int8_t nout, nin; /* -1: variable (call) */
    uint8_t ncarg;
    uint32_t flags;
    const char *sig;
};
extern const struct ir_opinfo ir_ops[IR_OP_COUNT];

/* ---- types and values ---------------------------------------------------- */

enum ir_type {
    IR_I32,
    IR_I64,
    IR_F64,  /* reserved: no op takes it yet */
    IR_V128, /* reserved: no op takes it yet */
    IR_VOID, /* helper returning nothing */
    IR_TYPE_COUNT
};
extern const char *const ir_type_names[IR_TYPE_COUNT];
static inline unsigned ir_type_bits(enum ir_type t) { return t == IR_I32 ? 32 : 64; }
static inline uint64_t ir_type_mask(enum ir_type t)
{
    return t == IR_I32 ? 0xffffffffull : ~0ull;
}

enum ir_vkind { IR_VAL_TEMP, IR_VAL_GLOBAL, IR_VAL_CONST };

/* An index into ir_func.vals.  0 is never a valid value. */
typedef uint32_t ir_ref;
#define IR_NONE ((ir_ref)0)

#define IR_NAME_MAX 16
struct ir_value {
    uint8_t kind; /* enum ir_vkind */
    uint8_t type; /* enum ir_type */
    uint16_t size; /* globals: bytes of the field (4 or 8) */
    uint32_t num;  /* temps: ordinal (printed as t<num>); globals: env offset */
    uint64_t c;    /* constants: value, canonical (masked to the type) */
    char name[IR_NAME_MAX]; /* globals only */
};

/* ---- conditions, memops, exits, barriers ---------------------------------- */

enum ir_cond {
#define IR_COND(name, inv, swp) IR_COND_##name,
#include "conds.def"
#undef IR_COND
    IR_COND_COUNT
};
extern const char *const ir_cond_names[IR_COND_COUNT];
enum ir_cond ir_cond_invert(enum ir_cond c);
enum ir_cond ir_cond_swap(enum ir_cond c);

/* memop: size (log2 bytes) | sign | big-endian */
enum {
    IR_MO_8 = 0,
    IR_MO_16 = 1,
    IR_MO_32 = 2,
    IR_MO_64 = 3,
    IR_MO_SIZE = 3,
    IR_MO_SIGN = 4,
    IR_MO_BE = 8,
    IR_MO_ALL = 15, /* every valid memop bit of a user-mode ld/st and of ld_state/st_state */
    /* ld/st only: the access goes through the soft TLB of the CPU state
     * (system mode, accel/tcg/softmmu.h) instead of guest_base + addr; the
     * MMU index (which TLB: e.g. x86 supervisor 0 / user 1) is in bits 5-6. */
    IR_MO_MMU = 16,
    IR_MO_MMU_IDX_SHIFT = 5,
    IR_MO_MMU_IDX = 3 << 5,
    IR_MO_GUEST_ALL = IR_MO_ALL | IR_MO_MMU | IR_MO_MMU_IDX, /* every valid ld/st memop bit */
};
static inline unsigned ir_mo_bytes(int64_t mo) { return 1u << (mo & IR_MO_SIZE); }
static inline unsigned ir_mo_mmu_idx(int64_t mo)
{
    return (unsigned)(mo & IR_MO_MMU_IDX) >> IR_MO_MMU_IDX_SHIFT;
}

enum ir_exit {
#define IR_EXIT(name, desc) IR_EXIT_##name,
#include "exits.def"
#undef IR_EXIT
    IR_EXIT_COUNT
};
extern const char *const ir_exit_names[IR_EXIT_COUNT];
extern const char *const ir_exit_descs[IR_EXIT_COUNT];

enum { IR_MB_FULL = 0, IR_MB_LD = 1, IR_MB_ST = 2 }; /* mb kinds */

/* ---- helpers -------------------------------------------------------------- */

#define IR_HELPER_MAX_ARGS 6
enum {
    IR_HF_ENV = 1u << 0,     /* the CPU state pointer is passed as a hidden first arg */
    IR_HF_READS_GLOBALS = 1u << 1,  /* globals must be written back before the call */
    IR_HF_WRITES_GLOBALS = 1u << 2, /* globals must be reloaded after the call */
    IR_HF_SIDE = 1u << 3,    /* has side effects: never removed */
};
struct ir_helper {
    const char *name;
    void *fn;
    uint8_t ret;                         /* enum ir_type: IR_I32, IR_I64 or IR_VOID */
    uint8_t nargs;                       /* value args, not counting the hidden env */
    uint8_t args[IR_HELPER_MAX_ARGS];    /* enum ir_type of each */
    uint32_t flags;                      /* IR_HF_* */
};
/* Register a helper (the struct must outlive its use); returns its id >= 0, or
 * -1 if the table is full or the name is taken by a different helper.
 * Registering the same struct twice returns the same id. */
int ir_helper_register(const struct ir_helper *h);
const struct ir_helper *ir_helper_get(int64_t id); /* NULL if unknown */
int ir_helper_find(const char *name);              /* id, or -1 */

/* ---- instructions and functions ------------------------------------------- */

#define IR_MAX_ARGS 8  /* outputs + inputs */
#define IR_MAX_CARGS 3

struct ir_insn {
    uint16_t op;   /* enum ir_op */
    uint8_t type;  /* the op's type T (IR_I32/IR_I64) where the sig has one */
    uint8_t nout, nin, ncarg;
    ir_ref args[IR_MAX_ARGS]; /* outputs, then inputs */
    int64_t carg[IR_MAX_CARGS];
};
static inline ir_ref ir_out(const struct ir_insn *in, unsigned i) { return in->args[i]; }
static inline ir_ref ir_in(const struct ir_insn *in, unsigned i) { return in->args[in->nout + i]; }

struct ir_func {
    uint64_t pc;    /* guest pc of the block (informational, printed) */
    uint32_t flags; /* cpu-mode flags of the block (informational) */
    uint32_t env_size; /* bytes of CPU state; 0 = unknown (no bound checks) */

    struct ir_value *vals; /* vals[0] unused */
    uint32_t nvals, cap_vals;
    uint32_t ntemps;
    struct ir_insn *insns;
    uint32_t ninsns, cap_insns;
    uint32_t nlabels;

    int err;           /* sticky: first error while building, 0 if none */
    char errmsg[160];
};

void ir_func_init(struct ir_func *f);
void ir_func_reset(struct ir_func *f); /* empty it, keep the memory */
void ir_func_free(struct ir_func *f);
int ir_func_copy(struct ir_func *dst, const struct ir_func *src); /* dst initialised */
/* Record the first error (printf-style); later ones are ignored. */
void ir_error(struct ir_func *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Values.  A global is identified by its offset: asking twice gives the same ref. */
ir_ref ir_temp(struct ir_func *f, enum ir_type t);
ir_ref ir_const(struct ir_func *f, enum ir_type t, uint64_t v);
ir_ref ir_global(struct ir_func *f, enum ir_type t, uint32_t offset, const char *name);
static inline const struct ir_value *ir_val(const struct ir_func *f, ir_ref r) { return &f->vals[r]; }
static inline bool ir_is_const(const struct ir_func *f, ir_ref r) { return f->vals[r].kind == IR_VAL_CONST; }
static inline enum ir_type ir_val_type(const struct ir_func *f, ir_ref r) { return (enum ir_type)f->vals[r].type; }

/* Labels */
uint32_t ir_new_label(struct ir_func *f);

/* Emit an instruction: outputs then inputs in args, constant args in cargs.
 * The type T is taken from the sig's first T slot.  Returns the new insn's
 * index, or -1 (and records the sticky error) on a malformed call. */
int ir_emit(struct ir_func *f, enum ir_op op, const ir_ref *args, unsigned nargs,
            const int64_t *cargs, unsigned ncargs);

/* Shorthands for the common shapes (plain functions; grep finds them). */
void ir_emit_1_1(struct ir_func *f, enum ir_op op, ir_ref d, ir_ref a);
void ir_emit_1_2(struct ir_func *f, enum ir_op op, ir_ref d, ir_ref a, ir_ref b);
void ir_mov(struct ir_func *f, ir_ref d, ir_ref a);
void ir_movi(struct ir_func *f, ir_ref d, uint64_t v);
void ir_setcond(struct ir_func *f, enum ir_cond c, ir_ref d, ir_ref a, ir_ref b);
void ir_movcond(struct ir_func *f, enum ir_cond c, ir_ref d, ir_ref a, ir_ref b, ir_ref t, ir_ref e);
void ir_extract(struct ir_func *f, ir_ref d, ir_ref a, unsigned pos, unsigned len);
void ir_sextract(struct ir_func *f, ir_ref d, ir_ref a, unsigned pos, unsigned len);
void ir_deposit(struct ir_func *f, ir_ref d, ir_ref a, ir_ref b, unsigned pos, unsigned len);
void ir_ld(struct ir_func *f, ir_ref d, ir_ref addr, unsigned memop);
void ir_st(struct ir_func *f, ir_ref v, ir_ref addr, unsigned memop);
void ir_ld_state(struct ir_func *f, ir_ref d, uint32_t offset, unsigned memop);
void ir_st_state(struct ir_func *f, ir_ref v, uint32_t offset, unsigned memop);
/* d may be IR_NONE for a helper returning void; args has h->nargs values. */
void ir_call(struct ir_func *f, int helper_id, ir_ref d, const ir_ref *args);
void ir_insn_start(struct ir_func *f, uint64_t pc);
void ir_set_label(struct ir_func *f, uint32_t label);
void ir_br(struct ir_func *f, uint32_t label);
void ir_brcond(struct ir_func *f, enum ir_cond c, ir_ref a, ir_ref b, uint32_t label);
void ir_goto_tb(struct ir_func *f, uint64_t pc);
void ir_goto_ptr(struct ir_func *f, ir_ref pc);
/* Return-address hint: ras_push(return pc) in a call's block, goto_ret(pc) as
 * the return's terminator (same effect as goto_ptr). */
void ir_ras_push(struct ir_func *f, uint64_t ret_pc);
void ir_goto_ret(struct ir_func *f, ir_ref pc);
void ir_exit(struct ir_func *f, enum ir_exit reason, ir_ref pc);

/* Turn an insn into a nop / remove all nops. */
void ir_make_nop(struct ir_insn *in);
void ir_compact(struct ir_func *f);

/* Scratch memory for the per-block working arrays of passes and backends: a
 * per-thread stack of chunks kept across blocks, so translating a block does
 * not malloc/free them again and again.  Take a mark, allocate, release the
 * mark: everything allocated after it is given back at once (nothing is
 * freed one by one).  16-byte aligned; NULL when out of memory. */
struct ir_scratch_chunk;
struct ir_scratch_pos {
    struct ir_scratch_chunk *chunk;
    size_t used;
};
struct ir_scratch_pos ir_scratch_mark(void);
void ir_scratch_release(struct ir_scratch_pos m);
void *ir_scratch_alloc(size_t bytes);  /* contents undefined */
void *ir_scratch_zalloc(size_t bytes); /* zeroed */

/* Effective flags of an insn: op flags, plus IR_F_SIDE for calls whose helper
 * has side effects or writes globals. */
uint32_t ir_insn_flags(const struct ir_insn *in);

/* ---- text form, verifier, passes (ir/text.c, ir/verify.c, ir/opt_*.c) ------ */

/* Print one block in the textual form (see docs/ir.md), globals first. */
void ir_print(FILE *out, const struct ir_func *f);
/* Print one insn (no newline). */
void ir_print_insn(FILE *out, const struct ir_func *f, const struct ir_insn *in);

/* A parsed file: global declarations and one ir_func per `block`. */
struct ir_module {
    struct ir_func *funcs;
    unsigned nfuncs;
};
/* Parse text; on error returns nonzero and writes "name:line: message" into
 * err (size errlen).  `name` is used in messages (file name). */
int ir_parse(const char *text, const char *name, struct ir_module *m, char *err, size_t errlen);
int ir_parse_file(const char *path, struct ir_module *m, char *err, size_t errlen);
void ir_module_free(struct ir_module *m);

/* Check every invariant (docs/ir.md).  Returns 0 if valid, else nonzero with a
 * message naming the insn index and what is wrong. */
int ir_verify(const struct ir_func *f, char *err, size_t errlen);

enum ir_pass {
#define IR_PASS(name, desc) IR_PASS_##name,
#include "passes.def"
#undef IR_PASS
    IR_PASS_COUNT
};
extern const char *const ir_pass_names[IR_PASS_COUNT];
/* The passes (one file each: ir/opt_<name>.c).  Each returns 1 if it changed
 * the function, 0 if not. */
int ir_pass_constfold(struct ir_func *f);
int ir_pass_copyprop(struct ir_func *f);
int ir_pass_simplify(struct ir_func *f);
int ir_pass_stateelim(struct ir_func *f);
int ir_pass_dce(struct ir_func *f);
/* Run the passes in `mask` (bit i = pass i); with `verify`, run the verifier
 * after each pass (an internal error aborts with the IR printed).  With a
 * non-NULL `log`, print the IR after each pass. */
int ir_optimize(struct ir_func *f, uint32_t mask, bool verify, FILE *log);
#define IR_PASSES_ALL ((1u << IR_PASS_COUNT) - 1)

#endif
