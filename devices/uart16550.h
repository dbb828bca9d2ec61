/* 16550A UART (COM1 at 0x3f8 on the pc machine): every register incl. the
 * DLAB divisor latch, 16-byte FIFOs, IIR priorities, loopback.  Output goes to
 * a host fd (buffered, flushed at '\n', when full, and by uart_flush); input
 * is fed into the receive FIFO without ever blocking the vCPU. */
#ifndef FERRY_DEVICES_UART16550_H
#define FERRY_DEVICES_UART16550_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/bus.h"

#define UART_COM1_BASE 0x3f8
#define UART_COM1_IRQ 4
#define UART_NREGS 8
#define UART_FIFO_SIZE 16
#define UART_OUTBUF_SIZE 4096

/* Register offsets (DLAB = LCR bit 7). */
enum uart_reg {
    UART_RBR = 0, /* read, DLAB=0: receive buffer */
    UART_THR = 0, /* write, DLAB=0: transmit holding */
    UART_DLL = 0, /* DLAB=1: divisor latch low */
    UART_IER = 1, /* DLAB=0: interrupt enable */
    UART_DLM = 1, /* DLAB=1: divisor latch high */
    UART_IIR = 2, /* read: interrupt identification */
    UART_FCR = 2, /* write: FIFO control */
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
    UART_MSR = 6,
    UART_SCR = 7,
};

enum {
    UART_IER_RDI = 0x01, UART_IER_THRI = 0x02, UART_IER_RLSI = 0x04, UART_IER_MSI = 0x08,

    UART_IIR_NO_INT = 0x01, UART_IIR_MSI = 0x00, UART_IIR_THRI = 0x02, UART_IIR_RDI = 0x04,
    UART_IIR_RLSI = 0x06, UART_IIR_CTI = 0x0c, UART_IIR_FIFO = 0xc0,

    UART_FCR_ENABLE = 0x01, UART_FCR_CLEAR_RX = 0x02, UART_FCR_CLEAR_TX = 0x04,
    UART_FCR_DMA = 0x08, UART_FCR_TRIGGER = 0xc0,

    UART_LCR_DLAB = 0x80,

    UART_MCR_DTR = 0x01, UART_MCR_RTS = 0x02, UART_MCR_OUT1 = 0x04, UART_MCR_OUT2 = 0x08,
    UART_MCR_LOOP = 0x10,

    UART_LSR_DR = 0x01, UART_LSR_OE = 0x02, UART_LSR_PE = 0x04, UART_LSR_FE = 0x08,
    UART_LSR_BI = 0x10, UART_LSR_THRE = 0x20, UART_LSR_TEMT = 0x40, UART_LSR_FIFOE = 0x80,

    UART_MSR_DCTS = 0x01, UART_MSR_DDSR = 0x02, UART_MSR_TERI = 0x04, UART_MSR_DDCD = 0x08,
    UART_MSR_CTS = 0x10, UART_MSR_DSR = 0x20, UART_MSR_RI = 0x40, UART_MSR_DCD = 0x80,
};

struct uart16550 {
    /* registers */
    uint8_t ier, lcr, mcr, lsr, msr, scr, dll, dlm;
    uint8_t fcr;          /* last FCR value (enable + trigger bits) */
    bool thr_ipending;    /* THR-empty interrupt latched (cleared by IIR read / THR write) */
    uint8_t rbr_last;     /* value RBR reads when the receiver is empty */
    unsigned lsr_polls;   /* LSR reads with an empty receiver since the last THR write */
    /* receive FIFO (1 deep when FIFOs are disabled) */
    uint8_t rx[UART_FIFO_SIZE];
    unsigned rx_head, rx_count;
    /* interrupt line (IRQ 4 on COM1): level = an enabled interrupt is pending
     * and MCR.OUT2 is set (as on a PC) and not in loopback */
    unsigned irq;
    bool irq_level;
    void (*set_irq)(void *opaque, unsigned irq, bool level); /* may be NULL */
    void *irq_opaque;
    /* host side */
    int out_fd;           /* -1: output discarded */
    bool out_owned;       /* close out_fd in uart_destroy */
    bool out_failed;      /* a write failed; further output discarded */
    uint8_t outbuf[UART_OUTBUF_SIZE];
    size_t outlen;
    int in_fd;            /* -1: no input; polled non-blockingly when the guest reads */
    bool in_eof;
    uint64_t tx_bytes, rx_bytes; /* statistics */
};

/* Reset state; output to out_fd (-1 = none; not owned), no input. */
void uart_init(struct uart16550 *u, int out_fd);
/* Flush and close an owned output fd. */
void uart_destroy(struct uart16550 *u);

/* Configure the host side from a -serial spec: "stdio" (output to fd 1, input
 * from fd 0), "file:PATH" (output to PATH, created/truncated; no input) or
 * "none".  Returns 0 or -errno with a message in err. */
int uart_set_backend(struct uart16550 *u, const char *spec, char *err, size_t errlen);
void uart_set_input_fd(struct uart16550 *u, int fd);

/* Bus callbacks; register with bus_register(bus, BUS_PIO, UART_COM1_BASE,
 * UART_NREGS, &uart_ops, u, "com1"). */
extern const struct bus_ops uart_ops;
uint8_t uart_read(struct uart16550 *u, unsigned reg);
void uart_write(struct uart16550 *u, unsigned reg, uint8_t value);

/* Receive bytes from the line (host input).  Accepts at most the free room
 * of the receive FIFO and returns how many bytes it took (0 in loopback mode,
 * where the line input is disconnected); the caller keeps the rest. */
size_t uart_feed(struct uart16550 *u, const uint8_t *bytes, size_t n);
/* Non-blocking: if the FIFO has room and in_fd has data, read it in.
 * Returns bytes taken, 0 if nothing was ready, -1 once at EOF/error
 * (input polling then stops).  The UART calls this itself when the guest
 * reads LSR or RBR with an empty FIFO; engines may call it from their loop. */
int uart_poll_input(struct uart16550 *u);

/* Write buffered output to the host fd. */
void uart_flush(struct uart16550 *u);

/* IIR value as the guest would read it, without side effects. */
uint8_t uart_iir_peek(const struct uart16550 *u);

#endif
