/* Check suite of the interpreter backend (backend/interp), part 1: every value
 * op against ir/sem.h, guest memory and CPU-state fields, the global copies
 * kept in step with the CPU state, precise faults, code-buffer limits, pcmap,
 * the listing and the accumulator variants.  Part 2 (helper calls, chaining,
 * the jump cache, exit requests) is test_interp_flow.c.  The backend-generic op
 * suite (tests/backend) runs on the interpreter as well. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "test_interp.h"

#include "test_interp_vectors.inc"
_Static_assert(sizeof(interp_test_vals) / sizeof(interp_test_vals[0]) == NV, "NV is the count");

const struct ferry_backend *be = &backend_interp;
struct code_buf cb;
void *st;
struct tcpu *cpu;
struct jc_entry *jc;
uint8_t *mem;

void setup(void)
{
    ck_assert_int_eq(codebuf_init(&cb, 4u << 20), 0);
    st = be->create(&cb);
    ck_assert_ptr_nonnull(st);
    cpu = calloc(1, sizeof(*cpu));
    jc = calloc(JC_SIZE, sizeof(*jc));
    mem = calloc(1, MEM_SIZE);
    ck_assert(cpu && jc && mem);
    for (unsigned i = 0; i < JC_SIZE; i++) {
        jc[i].pc = JC_EMPTY_PC;
        jc[i].flags = JC_EMPTY_FLAGS;
    }
    cpu->head.jmp_cache = jc;
    cpu->head.guest_base = mem;
}

void teardown(void)
{
    be->destroy(st);
    codebuf_fini(&cb);
    free(cpu);
    free(jc);
    free(mem);
}

/* ---- building and running blocks ---- */

ir_ref x64(struct ir_func *f, unsigned i)
{
    char name[16];
    snprintf(name, sizeof(name), "x%u", i);
    return ir_global(f, IR_I64, OFF_G(i), name);
}

ir_ref x32(struct ir_func *f, unsigned i)
{
    char name[16];
    snprintf(name, sizeof(name), "w%u", i);
    return ir_global(f, IR_I32, OFF_W(i), name);
}

ir_ref res(struct ir_func *f, enum ir_type t, unsigned k)
{
    char name[16];
    snprintf(name, sizeof(name), "r%u", k);
    return t == IR_I64 ? ir_global(f, IR_I64, OFF_R64(k), name)
                       : ir_global(f, IR_I32, OFF_R32(k), name);
}

ir_ref c64(struct ir_func *f, uint64_t v) { return ir_const(f, IR_I64, v); }

void func_init(struct ir_func *f, uint64_t pc)
{
    ir_func_init(f);
    f->pc = pc;
}

int compile(struct ir_func *f, struct tb *tb, FILE *log)
{
    ck_assert_msg(f->err == 0, "IR build error: %s", f->errmsg);
    memset(tb, 0, sizeof(*tb));
    tb->pc = f->pc;
    tb->flags = f->flags;
    return be->compile(st, &cb, f, tb, log);
}

void compile_ok(struct ir_func *f, struct tb *tb)
{
    int r = compile(f, tb, NULL);
    ck_assert_int_eq(r, BACKEND_OK);
}

unsigned run(const struct tb *tb)
{
    cpu->head.pc = tb->pc;
    return be->exec(st, &cpu->head, tb);
}

void run_block(struct ir_func *f, unsigned reason)
{
    struct tb tb;
    compile_ok(f, &tb);
    ck_assert_uint_eq(run(&tb), reason);
    free(tb.pcmap);
    ir_func_free(f);
}

/* ---- value ops against sem_eval ---- */

/* Operand kinds of a sweep: all inputs globals, temps or constants; a mix; or
 * (chain) a mix where one input is computed by the insn just before, which
 * exercises the accumulator variants. */
enum sweep_cfg { CFG_GLOBALS, CFG_TEMPS, CFG_CONSTS, CFG_MIXED, CFG_CHAIN, CFG_COUNT };
static const char *const cfg_names[CFG_COUNT] = {"globals", "temps", "consts", "mixed", "chain"};

static enum ir_type sig_type(char c, enum ir_type t)
{
    return c == 'I' ? IR_I32 : c == 'L' ? IR_I64 : t;
}

/* Input value indices of vector k. */
static void vector_inputs(unsigned k, unsigned nin, unsigned idx[4])
{
    unsigned i = nin == 1 ? k : k / NV, j = k % NV;
    idx[0] = i;
    idx[1] = j;
    idx[2] = (i + j) % NV;
    idx[3] = (i * 7 + j * 3 + 1) % NV;
}

/* Every global the sweeps use, declared once (ir_global looks globals up by
 * offset, so declaring hundreds per block would dominate the run time). */
struct sweep_proto {
    bool built;
    struct ir_func f;
    ir_ref r32[NRES], r64[NRES], g64[NV], g32[NV];
};
static struct sweep_proto proto;

static const struct sweep_proto *sweep_proto(void)
{
    if (!proto.built) {
        func_init(&proto.f, 0x1000);
        for (unsigned k = 0; k < NRES; k++) {
            proto.r32[k] = res(&proto.f, IR_I32, k);
            proto.r64[k] = res(&proto.f, IR_I64, k);
        }
        for (unsigned v = 0; v < NV; v++) {
            proto.g64[v] = x64(&proto.f, v);
            proto.g32[v] = x32(&proto.f, v);
        }
        proto.built = true;
    }
    return &proto;
}

/* Run op (type t, cargs) on every vector with inputs of the kinds `cfg` says,
 * in one block, and compare each result with sem_eval. */
static void sweep(enum ir_op op, enum ir_type t, const int64_t *carg, unsigned ncarg,
                  enum sweep_cfg cfg)
{
    const struct ir_opinfo *oi = &ir_ops[op];
    unsigned nin = (unsigned)oi->nin, nvec = nin == 1 ? NV : NV * NV;
    enum ir_type oty = sig_type(oi->sig[0], t), ity[4];
    for (unsigned a = 0; a < nin; a++)
        ity[a] = sig_type(oi->sig[2 + a], t);

