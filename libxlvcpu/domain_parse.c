/*
 * Domain XML → model.  Reads libvirt's schema as "virsh dumpxml" writes it
 * for Xen; every value is checked as it is read and errors name the
 * element, attribute and value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "domain.h"
#include "xml_names.h"

/* ---- small readers ---- */

static int read_uint(xlv_ctx *ctx, unsigned int *val_r, const char *s,
                     unsigned int min, unsigned int max, const char *elem,
                     const char *attr)
{
    uint64_t v;
    int r = xlv__number_parse(s, UINT32_MAX, &v);

    if (r == XLV__NUM_BAD) {
        if (attr)
            return xlv__error(ctx, XLV_ERR_INVAL, "<%s %s='%.80s'>: not a "
                              "non-negative integer", elem, attr, s);
        return xlv__error(ctx, XLV_ERR_INVAL, "<%s>%.80s</%s>: not a "
                          "non-negative integer", elem, s, elem);
    }
    if (r == XLV__NUM_RANGE || v > max || v < min) {
        if (attr)
            return xlv__error(ctx, XLV_ERR_INVAL, "<%s %s='%.80s'>: must be "
                              "from %u to %u", elem, attr, s, min, max);
        return xlv__error(ctx, XLV_ERR_INVAL, "<%s>%.80s</%s>: must be from "
                          "%u to %u", elem, s, elem, min, max);
    }
    *val_r = (unsigned int)v;
    return 0;
}

static int read_yesno(xlv_ctx *ctx, bool *val_r, const char *s,
                      const char *elem, const char *attr)
{
    if (!strcmp(s, "yes") || !strcmp(s, "on")) {
        *val_r = true;
        return 0;
    }
    if (!strcmp(s, "no") || !strcmp(s, "off")) {
        *val_r = false;
        return 0;
    }
    return xlv__error(ctx, XLV_ERR_INVAL, "<%s %s='%.80s'>: must be 'yes' or "
                      "'no'", elem, attr, s);
}

/* libvirt's memory units, as multiples of one byte. */
static const struct {
    const char *name;
    uint64_t bytes;
} units[] = {
    { "b", 1 }, { "bytes", 1 },
    { "KB", 1000ULL }, { "k", 1024ULL }, { "KiB", 1024ULL },
    { "MB", 1000000ULL }, { "M", 1ULL << 20 }, { "MiB", 1ULL << 20 },
    { "GB", 1000000000ULL }, { "G", 1ULL << 30 }, { "GiB", 1ULL << 30 },
    { "TB", 1000000000000ULL }, { "T", 1ULL << 40 }, { "TiB", 1ULL << 40 },
    { "PB", 1000000000000000ULL }, { "P", 1ULL << 50 },
    { "PiB", 1ULL << 50 },
    { "EB", 1000000000000000000ULL }, { "E", 1ULL << 60 },
    { "EiB", 1ULL << 60 },
};

/* Largest memory we accept, in KiB (16 TiB, Xen's x86 limit). */
#define MAX_MEMORY_KIB (16ULL << 30)

/*
 * A memory size in UNIT (KiB when NULL) to KiB, rounded up as libvirt
 * does.  ELEM names the element in errors.
 */
static int read_memory(xlv_ctx *ctx, uint64_t *kib_r, const char *text,
                       const char *unit, const char *elem)
{
    uint64_t v, mult = 1024, kib;
    unsigned int i;
    int r;

    if (unit) {
        for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
            if (!strcmp(unit, units[i].name) ||
                (strlen(unit) == 1 && units[i].name[1] == '\0' &&
                 unit[0] == units[i].name[0] + ('a' - 'A')))
                break;
        }
        if (i == sizeof(units) / sizeof(units[0]))
            return xlv__error(ctx, XLV_ERR_INVAL, "<%s unit='%.40s'>: unknown "
                              "memory unit", elem, unit);
        mult = units[i].bytes;
    }
    r = xlv__number_parse(text, UINT64_MAX, &v);
    if (r == XLV__NUM_BAD)
        return xlv__error(ctx, XLV_ERR_INVAL, "<%s>%.80s</%s>: not a "
                          "non-negative integer", elem, text, elem);
    kib = MAX_MEMORY_KIB + 1;
    if (r != XLV__NUM_RANGE && (!v || mult <= UINT64_MAX / v)) {
        v *= mult;
        kib = v / 1024 + (v % 1024 ? 1 : 0);
    }
    if (kib > MAX_MEMORY_KIB)
        return xlv__error(ctx, XLV_ERR_INVAL, "<%s>%.80s</%s>: more than "
                          "the limit of 16 TiB", elem, text, elem);
    *kib_r = kib;
    return 0;
}

/* Copy the text of child NAME of NODE into *dst_r (NULL when absent). */
static int read_child_text(xlv_ctx *ctx, char **dst_r,
                           const xlv__xml_node *node, const char *name)
{
    xlv__xml_node *c = xlv__xml_child(node, name);

    return c ? xlv__strdup(ctx, dst_r, xlv__xml_text(c)) : 0;
}

/* ---- vCPUs ---- */

