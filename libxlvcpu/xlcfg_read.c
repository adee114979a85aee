/*
 * xl.cfg text → model.  The text is read with libxlutil, the parser xl
 * itself uses, and the keys are interpreted as xl's parse_config_data()
 * does (see notes in the comments where we differ on purpose).  Every
 * value is checked as it is read; errors name the key and the value.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxlutil.h>

#include "cpuset.h"
#include "domain.h"

/* Values quoted in messages are cut to this many characters. */
#define VALUE_CLIP 80

/* 16 TiB, Xen's x86 limit, in xl's unit (MiB). */
#define MAX_MEMORY_MIB (16L * 1024 * 1024)

typedef struct {
    xlv_ctx *ctx;
    const char *name;           /* the source, for messages, or NULL */
    XLU_Config *cfg;
    FILE *report;               /* where libxlutil writes diagnostics */
    char *report_buf;           /* open_memstream()'s buffer */
    size_t report_len;
    size_t report_seen;         /* bytes of it already used */
} reader;

static const char *clipped(const char *value)
{
    return strlen(value) > VALUE_CLIP ? "..." : "";
}

static int vfail(reader *rd, int rc, const char *fmt, va_list ap)
{
    char msg[XLV_ERRMSG_MAX];

    vsnprintf(msg, sizeof(msg), fmt, ap);
    if (rd->name)
        return xlv__error(rd->ctx, rc, "%s: %s", rd->name, msg);
    return xlv__error(rd->ctx, rc, "%s", msg);
}

