/* SSE2 integer vector instructions run by helpers (portable C on the XMM
 * bytes of struct x64_cpu): compares, saturating and wrapping byte/word/
 * dword arithmetic, multiplies, PSADBW, packs and unpacks, shuffles, the
 * word/dword shifts and MOVMSKPS.  Helpers take CPU-state byte offsets of
 * the destination and source (xmm_tmp for memory sources).  PCMPEQB and
 * PMOVMSKB, the string functions' hot pair, are inline IR. */
#include <string.h>

#include "frontend/x86_64/x64_sse.h"

#define X64_XMM_AT(cpu, off) ((union x64_xmm *)(void *)((char *)(cpu) + (off)))

/* lane views of a 128-bit value (host is little-endian like the guest) */
struct x64_v {
    union {
        uint8_t b[16];
        int8_t sb[16];
        uint16_t w[8];
        int16_t sw[8];
        uint32_t d[4];
        int32_t sd[4];
        uint64_t q[2];
    };
};

static void x64_v_get(struct x64_v *v, struct x64_cpu *cpu, uint32_t off)
{
    memcpy(v, X64_XMM_AT(cpu, off), 16);
}
static void x64_v_put(struct x64_cpu *cpu, uint32_t off, const struct x64_v *v)
{
    memcpy(X64_XMM_AT(cpu, off), v, 16);
}

static uint8_t x64_satub(int v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); }
static int8_t x64_satsb(int v) { return (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v); }
static uint16_t x64_satuw(int v) { return (uint16_t)(v < 0 ? 0 : v > 65535 ? 65535 : v); }
static int16_t x64_satsw(int v) { return (int16_t)(v < -32768 ? -32768 : v > 32767 ? 32767 : v); }

/* One function per instruction: r = a op b (a the destination). */
typedef void x64_sse_binop(struct x64_v *r, const struct x64_v *a, const struct x64_v *b);

