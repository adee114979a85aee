/*
 * The xen:///system host: live domains through libxl on a dom0.
 *
 * libxl reports failures by logging them, so the host owns the logger it
 * gives libxl: it passes every message on to the caller's logger (if the
 * ctx has one) and keeps the last error line, which our one-line message
 * then quotes.  Nothing is ever printed here.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenstore.h>
#include <xentoollog.h>

#include "cpuset.h"
#include "host.h"

#define XEN_URI "xen:///system"

/* Xen's DOMID_FIRST_RESERVED: ids from here on are not domains. */
#define DOMID_LIMIT 0x7FF0u

#define LOGLINE_MAX 256

/* The logger libxl is given; vtable first, as xentoollog calls through it. */
typedef struct {
    xentoollog_logger vtable;
    xentoollog_logger *caller;          /* the ctx's logger, or NULL */
    char last[LOGLINE_MAX];             /* last error line, "" if none */
} xen_logger;

typedef struct {
    xlv__host base;                     /* first: generic code casts */
    libxl_ctx *lx;
    xen_logger lg;
    unsigned int nr_cpus;               /* physical cpus, read at open */
    unsigned int caps;                  /* XLV__CAP_*, read at open */
    struct xs_handle *xs;               /* ours (see xs_get), or NULL */
} xen_host;

static xen_host *xen_of(xlv__host *host)
{
    return (xen_host *)host;
}

/*
 * Our own xenstore connection (libxl keeps its one to itself), for the
 * reads libxl has no call for: opened at the first, kept for the next
 * (a PVH unplug looks up the domain, then its type), and closed before
 * libxl is asked to change a domain, so that xenstored is done with it
 * before the guest gets busy with the change.  A read that failed drops
 * it (xenstored may have restarted).  NULL when xenstore cannot be
 * reached.
 */
static struct xs_handle *xs_get(xen_host *h)
{
    if (!h->xs)
        h->xs = xs_open(0);
    return h->xs;
}

static void xs_done(xen_host *h)
{
    if (h->xs)
        xs_close(h->xs);
    h->xs = NULL;
}

/*
 * libxl prefixes its messages with "file.c:LINE:function: ", which is for
 * its developers; our users get what follows.
 */
static const char *skip_source_prefix(const char *msg)
{
    const char *p = msg;

    p += strcspn(p, ": ");
    if (*p != ':' || p == msg || !strstr(msg, ".c:"))
        return msg;
    p++;
    if (*p < '0' || *p > '9')
        return msg;
    p += strspn(p, "0123456789");
    if (*p != ':')
        return msg;
    p++;
    p += strcspn(p, ": ");
    if (p[0] != ':' || p[1] != ' ')
        return msg;
    return p + 2;
}

static void logger_vmessage(xentoollog_logger *logger,
                            xentoollog_level level, int errnoval,
                            const char *context, const char *format,
                            va_list al)
{
    xen_logger *lg = (xen_logger *)logger;
    char line[LOGLINE_MAX];
    va_list copy;

    /* Directly rather than by xtl_logv(), so that we need only
     * libxenlight, not libxentoollog, to link. */
    if (lg->caller) {
        va_copy(copy, al);
        lg->caller->vmessage(lg->caller, level, errnoval, context, format,
                             copy);
        va_end(copy);
    }
    if (level < XTL_ERROR)
        return;
    vsnprintf(line, sizeof(line), format, al);
    if (errnoval >= 0)
        snprintf(lg->last, sizeof(lg->last), "%s: %s",
                 skip_source_prefix(line), strerror(errnoval));
    else
        snprintf(lg->last, sizeof(lg->last), "%s", skip_source_prefix(line));
}

static void logger_progress(xentoollog_logger *logger, const char *context,
                            const char *doing_what, int percent,
                            unsigned long done, unsigned long total)
{
    xen_logger *lg = (xen_logger *)logger;

    if (lg->caller && lg->caller->progress)
        lg->caller->progress(lg->caller, context, doing_what, percent,
                             done, total);
}

