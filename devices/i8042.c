/* Minimal i8042 keyboard controller: controller commands, keyboard command
 * acknowledgements (no keys are ever typed) and the CPU reset line. */
#include "devices/i8042.h"

#include <string.h>

#include "util/log.h"

/* Commands that take a data byte at port 0x60 (i8042.pending). */
enum {
    I8042_PEND_NONE = 0,
    I8042_PEND_CMD_BYTE = 0x60,  /* write command byte */
    I8042_PEND_OUT_PORT = 0xd1,  /* write output port */
    I8042_PEND_KBD_OBUF = 0xd2,  /* write keyboard output buffer */
    I8042_PEND_AUX_OBUF = 0xd3,  /* write aux output buffer */
    I8042_PEND_AUX = 0xd4,       /* write to the aux device */
};

void i8042_init(struct i8042 *k, struct machine_status *status)
{
    memset(k, 0, sizeof(*k));
    k->status = status;
    k->cmd_byte = 0x45; /* keyboard interrupt, system flag, translation */
    k->out_port = 0x03; /* reset line inactive, A20 enabled */
    k->status_reg = I8042_STR_SYS | I8042_STR_UNLOCKED;
}

static void i8042_push(struct i8042 *k, uint8_t v)
{
    if (k->q_count == I8042_QUEUE)
        return; /* controller output overflow: the byte is lost */
    k->queue[(k->q_head + k->q_count) % I8042_QUEUE] = v;
    k->q_count++;
}

static void i8042_reset_line(struct i8042 *k)
{
    machine_stop(k->status, MACHINE_reset, 0, 0);
}

static void i8042_command(struct i8042 *k, uint8_t cmd)
{
    switch (cmd) {
    case 0x20: i8042_push(k, k->cmd_byte); break;
    case 0xa7: k->cmd_byte |= 0x20; break;
    case 0xa8: k->cmd_byte &= (uint8_t)~0x20; break;
    case 0xa9: i8042_push(k, 0x00); break; /* aux interface test: ok */
    case 0xaa: /* controller self test */
        k->status_reg |= I8042_STR_SYS;
        i8042_push(k, 0x55);
        break;
    case 0xab: i8042_push(k, 0x00); break; /* keyboard interface test: ok */
    case 0xad: k->cmd_byte |= 0x10; break;
    case 0xae: k->cmd_byte &= (uint8_t)~0x10; break;
    case 0xc0: i8042_push(k, 0x80); break; /* input port: keyboard not inhibited */
    case 0xd0: i8042_push(k, k->out_port); break;
    case 0x60: case 0xd1: case 0xd2: case 0xd3: case 0xd4:
        k->pending = cmd;
        break;
    case 0xdd: k->out_port &= (uint8_t)~0x02; break; /* A20 off (recorded only) */
    case 0xdf: k->out_port |= 0x02; break;
    default:
        if (cmd >= 0xf0) {
            /* Pulse output-port lines whose bit is 0 in the low nibble:
             * bit 0 is the CPU reset line (0xFE is the classic reset). */
            if (!(cmd & 1))
                i8042_reset_line(k);
        } else if (log_enabled(LOG_guest_errors)) {
            fprintf(log_out(), "guest_errors: i8042: unknown controller command 0x%02x ignored\n",
                    cmd);
        }
        break;
    }
}

static void i8042_keyboard(struct i8042 *k, uint8_t cmd)
{
    switch (cmd) {
    case 0xff: i8042_push(k, 0xfa); i8042_push(k, 0xaa); break; /* reset: ack, BAT ok */
    case 0xee: i8042_push(k, 0xee); break;                      /* echo */
    case 0xf2: i8042_push(k, 0xfa); i8042_push(k, 0xab); i8042_push(k, 0x83); break;
    case 0xed: case 0xf0: case 0xf3: /* LEDs, scancode set, typematic: one argument */
        i8042_push(k, 0xfa);
        k->pending = 0;
        k->pending_kbd_arg = true;
        break;
    default: i8042_push(k, 0xfa); break;
    }
}

static void i8042_data(struct i8042 *k, uint8_t v)
{
    uint8_t pend = k->pending;
    k->pending = I8042_PEND_NONE;
    if (k->pending_kbd_arg) {
        k->pending_kbd_arg = false;
        i8042_push(k, 0xfa);
        return;
    }
    switch (pend) {
    case I8042_PEND_CMD_BYTE:
        k->cmd_byte = v;
        if (v & 0x04)
            k->status_reg |= I8042_STR_SYS;
        else
            k->status_reg &= (uint8_t)~I8042_STR_SYS;
        break;
    case I8042_PEND_OUT_PORT:
        k->out_port = v;
        if (!(v & 1))
            i8042_reset_line(k);
        break;
    case I8042_PEND_KBD_OBUF:
    case I8042_PEND_AUX_OBUF:
        i8042_push(k, v);
        break;
    case I8042_PEND_AUX:
        i8042_push(k, 0xfe); /* no mouse: resend */
        break;
    default:
        i8042_keyboard(k, v);
        break;
    }
}

uint8_t i8042_read(struct i8042 *k, unsigned port)
{
    if (port == I8042_CMD_PORT)
        return (uint8_t)(k->status_reg | (k->q_count ? I8042_STR_OBF : 0));
    if (k->q_count) {
        k->last = k->queue[k->q_head];
        k->q_head = (k->q_head + 1) % I8042_QUEUE;
        k->q_count--;
    }
    return k->last;
}

void i8042_write(struct i8042 *k, unsigned port, uint8_t value)
{
    if (port == I8042_CMD_PORT) {
        k->status_reg |= I8042_STR_CMD;
        k->pending = I8042_PEND_NONE;
        k->pending_kbd_arg = false;
        i8042_command(k, value);
    } else {
        k->status_reg &= (uint8_t)~I8042_STR_CMD;
        i8042_data(k, value);
    }
}

static uint64_t i8042_data_read(void *opaque, uint64_t offset, unsigned size)
{
    return i8042_read(opaque, I8042_DATA_PORT);
}

static void i8042_data_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    i8042_write(opaque, I8042_DATA_PORT, (uint8_t)value);
}

static uint64_t i8042_cmd_read(void *opaque, uint64_t offset, unsigned size)
{
    return i8042_read(opaque, I8042_CMD_PORT);
}

static void i8042_cmd_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    i8042_write(opaque, I8042_CMD_PORT, (uint8_t)value);
}

static const struct bus_ops i8042_data_ops = {.read = i8042_data_read, .write = i8042_data_write};
static const struct bus_ops i8042_cmd_ops = {.read = i8042_cmd_read, .write = i8042_cmd_write};

int i8042_register(struct i8042 *k, struct bus *bus)
{
    int r = bus_register(bus, BUS_PIO, I8042_DATA_PORT, 1, &i8042_data_ops, k, "i8042-data");
    if (r == 0)
        r = bus_register(bus, BUS_PIO, I8042_CMD_PORT, 1, &i8042_cmd_ops, k, "i8042-cmd");
    return r;
}
