/* A store through a wild pointer after some output: the program must die by
 * SIGSEGV (exit status 139 as a shell sees it) with its output flushed. */
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("before the wild pointer\n");
    fflush(stdout);
    volatile int *p = (volatile int *)(uintptr_t)(0xdead0000u + (unsigned)argc * 8);
    *p = 42;
    printf("after the wild pointer (must not be printed)\n");
    return 0;
}
