/* System-instruction translators of the x86-64 frontend (system mode only,
 * tried before every other group): control and segment registers, descriptor
 * tables, far transfers (LJMP, LCALL, LRET, IRET), port I/O incl. string
 * I/O, HLT, CLI/STI, MSRs, SWAPGS, INVLPG, SYSCALL/SYSRET, INT n / INT3 /
 * UD2 as exceptions, the system CPUID model.  Privileged instructions at
 * CPL > 0 raise #GP(0); the state changes run in helpers (x64_system_cpu.c),
 * and an instruction that may change the block key ends its block with
 * goto_ptr. */
#include "frontend/x86_64/x64.h"
#include "frontend/x86_64/x64_system.h"

/* ---- helpers run by translated code --------------------------------------- */

static uint64_t x64_sys_helper_write_cr(struct x64_cpu *cpu, uint64_t n, uint64_t v)
{
    return (uint64_t)x64_sys_write_cr(cpu, (unsigned)n, v);
}

static uint64_t x64_sys_helper_load_seg(struct x64_cpu *cpu, uint64_t seg, uint64_t sel)
{
    return (uint64_t)x64_sys_load_seg(cpu, (enum x64_seg)seg, (uint16_t)sel);
}

static uint64_t x64_sys_helper_rdmsr(struct x64_cpu *cpu)
{
    uint64_t v;
    if (x64_sys_rdmsr(cpu, (uint32_t)cpu->regs[X64_RCX], &v))
        return 1;
    cpu->regs[X64_RAX] = (uint32_t)v;
    cpu->regs[X64_RDX] = v >> 32;
    return 0;
}

static uint64_t x64_sys_helper_wrmsr(struct x64_cpu *cpu)
{
    uint64_t v = (uint32_t)cpu->regs[X64_RAX] | cpu->regs[X64_RDX] << 32;
    return (uint64_t)x64_sys_wrmsr(cpu, (uint32_t)cpu->regs[X64_RCX], v);
}

/* CLI (v = 0) / STI (v = 1): allowed when CPL <= IOPL. */
static uint64_t x64_sys_helper_setif(struct x64_cpu *cpu, uint64_t v)
{
    if (cpu->cpl > ((cpu->rflags_other >> 12) & 3))
        return (uint64_t)x64_sys_fault(cpu, X64_EXC_GP, 0);
    cpu->rflags_other = (cpu->rflags_other & ~0x200u) | (v ? 0x200u : 0);
    return 0;
}

/* POPF in system mode: IF and IOPL as the privilege rules allow. */
static void x64_sys_helper_popf(struct x64_cpu *cpu, uint64_t v, uint64_t size)
{
    if (size < 8)
        v = (x64_get_rflags(cpu) & ~x64_mask((unsigned)size)) | (v & x64_mask((unsigned)size));
    x64_sys_set_rflags(cpu, v, false);
}

static void x64_sys_helper_invlpg(struct x64_cpu *cpu, uint64_t la)
{
    if (cpu->sys_ops->tlb_flush_page)
        cpu->sys_ops->tlb_flush_page(cpu->sys_opaque, cpu, la);
}

static void x64_sys_helper_cpuid(struct x64_cpu *cpu) { x64_sys_cpuid(cpu); }

#define SYS_HF (IR_HF_ENV | IR_HF_READS_GLOBALS | IR_HF_WRITES_GLOBALS | IR_HF_SIDE)
#define SYS_HELPER(var, fn_, ret_, n, ...)                                                     \
    static const struct ir_helper var = {                                                     \
        .name = #fn_, .fn = (void *)fn_, .ret = ret_, .nargs = n, .args = {__VA_ARGS__},      \
        .flags = SYS_HF}

