/* Unit tests of the engine table (accel/vm): engine lookup and probe reasons,
 * exit counting, the --accel=auto decision from injected calibration numbers,
 * the calibration guest on each usable engine, ferry bench's engine list. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel/vm/vm_auto.h"
#include "accel/vm/vm_bench.h"
#include "accel/vm/vm_engine.h"
#include "accel/vm/vm_run.h"
#include "machine/pc.h"

/* ---- the table ---------------------------------------------------------------- */

START_TEST(lookup_kvm_is_the_kvm_engine)
{
    char why[256] = "x";
    const struct vm_engine *e = vm_engine_lookup(VM_ACCEL_KVM, why, sizeof(why));
    ck_assert_ptr_eq(e, &vm_engine_kvm);
    ck_assert_str_eq(e->name, "kvm");
    ck_assert_str_eq(why, "");
}
END_TEST

START_TEST(lookup_tcg_is_built_or_says_why)
{
    char why[256] = "";
    const struct vm_engine *e = vm_engine_lookup(VM_ACCEL_TCG, why, sizeof(why));
#ifdef FERRY_HAVE_VM_TCG
    ck_assert_ptr_eq(e, &vm_engine_tcg);
    ck_assert_str_eq(e->name, "tcg");
#else
    ck_assert_ptr_null(e);
    ck_assert_ptr_nonnull(strstr(why, "is not built yet"));
#endif
}
END_TEST

START_TEST(lookup_auto_is_not_an_engine)
{
    char why[256] = "";
    ck_assert_ptr_null(vm_engine_lookup(VM_ACCEL_AUTO, why, sizeof(why)));
    ck_assert_ptr_nonnull(strstr(why, "no engine called auto"));
}
END_TEST

START_TEST(kvm_probe_missing_device_says_enoent_reason)
{
    struct vm_engine_options o = {.kvm_dev = "/nonexistent-ferry-vm/kvm"};
    char why[512] = "";
    ck_assert_int_eq(vm_engine_kvm.probe(&o, why, sizeof(why)), -1);
    ck_assert_ptr_nonnull(strstr(why, "no /nonexistent-ferry-vm/kvm: the kernel has no KVM"));
}
END_TEST

START_TEST(kvm_probe_device_from_environment)
{
    setenv("FERRY_KVM_DEV", "/nonexistent-ferry-env/kvm", 1);
    struct vm_engine_options o = {0};
    char why[512] = "";
    int r = vm_engine_kvm.probe(&o, why, sizeof(why));
    unsetenv("FERRY_KVM_DEV");
    ck_assert_int_eq(r, -1);
    ck_assert_ptr_nonnull(strstr(why, "/nonexistent-ferry-env/kvm"));
}
END_TEST

START_TEST(kvm_probe_not_a_kvm_device_has_its_own_reason)
{
    struct vm_engine_options o = {.kvm_dev = "/dev/null"};
    char why[512] = "";
    ck_assert_int_eq(vm_engine_kvm.probe(&o, why, sizeof(why)), -1);
    ck_assert_ptr_null(strstr(why, "the kernel has no KVM"));
    ck_assert_ptr_nonnull(strstr(why, "/dev/null"));
}
END_TEST

START_TEST(usable_without_device_is_null_with_reason)
{
    struct vm_engine_options o = {.kvm_dev = "/nonexistent-ferry-vm/kvm"};
    char why[512] = "";
    ck_assert_ptr_null(vm_engine_usable(VM_ACCEL_KVM, &o, why, sizeof(why)));
    ck_assert_ptr_nonnull(strstr(why, "no /nonexistent-ferry-vm/kvm"));
}
END_TEST

START_TEST(kvm_run_without_device_fails_setup_and_leaves_machine)
{
    struct pc_machine pc;
    char err[512];
    struct pc_config cfg = {.ram_size = PC_RAM_MIN, .serial = "none"};
    ck_assert_int_eq(pc_init(&pc, &cfg, err, sizeof(err)), 0);
    struct x86_boot_state st;
    memset(&st, 0, sizeof(st));
    struct vm_engine_options o = {.kvm_dev = "/nonexistent-ferry-vm/kvm"};
    struct vm_engine_stats stats;
    ck_assert_int_eq(vm_engine_kvm.run(&pc, &st, &o, &stats, err, sizeof(err)), -1);
    ck_assert(machine_running(&pc.status));
    ck_assert_ptr_nonnull(strstr(err, "no /nonexistent-ferry-vm/kvm"));
    pc_destroy(&pc);
}
END_TEST

/* ---- exit counting ------------------------------------------------------------------ */

