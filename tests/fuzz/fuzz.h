/*
 * What the fuzz targets share: one ctx for the whole run, and the checks
 * every failure must pass (a message, on one line).  Each target aborts
 * when an invariant does not hold, so libFuzzer keeps the input.
 */
#ifndef XLV_FUZZ_H
#define XLV_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxlvcpu.h"

/* Stop with a reason libFuzzer prints next to the input. */
static inline void fuzz_fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz: invariant broken: %s%s%s\n", what,
            detail ? ": " : "", detail ? detail : "");
    abort();
}

/* A refusal must say why, on one line, with a known code. */
static inline void fuzz_check_error(const xlv_ctx *ctx, int rc)
{
    const char *msg = xlv_ctx_error(ctx);

    if (rc >= 0)
        fuzz_fail("error code is not negative", NULL);
    if (!msg[0])
        fuzz_fail("failure without a message", xlv_strerror(rc));
    if (strchr(msg, '\n'))
        fuzz_fail("message is not one line", msg);
}

/* A and B must have the same name, type, vCPU counts and online map;
 * HOW says which trip changed them. */
static inline void fuzz_same_vcpus(const xlv_domain *a, const xlv_domain *b,
                                   const char *how)
{
    unsigned int i, max = xlv_domain_get_max_vcpus(a);

    if (max != xlv_domain_get_max_vcpus(b) ||
        xlv_domain_get_current_vcpus(a) != xlv_domain_get_current_vcpus(b) ||
        xlv_domain_get_type(a) != xlv_domain_get_type(b) ||
        strcmp(xlv_domain_get_name(a), xlv_domain_get_name(b)))
        fuzz_fail("domain changed", how);
    for (i = 0; i < max; i++)
        if (xlv_domain_vcpu_is_online(a, i) !=
            xlv_domain_vcpu_is_online(b, i))
            fuzz_fail("online map changed", how);
}

/* The ctx of the run, made on first use. */
static inline xlv_ctx *fuzz_ctx(void)
{
    static xlv_ctx *ctx;

    if (!ctx && xlv_ctx_new(&ctx, NULL, 0))
        fuzz_fail("xlv_ctx_new failed", NULL);
    return ctx;
}

#endif /* XLV_FUZZ_H */
