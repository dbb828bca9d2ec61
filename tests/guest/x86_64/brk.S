/* INT3 after some output: the program must die by SIGTRAP (status 133). */
    .global _start
    .text
_start:
    mov     $1, %edi
    lea     msg(%rip), %rsi
    mov     $msg_len, %edx
    mov     $1, %eax            # write
    syscall
    int3
    xor     %edi, %edi
    mov     $60, %eax
    syscall
    .section .rodata
msg:
    .ascii  "before the breakpoint\n"
    msg_len = . - msg