#define X64_LANES(n) for (unsigned i = 0; i < (n); i++)
static void x64_paddb(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(16) r->b[i] = (uint8_t)(a->b[i] + b->b[i]); }
static void x64_paddw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) r->w[i] = (uint16_t)(a->w[i] + b->w[i]); }
static void x64_paddd(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(4) r->d[i] = a->d[i] + b->d[i]; }
static void x64_psubb(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(16) r->b[i] = (uint8_t)(a->b[i] - b->b[i]); }
static void x64_psubw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) r->w[i] = (uint16_t)(a->w[i] - b->w[i]); }
static void x64_psubd(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(4) r->d[i] = a->d[i] - b->d[i]; }
static void x64_paddusb(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(16) r->b[i] = x64_satub(a->b[i] + b->b[i]); }
static void x64_paddusw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) r->w[i] = x64_satuw(a->w[i] + b->w[i]); }
static void x64_psubusb(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(16) r->b[i] = x64_satub(a->b[i] - b->b[i]); }
static void x64_psubusw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) r->w[i] = x64_satuw(a->w[i] - b->w[i]); }
static void x64_paddsb(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(16) r->sb[i] = x64_satsb(a->sb[i] + b->sb[i]); }
static void x64_paddsw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) r->sw[i] = x64_satsw(a->sw[i] + b->sw[i]); }
static void x64_psubsb(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(16) r->sb[i] = x64_satsb(a->sb[i] - b->sb[i]); }
static void x64_psubsw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) r->sw[i] = x64_satsw(a->sw[i] - b->sw[i]); }
static void x64_pcmpeqw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) r->w[i] = a->w[i] == b->w[i] ? 0xffff : 0; }
static void x64_pcmpeqd(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(4) r->d[i] = a->d[i] == b->d[i] ? ~0u : 0; }
static void x64_pcmpgtb(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(16) r->b[i] = a->sb[i] > b->sb[i] ? 0xff : 0; }
static void x64_pcmpgtw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) r->w[i] = a->sw[i] > b->sw[i] ? 0xffff : 0; }
static void x64_pcmpgtd(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(4) r->d[i] = a->sd[i] > b->sd[i] ? ~0u : 0; }
static void x64_pminub(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(16) r->b[i] = a->b[i] < b->b[i] ? a->b[i] : b->b[i]; }
static void x64_pmaxub(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(16) r->b[i] = a->b[i] > b->b[i] ? a->b[i] : b->b[i]; }
static void x64_pminsw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) r->sw[i] = a->sw[i] < b->sw[i] ? a->sw[i] : b->sw[i]; }
static void x64_pmaxsw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) r->sw[i] = a->sw[i] > b->sw[i] ? a->sw[i] : b->sw[i]; }
static void x64_pavgb(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(16) r->b[i] = (uint8_t)((a->b[i] + b->b[i] + 1) >> 1); }
static void x64_pavgw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) r->w[i] = (uint16_t)((a->w[i] + b->w[i] + 1) >> 1); }
static void x64_pmullw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) r->w[i] = (uint16_t)((int32_t)a->sw[i] * b->sw[i]); }
static void x64_pmulhw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) r->w[i] = (uint16_t)((uint32_t)((int32_t)a->sw[i] * b->sw[i]) >> 16); }
static void x64_pmulhuw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) r->w[i] = (uint16_t)(((uint32_t)a->w[i] * b->w[i]) >> 16); }
static void x64_pmuludq(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(2) r->q[i] = (uint64_t)a->d[2 * i] * b->d[2 * i]; }
static void x64_pmaddwd(struct x64_v *r, const struct x64_v *a, const struct x64_v *b)
{
    X64_LANES(4)
    r->d[i] = (uint32_t)((int32_t)a->sw[2 * i] * b->sw[2 * i]) +
              (uint32_t)((int32_t)a->sw[2 * i + 1] * b->sw[2 * i + 1]);
}
static void x64_psadbw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b)
{
    X64_LANES(2)
    {
        unsigned sum = 0;
        for (unsigned k = 0; k < 8; k++) {
            int d = a->b[8 * i + k] - b->b[8 * i + k];
            sum += (unsigned)(d < 0 ? -d : d);
        }
        r->q[i] = sum;
    }
}
/* unpacks interleave lanes of the low (l) or high (h) halves */
static void x64_punpcklbw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) { r->b[2 * i] = a->b[i]; r->b[2 * i + 1] = b->b[i]; } }
static void x64_punpckhbw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) { r->b[2 * i] = a->b[8 + i]; r->b[2 * i + 1] = b->b[8 + i]; } }
static void x64_punpcklwd(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(4) { r->w[2 * i] = a->w[i]; r->w[2 * i + 1] = b->w[i]; } }
static void x64_punpckhwd(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(4) { r->w[2 * i] = a->w[4 + i]; r->w[2 * i + 1] = b->w[4 + i]; } }
static void x64_punpckldq(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(2) { r->d[2 * i] = a->d[i]; r->d[2 * i + 1] = b->d[i]; } }
static void x64_punpckhdq(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(2) { r->d[2 * i] = a->d[2 + i]; r->d[2 * i + 1] = b->d[2 + i]; } }
static void x64_packsswb(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) { r->sb[i] = x64_satsb(a->sw[i]); r->sb[8 + i] = x64_satsb(b->sw[i]); } }
static void x64_packuswb(struct x64_v *r, const struct x64_v *a, const struct x64_v *b) { X64_LANES(8) { r->b[i] = x64_satub(a->sw[i]); r->b[8 + i] = x64_satub(b->sw[i]); } }
static void x64_packssdw(struct x64_v *r, const struct x64_v *a, const struct x64_v *b)
{
    X64_LANES(4)
    {
        r->sw[i] = (int16_t)(a->sd[i] < -32768 ? -32768 : a->sd[i] > 32767 ? 32767 : a->sd[i]);
        r->sw[4 + i] = (int16_t)(b->sd[i] < -32768 ? -32768 : b->sd[i] > 32767 ? 32767 : b->sd[i]);
    }
}

/* ---- helpers: the CPU-state wrappers the IR calls ------------------------- */

static void x64_sse_run_binop(struct x64_cpu *cpu, uint32_t d, uint32_t s, x64_sse_binop *op)
{
    struct x64_v a, b, r;
    x64_v_get(&a, cpu, d);
    x64_v_get(&b, cpu, s);
    op(&r, &a, &b);
    x64_v_put(cpu, d, &r);
}

