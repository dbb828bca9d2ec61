/* The TCG engine of the pc machine (vm_engine.h): the x86-64 translator in
 * system mode runs the vCPU.  The CPU starts from the loaders' boot state;
 * the run loop dispatches what tcg_exec returns (halt, exceptions delivered
 * through the guest's IDT by x64_excp.c, triple fault, stop requests) while
 * port I/O goes straight from helpers to the machine's bus and memory through
 * the soft TLB and the x86 page walk (x64_mmu.c) to RAM or the bus (MMIO). */
#include <errno.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "accel/kvm/kvm.h"
#include "accel/tcg/tcg.h"
#include "backend/backend.h"
#include "frontend/frontend.h"
#include "frontend/x86_64/x64_cpu.h"
#include "frontend/x86_64/x64_mmu.h"
#include "frontend/x86_64/x64_system.h"
#include "machine/pc.h"
#include "vm_engine.h"

struct vt_vm {
    struct x64_cpu *cpu;
    struct pc_machine *pc;
    const struct vm_engine_options *opt;
    struct tcg_ctx tcg;
    struct x64_mmu mmu;
    bool tcg_ready, cpu_ready, fctx_ready, mmu_ready;
    struct frontend_ctx fctx;
    uint64_t guest_insns;
    /* exits of the run loop, by kind */
    uint64_t n_io, n_hlt, n_exception, n_request, n_interrupt;
};

static uint64_t vt_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- guest memory: linear addresses through the MMU ------------------------------ */

static int vt_mem_read(void *opaque, struct x64_cpu *cpu, uint64_t la, void *buf, unsigned len,
                       bool user)
{
    (void)opaque;
    return x64_mmu_read(cpu, la, buf, len, user);
}

static int vt_mem_write(void *opaque, struct x64_cpu *cpu, uint64_t la, const void *buf,
                        unsigned len, bool user)
{
    (void)opaque;
    return x64_mmu_write(cpu, la, buf, len, user);
}

static void vt_tlb_flush(void *opaque, struct x64_cpu *cpu)
{
    (void)opaque;
    x64_mmu_flush_all(cpu);
}

static void vt_tlb_flush_page(void *opaque, struct x64_cpu *cpu, uint64_t la)
{
    (void)opaque;
    x64_mmu_flush_page(cpu, la);
}

/* ---- port I/O -------------------------------------------------------------------- */

static uint64_t vt_io_in(void *opaque, struct x64_cpu *cpu, uint16_t port, unsigned size)
{
    struct vt_vm *vm = opaque;
    (void)cpu;
    vm->n_io++;
    return bus_read(&vm->pc->bus, BUS_PIO, port, size);
}

static void vt_io_out(void *opaque, struct x64_cpu *cpu, uint16_t port, uint64_t v, unsigned size)
{
    struct vt_vm *vm = opaque;
    vm->n_io++;
    bus_write(&vm->pc->bus, BUS_PIO, port, v, size);
    if (!machine_running(&vm->pc->status))
        cpu->head.exit_request = 1;
}

static const struct x64_sys_ops vt_sys_ops = {
    .io_in = vt_io_in,
    .io_out = vt_io_out,
    .mem_read = vt_mem_read,
    .mem_write = vt_mem_write,
    .tlb_flush = vt_tlb_flush,
    .tlb_flush_page = vt_tlb_flush_page,
};

/* ---- the boot state ---------------------------------------------------------------- */

static struct x64_segcache vt_seg(const struct x86_segment *s)
{
    struct x64_segcache c = {.base = s->base, .limit = s->limit, .sel = s->selector};
    if (s->unusable)
        return c;
    c.attr = (uint16_t)((s->type & 0xf) | (s->s & 1) << 4 | (s->dpl & 3) << 5 |
                        (s->present & 1) << 7 | (s->avl & 1) << 12 | (s->l & 1) << 13 |
                        (s->db & 1) << 14 | (s->g & 1) << 15);
    return c;
}

