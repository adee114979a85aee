/*
 * The conversion commands: domxml-to-native, domxml-from-native.
 */
#include <stdlib.h>
#include <string.h>

#include "xlvcpu.h"

/* The native format argument: only xl.cfg is spoken. */
static int check_format(const struct command *cmd, const char *format)
{
    if (strcmp(format, "xen-xl"))
        return usage_error(cmd, "format '%s' is not supported: use 'xen-xl'",
                           format);
    return EXIT_OK;
}

int cmd_domxml_to_native(xlv_ctx *ctx, const global_opts *g, int argc,
                         char **argv, const struct command *cmd)
{
    xlv_domain *dom = NULL;
    char *cfg = NULL;
    int status;

    (void)g;
    if (argc != 3)
        return usage_error(cmd, "expected a format and one FILE.xml");
    status = check_format(cmd, argv[1]);
    if (status)
        return status;
    if (xlv_domain_from_xml_file(ctx, &dom, argv[2], 0) ||
        xlv_domain_to_xlcfg(ctx, &cfg, dom, 0)) {
        status = report_error(ctx, cmd);
        goto out;
    }
    status = print_output(cmd, cfg);
 out:
    free(cfg);
    xlv_domain_free(dom);
    return status;
}

int cmd_domxml_from_native(xlv_ctx *ctx, const global_opts *g, int argc,
                           char **argv, const struct command *cmd)
{
    xlv_domain *dom = NULL;
    char *xml = NULL;
    int status;

    (void)g;
    if (argc != 3)
        return usage_error(cmd, "expected a format and one FILE.cfg");
    status = check_format(cmd, argv[1]);
    if (status)
        return status;
    if (xlv_domain_from_xlcfg_file(ctx, &dom, argv[2], 0) ||
        xlv_domain_to_xml(ctx, &xml, dom, 0)) {
        status = report_error(ctx, cmd);
        goto out;
    }
    status = print_output(cmd, xml);
 out:
    free(xml);
    xlv_domain_free(dom);
    return status;
}