/* The binary ops by opcode (66 0F xx). */
struct x64_sse_binop_entry {
    uint8_t pfx, opc;
    x64_sse_binop *op;
    struct ir_helper h;
};

/* Each helper is a named function (what the IR text and the JIT call). */
#define X64_SSE_BINOP_HELPER(fname, impl)                                                          \
    static void fname(struct x64_cpu *cpu, uint32_t d, uint32_t s) { x64_sse_run_binop(cpu, d, s, impl); }
X64_SSE_BINOP_HELPER(x64_helper_paddb, x64_paddb)
X64_SSE_BINOP_HELPER(x64_helper_paddw, x64_paddw)
X64_SSE_BINOP_HELPER(x64_helper_paddd, x64_paddd)
X64_SSE_BINOP_HELPER(x64_helper_psubb, x64_psubb)
X64_SSE_BINOP_HELPER(x64_helper_psubw, x64_psubw)
X64_SSE_BINOP_HELPER(x64_helper_psubd, x64_psubd)
X64_SSE_BINOP_HELPER(x64_helper_paddusb, x64_paddusb)
X64_SSE_BINOP_HELPER(x64_helper_paddusw, x64_paddusw)
X64_SSE_BINOP_HELPER(x64_helper_psubusb, x64_psubusb)
X64_SSE_BINOP_HELPER(x64_helper_psubusw, x64_psubusw)
X64_SSE_BINOP_HELPER(x64_helper_paddsb, x64_paddsb)
X64_SSE_BINOP_HELPER(x64_helper_paddsw, x64_paddsw)
X64_SSE_BINOP_HELPER(x64_helper_psubsb, x64_psubsb)
X64_SSE_BINOP_HELPER(x64_helper_psubsw, x64_psubsw)
X64_SSE_BINOP_HELPER(x64_helper_pcmpeqw, x64_pcmpeqw)
X64_SSE_BINOP_HELPER(x64_helper_pcmpeqd, x64_pcmpeqd)
X64_SSE_BINOP_HELPER(x64_helper_pcmpgtb, x64_pcmpgtb)
X64_SSE_BINOP_HELPER(x64_helper_pcmpgtw, x64_pcmpgtw)
X64_SSE_BINOP_HELPER(x64_helper_pcmpgtd, x64_pcmpgtd)
X64_SSE_BINOP_HELPER(x64_helper_pminub, x64_pminub)
X64_SSE_BINOP_HELPER(x64_helper_pmaxub, x64_pmaxub)
X64_SSE_BINOP_HELPER(x64_helper_pminsw, x64_pminsw)
X64_SSE_BINOP_HELPER(x64_helper_pmaxsw, x64_pmaxsw)
X64_SSE_BINOP_HELPER(x64_helper_pavgb, x64_pavgb)
X64_SSE_BINOP_HELPER(x64_helper_pavgw, x64_pavgw)
X64_SSE_BINOP_HELPER(x64_helper_pmullw, x64_pmullw)
X64_SSE_BINOP_HELPER(x64_helper_pmulhw, x64_pmulhw)
X64_SSE_BINOP_HELPER(x64_helper_pmulhuw, x64_pmulhuw)
X64_SSE_BINOP_HELPER(x64_helper_pmuludq, x64_pmuludq)
X64_SSE_BINOP_HELPER(x64_helper_pmaddwd, x64_pmaddwd)
X64_SSE_BINOP_HELPER(x64_helper_psadbw, x64_psadbw)
X64_SSE_BINOP_HELPER(x64_helper_punpcklbw, x64_punpcklbw)
X64_SSE_BINOP_HELPER(x64_helper_punpckhbw, x64_punpckhbw)
X64_SSE_BINOP_HELPER(x64_helper_punpcklwd, x64_punpcklwd)
X64_SSE_BINOP_HELPER(x64_helper_punpckhwd, x64_punpckhwd)
X64_SSE_BINOP_HELPER(x64_helper_punpckldq, x64_punpckldq)
X64_SSE_BINOP_HELPER(x64_helper_punpckhdq, x64_punpckhdq)
X64_SSE_BINOP_HELPER(x64_helper_packsswb, x64_packsswb)
X64_SSE_BINOP_HELPER(x64_helper_packuswb, x64_packuswb)
X64_SSE_BINOP_HELPER(x64_helper_packssdw, x64_packssdw)

