/*
 * A lock with a bounded wait and an atomic replace, for files in a
 * directory held open: see dirfile.h.  Every call works relative to the
 * directory's descriptor and refuses a symlink at the last component.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dirfile.h"

/* Back-off between two attempts at a lock held by another process. */
#define LOCK_SLEEP_FIRST_MS 1
#define LOCK_SLEEP_MAX_MS 32

static void sleep_ms(unsigned int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Try for the flock of FD until it is ours or TIMEOUT_MS ran out. */
static int wait_for_lock(xlv_ctx *ctx, int fd, const char *what,
                         unsigned int timeout_ms)
{
    unsigned int pause = LOCK_SLEEP_FIRST_MS;
    uint64_t start = now_ms(), waited;

    for (;;) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return 0;
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK)
            return xlv__error(ctx, XLV_ERR_IO, "cannot lock %s: %s", what,
                              strerror(errno));
        waited = now_ms() - start;
        if (waited >= timeout_ms)
            return xlv__error(ctx, XLV_ERR_BUSY, "%s is busy: another "
                              "xlvcpu command holds it", what);
        if (pause > timeout_ms - waited)
            pause = (unsigned int)(timeout_ms - waited);
        sleep_ms(pause);
        if (pause < LOCK_SLEEP_MAX_MS)
            pause *= 2;
    }
}

int xlv__dirfile_lock(xlv_ctx *ctx, int dirfd, const char *file,
                      const char *path, const char *what,
                      unsigned int timeout_ms, int *lock_r)
{
    struct stat st;
    int fd;
    int rc;

    /* Lock files are never removed: removing one would let two processes
     * hold "the" lock on two different files.  Read-only: flock needs no
     * more, whatever mode the umask left the file. */
    fd = openat(dirfd, file,
                O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
                O_NONBLOCK, 0600);
    if (fd < 0) {
        rc = xlv__error(ctx, errno == ELOOP ? XLV_ERR_INVAL : XLV_ERR_IO,
                        "cannot open lock file '%.300s': %s", path,
                        strerror(errno));
        goto out;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "lock file '%.300s' is not a "
                        "regular file: refused", path);
        goto out;
    }
    rc = wait_for_lock(ctx, fd, what, timeout_ms);
    if (rc) goto out;

    *lock_r = fd;
    fd = -1;
 out:
    if (fd >= 0)
        close(fd);
    return rc;
}

void xlv__dirfile_unlock(int lock)
{
    /* Closing the only descriptor of the open file releases the flock. */
    if (lock >= 0)
        close(lock);
}

int xlv__dirfile_sync(xlv_ctx *ctx, int dirfd, const char *dir)
{
    if (fsync(dirfd) < 0)
        return xlv__error(ctx, XLV_ERR_IO, "cannot sync directory '%.200s': "
                          "%s", dir, strerror(errno));
    return 0;
}

/* Write LEN bytes of DATA to FD, whatever write(2) does at a time. */
static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t r = write(fd, data, len);

        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += r;
        len -= (size_t)r;
    }
    return 0;
}

/*
 * TMP in DIRFD, created and written with DATA, synced and closed; gone
 * again when that failed.
 */
static int write_tmp(xlv_ctx *ctx, int dirfd, const char *dir,
                     const char *file, const char *tmp, const void *data,
                     size_t len)
{
    int fd, r, err;

    fd = openat(dirfd, tmp,
                O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC |
                O_NOCTTY, 0600);
    if (fd < 0)
        return xlv__error(ctx, XLV_ERR_IO, "cannot create a temporary file "
                          "for '%.200s/%s': %s", dir, file, strerror(errno));
    /* Exactly 0600, whatever the umask. */
    r = fchmod(fd, 0600);
    if (!r)
        r = write_all(fd, data, len);
    if (!r)
        r = fsync(fd);
    err = errno;
    if (close(fd) < 0 && !r) {
        r = -1;
        err = errno;
    }
    if (!r)
        return 0;
    unlinkat(dirfd, tmp, 0);
    return xlv__error(ctx, XLV_ERR_IO, "cannot write '%.200s/%s': %s", dir,
                      tmp, strerror(err));
}

int xlv__dirfile_replace(xlv_ctx *ctx, int dirfd, const char *dir,
                         const char *file, const char *tmp,
                         const void *data, size_t len)
{
    int rc;

    /* One temporary file per FILE: no directory scan, so a write costs
     * the same with 10 files beside it or 10,000. */
    if (unlinkat(dirfd, tmp, 0) < 0 && errno != ENOENT)
        return xlv__error(ctx, XLV_ERR_IO, "cannot remove the stale "
                          "'%.200s/%s': %s", dir, tmp, strerror(errno));
    rc = write_tmp(ctx, dirfd, dir, file, tmp, data, len);
    if (rc) return rc;
    if (renameat(dirfd, tmp, dirfd, file) < 0) {
        rc = xlv__error(ctx, XLV_ERR_IO, "cannot replace '%.200s/%s': %s",
                        dir, file, strerror(errno));
        unlinkat(dirfd, tmp, 0);
        return rc;
    }
    /* If this fails, the new file is in place but may not survive a
     * crash: say so rather than claim it is durable. */
    return xlv__dirfile_sync(ctx, dirfd, dir);
}
