/* test_a64 disassembly cases: every word of a64_vectors.inc carries its
 * disassembly as a comment (from aarch64-linux-gnu-objdump); check each one
 * against Capstone where Capstone 4 knows the instruction, and pin the
 * Capstone 4.0.2 gaps that make the frontend decode from the bits. */
#include <capstone/capstone.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "a64_test.h"

#ifndef A64T_SOURCE_DIR
#error "A64T_SOURCE_DIR must name tests/aarch64"
#endif

/* objdump names Capstone 4 does not know: what Capstone prints instead. */
static const struct {
    const char *objdump, *capstone;
} a64t_renames[] = {
    {"paciasp", "hint #0x19"},
    {"autiasp", "hint #0x1d"},
    {"xpaclri", "hint #0x7"},
    {"bti c", "hint #0x22"},
    {"sb", "msr s3_3_c3_c0_7, xzr"},
    {"msr ctr_el0, x0", "msr s3_3_c0_c0_1, x0"},
};

/* Canonical form: lower case, punctuation dropped, numbers as 64-bit hex,
 * the condition aliases cs/cc as hs/lo. */
static void a64t_norm(const char *in, char *out, size_t len)
{
    char buf[256];
    size_t n = 0;
    for (const char *p = in; *p && n + 1 < sizeof buf; p++) {
        char c = (char)tolower((unsigned char)*p);
        buf[n++] = strchr(",[]!{}#", c) ? ' ' : c;
    }
    buf[n] = 0;
    out[0] = 0;
    size_t used = 0;
    for (char *tok = strtok(buf, " \t"); tok; tok = strtok(NULL, " \t")) {
        char t[80];
        if (isdigit((unsigned char)tok[0]) || (tok[0] == '-' && isdigit((unsigned char)tok[1])))
            snprintf(t, sizeof t, "%llx",
                     tok[0] == '-' ? (unsigned long long)strtoll(tok, NULL, 0)
                                   : strtoull(tok, NULL, 0));
        else if (strcmp(tok, "cs") == 0 || strcmp(tok, "b.cs") == 0)
            snprintf(t, sizeof t, "%s", tok[0] == 'b' ? "b.hs" : "hs");
        else if (strcmp(tok, "cc") == 0 || strcmp(tok, "b.cc") == 0)
            snprintf(t, sizeof t, "%s", tok[0] == 'b' ? "b.lo" : "lo");
        else
            snprintf(t, sizeof t, "%s", tok);
        used += (size_t)snprintf(out + used, used < len ? len - used : 0, "%s%s", used ? " " : "", t);
    }
}

/* Does Capstone's text match the objdump comment?  MOV (immediate) is
 * printed by Capstone 4 as MOVZ/MOVN/ORR: then only the destination is
 * compared; BFC as BFI with XZR. */
static bool a64t_same(const char *objdump, const char *cs)
{
    char want[256], got[256], tmp[256];
    for (unsigned i = 0; i < sizeof a64t_renames / sizeof a64t_renames[0]; i++)
        if (strcmp(objdump, a64t_renames[i].objdump) == 0)
            objdump = a64t_renames[i].capstone;
    if (strncmp(objdump, "bfc ", 4) == 0) {
        const char *comma = strchr(objdump, ',');
        if (comma) {
            snprintf(tmp, sizeof tmp, "bfi %.*s, xzr%s", (int)(comma - objdump - 4), objdump + 4,
                     comma);
            objdump = tmp;
        }
    }
    a64t_norm(objdump, want, sizeof want);
    a64t_norm(cs, got, sizeof got);
    if (strcmp(want, got) == 0)
        return true;
    if (strncmp(want, "mov ", 4) == 0 &&
        (strncmp(got, "movz ", 5) == 0 || strncmp(got, "movn ", 5) == 0 ||
         strncmp(got, "orr ", 4) == 0)) {
        const char *wd = want + 4, *gd = strchr(got, ' ') + 1;
        size_t l = strcspn(wd, " ");
        return strncmp(wd, gd, l) == 0 && gd[l] == ' ';
    }
    return false;
}

