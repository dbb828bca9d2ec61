/* Translation cache and execution loop cases, driven by "lin", a synthetic
 * frontend built with the IR builder: a guest program is an array of 4-byte
 * instructions (add to acc, loop, halt, helper calls...), so every case runs
 * without the IR parser and on every backend. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_backend.h"
#include "tcg_test.h"
#include "util/log.h"

/* ---- the synthetic guest ------------------------------------------------------ */

enum lin_kind {
    LIN_ADD,     /* acc += arg * (flags + 1) */
    LIN_HALT,    /* exit halt */
    LIN_SYSCALL, /* exit syscall */
    LIN_LOOP,    /* if acc < limit goto_tb arg else goto_tb next (ends the block) */
    LIN_JMP_PTR, /* goto_ptr arg (ends the block) */
    LIN_REQUEST, /* call @test_request_exit */
    LIN_HOSTPC,  /* call @test_hostpc */
    LIN_MAPS,    /* acc = call @test_maps_check */
    LIN_SMC,     /* call @lin_smc, then exit invalidate to the next insn */
    LIN_INVAL,   /* call @lin_inval: invalidate guest range [arg, arg + 4) */
};
struct lin_insn {
    enum lin_kind kind;
    int64_t arg;
};

struct lin_cpu {
    struct cpu_head head;
    uint64_t acc;
    uint64_t pad[7];
};
#define LIN_ACC offsetof(struct lin_cpu, acc)
#define LIN_MAX 12000u

static struct {
    uint64_t base;
    unsigned n;
    uint64_t limit; /* LIN_LOOP bound */
    unsigned translations;
    bool smc_enabled; /* lin_smc: patch insn smc_idx to add smc_value */
    unsigned smc_idx;
    int64_t smc_value;
    struct lin_insn insns[LIN_MAX];
} P;
static struct tcg_ctx C;
static struct lin_cpu CPU;

/* What the test helpers saw (set while blocks run). */
static const void *test_last_ra;
static int test_maps_rx, test_maps_rw;

static void lin_helper_smc(void *env);
static void lin_helper_inval(uint64_t addr);

static void test_helper_request_exit(void *env) { ((struct cpu_head *)env)->exit_request = 1; }

static void test_helper_hostpc(void *env)
{
    (void)env;
    test_last_ra = __builtin_return_address(0);
}

/* Number of mappings that are writable and executable at once; counts the
 * code buffer's views as it goes. */
static uint64_t test_helper_maps_check(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return 1000;
    char line[512];
    uint64_t wx = 0;
    test_maps_rx = test_maps_rw = 0;
    while (fgets(line, sizeof(line), f)) {
        char perms[8] = "";
        if (sscanf(line, "%*x-%*x %7s", perms) != 1)
            continue;
        if (perms[1] == 'w' && perms[2] == 'x')
            wx++;
        if (strstr(line, "ferry-code")) {
            test_maps_rx += strncmp(perms, "r-x", 3) == 0;
            test_maps_rw += strncmp(perms, "rw-", 3) == 0;
        }
    }
    fclose(f);
    return wx;
}

static const struct ir_helper test_request_exit_helper = {.name = "test_request_exit",
                                                          .fn = (void *)test_helper_request_exit,
                                                          .ret = IR_VOID,
                                                          .nargs = 0,
                                                          .flags = IR_HF_ENV | IR_HF_SIDE};
static const struct ir_helper test_hostpc_helper = {.name = "test_hostpc",
                                                    .fn = (void *)test_helper_hostpc,
                                                    .ret = IR_VOID,
                                                    .nargs = 0,
                                                    .flags = IR_HF_ENV | IR_HF_SIDE};
static const struct ir_helper test_maps_helper = {.name = "test_maps_check",
                                                  .fn = (void *)test_helper_maps_check,
                                                  .ret = IR_I64,
                                                  .nargs = 0,
                                                  .flags = IR_HF_SIDE};
static const struct ir_helper lin_smc_helper = {.name = "lin_smc",
                                                .fn = (void *)lin_helper_smc,
                                                .ret = IR_VOID,
                                                .nargs = 0,
                                                .flags =
                                                    IR_HF_ENV | IR_HF_SIDE | IR_HF_READS_GLOBALS};

static const struct ir_helper lin_inval_helper = {.name = "lin_inval",
                                                  .fn = (void *)lin_helper_inval,
                                                  .ret = IR_VOID,
                                                  .nargs = 1,
                                                  .args = {IR_I64},
                                                  .flags = IR_HF_SIDE};

int register_test_helpers(void)
{
    if (ir_helper_register(&test_request_exit_helper) < 0 ||
        ir_helper_register(&test_hostpc_helper) < 0 || ir_helper_register(&test_maps_helper) < 0 ||
        ir_helper_register(&lin_smc_helper) < 0 || ir_helper_register(&lin_inval_helper) < 0)
        return -1;
    return 0;
}

