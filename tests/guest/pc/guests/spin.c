/* Guest: spin — say so, then loop forever without a VM exit (Ctrl-C test). */
#include "kit.h"

int kit_payload(const struct kit_boot *b)
{
    (void)b;
    kit_printf("spin: spinning\n");
    for (;;)
        __asm__ volatile("pause");
}
