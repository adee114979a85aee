/*
 * Model → xl.cfg text (xl.cfg(5)), in the key order libvirt's xen-xl
 * writer uses, so that the two outputs compare line by line.  What xl
 * cannot express natively (a sparse online map) is written in a key xl
 * ignores and says so in a comment.
 */
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "domain.h"

/* Values quoted in messages are cut to this many characters. */
#define VALUE_CLIP 80

static int refuse(xlv_ctx *ctx, const char *what, const char *value,
                  const char *why)
{
    return xlv__error(ctx, XLV_ERR_INVAL, "xl.cfg cannot hold %s value "
                      "'%.*s%s'%s", what, VALUE_CLIP, value,
                      strlen(value) > VALUE_CLIP ? "..." : "", why);
}

/*
 * Whether VALUE holds a character that no quoting carries safely:
 * libxlutil reads \ escapes inside either quote mark, libvirt's reader
 * of the same files (virconf) reads none, so a backslash would be read
 * two ways; a line break or another control character would end or
 * break the line.  WHAT names the value in the message, e.g. "<kernel>".
 */
static int check_chars(xlv_ctx *ctx, const char *what, const char *value)
{
    const unsigned char *p;

    for (p = (const unsigned char *)value; *p; p++) {
        if (*p == '\\' || *p == 0x7f || (*p < 0x20 && *p != '\t'))
            return refuse(ctx, what, value, "");
    }
    return 0;
}

/* Whether VALUE can go between the double quotes of a list item. */
static int check_string(xlv_ctx *ctx, const char *what, const char *value)
{
    int rc;

    rc = check_chars(ctx, what, value);
    if (rc) return rc;
    if (strchr(value, '"'))
        return refuse(ctx, what, value, "");
    return 0;
}

/*
 * As check_string(), for a value inside a comma-separated device spec
 * (vif=, disk=), where a comma would end the value.
 */
static int check_spec_value(xlv_ctx *ctx, const char *what,
                            const char *value)
{
    int rc;

    rc = check_string(ctx, what, value);
    if (rc) return rc;
    if (strchr(value, ','))
        return refuse(ctx, what, value, ": a comma would split the spec");
    return 0;
}

/*
 * key = "VALUE", when VALUE is set; key = 'VALUE' when VALUE holds a
 * double quote (a kernel command line's root="..."), as libvirt's writer
 * chooses: both xl and libvirt read a single-quoted string.  A value with
 * both quote marks has no spelling both read the same, and is refused.
 */
static int put_string(xlv_ctx *ctx, xlv__strbuf *sb, const char *key,
                      const char *what, const char *value)
{
    char quote = '"';
    int rc;

    if (!value)
        return 0;
    rc = check_chars(ctx, what, value);
    if (rc) return rc;
    if (strchr(value, '"'))
        quote = '\'';
    if (quote == '\'' && strchr(value, '\''))
        return refuse(ctx, what, value, ": it holds both quote marks");
    xlv__strbuf_printf(sb, "%s = %c%s%c\n", key, quote, value, quote);
    return 0;
}

/* xl counts memory in MiB; round up as libvirt does (VIR_DIV_UP). */
static unsigned long long kib_to_mib(uint64_t kib)
{
    return (unsigned long long)(kib / 1024 + (kib % 1024 ? 1 : 0));
}

static int write_identity(xlv_ctx *ctx, xlv__strbuf *sb,
                          const xlv_domain *dom)
{
    uint64_t max_kib, cur_kib;
    const char *type = xlv__domain_type_name(dom->type);
    int rc;

    if (!dom->name)
        return xlv__error(ctx, XLV_ERR_INVAL, "to_xlcfg: the domain has "
                          "no name");
    rc = put_string(ctx, sb, "name", "<name>", dom->name);
    if (rc) return rc;
    if (dom->has_uuid)
        xlv__strbuf_printf(sb, "uuid = \"" LIBXL_UUID_FMT "\"\n",
                           LIBXL_UUID_BYTES(dom->uuid));
    xlv__strbuf_printf(sb, "type = \"%s\"\n", type);

    max_kib = dom->max_memory_kib ? dom->max_memory_kib : dom->memory_kib;
    cur_kib = dom->memory_kib ? dom->memory_kib : max_kib;
    if (!max_kib)
        return xlv__error(ctx, XLV_ERR_INVAL, "to_xlcfg: domain '%s' has "
                          "no memory size", dom->name);
    xlv__strbuf_printf(sb, "maxmem = %llu\n", kib_to_mib(max_kib));
    xlv__strbuf_printf(sb, "memory = %llu\n", kib_to_mib(cur_kib));
    return 0;
}

