/* setjmp/longjmp: across nested calls, repeatedly, with values, and
 * sigsetjmp/siglongjmp; callee-saved registers survive. */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf env;
static sigjmp_buf senv;

static volatile int calls;

static int depth(int n)
{
    calls++;
    if (n < 0)
        return 0; /* never: keeps the compiler from calling this infinite recursion */
    if (n > 0)
        return depth(n - 1) + 1;
    longjmp(env, 7);
}

static void thrower(int v) { siglongjmp(senv, v); }

int main(void)
{
    volatile int count = 0;
    int r = setjmp(env);
    printf("setjmp returned %d\n", r);
    if (r == 0)
        depth(50);
    int r2 = setjmp(env);
    if (count < 5) {
        count++;
        longjmp(env, count * 10);
    }
    printf("looped %d times, last value %d\n", count, r2);
    register long keep = 0x1234567890abcdefl;
    int s = sigsetjmp(senv, 1);
    if (s == 0)
        thrower(0); /* longjmp with 0 makes setjmp return 1 */
    printf("sigsetjmp returned %d, callee-saved %lx\n", s, keep);
    return 0;
}