/* A failure, its message prefixed with the source name. */
static int fail(reader *rd, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(reader *rd, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfail(rd, rc, fmt, ap);
    va_end(ap);
    return rc;
}

/* "xl.cfg key 'KEY' value 'VALUE': <reason>". */
static int bad_value(reader *rd, int rc, const char *key, const char *value,
                     const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int bad_value(reader *rd, int rc, const char *key, const char *value,
                     const char *fmt, ...)
{
    char reason[XLV_ERRMSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    return fail(rd, rc, "xl.cfg key '%s' value '%.*s%s': %s", key,
                VALUE_CLIP, value, clipped(value), reason);
}

/* Prefix the message a callee left on the ctx with the source name. */
static int pass_on(reader *rd, int rc)
{
    char msg[XLV_ERRMSG_MAX];

    if (!rd->name)
        return rc;
    snprintf(msg, sizeof(msg), "%s", xlv_ctx_error(rd->ctx));
    return xlv__error(rd->ctx, rc, "%s: %s", rd->name, msg);
}

/* Forget what libxlutil has reported so far (warnings we asked for). */
static void report_skip(reader *rd)
{
    fflush(rd->report);
    rd->report_seen = rd->report_len;
}

/*
 * Fail with the first line libxlutil reported since report_skip(), which
 * already starts with the source name it was given; FALLBACK (with E's
 * text) when it reported nothing.
 */
static int report_error(reader *rd, int rc, const char *fallback, int e)
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
    return fail(rd, rc, "%s: %s", fallback, strerror(e));
}

/* ---- getters ---- */

/*
 * Refuse S, the value of KEY (entry INDEX of a list, or -1), when it holds
 * a control character or is not UTF-8 (xlv__text_problem()): no value we
 * model holds one, xl.cfg's escapes can make them ("\n", "\001"), the XML
 * we write is UTF-8, and a line break made libxlutil's disk spec scanner
 * exit the process.  The value is shown clipped and cleaned.
 */
static int check_text(reader *rd, const char *key, int index, const char *s)
{
    const char *why = xlv__text_problem(s);
    char shown[72];

    if (!why)
        return 0;
    snprintf(shown, sizeof(shown), "%.64s%s", s, strlen(s) > 64 ? "..." : "");
    xlv__text_sanitize(shown);
    if (index < 0)
        return fail(rd, XLV_ERR_INVAL, "xl.cfg key '%s' value '%s': %s", key,
                    shown, why);
    return fail(rd, XLV_ERR_INVAL, "xl.cfg key '%s' entry %d value '%s': %s",
                key, index, shown, why);
}

/* *S_R: the value of KEY, or NULL when KEY is absent.  Lists refused. */
static int get_string(reader *rd, const char **s_r, const char *key)
{
    int e = xlu_cfg_get_string(rd->cfg, key, s_r, 1);

    if (e == ESRCH) {
        *s_r = NULL;
        return 0;
    }
    if (e)
        return fail(rd, XLV_ERR_INVAL, "xl.cfg key '%s': must be a single "
                    "value, not a list", key);
    return check_text(rd, key, -1, *s_r);
}

/*
 * KEY as an integer from MIN to MAX, read as xl reads it (strtol, base 0:
 * "0x10" is 16 to xl, so it is to us); *FOUND_R false when absent.
 */
static int get_number(reader *rd, long *val_r, bool *found_r,
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
        return bad_value(rd, XLV_ERR_INVAL, key, s, "must be at least %ld",
                         min);
    if (e == ERANGE)
        return bad_value(rd, XLV_ERR_INVAL, key, s, "must be at most %ld",
                         max);
    if (e)
        return bad_value(rd, XLV_ERR_INVAL, key, s, "not a number");
    if (l < min)
        return bad_value(rd, XLV_ERR_INVAL, key, s, "must be at least %ld",
                         min);
    if (l > max)
        return bad_value(rd, XLV_ERR_INVAL, key, s, "must be at most %ld",
                         max);
    *val_r = l;
    return 0;
}

/* Copy KEY's value into *DST_R when present (left alone otherwise). */
static int copy_string(reader *rd, char **dst_r, const char *key)
{
    const char *s;
    int rc;

    rc = get_string(rd, &s, key);
    if (rc || !s)
        return rc;
    free(*dst_r);
    *dst_r = NULL;
    rc = xlv__strdup(rd->ctx, dst_r, s);
    if (rc) return pass_on(rd, rc);
    return 0;
}

/* ---- name, uuid, type ---- */

static int read_identity(reader *rd, xlv_domain *dom)
{
    const char *s, *builder;
    xlv_domain_type builder_type;
    int rc;

    rc = get_string(rd, &s, "name");
    if (rc) return rc;
    if (!s)
        return fail(rd, XLV_ERR_INVAL, "xl.cfg key 'name' is missing");
    if (xlv__domain_name_problem(s))
        return bad_value(rd, XLV_ERR_INVAL, "name", s, "%s",
                         xlv__domain_name_problem(s));
    rc = xlv__strdup(rd->ctx, &dom->name, s);
    if (rc) return pass_on(rd, rc);

    rc = get_string(rd, &s, "uuid");
    if (rc) return rc;
    if (s) {
        if (libxl_uuid_from_string(&dom->uuid, s))
            return bad_value(rd, XLV_ERR_INVAL, "uuid", s, "not a uuid");
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
            return bad_value(rd, XLV_ERR_INVAL, "type", s, "must be pv, "
                             "pvh or hvm");
    }
    rc = get_string(rd, &builder, "builder");
    if (rc) return rc;
    if (builder) {
        if (!strcmp(builder, "hvm"))
            builder_type = XLV_DOMAIN_TYPE_HVM;
        else if (!strcmp(builder, "generic"))
            builder_type = XLV_DOMAIN_TYPE_PV;
        else
            return bad_value(rd, XLV_ERR_INVAL, "builder", builder,
                             "must be hvm or generic");
        if (s && builder_type != dom->type)
            return bad_value(rd, XLV_ERR_CONFLICT, "builder", builder,
                             "contradicts type '%s'", s);
        dom->type = builder_type;
    }
    return 0;
}

/* ---- vnuma ---- */

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

static int read_distances(reader *rd, xlv__vnode *vn, unsigned int cell,
                          const char *value, unsigned int n_cells)
{
    const char *p = value;
    uint32_t *d = NULL;
    unsigned int n = 0;
    int rc;

    d = calloc(n_cells, sizeof(*d));
    if (!d) {
        rc = pass_on(rd, xlv__nomem(rd->ctx, "numa distances"));
        goto out;
    }
    for (;;) {
        size_t len = strcspn(p, ",");
        char num[32];
        uint64_t v = 0;

        if (n == n_cells) {
            rc = fail(rd, XLV_ERR_CONFLICT, "xl.cfg key 'vnuma' cell %u "
                      "vdistances '%.*s%s': more than %u distances",
                      cell, VALUE_CLIP, value, clipped(value), n_cells);
            goto out;
        }
        if (len < sizeof(num)) {
            memcpy(num, p, len);
            num[len] = '\0';
        }
        if (len >= sizeof(num) || xlv__number_parse(num, 255, &v) ||
            v < 10) {
            rc = fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma' cell %u "
                      "vdistances '%.*s%s': distance %u must be a number "
                      "from 10 to 255", cell, VALUE_CLIP, value,
                      clipped(value), n + 1);
            goto out;
        }
        d[n++] = (uint32_t)v;
        if (!p[len])
            break;
        p += len + 1;
    }
    if (n != n_cells) {
        rc = fail(rd, XLV_ERR_CONFLICT, "xl.cfg key 'vnuma' cell %u "
                  "vdistances '%.*s%s': %u distances for %u cells", cell,
                  VALUE_CLIP, value, clipped(value), n, n_cells);
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
static int read_vnode_item(reader *rd, xlv_domain *dom, unsigned int cell,
                           const char *item, unsigned int limit,
                           bool *has_size, bool *has_vcpus)
{
    xlv__vnode *vn = &dom->vnodes[cell];
    char *copy = NULL, *key, *value;
    char what[96];
    uint64_t v;
    int rc;

    copy = strdup(item);
    if (!copy) {
        rc = pass_on(rd, xlv__nomem(rd->ctx, "a vnuma item"));
        goto out;
    }
    if (!split_pair(copy, &key, &value)) {
        rc = fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma' cell %u item "
                  "'%.*s%s': not KEY=VALUE", cell, VALUE_CLIP, item,
                  clipped(item));
        goto out;
    }
    if (!strcmp(key, "pnode")) {
        /* A host node: the model does not keep it (libvirt writes the
         * cell index here), but it must be a number. */
        if (xlv__number_parse(value, UINT32_MAX, &v)) {
            rc = fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma' cell %u pnode "
                      "'%.*s%s': not a number", cell, VALUE_CLIP, value,
                      clipped(value));
            goto out;
        }
    } else if (!strcmp(key, "size")) {
        if (xlv__number_parse(value, MAX_MEMORY_MIB, &v) || !v) {
            rc = fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma' cell %u size "
                      "'%.*s%s': must be a number of MiB from 1 to %ld",
                      cell, VALUE_CLIP, value, clipped(value),
                      MAX_MEMORY_MIB);
            goto out;
        }
        vn->memory_kib = v * 1024;
        *has_size = true;
    } else if (!strcmp(key, "vcpus")) {
        snprintf(what, sizeof(what), "xl.cfg key 'vnuma' cell %u vcpus "
                 "'%%s'", cell);
        rc = xlv__cpuset_parse(rd->ctx, &vn->vcpus, value, limit, what);
        if (rc) {
            rc = pass_on(rd, rc);
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
static int read_vnuma(reader *rd, xlv_domain *dom, unsigned int limit)
{
    XLU_ConfigList *list, *cell;
    XLU_ConfigValue *v;
    int e, n, i, j;
    int rc;

    e = xlu_cfg_get_list(rd->cfg, "vnuma", &list, &n, 1);
    if (e == ESRCH || (!e && !n))
        return 0;
    if (e)
        return fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma': must be a list "
                    "of lists");
    if (n > XLV__MAX_VNODES)
        return fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma': %d cells, at "
                    "most %u are allowed", n, XLV__MAX_VNODES);
    dom->vnodes = calloc((size_t)n, sizeof(*dom->vnodes));
    if (!dom->vnodes)
        return pass_on(rd, xlv__nomem(rd->ctx, "numa cells"));
    dom->n_vnodes = (unsigned int)n;

    for (i = 0; i < n; i++) {
        bool has_size = false, has_vcpus = false;

        v = xlu_cfg_get_listitem2(list, i);
        if (!v || xlu_cfg_value_type(v) != XLU_LIST ||
            xlu_cfg_value_get_list(rd->cfg, v, &cell, 1))
            return fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma' cell %d: "
                        "must be a list of \"KEY=VALUE\" strings", i);
        for (j = 0; (v = xlu_cfg_get_listitem2(cell, j)); j++) {
            const char *item = xlu_cfg_get_listitem(cell, j);

            if (!item)
                return fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma' cell %d "
                            "item %d: must be a \"KEY=VALUE\" string", i,
                            j + 1);
            rc = check_text(rd, "vnuma", i, item);
            if (rc) return rc;
            rc = read_vnode_item(rd, dom, (unsigned int)i, item, limit,
                                 &has_size, &has_vcpus);
            if (rc) return rc;
        }
        if (!has_size || !has_vcpus)
            return fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma' cell %d: "
                        "'%s' is missing", i, has_size ? "vcpus" : "size");
    }
    return 0;
}

