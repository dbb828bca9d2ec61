/* ELF64 boot protocol of the pc machine: PT_LOAD segments into RAM, then a
 * long-mode start state built by ferry (GDT, TSS, identity page tables,
 * boot-info block in RDI), at ring 0 or ring 3.  See docs/machine-pc.md. */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "machine/loader.h"

_Static_assert(offsetof(struct pc_boot_info, mem_size) == 8, "boot info ABI");
_Static_assert(offsetof(struct pc_boot_info, cmdline) == 16, "boot info ABI");
_Static_assert(offsetof(struct pc_boot_info, cmdline_len) == 24, "boot info ABI");
_Static_assert(offsetof(struct pc_boot_info, image_start) == 32, "boot info ABI");
_Static_assert(offsetof(struct pc_boot_info, stack_top) == 48, "boot info ABI");
_Static_assert(offsetof(struct pc_boot_info, pt_base) == 56, "boot info ABI");
_Static_assert(offsetof(struct pc_boot_info, mmap_count) == 64, "boot info ABI");
_Static_assert(offsetof(struct pc_boot_info, mmap) == 72, "boot info ABI");
_Static_assert(sizeof(struct pc_mmap_entry) == 24, "boot info ABI");
_Static_assert(sizeof(struct pc_boot_info) <= PC_CMDLINE_ADDR - PC_BOOTINFO_ADDR,
               "boot info fits below the command line");

static const char *elf_machine_name(unsigned m)
{
    switch (m) {
    case EM_386: return "i386";
    case EM_ARM: return "ARM";
    case EM_AARCH64: return "AArch64";
    case EM_RISCV: return "RISC-V";
    case EM_PPC64: return "PowerPC64";
    case EM_S390: return "s390";
    case EM_MIPS: return "MIPS";
    default: return "another machine";
    }
}

/* Header checks; fills the segment list. */
static int elf64_segments(struct load_ctx *ctx, Elf64_Ehdr *eh, struct load_seg *seg,
                          unsigned *nseg)
{
    if (ctx->size < sizeof(*eh))
        return load_fail(ctx, -ENOEXEC, "truncated ELF header (%zu of %zu bytes)", ctx->size,
                         sizeof(*eh));
    memcpy(eh, ctx->image, sizeof(*eh));
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return load_fail(ctx, -ENOEXEC, "not a little-endian ELF: not an x86-64 image");
    if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
        return load_fail(ctx, -ENOEXEC, "unknown ELF version %u", eh->e_ident[EI_VERSION]);
    if (eh->e_machine != EM_X86_64)
        return load_fail(ctx, -ENOEXEC, "ELF for %s (e_machine %u), not x86-64",
                         elf_machine_name(eh->e_machine), eh->e_machine);
    if (eh->e_type == ET_DYN)
        return load_fail(ctx, -ENOEXEC, "position-independent image (ET_DYN): link the guest "
                         "as a static executable at a fixed address (-static -no-pie)");
    if (eh->e_type != ET_EXEC)
        return load_fail(ctx, -ENOEXEC, "ELF type %u is not an executable (ET_EXEC)", eh->e_type);
    if (eh->e_phnum == 0)
        return load_fail(ctx, -ENOEXEC, "no program headers");
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return load_fail(ctx, -ENOEXEC, "program header size %u, expected %zu", eh->e_phentsize,
                         sizeof(Elf64_Phdr));
    if (eh->e_phnum > LOAD_MAX_PHDRS)
        return load_fail(ctx, -ENOEXEC, "%u program headers (at most %d)", eh->e_phnum,
                         LOAD_MAX_PHDRS);
    uint64_t ph_bytes = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
    if (eh->e_phoff > ctx->size || ph_bytes > ctx->size - eh->e_phoff)
        return load_fail(ctx, -ENOEXEC, "program headers at offset 0x%" PRIx64
                         " lie beyond the end of the file: truncated or corrupt image",
                         (uint64_t)eh->e_phoff);
    unsigned n = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, ctx->image + eh->e_phoff + i * sizeof(ph), sizeof(ph));
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        seg[n++] = (struct load_seg){.index = i, .gpa = ph.p_paddr, .memsz = ph.p_memsz,
                                     .filesz = ph.p_filesz, .offset = ph.p_offset};
    }
    *nseg = n;
    return 0;
}

static void pc_put_bytes(struct pc_machine *pc, uint64_t gpa, const void *src, size_t len)
{
    memcpy(pc_boot_ptr(pc, gpa, len), src, len);
}

