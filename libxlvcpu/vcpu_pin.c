/*
 * xlv_vcpu_pin: hard and soft affinity of one vCPU or all, in a scope.
 * Pins are kept per vCPU in the definition, so an offline vCPU can be
 * pinned and keeps its pin across unplug and plug.  The live pins are the
 * hypervisor's alone: no file changes with them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "scope.h"

static const unsigned int known_flags = XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG |
    XLV_VCPU_FORCE | XLV_DRY_RUN;

/* A parsed HARD or SOFT argument. */
typedef struct {
    bool change;                /* not NULL or "-" */
    bool any;                   /* "all": no affinity */
    libxl_bitmap set;           /* otherwise */
} pin_arg;

/*
 * Parse S.  node:N is resolved in the layout the caller gave the ctx
 * (xlv_ctx_set_numa_nodes()), else in the host's, asked for this argument
 * only: the ctx is the caller's and stays as it was.
 */
static int parse_arg(xlv_ctx *ctx, xlv_conn *conn, pin_arg *arg,
                     const char *s, const char *which)
{
    libxl_bitmap *nodes = NULL;
    unsigned int nr, n_nodes = 0;
    xlv__host *host;
    char what[64];
    int rc;

    libxl_bitmap_init(&arg->set);
    arg->change = s && strcmp(s, "-");
    arg->any = arg->change && !strcmp(s, "all");
    if (!arg->change || arg->any)
        return 0;
    snprintf(what, sizeof(what), "%s affinity '%%s'", which);
    if (!strstr(s, "node") || ctx->n_numa_nodes)
        return xlv__xl_cpus_parse(ctx, &arg->set, s, XLV_MAX_PCPUS, what);
    rc = xlv__conn_host(ctx, conn, &host);
    if (rc) goto out;
    rc = host->ops->physinfo(ctx, host, &nr, NULL, &nodes, &n_nodes);
    if (rc) goto out;
    rc = xlv__xl_cpus_parse_nodes(ctx, &arg->set, s, XLV_MAX_PCPUS, what,
                                  nodes, n_nodes);
 out:
    xlv__bitmap_array_free(nodes, n_nodes);
    return rc;
}

/* Set one vCPU's pin in a definition.  "all" must mean every pCPU even
 * when the domain has a default (HAS_DEFAULT), which the pin overrides. */
static int pin_model(xlv_ctx *ctx, libxl_bitmap *pins, bool has_default,
                     unsigned int i, const pin_arg *arg)
{
    int rc;

    if (!arg->change)
        return 0;
    libxl_bitmap_dispose(&pins[i]);
    if (!arg->any)
        return xlv__bitmap_copy(ctx, &pins[i], &arg->set);
    if (!has_default)
        return 0;
    rc = xlv__bitmap_alloc(ctx, &pins[i], XLV_MAX_PCPUS);
    if (rc) return rc;
    libxl_bitmap_set_any(&pins[i]);
    return 0;
}

/* Apply the pin to vCPUs FIRST..LAST of a definition. */
static int pin_definition(xlv_ctx *ctx, xlv_domain *dom, unsigned int first,
                          unsigned int last, const pin_arg *hard,
                          const pin_arg *soft)
{
    unsigned int i;
    int rc;

    /* "all" for every vCPU drops the default too. */
    if (first == 0 && last + 1 == dom->max_vcpus) {
        if (hard->change && hard->any) {
            libxl_bitmap_dispose(&dom->hard_default);
            free(dom->hard_nodes);
            dom->hard_nodes = NULL;
        }
        if (soft->change && soft->any) {
            libxl_bitmap_dispose(&dom->soft_default);
            free(dom->soft_nodes);
            dom->soft_nodes = NULL;
        }
    }
    for (i = first; i <= last; i++) {
        rc = pin_model(ctx, dom->hard,
                       dom->hard_default.size || dom->hard_nodes, i, hard);
        if (rc) return rc;
        rc = pin_model(ctx, dom->soft,
                       dom->soft_default.size || dom->soft_nodes, i, soft);
        if (rc) return rc;
    }
    return 0;
}

static int live_map(xlv_ctx *ctx, libxl_bitmap *out, const pin_arg *arg,
                    unsigned int nr_cpus)
{
    int rc;

    if (!arg->any)
        return xlv__bitmap_copy(ctx, out, &arg->set);
    rc = xlv__bitmap_alloc(ctx, out, nr_cpus);
    if (rc) return rc;
    libxl_bitmap_set_any(out);
    return 0;
}

