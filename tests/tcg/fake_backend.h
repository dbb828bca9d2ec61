/* A test-only backend that "compiles" a block into a small record in the code
 * buffer and runs it by interpreting the IR with ir/sem.h.  Its chain slots live
 * in the record (patched through the RW view, read through the RX view), so the
 * cache logic of accel/tcg can be tested independently of the real backends. */
#ifndef FERRY_TEST_FAKE_BACKEND_H
#define FERRY_TEST_FAKE_BACKEND_H

#include <stddef.h>

#include "backend/backend.h"

struct fake_stats {
    unsigned compiles;      /* successful compiles */
    unsigned chain_follows; /* chained goto_tb taken without returning */
    unsigned jc_hits;       /* goto_ptr jump-cache hits */
    unsigned patches;       /* patch_jmp calls (dest != NULL) */
    unsigned unpatches;     /* patch_jmp calls (dest == NULL) */
    unsigned max_ops;       /* if nonzero: blocks with more IR insns are BACKEND_TOO_BIG */
};
extern struct fake_stats fake_stats; /* reset by create */
extern const struct ferry_backend fake_backend;

#endif
