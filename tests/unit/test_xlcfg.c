/*
 * Unit tests of xlcfg_write.c and xlcfg_read*.c: the writer on models
 * built by hand, the reader on xl.cfg text, libvirt's conformance files
 * read and written, round trips model -> xl.cfg -> model (hand-made and
 * random), and the refusals with their exact messages.
 *
 * The conformance data is found in $XLV_CONFORMANCE_DIR, by default
 * ../shared/conformance (tests/run runs suites from the top of the tree).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpuset.h"
#include "domain.h"

#define SOURCE "t.cfg"

/* ---- helpers ---- */

static int setup(void **state)
{
    xlv_ctx *ctx;

    if (xlv_ctx_new(&ctx, NULL, 0))
        return -1;
    *state = ctx;
    return 0;
}

static int teardown(void **state)
{
    xlv_ctx_free(*state);
    return 0;
}

static char *xstrdup(const char *s)
{
    char *p = strdup(s);

    assert_non_null(p);
    return p;
}

/* A domain as the readers leave it: name, memory, MAX vCPUs with the
 * first ONLINE online, a kernel so that PV and PVH can boot, HVM features
 * on (xl's defaults). */
static xlv_domain *new_dom(xlv_ctx *ctx, xlv_domain_type type,
                           unsigned int max, unsigned int online)
{
    xlv_domain *dom;
    unsigned int i;

    assert_int_equal(xlv__domain_new(ctx, &dom), 0);
    dom->name = xstrdup("guest");
    dom->type = type;
    dom->max_memory_kib = dom->memory_kib = 512 * 1024;
    assert_int_equal(xlv__domain_alloc_vcpus(ctx, dom, max), 0);
    for (i = 0; i < online; i++)
        libxl_bitmap_set(&dom->online, (int)i);
    if (type != XLV_DOMAIN_TYPE_HVM)
        dom->kernel = xstrdup("/boot/vmlinuz");
    else
        dom->acpi = dom->apic = dom->pae = XLV__FEATURE_ON;
    return dom;
}

/* Set BM (allocated for the pCPU limit) to the cpuset STR. */
static void set_cpus(xlv_ctx *ctx, libxl_bitmap *bm, const char *str)
{
    if (xlv__cpuset_parse(ctx, bm, str, XLV_MAX_PCPUS, "test '%s'"))
        fail_msg("set_cpus '%s': %s", str, xlv_ctx_error(ctx));
}

static char *to_cfg(xlv_ctx *ctx, const xlv_domain *dom)
{
    char *cfg = NULL;

    if (xlv_domain_to_xlcfg(ctx, &cfg, dom, 0))
        fail_msg("to_xlcfg: %s", xlv_ctx_error(ctx));
    assert_non_null(cfg);
    return cfg;
}

static xlv_domain *from_cfg(xlv_ctx *ctx, const char *text)
{
    xlv_domain *dom = NULL;

    if (xlv_domain_from_xlcfg(ctx, &dom, text, strlen(text), SOURCE, 0))
        fail_msg("from_xlcfg: %s\n--- input ---\n%s", xlv_ctx_error(ctx),
                 text);
    assert_non_null(dom);
    return dom;
}

/* Reading TEXT must fail with RC and the message MSG exactly, or, when
 * MSG ends in '*', a message starting with what comes before it. */
static void from_cfg_fails(xlv_ctx *ctx, const char *text, int rc,
                           const char *msg)
{
    xlv_domain *dom = NULL;
    size_t n = strlen(msg);
    const char *got;
    int r;

    r = xlv_domain_from_xlcfg(ctx, &dom, text, strlen(text), SOURCE, 0);
    got = xlv_ctx_error(ctx);
    if (r != rc)
        fail_msg("expected rc %d, got %d (%s) for:\n%s", rc, r, got, text);
    assert_null(dom);
    assert_int_equal(xlv_ctx_error_code(ctx), rc);
    if (n && msg[n - 1] == '*' ? strncmp(got, msg, n - 1) : strcmp(got, msg))
        fail_msg("message\n  got      '%s'\n  expected '%s'", got, msg);
}