/* GDT (PC_SEL_* layout) and 64-bit TSS with RSP0. */
static void elf64_gdt_tss(struct pc_machine *pc, struct x86_boot_state *st)
{
    uint64_t gdt[PC_GDT_ENTRIES] = {0};
    struct x86_segment tmp;
    tmp = x86_flat_code64(PC_SEL_CODE64, 0);
    gdt[PC_SEL_CODE64 / 8] = x86_descriptor(&tmp);
    tmp = x86_flat_data(PC_SEL_DATA, 0);
    gdt[PC_SEL_DATA / 8] = x86_descriptor(&tmp);
    tmp = x86_flat_code32(PC_SEL_USER_CODE32, 3);
    gdt[PC_SEL_USER_CODE32 / 8] = x86_descriptor(&tmp);
    tmp = x86_flat_data(PC_SEL_USER_DATA, 3);
    gdt[PC_SEL_USER_DATA / 8] = x86_descriptor(&tmp);
    tmp = x86_flat_code64(PC_SEL_USER_CODE64, 3);
    gdt[PC_SEL_USER_CODE64 / 8] = x86_descriptor(&tmp);
    st->tr = x86_busy_tss(PC_SEL_TSS64, PC_TSS_ADDR, PC_TSS_LIMIT);
    gdt[PC_SEL_TSS64 / 8] = x86_descriptor(&st->tr);
    gdt[PC_SEL_TSS64 / 8 + 1] = PC_TSS_ADDR >> 32; /* base bits 63:32 */
    pc_put_bytes(pc, PC_GDT_ADDR, gdt, sizeof gdt);
    st->gdt = (struct x86_dtable){.base = PC_GDT_ADDR, .limit = sizeof gdt - 1};

    uint8_t *tss = pc_write_tss(pc);
    uint64_t rsp0 = PC_RING0_STACK_TOP;
    memcpy(tss + 4, &rsp0, 8); /* RSP0 */
}

int load_elf64(struct load_ctx *ctx, struct x86_boot_state *st)
{
    Elf64_Ehdr eh;
    struct load_seg seg[LOAD_MAX_PHDRS];
    unsigned n = 0;
    uint64_t lo, hi;
    int r = elf64_segments(ctx, &eh, seg, &n);
    if (r == 0)
        r = load_check_segments(ctx, seg, n, eh.e_entry, &lo, &hi);
    if (r)
        return r;
    struct pc_machine *pc = ctx->pc;
    bool user = ctx->opt->entry_ring == 3;
    uint32_t cmdlen;
    r = pc_write_cmdline(ctx, NULL, ctx->opt->cmdline, &cmdlen); /* checks before writing */
    if (r)
        return r;
    pc_clear_boot_area(pc);
    load_copy_segments(ctx, seg, n);

    elf64_gdt_tss(pc, st);
    st->cr3 = pc_build_page_tables(pc, user);

    struct pc_boot_info bi = {
        .magic = PC_BOOTINFO_MAGIC, .version = PC_BOOTINFO_VERSION, .mem_size = pc->ram_size,
        .cmdline = PC_CMDLINE_ADDR, .cmdline_len = cmdlen, .entry_ring = ctx->opt->entry_ring,
        .image_start = lo, .image_end = hi, .stack_top = PC_STACK_TOP, .pt_base = st->cr3};
    bi.mmap_count = pc_memory_map(pc, bi.mmap, PC_MMAP_MAX);
    pc_put_bytes(pc, PC_BOOTINFO_ADDR, &bi, sizeof bi);

    unsigned ring = ctx->opt->entry_ring;
    st->cs = user ? x86_flat_code64(PC_SEL_USER_CODE64, 3) : x86_flat_code64(PC_SEL_CODE64, 0);
    struct x86_segment data =
        user ? x86_flat_data(PC_SEL_USER_DATA, 3) : x86_flat_data(PC_SEL_DATA, 0);
    st->ds = st->es = st->fs = st->gs = st->ss = data;
    st->ldt = x86_reset_ldt();
    st->idt = (struct x86_dtable){0, 0};
    st->cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG;
    st->cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
    st->efer = X86_EFER_LME | X86_EFER_LMA;
    st->rflags = X86_RFLAGS_FIXED | (user ? X86_RFLAGS_IOPL3 : 0);
    st->rip = eh.e_entry;
    st->rsp = PC_STACK_TOP;
    st->rdi = PC_BOOTINFO_ADDR;
    st->cpl = ring;
    st->long_mode = true;
    return 0;
}
