/* The guest address space (user/mm.h): the host reservation, the sorted table
 * of guest mappings, mmap/munmap/mprotect/mremap/brk inside the reservation,
 * and checked guest pointers.  Unmapped guest pages stay PROT_NONE in the host,
 * so a guest access to them faults (user/signal.c turns that into SIGSEGV). */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "user/mm.h"

#define RESERVE_ALIGN (2ull << 20) /* guest_base alignment: huge pages line up */

int user_mm_init(struct user_mm *mm, char *err, size_t errlen)
{
    memset(mm, 0, sizeof(*mm));
    long hp = sysconf(_SC_PAGESIZE);
    if (hp != (long)USER_PAGE_SIZE) {
        snprintf(err, errlen, "host page size %ld differs from the guest's %llu bytes: not "
                 "supported yet", hp, USER_PAGE_SIZE);
        return -ENOTSUP;
    }
    for (unsigned bits = USER_MM_MAX_BITS; bits >= USER_MM_MIN_BITS; bits--) {
        uint64_t size = 1ull << bits, total = 2 * size;
        void *p = mmap(NULL, total + RESERVE_ALIGN, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
            continue;
        uintptr_t a = (uintptr_t)p, al = (a + RESERVE_ALIGN - 1) & ~(uintptr_t)(RESERVE_ALIGN - 1);
        if (al > a)
            munmap(p, al - a);
        if (al + total < a + total + RESERVE_ALIGN)
            munmap((void *)(al + total), a + total + RESERVE_ALIGN - (al + total));
        mm->base = (uint8_t *)al;
        mm->size = size;
        mm->reserved = total;
        mm->stack_top = size - USER_STACK_TOP_GAP;
        mm->mmap_top = mm->stack_top - USER_STACK_SIZE - USER_MMAP_GAP;
        return 0;
    }
    snprintf(err, errlen, "cannot reserve even %llu MiB of host address space for the guest "
             "(ulimit -v?)", (1ull << USER_MM_MIN_BITS) >> 20);
    return -ENOMEM;
}

void user_mm_fini(struct user_mm *mm)
{
    if (mm->base)
        munmap(mm->base, mm->reserved);
    free(mm->vma);
    memset(mm, 0, sizeof(*mm));
}

/* ---- the mapping table ---- */

/* Index of the first vma with end > addr (nvma if none). */
static size_t vma_index(const struct user_mm *mm, uint64_t addr)
{
    size_t lo = 0, hi = mm->nvma;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (mm->vma[mid].end <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const struct user_vma *user_mm_find(const struct user_mm *mm, uint64_t addr)
{
    size_t i = vma_index(mm, addr);
    return i < mm->nvma && mm->vma[i].start <= addr ? &mm->vma[i] : NULL;
}

bool user_mm_is_free(const struct user_mm *mm, uint64_t addr, uint64_t len)
{
    if (addr >= mm->size || len > mm->size - addr)
        return false;
    size_t i = vma_index(mm, addr);
    return i == mm->nvma || mm->vma[i].start >= addr + len;
}

static bool vma_mergeable(const struct user_vma *a, const struct user_vma *b)
{
    return a->end == b->start && a->prot == b->prot && a->kind == b->kind &&
           a->kind != USER_VMA_FILE;
}

static void vma_push(struct user_vma *out, size_t *n, struct user_vma v)
{
    if (*n && vma_mergeable(&out[*n - 1], &v))
        out[*n - 1].end = v.end;
    else
        out[(*n)++] = v;
}

/* Remove [s, e) from the table and, if nv, put nv (which covers [s, e)) there. */
static int vma_replace(struct user_mm *mm, uint64_t s, uint64_t e, const struct user_vma *nv)
{
    size_t cap = mm->nvma + 3;
    struct user_vma *out = malloc(cap * sizeof(*out));
    if (!out)
        return -ENOMEM;
    size_t n = 0;
    bool placed = false;
    for (size_t i = 0; i < mm->nvma; i++) {
        struct user_vma v = mm->vma[i];
        if (v.end <= s) {
            vma_push(out, &n, v);
            continue;
        }
        if (v.start < s)
            vma_push(out, &n, (struct user_vma){v.start, s, v.prot, v.kind});
        if (!placed && v.end > s) {
            if (nv)
                vma_push(out, &n, *nv);
            placed = true;
        }
        if (v.end > e)
            vma_push(out, &n, (struct user_vma){v.start > e ? v.start : e, v.end, v.prot, v.kind});
    }
    if (!placed && nv)
        vma_push(out, &n, *nv);
    free(mm->vma);
    mm->vma = out;
    mm->nvma = n;
    mm->cap = cap;
    return 0;
}

/* Does any mapping in [s, e) allow execution?  (Its translations must go.) */
static bool range_has_exec(const struct user_mm *mm, uint64_t s, uint64_t e)
{
    for (size_t i = vma_index(mm, s); i < mm->nvma && mm->vma[i].start < e; i++)
        if (mm->vma[i].prot & PROT_EXEC)
            return true;
    return false;
}

static void code_changed(struct user_mm *mm, uint64_t s, uint64_t e)
{
    if (mm->code_changed && range_has_exec(mm, s, e))
        mm->code_changed(mm->opaque, s, e);
}

/* Is every byte of [s, e) mapped? */
static bool range_mapped(const struct user_mm *mm, uint64_t s, uint64_t e)
{
    uint64_t at = s;
    for (size_t i = vma_index(mm, s); i < mm->nvma && at < e; i++) {
        if (mm->vma[i].start > at)
            return false;
        at = mm->vma[i].end;
    }
    return at >= e;
}

/* Host protection of a guest one: the host never executes guest code, but
 * the translator reads it, so exec implies read. */
static int host_prot(int prot)
{
    int p = prot & (PROT_READ | PROT_WRITE);
    if (prot & PROT_EXEC)
        p |= PROT_READ;
    return p;
}

/* Give [s, e) back to the reservation (PROT_NONE, no memory). */
static int host_unreserve(struct user_mm *mm, uint64_t s, uint64_t e)
{
    void *p = mmap(mm->base + s, e - s, PROT_NONE,
                   MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? -errno : 0;
}

static bool range_ok(const struct user_mm *mm, uint64_t addr, uint64_t len)
{
    return len && addr < mm->size && len <= mm->size - addr;
}

/* ---- mapping ---- */

int user_mm_map(struct user_mm *mm, uint64_t addr, uint64_t len, int prot, int host_flags, int fd,
                off_t offset, int kind)
{
    if ((addr | len) & USER_PAGE_MASK || !range_ok(mm, addr, len))
        return -EINVAL;
    int flags = MAP_FIXED | (host_flags & (MAP_PRIVATE | MAP_SHARED | MAP_NORESERVE | MAP_POPULATE));
    if (fd < 0)
        flags |= MAP_ANONYMOUS;
    code_changed(mm, addr, addr + len);
    void *p = mmap(mm->base + addr, len, host_prot(prot), flags, fd < 0 ? -1 : fd,
                   fd < 0 ? 0 : offset);
    if (p == MAP_FAILED) {
        int e = -errno;
        /* a failed MAP_FIXED may have dropped what was there: keep table and host in step */
        host_unreserve(mm, addr, addr + len);
        vma_replace(mm, addr, addr + len, NULL);
        return e;
    }
    struct user_vma v = {addr, addr + len, prot & (PROT_READ | PROT_WRITE | PROT_EXEC), kind};
    return vma_replace(mm, addr, addr + len, &v);
}

int64_t user_mm_mmap(struct user_mm *mm, uint64_t addr, uint64_t len, int prot, int flags, int fd,
                     off_t offset)
{
    if (!len || len > mm->size)
        return len ? -ENOMEM : -EINVAL;
    if (offset & (off_t)USER_PAGE_MASK)
        return -EINVAL;
    int type = flags & (MAP_SHARED | MAP_PRIVATE | MAP_SHARED_VALIDATE);
    if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
        return -EINVAL;
    bool anon = flags & MAP_ANONYMOUS;
    if (!anon && fd < 0)
        return -EBADF;
    len = user_page_up(len);
    uint64_t at;
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
        if (addr & USER_PAGE_MASK)
            return -EINVAL;
        if (addr < USER_MM_MIN_ADDR)
            return -EPERM;
        if (!range_ok(mm, addr, len))
            return -ENOMEM;
        if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) && !user_mm_is_free(mm, addr, len))
            return -EEXIST;
        at = addr;
    } else {
        uint64_t hint = user_page_down(addr);
        if (hint < USER_MM_MIN_ADDR || !user_mm_is_free(mm, hint, len))
            hint = 0;
        at = hint ? hint : user_mm_find_free(mm, len, USER_PAGE_SIZE, 0);
        if (at == UINT64_MAX)
            return -ENOMEM;
    }
    int host_flags = (type == MAP_PRIVATE ? MAP_PRIVATE : MAP_SHARED) |
                     (flags & (MAP_NORESERVE | MAP_POPULATE));
    int r = user_mm_map(mm, at, len, prot, host_flags, anon ? -1 : fd, anon ? 0 : offset,
                        anon ? USER_VMA_ANON : USER_VMA_FILE);
    return r < 0 ? r : (int64_t)at;
}

int user_mm_munmap(struct user_mm *mm, uint64_t addr, uint64_t len)
{
    if ((addr & USER_PAGE_MASK) || !len)
        return -EINVAL;
    len = user_page_up(len);
    if (!range_ok(mm, addr, len))
        return -EINVAL;
    code_changed(mm, addr, addr + len);
    int r = host_unreserve(mm, addr, addr + len);
    if (r < 0)
        return r;
    return vma_replace(mm, addr, addr + len, NULL);
}

int user_mm_mprotect(struct user_mm *mm, uint64_t addr, uint64_t len, int prot)
{
    if (addr & USER_PAGE_MASK)
        return -EINVAL;
    if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
        return -EINVAL;
    len = user_page_up(len);
    if (!len)
        return 0;
    if (!range_ok(mm, addr, len) || !range_mapped(mm, addr, addr + len))
        return -ENOMEM;
    uint64_t e = addr + len;
    if (!(prot & PROT_EXEC))
        code_changed(mm, addr, e);
    if (mprotect(mm->base + addr, len, host_prot(prot)) != 0)
        return -errno;
    /* re-tag each piece with its own kind */
    uint64_t at = addr;
    while (at < e) {
        const struct user_vma *v = user_mm_find(mm, at);
        uint64_t pe = v->end < e ? v->end : e;
        struct user_vma nv = {at, pe, prot, v->kind};
        int r = vma_replace(mm, at, pe, &nv);
        if (r < 0)
            return r;
        at = pe;
    }
    return 0;
}

int64_t user_mm_mremap(struct user_mm *mm, uint64_t old_addr, uint64_t old_len, uint64_t new_len,
                       int flags, uint64_t new_addr)
{
    if ((old_addr & USER_PAGE_MASK) || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)))
        return -EINVAL;
    if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
        return -EINVAL;
    old_len = user_page_up(old_len);
    new_len = user_page_up(new_len);
    if (!new_len || !old_len)
        return -EINVAL; /* old_len 0 (duplicate a shared mapping) is not supported */
    if (!range_ok(mm, old_addr, old_len) || !range_mapped(mm, old_addr, old_addr + old_len))
        return -EFAULT;
    const struct user_vma *v = user_mm_find(mm, old_addr);
    if (v->end < old_addr + old_len)
        return -EFAULT; /* must lie within one mapping */
    struct user_vma keep = *v;
    if (!(flags & MREMAP_FIXED)) {
        if (new_len <= old_len) {
            if (new_len < old_len)
                user_mm_munmap(mm, old_addr + new_len, old_len - new_len);
            return (int64_t)old_addr;
        }
        /* grow in place if the pages after it are free */
        uint64_t tail = old_addr + old_len;
        if (user_mm_is_free(mm, tail, new_len - old_len)) {
            void *t = mm->base + tail;
            if (munmap(t, new_len - old_len) == 0) {
                void *p = mremap(mm->base + old_addr, old_len, new_len, 0);
                if (p != MAP_FAILED) {
                    struct user_vma nv = {tail, old_addr + new_len, keep.prot, keep.kind};
                    vma_replace(mm, tail, old_addr + new_len, &nv);
                    return (int64_t)old_addr;
                }
                host_unreserve(mm, tail, old_addr + new_len);
            }
        }
        if (!(flags & MREMAP_MAYMOVE))
            return -ENOMEM;
        new_addr = user_mm_find_free(mm, new_len, USER_PAGE_SIZE, 0);
        if (new_addr == UINT64_MAX)
            return -ENOMEM;
    } else {
        if ((new_addr & USER_PAGE_MASK) || new_addr < USER_MM_MIN_ADDR ||
            !range_ok(mm, new_addr, new_len))
            return -EINVAL;
        if (new_addr < old_addr + old_len && old_addr < new_addr + new_len)
            return -EINVAL;
        user_mm_munmap(mm, new_addr, new_len);
    }
    code_changed(mm, old_addr, old_addr + old_len);
    void *p = mremap(mm->base + old_addr, old_len, new_len, MREMAP_MAYMOVE | MREMAP_FIXED,
                     mm->base + new_addr);
    if (p == MAP_FAILED)
        return -errno;
    host_unreserve(mm, old_addr, old_addr + old_len);
    vma_replace(mm, old_addr, old_addr + old_len, NULL);
    struct user_vma nv = {new_addr, new_addr + new_len, keep.prot, keep.kind};
    int r = vma_replace(mm, new_addr, new_addr + new_len, &nv);
    return r < 0 ? r : (int64_t)new_addr;
}

