/* System-mode CPU state of the x86-64 translator, run by helpers and by the
 * engine: mode flags, descriptor loads (MOV Sreg, far transfers, LTR, LLDT),
 * control registers and MSRs, RFLAGS rules, and the system CPUID model.
 * Helpers report a fault by recording it (x64_sys_fault) and returning 1. */
#include <cpuid.h>
#include <string.h>
#include <time.h>

#include "frontend/x86_64/x64_system.h"

#define CR0_PE 0x1ull
#define CR0_ET 0x10ull
#define CR0_PG 0x80000000ull
#define CR4_PAE 0x20ull
#define EFER_SCE 0x1ull
#define EFER_LME 0x100ull
#define EFER_LMA 0x400ull
#define EFER_NXE 0x800ull

int x64_sys_fault(struct x64_cpu *cpu, unsigned vector, uint32_t error)
{
    cpu->exc_vector = vector;
    cpu->exc_error = error;
    cpu->exc_soft = 0;
    return 1;
}

static bool x64_sys_long(const struct x64_cpu *cpu) { return (cpu->efer & EFER_LMA) != 0; }

static bool x64_sys_code64(const struct x64_cpu *cpu)
{
    return x64_sys_long(cpu) && (cpu->seg[X64_CS].attr & X64_SEGA_L);
}

void x64_sys_update_flags(struct x64_cpu *cpu)
{
    cpu->cpl = cpu->seg[X64_CS].sel & 3;
    uint32_t f = X64_HF_SYSTEM | (cpu->cpl & X64_HF_CPL_MASK);
    if (x64_sys_code64(cpu))
        f |= X64_HF_CS64;
    else if (cpu->seg[X64_CS].attr & X64_SEGA_DB)
        f |= X64_HF_CS32;
    if (cpu->cr0 & CR0_PG)
        f |= X64_HF_PG;
    cpu->head.flags = f;
}

static int x64_sys_rd(struct x64_cpu *cpu, uint64_t la, void *buf, unsigned len)
{
    return cpu->sys_ops->mem_read(cpu->sys_opaque, cpu, la, buf, len, false) ? 1 : 0;
}

static int x64_sys_wr(struct x64_cpu *cpu, uint64_t la, const void *buf, unsigned len)
{
    return cpu->sys_ops->mem_write(cpu->sys_opaque, cpu, la, buf, len, false) ? 1 : 0;
}

int x64_sys_read_desc(struct x64_cpu *cpu, uint16_t sel, uint64_t d[2], bool wide)
{
    uint64_t base = cpu->gdt_base, limit = cpu->gdt_limit;
    if (sel & 4) {
        if (!(cpu->seg[X64_LDTR].attr & X64_SEGA_P))
            return x64_sys_fault(cpu, X64_EXC_GP, sel & 0xfffc);
        base = cpu->seg[X64_LDTR].base;
        limit = cpu->seg[X64_LDTR].limit;
    }
    uint64_t off = sel & 0xfff8u;
    if (off + (wide ? 15 : 7) > limit)
        return x64_sys_fault(cpu, X64_EXC_GP, sel & 0xfffc);
    d[1] = 0;
    return x64_sys_rd(cpu, base + off, d, wide ? 16 : 8);
}

void x64_sys_seg_from_desc(struct x64_segcache *s, uint16_t sel, uint64_t lo, uint64_t hi)
{
    uint32_t limit = (uint32_t)(lo & 0xffff) | (uint32_t)((lo >> 48) & 0xf) << 16;
    if (lo & (1ull << 55))
        limit = limit << 12 | 0xfff;
    s->limit = limit;
    s->base = ((lo >> 16) & 0xffffff) | ((lo >> 56) & 0xff) << 24;
    if (!((lo >> 44) & 1)) /* system descriptor: 16 bytes in long mode */
        s->base |= (hi & 0xffffffffull) << 32;
    s->sel = sel;
    s->attr = (uint16_t)(((lo >> 40) & 0xff) | ((lo >> 52) & 0xf) << 12);
}

/* The checks of a data or stack segment load at privilege cpl, without
 * committing: *out gets the new cache. */