/* The logger lives inside the host, which frees it. */
static void logger_destroy(xentoollog_logger *logger)
{
    (void)logger;
}

/* Forget earlier errors before a call whose failure we may report. */
static void log_reset(xen_host *h)
{
    h->lg.last[0] = '\0';
}

/*
 * Record the failure of a libxl call that returned R: the message FMT,
 * then what libxl said about it (its last error line, else its rc).
 */
static int fail(xlv_ctx *ctx, xen_host *h, int r, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(xlv_ctx *ctx, xen_host *h, int r, const char *fmt, ...)
{
    char what[XLV_ERRMSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (h->lg.last[0])
        return xlv__error_libxl(ctx, r, "%s (libxl: %s)", what, h->lg.last);
    return xlv__error_libxl(ctx, r, "%s (libxl: error %d, %s)", what, r,
                            libxl_error_to_string(r));
}

/*
 * How a domain is named in messages: "'NAME'" while libxl still knows the
 * name, else by id.  Looking the name up must not replace the error line
 * of the failure being reported.
 */
static void dom_label(xen_host *h, uint32_t domid, char *buf, size_t n)
{
    char saved[LOGLINE_MAX];
    char *name;

    memcpy(saved, h->lg.last, sizeof(saved));
    name = libxl_domid_to_name(h->lx, domid);
    memcpy(h->lg.last, saved, sizeof(saved));
    if (name)
        snprintf(buf, n, "'%.100s'", name);
    else
        snprintf(buf, n, "with id '%u'", domid);
    free(name);
}

/*
 * Why libxl could not start talking to Xen.  /sys/hypervisor/type says
 * "xen" in any Linux running on Xen, dom0 or not.
 */
static const char *connect_cause(void)
{
    char type[16] = "";
    FILE *f;

    f = fopen("/sys/hypervisor/type", "re");
    if (f) {
        if (!fgets(type, sizeof(type), f))
            type[0] = '\0';
        fclose(f);
    }
    if (strncmp(type, "xen", 3))
        return "no xen hypervisor is running here";
    if ((access("/dev/xen/privcmd", R_OK | W_OK) && errno == EACCES) ||
        (access("/proc/xen/privcmd", R_OK | W_OK) && errno == EACCES))
        return "permission denied (it needs root in dom0)";
    return "libxl cannot use xen (is this dom0, with xenstored running?)";
}

static void xen_close(xlv__host *host)
{
    xen_host *h = xen_of(host);

    if (!h)
        return;
    xs_done(h);
    libxl_ctx_free(h->lx);
    free(h);
}

static int xen_open(xlv_ctx *ctx, xlv__host **host_r, const char *arg)
{
    xen_host *h = NULL;
    libxl_physinfo physinfo;
    int rc, r;

    libxl_physinfo_init(&physinfo);

    if (arg && *arg && strcmp(arg, "/system")) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "host uri 'xen://%.200s': "
                        "the xen host is " XEN_URI, arg);
        goto out;
    }
    h = calloc(1, sizeof(*h));
    if (!h) {
        rc = xlv__nomem(ctx, "the xen host");
        goto out;
    }
    h->base.ops = &xlv__host_xen_ops;
    h->lg.vtable.vmessage = logger_vmessage;
    h->lg.vtable.progress = logger_progress;
    h->lg.vtable.destroy = logger_destroy;
    h->lg.caller = ctx->logger;

    r = libxl_ctx_alloc(&h->lx, LIBXL_VERSION, 0, &h->lg.vtable);
    if (r) {
        h->lx = NULL;
        rc = fail(ctx, h, r, "cannot connect to " XEN_URI ": %s",
                  connect_cause());
        goto out;
    }
    /* A ctx can exist without a hypervisor; the first hypercall tells.
     * What it reads is kept: pCPUs come and go only with cpu hot-plug,
     * which a command's lifetime need not follow. */
    r = libxl_get_physinfo(h->lx, &physinfo);
    if (r) {
        rc = fail(ctx, h, r, "cannot connect to " XEN_URI ": %s",
                  connect_cause());
        goto out;
    }
    h->nr_cpus = physinfo.nr_cpus;
    h->caps = (physinfo.cap_pv ? XLV__CAP_PV : 0) |
              (physinfo.cap_hvm ? XLV__CAP_HVM : 0) |
              (physinfo.cap_hap ? XLV__CAP_HAP : 0) |
              (physinfo.cap_shadow ? XLV__CAP_SHADOW : 0);

    *host_r = &h->base;
    h = NULL;
    rc = 0;
 out:
    libxl_physinfo_dispose(&physinfo);
    xen_close(h ? &h->base : NULL);
    return rc;
}

