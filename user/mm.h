/* The guest address space of Linux user mode: one large PROT_NONE reservation
 * in the host at guest_base (guest address = host address - guest_base), the
 * guest's mappings inside it with their protections, brk, and the checked
 * guest-pointer-to-host-pointer translation every system call uses. */
#ifndef FERRY_USER_MM_H
#define FERRY_USER_MM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Guest pages are 4 KiB: AArch64 Linux programs built for 4 KiB kernels
 * assume it, and so does the x86-64 ABI.  The host page must be the same. */
#define USER_PAGE_BITS 12
#define USER_PAGE_SIZE (1ull << USER_PAGE_BITS)
#define USER_PAGE_MASK (USER_PAGE_SIZE - 1)

static inline uint64_t user_page_down(uint64_t a) { return a & ~USER_PAGE_MASK; }
static inline uint64_t user_page_up(uint64_t a) { return (a + USER_PAGE_MASK) & ~USER_PAGE_MASK; }

/* The reservation: the first size that can be reserved, largest first.
 * 1 TiB by default (guest addresses 0 .. 2^40-1): far more than any test
 * program needs, small enough to fit beside ASan's shadow memory.  A guard
 * of the same size follows it, PROT_NONE forever, so a wild guest address
 * up to twice the size still faults inside ferry's reservation (user/signal.c
 * makes that a guest SIGSEGV).  Guest addresses beyond the guard reach
 * whatever the host has there, as in qemu-user without -R; larger ones are
 * non-canonical and fault. */
#define USER_MM_MAX_BITS 40
#define USER_MM_MIN_BITS 32
/* Nothing is ever mapped below this (Linux's default vm.mmap_min_addr). */
#define USER_MM_MIN_ADDR 0x10000ull

/* The initial stack: 8 MiB (Linux's default RLIMIT_STACK), mapped whole at
 * start (MAP_NORESERVE: only touched pages cost memory), 64 KiB below the top
 * of the reservation; mmap's top-down area starts 128 MiB below its bottom. */
#define USER_STACK_SIZE (8ull << 20)
#define USER_STACK_TOP_GAP (64ull << 10)
#define USER_MMAP_GAP (128ull << 20)

/* What a mapping is (for /proc/self/maps-like dumps and for brk/stack rules). */
enum user_vma_kind {
    USER_VMA_ANON,  /* anonymous mmap */
    USER_VMA_FILE,  /* file mmap */
    USER_VMA_IMAGE, /* the program's PT_LOAD segments */
    USER_VMA_BRK,   /* the heap grown by brk */
    USER_VMA_STACK, /* the initial stack */
};

struct user_vma {
    uint64_t start, end; /* guest addresses, page aligned, start < end */
    int prot;            /* guest PROT_READ | PROT_WRITE | PROT_EXEC */
    int kind;            /* enum user_vma_kind */
};

struct user_mm {
    uint8_t *base;     /* guest_base: host address of guest address 0 */
    uint64_t size;     /* guest addresses [0, size) are usable */
    uint64_t reserved; /* host bytes reserved at base: size + the guard */
    struct user_vma *vma; /* sorted by start, non-overlapping */
    size_t nvma, cap;

    uint64_t stack_top; /* the initial stack ends here (USER_STACK_SIZE below it) */
    uint64_t mmap_top;  /* mmap places mappings top-down below this */
    uint64_t brk_start, brk_cur; /* program break: initial and current */

    /* Called after guest code in [start, end) may have changed or gone
     * (munmap, mprotect dropping exec, mremap, MAP_FIXED over it): the run
     * loop drops the translations of that range. */
    void (*code_changed)(void *opaque, uint64_t start, uint64_t end);
    void *opaque;
};

/* Reserve the address space.  Returns 0, or a negative errno with a message
 * in err (nothing to free). */
int user_mm_init(struct user_mm *mm, char *err, size_t errlen);
void user_mm_fini(struct user_mm *mm);

