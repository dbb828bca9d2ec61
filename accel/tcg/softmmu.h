/* The soft TLB of system mode: guest ld/st marked IR_MO_MMU go through it.
 * Backends emit the hit path inline (tag compare, addend add, one host access)
 * and call softmmu_ld_slow/softmmu_st_slow on a miss; those refill through the
 * guest's page walk (struct softmmu_ops, e.g. frontend/x86_64/x64_mmu.c). */
#ifndef FERRY_TCG_SOFTMMU_H
#define FERRY_TCG_SOFTMMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu.h"

#define SOFTMMU_PAGE_BITS 12
#define SOFTMMU_PAGE_SIZE (1ull << SOFTMMU_PAGE_BITS)
#define SOFTMMU_PAGE_MASK (~(SOFTMMU_PAGE_SIZE - 1))
#define SOFTMMU_BITS 8 /* entries per MMU index: 256, direct-mapped by vaddr bits 12-19 */
#define SOFTMMU_ENTRIES (1u << SOFTMMU_BITS)
#define SOFTMMU_NIDX 4 /* MMU indexes: the 2-bit field of the memop (IR_MO_MMU_IDX) */

/* A comparator (addr_read / addr_write / addr_code) is the page's virtual
 * address when an access of that kind may use the hit path, with flag bits in
 * its low bits otherwise; since the hit path compares against a page-aligned
 * value, any flag bit sends the access to the slow path. */
#define SOFTMMU_EMPTY (~0ull)       /* no translation for this kind of access */
#define SOFTMMU_FLAG_IO (1ull << 0)   /* not RAM: every access goes to ops->io_* */
#define SOFTMMU_FLAG_CODE (1ull << 1) /* write tag: the page holds translated code */
#define SOFTMMU_FLAGS 3ull

struct softmmu_entry {
    uint64_t addr_read;
    uint64_t addr_write;
    uint64_t addr_code;
    uint64_t addend; /* host address of the access = vaddr + addend (RAM pages) */
};
_Static_assert(sizeof(struct softmmu_entry) == 32, "backends index entries by << 5");
#define SOFTMMU_ENTRY_READ offsetof(struct softmmu_entry, addr_read)
#define SOFTMMU_ENTRY_WRITE offsetof(struct softmmu_entry, addr_write)
#define SOFTMMU_ENTRY_CODE offsetof(struct softmmu_entry, addr_code)
#define SOFTMMU_ENTRY_ADDEND offsetof(struct softmmu_entry, addend)

/* Kinds of access (fill's `access`); also the permission bits of a fill. */
enum { SOFTMMU_READ = 1, SOFTMMU_WRITE = 2, SOFTMMU_EXEC = 4 };

/* What a page walk found for one 4 KiB page. */
struct softmmu_fill {
    uint64_t paddr; /* guest physical address of the page (4 KiB aligned) */
    uint8_t *host;  /* host address of the page if it is RAM, else NULL (I/O) */
    unsigned prot;  /* SOFTMMU_READ/WRITE/EXEC this MMU index may do without another
                       walk (leave WRITE out until a write has set the dirty bit) */
    bool code;      /* the page holds translated code: writes go through code_write */
};

struct cpu_head;
struct softmmu_ops {
    /* Walk the guest page tables for `access` (one SOFTMMU_* kind) at vaddr
     * with MMU index idx.  0 and *out filled, or the IR_EXIT_* reason of the
     * fault with its details (vector, error code, address) left in the CPU
     * state. */
    unsigned (*fill)(struct cpu_head *cpu, uint64_t vaddr, unsigned access, unsigned idx,
                     struct softmmu_fill *out);
    /* Accesses to pages that are not RAM (size 1, 2, 4, 8; little-endian value). */
    uint64_t (*io_read)(struct cpu_head *cpu, uint64_t paddr, unsigned size);
    void (*io_write)(struct cpu_head *cpu, uint64_t paddr, uint64_t value, unsigned size);
    /* Before a write to a page marked code (may be NULL): invalidate translations. */
    void (*code_write)(struct cpu_head *cpu, uint64_t vaddr, uint64_t paddr, unsigned size);
};