/* Self-modifying code: rewrite one instruction and invalidate it. */
static void lin_helper_smc(void *env)
{
    (void)env;
    if (!P.smc_enabled)
        return;
    P.insns[P.smc_idx].arg = P.smc_value;
    uint64_t pc = P.base + 4ull * P.smc_idx;
    tcg_invalidate_range(&C, pc, pc + 4);
}

static void lin_helper_inval(uint64_t addr) { tcg_invalidate_range(&C, addr, addr + 4); }

static void lin_call(struct ir_func *f, const struct ir_helper *h, ir_ref out)
{
    ir_call(f, ir_helper_find(h->name), out, NULL);
}

static int lin_translate(void *opaque, struct ir_func *f, uint64_t pc, uint32_t flags,
                         unsigned max_insns, uint32_t *guest_size)
{
    (void)opaque;
    P.translations++;
    if (pc < P.base || (pc - P.base) % 4 || (pc - P.base) / 4 >= P.n)
        return -EFAULT; /* no message: the cache must name the pc itself */
    ir_ref acc = ir_global(f, IR_I64, LIN_ACC, "acc");
    unsigned idx = (unsigned)((pc - P.base) / 4), k = 0;
    bool ended = false;
    for (; k < max_insns && idx < P.n && !ended; k++, idx++) {
        uint64_t ipc = P.base + 4ull * idx;
        const struct lin_insn *li = &P.insns[idx];
        ir_insn_start(f, ipc);
        switch (li->kind) {
        case LIN_ADD:
            ir_emit_1_2(f, IR_OP_add, acc, acc,
                        ir_const(f, IR_I64, (uint64_t)li->arg * (flags + 1u)));
            break;
        case LIN_HALT:
            ir_exit(f, IR_EXIT_halt, ir_const(f, IR_I64, ipc + 4));
            ended = true;
            break;
        case LIN_SYSCALL:
            ir_exit(f, IR_EXIT_syscall, ir_const(f, IR_I64, ipc + 4));
            ended = true;
            break;
        case LIN_LOOP: {
            uint32_t l = ir_new_label(f);
            ir_brcond(f, IR_COND_geu, acc, ir_const(f, IR_I64, P.limit), l);
            ir_goto_tb(f, (uint64_t)li->arg);
            ir_set_label(f, l);
            ir_goto_tb(f, ipc + 4);
            ended = true;
            break;
        }
        case LIN_JMP_PTR: {
            ir_ref t = ir_temp(f, IR_I64);
            ir_emit_1_2(f, IR_OP_xor, t, acc, acc);
            ir_emit_1_2(f, IR_OP_add, t, t, ir_const(f, IR_I64, (uint64_t)li->arg));
            ir_goto_ptr(f, t);
            ended = true;
            break;
        }
        case LIN_REQUEST:
            lin_call(f, &test_request_exit_helper, IR_NONE);
            break;
        case LIN_HOSTPC:
            lin_call(f, &test_hostpc_helper, IR_NONE);
            break;
        case LIN_MAPS:
            lin_call(f, &test_maps_helper, acc);
            break;
        case LIN_INVAL: {
            ir_ref a = ir_const(f, IR_I64, (uint64_t)li->arg);
            ir_call(f, ir_helper_find(lin_inval_helper.name), IR_NONE, &a);
            break;
        }
        case LIN_SMC:
            lin_call(f, &lin_smc_helper, IR_NONE);
            ir_exit(f, IR_EXIT_invalidate, ir_const(f, IR_I64, ipc + 4));
            ended = true;
            break;
        }
    }
    if (!ended)
        ir_goto_tb(f, P.base + 4ull * idx);
    *guest_size = 4 * k;
    return 0;
}

/* ---- fixture ------------------------------------------------------------------ */

static void lin_prog(uint64_t base, const struct lin_insn *code, unsigned n)
{
    memset(&P, 0, sizeof(P));
    P.base = base;
    P.n = n;
    memcpy(P.insns, code, n * sizeof(*code));
}

/* n adds of 1, then halt */
static void lin_prog_adds(uint64_t base, unsigned n)
{
    memset(&P, 0, sizeof(P));
    P.base = base;
    for (unsigned i = 0; i < n; i++)
        P.insns[i] = (struct lin_insn){LIN_ADD, 1};
    P.insns[n] = (struct lin_insn){LIN_HALT, 0};
    P.n = n + 1;
}

static void lin_start_cfg(int be, const struct tcg_config *cfg)
{
    struct tcg_config c = *cfg;
    c.backend = test_backends[be].ops;
    int r = tcg_init(&C, &c, lin_translate, NULL);
    ck_assert_msg(r == 0, "tcg_init on %s: %s", test_backends[be].name, tcg_errmsg(&C));
    memset(&CPU, 0, sizeof(CPU));
    ck_assert_int_eq(tcg_cpu_init(&C, &CPU.head), 0);
}

