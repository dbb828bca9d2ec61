/* Guest: exits — "n=N" port writes to an unclaimed port (each one a VM exit
 * to the VMM), between phase markers 1 and 2 (exit round-trip benchmark).
 * With "report=1" it prints the TSC ticks the loop took, so VMMs without the
 * phase-marker device (QEMU) can be timed the same way. */
#include "kit.h"

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
    return (uint64_t)hi << 32 | lo;
}

int kit_payload(const struct kit_boot *b)
{
    (void)b;
    uint64_t n = kit_arg_u64("n", 1000);
    kit_phase(1);
    uint64_t t0 = rdtsc();
    for (uint64_t i = 0; i < n; i++)
        outb(0x0700, (uint8_t)i);
    uint64_t t1 = rdtsc();
    kit_phase(2);
    if (kit_arg_u64("report", 0))
        kit_printf("exits: %lu OUTs in %lu TSC ticks\n", (unsigned long)n,
                   (unsigned long)(t1 - t0));
    return 0;
}
