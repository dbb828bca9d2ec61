/* Debug-exit port (QEMU isa-debug-exit convention, iobase 0xf4). */
#include "devices/debug_exit.h"

void debug_exit_init(struct debug_exit *d, struct machine_status *status)
{
    d->status = status;
}

int debug_exit_status(uint64_t value)
{
    return (int)(((value << 1) | 1) & 0xff);
}

static uint64_t debug_exit_read(void *opaque, uint64_t offset, unsigned size)
{
    return bus_size_mask(size);
}

static void debug_exit_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    struct debug_exit *d = opaque;
    machine_stop(d->status, MACHINE_exited, debug_exit_status(value), value);
}

const struct bus_ops debug_exit_ops = {
    .read = debug_exit_read,
    .write = debug_exit_write,
};
