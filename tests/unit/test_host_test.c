/*
 * Unit tests of host_test.c, the test:///PATH host: the default host,
 * domains created from a libxl_domain_config, vCPU hot-plug and pinning
 * with libxl's and Xen's refusals, persistence, corrupt state files,
 * failure injection and concurrent processes.  The driver is called
 * through its ops table, as the generic host code does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <yajl_tree.h>

#include "cpuset.h"
#include "host.h"

#define OPS (&xlv__host_test_ops)
#define CORRUPT "corrupt state: "

typedef struct {
    xlv_ctx *ctx;
    char dir[64];
    char path[128];
} fixture;

static void remove_files(const fixture *f)
{
    static const char *const suffixes[] = { "", ".lock", ".tmp", NULL };
    char p[160];
    unsigned int i;

    for (i = 0; suffixes[i]; i++) {
        snprintf(p, sizeof(p), "%s%s", f->path, suffixes[i]);
        unlink(p);
    }
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/test_host_test.XXXXXX");
    if (!mkdtemp(f->dir) || xlv_ctx_new(&f->ctx, NULL, 0)) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof(f->path), "%s/host.json", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    remove_files(f);
    rmdir(f->dir);
    xlv_ctx_free(f->ctx);
    free(f);
    return 0;
}

/* ---- helpers ---------------------------------------------------------- */

static void check_rc(const fixture *f, int rc, const char *what)
{
    if (rc)
        fail_msg("%s: rc %d: %s", what, rc, xlv_ctx_error(f->ctx));
}

/* The last call failed with RC and, unless NULL, exactly message MSG. */
static void check_fail(const fixture *f, int got, int rc, const char *msg)
{
    const char *m = xlv_ctx_error(f->ctx);

    if (got != rc)
        fail_msg("rc %d, expected %d (%s)", got, rc, m);
    assert_int_equal(xlv_ctx_error_code(f->ctx), rc);
    if (msg && strcmp(m, msg))
        fail_msg("message\n  '%s', expected\n  '%s'", m, msg);
    assert_null(strchr(m, '\n'));
}

/* The host of F, with the URI parameters QUERY ("fail=...") or none. */
static xlv__host *open_host_with(const fixture *f, const char *query)
{
    char uri[512];
    xlv__host *h = NULL;

    snprintf(uri, sizeof(uri), "%s%s%s", f->path, query ? "?" : "",
             query ? query : "");
    check_rc(f, OPS->open(f->ctx, &h, uri), "open");
    assert_non_null(h);
    assert_ptr_equal(h->ops, OPS);
    return h;
}

static xlv__host *open_host(const fixture *f)
{
    return open_host_with(f, NULL);
}

/* A bitmap of NBITS bits holding the cpuset STR ("" for none). */
static void make_set(const fixture *f, libxl_bitmap *bm, unsigned int nbits,
                     const char *str)
{
    libxl_bitmap_init(bm);
    if (*str)
        check_rc(f, xlv__cpuset_parse(f->ctx, bm, str, nbits, "'%s'"),
                 str);
    else
        check_rc(f, xlv__bitmap_alloc(f->ctx, bm, nbits), "alloc");
}

/* BM, formatted, is EXPECT. */
static void check_set(const libxl_bitmap *bm, const char *expect)
{
    char *s = xlv__cpuset_format(bm);

    assert_non_null(s);
    if (strcmp(s, expect))
        fail_msg("cpuset '%s', expected '%s'", s, expect);
    free(s);
}

/* A config as a caller builds it: NAME, TYPE, MAX vCPUs, AVAIL online. */
static void make_cfg(const fixture *f, libxl_domain_config *cfg,
                     const char *name, libxl_domain_type type,
                     unsigned int max, const char *avail)
{
    libxl_domain_config_init(cfg);
    cfg->c_info.name = strdup(name);
    assert_non_null(cfg->c_info.name);
    cfg->c_info.type = type;
    cfg->b_info.max_vcpus = (int)max;
    if (avail)
        make_set(f, &cfg->b_info.avail_vcpus, max > 16 ? max : 16, avail);
    cfg->b_info.max_memkb = 262144;
    cfg->b_info.target_memkb = 262144;
}

/* Give CFG per-vCPU affinities: HARD (or SOFT) is N cpusets. */
static void cfg_affinity(const fixture *f, libxl_domain_config *cfg,
                         bool hard, const char *const *sets, unsigned int n)
{
    libxl_bitmap *maps = calloc(n, sizeof(*maps));
    unsigned int i;

    assert_non_null(maps);
    for (i = 0; i < n; i++)
        make_set(f, &maps[i], 16, sets[i]);
    if (hard) {
        cfg->b_info.vcpu_hard_affinity = maps;
        cfg->b_info.num_vcpu_hard_affinity = (int)n;
    } else {
        cfg->b_info.vcpu_soft_affinity = maps;
        cfg->b_info.num_vcpu_soft_affinity = (int)n;
    }
}

static uint32_t create_dom(const fixture *f, xlv__host *h, const char *name,
                           unsigned int max, const char *avail)
{
    libxl_domain_config cfg;
    uint32_t domid = 12345;

    make_cfg(f, &cfg, name, LIBXL_DOMAIN_TYPE_PV, max, avail);
    check_rc(f, OPS->create(f->ctx, h, &cfg, &domid), "create");
    libxl_domain_config_dispose(&cfg);
    return domid;
}

static void free_vcpus(xlv__vcpuinfo *list, unsigned int n)
{
    unsigned int i;

    for (i = 0; i < n; i++) {
        libxl_bitmap_dispose(&list[i].hard);
        libxl_bitmap_dispose(&list[i].soft);
    }
    free(list);
}

static void free_doms(xlv__dominfo *list, unsigned int n)
{
    unsigned int i;

    for (i = 0; i < n; i++)
        free(list[i].name);
    free(list);
}

static xlv__vcpuinfo *get_vcpus(const fixture *f, xlv__host *h,
                                uint32_t domid, unsigned int *n_r)
{
    xlv__vcpuinfo *list = NULL;

    check_rc(f, OPS->list_vcpus(f->ctx, h, domid, &list, n_r), "list_vcpus");
    assert_non_null(list);
    return list;
}

/* The online vCPUs of DOMID as a cpuset string, and their pins. */
static void check_vcpus(const fixture *f, xlv__host *h, uint32_t domid,
                        const char *online)
{
    libxl_bitmap on;
    xlv__vcpuinfo *l;
    unsigned int i, n;

    libxl_bitmap_init(&on);
    l = get_vcpus(f, h, domid, &n);
    check_rc(f, xlv__bitmap_alloc(f->ctx, &on, n), "alloc");
    for (i = 0; i < n; i++) {
        assert_int_equal(l[i].vcpu, i);
        if (l[i].online)
            libxl_bitmap_set(&on, (int)i);
    }
    check_set(&on, online);
    libxl_bitmap_dispose(&on);
    free_vcpus(l, n);
}

