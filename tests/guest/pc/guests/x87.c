/* Guest: x87 — one x87 addition.  At CPL3 it always works; at CPL0 on a
 * software KVM backend (PVM) the emulator has no x87 arithmetic, and ferry
 * must stop with KVM_EXIT_INTERNAL_ERROR, a hint and the register dump. */
#include "kit.h"

int kit_payload(const struct kit_boot *b)
{
    (void)b;
    kit_printf("x87: 1 + 1 at CPL%d\n", kit_cpl());
    kit_flush();
    uint16_t sum;
    __asm__ volatile("fninit; fld1; fld1; faddp; fistps %0" : "=m"(sum));
    kit_printf("x87: = %u\n", sum);
    return 0;
}
