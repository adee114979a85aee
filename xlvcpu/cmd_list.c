/*
 * Looking at domains: list, vcpu-list, dumpxml.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "xlvcpu.h"

/* A listing being printed: one JSON array (--json), else a table. */
typedef struct {
    json_out *j;                /* NULL for the table */
} listing;

/* Start L: the JSON array, or the table's HEADER line. */
static int listing_begin(const global_opts *g, const struct command *cmd,
                         listing *l, const char *header)
{
    int status;

    l->j = NULL;
    if (!g->json) {
        fputs(header, stdout);
        return EXIT_OK;
    }
    status = json_start(cmd, &l->j);
    if (status)
        return status;
    json_array_open(l->j);
    return EXIT_OK;
}

/* End L, printing the JSON it holds. */
static int listing_end(listing *l, const struct command *cmd)
{
    int status = EXIT_OK;

    if (l->j) {
        json_array_close(l->j);
        status = json_print(l->j, cmd);
        json_free(l->j);
        l->j = NULL;
    }
    return status;
}

/* One domain of "list --json". */
static void list_json(json_out *j, const xlv_domain_entry *e)
{
    int domid = xlv_domain_entry_get_domid(e);

    json_map_open(j);
    json_member_string(j, "name", xlv_domain_entry_get_name(e));
    json_member_int(j, "id", domid);
    json_member_string(j, "state", domid >= 0 ? "running" : "shut off");
    json_member_int(j, "vcpus", xlv_domain_entry_get_vcpus(e));
    json_member_int(j, "max_vcpus", xlv_domain_entry_get_max_vcpus(e));
    json_member_bool(j, "persistent", xlv_domain_entry_is_persistent(e));
    json_member_bool(j, "autostart", xlv_domain_entry_is_autostart(e));
    json_map_close(j);
}

/* One domain of "list", as a row. */
static void list_row(const xlv_domain_entry *e)
{
    const char *name = xlv_domain_entry_get_name(e);
    int domid = xlv_domain_entry_get_domid(e);
    unsigned int vcpus = xlv_domain_entry_get_vcpus(e);
    unsigned int max = xlv_domain_entry_get_max_vcpus(e);
    bool persistent = xlv_domain_entry_is_persistent(e);

    if (domid >= 0)
        printf("%-5d %-32s %-10s %5u %5u %s\n", domid, name, "running",
               vcpus, max, persistent ? "yes" : "no");
    else
        printf("%-5s %-32s %-10s %5u %5u %s\n", "-", name, "shut off",
               vcpus, max, "yes");
}

int cmd_list(xlv_ctx *ctx, const global_opts *g, int argc, char **argv,
             const struct command *cmd)
{
    xlv_domain_entry_list *list = NULL;
    listing l = { NULL };
    xlv_conn *conn = NULL;
    unsigned int flags = 0, i;
    bool autostart = false;
    char header[128];
    int status;

    for (i = 1; i < (unsigned int)argc; i++) {
        if (!strcmp(argv[i], "--all"))
            flags = XLV_LIST_ALL;
        else if (!strcmp(argv[i], "--autostart"))
            autostart = true;
        else
            return usage_error(cmd, "unexpected argument '%s'", argv[i]);
    }
    /* The marked domains, running or not. */
    if (autostart)
        flags = XLV_LIST_ALL;
    status = open_connection(ctx, g, cmd, &conn);
    if (status)
        return status;
    if (xlv_domain_list(ctx, conn, &list, flags)) {
        status = report_error(ctx, cmd);
        goto out;
    }
    snprintf(header, sizeof(header), "%-5s %-32s %-10s %5s %5s %s\n", "Id",
             "Name", "State", "vCPUs", "Max", "Persistent");
    status = listing_begin(g, cmd, &l, header);
    if (status) goto out;
    for (i = 0; i < xlv_domain_entry_list_length(list); i++) {
        const xlv_domain_entry *e = xlv_domain_entry_list_get(list, i);

        if (autostart && !xlv_domain_entry_is_autostart(e))
            continue;
        if (l.j)
            list_json(l.j, e);
        else
            list_row(e);
    }
    status = listing_end(&l, cmd);
 out:
    json_free(l.j);
    xlv_domain_entry_list_free(list);
    xlv_conn_close(conn);
    return status;
}

