/*
 * Connections, the store and scoped changes as an embedding toolstack uses
 * them: only libxlvcpu.h, a test:/// host and a store in a fresh temporary
 * directory, an empty hook directory.  Every check goes through the public
 * API, so a change that lands in the wrong file shows as a wrong count,
 * list row or document.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "libxlvcpu.h"

typedef struct {
    char base[64];              /* a fresh temporary directory */
    char state[128];            /* BASE/state: the store */
    char hooks[128];            /* BASE/hooks: empty */
    char uri[160];              /* test:///BASE/host.json */
    xlv_ctx *ctx;
    xlv_conn *conn;
} fixture;

/* Four vCPUs, two online at boot, no pin. */
static const char web1_xml[] =
    "<domain type='xen'>\n"
    "  <name>web1</name>\n"
    "  <uuid>6f0b3c2e-8d21-4c4f-9a57-2b1d0e6c9a11</uuid>\n"
    "  <memory unit='MiB'>512</memory>\n"
    "  <vcpu placement='static' current='2'>4</vcpu>\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='xenpv'>linux</type>\n"
    "    <kernel>/boot/vmlinuz</kernel>\n"
    "  </os>\n"
    "  <on_crash>restart</on_crash>\n"
    "</domain>\n";

/* More vCPUs than the default host's 8 pCPUs, and a pin. */
static const char db_xml[] =
    "<domain type='xen'>\n"
    "  <name>db</name>\n"
    "  <memory unit='GiB'>1</memory>\n"
    "  <vcpu placement='static' current='1'>16</vcpu>\n"
    "  <cputune>\n"
    "    <vcpupin vcpu='0' cpuset='6'/>\n"
    "  </cputune>\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='xenpv'>linux</type>\n"
    "    <kernel>/boot/vmlinuz</kernel>\n"
    "  </os>\n"
    "</domain>\n";

/* For a transient domain: never defined. */
static const char tmp_xml[] =
    "<domain type='xen'>\n"
    "  <name>scratch</name>\n"
    "  <memory unit='MiB'>256</memory>\n"
    "  <vcpu>2</vcpu>\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='xenpv'>linux</type>\n"
    "    <kernel>/boot/vmlinuz</kernel>\n"
    "  </os>\n"
    "</domain>\n";

/* ---- fixture ---------------------------------------------------------- */

static void open_conn(fixture *f, xlv_ctx *ctx, xlv_conn **conn_r)
{
    int rc;

    rc = xlv_conn_open(ctx, conn_r, f->uri, f->state, 0);
    if (rc)
        fail_msg("conn_open: %s", xlv_ctx_error(ctx));
    rc = xlv_conn_set_hook_dir(ctx, *conn_r, f->hooks, 0);
    if (rc)
        fail_msg("set_hook_dir: %s", xlv_ctx_error(ctx));
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    strcpy(f->base, "/tmp/test_conn.XXXXXX");
    assert_non_null(mkdtemp(f->base));
    snprintf(f->state, sizeof(f->state), "%s/state", f->base);
    snprintf(f->hooks, sizeof(f->hooks), "%s/hooks", f->base);
    snprintf(f->uri, sizeof(f->uri), "test://%s/host.json", f->base);
    assert_int_equal(mkdir(f->hooks, 0700), 0);
    assert_int_equal(xlv_ctx_new(&f->ctx, NULL, 0), 0);
    open_conn(f, f->ctx, &f->conn);
    *state = f;
    return 0;
}