static int x64_sys_check_data(struct x64_cpu *cpu, enum x64_seg seg, uint16_t sel, unsigned cpl,
                              struct x64_segcache *out)
{
    memset(out, 0, sizeof(*out));
    out->sel = sel;
    if ((sel & 0xfffc) == 0) {
        /* null: allowed except for SS outside 64-bit mode or at CPL3 */
        if (seg == X64_SS && (!x64_sys_long(cpu) || cpl == 3))
            return x64_sys_fault(cpu, X64_EXC_GP, 0);
        return 0;
    }
    uint64_t d[2];
    if (x64_sys_read_desc(cpu, sel, d, false))
        return 1;
    struct x64_segcache s;
    x64_sys_seg_from_desc(&s, sel, d[0], 0);
    unsigned type = s.attr & 0xf, dpl = (s.attr >> X64_SEGA_DPL_SHIFT) & 3, rpl = sel & 3;
    bool code = type & 8;
    if (!(s.attr & X64_SEGA_S))
        return x64_sys_fault(cpu, X64_EXC_GP, sel & 0xfffc);
    if (seg == X64_SS) {
        if (code || !(type & 2) || dpl != cpl || rpl != cpl)
            return x64_sys_fault(cpu, X64_EXC_GP, sel & 0xfffc);
        if (!(s.attr & X64_SEGA_P))
            return x64_sys_fault(cpu, X64_EXC_SS, sel & 0xfffc);
    } else {
        if (code && !(type & 2)) /* execute-only code */
            return x64_sys_fault(cpu, X64_EXC_GP, sel & 0xfffc);
        bool conforming = code && (type & 4);
        if (!conforming && dpl < (rpl > cpl ? rpl : cpl))
            return x64_sys_fault(cpu, X64_EXC_GP, sel & 0xfffc);
        if (!(s.attr & X64_SEGA_P))
            return x64_sys_fault(cpu, X64_EXC_NP, sel & 0xfffc);
    }
    s.attr |= 1; /* accessed (the cache only: the GDT in memory is not written) */
    *out = s;
    return 0;
}

static void x64_sys_commit_seg(struct x64_cpu *cpu, enum x64_seg seg, const struct x64_segcache *s)
{
    cpu->seg[seg] = *s;
    if (seg == X64_FS)
        cpu->fs_base = s->base;
    else if (seg == X64_GS)
        cpu->gs_base = s->base;
}

int x64_sys_load_seg(struct x64_cpu *cpu, enum x64_seg seg, uint16_t sel)
{
    struct x64_segcache s;
    if (x64_sys_check_data(cpu, seg, sel, cpu->cpl, &s))
        return 1;
    x64_sys_commit_seg(cpu, seg, &s);
    return 0;
}

/* A code segment for a far transfer to privilege cpl (no commit). */
static int x64_sys_check_code(struct x64_cpu *cpu, uint16_t sel, unsigned cpl,
                              struct x64_segcache *out)
{
    if ((sel & 0xfffc) == 0)
        return x64_sys_fault(cpu, X64_EXC_GP, 0);
    uint64_t d[2];
    if (x64_sys_read_desc(cpu, sel, d, false))
        return 1;
    x64_sys_seg_from_desc(out, (uint16_t)((sel & 0xfffc) | cpl), d[0], 0);
    unsigned type = out->attr & 0xf, dpl = (out->attr >> X64_SEGA_DPL_SHIFT) & 3;
    if (!(out->attr & X64_SEGA_S) || !(type & 8))
        return x64_sys_fault(cpu, X64_EXC_GP, sel & 0xfffc);
    if ((type & 4) ? dpl > cpl : dpl != cpl)
        return x64_sys_fault(cpu, X64_EXC_GP, sel & 0xfffc);
    if (!(out->attr & X64_SEGA_P))
        return x64_sys_fault(cpu, X64_EXC_NP, sel & 0xfffc);
    out->attr |= 1; /* accessed */
    return 0;
}

int x64_sys_load_cs(struct x64_cpu *cpu, uint16_t sel, unsigned cpl)
{
    struct x64_segcache s;
    if (x64_sys_check_code(cpu, sel, cpl, &s))
        return 1;
    cpu->seg[X64_CS] = s;
    x64_sys_update_flags(cpu);
    return 0;
}

