/* The interface between a guest frontend (frontend/<arch>/) and the rest of
 * Ferry.  Generic code (user/, machine/, cli/) reaches a guest only through a
 * const struct ferry_frontend; the frontend turns guest code into IR through
 * the tcg_translate_fn the translation cache calls. */
#ifndef FERRY_FRONTEND_H
#define FERRY_FRONTEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accel/tcg/cpu.h"
#include "accel/tcg/tcg.h"

/* What the frontend needs from its environment while translating: where guest
 * memory is, and whether a range of it may be executed.  Passed as the
 * `opaque` of the translate callback. */
struct frontend_ctx {
    const struct ferry_frontend *fe;
    uint8_t *guest_base; /* host address of guest address 0 */
    /* true if guest [addr, addr + len) is mapped and executable */
    bool (*can_exec)(void *env_opaque, uint64_t addr, uint64_t len);
    void *env_opaque;
    /* Optional (system mode, where code is fetched through the guest MMU):
     * copy up to len bytes of code at addr, for a block of mode `flags`, into
     * buf; returns how many bytes could be fetched.  When set, the frontend
     * uses it instead of guest_base/can_exec. */
    unsigned (*fetch)(void *env_opaque, uint64_t addr, uint32_t flags, uint8_t *buf,
                      unsigned len);
    void *priv; /* the frontend's own state (decoder handle, ...), from ->ctx_init */
    unsigned log_once_mask; /* private to the frontend */
};

struct ferry_frontend {
    const char *name;     /* "aarch64" */
    uint16_t elf_machine; /* EM_* of the ELF files it runs */
    uint8_t elf_class;    /* ELFCLASS32 / ELFCLASS64 */
    size_t cpu_size;      /* sizeof its CPU struct, which starts with struct cpu_head */
    size_t cpu_align;     /* alignment the CPU struct needs */
    /* Zero every register (the loader sets pc, sp and the ABI registers). */
    void (*cpu_reset)(struct cpu_head *cpu);
    /* Set up / tear down ctx->priv.  Returns 0 or a negative errno. */
    int (*ctx_init)(struct frontend_ctx *ctx);
    void (*ctx_fini)(struct frontend_ctx *ctx);
    /* The translate callback (opaque = struct frontend_ctx *). */
    tcg_translate_fn translate;
    /* Print the registers (crash reports, -d cpu). */
    void (*cpu_dump)(const struct cpu_head *cpu, FILE *out);
};

extern const struct ferry_frontend frontend_aarch64;
extern const struct ferry_frontend frontend_x86_64; /* frontend/x86_64 (ferry_frontend_x86_64) */

/* A CPU struct of fe's guest, aligned as fe->cpu_align asks, reset by
 * fe->cpu_reset; free() releases it.  NULL when out of memory. */
struct cpu_head *frontend_cpu_new(const struct ferry_frontend *fe);

/* The frontend for an ELF (e_machine, EI_CLASS), or NULL. */
const struct ferry_frontend *frontend_for_elf(unsigned machine, unsigned elf_class);

#endif
