/* The native oracle of test_x64: runs instruction bytes on the host CPU.
 * Three fixed pages (code, data, state) sit at the addresses the guest uses,
 * so pointers, RIP-relative operands and return addresses are the same in
 * both worlds.  The code page holds the vector at X64T_CODE, a JMP to the
 * epilogue right after it, a prologue that saves the host's callee-saved
 * registers and stack pointer and loads every guest register and RFLAGS
 * from the state page, and an epilogue that stores them back. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "x64_test.h"

#define X64T_PROLOGUE (X64T_CODE + 0x800u)
#define X64T_EPILOGUE (X64T_CODE + 0xa00u)
/* the state page */
#define ST_IN 0x0u        /* 16 registers loaded */
#define ST_HOST_RSP 0x80u
#define ST_IN_FLAGS 0x88u
#define ST_OUT 0x100u     /* 16 registers saved */
#define ST_OUT_FLAGS 0x180u
#define ST_XMM_IN 0x200u  /* 16 XMM registers loaded */
#define ST_XMM_OUT 0x300u /* 16 XMM registers saved */
#define ST_MXCSR_IN 0x400u
#define ST_MXCSR_OUT 0x404u
#define ST_HOST_MXCSR 0x408u

static uint8_t *x64t_code, *x64t_data, *x64t_state_page;

/* A tiny byte emitter for the prologue and epilogue. */
struct x64t_emit {
    uint8_t *p;
};
static void e8(struct x64t_emit *e, uint8_t b) { *e->p++ = b; }
static void e32(struct x64t_emit *e, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        e8(e, (uint8_t)(v >> (8 * i)));
}
/* mov r64, [abs32] (load = true) or mov [abs32], r64: REX.W(+R) 8B/89,
 * ModRM mod=00 rm=100 (SIB), SIB base=101 index=100: disp32 only */
static void e_mov_abs(struct x64t_emit *e, bool load, unsigned reg, uint32_t addr)
{
    e8(e, (uint8_t)(0x48 | (reg >= 8 ? 4 : 0)));
    e8(e, load ? 0x8b : 0x89);
    e8(e, (uint8_t)(((reg & 7) << 3) | 4));
    e8(e, 0x25);
    e32(e, addr);
}
/* movdqu xmm, [abs32] (load) or movdqu [abs32], xmm: F3 (REX.R) 0F 6F/7F,
 * ModRM and SIB as above */
static void e_movdqu_abs(struct x64t_emit *e, bool load, unsigned reg, uint32_t addr)
{
    e8(e, 0xf3);
    if (reg >= 8)
        e8(e, 0x44);
    e8(e, 0x0f);
    e8(e, load ? 0x6f : 0x7f);
    e8(e, (uint8_t)(((reg & 7) << 3) | 4));
    e8(e, 0x25);
    e32(e, addr);
}
/* ldmxcsr [abs32] (0F AE /2) or stmxcsr [abs32] (0F AE /3) */
static void e_mxcsr_abs(struct x64t_emit *e, bool load, uint32_t addr)
{
    e8(e, 0x0f);
    e8(e, 0xae);
    e8(e, load ? 0x14 : 0x1c);
    e8(e, 0x25);
    e32(e, addr);
}
static void e_jmp(struct x64t_emit *e, uint64_t from, uint64_t to)
{
    e8(e, 0xe9);
    e32(e, (uint32_t)(to - (from + 5)));
}

static void *x64t_map(uint64_t addr, size_t len, char *err, size_t errlen)
{
    void *p = mmap((void *)(uintptr_t)addr, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED || p != (void *)(uintptr_t)addr) {
        snprintf(err, errlen, "cannot map the native oracle's page at 0x%llx: %s",
                 (unsigned long long)addr, strerror(errno));
        return NULL;
    }
    return p;
}

