/* Phase-marker port: host CLOCK_MONOTONIC time per guest marker. */
#include "devices/timestamp.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

uint64_t timestamp_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void timestamp_init(struct timestamp_dev *t)
{
    memset(t, 0, sizeof(*t));
    t->start_ns = timestamp_now_ns();
}

void timestamp_record(struct timestamp_dev *t, uint32_t id)
{
    uint64_t now = timestamp_now_ns();
    if (t->count == TIMESTAMP_MAX) {
        t->dropped++;
        return;
    }
    t->mark[t->count++] = (struct timestamp_mark){.id = id, .ns = now};
}

static uint64_t timestamp_read(void *opaque, uint64_t offset, unsigned size)
{
    const struct timestamp_dev *t = opaque;
    /* Byte lanes of the little-endian 32-bit count. */
    return (uint64_t)t->count >> (offset * 8);
}

static void timestamp_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    /* Only writes at the base record a marker (outb/outw/outl 0xe0). */
    if (offset == 0)
        timestamp_record(opaque, (uint32_t)value);
}

const struct bus_ops timestamp_ops = {
    .read = timestamp_read,
    .write = timestamp_write,
};

void timestamp_print(const struct timestamp_dev *t, FILE *f)
{
    if (t->count == 0) {
        fprintf(f, "phase markers: none\n");
        return;
    }
    fprintf(f, "phase markers (ms since start, ms since previous):\n");
    uint64_t prev = t->start_ns;
    for (unsigned i = 0; i < t->count; i++) {
        const struct timestamp_mark *m = &t->mark[i];
        fprintf(f, "  marker %-10" PRIu32 " %12.3f %12.3f\n", m->id,
                (double)(m->ns - t->start_ns) / 1e6, (double)(m->ns - prev) / 1e6);
        prev = m->ns;
    }
    if (t->dropped)
        fprintf(f, "  (%" PRIu64 " more markers dropped: at most %d are kept)\n", t->dropped,
                TIMESTAMP_MAX);
}
