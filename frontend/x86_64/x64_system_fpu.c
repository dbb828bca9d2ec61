/* The x87 instructions system-mode code and the pc test guests execute:
 * FNINIT (the whole x87 state), FLD1/FLDZ, FILD, FADD/FADDP, FIST/FISTP,
 * FNSTSW.  FWAIT, FNSTCW/FLDCW, LDMXCSR/STMXCSR and FXSAVE/FXRSTOR are the
 * SSE translator's (x64_sse_move.c).  The x87 registers are doubles (not
 * 80-bit); stack overflow and underflow are not detected. */
#include <math.h>
#include <string.h>

#include "frontend/x86_64/x64.h"

static double *x64_fpu_st(struct x64_cpu *cpu, unsigned i) { return &cpu->fpr[(cpu->fpu_top + i) & 7]; }

static void x64_fpu_push(struct x64_cpu *cpu, double v)
{
    cpu->fpu_top = (cpu->fpu_top - 1) & 7;
    cpu->fpr[cpu->fpu_top] = v;
    cpu->fpu_tags |= 1u << cpu->fpu_top;
}

static void x64_fpu_pop(struct x64_cpu *cpu)
{
    cpu->fpu_tags &= ~(1u << cpu->fpu_top);
    cpu->fpu_top = (cpu->fpu_top + 1) & 7;
}

static void x64_fpu_helper_init(struct x64_cpu *cpu)
{
    cpu->fpu_cw = 0x37f;
    cpu->fpu_sw = 0;
    cpu->fpu_tags = 0;
    cpu->fpu_top = 0;
}

/* which: 0 = +0.0, 1 = +1.0 */
static void x64_fpu_helper_ldc(struct x64_cpu *cpu, uint64_t which)
{
    x64_fpu_push(cpu, which ? 1.0 : 0.0);
}

/* FILD: v is the integer, sign-extended by the translator. */
static void x64_fpu_helper_ild(struct x64_cpu *cpu, uint64_t v) { x64_fpu_push(cpu, (double)(int64_t)v); }

/* FADD: mode 0: ST0 += ST(i); 1: ST(i) += ST0; 2: ST(i) += ST0 and pop;
 * 3: ST0 += m32 (bits in v); 4: ST0 += m64. */
static void x64_fpu_helper_add(struct x64_cpu *cpu, uint64_t mode, uint64_t i, uint64_t v)
{
    switch (mode) {
    case 0: *x64_fpu_st(cpu, 0) += *x64_fpu_st(cpu, (unsigned)i); break;
    case 1:
    case 2:
        *x64_fpu_st(cpu, (unsigned)i) += *x64_fpu_st(cpu, 0);
        if (mode == 2)
            x64_fpu_pop(cpu);
        break;
    case 3: {
        float fl;
        uint32_t b = (uint32_t)v;
        memcpy(&fl, &b, 4);
        *x64_fpu_st(cpu, 0) += fl;
        break;
    }
    default: {
        double d;
        memcpy(&d, &v, 8);
        *x64_fpu_st(cpu, 0) += d;
        break;
    }
    }
}

/* FIST/FISTP of `size` bytes: ST0 rounded as FCW.RC says; out of range gives
 * the integer indefinite.  pop: FISTP. */
static uint64_t x64_fpu_helper_ist(struct x64_cpu *cpu, uint64_t size, uint64_t pop)
{
    double v = *x64_fpu_st(cpu, 0), r;
    switch ((cpu->fpu_cw >> 10) & 3) {
    case 0: r = nearbyint(v); break; /* the host rounds to nearest even by default */
    case 1: r = floor(v); break;
    case 2: r = ceil(v); break;
    default: r = trunc(v); break;
    }
    double lim = ldexp(1.0, (int)(8 * size - 1));
    uint64_t out;
    if (!(r >= -lim && r < lim))
        out = 1ull << (8 * size - 1);
    else
        out = (uint64_t)(int64_t)r;
    if (pop)
        x64_fpu_pop(cpu);
    return out & x64_mask((unsigned)size);
}

static uint64_t x64_fpu_helper_sw(struct x64_cpu *cpu)
{
    return (cpu->fpu_sw & ~0x3800u) | (cpu->fpu_top & 7) << 11;
}

#define FPU_HF (IR_HF_ENV | IR_HF_SIDE)
static const struct ir_helper h_fninit = {
    .name = "x64_fpu_init", .fn = (void *)x64_fpu_helper_init, .ret = IR_VOID, .flags = FPU_HF};
static const struct ir_helper h_fldc = {.name = "x64_fpu_ldc", .fn = (void *)x64_fpu_helper_ldc,
                                        .ret = IR_VOID, .nargs = 1, .args = {IR_I64},
                                        .flags = FPU_HF};
