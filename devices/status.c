/* machine_status: how a run ends, set by devices and engines. */
#include "devices/status.h"

static const char *const machine_state_names[MACHINE_STATE_COUNT] = {
#define MACHINE_STATE(name, desc) #name,
#include "status.def"
#undef MACHINE_STATE
};

static const char *const machine_state_descs[MACHINE_STATE_COUNT] = {
#define MACHINE_STATE(name, desc) desc,
#include "status.def"
#undef MACHINE_STATE
};

bool machine_stop(struct machine_status *st, enum machine_state state, int exit_code,
                  uint64_t value)
{
    if (st->state != MACHINE_running || state == MACHINE_running)
        return false;
    st->state = state;
    st->exit_code = exit_code;
    st->value = value;
    return true;
}

const char *machine_state_name(enum machine_state state)
{
    return (unsigned)state < MACHINE_STATE_COUNT ? machine_state_names[state] : "?";
}

const char *machine_state_desc(enum machine_state state)
{
    return (unsigned)state < MACHINE_STATE_COUNT ? machine_state_descs[state] : "?";
}
