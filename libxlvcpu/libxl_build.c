/*
 * Model → libxl_domain_config, as "xl create" would build it from the
 * equivalent xl.cfg, without a libxl_ctx: bitmaps are allocated by us and
 * the JSON comes from libxl_domain_config_to_json(NULL, ...).
 */
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "domain.h"

/* Round KiB up to whole MiB: xl.cfg speaks MiB, and so does libvirt. */
static uint64_t mib_round(uint64_t kib)
{
    return (kib + 1023) / 1024 * 1024;
}

static int set_str(xlv_ctx *ctx, char **dst, const char *src)
{
    free(*dst);
    *dst = NULL;
    return xlv__strdup(ctx, dst, src);
}

/*
 * Whether every vCPU has the same, non-empty effective affinity (its pin
 * in PINS, else DFLT): xl's string form of cpus=.
 */
static bool uniform_affinity(const xlv_domain *dom, const libxl_bitmap *pins,
                             const libxl_bitmap *dflt)
{
    const libxl_bitmap *first = xlv__pin_or(pins, dom->max_vcpus, dflt, 0);
    unsigned int i;

    if (!first)
        return false;
    for (i = 1; i < dom->max_vcpus; i++) {
        const libxl_bitmap *m = xlv__pin_or(pins, dom->max_vcpus, dflt, i);

        if (!m || !libxl_bitmap_equal(m, first, 0))
            return false;
    }
    return true;
}

/*
 * Fill one affinity array as xl fills it: the string form gives every vCPU
 * the same map; the list form gives vCPUs 0..last-with-a-map their maps,
 * "any pCPU" for those in between without one, and turns off libxl's
 * automatic NUMA placement.  A vCPU's map is its pin in PINS, else DFLT.
 * Returns the number of entries via *num_r.
 */
static int build_affinity(xlv_ctx *ctx, libxl_bitmap **maps_r, int *num_r,
                          bool *list_form_r, const xlv_domain *dom,
                          const libxl_bitmap *pins, const libxl_bitmap *dflt)
{
    unsigned int i, num = 0;
    libxl_bitmap *maps;
    int rc;

    *list_form_r = !uniform_affinity(dom, pins, dflt);
    for (i = 0; i < dom->max_vcpus; i++) {
        if (xlv__pin_or(pins, dom->max_vcpus, dflt, i))
            num = i + 1;
    }
    if (!num)
        return 0;
    maps = calloc(num, sizeof(*maps));
    if (!maps)
        return xlv__nomem(ctx, "the affinity maps");
    *maps_r = maps;
    *num_r = (int)num;
    for (i = 0; i < num; i++)
        libxl_bitmap_init(&maps[i]);
    for (i = 0; i < num; i++) {
        const libxl_bitmap *m = xlv__pin_or(pins, dom->max_vcpus, dflt, i);

        if (m) {
            rc = xlv__bitmap_copy(ctx, &maps[i], m);
            if (rc) return rc;
        } else {
            rc = xlv__bitmap_alloc(ctx, &maps[i], XLV_MAX_PCPUS);
            if (rc) return rc;
            libxl_bitmap_set_any(&maps[i]);
        }
    }
    return 0;
}

