/*
 * Hosts: where live domains run.  One small interface, two drivers:
 *   xen:///system   libxl (host_xen.c), the real thing on a dom0;
 *   test:///PATH    a simulated Xen whose state is the JSON file PATH
 *                   (host_test.c), for tests and for trying things out.
 * Every call either does all it says or changes nothing, and records an
 * error on the ctx naming the call and the domain.
 */
#ifndef XLV_HOST_H
#define XLV_HOST_H

#include "domain.h"
#include "private.h"

typedef struct xlv__host xlv__host;

/* A running domain, as "xl list" knows it. */
typedef struct {
    uint32_t domid;
    char *name;                 /* owned */
    xlv_domain_type type;       /* HVM may be PVH: xlv__host_domain_type() */
    unsigned int max_vcpus;     /* vCPUs it was built with (max_vcpu_id+1) */
    unsigned int online_vcpus;
    uint64_t memory_kib;
} xlv__dominfo;

/* What the hypervisor can run, as "xl info" lists it in virt_caps. */
#define XLV__CAP_PV     (1u << 0)   /* paravirtualised guests */
#define XLV__CAP_HVM    (1u << 1)   /* VT-x or AMD-V: HVM and PVH */
#define XLV__CAP_HAP    (1u << 2)   /* EPT or NPT */
#define XLV__CAP_SHADOW (1u << 3)   /* shadow paging */
#define XLV__CAPS_ALL   (XLV__CAP_PV | XLV__CAP_HVM | XLV__CAP_HAP | \
                         XLV__CAP_SHADOW)

/* One vCPU, as libxl_list_vcpu() reports it. */
typedef struct {
    unsigned int vcpu;
    bool online, running, blocked;
    int cpu;                    /* pCPU it is on; -1 when offline */
    uint64_t time_ns;
    libxl_bitmap hard, soft;    /* owned, sized for the host's pCPUs */
} xlv__vcpuinfo;

struct xlv__host_ops {
    const char *scheme;         /* "xen" or "test" */

    /* Connect; ARG is what follows "scheme://" in the URI ("/system",
     * "/path/to/state.json"). */
    int (*open)(xlv_ctx *ctx, xlv__host **host_r, const char *arg);
    void (*close)(xlv__host *host);

    /* Physical CPUs online (ids 0..nr-1), unless CAPS_R is NULL the
     * XLV__CAP_* bits of what the host can run, and unless NODES_R is
     * NULL, the NUMA layout: node i has the pCPUs in (*nodes_r)[i]; the
     * caller disposes each and frees.  Without NODES_R the xen host
     * answers from what it read when it was opened. */
    int (*physinfo)(xlv_ctx *ctx, xlv__host *host, unsigned int *nr_cpus_r,
                    unsigned int *caps_r, libxl_bitmap **nodes_r,
                    unsigned int *n_nodes_r);

    /* Every running domain, Domain-0 first, by domid. */
    int (*list_domains)(xlv_ctx *ctx, xlv__host *host,
                        xlv__dominfo **list_r, unsigned int *n_r);

    /* One running domain by name, or by domid when WHO is all digits.
     * XLV_ERR_NOTFOUND when it is not running. */
    int (*domain_info)(xlv_ctx *ctx, xlv__host *host, const char *who,
                       xlv__dominfo *info_r);

    /* Optional: tell a PVH guest from an HVM one, both of which
     * domain_info and list_domains may report as HVM (Xen runs both in
     * an HVM container); *TYPE_R is left alone when it cannot be told.
     * NULL when those report the type exactly. */
    void (*domain_type)(xlv__host *host, uint32_t domid,
                        xlv_domain_type *type_r);

    /* The vCPUs of DOMID, all max_vcpus of them, by vCPU id. */
    int (*list_vcpus)(xlv_ctx *ctx, xlv__host *host, uint32_t domid,
                      xlv__vcpuinfo **list_r, unsigned int *n_r);

    /* Make exactly the vCPUs in ONLINE online (libxl_set_vcpuonline). */
    int (*set_vcpuonline)(xlv_ctx *ctx, xlv__host *host, uint32_t domid,
                          const libxl_bitmap *online);

