/*
 * What xlv_domain_apply() has to change in each scope: the definition's
 * vCPU facts against the file's, and the running domain's against them.
 * Affinities are compared as the change list shows them (a cpu list, or
 * "all"), so that a pin of every pCPU and no pin at all are the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "cpuset.h"

/*
 * SET, whose bits stand for pCPUs 0..NR-1 (more are ignored), as the
 * change list shows it: "all" when it is NULL or holds all NR, else its
 * cpu list.  NULL when out of memory.
 */
static char *affinity_text(xlv_ctx *ctx, const libxl_bitmap *set,
                           unsigned int nr)
{
    libxl_bitmap within;
    unsigned int i, n = 0;
    char *text = NULL;

    if (!set)
        return strdup("all");
    libxl_bitmap_init(&within);
    if (xlv__bitmap_alloc(ctx, &within, nr))
        return NULL;
    for (i = 0; i < nr && i < xlv__bitmap_nbits(set); i++) {
        if (libxl_bitmap_test(set, (int)i)) {
            libxl_bitmap_set(&within, (int)i);
            n++;
        }
    }
    text = n == nr ? strdup("all") : xlv__cpuset_format(&within);
    libxl_bitmap_dispose(&within);
    return text;
}

/*
 * Note the affinity changes of vCPUs 0..N-1 where OLD[i] and NEW[i]
 * differ: one change for each run of neighbours that change alike.
 */
static int note_affinity_runs(xlv_ctx *ctx, xlv_apply_result *r,
                              const char *scope, const char *which,
                              char *const *old, char *const *new,
                              unsigned int n)
{
    unsigned int i = 0, j;
    int rc;

    while (i < n) {
        if (!strcmp(old[i], new[i])) {
            i++;
            continue;
        }
        for (j = i + 1; j < n && !strcmp(old[j], old[i]) &&
             !strcmp(new[j], new[i]); j++)
            ;
        if (j - i == 1)
            rc = xlv__apply_note(ctx, r, scope, old[i], new[i],
                                 "%s affinity of vcpu %u", which, i);
        else
            rc = xlv__apply_note(ctx, r, scope, old[i], new[i],
                                 "%s affinity of vcpus %u-%u", which, i,
                                 j - 1);
        if (rc) return rc;
        i = j;
    }
    return 0;
}

/* The affinities of N vCPUs as the change list shows them: before and
 * after, hard and soft; each array has N strings. */
typedef struct {
    char **old_hard, **new_hard, **old_soft, **new_soft;
    unsigned int n;
} affinity_texts;

static void texts_dispose(affinity_texts *a)
{
    char **arrays[] = { a->old_hard, a->new_hard, a->old_soft, a->new_soft };
    unsigned int i, k;

    for (k = 0; k < 4; k++) {
        for (i = 0; arrays[k] && i < a->n; i++)
            free(arrays[k][i]);
        free(arrays[k]);
    }
    memset(a, 0, sizeof(*a));
}

/* A with room for N vCPUs, every string NULL. */
static int texts_init(xlv_ctx *ctx, affinity_texts *a, unsigned int n)
{
    size_t size = (n ? n : 1) * sizeof(char *);

    a->n = n;
    a->old_hard = calloc(1, size);
    a->new_hard = calloc(1, size);
    a->old_soft = calloc(1, size);
    a->new_soft = calloc(1, size);
    if (a->old_hard && a->new_hard && a->old_soft && a->new_soft)
        return 0;
    texts_dispose(a);
    return xlv__nomem(ctx, "the affinities");
}

/* Note the changes of A in SCOPE: the hard affinities, then the soft. */
static int note_affinities(xlv_ctx *ctx, xlv_apply_result *r,
                           const char *scope, const affinity_texts *a)
{
    int rc;

    rc = note_affinity_runs(ctx, r, scope, "hard", a->old_hard, a->new_hard,
                            a->n);
    if (rc) return rc;
    return note_affinity_runs(ctx, r, scope, "soft", a->old_soft,
                              a->new_soft, a->n);
}

