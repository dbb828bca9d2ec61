/* The fake machine of the x86 system-mode tests (softmmu_test.h): RAM, a
 * counting MMIO device, a long-mode x64_cpu with its MMU and page tables. */
#include <stdlib.h>
#include <string.h>

#include "softmmu_test.h"

static uint64_t mmio_read(void *opaque, uint64_t off, unsigned size)
{
    struct xm *m = opaque;
    m->mmio_reads++;
    m->mmio_last_off = off;
    return 0xa5a5a5a5a5a5a5a5ull & bus_size_mask(size);
}

static void mmio_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    struct xm *m = opaque;
    (void)size;
    m->mmio_writes++;
    m->mmio_last_off = off;
    m->mmio_last_val = v;
}

static const struct bus_ops mmio_ops = {mmio_read, mmio_write};

void xm_open(struct xm *m)
{
    memset(m, 0, sizeof(*m));
    m->ram = aligned_alloc(4096, XM_RAM_SIZE);
    ck_assert(m->ram);
    memset(m->ram, 0, XM_RAM_SIZE);
    physmem_init(&m->mem);
    ck_assert_int_eq(physmem_add(&m->mem, 0, XM_RAM_SIZE, m->ram), 0);
    bus_init(&m->bus);
    ck_assert_int_eq(bus_register(&m->bus, BUS_MMIO, XM_MMIO, 0x1000, &mmio_ops, m, "fake"), 0);
    m->cpu = aligned_alloc(64, (sizeof(struct x64_cpu) + 63) & ~(size_t)63);
    ck_assert(m->cpu);
    x64_cpu_reset(m->cpu);
    ck_assert_int_eq(x64_mmu_init(m->cpu, &m->mmu, &m->mem, &m->bus, NULL), 0);
    m->cpu->cr0 = X64_CR0_PE | X64_CR0_PG | X64_CR0_WP;
    m->cpu->cr4 = X64_CR4_PAE;
    m->cpu->efer = X64_EFER_LME | X64_EFER_LMA | X64_EFER_NXE;
    m->cpu->cr3 = XM_PML4;
    m->next_table = 0x100000; /* tables from 1 MiB up */
    m->cpu->head.flags = X64_HF_SYSTEM | X64_HF_CS64 | X64_HF_PG;
}

void xm_close(struct xm *m)
{
    x64_mmu_fini(&m->mmu);
    bus_destroy(&m->bus);
    free(m->cpu);
    free(m->ram);
}

uint64_t xm_rd64(struct xm *m, uint64_t pa)
{
    uint64_t v;
    memcpy(&v, m->ram + pa, 8);
    return v;
}

void xm_wr64(struct xm *m, uint64_t pa, uint64_t v) { memcpy(m->ram + pa, &v, 8); }

uint64_t *xm_entry(struct xm *m, uint64_t va, unsigned level, bool create)
{
    uint64_t table = m->cpu->cr3 & ~0xfffull;
    for (unsigned l = 4;; l--) {
        uint64_t pa = table + 8 * ((va >> (12 + 9 * (l - 1))) & 511);
        uint64_t *e = (uint64_t *)(void *)(m->ram + pa);
        if (l == level)
            return e;
        if (!(*e & 1)) {
            if (!create)
                return NULL;
            ck_assert(m->next_table + 4096 <= XM_RAM_SIZE);
            *e = m->next_table | 7;
            m->next_table += 4096;
        }
        table = *e & 0x000ffffffffff000ull;
    }
}

void xm_map(struct xm *m, uint64_t va, uint64_t pa, uint64_t size, uint64_t flags)
{
    unsigned level = size == (1ull << 30) ? 3 : size == (1ull << 21) ? 2 : 1;
    uint64_t *e = xm_entry(m, va, level, true);
    *e = pa | flags | 1 | (level > 1 ? 0x80 : 0);
}
