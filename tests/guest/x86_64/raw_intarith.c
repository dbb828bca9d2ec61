/* Integer arithmetic as gcc -O2 compiles it, without libc or SSE: every
 * width, signed and unsigned, multiply high, divide, shifts and rotates by
 * variable counts, bit counting, byte swaps, overflow checks, and a few
 * instructions by inline assembly (ADC/SBB, BT*, SHLD/SHRD, RCL/RCR, XADD,
 * CMPXCHG, LAHF, PUSHFQ) with the flags they define.  The output is compared
 * with the same program run natively. */
#include "nolibc.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

/* interesting operands: edges and random values */
static uint64_t operand(unsigned i)
{
    static const uint64_t edges[] = {0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
                                     0x7fffffff, 0x80000000, 0xffffffff, 0x7fffffffffffffffull,
                                     0x8000000000000000ull, ~0ull, 0x123456789abcdef0ull};
    if (i < sizeof edges / sizeof edges[0])
        return edges[i];
    uint64_t r = rnd();
    switch (i % 4) {
    case 0: return r;
    case 1: return r & 0xff;
    case 2: return (uint64_t)(int64_t)(int32_t)r;
    default: return r >> (r & 63);
    }
}

static uint64_t digest = 0xcbf29ce484222325ull;
static void mix(uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        digest ^= (v >> (8 * i)) & 0xff;
        digest *= 0x100000001b3ull;
    }
}

#define NOPS 48

__attribute__((noinline)) static void arith(uint64_t a, uint64_t b, uint64_t *r)
{
    unsigned n = 0;
    r[n++] = a + b;
    r[n++] = a - b;
    r[n++] = a * b;
    r[n++] = (uint64_t)(((unsigned __int128)a * b) >> 64);
    r[n++] = (uint64_t)(((__int128)(int64_t)a * (int64_t)b) >> 64);
    r[n++] = (uint32_t)a * (uint32_t)b;
    r[n++] = (uint64_t)(int64_t)((int32_t)a * (int32_t)b);
    r[n++] = (uint16_t)((uint16_t)a * (uint16_t)b);
    r[n++] = b ? a / b : 1;
    r[n++] = b ? a % b : 2;
    r[n++] = (b && !(a == 0x8000000000000000ull && b == ~0ull)) ? (uint64_t)((int64_t)a / (int64_t)b) : 3;
    r[n++] = (b && !(a == 0x8000000000000000ull && b == ~0ull)) ? (uint64_t)((int64_t)a % (int64_t)b) : 4;
    r[n++] = (uint32_t)b ? (uint32_t)a / (uint32_t)b : 5;
    r[n++] = ((int32_t)b && !((int32_t)a == (int32_t)0x80000000 && (int32_t)b == -1))
                 ? (uint64_t)(int64_t)((int32_t)a / (int32_t)b) : 6;
    r[n++] = (uint8_t)b ? (uint8_t)a / (uint8_t)b : 7;
    r[n++] = (uint16_t)b ? (uint16_t)((uint16_t)a % (uint16_t)b) : 8;
    r[n++] = a << (b & 63);
    r[n++] = a >> (b & 63);
    r[n++] = (uint64_t)((int64_t)a >> (b & 63));
    r[n++] = (uint32_t)a << (b & 31);
    r[n++] = (uint32_t)a >> (b & 31);
    r[n++] = (uint64_t)(int64_t)((int32_t)a >> (b & 31));
    r[n++] = (uint8_t)((uint8_t)a >> (b & 7));
    r[n++] = (uint64_t)(int64_t)(int16_t)((int16_t)a >> (b & 15));
    r[n++] = (a << (b & 63)) | (a >> ((64 - (b & 63)) & 63));
    r[n++] = (a >> (b & 63)) | (a << ((64 - (b & 63)) & 63));
    r[n++] = (uint32_t)(((uint32_t)a << (b & 31)) | ((uint32_t)a >> ((32 - (b & 31)) & 31)));
    r[n++] = a ? (uint64_t)__builtin_clzll(a) : 64;
    r[n++] = a ? (uint64_t)__builtin_ctzll(a) : 64;
    r[n++] = (uint64_t)__builtin_popcountll(a);
    r[n++] = (uint64_t)__builtin_parityll(a ^ b);
    r[n++] = __builtin_bswap64(a);
    r[n++] = __builtin_bswap32((uint32_t)b);
    r[n++] = __builtin_bswap16((uint16_t)a);
    uint64_t o;
    r[n++] = (uint64_t)__builtin_add_overflow((int64_t)a, (int64_t)b, (int64_t *)&o) ^ o;
    r[n++] = (uint64_t)__builtin_sub_overflow((int32_t)a, (int32_t)b, (int32_t *)&o) ^ (uint32_t)o;
    r[n++] = (uint64_t)__builtin_mul_overflow(a, b, &o) ^ o;
    r[n++] = (uint64_t)__builtin_mul_overflow((int64_t)a, (int64_t)b, (int64_t *)&o) ^ o;
    r[n++] = ((int64_t)a < (int64_t)b) | ((a < b) << 1) | (((int32_t)a <= (int32_t)b) << 2) |
             (((uint16_t)a > (uint16_t)b) << 3) | (((int8_t)a >= (int8_t)b) << 4) | ((a == b) << 5);
    r[n++] = (int64_t)a < (int64_t)b ? a : b;
    r[n++] = a > b ? a - b : b - a;
    r[n++] = (uint64_t)(int64_t)(int8_t)a + (uint64_t)(int64_t)(int16_t)b;
    r[n++] = (uint64_t)(uint8_t)a * 3 + (uint64_t)(uint16_t)b * 5 + (uint64_t)(uint32_t)(a ^ b) * 9;
    r[n++] = ~a & (b | 0x5555);
    r[n++] = (uint64_t)-(int64_t)a ^ (b >> 3);
    r[n++] = a * 0x10001 + b * 7 - (a >> 2) * 9;
    r[n++] = (a & 0xffffffff00000000ull) | ((b + 1) & 0xffffffff);
    r[n++] = (uint64_t)(int64_t)(int32_t)(a + b) >> 1;
}

