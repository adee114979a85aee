/*
 * A growable string for the writers.  Appends never fail loudly: the first
 * allocation failure marks the buffer and xlv__strbuf_take() reports it,
 * so writers stay a plain sequence of appends.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

static bool reserve(xlv__strbuf *sb, size_t more)
{
    size_t cap;
    char *p;

    if (sb->failed)
        return false;
    if (sb->len + more + 1 <= sb->cap)
        return true;
    cap = sb->cap ? sb->cap : 256;
    while (cap < sb->len + more + 1)
        cap *= 2;
    p = realloc(sb->buf, cap);
    if (!p) {
        sb->failed = true;
        return false;
    }
    sb->buf = p;
    sb->cap = cap;
    return true;
}

void xlv__strbuf_puts(xlv__strbuf *sb, const char *s)
{
    size_t n = strlen(s);

    if (!reserve(sb, n))
        return;
    memcpy(sb->buf + sb->len, s, n + 1);
    sb->len += n;
}

void xlv__strbuf_printf(xlv__strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(sb, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

int xlv__strbuf_take(xlv_ctx *ctx, xlv__strbuf *sb, char **out_r)
{
    if (!reserve(sb, 0)) {
        xlv__strbuf_dispose(sb);
        return xlv__nomem(ctx, "output text");
    }
    *out_r = sb->buf;
    sb->buf = NULL;
    sb->len = sb->cap = 0;
    return 0;
}

void xlv__strbuf_dispose(xlv__strbuf *sb)
{
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->cap = 0;
    sb->failed = false;
}

int xlv__strdup(xlv_ctx *ctx, char **dst_r, const char *src)
{
    char *p;

    if (!src) {
        *dst_r = NULL;
        return 0;
    }
    p = strdup(src);
    if (!p)
        return xlv__nomem(ctx, "a string");
    *dst_r = p;
    return 0;
}
