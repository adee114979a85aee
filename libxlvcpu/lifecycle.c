/*
 * Defining, starting and looking at domains: define, undefine, start,
 * create, vcpucount, list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "scope.h"

#define LOCK_TIMEOUT_MS 10000

/* What define, undefine, start and create do first: refuse flags other
 * than XLV_DRY_RUN, check the name, take its lock. */
static int begin(xlv_ctx *ctx, xlv_conn *conn, const char *name,
                 unsigned int flags, int *lock_r)
{
    int rc;

    if (flags & ~XLV_DRY_RUN)
        return xlv__error(ctx, XLV_ERR_INVAL, "unknown flags '0x%x'",
                          flags & ~XLV_DRY_RUN);
    rc = xlv__store_check_name(ctx, name);
    if (rc) return rc;
    return xlv__store_lock(ctx, conn->store, name, LOCK_TIMEOUT_MS, lock_r);
}

int xlv_define(xlv_ctx *ctx, xlv_conn *conn, const xlv_domain *dom,
               unsigned int flags)
{
    char *text = NULL;
    int lock = -1;
    int rc;

    rc = begin(ctx, conn, dom->name, flags, &lock);
    if (rc) goto out;
    rc = xlv__xml_serialize(ctx, &text, dom->doc);
    if (rc || (flags & XLV_DRY_RUN)) goto out;
    rc = xlv__store_write(ctx, conn->store, dom->name, text);
    if (!rc)
        xlv__lock_log(dom->name, "config", "define");
 out:
    xlv__store_unlock(lock);
    free(text);
    return rc;
}

int xlv_undefine(xlv_ctx *ctx, xlv_conn *conn, const char *name,
                 unsigned int flags)
{
    char *text = NULL;
    int lock = -1;
    int rc;

    rc = begin(ctx, conn, name, flags, &lock);
    if (rc) goto out;
    /* Say "not defined" for a dry run too. */
    rc = xlv__store_read(ctx, conn->store, name, &text);
    if (rc || (flags & XLV_DRY_RUN)) goto out;
    rc = xlv__store_remove(ctx, conn->store, name);
    if (!rc)
        xlv__lock_log(name, "config", "undefine");
 out:
    free(text);
    xlv__store_unlock(lock);
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
    rc = xlv_domain_to_libxl(ctx, &cfg, dom, 0);
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
        char saved[XLV_ERRMSG_MAX];

        snprintf(saved, sizeof(saved), "%s", xlv_ctx_error(ctx));
        if (host->ops->destroy(ctx, host, domid))
            rc = xlv__error(ctx, rc, "%s; destroying domain '%s' (id %u) "
                            "failed too: it is running without a live "
                            "definition", saved, dom->name, domid);
        else
            rc = xlv__error(ctx, rc, "%s; domain '%s' was destroyed again",
                            saved, dom->name);
        goto out;
    }
    xlv__lock_log(dom->name, "live", "boot %u", domid);
    if (domid_r)
        *domid_r = domid;
 out:
    free(text);
    xlv__dominfo_dispose(&info);
    libxl_domain_config_dispose(&cfg);
    return rc;
}

int xlv_start(xlv_ctx *ctx, xlv_conn *conn, const char *name,
              unsigned int *domid_r, unsigned int flags)
{
    xlv_domain *dom = NULL;
    int lock = -1;
    int rc;

    rc = begin(ctx, conn, name, flags, &lock);
    if (rc) goto out;
    rc = xlv__definition_load(ctx, conn->store, name, &dom);
    if (rc) goto out;
    rc = boot(ctx, conn, dom, domid_r, flags);
 out:
    xlv_domain_free(dom);
    xlv__store_unlock(lock);
    return rc;
}

int xlv_create(xlv_ctx *ctx, xlv_conn *conn, const xlv_domain *dom,
               unsigned int *domid_r, unsigned int flags)
{
    int lock = -1;
    int rc;

    rc = begin(ctx, conn, dom->name, flags, &lock);
    if (rc) goto out;
    rc = boot(ctx, conn, dom, domid_r, flags);
 out:
    xlv__store_unlock(lock);
    return rc;
}

