/* Phase-marker port for benchmarks: the guest writes a marker id (outb/outw/
 * outl to port 0xe0); ferry records host CLOCK_MONOTONIC time per marker and
 * `--stats` prints them.  Reads return the number of markers recorded. */
#ifndef FERRY_DEVICES_TIMESTAMP_H
#define FERRY_DEVICES_TIMESTAMP_H

#include <stdint.h>
#include <stdio.h>

#include "devices/bus.h"

#define TIMESTAMP_BASE 0xe0
#define TIMESTAMP_LEN 4 /* 0xe0..0xe3 */
#define TIMESTAMP_MAX 1024

struct timestamp_mark {
    uint32_t id;
    uint64_t ns; /* CLOCK_MONOTONIC */
};

struct timestamp_dev {
    uint64_t start_ns; /* reference time (timestamp_init, or set by the engine) */
    struct timestamp_mark mark[TIMESTAMP_MAX];
    unsigned count;
    uint64_t dropped; /* markers beyond TIMESTAMP_MAX */
};

/* start_ns = now */
void timestamp_init(struct timestamp_dev *t);
uint64_t timestamp_now_ns(void);
void timestamp_record(struct timestamp_dev *t, uint32_t id);
extern const struct bus_ops timestamp_ops;
/* One line per marker: id, ms since start_ns, ms since the previous marker. */
void timestamp_print(const struct timestamp_dev *t, FILE *f);

#endif
