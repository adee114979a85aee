/*
 * Model → domain XML.  xlv__domain_format_vcpus() brings the vCPU elements
 * of a document up to date in place, leaving everything else as it is;
 * xlv__domain_format() builds a whole new document, in the element order
 * "virsh dumpxml" uses, for a domain read from xl.cfg.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "domain.h"
#include "xml_names.h"

/* Set attribute NAME of NODE to the cpuset SET. */
static int set_cpuset_attr(xlv_ctx *ctx, xlv__xml_node *node,
                           const char *name, const libxl_bitmap *set)
{
    char *s = xlv__cpuset_format(set);
    int rc;

    if (!s)
        return xlv__nomem(ctx, "a cpuset");
    rc = xlv__xml_set_attr(ctx, node, name, s);
    free(s);
    return rc;
}

static int set_uint_attr(xlv_ctx *ctx, xlv__xml_node *node,
                         const char *name, uint64_t v)
{
    char buf[24];

    snprintf(buf, sizeof(buf), "%" PRIu64, v);
    return xlv__xml_set_attr(ctx, node, name, buf);
}

/* Child NAME of PARENT; when missing, a new one right after AFTER (or at
 * the end when AFTER is NULL). */
static xlv__xml_node *ensure_after(xlv_ctx *ctx, xlv__xml_node *parent,
                                   const char *name, xlv__xml_node *after)
{
    xlv__xml_node *n = xlv__xml_child(parent, name);

    if (n)
        return n;
    return after ? xlv__xml_add_after(ctx, after, name, NULL)
                 : xlv__xml_add(ctx, parent, name, NULL);
}

static void remove_children(xlv__xml_node *parent, const char *name)
{
    xlv__xml_node *n, *next;

    for (n = xlv__xml_child(parent, name); n; n = next) {
        next = xlv__xml_next(n, name);
        xlv__xml_remove(n);
    }
}

static int format_vcpu(xlv_ctx *ctx, const xlv_domain *dom,
                       xlv__xml_node *root, xlv__xml_node **vcpu_r)
{
    unsigned int online = xlv__bitmap_count(&dom->online);
    xlv__xml_node *vcpu = xlv__xml_child(root, "vcpu");
    char buf[16];
    int rc;

    if (!vcpu)
        vcpu = xlv__xml_add(ctx, root, "vcpu", NULL);
    if (!vcpu)
        return XLV_ERR_NOMEM;
    snprintf(buf, sizeof(buf), "%u", dom->max_vcpus);
    rc = xlv__xml_set_text(ctx, vcpu, buf);
    if (rc) return rc;
    rc = xlv__xml_set_attr(ctx, vcpu, "placement",
                           dom->placement_auto ? "auto" : "static");
    if (rc) return rc;
    if (dom->hard_default.size)
        rc = set_cpuset_attr(ctx, vcpu, "cpuset", &dom->hard_default);
    else
        xlv__xml_unset_attr(vcpu, "cpuset");
    if (rc) return rc;
    if (online < dom->max_vcpus)
        rc = set_uint_attr(ctx, vcpu, "current", online);
    else
        xlv__xml_unset_attr(vcpu, "current");
    if (rc) return rc;
    *vcpu_r = vcpu;
    return 0;
}

