/* Guest: crash — make an exception undeliverable (empty IDT at CPL0; the
 * VMM's empty IDT when entered at CPL3): the vCPU triple-faults and ferry
 * reports it with a register dump. */
#include "kit.h"

int kit_payload(const struct kit_boot *b)
{
    kit_printf("crash: triple fault ahead\n");
    kit_flush();
    if (kit_cpl() == 0) {
        struct {
            uint16_t limit;
            uint64_t base;
        } __attribute__((packed)) empty = {0, 0};
        __asm__ volatile("lidt %0" ::"m"(empty));
    } else if (b->has_kernel) {
        kit_printf("crash: the payload runs at CPL3 over the kit kernel: no triple fault\n");
        return 2;
    }
    __asm__ volatile("ud2");
    return 1;
}
