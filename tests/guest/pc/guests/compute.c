/* Guest: compute — CRC-32, a prime sieve and an integer matrix multiply
 * (bench/vm/kernels.c, the same source the benchmark runs natively), with
 * phase markers.  Command line: "rounds=N" repeats them (default 1), "small=1"
 * runs the small size (short enough for CPL0 on software KVM backends). */
#include "kernels.h"
#include "kit.h"

static void phase(uint32_t id) { kit_phase(id); }

int kit_payload(const struct kit_boot *b)
{
    (void)b;
    unsigned rounds = (unsigned)kit_arg_u64("rounds", 1);
    int small = kit_arg_u64("small", 0) != 0;
    struct kernels_result r;
    kernels_run(small ? KERNELS_SMALL : KERNELS_FULL, rounds, &r, phase);
    kit_printf("compute: %s rounds %u crc32 %08x primes %u matrix %#lx check %016lx\n",
               small ? "small" : "full", rounds, r.crc, r.primes, (unsigned long)r.mat,
               (unsigned long)r.check);
    return 0;
}
