/*
 * The public API as an embedding toolstack uses it: only libxlvcpu.h and
 * libxl's own types, no private header.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxl.h>
#include <libxl_utils.h>

#include "libxlvcpu.h"

static const char guest[] =
    "<domain type='xen'>\n"
    "  <name>api-guest</name>\n"
    "  <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>\n"
    "  <description>kept as it is</description>\n"
    "  <metadata>\n"
    "    <app:owner xmlns:app='http://example.com/app'>team-a</app:owner>\n"
    "  </metadata>\n"
    "  <memory unit='GiB'>2</memory>\n"
    "  <vcpu placement='static' cpuset='0-3' current='2'>4</vcpu>\n"
    "  <cputune>\n"
    "    <vcpupin vcpu='3' cpuset='7'/>\n"
    "  </cputune>\n"
    "  <!-- a comment survives too -->\n"
    "  <os>\n"
    "    <type arch='x86_64' machine='xenpv'>linux</type>\n"
    "    <kernel>/boot/vmlinuz</kernel>\n"
    "  </os>\n"
    "  <clock offset='utc'/>\n"
    "  <devices>\n"
    "    <console type='pty'/>\n"
    "  </devices>\n"
    "</domain>\n";

static int setup(void **state)
{
    xlv_ctx *ctx = NULL;

    assert_int_equal(xlv_ctx_new(&ctx, NULL, 0), 0);
    *state = ctx;
    return 0;
}

static int teardown(void **state)
{
    xlv_ctx_free(*state);
    return 0;
}

static xlv_domain *load(xlv_ctx *ctx, const char *xml)
{
    xlv_domain *dom = NULL;
    int rc = xlv_domain_from_xml(ctx, &dom, xml, strlen(xml), "t.xml", 0);

    if (rc)
        fail_msg("refused: %s", xlv_ctx_error(ctx));
    return dom;
}

static void test_ctx(void **state)
{
    xlv_ctx *ctx = NULL;

    (void)state;
    assert_int_equal(xlv_ctx_new(&ctx, NULL, 1), XLV_ERR_INVAL);
    assert_null(ctx);
    assert_int_equal(xlv_ctx_new(&ctx, NULL, 0), 0);
    assert_string_equal(xlv_ctx_error(ctx), "");
    assert_int_equal(xlv_ctx_error_code(ctx), 0);
    assert_int_equal(xlv_ctx_libxl_rc(ctx), 0);
    xlv_ctx_free(ctx);
    xlv_ctx_free(NULL);
    xlv_domain_free(NULL);
}

static void test_getters(void **state)
{
    xlv_domain *dom = load(*state, guest);

    assert_string_equal(xlv_domain_get_name(dom), "api-guest");
    assert_int_equal(xlv_domain_get_type(dom), XLV_DOMAIN_TYPE_PV);
    assert_int_equal(xlv_domain_get_max_vcpus(dom), 4);
    assert_int_equal(xlv_domain_get_current_vcpus(dom), 2);
    assert_true(xlv_domain_vcpu_is_online(dom, 0));
    assert_true(xlv_domain_vcpu_is_online(dom, 1));
    assert_false(xlv_domain_vcpu_is_online(dom, 2));
    assert_false(xlv_domain_vcpu_is_online(dom, 4));
    assert_false(xlv_domain_vcpu_is_online(dom, 4000000000u));
    xlv_domain_free(dom);
}

static void test_unknown_flags(void **state)
{
    xlv_ctx *ctx = *state;
    xlv_domain *dom = NULL;
    char *out = NULL;

    assert_int_equal(xlv_domain_from_xml(ctx, &dom, guest, strlen(guest),
                                         NULL, 4), XLV_ERR_INVAL);
    assert_null(dom);
    assert_non_null(strstr(xlv_ctx_error(ctx), "flags"));
    dom = load(ctx, guest);
    assert_int_equal(xlv_domain_to_xml(ctx, &out, dom, 1), XLV_ERR_INVAL);
    assert_int_equal(xlv_domain_to_xlcfg(ctx, &out, dom, 2), XLV_ERR_INVAL);
    assert_int_equal(xlv_domain_to_libxl_json(ctx, &out, dom, 8),
                     XLV_ERR_INVAL);
    assert_null(out);
    xlv_domain_free(dom);
}

/* Elements the library does not model come back out unchanged. */
static void test_unknown_kept(void **state)
{
    xlv_domain *dom = load(*state, guest);
    char *out = NULL;

    assert_int_equal(xlv_domain_to_xml(*state, &out, dom, 0), 0);
    assert_non_null(strstr(out, "<description>kept as it is</description>"));
    assert_non_null(strstr(out, "<app:owner xmlns:app=\"http://example.com/"
                                "app\">team-a</app:owner>"));
    assert_non_null(strstr(out, "<!-- a comment survives too -->"));
    assert_non_null(strstr(out, "<clock offset=\"utc\"/>"));
    assert_non_null(strstr(out, "<console type=\"pty\"/>"));
    assert_non_null(strstr(out, "<vcpupin vcpu=\"3\" cpuset=\"7\"/>"));
    free(out);
    xlv_domain_free(dom);
}

