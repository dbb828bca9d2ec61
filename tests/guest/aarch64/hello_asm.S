/* No libc: write(2) and exit(2) by SVC, the first program a new user mode runs. */
    .global _start
    .text
_start:
    mov     x0, #1              // fd: stdout
    adr     x1, msg
    mov     x2, #msg_len
    mov     x8, #64             // write
    svc     #0
    mov     x0, #0
    mov     x8, #93             // exit
    svc     #0
msg:
    .ascii  "hello from assembly\n"
    msg_len = . - msg