    /* Set the hard and/or soft affinity of one vCPU (NULL: leave it).
     * FORCE as libxl_set_vcpuaffinity_force: no check that the new hard
     * affinity leaves the domain's node affinity intact. */
    int (*set_vcpuaffinity)(xlv_ctx *ctx, xlv__host *host, uint32_t domid,
                            unsigned int vcpu, const libxl_bitmap *hard,
                            const libxl_bitmap *soft, bool force);

    /* Build and unpause a domain from CFG (libxl_domain_create_new). */
    int (*create)(xlv_ctx *ctx, xlv__host *host,
                  struct libxl_domain_config *cfg, uint32_t *domid_r);

    /* Destroy a running domain. */
    int (*destroy)(xlv_ctx *ctx, xlv__host *host, uint32_t domid);
};

struct xlv__host {
    const struct xlv__host_ops *ops;
};

extern const struct xlv__host_ops xlv__host_xen_ops;
extern const struct xlv__host_ops xlv__host_test_ops;

/*
 * Open the host named by URI: "xen:///system" (also NULL or ""), or
 * "test:///ABSOLUTE/PATH".  Errors: XLV_ERR_INVAL (unknown URI), and
 * those of the driver (XLV_ERR_LIBXL when no hypervisor answers).
 */
int xlv__host_open(xlv_ctx *ctx, xlv__host **host_r, const char *uri);
void xlv__host_close(xlv__host *host);

/* Just the number of physical CPUs of HOST. */
int xlv__host_nr_cpus(xlv_ctx *ctx, xlv__host *host, unsigned int *nr_r);

/*
 * DOM's default hard and soft affinities as they apply on HOST, into
 * *HARD_R and *SOFT_R (size 0: none): node items (xl's cpus="node:1")
 * resolved in the layout the caller gave CTX (xlv_ctx_set_numa_nodes()),
 * else in the host's, as xl resolves them when it creates the domain.
 * The host is asked only for a domain with node items.  Errors: those of
 * xlv__domain_resolve_defaults() and of the host's physinfo.
 */
int xlv__host_resolve_defaults(xlv_ctx *ctx, xlv__host *host,
                               const xlv_domain *dom, libxl_bitmap *hard_r,
                               libxl_bitmap *soft_r);

/*
 * Refuse to build domain NAME of TYPE on a host that cannot run that type
 * (a Xen without VT-x or AMD-V runs PV guests only), before libxl is
 * asked: libxl's own error does not say why.  Errors: XLV_ERR_UNSUPPORTED,
 * and those of the driver's physinfo.
 */
int xlv__host_check_type(xlv_ctx *ctx, xlv__host *host, const char *name,
                         xlv_domain_type type);

/*
 * CAPS as "xl info" words its virt_caps: "pv hvm hap shadow"; "none"
 * when empty.  BUF has room for all of them.
 */
#define XLV__CAPS_TEXT_MAX 32
void xlv__caps_format(char buf[XLV__CAPS_TEXT_MAX], unsigned int caps);

/*
 * Parse TEXT, words from "pv", "hvm", "hap" and "shadow" separated by
 * blanks, into *CAPS_R.  Returns NULL when it knows every word; else the
 * first word it does not know (a pointer into TEXT, *BAD_LEN_R bytes
 * long), and *CAPS_R is left alone.
 */
const char *xlv__caps_parse(const char *text, unsigned int *caps_r,
                            size_t *bad_len_r);

/*
 * Make INFO->type exact where the host reported a PVH guest as HVM: a
 * separate step, as it costs the xen host a xenstore connection, and
 * only what depends on the difference should pay for it.
 */
void xlv__host_domain_type(xlv__host *host, xlv__dominfo *info);

void xlv__dominfo_dispose(xlv__dominfo *info);
void xlv__dominfo_list_free(xlv__dominfo *list, unsigned int n);
void xlv__vcpuinfo_list_free(xlv__vcpuinfo *list, unsigned int n);

/*
 * Parse LEN bytes of BUF as the test host reads its state file (BUF need
 * not be NUL-terminated), then dispose of the state.  Unless JSON_R is
 * NULL, fill *JSON_R with the state as the test host would write it back
 * (NUL-terminated; the caller frees it).  For the fuzzer and the tests.
 * Errors: XLV_ERR_INVAL (corrupt state), XLV_ERR_NOMEM.
 */
int xlv__test_host_parse(xlv_ctx *ctx, char **json_r, const char *buf,
                         size_t len);

#endif /* XLV_HOST_H */