static int remove_one(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    fixture *f = *state;

    xlv_conn_close(f->conn);
    xlv_ctx_free(f->ctx);
    nftw(f->base, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* ---- helpers ---------------------------------------------------------- */

/* A call that must succeed. */
static void ok(xlv_ctx *ctx, int rc, const char *what)
{
    if (rc)
        fail_msg("%s: rc %d: %s", what, rc, xlv_ctx_error(ctx));
}

/*
 * RC is the failure EXPECT, kept on CTX with a one-line message in the
 * house style (not empty, no full stop) that holds NEEDLE (or NULL).
 */
static void fails(xlv_ctx *ctx, int rc, int expect, const char *needle)
{
    const char *msg = xlv_ctx_error(ctx);
    size_t len = strlen(msg);

    if (rc != expect)
        fail_msg("rc %d (%s), expected %d (%s): '%s'", rc, xlv_strerror(rc),
                 expect, xlv_strerror(expect), msg);
    assert_int_equal(xlv_ctx_error_code(ctx), expect);
    assert_true(len > 0);
    assert_null(strchr(msg, '\n'));
    assert_true(msg[len - 1] != '.');
    if (needle && !strstr(msg, needle))
        fail_msg("message '%s' does not say '%s'", msg, needle);
}

static xlv_domain *parse(xlv_ctx *ctx, const char *xml)
{
    xlv_domain *dom = NULL;

    ok(ctx, xlv_domain_from_xml(ctx, &dom, xml, strlen(xml), "t.xml", 0),
       "from_xml");
    return dom;
}

static void define(fixture *f, const char *xml)
{
    xlv_domain *dom = parse(f->ctx, xml);

    ok(f->ctx, xlv_domain_define(f->ctx, f->conn, dom, 0), "define");
    xlv_domain_free(dom);
}

/*
 * The library's results are opaque; these copy them, through every
 * accessor, into plain rows that the checks below read.
 */
typedef struct {
    int defined, running;
    unsigned int config_max, config_current, live_max, live_current;
} counts_t;

typedef struct {
    char *name;
    unsigned int domid, vcpu;
    int cpu, online, running, blocked;
    double time_s;
    char *hard, *soft;
} vrow;

typedef struct {
    char *name;
    int domid, persistent, autostart;
    unsigned int vcpus, max_vcpus;
} drow;

static int get_counts(xlv_ctx *ctx, xlv_conn *conn, const char *dom,
                      counts_t *c_r, unsigned int flags)
{
    xlv_vcpu_counts *c = NULL;
    int rc;

    rc = xlv_vcpu_count(ctx, conn, &c, dom, flags);
    if (rc) {
        assert_null(c);
        return rc;
    }
    c_r->defined = xlv_vcpu_counts_is_defined(c);
    c_r->running = xlv_vcpu_counts_is_running(c);
    c_r->config_max = xlv_vcpu_counts_get_config_max(c);
    c_r->config_current = xlv_vcpu_counts_get_config_current(c);
    c_r->live_max = xlv_vcpu_counts_get_live_max(c);
    c_r->live_current = xlv_vcpu_counts_get_live_current(c);
    xlv_vcpu_counts_free(c);
    return 0;
}

static void vrows_free(vrow *rows, unsigned int n)
{
    unsigned int i;

    for (i = 0; rows && i < n; i++) {
        free(rows[i].name);
        free(rows[i].hard);
        free(rows[i].soft);
    }
    free(rows);
}

static int get_vcpus(xlv_ctx *ctx, xlv_conn *conn, const char *const *doms,
                     unsigned int n_doms, vrow **rows_r, unsigned int *n_r,
                     unsigned int flags)
{
    xlv_vcpu_info_list *list = NULL;
    vrow *rows;
    unsigned int n, i;
    int rc;

    rc = xlv_vcpu_list(ctx, conn, &list, doms, n_doms, flags);
    if (rc) {
        assert_null(list);
        return rc;
    }
    n = xlv_vcpu_info_list_length(list);
    assert_null(xlv_vcpu_info_list_get(list, n));
    rows = calloc(n + 1, sizeof(*rows));
    assert_non_null(rows);
    for (i = 0; i < n; i++) {
        const xlv_vcpu_info *v = xlv_vcpu_info_list_get(list, i);

        assert_non_null(v);
        rows[i].name = strdup(xlv_vcpu_info_get_domain_name(v));
        rows[i].domid = xlv_vcpu_info_get_domid(v);
        rows[i].vcpu = xlv_vcpu_info_get_vcpu(v);
        rows[i].cpu = xlv_vcpu_info_get_cpu(v);
        rows[i].online = xlv_vcpu_info_is_online(v);
        rows[i].running = xlv_vcpu_info_is_running(v);
        rows[i].blocked = xlv_vcpu_info_is_blocked(v);
        rows[i].time_s = xlv_vcpu_info_get_time(v);
        rows[i].hard = strdup(xlv_vcpu_info_get_hard_affinity(v));
        rows[i].soft = strdup(xlv_vcpu_info_get_soft_affinity(v));
    }
    xlv_vcpu_info_list_free(list);
    *rows_r = rows;
    *n_r = n;
    return 0;
}

static void drows_free(drow *rows, unsigned int n)
{
    unsigned int i;

    for (i = 0; rows && i < n; i++)
        free(rows[i].name);
    free(rows);
}

static int get_domains(xlv_ctx *ctx, xlv_conn *conn, drow **rows_r,
                       unsigned int *n_r, unsigned int flags)
{
    xlv_domain_entry_list *list = NULL;
    drow *rows;
    unsigned int n, i;
    int rc;

    rc = xlv_domain_list(ctx, conn, &list, flags);
    if (rc) {
        assert_null(list);
        return rc;
    }
    n = xlv_domain_entry_list_length(list);
    assert_null(xlv_domain_entry_list_get(list, n));
    rows = calloc(n + 1, sizeof(*rows));
    assert_non_null(rows);
    for (i = 0; i < n; i++) {
        const xlv_domain_entry *e = xlv_domain_entry_list_get(list, i);

        assert_non_null(e);
        rows[i].name = strdup(xlv_domain_entry_get_name(e));
        rows[i].domid = xlv_domain_entry_get_domid(e);
        rows[i].persistent = xlv_domain_entry_is_persistent(e);
        rows[i].autostart = xlv_domain_entry_is_autostart(e);
        rows[i].vcpus = xlv_domain_entry_get_vcpus(e);
        rows[i].max_vcpus = xlv_domain_entry_get_max_vcpus(e);
    }
    xlv_domain_entry_list_free(list);
    *rows_r = rows;
    *n_r = n;
    return 0;
}

static unsigned int start(fixture *f, const char *name)
{
    unsigned int domid = 0;

    ok(f->ctx, xlv_domain_start(f->ctx, f->conn, &domid, name, 0), "start");
    assert_true(domid > 0);
    return domid;
}

static counts_t counts_on(xlv_ctx *ctx, xlv_conn *conn,
                                 const char *name)
{
    counts_t c;

    memset(&c, 0xa5, sizeof(c));
    ok(ctx, get_counts(ctx, conn, name, &c, 0), "vcpu_count");
    return c;
}

static counts_t counts(fixture *f, const char *name)
{
    return counts_on(f->ctx, f->conn, name);
}

/* Configured and live counts of NAME; LIVE_MAX 0 means not running. */
static void check_counts(fixture *f, const char *name,
                         unsigned int config_max, unsigned int config_cur,
                         unsigned int live_max, unsigned int live_cur)
{
    counts_t c = counts(f, name);

    assert_int_equal(c.defined, 1);
    assert_int_equal(c.config_max, config_max);
    assert_int_equal(c.config_current, config_cur);
    assert_int_equal(c.running, live_max > 0);
    if (live_max) {
        assert_int_equal(c.live_max, live_max);
        assert_int_equal(c.live_current, live_cur);
    }
}

static void set(fixture *f, const char *name, unsigned int count,
                unsigned int flags, unsigned int expect_old)
{
    unsigned int old = 12345;

    ok(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, name, count, flags),
       "vcpu_set");
    assert_int_equal(old, expect_old);
}

static char *xml_on(xlv_ctx *ctx, xlv_conn *conn, const char *name,
                    unsigned int flags)
{
    char *xml = NULL;

    ok(ctx, xlv_domain_get_xml(ctx, conn, &xml, name, flags), "get_xml");
    assert_non_null(xml);
    return xml;
}

static char *xml(fixture *f, const char *name, unsigned int flags)
{
    return xml_on(f->ctx, f->conn, name, flags);
}

/* The document of NAME (FLAGS as get_xml) holds, or lacks, NEEDLE. */
static void xml_has(fixture *f, const char *name, unsigned int flags,
                    const char *needle, bool present)
{
    char *text = xml(f, name, flags);

    if (present && !strstr(text, needle))
        fail_msg("%s xml of '%s' lacks '%s':\n%s", flags ? "inactive"
                 : "live", name, needle, text);
    if (!present && strstr(text, needle))
        fail_msg("%s xml of '%s' has '%s':\n%s", flags ? "inactive"
                 : "live", name, needle, text);
    free(text);
}

/* The vCPU rows of the running domain NAME; free with ..._list_free(). */
static vrow *vcpus(fixture *f, const char *name, unsigned int *n_r)
{
    const char *const doms[] = { name };
    vrow *list = NULL;

    ok(f->ctx, get_vcpus(f->ctx, f->conn, doms, 1, &list, n_r, 0),
       "vcpu_list");
    return list;
}

/* Row VCPU of NAME: online or not, its pCPU, and its hard and soft pin. */
static void check_vcpu(fixture *f, const char *name, unsigned int vcpu,
                       int online, int cpu, const char *hard,
                       const char *soft)
{
    unsigned int n = 0;
    vrow *l = vcpus(f, name, &n);

    assert_true(vcpu < n);
    assert_string_equal(l[vcpu].name, name);
    assert_int_equal(l[vcpu].vcpu, vcpu);
    assert_int_equal(l[vcpu].online, online);
    assert_int_equal(l[vcpu].cpu, cpu);
    assert_string_equal(l[vcpu].hard, hard);
    assert_string_equal(l[vcpu].soft, soft);
    vrows_free(l, n);
}

static void append(char **buf, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void append(char **buf, size_t *len, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    *buf = realloc(*buf, *len + (size_t)n + 1);
    assert_non_null(*buf);
    va_start(ap, fmt);
    vsnprintf(*buf + *len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    *len += (size_t)n;
}

/*
 * Everything the API shows about the host and the store, as text: the
 * domain list, every vCPU row but its time, counts and both documents of
 * every domain.  Two equal snapshots mean nothing changed.
 */
static char *snapshot(fixture *f)
{
    drow *doms = NULL;
    vrow *v = NULL;
    unsigned int n = 0, nv = 0, i;
    char *buf = NULL, *text;
    size_t len = 0;

    ok(f->ctx, get_domains(f->ctx, f->conn, &doms, &n, XLV_LIST_ALL),
       "domain_list");
    for (i = 0; i < n; i++) {
        counts_t c = counts(f, doms[i].name);

        append(&buf, &len, "%s %d %d %u %u | %d %d %u %u %u %u\n",
               doms[i].name, doms[i].domid, doms[i].persistent,
               doms[i].vcpus, doms[i].max_vcpus, c.defined, c.running,
               c.running ? c.live_max : 0, c.running ? c.live_current : 0,
               c.defined ? c.config_max : 0,
               c.defined ? c.config_current : 0);
        text = xml(f, doms[i].name, 0);
        append(&buf, &len, "%s", text);
        free(text);
        if (c.defined) {
            text = xml(f, doms[i].name, XLV_XML_INACTIVE);
            append(&buf, &len, "%s", text);
            free(text);
        }
    }
    drows_free(doms, n);
    ok(f->ctx, get_vcpus(f->ctx, f->conn, NULL, 0, &v, &nv, 0),
       "vcpu_list");
    for (i = 0; i < nv; i++)
        append(&buf, &len, "%s %u %u %d %d %s %s\n", v[i].name, v[i].domid,
               v[i].vcpu, v[i].cpu, v[i].online, v[i].hard, v[i].soft);
    vrows_free(v, nv);
    return buf;
}

static void same_snapshot(fixture *f, const char *before)
{
    char *after = snapshot(f);

    if (strcmp(before, after))
        fail_msg("changed:\n--- before\n%s--- after\n%s", before, after);
    free(after);
}

static const drow *find_entry(const drow *l,
                                          unsigned int n, const char *name)
{
    unsigned int i;

    for (i = 0; i < n; i++) {
        if (!strcmp(l[i].name, name))
            return &l[i];
    }
    return NULL;
}

/* ---- opening ---------------------------------------------------------- */

static void test_open(void **state)
{
    fixture *f = *state;
    xlv_domain_entry_list *entries = NULL;
    xlv_domain *dom = NULL;
    xlv_conn *conn = NULL;
    char path[192], top[192];
    char *text = NULL;
    struct stat st;

    fails(f->ctx, xlv_conn_open(f->ctx, &conn, f->uri, f->state, 1u << 2),
          XLV_ERR_INVAL, "flags '0x4'");
    assert_null(conn);
    fails(f->ctx, xlv_conn_open(f->ctx, &conn, f->uri, f->state, 1u << 31),
          XLV_ERR_INVAL, "flags");
    assert_null(conn);
    fails(f->ctx, xlv_conn_open(f->ctx, &conn, "qemu:///system", f->state,
                                0), XLV_ERR_INVAL, "'qemu:///system'");
    assert_null(conn);
    fails(f->ctx, xlv_conn_open(f->ctx, &conn, "test://host.json", f->state,
                                0), XLV_ERR_INVAL, "'test://host.json'");
    assert_null(conn);

    /* A store writable by others is refused, and left as it is. */
    snprintf(path, sizeof(path), "%s/open", f->base);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(chmod(path, 0777), 0);
    fails(f->ctx, xlv_conn_open(f->ctx, &conn, f->uri, path, 0),
          XLV_ERR_INVAL, "writable");
    assert_null(conn);

    /* A missing store is created, private, by the first definition; what
     * only reads it (a listing, a definition asked for) leaves none. */
    snprintf(path, sizeof(path), "%s/new/store", f->base);
    ok(f->ctx, xlv_conn_open(f->ctx, &conn, f->uri, path, 0), "conn_open");
    assert_non_null(conn);
    ok(f->ctx, xlv_domain_list(f->ctx, conn, &entries, XLV_LIST_ALL),
       "list");
    xlv_domain_entry_list_free(entries);
    fails(f->ctx, xlv_domain_get_xml(f->ctx, conn, &text, "web1",
                                     XLV_XML_INACTIVE),
          XLV_ERR_NOTFOUND, "web1");
    assert_null(text);
    snprintf(top, sizeof(top), "%s/new", f->base);
    assert_int_equal(stat(top, &st), -1);
    ok(f->ctx, xlv_domain_from_xml(f->ctx, &dom, web1_xml, strlen(web1_xml),
                                   "web1.xml", 0), "parse");
    ok(f->ctx, xlv_domain_define(f->ctx, conn, dom, 0), "define");
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    xlv_domain_free(dom);
    xlv_conn_close(conn);
    xlv_conn_close(NULL);
}

/*
 * What a connection is told it will not use, it does not touch: without
 * a store the state directory is neither made nor read, and only calls
 * that need no definition work; without a host nothing asks it.
 */
static void test_open_without(void **state)
{
    fixture *f = *state;
    xlv_vcpu_info_list *vcpus = NULL;
    xlv_vcpu_counts *counts = NULL;
    xlv_domain *dom = NULL;
    xlv_conn *conn = NULL;
    char path[192], uri[192];
    struct stat st;

    snprintf(path, sizeof(path), "%s/never", f->base);
    ok(f->ctx, xlv_conn_open(f->ctx, &conn, f->uri, path, XLV_CONN_NO_STORE),
       "conn_open without a store");
    assert_int_equal(stat(path, &st), -1);
    ok(f->ctx, xlv_vcpu_list(f->ctx, conn, &vcpus, NULL, 0, 0),
       "vcpu_list without a store");
    assert_true(xlv_vcpu_info_list_length(vcpus) > 0);
    xlv_vcpu_info_list_free(vcpus);
    fails(f->ctx, xlv_vcpu_count(f->ctx, conn, &counts, "Domain-0", 0),
          XLV_ERR_INVAL, "no store of definitions");
    fails(f->ctx, xlv_domain_undefine(f->ctx, conn, "web1", 0),
          XLV_ERR_INVAL, "XLV_CONN_NO_STORE");
    assert_int_equal(stat(path, &st), -1);
    xlv_conn_close(conn);

    conn = NULL;
    snprintf(uri, sizeof(uri), "test://%s/untouched.json", f->base);
    ok(f->ctx, xlv_conn_open(f->ctx, &conn, uri, f->state,
                             XLV_CONN_NO_HOST), "conn_open without a host");
    ok(f->ctx, xlv_domain_from_xml(f->ctx, &dom, web1_xml,
                                   strlen(web1_xml), "web1.xml", 0), "parse");
    ok(f->ctx, xlv_domain_define(f->ctx, conn, dom, 0), "define");
    fails(f->ctx, xlv_vcpu_list(f->ctx, conn, &vcpus, NULL, 0, 0),
          XLV_ERR_INVAL, "no host");
    fails(f->ctx, xlv_domain_start(f->ctx, conn, NULL, "web1", 0),
          XLV_ERR_INVAL, "XLV_CONN_NO_HOST");
    ok(f->ctx, xlv_domain_undefine(f->ctx, conn, "web1", 0), "undefine");
    /* The host was never asked: its state file was never written. */
    snprintf(path, sizeof(path), "%s/untouched.json", f->base);
    assert_int_equal(stat(path, &st), -1);
    xlv_domain_free(dom);
    xlv_conn_close(conn);
}

/* The whole file PATH as a string (the caller frees it). */
static char *read_text(const char *path)
{
    char *buf = calloc(1, 4096);
    FILE *fp = fopen(path, "r");

    assert_non_null(buf);
    assert_non_null(fp);
    assert_true(fread(buf, 1, 4095, fp) > 0);
    fclose(fp);
    return buf;
}

/* The journal of changes: one line per change, only when one is set. */
static void test_lock_log(void **state)
{
    fixture *f = *state;
    char path[192], *text;

    snprintf(path, sizeof(path), "%s/changes.log", f->base);
    fails(f->ctx, xlv_conn_set_lock_log(f->ctx, f->conn, "changes.log", 0),
          XLV_ERR_INVAL, "'changes.log'");
    fails(f->ctx, xlv_conn_set_lock_log(f->ctx, f->conn, path, 1),
          XLV_ERR_INVAL, "flags");
    define(f, web1_xml);
    assert_int_equal(access(path, F_OK), -1);

    ok(f->ctx, xlv_conn_set_lock_log(f->ctx, f->conn, path, 0), "lock log");
    ok(f->ctx, xlv_vcpu_set(f->ctx, f->conn, NULL, "web1", 3,
                            XLV_AFFECT_CONFIG), "vcpu_set");
    text = read_text(path);
    assert_non_null(strstr(text, " web1 config vcpu-set current 3\n"));
    assert_null(strchr(strchr(text, '\n') + 1, '\n'));
    free(text);

    /* NULL turns it off again. */
    ok(f->ctx, xlv_conn_set_lock_log(f->ctx, f->conn, NULL, 0), "no log");
    ok(f->ctx, xlv_vcpu_set(f->ctx, f->conn, NULL, "web1", 2,
                            XLV_AFFECT_CONFIG), "vcpu_set");
    text = read_text(path);
    assert_null(strchr(strchr(text, '\n') + 1, '\n'));
    free(text);
}

/* Every call refuses flag bits it does not know, before doing anything. */
static void test_unknown_flags(void **state)
{
    fixture *f = *state;
    const char *const doms[] = { "web1" };
    xlv_domain *dom = parse(f->ctx, web1_xml);
    xlv_domain *tmp = parse(f->ctx, tmp_xml);
    drow *dl = NULL;
    vrow *vl = NULL;
    counts_t c;
    unsigned int n = 77, old = 77, domid = 77;
    char *text = NULL, *before;
    const unsigned int high = 1u << 20;

    define(f, web1_xml);
    before = snapshot(f);

    fails(f->ctx, xlv_domain_define(f->ctx, f->conn, dom, XLV_AFFECT_CONFIG),
          XLV_ERR_INVAL, "flags");
    fails(f->ctx, xlv_domain_define(f->ctx, f->conn, dom, high), XLV_ERR_INVAL,
          "flags");
    fails(f->ctx, xlv_domain_undefine(f->ctx, f->conn, "web1", XLV_LIST_ALL),
          XLV_ERR_INVAL, "flags");
    fails(f->ctx, xlv_domain_start(f->ctx, f->conn, &domid, "web1",
                                   XLV_AFFECT_LIVE), XLV_ERR_INVAL, "flags");
    fails(f->ctx, xlv_domain_create(f->ctx, f->conn, &domid, tmp, high),
          XLV_ERR_INVAL, "flags");
    assert_int_equal(domid, 77);
    /* vcpu_set: a get_xml flag, a vcpu_pin flag, a bit nobody knows. */
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 3,
                               XLV_AFFECT_CONFIG | XLV_XML_INACTIVE),
          XLV_ERR_INVAL, "flags");
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 3,
                               XLV_AFFECT_CONFIG | XLV_VCPU_FORCE),
          XLV_ERR_INVAL, "flags");
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 3, high),
          XLV_ERR_INVAL, "flags");
    assert_int_equal(old, 77);
    fails(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", 0, "1", NULL,
                               XLV_AFFECT_CONFIG | XLV_VCPU_MAXIMUM),
          XLV_ERR_INVAL, "flags");
    fails(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", 0, "1", NULL,
                               XLV_AFFECT_CONFIG | XLV_VCPU_IGNORE_HOST),
          XLV_ERR_INVAL, "flags");
    fails(f->ctx, get_counts(f->ctx, f->conn, "web1", &c,
                             XLV_AFFECT_CONFIG), XLV_ERR_INVAL, "flags");
    fails(f->ctx, get_vcpus(f->ctx, f->conn, doms, 1, &vl, &n,
                            XLV_LIST_ALL), XLV_ERR_INVAL, "flags");
    assert_null(vl);
    fails(f->ctx, get_domains(f->ctx, f->conn, &dl, &n,
                              XLV_XML_INACTIVE), XLV_ERR_INVAL, "flags");
    assert_null(dl);
    fails(f->ctx, xlv_domain_get_xml(f->ctx, f->conn, &text, "web1",
                                     XLV_LIST_ALL), XLV_ERR_INVAL, "flags");
    fails(f->ctx, xlv_domain_get_xml(f->ctx, f->conn, &text, "web1",
                                     XLV_XML_INACTIVE | XLV_DRY_RUN),
          XLV_ERR_INVAL, "flags");
    assert_null(text);
    assert_int_equal(n, 77);

    same_snapshot(f, before);
    free(before);
    xlv_domain_free(dom);
    xlv_domain_free(tmp);
}