    const struct sweep_proto *p = sweep_proto();
    struct ir_func f;
    ir_func_init(&f);
    ck_assert_int_eq(ir_func_copy(&f, &p->f), 0);
    const ir_ref *rref = oty == IR_I64 ? p->r64 : p->r32;
    ir_ref t64[NV], t32[NV];
    for (unsigned v = 0; v < NV; v++) {
        cpu->g[v] = interp_test_vals[v];
        cpu->w[v] = (uint32_t)interp_test_vals[v];
        if (cfg == CFG_TEMPS || cfg == CFG_MIXED || cfg == CFG_CHAIN) {
            t64[v] = ir_temp(&f, IR_I64);
            t32[v] = ir_temp(&f, IR_I32);
            ir_mov(&f, t64[v], p->g64[v]);
            ir_mov(&f, t32[v], p->g32[v]);
        }
    }
    memset(cpu->r64, 0xa5, sizeof(cpu->r64));
    memset(cpu->r32, 0xa5, sizeof(cpu->r32));
    /* descending, so an output written too wide would clobber a result already written */
    for (unsigned k = nvec; k-- > 0;) {
        unsigned idx[4];
        vector_inputs(k, nin, idx);
        ir_ref args[5];
        for (unsigned a = 0; a < nin; a++) {
            unsigned v = idx[a], kind = cfg >= CFG_MIXED ? (k + a) % 3 : cfg;
            bool wide = ity[a] == IR_I64;
            if (kind == CFG_GLOBALS)
                args[1 + a] = wide ? p->g64[v] : p->g32[v];
            else if (kind == CFG_TEMPS)
                args[1 + a] = wide ? t64[v] : t32[v];
            else
                args[1 + a] = ir_const(&f, ity[a], interp_test_vals[v]);
        }
        if (cfg == CFG_CHAIN) { /* input 0 or 1 comes from the insn just before */
            unsigned a = nin > 1 ? k % 2 : 0;
            ir_ref chained = ir_temp(&f, ity[a]);
            ir_mov(&f, chained, args[1 + a]);
            args[1 + a] = chained;
        }
        bool out_temp = cfg == CFG_TEMPS || (cfg >= CFG_MIXED && k % 4 >= 2);
        args[0] = out_temp ? ir_temp(&f, oty) : rref[k];
        ir_emit(&f, op, args, 1 + nin, carg, ncarg);
        if (out_temp)
            ir_mov(&f, rref[k], args[0]);
    }
    ir_exit(&f, IR_EXIT_halt, c64(&f, 0x2000));
    run_block(&f, IR_EXIT_halt);
    ck_assert_uint_eq(cpu->head.pc, 0x2000);

    for (unsigned k = 0; k < nvec; k++) {
        unsigned idx[4];
        vector_inputs(k, nin, idx);
        uint64_t in[4] = {0, 0, 0, 0}, want = 0;
        for (unsigned a = 0; a < nin; a++)
            in[a] = interp_test_vals[idx[a]] & ir_type_mask(ity[a]);
        bool value_op = sem_eval(op, t, in, carg, &want);
        uint64_t got = oty == IR_I64 ? cpu->r64[k] : cpu->r32[k];
        if (!value_op || got != want) /* (ck_assert per vector would be slow) */
            ck_abort_msg("%s.%s (%s, cargs %lld %lld): in 0x%llx 0x%llx 0x%llx 0x%llx -> 0x%llx, "
                         "expected 0x%llx",
                         oi->name, ir_type_names[t], cfg_names[cfg], (long long)carg[0],
                         (long long)carg[1], (unsigned long long)in[0], (unsigned long long)in[1],
                         (unsigned long long)in[2], (unsigned long long)in[3],
                         (unsigned long long)got, (unsigned long long)want);
    }
}

/* sweep() in every operand configuration and both types. */
static void sweep_op(enum ir_op op, const int64_t *carg, unsigned ncarg)
{
    for (int t = IR_I32; t <= IR_I64; t++)
        for (int cfg = 0; cfg < CFG_COUNT; cfg++)
            sweep(op, (enum ir_type)t, carg, ncarg, (enum sweep_cfg)cfg);
}

static const int64_t no_cargs[IR_MAX_CARGS];

START_TEST(test_arith_ops_match_sem)
{
    static const enum ir_op ops[] = {IR_OP_mov,   IR_OP_add,   IR_OP_sub,  IR_OP_mul,
                                     IR_OP_mulsh, IR_OP_muluh, IR_OP_divs, IR_OP_divu,
                                     IR_OP_rems,  IR_OP_remu,  IR_OP_neg};
    for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        sweep_op(ops[i], no_cargs, 0);
}
END_TEST

START_TEST(test_bitwise_ops_match_sem)
{
    static const enum ir_op ops[] = {IR_OP_and, IR_OP_or, IR_OP_xor, IR_OP_andc, IR_OP_not};
    for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        sweep_op(ops[i], no_cargs, 0);
}
END_TEST

START_TEST(test_shift_ops_match_sem)
{
    static const enum ir_op ops[] = {IR_OP_shl, IR_OP_shr, IR_OP_sar, IR_OP_rotl, IR_OP_rotr};
    for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        sweep_op(ops[i], no_cargs, 0);
}
END_TEST

START_TEST(test_bitcount_and_bswap_match_sem)
{
    sweep_op(IR_OP_clz, no_cargs, 0);
    sweep_op(IR_OP_ctz, no_cargs, 0);
    sweep_op(IR_OP_popcnt, no_cargs, 0);
    for (int64_t bytes = 2; bytes <= 8; bytes *= 2) {
        int64_t carg[IR_MAX_CARGS] = {bytes};
        for (int cfg = 0; cfg < CFG_COUNT; cfg++) {
            if (bytes <= 4)
                sweep(IR_OP_bswap, IR_I32, carg, 1, (enum sweep_cfg)cfg);
            sweep(IR_OP_bswap, IR_I64, carg, 1, (enum sweep_cfg)cfg);
        }
    }
}
END_TEST

START_TEST(test_bitfield_ops_match_sem)
{
    static const enum ir_op ops[] = {IR_OP_extract, IR_OP_sextract, IR_OP_deposit};
    for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        for (unsigned k = 0; k < sizeof(interp_test_fields32) / sizeof(interp_test_fields32[0]);
             k++) {
            int64_t carg[IR_MAX_CARGS] = {interp_test_fields32[k].pos, interp_test_fields32[k].len};
            for (int cfg = 0; cfg < CFG_COUNT; cfg += 2) /* globals, consts, chain */
                sweep(ops[i], IR_I32, carg, 2, (enum sweep_cfg)cfg);
        }
        for (unsigned k = 0; k < sizeof(interp_test_fields64) / sizeof(interp_test_fields64[0]);
             k++) {
            int64_t carg[IR_MAX_CARGS] = {interp_test_fields64[k].pos, interp_test_fields64[k].len};
            for (int cfg = 1; cfg < CFG_COUNT; cfg++) /* temps, consts, mixed, chain */
                sweep(ops[i], IR_I64, carg, 2, (enum sweep_cfg)cfg);
        }
    }
}
END_TEST

