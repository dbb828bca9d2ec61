/* The ELF loader of Linux user mode: checks a program file (class, machine,
 * type, program headers) and loads a static executable or a static PIE into
 * the guest address space.  Refusals name the file and the problem. */
#ifndef FERRY_USER_ELF_H
#define FERRY_USER_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "user/mm.h"
#include "user/user.h"

struct ferry_frontend;

#define USER_ELF_MAX_PHDRS 128
/* Where a static PIE is placed (qemu-user uses the same base for 64-bit
 * guests; below it, 0x400000-based executables and their heap). */
#define USER_PIE_BASE 0x5500000000ull

/* One PT_LOAD segment, in 64-bit form whatever the file's class. */
struct user_elf_seg {
    uint64_t vaddr, memsz, offset, filesz;
    uint32_t flags; /* PF_R | PF_W | PF_X */
};

/* What the header and program headers say (before any loading). */
struct user_elf_info {
    unsigned elf_class;   /* ELFCLASS32 / ELFCLASS64 */
    unsigned machine;     /* e_machine */
    unsigned type;        /* ET_EXEC or ET_DYN */
    const struct ferry_frontend *fe;
    uint64_t entry;       /* as linked */
    uint64_t phoff;       /* file offset of the program headers */
    unsigned phnum, phentsize;
    uint64_t phdr_vaddr;  /* PT_PHDR, or the load address of phoff; 0 if neither */
    uint64_t lo, hi;      /* page-aligned span of the PT_LOAD segments, as linked */
    uint64_t align;       /* largest PT_LOAD p_align (>= page) */
    bool exec_stack;      /* PT_GNU_STACK asks for an executable stack */
    struct user_elf_seg seg[USER_ELF_MAX_PHDRS];
    unsigned nseg;
};

/* The loaded program. */
struct user_image {
    struct user_elf_info info;
    uint64_t bias;  /* load address - link address (0 for ET_EXEC) */
    uint64_t entry; /* guest pc to start at */
    uint64_t phdr;  /* AT_PHDR */
    uint64_t lo, hi; /* guest span of the image */
    uint64_t brk;   /* initial program break (end of bss, page aligned) */
};

/* Check the file's bytes (the first `size` of a file of `file_size` bytes;
 * the header and program headers must be among them).  Returns 0, or
 * USER_EXIT_NOEXEC with "NAME: what is wrong" in err. */
int user_elf_check(const uint8_t *buf, size_t size, uint64_t file_size, const char *name,
                   struct user_elf_info *info, char *err, size_t errlen);

/* Open and check `path` (no loading).  Returns the open fd (>= 0), or
 * -USER_EXIT_NOTFOUND / -USER_EXIT_NOEXEC with the message in err. */
int user_elf_open(const char *path, struct user_elf_info *info, char *err, size_t errlen);

/* Load the checked file (fd from user_elf_open) into mm.  Returns 0, or
 * USER_EXIT_NOEXEC with the message in err.  Closes nothing. */
int user_elf_load(struct user_mm *mm, int fd, const char *path, const struct user_elf_info *info,
                  struct user_image *img, char *err, size_t errlen);

#endif