static int xen_physinfo(xlv_ctx *ctx, xlv__host *host,
                        unsigned int *nr_cpus_r, unsigned int *caps_r,
                        libxl_bitmap **nodes_r, unsigned int *n_nodes_r)
{
    xen_host *h = xen_of(host);
    libxl_physinfo physinfo;
    libxl_cputopology *topo = NULL;
    libxl_bitmap *nodes = NULL;
    unsigned int n_nodes = 0, nbits, i;
    int nb_cpu = 0, rc, r;

    /* The count and the caps were read when the host was opened. */
    if (caps_r)
        *caps_r = h->caps;
    if (!nodes_r) {
        *nr_cpus_r = h->nr_cpus;
        return 0;
    }
    libxl_physinfo_init(&physinfo);
    log_reset(h);

    r = libxl_get_physinfo(h->lx, &physinfo);
    if (r) {
        rc = fail(ctx, h, r, "cannot read the physical cpus of the host");
        goto out;
    }
    topo = libxl_get_cpu_topology(h->lx, &nb_cpu);
    if (!topo) {
        rc = fail(ctx, h, ERROR_FAIL, "cannot read the cpu topology of the "
                  "host");
        goto out;
    }

    /* Offline pCPUs have no node: they belong to none. */
    for (i = 0; i < (unsigned int)nb_cpu; i++) {
        if (topo[i].node != LIBXL_CPUTOPOLOGY_INVALID_ENTRY &&
            topo[i].node >= n_nodes)
            n_nodes = topo[i].node + 1;
    }
    nbits = (unsigned int)nb_cpu > physinfo.nr_cpus ? (unsigned int)nb_cpu
                                                    : physinfo.nr_cpus;
    if (n_nodes) {
        nodes = calloc(n_nodes, sizeof(*nodes));
        if (!nodes) {
            rc = xlv__nomem(ctx, "the numa nodes of the host");
            goto out;
        }
        for (i = 0; i < n_nodes; i++) {
            rc = xlv__bitmap_alloc(ctx, &nodes[i], nbits);
            if (rc) goto out;
        }
        for (i = 0; i < (unsigned int)nb_cpu; i++) {
            if (topo[i].node != LIBXL_CPUTOPOLOGY_INVALID_ENTRY)
                libxl_bitmap_set(&nodes[topo[i].node], i);
        }
    }

    *nr_cpus_r = physinfo.nr_cpus;
    *nodes_r = nodes;
    *n_nodes_r = n_nodes;
    nodes = NULL;
    rc = 0;
 out:
    xlv__bitmap_array_free(nodes, n_nodes);
    if (topo)
        libxl_cputopology_list_free(topo, nb_cpu);
    libxl_physinfo_dispose(&physinfo);
    return rc;
}

/*
 * Xen knows only PV and HVM containers, and libxl_dominfo says HVM for a
 * PVH guest; libxl itself tells them apart by what it wrote to
 * /libxl/DOMID/type when it built the domain.  A domain libxl did not
 * build (none such runs on a dom0 where it does), or whose type cannot be
 * read, stays HVM: the type whose live changes are the most restricted.
 */
