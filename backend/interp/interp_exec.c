/* The interpreter's dispatch loop (backend/interp): runs the bytecode that
 * interp_compile.c wrote, with direct threading through GCC labels-as-values.
 * Pipeline: ir_func -> interp_compile -> bytecode in the code buffer -> here.
 * Every operand is a frame slot; globals are written through to the CPU state;
 * the result of the last value op is also kept in a register (acc).
 * Op semantics come from ir/sem.h; guest memory fast paths are checked against
 * sem_load/sem_store by the tests. */
#include <stdatomic.h>
#include <string.h>

#include "../../accel/tcg/softmmu.h"
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
    case IR_MO_8:
        return s ? sx8(gld8(p)) : gld8(p);
    case IR_MO_16:
        return s ? sx16(gld16(p, INTERP_HOST_BE)) : gld16(p, INTERP_HOST_BE);
    case IR_MO_32:
        return s ? sx32(gld32(p, INTERP_HOST_BE)) : gld32(p, INTERP_HOST_BE);
    default:
        return gld64(p, INTERP_HOST_BE);
    }
}
static void state_store(void *p, uint64_t v, unsigned mo)
{
    switch (mo & IR_MO_SIZE) {
    case IR_MO_8:
        gst8(p, v);
        break;
    case IR_MO_16:
        gst16(p, v, INTERP_HOST_BE);
        break;
    case IR_MO_32:
        gst32(p, v, INTERP_HOST_BE);
        break;
    default:
        gst64(p, v, INTERP_HOST_BE);
        break;
    }
}

/* ---- the loop ---- */

/* The insn of the last guest memory access on this thread while exec runs (NULL
 * outside it and in helpers): what interp_fault_pc reports after a fault. */
static __thread const int32_t *fault_insn;

const uint8_t *interp_fault_pc(void *state) { return (const uint8_t *)fault_insn; }

/* Slot word -> host address. */
#define FR(w) ((void *)(fend + (w)))
#define R32(k) rd32(FR(ip[k]))
#define R64(k) rd64(FR(ip[k]))
/* Host address of guest address a (the access may fault: remember the insn);
 * of the i64 input in word k. */
#define G(a) (fault_insn = ip, (void *)((uintptr_t)cpu->guest_base + (uintptr_t)(a)))
#define GADDR(k) G(R64(k))

#define DISPATCH() goto *(const void *)(hbase + ip[0])
#define LEAVE(reason)                                                                              \
    do {                                                                                           \
        fault_insn = NULL;                                                                         \
        return (reason);                                                                           \
    } while (0)
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

/* Handler families (interp_ops.def).  Every handler of a value op leaves its
 * result in `acc` as well as in its output slot (word 1); the _g twins (one word
 * more, the env offset of the global) also write it through to the CPU state;
 * the _a variants take the first input, `in1`, from `acc` instead of word 2.
 * `mask` keeps acc zero-extended for i32 results. */
#define QUAD(base, n, rd, wr, mask, expr)                                                          \
    base##_ga:                                                                                     \
    {                                                                                              \
        const uint64_t in1 = acc;                                                                  \
        acc = (expr) & (mask);                                                                     \
        wr(FR(ip[1]), acc);                                                                        \
        wr(env + ip[n], acc);                                                                      \
        NEXT((n) + 1);                                                                             \
    }                                                                                              \
    base##_g:                                                                                      \
    {                                                                                              \
        const uint64_t in1 = rd(FR(ip[2]));                                                        \
        acc = (expr) & (mask);                                                                     \
        wr(FR(ip[1]), acc);                                                                        \
        wr(env + ip[n], acc);                                                                      \
        NEXT((n) + 1);                                                                             \
    }                                                                                              \
    base##_a:                                                                                      \
    {                                                                                              \
        const uint64_t in1 = acc;                                                                  \
        acc = (expr) & (mask);                                                                     \
        wr(FR(ip[1]), acc);                                                                        \
        NEXT(n);                                                                                   \
    }                                                                                              \
    base : {                                                                                       \
        const uint64_t in1 = rd(FR(ip[2]));                                                        \
        acc = (expr) & (mask);                                                                     \
        wr(FR(ip[1]), acc);                                                                        \
        NEXT(n);                                                                                   \
    }
