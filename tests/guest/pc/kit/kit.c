/* Guest kit: boot-info parsing for both protocols, the CPL0 kernel (GDT, TSS,
 * IDT, identity page tables, a small page-mapping window, the ud2 system-call
 * gate, probe fault fixups), the drop to CPL3 and the exit path.
 * Ring-0 code here is integer-only and short: on software KVM backends CPL0
 * guest code is emulated, so all real work belongs to the payload. */
#include "kit.h"

/* ---- boot information --------------------------------------------------- */

/* ferry's ELF64 boot info (machine/pc.h, struct pc_boot_info): the fields the
 * kit reads, at their ABI offsets. */
#define FERRY_BOOTINFO_MAGIC 0x59525246u /* "FRRY" */
struct ferry_boot_info {
    uint32_t magic, version;
    uint64_t mem_size, cmdline;
    uint32_t cmdline_len, entry_ring;
    uint64_t image_start, image_end, stack_top, pt_base;
    uint32_t mmap_count, reserved;
    struct {
        uint64_t base, len;
        uint32_t type, pad;
    } mmap[8];
};
_Static_assert(__builtin_offsetof(struct ferry_boot_info, mmap) == 72, "pc_boot_info ABI");

/* Multiboot v1 information structure (the part the kit reads). */
#define MB_MAGIC 0x2BADB002u
#define MB_FLAG_MEM 0x001
#define MB_FLAG_CMDLINE 0x004
#define MB_FLAG_MMAP 0x040
struct mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
};
struct mb_mmap_entry {
    uint32_t size; /* of the rest of the entry */
    uint64_t base, len;
    uint32_t type;
} __attribute__((packed));

extern char __kit_image_end[]; /* linker script */

static struct kit_boot boot;
static char cmdline_buf[256];

static void copy_cmdline(const char *s, uint64_t max)
{
    size_t n = 0;
    if (s)
        while (n < sizeof(cmdline_buf) - 1 && n < max && s[n])
            cmdline_buf[n] = s[n], n++;
    cmdline_buf[n] = 0;
    boot.cmdline = cmdline_buf;
}

/* A usable RAM block [base, base+len); remember the one holding the image. */
static void note_ram_block(uint64_t base, uint64_t len)
{
    uint64_t img = (uint64_t)(uintptr_t)__kit_image_end;
    if (base <= img && img <= base + len)
        boot.mem_top = base + len;
    if (boot.ram_count < KIT_RAM_MAX)
        boot.ram[boot.ram_count++] = (struct kit_ram){base, len};
}

static void parse_ferry_info(const struct ferry_boot_info *bi)
{
    if (!bi || bi->magic != FERRY_BOOTINFO_MAGIC)
        kit_panic("kit: no ferry boot info at %p\n", (const void *)bi);
    boot.mem_bytes = bi->mem_size;
    copy_cmdline((const char *)(uintptr_t)bi->cmdline, bi->cmdline_len);
    for (uint32_t i = 0; i < bi->mmap_count && i < 8; i++)
        if (bi->mmap[i].type == 1)
            note_ram_block(bi->mmap[i].base, bi->mmap[i].len);
}

static void parse_multiboot_info(const struct mb_info *mi, uint32_t magic)
{
    if (magic != MB_MAGIC || !mi)
        kit_panic("kit: bad multiboot magic %#x\n", magic);
    if (mi->flags & MB_FLAG_CMDLINE)
        copy_cmdline((const char *)(uintptr_t)mi->cmdline, ~0ull);
    if (mi->flags & MB_FLAG_MEM)
        boot.mem_bytes = ((uint64_t)mi->mem_upper + 1024) << 10;
    if (mi->flags & MB_FLAG_MMAP) {
        for (uint32_t off = 0; off + sizeof(struct mb_mmap_entry) <= mi->mmap_length;) {
            const struct mb_mmap_entry *e = (const void *)(uintptr_t)(mi->mmap_addr + off);
            if (e->type == 1)
                note_ram_block(e->base, e->len);
            off += e->size + 4;
        }
    } else if (mi->flags & MB_FLAG_MEM) {
        note_ram_block(0, (uint64_t)mi->mem_lower << 10);
        note_ram_block(1 << 20, (uint64_t)mi->mem_upper << 10);
    }
}

/* ---- command line --------------------------------------------------------- */

const char *kit_arg(const char *key, size_t *len)
{
    size_t klen = strlen(key);
    const char *p = boot.cmdline ? boot.cmdline : "";
    while (*p) {
        while (*p == ' ')
            p++;
        const char *tok = p;
        while (*p && *p != ' ')
            p++;
        if ((size_t)(p - tok) > klen && strncmp(tok, key, klen) == 0 && tok[klen] == '=') {
            if (len)
                *len = (size_t)(p - tok) - klen - 1;
            return tok + klen + 1;
        }
    }
    return NULL;
}