static void xen_domain_type(xlv__host *host, uint32_t domid,
                            xlv_domain_type *type_r)
{
    struct xs_handle *xs = xs_get(xen_of(host));
    char path[40];
    char *s;

    if (!xs)
        return;
    snprintf(path, sizeof(path), "/libxl/%u/type", domid);
    s = xs_read(xs, XBT_NULL, path, NULL);
    if (!s)
        xs_done(xen_of(host));          /* the next read connects anew */
    if (s && !strcmp(s, "pvh"))
        *type_r = XLV_DOMAIN_TYPE_PVH;
    else if (s && !strcmp(s, "hvm"))
        *type_r = XLV_DOMAIN_TYPE_HVM;
    free(s);
}

/* Fill OUT from XL, taking NAME over. */
static void dominfo_fill(xlv__dominfo *out, const libxl_dominfo *xl,
                         char *name)
{
    out->domid = xl->domid;
    out->name = name;
    out->type = xl->domain_type == LIBXL_DOMAIN_TYPE_HVM
                ? XLV_DOMAIN_TYPE_HVM : XLV_DOMAIN_TYPE_PV;
    out->max_vcpus = xl->vcpu_max_id + 1;
    out->online_vcpus = xl->vcpu_online;
    out->memory_kib = xl->current_memkb;
}

static int dominfo_cmp(const void *a, const void *b)
{
    const xlv__dominfo *x = a, *y = b;

    return x->domid < y->domid ? -1 : x->domid > y->domid;
}

static int xen_list_domains(xlv_ctx *ctx, xlv__host *host,
                            xlv__dominfo **list_r, unsigned int *n_r)
{
    xen_host *h = xen_of(host);
    libxl_dominfo *doms = NULL;
    xlv__dominfo *list = NULL;
    unsigned int n = 0;
    int nb = 0, i, rc;

    log_reset(h);
    doms = libxl_list_domain(h->lx, &nb);
    if (!doms) {
        rc = fail(ctx, h, ERROR_FAIL, "cannot list the running domains");
        goto out;
    }
    list = calloc(nb ? (size_t)nb : 1, sizeof(*list));
    if (!list) {
        rc = xlv__nomem(ctx, "the list of domains");
        goto out;
    }
    for (i = 0; i < nb; i++) {
        char *name = libxl_domid_to_name(h->lx, doms[i].domid);

        /* A domain that already lost its name is going away: xl shows
         * it as "(null)", we leave it out. */
        if (!name)
            continue;
        dominfo_fill(&list[n++], &doms[i], name);
    }
    qsort(list, n, sizeof(*list), dominfo_cmp);

    *list_r = list;
    *n_r = n;
    list = NULL;
    rc = 0;
 out:
    xlv__dominfo_list_free(list, n);
    if (doms)
        libxl_dominfo_list_free(doms, nb);
    return rc;
}

/*
 * The lowest domid whose name in xenstore (/local/domain/DOMID/name, which
 * libxl writes) is NAME: the domain libxl_name_to_domid() finds, without
 * its list of every domain.  That list is one hypercall with room for 1024
 * domains (about 112 KiB, copied out on the stack) before it reads these
 * same names; skipping it saves a vcpu-set in the lab 28 of its 250 page
 * faults.  0 when found, ERROR_DOMAIN_NOTFOUND when no domain has the
 * name, ERROR_FAIL when xenstore could not be read (ask libxl then).
 */
