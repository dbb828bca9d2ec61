/* Internal interface of the x86-64 JIT backend, shared by its parts:
 *   x86_jit.c       compile driver, block structure, prologue, chaining
 *   x86_regalloc.c  liveness pre-pass and the local register allocator
 *   x86_lower.c     per-op lowering (calls the encoders of x86_emit.h)
 *   x86_disas.c     the -d out_asm log (Capstone)
 * Pipeline: ir_func -> liveness -> [per insn: allocate, lower] -> stubs -> code buffer. */
#ifndef FERRY_X86_JIT_H
#define FERRY_X86_JIT_H

#include "../backend.h"
#include "x86_emit.h"

/* Fixed registers (callee-saved, so helper calls keep them). */
#define X86_ENV X86_r14   /* struct cpu_head * */
#define X86_GBASE X86_r15 /* cpu->guest_base, loaded by the prologue */

/* Registers the allocator hands out: all but rsp, env and guest base. */
#define X86_REGS_ALL ((uint16_t)(0xffffu & ~(1u << X86_rsp | 1u << X86_ENV | 1u << X86_GBASE)))
#define X86_REGS_CALL_CLOBBERED                                                                    \
    ((uint16_t)(1u << X86_rax | 1u << X86_rcx | 1u << X86_rdx | 1u << X86_rsi | 1u << X86_rdi |    \
                1u << X86_r8 | 1u << X86_r9 | 1u << X86_r10 | 1u << X86_r11))
#define X86_REG_BIT(r) ((uint16_t)(1u << (r)))

/* Frame: [rsp + 8*i] is spill slot i.  The size keeps rsp 16-byte aligned
 * in block code (6 pushes + the return address of the prologue call). */
#define X86_SPILL_SLOTS 256
#define X86_FRAME_SIZE (X86_SPILL_SLOTS * 8 + 8)
_Static_assert((X86_FRAME_SIZE + 7 * 8) % 16 == 0, "block code runs with rsp 16-byte aligned");

/* Worst case bytes one IR insn emits besides global write-backs and temp
 * saves (those are bounded separately, see x86_jit.c). */
#define X86_INSN_MAX_BYTES 160

struct x86_state {
    const uint8_t *prologue; /* RX: unsigned (*)(struct cpu_head *, const void *code) */
    const uint8_t *epilogue; /* RX: blocks jump here with the exit reason in eax */
    bool has_popcnt;
};

/* Allocation state of one IR value (indexed by ir_ref). */
struct x86_val {
    int8_t reg;   /* host register holding the value, or X86_NO_REG */
    bool mem_ok;  /* globals: the env field is current; temps: the slot is */
    int16_t slot; /* temps: spill slot, or -1 */
    bool zx;      /* temps: bits 32..63 known to be 0 (x86_ra_mark_zx) */
};

struct x86_reloc {
    uint32_t at;    /* position of a rel32 field */
    uint32_t label; /* IR label, or an internal label >= f->nlabels */
};

struct x86_ctx {
    struct x86_buf b;
    const struct ir_func *f;
    struct tb *tb;
    const struct x86_state *st;
    uint8_t *code_rx; /* where the block will run (tb->code) */

    /* liveness (x86_regalloc.c) */
    uint8_t *dead;        /* per insn: bit i = arg i (outputs, inputs) is a temp
                             whose value is not needed after the insn */
    uint32_t words;       /* uint64_t words per value bitset */
    uint64_t *label_live; /* per label: temps live where it is set */
    uint64_t *fixed;      /* temps live at some label: they own a fixed slot */

    /* allocator */
    struct x86_val *vals;
    ir_ref owner[X86_NREGS]; /* value in each register (IR_NONE: free) */
    uint32_t last_use[X86_NREGS];
    uint16_t locked; /* registers in use by the current insn */
    uint32_t clock;
    uint16_t nfixed_slots;
    uint8_t slot_busy[X86_SPILL_SLOTS];

    /* the insn being lowered */
    const struct ir_insn *in;
    uint32_t idx;
    uint8_t in_dead;
    bool reachable; /* false after br and terminators, until a label */

    /* labels: IR labels first, then internal ones (stubs) */
    int64_t *label_pos;
    uint32_t nlabels_total, cap_labels;
    struct x86_reloc *relocs;
    uint32_t nrelocs, cap_relocs;

    /* goto_tb slots */
    uint32_t njmp;
    uint32_t jmp_patch[TB_MAX_JMP];
    uint32_t jmp_stub_label[TB_MAX_JMP];
    uint64_t jmp_dest[TB_MAX_JMP];
    uint32_t request_label;

    struct tb_pcmap *pcmap;
    uint32_t npcmap, cap_pcmap;

    /* soft-TLB miss paths waiting to be emitted after the body (x86_softmmu.c) */
    struct x86_smmu_stub *smmu;
    uint32_t nsmmu, cap_smmu;