/* ---- control registers and MSRs ----------------------------------------- */

static void x64_sys_tlb_flush(struct x64_cpu *cpu)
{
    if (cpu->sys_ops->tlb_flush)
        cpu->sys_ops->tlb_flush(cpu->sys_opaque, cpu);
}

int x64_sys_write_cr(struct x64_cpu *cpu, unsigned n, uint64_t v)
{
    switch (n) {
    case 0:
        if (v >> 32 || ((v & CR0_PG) && !(v & CR0_PE)))
            return x64_sys_fault(cpu, X64_EXC_GP, 0);
        if ((v & CR0_PG) && !(cpu->cr0 & CR0_PG) && (cpu->efer & EFER_LME)) {
            if (!(cpu->cr4 & CR4_PAE))
                return x64_sys_fault(cpu, X64_EXC_GP, 0);
            cpu->efer |= EFER_LMA;
        }
        if (!(v & CR0_PG) && (cpu->cr0 & CR0_PG)) {
            if (x64_sys_code64(cpu))
                return x64_sys_fault(cpu, X64_EXC_GP, 0);
            cpu->efer &= ~EFER_LMA;
        }
        cpu->cr0 = v | CR0_ET;
        break;
    case 2: cpu->cr2 = v; return 0;
    case 3: cpu->cr3 = v; break;
    case 4:
        if (x64_sys_long(cpu) && !(v & CR4_PAE))
            return x64_sys_fault(cpu, X64_EXC_GP, 0);
        cpu->cr4 = v;
        break;
    case 8: cpu->cr8 = v & 0xf; return 0;
    default: return x64_sys_fault(cpu, X64_EXC_UD, 0);
    }
    x64_sys_tlb_flush(cpu);
    x64_sys_update_flags(cpu);
    return 0;
}

enum {
    MSR_TSC = 0x10, MSR_APIC_BASE = 0x1b, MSR_MISC_ENABLE = 0x1a0, MSR_PAT = 0x277,
    MSR_EFER = 0xc0000080, MSR_STAR = 0xc0000081, MSR_LSTAR = 0xc0000082,
    MSR_CSTAR = 0xc0000083, MSR_SFMASK = 0xc0000084, MSR_FS_BASE = 0xc0000100,
    MSR_GS_BASE = 0xc0000101, MSR_KERNEL_GS_BASE = 0xc0000102, MSR_TSC_AUX = 0xc0000103,
};

static bool x64_sys_canonical(uint64_t v) { return (uint64_t)((int64_t)(v << 16) >> 16) == v; }

int x64_sys_wrmsr(struct x64_cpu *cpu, uint32_t msr, uint64_t v)
{
    switch (msr) {
    case MSR_EFER: {
        if (v & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE))
            return x64_sys_fault(cpu, X64_EXC_GP, 0);
        if (((v ^ cpu->efer) & EFER_LME) && (cpu->cr0 & CR0_PG))
            return x64_sys_fault(cpu, X64_EXC_GP, 0);
        cpu->efer = (v & ~EFER_LMA) | (cpu->efer & EFER_LMA);
        x64_sys_tlb_flush(cpu);
        x64_sys_update_flags(cpu);
        return 0;
    }
    case MSR_FS_BASE:
    case MSR_GS_BASE:
    case MSR_KERNEL_GS_BASE:
    case MSR_LSTAR:
    case MSR_CSTAR:
        if (!x64_sys_canonical(v))
            return x64_sys_fault(cpu, X64_EXC_GP, 0);
        if (msr == MSR_FS_BASE)
            cpu->fs_base = cpu->seg[X64_FS].base = v;
        else if (msr == MSR_GS_BASE)
            cpu->gs_base = cpu->seg[X64_GS].base = v;
        else if (msr == MSR_KERNEL_GS_BASE)
            cpu->kernel_gs_base = v;
        else if (msr == MSR_LSTAR)
            cpu->lstar = v;
        else
            cpu->cstar = v;
        return 0;
    case MSR_STAR: cpu->star = v; return 0;
    case MSR_SFMASK: cpu->sfmask = v & 0xffffffffu; return 0;
    case MSR_TSC_AUX: cpu->tsc_aux = v & 0xffffffffu; return 0;
    case MSR_APIC_BASE: cpu->apic_base = v; return 0;
    case MSR_TSC:
    case MSR_MISC_ENABLE:
    case MSR_PAT:
        return 0; /* accepted and ignored */
    default: return x64_sys_fault(cpu, X64_EXC_GP, 0);
    }
}