/* flags defined by each instruction, from PUSHFQ (CF PF AF ZF SF OF = 0x8d5) */
#define ALL_FLAGS 0x8d5ull
#define NO_AF 0x8c5ull

#define FLAGS_OP(name, insn)                                                            \
    __attribute__((noinline)) static uint64_t name(uint64_t *a, uint64_t b, uint64_t cin) \
    {                                                                                   \
        uint64_t fl;                                                                    \
        __asm__ volatile("bt $0, %[c]\n\t" insn "\n\tpushfq\n\tpop %[fl]"                \
                         : [a] "+r"(*a), [fl] "=r"(fl)                                   \
                         : [b] "r"(b), [c] "r"(cin)                                      \
                         : "cc");                                                        \
        return fl;                                                                      \
    }

FLAGS_OP(f_adc, "adc %[b], %[a]")
FLAGS_OP(f_sbb, "sbb %[b], %[a]")
FLAGS_OP(f_adc32, "adc %k[b], %k[a]")
FLAGS_OP(f_sbb8, "sbb %b[b], %b[a]")
FLAGS_OP(f_add16, "add %w[b], %w[a]")
FLAGS_OP(f_sub, "sub %[b], %[a]")
FLAGS_OP(f_neg, "neg %[a]")
FLAGS_OP(f_inc32, "inc %k[a]")
FLAGS_OP(f_dec8, "dec %b[a]")
FLAGS_OP(f_xor, "xor %[b], %[a]")
FLAGS_OP(f_and32, "and %k[b], %k[a]")
FLAGS_OP(f_bt, "bt %[b], %[a]")
FLAGS_OP(f_bts, "bts %[b], %[a]")
FLAGS_OP(f_btr32, "btr %k[b], %k[a]")
FLAGS_OP(f_btc, "btc %[b], %[a]")
FLAGS_OP(f_shl1, "shl $1, %[a]")
FLAGS_OP(f_sar1_32, "sar $1, %k[a]")
FLAGS_OP(f_rcl1, "rcl $1, %[a]")
FLAGS_OP(f_rcr1_16, "rcr $1, %w[a]")

__attribute__((noinline)) static uint64_t f_xadd(uint64_t *a, uint64_t b, uint64_t cin)
{
    uint64_t fl;
    (void)cin;
    __asm__ volatile("lock xadd %[b], %[a]\n\tpushfq\n\tpop %[fl]"
                     : [a] "+m"(*a), [b] "+r"(b), [fl] "=r"(fl)
                     :
                     : "cc");
    return fl ^ (b << 12);
}

