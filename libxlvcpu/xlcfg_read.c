/*
 * xl.cfg text → model.  The text is read with libxlutil, the parser xl
 * itself uses, and the keys are interpreted as xl's parse_config_data()
 * does (see notes in the comments where we differ on purpose).  Every
 * value is checked as it is read; errors name the key and the value.
 * The vnuma= cells and the devices are read in files of their own (see
 * xlcfg_read.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "xlcfg_read.h"

/* ---- messages ---- */

const char *xlv__xlcfg_clipped(const char *value)
{
    return strlen(value) > XLV__XLCFG_VALUE_CLIP ? "..." : "";
}

static int vfail(xlv__xlcfg_reader *rd, int rc, const char *fmt, va_list ap)
{
    char msg[XLV_ERRMSG_MAX];

    vsnprintf(msg, sizeof(msg), fmt, ap);
    if (rd->name)
        return xlv__error(rd->ctx, rc, "%s: %s", rd->name, msg);
    return xlv__error(rd->ctx, rc, "%s", msg);
}

int xlv__xlcfg_fail(xlv__xlcfg_reader *rd, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfail(rd, rc, fmt, ap);
    va_end(ap);
    return rc;
}

int xlv__xlcfg_bad_value(xlv__xlcfg_reader *rd, int rc, const char *key,
                         const char *value, const char *fmt, ...)
{
    char reason[XLV_ERRMSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    return xlv__xlcfg_fail(rd, rc, "xl.cfg key '%s' value '%.*s%s': %s", key,
                           XLV__XLCFG_VALUE_CLIP, value,
                           xlv__xlcfg_clipped(value), reason);
}

int xlv__xlcfg_pass_on(xlv__xlcfg_reader *rd, int rc)
{
    char msg[XLV_ERRMSG_MAX];

    if (!rd->name)
        return rc;
    snprintf(msg, sizeof(msg), "%s", xlv_ctx_error(rd->ctx));
    return xlv__error(rd->ctx, rc, "%s: %s", rd->name, msg);
}

void xlv__xlcfg_report_skip(xlv__xlcfg_reader *rd)
{
    fflush(rd->report);
    rd->report_seen = rd->report_len;
}

int xlv__xlcfg_report_error(xlv__xlcfg_reader *rd, int rc,
                            const char *fallback, int e)
{
    const char *p, *end;

    fflush(rd->report);
    if (rd->report_buf && rd->report_len > rd->report_seen) {
        p = rd->report_buf + rd->report_seen;
        end = strchr(p, '\n');
        rd->report_seen = rd->report_len;
        return xlv__error(rd->ctx, rc, "%.*s",
                          (int)(end ? (size_t)(end - p) : strlen(p)), p);
    }
    return xlv__xlcfg_fail(rd, rc, "%s: %s", fallback, strerror(e));
}

/*
 * The reasons for xlv__xlcfg_check_text(), via xlv__text_problem(): no
 * value we model holds a control character, xl.cfg's escapes can make
 * them ("\n", "\001"), the XML we write is UTF-8, and a line break made
 * libxlutil's disk spec scanner exit the process.  The value is shown
 * clipped and cleaned.
 */
int xlv__xlcfg_check_text(xlv__xlcfg_reader *rd, const char *key, int index,
                          const char *s)
{
    const char *why = xlv__text_problem(s);
    char shown[72];

    if (!why)
        return 0;
    snprintf(shown, sizeof(shown), "%.64s%s", s, strlen(s) > 64 ? "..." : "");
    xlv__text_sanitize(shown);
    if (index < 0)
        return xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key '%s' value "
                               "'%s': %s", key, shown, why);
    return xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key '%s' entry %d value "
                           "'%s': %s", key, index, shown, why);
}

/* ---- getters ---- */

/* *S_R: the value of KEY, or NULL when KEY is absent.  Lists refused. */
static int get_string(xlv__xlcfg_reader *rd, const char **s_r, const char *key)
{
    int e = xlu_cfg_get_string(rd->cfg, key, s_r, 1);

    if (e == ESRCH) {
        *s_r = NULL;
        return 0;
    }
    if (e)
        return xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key '%s': must be a "
                               "single value, not a list", key);
    return xlv__xlcfg_check_text(rd, key, -1, *s_r);
}

/*
 * KEY as an integer from MIN to MAX, read as xl reads it (strtol, base 0:
 * "0x10" is 16 to xl, so it is to us); *FOUND_R false when absent.
 */