static void lin_start(int be)
{
    struct tcg_config c;
    tcg_config_default(&c);
    c.verify = true;
    lin_start_cfg(be, &c);
}

static void lin_stop(void)
{
    assert_cache_consistent(&C, &CPU.head);
    tcg_cpu_fini(&C, &CPU.head);
    tcg_fini(&C);
}

/* Run from the program start with acc = 0. */
static unsigned lin_run(uint32_t flags)
{
    CPU.head.pc = P.base;
    CPU.head.flags = flags;
    CPU.acc = 0;
    unsigned r = tcg_exec(&C, &CPU.head);
    ck_assert_msg(r != TCG_EXIT_ERROR, "tcg_exec failed: %s", tcg_errmsg(&C));
    return r;
}

/* ---- invariants ----------------------------------------------------------------- */

static bool in_arena(const struct tcg_ctx *ctx, const struct tb *tb)
{
    return tb && tcg_find_tb_by_host_pc(ctx, tb->code) == tb;
}

void assert_cache_consistent(struct tcg_ctx *ctx, const struct cpu_head *cpu)
{
    for (size_t i = 0; i < tcg_tb_count(ctx); i++) {
        struct tb *tb = tcg_tb_at(ctx, i);
        ck_assert_ptr_eq(tcg_find_tb_by_host_pc(ctx, tb->code), tb);
        if (tb->invalid) {
            ck_assert_ptr_null(tb->in_first);
            ck_assert_ptr_ne(tcg_find_tb(ctx, tb->pc, tb->flags), tb);
        } else {
            ck_assert_ptr_eq(tcg_find_tb(ctx, tb->pc, tb->flags), tb);
        }
        for (unsigned s = 0; s < tb->njmp; s++) {
            const struct tb_jmp *j = &tb->jmp[s];
            ck_assert_ptr_eq(j->src, tb);
            if (!j->dest)
                continue;
            ck_assert_msg(!tb->invalid, "invalid block 0x%" PRIx64 " still chained", tb->pc);
            ck_assert_msg(in_arena(ctx, j->dest), "chained to a block not in the cache");
            ck_assert(!j->dest->invalid);
            ck_assert_uint_eq(j->dest->pc, j->dest_pc);
            const struct tb_jmp *k = j->dest->in_first;
            while (k && k != j)
                k = k->in_next;
            ck_assert_msg(k == j, "jump 0x%" PRIx64 "/%u missing from its dest's list", tb->pc, s);
        }
        for (const struct tb_jmp *k = tb->in_first; k; k = k->in_next) {
            ck_assert_ptr_eq(k->dest, tb);
            ck_assert_msg(in_arena(ctx, k->src), "incoming jump from a block not in the cache");
            ck_assert(!k->src->invalid);
        }
    }
    for (unsigned i = 0; cpu && i < JC_SIZE; i++) {
        const struct jc_entry *e = &cpu->jmp_cache[i];
        if (!e->tb) {
            ck_assert_uint_eq(e->pc, JC_EMPTY_PC);
            /* no probe matches an empty entry, not even one for pc ~0 */
            ck_assert_uint_eq(e->flags, JC_EMPTY_FLAGS);
            continue;
        }
        ck_assert_msg(in_arena(ctx, e->tb) && !e->tb->invalid, "stale jump-cache entry");
        ck_assert_uint_eq(e->pc, e->tb->pc);
        ck_assert_uint_eq(e->flags, e->tb->flags);
        ck_assert_ptr_eq(e->host, e->tb->code);
        ck_assert_uint_eq(jc_hash(e->pc), i);
    }
}

/* ---- lookup ------------------------------------------------------------------- */

START_TEST(lookup_same_pc_different_flags_gives_different_blocks)
{
    const struct lin_insn code[] = {{LIN_ADD, 5}, {LIN_HALT, 0}};
    lin_prog(0x1000, code, 2);
    lin_start(_i);
    struct tb *t0 = tcg_lookup(&C, &CPU.head, 0x1000, 0);
    struct tb *t1 = tcg_lookup(&C, &CPU.head, 0x1000, 1);
    ck_assert_ptr_nonnull(t0);
    ck_assert_ptr_nonnull(t1);
    ck_assert_ptr_ne(t0, t1);
    ck_assert_uint_eq(t0->flags, 0);
    ck_assert_uint_eq(t1->flags, 1);
    ck_assert_ptr_eq(tcg_lookup(&C, &CPU.head, 0x1000, 0), t0);
    ck_assert_ptr_eq(tcg_find_tb(&C, 0x1000, 1), t1);
    ck_assert_uint_eq(C.stats.blocks, 2);

    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 5);
    ck_assert_uint_eq(lin_run(1), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 10);
    ck_assert_uint_eq(C.stats.blocks, 2);
    lin_stop();
}
END_TEST

