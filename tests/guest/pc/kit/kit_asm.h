/* Guest kit: constants shared by the assembly stubs and kit.c. */
#ifndef KIT_ASM_H
#define KIT_ASM_H

#define KIT_PROTO_ELF64 1
#define KIT_PROTO_MULTIBOOT 2

/* GDT selectors (kit.c builds the table in this order). */
#define KIT_SEL_KCODE 0x08
#define KIT_SEL_KDATA 0x10
#define KIT_SEL_UDATA 0x1b /* 0x18 | RPL 3 */
#define KIT_SEL_UCODE 0x23 /* 0x20 | RPL 3 */
#define KIT_SEL_TSS 0x28

/* The exception entry stubs sit at a fixed address (link.ld checks it), so
 * the IDT is static data: no ring-0 loop builds it at boot, which matters
 * where CPL0 code is emulated. */
#define KIT_ISR_ADDR 0x101000
#define KIT_ISR_STRIDE 16

/* Virtual window for kit_map_page: PML4 slot 254, one page table. */
#define KIT_MAP_BASE 0x7f0000000000

#define KIT_KSTACK_SIZE 16384
#define KIT_USTACK_SIZE 65536

#endif
