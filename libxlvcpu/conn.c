/*
 * Connections: a host and a store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"

int xlv_conn_open(xlv_ctx *ctx, xlv_conn **conn_r, const char *uri,
                  const char *state_dir, unsigned int flags)
{
    xlv_conn *conn = NULL;
    int rc;

    rc = xlv__check_flags(ctx, "conn_open", flags,
                          XLV_CONN_NO_HOST | XLV_CONN_NO_STORE);
    if (rc) goto out;
    if (!uri || !*uri)
        uri = XLV_DEFAULT_URI;
    if (strncmp(uri, "xen://", 6) && strncmp(uri, "test:///", 8)) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "host uri '%.200s': must be "
                        "xen:///system or test:///PATH", uri);
        goto out;
    }
    conn = calloc(1, sizeof(*conn));
    if (!conn) {
        rc = xlv__nomem(ctx, "a connection");
        goto out;
    }
    conn->flags = flags;
    rc = xlv__strdup(ctx, &conn->uri, uri);
    if (rc) goto out;
    if (!(flags & XLV_CONN_NO_STORE)) {
        rc = xlv__store_open(ctx, &conn->store,
                             state_dir && *state_dir ? state_dir
                                                     : XLV_DEFAULT_STATE_DIR);
        if (rc) goto out;
    }

    *conn_r = conn;
    conn = NULL;
    rc = 0;
 out:
    xlv_conn_close(conn);
    return rc;
}

void xlv_conn_close(xlv_conn *conn)
{
    if (!conn)
        return;
    xlv__host_close(conn->host);
    xlv__store_close(conn->store);
    xlv__store_close(conn->live);
    free(conn->uri);
    free(conn->run_dir);
    free(conn->hook_dir);
    free(conn->lock_log);
    free(conn);
}

/* Replace *DST with a copy of SRC; SRC NULL leaves none (the default). */
static int replace_str(xlv_ctx *ctx, char **dst, const char *src)
{
    char *copy;
    int rc;

    rc = xlv__strdup(ctx, &copy, src);
    if (rc) return rc;
    free(*dst);
    *dst = copy;
    return 0;
}

int xlv_conn_set_run_dir(xlv_ctx *ctx, xlv_conn *conn, const char *dir,
                         unsigned int flags)
{
    int rc;

    rc = xlv__check_flags(ctx, "conn_set_run_dir", flags, 0);
    if (rc) return rc;
    return replace_str(ctx, &conn->run_dir, dir);
}

int xlv_conn_set_hook_dir(xlv_ctx *ctx, xlv_conn *conn, const char *dir,
                          unsigned int flags)
{
    int rc;

    rc = xlv__check_flags(ctx, "conn_set_hook_dir", flags, 0);
    if (rc) return rc;
    return replace_str(ctx, &conn->hook_dir, dir);
}

int xlv_conn_set_lock_log(xlv_ctx *ctx, xlv_conn *conn, const char *path,
                          unsigned int flags)
{
    int rc;

    rc = xlv__check_flags(ctx, "conn_set_lock_log", flags, 0);
    if (rc) return rc;
    if (path && path[0] != '/')
        return xlv__error(ctx, XLV_ERR_INVAL, "lock log '%.200s': must be "
                          "an absolute path", path);
    return replace_str(ctx, &conn->lock_log, path);
}

int xlv__conn_host(xlv_ctx *ctx, xlv_conn *conn, xlv__host **host_r)
{
    int rc;

    *host_r = NULL;
    if (conn->flags & XLV_CONN_NO_HOST)
        return xlv__error(ctx, XLV_ERR_INVAL, "this connection has no host "
                          "(it was opened with XLV_CONN_NO_HOST)");
    if (!conn->host) {
        rc = xlv__host_open(ctx, &conn->host, conn->uri);
        if (rc) return rc;
    }
    *host_r = conn->host;
    return 0;
}

int xlv__conn_live(xlv_ctx *ctx, xlv_conn *conn, xlv__store **live_r)
{
    char path[4096];
    const char *dir = conn->run_dir;
    int rc;

    if (!conn->live) {
        /* A simulated host keeps its live definitions beside its state,
         * so that two test hosts never share them. */
        if (!dir && !strncmp(conn->uri, "test://", 7)) {
            snprintf(path, sizeof(path), "%.*s.run",
                     (int)strcspn(conn->uri + 7, "?"), conn->uri + 7);
            dir = path;
        }
        rc = xlv__store_open(ctx, &conn->live,
                             dir ? dir : XLV_DEFAULT_RUN_DIR);
        if (rc) return rc;
    }
    *live_r = conn->live;
    return 0;
}

int xlv__conn_running(xlv_ctx *ctx, xlv_conn *conn, const char *who,
                      xlv__dominfo *info_r)
{
    xlv__error_state saved;
    xlv__host *host;
    int rc;

    rc = xlv__conn_host(ctx, conn, &host);
    if (rc) return rc;
    memset(info_r, 0, sizeof(*info_r));
    xlv__error_save(ctx, &saved);
    rc = host->ops->domain_info(ctx, host, who, info_r);
    if (rc == XLV_ERR_NOTFOUND)
        xlv__error_restore(ctx, &saved);
    return rc;
}

bool xlv__conn_seems_running(xlv_ctx *ctx, xlv_conn *conn, const char *who,
                             uint32_t *domid_r)
{
    xlv__error_state saved;
    xlv__dominfo info;
    bool running;

    memset(&info, 0, sizeof(info));
    xlv__error_save(ctx, &saved);
    running = !xlv__conn_running(ctx, conn, who, &info);
    if (running && domid_r)
        *domid_r = info.domid;
    xlv__dominfo_dispose(&info);
    xlv__error_restore(ctx, &saved);
    return running;
}
