/*
 * Opening the connection, parsing scopes, and the audit log: what every
 * command that touches a domain shares.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "xlvcpu.h"

/* Whether audit_open() or audit() opened the log. */
static bool audit_opened;

/*
 * A test:/// URI with the environment's test parameters added (the
 * library reads no environment): XLVCPU_TEST_FAIL and XLVCPU_TEST_TRACE
 * become its fail= and trace=.  Fills *uri_r (the caller frees it); 0, or
 * EXIT_FAILED with a message printed.
 */
static int test_uri(const struct command *cmd, const char *uri,
                    char **uri_r)
{
    static const char *const vars[][2] = {
        { "XLVCPU_TEST_FAIL", "fail" }, { "XLVCPU_TEST_TRACE", "trace" },
    };
    const size_t n_vars = sizeof(vars) / sizeof(vars[0]);
    const char *values[sizeof(vars) / sizeof(vars[0])];
    size_t size = strlen(uri) + 1, len, i;
    char *buf;

    for (i = 0; i < n_vars; i++) {
        const char *v = getenv(vars[i][0]);

        if (v && strpbrk(v, "&?")) {
            print_error_line("xlvcpu: %s: %s '%.100s': must not hold '&' "
                             "or '?'", cmd->name, vars[i][0], v);
            return EXIT_FAILED;
        }
        values[i] = v && *v ? v : NULL;
        if (values[i])
            size += strlen(vars[i][1]) + strlen(v) + 2;
    }
    buf = malloc(size);
    if (!buf) {
        fprintf(stderr, "xlvcpu: %s: out of memory\n", cmd->name);
        return EXIT_FAILED;
    }
    strcpy(buf, uri);
    for (i = 0; i < n_vars; i++) {
        const char *v = values[i];

        if (!v)
            continue;
        len = strlen(buf);
        snprintf(buf + len, size - len, "%c%s=%s",
                 strchr(buf, '?') ? '&' : '?', vars[i][1], v);
    }
    *uri_r = buf;
    return EXIT_OK;
}

int open_connection(xlv_ctx *ctx, const global_opts *g,
                    const struct command *cmd, xlv_conn **conn_r)
{
    const char *run = getenv("XLVCPU_RUN_DIR");
    const char *hooks = getenv("XLVCPU_HOOK_DIR");
    const char *lock_log = getenv("XLVCPU_LOCK_LOG");
    char *with_params = NULL;
    xlv_conn *conn = NULL;
    unsigned int flags = 0;
    int status;

    if (g->connect && !strncmp(g->connect, "test://", 7)) {
        status = test_uri(cmd, g->connect, &with_params);
        if (status)
            return status;
    }
    if (!(cmd->flags & CMD_HOST))
        flags |= XLV_CONN_NO_HOST;
    if (!(cmd->flags & CMD_STORE))
        flags |= XLV_CONN_NO_STORE;
    if (xlv_conn_open(ctx, &conn, with_params ? with_params : g->connect,
                      g->state_dir, flags) ||
        (run && *run && xlv_conn_set_run_dir(ctx, conn, run, 0)) ||
        xlv_conn_set_hook_dir(ctx, conn, hooks && *hooks
                                         ? hooks : XLV_DEFAULT_HOOK_DIR, 0) ||
        (lock_log && *lock_log &&
         xlv_conn_set_lock_log(ctx, conn, lock_log, 0))) {
        xlv_conn_close(conn);
        free(with_params);
        return report_error(ctx, cmd);
    }
    free(with_params);
    *conn_r = conn;
    return EXIT_OK;
}

int parse_scope(int argc, char **argv, const struct command *cmd,
                const char *extra_short, const struct option *extra,
                extra_option_fn *extra_fn, unsigned int *flags_r)
{
    struct option opts[16];
    char shorts[32];
    unsigned int n = 0, flags = 0;
    bool current = false;
    int opt;

    opts[n++] = (struct option){ "live", no_argument, NULL, 'L' };
    opts[n++] = (struct option){ "config", no_argument, NULL, 'C' };
    opts[n++] = (struct option){ "current", no_argument, NULL, 'U' };
    while (extra && extra->name && n < 15)
        opts[n++] = *extra++;
    opts[n] = (struct option){ NULL, 0, NULL, 0 };
    /* GNU getopt's default order: options may follow the arguments, as
     * in xl, and "--" ends them. */
    snprintf(shorts, sizeof(shorts), ":%s", extra_short ? extra_short : "");
    optind = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
        switch (opt) {
        case 'L':
            flags |= XLV_AFFECT_LIVE;
            break;
        case 'C':
            flags |= XLV_AFFECT_CONFIG;
            break;
        case 'U':
            current = true;
            break;
        case '?':
            return usage_error(cmd, "unknown option '%s'",
                               argv[optind - 1]);
        default:
            if (!extra_fn || extra_fn(opt, &flags))
                return usage_error(cmd, "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (current && (flags & (XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG)))
        return usage_error(cmd, "--current cannot be combined with --live "
                           "or --config");
    *flags_r = flags;
    return EXIT_OK;
}

const char *scope_name(unsigned int flags)
{
    switch (flags & (XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG)) {
    case XLV_AFFECT_LIVE: return "live";
    case XLV_AFFECT_CONFIG: return "config";
    case XLV_AFFECT_LIVE | XLV_AFFECT_CONFIG: return "live+config";
    default: return "current";
    }
}

/*
 * The log is opened before a change is made, not after: connecting to
 * syslogd and reading the time zone then happen while nothing is under
 * way, and a made change is logged with one send.  (On a busy dom0 the
 * moments after a vCPU change are the guest's: it is bringing CPUs up or
 * down.)
 */
void audit_open(const global_opts *g)
{
    if (g->dry_run || audit_opened)
        return;
    tzset();
    openlog("xlvcpu", LOG_PID | LOG_NDELAY, LOG_USER);
    audit_opened = true;
}

void audit(const struct command *cmd, const char *dom, const char *change,
           const char *scope, int status, const char *message)
{
    if (!audit_opened) {
        openlog("xlvcpu", LOG_PID, LOG_USER);
        audit_opened = true;
    }
    /* The uid only: a name would be looked up through NSS, which can be
     * a directory server away, on every change. */
    syslog(status ? LOG_WARNING : LOG_INFO,
           "uid=%u domain=%s %s: %s scope=%s result=%s%s%s",
           (unsigned int)getuid(), dom, cmd->name,
           change, scope, status ? "failed" : "ok", message ? ": " : "",
           message ? message : "");
}
