/* The table of guest ABIs of Linux user mode and the guest-independent
 * helpers over them (open flag conversion). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>

#include "user/abi.h"

static const struct user_abi *const user_abis[] = {
    &user_abi_aarch64,
    &user_abi_x86_64,
};

const struct user_abi *user_abi_for(unsigned elf_machine, unsigned elf_class)
{
    for (size_t i = 0; i < sizeof(user_abis) / sizeof(user_abis[0]); i++)
        if (user_abis[i]->elf_machine == elf_machine && user_abis[i]->elf_class == elf_class)
            return user_abis[i];
    return NULL;
}

int user_open_flags_to_host(const struct user_abi *abi, uint64_t guest)
{
    int host = (int)(guest & O_ACCMODE);
    uint64_t left = guest & ~(uint64_t)O_ACCMODE;
    for (unsigned i = 0; i < abi->nopen_flags; i++) {
        if (left & abi->open_flags[i].guest) {
            host |= (int)abi->open_flags[i].host;
            left &= ~(uint64_t)abi->open_flags[i].guest;
        }
    }
    return host | (int)left; /* unknown bits pass, so the host refuses them as it would */
}

uint64_t user_open_flags_to_guest(const struct user_abi *abi, int host)
{
    uint64_t guest = (uint64_t)(host & O_ACCMODE);
    uint32_t left = (uint32_t)host & ~(uint32_t)O_ACCMODE;
    for (unsigned i = 0; i < abi->nopen_flags; i++) {
        if (abi->open_flags[i].host && (left & abi->open_flags[i].host) == abi->open_flags[i].host) {
            guest |= abi->open_flags[i].guest;
            left &= ~abi->open_flags[i].host;
        }
    }
    return guest | left;
}
