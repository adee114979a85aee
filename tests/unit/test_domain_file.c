/*
 * xlv_domain_from_file(): either format, told by content, and xl create's
 * KEY=VALUE overrides, through the public header only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "libxlvcpu.h"

static const char xml[] =
    "<domain type='xen'>\n"
    "  <name>file-xml</name>\n"
    "  <memory unit='MiB'>512</memory>\n"
    "  <vcpu placement='static' current='2'>4</vcpu>\n"
    "  <os><type arch='x86_64' machine='xenpv'>linux</type>"
    "<kernel>/boot/vmlinuz</kernel></os>\n"
    "</domain>\n";

static const char cfg[] =
    "# an xl guest\n"
    "name = \"file-cfg\"\n"
    "type = \"pv\"\n"
    "kernel = \"/boot/vmlinuz\"\n"
    "memory = 512\n"
    "maxvcpus = 4\n"
    "vcpus = 2\n"
    "cpus = \"0-3\"\n";

typedef struct {
    xlv_ctx *ctx;
    char dir[64];
    char path[96];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));

    if (!f || xlv_ctx_new(&f->ctx, NULL, 0))
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/xlv-domfile-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/guest", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    unlink(f->path);
    rmdir(f->dir);
    xlv_ctx_free(f->ctx);
    free(f);
    return 0;
}

/* Write LEN bytes of TEXT as the fixture's file. */
static void put(fixture *f, const char *text, size_t len)
{
    FILE *fp = fopen(f->path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/* The domain of the fixture's file with OVERRIDES; fails the test on an
 * error. */
static xlv_domain *read_ok(fixture *f, const char *const *overrides)
{
    xlv_domain *dom = NULL;

    if (xlv_domain_from_file(f->ctx, &dom, f->path, overrides, 0))
        fail_msg("from_file: %s", xlv_ctx_error(f->ctx));
    return dom;
}

/* Reading the fixture's file with OVERRIDES fails with RC and MSG. */
static void read_fails(fixture *f, const char *const *overrides, int rc,
                       const char *msg)
{
    xlv_domain *dom = NULL;

    assert_int_equal(xlv_domain_from_file(f->ctx, &dom, f->path, overrides,
                                          0), rc);
    assert_null(dom);
    assert_string_equal(xlv_ctx_error(f->ctx), msg);
}

static void test_xml_by_content(void **state)
{
    fixture *f = *state;
    char text[sizeof(xml) + 16];
    xlv_domain *dom;

    put(f, xml, strlen(xml));
    dom = read_ok(f, NULL);
    assert_string_equal(xlv_domain_get_name(dom), "file-xml");
    assert_int_equal(xlv_domain_get_max_vcpus(dom), 4);
    assert_int_equal(xlv_domain_get_current_vcpus(dom), 2);
    xlv_domain_free(dom);
    /* A byte order mark and white space before the '<'. */
    snprintf(text, sizeof(text), "\xef\xbb\xbf \n\t%s", xml);
    put(f, text, strlen(text));
    dom = read_ok(f, NULL);
    assert_string_equal(xlv_domain_get_name(dom), "file-xml");
    xlv_domain_free(dom);
}

static void test_xlcfg_by_content(void **state)
{
    fixture *f = *state;
    const char *const none[] = { NULL };
    xlv_domain *dom;

    put(f, cfg, strlen(cfg));
    dom = read_ok(f, none);
    assert_string_equal(xlv_domain_get_name(dom), "file-cfg");
    assert_int_equal(xlv_domain_get_type(dom), XLV_DOMAIN_TYPE_PV);
    assert_int_equal(xlv_domain_get_max_vcpus(dom), 4);
    assert_int_equal(xlv_domain_get_current_vcpus(dom), 2);
    xlv_domain_free(dom);
}

static void test_overrides_win(void **state)
{
    fixture *f = *state;
    const char *const overrides[] = { "vcpus=3", "cpus=\"1-2\"",
                                       "name=\"renamed\"", NULL };
    xlv_domain *dom;
    char *out = NULL;

    put(f, cfg, strlen(cfg));
    dom = read_ok(f, overrides);
    assert_string_equal(xlv_domain_get_name(dom), "renamed");
    assert_int_equal(xlv_domain_get_current_vcpus(dom), 3);
    assert_true(xlv_domain_vcpu_is_online(dom, 2));
    assert_int_equal(xlv_domain_to_xlcfg(f->ctx, &out, dom, 0), 0);
    assert_non_null(strstr(out, "cpus = \"1-2\"\n"));
    assert_null(strstr(out, "0-3"));
    free(out);
    xlv_domain_free(dom);
}

static void test_override_refusals(void **state)
{
    fixture *f = *state;
    const char *const no_eq[] = { "vcpus", NULL };
    const char *const no_key[] = { "=3", NULL };
    const char *const blank[] = { "vcpus =3", NULL };
    const char *const two[] = { "vcpus=2\nmaxvcpus=9", NULL };
    const char *const syntax[] = { "cpus=\"2-3", NULL };
    const char *const too_many[] = { "vcpus=5", NULL };
    char msg[256];

    put(f, cfg, strlen(cfg));
    read_fails(f, no_eq, XLV_ERR_INVAL,
               "override 'vcpus': must be one xl.cfg setting KEY=VALUE");
    read_fails(f, no_key, XLV_ERR_INVAL,
               "override '=3': must be one xl.cfg setting KEY=VALUE");
    read_fails(f, blank, XLV_ERR_INVAL,
               "override 'vcpus =3': must be one xl.cfg setting KEY=VALUE");
    read_fails(f, two, XLV_ERR_INVAL, "override 'vcpus=2?maxvcpus=9': "
               "must be one xl.cfg setting KEY=VALUE");
    assert_int_equal(xlv_domain_from_file(f->ctx, &(xlv_domain *){ NULL },
                                          f->path, syntax, 0),
                     XLV_ERR_CONFIG);
    /* An override is checked as the file's own lines are. */
    snprintf(msg, sizeof(msg), "%s: xl.cfg key 'vcpus' value '5': more "
             "than maxvcpus '4'", f->path);
    read_fails(f, too_many, XLV_ERR_CONFLICT, msg);
    /* Overrides are for xl.cfg only. */
    put(f, xml, strlen(xml));
    snprintf(msg, sizeof(msg), "%s: is domain xml: KEY=VALUE overrides are "
             "for xl.cfg files", f->path);
    read_fails(f, too_many, XLV_ERR_INVAL, msg);
}

static void test_bad_files(void **state)
{
    fixture *f = *state;
    static const char nul[] = "name = \"x\"\nmemory = 5\0\nvcpus = 1\n";
    const char *const overrides[] = { "vcpus=1", NULL };
    xlv_domain *dom = NULL;
    char msg[256];

    /* Unknown flags, before the file is looked at. */
    assert_int_equal(xlv_domain_from_file(f->ctx, &dom, "/nonexistent/x",
                                          NULL, 0x100), XLV_ERR_INVAL);
    assert_string_equal(xlv_ctx_error(f->ctx),
                        "domain_from_file: unknown flags '0x100'");
    assert_int_equal(xlv_domain_from_file(f->ctx, &dom, "/nonexistent/x",
                                          NULL, 0), XLV_ERR_NOTFOUND);
    /* Neither format: empty, or not UTF-8 text. */
    put(f, " \n\t\n", 4);
    snprintf(msg, sizeof(msg), "%s: empty document", f->path);
    read_fails(f, NULL, XLV_ERR_INVAL, msg);
    put(f, "\xff\xfe<\0d\0", 6);
    snprintf(msg, sizeof(msg), "%s: byte 0 (0xff) is not utf-8: a domain "
             "file, xml or xl.cfg, must be utf-8", f->path);
    read_fails(f, NULL, XLV_ERR_INVAL, msg);
    /* A NUL byte is refused with overrides as without. */
    put(f, nul, sizeof(nul) - 1);
    snprintf(msg, sizeof(msg), "%s: xl.cfg text holds a NUL byte at "
             "offset 21", f->path);
    read_fails(f, NULL, XLV_ERR_CONFIG, msg);
    read_fails(f, overrides, XLV_ERR_CONFIG, msg);
    /* Malformed XML stays an XML error. */
    put(f, "  <domain", 9);
    assert_int_equal(xlv_domain_from_file(f->ctx, &dom, f->path, NULL, 0),
                     XLV_ERR_XML);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_xml_by_content, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_xlcfg_by_content, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_overrides_win, setup, teardown),
        cmocka_unit_test_setup_teardown(test_override_refusals, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
