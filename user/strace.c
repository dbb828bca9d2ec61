/* -strace: each guest system call with its decoded arguments and result, in
 * qemu-user's format ("PID name(arg,arg) = result", errors as
 * "-1 errno=N (message)"), written to the debug log (stderr or -D FILE). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "user/user_int.h"
#include "util/log.h"

struct name_val {
    int64_t v;
    const char *name;
};

static const char *find_name(const struct name_val *t, size_t n, int64_t v)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].v == v)
            return t[i].name;
    return NULL;
}
#define NAMES(t) t, sizeof(t) / sizeof(t[0])

static const struct name_val fcntl_cmds[] = {
    {F_DUPFD, "F_DUPFD"}, {F_GETFD, "F_GETFD"}, {F_SETFD, "F_SETFD"}, {F_GETFL, "F_GETFL"},
    {F_SETFL, "F_SETFL"}, {F_GETLK, "F_GETLK"}, {F_SETLK, "F_SETLK"}, {F_SETLKW, "F_SETLKW"},
    {F_SETOWN, "F_SETOWN"}, {F_GETOWN, "F_GETOWN"}, {F_DUPFD_CLOEXEC, "F_DUPFD_CLOEXEC"},
    {F_OFD_GETLK, "F_OFD_GETLK"}, {F_OFD_SETLK, "F_OFD_SETLK"}, {F_OFD_SETLKW, "F_OFD_SETLKW"},
    {F_SETPIPE_SZ, "F_SETPIPE_SZ"}, {F_GETPIPE_SZ, "F_GETPIPE_SZ"},
    {F_ADD_SEALS, "F_ADD_SEALS"}, {F_GET_SEALS, "F_GET_SEALS"},
};
static const struct name_val ioctls[] = {
    {TCGETS, "TCGETS"}, {TCSETS, "TCSETS"}, {TCSETSW, "TCSETSW"}, {TCSETSF, "TCSETSF"},
    {TIOCGWINSZ, "TIOCGWINSZ"}, {TIOCSWINSZ, "TIOCSWINSZ"}, {TIOCGPGRP, "TIOCGPGRP"},
    {TIOCSPGRP, "TIOCSPGRP"}, {FIONREAD, "FIONREAD"}, {FIONBIO, "FIONBIO"}, {FIOCLEX, "FIOCLEX"},
    {FIONCLEX, "FIONCLEX"}, {TCFLSH, "TCFLSH"}, {TIOCSCTTY, "TIOCSCTTY"}, {TIOCGSID, "TIOCGSID"},
};
static const struct name_val clocks[] = {
    {CLOCK_REALTIME, "CLOCK_REALTIME"}, {CLOCK_MONOTONIC, "CLOCK_MONOTONIC"},
    {CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID"},
    {CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID"}, {CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW"},
    {CLOCK_REALTIME_COARSE, "CLOCK_REALTIME_COARSE"},
    {CLOCK_MONOTONIC_COARSE, "CLOCK_MONOTONIC_COARSE"}, {CLOCK_BOOTTIME, "CLOCK_BOOTTIME"},
};
static const struct name_val whences[] = {
    {SEEK_SET, "SEEK_SET"}, {SEEK_CUR, "SEEK_CUR"}, {SEEK_END, "SEEK_END"},
    {SEEK_DATA, "SEEK_DATA"}, {SEEK_HOLE, "SEEK_HOLE"},
};
/* mmap: the asm-generic values, the same as the host's on x86-64 */
static const struct name_val map_flags[] = {
    {MAP_SHARED, "MAP_SHARED"}, {MAP_PRIVATE, "MAP_PRIVATE"}, {MAP_FIXED, "MAP_FIXED"},
    {MAP_ANONYMOUS, "MAP_ANONYMOUS"}, {MAP_GROWSDOWN, "MAP_GROWSDOWN"},
    {MAP_DENYWRITE, "MAP_DENYWRITE"}, {MAP_EXECUTABLE, "MAP_EXECUTABLE"},
    {MAP_LOCKED, "MAP_LOCKED"}, {MAP_NORESERVE, "MAP_NORESERVE"}, {MAP_POPULATE, "MAP_POPULATE"},
    {MAP_NONBLOCK, "MAP_NONBLOCK"}, {MAP_STACK, "MAP_STACK"}, {MAP_HUGETLB, "MAP_HUGETLB"},
    {MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"},
};

static void print_bits(FILE *o, uint64_t v, const struct name_val *t, size_t n, const char *zero)
{
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (t[i].v && (v & (uint64_t)t[i].v) == (uint64_t)t[i].v) {
            fprintf(o, "%s%s", any ? "|" : "", t[i].name);
            v &= ~(uint64_t)t[i].v;
            any = true;
        }
    }
    if (v)
        fprintf(o, "%s0x%" PRIx64, any ? "|" : "", v);
    else if (!any)
        fputs(zero ? zero : "0", o);
}

