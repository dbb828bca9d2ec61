/* Multiboot v1 boot protocol of the pc machine: header in the first 8 KiB,
 * ELF32 i386 PT_LOAD segments at their physical addresses, 32-bit protected
 * flat mode with EAX=0x2BADB002 and EBX=multiboot info.  See docs/machine-pc.md. */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "machine/loader.h"

#define MB_HEADER_MAGIC 0x1badb002u
#define MB_BOOT_MAGIC 0x2badb002u
#define MB_SEARCH 8192
/* Header flags */
#define MB_HF_PAGE_ALIGN (1u << 0)
#define MB_HF_MEMINFO (1u << 1)
#define MB_HF_VIDEO (1u << 2)
#define MB_HF_AOUT_KLUDGE (1u << 16)
/* Info flags */
#define MB_IF_MEM (1u << 0)
#define MB_IF_CMDLINE (1u << 2)
#define MB_IF_MMAP (1u << 6)
#define MB_IF_LOADER_NAME (1u << 9)
/* Info layout (offsets in bytes) */
#define MB_INFO_FLAGS 0
#define MB_INFO_MEM_LOWER 4
#define MB_INFO_MEM_UPPER 8
#define MB_INFO_CMDLINE 16
#define MB_INFO_MMAP_LENGTH 44
#define MB_INFO_MMAP_ADDR 48
#define MB_INFO_LOADER_NAME 64
#define MB_INFO_SIZE 120
#define MB_MMAP_ADDR (PC_BOOTINFO_ADDR + 0x100)

static uint32_t mb_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void mb_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void mb_put64(uint8_t *p, uint64_t v)
{
    mb_put32(p, (uint32_t)v);
    mb_put32(p + 4, (uint32_t)(v >> 32));
}

long multiboot_find_header(const uint8_t *image, size_t size, long *bad_checksum_at)
{
    *bad_checksum_at = -1;
    size_t end = size < MB_SEARCH ? size : MB_SEARCH;
    for (size_t off = 0; off + 12 <= end; off += 4) {
        if (mb_get32(image + off) != MB_HEADER_MAGIC)
            continue;
        uint32_t flags = mb_get32(image + off + 4), sum = mb_get32(image + off + 8);
        if ((uint32_t)(MB_HEADER_MAGIC + flags + sum) == 0)
            return (long)off;
        if (*bad_checksum_at < 0)
            *bad_checksum_at = (long)off;
    }
    return -1;
}

static int mb_segments(struct load_ctx *ctx, Elf32_Ehdr *eh, struct load_seg *seg,
                       unsigned *nseg)
{
    if (ctx->size < SELFMAG || memcmp(ctx->image, ELFMAG, SELFMAG) != 0)
        return load_fail(ctx, -ENOEXEC, "Multiboot image is not an ELF file (only ELF32 "
                         "Multiboot kernels are supported)");
    if (ctx->size < sizeof(*eh))
        return load_fail(ctx, -ENOEXEC, "truncated ELF header (%zu of %zu bytes)", ctx->size,
                         sizeof(*eh));
    memcpy(eh, ctx->image, sizeof(*eh));
    if (eh->e_ident[EI_CLASS] != ELFCLASS32)
        return load_fail(ctx, -ENOEXEC, "Multiboot ELF must be 32-bit (ELFCLASS32)");
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return load_fail(ctx, -ENOEXEC, "not a little-endian ELF: not an i386 image");
    if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
        return load_fail(ctx, -ENOEXEC, "unknown ELF version %u", eh->e_ident[EI_VERSION]);
    if (eh->e_machine != EM_386)
        return load_fail(ctx, -ENOEXEC, "Multiboot ELF for e_machine %u, not i386 (3)",
                         eh->e_machine);
    if (eh->e_type != ET_EXEC)
        return load_fail(ctx, -ENOEXEC, "ELF type %u is not an executable (ET_EXEC)", eh->e_type);
    if (eh->e_phnum == 0)
        return load_fail(ctx, -ENOEXEC, "no program headers");
    if (eh->e_phentsize != sizeof(Elf32_Phdr))
        return load_fail(ctx, -ENOEXEC, "program header size %u, expected %zu", eh->e_phentsize,
                         sizeof(Elf32_Phdr));
    if (eh->e_phnum > LOAD_MAX_PHDRS)
        return load_fail(ctx, -ENOEXEC, "%u program headers (at most %d)", eh->e_phnum,
                         LOAD_MAX_PHDRS);
    uint64_t ph_bytes = (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr);
    if (eh->e_phoff > ctx->size || ph_bytes > ctx->size - eh->e_phoff)
        return load_fail(ctx, -ENOEXEC, "program headers at offset 0x%" PRIx32
                         " lie beyond the end of the file: truncated or corrupt image",
                         eh->e_phoff);
    unsigned n = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf32_Phdr ph;
        memcpy(&ph, ctx->image + eh->e_phoff + i * sizeof(ph), sizeof(ph));
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        /* 32-bit protected mode without paging reaches only the first 4 GiB. */
        if ((uint64_t)ph.p_paddr + ph.p_memsz > 0x100000000ull)
            return load_fail(ctx, -ENOEXEC, "segment %u [0x%" PRIx32 "-0x%" PRIx64
                             ") runs past 4 GiB", i, ph.p_paddr,
                             (uint64_t)ph.p_paddr + ph.p_memsz);
        seg[n++] = (struct load_seg){.index = i, .gpa = ph.p_paddr, .memsz = ph.p_memsz,
                                     .filesz = ph.p_filesz, .offset = ph.p_offset};
    }
    *nseg = n;
    return 0;
}