/* <vcpus>, only for a map that is not simply the first N vCPUs. */
static int format_vcpus(xlv_ctx *ctx, const xlv_domain *dom,
                        xlv__xml_node *root, xlv__xml_node **last_r)
{
    unsigned int online = xlv__bitmap_count(&dom->online), i;
    xlv__xml_node *vcpus = xlv__xml_child(root, "vcpus"), *v;
    int rc;

    if (vcpus)
        xlv__xml_remove(vcpus);
    if (xlv__bitmap_is_first_n(&dom->online, online))
        return 0;
    vcpus = xlv__xml_add_after(ctx, *last_r, "vcpus", NULL);
    if (!vcpus)
        return XLV_ERR_NOMEM;
    *last_r = vcpus;
    for (i = 0; i < dom->max_vcpus; i++) {
        bool on = libxl_bitmap_test(&dom->online, i);

        v = xlv__xml_add(ctx, vcpus, "vcpu", NULL);
        if (!v)
            return XLV_ERR_NOMEM;
        rc = set_uint_attr(ctx, v, "id", i);
        if (rc) return rc;
        rc = xlv__xml_set_attr(ctx, v, "enabled", on ? "yes" : "no");
        if (rc) return rc;
        rc = xlv__xml_set_attr(ctx, v, "hotpluggable", i ? "yes" : "no");
        if (rc) return rc;
    }
    return 0;
}

/* Add one pin element per vCPU that has a map in PINS. */
static int format_pins(xlv_ctx *ctx, const xlv_domain *dom,
                       xlv__xml_node *parent, const libxl_bitmap *pins,
                       bool ns)
{
    unsigned int i;
    int rc;

    for (i = 0; i < dom->max_vcpus; i++) {
        xlv__xml_node *pin;

        if (!pins[i].size)
            continue;
        pin = ns ? xlv__xml_add_ns(ctx, parent, XLV__XML_NS, XLV__XML_PREFIX,
                                   XLV__XML_VCPUSOFT)
                 : xlv__xml_add(ctx, parent, "vcpupin", NULL);
        if (!pin)
            return XLV_ERR_NOMEM;
        rc = set_uint_attr(ctx, pin, "vcpu", i);
        if (rc) return rc;
        rc = set_cpuset_attr(ctx, pin, "cpuset", &pins[i]);
        if (rc) return rc;
    }
    return 0;
}

static bool any_pin(const xlv_domain *dom, const libxl_bitmap *pins)
{
    unsigned int i;

    for (i = 0; i < dom->max_vcpus; i++) {
        if (pins[i].size)
            return true;
    }
    return false;
}

static int format_cputune(xlv_ctx *ctx, const xlv_domain *dom,
                          xlv__xml_node *root, xlv__xml_node *after)
{
    xlv__xml_node *tune = xlv__xml_child(root, "cputune"), *shares;
    char buf[16];
    int rc;

    if (!tune && !dom->weight && !any_pin(dom, dom->hard))
        return 0;
    tune = ensure_after(ctx, root, "cputune", after);
    if (!tune)
        return XLV_ERR_NOMEM;
    shares = xlv__xml_child(tune, "shares");
    if (dom->weight) {
        if (!shares)
            shares = xlv__xml_add(ctx, tune, "shares", NULL);
        if (!shares)
            return XLV_ERR_NOMEM;
        snprintf(buf, sizeof(buf), "%u", dom->weight);
        rc = xlv__xml_set_text(ctx, shares, buf);
        if (rc) return rc;
    } else if (shares) {
        xlv__xml_remove(shares);
    }
    remove_children(tune, "vcpupin");
    rc = format_pins(ctx, dom, tune, dom->hard, false);
    if (rc) return rc;
    if (xlv__xml_is_empty(tune, true))
        xlv__xml_remove(tune);
    return 0;
}

/* <xlvcpu:nodes>: the default affinities that name NUMA nodes. */
static int format_nodes(xlv_ctx *ctx, const xlv_domain *dom,
                        xlv__xml_node *tune)
{
    xlv__xml_node *n;
    int rc;

    if (!dom->hard_nodes && !dom->soft_nodes)
        return 0;
    n = xlv__xml_add_ns(ctx, tune, XLV__XML_NS, XLV__XML_PREFIX,
                        XLV__XML_NODES);
    if (!n)
        return XLV_ERR_NOMEM;
    if (dom->hard_nodes) {
        rc = xlv__xml_set_attr(ctx, n, "cpus", dom->hard_nodes);
        if (rc) return rc;
    }
    if (dom->soft_nodes)
        return xlv__xml_set_attr(ctx, n, "cpus_soft", dom->soft_nodes);
    return 0;
}

