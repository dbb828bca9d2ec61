/* test_softmmu: IR ld/st through the soft TLB (IR_MO_MMU) on every backend
 * (JIT and interpreter) with a fake CPU and a fake page table: hits, misses,
 * flushes, faults with precise state, I/O pages, page-crossing accesses,
 * byte order, register pressure across the miss path, JIT == interpreter.
 * The x86 page walk and exception delivery are in test_x64_mmu.c/test_x64_excp.c. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "accel/tcg/softmmu.h"
#include "backend/backend.h"
#include "ir/ir.h"
#include "ir/sem.h"
#include "softmmu_test.h"

/* ---- the fake machine -------------------------------------------------------- */

#define NPAGES 16
#define VBASE 0x7fff00000000ull /* virtual address of page 0 */
#define PBASE 0x100000ull       /* physical address of page 0 */

enum { PG_NONE, PG_RAM, PG_IO };
struct fake_page {
    int kind;
    unsigned prot;
    unsigned host_page; /* RAM: which page of the host buffer */
};

struct fake_cpu {
    struct cpu_head head;
    uint64_t g[16];
    uint64_t fault_addr;
    uint32_t fault_access, fills;
    uint32_t io_reads, io_writes;
    uint64_t io_last_addr, io_last_val;
    unsigned io_last_size;
    uint32_t code_writes, pad;
    struct softmmu smmu;
};
#define G_OFF(i) ((uint32_t)(offsetof(struct fake_cpu, g) + 8 * (unsigned)(i)))

static struct fake_page pages[NPAGES];
static uint8_t *ram; /* NPAGES host pages */

static unsigned fake_fill(struct cpu_head *head, uint64_t vaddr, unsigned access, unsigned idx,
                          struct softmmu_fill *out)
{
    struct fake_cpu *cpu = (struct fake_cpu *)head;
    (void)idx;
    cpu->fills++;
    uint64_t i = (vaddr - VBASE) >> 12;
    if (vaddr < VBASE || i >= NPAGES || pages[i].kind == PG_NONE || !(pages[i].prot & access)) {
        cpu->fault_addr = vaddr;
        cpu->fault_access = access;
        return IR_EXIT_exception;
    }
    out->paddr = PBASE + i * 4096;
    out->host = pages[i].kind == PG_RAM ? ram + 4096 * pages[i].host_page : NULL;
    out->prot = pages[i].prot;
    out->code = false;
    return 0;
}

static uint64_t fake_io_read(struct cpu_head *head, uint64_t paddr, unsigned size)
{
    struct fake_cpu *cpu = (struct fake_cpu *)head;
    cpu->io_reads++;
    cpu->io_last_addr = paddr;
    cpu->io_last_size = size;
    return 0x8877665544332211ull & (size == 8 ? ~0ull : (1ull << (8 * size)) - 1);
}

static void fake_io_write(struct cpu_head *head, uint64_t paddr, uint64_t v, unsigned size)
{
    struct fake_cpu *cpu = (struct fake_cpu *)head;
    cpu->io_writes++;
    cpu->io_last_addr = paddr;
    cpu->io_last_val = v;
    cpu->io_last_size = size;
}

static const struct softmmu_ops fake_ops = {
    .fill = fake_fill, .io_read = fake_io_read, .io_write = fake_io_write};

/* ---- harness: one backend ---------------------------------------------------- */

static const char *const backend_names[] = {"jit", "interp"};

struct h {
    const char *name;
    const struct ferry_backend *be;
    struct code_buf cb;
    void *state;
    struct fake_cpu *cpu;
    struct ir_func f;
    char err[256];
};

static void reset_machine(void)
{
    memset(ram, 0, NPAGES * 4096);
    for (unsigned i = 0; i < NPAGES; i++) /* RAM pages mapped out of order */
        pages[i] = (struct fake_page){PG_RAM, SOFTMMU_READ | SOFTMMU_WRITE, (i * 5 + 3) % NPAGES};
    pages[8] = (struct fake_page){PG_NONE, 0, 0};
    pages[9] = (struct fake_page){PG_IO, SOFTMMU_READ | SOFTMMU_WRITE, 0};
    pages[10].prot = SOFTMMU_READ; /* read-only */
}