static int xs_name_to_domid(xen_host *h, const char *name,
                            uint32_t *domid_r)
{
    struct xs_handle *xs = xs_get(h);
    char path[48], **ids, *end, *s;
    unsigned int n = 0, i;
    unsigned long id, best = DOMID_LIMIT;

    if (!xs)
        return ERROR_FAIL;
    ids = xs_directory(xs, XBT_NULL, "/local/domain", &n);
    for (i = 0; ids && i < n; i++) {
        errno = 0;
        id = strtoul(ids[i], &end, 10);
        if (errno || end == ids[i] || *end || id >= best)
            continue;
        snprintf(path, sizeof(path), "/local/domain/%lu/name", id);
        s = xs_read(xs, XBT_NULL, path, NULL);
        if (s && !strcmp(s, name))
            best = id;
        free(s);
    }
    if (!ids) {
        xs_done(h);                     /* the next lookup connects anew */
        return ERROR_FAIL;
    }
    free(ids);
    if (best == DOMID_LIMIT)
        return ERROR_DOMAIN_NOTFOUND;
    *domid_r = (uint32_t)best;
    return 0;
}

static int xen_domain_info(xlv_ctx *ctx, xlv__host *host, const char *who,
                           xlv__dominfo *info_r)
{
    xen_host *h = xen_of(host);
    libxl_dominfo xl;
    uint32_t domid;
    uint64_t v;
    char *name = NULL;
    bool by_name, from_xs = false;
    int rc, r;

    libxl_dominfo_init(&xl);
    log_reset(h);

    by_name = !*who || strspn(who, "0123456789") != strlen(who);
    if (!by_name) {
        if (xlv__number_parse(who, DOMID_LIMIT - 1, &v)) {
            rc = xlv__error(ctx, XLV_ERR_NOTFOUND,
                            "domain '%.100s' is not running", who);
            goto out;
        }
        domid = (uint32_t)v;
    } else {
        r = xs_name_to_domid(h, who, &domid);
        from_xs = !r;
        /* libxl_name_to_domid says ERROR_INVAL for "no such name". */
        if (r == ERROR_FAIL)
            r = libxl_name_to_domid(h->lx, who, &domid);
        if (r == ERROR_INVAL || r == ERROR_DOMAIN_NOTFOUND) {
            rc = xlv__error(ctx, XLV_ERR_NOTFOUND,
                            "domain '%.100s' is not running", who);
            goto out;
        }
        if (r) {
            rc = fail(ctx, h, r, "cannot look up domain '%.100s'", who);
            goto out;
        }
    }

    r = libxl_domain_info(h->lx, &xl, domid);
    if ((r == ERROR_DOMAIN_NOTFOUND || r == ERROR_INVAL) && from_xs) {
        /* Its name in xenstore outlived the domain: ask libxl. */
        r = libxl_name_to_domid(h->lx, who, &domid);
        if (!r)
            r = libxl_domain_info(h->lx, &xl, domid);
    }
    if (r == ERROR_DOMAIN_NOTFOUND || r == ERROR_INVAL) {
        rc = xlv__error(ctx, XLV_ERR_NOTFOUND,
                        "domain '%.100s' is not running", who);
        goto out;
    }
    if (r) {
        rc = fail(ctx, h, r, "cannot read the state of domain '%.100s'",
                  who);
        goto out;
    }
    /* Looked up by name, the name is known: one xenstore read less. */
    name = by_name ? strdup(who) : libxl_domid_to_name(h->lx, domid);
    if (!name) {
        rc = by_name ? xlv__nomem(ctx, "a domain name")
                     : xlv__error(ctx, XLV_ERR_NOTFOUND,
                                  "domain '%.100s' is not running", who);
        goto out;
    }

    dominfo_fill(info_r, &xl, name);
    name = NULL;
    rc = 0;
 out:
    free(name);
    libxl_dominfo_dispose(&xl);
    return rc;
}

/* Copy the first NBITS bits of SRC into DST, sized for NBITS. */
static int bitmap_take(xlv_ctx *ctx, libxl_bitmap *dst,
                       const libxl_bitmap *src, unsigned int nbits)
{
    unsigned int i;
    int rc;

    rc = xlv__bitmap_alloc(ctx, dst, nbits);
    if (rc) return rc;
    for (i = 0; i < nbits; i++) {
        if (libxl_bitmap_test(src, i))
            libxl_bitmap_set(dst, i);
    }
    return 0;
}

