/*
 * The test:///PATH host: a simulated Xen host whose whole state (physical
 * CPUs, NUMA nodes, running domains, their vCPUs, online maps and
 * affinities) is the JSON file PATH, in the spirit of libvirt's
 * test:///default driver.  A missing file is the default host: 8 pCPUs in
 * 2 NUMA nodes and Domain-0 with 2 vCPUs.
 *
 * Every call takes the lock PATH.lock (as the store locks a domain),
 * reads the file, and when it changes something replaces it atomically
 * (as the store replaces a definition) before letting go of the lock, so
 * that concurrent processes lose no update and never see half a file.
 *
 * The calls refuse what libxl and Xen refuse, with the same error codes
 * and words the xen host gives.  The URI's parameters make calls fail
 * and trace them (host_test_faults.c); the state's model and its JSON
 * are in host_test_state.c and host_test_json.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpuset.h"
#include "dirfile.h"
#include "host_test.h"

/* The largest state file read. */
#define MAX_STATE_BYTES (32u * 1024 * 1024)

/* libxl's defaults for a domain built without a memory size. */
#define LIBXL_DEFAULT_MAX_MEMKB (32ull * 1024)

/* How much CPU time an online vCPU gets between two listings. */
#define TIME_STEP_NS 1000000

typedef struct {
    xlv__host host;             /* first: the generic code casts */
    char *path;                 /* the state file */
    char *lock_path;            /* PATH.lock, for messages */
    char *dir;                  /* PATH's directory, for messages */
    int dirfd;                  /* PATH's directory */
    char *file, *lock_file, *tmp_file;  /* names in it */
    xlv__test_faults faults;
} test_host;

/*---- one locked change of the state ----*/

/*
 * What an operation does under the lock: reads ST, may change it, and
 * sets *SAVE_R when the change must be written back.  ARG carries the
 * operation's inputs and outputs.
 */
typedef int (*state_change)(xlv_ctx *ctx, xlv__test_state *st, void *arg,
                            bool *save_r);

/* Read the state file into the empty ST; no file is the default host. */
static int state_load(xlv_ctx *ctx, const test_host *th, xlv__test_state *st)
{
    xlv__error_state saved;
    char *buf = NULL;
    size_t len;
    int rc;

    xlv__error_save(ctx, &saved);
    /* The whole host is this file: only we may have written it. */
    rc = xlv__file_read(ctx, &buf, &len, th->path, MAX_STATE_BYTES,
                        XLV__FILE_PRIVATE);
    if (rc == XLV_ERR_NOTFOUND) {
        xlv__error_restore(ctx, &saved);
        rc = xlv__test_state_default(ctx, st);
        goto out;
    }
    if (rc) goto out;
    rc = xlv__test_state_parse(ctx, st, th->path, buf, len);
 out:
    free(buf);
    return rc;
}

static int state_save(xlv_ctx *ctx, const test_host *th,
                      const xlv__test_state *st)
{
    char *buf = NULL;
    size_t len;
    int rc;

    rc = xlv__test_state_encode(ctx, &buf, &len, th->path, st);
    if (rc) goto out;
    rc = xlv__dirfile_replace(ctx, th->dirfd, th->dir, th->file,
                              th->tmp_file, buf, len);
 out:
    free(buf);
    return rc;
}

/*
 * Lock, load, CHANGE, save what changed, unlock: the one sequence every
 * operation runs its CHANGE in.
 */
static int with_state(xlv_ctx *ctx, const test_host *th, state_change change,
                      void *arg)
{
    char what[PATH_MAX + 16];
    xlv__test_state st;
    bool save = false;
    int lock = -1;
    int rc;

    xlv__test_state_init(&st);
    snprintf(what, sizeof(what), "test host '%.200s'", th->path);
    rc = xlv__dirfile_lock(ctx, th->dirfd, th->lock_file, th->lock_path,
                           what, XLV__LOCK_TIMEOUT_MS, &lock);
    if (rc) goto out;
    rc = state_load(ctx, th, &st);
    if (rc) goto out;
    rc = change(ctx, &st, arg, &save);
    if (rc) goto out;
    if (save)
        rc = state_save(ctx, th, &st);
 out:
    xlv__dirfile_unlock(lock);
    xlv__test_state_dispose(&st);
    return rc;
}

