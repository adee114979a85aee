/*
 * xlv_vcpu_list: what "xl vcpu-list" shows, for xlvcpu's vcpu-list.
 */
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "cpuset.h"

struct xlv_vcpu_info {
    char *name;
    unsigned int domid;
    unsigned int vcpu;
    int cpu;                     /* -1 when offline */
    bool online, running, blocked;
    double time_s;
    char *hard, *soft;           /* as xl prints them: "all", "0-3,5" */
};

struct xlv_vcpu_info_list {
    xlv_vcpu_info *rows;
    unsigned int n;
};

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
        if (libxl_bitmap_test(map, i)) {
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

static void rows_free(xlv_vcpu_info *rows, unsigned int n)
{
    unsigned int i;

    if (!rows)
        return;
    for (i = 0; i < n; i++) {
        free(rows[i].name);
        free(rows[i].hard);
        free(rows[i].soft);
    }
    free(rows);
}

void xlv_vcpu_info_list_free(xlv_vcpu_info_list *list)
{
    if (!list)
        return;
    rows_free(list->rows, list->n);
    free(list);
}

unsigned int xlv_vcpu_info_list_length(const xlv_vcpu_info_list *list)
{
    return list->n;
}

const xlv_vcpu_info *xlv_vcpu_info_list_get(const xlv_vcpu_info_list *list,
                                            unsigned int i)
{
    return i < list->n ? &list->rows[i] : NULL;
}

const char *xlv_vcpu_info_get_domain_name(const xlv_vcpu_info *info)
{
    return info->name;
}

unsigned int xlv_vcpu_info_get_domid(const xlv_vcpu_info *info)
{
    return info->domid;
}

unsigned int xlv_vcpu_info_get_vcpu(const xlv_vcpu_info *info)
{
    return info->vcpu;
}

int xlv_vcpu_info_get_cpu(const xlv_vcpu_info *info)
{
    return info->cpu;
}

int xlv_vcpu_info_is_online(const xlv_vcpu_info *info)
{
    return info->online;
}

int xlv_vcpu_info_is_running(const xlv_vcpu_info *info)
{
    return info->running;
}

int xlv_vcpu_info_is_blocked(const xlv_vcpu_info *info)
{
    return info->blocked;
}

double xlv_vcpu_info_get_time(const xlv_vcpu_info *info)
{
    return info->time_s;
}

const char *xlv_vcpu_info_get_hard_affinity(const xlv_vcpu_info *info)
{
    return info->hard;
}

const char *xlv_vcpu_info_get_soft_affinity(const xlv_vcpu_info *info)
{
    return info->soft;
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

int xlv_vcpu_list(xlv_ctx *ctx, xlv_conn *conn, xlv_vcpu_info_list **list_r,
                  const char *const *doms, unsigned int n,
                  unsigned int flags)
{
    xlv__dominfo *running = NULL, one;
    xlv_vcpu_info *list = NULL;
    xlv_vcpu_info_list *result;
    unsigned int n_running = 0, count = 0, nr, i;
    xlv__host *host;
    int rc;

    memset(&one, 0, sizeof(one));
    rc = xlv__check_flags(ctx, "vcpu_list", flags, 0);
    if (rc) goto out;
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
    result = malloc(sizeof(*result));
    if (!result) {
        rc = xlv__nomem(ctx, "the vcpu list");
        goto out;
    }
    result->rows = list;
    result->n = count;
    *list_r = result;
    list = NULL;
    rc = 0;
 out:
    rows_free(list, count);
    xlv__dominfo_dispose(&one);
    xlv__dominfo_list_free(running, n_running);
    return rc;
}
