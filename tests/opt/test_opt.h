/* Shared pieces of the test_opt suite (IR optimizer passes): the fixture
 * block with its globals, pass runners that verify the result and compare
 * it with the input on the test executor, and the tcase constructors. */
#ifndef FERRY_TESTS_TEST_OPT_H
#define FERRY_TESTS_TEST_OPT_H

#include <check.h>

#include "ir/ir.h"
#include "opt_vm.h"

/* The fixture: F with globals g0..g3 (i64 @0,8,16,24), w0/w1 (i32 @0x20,0x24),
 * nf (i32 @0x28), temps t64[0..3] (i64) and t32[0..3] (i32). */
extern struct ir_func F;
extern ir_ref G0, G1, G2, G3, W0, W1, NF;
extern ir_ref T64[4], T32[4];
extern const struct vm_helper_ids *HID;
void opt_fixture_setup(void);
void opt_fixture_teardown(void);

ir_ref c64(uint64_t v);
ir_ref c32(uint64_t v);

/* Run pass p (or ir_optimize with all passes if p == IR_PASS_COUNT) on F,
 * check that F still verifies and behaves as before on many start states.
 * Returns what the pass returned. */
int opt_run_checked(enum ir_pass p);
/* Equivalence of two blocks on the executor over `nseeds` start states;
 * returns false and fills why (with the seed) on a difference. */
bool opt_equivalent(const struct ir_func *a, const struct ir_func *b, unsigned nseeds, char *why,
                    size_t n);

unsigned opt_count_op(const struct ir_func *f, enum ir_op op);
/* The n-th insn (0-based) with op, or NULL. */
const struct ir_insn *opt_find(const struct ir_func *f, enum ir_op op, unsigned n);
/* F as text (static buffer), for failure messages. */
const char *opt_text(const struct ir_func *f);

TCase *opt_tcase_constfold(void);
TCase *opt_tcase_copyprop(void);
TCase *opt_tcase_simplify(void);
TCase *opt_tcase_stateelim(void);
TCase *opt_tcase_dce(void);
TCase *opt_tcase_optimize(void);
TCase *opt_tcase_random(void);
void opt_add_golden_tcases(Suite *s);

#endif
