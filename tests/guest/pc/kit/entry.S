/* Guest kit: the ELF64 entry, exception entry stubs, the ud2 system-call gate
 * used from CPL3, fault-tolerant probes and the drop to CPL3. */
#include "kit_asm.h"

    .code64
/* ELF64 entry from ferry's long-mode setup: RDI = boot info, at CPL0 or CPL3.
 * Switch to the kit's own stack for that ring and call kit_main(). */
    .section .text.boot, "ax"
    .globl kit_start64
kit_start64:
    cld
    movq %rdi, %rsi
    movw %cs, %ax
    testb $3, %al
    jnz 1f
    leaq kit_kstack_top(%rip), %rsp
    jmp 2f
1:  leaq kit_ustack_top(%rip), %rsp
2:  xorl %ebp, %ebp
    movl $KIT_PROTO_ELF64, %edi
    xorl %edx, %edx
    call kit_main
3:  jmp 3b

/* 32 exception entries, KIT_ISR_STRIDE bytes apart from KIT_ISR_ADDR (the
 * static IDT in tables.S points at them): push a zero error code where the
 * CPU pushes none, push the vector, go to the common path. */
    .globl kit_isr_addr /* absolute: link.ld checks kit_isr_table against it */
    .set kit_isr_addr, KIT_ISR_ADDR
    .section .text.isr, "ax"
    .globl kit_isr_table
kit_isr_table:
    .set vec, 0
    .rept 32
    .balign KIT_ISR_STRIDE
    .if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
    pushq $0
    .endif
    pushq $vec
    jmp isr_common
    .set vec, vec + 1
    .endr

    .text

/* Stack on arrival: vector, error, rip, cs, rflags, rsp, ss (struct kit_frame
 * in kit.c lists the registers pushed here in reverse). */
isr_common:
    pushq %rax
    pushq %rcx
    pushq %rdx
    pushq %rbx
    pushq %rbp
    pushq %rsi
    pushq %rdi
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, %rdi
    call kit_trap
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rdi
    popq %rsi
    popq %rbp
    popq %rbx
    popq %rdx
    popq %rcx
    popq %rax
    addq $16, %rsp
    iretq

/* long kit_syscall_gate(long nr, long a1, long a2, long a3): from CPL3, the
 * #UD of this ud2 enters the kit kernel (int/syscall do not reach a guest
 * kernel on every KVM backend); the handler returns past it with RAX set. */
    .globl kit_syscall_gate, kit_syscall_ud2
kit_syscall_gate:
kit_syscall_ud2:
    ud2
    ret

/* int kit_probe_read(uint64_t va, uint64_t *out) / kit_probe_write(va, value):
 * a fault at the marked instruction resumes at the fixup with -1. */
    .globl kit_probe_read, kit_probe_read_insn, kit_probe_write, kit_probe_write_insn
    .globl kit_probe_fixup
kit_probe_read:
    xorl %eax, %eax
kit_probe_read_insn:
    movq (%rdi), %rdx
    movq %rdx, (%rsi)
    ret
kit_probe_write:
    xorl %eax, %eax
kit_probe_write_insn:
    movq %rsi, (%rdi)
    ret
kit_probe_fixup:
    movl $-1, %eax
    ret

/* _Noreturn void kit_enter_user(void (*fn)(void), uint64_t stack_top):
 * iretq to fn at CPL3 with IOPL=3 and interrupts off. */
    .globl kit_enter_user
kit_enter_user:
    pushq $KIT_SEL_UDATA
    pushq %rsi
    pushq $0x3002                   /* IOPL=3, reserved bit 1 */
    pushq $KIT_SEL_UCODE
    pushq %rdi
    movl $KIT_SEL_UDATA, %eax
    movl %eax, %ds
    movl %eax, %es
    iretq

/* void kit_load_segments(void): reload CS/SS/DS/ES after lgdt. */
    .globl kit_load_segments
kit_load_segments:
    movl $KIT_SEL_KDATA, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    popq %rax
    pushq $KIT_SEL_KCODE
    pushq %rax
    lretq

    .bss
    .balign 16
    .globl kit_kstack_top, kit_ustack_top
    .space KIT_KSTACK_SIZE
kit_kstack_top:
    .space KIT_USTACK_SIZE
kit_ustack_top:
