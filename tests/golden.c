/*
 * Data-driven conversion tests (libvirt's libxlxml2domconfigtest style):
 *
 *   data/convert/<case>.xml  → <case>.json (libxl JSON) and <case>.cfg
 *   data/native/<case>.cfg   → <case>.xml
 *   data/bad/<case>.xml|cfg  → refused with the one-line message <case>.err
 *
 * and round trips on every convertible document here and in
 * domain-configs/: XML → cfg → XML keeps the vCPU facts, and cfg → XML →
 * cfg gives the same cfg.  XLV_TEST_REGENERATE=1 rewrites the expected
 * files instead of comparing (review the diff before committing).
 *
 * usage: golden TOPDIR   (the source tree)
 */
#include <unistd.h>

#include "testutil.h"

static bool regenerate;

static void expect_text(tally *t, const char *what, const char *path,
                        const char *got)
{
    char *want;

    if (regenerate) {
        if (t_write(path, got))
            t_fail(t, what, "cannot write %s", path);
        else
            t_pass(t, what);
        return;
    }
    want = t_slurp(path);
    if (!want) {
        t_fail(t, what, "missing %s", path);
        return;
    }
    if (strcmp(want, got))
        t_fail(t, what, "output differs from %s:\n--- got ---\n%s---", path,
               got);
    else
        t_pass(t, what);
    free(want);
}

static void expect_json(tally *t, const char *what, const char *path,
                        const char *got)
{
    yajl_val a = NULL, b = NULL;
    char where[512] = "", err[256];
    char *want;

    if (regenerate) {
        expect_text(t, what, path, got);
        return;
    }
    want = t_slurp(path);
    if (!want) {
        t_fail(t, what, "missing %s", path);
        return;
    }
    a = yajl_tree_parse(want, err, sizeof(err));
    b = yajl_tree_parse(got, err, sizeof(err));
    if (!a || !b)
        t_fail(t, what, "unparsable json: %s", err);
    else if (!t_json_equal(a, b, where, sizeof(where)))
        t_fail(t, what, "json differs from %s at %s:\n%s", path, where, got);
    else
        t_pass(t, what);
    yajl_tree_free(a);
    yajl_tree_free(b);
    free(want);
}

static char *path_of(const char *dir, const char *name, const char *ext)
{
    size_t n = strlen(dir) + strlen(name) + strlen(ext) + 2;
    char *p = malloc(n);
    const char *dot = strrchr(name, '.');

    snprintf(p, n, "%s/%.*s%s", dir, (int)(dot - name), name, ext);
    return p;
}

/* XML → cfg → XML keeps the vCPU facts; the cfg is a fixed point. */
static void roundtrip_xml(tally *t, xlv_ctx *ctx, const char *what,
                          const xlv_domain *dom)
{
    xlv_domain *back = NULL, *again = NULL;
    char *cfg = NULL, *cfg2 = NULL, *xml = NULL;
    char why[256];

    if (xlv_domain_to_xlcfg(ctx, &cfg, dom, 0) ||
        xlv_domain_from_xlcfg(ctx, &back, cfg, strlen(cfg), what, 0) ||
        xlv_domain_to_xml(ctx, &xml, back, 0) ||
        xlv_domain_from_xml(ctx, &again, xml, strlen(xml), what, 0) ||
        xlv_domain_to_xlcfg(ctx, &cfg2, again, 0)) {
        t_fail(t, what, "round trip failed: %s", xlv_ctx_error(ctx));
        goto out;
    }
    if (!t_vcpu_facts_equal(dom, back, why, sizeof(why)))
        t_fail(t, what, "xml -> cfg -> xml: %s", why);
    else if (!t_vcpu_facts_equal(dom, again, why, sizeof(why)))
        t_fail(t, what, "xml -> cfg -> xml -> xml: %s", why);
    else if (strcmp(cfg, cfg2))
        t_fail(t, what, "cfg -> xml -> cfg changed the cfg:\n%s---\n%s", cfg,
               cfg2);
    else
        t_pass(t, what);
 out:
    free(cfg);
    free(cfg2);
    free(xml);
    xlv_domain_free(back);
    xlv_domain_free(again);
}

static void run_convert(tally *t, xlv_ctx *ctx, const char *dir,
                        bool outputs)
{
    unsigned int n, i;
    char **names = t_list(dir, ".xml", &n);

    for (i = 0; i < n; i++) {
        char *xml = path_of(dir, names[i], ".xml");
        char *jpath = path_of(dir, names[i], ".json");
        char *cpath = path_of(dir, names[i], ".cfg");
        char what[300];
        xlv_domain *dom = NULL;
        char *json = NULL, *cfg = NULL;

        snprintf(what, sizeof(what), "%s", names[i]);
        if (xlv_domain_from_xml_file(ctx, &dom, xml, 0)) {
            t_fail(t, what, "refused: %s", xlv_ctx_error(ctx));
            goto next;
        }
        if (outputs) {
            if (xlv_domain_to_libxl_json(ctx, &json, dom, 0))
                t_fail(t, what, "json: %s", xlv_ctx_error(ctx));
            else
                expect_json(t, jpath, jpath, json);
            if (xlv_domain_to_xlcfg(ctx, &cfg, dom, 0))
                t_fail(t, what, "cfg: %s", xlv_ctx_error(ctx));
            else
                expect_text(t, cpath, cpath, cfg);
        }
        roundtrip_xml(t, ctx, xml, dom);
 next:
        xlv_domain_free(dom);
        free(json);
        free(cfg);
        free(xml);
        free(jpath);
        free(cpath);
    }
    t_free_list(names, n);
}

