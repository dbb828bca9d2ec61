/* Exit statuses: exit(N) from main's argument, atexit handlers in reverse
 * order, return from main, _exit skipping stdio flushing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void first(void) { printf("atexit: registered first, runs last\n"); }
static void second(void) { printf("atexit: registered second, runs first\n"); }

int main(int argc, char **argv)
{
    atexit(first);
    atexit(second);
    if (argc < 2) {
        printf("no argument: return 3 from main\n");
        return 3;
    }
    if (strcmp(argv[1], "_exit") == 0) {
        printf("_exit(5): this line is buffered and lost (stdout is not a tty)\n");
        _exit(5);
    }
    int code = atoi(argv[1]);
    printf("exit(%d)\n", code);
    exit(code);
}
