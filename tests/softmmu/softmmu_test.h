/* Shared declarations of the test_softmmu suite: the x86 page-walk and
 * exception-delivery cases (test_x64_mmu.c, test_x64_excp.c) add themselves
 * to the suite main() in test_softmmu.c builds. */
#ifndef FERRY_TEST_SOFTMMU_H
#define FERRY_TEST_SOFTMMU_H

#include <check.h>

void x64_mmu_tests(Suite *s);
void x64_excp_tests(Suite *s);

#endif

#include "devices/bus.h"
#include "devices/physmem.h"
#include "frontend/x86_64/x64_mmu.h"
#include "ir/ir.h"

/* Compile f on backend `name` ("jit", "interp") and run it once on cpu;
 * returns the exit reason (false/skip if the backend is not built: 0xffff). */
unsigned softmmu_test_run(const char *name, struct cpu_head *cpu, struct ir_func *f);
#define SOFTMMU_NO_BACKEND 0xffffu

/* A fake pc-like machine for the x86 tests: 8 MiB of RAM at 0, a counting
 * MMIO device at XM_MMIO, a long-mode CPU whose page tables (PML4 at
 * XM_PML4) are built by xm_map. */
#define XM_RAM_SIZE (8u << 20)
#define XM_PML4 0x1000ull
#define XM_MMIO 0xfee00000ull
struct xm {
    struct x64_cpu *cpu;
    struct x64_mmu mmu;
    struct physmem mem;
    struct bus bus;
    uint8_t *ram;
    uint64_t next_table;
    unsigned mmio_reads, mmio_writes;
    uint64_t mmio_last_off, mmio_last_val;
};
void xm_open(struct xm *m);
void xm_close(struct xm *m);
/* The paging entry of va at level (4 = PML4E .. 1 = PTE), creating tables
 * (P|RW|US) on the way when create; NULL if absent. */
uint64_t *xm_entry(struct xm *m, uint64_t va, unsigned level, bool create);
/* Map [va, va+size) to pa with one entry of the size's level (4K, 2M, 1G)
 * and flags (P added). */
void xm_map(struct xm *m, uint64_t va, uint64_t pa, uint64_t size, uint64_t flags);
uint64_t xm_rd64(struct xm *m, uint64_t pa);
void xm_wr64(struct xm *m, uint64_t pa, uint64_t v);