static int get_number(xlv__xlcfg_reader *rd, long *val_r, bool *found_r,
                      const char *key, long min, long max)
{
    const char *s;
    long l;
    int e, rc;

    rc = get_string(rd, &s, key);
    if (rc) return rc;
    *found_r = s != NULL;
    if (!s)
        return 0;
    e = xlu_cfg_get_long(rd->cfg, key, &l, 1);
    /* strtol's ERANGE: LONG_MIN or LONG_MAX, by the sign. */
    if (e == ERANGE && s[strspn(s, " \t")] == '-')
        return xlv__xlcfg_bad_value(rd, XLV_ERR_INVAL, key, s, "must be at "
                                    "least %ld", min);
    if (e == ERANGE)
        return xlv__xlcfg_bad_value(rd, XLV_ERR_INVAL, key, s, "must be at "
                                    "most %ld", max);
    if (e)
        return xlv__xlcfg_bad_value(rd, XLV_ERR_INVAL, key, s, "not a number");
    if (l < min)
        return xlv__xlcfg_bad_value(rd, XLV_ERR_INVAL, key, s, "must be at "
                                    "least %ld", min);
    if (l > max)
        return xlv__xlcfg_bad_value(rd, XLV_ERR_INVAL, key, s, "must be at "
                                    "most %ld", max);
    *val_r = l;
    return 0;
}

/* Copy KEY's value into *DST_R when present (left alone otherwise). */
static int copy_string(xlv__xlcfg_reader *rd, char **dst_r, const char *key)
{
    const char *s;
    int rc;

    rc = get_string(rd, &s, key);
    if (rc || !s)
        return rc;
    free(*dst_r);
    *dst_r = NULL;
    rc = xlv__strdup(rd->ctx, dst_r, s);
    if (rc) return xlv__xlcfg_pass_on(rd, rc);
    return 0;
}

/* ---- name, uuid, type ---- */

static int read_identity(xlv__xlcfg_reader *rd, xlv_domain *dom)
{
    const char *s, *builder;
    xlv_domain_type builder_type;
    int rc;

    rc = get_string(rd, &s, "name");
    if (rc) return rc;
    if (!s)
        return xlv__xlcfg_fail(rd, XLV_ERR_INVAL,
                               "xl.cfg key 'name' is missing");
    if (xlv__domain_name_problem(s))
        return xlv__xlcfg_bad_value(rd, XLV_ERR_INVAL, "name", s, "%s",
                                    xlv__domain_name_problem(s));
    rc = xlv__strdup(rd->ctx, &dom->name, s);
    if (rc) return xlv__xlcfg_pass_on(rd, rc);

    rc = get_string(rd, &s, "uuid");
    if (rc) return rc;
    if (s) {
        if (libxl_uuid_from_string(&dom->uuid, s))
            return xlv__xlcfg_bad_value(rd, XLV_ERR_INVAL, "uuid", s,
                                        "not a uuid");
        dom->has_uuid = true;
    }

    /* xl matches prefixes ("h" is hvm); we want the whole word. */
    dom->type = XLV_DOMAIN_TYPE_PV;
    rc = get_string(rd, &s, "type");
    if (rc) return rc;
    if (s) {
        if (!strcmp(s, "pv"))
            dom->type = XLV_DOMAIN_TYPE_PV;
        else if (!strcmp(s, "pvh"))
            dom->type = XLV_DOMAIN_TYPE_PVH;
        else if (!strcmp(s, "hvm"))
            dom->type = XLV_DOMAIN_TYPE_HVM;
        else
            return xlv__xlcfg_bad_value(rd, XLV_ERR_INVAL, "type", s, "must "
                                        "be pv, pvh or hvm");
    }
    rc = get_string(rd, &builder, "builder");
    if (rc) return rc;
    if (builder) {
        if (!strcmp(builder, "hvm"))
            builder_type = XLV_DOMAIN_TYPE_HVM;
        else if (!strcmp(builder, "generic"))
            builder_type = XLV_DOMAIN_TYPE_PV;
        else
            return xlv__xlcfg_bad_value(rd, XLV_ERR_INVAL, "builder", builder,
                                        "must be hvm or generic");
        if (s && builder_type != dom->type)
            return xlv__xlcfg_bad_value(rd, XLV_ERR_CONFLICT, "builder",
                                        builder, "contradicts type '%s'", s);
        dom->type = builder_type;
    }
    return 0;
}