/* One vCPU of "vcpu-list --json". */
static void vcpu_json(json_out *j, const xlv_vcpu_info *v)
{
    json_map_open(j);
    json_member_string(j, "name", xlv_vcpu_info_get_domain_name(v));
    json_member_int(j, "id", xlv_vcpu_info_get_domid(v));
    json_member_int(j, "vcpu", xlv_vcpu_info_get_vcpu(v));
    json_member_int(j, "cpu", xlv_vcpu_info_get_cpu(v));
    json_member_bool(j, "online", xlv_vcpu_info_is_online(v));
    json_member_bool(j, "running", xlv_vcpu_info_is_running(v));
    json_member_bool(j, "blocked", xlv_vcpu_info_is_blocked(v));
    json_string(j, "time");
    json_fixed(j, xlv_vcpu_info_get_time(v), 1);
    json_member_string(j, "hard", xlv_vcpu_info_get_hard_affinity(v));
    json_member_string(j, "soft", xlv_vcpu_info_get_soft_affinity(v));
    json_map_close(j);
}

/* One vCPU of "vcpu-list", byte for byte as xl vcpu-list prints it (no
 * space before the CPU column). */
static void vcpu_row(const xlv_vcpu_info *v)
{
    int cpu = xlv_vcpu_info_get_cpu(v);
    bool running = xlv_vcpu_info_is_running(v);
    bool blocked = xlv_vcpu_info_is_blocked(v);

    printf("%-32s %5u %5u", xlv_vcpu_info_get_domain_name(v),
           xlv_vcpu_info_get_domid(v), xlv_vcpu_info_get_vcpu(v));
    if (xlv_vcpu_info_is_online(v))
        printf("%5d %3c%c- ", cpu, running ? 'r' : '-',
               blocked ? 'b' : '-');
    else
        printf("%5c %3c%cp ", '-', '-', '-');
    printf("%9.1f  %s / %s\n", xlv_vcpu_info_get_time(v),
           xlv_vcpu_info_get_hard_affinity(v),
           xlv_vcpu_info_get_soft_affinity(v));
}

int cmd_vcpu_list(xlv_ctx *ctx, const global_opts *g, int argc, char **argv,
                  const struct command *cmd)
{
    xlv_vcpu_info_list *list = NULL;
    listing l = { NULL };
    xlv_conn *conn = NULL;
    char header[128];
    unsigned int i;
    int status;

    status = open_connection(ctx, g, cmd, &conn);
    if (status)
        return status;
    if (xlv_vcpu_list(ctx, conn, &list, (const char *const *)argv + 1,
                      (unsigned int)argc - 1, 0)) {
        status = report_error(ctx, cmd);
        goto out;
    }
    snprintf(header, sizeof(header), "%-32s %5s %5s %5s %5s %9s %s\n",
             "Name", "ID", "VCPU", "CPU", "State", "Time(s)",
             "Affinity (Hard / Soft)");
    status = listing_begin(g, cmd, &l, header);
    if (status) goto out;
    for (i = 0; i < xlv_vcpu_info_list_length(list); i++) {
        const xlv_vcpu_info *v = xlv_vcpu_info_list_get(list, i);

        if (l.j)
            vcpu_json(l.j, v);
        else
            vcpu_row(v);
    }
    status = listing_end(&l, cmd);
 out:
    json_free(l.j);
    xlv_vcpu_info_list_free(list);
    xlv_conn_close(conn);
    return status;
}

int cmd_dumpxml(xlv_ctx *ctx, const global_opts *g, int argc, char **argv,
                const struct command *cmd)
{
    xlv_conn *conn = NULL;
    unsigned int flags = 0;
    const char *dom = NULL;
    char *xml = NULL;
    int status, i;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--inactive"))
            flags |= XLV_XML_INACTIVE;
        else if (argv[i][0] == '-' && argv[i][1])
            return usage_error(cmd, "unknown option '%s'", argv[i]);
        else if (dom)
            return usage_error(cmd, "expected one domain");
        else
            dom = argv[i];
    }
    if (!dom)
        return usage_error(cmd, "expected one domain");
    status = open_connection(ctx, g, cmd, &conn);
    if (status)
        return status;
    if (xlv_domain_get_xml(ctx, conn, &xml, dom, flags))
        status = report_error(ctx, cmd);
    else
        status = print_output(cmd, xml);
    free(xml);
    xlv_conn_close(conn);
    return status;
}
