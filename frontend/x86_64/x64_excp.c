/* Exception and interrupt delivery of the x86-64 translator in system mode:
 * the IDT gate, the stack switch (TSS RSPn / IST), the frame, #DF and triple
 * faults.  Called by the engine loop for IR_EXIT_exception, page faults and
 * external interrupts; memory goes through the MMU (x64_mmu.c). */
#include <string.h>

#include "frontend/x86_64/x64_mmu.h"
#include "frontend/x86_64/x64_system.h"

#define RFLAGS_TF (1u << 8)
#define RFLAGS_IF (1u << 9)
#define RFLAGS_NT (1u << 14)
#define RFLAGS_RF (1u << 16)
#define RFLAGS_VM (1u << 17)

/* Vectors that push an error code when raised by the hardware. */
static bool vector_has_error(unsigned v)
{
    return v == X64_EXC_DF || (v >= X64_EXC_TS && v <= X64_EXC_PF) || v == 17 || v == 21 ||
           v == 29 || v == 30;
}

/* The SDM's classes for double-fault detection. */
enum excp_class { EXCP_BENIGN, EXCP_CONTRIBUTORY, EXCP_PAGE_FAULT };
static enum excp_class vector_class(unsigned v)
{
    if (v == X64_EXC_PF)
        return EXCP_PAGE_FAULT;
    if (v == X64_EXC_DE || (v >= X64_EXC_TS && v <= X64_EXC_GP))
        return EXCP_CONTRIBUTORY;
    return EXCP_BENIGN;
}

/* A fault while delivering. */
struct excp_fault {
    unsigned vector;
    uint32_t error;
};

static int fail(struct excp_fault *nf, unsigned vector, uint32_t error)
{
    nf->vector = vector;
    nf->error = error;
    return 1;
}

/* A memory access of delivery failed: the MMU recorded the fault. */
static int fail_mem(struct x64_cpu *cpu, struct excp_fault *nf)
{
    return fail(nf, cpu->exc_vector, cpu->exc_error);
}

/* The code segment descriptor of a gate's selector. */
static int gate_code_desc(struct x64_cpu *cpu, uint16_t sel, uint32_t ext, uint64_t *desc,
                          struct excp_fault *nf)
{
    uint64_t base = cpu->gdt_base, limit = cpu->gdt_limit;
    if ((sel & 0xfffc) == 0)
        return fail(nf, X64_EXC_GP, ext);
    if (sel & 4) {
        base = cpu->seg[X64_LDTR].base;
        limit = cpu->seg[X64_LDTR].limit;
    }
    uint32_t serr = (sel & 0xfffcu) | ext;
    if ((uint64_t)(sel & 0xfff8u) + 7 > limit)
        return fail(nf, X64_EXC_GP, serr);
    if (x64_mmu_read(cpu, base + (sel & 0xfff8u), desc, 8, false))
        return fail_mem(cpu, nf);
    uint64_t d = *desc;
    bool s = (d >> 44) & 1, code = (d >> 43) & 1, l = (d >> 53) & 1, db = (d >> 54) & 1;
    unsigned dpl = (d >> 45) & 3;
    if (!s || !code || !l || db || dpl > cpu->cpl)
        return fail(nf, X64_EXC_GP, serr);
    if (!((d >> 47) & 1))
        return fail(nf, X64_EXC_NP, serr);
    return 0;
}

/* One attempt to deliver through a 64-bit IDT gate.  0, or 1 with the fault
 * that stopped it in *nf (nothing committed then). */
