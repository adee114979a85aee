/*
 * apply: make the vCPUs of the domains named in files look like the
 * files say, one host connection for all of them, and report what
 * changed (or, with --check, what would).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "xlvcpu.h"

/* Options of apply beside the scope: the library's flags, and ours above
 * every XLV_* flag. */
#define APPLY_CHECK (1u << 30)
#define APPLY_DIFF (1u << 31)

typedef struct {
    unsigned int changed, unchanged, failed;
} tally;

static int apply_option(int opt, unsigned int *flags)
{
    switch (opt) {
    case 'k': *flags |= APPLY_CHECK | XLV_DRY_RUN; break;
    case 'd': *flags |= APPLY_DIFF; break;
    case 'i': *flags |= XLV_VCPU_IGNORE_HOST; break;
    case 'f': *flags |= XLV_VCPU_FORCE; break;
    default: return -1;
    }
    return 0;
}

/* "what old -> new; ..." for the log, cut to fit one syslog line. */
static void change_summary(const xlv_apply_result *r, char *buf,
                           size_t size)
{
    size_t used = 0;
    unsigned int i;
    int n;

    buf[0] = '\0';
    for (i = 0; i < xlv_apply_result_length(r) && used < size; i++) {
        n = snprintf(buf + used, size - used, "%s%s %s -> %s (%s)",
                     i ? "; " : "", xlv_apply_result_get_what(r, i),
                     xlv_apply_result_get_old(r, i),
                     xlv_apply_result_get_new(r, i),
                     xlv_apply_result_get_change_scope(r, i));
        if (n < 0 || (size_t)n >= size - used) {
            snprintf(buf + size - 4, 4, "...");
            return;
        }
        used += (size_t)n;
    }
}

static void print_text(const global_opts *g, unsigned int flags,
                       const char *name, const xlv_apply_result *r)
{
    unsigned int i, n = xlv_apply_result_length(r);

    for (i = 0; (flags & APPLY_DIFF) && i < n; i++)
        printf("%s: %s: %s -> %s (%s)\n", name,
               xlv_apply_result_get_what(r, i),
               xlv_apply_result_get_old(r, i),
               xlv_apply_result_get_new(r, i),
               xlv_apply_result_get_change_scope(r, i));
    if (g->quiet)
        return;
    if (!n)
        printf("%s: unchanged (%s)\n", name, xlv_apply_result_get_scope(r));
    else
        printf("%s: %u %s %s (%s)\n", name, n,
               n == 1 ? "change" : "changes",
               flags & XLV_DRY_RUN ? "to make" : "made",
               xlv_apply_result_get_scope(r));
}

static void json_result(json_out *j, const char *file, const char *name,
                        const xlv_apply_result *r, const char *error)
{
    unsigned int i, n = r ? xlv_apply_result_length(r) : 0;

    json_map_open(j);
    json_member_string(j, "file", file);
    json_member_string(j, "name", name);
    json_member_string(j, "scope", r ? xlv_apply_result_get_scope(r) : NULL);
    json_member_bool(j, "changed", n > 0);
    json_string(j, "changes");
    json_array_open(j);
    for (i = 0; i < n; i++) {
        json_map_open(j);
        json_member_string(j, "what", xlv_apply_result_get_what(r, i));
        json_member_string(j, "old", xlv_apply_result_get_old(r, i));
        json_member_string(j, "new", xlv_apply_result_get_new(r, i));
        json_member_string(j, "scope",
                           xlv_apply_result_get_change_scope(r, i));
        json_map_close(j);
    }
    json_array_close(j);
    json_member_string(j, "error", error);
    json_map_close(j);
}

/* Apply FILE; count it in T, report it (as text, or into J). */
static void apply_file(xlv_ctx *ctx, const global_opts *g,
                       const struct command *cmd, xlv_conn *conn,
                       const char *file, unsigned int flags, json_out *j,
                       tally *t)
{
    unsigned int lib_flags = flags & ~(APPLY_CHECK | APPLY_DIFF);
    xlv_apply_result *r = NULL;
    xlv_domain *dom = NULL;
    const char *name = NULL;
    char log[512];

    if (xlv_domain_from_file(ctx, &dom, file, NULL, 0)) {
        t->failed++;
        if (j)
            json_result(j, file, NULL, NULL, xlv_ctx_error(ctx));
        else
            print_error_line("xlvcpu: %s: %s", cmd->name,
                             xlv_ctx_error(ctx));
        return;
    }
    name = xlv_domain_get_name(dom);
    if (xlv_domain_apply(ctx, conn, &r, dom, lib_flags)) {
        t->failed++;
        if (!(flags & XLV_DRY_RUN))
            audit(cmd, name, file, scope_name(flags), 1, xlv_ctx_error(ctx));
        if (j)
            json_result(j, file, name, NULL, xlv_ctx_error(ctx));
        else
            print_error_line("xlvcpu: %s: domain '%s': %s", cmd->name, name,
                             xlv_ctx_error(ctx));
        goto out;
    }
    if (xlv_apply_result_length(r))
        t->changed++;
    else
        t->unchanged++;
    if (xlv_apply_result_length(r) && !(flags & XLV_DRY_RUN)) {
        change_summary(r, log, sizeof(log));
        audit(cmd, name, log, xlv_apply_result_get_scope(r), 0, NULL);
    }
    if (j)
        json_result(j, file, name, r, NULL);
    else
        print_text(g, flags, name, r);
 out:
    xlv_apply_result_free(r);
    xlv_domain_free(dom);
}

int cmd_apply(xlv_ctx *ctx, const global_opts *g, int argc, char **argv,
              const struct command *cmd)
{
    static const struct option extra[] = {
        { "check", no_argument, NULL, 'k' },
        { "diff", no_argument, NULL, 'd' },
        { "ignore-host", no_argument, NULL, 'i' },
        { "force", no_argument, NULL, 'f' },
        { NULL, 0, NULL, 0 },
    };
    xlv_conn *conn = NULL;
    json_out *j = NULL;
    tally t = { 0, 0, 0 };
    unsigned int flags;
    int status, i;

    status = parse_scope(argc, argv, cmd, "if", extra, apply_option, &flags);
    if (status)
        return status;
    if (optind >= argc)
        return usage_error(cmd, "expected one or more domain files");
    if (g->dry_run)
        flags |= XLV_DRY_RUN;
    if (g->json) {
        status = json_start(cmd, &j);
        if (status)
            return status;
        json_array_open(j);
    }
    audit_open(g);
    status = open_connection(ctx, g, cmd, &conn);
    if (status)
        goto out;
    for (i = optind; i < argc; i++)
        apply_file(ctx, g, cmd, conn, argv[i], flags, j, &t);
    if (j) {
        json_array_close(j);
        status = json_print(j, cmd);
        if (status)
            goto out;
    } else if (!g->quiet && argc - optind > 1) {
        printf("apply: %u %s, %u unchanged, %u failed\n", t.changed,
               flags & XLV_DRY_RUN ? "to change" : "changed", t.unchanged,
               t.failed);
    }
    if (t.failed)
        status = EXIT_FAILED;
    else if ((flags & APPLY_CHECK) && t.changed)
        status = EXIT_WOULD_CHANGE;
    else
        status = EXIT_OK;
 out:
    xlv_conn_close(conn);
    json_free(j);
    return status;
}