static void test_to_libxl(void **state)
{
    xlv_domain *dom = load(*state, guest);
    libxl_domain_config cfg;
    libxl_domain_build_info *b = &cfg.b_info;

    libxl_domain_config_init(&cfg);
    assert_int_equal(xlv_domain_to_libxl(*state, &cfg, dom, 0), 0);
    assert_int_equal(cfg.c_info.type, LIBXL_DOMAIN_TYPE_PV);
    assert_string_equal(cfg.c_info.name, "api-guest");
    assert_int_equal(b->max_vcpus, 4);
    assert_true(libxl_bitmap_test(&b->avail_vcpus, 0));
    assert_true(libxl_bitmap_test(&b->avail_vcpus, 1));
    assert_false(libxl_bitmap_test(&b->avail_vcpus, 2));
    assert_int_equal(b->num_vcpu_hard_affinity, 4);
    assert_true(libxl_bitmap_test(&b->vcpu_hard_affinity[0], 3));
    assert_false(libxl_bitmap_test(&b->vcpu_hard_affinity[0], 7));
    assert_true(libxl_bitmap_test(&b->vcpu_hard_affinity[3], 7));
    assert_false(libxl_bitmap_test(&b->vcpu_hard_affinity[3], 0));
    assert_int_equal(b->max_memkb, 2 * 1024 * 1024);
    assert_string_equal(b->kernel, "/boot/vmlinuz");
    libxl_domain_config_dispose(&cfg);
    xlv_domain_free(dom);
}

static void test_errors(void **state)
{
    xlv_ctx *ctx = *state, *other = NULL;
    xlv_domain *dom = NULL;
    const char *bad = "<domain type='xen'><name>x</name><memory>1024"
                      "</memory><vcpu>0</vcpu><os><type>linux</type>"
                      "<kernel>/k</kernel></os></domain>";
    int rc;

    rc = xlv_domain_from_xml(ctx, &dom, bad, strlen(bad), NULL, 0);
    assert_int_equal(rc, XLV_ERR_INVAL);
    assert_null(dom);
    assert_int_equal(xlv_ctx_error_code(ctx), rc);
    assert_null(strchr(xlv_ctx_error(ctx), '\n'));
    assert_non_null(strstr(xlv_ctx_error(ctx), "<vcpu>0</vcpu>"));
    /* Each ctx keeps its own error: there is no global state. */
    assert_int_equal(xlv_ctx_new(&other, NULL, 0), 0);
    assert_string_equal(xlv_ctx_error(other), "");
    xlv_ctx_free(other);
    for (rc = 0; rc >= XLV_ERR_BUSY; rc--)
        assert_true(strlen(xlv_strerror(rc)) > 0);
    assert_string_equal(xlv_strerror(-1000), "unknown error");
}

/* A document over the size limit is refused before it is parsed. */
static void test_size_limit(void **state)
{
    size_t n = XLV_MAX_DOCUMENT_BYTES + 1;
    char *big = malloc(n + 1);
    xlv_domain *dom = NULL;

    assert_non_null(big);
    memset(big, ' ', n);
    memcpy(big, guest, strlen(guest));
    big[n] = '\0';
    assert_int_equal(xlv_domain_from_xml(*state, &dom, big, n, NULL, 0),
                     XLV_ERR_XML);
    assert_non_null(strstr(xlv_ctx_error(*state), "limit"));
    free(big);
}

/* xl's node:N is kept as written (in XML too) until a layout resolves
 * it: the embedder's (xlv_ctx_set_numa_nodes()) for a conversion to
 * libxl, the host's when the domain starts. */
static void test_numa_nodes(void **state)
{
    static const char cfg[] =
        "name = \"numa\"\nmemory = 512\nkernel = \"/boot/vmlinuz\"\n"
        "vcpus = 2\ncpus = \"node:1\"\n";
    const char *const nodes[] = { "0-3", "4-7" };
    xlv_ctx *ctx = *state;
    xlv_domain *dom = NULL, *back = NULL;
    libxl_domain_config lc;
    char *out = NULL;
    int i;

    assert_int_equal(xlv_domain_from_xlcfg(ctx, &dom, cfg, strlen(cfg),
                                           NULL, 0), 0);
    assert_int_equal(xlv_domain_to_xml(ctx, &out, dom, 0), 0);
    assert_non_null(strstr(out, "<xlvcpu:nodes cpus=\"node:1\"/>"));
    assert_null(strstr(out, "cpuset="));
    assert_int_equal(xlv_domain_from_xml(ctx, &back, out, strlen(out), NULL,
                                         0), 0);
    free(out);
    assert_int_equal(xlv_domain_to_xlcfg(ctx, &out, back, 0), 0);
    assert_non_null(strstr(out, "\ncpus = \"node:1\"\n"));
    free(out);
    assert_int_equal(xlv_domain_to_libxl_json(ctx, &out, dom, 0),
                     XLV_ERR_UNSUPPORTED);
    assert_non_null(strstr(xlv_ctx_error(ctx), "cpus 'node:1' names numa "
                           "nodes"));

    assert_int_equal(xlv_ctx_set_numa_nodes(ctx, nodes, 2, 1),
                     XLV_ERR_INVAL);
    assert_int_equal(xlv_ctx_set_numa_nodes(ctx, nodes, 0, 0),
                     XLV_ERR_INVAL);
    assert_int_equal(xlv_ctx_set_numa_nodes(ctx, nodes, 2, 0), 0);
    libxl_domain_config_init(&lc);
    assert_int_equal(xlv_domain_to_libxl(ctx, &lc, back, 0), 0);
    assert_int_equal(lc.b_info.num_vcpu_hard_affinity, 2);
    for (i = 0; i < 8; i++)
        assert_int_equal(libxl_bitmap_test(&lc.b_info.vcpu_hard_affinity[1],
                                           i), i >= 4);
    libxl_domain_config_dispose(&lc);
    xlv_domain_free(back);
    xlv_domain_free(dom);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ctx),
        cmocka_unit_test_setup_teardown(test_getters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_to_libxl, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_size_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numa_nodes, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