START_TEST(test_width_ops_match_sem)
{
    static const enum ir_op ops[] = {IR_OP_zext, IR_OP_sext, IR_OP_trunc};
    for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        for (int cfg = 0; cfg < CFG_COUNT; cfg++)
            sweep(ops[i], IR_I64, no_cargs, 0, (enum sweep_cfg)cfg);
}
END_TEST

START_TEST(test_compare_ops_match_sem)
{
    for (int64_t c = 0; c < IR_COND_COUNT; c++) {
        int64_t carg[IR_MAX_CARGS] = {c};
        sweep_op(IR_OP_setcond, carg, 1);
        sweep_op(IR_OP_movcond, carg, 1);
    }
}
END_TEST

START_TEST(test_flag_ops_match_sem)
{
    static const enum ir_op ops[] = {IR_OP_addc, IR_OP_addv, IR_OP_subb, IR_OP_subv};
    for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        sweep_op(ops[i], no_cargs, 0);
}
END_TEST

/* brcond: every condition and type, taken and not taken, against sem_cond; with
 * the first or second operand computed just before (the accumulator variants,
 * and swapped operands with the swapped condition). */
START_TEST(test_brcond_matches_sem_cond)
{
    for (int t = IR_I32; t <= IR_I64; t++)
        for (int64_t c = 0; c < IR_COND_COUNT; c++) {
            const struct sweep_proto *p = sweep_proto();
            struct ir_func f;
            ir_func_init(&f);
            ck_assert_int_eq(ir_func_copy(&f, &p->f), 0);
            for (unsigned k = 0; k < NRES; k++) {
                unsigned i = k / NV, j = k % NV;
                ir_ref a = t == IR_I64 ? p->g64[i] : p->g32[i];
                ir_ref b = t == IR_I64 ? p->g64[j] : ir_const(&f, IR_I32, interp_test_vals[j]);
                if (k % 3) {
                    ir_ref *chained = k % 3 == 1 ? &a : &b;
                    ir_ref tmp = ir_temp(&f, (enum ir_type)t);
                    ir_mov(&f, tmp, *chained);
                    *chained = tmp;
                }
                uint32_t taken = ir_new_label(&f), done = ir_new_label(&f);
                ir_brcond(&f, (enum ir_cond)c, a, b, taken);
                ir_mov(&f, p->r64[k], c64(&f, 0));
                ir_br(&f, done);
                ir_set_label(&f, taken);
                ir_mov(&f, p->r64[k], c64(&f, 1));
                ir_set_label(&f, done);
            }
            ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
            for (unsigned v = 0; v < NV; v++) {
                cpu->g[v] = interp_test_vals[v];
                cpu->w[v] = (uint32_t)interp_test_vals[v];
            }
            run_block(&f, IR_EXIT_halt);
            for (unsigned k = 0; k < NRES; k++) {
                uint64_t m = ir_type_mask((enum ir_type)t);
                bool want = sem_cond((enum ir_type)t, (enum ir_cond)c, interp_test_vals[k / NV] & m,
                                     interp_test_vals[k % NV] & m);
                if (cpu->r64[k] != want)
                    ck_abort_msg("brcond.%s %s vector %u: got %llu", ir_type_names[t],
                                 ir_cond_names[c], k, (unsigned long long)cpu->r64[k]);
            }
        }
}
END_TEST

/* ---- guest memory and CPU-state fields ---- */

static void fill_mem(void)
{
    for (unsigned i = 0; i < MEM_SIZE; i++)
        mem[i] = (uint8_t)(i * 37 + 11 + (i >> 8));
}

/* Every memop into both types, from an i64 global, an i32 global (zero-extended)
 * and a constant address, unaligned. */
START_TEST(test_ld_every_memop_matches_sem_load)
{
    fill_mem();
    for (int t = IR_I32; t <= IR_I64; t++) {
        struct ir_func f;
        func_init(&f, 0x1000);
        for (unsigned mo = 0; mo <= IR_MO_ALL; mo++)
            for (unsigned kind = 0; kind < 5; kind++) {
                unsigned k = mo * 5 + kind;
                uint32_t addr = 0x101 + 16 * k + (mo & 7);
                ir_ref a;
                if (kind == 0) {
                    cpu->g[mo] = addr;
                    a = x64(&f, mo);
                } else if (kind == 1) {
                    cpu->w[mo] = addr;
                    a = x32(&f, mo);
                } else if (kind == 2) {
                    a = ir_const(&f, (k & 1) ? IR_I64 : IR_I32, addr);
                } else { /* computed by the insn just before */
                    enum ir_type at = kind == 3 ? IR_I64 : IR_I32;
                    a = ir_temp(&f, at);
                    ir_mov(&f, a, ir_const(&f, at, addr));
                }
                ir_ld(&f, res(&f, (enum ir_type)t, k), a, mo);
            }
        ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
        run_block(&f, IR_EXIT_halt);
        for (unsigned mo = 0; mo <= IR_MO_ALL; mo++)
            for (unsigned kind = 0; kind < 5; kind++) {
                unsigned k = mo * 5 + kind;
                uint32_t addr = 0x101 + 16 * k + (mo & 7);
                uint64_t want = sem_load((enum ir_type)t, mem + addr, mo);
                uint64_t got = t == IR_I64 ? cpu->r64[k] : cpu->r32[k];
                ck_assert_msg(got == want, "ld.%s memop %u kind %u: 0x%llx, expected 0x%llx",
                              ir_type_names[t], mo, kind, (unsigned long long)got,
                              (unsigned long long)want);
            }
    }
}
END_TEST

