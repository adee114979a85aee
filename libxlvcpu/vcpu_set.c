/*
 * xlv_vcpu_set: how many vCPUs, in which scope.  Live first, then config;
 * a config that cannot be written undoes the live change.  The live state
 * is the hypervisor's alone: no file changes with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "scope.h"

static const unsigned int known_flags = XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG |
    XLV_VCPU_MAXIMUM | XLV_VCPU_IGNORE_HOST | XLV_DRY_RUN;

/* The new live online map, checked against what Xen and the host allow. */
static int plan_live(xlv_ctx *ctx, xlv__target *t, unsigned int count,
                     unsigned int flags, libxl_bitmap *old_r,
                     libxl_bitmap *new_r)
{
    int rc;

    if (count > t->info.max_vcpus)
        return xlv__error(ctx, XLV_ERR_INVAL, "count '%u' exceeds maximum "
                          "'%u' of running domain '%s' (the maximum changes "
                          "with --config --maximum, at the next boot)",
                          count, t->info.max_vcpus, t->name);
    rc = xlv__live_online_map(ctx, t, old_r);
    if (rc) return rc;
    rc = xlv__bitmap_copy(ctx, new_r, old_r);
    if (rc) return rc;
    xlv__online_resize(new_r, t->info.max_vcpus, count);
    return xlv__live_online_check(ctx, t, old_r, new_r, flags);
}

/* The new definition, changed in place; *old_r gets the old count. */
static int plan_config(xlv_ctx *ctx, xlv__target *t, unsigned int count,
                       unsigned int flags, unsigned int *old_r)
{
    xlv_domain *dom = t->def;
    unsigned int limit = xlv__domain_type_max_vcpus(dom->type);
    unsigned int current = xlv__bitmap_count(&dom->online);

    if (flags & XLV_VCPU_MAXIMUM) {
        *old_r = dom->max_vcpus;
        if (count > limit)
            return xlv__error(ctx, XLV_ERR_INVAL, "maximum '%u' exceeds "
                              "the %u vcpus a domain of this type can have",
                              count, limit);
        /* Lowering the maximum below the current count lowers that. */
        return xlv__domain_set_max(ctx, dom, count);
    }
    *old_r = current;
    if (count > dom->max_vcpus)
        return xlv__error(ctx, XLV_ERR_INVAL, "count '%u' exceeds maximum "
                          "'%u' of domain '%s'", count, dom->max_vcpus,
                          t->name);
    xlv__online_resize(&dom->online, dom->max_vcpus, count);
    return 0;
}

/*
 * A config change by name does not ask the host whether the domain runs;
 * its hooks are told all the same.  Best effort: a host that cannot be
 * asked leaves XLVCPU_DOMID empty and the change goes on.
 */
static void running_domid(xlv_ctx *ctx, xlv_conn *conn, const char *name,
                          char *buf, size_t size)
{
    uint32_t domid;

    if (xlv__conn_seems_running(ctx, conn, name, &domid))
        snprintf(buf, size, "XLVCPU_DOMID=%u", domid);
    else
        snprintf(buf, size, "XLVCPU_DOMID=");
}

int xlv__vcpu_set_hooks(xlv_ctx *ctx, xlv_conn *conn, const xlv__target *t,
                        const char *stage, unsigned int old,
                        unsigned int count, unsigned int flags,
                        const char *result)
{
    char domain[96], domid[32], sold[32], snew[32], scope[40], what[32];
    char res[48];
    char *env[] = { domain, domid, sold, snew, scope, what, res, NULL };

    snprintf(domain, sizeof(domain), "XLVCPU_DOMAIN=%s", t->name);
    if (t->running)
        snprintf(domid, sizeof(domid), "XLVCPU_DOMID=%u", t->info.domid);
    else if (!t->host && xlv__hooks_any(conn->hook_dir, stage))
        running_domid(ctx, conn, t->name, domid, sizeof(domid));
    else
        snprintf(domid, sizeof(domid), "XLVCPU_DOMID=");
    snprintf(sold, sizeof(sold), "XLVCPU_OLD=%u", old);
    snprintf(snew, sizeof(snew), "XLVCPU_NEW=%u", count);
    snprintf(scope, sizeof(scope), "XLVCPU_SCOPE=%s", xlv__target_scope(t));
    snprintf(what, sizeof(what), "XLVCPU_WHAT=%s",
             flags & XLV_VCPU_MAXIMUM ? "maximum" : "current");
    snprintf(res, sizeof(res), "XLVCPU_RESULT=%s", result);
    return xlv__hooks_run(ctx, conn->hook_dir, stage, env, !result[0]);
}

/* What no domain could take, before one is looked at. */
static int check_request(xlv_ctx *ctx, unsigned int count,
                         unsigned int flags)
{
    int rc;

    rc = xlv__check_flags(ctx, "vcpu_set", flags, known_flags);
    if (rc) return rc;
    if (count < 1)
        return xlv__error(ctx, XLV_ERR_INVAL, "count '%u': a domain needs "
                          "at least 1 vcpu", count);
    if ((flags & XLV_VCPU_MAXIMUM) && (flags & XLV_AFFECT_LIVE))
        return xlv__error(ctx, XLV_ERR_INVAL, "--maximum with --live: xen "
                          "cannot change the maximum of a running domain; "
                          "use --config --maximum for the next boot");
    return 0;
}