static const struct ir_helper h_fild = {.name = "x64_fpu_ild", .fn = (void *)x64_fpu_helper_ild,
                                        .ret = IR_VOID, .nargs = 1, .args = {IR_I64},
                                        .flags = FPU_HF};
static const struct ir_helper h_fadd = {.name = "x64_fpu_add", .fn = (void *)x64_fpu_helper_add,
                                        .ret = IR_VOID, .nargs = 3,
                                        .args = {IR_I64, IR_I64, IR_I64}, .flags = FPU_HF};
static const struct ir_helper h_fist = {.name = "x64_fpu_ist", .fn = (void *)x64_fpu_helper_ist,
                                        .ret = IR_I64, .nargs = 2, .args = {IR_I64, IR_I64},
                                        .flags = FPU_HF};
static const struct ir_helper h_fsw = {.name = "x64_fpu_sw", .fn = (void *)x64_fpu_helper_sw,
                                       .ret = IR_I64, .flags = FPU_HF};

int x64_sys_fpu_register_helpers(void)
{
    const struct ir_helper *const hs[] = {&h_fninit, &h_fldc, &h_fild, &h_fadd, &h_fist, &h_fsw};
    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++)
        if (ir_helper_register(hs[i]) < 0)
            return -1;
    return 0;
}

static void x64_fpu_call(struct x64_dc *dc, const struct ir_helper *h, ir_ref d, const ir_ref *args)
{
    int id = x64_helper(dc, h);
    if (id >= 0)
        ir_call(dc->f, id, d, args);
}

/* The ST(i) operand of a register form (the one that is not ST0; 1 if none). */
static unsigned x64_fpu_sti(const struct x64_dc *dc)
{
    for (unsigned k = 0; k < dc->x->op_count; k++) {
        const cs_x86_op *op = &dc->x->operands[k];
        if (op->type == X86_OP_REG && op->reg > X86_REG_ST0 && op->reg <= X86_REG_ST7)
            return (unsigned)(op->reg - X86_REG_ST0);
    }
    return dc->x->modrm >= 0xc0 ? dc->x->modrm & 7 : 1;
}

static const cs_x86_op *x64_fpu_mem(const struct x64_dc *dc)
{
    for (unsigned k = 0; k < dc->x->op_count; k++)
        if (dc->x->operands[k].type == X86_OP_MEM)
            return &dc->x->operands[k];
    return NULL;
}

enum x64_status x64_tr_x87(struct x64_dc *dc)
{
    const cs_x86_op *m = x64_fpu_mem(dc);
    switch (dc->ci->id) {
    case X86_INS_FNINIT: x64_fpu_call(dc, &h_fninit, IR_NONE, NULL); return X64_OK;
    case X86_INS_FLD1:
    case X86_INS_FLDZ:
        x64_fpu_call(dc, &h_fldc, IR_NONE, (ir_ref[]){x64_c64(dc, dc->ci->id == X86_INS_FLD1)});
        return X64_OK;
    case X86_INS_FILD: {
        if (!m)
            return X64_UNDEF;
        ir_ref v = x64_sext(dc, x64_read(dc, m, NULL), m->size);
        x64_fpu_call(dc, &h_fild, IR_NONE, (ir_ref[]){v});
        return X64_OK;
    }
    case X86_INS_FADD:
    case X86_INS_FADDP: {
        uint64_t mode, i = 0;
        ir_ref v = x64_c64(dc, 0);
        if (m) {
            if (m->size != 4 && m->size != 8)
                return X64_UNIMP;
            mode = m->size == 4 ? 3 : 4;
            v = x64_read(dc, m, NULL);
        } else {
            i = x64_fpu_sti(dc);
            mode = dc->ci->id == X86_INS_FADDP ? 2 : dc->x->opcode[0] == 0xdc ? 1 : 0;
        }
        x64_fpu_call(dc, &h_fadd, IR_NONE, (ir_ref[]){x64_c64(dc, mode), x64_c64(dc, i), v});
        return X64_OK;
    }
    case X86_INS_FIST:
    case X86_INS_FISTP: {
        if (!m || (m->size != 2 && m->size != 4 && m->size != 8))
            return X64_UNDEF;
        ir_ref v = x64_t64(dc);
        x64_fpu_call(dc, &h_fist, v,
                     (ir_ref[]){x64_c64(dc, m->size), x64_c64(dc, dc->ci->id == X86_INS_FISTP)});
        x64_write(dc, m, IR_NONE, v);
        return X64_OK;
    }
    case X86_INS_FNSTSW: {
        ir_ref v = x64_t64(dc);
        x64_fpu_call(dc, &h_fsw, v, NULL);
        if (m)
            x64_write(dc, m, IR_NONE, v);
        else
            x64_set_gpr(dc, X64_RAX, 2, v);
        return X64_OK;
    }
    default: return X64_NEXT;
    }
}
