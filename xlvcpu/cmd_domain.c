/*
 * Defining and starting domains: define, undefine, start, create.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlvcpu.h"

/* Usage: "FILE [KEY=VALUE...]", checked before any file is read. */
static int check_file_args(const struct command *cmd, int argc, char **argv)
{
    int i;

    if (argc < 2)
        return usage_error(cmd, "expected a domain FILE");
    for (i = 2; i < argc; i++) {
        if (!strchr(argv[i], '='))
            return usage_error(cmd, "expected KEY=VALUE settings after "
                               "FILE, not '%s'", argv[i]);
    }
    return EXIT_OK;
}

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

    status = check_file_args(cmd, argc, argv);
    if (status)
        return status;
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

static int by_name(const void *a, const void *b)
{
    const xlv_domain_entry *const *ea = a, *const *eb = b;

    return strcmp(xlv_domain_entry_get_name(*ea),
                  xlv_domain_entry_get_name(*eb));
}

/*
 * "start --autostart": every marked domain that is not running, in name
 * order, each reported as "start DOM" reports it; a failure does not stop
 * the others.  Safe to run again: a running one is only mentioned.
 */
static int start_marked(xlv_ctx *ctx, const global_opts *g,
                        const struct command *cmd, xlv_conn *conn)
{
    xlv_domain_entry_list *list = NULL;
    const xlv_domain_entry **marked = NULL;
    unsigned int n = 0, i, started = 0, running = 0, failed = 0, domid;
    int status, rc;

    if (xlv_domain_list(ctx, conn, &list, XLV_LIST_ALL)) {
        status = report_error(ctx, cmd);
        goto out;
    }
    marked = calloc(xlv_domain_entry_list_length(list) + 1, sizeof(*marked));
    if (!marked) {
        fprintf(stderr, "xlvcpu: %s: out of memory\n", cmd->name);
        status = EXIT_FAILED;
        goto out;
    }
    for (i = 0; i < xlv_domain_entry_list_length(list); i++) {
        const xlv_domain_entry *e = xlv_domain_entry_list_get(list, i);

        if (xlv_domain_entry_is_autostart(e))
            marked[n++] = e;
    }
    qsort(marked, n, sizeof(*marked), by_name);
    for (i = 0; i < n; i++) {
        const char *name = xlv_domain_entry_get_name(marked[i]);

        if (xlv_domain_entry_get_domid(marked[i]) >= 0) {
            running++;
            if (!g->quiet)
                printf("domain '%s' is already running (id %d)\n", name,
                       xlv_domain_entry_get_domid(marked[i]));
            continue;
        }
        domid = 0;
        rc = xlv_domain_start(ctx, conn, &domid, name,
                              g->dry_run ? XLV_DRY_RUN : 0);
        if (rc) {
            /* Among several, the line names the domain it is about. */
            audit(cmd, name, "boot", "live", 1, xlv_ctx_error(ctx));
            fprintf(stderr, "xlvcpu: %s: domain '%s': %s\n", cmd->name,
                    name, xlv_ctx_error(ctx));
            failed++;
            continue;
        }
        report_start(ctx, g, cmd, name, 0, domid);
        started++;
    }
    if (!g->quiet)
        printf("autostart: %u %s, %u already running, %u failed\n",
               started, g->dry_run ? "would start" : "started", running,
               failed);
    status = failed ? EXIT_FAILED : EXIT_OK;
 out:
    free(marked);
    xlv_domain_entry_list_free(list);
    return status;
}

int cmd_start(xlv_ctx *ctx, const global_opts *g, int argc, char **argv,
              const struct command *cmd)
{
    xlv_conn *conn = NULL;
    unsigned int domid = 0;
    int status, rc;

    if (argc != 2)
        return usage_error(cmd, "expected one domain name, or --autostart");
    audit_open(g);
    status = open_connection(ctx, g, cmd, &conn);
    if (status)
        return status;
    if (!strcmp(argv[1], "--autostart")) {
        status = start_marked(ctx, g, cmd, conn);
    } else {
        rc = xlv_domain_start(ctx, conn, &domid, argv[1],
                              g->dry_run ? XLV_DRY_RUN : 0);
        status = report_start(ctx, g, cmd, argv[1], rc, domid);
    }
    xlv_conn_close(conn);
    return status;
}

int cmd_autostart(xlv_ctx *ctx, const global_opts *g, int argc, char **argv,
                  const struct command *cmd)
{
    xlv_conn *conn = NULL;
    const char *name;
    bool on = true;
    int status;

    if (argc == 3 && !strcmp(argv[1], "--disable"))
        on = false;
    else if (argc != 2 || argv[1][0] == '-')
        return usage_error(cmd, "expected [--disable] and one domain name");
    name = argv[argc - 1];
    audit_open(g);
    status = open_connection(ctx, g, cmd, &conn);
    if (status)
        return status;
    if (xlv_domain_set_autostart(ctx, conn, name, on,
                                 g->dry_run ? XLV_DRY_RUN : 0)) {
        audit(cmd, name, on ? "autostart on" : "autostart off", "config", 1,
              xlv_ctx_error(ctx));
        status = report_error(ctx, cmd);
    } else if (g->dry_run) {
        printf("dry run: would %s domain '%s' for autostart\n",
               on ? "mark" : "unmark", name);
    } else {
        audit(cmd, name, on ? "autostart on" : "autostart off", "config", 0,
              NULL);
        if (!g->quiet)
            printf("domain '%s' %s\n", name, on ? "marked for autostart"
                                               : "unmarked for autostart");
    }
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

    status = check_file_args(cmd, argc, argv);
    if (status)
        return status;
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
