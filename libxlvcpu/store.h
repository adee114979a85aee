/*
 * A directory of domain definitions, one XML file per domain: the
 * persistent store (next boot, under the state dir) and, with the same
 * code, the live definitions of the domains xlvcpu started (under the run
 * dir).  Files are replaced atomically (temporary file, fsync, rename,
 * fsync of the directory), are mode 0600, and each domain has a lock that
 * every read-modify-write holds, so concurrent commands lose no update.
 */
#ifndef XLV_STORE_H
#define XLV_STORE_H

#include "dirfile.h"

typedef struct xlv__store xlv__store;

/*
 * Open the store in DIR.  A DIR that is missing is made (mode 0700,
 * parents too) by the first call that writes or locks, not here: until
 * then the store holds no definition and reads find none.  Refused, here
 * or when it is made: DIR or a parent created by us being a symlink, DIR
 * not a directory, owned by another user than us, or writable by group
 * or others.  Errors: XLV_ERR_IO, XLV_ERR_INVAL.
 */
int xlv__store_open(xlv_ctx *ctx, xlv__store **store_r, const char *dir);
void xlv__store_close(xlv__store *store);

/* The directory, for messages.  Lent. */
const char *xlv__store_dir(const xlv__store *store);

/*
 * Whether NAME can name a file here: a valid domain name (see
 * xlv__domain_name_problem()).  Errors: XLV_ERR_INVAL naming it.
 */
int xlv__store_check_name(xlv_ctx *ctx, const char *name);

/*
 * Take the lock of domain NAME (an flock on DIR/.locks/NAME.lock),
 * waiting at most TIMEOUT_MS milliseconds; fills *lock_r (a file
 * descriptor) for xlv__store_unlock().  Errors: XLV_ERR_BUSY when the
 * wait ran out (another command holds it), XLV_ERR_IO.
 */
int xlv__store_lock(xlv_ctx *ctx, xlv__store *store, const char *name,
                    unsigned int timeout_ms, int *lock_r);

void xlv__store_unlock(int lock);

/*
 * Read the definition of NAME: a NUL-terminated string the caller frees.
 * Refused: a symlink, a file that is not regular, owned by another user
 * or writable by group or others, larger than XLV_MAX_DOCUMENT_BYTES.
 * Errors: XLV_ERR_NOTFOUND (no such definition), XLV_ERR_IO,
 * XLV_ERR_INVAL.
 */
int xlv__store_read(xlv_ctx *ctx, xlv__store *store, const char *name,
                    char **text_r);

/* Replace (or create) the definition of NAME atomically with TEXT. */
int xlv__store_write(xlv_ctx *ctx, xlv__store *store, const char *name,
                     const char *text);

/* Remove the definition of NAME, its autostart mark, and the temporary
 * file a killed write of it left.  XLV_ERR_NOTFOUND when there is no
 * definition. */
int xlv__store_remove(xlv_ctx *ctx, xlv__store *store, const char *name);

/*
 * Whether domain NAME is marked to be started at boot: an empty file
 * NAME.autostart beside its definition.  Refused: a mark that is a
 * symlink, not a regular file, owned by another user or writable by group
 * or others.  Errors: XLV_ERR_INVAL, XLV_ERR_IO.
 */
int xlv__store_get_autostart(xlv_ctx *ctx, xlv__store *store,
                             const char *name, bool *on_r);
/* Mark or unmark NAME (atomically; the same state again changes
 * nothing); *CHANGED_R (may be NULL) says whether it changed.  The caller
 * holds NAME's lock. */
int xlv__store_set_autostart(xlv_ctx *ctx, xlv__store *store,
                             const char *name, bool on, bool *changed_r);
/* The names defined, sorted; free with xlv__store_names_free(). */
int xlv__store_list(xlv_ctx *ctx, xlv__store *store, char ***names_r,
                    unsigned int *n_r);
void xlv__store_names_free(char **names, unsigned int n);

#endif /* XLV_STORE_H */