/* Operation OP: counted, failed when fail= says so, else CHANGE run by
 * with_state(). */
static int run_op(xlv_ctx *ctx, test_host *th, int op, state_change change,
                  void *arg)
{
    int rc;

    rc = xlv__test_faults_call(ctx, &th->faults, op);
    if (rc) return rc;
    return with_state(ctx, th, change, arg);
}

/*---- answers and refusals ----*/

static int fill_dominfo(xlv_ctx *ctx, xlv__dominfo *info,
                        const xlv__test_domain *d)
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
    return xlv__error(ctx, XLV_ERR_NOTFOUND, "domain with id '%u' is not "
                      "running", domid);
}

static int vcpu_above_max(xlv_ctx *ctx, long vcpu, const xlv__test_domain *d)
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
                         const xlv__test_domain *d)
{
    unsigned int i, n = xlv__bitmap_nbits(in);
    char *s;
    int rc;

    rc = xlv__bitmap_alloc(ctx, out, pcpus);
    if (rc) return rc;
    for (i = 0; i < n && i < pcpus; i++) {
        if (libxl_bitmap_test(in, i))
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

/* Replace *OLD by *NEW, which is left empty. */
static void bitmap_move(libxl_bitmap *old, libxl_bitmap *new)
{
    libxl_bitmap_dispose(old);
    *old = *new;
    libxl_bitmap_init(new);
}

/*
 * Set the affinities of D's vCPUs from libxl's per-vCPU arrays (N of
 * them), as libxl__build_pre() does: vCPUs past N keep "all".
 */
static int create_affinity(xlv_ctx *ctx, xlv__test_domain *d,
                           unsigned int pcpus, const libxl_bitmap *maps, int n,
                           bool hard)
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
        bitmap_move(hard ? &d->vcpus[i].hard : &d->vcpus[i].soft, &bm);
    }
    rc = 0;
 out:
    libxl_bitmap_dispose(&bm);
    return rc;
}

/* A free domid from ST->next_domid on, as Xen hands them out. */
static int alloc_domid(xlv_ctx *ctx, xlv__test_state *st, uint32_t *domid_r)
{
    uint32_t domid = st->next_domid, i;

    for (i = 0; i < XLV__TEST_MAX_DOMID; i++) {
        if (domid < 1 || domid > XLV__TEST_MAX_DOMID)
            domid = 1;
        if (!xlv__test_find_domid(st, domid)) {
            *domid_r = domid;
            st->next_domid = domid < XLV__TEST_MAX_DOMID ? domid + 1 : 1;
            return 0;
        }
        domid++;
    }
    return xlv__error(ctx, XLV_ERR_STATE, "test host: no free domid");
}

/*---- the operations ----*/

static void test_close(xlv__host *host)
{
    test_host *th = (test_host *)host;

    if (!th)
        return;
    if (th->dirfd >= 0)
        close(th->dirfd);
    free(th->path);
    free(th->lock_path);
    free(th->dir);
    free(th->file);
    free(th->lock_file);
    free(th->tmp_file);
    xlv__test_faults_dispose(&th->faults);
    free(th);
}

/* *S_R = A followed by B; the caller frees it. */
static int concat(xlv_ctx *ctx, char **s_r, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);

    if (!s)
        return xlv__nomem(ctx, "the test host");
    memcpy(s, a, la);
    memcpy(s + la, b, lb + 1);
    *s_r = s;
    return 0;
}

