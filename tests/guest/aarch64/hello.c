/* The smallest C program: printf and puts through static glibc.  Also built
 * for x86-64 (tests/guest/x86_64), where it names that architecture. */
#include <stdio.h>

int main(void)
{
    printf("hello, world\n");
#if defined(__x86_64__)
    puts("from an x86-64 program");
#else
    puts("from an AArch64 program");
#endif
    return 0;
}
