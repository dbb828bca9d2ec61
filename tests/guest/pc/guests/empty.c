/* Guest: empty — does nothing and exits (start-to-exit benchmarks). */
#include "kit.h"

int kit_payload(const struct kit_boot *b)
{
    (void)b;
    return 0;
}
