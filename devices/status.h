/* Engine-neutral "the run ends" signalling: devices (debug exit, i8042 reset)
 * and engines set a machine_status; engines poll it after every exit they
 * dispatch and leave their run loop when it is no longer RUNNING. */
#ifndef FERRY_DEVICES_STATUS_H
#define FERRY_DEVICES_STATUS_H

#include <stdbool.h>
#include <stdint.h>

enum machine_state {
#define MACHINE_STATE(name, desc) MACHINE_##name,
#include "status.def"
#undef MACHINE_STATE
    MACHINE_STATE_COUNT
};
_Static_assert(MACHINE_running == 0, "a zeroed machine_status is RUNNING");

struct machine_status {
    enum machine_state state;
    int exit_code;  /* what the ferry process should exit with */
    uint64_t value; /* state-specific: the value written to the debug-exit port */
};

/* Set the state once: the first stop wins, later calls are ignored (a guest
 * writing debug-exit twice in one instruction window keeps the first code).
 * Returns true if this call stopped the machine. */
bool machine_stop(struct machine_status *st, enum machine_state state, int exit_code,
                  uint64_t value);

static inline bool machine_running(const struct machine_status *st)
{
    return st->state == MACHINE_running;
}

/* "exited", "reset", ... and the one-line description. */
const char *machine_state_name(enum machine_state state);
const char *machine_state_desc(enum machine_state state);

#endif
