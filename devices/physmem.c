/* Guest RAM regions and phys_ptr(), the one checked guest-physical to host
 * pointer translation. */
#include "devices/physmem.h"

#include <errno.h>
#include <string.h>

void physmem_init(struct physmem *mem)
{
    memset(mem, 0, sizeof(*mem));
}

int physmem_add(struct physmem *mem, uint64_t gpa, uint64_t size, void *host)
{
    if (size == 0 || host == NULL || gpa + (size - 1) < gpa)
        return -EINVAL;
    uint64_t last = gpa + (size - 1);
    unsigned i = 0;
    while (i < mem->count && mem->region[i].gpa < gpa)
        i++;
    if (i > 0) {
        const struct physmem_region *p = &mem->region[i - 1];
        if (p->gpa + (p->size - 1) >= gpa)
            return -EEXIST;
    }
    if (i < mem->count && mem->region[i].gpa <= last)
        return -EEXIST;
    if (mem->count == PHYSMEM_MAX_REGIONS)
        return -ENOSPC;
    memmove(&mem->region[i + 1], &mem->region[i], (mem->count - i) * sizeof(mem->region[0]));
    mem->region[i] = (struct physmem_region){.gpa = gpa, .size = size, .host = host};
    mem->count++;
    return 0;
}

void *phys_ptr(const struct physmem *mem, uint64_t gpa, uint64_t len)
{
    if (len == 0 || gpa + (len - 1) < gpa)
        return NULL;
    for (unsigned i = 0; i < mem->count; i++) {
        const struct physmem_region *r = &mem->region[i];
        if (gpa < r->gpa)
            return NULL; /* sorted: below this region and not in an earlier one */
        uint64_t off = gpa - r->gpa;
        if (off >= r->size)
            continue;
        if (len > r->size - off)
            return NULL; /* runs past the end of the region */
        return (uint8_t *)r->host + off;
    }
    return NULL;
}

uint64_t physmem_total(const struct physmem *mem)
{
    uint64_t t = 0;
    for (unsigned i = 0; i < mem->count; i++)
        t += mem->region[i].size;
    return t;
}
