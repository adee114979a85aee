/*
 * Resolving the target and scope of a change, and loading and saving the
 * definitions it touches.
 */
#include <stdlib.h>
#include <string.h>

#include "scope.h"

/* As xlv__definition_load(), but no definition is an answer: its
 * XLV_ERR_NOTFOUND leaves CTX's error as it was. */
static int find_definition(xlv_ctx *ctx, xlv__store *store, const char *name,
                           xlv_domain **dom_r)
{
    xlv__error_state saved;
    int rc;

    xlv__error_save(ctx, &saved);
    rc = xlv__definition_load(ctx, store, name, dom_r);
    if (rc == XLV_ERR_NOTFOUND)
        xlv__error_restore(ctx, &saved);
    return rc;
}

int xlv__target_open(xlv_ctx *ctx, xlv_conn *conn, const char *who,
                     unsigned int flags, xlv__target *t)
{
    unsigned int scope = flags & (XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG);
    bool domid = who && xlv__all_digits(who);
    int rc;

    memset(t, 0, sizeof(*t));
    t->lock = -1;
    if (!who || !*who)
        return xlv__error(ctx, XLV_ERR_INVAL, "no domain given");

    /* The host is needed to resolve --current, for --live, and to turn a
     * domid into a name. */
    if (scope != XLV_AFFECT_CONFIG || domid) {
        rc = xlv__conn_host(ctx, conn, &t->host);
        if (rc) return rc;
    }
    /* A domid names no lock: ask the host for the name first. */
    if (domid) {
        rc = xlv__conn_running(ctx, conn, who, &t->info);
        if (rc && rc != XLV_ERR_NOTFOUND) return rc;
        t->running = !rc;
    }
    rc = xlv__strdup(ctx, &t->name, t->running ? t->info.name : who);
    if (rc) return rc;
    rc = xlv__store_check_name(ctx, t->name);
    if (rc) return rc;
    rc = xlv__store_lock(ctx, conn->store, t->name, XLV__LOCK_TIMEOUT_MS,
                         &t->lock);
    if (rc) return rc;

    /* Whether it runs, asked under the lock: it may have started or
     * stopped meanwhile.  A config change by domid needs no second ask. */
    if (t->host && (scope != XLV_AFFECT_CONFIG || !domid)) {
        xlv__dominfo_dispose(&t->info);
        rc = xlv__conn_running(ctx, conn, t->name, &t->info);
        if (rc && rc != XLV_ERR_NOTFOUND) return rc;
        t->running = !rc;
    }
    if (!scope)
        scope = t->running ? XLV_AFFECT_LIVE : XLV_AFFECT_CONFIG;
    t->live = scope & XLV_AFFECT_LIVE;
    t->config = scope & XLV_AFFECT_CONFIG;
    if (t->config || !t->running) {
        rc = find_definition(ctx, conn->store, t->name, &t->def);
        if (rc && rc != XLV_ERR_NOTFOUND) return rc;
    }
    /* Config scope did not ask the host: ask it now, to say why. */
    if (!t->def && !t->host)
        t->running = xlv__conn_seems_running(ctx, conn, t->name, NULL);
    if (!t->running && !t->def)
        return xlv__error(ctx, XLV_ERR_NOTFOUND, "domain '%s' is neither "
                          "running nor defined", t->name);
    if (t->live && !t->running)
        return xlv__error(ctx, XLV_ERR_STATE, "domain '%s' is not running: "
                          "a live change needs a running domain (use "
                          "--config for the next boot)", t->name);
    if (t->config && !t->def)
        return xlv__error(ctx, XLV_ERR_STATE, "domain '%s' has no "
                          "persistent definition: a config change needs one "
                          "(xlvcpu define)", t->name);
    return 0;
}

void xlv__target_close(xlv__target *t)
{
    xlv__store_unlock(t->lock);
    t->lock = -1;
    xlv__dominfo_dispose(&t->info);
    xlv_domain_free(t->def);
    t->def = NULL;
    free(t->name);
    t->name = NULL;
}

const char *xlv__target_scope(const xlv__target *t)
{
    if (t->live && t->config)
        return "live+config";
    return t->live ? "live" : "config";
}

int xlv__target_live_failed(xlv_ctx *ctx, const xlv__target *t, int rc)
{
    xlv__error_state first;

    if (!t->config)
        return rc;
    xlv__error_save(ctx, &first);
    return xlv__error_then(ctx, rc, &first, "the persistent definition was "
                           "not changed either");
}

int xlv__definition_load(xlv_ctx *ctx, xlv__store *store, const char *name,
                         xlv_domain **dom_r)
{
    char *text = NULL;
    int rc;

    rc = xlv__store_read(ctx, store, name, &text);
    if (rc) goto out;
    rc = xlv_domain_from_xml(ctx, dom_r, text, strlen(text), name, 0);
 out:
    free(text);
    return rc;
}

int xlv__definition_save(xlv_ctx *ctx, xlv__store *store, xlv_domain *dom)
{
    char *text = NULL;
    int rc;

    rc = xlv__domain_format_vcpus(ctx, dom);
    if (rc) goto out;
    rc = xlv__xml_serialize(ctx, &text, dom->doc);
    if (rc) goto out;
    rc = xlv__store_write(ctx, store, dom->name, text);
 out:
    free(text);
    return rc;
}

int xlv__live_definition(xlv_ctx *ctx, xlv_conn *conn, const char *name,
                         xlv_domain **dom_r)
{
    xlv__store *live;
    int rc;

    *dom_r = NULL;
    rc = xlv__conn_live(ctx, conn, &live);
    if (rc) return rc;
    rc = find_definition(ctx, live, name, dom_r);
    return rc == XLV_ERR_NOTFOUND ? 0 : rc;
}