SYS_HELPER(h_write_cr, x64_sys_helper_write_cr, IR_I64, 2, IR_I64, IR_I64);
SYS_HELPER(h_load_seg, x64_sys_helper_load_seg, IR_I64, 2, IR_I64, IR_I64);
SYS_HELPER(h_rdmsr, x64_sys_helper_rdmsr, IR_I64, 0, 0);
SYS_HELPER(h_wrmsr, x64_sys_helper_wrmsr, IR_I64, 0, 0);
SYS_HELPER(h_setif, x64_sys_helper_setif, IR_I64, 1, IR_I64);
SYS_HELPER(h_popf, x64_sys_helper_popf, IR_VOID, 2, IR_I64, IR_I64);
SYS_HELPER(h_invlpg, x64_sys_helper_invlpg, IR_VOID, 1, IR_I64);
SYS_HELPER(h_cpuid, x64_sys_helper_cpuid, IR_VOID, 0, 0);
SYS_HELPER(h_lret, x64_sys_helper_lret, IR_I64, 2, IR_I64, IR_I64);
SYS_HELPER(h_iret, x64_sys_helper_iret, IR_I64, 1, IR_I64);
SYS_HELPER(h_ljmp, x64_sys_helper_ljmp, IR_I64, 2, IR_I64, IR_I64);
SYS_HELPER(h_lcall, x64_sys_helper_lcall, IR_I64, 4, IR_I64, IR_I64, IR_I64, IR_I64);
SYS_HELPER(h_ltr, x64_sys_helper_ltr, IR_I64, 1, IR_I64);
SYS_HELPER(h_lldt, x64_sys_helper_lldt, IR_I64, 1, IR_I64);
SYS_HELPER(h_io_check, x64_sys_helper_io_check, IR_I64, 2, IR_I64, IR_I64);
SYS_HELPER(h_in, x64_sys_helper_in, IR_I64, 2, IR_I64, IR_I64);
SYS_HELPER(h_out, x64_sys_helper_out, IR_VOID, 3, IR_I64, IR_I64, IR_I64);
SYS_HELPER(h_string_io, x64_sys_helper_string_io, IR_I64, 2, IR_I64, IR_I64);
SYS_HELPER(h_syscall, x64_sys_helper_syscall, IR_I64, 1, IR_I64);
SYS_HELPER(h_sysret, x64_sys_helper_sysret, IR_I64, 1, IR_I64);

static const struct ir_helper *const x64_sys_helpers[] = {
    &h_write_cr, &h_load_seg, &h_rdmsr, &h_wrmsr, &h_setif, &h_popf, &h_invlpg, &h_cpuid,
    &h_lret,     &h_iret,     &h_ljmp,  &h_lcall, &h_ltr,   &h_lldt, &h_io_check, &h_in,
    &h_out,      &h_string_io, &h_syscall, &h_sysret,
};

int x64_system_register_helpers(void)
{
    for (size_t i = 0; i < sizeof x64_sys_helpers / sizeof x64_sys_helpers[0]; i++)
        if (ir_helper_register(x64_sys_helpers[i]) < 0)
            return -1;
    return x64_sys_fpu_register_helpers();
}

/* ---- translation utilities --------------------------------------------------- */

static unsigned x64_sys_cpl(const struct x64_dc *dc) { return dc->flags & X64_HF_CPL_MASK; }
static bool x64_sys_mode64(const struct x64_dc *dc) { return (dc->flags & X64_HF_CS64) != 0; }

/* Raise exception `vector` with an error code; soft: INT n (return address =
 * the next instruction). */
void x64_sys_raise(struct x64_dc *dc, unsigned vector, uint32_t error, bool soft)
{
    ir_st_state(dc->f, x64_c32(dc, vector), offsetof(struct x64_cpu, exc_vector), IR_MO_32);
    ir_st_state(dc->f, x64_c32(dc, error), offsetof(struct x64_cpu, exc_error), IR_MO_32);
    ir_st_state(dc->f, x64_c32(dc, soft), offsetof(struct x64_cpu, exc_soft), IR_MO_32);
    x64_exit(dc, IR_EXIT_exception, soft ? dc->next_pc : dc->pc);
}

