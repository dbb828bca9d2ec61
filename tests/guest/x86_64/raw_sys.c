/* The x86-64 system call ABI without libc: arch_prctl and %fs/%gs-relative
 * loads, the legacy path-name calls (open, stat, mkdir, unlink, readlink,
 * pipe, dup2, fork), mmap/brk, uname, the start-up stack (argv, envp, auxv)
 * and a fork whose child exits with a status the parent reads by wait4.
 * Printed values are the ones that are the same natively and under ferry. */
#include "nolibc.h"

#define AT_NULL 0
#define AT_PAGESZ 6
#define AT_HWCAP 16
#define AT_PLATFORM 15
#define AT_RANDOM 25
#define AT_EXECFN 31

static uint64_t fs_load(uint64_t off)
{
    uint64_t v;
    __asm__ volatile("mov %%fs:(%1), %0" : "=r"(v) : "r"(off));
    return v;
}

static uint64_t gs_load(uint64_t off)
{
    uint64_t v;
    __asm__ volatile("mov %%gs:(%1), %0" : "=r"(v) : "r"(off));
    return v;
}

static const char *tail(const char *s)
{
    const char *t = s;
    for (; *s; s++)
        if (*s == '/')
            t = s + 1;
    return t;
}

static void auxv(char **envp)
{
    while (*envp)
        envp++;
    uint64_t v[32] = {0};
    for (uint64_t *av = (uint64_t *)(envp + 1); av[0] != AT_NULL; av += 2)
        if (av[0] < 32)
            v[av[0]] = av[1];
    out_kv("AT_PAGESZ", (int64_t)v[AT_PAGESZ]);
    out_str("AT_PLATFORM ");
    out_str(v[AT_PLATFORM] ? (const char *)v[AT_PLATFORM] : "(none)");
    out_char('\n');
    out_kv("AT_RANDOM set", v[AT_RANDOM] != 0);
    out_str("AT_EXECFN ");
    out_str(v[AT_EXECFN] ? tail((const char *)v[AT_EXECFN]) : "(none)");
    out_char('\n');
    /* TSC and CMOV: bits every x86-64 has (ferry advertises fewer than hardware) */
    out_kv("AT_HWCAP tsc+cmov", (v[AT_HWCAP] & 0x8010) == 0x8010);
}

static char tls_block[64] __attribute__((aligned(16)));
static char gs_block[64] __attribute__((aligned(16)));