/* ---- an inactive domain ----------------------------------------------- */

static void test_inactive(void **state)
{
    fixture *f = *state;
    counts_t c;
    unsigned int old = 77;
    char *before;

    define(f, web1_xml);
    c = counts(f, "web1");
    assert_int_equal(c.defined, 1);
    assert_int_equal(c.running, 0);
    assert_int_equal(c.config_max, 4);
    assert_int_equal(c.config_current, 2);
    xml_has(f, "web1", XLV_XML_INACTIVE, "current=\"2\">4</vcpu>", true);
    /* Not running: the live document is the persistent one. */
    xml_has(f, "web1", 0, "current=\"2\">4</vcpu>", true);
    xml_has(f, "web1", 0, "<on_crash>restart</on_crash>", true);

    set(f, "web1", 3, XLV_AFFECT_CONFIG, 2);
    check_counts(f, "web1", 4, 3, 0, 0);
    xml_has(f, "web1", XLV_XML_INACTIVE, "current=\"3\">4</vcpu>", true);
    /* Current is config when the domain does not run. */
    set(f, "web1", 1, XLV_AFFECT_CURRENT, 3);
    check_counts(f, "web1", 4, 1, 0, 0);
    /* All of them online: no current= any more. */
    set(f, "web1", 4, XLV_AFFECT_CONFIG, 1);
    check_counts(f, "web1", 4, 4, 0, 0);
    xml_has(f, "web1", XLV_XML_INACTIVE, "current=", false);
    set(f, "web1", 2, XLV_AFFECT_CONFIG, 4);

    /* Live, alone or with config, needs it running: nothing changes. */
    before = snapshot(f);
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 3,
                               XLV_AFFECT_LIVE), XLV_ERR_STATE,
          "domain 'web1' is not running");
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 3,
                               XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG),
          XLV_ERR_STATE, "'web1'");
    fails(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", 0, "1", NULL,
                               XLV_AFFECT_LIVE), XLV_ERR_STATE, "'web1'");
    fails(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", XLV_VCPU_ALL, "1",
                               NULL, XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG),
          XLV_ERR_STATE, "'web1'");
    assert_int_equal(old, 77);
    same_snapshot(f, before);
    free(before);
    check_counts(f, "web1", 4, 2, 0, 0);
}