/* Whether TEXT has the line LINE. */
static bool has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    const char *p = text;

    while ((p = strstr(p, line))) {
        if ((p == text || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
            return true;
        p += n;
    }
    return false;
}

static void assert_line(const char *text, const char *line)
{
    if (!has_line(text, line))
        fail_msg("line '%s' missing from:\n%s", line, text);
}

static void assert_no_key(const char *text, const char *key)
{
    char line[64];

    snprintf(line, sizeof(line), "\n%s = ", key);
    if (!strncmp(text, line + 1, strlen(line + 1)) || strstr(text, line))
        fail_msg("key '%s' unexpected in:\n%s", key, text);
}

static char *fmt(const libxl_bitmap *bm)
{
    char *s = bm ? xlv__cpuset_format(bm) : strdup("(none)");

    assert_non_null(s);
    return s;
}

static void assert_set(const libxl_bitmap *bm, const char *expect)
{
    char *s = fmt(bm);

    if (strcmp(s, expect))
        fail_msg("set '%s', expected '%s'", s, expect);
    free(s);
}

static bool same_set(const libxl_bitmap *a, const libxl_bitmap *b)
{
    if (!a || !b)
        return a == b;
    return libxl_bitmap_equal(a, b, 0);
}

static bool same_str(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return !strcmp(a, b);
}

/* Fail the test with the message FMT unless COND holds. */
static void check(bool cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void check(bool cond, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (cond)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fail_msg("%s", msg);
}

/* vCPU facts: counts, online map, effective affinities, vNUMA. */
static void assert_same_vcpus(const xlv_domain *a, const xlv_domain *b)
{
    unsigned int i, j;

    check(a->max_vcpus == b->max_vcpus, "max %u != %u", a->max_vcpus,
          b->max_vcpus);
    check(libxl_bitmap_equal(&a->online, &b->online, 0), "online differs");
    check(!a->hard_nodes == !b->hard_nodes &&
          (!a->hard_nodes || !strcmp(a->hard_nodes, b->hard_nodes)),
          "hard node items differ");
    check(!a->soft_nodes == !b->soft_nodes &&
          (!a->soft_nodes || !strcmp(a->soft_nodes, b->soft_nodes)),
          "soft node items differ");
    for (i = 0; i < a->max_vcpus; i++) {
        check(same_set(xlv__domain_hard(a, i), xlv__domain_hard(b, i)),
              "hard affinity of vcpu %u differs", i);
        check(same_set(xlv__domain_soft(a, i), xlv__domain_soft(b, i)),
              "soft affinity of vcpu %u differs", i);
    }
    check(a->n_vnodes == b->n_vnodes, "vnodes %u != %u", a->n_vnodes,
          b->n_vnodes);
    for (i = 0; i < a->n_vnodes; i++) {
        check(libxl_bitmap_equal(&a->vnodes[i].vcpus, &b->vnodes[i].vcpus, 0),
              "vcpus of cell %u differ", i);
        check(a->vnodes[i].memory_kib == b->vnodes[i].memory_kib,
              "memory of cell %u differs", i);
        /* The effective matrices (test_vnode_distance checks the rule). */
        for (j = 0; j < a->n_vnodes; j++)
            check(xlv__domain_vnode_distance(a, i, j) ==
                  xlv__domain_vnode_distance(b, i, j),
                  "distance %u-%u: %u != %u", i, j,
                  xlv__domain_vnode_distance(a, i, j),
                  xlv__domain_vnode_distance(b, i, j));
    }
}

/*
 * Everything xl.cfg carries that the project owns.  When LAX_DRIVER, a
 * disk driver only one side names is not a difference: libxl picks the
 * backend then (an xm "phy:" prefix is ignored by libxlutil).
 */
static void assert_same_domain(const xlv_domain *a, const xlv_domain *b,
                               bool lax_driver)
{
    unsigned int i;

    assert_same_vcpus(a, b);
    check(same_str(a->name, b->name), "name differs");
    check(a->has_uuid == b->has_uuid &&
          (!a->has_uuid || !libxl_uuid_compare(&a->uuid, &b->uuid)),
          "uuid differs");
    check(a->type == b->type, "type %d != %d", a->type, b->type);
    check((a->max_memory_kib + 1023) / 1024 ==
          (b->max_memory_kib + 1023) / 1024, "maxmem differs");
    check((a->memory_kib + 1023) / 1024 == (b->memory_kib + 1023) / 1024,
          "memory differs");
    check(a->weight == b->weight, "weight differs");
    check(same_str(a->kernel, b->kernel), "kernel differs");
    check(same_str(a->initrd, b->initrd), "initrd differs");
    check(same_str(a->cmdline, b->cmdline), "cmdline differs");
    check(same_str(a->bootloader, b->bootloader), "bootloader differs");
    check(same_str(a->bootloader_args, b->bootloader_args),
          "bootloader_args differ");
    if (a->type == XLV_DOMAIN_TYPE_HVM) {
        check(a->acpi == b->acpi && a->apic == b->apic && a->pae == b->pae,
              "hvm features differ");
        check(same_str(a->boot_order, b->boot_order), "boot order differs");
    }
    check(a->has_on_poweroff == b->has_on_poweroff &&
          (!a->has_on_poweroff || a->on_poweroff == b->on_poweroff),
          "on_poweroff differs");
    check(a->has_on_reboot == b->has_on_reboot &&
          (!a->has_on_reboot || a->on_reboot == b->on_reboot),
          "on_reboot differs");
    check(a->has_on_crash == b->has_on_crash &&
          (!a->has_on_crash || a->on_crash == b->on_crash),
          "on_crash differs");
    check(a->n_disks == b->n_disks, "disks %u != %u", a->n_disks,
          b->n_disks);
    for (i = 0; i < a->n_disks; i++) {
        const xlv__disk *x = &a->disks[i], *y = &b->disks[i];

        check(same_str(x->source, y->source) &&
              same_str(x->target, y->target) && x->format == y->format &&
              x->readonly == y->readonly && x->cdrom == y->cdrom &&
              x->source_type == y->source_type, "disk %u differs", i);
        check(same_str(x->driver, y->driver) ||
              (lax_driver && (!x->driver || !y->driver)),
              "driver of disk %u differs", i);
    }
    check(a->n_nics == b->n_nics, "nics %u != %u", a->n_nics, b->n_nics);
    for (i = 0; i < a->n_nics; i++) {
        const xlv__nic *x = &a->nics[i], *y = &b->nics[i];

        check(x->type == y->type && same_str(x->mac, y->mac) &&
              same_str(x->bridge, y->bridge) &&
              same_str(x->script, y->script) &&
              same_str(x->model, y->model) &&
              same_str(x->ifname, y->ifname) && same_str(x->ip, y->ip),
              "nic %u differs", i);
    }
}

/* model -> xl.cfg -> model must keep everything; writing the result again
 * gives the same text. */
static void round_trip(xlv_ctx *ctx, const xlv_domain *dom)
{
    char *cfg = to_cfg(ctx, dom), *again;
    xlv_domain *back = from_cfg(ctx, cfg);

    assert_same_domain(dom, back, false);
    again = to_cfg(ctx, back);
    if (strcmp(cfg, again))
        fail_msg("second write differs:\n%s\n---\n%s", cfg, again);
    free(again);
    free(cfg);
    xlv_domain_free(back);
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf;
    long n;

    if (!f)
        fail_msg("cannot open '%s'", path);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Replace the first FROM in *TEXT by TO. */
static void replace(char **text, const char *from, const char *to)
{
    char *p = strstr(*text, from), *out;
    size_t a, b = strlen(from), c = strlen(to);

    if (!p)
        fail_msg("'%s' not found", from);
    a = (size_t)(p - *text);
    out = malloc(strlen(*text) - b + c + 1);
    assert_non_null(out);
    memcpy(out, *text, a);
    memcpy(out + a, to, c);
    strcpy(out + a + c, p + b);
    free(*text);
    *text = out;
}

/* ---- the writer ---- */

static void test_write_basic(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom = new_dom(ctx, XLV_DOMAIN_TYPE_PV, 4, 4);
    char *cfg;

    assert_int_equal(libxl_uuid_from_string(&dom->uuid, "45b60f51-88a9-"
                                            "47a8-a3b3-5e66d71b2283"), 0);
    dom->has_uuid = true;
    dom->initrd = xstrdup("/boot/initrd");
    dom->cmdline = xstrdup("root=/dev/xvda1 console=hvc0");
    dom->has_on_crash = true;
    dom->on_crash = LIBXL_ACTION_ON_SHUTDOWN_RESTART_RENAME;
    dom->weight = 512;
    cfg = to_cfg(ctx, dom);
    assert_string_equal(cfg,
        "name = \"guest\"\n"
        "uuid = \"45b60f51-88a9-47a8-a3b3-5e66d71b2283\"\n"
        "type = \"pv\"\n"
        "maxmem = 512\n"
        "memory = 512\n"
        "vcpus = 4\n"
        "cpu_weight = 512\n"
        "kernel = \"/boot/vmlinuz\"\n"
        "ramdisk = \"/boot/initrd\"\n"
        "cmdline = \"root=/dev/xvda1 console=hvc0\"\n"
        "on_crash = \"rename-restart\"\n");
    free(cfg);
    xlv_domain_free(dom);
}

/* A double quote in a string (root="LABEL=x y") is written between single
 * quotes, as libvirt's writer does, and reads back the same. */
static void test_write_single_quotes(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom = new_dom(ctx, XLV_DOMAIN_TYPE_PV, 1, 1);
    xlv_domain *back;
    char *cfg;

    dom->cmdline = xstrdup("root=\"LABEL=my root\" console=hvc0");
    cfg = to_cfg(ctx, dom);
    assert_non_null(strstr(cfg, "\ncmdline = 'root=\"LABEL=my root\" "
                           "console=hvc0'\n"));
    assert_non_null(strstr(cfg, "\nkernel = \"/boot/vmlinuz\"\n"));
    back = from_cfg(ctx, cfg);
    assert_string_equal(back->cmdline, dom->cmdline);
    free(cfg);
    xlv_domain_free(back);
    xlv_domain_free(dom);
}

static void test_write_counts(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom = new_dom(ctx, XLV_DOMAIN_TYPE_PV, 8, 4);
    char *cfg;

    cfg = to_cfg(ctx, dom);
    assert_line(cfg, "maxvcpus = 8");
    assert_line(cfg, "vcpus = 4");
    assert_no_key(cfg, "vcpu_avail");
    assert_true(strstr(cfg, "maxvcpus = 8\nvcpus = 4\n") != NULL);
    free(cfg);

    /* Sparse: {0,2,3} of 4. */
    libxl_bitmap_reset(&dom->online, 1);
    libxl_bitmap_reset(&dom->online, 3);
    libxl_bitmap_set(&dom->online, 2);
    libxl_bitmap_set(&dom->online, 3);
    cfg = to_cfg(ctx, dom);
    assert_non_null(strstr(cfg, "maxvcpus = 8\nvcpus = 3\n"
                           "# xl itself boots vCPUs 0-2; only xlvcpu "
                           "honours vcpu_avail\n"
                           "vcpu_avail = \"0,2-3\"\n"));
    free(cfg);
    round_trip(ctx, dom);
    xlv_domain_free(dom);
}

static void test_write_memory_rounds_up(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom = new_dom(ctx, XLV_DOMAIN_TYPE_PV, 1, 1);
    char *cfg;

    dom->max_memory_kib = 592896;       /* 579 MiB */
    dom->memory_kib = 403457;           /* 394 MiB and 1 KiB */
    cfg = to_cfg(ctx, dom);
    assert_line(cfg, "maxmem = 579");
    assert_line(cfg, "memory = 395");
    free(cfg);
    xlv_domain_free(dom);
}

static void test_write_cpus_string(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom = new_dom(ctx, XLV_DOMAIN_TYPE_PV, 4, 2);
    unsigned int i;
    char *cfg;

    cfg = to_cfg(ctx, dom);
    assert_no_key(cfg, "cpus");
    assert_no_key(cfg, "cpus_soft");
    free(cfg);

    set_cpus(ctx, &dom->hard_default, "2-5");
    cfg = to_cfg(ctx, dom);
    assert_line(cfg, "cpus = \"2-5\"");
    assert_no_key(cfg, "cpus_soft");
    free(cfg);
    round_trip(ctx, dom);

    /* The same pin on every vCPU is the string form too. */
    libxl_bitmap_dispose(&dom->hard_default);
    for (i = 0; i < 4; i++)
        set_cpus(ctx, &dom->hard[i], "7,9");
    set_cpus(ctx, &dom->soft_default, "0-15");
    cfg = to_cfg(ctx, dom);
    assert_line(cfg, "cpus = \"7,9\"");
    assert_line(cfg, "cpus_soft = \"0-15\"");
    free(cfg);
    round_trip(ctx, dom);
    xlv_domain_free(dom);
}

static void test_write_cpus_list(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom = new_dom(ctx, XLV_DOMAIN_TYPE_HVM, 4, 4);
    char *cfg;

    /* Only vCPU 1 pinned: the list stops after it. */
    set_cpus(ctx, &dom->hard[1], "3");
    cfg = to_cfg(ctx, dom);
    assert_line(cfg, "cpus = [ \"all\", \"3\" ]");
    free(cfg);
    round_trip(ctx, dom);

    /* A default with one vCPU pinned elsewhere. */
    set_cpus(ctx, &dom->hard_default, "0-1");
    libxl_bitmap_dispose(&dom->hard[1]);
    set_cpus(ctx, &dom->hard[2], "4");
    set_cpus(ctx, &dom->soft[3], "8-11");
    cfg = to_cfg(ctx, dom);
    assert_line(cfg, "cpus = [ \"0-1\", \"0-1\", \"4\", \"0-1\" ]");
    assert_line(cfg, "cpus_soft = [ \"all\", \"all\", \"all\", \"8-11\" ]");
    free(cfg);
    round_trip(ctx, dom);
    xlv_domain_free(dom);
}

static void test_write_hvm(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom = new_dom(ctx, XLV_DOMAIN_TYPE_HVM, 2, 2);
    char *cfg;

    dom->acpi = XLV__FEATURE_ON;
    dom->apic = XLV__FEATURE_OFF;
    dom->pae = XLV__FEATURE_ABSENT;     /* not written; xl turns it on */
    dom->boot_order = xstrdup("dc");
    dom->loader = xstrdup("/usr/lib/xen-4.17/boot/hvmloader");
    dom->has_on_poweroff = dom->has_on_reboot = dom->has_on_crash = true;
    dom->on_poweroff = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
    dom->on_reboot = LIBXL_ACTION_ON_SHUTDOWN_RESTART;
    dom->on_crash = LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_RESTART;
    dom->n_nics = 2;
    dom->nics = calloc(2, sizeof(*dom->nics));
    assert_non_null(dom->nics);
    dom->nics[0].type = XLV__NIC_BRIDGE;
    dom->nics[0].mac = xstrdup("00:16:3e:66:92:9c");
    dom->nics[0].bridge = xstrdup("xenbr1");
    dom->nics[0].script = xstrdup("vif-bridge");
    dom->nics[0].model = xstrdup("e1000");
    dom->nics[0].ifname = xstrdup("vif-web");
    dom->nics[0].ip = xstrdup("10.0.0.2 10.0.0.3");
    dom->nics[1].type = XLV__NIC_ETHERNET;
    dom->nics[1].bridge = xstrdup("ignored");
    dom->n_disks = 2;
    dom->disks = calloc(2, sizeof(*dom->disks));
    assert_non_null(dom->disks);
    dom->disks[0].source_type = XLV__DISK_BLOCK;
    dom->disks[0].source = xstrdup("/dev/vg/web,1");
    dom->disks[0].target = xstrdup("hda");
    dom->disks[0].driver = xstrdup("phy");
    dom->disks[0].format = LIBXL_DISK_FORMAT_RAW;
    dom->disks[1].cdrom = true;
    dom->disks[1].readonly = true;
    dom->disks[1].target = xstrdup("hdc");
    dom->disks[1].driver = xstrdup("qemu");
    dom->disks[1].format = LIBXL_DISK_FORMAT_RAW;

    cfg = to_cfg(ctx, dom);
    assert_string_equal(cfg,
        "name = \"guest\"\n"
        "type = \"hvm\"\n"
        "maxmem = 512\n"
        "memory = 512\n"
        "vcpus = 2\n"
        "acpi = 1\n"
        "apic = 0\n"
        "boot = \"dc\"\n"
        "on_poweroff = \"destroy\"\n"
        "on_reboot = \"restart\"\n"
        "on_crash = \"coredump-restart\"\n"
        "vif = [ \"mac=00:16:3e:66:92:9c,bridge=xenbr1,script=vif-bridge,"
        "model=e1000,vifname=vif-web,ip=10.0.0.2 10.0.0.3\", \"\" ]\n"
        "disk = [ \"format=raw,vdev=hda,access=rw,backendtype=phy,"
        "target=/dev/vg/web,1\", \"format=raw,vdev=hdc,access=ro,"
        "backendtype=qdisk,devtype=cdrom,target=\" ]\n");
    free(cfg);

    /* The ethernet nic's bridge is not written, so it does not come back,
     * and pae comes back as xl has it: on. */
    free(dom->nics[1].bridge);
    dom->nics[1].bridge = NULL;
    dom->pae = XLV__FEATURE_ON;
    round_trip(ctx, dom);

    /* A firmware of one's own is kept. */
    free(dom->loader);
    dom->loader = xstrdup("/opt/fw/hvmloader");
    cfg = to_cfg(ctx, dom);
    assert_line(cfg, "firmware_override = \"/opt/fw/hvmloader\"");
    free(cfg);
    xlv_domain_free(dom);
}

static void test_write_bootloader(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom = new_dom(ctx, XLV_DOMAIN_TYPE_PV, 1, 1);
    char *cfg;

    free(dom->kernel);
    dom->kernel = NULL;
    dom->bootloader = xstrdup("pygrub");
    dom->bootloader_args = xstrdup("-q --entry=0");
    dom->acpi = XLV__FEATURE_OFF;       /* HVM only: not written */
    cfg = to_cfg(ctx, dom);
    assert_line(cfg, "type = \"pv\"");
    assert_line(cfg, "bootloader = \"pygrub\"");
    assert_line(cfg, "bootloader_args = [ \"-q\", \"--entry=0\" ]");
    assert_no_key(cfg, "acpi");
    free(cfg);
    dom->acpi = XLV__FEATURE_ABSENT;
    round_trip(ctx, dom);
    xlv_domain_free(dom);
}

static void add_vnodes(xlv_ctx *ctx, xlv_domain *dom, unsigned int n)
{
    unsigned int i, v;

    dom->vnodes = calloc(n, sizeof(*dom->vnodes));
    assert_non_null(dom->vnodes);
    dom->n_vnodes = n;
    dom->max_memory_kib = 0;
    for (i = 0; i < n; i++) {
        assert_int_equal(xlv__bitmap_alloc(ctx, &dom->vnodes[i].vcpus,
                                           dom->max_vcpus), 0);
        for (v = i; v < dom->max_vcpus; v += n)
            libxl_bitmap_set(&dom->vnodes[i].vcpus, (int)v);
        dom->vnodes[i].memory_kib = 1024 * 1024;
        dom->max_memory_kib += 1024 * 1024;
    }
    dom->memory_kib = dom->max_memory_kib;
}

static void test_write_vnuma(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom = new_dom(ctx, XLV_DOMAIN_TYPE_HVM, 4, 4);
    char *cfg;

    add_vnodes(ctx, dom, 2);
    cfg = to_cfg(ctx, dom);
    assert_line(cfg, "vnuma = [ [ \"pnode=0\", \"size=1024\", "
                "\"vcpus=0,2\", \"vdistances=10,20\" ], [ \"pnode=1\", "
                "\"size=1024\", \"vcpus=1,3\", \"vdistances=20,10\" ] ]");
    free(cfg);
    round_trip(ctx, dom);

    /* Cell 0 alone gives distances: cell 1 gets them by symmetry. */
    dom->vnodes[0].distances = calloc(2, sizeof(uint32_t));
    assert_non_null(dom->vnodes[0].distances);
    dom->vnodes[0].n_distances = 2;
    dom->vnodes[0].distances[1] = 31;
    cfg = to_cfg(ctx, dom);
    assert_non_null(strstr(cfg, "\"vdistances=10,31\" ]"));
    assert_non_null(strstr(cfg, "\"vdistances=31,10\" ]"));
    free(cfg);
    round_trip(ctx, dom);

    /* xl counts cells in MiB and checks they add up to maxmem. */
    dom->vnodes[1].memory_kib += 512;
    assert_int_equal(xlv_domain_to_xlcfg(ctx, &cfg, dom, 0), XLV_ERR_INVAL);
    assert_string_equal(xlv_ctx_error(ctx), "xl.cfg cannot hold numa cell "
                        "'1' memory '1049088' KiB: not a whole number of "
                        "MiB");
    xlv_domain_free(dom);
}

static void write_fails(xlv_ctx *ctx, const xlv_domain *dom, const char *msg)
{
    char *cfg = NULL;

    assert_int_equal(xlv_domain_to_xlcfg(ctx, &cfg, dom, 0), XLV_ERR_INVAL);
    assert_null(cfg);
    assert_string_equal(xlv_ctx_error(ctx), msg);
}

/*
 * A partial matrix, completed as libvirt does, written out: cell 0 gives
 * 0-1 (15), cell 2 gives 2-1 (25), cell 1 gives none.
 */
static void test_vnode_distance(void **state)
{
    static const unsigned int want[3][3] = {
        { 10, 15, 20 }, { 15, 10, 25 }, { 20, 25, 10 },
    };
    xlv_ctx *ctx = *state;
    xlv_domain *dom = new_dom(ctx, XLV_DOMAIN_TYPE_HVM, 3, 3);
    unsigned int i, j;
    char *cfg;

    add_vnodes(ctx, dom, 3);
    for (i = 0; i < 3; i += 2) {
        dom->vnodes[i].distances = calloc(3, sizeof(uint32_t));
        assert_non_null(dom->vnodes[i].distances);
        dom->vnodes[i].n_distances = 3;
    }
    dom->vnodes[0].distances[1] = 15;
    dom->vnodes[2].distances[1] = 25;
    for (i = 0; i < 3; i++) {
        for (j = 0; j < 3; j++)
            check(xlv__domain_vnode_distance(dom, i, j) == want[i][j],
                  "distance %u-%u: %u, want %u", i, j,
                  xlv__domain_vnode_distance(dom, i, j), want[i][j]);
    }
    cfg = to_cfg(ctx, dom);
    assert_non_null(strstr(cfg, "\"vdistances=10,15,20\" ]"));
    assert_non_null(strstr(cfg, "\"vdistances=15,10,25\" ]"));
    assert_non_null(strstr(cfg, "\"vdistances=20,25,10\" ]"));
    free(cfg);
    xlv_domain_free(dom);
}

static void test_write_refusals(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom = new_dom(ctx, XLV_DOMAIN_TYPE_PV, 1, 1);
    char *cfg = NULL, *p;

    assert_int_equal(xlv_domain_to_xlcfg(ctx, &cfg, dom, 1), XLV_ERR_INVAL);
    assert_string_equal(xlv_ctx_error(ctx), "to_xlcfg: unknown flags "
                        "'0x1'");
    assert_null(cfg);

    free(dom->kernel);
    dom->kernel = xstrdup("/boot/a\"b'c");
    write_fails(ctx, dom, "xl.cfg cannot hold <kernel> value "
                "'/boot/a\"b'c': it holds both quote marks");
    free(dom->kernel);
    dom->kernel = xstrdup("C:\\vmlinuz");
    write_fails(ctx, dom, "xl.cfg cannot hold <kernel> value "
                "'C:\\vmlinuz'");
    free(dom->kernel);
    dom->kernel = xstrdup("/boot/vmlinuz");
    dom->cmdline = xstrdup("console=hvc0\nroot=/dev/xvda");
    /* The message stays on one line. */
    write_fails(ctx, dom, "xl.cfg cannot hold <cmdline> value "
                "'console=hvc0?root=/dev/xvda'");
    free(dom->cmdline);
    dom->cmdline = malloc(200);
    assert_non_null(dom->cmdline);
    memset(dom->cmdline, 'x', 198);
    dom->cmdline[198] = '\\';
    dom->cmdline[199] = '\0';
    assert_int_equal(xlv_domain_to_xlcfg(ctx, &cfg, dom, 0), XLV_ERR_INVAL);
    p = strstr(xlv_ctx_error(ctx), "'");
    assert_non_null(p);
    assert_int_equal(strlen(p), 1 + 80 + 3 + 1);    /* clipped, "..." */
    free(dom->cmdline);
    dom->cmdline = NULL;

    dom->n_nics = 1;
    dom->nics = calloc(1, sizeof(*dom->nics));
    assert_non_null(dom->nics);
    dom->nics[0].script = xstrdup("vif-bridge,x");
    write_fails(ctx, dom, "xl.cfg cannot hold <script path=> value "
                "'vif-bridge,x': a comma would split the spec");
    free(dom->nics[0].script);
    dom->nics[0].script = NULL;

    dom->n_disks = 1;
    dom->disks = calloc(1, sizeof(*dom->disks));
    assert_non_null(dom->disks);
    dom->disks[0].target = xstrdup("xvda");
    dom->disks[0].source = xstrdup("/images/a,");
    write_fails(ctx, dom, "xl.cfg cannot hold <disk><source> value "
                "'/images/a,': xl drops a trailing comma");
    free(dom->disks[0].source);
    dom->disks[0].source = xstrdup("/images/a");
    dom->disks[0].driver = xstrdup("nbd");
    write_fails(ctx, dom, "xl.cfg cannot hold <driver name=> value 'nbd': "
                "must be qemu, file, phy or tap");
    xlv_domain_free(dom);
}

/* ---- the reader ---- */

static void test_read_basic(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom;
    char *xml = NULL;

    dom = from_cfg(ctx, "name = \"web\"\nmemory = 256\nvcpus = 2\n"
                   "kernel = \"/boot/vmlinuz\"\n");
    assert_string_equal(xlv_domain_get_name(dom), "web");
    assert_int_equal(xlv_domain_get_type(dom), XLV_DOMAIN_TYPE_PV);
    assert_int_equal(dom->memory_kib, 256 * 1024);
    assert_int_equal(dom->max_memory_kib, 256 * 1024);
    assert_int_equal(xlv_domain_get_max_vcpus(dom), 2);
    assert_int_equal(xlv_domain_get_current_vcpus(dom), 2);
    assert_false(dom->has_uuid);
    assert_null(xlv__domain_hard(dom, 0));
    /* The reader gives the domain a document. */
    assert_int_equal(xlv_domain_to_xml(ctx, &xml, dom, 0), 0);
    assert_non_null(strstr(xml, "<name>web</name>"));
    free(xml);
    xlv_domain_free(dom);

    /* vcpus defaults to 1, also with a larger maxvcpus (libxl boots one
     * vCPU then); hex numbers are numbers to xl. */
    dom = from_cfg(ctx, "name = \"a\"\nmemory = 0x100\nmaxvcpus = 4\n"
                   "bootloader = \"pygrub\"\n");
    assert_int_equal(dom->memory_kib, 256 * 1024);
    assert_int_equal(dom->max_vcpus, 4);
    assert_set(&dom->online, "0");
    xlv_domain_free(dom);

    dom = from_cfg(ctx, "name = \"a\"\nmemory = 64\n"
                   "bootloader = \"pygrub\"\n");
    assert_int_equal(dom->max_vcpus, 1);
    assert_set(&dom->online, "0");
    xlv_domain_free(dom);
}

static void test_read_vcpu_avail(void **state)
{
    xlv_ctx *ctx = *state;
    const char *head = "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n";
    char text[512];
    xlv_domain *dom;

    /* Our own form. */
    snprintf(text, sizeof(text), "%smaxvcpus = 4\nvcpus = 3\n"
             "vcpu_avail = \"0,2-3\"\n", head);
    dom = from_cfg(ctx, text);
    assert_int_equal(dom->max_vcpus, 4);
    assert_set(&dom->online, "0,2-3");
    xlv_domain_free(dom);

    /* xm's: vcpus is the maximum, vcpu_avail a bitmask. */
    snprintf(text, sizeof(text), "%svcpus = 8\nvcpu_avail = 0x15\n", head);
    dom = from_cfg(ctx, text);
    assert_int_equal(dom->max_vcpus, 8);
    assert_set(&dom->online, "0,2,4");
    xlv_domain_free(dom);

    snprintf(text, sizeof(text), "%smaxvcpus = 4\nvcpus = 2\n"
             "vcpu_avail = \"0,2-3\"\n", head);
    from_cfg_fails(ctx, text, XLV_ERR_CONFLICT, SOURCE ": xl.cfg key "
                   "'vcpu_avail' value '0,2-3': 3 vcpus online but vcpus "
                   "is '2'");
    snprintf(text, sizeof(text), "%svcpus = 4\nvcpu_avail = 17\n", head);
    from_cfg_fails(ctx, text, XLV_ERR_CONFLICT, SOURCE ": xl.cfg key "
                   "'vcpu_avail' value '17': vcpu '4' is not below the "
                   "maximum of 4");
    snprintf(text, sizeof(text), "%svcpus = 4\nvcpu_avail = 0\n", head);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key "
                   "'vcpu_avail' value '0': must be a positive bitmask or a "
                   "cpuset");
    /* vCPU 0 must stay online (the model's rule), said in xl.cfg words. */
    snprintf(text, sizeof(text), "%svcpus = 4\nvcpu_avail = 6\n", head);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key "
                   "'vcpu_avail' value '6': vcpu '0', the boot vcpu, must be "
                   "online");
    snprintf(text, sizeof(text), "%svcpus = 4\nvcpu_avail = \"0,x\"\n",
             head);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key "
                   "'vcpu_avail' value '0,x': *");
}

