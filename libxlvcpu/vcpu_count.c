/*
 * xlv_vcpu_count: a domain's vCPU counts, persistent and live, as virsh
 * vcpucount shows them.
 */
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "scope.h"

struct xlv_vcpu_counts {
    bool defined;                /* has a persistent definition */
    bool running;
    unsigned int config_max, config_current;    /* when defined */
    unsigned int live_max, live_current;        /* when running */
};

int xlv_vcpu_count(xlv_ctx *ctx, xlv_conn *conn, xlv_vcpu_counts **counts_r,
                   const char *dom, unsigned int flags)
{
    xlv_vcpu_counts c, *copy;
    xlv_domain *def = NULL;
    xlv__dominfo info;
    const char *name = dom;
    int rc;

    memset(&c, 0, sizeof(c));
    memset(&info, 0, sizeof(info));
    rc = xlv__check_flags(ctx, "vcpu_count", flags, 0);
    if (rc) goto out;
    rc = xlv__conn_running(ctx, conn, dom, &info);
    if (rc && rc != XLV_ERR_NOTFOUND) goto out;
    if (!rc) {
        c.running = true;
        c.live_max = info.max_vcpus;
        c.live_current = info.online_vcpus;
        name = info.name;
    }
    if (!xlv__domain_name_problem(name)) {
        rc = xlv__definition_load(ctx, conn->store, name, &def);
        if (rc && rc != XLV_ERR_NOTFOUND) goto out;
        if (!rc) {
            c.defined = true;
            c.config_max = def->max_vcpus;
            c.config_current = xlv__bitmap_count(&def->online);
        }
    }
    if (!c.running && !c.defined) {
        rc = xlv__error(ctx, XLV_ERR_NOTFOUND, "domain '%.80s' is neither "
                        "running nor defined", dom);
        goto out;
    }
    copy = malloc(sizeof(*copy));
    if (!copy) {
        rc = xlv__nomem(ctx, "the vcpu counts");
        goto out;
    }
    *copy = c;
    *counts_r = copy;
    rc = 0;
 out:
    xlv_domain_free(def);
    xlv__dominfo_dispose(&info);
    return rc;
}

void xlv_vcpu_counts_free(xlv_vcpu_counts *counts)
{
    free(counts);
}

int xlv_vcpu_counts_is_defined(const xlv_vcpu_counts *counts)
{
    return counts->defined;
}

int xlv_vcpu_counts_is_running(const xlv_vcpu_counts *counts)
{
    return counts->running;
}

unsigned int xlv_vcpu_counts_get_config_max(const xlv_vcpu_counts *counts)
{
    return counts->config_max;
}

unsigned int xlv_vcpu_counts_get_config_current(
    const xlv_vcpu_counts *counts)
{
    return counts->config_current;
}

unsigned int xlv_vcpu_counts_get_live_max(const xlv_vcpu_counts *counts)
{
    return counts->live_max;
}

unsigned int xlv_vcpu_counts_get_live_current(const xlv_vcpu_counts *counts)
{
    return counts->live_current;
}
