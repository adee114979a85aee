/*
 * xl.cfg's devices → the model's: the vif= specs, read as xl reads them,
 * and the disk= specs, read by libxlutil's own disk spec parser.  See
 * xlcfg_read.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xlcfg_read.h"

/*
 * One vif spec: comma-separated KEY=VALUE, blanks before a key skipped,
 * later keys win, unknown keys (and type=, the backend kind) ignored, as
 * xl does.  A bridge makes it a bridge interface, else ethernet.
 */
static int read_nic(xlv__xlcfg_reader *rd, xlv__nic *nic, const char *spec,
                    int index)
{
    char *copy = NULL, *tok, *save = NULL, *eq;
    char **dst;
    int rc;

    copy = strdup(spec);
    if (!copy) {
        rc = xlv__xlcfg_pass_on(rd, xlv__nomem(rd->ctx, "a vif spec"));
        goto out;
    }
    for (tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        tok += strspn(tok, " ");
        eq = strchr(tok, '=');
        if (!eq)
            continue;
        *eq = '\0';
        if (!strcmp(tok, "mac"))
            dst = &nic->mac;
        else if (!strcmp(tok, "bridge"))
            dst = &nic->bridge;
        else if (!strcmp(tok, "script"))
            dst = &nic->script;
        else if (!strcmp(tok, "model"))
            dst = &nic->model;
        else if (!strcmp(tok, "vifname"))
            dst = &nic->ifname;
        else if (!strcmp(tok, "ip"))
            dst = &nic->ip;
        else
            continue;
        free(*dst);
        *dst = NULL;
        if (eq[1]) {
            rc = xlv__strdup(rd->ctx, dst, eq + 1);
            if (rc) {
                rc = xlv__xlcfg_pass_on(rd, rc);
                goto out;
            }
        }
    }
    if (nic->mac && !xlv__valid_mac(nic->mac)) {
        rc = xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vif' entry %d "
                             "mac '%.*s%s': not a mac address like "
                             "00:16:3e:00:00:01", index,
                             XLV__XLCFG_VALUE_CLIP, nic->mac,
                             xlv__xlcfg_clipped(nic->mac));
        goto out;
    }
    nic->type = nic->bridge ? XLV__NIC_BRIDGE : XLV__NIC_ETHERNET;
    rc = 0;
 out:
    free(copy);
    return rc;
}

static int read_nics(xlv__xlcfg_reader *rd, xlv_domain *dom)
{
    XLU_ConfigList *list;
    const char *spec;
    int e, n, i, rc;

    e = xlu_cfg_get_list(rd->cfg, "vif", &list, &n, 1);
    if (e == ESRCH || (!e && !n))
        return 0;
    if (e)
        return xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vif': must be "
                               "a list");
    dom->nics = calloc((size_t)n, sizeof(*dom->nics));
    if (!dom->nics)
        return xlv__xlcfg_pass_on(rd, xlv__nomem(rd->ctx, "the interfaces"));
    dom->n_nics = (unsigned int)n;
    for (i = 0; i < n; i++) {
        spec = xlu_cfg_get_listitem(list, i);
        if (!spec)
            return xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vif' "
                                   "entry %d: must be a string", i);
        rc = xlv__xlcfg_check_text(rd, "vif", i, spec);
        if (rc) return rc;
        rc = read_nic(rd, &dom->nics[i], spec, i);
        if (rc) return rc;
    }
    return 0;
}