START_TEST(lookup_hash_grows_and_every_block_is_found_again)
{
    lin_prog_adds(0x10000, 5000); /* 5001 blocks: the hash table grows */
    struct tcg_config c;
    tcg_config_default(&c);
    c.max_insns = 1; /* -one-insn-per-tb */
    lin_start_cfg(_i, &c);
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 5000);
    ck_assert_uint_eq(C.stats.blocks, 5001);
    ck_assert_uint_ge(C.hash_size, C.hash_count); /* grew past its initial 4096 buckets */
    unsigned translations = P.translations;
    for (size_t i = 0; i < tcg_tb_count(&C); i++)
        ck_assert_uint_eq(tcg_tb_at(&C, i)->guest_insns, 1);
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 5000);
    ck_assert_uint_eq(P.translations, translations);
    for (unsigned i = 0; i <= 5000; i++)
        ck_assert_ptr_nonnull(tcg_find_tb(&C, 0x10000 + 4ull * i, 0));
    lin_stop();
}
END_TEST

START_TEST(lookup_unmapped_pc_reports_translate_error)
{
    const struct lin_insn code[] = {{LIN_ADD, 1}, {LIN_ADD, 2}}; /* runs off the end */
    lin_prog(0x4000, code, 2);
    lin_start(_i);
    CPU.head.pc = 0x4000;
    unsigned r = tcg_exec(&C, &CPU.head);
    ck_assert_uint_eq(r, TCG_EXIT_ERROR);
    ck_assert_int_eq(tcg_error(&C), -EFAULT);
    ck_assert_uint_eq(CPU.head.pc, 0x4008);
    ck_assert_msg(strstr(tcg_errmsg(&C), "0x4008"), "message names the pc: %s", tcg_errmsg(&C));
    ck_assert_uint_eq(CPU.acc, 3);
    ck_assert_ptr_null(tcg_lookup(&C, &CPU.head, 0x9000, 0));
    ck_assert_int_eq(tcg_error(&C), -EFAULT);
    lin_stop();
}
END_TEST

/* ---- chaining and the jump cache --------------------------------------------------- */

static const struct lin_insn loop_code[] = {{LIN_ADD, 1}, {LIN_LOOP, 0x1000}, {LIN_HALT, 0}};

START_TEST(chain_loop_second_run_makes_no_chain_exits)
{
    lin_prog(0x1000, loop_code, 3);
    P.limit = 1000;
    lin_start(_i);
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 1000);
    uint64_t chain_exits = C.stats.exits[IR_EXIT_chain];
    ck_assert_uint_eq(chain_exits, 2); /* self loop, then loop -> halt */
    ck_assert_uint_eq(C.stats.chains, 2);
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 1000);
    ck_assert_uint_eq(C.stats.exits[IR_EXIT_chain], chain_exits);
    ck_assert_uint_eq(C.stats.chains, 2);
    lin_stop();
}
END_TEST

START_TEST(chain_two_block_loop_one_insn_per_tb)
{
    lin_prog(0x1000, loop_code, 3);
    P.limit = 500;
    struct tcg_config c;
    tcg_config_default(&c);
    c.max_insns = 1;
    lin_start_cfg(_i, &c);
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 500);
    ck_assert_uint_eq(C.stats.chains, 3); /* add->loop, loop->add, loop->halt */
    struct tb *add = tcg_find_tb(&C, 0x1000, 0), *loop = tcg_find_tb(&C, 0x1004, 0);
    ck_assert_ptr_eq(add->jmp[0].dest, loop);
    ck_assert_ptr_eq(loop->jmp[0].dest, add);
    uint64_t chain_exits = C.stats.exits[IR_EXIT_chain];
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(C.stats.exits[IR_EXIT_chain], chain_exits);
    lin_stop();
}
END_TEST

START_TEST(chain_disabled_every_direct_jump_exits)
{
    lin_prog(0x1000, loop_code, 3);
    P.limit = 100;
    struct tcg_config c;
    tcg_config_default(&c);
    c.no_chain = true;
    lin_start_cfg(_i, &c);
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 100);
    ck_assert_uint_eq(C.stats.exits[IR_EXIT_chain], 100);
    ck_assert_uint_eq(C.stats.chains, 0);
    lin_stop();
}
END_TEST