#define X64_SSE_HELPER2(fname) \
    {.name = #fname, .fn = (void *)(fname), .ret = IR_VOID, .nargs = 2, .args = {IR_I32, IR_I32}, \
     .flags = IR_HF_ENV | IR_HF_SIDE}
static const struct x64_sse_binop_entry x64_sse_binops[] = {
    {0x66, 0xfc, x64_paddb, X64_SSE_HELPER2(x64_helper_paddb)},
    {0x66, 0xfd, x64_paddw, X64_SSE_HELPER2(x64_helper_paddw)},
    {0x66, 0xfe, x64_paddd, X64_SSE_HELPER2(x64_helper_paddd)},
    {0x66, 0xf8, x64_psubb, X64_SSE_HELPER2(x64_helper_psubb)},
    {0x66, 0xf9, x64_psubw, X64_SSE_HELPER2(x64_helper_psubw)},
    {0x66, 0xfa, x64_psubd, X64_SSE_HELPER2(x64_helper_psubd)},
    {0x66, 0xdc, x64_paddusb, X64_SSE_HELPER2(x64_helper_paddusb)},
    {0x66, 0xdd, x64_paddusw, X64_SSE_HELPER2(x64_helper_paddusw)},
    {0x66, 0xd8, x64_psubusb, X64_SSE_HELPER2(x64_helper_psubusb)},
    {0x66, 0xd9, x64_psubusw, X64_SSE_HELPER2(x64_helper_psubusw)},
    {0x66, 0xec, x64_paddsb, X64_SSE_HELPER2(x64_helper_paddsb)},
    {0x66, 0xed, x64_paddsw, X64_SSE_HELPER2(x64_helper_paddsw)},
    {0x66, 0xe8, x64_psubsb, X64_SSE_HELPER2(x64_helper_psubsb)},
    {0x66, 0xe9, x64_psubsw, X64_SSE_HELPER2(x64_helper_psubsw)},
    {0x66, 0x75, x64_pcmpeqw, X64_SSE_HELPER2(x64_helper_pcmpeqw)},
    {0x66, 0x76, x64_pcmpeqd, X64_SSE_HELPER2(x64_helper_pcmpeqd)},
    {0x66, 0x64, x64_pcmpgtb, X64_SSE_HELPER2(x64_helper_pcmpgtb)},
    {0x66, 0x65, x64_pcmpgtw, X64_SSE_HELPER2(x64_helper_pcmpgtw)},
    {0x66, 0x66, x64_pcmpgtd, X64_SSE_HELPER2(x64_helper_pcmpgtd)},
    {0x66, 0xda, x64_pminub, X64_SSE_HELPER2(x64_helper_pminub)},
    {0x66, 0xde, x64_pmaxub, X64_SSE_HELPER2(x64_helper_pmaxub)},
    {0x66, 0xea, x64_pminsw, X64_SSE_HELPER2(x64_helper_pminsw)},
    {0x66, 0xee, x64_pmaxsw, X64_SSE_HELPER2(x64_helper_pmaxsw)},
    {0x66, 0xe0, x64_pavgb, X64_SSE_HELPER2(x64_helper_pavgb)},
    {0x66, 0xe3, x64_pavgw, X64_SSE_HELPER2(x64_helper_pavgw)},
    {0x66, 0xd5, x64_pmullw, X64_SSE_HELPER2(x64_helper_pmullw)},
    {0x66, 0xe5, x64_pmulhw, X64_SSE_HELPER2(x64_helper_pmulhw)},
    {0x66, 0xe4, x64_pmulhuw, X64_SSE_HELPER2(x64_helper_pmulhuw)},
    {0x66, 0xf4, x64_pmuludq, X64_SSE_HELPER2(x64_helper_pmuludq)},
    {0x66, 0xf5, x64_pmaddwd, X64_SSE_HELPER2(x64_helper_pmaddwd)},
    {0x66, 0xf6, x64_psadbw, X64_SSE_HELPER2(x64_helper_psadbw)},
    {0x66, 0x60, x64_punpcklbw, X64_SSE_HELPER2(x64_helper_punpcklbw)},
    {0x66, 0x68, x64_punpckhbw, X64_SSE_HELPER2(x64_helper_punpckhbw)},
    {0x66, 0x61, x64_punpcklwd, X64_SSE_HELPER2(x64_helper_punpcklwd)},
    {0x66, 0x69, x64_punpckhwd, X64_SSE_HELPER2(x64_helper_punpckhwd)},
    {0x66, 0x62, x64_punpckldq, X64_SSE_HELPER2(x64_helper_punpckldq)},
    {0x66, 0x6a, x64_punpckhdq, X64_SSE_HELPER2(x64_helper_punpckhdq)},
    {0x66, 0x63, x64_packsswb, X64_SSE_HELPER2(x64_helper_packsswb)},
    {0x66, 0x67, x64_packuswb, X64_SSE_HELPER2(x64_helper_packuswb)},
    {0x66, 0x6b, x64_packssdw, X64_SSE_HELPER2(x64_helper_packssdw)},
};
#define X64_SSE_NBINOPS (sizeof x64_sse_binops / sizeof x64_sse_binops[0])

