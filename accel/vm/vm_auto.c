/* --accel=auto: probe KVM and TCG; when both can run, time a built-in
 * calibration guest on each at the guest's entry ring and keep KVM unless it
 * is clearly slower (software KVM backends emulate CPL0 code).  The guest is
 * a tiny ELF64 image assembled here: marker 1, an integer loop, marker 2,
 * debug exit.  See docs/cli.md ("--accel=auto"). */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel/kvm/kvm.h"
#include "machine/pc.h"
#include "vm_auto.h"

/* ---- the decision ------------------------------------------------------------ */

static const char *ring_code(unsigned ring)
{
    return ring == 3 ? "user (CPL3)" : "supervisor (CPL0)";
}

enum vm_accel vm_auto_decide(const struct vm_auto_facts *f, char *why, size_t whylen)
{
    if (!f->kvm_usable && !f->tcg_usable) {
        snprintf(why, whylen, "no usable engine: KVM: %s; and TCG: %s", f->kvm_why, f->tcg_why);
        return VM_ACCEL_AUTO;
    }
    if (!f->tcg_usable) {
        snprintf(why, whylen, "KVM usable; TCG not available: %s", f->tcg_why);
        return VM_ACCEL_KVM;
    }
    if (!f->kvm_usable) {
        snprintf(why, whylen, "KVM not usable: %s", f->kvm_why);
        return VM_ACCEL_TCG;
    }
    if (f->kvm_ms < 0) {
        snprintf(why, whylen, "KVM usable but the calibration guest failed on it: %s",
                 f->cal_why);
        return VM_ACCEL_TCG;
    }
    if (f->tcg_ms < 0) {
        snprintf(why, whylen, "KVM usable; the calibration guest failed on TCG: %s", f->cal_why);
        return VM_ACCEL_KVM;
    }
    const char *backend = f->kvm_software ? "PVM software backend: " : "";
    if (f->kvm_ms <= f->tcg_ms * VM_AUTO_TOLERANCE) {
        snprintf(why, whylen,
                 "KVM usable and not slower than TCG for %s code here (%scalibration %.3f ms vs "
                 "%.3f ms)",
                 ring_code(f->ring), backend, f->kvm_ms, f->tcg_ms);
        return VM_ACCEL_KVM;
    }
    double ratio = f->tcg_ms > 0 ? f->kvm_ms / f->tcg_ms : 0;
    snprintf(why, whylen,
             "KVM usable but %s code runs %.*fx slower than TCG here (%scalibration %.3f ms vs "
             "%.3f ms)",
             ring_code(f->ring), ratio < 10 ? 1 : 0, ratio, backend, f->kvm_ms, f->tcg_ms);
    return VM_ACCEL_TCG;
}

/* ---- the calibration guest ---------------------------------------------------- */

#define CAL_LOAD_ADDR 0x100000u
#define CAL_CODE_OFF (sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr))

/* x86-64 code; the loop count is patched in at CAL_COUNT_AT. */
static const uint8_t cal_code[] = {
    0xb0, 0x01,                   /* mov al, 1                            */
    0xe6, TIMESTAMP_BASE,         /* out 0xe0, al      ; marker 1         */
    0xb9, 0, 0, 0, 0,             /* mov ecx, N                           */
    0x48, 0x01, 0xc8,             /* 1: add rax, rcx                      */
    0xff, 0xc9,                   /*    dec ecx                           */
    0x75, 0xf9,                   /*    jnz 1b                            */
    0xb0, 0x02,                   /* mov al, 2                            */
    0xe6, TIMESTAMP_BASE,         /* out 0xe0, al      ; marker 2         */
    0x31, 0xc0,                   /* xor eax, eax                         */
    0xe6, DEBUG_EXIT_BASE,        /* out 0xf4, al      ; exit, status 1   */
    0xf4,                         /* 2: hlt                               */
    0xeb, 0xfd,                   /*    jmp 2b                            */
};
#define CAL_COUNT_AT 5

