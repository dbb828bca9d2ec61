/* 16550A register behaviour: DLAB, LSR, FIFO, loopback, IIR priorities, and
 * the host side (output fd, -serial specs, non-blocking input). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/bus.h"
#include "devices/uart16550.h"
#include "test_devices.h"

static struct uart16550 u;

static void setup(void)
{
    uart_init(&u, -1);
}

static void teardown(void)
{
    uart_destroy(&u);
}

START_TEST(uart_reset_values)
{
    static const struct { unsigned reg, dlab; uint8_t want; } t[] = {
#include "uart_reset.inc"
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        uart_write(&u, UART_LCR, t[i].dlab ? UART_LCR_DLAB : 0);
        uint8_t v = uart_read(&u, t[i].reg);
        if (t[i].reg == UART_LCR)
            continue; /* just written */
        ck_assert_msg(v == t[i].want, "reg %u dlab %u: 0x%02x, want 0x%02x", t[i].reg, t[i].dlab,
                      v, t[i].want);
    }
}
END_TEST

START_TEST(uart_dlab_selects_divisor_latch)
{
    uart_write(&u, UART_IER, 0x05);
    uart_write(&u, UART_LCR, 0x83); /* DLAB, 8N1 */
    uart_write(&u, UART_DLL, 0x01);
    uart_write(&u, UART_DLM, 0x02);
    ck_assert_uint_eq(uart_read(&u, UART_DLL), 0x01);
    ck_assert_uint_eq(uart_read(&u, UART_DLM), 0x02);
    ck_assert_uint_eq(u.tx_bytes, 0); /* the DLL write was not transmitted */
    uart_write(&u, UART_LCR, 0x03);
    ck_assert_uint_eq(uart_read(&u, UART_IER), 0x05); /* IER untouched by DLM */
    ck_assert_uint_eq(uart_read(&u, UART_LCR), 0x03);
    uart_write(&u, UART_THR, 'x');
    ck_assert_uint_eq(u.tx_bytes, 1);
    ck_assert_uint_eq(u.dll, 0x01);
}
END_TEST

START_TEST(uart_ier_and_mcr_masks)
{
    uart_write(&u, UART_IER, 0xff);
    ck_assert_uint_eq(uart_read(&u, UART_IER), 0x0f);
    uart_write(&u, UART_MCR, 0xff);
    ck_assert_uint_eq(uart_read(&u, UART_MCR), 0x1f);
    uart_write(&u, UART_SCR, 0xa5);
    ck_assert_uint_eq(uart_read(&u, UART_SCR), 0xa5);
}
END_TEST