static void vt_cpu_from_boot(struct x64_cpu *cpu, const struct x86_boot_state *st)
{
    const uint64_t r[16] = {st->rax, st->rcx, st->rdx, st->rbx, st->rsp, st->rbp,
                            st->rsi, st->rdi, st->r8,  st->r9,  st->r10, st->r11,
                            st->r12, st->r13, st->r14, st->r15};
    memcpy(cpu->regs, r, sizeof(r));
    cpu->head.pc = st->rip;
    x64_set_rflags(cpu, st->rflags);
    cpu->cr0 = st->cr0, cpu->cr2 = st->cr2, cpu->cr3 = st->cr3, cpu->cr4 = st->cr4;
    cpu->efer = st->efer;
    cpu->seg[X64_ES] = vt_seg(&st->es);
    cpu->seg[X64_CS] = vt_seg(&st->cs);
    cpu->seg[X64_SS] = vt_seg(&st->ss);
    cpu->seg[X64_DS] = vt_seg(&st->ds);
    cpu->seg[X64_FS] = vt_seg(&st->fs);
    cpu->seg[X64_GS] = vt_seg(&st->gs);
    cpu->seg[X64_LDTR] = vt_seg(&st->ldt);
    cpu->seg[X64_TR] = vt_seg(&st->tr);
    cpu->fs_base = st->fs.base;
    cpu->gs_base = st->gs.base;
    cpu->gdt_base = st->gdt.base, cpu->gdt_limit = st->gdt.limit;
    cpu->idt_base = st->idt.base, cpu->idt_limit = st->idt.limit;
    cpu->apic_base = 0xfee00900; /* enabled, bootstrap processor */
    x64_sys_update_flags(cpu);
}

/* ---- the register dump (KVM's format) ---------------------------------------------- */

static void vt_kseg(struct kvm_segment *k, const struct x64_segcache *s)
{
    memset(k, 0, sizeof(*k));
    k->base = s->base;
    k->limit = s->limit;
    k->selector = s->sel;
    k->type = s->attr & 0xf;
    k->s = (s->attr >> 4) & 1;
    k->dpl = (s->attr >> 5) & 3;
    k->present = (s->attr >> 7) & 1;
    k->avl = (s->attr >> 12) & 1;
    k->l = (s->attr >> 13) & 1;
    k->db = (s->attr >> 14) & 1;
    k->g = (s->attr >> 15) & 1;
    k->unusable = !(s->attr & X64_SEGA_P);
}

static void vt_dump(struct vt_vm *vm, FILE *f)
{
    const struct x64_cpu *c = vm->cpu;
    struct kvm_regs r = {
        .rax = c->regs[X64_RAX], .rbx = c->regs[X64_RBX], .rcx = c->regs[X64_RCX],
        .rdx = c->regs[X64_RDX], .rsi = c->regs[X64_RSI], .rdi = c->regs[X64_RDI],
        .rsp = c->regs[X64_RSP], .rbp = c->regs[X64_RBP], .r8 = c->regs[X64_R8],
        .r9 = c->regs[X64_R9],   .r10 = c->regs[X64_R10], .r11 = c->regs[X64_R11],
        .r12 = c->regs[X64_R12], .r13 = c->regs[X64_R13], .r14 = c->regs[X64_R14],
        .r15 = c->regs[X64_R15], .rip = c->head.pc,       .rflags = x64_get_rflags(c),
    };
    struct kvm_sregs s;
    memset(&s, 0, sizeof(s));
    vt_kseg(&s.cs, &c->seg[X64_CS]);
    vt_kseg(&s.ss, &c->seg[X64_SS]);
    vt_kseg(&s.ds, &c->seg[X64_DS]);
    vt_kseg(&s.es, &c->seg[X64_ES]);
    vt_kseg(&s.fs, &c->seg[X64_FS]);
    vt_kseg(&s.gs, &c->seg[X64_GS]);
    vt_kseg(&s.tr, &c->seg[X64_TR]);
    vt_kseg(&s.ldt, &c->seg[X64_LDTR]);
    s.fs.base = c->fs_base;
    s.gs.base = c->gs_base;
    s.gdt.base = c->gdt_base, s.gdt.limit = (uint16_t)c->gdt_limit;
    s.idt.base = c->idt_base, s.idt.limit = (uint16_t)c->idt_limit;
    s.cr0 = c->cr0, s.cr2 = c->cr2, s.cr3 = c->cr3, s.cr4 = c->cr4, s.cr8 = c->cr8;
    s.efer = c->efer;
    s.apic_base = c->apic_base;
    kvm_dump_state(&r, &s, f);
    uint8_t code[16];
    unsigned n = 16;
    while (n && vt_mem_read(vm, vm->cpu, c->head.pc, code, n, false) != 0)
        n--;
    if (n) {
        fprintf(f, "code at rip (guest linear %#llx):", (unsigned long long)c->head.pc);
        for (unsigned i = 0; i < n; i++)
            fprintf(f, " %02x", code[i]);
        fprintf(f, "\n");
    }
}