int x64_sys_rdmsr(struct x64_cpu *cpu, uint32_t msr, uint64_t *v)
{
    switch (msr) {
    case MSR_EFER: *v = cpu->efer; return 0;
    case MSR_FS_BASE: *v = cpu->fs_base; return 0;
    case MSR_GS_BASE: *v = cpu->gs_base; return 0;
    case MSR_KERNEL_GS_BASE: *v = cpu->kernel_gs_base; return 0;
    case MSR_STAR: *v = cpu->star; return 0;
    case MSR_LSTAR: *v = cpu->lstar; return 0;
    case MSR_CSTAR: *v = cpu->cstar; return 0;
    case MSR_SFMASK: *v = cpu->sfmask; return 0;
    case MSR_TSC_AUX: *v = cpu->tsc_aux; return 0;
    case MSR_APIC_BASE: *v = cpu->apic_base; return 0;
    case MSR_MISC_ENABLE: *v = 1; return 0; /* fast strings */
    case MSR_PAT: *v = 0x0007040600070406ull; return 0;
    case MSR_TSC: {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        *v = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
        return 0;
    }
    default: return x64_sys_fault(cpu, X64_EXC_GP, 0);
    }
}

/* ---- RFLAGS ------------------------------------------------------------------ */

#define RF_TF 0x100ull
#define RF_IF 0x200ull
#define RF_IOPL 0x3000ull
#define RF_NT 0x4000ull
#define RF_RF 0x10000ull
#define RF_AC 0x40000ull
#define RF_ID 0x200000ull

void x64_sys_set_rflags(struct x64_cpu *cpu, uint64_t v, bool full)
{
    uint64_t mask = X64_RFLAGS_STATUS | X64_RFLAGS_DF | RF_TF | RF_NT | RF_AC | RF_ID;
    uint64_t old = x64_get_rflags(cpu);
    unsigned iopl = (unsigned)(old >> 12) & 3;
    if (full)
        mask |= RF_RF;
    if (cpu->cpl <= iopl)
        mask |= RF_IF;
    if (cpu->cpl == 0)
        mask |= RF_IOPL;
    x64_set_rflags(cpu, (old & ~mask) | (v & mask));
}

/* ---- CPUID ------------------------------------------------------------------- */

/* Leaf 1 EDX: FPU TSC MSR PAE CX8 CMOV FXSR SSE SSE2; ECX: POPCNT, and the
 * hypervisor bit (a VM, as under KVM).  Extended: LAHF (ECX 0), LZCNT
 * (ECX 5); SYSCALL, NX, LM (EDX). */
#define SYS_CPUID_1_EDX                                                                        \
    ((1u << 0) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 8) | (1u << 15) | (1u << 24) |    \
     (1u << 25) | (1u << 26))
#define SYS_CPUID_1_ECX ((1u << 23) | (1u << 31))
#define SYS_CPUID_81_ECX ((1u << 0) | (1u << 5))
#define SYS_CPUID_81_EDX ((1u << 11) | (1u << 20) | (1u << 29))

void x64_sys_cpuid(struct x64_cpu *cpu)
{
    uint32_t leaf = (uint32_t)cpu->regs[X64_RAX];
    uint32_t a = 0, b = 0, c = 0, d = 0;
    switch (leaf) {
    case 0: {
        /* The host's vendor string, as KVM passes it through. */
        unsigned ha, hb, hc, hd;
        if (!__get_cpuid(0, &ha, &hb, &hc, &hd))
            hb = 0x72726546, hd = 0x43542079, hc = 0x36387847; /* "Ferry TCGx86" */
        a = 1, b = hb, c = hc, d = hd;
        break;
    }
    case 1:
        a = 0x000606a0;
        b = 8u << 8; /* CLFLUSH line 64 bytes, APIC id 0 */
        c = SYS_CPUID_1_ECX;
        d = SYS_CPUID_1_EDX;
        break;
    case 0x80000000: a = 0x80000001; break;
    case 0x80000001:
        c = SYS_CPUID_81_ECX;
        d = SYS_CPUID_81_EDX;
        break;
    default: break;
    }
    cpu->regs[X64_RAX] = a;
    cpu->regs[X64_RBX] = b;
    cpu->regs[X64_RCX] = c;
    cpu->regs[X64_RDX] = d;
}