START_TEST(uart_lsr_after_write_and_read)
{
    uart_write(&u, UART_THR, 'a');
    ck_assert_uint_eq(uart_read(&u, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
    const uint8_t in = 'q';
    ck_assert_uint_eq(uart_feed(&u, &in, 1), 1);
    ck_assert_uint_eq(uart_read(&u, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT | UART_LSR_DR);
    ck_assert_uint_eq(uart_read(&u, UART_RBR), 'q');
    ck_assert_uint_eq(uart_read(&u, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
    ck_assert_uint_eq(uart_read(&u, UART_RBR), 'q'); /* empty: the last character again */
}
END_TEST

START_TEST(uart_fifo_keeps_order)
{
    uart_write(&u, UART_FCR, UART_FCR_ENABLE);
    uint8_t in[20];
    for (unsigned i = 0; i < 20; i++)
        in[i] = (uint8_t)('A' + i);
    ck_assert_uint_eq(uart_feed(&u, in, 20), UART_FIFO_SIZE); /* only the room is taken */
    ck_assert_uint_eq(uart_feed(&u, in, 1), 0);
    for (unsigned i = 0; i < UART_FIFO_SIZE; i++) {
        ck_assert(uart_read(&u, UART_LSR) & UART_LSR_DR);
        ck_assert_uint_eq(uart_read(&u, UART_RBR), 'A' + i);
    }
    ck_assert(!(uart_read(&u, UART_LSR) & UART_LSR_DR));
    ck_assert(!(uart_read(&u, UART_LSR) & UART_LSR_OE)); /* feed never overruns */
}
END_TEST

START_TEST(uart_without_fifo_holds_one_byte)
{
    const uint8_t in[2] = {'1', '2'};
    ck_assert_uint_eq(uart_feed(&u, in, 2), 1);
    ck_assert_uint_eq(uart_read(&u, UART_RBR), '1');
    ck_assert_uint_eq(uart_feed(&u, in + 1, 1), 1);
    ck_assert_uint_eq(uart_read(&u, UART_RBR), '2');
}
END_TEST

START_TEST(uart_fcr_clears_rx_and_mode_switch_clears)
{
    uart_write(&u, UART_FCR, UART_FCR_ENABLE);
    const uint8_t in[3] = {1, 2, 3};
    uart_feed(&u, in, 3);
    uart_write(&u, UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RX);
    ck_assert(!(uart_read(&u, UART_LSR) & UART_LSR_DR));
    ck_assert_uint_eq(uart_read(&u, UART_IIR) & UART_IIR_FIFO, UART_IIR_FIFO); /* still on */
    uart_feed(&u, in, 3);
    uart_write(&u, UART_FCR, 0); /* FIFOs off: cleared */
    ck_assert(!(uart_read(&u, UART_LSR) & UART_LSR_DR));
    ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_NO_INT);
}
END_TEST

START_TEST(uart_loopback_echoes_and_mirrors_modem_lines)
{
    uart_write(&u, UART_MCR, UART_MCR_LOOP);
    ck_assert_uint_eq(uart_read(&u, UART_MSR) & 0xf0, 0); /* outputs low: inputs low */
    uart_write(&u, UART_THR, 0x5a);
    ck_assert(uart_read(&u, UART_LSR) & UART_LSR_DR);
    ck_assert_uint_eq(uart_read(&u, UART_RBR), 0x5a);
    const uint8_t in = 'z';
    ck_assert_uint_eq(uart_feed(&u, &in, 1), 0); /* line input disconnected */
    uart_write(&u, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_DTR | UART_MCR_OUT1 |
                                 UART_MCR_OUT2);
    uint8_t msr = uart_read(&u, UART_MSR);
    ck_assert_uint_eq(msr & 0xf0, UART_MSR_CTS | UART_MSR_DSR | UART_MSR_RI | UART_MSR_DCD);
    ck_assert_uint_eq(msr & 0x0f, UART_MSR_DCTS | UART_MSR_DDSR | UART_MSR_DDCD);
    ck_assert_uint_eq(uart_read(&u, UART_MSR) & 0x0f, 0); /* deltas cleared by the read */
    uart_write(&u, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_DTR | UART_MCR_OUT2);
    ck_assert_uint_eq(uart_read(&u, UART_MSR) & 0x0f, UART_MSR_TERI); /* RI fell */
}
END_TEST

START_TEST(uart_loopback_overrun_sets_oe)
{
    uart_write(&u, UART_MCR, UART_MCR_LOOP);
    uart_write(&u, UART_THR, 1);
    uart_write(&u, UART_THR, 2); /* 16450 mode: overwrites */
    uint8_t lsr = uart_read(&u, UART_LSR);
    ck_assert(lsr & UART_LSR_OE);
    ck_assert(!(uart_read(&u, UART_LSR) & UART_LSR_OE)); /* cleared by reading LSR */
    ck_assert_uint_eq(uart_read(&u, UART_RBR), 2);
    uart_write(&u, UART_FCR, UART_FCR_ENABLE);
    for (unsigned i = 0; i < UART_FIFO_SIZE + 1; i++)
        uart_write(&u, UART_THR, (uint8_t)i);
    ck_assert(uart_read(&u, UART_LSR) & UART_LSR_OE);
    for (unsigned i = 0; i < UART_FIFO_SIZE; i++)
        ck_assert_uint_eq(uart_read(&u, UART_RBR), i); /* FIFO mode: the extra byte is lost */
}
END_TEST

START_TEST(uart_iir_thre_interrupt)
{
    ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_NO_INT);
    uart_write(&u, UART_IER, UART_IER_THRI);
    ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_THRI);
    ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_NO_INT); /* cleared by reading IIR */
    uart_write(&u, UART_THR, 'x');
    ck_assert_uint_eq(uart_iir_peek(&u), UART_IIR_THRI); /* empty again after sending */
    uart_write(&u, UART_FCR, UART_FCR_ENABLE);
    ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_THRI | UART_IIR_FIFO);
}
END_TEST

