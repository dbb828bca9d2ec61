/* The expected-state oracle for tests/aarch64/a64_vectors.inc: an AArch64
 * Linux program (built with aarch64-linux-gnu-gcc -static, run under
 * qemu-aarch64 -cpu neoverse-n1 or on real hardware) that runs each vector's
 * code at 0x10000 from the exact start state and records the end state.
 * Not part of the build: gen_vectors.py drives it.
 *
 * How: a signal handler installs the whole start state (x0-x30, sp, pc,
 * NZCV, V0-V31, FPCR, FPSR) through the signal frame and returns into the
 * code; the stop BRK (or SIGILL/SIGBUS) enters the handler again, which
 * records the state from the frame and siglongjmps back. */
#define _GNU_SOURCE
#include <asm/sigcontext.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#define CODE 0x10000ul
#define CODE_SIZE 0x1000ul
#define DATA 0x20000ul
#define DATA_SIZE 0x1000ul
#define STOP_BRK 0xd421e000u

struct vin { /* little-endian, packed as gen_vectors.py writes it */
    uint32_t ncode, pad;
    uint32_t code[8];
    uint64_t x[31], sp, nzcv, tpidr, fpcr, fpsr;
    uint64_t v[32][2];
    uint8_t data[DATA_SIZE];
};
struct vout {
    uint64_t x[31], sp, pc, nzcv, tpidr, fpcr, fpsr;
    uint64_t v[32][2];
    int64_t signo, sicode;
    uint64_t siaddr;
    uint8_t data[DATA_SIZE];
};

static struct vin in;
static struct vout out;
static volatile int phase;
static uint64_t prog_tpidr;
static sigjmp_buf jb;

static struct fpsimd_context *find_fpsimd(mcontext_t *mc)
{
    struct _aarch64_ctx *h = (struct _aarch64_ctx *)mc->__reserved;
    while (h->magic) {
        if (h->magic == FPSIMD_MAGIC)
            return (struct fpsimd_context *)h;
        h = (struct _aarch64_ctx *)((char *)h + h->size);
    }
    return NULL;
}

static void handler(int sig, siginfo_t *si, void *ucv)
{
    uint64_t t;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(t));
    __asm__ volatile("msr tpidr_el0, %0" : : "r"(prog_tpidr));
    ucontext_t *uc = ucv;
    mcontext_t *mc = &uc->uc_mcontext;
    struct fpsimd_context *fp = find_fpsimd(mc);
    if (!fp)
        abort();
    if (phase == 0) {
        memcpy(mc->regs, in.x, sizeof in.x);
        mc->sp = in.sp;
        mc->pc = CODE;
        mc->pstate = (mc->pstate & ~0xf0000000ull) | (in.nzcv & 15) << 28;
        fp->fpcr = (uint32_t)in.fpcr;
        fp->fpsr = (uint32_t)in.fpsr;
        memcpy(fp->vregs, in.v, sizeof in.v);
        phase = 1;
        __asm__ volatile("msr tpidr_el0, %0" : : "r"(in.tpidr));
        return;
    }
    memcpy(out.x, mc->regs, sizeof out.x);
    out.sp = mc->sp;
    out.pc = mc->pc;
    out.nzcv = (mc->pstate >> 28) & 15;
    out.tpidr = t;
    out.fpcr = fp->fpcr;
    out.fpsr = fp->fpsr;
    memcpy(out.v, fp->vregs, sizeof out.v);
    out.signo = sig;
    out.sicode = si->si_code;
    out.siaddr = (uint64_t)si->si_addr;
    phase = 2;
    siglongjmp(jb, 1);
}

int main(void)
{
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(prog_tpidr));
    if (mmap((void *)CODE, CODE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
             -1, 0) != (void *)CODE ||
        mmap((void *)DATA, DATA_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
             -1, 0) != (void *)DATA) {
        perror("mmap");
        return 1;
    }
    static char altstack[1 << 16];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigaction(SIGTRAP, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    while (fread(&in, sizeof in, 1, stdin) == 1) {
        uint32_t *code = (uint32_t *)CODE;
        mprotect((void *)CODE, CODE_SIZE, PROT_READ | PROT_WRITE);
        for (unsigned i = 0; i < CODE_SIZE / 4; i++)
            code[i] = STOP_BRK;
        for (unsigned i = 0; i < in.ncode && i < 8; i++)
            code[i] = in.code[i];
        mprotect((void *)CODE, CODE_SIZE, PROT_READ | PROT_EXEC);
        __builtin___clear_cache((char *)CODE, (char *)CODE + CODE_SIZE);
        memcpy((void *)DATA, in.data, DATA_SIZE);
        memset(&out, 0, sizeof out);
        phase = 0;
        if (sigsetjmp(jb, 1) == 0) {
            __asm__ volatile("brk #1");
            abort(); /* not reached: the handler jumps into the code */
        }
        memcpy(out.data, (void *)DATA, DATA_SIZE);
        fwrite(&out, sizeof out, 1, stdout);
    }
    return 0;
}