/* ---- memory and vCPUs ---- */

static int read_memory(xlv__xlcfg_reader *rd, xlv_domain *dom)
{
    long mem, maxmem;
    bool has_mem, has_maxmem;
    uint64_t cells = 0;
    unsigned int i;
    int rc;

    /* xl would fall back to libxl's 32 MiB: a guest that small is a
     * mistake, not a default worth copying. */
    rc = get_number(rd, &mem, &has_mem, "memory", 1,
                    XLV__XLCFG_MAX_MEMORY_MIB);
    if (rc) return rc;
    if (!has_mem)
        return xlv__xlcfg_fail(rd, XLV_ERR_INVAL,
                               "xl.cfg key 'memory' is missing");
    rc = get_number(rd, &maxmem, &has_maxmem, "maxmem", 1,
                    XLV__XLCFG_MAX_MEMORY_MIB);
    if (rc) return rc;

    for (i = 0; i < dom->n_vnodes; i++)
        cells += dom->vnodes[i].memory_kib;
    dom->memory_kib = (uint64_t)mem * 1024;
    if (has_maxmem)
        dom->max_memory_kib = (uint64_t)maxmem * 1024;
    else if (dom->n_vnodes)
        dom->max_memory_kib = cells;    /* as xl: the cells make maxmem */
    else
        dom->max_memory_kib = dom->memory_kib;

    if (dom->n_vnodes && cells != dom->max_memory_kib)
        return xlv__xlcfg_fail(rd, XLV_ERR_CONFLICT, "xl.cfg key 'vnuma': the "
                               "cells hold %llu MiB but maxmem is '%ld'",
                               (unsigned long long)(cells / 1024), maxmem);
    if (dom->memory_kib > dom->max_memory_kib)
        return xlv__xlcfg_fail(rd, XLV_ERR_CONFLICT, "xl.cfg key 'memory' "
                               "value '%ld': more than the maximum of %llu "
                               "MiB", mem,
                               (unsigned long long)dom->max_memory_kib / 1024);
    return 0;
}

/*
 * vcpu_avail: the vCPUs online at boot.  An integer is xm's bitmask
 * (3 is vCPUs 0 and 1); anything else is a cpuset, as
 * xlv_domain_to_xlcfg() writes it ("0,2-3").  COUNT is the number of
 * vCPUs online that "vcpus" asks for, 0 when "vcpus" is xm's maximum.
 */
static int read_vcpu_avail(xlv__xlcfg_reader *rd, xlv_domain *dom,
                           const char *s, unsigned int count,
                           unsigned int limit)
{
    libxl_bitmap set;
    unsigned int i, n;
    long l;
    int e, last, rc;

    libxl_bitmap_init(&set);

    e = xlu_cfg_get_long(rd->cfg, "vcpu_avail", &l, 1);
    if (e == ERANGE || (!e && l <= 0)) {
        rc = xlv__xlcfg_bad_value(rd, XLV_ERR_INVAL, "vcpu_avail", s, "must "
                                  "be a positive bitmask or a cpuset");
        goto out;
    }
    if (!e) {
        rc = xlv__bitmap_alloc(rd->ctx, &set, 8 * sizeof(l));
        if (rc) {
            rc = xlv__xlcfg_pass_on(rd, rc);
            goto out;
        }
        for (i = 0; i < 8 * sizeof(l); i++) {
            if ((unsigned long)l >> i & 1)
                libxl_bitmap_set(&set, (int)i);
        }
    } else {
        rc = xlv__cpuset_parse(rd->ctx, &set, s, limit,
                               "xl.cfg key 'vcpu_avail' value '%s'");
        if (rc) {
            rc = xlv__xlcfg_pass_on(rd, rc);
            goto out;
        }
    }

    last = xlv__bitmap_last(&set);
    if (last >= (int)dom->max_vcpus) {
        rc = xlv__xlcfg_bad_value(rd, XLV_ERR_CONFLICT, "vcpu_avail", s,
                                  "vcpu '%d' is not below the maximum of %u",
                                  last, dom->max_vcpus);
        goto out;
    }
    if (!libxl_bitmap_test(&set, 0)) {
        rc = xlv__xlcfg_bad_value(rd, XLV_ERR_INVAL, "vcpu_avail", s, "vcpu "
                                  "'0', the boot vcpu, must be online");
        goto out;
    }
    n = xlv__bitmap_count(&set);
    if (count && n != count) {
        rc = xlv__xlcfg_bad_value(rd, XLV_ERR_CONFLICT, "vcpu_avail", s, "%u "
                                  "vcpus online but vcpus is '%u'", n, count);
        goto out;
    }
    for (i = 0; i < dom->max_vcpus; i++) {
        if (libxl_bitmap_test(&set, i))
            libxl_bitmap_set(&dom->online, (int)i);
    }
    rc = 0;
 out:
    libxl_bitmap_dispose(&set);
    return rc;
}