/* ---- memory and vCPUs ---- */

static int read_memory(reader *rd, xlv_domain *dom)
{
    long mem, maxmem;
    bool has_mem, has_maxmem;
    uint64_t cells = 0;
    unsigned int i;
    int rc;

    /* xl would fall back to libxl's 32 MiB: a guest that small is a
     * mistake, not a default worth copying. */
    rc = get_number(rd, &mem, &has_mem, "memory", 1, MAX_MEMORY_MIB);
    if (rc) return rc;
    if (!has_mem)
        return fail(rd, XLV_ERR_INVAL, "xl.cfg key 'memory' is missing");
    rc = get_number(rd, &maxmem, &has_maxmem, "maxmem", 1, MAX_MEMORY_MIB);
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
        return fail(rd, XLV_ERR_CONFLICT, "xl.cfg key 'vnuma': the cells "
                    "hold %llu MiB but maxmem is '%ld'",
                    (unsigned long long)(cells / 1024), maxmem);
    if (dom->memory_kib > dom->max_memory_kib)
        return fail(rd, XLV_ERR_CONFLICT, "xl.cfg key 'memory' value '%ld': "
                    "more than the maximum of %llu MiB", mem,
                    (unsigned long long)(dom->max_memory_kib / 1024));
    return 0;
}