/* Capstone's "mnemonic op_str" for the word at pc, or false. */
static bool a64t_capstone(csh cs, uint32_t w, uint64_t pc, char *out, size_t len)
{
    uint8_t b[4] = {(uint8_t)w, (uint8_t)(w >> 8), (uint8_t)(w >> 16), (uint8_t)(w >> 24)};
    cs_insn *ci;
    if (cs_disasm(cs, b, 4, pc, 1, &ci) != 1)
        return false;
    snprintf(out, len, "%s%s%s", ci->mnemonic, ci->op_str[0] ? " " : "", ci->op_str);
    cs_free(ci, 1);
    return true;
}

START_TEST(vector_comments_match_capstone)
{
    const char *path = A64T_SOURCE_DIR "/a64_vectors.inc";
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    csh cs;
    ck_assert_int_eq(cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs), CS_ERR_OK);
    char line[4096], errors[4096] = "";
    unsigned lineno = 0, compared = 0, unknown = 0, bad = 0, words = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *p = strstr(line, "CODE(");
        if (!p)
            continue;
        uint64_t pc = A64T_CODE;
        for (p += 5; (p = strstr(p, "0x")) != NULL; pc += 4) {
            unsigned w;
            char text[200];
            int used = 0;
            if (sscanf(p, "0x%8x /* %199[^*]*/%n", &w, text, &used) != 2 || used == 0)
                break;
            p += used;
            words++;
            size_t n = strlen(text);
            while (n && text[n - 1] == ' ')
                text[--n] = 0;
            char got[256];
            if (!a64t_capstone(cs, w, pc, got, sizeof got)) {
                unknown++;
                continue;
            }
            compared++;
            if (!a64t_same(text, got)) {
                bad++;
                size_t e = strlen(errors);
                snprintf(errors + e, sizeof errors - e, "\n  line %u: %08x /* %s */, Capstone: %s",
                         lineno, w, text, got);
            }
        }
    }
    fclose(f);
    cs_close(&cs);
    ck_assert_msg(bad == 0, "%u of %u comments differ from Capstone:%s", bad, compared, errors);
    ck_assert_msg(compared >= 400, "only %u of %u words compared (%u unknown to Capstone)", compared,
                  words, unknown);
}
END_TEST

/* Capstone 4.0.2 does not decode the ARMv8.1 LSE atomics at all: the
 * frontend decodes them from the bits (a64_atomic.c). */
START_TEST(capstone4_lacks_lse)
{
    csh cs;
    ck_assert_int_eq(cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs), CS_ERR_OK);
    char got[256];
    static const uint32_t lse[] = {
        0xf8200041u, /* ldadd x0, x1, [x2] */
        0xc8a07c41u, /* cas x0, x1, [x2] */
        0xf8208041u, /* swp x0, x1, [x2] */
    };
    for (unsigned i = 0; i < 3; i++)
        ck_assert_msg(!a64t_capstone(cs, lse[i], A64T_CODE, got, sizeof got),
                      "Capstone decodes %08x as %s now: revisit frontend/aarch64 notes", lse[i], got);
    cs_close(&cs);
}
END_TEST

/* Capstone 4.0.2 prints the negative post-index offset of LDR as an unsigned
 * 64-bit number; the frontend takes imm9 from the bits (the ldst vector
 * "ldr x0, [x1], #-16" checks the result). */
START_TEST(capstone4_misprints_post_index)
{
    csh cs;
    ck_assert_int_eq(cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs), CS_ERR_OK);
    char got[256];
    ck_assert(a64t_capstone(cs, 0xf85f0420u /* ldr x0, [x1], #-16 */, A64T_CODE, got, sizeof got));
    ck_assert_msg(strstr(got, "0xfffffffffffffff0") != NULL, "Capstone now prints %s", got);
    cs_close(&cs);
}
END_TEST

void a64t_add_disas_tests(Suite *s)
{
    TCase *tc = tcase_create("disassembly");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, vector_comments_match_capstone);
    tcase_add_test(tc, capstone4_lacks_lse);
    tcase_add_test(tc, capstone4_misprints_post_index);
    suite_add_tcase(s, tc);
}
