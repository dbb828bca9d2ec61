/* HLT is privileged: at CPL3 it raises #GP, which Linux turns into SIGSEGV
 * (status 139). */
    .global _start
    .text
_start:
    mov     $1, %edi
    lea     msg(%rip), %rsi
    mov     $msg_len, %edx
    mov     $1, %eax            # write
    syscall
    hlt
    xor     %edi, %edi
    mov     $60, %eax
    syscall
    .section .rodata
msg:
    .ascii  "before the privileged instruction\n"
    msg_len = . - msg
