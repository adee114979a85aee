/*
 * The vCPU commands: vcpu-set, vcpu-pin, vcpucount.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "xlvcpu.h"

/* A count or vCPU id from the command line: digits only. */
static int parse_number(const char *s, unsigned int max, unsigned int *v)
{
    unsigned long long n = 0;

    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        n = n * 10 + (unsigned int)(*s - '0');
        if (n > max)
            return -1;
    }
    *v = (unsigned int)n;
    return 0;
}

static int vcpu_set_option(int opt, unsigned int *flags)
{
    if (opt == 'M')
        *flags |= XLV_VCPU_MAXIMUM;
    else if (opt == 'i')
        *flags |= XLV_VCPU_IGNORE_HOST;
    else
        return -1;
    return 0;
}

int cmd_vcpu_set(xlv_ctx *ctx, const global_opts *g, int argc, char **argv,
                 const struct command *cmd)
{
    static const struct option extra[] = {
        { "maximum", no_argument, NULL, 'M' },
        { "ignore-host", no_argument, NULL, 'i' },
        { NULL, 0, NULL, 0 },
    };
    xlv_conn *conn = NULL;
    unsigned int flags, count, old = 0;
    char change[96];
    const char *dom;
    int status;

    status = parse_scope(argc, argv, cmd, "i", extra, vcpu_set_option,
                         &flags);
    if (status)
        return status;
    if (argc - optind != 2)
        return usage_error(cmd, "expected a domain and a count");
    dom = argv[optind];
    if (parse_number(argv[optind + 1], 1u << 20, &count))
        return usage_error(cmd, "count '%.40s' is not a number",
                           argv[optind + 1]);
    if (g->dry_run)
        flags |= XLV_DRY_RUN;
    audit_open(g);
    status = open_connection(ctx, g, cmd, &conn);
    if (status)
        return status;
    if (xlv_vcpu_set(ctx, conn, &old, dom, count, flags)) {
        snprintf(change, sizeof(change), "%s -> %u",
                 flags & XLV_VCPU_MAXIMUM ? "maximum" : "vcpus", count);
        if (!g->dry_run)
            audit(cmd, dom, change, scope_name(flags), 1,
                  xlv_ctx_error(ctx));
        status = report_error(ctx, cmd);
        goto out;
    }
    snprintf(change, sizeof(change), "%s %u -> %u",
             flags & XLV_VCPU_MAXIMUM ? "maximum" : "vcpus", old, count);
    if (g->dry_run) {
        printf("dry run: would change %s of domain '%s' (%s)\n", change,
               dom, scope_name(flags));
    } else {
        audit(cmd, dom, change, scope_name(flags), 0, NULL);
    }
    status = EXIT_OK;
 out:
    xlv_conn_close(conn);
    return status;
}

static int vcpu_pin_option(int opt, unsigned int *flags)
{
    if (opt != 'f')
        return -1;
    *flags |= XLV_VCPU_FORCE;
    return 0;
}

int cmd_vcpu_pin(xlv_ctx *ctx, const global_opts *g, int argc, char **argv,
                 const struct command *cmd)
{
    static const struct option extra[] = {
        { "force", no_argument, NULL, 'f' },
        { NULL, 0, NULL, 0 },
    };
    const char *dom, *hard, *soft = NULL;
    xlv_conn *conn = NULL;
    unsigned int flags, id;
    char change[256];
    int status, vcpu;

    status = parse_scope(argc, argv, cmd, "f", extra, vcpu_pin_option,
                         &flags);
    if (status)
        return status;
    if (argc - optind != 3 && argc - optind != 4)
        return usage_error(cmd, "expected a domain, a vcpu, a hard affinity "
                           "and maybe a soft one");
    dom = argv[optind];
    if (!strcmp(argv[optind + 1], "all"))
        vcpu = XLV_VCPU_ALL;
    else if (parse_number(argv[optind + 1], 1u << 20, &id))
        return usage_error(cmd, "vcpu '%.40s' is not a number or 'all'",
                           argv[optind + 1]);
    else
        vcpu = (int)id;
    hard = argv[optind + 2];
    if (argc - optind == 4)
        soft = argv[optind + 3];
    if (g->dry_run)
        flags |= XLV_DRY_RUN;
    snprintf(change, sizeof(change), "vcpu %s hard %.80s soft %.80s",
             argv[optind + 1], hard, soft ? soft : "-");
    audit_open(g);
    status = open_connection(ctx, g, cmd, &conn);
    if (status)
        return status;
    if (xlv_vcpu_pin(ctx, conn, dom, vcpu, hard, soft, flags)) {
        if (!g->dry_run)
            audit(cmd, dom, change, scope_name(flags), 1,
                  xlv_ctx_error(ctx));
        status = report_error(ctx, cmd);
    } else if (g->dry_run) {
        printf("dry run: would pin %s of domain '%s' (%s)\n", change, dom,
               scope_name(flags));
    } else {
        audit(cmd, dom, change, scope_name(flags), 0, NULL);
    }
    xlv_conn_close(conn);
    return status;
}

/* KEY: {"config": CONFIG, "live": LIVE}, each only in the scope that
 * has it. */
static void count_json(json_out *j, const char *key, bool defined,
                       unsigned int config, bool running, unsigned int live)
{
    json_string(j, key);
    json_map_open(j);
    if (defined) {
        json_member_int(j, "config", config);
    }
    if (running) {
        json_member_int(j, "live", live);
    }
    json_map_close(j);
}

int cmd_vcpucount(xlv_ctx *ctx, const global_opts *g, int argc, char **argv,
                  const struct command *cmd)
{
    xlv_conn *conn = NULL;
    xlv_vcpu_counts *c = NULL;
    json_out *j = NULL;
    unsigned int config_max, config_cur, live_max, live_cur;
    bool defined, running;
    int status;

    if (argc != 2)
        return usage_error(cmd, "expected one domain");
    status = open_connection(ctx, g, cmd, &conn);
    if (status)
        return status;
    if (xlv_vcpu_count(ctx, conn, &c, argv[1], 0)) {
        status = report_error(ctx, cmd);
        goto out;
    }
    defined = xlv_vcpu_counts_is_defined(c);
    running = xlv_vcpu_counts_is_running(c);
    config_max = xlv_vcpu_counts_get_config_max(c);
    config_cur = xlv_vcpu_counts_get_config_current(c);
    live_max = xlv_vcpu_counts_get_live_max(c);
    live_cur = xlv_vcpu_counts_get_live_current(c);
    if (g->json) {
        status = json_start(cmd, &j);
        if (status) goto out;
        json_map_open(j);
        count_json(j, "maximum", defined, config_max, running, live_max);
        count_json(j, "current", defined, config_cur, running, live_cur);
        json_map_close(j);
        status = json_print(j, cmd);
        goto out;
    }
    /* virsh vcpucount's layout. */
    if (defined)
        printf("%-12s %-12s %3u\n", "maximum", "config", config_max);
    if (running)
        printf("%-12s %-12s %3u\n", "maximum", "live", live_max);
    if (defined)
        printf("%-12s %-12s %3u\n", "current", "config", config_cur);
    if (running)
        printf("%-12s %-12s %3u\n", "current", "live", live_cur);
    status = EXIT_OK;
 out:
    json_free(j);
    xlv_vcpu_counts_free(c);
    xlv_conn_close(conn);
    return status;
}
