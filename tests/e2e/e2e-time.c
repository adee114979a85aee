/*
 * e2e-time: run a command and print how long it took, in microseconds.
 *
 *   e2e-time CMD [ARG...]
 *
 * The command's standard output is thrown away (the figure is ours);
 * its standard error is left alone.  The exit status is the command's,
 * or 127 when it cannot be run.  Busybox in the lab's dom0 has no
 * sub-second clock, and a clock read in a separate process would add
 * that process's start-up to every figure.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
    double t0, t1;
    pid_t pid;
    int status, fd;

    if (argc < 2) {
        fprintf(stderr, "usage: e2e-time CMD [ARG...]\n");
        return 2;
    }
    t0 = now_us();
    pid = fork();
    if (pid < 0) {
        perror("e2e-time: fork");
        return 127;
    }
    if (pid == 0) {
        fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            close(fd);
        }
        execvp(argv[1], argv + 1);
        perror("e2e-time: exec");
        _exit(127);
    }
    if (waitpid(pid, &status, 0) < 0) {
        perror("e2e-time: waitpid");
        return 127;
    }
    t1 = now_us();
    printf("%.0f\n", t1 - t0);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}
