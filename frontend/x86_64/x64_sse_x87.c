/* User mode's x87 subset: what glibc's printf needs for long double (80-bit
 * loads and stores, FLD/FSTP/FXCH between registers, FABS, FCHS, FXAM,
 * F(U)COMI[P]) and double/float loads and stores.  Registers hold raw 80-bit
 * values (cpu->x87_reg), TOP and the in-use bits are fpu_top/fpu_tags;
 * comparisons and conversions use the host's long double (the same x87
 * format).  No arithmetic, no stack-fault detection.  System mode has its
 * own subset (x64_system_fpu.c), tried first. */
#include <string.h>

#include "frontend/x86_64/x64_sse.h"

#if defined(__x86_64__)

static uint8_t *x64_x87_st(struct x64_cpu *cpu, unsigned i)
{
    return cpu->x87_reg[(cpu->fpu_top + i) & 7];
}

static void x64_x87_push_raw(struct x64_cpu *cpu, const uint8_t v[10])
{
    cpu->fpu_top = (cpu->fpu_top - 1) & 7;
    memcpy(cpu->x87_reg[cpu->fpu_top], v, 10);
    cpu->fpu_tags |= 1u << cpu->fpu_top;
}

static void x64_x87_pop(struct x64_cpu *cpu)
{
    cpu->fpu_tags &= ~(1u << cpu->fpu_top);
    cpu->fpu_top = (cpu->fpu_top + 1) & 7;
}

static long double x64_x87_get(struct x64_cpu *cpu, unsigned i)
{
    long double v = 0;
    memcpy(&v, x64_x87_st(cpu, i), 10);
    return v;
}

/* FLD m80 (lo = bytes 0-7, hi = bytes 8-9), m64 (size 8), m32 (size 4) */
static void x64_helper_x87_load(struct x64_cpu *cpu, uint64_t lo, uint64_t hi, uint32_t size)
{
    uint8_t v[16] = {0};
    if (size == 10) {
        memcpy(v, &lo, 8);
        memcpy(v + 8, &hi, 2);
    } else {
        long double x;
        if (size == 8) {
            double d;
            memcpy(&d, &lo, 8);
            x = d;
        } else {
            float f;
            uint32_t b = (uint32_t)lo;
            memcpy(&f, &b, 4);
            x = f;
        }
        memcpy(v, &x, 10);
    }
    x64_x87_push_raw(cpu, v);
}

/* FST/FSTP m80/m64/m32: ST(0) into xmm_tmp (raw 10 bytes or converted) */
static void x64_helper_x87_store(struct x64_cpu *cpu, uint32_t size, uint32_t pop)
{
    memset(&cpu->xmm_tmp, 0, sizeof cpu->xmm_tmp);
    if (size == 10) {
        memcpy(cpu->xmm_tmp.b, x64_x87_st(cpu, 0), 10);
    } else if (size == 8) {
        double d = (double)x64_x87_get(cpu, 0);
        memcpy(cpu->xmm_tmp.b, &d, 8);
    } else {
        float f = (float)x64_x87_get(cpu, 0);
        memcpy(cpu->xmm_tmp.b, &f, 4);
    }
    if (pop)
        x64_x87_pop(cpu);
}

/* op 0: FLD ST(i); 1: FST ST(i); 2: FSTP ST(i); 3: FXCH ST(i); 4: FABS;
 * 5: FCHS; 6: FXAM */
