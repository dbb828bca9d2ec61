/* ELF loader of Linux user mode (user/elf.h): header and program-header
 * checks with messages a person can act on, then the PT_LOAD segments copied
 * into anonymous guest mappings with their final protections. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend/frontend.h"
#include "user/elf.h"

static int elf_fail(char *err, size_t errlen, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int elf_fail(char *err, size_t errlen, const char *name, const char *fmt, ...)
{
    int n = snprintf(err, errlen, "%s: ", name);
    if (n < 0 || (size_t)n >= errlen)
        return USER_EXIT_NOEXEC;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return USER_EXIT_NOEXEC;
}

static const char *machine_name(unsigned m)
{
    switch (m) {
    case EM_386: return "i386";
    case EM_X86_64: return "x86-64";
    case EM_ARM: return "32-bit ARM";
    case EM_AARCH64: return "AArch64";
    case EM_RISCV: return "RISC-V";
    case EM_PPC: return "PowerPC";
    case EM_PPC64: return "PowerPC64";
    case EM_S390: return "s390";
    case EM_MIPS: return "MIPS";
    case EM_SPARCV9: return "SPARC64";
    case EM_LOONGARCH: return "LoongArch";
    default: return "an unknown machine";
    }
}

/* Header fields in 64-bit form. */
struct elf_hdr {
    unsigned cls, type, machine, phentsize, phnum;
    uint64_t entry, phoff;
};

static void read_hdr(const uint8_t *buf, struct elf_hdr *h)
{
    h->cls = buf[EI_CLASS];
    if (h->cls == ELFCLASS64) {
        Elf64_Ehdr e;
        memcpy(&e, buf, sizeof(e));
        *h = (struct elf_hdr){ELFCLASS64, e.e_type, e.e_machine, e.e_phentsize, e.e_phnum,
                              e.e_entry, e.e_phoff};
    } else {
        Elf32_Ehdr e;
        memcpy(&e, buf, sizeof(e));
        *h = (struct elf_hdr){ELFCLASS32, e.e_type, e.e_machine, e.e_phentsize, e.e_phnum,
                              e.e_entry, e.e_phoff};
    }
}

static void read_phdr(const uint8_t *p, unsigned cls, Elf64_Phdr *out)
{
    if (cls == ELFCLASS64) {
        memcpy(out, p, sizeof(*out));
        return;
    }
    Elf32_Phdr q;
    memcpy(&q, p, sizeof(q));
    *out = (Elf64_Phdr){q.p_type, q.p_flags, q.p_offset, q.p_vaddr, q.p_paddr,
                        q.p_filesz, q.p_memsz, q.p_align};
}

static int check_ident(const uint8_t *buf, size_t size, const char *name, char *err, size_t errlen)
{
    if (size >= 2 && buf[0] == '#' && buf[1] == '!')
        return elf_fail(err, errlen, name, "a script (#!), not an ELF program: run its "
                        "interpreter under ferry instead");
    if (size < SELFMAG || memcmp(buf, ELFMAG, SELFMAG) != 0)
        return elf_fail(err, errlen, name, "not an ELF file (no \\177ELF magic)");
    if (size < EI_NIDENT)
        return elf_fail(err, errlen, name, "truncated ELF header (%zu bytes)", size);
    unsigned cls = buf[EI_CLASS];
    if (cls != ELFCLASS32 && cls != ELFCLASS64)
        return elf_fail(err, errlen, name, "bad ELF class %u (corrupt file?)", cls);
    size_t need = cls == ELFCLASS64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
    if (size < need)
        return elf_fail(err, errlen, name, "truncated ELF header (%zu of %zu bytes)", size, need);
    if (buf[EI_DATA] != ELFDATA2LSB)
        return elf_fail(err, errlen, name, "%s ELF file: only little-endian programs are "
                        "supported", buf[EI_DATA] == ELFDATA2MSB ? "big-endian" : "corrupt");
    if (buf[EI_VERSION] != EV_CURRENT)
        return elf_fail(err, errlen, name, "unknown ELF version %u", buf[EI_VERSION]);
    return 0;
}

