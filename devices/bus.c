/* The I/O bus: per address space, a sorted array of non-overlapping regions
 * searched by binary search; accesses to nothing read all-ones. */
#include "devices/bus.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define BUS_PIO_LIMIT 0x10000ull /* port numbers are 16-bit */

void bus_init(struct bus *bus)
{
    memset(bus, 0, sizeof(*bus));
}

void bus_destroy(struct bus *bus)
{
    for (int s = 0; s < BUS_SPACE_COUNT; s++)
        free(bus->regions[s]);
    memset(bus, 0, sizeof(*bus));
}

const char *bus_space_name(enum bus_space space)
{
    switch (space) {
    case BUS_PIO:
        return "pio";
    case BUS_MMIO:
        return "mmio";
    default:
        return "?";
    }
}

/* Index of the first region whose last byte is >= addr (count if none). */
static size_t bus_lower_bound(const struct bus *bus, enum bus_space space, uint64_t addr)
{
    const struct bus_region *r = bus->regions[space];
    size_t lo = 0, hi = bus->count[space];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r[mid].base + (r[mid].len - 1) < addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int bus_register(struct bus *bus, enum bus_space space, uint64_t base, uint64_t len,
                 const struct bus_ops *ops, void *opaque, const char *name)
{
    if ((unsigned)space >= BUS_SPACE_COUNT || len == 0 || ops == NULL)
        return -EINVAL;
    uint64_t last = base + (len - 1);
    if (last < base)
        return -EINVAL;
    if (space == BUS_PIO && last >= BUS_PIO_LIMIT)
        return -EINVAL;
    size_t i = bus_lower_bound(bus, space, base);
    if (i < bus->count[space] && bus->regions[space][i].base <= last)
        return -EEXIST;
    if (bus->count[space] == bus->cap[space]) {
        size_t cap = bus->cap[space] ? bus->cap[space] * 2 : 16;
        struct bus_region *n = realloc(bus->regions[space], cap * sizeof(*n));
        if (!n)
            return -ENOMEM;
        bus->regions[space] = n;
        bus->cap[space] = cap;
    }
    struct bus_region *r = bus->regions[space];
    memmove(&r[i + 1], &r[i], (bus->count[space] - i) * sizeof(*r));
    r[i] = (struct bus_region){
        .base = base, .len = len, .ops = ops, .opaque = opaque, .name = name ? name : "?"};
    bus->count[space]++;
    return 0;
}

const struct bus_region *bus_find(const struct bus *bus, enum bus_space space, uint64_t addr)
{
    if ((unsigned)space >= BUS_SPACE_COUNT)
        return NULL;
    size_t i = bus_lower_bound(bus, space, addr);
    if (i < bus->count[space] && bus->regions[space][i].base <= addr)
        return &bus->regions[space][i];
    return NULL;
}

/* The region holding all of [addr, addr+size), or NULL. */
static const struct bus_region *bus_lookup(const struct bus *bus, enum bus_space space,
                                           uint64_t addr, unsigned size)
{
    const struct bus_region *r = bus_find(bus, space, addr);
    if (!r)
        return NULL;
    uint64_t off = addr - r->base;
    if (size > r->len - off)
        return NULL;
    return r;
}

static void bus_log_nothing(const struct bus *bus, enum bus_space space, const char *what,
                            uint64_t addr, unsigned size, uint64_t value)
{
    if (!log_enabled(LOG_guest_errors))
        return;
    FILE *f = log_out();
    const struct bus_region *r = bus_find(bus, space, addr);
    if (size == 0 || size > 8)
        fprintf(f, "guest_errors: %s %s at 0x%" PRIx64 " of invalid size %u dropped\n",
                bus_space_name(space), what, addr, size);
    else if (r)
        fprintf(f, "guest_errors: %s %s at 0x%" PRIx64 " size %u straddles the end of '%s' "
                "[0x%" PRIx64 "-0x%" PRIx64 "]%s\n",
                bus_space_name(space), what, addr, size, r->name, r->base,
                r->base + (r->len - 1), *what == 'r' ? ": reads all-ones" : ": ignored");
    else if (*what == 'r')
        fprintf(f, "guest_errors: %s read from nothing at 0x%" PRIx64 " size %u: reads all-ones\n",
                bus_space_name(space), addr, size);
    else
        fprintf(f, "guest_errors: %s write to nothing at 0x%" PRIx64 " size %u value 0x%" PRIx64
                ": ignored\n", bus_space_name(space), addr, size, value);
}

uint64_t bus_read(struct bus *bus, enum bus_space space, uint64_t addr, unsigned size)
{
    if (size == 0 || size > 8) {
        bus_log_nothing(bus, space, "read", addr, size, 0);
        return 0;
    }
    const struct bus_region *r = bus_lookup(bus, space, addr, size);
    if (!r) {
        bus_log_nothing(bus, space, "read", addr, size, 0);
        return bus_size_mask(size);
    }
    if (!r->ops->read)
        return bus_size_mask(size);
    return r->ops->read(r->opaque, addr - r->base, size) & bus_size_mask(size);
}

void bus_write(struct bus *bus, enum bus_space space, uint64_t addr, uint64_t value,
               unsigned size)
{
    if (size == 0 || size > 8) {
        bus_log_nothing(bus, space, "write", addr, size, value);
        return;
    }
    value &= bus_size_mask(size);
    const struct bus_region *r = bus_lookup(bus, space, addr, size);
    if (!r) {
        bus_log_nothing(bus, space, "write", addr, size, value);
        return;
    }
    if (r->ops->write)
        r->ops->write(r->opaque, addr - r->base, value, size);
}
