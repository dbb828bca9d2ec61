/* BRK #0x7 after some output: the program must die by SIGTRAP (status 133). */
    .global _start
    .text
_start:
    mov     x0, #1
    adr     x1, msg
    mov     x2, #msg_len
    mov     x8, #64             // write
    svc     #0
    brk     #0x7
    mov     x0, #0
    mov     x8, #93
    svc     #0
msg:
    .ascii  "before the breakpoint\n"
    msg_len = . - msg
