/* Shared pieces of the test_machine suite (tests/machine): in-memory guest
 * images built by the test itself (no guest kit needed) and the test cases. */
#ifndef FERRY_TEST_MACHINE_H
#define FERRY_TEST_MACHINE_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/pc.h"

/* One PT_LOAD segment of a test image; its file bytes are (seed + i) & 0xff. */
struct test_seg {
    uint64_t paddr;
    uint32_t filesz, memsz;
    uint8_t seed;
    uint32_t p_type; /* 0 = PT_LOAD */
};

#define TEST_IMAGE_MAX 0x20000

/* An ELF64 x86-64 ET_EXEC image; returns its size.  Program headers at 64,
 * segment i's bytes at file offset 0x1000 * (i + 1). */
size_t test_build_elf64(uint8_t *buf, uint64_t entry, const struct test_seg *seg, unsigned n);
/* An ELF32 i386 image with a Multiboot v1 header (flags mb_flags, valid
 * checksum) right after the program headers. Returns its size. */
size_t test_build_multiboot(uint8_t *buf, uint32_t entry, const struct test_seg *seg, unsigned n,
                            uint32_t mb_flags);
/* Offset of the Multiboot header in images from test_build_multiboot. */
size_t test_multiboot_header_offset(unsigned n);

/* A 128 MiB pc machine with -serial none. */
void test_pc_init(struct pc_machine *pc, uint64_t ram);

uint64_t test_rd64(const void *p);
uint32_t test_rd32(const void *p);

TCase *test_pc_tcase(void);
TCase *test_elf64_tcase(void);
TCase *test_elf64_errors_tcase(void);
TCase *test_multiboot_tcase(void);
TCase *test_corrupt_tcase(void);

#endif