static int build_vnuma(xlv_ctx *ctx, libxl_domain_build_info *b,
                       const xlv_domain *dom)
{
    unsigned int i;
    int rc;

    if (!dom->n_vnodes)
        return 0;
    /* As xl, for whom a vnode's pnode= is a placement decision. */
    libxl_defbool_set(&b->numa_placement, false);
    b->vnuma_nodes = calloc(dom->n_vnodes, sizeof(*b->vnuma_nodes));
    if (!b->vnuma_nodes)
        return xlv__nomem(ctx, "the vnuma nodes");
    b->num_vnuma_nodes = (int)dom->n_vnodes;
    for (i = 0; i < dom->n_vnodes; i++)
        libxl_vnode_info_init(&b->vnuma_nodes[i]);
    for (i = 0; i < dom->n_vnodes; i++) {
        const xlv__vnode *src = &dom->vnodes[i];
        libxl_vnode_info *vn = &b->vnuma_nodes[i];
        unsigned int j;

        vn->memkb = src->memory_kib;
        /* libvirt's cells carry no host node; like libvirt, use the index */
        vn->pnode = i;
        rc = xlv__bitmap_copy(ctx, &vn->vcpus, &src->vcpus);
        if (rc) return rc;
        vn->distances = calloc(dom->n_vnodes, sizeof(*vn->distances));
        if (!vn->distances)
            return xlv__nomem(ctx, "the vnuma distances");
        vn->num_distances = (int)dom->n_vnodes;
        for (j = 0; j < dom->n_vnodes; j++)
            vn->distances[j] = xlv__domain_vnode_distance(dom, i, j);
    }
    return 0;
}

/* HARD and SOFT are DOM's default affinities, node items resolved. */
static int build_vcpus(xlv_ctx *ctx, libxl_domain_build_info *b,
                       const xlv_domain *dom, const libxl_bitmap *hard,
                       const libxl_bitmap *soft)
{
    bool list_form;
    int rc;

    b->max_vcpus = (int)dom->max_vcpus;
    rc = xlv__bitmap_copy(ctx, &b->avail_vcpus, &dom->online);
    if (rc) return rc;
    rc = build_affinity(ctx, &b->vcpu_hard_affinity,
                        &b->num_vcpu_hard_affinity, &list_form, dom,
                        dom->hard, hard);
    if (rc) return rc;
    if (b->num_vcpu_hard_affinity && list_form)
        libxl_defbool_set(&b->numa_placement, false);
    rc = build_affinity(ctx, &b->vcpu_soft_affinity,
                        &b->num_vcpu_soft_affinity, &list_form, dom,
                        dom->soft, soft);
    if (rc) return rc;
    if (b->num_vcpu_soft_affinity)
        libxl_defbool_set(&b->numa_placement, false);
    if (dom->weight)
        b->sched_params.weight = (int)dom->weight;
    return build_vnuma(ctx, b, dom);
}

static int split_args(xlv_ctx *ctx, libxl_string_list *list_r,
                      const char *args)
{
    char *copy = NULL, *tok, *save = NULL;
    char **list = NULL;
    size_t n = 0;
    int rc;

    if (!args)
        return 0;
    copy = strdup(args);
    list = calloc(strlen(args) / 2 + 2, sizeof(*list));
    if (!copy || !list) {
        rc = xlv__nomem(ctx, "the bootloader arguments");
        goto out;
    }
    for (tok = strtok_r(copy, " \t", &save); tok;
         tok = strtok_r(NULL, " \t", &save)) {
        list[n] = strdup(tok);
        if (!list[n]) {
            rc = xlv__nomem(ctx, "the bootloader arguments");
            goto out;
        }
        n++;
    }
    *list_r = list;
    list = NULL;
    rc = 0;
 out:
    if (list)
        libxl_string_list_dispose(&list);
    free(copy);
    return rc;
}

static bool is_hvmloader(const char *path)
{
    const char *base = strrchr(path, '/');

    return !strcmp(base ? base + 1 : path, "hvmloader");
}

static void set_feature(libxl_defbool *db, xlv__feature f)
{
    if (f != XLV__FEATURE_ABSENT)
        libxl_defbool_set(db, f == XLV__FEATURE_ON);
}

