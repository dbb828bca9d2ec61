/* The soft TLB's C side: refill through the guest's page walk, I/O pages,
 * accesses that cross a page, writes to pages holding translated code.
 * Pipeline: backend hit path (inline) -> miss -> softmmu_ld_slow/st_slow (here)
 * -> ops->fill (guest page walk) -> entry installed -> access. */
#include "softmmu.h"

#include <string.h>

#include "../../ir/ir.h"
#include "../../ir/sem.h"

static void entry_clear(struct softmmu_entry *e)
{
    e->addr_read = e->addr_write = e->addr_code = SOFTMMU_EMPTY;
    e->addend = 0;
}

void softmmu_flush(struct softmmu *m)
{
    for (unsigned i = 0; i < SOFTMMU_NIDX; i++)
        for (unsigned k = 0; k < SOFTMMU_ENTRIES; k++)
            entry_clear(&m->tlb[i][k]);
}

void softmmu_init(struct cpu_head *cpu, struct softmmu *m, const struct softmmu_ops *ops,
                  void *opaque)
{
    memset(m, 0, sizeof(*m));
    m->ops = ops;
    m->opaque = opaque;
    softmmu_flush(m);
    cpu->softmmu_off = (uint32_t)((char *)m - (char *)cpu);
}

static bool entry_has_page(const struct softmmu_entry *e, uint64_t page)
{
    return (e->addr_read & ~SOFTMMU_FLAGS) == page || (e->addr_write & ~SOFTMMU_FLAGS) == page ||
           (e->addr_code & ~SOFTMMU_FLAGS) == page;
}

void softmmu_flush_page(struct softmmu *m, uint64_t vaddr)
{
    uint64_t page = vaddr & SOFTMMU_PAGE_MASK;
    for (unsigned i = 0; i < SOFTMMU_NIDX; i++) {
        struct softmmu_entry *e = &m->tlb[i][softmmu_index(vaddr)];
        if (entry_has_page(e, page))
            entry_clear(e);
    }
}

void softmmu_flush_paddr(struct softmmu *m, uint64_t paddr)
{
    uint64_t page = paddr & SOFTMMU_PAGE_MASK;
    for (unsigned i = 0; i < SOFTMMU_NIDX; i++)
        for (unsigned k = 0; k < SOFTMMU_ENTRIES; k++)
            if (m->paddr[i][k] == page)
                entry_clear(&m->tlb[i][k]);
}

static uint64_t entry_tag(const struct softmmu_entry *e, unsigned access)
{
    return access == SOFTMMU_READ ? e->addr_read
                                  : access == SOFTMMU_WRITE ? e->addr_write : e->addr_code;
}

/* One translated page for an access of kind `access`. */
struct softmmu_hit {
    uint8_t *host;  /* host address of vaddr, NULL for I/O */
    uint64_t paddr; /* guest physical address of vaddr */
    bool code;      /* write to a page holding translated code */
};

/* Look vaddr up (refilling on a miss).  0 or the exit reason of a fault. */
static unsigned translate(struct cpu_head *cpu, struct softmmu *m, uint64_t vaddr, unsigned access,
                          unsigned idx, struct softmmu_hit *h)
{
    unsigned k = softmmu_index(vaddr);
    struct softmmu_entry *e = &m->tlb[idx][k];
    uint64_t page = vaddr & SOFTMMU_PAGE_MASK, tag = entry_tag(e, access);
    if (tag == SOFTMMU_EMPTY || (tag & ~SOFTMMU_FLAGS) != page) {
        struct softmmu_fill fl = {0};
        m->misses++;
        unsigned exit = m->ops->fill(cpu, vaddr, access, idx, &fl);
        if (exit)
            return exit;
        fl.prot |= access; /* the walk allowed this access */
        uint64_t io = fl.host ? 0 : SOFTMMU_FLAG_IO;
        e->addr_read = (fl.prot & SOFTMMU_READ) ? page | io : SOFTMMU_EMPTY;
        e->addr_write = (fl.prot & SOFTMMU_WRITE)
                            ? page | io | (fl.code ? SOFTMMU_FLAG_CODE : 0)
                            : SOFTMMU_EMPTY;
        e->addr_code = (fl.prot & SOFTMMU_EXEC) ? page | io : SOFTMMU_EMPTY;
        e->addend = fl.host ? (uint64_t)(uintptr_t)fl.host - page : 0;
        m->paddr[idx][k] = fl.paddr & SOFTMMU_PAGE_MASK;
        tag = entry_tag(e, access);
    }
    uint64_t off = vaddr & ~SOFTMMU_PAGE_MASK;
    h->paddr = m->paddr[idx][k] + off;
    h->host = (tag & SOFTMMU_FLAG_IO) ? NULL : (uint8_t *)(uintptr_t)(vaddr + e->addend);
    h->code = (tag & SOFTMMU_FLAG_CODE) != 0;
    return 0;
}