static int parse_vcpu(xlv_ctx *ctx, xlv_domain *dom,
                      const xlv__xml_node *root)
{
    unsigned int limit = xlv__domain_type_max_vcpus(dom->type);
    xlv__xml_node *vcpu = xlv__xml_child(root, "vcpu");
    unsigned int max = 1, current, i;
    const char *s, *placement;
    int rc;

    if (xlv__xml_count(root, "vcpu") > 1)
        return xlv__error(ctx, XLV_ERR_XML, "<vcpu> appears more than once");
    if (vcpu) {
        s = xlv__xml_text(vcpu);
        rc = read_uint(ctx, &max, s, 1, limit, "vcpu", NULL);
        if (rc) return rc;
    }
    rc = xlv__domain_alloc_vcpus(ctx, dom, max);
    if (rc) return rc;

    current = max;
    s = vcpu ? xlv__xml_attr(vcpu, "current") : NULL;
    if (s) {
        rc = read_uint(ctx, &current, s, 1, max, "vcpu", "current");
        if (rc) return rc;
    }
    for (i = 0; i < current; i++)
        libxl_bitmap_set(&dom->online, i);

    placement = vcpu ? xlv__xml_attr(vcpu, "placement") : NULL;
    s = vcpu ? xlv__xml_attr(vcpu, "cpuset") : NULL;
    if (placement && strcmp(placement, "static") &&
        strcmp(placement, "auto"))
        return xlv__error(ctx, XLV_ERR_INVAL, "<vcpu placement='%.40s'>: must "
                          "be 'static' or 'auto'", placement);
    dom->placement_auto = placement && !strcmp(placement, "auto");
    if (s && dom->placement_auto)
        return xlv__error(ctx, XLV_ERR_CONFLICT, "<vcpu placement='auto' "
                          "cpuset='%.80s'>: automatic placement and a cpuset "
                          "exclude each other", s);
    if (s) {
        rc = xlv__cpuset_parse(ctx, &dom->hard_default, s, XLV_MAX_PCPUS,
                               "<vcpu cpuset='%s'>");
        if (rc) return rc;
    }
    return 0;
}

/* One <vcpus><vcpu>: its id (described once: SEEN has the ids so far)
 * and whether it is online. */
static int parse_vcpus_vcpu(xlv_ctx *ctx, xlv_domain *dom,
                            const xlv__xml_node *v, libxl_bitmap *seen)
{
    unsigned int id, order;
    const char *s;
    bool on, hp;
    int rc;

    s = xlv__xml_attr(v, "id");
    if (!s)
        return xlv__error(ctx, XLV_ERR_INVAL, "<vcpus><vcpu>: attribute "
                          "'id' is missing");
    rc = read_uint(ctx, &id, s, 0, dom->max_vcpus - 1, "vcpus><vcpu", "id");
    if (rc) return rc;
    if (libxl_bitmap_test(seen, id))
        return xlv__error(ctx, XLV_ERR_CONFLICT, "<vcpus><vcpu id='%u'>: "
                          "vcpu described twice", id);
    libxl_bitmap_set(seen, id);
    s = xlv__xml_attr(v, "enabled");
    if (!s)
        return xlv__error(ctx, XLV_ERR_INVAL, "<vcpus><vcpu id='%u'>: "
                          "attribute 'enabled' is missing", id);
    rc = read_yesno(ctx, &on, s, "vcpus><vcpu", "enabled");
    if (rc) return rc;
    s = xlv__xml_attr(v, "hotpluggable");
    if (s) {
        rc = read_yesno(ctx, &hp, s, "vcpus><vcpu", "hotpluggable");
        if (rc) return rc;
    }
    s = xlv__xml_attr(v, "order");
    if (s) {
        rc = read_uint(ctx, &order, s, 1, UINT32_MAX, "vcpus><vcpu",
                       "order");
        if (rc) return rc;
    }
    if (on)
        libxl_bitmap_set(&dom->online, id);
    return 0;
}

/* <vcpus><vcpu id= enabled=/></vcpus>: an explicit, maybe sparse, map. */
static int parse_vcpus(xlv_ctx *ctx, xlv_domain *dom,
                       const xlv__xml_node *root)
{
    xlv__xml_node *vcpus = xlv__xml_child(root, "vcpus"), *v;
    xlv__xml_node *vcpu = xlv__xml_child(root, "vcpu");
    libxl_bitmap seen;
    const char *s;
    unsigned int enabled;
    uint64_t cur = 0;
    int rc;

    if (!vcpus)
        return 0;
    libxl_bitmap_init(&seen);
    rc = xlv__bitmap_alloc(ctx, &seen, dom->max_vcpus);
    if (rc) goto out;
    libxl_bitmap_set_none(&dom->online);
    for (v = xlv__xml_child(vcpus, "vcpu"); v; v = xlv__xml_next(v, "vcpu")) {
        rc = parse_vcpus_vcpu(ctx, dom, v, &seen);
        if (rc) goto out;
    }
    /* Each id once, so the bits set are the vCPUs enabled. */
    enabled = xlv__bitmap_count(&dom->online);
    s = vcpu ? xlv__xml_attr(vcpu, "current") : NULL;
    if (s) {
        /* parse_vcpu() has checked the value already */
        xlv__number_parse(s, UINT32_MAX, &cur);
        if (cur != enabled) {
            rc = xlv__error(ctx, XLV_ERR_CONFLICT, "<vcpu current='%s'>: "
                            "but %u vcpus are enabled in <vcpus>", s,
                            enabled);
            goto out;
        }
    }
    rc = 0;
 out:
    libxl_bitmap_dispose(&seen);
    return rc;
}

