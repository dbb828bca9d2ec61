/* KVM register state: filling kvm_regs/kvm_sregs from the engine-neutral boot
 * state, the register dump printed when a vCPU fails, and exit-reason names. */
#include <linux/kvm.h>
#include <string.h>

#include "kvm.h"

struct exit_name {
    unsigned reason;
    const char *name;
};

static const struct exit_name exit_names[] = {
#define KVM_EXIT_NAME(c, name) {c, name},
#include "kvm_exits.def"
#undef KVM_EXIT_NAME
};

const char *kvm_exit_name(unsigned reason, char *buf, size_t len)
{
    for (size_t i = 0; i < sizeof(exit_names) / sizeof(exit_names[0]); i++)
        if (exit_names[i].reason == reason)
            return exit_names[i].name;
    snprintf(buf, len, "exit-%u", reason);
    return buf;
}

static void seg_from_boot(struct kvm_segment *k, const struct x86_segment *s)
{
    memset(k, 0, sizeof(*k));
    k->base = s->base;
    k->limit = s->limit;
    k->selector = s->selector;
    k->type = s->type;
    k->present = s->present;
    k->dpl = s->dpl;
    k->db = s->db;
    k->s = s->s;
    k->l = s->l;
    k->g = s->g;
    k->avl = s->avl;
    k->unusable = s->unusable;
}

void kvm_state_from_boot(const struct x86_boot_state *st, struct kvm_regs *r, struct kvm_sregs *s)
{
    memset(r, 0, sizeof(*r));
    r->rax = st->rax, r->rbx = st->rbx, r->rcx = st->rcx, r->rdx = st->rdx;
    r->rsi = st->rsi, r->rdi = st->rdi, r->rsp = st->rsp, r->rbp = st->rbp;
    r->r8 = st->r8, r->r9 = st->r9, r->r10 = st->r10, r->r11 = st->r11;
    r->r12 = st->r12, r->r13 = st->r13, r->r14 = st->r14, r->r15 = st->r15;
    r->rip = st->rip;
    r->rflags = st->rflags;

    /* Keep what KVM_GET_SREGS gave for the fields the boot state has no say
     * in (apic_base); replace everything else. */
    seg_from_boot(&s->cs, &st->cs);
    seg_from_boot(&s->ds, &st->ds);
    seg_from_boot(&s->es, &st->es);
    seg_from_boot(&s->fs, &st->fs);
    seg_from_boot(&s->gs, &st->gs);
    seg_from_boot(&s->ss, &st->ss);
    seg_from_boot(&s->tr, &st->tr);
    seg_from_boot(&s->ldt, &st->ldt);
    s->gdt.base = st->gdt.base;
    s->gdt.limit = st->gdt.limit;
    memset(s->gdt.padding, 0, sizeof(s->gdt.padding));
    s->idt.base = st->idt.base;
    s->idt.limit = st->idt.limit;
    memset(s->idt.padding, 0, sizeof(s->idt.padding));
    s->cr0 = st->cr0;
    s->cr2 = st->cr2;
    s->cr3 = st->cr3;
    s->cr4 = st->cr4;
    s->cr8 = 0;
    s->efer = st->efer;
    memset(s->interrupt_bitmap, 0, sizeof(s->interrupt_bitmap));
}

static void dump_flags(uint64_t fl, FILE *f)
{
    static const struct {
        unsigned bit;
        const char *name;
    } bits[] = {{0, "CF"},  {2, "PF"},   {4, "AF"},   {6, "ZF"},  {7, "SF"},  {8, "TF"},
                {9, "IF"},  {10, "DF"},  {11, "OF"},  {14, "NT"}, {16, "RF"}, {17, "VM"},
                {18, "AC"}, {19, "VIF"}, {20, "VIP"}, {21, "ID"}};
    fprintf(f, "rflags %016llx [", (unsigned long long)fl);
    const char *sep = "";
    for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
        if (fl & (1ull << bits[i].bit)) {
            fprintf(f, "%s%s", sep, bits[i].name);
            sep = " ";
        }
    fprintf(f, "%sIOPL=%u]\n", sep, (unsigned)(fl >> 12) & 3);
}

static void dump_seg(const char *name, const struct kvm_segment *s, FILE *f)
{
    fprintf(f, "%-3s sel=%04x base=%016llx limit=%08x type=%x s=%u dpl=%u p=%u db=%u l=%u g=%u%s\n",
            name, s->selector, (unsigned long long)s->base, s->limit, s->type, s->s, s->dpl,
            s->present, s->db, s->l, s->g, s->unusable ? " unusable" : "");
}

/* The mode the vCPU is in, from CR0.PE, EFER.LMA and CS.L/D. */
static const char *cpu_mode(const struct kvm_sregs *s)
{
    if (!(s->cr0 & 1))
        return "real mode";
    if (s->efer & X86_EFER_LMA)
        return s->cs.l ? "64-bit long mode" : "compatibility mode";
    return s->cs.db ? "32-bit protected mode" : "16-bit protected mode";
}

void kvm_dump_state(const struct kvm_regs *r, const struct kvm_sregs *s, FILE *f)
{
    fprintf(f, "vCPU state (%s, CPL%u):\n", cpu_mode(s), s->cs.dpl);
    fprintf(f, "rax %016llx rbx %016llx rcx %016llx rdx %016llx\n", (unsigned long long)r->rax,
            (unsigned long long)r->rbx, (unsigned long long)r->rcx, (unsigned long long)r->rdx);
    fprintf(f, "rsi %016llx rdi %016llx rsp %016llx rbp %016llx\n", (unsigned long long)r->rsi,
            (unsigned long long)r->rdi, (unsigned long long)r->rsp, (unsigned long long)r->rbp);
    fprintf(f, "r8  %016llx r9  %016llx r10 %016llx r11 %016llx\n", (unsigned long long)r->r8,
            (unsigned long long)r->r9, (unsigned long long)r->r10, (unsigned long long)r->r11);
    fprintf(f, "r12 %016llx r13 %016llx r14 %016llx r15 %016llx\n", (unsigned long long)r->r12,
            (unsigned long long)r->r13, (unsigned long long)r->r14, (unsigned long long)r->r15);
    fprintf(f, "rip %016llx ", (unsigned long long)r->rip);
    dump_flags(r->rflags, f);
    dump_seg("cs", &s->cs, f);
    dump_seg("ss", &s->ss, f);
    dump_seg("ds", &s->ds, f);
    dump_seg("es", &s->es, f);
    dump_seg("fs", &s->fs, f);
    dump_seg("gs", &s->gs, f);
    dump_seg("tr", &s->tr, f);
    dump_seg("ldt", &s->ldt, f);
    fprintf(f, "gdt base=%016llx limit=%04x  idt base=%016llx limit=%04x\n",
            (unsigned long long)s->gdt.base, s->gdt.limit, (unsigned long long)s->idt.base,
            s->idt.limit);
    fprintf(f, "cr0 %016llx cr2 %016llx cr3 %016llx cr4 %016llx\n", (unsigned long long)s->cr0,
            (unsigned long long)s->cr2, (unsigned long long)s->cr3, (unsigned long long)s->cr4);
    fprintf(f, "cr8 %016llx efer %016llx apic_base %016llx\n", (unsigned long long)s->cr8,
            (unsigned long long)s->efer, (unsigned long long)s->apic_base);
}