static int write_counts(xlv_ctx *ctx, xlv__strbuf *sb, const xlv_domain *dom)
{
    unsigned int online = xlv__bitmap_count(&dom->online);
    char *avail = NULL;
    int rc;

    if (!dom->max_vcpus || !online)
        return xlv__error(ctx, XLV_ERR_INVAL, "to_xlcfg: domain '%s' has "
                          "no vcpu online", dom->name);
    if (online != dom->max_vcpus)
        xlv__strbuf_printf(sb, "maxvcpus = %u\n", dom->max_vcpus);
    xlv__strbuf_printf(sb, "vcpus = %u\n", online);
    if (xlv__bitmap_is_first_n(&dom->online, online)) {
        rc = 0;
        goto out;
    }

    /* A sparse online map.  xl has no key for it: write the xm key that
     * xlvcpu reads back, and warn whoever feeds the file to xl. */
    avail = xlv__cpuset_format(&dom->online);
    if (!avail) {
        rc = xlv__nomem(ctx, "the online map");
        goto out;
    }
    if (online == 1)
        xlv__strbuf_puts(sb, "# xl itself boots vCPU 0 only; only xlvcpu "
                         "honours vcpu_avail\n");
    else
        xlv__strbuf_printf(sb, "# xl itself boots vCPUs 0-%u; only xlvcpu "
                           "honours vcpu_avail\n", online - 1);
    xlv__strbuf_printf(sb, "vcpu_avail = \"%s\"\n", avail);
    rc = 0;
 out:
    free(avail);
    return rc;
}

/*
 * vCPU I's affinity in xl's syntax into *TEXT_R (NULL: none; the caller
 * frees it): its pin in PINS, else the default, NODES as written when it
 * names NUMA nodes, else DFLT.
 */
static int affinity_text(xlv_ctx *ctx, const char *key,
                         const libxl_bitmap *pins, const libxl_bitmap *dflt,
                         const char *nodes, unsigned int i, char **text_r)
{
    const libxl_bitmap *bm = pins[i].size ? &pins[i] : dflt;
    const char *copy = NULL;

    *text_r = NULL;
    if (!pins[i].size && nodes)
        copy = nodes;
    else if (!bm->size)
        return 0;
    else if (libxl_bitmap_is_empty(bm))
        return xlv__error(ctx, XLV_ERR_INVAL, "to_xlcfg: vcpu '%u' has an "
                          "empty %s affinity", i,
                          !strcmp(key, "cpus") ? "hard" : "soft");
    *text_r = copy ? strdup(copy) : xlv__cpuset_format(bm);
    return *text_r ? 0 : xlv__nomem(ctx, "a cpuset");
}

/*
 * cpus= / cpus_soft=: nothing when no vCPU has an affinity; xl's string
 * form when every vCPU has the same one; else xl's list form, one entry
 * per vCPU up to the last one with an affinity, "all" for the others
 * (xl leaves vCPUs past the end of the list unpinned).  A default that
 * names NUMA nodes is written as it was read.
 */
