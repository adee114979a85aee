/*
 * The library context.
 */
#include <stdlib.h>

#include "cpuset.h"
#include "private.h"
#include "xml.h"

int xlv_ctx_new(xlv_ctx **ctx_r, struct xentoollog_logger *logger,
                unsigned int flags)
{
    xlv_ctx *ctx;

    if (flags)
        return XLV_ERR_INVAL;
    ctx = calloc(1, sizeof(*ctx));
    if (!ctx)
        return XLV_ERR_NOMEM;
    ctx->logger = logger;
    *ctx_r = ctx;
    return 0;
}

void xlv_ctx_free(xlv_ctx *ctx)
{
    if (!ctx)
        return;
    xlv__ctx_numa_dispose(ctx);
    free(ctx);
}