/* ---- shifts of words, dwords by a count (xmm/m128 low qword or imm8) ------ */

static void x64_helper_psllw(struct x64_cpu *cpu, uint32_t d, uint64_t n)
{
    struct x64_v v;
    x64_v_get(&v, cpu, d);
    X64_LANES(8) v.w[i] = n > 15 ? 0 : (uint16_t)(v.w[i] << n);
    x64_v_put(cpu, d, &v);
}
static void x64_helper_psrlw(struct x64_cpu *cpu, uint32_t d, uint64_t n)
{
    struct x64_v v;
    x64_v_get(&v, cpu, d);
    X64_LANES(8) v.w[i] = n > 15 ? 0 : (uint16_t)(v.w[i] >> n);
    x64_v_put(cpu, d, &v);
}
static void x64_helper_psraw(struct x64_cpu *cpu, uint32_t d, uint64_t n)
{
    struct x64_v v;
    x64_v_get(&v, cpu, d);
    X64_LANES(8) v.sw[i] = (int16_t)(v.sw[i] >> (n > 15 ? 15 : n));
    x64_v_put(cpu, d, &v);
}
static void x64_helper_pslld(struct x64_cpu *cpu, uint32_t d, uint64_t n)
{
    struct x64_v v;
    x64_v_get(&v, cpu, d);
    X64_LANES(4) v.d[i] = n > 31 ? 0 : v.d[i] << n;
    x64_v_put(cpu, d, &v);
}
static void x64_helper_psrld(struct x64_cpu *cpu, uint32_t d, uint64_t n)
{
    struct x64_v v;
    x64_v_get(&v, cpu, d);
    X64_LANES(4) v.d[i] = n > 31 ? 0 : v.d[i] >> n;
    x64_v_put(cpu, d, &v);
}
static void x64_helper_psrad(struct x64_cpu *cpu, uint32_t d, uint64_t n)
{
    struct x64_v v;
    x64_v_get(&v, cpu, d);
    X64_LANES(4) v.sd[i] = v.sd[i] >> (n > 31 ? 31 : n);
    x64_v_put(cpu, d, &v);
}
static void x64_helper_psllq(struct x64_cpu *cpu, uint32_t d, uint64_t n)
{
    struct x64_v v;
    x64_v_get(&v, cpu, d);
    X64_LANES(2) v.q[i] = n > 63 ? 0 : v.q[i] << n;
    x64_v_put(cpu, d, &v);
}
static void x64_helper_psrlq(struct x64_cpu *cpu, uint32_t d, uint64_t n)
{
    struct x64_v v;
    x64_v_get(&v, cpu, d);
    X64_LANES(2) v.q[i] = n > 63 ? 0 : v.q[i] >> n;
    x64_v_put(cpu, d, &v);
}