START_TEST(chain_exec_log_logs_every_block_and_never_chains)
{
    lin_prog(0x1000, loop_code, 3);
    P.limit = 20;
    lin_start(_i);
    FILE *log = tmpfile();
    ck_assert_ptr_nonnull(log);
    unsigned old_mask = log_mask;
    FILE *old_file = log_file;
    log_mask = 1u << LOG_exec;
    log_file = log;
    unsigned r = lin_run(0);
    log_mask = old_mask;
    log_file = old_file;
    ck_assert_uint_eq(r, IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 20);
    ck_assert_uint_eq(C.stats.chains, 0);
    rewind(log);
    char line[256];
    unsigned traces = 0;
    while (fgets(line, sizeof(line), log))
        traces += strncmp(line, "Trace: pc=0x1000", 16) == 0;
    fclose(log);
    ck_assert_uint_eq(traces, 20);
    lin_stop();
}
END_TEST

START_TEST(goto_ptr_hits_jump_cache_after_first_miss)
{
    const struct lin_insn code[] = {
        {LIN_ADD, 1}, {LIN_JMP_PTR, 0x2008}, {LIN_LOOP, 0x2000}, {LIN_HALT, 0}};
    lin_prog(0x2000, code, 4);
    P.limit = 300;
    lin_start(_i);
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 300);
    ck_assert_uint_eq(C.stats.exits[IR_EXIT_lookup], 1);
    struct jc_entry *e = &CPU.head.jmp_cache[jc_hash(0x2008)];
    ck_assert_uint_eq(e->pc, 0x2008);
    ck_assert_ptr_eq(e->tb, tcg_find_tb(&C, 0x2008, 0));
    ck_assert_ptr_eq(e->host, e->tb->code);
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(C.stats.exits[IR_EXIT_lookup], 1);
    lin_stop();
}
END_TEST

/* ---- exits --------------------------------------------------------------------------- */

START_TEST(exit_reason_is_returned_with_resume_pc)
{
    const struct lin_insn code[] = {{LIN_ADD, 1}, {LIN_SYSCALL, 0}, {LIN_ADD, 2}, {LIN_HALT, 0}};
    lin_prog(0x1000, code, 4);
    lin_start(_i);
    ck_assert_uint_eq(lin_run(0), IR_EXIT_syscall);
    ck_assert_uint_eq(CPU.head.pc, 0x1008);
    ck_assert_uint_eq(CPU.acc, 1);
    ck_assert_uint_eq(tcg_exec(&C, &CPU.head), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.head.pc, 0x1010);
    ck_assert_uint_eq(CPU.acc, 3);
    lin_stop();
}
END_TEST

START_TEST(exit_request_set_before_exec_runs_nothing)
{
    lin_prog_adds(0x1000, 3);
    lin_start(_i);
    CPU.head.pc = 0x1000;
    CPU.head.exit_request = 1;
    ck_assert_uint_eq(tcg_exec(&C, &CPU.head), IR_EXIT_request);
    ck_assert_int_eq(CPU.head.exit_request, 0);
    ck_assert_uint_eq(CPU.head.pc, 0x1000);
    ck_assert_uint_eq(CPU.acc, 0);
    ck_assert_uint_eq(tcg_exec(&C, &CPU.head), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 3);
    lin_stop();
}
END_TEST

START_TEST(exit_request_from_helper_stops_at_next_block)
{
    const struct lin_insn code[] = {{LIN_ADD, 1}, {LIN_REQUEST, 0}, {LIN_ADD, 10}, {LIN_HALT, 0}};
    lin_prog(0x1000, code, 4);
    struct tcg_config c;
    tcg_config_default(&c);
    c.max_insns = 2; /* {add, request} {add, halt} */
    lin_start_cfg(_i, &c);
    for (int run = 0; run < 2; run++) { /* unchained, then chained */
        ck_assert_uint_eq(lin_run(0), IR_EXIT_request);
        ck_assert_uint_eq(CPU.head.pc, 0x1008);
        ck_assert_uint_eq(CPU.acc, 1);
        ck_assert_int_eq(CPU.head.exit_request, 0);
        ck_assert_uint_eq(tcg_exec(&C, &CPU.head), IR_EXIT_halt);
        ck_assert_uint_eq(CPU.acc, 11);
    }
    ck_assert_uint_eq(C.stats.chains, 1);
    lin_stop();
}
END_TEST

/* ---- invalidation ----------------------------------------------------------------------- */