static enum x64_status x64_sys_gp0(struct x64_dc *dc)
{
    x64_sys_raise(dc, X64_EXC_GP, 0, false);
    return X64_END;
}

/* Call a helper returning a status: nonzero leaves the block with the
 * exception the helper recorded, at this instruction. */
static void x64_sys_call_checked(struct x64_dc *dc, const struct ir_helper *h, const ir_ref *args)
{
    int id = x64_helper(dc, h);
    if (id < 0)
        return;
    ir_ref st = x64_t64(dc);
    ir_call(dc->f, id, st, args);
    uint32_t ok = ir_new_label(dc->f);
    ir_brcond(dc->f, IR_COND_eq, st, x64_c64(dc, 0), ok);
    ir_st_state(dc->f, x64_c32(dc, 0), offsetof(struct x64_cpu, exc_soft), IR_MO_32);
    x64_exit(dc, IR_EXIT_exception, dc->pc);
    ir_set_label(dc->f, ok);
}

static void x64_sys_call(struct x64_dc *dc, const struct ir_helper *h, ir_ref d, const ir_ref *args)
{
    int id = x64_helper(dc, h);
    if (id >= 0)
        ir_call(dc->f, id, d, args);
}

/* End the block: continue at the next instruction under the (possibly new)
 * mode flags, or at head.pc as a helper set it. */
static enum x64_status x64_sys_end_next(struct x64_dc *dc)
{
    ir_goto_ptr(dc->f, x64_c64(dc, dc->next_pc));
    return X64_END;
}

static enum x64_status x64_sys_end_state_pc(struct x64_dc *dc)
{
    ir_ref pc = x64_t64(dc);
    ir_ld_state(dc->f, pc, offsetof(struct x64_cpu, head.pc), IR_MO_64);
    ir_goto_ptr(dc->f, pc);
    return X64_END;
}

static int x64_sys_cr_num(unsigned reg)
{
    if (reg >= X86_REG_CR0 && reg <= X86_REG_CR15)
        return (int)(reg - X86_REG_CR0);
    return -1;
}

static int x64_sys_seg_num(unsigned reg)
{
    switch (reg) {
    case X86_REG_ES: return X64_ES;
    case X86_REG_CS: return X64_CS;
    case X86_REG_SS: return X64_SS;
    case X86_REG_DS: return X64_DS;
    case X86_REG_FS: return X64_FS;
    case X86_REG_GS: return X64_GS;
    default: return -1;
    }
}

static uint32_t x64_sys_cr_off(unsigned n)
{
    switch (n) {
    case 0: return offsetof(struct x64_cpu, cr0);
    case 2: return offsetof(struct x64_cpu, cr2);
    case 3: return offsetof(struct x64_cpu, cr3);
    case 4: return offsetof(struct x64_cpu, cr4);
    default: return offsetof(struct x64_cpu, cr8);
    }
}

#define SEG_SEL_OFF(i) (offsetof(struct x64_cpu, seg) + (i) * sizeof(struct x64_segcache) + \
                        offsetof(struct x64_segcache, sel))

/* ---- MOV with control and segment registers -------------------------------------- */

