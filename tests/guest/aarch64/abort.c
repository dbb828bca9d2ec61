/* abort(): the program dies by SIGABRT (status 134) after its output. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("calling abort\n");
    fflush(stdout);
    abort();
}
