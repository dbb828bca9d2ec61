/* 16550A UART model.  Transmission is instantaneous (THRE and TEMT always
 * set); the receive FIFO is filled from the host through uart_feed or by
 * polling an input fd without blocking.  No timers: a FIFO holding fewer bytes
 * than the trigger level reports the character-timeout interrupt at once. */
#include "devices/uart16550.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const uint8_t uart_trigger_levels[4] = {1, 4, 8, 14};

static bool uart_fifo_on(const struct uart16550 *u)
{
    return u->fcr & UART_FCR_ENABLE;
}

static unsigned uart_rx_capacity(const struct uart16550 *u)
{
    return uart_fifo_on(u) ? UART_FIFO_SIZE : 1;
}

/* Modem status inputs: wired to MCR in loopback, else a connected terminal
 * (CTS, DSR, DCD asserted).  Sets the delta bits for changed inputs. */
static void uart_update_msr(struct uart16550 *u)
{
    uint8_t in;
    if (u->mcr & UART_MCR_LOOP) {
        in = 0;
        if (u->mcr & UART_MCR_RTS) in |= UART_MSR_CTS;
        if (u->mcr & UART_MCR_DTR) in |= UART_MSR_DSR;
        if (u->mcr & UART_MCR_OUT1) in |= UART_MSR_RI;
        if (u->mcr & UART_MCR_OUT2) in |= UART_MSR_DCD;
    } else {
        in = UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD;
    }
    uint8_t old = u->msr & 0xf0, chg = old ^ in;
    uint8_t delta = u->msr & 0x0f;
    if (chg & UART_MSR_CTS) delta |= UART_MSR_DCTS;
    if (chg & UART_MSR_DSR) delta |= UART_MSR_DDSR;
    if ((old & UART_MSR_RI) && !(in & UART_MSR_RI)) delta |= UART_MSR_TERI;
    if (chg & UART_MSR_DCD) delta |= UART_MSR_DDCD;
    u->msr = in | delta;
}

uint8_t uart_iir_peek(const struct uart16550 *u)
{
    uint8_t id = UART_IIR_NO_INT;
    if ((u->ier & UART_IER_RLSI) && (u->lsr & (UART_LSR_OE | UART_LSR_PE | UART_LSR_FE | UART_LSR_BI)))
        id = UART_IIR_RLSI;
    else if ((u->ier & UART_IER_RDI) && u->rx_count > 0)
        id = (uart_fifo_on(u) && u->rx_count < uart_trigger_levels[u->fcr >> 6]) ? UART_IIR_CTI
                                                                                  : UART_IIR_RDI;
    else if ((u->ier & UART_IER_THRI) && u->thr_ipending)
        id = UART_IIR_THRI;
    else if ((u->ier & UART_IER_MSI) && (u->msr & 0x0f))
        id = UART_IIR_MSI;
    return (uint8_t)(id | (uart_fifo_on(u) ? UART_IIR_FIFO : 0));
}

static void uart_update_irq(struct uart16550 *u)
{
    bool level = !(uart_iir_peek(u) & UART_IIR_NO_INT) && (u->mcr & UART_MCR_OUT2) &&
                 !(u->mcr & UART_MCR_LOOP);
    if (level != u->irq_level) {
        u->irq_level = level;
        if (u->set_irq)
            u->set_irq(u->irq_opaque, u->irq, level);
    }
}

void uart_init(struct uart16550 *u, int out_fd)
{
    memset(u, 0, sizeof(*u));
    u->irq = UART_COM1_IRQ;
    u->dll = 12; /* 9600 baud; the divisor has no effect on the model */
    u->out_fd = out_fd;
    u->in_fd = -1;
    uart_update_msr(u);
    u->msr &= 0xf0; /* no deltas at power-on */
}

void uart_flush(struct uart16550 *u)
{
    size_t done = 0;
    while (done < u->outlen && !u->out_failed) {
        ssize_t w = write(u->out_fd, u->outbuf + done, u->outlen - done);
        if (w > 0) {
            done += (size_t)w;
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd p = {.fd = u->out_fd, .events = POLLOUT};
            poll(&p, 1, -1);
        } else {
            fprintf(stderr, "ferry: serial output: write failed: %s; further output dropped\n",
                    w < 0 ? strerror(errno) : "no progress");
            u->out_failed = true;
        }
    }
    u->outlen = 0;
}