static void test_read_cpus(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom;

    dom = from_cfg(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "maxvcpus = 4\nvcpus = 2\ncpus = \"2-5,^3\"\n"
                   "cpus_soft = \"all\"\n");
    assert_set(&dom->hard_default, "2,4-5");
    assert_int_equal(dom->soft_default.size, 0);
    assert_set(xlv__domain_hard(dom, 3), "2,4-5");
    assert_null(xlv__domain_soft(dom, 3));
    xlv_domain_free(dom);

    dom = from_cfg(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "maxvcpus = 4\nvcpus = 2\n"
                   "cpus = [ \"3\", \"all\", \"0-1,^1\" ]\n"
                   "cpus_soft = [ \"all\", \"8-9\" ]\n");
    assert_int_equal(dom->hard_default.size, 0);
    assert_set(xlv__domain_hard(dom, 0), "3");
    assert_null(xlv__domain_hard(dom, 1));
    assert_set(xlv__domain_hard(dom, 2), "0");
    assert_null(xlv__domain_hard(dom, 3));
    assert_null(xlv__domain_soft(dom, 0));
    assert_set(xlv__domain_soft(dom, 1), "8-9");
    xlv_domain_free(dom);

    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "vcpus = 2\ncpus = [ \"1\", \"2\", \"3\" ]\n",
                   XLV_ERR_CONFLICT, SOURCE ": xl.cfg key 'cpus': 3 entries "
                   "for 2 vcpus");
    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "vcpus = 2\ncpus = [ \"1\", \"x\" ]\n", XLV_ERR_INVAL,
                   SOURCE ": xl.cfg key 'cpus' entry 1 value 'x': *");
    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "cpus_soft = \"1-99999\"\n", XLV_ERR_INVAL,
                   SOURCE ": xl.cfg key 'cpus_soft' value '1-99999': *");
    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "cpus = \"^1\"\n", XLV_ERR_INVAL,
                   SOURCE ": xl.cfg key 'cpus' value '^1': *");
    /* node items in a list need the host's layout; the string form is
     * kept as written, once its syntax is checked. */
    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "vcpus = 2\ncpus = [ \"1\", \"node:1\" ]\n",
                   XLV_ERR_UNSUPPORTED,
                   SOURCE ": xl.cfg key 'cpus' entry 1 value 'node:1': *");
    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "cpus = \"node:2-1\"\n", XLV_ERR_INVAL,
                   SOURCE ": xl.cfg key 'cpus' value 'node:2-1': range "
                   "'2-1' is reversed");
    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "cpus_soft = \"node:x\"\n", XLV_ERR_INVAL,
                   SOURCE ": xl.cfg key 'cpus_soft' value 'node:x': *");
    dom = from_cfg(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "vcpus = 2\ncpus = \"nodes:0-3,^node:2\"\n"
                   "cpus_soft = \" node:1 \"\n");
    assert_string_equal(dom->hard_nodes, "nodes:0-3,^node:2");
    assert_string_equal(dom->soft_nodes, " node:1 ");
    assert_int_equal(dom->hard_default.size, 0);
    assert_null(xlv__domain_hard(dom, 0));
    xlv_domain_free(dom);
}

