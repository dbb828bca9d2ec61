/* A64 exclusives, acquire/release and atomics: LDXR/STXR/LDAXR/STLXR,
 * LDXP/STXP/LDAXP/STLXP with a real monitor (address + value, the store is an
 * atomic compare-and-swap), LDAR/STLR (and LDLAR/STLLR), LDAPR, and the LSE
 * atomics CAS/CASP/SWP/LDADD/LDCLR/LDEOR/LDSET/LD{S,U}{MAX,MIN} in every size
 * and ordering.  Capstone 4.0.2 does not know the LSE atomics: everything here
 * is decoded from the bits.  Misaligned accesses raise an alignment fault. */
#include "frontend/aarch64/a64.h"

/* ---- helpers: atomic accesses to guest memory ----------------------------- */

static void *a64_host(struct a64_cpu *cpu, uint64_t addr) { return cpu->head.guest_base + addr; }

/* Compare-and-swap of 1 << size bytes at p (naturally aligned).  On failure
 * *expected is the value found. */
static bool a64_cas_n(void *p, unsigned size, uint64_t *expected, uint64_t desired)
{
    bool ok;
    switch (size) {
    case 0: {
        uint8_t e = (uint8_t)*expected;
        ok = __atomic_compare_exchange_n((uint8_t *)p, &e, (uint8_t)desired, false,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        *expected = e;
        break;
    }
    case 1: {
        uint16_t e = (uint16_t)*expected;
        ok = __atomic_compare_exchange_n((uint16_t *)p, &e, (uint16_t)desired, false,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        *expected = e;
        break;
    }
    case 2: {
        uint32_t e = (uint32_t)*expected;
        ok = __atomic_compare_exchange_n((uint32_t *)p, &e, (uint32_t)desired, false,
                                         __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
        *expected = e;
        break;
    }
    default: {
        uint64_t e = *expected;
        ok = __atomic_compare_exchange_n((uint64_t *)p, &e, desired, false, __ATOMIC_SEQ_CST,
                                         __ATOMIC_SEQ_CST);
        *expected = e;
        break;
    }
    }
    return ok;
}

/* 16-byte compare-and-swap at a 16-byte aligned p; {lo, hi} = value found. */
static bool a64_cas16(void *p, uint64_t *lo, uint64_t *hi, uint64_t nlo, uint64_t nhi)
{
#if defined(__x86_64__)
    bool ok;
    __asm__ __volatile__("lock cmpxchg16b %1"
                         : "=@ccz"(ok), "+m"(*(volatile unsigned __int128 *)p), "+a"(*lo), "+d"(*hi)
                         : "b"(nlo), "c"(nhi)
                         : "memory");
    return ok;
#else
    unsigned __int128 e = ((unsigned __int128)*hi << 64) | *lo;
    unsigned __int128 d = ((unsigned __int128)nhi << 64) | nlo;
    bool ok = __atomic_compare_exchange_n((unsigned __int128 *)p, &e, d, false, __ATOMIC_SEQ_CST,
                                          __ATOMIC_SEQ_CST);
    *lo = (uint64_t)e;
    *hi = (uint64_t)(e >> 64);
    return ok;
#endif
}

static uint64_t a64_size_mask(unsigned size) { return size >= 3 ? ~0ull : (1ull << (8u << size)) - 1; }

/* STXR/STLXR Ws, Rt, [Xn]: 0 if stored, 1 if the monitor was lost. */
static uint32_t a64_helper_stxr(void *env, uint64_t addr, uint64_t val, uint32_t size)
{
    struct a64_cpu *cpu = env;
    bool match = cpu->excl_addr == addr && cpu->excl_size == size;
    cpu->excl_addr = A64_EXCL_NONE;
    if (!match)
        return 1;
    uint64_t expected = cpu->excl_val & a64_size_mask(size);
    return a64_cas_n(a64_host(cpu, addr), size, &expected, val & a64_size_mask(size)) ? 0 : 1;
}

/* STXP/STLXP Ws, Xt, Xt2, [Xn] (size 4); the W form is a 64-bit STXR. */
static uint32_t a64_helper_stxp(void *env, uint64_t addr, uint64_t lo, uint64_t hi)
{
    struct a64_cpu *cpu = env;
    bool match = cpu->excl_addr == addr && cpu->excl_size == 4;
    cpu->excl_addr = A64_EXCL_NONE;
    if (!match)
        return 1;
    uint64_t elo = cpu->excl_val, ehi = cpu->excl_val2;
    return a64_cas16(a64_host(cpu, addr), &elo, &ehi, lo, hi) ? 0 : 1;
}

/* CAS{A}{L}{B,H} Rs, Rt, [Xn]: returns the old value (zero-extended). */
static uint64_t a64_helper_cas(void *env, uint64_t addr, uint64_t expected, uint64_t desired,
                               uint32_t size)
{
    struct a64_cpu *cpu = env;
    uint64_t e = expected & a64_size_mask(size);
    a64_cas_n(a64_host(cpu, addr), size, &e, desired & a64_size_mask(size));
    return e;
}

static uint64_t a64_reg(const struct a64_cpu *cpu, unsigned n) { return n < 31 ? cpu->x[n] : 0; }
static void a64_set_reg(struct a64_cpu *cpu, unsigned n, uint64_t v)
{
    if (n < 31)
        cpu->x[n] = v;
}

/* CASP{A}{L} Rs, R(s+1), Rt, R(t+1), [Xn]: code = rs | rt << 8 | size << 16,
 * size 2 (W pairs: one 8-byte CAS) or 3 (X pairs: 16 bytes).  Writes Rs, Rs+1. */
static void a64_helper_casp(void *env, uint64_t addr, uint32_t code)
{
    struct a64_cpu *cpu = env;
    unsigned rs = code & 0xff, rt = (code >> 8) & 0xff, size = code >> 16;
    void *p = a64_host(cpu, addr);
    uint64_t s0 = a64_reg(cpu, rs), s1 = a64_reg(cpu, rs + 1);
    uint64_t t0 = a64_reg(cpu, rt), t1 = a64_reg(cpu, rt + 1);
    if (size == 2) {
        uint64_t e = (s0 & 0xffffffffu) | s1 << 32;
        a64_cas_n(p, 3, &e, (t0 & 0xffffffffu) | t1 << 32);
        a64_set_reg(cpu, rs, e & 0xffffffffu);
        a64_set_reg(cpu, rs + 1, e >> 32);
    } else {
        a64_cas16(p, &s0, &s1, t0, t1);
        a64_set_reg(cpu, rs, s0);
        a64_set_reg(cpu, rs + 1, s1);
    }
}

/* The LSE operations, by opc (bits 14:12); A64_AT_SWP is o3 = 1, opc = 000. */
enum {
    A64_AT_ADD, A64_AT_CLR, A64_AT_EOR, A64_AT_SET,
    A64_AT_SMAX, A64_AT_SMIN, A64_AT_UMAX, A64_AT_UMIN,
    A64_AT_SWP,
};

static int64_t a64_sext_size(uint64_t v, unsigned size)
{
    unsigned sh = 64 - (8u << size);
    return (int64_t)(v << sh) >> sh;
}

/* LD<op>{A}{L}{B,H} Rs, Rt, [Xn] and SWP: code = op | size << 4; returns the old value. */
static uint64_t a64_helper_atomic(void *env, uint64_t addr, uint64_t val, uint32_t code)
{
    struct a64_cpu *cpu = env;
    unsigned op = code & 15, size = code >> 4;
    uint64_t mask = a64_size_mask(size);
    void *p = a64_host(cpu, addr);
    val &= mask;
    uint64_t old = 0; /* a guess: the first compare-and-swap corrects it */
    for (;;) {
        uint64_t nv;
        switch (op) {
        case A64_AT_ADD: nv = old + val; break;
        case A64_AT_CLR: nv = old & ~val; break;
        case A64_AT_EOR: nv = old ^ val; break;
        case A64_AT_SET: nv = old | val; break;
        case A64_AT_SMAX: nv = a64_sext_size(old, size) > a64_sext_size(val, size) ? old : val; break;
        case A64_AT_SMIN: nv = a64_sext_size(old, size) < a64_sext_size(val, size) ? old : val; break;
        case A64_AT_UMAX: nv = old > val ? old : val; break;
        case A64_AT_UMIN: nv = old < val ? old : val; break;
        default: nv = val; break; /* SWP */
        }
        uint64_t seen = old;
        if (a64_cas_n(p, size, &seen, nv & mask))
            return old;
        old = seen;
    }
}

#define A64_HF_MEM (IR_HF_ENV | IR_HF_READS_GLOBALS | IR_HF_SIDE)
static const struct ir_helper a64_h_stxr = {
    "a64_stxr", (void *)a64_helper_stxr, IR_I32, 3, {IR_I64, IR_I64, IR_I32}, A64_HF_MEM};
static const struct ir_helper a64_h_stxp = {
    "a64_stxp", (void *)a64_helper_stxp, IR_I32, 3, {IR_I64, IR_I64, IR_I64}, A64_HF_MEM};
static const struct ir_helper a64_h_cas = {
    "a64_cas", (void *)a64_helper_cas, IR_I64, 4, {IR_I64, IR_I64, IR_I64, IR_I32}, A64_HF_MEM};
static const struct ir_helper a64_h_casp = {
    "a64_casp", (void *)a64_helper_casp, IR_VOID, 2, {IR_I64, IR_I32},
    A64_HF_MEM | IR_HF_WRITES_GLOBALS};
static const struct ir_helper a64_h_atomic = {
    "a64_atomic", (void *)a64_helper_atomic, IR_I64, 3, {IR_I64, IR_I64, IR_I32}, A64_HF_MEM};

int a64_atomic_register_helpers(void)
{
    const struct ir_helper *all[] = {&a64_h_stxr, &a64_h_stxp, &a64_h_cas, &a64_h_casp, &a64_h_atomic};
    for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++)
        if (ir_helper_register(all[i]) < 0)
            return -1;
    return 0;
}

/* ---- IR building blocks -------------------------------------------------- */

/* A copy of Xn|SP as the address. */
static ir_ref a64_addr(struct a64_dc *dc, unsigned rn)
{
    ir_ref a = ir_temp(dc->f, IR_I64);
    ir_mov(dc->f, a, a64_base(dc, rn));
    return a;
}

/* Alignment fault (IR_EXIT_fault, A64_FAULT_ALIGN) unless addr % bytes == 0. */
static void a64_check_align(struct a64_dc *dc, ir_ref addr, unsigned bytes)
{
    if (bytes <= 1)
        return;
    struct ir_func *f = dc->f;
    ir_ref t = ir_temp(f, IR_I64);
    uint32_t ok = ir_new_label(f);
    ir_emit_1_2(f, IR_OP_and, t, addr, ir_const(f, IR_I64, bytes - 1));
    ir_brcond(f, IR_COND_eq, t, ir_const(f, IR_I64, 0), ok);
    ir_st_state(f, ir_const(f, IR_I32, A64_FAULT_ALIGN), offsetof(struct a64_cpu, fault_kind),
                IR_MO_32);
    ir_st_state(f, addr, offsetof(struct a64_cpu, fault_addr), IR_MO_64);
    a64_exit(dc, IR_EXIT_fault, dc->pc);
    ir_set_label(f, ok);
}

static void a64_mb(struct a64_dc *dc, int64_t kind) { ir_emit(dc->f, IR_OP_mb, NULL, 0, &kind, 1); }

/* Before a store-release: earlier accesses complete first. */
static void a64_release(struct a64_dc *dc) { a64_mb(dc, IR_MB_ST); }
/* After a load-acquire: later accesses stay after it. */
static void a64_acquire(struct a64_dc *dc) { a64_mb(dc, IR_MB_LD); }

static void a64_set_monitor(struct a64_dc *dc, ir_ref addr, ir_ref v1, ir_ref v2, unsigned size)
{
    struct ir_func *f = dc->f;
    ir_st_state(f, addr, offsetof(struct a64_cpu, excl_addr), IR_MO_64);
    ir_st_state(f, v1, offsetof(struct a64_cpu, excl_val), IR_MO_64);
    if (v2)
        ir_st_state(f, v2, offsetof(struct a64_cpu, excl_val2), IR_MO_64);
    ir_st_state(f, ir_const(f, IR_I32, size), offsetof(struct a64_cpu, excl_size), IR_MO_32);
}

static ir_ref a64_call(struct a64_dc *dc, const struct ir_helper *h, enum ir_type ret,
                       const ir_ref *args)
{
    int id = a64_helper(dc, h);
    ir_ref d = ret == IR_VOID ? IR_NONE : ir_temp(dc->f, ret);
    if (id >= 0) {
        a64_sync_pc(dc);
        ir_call(dc->f, id, d, args);
    }
    return d;
}

/* ---- translators ----------------------------------------------------------- */

/* LDXR/LDAXR <Rt>, [<Xn|SP>]; LDXRB/H, LDAXRB/H;
 * STXR/STLXR <Ws>, <Rt>, [<Xn|SP>]; STXRB/H, STLXRB/H */
static enum a64_status a64_ldst_excl(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    unsigned size = a64_bits(insn, 30, 2), rs = a64_bits(insn, 16, 5);
    unsigned rt = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
    bool load = a64_bit(insn, 22), ordered = a64_bit(insn, 15);
    struct ir_func *f = dc->f;
    ir_ref addr = a64_addr(dc, rn);
    a64_check_align(dc, addr, 1u << size);
    if (load) {
        ir_ref v = ir_temp(f, IR_I64);
        ir_ld(f, v, addr, size);
        a64_set_monitor(dc, addr, v, IR_NONE, size);
        if (ordered)
            a64_acquire(dc);
        a64_dst(dc, rt, true, v);
        return A64_OK;
    }
    if (ordered)
        a64_release(dc);
    ir_ref args[3] = {addr, a64_src(dc, rt, true), ir_const(f, IR_I32, size)};
    ir_ref status = a64_call(dc, &a64_h_stxr, IR_I32, args);
    if (status)
        a64_dst(dc, rs, false, status);
    return A64_OK;
}

/* LDXP/LDAXP <Rt>, <Rt2>, [<Xn|SP>]; STXP/STLXP <Ws>, <Rt>, <Rt2>, [<Xn|SP>] */
static enum a64_status a64_ldst_excl_pair(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool x = a64_bit(insn, 30), load = a64_bit(insn, 22), ordered = a64_bit(insn, 15);
    unsigned rs = a64_bits(insn, 16, 5), rt2 = a64_bits(insn, 10, 5);
    unsigned rt = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
    struct ir_func *f = dc->f;
    ir_ref addr = a64_addr(dc, rn);
    a64_check_align(dc, addr, x ? 16 : 8);
    if (load) {
        ir_ref lo = ir_temp(f, IR_I64), hi = ir_temp(f, IR_I64);
        if (x) {
            ir_ref a2 = ir_temp(f, IR_I64);
            ir_emit_1_2(f, IR_OP_add, a2, addr, ir_const(f, IR_I64, 8));
            ir_ld(f, lo, addr, IR_MO_64);
            ir_ld(f, hi, a2, IR_MO_64);
            a64_set_monitor(dc, addr, lo, hi, 4);
        } else {
            ir_ld(f, lo, addr, IR_MO_64);
            a64_set_monitor(dc, addr, lo, IR_NONE, 3);
            ir_emit_1_2(f, IR_OP_shr, hi, lo, ir_const(f, IR_I64, 32));
            ir_extract(f, lo, lo, 0, 32);
        }
        if (ordered)
            a64_acquire(dc);
        a64_dst(dc, rt, true, lo);
        a64_dst(dc, rt2, true, hi);
        return A64_OK;
    }
    if (ordered)
        a64_release(dc);
    ir_ref status;
    if (x) {
        ir_ref args[3] = {addr, a64_src(dc, rt, true), a64_src(dc, rt2, true)};
        status = a64_call(dc, &a64_h_stxp, IR_I32, args);
    } else {
        ir_ref v = ir_temp(f, IR_I64);
        ir_deposit(f, v, a64_src(dc, rt, true), a64_src(dc, rt2, true), 32, 32);
        ir_ref args[3] = {addr, v, ir_const(f, IR_I32, 3)};
        status = a64_call(dc, &a64_h_stxr, IR_I32, args);
    }
    if (status)
        a64_dst(dc, rs, false, status);
    return A64_OK;
}

/* LDAR/LDLAR <Rt>, [<Xn|SP>] (B/H); STLR/STLLR <Rt>, [<Xn|SP>] (B/H);
 * LDAPR <Rt>, [<Xn|SP>] (B/H) comes here too (size, load, from a64_tr_atomic). */
static enum a64_status a64_ldst_ordered(struct a64_dc *dc, unsigned size, bool load, unsigned rt,
                                        unsigned rn)
{
    struct ir_func *f = dc->f;
    ir_ref addr = a64_addr(dc, rn);
    a64_check_align(dc, addr, 1u << size);
    if (load) {
        ir_ref v = ir_temp(f, IR_I64);
        ir_ld(f, v, addr, size);
        a64_acquire(dc);
        a64_dst(dc, rt, true, v);
    } else {
        a64_release(dc);
        ir_st(f, a64_src(dc, rt, true), addr, size);
        a64_mb(dc, IR_MB_FULL); /* a later LDAR must not pass this store (RCsc) */
    }
    return A64_OK;
}

/* CAS{A}{L}{B,H} <Rs>, <Rt>, [<Xn|SP>] */
static enum a64_status a64_cas(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    unsigned size = a64_bits(insn, 30, 2), rs = a64_bits(insn, 16, 5);
    unsigned rt = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
    if (a64_bits(insn, 10, 5) != 31)
        return A64_UNDEF;
    struct ir_func *f = dc->f;
    ir_ref addr = a64_addr(dc, rn);
    a64_check_align(dc, addr, 1u << size);
    ir_ref args[4] = {addr, a64_src(dc, rs, true), a64_src(dc, rt, true), ir_const(f, IR_I32, size)};
    ir_ref old = a64_call(dc, &a64_h_cas, IR_I64, args);
    if (old)
        a64_dst(dc, rs, true, old);
    return A64_OK;
}

/* CASP{A}{L} <Rs>, <R(s+1)>, <Rt>, <R(t+1)>, [<Xn|SP>] */
static enum a64_status a64_casp(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool x = a64_bit(insn, 30);
    unsigned rs = a64_bits(insn, 16, 5), rt = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
    if (a64_bits(insn, 10, 5) != 31 || (rs & 1) || (rt & 1))
        return A64_UNDEF;
    struct ir_func *f = dc->f;
    ir_ref addr = a64_addr(dc, rn);
    a64_check_align(dc, addr, x ? 16 : 8);
    ir_ref args[2] = {addr, ir_const(f, IR_I32, rs | rt << 8 | (x ? 3u : 2u) << 16)};
    a64_call(dc, &a64_h_casp, IR_VOID, args);
    return A64_OK;
}

/* Bits 29:24 = 001000: exclusives, ordered loads/stores, CAS, CASP. */
enum a64_status a64_tr_exclusive(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    bool o2 = a64_bit(insn, 23), o1 = a64_bit(insn, 21);
    if (!o2 && !o1)
        return a64_ldst_excl(dc);
    if (!o2)
        return a64_bit(insn, 31) ? a64_ldst_excl_pair(dc) : a64_casp(dc);
    if (!o1)
        return a64_ldst_ordered(dc, a64_bits(insn, 30, 2), a64_bit(insn, 22), a64_bits(insn, 0, 5),
                                a64_bits(insn, 5, 5));
    return a64_cas(dc);
}

/* LDADD/LDCLR/LDEOR/LDSET/LDSMAX/LDSMIN/LDUMAX/LDUMIN{A}{L}{B,H} <Rs>, <Rt>, [<Xn|SP>]
 * (ST<op> when Rt is XZR); SWP{A}{L}{B,H} <Rs>, <Rt>, [<Xn|SP>]; LDAPR{B,H} <Rt>, [<Xn|SP>] */
enum a64_status a64_tr_atomic(struct a64_dc *dc)
{
    uint32_t insn = dc->insn;
    unsigned size = a64_bits(insn, 30, 2), opc = a64_bits(insn, 12, 3);
    unsigned rs = a64_bits(insn, 16, 5), rt = a64_bits(insn, 0, 5), rn = a64_bits(insn, 5, 5);
    bool o3 = a64_bit(insn, 15);
    unsigned op;
    if (!o3) {
        op = opc;
    } else if (opc == 0) {
        op = A64_AT_SWP;
    } else if (opc == 4 && a64_bit(insn, 23) && !a64_bit(insn, 22) && rs == 31) {
        return a64_ldst_ordered(dc, size, true, rt, rn); /* LDAPR */
    } else {
        return A64_UNDEF;
    }
    struct ir_func *f = dc->f;
    ir_ref addr = a64_addr(dc, rn);
    a64_check_align(dc, addr, 1u << size);
    ir_ref args[3] = {addr, a64_src(dc, rs, true), ir_const(f, IR_I32, op | size << 4)};
    ir_ref old = a64_call(dc, &a64_h_atomic, IR_I64, args);
    if (old)
        a64_dst(dc, rt, true, old);
    return A64_OK;
}
