/* Guest kit: COM1 console (16550A) and a small printf.
 * Output is line-buffered and sent 16 bytes (one FIFO load) per `rep outsb`,
 * so a line costs a few VM exits rather than two per character. */
#include "kit.h"

#define UART_THR 0
#define UART_RBR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR 0x01
#define LSR_THRE 0x20

static char out_buf[16];
static unsigned out_len;
static int serial_ready;

/* Programmed on first use, so a silent guest makes no UART exits. */
static void serial_init(void)
{
    serial_ready = 1;
    outb(KIT_COM1 + UART_IER, 0x00);
    outb(KIT_COM1 + UART_LCR, 0x80); /* DLAB: divisor 1 = 115200 baud */
    outb(KIT_COM1 + 0, 0x01);
    outb(KIT_COM1 + 1, 0x00);
    outb(KIT_COM1 + UART_LCR, 0x03); /* 8N1 */
    outb(KIT_COM1 + UART_FCR, 0xc7); /* FIFOs on, cleared, 14-byte trigger */
    outb(KIT_COM1 + UART_MCR, 0x03); /* DTR, RTS */
}

void kit_flush(void)
{
    if (!out_len)
        return;
    if (!serial_ready)
        serial_init();
    /* Wait until the transmitter can take a whole FIFO load.  A missing UART
     * reads all-ones, so this never hangs. */
    while (!(inb(KIT_COM1 + UART_LSR) & LSR_THRE))
        __asm__ volatile("pause");
    const char *p = out_buf;
    unsigned long n = out_len;
    __asm__ volatile("rep outsb"
                     : "+S"(p), "+c"(n)
                     : "d"((uint16_t)(KIT_COM1 + UART_THR))
                     : "memory");
    out_len = 0;
}

void kit_putc(char c)
{
    out_buf[out_len++] = c;
    if (c == '\n' || out_len == sizeof(out_buf))
        kit_flush();
}

void kit_puts(const char *s)
{
    while (*s)
        kit_putc(*s++);
}

int kit_getc(void)
{
    kit_flush();
    if (!serial_ready)
        serial_init();
    while (!(inb(KIT_COM1 + UART_LSR) & LSR_DR))
        __asm__ volatile("pause");
    return inb(KIT_COM1 + UART_RBR);
}

/* printf: %d %i %u %x %X %o %c %s %p %%, flags '-' '0' '#', width, length l ll z. */
struct fmt_spec {
    int left, zero, alt, width;
};

static int put_padded(const char *s, unsigned n, const struct fmt_spec *f)
{
    int pad = f->width > (int)n ? f->width - (int)n : 0;
    int count = 0;
    if (!f->left)
        for (; pad > 0; pad--, count++)
            kit_putc(f->zero ? '0' : ' ');
    for (unsigned i = 0; i < n; i++, count++)
        kit_putc(s[i]);
    for (; pad > 0; pad--, count++)
        kit_putc(' ');
    return count;
}

static int put_number(uint64_t v, unsigned base, int upper, int negative, struct fmt_spec *f)
{
    char tmp[24];
    unsigned n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[sizeof(tmp) - 1 - n++] = digits[v % base];
        v /= base;
    } while (v);
    int count = 0;
    if (negative) {
        if (f->zero) { /* the sign goes before the zeros */
            kit_putc('-');
            count++;
            if (f->width > 0)
                f->width--;
        } else {
            tmp[sizeof(tmp) - 1 - n++] = '-';
        }
    }
    return count + put_padded(tmp + sizeof(tmp) - n, n, f);
}

int kit_vprintf(const char *fmt, va_list ap)
{
    int count = 0;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            kit_putc(*p);
            count++;
            continue;
        }
        struct fmt_spec f = {0, 0, 0, 0};
        p++;
        for (;; p++) {
            if (*p == '-')
                f.left = 1;
            else if (*p == '#')
                f.alt = 1;
            else if (*p == '0')
                f.zero = 1;
            else
                break;
        }
        while (*p >= '0' && *p <= '9')
            f.width = f.width * 10 + (*p++ - '0');
        int lng = 0;
        while (*p == 'l' || *p == 'z') {
            lng = 1;
            p++;
        }
        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v = lng ? va_arg(ap, long) : va_arg(ap, int);
            count += put_number(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, 0, v < 0, &f);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uint64_t v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            unsigned base = *p == 'u' ? 10 : *p == 'o' ? 8 : 16;
            if (f.alt && base == 16) {
                kit_puts(*p == 'X' ? "0X" : "0x");
                count += 2;
            }
            count += put_number(v, base, *p == 'X', 0, &f);
            break;
        }
        case 'p':
            kit_puts("0x");
            count += 2 + put_number((uintptr_t)va_arg(ap, void *), 16, 0, 0, &f);
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            count += put_padded(&c, 1, &f);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            count += put_padded(s, strlen(s), &f);
            break;
        }
        case '%':
            kit_putc('%');
            count++;
            break;
        case 0:
            return count;
        default: /* unknown conversion: print it as is */
            kit_putc('%');
            kit_putc(*p);
            count += 2;
            break;
        }
    }
    return count;
}

int kit_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kit_vprintf(fmt, ap);
    va_end(ap);
    return n;
}
