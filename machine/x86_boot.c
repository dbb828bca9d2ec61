/* x86 boot-time structures built by ferry for the pc loaders: segment
 * descriptors and their cached forms, identity page tables, register dump. */
#include <assert.h>
#include <inttypes.h>
#include <string.h>

#include "machine/loader.h"

uint64_t x86_descriptor(const struct x86_segment *s)
{
    uint32_t lim = s->g ? s->limit >> 12 : s->limit;
    uint64_t d = 0;
    d |= (uint64_t)(lim & 0xffff);
    d |= (uint64_t)(s->base & 0xffffff) << 16;
    d |= (uint64_t)(s->type & 0xf) << 40;
    d |= (uint64_t)(s->s & 1) << 44;
    d |= (uint64_t)(s->dpl & 3) << 45;
    d |= (uint64_t)(s->present & 1) << 47;
    d |= (uint64_t)((lim >> 16) & 0xf) << 48;
    d |= (uint64_t)(s->avl & 1) << 52;
    d |= (uint64_t)(s->l & 1) << 53;
    d |= (uint64_t)(s->db & 1) << 54;
    d |= (uint64_t)(s->g & 1) << 55;
    d |= (uint64_t)((s->base >> 24) & 0xff) << 56;
    return d;
}

/* Selectors carry the segment's DPL as RPL. */
static struct x86_segment x86_flat(uint16_t selector, unsigned dpl, uint8_t type)
{
    return (struct x86_segment){
        .base = 0, .limit = 0xffffffff, .selector = (uint16_t)(selector | dpl), .type = type,
        .present = 1, .dpl = (uint8_t)dpl, .db = 1, .s = 1, .l = 0, .g = 1};
}

struct x86_segment x86_flat_code64(uint16_t selector, unsigned dpl)
{
    struct x86_segment s = x86_flat(selector, dpl, 0xb); /* execute/read, accessed */
    s.l = 1;
    s.db = 0;
    return s;
}

struct x86_segment x86_flat_code32(uint16_t selector, unsigned dpl)
{
    return x86_flat(selector, dpl, 0xb);
}

struct x86_segment x86_flat_data(uint16_t selector, unsigned dpl)
{
    return x86_flat(selector, dpl, 0x3); /* read/write, accessed */
}

struct x86_segment x86_busy_tss(uint16_t selector, uint64_t base, uint32_t limit)
{
    /* Type 0xb: busy 32-bit TSS, or busy 64-bit TSS in long mode. */
    return (struct x86_segment){
        .base = base, .limit = limit, .selector = selector, .type = 0xb, .present = 1};
}

struct x86_segment x86_reset_ldt(void)
{
    /* As after CPU reset: selector 0, an (empty) LDT type, present. */
    return (struct x86_segment){.limit = 0xffff, .type = 0x2, .present = 1};
}

void *pc_boot_ptr(struct pc_machine *pc, uint64_t gpa, uint64_t len)
{
    void *p = phys_ptr(&pc->mem, gpa, len);
    assert(p && "ferry's boot area below 640 KiB is always RAM (PC_RAM_MIN)");
    return p;
}

void pc_clear_boot_area(struct pc_machine *pc)
{
    /* Everything but the command line, which is written first. */
    const uint64_t after = PC_CMDLINE_ADDR + PC_CMDLINE_MAX;
    memset(pc_boot_ptr(pc, PC_GDT_ADDR, PC_CMDLINE_ADDR - PC_GDT_ADDR), 0,
           PC_CMDLINE_ADDR - PC_GDT_ADDR);
    memset(pc_boot_ptr(pc, after, PC_STACK_TOP - after), 0, PC_STACK_TOP - after);
}

uint8_t *pc_write_tss(struct pc_machine *pc)
{
    _Static_assert(PC_TSS_ADDR + PC_TSS_SIZE <= PC_RING0_STACK_TOP - 0x8000,
                   "the TSS ends below the ring-0 stack");
    uint8_t *tss = pc_boot_ptr(pc, PC_TSS_ADDR, PC_TSS_SIZE);
    memset(tss, 0, PC_TSS_SIZE);
    tss[102] = PC_TSS_IOMAP & 0xff; /* I/O map base (u16 at offset 102) */
    tss[103] = PC_TSS_IOMAP >> 8;
    tss[PC_TSS_SIZE - 1] = 0xff;    /* bitmap terminator */
    return tss;
}