START_TEST(uart_iir_rx_trigger_and_timeout)
{
    uart_write(&u, UART_FCR, UART_FCR_ENABLE | 0x40); /* trigger at 4 */
    uart_write(&u, UART_IER, UART_IER_RDI);
    const uint8_t in[4] = {1, 2, 3, 4};
    uart_feed(&u, in, 2);
    ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_CTI | UART_IIR_FIFO);
    uart_feed(&u, in + 2, 2);
    ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_RDI | UART_IIR_FIFO);
    for (unsigned i = 0; i < 4; i++)
        uart_read(&u, UART_RBR);
    ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_NO_INT | UART_IIR_FIFO);
}
END_TEST

START_TEST(uart_iir_priorities)
{
    uart_write(&u, UART_IER, 0x0f);
    uart_write(&u, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS); /* MSR delta pending */
    ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_THRI); /* THRI above MSI */
    ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_MSI);
    uart_write(&u, UART_THR, 1);
    uart_write(&u, UART_THR, 2); /* overrun: line status */
    ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_RLSI);
    uart_read(&u, UART_LSR);
    ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_RDI); /* data above THRE */
    uart_read(&u, UART_RBR);
    ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_THRI);
    uart_read(&u, UART_MSR);
    ck_assert_uint_eq(uart_read(&u, UART_IIR), UART_IIR_NO_INT);
}
END_TEST

struct irq_rec {
    unsigned calls, irq;
    bool level;
};

static void rec_irq(void *opaque, unsigned irq, bool level)
{
    struct irq_rec *r = opaque;
    r->calls++;
    r->irq = irq;
    r->level = level;
}

START_TEST(uart_irq_line_gated_by_out2)
{
    struct irq_rec r = {0};
    u.set_irq = rec_irq;
    u.irq_opaque = &r;
    uart_write(&u, UART_IER, UART_IER_THRI);
    ck_assert_uint_eq(r.calls, 0); /* OUT2 low: the line stays low */
    uart_write(&u, UART_MCR, UART_MCR_OUT2);
    ck_assert_uint_eq(r.calls, 1);
    ck_assert_uint_eq(r.irq, UART_COM1_IRQ);
    ck_assert(r.level);
    uart_read(&u, UART_IIR);
    ck_assert(!r.level);
}
END_TEST

START_TEST(uart_bus_wide_access_splits)
{
    struct bus bus;
    bus_init(&bus);
    ck_assert_int_eq(bus_register(&bus, BUS_PIO, UART_COM1_BASE, UART_NREGS, &uart_ops, &u, "com1"), 0);
    bus_write(&bus, BUS_PIO, UART_COM1_BASE + UART_LCR, 0x0383, 2); /* LCR=0x83, MCR=0x03 */
    ck_assert_uint_eq(u.lcr, 0x83);
    ck_assert_uint_eq(u.mcr, 0x03);
    bus_write(&bus, BUS_PIO, UART_COM1_BASE + UART_SCR, 0x77, 1);
    ck_assert_uint_eq(bus_read(&bus, BUS_PIO, UART_COM1_BASE + UART_SCR, 1), 0x77);
    bus_destroy(&bus);
}
END_TEST

TCase *test_uart_tcase(void)
{
    TCase *tc = tcase_create("uart");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, uart_reset_values);
    tcase_add_test(tc, uart_dlab_selects_divisor_latch);
    tcase_add_test(tc, uart_ier_and_mcr_masks);
    tcase_add_test(tc, uart_lsr_after_write_and_read);
    tcase_add_test(tc, uart_fifo_keeps_order);
    tcase_add_test(tc, uart_without_fifo_holds_one_byte);
    tcase_add_test(tc, uart_fcr_clears_rx_and_mode_switch_clears);
    tcase_add_test(tc, uart_loopback_echoes_and_mirrors_modem_lines);
    tcase_add_test(tc, uart_loopback_overrun_sets_oe);
    tcase_add_test(tc, uart_iir_thre_interrupt);
    tcase_add_test(tc, uart_iir_rx_trigger_and_timeout);
    tcase_add_test(tc, uart_iir_priorities);
    tcase_add_test(tc, uart_irq_line_gated_by_out2);
    tcase_add_test(tc, uart_bus_wide_access_splits);
    return tc;
}

/* ---- host side ------------------------------------------------------- */

static size_t read_all(int fd, char *buf, size_t max)
{
    size_t n = 0;
    ssize_t r;
    while (n < max && (r = read(fd, buf + n, max - n)) > 0)
        n += (size_t)r;
    return n;
}