/* The names TH works with, from the state file's absolute PATH. */
static int set_paths(xlv_ctx *ctx, test_host *th, const char *path)
{
    const char *base = strrchr(path, '/') + 1;
    size_t slash;
    int rc;

    rc = xlv__strdup(ctx, &th->path, path);
    if (rc) return rc;
    rc = concat(ctx, &th->lock_path, path, ".lock");
    if (rc) return rc;
    rc = xlv__strdup(ctx, &th->file, base);
    if (rc) return rc;
    rc = concat(ctx, &th->lock_file, base, ".lock");
    if (rc) return rc;
    rc = concat(ctx, &th->tmp_file, base, ".tmp");
    if (rc) return rc;
    rc = xlv__strdup(ctx, &th->dir, path);
    if (rc) return rc;
    slash = (size_t)(base - 1 - path);
    th->dir[slash ? slash : 1] = '\0';     /* "/x" lives in "/" */
    return 0;
}

/* Nothing to change: the state was read, so it is not corrupt. */
static int check_only(xlv_ctx *ctx, xlv__test_state *st, void *arg,
                      bool *save_r)
{
    (void)ctx;
    (void)st;
    (void)arg;
    (void)save_r;
    return 0;
}

static int test_open(xlv_ctx *ctx, xlv__host **host_r, const char *uri_path)
{
    test_host *th = NULL;
    char *arg = NULL, *query;
    int rc;

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
    th->dirfd = -1;
    rc = set_paths(ctx, th, arg);
    if (rc) goto out;
    if (query) {
        rc = xlv__test_faults_parse(ctx, &th->faults, query);
        if (rc) goto out;
    }
    th->dirfd = open(th->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (th->dirfd < 0) {
        rc = xlv__error(ctx, XLV_ERR_IO, "test host '%.200s': cannot open "
                        "directory '%.200s': %s", th->path, th->dir,
                        strerror(errno));
        goto out;
    }

    /* Refuse a corrupt state now rather than at the first call. */
    rc = with_state(ctx, th, check_only, NULL);
    if (rc) goto out;

    *host_r = &th->host;
    th = NULL;
    rc = 0;
 out:
    test_close(th ? &th->host : NULL);
    free(arg);
    return rc;
}

typedef struct {
    unsigned int nr_cpus, caps;
    bool want_nodes;
    libxl_bitmap *nodes;
    unsigned int n_nodes;
} physinfo_args;

static int physinfo_read(xlv_ctx *ctx, xlv__test_state *st, void *arg,
                         bool *save_r)
{
    physinfo_args *a = arg;
    unsigned int i;
    int rc;

    (void)save_r;
    a->nr_cpus = st->pcpus;
    a->caps = st->caps;
    if (!a->want_nodes)
        return 0;
    a->nodes = calloc(st->n_nodes, sizeof(*a->nodes));
    if (!a->nodes)
        return xlv__nomem(ctx, "the numa nodes");
    for (i = 0; i < st->n_nodes; i++) {
        libxl_bitmap_init(&a->nodes[i]);
        a->n_nodes = i + 1;
        rc = xlv__bitmap_copy(ctx, &a->nodes[i], &st->nodes[i]);
        if (rc) return rc;
    }
    return 0;
}

static int test_physinfo(xlv_ctx *ctx, xlv__host *host,
                         unsigned int *nr_cpus_r, unsigned int *caps_r,
                         libxl_bitmap **nodes_r, unsigned int *n_nodes_r)
{
    test_host *th = (test_host *)host;
    physinfo_args a = { .want_nodes = nodes_r != NULL };
    int rc;

    rc = run_op(ctx, th, XLV__TEST_OP_PHYSINFO, physinfo_read, &a);
    if (rc) goto out;

    *nr_cpus_r = a.nr_cpus;
    if (caps_r)
        *caps_r = a.caps;
    if (nodes_r) {
        *nodes_r = a.nodes;
        *n_nodes_r = a.n_nodes;
        a.nodes = NULL;
        a.n_nodes = 0;
    }
    rc = 0;
 out:
    xlv__bitmap_array_free(a.nodes, a.n_nodes);
    return rc;
}

typedef struct {
    xlv__dominfo *list;
    unsigned int n;
} domains_args;

static int domains_read(xlv_ctx *ctx, xlv__test_state *st, void *arg,
                        bool *save_r)
{
    domains_args *a = arg;
    unsigned int i;
    int rc;

    (void)save_r;
    /* One element at least, so that an empty list is not NULL. */
    a->list = calloc(st->n_doms ? st->n_doms : 1, sizeof(*a->list));
    if (!a->list)
        return xlv__nomem(ctx, "the domain list");
    for (i = 0; i < st->n_doms; i++) {
        rc = fill_dominfo(ctx, &a->list[i], &st->doms[i]);
        if (rc) return rc;
        a->n = i + 1;
    }
    return 0;
}

static int test_list_domains(xlv_ctx *ctx, xlv__host *host,
                             xlv__dominfo **list_r, unsigned int *n_r)
{
    test_host *th = (test_host *)host;
    domains_args a = { NULL, 0 };
    int rc;

    rc = run_op(ctx, th, XLV__TEST_OP_LIST_DOMAINS, domains_read, &a);
    if (rc) goto out;

    *list_r = a.list;
    *n_r = a.n;
    a.list = NULL;
    a.n = 0;
    rc = 0;
 out:
    xlv__dominfo_list_free(a.list, a.n);
    return rc;
}

typedef struct {
    const char *who;
    xlv__dominfo info;
} info_args;

static int info_read(xlv_ctx *ctx, xlv__test_state *st, void *arg,
                     bool *save_r)
{
    info_args *a = arg;
    xlv__test_domain *d = NULL;
    uint64_t domid;

    (void)save_r;
    if (xlv__all_digits(a->who)) {
        if (!xlv__number_parse(a->who, UINT32_MAX, &domid))
            d = xlv__test_find_domid(st, (uint32_t)domid);
    } else {
        d = xlv__test_find_name(st, a->who);
    }
    if (!d)
        return xlv__error(ctx, XLV_ERR_NOTFOUND, "domain '%.100s' is not "
                          "running", a->who);
    return fill_dominfo(ctx, &a->info, d);
}

static int test_domain_info(xlv_ctx *ctx, xlv__host *host, const char *who,
                            xlv__dominfo *info_r)
{
    test_host *th = (test_host *)host;
    info_args a = { .who = who };
    int rc;

    rc = run_op(ctx, th, XLV__TEST_OP_DOMAIN_INFO, info_read, &a);
    if (rc) goto out;

    *info_r = a.info;
    a.info.name = NULL;
    rc = 0;
 out:
    free(a.info.name);
    return rc;
}

typedef struct {
    uint32_t domid;
    xlv__vcpuinfo *list;
    unsigned int n;
} vcpus_args;

/* The vCPUs of a domain; online ones run a little between two looks. */
static int vcpus_read(xlv_ctx *ctx, xlv__test_state *st, void *arg,
                      bool *save_r)
{
    vcpus_args *a = arg;
    xlv__test_domain *d;
    unsigned int i;
    int rc;

    d = xlv__test_find_domid(st, a->domid);
    if (!d)
        return not_running(ctx, a->domid);
    a->list = calloc(d->max_vcpus, sizeof(*a->list));
    if (!a->list)
        return xlv__nomem(ctx, "the vcpu list");
    for (i = 0; i < d->max_vcpus; i++) {
        xlv__test_vcpu *v = &d->vcpus[i];
        xlv__vcpuinfo *vi = &a->list[i];

        if (v->online && v->time_ns <= XLV__TEST_MAX_TIME_NS - TIME_STEP_NS)
            v->time_ns += TIME_STEP_NS;
        libxl_bitmap_init(&vi->hard);
        libxl_bitmap_init(&vi->soft);
        a->n = i + 1;
        vi->vcpu = i;
        vi->online = v->online;
        vi->running = false;
        vi->blocked = v->online;
        vi->cpu = xlv__test_vcpu_cpu(v);
        vi->time_ns = v->time_ns;
        rc = xlv__bitmap_copy(ctx, &vi->hard, &v->hard);
        if (rc) return rc;
        rc = xlv__bitmap_copy(ctx, &vi->soft, &v->soft);
        if (rc) return rc;
    }
    *save_r = true;
    return 0;
}

static int test_list_vcpus(xlv_ctx *ctx, xlv__host *host, uint32_t domid,
                           xlv__vcpuinfo **list_r, unsigned int *n_r)
{
    test_host *th = (test_host *)host;
    vcpus_args a = { domid, NULL, 0 };
    int rc;

    rc = run_op(ctx, th, XLV__TEST_OP_LIST_VCPUS, vcpus_read, &a);
    if (rc) goto out;

    *list_r = a.list;
    *n_r = a.n;
    a.list = NULL;
    a.n = 0;
    rc = 0;
 out:
    xlv__vcpuinfo_list_free(a.list, a.n);
    return rc;
}

typedef struct {
    uint32_t domid;
    const libxl_bitmap *online;
} online_args;

static int online_change(xlv_ctx *ctx, xlv__test_state *st, void *arg,
                         bool *save_r)
{
    online_args *a = arg;
    xlv__test_domain *d;
    unsigned int i;
    int last;

    d = xlv__test_find_domid(st, a->domid);
    if (!d)
        return not_running(ctx, a->domid);
    last = a->online ? xlv__bitmap_last(a->online) : -1;
    if (last < 0)
        return xlv__error(ctx, XLV_ERR_INVAL, "domain '%s' must keep a vcpu "
                          "online: the online map is empty", d->name);
    if ((unsigned int)last >= d->max_vcpus)
        return vcpu_above_max(ctx, last, d);

    /* Affinities stay: a pin survives unplug and plug. */
    for (i = 0; i < d->max_vcpus; i++)
        d->vcpus[i].online = libxl_bitmap_test(a->online, i);
    *save_r = true;
    return 0;
}

static int test_set_vcpuonline(xlv_ctx *ctx, xlv__host *host, uint32_t domid,
                               const libxl_bitmap *online)
{
    test_host *th = (test_host *)host;
    online_args a = { domid, online };

    return run_op(ctx, th, XLV__TEST_OP_SET_VCPUONLINE, online_change, &a);
}

typedef struct {
    uint32_t domid;
    unsigned int vcpu;
    const libxl_bitmap *hard, *soft;
} affinity_args;

static int affinity_change(xlv_ctx *ctx, xlv__test_state *st, void *arg,
                           bool *save_r)
{
    affinity_args *a = arg;
    libxl_bitmap hard, soft;
    xlv__test_domain *d;
    int rc;

    libxl_bitmap_init(&hard);
    libxl_bitmap_init(&soft);
    if (!a->hard && !a->soft) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "vcpu '%u' of domain with id "
                        "'%u': neither hard nor soft affinity given",
                        a->vcpu, a->domid);
        goto out;
    }
    d = xlv__test_find_domid(st, a->domid);
    if (!d) {
        rc = not_running(ctx, a->domid);
        goto out;
    }
    if (a->vcpu >= d->max_vcpus) {
        rc = vcpu_above_max(ctx, (long)a->vcpu, d);
        goto out;
    }
    if (a->hard) {
        rc = host_affinity(ctx, &hard, a->hard, st->pcpus, "hard", a->vcpu,
                           d);
        if (rc) goto out;
    }
    if (a->soft) {
        rc = host_affinity(ctx, &soft, a->soft, st->pcpus, "soft", a->vcpu,
                           d);
        if (rc) goto out;
    }
    /* Offline vCPUs can be pinned too, as on Xen. */
    if (a->hard)
        bitmap_move(&d->vcpus[a->vcpu].hard, &hard);
    if (a->soft)
        bitmap_move(&d->vcpus[a->vcpu].soft, &soft);
    *save_r = true;
    rc = 0;
 out:
    libxl_bitmap_dispose(&hard);
    libxl_bitmap_dispose(&soft);
    return rc;
}