static void test_read_boot(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom;

    dom = from_cfg(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "root = \"/dev/xvda1 ro\"\nextra = \"console=hvc0\"\n"
                   "bootloader_args = [ \"-q\", \"-v\" ]\n");
    assert_string_equal(dom->cmdline, "root=/dev/xvda1 ro console=hvc0");
    assert_string_equal(dom->bootloader_args, "-q -v");
    xlv_domain_free(dom);

    dom = from_cfg(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "root = \"/dev/xvda1\"\ncmdline = \"quiet\"\n"
                   "bootloader_args = \"-q\"\n");
    assert_string_equal(dom->cmdline, "quiet");
    assert_string_equal(dom->bootloader_args, "-q");
    xlv_domain_free(dom);

    dom = from_cfg(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "extra = \"single\"\n");
    assert_string_equal(dom->cmdline, "single");
    xlv_domain_free(dom);

    /* HVM: builder, features, boot order, firmware; hvmloader as kernel
     * is ignored as xl ignores it. */
    dom = from_cfg(ctx, "name = \"a\"\nmemory = 64\nbuilder = \"hvm\"\n"
                   "kernel = \"/usr/lib/xen/boot/hvmloader\"\n"
                   "acpi = 1\napic = 0\nboot = \"dc\"\n"
                   "firmware_override = \"/opt/hvmloader\"\n");
    assert_int_equal(dom->type, XLV_DOMAIN_TYPE_HVM);
    assert_null(dom->kernel);
    assert_int_equal(dom->acpi, XLV__FEATURE_ON);
    assert_int_equal(dom->apic, XLV__FEATURE_OFF);
    assert_int_equal(dom->pae, XLV__FEATURE_ON);    /* xl's default */
    assert_string_equal(dom->boot_order, "dc");
    assert_string_equal(dom->loader, "/opt/hvmloader");
    xlv_domain_free(dom);

    dom = from_cfg(ctx, "name = \"a\"\nmemory = 64\ntype = \"hvm\"\n"
                   "builder = \"hvm\"\nfirmware = \"seabios\"\n");
    assert_null(dom->loader);
    xlv_domain_free(dom);

    /* On PV, the HVM keys mean nothing. */
    dom = from_cfg(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "acpi = 1\nboot = \"d\"\n");
    assert_int_equal(dom->acpi, XLV__FEATURE_ABSENT);
    assert_null(dom->boot_order);
    xlv_domain_free(dom);

    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\ntype = \"hvm\"\n"
                   "boot = \"x\"\n", XLV_ERR_INVAL, SOURCE ": xl.cfg key "
                   "'boot' value 'x': must be one to four of a, c, d and n");
    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\ntype = \"hvm\"\n"
                   "acpi = 2\n", XLV_ERR_INVAL, SOURCE ": xl.cfg key 'acpi' "
                   "value '2': must be at most 1");
    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\n"
                   "firmware = \"pvgrub64\"\n", XLV_ERR_UNSUPPORTED,
                   SOURCE ": xl.cfg key 'firmware' value 'pvgrub64': not "
                   "supported for pv domains: use kernel=");
    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\n", XLV_ERR_INVAL,
                   SOURCE ": pv domain 'a' has neither a kernel nor a "
                   "bootloader: it cannot boot");
}