void uart_destroy(struct uart16550 *u)
{
    if (u->out_fd >= 0)
        uart_flush(u);
    if (u->out_owned && u->out_fd >= 0)
        close(u->out_fd);
    u->out_fd = -1;
    u->out_owned = false;
}

void uart_set_input_fd(struct uart16550 *u, int fd)
{
    u->in_fd = fd;
    u->in_eof = false;
}

int uart_set_backend(struct uart16550 *u, const char *spec, char *err, size_t errlen)
{
    if (spec == NULL || strcmp(spec, "stdio") == 0) {
        uart_destroy(u);
        u->out_fd = STDOUT_FILENO;
        uart_set_input_fd(u, STDIN_FILENO);
        return 0;
    }
    if (strcmp(spec, "none") == 0) {
        uart_destroy(u);
        uart_set_input_fd(u, -1);
        return 0;
    }
    if (strncmp(spec, "file:", 5) == 0) {
        const char *path = spec + 5;
        if (*path == '\0') {
            snprintf(err, errlen, "-serial file: needs a path (file:PATH)");
            return -EINVAL;
        }
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
            int e = errno;
            snprintf(err, errlen, "-serial %s: cannot open '%s' for writing: %s", spec, path,
                     strerror(e));
            return -e;
        }
        uart_destroy(u);
        u->out_fd = fd;
        u->out_owned = true;
        u->out_failed = false;
        uart_set_input_fd(u, -1);
        return 0;
    }
    snprintf(err, errlen, "unknown -serial '%s' (use stdio, file:PATH or none)", spec);
    return -EINVAL;
}

static void uart_output(struct uart16550 *u, uint8_t b)
{
    u->tx_bytes++;
    if (u->out_fd < 0 || u->out_failed)
        return;
    u->outbuf[u->outlen++] = b;
    if (b == '\n' || u->outlen == UART_OUTBUF_SIZE)
        uart_flush(u);
}

/* One character arrives at the receiver (line or loopback). */
static void uart_receive(struct uart16550 *u, uint8_t b)
{
    if (u->rx_count == uart_rx_capacity(u)) {
        u->lsr |= UART_LSR_OE;
        if (!uart_fifo_on(u)) /* 16450 mode: the new character overwrites */
            u->rx[u->rx_head] = b;
        return;
    }
    u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = b;
    u->rx_count++;
    u->rx_bytes++;
}

size_t uart_feed(struct uart16550 *u, const uint8_t *bytes, size_t n)
{
    if (u->mcr & UART_MCR_LOOP)
        return 0;
    size_t room = uart_rx_capacity(u) - u->rx_count;
    size_t take = n < room ? n : room;
    for (size_t i = 0; i < take; i++)
        uart_receive(u, bytes[i]);
    uart_update_irq(u);
    return take;
}

int uart_poll_input(struct uart16550 *u)
{
    if (u->in_fd < 0 || u->in_eof)
        return u->in_eof ? -1 : 0;
    if (u->mcr & UART_MCR_LOOP)
        return 0;
    size_t room = uart_rx_capacity(u) - u->rx_count;
    if (room == 0)
        return 0;
    struct pollfd p = {.fd = u->in_fd, .events = POLLIN};
    if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR)))
        return 0;
    uint8_t buf[UART_FIFO_SIZE];
    ssize_t r = read(u->in_fd, buf, room);
    if (r > 0)
        return (int)uart_feed(u, buf, (size_t)r);
    if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
        return 0;
    u->in_eof = true;
    return -1;
}

static uint8_t uart_rx_pop(struct uart16550 *u)
{
    if (u->rx_count == 0)
        uart_poll_input(u);
    if (u->rx_count == 0)
        return u->rbr_last;
    u->rbr_last = u->rx[u->rx_head];
    u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
    u->rx_count--;
    return u->rbr_last;
}