/* One <vcpupin>-like element: vcpu= and cpuset= into PINS[vcpu]. */
static int parse_pin(xlv_ctx *ctx, xlv_domain *dom, libxl_bitmap *pins,
                     const xlv__xml_node *pin, const char *elem)
{
    const char *s = xlv__xml_attr(pin, "vcpu");
    char what[64];
    unsigned int id;
    int rc;

    if (!s)
        return xlv__error(ctx, XLV_ERR_INVAL, "<%s>: attribute 'vcpu' is "
                          "missing", elem);
    rc = read_uint(ctx, &id, s, 0, UINT32_MAX, elem, "vcpu");
    if (rc) return rc;
    if (id >= dom->max_vcpus)
        return xlv__error(ctx, XLV_ERR_INVAL, "<%s vcpu='%s'>: vcpu is not "
                          "below the maximum of %u", elem, s,
                          dom->max_vcpus);
    if (pins[id].size)
        return xlv__error(ctx, XLV_ERR_CONFLICT, "<%s vcpu='%u'>: vcpu "
                          "pinned twice", elem, id);
    s = xlv__xml_attr(pin, "cpuset");
    if (!s)
        return xlv__error(ctx, XLV_ERR_INVAL, "<%s vcpu='%u'>: attribute "
                          "'cpuset' is missing", elem, id);
    snprintf(what, sizeof(what), "<%s vcpu='%u' cpuset='%%s'>", elem, id);
    return xlv__cpuset_parse(ctx, &pins[id], s, XLV_MAX_PCPUS, what);
}

static int parse_cputune(xlv_ctx *ctx, xlv_domain *dom,
                         const xlv__xml_node *root)
{
    xlv__xml_node *tune = xlv__xml_child(root, "cputune"), *n;
    int rc;

    if (!tune)
        return 0;
    n = xlv__xml_child(tune, "shares");
    if (n) {
        rc = read_uint(ctx, &dom->weight, xlv__xml_text(n), 1, 65535,
                       "shares", NULL);
        if (rc) return rc;
    }
    for (n = xlv__xml_child(tune, "vcpupin"); n;
         n = xlv__xml_next(n, "vcpupin")) {
        rc = parse_pin(ctx, dom, dom->hard, n, "vcpupin");
        if (rc) return rc;
    }
    return 0;
}

/* One attribute of <xlvcpu:nodes>: xl's KEY= string, kept as written
 * once its syntax is checked; refused beside DFLT, a default affinity
 * the document also gives. */
static int parse_nodes_attr(xlv_ctx *ctx, const xlv__xml_node *n,
                            const char *key, const libxl_bitmap *dflt,
                            const char *dflt_name, char **nodes_r)
{
    const char *s = xlv__xml_attr(n, key);
    char what[64];
    int rc;

    if (!s)
        return 0;
    if (!xlv__xl_cpus_has_nodes(s))
        return xlv__error(ctx, XLV_ERR_INVAL, "<xlvcpu:nodes %s='%.80s'>: "
                          "names no numa node (write it as %s)", key, s,
                          dflt_name);
    if (dflt->size)
        return xlv__error(ctx, XLV_ERR_CONFLICT, "<xlvcpu:nodes %s='%.80s'> "
                          "and %s: one default affinity only", key, s,
                          dflt_name);
    snprintf(what, sizeof(what), "<xlvcpu:nodes %s='%%s'>", key);
    rc = xlv__xl_cpus_check(ctx, s, what);
    if (rc) return rc;
    return xlv__strdup(ctx, nodes_r, s);
}

/* <xlvcpu:nodes>, N (NULL when there is none): default affinities that
 * name NUMA nodes, in xl's syntax (see xml_names.h). */
static int parse_nodes(xlv_ctx *ctx, xlv_domain *dom,
                       const xlv__xml_node *n)
{
    int rc;

    if (!n)
        return 0;
    if (xlv__xml_next_ns(n, XLV__XML_NS, XLV__XML_NODES))
        return xlv__error(ctx, XLV_ERR_XML, "<xlvcpu:nodes> appears more "
                          "than once");
    rc = parse_nodes_attr(ctx, n, "cpus", &dom->hard_default,
                          "<vcpu cpuset=>", &dom->hard_nodes);
    if (rc) return rc;
    return parse_nodes_attr(ctx, n, "cpus_soft", &dom->soft_default,
                            "<xlvcpu:soft>", &dom->soft_nodes);
}

