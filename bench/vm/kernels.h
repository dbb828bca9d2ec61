/* Compute kernels shared by the pc guest `compute` (tests/guest/pc) and the
 * native host build in bench/vm: CRC-32, a prime sieve and an integer matrix
 * multiply.  Freestanding, integer-only, no library calls. */
#ifndef FERRY_BENCH_KERNELS_H
#define FERRY_BENCH_KERNELS_H

#include <stdint.h>

/* Work per round.  KERNELS_FULL is the benchmark's; KERNELS_SMALL keeps a
 * round short enough for CPL0 on software KVM backends, where supervisor code
 * is emulated (about 100-1000 times slower). */
struct kernels_size {
    uint32_t crc_bytes; /* <= KERNELS_CRC_MAX */
    uint32_t sieve_n;   /* <= KERNELS_SIEVE_MAX */
    uint32_t mat_n;     /* <= KERNELS_MAT_MAX */
};
#define KERNELS_CRC_MAX (64u << 10)
#define KERNELS_SIEVE_MAX 100000u
#define KERNELS_MAT_MAX 48u
#define KERNELS_FULL ((struct kernels_size){KERNELS_CRC_MAX, KERNELS_SIEVE_MAX, KERNELS_MAT_MAX})
#define KERNELS_SMALL ((struct kernels_size){4u << 10, 5000u, 12u})

struct kernels_result {
    uint32_t crc;    /* CRC-32 (IEEE) of the last round's buffer */
    uint32_t primes; /* primes below sieve_n */
    uint64_t mat;    /* sum of the last round's product matrix */
    uint64_t check;  /* all rounds mixed together */
};

/* Phase markers: 1 before the first round; 2 and 3 after the last round's
 * CRC and sieve; 4 after everything.  phase may be NULL. */
typedef void (*kernels_phase_fn)(uint32_t id);

/* Run every kernel `rounds` times, each round on fresh data; sizes are
 * clamped to the maxima. */
void kernels_run(struct kernels_size size, unsigned rounds, struct kernels_result *r,
                 kernels_phase_fn phase);

#endif
