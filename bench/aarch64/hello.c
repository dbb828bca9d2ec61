/* Startup benchmark: a static hello world (process start to exit). */
#include <stdio.h>

int main(void)
{
    puts("hello");
    return 0;
}