/* Soft affinity, our extension inside <metadata> (see xml_names.h). */
static int parse_soft(xlv_ctx *ctx, xlv_domain *dom,
                      const xlv__xml_node *root)
{
    xlv__xml_node *meta = xlv__xml_child(root, "metadata"), *tune, *n;
    const char *s;
    int rc;

    if (!meta)
        return 0;
    tune = xlv__xml_child_ns(meta, XLV__XML_NS, XLV__XML_CPUTUNE);
    if (!tune)
        return 0;
    if (xlv__xml_next_ns(tune, XLV__XML_NS, XLV__XML_CPUTUNE))
        return xlv__error(ctx, XLV_ERR_XML, "<metadata><xlvcpu:cputune> "
                          "appears more than once");
    n = xlv__xml_child_ns(tune, XLV__XML_NS, XLV__XML_SOFT);
    if (n) {
        s = xlv__xml_attr(n, "cpuset");
        if (!s)
            return xlv__error(ctx, XLV_ERR_INVAL, "<xlvcpu:soft>: attribute "
                              "'cpuset' is missing");
        rc = xlv__cpuset_parse(ctx, &dom->soft_default, s, XLV_MAX_PCPUS,
                               "<xlvcpu:soft cpuset='%s'>");
        if (rc) return rc;
    }
    for (n = xlv__xml_child_ns(tune, XLV__XML_NS, XLV__XML_VCPUSOFT); n;
         n = xlv__xml_next_ns(n, XLV__XML_NS, XLV__XML_VCPUSOFT)) {
        rc = parse_pin(ctx, dom, dom->soft, n, "xlvcpu:vcpusoft");
        if (rc) return rc;
    }
    return parse_nodes(ctx, dom, xlv__xml_child_ns(tune, XLV__XML_NS,
                                                   XLV__XML_NODES));
}

/*
 * libvirt lets cells give only some distances: when any cell gives one,
 * every cell gets the whole row, completed by
 * xlv__domain_vnode_distance() (filling in place gives the same result:
 * a distance filled from the other way round was given there).
 */
static int complete_distances(xlv_ctx *ctx, xlv_domain *dom)
{
    unsigned int n = dom->n_vnodes, i, j;
    bool any = false;

    for (i = 0; i < n; i++)
        any |= dom->vnodes[i].n_distances != 0;
    if (!any)
        return 0;
    for (i = 0; i < n; i++) {
        xlv__vnode *vn = &dom->vnodes[i];

        if (vn->n_distances)
            continue;
        vn->distances = calloc(n, sizeof(*vn->distances));
        if (!vn->distances)
            return xlv__nomem(ctx, "numa distances");
        vn->n_distances = n;
    }
    for (i = 0; i < n; i++) {
        for (j = 0; j < n; j++)
            dom->vnodes[i].distances[j] =
                xlv__domain_vnode_distance(dom, i, j);
    }
    return 0;
}

/* <topology sockets dies cores threads>: dies may be left out (1). */
static int parse_topology(xlv_ctx *ctx, xlv_domain *dom,
                          const xlv__xml_node *topo)
{
    static const char *const names[] = {
        "sockets", "dies", "cores", "threads"
    };
    unsigned int *fields[] = {
        &dom->sockets, &dom->dies, &dom->cores, &dom->threads
    };
    unsigned int i;
    int rc;

    for (i = 0; i < 4; i++) {
        const char *s = xlv__xml_attr(topo, names[i]);

        if (!s && i == 1) {
            dom->dies = 1;
            continue;
        }
        if (!s)
            return xlv__error(ctx, XLV_ERR_INVAL, "<topology>: attribute "
                              "'%s' is missing", names[i]);
        rc = read_uint(ctx, fields[i], s, 1, XLV_MAX_VCPUS_PV, "topology",
                       names[i]);
        if (rc) return rc;
    }
    return 0;
}

/* The <distances> of cell I of N into VN: each <sibling> once. */
static int parse_distances(xlv_ctx *ctx, xlv__vnode *vn,
                           const xlv__xml_node *dist, unsigned int i,
                           unsigned int n)
{
    xlv__xml_node *sib;
    unsigned int sid, value;
    const char *s;
    int rc;

    vn->n_distances = n;
    vn->distances = calloc(n, sizeof(*vn->distances));
    if (!vn->distances)
        return xlv__nomem(ctx, "numa distances");
    for (sib = xlv__xml_child(dist, "sibling"); sib;
         sib = xlv__xml_next(sib, "sibling")) {
        s = xlv__xml_attr(sib, "id");
        rc = read_uint(ctx, &sid, s ? s : "", 0, n - 1, "sibling", "id");
        if (rc) return rc;
        s = xlv__xml_attr(sib, "value");
        rc = read_uint(ctx, &value, s ? s : "", 10, 255, "sibling",
                       "value");
        if (rc) return rc;
        if (vn->distances[sid])
            return xlv__error(ctx, XLV_ERR_CONFLICT, "<cell id='%u'>: "
                              "sibling '%u' given twice", i, sid);
        vn->distances[sid] = value;
    }
    return 0;
}