/*
 * Put back the pins of vCPUs FIRST..LAST from OLD, every one even when
 * one fails.  0 when all went back; else XLV_ERR_LIBXL with *kept_r the
 * vCPUs that keep the new pin ("1,3"), for the caller to say.
 */
static int put_back_live(xlv_ctx *ctx, xlv__target *t, unsigned int first,
                         unsigned int last, const xlv__vcpuinfo *old,
                         char **kept_r)
{
    libxl_bitmap kept;
    unsigned int i;
    int rc;

    *kept_r = NULL;
    libxl_bitmap_init(&kept);
    rc = xlv__bitmap_alloc(ctx, &kept, last + 1);
    if (rc) goto out;
    for (i = first; i <= last; i++) {
        if (t->host->ops->set_vcpuaffinity(ctx, t->host, t->info.domid, i,
                                           &old[i].hard, &old[i].soft, true))
            libxl_bitmap_set(&kept, (int)i);
    }
    if (libxl_bitmap_is_empty(&kept)) {
        rc = 0;
        goto out;
    }
    *kept_r = xlv__cpuset_format(&kept);
    rc = *kept_r ? XLV_ERR_LIBXL : xlv__nomem(ctx, "a vcpu list");
 out:
    libxl_bitmap_dispose(&kept);
    return rc;
}

/* Pin vCPUs FIRST..LAST live; on failure put back those done from OLD. */
static int pin_live(xlv_ctx *ctx, xlv__target *t, unsigned int first,
                    unsigned int last, const pin_arg *hard,
                    const pin_arg *soft, bool force,
                    const xlv__vcpuinfo *old)
{
    libxl_bitmap h, s;
    unsigned int nr = 0, i;
    xlv__error_state first_error;
    char *kept = NULL;
    int rc;

    libxl_bitmap_init(&h);
    libxl_bitmap_init(&s);
    /* "all" is every pCPU of the host: only then ask how many. */
    if ((hard->change && hard->any) || (soft->change && soft->any)) {
        rc = xlv__host_nr_cpus(ctx, t->host, &nr);
        if (rc) goto out;
    }
    if (hard->change) {
        rc = live_map(ctx, &h, hard, nr);
        if (rc) goto out;
    }
    if (soft->change) {
        rc = live_map(ctx, &s, soft, nr);
        if (rc) goto out;
    }
    for (i = first; i <= last; i++) {
        rc = t->host->ops->set_vcpuaffinity(ctx, t->host, t->info.domid, i,
                                            hard->change ? &h : NULL,
                                            soft->change ? &s : NULL,
                                            force);
        if (!rc)
            continue;
        if (i == first)
            goto out;
        xlv__error_save(ctx, &first_error);
        if (put_back_live(ctx, t, first, i - 1, old, &kept))
            rc = xlv__error_then(ctx, rc, &first_error, "putting back the "
                                 "old pin failed too: vcpus '%s' of '%s' "
                                 "keep the new pin", kept ? kept : "?",
                                 t->name);
        else
            rc = xlv__error_then(ctx, rc, &first_error, "the vcpus already "
                                 "pinned were put back");
        goto out;
    }
    rc = 0;
 out:
    free(kept);
    libxl_bitmap_dispose(&h);
    libxl_bitmap_dispose(&s);
    return rc;
}

/*
 * The vCPUs to pin: FIRST to *LIVE_LAST_R live and to *CONFIG_LAST_R in
 * the definition.  One vCPU must exist in every scope changed; "all" is
 * every vCPU of each scope, whose maximums differ after a --config
 * --maximum.
 */
static int vcpu_range(xlv_ctx *ctx, const xlv__target *t, int vcpu,
                      unsigned int *first_r, unsigned int *live_last_r,
                      unsigned int *config_last_r)
{
    unsigned int max;

    *first_r = 0;
    *live_last_r = t->live ? t->info.max_vcpus - 1 : 0;
    *config_last_r = t->config ? t->def->max_vcpus - 1 : 0;
    if (vcpu == XLV_VCPU_ALL)
        return 0;
    max = t->config ? t->def->max_vcpus : t->info.max_vcpus;
    if (t->live && t->info.max_vcpus < max)
        max = t->info.max_vcpus;
    if ((unsigned int)vcpu >= max)
        return xlv__error(ctx, XLV_ERR_INVAL, "vcpu '%d' is not below the "
                          "maximum '%u' of domain '%s'", vcpu, max, t->name);
    *first_r = *live_last_r = *config_last_r = (unsigned int)vcpu;
    return 0;
}

