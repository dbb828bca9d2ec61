/* Faults a user-mode x86-64 program takes, one per run (argv[1] names it):
 * div (DIV by zero) and idiv (INT64_MIN / -1) raise #DE: SIGFPE, status 136;
 * wild (a store to an unmapped address) and nx (a call into a mapped page
 * without PROT_EXEC) are SIGSEGV, status 139.  Output before the fault must
 * be written. */
#include "nolibc.h"

static volatile uint64_t zero = 0, minus1 = ~0ull, min64 = 0x8000000000000000ull;

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    const char *what = argc > 1 ? argv[1] : "div";
    out_str("before the fault: ");
    out_str(what);
    out_char('\n');
    out_flush();
    if (nl_streq(what, "div")) {
        out_kv("quotient", (int64_t)(1234567 / zero));
    } else if (nl_streq(what, "idiv")) {
        out_kv("quotient", (int64_t)min64 / (int64_t)minus1);
    } else if (nl_streq(what, "wild")) {
        *(volatile int *)(uintptr_t)(0xdead0000u + (unsigned)argc * 8) = 42;
    } else if (nl_streq(what, "nx")) {
        long m = sys6(NR_mmap, 0, 4096, 3, 0x22, -1, 0); /* RW, not X */
        *(volatile uint8_t *)m = 0xc3;                     /* ret */
        ((void (*)(void))m)();
    }
    out_str("after the fault (must not be printed)\n");
    return 0;
}
