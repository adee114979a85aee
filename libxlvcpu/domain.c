/*
 * Domain objects: life cycle, getters, and the checks that hold whatever
 * the domain was read from.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "domain.h"

int xlv__domain_new(xlv_ctx *ctx, xlv_domain **dom_r)
{
    xlv_domain *dom = calloc(1, sizeof(*dom));

    if (!dom)
        return xlv__nomem(ctx, "a domain");
    libxl_uuid_clear(&dom->uuid);
    *dom_r = dom;
    return 0;
}

int xlv__domain_from_file(xlv_ctx *ctx, xlv_domain **dom_r,
                          const char *path, xlv__domain_parse_fn *parse,
                          unsigned int flags)
{
    char *buf = NULL;
    size_t len;
    int rc;

    /* Unknown flags are refused before the file is touched. */
    rc = xlv__check_flags(ctx, "domain_from_file", flags, 0);
    if (rc) goto out;
    rc = xlv__file_read(ctx, &buf, &len, path, XLV_MAX_DOCUMENT_BYTES, 0);
    if (rc) goto out;
    rc = parse(ctx, dom_r, buf, len, strcmp(path, "-") ? path : "<stdin>",
               flags);
 out:
    free(buf);
    return rc;
}

int xlv__domain_alloc_vcpus(xlv_ctx *ctx, xlv_domain *dom, unsigned int max)
{
    libxl_bitmap *hard = NULL, *soft = NULL;
    libxl_bitmap online;
    unsigned int i;
    int rc;

    libxl_bitmap_init(&online);
    hard = calloc(max, sizeof(*hard));
    soft = calloc(max, sizeof(*soft));
    if (!hard || !soft) {
        rc = xlv__nomem(ctx, "the vcpu table");
        goto out;
    }
    for (i = 0; i < max; i++) {
        libxl_bitmap_init(&hard[i]);
        libxl_bitmap_init(&soft[i]);
    }
    rc = xlv__bitmap_alloc(ctx, &online, max);
    if (rc) goto out;

    xlv__bitmap_array_free(dom->hard, dom->max_vcpus);
    xlv__bitmap_array_free(dom->soft, dom->max_vcpus);
    libxl_bitmap_dispose(&dom->online);
    dom->online = online;
    libxl_bitmap_init(&online);
    dom->hard = hard;
    dom->soft = soft;
    hard = soft = NULL;
    dom->max_vcpus = max;
    rc = 0;
 out:
    free(hard);
    free(soft);
    libxl_bitmap_dispose(&online);
    return rc;
}

int xlv__domain_set_max(xlv_ctx *ctx, xlv_domain *dom, unsigned int max)
{
    libxl_bitmap *hard = dom->hard, *soft = dom->soft;
    libxl_bitmap online = dom->online;
    unsigned int old = dom->max_vcpus, keep = old < max ? old : max, i;
    unsigned int count = xlv__bitmap_count(&online);
    int rc;

    if (dom->n_vnodes)
        return xlv__error(ctx, XLV_ERR_CONFLICT, "domain '%s' has numa "
                          "cells, which fix its vcpus: change them with "
                          "define", dom->name);
    if (dom->sockets)
        return xlv__error(ctx, XLV_ERR_CONFLICT, "domain '%s' has a cpu "
                          "topology of %u vcpus: change it with define",
                          dom->name, old);
    /* Fresh arrays, then move what stays across. */
    dom->hard = dom->soft = NULL;
    libxl_bitmap_init(&dom->online);
    dom->max_vcpus = 0;
    rc = xlv__domain_alloc_vcpus(ctx, dom, max);
    if (rc) {
        dom->hard = hard;
        dom->soft = soft;
        dom->online = online;
        dom->max_vcpus = old;
        return rc;
    }
    for (i = 0; i < old; i++) {
        if (i < keep) {
            dom->hard[i] = hard[i];
            dom->soft[i] = soft[i];
            if (libxl_bitmap_test(&online, (int)i))
                libxl_bitmap_set(&dom->online, (int)i);
        } else {
            libxl_bitmap_dispose(&hard[i]);
            libxl_bitmap_dispose(&soft[i]);
        }
    }
    free(hard);
    free(soft);
    libxl_bitmap_dispose(&online);
    /* The count stays as it was when it fits: a sparse map loses vCPUs
     * above the maximum but gets the lowest offline ones instead. */
    xlv__online_resize(&dom->online, max, count < max ? count : max);
    return 0;
}