static void get_info(const fixture *f, xlv__host *h, const char *who,
                     xlv__dominfo *info)
{
    check_rc(f, OPS->domain_info(f->ctx, h, who, info), who);
}

static void write_file(const char *path, const char *buf, size_t len)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    assert_int_equal(fwrite(buf, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/* The whole file PATH (NUL-terminated), or NULL when it is missing. */
static char *read_file(const char *path, size_t *len_r)
{
    FILE *fp = fopen(path, "r");
    char *buf;
    long len;

    if (!fp)
        return NULL;
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    len = ftell(fp);
    rewind(fp);
    buf = malloc((size_t)len + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
    buf[len] = '\0';
    fclose(fp);
    if (len_r)
        *len_r = (size_t)len;
    return buf;
}

/* Opening a state file holding TEXT fails as corrupt with REASON. */
static void open_corrupt(const fixture *f, const char *text, size_t len,
                         const char *reason)
{
    char msg[XLV_ERRMSG_MAX];
    xlv__host *h = NULL;
    int rc;

    write_file(f->path, text, len);
    rc = OPS->open(f->ctx, &h, f->path);
    if (rc != XLV_ERR_INVAL)
        fail_msg("state '%.60s': rc %d, expected INVAL (%s)", text, rc,
                 xlv_ctx_error(f->ctx));
    assert_null(h);
    snprintf(msg, sizeof(msg), "test host '%s': " CORRUPT "%s", f->path,
             reason ? reason : "");
    if (reason)
        check_fail(f, rc, XLV_ERR_INVAL, msg);
    else if (strncmp(xlv_ctx_error(f->ctx), msg, strlen(msg)))
        fail_msg("state '%.60s': message '%s'", text, xlv_ctx_error(f->ctx));
    assert_null(strchr(xlv_ctx_error(f->ctx), '\n'));
}

static void open_corrupt_str(const fixture *f, const char *text,
                             const char *reason)
{
    open_corrupt(f, text, strlen(text), reason);
}

/* ---- the default host ------------------------------------------------- */

static void test_default_host(void **state)
{
    fixture *f = *state;
    xlv__host *h = open_host(f);
    libxl_bitmap *nodes = NULL;
    xlv__dominfo *doms = NULL, info;
    xlv__vcpuinfo *l;
    unsigned int nr = 0, nn = 0, n = 0, caps = 0, i;

    check_rc(f, OPS->physinfo(f->ctx, h, &nr, &caps, &nodes, &nn),
             "physinfo");
    assert_int_equal(nr, 8);
    assert_int_equal(caps, XLV__CAPS_ALL);
    assert_int_equal(nn, 2);
    check_set(&nodes[0], "0-3");
    check_set(&nodes[1], "4-7");
    for (i = 0; i < nn; i++)
        libxl_bitmap_dispose(&nodes[i]);
    free(nodes);

    check_rc(f, OPS->list_domains(f->ctx, h, &doms, &n), "list_domains");
    assert_int_equal(n, 1);
    assert_int_equal(doms[0].domid, 0);
    assert_string_equal(doms[0].name, "Domain-0");
    assert_int_equal(doms[0].type, XLV_DOMAIN_TYPE_PV);
    assert_int_equal(doms[0].max_vcpus, 2);
    assert_int_equal(doms[0].online_vcpus, 2);
    free_doms(doms, n);

    get_info(f, h, "Domain-0", &info);
    assert_int_equal(info.domid, 0);
    free(info.name);
    get_info(f, h, "0", &info);
    assert_string_equal(info.name, "Domain-0");
    free(info.name);

    /* Looking changes nothing: no state file yet. */
    assert_int_equal(access(f->path, F_OK), -1);

    l = get_vcpus(f, h, 0, &n);
    assert_int_equal(n, 2);
    for (i = 0; i < n; i++) {
        assert_true(l[i].online);
        assert_false(l[i].running);
        assert_true(l[i].blocked);
        assert_int_equal(l[i].cpu, 0);
        assert_true(xlv__bitmap_nbits(&l[i].hard) >= 8);
        check_set(&l[i].hard, "0-7");
        check_set(&l[i].soft, "0-7");
    }
    free_vcpus(l, n);
    OPS->close(h);
}

static void test_open_bad_path(void **state)
{
    fixture *f = *state;
    xlv__host *h = NULL;

    check_fail(f, OPS->open(f->ctx, &h, "relative/host.json"), XLV_ERR_INVAL,
               "test host 'relative/host.json': the state file must be an "
               "absolute path");
    check_fail(f, OPS->open(f->ctx, &h, ""), XLV_ERR_INVAL, NULL);
    check_fail(f, OPS->open(f->ctx, &h, "/tmp/"), XLV_ERR_INVAL, NULL);
    check_fail(f, OPS->open(f->ctx, &h, "/nonexistent-dir-xlv/h.json"),
               XLV_ERR_IO, NULL);
    assert_null(h);
}

/* The generic code finds the driver by its scheme and passes the path. */
static void test_open_by_uri(void **state)
{
    fixture *f = *state;
    xlv__host *h = NULL;
    xlv__dominfo info;
    char uri[160];

    snprintf(uri, sizeof(uri), "test://%s", f->path);
    check_rc(f, xlv__host_open(f->ctx, &h, uri), uri);
    assert_non_null(h);
    assert_ptr_equal(h->ops, OPS);
    assert_string_equal(h->ops->scheme, "test");
    get_info(f, h, "Domain-0", &info);
    xlv__dominfo_dispose(&info);
    xlv__host_close(h);
    h = NULL;
    check_fail(f, xlv__host_open(f->ctx, &h, "test://tmp/h.json"),
               XLV_ERR_INVAL, "test host 'tmp/h.json': the state file must "
               "be an absolute path");
    assert_null(h);
}

/* ---- domains ---------------------------------------------------------- */

static void test_create_list_info(void **state)
{
    fixture *f = *state;
    xlv__host *h = open_host(f);
    xlv__dominfo *doms = NULL, info;
    libxl_domain_config cfg;
    xlv__vcpuinfo *a, *b;
    unsigned int n = 0, i;
    uint32_t domid = 77;

    assert_int_equal(create_dom(f, h, "web1", 4, "0-1"), 1);
    make_cfg(f, &cfg, "web2", LIBXL_DOMAIN_TYPE_HVM, 2, "0");
    check_rc(f, OPS->create(f->ctx, h, &cfg, &domid), "create");
    assert_int_equal(domid, 2);
    libxl_domain_config_dispose(&cfg);

    check_rc(f, OPS->list_domains(f->ctx, h, &doms, &n), "list_domains");
    assert_int_equal(n, 3);
    for (i = 0; i < n; i++)
        assert_int_equal(doms[i].domid, i);
    assert_string_equal(doms[1].name, "web1");
    assert_int_equal(doms[1].type, XLV_DOMAIN_TYPE_PV);
    assert_int_equal(doms[1].max_vcpus, 4);
    assert_int_equal(doms[1].online_vcpus, 2);
    assert_int_equal(doms[1].memory_kib, 262144);
    assert_int_equal(doms[2].type, XLV_DOMAIN_TYPE_HVM);
    assert_int_equal(doms[2].online_vcpus, 1);
    free_doms(doms, n);

    get_info(f, h, "web1", &info);
    assert_int_equal(info.domid, 1);
    assert_int_equal(info.online_vcpus, 2);
    free(info.name);
    get_info(f, h, "2", &info);
    assert_string_equal(info.name, "web2");
    free(info.name);

    check_fail(f, OPS->domain_info(f->ctx, h, "nope", &info),
               XLV_ERR_NOTFOUND, "domain 'nope' is not running");
    check_fail(f, OPS->domain_info(f->ctx, h, "99", &info),
               XLV_ERR_NOTFOUND, "domain '99' is not running");
    check_fail(f, OPS->domain_info(f->ctx, h, "99999999999999999999", &info),
               XLV_ERR_NOTFOUND, NULL);
    check_fail(f, OPS->list_vcpus(f->ctx, h, 99, &a, &n), XLV_ERR_NOTFOUND,
               "domain with id '99' is not running");

    /* All max_vcpus of them; offline ones have no pCPU and no time. */
    a = get_vcpus(f, h, 1, &n);
    assert_int_equal(n, 4);
    b = get_vcpus(f, h, 1, &n);
    for (i = 0; i < n; i++) {
        assert_int_equal(b[i].vcpu, i);
        assert_int_equal(b[i].online, i < 2);
        assert_int_equal(b[i].blocked, i < 2);
        assert_false(b[i].running);
        assert_int_equal(b[i].cpu, i < 2 ? 0 : -1);
        if (i < 2)
            assert_true(b[i].time_ns > a[i].time_ns);
        else
            assert_true(b[i].time_ns == a[i].time_ns);
    }
    free_vcpus(a, n);
    free_vcpus(b, n);

    /* A name runs once. */
    make_cfg(f, &cfg, "web1", LIBXL_DOMAIN_TYPE_PV, 1, NULL);
    check_fail(f, OPS->create(f->ctx, h, &cfg, &domid), XLV_ERR_CONFLICT,
               "domain 'web1' is already running");
    libxl_domain_config_dispose(&cfg);
    assert_int_equal(domid, 2);
    OPS->close(h);
}

static void test_create_defaults_affinity(void **state)
{
    fixture *f = *state;
    static const char *const hard[] = { "1", "2-3" };
    static const char *const soft[] = { "4-7", "3-7" };
    xlv__host *h = open_host(f);
    libxl_domain_config cfg;
    xlv__dominfo info;
    xlv__vcpuinfo *l;
    unsigned int n, i;
    uint32_t domid;

    /* No avail_vcpus: only vCPU 0, as libxl boots it. */
    make_cfg(f, &cfg, "d1", LIBXL_DOMAIN_TYPE_PVH, 4, NULL);
    cfg.b_info.max_memkb = LIBXL_MEMKB_DEFAULT;
    cfg.b_info.target_memkb = LIBXL_MEMKB_DEFAULT;
    cfg_affinity(f, &cfg, true, hard, 2);
    cfg_affinity(f, &cfg, false, soft, 2);
    check_rc(f, OPS->create(f->ctx, h, &cfg, &domid), "create");
    libxl_domain_config_dispose(&cfg);

    get_info(f, h, "d1", &info);
    assert_int_equal(info.type, XLV_DOMAIN_TYPE_PVH);
    assert_int_equal(info.memory_kib, 32768);
    assert_int_equal(info.online_vcpus, 1);
    free(info.name);

    check_fail(f, OPS->set_vcpuonline(f->ctx, h, domid, NULL), XLV_ERR_INVAL,
               "domain 'd1' must keep a vcpu online: the online map is "
               "empty");
    l = get_vcpus(f, h, domid, &n);
    assert_int_equal(n, 4);
    check_set(&l[0].hard, "1");
    check_set(&l[0].soft, "4-7");
    check_set(&l[1].hard, "2-3");
    check_set(&l[1].soft, "3-7");
    for (i = 2; i < 4; i++) {
        check_set(&l[i].hard, "0-7");
        check_set(&l[i].soft, "0-7");
    }
    /* Hard and soft do not meet: the vCPU runs where hard says. */
    assert_int_equal(l[0].cpu, 1);
    assert_true(l[0].online);
    assert_false(l[1].online);
    free_vcpus(l, n);

    /* Meeting affinities pick the pCPU; a cpumap pins every vCPU;
     * pCPUs the host lacks are dropped. */
    make_cfg(f, &cfg, "d2", LIBXL_DOMAIN_TYPE_PV, 3, "0-2");
    make_set(f, &cfg.b_info.cpumap, 16, "2-3,9");
    cfg_affinity(f, &cfg, false, soft + 1, 1);
    check_rc(f, OPS->create(f->ctx, h, &cfg, &domid), "create");
    libxl_domain_config_dispose(&cfg);
    l = get_vcpus(f, h, domid, &n);
    assert_int_equal(n, 3);
    for (i = 0; i < n; i++)
        check_set(&l[i].hard, "2-3");
    assert_int_equal(l[0].cpu, 3);
    assert_int_equal(l[1].cpu, 2);
    free_vcpus(l, n);
    OPS->close(h);
}

static void test_create_refusals(void **state)
{
    fixture *f = *state;
    static const char *const beyond[] = { "8-15" };
    static const char *const five[] = { "0", "0", "0", "0", "0" };
    xlv__host *h = open_host(f);
    xlv__dominfo *doms;
    libxl_domain_config cfg;
    uint32_t domid = 77;
    unsigned int n;

    make_cfg(f, &cfg, "bad", LIBXL_DOMAIN_TYPE_PV, 4, "0,4");
    check_fail(f, OPS->create(f->ctx, h, &cfg, &domid), XLV_ERR_INVAL,
               "vcpu '4' is not below the maximum of 4 of domain 'bad'");
    libxl_domain_config_dispose(&cfg);

    make_cfg(f, &cfg, "bad", LIBXL_DOMAIN_TYPE_PV, 4, "");
    check_fail(f, OPS->create(f->ctx, h, &cfg, &domid), XLV_ERR_INVAL,
               "domain 'bad' must boot with a vcpu online: avail_vcpus is "
               "empty");
    libxl_domain_config_dispose(&cfg);

    make_cfg(f, &cfg, "bad", LIBXL_DOMAIN_TYPE_INVALID, 4, "0");
    check_fail(f, OPS->create(f->ctx, h, &cfg, &domid), XLV_ERR_INVAL,
               "domain 'bad': type '-1' is not pv, pvh or hvm");
    libxl_domain_config_dispose(&cfg);

    make_cfg(f, &cfg, "bad", LIBXL_DOMAIN_TYPE_HVM, 129, "0");
    check_fail(f, OPS->create(f->ctx, h, &cfg, &domid), XLV_ERR_INVAL,
               "domain 'bad': max_vcpus '129' is above the limit of 128 "
               "for hvm guests");
    libxl_domain_config_dispose(&cfg);

    make_cfg(f, &cfg, "123", LIBXL_DOMAIN_TYPE_PV, 1, "0");
    check_fail(f, OPS->create(f->ctx, h, &cfg, &domid), XLV_ERR_INVAL,
               "domain name '123' is a number");
    libxl_domain_config_dispose(&cfg);

    make_cfg(f, &cfg, "", LIBXL_DOMAIN_TYPE_PV, 1, "0");
    check_fail(f, OPS->create(f->ctx, h, &cfg, &domid), XLV_ERR_INVAL,
               "domain name '' is empty");
    libxl_domain_config_dispose(&cfg);

    make_cfg(f, &cfg, "bad\xff", LIBXL_DOMAIN_TYPE_PV, 1, "0");
    /* Refused with the other name checks, before anything is written. */
    check_fail(f, OPS->create(f->ctx, h, &cfg, &domid), XLV_ERR_INVAL,
               "domain name 'bad?' is not valid utf-8");
    libxl_domain_config_dispose(&cfg);

    make_cfg(f, &cfg, "bad", LIBXL_DOMAIN_TYPE_PV, 2, "0");
    cfg_affinity(f, &cfg, true, beyond, 1);
    check_fail(f, OPS->create(f->ctx, h, &cfg, &domid), XLV_ERR_INVAL,
               "hard affinity '8-15' of vcpu '0' of domain 'bad' has no "
               "pcpu below 8");
    libxl_domain_config_dispose(&cfg);

    make_cfg(f, &cfg, "bad", LIBXL_DOMAIN_TYPE_PV, 4, "0");
    cfg_affinity(f, &cfg, false, five, 5);
    check_fail(f, OPS->create(f->ctx, h, &cfg, &domid), XLV_ERR_INVAL,
               "vcpu '4' is not below the maximum of 4 of domain 'bad'");
    libxl_domain_config_dispose(&cfg);

    /* Nothing was created, no domid was used. */
    assert_int_equal(domid, 77);
    check_rc(f, OPS->list_domains(f->ctx, h, &doms, &n), "list_domains");
    assert_int_equal(n, 1);
    free_doms(doms, n);
    assert_int_equal(create_dom(f, h, "good", 1, "0"), 1);
    OPS->close(h);
}

/* ---- hot-plug and pinning ---------------------------------------------- */

static void set_online(const fixture *f, xlv__host *h, uint32_t domid,
                       const char *set, int rc, const char *msg)
{
    libxl_bitmap bm;

    make_set(f, &bm, 64, set);
    if (rc)
        check_fail(f, OPS->set_vcpuonline(f->ctx, h, domid, &bm), rc, msg);
    else
        check_rc(f, OPS->set_vcpuonline(f->ctx, h, domid, &bm), set);
    libxl_bitmap_dispose(&bm);
}

/* Pin with cpusets HARD and SOFT (NULL: leave it), maps of NBITS bits. */
static int pin(const fixture *f, xlv__host *h, uint32_t domid,
               unsigned int vcpu, const char *hard, const char *soft,
               unsigned int nbits)
{
    libxl_bitmap hb, sb;
    int rc;

    libxl_bitmap_init(&hb);
    libxl_bitmap_init(&sb);
    if (hard)
        make_set(f, &hb, nbits, hard);
    if (soft)
        make_set(f, &sb, nbits, soft);
    rc = OPS->set_vcpuaffinity(f->ctx, h, domid, vcpu, hard ? &hb : NULL,
                               soft ? &sb : NULL, false);
    libxl_bitmap_dispose(&hb);
    libxl_bitmap_dispose(&sb);
    return rc;
}

static void test_vcpuonline(void **state)
{
    fixture *f = *state;
    xlv__host *h = open_host(f);
    uint32_t d = create_dom(f, h, "web1", 4, "0");
    xlv__dominfo info;
    char *before, *after;

    set_online(f, h, d, "0-2", 0, NULL);
    check_vcpus(f, h, d, "0-2");
    get_info(f, h, "web1", &info);
    assert_int_equal(info.online_vcpus, 3);
    free(info.name);
    set_online(f, h, d, "0", 0, NULL);
    check_vcpus(f, h, d, "0");
    /* libxl writes the map as given, vCPU 0 included. */
    set_online(f, h, d, "1,3", 0, NULL);
    check_vcpus(f, h, d, "1,3");

    before = read_file(f->path, NULL);
    assert_non_null(before);
    set_online(f, h, d, "0,4", XLV_ERR_INVAL,
               "vcpu '4' is not below the maximum of 4 of domain 'web1'");
    set_online(f, h, d, "63", XLV_ERR_INVAL,
               "vcpu '63' is not below the maximum of 4 of domain 'web1'");
    set_online(f, h, d, "", XLV_ERR_INVAL,
               "domain 'web1' must keep a vcpu online: the online map is "
               "empty");
    set_online(f, h, 42, "0", XLV_ERR_NOTFOUND,
               "domain with id '42' is not running");
    after = read_file(f->path, NULL);
    assert_string_equal(before, after);
    free(before);
    free(after);
    check_vcpus(f, h, d, "1,3");
    OPS->close(h);
}

static void test_affinity_kept_across_unplug(void **state)
{
    fixture *f = *state;
    xlv__host *h = open_host(f);
    uint32_t d = create_dom(f, h, "web1", 4, "0");
    libxl_bitmap force;
    xlv__vcpuinfo *l;
    unsigned int n;

    /* Pinning an offline vCPU works, as on Xen. */
    check_rc(f, pin(f, h, d, 2, "3", "2-3", 8), "pin");
    l = get_vcpus(f, h, d, &n);
    assert_false(l[2].online);
    assert_int_equal(l[2].cpu, -1);
    check_set(&l[2].hard, "3");
    check_set(&l[2].soft, "2-3");
    free_vcpus(l, n);

    set_online(f, h, d, "0,2", 0, NULL);
    l = get_vcpus(f, h, d, &n);
    assert_true(l[2].online);
    assert_int_equal(l[2].cpu, 3);
    check_set(&l[2].hard, "3");
    free_vcpus(l, n);

    set_online(f, h, d, "0", 0, NULL);
    set_online(f, h, d, "0-3", 0, NULL);
    l = get_vcpus(f, h, d, &n);
    assert_true(l[2].online);
    assert_int_equal(l[2].cpu, 3);
    check_set(&l[2].hard, "3");
    check_set(&l[2].soft, "2-3");
    check_set(&l[1].hard, "0-7");
    free_vcpus(l, n);

    /* Hard alone leaves soft; pCPUs the host lacks are dropped. */
    check_rc(f, pin(f, h, d, 2, "5,12", NULL, 16), "pin");
    check_rc(f, pin(f, h, d, 1, NULL, "6", 8), "pin");
    make_set(f, &force, 8, "4");
    check_rc(f, OPS->set_vcpuaffinity(f->ctx, h, d, 3, &force, NULL, true),
             "pin -f");
    libxl_bitmap_dispose(&force);
    l = get_vcpus(f, h, d, &n);
    check_set(&l[2].hard, "5");
    check_set(&l[2].soft, "2-3");
    assert_int_equal(l[2].cpu, 5);
    check_set(&l[1].hard, "0-7");
    check_set(&l[1].soft, "6");
    assert_int_equal(l[1].cpu, 6);
    check_set(&l[3].hard, "4");
    assert_int_equal(l[3].cpu, 4);
    free_vcpus(l, n);
    OPS->close(h);
}

static void test_affinity_refusals(void **state)
{
    fixture *f = *state;
    xlv__host *h = open_host(f);
    uint32_t d = create_dom(f, h, "web1", 4, "0-1");
    char *before, *after;

    check_rc(f, pin(f, h, d, 1, "2", NULL, 8), "pin");
    before = read_file(f->path, NULL);
    assert_non_null(before);
    check_fail(f, pin(f, h, d, 1, "", NULL, 8), XLV_ERR_INVAL,
               "hard affinity '' of vcpu '1' of domain 'web1' has no pcpu "
               "below 8");
    check_fail(f, pin(f, h, d, 1, "9-11", NULL, 16), XLV_ERR_INVAL,
               "hard affinity '9-11' of vcpu '1' of domain 'web1' has no "
               "pcpu below 8");
    check_fail(f, pin(f, h, d, 1, "3", "", 8), XLV_ERR_INVAL,
               "soft affinity '' of vcpu '1' of domain 'web1' has no pcpu "
               "below 8");
    check_fail(f, pin(f, h, d, 4, "3", NULL, 8), XLV_ERR_INVAL,
               "vcpu '4' is not below the maximum of 4 of domain 'web1'");
    check_fail(f, pin(f, h, d, 1, NULL, NULL, 8), XLV_ERR_INVAL,
               "vcpu '1' of domain with id '1': neither hard nor soft "
               "affinity given");
    check_fail(f, pin(f, h, 9, 1, "3", NULL, 8), XLV_ERR_NOTFOUND,
               "domain with id '9' is not running");
    after = read_file(f->path, NULL);
    assert_string_equal(before, after);
    free(before);
    free(after);
    OPS->close(h);
}

static void test_destroy(void **state)
{
    fixture *f = *state;
    xlv__host *h = open_host(f);
    uint32_t d = create_dom(f, h, "web1", 2, "0");
    xlv__dominfo info;

    assert_int_equal(create_dom(f, h, "web2", 2, "0"), 2);
    check_rc(f, OPS->destroy(f->ctx, h, d), "destroy");
    check_fail(f, OPS->domain_info(f->ctx, h, "web1", &info),
               XLV_ERR_NOTFOUND, "domain 'web1' is not running");
    check_fail(f, OPS->destroy(f->ctx, h, d), XLV_ERR_NOTFOUND,
               "domain with id '1' is not running");
    check_fail(f, OPS->destroy(f->ctx, h, 0), XLV_ERR_INVAL,
               "cannot destroy Domain-0");
    get_info(f, h, "web2", &info);
    assert_int_equal(info.domid, 2);
    free(info.name);
    /* As on Xen, domids are not reused at once; the name is free again. */
    assert_int_equal(create_dom(f, h, "web1", 2, "0"), 3);
    OPS->close(h);
}

static void test_persisted(void **state)
{
    fixture *f = *state;
    xlv__host *h = open_host(f), *h2 = open_host(f);
    xlv__vcpuinfo *l;
    xlv__dominfo info;
    unsigned int n;
    uint32_t d;

    d = create_dom(f, h, "web1", 4, "0,2");
    check_rc(f, pin(f, h, d, 3, "1-2", "2", 8), "pin");
    /* A second host object on the same file sees it at once. */
    get_info(f, h2, "web1", &info);
    assert_int_equal(info.online_vcpus, 2);
    free(info.name);
    OPS->close(h);
    OPS->close(h2);

    h = open_host(f);
    check_vcpus(f, h, d, "0,2");
    l = get_vcpus(f, h, d, &n);
    assert_int_equal(n, 4);
    check_set(&l[3].hard, "1-2");
    check_set(&l[3].soft, "2");
    assert_true(l[0].time_ns > 0);
    free_vcpus(l, n);
    assert_int_equal(create_dom(f, h, "web2", 1, NULL), 2);
    OPS->close(h);
}

/* ---- corrupt state files ---------------------------------------------- */

static void test_corrupt_state(void **state)
{
    fixture *f = *state;
    char *deep;
    size_t i;

    open_corrupt_str(f, "", "the file is empty");
    open_corrupt_str(f, "{", NULL);
    open_corrupt_str(f, "not json", NULL);
    open_corrupt_str(f, "{\"pcpus\": 8} {}", NULL);
    open_corrupt(f, "{\"pcpus\":\0 8}", 13, "the file holds a nul byte");
    open_corrupt_str(f, "[]", "the top level is not an object");
    open_corrupt_str(f, "{\"pcpu\": 8}",
                     "the top level: unknown key 'pcpu'");
    open_corrupt_str(f, "{\"pcpus\": 8, \"pcpus\": 4}",
                     "the top level: key 'pcpus' appears twice");
    open_corrupt_str(f, "{\"pcpus\": \"8\"}", "pcpus is not a number");
    open_corrupt_str(f, "{\"pcpus\": 0}",
                     "pcpus '0' is not between 1 and 4096");
    open_corrupt_str(f, "{\"virt_caps\": \"pv vmx\"}",
                     "virt_caps: 'vmx' is not one of pv, hvm, hap and "
                     "shadow");
    open_corrupt_str(f, "{\"virt_caps\": [\"pv\"]}",
                     "virt_caps is not a string");
    open_corrupt_str(f, "{\"numa\": []}",
                     "numa is not an array of 1 to 1024 cpusets");
    open_corrupt_str(f, "{\"numa\": [\"0-4\", \"4-7\"]}",
                     "numa: pcpu 4 is in two nodes");
    open_corrupt_str(f, "{\"numa\": [\"0-8\"]}",
                     "numa[0]: '0-8': cpu id '8' is not below 8");
    open_corrupt_str(f, "{\"domains\": {}}",
                     "domains is not an array of at most 32752 domains");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 0, \"max_vcpus\": 1}]}",
                     "domains[0].name is missing");
    open_corrupt_str(f, "{\"domains\": [{\"name\": \"a\", \"max_vcpus\": 1}]}",
                     "domains[0].domid is missing");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"a\"}]}",
                     "domains[0].max_vcpus is missing");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"a\", "
                     "\"max_vcpus\": 1, \"type\": \"kvm\"}]}",
                     "domains[0].type 'kvm' is not pv, pvh or hvm");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"a\", "
                     "\"max_vcpus\": 1}, {\"domid\": 1, \"name\": \"b\", "
                     "\"max_vcpus\": 1}]}", "domid 1 is used twice");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"a\", "
                     "\"max_vcpus\": 1}, {\"domid\": 2, \"name\": \"a\", "
                     "\"max_vcpus\": 1}]}",
                     "domain name 'a' is used twice");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"12\", "
                     "\"max_vcpus\": 1}]}",
                     "domains[0].name '12' is a number");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"a\", "
                     "\"max_vcpus\": 1, \"vcpus\": [{\"online\": true}, "
                     "{\"online\": true}]}]}",
                     "domains[0].vcpus has 2 entries for max_vcpus 1");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"a\", "
                     "\"max_vcpus\": 1, \"vcpus\": [{\"hard\": \"1\"}]}]}",
                     "domains[0].vcpus[0].online is missing");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"a\", "
                     "\"max_vcpus\": 1, \"vcpus\": [{\"online\": 1}]}]}",
                     "domains[0].vcpus[0].online is not true or false");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"a\", "
                     "\"max_vcpus\": 1, \"vcpus\": [{\"online\": true, "
                     "\"hard\": \"\"}]}]}",
                     "domains[0].vcpus[0].hard: '': the set is empty");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"a\", "
                     "\"max_vcpus\": 1, \"vcpus\": [{\"online\": true, "
                     "\"soft\": \"2-1\"}]}]}",
                     "domains[0].vcpus[0].soft: '2-1': range '2-1' is "
                     "reversed");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"a\", "
                     "\"max_vcpus\": 1, \"vcpus\": [{\"online\": true, "
                     "\"speed\": 3}]}]}",
                     "domains[0].vcpus[0]: unknown key 'speed'");

    /* Deep nesting would make yajl recurse when freeing its tree. */
    deep = malloc(200001);
    assert_non_null(deep);
    for (i = 0; i < 100000; i++) {
        deep[i] = '[';
        deep[200000 - 1 - i] = ']';
    }
    deep[200000] = '\0';
    open_corrupt_str(f, deep, "nested deeper than 16 levels");
    free(deep);
}