static bool h_open(struct h *h, unsigned i)
{
    memset(h, 0, sizeof(*h));
    h->name = backend_names[i];
    h->be = backend_by_name(h->name);
    if (!h->be)
        return false;
    ck_assert_int_eq(codebuf_init(&h->cb, 1u << 20), 0);
    h->state = h->be->create(&h->cb);
    ck_assert(h->state);
    h->cpu = calloc(1, sizeof(*h->cpu));
    ck_assert(h->cpu);
    if (!ram)
        ram = aligned_alloc(4096, NPAGES * 4096);
    ck_assert(ram);
    reset_machine();
    softmmu_init(&h->cpu->head, &h->cpu->smmu, &fake_ops, NULL);
    ir_func_init(&h->f);
    return true;
}

static void h_close(struct h *h)
{
    ir_func_free(&h->f);
    free(h->cpu);
    h->be->destroy(h->state);
    codebuf_fini(&h->cb);
}

#define FOR_EACH_BACKEND(h, i)                                                                     \
    for (unsigned i = 0; i < 2; i++)                                                               \
        if (h_open(&(h), i))

static struct ir_func *blk(struct h *h, uint64_t pc)
{
    ir_func_reset(&h->f);
    h->f.pc = pc;
    h->f.env_size = sizeof(struct fake_cpu);
    return &h->f;
}

static ir_ref gv(struct ir_func *f, unsigned i)
{
    char name[8];
    snprintf(name, sizeof(name), "g%u", i);
    return ir_global(f, IR_I64, G_OFF(i), name);
}
static ir_ref k64(struct ir_func *f, uint64_t v) { return ir_const(f, IR_I64, v); }

/* Compile and run f once; returns the exit reason. */
static unsigned h_run(struct h *h, struct ir_func *f)
{
    ck_assert_msg(f->err == 0, "%s", f->errmsg);
    ck_assert_msg(ir_verify(f, h->err, sizeof(h->err)) == 0, "%s: %s", h->name, h->err);
    struct tb tb;
    memset(&tb, 0, sizeof(tb));
    tb.pc = f->pc;
    int rc = h->be->compile(h->state, &h->cb, f, &tb, NULL);
    if (rc == BACKEND_FULL) {
        codebuf_reset(&h->cb);
        rc = h->be->compile(h->state, &h->cb, f, &tb, NULL);
    }
    ck_assert_msg(rc == BACKEND_OK, "%s: compile %d", h->name, rc);
    h->cpu->head.pc = tb.pc;
    unsigned r = h->be->exec(h->state, &h->cpu->head, &tb);
    free(tb.pcmap);
    return r;
}

unsigned softmmu_test_run(const char *name, struct cpu_head *cpu, struct ir_func *f)
{
    const struct ferry_backend *be = backend_by_name(name);
    if (!be)
        return SOFTMMU_NO_BACKEND;
    char err[256];
    ck_assert_msg(f->err == 0, "%s", f->errmsg);
    ck_assert_msg(ir_verify(f, err, sizeof(err)) == 0, "%s: %s", name, err);
    struct code_buf cb;
    ck_assert_int_eq(codebuf_init(&cb, 1u << 20), 0);
    void *st = be->create(&cb);
    ck_assert(st);
    struct tb tb;
    memset(&tb, 0, sizeof(tb));
    tb.pc = f->pc;
    tb.flags = f->flags;
    ck_assert_int_eq(be->compile(st, &cb, f, &tb, NULL), BACKEND_OK);
    cpu->pc = tb.pc;
    unsigned r = be->exec(st, cpu, &tb);
    free(tb.pcmap);
    be->destroy(st);
    codebuf_fini(&cb);
    return r;
}