/* Lives inside the guest CPU state at cpu_head.softmmu_off.  Backends read
 * only `tlb`, which must stay the first member. */
struct softmmu {
    struct softmmu_entry tlb[SOFTMMU_NIDX][SOFTMMU_ENTRIES];
    uint64_t paddr[SOFTMMU_NIDX][SOFTMMU_ENTRIES]; /* physical page of each entry */
    const struct softmmu_ops *ops;
    void *opaque; /* the guest's MMU state (for ops) */
    uint64_t misses;  /* refills (fill calls) */
    uint64_t io;      /* accesses that went to io_read/io_write */
};
#define SOFTMMU_TLB_OFF(idx) ((size_t)(idx) * SOFTMMU_ENTRIES * sizeof(struct softmmu_entry))

static inline struct softmmu *softmmu_of(struct cpu_head *cpu)
{
    return (struct softmmu *)((char *)cpu + cpu->softmmu_off);
}
static inline unsigned softmmu_index(uint64_t vaddr)
{
    return (unsigned)(vaddr >> SOFTMMU_PAGE_BITS) & (SOFTMMU_ENTRIES - 1);
}

/* Set up `m` (inside the CPU state `cpu`): every entry empty, softmmu_off set. */
void softmmu_init(struct cpu_head *cpu, struct softmmu *m, const struct softmmu_ops *ops,
                  void *opaque);
/* Forget every translation / those of the 4 KiB page holding vaddr (every
 * index) / every entry whose physical page is paddr's. */
void softmmu_flush(struct softmmu *m);
void softmmu_flush_page(struct softmmu *m, uint64_t vaddr);
void softmmu_flush_paddr(struct softmmu *m, uint64_t paddr);

/* The slow paths the backends call.  memop is the ld/st memop (size, sign,
 * byte order, MMU index).  .val is the loaded value extended to 64 bits as
 * the memop says (callers of an i32 ld keep the low half); .exit is 0, or the
 * IR_EXIT_* reason of a fault (nothing was stored then; on x86-64 hosts the
 * pair comes back in rax:rdx). */
struct softmmu_result {
    uint64_t val;
    uint64_t exit;
};
struct softmmu_result softmmu_ld_slow(struct cpu_head *cpu, uint64_t addr, uint64_t memop);
struct softmmu_result softmmu_st_slow(struct cpu_head *cpu, uint64_t addr, uint64_t val,
                                      uint64_t memop);

/* The hit path in C (the interpreter, helpers): the host address of an access
 * of `memop` at addr that the TLB can serve directly, else NULL (then call the
 * slow path). */
static inline uint8_t *softmmu_hit(struct cpu_head *cpu, uint64_t addr, uint64_t memop,
                                   bool store)
{
    const struct softmmu *m = (const struct softmmu *)((char *)cpu + cpu->softmmu_off);
    unsigned idx = (unsigned)(memop >> 5) & 3; /* ir_mo_mmu_idx */
    const struct softmmu_entry *e = &m->tlb[idx][softmmu_index(addr)];
    uint64_t tag = store ? e->addr_write : e->addr_read;
    uint64_t last = addr + (1u << (memop & 3)) - 1;
    if (tag != (last & SOFTMMU_PAGE_MASK))
        return NULL;
    return (uint8_t *)(uintptr_t)(addr + e->addend);
}

/* Translate a code address for the instruction fetch: host address of vaddr
 * (RAM only; the rest of its page follows it), or NULL with the fault's exit
 * reason in *exit (0 if the page is I/O: not executable from here). */
const uint8_t *softmmu_code_ptr(struct cpu_head *cpu, uint64_t vaddr, unsigned idx,
                                unsigned *exit);

#endif