/* Note "vcpus" when the count changes from OLD to NEW, and "online" when
 * which vCPUs are online changes in a way the count does not say. */
static int note_online(xlv_ctx *ctx, xlv_apply_result *r, const char *scope,
                       const libxl_bitmap *old, const libxl_bitmap *new)
{
    unsigned int co = xlv__bitmap_count(old), cn = xlv__bitmap_count(new);
    char so[16], sn[16], *lo = NULL, *ln = NULL;
    int rc = 0;

    if (co != cn) {
        snprintf(so, sizeof(so), "%u", co);
        snprintf(sn, sizeof(sn), "%u", cn);
        rc = xlv__apply_note(ctx, r, scope, so, sn, "vcpus");
        if (rc) return rc;
    }
    if (libxl_bitmap_equal(old, new, 0) ||
        (co != cn && xlv__bitmap_is_first_n(old, co) &&
         xlv__bitmap_is_first_n(new, cn)))
        return 0;
    lo = xlv__cpuset_format(old);
    ln = xlv__cpuset_format(new);
    if (!lo || !ln)
        rc = xlv__nomem(ctx, "an online map");
    else
        rc = xlv__apply_note(ctx, r, scope, lo, ln, "online");
    free(lo);
    free(ln);
    return rc;
}

/* ---- config ---- */

/* vCPU I's hard (HARD) or soft affinity in definition DOM, as the change
 * list shows it; a default that names NUMA nodes as written. */
static char *config_text(xlv_ctx *ctx, const xlv_domain *dom, bool hard,
                         unsigned int i)
{
    const libxl_bitmap *pins = hard ? dom->hard : dom->soft;
    const char *nodes = hard ? dom->hard_nodes : dom->soft_nodes;

    if (!pins[i].size && nodes)
        return strdup(nodes);
    return affinity_text(ctx, hard ? xlv__domain_hard(dom, i)
                                   : xlv__domain_soft(dom, i),
                         XLV_MAX_PCPUS);
}

/* DST's string copy of SRC (NULL too). */
static int copy_text(xlv_ctx *ctx, char **dst, const char *src)
{
    free(*dst);
    *dst = NULL;
    return xlv__strdup(ctx, dst, src);
}

/* Give DEF WANT's affinities, defaults and pins (same maximum). */
static int copy_affinities(xlv_ctx *ctx, xlv_domain *def,
                           const xlv_domain *want)
{
    unsigned int i;
    int rc;

    rc = xlv__bitmap_copy(ctx, &def->hard_default, &want->hard_default);
    if (rc) return rc;
    rc = xlv__bitmap_copy(ctx, &def->soft_default, &want->soft_default);
    if (rc) return rc;
    rc = copy_text(ctx, &def->hard_nodes, want->hard_nodes);
    if (rc) return rc;
    rc = copy_text(ctx, &def->soft_nodes, want->soft_nodes);
    if (rc) return rc;
    for (i = 0; i < def->max_vcpus; i++) {
        rc = xlv__bitmap_copy(ctx, &def->hard[i], &want->hard[i]);
        if (rc) return rc;
        rc = xlv__bitmap_copy(ctx, &def->soft[i], &want->soft[i]);
        if (rc) return rc;
    }
    return 0;
}

/* Note how the affinities of DEF differ from WANT's (same maximum);
 * *DIFFER_R says whether any does. */
static int note_config_affinities(xlv_ctx *ctx, xlv_apply_result *r,
                                  const xlv_domain *def,
                                  const xlv_domain *want, bool *differ_r)
{
    unsigned int before = r->n, i;
    affinity_texts a;
    int rc;

    rc = texts_init(ctx, &a, def->max_vcpus);
    if (rc) return rc;
    for (i = 0; i < a.n; i++) {
        a.old_hard[i] = config_text(ctx, def, true, i);
        a.new_hard[i] = config_text(ctx, want, true, i);
        a.old_soft[i] = config_text(ctx, def, false, i);
        a.new_soft[i] = config_text(ctx, want, false, i);
        if (!a.old_hard[i] || !a.new_hard[i] || !a.old_soft[i] ||
            !a.new_soft[i]) {
            rc = xlv__nomem(ctx, "the affinities");
            goto out;
        }
    }
    rc = note_affinities(ctx, r, "config", &a);
    if (rc) goto out;
    *differ_r = r->n > before;
 out:
    texts_dispose(&a);
    return rc;
}

