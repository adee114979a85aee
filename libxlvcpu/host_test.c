/*
 * The test:///PATH host: a simulated Xen host whose whole state (physical
 * CPUs, NUMA nodes, running domains, their vCPUs, online maps and
 * affinities) is the JSON file PATH, in the spirit of libvirt's
 * test:///default driver.  A missing file is the default host: 8 pCPUs in
 * 2 NUMA nodes and Domain-0 with 2 vCPUs.
 *
 * Every call takes an exclusive flock on PATH.lock, reads the file, and
 * when it changes something writes it back atomically (temporary file,
 * fsync, rename, fsync of the directory) before letting go of the lock,
 * so that concurrent processes lose no update and never see half a file.
 *
 * The calls refuse what libxl and Xen refuse, with the same error codes
 * the xen host gives.  Parameters of the URI, test:///PATH?KEY=VALUE&...:
 * fail=call:N[,call:N...] makes the Nth call of an operation on this host
 * object fail as libxl would, and change nothing, so that tests can prove
 * rollback; trace=FILE appends a line "CALL N" (with " failed" when it
 * was made to fail) to FILE for each call, so that they know which calls
 * a command makes.
 *
 * This is the one file of the library that uses yajl.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yajl_gen.h>
#include <yajl_tree.h>

#include "cpuset.h"
#include "host.h"

/* Bounds on what a state file may hold. */
#define MAX_STATE_BYTES (32u * 1024 * 1024)
#define MAX_DEPTH 16                /* the format itself needs 5 */
#define MAX_NODES 1024
#define MAX_DOMID 32751             /* DOMID_FIRST_RESERVED - 1 */
#define MAX_NAME_BYTES 256
#define MAX_MEMORY_KIB (1ull << 40) /* 1 PiB */
#define MAX_TIME_NS INT64_MAX

/* The default host. */
#define DEFAULT_PCPUS 8
#define DOM0_VCPUS 2
#define DOM0_MEMORY_KIB (1024ull * 1024)

/* libxl's defaults for a domain built without a memory size. */
#define LIBXL_DEFAULT_MAX_MEMKB (32ull * 1024)

/* How much CPU time an online vCPU gets between two listings. */
#define TIME_STEP_NS 1000000

#define MAX_INJECTIONS 32

enum {
    OP_SET_VCPUONLINE,
    OP_SET_VCPUAFFINITY,
    OP_CREATE,
    OP_DESTROY,
    OP_LIST_VCPUS,
    OP_DOMAIN_INFO,
    OP_LIST_DOMAINS,
    OP_PHYSINFO,
    N_OPS
};

/* The names fail= knows the operations by. */
static const char *const op_names[N_OPS] = {
    [OP_SET_VCPUONLINE] = "set_vcpuonline",
    [OP_SET_VCPUAFFINITY] = "set_vcpuaffinity",
    [OP_CREATE] = "create",
    [OP_DESTROY] = "destroy",
    [OP_LIST_VCPUS] = "list_vcpus",
    [OP_DOMAIN_INFO] = "domain_info",
    [OP_LIST_DOMAINS] = "list_domains",
    [OP_PHYSINFO] = "physinfo",
};

typedef struct {
    xlv__host host;             /* first: the generic code casts */
    char *path;                 /* the state file */
    char *lock_path;            /* PATH.lock */
    char *tmp_path;             /* PATH.tmp, written under the lock */
    char *dir;                  /* PATH's directory, fsynced after rename */
    char *trace_path;           /* trace=, or NULL */
    unsigned int calls[N_OPS];  /* calls made so far, per operation */
    unsigned int n_inject;
    struct {
        int op;
        unsigned int nth;
    } inject[MAX_INJECTIONS];
} test_host;

/* The state, as read from the file. */
typedef struct {
    bool online;
    uint64_t time_ns;
    libxl_bitmap hard, soft;    /* pcpus bits, never empty */
} vcpu_state;

typedef struct {
    uint32_t domid;
    char *name;
    xlv_domain_type type;
    unsigned int max_vcpus;
    uint64_t memory_kib;
    vcpu_state *vcpus;          /* max_vcpus of them */
} dom_state;

typedef struct {
    unsigned int pcpus;
    unsigned int caps;          /* XLV__CAP_*: what it can run */
    unsigned int n_nodes;
    libxl_bitmap *nodes;        /* pcpus bits each */
    uint32_t next_domid;
    unsigned int n_doms;
    dom_state *doms;            /* ordered by domid */
} host_state;

/* Where a state file is read from, for messages. */
typedef struct {
    xlv_ctx *ctx;
    const char *path;
} reader;

/*---- state in memory ----*/

static void state_init(host_state *st)
{
    memset(st, 0, sizeof(*st));
}

static void dom_dispose(dom_state *d)
{
    unsigned int i;

    if (d->vcpus) {
        for (i = 0; i < d->max_vcpus; i++) {
            libxl_bitmap_dispose(&d->vcpus[i].hard);
            libxl_bitmap_dispose(&d->vcpus[i].soft);
        }
    }
    free(d->vcpus);
    free(d->name);
    memset(d, 0, sizeof(*d));
}

static void state_dispose(host_state *st)
{
    unsigned int i;

    for (i = 0; i < st->n_nodes; i++)
        libxl_bitmap_dispose(&st->nodes[i]);
    free(st->nodes);
    for (i = 0; i < st->n_doms; i++)
        dom_dispose(&st->doms[i]);
    free(st->doms);
    state_init(st);
}

/* Make BM the set of pCPUs FIRST..LAST in a map of PCPUS bits. */
static int bitmap_range(xlv_ctx *ctx, libxl_bitmap *bm, unsigned int pcpus,
                        unsigned int first, unsigned int last)
{
    unsigned int i;
    int rc;

    rc = xlv__bitmap_alloc(ctx, bm, pcpus);
    if (rc) return rc;
    for (i = first; i <= last && i < pcpus; i++)
        libxl_bitmap_set(bm, (int)i);
    return 0;
}

/* The lowest set bit of BM, or -1. */
static int bitmap_first(const libxl_bitmap *bm)
{
    unsigned int i, n = xlv__bitmap_nbits(bm);

    for (i = 0; i < n; i++) {
        if (!bm->map[i / 8]) {
            i += 7;
            continue;
        }
        if (xlv__bitmap_test(bm, i))
            return (int)i;
    }
    return -1;
}