START_TEST(uart_output_buffered_until_newline)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    uart_init(&u, p[1]);
    uart_write(&u, UART_THR, 'h');
    uart_write(&u, UART_THR, 'i');
    char buf[16];
    ck_assert_int_eq(read(p[0], buf, sizeof buf), -1); /* nothing yet */
    uart_write(&u, UART_THR, '\n');
    ck_assert_uint_eq(read_all(p[0], buf, sizeof buf), 3);
    ck_assert(memcmp(buf, "hi\n", 3) == 0);
    uart_write(&u, UART_THR, '>');
    uart_flush(&u);
    ck_assert_uint_eq(read_all(p[0], buf, sizeof buf), 1);
    close(p[0]);
    close(p[1]);
}
END_TEST

START_TEST(uart_output_flushed_when_polling_for_input)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    uart_init(&u, p[1]);
    uart_write(&u, UART_THR, '$');
    uart_read(&u, UART_LSR);
    char buf[4];
    ck_assert_int_eq(read(p[0], buf, sizeof buf), -1); /* a putc's THRE check: no flush */
    uart_read(&u, UART_LSR);                           /* second poll: waiting for input */
    ck_assert_int_eq(read(p[0], buf, sizeof buf), 1);
    close(p[0]);
    close(p[1]);
}
END_TEST

START_TEST(uart_serial_file_backend)
{
    char path[] = "/tmp/ferry-uart-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char spec[64], err[256];
    snprintf(spec, sizeof spec, "file:%s", path);
    ck_assert_int_eq(uart_set_backend(&u, spec, err, sizeof err), 0);
    const char *msg = "serial ok";
    for (const char *c = msg; *c; c++)
        uart_write(&u, UART_THR, (uint8_t)*c);
    uart_destroy(&u);
    fd = open(path, O_RDONLY);
    char buf[32] = {0};
    ck_assert_uint_eq(read_all(fd, buf, sizeof buf - 1), strlen(msg));
    ck_assert_str_eq(buf, msg);
    close(fd);
    unlink(path);
}
END_TEST

START_TEST(uart_serial_bad_specs)
{
    char err[256];
    ck_assert_int_eq(uart_set_backend(&u, "tcp:1234", err, sizeof err), -EINVAL);
    ck_assert_msg(strstr(err, "stdio, file:PATH or none"), "%s", err);
    ck_assert_int_eq(uart_set_backend(&u, "file:", err, sizeof err), -EINVAL);
    ck_assert_int_eq(uart_set_backend(&u, "file:/nonexistent-dir/x", err, sizeof err), -ENOENT);
    ck_assert_msg(strstr(err, "/nonexistent-dir/x"), "%s", err);
    ck_assert_int_eq(uart_set_backend(&u, "none", err, sizeof err), 0);
    ck_assert_int_eq(u.out_fd, -1);
    uart_write(&u, UART_THR, 'x'); /* discarded, counted */
    ck_assert_uint_eq(u.tx_bytes, 1);
}
END_TEST

START_TEST(uart_input_polled_without_blocking)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    uart_set_input_fd(&u, p[0]);
    ck_assert(!(uart_read(&u, UART_LSR) & UART_LSR_DR)); /* empty pipe: no wait */
    ck_assert_int_eq(write(p[1], "ok", 2), 2);
    ck_assert(uart_read(&u, UART_LSR) & UART_LSR_DR);
    ck_assert_uint_eq(uart_read(&u, UART_RBR), 'o'); /* 16450 mode: one byte at a time */
    ck_assert_uint_eq(uart_read(&u, UART_RBR), 'k');
    close(p[1]);
    ck_assert_int_eq(uart_poll_input(&u), -1); /* EOF seen */
    ck_assert(u.in_eof);
    ck_assert(!(uart_read(&u, UART_LSR) & UART_LSR_DR));
    close(p[0]);
}
END_TEST

TCase *test_uart_host_tcase(void)
{
    TCase *tc = tcase_create("uart_host");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, uart_output_buffered_until_newline);
    tcase_add_test(tc, uart_output_flushed_when_polling_for_input);
    tcase_add_test(tc, uart_serial_file_backend);
    tcase_add_test(tc, uart_serial_bad_specs);
    tcase_add_test(tc, uart_input_polled_without_blocking);
    return tc;
}