static int check_header(const struct elf_hdr *h, uint64_t file_size, const char *name,
                        struct user_elf_info *info, char *err, size_t errlen)
{
    info->fe = frontend_for_elf(h->machine, h->cls);
    if (!info->fe)
        return elf_fail(err, errlen, name, "ELF for %s (e_machine %u, %u-bit): ferry runs "
                        "64-bit AArch64 and x86-64 Linux programs", machine_name(h->machine),
                        h->machine, h->cls == ELFCLASS64 ? 64 : 32);
    switch (h->type) {
    case ET_EXEC:
    case ET_DYN:
        break;
    case ET_REL:
        return elf_fail(err, errlen, name, "a relocatable object (ET_REL), not a program: "
                        "link it first");
    case ET_CORE:
        return elf_fail(err, errlen, name, "a core dump (ET_CORE), not a program");
    default:
        return elf_fail(err, errlen, name, "ELF type %u is not a program (ET_EXEC or ET_DYN)",
                        h->type);
    }
    size_t phsize = h->cls == ELFCLASS64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
    if (h->phnum == 0)
        return elf_fail(err, errlen, name, "no program headers (e_phnum 0)");
    if (h->phentsize != phsize)
        return elf_fail(err, errlen, name, "program header size %u, expected %zu (corrupt file?)",
                        h->phentsize, phsize);
    if (h->phnum > USER_ELF_MAX_PHDRS)
        return elf_fail(err, errlen, name, "%u program headers, more than the %u supported",
                        h->phnum, USER_ELF_MAX_PHDRS);
    if (h->phoff >= file_size || (uint64_t)h->phnum * phsize > file_size - h->phoff)
        return elf_fail(err, errlen, name, "program headers at offset 0x%" PRIx64 " lie outside "
                        "the %" PRIu64 "-byte file (truncated or corrupt)", h->phoff, file_size);
    info->elf_class = h->cls;
    info->machine = h->machine;
    info->type = h->type;
    info->entry = h->entry;
    info->phoff = h->phoff;
    info->phnum = h->phnum;
    info->phentsize = h->phentsize;
    return 0;
}

/* One PT_LOAD: sizes, file range, alignment, order. */
static int check_load(const Elf64_Phdr *ph, unsigned i, uint64_t file_size,
                      const struct user_elf_info *info, const char *name, char *err, size_t errlen)
{
    if (ph->p_filesz > ph->p_memsz)
        return elf_fail(err, errlen, name, "segment %u: file size 0x%" PRIx64 " exceeds its "
                        "memory size 0x%" PRIx64, i, ph->p_filesz, ph->p_memsz);
    if (ph->p_offset > file_size || ph->p_filesz > file_size - ph->p_offset)
        return elf_fail(err, errlen, name, "segment %u: bytes 0x%" PRIx64 "+0x%" PRIx64 " lie "
                        "outside the %" PRIu64 "-byte file (truncated?)", i, ph->p_offset,
                        ph->p_filesz, file_size);
    if (ph->p_vaddr + ph->p_memsz < ph->p_vaddr || ph->p_vaddr + ph->p_memsz > (1ull << 48))
        return elf_fail(err, errlen, name, "segment %u: address range 0x%" PRIx64 "+0x%" PRIx64
                        " is not a user address range", i, ph->p_vaddr, ph->p_memsz);
    if (ph->p_align > 1 && (ph->p_align & (ph->p_align - 1)))
        return elf_fail(err, errlen, name, "segment %u: alignment 0x%" PRIx64 " is not a power "
                        "of two", i, ph->p_align);
    if ((ph->p_vaddr - ph->p_offset) & USER_PAGE_MASK)
        return elf_fail(err, errlen, name, "segment %u: address 0x%" PRIx64 " and file offset 0x%"
                        PRIx64 " differ modulo the page size", i, ph->p_vaddr, ph->p_offset);
    if (info->nseg && ph->p_vaddr < info->seg[info->nseg - 1].vaddr +
                                        info->seg[info->nseg - 1].memsz)
        return elf_fail(err, errlen, name, "segment %u at 0x%" PRIx64 " overlaps or precedes the "
                        "segment before it", i, ph->p_vaddr);
    return 0;
}