/* ---- starting and live changes ---------------------------------------- */

static void test_start(void **state)
{
    fixture *f = *state;
    unsigned int domid, again = 77;
    counts_t c;
    char name[16];

    define(f, web1_xml);
    domid = start(f, "web1");
    c = counts(f, "web1");
    assert_int_equal(c.defined, 1);
    assert_int_equal(c.running, 1);
    assert_int_equal(c.live_max, c.config_max);
    assert_int_equal(c.live_current, c.config_current);
    assert_int_equal(c.live_current, 2);
    /* Booted with vCPUs 0 and 1 online. */
    check_vcpu(f, "web1", 0, 1, 0, "all", "all");
    check_vcpu(f, "web1", 1, 1, 0, "all", "all");
    check_vcpu(f, "web1", 2, 0, -1, "all", "all");
    check_vcpu(f, "web1", 3, 0, -1, "all", "all");

    /* By domid too. */
    snprintf(name, sizeof(name), "%u", domid);
    c = counts(f, name);
    assert_int_equal(c.defined, 1);
    assert_int_equal(c.running, 1);
    assert_int_equal(c.config_max, 4);

    fails(f->ctx, xlv_domain_start(f->ctx, f->conn, &again, "web1", 0),
          XLV_ERR_STATE, "already running");
    assert_int_equal(again, 77);

    /* The configured pin is in place from the start. */
    define(f, db_xml);
    start(f, "db");
    check_vcpu(f, "db", 0, 1, 6, "6", "all");
    check_vcpu(f, "db", 1, 0, -1, "all", "all");
    check_counts(f, "db", 16, 1, 16, 1);
}

static void test_set_running(void **state)
{
    fixture *f = *state;
    unsigned int domid, old = 77;
    char name[16], *before;

    define(f, web1_xml);
    domid = start(f, "web1");

    set(f, "web1", 3, XLV_AFFECT_LIVE, 2);
    check_counts(f, "web1", 4, 2, 4, 3);
    check_vcpu(f, "web1", 2, 1, 0, "all", "all");
    set(f, "web1", 1, XLV_AFFECT_CONFIG, 2);
    check_counts(f, "web1", 4, 1, 4, 3);
    /* Current is live when the domain runs; old_r is then live too. */
    set(f, "web1", 4, XLV_AFFECT_CURRENT, 3);
    check_counts(f, "web1", 4, 1, 4, 4);
    set(f, "web1", 2, XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG, 4);
    check_counts(f, "web1", 4, 2, 4, 2);
    /* Unplugged from the top. */
    check_vcpu(f, "web1", 1, 1, 0, "all", "all");
    check_vcpu(f, "web1", 2, 0, -1, "all", "all");
    check_vcpu(f, "web1", 3, 0, -1, "all", "all");

    /* The same count again changes nothing and says so. */
    set(f, "web1", 2, XLV_AFFECT_LIVE, 2);
    check_counts(f, "web1", 4, 2, 4, 2);

    /* A domid names the running domain, in every scope. */
    snprintf(name, sizeof(name), "%u", domid);
    set(f, name, 3, XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG, 2);
    check_counts(f, "web1", 4, 3, 4, 3);

    /* Above the maximum, or zero: refused in every scope. */
    before = snapshot(f);
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 5,
                               XLV_AFFECT_LIVE), XLV_ERR_INVAL, "'5'");
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 5,
                               XLV_AFFECT_CONFIG), XLV_ERR_INVAL, "'5'");
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 5,
                               XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG),
          XLV_ERR_INVAL, "'5'");
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 0,
                               XLV_AFFECT_LIVE), XLV_ERR_INVAL, "'0'");
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 0,
                               XLV_AFFECT_CONFIG), XLV_ERR_INVAL, "'0'");
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 0,
                               XLV_AFFECT_CONFIG | XLV_VCPU_MAXIMUM),
          XLV_ERR_INVAL, "'0'");
    assert_int_equal(old, 77);
    same_snapshot(f, before);
    free(before);
}

/* More vCPUs online than the host has pCPUs only when asked for. */
static void test_set_host_limit(void **state)
{
    fixture *f = *state;
    unsigned int old = 77;

    define(f, db_xml);
    start(f, "db");
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "db", 9,
                               XLV_AFFECT_LIVE), XLV_ERR_INVAL, "'9'");
    assert_int_equal(old, 77);
    check_counts(f, "db", 16, 1, 16, 1);
    set(f, "db", 8, XLV_AFFECT_LIVE, 1);
    set(f, "db", 12, XLV_AFFECT_LIVE | XLV_VCPU_IGNORE_HOST, 8);
    check_counts(f, "db", 16, 1, 16, 12);
    /* The definition is not checked against this host. */
    set(f, "db", 16, XLV_AFFECT_CONFIG, 1);
    check_counts(f, "db", 16, 16, 16, 12);
}

