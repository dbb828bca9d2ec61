/* Guest: ioport — port I/O to a port no device claims reads all-ones and
 * writes are dropped, in every size and as string (rep ins/outs) I/O; a
 * claimed port (the UART scratch register) still works; MMIO to the hole
 * below 4 GiB reads all-ones too. */
#include "kit.h"

#define UNCLAIMED 0x0700
#define MMIO_HOLE 0xfe000000ull

int kit_payload(const struct kit_boot *b)
{
    outb(UNCLAIMED, 0x12);
    outw(UNCLAIMED, 0x1234);
    outl(UNCLAIMED, 0x12345678);
    kit_printf("io: in %#x: b %#x w %#x l %#x\n", UNCLAIMED, inb(UNCLAIMED), inw(UNCLAIMED),
               inl(UNCLAIMED));

    uint8_t buf[8];
    uint16_t wbuf[4];
    memset(buf, 0x11, sizeof(buf));
    memset(wbuf, 0x22, sizeof(wbuf));
    void *p = buf;
    unsigned long n = sizeof(buf);
    __asm__ volatile("rep insb" : "+D"(p), "+c"(n) : "d"((uint16_t)UNCLAIMED) : "memory");
    p = wbuf;
    n = 4;
    __asm__ volatile("rep insw" : "+D"(p), "+c"(n) : "d"((uint16_t)UNCLAIMED) : "memory");
    kit_printf("io: rep insb:");
    for (unsigned i = 0; i < sizeof(buf); i++)
        kit_printf(" %02x", buf[i]);
    kit_printf("\nio: rep insw:");
    for (unsigned i = 0; i < 4; i++)
        kit_printf(" %04x", wbuf[i]);
    kit_printf("\n");
    const void *q = "ignored!";
    n = 8;
    __asm__ volatile("rep outsb" : "+S"(q), "+c"(n) : "d"((uint16_t)UNCLAIMED) : "memory");
    kit_printf("io: rep outsb of 8 bytes: dropped\n");

    outb(KIT_COM1 + 7, 0x5a);
    kit_printf("io: UART scratch register holds %#x\n", inb(KIT_COM1 + 7));

    /* MMIO: through the identity map (entered at CPL3: the VMM maps 4 GiB)
     * or a kit window page. */
    uint64_t va = MMIO_HOLE;
    if (b->has_kernel) {
        va = KIT_MAP_BASE + 0x10000;
        kit_map_page(va, MMIO_HOLE, 1);
    }
    *(volatile uint32_t *)(uintptr_t)va = 0xdeadbeef;
    kit_printf("io: mmio read at %#lx: %#x\n", (unsigned long)MMIO_HOLE,
               *(volatile uint32_t *)(uintptr_t)va);
    return 0;
}