    struct ir_scratch_pos scratch; /* ir_scratch mark taken by x86_compile */

    int err; /* BACKEND_* other than OK, sticky */
    char errmsg[160];
};

void x86_fail(struct x86_ctx *c, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- x86_regalloc.c -------------------------------------------------------- */
int x86_liveness(struct x86_ctx *c);
void x86_ra_init(struct x86_ctx *c);
void x86_ra_free(struct x86_ctx *c);
void x86_ra_begin_insn(struct x86_ctx *c, uint32_t idx);
void x86_ra_end_insn(struct x86_ctx *c);
bool x86_ra_dies(const struct x86_ctx *c, ir_ref v);

/* Inputs.  Every returned register stays locked until the end of the insn. */
int x86_ra_in(struct x86_ctx *c, ir_ref v, uint16_t allowed); /* read-only */
int x86_ra_in_fixed(struct x86_ctx *c, ir_ref v, int reg);    /* read-only, in `reg` */
int x86_ra_in_copy(struct x86_ctx *c, ir_ref v, int reg, uint16_t allowed); /* clobberable */
/* x86_ra_in_copy would hand out v's own register (no copy needed). */
bool x86_ra_in_place(const struct x86_ctx *c, ir_ref v);
/* A constant usable as a sign-extended imm32 in an operation of `is64`. */
bool x86_ra_imm(const struct x86_ctx *c, ir_ref v, bool is64, int32_t *imm);
/* A clobberable register (`reg`, or any of `allowed` with reg == X86_NO_REG). */
int x86_ra_scratch(struct x86_ctx *c, int reg, uint16_t allowed);
/* A register for an output written after every input has been read: may be
 * the register of an input that dies here. */
int x86_ra_out_reg(struct x86_ctx *c, uint16_t allowed);
/* `v` now lives (dirty) in `reg`. */
void x86_ra_out(struct x86_ctx *c, ir_ref v, int reg);
/* After x86_ra_out: the i64 value v just written has bits 32..63 clear (a
 * 0/1 result, a zero-extending field); tracked for temps until the next label. */
void x86_ra_mark_zx(struct x86_ctx *c, ir_ref v);
/* v is a temp known to have bits 32..63 clear. */
bool x86_ra_known_zx(const struct x86_ctx *c, ir_ref v);
/* v is a global held in no register: *m receives its env field (current). */
bool x86_ra_in_env(struct x86_ctx *c, ir_ref v, struct x86_mem *m);

/* Sync points. */
void x86_ra_writeback_globals(struct x86_ctx *c); /* stores, keeps registers */
void x86_ra_drop_globals(struct x86_ctx *c);      /* after a helper wrote them */
void x86_ra_save_temps(struct x86_ctx *c, const uint64_t *live);
void x86_ra_enter_label(struct x86_ctx *c, const uint64_t *live);
void x86_ra_forget_all(struct x86_ctx *c);
/* Before a helper call: empty every call-clobbered register, saving what is
 * still needed afterwards (locked argument registers keep their contents). */
void x86_ra_spill_call_clobbered(struct x86_ctx *c);

/* ---- x86_lower.c ------------------------------------------------------------ */
void x86_lower_insn(struct x86_ctx *c, const struct ir_insn *in);
/* goto_ptr's tail (cpu->pc already stored, globals written back): probe the
 * jump cache with the pc in register `pc`, jump or return IR_EXIT_lookup. */
void x86_jc_probe(struct x86_ctx *c, int pc);

/* ---- x86_ras.c: the return-address hint (ras_push, goto_ret) ----------------- */
void x86_lower_ras_push(struct x86_ctx *c, const struct ir_insn *in);
void x86_lower_goto_ret(struct x86_ctx *c, const struct ir_insn *in); /* then leave_block */

/* ---- x86_softmmu.c: ld/st with IR_MO_MMU ----------------------------------- */
void x86_softmmu_ld(struct x86_ctx *c, const struct ir_insn *in);
void x86_softmmu_st(struct x86_ctx *c, const struct ir_insn *in);
size_t x86_softmmu_stub_bytes(const struct x86_ctx *c); /* bytes the pending stubs may need */
void x86_softmmu_emit_stubs(struct x86_ctx *c);
void x86_softmmu_free(struct x86_ctx *c);

/* ---- x86_jit.c (block structure used by the lowering) ----------------------- */
void x86_branch_to_label(struct x86_ctx *c, int cc, uint32_t label); /* cc < 0: jmp */
void x86_bind_label(struct x86_ctx *c, uint32_t label);
uint32_t x86_new_label(struct x86_ctx *c);
void x86_jmp_epilogue(struct x86_ctx *c);
void x86_record_goto_tb(struct x86_ctx *c, uint64_t dest_pc);
void x86_record_insn_start(struct x86_ctx *c, uint64_t pc);

static inline bool x86_bit(const uint64_t *set, ir_ref v) { return (set[v / 64] >> (v % 64)) & 1; }

#endif