int user_elf_check(const uint8_t *buf, size_t size, uint64_t file_size, const char *name,
                   struct user_elf_info *info, char *err, size_t errlen)
{
    memset(info, 0, sizeof(*info));
    int r = check_ident(buf, size, name, err, errlen);
    if (r)
        return r;
    struct elf_hdr h;
    read_hdr(buf, &h);
    if ((r = check_header(&h, file_size, name, info, err, errlen)) != 0)
        return r;
    if (h.phoff + (uint64_t)h.phnum * h.phentsize > size)
        return elf_fail(err, errlen, name, "program headers at offset 0x%" PRIx64 " are beyond "
                        "the first %zu bytes ferry reads", h.phoff, size);
    bool interp = false, have_phdr = false;
    info->lo = UINT64_MAX;
    info->align = USER_PAGE_SIZE;
    for (unsigned i = 0; i < h.phnum; i++) {
        Elf64_Phdr ph;
        read_phdr(buf + h.phoff + (uint64_t)i * h.phentsize, h.cls, &ph);
        switch (ph.p_type) {
        case PT_INTERP:
            interp = true;
            break;
        case PT_PHDR:
            info->phdr_vaddr = ph.p_vaddr;
            have_phdr = true;
            break;
        case PT_GNU_STACK:
            info->exec_stack = (ph.p_flags & PF_X) != 0;
            break;
        case PT_LOAD:
            if ((r = check_load(&ph, i, file_size, info, name, err, errlen)) != 0)
                return r;
            info->seg[info->nseg++] = (struct user_elf_seg){ph.p_vaddr, ph.p_memsz, ph.p_offset,
                                                            ph.p_filesz, ph.p_flags};
            if (user_page_down(ph.p_vaddr) < info->lo)
                info->lo = user_page_down(ph.p_vaddr);
            if (user_page_up(ph.p_vaddr + ph.p_memsz) > info->hi)
                info->hi = user_page_up(ph.p_vaddr + ph.p_memsz);
            if (ph.p_align > info->align)
                info->align = ph.p_align;
            if (!have_phdr && h.phoff >= ph.p_offset && h.phoff - ph.p_offset < ph.p_filesz)
                info->phdr_vaddr = ph.p_vaddr + (h.phoff - ph.p_offset);
            break;
        default:
            break;
        }
    }
    if (interp)
        return elf_fail(err, errlen, name, "dynamically linked (has PT_INTERP): dynamic programs "
                        "are not supported yet (use a static build; -L comes with dynamic support)");
    if (!info->nseg)
        return elf_fail(err, errlen, name, "no loadable segment (PT_LOAD)");
    bool entry_ok = false;
    for (unsigned i = 0; i < info->nseg; i++) {
        const struct user_elf_seg *s = &info->seg[i];
        if ((s->flags & PF_X) && h.entry >= s->vaddr && h.entry - s->vaddr < s->memsz)
            entry_ok = true;
    }
    if (!entry_ok)
        return elf_fail(err, errlen, name, "entry point 0x%" PRIx64 " lies outside every "
                        "executable segment", h.entry);
    if (info->type == ET_EXEC && info->lo < USER_MM_MIN_ADDR)
        return elf_fail(err, errlen, name, "loads at 0x%" PRIx64 ", below the lowest address a "
                        "program may use (0x%llx)", info->lo, USER_MM_MIN_ADDR);
    return 0;
}

int user_elf_open(const char *path, struct user_elf_info *info, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        return e == ENOENT || e == ENOTDIR ? -USER_EXIT_NOTFOUND : -USER_EXIT_NOEXEC;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: %s", path,
                 S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
        close(fd);
        return -USER_EXIT_NOEXEC;
    }
    /* header and program headers: they sit at the start of every real program */
    size_t want = 64 * 1024;
    uint8_t *buf = malloc(want);
    if (!buf) {
        close(fd);
        snprintf(err, errlen, "%s: out of memory", path);
        return -USER_EXIT_NOEXEC;
    }
    ssize_t n = pread(fd, buf, want, 0);
    if (n < 0) {
        snprintf(err, errlen, "%s: read: %s", path, strerror(errno));
        free(buf);
        close(fd);
        return -USER_EXIT_NOEXEC;
    }
    int r = user_elf_check(buf, (size_t)n, (uint64_t)st.st_size, path, info, err, errlen);
    free(buf);
    if (r) {
        close(fd);
        return -r;
    }
    return fd;
}

static int seg_prot(uint32_t pf)
{
    return (pf & PF_R ? PROT_READ : 0) | (pf & PF_W ? PROT_WRITE : 0) | (pf & PF_X ? PROT_EXEC : 0);
}

