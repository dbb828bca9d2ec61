/* Guest: ramwalk — write a pattern into every 4 KiB page of usable RAM above
 * 1 MiB (above the image in its own block), then read it all back.  The RAM
 * size comes from the boot info (ELF64 boot info or Multiboot memory map). */
#include "kit.h"

static uint64_t pattern(uint64_t addr)
{
    return (addr * 0x9e3779b97f4a7c15ull) ^ 0x5a5a5a5a00000000ull ^ addr;
}

/* Two qwords per page: at offset 0 and at a line that moves with the page. */
static uint64_t second_offset(uint64_t page) { return 8 + (((page >> 12) * 64) & 0xfc0); }

int kit_payload(const struct kit_boot *b)
{
    kit_printf("ram: %lu MiB reported\n", (unsigned long)(b->mem_bytes >> 20));
    uint64_t pages = 0, errors = 0;
    for (unsigned i = 0; i < b->ram_count; i++) {
        uint64_t lo = b->ram[i].base, hi = lo + b->ram[i].len;
        if (hi <= (1u << 20))
            continue; /* low memory holds the loader's structures */
        kit_printf("ram: block %#lx-%#lx\n", (unsigned long)lo, (unsigned long)hi);
        if (lo < b->image_end && b->image_end < hi)
            lo = b->image_end;
        lo = (lo + 4095) & ~4095ull;
        hi &= ~4095ull;
        for (uint64_t p = lo; p < hi; p += 4096) {
            *(volatile uint64_t *)(uintptr_t)p = pattern(p);
            *(volatile uint64_t *)(uintptr_t)(p + second_offset(p)) = ~pattern(p);
        }
        for (uint64_t p = lo; p < hi; p += 4096) {
            uint64_t a = *(volatile uint64_t *)(uintptr_t)p;
            uint64_t c = *(volatile uint64_t *)(uintptr_t)(p + second_offset(p));
            if (a != pattern(p) || c != ~pattern(p)) {
                if (errors++ < 4)
                    kit_printf("ram: mismatch at page %#lx\n", (unsigned long)p);
            }
            pages++;
        }
    }
    kit_printf("ram: %s (%lu errors)\n",
               pages && !errors ? "every page above the image holds its pattern" : "FAILED",
               (unsigned long)errors);
    return errors ? 1 : 0;
}
