/* Random valid IR blocks for the optimizer's differential test: every op
 * kind, constants chosen to hit the folding and simplification rules, forward
 * branches, one bounded loop, guest memory (sometimes faulting), CPU-state
 * accesses and helper calls, over the layout in opt_vm.h. */
#ifndef FERRY_TESTS_OPT_GEN_H
#define FERRY_TESTS_OPT_GEN_H

#include "opt_vm.h"

/* Build a block into f (initialised, empty) from seed. */
void gen_block(struct ir_func *f, uint64_t seed, const struct vm_helper_ids *h);

#endif