/*
 * The pCPU a vCPU is shown on: the first of its effective affinity, which
 * is hard and soft together when they meet, else hard (as Xen schedules).
 */
static int vcpu_cpu(const vcpu_state *v)
{
    uint32_t i, n = v->hard.size < v->soft.size ? v->hard.size
                                                : v->soft.size;

    if (!v->online)
        return -1;
    for (i = 0; i < n; i++) {
        uint8_t both = v->hard.map[i] & v->soft.map[i];

        if (both)
            return (int)(i * 8 + (unsigned int)__builtin_ctz(both));
    }
    return bitmap_first(&v->hard);
}

/*
 * Give D MAX vCPUs, offline, with affinity "all", no time used.
 * D->vcpus must be NULL.
 */
static int dom_alloc_vcpus(xlv_ctx *ctx, dom_state *d, unsigned int max,
                           unsigned int pcpus)
{
    unsigned int i;
    int rc;

    d->vcpus = calloc(max, sizeof(*d->vcpus));
    if (!d->vcpus)
        return xlv__nomem(ctx, "the vcpus of a test host domain");
    d->max_vcpus = max;
    for (i = 0; i < max; i++) {
        libxl_bitmap_init(&d->vcpus[i].hard);
        libxl_bitmap_init(&d->vcpus[i].soft);
        rc = bitmap_range(ctx, &d->vcpus[i].hard, pcpus, 0, pcpus - 1);
        if (rc) return rc;
        rc = bitmap_range(ctx, &d->vcpus[i].soft, pcpus, 0, pcpus - 1);
        if (rc) return rc;
    }
    return 0;
}

/* Two nodes, each with half the pCPUs; one when there is a single pCPU. */
static int default_numa(xlv_ctx *ctx, host_state *st)
{
    unsigned int n = st->pcpus >= 2 ? 2 : 1, i, per = st->pcpus / n;
    int rc;

    st->nodes = calloc(n, sizeof(*st->nodes));
    if (!st->nodes)
        return xlv__nomem(ctx, "the numa nodes of the test host");
    st->n_nodes = n;
    for (i = 0; i < n; i++) {
        libxl_bitmap_init(&st->nodes[i]);
        rc = bitmap_range(ctx, &st->nodes[i], st->pcpus, i * per,
                          i == n - 1 ? st->pcpus - 1 : (i + 1) * per - 1);
        if (rc) return rc;
    }
    return 0;
}

/* Domain-0 of the default host, into the empty ST->doms. */
static int default_dom0(xlv_ctx *ctx, host_state *st)
{
    dom_state *d;
    unsigned int i;
    int rc;

    st->doms = calloc(1, sizeof(*st->doms));
    if (!st->doms)
        return xlv__nomem(ctx, "the domains of the test host");
    st->n_doms = 1;
    d = &st->doms[0];
    d->domid = 0;
    d->type = XLV_DOMAIN_TYPE_PV;
    d->memory_kib = DOM0_MEMORY_KIB;
    d->name = strdup("Domain-0");
    if (!d->name)
        return xlv__nomem(ctx, "a domain name");
    rc = dom_alloc_vcpus(ctx, d, DOM0_VCPUS, st->pcpus);
    if (rc) return rc;
    for (i = 0; i < DOM0_VCPUS; i++)
        d->vcpus[i].online = true;
    return 0;
}

static int state_default(xlv_ctx *ctx, host_state *st)
{
    int rc;

    st->pcpus = DEFAULT_PCPUS;
    st->caps = XLV__CAPS_ALL;
    st->next_domid = 1;
    rc = default_numa(ctx, st);
    if (rc) return rc;
    return default_dom0(ctx, st);
}

static dom_state *find_domid(host_state *st, uint32_t domid)
{
    unsigned int i;

    for (i = 0; i < st->n_doms; i++) {
        if (st->doms[i].domid == domid)
            return &st->doms[i];
    }
    return NULL;
}

static dom_state *find_name(host_state *st, const char *name)
{
    unsigned int i;

    for (i = 0; i < st->n_doms; i++) {
        if (!strcmp(st->doms[i].name, name))
            return &st->doms[i];
    }
    return NULL;
}

static int cmp_domid(const void *a, const void *b)
{
    const dom_state *x = a, *y = b;

    return x->domid < y->domid ? -1 : x->domid > y->domid;
}

/*
 * Why NAME cannot name a domain here, or NULL.  An all-digit name would
 * read as a domid; control characters would break listings.
 */
static const char *name_problem(const char *name)
{
    size_t bad;

    if (!*name)
        return "is empty";
    if (strlen(name) > MAX_NAME_BYTES)
        return "is too long";
    if (xlv__all_digits(name))
        return "is a number";
    if (!xlv__utf8_valid(name, strlen(name), &bad))
        return "is not valid utf-8";
    if (xlv__text_problem(name))
        return "holds a control character";
    return NULL;
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
        return bitmap_range(rd->ctx, bm, pcpus, !*s ? pcpus : 0, pcpus - 1);
    rc = xlv__cpuset_parse(rd->ctx, bm, s, pcpus, "'%s'");
    if (rc == XLV_ERR_INVAL) {
        snprintf(why, sizeof(why), "%s", xlv_ctx_error(rd->ctx));
        return corrupt(rd, "%s%s%s: %s", at, sep(at), key, why);
    }
    return rc;
}

static int parse_vcpu(const reader *rd, yajl_val v, const char *at,
                      unsigned int pcpus, vcpu_state *vc)
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
        rc = get_integer(rd, m, at, "time_ns", 0, MAX_TIME_NS, &n);
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