static enum x64_status x64_sys_mov(struct x64_dc *dc)
{
    if (dc->x->op_count != 2)
        return X64_NEXT;
    const cs_x86_op *d = &dc->x->operands[0], *s = &dc->x->operands[1];
    int crd = d->type == X86_OP_REG ? x64_sys_cr_num(d->reg) : -1;
    int crs = s->type == X86_OP_REG ? x64_sys_cr_num(s->reg) : -1;
    int sgd = d->type == X86_OP_REG ? x64_sys_seg_num(d->reg) : -1;
    int sgs = s->type == X86_OP_REG ? x64_sys_seg_num(s->reg) : -1;
    if (crd >= 0 || crs >= 0) {
        int n = crd >= 0 ? crd : crs;
        if (n != 0 && n != 2 && n != 3 && n != 4 && n != 8)
            return X64_UNDEF;
        if (x64_sys_cpl(dc))
            return x64_sys_gp0(dc);
        if (crs >= 0) {
            ir_ref v = x64_t64(dc);
            ir_ld_state(dc->f, v, x64_sys_cr_off((unsigned)n), IR_MO_64);
            x64_set_reg(dc, d->reg, v);
            return X64_OK;
        }
        ir_ref v = x64_get_reg(dc, s->reg);
        x64_sys_call_checked(dc, &h_write_cr, (ir_ref[]){x64_c64(dc, (uint64_t)n), v});
        return x64_sys_end_next(dc);
    }
    if (sgd >= 0) {
        if (sgd == X64_CS)
            return X64_UNDEF;
        ir_ref v = x64_read(dc, s, NULL);
        ir_ref sel = x64_trunc_size(dc, v, 2);
        x64_sys_call_checked(dc, &h_load_seg, (ir_ref[]){x64_c64(dc, (uint64_t)sgd), sel});
        /* SS: the next instruction runs with interrupts inhibited; and the
         * stack size may have changed: end the block either way */
        return sgd == X64_SS ? x64_sys_end_next(dc) : X64_OK;
    }
    if (sgs >= 0) {
        ir_ref v = x64_t64(dc);
        ir_ld_state(dc->f, v, (uint32_t)SEG_SEL_OFF(sgs), IR_MO_16);
        x64_write(dc, d, IR_NONE, v);
        return X64_OK;
    }
    return X64_NEXT;
}

/* ---- descriptor tables ---------------------------------------------------------- */

static enum x64_status x64_sys_dtable(struct x64_dc *dc, bool idt, bool load)
{
    const cs_x86_op *op = &dc->x->operands[0];
    if (op->type != X86_OP_MEM)
        return X64_UNDEF;
    uint32_t base_off = idt ? offsetof(struct x64_cpu, idt_base) : offsetof(struct x64_cpu, gdt_base);
    uint32_t limit_off =
        idt ? offsetof(struct x64_cpu, idt_limit) : offsetof(struct x64_cpu, gdt_limit);
    unsigned bsize = x64_sys_mode64(dc) ? 8 : 4;
    ir_ref a = x64_addr(dc, op), a2 = x64_t64(dc);
    ir_emit_1_2(dc->f, IR_OP_add, a2, a, x64_c64(dc, 2));
    if (load) {
        if (x64_sys_cpl(dc))
            return x64_sys_gp0(dc);
        ir_ref lim = x64_ld(dc, a, 2), base = x64_ld(dc, a2, bsize);
        ir_st_state(dc->f, lim, limit_off, IR_MO_32);
        ir_st_state(dc->f, base, base_off, IR_MO_64);
        return X64_OK;
    }
    ir_ref lim = x64_t64(dc), base = x64_t64(dc);
    ir_ld_state(dc->f, lim, limit_off, IR_MO_32);
    ir_ld_state(dc->f, base, base_off, IR_MO_64);
    x64_st(dc, a, 2, lim);
    x64_st(dc, a2, bsize, base);
    return X64_OK;
}

/* LTR / LLDT r/m16; STR / SLDT r/m */
static enum x64_status x64_sys_tr_ldt(struct x64_dc *dc, bool tr, bool load)
{
    const cs_x86_op *op = &dc->x->operands[0];
    if (!load) {
        ir_ref v = x64_t64(dc);
        ir_ld_state(dc->f, v, (uint32_t)SEG_SEL_OFF(tr ? X64_TR : X64_LDTR), IR_MO_16);
        x64_write(dc, op, IR_NONE, v);
        return X64_OK;
    }
    if (x64_sys_cpl(dc))
        return x64_sys_gp0(dc);
    ir_ref sel = x64_trunc_size(dc, x64_read(dc, op, NULL), 2);
    x64_sys_call_checked(dc, tr ? &h_ltr : &h_lldt, (ir_ref[]){sel});
    return X64_OK;
}

/* ---- far transfers -------------------------------------------------------------- */