bool x64t_native_init(char *err, size_t errlen)
{
    if (x64t_code)
        return true;
    x64t_code = x64t_map(X64T_CODE, X64T_CODE_SIZE, err, errlen);
    x64t_data = x64t_code ? x64t_map(X64T_DATA, X64T_DATA_SIZE, err, errlen) : NULL;
    x64t_state_page = x64t_data ? x64t_map(X64T_STATE, 0x1000, err, errlen) : NULL;
    if (!x64t_state_page)
        return false;
    memset(x64t_code, 0xcc, X64T_CODE_SIZE);

    struct x64t_emit e = {x64t_code + (X64T_PROLOGUE - X64T_CODE)};
    static const uint8_t save[] = {0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57};
    for (size_t i = 0; i < sizeof save; i++)
        e8(&e, save[i]); /* push rbx, rbp, r12, r13, r14, r15 */
    e_mov_abs(&e, false, X64_RSP, X64T_STATE + ST_HOST_RSP);
    e8(&e, 0xff); /* push qword [abs32] */
    e8(&e, 0x34);
    e8(&e, 0x25);
    e32(&e, X64T_STATE + ST_IN_FLAGS);
    e8(&e, 0x9d); /* popfq */
    e8(&e, 0xdb); /* fninit: the x87 state Ferry resets to */
    e8(&e, 0xe3);
    e_mxcsr_abs(&e, false, X64T_STATE + ST_HOST_MXCSR);
    e_mxcsr_abs(&e, true, X64T_STATE + ST_MXCSR_IN);
    for (unsigned r = 0; r < 16; r++)
        e_movdqu_abs(&e, true, r, X64T_STATE + ST_XMM_IN + 16 * r);
    for (unsigned r = 0; r < 16; r++)
        if (r != X64_RSP)
            e_mov_abs(&e, true, r, X64T_STATE + ST_IN + 8 * r);
    e_mov_abs(&e, true, X64_RSP, X64T_STATE + ST_IN + 8 * X64_RSP);
    e_jmp(&e, X64T_CODE + (uint64_t)(e.p - x64t_code), X64T_CODE);

    e.p = x64t_code + (X64T_EPILOGUE - X64T_CODE);
    for (unsigned r = 0; r < 16; r++)
        e_mov_abs(&e, false, r, X64T_STATE + ST_OUT + 8 * r);
    for (unsigned r = 0; r < 16; r++)
        e_movdqu_abs(&e, false, r, X64T_STATE + ST_XMM_OUT + 16 * r);
    e_mxcsr_abs(&e, false, X64T_STATE + ST_MXCSR_OUT);
    e_mxcsr_abs(&e, true, X64T_STATE + ST_HOST_MXCSR);
    e_mov_abs(&e, true, X64_RSP, X64T_STATE + ST_HOST_RSP);
    e8(&e, 0x9c); /* pushfq */
    e8(&e, 0x8f); /* pop qword [abs32] */
    e8(&e, 0x04);
    e8(&e, 0x25);
    e32(&e, X64T_STATE + ST_OUT_FLAGS);
    e8(&e, 0xfc); /* cld: the C ABI wants DF = 0 */
    static const uint8_t restore[] = {0x41, 0x5f, 0x41, 0x5e, 0x41, 0x5d, 0x41, 0x5c, 0x5d, 0x5b, 0xc3};
    for (size_t i = 0; i < sizeof restore; i++)
        e8(&e, restore[i]); /* pop r15, r14, r13, r12, rbp, rbx; ret */
    return true;
}

void x64t_native_run(const uint8_t *bytes, unsigned n, const struct x64t_state *in,
                     struct x64t_state *out)
{
    mprotect(x64t_code, X64T_CODE_SIZE, PROT_READ | PROT_WRITE);
    memset(x64t_code, 0xcc, 0x800);
    memcpy(x64t_code, bytes, n);
    struct x64t_emit e = {x64t_code + n};
    e_jmp(&e, X64T_CODE + n, X64T_EPILOGUE);
    mprotect(x64t_code, X64T_CODE_SIZE, PROT_READ | PROT_EXEC);

    uint64_t *st = (uint64_t *)x64t_state_page;
    memcpy(st + ST_IN / 8, in->regs, sizeof in->regs);
    st[ST_IN_FLAGS / 8] = in->rflags;
    memcpy(x64t_state_page + ST_XMM_IN, in->xmm, sizeof in->xmm);
    memcpy(x64t_state_page + ST_MXCSR_IN, &in->mxcsr, 4);
    memcpy(x64t_data, in->data, X64T_DATA_SIZE);
    void (*fn)(void) = (void (*)(void))(uintptr_t)X64T_PROLOGUE;
    fn();
    memcpy(out->regs, st + ST_OUT / 8, sizeof out->regs);
    out->rflags = st[ST_OUT_FLAGS / 8];
    memcpy(out->xmm, x64t_state_page + ST_XMM_OUT, sizeof out->xmm);
    memcpy(&out->mxcsr, x64t_state_page + ST_MXCSR_OUT, 4);
    memcpy(out->data, x64t_data, X64T_DATA_SIZE);
}
