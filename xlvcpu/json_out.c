/*
 * --json output through yajl's generator: see json_out.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl_gen.h>

#include "json_out.h"
#include "xlvcpu.h"

struct json_out {
    yajl_gen g;
    yajl_gen_status status;     /* the first failure */
};

int json_start(const struct command *cmd, json_out **j_r)
{
    json_out *j = calloc(1, sizeof(*j));

    if (j)
        j->g = yajl_gen_alloc(NULL);
    if (!j || !j->g) {
        free(j);
        print_error_line("xlvcpu: %s: --json: out of memory", cmd->name);
        return EXIT_FAILED;
    }
    /* Names are free text: refuse what is not UTF-8 rather than print
     * invalid JSON. */
    yajl_gen_config(j->g, yajl_gen_validate_utf8, 1);
    j->status = yajl_gen_status_ok;
    *j_r = j;
    return EXIT_OK;
}

void json_free(json_out *j)
{
    if (!j)
        return;
    yajl_gen_free(j->g);
    free(j);
}

/* Keep the first failure: later calls then do nothing. */
static bool failed(json_out *j)
{
    return j->status != yajl_gen_status_ok;
}

void json_map_open(json_out *j)
{
    if (!failed(j))
        j->status = yajl_gen_map_open(j->g);
}

void json_map_close(json_out *j)
{
    if (!failed(j))
        j->status = yajl_gen_map_close(j->g);
}

void json_array_open(json_out *j)
{
    if (!failed(j))
        j->status = yajl_gen_array_open(j->g);
}

void json_array_close(json_out *j)
{
    if (!failed(j))
        j->status = yajl_gen_array_close(j->g);
}

void json_string(json_out *j, const char *s)
{
    if (!failed(j))
        j->status = yajl_gen_string(j->g, (const unsigned char *)s,
                                    strlen(s));
}

void json_int(json_out *j, long long n)
{
    if (!failed(j))
        j->status = yajl_gen_integer(j->g, n);
}

void json_bool(json_out *j, bool b)
{
    if (!failed(j))
        j->status = yajl_gen_bool(j->g, b);
}

void json_fixed(json_out *j, double v, int digits)
{
    char buf[64];
    int n;

    if (failed(j))
        return;
    /* yajl_gen_double() prints 17 significant digits: 0.1 would read
     * as 0.10000000000000001. */
    n = snprintf(buf, sizeof(buf), "%.*f", digits, v);
    if (n < 0 || (size_t)n >= sizeof(buf))
        j->status = yajl_gen_invalid_number;
    else
        j->status = yajl_gen_number(j->g, buf, (size_t)n);
}

void json_member_string(json_out *j, const char *key, const char *s)
{
    json_string(j, key);
    if (!s) {
        if (!failed(j))
            j->status = yajl_gen_null(j->g);
        return;
    }
    json_string(j, s);
}

void json_member_int(json_out *j, const char *key, long long n)
{
    json_string(j, key);
    json_int(j, n);
}

void json_member_bool(json_out *j, const char *key, bool b)
{
    json_string(j, key);
    json_bool(j, b);
}

int json_print(json_out *j, const struct command *cmd)
{
    const unsigned char *buf;
    size_t len;

    if (j->status == yajl_gen_invalid_string) {
        print_error_line("xlvcpu: %s: --json: a name is not valid utf-8",
                         cmd->name);
        return EXIT_FAILED;
    }
    if (failed(j)) {
        print_error_line("xlvcpu: %s: --json: cannot write the output "
                         "(yajl status %d)", cmd->name, (int)j->status);
        return EXIT_FAILED;
    }
    yajl_gen_get_buf(j->g, &buf, &len);
    if (fwrite(buf, 1, len, stdout) != len || putchar('\n') == EOF ||
        fflush(stdout))
        return output_error(cmd);
    return EXIT_OK;
}