/* Operand size of a far transfer: REX.W 8, 0x66 2, else 4. */
static unsigned x64_sys_far_size(const struct x64_dc *dc)
{
    if (x64_sys_mode64(dc) && (dc->x->rex & 8))
        return 8;
    bool o16 = dc->x->prefix[2] == X86_PREFIX_OPSIZE;
    bool d32 = x64_sys_mode64(dc) || (dc->flags & X64_HF_CS32);
    return o16 == d32 ? 2 : 4;
}

static enum x64_status x64_sys_far_jmp_call(struct x64_dc *dc, bool call)
{
    const cs_x86_op *o = dc->x->operands;
    unsigned size = x64_sys_far_size(dc);
    ir_ref sel, off;
    if (dc->x->op_count == 2 && o[0].type == X86_OP_IMM && o[1].type == X86_OP_IMM) {
        sel = x64_c64(dc, (uint64_t)o[0].imm & 0xffff);
        off = x64_c64(dc, (uint64_t)o[1].imm & x64_mask(size));
    } else if (dc->x->op_count == 1 && o[0].type == X86_OP_MEM) {
        ir_ref a = x64_addr(dc, &o[0]), a2 = x64_t64(dc);
        off = x64_ld(dc, a, size);
        ir_emit_1_2(dc->f, IR_OP_add, a2, a, x64_c64(dc, size));
        sel = x64_ld(dc, a2, 2);
    } else {
        return X64_UNDEF;
    }
    if (size == 2)
        return X64_UNIMP; /* 16-bit far transfers */
    if (call)
        x64_sys_call_checked(dc, &h_lcall,
                             (ir_ref[]){sel, off, x64_c64(dc, size), x64_c64(dc, dc->next_pc)});
    else
        x64_sys_call_checked(dc, &h_ljmp, (ir_ref[]){sel, off});
    return x64_sys_end_state_pc(dc);
}

static enum x64_status x64_sys_lret(struct x64_dc *dc, unsigned size)
{
    if (size == 2)
        return X64_UNIMP;
    uint64_t imm = dc->x->op_count == 1 && dc->x->operands[0].type == X86_OP_IMM
                       ? (uint64_t)dc->x->operands[0].imm & 0xffff
                       : 0;
    x64_sys_call_checked(dc, &h_lret, (ir_ref[]){x64_c64(dc, size), x64_c64(dc, imm)});
    return x64_sys_end_state_pc(dc);
}

static enum x64_status x64_sys_iret(struct x64_dc *dc, unsigned size)
{
    if (size == 2)
        return X64_UNIMP;
    x64_sys_call_checked(dc, &h_iret, (ir_ref[]){x64_c64(dc, size)});
    return x64_sys_end_state_pc(dc);
}

/* ---- port I/O ----------------------------------------------------------------- */

static enum x64_status x64_sys_inout(struct x64_dc *dc, bool in)
{
    const cs_x86_op *data = &dc->x->operands[in ? 0 : 1], *port = &dc->x->operands[in ? 1 : 0];
    unsigned size = data->size;
    if (data->type != X86_OP_REG || (size != 1 && size != 2 && size != 4))
        return X64_UNDEF;
    ir_ref p = port->type == X86_OP_IMM ? x64_c64(dc, (uint64_t)port->imm & 0xff)
                                        : x64_get_gpr(dc, X64_RDX, 2);
    ir_ref sz = x64_c64(dc, size);
    if (x64_sys_cpl(dc))
        x64_sys_call_checked(dc, &h_io_check, (ir_ref[]){p, sz});
    if (in) {
        ir_ref v = x64_t64(dc);
        x64_sys_call(dc, &h_in, v, (ir_ref[]){p, sz});
        x64_set_reg(dc, data->reg, v);
        return X64_OK;
    }
    x64_sys_call(dc, &h_out, IR_NONE, (ir_ref[]){p, sz, x64_get_reg(dc, data->reg)});
    /* a device may have stopped the machine: the next block entry sees it */
    x64_goto(dc, dc->next_pc);
    return X64_END;
}