static void test_read_type(void **state)
{
    xlv_ctx *ctx = *state;
    const char *tail = "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n";
    char text[256];
    xlv_domain *dom;

    snprintf(text, sizeof(text), "%stype = \"pvh\"\n", tail);
    dom = from_cfg(ctx, text);
    assert_int_equal(dom->type, XLV_DOMAIN_TYPE_PVH);
    xlv_domain_free(dom);
    snprintf(text, sizeof(text), "%sbuilder = \"generic\"\n", tail);
    dom = from_cfg(ctx, text);
    assert_int_equal(dom->type, XLV_DOMAIN_TYPE_PV);
    xlv_domain_free(dom);

    snprintf(text, sizeof(text), "%stype = \"kvm\"\n", tail);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'type' "
                   "value 'kvm': must be pv, pvh or hvm");
    /* xl takes a prefix ("h" is hvm); we do not. */
    snprintf(text, sizeof(text), "%stype = \"h\"\n", tail);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'type' "
                   "value 'h': must be pv, pvh or hvm");
    snprintf(text, sizeof(text), "%sbuilder = \"linux\"\n", tail);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key "
                   "'builder' value 'linux': must be hvm or generic");
    snprintf(text, sizeof(text), "%stype = \"pv\"\nbuilder = \"hvm\"\n",
             tail);
    from_cfg_fails(ctx, text, XLV_ERR_CONFLICT, SOURCE ": xl.cfg key "
                   "'builder' value 'hvm': contradicts type 'pv'");
    snprintf(text, sizeof(text), "%stype = [ \"pv\" ]\n", tail);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'type': "
                   "must be a single value, not a list");
}

static void test_read_devices(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom;

    dom = from_cfg(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "vif = [ \"mac=00:16:3E:66:92:9c, bridge=br0,type=vif,"
                   "rate=10Mb/s,script=vif-bridge,model=e1000,vifname=v0,"
                   "ip=10.0.0.1 10.0.0.2\", \"\", \"ip=10.1.1.1,bogus\" ]\n"
                   "disk = [ \"format=qcow2,vdev=xvda,access=rw,"
                   "backendtype=qdisk,target=/img/a,b.qcow2\", "
                   "\"phy:/dev/vg/b,xvdb,r\", \"vdev=hdc,devtype=cdrom,"
                   "target=\", \"format=vhd,vdev=xvdc,backendtype=tap,"
                   "target=/img/c.vhd\" ]\n");
    assert_int_equal(dom->n_nics, 3);
    assert_int_equal(dom->nics[0].type, XLV__NIC_BRIDGE);
    assert_string_equal(dom->nics[0].mac, "00:16:3E:66:92:9c");
    assert_string_equal(dom->nics[0].bridge, "br0");
    assert_string_equal(dom->nics[0].script, "vif-bridge");
    assert_string_equal(dom->nics[0].model, "e1000");
    assert_string_equal(dom->nics[0].ifname, "v0");
    assert_string_equal(dom->nics[0].ip, "10.0.0.1 10.0.0.2");
    assert_int_equal(dom->nics[1].type, XLV__NIC_ETHERNET);
    assert_null(dom->nics[1].mac);
    assert_string_equal(dom->nics[2].ip, "10.1.1.1");

    assert_int_equal(dom->n_disks, 4);
    assert_string_equal(dom->disks[0].source, "/img/a,b.qcow2");
    assert_string_equal(dom->disks[0].target, "xvda");
    assert_string_equal(dom->disks[0].driver, "qemu");
    assert_int_equal(dom->disks[0].format, LIBXL_DISK_FORMAT_QCOW2);
    assert_int_equal(dom->disks[0].source_type, XLV__DISK_FILE);
    assert_false(dom->disks[0].readonly);
    assert_string_equal(dom->disks[1].source, "/dev/vg/b");
    assert_null(dom->disks[1].driver);  /* "phy:" is ignored by xl */
    assert_int_equal(dom->disks[1].source_type, XLV__DISK_BLOCK);
    assert_true(dom->disks[1].readonly);
    assert_true(dom->disks[2].cdrom);
    assert_true(dom->disks[2].readonly);
    assert_null(dom->disks[2].source);
    assert_int_equal(dom->disks[2].format, LIBXL_DISK_FORMAT_RAW);
    assert_string_equal(dom->disks[3].driver, "tap");
    assert_int_equal(dom->disks[3].format, LIBXL_DISK_FORMAT_VHD);
    round_trip(ctx, dom);
    xlv_domain_free(dom);

    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "vif = [ \"mac=00:16:3e:66:92\" ]\n", XLV_ERR_INVAL,
                   SOURCE ": xl.cfg key 'vif' entry 0 mac '00:16:3e:66:92': "
                   "not a mac address like 00:16:3e:00:00:01");
    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "vif = \"mac=00:16:3e:66:92:00\"\n", XLV_ERR_INVAL,
                   SOURCE ": xl.cfg key 'vif': must be a list");
    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "disk = [ \"vdev=xvda,bogus=1,target=/x\" ]\n",
                   XLV_ERR_INVAL, SOURCE ": config parsing error in disk "
                   "specification: unknown parameter: near `bogus=1,' in "
                   "`vdev=xvda,bogus=1,target=/x'");
    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "disk = [ \"format=qed,vdev=xvda,target=/x\" ]\n",
                   XLV_ERR_UNSUPPORTED, SOURCE ": xl.cfg key 'disk' value "
                   "'format=qed,vdev=xvda,target=/x': format 'qed' is not "
                   "supported");
}