/*
 * xl: vcpus=N puts vCPUs 0..N-1 online, maxvcpus=M is the maximum
 * (default N, or the vCPUs of the vnuma cells), vcpus defaults to 1.
 * xm: vcpus is the maximum and vcpu_avail the online map; we read it so
 * when there is a vcpu_avail and no maxvcpus (or vnuma).
 */
static int read_vcpus(xlv__xlcfg_reader *rd, xlv_domain *dom)
{
    unsigned int limit = xlv__domain_type_max_vcpus(dom->type);
    unsigned int i, max, online, in_cells = 0;
    long vcpus, maxvcpus;
    bool has_vcpus, has_max;
    const char *avail;
    int rc;

    rc = get_number(rd, &vcpus, &has_vcpus, "vcpus", 1, limit);
    if (rc) return rc;
    rc = get_number(rd, &maxvcpus, &has_max, "maxvcpus", 1, limit);
    if (rc) return rc;
    rc = get_string(rd, &avail, "vcpu_avail");
    if (rc) return rc;

    for (i = 0; i < dom->n_vnodes; i++)
        in_cells += xlv__bitmap_count(&dom->vnodes[i].vcpus);
    if (dom->n_vnodes && has_max && in_cells != (unsigned long)maxvcpus)
        return xlv__xlcfg_fail(rd, XLV_ERR_CONFLICT, "xl.cfg key 'vnuma': the "
                               "cells hold %u vcpus but maxvcpus is '%ld'",
                               in_cells, maxvcpus);
    if (in_cells > limit)
        return xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma': the "
                               "cells hold %u vcpus, more than the %u a "
                               "domain of this type can have", in_cells,
                               limit);

    if (has_max)
        max = (unsigned int)maxvcpus;
    else if (dom->n_vnodes)
        max = in_cells;
    else if (has_vcpus)
        max = (unsigned int)vcpus;
    else
        max = 1;
    online = has_vcpus ? (unsigned int)vcpus : 1;
    if (online > max)
        return xlv__xlcfg_fail(rd, XLV_ERR_CONFLICT, "xl.cfg key 'vcpus' "
                               "value '%ld': more than %s '%u'", vcpus,
                               has_max ? "maxvcpus"
                                       : "the vcpus of the vnuma cells",
                               max);

    rc = xlv__domain_alloc_vcpus(rd->ctx, dom, max);
    if (rc) return xlv__xlcfg_pass_on(rd, rc);
    if (avail)
        return read_vcpu_avail(rd, dom, avail,
                               has_vcpus && (has_max || dom->n_vnodes)
                               ? online : 0, limit);
    for (i = 0; i < online; i++)
        libxl_bitmap_set(&dom->online, (int)i);
    return 0;
}

/*
 * cpus= / cpus_soft=: a string is the affinity of every vCPU (DFLT); a
 * list gives vCPU i its entry i (PER[i]); "all" is no affinity.  A string
 * that names NUMA nodes is kept as written in *NODES_R, to be resolved on
 * the host the domain starts on, as xl resolves it when it creates the
 * domain (list entries are resolved now, with the ctx's layout).
 */