static int test_set_vcpuaffinity(xlv_ctx *ctx, xlv__host *host, uint32_t domid,
                                 unsigned int vcpu, const libxl_bitmap *hard,
                                 const libxl_bitmap *soft, bool force)
{
    test_host *th = (test_host *)host;
    affinity_args a = { domid, vcpu, hard, soft };

    /* FORCE only skips libxl's check of the node affinity, which a host
     * without placement does not have. */
    (void)force;
    return run_op(ctx, th, XLV__TEST_OP_SET_VCPUAFFINITY, affinity_change,
                  &a);
}

typedef struct {
    const struct libxl_domain_config *cfg;
    const libxl_domain_build_info *b;
    const char *name;
    xlv__test_domain d;         /* type and memory checked, then built */
    uint32_t domid;
} create_args;

/* What libxl checks of CFG before it asks Xen, into A->d. */
static int create_check(xlv_ctx *ctx, create_args *a)
{
    const struct libxl_domain_config *cfg = a->cfg;
    const char *why = a->name ? xlv__test_name_problem(a->name)
                              : "is missing";
    unsigned int limit;
    uint64_t maxmem;

    if (why)
        return xlv__error(ctx, XLV_ERR_INVAL, "domain name '%.100s' %s",
                          a->name ? a->name : "", why);
    switch (cfg->c_info.type) {
    case LIBXL_DOMAIN_TYPE_PV: a->d.type = XLV_DOMAIN_TYPE_PV; break;
    case LIBXL_DOMAIN_TYPE_PVH: a->d.type = XLV_DOMAIN_TYPE_PVH; break;
    case LIBXL_DOMAIN_TYPE_HVM: a->d.type = XLV_DOMAIN_TYPE_HVM; break;
    default:
        return xlv__error(ctx, XLV_ERR_INVAL, "domain '%s': type '%d' is "
                          "not pv, pvh or hvm", a->name,
                          (int)cfg->c_info.type);
    }
    /* libxl's default: one vCPU. */
    a->d.max_vcpus = a->b->max_vcpus > 0 ? (unsigned int)a->b->max_vcpus
                                         : 1;
    limit = a->d.type == XLV_DOMAIN_TYPE_PV ? XLV_MAX_VCPUS_PV
                                            : XLV_MAX_VCPUS_HVM;
    if (a->d.max_vcpus > limit)
        return xlv__error(ctx, XLV_ERR_INVAL, "domain '%s': max_vcpus '%u' "
                          "is above the limit of %u for %s guests", a->name,
                          a->d.max_vcpus, limit,
                          xlv__domain_type_name(a->d.type));
    maxmem = a->b->max_memkb == LIBXL_MEMKB_DEFAULT ? LIBXL_DEFAULT_MAX_MEMKB
                                                    : a->b->max_memkb;
    a->d.memory_kib = a->b->target_memkb == LIBXL_MEMKB_DEFAULT
                      ? maxmem : a->b->target_memkb;
    if (a->d.memory_kib > XLV__TEST_MAX_MEMORY_KIB)
        return xlv__error(ctx, XLV_ERR_INVAL, "domain '%s': memory '%llu' "
                          "KiB is more than the test host has", a->name,
                          (unsigned long long)a->d.memory_kib);
    return 0;
}

