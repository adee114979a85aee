/*
 * e2e-time: run a command and print how long it took, in microseconds.
 *
 *   e2e-time [-r] CMD [ARG...]
 *
 * With -r the line also says what the command used, as the kernel
 * counted it once the command ended: "WALL CPU FAULTS SWITCHES", its CPU
 * time (user and system) in microseconds, its minor page faults and the
 * times it was made to give up its CPU (bench/lab-resources.sh).
 *
 * The command's standard output is thrown away (the figure is ours);
 * its standard error is left alone.  The exit status is the command's,
 * or 127 when it cannot be run.  Busybox in the lab's dom0 has no
 * sub-second clock, and a clock read in a separate process would add
 * that process's start-up to every figure.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static long usec(struct timeval tv)
{
    return tv.tv_sec * 1000000L + tv.tv_usec;
}

int main(int argc, char **argv)
{
    struct rusage used;
    double t0, t1;
    pid_t pid;
    int status, fd, resources = argc > 1 && !strcmp(argv[1], "-r");

    argv += resources;
    argc -= resources;
    if (argc < 2) {
        fprintf(stderr, "usage: e2e-time [-r] CMD [ARG...]\n");
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
    if (wait4(pid, &status, 0, &used) < 0) {
        perror("e2e-time: wait4");
        return 127;
    }
    t1 = now_us();
    if (resources)
        printf("%.0f %ld %ld %ld\n", t1 - t0,
               usec(used.ru_utime) + usec(used.ru_stime), used.ru_minflt,
               used.ru_nivcsw);
    else
        printf("%.0f\n", t1 - t0);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}
