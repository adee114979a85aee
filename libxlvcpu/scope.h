/*
 * The target of a scoped change: which domain, which scopes apply once
 * XLV_AFFECT_CURRENT is resolved, its persistent definition and its
 * running instance, all under the domain's lock.
 */
#ifndef XLV_SCOPE_H
#define XLV_SCOPE_H

#include "conn.h"
#include "domain.h"

typedef struct {
    char *name;                 /* the domain's name */
    int lock;                   /* the store lock, -1 when not held */
    bool live, config;          /* the scopes the change applies to */
    bool running;
    xlv__dominfo info;          /* when running */
    xlv__host *host;            /* when the host was needed */
    xlv_domain *def;            /* the persistent definition, for config */
} xlv__target;

/*
 * Resolve WHO (a name; a domid for a running domain) for a change with
 * FLAGS, whose XLV_AFFECT_* bits say the scope, and take its lock.
 * Refused: --live when it is not running, config scope when it has no
 * persistent definition.  The host is contacted only when a live scope is
 * asked for or XLV_AFFECT_CURRENT must be resolved.
 */
int xlv__target_open(xlv_ctx *ctx, xlv_conn *conn, const char *who,
                     unsigned int flags, xlv__target *t);
void xlv__target_close(xlv__target *t);

/* "live", "config" or "live+config", for messages and hooks. */
const char *xlv__target_scope(const xlv__target *t);

/*
 * The live part of a change to T failed (RC, its message on CTX), before
 * its definition was touched: when the change was to the definition too,
 * the message says that it was not changed either.  Returns RC.
 */
int xlv__target_live_failed(xlv_ctx *ctx, const xlv__target *t, int rc);

/*
 * The online map of running domain T (T->info.max_vcpus bits) into
 * *MAP_R: Xen's state of each vCPU for a PV guest; for a PVH or HVM guest,
 * which numbers the CPUs ACPI gives it itself, its count from vCPU 0 up.
 */
int xlv__live_online_map(xlv_ctx *ctx, xlv__target *t, libxl_bitmap *map_r);

/*
 * Whether running domain T may go from online map OLD to NEW: more vCPUs
 * than the host has pCPUs needs XLV_VCPU_IGNORE_HOST in FLAGS; a running
 * HVM guest cannot lose vCPUs; a PVH or HVM guest takes vCPUs 0 to N-1
 * only.  Errors: XLV_ERR_INVAL, XLV_ERR_UNSUPPORTED, the host's.
 */
int xlv__live_online_check(xlv_ctx *ctx, xlv__target *t,
                           const libxl_bitmap *old, const libxl_bitmap *new,
                           unsigned int flags);

/*
 * Run the hooks of STAGE ("before-vcpu-set.d", "after-vcpu-set.d") for a
 * change of T's count (of its maximum with XLV_VCPU_MAXIMUM in FLAGS) from
 * OLD to COUNT; RESULT is "" before the change, "ok" after it.  A failing
 * before-hook stops the change (see xlv__hooks_run()).
 */
int xlv__vcpu_set_hooks(xlv_ctx *ctx, xlv_conn *conn, const xlv__target *t,
                        const char *stage, unsigned int old,
                        unsigned int count, unsigned int flags,
                        const char *result);

/* Bring DOM's vCPU elements up to date and store it as NAME's definition
 * in STORE. */
int xlv__definition_save(xlv_ctx *ctx, xlv__store *store, xlv_domain *dom);

/* Parse NAME's definition from STORE. */
int xlv__definition_load(xlv_ctx *ctx, xlv__store *store, const char *name,
                         xlv_domain **dom_r);

/*
 * If xlvcpu started NAME, load its live definition into *dom_r (NULL when
 * there is none: a domain started by plain xl).
 */
int xlv__live_definition(xlv_ctx *ctx, xlv_conn *conn, const char *name,
                         xlv_domain **dom_r);

/* Whether HOOK_DIR/STAGE holds a hook that xlv__hooks_run() would run. */
bool xlv__hooks_any(const char *hook_dir, const char *stage);

/*
 * Run the executables of HOOK_DIR/STAGE (e.g. "before-vcpu-set.d") in name
 * order, without a shell, with ENV added to the environment (NULL
 * terminated "KEY=VALUE" strings).  With STOP_ON_FAILURE, the first one
 * that fails stops the change: XLV_ERR_STATE with the first line it
 * printed.  No HOOK_DIR (NULL) or a missing directory has no hooks.  A
 * hook or directory that is a symlink, owned by neither root nor us, or
 * writable by group or others is refused (XLV_ERR_INVAL naming it), and
 * nothing of STAGE runs.
 */
int xlv__hooks_run(xlv_ctx *ctx, const char *hook_dir, const char *stage,
                   char *const *env, bool stop_on_failure);

/*
 * When CONN has a lock log (xlv_conn_set_lock_log()), append "KEY PID
 * NAME SCOPE OP" to it, OP formatted from FMT: call it with NAME's lock
 * held, once the change is made.  KEY is CLOCK_MONOTONIC in nanoseconds.
 * Best effort: never fails the change.
 */
void xlv__lock_log(const xlv_conn *conn, const char *name, const char *scope,
                   const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif /* XLV_SCOPE_H */