static void test_maximum(void **state)
{
    fixture *f = *state;
    unsigned int old = 77;
    char *before;

    define(f, web1_xml);
    /* Not running: current is config, where the maximum lives. */
    set(f, "web1", 6, XLV_VCPU_MAXIMUM, 4);
    check_counts(f, "web1", 6, 2, 0, 0);
    xml_has(f, "web1", XLV_XML_INACTIVE, "current=\"2\">6</vcpu>", true);

    start(f, "web1");
    before = snapshot(f);
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 8,
                               XLV_VCPU_MAXIMUM), XLV_ERR_INVAL,
          "--config");
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 8,
                               XLV_VCPU_MAXIMUM | XLV_AFFECT_LIVE),
          XLV_ERR_INVAL, "--config");
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 8,
                               XLV_VCPU_MAXIMUM | XLV_AFFECT_LIVE |
                               XLV_AFFECT_CONFIG), XLV_ERR_INVAL,
          "--config");
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1",
                               XLV_MAX_VCPUS_PV + 1,
                               XLV_VCPU_MAXIMUM | XLV_AFFECT_CONFIG),
          XLV_ERR_INVAL, "'8193'");
    assert_int_equal(old, 77);
    same_snapshot(f, before);
    free(before);

    /* The maximum of the next boot; the running domain keeps its own. */
    set(f, "web1", 8, XLV_VCPU_MAXIMUM | XLV_AFFECT_CONFIG, 6);
    check_counts(f, "web1", 8, 2, 6, 2);
    set(f, "web1", 7, XLV_AFFECT_CONFIG, 2);
    check_counts(f, "web1", 8, 7, 6, 2);
    /* Lowering it below the current count lowers that too. */
    set(f, "web1", 3, XLV_VCPU_MAXIMUM | XLV_AFFECT_CONFIG, 8);
    check_counts(f, "web1", 3, 3, 6, 2);
    set(f, "web1", 1, XLV_VCPU_MAXIMUM | XLV_AFFECT_CONFIG, 3);
    check_counts(f, "web1", 1, 1, 6, 2);
    xml_has(f, "web1", XLV_XML_INACTIVE, "<vcpu placement=\"static\">1"
            "</vcpu>", true);
    xml_has(f, "web1", 0, "current=\"2\">6</vcpu>", true);

    /* Live would take 5, the definition would not: neither changes. */
    before = snapshot(f);
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 5,
                               XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG),
          XLV_ERR_INVAL, "'5'");
    same_snapshot(f, before);
    free(before);
}

/*
 * Live and config together are both done or neither: when the host
 * refuses the live half (as libxl would), the definition is untouched.
 */
static void test_both_or_neither(void **state)
{
    fixture *f = *state;
    xlv_conn *conn = NULL;
    char uri[256];
    char *before;

    define(f, web1_xml);
    start(f, "web1");
    before = snapshot(f);
    /* The same host, whose first set_vcpuonline and second
     * set_vcpuaffinity fail (the URI's fail=). */
    snprintf(uri, sizeof(uri), "%s?fail=set_vcpuonline:1,"
             "set_vcpuaffinity:2", f->uri);
    if (xlv_conn_open(f->ctx, &conn, uri, f->state, 0) ||
        xlv_conn_set_hook_dir(f->ctx, conn, f->hooks, 0))
        fail_msg("conn_open: %s", xlv_ctx_error(f->ctx));
    fails(f->ctx, xlv_vcpu_set(f->ctx, conn, NULL, "web1", 3,
                               XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG),
          XLV_ERR_LIBXL, "set_vcpuonline");
    /* vCPU 0 is pinned, vCPU 1 fails: vCPU 0 is put back. */
    fails(f->ctx, xlv_vcpu_pin(f->ctx, conn, "web1", XLV_VCPU_ALL, "3",
                               NULL, XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG),
          XLV_ERR_LIBXL, "put back");
    xlv_conn_close(conn);
    same_snapshot(f, before);
    free(before);

    /* Without the failures the same calls go through. */
    set(f, "web1", 3, XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG, 2);
    check_counts(f, "web1", 4, 3, 4, 3);
}

/* ---- pins ------------------------------------------------------------- */

static void test_pin(void **state)
{
    fixture *f = *state;
    unsigned int n = 0, i;
    vrow *l;
    char *before;

    define(f, web1_xml);
    start(f, "web1");

    /* vCPU 3 is offline: it can be pinned, in each scope on its own. */
    ok(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", 3, "5", NULL,
                            XLV_AFFECT_CONFIG), "pin config");
    xml_has(f, "web1", XLV_XML_INACTIVE, "<vcpupin vcpu=\"3\" cpuset=\"5\"/>",
            true);
    xml_has(f, "web1", 0, "<vcpupin", false);
    check_vcpu(f, "web1", 3, 0, -1, "all", "all");

    ok(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", 3, "1-2", "-",
                            XLV_AFFECT_LIVE), "pin live");
    check_vcpu(f, "web1", 3, 0, -1, "1-2", "all");
    xml_has(f, "web1", 0, "<vcpupin vcpu=\"3\" cpuset=\"1-2\"/>", true);
    xml_has(f, "web1", XLV_XML_INACTIVE, "<vcpupin vcpu=\"3\" cpuset=\"5\"/>",
            true);
    xml_has(f, "web1", XLV_XML_INACTIVE, "cpuset=\"1-2\"", false);

    /* Plugged, it runs where it is pinned. */
    ok(f->ctx, xlv_vcpu_set(f->ctx, f->conn, NULL, "web1", 4,
                            XLV_AFFECT_LIVE), "vcpu_set");
    check_vcpu(f, "web1", 3, 1, 1, "1-2", "all");
    ok(f->ctx, xlv_vcpu_set(f->ctx, f->conn, NULL, "web1", 2,
                            XLV_AFFECT_LIVE), "vcpu_set");
    check_vcpu(f, "web1", 3, 0, -1, "1-2", "all");

    /* Current is live; soft affinity alone. */
    ok(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", 0, NULL, "4-7",
                            XLV_AFFECT_CURRENT), "pin soft");
    check_vcpu(f, "web1", 0, 1, 4, "all", "4-7");
    xml_has(f, "web1", XLV_XML_INACTIVE, "4-7", false);

    /* Every vCPU, both scopes at once. */
    ok(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", XLV_VCPU_ALL, "6-7",
                            NULL, XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG),
       "pin all");
    l = vcpus(f, "web1", &n);
    assert_int_equal(n, 4);
    for (i = 0; i < n; i++) {
        assert_string_equal(l[i].hard, "6-7");
        assert_int_equal(l[i].cpu, l[i].online ? 6 : -1);
    }
    assert_string_equal(l[0].soft, "4-7");
    vrows_free(l, n);
    for (i = 0; i < 4; i++) {
        char pin[64];

        snprintf(pin, sizeof(pin), "<vcpupin vcpu=\"%u\" cpuset=\"6-7\"/>",
                 i);
        xml_has(f, "web1", XLV_XML_INACTIVE, pin, true);
        xml_has(f, "web1", 0, pin, true);
    }
    /* "all" drops the pins of the definition. */
    ok(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", XLV_VCPU_ALL, "all",
                            NULL, XLV_AFFECT_CONFIG), "unpin all");
    xml_has(f, "web1", XLV_XML_INACTIVE, "<vcpupin", false);
    check_vcpu(f, "web1", 2, 0, -1, "6-7", "all");

    /* node:N with no layout given to the ctx is the host's (two nodes of
     * four pCPUs), and the ctx is left without one: a conversion on it
     * still cannot resolve node:N, while a domain started on the host
     * gets it resolved there. */
    ok(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", 1, "node:1", NULL,
                            XLV_AFFECT_LIVE), "pin node");
    check_vcpu(f, "web1", 1, 1, 4, "4-7", "all");
    {
        static const char cfg[] = "name = \"n\"\nmemory = 512\n"
                                  "kernel = \"/boot/vmlinuz\"\n"
                                  "vcpus = 1\ncpus = \"node:1\"\n";
        xlv_domain *d = NULL;
        char *json = NULL;

        ok(f->ctx, xlv_domain_from_xlcfg(f->ctx, &d, cfg, strlen(cfg), NULL,
                                         0), "read node:1");
        fails(f->ctx, xlv_domain_to_libxl_json(f->ctx, &json, d, 0),
              XLV_ERR_UNSUPPORTED, "cpus 'node:1' names numa nodes");
        assert_null(json);
        ok(f->ctx, xlv_domain_create(f->ctx, f->conn, NULL, d, 0),
           "create with node:1");
        check_vcpu(f, "n", 0, 1, 4, "4-7", "all");
        xlv_domain_free(d);
    }

    /* Refused, and nothing changes. */
    before = snapshot(f);
    fails(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", 4, "1", NULL,
                               XLV_AFFECT_CONFIG), XLV_ERR_INVAL, "'4'");
    fails(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", 4, "1", NULL,
                               XLV_AFFECT_LIVE), XLV_ERR_INVAL, "'4'");
    fails(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", -2, "1", NULL,
                               XLV_AFFECT_LIVE), XLV_ERR_INVAL, "'-2'");
    fails(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", 0, "-", NULL,
                               XLV_AFFECT_LIVE), XLV_ERR_INVAL, NULL);
    fails(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", 0, "x", NULL,
                               XLV_AFFECT_LIVE), XLV_ERR_INVAL, "'x'");
    /* A pCPU the host does not have. */
    fails(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", 0, "9", NULL,
                               XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG),
          XLV_ERR_INVAL, NULL);
    same_snapshot(f, before);
    free(before);
}