static enum x64_status x64_sys_string_io(struct x64_dc *dc, unsigned size, bool out)
{
    uint64_t mode = (dc->x->prefix[0] == X86_PREFIX_REP ? 1u : 0u) |
                    (dc->x->addr_size == 4 ? 2u : 0u) | (out ? 4u : 0u);
    if (dc->x->addr_size == 2)
        return X64_UNIMP;
    x64_sys_call_checked(dc, &h_string_io, (ir_ref[]){x64_c64(dc, size), x64_c64(dc, mode)});
    x64_goto(dc, dc->next_pc);
    return X64_END;
}

/* ---- the rest -------------------------------------------------------------------- */

static enum x64_status x64_sys_swapgs(struct x64_dc *dc)
{
    if (!x64_sys_mode64(dc))
        return X64_UNDEF;
    if (x64_sys_cpl(dc))
        return x64_sys_gp0(dc);
    ir_ref gs = ir_global(dc->f, IR_I64, offsetof(struct x64_cpu, gs_base), "gs_base");
    ir_ref old = x64_t64(dc), k = x64_t64(dc);
    ir_mov(dc->f, old, gs);
    ir_ld_state(dc->f, k, offsetof(struct x64_cpu, kernel_gs_base), IR_MO_64);
    ir_mov(dc->f, gs, k);
    ir_st_state(dc->f, old, offsetof(struct x64_cpu, kernel_gs_base), IR_MO_64);
    return X64_OK;
}

static enum x64_status x64_sys_popf(struct x64_dc *dc, unsigned size)
{
    ir_ref sp = x64_greg(dc, X64_RSP);
    ir_ref v = x64_ld(dc, sp, size);
    ir_emit_1_2(dc->f, IR_OP_add, sp, sp, x64_c64(dc, size));
    x64_sys_call(dc, &h_popf, IR_NONE, (ir_ref[]){v, x64_c64(dc, size)});
    return x64_sys_end_next(dc); /* IF may have changed */
}

static enum x64_status x64_sys_int(struct x64_dc *dc, unsigned vector)
{
    x64_sys_raise(dc, vector, 0, true);
    return X64_END;
}