/* ---- far transfers ------------------------------------------------------------ */

/* Stack pointer width of the current code (SS.B is taken as set outside
 * 64-bit mode: flat 32-bit stacks). */
static uint64_t x64_sys_sp_mask(const struct x64_cpu *cpu)
{
    return x64_sys_code64(cpu) ? ~0ull : 0xffffffffull;
}

static int x64_sys_pop(struct x64_cpu *cpu, uint64_t *sp, unsigned size, uint64_t *v)
{
    *v = 0;
    if (x64_sys_rd(cpu, *sp & x64_sys_sp_mask(cpu), v, size))
        return 1;
    *sp += size;
    return 0;
}

/* Null the data segments a return to an outer ring may not keep. */
static void x64_sys_drop_inner_segs(struct x64_cpu *cpu, unsigned cpl)
{
    static const enum x64_seg segs[] = {X64_ES, X64_DS, X64_FS, X64_GS};
    for (unsigned i = 0; i < 4; i++) {
        struct x64_segcache *s = &cpu->seg[segs[i]];
        unsigned type = s->attr & 0xf, dpl = (s->attr >> X64_SEGA_DPL_SHIFT) & 3;
        bool conforming_code = (type & 0xc) == 0xc;
        if ((s->sel & 0xfffc) && (s->attr & X64_SEGA_S) && !conforming_code && dpl < cpl) {
            s->sel = 0;
            s->attr = 0;
        }
    }
}

/* LRET / IRET: pop RIP, CS (, RFLAGS) [, RSP, SS]; imm bytes released
 * (LRET imm16).  iret: RFLAGS popped too; in 64-bit mode SS:RSP always. */
static int x64_sys_far_return(struct x64_cpu *cpu, unsigned size, unsigned imm, bool iret)
{
    uint64_t sp = cpu->regs[X64_RSP], rip, cs, fl = 0, nsp = 0, ss = 0;
    bool mode64 = x64_sys_code64(cpu);
    if (x64_sys_pop(cpu, &sp, size, &rip) || x64_sys_pop(cpu, &sp, size, &cs))
        return 1;
    if (iret && x64_sys_pop(cpu, &sp, size, &fl))
        return 1;
    unsigned ncpl = cs & 3;
    if (ncpl < cpu->cpl)
        return x64_sys_fault(cpu, X64_EXC_GP, (uint32_t)cs & 0xfffc);
    bool outer = ncpl > cpu->cpl;
    sp += imm;
    bool pop_ss = outer || (iret && mode64);
    if (pop_ss && (x64_sys_pop(cpu, &sp, size, &nsp) || x64_sys_pop(cpu, &sp, size, &ss)))
        return 1;
    struct x64_segcache ncs, nss;
    if (x64_sys_check_code(cpu, (uint16_t)cs, ncpl, &ncs))
        return 1;
    if (pop_ss) {
        /* a null SS is allowed when returning to 64-bit code below CPL3 */
        bool to64 = x64_sys_long(cpu) && (ncs.attr & X64_SEGA_L);
        if ((ss & 0xfffc) == 0 && to64 && ncpl < 3) {
            memset(&nss, 0, sizeof(nss));
            nss.sel = (uint16_t)ss;
        } else if (x64_sys_check_data(cpu, X64_SS, (uint16_t)ss, ncpl, &nss)) {
            return 1;
        }
    }
    if (!mode64)
        rip &= 0xffffffffu;
    if (iret)
        x64_sys_set_rflags(cpu, fl, true);
    cpu->seg[X64_CS] = ncs;
    if (pop_ss) {
        cpu->seg[X64_SS] = nss;
        cpu->regs[X64_RSP] = nsp;
    } else {
        cpu->regs[X64_RSP] = mode64 ? sp : (cpu->regs[X64_RSP] & ~0xffffffffull) | (uint32_t)sp;
    }
    cpu->head.pc = rip;
    x64_sys_update_flags(cpu);
    if (outer)
        x64_sys_drop_inner_segs(cpu, ncpl);
    return 0;
}

