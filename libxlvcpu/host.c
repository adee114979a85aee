/*
 * Choosing a host driver by URI, and the host's own types.
 */
#include <stdio.h>
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
    return host->ops->physinfo(ctx, host, nr_r, NULL, NULL, NULL);
}

int xlv__host_resolve_defaults(xlv_ctx *ctx, xlv__host *host,
                               const xlv_domain *dom, libxl_bitmap *hard_r,
                               libxl_bitmap *soft_r)
{
    libxl_bitmap *nodes = NULL;
    unsigned int n_nodes = 0, nr;
    int rc;

    if ((!dom->hard_nodes && !dom->soft_nodes) || ctx->n_numa_nodes)
        return xlv__domain_resolve_defaults(ctx, dom, ctx->numa_nodes,
                                            ctx->n_numa_nodes, hard_r,
                                            soft_r);
    rc = host->ops->physinfo(ctx, host, &nr, NULL, &nodes, &n_nodes);
    if (!rc)
        rc = xlv__domain_resolve_defaults(ctx, dom, nodes, n_nodes, hard_r,
                                          soft_r);
    xlv__bitmap_array_free(nodes, n_nodes);
    return rc;
}

static const struct {
    unsigned int bit;
    const char *word;
} cap_words[] = {
    { XLV__CAP_PV, "pv" },
    { XLV__CAP_HVM, "hvm" },
    { XLV__CAP_HAP, "hap" },
    { XLV__CAP_SHADOW, "shadow" },
};

#define N_CAP_WORDS (sizeof(cap_words) / sizeof(cap_words[0]))

void xlv__caps_format(char buf[XLV__CAPS_TEXT_MAX], unsigned int caps)
{
    size_t len = 0;
    unsigned int i;

    buf[0] = '\0';
    for (i = 0; i < N_CAP_WORDS; i++) {
        if (caps & cap_words[i].bit)
            len += (size_t)snprintf(buf + len, XLV__CAPS_TEXT_MAX - len,
                                    "%s%s", len ? " " : "",
                                    cap_words[i].word);
    }
    if (!len)
        snprintf(buf, XLV__CAPS_TEXT_MAX, "none");
}

const char *xlv__caps_parse(const char *text, unsigned int *caps_r,
                            size_t *bad_len_r)
{
    const char *p = text;
    unsigned int caps = 0, i;
    size_t n;

    for (;;) {
        p += strspn(p, " \t");
        if (!*p)
            break;
        n = strcspn(p, " \t");
        for (i = 0; i < N_CAP_WORDS; i++) {
            if (strlen(cap_words[i].word) == n &&
                !strncmp(p, cap_words[i].word, n))
                break;
        }
        if (i == N_CAP_WORDS) {
            *bad_len_r = n;
            return p;
        }
        caps |= cap_words[i].bit;
        p += n;
    }
    *caps_r = caps;
    return NULL;
}

int xlv__host_check_type(xlv_ctx *ctx, xlv__host *host, const char *name,
                         xlv_domain_type type)
{
    char offers[XLV__CAPS_TEXT_MAX];
    const char *need;
    unsigned int nr, caps;
    int rc;

    rc = host->ops->physinfo(ctx, host, &nr, &caps, NULL, NULL);
    if (rc) return rc;
    /* PVH and HVM guests run in the same hardware container; it needs
     * VT-x or AMD-V, and paging by HAP (EPT or NPT) or by shadow page
     * tables (a Xen build option, off in Debian's). */
    if (type == XLV_DOMAIN_TYPE_PV)
        need = caps & XLV__CAP_PV ? NULL : "a xen built with pv support";
    else if (!(caps & XLV__CAP_HVM))
        need = "vt-x or amd-v";
    else if (!(caps & (XLV__CAP_HAP | XLV__CAP_SHADOW)))
        need = "hardware-assisted paging (ept or npt) or shadow paging";
    else
        need = NULL;
    if (!need)
        return 0;
    xlv__caps_format(offers, caps);
    return xlv__error(ctx, XLV_ERR_UNSUPPORTED, "cannot create domain "
                      "'%s': this host cannot run %s guests (they need %s; "
                      "xen offers '%s')", name,
                      xlv__domain_type_name(type), need, offers);
}

void xlv__host_domain_type(xlv__host *host, xlv__dominfo *info)
{
    if (info->type == XLV_DOMAIN_TYPE_HVM && host->ops->domain_type)
        host->ops->domain_type(host, info->domid, &info->type);
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
