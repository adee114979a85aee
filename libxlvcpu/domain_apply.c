/*
 * xlv_domain_apply: make a domain's vCPU facts those of a file, changing
 * only what differs.  Planned in every scope first (apply_plan.c), then
 * made live (affinities, then the online map), then in the definition
 * with one write; a step that fails puts back the ones before it.
 */
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "cpuset.h"

static const unsigned int known_flags = XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG |
    XLV_VCPU_IGNORE_HOST | XLV_VCPU_FORCE | XLV_DRY_RUN;

/* What the hooks are told: the counts before the change. */
typedef struct {
    bool max_changes, count_changes;
    unsigned int old_max, old_count;
} hook_counts;

/*
 * Put back the affinities of the vCPUs below UPTO that P changed, every
 * one even when one fails; those that keep the new one are set in KEPT.
 */
static void put_back_affinities(xlv_ctx *ctx, xlv__target *t,
                                const xlv__live_plan *p, unsigned int upto,
                                libxl_bitmap *kept)
{
    unsigned int i;

    for (i = 0; i < upto; i++) {
        if (!p->hard[i].size && !p->soft[i].size)
            continue;
        if (t->host->ops->set_vcpuaffinity(ctx, t->host, t->info.domid, i,
                                           &p->vcpus[i].hard,
                                           &p->vcpus[i].soft, true))
            libxl_bitmap_set(kept, (int)i);
    }
}

/*
 * The live part failed with RC (its message on CTX) after the steps
 * before it: put them back (affinities below UPTO, the online map when
 * ONLINE_DONE) and say which way it ended, naming what stays changed
 * when putting back failed too.
 */
static int undo_live(xlv_ctx *ctx, xlv__target *t, const xlv__live_plan *p,
                     int rc, unsigned int upto, bool online_done)
{
    const libxl_bitmap *online = &p->old_online;
    xlv__error_state first;
    libxl_bitmap kept;
    char *list = NULL;
    int r;

    xlv__error_save(ctx, &first);
    libxl_bitmap_init(&kept);
    if (xlv__bitmap_alloc(ctx, &kept, p->n_vcpus ? p->n_vcpus : 1))
        return xlv__error_then(ctx, rc, &first, "out of memory undoing the "
                               "live changes: domain '%s' is partly "
                               "changed", t->name);
    if (online_done &&
        t->host->ops->set_vcpuonline(ctx, t->host, t->info.domid,
                                     &p->old_online))
        online = &p->new_online;
    put_back_affinities(ctx, t, p, upto, &kept);
    if (online == &p->old_online && libxl_bitmap_is_empty(&kept)) {
        r = xlv__error_then(ctx, rc, &first, "the live changes made were "
                            "undone");
        goto out;
    }
    list = libxl_bitmap_is_empty(&kept) ? NULL : xlv__cpuset_format(&kept);
    r = xlv__error_then(ctx, rc, &first, "undoing the live changes failed "
                        "too: domain '%s' has %u vcpus online%s%s%s",
                        t->name, xlv__bitmap_count(online),
                        list ? ", and vcpus '" : "", list ? list : "",
                        list ? "' keep the new affinity" : "");
 out:
    free(list);
    libxl_bitmap_dispose(&kept);
    return r;
}

/* Make P on running domain T: affinities, then the online map. */
static int apply_live(xlv_ctx *ctx, xlv__target *t, const xlv__live_plan *p,
                      bool force)
{
    bool done = false;
    unsigned int i;
    int rc;

    for (i = 0; p->pins && i < p->n_vcpus; i++) {
        if (!p->hard[i].size && !p->soft[i].size)
            continue;
        rc = t->host->ops->set_vcpuaffinity(ctx, t->host, t->info.domid, i,
                                            p->hard[i].size ? &p->hard[i]
                                                            : NULL,
                                            p->soft[i].size ? &p->soft[i]
                                                            : NULL,
                                            force);
        if (rc) return done ? undo_live(ctx, t, p, rc, i, false) : rc;
        done = true;
    }
    /* Asked even when Xen already runs it: a guest still taking an
     * earlier request goes on to that one otherwise (vcpu_set.c). */
    rc = t->host->ops->set_vcpuonline(ctx, t->host, t->info.domid,
                                      &p->new_online);
    if (rc) return done ? undo_live(ctx, t, p, rc, p->n_vcpus, false) : rc;
    return 0;
}