static void test_huge_numbers(void **state)
{
    fixture *f = *state;

    open_corrupt_str(f, "{\"pcpus\": 99999999999999999999999999}",
                     "pcpus '99999999999999999999999999' is not an integer");
    open_corrupt_str(f, "{\"pcpus\": 1e3}", "pcpus '1e3' is not an integer");
    open_corrupt_str(f, "{\"pcpus\": 8.5}", "pcpus '8.5' is not an integer");
    open_corrupt_str(f, "{\"pcpus\": 4097}",
                     "pcpus '4097' is not between 1 and 4096");
    open_corrupt_str(f, "{\"pcpus\": -1}",
                     "pcpus '-1' is not between 1 and 4096");
    open_corrupt_str(f, "{\"next_domid\": 32752}",
                     "next_domid '32752' is not between 1 and 32751");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 32752, \"name\": \"a\", "
                     "\"max_vcpus\": 1}]}",
                     "domains[0].domid '32752' is not between 0 and 32751");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"a\", "
                     "\"max_vcpus\": 8193}]}",
                     "domains[0].max_vcpus '8193' is not between 1 and "
                     "8192");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"a\", "
                     "\"max_vcpus\": 0}]}",
                     "domains[0].max_vcpus '0' is not between 1 and 8192");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"a\", "
                     "\"max_vcpus\": 1, \"memory_kib\": 1e300}]}",
                     "domains[0].memory_kib '1e300' is not an integer");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"a\", "
                     "\"max_vcpus\": 1, \"vcpus\": [{\"online\": true, "
                     "\"time_ns\": -5}]}]}",
                     "domains[0].vcpus[0].time_ns '-5' is not between 0 "
                     "and 9223372036854775807");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"a\", "
                     "\"max_vcpus\": 1, \"vcpus\": [{\"online\": true, "
                     "\"cpu\": 8}]}]}",
                     "domains[0].vcpus[0].cpu '8' is not between -1 and 7");
    open_corrupt_str(f, "{\"domains\": [{\"domid\": 1, \"name\": \"a\", "
                     "\"max_vcpus\": 1, \"vcpus\": [{\"online\": true, "
                     "\"hard\": \"0-99999999999999999999\"}]}]}", NULL);
}