static void pc_put64(struct pc_machine *pc, uint64_t gpa, uint64_t v)
{
    uint8_t *p = pc_boot_ptr(pc, gpa, 8);
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

uint64_t pc_build_page_tables(struct pc_machine *pc, bool user)
{
    const uint64_t gib = 1ull << 30;
    const struct physmem_region *last = &pc->mem.region[pc->mem.count - 1];
    uint64_t top = last->gpa + last->size;
    if (top < 4 * gib)
        top = 4 * gib;
    uint64_t n_pd = (top + gib - 1) / gib;     /* one PD maps 1 GiB */
    uint64_t n_pdpt = (n_pd + 511) / 512;      /* one PDPT maps 512 GiB */
    uint64_t pml4 = PC_PT_ADDR, pdpt = pml4 + 4096, pd = pdpt + n_pdpt * 4096;
    assert(pd + n_pd * 4096 <= PC_PT_END && "PC_RAM_MAX keeps the page tables in their area");
    const uint64_t flags = 0x3 | (user ? 0x4 : 0); /* present, writable, user */
    memset(pc_boot_ptr(pc, pml4, PC_PT_END - pml4), 0, PC_PT_END - pml4);
    for (uint64_t i = 0; i < n_pdpt; i++)
        pc_put64(pc, pml4 + i * 8, (pdpt + i * 4096) | flags);
    for (uint64_t i = 0; i < n_pd; i++)
        pc_put64(pc, pdpt + i * 8, (pd + i * 4096) | flags);
    for (uint64_t i = 0; i < n_pd * 512; i++)
        pc_put64(pc, pd + i * 8, (i << 21) | flags | 0x80 /* PS: 2 MiB page */);
    return pml4;
}

static void x86_seg_print(FILE *f, const char *name, const struct x86_segment *s)
{
    fprintf(f, "%-3s sel=%04x base=%016" PRIx64 " limit=%08" PRIx32
            " type=%x s=%u dpl=%u p=%u db=%u l=%u g=%u%s\n",
            name, s->selector, s->base, s->limit, s->type, s->s, s->dpl, s->present, s->db,
            s->l, s->g, s->unusable ? " unusable" : "");
}

void x86_boot_state_print(const struct x86_boot_state *s, FILE *f)
{
    fprintf(f, "rax=%016" PRIx64 " rbx=%016" PRIx64 " rcx=%016" PRIx64 " rdx=%016" PRIx64 "\n",
            s->rax, s->rbx, s->rcx, s->rdx);
    fprintf(f, "rsi=%016" PRIx64 " rdi=%016" PRIx64 " rsp=%016" PRIx64 " rbp=%016" PRIx64 "\n",
            s->rsi, s->rdi, s->rsp, s->rbp);
    fprintf(f, "r8 =%016" PRIx64 " r9 =%016" PRIx64 " r10=%016" PRIx64 " r11=%016" PRIx64 "\n",
            s->r8, s->r9, s->r10, s->r11);
    fprintf(f, "r12=%016" PRIx64 " r13=%016" PRIx64 " r14=%016" PRIx64 " r15=%016" PRIx64 "\n",
            s->r12, s->r13, s->r14, s->r15);
    fprintf(f, "rip=%016" PRIx64 " rflags=%08" PRIx64 " cpl=%u %s\n", s->rip, s->rflags, s->cpl,
            s->long_mode ? "long mode" : "protected mode");
    fprintf(f, "cr0=%08" PRIx64 " cr2=%016" PRIx64 " cr3=%016" PRIx64 " cr4=%08" PRIx64
            " efer=%" PRIx64 "\n", s->cr0, s->cr2, s->cr3, s->cr4, s->efer);
    x86_seg_print(f, "cs", &s->cs);
    x86_seg_print(f, "ds", &s->ds);
    x86_seg_print(f, "es", &s->es);
    x86_seg_print(f, "fs", &s->fs);
    x86_seg_print(f, "gs", &s->gs);
    x86_seg_print(f, "ss", &s->ss);
    x86_seg_print(f, "tr", &s->tr);
    x86_seg_print(f, "ldt", &s->ldt);
    fprintf(f, "gdt base=%016" PRIx64 " limit=%04x  idt base=%016" PRIx64 " limit=%04x\n",
            s->gdt.base, s->gdt.limit, s->idt.base, s->idt.limit);
}
