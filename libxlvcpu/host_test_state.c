/*
 * The test host's state in memory: the default host, and finding,
 * making and disposing of its domains.  See host_test.h.
 */
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "host_test.h"

/* The default host. */
#define DOM0_VCPUS 2
#define DOM0_MEMORY_KIB (1024ull * 1024)

/* Longest domain name the host takes, in bytes. */
#define MAX_NAME_BYTES 256

void xlv__test_state_init(xlv__test_state *st)
{
    memset(st, 0, sizeof(*st));
}

void xlv__test_domain_dispose(xlv__test_domain *d)
{
    unsigned int i;

    if (d->vcpus) {
        for (i = 0; i < d->max_vcpus; i++) {
            libxl_bitmap_dispose(&d->vcpus[i].hard);
            libxl_bitmap_dispose(&d->vcpus[i].soft);
        }
    }
    free(d->vcpus);
    free(d->name);
    memset(d, 0, sizeof(*d));
}

void xlv__test_state_dispose(xlv__test_state *st)
{
    unsigned int i;

    for (i = 0; i < st->n_nodes; i++)
        libxl_bitmap_dispose(&st->nodes[i]);
    free(st->nodes);
    for (i = 0; i < st->n_doms; i++)
        xlv__test_domain_dispose(&st->doms[i]);
    free(st->doms);
    xlv__test_state_init(st);
}

/* Make BM the set of pCPUs FIRST..LAST in a map of PCPUS bits. */
int xlv__test_bitmap_range(xlv_ctx *ctx, libxl_bitmap *bm, unsigned int pcpus,
                           unsigned int first, unsigned int last)
{
    unsigned int i;
    int rc;

    rc = xlv__bitmap_alloc(ctx, bm, pcpus);
    if (rc) return rc;
    for (i = first; i <= last && i < pcpus; i++)
        libxl_bitmap_set(bm, (int)i);
    return 0;
}

/* The lowest set bit of BM, or -1. */
static int bitmap_first(const libxl_bitmap *bm)
{
    unsigned int i, n = xlv__bitmap_nbits(bm);

    for (i = 0; i < n; i++) {
        if (!bm->map[i / 8]) {
            i += 7;
            continue;
        }
        if (libxl_bitmap_test(bm, i))
            return (int)i;
    }
    return -1;
}

/*
 * The pCPU a vCPU is shown on: the first of its effective affinity, which
 * is hard and soft together when they meet, else hard (as Xen schedules).
 */
int xlv__test_vcpu_cpu(const xlv__test_vcpu *v)
{
    uint32_t i, n = v->hard.size < v->soft.size ? v->hard.size
                                                : v->soft.size;

    if (!v->online)
        return -1;
    for (i = 0; i < n; i++) {
        uint8_t both = v->hard.map[i] & v->soft.map[i];

        if (both)
            return (int)(i * 8 + (unsigned int)__builtin_ctz(both));
    }
    return bitmap_first(&v->hard);
}

/*
 * Give D MAX vCPUs, offline, with affinity "all", no time used.
 * D->vcpus must be NULL.
 */
int xlv__test_domain_alloc_vcpus(xlv_ctx *ctx, xlv__test_domain *d,
                                 unsigned int max, unsigned int pcpus)
{
    unsigned int i;
    int rc;

    d->vcpus = calloc(max, sizeof(*d->vcpus));
    if (!d->vcpus)
        return xlv__nomem(ctx, "the vcpus of a test host domain");
    d->max_vcpus = max;
    for (i = 0; i < max; i++) {
        libxl_bitmap_init(&d->vcpus[i].hard);
        libxl_bitmap_init(&d->vcpus[i].soft);
        rc = xlv__test_bitmap_range(ctx, &d->vcpus[i].hard, pcpus, 0,
                                    pcpus - 1);
        if (rc) return rc;
        rc = xlv__test_bitmap_range(ctx, &d->vcpus[i].soft, pcpus, 0,
                                    pcpus - 1);
        if (rc) return rc;
    }
    return 0;
}

/* Two nodes, each with half the pCPUs; one when there is a single pCPU. */
int xlv__test_default_numa(xlv_ctx *ctx, xlv__test_state *st)
{
    unsigned int n = st->pcpus >= 2 ? 2 : 1, i, per = st->pcpus / n, last;
    int rc;

    st->nodes = calloc(n, sizeof(*st->nodes));
    if (!st->nodes)
        return xlv__nomem(ctx, "the numa nodes of the test host");
    st->n_nodes = n;
    for (i = 0; i < n; i++) {
        libxl_bitmap_init(&st->nodes[i]);
        last = i == n - 1 ? st->pcpus - 1 : (i + 1) * per - 1;
        rc = xlv__test_bitmap_range(ctx, &st->nodes[i], st->pcpus, i * per,
                                    last);
        if (rc) return rc;
    }
    return 0;
}

/* Domain-0 of the default host, into the empty ST->doms. */
int xlv__test_default_dom0(xlv_ctx *ctx, xlv__test_state *st)
{
    xlv__test_domain *d;
    unsigned int i;
    int rc;

    st->doms = calloc(1, sizeof(*st->doms));
    if (!st->doms)
        return xlv__nomem(ctx, "the domains of the test host");
    st->n_doms = 1;
    d = &st->doms[0];
    d->domid = 0;
    d->type = XLV_DOMAIN_TYPE_PV;
    d->memory_kib = DOM0_MEMORY_KIB;
    d->name = strdup("Domain-0");
    if (!d->name)
        return xlv__nomem(ctx, "a domain name");
    rc = xlv__test_domain_alloc_vcpus(ctx, d, DOM0_VCPUS, st->pcpus);
    if (rc) return rc;
    for (i = 0; i < DOM0_VCPUS; i++)
        d->vcpus[i].online = true;
    return 0;
}

int xlv__test_state_default(xlv_ctx *ctx, xlv__test_state *st)
{
    int rc;

    st->pcpus = XLV__TEST_DEFAULT_PCPUS;
    st->caps = XLV__CAPS_ALL;
    st->next_domid = 1;
    rc = xlv__test_default_numa(ctx, st);
    if (rc) return rc;
    return xlv__test_default_dom0(ctx, st);
}

xlv__test_domain *xlv__test_find_domid(xlv__test_state *st, uint32_t domid)
{
    unsigned int i;

    for (i = 0; i < st->n_doms; i++) {
        if (st->doms[i].domid == domid)
            return &st->doms[i];
    }
    return NULL;
}

xlv__test_domain *xlv__test_find_name(xlv__test_state *st, const char *name)
{
    unsigned int i;

    for (i = 0; i < st->n_doms; i++) {
        if (!strcmp(st->doms[i].name, name))
            return &st->doms[i];
    }
    return NULL;
}

/*
 * Why NAME cannot name a domain here, or NULL.  An all-digit name would
 * read as a domid; control characters would break listings.
 */
const char *xlv__test_name_problem(const char *name)
{
    size_t bad;

    if (!*name)
        return "is empty";
    if (strlen(name) > MAX_NAME_BYTES)
        return "is too long";
    if (xlv__all_digits(name))
        return "is a number";
    if (!xlv__utf8_valid(name, strlen(name), &bad))
        return "is not valid utf-8";
    if (xlv__text_problem(name))
        return "holds a control character";
    return NULL;
}