static void test_hand_written_state(void **state)
{
    static const char text[] =
        "{\"pcpus\": 4, \"virt_caps\": \" pv  hap \", "
        "\"numa\": [\"0-3\", \"\"], \"domains\": ["
        "{\"domid\": 7, \"name\": \"b\", \"max_vcpus\": 3, \"vcpus\": ["
        "{\"online\": true, \"hard\": \"2-3\", \"cpu\": 2}, "
        "{\"online\": false}]}, "
        "{\"domid\": 0, \"name\": \"Domain-0\", \"max_vcpus\": 1, "
        "\"vcpus\": [{\"online\": true}]}, "
        "{\"domid\": 3, \"name\": \"a\", \"max_vcpus\": 2}]}";
    fixture *f = *state;
    xlv__host *h;
    libxl_bitmap *nodes = NULL;
    xlv__dominfo *doms = NULL;
    xlv__vcpuinfo *l;
    unsigned int nr, nn, n, caps, i;

    /* Defaults fill what is left out; domains come back by domid. */
    write_file(f->path, text, strlen(text));
    h = open_host(f);
    check_rc(f, OPS->physinfo(f->ctx, h, &nr, &caps, &nodes, &nn),
             "physinfo");
    assert_int_equal(nr, 4);
    assert_int_equal(caps, XLV__CAP_PV | XLV__CAP_HAP);
    assert_int_equal(nn, 2);
    check_set(&nodes[0], "0-3");
    check_set(&nodes[1], "");
    for (i = 0; i < nn; i++)
        libxl_bitmap_dispose(&nodes[i]);
    free(nodes);
    check_rc(f, OPS->list_domains(f->ctx, h, &doms, &n), "list_domains");
    assert_int_equal(n, 3);
    assert_int_equal(doms[0].domid, 0);
    assert_int_equal(doms[1].domid, 3);
    assert_int_equal(doms[1].online_vcpus, 1);
    assert_int_equal(doms[2].domid, 7);
    assert_int_equal(doms[2].max_vcpus, 3);
    assert_int_equal(doms[2].online_vcpus, 1);
    free_doms(doms, n);
    l = get_vcpus(f, h, 7, &n);
    assert_int_equal(n, 3);
    check_set(&l[0].hard, "2-3");
    check_set(&l[0].soft, "0-3");
    assert_int_equal(l[0].cpu, 2);
    assert_false(l[2].online);
    free_vcpus(l, n);
    /* next_domid follows the highest domid. */
    assert_int_equal(create_dom(f, h, "c", 1, NULL), 8);
    OPS->close(h);
}

