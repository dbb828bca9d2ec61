/* A branch to an address no block could start at (pc = ~0, also the value an
 * empty jump-cache entry holds): the program must die by SIGBUS (PC alignment
 * fault, status 135) with its output written, on every backend. */
    .global _start
    .text
_start:
    mov     x0, #1
    adr     x1, msg
    mov     x2, #msg_len
    mov     x8, #64             // write
    svc     #0
    mov     x0, #-1
    br      x0
msg:
    .ascii  "before the wild jump\n"
    msg_len = . - msg