__attribute__((format(printf, 2, 3))) static int vt_fail(struct vt_vm *vm, const char *fmt, ...)
{
    uart_flush(&vm->pc->com1);
    fflush(stdout);
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "ferry vm: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    vt_dump(vm, stderr);
    machine_stop(&vm->pc->status, MACHINE_error, vm->opt->error_status, 0);
    return -1;
}

/* Deliver the exception recorded in the CPU state (x64_excp.c); a triple
 * fault stops the machine with the register dump (-1). */
static int vt_deliver(struct vt_vm *vm)
{
    enum x64_deliver_status r = x64_deliver_pending(vm->cpu);
    vm->cpu->exc_soft = 0;
    if (r == X64_DELIVER_TRIPLE)
        return vt_fail(vm, "the guest triple-faulted: an exception could not be delivered "
                           "(no usable IDT, or a fault in the handler)");
    return 0;
}

/* ---- SIGINT / SIGTERM ------------------------------------------------------------------ */

static struct x64_cpu *volatile vt_signal_cpu;
static volatile sig_atomic_t vt_signal, vt_signal_count;
static void (*vt_abort_hook)(void);

static void vt_on_signal(int sig)
{
    if (++vt_signal_count > 1) {
        static const char msg[] = "\nferry vm: interrupted again; exiting at once\n";
        ssize_t w = write(STDERR_FILENO, msg, sizeof(msg) - 1);
        (void)w;
        if (vt_abort_hook)
            vt_abort_hook();
        _exit(128 + sig);
    }
    vt_signal = sig;
    struct x64_cpu *cpu = vt_signal_cpu;
    if (cpu)
        cpu->head.exit_request = 1;
}

/* ---- the engine ---------------------------------------------------------------------- */

/* The frontend's translate callback, counting guest instructions. */
static int vt_translate(void *opaque, struct ir_func *f, uint64_t pc, uint32_t flags,
                        unsigned max_insns, uint32_t *guest_size)
{
    struct vt_vm *vm = opaque;
    int r = frontend_x86_64.translate(&vm->fctx, f, pc, flags, max_insns, guest_size);
    for (uint32_t i = 0; i < f->ninsns; i++)
        if (f->insns[i].op == IR_OP_insn_start)
            vm->guest_insns++;
    return r;
}

static void vt_free(struct vt_vm *vm)
{
    if (vm->cpu_ready)
        tcg_cpu_fini(&vm->tcg, &vm->cpu->head);
    if (vm->mmu_ready)
        x64_mmu_fini(&vm->mmu);
    if (vm->tcg_ready)
        tcg_fini(&vm->tcg);
    if (vm->fctx_ready)
        frontend_x86_64.ctx_fini(&vm->fctx);
    free(vm->cpu);
}