uint64_t kit_arg_u64(const char *key, uint64_t def)
{
    size_t n;
    const char *v = kit_arg(key, &n);
    if (!v || !n)
        return def;
    uint64_t x = 0;
    for (size_t i = 0; i < n && v[i] >= '0' && v[i] <= '9'; i++)
        x = x * 10 + (uint64_t)(v[i] - '0');
    return x;
}

/* ---- exit ----------------------------------------------------------------- */

_Noreturn void kit_exit(unsigned code)
{
    kit_flush();
    outl(KIT_DEBUG_EXIT, code);
    /* No debug-exit device: halt (CPL0) or pulse the reset line (CPL3). */
    if (kit_cpl() == 0)
        for (;;)
            __asm__ volatile("cli; hlt");
    outb(KIT_I8042_CMD, 0xfe);
    for (;;)
        __asm__ volatile("pause");
}

_Noreturn void kit_panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kit_vprintf(fmt, ap);
    va_end(ap);
    kit_exit(KIT_EXIT_PANIC);
}

/* ---- the CPL0 kernel ------------------------------------------------------ */

struct kit_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rdi, rsi, rbp, rbx, rdx, rcx, rax;
    uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3, iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "64-bit TSS");

struct idt_gate {
    uint16_t off0, sel;
    uint8_t ist, attr;
    uint16_t off1;
    uint32_t off2, zero;
};

struct dt_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

extern char kit_isr_table[], kit_syscall_ud2[], kit_probe_read_insn[], kit_probe_write_insn[];
extern char kit_probe_fixup[], kit_kstack_top[], kit_ustack_top[];
long kit_syscall_gate(long nr, long a1, long a2, long a3);
_Noreturn void kit_enter_user(void (*fn)(void), uint64_t stack_top);
void kit_load_segments(void);
void kit_trap(struct kit_frame *f);
_Noreturn void kit_main(int protocol, uint64_t info, uint32_t magic);

static uint64_t gdt[7];
/* The TSS with an all-zero I/O permission bitmap (every port allowed at
 * CPL3) and the all-ones terminator byte.  IOPL=3 alone is not enough on
 * every KVM backend: PVM does not keep IOPL for CPL3 code, but honours the
 * bitmap. */
static struct {
    struct tss64 tss;
    uint8_t iomap[8192 + 1];
} __attribute__((packed)) ktss;

/* Page tables: tables.S maps the first GiB and the kit_map_page window;
 * paging_init adds 2 MiB pages for RAM above 1 GiB, up to KIT_MAP_GIB (the pc
 * machine's 64 GiB of RAM at most, plus the 1 GiB hole below 4 GiB). */
#define KIT_MAP_GIB 72
#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_US 0x4ull
#define PTE_PS 0x80ull
extern uint64_t kit_pml4[512], kit_pdpt[512], kit_win_pt[512];
extern struct idt_gate kit_idt[32];
static uint64_t pd_high[KIT_MAP_GIB - 1][512] __attribute__((aligned(4096)));

volatile struct kit_fault kit_last_fault;

static void paging_init(uint64_t top)
{
    uint64_t pages = (top + (1ull << 21) - 1) >> 21; /* 2 MiB pages */
    if (pages > KIT_MAP_GIB * 512ull)
        pages = KIT_MAP_GIB * 512ull;
    for (uint64_t i = 512; i < pages; i++)
        pd_high[(i >> 9) - 1][i & 511] = (i << 21) | PTE_P | PTE_RW | PTE_US | PTE_PS;
    for (uint64_t g = 1; g < (pages + 511) >> 9; g++)
        kit_pdpt[g] = (uint64_t)(uintptr_t)pd_high[g - 1] | PTE_P | PTE_RW | PTE_US;
    __asm__ volatile("mov %0, %%cr3" ::"r"((uint64_t)(uintptr_t)kit_pml4) : "memory");
}

static void tables_init(void)
{
    uint64_t t = (uint64_t)(uintptr_t)&ktss;
    gdt[0] = 0;
    gdt[1] = 0x00af9a000000ffffull; /* KIT_SEL_KCODE: 64-bit code, DPL0 */
    gdt[2] = 0x00cf92000000ffffull; /* KIT_SEL_KDATA */
    gdt[3] = 0x00cff2000000ffffull; /* KIT_SEL_UDATA: DPL3 */
    gdt[4] = 0x00affa000000ffffull; /* KIT_SEL_UCODE: 64-bit code, DPL3 */
    gdt[5] =
        (sizeof(ktss) - 1) | ((t & 0xffffff) << 16) | (0x89ull << 40) | ((t >> 24 & 0xff) << 56);
    gdt[6] = t >> 32; /* KIT_SEL_TSS: 16-byte available 64-bit TSS */
    ktss.tss.rsp[0] = (uint64_t)(uintptr_t)kit_kstack_top;
    ktss.tss.iomap_base = sizeof(ktss.tss);
    ktss.iomap[8192] = 0xff;
    struct dt_ptr g = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};
    __asm__ volatile("lgdt %0" ::"m"(g));
    kit_load_segments();
    __asm__ volatile("ltr %w0" ::"r"(KIT_SEL_TSS));

    struct dt_ptr i = {sizeof(kit_idt) - 1, (uint64_t)(uintptr_t)kit_idt};
    __asm__ volatile("lidt %0" ::"m"(i));
}