/* cfg → XML, then cfg → XML → cfg gives the same cfg twice over. */
static void run_native(tally *t, xlv_ctx *ctx, const char *dir)
{
    unsigned int n, i;
    char **names = t_list(dir, ".cfg", &n);

    for (i = 0; i < n; i++) {
        char *cfgp = path_of(dir, names[i], ".cfg");
        char *xmlp = path_of(dir, names[i], ".xml");
        xlv_domain *dom = NULL, *back = NULL;
        char *xml = NULL, *cfg = NULL;
        char why[256];

        if (xlv_domain_from_xlcfg_file(ctx, &dom, cfgp, 0) ||
            xlv_domain_to_xml(ctx, &xml, dom, 0)) {
            t_fail(t, cfgp, "refused: %s", xlv_ctx_error(ctx));
            goto next;
        }
        expect_text(t, xmlp, xmlp, xml);
        if (xlv_domain_from_xml(ctx, &back, xml, strlen(xml), xmlp, 0) ||
            xlv_domain_to_xlcfg(ctx, &cfg, back, 0)) {
            t_fail(t, cfgp, "cfg -> xml -> cfg: %s", xlv_ctx_error(ctx));
            goto next;
        }
        if (!t_vcpu_facts_equal(dom, back, why, sizeof(why)))
            t_fail(t, cfgp, "cfg -> xml -> model: %s", why);
        else
            t_pass(t, cfgp);
        roundtrip_xml(t, ctx, cfgp, back);
 next:
        xlv_domain_free(dom);
        xlv_domain_free(back);
        free(xml);
        free(cfg);
        free(cfgp);
        free(xmlp);
    }
    t_free_list(names, n);
}

static void run_bad_ext(tally *t, xlv_ctx *ctx, const char *dir,
                        const char *ext)
{
    unsigned int n, i;
    char **names = t_list(dir, ext, &n);

    for (i = 0; i < n; i++) {
        char *in = path_of(dir, names[i], ext);
        char *errp = path_of(dir, names[i], ".err");
        xlv_domain *dom = NULL;
        int rc;

        rc = !strcmp(ext, ".xml") ? xlv_domain_from_xml_file(ctx, &dom, in, 0)
                                  : xlv_domain_from_xlcfg_file(ctx, &dom, in,
                                                               0);
        if (!rc) {
            t_fail(t, in, "accepted, but must be refused");
        } else if (strchr(xlv_ctx_error(ctx), '\n')) {
            t_fail(t, in, "message is not one line");
        } else {
            char msg[600];

            snprintf(msg, sizeof(msg), "%s\n", xlv_ctx_error(ctx));
            expect_text(t, errp, errp, msg);
        }
        xlv_domain_free(dom);
        free(in);
        free(errp);
    }
    t_free_list(names, n);
}

/*
 * Every expectation file in DIR with extension EXT has an input beside it
 * (IN1 or IN2): an expectation whose input was renamed or removed would
 * otherwise be skipped in silence.
 */
static void check_orphans(tally *t, const char *dir, const char *ext,
                          const char *in1, const char *in2)
{
    unsigned int n, i;
    char **names = t_list(dir, ext, &n);

    for (i = 0; i < n; i++) {
        char *exp = path_of(dir, names[i], ext);
        char *a = path_of(dir, names[i], in1);
        char *b = in2 ? path_of(dir, names[i], in2) : NULL;

        if (access(a, F_OK) && (!b || access(b, F_OK)))
            t_fail(t, exp, "has no input %s%s%s beside it", a,
                   b ? " or " : "", b ? b : "");
        else
            t_pass(t, exp);
        free(exp);
        free(a);
        free(b);
    }
    t_free_list(names, n);
}

int main(int argc, char **argv)
{
    tally t = { 0, 0, "golden" };
    xlv_ctx *ctx = NULL;
    char dir[4096];

    if (argc != 2) {
        fprintf(stderr, "usage: golden TOPDIR\n");
        return 2;
    }
    regenerate = getenv("XLV_TEST_REGENERATE") != NULL;
    /* Relative paths, so that messages naming files do not depend on
     * where the tree is. */
    if (chdir(argv[1])) {
        perror(argv[1]);
        return 2;
    }
    if (xlv_ctx_new(&ctx, NULL, 0))
        return 1;
    snprintf(dir, sizeof(dir), "tests/data/convert");
    run_convert(&t, ctx, dir, true);
    check_orphans(&t, dir, ".json", ".xml", NULL);
    check_orphans(&t, dir, ".cfg", ".xml", NULL);
    snprintf(dir, sizeof(dir), "tests/data/native");
    run_native(&t, ctx, dir);
    check_orphans(&t, dir, ".xml", ".cfg", NULL);
    snprintf(dir, sizeof(dir), "tests/data/bad");
    run_bad_ext(&t, ctx, dir, ".xml");
    run_bad_ext(&t, ctx, dir, ".cfg");
    check_orphans(&t, dir, ".err", ".xml", ".cfg");
    snprintf(dir, sizeof(dir), "domain-configs");
    t.suite = "examples";
    /* Their .cfg twins must be exactly what we write: the round trip
     * through them is then the one roundtrip_xml() checks. */
    run_convert(&t, ctx, dir, true);
    check_orphans(&t, dir, ".json", ".xml", NULL);
    check_orphans(&t, dir, ".cfg", ".xml", NULL);
    xlv_ctx_free(ctx);
    printf("golden: %u passed, %u failed\n", t.passed, t.failed);
    return t.failed ? 1 : 0;
}
