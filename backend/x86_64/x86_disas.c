/* x86-64 JIT: the -d out_asm log, host code disassembled with Capstone and
 * annotated with the guest pc where each guest instruction starts.  Kept apart
 * from the emitter because Capstone's x86.h takes the x86_* names. */
#include "x86_disas.h"

#include <capstone/capstone.h>

void x86_log_code(FILE *log, const struct ir_func *f, const struct tb *tb, const uint8_t *code,
                  uint32_t size)
{
    csh cs;
    fprintf(log, "OUT: [size=%u] pc 0x%llx, %u IR ops\n", size, (unsigned long long)tb->pc,
            f->ninsns);
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
        fprintf(log, "  (capstone unavailable)\n");
        return;
    }
    cs_insn *insn;
    size_t n = cs_disasm(cs, code, size, (uint64_t)(uintptr_t)tb->code, 0, &insn);
    uint32_t next_map = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t off = (uint32_t)(insn[i].address - (uint64_t)(uintptr_t)tb->code);
        while (next_map < tb->npcmap && tb->pcmap[next_map].host_off <= off) {
            fprintf(log, "  -- guest pc 0x%llx\n",
                    (unsigned long long)tb->pcmap[next_map].guest_pc);
            next_map++;
        }
        fprintf(log, "  0x%04x:  %-8s %s\n", off, insn[i].mnemonic, insn[i].op_str);
    }
    if (n)
        cs_free(insn, n);
    cs_close(&cs);
    fprintf(log, "\n");
}
