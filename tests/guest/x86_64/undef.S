/* UD2 after some output: the program must die by SIGILL (exit status 132 as
 * a shell sees it) with its output written. */
    .global _start
    .text
_start:
    mov     $1, %edi
    lea     msg(%rip), %rsi
    mov     $msg_len, %edx
    mov     $1, %eax            # write
    syscall
    ud2
    xor     %edi, %edi
    mov     $60, %eax
    syscall
    .section .rodata
msg:
    .ascii  "before the undefined instruction\n"
    msg_len = . - msg