static void test_read_actions_weight(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom;

    dom = from_cfg(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "on_poweroff = \"preserve\"\n"
                   "on_crash = \"coredump-destroy\"\ncpu_weight = 65535\n");
    assert_true(dom->has_on_poweroff);
    assert_int_equal(dom->on_poweroff, LIBXL_ACTION_ON_SHUTDOWN_PRESERVE);
    assert_false(dom->has_on_reboot);
    assert_true(dom->has_on_crash);
    assert_int_equal(dom->on_crash,
                     LIBXL_ACTION_ON_SHUTDOWN_COREDUMP_DESTROY);
    assert_int_equal(dom->weight, 65535);
    round_trip(ctx, dom);
    xlv_domain_free(dom);

    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "on_reboot = \"reboot\"\n", XLV_ERR_INVAL, SOURCE
                   ": xl.cfg key 'on_reboot' value 'reboot': must be "
                   "destroy, restart, rename-restart, preserve, "
                   "coredump-destroy or coredump-restart");
    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "on_crash = \"soft-reset\"\n", XLV_ERR_UNSUPPORTED,
                   SOURCE ": xl.cfg key 'on_crash' value 'soft-reset': "
                   "domain xml has no such action");
    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "cpu_weight = 0\n", XLV_ERR_INVAL, SOURCE ": xl.cfg key "
                   "'cpu_weight' value '0': must be at least 1");
    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64\nkernel = \"/k\"\n"
                   "cpu_weight = 65536\n", XLV_ERR_INVAL, SOURCE ": xl.cfg "
                   "key 'cpu_weight' value '65536': must be at most 65535");
}

static void test_read_vnuma(void **state)
{
    xlv_ctx *ctx = *state;
    const char *head = "name = \"a\"\ntype = \"hvm\"\nmemory = 1024\n";
    char text[1024];
    xlv_domain *dom;

    /* No maxvcpus: the cells give the maximum, and maxmem. */
    snprintf(text, sizeof(text), "%svcpus = 2\nvnuma = [ "
             "[ \"pnode=0\", \"size=512\", \"vcpus=0-1\" ], "
             "[ \"pnode = 1\", \" size=512 \", \"vcpus=2,3\", "
             "\"vdistances=20,10\", \"future=1\" ] ]\n", head);
    dom = from_cfg(ctx, text);
    assert_int_equal(dom->max_vcpus, 4);
    assert_set(&dom->online, "0-1");
    assert_int_equal(dom->max_memory_kib, 1024 * 1024);
    assert_int_equal(dom->n_vnodes, 2);
    assert_set(&dom->vnodes[1].vcpus, "2-3");
    assert_int_equal(dom->vnodes[1].memory_kib, 512 * 1024);
    assert_null(dom->vnodes[0].distances);
    assert_int_equal(dom->vnodes[1].n_distances, 2);
    assert_int_equal(dom->vnodes[1].distances[0], 20);
    round_trip(ctx, dom);
    xlv_domain_free(dom);

    snprintf(text, sizeof(text), "%smaxvcpus = 3\nvnuma = [ "
             "[ \"size=512\", \"vcpus=0-1\" ], "
             "[ \"size=512\", \"vcpus=2-3\" ] ]\n", head);
    from_cfg_fails(ctx, text, XLV_ERR_CONFLICT, SOURCE ": xl.cfg key "
                   "'vnuma': the cells hold 4 vcpus but maxvcpus is '3'");
    snprintf(text, sizeof(text), "%smaxmem = 2048\nvnuma = [ "
             "[ \"size=512\", \"vcpus=0-1\" ], "
             "[ \"size=512\", \"vcpus=2-3\" ] ]\n", head);
    from_cfg_fails(ctx, text, XLV_ERR_CONFLICT, SOURCE ": xl.cfg key "
                   "'vnuma': the cells hold 1024 MiB but maxmem is '2048'");
    snprintf(text, sizeof(text), "%svnuma = [ [ \"size=512\" ], "
             "[ \"size=512\", \"vcpus=2-3\" ] ]\n", head);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'vnuma' "
                   "cell 0: 'vcpus' is missing");
    snprintf(text, sizeof(text), "%svnuma = [ [ \"size=512\", "
             "\"vcpus=0\", \"vdistances=10,20,30\" ] ]\n", head);
    from_cfg_fails(ctx, text, XLV_ERR_CONFLICT, SOURCE ": xl.cfg key "
                   "'vnuma' cell 0 vdistances '10,20,30': more than 1 "
                   "distances");
    snprintf(text, sizeof(text), "%svnuma = [ [ \"size=512\", "
             "\"vcpus=0\" ], [ \"size=512\", \"vcpus=1\", "
             "\"vdistances=10\" ] ]\n", head);
    from_cfg_fails(ctx, text, XLV_ERR_CONFLICT, SOURCE ": xl.cfg key "
                   "'vnuma' cell 1 vdistances '10': 1 distances for 2 "
                   "cells");
    snprintf(text, sizeof(text), "%svnuma = [ [ \"size=512\", "
             "\"vcpus=0\", \"vdistances=9\" ] ]\n", head);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'vnuma' "
                   "cell 0 vdistances '9': distance 1 must be a number from "
                   "10 to 255");
    snprintf(text, sizeof(text), "%svnuma = [ [ \"size=-1\", "
             "\"vcpus=0\" ] ]\n", head);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'vnuma' "
                   "cell 0 size '-1': must be a number of MiB from 1 to "
                   "16777216");
    snprintf(text, sizeof(text), "%svnuma = [ \"size=512\" ]\n", head);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'vnuma' "
                   "cell 0: must be a list of \"KEY=VALUE\" strings");
    snprintf(text, sizeof(text), "%svnuma = [ [ \"size\" ] ]\n", head);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'vnuma' "
                   "cell 0 item 'size': not KEY=VALUE");
    snprintf(text, sizeof(text), "%svnuma = [ [ \"size=512\", "
             "\"vcpus=0-1\" ], [ \"size=512\", \"vcpus=1-2\" ] ]\n", head);
    from_cfg_fails(ctx, text, XLV_ERR_CONFLICT, SOURCE ": numa cells '0' "
                   "and '1' both hold vcpu '1'");
}

