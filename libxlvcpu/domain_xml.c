/*
 * The public XML entry points: read a document into a domain, write the
 * domain's document back out.
 */

#include "domain.h"

int xlv_domain_from_xml(xlv_ctx *ctx, xlv_domain **dom_r, const char *xml,
                        size_t len, const char *name, unsigned int flags)
{
    xlv_domain *dom = NULL;
    int rc;

    rc = xlv__check_flags(ctx, "from_xml", flags, 0);
    if (rc) goto out;
    rc = xlv__domain_new(ctx, &dom);
    if (rc) goto out;
    rc = xlv__xml_parse(ctx, &dom->doc, xml, len, name);
    if (rc) goto out;
    rc = xlv__domain_parse(ctx, dom);
    if (rc) goto out;

    *dom_r = dom;
    dom = NULL;
    rc = 0;
 out:
    xlv_domain_free(dom);
    return rc;
}

int xlv_domain_from_xml_file(xlv_ctx *ctx, xlv_domain **dom_r,
                             const char *path, unsigned int flags)
{
    return xlv__domain_from_file(ctx, dom_r, path, xlv_domain_from_xml,
                                 flags);
}

int xlv_domain_to_xml(xlv_ctx *ctx, char **xml_r, const xlv_domain *dom,
                      unsigned int flags)
{
    int rc;

    rc = xlv__check_flags(ctx, "to_xml", flags, 0);
    if (rc) return rc;
    return xlv__xml_serialize(ctx, xml_r, dom->doc);
}
