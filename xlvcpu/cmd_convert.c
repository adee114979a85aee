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

typedef int (*domain_reader)(xlv_ctx *ctx, xlv_domain **dom_r,
                             const char *path, unsigned int flags);
typedef int (*domain_writer)(xlv_ctx *ctx, char **text_r,
                             const xlv_domain *dom, unsigned int flags);

/* Read the domain in PATH with FROM and give it back as TO writes it. */
static int convert_file(xlv_ctx *ctx, char **text_r, const char *path,
                        domain_reader from, domain_writer to)
{
    xlv_domain *dom = NULL;
    int rc;

    rc = from(ctx, &dom, path, 0);
    if (rc) goto out;
    rc = to(ctx, text_r, dom, 0);
 out:
    xlv_domain_free(dom);
    return rc;
}

/* Both directions take a format and a FILE (a FILE_KIND one). */
static int convert(xlv_ctx *ctx, int argc, char **argv,
                   const struct command *cmd, const char *file_kind,
                   domain_reader from, domain_writer to)
{
    char *text = NULL;
    int status;

    if (argc != 3)
        return usage_error(cmd, "expected a format and one FILE.%s",
                           file_kind);
    status = check_format(cmd, argv[1]);
    if (status)
        return status;
    if (convert_file(ctx, &text, argv[2], from, to))
        status = report_error(ctx, cmd);
    else
        status = print_output(cmd, text);
    free(text);
    return status;
}

int cmd_domxml_to_native(xlv_ctx *ctx, const global_opts *g, int argc,
                         char **argv, const struct command *cmd)
{
    (void)g;
    return convert(ctx, argc, argv, cmd, "xml", xlv_domain_from_xml_file,
                   xlv_domain_to_xlcfg);
}

int cmd_domxml_from_native(xlv_ctx *ctx, const global_opts *g, int argc,
                           char **argv, const struct command *cmd)
{
    (void)g;
    return convert(ctx, argc, argv, cmd, "cfg", xlv_domain_from_xlcfg_file,
                   xlv_domain_to_xml);
}