uint64_t x64_sys_helper_lret(struct x64_cpu *cpu, uint64_t size, uint64_t imm)
{
    return (uint64_t)x64_sys_far_return(cpu, (unsigned)size, (unsigned)imm, false);
}

uint64_t x64_sys_helper_iret(struct x64_cpu *cpu, uint64_t size)
{
    return (uint64_t)x64_sys_far_return(cpu, (unsigned)size, 0, true);
}

/* LJMP sel:off (same privilege; call gates and task switches are not modelled). */
uint64_t x64_sys_helper_ljmp(struct x64_cpu *cpu, uint64_t sel, uint64_t off)
{
    struct x64_segcache ncs;
    if (x64_sys_check_code(cpu, (uint16_t)sel, cpu->cpl, &ncs))
        return 1;
    if ((sel & 3) > cpu->cpl)
        return (uint64_t)x64_sys_fault(cpu, X64_EXC_GP, (uint32_t)sel & 0xfffc);
    cpu->seg[X64_CS] = ncs;
    x64_sys_update_flags(cpu);
    cpu->head.pc = x64_sys_code64(cpu) ? off : (uint32_t)off;
    return 0;
}

/* LCALL sel:off: push CS and the return address (operand size), then jump. */
uint64_t x64_sys_helper_lcall(struct x64_cpu *cpu, uint64_t sel, uint64_t off, uint64_t size,
                              uint64_t ret)
{
    struct x64_segcache ncs;
    if (x64_sys_check_code(cpu, (uint16_t)sel, cpu->cpl, &ncs))
        return 1;
    uint64_t mask = x64_sys_sp_mask(cpu), sp = cpu->regs[X64_RSP];
    uint64_t cs = cpu->seg[X64_CS].sel;
    if (x64_sys_wr(cpu, (sp - size) & mask, &cs, (unsigned)size) ||
        x64_sys_wr(cpu, (sp - 2 * size) & mask, &ret, (unsigned)size))
        return 1;
    cpu->regs[X64_RSP] = mask == ~0ull ? sp - 2 * size
                                       : (sp & ~mask) | ((sp - 2 * size) & mask);
    cpu->seg[X64_CS] = ncs;
    x64_sys_update_flags(cpu);
    cpu->head.pc = x64_sys_code64(cpu) ? off : (uint32_t)off;
    return 0;
}

/* ---- LTR / LLDT --------------------------------------------------------------- */

uint64_t x64_sys_helper_ltr(struct x64_cpu *cpu, uint64_t sel)
{
    if ((sel & 0xfffc) == 0 || (sel & 4))
        return (uint64_t)x64_sys_fault(cpu, X64_EXC_GP, (uint32_t)sel & 0xfffc);
    uint64_t d[2];
    bool wide = x64_sys_long(cpu);
    if (x64_sys_read_desc(cpu, (uint16_t)sel, d, wide))
        return 1;
    unsigned type = (d[0] >> 40) & 0x1f; /* S and type */
    if (type != 0x09 && type != 0x01) /* available 64/32-bit (or 16-bit) TSS */
        return (uint64_t)x64_sys_fault(cpu, X64_EXC_GP, (uint32_t)sel & 0xfffc);
    if (!(d[0] & (1ull << 47)))
        return (uint64_t)x64_sys_fault(cpu, X64_EXC_NP, (uint32_t)sel & 0xfffc);
    x64_sys_seg_from_desc(&cpu->seg[X64_TR], (uint16_t)sel, d[0], d[1]);
    /* mark it busy in the GDT */
    uint64_t lo = d[0] | (2ull << 40);
    cpu->seg[X64_TR].attr |= 2;
    return (uint64_t)x64_sys_wr(cpu, cpu->gdt_base + (sel & 0xfff8), &lo, 8);
}