static bool crosses_page(uint64_t addr, unsigned size)
{
    return (addr & ~SOFTMMU_PAGE_MASK) + size > SOFTMMU_PAGE_SIZE;
}

/* Read `size` bytes (inside one page) into buf, in memory order. */
static void read_bytes(struct cpu_head *cpu, struct softmmu *m, const struct softmmu_hit *h,
                       uint8_t *buf, unsigned size)
{
    if (h->host) {
        memcpy(buf, h->host, size);
        return;
    }
    m->io++;
    uint64_t v = m->ops->io_read(cpu, h->paddr, size);
    sem_store(buf, v, (unsigned)__builtin_ctz(size));
}

static void write_bytes(struct cpu_head *cpu, struct softmmu *m, const struct softmmu_hit *h,
                        uint64_t vaddr, const uint8_t *buf, unsigned size)
{
    if (h->code && m->ops->code_write)
        m->ops->code_write(cpu, vaddr, h->paddr, size);
    if (h->host) {
        memcpy(h->host, buf, size);
        return;
    }
    m->io++;
    m->ops->io_write(cpu, h->paddr, sem_load(IR_I64, buf, (unsigned)__builtin_ctz(size)), size);
}

struct softmmu_result softmmu_ld_slow(struct cpu_head *cpu, uint64_t addr, uint64_t memop)
{
    struct softmmu *m = softmmu_of(cpu);
    unsigned idx = ir_mo_mmu_idx((int64_t)memop), size = ir_mo_bytes((int64_t)memop);
    uint8_t buf[8];
    struct softmmu_hit h;
    struct softmmu_result r = {0, 0};
    if (!crosses_page(addr, size)) {
        r.exit = translate(cpu, m, addr, SOFTMMU_READ, idx, &h);
        if (r.exit)
            return r;
        read_bytes(cpu, m, &h, buf, size);
    } else { /* byte by byte: the pages may differ in every way */
        for (unsigned i = 0; i < size; i++) {
            r.exit = translate(cpu, m, addr + i, SOFTMMU_READ, idx, &h);
            if (r.exit)
                return r;
            read_bytes(cpu, m, &h, buf + i, 1);
        }
    }
    r.val = sem_load(IR_I64, buf, (unsigned)memop & IR_MO_ALL);
    return r;
}

struct softmmu_result softmmu_st_slow(struct cpu_head *cpu, uint64_t addr, uint64_t val,
                                      uint64_t memop)
{
    struct softmmu *m = softmmu_of(cpu);
    unsigned idx = ir_mo_mmu_idx((int64_t)memop), size = ir_mo_bytes((int64_t)memop);
    uint8_t buf[8];
    struct softmmu_hit h;
    struct softmmu_result r = {0, 0};
    sem_store(buf, val, (unsigned)memop & IR_MO_ALL);
    if (!crosses_page(addr, size)) {
        r.exit = translate(cpu, m, addr, SOFTMMU_WRITE, idx, &h);
        if (r.exit)
            return r;
        write_bytes(cpu, m, &h, addr, buf, size);
        return r;
    }
    /* both pages must be writable before any byte is written */
    uint64_t second = (addr | ~SOFTMMU_PAGE_MASK) + 1;
    r.exit = translate(cpu, m, addr, SOFTMMU_WRITE, idx, &h);
    if (!r.exit)
        r.exit = translate(cpu, m, second, SOFTMMU_WRITE, idx, &h);
    if (r.exit)
        return r;
    for (unsigned i = 0; i < size; i++) {
        r.exit = translate(cpu, m, addr + i, SOFTMMU_WRITE, idx, &h);
        if (r.exit)
            return r;
        write_bytes(cpu, m, &h, addr + i, buf + i, 1);
    }
    return r;
}

const uint8_t *softmmu_code_ptr(struct cpu_head *cpu, uint64_t vaddr, unsigned idx,
                                unsigned *exit)
{
    struct softmmu *m = softmmu_of(cpu);
    struct softmmu_hit h;
    *exit = translate(cpu, m, vaddr, SOFTMMU_EXEC, idx, &h);
    if (*exit)
        return NULL;
    return h.host;
}
