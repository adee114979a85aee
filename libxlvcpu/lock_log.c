/*
 * The lock log (xlv_conn_set_lock_log()): every change made under a
 * domain's lock appends one line to a file while the lock is still held,
 * so that the lines of one domain come in the order its critical sections
 * ran.  tests/concurrency replays them.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "scope.h"

/* "KEY PID DOMAIN SCOPE OPERATION..." and the newline. */
#define LINE_MAX_BYTES 512

void xlv__lock_log(const xlv_conn *conn, const char *name, const char *scope,
                   const char *fmt, ...)
{
    const char *path = conn->lock_log;
    char line[LINE_MAX_BYTES];
    struct timespec ts;
    va_list ap;
    ssize_t r;
    int fd, n, m, i;

    if (!path || !*path)
        return;
    /* Monotonic, and taken inside the critical section: the keys of one
     * domain grow in the order of its lines. */
    clock_gettime(CLOCK_MONOTONIC, &ts);
    n = snprintf(line, sizeof(line), "%lld%09ld %ld %s %s ",
                 (long long)ts.tv_sec, ts.tv_nsec, (long)getpid(), name,
                 scope);
    if (n < 0 || n >= (int)sizeof(line) - 1)
        return;
    va_start(ap, fmt);
    m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0 || m >= (int)sizeof(line) - n - 1)
        return;
    /* One line per change, whatever the arguments held. */
    for (i = n; i < n + m; i++) {
        if ((unsigned char)line[i] < ' ')
            line[i] = '?';
    }
    line[n + m] = '\n';

    /* A single write with O_APPEND lands whole at the end of the file,
     * never inside another process's line.  Best effort: the change is
     * made already, and the library reports nothing for a test aid. */
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
              O_NOCTTY, 0600);
    if (fd < 0)
        return;
    r = write(fd, line, (size_t)(n + m + 1));
    (void)r;
    close(fd);
}
