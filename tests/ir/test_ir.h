/* Shared pieces of the test_ir suite (tests/ir): the test helpers every case can
 * call, text capture of the printer, and the test-case constructors of each file. */
#ifndef FERRY_TEST_IR_H
#define FERRY_TEST_IR_H

#include <check.h>

#include "ir/ir.h"

/* Registered by test_ir_register_helpers() (main, before forking):
 *   test_add2(i64, i64) -> i64        test_mix32(i32, i64) -> i32
 *   test_void0()                      test_ret64() -> i64
 *   test_env(env, i64)  (IR_HF_ENV | reads/writes globals)
 *   test_six(i64 x 6) -> i64 */
void test_ir_register_helpers(void);

/* The printer's output for f / one insn, malloc'd. */
char *test_print_func(const struct ir_func *f);
char *test_print_insn(const struct ir_func *f, const struct ir_insn *in);

/* Whether b means the same as a (same globals, temps, insns; constants equal in
 * value, compared zero-extended in address slots).  If not, says why. */
bool test_funcs_equivalent(const struct ir_func *a, const struct ir_func *b, char *why, size_t n);

/* print -> parse -> print: checks the two texts are identical and the reparsed
 * func is equivalent to f. */
void test_roundtrip_func(const struct ir_func *f);

/* Read a file of tests/ir/data, malloc'd and NUL-terminated. */
char *test_read_data(const char *name);

/* The hand-written round-trip files in tests/ir/data. */
extern const char *const test_data_files[];
extern const unsigned test_ndata_files;

TCase *test_ir_builder_tcase(void);
TCase *test_ir_printer_tcase(void);
TCase *test_ir_roundtrip_tcase(void);
TCase *test_ir_parse_errors_tcase(void);
TCase *test_ir_verify_tcase(void);
TCase *test_ir_fuzz_tcase(void);
TCase *test_ir_scratch_tcase(void);

#endif