static int parse_domain(const reader *rd, yajl_val v, unsigned int idx,
                        unsigned int pcpus, dom_state *d)
{
    static const char *const keys[] = {
        "domid", "name", "type", "max_vcpus", "memory_kib", "vcpus", NULL
    };
    char at[32], vat[48];
    const char *s = NULL, *why;
    unsigned int i;
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
    rc = get_integer(rd, m, at, "domid", 0, MAX_DOMID, &n);
    if (rc) return rc;
    d->domid = (uint32_t)n;

    m = member(v, "name");
    if (!m)
        return corrupt(rd, "%s.name is missing", at);
    rc = get_string(rd, m, at, "name", &s);
    if (rc) return rc;
    why = name_problem(s);
    if (why)
        return corrupt(rd, "%s.name '%.40s' %s", at, s, why);
    d->name = strdup(s);
    if (!d->name)
        return xlv__nomem(rd->ctx, "a domain name");

    d->type = XLV_DOMAIN_TYPE_PV;
    m = member(v, "type");
    if (m) {
        rc = get_string(rd, m, at, "type", &s);
        if (rc) return rc;
        if (!strcmp(s, "pvh"))
            d->type = XLV_DOMAIN_TYPE_PVH;
        else if (!strcmp(s, "hvm"))
            d->type = XLV_DOMAIN_TYPE_HVM;
        else if (strcmp(s, "pv"))
            return corrupt(rd, "%s.type '%.40s' is not pv, pvh or hvm", at,
                           s);
    }

    m = member(v, "memory_kib");
    if (m) {
        rc = get_integer(rd, m, at, "memory_kib", 0,
                         (long long)MAX_MEMORY_KIB, &n);
        if (rc) return rc;
        d->memory_kib = (uint64_t)n;
    }

    m = member(v, "max_vcpus");
    if (!m)
        return corrupt(rd, "%s.max_vcpus is missing", at);
    rc = get_integer(rd, m, at, "max_vcpus", 1, XLV_MAX_VCPUS_PV, &n);
    if (rc) return rc;
    rc = dom_alloc_vcpus(rd->ctx, d, (unsigned int)n, pcpus);
    if (rc) return rc;

    /* Without a list, the domain runs as libxl boots it: vCPU 0 only. */
    m = member(v, "vcpus");
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

static int parse_numa(const reader *rd, yajl_val v, host_state *st)
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
            if (!xlv__bitmap_test(node, j))
                continue;
            if (xlv__bitmap_test(&seen, j)) {
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

static int parse_domains(const reader *rd, yajl_val v, host_state *st)
{
    unsigned int i;
    int rc;

    if (!YAJL_IS_ARRAY(v) || v->u.array.len > MAX_DOMID + 1)
        return corrupt(rd, "domains is not an array of at most %u domains",
                       MAX_DOMID + 1);
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
        if (find_name(st, st->doms[i].name) != &st->doms[i])
            return corrupt(rd, "domain name '%.40s' is used twice",
                           st->doms[i].name);
    }
    return 0;
}

/* Parse the LEN bytes of BUF (NUL-terminated) into the empty ST. */
static int state_parse(const reader *rd, host_state *st, const char *buf,
                       size_t len)
{
    static const char *const keys[] = {
        "pcpus", "virt_caps", "numa", "next_domid", "domains", NULL
    };
    yajl_val root = NULL, v;
    char err[256];
    long long n = 0;
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

    st->pcpus = DEFAULT_PCPUS;
    v = member(root, "pcpus");
    if (v) {
        rc = get_integer(rd, v, "", "pcpus", 1, XLV_MAX_PCPUS, &n);
        if (rc) goto out;
        st->pcpus = (unsigned int)n;
    }

    /* As "xl info" words it; a host with VT-x or AMD-V by default. */
    st->caps = XLV__CAPS_ALL;
    v = member(root, "virt_caps");
    if (v) {
        const char *s = NULL, *bad;
        size_t bad_len = 0;

        rc = get_string(rd, v, "", "virt_caps", &s);
        if (rc) goto out;
        bad = xlv__caps_parse(s, &st->caps, &bad_len);
        if (bad) {
            rc = corrupt(rd, "virt_caps: '%.*s' is not one of pv, hvm, hap "
                         "and shadow", (int)(bad_len > 40 ? 40 : bad_len),
                         bad);
            goto out;
        }
    }

    v = member(root, "numa");
    if (v)
        rc = parse_numa(rd, v, st);
    else
        rc = default_numa(rd->ctx, st);
    if (rc) goto out;

    v = member(root, "domains");
    if (v)
        rc = parse_domains(rd, v, st);
    else
        rc = default_dom0(rd->ctx, st);
    if (rc) goto out;

    v = member(root, "next_domid");
    if (v) {
        rc = get_integer(rd, v, "", "next_domid", 1, MAX_DOMID, &n);
        if (rc) goto out;
        st->next_domid = (uint32_t)n;
    } else {
        st->next_domid = 1;
        if (st->n_doms && st->doms[st->n_doms - 1].domid < MAX_DOMID)
            st->next_domid = st->doms[st->n_doms - 1].domid + 1;
    }
    rc = 0;
 out:
    yajl_tree_free(root);
    return rc;
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

static void w_domain(writer *w, const dom_state *d, unsigned int pcpus)
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
        const vcpu_state *v = &d->vcpus[i];

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
        w_integer(w, vcpu_cpu(v));
        w_nest(w, true, false);
    }
    w_nest(w, false, false);
    w_nest(w, true, false);
}

/* Write LEN bytes of BUF to PATH through a temporary file and rename. */
static int write_atomic(xlv_ctx *ctx, const test_host *th,
                        const unsigned char *buf, size_t len)
{
    size_t done = 0;
    int fd = -1, dfd = -1;
    ssize_t r;
    int rc;

    fd = open(th->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
              O_NOFOLLOW, 0600);
    if (fd < 0) {
        rc = xlv__error(ctx, XLV_ERR_IO, "test host '%.200s': cannot "
                        "create '%.200s': %s", th->path, th->tmp_path,
                        strerror(errno));
        goto out;
    }
    while (done < len) {
        r = write(fd, buf + done, len - done);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = xlv__error(ctx, XLV_ERR_IO, "test host '%.200s': cannot "
                            "write '%.200s': %s", th->path, th->tmp_path,
                            strerror(errno));
            goto out;
        }
        done += (size_t)r;
    }
    if (fsync(fd) < 0 || close(fd) < 0) {
        fd = -1;
        rc = xlv__error(ctx, XLV_ERR_IO, "test host '%.200s': cannot "
                        "write '%.200s': %s", th->path, th->tmp_path,
                        strerror(errno));
        goto out;
    }
    fd = -1;
    if (rename(th->tmp_path, th->path) < 0) {
        rc = xlv__error(ctx, XLV_ERR_IO, "test host '%.200s': cannot "
                        "replace it: %s", th->path, strerror(errno));
        goto out;
    }
    /* The rename itself must reach the disk too. */
    dfd = open(th->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || fsync(dfd) < 0) {
        rc = xlv__error(ctx, XLV_ERR_IO, "test host '%.200s': cannot sync "
                        "directory '%.200s': %s", th->path, th->dir,
                        strerror(errno));
        goto out;
    }
    rc = 0;
 out:
    if (fd >= 0) {
        close(fd);
        unlink(th->tmp_path);
    }
    if (dfd >= 0)
        close(dfd);
    return rc;
}