uint64_t user_mm_find_free(const struct user_mm *mm, uint64_t len, uint64_t align, uint64_t hint)
{
    len = user_page_up(len);
    if (!len || align < USER_PAGE_SIZE || (align & (align - 1)))
        return UINT64_MAX;
    if (hint && !(hint & (align - 1)) && hint >= USER_MM_MIN_ADDR && user_mm_is_free(mm, hint, len))
        return hint;
    uint64_t top = mm->mmap_top;
    for (size_t i = mm->nvma + 1; i-- > 0;) {
        const struct user_vma *v = i ? &mm->vma[i - 1] : NULL;
        if (v && v->start >= top)
            continue;
        uint64_t lo = v ? v->end : USER_MM_MIN_ADDR;
        if (lo < top && top - lo >= len) {
            uint64_t cand = (top - len) & ~(align - 1);
            if (cand >= lo)
                return cand;
        }
        if (v)
            top = v->start < top ? v->start : top;
    }
    return UINT64_MAX;
}

/* ---- brk ---- */

void user_mm_brk_init(struct user_mm *mm, uint64_t start)
{
    mm->brk_start = mm->brk_cur = user_page_up(start);
}

uint64_t user_mm_brk(struct user_mm *mm, uint64_t want)
{
    if (want < mm->brk_start || want >= mm->size)
        return mm->brk_cur;
    uint64_t old_end = user_page_up(mm->brk_cur), new_end = user_page_up(want);
    if (new_end > old_end) {
        if (!user_mm_is_free(mm, old_end, new_end - old_end))
            return mm->brk_cur;
        if (user_mm_map(mm, old_end, new_end - old_end, PROT_READ | PROT_WRITE, MAP_PRIVATE, -1, 0,
                        USER_VMA_BRK) < 0)
            return mm->brk_cur;
    } else if (new_end < old_end) {
        user_mm_munmap(mm, new_end, old_end - new_end);
    }
    mm->brk_cur = want;
    return want;
}

