/* Memory system calls of Linux user mode: brk, mmap and friends, all placed
 * inside the guest reservation by user/mm.c.  mmap's flag and protection
 * values are asm-generic, the same numbers as the host's on x86-64; guest-only
 * protection bits (AArch64 PROT_BTI, PROT_MTE) are dropped. */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/mman.h>

#include "user/user_int.h"

#define GUEST_PROT_MASK (PROT_READ | PROT_WRITE | PROT_EXEC)
#define GUEST_MAP_MASK                                                                             \
    (MAP_SHARED | MAP_PRIVATE | MAP_SHARED_VALIDATE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN |  \
     MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK |   \
     MAP_STACK | MAP_FIXED_NOREPLACE)

int64_t usys_brk(struct user_proc *p, const uint64_t *a)
{
    return (int64_t)user_mm_brk(&p->mm, a[0]);
}

int64_t usys_mmap(struct user_proc *p, const uint64_t *a)
{
    int flags = (int)a[3];
    if ((flags & ~GUEST_MAP_MASK) && (flags & MAP_TYPE) == MAP_SHARED_VALIDATE)
        return -EOPNOTSUPP;
    return user_mm_mmap(&p->mm, a[0], a[1], (int)a[2] & GUEST_PROT_MASK, flags & GUEST_MAP_MASK,
                        (int)a[4], (off_t)a[5]);
}

int64_t usys_munmap(struct user_proc *p, const uint64_t *a)
{
    return user_mm_munmap(&p->mm, a[0], a[1]);
}

int64_t usys_mprotect(struct user_proc *p, const uint64_t *a)
{
    return user_mm_mprotect(&p->mm, a[0], a[1], (int)a[2] & GUEST_PROT_MASK);
}

int64_t usys_mremap(struct user_proc *p, const uint64_t *a)
{
    return user_mm_mremap(&p->mm, a[0], a[1], a[2], (int)a[3], a[4]);
}

/* The range must be page aligned and mapped (Linux: EINVAL, ENOMEM). */
static int64_t mapped_range(struct user_proc *p, uint64_t addr, uint64_t len, uint64_t *plen)
{
    if (addr & USER_PAGE_MASK)
        return -EINVAL;
    len = user_page_up(len);
    if (len && !user_mm_ptr(&p->mm, addr, len, 0))
        return -ENOMEM;
    *plen = len;
    return 0;
}

int64_t usys_madvise(struct user_proc *p, const uint64_t *a)
{
    uint64_t len;
    int64_t r = mapped_range(p, a[0], a[1], &len);
    if (r < 0 || !len)
        return r;
    /* advice values are asm-generic; MADV_DONTNEED must really drop (zero) pages */
    return user_ret(madvise(p->mm.base + a[0], len, (int)a[2]));
}

int64_t usys_msync(struct user_proc *p, const uint64_t *a)
{
    uint64_t len;
    int64_t r = mapped_range(p, a[0], a[1], &len);
    if (r < 0 || !len)
        return r;
    return user_ret(msync(p->mm.base + a[0], len, (int)a[2]));
}

/* Locking is accepted and not done (the guest cannot tell the difference). */
int64_t usys_mlock(struct user_proc *p, const uint64_t *a)
{
    uint64_t len;
    return mapped_range(p, user_page_down(a[0]), a[1] + (a[0] & USER_PAGE_MASK), &len);
}

int64_t usys_munlock(struct user_proc *p, const uint64_t *a)
{
    return usys_mlock(p, a);
}