/*
 * vcpu_avail: the vCPUs online at boot.  An integer is xm's bitmask
 * (3 is vCPUs 0 and 1); anything else is a cpuset, as
 * xlv_domain_to_xlcfg() writes it ("0,2-3").  COUNT is the number of
 * vCPUs online that "vcpus" asks for, 0 when "vcpus" is xm's maximum.
 */
static int read_vcpu_avail(reader *rd, xlv_domain *dom, const char *s,
                           unsigned int count, unsigned int limit)
{
    libxl_bitmap set;
    unsigned int i, n;
    long l;
    int e, last, rc;

    libxl_bitmap_init(&set);

    e = xlu_cfg_get_long(rd->cfg, "vcpu_avail", &l, 1);
    if (e == ERANGE || (!e && l <= 0)) {
        rc = bad_value(rd, XLV_ERR_INVAL, "vcpu_avail", s, "must be a "
                       "positive bitmask or a cpuset");
        goto out;
    }
    if (!e) {
        rc = xlv__bitmap_alloc(rd->ctx, &set, 8 * sizeof(l));
        if (rc) {
            rc = pass_on(rd, rc);
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
            rc = pass_on(rd, rc);
            goto out;
        }
    }

    last = xlv__bitmap_last(&set);
    if (last >= (int)dom->max_vcpus) {
        rc = bad_value(rd, XLV_ERR_CONFLICT, "vcpu_avail", s, "vcpu '%d' is "
                       "not below the maximum of %u", last, dom->max_vcpus);
        goto out;
    }
    if (!libxl_bitmap_test(&set, 0)) {
        rc = bad_value(rd, XLV_ERR_INVAL, "vcpu_avail", s, "vcpu '0', the "
                       "boot vcpu, must be online");
        goto out;
    }
    n = xlv__bitmap_count(&set);
    if (count && n != count) {
        rc = bad_value(rd, XLV_ERR_CONFLICT, "vcpu_avail", s, "%u vcpus "
                       "online but vcpus is '%u'", n, count);
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
static int read_vcpus(reader *rd, xlv_domain *dom)
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
        return fail(rd, XLV_ERR_CONFLICT, "xl.cfg key 'vnuma': the cells "
                    "hold %u vcpus but maxvcpus is '%ld'", in_cells,
                    maxvcpus);
    if (in_cells > limit)
        return fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vnuma': the cells hold "
                    "%u vcpus, more than the %u a domain of this type can "
                    "have", in_cells, limit);

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
        return fail(rd, XLV_ERR_CONFLICT, "xl.cfg key 'vcpus' value '%ld': "
                    "more than %s '%u'", vcpus,
                    has_max ? "maxvcpus" : "the vcpus of the vnuma cells",
                    max);

    rc = xlv__domain_alloc_vcpus(rd->ctx, dom, max);
    if (rc) return pass_on(rd, rc);
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
 * list gives vCPU i its entry i (PER[i]); "all" is no affinity.
 */
static int read_affinity(reader *rd, xlv_domain *dom, const char *key,
                         libxl_bitmap *dflt, libxl_bitmap *per)
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
        rc = xlv__xl_cpus_parse(rd->ctx, dflt, s, XLV_MAX_PCPUS, what);
        if (rc) return pass_on(rd, rc);
        return 0;
    }

    /* xl silently drops entries past the last vCPU: a mistake worth
     * reporting. */
    if ((unsigned int)n > dom->max_vcpus)
        return fail(rd, XLV_ERR_CONFLICT, "xl.cfg key '%s': %d entries for "
                    "%u vcpus", key, n, dom->max_vcpus);
    for (i = 0; i < n; i++) {
        s = xlu_cfg_get_listitem(list, i);
        if (!s)
            return fail(rd, XLV_ERR_INVAL, "xl.cfg key '%s' entry %d: must "
                        "be a string", key, i);
        rc = check_text(rd, key, i, s);
        if (rc) return rc;
        if (!strcmp(s, "all"))
            continue;
        snprintf(what, sizeof(what), "xl.cfg key '%s' entry %d value '%%s'",
                 key, i);
        rc = xlv__xl_cpus_parse(rd->ctx, &per[i], s, XLV_MAX_PCPUS, what);
        if (rc) return pass_on(rd, rc);
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
static int factor_default(reader *rd, xlv_domain *dom, libxl_bitmap *dflt,
                          libxl_bitmap *per)
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
    if (rc) return pass_on(rd, rc);
    for (i = 0; i < dom->max_vcpus; i++) {
        if (libxl_bitmap_equal(&per[i], dflt, 0))
            libxl_bitmap_dispose(&per[i]);
    }
    return 0;
}

