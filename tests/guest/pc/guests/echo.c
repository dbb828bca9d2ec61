/* Guest: echo — read lines from the serial port and echo them back with a
 * line number, until a line "quit" or end of transmission (Ctrl-D). */
#include "kit.h"

int kit_payload(const struct kit_boot *b)
{
    (void)b;
    kit_printf("echo: type lines; \"quit\" or Ctrl-D ends\n");
    char line[128];
    unsigned n = 0, lines = 0;
    for (;;) {
        int c = kit_getc();
        if (c == 4 && n == 0)
            break;
        if (c == '\r' || c == '\n' || c == 4) {
            line[n] = 0;
            if (n == 4 && memcmp(line, "quit", 4) == 0)
                break;
            kit_printf("%u: [%s]\n", ++lines, line);
            n = 0;
            continue;
        }
        if (n < sizeof(line) - 1)
            line[n++] = (char)c;
    }
    kit_printf("echo: %u lines\n", lines);
    return 0;
}
