/*
 * A connection: the host (opened when first needed), the persistent store
 * and the store of live definitions, and where the hooks are.
 */
#ifndef XLV_CONN_H
#define XLV_CONN_H

#include "host.h"
#include "store.h"

struct xlv_conn {
    char *uri;
    xlv__host *host;            /* NULL until a call needs it */
    xlv__store *store;          /* persistent definitions, or NULL */
    xlv__store *live;           /* live definitions, NULL until needed */
    char *run_dir;              /* NULL: the host's default */
    char *hook_dir;
    char *lock_log;             /* xlv_conn_set_lock_log(), or NULL */
    unsigned int flags;         /* XLV_CONN_NO_HOST, XLV_CONN_NO_STORE */
};

/* The host, connecting on first use; XLV_CONN_NO_HOST refuses it. */
int xlv__conn_host(xlv_ctx *ctx, xlv_conn *conn, xlv__host **host_r);

/* The store of live definitions, opened on first use. */
int xlv__conn_live(xlv_ctx *ctx, xlv_conn *conn, xlv__store **live_r);

/*
 * Whether WHO is running: fills *info_r (dispose it) and returns 0, or
 * returns XLV_ERR_NOTFOUND (with no message kept) when it is not.
 */
int xlv__conn_running(xlv_ctx *ctx, xlv_conn *conn, const char *who,
                      xlv__dominfo *info_r);

/*
 * Best effort, for what only says more: whether WHO is running, and its
 * domid in *domid_r (may be NULL).  A host that cannot be asked counts as
 * "not running"; CTX's error stays as it was whatever happens.
 */
bool xlv__conn_seems_running(xlv_ctx *ctx, xlv_conn *conn, const char *who,
                             uint32_t *domid_r);

#endif /* XLV_CONN_H */
