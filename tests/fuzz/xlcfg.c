/*
 * Fuzz target: xl.cfg text -> model -> XML, and back to xl.cfg.
 *
 * Invariants: text that parses writes as XML, which parses again with the
 * same vCPU counts and online map.  When the domain writes as xl.cfg
 * (it may refuse values xl.cfg cannot hold), that text parses again and
 * writes the same text (a fixed point after one trip).  Every refusal
 * carries a one-line message.
 */
#include <stdint.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xlv_ctx *ctx = fuzz_ctx();
    xlv_domain *dom = NULL, *from_xml = NULL, *from_cfg = NULL;
    char *xml = NULL, *cfg = NULL, *cfg2 = NULL;
    int rc;

    rc = xlv_domain_from_xlcfg(ctx, &dom, (const char *)data, size, "fuzz",
                               0);
    if (rc) {
        fuzz_check_error(ctx, rc);
        goto out;
    }
    rc = xlv_domain_to_xml(ctx, &xml, dom, 0);
    if (rc)
        fuzz_fail("parsed xl.cfg does not write as XML", xlv_ctx_error(ctx));
    rc = xlv_domain_from_xml(ctx, &from_xml, xml, strlen(xml), "xml", 0);
    if (rc)
        fuzz_fail("XML written from xl.cfg does not parse",
                  xlv_ctx_error(ctx));
    fuzz_same_vcpus(dom, from_xml, "through XML");

    rc = xlv_domain_to_xlcfg(ctx, &cfg, dom, 0);
    if (rc) {
        fuzz_check_error(ctx, rc);
        goto out;
    }
    rc = xlv_domain_from_xlcfg(ctx, &from_cfg, cfg, strlen(cfg), "cfg", 0);
    if (rc)
        fuzz_fail("written xl.cfg does not parse", xlv_ctx_error(ctx));
    fuzz_same_vcpus(dom, from_cfg, "through xl.cfg");
    rc = xlv_domain_to_xlcfg(ctx, &cfg2, from_cfg, 0);
    if (rc)
        fuzz_fail("reparsed xl.cfg does not write", xlv_ctx_error(ctx));
    if (strcmp(cfg, cfg2))
        fuzz_fail("written xl.cfg is not a fixed point", NULL);
 out:
    free(cfg2);
    free(cfg);
    free(xml);
    xlv_domain_free(from_cfg);
    xlv_domain_free(from_xml);
    xlv_domain_free(dom);
    return 0;
}