/*
 * ST as the JSON text of a state file: *BUF_R (NUL-terminated, LEN_R bytes
 * without the NUL), which the caller frees.  PATH names the file in
 * messages.
 */
static int state_encode(xlv_ctx *ctx, char **buf_r, size_t *len_r,
                        const char *path, const host_state *st)
{
    writer w = { NULL, yajl_gen_status_ok, false };
    const unsigned char *buf;
    unsigned int i;
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

    w_nest(&w, true, true);
    w_string(&w, "pcpus");
    w_integer(&w, st->pcpus);
    if (st->caps != XLV__CAPS_ALL) {
        char caps[XLV__CAPS_TEXT_MAX];

        xlv__caps_format(caps, st->caps);
        w_string(&w, "virt_caps");
        w_string(&w, caps);
    }
    w_string(&w, "numa");
    w_nest(&w, false, true);
    for (i = 0; i < st->n_nodes; i++)
        w_cpuset(&w, &st->nodes[i], st->pcpus, false);
    w_nest(&w, false, false);
    w_string(&w, "next_domid");
    w_integer(&w, st->next_domid);
    w_string(&w, "domains");
    w_nest(&w, false, true);
    for (i = 0; i < st->n_doms; i++)
        w_domain(&w, &st->doms[i], st->pcpus);
    w_nest(&w, false, false);
    w_nest(&w, true, false);

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

static int state_save(xlv_ctx *ctx, const test_host *th,
                      const host_state *st)
{
    char *buf = NULL;
    size_t len;
    int rc;

    rc = state_encode(ctx, &buf, &len, th->path, st);
    if (rc) goto out;
    rc = write_atomic(ctx, th, (const unsigned char *)buf, len);
 out:
    free(buf);
    return rc;
}

/*---- the lock and a whole read ----*/

static void lock_release(int lock)
{
    if (lock >= 0)
        close(lock);
}

/*
 * Take the lock of the host and read its state into ST (initialised and
 * empty).  *LOCK_R is set for lock_release() whatever happens.
 */
static int state_lock_load(xlv_ctx *ctx, const test_host *th,
                           host_state *st, int *lock_r)
{
    reader rd = { ctx, th->path };
    xlv__error_state saved;
    char *buf = NULL;
    size_t len;
    int fd, r;
    int rc;

    *lock_r = -1;
    fd = open(th->lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
              0600);
    if (fd < 0) {
        rc = xlv__error(ctx, XLV_ERR_IO, "test host '%.200s': cannot open "
                        "lock '%.200s': %s", th->path, th->lock_path,
                        strerror(errno));
        goto out;
    }
    *lock_r = fd;
    do {
        r = flock(fd, LOCK_EX);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        rc = xlv__error(ctx, XLV_ERR_IO, "test host '%.200s': cannot lock "
                        "'%.200s': %s", th->path, th->lock_path,
                        strerror(errno));
        goto out;
    }

    /* No file yet is the default host, not a failure to report. */
    xlv__error_save(ctx, &saved);
    /* The whole host is this file: only we may have written it. */
    rc = xlv__file_read(ctx, &buf, &len, th->path, MAX_STATE_BYTES,
                        XLV__FILE_PRIVATE);
    if (rc == XLV_ERR_NOTFOUND) {
        xlv__error_restore(ctx, &saved);
        rc = state_default(ctx, st);
        goto out;
    }
    if (rc) goto out;
    rc = state_parse(&rd, st, buf, len);
 out:
    free(buf);
    return rc;
}

/* For the fuzzer (tests/fuzz/host_state.c): see host.h. */
int xlv__test_host_parse(xlv_ctx *ctx, char **json_r, const char *buf,
                         size_t len)
{
    reader rd = { ctx, "(buffer)" };
    host_state st;
    char *copy = NULL, *json = NULL;
    size_t json_len;
    int rc;

    state_init(&st);
    /* state_parse() wants the NUL a file read adds. */
    copy = malloc(len + 1);
    if (!copy) {
        rc = xlv__nomem(ctx, "the test host state");
        goto out;
    }
    if (len)
        memcpy(copy, buf, len);
    copy[len] = '\0';
    rc = state_parse(&rd, &st, copy, len);
    if (rc) goto out;
    if (json_r) {
        rc = state_encode(ctx, &json, &json_len, rd.path, &st);
        if (rc) goto out;
        *json_r = json;
        json = NULL;
    }
    rc = 0;
 out:
    free(json);
    free(copy);
    state_dispose(&st);
    return rc;
}

/*---- failure injection ----*/

static int parse_inject_item(xlv_ctx *ctx, test_host *th, const char *value,
                             char *item)
{
    char *colon = strchr(item, ':');
    uint64_t nth;
    int op;

    if (!colon)
        return xlv__error(ctx, XLV_ERR_INVAL, "test host: fail= "
                          "'%.100s': item '%.40s' is not CALL:N", value,
                          item);
    *colon = '\0';
    for (op = 0; op < N_OPS && strcmp(op_names[op], item); op++)
        ;
    if (op == N_OPS)
        return xlv__error(ctx, XLV_ERR_INVAL, "test host: fail= "
                          "'%.100s': unknown call '%.40s'", value, item);
    if (xlv__number_parse(colon + 1, UINT_MAX, &nth) || !nth)
        return xlv__error(ctx, XLV_ERR_INVAL, "test host: fail= "
                          "'%.100s': call number '%.40s' is not a whole "
                          "number from 1", value, colon + 1);
    if (th->n_inject == MAX_INJECTIONS)
        return xlv__error(ctx, XLV_ERR_INVAL, "test host: fail= "
                          "'%.100s': more than %u items", value,
                          MAX_INJECTIONS);
    th->inject[th->n_inject].op = op;
    th->inject[th->n_inject].nth = (unsigned int)nth;
    th->n_inject++;
    return 0;
}

static int parse_inject(xlv_ctx *ctx, test_host *th, const char *value)
{
    char *copy = NULL, *p, *comma;
    int rc;

    if (!value || !*value) {
        rc = 0;
        goto out;
    }
    copy = strdup(value);
    if (!copy) {
        rc = xlv__nomem(ctx, "fail=");
        goto out;
    }
    for (p = copy; ; p = comma + 1) {
        comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        rc = parse_inject_item(ctx, th, value, p);
        if (rc) goto out;
        if (!comma)
            break;
    }
    rc = 0;
 out:
    free(copy);
    return rc;
}

/* Append "CALL N[ failed]" to the trace file, when there is one. */
static int trace(xlv_ctx *ctx, test_host *th, int op, bool fail)
{
    int fd, r;

    if (!th->trace_path)
        return 0;
    fd = open(th->trace_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
              0600);
    if (fd < 0)
        return xlv__error(ctx, XLV_ERR_IO, "test host: XLVCPU_TEST_TRACE "
                          "'%.200s': %s", th->trace_path, strerror(errno));
    r = dprintf(fd, "%s %u%s\n", op_names[op], th->calls[op],
                fail ? " failed" : "");
    if (close(fd) || r < 0)
        return xlv__error(ctx, XLV_ERR_IO, "test host: XLVCPU_TEST_TRACE "
                          "'%.200s': cannot write", th->trace_path);
    return 0;
}

/* Count a call of OP; fail it, as libxl would, when it is one to fail. */
static int injected(xlv_ctx *ctx, test_host *th, int op)
{
    unsigned int i;
    bool fail = false;
    int rc;

    if (th->calls[op] < UINT_MAX)
        th->calls[op]++;
    for (i = 0; i < th->n_inject; i++)
        fail |= th->inject[i].op == op && th->inject[i].nth == th->calls[op];
    rc = trace(ctx, th, op, fail);
    if (rc) return rc;
    if (fail)
        return xlv__error_libxl(ctx, ERROR_FAIL, "test host: injected "
                                "failure of %s call %u", op_names[op],
                                th->calls[op]);
    return 0;
}

/*---- lists handed to the caller ----*/

static int fill_dominfo(xlv_ctx *ctx, xlv__dominfo *info, const dom_state *d)
{
    unsigned int i;

    memset(info, 0, sizeof(*info));
    info->name = strdup(d->name);
    if (!info->name)
        return xlv__nomem(ctx, "a domain name");
    info->domid = d->domid;
    info->type = d->type;
    info->max_vcpus = d->max_vcpus;
    info->memory_kib = d->memory_kib;
    for (i = 0; i < d->max_vcpus; i++)
        info->online_vcpus += d->vcpus[i].online;
    return 0;
}

static int not_running(xlv_ctx *ctx, uint32_t domid)
{
    return xlv__error(ctx, XLV_ERR_NOTFOUND, "domain '%u' is not running",
                      domid);
}

static int vcpu_above_max(xlv_ctx *ctx, long vcpu, const dom_state *d)
{
    return xlv__error(ctx, XLV_ERR_INVAL, "vcpu '%ld' is not below the "
                      "maximum of %u of domain '%s'", vcpu, d->max_vcpus,
                      d->name);
}

/*
 * Make OUT (PCPUS bits) the pCPUs of IN that the host has, as Xen drops
 * the others.  None left is EINVAL to Xen.  KIND is "hard" or "soft".
 */
static int host_affinity(xlv_ctx *ctx, libxl_bitmap *out,
                         const libxl_bitmap *in, unsigned int pcpus,
                         const char *kind, unsigned int vcpu,
                         const dom_state *d)
{
    unsigned int i, n = xlv__bitmap_nbits(in);
    char *s;
    int rc;

    rc = xlv__bitmap_alloc(ctx, out, pcpus);
    if (rc) return rc;
    for (i = 0; i < n && i < pcpus; i++) {
        if (xlv__bitmap_test(in, i))
            libxl_bitmap_set(out, (int)i);
    }
    if (xlv__bitmap_count(out))
        return 0;
    s = xlv__cpuset_format(in);
    rc = xlv__error(ctx, XLV_ERR_INVAL, "%s affinity '%.60s' of vcpu '%u' "
                    "of domain '%s' has no pcpu below %u", kind,
                    s ? s : "?", vcpu, d->name, pcpus);
    free(s);
    return rc;
}

/*---- the operations ----*/

static void test_close(xlv__host *host)
{
    test_host *th = (test_host *)host;

    if (!th)
        return;
    free(th->path);
    free(th->lock_path);
    free(th->tmp_path);
    free(th->dir);
    free(th->trace_path);
    free(th);
}

static char *concat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);

    if (s) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb + 1);
    }
    return s;
}