static int read_affinity(xlv__xlcfg_reader *rd, xlv_domain *dom,
                         const char *key, libxl_bitmap *dflt,
                         libxl_bitmap *per, char **nodes_r)
{
    XLU_ConfigList *list;
    const char *s;
    char what[96];
    int e, n, i, rc;

    e = xlu_cfg_get_list(rd->cfg, key, &list, &n, 1);
    if (e == ESRCH)
        return 0;
    if (e) {
        rc = get_string(rd, &s, key);
        if (rc) return rc;
        if (!strcmp(s, "all"))
            return 0;
        snprintf(what, sizeof(what), "xl.cfg key '%s' value '%%s'", key);
        if (xlv__xl_cpus_has_nodes(s)) {
            rc = xlv__xl_cpus_check(rd->ctx, s, what);
            if (!rc)
                rc = xlv__strdup(rd->ctx, nodes_r, s);
            return rc ? xlv__xlcfg_pass_on(rd, rc) : 0;
        }
        rc = xlv__xl_cpus_parse(rd->ctx, dflt, s, XLV_MAX_PCPUS, what);
        if (rc) return xlv__xlcfg_pass_on(rd, rc);
        return 0;
    }

    /* xl silently drops entries past the last vCPU: a mistake worth
     * reporting. */
    if ((unsigned int)n > dom->max_vcpus)
        return xlv__xlcfg_fail(rd, XLV_ERR_CONFLICT, "xl.cfg key '%s': %d "
                               "entries for %u vcpus", key, n, dom->max_vcpus);
    for (i = 0; i < n; i++) {
        s = xlu_cfg_get_listitem(list, i);
        if (!s)
            return xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key '%s' entry "
                                   "%d: must be a string", key, i);
        rc = xlv__xlcfg_check_text(rd, key, i, s);
        if (rc) return rc;
        if (!strcmp(s, "all"))
            continue;
        snprintf(what, sizeof(what), "xl.cfg key '%s' entry %d value '%%s'",
                 key, i);
        rc = xlv__xl_cpus_parse(rd->ctx, &per[i], s, XLV_MAX_PCPUS, what);
        if (rc) return xlv__xlcfg_pass_on(rd, rc);
    }
    return 0;
}

/*
 * When a list form gives most vCPUs the same set, make that set the
 * default and keep only the others as pins, the way a person writes
 * <vcpu cpuset=> with a few <vcpupin>: the effective affinities do not
 * change.  Every vCPU must have a set, or there is no default to find.
 * Boyer and Moore's majority vote keeps this linear for 8192 vCPUs.
 */
static int factor_default(xlv__xlcfg_reader *rd, xlv_domain *dom,
                          libxl_bitmap *dflt, libxl_bitmap *per)
{
    unsigned int i, votes = 0, count = 0;
    const libxl_bitmap *cand = NULL;
    int rc;

    if (dflt->size || dom->max_vcpus < 2)
        return 0;
    for (i = 0; i < dom->max_vcpus; i++) {
        if (!per[i].size)
            return 0;
        if (!votes) {
            cand = &per[i];
            votes = 1;
        } else {
            votes += libxl_bitmap_equal(cand, &per[i], 0) ? 1 : -1;
        }
    }
    for (i = 0; i < dom->max_vcpus; i++)
        count += libxl_bitmap_equal(cand, &per[i], 0);
    if (count * 2 <= dom->max_vcpus)
        return 0;
    rc = xlv__bitmap_copy(rd->ctx, dflt, cand);
    if (rc) return xlv__xlcfg_pass_on(rd, rc);
    for (i = 0; i < dom->max_vcpus; i++) {
        if (libxl_bitmap_equal(&per[i], dflt, 0))
            libxl_bitmap_dispose(&per[i]);
    }
    return 0;
}

/* cpu_topology = "sockets=S,dies=D,cores=C,threads=T", our own key. */
static int read_topology(xlv__xlcfg_reader *rd, xlv_domain *dom)
{
    static const char *const names[] = {
        "sockets", "dies", "cores", "threads"
    };
    unsigned int *fields[] = {
        &dom->sockets, &dom->dies, &dom->cores, &dom->threads
    };
    const char *s, *p;
    unsigned int i;
    int rc;

    rc = get_string(rd, &s, "cpu_topology");
    if (rc || !s)
        return rc;
    for (i = 0, p = s; i < 4; i++) {
        size_t len = strlen(names[i]);
        uint64_t v;
        char num[16];
        size_t n;

        if (strncmp(p, names[i], len) || p[len] != '=')
            break;
        p += len + 1;
        n = strcspn(p, ",");
        if (n >= sizeof(num))
            break;
        memcpy(num, p, n);
        num[n] = '\0';
        if (xlv__number_parse(num, XLV_MAX_VCPUS_PV, &v) || !v)
            break;
        *fields[i] = (unsigned int)v;
        p += n;
        if (i < 3 && *p++ != ',')
            break;
    }
    if (i < 4 || *p)
        return xlv__xlcfg_bad_value(rd, XLV_ERR_INVAL, "cpu_topology", s,
                                    "must be 'sockets=S,dies=D,cores=C,"
                                    "threads=T', each from 1 to 8192");
    if ((uint64_t)dom->sockets * dom->dies * dom->cores * dom->threads !=
        dom->max_vcpus)
        return xlv__xlcfg_bad_value(rd, XLV_ERR_CONFLICT, "cpu_topology", s,
                                    "gives %llu vcpus but the domain has %u",
                                    (unsigned long long)dom->sockets *
                                    dom->dies * dom->cores * dom->threads,
                                    dom->max_vcpus);
    return 0;
}