/* ---- checked guest pointers ---- */

void *user_mm_ptr(const struct user_mm *mm, uint64_t addr, uint64_t len, int prot)
{
    if (addr > mm->size || len > mm->size - addr)
        return NULL;
    if (!len)
        return mm->base + addr;
    uint64_t at = addr, e = addr + len;
    for (size_t i = vma_index(mm, addr); i < mm->nvma; i++) {
        const struct user_vma *v = &mm->vma[i];
        if (v->start > at || (v->prot & prot) != prot)
            return NULL;
        at = v->end;
        if (at >= e)
            return mm->base + addr;
    }
    return NULL;
}

uint64_t user_mm_accessible(const struct user_mm *mm, uint64_t addr, uint64_t len, int prot)
{
    if (addr >= mm->size)
        return 0;
    if (len > mm->size - addr)
        len = mm->size - addr;
    uint64_t at = addr, e = addr + len;
    for (size_t i = vma_index(mm, addr); i < mm->nvma && at < e; i++) {
        const struct user_vma *v = &mm->vma[i];
        if (v->start > at || (v->prot & prot) != prot)
            break;
        at = v->end;
    }
    return (at < e ? at : e) - addr;
}

int64_t user_mm_strlen(const struct user_mm *mm, uint64_t addr, uint64_t max)
{
    uint64_t n = 0;
    while (n <= max) {
        uint64_t a = addr + n;
        if (a < addr)
            return -EFAULT;
        const struct user_vma *v = user_mm_find(mm, a);
        if (!v || !(v->prot & PROT_READ))
            return -EFAULT;
        uint64_t chunk = v->end - a;
        if (chunk > max + 1 - n)
            chunk = max + 1 - n;
        const void *z = memchr(mm->base + a, 0, chunk);
        if (z)
            return (int64_t)(n + (uint64_t)((const uint8_t *)z - (mm->base + a)));
        n += chunk;
    }
    return -ENAMETOOLONG;
}