/* ---- listings and documents ------------------------------------------- */

static void test_vcpu_list(void **state)
{
    fixture *f = *state;
    const char *const both[] = { "db", "web1" };
    const char *const idle[] = { "web1", "idle" };
    vrow *l = NULL;
    unsigned int n = 0, domid, i;

    define(f, web1_xml);
    define(f, db_xml);
    define(f, "<domain type='xen'><name>idle</name><memory unit='MiB'>128"
              "</memory><vcpu>1</vcpu><os><type>linux</type><kernel>/k"
              "</kernel></os></domain>");
    domid = start(f, "web1");
    start(f, "db");

    /* Every running domain, in domid order, Domain-0 first. */
    ok(f->ctx, get_vcpus(f->ctx, f->conn, NULL, 0, &l, &n, 0),
       "vcpu_list");
    assert_int_equal(n, 2 + 4 + 16);
    assert_string_equal(l[0].name, "Domain-0");
    assert_int_equal(l[0].domid, 0);
    assert_int_equal(l[1].vcpu, 1);
    for (i = 0; i < 4; i++) {
        vrow *v = &l[2 + i];

        assert_string_equal(v->name, "web1");
        assert_int_equal(v->domid, domid);
        assert_int_equal(v->vcpu, i);
        assert_int_equal(v->online, i < 2);
        assert_int_equal(v->cpu, i < 2 ? 0 : -1);
        assert_string_equal(v->hard, "all");
        assert_string_equal(v->soft, "all");
        assert_true(v->time_s >= 0);
    }
    assert_string_equal(l[6].name, "db");
    assert_string_equal(l[6].hard, "6");
    assert_int_equal(l[6].cpu, 6);
    assert_int_equal(l[7].cpu, -1);
    vrows_free(l, n);

    /* Only those asked for, in the order asked. */
    l = NULL;
    ok(f->ctx, get_vcpus(f->ctx, f->conn, both, 2, &l, &n, 0),
       "vcpu_list");
    assert_int_equal(n, 16 + 4);
    assert_string_equal(l[0].name, "db");
    assert_string_equal(l[16].name, "web1");
    vrows_free(l, n);

    /* A domain that is only defined is not running: nothing listed. */
    l = NULL;
    n = 77;
    fails(f->ctx, get_vcpus(f->ctx, f->conn, idle, 2, &l, &n, 0),
          XLV_ERR_NOTFOUND, "'idle'");
    assert_null(l);
    assert_int_equal(n, 77);
    xlv_vcpu_info_list_free(NULL);
}

static void test_domain_list(void **state)
{
    fixture *f = *state;
    const drow *e;
    drow *l = NULL;
    xlv_domain *tmp = parse(f->ctx, tmp_xml);
    unsigned int n = 0, domid, tmp_id = 0;
    char *text = NULL;

    define(f, web1_xml);
    define(f, db_xml);
    domid = start(f, "web1");
    set(f, "web1", 3, XLV_AFFECT_LIVE, 2);
    ok(f->ctx, xlv_domain_create(f->ctx, f->conn, &tmp_id, tmp, 0), "create");
    assert_true(tmp_id > domid);

    ok(f->ctx, get_domains(f->ctx, f->conn, &l, &n, 0), "domain_list");
    assert_int_equal(n, 3);
    assert_string_equal(l[0].name, "Domain-0");
    assert_int_equal(l[0].domid, 0);
    assert_int_equal(l[0].persistent, 0);
    assert_int_equal(l[0].vcpus, 2);
    e = find_entry(l, n, "web1");
    assert_non_null(e);
    assert_int_equal(e->domid, (int)domid);
    assert_int_equal(e->persistent, 1);
    assert_int_equal(e->vcpus, 3);
    assert_int_equal(e->max_vcpus, 4);
    e = find_entry(l, n, "scratch");
    assert_non_null(e);
    assert_int_equal(e->domid, (int)tmp_id);
    assert_int_equal(e->persistent, 0);
    assert_null(find_entry(l, n, "db"));
    drows_free(l, n);

    l = NULL;
    ok(f->ctx, get_domains(f->ctx, f->conn, &l, &n, XLV_LIST_ALL),
       "domain_list all");
    assert_int_equal(n, 4);
    e = find_entry(l, n, "db");
    assert_non_null(e);
    assert_int_equal(e->domid, -1);
    assert_int_equal(e->persistent, 1);
    assert_int_equal(e->vcpus, 1);
    assert_int_equal(e->max_vcpus, 16);
    /* Running ones are listed once. */
    assert_int_equal(find_entry(l, n, "web1")->domid, (int)domid);
    assert_int_equal(l[3].domid, -1);
    drows_free(l, n);
    xlv_domain_entry_list_free(NULL);
    xlv_vcpu_counts_free(NULL);

    /* A transient domain has no definition for a config change. */
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, NULL, "scratch", 1,
                               XLV_AFFECT_CONFIG), XLV_ERR_STATE,
          "'scratch'");
    fails(f->ctx, xlv_domain_get_xml(f->ctx, f->conn, &text, "scratch",
                                     XLV_XML_INACTIVE), XLV_ERR_NOTFOUND,
          "scratch");
    assert_null(text);
    xml_has(f, "scratch", 0, "<name>scratch</name>", true);
    xlv_domain_free(tmp);
}

static void test_get_xml(void **state)
{
    fixture *f = *state;
    char *live, *inactive;

    define(f, web1_xml);
    start(f, "web1");
    live = xml(f, "web1", 0);
    inactive = xml(f, "web1", XLV_XML_INACTIVE);
    assert_string_equal(live, inactive);
    free(live);
    free(inactive);

    set(f, "web1", 3, XLV_AFFECT_LIVE, 2);
    ok(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", 1, "3", NULL,
                            XLV_AFFECT_LIVE), "pin");
    set(f, "web1", 1, XLV_AFFECT_CONFIG, 2);
    xml_has(f, "web1", 0, "<vcpu placement=\"static\" current=\"3\">4</vcpu>",
            true);
    xml_has(f, "web1", 0, "<vcpupin vcpu=\"1\" cpuset=\"3\"/>", true);
    xml_has(f, "web1", XLV_XML_INACTIVE,
            "<vcpu placement=\"static\" current=\"1\">4</vcpu>", true);
    xml_has(f, "web1", XLV_XML_INACTIVE, "<vcpupin", false);
    /* What the library does not model comes through in both. */
    xml_has(f, "web1", 0, "6f0b3c2e-8d21-4c4f-9a57-2b1d0e6c9a11", true);
    xml_has(f, "web1", XLV_XML_INACTIVE, "<on_crash>restart</on_crash>",
            true);

    /* The live document of a domain we did not start: Domain-0. */
    xml_has(f, "Domain-0", 0, "<name>Domain-0</name>", true);
    xml_has(f, "0", 0, "<name>Domain-0</name>", true);

    /* Documents parse back. */
    live = xml(f, "web1", 0);
    {
        xlv_domain *dom = parse(f->ctx, live);

        assert_int_equal(xlv_domain_get_current_vcpus(dom), 3);
        assert_int_equal(xlv_domain_get_max_vcpus(dom), 4);
        assert_true(xlv_domain_vcpu_is_online(dom, 2));
        xlv_domain_free(dom);
    }
    free(live);
}

