/*
 * The changes xlv_domain_apply() made or would make, and their accessors.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"

int xlv__apply_note(xlv_ctx *ctx, xlv_apply_result *r, const char *scope,
                    const char *old, const char *new, const char *what_fmt,
                    ...)
{
    char what[80];
    xlv__change *c;
    va_list ap;

    if (r->n == r->cap) {
        unsigned int cap = r->cap ? r->cap * 2 : 8;

        c = realloc(r->changes, cap * sizeof(*c));
        if (!c)
            return xlv__nomem(ctx, "a list of changes");
        r->changes = c;
        r->cap = cap;
    }
    c = &r->changes[r->n];
    memset(c, 0, sizeof(*c));
    c->scope = scope;
    va_start(ap, what_fmt);
    vsnprintf(what, sizeof(what), what_fmt, ap);
    va_end(ap);
    c->what = strdup(what);
    c->old = strdup(old);
    c->new = strdup(new);
    if (!c->what || !c->old || !c->new) {
        free(c->what);
        free(c->old);
        free(c->new);
        return xlv__nomem(ctx, "a change");
    }
    r->n++;
    return 0;
}

void xlv_apply_result_free(xlv_apply_result *result)
{
    unsigned int i;

    if (!result)
        return;
    for (i = 0; i < result->n; i++) {
        free(result->changes[i].what);
        free(result->changes[i].old);
        free(result->changes[i].new);
    }
    free(result->changes);
    free(result);
}

const char *xlv_apply_result_get_scope(const xlv_apply_result *result)
{
    return result->scope;
}

unsigned int xlv_apply_result_length(const xlv_apply_result *result)
{
    return result->n;
}

static const xlv__change *change(const xlv_apply_result *result,
                                 unsigned int i)
{
    return i < result->n ? &result->changes[i] : NULL;
}

const char *xlv_apply_result_get_what(const xlv_apply_result *result,
                                      unsigned int i)
{
    return change(result, i) ? change(result, i)->what : NULL;
}

const char *xlv_apply_result_get_old(const xlv_apply_result *result,
                                     unsigned int i)
{
    return change(result, i) ? change(result, i)->old : NULL;
}

const char *xlv_apply_result_get_new(const xlv_apply_result *result,
                                     unsigned int i)
{
    return change(result, i) ? change(result, i)->new : NULL;
}

const char *xlv_apply_result_get_change_scope(const xlv_apply_result *result,
                                              unsigned int i)
{
    return change(result, i) ? change(result, i)->scope : NULL;
}