/* D's vCPUs online at boot: libxl's avail_vcpus, vCPU 0 by default. */
static int create_online(xlv_ctx *ctx, xlv__test_domain *d,
                         const libxl_bitmap *avail)
{
    unsigned int i;
    int last;

    if (!avail->size) {
        d->vcpus[0].online = true;
        return 0;
    }
    last = xlv__bitmap_last(avail);
    if (last < 0)
        return xlv__error(ctx, XLV_ERR_INVAL, "domain '%s' must boot with a "
                          "vcpu online: avail_vcpus is empty", d->name);
    if ((unsigned int)last >= d->max_vcpus)
        return vcpu_above_max(ctx, last, d);
    for (i = 0; i < d->max_vcpus; i++)
        d->vcpus[i].online = libxl_bitmap_test(avail, i);
    return 0;
}

/* D's affinities at boot, from B as libxl__build_pre() sets them. */
static int create_affinities(xlv_ctx *ctx, xlv__test_domain *d,
                             unsigned int pcpus,
                             const libxl_domain_build_info *b)
{
    unsigned int i;
    int rc;

    /* libxl turns a cpumap into the hard affinity of every vCPU. */
    if (!b->num_vcpu_hard_affinity && b->cpumap.size) {
        rc = create_affinity(ctx, d, pcpus, &b->cpumap, 1, true);
        if (rc) return rc;
        for (i = 1; i < d->max_vcpus; i++) {
            rc = xlv__bitmap_copy(ctx, &d->vcpus[i].hard, &d->vcpus[0].hard);
            if (rc) return rc;
        }
    } else {
        rc = create_affinity(ctx, d, pcpus, b->vcpu_hard_affinity,
                             b->num_vcpu_hard_affinity, true);
        if (rc) return rc;
    }
    return create_affinity(ctx, d, pcpus, b->vcpu_soft_affinity,
                           b->num_vcpu_soft_affinity, false);
}