int main(int argc, char **argv, char **envp)
{
    out_kv("argc", argc);
    for (int i = 1; i < argc; i++) {
        out_str("argv ");
        out_str(argv[i]);
        out_char('\n');
    }
    int nenv = 0;
    for (char **e = envp; *e; e++)
        nenv++;
    out_kv("envp has entries", nenv > 0);
    auxv(envp);

    /* FS and GS bases */
    uint64_t old = 1;
    out_kv("ARCH_GET_FS", sys2(NR_arch_prctl, 0x1003, (long)&old));
    out_kv("initial fs base is 0", old == 0);
    ((uint64_t *)tls_block)[0] = (uint64_t)tls_block; /* a TCB pointing to itself */
    ((uint64_t *)tls_block)[3] = 0x1122334455667788ull;
    ((uint64_t *)gs_block)[1] = 0xfeedface;
    out_kv("ARCH_SET_FS", sys2(NR_arch_prctl, 0x1002, (long)tls_block));
    out_kv("ARCH_SET_GS", sys2(NR_arch_prctl, 0x1001, (long)gs_block));
    out_kx("fs:24", fs_load(24));
    out_kv("fs:0 is the block", fs_load(0) == (uint64_t)tls_block);
    out_kx("gs:8", gs_load(8));
    uint64_t got = 0;
    sys2(NR_arch_prctl, 0x1003, (long)&got);
    out_kv("ARCH_GET_FS round trip", got == (uint64_t)tls_block);
    sys2(NR_arch_prctl, 0x1004, (long)&got);
    out_kv("ARCH_GET_GS round trip", got == (uint64_t)gs_block);
    out_kv("ARCH_SET_FS non-canonical", sys2(NR_arch_prctl, 0x1002, (long)0x8000000000000000ull));
    out_kv("arch_prctl bad code", sys2(NR_arch_prctl, 0x9999, 0));

    /* uname */
    char uts[6][65];
    out_kv("uname", sys1(NR_uname, (long)uts));
    out_str("machine ");
    out_str(uts[4]);
    out_str(" sysname ");
    out_str(uts[0]);
    out_char('\n');

    /* files by the legacy calls, in a per-process directory */
    char dir[64] = "/tmp/ferry-raw-sys-";
    long pid = sys0(NR_getpid);
    char *d = dir + nl_strlen(dir);
    for (long v = pid; v; v /= 10)
        *d++ = (char)('0' + v % 10);
    *d = 0;
    out_kv("mkdir", sys2(NR_mkdir, (long)dir, 0700));
    out_kv("mkdir again", sys2(NR_mkdir, (long)dir, 0700));
    char path[96];
    memcpy(path, dir, nl_strlen(dir));
    memcpy(path + nl_strlen(dir), "/f", 3);
    long fd = sys3(NR_open, (long)path, 01 | 0100 | 01000, 0600); /* O_WRONLY|O_CREAT|O_TRUNC */
    out_kv("open for writing ok", fd >= 0);
    out_kv("write", sys3(NR_write, fd, (long)"0123456789abcdef", 16));
    out_kv("close", sys1(NR_close, fd));
    uint64_t st[18]; /* struct stat: 144 bytes */
    out_kv("stat", sys2(NR_stat, (long)path, (long)st));
    out_kv("st_size", (int64_t)st[6]);
    out_kx("st_mode", st[3] & 0xffffffff);
    out_kv("st_nlink", (int64_t)st[2]);
    fd = sys2(NR_open, (long)path, 0);
    char buf[32] = {0};
    out_kv("lseek", sys3(NR_lseek, fd, 10, 0));
    out_kv("read", sys3(NR_read, fd, (long)buf, sizeof buf));
    out_str("read back ");
    out_str(buf);
    out_char('\n');
    out_kv("fstat", sys2(NR_fstat, fd, (long)st));
    out_kv("fstat size", (int64_t)st[6]);
    out_kv("dup2 to 9", sys2(NR_dup2, fd, 9));
    out_kv("dup2 9 to itself", sys2(NR_dup2, 9, 9));
    sys1(NR_close, fd);
    sys1(NR_close, 9);
    out_kv("dup2 of a closed fd", sys2(NR_dup2, 9, 9));
    out_kv("open missing", sys2(NR_open, (long)"/nonexistent/ferry", 0));
    out_kv("readlink of a file", sys3(NR_readlink, (long)path, (long)buf, sizeof buf));
    out_kv("unlink", sys1(NR_unlink, (long)path));
    out_kv("unlink again", sys1(NR_unlink, (long)path));
    out_kv("rmdir", sys1(NR_rmdir, (long)dir));

    /* memory */
    long brk0 = sys1(NR_brk, 0);
    long brk1 = sys1(NR_brk, brk0 + 65536);
    out_kv("brk grows", brk1 == brk0 + 65536);
    ((volatile char *)brk0)[65535] = 1;
    long m = sys6(NR_mmap, 0, 8192, 3, 0x22, -1, 0); /* RW, MAP_PRIVATE|MAP_ANONYMOUS */
    out_kv("mmap ok", m > 0 && (m & 4095) == 0);
    ((volatile uint64_t *)m)[1000] = 77;
    out_kv("mmap reads back", ((volatile uint64_t *)m)[1000]);
    out_kv("munmap", sys2(NR_munmap, m, 8192));

    /* pipe, fork, wait4 */
    int fds[2];
    out_kv("pipe", sys1(NR_pipe, (long)fds));
    out_flush();
    long child = sys0(NR_fork);
    if (child == 0) {
        sys1(NR_close, fds[0]);
        sys3(NR_write, fds[1], (long)"from the child", 14);
        /* the child keeps the parent's FS base */
        sys1(NR_exit_group, (int)(fs_load(24) & 0x7f));
    }
    sys1(NR_close, fds[1]);
    char cbuf[32] = {0};
    out_kv("read from child", sys3(NR_read, fds[0], (long)cbuf, sizeof cbuf - 1));
    out_str(cbuf);
    out_char('\n');
    int status = 0;
    out_kv("wait4 is the child", sys6(NR_wait4, child, (long)&status, 0, 0, 0, 0) == child);
    out_kv("child exit status", (status >> 8) & 0xff);
    long t = sys1(NR_time, 0);
    out_kv("time is after 2020", t > 1577836800);
    return 0;
}
