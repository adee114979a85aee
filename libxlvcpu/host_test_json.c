/*
 * The test host's state file: JSON read with yajl's tree parser, with
 * bounds on every size and depth so that no file can exhaust memory or
 * the stack, and written with yajl's generator.  See host_test.h.
 *
 * This is the one file of the library that uses yajl.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl_gen.h>
#include <yajl_tree.h>

#include "cpuset.h"
#include "host_test.h"

/* Bounds on what a state file may hold. */
#define MAX_DEPTH 16                /* the format itself needs 5 */
#define MAX_NODES 1024

/* Where a state file is read from, for messages. */
typedef struct {
    xlv_ctx *ctx;
    const char *path;
} reader;

static int cmp_domid(const void *a, const void *b)
{
    const xlv__test_domain *x = a, *y = b;

    return x->domid < y->domid ? -1 : x->domid > y->domid;
}

/*---- reading the state file ----*/

static int corrupt(const reader *rd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int corrupt(const reader *rd, const char *fmt, ...)
{
    char reason[XLV_ERRMSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    return xlv__error(rd->ctx, XLV_ERR_INVAL,
                      "test host '%.200s': corrupt state: %s", rd->path,
                      reason);
}

/*
 * yajl builds its tree without recursion but frees it recursively: refuse
 * deep nesting before parsing, so no file can exhaust the stack.  Refuse
 * \u0000 in strings too: yajl's tree keeps C strings, which would end
 * there, and "a\u0000b" would silently read as "a".
 */
static int check_depth(const reader *rd, const char *buf)
{
    unsigned int depth = 0;
    bool in_string = false;
    const char *p;

    for (p = buf; *p; p++) {
        if (in_string) {
            if (*p == '\\' && p[1] == 'u' && !strncmp(p + 2, "0000", 4))
                return corrupt(rd, "a string holds '\\u0000', a nul "
                               "character");
            if (*p == '\\' && p[1])
                p++;
            else if (*p == '"')
                in_string = false;
        } else if (*p == '"') {
            in_string = true;
        } else if (*p == '[' || *p == '{') {
            if (++depth > MAX_DEPTH)
                return corrupt(rd, "nested deeper than %u levels",
                               MAX_DEPTH);
        } else if ((*p == ']' || *p == '}') && depth) {
            depth--;
        }
    }
    return 0;
}

static yajl_val member(yajl_val obj, const char *key)
{
    size_t i;

    for (i = 0; i < obj->u.object.len; i++) {
        if (!strcmp(obj->u.object.keys[i], key))
            return obj->u.object.values[i];
    }
    return NULL;
}

/* OBJ (named AT) holds only keys of KNOWN (NULL-terminated), once each. */
static int check_keys(const reader *rd, yajl_val obj, const char *at,
                      const char *const *known)
{
    size_t i, j;

    for (i = 0; i < obj->u.object.len; i++) {
        const char *key = obj->u.object.keys[i];

        for (j = 0; known[j] && strcmp(known[j], key); j++)
            ;
        if (!known[j])
            return corrupt(rd, "%s: unknown key '%.40s'", at, key);
        for (j = 0; j < i; j++) {
            if (!strcmp(obj->u.object.keys[j], key))
                return corrupt(rd, "%s: key '%s' appears twice", at, key);
        }
    }
    return 0;
}

/* What joins AT and a key in a message: top-level keys stand alone. */
static const char *sep(const char *at)
{
    return *at ? "." : "";
}

static int get_integer(const reader *rd, yajl_val v, const char *at,
                       const char *key, long long min, long long max,
                       long long *val_r)
{
    if (!YAJL_IS_NUMBER(v))
        return corrupt(rd, "%s%s%s is not a number", at, sep(at), key);
    if (!YAJL_IS_INTEGER(v))
        return corrupt(rd, "%s%s%s '%.40s' is not an integer", at,
                       sep(at), key, v->u.number.r);
    if (YAJL_GET_INTEGER(v) < min || YAJL_GET_INTEGER(v) > max)
        return corrupt(rd, "%s%s%s '%lld' is not between %lld and %lld",
                       at, sep(at), key, YAJL_GET_INTEGER(v), min, max);
    *val_r = YAJL_GET_INTEGER(v);
    return 0;
}

static int get_string(const reader *rd, yajl_val v, const char *at,
                      const char *key, const char **val_r)
{
    if (!YAJL_IS_STRING(v))
        return corrupt(rd, "%s%s%s is not a string", at, sep(at), key);
    *val_r = YAJL_GET_STRING(v);
    return 0;
}

/*
 * Read the cpuset V ("all" or libvirt syntax, ids below PCPUS) into BM.
 * EMPTY_OK lets "" through, for NUMA nodes with memory only.
 */
static int get_cpuset(const reader *rd, yajl_val v, const char *at,
                      const char *key, unsigned int pcpus, bool empty_ok,
                      libxl_bitmap *bm)
{
    char why[XLV_ERRMSG_MAX];
    const char *s = NULL;
    int rc;

    rc = get_string(rd, v, at, key, &s);
    if (rc) return rc;
    if (!strcmp(s, "all") || (empty_ok && !*s))
        return xlv__test_bitmap_range(rd->ctx, bm, pcpus, !*s ? pcpus : 0,
                                      pcpus - 1);
    rc = xlv__cpuset_parse(rd->ctx, bm, s, pcpus, "'%s'");
    if (rc == XLV_ERR_INVAL) {
        snprintf(why, sizeof(why), "%s", xlv_ctx_error(rd->ctx));
        return corrupt(rd, "%s%s%s: %s", at, sep(at), key, why);
    }
    return rc;
}

static int parse_vcpu(const reader *rd, yajl_val v, const char *at,
                      unsigned int pcpus, xlv__test_vcpu *vc)
{
    static const char *const keys[] = {
        "online", "hard", "soft", "time_ns", "cpu", NULL
    };
    long long n = 0;
    yajl_val m;
    int rc;

    if (!YAJL_IS_OBJECT(v))
        return corrupt(rd, "%s is not an object", at);
    rc = check_keys(rd, v, at, keys);
    if (rc) return rc;

    m = member(v, "online");
    if (!YAJL_IS_TRUE(m) && !YAJL_IS_FALSE(m))
        return corrupt(rd, "%s.online is %s", at,
                       m ? "not true or false" : "missing");
    vc->online = YAJL_IS_TRUE(m);
    m = member(v, "hard");
    if (m) {
        rc = get_cpuset(rd, m, at, "hard", pcpus, false, &vc->hard);
        if (rc) return rc;
    }
    m = member(v, "soft");
    if (m) {
        rc = get_cpuset(rd, m, at, "soft", pcpus, false, &vc->soft);
        if (rc) return rc;
    }
    m = member(v, "time_ns");
    if (m) {
        rc = get_integer(rd, m, at, "time_ns", 0, XLV__TEST_MAX_TIME_NS, &n);
        if (rc) return rc;
        vc->time_ns = (uint64_t)n;
    }
    /* Where it runs follows from its affinity: only checked. */
    m = member(v, "cpu");
    if (m) {
        rc = get_integer(rd, m, at, "cpu", -1, (long long)pcpus - 1, &n);
        if (rc) return rc;
    }
    return 0;
}

/* AT.name, M (present), into D->name. */
static int parse_domain_name(const reader *rd, yajl_val m, const char *at,
                             xlv__test_domain *d)
{
    const char *s = NULL, *why;
    int rc;

    rc = get_string(rd, m, at, "name", &s);
    if (rc) return rc;
    why = xlv__test_name_problem(s);
    if (why)
        return corrupt(rd, "%s.name '%.40s' %s", at, s, why);
    d->name = strdup(s);
    if (!d->name)
        return xlv__nomem(rd->ctx, "a domain name");
    return 0;
}

/* AT.type, M (NULL: pv), into D->type. */
static int parse_domain_type(const reader *rd, yajl_val m, const char *at,
                             xlv__test_domain *d)
{
    const char *s = NULL;
    int rc;

    d->type = XLV_DOMAIN_TYPE_PV;
    if (!m)
        return 0;
    rc = get_string(rd, m, at, "type", &s);
    if (rc) return rc;
    if (!strcmp(s, "pvh"))
        d->type = XLV_DOMAIN_TYPE_PVH;
    else if (!strcmp(s, "hvm"))
        d->type = XLV_DOMAIN_TYPE_HVM;
    else if (strcmp(s, "pv"))
        return corrupt(rd, "%s.type '%.40s' is not pv, pvh or hvm", at, s);
    return 0;
}

/* AT.vcpus, M (NULL: none given), into D's vCPUs, which are allocated. */
static int parse_domain_vcpus(const reader *rd, yajl_val m, const char *at,
                              unsigned int pcpus, xlv__test_domain *d)
{
    char vat[48];
    unsigned int i;
    int rc;

    /* Without a list, the domain runs as libxl boots it: vCPU 0 only. */
    if (!m) {
        d->vcpus[0].online = true;
        return 0;
    }
    if (!YAJL_IS_ARRAY(m))
        return corrupt(rd, "%s.vcpus is not an array", at);
    if (m->u.array.len > d->max_vcpus)
        return corrupt(rd, "%s.vcpus has %zu entries for max_vcpus %u", at,
                       m->u.array.len, d->max_vcpus);
    for (i = 0; i < m->u.array.len; i++) {
        snprintf(vat, sizeof(vat), "%s.vcpus[%u]", at, i);
        rc = parse_vcpu(rd, m->u.array.values[i], vat, pcpus, &d->vcpus[i]);
        if (rc) return rc;
    }
    return 0;
}

static int parse_domain(const reader *rd, yajl_val v, unsigned int idx,
                        unsigned int pcpus, xlv__test_domain *d)
{
    static const char *const keys[] = {
        "domid", "name", "type", "max_vcpus", "memory_kib", "vcpus", NULL
    };
    char at[32];
    long long n = 0;
    yajl_val m;
    int rc;

    snprintf(at, sizeof(at), "domains[%u]", idx);
    if (!YAJL_IS_OBJECT(v))
        return corrupt(rd, "%s is not an object", at);
    rc = check_keys(rd, v, at, keys);
    if (rc) return rc;

    m = member(v, "domid");
    if (!m)
        return corrupt(rd, "%s.domid is missing", at);
    rc = get_integer(rd, m, at, "domid", 0, XLV__TEST_MAX_DOMID, &n);
    if (rc) return rc;
    d->domid = (uint32_t)n;

    m = member(v, "name");
    if (!m)
        return corrupt(rd, "%s.name is missing", at);
    rc = parse_domain_name(rd, m, at, d);
    if (rc) return rc;
    rc = parse_domain_type(rd, member(v, "type"), at, d);
    if (rc) return rc;

    m = member(v, "memory_kib");
    if (m) {
        rc = get_integer(rd, m, at, "memory_kib", 0,
                         (long long)XLV__TEST_MAX_MEMORY_KIB, &n);
        if (rc) return rc;
        d->memory_kib = (uint64_t)n;
    }

    m = member(v, "max_vcpus");
    if (!m)
        return corrupt(rd, "%s.max_vcpus is missing", at);
    rc = get_integer(rd, m, at, "max_vcpus", 1, XLV_MAX_VCPUS_PV, &n);
    if (rc) return rc;
    rc = xlv__test_domain_alloc_vcpus(rd->ctx, d, (unsigned int)n, pcpus);
    if (rc) return rc;
    return parse_domain_vcpus(rd, member(v, "vcpus"), at, pcpus, d);
}

static int parse_numa(const reader *rd, yajl_val v, xlv__test_state *st)
{
    libxl_bitmap seen;
    char at[32];
    unsigned int i, j;
    int rc;

    libxl_bitmap_init(&seen);
    if (!YAJL_IS_ARRAY(v) || !v->u.array.len ||
        v->u.array.len > MAX_NODES) {
        rc = corrupt(rd, "numa is not an array of 1 to %u cpusets",
                     MAX_NODES);
        goto out;
    }
    st->nodes = calloc(v->u.array.len, sizeof(*st->nodes));
    if (!st->nodes) {
        rc = xlv__nomem(rd->ctx, "the numa nodes of the test host");
        goto out;
    }
    rc = xlv__bitmap_alloc(rd->ctx, &seen, st->pcpus);
    if (rc) goto out;
    for (i = 0; i < v->u.array.len; i++) {
        libxl_bitmap *node = &st->nodes[i];

        libxl_bitmap_init(node);
        st->n_nodes = i + 1;
        snprintf(at, sizeof(at), "numa[%u]", i);
        rc = get_cpuset(rd, v->u.array.values[i], "", at, st->pcpus, true,
                        node);
        if (rc) goto out;
        for (j = 0; j < st->pcpus; j++) {
            if (!libxl_bitmap_test(node, j))
                continue;
            if (libxl_bitmap_test(&seen, j)) {
                rc = corrupt(rd, "numa: pcpu %u is in two nodes", j);
                goto out;
            }
            libxl_bitmap_set(&seen, (int)j);
        }
    }
    rc = 0;
 out:
    libxl_bitmap_dispose(&seen);
    return rc;
}

static int parse_domains(const reader *rd, yajl_val v, xlv__test_state *st)
{
    unsigned int i;
    int rc;

    if (!YAJL_IS_ARRAY(v) || v->u.array.len > XLV__TEST_MAX_DOMID + 1)
        return corrupt(rd, "domains is not an array of at most %u domains",
                       XLV__TEST_MAX_DOMID + 1);
    if (!v->u.array.len)
        return 0;
    st->doms = calloc(v->u.array.len, sizeof(*st->doms));
    if (!st->doms)
        return xlv__nomem(rd->ctx, "the domains of the test host");
    for (i = 0; i < v->u.array.len; i++) {
        st->n_doms = i + 1;
        rc = parse_domain(rd, v->u.array.values[i], i, st->pcpus,
                          &st->doms[i]);
        if (rc) return rc;
    }

    qsort(st->doms, st->n_doms, sizeof(*st->doms), cmp_domid);
    for (i = 1; i < st->n_doms; i++) {
        if (st->doms[i].domid == st->doms[i - 1].domid)
            return corrupt(rd, "domid %u is used twice", st->doms[i].domid);
    }
    for (i = 0; i < st->n_doms; i++) {
        if (xlv__test_find_name(st, st->doms[i].name) != &st->doms[i])
            return corrupt(rd, "domain name '%.40s' is used twice",
                           st->doms[i].name);
    }
    return 0;
}

/*
 * The LEN bytes of BUF (NUL-terminated) as a JSON object with only KEYS
 * at its top level, into *ROOT_R (yajl_tree_free() it).
 */
static int parse_document(const reader *rd, yajl_val *root_r,
                          const char *buf, size_t len,
                          const char *const *keys)
{
    yajl_val root = NULL;
    char err[256];
    int rc;

    if (!len) {
        rc = corrupt(rd, "the file is empty");
        goto out;
    }
    if (strlen(buf) != len) {
        rc = corrupt(rd, "the file holds a nul byte");
        goto out;
    }
    rc = check_depth(rd, buf);
    if (rc) goto out;
    err[0] = '\0';
    root = yajl_tree_parse(buf, err, sizeof(err));
    if (!root) {
        /* yajl adds the text around the error on more lines. */
        err[strcspn(err, "\n")] = '\0';
        rc = corrupt(rd, "%s", err[0] ? err : "not json");
        goto out;
    }
    if (!YAJL_IS_OBJECT(root)) {
        rc = corrupt(rd, "the top level is not an object");
        goto out;
    }
    rc = check_keys(rd, root, "the top level", keys);
    if (rc) goto out;
    *root_r = root;
    root = NULL;
 out:
    yajl_tree_free(root);
    return rc;
}

/* virt_caps, V (NULL: a host with VT-x or AMD-V), into ST->caps. */
static int parse_virt_caps(const reader *rd, yajl_val v, xlv__test_state *st)
{
    const char *s = NULL, *bad;
    size_t bad_len = 0;
    int rc;

    /* As "xl info" words it. */
    st->caps = XLV__CAPS_ALL;
    if (!v)
        return 0;
    rc = get_string(rd, v, "", "virt_caps", &s);
    if (rc) return rc;
    bad = xlv__caps_parse(s, &st->caps, &bad_len);
    if (bad)
        return corrupt(rd, "virt_caps: '%.*s' is not one of pv, hvm, hap "
                       "and shadow", (int)(bad_len > 40 ? 40 : bad_len),
                       bad);
    return 0;
}

/* Parse the LEN bytes of BUF (NUL-terminated) into the empty ST. */
static int parse_state(const reader *rd, xlv__test_state *st, const char *buf,
                       size_t len)
{
    static const char *const keys[] = {
        "pcpus", "virt_caps", "numa", "next_domid", "domains", NULL
    };
    yajl_val root = NULL, v;
    long long n = 0;
    int rc;

    rc = parse_document(rd, &root, buf, len, keys);
    if (rc) goto out;

    st->pcpus = XLV__TEST_DEFAULT_PCPUS;
    v = member(root, "pcpus");
    if (v) {
        rc = get_integer(rd, v, "", "pcpus", 1, XLV_MAX_PCPUS, &n);
        if (rc) goto out;
        st->pcpus = (unsigned int)n;
    }

    rc = parse_virt_caps(rd, member(root, "virt_caps"), st);
    if (rc) goto out;

    v = member(root, "numa");
    if (v)
        rc = parse_numa(rd, v, st);
    else
        rc = xlv__test_default_numa(rd->ctx, st);
    if (rc) goto out;

    v = member(root, "domains");
    if (v)
        rc = parse_domains(rd, v, st);
    else
        rc = xlv__test_default_dom0(rd->ctx, st);
    if (rc) goto out;

    v = member(root, "next_domid");
    if (v) {
        rc = get_integer(rd, v, "", "next_domid", 1, XLV__TEST_MAX_DOMID, &n);
        if (rc) goto out;
        st->next_domid = (uint32_t)n;
    } else {
        st->next_domid = 1;
        if (st->n_doms && st->doms[st->n_doms - 1].domid < XLV__TEST_MAX_DOMID)
            st->next_domid = st->doms[st->n_doms - 1].domid + 1;
    }
    rc = 0;
 out:
    yajl_tree_free(root);
    return rc;
}

int xlv__test_state_parse(xlv_ctx *ctx, xlv__test_state *st, const char *path,
                          const char *buf, size_t len)
{
    reader rd = { ctx, path };

    return parse_state(&rd, st, buf, len);
}

/*---- writing the state file ----*/

typedef struct {
    yajl_gen g;
    yajl_gen_status status;     /* the first failure */
    bool nomem;
} writer;

static void w_string(writer *w, const char *s)
{
    if (w->status == yajl_gen_status_ok && !w->nomem)
        w->status = yajl_gen_string(w->g, (const unsigned char *)s,
                                    strlen(s));
}

static void w_integer(writer *w, long long n)
{
    if (w->status == yajl_gen_status_ok && !w->nomem)
        w->status = yajl_gen_integer(w->g, n);
}

static void w_bool(writer *w, bool b)
{
    if (w->status == yajl_gen_status_ok && !w->nomem)
        w->status = yajl_gen_bool(w->g, b);
}

/* Open (OPEN true) or close a map (MAP true) or an array. */
static void w_nest(writer *w, bool map, bool open)
{
    if (w->status != yajl_gen_status_ok || w->nomem)
        return;
    if (map)
        w->status = open ? yajl_gen_map_open(w->g)
                         : yajl_gen_map_close(w->g);
    else
        w->status = open ? yajl_gen_array_open(w->g)
                         : yajl_gen_array_close(w->g);
}

/* A cpuset as the file holds it: "all" for every pCPU. */
static void w_cpuset(writer *w, const libxl_bitmap *bm, unsigned int pcpus,
                     bool all_ok)
{
    char *s;

    if (all_ok && xlv__bitmap_is_first_n(bm, pcpus)) {
        w_string(w, "all");
        return;
    }
    s = xlv__cpuset_format(bm);
    if (!s) {
        w->nomem = true;
        return;
    }
    w_string(w, s);
    free(s);
}

static void w_domain(writer *w, const xlv__test_domain *d, unsigned int pcpus)
{
    unsigned int i;

    w_nest(w, true, true);
    w_string(w, "domid");
    w_integer(w, d->domid);
    w_string(w, "name");
    w_string(w, d->name);
    w_string(w, "type");
    w_string(w, xlv__domain_type_name(d->type));
    w_string(w, "max_vcpus");
    w_integer(w, d->max_vcpus);
    w_string(w, "memory_kib");
    w_integer(w, (long long)d->memory_kib);
    w_string(w, "vcpus");
    w_nest(w, false, true);
    for (i = 0; i < d->max_vcpus; i++) {
        const xlv__test_vcpu *v = &d->vcpus[i];

        w_nest(w, true, true);
        w_string(w, "online");
        w_bool(w, v->online);
        w_string(w, "hard");
        w_cpuset(w, &v->hard, pcpus, true);
        w_string(w, "soft");
        w_cpuset(w, &v->soft, pcpus, true);
        w_string(w, "time_ns");
        w_integer(w, (long long)v->time_ns);
        w_string(w, "cpu");
        w_integer(w, xlv__test_vcpu_cpu(v));
        w_nest(w, true, false);
    }
    w_nest(w, false, false);
    w_nest(w, true, false);
}

static void w_state(writer *w, const xlv__test_state *st)
{
    unsigned int i;

    w_nest(w, true, true);
    w_string(w, "pcpus");
    w_integer(w, st->pcpus);
    if (st->caps != XLV__CAPS_ALL) {
        char caps[XLV__CAPS_TEXT_MAX];

        xlv__caps_format(caps, st->caps);
        w_string(w, "virt_caps");
        w_string(w, caps);
    }
    w_string(w, "numa");
    w_nest(w, false, true);
    for (i = 0; i < st->n_nodes; i++)
        w_cpuset(w, &st->nodes[i], st->pcpus, false);
    w_nest(w, false, false);
    w_string(w, "next_domid");
    w_integer(w, st->next_domid);
    w_string(w, "domains");
    w_nest(w, false, true);
    for (i = 0; i < st->n_doms; i++)
        w_domain(w, &st->doms[i], st->pcpus);
    w_nest(w, false, false);
    w_nest(w, true, false);
}

/* See host_test.h. */
int xlv__test_state_encode(xlv_ctx *ctx, char **buf_r, size_t *len_r,
                           const char *path, const xlv__test_state *st)
{
    writer w = { NULL, yajl_gen_status_ok, false };
    const unsigned char *buf;
    size_t len;
    char *copy;
    int rc;

    w.g = yajl_gen_alloc(NULL);
    if (!w.g) {
        rc = xlv__nomem(ctx, "the test host state");
        goto out;
    }
    yajl_gen_config(w.g, yajl_gen_beautify, 1);
    yajl_gen_config(w.g, yajl_gen_indent_string, "  ");
    yajl_gen_config(w.g, yajl_gen_validate_utf8, 1);

    w_state(&w, st);
    if (w.nomem) {
        rc = xlv__nomem(ctx, "the test host state");
        goto out;
    }
    /* Only domain names are free text: the others are ours, in ASCII. */
    if (w.status == yajl_gen_invalid_string) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "test host '%.200s': a domain "
                        "name is not valid utf-8", path);
        goto out;
    }
    if (w.status != yajl_gen_status_ok) {
        rc = xlv__error(ctx, XLV_ERR_IO, "test host '%.200s': cannot encode "
                        "the state (yajl status %d)", path, (int)w.status);
        goto out;
    }
    yajl_gen_get_buf(w.g, &buf, &len);
    copy = malloc(len + 1);
    if (!copy) {
        rc = xlv__nomem(ctx, "the test host state");
        goto out;
    }
    memcpy(copy, buf, len);
    copy[len] = '\0';
    *buf_r = copy;
    *len_r = len;
    rc = 0;
 out:
    if (w.g)
        yajl_gen_free(w.g);
    return rc;
}

/* For the fuzzer (tests/fuzz/xlv__test_state.c): see host.h. */
int xlv__test_host_parse(xlv_ctx *ctx, char **json_r, const char *buf,
                         size_t len)
{
    reader rd = { ctx, "(buffer)" };
    xlv__test_state st;
    char *copy = NULL, *json = NULL;
    size_t json_len;
    int rc;

    xlv__test_state_init(&st);
    /* parse_state() wants the NUL a file read adds. */
    copy = malloc(len + 1);
    if (!copy) {
        rc = xlv__nomem(ctx, "the test host state");
        goto out;
    }
    if (len)
        memcpy(copy, buf, len);
    copy[len] = '\0';
    rc = parse_state(&rd, &st, copy, len);
    if (rc) goto out;
    if (json_r) {
        rc = xlv__test_state_encode(ctx, &json, &json_len, rd.path, &st);
        if (rc) goto out;
        *json_r = json;
        json = NULL;
    }
    rc = 0;
 out:
    free(json);
    free(copy);
    xlv__test_state_dispose(&st);
    return rc;
}
