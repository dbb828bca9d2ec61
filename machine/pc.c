/* The pc machine: RAM and its map, device wiring, and the loader front end
 * that picks the boot protocol and checks segment placement. */
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "machine/loader.h"

void pc_format_size(uint64_t bytes, char *buf, size_t len)
{
    static const char *const unit[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    unsigned u = 0;
    uint64_t scale = 1;
    while (u < 4 && bytes >= scale * 1024)
        scale *= 1024, u++;
    if (bytes % scale == 0)
        snprintf(buf, len, "%" PRIu64 " %s", bytes / scale, unit[u]);
    else
        snprintf(buf, len, "%.1f %s", (double)bytes / (double)scale, unit[u]);
}

int pc_parse_ram_size(const char *s, uint64_t *out, char *err, size_t errlen)
{
    char *end;
    if (!s || !isdigit((unsigned char)*s)) {
        snprintf(err, errlen, "-m '%s': expected a size such as 128, 512M or 2G", s ? s : "");
        return -EINVAL;
    }
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    unsigned shift = 20; /* no suffix: MiB */
    switch (toupper((unsigned char)*end)) {
    case '\0': break;
    case 'K': shift = 10; end++; break;
    case 'M': shift = 20; end++; break;
    case 'G': shift = 30; end++; break;
    case 'T': shift = 40; end++; break;
    default: shift = 64; break;
    }
    if (shift != 64 && (*end == 'B' || *end == 'b'))
        end++;
    if (shift == 64 || *end != '\0' || errno == ERANGE) {
        snprintf(err, errlen, "-m '%s': expected a size such as 128, 512M or 2G", s);
        return -EINVAL;
    }
    if (n > (PC_RAM_MAX >> shift) || (n << shift) < PC_RAM_MIN) {
        snprintf(err, errlen, "-m '%s': RAM must be between 4 MiB and 64 GiB", s);
        return -ERANGE;
    }
    uint64_t bytes = (uint64_t)n << shift;
    if (bytes % 4096) {
        snprintf(err, errlen, "-m '%s': RAM must be a multiple of 4 KiB", s);
        return -EINVAL;
    }
    *out = bytes;
    return 0;
}

int pc_init(struct pc_machine *pc, const struct pc_config *cfg, char *err, size_t errlen)
{
    memset(pc, 0, sizeof(*pc));
    uint64_t size = cfg->ram_size ? cfg->ram_size : PC_RAM_DEFAULT;
    char sz[32];
    pc_format_size(size, sz, sizeof sz);
    if (size < PC_RAM_MIN || size > PC_RAM_MAX || size % 4096) {
        snprintf(err, errlen, "RAM size %s: must be a multiple of 4 KiB between 4 MiB and 64 GiB",
                 sz);
        return -EINVAL;
    }
    void *ram = mmap(NULL, size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (ram == MAP_FAILED) {
        int e = errno;
        snprintf(err, errlen, "cannot allocate %s of guest RAM: %s", sz, strerror(e));
        return -e;
    }
    pc->ram = ram;
    pc->ram_size = size;
    physmem_init(&pc->mem);
    uint64_t low = size < PC_HOLE_START ? size : PC_HOLE_START;
    int r = physmem_add(&pc->mem, 0, low, ram);
    if (r == 0 && size > low)
        r = physmem_add(&pc->mem, PC_HIGH_RAM_START, size - low, (uint8_t *)ram + low);
    if (r) {
        snprintf(err, errlen, "internal error: RAM regions: %s", strerror(-r));
        pc_destroy(pc);
        return r;
    }

    bus_init(&pc->bus);
    uart_init(&pc->com1, -1);
    r = uart_set_backend(&pc->com1, cfg->serial, err, errlen);
    if (r) {
        pc_destroy(pc);
        return r;
    }
    debug_exit_init(&pc->dbg_exit, &pc->status);
    i8042_init(&pc->kbc, &pc->status);
    timestamp_init(&pc->ts);
    r = bus_register(&pc->bus, BUS_PIO, UART_COM1_BASE, UART_NREGS, &uart_ops, &pc->com1, "com1");
    if (r == 0)
        r = i8042_register(&pc->kbc, &pc->bus);
    if (r == 0)
        r = bus_register(&pc->bus, BUS_PIO, TIMESTAMP_BASE, TIMESTAMP_LEN, &timestamp_ops,
                         &pc->ts, "timestamp");
    if (r == 0)
        r = bus_register(&pc->bus, BUS_PIO, DEBUG_EXIT_BASE, DEBUG_EXIT_LEN, &debug_exit_ops,
                         &pc->dbg_exit, "debug-exit");
    if (r) {
        snprintf(err, errlen, "internal error: device wiring: %s", strerror(-r));
        pc_destroy(pc);
        return r;
    }
    return 0;
}

void pc_destroy(struct pc_machine *pc)
{
    uart_destroy(&pc->com1);
    bus_destroy(&pc->bus);
    if (pc->ram)
        munmap(pc->ram, pc->ram_size);
    pc->ram = NULL;
    pc->mem.count = 0;
}

unsigned pc_memory_map(const struct pc_machine *pc, struct pc_mmap_entry *out, unsigned max)
{
    unsigned n = 0;
    const struct physmem_region *low = &pc->mem.region[0];
    if (n < max)
        out[n++] = (struct pc_mmap_entry){0, PC_LOW_RAM_END, PC_MEM_USABLE, 0};
    if (n < max)
        out[n++] = (struct pc_mmap_entry){PC_LOW_RAM_END, 0xa0000 - PC_LOW_RAM_END,
                                          PC_MEM_RESERVED, 0};
    if (n < max && low->size > PC_IMAGE_MIN)
        out[n++] = (struct pc_mmap_entry){PC_IMAGE_MIN, low->size - PC_IMAGE_MIN, PC_MEM_USABLE, 0};
    for (unsigned i = 1; i < pc->mem.count && n < max; i++)
        out[n++] = (struct pc_mmap_entry){pc->mem.region[i].gpa, pc->mem.region[i].size,
                                          PC_MEM_USABLE, 0};
    return n;
}

int load_fail(struct load_ctx *ctx, int code, const char *fmt, ...)
{
    int n = snprintf(ctx->err, ctx->errlen, "%s: ", ctx->name);
    if (n >= 0 && (size_t)n < ctx->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ctx->err + n, ctx->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return code;
}

static int load_seg_cmp(const void *a, const void *b)
{
    const struct load_seg *x = a, *y = b;
    return x->gpa < y->gpa ? -1 : x->gpa > y->gpa;
}

int load_check_segments(struct load_ctx *ctx, struct load_seg *seg, unsigned n, uint64_t entry,
                        uint64_t *lo, uint64_t *hi)
{
    char ram[32];
    pc_format_size(ctx->pc->ram_size, ram, sizeof ram);
    if (n == 0)
        return load_fail(ctx, -ENOEXEC, "no loadable (PT_LOAD) segment");
    for (unsigned i = 0; i < n; i++) {
        const struct load_seg *s = &seg[i];
        if (s->filesz > s->memsz)
            return load_fail(ctx, -ENOEXEC,
                             "segment %u: file size 0x%" PRIx64 " exceeds memory size 0x%" PRIx64,
                             s->index, s->filesz, s->memsz);
        if (s->offset > ctx->size || s->filesz > ctx->size - s->offset)
            return load_fail(ctx, -ENOEXEC,
                             "segment %u: file bytes [0x%" PRIx64 "-0x%" PRIx64 ") lie beyond "
                             "the end of the file (%zu bytes): truncated or corrupt image",
                             s->index, s->offset, s->offset + s->filesz, ctx->size);
        if (s->gpa + s->memsz < s->gpa)
            return load_fail(ctx, -ENOEXEC,
                             "segment %u at 0x%" PRIx64 " with size 0x%" PRIx64
                             " wraps around the address space", s->index, s->gpa, s->memsz);
        if (s->gpa < PC_IMAGE_MIN)
            return load_fail(ctx, -ENOEXEC,
                             "segment %u [0x%" PRIx64 "-0x%" PRIx64 ") is below 1 MiB, which "
                             "holds ferry's boot structures; link the image at 0x100000 or above",
                             s->index, s->gpa, s->gpa + s->memsz);
        if (!phys_ptr(&ctx->pc->mem, s->gpa, s->memsz))
            return load_fail(ctx, -ENOEXEC,
                             "segment %u [0x%" PRIx64 "-0x%" PRIx64 ") does not fit in %s of RAM%s",
                             s->index, s->gpa, s->gpa + s->memsz, ram,
                             ctx->pc->mem.count > 1 ? " (or spans the hole at 3-4 GiB)"
                                                    : "; try a larger -m");
    }
    struct load_seg *sorted = malloc(n * sizeof(*sorted));
    if (!sorted)
        return load_fail(ctx, -ENOMEM, "out of memory");
    memcpy(sorted, seg, n * sizeof(*sorted));
    qsort(sorted, n, sizeof(*sorted), load_seg_cmp);
    int r = 0;
    for (unsigned i = 1; i < n && r == 0; i++) {
        const struct load_seg *a = &sorted[i - 1], *b = &sorted[i];
        if (a->gpa + a->memsz > b->gpa)
            r = load_fail(ctx, -ENOEXEC,
                          "segments %u [0x%" PRIx64 "-0x%" PRIx64 ") and %u [0x%" PRIx64
                          "-0x%" PRIx64 ") overlap", a->index, a->gpa, a->gpa + a->memsz,
                          b->index, b->gpa, b->gpa + b->memsz);
    }
    if (r == 0) {
        *lo = sorted[0].gpa;
        *hi = 0;
        bool entry_ok = false;
        for (unsigned i = 0; i < n; i++) {
            if (sorted[i].gpa + sorted[i].memsz > *hi)
                *hi = sorted[i].gpa + sorted[i].memsz;
            if (entry >= sorted[i].gpa && entry - sorted[i].gpa < sorted[i].memsz)
                entry_ok = true;
        }
        if (!entry_ok)
            r = load_fail(ctx, -ENOEXEC, "entry point 0x%" PRIx64 " is not inside any loaded segment",
                          entry);
    }
    free(sorted);
    return r;
}

void load_copy_segments(struct load_ctx *ctx, const struct load_seg *seg, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        uint8_t *dst = phys_ptr(&ctx->pc->mem, seg[i].gpa, seg[i].memsz);
        memcpy(dst, ctx->image + seg[i].offset, seg[i].filesz);
        memset(dst + seg[i].filesz, 0, seg[i].memsz - seg[i].filesz);
    }
}

int pc_write_cmdline(struct load_ctx *ctx, const char *prefix, const char *cmdline,
                     uint32_t *len_out)
{
    if (!cmdline)
        cmdline = "";
    size_t pl = prefix ? strlen(prefix) : 0, cl = strlen(cmdline);
    size_t len = pl + (pl && cl ? 1 : 0) + cl;
    if (len >= PC_CMDLINE_MAX)
        return load_fail(ctx, -E2BIG, "command line of %zu bytes is too long (at most %d)", len,
                         PC_CMDLINE_MAX - 1);
    char *p = pc_boot_ptr(ctx->pc, PC_CMDLINE_ADDR, PC_CMDLINE_MAX);
    memcpy(p, prefix ? prefix : "", pl);
    if (pl && cl)
        p[pl] = ' ';
    memcpy(p + pl + (pl && cl ? 1 : 0), cmdline, cl);
    p[len] = '\0';
    *len_out = (uint32_t)len;
    return 0;
}

static bool pc_is_elf(const uint8_t *image, size_t size)
{
    return size >= SELFMAG && memcmp(image, ELFMAG, SELFMAG) == 0;
}

enum pc_boot_protocol pc_detect_protocol(const uint8_t *image, size_t size)
{
    long bad;
    if (pc_is_elf(image, size) && size > EI_CLASS && image[EI_CLASS] == ELFCLASS64)
        return PC_BOOT_ELF64;
    if (multiboot_find_header(image, size, &bad) >= 0)
        return PC_BOOT_MULTIBOOT;
    return PC_BOOT_NONE;
}

int pc_load_image(struct pc_machine *pc, const uint8_t *image, size_t size, const char *name,
                  const struct pc_boot_options *opt, struct x86_boot_state *out, char *err,
                  size_t errlen)
{
    static const struct pc_boot_options defaults = {0};
    struct load_ctx ctx = {.pc = pc, .image = image, .size = size, .name = name ? name : "image",
                           .opt = opt ? opt : &defaults, .err = err, .errlen = errlen};
    if (ctx.opt->entry_ring != 0 && ctx.opt->entry_ring != 3)
        return load_fail(&ctx, -EINVAL, "entry ring %u: must be 0 or 3", ctx.opt->entry_ring);
    memset(out, 0, sizeof(*out));
    switch (pc_detect_protocol(image, size)) {
    case PC_BOOT_ELF64:
        return load_elf64(&ctx, out);
    case PC_BOOT_MULTIBOOT:
        if (ctx.opt->entry_ring != 0)
            return load_fail(&ctx, -EINVAL, "Multiboot images start at ring 0 (the protocol "
                             "enters in 32-bit protected mode); --entry-ring=3 needs an ELF64 image");
        return load_multiboot(&ctx, out);
    case PC_BOOT_NONE:
        break;
    }
    long bad;
    multiboot_find_header(image, size, &bad);
    if (bad >= 0)
        return load_fail(&ctx, -ENOEXEC, "Multiboot header at offset 0x%lx has a bad checksum", bad);
    if (pc_is_elf(image, size))
        return load_fail(&ctx, -ENOEXEC, "32-bit (or unknown class) ELF without a Multiboot "
                         "header: ferry boots ELF64 x86-64 images directly and 32-bit images "
                         "through Multiboot v1");
    if (size < SELFMAG)
        return load_fail(&ctx, -ENOEXEC, "file too short (%zu bytes) to be a guest image", size);
    return load_fail(&ctx, -ENOEXEC, "not an ELF file and no Multiboot header in the first 8 KiB");
}

int pc_load(struct pc_machine *pc, const char *path, const struct pc_boot_options *opt,
            struct x86_boot_state *out, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        return -e;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        close(fd);
        return -e;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        close(fd);
        return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
    }
    /* The image must fit in RAM anyway: refuse files larger than RAM early. */
    if ((uint64_t)st.st_size > pc->ram_size) {
        char ram[32];
        pc_format_size(pc->ram_size, ram, sizeof ram);
        snprintf(err, errlen, "%s: file of %lld bytes is larger than the %s of RAM", path,
                 (long long)st.st_size, ram);
        close(fd);
        return -EFBIG;
    }
    size_t size = (size_t)st.st_size;
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf) {
        snprintf(err, errlen, "%s: out of memory", path);
        close(fd);
        return -ENOMEM;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            int e = r < 0 ? errno : EIO;
            snprintf(err, errlen, "%s: read error: %s", path, r < 0 ? strerror(e) : "short read");
            free(buf);
            close(fd);
            return -e;
        }
        got += (size_t)r;
    }
    close(fd);
    int r = pc_load_image(pc, buf, size, path, opt, out, err, errlen);
    free(buf);
    return r;
}