/* Multiboot information structure, memory map and loader name. */
static void mb_write_info(struct pc_machine *pc, uint32_t cmdline)
{
    uint8_t *info = pc_boot_ptr(pc, PC_BOOTINFO_ADDR, MB_INFO_SIZE);
    const struct physmem_region *low = &pc->mem.region[0];
    struct pc_mmap_entry map[PC_MMAP_MAX];
    unsigned n = pc_memory_map(pc, map, PC_MMAP_MAX);
    uint8_t *mm = pc_boot_ptr(pc, MB_MMAP_ADDR, (uint64_t)n * 24);
    for (unsigned i = 0; i < n; i++) {
        mb_put32(mm + i * 24, 20); /* size of the entry after this field */
        mb_put64(mm + i * 24 + 4, map[i].base);
        mb_put64(mm + i * 24 + 12, map[i].len);
        mb_put32(mm + i * 24 + 20, map[i].type);
    }
    static const char loader[] = "ferry " FERRY_VERSION;
    memcpy(pc_boot_ptr(pc, PC_LOADER_NAME_ADDR, sizeof loader), loader, sizeof loader);

    memset(info, 0, MB_INFO_SIZE);
    mb_put32(info + MB_INFO_FLAGS, MB_IF_MEM | MB_IF_CMDLINE | MB_IF_MMAP | MB_IF_LOADER_NAME);
    mb_put32(info + MB_INFO_MEM_LOWER, (uint32_t)(PC_LOW_RAM_END / 1024));
    mb_put32(info + MB_INFO_MEM_UPPER, (uint32_t)((low->size - PC_IMAGE_MIN) / 1024));
    mb_put32(info + MB_INFO_CMDLINE, cmdline);
    mb_put32(info + MB_INFO_MMAP_LENGTH, n * 24);
    mb_put32(info + MB_INFO_MMAP_ADDR, (uint32_t)MB_MMAP_ADDR);
    mb_put32(info + MB_INFO_LOADER_NAME, (uint32_t)PC_LOADER_NAME_ADDR);
}

static void mb_gdt_tss(struct pc_machine *pc, struct x86_boot_state *st)
{
    uint8_t gdt[PC_GDT_ENTRIES * 8] = {0};
    struct x86_segment tmp;
    uint64_t d;
    tmp = x86_flat_code32(PC_SEL_MB_CODE32, 0);
    d = x86_descriptor(&tmp);
    memcpy(gdt + PC_SEL_MB_CODE32, &d, 8);
    tmp = x86_flat_data(PC_SEL_MB_DATA32, 0);
    d = x86_descriptor(&tmp);
    memcpy(gdt + PC_SEL_MB_DATA32, &d, 8);
    st->tr = x86_busy_tss(PC_SEL_MB_TSS32, PC_TSS_ADDR, PC_TSS_LIMIT);
    d = x86_descriptor(&st->tr);
    memcpy(gdt + PC_SEL_MB_TSS32, &d, 8);
    memcpy(pc_boot_ptr(pc, PC_GDT_ADDR, sizeof gdt), gdt, sizeof gdt);
    st->gdt = (struct x86_dtable){.base = PC_GDT_ADDR, .limit = sizeof gdt - 1};

    uint8_t *tss = pc_write_tss(pc);
    mb_put32(tss + 4, (uint32_t)PC_RING0_STACK_TOP); /* ESP0 */
    mb_put32(tss + 8, PC_SEL_MB_DATA32);             /* SS0 */
}

int load_multiboot(struct load_ctx *ctx, struct x86_boot_state *st)
{
    long bad, off = multiboot_find_header(ctx->image, ctx->size, &bad);
    uint32_t flags = mb_get32(ctx->image + off + 4);
    if (flags & MB_HF_AOUT_KLUDGE)
        return load_fail(ctx, -ENOEXEC, "Multiboot header at offset 0x%lx uses the a.out kludge "
                         "(flag 16), which ferry does not support: build an ELF32 kernel "
                         "without it", off);
    uint32_t unknown = flags & 0xfff8u;
    if (unknown)
        return load_fail(ctx, -ENOEXEC, "Multiboot header requires unknown features (flags "
                         "0x%08" PRIx32 "): a loader must refuse it", flags);
    Elf32_Ehdr eh;
    struct load_seg seg[LOAD_MAX_PHDRS];
    unsigned n = 0;
    uint64_t lo, hi;
    int r = mb_segments(ctx, &eh, seg, &n);
    if (r == 0)
        r = load_check_segments(ctx, seg, n, eh.e_entry, &lo, &hi);
    if (r)
        return r;
    /* Like GRUB and QEMU, the command line starts with the kernel's name. */
    uint32_t cmdlen;
    r = pc_write_cmdline(ctx, ctx->name, ctx->opt->cmdline, &cmdlen);
    if (r)
        return r;
    struct pc_machine *pc = ctx->pc;
    pc_clear_boot_area(pc);
    load_copy_segments(ctx, seg, n);
    mb_write_info(pc, (uint32_t)PC_CMDLINE_ADDR);
    mb_gdt_tss(pc, st);

    st->cs = x86_flat_code32(PC_SEL_MB_CODE32, 0);
    st->ds = st->es = st->fs = st->gs = st->ss = x86_flat_data(PC_SEL_MB_DATA32, 0);
    st->ldt = x86_reset_ldt();
    st->idt = (struct x86_dtable){0, 0};
    st->cr0 = X86_CR0_PE | X86_CR0_ET;
    st->rflags = X86_RFLAGS_FIXED;
    st->rip = eh.e_entry;
    st->rax = MB_BOOT_MAGIC;
    st->rbx = PC_BOOTINFO_ADDR;
    st->rsp = PC_STACK_TOP;
    st->cpl = 0;
    st->long_mode = false;
    return 0;
}
