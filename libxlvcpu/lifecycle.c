/*
 * A domain's life: define, undefine, autostart, start, create.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "scope.h"


/* What define, undefine, start and create do first: refuse flags other
 * than XLV_DRY_RUN, check the name, take its lock. */
static int begin(xlv_ctx *ctx, xlv_conn *conn, const char *call,
                 const char *name, unsigned int flags, int *lock_r)
{
    int rc;

    rc = xlv__check_flags(ctx, call, flags, XLV_DRY_RUN);
    if (rc) return rc;
    rc = xlv__store_check_name(ctx, name);
    if (rc) return rc;
    return xlv__store_lock(ctx, conn->store, name, XLV__LOCK_TIMEOUT_MS,
                           lock_r);
}

int xlv_domain_define(xlv_ctx *ctx, xlv_conn *conn, const xlv_domain *dom,
                      unsigned int flags)
{
    char *text = NULL;
    int lock = -1;
    int rc;

    rc = begin(ctx, conn, "domain_define", dom->name, flags, &lock);
    if (rc) goto out;
    rc = xlv__xml_serialize(ctx, &text, dom->doc);
    if (rc || (flags & XLV_DRY_RUN)) goto out;
    rc = xlv__store_write(ctx, conn->store, dom->name, text);
    if (rc) goto out;
    xlv__lock_log(conn, dom->name, "config", "define");
 out:
    xlv__store_unlock(lock);
    free(text);
    return rc;
}

int xlv_domain_undefine(xlv_ctx *ctx, xlv_conn *conn, const char *name,
                        unsigned int flags)
{
    char *text = NULL;
    int lock = -1;
    int rc;

    rc = begin(ctx, conn, "domain_undefine", name, flags, &lock);
    if (rc) goto out;
    /* Say "not defined" for a dry run too. */
    rc = xlv__store_read(ctx, conn->store, name, &text);
    if (rc || (flags & XLV_DRY_RUN)) goto out;
    rc = xlv__store_remove(ctx, conn->store, name);
    if (rc) goto out;
    xlv__lock_log(conn, name, "config", "undefine");
 out:
    free(text);
    xlv__store_unlock(lock);
    return rc;
}

int xlv_domain_set_autostart(xlv_ctx *ctx, xlv_conn *conn, const char *name,
                             int autostart, unsigned int flags)
{
    char *text = NULL;
    bool was, changed;
    int lock = -1;
    int rc;

    rc = begin(ctx, conn, "domain_set_autostart", name, flags, &lock);
    if (rc) goto out;
    /* Only a defined domain can be marked; say so for a dry run too. */
    rc = xlv__store_read(ctx, conn->store, name, &text);
    if (rc) goto out;
    if (flags & XLV_DRY_RUN) {
        /* A mark that is not ours is refused then too. */
        rc = xlv__store_get_autostart(ctx, conn->store, name, &was);
        goto out;
    }
    rc = xlv__store_set_autostart(ctx, conn->store, name, autostart,
                                  &changed);
    if (rc || !changed) goto out;
    xlv__lock_log(conn, name, "config",
                  autostart ? "autostart on" : "autostart off");
 out:
    free(text);
    xlv__store_unlock(lock);
    return rc;
}

/* DOM as libxl is to build it on HOST: its node items (xl's cpus="node:1")
 * resolved in the ctx's layout when the caller gave one, else in the
 * host's, as xl resolves them when it creates the domain. */
static int build_on(xlv_ctx *ctx, xlv__host *host, const xlv_domain *dom,
                    libxl_domain_config *cfg)
{
    libxl_bitmap hard, soft;
    int rc;

    libxl_bitmap_init(&hard);
    libxl_bitmap_init(&soft);
    rc = xlv__host_resolve_defaults(ctx, host, dom, &hard, &soft);
    if (!rc)
        rc = xlv__domain_to_libxl_with(ctx, cfg, dom, &hard, &soft);
    libxl_bitmap_dispose(&hard);
    libxl_bitmap_dispose(&soft);
    return rc;
}