START_TEST(test_st_every_memop_matches_sem_store)
{
    static uint8_t want[MEM_SIZE];
    for (int t = IR_I32; t <= IR_I64; t++) {
        fill_mem();
        memcpy(want, mem, MEM_SIZE);
        struct ir_func f;
        func_init(&f, 0x1000);
        cpu->g[0] = 0x8877665544332211ull;
        cpu->w[0] = 0x44332211u;
        ir_ref v = t == IR_I64 ? x64(&f, 0) : x32(&f, 0);
        for (unsigned mo = 0; mo <= IR_MO_ALL; mo++)
            for (unsigned kind = 0; kind < 3; kind++) {
                unsigned k = mo * 3 + kind;
                uint32_t addr = 0x201 + 16 * k + (mo & 7);
                ir_ref a;
                if (kind == 0) {
                    cpu->g[1 + mo] = addr;
                    a = x64(&f, 1 + mo);
                } else if (kind == 1) {
                    cpu->w[1 + mo] = addr;
                    a = x32(&f, 1 + mo);
                } else {
                    a = c64(&f, addr);
                }
                ir_ref value = v;
                if (kind == 2) { /* the value computed by the insn just before */
                    value = ir_temp(&f, (enum ir_type)t);
                    ir_mov(&f, value, v);
                }
                ir_st(&f, value, a, mo);
                sem_store(want + addr, t == IR_I64 ? cpu->g[0] : cpu->w[0], mo);
            }
        ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
        run_block(&f, IR_EXIT_halt);
        for (unsigned i = 0; i < MEM_SIZE; i++)
            if (mem[i] != want[i])
                ck_abort_msg("st.%s: byte 0x%x is 0x%02x, expected 0x%02x", ir_type_names[t], i,
                             mem[i], want[i]);
    }
}
END_TEST

/* Loads and stores relative to guest_base with addresses that wrap: the
 * address is added to guest_base as a 64-bit value. */
START_TEST(test_ld_st_use_guest_base)
{
    cpu->head.guest_base = mem + 0x1000;
    struct ir_func f;
    func_init(&f, 0x1000);
    ir_st(&f, c64(&f, 0x1122334455667788ull), c64(&f, (uint64_t)-16), IR_MO_64);
    ir_ld(&f, x64(&f, 0), c64(&f, (uint64_t)-12), IR_MO_32);
    ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
    run_block(&f, IR_EXIT_halt);
    uint64_t v;
    memcpy(&v, mem + 0x1000 - 16, 8);
    ck_assert_uint_eq(v, 0x1122334455667788ull);
    ck_assert_uint_eq(cpu->g[0], sem_load(IR_I64, mem + 0x1000 - 12, IR_MO_32));
}
END_TEST

/* ld_state/st_state: host byte order, every size, sign, both types. */
START_TEST(test_state_fields_host_order)
{
    for (int t = IR_I32; t <= IR_I64; t++)
        for (unsigned mo = 0; mo < 8; mo++) {
            if (t == IR_I32 && (mo & IR_MO_SIZE) == IR_MO_64)
                continue;
            unsigned n = ir_mo_bytes(mo);
            uint8_t src[8] = {0x81, 0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7, 0xf8};
            memcpy((uint8_t *)cpu->state + 3, src, 8);
            struct ir_func f;
            func_init(&f, 0x1000);
            ir_ref r = res(&f, (enum ir_type)t, 0);
            ir_ld_state(&f, r, OFF_STATE + 3, mo);
            ir_st_state(&f, r, OFF_STATE + 40, mo);
            ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
            memset((uint8_t *)cpu->state + 32, 0xee, 32);
            run_block(&f, IR_EXIT_halt);
            uint64_t want;
            uint8_t u8;
            uint16_t u16;
            uint32_t u32;
            bool s = mo & IR_MO_SIGN;
            switch (n) {
            case 1:
                memcpy(&u8, src, 1);
                want = s ? (uint64_t)(int8_t)u8 : u8;
                break;
            case 2:
                memcpy(&u16, src, 2);
                want = s ? (uint64_t)(int16_t)u16 : u16;
                break;
            case 4:
                memcpy(&u32, src, 4);
                want = s ? (uint64_t)(int32_t)u32 : u32;
                break;
            default:
                memcpy(&want, src, 8);
                break;
            }
            want &= ir_type_mask((enum ir_type)t);
            uint64_t got = t == IR_I64 ? cpu->r64[0] : cpu->r32[0];
            ck_assert_msg(got == want, "ld_state.%s memop %u: 0x%llx, expected 0x%llx",
                          ir_type_names[t], mo, (unsigned long long)got, (unsigned long long)want);
            const uint8_t *dst = (const uint8_t *)cpu->state + 40;
            ck_assert_int_eq(memcmp(dst, src, n), 0);
            ck_assert_uint_eq(dst[n], 0xee);
        }
}
END_TEST

/* ---- the global copies ---- */

/* A global the block reads is copied into the frame at entry; st_state to its
 * field must refresh the copy. */
START_TEST(test_st_state_over_a_global_refreshes_it)
{
    cpu->g[0] = 100;
    cpu->w[0] = 7;
    struct ir_func f;
    func_init(&f, 0x1000);
    ir_ref before = ir_temp(&f, IR_I64);
    ir_mov(&f, before, x64(&f, 0));
    ir_st_state(&f, c64(&f, 5), OFF_G(0), IR_MO_64);
    ir_st_state(&f, ir_const(&f, IR_I32, 0x99), OFF_W(0), IR_MO_8);
    ir_emit_1_2(&f, IR_OP_add, res(&f, IR_I64, 0), x64(&f, 0), c64(&f, 1));
    ir_mov(&f, res(&f, IR_I64, 1), before);
    ir_mov(&f, res(&f, IR_I32, 0), x32(&f, 0));
    ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
    run_block(&f, IR_EXIT_halt);
    ck_assert_uint_eq(cpu->r64[0], 6);
    ck_assert_uint_eq(cpu->r64[1], 100);
    ck_assert_uint_eq(cpu->r32[0], 0x99);
}
END_TEST

static uint64_t h_set_x0(void *env)
{
    struct tcpu *c = env;
    c->g[0] = 77;
    return c->g[1]; /* written by the block just before the call */
}
static const struct ir_helper helper_set_x0 = {"interp_test_set_x0",
                                               (void *)h_set_x0,
                                               IR_I64,
                                               0,
                                               {0},
                                               IR_HF_ENV | IR_HF_READS_GLOBALS |
                                                   IR_HF_WRITES_GLOBALS | IR_HF_SIDE};

/* Globals are written through to the CPU state before a helper runs, and the
 * copies are refreshed after a helper that writes globals. */