static void test_read_refusals(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom = NULL;
    const char *k = "name = \"a\"\nkernel = \"/k\"\n";
    char text[256];
    static const char nul[] = "name = \"a\0\"\nmemory = 64\n";
    static const char upto[] = "name = \"a\"\nmemory = 64\n"
                               "kernel = \"/k\"\nvcpus = 0\n";

    from_cfg_fails(ctx, "name = \"a\"\nmemory = \"64\n", XLV_ERR_CONFIG,
                   SOURCE ":2: config parsing error near `\"64': lexical "
                   "error");
    from_cfg_fails(ctx, "name = \"a\"\nmemory = 64 64\n", XLV_ERR_CONFIG,
                   SOURCE ":2: config parsing error near *");
    from_cfg_fails(ctx, "memory = 64\nkernel = \"/k\"\n", XLV_ERR_INVAL,
                   SOURCE ": xl.cfg key 'name' is missing");
    from_cfg_fails(ctx, k, XLV_ERR_INVAL,
                   SOURCE ": xl.cfg key 'memory' is missing");
    snprintf(text, sizeof(text), "%smemory = \"lots\"\n", k);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'memory' "
                   "value 'lots': not a number");
    snprintf(text, sizeof(text), "%smemory = \"64 MiB\"\n", k);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'memory' "
                   "value '64 MiB': not a number");
    snprintf(text, sizeof(text), "%smemory = 99999999999999999999\n", k);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'memory' "
                   "value '99999999999999999999': must be at most 16777216");
    snprintf(text, sizeof(text), "%smemory = \"-99999999999999999999\"\n",
             k);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'memory' "
                   "value '-99999999999999999999': must be at least 1");
    snprintf(text, sizeof(text), "%smemory = 16777217\n", k);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'memory' "
                   "value '16777217': must be at most 16777216");
    snprintf(text, sizeof(text), "%smemory = 64\nmaxmem = 32\n", k);
    from_cfg_fails(ctx, text, XLV_ERR_CONFLICT, SOURCE ": xl.cfg key "
                   "'memory' value '64': more than the maximum of 32 MiB");
    snprintf(text, sizeof(text), "%smemory = 64\nvcpus = 0\n", k);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'vcpus' "
                   "value '0': must be at least 1");
    snprintf(text, sizeof(text), "%smemory = 64\nvcpus = \"-1\"\n", k);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'vcpus' "
                   "value '-1': must be at least 1");
    snprintf(text, sizeof(text), "%smemory = 64\nvcpus = 8193\n", k);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'vcpus' "
                   "value '8193': must be at most 8192");
    snprintf(text, sizeof(text), "%smemory = 64\ntype = \"pvh\"\n"
             "maxvcpus = 129\n", k);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key "
                   "'maxvcpus' value '129': must be at most 128");
    snprintf(text, sizeof(text), "%smemory = 64\nvcpus = 8\n"
             "maxvcpus = 4\n", k);
    from_cfg_fails(ctx, text, XLV_ERR_CONFLICT, SOURCE ": xl.cfg key "
                   "'vcpus' value '8': more than maxvcpus '4'");
    snprintf(text, sizeof(text), "%smemory = 64\nvcpus = 2.5\n", k);
    from_cfg_fails(ctx, text, XLV_ERR_CONFIG, SOURCE ":4: config parsing "
                   "error near `.5': lexical error");
    snprintf(text, sizeof(text), "%smemory = 64\nvcpus = \"2x\"\n", k);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'vcpus' "
                   "value '2x': not a number");
    snprintf(text, sizeof(text), "%smemory = 64\nuuid = \"1234\"\n", k);
    from_cfg_fails(ctx, text, XLV_ERR_INVAL, SOURCE ": xl.cfg key 'uuid' "
                   "value '1234': not a uuid");

    /* libxlutil asserts on a NUL in a string: refused before it. */
    assert_int_equal(xlv_domain_from_xlcfg(ctx, &dom, nul, sizeof(nul) - 1,
                                           SOURCE, 0), XLV_ERR_CONFIG);
    assert_string_equal(xlv_ctx_error(ctx), SOURCE ": xl.cfg text holds a "
                        "NUL byte at offset 9");
    /* Only LEN bytes are read. */
    assert_int_equal(xlv_domain_from_xlcfg(ctx, &dom, upto,
                                           (size_t)(strstr(upto, "vcpus") -
                                                    upto), SOURCE, 0), 0);
    assert_int_equal(dom->max_vcpus, 1);
    xlv_domain_free(dom);
    dom = NULL;

    /* Without a source name, no prefix. */
    assert_int_equal(xlv_domain_from_xlcfg(ctx, &dom, "vcpus = 0\n", 10,
                                           NULL, 0), XLV_ERR_INVAL);
    assert_string_equal(xlv_ctx_error(ctx), "xl.cfg key 'name' is missing");
    assert_int_equal(xlv_domain_from_xlcfg(ctx, &dom, "a = [", 5, NULL, 0),
                     XLV_ERR_CONFIG);
    assert_int_equal(strncmp(xlv_ctx_error(ctx), "xl.cfg:1: config parsing "
                             "error near ", 34), 0);
    assert_int_equal(xlv_domain_from_xlcfg(ctx, &dom, "", 0, NULL, 1),
                     XLV_ERR_INVAL);
    assert_string_equal(xlv_ctx_error(ctx), "from_xlcfg: unknown flags "
                        "'0x1'");
    assert_null(dom);
}

static void test_read_file(void **state)
{
    xlv_ctx *ctx = *state;
    char path[] = "/tmp/test_xlcfg.XXXXXX";
    const char *text = "name = \"f\"\nmemory = 64\nkernel = \"/k\"\n"
                       "vcpus = 0\n";
    xlv_domain *dom = NULL;
    int fd = mkstemp(path);
    char msg[128];

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_int_equal(xlv_domain_from_xlcfg_file(ctx, &dom, path, 0),
                     XLV_ERR_INVAL);
    snprintf(msg, sizeof(msg), "%s: xl.cfg key 'vcpus' value '0': must be "
             "at least 1", path);
    assert_string_equal(xlv_ctx_error(ctx), msg);
    unlink(path);
    assert_int_equal(xlv_domain_from_xlcfg_file(ctx, &dom, path, 0),
                     XLV_ERR_NOTFOUND);
    assert_int_equal(xlv_domain_from_xlcfg_file(ctx, &dom, path, 4),
                     XLV_ERR_INVAL);
    assert_null(dom);
}

/* ---- libvirt's conformance data ---- */

typedef struct {
    const char *file;           /* under libvirt/ */
    xlv_domain_type type;
    unsigned int max;
    const char *online;
    unsigned long long maxmem_kib, mem_kib;
    unsigned int n_vnodes;
} conformance_case;

static const conformance_case cases[] = {
    /* xl refuses this file too ("maxmem and vnuma memory size mismatch"):
     * 6 cells of 2048 MiB against maxmem 8192.  libvirt makes the cells'
     * sum the maximum; test_conformance reads it with maxmem so. */
    { "xlconfigdata/test-fullvirt-vnuma-autocomplete.cfg",
      XLV_DOMAIN_TYPE_HVM, 12, "0-11", 12288ULL << 10, 8192ULL << 10, 6 },
    { "xlconfigdata/test-fullvirt-vnuma-nodistances.cfg",
      XLV_DOMAIN_TYPE_HVM, 8, "0-7", 8192ULL << 10, 8192ULL << 10, 4 },
    { "xlconfigdata/test-fullvirt-vnuma-partialdist.cfg",
      XLV_DOMAIN_TYPE_HVM, 8, "0-7", 8192ULL << 10, 8192ULL << 10, 4 },
    { "xlconfigdata/test-fullvirt-vnuma.cfg",
      XLV_DOMAIN_TYPE_HVM, 8, "0-7", 8192ULL << 10, 8192ULL << 10, 4 },
    { "xlconfigdata/test-paravirt-cmdline.cfg",
      XLV_DOMAIN_TYPE_PV, 1, "0", 592896, 403456, 0 },
    { "xlconfigdata/test-paravirt-maxvcpus.cfg",
      XLV_DOMAIN_TYPE_PV, 8, "0-3", 524288, 524288, 0 },
    { "xlconfigdata/test-pvh-type.cfg",
      XLV_DOMAIN_TYPE_PVH, 1, "0", 592896, 403456, 0 },
    { "xmconfigdata/test-paravirt-vcpu.cfg",
      XLV_DOMAIN_TYPE_PV, 4, "0-1", 592896, 403456, 0 },
};

static const char *conformance_dir(void)
{
    const char *dir = getenv("XLV_CONFORMANCE_DIR");

    return dir && *dir ? dir : "../shared/conformance";
}

static char *case_path(const char *file, const char *ext)
{
    char path[1024];
    size_t n;

    snprintf(path, sizeof(path), "%s/libvirt/%s", conformance_dir(), file);
    if (ext) {
        n = strlen(path);
        assert_true(n > 4 && !strcmp(path + n - 4, ".cfg"));
        snprintf(path + n - 4, sizeof(path) - (n - 4), "%s", ext);
    }
    return xstrdup(path);
}

/* Every .cfg of the data set is in the table, so none goes untested. */
static void test_conformance_complete(void **state)
{
    static const char *const dirs[] = { "xlconfigdata", "xmconfigdata" };
    unsigned int d, i, found = 0;

    (void)state;
    for (d = 0; d < 2; d++) {
        char path[1024];
        struct dirent *e;
        DIR *dir;

        snprintf(path, sizeof(path), "%s/libvirt/%s", conformance_dir(),
                 dirs[d]);
        dir = opendir(path);
        if (!dir)
            fail_msg("cannot open '%s' (set XLV_CONFORMANCE_DIR)", path);
        while ((e = readdir(dir))) {
            size_t n = strlen(e->d_name);
            char rel[512];

            if (n < 5 || strcmp(e->d_name + n - 4, ".cfg"))
                continue;
            snprintf(rel, sizeof(rel), "%s/%s", dirs[d], e->d_name);
            for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
                if (!strcmp(cases[i].file, rel))
                    break;
            }
            if (i == sizeof(cases) / sizeof(*cases))
                fail_msg("conformance file '%s' has no expectations", rel);
            found++;
        }
        closedir(dir);
    }
    assert_int_equal(found, sizeof(cases) / sizeof(*cases));
}

static void check_case(xlv_ctx *ctx, const conformance_case *c,
                       const xlv_domain *dom)
{
    check(dom->type == c->type, "%s: type %d", c->file, dom->type);
    check(dom->max_vcpus == c->max, "%s: max %u", c->file, dom->max_vcpus);
    assert_set(&dom->online, c->online);
    check(dom->max_memory_kib == c->maxmem_kib, "%s: maxmem %llu", c->file,
          (unsigned long long)dom->max_memory_kib);
    check(dom->memory_kib == c->mem_kib, "%s: memory %llu", c->file,
          (unsigned long long)dom->memory_kib);
    check(dom->n_vnodes == c->n_vnodes, "%s: vnodes %u", c->file,
          dom->n_vnodes);
    /* No conformance file pins. */
    check(!xlv__domain_hard(dom, 0) && !xlv__domain_soft(dom, 0),
          "%s: affinity", c->file);
    (void)ctx;
}