START_TEST(count_exit_adds_by_name)
{
    struct vm_engine_stats s;
    memset(&s, 0, sizeof(s));
    vm_stats_count_exit(&s, "io", 2);
    vm_stats_count_exit(&s, "hlt", 1);
    vm_stats_count_exit(&s, "io", 3);
    ck_assert_uint_eq(s.nexit_kinds, 2);
    ck_assert_str_eq(s.exit_kind[0].name, "io");
    ck_assert_uint_eq(s.exit_kind[0].count, 5);
    ck_assert_str_eq(s.exit_kind[1].name, "hlt");
    ck_assert_uint_eq(s.exit_kind[1].count, 1);
}
END_TEST

START_TEST(count_exit_overflow_goes_to_other)
{
    static const char *const names[] = {"k00", "k01", "k02", "k03", "k04", "k05", "k06", "k07",
                                        "k08", "k09", "k10", "k11", "k12", "k13", "k14", "k15",
                                        "k16", "k17", "k18", "k19", "k20", "k21", "k22", "k23",
                                        "k24", "k25"};
    _Static_assert(sizeof(names) / sizeof(names[0]) > VM_ENGINE_MAX_EXIT_KINDS, "overflow");
    struct vm_engine_stats s;
    memset(&s, 0, sizeof(s));
    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        vm_stats_count_exit(&s, names[i], 1);
    ck_assert_uint_eq(s.nexit_kinds, VM_ENGINE_MAX_EXIT_KINDS);
    ck_assert_str_eq(s.exit_kind[VM_ENGINE_MAX_EXIT_KINDS - 1].name, "other");
    ck_assert_uint_eq(s.exit_kind[VM_ENGINE_MAX_EXIT_KINDS - 1].count, 3);
}
END_TEST

/* ---- --accel=auto -------------------------------------------------------------------- */

struct auto_case {
    bool kvm_usable, tcg_usable;
    double kvm_ms, tcg_ms;
    unsigned ring;
    bool software;
    enum vm_accel expected;
    const char *why;
};

static const struct auto_case auto_cases[] = {
#include "auto_cases.inc"
};

START_TEST(auto_decides_from_facts)
{
    const struct auto_case *c = &auto_cases[_i];
    struct vm_auto_facts f = {
        .ring = c->ring,
        .kvm_usable = c->kvm_usable,
        .tcg_usable = c->tcg_usable,
        .kvm_software = c->software,
        .kvm_ms = c->kvm_ms,
        .tcg_ms = c->tcg_ms,
    };
    snprintf(f.kvm_why, sizeof(f.kvm_why), "kvm-why");
    snprintf(f.tcg_why, sizeof(f.tcg_why), "tcg-why");
    snprintf(f.cal_why, sizeof(f.cal_why), "cal-why");
    char why[1024] = "";
    enum vm_accel a = vm_auto_decide(&f, why, sizeof(why));
    ck_assert_msg(a == c->expected, "case %d: chose %s, expected %s (%s)", _i, vm_accel_name(a),
                  vm_accel_name(c->expected), why);
    ck_assert_msg(strstr(why, c->why), "case %d: '%s' lacks '%s'", _i, why, c->why);
}
END_TEST

/* The calibration image loads with the pc machine's ELF64 loader at both
 * rings, entry right after the headers, the loop count patched in. */
START_TEST(calibration_image_loads_at_both_rings)
{
    uint8_t image[256];
    size_t size = vm_auto_calibration_image(image, sizeof(image), 1234);
    ck_assert_uint_gt(size, 64);
    ck_assert_uint_eq(vm_auto_calibration_image(image, 16, 1234), 0);
    for (unsigned ring = 0; ring <= 3; ring += 3) {
        struct pc_machine pc;
        char err[512];
        struct pc_config cfg = {.ram_size = PC_RAM_MIN, .serial = "none"};
        ck_assert_int_eq(pc_init(&pc, &cfg, err, sizeof(err)), 0);
        struct pc_boot_options bo = {.entry_ring = ring};
        struct x86_boot_state st;
        ck_assert_msg(pc_load_image(&pc, image, size, "cal", &bo, &st, err, sizeof(err)) == 0,
                      "%s", err);
        ck_assert_uint_eq(st.cpl, ring);
        ck_assert(st.long_mode);
        ck_assert_uint_eq(st.rip, 0x100000 + 64 + 56);
        const uint8_t *code = (const uint8_t *)pc.ram + st.rip;
        ck_assert_uint_eq(code[0], 0xb0); /* mov al, 1 */
        ck_assert_uint_eq(code[3], 0xe0); /* out 0xe0, al */
        uint32_t n;
        memcpy(&n, code + 5, 4);          /* mov ecx, imm32 */
        ck_assert_uint_eq(code[4], 0xb9);
        ck_assert_uint_eq(n, 1234);
        pc_destroy(&pc);
    }
}
END_TEST