static int format_soft(xlv_ctx *ctx, const xlv_domain *dom,
                       xlv__xml_node *root)
{
    xlv__xml_node *meta = xlv__xml_child(root, "metadata"), *tune, *soft;
    bool want = dom->soft_default.size || any_pin(dom, dom->soft) ||
                dom->hard_nodes || dom->soft_nodes;
    int rc;

    tune = meta ? xlv__xml_child_ns(meta, XLV__XML_NS, XLV__XML_CPUTUNE)
                : NULL;
    if (tune)
        xlv__xml_remove(tune);
    if (!want) {
        if (meta && xlv__xml_is_empty(meta, true))
            xlv__xml_remove(meta);
        return 0;
    }
    if (!meta) {
        xlv__xml_node *after = xlv__xml_child(root, "uuid");

        meta = ensure_after(ctx, root, "metadata",
                            after ? after : xlv__xml_child(root, "name"));
        if (!meta)
            return XLV_ERR_NOMEM;
    }
    tune = xlv__xml_add_ns(ctx, meta, XLV__XML_NS, XLV__XML_PREFIX,
                           XLV__XML_CPUTUNE);
    if (!tune)
        return XLV_ERR_NOMEM;
    if (dom->soft_default.size) {
        soft = xlv__xml_add_ns(ctx, tune, XLV__XML_NS, XLV__XML_PREFIX,
                               XLV__XML_SOFT);
        if (!soft)
            return XLV_ERR_NOMEM;
        rc = set_cpuset_attr(ctx, soft, "cpuset", &dom->soft_default);
        if (rc) return rc;
    }
    rc = format_pins(ctx, dom, tune, dom->soft, true);
    if (rc) return rc;
    return format_nodes(ctx, dom, tune);
}

int xlv__domain_format_vcpus(xlv_ctx *ctx, xlv_domain *dom)
{
    xlv__xml_node *root = xlv__xml_root(dom->doc), *last;
    int rc;

    rc = format_vcpu(ctx, dom, root, &last);
    if (rc) return rc;
    rc = format_vcpus(ctx, dom, root, &last);
    if (rc) return rc;
    rc = format_cputune(ctx, dom, root, last);
    if (rc) return rc;
    return format_soft(ctx, dom, root);
}

/* ---- a whole new document ---- */

static int add_text(xlv_ctx *ctx, xlv__xml_node *parent, const char *name,
                    const char *text)
{
    if (!text)
        return 0;
    return xlv__xml_add(ctx, parent, name, text) ? 0 : XLV_ERR_NOMEM;
}

static int add_memory(xlv_ctx *ctx, xlv__xml_node *root, const char *name,
                      uint64_t kib)
{
    xlv__xml_node *n;
    char buf[24];

    snprintf(buf, sizeof(buf), "%" PRIu64, kib);
    n = xlv__xml_add(ctx, root, name, buf);
    if (!n)
        return XLV_ERR_NOMEM;
    return xlv__xml_set_attr(ctx, n, "unit", "KiB");
}