static void test_truncated_state(void **state)
{
    fixture *f = *state;
    xlv__host *h = open_host(f);
    char *full, msg[XLV_ERRMSG_MAX];
    size_t len, end, i;
    int rc;

    create_dom(f, h, "web1", 3, "0-1");
    check_rc(f, pin(f, h, 1, 2, "1-2", "2", 8), "pin");
    OPS->close(h);
    full = read_file(f->path, &len);
    assert_non_null(full);
    for (end = len; end > 0 && strchr(" \n", full[end - 1]); end--)
        ;
    snprintf(msg, sizeof(msg), "test host '%s': " CORRUPT, f->path);

    /* Every cut of the file short of its end is refused cleanly. */
    for (i = 0; i < end; i++) {
        write_file(f->path, full, i);
        h = NULL;
        rc = OPS->open(f->ctx, &h, f->path);
        if (rc != XLV_ERR_INVAL || h)
            fail_msg("cut at %zu: rc %d (%s)", i, rc, xlv_ctx_error(f->ctx));
        if (strncmp(xlv_ctx_error(f->ctx), msg, strlen(msg)))
            fail_msg("cut at %zu: message '%s'", i, xlv_ctx_error(f->ctx));
    }
    write_file(f->path, full, len);
    h = open_host(f);
    check_vcpus(f, h, 1, "0-1");
    OPS->close(h);
    free(full);
}