void xlv__online_resize(libxl_bitmap *map, unsigned int max,
                        unsigned int count)
{
    unsigned int n = xlv__bitmap_count(map), i;

    for (i = 0; n < count && i < max; i++) {
        if (!libxl_bitmap_test(map, (int)i)) {
            libxl_bitmap_set(map, (int)i);
            n++;
        }
    }
    for (i = max; n > count && i-- > 0;) {
        if (libxl_bitmap_test(map, (int)i)) {
            libxl_bitmap_reset(map, (int)i);
            n--;
        }
    }
}

void xlv_domain_free(xlv_domain *dom)
{
    unsigned int i;

    if (!dom)
        return;
    xlv__xml_free(dom->doc);
    free(dom->name);
    libxl_bitmap_dispose(&dom->online);
    libxl_bitmap_dispose(&dom->hard_default);
    libxl_bitmap_dispose(&dom->soft_default);
    free(dom->hard_nodes);
    free(dom->soft_nodes);
    xlv__bitmap_array_free(dom->hard, dom->max_vcpus);
    xlv__bitmap_array_free(dom->soft, dom->max_vcpus);
    for (i = 0; i < dom->n_vnodes; i++) {
        libxl_bitmap_dispose(&dom->vnodes[i].vcpus);
        free(dom->vnodes[i].distances);
    }
    free(dom->vnodes);
    free(dom->kernel);
    free(dom->initrd);
    free(dom->cmdline);
    free(dom->bootloader);
    free(dom->bootloader_args);
    free(dom->loader);
    free(dom->boot_order);
    for (i = 0; i < dom->n_disks; i++) {
        free(dom->disks[i].source);
        free(dom->disks[i].target);
        free(dom->disks[i].driver);
    }
    free(dom->disks);
    for (i = 0; i < dom->n_nics; i++) {
        free(dom->nics[i].mac);
        free(dom->nics[i].bridge);
        free(dom->nics[i].script);
        free(dom->nics[i].model);
        free(dom->nics[i].ifname);
        free(dom->nics[i].ip);
    }
    free(dom->nics);
    free(dom);
}

const char *xlv_domain_get_name(const xlv_domain *dom)
{
    return dom->name;
}

xlv_domain_type xlv_domain_get_type(const xlv_domain *dom)
{
    return dom->type;
}

unsigned int xlv_domain_get_max_vcpus(const xlv_domain *dom)
{
    return dom->max_vcpus;
}

unsigned int xlv_domain_get_current_vcpus(const xlv_domain *dom)
{
    return xlv__bitmap_count(&dom->online);
}

int xlv_domain_vcpu_is_online(const xlv_domain *dom, unsigned int vcpu)
{
    return vcpu < dom->max_vcpus && libxl_bitmap_test(&dom->online, vcpu);
}

const libxl_bitmap *xlv__pin_or(const libxl_bitmap *pins, unsigned int max,
                                const libxl_bitmap *dflt, unsigned int i)
{
    if (i < max && pins[i].size)
        return &pins[i];
    return dflt->size ? dflt : NULL;
}

const libxl_bitmap *xlv__domain_hard(const xlv_domain *dom, unsigned int i)
{
    return xlv__pin_or(dom->hard, dom->max_vcpus, &dom->hard_default, i);
}

const libxl_bitmap *xlv__domain_soft(const xlv_domain *dom, unsigned int i)
{
    return xlv__pin_or(dom->soft, dom->max_vcpus, &dom->soft_default, i);
}

/* One default affinity: DFLT as it is, or NODES_STR (xl's KEY=) resolved
 * in the layout. */
static int resolve_default(xlv_ctx *ctx, const char *key,
                           const char *nodes_str, const libxl_bitmap *dflt,
                           const libxl_bitmap *nodes, unsigned int n_nodes,
                           libxl_bitmap *out)
{
    char what[64];

    if (!nodes_str)
        return xlv__bitmap_copy(ctx, out, dflt);
    if (!n_nodes)
        return xlv__error(ctx, XLV_ERR_UNSUPPORTED, "%s '%.80s' names numa "
                          "nodes, which are resolved on the host the domain "
                          "starts on: no numa layout is known here", key,
                          nodes_str);
    snprintf(what, sizeof(what), "%s '%%s'", key);
    return xlv__xl_cpus_parse_nodes(ctx, out, nodes_str, XLV_MAX_PCPUS, what,
                                    nodes, n_nodes);
}

int xlv__domain_resolve_defaults(xlv_ctx *ctx, const xlv_domain *dom,
                                 const libxl_bitmap *nodes,
                                 unsigned int n_nodes, libxl_bitmap *hard_r,
                                 libxl_bitmap *soft_r)
{
    int rc;

    rc = resolve_default(ctx, "cpus", dom->hard_nodes, &dom->hard_default,
                         nodes, n_nodes, hard_r);
    if (rc) return rc;
    return resolve_default(ctx, "cpus_soft", dom->soft_nodes,
                           &dom->soft_default, nodes, n_nodes, soft_r);
}

