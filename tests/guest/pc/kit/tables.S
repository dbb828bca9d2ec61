/* Guest kit: the CPL0 tables that need no code to build: the IDT (the entry
 * stubs are at a fixed address), and page tables that identity-map the first
 * GiB with user-accessible 2 MiB pages plus the kit_map_page window.  kit.c
 * only adds mappings above 1 GiB when RAM is larger. */
#include "kit_asm.h"

    .section .data.tables, "aw"
    .balign 4096
    .globl kit_pml4, kit_pdpt, kit_pd0, kit_win_pt
kit_pml4:
    .quad kit_pdpt + 0x7                    /* P | RW | US */
    .fill ((KIT_MAP_BASE >> 39) & 511) - 1, 8, 0
    .quad kit_win_pdpt + 0x7
    .fill 511 - ((KIT_MAP_BASE >> 39) & 511), 8, 0
kit_pdpt:
    .quad kit_pd0 + 0x7
    .fill 511, 8, 0
kit_pd0:
    .set addr, 0
    .rept 512
    .quad addr + 0x87                       /* P | RW | US | PS (2 MiB) */
    .set addr, addr + 0x200000
    .endr
kit_win_pdpt:                               /* KIT_MAP_BASE: PDPT, PD, PT index 0 */
    .quad kit_win_pd + 0x7
    .fill 511, 8, 0
kit_win_pd:
    .quad kit_win_pt + 0x7
    .fill 511, 8, 0
kit_win_pt:
    .fill 512, 8, 0

/* 64-bit interrupt gates, DPL0, to KIT_ISR_ADDR + vector * KIT_ISR_STRIDE. */
    .balign 16
    .globl kit_idt
kit_idt:
    .set vec, 0
    .rept 32
    .word (KIT_ISR_ADDR + vec * KIT_ISR_STRIDE) & 0xffff
    .word KIT_SEL_KCODE
    .byte 0, 0x8e
    .word (KIT_ISR_ADDR + vec * KIT_ISR_STRIDE) >> 16
    .long 0, 0
    .set vec, vec + 1
    .endr
