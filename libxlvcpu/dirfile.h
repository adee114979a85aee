/*
 * Files in a directory held open by a descriptor: an exclusive lock
 * with a bounded wait, and an atomic replace.  The store keeps its
 * definitions with them, the test host its state file.
 */
#ifndef XLV_DIRFILE_H
#define XLV_DIRFILE_H

#include "private.h"

/* How long a command waits for another that holds the same lock. */
#define XLV__LOCK_TIMEOUT_MS 10000

/*
 * Take an exclusive flock on FILE in DIRFD, creating FILE (mode 0600)
 * when missing, waiting at most TIMEOUT_MS milliseconds for another
 * process that holds it.  PATH is FILE's path, for messages; WHAT names
 * what the lock protects in them ("domain 'web'").  Fills *lock_r (a file
 * descriptor) for xlv__dirfile_unlock().  Errors: XLV_ERR_BUSY when the
 * wait ran out ("WHAT is busy: another xlvcpu command holds it"),
 * XLV_ERR_INVAL (FILE a symlink or not a regular file), XLV_ERR_IO.
 */
int xlv__dirfile_lock(xlv_ctx *ctx, int dirfd, const char *file,
                      const char *path, const char *what,
                      unsigned int timeout_ms, int *lock_r);

/* Let go of a lock from xlv__dirfile_lock(); -1 is no lock. */
void xlv__dirfile_unlock(int lock);

/* Make what was done in DIRFD (a rename, an unlink) durable.  DIR names
 * it in messages.  Errors: XLV_ERR_IO. */
int xlv__dirfile_sync(xlv_ctx *ctx, int dirfd, const char *dir);

/*
 * Replace (or create) FILE in DIRFD with the LEN bytes of DATA, so that
 * a reader sees the old content or the new, never a part: DATA goes to
 * TMP (mode 0600), which is synced and renamed over FILE, and then the
 * directory is synced.  A TMP that a killed writer left is removed
 * first: the caller holds FILE's lock, so no live writer owns it.  DIR
 * names the directory in messages.  Errors: XLV_ERR_IO.
 */
int xlv__dirfile_replace(xlv_ctx *ctx, int dirfd, const char *dir,
                         const char *file, const char *tmp,
                         const void *data, size_t len);

#endif /* XLV_DIRFILE_H */