/* Build and boot DOM; remember its definition as the live one. */
static int boot(xlv_ctx *ctx, xlv_conn *conn, const xlv_domain *dom,
                unsigned int *domid_r, unsigned int flags)
{
    libxl_domain_config cfg;
    xlv__dominfo info;
    xlv__store *live;
    xlv__host *host;
    uint32_t domid;
    char *text = NULL;
    int rc;

    libxl_domain_config_init(&cfg);
    memset(&info, 0, sizeof(info));
    rc = xlv__conn_running(ctx, conn, dom->name, &info);
    if (!rc) {
        rc = xlv__error(ctx, XLV_ERR_STATE, "domain '%s' is already "
                        "running (id %u)", dom->name, info.domid);
        goto out;
    }
    if (rc != XLV_ERR_NOTFOUND) goto out;
    rc = xlv__conn_host(ctx, conn, &host);
    if (rc) goto out;
    rc = xlv__host_check_type(ctx, host, dom->name, dom->type);
    if (rc) goto out;
    /* Online map, pins and soft affinity all go in at build time. */
    rc = build_on(ctx, host, dom, &cfg);
    if (rc) goto out;
    /* As xl does: a domain defined without a UUID gets a new one at each
     * boot, rather than the nil UUID every such domain would share (in
     * xenstore's /vm, and in an HVM guest's firmware tables). */
    if (!dom->has_uuid)
        libxl_uuid_generate(&cfg.c_info.uuid);
    rc = xlv__xml_serialize(ctx, &text, dom->doc);
    if (rc || (flags & XLV_DRY_RUN)) goto out;
    rc = xlv__conn_live(ctx, conn, &live);
    if (rc) goto out;
    rc = host->ops->create(ctx, host, &cfg, &domid);
    if (rc) goto out;
    rc = xlv__store_write(ctx, live, dom->name, text);
    if (rc) {
        /* Without its live definition the domain would be half ours:
         * take it down again, keeping the first error. */
        xlv__error_state first;

        xlv__error_save(ctx, &first);
        if (host->ops->destroy(ctx, host, domid))
            rc = xlv__error_then(ctx, rc, &first, "destroying domain '%s' "
                                 "(id %u) failed too: it is running without "
                                 "a live definition", dom->name, domid);
        else
            rc = xlv__error_then(ctx, rc, &first, "domain '%s' was "
                                 "destroyed again", dom->name);
        goto out;
    }
    xlv__lock_log(conn, dom->name, "live", "boot %u", domid);
    if (domid_r)
        *domid_r = domid;
 out:
    free(text);
    xlv__dominfo_dispose(&info);
    libxl_domain_config_dispose(&cfg);
    return rc;
}

int xlv_domain_start(xlv_ctx *ctx, xlv_conn *conn, unsigned int *domid_r,
                     const char *name, unsigned int flags)
{
    xlv_domain *dom = NULL;
    int lock = -1;
    int rc;

    rc = begin(ctx, conn, "domain_start", name, flags, &lock);
    if (rc) goto out;
    rc = xlv__definition_load(ctx, conn->store, name, &dom);
    if (rc) goto out;
    rc = boot(ctx, conn, dom, domid_r, flags);
 out:
    xlv_domain_free(dom);
    xlv__store_unlock(lock);
    return rc;
}

int xlv_domain_create(xlv_ctx *ctx, xlv_conn *conn, unsigned int *domid_r,
                      const xlv_domain *dom, unsigned int flags)
{
    int lock = -1;
    int rc;

    rc = begin(ctx, conn, "domain_create", dom->name, flags, &lock);
    if (rc) goto out;
    rc = boot(ctx, conn, dom, domid_r, flags);
 out:
    xlv__store_unlock(lock);
    return rc;
}