/* Run the vcpu-set hooks of STAGE for the count and maximum changes. */
static int run_hooks(xlv_ctx *ctx, xlv_conn *conn, const xlv__target *t,
                     const hook_counts *h, const xlv_domain *want,
                     const char *stage, const char *result)
{
    int rc;

    if (h->max_changes) {
        rc = xlv__vcpu_set_hooks(ctx, conn, t, stage, h->old_max,
                                 want->max_vcpus, XLV_VCPU_MAXIMUM, result);
        if (rc) return rc;
    }
    if (h->count_changes)
        return xlv__vcpu_set_hooks(ctx, conn, t, stage, h->old_count,
                                   xlv__bitmap_count(&want->online), 0,
                                   result);
    return 0;
}

/* Plan both scopes of T into P and R; fill H for the hooks. */
static int plan(xlv_ctx *ctx, xlv__target *t, const xlv_domain *want,
                unsigned int flags, xlv__live_plan *p, xlv_apply_result *r,
                hook_counts *h, bool *config_changes_r)
{
    unsigned int count = xlv__bitmap_count(&want->online);
    int rc;

    *config_changes_r = false;
    if (t->live) {
        rc = xlv__apply_plan_live(ctx, t, want, flags, p, r);
        if (rc) return rc;
        h->old_count = xlv__bitmap_count(&p->old_online);
        h->count_changes = h->old_count != count;
    }
    if (t->config) {
        h->old_max = t->def->max_vcpus;
        h->max_changes = h->old_max != want->max_vcpus;
        if (!t->live)
            h->old_count = xlv__bitmap_count(&t->def->online);
        h->count_changes = h->count_changes ||
            xlv__bitmap_count(&t->def->online) != count;
        rc = xlv__apply_plan_config(ctx, t, want, r, config_changes_r);
        if (rc) return rc;
    }
    return 0;
}

/* Make the planned changes: live first, then the definition. */
static int apply(xlv_ctx *ctx, xlv_conn *conn, xlv__target *t,
                 const xlv__live_plan *p, bool config_changes,
                 unsigned int flags)
{
    int rc;

    if (t->live) {
        rc = apply_live(ctx, t, p, flags & XLV_VCPU_FORCE);
        if (rc) return xlv__target_live_failed(ctx, t, rc);
    }
    if (!config_changes)
        return 0;
    rc = xlv__definition_save(ctx, conn->store, t->def);
    if (rc && t->live)
        rc = undo_live(ctx, t, p, rc, p->n_vcpus,
                       !libxl_bitmap_equal(&p->old_online, &p->new_online,
                                           0));
    return rc;
}

int xlv_domain_apply(xlv_ctx *ctx, xlv_conn *conn, xlv_apply_result **result_r,
                     const xlv_domain *want, unsigned int flags)
{
    xlv_apply_result *r = NULL;
    xlv__live_plan p;
    hook_counts h = { false, false, 0, 0 };
    bool config_changes = false;
    xlv__target t;
    int rc;

    if (result_r)
        *result_r = NULL;
    memset(&p, 0, sizeof(p));
    memset(&t, 0, sizeof(t));
    t.lock = -1;
    rc = xlv__check_flags(ctx, "domain_apply", flags, known_flags);
    if (rc) goto out;
    if (!want) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "domain_apply: no domain given");
        goto out;
    }
    r = calloc(1, sizeof(*r));
    if (!r) {
        rc = xlv__nomem(ctx, "a list of changes");
        goto out;
    }
    rc = xlv__target_open(ctx, conn, want->name, flags, &t);
    if (rc) goto out;
    r->scope = xlv__target_scope(&t);
    rc = plan(ctx, &t, want, flags, &p, r, &h, &config_changes);
    if (rc) goto out;
    if (r->n && !(flags & XLV_DRY_RUN)) {
        rc = run_hooks(ctx, conn, &t, &h, want, "before-vcpu-set.d", "");
        if (rc) goto out;
        rc = apply(ctx, conn, &t, &p, config_changes, flags);
        if (rc) goto out;
        xlv__lock_log(conn, t.name, r->scope, "apply %u changes", r->n);
        run_hooks(ctx, conn, &t, &h, want, "after-vcpu-set.d", "ok");
    }
    if (result_r) {
        *result_r = r;
        r = NULL;
    }
    rc = 0;
 out:
    xlv_apply_result_free(r);
    xlv__live_plan_dispose(&p);
    xlv__target_close(&t);
    return rc;
}
