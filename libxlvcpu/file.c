/*
 * Reading input files with a size bound, so a hostile or mistaken path
 * (a device, a huge file) cannot make us allocate without limit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "private.h"

int xlv__file_read(xlv_ctx *ctx, char **buf_r, size_t *len_r,
                   const char *path, size_t max)
{
    bool is_stdin = !strcmp(path, "-");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    struct stat st;
    int fd = -1;
    int rc;

    if (is_stdin) {
        fd = STDIN_FILENO;
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
            rc = xlv__error(ctx, errno == ENOENT ? XLV_ERR_NOTFOUND
                                                 : XLV_ERR_IO,
                            "cannot open '%.200s': %s", path,
                            strerror(errno));
            goto out;
        }
        if (fstat(fd, &st) < 0) {
            rc = xlv__error(ctx, XLV_ERR_IO, "cannot stat '%.200s': %s",
                            path, strerror(errno));
            goto out;
        }
        if (S_ISDIR(st.st_mode)) {
            rc = xlv__error(ctx, XLV_ERR_IO, "'%.200s' is a directory",
                            path);
            goto out;
        }
        if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
            rc = xlv__error(ctx, XLV_ERR_INVAL,
                            "'%.200s' is %llu bytes, more than the limit "
                            "of %zu", path,
                            (unsigned long long)st.st_size, max);
            goto out;
        }
        /* O_NONBLOCK only kept open() from hanging on a fifo. */
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    }

    for (;;) {
        ssize_t r;

        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 16384;
            char *p;

            if (ncap > max + 1)
                ncap = max + 1;
            if (ncap <= len) {
                rc = xlv__error(ctx, XLV_ERR_INVAL,
                                "'%.200s' is larger than the limit of %zu "
                                "bytes", path, max);
                goto out;
            }
            p = realloc(buf, ncap + 1);
            if (!p) {
                rc = xlv__nomem(ctx, "the input file");
                goto out;
            }
            buf = p;
            cap = ncap;
        }
        r = read(fd, buf + len, cap - len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            rc = xlv__error(ctx, XLV_ERR_IO, "cannot read '%.200s': %s",
                            path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    if (len > max) {
        rc = xlv__error(ctx, XLV_ERR_INVAL,
                        "'%.200s' is larger than the limit of %zu bytes",
                        path, max);
        goto out;
    }
    if (!buf) {
        buf = malloc(1);
        if (!buf) {
            rc = xlv__nomem(ctx, "the input file");
            goto out;
        }
    }
    buf[len] = '\0';
    *buf_r = buf;
    *len_r = len;
    buf = NULL;
    rc = 0;
 out:
    if (fd >= 0 && !is_stdin)
        close(fd);
    free(buf);
    return rc;
}
