/*
 * The failures and the trace a test asks of the test host through its
 * URI: fail=CALL:N[,...] makes the Nth call of an operation on one host
 * object fail as libxl would, and change nothing, so that tests can
 * prove rollback; trace=FILE appends "CALL N" (with " failed" when it was
 * made to fail) to FILE for each call, so that they know which calls a
 * command makes.  See host_test.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host_test.h"

/* The names fail= and the trace know the operations by. */
static const char *const op_names[XLV__TEST_N_OPS] = {
    [XLV__TEST_OP_SET_VCPUONLINE] = "set_vcpuonline",
    [XLV__TEST_OP_SET_VCPUAFFINITY] = "set_vcpuaffinity",
    [XLV__TEST_OP_CREATE] = "create",
    [XLV__TEST_OP_DESTROY] = "destroy",
    [XLV__TEST_OP_LIST_VCPUS] = "list_vcpus",
    [XLV__TEST_OP_DOMAIN_INFO] = "domain_info",
    [XLV__TEST_OP_LIST_DOMAINS] = "list_domains",
    [XLV__TEST_OP_PHYSINFO] = "physinfo",
};

static int parse_fault(xlv_ctx *ctx, xlv__test_faults *f, const char *value,
                       char *item)
{
    char *colon = strchr(item, ':');
    uint64_t nth;
    int op;

    if (!colon)
        return xlv__error(ctx, XLV_ERR_INVAL, "test host: fail= "
                          "'%.100s': item '%.40s' is not CALL:N", value,
                          item);
    *colon = '\0';
    for (op = 0; op < XLV__TEST_N_OPS && strcmp(op_names[op], item); op++)
        ;
    if (op == XLV__TEST_N_OPS)
        return xlv__error(ctx, XLV_ERR_INVAL, "test host: fail= "
                          "'%.100s': unknown call '%.40s'", value, item);
    if (xlv__number_parse(colon + 1, UINT_MAX, &nth) || !nth)
        return xlv__error(ctx, XLV_ERR_INVAL, "test host: fail= "
                          "'%.100s': call number '%.40s' is not a whole "
                          "number from 1", value, colon + 1);
    if (f->n_faults == XLV__TEST_MAX_FAULTS)
        return xlv__error(ctx, XLV_ERR_INVAL, "test host: fail= "
                          "'%.100s': more than %u items", value,
                          XLV__TEST_MAX_FAULTS);
    f->faults[f->n_faults].op = op;
    f->faults[f->n_faults].nth = (unsigned int)nth;
    f->n_faults++;
    return 0;
}

static int parse_faults(xlv_ctx *ctx, xlv__test_faults *f, const char *value)
{
    char *copy = NULL, *p, *comma;
    int rc;

    if (!value || !*value) {
        rc = 0;
        goto out;
    }
    copy = strdup(value);
    if (!copy) {
        rc = xlv__nomem(ctx, "fail=");
        goto out;
    }
    for (p = copy; ; p = comma + 1) {
        comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        rc = parse_fault(ctx, f, value, p);
        if (rc) goto out;
        if (!comma)
            break;
    }
    rc = 0;
 out:
    free(copy);
    return rc;
}

/* Append "CALL N[ failed]" to the trace file, when there is one. */
static int trace(xlv_ctx *ctx, xlv__test_faults *f, int op, bool fail)
{
    int fd, r;

    if (!f->trace_path)
        return 0;
    fd = open(f->trace_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
              0600);
    if (fd < 0)
        return xlv__error(ctx, XLV_ERR_IO, "test host: trace= "
                          "'%.200s': %s", f->trace_path, strerror(errno));
    r = dprintf(fd, "%s %u%s\n", op_names[op], f->calls[op],
                fail ? " failed" : "");
    if (close(fd) || r < 0)
        return xlv__error(ctx, XLV_ERR_IO, "test host: trace= "
                          "'%.200s': cannot write", f->trace_path);
    return 0;
}

int xlv__test_faults_call(xlv_ctx *ctx, xlv__test_faults *f, int op)
{
    unsigned int i;
    bool fail = false;
    int rc;

    if (f->calls[op] < UINT_MAX)
        f->calls[op]++;
    for (i = 0; i < f->n_faults; i++)
        fail |= f->faults[i].op == op && f->faults[i].nth == f->calls[op];
    rc = trace(ctx, f, op, fail);
    if (rc) return rc;
    if (fail)
        return xlv__error_libxl(ctx, ERROR_FAIL, "test host: injected "
                                "failure of %s call %u", op_names[op],
                                f->calls[op]);
    return 0;
}

int xlv__test_faults_parse(xlv_ctx *ctx, xlv__test_faults *f, char *query)
{
    char *p, *amp, *eq;
    bool fail_seen = false;
    int rc;

    for (p = query; p; p = amp ? amp + 1 : NULL) {
        amp = strchr(p, '&');
        if (amp)
            *amp = '\0';
        eq = strchr(p, '=');
        if (eq)
            *eq = '\0';
        if (eq && !strcmp(p, "fail") && !fail_seen) {
            fail_seen = true;
            rc = parse_faults(ctx, f, eq + 1);
            if (rc) return rc;
        } else if (eq && !strcmp(p, "trace") && !f->trace_path) {
            if (eq[1] != '/')
                return xlv__error(ctx, XLV_ERR_INVAL, "test host: trace= "
                                  "'%.200s': must be an absolute path",
                                  eq + 1);
            rc = xlv__strdup(ctx, &f->trace_path, eq + 1);
            if (rc) return rc;
        } else {
            return xlv__error(ctx, XLV_ERR_INVAL, "test host: uri "
                              "parameter '%.40s': must be fail=CALL:N,... "
                              "or trace=FILE, each at most once", p);
        }
    }
    return 0;
}

void xlv__test_faults_dispose(xlv__test_faults *f)
{
    free(f->trace_path);
    memset(f, 0, sizeof(*f));
}