int xlv_vcpu_count(xlv_ctx *ctx, xlv_conn *conn, const char *dom,
                   xlv_vcpu_counts *counts_r, unsigned int flags)
{
    xlv_vcpu_counts c;
    xlv_domain *def = NULL;
    xlv__dominfo info;
    const char *name = dom;
    int rc;

    memset(&c, 0, sizeof(c));
    memset(&info, 0, sizeof(info));
    if (flags) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "unknown flags '0x%x'", flags);
        goto out;
    }
    rc = xlv__conn_running(ctx, conn, dom, &info);
    if (rc && rc != XLV_ERR_NOTFOUND) goto out;
    if (!rc) {
        c.running = 1;
        c.live_max = info.max_vcpus;
        c.live_current = info.online_vcpus;
        name = info.name;
    }
    if (!xlv__domain_name_problem(name)) {
        rc = xlv__definition_load(ctx, conn->store, name, &def);
        if (rc && rc != XLV_ERR_NOTFOUND) goto out;
        if (!rc) {
            c.defined = 1;
            c.config_max = def->max_vcpus;
            c.config_current = xlv__bitmap_count(&def->online);
        }
    }
    if (!c.running && !c.defined) {
        rc = xlv__error(ctx, XLV_ERR_NOTFOUND, "domain '%.80s' is neither "
                        "running nor defined", dom);
        goto out;
    }
    *counts_r = c;
    rc = 0;
 out:
    xlv_domain_free(def);
    xlv__dominfo_dispose(&info);
    return rc;
}

void xlv_domain_entry_list_free(xlv_domain_entry *list, unsigned int n)
{
    unsigned int i;

    if (!list)
        return;
    for (i = 0; i < n; i++)
        free(list[i].name);
    free(list);
}

int xlv_domain_list(xlv_ctx *ctx, xlv_conn *conn, xlv_domain_entry **list_r,
                    unsigned int *n_r, unsigned int flags)
{
    xlv__dominfo *running = NULL;
    xlv_domain_entry *list = NULL;
    char **names = NULL;
    unsigned int n_running = 0, n_names = 0, n = 0, i, j;
    xlv__host *host;
    int rc;

    if (flags & ~XLV_LIST_ALL) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "unknown flags '0x%x'", flags);
        goto out;
    }
    rc = xlv__conn_host(ctx, conn, &host);
    if (rc) goto out;
    rc = host->ops->list_domains(ctx, host, &running, &n_running);
    if (rc) goto out;
    rc = xlv__store_list(ctx, conn->store, &names, &n_names);
    if (rc) goto out;
    list = calloc(n_running + n_names + 1, sizeof(*list));
    if (!list) {
        rc = xlv__nomem(ctx, "the domain list");
        goto out;
    }
    for (i = 0; i < n_running; i++, n++) {
        list[n].domid = (int)running[i].domid;
        list[n].vcpus = running[i].online_vcpus;
        list[n].max_vcpus = running[i].max_vcpus;
        list[n].name = running[i].name;
        running[i].name = NULL;
        for (j = 0; j < n_names; j++)
            list[n].persistent |= !strcmp(names[j], list[n].name);
    }
    for (j = 0; (flags & XLV_LIST_ALL) && j < n_names; j++) {
        xlv_domain *def = NULL;
        bool up = false;

        for (i = 0; i < n_running; i++)
            up |= !strcmp(names[j], list[i].name);
        if (up)
            continue;
        /* An unreadable definition is listed with what is known. */
        if (!xlv__definition_load(ctx, conn->store, names[j], &def)) {
            list[n].vcpus = xlv__bitmap_count(&def->online);
            list[n].max_vcpus = def->max_vcpus;
            xlv_domain_free(def);
        }
        list[n].domid = -1;
        list[n].persistent = 1;
        list[n].name = names[j];
        names[j] = NULL;
        n++;
    }
    *list_r = list;
    *n_r = n;
    list = NULL;
    rc = 0;
 out:
    xlv_domain_entry_list_free(list, n);
    xlv__store_names_free(names, n_names);
    xlv__dominfo_list_free(running, n_running);
    return rc;
}
