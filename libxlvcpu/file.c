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

/* See XLV__FILE_PRIVATE: only we may have put this content there. */
static int check_private(xlv_ctx *ctx, const struct stat *st,
                         const char *path)
{
    if (!S_ISREG(st->st_mode))
        return xlv__error(ctx, XLV_ERR_INVAL, "'%.200s' is not a regular "
                          "file: refused", path);
    if (st->st_uid != geteuid())
        return xlv__error(ctx, XLV_ERR_INVAL, "'%.200s' is owned by uid "
                          "'%lu', not by us (uid '%lu'): refused", path,
                          (unsigned long)st->st_uid,
                          (unsigned long)geteuid());
    if (st->st_mode & 022)
        return xlv__error(ctx, XLV_ERR_INVAL, "'%.200s' is writable by "
                          "group or others: refused", path);
    return 0;
}

/*
 * Open PATH for xlv__file_read() into *FD_R, and check what it is: see
 * private.h for FLAGS.
 */
static int open_checked(xlv_ctx *ctx, int *fd_r, const char *path,
                        size_t max, unsigned int flags)
{
    int oflags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    struct stat st;
    int fd;
    int rc;

    if (flags & XLV__FILE_PRIVATE)
        oflags |= O_NOFOLLOW;
    fd = open(path, oflags);
    if (fd < 0 && errno == ELOOP && (flags & XLV__FILE_PRIVATE)) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "'%.200s' is a symlink: "
                        "refused", path);
        goto out;
    }
    if (fd < 0) {
        rc = xlv__error(ctx, errno == ENOENT ? XLV_ERR_NOTFOUND
                                             : XLV_ERR_IO,
                        "cannot open '%.200s': %s", path, strerror(errno));
        goto out;
    }
    if (fstat(fd, &st) < 0) {
        rc = xlv__error(ctx, XLV_ERR_IO, "cannot stat '%.200s': %s", path,
                        strerror(errno));
        goto out;
    }
    if (flags & XLV__FILE_PRIVATE) {
        rc = check_private(ctx, &st, path);
        if (rc) goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = xlv__error(ctx, XLV_ERR_IO, "'%.200s' is a directory", path);
        goto out;
    }
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "'%.200s' is %llu bytes, more "
                        "than the limit of %zu", path,
                        (unsigned long long)st.st_size, max);
        goto out;
    }
    /* O_NONBLOCK only kept open() from hanging on a fifo. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    *fd_r = fd;
    fd = -1;
    rc = 0;
 out:
    if (fd >= 0)
        close(fd);
    return rc;
}

static int too_large(xlv_ctx *ctx, const char *path, size_t max)
{
    return xlv__error(ctx, XLV_ERR_INVAL, "'%.200s' is larger than the "
                      "limit of %zu bytes", path, max);
}

/*
 * Read FD to its end into *BUF_R (NUL-terminated, *LEN_R bytes before
 * the NUL; the caller frees it), at most MAX bytes.  PATH names it in
 * messages.
 */
static int read_all(xlv_ctx *ctx, char **buf_r, size_t *len_r, int fd,
                    const char *path, size_t max)
{
    char *buf = NULL, *p;
    size_t len = 0, cap = 0, ncap;
    ssize_t r;
    int rc;

    for (;;) {
        if (len == cap) {
            ncap = cap ? cap * 2 : 16384;
            if (ncap > max + 1)
                ncap = max + 1;
            if (ncap <= len) {
                rc = too_large(ctx, path, max);
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
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = xlv__error(ctx, XLV_ERR_IO, "cannot read '%.200s': %s",
                            path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    if (len > max) {
        rc = too_large(ctx, path, max);
        goto out;
    }
    buf[len] = '\0';
    *buf_r = buf;
    *len_r = len;
    buf = NULL;
    rc = 0;
 out:
    free(buf);
    return rc;
}

int xlv__file_read(xlv_ctx *ctx, char **buf_r, size_t *len_r,
                   const char *path, size_t max, unsigned int flags)
{
    bool is_stdin = !strcmp(path, "-") && !(flags & XLV__FILE_PRIVATE);
    int fd = STDIN_FILENO;
    int rc;

    if (!is_stdin) {
        fd = -1;
        rc = open_checked(ctx, &fd, path, max, flags);
        if (rc) goto out;
    }
    rc = read_all(ctx, buf_r, len_r, fd, path, max);
 out:
    if (fd >= 0 && !is_stdin)
        close(fd);
    return rc;
}