START_TEST(test_helpers_see_and_change_globals)
{
    int id = ir_helper_register(&helper_set_x0);
    ck_assert_int_ge(id, 0);
    cpu->g[0] = 1;
    struct ir_func f;
    func_init(&f, 0x1000);
    ir_emit_1_2(&f, IR_OP_add, res(&f, IR_I64, 0), x64(&f, 0), c64(&f, 1));
    ir_mov(&f, x64(&f, 1), c64(&f, 123));
    ir_call(&f, id, res(&f, IR_I64, 1), NULL);
    ir_emit_1_2(&f, IR_OP_add, res(&f, IR_I64, 2), x64(&f, 0), c64(&f, 1));
    ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
    run_block(&f, IR_EXIT_halt);
    ck_assert_uint_eq(cpu->r64[0], 2);
    ck_assert_uint_eq(cpu->r64[1], 123);
    ck_assert_uint_eq(cpu->r64[2], 78);
}
END_TEST

/* A global written on one path and read on another is still read from the
 * CPU state. */
START_TEST(test_global_read_after_conditional_write)
{
    for (uint64_t cond = 0; cond < 2; cond++) {
        cpu->g[0] = 40;
        cpu->g[1] = cond;
        struct ir_func f;
        func_init(&f, 0x1000);
        uint32_t skip = ir_new_label(&f);
        ir_brcond(&f, IR_COND_eq, x64(&f, 1), c64(&f, 0), skip);
        ir_mov(&f, x64(&f, 0), c64(&f, 50));
        ir_set_label(&f, skip);
        ir_emit_1_2(&f, IR_OP_add, res(&f, IR_I64, 0), x64(&f, 0), c64(&f, 2));
        ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
        run_block(&f, IR_EXIT_halt);
        ck_assert_uint_eq(cpu->r64[0], cond ? 52 : 42);
        ck_assert_uint_eq(cpu->g[0], cond ? 50 : 40);
    }
}
END_TEST

/* An i32 global is written as 4 bytes: its neighbours keep their values. */
START_TEST(test_i32_global_writes_only_its_bytes)
{
    for (unsigned i = 0; i < 4; i++)
        cpu->w[i] = 0x11111111u * (i + 1);
    struct ir_func f;
    func_init(&f, 0x1000);
    ir_emit_1_2(&f, IR_OP_sub, x32(&f, 1), ir_const(&f, IR_I32, 0), ir_const(&f, IR_I32, 1));
    ir_emit_1_1(&f, IR_OP_trunc, x32(&f, 2), c64(&f, 0xffffffff12345678ull));
    ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
    run_block(&f, IR_EXIT_halt);
    ck_assert_uint_eq(cpu->w[0], 0x11111111u);
    ck_assert_uint_eq(cpu->w[1], 0xffffffffu);
    ck_assert_uint_eq(cpu->w[2], 0x12345678u);
    ck_assert_uint_eq(cpu->w[3], 0x44444444u);
}
END_TEST

/* ---- faults in guest memory accesses ---- */

static sigjmp_buf fault_jmp;
static void on_segv(int sig) { siglongjmp(fault_jmp, sig); }

static uint64_t h_touch_guest(void *env)
{
    return *(volatile uint8_t *)((struct cpu_head *)env)->guest_base;
}
static const struct ir_helper helper_touch_guest = {
    "interp_test_touch_guest", (void *)h_touch_guest, IR_I64, 0, {0}, IR_HF_ENV | IR_HF_SIDE};

/* A fault in a guest access leaves the globals written before it in the CPU
 * state, and fault_pc names the faulting insn, which pcmap maps to its guest
 * pc; a fault inside a helper is not attributed to the block. */
START_TEST(test_fault_pc_names_the_faulting_access)
{
    /* guest memory: a hole at 0, a readable page at 0x1000 */
    uint8_t *g = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(g, MAP_FAILED);
    ck_assert_int_eq(mprotect(g, 4096, PROT_NONE), 0);
    int id = ir_helper_register(&helper_touch_guest);
    ck_assert_int_ge(id, 0);
    struct ir_func f;
    func_init(&f, 0x1000);
    ir_insn_start(&f, 0x1000);
    ir_mov(&f, x64(&f, 0), c64(&f, 7));
    ir_insn_start(&f, 0x1004);
    ir_emit_1_2(&f, IR_OP_add, x64(&f, 1), x64(&f, 1), c64(&f, 1));
    ir_ld(&f, x64(&f, 2), x32(&f, 0), IR_MO_32);
    ir_insn_start(&f, 0x1008);
    ir_call(&f, id, x64(&f, 3), NULL);
    ir_exit(&f, IR_EXIT_halt, c64(&f, 0x100c));
    struct tb tb;
    compile_ok(&f, &tb);
    ck_assert_ptr_nonnull(be->fault_pc);

    /* no fault: nothing to report afterwards */
    cpu->head.guest_base = mem;
    ck_assert_uint_eq(run(&tb), IR_EXIT_halt);
    ck_assert_ptr_null(be->fault_pc(st));

    struct sigaction sa, old;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_segv;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGSEGV, &sa, &old);
    cpu->head.guest_base = g;

    /* the load faults */
    cpu->g[0] = cpu->g[1] = 0;
    cpu->w[0] = 0x10;
    volatile bool faulted = false;
    if (sigsetjmp(fault_jmp, 0) == 0)
        run(&tb);
    else
        faulted = true;
    ck_assert(faulted);
    const uint8_t *at = be->fault_pc(st);
    ck_assert_ptr_nonnull(at);
    ck_assert(at >= tb.code && at < tb.code + tb.code_size);
    ck_assert_uint_eq(tb_guest_pc(&tb, at), 0x1004);
    ck_assert_uint_eq(cpu->g[0], 7); /* precise state */
    ck_assert_uint_eq(cpu->g[1], 1);

    /* the load works, the helper faults: not the block's access */
    cpu->w[0] = 0x1010;
    faulted = false;
    if (sigsetjmp(fault_jmp, 0) == 0)
        run(&tb);
    else
        faulted = true;
    ck_assert(faulted);
    ck_assert_ptr_null(be->fault_pc(st));
    ck_assert_uint_eq(cpu->g[1], 2);

    sigaction(SIGSEGV, &old, NULL);
    munmap(g, 8192);
    free(tb.pcmap);
    ir_func_free(&f);
}
END_TEST

