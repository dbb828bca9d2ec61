/* Guest: cpuid — the vendor string and the features every x86-64 VM has. */
#include "kit.h"

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

static void flag(const char *name, uint32_t reg, unsigned bit)
{
    kit_printf(" %s=%u", name, (reg >> bit) & 1);
}

int kit_payload(const struct kit_boot *b)
{
    (void)b;
    uint32_t r[4];
    char vendor[13];
    cpuid(0, 0, r);
    memcpy(vendor, &r[1], 4);
    memcpy(vendor + 4, &r[3], 4);
    memcpy(vendor + 8, &r[2], 4);
    vendor[12] = 0;
    kit_printf("cpuid: vendor %s, basic leaves %s\n", vendor, r[0] >= 1 ? "ok" : "missing");
    cpuid(1, 0, r);
    kit_printf("cpuid: leaf 1:");
    flag("fpu", r[3], 0);
    flag("tsc", r[3], 4);
    flag("msr", r[3], 5);
    flag("pae", r[3], 6);
    flag("cx8", r[3], 8);
    flag("cmov", r[3], 15);
    flag("sse2", r[3], 26);
    flag("hypervisor", r[2], 31);
    kit_printf("\n");
    cpuid(0x80000000, 0, r);
    uint32_t ext = r[0];
    cpuid(0x80000001, 0, r);
    kit_printf("cpuid: extended leaves %s:", ext >= 0x80000001 ? "ok" : "missing");
    flag("lm", r[3], 29);
    flag("nx", r[3], 20);
    kit_printf("\n");
    return 0;
}
