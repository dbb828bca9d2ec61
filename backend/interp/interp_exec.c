/* The interpreter's dispatch loop (backend/interp): runs the bytecode that
 * interp_compile.c wrote, with direct threading through GCC labels-as-values.
 * Pipeline: ir_func -> interp_compile -> bytecode in the code buffer -> here.
 * Every operand is a frame slot; globals are written through to the CPU state.
 * Op semantics come from ir/sem.h; guest memory fast paths are checked against
 * sem_load/sem_store by the tests. */
#include <stdatomic.h>
#include <string.h>

#include "../../ir/sem.h"
#include "interp.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define INTERP_HOST_BE 1
#else
#define INTERP_HOST_BE 0
#endif

/* ---- value access: i32 as 4 bytes, i64 as 8, through memcpy (no alignment or
 * aliasing assumptions; each is one host load or store) ---- */

static inline uint64_t rd32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}
static inline uint64_t rd64(const void *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}
static inline void wr32(void *p, uint64_t v)
{
    uint32_t x = (uint32_t)v;
    memcpy(p, &x, 4);
}
static inline void wr64(void *p, uint64_t v) { memcpy(p, &v, 8); }

/* ---- guest memory fast paths (the general handlers use sem_load/sem_store) ---- */

static inline uint16_t swap16_if(bool c, uint16_t v) { return c ? __builtin_bswap16(v) : v; }
static inline uint32_t swap32_if(bool c, uint32_t v) { return c ? __builtin_bswap32(v) : v; }
static inline uint64_t swap64_if(bool c, uint64_t v) { return c ? __builtin_bswap64(v) : v; }

static inline uint64_t gld8(const void *p) { return *(const uint8_t *)p; }
static inline uint64_t gld16(const void *p, bool be)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return swap16_if(be != INTERP_HOST_BE, v);
}
static inline uint64_t gld32(const void *p, bool be)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return swap32_if(be != INTERP_HOST_BE, v);
}
static inline uint64_t gld64(const void *p, bool be)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return swap64_if(be != INTERP_HOST_BE, v);
}
static inline void gst8(void *p, uint64_t v) { *(uint8_t *)p = (uint8_t)v; }
static inline void gst16(void *p, uint64_t v, bool be)
{
    uint16_t x = swap16_if(be != INTERP_HOST_BE, (uint16_t)v);
    memcpy(p, &x, 2);
}
static inline void gst32(void *p, uint64_t v, bool be)
{
    uint32_t x = swap32_if(be != INTERP_HOST_BE, (uint32_t)v);
    memcpy(p, &x, 4);
}
static inline void gst64(void *p, uint64_t v, bool be)
{
    uint64_t x = swap64_if(be != INTERP_HOST_BE, v);
    memcpy(p, &x, 8);
}
static inline uint64_t sx8(uint64_t v) { return (uint64_t)(int64_t)(int8_t)(uint8_t)v; }
static inline uint64_t sx16(uint64_t v) { return (uint64_t)(int64_t)(int16_t)(uint16_t)v; }
static inline uint64_t sx32(uint64_t v) { return (uint64_t)(int64_t)(int32_t)(uint32_t)v; }

/* ld_state/st_state: host byte order, memop size and sign. */
static uint64_t state_load(const void *p, unsigned mo)
{
    bool s = mo & IR_MO_SIGN;
    switch (mo & IR_MO_SIZE) {
    case IR_MO_8: return s ? sx8(gld8(p)) : gld8(p);
    case IR_MO_16: return s ? sx16(gld16(p, INTERP_HOST_BE)) : gld16(p, INTERP_HOST_BE);
    case IR_MO_32: return s ? sx32(gld32(p, INTERP_HOST_BE)) : gld32(p, INTERP_HOST_BE);
    default: return gld64(p, INTERP_HOST_BE);
    }
}
static void state_store(void *p, uint64_t v, unsigned mo)
{
    switch (mo & IR_MO_SIZE) {
    case IR_MO_8: gst8(p, v); break;
    case IR_MO_16: gst16(p, v, INTERP_HOST_BE); break;
    case IR_MO_32: gst32(p, v, INTERP_HOST_BE); break;
    default: gst64(p, v, INTERP_HOST_BE); break;
    }
}

/* ---- the loop ---- */