/* ---- code buffer, limits, pcmap, listing ---- */

static void build_adds(struct ir_func *f, unsigned n)
{
    func_init(f, 0x1000);
    for (unsigned i = 0; i < n; i++)
        ir_emit_1_2(f, IR_OP_add, x64(f, i % NV), x64(f, (i + 1) % NV), c64(f, i));
    ir_exit(f, IR_EXIT_halt, c64(f, 0));
}

START_TEST(test_full_code_buffer_leaves_it_unchanged)
{
    struct code_buf small;
    ck_assert_int_eq(codebuf_init(&small, 4096), 0);
    void *s = be->create(&small);
    struct ir_func big, tiny;
    build_adds(&big, 400);
    build_adds(&tiny, 1);
    struct tb tb;
    memset(&tb, 0, sizeof(tb));
    small.used = 12;
    ck_assert_int_eq(be->compile(s, &small, &big, &tb, NULL), BACKEND_FULL);
    ck_assert_uint_eq(small.used, 12);
    ck_assert_ptr_null(tb.pcmap);
    unsigned n = 0;
    int r;
    while ((r = be->compile(s, &small, &tiny, &tb, NULL)) == BACKEND_OK) {
        ck_assert_uint_eq((uintptr_t)tb.code % 8, 0);
        ck_assert_ptr_eq(tb.code + tb.code_size, small.rx + small.used);
        free(tb.pcmap);
        n++;
    }
    ck_assert_int_eq(r, BACKEND_FULL);
    ck_assert_uint_gt(n, 10);
    size_t used = small.used;
    ck_assert_int_eq(be->compile(s, &small, &tiny, &tb, NULL), BACKEND_FULL);
    ck_assert_uint_eq(small.used, used);
    codebuf_reset(&small);
    ck_assert_int_eq(be->compile(s, &small, &tiny, &tb, NULL), BACKEND_OK);
    free(tb.pcmap);
    be->destroy(s);
    codebuf_fini(&small);
    ir_func_free(&big);
    ir_func_free(&tiny);
}
END_TEST

START_TEST(test_too_many_slots_is_too_big)
{
    struct ir_func f;
    func_init(&f, 0x1000);
    ir_ref acc = ir_temp(&f, IR_I64);
    ir_mov(&f, acc, c64(&f, 0));
    for (unsigned i = 0; i < INTERP_MAX_SLOTS; i++) /* distinct constants */
        ir_emit_1_2(&f, IR_OP_add, acc, acc, c64(&f, 1000 + i));
    ir_exit(&f, IR_EXIT_halt, acc);
    struct tb tb;
    size_t used = cb.used;
    char *buf = NULL;
    size_t len = 0;
    FILE *log = open_memstream(&buf, &len);
    ck_assert_int_eq(compile(&f, &tb, log), BACKEND_TOO_BIG);
    fclose(log);
    ck_assert_ptr_nonnull(strstr(buf, "frame slots"));
    ck_assert_uint_eq(cb.used, used);
    free(buf);
    ir_func_free(&f);

    func_init(&f, 0x1000);
    for (unsigned i = 0; i < INTERP_MAX_SLOTS + 1; i++)
        ir_mov(&f, ir_temp(&f, IR_I64), c64(&f, 0));
    ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
    log = open_memstream(&buf, &len);
    ck_assert_int_eq(compile(&f, &tb, log), BACKEND_TOO_BIG);
    fclose(log);
    ck_assert_ptr_nonnull(strstr(buf, "temps"));
    free(buf);
    ir_func_free(&f);

    /* at the limit it still works: 1 temp, the scratch slot, 1 global and
     * constants 0 .. MAX - 4 fill every slot */
    func_init(&f, 0x1000);
    acc = ir_temp(&f, IR_I64);
    ir_mov(&f, acc, c64(&f, 0));
    for (unsigned i = 1; i <= INTERP_MAX_SLOTS - 4; i++)
        ir_emit_1_2(&f, IR_OP_add, acc, acc, c64(&f, i));
    ir_mov(&f, x64(&f, 0), acc);
    ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
    run_block(&f, IR_EXIT_halt);
    ck_assert_uint_eq(cpu->g[0], (uint64_t)(INTERP_MAX_SLOTS - 4) * (INTERP_MAX_SLOTS - 3) / 2);
}
END_TEST

START_TEST(test_malformed_block_is_an_error)
{
    struct ir_func f;
    struct tb tb;
    char *buf = NULL;
    size_t len = 0;
    FILE *log = open_memstream(&buf, &len);
    func_init(&f, 0x1000);
    ir_mov(&f, x64(&f, 0), c64(&f, 1)); /* no terminator */
    ck_assert_int_eq(compile(&f, &tb, log), BACKEND_ERROR);
    ir_func_free(&f);

    func_init(&f, 0x1000);
    uint32_t l = ir_new_label(&f);
    ir_br(&f, l); /* label never set */
    ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
    ck_assert_int_eq(compile(&f, &tb, log), BACKEND_ERROR);
    ir_func_free(&f);
    fclose(log);
    ck_assert_ptr_nonnull(strstr(buf, "terminator"));
    ck_assert_ptr_nonnull(strstr(buf, "never set"));
    free(buf);
}
END_TEST

START_TEST(test_pcmap_marks_each_insn_start)
{
    struct ir_func f;
    func_init(&f, 0x1000);
    ir_insn_start(&f, 0x1000);
    ir_emit_1_2(&f, IR_OP_add, x64(&f, 0), x64(&f, 0), c64(&f, 1));
    ir_insn_start(&f, 0x1004);
    ir_st(&f, x64(&f, 0), x32(&f, 0), IR_MO_32); /* zext of the address comes first */
    ir_emit_1_2(&f, IR_OP_add, x64(&f, 1), x64(&f, 1), c64(&f, 2));
    ir_insn_start(&f, 0x1008);
    ir_goto_tb(&f, 0x100c);
    struct tb tb;
    compile_ok(&f, &tb);
    ck_assert_uint_eq(tb.ir_ops, f.ninsns);
    ck_assert_uint_eq(tb.npcmap, 3);
    const struct interp_state *s = st;
    static const uint64_t pcs[3] = {0x1000, 0x1004, 0x1008};
    static const enum interp_bc first[3] = {BC_add_i64_g, BC_zext, BC_goto_tb};
    for (unsigned i = 0; i < 3; i++) {
        ck_assert_uint_eq(tb.pcmap[i].guest_pc, pcs[i]);
        ck_assert_uint_lt(tb.pcmap[i].host_off, tb.code_size);
        if (i)
            ck_assert_uint_gt(tb.pcmap[i].host_off, tb.pcmap[i - 1].host_off);
        int32_t word;
        memcpy(&word, tb.code + tb.pcmap[i].host_off, 4);
        if (word == s->handler[BC_nop]) /* alignment padding before goto_tb */
            memcpy(&word, tb.code + tb.pcmap[i].host_off + 4, 4);
        ck_assert_int_eq(word, s->handler[first[i]]);
        ck_assert_uint_eq(tb_guest_pc(&tb, tb.code + tb.pcmap[i].host_off), pcs[i]);
    }
    ck_assert_uint_eq(tb_guest_pc(&tb, tb.code + tb.pcmap[1].host_off - 1), 0x1000);
    ck_assert_uint_eq(tb_guest_pc(&tb, tb.code + tb.code_size - 1), 0x1008);
    free(tb.pcmap);
    ir_func_free(&f);
}
END_TEST

