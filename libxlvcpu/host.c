/*
 * Choosing a host driver by URI, and the host's own types.
 */
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "host.h"

static const struct xlv__host_ops *const drivers[] = {
    &xlv__host_xen_ops,
    &xlv__host_test_ops,
};

int xlv__host_open(xlv_ctx *ctx, xlv__host **host_r, const char *uri)
{
    unsigned int i;

    if (!uri || !*uri)
        uri = XLV_DEFAULT_URI;
    for (i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
        size_t n = strlen(drivers[i]->scheme);

        if (!strncmp(uri, drivers[i]->scheme, n) &&
            !strncmp(uri + n, "://", 3))
            return drivers[i]->open(ctx, host_r, uri + n + 3);
    }
    return xlv__error(ctx, XLV_ERR_INVAL, "host uri '%.200s': must be "
                      "xen:///system or test:///PATH", uri);
}

void xlv__host_close(xlv__host *host)
{
    if (host)
        host->ops->close(host);
}

int xlv__host_nr_cpus(xlv_ctx *ctx, xlv__host *host, unsigned int *nr_r)
{
    return host->ops->physinfo(ctx, host, nr_r, NULL, NULL);
}

void xlv__dominfo_dispose(xlv__dominfo *info)
{
    free(info->name);
    info->name = NULL;
}

void xlv__dominfo_list_free(xlv__dominfo *list, unsigned int n)
{
    unsigned int i;

    if (!list)
        return;
    for (i = 0; i < n; i++)
        xlv__dominfo_dispose(&list[i]);
    free(list);
}

void xlv__vcpuinfo_list_free(xlv__vcpuinfo *list, unsigned int n)
{
    unsigned int i;

    if (!list)
        return;
    for (i = 0; i < n; i++) {
        libxl_bitmap_dispose(&list[i].hard);
        libxl_bitmap_dispose(&list[i].soft);
    }
    free(list);
}