#define X64_SSE_SHIFT_HELPER(fname) \
    {.name = #fname, .fn = (void *)(fname), .ret = IR_VOID, .nargs = 2, .args = {IR_I32, IR_I64}, \
     .flags = IR_HF_ENV | IR_HF_SIDE}
/* index: (opcode D1..F3 by xmm count) */
struct x64_sse_shift_entry {
    uint8_t opc;     /* 66 0F opc xmm, xmm/m128 */
    uint8_t grp, sub; /* 66 0F grp /sub xmm, imm8 */
    struct ir_helper h;
};
static const struct x64_sse_shift_entry x64_sse_shifts[] = {
    {0xd1, 0x71, 2, X64_SSE_SHIFT_HELPER(x64_helper_psrlw)},
    {0xe1, 0x71, 4, X64_SSE_SHIFT_HELPER(x64_helper_psraw)},
    {0xf1, 0x71, 6, X64_SSE_SHIFT_HELPER(x64_helper_psllw)},
    {0xd2, 0x72, 2, X64_SSE_SHIFT_HELPER(x64_helper_psrld)},
    {0xe2, 0x72, 4, X64_SSE_SHIFT_HELPER(x64_helper_psrad)},
    {0xf2, 0x72, 6, X64_SSE_SHIFT_HELPER(x64_helper_pslld)},
    {0xd3, 0x00, 0, X64_SSE_SHIFT_HELPER(x64_helper_psrlq)}, /* imm forms: x64_sse_move.c */
    {0xf3, 0x00, 0, X64_SSE_SHIFT_HELPER(x64_helper_psllq)},
};
#define X64_SSE_NSHIFTS (sizeof x64_sse_shifts / sizeof x64_sse_shifts[0])

/* ---- shuffles with an imm8 ---------------------------------------------- */

static void x64_helper_pshufd(struct x64_cpu *cpu, uint32_t d, uint32_t s, uint32_t imm)
{
    struct x64_v a, r;
    x64_v_get(&a, cpu, s);
    X64_LANES(4) r.d[i] = a.d[(imm >> (2 * i)) & 3];
    x64_v_put(cpu, d, &r);
}
static void x64_helper_pshuflw(struct x64_cpu *cpu, uint32_t d, uint32_t s, uint32_t imm)
{
    struct x64_v a, r;
    x64_v_get(&a, cpu, s);
    r = a;
    X64_LANES(4) r.w[i] = a.w[(imm >> (2 * i)) & 3];
    x64_v_put(cpu, d, &r);
}
static void x64_helper_pshufhw(struct x64_cpu *cpu, uint32_t d, uint32_t s, uint32_t imm)
{
    struct x64_v a, r;
    x64_v_get(&a, cpu, s);
    r = a;
    X64_LANES(4) r.w[4 + i] = a.w[4 + ((imm >> (2 * i)) & 3)];
    x64_v_put(cpu, d, &r);
}
static void x64_helper_shufps(struct x64_cpu *cpu, uint32_t d, uint32_t s, uint32_t imm)
{
    struct x64_v a, b, r;
    x64_v_get(&a, cpu, d);
    x64_v_get(&b, cpu, s);
    r.d[0] = a.d[imm & 3];
    r.d[1] = a.d[(imm >> 2) & 3];
    r.d[2] = b.d[(imm >> 4) & 3];
    r.d[3] = b.d[(imm >> 6) & 3];
    x64_v_put(cpu, d, &r);
}

#define X64_SSE_HELPER3(fname) \
    {.name = #fname, .fn = (void *)(fname), .ret = IR_VOID, .nargs = 3, \
     .args = {IR_I32, IR_I32, IR_I32}, .flags = IR_HF_ENV | IR_HF_SIDE}
static const struct ir_helper x64_pshufd_helper = X64_SSE_HELPER3(x64_helper_pshufd);
static const struct ir_helper x64_pshuflw_helper = X64_SSE_HELPER3(x64_helper_pshuflw);
static const struct ir_helper x64_pshufhw_helper = X64_SSE_HELPER3(x64_helper_pshufhw);
static const struct ir_helper x64_shufps_helper = X64_SSE_HELPER3(x64_helper_shufps);

/* ---- masks to a GPR ---------------------------------------------------- */

