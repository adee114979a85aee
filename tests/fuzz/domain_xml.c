/*
 * Fuzz target: domain XML -> model -> libxl config and JSON -> XML.
 *
 * Invariants: a document that parses converts to libxl and to XML; the
 * XML we write parses again and gives the same XML, the same libxl JSON
 * and the same vCPU counts and online map (a fixed point after one
 * trip).  "The same XML" is up to blanks between tags: where an element
 * holds stray text among its children (mixed content), libxml2 neither
 * indents nor drops the blanks there the same way on every trip, and
 * such blanks mean nothing to a domain.  Every refusal carries a one-line
 * message.
 */
#include <stdint.h>

#include <libxl.h>

#include "fuzz.h"

/* JSON of DOM; aborts unless it converts. */
static char *to_json(xlv_ctx *ctx, const xlv_domain *dom)
{
    libxl_domain_config cfg;
    char *json = NULL;
    int rc;

    libxl_domain_config_init(&cfg);
    rc = xlv_domain_to_libxl(ctx, &cfg, dom, 0);
    libxl_domain_config_dispose(&cfg);
    if (rc)
        fuzz_fail("parsed domain does not convert to libxl",
                  xlv_ctx_error(ctx));
    rc = xlv_domain_to_libxl_json(ctx, &json, dom, 0);
    if (rc)
        fuzz_fail("parsed domain has no libxl json", xlv_ctx_error(ctx));
    return json;
}

/* S without the runs of blanks that lie between a '>' and a '<'. */
static char *without_blanks_between_tags(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    const char *p = s, *q;

    if (!out)
        fuzz_fail("out of memory", NULL);
    while (*p) {
        *o++ = *p;
        if (*p++ != '>')
            continue;
        for (q = p; *q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'; q++)
            ;
        if (*q == '<')
            p = q;
    }
    *o = '\0';
    return out;
}

static void same_xml(const char *a, const char *b)
{
    char *na, *nb;

    if (!strcmp(a, b))
        return;
    na = without_blanks_between_tags(a);
    nb = without_blanks_between_tags(b);
    if (strcmp(na, nb))
        fuzz_fail("written XML is not a fixed point", NULL);
    free(na);
    free(nb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xlv_ctx *ctx = fuzz_ctx();
    xlv_domain *dom = NULL, *again = NULL;
    char *xml = NULL, *xml2 = NULL, *json = NULL, *json2 = NULL;
    int rc;

    rc = xlv_domain_from_xml(ctx, &dom, (const char *)data, size, "fuzz",
                             0);
    if (rc) {
        fuzz_check_error(ctx, rc);
        goto out;
    }
    json = to_json(ctx, dom);
    rc = xlv_domain_to_xml(ctx, &xml, dom, 0);
    if (rc)
        fuzz_fail("parsed domain does not write as XML", xlv_ctx_error(ctx));

    rc = xlv_domain_from_xml(ctx, &again, xml, strlen(xml), "again", 0);
    if (rc)
        fuzz_fail("written XML does not parse", xlv_ctx_error(ctx));
    fuzz_same_vcpus(dom, again, "through XML");
    json2 = to_json(ctx, again);
    if (strcmp(json, json2))
        fuzz_fail("libxl json changed through XML", NULL);
    rc = xlv_domain_to_xml(ctx, &xml2, again, 0);
    if (rc)
        fuzz_fail("reparsed domain does not write as XML",
                  xlv_ctx_error(ctx));
    same_xml(xml, xml2);
 out:
    free(json2);
    free(json);
    free(xml2);
    free(xml);
    xlv_domain_free(again);
    xlv_domain_free(dom);
    return 0;
}