static int build_boot(xlv_ctx *ctx, libxl_domain_build_info *b,
                      const xlv_domain *dom)
{
    int rc;

    b->max_memkb = mib_round(dom->max_memory_kib);
    b->target_memkb = mib_round(dom->memory_kib);
    rc = set_str(ctx, &b->kernel, dom->kernel);
    if (rc) return rc;
    rc = set_str(ctx, &b->ramdisk, dom->initrd);
    if (rc) return rc;
    rc = set_str(ctx, &b->cmdline, dom->cmdline);
    if (rc) return rc;
    rc = set_str(ctx, &b->bootloader, dom->bootloader);
    if (rc) return rc;
    rc = split_args(ctx, &b->bootloader_args, dom->bootloader_args);
    if (rc) return rc;
    if (dom->type != XLV_DOMAIN_TYPE_HVM)
        return 0;
    if (dom->loader && !is_hvmloader(dom->loader)) {
        rc = set_str(ctx, &b->u.hvm.firmware, dom->loader);
        if (rc) return rc;
    }
    rc = set_str(ctx, &b->u.hvm.boot, dom->boot_order);
    if (rc) return rc;
    set_feature(&b->acpi, dom->acpi);
    set_feature(&b->apic, dom->apic);
    set_feature(&b->u.hvm.pae, dom->pae);
    return 0;
}

static libxl_disk_backend disk_backend(const char *driver)
{
    if (!driver)
        return LIBXL_DISK_BACKEND_UNKNOWN;
    if (!strcmp(driver, "phy"))
        return LIBXL_DISK_BACKEND_PHY;
    if (!strcmp(driver, "tap"))
        return LIBXL_DISK_BACKEND_TAP;
    return LIBXL_DISK_BACKEND_QDISK;
}

static int build_disks(xlv_ctx *ctx, libxl_domain_config *cfg,
                       const xlv_domain *dom)
{
    unsigned int i;
    int rc;

    if (!dom->n_disks)
        return 0;
    cfg->disks = calloc(dom->n_disks, sizeof(*cfg->disks));
    if (!cfg->disks)
        return xlv__nomem(ctx, "the disks");
    cfg->num_disks = (int)dom->n_disks;
    for (i = 0; i < dom->n_disks; i++)
        libxl_device_disk_init(&cfg->disks[i]);
    for (i = 0; i < dom->n_disks; i++) {
        const xlv__disk *src = &dom->disks[i];
        libxl_device_disk *d = &cfg->disks[i];

        rc = set_str(ctx, &d->pdev_path, src->source);
        if (rc) return rc;
        rc = set_str(ctx, &d->vdev, src->target);
        if (rc) return rc;
        d->backend = disk_backend(src->driver);
        d->format = src->cdrom && !src->source ? LIBXL_DISK_FORMAT_EMPTY
                                               : src->format;
        d->readwrite = !src->readonly;
        d->is_cdrom = src->cdrom;
        d->removable = src->cdrom;
    }
    return 0;
}

static void parse_mac(libxl_mac *mac, const char *s)
{
    unsigned int i;

    /* domain_parse.c and xlcfg_read.c have checked the syntax */
    for (i = 0; i < 6; i++)
        (*mac)[i] = (uint8_t)strtoul(s + 3 * i, NULL, 16);
}

static int build_nics(xlv_ctx *ctx, libxl_domain_config *cfg,
                      const xlv_domain *dom)
{
    unsigned int i;
    int rc;

    if (!dom->n_nics)
        return 0;
    cfg->nics = calloc(dom->n_nics, sizeof(*cfg->nics));
    if (!cfg->nics)
        return xlv__nomem(ctx, "the network interfaces");
    cfg->num_nics = (int)dom->n_nics;
    for (i = 0; i < dom->n_nics; i++)
        libxl_device_nic_init(&cfg->nics[i]);
    for (i = 0; i < dom->n_nics; i++) {
        const xlv__nic *src = &dom->nics[i];
        libxl_device_nic *n = &cfg->nics[i];

        n->devid = (int)i;
        if (src->mac)
            parse_mac(&n->mac, src->mac);
        rc = set_str(ctx, &n->bridge, src->bridge);
        if (rc) return rc;
        rc = set_str(ctx, &n->script, src->script);
        if (rc) return rc;
        rc = set_str(ctx, &n->model, src->model);
        if (rc) return rc;
        rc = set_str(ctx, &n->ifname, src->ifname);
        if (rc) return rc;
        rc = set_str(ctx, &n->ip, src->ip);
        if (rc) return rc;
        /* As libvirt: HVM guests get an emulated NIC beside the PV one,
         * unless the model asks for netfront only. */
        if (dom->type == XLV_DOMAIN_TYPE_HVM &&
            !(src->model && !strcmp(src->model, "netfront")))
            n->nictype = LIBXL_NIC_TYPE_VIF_IOEMU;
        else
            n->nictype = LIBXL_NIC_TYPE_VIF;
    }
    return 0;
}