static int xen_list_vcpus(xlv_ctx *ctx, xlv__host *host, uint32_t domid,
                          xlv__vcpuinfo **list_r, unsigned int *n_r)
{
    xen_host *h = xen_of(host);
    libxl_vcpuinfo *v = NULL;
    xlv__vcpuinfo *list = NULL;
    char label[128];
    int nb = 0, nr_cpus = 0, i, rc;

    log_reset(h);
    v = libxl_list_vcpu(h->lx, domid, &nb, &nr_cpus);
    if (!v) {
        if (libxl_domain_info(h->lx, NULL, domid) ==
            ERROR_DOMAIN_NOTFOUND) {
            rc = xlv__error(ctx, XLV_ERR_NOTFOUND,
                            "domain with id '%u' is not running", domid);
            goto out;
        }
        dom_label(h, domid, label, sizeof(label));
        rc = fail(ctx, h, ERROR_FAIL, "cannot list the vcpus of domain %s",
                  label);
        goto out;
    }
    list = calloc(nb ? (size_t)nb : 1, sizeof(*list));
    if (!list) {
        rc = xlv__nomem(ctx, "the list of vcpus");
        goto out;
    }
    /* libxl gives one entry per vCPU id, 0 to vcpu_max_id, in order. */
    for (i = 0; i < nb; i++) {
        xlv__vcpuinfo *o = &list[i];

        o->vcpu = v[i].vcpuid;
        o->online = v[i].online;
        o->running = v[i].running;
        o->blocked = v[i].blocked;
        o->cpu = v[i].online ? (int)v[i].cpu : -1;
        o->time_ns = v[i].vcpu_time;
        rc = bitmap_take(ctx, &o->hard, &v[i].cpumap, (unsigned int)nr_cpus);
        if (rc) goto out;
        rc = bitmap_take(ctx, &o->soft, &v[i].cpumap_soft,
                         (unsigned int)nr_cpus);
        if (rc) goto out;
    }

    *list_r = list;
    *n_r = (unsigned int)nb;
    list = NULL;
    rc = 0;
 out:
    xlv__vcpuinfo_list_free(list, (unsigned int)nb);
    if (v)
        libxl_vcpuinfo_list_free(v, nb);
    return rc;
}

static int xen_set_vcpuonline(xlv_ctx *ctx, xlv__host *host, uint32_t domid,
                              const libxl_bitmap *online)
{
    xen_host *h = xen_of(host);
    libxl_bitmap map;
    char label[128];
    char *set = NULL;
    int rc, r;

    libxl_bitmap_init(&map);
    log_reset(h);
    xs_done(h);

    /* libxl wants a map it may write to; it does not, but give it ours. */
    rc = xlv__bitmap_copy(ctx, &map, online);
    if (rc) goto out;
    r = libxl_set_vcpuonline(h->lx, domid, &map, NULL);
    if (r == ERROR_DOMAIN_NOTFOUND) {
        rc = xlv__error(ctx, XLV_ERR_NOTFOUND,
                        "domain with id '%u' is not running", domid);
        goto out;
    }
    if (r) {
        set = xlv__cpuset_format(online);
        dom_label(h, domid, label, sizeof(label));
        rc = fail(ctx, h, r, "cannot set the online vcpus of domain %s "
                  "to '%.100s'", label, set ? set : "?");
        goto out;
    }
    rc = 0;
 out:
    free(set);
    libxl_bitmap_dispose(&map);
    return rc;
}

