/* The AArch64 frontend object (frontend_aarch64): CPU reset and dump, and the
 * HWCAP bits that say what the translator implements. */
#include <elf.h>
#include <inttypes.h>
#include <string.h>

#include "frontend/aarch64/a64.h"

uint64_t a64_hwcap(void)
{
    return A64_HWCAP_ATOMICS | A64_HWCAP_CRC32 | A64_HWCAP_LRCPC | a64_fpsimd_hwcap();
}

uint64_t a64_hwcap2(void) { return 0; }

void a64_cpu_reset(struct a64_cpu *cpu)
{
    memset(cpu, 0, sizeof(*cpu));
    cpu->excl_addr = A64_EXCL_NONE;
}

unsigned a64_cpu_nzcv(const struct a64_cpu *cpu)
{
    return (unsigned)(cpu->nf >> 63) << 3 | (cpu->zf == 0 ? 4u : 0u) | (cpu->cf ? 2u : 0u) |
           (cpu->vf ? 1u : 0u);
}

void a64_cpu_set_nzcv(struct a64_cpu *cpu, unsigned nzcv)
{
    cpu->nf = (uint64_t)((nzcv >> 3) & 1) << 63;
    cpu->zf = (nzcv >> 2) & 1 ? 0 : 1;
    cpu->cf = (nzcv >> 1) & 1;
    cpu->vf = nzcv & 1;
}

void a64_cpu_dump(const struct a64_cpu *cpu, FILE *out)
{
    unsigned nzcv = a64_cpu_nzcv(cpu);
    fprintf(out, " PC=%016" PRIx64 "  SP=%016" PRIx64 "  NZCV=%c%c%c%c\n", cpu->head.pc, cpu->sp,
            nzcv & 8 ? 'N' : '-', nzcv & 4 ? 'Z' : '-', nzcv & 2 ? 'C' : '-', nzcv & 1 ? 'V' : '-');
    for (int i = 0; i < 31; i++) {
        fprintf(out, " X%02d=%016" PRIx64, i, cpu->x[i]);
        if (i % 4 == 3 || i == 30)
            fputc('\n', out);
    }
}

static void frontend_a64_reset(struct cpu_head *cpu) { a64_cpu_reset((struct a64_cpu *)cpu); }

static void frontend_a64_dump(const struct cpu_head *cpu, FILE *out)
{
    a64_cpu_dump((const struct a64_cpu *)cpu, out);
}

const struct ferry_frontend frontend_aarch64 = {
    .name = "aarch64",
    .elf_machine = EM_AARCH64,
    .elf_class = ELFCLASS64,
    .cpu_size = sizeof(struct a64_cpu),
    .cpu_align = _Alignof(struct a64_cpu),
    .cpu_reset = frontend_a64_reset,
    .ctx_init = a64_ctx_init,
    .ctx_fini = a64_ctx_fini,
    .translate = a64_translate,
    .cpu_dump = frontend_a64_dump,
};
