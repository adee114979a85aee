/*
 * The domain model: what libxlvcpu understands of a domain, read from
 * domain XML or xl.cfg, checked, and written to XML, xl.cfg and libxl.
 * The XML document it came from stays attached, so elements the model does
 * not cover survive a round trip.
 */
#ifndef XLV_DOMAIN_H
#define XLV_DOMAIN_H

#include "private.h"
#include "xml.h"

typedef enum {
    XLV__DISK_FILE = 0,
    XLV__DISK_BLOCK,
} xlv__disk_source_type;

typedef struct {
    xlv__disk_source_type source_type;  /* <disk type=> */
    bool cdrom;                         /* <disk device='cdrom'> */
    char *source;                       /* file or dev; NULL: empty cdrom */
    char *target;                       /* <target dev=>, the vdev */
    char *driver;                       /* <driver name=>: qemu, phy, tap */
    libxl_disk_format format;           /* <driver type=>, RAW default */
    bool readonly;                      /* <readonly/> */
} xlv__disk;

typedef enum {
    XLV__NIC_BRIDGE = 0,
    XLV__NIC_ETHERNET,
} xlv__nic_type;

typedef struct {
    xlv__nic_type type;                 /* <interface type=> */
    char *mac;                          /* <mac address=>, or NULL */
    char *bridge;                       /* <source bridge=>, or NULL */
    char *script;                       /* <script path=>, or NULL */
    char *model;                        /* <model type=>, or NULL */
    char *ifname;                       /* <target dev=>, or NULL */
    char *ip;                           /* <ip address=>, or NULL */
} xlv__nic;

typedef struct {
    libxl_bitmap vcpus;                 /* vCPUs of the cell */
    uint64_t memory_kib;
    uint32_t *distances;                /* n_distances entries or NULL */
    unsigned int n_distances;
} xlv__vnode;


/*
 * The most virtual NUMA cells a domain may have.  Each cell holds a
 * distance to every cell, so the count must be small for the n x n table
 * to stay small; real guests have a few (Xen's own tests use 2 to 4).
 */
#define XLV__MAX_VNODES 32

/* A feature switch of HVM guests: absent, or explicitly on or off. */
typedef enum {
    XLV__FEATURE_ABSENT = 0,
    XLV__FEATURE_ON,
    XLV__FEATURE_OFF,
} xlv__feature;

struct xlv_domain {
    xlv__xml_doc *doc;                  /* the document, edited in place */

    char *name;
    libxl_uuid uuid;
    bool has_uuid;
    xlv_domain_type type;

    uint64_t max_memory_kib;            /* <memory>, xl's maxmem */
    uint64_t memory_kib;                /* <currentMemory>, xl's memory */

    /* vCPUs */
    unsigned int max_vcpus;             /* <vcpu>M</vcpu> */
    libxl_bitmap online;                /* online at boot, max_vcpus bits */
    bool placement_auto;                /* <vcpu placement='auto'> */
    libxl_bitmap hard_default;          /* <vcpu cpuset=>; size 0: none */
    libxl_bitmap *hard;                 /* max_vcpus pins; size 0: none */
    libxl_bitmap soft_default;          /* extension; size 0: none */
    libxl_bitmap *soft;                 /* max_vcpus; size 0: none */
    /* xl's cpus= / cpus_soft= string, as written, when it names NUMA
     * nodes: the default affinity then, in place of hard_default /
     * soft_default (unset), until the host the domain starts on resolves
     * it (xlv__domain_resolve_defaults()).  NULL: none. */
    char *hard_nodes, *soft_nodes;
    unsigned int sockets, dies, cores, threads;   /* 0: no <topology> */
    xlv__vnode *vnodes;                 /* at most XLV__MAX_VNODES */
    unsigned int n_vnodes;
    unsigned int weight;                /* <cputune><shares>; 0: unset */

    /* boot */
    char *kernel, *initrd, *cmdline;
    char *bootloader, *bootloader_args;
    char *loader;                       /* HVM firmware path */
    char *boot_order;                   /* HVM: xl's boot=, e.g. "cd" */
    xlv__feature acpi, apic, pae;
    libxl_action_on_shutdown on_poweroff, on_reboot, on_crash;
    bool has_on_poweroff, has_on_reboot, has_on_crash;

    xlv__disk *disks;
    unsigned int n_disks;
    xlv__nic *nics;
    unsigned int n_nics;
};

/* The signature shared by xlv_domain_from_xml() and _from_xlcfg(). */
typedef int xlv__domain_parse_fn(xlv_ctx *ctx, xlv_domain **dom_r,
                                 const char *text, size_t len,
                                 const char *name, unsigned int flags);

/*
 * Read the file PATH ("-": standard input) within the document size limit
 * and hand it to PARSE, named as the file in messages.
 */
int xlv__domain_from_file(xlv_ctx *ctx, xlv_domain **dom_r,
                          const char *path, xlv__domain_parse_fn *parse,
                          unsigned int flags);

/* An empty domain (every field zero or unset, no document). */
int xlv__domain_new(xlv_ctx *ctx, xlv_domain **dom_r);