/* <cell> I of the N of <numa>: its id, vCPUs, memory and distances. */
static int parse_cell(xlv_ctx *ctx, xlv_domain *dom,
                      const xlv__xml_node *cell, unsigned int i,
                      unsigned int n)
{
    xlv__vnode *vn = &dom->vnodes[i];
    xlv__xml_node *dist;
    const char *s;
    char what[64];
    unsigned int id;
    int rc;

    s = xlv__xml_attr(cell, "id");
    if (s) {
        rc = read_uint(ctx, &id, s, 0, UINT32_MAX, "cell", "id");
        if (rc) return rc;
        if (id != i)
            return xlv__error(ctx, XLV_ERR_INVAL, "<cell id='%s'>: cells "
                              "must be numbered 0, 1, ... in order", s);
    }
    s = xlv__xml_attr(cell, "cpus");
    if (!s)
        return xlv__error(ctx, XLV_ERR_INVAL, "<cell id='%u'>: attribute "
                          "'cpus' is missing", i);
    snprintf(what, sizeof(what), "<cell id='%u' cpus='%%s'>", i);
    rc = xlv__cpuset_parse(ctx, &vn->vcpus, s, dom->max_vcpus, what);
    if (rc) return rc;
    s = xlv__xml_attr(cell, "memory");
    if (!s)
        return xlv__error(ctx, XLV_ERR_INVAL, "<cell id='%u'>: attribute "
                          "'memory' is missing", i);
    rc = read_memory(ctx, &vn->memory_kib, s, xlv__xml_attr(cell, "unit"),
                     "cell memory");
    if (rc) return rc;
    if (!vn->memory_kib)
        return xlv__error(ctx, XLV_ERR_INVAL, "<cell id='%u' memory='%s'>: "
                          "must not be zero", i, s);
    dist = xlv__xml_child(cell, "distances");
    if (!dist)
        return 0;
    return parse_distances(ctx, vn, dist, i, n);
}

/* <numa>: its cells, then the distances they left out. */
static int parse_numa(xlv_ctx *ctx, xlv_domain *dom,
                      const xlv__xml_node *numa)
{
    unsigned int n = xlv__xml_count(numa, "cell"), i;
    xlv__xml_node *cell;
    int rc;

    if (!n)
        return xlv__error(ctx, XLV_ERR_INVAL, "<numa> has no <cell>");
    if (n > XLV__MAX_VNODES)
        return xlv__error(ctx, XLV_ERR_INVAL, "<numa> has %u cells: at "
                          "most %u are allowed", n, XLV__MAX_VNODES);
    if (n > dom->max_vcpus)
        return xlv__error(ctx, XLV_ERR_CONFLICT, "<numa> has %u cells for "
                          "%u vcpus: every cell needs a vcpu", n,
                          dom->max_vcpus);
    dom->vnodes = calloc(n, sizeof(*dom->vnodes));
    if (!dom->vnodes)
        return xlv__nomem(ctx, "the numa cells");
    dom->n_vnodes = n;
    for (i = 0; i < n; i++)
        libxl_bitmap_init(&dom->vnodes[i].vcpus);
    for (i = 0, cell = xlv__xml_child(numa, "cell"); cell;
         i++, cell = xlv__xml_next(cell, "cell")) {
        rc = parse_cell(ctx, dom, cell, i, n);
        if (rc) return rc;
    }
    return complete_distances(ctx, dom);
}

/* <cpu>: its <topology> and <numa>, both optional. */
static int parse_cpu(xlv_ctx *ctx, xlv_domain *dom,
                     const xlv__xml_node *root)
{
    xlv__xml_node *cpu = xlv__xml_child(root, "cpu"), *topo, *numa;
    int rc;

    if (!cpu)
        return 0;
    topo = xlv__xml_child(cpu, "topology");
    if (topo) {
        rc = parse_topology(ctx, dom, topo);
        if (rc) return rc;
    }
    numa = xlv__xml_child(cpu, "numa");
    if (!numa)
        return 0;
    return parse_numa(ctx, dom, numa);
}

/* ---- boot ---- */

static int parse_os(xlv_ctx *ctx, xlv_domain *dom, const xlv__xml_node *root)
{
    xlv__xml_node *os = xlv__xml_child(root, "os"), *type, *boot;
    const char *s;
    int rc;

    if (!os)
        return xlv__error(ctx, XLV_ERR_INVAL, "<os> is missing");
    type = xlv__xml_child(os, "type");
    if (!type)
        return xlv__error(ctx, XLV_ERR_INVAL, "<os><type> is missing");
    s = xlv__xml_text(type);
    if (!strcmp(s, "linux") || !strcmp(s, "xen"))
        dom->type = XLV_DOMAIN_TYPE_PV;
    else if (!strcmp(s, "hvm"))
        dom->type = XLV_DOMAIN_TYPE_HVM;
    else if (!strcmp(s, "xenpvh"))
        dom->type = XLV_DOMAIN_TYPE_PVH;
    else
        return xlv__error(ctx, XLV_ERR_INVAL, "<os><type>%.40s</type>: must "
                          "be linux, xen, xenpvh or hvm", s);
    rc = read_child_text(ctx, &dom->kernel, os, "kernel");
    if (rc) return rc;
    rc = read_child_text(ctx, &dom->initrd, os, "initrd");
    if (rc) return rc;
    rc = read_child_text(ctx, &dom->cmdline, os, "cmdline");
    if (rc) return rc;
    rc = read_child_text(ctx, &dom->loader, os, "loader");
    if (rc) return rc;
    rc = read_child_text(ctx, &dom->bootloader, root, "bootloader");
    if (rc) return rc;
    rc = read_child_text(ctx, &dom->bootloader_args, root, "bootloader_args");
    if (rc) return rc;
    for (boot = xlv__xml_child(os, "boot"); boot;
         boot = xlv__xml_next(boot, "boot")) {
        static const char *const devs[][2] = {
            { "hd", "c" }, { "cdrom", "d" }, { "network", "n" },
            { "fd", "a" },
        };
        unsigned int i;
        size_t len;
        char *p;

        s = xlv__xml_attr(boot, "dev");
        for (i = 0; i < 4; i++) {
            if (s && !strcmp(s, devs[i][0]))
                break;
        }
        if (i == 4)
            return xlv__error(ctx, XLV_ERR_INVAL, "<boot dev='%.40s'>: must "
                              "be hd, cdrom, network or fd", s ? s : "");
        len = dom->boot_order ? strlen(dom->boot_order) : 0;
        if (len >= 4)
            return xlv__error(ctx, XLV_ERR_INVAL, "<os> has more than 4 "
                              "<boot> devices");
        p = realloc(dom->boot_order, len + 2);
        if (!p)
            return xlv__nomem(ctx, "the boot order");
        p[len] = devs[i][1][0];
        p[len + 1] = '\0';
        dom->boot_order = p;
    }
    return 0;
}