static int fill_disk(xlv__xlcfg_reader *rd, xlv__disk *disk,
                     const libxl_device_disk *d, const char *spec)
{
    const char *driver;
    int rc;

    switch (d->format) {
    case LIBXL_DISK_FORMAT_RAW:
    case LIBXL_DISK_FORMAT_EMPTY:       /* an empty cdrom */
        disk->format = LIBXL_DISK_FORMAT_RAW;
        break;
    case LIBXL_DISK_FORMAT_QCOW:
    case LIBXL_DISK_FORMAT_QCOW2:
    case LIBXL_DISK_FORMAT_VHD:
        disk->format = d->format;
        break;
    default:
        return xlv__xlcfg_bad_value(rd, XLV_ERR_UNSUPPORTED, "disk", spec,
                                    "format '%s' is not supported",
                                    libxl_disk_format_to_string(d->format));
    }
    switch (d->backend) {
    case LIBXL_DISK_BACKEND_QDISK: driver = "qemu"; break;
    case LIBXL_DISK_BACKEND_PHY: driver = "phy"; break;
    case LIBXL_DISK_BACKEND_TAP: driver = "tap"; break;
    default: driver = NULL; break;      /* libxl picks */
    }
    /* libxlutil takes "vdev=" as an empty device name. */
    if (!d->vdev || !*d->vdev)
        return xlv__xlcfg_bad_value(rd, XLV_ERR_INVAL, "disk", spec,
                                    "no target device (vdev)");
    /* "target=" is empty, not absent, to libxlutil: only a cdrom may be. */
    if (!d->is_cdrom && (!d->pdev_path || !*d->pdev_path))
        return xlv__xlcfg_bad_value(rd, XLV_ERR_INVAL, "disk", spec,
                                    "no source (target) for a disk that is "
                                    "not a cdrom");
    rc = xlv__strdup(rd->ctx, &disk->driver, driver);
    if (rc) return xlv__xlcfg_pass_on(rd, rc);
    rc = xlv__strdup(rd->ctx, &disk->target, d->vdev);
    if (rc) return xlv__xlcfg_pass_on(rd, rc);
    if (d->pdev_path && *d->pdev_path) {
        rc = xlv__strdup(rd->ctx, &disk->source, d->pdev_path);
        if (rc) return xlv__xlcfg_pass_on(rd, rc);
    }
    disk->cdrom = d->is_cdrom;
    disk->readonly = !d->readwrite;
    disk->source_type = d->backend == LIBXL_DISK_BACKEND_PHY ||
                        (disk->source && !strncmp(disk->source, "/dev/", 5))
                        ? XLV__DISK_BLOCK : XLV__DISK_FILE;
    return 0;
}

/* disk = [ "spec", ... ], each spec read by libxlutil's xlu_disk_parse. */
static int read_disks(xlv__xlcfg_reader *rd, xlv_domain *dom)
{
    XLU_ConfigList *list;
    libxl_device_disk d;
    const char *spec;
    int e, n, i, rc;

    libxl_device_disk_init(&d);

    e = xlu_cfg_get_list(rd->cfg, "disk", &list, &n, 1);
    if (e == ESRCH || (!e && !n)) {
        rc = 0;
        goto out;
    }
    if (e) {
        rc = xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key 'disk': must be "
                             "a list");
        goto out;
    }
    dom->disks = calloc((size_t)n, sizeof(*dom->disks));
    if (!dom->disks) {
        rc = xlv__xlcfg_pass_on(rd, xlv__nomem(rd->ctx, "the disks"));
        goto out;
    }
    dom->n_disks = (unsigned int)n;
    for (i = 0; i < n; i++) {
        spec = xlu_cfg_get_listitem(list, i);
        if (!spec) {
            rc = xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key 'disk' "
                                 "entry %d: must be a string", i);
            goto out;
        }
        /* Before libxlutil sees it: see xlv__xlcfg_check_text(). */
        rc = xlv__xlcfg_check_text(rd, "disk", i, spec);
        if (rc) goto out;
        libxl_device_disk_dispose(&d);
        libxl_device_disk_init(&d);
        xlv__xlcfg_report_skip(rd);
        e = xlu_disk_parse(rd->cfg, 1, &spec, &d);
        if (e) {
            rc = xlv__xlcfg_report_error(rd, e == ENOMEM ? XLV_ERR_NOMEM
                                                         : XLV_ERR_INVAL,
                                         "cannot parse disk spec", e);
            goto out;
        }
        rc = fill_disk(rd, &dom->disks[i], &d, spec);
        if (rc) goto out;
    }
    rc = 0;
 out:
    libxl_device_disk_dispose(&d);
    return rc;
}

int xlv__xlcfg_read_devices(xlv__xlcfg_reader *rd, xlv_domain *dom)
{
    int rc;

    rc = read_nics(rd, dom);
    if (rc) return rc;
    return read_disks(rd, dom);
}