START_TEST(invalidate_chained_block_unlinks_and_new_code_runs)
{
    lin_prog(0x1000, loop_code, 3);
    P.limit = 1000;
    struct tcg_config c;
    tcg_config_default(&c);
    c.max_insns = 1;
    lin_start_cfg(_i, &c);
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 1000);
    struct tb *add = tcg_find_tb(&C, 0x1000, 0), *loop = tcg_find_tb(&C, 0x1004, 0);
    ck_assert_ptr_nonnull(add->in_first);
    ck_assert_ptr_eq(loop->jmp[0].dest, add);

    P.insns[0].arg = 3; /* the guest rewrites its loop body */
    ck_assert_uint_eq(tcg_invalidate_range(&C, 0x1000, 0x1004), 1);
    ck_assert(add->invalid);
    ck_assert_ptr_null(add->in_first);
    ck_assert_ptr_null(loop->jmp[0].dest);
    ck_assert_ptr_null(loop->in_first); /* add's outgoing jump left loop's list */
    ck_assert_ptr_null(tcg_find_tb(&C, 0x1000, 0));
    ck_assert_ptr_ne(CPU.head.jmp_cache[jc_hash(0x1000)].tb, add);

    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 1002);
    struct tb *add2 = tcg_find_tb(&C, 0x1000, 0);
    ck_assert_ptr_nonnull(add2);
    ck_assert_ptr_ne(add2, add);
    ck_assert_ptr_eq(loop->jmp[0].dest, add2);
    lin_stop();
}
END_TEST

START_TEST(invalidate_range_covers_block_spanning_pages)
{
    lin_prog_adds(0x1ff0, 12); /* one block: 0x1ff0 .. 0x2024 */
    lin_start(_i);
    struct tb *tb = tcg_lookup(&C, &CPU.head, 0x1ff0, 0);
    ck_assert_ptr_nonnull(tb);
    ck_assert_uint_eq(tb->guest_size, 13 * 4);
    ck_assert_uint_eq(tcg_invalidate_range(&C, 0x1000, 0x1ff0), 0);
    ck_assert_uint_eq(tcg_invalidate_range(&C, 0x2024, 0x3000), 0);
    ck_assert_uint_eq(tcg_invalidate_range(&C, 0x3000, 0x5000), 0);
    ck_assert(!tb->invalid);
    ck_assert_uint_eq(tcg_invalidate_range(&C, 0x2010, 0x2014), 1);
    ck_assert(tb->invalid);
    struct tb *again = tcg_lookup(&C, &CPU.head, 0x1ff0, 0);
    ck_assert_ptr_nonnull(again);
    ck_assert_ptr_ne(again, tb);
    ck_assert(!again->invalid);
    ck_assert_uint_eq(tcg_invalidate_range(&C, 0x1000, 0x1ff4), 1); /* first page only */
    ck_assert(again->invalid);
    lin_stop();
}
END_TEST

START_TEST(invalidate_clears_every_cpu_jump_cache)
{
    lin_prog_adds(0x1000, 2);
    lin_start(_i);
    struct lin_cpu cpu2;
    memset(&cpu2, 0, sizeof(cpu2));
    ck_assert_int_eq(tcg_cpu_init(&C, &cpu2.head), 0);
    struct tb *tb = tcg_lookup(&C, &CPU.head, 0x1000, 0);
    ck_assert_ptr_eq(tcg_lookup(&C, &cpu2.head, 0x1000, 0), tb);
    uint32_t h = jc_hash(0x1000);
    ck_assert_ptr_eq(CPU.head.jmp_cache[h].tb, tb);
    ck_assert_ptr_eq(cpu2.head.jmp_cache[h].tb, tb);
    tcg_invalidate_tb(&C, tb);
    ck_assert_ptr_null(CPU.head.jmp_cache[h].tb);
    ck_assert_ptr_null(cpu2.head.jmp_cache[h].tb);
    ck_assert_uint_eq(CPU.head.jmp_cache[h].pc, JC_EMPTY_PC);
    ck_assert_uint_eq(CPU.head.jmp_cache[h].flags, JC_EMPTY_FLAGS);
    struct tb *tb2 = tcg_lookup(&C, &cpu2.head, 0x1000, 0);
    ck_assert_ptr_ne(tb2, tb);
    ck_assert(!tb2->invalid);
    cpu2.head.pc = 0x1000;
    ck_assert_uint_eq(tcg_exec(&C, &cpu2.head), IR_EXIT_halt);
    ck_assert_uint_eq(cpu2.acc, 2);
    tcg_cpu_fini(&C, &cpu2.head);
    lin_stop();
}
END_TEST

START_TEST(invalidate_exit_resumes_with_new_code)
{
    const struct lin_insn code[] = {{LIN_ADD, 1}, {LIN_SMC, 0}, {LIN_ADD, 10}, {LIN_HALT, 0}};
    lin_prog(0x1000, code, 4);
    lin_start(_i);
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 11);
    P.smc_enabled = true;
    P.smc_idx = 2;
    P.smc_value = 100;
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 101);
    ck_assert_uint_eq(C.stats.invalidations, 1);
    ck_assert_uint_eq(C.stats.exits[IR_EXIT_invalidate], 2);
    lin_stop();
}
END_TEST