unsigned int xlv__domain_type_max_vcpus(xlv_domain_type type)
{
    return type == XLV_DOMAIN_TYPE_PV ? XLV_MAX_VCPUS_PV : XLV_MAX_VCPUS_HVM;
}

static const char *const action_names[] = {
    [LIBXL_ACTION_ON_SHUTDOWN_DESTROY] = "destroy",
    [LIBXL_ACTION_ON_SHUTDOWN_RESTART] = "restart",
    [LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME] = "rename-restart",
    [LIBXL_ACTION_ON_SHUTDOWN_PRESERVE] = "preserve",
    [LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY] = "coredump-destroy",
    [LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART] = "coredump-restart",
};

const char *xlv__action_name(libxl_action_on_shutdown a)
{
    if ((unsigned int)a >= sizeof(action_names) / sizeof(action_names[0]))
        return NULL;
    return action_names[a];
}

bool xlv__action_from_name(const char *name, libxl_action_on_shutdown *a_r)
{
    unsigned int i;

    for (i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++) {
        if (action_names[i] && !strcmp(name, action_names[i])) {
            *a_r = (libxl_action_on_shutdown)i;
            return true;
        }
    }
    return false;
}

const char *xlv__domain_type_name(xlv_domain_type type)
{
    switch (type) {
    case XLV_DOMAIN_TYPE_PVH: return "pvh";
    case XLV_DOMAIN_TYPE_HVM: return "hvm";
    default: return "pv";
    }
}

const char *xlv__domain_name_problem(const char *name)
{
    const char *p;

    if (!name || !*name)
        return "it is empty";
    if (strlen(name) > 64)
        return "longer than 64 characters";
    if (name[0] == '.')
        return "must not start with '.'";
    for (p = name; *p; p++) {
        if (*p == '/')
            return "character '/' is not allowed";
    }
    return xlv__text_problem(name);
}

static int check_name(xlv_ctx *ctx, const char *name)
{
    const char *problem = xlv__domain_name_problem(name);

    if (!problem)
        return 0;
    if (!name || !*name)
        return xlv__error(ctx, XLV_ERR_INVAL, "<name> is missing or empty");
    return xlv__error(ctx, XLV_ERR_INVAL, "<name>%.64s%s</name>: %s", name,
                      strlen(name) > 64 ? "..." : "", problem);
}

static int check_vnodes(xlv_ctx *ctx, const xlv_domain *dom)
{
    unsigned int i, v, covered = 0;
    uint64_t total = 0;

    for (i = 0; i < dom->n_vnodes; i++) {
        const xlv__vnode *cell = &dom->vnodes[i];

        if (xlv__bitmap_last(&cell->vcpus) >= (int)dom->max_vcpus)
            return xlv__error(ctx, XLV_ERR_CONFLICT, "numa cell '%u': vcpu "
                              "'%d' is not below the maximum of %u", i,
                              xlv__bitmap_last(&cell->vcpus),
                              dom->max_vcpus);
        for (v = 0; v < dom->max_vcpus; v++) {
            unsigned int j;

            if (!libxl_bitmap_test(&cell->vcpus, v))
                continue;
            for (j = 0; j < i; j++) {
                if (libxl_bitmap_test(&dom->vnodes[j].vcpus, v))
                    return xlv__error(ctx, XLV_ERR_CONFLICT, "numa cells "
                                      "'%u' and '%u' both hold vcpu '%u'",
                                      j, i, v);
            }
            covered++;
        }
        if (cell->n_distances && cell->n_distances != dom->n_vnodes)
            return xlv__error(ctx, XLV_ERR_CONFLICT, "numa cell '%u' has %u "
                              "distances for %u cells", i,
                              cell->n_distances, dom->n_vnodes);
        total += cell->memory_kib;
    }
    if (dom->n_vnodes && covered != dom->max_vcpus)
        return xlv__error(ctx, XLV_ERR_CONFLICT, "numa cells hold %u of the "
                          "%u vcpus: every vcpu must be in one cell",
                          covered, dom->max_vcpus);
    if (dom->n_vnodes && total != dom->max_memory_kib)
        return xlv__error(ctx, XLV_ERR_CONFLICT, "numa cells hold %llu KiB "
                          "but <memory> is %llu KiB",
                          (unsigned long long)total,
                          (unsigned long long)dom->max_memory_kib);
    return 0;
}