/* ---- failure injection ------------------------------------------------ */

static void test_injected_failure(void **state)
{
    fixture *f = *state;
    libxl_domain_config cfg;
    char *before, *after;
    xlv__vcpuinfo *l;
    xlv__dominfo info, *doms;
    unsigned int n;
    uint32_t domid = 77;
    xlv__host *h;

    static const char fail[] = "fail=create:1,set_vcpuonline:2,"
        "list_vcpus:1,domain_info:2,set_vcpuaffinity:1,destroy:1";

    h = open_host_with(f, fail);

    make_cfg(f, &cfg, "web1", LIBXL_DOMAIN_TYPE_PV, 4, "0");
    check_fail(f, OPS->create(f->ctx, h, &cfg, &domid), XLV_ERR_LIBXL,
               "test host: injected failure of create call 1");
    assert_int_equal(xlv_ctx_libxl_rc(f->ctx), ERROR_FAIL);
    assert_int_equal(domid, 77);
    check_rc(f, OPS->list_domains(f->ctx, h, &doms, &n), "list_domains");
    assert_int_equal(n, 1);
    free_doms(doms, n);
    check_rc(f, OPS->create(f->ctx, h, &cfg, &domid), "create");
    libxl_domain_config_dispose(&cfg);

    set_online(f, h, domid, "0-1", 0, NULL);
    before = read_file(f->path, NULL);
    set_online(f, h, domid, "0-3", XLV_ERR_LIBXL,
               "test host: injected failure of set_vcpuonline call 2");
    check_fail(f, pin(f, h, domid, 0, "1", NULL, 8), XLV_ERR_LIBXL,
               "test host: injected failure of set_vcpuaffinity call 1");
    check_fail(f, OPS->destroy(f->ctx, h, domid), XLV_ERR_LIBXL,
               "test host: injected failure of destroy call 1");
    check_fail(f, OPS->list_vcpus(f->ctx, h, domid, &l, &n), XLV_ERR_LIBXL,
               "test host: injected failure of list_vcpus call 1");
    after = read_file(f->path, NULL);
    assert_non_null(before);
    assert_non_null(after);
    assert_string_equal(before, after);
    free(before);
    free(after);

    get_info(f, h, "web1", &info);
    free(info.name);
    check_fail(f, OPS->domain_info(f->ctx, h, "web1", &info), XLV_ERR_LIBXL,
               "test host: injected failure of domain_info call 2");
    get_info(f, h, "web1", &info);
    assert_int_equal(info.online_vcpus, 2);
    free(info.name);
    set_online(f, h, domid, "0-3", 0, NULL);
    check_vcpus(f, h, domid, "0-3");
    OPS->close(h);

    /* Counters belong to the host object: a new one starts again. */
    h = open_host_with(f, fail);
    check_fail(f, pin(f, h, domid, 0, "1", NULL, 8), XLV_ERR_LIBXL, NULL);
    check_rc(f, pin(f, h, domid, 0, "1", NULL, 8), "pin");
    OPS->close(h);
}

