/*
 * Errors: one message per ctx, set where the failure happens.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "private.h"

int xlv__verror(xlv_ctx *ctx, int rc, const char *fmt, va_list ap)
{
    ctx->errcode = rc;
    ctx->libxl_rc = 0;
    vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
    /* Values quoted in messages come from input: keep the message on one
     * line, and the terminal it is shown on as it was, whatever they hold
     * (a value cut by %.Ns may also end in half a UTF-8 sequence). */
    xlv__text_sanitize(ctx->errmsg);
    return rc;
}

int xlv__error(xlv_ctx *ctx, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    xlv__verror(ctx, rc, fmt, ap);
    va_end(ap);
    return rc;
}

int xlv__error_libxl(xlv_ctx *ctx, int r, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    xlv__verror(ctx, XLV_ERR_LIBXL, fmt, ap);
    va_end(ap);
    ctx->libxl_rc = r;
    return XLV_ERR_LIBXL;
}

void xlv__error_save(const xlv_ctx *ctx, xlv__error_state *st)
{
    st->errcode = ctx->errcode;
    st->libxl_rc = ctx->libxl_rc;
    memcpy(st->errmsg, ctx->errmsg, sizeof(st->errmsg));
}

void xlv__error_restore(xlv_ctx *ctx, const xlv__error_state *st)
{
    ctx->errcode = st->errcode;
    ctx->libxl_rc = st->libxl_rc;
    memcpy(ctx->errmsg, st->errmsg, sizeof(ctx->errmsg));
}

int xlv__error_then(xlv_ctx *ctx, int rc, const xlv__error_state *first,
                    const char *fmt, ...)
{
    char then[XLV_ERRMSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(then, sizeof(then), fmt, ap);
    va_end(ap);
    xlv__error(ctx, rc, "%s; %s", first->errmsg, then);
    ctx->libxl_rc = first->libxl_rc;
    return rc;
}

int xlv__check_flags(xlv_ctx *ctx, const char *call, unsigned int flags,
                     unsigned int known)
{
    if (!(flags & ~known))
        return 0;
    return xlv__error(ctx, XLV_ERR_INVAL, "%s: unknown flags '0x%x'", call,
                      flags & ~known);
}

int xlv__nomem(xlv_ctx *ctx, const char *what)
{
    return xlv__error(ctx, XLV_ERR_NOMEM, "out of memory allocating %s",
                      what);
}

const char *xlv_ctx_error(const xlv_ctx *ctx)
{
    return ctx->errmsg;
}

int xlv_ctx_error_code(const xlv_ctx *ctx)
{
    return ctx->errcode;
}

int xlv_ctx_libxl_rc(const xlv_ctx *ctx)
{
    return ctx->libxl_rc;
}

const char *xlv_strerror(int rc)
{
    switch (rc) {
    case 0: return "success";
    case XLV_ERR_INVAL: return "invalid value";
    case XLV_ERR_NOMEM: return "out of memory";
    case XLV_ERR_XML: return "malformed or refused xml";
    case XLV_ERR_CONFIG: return "malformed xl.cfg";
    case XLV_ERR_NOTFOUND: return "not found";
    case XLV_ERR_STATE: return "not possible in the current state";
    case XLV_ERR_UNSUPPORTED: return "not supported";
    case XLV_ERR_CONFLICT: return "conflicting values";
    case XLV_ERR_LIBXL: return "libxl call failed";
    case XLV_ERR_IO: return "i/o error";
    case XLV_ERR_BUSY: return "busy";
    default: return "unknown error";
    }
}