int xlv__apply_plan_config(xlv_ctx *ctx, xlv__target *t,
                           const xlv_domain *want, xlv_apply_result *r,
                           bool *changed_r)
{
    xlv_domain *def = t->def;
    unsigned int before = r->n;
    char so[16], sn[16];
    bool pins = false;
    int rc;

    if (def->type != want->type)
        return xlv__error(ctx, XLV_ERR_CONFLICT, "domain '%s' is defined as "
                          "%s and the file makes it %s: apply changes vcpus "
                          "only (xlvcpu define replaces the definition)",
                          t->name, xlv__domain_type_name(def->type),
                          xlv__domain_type_name(want->type));
    if (def->max_vcpus != want->max_vcpus) {
        snprintf(so, sizeof(so), "%u", def->max_vcpus);
        snprintf(sn, sizeof(sn), "%u", want->max_vcpus);
        rc = xlv__apply_note(ctx, r, "config", so, sn, "maximum");
        if (rc) return rc;
        rc = xlv__domain_set_max(ctx, def, want->max_vcpus);
        if (rc) return rc;
    }
    rc = note_online(ctx, r, "config", &def->online, &want->online);
    if (rc) return rc;
    rc = xlv__bitmap_copy(ctx, &def->online, &want->online);
    if (rc) return rc;
    rc = note_config_affinities(ctx, r, def, want, &pins);
    if (rc) return rc;
    if (pins) {
        rc = copy_affinities(ctx, def, want);
        if (rc) return rc;
    }
    *changed_r = r->n > before;
    return 0;
}

/* ---- live ---- */

void xlv__live_plan_dispose(xlv__live_plan *p)
{
    libxl_bitmap_dispose(&p->old_online);
    libxl_bitmap_dispose(&p->new_online);
    xlv__bitmap_array_free(p->hard, p->n_vcpus);
    xlv__bitmap_array_free(p->soft, p->n_vcpus);
    xlv__vcpuinfo_list_free(p->vcpus, p->n_vcpus);
    memset(p, 0, sizeof(*p));
}

/*
 * The live form of vCPU I's affinity in WANT (EFFECTIVE, NULL for none)
 * on a host of NR pCPUs into *SET_R, when it differs from what Xen has
 * (OLD): every pCPU for none, else those of the host.  A set with no pCPU
 * of the host is refused: Xen would refuse it.
 */
static int live_affinity(xlv_ctx *ctx, const char *which, unsigned int i,
                         const libxl_bitmap *effective,
                         const libxl_bitmap *old, unsigned int nr,
                         libxl_bitmap *set_r, char **old_text_r,
                         char **new_text_r)
{
    unsigned int b;
    int rc;

    *old_text_r = affinity_text(ctx, old, nr);
    *new_text_r = affinity_text(ctx, effective, nr);
    if (!*old_text_r || !*new_text_r)
        return xlv__nomem(ctx, "the affinities");
    if (!**new_text_r) {
        char *asked = xlv__cpuset_format(effective);

        rc = xlv__error(ctx, XLV_ERR_INVAL, "%s affinity '%.80s' of vcpu %u "
                        "has no cpu of the host, whose cpus are 0-%u",
                        which, asked ? asked : "?", i, nr - 1);
        free(asked);
        return rc;
    }
    if (!strcmp(*old_text_r, *new_text_r))
        return 0;
    rc = xlv__bitmap_alloc(ctx, set_r, nr);
    if (rc) return rc;
    for (b = 0; b < nr; b++) {
        if (!effective || (b < xlv__bitmap_nbits(effective) &&
                           libxl_bitmap_test(effective, (int)b)))
            libxl_bitmap_set(set_r, (int)b);
    }
    return 0;
}