static int xen_set_vcpuaffinity(xlv_ctx *ctx, xlv__host *host,
                                uint32_t domid, unsigned int vcpu,
                                const libxl_bitmap *hard,
                                const libxl_bitmap *soft, bool force)
{
    xen_host *h = xen_of(host);
    char label[128], sets[256];
    char *hs = NULL, *ss = NULL;
    int rc, r;

    log_reset(h);
    xs_done(h);
    if (!hard && !soft) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "vcpu '%u' of domain with id "
                        "'%u': neither hard nor soft affinity given",
                        vcpu, domid);
        goto out;
    }
    if (force)
        r = libxl_set_vcpuaffinity_force(h->lx, domid, vcpu, hard, soft);
    else
        r = libxl_set_vcpuaffinity(h->lx, domid, vcpu, hard, soft);
    if (r == ERROR_DOMAIN_NOTFOUND) {
        rc = xlv__error(ctx, XLV_ERR_NOTFOUND,
                        "domain with id '%u' is not running", domid);
        goto out;
    }
    if (r) {
        hs = hard ? xlv__cpuset_format(hard) : NULL;
        ss = soft ? xlv__cpuset_format(soft) : NULL;
        if (hard && soft)
            snprintf(sets, sizeof(sets), "hard '%.100s' and soft '%.100s'",
                     hs ? hs : "?", ss ? ss : "?");
        else
            snprintf(sets, sizeof(sets), "%s '%.100s'",
                     hard ? "hard" : "soft",
                     (hard ? hs : ss) ? (hard ? hs : ss) : "?");
        dom_label(h, domid, label, sizeof(label));
        rc = fail(ctx, h, r, "cannot pin vcpu '%u' of domain %s to %s",
                  vcpu, label, sets);
        goto out;
    }
    rc = 0;
 out:
    free(hs);
    free(ss);
    return rc;
}

static int xen_create(xlv_ctx *ctx, xlv__host *host,
                      struct libxl_domain_config *cfg, uint32_t *domid_r)
{
    xen_host *h = xen_of(host);
    const char *name = cfg->c_info.name ? cfg->c_info.name : "";
    uint32_t domid = INVALID_DOMID;
    char cause[LOGLINE_MAX];
    int rc, r, r2;

    log_reset(h);
    xs_done(h);
    /* On failure libxl destroys what it had built of the domain. */
    r = libxl_domain_create_new(h->lx, cfg, &domid, NULL, NULL);
    if (r) {
        rc = fail(ctx, h, r, "cannot create domain '%.100s'", name);
        goto out;
    }
    r = libxl_domain_unpause(h->lx, domid, NULL);
    if (r) {
        /* Keep the unpause error: it is the one to report. */
        memcpy(cause, h->lg.last, sizeof(cause));
        r2 = libxl_domain_destroy(h->lx, domid, NULL);
        memcpy(h->lg.last, cause, sizeof(cause));
        rc = fail(ctx, h, r, "cannot unpause new domain '%.100s' (id %u), "
                  "%s", name, domid,
                  r2 ? "and destroying it failed too" : "destroyed it");
        goto out;
    }

    *domid_r = domid;
    rc = 0;
 out:
    return rc;
}

static int xen_destroy(xlv_ctx *ctx, xlv__host *host, uint32_t domid)
{
    xen_host *h = xen_of(host);
    char label[128];
    int rc, r;

    log_reset(h);
    xs_done(h);
    dom_label(h, domid, label, sizeof(label));
    r = libxl_domain_destroy(h->lx, domid, NULL);
    if (r == ERROR_DOMAIN_NOTFOUND) {
        rc = xlv__error(ctx, XLV_ERR_NOTFOUND, "domain %s is not running",
                        label);
        goto out;
    }
    if (r) {
        rc = fail(ctx, h, r, "cannot destroy domain %s", label);
        goto out;
    }
    rc = 0;
 out:
    return rc;
}

const struct xlv__host_ops xlv__host_xen_ops = {
    .scheme = "xen",
    .open = xen_open,
    .close = xen_close,
    .physinfo = xen_physinfo,
    .list_domains = xen_list_domains,
    .domain_info = xen_domain_info,
    .domain_type = xen_domain_type,
    .list_vcpus = xen_list_vcpus,
    .set_vcpuonline = xen_set_vcpuonline,
    .set_vcpuaffinity = xen_set_vcpuaffinity,
    .create = xen_create,
    .destroy = xen_destroy,
};
