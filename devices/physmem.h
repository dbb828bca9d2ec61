/* Guest RAM: a few regions (host pointer, guest physical base, size) and the
 * one checked helper that turns a guest physical range into a host pointer.
 * Every device and loader reaches guest memory through phys_ptr(). */
#ifndef FERRY_DEVICES_PHYSMEM_H
#define FERRY_DEVICES_PHYSMEM_H

#include <stdint.h>

#define PHYSMEM_MAX_REGIONS 4

struct physmem_region {
    uint64_t gpa;  /* guest physical base */
    uint64_t size; /* bytes, >= 1 */
    void *host;    /* host address of gpa */
};

/* Regions sorted by gpa, non-overlapping.  Engines map each region as one
 * memory slot (KVM) or one soft-TLB backing (TCG). */
struct physmem {
    struct physmem_region region[PHYSMEM_MAX_REGIONS];
    unsigned count;
};

void physmem_init(struct physmem *mem);

/* Add a RAM region.  Returns 0, -EINVAL (size 0, gpa + size overflows,
 * host NULL), -EEXIST (overlaps a region) or -ENOSPC (too many regions). */
int physmem_add(struct physmem *mem, uint64_t gpa, uint64_t size, void *host);

/* Host pointer for guest physical [gpa, gpa+len), or NULL if len is 0, if
 * gpa + len overflows, or if the range is not entirely inside ONE region
 * (outside RAM, in a hole, or spanning two regions). */
void *phys_ptr(const struct physmem *mem, uint64_t gpa, uint64_t len);

/* Total bytes of RAM over all regions. */
uint64_t physmem_total(const struct physmem *mem);

#endif
