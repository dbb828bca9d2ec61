/* x86-64 JIT: the -d out_asm log (x86_disas.c).  A header of its own because
 * Capstone's x86.h and x86_emit.h cannot be included together. */
#ifndef FERRY_X86_DISAS_H
#define FERRY_X86_DISAS_H

#include <stdio.h>

#include "../backend.h"

/* Disassemble `size` bytes at `code` (the block's bytes, any view) with host
 * offsets from tb->code and the guest pc at each pcmap boundary. */
void x86_log_code(FILE *log, const struct ir_func *f, const struct tb *tb, const uint8_t *code,
                  uint32_t size);

#endif
