/*
 * What the C harnesses that run xlvcpu as a child process share (the crash
 * and concurrency suites): starting the command on a test host and state
 * directory, waiting for it, the clock, and whole files in and out.
 * Failures of the harness itself (fork, a file it cannot write) end the
 * program with status 2, the suites' "could not run".
 */
#ifndef XLV_TESTS_SPAWN_H
#define XLV_TESTS_SPAWN_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The most words a command may have after its connection options. */
#define SPAWN_MAX_WORDS 32

/* The monotonic clock, in microseconds. */
static inline double spawn_now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* The whole file, NUL-terminated and the caller's, or NULL when there is
 * none. */
static inline char *spawn_slurp(const char *path)
{
    char *buf = NULL, *p;
    size_t len = 0, cap = 0;
    ssize_t r;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return NULL;
    for (;;) {
        if (cap - len < 4096) {
            p = realloc(buf, cap + 65536);
            if (!p) {
                perror("realloc");
                exit(2);
            }
            buf = p;
            cap += 65536;
        }
        r = read(fd, buf + len, cap - len - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    buf[len] = '\0';
    return buf;
}

/* Write TEXT as the whole of PATH (made 0600). */
static inline void spawn_spew(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    size_t len = strlen(text);

    if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd) < 0) {
        fprintf(stderr, "cannot write '%s': %s\n", path, strerror(errno));
        exit(2);
    }
}

/*
 * Start "XLVCPU -q -c URI --state-dir STATE WORDS..." (N_WORDS of them,
 * at most SPAWN_MAX_WORDS), stdin and stdout on /dev/null, stderr to the
 * file ERR (truncated) or to /dev/null when ERR is NULL.  Returns its pid.
 */
static inline pid_t spawn_xlvcpu(const char *xlvcpu, const char *uri,
                                 const char *state, char *const *words,
                                 int n_words, const char *err)
{
    char *argv[SPAWN_MAX_WORDS + 7];
    int n = 0, i, null, efd;
    pid_t pid;

    argv[n++] = (char *)xlvcpu;
    argv[n++] = (char *)"-q";
    argv[n++] = (char *)"-c";
    argv[n++] = (char *)uri;
    argv[n++] = (char *)"--state-dir";
    argv[n++] = (char *)state;
    for (i = 0; i < n_words && i < SPAWN_MAX_WORDS; i++)
        argv[n++] = words[i];
    argv[n] = NULL;

    pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        null = open("/dev/null", O_RDWR);
        efd = err ? open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600) : null;
        if (null < 0 || efd < 0)
            _exit(127);
        dup2(null, 0);
        dup2(null, 1);
        dup2(efd, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

/* Wait for PID; its wait status. */
static inline int spawn_wait(pid_t pid)
{
    int status;

    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("waitpid");
            exit(2);
        }
    }
    return status;
}

#endif /* XLV_TESTS_SPAWN_H */