static int format_os(xlv_ctx *ctx, const xlv_domain *dom,
                     xlv__xml_node *root)
{
    static const char *const machines[] = {
        [XLV_DOMAIN_TYPE_PV] = "xenpv", [XLV_DOMAIN_TYPE_PVH] = "xenpvh",
        [XLV_DOMAIN_TYPE_HVM] = "xenfv",
    };
    static const char *const types[] = {
        [XLV_DOMAIN_TYPE_PV] = "linux", [XLV_DOMAIN_TYPE_PVH] = "xenpvh",
        [XLV_DOMAIN_TYPE_HVM] = "hvm",
    };
    xlv__xml_node *os, *type;
    const char *p;
    int rc;

    rc = add_text(ctx, root, "bootloader", dom->bootloader);
    if (rc) return rc;
    rc = add_text(ctx, root, "bootloader_args", dom->bootloader_args);
    if (rc) return rc;
    os = xlv__xml_add(ctx, root, "os", NULL);
    if (!os)
        return XLV_ERR_NOMEM;
    type = xlv__xml_add(ctx, os, "type", types[dom->type]);
    if (!type)
        return XLV_ERR_NOMEM;
    rc = xlv__xml_set_attr(ctx, type, "arch", "x86_64");
    if (rc) return rc;
    rc = xlv__xml_set_attr(ctx, type, "machine", machines[dom->type]);
    if (rc) return rc;
    rc = add_text(ctx, os, "loader", dom->loader);
    if (rc) return rc;
    rc = add_text(ctx, os, "kernel", dom->kernel);
    if (rc) return rc;
    rc = add_text(ctx, os, "initrd", dom->initrd);
    if (rc) return rc;
    rc = add_text(ctx, os, "cmdline", dom->cmdline);
    if (rc) return rc;
    for (p = dom->boot_order; p && *p; p++) {
        xlv__xml_node *boot = xlv__xml_add(ctx, os, "boot", NULL);
        const char *dev = *p == 'd' ? "cdrom" : *p == 'n' ? "network"
                        : *p == 'a' ? "fd" : "hd";

        if (!boot)
            return XLV_ERR_NOMEM;
        rc = xlv__xml_set_attr(ctx, boot, "dev", dev);
        if (rc) return rc;
    }
    return 0;
}

static int format_features(xlv_ctx *ctx, const xlv_domain *dom,
                           xlv__xml_node *root)
{
    xlv__xml_node *features;

    if (dom->type != XLV_DOMAIN_TYPE_HVM)
        return 0;
    features = xlv__xml_add(ctx, root, "features", NULL);
    if (!features)
        return XLV_ERR_NOMEM;
    /* libvirt has no "off" form for these: absence means off. */
    if ((dom->acpi == XLV__FEATURE_ON && !xlv__xml_add(ctx, features, "acpi",
                                                       NULL)) ||
        (dom->apic == XLV__FEATURE_ON && !xlv__xml_add(ctx, features, "apic",
                                                       NULL)) ||
        (dom->pae == XLV__FEATURE_ON && !xlv__xml_add(ctx, features, "pae",
                                                      NULL)))
        return XLV_ERR_NOMEM;
    return 0;
}

static int format_cpu(xlv_ctx *ctx, const xlv_domain *dom,
                      xlv__xml_node *root)
{
    xlv__xml_node *cpu, *numa, *n;
    unsigned int i, j;
    int rc;

    if (!dom->sockets && !dom->n_vnodes)
        return 0;
    cpu = xlv__xml_add(ctx, root, "cpu", NULL);
    if (!cpu)
        return XLV_ERR_NOMEM;
    if (dom->sockets) {
        n = xlv__xml_add(ctx, cpu, "topology", NULL);
        if (!n)
            return XLV_ERR_NOMEM;
        rc = set_uint_attr(ctx, n, "sockets", dom->sockets);
        if (rc) return rc;
        rc = set_uint_attr(ctx, n, "dies", dom->dies ? dom->dies : 1);
        if (rc) return rc;
        rc = set_uint_attr(ctx, n, "cores", dom->cores);
        if (rc) return rc;
        rc = set_uint_attr(ctx, n, "threads", dom->threads);
        if (rc) return rc;
    }
    if (!dom->n_vnodes)
        return 0;
    numa = xlv__xml_add(ctx, cpu, "numa", NULL);
    if (!numa)
        return XLV_ERR_NOMEM;
    for (i = 0; i < dom->n_vnodes; i++) {
        const xlv__vnode *vn = &dom->vnodes[i];
        xlv__xml_node *cell = xlv__xml_add(ctx, numa, "cell", NULL), *dist;

        if (!cell)
            return XLV_ERR_NOMEM;
        rc = set_uint_attr(ctx, cell, "id", i);
        if (rc) return rc;
        rc = set_cpuset_attr(ctx, cell, "cpus", &vn->vcpus);
        if (rc) return rc;
        rc = set_uint_attr(ctx, cell, "memory", vn->memory_kib);
        if (rc) return rc;
        rc = xlv__xml_set_attr(ctx, cell, "unit", "KiB");
        if (rc) return rc;
        if (!vn->n_distances)
            continue;
        dist = xlv__xml_add(ctx, cell, "distances", NULL);
        if (!dist)
            return XLV_ERR_NOMEM;
        for (j = 0; j < vn->n_distances; j++) {
            xlv__xml_node *sib = xlv__xml_add(ctx, dist, "sibling", NULL);

            if (!sib)
                return XLV_ERR_NOMEM;
            rc = set_uint_attr(ctx, sib, "id", j);
            if (rc) return rc;
            rc = set_uint_attr(ctx, sib, "value", vn->distances[j]);
            if (rc) return rc;
        }
    }
    return 0;
}

