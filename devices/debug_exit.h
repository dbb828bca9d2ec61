/* QEMU isa-debug-exit convention: a write of v to port 0xf4 ends the run and
 * ferry exits with status (v << 1) | 1 (as the shell sees it: low 8 bits). */
#ifndef FERRY_DEVICES_DEBUG_EXIT_H
#define FERRY_DEVICES_DEBUG_EXIT_H

#include <stdint.h>

#include "devices/bus.h"
#include "devices/status.h"

#define DEBUG_EXIT_BASE 0xf4
#define DEBUG_EXIT_LEN 4 /* 0xf4..0xf7: outb/outw/outl at 0xf4 all work */

struct debug_exit {
    struct machine_status *status;
};

void debug_exit_init(struct debug_exit *d, struct machine_status *status);
/* (v << 1) | 1, truncated to 8 bits as a process exit status is. */
int debug_exit_status(uint64_t value);
/* Reads return all-ones; a write of any size stops the machine (EXITED). */
extern const struct bus_ops debug_exit_ops;

#endif