__attribute__((noinline)) static uint64_t shift_cl(uint64_t a, uint64_t c, uint64_t *out)
{
    uint64_t x = a, y = a, z = a, w = a, v = a, fl;
    __asm__ volatile("shld %%cl, %[b], %[x]\n\t"
                     "shrd %%cl, %[b], %[y]\n\t"
                     "rcl %%cl, %[z]\n\t"
                     "rcr %%cl, %k[w]\n\t"
                     "rol %%cl, %w[v]\n\t"
                     "pushfq\n\tpop %[fl]"
                     : [x] "+r"(x), [y] "+r"(y), [z] "+r"(z), [w] "+r"(w), [v] "+r"(v), [fl] "=r"(fl)
                     : [b] "r"(~a * 3), "c"(c)
                     : "cc");
    out[0] = x;
    out[1] = y;
    out[2] = z;
    out[3] = w;
    out[4] = v;
    return (c & 63) == 1 ? fl & 0x801 : (c & 31) ? fl & 1 : 0;
}

__attribute__((noinline)) static uint64_t cmpxchg(uint64_t *mem, uint64_t expect, uint64_t v)
{
    uint64_t fl;
    __asm__ volatile("lock cmpxchg %[v], %[m]\n\tpushfq\n\tpop %[fl]"
                     : [m] "+m"(*mem), "+a"(expect), [fl] "=r"(fl)
                     : [v] "r"(v)
                     : "cc");
    return (fl & ALL_FLAGS) ^ (expect << 12);
}

__attribute__((noinline)) static uint64_t lahf_of(uint64_t a, uint64_t b)
{
    uint64_t ah;
    __asm__ volatile("cmp %[b], %[a]\n\tlahf\n\tmovzbl %%ah, %k[r]"
                     : [r] "=a"(ah)
                     : [a] "r"(a), [b] "r"(b)
                     : "cc");
    return ah;
}

int main(int argc, char **argv, char **envp)
{
    (void)argv;
    (void)envp;
    uint64_t r[NOPS];
    unsigned n = 0, total = 300 + (unsigned)argc - 1;
    for (unsigned i = 0; i < total; i++) {
        uint64_t a = operand(i), b = operand(i * 7 + 3);
        arith(a, b, r);
        for (unsigned k = 0; k < NOPS; k++)
            mix(r[k]);
        if (i % 50 == 0) {
            out_str("arith a=");
            out_hex(a);
            out_str(" b=");
            out_hex(b);
            out_char('\n');
            for (unsigned k = 0; k < NOPS; k++) {
                out_str("  ");
                out_hex(r[k]);
                if (k % 4 == 3)
                    out_char('\n');
            }
        }
        n++;
    }
    out_kx("arith digest", digest);

    static uint64_t (*const ops[])(uint64_t *, uint64_t, uint64_t) = {
        f_adc, f_sbb, f_adc32, f_sbb8, f_add16, f_sub, f_neg, f_inc32, f_dec8, f_xor,
        f_and32, f_bt, f_bts, f_btr32, f_btc, f_shl1, f_sar1_32, f_rcl1, f_rcr1_16, f_xadd};
    static const uint64_t masks[] = {ALL_FLAGS, ALL_FLAGS, ALL_FLAGS, ALL_FLAGS, ALL_FLAGS,
                                     ALL_FLAGS, ALL_FLAGS, ALL_FLAGS, ALL_FLAGS, NO_AF,
                                     NO_AF,     1,         1,         1,         1,
                                     NO_AF,     NO_AF,     0x801,     0x801,     ALL_FLAGS};
    digest = 0xcbf29ce484222325ull;
    for (unsigned op = 0; op < sizeof ops / sizeof ops[0]; op++) {
        uint64_t d0 = digest;
        for (unsigned i = 0; i < 64; i++) {
            uint64_t a = operand(i), b = operand(i + 5), fl;
            fl = ops[op](&a, b, i & 1);
            mix(a);
            mix(fl & masks[op]);
        }
        out_str("flags op ");
        out_udec(op);
        out_char(' ');
        out_hex(digest ^ d0);
        out_char('\n');
    }
    for (unsigned i = 0; i < 80; i++) {
        uint64_t s[5], a = operand(i);
        uint64_t fl = shift_cl(a, i, s);
        for (unsigned k = 0; k < 5; k++)
            mix(s[k]);
        mix(fl);
        uint64_t m = a;
        mix(cmpxchg(&m, i & 1 ? a : a + 1, ~a));
        mix(m);
        mix(lahf_of(a, operand(i + 1)) & 0xd5);
    }
    out_kx("misc digest", digest);
    out_kv("iterations", n);
    return 0;
}