/* Put D into ST->doms, which stays ordered by domid; D is left empty. */
static int add_domain(xlv_ctx *ctx, xlv__test_state *st, xlv__test_domain *d)
{
    xlv__test_domain *doms;
    unsigned int i;

    doms = realloc(st->doms, (st->n_doms + 1) * sizeof(*doms));
    if (!doms)
        return xlv__nomem(ctx, "the domains of the test host");
    st->doms = doms;
    for (i = st->n_doms; i > 0 && doms[i - 1].domid > d->domid; i--)
        doms[i] = doms[i - 1];
    doms[i] = *d;
    st->n_doms++;
    memset(d, 0, sizeof(*d));
    return 0;
}

static int create_change(xlv_ctx *ctx, xlv__test_state *st, void *arg,
                         bool *save_r)
{
    create_args *a = arg;
    int rc;

    rc = create_check(ctx, a);
    if (rc) return rc;
    if (xlv__test_find_name(st, a->name))
        return xlv__error(ctx, XLV_ERR_CONFLICT, "domain '%s' is already "
                          "running", a->name);
    rc = xlv__strdup(ctx, &a->d.name, a->name);
    if (rc) return rc;
    rc = xlv__test_domain_alloc_vcpus(ctx, &a->d, a->d.max_vcpus,
                                      st->pcpus);
    if (rc) return rc;
    rc = create_online(ctx, &a->d, &a->b->avail_vcpus);
    if (rc) return rc;
    rc = create_affinities(ctx, &a->d, st->pcpus, a->b);
    if (rc) return rc;
    rc = alloc_domid(ctx, st, &a->d.domid);
    if (rc) return rc;
    a->domid = a->d.domid;
    rc = add_domain(ctx, st, &a->d);
    if (rc) return rc;
    *save_r = true;
    return 0;
}