/* cpu_topology = "sockets=S,dies=D,cores=C,threads=T", our own key. */
static int read_topology(reader *rd, xlv_domain *dom)
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
        return bad_value(rd, XLV_ERR_INVAL, "cpu_topology", s, "must be "
                         "'sockets=S,dies=D,cores=C,threads=T', each from 1 "
                         "to 8192");
    if ((uint64_t)dom->sockets * dom->dies * dom->cores * dom->threads !=
        dom->max_vcpus)
        return bad_value(rd, XLV_ERR_CONFLICT, "cpu_topology", s, "gives "
                         "%llu vcpus but the domain has %u",
                         (unsigned long long)dom->sockets * dom->dies *
                         dom->cores * dom->threads, dom->max_vcpus);
    return 0;
}

/* ---- boot ---- */

/* acpi=, apic=, pae=: 0 or 1; libxl turns them on for HVM when not
 * given (libvirt's reader does the same). */
static int read_feature(reader *rd, xlv__feature *f_r, const char *key)
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
static int read_cmdline(reader *rd, xlv_domain *dom)
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
        if (rc) rc = pass_on(rd, rc);
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
    if (rc) rc = pass_on(rd, rc);
 out:
    xlv__strbuf_dispose(&sb);
    return rc;
}

/* bootloader_args: xl's list, or the deprecated string; kept as one
 * string of blank-separated arguments. */
static int read_bootloader_args(reader *rd, xlv_domain *dom)
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
            rc = fail(rd, XLV_ERR_INVAL, "xl.cfg key 'bootloader_args' "
                      "entry %d: must be a string", i);
            goto out;
        }
        rc = check_text(rd, "bootloader_args", i, s);
        if (rc) goto out;
        xlv__strbuf_printf(&sb, "%s%s", i ? " " : "", s);
    }
    if (!n) {
        rc = 0;
        goto out;
    }
    rc = xlv__strbuf_take(rd->ctx, &sb, &dom->bootloader_args);
    if (rc) rc = pass_on(rd, rc);
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

