/* One bus for port I/O and MMIO: devices register [base, base+len) ranges with
 * read/write callbacks; engines (KVM, TCG) dispatch guest accesses through it.
 * Accesses to nothing read all-ones and are ignored on write (-d guest_errors). */
#ifndef FERRY_DEVICES_BUS_H
#define FERRY_DEVICES_BUS_H

#include <stddef.h>
#include <stdint.h>

/* Address spaces of a bus.  Order is used to index arrays (bus.regions[]). */
enum bus_space {
    BUS_PIO,  /* x86 port I/O, addresses 0..0xffff */
    BUS_MMIO, /* memory-mapped I/O, guest physical addresses */
    BUS_SPACE_COUNT
};

/* Device callbacks.  `offset` is relative to the registered base; the bus
 * guarantees offset + size <= len, and size is 1..8 (in practice 1, 2, 4, 8).
 * read returns the value in the low `size` bytes (upper bytes are masked off
 * by the bus); write receives the value already masked to `size` bytes.
 * Either callback may be NULL: a NULL read reads all-ones, a NULL write is
 * ignored (neither is logged: the range is claimed by a device). */
struct bus_ops {
    uint64_t (*read)(void *opaque, uint64_t offset, unsigned size);
    void (*write)(void *opaque, uint64_t offset, uint64_t value, unsigned size);
};

struct bus_region {
    uint64_t base;
    uint64_t len; /* >= 1; base + len - 1 does not overflow */
    const struct bus_ops *ops;
    void *opaque;
    const char *name; /* not copied: string literal or outliving the bus */
};

/* Sorted by base, non-overlapping, per space. */
struct bus {
    struct bus_region *regions[BUS_SPACE_COUNT];
    size_t count[BUS_SPACE_COUNT];
    size_t cap[BUS_SPACE_COUNT];
};

void bus_init(struct bus *bus);
void bus_destroy(struct bus *bus);

/* Claim [base, base+len) in `space`.  Returns 0, -EINVAL (len 0, range
 * wrapping past 2^64, a PIO range beyond 0xffff, bad space, ops NULL),
 * -EEXIST (overlaps a registered range) or -ENOMEM. */
int bus_register(struct bus *bus, enum bus_space space, uint64_t base, uint64_t len,
                 const struct bus_ops *ops, void *opaque, const char *name);

/* The region containing addr, or NULL.  Binary search. */
const struct bus_region *bus_find(const struct bus *bus, enum bus_space space, uint64_t addr);

/* Dispatch one guest access of `size` bytes (1..8) at `addr`.
 * An access is delivered to a device only if ALL of [addr, addr+size) lies
 * inside one region; an access that touches nothing, or that straddles the
 * end of a region (into a gap or into another region), is an access to
 * nothing: reads return all-ones of the access size, writes are dropped, and
 * either is logged under -d guest_errors with space, address and size.
 * A size outside 1..8 is also logged, reads 0 and is dropped. */
uint64_t bus_read(struct bus *bus, enum bus_space space, uint64_t addr, unsigned size);
void bus_write(struct bus *bus, enum bus_space space, uint64_t addr, uint64_t value,
               unsigned size);

/* "pio" / "mmio" */
const char *bus_space_name(enum bus_space space);

/* All-ones in the low `size` bytes (size 1..8). */
static inline uint64_t bus_size_mask(unsigned size)
{
    return size >= 8 ? ~(uint64_t)0 : ((uint64_t)1 << (size * 8)) - 1;
}

#endif