START_TEST(invalidated_running_block_is_not_chained)
{
    const struct lin_insn code[] = {{LIN_ADD, 1}, {LIN_INVAL, 0x1000}, {LIN_ADD, 1}, {LIN_HALT, 0}};
    lin_prog(0x1000, code, 4);
    struct tcg_config c;
    tcg_config_default(&c);
    c.max_insns = 2; /* {add, invalidate myself} {add, halt} */
    lin_start_cfg(_i, &c);
    for (int run = 0; run < 2; run++) {
        ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
        ck_assert_uint_eq(CPU.acc, 2);
    }
    ck_assert_uint_eq(C.stats.invalidations, 2);
    ck_assert_uint_eq(C.stats.chains, 0);
    ck_assert_uint_eq(C.stats.blocks, 3);
    lin_stop();
}
END_TEST

/* ---- code buffer ---------------------------------------------------------------------- */

START_TEST(flush_when_full_keeps_results_right)
{
    lin_prog_adds(0x1000, 2000);
    struct tcg_config c;
    tcg_config_default(&c);
    c.code_size = 16384;
    c.max_insns = 1;
    lin_start_cfg(_i, &c);
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 2000);
    ck_assert_uint_gt(C.stats.flushes, 0);
    ck_assert_uint_le(C.cb.used, C.cb.size);
    uint64_t flushes = C.stats.flushes;
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 2000);
    ck_assert_uint_gt(C.stats.flushes, flushes);
    lin_stop();
}
END_TEST

START_TEST(flush_forgets_every_block_and_jump_cache_entry)
{
    lin_prog(0x1000, loop_code, 3);
    P.limit = 10;
    lin_start(_i);
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_gt(tcg_tb_count(&C), 0);
    tcg_flush(&C);
    ck_assert_uint_eq(C.stats.flushes, 1);
    ck_assert_uint_eq(tcg_tb_count(&C), 0);
    ck_assert_uint_eq(C.cb.used, C.cb.reserved);
    ck_assert_ptr_null(tcg_find_tb(&C, 0x1000, 0));
    for (unsigned i = 0; i < JC_SIZE; i++) {
        ck_assert_ptr_null(CPU.head.jmp_cache[i].tb);
        ck_assert_uint_eq(CPU.head.jmp_cache[i].pc, JC_EMPTY_PC);
    }
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 10);
    lin_stop();
}
END_TEST

START_TEST(flush_then_error_when_block_never_fits)
{
    lin_prog_adds(0x1000, 4000);
    struct tcg_config c;
    tcg_config_default(&c);
    c.code_size = 16384;
    c.max_insns = 4096;
    c.opt_mask = 0;
    lin_start_cfg(0, &c); /* fake backend: BACKEND_FULL, never TOO_BIG */
    CPU.head.pc = 0x1000;
    ck_assert_uint_eq(tcg_exec(&C, &CPU.head), TCG_EXIT_ERROR);
    ck_assert_int_eq(tcg_error(&C), -ENOSPC);
    ck_assert_msg(strstr(tcg_errmsg(&C), "does not fit"), "%s", tcg_errmsg(&C));
    ck_assert_uint_eq(C.stats.flushes, 1);
    lin_stop();
}
END_TEST

START_TEST(too_big_block_is_retranslated_smaller)
{
    lin_prog_adds(0x1000, 100);
    fake_stats.max_ops = 40;
    lin_start(0);
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    fake_stats.max_ops = 0;
    ck_assert_uint_eq(CPU.acc, 100);
    ck_assert_uint_gt(C.stats.retranslations, 0);
    for (size_t i = 0; i < tcg_tb_count(&C); i++) {
        ck_assert_uint_le(tcg_tb_at(&C, i)->ir_ops, 40);
        ck_assert_uint_lt(tcg_tb_at(&C, i)->guest_insns, 101);
    }
    lin_stop();
}
END_TEST

START_TEST(code_buffer_is_never_writable_and_executable)
{
    const struct lin_insn code[] = {{LIN_MAPS, 0}, {LIN_HALT, 0}};
    lin_prog(0x1000, code, 2);
    lin_start(_i);
    test_maps_rx = test_maps_rw = -1;
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    ck_assert_uint_eq(CPU.acc, 0); /* no mapping was w and x while the block ran */
    ck_assert_int_eq(test_maps_rx, 1);
    ck_assert_int_eq(test_maps_rw, 1);
    lin_stop();
}
END_TEST

