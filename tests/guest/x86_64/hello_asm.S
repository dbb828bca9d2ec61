/* No libc: write(2) and exit(2) by SYSCALL, the first program a new user mode runs. */
    .global _start
    .text
_start:
    mov     $1, %edi            # fd: stdout
    lea     msg(%rip), %rsi
    mov     $msg_len, %edx
    mov     $1, %eax            # write
    syscall
    xor     %edi, %edi
    mov     $60, %eax           # exit
    syscall
    .section .rodata
msg:
    .ascii  "hello from assembly\n"
    msg_len = . - msg