/*
 * The parameters after the '?' of the URI: fail=SPEC, trace=FILE, joined
 * by '&'; each at most once.  QUERY is changed in place.
 */
static int parse_query(xlv_ctx *ctx, test_host *th, char *query)
{
    char *p, *amp, *eq;
    bool fail_seen = false;
    int rc;

    for (p = query; p; p = amp ? amp + 1 : NULL) {
        amp = strchr(p, '&');
        if (amp)
            *amp = '\0';
        eq = strchr(p, '=');
        if (eq)
            *eq = '\0';
        if (eq && !strcmp(p, "fail") && !fail_seen) {
            fail_seen = true;
            rc = parse_inject(ctx, th, eq + 1);
            if (rc) return rc;
        } else if (eq && !strcmp(p, "trace") && !th->trace_path) {
            if (eq[1] != '/')
                return xlv__error(ctx, XLV_ERR_INVAL, "test host: trace= "
                                  "'%.200s': must be an absolute path",
                                  eq + 1);
            rc = xlv__strdup(ctx, &th->trace_path, eq + 1);
            if (rc) return rc;
        } else {
            return xlv__error(ctx, XLV_ERR_INVAL, "test host: uri "
                              "parameter '%.40s': must be fail=CALL:N,... "
                              "or trace=FILE, each at most once", p);
        }
    }
    return 0;
}

