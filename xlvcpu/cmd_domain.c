/*
 * Defining and starting domains: define, undefine, start, create.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlvcpu.h"

/* The domain of ARGV[1], XML or xl.cfg, with the xl.cfg overrides that
 * follow it to the NULL that ends ARGV. */
static int read_domain_file(xlv_ctx *ctx, xlv_domain **dom_r, char **argv)
{
    return xlv_domain_from_file(ctx, dom_r, argv[1],
                                (const char *const *)argv + 2, 0);
}

int cmd_define(xlv_ctx *ctx, const global_opts *g, int argc, char **argv,
               const struct command *cmd)
{
    xlv_domain *dom = NULL;
    xlv_conn *conn = NULL;
    int status;

    if (argc < 2)
        return usage_error(cmd, "expected a domain FILE");
    if (read_domain_file(ctx, &dom, argv)) {
        status = report_error(ctx, cmd);
        goto out;
    }
    audit_open(g);
    status = open_connection(ctx, g, cmd, &conn);
    if (status)
        goto out;
    if (xlv_domain_define(ctx, conn, dom, g->dry_run ? XLV_DRY_RUN : 0)) {
        audit(cmd, xlv_domain_get_name(dom), "store definition", "config",
              1, xlv_ctx_error(ctx));
        status = report_error(ctx, cmd);
        goto out;
    }
    if (g->dry_run) {
        printf("dry run: would define domain '%s' (%u of %u vcpus)\n",
               xlv_domain_get_name(dom), xlv_domain_get_current_vcpus(dom),
               xlv_domain_get_max_vcpus(dom));
    } else {
        audit(cmd, xlv_domain_get_name(dom), "store definition", "config",
              0, NULL);
        if (!g->quiet)
            printf("domain '%s' defined\n", xlv_domain_get_name(dom));
    }
    status = EXIT_OK;
 out:
    xlv_conn_close(conn);
    xlv_domain_free(dom);
    return status;
}

int cmd_undefine(xlv_ctx *ctx, const global_opts *g, int argc, char **argv,
                 const struct command *cmd)
{
    xlv_conn *conn = NULL;
    int status;

    if (argc != 2)
        return usage_error(cmd, "expected one domain name");
    audit_open(g);
    status = open_connection(ctx, g, cmd, &conn);
    if (status)
        return status;
    if (xlv_domain_undefine(ctx, conn, argv[1],
                            g->dry_run ? XLV_DRY_RUN : 0)) {
        audit(cmd, argv[1], "remove definition", "config", 1,
              xlv_ctx_error(ctx));
        status = report_error(ctx, cmd);
    } else if (g->dry_run) {
        printf("dry run: would undefine domain '%s'\n", argv[1]);
    } else {
        audit(cmd, argv[1], "remove definition", "config", 0, NULL);
        if (!g->quiet)
            printf("domain '%s' undefined\n", argv[1]);
    }
    xlv_conn_close(conn);
    return status;
}

static int report_start(xlv_ctx *ctx, const global_opts *g,
                        const struct command *cmd, const char *name, int rc,
                        unsigned int domid)
{
    if (rc) {
        audit(cmd, name, "boot", "live", 1, xlv_ctx_error(ctx));
        return report_error(ctx, cmd);
    }
    if (g->dry_run) {
        printf("dry run: would start domain '%s'\n", name);
        return EXIT_OK;
    }
    audit(cmd, name, "boot", "live", 0, NULL);
    if (!g->quiet)
        printf("domain '%s' started with id %u\n", name, domid);
    return EXIT_OK;
}

int cmd_start(xlv_ctx *ctx, const global_opts *g, int argc, char **argv,
              const struct command *cmd)
{
    xlv_conn *conn = NULL;
    unsigned int domid = 0;
    int status, rc;

    if (argc != 2)
        return usage_error(cmd, "expected one domain name");
    audit_open(g);
    status = open_connection(ctx, g, cmd, &conn);
    if (status)
        return status;
    rc = xlv_domain_start(ctx, conn, &domid, argv[1],
                          g->dry_run ? XLV_DRY_RUN : 0);
    status = report_start(ctx, g, cmd, argv[1], rc, domid);
    xlv_conn_close(conn);
    return status;
}

int cmd_create(xlv_ctx *ctx, const global_opts *g, int argc, char **argv,
               const struct command *cmd)
{
    xlv_domain *dom = NULL;
    xlv_conn *conn = NULL;
    unsigned int domid = 0;
    char *json = NULL;
    int status, rc;

    if (argc < 2)
        return usage_error(cmd, "expected a domain FILE");
    if (read_domain_file(ctx, &dom, argv)) {
        status = report_error(ctx, cmd);
        goto out;
    }
    if (g->dry_run) {
        /* As "xl -N create": the libxl JSON, then a newline. */
        if (xlv_domain_to_libxl_json(ctx, &json, dom, 0)) {
            status = report_error(ctx, cmd);
            goto out;
        }
        status = print_output(cmd, json);
        if (status == EXIT_OK)
            status = print_output(cmd, "\n");
        goto out;
    }
    audit_open(g);
    status = open_connection(ctx, g, cmd, &conn);
    if (status)
        goto out;
    rc = xlv_domain_create(ctx, conn, &domid, dom, 0);
    status = report_start(ctx, g, cmd, xlv_domain_get_name(dom), rc, domid);
 out:
    free(json);
    xlv_conn_close(conn);
    xlv_domain_free(dom);
    return status;
}
