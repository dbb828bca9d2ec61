/* The x86 page walk and the soft TLB's x86 side (system mode): refill
 * (struct softmmu_ops.fill), I/O through the bus, writes to code pages,
 * instruction fetch for the translator, TLB flushes.
 * Pipeline: IR_MO_MMU ld/st miss -> softmmu slow path -> x64_fill -> walk. */
#include "frontend/x86_64/x64_mmu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "accel/tcg/tcg.h"
#include "devices/bus.h"
#include "devices/physmem.h"

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_US (1ull << 2)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_XD (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull /* bits 12-51 */

static struct x64_mmu *mmu_of(struct x64_cpu *cpu) { return cpu->smmu.opaque; }

unsigned x64_mmu_memop(uint32_t flags)
{
    if (!(flags & X64_HF_SYSTEM))
        return 0;
    unsigned idx = (flags & X64_HF_CPL_MASK) == 3 ? X64_MMU_USER : X64_MMU_SUPER;
    return IR_MO_MMU | idx << IR_MO_MMU_IDX_SHIFT;
}

/* ---- physical memory ------------------------------------------------------- */

/* A paging entry: RAM only (anything else reads all-ones, as the bus does for
 * nothing, which sets reserved bits). */
static uint64_t pte_read(struct x64_mmu *mmu, uint64_t pa, unsigned size)
{
    const uint8_t *p = phys_ptr(mmu->mem, pa, size);
    if (!p)
        return size == 8 ? ~0ull : 0xffffffffull;
    uint64_t v = 0;
    memcpy(&v, p, size);
    return v;
}

/* Set bits in an entry (A, D) if they are not set yet. */
static void pte_set(struct x64_mmu *mmu, uint64_t pa, unsigned size, uint64_t old, uint64_t bits)
{
    if ((old & bits) == bits)
        return;
    uint8_t *p = phys_ptr(mmu->mem, pa, size);
    if (!p)
        return;
    uint64_t v = old | bits;
    memcpy(p, &v, size);
}

/* ---- the walk ----------------------------------------------------------------- */

static bool walk_fail(struct x64_walk *w, uint32_t error)
{
    w->error = error;
    return false;
}

/* Where an access of `access` by `user` may go once the levels are combined. */
static bool walk_allowed(const struct x64_cpu *cpu, const struct x64_walk *w, unsigned access,
                         bool user)
{
    if (user && !w->user)
        return false;
    if (access == SOFTMMU_WRITE && !w->writable && (user || (cpu->cr0 & X64_CR0_WP)))
        return false;
    if (access == SOFTMMU_EXEC && w->nx)
        return false;
    return true;
}

bool x64_mmu_walk(struct x64_cpu *cpu, uint64_t vaddr, unsigned access, bool user,
                  struct x64_walk *w)
{
    struct x64_mmu *mmu = mmu_of(cpu);
    memset(w, 0, sizeof(*w));
    mmu->walks++;
    uint32_t err = (access == SOFTMMU_WRITE ? X64_PF_W : 0) | (user ? X64_PF_U : 0);
    bool nxe = (cpu->efer & X64_EFER_NXE) != 0;
    if (access == SOFTMMU_EXEC && nxe && (cpu->cr4 & X64_CR4_PAE))
        err |= X64_PF_ID;
    if (!(cpu->cr0 & X64_CR0_PG)) {
        w->paddr = vaddr;
        w->page_size = SOFTMMU_PAGE_SIZE;
        w->user = w->writable = w->dirty = true;
        return true;
    }
    w->user = w->writable = true;
    bool pae = (cpu->cr4 & X64_CR4_PAE) != 0;
    bool lm = pae && (cpu->efer & (X64_EFER_LMA | X64_EFER_LME));
    uint64_t rsvd_nx = nxe ? 0 : PTE_XD;
    /* the entries walked, for the A bits: address, size, value */
    uint64_t ea[4], ev[4];
    unsigned n = 0, esize = 8, level, shift;
    uint64_t table, e = 0;
    if (lm) {
        uint64_t top = (uint64_t)((int64_t)(vaddr << 16) >> 16);
        if (top != vaddr) {
            w->gp = true;
            return walk_fail(w, 0);
        }
        table = cpu->cr3 & PTE_ADDR;
        level = 4;
    } else if (pae) { /* legacy PAE: four PDPTEs at CR3[31:5] */
        uint64_t pa = (cpu->cr3 & 0xffffffe0ull) + 8 * ((vaddr >> 30) & 3);
        e = pte_read(mmu, pa, 8);
        if (!(e & PTE_P))
            return walk_fail(w, err);
        if (e & (0x1e6ull | 0xffff000000000000ull))
            return walk_fail(w, err | X64_PF_P | X64_PF_RSVD);
        table = e & PTE_ADDR;
        level = 2;
        vaddr &= 0xffffffffull;
    } else { /* 32-bit paging: 4-byte entries, 4 MiB pages with CR4.PSE */
        table = cpu->cr3 & 0xfffff000ull;
        level = 2;
        esize = 4;
        vaddr &= 0xffffffffull;
    }
    for (;; level--) {
        shift = esize == 8 ? 12 + 9 * (level - 1) : 12 + 10 * (level - 1);
        uint64_t idx = (vaddr >> shift) & (esize == 8 ? 511 : 1023);
        uint64_t pa = table + idx * esize;
        e = pte_read(mmu, pa, esize);
        if (!(e & PTE_P))
            return walk_fail(w, err);
        ea[n] = pa;
        ev[n++] = e;
        if (esize == 8 && (e & (rsvd_nx | 0x000f000000000000ull)))
            return walk_fail(w, err | X64_PF_P | X64_PF_RSVD);
        w->user = w->user && (e & PTE_US);
        w->writable = w->writable && (e & PTE_RW);
        w->nx = w->nx || (nxe && (e & PTE_XD));
        bool large = (e & PTE_PS) && level > 1;
        if (large) {
            bool ok = esize == 4 ? (cpu->cr4 & X64_CR4_PSE) != 0 : (level == 2 || (lm && level == 3));
            if (!ok && esize == 8)
                return walk_fail(w, err | X64_PF_P | X64_PF_RSVD);
            if (ok) {
                uint64_t size = 1ull << shift;
                uint64_t base;
                if (esize == 4) { /* PSE-36 bits 13-20 are physical 32-39 */
                    base = (e & 0xffc00000ull) | ((e >> 13) & 0xffull) << 32;
                } else {
                    if (e & (size - 1) & ~0x1fffull & PTE_ADDR) /* bits 13..shift-1 */
                        return walk_fail(w, err | X64_PF_P | X64_PF_RSVD);
                    base = e & PTE_ADDR & ~(size - 1);
                }
                w->paddr = base | (vaddr & (size - 1));
                w->page_size = size;
                break;
            }
        }
        if (level == 1) {
            w->paddr = (esize == 8 ? (e & PTE_ADDR) : (e & 0xfffff000ull)) | (vaddr & 0xfff);
            w->page_size = SOFTMMU_PAGE_SIZE;
            break;
        }
        if (lm && level == 4 && (e & PTE_PS))
            return walk_fail(w, err | X64_PF_P | X64_PF_RSVD);
        table = esize == 8 ? (e & PTE_ADDR) : (e & 0xfffff000ull);
    }
    if (!walk_allowed(cpu, w, access, user))
        return walk_fail(w, err | X64_PF_P);
    for (unsigned i = 0; i < n; i++)
        pte_set(mmu, ea[i], esize, ev[i], PTE_A);
    w->dirty = (e & PTE_D) != 0;
    if (access == SOFTMMU_WRITE) {
        pte_set(mmu, ea[n - 1], esize, ev[n - 1] | PTE_A, PTE_D);
        w->dirty = true;
    }
    return true;
}

/* ---- code pages ----------------------------------------------------------------- */

static bool code_page(const struct x64_mmu *mmu, uint64_t pa)
{
    uint64_t pn = pa >> SOFTMMU_PAGE_BITS;
    return pa < mmu->code_limit && (mmu->code_pages[pn / 8] >> (pn % 8) & 1);
}

static void code_page_set(struct x64_cpu *cpu, struct x64_mmu *mmu, uint64_t pa, bool on)
{
    if (pa >= mmu->code_limit)
        return;
    uint64_t pn = pa >> SOFTMMU_PAGE_BITS;
    uint8_t bit = (uint8_t)(1u << (pn % 8));
    if (!!(mmu->code_pages[pn / 8] & bit) == on)
        return;
    mmu->code_pages[pn / 8] = on ? mmu->code_pages[pn / 8] | bit : mmu->code_pages[pn / 8] & ~bit;
    /* TLB write entries of the page must (not) carry SOFTMMU_FLAG_CODE */
    softmmu_flush_paddr(&cpu->smmu, pa);
}

/* A write to a page holding translated code: drop the blocks on it (by the
 * virtual page written and, for identity-mapped code, the physical page);
 * the page stops being a code page until code is translated from it again. */
static void x64_code_write(struct cpu_head *head, uint64_t vaddr, uint64_t paddr, unsigned size)
{
    struct x64_cpu *cpu = (struct x64_cpu *)head;
    struct x64_mmu *mmu = mmu_of(cpu);
    (void)size;
    code_page_set(cpu, mmu, paddr, false);
    if (!mmu->tcg)
        return;
    uint64_t vp = vaddr & SOFTMMU_PAGE_MASK, pp = paddr & SOFTMMU_PAGE_MASK;
    tcg_invalidate_range(mmu->tcg, vp, vp + SOFTMMU_PAGE_SIZE);
    if (pp != vp)
        tcg_invalidate_range(mmu->tcg, pp, pp + SOFTMMU_PAGE_SIZE);
}

/* ---- soft TLB callbacks ------------------------------------------------------------ */

static void record_fault(struct x64_cpu *cpu, const struct x64_walk *w, uint64_t vaddr)
{
    cpu->exc_vector = w->gp ? X64_EXC_GP : X64_EXC_PF;
    cpu->exc_error = w->gp ? 0 : w->error;
    cpu->exc_soft = 0;
    if (!w->gp) {
        cpu->fault_addr = vaddr;
        cpu->cr2 = vaddr;
    }
}

static unsigned x64_fill(struct cpu_head *head, uint64_t vaddr, unsigned access, unsigned idx,
                         struct softmmu_fill *out)
{
    struct x64_cpu *cpu = (struct x64_cpu *)head;
    struct x64_mmu *mmu = mmu_of(cpu);
    struct x64_walk w;
    bool user = idx == X64_MMU_USER;
    if (!x64_mmu_walk(cpu, vaddr, access, user, &w)) {
        record_fault(cpu, &w, vaddr);
        return IR_EXIT_exception;
    }
    uint64_t pa = w.paddr & SOFTMMU_PAGE_MASK;
    if (w.page_size > SOFTMMU_PAGE_SIZE)
        mmu->large_pages = true;
    out->paddr = pa;
    out->host = phys_ptr(mmu->mem, pa, SOFTMMU_PAGE_SIZE);
    out->prot = SOFTMMU_READ;
    if (walk_allowed(cpu, &w, SOFTMMU_WRITE, user) && w.dirty)
        out->prot |= SOFTMMU_WRITE;
    if (walk_allowed(cpu, &w, SOFTMMU_EXEC, user))
        out->prot |= SOFTMMU_EXEC;
    out->code = out->host && code_page(mmu, pa);
    return 0;
}

static uint64_t x64_io_read(struct cpu_head *head, uint64_t paddr, unsigned size)
{
    struct x64_mmu *mmu = mmu_of((struct x64_cpu *)head);
    return bus_read(mmu->bus, BUS_MMIO, paddr, size);
}

static void x64_io_write(struct cpu_head *head, uint64_t paddr, uint64_t value, unsigned size)
{
    struct x64_mmu *mmu = mmu_of((struct x64_cpu *)head);
    bus_write(mmu->bus, BUS_MMIO, paddr, value, size);
}

static const struct softmmu_ops x64_softmmu_ops = {
    .fill = x64_fill,
    .io_read = x64_io_read,
    .io_write = x64_io_write,
    .code_write = x64_code_write,
};

/* ---- setup and flushes ---------------------------------------------------------------- */

int x64_mmu_init(struct x64_cpu *cpu, struct x64_mmu *mmu, const struct physmem *mem,
                 struct bus *bus, struct tcg_ctx *tcg)
{
    memset(mmu, 0, sizeof(*mmu));
    mmu->mem = mem;
    mmu->bus = bus;
    mmu->tcg = tcg;
    uint64_t end = 0;
    for (unsigned i = 0; i < mem->count; i++)
        if (mem->region[i].gpa + mem->region[i].size > end)
            end = mem->region[i].gpa + mem->region[i].size;
    end = (end + SOFTMMU_PAGE_SIZE - 1) & SOFTMMU_PAGE_MASK;
    size_t bytes = (size_t)(end >> SOFTMMU_PAGE_BITS) / 8 + 1;
    mmu->code_pages = calloc(bytes, 1);
    if (!mmu->code_pages)
        return -ENOMEM;
    mmu->code_limit = end;
    softmmu_init(&cpu->head, &cpu->smmu, &x64_softmmu_ops, mmu);
    return 0;
}

void x64_mmu_fini(struct x64_mmu *mmu)
{
    free(mmu->code_pages);
    mmu->code_pages = NULL;
    mmu->code_limit = 0;
}

void x64_mmu_flush_all(struct x64_cpu *cpu)
{
    struct x64_mmu *mmu = mmu_of(cpu);
    softmmu_flush(&cpu->smmu);
    mmu->large_pages = false;
    if (mmu->code_translated)
        mmu->tb_flush_pending = true;
}

void x64_mmu_flush_page(struct x64_cpu *cpu, uint64_t vaddr)
{
    struct x64_mmu *mmu = mmu_of(cpu);
    if (mmu->large_pages) {
        x64_mmu_flush_all(cpu);
        return;
    }
    softmmu_flush_page(&cpu->smmu, vaddr);
    if (mmu->tcg) {
        uint64_t vp = vaddr & SOFTMMU_PAGE_MASK;
        tcg_invalidate_range(mmu->tcg, vp, vp + SOFTMMU_PAGE_SIZE);
    }
}

bool x64_mmu_take_tb_flush(struct x64_cpu *cpu)
{
    struct x64_mmu *mmu = mmu_of(cpu);
    if (!mmu->tb_flush_pending)
        return false;
    mmu->tb_flush_pending = false;
    mmu->code_translated = false;
    return true;
}

/* ---- linear-address accesses for C code ------------------------------------------------- */

static uint64_t access_memop(unsigned size, bool user)
{
    return (uint64_t)__builtin_ctz(size) | IR_MO_MMU |
           (uint64_t)(user ? X64_MMU_USER : X64_MMU_SUPER) << IR_MO_MMU_IDX_SHIFT;
}

int x64_mmu_read(struct x64_cpu *cpu, uint64_t la, void *buf, unsigned len, bool user)
{
    uint8_t *p = buf;
    while (len) {
        unsigned n = len >= 8 && !(la & 7) ? 8 : len >= 4 && !(la & 3) ? 4 : len >= 2 && !(la & 1) ? 2 : 1;
        struct softmmu_result r = softmmu_ld_slow(&cpu->head, la, access_memop(n, user));
        if (r.exit)
            return -1;
        for (unsigned i = 0; i < n; i++)
            p[i] = (uint8_t)(r.val >> (8 * i));
        p += n;
        la += n;
        len -= n;
    }
    return 0;
}

int x64_mmu_write(struct x64_cpu *cpu, uint64_t la, const void *buf, unsigned len, bool user)
{
    const uint8_t *p = buf;
    /* check every page first, so that a fault leaves memory unchanged */
    for (uint64_t a = la & SOFTMMU_PAGE_MASK; len && a < la + len; a += SOFTMMU_PAGE_SIZE) {
        uint64_t probe = a < la ? la : a;
        if (!softmmu_hit(&cpu->head, probe, access_memop(1, user), true)) {
            struct x64_walk w;
            if (!x64_mmu_walk(cpu, probe, SOFTMMU_WRITE, user, &w)) {
                record_fault(cpu, &w, probe);
                return -1;
            }
        }
    }
    while (len) {
        unsigned n = len >= 8 && !(la & 7) ? 8 : len >= 4 && !(la & 3) ? 4 : len >= 2 && !(la & 1) ? 2 : 1;
        uint64_t v = 0;
        for (unsigned i = 0; i < n; i++)
            v |= (uint64_t)p[i] << (8 * i);
        struct softmmu_result r = softmmu_st_slow(&cpu->head, la, v, access_memop(n, user));
        if (r.exit)
            return -1;
        p += n;
        la += n;
        len -= n;
    }
    return 0;
}

/* ---- instruction fetch ------------------------------------------------------------------------ */

unsigned x64_mmu_fetch(void *opaque, uint64_t vaddr, uint32_t flags, uint8_t *buf, unsigned len)
{
    struct x64_cpu *cpu = opaque;
    struct x64_mmu *mmu = mmu_of(cpu);
    bool user = (flags & X64_HF_CPL_MASK) == 3;
    unsigned got = 0;
    while (got < len) {
        uint64_t va = vaddr + got;
        struct x64_walk w;
        /* the walk sets A bits, which a real fetch does too; no fault state */
        if (!x64_mmu_walk(cpu, va, SOFTMMU_EXEC, user, &w))
            break;
        unsigned n = (unsigned)(SOFTMMU_PAGE_SIZE - (va & ~SOFTMMU_PAGE_MASK));
        if (n > len - got)
            n = len - got;
        const uint8_t *p = phys_ptr(mmu->mem, w.paddr, n);
        if (!p)
            break;
        memcpy(buf + got, p, n);
        code_page_set(cpu, mmu, w.paddr, true);
        mmu->code_translated = true;
        got += n;
    }
    return got;
}

bool x64_mmu_fetch_fault(struct x64_cpu *cpu)
{
    struct x64_walk w;
    uint64_t va = cpu->fault_addr;
    bool user = (cpu->head.flags & X64_HF_CPL_MASK) == 3;
    if (x64_mmu_walk(cpu, va, SOFTMMU_EXEC, user, &w)) {
        if (phys_ptr(mmu_of(cpu)->mem, w.paddr, 1))
            return false;
        /* code in I/O space: not supported, reported as a fetch #PF */
        w.error = X64_PF_P | (user ? X64_PF_U : 0);
    }
    record_fault(cpu, &w, va);
    return true;
}