/*
 * The change T needs: live from OLD_MAP to NEW_MAP, and in T->def.  *OLD_R
 * gets the count before it, live when the change is live.
 */
static int plan(xlv_ctx *ctx, xlv__target *t, unsigned int count,
                unsigned int flags, libxl_bitmap *old_map,
                libxl_bitmap *new_map, unsigned int *old_r)
{
    unsigned int config_old;
    int rc;

    if ((flags & XLV_VCPU_MAXIMUM) && t->live)
        return xlv__error(ctx, XLV_ERR_INVAL, "--maximum on running domain "
                          "'%s' needs --config: xen cannot change the "
                          "maximum of a running domain", t->name);
    if (t->live) {
        rc = plan_live(ctx, t, count, flags, old_map, new_map);
        if (rc) return rc;
        *old_r = xlv__bitmap_count(old_map);
    }
    if (t->config) {
        rc = plan_config(ctx, t, count, flags, &config_old);
        if (rc) return rc;
        if (!t->live)
            *old_r = config_old;
    }
    return 0;
}

/*
 * The definition could not be saved (RC, with its message on CTX): put
 * the live domain back to OLD_MAP when it was changed (LIVE_DONE), so
 * that nothing is half applied, and say which way it ended.
 */
static int undo_live(xlv_ctx *ctx, xlv__target *t, int rc, bool live_done,
                     const libxl_bitmap *old_map, unsigned int count,
                     unsigned int old)
{
    xlv__error_state first;

    xlv__error_save(ctx, &first);
    if (live_done &&
        t->host->ops->set_vcpuonline(ctx, t->host, t->info.domid, old_map))
        return xlv__error_then(ctx, rc, &first, "undoing the live change "
                               "failed too: domain '%s' now has %u vcpus "
                               "online", t->name, count);
    return xlv__error_then(ctx, rc, &first, "the live change was undone: "
                           "domain '%s' has %u vcpus online as before",
                           t->name, old);
}

/* Make the planned change: live first, then the definition. */
static int apply(xlv_ctx *ctx, xlv_conn *conn, xlv__target *t,
                 const libxl_bitmap *old_map, const libxl_bitmap *new_map,
                 unsigned int old, unsigned int count)
{
    bool live_done = false;
    int rc;

    /* Asked even when Xen already runs NEW_MAP, as xl asks it: Xen shows
     * the vCPUs the guest runs, xenstore what it was last asked, and a
     * guest still booting, or still taking a request made a moment
     * before, goes on to that request unless this one replaces it.  (In
     * the lab, vcpu-set 1 on a PV guest just started with 2 left it at 2
     * when this call was skipped.) */
    if (t->live) {
        rc = t->host->ops->set_vcpuonline(ctx, t->host, t->info.domid,
                                          new_map);
        if (rc) return xlv__target_live_failed(ctx, t, rc);
        live_done = true;
    }
    if (!t->config)
        return 0;
    rc = xlv__definition_save(ctx, conn->store, t->def);
    if (rc && t->live)
        rc = undo_live(ctx, t, rc, live_done, old_map, count, old);
    return rc;
}

int xlv_vcpu_set(xlv_ctx *ctx, xlv_conn *conn, unsigned int *old_r,
                 const char *dom, unsigned int count, unsigned int flags)
{
    libxl_bitmap old_map, new_map;
    xlv__target t;
    unsigned int old = 0;
    int rc;

    libxl_bitmap_init(&old_map);
    libxl_bitmap_init(&new_map);
    memset(&t, 0, sizeof(t));
    t.lock = -1;
    rc = check_request(ctx, count, flags);
    if (rc) goto out;
    rc = xlv__target_open(ctx, conn, dom, flags, &t);
    if (rc) goto out;
    rc = plan(ctx, &t, count, flags, &old_map, &new_map, &old);
    if (rc) goto out;
    if (!(flags & XLV_DRY_RUN)) {
        rc = xlv__vcpu_set_hooks(ctx, conn, &t, "before-vcpu-set.d", old,
                                count, flags, "");
        if (rc) goto out;
        rc = apply(ctx, conn, &t, &old_map, &new_map, old, count);
        if (rc) goto out;
        xlv__lock_log(conn, t.name, xlv__target_scope(&t), "vcpu-set %s %u",
                      flags & XLV_VCPU_MAXIMUM ? "maximum" : "current",
                      count);
        xlv__vcpu_set_hooks(ctx, conn, &t, "after-vcpu-set.d", old, count,
                            flags, "ok");
    }
    if (old_r)
        *old_r = old;
    rc = 0;
 out:
    libxl_bitmap_dispose(&old_map);
    libxl_bitmap_dispose(&new_map);
    xlv__target_close(&t);
    return rc;
}