static int parse_action(xlv_ctx *ctx, libxl_action_on_shutdown *act_r,
                        bool *has_r, const xlv__xml_node *root,
                        const char *elem)
{
    xlv__xml_node *n = xlv__xml_child(root, elem);
    const char *s;

    if (!n)
        return 0;
    s = xlv__xml_text(n);
    if (xlv__action_from_name(s, act_r)) {
        *has_r = true;
        return 0;
    }
    return xlv__error(ctx, XLV_ERR_INVAL, "<%s>%.40s</%s>: unknown action",
                      elem, s, elem);
}

static int parse_feature(xlv_ctx *ctx, xlv__feature *f_r,
                         const xlv__xml_node *features, const char *name)
{
    xlv__xml_node *n = features ? xlv__xml_child(features, name) : NULL;
    const char *s;
    bool on = true;
    int rc;

    /* As libvirt: a feature not listed is off, <features> or not. */
    if (!n) {
        *f_r = XLV__FEATURE_OFF;
        return 0;
    }
    s = xlv__xml_attr(n, "state");
    if (s) {
        rc = read_yesno(ctx, &on, s, name, "state");
        if (rc) return rc;
    }
    *f_r = on ? XLV__FEATURE_ON : XLV__FEATURE_OFF;
    return 0;
}

/* ---- devices ---- */

/* <disk><driver name= type=/>, DRIVER (NULL when there is none): the
 * backend asked for and the image format, raw unless it says.  "aio" is
 * the old Xen spelling of a raw image (tap:aio:), which libvirt still
 * reads as raw; it is written back as raw, as libvirt does. */
static int parse_disk_driver(xlv_ctx *ctx, xlv__disk *disk,
                             const xlv__xml_node *driver)
{
    const char *s;
    int rc;

    disk->format = LIBXL_DISK_FORMAT_RAW;
    if (!driver)
        return 0;
    s = xlv__xml_attr(driver, "name");
    if (s) {
        if (strcmp(s, "qemu") && strcmp(s, "phy") && strcmp(s, "tap") &&
            strcmp(s, "file"))
            return xlv__error(ctx, XLV_ERR_INVAL, "<disk><driver "
                              "name='%.40s'>: must be qemu, phy, tap or "
                              "file", s);
        rc = xlv__strdup(ctx, &disk->driver, s);
        if (rc) return rc;
    }
    s = xlv__xml_attr(driver, "type");
    if (!s || !strcmp(s, "raw") || !strcmp(s, "aio"))
        disk->format = LIBXL_DISK_FORMAT_RAW;
    else if (!strcmp(s, "qcow2"))
        disk->format = LIBXL_DISK_FORMAT_QCOW2;
    else if (!strcmp(s, "qcow"))
        disk->format = LIBXL_DISK_FORMAT_QCOW;
    else if (!strcmp(s, "vhd"))
        disk->format = LIBXL_DISK_FORMAT_VHD;
    else
        return xlv__error(ctx, XLV_ERR_INVAL, "<disk><driver type='%.40s'>: "
                          "must be raw, qcow2, qcow or vhd", s);
    return 0;
}

/*
 * The attribute ATTR of NODE's child ELEM into *DST_R (NULL when it has
 * none), when the child is there: <source bridge=...> and the like, as
 * domain_format's add_attr_elem() writes them.
 */
static int read_attr_elem(xlv_ctx *ctx, char **dst_r,
                          const xlv__xml_node *node, const char *elem,
                          const char *attr)
{
    xlv__xml_node *c = xlv__xml_child(node, elem);

    if (!c)
        return 0;
    return xlv__strdup(ctx, dst_r, xlv__xml_attr(c, attr));
}

