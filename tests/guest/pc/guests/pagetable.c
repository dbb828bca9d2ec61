/* Guest: pagetable — map a page into the kit's window, touch it, alias it,
 * make it read-only, unmap it; the faults (#PF) reach the kit's IDT and the
 * probes report them.  Needs the kit kernel (not entered at CPL3). */
#include "kit.h"

static void report(const char *what, int r)
{
    if (r == 0) {
        kit_printf("pt: %s: no fault\n", what);
        return;
    }
    kit_printf("pt: %s: #%s at %#lx, %s, %s\n", what, kit_last_fault.vector == 14 ? "PF" : "??",
               (unsigned long)kit_last_fault.addr,
               kit_last_fault.error & 1 ? "protection" : "not present",
               kit_last_fault.error & 2 ? "write" : "read");
}

int kit_payload(const struct kit_boot *b)
{
    if (!b->has_kernel) {
        kit_printf("pt: no kit kernel (entered at CPL3): the page tables belong to the VMM\n");
        return 3;
    }
    uint64_t va = KIT_MAP_BASE, va2 = KIT_MAP_BASE + 0x5000;
    uint64_t pa = (b->image_end + 0xffff) & ~0xfffull; /* a free page above the image */
    volatile uint64_t *phys = (volatile uint64_t *)(uintptr_t)pa;
    uint64_t v = 0;
    *phys = 0;

    report("read before map", kit_probe_read(va, &v));
    kit_printf("pt: map %s\n", kit_map_page(va, pa, 1) == 0 ? "ok" : "refused");
    report("write through the mapping", kit_probe_write(va, 0x1122334455667788ull));
    kit_printf("pt: physical page reads %#lx\n", (unsigned long)*phys);
    kit_printf("pt: alias map %s\n", kit_map_page(va2, pa, 0) == 0 ? "ok" : "refused");
    report("read through the alias", kit_probe_read(va2, &v));
    kit_printf("pt: alias reads %#lx\n", (unsigned long)v);
    report("write to the read-only alias", kit_probe_write(va2, 1));
    kit_printf("pt: unmap %s\n", kit_unmap_page(va) == 0 ? "ok" : "refused");
    report("read after unmap", kit_probe_read(va, &v));
    kit_printf("pt: misaligned map %s\n",
               kit_map_page(va + 1, pa, 1) == 0 ? "accepted" : "refused");
    kit_printf("pt: %lu faults caught\n", (unsigned long)kit_last_fault.count);
    return 0;
}