static int test_open(xlv_ctx *ctx, xlv__host **host_r, const char *uri_path)
{
    test_host *th = NULL;
    host_state st;
    char *arg = NULL, *query, *slash;
    int lock = -1;
    int rc;

    state_init(&st);
    rc = xlv__strdup(ctx, &arg, uri_path ? uri_path : "");
    if (rc) goto out;
    query = strchr(arg, '?');
    if (query)
        *query++ = '\0';
    if (arg[0] != '/') {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "test host '%.200s': the state "
                        "file must be an absolute path", arg);
        goto out;
    }
    if (strlen(arg) > PATH_MAX - 16 || arg[strlen(arg) - 1] == '/') {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "test host '%.200s': not a "
                        "usable file name", arg);
        goto out;
    }
    th = calloc(1, sizeof(*th));
    if (!th) {
        rc = xlv__nomem(ctx, "the test host");
        goto out;
    }
    th->host.ops = &xlv__host_test_ops;
    th->path = strdup(arg);
    th->lock_path = concat(arg, ".lock");
    th->tmp_path = concat(arg, ".tmp");
    th->dir = strdup(arg);
    if (!th->path || !th->lock_path || !th->tmp_path || !th->dir) {
        rc = xlv__nomem(ctx, "the test host");
        goto out;
    }
    slash = strrchr(th->dir, '/');
    slash[slash == th->dir] = '\0';     /* "/x" lives in "/" */

    if (query) {
        rc = parse_query(ctx, th, query);
        if (rc) goto out;
    }

    /* Refuse a corrupt state now rather than at the first call. */
    rc = state_lock_load(ctx, th, &st, &lock);
    if (rc) goto out;

    *host_r = &th->host;
    th = NULL;
    rc = 0;
 out:
    lock_release(lock);
    state_dispose(&st);
    test_close(th ? &th->host : NULL);
    free(arg);
    return rc;
}

static int test_physinfo(xlv_ctx *ctx, xlv__host *host,
                         unsigned int *nr_cpus_r, unsigned int *caps_r,
                         libxl_bitmap **nodes_r, unsigned int *n_nodes_r)
{
    test_host *th = (test_host *)host;
    libxl_bitmap *nodes = NULL;
    unsigned int i, n = 0;
    host_state st;
    int lock = -1;
    int rc;

    state_init(&st);
    rc = injected(ctx, th, OP_PHYSINFO);
    if (rc) goto out;
    rc = state_lock_load(ctx, th, &st, &lock);
    if (rc) goto out;
    if (caps_r)
        *caps_r = st.caps;
    if (!nodes_r) {
        *nr_cpus_r = st.pcpus;
        rc = 0;
        goto out;
    }

    nodes = calloc(st.n_nodes, sizeof(*nodes));
    if (!nodes) {
        rc = xlv__nomem(ctx, "the numa nodes");
        goto out;
    }
    for (i = 0; i < st.n_nodes; i++) {
        libxl_bitmap_init(&nodes[i]);
        n = i + 1;
        rc = xlv__bitmap_copy(ctx, &nodes[i], &st.nodes[i]);
        if (rc) goto out;
    }

    *nr_cpus_r = st.pcpus;
    *nodes_r = nodes;
    *n_nodes_r = n;
    nodes = NULL;
    rc = 0;
 out:
    xlv__bitmap_array_free(nodes, n);
    lock_release(lock);
    state_dispose(&st);
    return rc;
}

static int test_list_domains(xlv_ctx *ctx, xlv__host *host,
                             xlv__dominfo **list_r, unsigned int *n_r)
{
    test_host *th = (test_host *)host;
    xlv__dominfo *list = NULL;
    unsigned int i, n = 0;
    host_state st;
    int lock = -1;
    int rc;

    state_init(&st);
    rc = injected(ctx, th, OP_LIST_DOMAINS);
    if (rc) goto out;
    rc = state_lock_load(ctx, th, &st, &lock);
    if (rc) goto out;

    /* One element at least, so that an empty list is not NULL. */
    list = calloc(st.n_doms ? st.n_doms : 1, sizeof(*list));
    if (!list) {
        rc = xlv__nomem(ctx, "the domain list");
        goto out;
    }
    for (i = 0; i < st.n_doms; i++) {
        rc = fill_dominfo(ctx, &list[i], &st.doms[i]);
        if (rc) goto out;
        n = i + 1;
    }

    *list_r = list;
    *n_r = n;
    list = NULL;
    rc = 0;
 out:
    xlv__dominfo_list_free(list, n);
    lock_release(lock);
    state_dispose(&st);
    return rc;
}

static int test_domain_info(xlv_ctx *ctx, xlv__host *host, const char *who,
                            xlv__dominfo *info_r)
{
    test_host *th = (test_host *)host;
    xlv__dominfo info = { 0 };
    dom_state *d = NULL;
    host_state st;
    uint64_t domid;
    int lock = -1;
    int rc;

    state_init(&st);
    rc = injected(ctx, th, OP_DOMAIN_INFO);
    if (rc) goto out;
    rc = state_lock_load(ctx, th, &st, &lock);
    if (rc) goto out;

    if (xlv__all_digits(who)) {
        if (!xlv__number_parse(who, UINT32_MAX, &domid))
            d = find_domid(&st, (uint32_t)domid);
    } else {
        d = find_name(&st, who);
    }
    if (!d) {
        rc = xlv__error(ctx, XLV_ERR_NOTFOUND, "domain '%.100s' is not "
                        "running", who);
        goto out;
    }
    rc = fill_dominfo(ctx, &info, d);
    if (rc) goto out;

    *info_r = info;
    info.name = NULL;
    rc = 0;
 out:
    free(info.name);
    lock_release(lock);
    state_dispose(&st);
    return rc;
}

static int test_list_vcpus(xlv_ctx *ctx, xlv__host *host, uint32_t domid,
                           xlv__vcpuinfo **list_r, unsigned int *n_r)
{
    test_host *th = (test_host *)host;
    xlv__vcpuinfo *list = NULL;
    unsigned int i, n = 0;
    dom_state *d;
    host_state st;
    int lock = -1;
    int rc;

    state_init(&st);
    rc = injected(ctx, th, OP_LIST_VCPUS);
    if (rc) goto out;
    rc = state_lock_load(ctx, th, &st, &lock);
    if (rc) goto out;
    d = find_domid(&st, domid);
    if (!d) {
        rc = not_running(ctx, domid);
        goto out;
    }

    list = calloc(d->max_vcpus, sizeof(*list));
    if (!list) {
        rc = xlv__nomem(ctx, "the vcpu list");
        goto out;
    }
    for (i = 0; i < d->max_vcpus; i++) {
        vcpu_state *v = &d->vcpus[i];
        xlv__vcpuinfo *vi = &list[i];

        /* Online vCPUs run a little between two looks. */
        if (v->online && v->time_ns <= MAX_TIME_NS - TIME_STEP_NS)
            v->time_ns += TIME_STEP_NS;
        libxl_bitmap_init(&vi->hard);
        libxl_bitmap_init(&vi->soft);
        n = i + 1;
        vi->vcpu = i;
        vi->online = v->online;
        vi->running = false;
        vi->blocked = v->online;
        vi->cpu = vcpu_cpu(v);
        vi->time_ns = v->time_ns;
        rc = xlv__bitmap_copy(ctx, &vi->hard, &v->hard);
        if (rc) goto out;
        rc = xlv__bitmap_copy(ctx, &vi->soft, &v->soft);
        if (rc) goto out;
    }
    rc = state_save(ctx, th, &st);
    if (rc) goto out;

    *list_r = list;
    *n_r = n;
    list = NULL;
    rc = 0;
 out:
    xlv__vcpuinfo_list_free(list, n);
    lock_release(lock);
    state_dispose(&st);
    return rc;
}