/* ---- boot ---- */

/* acpi=, apic=, pae=: 0 or 1; libxl turns them on for HVM when not
 * given (libvirt's reader does the same). */
static int read_feature(xlv__xlcfg_reader *rd, xlv__feature *f_r,
                        const char *key)
{
    bool found;
    long l;
    int rc;

    rc = get_number(rd, &l, &found, key, 0, 1);
    if (rc) return rc;
    *f_r = found && !l ? XLV__FEATURE_OFF : XLV__FEATURE_ON;
    return 0;
}

/* xl's cmdline: cmdline= wins, else "root=ROOT EXTRA" from root= and
 * extra=. */
static int read_cmdline(xlv__xlcfg_reader *rd, xlv_domain *dom)
{
    const char *cmdline, *root, *extra;
    xlv__strbuf sb = { NULL, 0, 0, false };
    int rc;

    rc = get_string(rd, &cmdline, "cmdline");
    if (rc) goto out;
    rc = get_string(rd, &root, "root");
    if (rc) goto out;
    rc = get_string(rd, &extra, "extra");
    if (rc) goto out;
    if (cmdline) {
        rc = xlv__strdup(rd->ctx, &dom->cmdline, cmdline);
        if (rc) rc = xlv__xlcfg_pass_on(rd, rc);
        goto out;
    }
    if (!root && !extra) {
        rc = 0;
        goto out;
    }
    if (root)
        xlv__strbuf_printf(&sb, "root=%s%s", root, extra ? " " : "");
    if (extra)
        xlv__strbuf_puts(&sb, extra);
    rc = xlv__strbuf_take(rd->ctx, &sb, &dom->cmdline);
    if (rc) rc = xlv__xlcfg_pass_on(rd, rc);
 out:
    xlv__strbuf_dispose(&sb);
    return rc;
}

/* bootloader_args: xl's list, or the deprecated string; kept as one
 * string of blank-separated arguments. */
static int read_bootloader_args(xlv__xlcfg_reader *rd, xlv_domain *dom)
{
    xlv__strbuf sb = { NULL, 0, 0, false };
    XLU_ConfigList *list;
    const char *s;
    int e, n, i, rc;

    e = xlu_cfg_get_list(rd->cfg, "bootloader_args", &list, &n, 1);
    if (e == ESRCH) {
        rc = 0;
        goto out;
    }
    if (e) {
        rc = copy_string(rd, &dom->bootloader_args, "bootloader_args");
        goto out;
    }
    for (i = 0; i < n; i++) {
        s = xlu_cfg_get_listitem(list, i);
        if (!s) {
            rc = xlv__xlcfg_fail(rd, XLV_ERR_INVAL, "xl.cfg key "
                                 "'bootloader_args' entry %d: must be a "
                                 "string", i);
            goto out;
        }
        rc = xlv__xlcfg_check_text(rd, "bootloader_args", i, s);
        if (rc) goto out;
        xlv__strbuf_printf(&sb, "%s%s", i ? " " : "", s);
    }
    if (!n) {
        rc = 0;
        goto out;
    }
    rc = xlv__strbuf_take(rd->ctx, &sb, &dom->bootloader_args);
    if (rc) rc = xlv__xlcfg_pass_on(rd, rc);
 out:
    xlv__strbuf_dispose(&sb);
    return rc;
}

/* Whether xl takes firmware=S as a firmware name rather than a path. */
static bool is_firmware_name(const char *s)
{
    static const char *const names[] = { "rombios", "seabios", "ovmf" };
    size_t len = strlen(s);
    unsigned int i;

    for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
        if (!strcmp(s, names[i]))
            return true;
    }
    /* xl_parse.c: prefixes of "uefi" and "bios". */
    return !strncmp(s, "uefi", len) || !strncmp(s, "bios", len);
}