#define QUAD32(base, n, expr) QUAD(base, n, rd32, wr32, 0xffffffffull, expr)
#define QUAD64(base, n, expr) QUAD(base, n, rd64, wr64, ~0ull, expr)
#define QUAD_32_64(base, n, expr) QUAD(base, n, rd32, wr64, ~0ull, expr)
#define QUAD_64_32(base, n, expr) QUAD(base, n, rd64, wr32, 0xffffffffull, expr)
/* BCG: no input in word 2 */
#define PAIR(base, n, wr, mask, expr)                                                              \
    base##_g:                                                                                      \
    {                                                                                              \
        acc = (expr) & (mask);                                                                     \
        wr(FR(ip[1]), acc);                                                                        \
        wr(env + ip[n], acc);                                                                      \
        NEXT((n) + 1);                                                                             \
    }                                                                                              \
    base : {                                                                                       \
        acc = (expr) & (mask);                                                                     \
        wr(FR(ip[1]), acc);                                                                        \
        NEXT(n);                                                                                   \
    }
#define PAIR32(base, n, expr) PAIR(base, n, wr32, 0xffffffffull, expr)
#define PAIR64(base, n, expr) PAIR(base, n, wr64, ~0ull, expr)
/* BCI: the first input is word 1 */
#define STORE(base, n, rd, stmt)                                                                   \
    base##_a:                                                                                      \
    {                                                                                              \
        const uint64_t in1 = acc;                                                                  \
        stmt;                                                                                      \
        NEXT(n);                                                                                   \
    }                                                                                              \
    base : {                                                                                       \
        const uint64_t in1 = rd(FR(ip[1]));                                                        \
        stmt;                                                                                      \
        NEXT(n);                                                                                   \
    }
#define STORE32(base, n, stmt) STORE(base, n, rd32, stmt)
#define STORE64(base, n, stmt) STORE(base, n, rd64, stmt)
#define BRCOND(base, rd, cond)                                                                     \
    base##_a:                                                                                      \
    {                                                                                              \
        const uint64_t in1 = acc;                                                                  \
        BRANCH_IF(cond, 3);                                                                        \
        NEXT(4);                                                                                   \
    }                                                                                              \
    base : {                                                                                       \
        const uint64_t in1 = rd(FR(ip[1]));                                                        \
        BRANCH_IF(cond, 3);                                                                        \
        NEXT(4);                                                                                   \
    }
#define BRCOND32(base, cond) BRCOND(base, rd32, cond)
#define BRCOND64(base, cond) BRCOND(base, rd64, cond)

/* noinline/noclone: the label offsets must come from the one copy of this
 * function that runs the bytecode. */
