/*
 * xlv_domain_apply's parts: the list of changes it reports (apply_result.c)
 * and the plans it makes of them for each scope (apply_plan.c), which
 * domain_apply.c carries out.
 */
#ifndef XLV_APPLY_H
#define XLV_APPLY_H

#include "host.h"
#include "scope.h"

typedef struct {
    char *what, *old, *new;
    const char *scope;          /* "live" or "config" */
} xlv__change;

struct xlv_apply_result {
    const char *scope;          /* xlv__target_scope() */
    xlv__change *changes;
    unsigned int n, cap;
};

/* Add "WHAT: OLD -> NEW (SCOPE)" to R; WHAT is formatted as printf. */
int xlv__apply_note(xlv_ctx *ctx, xlv_apply_result *r, const char *scope,
                    const char *old, const char *new, const char *what_fmt,
                    ...) __attribute__((format(printf, 6, 7)));

/* What the live part of an apply does to running domain T. */
typedef struct {
    libxl_bitmap old_online, new_online;
    xlv__vcpuinfo *vcpus;       /* as they were, to put back */
    unsigned int n_vcpus;
    libxl_bitmap *hard, *soft;  /* n_vcpus new affinities; size 0: keep */
    bool pins;                  /* some vCPU gets a new affinity */
} xlv__live_plan;

void xlv__live_plan_dispose(xlv__live_plan *p);

/*
 * Plan T's live change to WANT's vCPU facts into P, noting each change in
 * R.  FLAGS: XLV_VCPU_IGNORE_HOST.  Refused: another maximum, and what
 * xlv__live_online_check() refuses.
 */
int xlv__apply_plan_live(xlv_ctx *ctx, xlv__target *t, const xlv_domain *want,
                         unsigned int flags, xlv__live_plan *p,
                         xlv_apply_result *r);

/*
 * Change T's definition (T->def, in memory) to WANT's vCPU facts, noting
 * each change in R; *CHANGED_R says whether anything differed.
 */
int xlv__apply_plan_config(xlv_ctx *ctx, xlv__target *t,
                           const xlv_domain *want, xlv_apply_result *r,
                           bool *changed_r);

#endif /* XLV_APPLY_H */
