/* Delta reduction of a failing differential-test program (ferry-diff --reduce):
 * delete chunks of insns and replace inputs by constants for as long as the
 * program still verifies and fails the same way.  Each candidate runs in a
 * forked child, so crashes and hangs of an engine are just another outcome. */
#define _GNU_SOURCE
#include "reduce.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Run f in a child and describe the outcome: "ok", "mismatch <run> vs ref",
 * "broken <what>", or "crash <signal> in <stage>". */
static void classify(struct diff_ctx *c, const struct ir_func *f, const struct diff_case *cs,
                     char *cls, size_t len)
{
    int pfd[2];
    snprintf(cls, len, "harness error");
    if (pipe(pfd) < 0)
        return;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        return;
    if (pid == 0) {
        close(pfd[0]);
        dup2(pfd[1], 2); /* the fatal-signal handler names the stage on stderr */
        dup2(pfd[1], 1);
        c->report = NULL;
        c->fail_dir = NULL;
        c->timeout_s = 2; /* generated programs take microseconds: longer is a hang */
        char msg[1024];
        int rc = diff_check_func(c, f, cs, msg, sizeof(msg));
        printf("\nRESULT %d %s\n", rc, msg);
        fflush(stdout);
        _exit(0);
    }
    close(pfd[1]);
    static char buf[65536];
    size_t n = 0;
    ssize_t r;
    while ((r = read(pfd[0], buf + n, sizeof(buf) - 1 - n)) > 0)
        n += (size_t)r;
    buf[n] = 0;
    close(pfd[0]);
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) {
        const char *st = strstr(buf, "stage: ");
        size_t sl = st ? strcspn(st + 7, ",\n") : 0;
        snprintf(cls, len, "crash %s in %.*s", strsignal(WTERMSIG(status)), (int)sl,
                 st ? st + 7 : "?");
        return;
    }
    const char *res = strstr(buf, "\nRESULT ");
    if (!res)
        return;
    int rc = atoi(res + 8);
    const char *what = strstr(res, ": "); /* after the case line */
    what = what ? what + 2 : "";
    if (rc == DIFF_OK)
        snprintf(cls, len, "ok");
    else if (rc == DIFF_MISMATCH)
        snprintf(cls, len, "mismatch %.*s",
                 (int)(strstr(what, " differ") ? strstr(what, " differ") - what : 20), what);
    else
        snprintf(cls, len, "broken %.40s", what);
}

/* dst = src without insns [at, at + n). */
static int without(struct ir_func *dst, const struct ir_func *src, uint32_t at, uint32_t n)
{
    if (ir_func_copy(dst, src) != 0)
        return -1;
    memmove(dst->insns + at, dst->insns + at + n, (dst->ninsns - at - n) * sizeof(*dst->insns));
    dst->ninsns -= n;
    return 0;
}

/* Keep cand if it verifies and fails like the original; then f = cand. */
static bool try_candidate(struct diff_ctx *c, struct ir_func *f, struct ir_func *cand,
                          const struct diff_case *cs, const char *want, unsigned *tries)
{
    char err[256], cls[256];
    if (ir_verify(cand, err, sizeof(err)) != 0)
        return false;
    ++*tries;
    classify(c, cand, cs, cls, sizeof(cls));
    if (strcmp(cls, want) != 0)
        return false;
    ir_func_copy(f, cand);
    return true;
}

int diff_reduce(struct diff_ctx *c, struct ir_func *f, const struct diff_case *cs, FILE *log)
{
    char want[256];
    classify(c, f, cs, want, sizeof(want));
    if (log)
        fprintf(log, "reduce: %u insns, outcome: %s\n", f->ninsns, want);
    if (!strcmp(want, "ok") || !strcmp(want, "harness error") || !strncmp(want, "broken", 6))
        return -1;
    struct ir_func cand;
    ir_func_init(&cand);
    unsigned tries = 0;
    bool progress = true;
    while (progress) {
        progress = false;
        /* 1. delete chunks, large to small */
        for (uint32_t chunk = f->ninsns / 2 ? f->ninsns / 2 : 1; chunk >= 1; chunk /= 2) {
            for (uint32_t at = 0; at + chunk <= f->ninsns;) {
                if (without(&cand, f, at, chunk) == 0 &&
                    try_candidate(c, f, &cand, cs, want, &tries))
                    progress = true;
                else
                    at += chunk;
            }
            if (chunk == 1)
                break;
        }
        /* 2. replace non-constant inputs by 0 or 1 */
        for (uint32_t i = 0; i < f->ninsns; i++)
            for (unsigned k = 0; k < f->insns[i].nin; k++) {
                ir_ref r = ir_in(&f->insns[i], k);
                if (ir_is_const(f, r))
                    continue;
                for (uint64_t v = 0; v < 2; v++) {
                    if (ir_func_copy(&cand, f) != 0)
                        break;
                    ir_ref kc = ir_const(&cand, ir_val_type(f, r), v);
                    cand.insns[i].args[cand.insns[i].nout + k] = kc;
                    if (try_candidate(c, f, &cand, cs, want, &tries)) {
                        progress = true;
                        break;
                    }
                }
            }
        if (log)
            fprintf(log, "reduce: %u insns after %u candidate runs\n", f->ninsns, tries);
    }
    ir_func_free(&cand);
    return 0;
}