static int window_slot(uint64_t va)
{
    if ((va & 0xfff) || va < KIT_MAP_BASE || va >= KIT_MAP_BASE + KIT_MAP_PAGES * 4096ull)
        return -1;
    return (int)((va - KIT_MAP_BASE) >> 12);
}

enum { KIT_SYS_MAP = 1, KIT_SYS_UNMAP = 2 };

static long kernel_call(long nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
    int slot = window_slot(a1);
    if (slot < 0)
        return -1;
    switch (nr) {
    case KIT_SYS_MAP:
        if (a2 & 0xfff)
            return -1;
        kit_win_pt[slot] = a2 | PTE_P | PTE_US | (a3 ? PTE_RW : 0);
        break;
    case KIT_SYS_UNMAP:
        kit_win_pt[slot] = 0;
        break;
    default:
        return -1;
    }
    __asm__ volatile("invlpg (%0)" ::"r"(a1) : "memory");
    return 0;
}

static long kit_call(long nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
    if (!boot.has_kernel)
        return -1;
    if (kit_cpl() == 0)
        return kernel_call(nr, a1, a2, a3);
    return kit_syscall_gate(nr, (long)a1, (long)a2, (long)a3);
}

int kit_map_page(uint64_t va, uint64_t pa, int writable)
{
    return (int)kit_call(KIT_SYS_MAP, va, pa, (uint64_t)writable);
}

int kit_unmap_page(uint64_t va) { return (int)kit_call(KIT_SYS_UNMAP, va, 0, 0); }

static const char *const exc_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS",
    "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE",  "#CP",
};

void kit_trap(struct kit_frame *f)
{
    uint64_t cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    if (f->vector == 6 && f->rip == (uint64_t)(uintptr_t)kit_syscall_ud2) {
        f->rax = (uint64_t)kernel_call((long)f->rdi, f->rsi, f->rdx, f->rcx);
        f->rip += 2;
        return;
    }
    if ((f->vector == 14 || f->vector == 13) &&
        (f->rip == (uint64_t)(uintptr_t)kit_probe_read_insn ||
         f->rip == (uint64_t)(uintptr_t)kit_probe_write_insn)) {
        kit_last_fault.vector = f->vector;
        kit_last_fault.error = f->error;
        kit_last_fault.addr = f->vector == 14 ? cr2 : 0;
        kit_last_fault.count++;
        f->rip = (uint64_t)(uintptr_t)kit_probe_fixup;
        return;
    }
    const char *name = f->vector < 32 && exc_names[f->vector] ? exc_names[f->vector] : "?";
    kit_panic("kit: unexpected exception %s (vector %lu) error %#lx at rip %#lx cpl %lu cr2 %#lx\n"
              "kit: rax %#lx rbx %#lx rcx %#lx rdx %#lx rsi %#lx rdi %#lx rsp %#lx\n",
              name, f->vector, f->error, f->rip, f->cs & 3, cr2, f->rax, f->rbx, f->rcx, f->rdx,
              f->rsi, f->rdi, f->rsp);
}

/* ---- startup ------------------------------------------------------------- */

static _Noreturn void run_payload(void)
{
    boot.payload_cpl = kit_cpl();
    kit_exit((unsigned)kit_payload(&boot));
}

_Noreturn void kit_main(int protocol, uint64_t info, uint32_t magic)
{
    boot.protocol = protocol;
    boot.entry_cpl = kit_cpl();
    boot.image_end = ((uint64_t)(uintptr_t)__kit_image_end + 4095) & ~4095ull;
    boot.cmdline = "";
    if (protocol == KIT_PROTO_ELF64)
        parse_ferry_info((const struct ferry_boot_info *)(uintptr_t)info);
    else
        parse_multiboot_info((const struct mb_info *)(uintptr_t)info, magic);
    if (boot.entry_cpl != 0)
        run_payload(); /* entered at CPL3: the loader's page tables, no kernel */

    uint64_t top = boot.mem_bytes;
    for (unsigned i = 0; i < boot.ram_count; i++)
        if (boot.ram[i].base + boot.ram[i].len > top)
            top = boot.ram[i].base + boot.ram[i].len;
    paging_init(top);
    tables_init();
    uint64_t cr0;
    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    __asm__ volatile("mov %0, %%cr0" ::"r"(cr0 | 0x10000)); /* WP: read-only pages bind CPL0 too */
    boot.has_kernel = 1;
    if (kit_arg_u64("ring", 0) == 3)
        kit_enter_user(run_payload, (uint64_t)(uintptr_t)kit_ustack_top);
    run_payload();
}

/* ---- libc bits ------------------------------------------------------------ */

void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    if (p < q)
        while (n--)
            *p++ = *q++;
    else
        while (n--)
            p[n] = q[n];
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p - *q;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            return 0;
    }
    return 0;
}
