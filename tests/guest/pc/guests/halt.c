/* Guest: halt — `hlt` at CPL0 with interrupts off ("sti=1": on), which ends
 * the run (exit status 0; with interrupts on ferry also says that nothing can
 * wake the guest). */
#include "kit.h"

int kit_payload(const struct kit_boot *b)
{
    (void)b;
    kit_printf("halt: halting\n");
    kit_flush();
    if (kit_arg_u64("sti", 0))
        __asm__ volatile("sti; hlt");
    else
        __asm__ volatile("cli; hlt");
    kit_printf("halt: still running\n");
    return 1;
}