/* Slot word -> host address. */
#define FR(w) ((void *)(fend + (w)))
#define R32(k) rd32(FR(ip[k]))
#define R64(k) rd64(FR(ip[k]))
/* Guest address of the i64 input in word k. */
#define GADDR(k) ((void *)((uintptr_t)cpu->guest_base + (uintptr_t)R64(k)))

#define DISPATCH() goto *(const void *)(hbase + ip[0])
#define NEXT(n)                                                                                    \
    do {                                                                                           \
        ip += (n);                                                                                 \
        DISPATCH();                                                                                \
    } while (0)
/* Branch to the target in word k (bytes from the insn start) if c. */
#define BRANCH_IF(c, k)                                                                            \
    do {                                                                                           \
        if (c) {                                                                                   \
            ip = (const int32_t *)((const char *)ip + ip[k]);                                      \
            DISPATCH();                                                                            \
        }                                                                                          \
    } while (0)

/* The two handlers of a BCG op whose output slot is word 1 and which has n
 * words: `base` writes the result to the slot; `twin` (one word more, the env
 * offset of the global) also writes it through to the CPU state. */
#define PAIR32(base, twin, n, expr)                                                                \
    twin : {                                                                                       \
        uint64_t r_ = (expr);                                                                      \
        wr32(FR(ip[1]), r_);                                                                       \
        wr32(env + ip[n], r_);                                                                     \
        NEXT((n) + 1);                                                                             \
    }                                                                                              \
    base : wr32(FR(ip[1]), (expr));                                                                \
    NEXT(n);
#define PAIR64(base, twin, n, expr)                                                                \
    twin : {                                                                                       \
        uint64_t r_ = (expr);                                                                      \
        wr64(FR(ip[1]), r_);                                                                       \
        wr64(env + ip[n], r_);                                                                     \
        NEXT((n) + 1);                                                                             \
    }                                                                                              \
    base : wr64(FR(ip[1]), (expr));                                                                \
    NEXT(n);

/* noinline/noclone: the label offsets must come from the one copy of this
 * function that runs the bytecode. */
