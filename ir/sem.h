/* Reference semantics of the IR value ops.  The interpreter executes them, the
 * constant folder evaluates them, and the JIT is tested against them.
 * Values are uint64_t holding the type's bits; i32 values are always kept
 * zero-extended (bits 32..63 are 0) and every function here returns them so. */
#ifndef FERRY_IR_SEM_H
#define FERRY_IR_SEM_H

#include "ir.h"

static inline uint64_t sem_mask(enum ir_type t, uint64_t v) { return v & ir_type_mask(t); }
static inline int64_t sem_signed(enum ir_type t, uint64_t v)
{
    return t == IR_I32 ? (int64_t)(int32_t)(uint32_t)v : (int64_t)v;
}
static inline uint64_t sem_signbit(enum ir_type t) { return t == IR_I32 ? 1ull << 31 : 1ull << 63; }

static inline uint64_t sem_divs(enum ir_type t, uint64_t a, uint64_t b)
{
    int64_t x = sem_signed(t, a), y = sem_signed(t, b);
    if (y == 0)
        return 0;
    if (y == -1) /* MIN / -1 = MIN, and -x for the rest */
        return sem_mask(t, 0 - a);
    return sem_mask(t, (uint64_t)(x / y));
}
static inline uint64_t sem_rems(enum ir_type t, uint64_t a, uint64_t b)
{
    int64_t x = sem_signed(t, a), y = sem_signed(t, b);
    if (y == 0)
        return a;
    if (y == -1)
        return 0;
    return sem_mask(t, (uint64_t)(x % y));
}
static inline uint64_t sem_divu(uint64_t a, uint64_t b) { return b ? a / b : 0; }
static inline uint64_t sem_remu(uint64_t a, uint64_t b) { return b ? a % b : a; }

static inline uint64_t sem_mulsh(enum ir_type t, uint64_t a, uint64_t b)
{
    if (t == IR_I32)
        return sem_mask(t, (uint64_t)((sem_signed(t, a) * sem_signed(t, b)) >> 32));
    __int128 p = (__int128)(int64_t)a * (__int128)(int64_t)b;
    return (uint64_t)(p >> 64);
}
static inline uint64_t sem_muluh(enum ir_type t, uint64_t a, uint64_t b)
{
    if (t == IR_I32)
        return (a * b) >> 32;
    unsigned __int128 p = (unsigned __int128)a * b;
    return (uint64_t)(p >> 64);
}

static inline uint64_t sem_shl(enum ir_type t, uint64_t a, uint64_t b)
{
    return sem_mask(t, a << (b & (ir_type_bits(t) - 1)));
}
static inline uint64_t sem_shr(enum ir_type t, uint64_t a, uint64_t b)
{
    return a >> (b & (ir_type_bits(t) - 1));
}
static inline uint64_t sem_sar(enum ir_type t, uint64_t a, uint64_t b)
{
    return sem_mask(t, (uint64_t)(sem_signed(t, a) >> (b & (ir_type_bits(t) - 1))));
}
static inline uint64_t sem_rotl(enum ir_type t, uint64_t a, uint64_t b)
{
    unsigned w = ir_type_bits(t), n = (unsigned)(b & (w - 1));
    return n ? sem_mask(t, (a << n) | (a >> (w - n))) : a;
}
static inline uint64_t sem_rotr(enum ir_type t, uint64_t a, uint64_t b)
{
    unsigned w = ir_type_bits(t), n = (unsigned)(b & (w - 1));
    return n ? sem_mask(t, (a >> n) | (a << (w - n))) : a;
}

static inline uint64_t sem_clz(enum ir_type t, uint64_t a)
{
    if (!a)
        return ir_type_bits(t);
    return (uint64_t)__builtin_clzll(a) - (64 - ir_type_bits(t));
}
static inline uint64_t sem_ctz(enum ir_type t, uint64_t a)
{
    return a ? (uint64_t)__builtin_ctzll(a) : ir_type_bits(t);
}
static inline uint64_t sem_popcnt(uint64_t a) { return (uint64_t)__builtin_popcountll(a); }
static inline uint64_t sem_bswap(uint64_t a, unsigned nbytes)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < nbytes; i++)
        r |= ((a >> (8 * i)) & 0xff) << (8 * (nbytes - 1 - i));
    return r;
}

static inline uint64_t sem_field_mask(unsigned len) { return len >= 64 ? ~0ull : (1ull << len) - 1; }
static inline uint64_t sem_extract(uint64_t a, unsigned pos, unsigned len)
{
    return (a >> pos) & sem_field_mask(len);
}
static inline uint64_t sem_sextract(enum ir_type t, uint64_t a, unsigned pos, unsigned len)
{
    uint64_t v = sem_extract(a, pos, len);
    if (len < 64 && (v >> (len - 1)) & 1)
        v |= ~sem_field_mask(len);
    return sem_mask(t, v);
}
static inline uint64_t sem_deposit(enum ir_type t, uint64_t a, uint64_t b, unsigned pos, unsigned len)
{
    uint64_t m = sem_field_mask(len) << pos;
    return sem_mask(t, (a & ~m) | ((b << pos) & m));
}

static inline bool sem_cond(enum ir_type t, enum ir_cond c, uint64_t a, uint64_t b)
{
    int64_t x = sem_signed(t, a), y = sem_signed(t, b);
    switch (c) {
    case IR_COND_eq: return a == b;
    case IR_COND_ne: return a != b;
    case IR_COND_lt: return x < y;
    case IR_COND_ge: return x >= y;
    case IR_COND_le: return x <= y;
    case IR_COND_gt: return x > y;
    case IR_COND_ltu: return a < b;
    case IR_COND_geu: return a >= b;
    case IR_COND_leu: return a <= b;
    case IR_COND_gtu: return a > b;
    default: return false;
    }
}