size_t vm_auto_calibration_image(uint8_t *buf, size_t len, uint32_t iters)
{
    size_t size = CAL_CODE_OFF + sizeof(cal_code);
    if (len < size)
        return 0;
    memset(buf, 0, size);
    Elf64_Ehdr eh = {
        .e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT},
        .e_type = ET_EXEC,
        .e_machine = EM_X86_64,
        .e_version = EV_CURRENT,
        .e_entry = CAL_LOAD_ADDR + CAL_CODE_OFF,
        .e_phoff = sizeof(Elf64_Ehdr),
        .e_ehsize = sizeof(Elf64_Ehdr),
        .e_phentsize = sizeof(Elf64_Phdr),
        .e_phnum = 1,
    };
    Elf64_Phdr ph = {
        .p_type = PT_LOAD,
        .p_flags = PF_R | PF_X,
        .p_offset = 0,
        .p_vaddr = CAL_LOAD_ADDR,
        .p_paddr = CAL_LOAD_ADDR,
        .p_filesz = size,
        .p_memsz = size,
        .p_align = 0x1000,
    };
    memcpy(buf, &eh, sizeof(eh));
    memcpy(buf + sizeof(eh), &ph, sizeof(ph));
    memcpy(buf + CAL_CODE_OFF, cal_code, sizeof(cal_code));
    memcpy(buf + CAL_CODE_OFF + CAL_COUNT_AT, &iters, sizeof(iters));
    return size;
}

int vm_auto_calibrate(const struct vm_engine *e, const struct vm_engine_options *o,
                      unsigned ring, double *ms, char *err, size_t errlen)
{
    uint8_t image[256];
    size_t size = vm_auto_calibration_image(image, sizeof(image), VM_AUTO_LOOP_ITERS);
    struct pc_machine *pc = calloc(1, sizeof(*pc));
    if (!pc) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    char msg[512];
    struct pc_config cfg = {.ram_size = PC_RAM_MIN, .serial = "none"};
    if (pc_init(pc, &cfg, msg, sizeof(msg)) != 0) {
        snprintf(err, errlen, "%s", msg);
        free(pc);
        return -1;
    }
    int r = -1;
    struct pc_boot_options bo = {.entry_ring = ring == 3 ? 3 : 0};
    struct x86_boot_state st;
    if (pc_load_image(pc, image, size, "calibration guest", &bo, &st, msg, sizeof(msg)) != 0) {
        snprintf(err, errlen, "%s", msg);
        goto out;
    }
    struct vm_engine_options eo = *o;
    eo.stats = false;
    eo.catch_signals = false;
    eo.abort_hook = NULL;
    struct vm_engine_stats stats;
    if (e->run(pc, &st, &eo, &stats, msg, sizeof(msg)) != 0) {
        if (machine_running(&pc->status))
            snprintf(err, errlen, "%s: %s", e->name, msg);
        else
            snprintf(err, errlen, "%s: the vCPU failed (%s)", e->name,
                     machine_state_desc(pc->status.state));
        goto out;
    }
    const struct timestamp_dev *ts = &pc->ts;
    if (pc->status.state != MACHINE_exited || ts->count < 2 || ts->mark[0].id != 1 ||
        ts->mark[1].id != 2) {
        snprintf(err, errlen, "%s: the calibration guest ended without its two markers (%s)",
                 e->name, machine_state_desc(pc->status.state));
        goto out;
    }
    *ms = (double)(ts->mark[1].ns - ts->mark[0].ns) / 1e6;
    r = 0;
out:
    pc_destroy(pc);
    free(pc);
    return r;
}

/* ---- gathering the facts -------------------------------------------------------- */

enum vm_accel vm_auto_choose(const struct vm_engine_options *o, unsigned ring, char *why,
                             size_t whylen)
{
    struct vm_auto_facts f = {.ring = ring, .kvm_ms = -1, .tcg_ms = -1};
    const struct vm_engine *kvm = vm_engine_usable(VM_ACCEL_KVM, o, f.kvm_why, sizeof(f.kvm_why));
    const struct vm_engine *tcg = vm_engine_usable(VM_ACCEL_TCG, o, f.tcg_why, sizeof(f.tcg_why));
    f.kvm_usable = kvm != NULL;
    f.tcg_usable = tcg != NULL;
    if (kvm && tcg) {
        struct kvm_host_info h;
        kvm_host_info(&h);
        f.kvm_software = h.pvm;
        if (vm_auto_calibrate(kvm, o, ring, &f.kvm_ms, f.cal_why, sizeof(f.cal_why)) == 0)
            vm_auto_calibrate(tcg, o, ring, &f.tcg_ms, f.cal_why, sizeof(f.cal_why));
        else
            f.kvm_ms = -1;
    }
    return vm_auto_decide(&f, why, whylen);
}
