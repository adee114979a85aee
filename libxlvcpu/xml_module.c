/*
 * The XML module's side (xml_module.h): its entry, and the two error
 * functions xml.c calls, which hand the error to the library that loaded
 * the module.  Built into the module only, never into the libraries.
 */
#include "xml_module.h"

static const struct xlv__xml_host *host;

static const struct xlv__xml_module functions = {
    .version = XLV_VERSION,
    .parse = xlv__xml_parse,
    .new = xlv__xml_new,
    .free = xlv__xml_free,
    .serialize = xlv__xml_serialize,
    .root = xlv__xml_root,
    .name = xlv__xml_name,
    .child = xlv__xml_child,
    .next = xlv__xml_next,
    .child_ns = xlv__xml_child_ns,
    .next_ns = xlv__xml_next_ns,
    .count = xlv__xml_count,
    .attr = xlv__xml_attr,
    .text = xlv__xml_text,
    .add = xlv__xml_add,
    .add_ns = xlv__xml_add_ns,
    .add_after = xlv__xml_add_after,
    .set_attr = xlv__xml_set_attr,
    .unset_attr = xlv__xml_unset_attr,
    .set_text = xlv__xml_set_text,
    .remove = xlv__xml_remove,
    .is_empty = xlv__xml_is_empty,
};

__attribute__((visibility("default")))
const struct xlv__xml_module *xlv__xml_module_1(const struct xlv__xml_host *h)
{
    host = h;
    return &functions;
}

int xlv__error(xlv_ctx *ctx, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    rc = host->verror(ctx, rc, fmt, ap);
    va_end(ap);
    return rc;
}

int xlv__nomem(xlv_ctx *ctx, const char *what)
{
    return host->nomem(ctx, what);
}
