/* test_opt: golden files.  tests/opt/golden/<pass>/<case>.fir holds an input
 * block, a line ";; expect", and the block as ir_print prints it after that
 * one pass (golden/optimize/: after ir_optimize with every pass).  Each file
 * is one loop iteration of the tcase golden_<pass>.  With OPT_GOLDEN_BLESS=1
 * in the environment, mismatching expectations are rewritten instead (review
 * the diff!). */
#include "test_opt.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#ifndef FERRY_OPT_GOLDEN_DIR
#error "FERRY_OPT_GOLDEN_DIR must name tests/opt/golden"
#endif

#define GOLDEN_MARK ";; expect\n"
#define GOLDEN_MAX 256

struct golden_case {
    char path[700];
    int pass; /* enum ir_pass, or IR_PASS_COUNT for ir_optimize */
};
static struct golden_case golden[GOLDEN_MAX];
static unsigned ngolden;

static char *read_all(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    char chunk[4096];
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(fp);
                return NULL;
            }
            buf = nb;
        }
        memcpy(buf + len, chunk, n);
        len += n;
    }
    fclose(fp);
    if (!buf)
        buf = calloc(1, 1);
    else
        buf[len] = 0;
    return buf;
}

/* Drop trailing blank lines/spaces so files may end either way. */
static void trim_end(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
        s[--n] = 0;
}

static int golden_run_pass(struct ir_func *f, int pass)
{
    switch (pass) {
    case IR_PASS_constfold:
        return ir_pass_constfold(f);
    case IR_PASS_copyprop:
        return ir_pass_copyprop(f);
    case IR_PASS_simplify:
        return ir_pass_simplify(f);
    case IR_PASS_stateelim:
        return ir_pass_stateelim(f);
    case IR_PASS_dce:
        return ir_pass_dce(f);
    default:
        return ir_optimize(f, IR_PASSES_ALL, true, NULL);
    }
}

static void golden_bless(const char *path, const char *text, size_t input_len, const char *got)
{
    FILE *fp = fopen(path, "wb");
    ck_assert_msg(fp != NULL, "%s: cannot rewrite", path);
    fwrite(text, 1, input_len, fp);
    fputs(GOLDEN_MARK, fp);
    fputs(got, fp);
    fputc('\n', fp);
    fclose(fp);
}

START_TEST(golden_file)
{
    const struct golden_case *gc = &golden[_i];
    vm_helpers_register();
    char *text = read_all(gc->path);
    ck_assert_msg(text != NULL, "%s: cannot read", gc->path);
    char *mark = strstr(text, GOLDEN_MARK);
    ck_assert_msg(mark != NULL && (mark == text || mark[-1] == '\n'),
                  "%s: no line ';; expect' separating input and expected output", gc->path);
    size_t input_len = (size_t)(mark - text);
    char *want = strdup(mark + strlen(GOLDEN_MARK));
    *mark = 0;

    struct ir_module m = {0};
    char err[300];
    ck_assert_msg(ir_parse(text, gc->path, &m, err, sizeof(err)) == 0, "%s", err);
    ck_assert_msg(m.nfuncs == 1, "%s: expected one block, found %u", gc->path, m.nfuncs);
    struct ir_func *f = &m.funcs[0];
    struct ir_func before;
    ir_func_init(&before);
    ck_assert_int_eq(ir_func_copy(&before, f), 0);

    golden_run_pass(f, gc->pass);
    ir_compact(f);
    ck_assert_msg(ir_verify(f, err, sizeof(err)) == 0, "%s: invalid after the pass: %s", gc->path,
                  err);
    char why[400];
    ck_assert_msg(opt_equivalent(&before, f, 32, why, sizeof(why)),
                  "%s: the pass changed what the block computes: %s", gc->path, why);

    char *got = NULL;
    size_t gotlen = 0;
    FILE *ms = open_memstream(&got, &gotlen);
    ck_assert_ptr_nonnull(ms);
    ir_print(ms, f);
    fclose(ms);
    trim_end(got);
    trim_end(want);
    if (strcmp(got, want) != 0) {
        const char *bless = getenv("OPT_GOLDEN_BLESS");
        if (bless && strcmp(bless, "1") == 0) {
            *mark = ';';
            golden_bless(gc->path, text, input_len, got);
        } else {
            ck_abort_msg("%s: output differs\n---- expected:\n%s\n---- got:\n%s\n", gc->path, want,
                         got);
        }
    }
    free(got);
    free(want);
    free(text);
    ir_func_free(&before);
    ir_module_free(&m);
}
END_TEST

static int cmp_case(const void *a, const void *b)
{
    return strcmp(((const struct golden_case *)a)->path, ((const struct golden_case *)b)->path);
}

/* Collect dir/<*.fir> as cases of `pass`; returns how many. */
static unsigned golden_scan(const char *sub, int pass)
{
    char dir[400];
    snprintf(dir, sizeof(dir), "%s/%s", FERRY_OPT_GOLDEN_DIR, sub);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    unsigned first = ngolden;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && ngolden < GOLDEN_MAX) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".fir") != 0)
            continue;
        snprintf(golden[ngolden].path, sizeof(golden[ngolden].path), "%s/%s", dir, e->d_name);
        golden[ngolden].pass = pass;
        ngolden++;
    }
    closedir(d);
    qsort(&golden[first], ngolden - first, sizeof(golden[0]), cmp_case);
    return ngolden - first;
}

START_TEST(golden_dir_has_cases)
{
    /* every pass and the full pipeline have at least 6 golden files */
    ck_assert_msg(_i >= 6, "a golden directory has only %d cases", _i);
}
END_TEST

void opt_add_golden_tcases(Suite *s)
{
    for (int p = 0; p <= IR_PASS_COUNT; p++) {
        const char *sub = p < IR_PASS_COUNT ? ir_pass_names[p] : "optimize";
        unsigned first = ngolden;
        unsigned n = golden_scan(sub, p);
        static char names[IR_PASS_COUNT + 1][32]; /* Check keeps the pointer */
        snprintf(names[p], sizeof(names[p]), "golden_%s", sub);
        TCase *tc = tcase_create(names[p]);
        tcase_add_loop_test(tc, golden_dir_has_cases, (int)n, (int)n + 1);
        tcase_add_loop_test(tc, golden_file, (int)first, (int)(first + n));
        suite_add_tcase(s, tc);
    }
}