/* Whether the vCPUs online at boot are the first ONLINE ones. */
static bool online_is_first(const xlv_domain *dom, unsigned int online)
{
    unsigned int i;

    for (i = 0; i < online; i++) {
        if (!libxl_bitmap_test(&dom->online, i))
            return false;
    }
    return true;
}

/*
 * A PVH or HVM guest learns its CPUs from the ACPI tables libxl builds and
 * numbers them itself, while Xen's hot-plug protocol speaks of vCPU ids:
 * in the lab, a PVH guest booted with vCPUs 0 and 3 online ran vCPUs 0
 * and 2, calling them CPUs 0 and 3.  Only a PV guest keeps a sparse map.
 */
static int sparse_refused(xlv_ctx *ctx, const xlv_domain *dom,
                          unsigned int online)
{
    char *set = xlv__cpuset_format(&dom->online);
    int rc;

    rc = xlv__error(ctx, XLV_ERR_UNSUPPORTED, "vcpus '%.100s' online at "
                    "boot of %s domain '%s': %s guests number their cpus "
                    "from acpi, not by vcpu id, and cannot keep a sparse "
                    "online map; use vcpus 0-%u (only pv guests can boot a "
                    "sparse set)", set ? set : "?",
                    xlv__domain_type_name(dom->type), dom->name,
                    xlv__domain_type_name(dom->type), online - 1);
    free(set);
    return rc;
}

int xlv__domain_check(xlv_ctx *ctx, const xlv_domain *dom)
{
    unsigned int limit = xlv__domain_type_max_vcpus(dom->type);
    unsigned int online = xlv__bitmap_count(&dom->online);
    int rc;

    rc = check_name(ctx, dom->name);
    if (rc) return rc;
    if (dom->max_vcpus < 1 || dom->max_vcpus > limit)
        return xlv__error(ctx, XLV_ERR_INVAL, "<vcpu>%u</vcpu>: %s domains "
                          "have 1 to %u vcpus", dom->max_vcpus,
                          xlv__domain_type_name(dom->type), limit);
    if (online < 1)
        return xlv__error(ctx, XLV_ERR_INVAL, "domain '%s' has no vcpu "
                          "online at boot", dom->name);
    if (!libxl_bitmap_test(&dom->online, 0))
        return xlv__error(ctx, XLV_ERR_INVAL, "vcpu '0' of domain '%s' is "
                          "offline: the boot vcpu must be online", dom->name);
    if (dom->type != XLV_DOMAIN_TYPE_PV && !online_is_first(dom, online))
        return sparse_refused(ctx, dom, online);
    if (dom->sockets) {
        uint64_t n = (uint64_t)dom->sockets * (dom->dies ? dom->dies : 1) *
                     dom->cores * dom->threads;

        if (n != dom->max_vcpus)
            return xlv__error(ctx, XLV_ERR_CONFLICT, "<topology sockets='%u' "
                              "dies='%u' cores='%u' threads='%u'> gives "
                              "%llu vcpus but <vcpu> is %u", dom->sockets,
                              dom->dies ? dom->dies : 1, dom->cores,
                              dom->threads, (unsigned long long)n,
                              dom->max_vcpus);
    }
    if (!dom->max_memory_kib)
        return xlv__error(ctx, XLV_ERR_INVAL, "<memory> of domain '%s' is "
                          "missing or zero", dom->name);
    if (dom->memory_kib > dom->max_memory_kib)
        return xlv__error(ctx, XLV_ERR_CONFLICT, "<currentMemory> %llu KiB "
                          "is more than <memory> %llu KiB",
                          (unsigned long long)dom->memory_kib,
                          (unsigned long long)dom->max_memory_kib);
    if (dom->type == XLV_DOMAIN_TYPE_PV && !dom->kernel && !dom->bootloader)
        return xlv__error(ctx, XLV_ERR_INVAL, "pv domain '%s' has neither "
                          "a kernel nor a bootloader: it cannot boot",
                          dom->name);
    /* Xen 4.17's libxl runs no bootloader for PVH guests. */
    if (dom->type == XLV_DOMAIN_TYPE_PVH && !dom->kernel)
        return xlv__error(ctx, XLV_ERR_INVAL, "pvh domain '%s' has no "
                          "kernel: it cannot boot", dom->name);
    return check_vnodes(ctx, dom);
}

unsigned int xlv__domain_vnode_distance(const xlv_domain *dom,
                                        unsigned int i, unsigned int j)
{
    const xlv__vnode *a = &dom->vnodes[i], *b = &dom->vnodes[j];

    if (a->distances && j < a->n_distances && a->distances[j])
        return a->distances[j];
    if (b->distances && i < b->n_distances && b->distances[i])
        return b->distances[i];
    return i == j ? 10 : 20;
}
