/*
 * xlv_vcpu_list: what "xl vcpu-list" shows, for xlvcpu's vcpu-list.
 */
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "cpuset.h"

/*
 * An affinity as xl's print_bitmap() writes it for a host of NR pCPUs:
 * "all" for exactly 0..NR-1, "none" for nothing, else ranges.
 */
static char *xl_affinity(const libxl_bitmap *map, unsigned int nr)
{
    libxl_bitmap within;
    unsigned int i, n = 0;
    char *s;

    libxl_bitmap_init(&within);
    within.size = (nr + 7) / 8;
    within.map = calloc(within.size ? within.size : 1, 1);
    if (!within.map)
        return NULL;
    for (i = 0; i < nr; i++) {
        if (xlv__bitmap_test(map, i)) {
            libxl_bitmap_set(&within, (int)i);
            n++;
        }
    }
    if (!n)
        s = strdup("none");
    else if (n == nr)
        s = strdup("all");
    else
        s = xlv__cpuset_format(&within);
    libxl_bitmap_dispose(&within);
    return s;
}

void xlv_vcpu_info_list_free(xlv_vcpu_info *list, unsigned int n)
{
    unsigned int i;

    if (!list)
        return;
    for (i = 0; i < n; i++) {
        free(list[i].name);
        free(list[i].hard);
        free(list[i].soft);
    }
    free(list);
}

/* Append the vCPUs of DOM to *LIST (*N entries so far). */
static int add_domain(xlv_ctx *ctx, xlv__host *host, const xlv__dominfo *dom,
                      unsigned int nr, xlv_vcpu_info **list,
                      unsigned int *n)
{
    xlv__vcpuinfo *vcpus = NULL;
    xlv_vcpu_info *grown;
    unsigned int count = 0, i;
    int rc;

    rc = host->ops->list_vcpus(ctx, host, dom->domid, &vcpus, &count);
    if (rc) goto out;
    grown = realloc(*list, (*n + count + 1) * sizeof(**list));
    if (!grown) {
        rc = xlv__nomem(ctx, "the vcpu list");
        goto out;
    }
    *list = grown;
    for (i = 0; i < count; i++) {
        xlv_vcpu_info *v = &(*list)[*n];

        memset(v, 0, sizeof(*v));
        v->domid = dom->domid;
        v->vcpu = vcpus[i].vcpu;
        v->cpu = vcpus[i].online ? vcpus[i].cpu : -1;
        v->online = vcpus[i].online;
        v->running = vcpus[i].running;
        v->blocked = vcpus[i].blocked;
        v->time_s = (double)vcpus[i].time_ns / 1e9;
        v->name = strdup(dom->name);
        v->hard = xl_affinity(&vcpus[i].hard, nr);
        v->soft = xl_affinity(&vcpus[i].soft, nr);
        (*n)++;
        if (!v->name || !v->hard || !v->soft) {
            rc = xlv__nomem(ctx, "the vcpu list");
            goto out;
        }
    }
    rc = 0;
 out:
    xlv__vcpuinfo_list_free(vcpus, count);
    return rc;
}

int xlv_vcpu_list(xlv_ctx *ctx, xlv_conn *conn, const char *const *doms,
                  unsigned int n, xlv_vcpu_info **list_r, unsigned int *n_r,
                  unsigned int flags)
{
    xlv__dominfo *running = NULL, one;
    xlv_vcpu_info *list = NULL;
    unsigned int n_running = 0, count = 0, nr, i;
    xlv__host *host;
    int rc;

    memset(&one, 0, sizeof(one));
    if (flags) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "unknown flags '0x%x'", flags);
        goto out;
    }
    rc = xlv__conn_host(ctx, conn, &host);
    if (rc) goto out;
    rc = xlv__host_nr_cpus(ctx, host, &nr);
    if (rc) goto out;
    if (!n) {
        rc = host->ops->list_domains(ctx, host, &running, &n_running);
        if (rc) goto out;
        for (i = 0; i < n_running; i++) {
            rc = add_domain(ctx, host, &running[i], nr, &list, &count);
            if (rc) goto out;
        }
    }
    for (i = 0; i < n; i++) {
        rc = host->ops->domain_info(ctx, host, doms[i], &one);
        if (rc) goto out;
        rc = add_domain(ctx, host, &one, nr, &list, &count);
        xlv__dominfo_dispose(&one);
        if (rc) goto out;
    }
    *list_r = list;
    *n_r = count;
    list = NULL;
    rc = 0;
 out:
    xlv_vcpu_info_list_free(list, count);
    xlv__dominfo_dispose(&one);
    xlv__dominfo_list_free(running, n_running);
    return rc;
}