__attribute__((noinline, noclone)) unsigned interp_run(struct interp_state *st,
                                                       struct cpu_head *cpu, const struct tb *tb,
                                                       const int32_t **handlers)
{
    static const int32_t offsets[BC_COUNT] = {
#define BC(name, fmt, irop, type, variant) [BC_##name] = (int32_t)(&&bc_##name - &&bc_base),
#define BCG(name, fmt, irop, type, variant)                                                        \
    [BC_##name] = (int32_t)(&&bc_##name - &&bc_base),                                              \
    [BC_##name##_g] = (int32_t)(&&bc_##name##_g - &&bc_base),
#define BCA(name, fmt, irop, type, variant)                                                        \
    [BC_##name] = (int32_t)(&&bc_##name - &&bc_base),                                              \
    [BC_##name##_g] = (int32_t)(&&bc_##name##_g - &&bc_base),                                      \
    [BC_##name##_a] = (int32_t)(&&bc_##name##_a - &&bc_base),                                      \
    [BC_##name##_ga] = (int32_t)(&&bc_##name##_ga - &&bc_base),
#define BCI(name, fmt, irop, type, variant)                                                        \
    [BC_##name] = (int32_t)(&&bc_##name - &&bc_base),                                              \
    [BC_##name##_a] = (int32_t)(&&bc_##name##_a - &&bc_base),
#include "interp_ops.def"
#undef BC
#undef BCG
#undef BCA
#undef BCI
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
    uint64_t acc = 0; /* the last value op's result */
    unsigned mmu_kind = 0; /* which soft-TLB handler is running (see ld_mmu) */

enter:
    if (cpu->exit_request) {
        cpu->pc = tb->pc;
        LEAVE(IR_EXIT_request);
    }
    ip = (const int32_t *)tb->code;
    DISPATCH();

    /* The handlers, one line per op where it fits (a table: keep it unformatted). */
    // clang-format off
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
QUAD32(bc_mov_i32, 3, in1)
QUAD64(bc_mov_i64, 3, in1)
QUAD32(bc_add_i32, 4, in1 + R32(3))
QUAD64(bc_add_i64, 4, in1 + R64(3))
QUAD32(bc_sub_i32, 4, in1 - R32(3))
QUAD64(bc_sub_i64, 4, in1 - R64(3))
QUAD32(bc_mul_i32, 4, in1 * R32(3))
QUAD64(bc_mul_i64, 4, in1 * R64(3))
QUAD32(bc_mulsh_i32, 4, sem_mulsh(IR_I32, in1, R32(3)))
QUAD64(bc_mulsh_i64, 4, sem_mulsh(IR_I64, in1, R64(3)))
QUAD32(bc_muluh_i32, 4, sem_muluh(IR_I32, in1, R32(3)))
QUAD64(bc_muluh_i64, 4, sem_muluh(IR_I64, in1, R64(3)))
QUAD32(bc_divs_i32, 4, sem_divs(IR_I32, in1, R32(3)))
QUAD64(bc_divs_i64, 4, sem_divs(IR_I64, in1, R64(3)))
QUAD32(bc_divu_i32, 4, sem_divu(in1, R32(3)))
QUAD64(bc_divu_i64, 4, sem_divu(in1, R64(3)))
QUAD32(bc_rems_i32, 4, sem_rems(IR_I32, in1, R32(3)))
QUAD64(bc_rems_i64, 4, sem_rems(IR_I64, in1, R64(3)))
QUAD32(bc_remu_i32, 4, sem_remu(in1, R32(3)))
QUAD64(bc_remu_i64, 4, sem_remu(in1, R64(3)))
QUAD32(bc_neg_i32, 3, 0 - in1)
QUAD64(bc_neg_i64, 3, 0 - in1)

    /* ---- bitwise ---- */
QUAD32(bc_and_i32, 4, in1 & R32(3))
QUAD64(bc_and_i64, 4, in1 & R64(3))
QUAD32(bc_or_i32, 4, in1 | R32(3))
QUAD64(bc_or_i64, 4, in1 | R64(3))
QUAD32(bc_xor_i32, 4, in1 ^ R32(3))
QUAD64(bc_xor_i64, 4, in1 ^ R64(3))
QUAD32(bc_andc_i32, 4, in1 & ~R32(3))
QUAD64(bc_andc_i64, 4, in1 & ~R64(3))
QUAD32(bc_not_i32, 3, ~in1)
QUAD64(bc_not_i64, 3, ~in1)

    /* ---- shifts and rotates ---- */
QUAD32(bc_shl_i32, 4, sem_shl(IR_I32, in1, R32(3)))
QUAD64(bc_shl_i64, 4, sem_shl(IR_I64, in1, R64(3)))
QUAD32(bc_shr_i32, 4, sem_shr(IR_I32, in1, R32(3)))
QUAD64(bc_shr_i64, 4, sem_shr(IR_I64, in1, R64(3)))
QUAD32(bc_sar_i32, 4, sem_sar(IR_I32, in1, R32(3)))
QUAD64(bc_sar_i64, 4, sem_sar(IR_I64, in1, R64(3)))
QUAD32(bc_rotl_i32, 4, sem_rotl(IR_I32, in1, R32(3)))
QUAD64(bc_rotl_i64, 4, sem_rotl(IR_I64, in1, R64(3)))
QUAD32(bc_rotr_i32, 4, sem_rotr(IR_I32, in1, R32(3)))
QUAD64(bc_rotr_i64, 4, sem_rotr(IR_I64, in1, R64(3)))

    /* ---- bit counting and byte order ---- */
QUAD32(bc_clz_i32, 3, sem_clz(IR_I32, in1))
QUAD64(bc_clz_i64, 3, sem_clz(IR_I64, in1))
QUAD32(bc_ctz_i32, 3, sem_ctz(IR_I32, in1))
QUAD64(bc_ctz_i64, 3, sem_ctz(IR_I64, in1))
QUAD32(bc_popcnt_i32, 3, sem_popcnt(in1))
QUAD64(bc_popcnt_i64, 3, sem_popcnt(in1))
QUAD32(bc_bswap16_i32, 3, sem_bswap(in1, 2))
QUAD32(bc_bswap32_i32, 3, sem_bswap(in1, 4))
QUAD64(bc_bswap16_i64, 3, sem_bswap(in1, 2))
QUAD64(bc_bswap32_i64, 3, sem_bswap(in1, 4))
QUAD64(bc_bswap64_i64, 3, sem_bswap(in1, 8))

    /* ---- bit fields ---- */
QUAD32(bc_extract_i32, 5, sem_extract(in1, (unsigned)ip[3], (unsigned)ip[4]))
QUAD64(bc_extract_i64, 5, sem_extract(in1, (unsigned)ip[3], (unsigned)ip[4]))
QUAD32(bc_sextract_i32, 5, sem_sextract(IR_I32, in1, (unsigned)ip[3], (unsigned)ip[4]))
QUAD64(bc_sextract_i64, 5, sem_sextract(IR_I64, in1, (unsigned)ip[3], (unsigned)ip[4]))
QUAD32(bc_deposit_i32, 6, sem_deposit(IR_I32, in1, R32(3), (unsigned)ip[4], (unsigned)ip[5]))
QUAD64(bc_deposit_i64, 6, sem_deposit(IR_I64, in1, R64(3), (unsigned)ip[4], (unsigned)ip[5]))

    /* ---- width changes ---- */
QUAD_32_64(bc_zext, 3, in1)
QUAD_32_64(bc_sext, 3, sx32(in1))
QUAD_64_32(bc_trunc, 3, in1)

    /* ---- comparisons ---- */
QUAD32(bc_setcond_eq_i32, 4, sem_cond(IR_I32, IR_COND_eq, in1, R32(3)))
QUAD32(bc_setcond_ne_i32, 4, sem_cond(IR_I32, IR_COND_ne, in1, R32(3)))
QUAD32(bc_setcond_lt_i32, 4, sem_cond(IR_I32, IR_COND_lt, in1, R32(3)))
QUAD32(bc_setcond_ge_i32, 4, sem_cond(IR_I32, IR_COND_ge, in1, R32(3)))
QUAD32(bc_setcond_le_i32, 4, sem_cond(IR_I32, IR_COND_le, in1, R32(3)))
QUAD32(bc_setcond_gt_i32, 4, sem_cond(IR_I32, IR_COND_gt, in1, R32(3)))
QUAD32(bc_setcond_ltu_i32, 4, sem_cond(IR_I32, IR_COND_ltu, in1, R32(3)))
QUAD32(bc_setcond_geu_i32, 4, sem_cond(IR_I32, IR_COND_geu, in1, R32(3)))
QUAD32(bc_setcond_leu_i32, 4, sem_cond(IR_I32, IR_COND_leu, in1, R32(3)))
QUAD32(bc_setcond_gtu_i32, 4, sem_cond(IR_I32, IR_COND_gtu, in1, R32(3)))
QUAD64(bc_setcond_eq_i64, 4, sem_cond(IR_I64, IR_COND_eq, in1, R64(3)))
QUAD64(bc_setcond_ne_i64, 4, sem_cond(IR_I64, IR_COND_ne, in1, R64(3)))
QUAD64(bc_setcond_lt_i64, 4, sem_cond(IR_I64, IR_COND_lt, in1, R64(3)))
QUAD64(bc_setcond_ge_i64, 4, sem_cond(IR_I64, IR_COND_ge, in1, R64(3)))
QUAD64(bc_setcond_le_i64, 4, sem_cond(IR_I64, IR_COND_le, in1, R64(3)))
QUAD64(bc_setcond_gt_i64, 4, sem_cond(IR_I64, IR_COND_gt, in1, R64(3)))
QUAD64(bc_setcond_ltu_i64, 4, sem_cond(IR_I64, IR_COND_ltu, in1, R64(3)))
QUAD64(bc_setcond_geu_i64, 4, sem_cond(IR_I64, IR_COND_geu, in1, R64(3)))
QUAD64(bc_setcond_leu_i64, 4, sem_cond(IR_I64, IR_COND_leu, in1, R64(3)))
QUAD64(bc_setcond_gtu_i64, 4, sem_cond(IR_I64, IR_COND_gtu, in1, R64(3)))
QUAD32(bc_movcond_eq_i32, 6, sem_cond(IR_I32, IR_COND_eq, in1, R32(3)) ? R32(4) : R32(5))
QUAD32(bc_movcond_ne_i32, 6, sem_cond(IR_I32, IR_COND_ne, in1, R32(3)) ? R32(4) : R32(5))
QUAD32(bc_movcond_lt_i32, 6, sem_cond(IR_I32, IR_COND_lt, in1, R32(3)) ? R32(4) : R32(5))
QUAD32(bc_movcond_ge_i32, 6, sem_cond(IR_I32, IR_COND_ge, in1, R32(3)) ? R32(4) : R32(5))
QUAD32(bc_movcond_le_i32, 6, sem_cond(IR_I32, IR_COND_le, in1, R32(3)) ? R32(4) : R32(5))
QUAD32(bc_movcond_gt_i32, 6, sem_cond(IR_I32, IR_COND_gt, in1, R32(3)) ? R32(4) : R32(5))
QUAD32(bc_movcond_ltu_i32, 6, sem_cond(IR_I32, IR_COND_ltu, in1, R32(3)) ? R32(4) : R32(5))
QUAD32(bc_movcond_geu_i32, 6, sem_cond(IR_I32, IR_COND_geu, in1, R32(3)) ? R32(4) : R32(5))
QUAD32(bc_movcond_leu_i32, 6, sem_cond(IR_I32, IR_COND_leu, in1, R32(3)) ? R32(4) : R32(5))
QUAD32(bc_movcond_gtu_i32, 6, sem_cond(IR_I32, IR_COND_gtu, in1, R32(3)) ? R32(4) : R32(5))
QUAD64(bc_movcond_eq_i64, 6, sem_cond(IR_I64, IR_COND_eq, in1, R64(3)) ? R64(4) : R64(5))
QUAD64(bc_movcond_ne_i64, 6, sem_cond(IR_I64, IR_COND_ne, in1, R64(3)) ? R64(4) : R64(5))
QUAD64(bc_movcond_lt_i64, 6, sem_cond(IR_I64, IR_COND_lt, in1, R64(3)) ? R64(4) : R64(5))
QUAD64(bc_movcond_ge_i64, 6, sem_cond(IR_I64, IR_COND_ge, in1, R64(3)) ? R64(4) : R64(5))
QUAD64(bc_movcond_le_i64, 6, sem_cond(IR_I64, IR_COND_le, in1, R64(3)) ? R64(4) : R64(5))
QUAD64(bc_movcond_gt_i64, 6, sem_cond(IR_I64, IR_COND_gt, in1, R64(3)) ? R64(4) : R64(5))
QUAD64(bc_movcond_ltu_i64, 6, sem_cond(IR_I64, IR_COND_ltu, in1, R64(3)) ? R64(4) : R64(5))
QUAD64(bc_movcond_geu_i64, 6, sem_cond(IR_I64, IR_COND_geu, in1, R64(3)) ? R64(4) : R64(5))
QUAD64(bc_movcond_leu_i64, 6, sem_cond(IR_I64, IR_COND_leu, in1, R64(3)) ? R64(4) : R64(5))
QUAD64(bc_movcond_gtu_i64, 6, sem_cond(IR_I64, IR_COND_gtu, in1, R64(3)) ? R64(4) : R64(5))

    /* ---- flag building blocks ---- */
QUAD32(bc_addc_i32, 5, sem_addc(IR_I32, in1, R32(3), R32(4)))
QUAD64(bc_addc_i64, 5, sem_addc(IR_I64, in1, R64(3), R64(4)))
QUAD32(bc_addv_i32, 5, sem_addv(IR_I32, in1, R32(3), R32(4)))
QUAD64(bc_addv_i64, 5, sem_addv(IR_I64, in1, R64(3), R64(4)))
QUAD32(bc_subb_i32, 5, sem_subb(IR_I32, in1, R32(3), R32(4)))
QUAD64(bc_subb_i64, 5, sem_subb(IR_I64, in1, R64(3), R64(4)))
QUAD32(bc_subv_i32, 5, sem_subv(IR_I32, in1, R32(3), R32(4)))
QUAD64(bc_subv_i64, 5, sem_subv(IR_I64, in1, R64(3), R64(4)))

    /* ---- guest memory ---- */
QUAD_64_32(bc_ld_u8_i32, 3, gld8(G(in1)))
QUAD_64_32(bc_ld_s8_i32, 3, sx8(gld8(G(in1))))
QUAD_64_32(bc_ld_u16le_i32, 3, gld16(G(in1), false))
QUAD_64_32(bc_ld_s16le_i32, 3, sx16(gld16(G(in1), false)))
QUAD_64_32(bc_ld_u32le_i32, 3, gld32(G(in1), false))
QUAD_64_32(bc_ld_u16be_i32, 3, gld16(G(in1), true))
QUAD_64_32(bc_ld_s16be_i32, 3, sx16(gld16(G(in1), true)))
QUAD_64_32(bc_ld_u32be_i32, 3, gld32(G(in1), true))
QUAD64(bc_ld_u8_i64, 3, gld8(G(in1)))
QUAD64(bc_ld_s8_i64, 3, sx8(gld8(G(in1))))
QUAD64(bc_ld_u16le_i64, 3, gld16(G(in1), false))
QUAD64(bc_ld_s16le_i64, 3, sx16(gld16(G(in1), false)))
QUAD64(bc_ld_u32le_i64, 3, gld32(G(in1), false))
QUAD64(bc_ld_s32le_i64, 3, sx32(gld32(G(in1), false)))
QUAD64(bc_ld_u64le_i64, 3, gld64(G(in1), false))
QUAD64(bc_ld_u16be_i64, 3, gld16(G(in1), true))
QUAD64(bc_ld_s16be_i64, 3, sx16(gld16(G(in1), true)))
QUAD64(bc_ld_u32be_i64, 3, gld32(G(in1), true))
QUAD64(bc_ld_s32be_i64, 3, sx32(gld32(G(in1), true)))
QUAD64(bc_ld_u64be_i64, 3, gld64(G(in1), true))
QUAD_64_32(bc_ld_i32, 4, sem_load(IR_I32, G(in1), (unsigned)ip[3]))
QUAD64(bc_ld_i64, 4, sem_load(IR_I64, G(in1), (unsigned)ip[3]))
STORE32(bc_st_8_i32, 3, gst8(GADDR(2), in1))
STORE32(bc_st_16le_i32, 3, gst16(GADDR(2), in1, false))
STORE32(bc_st_32le_i32, 3, gst32(GADDR(2), in1, false))
STORE32(bc_st_16be_i32, 3, gst16(GADDR(2), in1, true))
STORE32(bc_st_32be_i32, 3, gst32(GADDR(2), in1, true))
STORE64(bc_st_8_i64, 3, gst8(GADDR(2), in1))
STORE64(bc_st_16le_i64, 3, gst16(GADDR(2), in1, false))
STORE64(bc_st_32le_i64, 3, gst32(GADDR(2), in1, false))
STORE64(bc_st_64le_i64, 3, gst64(GADDR(2), in1, false))
STORE64(bc_st_16be_i64, 3, gst16(GADDR(2), in1, true))
STORE64(bc_st_32be_i64, 3, gst32(GADDR(2), in1, true))
STORE64(bc_st_64be_i64, 3, gst64(GADDR(2), in1, true))
STORE32(bc_st_i32, 4, sem_store(GADDR(2), in1, (unsigned)ip[3]))
STORE64(bc_st_i64, 4, sem_store(GADDR(2), in1, (unsigned)ip[3]))

    /* ---- guest memory through the soft TLB ---- */
    /* the four load handlers share one body; `mmu_kind` says which ran:
     * bit 0 the _g twin (one word more), bit 1 an i64 result */
bc_ld_mmu_i32: mmu_kind = 0; goto ld_mmu;
bc_ld_mmu_i32_g: mmu_kind = 1; goto ld_mmu;
bc_ld_mmu_i64: mmu_kind = 2; goto ld_mmu;
bc_ld_mmu_i64_g: mmu_kind = 3; goto ld_mmu;
ld_mmu: {
    const uint64_t addr = R64(2), mo = (uint32_t)ip[3];
    const uint8_t *h = softmmu_hit(cpu, addr, mo, false);
    if (h) {
        acc = sem_load(IR_I64, h, (unsigned)mo & IR_MO_ALL);
    } else {
        struct softmmu_result r = softmmu_ld_slow(cpu, addr, mo);
        if (r.exit) {
            cpu->pc = tb_guest_pc(tb, (const uint8_t *)ip);
            LEAVE((unsigned)r.exit);
        }
        acc = r.val;
    }
    if (!(mmu_kind & 2)) {
        acc &= 0xffffffffull;
        wr32(FR(ip[1]), acc);
        if (mmu_kind & 1)
            wr32(env + ip[4], acc);
    } else {
        wr64(FR(ip[1]), acc);
        if (mmu_kind & 1)
            wr64(env + ip[4], acc);
    }
    NEXT(4 + (mmu_kind & 1));
}
bc_st_mmu_i32: mmu_kind = 0; goto st_mmu;
bc_st_mmu_i64: mmu_kind = 2; goto st_mmu;
st_mmu: {
    const uint64_t addr = R64(2), mo = (uint32_t)ip[3];
    const uint64_t v = mmu_kind & 2 ? R64(1) : R32(1);
    uint8_t *h = softmmu_hit(cpu, addr, mo, true);
    if (h) {
        sem_store(h, v, (unsigned)mo & IR_MO_ALL);
        NEXT(4);
    }
    struct softmmu_result r = softmmu_st_slow(cpu, addr, v, mo);
    if (r.exit) {
        cpu->pc = tb_guest_pc(tb, (const uint8_t *)ip);
        LEAVE((unsigned)r.exit);
    }
    NEXT(4);
}

    /* ---- CPU-state fields ---- */
PAIR32(bc_ld_state_i32, 4, state_load(env + ip[2], (unsigned)ip[3]))
PAIR64(bc_ld_state_i64, 4, state_load(env + ip[2], (unsigned)ip[3]))
bc_st_state_i32: state_store(env + ip[2], R32(1), (unsigned)ip[3]); NEXT(4);
bc_st_state_i64: state_store(env + ip[2], R64(1), (unsigned)ip[3]); NEXT(4);

    /* ---- helper call ---- */
bc_call: {
    const struct interp_call *c;
    memcpy(&c, ip + 4, sizeof(c));
    void *argp[IR_HELPER_MAX_ARGS];
    for (unsigned i = 0; i < c->nargs; i++)
        argp[i] = FR(ip[6 + i]);
    fault_insn = NULL; /* a fault inside the helper is not this block's */
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
BRCOND32(bc_brcond_eq_i32, sem_cond(IR_I32, IR_COND_eq, in1, R32(2)))
BRCOND32(bc_brcond_ne_i32, sem_cond(IR_I32, IR_COND_ne, in1, R32(2)))
BRCOND32(bc_brcond_lt_i32, sem_cond(IR_I32, IR_COND_lt, in1, R32(2)))
BRCOND32(bc_brcond_ge_i32, sem_cond(IR_I32, IR_COND_ge, in1, R32(2)))
BRCOND32(bc_brcond_le_i32, sem_cond(IR_I32, IR_COND_le, in1, R32(2)))
BRCOND32(bc_brcond_gt_i32, sem_cond(IR_I32, IR_COND_gt, in1, R32(2)))
BRCOND32(bc_brcond_ltu_i32, sem_cond(IR_I32, IR_COND_ltu, in1, R32(2)))
BRCOND32(bc_brcond_geu_i32, sem_cond(IR_I32, IR_COND_geu, in1, R32(2)))
BRCOND32(bc_brcond_leu_i32, sem_cond(IR_I32, IR_COND_leu, in1, R32(2)))
BRCOND32(bc_brcond_gtu_i32, sem_cond(IR_I32, IR_COND_gtu, in1, R32(2)))
BRCOND64(bc_brcond_eq_i64, sem_cond(IR_I64, IR_COND_eq, in1, R64(2)))
BRCOND64(bc_brcond_ne_i64, sem_cond(IR_I64, IR_COND_ne, in1, R64(2)))
BRCOND64(bc_brcond_lt_i64, sem_cond(IR_I64, IR_COND_lt, in1, R64(2)))
BRCOND64(bc_brcond_ge_i64, sem_cond(IR_I64, IR_COND_ge, in1, R64(2)))
BRCOND64(bc_brcond_le_i64, sem_cond(IR_I64, IR_COND_le, in1, R64(2)))
BRCOND64(bc_brcond_gt_i64, sem_cond(IR_I64, IR_COND_gt, in1, R64(2)))
BRCOND64(bc_brcond_ltu_i64, sem_cond(IR_I64, IR_COND_ltu, in1, R64(2)))
BRCOND64(bc_brcond_geu_i64, sem_cond(IR_I64, IR_COND_geu, in1, R64(2)))
BRCOND64(bc_brcond_leu_i64, sem_cond(IR_I64, IR_COND_leu, in1, R64(2)))
BRCOND64(bc_brcond_gtu_i64, sem_cond(IR_I64, IR_COND_gtu, in1, R64(2)))

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
    LEAVE(IR_EXIT_chain);
}
bc_goto_ptr: {
    uint64_t pc = R64(1);
    cpu->pc = pc;
    const struct jc_entry *e = cpu->jmp_cache ? &cpu->jmp_cache[jc_hash(pc)] : NULL;
    if (e && e->pc == pc && e->flags == (uint64_t)cpu->flags && e->tb) {
        tb = e->tb;
        goto enter;
    }
    LEAVE(IR_EXIT_lookup);
}
bc_exit:
    cpu->pc = R64(1);
    LEAVE((unsigned)ip[2]);
    // clang-format on
}