static int read_hvm(reader *rd, xlv_domain *dom)
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
            return bad_value(rd, XLV_ERR_INVAL, "boot", s, "must be one to "
                             "four of a, c, d and n");
        rc = xlv__strdup(rd->ctx, &dom->boot_order, s);
        if (rc) return pass_on(rd, rc);
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
        if (rc) return pass_on(rd, rc);
    }
    return 0;
}

static int read_boot(reader *rd, xlv_domain *dom)
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
        if (rc) return pass_on(rd, rc);
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
        return bad_value(rd, XLV_ERR_UNSUPPORTED, "firmware", s, "not "
                         "supported for %s domains: use kernel=",
                         dom->type == XLV_DOMAIN_TYPE_PV ? "pv" : "pvh");
    return 0;
}

/* ---- lifecycle ---- */

static int read_action(reader *rd, libxl_action_on_shutdown *action_r,
                       bool *has_r, const char *key)
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
        return bad_value(rd, XLV_ERR_UNSUPPORTED, key, s, "domain xml has "
                         "no such action");
    return bad_value(rd, XLV_ERR_INVAL, key, s, "must be destroy, restart, "
                     "rename-restart, preserve, coredump-destroy or "
                     "coredump-restart");
}

/* ---- devices ---- */

/*
 * One vif spec: comma-separated KEY=VALUE, blanks before a key skipped,
 * later keys win, unknown keys (and type=, the backend kind) ignored, as
 * xl does.  A bridge makes it a bridge interface, else ethernet.
 */
static int read_nic(reader *rd, xlv__nic *nic, const char *spec, int index)
{
    char *copy = NULL, *tok, *save = NULL, *eq;
    char **dst;
    int rc;

    copy = strdup(spec);
    if (!copy) {
        rc = pass_on(rd, xlv__nomem(rd->ctx, "a vif spec"));
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
                rc = pass_on(rd, rc);
                goto out;
            }
        }
    }
    if (nic->mac && !xlv__valid_mac(nic->mac)) {
        rc = fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vif' entry %d mac "
                  "'%.*s%s': not a mac address like 00:16:3e:00:00:01",
                  index, VALUE_CLIP, nic->mac, clipped(nic->mac));
        goto out;
    }
    nic->type = nic->bridge ? XLV__NIC_BRIDGE : XLV__NIC_ETHERNET;
    rc = 0;
 out:
    free(copy);
    return rc;
}

static int read_nics(reader *rd, xlv_domain *dom)
{
    XLU_ConfigList *list;
    const char *spec;
    int e, n, i, rc;

    e = xlu_cfg_get_list(rd->cfg, "vif", &list, &n, 1);
    if (e == ESRCH || (!e && !n))
        return 0;
    if (e)
        return fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vif': must be a list");
    dom->nics = calloc((size_t)n, sizeof(*dom->nics));
    if (!dom->nics)
        return pass_on(rd, xlv__nomem(rd->ctx, "the interfaces"));
    dom->n_nics = (unsigned int)n;
    for (i = 0; i < n; i++) {
        spec = xlu_cfg_get_listitem(list, i);
        if (!spec)
            return fail(rd, XLV_ERR_INVAL, "xl.cfg key 'vif' entry %d: must "
                        "be a string", i);
        rc = check_text(rd, "vif", i, spec);
        if (rc) return rc;
        rc = read_nic(rd, &dom->nics[i], spec, i);
        if (rc) return rc;
    }
    return 0;
}