START_TEST(test_counted_loops)
{
    /* i64: sum of 1..1000, counting down */
    struct ir_func f;
    func_init(&f, 0x1000);
    ir_ref i = ir_temp(&f, IR_I64), acc = ir_temp(&f, IR_I64);
    ir_mov(&f, i, c64(&f, 1000));
    ir_mov(&f, acc, c64(&f, 0));
    uint32_t top = ir_new_label(&f);
    ir_set_label(&f, top);
    ir_emit_1_2(&f, IR_OP_add, acc, acc, i);
    ir_emit_1_2(&f, IR_OP_sub, i, i, c64(&f, 1));
    ir_brcond(&f, IR_COND_ne, i, c64(&f, 0), top);
    ir_mov(&f, x64(&f, 0), acc);
    ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
    run_block(&f, IR_EXIT_halt);
    ck_assert_uint_eq(cpu->g[0], 500500);

    /* i32: counting up with an unsigned compare, wrapping product in a global */
    func_init(&f, 0x1000);
    ir_ref k = ir_temp(&f, IR_I32);
    ir_mov(&f, k, ir_const(&f, IR_I32, 1));
    ir_mov(&f, x32(&f, 0), ir_const(&f, IR_I32, 1));
    top = ir_new_label(&f);
    ir_set_label(&f, top);
    ir_emit_1_2(&f, IR_OP_mul, x32(&f, 0), x32(&f, 0), k);
    ir_emit_1_2(&f, IR_OP_add, k, k, ir_const(&f, IR_I32, 1));
    ir_brcond(&f, IR_COND_leu, k, ir_const(&f, IR_I32, 20), top);
    ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
    run_block(&f, IR_EXIT_halt);
    uint32_t fact = 1;
    for (uint32_t n = 1; n <= 20; n++)
        fact *= n;
    ck_assert_uint_eq(cpu->w[0], fact);
}
END_TEST

START_TEST(test_mb_runs)
{
    struct ir_func f;
    func_init(&f, 0x1000);
    for (int64_t kind = IR_MB_FULL; kind <= IR_MB_ST; kind++) {
        ir_emit(&f, IR_OP_mb, NULL, 0, &kind, 1);
        ir_emit_1_2(&f, IR_OP_add, x64(&f, 0), x64(&f, 0), c64(&f, 1));
    }
    ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
    run_block(&f, IR_EXIT_halt);
    ck_assert_uint_eq(cpu->g[0], 3);
}
END_TEST

static uint64_t h_listing(uint64_t a, uint32_t b) { return a + b; }
static const struct ir_helper helper_listing = {
    "interp_test_listing", (void *)h_listing, IR_I64, 2, {IR_I64, IR_I32}, 0};

START_TEST(test_listing_names_ops_and_operands)
{
    int id = ir_helper_register(&helper_listing);
    struct ir_func f;
    func_init(&f, 0x1000);
    ir_insn_start(&f, 0x1000);
    ir_ref t = ir_temp(&f, IR_I64);
    ir_emit_1_2(&f, IR_OP_add, t, x64(&f, 3), c64(&f, 0x1234));
    ir_call(&f, id, x64(&f, 4), (ir_ref[]){t, x32(&f, 1)});
    ir_goto_tb(&f, 0x1004);
    char *buf = NULL;
    size_t len = 0;
    FILE *log = open_memstream(&buf, &len);
    struct tb tb;
    ck_assert_int_eq(compile(&f, &tb, log), BACKEND_OK);
    fclose(log);
    static const char *const want[] = {
        "insn 0x1000", "add_i64", "x3",      "$0x1234", "t0",        "@interp_test_listing",
        "x4",          "w1",      "goto_tb", "0x1004",  "unchained", "gather"};
    for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        ck_assert_msg(strstr(buf, want[i]), "listing lacks \"%s\":\n%s", want[i], buf);
    free(buf);
    free(tb.pcmap);
    ir_func_free(&f);
}
END_TEST

/* The accumulator variants are picked when an input is the output of the insn
 * just before, and not across a label. */