static int test_set_vcpuonline(xlv_ctx *ctx, xlv__host *host, uint32_t domid,
                               const libxl_bitmap *online)
{
    test_host *th = (test_host *)host;
    dom_state *d;
    host_state st;
    unsigned int i;
    int lock = -1, last;
    int rc;

    state_init(&st);
    rc = injected(ctx, th, OP_SET_VCPUONLINE);
    if (rc) goto out;
    rc = state_lock_load(ctx, th, &st, &lock);
    if (rc) goto out;
    d = find_domid(&st, domid);
    if (!d) {
        rc = not_running(ctx, domid);
        goto out;
    }
    last = online ? xlv__bitmap_last(online) : -1;
    if (last < 0) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "domain '%s' must keep a vcpu "
                        "online: the online map is empty", d->name);
        goto out;
    }
    if ((unsigned int)last >= d->max_vcpus) {
        rc = vcpu_above_max(ctx, last, d);
        goto out;
    }

    /* Affinities stay: a pin survives unplug and plug. */
    for (i = 0; i < d->max_vcpus; i++)
        d->vcpus[i].online = xlv__bitmap_test(online, i);
    rc = state_save(ctx, th, &st);
 out:
    lock_release(lock);
    state_dispose(&st);
    return rc;
}

static int test_set_vcpuaffinity(xlv_ctx *ctx, xlv__host *host,
                                 uint32_t domid, unsigned int vcpu,
                                 const libxl_bitmap *hard,
                                 const libxl_bitmap *soft, bool force)
{
    test_host *th = (test_host *)host;
    libxl_bitmap new_hard, new_soft;
    dom_state *d;
    host_state st;
    int lock = -1;
    int rc;

    /* FORCE only skips libxl's check of the node affinity, which a host
     * without placement does not have. */
    (void)force;
    libxl_bitmap_init(&new_hard);
    libxl_bitmap_init(&new_soft);
    state_init(&st);
    rc = injected(ctx, th, OP_SET_VCPUAFFINITY);
    if (rc) goto out;
    rc = state_lock_load(ctx, th, &st, &lock);
    if (rc) goto out;
    d = find_domid(&st, domid);
    if (!d) {
        rc = not_running(ctx, domid);
        goto out;
    }
    if (vcpu >= d->max_vcpus) {
        rc = vcpu_above_max(ctx, (long)vcpu, d);
        goto out;
    }
    if (!hard && !soft) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "vcpu '%u' of domain '%s': no "
                        "hard or soft affinity given", vcpu, d->name);
        goto out;
    }
    if (hard) {
        rc = host_affinity(ctx, &new_hard, hard, st.pcpus, "hard", vcpu, d);
        if (rc) goto out;
    }
    if (soft) {
        rc = host_affinity(ctx, &new_soft, soft, st.pcpus, "soft", vcpu, d);
        if (rc) goto out;
    }

    /* Offline vCPUs can be pinned too, as on Xen. */
    if (hard) {
        libxl_bitmap_dispose(&d->vcpus[vcpu].hard);
        d->vcpus[vcpu].hard = new_hard;
        libxl_bitmap_init(&new_hard);
    }
    if (soft) {
        libxl_bitmap_dispose(&d->vcpus[vcpu].soft);
        d->vcpus[vcpu].soft = new_soft;
        libxl_bitmap_init(&new_soft);
    }
    rc = state_save(ctx, th, &st);
 out:
    libxl_bitmap_dispose(&new_hard);
    libxl_bitmap_dispose(&new_soft);
    lock_release(lock);
    state_dispose(&st);
    return rc;
}

/*
 * Set the affinities of D's vCPUs from libxl's per-vCPU arrays (N of
 * them), as libxl__build_pre() does: vCPUs past N keep "all".
 */
static int create_affinity(xlv_ctx *ctx, dom_state *d, unsigned int pcpus,
                           const libxl_bitmap *maps, int n, bool hard)
{
    const char *kind = hard ? "hard" : "soft";
    libxl_bitmap bm;
    int i;
    int rc;

    libxl_bitmap_init(&bm);
    if (n < 0 || (n > 0 && !maps)) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "domain '%s': %d vcpu %s "
                        "affinities given", d->name, n, kind);
        goto out;
    }
    if ((unsigned int)n > d->max_vcpus) {
        rc = vcpu_above_max(ctx, n - 1, d);
        goto out;
    }
    for (i = 0; i < n; i++) {
        rc = host_affinity(ctx, &bm, &maps[i], pcpus, kind,
                           (unsigned int)i, d);
        if (rc) goto out;
        if (hard) {
            libxl_bitmap_dispose(&d->vcpus[i].hard);
            d->vcpus[i].hard = bm;
        } else {
            libxl_bitmap_dispose(&d->vcpus[i].soft);
            d->vcpus[i].soft = bm;
        }
        libxl_bitmap_init(&bm);
    }
    rc = 0;
 out:
    libxl_bitmap_dispose(&bm);
    return rc;
}

/* A free domid from ST->next_domid on, as Xen hands them out. */
static int alloc_domid(xlv_ctx *ctx, host_state *st, uint32_t *domid_r)
{
    uint32_t domid = st->next_domid, i;

    for (i = 0; i < MAX_DOMID; i++) {
        if (domid < 1 || domid > MAX_DOMID)
            domid = 1;
        if (!find_domid(st, domid)) {
            *domid_r = domid;
            st->next_domid = domid < MAX_DOMID ? domid + 1 : 1;
            return 0;
        }
        domid++;
    }
    return xlv__error(ctx, XLV_ERR_STATE, "test host: no free domid");
}

static int test_create(xlv_ctx *ctx, xlv__host *host,
                       struct libxl_domain_config *cfg, uint32_t *domid_r)
{
    test_host *th = (test_host *)host;
    const libxl_domain_build_info *b = &cfg->b_info;
    const char *name = cfg->c_info.name, *why;
    dom_state d, *doms;
    unsigned int i, max;
    uint64_t maxmem, mem;
    host_state st;
    int lock = -1, last;
    int rc;

