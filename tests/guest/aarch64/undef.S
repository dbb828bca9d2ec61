/* An undefined instruction after some output: the program must die by SIGILL
 * (exit status 132 as a shell sees it) with its output written. */
    .global _start
    .text
_start:
    mov     x0, #1
    adr     x1, msg
    mov     x2, #msg_len
    mov     x8, #64             // write
    svc     #0
    .inst   0x00000000          // udf #0: permanently undefined
    mov     x0, #0
    mov     x8, #93
    svc     #0
msg:
    .ascii  "before the undefined instruction\n"
    msg_len = . - msg