/* The calibration guest on every engine usable here: two markers, a time. */
START_TEST(calibration_runs_on_usable_engines)
{
    struct vm_engine_options o = {.error_status = VM_STATUS_VCPU_ERROR};
    unsigned ran = 0;
    for (enum vm_accel a = VM_ACCEL_KVM; a <= VM_ACCEL_TCG; a++) {
        char why[512];
        const struct vm_engine *e = vm_engine_usable(a, &o, why, sizeof(why));
        if (!e) {
            printf("calibration: %s not usable here: %s\n", vm_accel_name(a), why);
            continue;
        }
        for (unsigned ring = 0; ring <= 3; ring += 3) {
            double ms = -1;
            char err[512] = "";
            int r = vm_auto_calibrate(e, &o, ring, &ms, err, sizeof(err));
            ck_assert_msg(r == 0, "%s CPL%u: %s", e->name, ring, err);
            ck_assert(ms > 0 && ms < 10000);
            printf("calibration: %s at CPL%u: %.3f ms\n", e->name, ring, ms);
            ran++;
        }
    }
    if (!ran)
        printf("calibration: no engine usable here; nothing run\n");
}
END_TEST

START_TEST(auto_choose_without_kvm_device)
{
    struct vm_engine_options o = {.kvm_dev = "/nonexistent-ferry-vm/kvm"};
    char why[1024] = "";
    enum vm_accel a = vm_auto_choose(&o, 0, why, sizeof(why));
    ck_assert_ptr_nonnull(strstr(why, "no /nonexistent-ferry-vm/kvm"));
    if (vm_engine_lookup(VM_ACCEL_TCG, NULL, 0))
        ck_assert_int_eq(a, VM_ACCEL_TCG);
    else
        ck_assert_int_eq(a, VM_ACCEL_AUTO);
}
END_TEST

/* ---- ferry bench's engine list ------------------------------------------------------ */

START_TEST(bench_engines_parse)
{
    bool sel[VM_BENCH_NENGINES];
    char err[128];
    ck_assert_int_eq(vm_bench_parse_engines("kvm,tcg-interp", sel, err, sizeof(err)), 0);
    ck_assert(sel[VM_BENCH_KVM] && !sel[VM_BENCH_TCG_JIT] && sel[VM_BENCH_TCG_INTERP]);
    ck_assert_int_eq(vm_bench_parse_engines("tcg", sel, err, sizeof(err)), 0);
    ck_assert(!sel[VM_BENCH_KVM] && sel[VM_BENCH_TCG_JIT] && sel[VM_BENCH_TCG_INTERP]);
    ck_assert_int_eq(vm_bench_parse_engines("all", sel, err, sizeof(err)), 0);
    ck_assert(sel[VM_BENCH_KVM] && sel[VM_BENCH_TCG_JIT] && sel[VM_BENCH_TCG_INTERP]);
}
END_TEST

START_TEST(bench_engines_unknown_is_an_error)
{
    bool sel[VM_BENCH_NENGINES];
    char err[128] = "";
    ck_assert_int_eq(vm_bench_parse_engines("kvm,xen", sel, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "unknown engine 'xen'"));
    ck_assert_int_eq(vm_bench_parse_engines("", sel, err, sizeof(err)), -1);
}
END_TEST

static Suite *vm_suite(void)
{
    Suite *s = suite_create("vm");
    TCase *t = tcase_create("table");
    tcase_add_test(t, lookup_kvm_is_the_kvm_engine);
    tcase_add_test(t, lookup_tcg_is_built_or_says_why);
    tcase_add_test(t, lookup_auto_is_not_an_engine);
    tcase_add_test(t, kvm_probe_missing_device_says_enoent_reason);
    tcase_add_test(t, kvm_probe_device_from_environment);
    tcase_add_test(t, kvm_probe_not_a_kvm_device_has_its_own_reason);
    tcase_add_test(t, usable_without_device_is_null_with_reason);
    tcase_add_test(t, kvm_run_without_device_fails_setup_and_leaves_machine);
    suite_add_tcase(s, t);
    t = tcase_create("stats");
    tcase_add_test(t, count_exit_adds_by_name);
    tcase_add_test(t, count_exit_overflow_goes_to_other);
    suite_add_tcase(s, t);
    t = tcase_create("auto");
    tcase_add_loop_test(t, auto_decides_from_facts, 0,
                        (int)(sizeof(auto_cases) / sizeof(auto_cases[0])));
    tcase_add_test(t, auto_choose_without_kvm_device);
    tcase_add_test(t, calibration_image_loads_at_both_rings);
    tcase_add_test(t, calibration_runs_on_usable_engines);
    suite_add_tcase(s, t);
    t = tcase_create("bench");
    tcase_add_test(t, bench_engines_parse);
    tcase_add_test(t, bench_engines_unknown_is_an_error);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *r = srunner_create(vm_suite());
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