static int read_hvm(xlv__xlcfg_reader *rd, xlv_domain *dom)
{
    const char *s;
    int rc;

    rc = read_feature(rd, &dom->acpi, "acpi");
    if (rc) return rc;
    rc = read_feature(rd, &dom->apic, "apic");
    if (rc) return rc;
    rc = read_feature(rd, &dom->pae, "pae");
    if (rc) return rc;

    rc = get_string(rd, &s, "boot");
    if (rc) return rc;
    if (s) {
        if (!*s || strlen(s) > 4 || strspn(s, "acdn") != strlen(s))
            return xlv__xlcfg_bad_value(rd, XLV_ERR_INVAL, "boot", s, "must "
                                        "be one to four of a, c, d and n");
        rc = xlv__strdup(rd->ctx, &dom->boot_order, s);
        if (rc) return xlv__xlcfg_pass_on(rd, rc);
    }

    /* The hvmloader to use.  firmware= comes later in xl and wins; a
     * firmware name (bios, uefi, ovmf...) is not something the model
     * keeps. */
    rc = copy_string(rd, &dom->loader, "firmware_override");
    if (rc) return rc;
    rc = get_string(rd, &s, "firmware");
    if (rc) return rc;
    if (s && !is_firmware_name(s)) {
        free(dom->loader);
        dom->loader = NULL;
        rc = xlv__strdup(rd->ctx, &dom->loader, s);
        if (rc) return xlv__xlcfg_pass_on(rd, rc);
    }
    return 0;
}

static int read_boot(xlv__xlcfg_reader *rd, xlv_domain *dom)
{
    bool hvm = dom->type == XLV_DOMAIN_TYPE_HVM;
    const char *s, *base;
    int rc;

    rc = get_string(rd, &s, "kernel");
    if (rc) return rc;
    /* xl ignores an HVM "kernel" that is hvmloader (an xm habit). */
    base = s ? strrchr(s, '/') : NULL;
    base = base ? base + 1 : s;
    if (s && !(hvm && !strcmp(base, "hvmloader"))) {
        rc = xlv__strdup(rd->ctx, &dom->kernel, s);
        if (rc) return xlv__xlcfg_pass_on(rd, rc);
    }
    rc = copy_string(rd, &dom->initrd, "ramdisk");
    if (rc) return rc;
    rc = read_cmdline(rd, dom);
    if (rc) return rc;
    rc = copy_string(rd, &dom->bootloader, "bootloader");
    if (rc) return rc;
    rc = read_bootloader_args(rd, dom);
    if (rc) return rc;

    if (hvm)
        return read_hvm(rd, dom);
    rc = get_string(rd, &s, "firmware");
    if (rc) return rc;
    if (s)
        return xlv__xlcfg_bad_value(rd, XLV_ERR_UNSUPPORTED, "firmware", s,
                                    "not supported for %s domains: use "
                                    "kernel=",
                                    dom->type == XLV_DOMAIN_TYPE_PV ? "pv"
                                                                    : "pvh");
    return 0;
}

/* ---- lifecycle ---- */

static int read_action(xlv__xlcfg_reader *rd,
                       libxl_action_on_shutdown *action_r, bool *has_r,
                       const char *key)
{
    const char *s;
    int rc;

    rc = get_string(rd, &s, key);
    if (rc || !s)
        return rc;
    if (xlv__action_from_name(s, action_r)) {
        *has_r = true;
        return 0;
    }
    /* xl knows it, libvirt's <on_*> do not. */
    if (!strcmp(s, "soft-reset"))
        return xlv__xlcfg_bad_value(rd, XLV_ERR_UNSUPPORTED, key, s, "domain "
                                    "xml has no such action");
    return xlv__xlcfg_bad_value(rd, XLV_ERR_INVAL, key, s, "must be destroy, "
                                "restart, rename-restart, preserve, "
                                "coredump-destroy or coredump-restart");
}

/* ---- the whole ---- */