static uint32_t x64_helper_movmskps(struct x64_cpu *cpu, uint32_t s)
{
    struct x64_v a;
    x64_v_get(&a, cpu, s);
    uint32_t m = 0;
    X64_LANES(4) m |= (a.d[i] >> 31) << i;
    return m;
}
static const struct ir_helper x64_movmskps_helper = {
    .name = "x64_helper_movmskps", .fn = (void *)x64_helper_movmskps, .ret = IR_I32, .nargs = 1,
    .args = {IR_I32}, .flags = IR_HF_ENV};

int x64_sse_int_register_helpers(void)
{
    for (size_t i = 0; i < X64_SSE_NBINOPS; i++)
        if (ir_helper_register(&x64_sse_binops[i].h) < 0)
            return -1;
    for (size_t i = 0; i < X64_SSE_NSHIFTS; i++)
        if (ir_helper_register(&x64_sse_shifts[i].h) < 0)
            return -1;
    const struct ir_helper *const others[] = {&x64_pshufd_helper, &x64_pshuflw_helper,
                                              &x64_pshufhw_helper, &x64_shufps_helper,
                                              &x64_movmskps_helper};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (ir_helper_register(others[i]) < 0)
            return -1;
    return 0;
}

/* ---- translators ------------------------------------------------------- */

static enum x64_status x64_sse_call(struct x64_dc *dc, const struct ir_helper *h, ir_ref d,
                                    const ir_ref *args)
{
    int id = x64_helper(dc, h);
    if (id < 0)
        return X64_UNIMP;
    ir_call(dc->f, id, d, args);
    return X64_OK;
}

/* PCMPEQB xmm, xmm/m128 inline (the hot op of glibc's string functions):
 * per 64-bit half, x = a ^ b has a zero byte where they are equal; the
 * exact zero-byte test ~(((x & 0x7f..) + 0x7f..) | x) & 0x80.. marks them
 * in bit 7, and (m >> 7) * 0xff widens each mark to 0xff. */
static enum x64_status x64_sse_pcmpeqb(struct x64_dc *dc, const struct x64_sse *s)
{
    struct ir_func *f = dc->f;
    ir_ref b[2];
    x64_sse_rm128(dc, s, 16, &b[0], &b[1]);
    ir_ref a[2] = {x64_xmm_ld(dc, s->reg, 0), x64_xmm_ld(dc, s->reg, 1)};
    ir_ref r[2];
    for (unsigned h = 0; h < 2; h++) {
        ir_ref x = x64_t64(dc), t = x64_t64(dc);
        r[h] = x64_t64(dc);
        ir_emit_1_2(f, IR_OP_xor, x, a[h], b[h]);
        ir_emit_1_2(f, IR_OP_and, t, x, x64_c64(dc, 0x7f7f7f7f7f7f7f7full));
        ir_emit_1_2(f, IR_OP_add, t, t, x64_c64(dc, 0x7f7f7f7f7f7f7f7full));
        ir_emit_1_2(f, IR_OP_or, t, t, x);
        ir_emit_1_2(f, IR_OP_andc, t, x64_c64(dc, 0x8080808080808080ull), t);
        ir_emit_1_2(f, IR_OP_shr, t, t, x64_c64(dc, 7));
        ir_emit_1_2(f, IR_OP_mul, r[h], t, x64_c64(dc, 0xff));
    }
    x64_xmm_st(dc, s->reg, 0, r[0]);
    x64_xmm_st(dc, s->reg, 1, r[1]);
    return X64_OK;
}

/* PMOVMSKB r32, xmm inline: per half, the bytes' bit 7s (& 0x80..) times
 * 0x0002040810204081 gather into the top byte in byte order. */
static enum x64_status x64_sse_pmovmskb(struct x64_dc *dc, const struct x64_sse *s)
{
    struct ir_func *f = dc->f;
    if (s->mem)
        return X64_UNDEF;
    ir_ref m[2];
    for (unsigned h = 0; h < 2; h++) {
        m[h] = x64_t64(dc);
        ir_emit_1_2(f, IR_OP_and, m[h], x64_xmm_ld(dc, s->rm, h),
                    x64_c64(dc, 0x8080808080808080ull));
        ir_emit_1_2(f, IR_OP_mul, m[h], m[h], x64_c64(dc, 0x0002040810204081ull));
        ir_emit_1_2(f, IR_OP_shr, m[h], m[h], x64_c64(dc, 56));
    }
    ir_deposit(f, m[0], m[0], m[1], 8, 8);
    x64_set_gpr(dc, s->reg, 8, m[0]);
    return X64_OK;
}