/* Is a host address inside the reservation (guest space or its guard)? */
static inline bool user_mm_host_in(const struct user_mm *mm, const void *host)
{
    const uint8_t *p = host;
    return mm->base && p >= mm->base && (uint64_t)(p - mm->base) < mm->reserved;
}

/* The mapping containing guest address addr, or NULL. */
const struct user_vma *user_mm_find(const struct user_mm *mm, uint64_t addr);
/* Is [addr, addr+len) inside the reservation and unmapped? */
bool user_mm_is_free(const struct user_mm *mm, uint64_t addr, uint64_t len);
/* A free page-aligned range of len bytes (aligned to align, a power of two
 * >= the page size), top-down below mm->mmap_top; the hint is taken if free.
 * Returns the guest address, or UINT64_MAX if nothing fits. */
uint64_t user_mm_find_free(const struct user_mm *mm, uint64_t len, uint64_t align, uint64_t hint);

/* Map [addr, addr+len) (page aligned, inside the reservation), replacing
 * whatever was there: anonymous zero pages when fd < 0, else the host file fd
 * from offset.  host_flags: MAP_PRIVATE or MAP_SHARED, plus harmless extras
 * (MAP_NORESERVE, MAP_POPULATE).  Returns 0 or a negative errno. */
int user_mm_map(struct user_mm *mm, uint64_t addr, uint64_t len, int prot, int host_flags, int fd,
                off_t offset, int kind);
/* The guest's mmap: placement (hint, MAP_FIXED, MAP_FIXED_NOREPLACE) and
 * mapping.  flags are host MAP_* values.  Returns the guest address or a
 * negative errno. */
int64_t user_mm_mmap(struct user_mm *mm, uint64_t addr, uint64_t len, int prot, int flags, int fd,
                     off_t offset);
int user_mm_munmap(struct user_mm *mm, uint64_t addr, uint64_t len);
int user_mm_mprotect(struct user_mm *mm, uint64_t addr, uint64_t len, int prot);
/* flags: MREMAP_MAYMOVE, MREMAP_FIXED (host values). */
int64_t user_mm_mremap(struct user_mm *mm, uint64_t old_addr, uint64_t old_len, uint64_t new_len,
                       int flags, uint64_t new_addr);
/* Set the initial break (end of the program image, page aligned up). */
void user_mm_brk_init(struct user_mm *mm, uint64_t start);
/* Linux brk: returns the new break, or the current one if it cannot move. */
uint64_t user_mm_brk(struct user_mm *mm, uint64_t want);

/* Host pointer for guest [addr, addr+len) if every byte is mapped with at
 * least `prot` (PROT_READ, PROT_WRITE or both); NULL otherwise.  len 0 is
 * always valid (returns the translated address, possibly unmapped). */
void *user_mm_ptr(const struct user_mm *mm, uint64_t addr, uint64_t len, int prot);
/* How many bytes from guest addr on (at most len) are mapped with at least
 * prot without a gap: a read(2) into a partly mapped buffer fills that much. */
uint64_t user_mm_accessible(const struct user_mm *mm, uint64_t addr, uint64_t len, int prot);
/* Length of the NUL-terminated guest string at addr (readable up to and
 * including its NUL, at most max bytes before it): >= 0, -EFAULT, or
 * -ENAMETOOLONG when no NUL comes within max bytes. */
int64_t user_mm_strlen(const struct user_mm *mm, uint64_t addr, uint64_t max);
/* Host pointer to the guest string at addr, or NULL (errno-style code in *err). */
const char *user_mm_str(const struct user_mm *mm, uint64_t addr, uint64_t max, int *err);
/* frontend_ctx.can_exec: every byte of [addr, addr+len) mapped with PROT_EXEC. */
bool user_mm_can_exec(void *mm, uint64_t addr, uint64_t len);

/* Print the mappings like /proc/self/maps (for crash reports and tests). */
void user_mm_dump(const struct user_mm *mm, FILE *out);

#endif