static libxl_domain_type libxl_type(xlv_domain_type type)
{
    switch (type) {
    case XLV_DOMAIN_TYPE_PV: return LIBXL_DOMAIN_TYPE_PV;
    case XLV_DOMAIN_TYPE_PVH: return LIBXL_DOMAIN_TYPE_PVH;
    case XLV_DOMAIN_TYPE_HVM: return LIBXL_DOMAIN_TYPE_HVM;
    }
    return LIBXL_DOMAIN_TYPE_INVALID;
}

static int build_config(xlv_ctx *ctx, struct libxl_domain_config *cfg,
                        const xlv_domain *dom, const libxl_bitmap *hard,
                        const libxl_bitmap *soft)
{
    int rc;

    cfg->c_info.type = libxl_type(dom->type);
    rc = set_str(ctx, &cfg->c_info.name, dom->name);
    if (rc) return rc;
    if (dom->has_uuid)
        libxl_uuid_copy(NULL, &cfg->c_info.uuid, &dom->uuid);
    libxl_domain_build_info_init_type(&cfg->b_info, cfg->c_info.type);
    rc = build_vcpus(ctx, &cfg->b_info, dom, hard, soft);
    if (rc) return rc;
    rc = build_boot(ctx, &cfg->b_info, dom);
    if (rc) return rc;
    rc = build_disks(ctx, cfg, dom);
    if (rc) return rc;
    rc = build_nics(ctx, cfg, dom);
    if (rc) return rc;
    if (dom->has_on_poweroff)
        cfg->on_poweroff = dom->on_poweroff;
    if (dom->has_on_reboot)
        cfg->on_reboot = dom->on_reboot;
    if (dom->has_on_crash)
        cfg->on_crash = dom->on_crash;
    return 0;
}

int xlv_domain_to_libxl(xlv_ctx *ctx, struct libxl_domain_config *cfg,
                        const xlv_domain *dom, unsigned int flags)
{
    libxl_bitmap hard, soft;
    int rc;

    rc = xlv__check_flags(ctx, "to_libxl", flags, 0);
    if (rc) return rc;
    libxl_bitmap_init(&hard);
    libxl_bitmap_init(&soft);
    rc = xlv__domain_resolve_defaults(ctx, dom, ctx->numa_nodes,
                                      ctx->n_numa_nodes, &hard, &soft);
    if (!rc)
        rc = build_config(ctx, cfg, dom, &hard, &soft);
    libxl_bitmap_dispose(&hard);
    libxl_bitmap_dispose(&soft);
    return rc;
}

int xlv__domain_to_libxl_with(xlv_ctx *ctx, struct libxl_domain_config *cfg,
                              const xlv_domain *dom, const libxl_bitmap *hard,
                              const libxl_bitmap *soft)
{
    return build_config(ctx, cfg, dom, hard, soft);
}

int xlv_domain_to_libxl_json(xlv_ctx *ctx, char **json_r,
                             const xlv_domain *dom, unsigned int flags)
{
    libxl_domain_config cfg;
    char *json;
    int rc;

    libxl_domain_config_init(&cfg);
    rc = xlv_domain_to_libxl(ctx, &cfg, dom, flags);
    if (rc) goto out;
    json = libxl_domain_config_to_json(NULL, &cfg);
    if (!json) {
        rc = xlv__error_libxl(ctx, 0, "libxl could not write the json of "
                              "domain '%s'", dom->name);
        goto out;
    }
    *json_r = json;
    rc = 0;
 out:
    libxl_domain_config_dispose(&cfg);
    return rc;
}
