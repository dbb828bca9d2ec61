/* What a program gets at start: argc/argv, its environment, auxv values,
 * uname, and the identity system calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    printf("argc %d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d] '%s'\n", i, argv[i]);
    const char *v = getenv("FERRY_TEST_VAR");
    printf("FERRY_TEST_VAR %s\n", v ? v : "(unset)");
    printf("FERRY_TEST_GONE %s\n", getenv("FERRY_TEST_GONE") ? "set" : "(unset)");
    printf("AT_PAGESZ %lu\n", getauxval(AT_PAGESZ));
    printf("AT_PHENT %lu, AT_PHNUM > 0 %d, AT_ENTRY > 0 %d\n", getauxval(AT_PHENT),
           getauxval(AT_PHNUM) > 0, getauxval(AT_ENTRY) > 0);
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    printf("AT_RANDOM set %d\n", rnd != NULL);
    const char *plat = (const char *)getauxval(AT_PLATFORM);
    printf("AT_PLATFORM %s\n", plat ? plat : "(none)");
    const char *fn = (const char *)getauxval(AT_EXECFN);
    printf("AT_EXECFN is the program path %d\n", fn && strstr(fn, "args") != NULL);
    printf("AT_SECURE %lu\n", getauxval(AT_SECURE));
    printf("uid matches %d, pid > 1 %d, ppid > 0 %d\n", getauxval(AT_UID) == getuid(),
           getpid() > 1, getppid() > 0);
    struct utsname u;
    uname(&u);
    printf("uname machine %s sysname %s\n", u.machine, u.sysname);
    int dummy;
    printf("stack below 2^48 %d\n", (unsigned long)&dummy < (1ul << 48));
    return 0;
}
