/* Delta reduction of a failing differential-test program (see reduce.c). */
#ifndef FERRY_TESTS_REDUCE_H
#define FERRY_TESTS_REDUCE_H

#include <stdio.h>

#include "diffrun.h"

/* Shrink f while it still verifies and fails the same way under case cs (the
 * same run disagreeing with the reference, or the same crash stage).  Returns 0
 * with f reduced, or -1 if f does not fail to begin with.  Progress goes to log. */
int diff_reduce(struct diff_ctx *c, struct ir_func *f, const struct diff_case *cs, FILE *log);

#endif
