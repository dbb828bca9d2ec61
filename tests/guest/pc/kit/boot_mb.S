/* Guest kit: Multiboot v1 entry.  The loader (ferry or qemu -kernel) enters
 * kit_start_mb in 32-bit protected flat mode with EAX=0x2BADB002 and EBX=the
 * multiboot info; this stub turns on PAE paging with the kit's static tables
 * (tables.S: first GiB identity-mapped), enables long mode and calls
 * kit_main().  All of it runs emulated on software KVM backends: keep it short. */
#include "kit_asm.h"

/* Multiboot v1 header: magic, flags (bit 0 page-align modules, bit 1 memory
 * info wanted), checksum.  The linker script puts it first in the image. */
    .section .multiboot, "a"
    .balign 4
    .long 0x1BADB002
    .long 0x00000003
    .long -(0x1BADB002 + 0x00000003)

    .section .text.boot, "ax"
    .code32
    .globl kit_start_mb
kit_start_mb:
    cli
    cld
    movl $kit_kstack_top, %esp
    movl %eax, kit_mb_magic
    movl %ebx, kit_mb_info
    movl %cr4, %eax
    orl $0x20, %eax                 /* CR4.PAE */
    movl %eax, %cr4
    movl $kit_pml4, %eax
    movl %eax, %cr3
    movl $0xC0000080, %ecx          /* IA32_EFER */
    rdmsr
    orl $0x100, %eax                /* LME */
    wrmsr
    movl %cr0, %eax
    orl $0x80000001, %eax           /* PG | PE */
    andl $0x9fffffff, %eax          /* caches on: clear CD, NW */
    movl %eax, %cr0
    lgdt boot_gdt_desc
    ljmp $KIT_SEL_KCODE, $mb_long

    .code64
mb_long:
    movl $KIT_SEL_KDATA, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    xorl %eax, %eax
    movl %eax, %fs
    movl %eax, %gs
    movabsq $kit_kstack_top, %rsp
    xorl %ebp, %ebp
    movl $KIT_PROTO_MULTIBOOT, %edi
    movl kit_mb_info(%rip), %esi
    movl kit_mb_magic(%rip), %edx
    call kit_main
1:  hlt
    jmp 1b

    .section .data.boot, "aw"
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 0x08: 64-bit code, DPL0 */
    .quad 0x00cf92000000ffff        /* 0x10: data, DPL0 */
boot_gdt_end:
boot_gdt_desc:
    .word boot_gdt_end - boot_gdt - 1
    .quad boot_gdt

    .globl kit_mb_magic, kit_mb_info
kit_mb_magic:
    .long 0
kit_mb_info:
    .long 0
