/* The interpreter's bytecode listing (backend/interp): what -d out_asm prints
 * for a block compiled by interp_compile.c, one line per bytecode insn with its
 * operands named (globals by name, temps t<n>, constants by value). */
#include <string.h>

#include "interp.h"

struct listing_ctx {
    const struct interp_listing *li;
    const int32_t *cimg; /* slot images of the consts insn */
    uint32_t ncimg;
};

static void print_env(FILE *out, const struct listing_ctx *c, int32_t w)
{
    const struct ir_func *f = c->li->f;
    for (ir_ref r = 1; f && r < f->nvals; r++)
        if (f->vals[r].kind == IR_VAL_GLOBAL && f->vals[r].num == (uint32_t)w) {
            fprintf(out, "%s", f->vals[r].name);
            return;
        }
    fprintf(out, "env+0x%x", (unsigned)w);
}

static void print_slot(FILE *out, const struct listing_ctx *c, int32_t w)
{
    const struct interp_listing *li = c->li;
    uint32_t k = (uint32_t)(-(w / 8)) - 1; /* w = -8 * (k + 1) */
    if (w >= 0 || w % 8) {
        fprintf(out, "?%d", w);
    } else if (k < li->ntemps) {
        fprintf(out, "t%u", k);
    } else if (k == li->ntemps) {
        fprintf(out, "tmp");
    } else if (k - li->ntemps - 1 < c->ncimg) {
        uint32_t j = k - li->ntemps - 1;
        uint64_t v;
        memcpy(&v, c->cimg + 2 * (c->ncimg - 1 - j), 8);
        fprintf(out, "$0x%llx", (unsigned long long)v);
    } else {
        for (ir_ref r = 1; li->f && r < li->f->nvals; r++)
            if (li->gslot[r] == w) {
                fprintf(out, "%s", li->f->vals[r].name);
                return;
            }
        fprintf(out, "slot%u", k);
    }
}

static void print_insn(FILE *out, const struct listing_ctx *c, enum interp_bc bc, const int32_t *ip,
                       uint32_t off)
{
    const char *fmt = interp_bcinfo[bc].fmt;
    fprintf(out, "  %04x: %-16s", 4 * off, interp_bcinfo[bc].name);
    const char *sep = " ";
    uint32_t j = 1;
    for (const char *s = fmt; *s; s++) {
        fputs(sep, out);
        sep = ", ";
        uint64_t v;
        switch (*s) {
        case 'o':
        case 'i':
            print_slot(out, c, ip[j++]);
            break;
        case 'g':
            if (ip[j] >= 0)
                print_env(out, c, ip[j]);
            else
                fputs("-", out);
            j++;
            break;
        case 'n':
            if (bc == BC_exit && ip[j] >= 0 && ip[j] < IR_EXIT_COUNT)
                fprintf(out, "%s", ir_exit_names[ip[j]]);
            else
                fprintf(out, "%d", ip[j]);
            j++;
            break;
        case 'l':
            fprintf(out, "-> %04x", 4 * off + (uint32_t)ip[j++]);
            break;
        case 'p': {
            const void *p;
            memcpy(&p, ip + j, sizeof(p));
            if (p)
                fprintf(out, "chained %p", p);
            else
                fprintf(out, "unchained");
            j += 2;
            s++;
            break;
        }
        case 'q':
            memcpy(&v, ip + j, 8);
            fprintf(out, "0x%llx", (unsigned long long)v);
            j += 2;
            s++;
            break;
        case 'h': {
            const struct interp_call *call;
            memcpy(&call, ip + j, sizeof(call));
            fprintf(out, "@%s%s", call->h->name, call->direct ? "" : " (ffi)");
            j += 2;
            s++;
            break;
        }
        default:
            fprintf(out, "?");
            break;
        }
    }
    if (bc == BC_call)
        for (int32_t i = 0; i < ip[3]; i++) {
            fputs(", ", out);
            print_slot(out, c, ip[j++]);
        }
    if (bc == BC_gather)
        for (int32_t i = 0; i < ip[1] + ip[2]; i++) {
            fputs(i ? ", " : " = ", out);
            print_slot(out, c, ip[4 + 2 * i]);
        }
    if (bc == BC_consts)
        for (int32_t i = 0; i < ip[1]; i++) {
            uint64_t v;
            memcpy(&v, ip + 4 + 2 * i, 8);
            fprintf(out, "%s0x%llx", i ? ", " : " = ", (unsigned long long)v);
        }
    fputc('\n', out);
}

void interp_disas(FILE *out, const struct interp_listing *li, const struct tb *tb,
                  const int32_t *code, uint32_t nwords, const uint16_t *ops, uint32_t nops)
{
    struct listing_ctx c = {li, NULL, 0};
    if (nops && ops[0] == BC_consts) {
        c.cimg = code + 4;
        c.ncimg = (uint32_t)code[1];
    }
    int nglob = 0;
    for (ir_ref r = 1; li->f && r < li->f->nvals; r++)
        nglob += li->gslot[r] != 0;
    fprintf(out, "interp: block 0x%llx: %u bytes of bytecode at %p, %u insns, %u frame slots\n",
            (unsigned long long)tb->pc, 4 * nwords, (const void *)code, nops,
            li->ntemps + 1 + c.ncimg + (uint32_t)nglob);
    uint32_t off = 0, pci = 0;
    for (uint32_t k = 0; k < nops && off < nwords; k++) {
        for (; pci < tb->npcmap && tb->pcmap[pci].host_off <= 4 * off; pci++)
            fprintf(out, "  ;; insn 0x%llx\n", (unsigned long long)tb->pcmap[pci].guest_pc);
        enum interp_bc bc = (enum interp_bc)ops[k];
        print_insn(out, &c, bc, code + off, off);
        off += interp_insn_words(bc, code + off);
    }
    fputc('\n', out);
}