/* ---- dry run ---------------------------------------------------------- */

static void test_dry_run(void **state)
{
    fixture *f = *state;
    xlv_domain *dom = parse(f->ctx, db_xml);
    xlv_domain *tmp = parse(f->ctx, tmp_xml);
    counts_t c;
    unsigned int old = 77, domid = 77;
    char *before;

    define(f, web1_xml);
    start(f, "web1");
    before = snapshot(f);

    ok(f->ctx, xlv_domain_define(f->ctx, f->conn, dom, XLV_DRY_RUN),
       "define -N");
    ok(f->ctx, xlv_domain_create(f->ctx, f->conn, &domid, tmp, XLV_DRY_RUN),
       "create -N");
    ok(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 4,
                            XLV_AFFECT_LIVE | XLV_DRY_RUN), "set -N");
    assert_int_equal(old, 2);
    old = 77;
    ok(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 1,
                            XLV_AFFECT_CONFIG | XLV_DRY_RUN), "set -N");
    assert_int_equal(old, 2);
    ok(f->ctx, xlv_vcpu_set(f->ctx, f->conn, NULL, "web1", 3,
                            XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG |
                            XLV_DRY_RUN), "set -N");
    ok(f->ctx, xlv_vcpu_set(f->ctx, f->conn, NULL, "web1", 8,
                            XLV_AFFECT_CONFIG | XLV_VCPU_MAXIMUM |
                            XLV_DRY_RUN), "set -N");
    ok(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", XLV_VCPU_ALL, "1",
                            "2", XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG |
                            XLV_DRY_RUN), "pin -N");
    ok(f->ctx, xlv_vcpu_pin(f->ctx, f->conn, "web1", 3, "1", NULL,
                            XLV_DRY_RUN), "pin -N");
    ok(f->ctx, xlv_domain_undefine(f->ctx, f->conn, "web1", XLV_DRY_RUN),
       "undefine -N");
    same_snapshot(f, before);
    fails(f->ctx, get_counts(f->ctx, f->conn, "db", &c, 0),
          XLV_ERR_NOTFOUND, "'db'");

    /* A dry run checks everything: what would fail, fails. */
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, &old, "web1", 5,
                               XLV_AFFECT_LIVE | XLV_DRY_RUN),
          XLV_ERR_INVAL, "'5'");
    fails(f->ctx,
          xlv_domain_start(f->ctx, f->conn, &domid, "web1", XLV_DRY_RUN),
          XLV_ERR_STATE, "already running");
    fails(f->ctx, xlv_domain_undefine(f->ctx, f->conn, "db", XLV_DRY_RUN),
          XLV_ERR_NOTFOUND, "db");
    same_snapshot(f, before);
    free(before);

    /* Start -N of a defined domain boots nothing. */
    define(f, db_xml);
    before = snapshot(f);
    domid = 77;
    ok(f->ctx, xlv_domain_start(f->ctx, f->conn, &domid, "db", XLV_DRY_RUN),
       "start -N");
    same_snapshot(f, before);
    free(before);
    xlv_domain_free(dom);
    xlv_domain_free(tmp);
}

/* ---- errors ----------------------------------------------------------- */

static void test_errors(void **state)
{
    fixture *f = *state;
    const char *const ghost[] = { "ghost" };
    vrow *l = NULL;
    counts_t c;
    char *text = NULL, *before;
    unsigned int n = 0, domid = 77;

    define(f, web1_xml);
    before = snapshot(f);

    /* A domain nobody knows. */
    fails(f->ctx, get_counts(f->ctx, f->conn, "ghost", &c, 0),
          XLV_ERR_NOTFOUND, "'ghost'");
    fails(f->ctx, xlv_domain_get_xml(f->ctx, f->conn, &text, "ghost", 0),
          XLV_ERR_NOTFOUND, "ghost");
    fails(f->ctx, xlv_domain_get_xml(f->ctx, f->conn, &text, "ghost",
                                     XLV_XML_INACTIVE),
          XLV_ERR_NOTFOUND, "ghost");
    assert_null(text);
    fails(f->ctx, get_vcpus(f->ctx, f->conn, ghost, 1, &l, &n, 0),
          XLV_ERR_NOTFOUND, "ghost");
    fails(f->ctx, xlv_domain_start(f->ctx, f->conn, &domid, "ghost", 0),
          XLV_ERR_NOTFOUND, "ghost");
    assert_int_equal(domid, 77);
    fails(f->ctx, xlv_domain_undefine(f->ctx, f->conn, "ghost", 0),
          XLV_ERR_NOTFOUND, "ghost");
    /* A domid that does not run. */
    fails(f->ctx, get_counts(f->ctx, f->conn, "42", &c, 0),
          XLV_ERR_NOTFOUND, "'42'");

    /* Count 0, and names that cannot be domains. */
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, NULL, "web1", 0,
                               XLV_AFFECT_CONFIG), XLV_ERR_INVAL,
          "count '0'");
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, NULL, "", 1,
                               XLV_AFFECT_CONFIG), XLV_ERR_INVAL, NULL);
    fails(f->ctx, xlv_vcpu_set(f->ctx, f->conn, NULL, "../web1", 1,
                               XLV_AFFECT_CONFIG), XLV_ERR_INVAL,
          "'../web1'");
    fails(f->ctx, xlv_domain_get_xml(f->ctx, f->conn, &text, "../web1",
                                     XLV_XML_INACTIVE),
          XLV_ERR_INVAL, "'../web1'");
    assert_null(text);

    /* A message lasts until the next failure; success keeps it. */
    set(f, "web1", 2, XLV_AFFECT_CONFIG, 2);
    assert_int_equal(xlv_ctx_error_code(f->ctx), XLV_ERR_INVAL);
    assert_non_null(strstr(xlv_ctx_error(f->ctx), "'../web1'"));
    same_snapshot(f, before);
    free(before);
}

/* ---- two connections -------------------------------------------------- */

/* Two toolstacks on the same store and host each see what the other did. */
static void test_two_conns(void **state)
{
    fixture *f = *state;
    xlv_ctx *ctx2 = NULL;
    xlv_conn *conn2 = NULL;
    drow *l = NULL;
    counts_t c;
    unsigned int n = 0, old = 0;
    char *text;

    assert_int_equal(xlv_ctx_new(&ctx2, NULL, 0), 0);
    open_conn(f, ctx2, &conn2);

    define(f, web1_xml);
    c = counts_on(ctx2, conn2, "web1");
    assert_int_equal(c.defined, 1);
    assert_int_equal(c.running, 0);
    assert_int_equal(c.config_current, 2);

    ok(ctx2, xlv_vcpu_set(ctx2, conn2, &old, "web1", 3, XLV_AFFECT_CONFIG),
       "vcpu_set 2");
    assert_int_equal(old, 2);
    check_counts(f, "web1", 4, 3, 0, 0);

    ok(ctx2, xlv_domain_start(ctx2, conn2, NULL, "web1", 0), "start 2");
    check_counts(f, "web1", 4, 3, 4, 3);
    set(f, "web1", 1, XLV_AFFECT_LIVE, 3);
    c = counts_on(ctx2, conn2, "web1");
    assert_int_equal(c.live_current, 1);
    assert_int_equal(c.config_current, 3);
    text = xml_on(ctx2, conn2, "web1", 0);
    assert_non_null(strstr(text, "current=\"1\">4</vcpu>"));
    free(text);

    ok(ctx2, xlv_vcpu_pin(ctx2, conn2, "web1", 2, "7", NULL,
                          XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG), "pin 2");
    check_vcpu(f, "web1", 2, 0, -1, "7", "all");
    xml_has(f, "web1", XLV_XML_INACTIVE, "<vcpupin vcpu=\"2\" cpuset=\"7\"/>",
            true);

    ok(f->ctx, xlv_domain_undefine(f->ctx, f->conn, "web1", 0), "undefine");
    ok(ctx2, get_domains(ctx2, conn2, &l, &n, XLV_LIST_ALL), "list 2");
    assert_int_equal(n, 2);
    assert_int_equal(find_entry(l, n, "web1")->persistent, 0);
    drows_free(l, n);
    /* Failures stay on the ctx they happened on. */
    fails(ctx2, xlv_vcpu_set(ctx2, conn2, NULL, "web1", 2,
                             XLV_AFFECT_CONFIG), XLV_ERR_STATE, "'web1'");
    assert_int_equal(xlv_ctx_error_code(f->ctx), 0);
    assert_string_equal(xlv_ctx_error(f->ctx), "");

    xlv_conn_close(conn2);
    xlv_ctx_free(ctx2);
}