static void print_str(FILE *o, const struct user_proc *p, uint64_t addr)
{
    enum { MAXSHOW = 64 };
    int64_t n = user_mm_strlen(&p->mm, addr, 4096);
    if (n < 0 && n != -ENAMETOOLONG) {
        fprintf(o, "0x%" PRIx64, addr);
        return;
    }
    const char *s = (const char *)p->mm.base + addr;
    size_t show = n < 0 || n > MAXSHOW ? MAXSHOW : (size_t)n;
    fputc('"', o);
    for (size_t i = 0; i < show; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(o, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", o);
        else if (c < 32 || c >= 127)
            fprintf(o, "\\%o", c);
        else
            fputc(c, o);
    }
    fputc('"', o);
    if (show < (size_t)n || n < 0)
        fputs("...", o);
}

static void print_open_flags(FILE *o, const struct user_abi *abi, uint64_t v)
{
    static const char *const acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
    fputs(acc[v & 3], o);
    v &= ~3ull;
    for (unsigned i = 0; i < abi->nopen_flags; i++) {
        if (v & abi->open_flags[i].guest) {
            fprintf(o, "|%s", abi->open_flags[i].name);
            v &= ~(uint64_t)abi->open_flags[i].guest;
        }
    }
    if (v)
        fprintf(o, "|0x%" PRIx64, v);
}

static void print_arg(FILE *o, const struct user_proc *p, char kind, uint64_t v)
{
    const char *name;
    switch (kind) {
    case 'd': fprintf(o, "%d", (int)v); break;
    case 'l': fprintf(o, "%" PRId64, (int64_t)v); break;
    case 'u': fprintf(o, "%" PRIu64, v); break;
    case 'm': fprintf(o, "0%" PRIo64, v); break;
    case 'p':
        if (v)
            fprintf(o, "0x%" PRIx64, v);
        else
            fputs("NULL", o);
        break;
    case 's': print_str(o, p, v); break;
    case 'f':
        if ((int)v == AT_FDCWD)
            fputs("AT_FDCWD", o);
        else
            fprintf(o, "%d", (int)v);
        break;
    case 'o': print_open_flags(o, p->abi, v); break;
    case 'P': {
        static const struct name_val prots[] = {
            {PROT_READ, "PROT_READ"}, {PROT_WRITE, "PROT_WRITE"}, {PROT_EXEC, "PROT_EXEC"}};
        print_bits(o, v, NAMES(prots), "PROT_NONE");
        break;
    }
    case 'M': print_bits(o, v, NAMES(map_flags), NULL); break;
    case 'S':
        name = user_signal_name((int)v);
        if (name)
            fputs(name, o);
        else
            fprintf(o, "%d", (int)v);
        break;
    case 'w':
    case 'c':
    case 'i':
    case 'k':
        name = kind == 'w'   ? find_name(NAMES(whences), (int64_t)v)
               : kind == 'c' ? find_name(NAMES(fcntl_cmds), (int)v)
               : kind == 'i' ? find_name(NAMES(ioctls), (int64_t)(uint32_t)v)
                             : find_name(NAMES(clocks), (int)v);
        if (name)
            fputs(name, o);
        else if (kind == 'i')
            fprintf(o, "0x%" PRIx64, v);
        else
            fprintf(o, "%d", (int)v);
        break;
    default: fprintf(o, "0x%" PRIx64, v); break;
    }
}

void user_strace_call(struct user_proc *p, uint64_t nr, const struct user_syscall *sc,
                      const uint64_t *a)
{
    FILE *o = log_out();
    fprintf(o, "%d ", (int)getpid());
    if (!sc) {
        fprintf(o, "Unknown syscall %" PRIu64 "\n", nr);
        fflush(o);
        return;
    }
    fprintf(o, "%s(", sc->name);
    if (!sc->args) {
        for (int i = 0; i < 6; i++)
            fprintf(o, "%s0x%" PRIx64, i ? "," : "", a[i]);
    } else {
        for (int i = 0; sc->args[i] && i < 6; i++) {
            if (i)
                fputc(',', o);
            print_arg(o, p, sc->args[i], a[i]);
        }
    }
    fputc(')', o);
    if (sc->ret == 'n')
        fputc('\n', o);
    fflush(o);
}

void user_strace_ret(struct user_proc *p, const struct user_syscall *sc, int64_t r)
{
    if (!sc)
        return;
    FILE *o = log_out();
    if (r < 0 && r >= -4095)
        fprintf(o, " = -1 errno=%d (%s)\n", (int)-r, strerror((int)-r));
    else if (sc->ret == 'x')
        fprintf(o, " = 0x%016" PRIx64 "\n", (uint64_t)r);
    else if (sc->ret == 'o')
        fprintf(o, " = 0%" PRIo64 "\n", (uint64_t)r);
    else
        fprintf(o, " = %" PRId64 "\n", r);
    fflush(o);
}
