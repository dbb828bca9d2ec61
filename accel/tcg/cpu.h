/* The part of every guest CPU state that the execution engine itself uses.
 * A frontend's CPU struct starts with a `struct cpu_head` (at offset 0); IR
 * globals are bound to fields after it.  Backends reach these fields at fixed
 * offsets from the CPU-state pointer they keep in a host register. */
#ifndef FERRY_TCG_CPU_H
#define FERRY_TCG_CPU_H

#include <stddef.h>
#include <stdint.h>

struct tb;

/* Direct-mapped jump cache in front of the global hash table, probed inline by
 * goto_ptr.  An empty entry has tb == NULL, pc == JC_EMPTY_PC and flags ==
 * JC_EMPTY_FLAGS: cpu flags are 32-bit, so no probe ever matches an empty
 * entry, even a guest jump to pc ~0. */
#define JC_BITS 12
#define JC_SIZE (1u << JC_BITS)
#define JC_EMPTY_PC (~0ull)
#define JC_EMPTY_FLAGS (~0ull)
struct jc_entry {
    uint64_t pc;
    uint64_t flags;   /* cpu-mode flags, zero-extended */
    const void *host; /* backend entry point of the block (JIT: RX code) */
    struct tb *tb;
};
_Static_assert(sizeof(struct jc_entry) == 32, "backends index the jump cache by << 5");

/* The hash every user of the jump cache must compute the same way
 * (the x86-64 JIT emits exactly these steps: xor, shift, and). */
static inline uint32_t jc_hash(uint64_t pc)
{
    return (uint32_t)((pc ^ (pc >> JC_BITS)) >> 1) & (JC_SIZE - 1);
}

/* Return-address stack: a call (ras_push) pushes its return pc and its own
 * block; a return (goto_ret) pops the top entry and, if the pc matches, jumps
 * straight to the code in the pushing block's return cell (tb->ret_host,
 * filled by the loop, cleared when that code is invalidated).  A ring: the
 * oldest entries are overwritten, a mismatch is only a missed hint.  An empty
 * entry has pc == JC_EMPTY_PC and src == NULL (a zeroed ring is empty too). */
#define RAS_BITS 4
#define RAS_SIZE (1u << RAS_BITS)
struct ras_entry {
    uint64_t pc;
    struct tb *src; /* the block that pushed it (its ret_host is the hint) */
};
_Static_assert(sizeof(struct ras_entry) == 16, "backends index the return stack by << 4");
struct ras_stack {
    uint32_t top;   /* index of the newest entry (mod RAS_SIZE) */
    uint32_t pad;
    struct tb *fill; /* a goto_ret exited with IR_EXIT_lookup to fill this block's cell */
    struct ras_entry e[RAS_SIZE];
};

struct cpu_head {
    uint64_t pc;          /* guest pc to run next (written at every block exit) */
    uint32_t flags;       /* cpu-mode flags: part of the block key */
    volatile int32_t exit_request; /* nonzero: blocks exit with IR_EXIT_request at entry */
    struct tb *last_tb;   /* IR_EXIT_chain: the block that exited ...    */
    uint32_t last_slot;   /*   ... and which of its goto_tb slots        */
    union {
        uint32_t pad0;
        /* System mode: byte offset from this struct of the soft TLB (struct
         * softmmu, accel/tcg/softmmu.h) that IR_MO_MMU accesses use; it lives
         * inside the CPU state.  0 = none (user mode). */
        uint32_t softmmu_off;
    };
    uint8_t *guest_base;  /* host address of guest address 0 */
    struct jc_entry *jmp_cache; /* JC_SIZE entries */
    uint64_t insn_count;  /* optional statistics; engines may leave it 0 */
    struct ras_stack *ras; /* return stack (tcg_cpu_init puts it after the jump
                              cache); NULL: none, the hint is off */
};
_Static_assert(sizeof(struct cpu_head) <= 0x40, "IR programs bind globals from env offset 0x40");

#define CPU_HEAD_PC offsetof(struct cpu_head, pc)
#define CPU_HEAD_FLAGS offsetof(struct cpu_head, flags)
#define CPU_HEAD_EXIT_REQUEST offsetof(struct cpu_head, exit_request)
#define CPU_HEAD_LAST_TB offsetof(struct cpu_head, last_tb)
#define CPU_HEAD_LAST_SLOT offsetof(struct cpu_head, last_slot)
#define CPU_HEAD_GUEST_BASE offsetof(struct cpu_head, guest_base)
#define CPU_HEAD_JMP_CACHE offsetof(struct cpu_head, jmp_cache)
#define CPU_HEAD_SOFTMMU_OFF offsetof(struct cpu_head, softmmu_off)
#define CPU_HEAD_RAS offsetof(struct cpu_head, ras)
#define CPU_HEAD_SIZE sizeof(struct cpu_head)

#endif