uint64_t x64_sys_helper_lldt(struct x64_cpu *cpu, uint64_t sel)
{
    if ((sel & 0xfffc) == 0) {
        memset(&cpu->seg[X64_LDTR], 0, sizeof(cpu->seg[X64_LDTR]));
        cpu->seg[X64_LDTR].sel = (uint16_t)sel;
        return 0;
    }
    if (sel & 4)
        return (uint64_t)x64_sys_fault(cpu, X64_EXC_GP, (uint32_t)sel & 0xfffc);
    uint64_t d[2];
    if (x64_sys_read_desc(cpu, (uint16_t)sel, d, x64_sys_long(cpu)))
        return 1;
    if (((d[0] >> 40) & 0x1f) != 0x02)
        return (uint64_t)x64_sys_fault(cpu, X64_EXC_GP, (uint32_t)sel & 0xfffc);
    if (!(d[0] & (1ull << 47)))
        return (uint64_t)x64_sys_fault(cpu, X64_EXC_NP, (uint32_t)sel & 0xfffc);
    x64_sys_seg_from_desc(&cpu->seg[X64_LDTR], (uint16_t)sel, d[0], d[1]);
    return 0;
}

/* ---- port I/O ------------------------------------------------------------------- */

/* CPL > IOPL: the TSS I/O permission bitmap decides.  0, or 1 with #GP(0). */
int x64_sys_io_check(struct x64_cpu *cpu, uint16_t port, unsigned size)
{
    unsigned iopl = (cpu->rflags_other >> 12) & 3;
    if (cpu->cpl <= iopl)
        return 0;
    const struct x64_segcache *tr = &cpu->seg[X64_TR];
    uint16_t base;
    uint16_t bits;
    if (!(tr->attr & X64_SEGA_P) || (tr->attr & 0xd) != 0x9 || tr->limit < 103 ||
        x64_sys_rd(cpu, tr->base + 102, &base, 2))
        return x64_sys_fault(cpu, X64_EXC_GP, 0);
    uint32_t off = base + port / 8u;
    if (off + 1 > tr->limit || x64_sys_rd(cpu, tr->base + off, &bits, 2))
        return x64_sys_fault(cpu, X64_EXC_GP, 0);
    if ((bits >> (port & 7)) & ((1u << size) - 1))
        return x64_sys_fault(cpu, X64_EXC_GP, 0);
    return 0;
}

uint64_t x64_sys_helper_io_check(struct x64_cpu *cpu, uint64_t port, uint64_t size)
{
    return (uint64_t)x64_sys_io_check(cpu, (uint16_t)port, (unsigned)size);
}

uint64_t x64_sys_helper_in(struct x64_cpu *cpu, uint64_t port, uint64_t size)
{
    return cpu->sys_ops->io_in(cpu->sys_opaque, cpu, (uint16_t)port, (unsigned)size);
}

void x64_sys_helper_out(struct x64_cpu *cpu, uint64_t port, uint64_t size, uint64_t v)
{
    cpu->sys_ops->io_out(cpu->sys_opaque, cpu, (uint16_t)port, v, (unsigned)size);
}

/* INS / OUTS [with REP]: mode bit 0 = rep, bit 1 = 32-bit addresses, bit 2 =
 * OUTS (else INS).  Each element updates RSI/RDI and RCX as it completes. */