int user_elf_load(struct user_mm *mm, int fd, const char *path, const struct user_elf_info *info,
                  struct user_image *img, char *err, size_t errlen)
{
    memset(img, 0, sizeof(*img));
    img->info = *info;
    uint64_t span = info->hi - info->lo;
    if (info->type == ET_DYN) {
        /* static PIE: at USER_PIE_BASE if it fits there, else wherever mmap would put it */
        uint64_t base = user_mm_find_free(mm, span, info->align,
                                          mm->size > USER_PIE_BASE + span ? USER_PIE_BASE : 0);
        if (base == UINT64_MAX)
            return elf_fail(err, errlen, path, "no room for %" PRIu64 " KiB of program",
                            span >> 10);
        img->bias = base - info->lo;
    }
    img->lo = info->lo + img->bias;
    img->hi = info->hi + img->bias;
    if (img->hi > mm->size || !user_mm_is_free(mm, img->lo, span))
        return elf_fail(err, errlen, path, "loads at 0x%" PRIx64 "-0x%" PRIx64 ", outside the "
                        "guest address space (0-0x%" PRIx64 ")", img->lo, img->hi, mm->size);
    /* writable first, copy, then the final protections (a page shared by two
     * segments gets the union of theirs) */
    int r = user_mm_map(mm, img->lo, span, PROT_READ | PROT_WRITE, MAP_PRIVATE, -1, 0,
                        USER_VMA_IMAGE);
    if (r < 0)
        return elf_fail(err, errlen, path, "cannot map %" PRIu64 " KiB at 0x%" PRIx64 ": %s",
                        span >> 10, img->lo, strerror(-r));
    for (unsigned i = 0; i < info->nseg; i++) {
        const struct user_elf_seg *s = &info->seg[i];
        uint8_t *dst = mm->base + s->vaddr + img->bias;
        uint64_t done = 0;
        while (done < s->filesz) {
            ssize_t n = pread(fd, dst + done, s->filesz - done, (off_t)(s->offset + done));
            if (n <= 0)
                return elf_fail(err, errlen, path, "segment %u: %s", i,
                                n < 0 ? strerror(errno) : "file ends early (truncated?)");
            done += (uint64_t)n;
        }
    }
    /* holes between segments go back to the reservation */
    uint64_t at = img->lo;
    for (unsigned i = 0; i < info->nseg; i++) {
        const struct user_elf_seg *s = &info->seg[i];
        uint64_t ps = user_page_down(s->vaddr + img->bias);
        if (ps > at)
            user_mm_munmap(mm, at, ps - at);
        uint64_t pe = user_page_up(s->vaddr + img->bias + s->memsz);
        if (pe > at)
            at = pe;
    }
    for (unsigned i = 0; i < info->nseg; i++) {
        const struct user_elf_seg *s = &info->seg[i];
        uint64_t ps = user_page_down(s->vaddr + img->bias);
        uint64_t pe = user_page_up(s->vaddr + img->bias + s->memsz);
        int prot = seg_prot(s->flags);
        /* the first page may be shared with the previous segment, the last with the next */
        if (i > 0 && user_page_up(info->seg[i - 1].vaddr + info->seg[i - 1].memsz + img->bias) > ps)
            user_mm_mprotect(mm, ps, USER_PAGE_SIZE, prot | seg_prot(info->seg[i - 1].flags));
        uint64_t from = ps, to = pe;
        if (i > 0 && user_page_up(info->seg[i - 1].vaddr + info->seg[i - 1].memsz + img->bias) > ps)
            from += USER_PAGE_SIZE;
        if (i + 1 < info->nseg && user_page_down(info->seg[i + 1].vaddr + img->bias) < pe) {
            to -= USER_PAGE_SIZE;
            user_mm_mprotect(mm, to, USER_PAGE_SIZE, prot | seg_prot(info->seg[i + 1].flags));
        }
        if (to > from && (r = user_mm_mprotect(mm, from, to - from, prot)) < 0)
            return elf_fail(err, errlen, path, "segment %u: mprotect: %s", i, strerror(-r));
    }
    img->entry = info->entry + img->bias;
    img->phdr = info->phdr_vaddr ? info->phdr_vaddr + img->bias : 0;
    img->brk = img->hi;
    return 0;
}
