/* Backend selection by name: "jit" is this host's JIT backend (if built),
 * "interp" the portable interpreter. */
#include "backend.h"

#include <string.h>

const struct ferry_backend *backend_by_name(const char *name)
{
#ifdef FERRY_HOST_JIT_X86_64
    if (strcmp(name, "jit") == 0 || strcmp(name, "x86_64") == 0)
        return &backend_x86_64;
#endif
    if (strcmp(name, "interp") == 0)
        return &backend_interp;
    return NULL;
}
