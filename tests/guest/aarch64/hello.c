/* The smallest C program: printf and puts through static glibc. */
#include <stdio.h>

int main(void)
{
    printf("hello, world\n");
    puts("from an AArch64 program");
    return 0;
}