uint8_t uart_read(struct uart16550 *u, unsigned reg)
{
    uint8_t v = 0;
    bool dlab = u->lcr & UART_LCR_DLAB;
    switch (reg & 7) {
    case UART_RBR:
        if (dlab) {
            v = u->dll;
        } else {
            uart_flush(u); /* the guest waits for input: show its prompt */
            v = uart_rx_pop(u);
        }
        break;
    case UART_IER:
        v = dlab ? u->dlm : u->ier;
        break;
    case UART_IIR:
        v = uart_iir_peek(u);
        if ((v & 0x0f) == UART_IIR_THRI)
            u->thr_ipending = false;
        break;
    case UART_LCR:
        v = u->lcr;
        break;
    case UART_MCR:
        v = u->mcr;
        break;
    case UART_LSR:
        if (u->rx_count == 0) {
            /* Two LSR reads with no transmit in between: the guest polls for
             * input rather than for THRE, so flush what it printed. */
            if (u->lsr_polls++ > 0)
                uart_flush(u);
            uart_poll_input(u);
        }
        v = (uint8_t)(u->lsr | UART_LSR_THRE | UART_LSR_TEMT | (u->rx_count ? UART_LSR_DR : 0));
        u->lsr &= (uint8_t)~(UART_LSR_OE | UART_LSR_PE | UART_LSR_FE | UART_LSR_BI);
        break;
    case UART_MSR:
        v = u->msr;
        u->msr &= 0xf0;
        break;
    case UART_SCR:
        v = u->scr;
        break;
    }
    uart_update_irq(u);
    return v;
}

static void uart_write_fcr(struct uart16550 *u, uint8_t v)
{
    if ((v ^ u->fcr) & UART_FCR_ENABLE) {
        u->rx_count = 0; /* switching FIFO mode clears both FIFOs */
        u->rx_head = 0;
    }
    if (!(v & UART_FCR_ENABLE)) {
        u->fcr = 0; /* other bits are only programmed with bit 0 set */
        return;
    }
    if (v & UART_FCR_CLEAR_RX) {
        u->rx_count = 0;
        u->rx_head = 0;
    }
    /* UART_FCR_CLEAR_TX: the transmitter is always empty. */
    u->fcr = v & (UART_FCR_ENABLE | UART_FCR_DMA | UART_FCR_TRIGGER);
}

void uart_write(struct uart16550 *u, unsigned reg, uint8_t value)
{
    bool dlab = u->lcr & UART_LCR_DLAB;
    switch (reg & 7) {
    case UART_THR:
        if (dlab) {
            u->dll = value;
            break;
        }
        u->lsr_polls = 0;
        if (u->mcr & UART_MCR_LOOP) {
            u->tx_bytes++;
            uart_receive(u, value);
        } else {
            uart_output(u, value);
        }
        u->thr_ipending = true; /* sent at once: THR empty again */
        break;
    case UART_IER:
        if (dlab) {
            u->dlm = value;
            break;
        }
        if ((value & UART_IER_THRI) && !(u->ier & UART_IER_THRI))
            u->thr_ipending = true; /* enabling THRI with THR empty interrupts */
        u->ier = value & 0x0f;
        break;
    case UART_FCR:
        uart_write_fcr(u, value);
        break;
    case UART_LCR:
        u->lcr = value;
        break;
    case UART_MCR:
        u->mcr = value & 0x1f;
        uart_update_msr(u);
        break;
    case UART_LSR:
    case UART_MSR:
        break; /* read-only (factory test writes are ignored) */
    case UART_SCR:
        u->scr = value;
        break;
    }
    uart_update_irq(u);
}

/* Wider accesses are split into byte accesses to consecutive registers. */
static uint64_t uart_bus_read(void *opaque, uint64_t offset, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)uart_read(opaque, (unsigned)(offset + i)) << (8 * i);
    return v;
}

static void uart_bus_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    for (unsigned i = 0; i < size; i++)
        uart_write(opaque, (unsigned)(offset + i), (uint8_t)(value >> (8 * i)));
}

const struct bus_ops uart_ops = {
    .read = uart_bus_read,
    .write = uart_bus_write,
};