START_TEST(test_accumulator_variants)
{
    struct ir_func f;
    func_init(&f, 0x1000);
    ir_ref t0 = ir_temp(&f, IR_I64), t1 = ir_temp(&f, IR_I64), w = ir_temp(&f, IR_I32);
    ir_ref v = ir_temp(&f, IR_I64), a = ir_temp(&f, IR_I64);
    uint32_t top = ir_new_label(&f), out = ir_new_label(&f);
    cpu->g[0] = 5;
    cpu->g[2] = 0x100;
    ir_mov(&f, t0, x64(&f, 0));
    ir_emit_1_2(&f, IR_OP_add, t1, t0, c64(&f, 1));         /* add_i64_a: t1 = 6 */
    ir_emit_1_2(&f, IR_OP_xor, x64(&f, 1), c64(&f, 3), t1); /* xor_i64_ga (swapped): 5 */
    ir_mov(&f, v, x64(&f, 1));
    ir_st(&f, v, x64(&f, 2), IR_MO_64); /* st_64le_i64_a */
    ir_mov(&f, a, x64(&f, 2));
    ir_ld(&f, res(&f, IR_I64, 0), a, IR_MO_64); /* ld_u64le_i64_ga: 5 */
    ir_emit_1_1(&f, IR_OP_trunc, w, x64(&f, 2));
    ir_ld(&f, res(&f, IR_I64, 1), w, IR_MO_8); /* zext_a, ld_u8_i64_ga: 5 */
    ir_set_label(&f, top);
    ir_emit_1_2(&f, IR_OP_sub, t0, t0, c64(&f, 1)); /* after a label: sub_i64 */
    ir_emit_1_2(&f, IR_OP_add, t1, t1, t0);
    ir_brcond(&f, IR_COND_gtu, c64(&f, 3), t1, out); /* brcond_ltu_i64_a (swapped) */
    ir_brcond(&f, IR_COND_eq, t0, c64(&f, 0), out);
    ir_br(&f, top);
    ir_set_label(&f, out);
    ir_mov(&f, res(&f, IR_I64, 2), t1);
    ir_exit(&f, IR_EXIT_halt, c64(&f, 0));
    char *buf = NULL;
    size_t len = 0;
    FILE *log = open_memstream(&buf, &len);
    struct tb tb;
    ck_assert_int_eq(compile(&f, &tb, log), BACKEND_OK);
    fclose(log);
    static const char *const want[] = {"add_i64_a ",        "xor_i64_ga ", "st_64le_i64_a ",
                                       "ld_u64le_i64_ga ",  "zext_a ",     "ld_u8_i64_ga ",
                                       "brcond_ltu_i64_a ", ": sub_i64 ",  ": add_i64_a "};
    for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        ck_assert_msg(strstr(buf, want[i]), "listing lacks \"%s\":\n%s", want[i], buf);
    ck_assert_uint_eq(run(&tb), IR_EXIT_halt);
    ck_assert_uint_eq(cpu->g[1], 5);
    ck_assert_uint_eq(cpu->r64[0], 5);
    ck_assert_uint_eq(cpu->r64[1], 5);
    /* t0 counts 4, 3, 2, 1, 0 adding to t1 = 6: 16; the gtu branch never fires */
    ck_assert_uint_eq(cpu->r64[2], 16);
    free(buf);
    free(tb.pcmap);
    ir_func_free(&f);
}
END_TEST

/* Every IR op that has a value output compiles in both types (op selection is
 * complete for ops.def). */
START_TEST(test_every_op_has_a_handler)
{
    const struct interp_state *s = st;
    for (unsigned op = 0; op < IR_OP_COUNT; op++) {
        if (op == IR_OP_nop || op == IR_OP_insn_start || op == IR_OP_set_label ||
            op == IR_OP_goto_tb || op == IR_OP_ras_push || op == IR_OP_goto_ret)
            continue; /* no handler of their own (goto_ret uses goto_ptr's) */
        ck_assert_msg(s->sel_first[op] != 0xffff, "no bytecode op for %s", ir_ops[op].name);
    }
    /* the variants follow their op: interp_bc_variant finds them by name */
    for (unsigned bc = 0; bc < BC_COUNT; bc++) {
        const struct interp_bcinfo *b = &interp_bcinfo[bc];
        if (b->role != INTERP_ROLE_BASE)
            continue;
        static const char *const suffix[4] = {"", "_g", "_a", "_ga"};
        for (unsigned g = 0; g < 2; g++)
            for (unsigned acc = 0; acc < 2; acc++) {
                bool has = (g == 0 || b->family == INTERP_FAM_G || b->family == INTERP_FAM_A) &&
                           (acc == 0 || b->family == INTERP_FAM_A || b->family == INTERP_FAM_I);
                if (!has)
                    continue;
                char want[64];
                snprintf(want, sizeof(want), "%s%s", b->name, suffix[g + 2 * acc]);
                const struct interp_bcinfo *v = &interp_bcinfo[interp_bc_variant(bc, g, acc)];
                ck_assert_str_eq(v->name, want);
                ck_assert_int_eq(v->irop, b->irop);
            }
    }
}
END_TEST

static Suite *interp_suite(void)
{
    Suite *s = suite_create("interp");
    TCase *ops = tcase_create("ops");
    tcase_add_checked_fixture(ops, setup, teardown);
    tcase_add_test(ops, test_arith_ops_match_sem);
    tcase_add_test(ops, test_bitwise_ops_match_sem);
    tcase_add_test(ops, test_shift_ops_match_sem);
    tcase_add_test(ops, test_bitcount_and_bswap_match_sem);
    tcase_add_test(ops, test_bitfield_ops_match_sem);
    tcase_add_test(ops, test_width_ops_match_sem);
    tcase_add_test(ops, test_compare_ops_match_sem);
    tcase_add_test(ops, test_flag_ops_match_sem);
    tcase_add_test(ops, test_brcond_matches_sem_cond);
    tcase_add_test(ops, test_every_op_has_a_handler);
    suite_add_tcase(s, ops);

    TCase *memory = tcase_create("memory");
    tcase_add_checked_fixture(memory, setup, teardown);
    tcase_add_test(memory, test_ld_every_memop_matches_sem_load);
    tcase_add_test(memory, test_st_every_memop_matches_sem_store);
    tcase_add_test(memory, test_ld_st_use_guest_base);
    tcase_add_test(memory, test_state_fields_host_order);
    suite_add_tcase(s, memory);

    TCase *globals = tcase_create("globals");
    tcase_add_checked_fixture(globals, setup, teardown);
    tcase_add_test(globals, test_st_state_over_a_global_refreshes_it);
    tcase_add_test(globals, test_helpers_see_and_change_globals);
    tcase_add_test(globals, test_global_read_after_conditional_write);
    tcase_add_test(globals, test_i32_global_writes_only_its_bytes);
    tcase_add_test(globals, test_fault_pc_names_the_faulting_access);
    suite_add_tcase(s, globals);

    interp_flow_tests(s);

    TCase *code = tcase_create("code");
    tcase_add_checked_fixture(code, setup, teardown);
    tcase_add_test(code, test_full_code_buffer_leaves_it_unchanged);
    tcase_add_test(code, test_too_many_slots_is_too_big);
    tcase_add_test(code, test_malformed_block_is_an_error);
    tcase_add_test(code, test_pcmap_marks_each_insn_start);
    tcase_add_test(code, test_listing_names_ops_and_operands);
    tcase_add_test(code, test_accumulator_variants);
    tcase_add_test(code, test_counted_loops);
    tcase_add_test(code, test_mb_runs);
    suite_add_tcase(s, code);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(interp_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