static void test_injection_syntax(void **state)
{
    static const char *const bad[] = {
        "bogus:1", "create", "create:0", "create:x", "create:1,",
        ",create:1", "create:-1", "create:99999999999", "Create:1",
        NULL
    };
    fixture *f = *state;
    xlv__host *h = NULL;
    unsigned int i;

    static const char *const bad_query[] = {
        "bogus=1", "fail", "fail=create:1&fail=destroy:1", "trace=rel",
        "trace=/a&trace=/b", "", "&", "fail=create:1&", NULL
    };
    char uri[512];

    for (i = 0; bad[i]; i++) {
        snprintf(uri, sizeof(uri), "%s?fail=%s", f->path, bad[i]);
        check_fail(f, OPS->open(f->ctx, &h, uri), XLV_ERR_INVAL, NULL);
        assert_non_null(strstr(xlv_ctx_error(f->ctx), "fail="));
        assert_null(h);
    }
    snprintf(uri, sizeof(uri), "%s?fail=bogus:1", f->path);
    check_fail(f, OPS->open(f->ctx, &h, uri), XLV_ERR_INVAL,
               "test host: fail= 'bogus:1': unknown call 'bogus'");
    for (i = 0; bad_query[i]; i++) {
        snprintf(uri, sizeof(uri), "%s?%s", f->path, bad_query[i]);
        check_fail(f, OPS->open(f->ctx, &h, uri), XLV_ERR_INVAL, NULL);
        assert_null(h);
    }
    h = open_host_with(f, "fail=");
    OPS->close(h);
}

