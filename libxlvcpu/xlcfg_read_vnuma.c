/*
 * xl.cfg's vnuma= list → the model's cells: each cell a list of
 * "KEY=VALUE" strings (pnode, size, vcpus, vdistances), read as xl reads
 * them, checked as libvirt checks them.  See xlcfg_read.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "xlcfg_read.h"

/* Split "KEY=VALUE" in place, both trimmed; false without '='. */
static bool split_pair(char *item, char **key_r, char **value_r)
{
    char *eq = strchr(item, '='), *end;

    if (!eq)
        return false;
    *eq = '\0';
    while (isspace((unsigned char)*item))
        item++;
    for (end = eq; end > item && isspace((unsigned char)end[-1]); end--)
        ;
    *end = '\0';
    eq++;
    while (isspace((unsigned char)*eq))
        eq++;
    for (end = eq + strlen(eq); end > eq && isspace((unsigned char)end[-1]);
         end--)
        ;
    *end = '\0';
    *key_r = item;
    *value_r = eq;
    return true;
}

static int read_distances(xlv__xlcfg_reader *rd, xlv__vnode *vn,
                          unsigned int cell, const char *value,
                          unsigned int n_cells)
{
    const char *p = value;
    uint32_t *d = NULL;
    unsigned int n = 0;
    int rc;

    d = calloc(n_cells, sizeof(*d));
    if (!d) {
        rc = xlv__xlcfg_pass_on(rd, xlv__nomem(rd->ctx, "numa distances"));
        goto out;
    }
    for (;;) {
        size_t len = strcspn(p, ",");
        char num[32];
        uint64_t v = 0;

        if (n == n_cells) {
            rc = xlv__xlcfg_fail(rd, XLV_ERR_CONFLICT, "xl.cfg key 'vnuma' "
                                 "cell %u vdistances '%.*s%s': more than %u "
                                 "distances", cell, XLV__XLCFG_VALUE_CLIP,
                                 value, xlv__xlcfg_clipped(value), n_cells);
            goto out;
        }
        if (len < sizeof(num)) {
            memcpy(num, p, len);
            num[len] = '\0';
        }
        if (len >= sizeof(num) || xlv__number_parse(num, 255, &v) ||
            v < 10) {
            rc = xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma' "
                                 "cell %u vdistances '%.*s%s': distance %u "
                                 "must be a number from 10 to 255", cell,
                                 XLV__XLCFG_VALUE_CLIP, value,
                                 xlv__xlcfg_clipped(value), n + 1);
            goto out;
        }
        d[n++] = (uint32_t)v;
        if (!p[len])
            break;
        p += len + 1;
    }
    if (n != n_cells) {
        rc = xlv__xlcfg_fail(rd, XLV_ERR_CONFLICT, "xl.cfg key 'vnuma' cell "
                             "%u vdistances '%.*s%s': %u distances for %u "
                             "cells", cell, XLV__XLCFG_VALUE_CLIP, value,
                             xlv__xlcfg_clipped(value), n, n_cells);
        goto out;
    }
    free(vn->distances);
    vn->distances = d;
    vn->n_distances = n_cells;
    d = NULL;
    rc = 0;
 out:
    free(d);
    return rc;
}