#define MMU(mo, idx) ((unsigned)(mo) | IR_MO_MMU | (unsigned)(idx) << IR_MO_MMU_IDX_SHIFT)
#define VA(page, off) (VBASE + 4096ull * (page) + (off))
static uint8_t *host_of(unsigned page, unsigned off) { return ram + 4096 * pages[page].host_page + off; }

/* g0 = ld(VA) ; exit halt */
static struct ir_func *prog_load(struct h *h, uint64_t va, unsigned mo)
{
    struct ir_func *f = blk(h, 0x1000);
    ir_insn_start(f, 0x1000);
    ir_ld(f, gv(f, 0), k64(f, va), mo);
    ir_exit(f, IR_EXIT_halt, k64(f, 0x1004));
    return f;
}

static struct ir_func *prog_store(struct h *h, uint64_t va, uint64_t v, unsigned mo)
{
    struct ir_func *f = blk(h, 0x1000);
    ir_insn_start(f, 0x1000);
    ir_mov(f, gv(f, 1), k64(f, v));
    ir_st(f, gv(f, 1), k64(f, va), mo);
    ir_exit(f, IR_EXIT_halt, k64(f, 0x1004));
    return f;
}

/* ---- TLB: hit, miss, flush ------------------------------------------------- */

START_TEST(load_miss_then_hit)
{
    struct h h;
    FOR_EACH_BACKEND(h, i) {
        memcpy(host_of(2, 8), "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
        ck_assert_uint_eq(h_run(&h, prog_load(&h, VA(2, 8), MMU(IR_MO_64, 0))), IR_EXIT_halt);
        ck_assert_uint_eq(h.cpu->g[0], 0x0807060504030201ull);
        ck_assert_uint_eq(h.cpu->fills, 1);
        ck_assert_uint_eq(h_run(&h, prog_load(&h, VA(2, 16), MMU(IR_MO_32, 0))), IR_EXIT_halt);
        ck_assert_uint_eq(h.cpu->fills, 1); /* same page: a hit */
        /* another MMU index is another TLB */
        ck_assert_uint_eq(h_run(&h, prog_load(&h, VA(2, 8), MMU(IR_MO_8, 1))), IR_EXIT_halt);
        ck_assert_uint_eq(h.cpu->fills, 2);
        ck_assert_uint_eq(h.cpu->g[0], 1);
        h_close(&h);
    }
}
END_TEST

START_TEST(flush_all_and_page)
{
    struct h h;
    FOR_EACH_BACKEND(h, i) {
        h_run(&h, prog_load(&h, VA(2, 0), MMU(IR_MO_8, 0)));
        h_run(&h, prog_load(&h, VA(3, 0), MMU(IR_MO_8, 0)));
        ck_assert_uint_eq(h.cpu->fills, 2);
        softmmu_flush_page(&h.cpu->smmu, VA(2, 0x123));
        h_run(&h, prog_load(&h, VA(3, 0), MMU(IR_MO_8, 0)));
        ck_assert_uint_eq(h.cpu->fills, 2);
        h_run(&h, prog_load(&h, VA(2, 0), MMU(IR_MO_8, 0)));
        ck_assert_uint_eq(h.cpu->fills, 3);
        /* a new mapping is seen only after a flush */
        pages[2].host_page = pages[4].host_page;
        *host_of(2, 0) = 0x5a;
        softmmu_flush(&h.cpu->smmu);
        h_run(&h, prog_load(&h, VA(2, 0), MMU(IR_MO_8, 0)));
        ck_assert_uint_eq(h.cpu->fills, 4);
        ck_assert_uint_eq(h.cpu->g[0], 0x5a);
        h_close(&h);
    }
}
END_TEST

START_TEST(store_hit_and_miss)
{
    struct h h;
    FOR_EACH_BACKEND(h, i) {
        ck_assert_uint_eq(h_run(&h, prog_store(&h, VA(5, 0x10), 0x1122334455667788ull,
                                               MMU(IR_MO_64, 0))),
                          IR_EXIT_halt);
        ck_assert_uint_eq(sem_load(IR_I64, host_of(5, 0x10), IR_MO_64), 0x1122334455667788ull);
        h_run(&h, prog_store(&h, VA(5, 0x20), 0xabcd, MMU(IR_MO_16, 0)));
        ck_assert_uint_eq(sem_load(IR_I64, host_of(5, 0x20), IR_MO_16), 0xabcd);
        ck_assert_uint_eq(h.cpu->fills, 1);
        h_close(&h);
    }
}
END_TEST

/* ---- faults ---------------------------------------------------------------------- */

START_TEST(load_fault_is_precise)
{
    struct h h;
    FOR_EACH_BACKEND(h, i) {
        struct ir_func *f = blk(&h, 0x2000);
        ir_insn_start(f, 0x2000);
        ir_mov(f, gv(f, 3), k64(f, 0x3333)); /* a global written before the faulting insn */
        ir_insn_start(f, 0x2004);
        ir_emit_1_2(f, IR_OP_add, gv(f, 4), gv(f, 3), k64(f, 1));
        ir_ld(f, gv(f, 0), k64(f, VA(8, 0x40)), MMU(IR_MO_32, 0));
        ir_mov(f, gv(f, 5), k64(f, 0x5555)); /* never runs */
        ir_exit(f, IR_EXIT_halt, k64(f, 0x2010));
        ck_assert_uint_eq(h_run(&h, f), IR_EXIT_exception);
        ck_assert_uint_eq(h.cpu->head.pc, 0x2004);
        ck_assert_uint_eq(h.cpu->g[3], 0x3333);
        ck_assert_uint_eq(h.cpu->g[4], 0x3334);
        ck_assert_uint_eq(h.cpu->g[5], 0);
        ck_assert_uint_eq(h.cpu->fault_addr, VA(8, 0x40));
        ck_assert_uint_eq(h.cpu->fault_access, SOFTMMU_READ);
        h_close(&h);
    }
}
END_TEST

START_TEST(store_to_readonly_faults_and_writes_nothing)
{
    struct h h;
    FOR_EACH_BACKEND(h, i) {
        /* the page is in the TLB for reads first: the write tag must still miss */
        h_run(&h, prog_load(&h, VA(10, 0), MMU(IR_MO_8, 0)));
        ck_assert_uint_eq(h_run(&h, prog_store(&h, VA(10, 0), 0xff, MMU(IR_MO_8, 0))),
                          IR_EXIT_exception);
        ck_assert_uint_eq(h.cpu->fault_access, SOFTMMU_WRITE);
        ck_assert_uint_eq(*host_of(10, 0), 0);
        ck_assert_uint_eq(h.cpu->head.pc, 0x1000);
        h_close(&h);
    }
}
END_TEST

START_TEST(cross_page_store_checks_both_pages)
{
    struct h h;
    FOR_EACH_BACKEND(h, i) {
        /* last 2 bytes of page 7, then unmapped page 8: nothing may be written */
        ck_assert_uint_eq(h_run(&h, prog_store(&h, VA(7, 4094), 0x44332211, MMU(IR_MO_32, 0))),
                          IR_EXIT_exception);
        ck_assert_uint_eq(*host_of(7, 4094), 0);
        ck_assert_uint_eq(*host_of(7, 4095), 0);
        ck_assert_uint_eq(h.cpu->fault_addr, VA(8, 0));
        h_close(&h);
    }
}
END_TEST

START_TEST(cross_page_load_and_store)
{
    struct h h;
    FOR_EACH_BACKEND(h, i) {
        ck_assert_uint_eq(h_run(&h, prog_store(&h, VA(3, 4093), 0x8877665544332211ull,
                                               MMU(IR_MO_64, 0))),
                          IR_EXIT_halt);
        ck_assert_uint_eq(*host_of(3, 4093), 0x11);
        ck_assert_uint_eq(*host_of(3, 4095), 0x33);
        ck_assert_uint_eq(*host_of(4, 0), 0x44);
        ck_assert_uint_eq(*host_of(4, 4), 0x88);
        h_run(&h, prog_load(&h, VA(3, 4093), MMU(IR_MO_64, 0)));
        ck_assert_uint_eq(h.cpu->g[0], 0x8877665544332211ull);
        h_run(&h, prog_load(&h, VA(3, 4095), MMU(IR_MO_16 | IR_MO_BE, 0)));
        ck_assert_uint_eq(h.cpu->g[0], 0x3344);
        h_close(&h);
    }
}
END_TEST

/* ---- I/O pages ------------------------------------------------------------------ */

START_TEST(io_page_goes_to_the_device_every_time)
{
    struct h h;
    FOR_EACH_BACKEND(h, i) {
        for (unsigned n = 1; n <= 3; n++) {
            ck_assert_uint_eq(h_run(&h, prog_load(&h, VA(9, 0x10), MMU(IR_MO_32, 0))),
                              IR_EXIT_halt);
            ck_assert_uint_eq(h.cpu->io_reads, n);
        }
        ck_assert_uint_eq(h.cpu->g[0], 0x44332211);
        ck_assert_uint_eq(h.cpu->io_last_addr, PBASE + 9 * 4096 + 0x10);
        ck_assert_uint_eq(h.cpu->io_last_size, 4);
        h_run(&h, prog_store(&h, VA(9, 0x18), 0xbeef, MMU(IR_MO_16, 0)));
        h_run(&h, prog_store(&h, VA(9, 0x18), 0xbeef, MMU(IR_MO_16, 0)));
        ck_assert_uint_eq(h.cpu->io_writes, 2);
        ck_assert_uint_eq(h.cpu->io_last_val, 0xbeef);
        ck_assert_uint_eq(h.cpu->io_last_size, 2);
        ck_assert_uint_eq(h.cpu->fills, 1);
        h_close(&h);
    }
}
END_TEST

/* ---- memops: every size, sign, order, on the hit and the miss path ---------------- */

START_TEST(memops_match_sem_load)
{
    static const uint8_t bytes[8] = {0x81, 0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7, 0xf8};
    struct h h;
    FOR_EACH_BACKEND(h, i) {
        memcpy(host_of(6, 0x100), bytes, 8);
        for (unsigned t = 0; t < 2; t++)
            for (unsigned mo = 0; mo <= IR_MO_ALL; mo++) {
                enum ir_type ty = t ? IR_I64 : IR_I32;
                if (ir_mo_bytes(mo) > (t ? 8u : 4u) || ((mo & IR_MO_SIGN) && ir_mo_bytes(mo) == 8))
                    continue;
                for (unsigned pass = 0; pass < 2; pass++) { /* miss, then hit */
                    if (pass == 0)
                        softmmu_flush(&h.cpu->smmu);
                    struct ir_func *f = blk(&h, 0x1000);
                    ir_ref d = ir_temp(f, ty);
                    ir_ld(f, d, k64(f, VA(6, 0x100)), MMU(mo, 0));
                    if (t)
                        ir_mov(f, gv(f, 0), d);
                    else
                        ir_emit_1_1(f, IR_OP_zext, gv(f, 0), d);
                    ir_exit(f, IR_EXIT_halt, k64(f, 0));
                    ck_assert_uint_eq(h_run(&h, f), IR_EXIT_halt);
                    ck_assert_msg(h.cpu->g[0] == sem_load(ty, bytes, mo),
                                  "%s: memop %u type %u pass %u: 0x%llx", h.name, mo, t, pass,
                                  (unsigned long long)h.cpu->g[0]);
                }
            }
        h_close(&h);
    }
}
END_TEST

START_TEST(store_memops_match_sem_store)
{
    struct h h;
    FOR_EACH_BACKEND(h, i) {
        for (unsigned mo = 0; mo <= IR_MO_ALL; mo++) {
            if (mo & IR_MO_SIGN)
                continue;
            for (unsigned pass = 0; pass < 2; pass++) {
                if (pass == 0)
                    softmmu_flush(&h.cpu->smmu);
                uint8_t want[8] = {0};
                memset(host_of(6, 0x200), 0, 8);
                sem_store(want, 0x0102030405060708ull, mo);
                h_run(&h, prog_store(&h, VA(6, 0x200), 0x0102030405060708ull, MMU(mo, 0)));
                ck_assert_msg(memcmp(host_of(6, 0x200), want, 8) == 0, "%s: memop %u pass %u",
                              h.name, mo, pass);
            }
        }
        h_close(&h);
    }
}
END_TEST

/* ---- the miss path keeps every live value ----------------------------------------------- */

START_TEST(miss_path_keeps_live_registers)
{
    struct h h;
    FOR_EACH_BACKEND(h, i) {
        *host_of(1, 0) = 7;
        struct ir_func *f = blk(&h, 0x1000);
        enum { N = 14 };
        ir_ref t[N];
        for (unsigned k = 0; k < N; k++) { /* live across the load */
            t[k] = ir_temp(f, IR_I64);
            ir_emit_1_2(f, IR_OP_add, t[k], gv(f, k % 8), k64(f, 1000 + k));
        }
        ir_ref v = ir_temp(f, IR_I64);
        ir_ld(f, v, k64(f, VA(1, 0)), MMU(IR_MO_8, 0));
        ir_ref sum = ir_temp(f, IR_I64);
        ir_mov(f, sum, v);
        for (unsigned k = 0; k < N; k++)
            ir_emit_1_2(f, IR_OP_add, sum, sum, t[k]);
        ir_mov(f, gv(f, 9), sum);
        ir_exit(f, IR_EXIT_halt, k64(f, 0));
        for (unsigned k = 0; k < 8; k++)
            h.cpu->g[k] = 0x100 * k;
        ck_assert_uint_eq(h_run(&h, f), IR_EXIT_halt);
        uint64_t want = 7;
        for (unsigned k = 0; k < N; k++)
            want += 0x100 * (k % 8) + 1000 + k;
        ck_assert_uint_eq(h.cpu->g[9], want);
        h_close(&h);
    }
}
END_TEST

/* ---- JIT and interpreter agree on a mixed program ---------------------------------- */

START_TEST(jit_and_interp_agree)
{
    uint64_t seed = 0x1234567;
    struct snapshot {
        uint64_t g[16];
        uint8_t ram[NPAGES * 4096];
        unsigned exit;
        uint64_t pc;
    } *snap = calloc(2, sizeof(*snap));
    ck_assert(snap);
    for (unsigned round = 0; round < 40; round++) {
        uint64_t s0 = seed;
        unsigned got = 0;
        struct h h;
        FOR_EACH_BACKEND(h, i) {
            seed = s0;
            struct ir_func *f = blk(&h, 0x1000);
            for (unsigned k = 0; k < 24; k++) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                unsigned page = (unsigned)(seed >> 60) % 12, off = (unsigned)(seed >> 40) & 4095;
                unsigned mo = (unsigned)(seed >> 20) & IR_MO_ALL;
                ir_insn_start(f, 0x1000 + 4 * k);
                if (seed & 1) {
                    if ((mo & IR_MO_SIZE) == IR_MO_64)
                        mo &= ~(unsigned)IR_MO_SIGN;
                    ir_ld(f, gv(f, k % 16), k64(f, VA(page, off)), MMU(mo, 0));
                } else {
                    ir_st(f, gv(f, (k + 5) % 16), k64(f, VA(page, off)),
                          MMU(mo & ~(unsigned)IR_MO_SIGN, 0));
                }
            }
            ir_exit(f, IR_EXIT_halt, k64(f, 0));
            for (unsigned k = 0; k < 16; k++)
                h.cpu->g[k] = 0x0123456789abcdefull * (k + 1) + round;
            for (unsigned b = 0; b < NPAGES * 4096; b++)
                ram[b] = (uint8_t)(b * 7 + round);
            snap[got].exit = h_run(&h, f);
            snap[got].pc = h.cpu->head.pc;
            memcpy(snap[got].g, h.cpu->g, sizeof(snap[got].g));
            memcpy(snap[got].ram, ram, sizeof(snap[got].ram));
            got++;
            h_close(&h);
        }
        ck_assert_uint_eq(got, 2);
        ck_assert_uint_eq(snap[0].exit, snap[1].exit);
        ck_assert_uint_eq(snap[0].pc, snap[1].pc);
        ck_assert_msg(memcmp(snap[0].g, snap[1].g, sizeof(snap[0].g)) == 0, "round %u: globals",
                      round);
        ck_assert_msg(memcmp(snap[0].ram, snap[1].ram, sizeof(snap[0].ram)) == 0,
                      "round %u: memory", round);
    }
    free(snap);
}
END_TEST