static int format_actions(xlv_ctx *ctx, const xlv_domain *dom,
                          xlv__xml_node *root)
{
    int rc;

    if (dom->has_on_poweroff) {
        rc = add_text(ctx, root, "on_poweroff",
                      xlv__action_name(dom->on_poweroff));
        if (rc) return rc;
    }
    if (dom->has_on_reboot) {
        rc = add_text(ctx, root, "on_reboot",
                      xlv__action_name(dom->on_reboot));
        if (rc) return rc;
    }
    if (dom->has_on_crash) {
        rc = add_text(ctx, root, "on_crash", xlv__action_name(dom->on_crash));
        if (rc) return rc;
    }
    return 0;
}

static const char *format_name(libxl_disk_format f)
{
    switch (f) {
    case LIBXL_DISK_FORMAT_QCOW: return "qcow";
    case LIBXL_DISK_FORMAT_QCOW2: return "qcow2";
    case LIBXL_DISK_FORMAT_VHD: return "vhd";
    default: return "raw";
    }
}

static int format_disk(xlv_ctx *ctx, const xlv__disk *d,
                       xlv__xml_node *devs)
{
    bool block = d->source_type == XLV__DISK_BLOCK;
    xlv__xml_node *disk = xlv__xml_add(ctx, devs, "disk", NULL), *n;
    int rc;

    if (!disk)
        return XLV_ERR_NOMEM;
    rc = xlv__xml_set_attr(ctx, disk, "type", block ? "block" : "file");
    if (rc) return rc;
    rc = xlv__xml_set_attr(ctx, disk, "device", d->cdrom ? "cdrom" : "disk");
    if (rc) return rc;
    n = xlv__xml_add(ctx, disk, "driver", NULL);
    if (!n)
        return XLV_ERR_NOMEM;
    if (d->driver) {
        rc = xlv__xml_set_attr(ctx, n, "name", d->driver);
        if (rc) return rc;
    }
    rc = xlv__xml_set_attr(ctx, n, "type", format_name(d->format));
    if (rc) return rc;
    if (d->source) {
        n = xlv__xml_add(ctx, disk, "source", NULL);
        if (!n)
            return XLV_ERR_NOMEM;
        rc = xlv__xml_set_attr(ctx, n, block ? "dev" : "file", d->source);
        if (rc) return rc;
    }
    n = xlv__xml_add(ctx, disk, "target", NULL);
    if (!n)
        return XLV_ERR_NOMEM;
    rc = xlv__xml_set_attr(ctx, n, "dev", d->target);
    if (rc) return rc;
    if (d->readonly && !xlv__xml_add(ctx, disk, "readonly", NULL))
        return XLV_ERR_NOMEM;
    return 0;
}

static int add_attr_elem(xlv_ctx *ctx, xlv__xml_node *parent,
                         const char *name, const char *attr,
                         const char *value)
{
    xlv__xml_node *n;

    if (!value)
        return 0;
    n = xlv__xml_add(ctx, parent, name, NULL);
    if (!n)
        return XLV_ERR_NOMEM;
    return xlv__xml_set_attr(ctx, n, attr, value);
}