enum x64_status x64_tr_system(struct x64_dc *dc)
{
    unsigned cpl = x64_sys_cpl(dc);
    switch (dc->ci->id) {
    case X86_INS_MOV: return x64_sys_mov(dc);
    case X86_INS_LGDT: return x64_sys_dtable(dc, false, true);
    case X86_INS_LIDT: return x64_sys_dtable(dc, true, true);
    case X86_INS_SGDT: return x64_sys_dtable(dc, false, false);
    case X86_INS_SIDT: return x64_sys_dtable(dc, true, false);
    case X86_INS_LTR: return x64_sys_tr_ldt(dc, true, true);
    case X86_INS_LLDT: return x64_sys_tr_ldt(dc, false, true);
    case X86_INS_STR: return x64_sys_tr_ldt(dc, true, false);
    case X86_INS_SLDT: return x64_sys_tr_ldt(dc, false, false);
    case X86_INS_LJMP: return x64_sys_far_jmp_call(dc, false);
    case X86_INS_LCALL: return x64_sys_far_jmp_call(dc, true);
    case X86_INS_RETF: return x64_sys_lret(dc, x64_sys_far_size(dc));
    case X86_INS_RETFQ: return x64_sys_lret(dc, 8);
    case X86_INS_IRET: return x64_sys_iret(dc, 2);
    case X86_INS_IRETD: return x64_sys_iret(dc, 4);
    case X86_INS_IRETQ: return x64_sys_iret(dc, 8);
    case X86_INS_IN: return x64_sys_inout(dc, true);
    case X86_INS_OUT: return x64_sys_inout(dc, false);
    case X86_INS_INSB: return x64_sys_string_io(dc, 1, false);
    case X86_INS_INSW: return x64_sys_string_io(dc, 2, false);
    case X86_INS_INSD: return x64_sys_string_io(dc, 4, false);
    case X86_INS_OUTSB: return x64_sys_string_io(dc, 1, true);
    case X86_INS_OUTSW: return x64_sys_string_io(dc, 2, true);
    case X86_INS_OUTSD: return x64_sys_string_io(dc, 4, true);
    case X86_INS_HLT:
        if (cpl)
            return x64_sys_gp0(dc);
        x64_exit(dc, IR_EXIT_halt, dc->next_pc);
        return X64_END;
    case X86_INS_CLI:
    case X86_INS_STI:
        x64_sys_call_checked(dc, &h_setif, (ir_ref[]){x64_c64(dc, dc->ci->id == X86_INS_STI)});
        return X64_OK;
    case X86_INS_RDMSR:
        if (cpl)
            return x64_sys_gp0(dc);
        x64_sys_call_checked(dc, &h_rdmsr, NULL);
        return X64_OK;
    case X86_INS_WRMSR:
        if (cpl)
            return x64_sys_gp0(dc);
        x64_sys_call_checked(dc, &h_wrmsr, NULL);
        return x64_sys_end_next(dc);
    case X86_INS_SWAPGS: return x64_sys_swapgs(dc);
    case X86_INS_INVLPG:
        if (cpl)
            return x64_sys_gp0(dc);
        if (dc->x->operands[0].type != X86_OP_MEM)
            return X64_UNDEF;
        x64_sys_call(dc, &h_invlpg, IR_NONE, (ir_ref[]){x64_addr(dc, &dc->x->operands[0])});
        return X64_OK;
    case X86_INS_WBINVD:
    case X86_INS_INVD:
        return cpl ? x64_sys_gp0(dc) : X64_OK;
    case X86_INS_CLTS: {
        if (cpl)
            return x64_sys_gp0(dc);
        ir_ref v = x64_t64(dc);
        ir_ld_state(dc->f, v, offsetof(struct x64_cpu, cr0), IR_MO_64);
        ir_emit_1_2(dc->f, IR_OP_and, v, v, x64_c64(dc, ~8ull));
        ir_st_state(dc->f, v, offsetof(struct x64_cpu, cr0), IR_MO_64);
        return X64_OK;
    }
    case X86_INS_CPUID: x64_sys_call(dc, &h_cpuid, IR_NONE, NULL); return X64_OK;
    case X86_INS_UD2: x64_sys_raise(dc, X64_EXC_UD, 0, false); return X64_END;
    case X86_INS_INT3: return x64_sys_int(dc, X64_EXC_BP);
    case X86_INS_INT1: return x64_sys_int(dc, X64_EXC_DB);
    case X86_INS_INT: return x64_sys_int(dc, (unsigned)dc->x->operands[0].imm & 0xff);
    case X86_INS_INTO: {
        if (x64_sys_mode64(dc))
            return X64_UNDEF;
        uint32_t l = ir_new_label(dc->f);
        ir_brcond(dc->f, IR_COND_eq, x64_get_flag(dc, X64_OF), x64_c32(dc, 0), l);
        x64_sys_raise(dc, X64_EXC_OF, 0, true);
        ir_set_label(dc->f, l);
        return X64_OK;
    }
    case X86_INS_POPFQ: return x64_sys_popf(dc, 8);
    case X86_INS_POPFD: return x64_sys_popf(dc, 4);
    case X86_INS_SYSCALL:
        x64_sys_call_checked(dc, &h_syscall, (ir_ref[]){x64_c64(dc, dc->next_pc)});
        return x64_sys_end_state_pc(dc);
    case X86_INS_SYSRET:
        x64_sys_call_checked(dc, &h_sysret,
                             (ir_ref[]){x64_c64(dc, (dc->x->rex & 8) ? 8 : 4)});
        return x64_sys_end_state_pc(dc);
    default: return x64_tr_x87(dc);
    }
}