const char *user_mm_str(const struct user_mm *mm, uint64_t addr, uint64_t max, int *err)
{
    int64_t n = user_mm_strlen(mm, addr, max);
    if (n < 0) {
        *err = (int)n;
        return NULL;
    }
    return (const char *)mm->base + addr;
}

bool user_mm_can_exec(void *opaque, uint64_t addr, uint64_t len)
{
    const struct user_mm *mm = opaque;
    if (!len || addr >= mm->size || len > mm->size - addr)
        return false;
    uint64_t at = addr, e = addr + len;
    for (size_t i = vma_index(mm, addr); i < mm->nvma; i++) {
        const struct user_vma *v = &mm->vma[i];
        if (v->start > at || !(v->prot & PROT_EXEC))
            return false;
        at = v->end;
        if (at >= e)
            return true;
    }
    return false;
}

void user_mm_dump(const struct user_mm *mm, FILE *out)
{
    static const char *const kinds[] = {"", "[file]", "[image]", "[heap]", "[stack]"};
    for (size_t i = 0; i < mm->nvma; i++) {
        const struct user_vma *v = &mm->vma[i];
        fprintf(out, "%010" PRIx64 "-%010" PRIx64 " %c%c%c %s\n", v->start, v->end,
                v->prot & PROT_READ ? 'r' : '-', v->prot & PROT_WRITE ? 'w' : '-',
                v->prot & PROT_EXEC ? 'x' : '-',
                (unsigned)v->kind < sizeof(kinds) / sizeof(kinds[0]) ? kinds[v->kind] : "?");
    }
}