/*
 * Read the model from DOM->doc, which must be set, and check it
 * (xlv__domain_check()).  Errors: XLV_ERR_XML, _INVAL, _CONFLICT, _NOMEM.
 */
int xlv__domain_parse(xlv_ctx *ctx, xlv_domain *dom);

/*
 * Check the rules that hold whatever the source: name, limits on counts,
 * online map within max, pins within max, topology and NUMA cells against
 * max.  Called by both readers.
 */
int xlv__domain_check(xlv_ctx *ctx, const xlv_domain *dom);

/*
 * Give DOM a document built from the model (for domains read from xl.cfg).
 * Errors: XLV_ERR_NOMEM.
 */
int xlv__domain_format(xlv_ctx *ctx, xlv_domain *dom);

/*
 * Bring the vCPU elements of DOM->doc (<vcpu>, <vcpus>, <cputune> pins and
 * shares, the soft affinity extension) in line with the model, in place.
 */
int xlv__domain_format_vcpus(xlv_ctx *ctx, xlv_domain *dom);

/* Allocate the per-vCPU arrays and online map for MAX vCPUs, all unset. */
int xlv__domain_alloc_vcpus(xlv_ctx *ctx, xlv_domain *dom, unsigned int max);

/*
 * Change the maximum to MAX, keeping the pins and online state of the
 * vCPUs below it; vCPUs above the old maximum come offline and unpinned.
 * Refused (XLV_ERR_CONFLICT) when vNUMA cells or a topology fix the count.
 */
int xlv__domain_set_max(xlv_ctx *ctx, xlv_domain *dom, unsigned int max);

/*
 * Grow or shrink the online map MAP (of MAX vCPUs) to COUNT vCPUs from
 * the top: the lowest offline vCPUs come online, the highest online ones
 * go offline; the rest keep their state, so a sparse map stays sparse.
 */
void xlv__online_resize(libxl_bitmap *map, unsigned int max,
                        unsigned int count);

/*
 * DOM's default hard and soft affinities into *HARD_R and *SOFT_R (size
 * 0: none), with its node items (hard_nodes, soft_nodes) resolved in the
 * layout NODES (N_NODES nodes: the pCPUs of each).  Errors: those of
 * xlv__xl_cpus_parse_nodes(), XLV_ERR_UNSUPPORTED (node items and no
 * layout), XLV_ERR_NOMEM.
 */
int xlv__domain_resolve_defaults(xlv_ctx *ctx, const xlv_domain *dom,
                                 const libxl_bitmap *nodes,
                                 unsigned int n_nodes, libxl_bitmap *hard_r,
                                 libxl_bitmap *soft_r);

/* xlv_domain_to_libxl() with DOM's default affinities HARD and SOFT as
 * given (size 0: none), node items already resolved: on the host that
 * boots DOM, xlv__host_resolve_defaults() gives them. */
int xlv__domain_to_libxl_with(xlv_ctx *ctx, struct libxl_domain_config *cfg,
                              const xlv_domain *dom, const libxl_bitmap *hard,
                              const libxl_bitmap *soft);

/* The affinity of vCPU I of PINS (MAX of them): its pin, else DFLT (size
 * 0: none), else NULL (any pCPU). */
const libxl_bitmap *xlv__pin_or(const libxl_bitmap *pins, unsigned int max,
                                const libxl_bitmap *dflt, unsigned int i);

/* The effective hard / soft affinity of vCPU I: its pin, else the default,
 * else NULL (any pCPU; also for a default that names NUMA nodes and is not
 * resolved yet: see hard_nodes). */
const libxl_bitmap *xlv__domain_hard(const xlv_domain *dom, unsigned int i);
const libxl_bitmap *xlv__domain_soft(const xlv_domain *dom, unsigned int i);

/*
 * Shutdown actions by the names libvirt's <on_*> elements and xl's on_*=
 * keys share.  The name of A, or NULL when it has none (soft-reset);
 * whether NAME is one, filling *A_R.
 */
const char *xlv__action_name(libxl_action_on_shutdown a);
bool xlv__action_from_name(const char *name, libxl_action_on_shutdown *a_r);

/*
 * What is wrong with NAME as a domain name (empty, too long, a leading
 * '.', a '/' or a control character), as a static phrase, or NULL when it
 * is fine.  Readers word the error their own way around it.
 */
const char *xlv__domain_name_problem(const char *name);

/*
 * The distance from vNUMA cell I to cell J: as given, else as given the
 * other way round, else 10 to itself and 20 to another, as libvirt
 * completes a partial matrix (0 in the model is "not given").
 */
unsigned int xlv__domain_vnode_distance(const xlv_domain *dom,
                                        unsigned int i, unsigned int j);

/* "pv", "pvh" or "hvm", as xl.cfg's type= and xl say it. */
const char *xlv__domain_type_name(xlv_domain_type type);

/* The largest vCPU count allowed for TYPE. */
unsigned int xlv__domain_type_max_vcpus(xlv_domain_type type);

#endif /* XLV_DOMAIN_H */
