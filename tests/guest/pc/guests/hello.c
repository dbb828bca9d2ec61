/* Guest: hello — the smallest useful guest: a line on the serial port. */
#include "kit.h"

int kit_payload(const struct kit_boot *b)
{
    kit_printf("hello from a ferry guest: %s, entered at CPL%d, payload at CPL%d\n",
               b->protocol == KIT_PROTO_ELF64 ? "elf64" : "multiboot", b->entry_cpl,
               b->payload_cpl);
    return 0;
}