/* One "KEY=VALUE" of cell CELL; unknown keys are ignored, as xl does. */
static int read_vnode_item(xlv__xlcfg_reader *rd, xlv_domain *dom,
                           unsigned int cell, const char *item,
                           unsigned int limit, bool *has_size,
                           bool *has_vcpus)
{
    xlv__vnode *vn = &dom->vnodes[cell];
    char *copy = NULL, *key, *value;
    char what[96];
    uint64_t v;
    int rc;

    copy = strdup(item);
    if (!copy) {
        rc = xlv__xlcfg_pass_on(rd, xlv__nomem(rd->ctx, "a vnuma item"));
        goto out;
    }
    if (!split_pair(copy, &key, &value)) {
        rc = xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma' cell %u "
                             "item '%.*s%s': not KEY=VALUE", cell,
                             XLV__XLCFG_VALUE_CLIP, item,
                             xlv__xlcfg_clipped(item));
        goto out;
    }
    if (!strcmp(key, "pnode")) {
        /* A host node: the model does not keep it (libvirt writes the
         * cell index here), but it must be a number. */
        if (xlv__number_parse(value, UINT32_MAX, &v)) {
            rc = xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma' "
                                 "cell %u pnode '%.*s%s': not a number",
                                 cell, XLV__XLCFG_VALUE_CLIP, value,
                                 xlv__xlcfg_clipped(value));
            goto out;
        }
    } else if (!strcmp(key, "size")) {
        if (xlv__number_parse(value, XLV__XLCFG_MAX_MEMORY_MIB, &v) || !v) {
            rc = xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma' "
                                 "cell %u size '%.*s%s': must be a number "
                                 "of MiB from 1 to %ld", cell,
                                 XLV__XLCFG_VALUE_CLIP, value,
                                 xlv__xlcfg_clipped(value),
                                 XLV__XLCFG_MAX_MEMORY_MIB);
            goto out;
        }
        vn->memory_kib = v * 1024;
        *has_size = true;
    } else if (!strcmp(key, "vcpus")) {
        snprintf(what, sizeof(what), "xl.cfg key 'vnuma' cell %u vcpus "
                 "'%%s'", cell);
        rc = xlv__cpuset_parse(rd->ctx, &vn->vcpus, value, limit, what);
        if (rc) {
            rc = xlv__xlcfg_pass_on(rd, rc);
            goto out;
        }
        *has_vcpus = true;
    } else if (!strcmp(key, "vdistances")) {
        rc = read_distances(rd, vn, cell, value, dom->n_vnodes);
        if (rc) goto out;
    }
    rc = 0;
 out:
    free(copy);
    return rc;
}

/*
 * vnuma = [ [ "pnode=0", "size=512", "vcpus=0-1", "vdistances=10,20" ],
 * ... ].  size and vcpus are required; vdistances, when given, has one
 * entry per cell (xl does not check; libvirt does).
 */
int xlv__xlcfg_read_vnuma(xlv__xlcfg_reader *rd, xlv_domain *dom,
                          unsigned int limit)
{
    XLU_ConfigList *list, *cell;
    XLU_ConfigValue *v;
    int e, n, i, j;
    int rc;

    e = xlu_cfg_get_list(rd->cfg, "vnuma", &list, &n, 1);
    if (e == ESRCH || (!e && !n))
        return 0;
    if (e)
        return xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma': must "
                               "be a list of lists");
    if (n > XLV__MAX_VNODES)
        return xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma': %d "
                               "cells, at most %u are allowed", n,
                               XLV__MAX_VNODES);
    dom->vnodes = calloc((size_t)n, sizeof(*dom->vnodes));
    if (!dom->vnodes)
        return xlv__xlcfg_pass_on(rd, xlv__nomem(rd->ctx, "numa cells"));
    dom->n_vnodes = (unsigned int)n;

    for (i = 0; i < n; i++) {
        bool has_size = false, has_vcpus = false;

        v = xlu_cfg_get_listitem2(list, i);
        if (!v || xlu_cfg_value_type(v) != XLU_LIST ||
            xlu_cfg_value_get_list(rd->cfg, v, &cell, 1))
            return xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma' "
                                   "cell %d: must be a list of "
                                   "\"KEY=VALUE\" strings", i);
        for (j = 0; (v = xlu_cfg_get_listitem2(cell, j)); j++) {
            const char *item = xlu_cfg_get_listitem(cell, j);

            if (!item)
                return xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key "
                                       "'vnuma' cell %d item %d: must be a "
                                       "\"KEY=VALUE\" string", i, j + 1);
            rc = xlv__xlcfg_check_text(rd, "vnuma", i, item);
            if (rc) return rc;
            rc = read_vnode_item(rd, dom, (unsigned int)i, item, limit,
                                 &has_size, &has_vcpus);
            if (rc) return rc;
        }
        if (!has_size || !has_vcpus)
            return xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma' "
                                   "cell %d: '%s' is missing", i,
                                   has_size ? "vcpus" : "size");
    }
    return 0;
}