/* The autostart mark: only on defined domains, kept by define, taken by
 * undefine, read back by xlv_domain_list(); a dry run and a repeat change
 * nothing. */
static void test_autostart(void **state)
{
    fixture *f = *state;
    drow *rows = NULL;
    unsigned int n = 0;
    char *before;

    define(f, web1_xml);
    define(f, db_xml);
    fails(f->ctx, xlv_domain_set_autostart(f->ctx, f->conn, "nosuch", 1, 0),
          XLV_ERR_NOTFOUND, "'nosuch' is not defined");
    fails(f->ctx, xlv_domain_set_autostart(f->ctx, f->conn, "web1", 1, 0x4),
          XLV_ERR_INVAL, "unknown flags");
    before = snapshot(f);
    ok(f->ctx, xlv_domain_set_autostart(f->ctx, f->conn, "web1", 1,
                                        XLV_DRY_RUN), "dry run");
    same_snapshot(f, before);
    free(before);
    ok(f->ctx, xlv_domain_set_autostart(f->ctx, f->conn, "web1", 1, 0),
       "mark");
    ok(f->ctx, xlv_domain_set_autostart(f->ctx, f->conn, "web1", 1, 0),
       "mark again");
    ok(f->ctx, get_domains(f->ctx, f->conn, &rows, &n, XLV_LIST_ALL), "list");
    assert_int_equal(find_entry(rows, n, "web1")->autostart, 1);
    assert_int_equal(find_entry(rows, n, "db")->autostart, 0);
    drows_free(rows, n);
    /* define keeps it; running does not change it */
    define(f, web1_xml);
    start(f, "web1");
    ok(f->ctx, get_domains(f->ctx, f->conn, &rows, &n, 0), "list");
    assert_int_equal(find_entry(rows, n, "web1")->autostart, 1);
    drows_free(rows, n);
    /* undefine takes it: defined again, it is not marked */
    ok(f->ctx, xlv_domain_undefine(f->ctx, f->conn, "web1", 0), "undefine");
    define(f, web1_xml);
    ok(f->ctx, get_domains(f->ctx, f->conn, &rows, &n, XLV_LIST_ALL), "list");
    assert_int_equal(find_entry(rows, n, "web1")->autostart, 0);
    drows_free(rows, n);
    ok(f->ctx, xlv_domain_set_autostart(f->ctx, f->conn, "db", 1, 0), "db");
    ok(f->ctx, xlv_domain_set_autostart(f->ctx, f->conn, "db", 0, 0),
       "unmark");
    ok(f->ctx, get_domains(f->ctx, f->conn, &rows, &n, XLV_LIST_ALL), "list");
    assert_int_equal(find_entry(rows, n, "db")->autostart, 0);
    drows_free(rows, n);
}

/* The changes of R as "what: old -> new (scope);" lines, for comparing. */
static char *changes_text(const xlv_apply_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    unsigned int i;

    for (i = 0; i < xlv_apply_result_length(r); i++)
        append(&buf, &len, "%s: %s -> %s (%s);",
               xlv_apply_result_get_what(r, i),
               xlv_apply_result_get_old(r, i),
               xlv_apply_result_get_new(r, i),
               xlv_apply_result_get_change_scope(r, i));
    return buf ? buf : strdup("");
}

static void applies(fixture *f, const char *xml_text, unsigned int flags,
                    const char *scope, const char *expect)
{
    xlv_domain *want = parse(f->ctx, xml_text);
    xlv_apply_result *r = NULL;
    char *text;

    ok(f->ctx, xlv_domain_apply(f->ctx, f->conn, &r, want, flags), "apply");
    assert_non_null(r);
    assert_string_equal(xlv_apply_result_get_scope(r), scope);
    text = changes_text(r);
    assert_string_equal(text, expect);
    assert_null(xlv_apply_result_get_what(r, xlv_apply_result_length(r)));
    free(text);
    xlv_apply_result_free(r);
    xlv_domain_free(want);
}

/* web1 with 6 vCPUs, 3 online, vCPU 2 pinned to 4-5 and soft 0-1. */
static const char web1_apply_xml[] =
    "<domain type='xen'>\n"
    "  <name>web1</name>\n"
    "  <memory unit='MiB'>512</memory>\n"
    "  <vcpu placement='static' current='3'>6</vcpu>\n"
    "  <cputune><vcpupin vcpu='2' cpuset='4-5'/></cputune>\n"
    "  <metadata><xlvcpu:cputune xmlns:xlvcpu="
    "'http://xlvcpu.org/xmlns/cputune/1.0'><xlvcpu:soft cpuset='0-1'/>"
    "</xlvcpu:cputune></metadata>\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='xenpv'>linux</type>\n"
    "    <kernel>/boot/vmlinuz</kernel>\n"
    "  </os>\n"
    "</domain>\n";

static void test_apply(void **state)
{
    fixture *f = *state;
    xlv_apply_result *r = NULL;
    xlv_domain *want;
    char *before;

    define(f, web1_xml);
    want = parse(f->ctx, web1_apply_xml);
    fails(f->ctx, xlv_domain_apply(f->ctx, f->conn, &r, want, 0x40),
          XLV_ERR_INVAL, "domain_apply: unknown flags");
    fails(f->ctx, xlv_domain_apply(f->ctx, f->conn, &r, NULL, 0),
          XLV_ERR_INVAL, "no domain given");
    assert_null(r);
    /* a dry run says what it would do and does nothing */
    before = snapshot(f);
    ok(f->ctx, xlv_domain_apply(f->ctx, f->conn, &r, want, XLV_DRY_RUN),
       "dry run");
    same_snapshot(f, before);
    free(before);
    assert_int_equal(xlv_apply_result_length(r), 4);
    xlv_apply_result_free(r);
    xlv_domain_free(want);
    applies(f, web1_apply_xml, 0, "config",
            "maximum: 4 -> 6 (config);vcpus: 2 -> 3 (config);"
            "hard affinity of vcpu 2: all -> 4-5 (config);"
            "soft affinity of vcpus 0-5: all -> 0-1 (config);");
    check_counts(f, "web1", 6, 3, 0, 0);
    xml_has(f, "web1", XLV_XML_INACTIVE, "<vcpupin vcpu=\"2\" "
            "cpuset=\"4-5\"/>", true);
    applies(f, web1_apply_xml, 0, "config", "");
    /* NULL for the result is fine */
    want = parse(f->ctx, web1_xml);
    ok(f->ctx, xlv_domain_apply(f->ctx, f->conn, NULL, want, 0), "no result");
    xlv_domain_free(want);
    check_counts(f, "web1", 4, 2, 0, 0);
    /* live: the running domain takes the online map and the pins */
    start(f, "web1");
    applies(f, web1_xml, XLV_AFFECT_LIVE, "live", "");
    want = parse(f->ctx, web1_apply_xml);
    fails(f->ctx, xlv_domain_apply(f->ctx, f->conn, &r, want, 0),
          XLV_ERR_UNSUPPORTED, "runs with a maximum of 4 vcpus and the file "
          "says 6");
    assert_null(r);
    xlv_domain_free(want);
    applies(f,
            "<domain type='xen'><name>web1</name>"
            "<memory unit='MiB'>512</memory><vcpu cpuset='6-7' "
            "current='3'>4</vcpu><os><type>linux</type>"
            "<kernel>/boot/vmlinuz</kernel></os></domain>",
            XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG, "live+config",
            "vcpus: 2 -> 3 (live);"
            "hard affinity of vcpus 0-3: all -> 6-7 (live);"
            "vcpus: 2 -> 3 (config);"
            "hard affinity of vcpus 0-3: all -> 6-7 (config);");
    check_counts(f, "web1", 4, 3, 4, 3);
    check_vcpu(f, "web1", 3, 0, -1, "6-7", "all");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_open),
        T(test_open_without),
        T(test_lock_log),
        T(test_unknown_flags),
        T(test_inactive),
        T(test_start),
        T(test_set_running),
        T(test_set_host_limit),
        T(test_maximum),
        T(test_both_or_neither),
        T(test_pin),
        T(test_vcpu_list),
        T(test_domain_list),
        T(test_get_xml),
        T(test_dry_run),
        T(test_errors),
        T(test_two_conns),
        T(test_autostart),
        T(test_apply),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