/* Plan the affinities of every vCPU of T against WANT's, noting them. */
static int plan_live_affinities(xlv_ctx *ctx, xlv__target *t,
                                const xlv_domain *want, xlv__live_plan *p,
                                xlv_apply_result *r)
{
    unsigned int nr, i;
    libxl_bitmap hard, soft;
    affinity_texts a;
    int rc;

    memset(&a, 0, sizeof(a));
    libxl_bitmap_init(&hard);
    libxl_bitmap_init(&soft);
    rc = t->host->ops->list_vcpus(ctx, t->host, t->info.domid, &p->vcpus,
                                  &p->n_vcpus);
    if (rc) goto out;
    rc = xlv__host_nr_cpus(ctx, t->host, &nr);
    if (rc) goto out;
    rc = xlv__host_resolve_defaults(ctx, t->host, want, &hard, &soft);
    if (rc) goto out;
    p->hard = calloc(p->n_vcpus ? p->n_vcpus : 1, sizeof(*p->hard));
    p->soft = calloc(p->n_vcpus ? p->n_vcpus : 1, sizeof(*p->soft));
    if (!p->hard || !p->soft) {
        rc = xlv__nomem(ctx, "the affinities");
        goto out;
    }
    for (i = 0; i < p->n_vcpus; i++) {
        libxl_bitmap_init(&p->hard[i]);
        libxl_bitmap_init(&p->soft[i]);
    }
    rc = texts_init(ctx, &a, p->n_vcpus < want->max_vcpus ? p->n_vcpus
                                                          : want->max_vcpus);
    if (rc) goto out;
    for (i = 0; i < a.n; i++) {
        rc = live_affinity(ctx, "hard", i,
                           xlv__pin_or(want->hard, want->max_vcpus, &hard, i),
                           &p->vcpus[i].hard, nr, &p->hard[i],
                           &a.old_hard[i], &a.new_hard[i]);
        if (rc) goto out;
        rc = live_affinity(ctx, "soft", i,
                           xlv__pin_or(want->soft, want->max_vcpus, &soft, i),
                           &p->vcpus[i].soft, nr, &p->soft[i],
                           &a.old_soft[i], &a.new_soft[i]);
        if (rc) goto out;
        p->pins = p->pins || p->hard[i].size || p->soft[i].size;
    }
    rc = note_affinities(ctx, r, "live", &a);
 out:
    texts_dispose(&a);
    libxl_bitmap_dispose(&hard);
    libxl_bitmap_dispose(&soft);
    return rc;
}

int xlv__apply_plan_live(xlv_ctx *ctx, xlv__target *t, const xlv_domain *want,
                         unsigned int flags, xlv__live_plan *p,
                         xlv_apply_result *r)
{
    int rc;

    if (want->max_vcpus != t->info.max_vcpus)
        return xlv__error(ctx, XLV_ERR_UNSUPPORTED, "domain '%s' runs with "
                          "a maximum of %u vcpus and the file says %u: xen "
                          "cannot change the maximum of a running domain "
                          "(apply --config, then restart it)", t->name,
                          t->info.max_vcpus, want->max_vcpus);
    if ((want->type == XLV_DOMAIN_TYPE_PV) !=
        (t->info.type == XLV_DOMAIN_TYPE_PV))
        return xlv__error(ctx, XLV_ERR_CONFLICT, "domain '%s' runs as %s "
                          "and the file makes it %s", t->name,
                          xlv__domain_type_name(t->info.type),
                          xlv__domain_type_name(want->type));
    rc = xlv__live_online_map(ctx, t, &p->old_online);
    if (rc) return rc;
    rc = xlv__bitmap_copy(ctx, &p->new_online, &want->online);
    if (rc) return rc;
    rc = xlv__live_online_check(ctx, t, &p->old_online, &p->new_online,
                                flags);
    if (rc) return rc;
    rc = note_online(ctx, r, "live", &p->old_online, &p->new_online);
    if (rc) return rc;
    return plan_live_affinities(ctx, t, want, p, r);
}
