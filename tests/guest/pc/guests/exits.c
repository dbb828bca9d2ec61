/* Guest: exits — "n=N" port writes to an unclaimed port (each one a VM exit
 * to the VMM), between phase markers 1 and 2 (exit round-trip benchmark). */
#include "kit.h"

int kit_payload(const struct kit_boot *b)
{
    (void)b;
    uint64_t n = kit_arg_u64("n", 1000);
    kit_phase(1);
    for (uint64_t i = 0; i < n; i++)
        outb(0x0700, (uint8_t)i);
    kit_phase(2);
    return 0;
}