uint64_t x64_sys_helper_string_io(struct x64_cpu *cpu, uint64_t size, uint64_t mode)
{
    bool rep = mode & 1, a32 = mode & 2, out = mode & 4;
    uint16_t port = (uint16_t)cpu->regs[X64_RDX];
    unsigned n = (unsigned)size;
    uint64_t amask = a32 ? 0xffffffffull : ~0ull;
    unsigned ri = out ? X64_RSI : X64_RDI;
    if (x64_sys_io_check(cpu, port, n))
        return 1;
    for (;;) {
        if (rep && (cpu->regs[X64_RCX] & amask) == 0)
            break;
        uint64_t la = cpu->regs[ri] & amask, v = 0;
        if (out) {
            if (x64_sys_rd(cpu, la, &v, n))
                return 1;
            cpu->sys_ops->io_out(cpu->sys_opaque, cpu, port, v, n);
        } else {
            v = cpu->sys_ops->io_in(cpu->sys_opaque, cpu, port, n);
            if (x64_sys_wr(cpu, la, &v, n))
                return 1;
        }
        uint64_t step = cpu->df ? (uint64_t)-(int64_t)n : n;
        cpu->regs[ri] = (cpu->regs[ri] + step) & amask;
        if (!rep)
            break;
        cpu->regs[X64_RCX] = (cpu->regs[X64_RCX] - 1) & amask;
        if (cpu->head.exit_request)
            break; /* the machine stopped (KVM stops the string there too) */
    }
    return 0;
}

/* ---- SYSCALL / SYSRET (64-bit mode) ------------------------------------------- */

static struct x64_segcache x64_sys_flat(uint16_t sel, unsigned dpl, bool code, bool l)
{
    uint16_t attr = (uint16_t)((code ? 0xb : 0x3) | X64_SEGA_S | dpl << X64_SEGA_DPL_SHIFT |
                               X64_SEGA_P | X64_SEGA_G | (l ? X64_SEGA_L : X64_SEGA_DB));
    return (struct x64_segcache){.base = 0, .limit = 0xffffffff, .sel = sel, .attr = attr};
}

/* SYSCALL: RCX = the next RIP, R11 = RFLAGS, CS/SS from STAR[47:32], RFLAGS
 * masked by SFMASK, RIP = LSTAR, CPL0.  #UD without EFER.SCE. */
uint64_t x64_sys_helper_syscall(struct x64_cpu *cpu, uint64_t next)
{
    if (!(cpu->efer & EFER_SCE) || !x64_sys_code64(cpu))
        return (uint64_t)x64_sys_fault(cpu, X64_EXC_UD, 0);
    uint64_t fl = x64_get_rflags(cpu);
    cpu->regs[X64_RCX] = next;
    cpu->regs[X64_R11] = fl & ~RF_RF;
    uint16_t sel = (uint16_t)(cpu->star >> 32) & 0xfffc;
    cpu->seg[X64_CS] = x64_sys_flat(sel, 0, true, true);
    cpu->seg[X64_SS] = x64_sys_flat((uint16_t)(sel + 8), 0, false, false);
    x64_set_rflags(cpu, fl & ~(cpu->sfmask | RF_RF));
    cpu->head.pc = cpu->lstar;
    x64_sys_update_flags(cpu);
    return 0;
}

/* SYSRET (size 8: to 64-bit code at RCX; 4: to compatibility mode at ECX):
 * CS/SS from STAR[63:48], RFLAGS from R11, CPL3.  #UD without EFER.SCE,
 * #GP(0) at CPL > 0 or to a non-canonical RIP. */
uint64_t x64_sys_helper_sysret(struct x64_cpu *cpu, uint64_t size)
{
    if (!(cpu->efer & EFER_SCE) || !x64_sys_code64(cpu))
        return (uint64_t)x64_sys_fault(cpu, X64_EXC_UD, 0);
    uint64_t rip = size == 8 ? cpu->regs[X64_RCX] : (uint32_t)cpu->regs[X64_RCX];
    if (cpu->cpl != 0 || !x64_sys_canonical(rip))
        return (uint64_t)x64_sys_fault(cpu, X64_EXC_GP, 0);
    uint16_t base = (uint16_t)(cpu->star >> 48);
    cpu->seg[X64_CS] = size == 8 ? x64_sys_flat((uint16_t)((base + 16) | 3), 3, true, true)
                                 : x64_sys_flat((uint16_t)(base | 3), 3, true, false);
    cpu->seg[X64_SS] = x64_sys_flat((uint16_t)((base + 8) | 3), 3, false, false);
    x64_sys_update_flags(cpu); /* CPL3 before RFLAGS: IOPL stays as R11 says (CPL0 rules) */
    x64_set_rflags(cpu, (cpu->regs[X64_R11] & ~(RF_RF | 0x20000ull)) | 2);
    cpu->head.pc = rip;
    return 0;
}