/* ---- concurrent processes --------------------------------------------- */

#define N_CHILDREN 8
#define N_CALLS 30

/* The pins child C makes on its vCPU C + 1 at its step K. */
static unsigned int hard_of(unsigned int c, unsigned int k)
{
    return (c + k) % 8;
}

static unsigned int soft_of(unsigned int c, unsigned int k)
{
    return (c + k + 1) % 8;
}

/* One child: its own ctx and host, N_CALLS calls on vCPU C + 1. */
static int child(const char *path, uint32_t domid, unsigned int c)
{
    libxl_bitmap hard, soft, online;
    xlv__host *h = NULL;
    xlv_ctx *ctx = NULL;
    unsigned int j;
    int rc;

    libxl_bitmap_init(&hard);
    libxl_bitmap_init(&soft);
    libxl_bitmap_init(&online);
    rc = xlv_ctx_new(&ctx, NULL, 0);
    if (rc) goto out;
    rc = OPS->open(ctx, &h, path);
    if (rc) goto out;
    for (j = 0; j < N_CALLS; j++) {
        if (j % 2 == 0) {
            rc = xlv__bitmap_alloc(ctx, &hard, 8);
            if (!rc)
                rc = xlv__bitmap_alloc(ctx, &soft, 8);
            if (rc) goto out;
            libxl_bitmap_set(&hard, (int)hard_of(c, j / 2));
            libxl_bitmap_set(&soft, (int)soft_of(c, j / 2));
            rc = OPS->set_vcpuaffinity(ctx, h, domid, c + 1, &hard, &soft,
                                       false);
        } else {
            /* The last map of each child is {0, C + 1}. */
            rc = xlv__bitmap_alloc(ctx, &online, 16);
            if (rc) goto out;
            libxl_bitmap_set(&online, 0);
            libxl_bitmap_set(&online, (int)c + 1);
            if (j != N_CALLS - 1)
                libxl_bitmap_set(&online, (int)(1 + (c + j) % 8));
            rc = OPS->set_vcpuonline(ctx, h, domid, &online);
        }
        if (rc) {
            fprintf(stderr, "child %u call %u: %s\n", c, j,
                    xlv_ctx_error(ctx));
            goto out;
        }
    }
 out:
    if (h)
        OPS->close(h);
    libxl_bitmap_dispose(&hard);
    libxl_bitmap_dispose(&soft);
    libxl_bitmap_dispose(&online);
    xlv_ctx_free(ctx);
    return rc;
}

static void test_concurrency(void **state)
{
    fixture *f = *state;
    xlv__host *h = open_host(f);
    uint32_t d = create_dom(f, h, "conc", N_CHILDREN + 1, "0");
    pid_t pids[N_CHILDREN];
    unsigned int c, n, i, online = 0, k = 0;
    xlv__vcpuinfo *l;
    yajl_val root;
    char *text, err[256];
    int status;

    OPS->close(h);
    fflush(NULL);
    for (c = 0; c < N_CHILDREN; c++) {
        pids[c] = fork();
        assert_true(pids[c] >= 0);
        if (pids[c] == 0)
            _exit(child(f->path, d, c) ? 1 : 0);
    }
    for (c = 0; c < N_CHILDREN; c++) {
        assert_int_equal(waitpid(pids[c], &status, 0), pids[c]);
        if (!WIFEXITED(status) || WEXITSTATUS(status))
            fail_msg("child %u: status 0x%x", c, status);
    }

    /* The file is whole JSON, and no update was lost. */
    text = read_file(f->path, NULL);
    assert_non_null(text);
    root = yajl_tree_parse(text, err, sizeof(err));
    if (!root)
        fail_msg("state is not json: %s", err);
    yajl_tree_free(root);
    free(text);

    h = open_host(f);
    l = get_vcpus(f, h, d, &n);
    assert_int_equal(n, N_CHILDREN + 1);
    for (c = 0; c < N_CHILDREN; c++) {
        libxl_bitmap *hard = &l[c + 1].hard, *soft = &l[c + 1].soft;

        assert_int_equal(xlv__bitmap_count(hard), 1);
        assert_true(libxl_bitmap_test(hard, hard_of(c, N_CALLS / 2 - 1)));
        assert_int_equal(xlv__bitmap_count(soft), 1);
        assert_true(libxl_bitmap_test(soft, soft_of(c, N_CALLS / 2 - 1)));
    }
    /* The last set_vcpuonline of all was some child's last: {0, k}. */
    for (i = 0; i < n; i++) {
        if (l[i].online) {
            online++;
            k = i;
        }
    }
    assert_true(l[0].online);
    assert_int_equal(online, 2);
    assert_true(k >= 1 && k <= N_CHILDREN);
    free_vcpus(l, n);
    OPS->close(h);
}

/*
 * xlv__test_host_parse() (the fuzz target's way in): a state written back
 * is a fixed point; bad buffers, also without a NUL, are refused.
 */
static void test_parse_buffer(void **state)
{
    fixture *f = *state;
    static const char text[] =
        "{ \"pcpus\": 4, \"domains\": [ { \"domid\": 0, \"name\": "
        "\"Domain-0\", \"max_vcpus\": 1, \"memory_kib\": 1024, "
        "\"vcpus\": [ { \"online\": true, \"hard\": \"1-2\" } ] } ] }";
    char *json = NULL, *json2 = NULL;

    check_rc(f, xlv__test_host_parse(f->ctx, &json, text, strlen(text)),
             "parse");
    assert_non_null(strstr(json, "\"hard\": \"1-2\""));
    check_rc(f, xlv__test_host_parse(f->ctx, &json2, json, strlen(json)),
             "parse again");
    assert_string_equal(json, json2);
    check_rc(f, xlv__test_host_parse(f->ctx, NULL, text, strlen(text)),
             "parse, no output");
    /* LEN bytes only: the rest of the buffer is not read. */
    check_fail(f, xlv__test_host_parse(f->ctx, NULL, text, 5), XLV_ERR_INVAL,
               NULL);
    check_fail(f, xlv__test_host_parse(f->ctx, NULL, "", 0), XLV_ERR_INVAL,
               "test host '(buffer)': corrupt state: the file is empty");
    free(json2);
    free(json);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_default_host),
        T(test_open_bad_path),
        T(test_open_by_uri),
        T(test_create_list_info),
        T(test_create_defaults_affinity),
        T(test_create_refusals),
        T(test_vcpuonline),
        T(test_affinity_kept_across_unplug),
        T(test_affinity_refusals),
        T(test_destroy),
        T(test_persisted),
        T(test_corrupt_state),
        T(test_huge_numbers),
        T(test_hand_written_state),
        T(test_truncated_state),
        T(test_injected_failure),
        T(test_injection_syntax),
        T(test_concurrency),
        T(test_parse_buffer),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