/* ---- the IR contract: text form and verifier ---------------------------------------------- */

START_TEST(text_round_trips_mmu_memops)
{
    static const char src[] = "global g0:i64 @0x40\n"
                              "block 0x1000\n"
                              "  temps t0:i64\n"
                              "  ld.i64 t0, g0, u32le.mmu1\n"
                              "  st.i32 7, g0, u16be.mmu0\n"
                              "  ld.i64 g0, t0, s8.mmu3\n"
                              "  exit g0, halt\n";
    struct ir_module m;
    char err[256];
    ck_assert_msg(ir_parse(src, "mmu.fir", &m, err, sizeof(err)) == 0, "%s", err);
    ck_assert_uint_eq(m.nfuncs, 1);
    ck_assert_uint_eq(m.funcs[0].insns[0].carg[0], MMU(IR_MO_32, 1));
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ck_assert(out);
    ir_print(out, &m.funcs[0]);
    fclose(out);
    ck_assert_str_eq(buf, src);
    free(buf);
    ir_module_free(&m);
    ck_assert_int_ne(ir_parse("block 0x1000\n  temps t0:i64\n  ld.i64 t0, 0, u8.mmu4\n  exit t0, halt\n",
                              "bad.fir", &m, err, sizeof(err)),
                     0);
    ck_assert_msg(strstr(err, "MMU memop") != NULL, "%s", err);
}
END_TEST