/* Flags: the third input is a carry/borrow in; only its bit 0 counts. */
static inline uint64_t sem_addc(enum ir_type t, uint64_t a, uint64_t b, uint64_t cin)
{
    uint64_t s = sem_mask(t, a + b), c = s < a;
    uint64_t r = sem_mask(t, s + (cin & 1));
    return c | (r < s);
}
static inline uint64_t sem_addv(enum ir_type t, uint64_t a, uint64_t b, uint64_t cin)
{
    uint64_t r = sem_mask(t, a + b + (cin & 1));
    return ((~(a ^ b) & (a ^ r)) & sem_signbit(t)) != 0;
}
static inline uint64_t sem_subb(enum ir_type t, uint64_t a, uint64_t b, uint64_t bin)
{
    (void)t;
    return a < b || (a - b) < (bin & 1);
}
static inline uint64_t sem_subv(enum ir_type t, uint64_t a, uint64_t b, uint64_t bin)
{
    uint64_t r = sem_mask(t, a - b - (bin & 1));
    return (((a ^ b) & (a ^ r)) & sem_signbit(t)) != 0;
}

/* Evaluate a pure value op with one output (every op except memory, state,
 * call, control flow and markers).  `in` has the op's inputs, `carg` its
 * constant args.  Returns false if `op` is not such an op. */
static inline bool sem_eval(enum ir_op op, enum ir_type t, const uint64_t *in, const int64_t *carg,
                            uint64_t *out)
{
    uint64_t a = in[0], b = in[1], r;
    switch (op) {
    case IR_OP_mov: r = a; break;
    case IR_OP_add: r = a + b; break;
    case IR_OP_sub: r = a - b; break;
    case IR_OP_mul: r = a * b; break;
    case IR_OP_mulsh: r = sem_mulsh(t, a, b); break;
    case IR_OP_muluh: r = sem_muluh(t, a, b); break;
    case IR_OP_divs: r = sem_divs(t, a, b); break;
    case IR_OP_divu: r = sem_divu(a, b); break;
    case IR_OP_rems: r = sem_rems(t, a, b); break;
    case IR_OP_remu: r = sem_remu(a, b); break;
    case IR_OP_neg: r = 0 - a; break;
    case IR_OP_and: r = a & b; break;
    case IR_OP_or: r = a | b; break;
    case IR_OP_xor: r = a ^ b; break;
    case IR_OP_andc: r = a & ~b; break;
    case IR_OP_not: r = ~a; break;
    case IR_OP_shl: r = sem_shl(t, a, b); break;
    case IR_OP_shr: r = sem_shr(t, a, b); break;
    case IR_OP_sar: r = sem_sar(t, a, b); break;
    case IR_OP_rotl: r = sem_rotl(t, a, b); break;
    case IR_OP_rotr: r = sem_rotr(t, a, b); break;
    case IR_OP_clz: r = sem_clz(t, a); break;
    case IR_OP_ctz: r = sem_ctz(t, a); break;
    case IR_OP_popcnt: r = sem_popcnt(a); break;
    case IR_OP_bswap: r = sem_bswap(a, (unsigned)carg[0]); break;
    case IR_OP_extract: r = sem_extract(a, (unsigned)carg[0], (unsigned)carg[1]); break;
    case IR_OP_sextract: r = sem_sextract(t, a, (unsigned)carg[0], (unsigned)carg[1]); break;
    case IR_OP_deposit: r = sem_deposit(t, a, b, (unsigned)carg[0], (unsigned)carg[1]); break;
    case IR_OP_zext: *out = a & 0xffffffffull; return true;
    case IR_OP_sext: *out = (uint64_t)(int64_t)(int32_t)(uint32_t)a; return true;
    case IR_OP_trunc: *out = a & 0xffffffffull; return true;
    case IR_OP_setcond: r = sem_cond(t, (enum ir_cond)carg[0], a, b); break;
    case IR_OP_movcond: r = sem_cond(t, (enum ir_cond)carg[0], a, b) ? in[2] : in[3]; break;
    case IR_OP_addc: r = sem_addc(t, a, b, in[2]); break;
    case IR_OP_addv: r = sem_addv(t, a, b, in[2]); break;
    case IR_OP_subb: r = sem_subb(t, a, b, in[2]); break;
    case IR_OP_subv: r = sem_subv(t, a, b, in[2]); break;
    default: return false;
    }
    *out = sem_mask(t, r);
    return true;
}

/* Guest memory access semantics: load `memop` from p, extend to type t. */
static inline uint64_t sem_load(enum ir_type t, const void *p, unsigned memop)
{
    const uint8_t *b = (const uint8_t *)p;
    unsigned n = ir_mo_bytes(memop);
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)b[(memop & IR_MO_BE) ? n - 1 - i : i] << (8 * i);
    if ((memop & IR_MO_SIGN) && n < 8 && ((v >> (8 * n - 1)) & 1))
        v |= ~0ull << (8 * n);
    return sem_mask(t, v);
}
static inline void sem_store(void *p, uint64_t v, unsigned memop)
{
    uint8_t *b = (uint8_t *)p;
    unsigned n = ir_mo_bytes(memop);
    for (unsigned i = 0; i < n; i++)
        b[(memop & IR_MO_BE) ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

#endif