static int parse_disk(xlv_ctx *ctx, xlv__disk *disk, const xlv__xml_node *n,
                      unsigned int index)
{
    xlv__xml_node *c;
    const char *type = xlv__xml_attr(n, "type");
    const char *device = xlv__xml_attr(n, "device");
    const char *s;
    int rc;

    if (!type || !strcmp(type, "file"))
        disk->source_type = XLV__DISK_FILE;
    else if (!strcmp(type, "block"))
        disk->source_type = XLV__DISK_BLOCK;
    else
        return xlv__error(ctx, XLV_ERR_UNSUPPORTED, "<disk type='%.40s'>: "
                          "only 'file' and 'block' disks are supported",
                          type);
    if (device && strcmp(device, "disk") && strcmp(device, "cdrom"))
        return xlv__error(ctx, XLV_ERR_UNSUPPORTED, "<disk device='%.40s'>: "
                          "only 'disk' and 'cdrom' are supported", device);
    disk->cdrom = device && !strcmp(device, "cdrom");
    rc = parse_disk_driver(ctx, disk, xlv__xml_child(n, "driver"));
    if (rc) return rc;
    rc = read_attr_elem(ctx, &disk->source, n, "source",
                        disk->source_type == XLV__DISK_BLOCK ? "dev"
                                                             : "file");
    if (rc) return rc;
    if (!disk->source && !disk->cdrom)
        return xlv__error(ctx, XLV_ERR_INVAL, "<disk> number %u has no "
                          "<source %s=>", index + 1,
                          disk->source_type == XLV__DISK_BLOCK ? "dev"
                                                               : "file");
    c = xlv__xml_child(n, "target");
    s = c ? xlv__xml_attr(c, "dev") : NULL;
    if (!s || !*s)
        return xlv__error(ctx, XLV_ERR_INVAL, "<disk> number %u has no "
                          "<target dev=>", index + 1);
    rc = xlv__strdup(ctx, &disk->target, s);
    if (rc) return rc;
    disk->readonly = xlv__xml_child(n, "readonly") != NULL || disk->cdrom;
    return 0;
}

static int parse_nic(xlv_ctx *ctx, xlv__nic *nic, const xlv__xml_node *n)
{
    const char *type = xlv__xml_attr(n, "type");
    xlv__xml_node *c;
    const char *s;
    int rc;

    if (type && !strcmp(type, "bridge"))
        nic->type = XLV__NIC_BRIDGE;
    else if (type && !strcmp(type, "ethernet"))
        nic->type = XLV__NIC_ETHERNET;
    else
        return xlv__error(ctx, XLV_ERR_UNSUPPORTED, "<interface "
                          "type='%.40s'>: only 'bridge' and 'ethernet' are "
                          "supported", type ? type : "");
    c = xlv__xml_child(n, "mac");
    if (c) {
        s = xlv__xml_attr(c, "address");
        if (!s || !xlv__valid_mac(s))
            return xlv__error(ctx, XLV_ERR_INVAL, "<mac address='%.40s'>: "
                              "not a mac address", s ? s : "");
        rc = xlv__strdup(ctx, &nic->mac, s);
        if (rc) return rc;
    }
    rc = read_attr_elem(ctx, &nic->bridge, n, "source", "bridge");
    if (rc) return rc;
    if (nic->type == XLV__NIC_BRIDGE && !nic->bridge)
        return xlv__error(ctx, XLV_ERR_INVAL, "<interface type='bridge'> has "
                          "no <source bridge=>");
    rc = read_attr_elem(ctx, &nic->script, n, "script", "path");
    if (rc) return rc;
    rc = read_attr_elem(ctx, &nic->model, n, "model", "type");
    if (rc) return rc;
    rc = read_attr_elem(ctx, &nic->ifname, n, "target", "dev");
    if (rc) return rc;
    return read_attr_elem(ctx, &nic->ip, n, "ip", "address");
}

static int parse_devices(xlv_ctx *ctx, xlv_domain *dom,
                         const xlv__xml_node *root)
{
    xlv__xml_node *devs = xlv__xml_child(root, "devices"), *n;
    unsigned int i;
    int rc;

    if (!devs)
        return 0;
    dom->n_disks = xlv__xml_count(devs, "disk");
    dom->n_nics = xlv__xml_count(devs, "interface");
    dom->disks = calloc(dom->n_disks ? dom->n_disks : 1,
                        sizeof(*dom->disks));
    dom->nics = calloc(dom->n_nics ? dom->n_nics : 1, sizeof(*dom->nics));
    if (!dom->disks || !dom->nics)
        return xlv__nomem(ctx, "the device list");
    for (i = 0, n = xlv__xml_child(devs, "disk"); n;
         i++, n = xlv__xml_next(n, "disk")) {
        rc = parse_disk(ctx, &dom->disks[i], n, i);
        if (rc) return rc;
    }
    for (i = 0, n = xlv__xml_child(devs, "interface"); n;
         i++, n = xlv__xml_next(n, "interface")) {
        rc = parse_nic(ctx, &dom->nics[i], n);
        if (rc) return rc;
    }
    return 0;
}

/* ---- the domain ---- */

/*
 * <uuid>: the 8-4-4-4-12 form or the same 32 hex digits without dashes
 * (libvirt reads both, and its Xen driver's documents use the second),
 * with white space around it, which libvirt allows too.
 */
