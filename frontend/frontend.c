/* The table of guest frontends: generic code (user/, cli/) picks one from an
 * ELF header through frontend_for_elf. */
#include "frontend/frontend.h"

#include <elf.h>

static const struct ferry_frontend *const frontends[] = {
    &frontend_aarch64,
};

const struct ferry_frontend *frontend_for_elf(unsigned machine, unsigned elf_class)
{
    for (size_t i = 0; i < sizeof frontends / sizeof frontends[0]; i++) {
        if (frontends[i]->elf_machine == machine && frontends[i]->elf_class == elf_class)
            return frontends[i];
    }
    return NULL;
}