/*
 * The live pins as they are, to put back if needed: when more than one
 * vCPU is pinned, or when the config write could still fail after the
 * live pin.  *OLD_R stays NULL when nothing will need putting back.
 */
static int keep_old_pins(xlv_ctx *ctx, const xlv__target *t,
                         unsigned int first, unsigned int last,
                         xlv__vcpuinfo **old_r, unsigned int *n_old_r)
{
    int rc;

    if (!t->live || (first == last && !t->config))
        return 0;
    rc = t->host->ops->list_vcpus(ctx, t->host, t->info.domid, old_r,
                                  n_old_r);
    if (rc) return rc;
    if (*n_old_r <= last)
        return xlv__error(ctx, XLV_ERR_STATE, "domain '%s' reports %u "
                          "vcpus, fewer than expected", t->name, *n_old_r);
    return 0;
}

/*
 * Pin live (FIRST to LAST), then save the definition; a definition that
 * cannot be saved puts the live pins back (OLD).
 */
static int apply(xlv_ctx *ctx, xlv_conn *conn, xlv__target *t,
                 unsigned int first, unsigned int last, const pin_arg *h,
                 const pin_arg *s, bool force, const xlv__vcpuinfo *old)
{
    xlv__error_state first_error;
    char *kept = NULL;
    int rc;

    if (t->live) {
        rc = pin_live(ctx, t, first, last, h, s, force, old);
        if (rc) {
            rc = xlv__target_live_failed(ctx, t, rc);
            goto out;
        }
    }
    if (!t->config) {
        rc = 0;
        goto out;
    }
    rc = xlv__definition_save(ctx, conn->store, t->def);
    if (!rc || !t->live) goto out;
    xlv__error_save(ctx, &first_error);
    if (put_back_live(ctx, t, first, last, old, &kept))
        rc = xlv__error_then(ctx, rc, &first_error, "undoing the live pin "
                             "failed too: vcpus '%s' of '%s' keep the new "
                             "pin", kept ? kept : "?", t->name);
    else
        rc = xlv__error_then(ctx, rc, &first_error, "the live pin was "
                             "undone");
 out:
    free(kept);
    return rc;
}

int xlv_vcpu_pin(xlv_ctx *ctx, xlv_conn *conn, const char *dom, int vcpu,
                 const char *hard, const char *soft, unsigned int flags)
{
    pin_arg h = { false, false, { 0, NULL } }, s = h;
    xlv__vcpuinfo *old = NULL;
    unsigned int n_old = 0, first, live_last, config_last;
    char which[16];
    xlv__target t;
    int rc;

    memset(&t, 0, sizeof(t));
    t.lock = -1;
    rc = xlv__check_flags(ctx, "vcpu_pin", flags, known_flags);
    if (rc) goto out;
    if (vcpu < XLV_VCPU_ALL) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "vcpu '%d' is not a vcpu id",
                        vcpu);
        goto out;
    }
    rc = parse_arg(ctx, conn, &h, hard, "hard");
    if (rc) goto out;
    rc = parse_arg(ctx, conn, &s, soft, "soft");
    if (rc) goto out;
    if (!h.change && !s.change) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "nothing to pin: both hard and "
                        "soft affinity are '-'");
        goto out;
    }
    rc = xlv__target_open(ctx, conn, dom, flags, &t);
    if (rc) goto out;
    rc = vcpu_range(ctx, &t, vcpu, &first, &live_last, &config_last);
    if (rc) goto out;
    if (t.config) {
        rc = pin_definition(ctx, t.def, first, config_last, &h, &s);
        if (rc) goto out;
    }
    if (flags & XLV_DRY_RUN) {
        rc = 0;
        goto out;
    }
    rc = keep_old_pins(ctx, &t, first, live_last, &old, &n_old);
    if (rc) goto out;
    rc = apply(ctx, conn, &t, first, live_last, &h, &s,
               flags & XLV_VCPU_FORCE, old);
    if (rc) goto out;
    if (vcpu == XLV_VCPU_ALL)
        snprintf(which, sizeof(which), "all");
    else
        snprintf(which, sizeof(which), "%d", vcpu);
    xlv__lock_log(conn, t.name, xlv__target_scope(&t), "vcpu-pin %s %s %s",
                  which, h.change ? hard : "-", s.change ? soft : "-");
    rc = 0;
 out:
    xlv__vcpuinfo_list_free(old, n_old);
    libxl_bitmap_dispose(&h.set);
    libxl_bitmap_dispose(&s.set);
    xlv__target_close(&t);
    return rc;
}