static int vt_setup(struct vt_vm *vm, const struct x86_boot_state *st, char *err, size_t errlen)
{
    const struct vm_engine_options *o = vm->opt;
    const char *bname = o->backend && *o->backend ? o->backend : "jit";
    struct tcg_config cfg;
    tcg_config_default(&cfg);
    cfg.backend = backend_by_name(bname);
    if (!cfg.backend) {
        snprintf(err, errlen, "TCG: unknown backend '%s' (jit or interp)", bname);
        return -1;
    }
    cfg.opt_mask = IR_PASSES_ALL;
    cfg.max_insns = o->one_insn_per_tb ? 1 : 0;
    vm->fctx.fe = &frontend_x86_64;
    vm->fctx.guest_base = vm->pc->ram;
    vm->fctx.fetch = x64_mmu_fetch;
    int r = frontend_x86_64.ctx_init(&vm->fctx);
    if (r < 0) {
        snprintf(err, errlen, "TCG: x86-64 frontend: %s", strerror(-r));
        return -1;
    }
    vm->fctx_ready = true;
    if (tcg_init(&vm->tcg, &cfg, vt_translate, vm) < 0) {
        snprintf(err, errlen, "TCG: translation cache: %s", vm->tcg.errmsg);
        return -1;
    }
    vm->tcg_ready = true;
    vm->cpu = (struct x64_cpu *)frontend_cpu_new(&frontend_x86_64);
    if (!vm->cpu) {
        snprintf(err, errlen, "TCG: out of memory");
        return -1;
    }
    if ((r = tcg_cpu_init(&vm->tcg, &vm->cpu->head)) < 0) {
        snprintf(err, errlen, "TCG: %s", strerror(-r));
        return -1;
    }
    vm->cpu_ready = true;
    vm->fctx.env_opaque = vm->cpu;
    if ((r = x64_mmu_init(vm->cpu, &vm->mmu, &vm->pc->mem, &vm->pc->bus, &vm->tcg)) < 0) {
        snprintf(err, errlen, "TCG: soft MMU: %s", strerror(-r));
        return -1;
    }
    vm->mmu_ready = true;
    vm->cpu->head.guest_base = vm->pc->ram;
    vm->cpu->sys_ops = &vt_sys_ops;
    vm->cpu->sys_opaque = vm;
    vt_cpu_from_boot(vm->cpu, st);
    return 0;
}

static void vt_halt(struct vt_vm *vm)
{
    if (vm->cpu->rflags_other & 0x200) {
        uart_flush(&vm->pc->com1);
        fprintf(stderr,
                "ferry vm: the guest halted with interrupts enabled at rip %#llx; no device "
                "raises interrupts yet, so the run ends here\n",
                (unsigned long long)vm->cpu->head.pc);
    }
    machine_stop(&vm->pc->status, MACHINE_halted, 0, 0);
}

/* One return of tcg_exec.  0 to go on, -1 after a vCPU failure. */
static int vt_dispatch(struct vt_vm *vm, unsigned why)
{
    struct x64_cpu *cpu = vm->cpu;
    switch (why) {
    case IR_EXIT_request:
        vm->n_request++;
        return 0;
    case IR_EXIT_halt:
        vm->n_hlt++;
        vt_halt(vm);
        return 0;
    case IR_EXIT_undef:
        x64_sys_fault(cpu, X64_EXC_UD, 0);
        break;
    case IR_EXIT_brk: /* INT3 translated by user-mode code paths */
        x64_sys_fault(cpu, X64_EXC_BP, 0);
        cpu->exc_soft = 1;
        break;
    case IR_EXIT_fault:
        /* the fetch failed: the #PF, or (the mapping changed since) retry */
        if (!x64_mmu_fetch_fault(cpu)) {
            tcg_flush(&vm->tcg);
            return 0;
        }
        break;
    case IR_EXIT_exception:
        break;
    case TCG_EXIT_ERROR:
        return vt_fail(vm, "the translator failed at rip %#llx: %s",
                       (unsigned long long)cpu->head.pc, tcg_errmsg(&vm->tcg));
    default:
        return vt_fail(vm, "unexpected TCG exit %u (%s)", why,
                       why < IR_EXIT_COUNT ? ir_exit_names[why] : "?");
    }
    vm->n_exception++;
    return vt_deliver(vm);
}

static int vt_loop(struct vt_vm *vm)
{
    struct x64_cpu *cpu = vm->cpu;
    while (machine_running(&vm->pc->status)) {
        if (vt_signal) {
            vm->n_interrupt++;
            machine_stop(&vm->pc->status, MACHINE_interrupted, 128 + vt_signal,
                         (uint64_t)vt_signal);
            break;
        }
        if (x64_mmu_take_tb_flush(cpu))
            tcg_flush(&vm->tcg);
        unsigned why = tcg_exec(&vm->tcg, &cpu->head);
        if (!machine_running(&vm->pc->status))
            break; /* a device stopped the machine (debug exit, reset) */
        if (vt_dispatch(vm, why) < 0)
            return -1;
    }
    return 0;
}

