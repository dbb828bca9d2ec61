/* fork, a pipe between parent and child, waitpid statuses (exit and signal). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        const char msg[] = "message from the child";
        write(fds[1], msg, sizeof(msg));
        _exit(42);
    }
    close(fds[1]);
    char buf[64] = {0};
    ssize_t n = read(fds[0], buf, sizeof(buf));
    int st;
    waitpid(pid, &st, 0);
    printf("parent read %zd bytes: %s\n", n, buf);
    printf("child exited %d with %d\n", WIFEXITED(st), WEXITSTATUS(st));
    pid = fork();
    if (pid == 0) {
        raise(SIGTERM);
        _exit(0);
    }
    waitpid(pid, &st, 0);
    printf("second child killed by signal %d: %d\n", SIGTERM, WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    return 0;
}