static int read_domain(xlv__xlcfg_reader *rd, xlv_domain *dom)
{
    long weight;
    bool has_weight;
    int rc;

    rc = read_identity(rd, dom);
    if (rc) return rc;
    rc = xlv__xlcfg_read_vnuma(rd, dom,
                               xlv__domain_type_max_vcpus(dom->type));
    if (rc) return rc;
    rc = read_memory(rd, dom);
    if (rc) return rc;
    rc = read_vcpus(rd, dom);
    if (rc) return rc;
    rc = read_affinity(rd, dom, "cpus", &dom->hard_default, dom->hard,
                       &dom->hard_nodes);
    if (rc) return rc;
    rc = read_affinity(rd, dom, "cpus_soft", &dom->soft_default, dom->soft,
                       &dom->soft_nodes);
    if (rc) return rc;
    rc = factor_default(rd, dom, &dom->hard_default, dom->hard);
    if (rc) return rc;
    rc = factor_default(rd, dom, &dom->soft_default, dom->soft);
    if (rc) return rc;
    rc = read_topology(rd, dom);
    if (rc) return rc;
    rc = get_number(rd, &weight, &has_weight, "cpu_weight", 1, 65535);
    if (rc) return rc;
    if (has_weight)
        dom->weight = (unsigned int)weight;
    rc = read_boot(rd, dom);
    if (rc) return rc;
    rc = read_action(rd, &dom->on_poweroff, &dom->has_on_poweroff,
                     "on_poweroff");
    if (rc) return rc;
    rc = read_action(rd, &dom->on_reboot, &dom->has_on_reboot, "on_reboot");
    if (rc) return rc;
    rc = read_action(rd, &dom->on_crash, &dom->has_on_crash, "on_crash");
    if (rc) return rc;
    return xlv__xlcfg_read_devices(rd, dom);
}

int xlv_domain_from_xlcfg(xlv_ctx *ctx, xlv_domain **dom_r, const char *cfg,
                          size_t len, const char *name, unsigned int flags)
{
    xlv__xlcfg_reader rd = { ctx, name, NULL, NULL, NULL, 0, 0 };
    xlv_domain *dom = NULL;
    const char *nul;
    int r, rc;

    rc = xlv__check_flags(ctx, "from_xlcfg", flags, 0);
    if (rc) goto out;
    if (len > XLV_MAX_DOCUMENT_BYTES) {
        rc = xlv__xlcfg_fail(&rd, XLV_ERR_INVAL, "xl.cfg text of %zu bytes is "
                             "more than the limit of %u", len,
                             XLV_MAX_DOCUMENT_BYTES);
        goto out;
    }
    if (!cfg && len) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "from_xlcfg: no text for %zu "
                        "bytes", len);
        goto out;
    }
    /* libxlutil asserts on a NUL inside a string: stop it here. */
    nul = len ? memchr(cfg, '\0', len) : NULL;
    if (nul) {
        rc = xlv__xlcfg_fail(&rd, XLV_ERR_CONFIG, "xl.cfg text holds a NUL "
                             "byte at offset %zu", (size_t)(nul - cfg));
        goto out;
    }

    rd.report = open_memstream(&rd.report_buf, &rd.report_len);
    if (!rd.report) {
        rc = xlv__nomem(ctx, "the xl.cfg parser");
        goto out;
    }
    rd.cfg = xlu_cfg_init(rd.report, name ? name : "xl.cfg");
    if (!rd.cfg) {
        rc = xlv__nomem(ctx, "the xl.cfg parser");
        goto out;
    }
    r = xlu_cfg_readdata(rd.cfg, cfg ? cfg : "", (int)len);
    if (r) {
        rc = xlv__xlcfg_report_error(&rd, r == ENOMEM ? XLV_ERR_NOMEM
                                                      : XLV_ERR_CONFIG,
                                     "cannot parse xl.cfg", r);
        goto out;
    }

    rc = xlv__domain_new(ctx, &dom);
    if (rc) goto out;
    rc = read_domain(&rd, dom);
    if (rc) goto out;
    rc = xlv__domain_check(ctx, dom);
    if (rc) {
        rc = xlv__xlcfg_pass_on(&rd, rc);
        goto out;
    }
    rc = xlv__domain_format(ctx, dom);
    if (rc) {
        rc = xlv__xlcfg_pass_on(&rd, rc);
        goto out;
    }

    *dom_r = dom;
    dom = NULL;
    rc = 0;
 out:
    xlv_domain_free(dom);
    if (rd.cfg)
        xlu_cfg_destroy(rd.cfg);
    if (rd.report)
        fclose(rd.report);
    free(rd.report_buf);
    return rc;
}

int xlv_domain_from_xlcfg_file(xlv_ctx *ctx, xlv_domain **dom_r,
                               const char *path, unsigned int flags)
{
    return xlv__domain_from_file(ctx, dom_r, path, xlv_domain_from_xlcfg,
                                 flags);
}