/* MOVMSKPS r32, xmm */
static enum x64_status x64_sse_movmsk(struct x64_dc *dc, const struct x64_sse *s,
                                      const struct ir_helper *h)
{
    if (s->mem)
        return X64_UNDEF;
    ir_ref m = x64_t32(dc), m64 = x64_t64(dc);
    enum x64_status st = x64_sse_call(dc, h, m, (ir_ref[]){x64_c32(dc, x64_xmm_off(s->rm, 0))});
    ir_emit_1_1(dc->f, IR_OP_zext, m64, m);
    x64_set_gpr(dc, s->reg, 8, m64);
    return st;
}

enum x64_status x64_sse_tr_int(struct x64_dc *dc, const struct x64_sse *s)
{
    /* UNPCKLPS / UNPCKHPS (0F 14 / 15) are PUNPCKLDQ / PUNPCKHDQ */
    unsigned opc = s->opc;
    if (s->pfx == 0 && (opc == 0x14 || opc == 0x15))
        opc = opc == 0x14 ? 0x62 : 0x6a;
    unsigned pfx = opc != s->opc ? 0x66 : s->pfx;
    if (pfx == 0x66 && opc == 0x74)
        return x64_sse_pcmpeqb(dc, s);
    if (pfx == 0x66 && opc == 0xd7)
        return x64_sse_pmovmskb(dc, s);
    for (size_t i = 0; i < X64_SSE_NBINOPS; i++) {
        const struct x64_sse_binop_entry *e = &x64_sse_binops[i];
        if (e->opc == opc && e->pfx == pfx) {
            uint32_t so = x64_sse_rm_off(dc, s, 16, 16);
            return x64_sse_call(dc, &e->h, IR_NONE,
                                (ir_ref[]){x64_c32(dc, x64_xmm_off(s->reg, 0)), x64_c32(dc, so)});
        }
    }
    if (s->pfx == 0x66) {
        for (size_t i = 0; i < X64_SSE_NSHIFTS; i++) {
            const struct x64_sse_shift_entry *e = &x64_sse_shifts[i];
            if (e->opc == s->opc) { /* count in xmm/m128 (aligned) */
                ir_ref lo, hi;
                x64_sse_rm128(dc, s, 16, &lo, &hi);
                return x64_sse_call(dc, &e->h, IR_NONE,
                                    (ir_ref[]){x64_c32(dc, x64_xmm_off(s->reg, 0)), lo});
            }
            if (e->grp && e->grp == s->opc && e->sub == s->sub) {
                if (s->mem)
                    return X64_UNDEF;
                return x64_sse_call(dc, &e->h, IR_NONE,
                                    (ir_ref[]){x64_c32(dc, x64_xmm_off(s->rm, 0)),
                                               x64_c64(dc, s->imm)});
            }
        }
    }
    const struct ir_helper *shuf = NULL;
    if (s->opc == 0x70)
        shuf = s->pfx == 0x66 ? &x64_pshufd_helper : s->pfx == 0xf2 ? &x64_pshuflw_helper
             : s->pfx == 0xf3 ? &x64_pshufhw_helper : NULL;
    if (s->opc == 0xc6 && s->pfx == 0)
        shuf = &x64_shufps_helper;
    if (shuf) {
        uint32_t so = x64_sse_rm_off(dc, s, 16, 16);
        return x64_sse_call(dc, shuf, IR_NONE,
                            (ir_ref[]){x64_c32(dc, x64_xmm_off(s->reg, 0)), x64_c32(dc, so),
                                       x64_c32(dc, s->imm)});
    }
    if (s->opc == 0x50 && s->pfx == 0)
        return x64_sse_movmsk(dc, s, &x64_movmskps_helper);
    return X64_NEXT;
}