static int deliver_long(struct x64_cpu *cpu, unsigned vector, bool has_error, uint32_t error,
                        bool soft, struct excp_fault *nf)
{
    uint32_t ext = soft ? 0 : 1;
    uint32_t idt_err = vector * 8 + 2 + ext;
    if ((uint64_t)vector * 16 + 15 > cpu->idt_limit)
        return fail(nf, X64_EXC_GP, idt_err);
    uint64_t gate[2];
    if (x64_mmu_read(cpu, cpu->idt_base + vector * 16ull, gate, 16, false))
        return fail_mem(cpu, nf);
    unsigned type = (gate[0] >> 40) & 0xf, gdpl = (gate[0] >> 45) & 3;
    if (type != 0xe && type != 0xf)
        return fail(nf, X64_EXC_GP, idt_err);
    if (soft && gdpl < cpu->cpl)
        return fail(nf, X64_EXC_GP, idt_err);
    if (!((gate[0] >> 47) & 1))
        return fail(nf, X64_EXC_NP, idt_err);
    uint16_t sel = (uint16_t)(gate[0] >> 16);
    uint64_t target = (gate[0] & 0xffff) | ((gate[0] >> 48) & 0xffff) << 16 | (gate[1] & 0xffffffffull) << 32;
    unsigned ist = (gate[0] >> 32) & 7;
    uint64_t desc;
    if (gate_code_desc(cpu, sel, ext, &desc, nf))
        return 1;
    bool conforming = (desc >> 42) & 1;
    unsigned cpl = cpu->cpl, ncpl = conforming ? cpl : (unsigned)((desc >> 45) & 3);

    /* the new stack: TSS.RSPn on a privilege change, TSS.ISTn if the gate says */
    uint64_t rsp = cpu->regs[X64_RSP];
    if (ncpl < cpl || ist) {
        const struct x64_segcache *tr = &cpu->seg[X64_TR];
        uint32_t off = ist ? 0x24 + 8 * (ist - 1) : 4 + 8 * ncpl;
        if ((uint64_t)off + 7 > tr->limit)
            return fail(nf, X64_EXC_TS, (tr->sel & 0xfffcu) | ext);
        if (x64_mmu_read(cpu, tr->base + off, &rsp, 8, false))
            return fail_mem(cpu, nf);
    }
    rsp &= ~15ull;
    uint64_t frame[6];
    unsigned n = 0;
    if (has_error)
        frame[n++] = error;
    frame[n++] = cpu->head.pc;
    frame[n++] = cpu->seg[X64_CS].sel;
    frame[n++] = x64_get_rflags(cpu);
    frame[n++] = cpu->regs[X64_RSP];
    frame[n++] = cpu->seg[X64_SS].sel;
    rsp -= 8 * n;
    if (x64_mmu_write(cpu, rsp, frame, 8 * n, ncpl == 3))
        return fail_mem(cpu, nf);

    /* commit */
    cpu->regs[X64_RSP] = rsp;
    if (ncpl != cpl) { /* 64-bit mode: SS becomes a null selector with RPL = new CPL */
        memset(&cpu->seg[X64_SS], 0, sizeof(cpu->seg[X64_SS]));
        cpu->seg[X64_SS].sel = (uint16_t)ncpl;
    }
    x64_sys_seg_from_desc(&cpu->seg[X64_CS], (uint16_t)((sel & 0xfffc) | ncpl), desc, 0);
    uint32_t clear = RFLAGS_TF | RFLAGS_NT | RFLAGS_RF | RFLAGS_VM | (type == 0xe ? RFLAGS_IF : 0);
    cpu->rflags_other &= ~clear;
    cpu->head.pc = target;
    x64_sys_update_flags(cpu);
    return 0;
}

enum x64_deliver_status x64_deliver(struct x64_cpu *cpu, unsigned vector, bool has_error,
                                    uint32_t error, bool soft)
{
    if (!(cpu->efer & X64_EFER_LMA))
        return X64_DELIVER_TRIPLE; /* only long-mode IDTs are delivered */
    for (;;) {
        struct excp_fault nf;
        if (deliver_long(cpu, vector, has_error, error, soft, &nf) == 0)
            return X64_DELIVER_OK;
        if (vector == X64_EXC_DF)
            return X64_DELIVER_TRIPLE;
        enum excp_class first = vector_class(vector), second = vector_class(nf.vector);
        if ((first == EXCP_CONTRIBUTORY && second == EXCP_CONTRIBUTORY) ||
            (first == EXCP_PAGE_FAULT && second != EXCP_BENIGN)) {
            vector = X64_EXC_DF;
            error = 0;
        } else {
            vector = nf.vector;
            error = nf.error;
        }
        has_error = vector_has_error(vector);
        soft = false;
    }
}

enum x64_deliver_status x64_deliver_pending(struct x64_cpu *cpu)
{
    bool soft = cpu->exc_soft != 0;
    return x64_deliver(cpu, cpu->exc_vector, !soft && vector_has_error(cpu->exc_vector),
                       cpu->exc_error, soft);
}