static void x64_helper_x87_reg(struct x64_cpu *cpu, uint32_t op, uint32_t i)
{
    uint8_t t[16];
    switch (op) {
    case 0:
        memcpy(t, x64_x87_st(cpu, i), 10);
        x64_x87_push_raw(cpu, t);
        break;
    case 1:
    case 2:
        memcpy(x64_x87_st(cpu, i), x64_x87_st(cpu, 0), 10);
        cpu->fpu_tags |= 1u << ((cpu->fpu_top + i) & 7);
        if (op == 2)
            x64_x87_pop(cpu);
        break;
    case 3:
        memcpy(t, x64_x87_st(cpu, 0), 10);
        memcpy(x64_x87_st(cpu, 0), x64_x87_st(cpu, i), 10);
        memcpy(x64_x87_st(cpu, i), t, 10);
        break;
    case 4: x64_x87_st(cpu, 0)[9] &= 0x7f; break;
    case 5: x64_x87_st(cpu, 0)[9] ^= 0x80; break;
    default: { /* FXAM: C3 C2 C0 = class, C1 = sign */
        const uint8_t *v = x64_x87_st(cpu, 0);
        unsigned exp = (v[8] | (unsigned)v[9] << 8) & 0x7fff;
        uint64_t mant;
        memcpy(&mant, v, 8);
        unsigned c; /* C3 C2 C0 as bits 2 1 0 */
        if (!(cpu->fpu_tags & (1u << cpu->fpu_top)))
            c = 5; /* empty: C3 C0 */
        else if (exp == 0x7fff && (mant >> 63))
            c = (mant << 1) ? 1 : 3; /* NaN: C0; infinity: C2 C0 */
        else if (exp == 0x7fff)
            c = 0; /* pseudo-NaN / pseudo-infinity: unsupported */
        else if (exp == 0)
            c = mant ? 6 : 4; /* denormal: C3 C2; zero: C3 */
        else
            c = (mant >> 63) ? 2 : 0; /* normal: C2; unnormal: unsupported (0) */
        unsigned sw = cpu->fpu_sw & ~0x4700u;
        sw |= (c & 1) << 8 | ((c >> 1) & 1) << 10 | ((c >> 2) & 1) << 14;
        sw |= (unsigned)(v[9] >> 7) << 9;
        cpu->fpu_sw = (uint16_t)sw;
        break;
    }
    }
}

/* F(U)COMI[P] ST(0), ST(i): ZF | PF << 1 | CF << 2 */
static uint32_t x64_helper_x87_comi(struct x64_cpu *cpu, uint32_t i, uint32_t pop)
{
    long double a = x64_x87_get(cpu, 0), b = x64_x87_get(cpu, i);
    uint32_t r;
    if (__builtin_isunordered(a, b))
        r = 7;
    else if (a < b)
        r = 4;
    else if (a == b)
        r = 1;
    else
        r = 0;
    if (pop)
        x64_x87_pop(cpu);
    return r;
}

static const struct ir_helper x64_x87_load_helper = {
    .name = "x64_x87_load", .fn = (void *)x64_helper_x87_load, .ret = IR_VOID, .nargs = 3,
    .args = {IR_I64, IR_I64, IR_I32}, .flags = IR_HF_ENV | IR_HF_SIDE};
static const struct ir_helper x64_x87_store_helper = {
    .name = "x64_x87_store", .fn = (void *)x64_helper_x87_store, .ret = IR_VOID, .nargs = 2,
    .args = {IR_I32, IR_I32}, .flags = IR_HF_ENV | IR_HF_SIDE};
static const struct ir_helper x64_x87_reg_helper = {
    .name = "x64_x87_reg", .fn = (void *)x64_helper_x87_reg, .ret = IR_VOID, .nargs = 2,
    .args = {IR_I32, IR_I32}, .flags = IR_HF_ENV | IR_HF_SIDE};
static const struct ir_helper x64_x87_comi_helper = {
    .name = "x64_x87_comi", .fn = (void *)x64_helper_x87_comi, .ret = IR_I32, .nargs = 2,
    .args = {IR_I32, IR_I32}, .flags = IR_HF_ENV | IR_HF_SIDE};

int x64_sse_x87_register_helpers(void)
{
    const struct ir_helper *const hs[] = {&x64_x87_load_helper, &x64_x87_store_helper,
                                          &x64_x87_reg_helper, &x64_x87_comi_helper};
    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++)
        if (ir_helper_register(hs[i]) < 0)
            return -1;
    return 0;
}

static void x64_x87_call(struct x64_dc *dc, const struct ir_helper *h, ir_ref d, const ir_ref *args)
{
    int id = x64_helper(dc, h);
    if (id >= 0)
        ir_call(dc->f, id, d, args);
}

/* The ST(i) operand's i (the last register operand; 1 when there is none,
 * as for FXCH / FUCOMI without operands) */
static unsigned x64_x87_sti(const struct x64_dc *dc)
{
    unsigned i = 1;
    for (unsigned k = 0; k < dc->x->op_count; k++)
        if (dc->x->operands[k].type == X86_OP_REG && dc->x->operands[k].reg >= X86_REG_ST0 &&
            dc->x->operands[k].reg <= X86_REG_ST7)
            i = (unsigned)(dc->x->operands[k].reg - X86_REG_ST0);
    return i;
}

