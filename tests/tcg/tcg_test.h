/* Shared pieces of the accel/tcg test suite: the backends every case runs on
 * (the test's fake backend, then every real backend of this host). */
#ifndef FERRY_TEST_TCG_H
#define FERRY_TEST_TCG_H

#include <check.h>

#include "accel/tcg/tcg.h"

struct test_backend {
    const char *name;
    const struct ferry_backend *ops;
};
#define TEST_MAX_BACKENDS 3
extern struct test_backend test_backends[TEST_MAX_BACKENDS];
extern int test_nbackends;

static inline bool test_is_jit(int i) { return test_backends[i].ops == backend_by_name("jit"); }

void add_cache_tests(Suite *s);
void add_irvm_tests(Suite *s);
int register_test_helpers(void);
/* Check every link of the cache: hash, chains both ways, jump cache of cpu. */
void assert_cache_consistent(struct tcg_ctx *ctx,
                             const struct cpu_head *cpu); /* -1 if a name is taken */

#endif
