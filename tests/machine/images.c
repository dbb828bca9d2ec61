/* Hand-built guest images for the loader tests: minimal ELF64 and
 * Multiboot ELF32 files assembled byte by byte from <elf.h> structures. */
#include <elf.h>
#include <string.h>

#include "test_machine.h"

uint64_t test_rd64(const void *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

uint32_t test_rd32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

void test_pc_init(struct pc_machine *pc, uint64_t ram)
{
    char err[256];
    struct pc_config cfg = {.ram_size = ram, .serial = "none"};
    int r = pc_init(pc, &cfg, err, sizeof err);
    ck_assert_msg(r == 0, "pc_init: %s", err);
}

static void fill_segments(uint8_t *buf, const struct test_seg *seg, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        for (uint32_t j = 0; j < seg[i].filesz; j++)
            buf[0x1000 * (i + 1) + j] = (uint8_t)(seg[i].seed + j);
}

size_t test_build_elf64(uint8_t *buf, uint64_t entry, const struct test_seg *seg, unsigned n)
{
    memset(buf, 0, TEST_IMAGE_MAX);
    Elf64_Ehdr eh = {0};
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_entry = entry;
    eh.e_phoff = sizeof eh;
    eh.e_ehsize = sizeof eh;
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = (uint16_t)n;
    memcpy(buf, &eh, sizeof eh);
    for (unsigned i = 0; i < n; i++) {
        Elf64_Phdr ph = {0};
        ph.p_type = seg[i].p_type ? seg[i].p_type : PT_LOAD;
        ph.p_flags = PF_R | PF_W | PF_X;
        ph.p_offset = 0x1000 * (i + 1);
        ph.p_vaddr = ph.p_paddr = seg[i].paddr;
        ph.p_filesz = seg[i].filesz;
        ph.p_memsz = seg[i].memsz;
        ph.p_align = 0x1000;
        memcpy(buf + sizeof eh + i * sizeof ph, &ph, sizeof ph);
    }
    fill_segments(buf, seg, n);
    return 0x1000 * (n + 1);
}

size_t test_multiboot_header_offset(unsigned n)
{
    return (sizeof(Elf32_Ehdr) + n * sizeof(Elf32_Phdr) + 3) & ~(size_t)3;
}

size_t test_build_multiboot(uint8_t *buf, uint32_t entry, const struct test_seg *seg, unsigned n,
                            uint32_t mb_flags)
{
    memset(buf, 0, TEST_IMAGE_MAX);
    Elf32_Ehdr eh = {0};
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS32;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_386;
    eh.e_version = EV_CURRENT;
    eh.e_entry = entry;
    eh.e_phoff = sizeof eh;
    eh.e_ehsize = sizeof eh;
    eh.e_phentsize = sizeof(Elf32_Phdr);
    eh.e_phnum = (uint16_t)n;
    memcpy(buf, &eh, sizeof eh);
    for (unsigned i = 0; i < n; i++) {
        Elf32_Phdr ph = {0};
        ph.p_type = seg[i].p_type ? seg[i].p_type : PT_LOAD;
        ph.p_flags = PF_R | PF_W | PF_X;
        ph.p_offset = 0x1000 * (i + 1);
        ph.p_vaddr = ph.p_paddr = (uint32_t)seg[i].paddr;
        ph.p_filesz = seg[i].filesz;
        ph.p_memsz = seg[i].memsz;
        ph.p_align = 0x1000;
        memcpy(buf + sizeof eh + i * sizeof ph, &ph, sizeof ph);
    }
    uint32_t hdr[3] = {0x1badb002u, mb_flags, 0u - 0x1badb002u - mb_flags};
    memcpy(buf + test_multiboot_header_offset(n), hdr, sizeof hdr);
    fill_segments(buf, seg, n);
    return 0x1000 * (n + 1);
}
