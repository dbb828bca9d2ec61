/* Benchmark: a small stack-and-register bytecode VM with switch dispatch,
 * running a program (assembled at run time) that sums Collatz sequence
 * lengths for 1..LIMIT; REPS runs with a growing limit. */
#include "bench.h"

enum vm_op {
    VM_LOADI,  /* r[a] = imm */
    VM_MOV,    /* r[a] = r[b] */
    VM_ADD,    /* r[a] = r[b] + r[c] */
    VM_ADDI,   /* r[a] = r[b] + imm */
    VM_SHR1,   /* r[a] = r[b] >> 1 */
    VM_MUL3P1, /* r[a] = r[b] * 3 + 1 */
    VM_ANDI,   /* r[a] = r[b] & imm */
    VM_JZ,     /* if r[a] == 0 goto imm */
    VM_JNZ,    /* if r[a] != 0 goto imm */
    VM_JLE,    /* if r[a] <= r[b] goto imm */
    VM_JMP,    /* goto imm */
    VM_SUB,    /* r[a] = r[b] - r[c] */
    VM_HALT,
};

struct vm_insn {
    uint8_t op, a, b, c;
    int32_t imm;
};

static int64_t vm_run(const struct vm_insn *code, int64_t *r)
{
    const struct vm_insn *pc = code;
    for (;;) {
        const struct vm_insn *i = pc++;
        switch (i->op) {
        case VM_LOADI: r[i->a] = i->imm; break;
        case VM_MOV: r[i->a] = r[i->b]; break;
        case VM_ADD: r[i->a] = r[i->b] + r[i->c]; break;
        case VM_ADDI: r[i->a] = r[i->b] + i->imm; break;
        case VM_SHR1: r[i->a] = r[i->b] >> 1; break;
        case VM_MUL3P1: r[i->a] = r[i->b] * 3 + 1; break;
        case VM_ANDI: r[i->a] = r[i->b] & i->imm; break;
        case VM_JZ: if (r[i->a] == 0) pc = code + i->imm; break;
        case VM_JNZ: if (r[i->a] != 0) pc = code + i->imm; break;
        case VM_JLE: if (r[i->a] <= r[i->b]) pc = code + i->imm; break;
        case VM_JMP: pc = code + i->imm; break;
        case VM_SUB: r[i->a] = r[i->b] - r[i->c]; break;
        case VM_HALT: return r[0];
        default: return -1;
        }
    }
}

int main(int argc, char **argv)
{
    int reps = bench_reps(argc, argv, 2);
    /* r0 = total, r1 = n, r2 = limit, r3 = x, r4 = tmp, r5 = one */
    static const struct vm_insn prog[] = {
        /* 0 */ {VM_LOADI, 0, 0, 0, 0},
        /* 1 */ {VM_LOADI, 1, 0, 0, 1},
        /* 2 */ {VM_LOADI, 5, 0, 0, 1},
        /* 3 */ {VM_MOV, 3, 1, 0, 0},           /* outer: x = n */
        /* 4 */ {VM_SUB, 4, 3, 5, 0},           /* inner: tmp = x - 1 */
        /* 5 */ {VM_JZ, 4, 0, 0, 13},           /* x == 1: done */
        /* 6 */ {VM_ADDI, 0, 0, 0, 1},          /* total++ */
        /* 7 */ {VM_ANDI, 4, 3, 0, 1},
        /* 8 */ {VM_JNZ, 4, 0, 0, 11},
        /* 9 */ {VM_SHR1, 3, 3, 0, 0},
        /* 10 */ {VM_JMP, 0, 0, 0, 4},
        /* 11 */ {VM_MUL3P1, 3, 3, 0, 0},
        /* 12 */ {VM_JMP, 0, 0, 0, 4},
        /* 13 */ {VM_ADDI, 1, 1, 0, 1},         /* n++ */
        /* 14 */ {VM_JLE, 1, 2, 0, 3},          /* n <= limit: outer */
        /* 15 */ {VM_HALT, 0, 0, 0, 0},
    };
    uint64_t sum = 0;
    for (int r = 0; r < reps; r++) {
        int64_t regs[8] = {0};
        regs[2] = 100000 + r * 1000;
        int64_t total = vm_run(prog, regs);
        sum = sum * 131 + (uint64_t)total;
    }
    return bench_done("bytecode", sum);
}