static int format_nic(xlv_ctx *ctx, const xlv__nic *nic,
                      xlv__xml_node *devs)
{
    xlv__xml_node *iface = xlv__xml_add(ctx, devs, "interface", NULL);
    int rc;

    if (!iface)
        return XLV_ERR_NOMEM;
    rc = xlv__xml_set_attr(ctx, iface, "type", nic->type == XLV__NIC_BRIDGE
                                               ? "bridge" : "ethernet");
    if (rc) return rc;
    rc = add_attr_elem(ctx, iface, "mac", "address", nic->mac);
    if (rc) return rc;
    rc = add_attr_elem(ctx, iface, "source", "bridge", nic->bridge);
    if (rc) return rc;
    rc = add_attr_elem(ctx, iface, "ip", "address", nic->ip);
    if (rc) return rc;
    rc = add_attr_elem(ctx, iface, "script", "path", nic->script);
    if (rc) return rc;
    rc = add_attr_elem(ctx, iface, "target", "dev", nic->ifname);
    if (rc) return rc;
    rc = add_attr_elem(ctx, iface, "model", "type", nic->model);
    if (rc) return rc;
    return 0;
}

static int format_devices(xlv_ctx *ctx, const xlv_domain *dom,
                          xlv__xml_node *root)
{
    xlv__xml_node *devs;
    unsigned int i;
    int rc;

    if (!dom->n_disks && !dom->n_nics)
        return 0;
    devs = xlv__xml_add(ctx, root, "devices", NULL);
    if (!devs)
        return XLV_ERR_NOMEM;
    for (i = 0; i < dom->n_disks; i++) {
        rc = format_disk(ctx, &dom->disks[i], devs);
        if (rc) return rc;
    }
    for (i = 0; i < dom->n_nics; i++) {
        rc = format_nic(ctx, &dom->nics[i], devs);
        if (rc) return rc;
    }
    return 0;
}

int xlv__domain_format(xlv_ctx *ctx, xlv_domain *dom)
{
    xlv__xml_doc *doc = NULL;
    xlv__xml_node *root;
    char uuid[LIBXL_UUID_FMTLEN + 1];
    int rc;

    rc = xlv__xml_new(ctx, &doc, "domain");
    if (rc) goto out;
    root = xlv__xml_root(doc);
    rc = xlv__xml_set_attr(ctx, root, "type", "xen");
    if (rc) goto out;
    rc = add_text(ctx, root, "name", dom->name);
    if (rc) goto out;
    if (dom->has_uuid) {
        snprintf(uuid, sizeof(uuid), LIBXL_UUID_FMT,
                 LIBXL_UUID_BYTES(dom->uuid));
        rc = add_text(ctx, root, "uuid", uuid);
        if (rc) goto out;
    }
    rc = add_memory(ctx, root, "memory", dom->max_memory_kib);
    if (rc) goto out;
    rc = add_memory(ctx, root, "currentMemory", dom->memory_kib);
    if (rc) goto out;
    if (!xlv__xml_add(ctx, root, "vcpu", NULL)) {
        rc = XLV_ERR_NOMEM;
        goto out;
    }
    rc = format_os(ctx, dom, root);
    if (rc) goto out;
    rc = format_features(ctx, dom, root);
    if (rc) goto out;
    rc = format_cpu(ctx, dom, root);
    if (rc) goto out;
    rc = format_actions(ctx, dom, root);
    if (rc) goto out;
    rc = format_devices(ctx, dom, root);
    if (rc) goto out;
    xlv__xml_free(dom->doc);
    dom->doc = doc;
    doc = NULL;
    rc = xlv__domain_format_vcpus(ctx, dom);
 out:
    xlv__xml_free(doc);
    return rc;
}