static int write_affinity(xlv_ctx *ctx, xlv__strbuf *sb,
                          const xlv_domain *dom, const char *key,
                          const libxl_bitmap *pins, const libxl_bitmap *dflt,
                          const char *nodes)
{
    unsigned int n = dom->max_vcpus, i, last = 0;
    char **texts = calloc(n ? n : 1, sizeof(*texts));
    bool any = false, same = true;
    int rc = 0;

    if (!texts)
        return xlv__nomem(ctx, "the affinities");
    for (i = 0; i < n && !rc; i++) {
        rc = affinity_text(ctx, key, pins, dflt, nodes, i, &texts[i]);
        if (rc || !texts[i])
            continue;
        any = true;
        last = i;
    }
    for (i = 1; i < n && !rc; i++) {
        if (!texts[i] != !texts[0] ||
            (texts[i] && strcmp(texts[i], texts[0])))
            same = false;
    }
    if (rc || !any)
        goto out;
    if (same) {
        xlv__strbuf_printf(sb, "%s = \"%s\"\n", key, texts[0]);
        goto out;
    }
    xlv__strbuf_printf(sb, "%s = [ ", key);
    for (i = 0; i <= last; i++)
        xlv__strbuf_printf(sb, "%s\"%s\"", i ? ", " : "",
                           texts[i] ? texts[i] : "all");
    xlv__strbuf_puts(sb, " ]\n");
 out:
    for (i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
    return rc;
}

/*
 * vnuma = [ [ "pnode=0", "size=2048", "vcpus=0-1", "vdistances=10,20" ],
 * ... ].  pnode is the cell's index, as libvirt writes it: the model
 * does not tie cells to host nodes.
 */
static int write_vnuma(xlv_ctx *ctx, xlv__strbuf *sb, const xlv_domain *dom)
{
    unsigned int i, j;
    char *vcpus = NULL;
    int rc;

    if (!dom->n_vnodes) {
        rc = 0;
        goto out;
    }
    xlv__strbuf_puts(sb, "vnuma = [ ");
    for (i = 0; i < dom->n_vnodes; i++) {
        const xlv__vnode *vn = &dom->vnodes[i];

        /* xl wants whole MiB and checks that the cells add up to maxmem:
         * rounding a cell would break that. */
        if (vn->memory_kib % 1024) {
            rc = xlv__error(ctx, XLV_ERR_INVAL, "xl.cfg cannot hold numa "
                            "cell '%u' memory '%llu' KiB: not a whole "
                            "number of MiB", i,
                            (unsigned long long)vn->memory_kib);
            goto out;
        }
        vcpus = xlv__cpuset_format(&vn->vcpus);
        if (!vcpus) {
            rc = xlv__nomem(ctx, "a cpuset");
            goto out;
        }
        xlv__strbuf_printf(sb, "%s[ \"pnode=%u\", \"size=%llu\", "
                           "\"vcpus=%s\", \"vdistances=", i ? ", " : "", i,
                           (unsigned long long)(vn->memory_kib / 1024),
                           vcpus);
        for (j = 0; j < dom->n_vnodes; j++)
            xlv__strbuf_printf(sb, "%s%u", j ? "," : "",
                               xlv__domain_vnode_distance(dom, i, j));
        xlv__strbuf_puts(sb, "\" ]");
        free(vcpus);
        vcpus = NULL;
    }
    xlv__strbuf_puts(sb, " ]\n");
    rc = 0;
 out:
    free(vcpus);
    return rc;
}

static const char *feature_value(xlv__feature f)
{
    return f == XLV__FEATURE_ON ? "1" : "0";
}

/*
 * The hvmloader a distribution installs (/usr/lib/xen/boot/hvmloader,
 * /usr/lib/xen-4.17/boot/hvmloader, /usr/libexec/xen/boot/hvmloader) is
 * what xl uses anyway; libvirt does not write it either.
 */
static bool is_default_hvmloader(const char *path)
{
    static const char tail[] = "/boot/hvmloader";
    size_t len = strlen(path);

    return !strncmp(path, "/usr/", 5) && len >= sizeof(tail) - 1 &&
           !strcmp(path + len - (sizeof(tail) - 1), tail);
}

/* bootloader_args = [ "a", "b" ]: xl's list form of the blank-separated
 * arguments the model keeps as one string. */
static int write_bootloader_args(xlv_ctx *ctx, xlv__strbuf *sb,
                                 const char *args)
{
    const char *p = args, *end;
    const char *sep = "";
    int rc;

    if (!args)
        return 0;
    rc = check_string(ctx, "<bootloader_args>", args);
    if (rc) return rc;
    p += strspn(p, " \t");
    if (!*p)
        return 0;
    xlv__strbuf_puts(sb, "bootloader_args = [ ");
    while (*p) {
        end = p + strcspn(p, " \t");
        xlv__strbuf_printf(sb, "%s\"%.*s\"", sep, (int)(end - p), p);
        sep = ", ";
        p = end + strspn(end, " \t");
    }
    xlv__strbuf_puts(sb, " ]\n");
    return 0;
}

static int write_boot(xlv_ctx *ctx, xlv__strbuf *sb, const xlv_domain *dom)
{
    bool hvm = dom->type == XLV_DOMAIN_TYPE_HVM;
    int rc;

    if (hvm) {
        if (dom->acpi != XLV__FEATURE_ABSENT)
            xlv__strbuf_printf(sb, "acpi = %s\n", feature_value(dom->acpi));
        if (dom->apic != XLV__FEATURE_ABSENT)
            xlv__strbuf_printf(sb, "apic = %s\n", feature_value(dom->apic));
        if (dom->pae != XLV__FEATURE_ABSENT)
            xlv__strbuf_printf(sb, "pae = %s\n", feature_value(dom->pae));
        rc = put_string(ctx, sb, "boot", "<boot>", dom->boot_order);
        if (rc) return rc;
        if (dom->loader && !is_default_hvmloader(dom->loader)) {
            rc = put_string(ctx, sb, "firmware_override", "<loader>",
                            dom->loader);
            if (rc) return rc;
        }
    }
    rc = put_string(ctx, sb, "kernel", "<kernel>", dom->kernel);
    if (rc) return rc;
    rc = put_string(ctx, sb, "ramdisk", "<initrd>", dom->initrd);
    if (rc) return rc;
    rc = put_string(ctx, sb, "cmdline", "<cmdline>", dom->cmdline);
    if (rc) return rc;
    rc = put_string(ctx, sb, "bootloader", "<bootloader>", dom->bootloader);
    if (rc) return rc;
    return write_bootloader_args(ctx, sb, dom->bootloader_args);
}

static int put_action(xlv_ctx *ctx, xlv__strbuf *sb, const char *key,
                      bool has, libxl_action_on_shutdown action)
{
    if (!has)
        return 0;
    if (!xlv__action_name(action))
        return xlv__error(ctx, XLV_ERR_INVAL, "to_xlcfg: %s action '%d' "
                          "is unknown", key, (int)action);
    xlv__strbuf_printf(sb, "%s = \"%s\"\n", key, xlv__action_name(action));
    return 0;
}

/* ",KEY=VALUE" (or "KEY=VALUE" first) when VALUE is set. */
static int put_spec(xlv_ctx *ctx, xlv__strbuf *sb, const char **sep,
                    const char *key, const char *what, const char *value)
{
    int rc;

    if (!value)
        return 0;
    rc = check_spec_value(ctx, what, value);
    if (rc) return rc;
    xlv__strbuf_printf(sb, "%s%s=%s", *sep, key, value);
    *sep = ",";
    return 0;
}

/* vif = [ "mac=..,bridge=..,script=..,model=..,vifname=..,ip=.." ] */
static int write_nics(xlv_ctx *ctx, xlv__strbuf *sb, const xlv_domain *dom)
{
    unsigned int i;
    int rc;

    if (!dom->n_nics)
        return 0;
    xlv__strbuf_puts(sb, "vif = [ ");
    for (i = 0; i < dom->n_nics; i++) {
        const xlv__nic *nic = &dom->nics[i];
        const char *sep = "";

        xlv__strbuf_puts(sb, i ? ", \"" : "\"");
        /* An ethernet interface has no bridge: xl's default script then
         * decides what to do with the backend device. */
        rc = put_spec(ctx, sb, &sep, "mac", "<mac address=>", nic->mac);
        if (rc) return rc;
        if (nic->type == XLV__NIC_BRIDGE) {
            rc = put_spec(ctx, sb, &sep, "bridge", "<source bridge=>",
                          nic->bridge);
            if (rc) return rc;
        }
        rc = put_spec(ctx, sb, &sep, "script", "<script path=>", nic->script);
        if (rc) return rc;
        rc = put_spec(ctx, sb, &sep, "model", "<model type=>", nic->model);
        if (rc) return rc;
        rc = put_spec(ctx, sb, &sep, "vifname", "<target dev=>", nic->ifname);
        if (rc) return rc;
        rc = put_spec(ctx, sb, &sep, "ip", "<ip address=>", nic->ip);
        if (rc) return rc;
        xlv__strbuf_puts(sb, "\"");
    }
    xlv__strbuf_puts(sb, " ]\n");
    return 0;
}

static const char *disk_format_name(libxl_disk_format format)
{
    switch (format) {
    case LIBXL_DISK_FORMAT_UNKNOWN:     /* not given: raw, as xl takes it */
    case LIBXL_DISK_FORMAT_EMPTY:       /* an empty cdrom: xl's own mark */
    case LIBXL_DISK_FORMAT_RAW: return "raw";
    case LIBXL_DISK_FORMAT_QCOW: return "qcow";
    case LIBXL_DISK_FORMAT_QCOW2: return "qcow2";
    case LIBXL_DISK_FORMAT_VHD: return "vhd";
    case LIBXL_DISK_FORMAT_QED: return "qed";
    default: return NULL;
    }
}

/* libvirt's <driver name=> as xl's backendtype=; NULL lets libxl pick. */
static int disk_backend(xlv_ctx *ctx, const char **backend_r,
                        const char *driver)
{
    if (!driver)
        *backend_r = NULL;
    else if (!strcmp(driver, "qemu") || !strcmp(driver, "file"))
        *backend_r = "qdisk";
    else if (!strcmp(driver, "phy"))
        *backend_r = "phy";
    else if (!strcmp(driver, "tap"))
        *backend_r = "tap";
    else
        return refuse(ctx, "<driver name=>", driver,
                      ": must be qemu, file, phy or tap");
    return 0;
}

/*
 * disk = [ "format=raw,vdev=xvda,access=rw,backendtype=qdisk,target=/p" ]
 * The target comes last: xl's disk syntax gives it the rest of the spec,
 * commas included (xl-disk-configuration(5)).
 */
static int write_disks(xlv_ctx *ctx, xlv__strbuf *sb, const xlv_domain *dom)
{
    unsigned int i;
    int rc;

    if (!dom->n_disks)
        return 0;
    xlv__strbuf_puts(sb, "disk = [ ");
    for (i = 0; i < dom->n_disks; i++) {
        const xlv__disk *disk = &dom->disks[i];
        const char *format = disk_format_name(disk->format);
        const char *backend = NULL;
        size_t len;

        if (!format)
            return xlv__error(ctx, XLV_ERR_INVAL, "xl.cfg cannot hold disk "
                              "'%s' format '%d'", disk->target ? disk->target
                                                               : "",
                              (int)disk->format);
        if (!disk->target || !*disk->target)
            return xlv__error(ctx, XLV_ERR_INVAL, "to_xlcfg: disk number %u "
                              "has no target device", i + 1);
        rc = check_spec_value(ctx, "<disk><target dev=>", disk->target);
        if (rc) return rc;
        rc = disk_backend(ctx, &backend, disk->driver);
        if (rc) return rc;
        if (!disk->source && !disk->cdrom)
            return xlv__error(ctx, XLV_ERR_INVAL, "to_xlcfg: disk '%s' has "
                              "no source", disk->target);
        if (disk->source) {
            rc = check_string(ctx, "<disk><source>", disk->source);
            if (rc) return rc;
            /* xl drops one trailing comma of the target. */
            len = strlen(disk->source);
            if (len && disk->source[len - 1] == ',')
                return refuse(ctx, "<disk><source>", disk->source,
                              ": xl drops a trailing comma");
        }

        xlv__strbuf_printf(sb, "%s\"format=%s,vdev=%s,access=%s", i ? ", "
                                                                    : "",
                           format, disk->target,
                           disk->readonly || disk->cdrom ? "ro" : "rw");
        if (backend)
            xlv__strbuf_printf(sb, ",backendtype=%s", backend);
        if (disk->cdrom)
            xlv__strbuf_puts(sb, ",devtype=cdrom");
        xlv__strbuf_printf(sb, ",target=%s\"",
                           disk->source ? disk->source : "");
    }
    xlv__strbuf_puts(sb, " ]\n");
    return 0;
}

int xlv_domain_to_xlcfg(xlv_ctx *ctx, char **cfg_r, const xlv_domain *dom,
                        unsigned int flags)
{
    xlv__strbuf sb = { NULL, 0, 0, false };
    int rc;

    rc = xlv__check_flags(ctx, "to_xlcfg", flags, 0);
    if (rc) goto out;

    rc = write_identity(ctx, &sb, dom);
    if (rc) goto out;
    rc = write_counts(ctx, &sb, dom);
    if (rc) goto out;
    rc = write_affinity(ctx, &sb, dom, "cpus", dom->hard, &dom->hard_default,
                        dom->hard_nodes);
    if (rc) goto out;
    rc = write_affinity(ctx, &sb, dom, "cpus_soft", dom->soft,
                        &dom->soft_default, dom->soft_nodes);
    if (rc) goto out;
    /* xl.cfg has no topology key for x86: keep <cpu><topology> in a key
     * xl ignores and xlvcpu reads back. */
    if (dom->sockets)
        xlv__strbuf_printf(&sb, "# only xlvcpu reads cpu_topology; xl "
                           "ignores it\ncpu_topology = \"sockets=%u,"
                           "dies=%u,cores=%u,threads=%u\"\n", dom->sockets,
                           dom->dies ? dom->dies : 1, dom->cores,
                           dom->threads);
    rc = write_vnuma(ctx, &sb, dom);
    if (rc) goto out;
    if (dom->weight)
        xlv__strbuf_printf(&sb, "cpu_weight = %u\n", dom->weight);
    rc = write_boot(ctx, &sb, dom);
    if (rc) goto out;
    rc = put_action(ctx, &sb, "on_poweroff", dom->has_on_poweroff,
                    dom->on_poweroff);
    if (rc) goto out;
    rc = put_action(ctx, &sb, "on_reboot", dom->has_on_reboot, dom->on_reboot);
    if (rc) goto out;
    rc = put_action(ctx, &sb, "on_crash", dom->has_on_crash, dom->on_crash);
    if (rc) goto out;
    rc = write_nics(ctx, &sb, dom);
    if (rc) goto out;
    rc = write_disks(ctx, &sb, dom);
    if (rc) goto out;

    rc = xlv__strbuf_take(ctx, &sb, cfg_r);
 out:
    xlv__strbuf_dispose(&sb);
    return rc;
}