__attribute__((noinline, noclone)) unsigned interp_run(struct interp_state *st,
                                                       struct cpu_head *cpu, const struct tb *tb,
                                                       const int32_t **handlers)
{
    static const int32_t offsets[BC_COUNT] = {
#define BC(name, fmt, irop, type, variant) [BC_##name] = (int32_t)(&&bc_##name - &&bc_base),
#define BCG(name, fmt, irop, type, variant)                                                         \
    [BC_##name] = (int32_t)(&&bc_##name - &&bc_base),                                              \
    [BC_##name##_g] = (int32_t)(&&bc_##name##_g - &&bc_base),
#include "interp_ops.def"
#undef BC
#undef BCG
    };
    if (handlers) {
        *handlers = offsets;
        return 0;
    }

    uint64_t frame[INTERP_MAX_SLOTS];
    char *const fend = (char *)(frame + INTERP_MAX_SLOTS);
    char *const env = (char *)cpu;
    const char *const hbase = (const char *)&&bc_base;
    const int32_t *ip;

enter:
    if (cpu->exit_request) {
        cpu->pc = tb->pc;
        return IR_EXIT_request;
    }
    ip = (const int32_t *)tb->code;
    DISPATCH();

    /* ---- internal ---- */
bc_base:
bc_nop:
    NEXT(1);
bc_consts:
    memcpy(FR(ip[2]), ip + 4, (size_t)ip[1] * 8);
    NEXT(4 + 2 * ip[1]);
bc_gather: {
    const int32_t *e = ip + 4;
    for (int32_t i = 0; i < ip[1]; i++, e += 2)
        memcpy(FR(e[0]), env + e[1], 8);
    for (int32_t i = 0; i < ip[2]; i++, e += 2)
        memcpy(FR(e[0]), env + e[1], 4);
    ip = e;
    DISPATCH();
}

    /* ---- moves and arithmetic ---- */
PAIR32(bc_mov_i32, bc_mov_i32_g, 3, R32(2))
PAIR64(bc_mov_i64, bc_mov_i64_g, 3, R64(2))
PAIR32(bc_add_i32, bc_add_i32_g, 4, R32(2) + R32(3))
PAIR64(bc_add_i64, bc_add_i64_g, 4, R64(2) + R64(3))
PAIR32(bc_sub_i32, bc_sub_i32_g, 4, R32(2) - R32(3))
PAIR64(bc_sub_i64, bc_sub_i64_g, 4, R64(2) - R64(3))
PAIR32(bc_mul_i32, bc_mul_i32_g, 4, R32(2) * R32(3))
PAIR64(bc_mul_i64, bc_mul_i64_g, 4, R64(2) * R64(3))
PAIR32(bc_mulsh_i32, bc_mulsh_i32_g, 4, sem_mulsh(IR_I32, R32(2), R32(3)))
PAIR64(bc_mulsh_i64, bc_mulsh_i64_g, 4, sem_mulsh(IR_I64, R64(2), R64(3)))
PAIR32(bc_muluh_i32, bc_muluh_i32_g, 4, sem_muluh(IR_I32, R32(2), R32(3)))
PAIR64(bc_muluh_i64, bc_muluh_i64_g, 4, sem_muluh(IR_I64, R64(2), R64(3)))
PAIR32(bc_divs_i32, bc_divs_i32_g, 4, sem_divs(IR_I32, R32(2), R32(3)))
PAIR64(bc_divs_i64, bc_divs_i64_g, 4, sem_divs(IR_I64, R64(2), R64(3)))
PAIR32(bc_divu_i32, bc_divu_i32_g, 4, sem_divu(R32(2), R32(3)))
PAIR64(bc_divu_i64, bc_divu_i64_g, 4, sem_divu(R64(2), R64(3)))
PAIR32(bc_rems_i32, bc_rems_i32_g, 4, sem_rems(IR_I32, R32(2), R32(3)))
PAIR64(bc_rems_i64, bc_rems_i64_g, 4, sem_rems(IR_I64, R64(2), R64(3)))
PAIR32(bc_remu_i32, bc_remu_i32_g, 4, sem_remu(R32(2), R32(3)))
PAIR64(bc_remu_i64, bc_remu_i64_g, 4, sem_remu(R64(2), R64(3)))
PAIR32(bc_neg_i32, bc_neg_i32_g, 3, 0 - R32(2))
PAIR64(bc_neg_i64, bc_neg_i64_g, 3, 0 - R64(2))

    /* ---- bitwise ---- */
PAIR32(bc_and_i32, bc_and_i32_g, 4, R32(2) & R32(3))
PAIR64(bc_and_i64, bc_and_i64_g, 4, R64(2) & R64(3))
PAIR32(bc_or_i32, bc_or_i32_g, 4, R32(2) | R32(3))
PAIR64(bc_or_i64, bc_or_i64_g, 4, R64(2) | R64(3))
PAIR32(bc_xor_i32, bc_xor_i32_g, 4, R32(2) ^ R32(3))
PAIR64(bc_xor_i64, bc_xor_i64_g, 4, R64(2) ^ R64(3))
PAIR32(bc_andc_i32, bc_andc_i32_g, 4, R32(2) & ~R32(3))
PAIR64(bc_andc_i64, bc_andc_i64_g, 4, R64(2) & ~R64(3))
PAIR32(bc_not_i32, bc_not_i32_g, 3, ~R32(2))
PAIR64(bc_not_i64, bc_not_i64_g, 3, ~R64(2))

    /* ---- shifts and rotates ---- */
PAIR32(bc_shl_i32, bc_shl_i32_g, 4, sem_shl(IR_I32, R32(2), R32(3)))
PAIR64(bc_shl_i64, bc_shl_i64_g, 4, sem_shl(IR_I64, R64(2), R64(3)))
PAIR32(bc_shr_i32, bc_shr_i32_g, 4, sem_shr(IR_I32, R32(2), R32(3)))
PAIR64(bc_shr_i64, bc_shr_i64_g, 4, sem_shr(IR_I64, R64(2), R64(3)))
PAIR32(bc_sar_i32, bc_sar_i32_g, 4, sem_sar(IR_I32, R32(2), R32(3)))
PAIR64(bc_sar_i64, bc_sar_i64_g, 4, sem_sar(IR_I64, R64(2), R64(3)))
PAIR32(bc_rotl_i32, bc_rotl_i32_g, 4, sem_rotl(IR_I32, R32(2), R32(3)))
PAIR64(bc_rotl_i64, bc_rotl_i64_g, 4, sem_rotl(IR_I64, R64(2), R64(3)))
PAIR32(bc_rotr_i32, bc_rotr_i32_g, 4, sem_rotr(IR_I32, R32(2), R32(3)))
PAIR64(bc_rotr_i64, bc_rotr_i64_g, 4, sem_rotr(IR_I64, R64(2), R64(3)))

    /* ---- bit counting and byte order ---- */
PAIR32(bc_clz_i32, bc_clz_i32_g, 3, sem_clz(IR_I32, R32(2)))
PAIR64(bc_clz_i64, bc_clz_i64_g, 3, sem_clz(IR_I64, R64(2)))
PAIR32(bc_ctz_i32, bc_ctz_i32_g, 3, sem_ctz(IR_I32, R32(2)))
PAIR64(bc_ctz_i64, bc_ctz_i64_g, 3, sem_ctz(IR_I64, R64(2)))
PAIR32(bc_popcnt_i32, bc_popcnt_i32_g, 3, sem_popcnt(R32(2)))
PAIR64(bc_popcnt_i64, bc_popcnt_i64_g, 3, sem_popcnt(R64(2)))
PAIR32(bc_bswap16_i32, bc_bswap16_i32_g, 3, sem_bswap(R32(2), 2))
PAIR32(bc_bswap32_i32, bc_bswap32_i32_g, 3, sem_bswap(R32(2), 4))
PAIR64(bc_bswap16_i64, bc_bswap16_i64_g, 3, sem_bswap(R64(2), 2))
PAIR64(bc_bswap32_i64, bc_bswap32_i64_g, 3, sem_bswap(R64(2), 4))
PAIR64(bc_bswap64_i64, bc_bswap64_i64_g, 3, sem_bswap(R64(2), 8))

    /* ---- bit fields ---- */
PAIR32(bc_extract_i32, bc_extract_i32_g, 5, sem_extract(R32(2), (unsigned)ip[3], (unsigned)ip[4]))
PAIR64(bc_extract_i64, bc_extract_i64_g, 5, sem_extract(R64(2), (unsigned)ip[3], (unsigned)ip[4]))
PAIR32(bc_sextract_i32, bc_sextract_i32_g, 5, sem_sextract(IR_I32, R32(2), (unsigned)ip[3], (unsigned)ip[4]))
PAIR64(bc_sextract_i64, bc_sextract_i64_g, 5, sem_sextract(IR_I64, R64(2), (unsigned)ip[3], (unsigned)ip[4]))
PAIR32(bc_deposit_i32, bc_deposit_i32_g, 6, sem_deposit(IR_I32, R32(2), R32(3), (unsigned)ip[4], (unsigned)ip[5]))
PAIR64(bc_deposit_i64, bc_deposit_i64_g, 6, sem_deposit(IR_I64, R64(2), R64(3), (unsigned)ip[4], (unsigned)ip[5]))

    /* ---- width changes ---- */
PAIR64(bc_zext, bc_zext_g, 3, R32(2))
PAIR64(bc_sext, bc_sext_g, 3, sx32(R32(2)))
PAIR32(bc_trunc, bc_trunc_g, 3, R64(2))

    /* ---- comparisons ---- */
PAIR32(bc_setcond_eq_i32, bc_setcond_eq_i32_g, 4, sem_cond(IR_I32, IR_COND_eq, R32(2), R32(3)))
PAIR32(bc_setcond_ne_i32, bc_setcond_ne_i32_g, 4, sem_cond(IR_I32, IR_COND_ne, R32(2), R32(3)))
PAIR32(bc_setcond_lt_i32, bc_setcond_lt_i32_g, 4, sem_cond(IR_I32, IR_COND_lt, R32(2), R32(3)))
PAIR32(bc_setcond_ge_i32, bc_setcond_ge_i32_g, 4, sem_cond(IR_I32, IR_COND_ge, R32(2), R32(3)))
PAIR32(bc_setcond_le_i32, bc_setcond_le_i32_g, 4, sem_cond(IR_I32, IR_COND_le, R32(2), R32(3)))
PAIR32(bc_setcond_gt_i32, bc_setcond_gt_i32_g, 4, sem_cond(IR_I32, IR_COND_gt, R32(2), R32(3)))
PAIR32(bc_setcond_ltu_i32, bc_setcond_ltu_i32_g, 4, sem_cond(IR_I32, IR_COND_ltu, R32(2), R32(3)))
PAIR32(bc_setcond_geu_i32, bc_setcond_geu_i32_g, 4, sem_cond(IR_I32, IR_COND_geu, R32(2), R32(3)))
PAIR32(bc_setcond_leu_i32, bc_setcond_leu_i32_g, 4, sem_cond(IR_I32, IR_COND_leu, R32(2), R32(3)))
PAIR32(bc_setcond_gtu_i32, bc_setcond_gtu_i32_g, 4, sem_cond(IR_I32, IR_COND_gtu, R32(2), R32(3)))
PAIR64(bc_setcond_eq_i64, bc_setcond_eq_i64_g, 4, sem_cond(IR_I64, IR_COND_eq, R64(2), R64(3)))
PAIR64(bc_setcond_ne_i64, bc_setcond_ne_i64_g, 4, sem_cond(IR_I64, IR_COND_ne, R64(2), R64(3)))
PAIR64(bc_setcond_lt_i64, bc_setcond_lt_i64_g, 4, sem_cond(IR_I64, IR_COND_lt, R64(2), R64(3)))
PAIR64(bc_setcond_ge_i64, bc_setcond_ge_i64_g, 4, sem_cond(IR_I64, IR_COND_ge, R64(2), R64(3)))
PAIR64(bc_setcond_le_i64, bc_setcond_le_i64_g, 4, sem_cond(IR_I64, IR_COND_le, R64(2), R64(3)))
PAIR64(bc_setcond_gt_i64, bc_setcond_gt_i64_g, 4, sem_cond(IR_I64, IR_COND_gt, R64(2), R64(3)))
PAIR64(bc_setcond_ltu_i64, bc_setcond_ltu_i64_g, 4, sem_cond(IR_I64, IR_COND_ltu, R64(2), R64(3)))
PAIR64(bc_setcond_geu_i64, bc_setcond_geu_i64_g, 4, sem_cond(IR_I64, IR_COND_geu, R64(2), R64(3)))
PAIR64(bc_setcond_leu_i64, bc_setcond_leu_i64_g, 4, sem_cond(IR_I64, IR_COND_leu, R64(2), R64(3)))
PAIR64(bc_setcond_gtu_i64, bc_setcond_gtu_i64_g, 4, sem_cond(IR_I64, IR_COND_gtu, R64(2), R64(3)))
PAIR32(bc_movcond_eq_i32, bc_movcond_eq_i32_g, 6, sem_cond(IR_I32, IR_COND_eq, R32(2), R32(3)) ? R32(4) : R32(5))
PAIR32(bc_movcond_ne_i32, bc_movcond_ne_i32_g, 6, sem_cond(IR_I32, IR_COND_ne, R32(2), R32(3)) ? R32(4) : R32(5))
PAIR32(bc_movcond_lt_i32, bc_movcond_lt_i32_g, 6, sem_cond(IR_I32, IR_COND_lt, R32(2), R32(3)) ? R32(4) : R32(5))
PAIR32(bc_movcond_ge_i32, bc_movcond_ge_i32_g, 6, sem_cond(IR_I32, IR_COND_ge, R32(2), R32(3)) ? R32(4) : R32(5))
PAIR32(bc_movcond_le_i32, bc_movcond_le_i32_g, 6, sem_cond(IR_I32, IR_COND_le, R32(2), R32(3)) ? R32(4) : R32(5))
PAIR32(bc_movcond_gt_i32, bc_movcond_gt_i32_g, 6, sem_cond(IR_I32, IR_COND_gt, R32(2), R32(3)) ? R32(4) : R32(5))
PAIR32(bc_movcond_ltu_i32, bc_movcond_ltu_i32_g, 6, sem_cond(IR_I32, IR_COND_ltu, R32(2), R32(3)) ? R32(4) : R32(5))
PAIR32(bc_movcond_geu_i32, bc_movcond_geu_i32_g, 6, sem_cond(IR_I32, IR_COND_geu, R32(2), R32(3)) ? R32(4) : R32(5))
PAIR32(bc_movcond_leu_i32, bc_movcond_leu_i32_g, 6, sem_cond(IR_I32, IR_COND_leu, R32(2), R32(3)) ? R32(4) : R32(5))
PAIR32(bc_movcond_gtu_i32, bc_movcond_gtu_i32_g, 6, sem_cond(IR_I32, IR_COND_gtu, R32(2), R32(3)) ? R32(4) : R32(5))
PAIR64(bc_movcond_eq_i64, bc_movcond_eq_i64_g, 6, sem_cond(IR_I64, IR_COND_eq, R64(2), R64(3)) ? R64(4) : R64(5))
PAIR64(bc_movcond_ne_i64, bc_movcond_ne_i64_g, 6, sem_cond(IR_I64, IR_COND_ne, R64(2), R64(3)) ? R64(4) : R64(5))
PAIR64(bc_movcond_lt_i64, bc_movcond_lt_i64_g, 6, sem_cond(IR_I64, IR_COND_lt, R64(2), R64(3)) ? R64(4) : R64(5))
PAIR64(bc_movcond_ge_i64, bc_movcond_ge_i64_g, 6, sem_cond(IR_I64, IR_COND_ge, R64(2), R64(3)) ? R64(4) : R64(5))
PAIR64(bc_movcond_le_i64, bc_movcond_le_i64_g, 6, sem_cond(IR_I64, IR_COND_le, R64(2), R64(3)) ? R64(4) : R64(5))
PAIR64(bc_movcond_gt_i64, bc_movcond_gt_i64_g, 6, sem_cond(IR_I64, IR_COND_gt, R64(2), R64(3)) ? R64(4) : R64(5))
PAIR64(bc_movcond_ltu_i64, bc_movcond_ltu_i64_g, 6, sem_cond(IR_I64, IR_COND_ltu, R64(2), R64(3)) ? R64(4) : R64(5))
PAIR64(bc_movcond_geu_i64, bc_movcond_geu_i64_g, 6, sem_cond(IR_I64, IR_COND_geu, R64(2), R64(3)) ? R64(4) : R64(5))
PAIR64(bc_movcond_leu_i64, bc_movcond_leu_i64_g, 6, sem_cond(IR_I64, IR_COND_leu, R64(2), R64(3)) ? R64(4) : R64(5))
PAIR64(bc_movcond_gtu_i64, bc_movcond_gtu_i64_g, 6, sem_cond(IR_I64, IR_COND_gtu, R64(2), R64(3)) ? R64(4) : R64(5))

    /* ---- flag building blocks ---- */
PAIR32(bc_addc_i32, bc_addc_i32_g, 5, sem_addc(IR_I32, R32(2), R32(3), R32(4)))
PAIR64(bc_addc_i64, bc_addc_i64_g, 5, sem_addc(IR_I64, R64(2), R64(3), R64(4)))
PAIR32(bc_addv_i32, bc_addv_i32_g, 5, sem_addv(IR_I32, R32(2), R32(3), R32(4)))
PAIR64(bc_addv_i64, bc_addv_i64_g, 5, sem_addv(IR_I64, R64(2), R64(3), R64(4)))
PAIR32(bc_subb_i32, bc_subb_i32_g, 5, sem_subb(IR_I32, R32(2), R32(3), R32(4)))
PAIR64(bc_subb_i64, bc_subb_i64_g, 5, sem_subb(IR_I64, R64(2), R64(3), R64(4)))
PAIR32(bc_subv_i32, bc_subv_i32_g, 5, sem_subv(IR_I32, R32(2), R32(3), R32(4)))
PAIR64(bc_subv_i64, bc_subv_i64_g, 5, sem_subv(IR_I64, R64(2), R64(3), R64(4)))

    /* ---- guest memory ---- */
PAIR32(bc_ld_u8_i32, bc_ld_u8_i32_g, 3, gld8(GADDR(2)))
PAIR32(bc_ld_s8_i32, bc_ld_s8_i32_g, 3, sx8(gld8(GADDR(2))))
PAIR32(bc_ld_u16le_i32, bc_ld_u16le_i32_g, 3, gld16(GADDR(2), false))
PAIR32(bc_ld_s16le_i32, bc_ld_s16le_i32_g, 3, sx16(gld16(GADDR(2), false)))
PAIR32(bc_ld_u32le_i32, bc_ld_u32le_i32_g, 3, gld32(GADDR(2), false))
PAIR32(bc_ld_u16be_i32, bc_ld_u16be_i32_g, 3, gld16(GADDR(2), true))
PAIR32(bc_ld_s16be_i32, bc_ld_s16be_i32_g, 3, sx16(gld16(GADDR(2), true)))
PAIR32(bc_ld_u32be_i32, bc_ld_u32be_i32_g, 3, gld32(GADDR(2), true))
PAIR64(bc_ld_u8_i64, bc_ld_u8_i64_g, 3, gld8(GADDR(2)))
PAIR64(bc_ld_s8_i64, bc_ld_s8_i64_g, 3, sx8(gld8(GADDR(2))))
PAIR64(bc_ld_u16le_i64, bc_ld_u16le_i64_g, 3, gld16(GADDR(2), false))
PAIR64(bc_ld_s16le_i64, bc_ld_s16le_i64_g, 3, sx16(gld16(GADDR(2), false)))
PAIR64(bc_ld_u32le_i64, bc_ld_u32le_i64_g, 3, gld32(GADDR(2), false))
PAIR64(bc_ld_s32le_i64, bc_ld_s32le_i64_g, 3, sx32(gld32(GADDR(2), false)))
PAIR64(bc_ld_u64le_i64, bc_ld_u64le_i64_g, 3, gld64(GADDR(2), false))
PAIR64(bc_ld_u16be_i64, bc_ld_u16be_i64_g, 3, gld16(GADDR(2), true))
PAIR64(bc_ld_s16be_i64, bc_ld_s16be_i64_g, 3, sx16(gld16(GADDR(2), true)))
PAIR64(bc_ld_u32be_i64, bc_ld_u32be_i64_g, 3, gld32(GADDR(2), true))
PAIR64(bc_ld_s32be_i64, bc_ld_s32be_i64_g, 3, sx32(gld32(GADDR(2), true)))
PAIR64(bc_ld_u64be_i64, bc_ld_u64be_i64_g, 3, gld64(GADDR(2), true))
PAIR32(bc_ld_i32, bc_ld_i32_g, 4, sem_load(IR_I32, GADDR(2), (unsigned)ip[3]))
PAIR64(bc_ld_i64, bc_ld_i64_g, 4, sem_load(IR_I64, GADDR(2), (unsigned)ip[3]))
bc_st_8_i32: gst8(GADDR(2), R32(1)); NEXT(3);
bc_st_16le_i32: gst16(GADDR(2), R32(1), false); NEXT(3);
bc_st_32le_i32: gst32(GADDR(2), R32(1), false); NEXT(3);
bc_st_16be_i32: gst16(GADDR(2), R32(1), true); NEXT(3);
bc_st_32be_i32: gst32(GADDR(2), R32(1), true); NEXT(3);
bc_st_8_i64: gst8(GADDR(2), R64(1)); NEXT(3);
bc_st_16le_i64: gst16(GADDR(2), R64(1), false); NEXT(3);
bc_st_32le_i64: gst32(GADDR(2), R64(1), false); NEXT(3);
bc_st_64le_i64: gst64(GADDR(2), R64(1), false); NEXT(3);
bc_st_16be_i64: gst16(GADDR(2), R64(1), true); NEXT(3);
bc_st_32be_i64: gst32(GADDR(2), R64(1), true); NEXT(3);
bc_st_64be_i64: gst64(GADDR(2), R64(1), true); NEXT(3);
bc_st_i32: sem_store(GADDR(2), R32(1), (unsigned)ip[3]); NEXT(4);
bc_st_i64: sem_store(GADDR(2), R64(1), (unsigned)ip[3]); NEXT(4);

    /* ---- CPU-state fields ---- */
PAIR32(bc_ld_state_i32, bc_ld_state_i32_g, 4, state_load(env + ip[2], (unsigned)ip[3]))
PAIR64(bc_ld_state_i64, bc_ld_state_i64_g, 4, state_load(env + ip[2], (unsigned)ip[3]))
bc_st_state_i32: state_store(env + ip[2], R32(1), (unsigned)ip[3]); NEXT(4);
bc_st_state_i64: state_store(env + ip[2], R64(1), (unsigned)ip[3]); NEXT(4);

    /* ---- helper call ---- */
bc_call: {
    const struct interp_call *c;
    memcpy(&c, ip + 4, sizeof(c));
    void *argp[IR_HELPER_MAX_ARGS];
    for (unsigned i = 0; i < c->nargs; i++)
        argp[i] = FR(ip[6 + i]);
    uint64_t r = interp_call_invoke(c, env, argp);
    if (c->ret == IR_I32) {
        wr32(FR(ip[1]), r);
        if (ip[2] >= 0)
            wr32(env + ip[2], r);
    } else if (c->ret == IR_I64) {
        wr64(FR(ip[1]), r);
        if (ip[2] >= 0)
            wr64(env + ip[2], r);
    }
    NEXT(6 + c->nargs);
}

    /* ---- barriers ---- */
bc_mb_full:
    atomic_thread_fence(memory_order_seq_cst);
    NEXT(1);
bc_mb_ld:
    atomic_thread_fence(memory_order_acquire);
    NEXT(1);
bc_mb_st:
    atomic_thread_fence(memory_order_release);
    NEXT(1);

    /* ---- control flow inside the block ---- */
bc_br:
    ip = (const int32_t *)((const char *)ip + ip[1]);
    DISPATCH();
bc_brcond_eq_i32: BRANCH_IF(sem_cond(IR_I32, IR_COND_eq, R32(1), R32(2)), 3); NEXT(4);
bc_brcond_ne_i32: BRANCH_IF(sem_cond(IR_I32, IR_COND_ne, R32(1), R32(2)), 3); NEXT(4);
bc_brcond_lt_i32: BRANCH_IF(sem_cond(IR_I32, IR_COND_lt, R32(1), R32(2)), 3); NEXT(4);
bc_brcond_ge_i32: BRANCH_IF(sem_cond(IR_I32, IR_COND_ge, R32(1), R32(2)), 3); NEXT(4);
bc_brcond_le_i32: BRANCH_IF(sem_cond(IR_I32, IR_COND_le, R32(1), R32(2)), 3); NEXT(4);
bc_brcond_gt_i32: BRANCH_IF(sem_cond(IR_I32, IR_COND_gt, R32(1), R32(2)), 3); NEXT(4);
bc_brcond_ltu_i32: BRANCH_IF(sem_cond(IR_I32, IR_COND_ltu, R32(1), R32(2)), 3); NEXT(4);
bc_brcond_geu_i32: BRANCH_IF(sem_cond(IR_I32, IR_COND_geu, R32(1), R32(2)), 3); NEXT(4);
bc_brcond_leu_i32: BRANCH_IF(sem_cond(IR_I32, IR_COND_leu, R32(1), R32(2)), 3); NEXT(4);
bc_brcond_gtu_i32: BRANCH_IF(sem_cond(IR_I32, IR_COND_gtu, R32(1), R32(2)), 3); NEXT(4);
bc_brcond_eq_i64: BRANCH_IF(sem_cond(IR_I64, IR_COND_eq, R64(1), R64(2)), 3); NEXT(4);
bc_brcond_ne_i64: BRANCH_IF(sem_cond(IR_I64, IR_COND_ne, R64(1), R64(2)), 3); NEXT(4);
bc_brcond_lt_i64: BRANCH_IF(sem_cond(IR_I64, IR_COND_lt, R64(1), R64(2)), 3); NEXT(4);
bc_brcond_ge_i64: BRANCH_IF(sem_cond(IR_I64, IR_COND_ge, R64(1), R64(2)), 3); NEXT(4);
bc_brcond_le_i64: BRANCH_IF(sem_cond(IR_I64, IR_COND_le, R64(1), R64(2)), 3); NEXT(4);
bc_brcond_gt_i64: BRANCH_IF(sem_cond(IR_I64, IR_COND_gt, R64(1), R64(2)), 3); NEXT(4);
bc_brcond_ltu_i64: BRANCH_IF(sem_cond(IR_I64, IR_COND_ltu, R64(1), R64(2)), 3); NEXT(4);
bc_brcond_geu_i64: BRANCH_IF(sem_cond(IR_I64, IR_COND_geu, R64(1), R64(2)), 3); NEXT(4);
bc_brcond_leu_i64: BRANCH_IF(sem_cond(IR_I64, IR_COND_leu, R64(1), R64(2)), 3); NEXT(4);
bc_brcond_gtu_i64: BRANCH_IF(sem_cond(IR_I64, IR_COND_gtu, R64(1), R64(2)), 3); NEXT(4);

    /* ---- terminators ---- */
bc_goto_tb: {
    /* words 2-3: the chained block (patch_jmp), 8-aligned; words 4-5: the pc */
    const struct tb *next = __atomic_load_n((const struct tb *const *)(ip + 2), __ATOMIC_ACQUIRE);
    if (next) {
        tb = next;
        goto enter;
    }
    uint64_t pc;
    memcpy(&pc, ip + 4, 8);
    cpu->pc = pc;
    cpu->last_tb = (struct tb *)tb;
    cpu->last_slot = (uint32_t)ip[1];
    return IR_EXIT_chain;
}
bc_goto_ptr: {
    uint64_t pc = R64(1);
    cpu->pc = pc;
    const struct jc_entry *e = cpu->jmp_cache ? &cpu->jmp_cache[jc_hash(pc)] : NULL;
    if (e && e->pc == pc && e->flags == (uint64_t)cpu->flags && e->tb) {
        tb = e->tb;
        goto enter;
    }
    return IR_EXIT_lookup;
}
bc_exit:
    cpu->pc = R64(1);
    return (unsigned)ip[2];
}