    memset(&d, 0, sizeof(d));
    state_init(&st);
    rc = injected(ctx, th, OP_CREATE);
    if (rc) goto out;

    why = name ? name_problem(name) : "is missing";
    if (why) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "domain name '%.100s' %s",
                        name ? name : "", why);
        goto out;
    }
    switch (cfg->c_info.type) {
    case LIBXL_DOMAIN_TYPE_PV: d.type = XLV_DOMAIN_TYPE_PV; break;
    case LIBXL_DOMAIN_TYPE_PVH: d.type = XLV_DOMAIN_TYPE_PVH; break;
    case LIBXL_DOMAIN_TYPE_HVM: d.type = XLV_DOMAIN_TYPE_HVM; break;
    default:
        rc = xlv__error(ctx, XLV_ERR_INVAL, "domain '%s': type '%d' is not "
                        "pv, pvh or hvm", name, (int)cfg->c_info.type);
        goto out;
    }
    /* libxl's defaults: one vCPU, only vCPU 0 online. */
    max = b->max_vcpus > 0 ? (unsigned int)b->max_vcpus : 1;
    if (max > (d.type == XLV_DOMAIN_TYPE_PV ? XLV_MAX_VCPUS_PV
                                            : XLV_MAX_VCPUS_HVM)) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "domain '%s': max_vcpus '%u' "
                        "is above the limit of %u for %s guests", name, max,
                        d.type == XLV_DOMAIN_TYPE_PV ? XLV_MAX_VCPUS_PV
                                                     : XLV_MAX_VCPUS_HVM,
                        xlv__domain_type_name(d.type));
        goto out;
    }
    maxmem = b->max_memkb == LIBXL_MEMKB_DEFAULT ? LIBXL_DEFAULT_MAX_MEMKB
                                                 : b->max_memkb;
    mem = b->target_memkb == LIBXL_MEMKB_DEFAULT ? maxmem : b->target_memkb;
    if (mem > MAX_MEMORY_KIB) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "domain '%s': memory '%llu' "
                        "KiB is more than the test host has", name,
                        (unsigned long long)mem);
        goto out;
    }
    d.memory_kib = mem;

    rc = state_lock_load(ctx, th, &st, &lock);
    if (rc) goto out;
    if (find_name(&st, name)) {
        rc = xlv__error(ctx, XLV_ERR_CONFLICT, "domain '%s' is already "
                        "running", name);
        goto out;
    }
    d.name = strdup(name);
    if (!d.name) {
        rc = xlv__nomem(ctx, "a domain name");
        goto out;
    }
    rc = dom_alloc_vcpus(ctx, &d, max, st.pcpus);
    if (rc) goto out;

    if (!b->avail_vcpus.size) {
        d.vcpus[0].online = true;
    } else {
        last = xlv__bitmap_last(&b->avail_vcpus);
        if (last < 0) {
            rc = xlv__error(ctx, XLV_ERR_INVAL, "domain '%s' must boot with "
                            "a vcpu online: avail_vcpus is empty", name);
            goto out;
        }
        if ((unsigned int)last >= max) {
            rc = vcpu_above_max(ctx, last, &d);
            goto out;
        }
        for (i = 0; i < max; i++)
            d.vcpus[i].online = xlv__bitmap_test(&b->avail_vcpus, i);
    }

    /* libxl turns a cpumap into the hard affinity of every vCPU. */
    if (!b->num_vcpu_hard_affinity && b->cpumap.size) {
        rc = create_affinity(ctx, &d, st.pcpus, &b->cpumap, 1, true);
        if (rc) goto out;
        for (i = 1; i < max; i++) {
            rc = xlv__bitmap_copy(ctx, &d.vcpus[i].hard, &d.vcpus[0].hard);
            if (rc) goto out;
        }
    } else {
        rc = create_affinity(ctx, &d, st.pcpus, b->vcpu_hard_affinity,
                             b->num_vcpu_hard_affinity, true);
        if (rc) goto out;
    }
    rc = create_affinity(ctx, &d, st.pcpus, b->vcpu_soft_affinity,
                         b->num_vcpu_soft_affinity, false);
    if (rc) goto out;

    rc = alloc_domid(ctx, &st, &d.domid);
    if (rc) goto out;
    doms = realloc(st.doms, (st.n_doms + 1) * sizeof(*doms));
    if (!doms) {
        rc = xlv__nomem(ctx, "the domains of the test host");
        goto out;
    }
    st.doms = doms;
    for (i = st.n_doms; i > 0 && doms[i - 1].domid > d.domid; i--)
        doms[i] = doms[i - 1];
    doms[i] = d;
    st.n_doms++;
    memset(&d, 0, sizeof(d));

    rc = state_save(ctx, th, &st);
    if (rc) goto out;
    *domid_r = doms[i].domid;
    rc = 0;
 out:
    dom_dispose(&d);
    lock_release(lock);
    state_dispose(&st);
    return rc;
}

static int test_destroy(xlv_ctx *ctx, xlv__host *host, uint32_t domid)
{
    test_host *th = (test_host *)host;
    dom_state *d;
    host_state st;
    unsigned int i;
    int lock = -1;
    int rc;

    state_init(&st);
    rc = injected(ctx, th, OP_DESTROY);
    if (rc) goto out;
    if (!domid) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "cannot destroy Domain-0");
        goto out;
    }
    rc = state_lock_load(ctx, th, &st, &lock);
    if (rc) goto out;
    d = find_domid(&st, domid);
    if (!d) {
        rc = not_running(ctx, domid);
        goto out;
    }
    dom_dispose(d);
    i = (unsigned int)(d - st.doms);
    memmove(d, d + 1, (st.n_doms - i - 1) * sizeof(*d));
    st.n_doms--;
    rc = state_save(ctx, th, &st);
 out:
    lock_release(lock);
    state_dispose(&st);
    return rc;
}

const struct xlv__host_ops xlv__host_test_ops = {
    .scheme = "test",
    .open = test_open,
    .close = test_close,
    .physinfo = test_physinfo,
    .list_domains = test_list_domains,
    .domain_info = test_domain_info,
    .list_vcpus = test_list_vcpus,
    .set_vcpuonline = test_set_vcpuonline,
    .set_vcpuaffinity = test_set_vcpuaffinity,
    .create = test_create,
    .destroy = test_destroy,
};
