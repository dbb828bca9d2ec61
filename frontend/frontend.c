/* The table of guest frontends: generic code (user/, cli/) picks one from an
 * ELF header through frontend_for_elf, and allocates its CPU struct through
 * frontend_cpu_new. */
#include "frontend/frontend.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

static const struct ferry_frontend *const frontends[] = {
    &frontend_aarch64,
    &frontend_x86_64,
};

const struct ferry_frontend *frontend_for_elf(unsigned machine, unsigned elf_class)
{
    for (size_t i = 0; i < sizeof frontends / sizeof frontends[0]; i++) {
        if (frontends[i]->elf_machine == machine && frontends[i]->elf_class == elf_class)
            return frontends[i];
    }
    return NULL;
}

struct cpu_head *frontend_cpu_new(const struct ferry_frontend *fe)
{
    size_t align = fe->cpu_align < sizeof(void *) ? sizeof(void *) : fe->cpu_align;
    struct cpu_head *cpu = aligned_alloc(align, (fe->cpu_size + align - 1) / align * align);
    if (!cpu)
        return NULL;
    memset(cpu, 0, fe->cpu_size);
    fe->cpu_reset(cpu);
    return cpu;
}
