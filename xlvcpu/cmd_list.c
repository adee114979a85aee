/*
 * Looking at domains: list, vcpu-list, dumpxml.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlvcpu.h"

/* A JSON string: names and affinities are plain, but quote safely. */
static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

int cmd_list(xlv_ctx *ctx, const global_opts *g, int argc, char **argv,
             const struct command *cmd)
{
    xlv_domain_entry_list *list = NULL;
    xlv_conn *conn = NULL;
    unsigned int flags = 0, i;
    int status;

    if (argc == 2 && !strcmp(argv[1], "--all"))
        flags = XLV_LIST_ALL;
    else if (argc != 1)
        return usage_error(cmd, "unexpected argument '%s'", argv[1]);
    status = open_connection(ctx, g, cmd, &conn);
    if (status)
        return status;
    if (xlv_domain_list(ctx, conn, &list, flags)) {
        status = report_error(ctx, cmd);
        goto out;
    }
    if (g->json)
        printf("[");
    else
        printf("%-5s %-32s %-10s %5s %5s %s\n", "Id", "Name", "State",
               "vCPUs", "Max", "Persistent");
    for (i = 0; i < xlv_domain_entry_list_length(list); i++) {
        const xlv_domain_entry *e = xlv_domain_entry_list_get(list, i);
        const char *name = xlv_domain_entry_get_name(e);
        int domid = xlv_domain_entry_get_domid(e);
        unsigned int vcpus = xlv_domain_entry_get_vcpus(e);
        unsigned int max = xlv_domain_entry_get_max_vcpus(e);
        bool persistent = xlv_domain_entry_is_persistent(e);

        if (g->json) {
            printf("%s{\"name\": ", i ? ", " : "");
            json_string(name);
            printf(", \"id\": %d, \"state\": \"%s\", \"vcpus\": %u, "
                   "\"max_vcpus\": %u, \"persistent\": %s}",
                   domid, domid >= 0 ? "running" : "shut off", vcpus, max,
                   persistent ? "true" : "false");
        } else if (domid >= 0) {
            printf("%-5d %-32s %-10s %5u %5u %s\n", domid, name, "running",
                   vcpus, max, persistent ? "yes" : "no");
        } else {
            printf("%-5s %-32s %-10s %5u %5u %s\n", "-", name, "shut off",
                   vcpus, max, "yes");
        }
    }
    if (g->json)
        printf("]\n");
    status = EXIT_OK;
 out:
    xlv_domain_entry_list_free(list);
    xlv_conn_close(conn);
    return status;
}

int cmd_vcpu_list(xlv_ctx *ctx, const global_opts *g, int argc, char **argv,
                  const struct command *cmd)
{
    xlv_vcpu_info_list *list = NULL;
    xlv_conn *conn = NULL;
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
    if (g->json)
        printf("[");
    else
        printf("%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU",
               "State", "Time(s)", "Affinity (Hard / Soft)");
    for (i = 0; i < xlv_vcpu_info_list_length(list); i++) {
        const xlv_vcpu_info *v = xlv_vcpu_info_list_get(list, i);
        const char *name = xlv_vcpu_info_get_domain_name(v);
        const char *hard = xlv_vcpu_info_get_hard_affinity(v);
        const char *soft = xlv_vcpu_info_get_soft_affinity(v);
        unsigned int domid = xlv_vcpu_info_get_domid(v);
        unsigned int vcpu = xlv_vcpu_info_get_vcpu(v);
        int cpu = xlv_vcpu_info_get_cpu(v);
        bool online = xlv_vcpu_info_is_online(v);
        bool running = xlv_vcpu_info_is_running(v);
        bool blocked = xlv_vcpu_info_is_blocked(v);
        double time_s = xlv_vcpu_info_get_time(v);

        if (g->json) {
            printf("%s{\"name\": ", i ? ", " : "");
            json_string(name);
            printf(", \"id\": %u, \"vcpu\": %u, \"cpu\": %d, \"online\": %s, "
                   "\"running\": %s, \"blocked\": %s, \"time\": %.1f, "
                   "\"hard\": ", domid, vcpu, cpu, online ? "true" : "false",
                   running ? "true" : "false", blocked ? "true" : "false",
                   time_s);
            json_string(hard);
            printf(", \"soft\": ");
            json_string(soft);
            printf("}");
            continue;
        }
        /* Byte for byte as xl vcpu-list, which prints no space before
         * the CPU column. */
        printf("%-32s %5u %5u", name, domid, vcpu);
        if (online)
            printf("%5d %3c%c- ", cpu, running ? 'r' : '-',
                   blocked ? 'b' : '-');
        else
            printf("%5c %3c%cp ", '-', '-', '-');
        printf("%9.1f  %s / %s\n", time_s, hard, soft);
    }
    if (g->json)
        printf("]\n");
    status = EXIT_OK;
 out:
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
