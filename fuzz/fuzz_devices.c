/* Fuzz target: input bytes are a program of bus reads/writes to the pc
 * devices (COM1, i8042, timestamp, debug exit, unmapped ports and MMIO) and
 * host-side UART input.  Built for libFuzzer (FERRY_FUZZ=ON, clang) and as a
 * plain program run by ctest (fuzz_run.c).  Crashes and broken invariants abort. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/bus.h"
#include "devices/debug_exit.h"
#include "devices/i8042.h"
#include "devices/status.h"
#include "devices/timestamp.h"
#include "devices/uart16550.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_machine {
    struct bus bus;
    struct machine_status status;
    struct uart16550 com1;
    struct i8042 kbc;
    struct debug_exit dbg;
    struct timestamp_dev ts;
};

/* Ports worth hitting often; index chosen by the opcode's upper bits. */
static const uint16_t fuzz_ports[] = {
    0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe, 0x3ff,
    0x60, 0x64, 0xe0, 0xe1, 0xe3, 0xf4, 0xf7, 0x3f7,
    0x400, 0x61, 0x3fe, 0x3fd, 0x3f8, 0x3f8, 0x64, 0x60,
};

static void fuzz_check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_devices: invariant broken: %s\n", what);
        abort();
    }
}

static void fuzz_invariants(const struct fuzz_machine *m)
{
    const struct uart16550 *u = &m->com1;
    fuzz_check(u->rx_count <= ((u->fcr & UART_FCR_ENABLE) ? UART_FIFO_SIZE : 1), "uart rx count");
    fuzz_check(u->rx_head < UART_FIFO_SIZE, "uart rx head");
    fuzz_check(u->outlen < UART_OUTBUF_SIZE, "uart output buffer");
    fuzz_check(u->ier <= 0x0f && u->mcr <= 0x1f, "uart register masks");
    fuzz_check(m->kbc.q_count <= I8042_QUEUE && m->kbc.q_head < I8042_QUEUE, "i8042 queue");
    fuzz_check(m->ts.count <= TIMESTAMP_MAX, "timestamp count");
    fuzz_check(m->status.state < MACHINE_STATE_COUNT, "machine state");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fuzz_machine m;
    log_mask = 0;
    memset(&m, 0, sizeof m);
    bus_init(&m.bus);
    uart_init(&m.com1, -1);
    i8042_init(&m.kbc, &m.status);
    debug_exit_init(&m.dbg, &m.status);
    timestamp_init(&m.ts);
    if (bus_register(&m.bus, BUS_PIO, UART_COM1_BASE, UART_NREGS, &uart_ops, &m.com1, "com1") ||
        i8042_register(&m.kbc, &m.bus) ||
        bus_register(&m.bus, BUS_PIO, TIMESTAMP_BASE, TIMESTAMP_LEN, &timestamp_ops, &m.ts, "ts") ||
        bus_register(&m.bus, BUS_PIO, DEBUG_EXIT_BASE, DEBUG_EXIT_LEN, &debug_exit_ops, &m.dbg,
                     "debug-exit") ||
        bus_register(&m.bus, BUS_MMIO, 0x3f8000, UART_NREGS, &uart_ops, &m.com1, "com1-mmio"))
        abort();

    static const unsigned sizes[4] = {1, 2, 4, 8};
    size_t i = 0;
    while (i < size) {
        uint8_t op = data[i++];
        unsigned sz = sizes[(op >> 1) & 3];
        unsigned kind = op >> 3; /* 0..31 */
        enum bus_space space = BUS_PIO;
        uint64_t addr;
        if (kind < sizeof fuzz_ports / sizeof fuzz_ports[0]) {
            addr = fuzz_ports[kind];
        } else if (kind < 28) { /* raw port or MMIO address from the next 2 bytes */
            addr = 0;
            for (unsigned k = 0; k < 2 && i < size; k++)
                addr |= (uint64_t)data[i++] << (8 * k);
            if (kind >= 26) {
                space = BUS_MMIO;
                addr += 0x3f7ff0;
            }
        } else if (kind < 30) { /* host input to the UART */
            size_t n = i < size ? data[i++] % 24 : 0;
            if (n > size - i)
                n = size - i;
            size_t took = uart_feed(&m.com1, data + i, n);
            fuzz_check(took <= n, "uart_feed took more than offered");
            i += n;
            continue;
        } else { /* invalid access size */
            sz = (op & 1) ? 0 : 9 + (op & 6);
            addr = 0x3f8;
        }
        if (op & 1) {
            uint64_t v = 0;
            for (unsigned k = 0; k < sz && k < 8 && i < size; k++)
                v |= (uint64_t)data[i++] << (8 * k);
            bus_write(&m.bus, space, addr, v, sz);
        } else {
            uint64_t v = bus_read(&m.bus, space, addr, sz);
            fuzz_check(sz > 8 || sz == 0 || (v & ~bus_size_mask(sz)) == 0, "read wider than size");
        }
        fuzz_invariants(&m);
        m.status.state = MACHINE_running; /* keep going after exit/reset */
    }
    uart_destroy(&m.com1);
    bus_destroy(&m.bus);
    return 0;
}
