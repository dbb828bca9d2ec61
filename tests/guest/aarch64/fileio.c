/* File I/O in a fresh temporary directory: create, write, read back, seek,
 * stat, rename, list, append, truncate, unlink; stdio and raw calls. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    umask(022);
    const char *tmp = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/ferry-fileio-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    if (chdir(dir) != 0) {
        perror("chdir");
        return 1;
    }
    FILE *f = fopen("data.txt", "w");
    for (int i = 0; i < 1000; i++)
        fprintf(f, "line %d: %d\n", i, i * i);
    fclose(f);

    struct stat st;
    stat("data.txt", &st);
    printf("size %lld regular %d mode %o links %lu\n", (long long)st.st_size, S_ISREG(st.st_mode),
           st.st_mode & 0777, (unsigned long)st.st_nlink);

    int fd = open("data.txt", O_RDONLY);
    char buf[64];
    lseek(fd, 9000, SEEK_SET);
    ssize_t n = read(fd, buf, 20);
    buf[n > 0 ? n : 0] = 0;
    printf("read at 9000: %zd bytes '%s'\n", n, strtok(buf, "\n"));
    printf("pread at 0: ");
    n = pread(fd, buf, 9, 0);
    printf("%.*s\n", (int)n, buf);
    off_t end = lseek(fd, 0, SEEK_END);
    printf("seek end %lld\n", (long long)end);
    struct stat fst;
    fstat(fd, &fst);
    printf("fstat same inode %d size %lld\n", fst.st_ino == st.st_ino, (long long)fst.st_size);
    close(fd);

    f = fopen("data.txt", "r");
    long sum = 0;
    int a, b;
    while (fscanf(f, "line %d: %d\n", &a, &b) == 2)
        sum += b;
    fclose(f);
    printf("sum of squares %ld\n", sum);

    rename("data.txt", "renamed.txt");
    fd = open("empty", O_CREAT | O_WRONLY | O_EXCL, 0644);
    close(fd);
    printf("create existing with O_EXCL fails: %d\n",
           open("empty", O_CREAT | O_WRONLY | O_EXCL, 0644) < 0);
    mkdir("sub", 0755);
    fd = open("sub/app", O_CREAT | O_WRONLY | O_APPEND, 0600);
    write(fd, "one\n", 4);
    close(fd);
    fd = open("sub/app", O_WRONLY | O_APPEND);
    write(fd, "two\n", 4);
    close(fd);
    f = fopen("sub/app", "r");
    while (fgets(buf, sizeof(buf), f))
        printf("appended: %s", buf);
    fclose(f);
    truncate("renamed.txt", 100);
    stat("renamed.txt", &st);
    printf("truncated size %lld\n", (long long)st.st_size);

    DIR *d = opendir(".");
    char *names[16];
    int k = 0;
    struct dirent *e;
    while ((e = readdir(d)) && k < 16)
        if (e->d_name[0] != '.')
            names[k++] = strdup(e->d_name);
    closedir(d);
    qsort(names, (size_t)k, sizeof(names[0]), cmp);
    for (int i = 0; i < k; i++)
        printf("entry %s\n", names[i]);
    int fdd = open(".", O_RDONLY | O_DIRECTORY);
    printf("O_DIRECTORY open ok %d, on a file fails %d\n", fdd >= 0,
           open("empty", O_RDONLY | O_DIRECTORY) < 0);
    close(fdd);

    unlink("sub/app");
    rmdir("sub");
    unlink("empty");
    unlink("renamed.txt");
    chdir("/");
    printf("cleanup %s\n", rmdir(dir) == 0 ? "ok" : "failed");
    return 0;
}