enum x64_status x64_sse_tr_x87_data(struct x64_dc *dc)
{
    struct ir_func *f = dc->f;
    if (dc->flags & X64_HF_SYSTEM)
        return X64_NEXT;
    const cs_x86_op *m = dc->x->op_count && dc->x->operands[0].type == X86_OP_MEM
                             ? &dc->x->operands[0] : NULL;
    unsigned id = dc->ci->id;
    switch (id) {
    case X86_INS_FLD:
        if (m) {
            if (m->size != 4 && m->size != 8 && m->size != 10)
                return X64_UNIMP;
            ir_ref a = x64_addr(dc, m), hi = x64_c64(dc, 0);
            ir_ref lo = x64_ld(dc, a, m->size == 4 ? 4 : 8);
            if (m->size == 10) {
                ir_ref a8 = x64_t64(dc);
                ir_emit_1_2(f, IR_OP_add, a8, a, x64_c64(dc, 8));
                hi = x64_ld(dc, a8, 2);
            }
            x64_x87_call(dc, &x64_x87_load_helper, IR_NONE,
                         (ir_ref[]){lo, hi, x64_c32(dc, m->size)});
        } else {
            x64_x87_call(dc, &x64_x87_reg_helper, IR_NONE,
                         (ir_ref[]){x64_c32(dc, 0), x64_c32(dc, x64_x87_sti(dc))});
        }
        return X64_OK;
    case X86_INS_FST:
    case X86_INS_FSTP: {
        bool pop = id == X86_INS_FSTP;
        if (!m) {
            x64_x87_call(dc, &x64_x87_reg_helper, IR_NONE,
                         (ir_ref[]){x64_c32(dc, pop ? 2 : 1), x64_c32(dc, x64_x87_sti(dc))});
            return X64_OK;
        }
        if (m->size != 4 && m->size != 8 && (m->size != 10 || !pop))
            return X64_UNIMP;
        ir_ref a = x64_addr(dc, m);
        x64_x87_call(dc, &x64_x87_store_helper, IR_NONE,
                     (ir_ref[]){x64_c32(dc, m->size), x64_c32(dc, pop)});
        ir_ref lo = x64_t64(dc);
        ir_ld_state(f, lo, X64_OFF_XMM_TMP, m->size == 4 ? IR_MO_32 : IR_MO_64);
        x64_st(dc, a, m->size == 4 ? 4 : 8, lo);
        if (m->size == 10) {
            ir_ref hi = x64_t64(dc), a8 = x64_t64(dc);
            ir_ld_state(f, hi, X64_OFF_XMM_TMP + 8, IR_MO_16);
            ir_emit_1_2(f, IR_OP_add, a8, a, x64_c64(dc, 8));
            x64_st(dc, a8, 2, hi);
        }
        return X64_OK;
    }
    case X86_INS_FXCH:
    case X86_INS_FABS:
    case X86_INS_FCHS:
    case X86_INS_FXAM: {
        unsigned op = id == X86_INS_FXCH ? 3 : id == X86_INS_FABS ? 4 : id == X86_INS_FCHS ? 5 : 6;
        x64_x87_call(dc, &x64_x87_reg_helper, IR_NONE,
                     (ir_ref[]){x64_c32(dc, op), x64_c32(dc, x64_x87_sti(dc))});
        return X64_OK;
    }
    case X86_INS_FUCOMI:
    case X86_INS_FUCOMIP:
    case X86_INS_FCOMI:
    case X86_INS_FCOMIP: {
        bool pop = id == X86_INS_FUCOMIP || id == X86_INS_FCOMIP;
        ir_ref r = x64_t32(dc);
        x64_x87_call(dc, &x64_x87_comi_helper, r,
                     (ir_ref[]){x64_c32(dc, x64_x87_sti(dc)), x64_c32(dc, pop)});
        static const enum x64_flag fl[3] = {X64_ZF, X64_PF, X64_CF};
        for (unsigned i = 0; i < 3; i++) {
            ir_ref b = x64_t32(dc);
            ir_extract(f, b, r, i, 1);
            x64_set_flag(dc, fl[i], b);
        }
        x64_set_flag_c(dc, X64_OF, 0);
        x64_set_flag_c(dc, X64_SF, 0);
        x64_set_flag_c(dc, X64_AF, 0);
        return X64_OK;
    }
    default: return X64_NEXT;
    }
}

#else

int x64_sse_x87_register_helpers(void) { return 0; }
enum x64_status x64_sse_tr_x87_data(struct x64_dc *dc)
{
    (void)dc;
    return X64_NEXT;
}

#endif