START_TEST(verifier_rejects_index_without_mmu_bit)
{
    struct ir_func f;
    ir_func_init(&f);
    f.pc = 0x1000;
    ir_ref t = ir_temp(&f, IR_I64);
    ir_ld(&f, t, ir_const(&f, IR_I64, 0), 1u << IR_MO_MMU_IDX_SHIFT);
    ir_exit(&f, IR_EXIT_halt, t);
    char err[256];
    ck_assert_int_ne(ir_verify(&f, err, sizeof(err)), 0);
    ck_assert_msg(strstr(err, "MMU index") != NULL, "%s", err);
    ir_func_free(&f);
    ir_func_init(&f);
    f.pc = 0x1000;
    t = ir_temp(&f, IR_I64);
    ir_ld_state(&f, t, 64, IR_MO_32 | IR_MO_MMU);
    ir_exit(&f, IR_EXIT_halt, t);
    ck_assert_int_ne(ir_verify(&f, err, sizeof(err)), 0);
    ir_func_free(&f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("softmmu");
    TCase *tc = tcase_create("tlb");
    tcase_add_test(tc, load_miss_then_hit);
    tcase_add_test(tc, flush_all_and_page);
    tcase_add_test(tc, store_hit_and_miss);
    tcase_add_test(tc, load_fault_is_precise);
    tcase_add_test(tc, store_to_readonly_faults_and_writes_nothing);
    tcase_add_test(tc, cross_page_store_checks_both_pages);
    tcase_add_test(tc, cross_page_load_and_store);
    tcase_add_test(tc, io_page_goes_to_the_device_every_time);
    tcase_add_test(tc, memops_match_sem_load);
    tcase_add_test(tc, store_memops_match_sem_store);
    tcase_add_test(tc, miss_path_keeps_live_registers);
    tcase_add_test(tc, jit_and_interp_agree);
    tcase_add_test(tc, text_round_trips_mmu_memops);
    tcase_add_test(tc, verifier_rejects_index_without_mmu_bit);
    suite_add_tcase(s, tc);
    x64_mmu_tests(s);
    x64_excp_tests(s);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    return nf ? 1 : 0;
}