static int fill_disk(reader *rd, xlv__disk *disk,
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
        return bad_value(rd, XLV_ERR_UNSUPPORTED, "disk", spec, "format "
                         "'%s' is not supported",
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
        return bad_value(rd, XLV_ERR_INVAL, "disk", spec, "no target "
                         "device (vdev)");
    /* "target=" is empty, not absent, to libxlutil: only a cdrom may be. */
    if (!d->is_cdrom && (!d->pdev_path || !*d->pdev_path))
        return bad_value(rd, XLV_ERR_INVAL, "disk", spec, "no source "
                         "(target) for a disk that is not a cdrom");
    rc = xlv__strdup(rd->ctx, &disk->driver, driver);
    if (rc) return pass_on(rd, rc);
    rc = xlv__strdup(rd->ctx, &disk->target, d->vdev);
    if (rc) return pass_on(rd, rc);
    if (d->pdev_path && *d->pdev_path) {
        rc = xlv__strdup(rd->ctx, &disk->source, d->pdev_path);
        if (rc) return pass_on(rd, rc);
    }
    disk->cdrom = d->is_cdrom;
    disk->readonly = !d->readwrite;
    disk->source_type = d->backend == LIBXL_DISK_BACKEND_PHY ||
                        (disk->source && !strncmp(disk->source, "/dev/", 5))
                        ? XLV__DISK_BLOCK : XLV__DISK_FILE;
    return 0;
}

/* disk = [ "spec", ... ], each spec read by libxlutil's xlu_disk_parse. */
static int read_disks(reader *rd, xlv_domain *dom)
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
        rc = fail(rd, XLV_ERR_INVAL, "xl.cfg key 'disk': must be a list");
        goto out;
    }
    dom->disks = calloc((size_t)n, sizeof(*dom->disks));
    if (!dom->disks) {
        rc = pass_on(rd, xlv__nomem(rd->ctx, "the disks"));
        goto out;
    }
    dom->n_disks = (unsigned int)n;
    for (i = 0; i < n; i++) {
        spec = xlu_cfg_get_listitem(list, i);
        if (!spec) {
            rc = fail(rd, XLV_ERR_INVAL, "xl.cfg key 'disk' entry %d: must "
                      "be a string", i);
            goto out;
        }
        /* Before libxlutil sees it: see check_text(). */
        rc = check_text(rd, "disk", i, spec);
        if (rc) goto out;
        libxl_device_disk_dispose(&d);
        libxl_device_disk_init(&d);
        report_skip(rd);
        e = xlu_disk_parse(rd->cfg, 1, &spec, &d);
        if (e) {
            rc = report_error(rd, e == ENOMEM ? XLV_ERR_NOMEM
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

/* ---- the whole ---- */

static int read_domain(reader *rd, xlv_domain *dom)
{
    long weight;
    bool has_weight;
    int rc;

    rc = read_identity(rd, dom);
    if (rc) return rc;
    rc = read_vnuma(rd, dom, xlv__domain_type_max_vcpus(dom->type));
    if (rc) return rc;
    rc = read_memory(rd, dom);
    if (rc) return rc;
    rc = read_vcpus(rd, dom);
    if (rc) return rc;
    rc = read_affinity(rd, dom, "cpus", &dom->hard_default, dom->hard);
    if (rc) return rc;
    rc = read_affinity(rd, dom, "cpus_soft", &dom->soft_default, dom->soft);
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
    rc = read_nics(rd, dom);
    if (rc) return rc;
    return read_disks(rd, dom);
}

int xlv_domain_from_xlcfg(xlv_ctx *ctx, xlv_domain **dom_r, const char *cfg,
                          size_t len, const char *name, unsigned int flags)
{
    reader rd = { ctx, name, NULL, NULL, NULL, 0, 0 };
    xlv_domain *dom = NULL;
    const char *nul;
    int r, rc;

    rc = xlv__check_flags(ctx, "from_xlcfg", flags, 0);
    if (rc) goto out;
    if (len > XLV_MAX_DOCUMENT_BYTES) {
        rc = fail(&rd, XLV_ERR_INVAL, "xl.cfg text of %zu bytes is more "
                  "than the limit of %u", len, XLV_MAX_DOCUMENT_BYTES);
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
        rc = fail(&rd, XLV_ERR_CONFIG, "xl.cfg text holds a NUL byte at "
                  "offset %zu", (size_t)(nul - cfg));
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
        rc = report_error(&rd, r == ENOMEM ? XLV_ERR_NOMEM : XLV_ERR_CONFIG,
                          "cannot parse xl.cfg", r);
        goto out;
    }

    rc = xlv__domain_new(ctx, &dom);
    if (rc) goto out;
    rc = read_domain(&rd, dom);
    if (rc) goto out;
    rc = xlv__domain_check(ctx, dom);
    if (rc) {
        rc = pass_on(&rd, rc);
        goto out;
    }
    rc = xlv__domain_format(ctx, dom);
    if (rc) {
        rc = pass_on(&rd, rc);
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