START_TEST(find_tb_by_host_pc_maps_code_to_blocks)
{
    const struct lin_insn pre[] = {{LIN_ADD, 1}, {LIN_ADD, 1}, {LIN_HOSTPC, 0}, {LIN_HALT, 0}};
    lin_prog(0x1000, pre, 4);
    struct tcg_config c;
    tcg_config_default(&c);
    c.max_insns = 3; /* {add, add, hostpc} {halt} */
    lin_start_cfg(_i, &c);
    test_last_ra = NULL;
    ck_assert_uint_eq(lin_run(0), IR_EXIT_halt);
    struct tb *caller = tcg_find_tb(&C, 0x1000, 0);
    struct tb *found = tcg_find_tb_by_host_pc(&C, test_last_ra);
    if (test_is_jit(_i)) {
        ck_assert_ptr_eq(found, caller);
        ck_assert_uint_eq(tb_guest_pc(found, test_last_ra), 0x1008);
    } else {
        ck_assert_ptr_null(found); /* helpers are called from the interpreter */
    }
    ck_assert_ptr_null(tcg_find_tb_by_host_pc(&C, NULL));
    ck_assert_ptr_null(tcg_find_tb_by_host_pc(&C, C.cb.rx + C.cb.used));
    ck_assert_ptr_null(tcg_find_tb_by_host_pc(&C, C.cb.rx + C.cb.size - 1));

    lin_prog_adds(0x8000, 60);
    tcg_flush(&C);
    CPU.head.pc = 0x8000;
    ck_assert_uint_eq(tcg_exec(&C, &CPU.head), IR_EXIT_halt);
    ck_assert_uint_gt(tcg_tb_count(&C), 20);
    for (size_t i = 0; i < tcg_tb_count(&C); i++) {
        struct tb *tb = tcg_tb_at(&C, i);
        ck_assert_ptr_eq(tcg_find_tb_by_host_pc(&C, tb->code), tb);
        ck_assert_ptr_eq(tcg_find_tb_by_host_pc(&C, tb->code + tb->code_size - 1), tb);
        ck_assert_ptr_ne(tcg_find_tb_by_host_pc(&C, tb->code + tb->code_size), tb);
        ck_assert_uint_eq(tb_guest_pc(tb, tb->code), tb->pc);
    }
    if (C.cb.reserved)
        ck_assert_ptr_null(tcg_find_tb_by_host_pc(&C, C.cb.rx));
    lin_stop();
}
END_TEST

void add_cache_tests(Suite *s)
{
    TCase *tc = tcase_create("lookup");
    tcase_add_loop_test(tc, lookup_same_pc_different_flags_gives_different_blocks, 0,
                        test_nbackends);
    tcase_add_loop_test(tc, lookup_hash_grows_and_every_block_is_found_again, 0, test_nbackends);
    tcase_add_loop_test(tc, lookup_unmapped_pc_reports_translate_error, 0, test_nbackends);
    suite_add_tcase(s, tc);

    tc = tcase_create("chain");
    tcase_add_loop_test(tc, chain_loop_second_run_makes_no_chain_exits, 0, test_nbackends);
    tcase_add_loop_test(tc, chain_two_block_loop_one_insn_per_tb, 0, test_nbackends);
    tcase_add_loop_test(tc, chain_disabled_every_direct_jump_exits, 0, test_nbackends);
    tcase_add_loop_test(tc, chain_exec_log_logs_every_block_and_never_chains, 0, test_nbackends);
    tcase_add_loop_test(tc, goto_ptr_hits_jump_cache_after_first_miss, 0, test_nbackends);
    suite_add_tcase(s, tc);

    tc = tcase_create("exit");
    tcase_add_loop_test(tc, exit_reason_is_returned_with_resume_pc, 0, test_nbackends);
    tcase_add_loop_test(tc, exit_request_set_before_exec_runs_nothing, 0, test_nbackends);
    tcase_add_loop_test(tc, exit_request_from_helper_stops_at_next_block, 0, test_nbackends);
    suite_add_tcase(s, tc);

    tc = tcase_create("invalidate");
    tcase_add_loop_test(tc, invalidate_chained_block_unlinks_and_new_code_runs, 0, test_nbackends);
    tcase_add_loop_test(tc, invalidate_range_covers_block_spanning_pages, 0, test_nbackends);
    tcase_add_loop_test(tc, invalidate_clears_every_cpu_jump_cache, 0, test_nbackends);
    tcase_add_loop_test(tc, invalidate_exit_resumes_with_new_code, 0, test_nbackends);
    tcase_add_loop_test(tc, invalidated_running_block_is_not_chained, 0, test_nbackends);
    suite_add_tcase(s, tc);

    tc = tcase_create("codebuf");
    tcase_add_loop_test(tc, flush_when_full_keeps_results_right, 0, test_nbackends);
    tcase_add_loop_test(tc, flush_forgets_every_block_and_jump_cache_entry, 0, test_nbackends);
    tcase_add_test(tc, flush_then_error_when_block_never_fits);
    tcase_add_test(tc, too_big_block_is_retranslated_smaller);
    tcase_add_loop_test(tc, code_buffer_is_never_writable_and_executable, 0, test_nbackends);
    tcase_add_loop_test(tc, find_tb_by_host_pc_maps_code_to_blocks, 0, test_nbackends);
    suite_add_tcase(s, tc);
}
