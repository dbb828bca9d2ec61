/* System mode memory of the x86-64 translator: the x86 page walk (paging off,
 * 4-level long-mode paging, PAE), the soft TLB's refill and I/O callbacks,
 * instruction fetch through the MMU, code-page tracking for self-modifying
 * code, and exception delivery through the IDT (x64_excp.c). */
#ifndef FERRY_X64_MMU_H
#define FERRY_X64_MMU_H

#include <stdbool.h>
#include <stdint.h>

#include "accel/tcg/softmmu.h"
#include "frontend/x86_64/x64_cpu.h"

struct physmem;
struct bus;
struct tcg_ctx;

/* MMU indexes of the soft TLB (the memop's IR_MO_MMU_IDX field). */
enum { X64_MMU_SUPER = 0, X64_MMU_USER = 1 };

/* #PF error code bits. */
#define X64_PF_P (1u << 0)    /* the page was present (protection violation) */
#define X64_PF_W (1u << 1)    /* write access */
#define X64_PF_U (1u << 2)    /* user-mode access (CPL 3) */
#define X64_PF_RSVD (1u << 3) /* a reserved bit was set in a paging entry */
#define X64_PF_ID (1u << 4)   /* instruction fetch (with NXE or SMEP) */

/* Control-register bits the walk reads. */
#define X64_CR0_PE (1ull << 0)
#define X64_CR0_WP (1ull << 16)
#define X64_CR0_PG (1ull << 31)
#define X64_CR4_PSE (1ull << 4)
#define X64_CR4_PAE (1ull << 5)
#define X64_EFER_LME (1ull << 8)
#define X64_EFER_LMA (1ull << 10)
#define X64_EFER_NXE (1ull << 11)

/* The machine behind one CPU's MMU.  softmmu.opaque points here. */
struct x64_mmu {
    const struct physmem *mem; /* RAM: phys_ptr */
    struct bus *bus;           /* everything else (BUS_MMIO) */
    struct tcg_ctx *tcg;       /* translations to invalidate on code writes; may be NULL */
    uint8_t *code_pages;       /* bit per 4 KiB physical page below code_limit: holds code */
    uint64_t code_limit;
    bool large_pages;      /* a 2M/1G page was entered in the TLB since the last full flush */
    bool code_translated;  /* code was fetched since the last tcg flush */
    bool tb_flush_pending; /* the mapping of translated code may have changed: the engine
                              calls tcg_flush (x64_mmu_take_tb_flush) between blocks */
    uint64_t walks;        /* page walks done (statistics) */
};

/* What one walk found. */
struct x64_walk {
    uint64_t paddr;     /* physical address of vaddr */
    uint64_t page_size; /* 4 KiB, 2 MiB, 1 GiB (4 MiB in 32-bit paging) */
    bool user;          /* U/S allows CPL 3 at every level */
    bool writable;      /* R/W allows writes at every level */
    bool nx;            /* some level has XD set (with EFER.NXE) */
    bool dirty;         /* the leaf's D bit (after this walk) */
    uint32_t error;     /* #PF error code when the walk fails */
    bool gp;            /* failed with #GP(0) (non-canonical address) instead of #PF */
};

/* Set up the MMU of `cpu` (its soft TLB, cpu->smmu, and cpu_head.softmmu_off).
 * RAM and MMIO resolve through mem and bus; tcg may be NULL (no code-write
 * invalidation).  Returns 0 or -ENOMEM. */
int x64_mmu_init(struct x64_cpu *cpu, struct x64_mmu *mmu, const struct physmem *mem,
                 struct bus *bus, struct tcg_ctx *tcg);
void x64_mmu_fini(struct x64_mmu *mmu);

/* The memop bits of a guest ld/st in a block with mode flags `flags`: 0 in
 * user mode; IR_MO_MMU and the index of the block's CPL in system mode. */
unsigned x64_mmu_memop(uint32_t flags);

/* Walk the page tables for an access (SOFTMMU_READ/WRITE/EXEC) at vaddr, as
 * CPL 3 if user.  Sets A bits (and D on a write) in guest memory when it
 * succeeds.  Returns true, or false with w->error (or w->gp). */
bool x64_mmu_walk(struct x64_cpu *cpu, uint64_t vaddr, unsigned access, bool user,
                  struct x64_walk *w);

/* Flush the TLB: after MOV CR3, a change of CR0.PG/WP, CR4.PAE/PSE/PGE or
 * EFER.NXE/LMA.  Also requests a translation flush (tb_flush_pending) if code
 * was translated since the last one: blocks are keyed by virtual pc. */
void x64_mmu_flush_all(struct x64_cpu *cpu);
/* INVLPG: forget vaddr's page (everything if large pages are in the TLB) and
 * invalidate the translated blocks on that virtual page. */
void x64_mmu_flush_page(struct x64_cpu *cpu, uint64_t vaddr);
/* True once after a flush that needs tcg_flush (the engine calls it between
 * blocks, where tcg_flush is allowed). */
bool x64_mmu_take_tb_flush(struct x64_cpu *cpu);

/* Linear-address accesses for helpers and exception delivery, as CPL 3 if
 * user: 0, or -1 with the fault recorded (exc_vector 14 or 13, exc_error,
 * exc_has_error, cr2 = fault_addr = the address). */
int x64_mmu_read(struct x64_cpu *cpu, uint64_t la, void *buf, unsigned len, bool user);
int x64_mmu_write(struct x64_cpu *cpu, uint64_t la, const void *buf, unsigned len, bool user);

/* The translator's instruction fetch (frontend_ctx.fetch in system mode, with
 * env_opaque = the struct x64_cpu): copy up to len bytes of code at vaddr
 * for a block of mode `flags` into buf; returns how many could be fetched
 * (stops at the first byte that is not executable RAM).  Marks the pages as
 * code; touches no exception state. */
unsigned x64_mmu_fetch(void *cpu, uint64_t vaddr, uint32_t flags, uint8_t *buf, unsigned len);
/* IR_EXIT_fault in system mode (the translator could not fetch at
 * fault_addr): walk again at the current CPL and record the #PF (true), or
 * false if the fetch works now (the engine then drops its translations of
 * head.pc and resumes). */
bool x64_mmu_fetch_fault(struct x64_cpu *cpu);

/* ---- x64_excp.c ----------------------------------------------------------- */

enum x64_deliver_status {
    X64_DELIVER_OK = 0,     /* the handler runs next: head.pc, CS, RSP, flags updated */
    X64_DELIVER_TRIPLE = 1, /* a fault while delivering #DF: shutdown (KVM's SHUTDOWN) */
};

/* Deliver exception or interrupt `vector` through the IDT (long mode).
 * The return address pushed is head.pc (the faulting instruction for faults,
 * the next one for INT n and external interrupts).  soft: from INT n / INT3 /
 * INTO (gate DPL checked against CPL, no EXT bit).  Faults during delivery
 * become #DF (or are delivered instead, as the SDM's table says); a fault
 * while delivering #DF is a triple fault. */
enum x64_deliver_status x64_deliver(struct x64_cpu *cpu, unsigned vector, bool has_error,
                                    uint32_t error, bool soft);
/* The exception an exit recorded (exc_vector, exc_error, exc_has_error, exc_soft). */
enum x64_deliver_status x64_deliver_pending(struct x64_cpu *cpu);

#endif
