/*
 * xlv_domain_get_xml: the persistent definition, or the live one with the vCPU
 * elements showing what the hypervisor says now, so that changes made
 * behind our back (plain xl vcpu-set / vcpu-pin) show too.
 */
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "scope.h"

/* Whether A and B agree on the pCPUs below NR (NULL: all of them). */
static bool same_below(const libxl_bitmap *a, const libxl_bitmap *b,
                       unsigned int nr)
{
    unsigned int i;

    for (i = 0; i < nr; i++) {
        bool x = !a || libxl_bitmap_test(a, i);
        bool y = !b || libxl_bitmap_test(b, i);

        if (x != y)
            return false;
    }
    return true;
}

/* Make PINS[i] say MAP unless the definition already means it. */
static int overlay_pin(xlv_ctx *ctx, libxl_bitmap *pin,
                       const libxl_bitmap *effective,
                       const libxl_bitmap *map, unsigned int nr)
{
    bool all = same_below(NULL, map, nr);
    int rc;

    if (same_below(effective, map, nr))
        return 0;
    libxl_bitmap_dispose(pin);
    if (all) {
        /* Every pCPU, overriding a default cpuset. */
        rc = xlv__bitmap_alloc(ctx, pin, XLV_MAX_PCPUS);
        if (rc) return rc;
        libxl_bitmap_set_any(pin);
        return 0;
    }
    return xlv__bitmap_copy(ctx, pin, map);
}

static int overlay_live(xlv_ctx *ctx, xlv__host *host, xlv_domain *dom,
                        const xlv__dominfo *info)
{
    xlv__vcpuinfo *vcpus = NULL;
    unsigned int n = 0, nr, i;
    int rc;

    rc = xlv__host_nr_cpus(ctx, host, &nr);
    if (rc) goto out;
    rc = host->ops->list_vcpus(ctx, host, info->domid, &vcpus, &n);
    if (rc) goto out;
    libxl_bitmap_set_none(&dom->online);
    for (i = 0; i < n && i < dom->max_vcpus; i++) {
        if (vcpus[i].online)
            libxl_bitmap_set(&dom->online, (int)i);
        rc = overlay_pin(ctx, &dom->hard[i], xlv__domain_hard(dom, i),
                         &vcpus[i].hard, nr);
        if (rc) goto out;
        rc = overlay_pin(ctx, &dom->soft[i], xlv__domain_soft(dom, i),
                         &vcpus[i].soft, nr);
        if (rc) goto out;
    }
    rc = xlv__domain_format_vcpus(ctx, dom);
 out:
    xlv__vcpuinfo_list_free(vcpus, n);
    return rc;
}

/* A definition for a domain xlvcpu did not start: what the host knows. */
static int synthesize(xlv_ctx *ctx, const xlv__dominfo *info,
                      xlv_domain **dom_r)
{
    xlv_domain *dom = NULL;
    int rc;

    rc = xlv__domain_new(ctx, &dom);
    if (rc) goto out;
    rc = xlv__strdup(ctx, &dom->name, info->name);
    if (rc) goto out;
    dom->type = info->type ? info->type : XLV_DOMAIN_TYPE_PV;
    dom->max_memory_kib = dom->memory_kib = info->memory_kib;
    rc = xlv__domain_alloc_vcpus(ctx, dom, info->max_vcpus ? info->max_vcpus
                                                          : 1);
    if (rc) goto out;
    rc = xlv__domain_format(ctx, dom);
    if (rc) goto out;
    *dom_r = dom;
    dom = NULL;
 out:
    xlv_domain_free(dom);
    return rc;
}

int xlv_domain_get_xml(xlv_ctx *ctx, xlv_conn *conn, char **xml_r,
                       const char *who, unsigned int flags)
{
    xlv_domain *dom = NULL;
    xlv__dominfo info;
    xlv__host *host;
    const char *name = who;
    bool running = false;
    int rc;

    memset(&info, 0, sizeof(info));
    rc = xlv__check_flags(ctx, "domain_get_xml", flags, XLV_XML_INACTIVE);
    if (rc) goto out;
    /* A domid names a running domain, also for its persistent side. */
    if (!(flags & XLV_XML_INACTIVE) || strspn(who, "0123456789") ==
        strlen(who)) {
        rc = xlv__conn_running(ctx, conn, who, &info);
        if (rc && rc != XLV_ERR_NOTFOUND) goto out;
        running = !rc;
        if (running)
            name = info.name;
    }
    if (running && !(flags & XLV_XML_INACTIVE)) {
        /* A name no file can have has no live definition: do not go and
         * look for one (which would make the run directory). */
        if (!xlv__domain_name_problem(name)) {
            rc = xlv__live_definition(ctx, conn, name, &dom);
            if (rc) goto out;
        }
        rc = xlv__conn_host(ctx, conn, &host);
        if (rc) goto out;
        if (!dom) {
            xlv__host_domain_type(host, &info);
            rc = synthesize(ctx, &info, &dom);
            if (rc) goto out;
        }
        rc = overlay_live(ctx, host, dom, &info);
        if (rc) goto out;
    } else {
        rc = xlv__store_check_name(ctx, name);
        if (rc) goto out;
        rc = xlv__definition_load(ctx, conn->store, name, &dom);
        if (rc) goto out;
    }
    rc = xlv_domain_to_xml(ctx, xml_r, dom, 0);
 out:
    xlv_domain_free(dom);
    xlv__dominfo_dispose(&info);
    return rc;
}
