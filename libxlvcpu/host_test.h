/*
 * The parts of the test:///PATH host (host_test.c holds its operations):
 * its state in memory (host_test_state.c), that state as the JSON of the
 * state file (host_test_json.c, the one file of the library that uses
 * yajl), and the failures and trace a test asks of it
 * (host_test_faults.c).
 */
#ifndef XLV_HOST_TEST_H
#define XLV_HOST_TEST_H

#include "host.h"

/* Bounds on what a state file may hold. */
#define XLV__TEST_MAX_DOMID 32751               /* DOMID_FIRST_RESERVED - 1 */
#define XLV__TEST_MAX_MEMORY_KIB (1ull << 40)   /* 1 PiB */
#define XLV__TEST_MAX_TIME_NS INT64_MAX

/* The default host: pCPUs, and the state file's when it gives none. */
#define XLV__TEST_DEFAULT_PCPUS 8

/*---- the state ----*/

typedef struct {
    bool online;
    uint64_t time_ns;
    libxl_bitmap hard, soft;    /* pcpus bits, never empty */
} xlv__test_vcpu;

typedef struct {
    uint32_t domid;
    char *name;
    xlv_domain_type type;
    unsigned int max_vcpus;
    uint64_t memory_kib;
    xlv__test_vcpu *vcpus;      /* max_vcpus of them */
} xlv__test_domain;

typedef struct {
    unsigned int pcpus;
    unsigned int caps;          /* XLV__CAP_*: what it can run */
    unsigned int n_nodes;
    libxl_bitmap *nodes;        /* pcpus bits each */
    uint32_t next_domid;
    unsigned int n_doms;
    xlv__test_domain *doms;     /* ordered by domid */
} xlv__test_state;

/* Empty; every state is disposed of exactly once, and then empty again. */
void xlv__test_state_init(xlv__test_state *st);
void xlv__test_state_dispose(xlv__test_state *st);
void xlv__test_domain_dispose(xlv__test_domain *d);

/* The empty ST becomes the default host: 8 pCPUs in 2 NUMA nodes,
 * Domain-0 with 2 vCPUs. */
int xlv__test_state_default(xlv_ctx *ctx, xlv__test_state *st);
/* ST's nodes (none yet) become the default ones for its pCPUs. */
int xlv__test_default_numa(xlv_ctx *ctx, xlv__test_state *st);
/* ST's domains (none yet) become Domain-0 alone. */
int xlv__test_default_dom0(xlv_ctx *ctx, xlv__test_state *st);

/* Make BM the set of pCPUs FIRST..LAST in a map of PCPUS bits. */
int xlv__test_bitmap_range(xlv_ctx *ctx, libxl_bitmap *bm,
                           unsigned int pcpus, unsigned int first,
                           unsigned int last);

/* Give D MAX vCPUs, offline, with affinity "all", no time used.
 * D->vcpus must be NULL. */
int xlv__test_domain_alloc_vcpus(xlv_ctx *ctx, xlv__test_domain *d,
                                 unsigned int max, unsigned int pcpus);

/* The pCPU vCPU V is shown on, -1 when offline. */
int xlv__test_vcpu_cpu(const xlv__test_vcpu *v);

/* The domain of ST with DOMID or NAME, or NULL.  Lent. */
xlv__test_domain *xlv__test_find_domid(xlv__test_state *st, uint32_t domid);
xlv__test_domain *xlv__test_find_name(xlv__test_state *st,
                                      const char *name);

/* Why NAME cannot name a domain here, or NULL. */
const char *xlv__test_name_problem(const char *name);

/*---- the state file ----*/

/*
 * Parse the LEN bytes of BUF (NUL-terminated after them) into the empty
 * ST.  PATH names the file in messages.  Errors: XLV_ERR_INVAL ("test
 * host 'PATH': corrupt state: ..."), XLV_ERR_NOMEM.
 */
int xlv__test_state_parse(xlv_ctx *ctx, xlv__test_state *st,
                          const char *path, const char *buf, size_t len);

/*
 * ST as the JSON text of a state file: *BUF_R (NUL-terminated, *LEN_R
 * bytes without the NUL), which the caller frees.  PATH names the file
 * in messages.  Errors: XLV_ERR_INVAL (a name that is not utf-8),
 * XLV_ERR_IO, XLV_ERR_NOMEM.
 */
int xlv__test_state_encode(xlv_ctx *ctx, char **buf_r, size_t *len_r,
                           const char *path, const xlv__test_state *st);

/*---- failures and the trace ----*/

enum {
    XLV__TEST_OP_SET_VCPUONLINE,
    XLV__TEST_OP_SET_VCPUAFFINITY,
    XLV__TEST_OP_CREATE,
    XLV__TEST_OP_DESTROY,
    XLV__TEST_OP_LIST_VCPUS,
    XLV__TEST_OP_DOMAIN_INFO,
    XLV__TEST_OP_LIST_DOMAINS,
    XLV__TEST_OP_PHYSINFO,
    XLV__TEST_N_OPS
};

#define XLV__TEST_MAX_FAULTS 32

/* What the URI's fail= and trace= asked for, and the calls so far. */
typedef struct {
    char *trace_path;                   /* trace=, or NULL */
    unsigned int calls[XLV__TEST_N_OPS];  /* per operation */
    unsigned int n_faults;
    struct {
        int op;
        unsigned int nth;
    } faults[XLV__TEST_MAX_FAULTS];
} xlv__test_faults;

/*
 * Read the parameters after the '?' of a test:///PATH?... URI into the
 * zeroed F: fail=CALL:N[,CALL:N...] and trace=FILE, joined by '&', each
 * at most once.  QUERY is changed in place.  Errors: XLV_ERR_INVAL
 * naming the parameter, XLV_ERR_NOMEM.
 */
int xlv__test_faults_parse(xlv_ctx *ctx, xlv__test_faults *f, char *query);
void xlv__test_faults_dispose(xlv__test_faults *f);

/*
 * Count a call of OP, trace it, and fail it as libxl would
 * (XLV_ERR_LIBXL, ERROR_FAIL) when fail= named it.  Errors: that, and
 * XLV_ERR_IO when the trace file cannot be written.
 */
int xlv__test_faults_call(xlv_ctx *ctx, xlv__test_faults *f, int op);

#endif /* XLV_HOST_TEST_H */