static int test_create(xlv_ctx *ctx, xlv__host *host,
                       struct libxl_domain_config *cfg, uint32_t *domid_r)
{
    test_host *th = (test_host *)host;
    create_args a;
    int rc;

    memset(&a, 0, sizeof(a));
    a.cfg = cfg;
    a.b = &cfg->b_info;
    a.name = cfg->c_info.name;
    rc = run_op(ctx, th, XLV__TEST_OP_CREATE, create_change, &a);
    if (rc) goto out;
    *domid_r = a.domid;
    rc = 0;
 out:
    xlv__test_domain_dispose(&a.d);
    return rc;
}

typedef struct {
    uint32_t domid;
} destroy_args;

static int destroy_change(xlv_ctx *ctx, xlv__test_state *st, void *arg,
                          bool *save_r)
{
    destroy_args *a = arg;
    xlv__test_domain *d;
    unsigned int i;

    if (!a->domid)
        return xlv__error(ctx, XLV_ERR_INVAL, "cannot destroy Domain-0");
    d = xlv__test_find_domid(st, a->domid);
    if (!d)
        return not_running(ctx, a->domid);
    xlv__test_domain_dispose(d);
    i = (unsigned int)(d - st->doms);
    memmove(d, d + 1, (st->n_doms - i - 1) * sizeof(*d));
    st->n_doms--;
    *save_r = true;
    return 0;
}

static int test_destroy(xlv_ctx *ctx, xlv__host *host, uint32_t domid)
{
    test_host *th = (test_host *)host;
    destroy_args a = { domid };

    return run_op(ctx, th, XLV__TEST_OP_DESTROY, destroy_change, &a);
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