/*
 * Each libvirt .cfg is read and its vCPU facts checked.  Then, where our
 * XML reader takes the paired .xml, what our writer makes of it must mean
 * the same as libvirt's .cfg: both are read back and compared on every
 * field the project owns.
 */
static void test_conformance(void **state)
{
    xlv_ctx *ctx = *state;
    unsigned int i;

    for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        const conformance_case *c = &cases[i];
        char *cfg_path = case_path(c->file, NULL);
        char *xml_path = case_path(c->file, ".xml");
        char *text = read_text(cfg_path), *ours;
        xlv_domain *dom = NULL, *from_xml = NULL, *back;
        int rc;

        rc = xlv_domain_from_xlcfg(ctx, &dom, text, strlen(text),
                                   cfg_path, 0);
        if (strstr(c->file, "autocomplete")) {
            /* As xl: the cells must add up to maxmem.  With maxmem as
             * libvirt understands it (the cells' sum), the rest reads. */
            assert_int_equal(rc, XLV_ERR_CONFLICT);
            assert_non_null(strstr(xlv_ctx_error(ctx), "xl.cfg key "
                                   "'vnuma': the cells hold 12288 MiB but "
                                   "maxmem is '8192'"));
            replace(&text, "maxmem = 8192\nmemory = 8192",
                    "maxmem = 12288\nmemory = 8192");
            dom = from_cfg(ctx, text);
            assert_set(&dom->vnodes[0].vcpus, "0,11");
            assert_set(&dom->vnodes[5].vcpus, "5-6");
            assert_int_equal(dom->vnodes[0].distances[5], 61);
            assert_int_equal(dom->vnodes[5].distances[0], 61);
            assert_int_equal(dom->vnodes[2].distances[3], 21);
        } else if (rc) {
            fail_msg("%s: %s", c->file, xlv_ctx_error(ctx));
        }
        check_case(ctx, c, dom);
        if (!strcmp(c->file, "xlconfigdata/test-paravirt-maxvcpus.cfg")) {
            assert_string_equal(dom->bootloader, "/usr/bin/pygrub");
            assert_int_equal(dom->nics[0].type, XLV__NIC_ETHERNET);
            assert_int_equal(dom->disks[0].format, LIBXL_DISK_FORMAT_QCOW2);
        }
        if (!strcmp(c->file, "xlconfigdata/test-fullvirt-vnuma.cfg")) {
            assert_set(&dom->vnodes[3].vcpus, "6-7");
            assert_int_equal(dom->vnodes[3].memory_kib, 2048 * 1024);
            assert_int_equal(dom->vnodes[3].distances[0], 41);
            assert_int_equal(dom->acpi, XLV__FEATURE_ON);
            assert_string_equal(dom->boot_order, "d");
        }
        round_trip(ctx, dom);

        if (xlv_domain_from_xml_file(ctx, &from_xml, xml_path, 0))
            fail_msg("%s: %s", xml_path, xlv_ctx_error(ctx));
        /* The XML's vCPU facts are those of the .cfg. */
        assert_same_vcpus(from_xml, dom);
        ours = to_cfg(ctx, from_xml);
        back = from_cfg(ctx, ours);
        /* libvirt's disk for xm's "phy:" names the driver, xl's reading
         * does not (libxl picks it): that one may differ. */
        assert_same_domain(back, dom, true);
        xlv_domain_free(back);
        free(ours);
        xlv_domain_free(from_xml);
        xlv_domain_free(dom);
        free(text);
        free(cfg_path);
        free(xml_path);
    }
}

/* Our xl.cfg made into a domain XML document that reads back the same. */
static void test_cfg_xml_cfg(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom, *read, *again = NULL;
    char *cfg, *xml = NULL;

    dom = new_dom(ctx, XLV_DOMAIN_TYPE_PV, 6, 0);
    libxl_bitmap_set(&dom->online, 0);
    libxl_bitmap_set(&dom->online, 3);
    set_cpus(ctx, &dom->hard_default, "0-3");
    set_cpus(ctx, &dom->hard[2], "5");
    set_cpus(ctx, &dom->soft[1], "6-7");
    cfg = to_cfg(ctx, dom);
    assert_line(cfg, "cpus = [ \"0-3\", \"0-3\", \"5\", \"0-3\", \"0-3\", "
                "\"0-3\" ]");
    assert_line(cfg, "cpus_soft = [ \"all\", \"6-7\" ]");
    read = from_cfg(ctx, cfg);
    assert_int_equal(xlv_domain_to_xml(ctx, &xml, read, 0), 0);
    if (xlv_domain_from_xml(ctx, &again, xml, strlen(xml), "x", 0))
        fail_msg("%s\n%s", xlv_ctx_error(ctx), xml);
    assert_same_vcpus(dom, again);
    free(cfg);
    free(xml);
    xlv_domain_free(read);
    xlv_domain_free(again);
    xlv_domain_free(dom);
}

/* ---- random round trips ---- */

static unsigned int rnd(unsigned int *seed, unsigned int n)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) % n;
}

static void random_set(xlv_ctx *ctx, unsigned int *seed, libxl_bitmap *bm,
                       unsigned int limit)
{
    unsigned int n = 1 + rnd(seed, 4), i;

    assert_int_equal(xlv__bitmap_alloc(ctx, bm, XLV_MAX_PCPUS), 0);
    for (i = 0; i < n; i++)
        libxl_bitmap_set(bm, (int)rnd(seed, limit));
}

static void test_random_round_trips(void **state)
{
    xlv_ctx *ctx = *state;
    unsigned int seed = 20240601, iter;

    for (iter = 0; iter < 300; iter++) {
        static const xlv_domain_type types[] = {
            XLV_DOMAIN_TYPE_PV, XLV_DOMAIN_TYPE_PVH, XLV_DOMAIN_TYPE_HVM,
        };
        xlv_domain_type type = types[rnd(&seed, 3)];
        unsigned int max = 1 + rnd(&seed, iter % 10 ? 12 : 128), i;
        xlv_domain *dom = new_dom(ctx, type, max, 1);

        /* Only PV guests can have a sparse online map. */
        if (type == XLV_DOMAIN_TYPE_PV) {
            for (i = 1; i < max; i++) {
                if (rnd(&seed, 2))
                    libxl_bitmap_set(&dom->online, (int)i);
            }
        } else {
            for (i = rnd(&seed, max); i > 0; i--)
                libxl_bitmap_set(&dom->online, (int)i);
        }
        if (rnd(&seed, 3) == 0)
            random_set(ctx, &seed, &dom->hard_default, 64);
        if (rnd(&seed, 3) == 0)
            random_set(ctx, &seed, &dom->soft_default, 4096);
        for (i = 0; i < max; i++) {
            if (rnd(&seed, 4) == 0)
                random_set(ctx, &seed, &dom->hard[i], 64);
            if (rnd(&seed, 6) == 0)
                random_set(ctx, &seed, &dom->soft[i], 64);
        }
        if (max >= 2 && rnd(&seed, 4) == 0) {
            add_vnodes(ctx, dom, 1 + rnd(&seed, max < 4 ? max : 4));
            if (rnd(&seed, 2)) {
                xlv__vnode *vn = &dom->vnodes[0];

                vn->distances = calloc(dom->n_vnodes, sizeof(uint32_t));
                assert_non_null(vn->distances);
                vn->n_distances = dom->n_vnodes;
                for (i = 0; i < dom->n_vnodes; i++)
                    vn->distances[i] = 10 + rnd(&seed, 50);
            }
        }
        if (rnd(&seed, 3) == 0)
            dom->weight = 1 + rnd(&seed, 65535);
        if (type == XLV_DOMAIN_TYPE_HVM) {
            dom->acpi = rnd(&seed, 2) ? XLV__FEATURE_ON : XLV__FEATURE_OFF;
            dom->apic = rnd(&seed, 2) ? XLV__FEATURE_ON : XLV__FEATURE_OFF;
            dom->pae = rnd(&seed, 2) ? XLV__FEATURE_ON : XLV__FEATURE_OFF;
        }
        round_trip(ctx, dom);
        xlv_domain_free(dom);
    }
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_write_basic),
        T(test_write_single_quotes),
        T(test_write_counts),
        T(test_write_memory_rounds_up),
        T(test_write_cpus_string),
        T(test_write_cpus_list),
        T(test_write_hvm),
        T(test_write_bootloader),
        T(test_write_vnuma),
        T(test_vnode_distance),
        T(test_write_refusals),
        T(test_read_basic),
        T(test_read_vcpu_avail),
        T(test_read_cpus),
        T(test_read_boot),
        T(test_read_type),
        T(test_read_devices),
        T(test_read_actions_weight),
        T(test_read_vnuma),
        T(test_read_refusals),
        T(test_read_file),
        T(test_conformance_complete),
        T(test_conformance),
        T(test_cfg_xml_cfg),
        T(test_random_round_trips),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
