/* Descriptor flags whose values differ between AArch64 and x86-64 Linux
 * (O_DIRECTORY, O_NOFOLLOW, O_DIRECT, O_LARGEFILE): F_GETFL must report the
 * guest's values; pipes, dup3, F_GETFD and fstat of a pipe and a directory. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    int d = open("/", O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    printf("dir F_GETFL 0%o (O_DIRECTORY 0%o O_NOFOLLOW 0%o O_LARGEFILE 0%o)\n",
           fcntl(d, F_GETFL), O_DIRECTORY, O_NOFOLLOW, 0400000);
    struct stat st;
    fstat(d, &st);
    printf("fstat dir: S_ISDIR %d\n", S_ISDIR(st.st_mode));
    int p[2];
    pipe2(p, O_CLOEXEC | O_NONBLOCK);
    printf("pipe F_GETFL 0%o F_GETFD %d\n", fcntl(p[0], F_GETFL), fcntl(p[0], F_GETFD));
    fstat(p[1], &st);
    printf("fstat pipe: S_ISFIFO %d\n", S_ISFIFO(st.st_mode));
    char c = 0;
    printf("read on an empty non-blocking pipe fails %d\n", read(p[0], &c, 1) < 0);
    fcntl(p[0], F_SETFL, O_RDONLY);
    printf("after F_SETFL 0: 0%o\n", fcntl(p[0], F_GETFL));
    int n = dup3(p[1], 20, O_CLOEXEC);
    printf("dup3 -> %d F_GETFD %d\n", n, fcntl(20, F_GETFD));
    write(20, "z", 1);
    printf("read through the dup %zd '%c'\n", read(p[0], &c, 1), c);
    return 0;
}