static int tcg_engine_probe(const struct vm_engine_options *o, char *why, size_t whylen)
{
    const char *b = o && o->backend && *o->backend ? o->backend : "jit";
    if (!backend_by_name(b)) {
        snprintf(why, whylen, "no TCG backend called '%s' in this build (jit or interp)", b);
        return -1;
    }
    if (whylen)
        why[0] = 0;
    return 0;
}

static int tcg_engine_run(struct pc_machine *pc, const struct x86_boot_state *st,
                          const struct vm_engine_options *o, struct vm_engine_stats *stats,
                          char *err, size_t errlen)
{
    memset(stats, 0, sizeof(*stats));
    struct vt_vm *vm = calloc(1, sizeof(*vm));
    if (!vm) {
        snprintf(err, errlen, "TCG: out of memory");
        return -1;
    }
    vm->pc = pc;
    vm->opt = o;
    if (vt_setup(vm, st, err, errlen) < 0) {
        vt_free(vm);
        free(vm);
        return -1;
    }
    struct sigaction sa = {.sa_handler = vt_on_signal}, old_int, old_term;
    sigemptyset(&sa.sa_mask);
    if (o->catch_signals) {
        vt_signal = 0;
        vt_signal_count = 0;
        vt_abort_hook = o->abort_hook;
        vt_signal_cpu = vm->cpu;
        sigaction(SIGINT, &sa, &old_int);
        sigaction(SIGTERM, &sa, &old_term);
    }
    uint64_t t0 = vt_now_ns();
    pc->ts.start_ns = t0; /* phase markers count from guest entry */
    int r = vt_loop(vm);
    stats->run_ns = vt_now_ns() - t0;
    uart_flush(&pc->com1);
    if (o->catch_signals) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        vt_signal_cpu = NULL;
    }
    const struct tcg_stats *ts = &vm->tcg.stats;
    for (unsigned i = 0; i < IR_EXIT_COUNT; i++)
        stats->exits += ts->exits[i];
    vm_stats_count_exit(stats, "io", vm->n_io);
    vm_stats_count_exit(stats, "hlt", vm->n_hlt);
    vm_stats_count_exit(stats, "exception", vm->n_exception);
    vm_stats_count_exit(stats, "request", vm->n_request);
    vm_stats_count_exit(stats, "chain", ts->exits[IR_EXIT_chain]);
    vm_stats_count_exit(stats, "lookup", ts->exits[IR_EXIT_lookup]);
    stats->blocks_translated = ts->blocks;
    stats->code_bytes = ts->host_bytes;
    stats->guest_insns = vm->guest_insns;
    stats->tlb_misses = vm->cpu->smmu.misses;
    if (o->stats)
        tcg_stats_print(&vm->tcg, stderr);
    vt_free(vm);
    free(vm);
    return r;
}

static void tcg_engine_print_stats(const struct vm_engine_stats *s, FILE *f)
{
    fprintf(f, "== tcg stats ==\n");
    fprintf(f, "run %.3f ms; %llu blocks translated (%llu guest insns, %llu bytes of host code)\n",
            (double)s->run_ns / 1e6, (unsigned long long)s->blocks_translated,
            (unsigned long long)s->guest_insns, (unsigned long long)s->code_bytes);
    fprintf(f, "exits: %llu block exits to the run loop\n", (unsigned long long)s->exits);
    for (unsigned i = 0; i < s->nexit_kinds; i++)
        if (s->exit_kind[i].count)
            fprintf(f, "  %-16s %llu\n", s->exit_kind[i].name,
                    (unsigned long long)s->exit_kind[i].count);
    if (s->tlb_misses)
        fprintf(f, "soft TLB: %llu refills\n", (unsigned long long)s->tlb_misses);
}

const struct vm_engine vm_engine_tcg = {
    .name = "tcg",
    .probe = tcg_engine_probe,
    .run = tcg_engine_run,
    .print_stats = tcg_engine_print_stats,
};