static int parse_uuid(libxl_uuid *uuid, const char *s)
{
    static const char blank[] = " \t\r\n";
    char canon[37];
    size_t len;

    s += strspn(s, blank);
    len = strlen(s);
    while (len && strchr(blank, s[len - 1]))
        len--;
    if (len == 32 && strspn(s, "0123456789abcdefABCDEF") >= 32)
        snprintf(canon, sizeof(canon), "%.8s-%.4s-%.4s-%.4s-%.12s", s,
                 s + 8, s + 12, s + 16, s + 20);
    else if (len == 36)
        snprintf(canon, sizeof(canon), "%.36s", s);
    else
        return -1;
    return libxl_uuid_from_string(uuid, canon) ? -1 : 0;
}

static int parse_identity(xlv_ctx *ctx, xlv_domain *dom,
                          const xlv__xml_node *root)
{
    xlv__xml_node *n;
    const char *s;
    int rc;

    if (strcmp(xlv__xml_name(root), "domain"))
        return xlv__error(ctx, XLV_ERR_XML, "root element <%.40s>: must be "
                          "<domain>", xlv__xml_name(root));
    s = xlv__xml_attr(root, "type");
    if (!s || strcmp(s, "xen"))
        return xlv__error(ctx, XLV_ERR_UNSUPPORTED, "<domain type='%.40s'>: "
                          "only 'xen' domains are supported", s ? s : "");
    n = xlv__xml_child(root, "name");
    if (!n)
        return xlv__error(ctx, XLV_ERR_INVAL, "<name> is missing");
    rc = xlv__strdup(ctx, &dom->name, xlv__xml_text(n));
    if (rc) return rc;
    n = xlv__xml_child(root, "uuid");
    if (n) {
        s = xlv__xml_text(n);
        if (parse_uuid(&dom->uuid, s))
            return xlv__error(ctx, XLV_ERR_INVAL, "<uuid>%.80s</uuid>: not a "
                              "uuid", s);
        dom->has_uuid = true;
    }
    return 0;
}

static int parse_memory(xlv_ctx *ctx, xlv_domain *dom,
                        const xlv__xml_node *root)
{
    xlv__xml_node *n;
    unsigned int i;
    int rc;

    n = xlv__xml_child(root, "memory");
    if (n) {
        rc = read_memory(ctx, &dom->max_memory_kib, xlv__xml_text(n),
                         xlv__xml_attr(n, "unit"), "memory");
        if (rc) return rc;
    }
    /* As libvirt: with NUMA cells the total is the sum of the cells. */
    if (dom->n_vnodes) {
        dom->max_memory_kib = 0;
        for (i = 0; i < dom->n_vnodes; i++)
            dom->max_memory_kib += dom->vnodes[i].memory_kib;
    }
    dom->memory_kib = dom->max_memory_kib;
    n = xlv__xml_child(root, "currentMemory");
    if (n) {
        rc = read_memory(ctx, &dom->memory_kib, xlv__xml_text(n),
                         xlv__xml_attr(n, "unit"), "currentMemory");
        if (rc) return rc;
        if (!dom->memory_kib)
            return xlv__error(ctx, XLV_ERR_INVAL, "<currentMemory> must not "
                              "be zero");
        if (dom->n_vnodes && dom->memory_kib > dom->max_memory_kib)
            dom->memory_kib = dom->max_memory_kib;
    }
    return 0;
}

int xlv__domain_parse(xlv_ctx *ctx, xlv_domain *dom)
{
    xlv__xml_node *root = xlv__xml_root(dom->doc), *features;
    int rc;

    rc = parse_identity(ctx, dom, root);
    if (rc) return rc;
    rc = parse_os(ctx, dom, root);
    if (rc) return rc;
    rc = parse_vcpu(ctx, dom, root);
    if (rc) return rc;
    rc = parse_vcpus(ctx, dom, root);
    if (rc) return rc;
    rc = parse_cputune(ctx, dom, root);
    if (rc) return rc;
    rc = parse_soft(ctx, dom, root);
    if (rc) return rc;
    rc = parse_cpu(ctx, dom, root);
    if (rc) return rc;
    rc = parse_memory(ctx, dom, root);
    if (rc) return rc;
    if (dom->type == XLV_DOMAIN_TYPE_HVM) {
        features = xlv__xml_child(root, "features");
        rc = parse_feature(ctx, &dom->acpi, features, "acpi");
        if (rc) return rc;
        rc = parse_feature(ctx, &dom->apic, features, "apic");
        if (rc) return rc;
        rc = parse_feature(ctx, &dom->pae, features, "pae");
        if (rc) return rc;
    }
    rc = parse_action(ctx, &dom->on_poweroff, &dom->has_on_poweroff, root,
                      "on_poweroff");
    if (rc) return rc;
    rc = parse_action(ctx, &dom->on_reboot, &dom->has_on_reboot, root,
                      "on_reboot");
    if (rc) return rc;
    rc = parse_action(ctx, &dom->on_crash, &dom->has_on_crash, root,
                      "on_crash");
    if (rc) return rc;
    rc = parse_devices(ctx, dom, root);
    if (rc) return rc;
    return xlv__domain_check(ctx, dom);
}
