/* A freestanding runtime for the raw_*.c x86-64 guests: _start, system calls
 * by SYSCALL, and buffered decimal/hex output, with no libc and no SSE (the
 * programs are built with -nostdlib -mgeneral-regs-only), so they run under
 * ferry on the integer translator alone.  Each program includes it once. */
#ifndef NOLIBC_H
#define NOLIBC_H

#include <stddef.h>
#include <stdint.h>

/* not every program uses every helper */
#pragma GCC diagnostic ignored "-Wunused-function"

/* x86-64 system call numbers (asm/unistd_64.h) */
enum {
    NR_read = 0, NR_write = 1, NR_open = 2, NR_close = 3, NR_stat = 4, NR_fstat = 5,
    NR_lseek = 8, NR_mmap = 9, NR_mprotect = 10, NR_munmap = 11, NR_brk = 12, NR_pipe = 22,
    NR_dup2 = 33, NR_getpid = 39, NR_fork = 57, NR_exit = 60, NR_wait4 = 61, NR_uname = 63,
    NR_getcwd = 79, NR_mkdir = 83, NR_rmdir = 84, NR_unlink = 87, NR_readlink = 89,
    NR_arch_prctl = 158, NR_time = 201, NR_clock_gettime = 228, NR_exit_group = 231,
    NR_openat = 257, NR_newfstatat = 262,
};

static inline long sys6(long n, long a, long b, long c, long d, long e, long f)
{
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}
static inline long sys0(long n) { return sys6(n, 0, 0, 0, 0, 0, 0); }
static inline long sys1(long n, long a) { return sys6(n, a, 0, 0, 0, 0, 0); }
static inline long sys2(long n, long a, long b) { return sys6(n, a, b, 0, 0, 0, 0); }
static inline long sys3(long n, long a, long b, long c) { return sys6(n, a, b, c, 0, 0, 0); }

/* gcc may call these even in freestanding code */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
__attribute__((used)) void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    while (n--)
        *dp++ = *sp++;
    return d;
}
__attribute__((used)) void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;
    if (dp < sp)
        while (n--)
            *dp++ = *sp++;
    else
        while (n--)
            dp[n] = sp[n];
    return d;
}
__attribute__((used)) void *memset(void *d, int c, size_t n)
{
    unsigned char *dp = d;
    while (n--)
        *dp++ = (unsigned char)c;
    return d;
}
__attribute__((used)) int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

static size_t nl_strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static int nl_streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* ---- buffered output to fd 1 ---- */

static char nl_buf[4096];
static size_t nl_len;

static void out_flush(void)
{
    size_t off = 0;
    while (off < nl_len) {
        long r = sys3(NR_write, 1, (long)(nl_buf + off), (long)(nl_len - off));
        if (r <= 0)
            break;
        off += (size_t)r;
    }
    nl_len = 0;
}

static void out_char(char c)
{
    if (nl_len == sizeof nl_buf)
        out_flush();
    nl_buf[nl_len++] = c;
}

static void out_str(const char *s)
{
    while (*s)
        out_char(*s++);
}

static void out_udec(uint64_t v)
{
    char t[24];
    int n = 0;
    do
        t[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n)
        out_char(t[--n]);
}

static void out_dec(int64_t v)
{
    if (v < 0) {
        out_char('-');
        out_udec(0 - (uint64_t)v);
    } else {
        out_udec((uint64_t)v);
    }
}

static void out_hex(uint64_t v)
{
    out_str("0x");
    for (int i = 60; i >= 0; i -= 4)
        out_char("0123456789abcdef"[(v >> i) & 15]);
}

/* "label value\n" */
static void out_kv(const char *k, int64_t v)
{
    out_str(k);
    out_char(' ');
    out_dec(v);
    out_char('\n');
}

static void out_kx(const char *k, uint64_t v)
{
    out_str(k);
    out_char(' ');
    out_hex(v);
    out_char('\n');
}

static __attribute__((noreturn)) void nl_exit(int status)
{
    out_flush();
    for (;;)
        sys1(NR_exit_group, status);
}

/* ---- start-up ---- */

int main(int argc, char **argv, char **envp);

__attribute__((used, noreturn)) void nolibc_start(long *sp)
{
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    nl_exit(main(argc, argv, argv + argc + 1));
}

__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "    xor %ebp, %ebp\n"
        "    mov %rsp, %rdi\n"
        "    and $-16, %rsp\n"
        "    call nolibc_start\n"
        "    hlt\n");

#endif
