/* Minimal i8042 keyboard controller (ports 0x60 data, 0x64 status/command):
 * enough for guests that probe it, and the reset line: command 0xFE (any
 * 0xF0-0xFF pulse with bit 0 clear) or an output-port write with bit 0 clear
 * stops the machine as RESET (exit status 0, like qemu -no-reboot). */
#ifndef FERRY_DEVICES_I8042_H
#define FERRY_DEVICES_I8042_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/bus.h"
#include "devices/status.h"

#define I8042_DATA_PORT 0x60
#define I8042_CMD_PORT 0x64
#define I8042_QUEUE 8

enum {
    I8042_STR_OBF = 0x01,  /* output buffer full (data for the guest at 0x60) */
    I8042_STR_IBF = 0x02,  /* input buffer full (always 0: commands run at once) */
    I8042_STR_SYS = 0x04,  /* system flag (self test passed) */
    I8042_STR_CMD = 0x08,  /* last write was to 0x64 */
    I8042_STR_UNLOCKED = 0x10,
};

struct i8042 {
    struct machine_status *status;
    uint8_t cmd_byte;     /* controller configuration byte */
    uint8_t out_port;     /* bit 0 reset (1 = running), bit 1 A20 */
    uint8_t status_reg;   /* without OBF, computed from the queue */
    uint8_t pending;      /* command waiting for a data byte at 0x60 (0 = none) */
    bool pending_kbd_arg; /* keyboard command waiting for its argument byte */
    uint8_t queue[I8042_QUEUE];
    unsigned q_head, q_count;
    uint8_t last;         /* value 0x60 reads when the queue is empty */
};

void i8042_init(struct i8042 *k, struct machine_status *status);
/* Register both ports (0x60 and 0x64, one byte each). */
int i8042_register(struct i8042 *k, struct bus *bus);
uint8_t i8042_read(struct i8042 *k, unsigned port);
void i8042_write(struct i8042 *k, unsigned port, uint8_t value);

#endif
