/*
 * libxlvcpu: virtual CPU configuration for Xen domains, on top of libxl.
 *
 * This is the one installed header of the library.  It is the reference
 * documentation of the API: every declaration says what it does, what it
 * fills in, which errors it returns and who frees what.
 *
 * Conventions
 *  - Every function taking an xlv_ctx returns 0 on success or a negative
 *    XLV_ERR_* code.  On failure a one-line message is kept on the ctx
 *    (xlv_ctx_error()) until the next failing call on that ctx.
 *  - Names say the object, then the verb: xlv_domain_define(),
 *    xlv_vcpu_set(), xlv_vcpu_info_get_cpu().
 *  - Outputs come straight after the ctx (or the connection), are passed
 *    as pointers with an _r suffix and are only written on success.  What
 *    is returned through "T **x_r" belongs to the caller and is freed with
 *    the NULL-safe xlv_T_free() named in the declaration.
 *  - What the library fills in for the caller (counts, lists) is opaque
 *    and read through accessors, so that it can grow without breaking
 *    callers built against an older version.
 *  - The last argument of every call that can fail is "unsigned int
 *    flags"; bits a call does not know are refused with XLV_ERR_INVAL
 *    before anything is done.
 *  - There is no global state: one ctx per thread, or serialise its use.
 *  - Nothing here needs a running hypervisor.  Conversion works on any
 *    machine where libxenlight is installed.
 *  - libxml2 (libxml2.so.2) is loaded the first time a call parses or
 *    makes XML, not at start-up, so that the live calls stay light; where
 *    it cannot be loaded, such a call fails with XLV_ERR_UNSUPPORTED and
 *    a message saying why.
 */
#ifndef LIBXLVCPU_H
#define LIBXLVCPU_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XLV_VERSION_MAJOR 1
#define XLV_VERSION_MINOR 1
#define XLV_VERSION_PATCH 0
#define XLV_VERSION "1.1.0"

/* Additive features, for callers that must build against several versions. */
#define XLV_HAVE_DOMAIN_XML 1        /* xlv_domain_from_xml, _to_xml */
#define XLV_HAVE_DOMAIN_XLCFG 1      /* xlv_domain_from_xlcfg, _to_xlcfg */
#define XLV_HAVE_DOMAIN_LIBXL 1      /* xlv_domain_to_libxl, _to_libxl_json */

/* Limits enforced on every domain, from Xen 4.17. */
#define XLV_MAX_VCPUS_HVM 128        /* HVM_MAX_VCPUS, also used for PVH */
#define XLV_MAX_VCPUS_PV 8192        /* MAX_VIRT_CPUS */
#define XLV_MAX_PCPUS 4096           /* physical CPU ids are below this */
#define XLV_MAX_DOCUMENT_BYTES (4u * 1024 * 1024)

/* Marks what the shared library exports (it is built -fvisibility=hidden). */
#if defined(__GNUC__) && __GNUC__ >= 4
#define XLV_API __attribute__((visibility("default")))
#else
#define XLV_API
#endif

/* Return codes.  0 is success; every failure is one of these. */
enum {
    XLV_ERR_INVAL = -1,          /* a value or argument is not acceptable */
    XLV_ERR_NOMEM = -2,          /* out of memory */
    XLV_ERR_XML = -3,            /* document is not well-formed or refused */
    XLV_ERR_CONFIG = -4,         /* xl.cfg text could not be parsed */
    XLV_ERR_NOTFOUND = -5,       /* no such domain, file or item */
    XLV_ERR_STATE = -6,          /* not possible in the object's state */
    XLV_ERR_UNSUPPORTED = -7,    /* valid, but not something we can do */
    XLV_ERR_CONFLICT = -8,       /* contradicts another part of the input */
    XLV_ERR_LIBXL = -9,          /* libxl failed; see xlv_ctx_libxl_rc() */
    XLV_ERR_IO = -10,            /* a system call failed: the message says */
    XLV_ERR_BUSY = -11           /* another command holds the domain */
};

/* The type of guest, as libxl knows it. */
typedef enum {
    XLV_DOMAIN_TYPE_PV = 1,
    XLV_DOMAIN_TYPE_PVH = 2,
    XLV_DOMAIN_TYPE_HVM = 3
} xlv_domain_type;

/* A library context: error state and the caller's logger.  Opaque. */
typedef struct xlv_ctx xlv_ctx;

/* One domain definition, read from XML or xl.cfg.  Opaque. */
typedef struct xlv_domain xlv_domain;

/* libxl's types, declared here so this header does not pull in libxl.h. */
struct libxl_domain_config;
struct xentoollog_logger;

/*
 * Create a context.  LOGGER may be NULL (no logging); it is borrowed and
 * must outlive the ctx.  No flags are defined yet: pass 0.
 * Fills *ctx_r; free it with xlv_ctx_free().
 * Errors: XLV_ERR_INVAL (flags), XLV_ERR_NOMEM.  No message is available
 * when this fails, as there is no ctx to keep it.
 */
XLV_API
int xlv_ctx_new(xlv_ctx **ctx_r, struct xentoollog_logger *logger,
                unsigned int flags);

/* Free a context.  NULL is accepted. */
XLV_API
void xlv_ctx_free(xlv_ctx *ctx);

/*
 * The message of the last failure on CTX: one line, lowercase, naming what
 * was wrong and the offending value in quotes.  "" if nothing failed yet.
 * Lent: valid until the next call on CTX.
 */
XLV_API
const char *xlv_ctx_error(const xlv_ctx *ctx);

/* The XLV_ERR_* code of the last failure on CTX, or 0. */
XLV_API
int xlv_ctx_error_code(const xlv_ctx *ctx);

/* libxl's own return code when the last failure was XLV_ERR_LIBXL, else 0. */
XLV_API
int xlv_ctx_libxl_rc(const xlv_ctx *ctx);

/*
 * Tell CTX the host's NUMA layout, used to resolve xl's node:N in cpus=
 * when converting to libxl (a domain started on a host uses the host's).
 * NODE_CPUS[i] is the cpuset (libvirt syntax, e.g. "0-3") of node i, for
 * N_NODES nodes; the strings are copied, and replace any layout given
 * before (only when all of them parse).  A toolstack with a libxl_ctx
 * gets them from libxl_get_cpu_topology().  Pass 0 as flags.
 * Errors: XLV_ERR_INVAL (a bad cpuset, no nodes), XLV_ERR_NOMEM.
 */
XLV_API
int xlv_ctx_set_numa_nodes(xlv_ctx *ctx, const char *const *node_cpus,
                           unsigned int n_nodes, unsigned int flags);

/* A static, lowercase description of an XLV_ERR_* code. */
XLV_API
const char *xlv_strerror(int rc);

/*
 * Parse libvirt-style domain XML (root <domain type='xen'>) of LEN bytes.
 * NAME names the source in error messages (a file name, or NULL).
 * The document is checked fully: vCPU counts and limits, online map,
 * cpusets and pins, topology, NUMA cells, memory, devices.  Elements the
 * library does not model are kept and written back by xlv_domain_to_xml().
 * The parser never loads anything the document names: documents with a
 * DOCTYPE or entity declarations are refused.
 * Fills *dom_r; free it with xlv_domain_free().
 * Errors: XLV_ERR_XML (not well-formed, wrong root, DTD), XLV_ERR_INVAL
 * (a value), XLV_ERR_CONFLICT (two parts disagree), XLV_ERR_NOMEM.
 * No flags are defined yet: pass 0.
 */
XLV_API
int xlv_domain_from_xml(xlv_ctx *ctx, xlv_domain **dom_r, const char *xml,
                        size_t len, const char *name, unsigned int flags);

/*
 * As xlv_domain_from_xml(), reading the file PATH ("-" is standard input).
 * Files larger than XLV_MAX_DOCUMENT_BYTES are refused.
 * Errors: those of xlv_domain_from_xml(), and XLV_ERR_IO, XLV_ERR_NOTFOUND.
 */
XLV_API
int xlv_domain_from_xml_file(xlv_ctx *ctx, xlv_domain **dom_r,
                             const char *path, unsigned int flags);

/*
 * Parse xl.cfg text (xl.cfg(5)) of LEN bytes, read with libxlutil, into a
 * domain.  NAME names the source in error messages (or NULL).
 * xl's whole cpus= syntax is accepted: all, N, N-M, ^N, lists, and
 * node:N / nodes:N-M.  A cpus= or cpus_soft= string that names nodes is
 * kept as written (in domain XML, <xlvcpu:nodes> in <metadata>, and
 * written back to xl.cfg as it was) and resolved, as xl does, when the
 * domain is built: with the layout given to xlv_ctx_set_numa_nodes() by
 * xlv_domain_to_libxl(), with the host's when it starts.  In a list, node
 * items are resolved now, with the ctx's layout (XLV_ERR_UNSUPPORTED
 * when none was given).
 * The xm key vcpu_avail (a bitmask, or a cpuset string as
 * xlv_domain_to_xlcfg() writes it) gives a sparse online map.
 * name= and memory= are required.  Text holding a NUL byte or larger
 * than XLV_MAX_DOCUMENT_BYTES is refused.
 * Fills *dom_r; free it with xlv_domain_free().
 * Errors: XLV_ERR_CONFIG (syntax), XLV_ERR_INVAL, XLV_ERR_CONFLICT,
 * XLV_ERR_UNSUPPORTED, XLV_ERR_NOMEM.  No flags are defined yet: pass 0.
 */
XLV_API
int xlv_domain_from_xlcfg(xlv_ctx *ctx, xlv_domain **dom_r, const char *cfg,
                          size_t len, const char *name, unsigned int flags);

/* As xlv_domain_from_xlcfg(), reading the file PATH ("-" is stdin).
 * Errors: also XLV_ERR_IO, XLV_ERR_NOTFOUND. */
XLV_API
int xlv_domain_from_xlcfg_file(xlv_ctx *ctx, xlv_domain **dom_r,
                               const char *path, unsigned int flags);

/*
 * Read the domain file PATH ("-" is standard input) in either format, told
 * by its content and not by its name: domain XML when its first character
 * other than white space (after a UTF-8 byte order mark) is '<', else
 * xl.cfg.  OVERRIDES is NULL or a NULL-terminated array of xl.cfg
 * settings, "KEY=VALUE" each, as xl create takes them after its file: they
 * are read after the file's own, so that they win.  They apply to xl.cfg
 * only.  Since 1.1 (XLV_HAVE_DOMAIN_FROM_FILE).
 * Errors: those of xlv_domain_from_xml_file() and
 * xlv_domain_from_xlcfg_file(), and XLV_ERR_INVAL for an empty file, a
 * file that is not XML and not UTF-8 text, overrides given with an XML
 * file, or one that is not a single KEY=VALUE setting.
 * No flags are defined yet: pass 0.
 */
#define XLV_HAVE_DOMAIN_FROM_FILE 1
XLV_API
int xlv_domain_from_file(xlv_ctx *ctx, xlv_domain **dom_r, const char *path,
                         const char *const *overrides, unsigned int flags);

/*
 * Write DOM as domain XML: the document it was read from, with the vCPU
 * elements brought up to date, or a new document for a domain read from
 * xl.cfg.  Fills *xml_r with a NUL-terminated string the caller frees
 * with free().  Errors: XLV_ERR_NOMEM, XLV_ERR_XML.  Pass 0 as flags.
 */
XLV_API
int xlv_domain_to_xml(xlv_ctx *ctx, char **xml_r, const xlv_domain *dom,
                      unsigned int flags);

/*
 * Write DOM as xl.cfg text that xl(1) accepts.  Per-vCPU pins that differ
 * are written in xl's list form of cpus= and cpus_soft=.  A sparse online
 * map, which xl cannot express, goes in vcpu_avail= (read back by
 * xlv_domain_from_xlcfg(); xl itself boots vCPUs 0..vcpus-1).  Fills
 * *cfg_r with a NUL-terminated string the caller frees with free().
 * Errors: XLV_ERR_INVAL (flags, or a value xl.cfg cannot hold: a string
 * with a double quote, backslash or line break, a comma inside a vif or
 * disk field, a NUMA cell that is not a whole number of MiB),
 * XLV_ERR_NOMEM.  Pass 0 as flags.
 */
XLV_API
int xlv_domain_to_xlcfg(xlv_ctx *ctx, char **cfg_r, const xlv_domain *dom,
                        unsigned int flags);

/*
 * Fill CFG, which the caller has initialised with
 * libxl_domain_config_init(), with DOM as libxl would get it from
 * "xl create": c_info, b_info (max_vcpus, avail_vcpus, vcpu hard and soft
 * affinity, vNUMA, memory, kernel or bootloader, HVM features), disks,
 * nics and lifecycle actions.  No libxl_ctx is needed.  On failure CFG may
 * hold part of the result: the caller always disposes of it with
 * libxl_domain_config_dispose().  Affinities that name NUMA nodes (xl's
 * cpus="node:1") are resolved with the layout given to
 * xlv_ctx_set_numa_nodes().
 * Errors: XLV_ERR_NOMEM, XLV_ERR_INVAL, XLV_ERR_UNSUPPORTED (node items
 * and no layout).  Pass 0 as flags.
 */
XLV_API
int xlv_domain_to_libxl(xlv_ctx *ctx, struct libxl_domain_config *cfg,
                        const xlv_domain *dom, unsigned int flags);

/*
 * The libxl JSON of DOM, exactly what "xl -N create" prints for the
 * equivalent xl.cfg.  Fills *json_r; the caller frees it with free().
 * Errors: those of xlv_domain_to_libxl(), XLV_ERR_LIBXL.  Pass 0 as flags.
 */
XLV_API
int xlv_domain_to_libxl_json(xlv_ctx *ctx, char **json_r,
                             const xlv_domain *dom, unsigned int flags);

/* Free a domain.  NULL is accepted. */
XLV_API
void xlv_domain_free(xlv_domain *dom);

/* The domain's name.  Lent: valid as long as DOM. */
XLV_API
const char *xlv_domain_get_name(const xlv_domain *dom);

/* The domain's type. */
XLV_API
xlv_domain_type xlv_domain_get_type(const xlv_domain *dom);

/* The maximum number of vCPUs (<vcpu>M</vcpu>, xl's maxvcpus). */
XLV_API
unsigned int xlv_domain_get_max_vcpus(const xlv_domain *dom);

/* How many vCPUs are online at boot (<vcpu current=>, xl's vcpus). */
XLV_API
unsigned int xlv_domain_get_current_vcpus(const xlv_domain *dom);

/* Whether vCPU VCPU is online at boot: 1 yes, 0 no (or out of range). */
XLV_API
int xlv_domain_vcpu_is_online(const xlv_domain *dom, unsigned int vcpu);

/* ---------------------------------------------------------------------
 * Hosts, the persistent store, and scoped changes.
 *
 * A connection joins a host (where domains run) and a store (where their
 * persistent definitions live, one XML file per domain).  Changes name
 * their scope, as libvirt's virDomainSetVcpusFlags() does:
 *   XLV_AFFECT_CONFIG   the persistent definition: the next boot;
 *   XLV_AFFECT_LIVE     the running domain only;
 *   both                live first, then config; if the config cannot be
 *                       written the live change is undone: never half done;
 *   XLV_AFFECT_CURRENT  (0) live when the domain runs, config otherwise.
 * ------------------------------------------------------------------- */

#define XLV_HAVE_CONN 1              /* xlv_conn and everything below */

#define XLV_AFFECT_CURRENT 0u
#define XLV_AFFECT_LIVE 1u
#define XLV_AFFECT_CONFIG 2u
#define XLV_VCPU_MAXIMUM 4u          /* vcpu_set: change the maximum */
#define XLV_VCPU_FORCE 8u            /* vcpu_pin: libxl's _force variant */
#define XLV_VCPU_IGNORE_HOST 16u     /* vcpu_set: more vCPUs than pCPUs */
#define XLV_DRY_RUN 32u              /* check all, change nothing */
#define XLV_XML_INACTIVE 64u         /* get_xml: the persistent one */
#define XLV_LIST_ALL 128u            /* domain_list: defined ones too */

#define XLV_DEFAULT_URI "xen:///system"
#define XLV_DEFAULT_STATE_DIR "/var/lib/xlvcpu"
#define XLV_DEFAULT_RUN_DIR "/run/xlvcpu"
#define XLV_DEFAULT_HOOK_DIR "/etc/xlvcpu/hooks"   /* xlvcpu's; opt-in */

/* A host and a store.  Opaque. */
typedef struct xlv_conn xlv_conn;

/*
 * Open a connection.  URI: "xen:///system" (NULL: that), or
 * "test:///ABSOLUTE/PATH.json", a simulated host whose state is that file;
 * its parameters "?fail=CALL:N[,CALL:N...]" make the Nth call of that
 * host operation fail as libxl would (for tests of rollback), and
 * "&trace=/FILE" appends a line per host call to FILE (xlvcpu(1),
 * ENVIRONMENT, lists the calls).
 * STATE_DIR holds the persistent definitions (NULL: /var/lib/xlvcpu); it
 * is refused when it is a symlink, owned by another user, or writable by
 * others.  When missing, it is created 0700 by the first call that
 * changes a definition or takes a domain's lock; until then it holds
 * none, and calls that only read leave no directory behind.  The host itself is contacted only
 * by calls that need it, so config-only work runs without a hypervisor.
 * FLAGS (0 for both) say what the caller will not use, so that it is not
 * touched: with XLV_CONN_NO_STORE, STATE_DIR is neither opened nor
 * created, and every call that needs a definition fails with
 * XLV_ERR_INVAL saying so (xlv_vcpu_list() needs none); with
 * XLV_CONN_NO_HOST, every call that needs the host fails so, and none
 * contacts it.  Fills *conn_r; close it with xlv_conn_close().
 * Errors: XLV_ERR_INVAL (URI, directory, flags), XLV_ERR_IO,
 * XLV_ERR_NOMEM.
 */
#define XLV_CONN_NO_STORE (1u << 0)
#define XLV_CONN_NO_HOST (1u << 1)
XLV_API
int xlv_conn_open(xlv_ctx *ctx, xlv_conn **conn_r, const char *uri,
                  const char *state_dir, unsigned int flags);

/* Close a connection.  NULL is accepted. */
XLV_API
void xlv_conn_close(xlv_conn *conn);

/*
 * Where live definitions of the domains started through this library are
 * kept (default: /run/xlvcpu on xen:///, PATH.run on test:///PATH), and
 * where the vcpu-set hooks are: executables in DIR/before-vcpu-set.d/ and
 * DIR/after-vcpu-set.d/, run in name order around each vcpu-set.  Hooks
 * are opt-in: a connection has none until this is called (NULL turns them
 * off again); xlvcpu(1) uses XLV_DEFAULT_HOOK_DIR.  Hooks run with the
 * caller's rights, so a hook, DIR or a stage directory that is a symlink,
 * is owned by neither root nor the caller, or is writable by group or
 * others is refused: a before-hook so refused refuses the change, naming
 * it; an after-hook so refused is not run.  A hook still running after 30
 * seconds is killed with every process it started (its process group).
 * DIR is copied; a NULL run directory gives back the default.  Call
 * before anything else on CONN.  Pass 0 as flags.
 * Errors: XLV_ERR_INVAL (flags), XLV_ERR_NOMEM.
 */
XLV_API
int xlv_conn_set_run_dir(xlv_ctx *ctx, xlv_conn *conn, const char *dir,
                         unsigned int flags);
XLV_API
int xlv_conn_set_hook_dir(xlv_ctx *ctx, xlv_conn *conn, const char *dir,
                          unsigned int flags);

/*
 * Keep a journal of changes in the file PATH (absolute; NULL: none, the
 * default): every change made through CONN appends one line, "KEY PID
 * NAME SCOPE OPERATION", while the domain's lock is still held, so that
 * the lines of one domain come in the order its changes were made (KEY is
 * CLOCK_MONOTONIC in nanoseconds).  Best effort: a line that cannot be
 * written does not fail the change.  PATH is copied.  Pass 0 as flags.
 * Errors: XLV_ERR_INVAL (flags, a relative path), XLV_ERR_NOMEM.
 */
XLV_API
int xlv_conn_set_lock_log(xlv_ctx *ctx, xlv_conn *conn, const char *path,
                          unsigned int flags);

/*
 * Store DOM as the persistent definition of its name, replacing any
 * earlier one, atomically.  Flags: XLV_DRY_RUN.
 * Errors: XLV_ERR_INVAL (flags, a name the store cannot hold), XLV_ERR_IO,
 * XLV_ERR_BUSY (another command holds the domain), XLV_ERR_XML and
 * XLV_ERR_UNSUPPORTED (writing the XML: libxml2 cannot be loaded),
 * XLV_ERR_NOMEM.
 */
XLV_API
int xlv_domain_define(xlv_ctx *ctx, xlv_conn *conn, const xlv_domain *dom,
                      unsigned int flags);

/*
 * Remove the persistent definition NAME (a running domain keeps running).
 * Flags: XLV_DRY_RUN.
 * Errors: XLV_ERR_INVAL (flags, name), XLV_ERR_NOTFOUND, XLV_ERR_IO,
 * XLV_ERR_BUSY, XLV_ERR_NOMEM.
 */
XLV_API
int xlv_domain_undefine(xlv_ctx *ctx, xlv_conn *conn, const char *name,
                        unsigned int flags);

/*
 * Mark the defined domain NAME to be started at boot (AUTOSTART non-zero),
 * or take the mark away: "xlvcpu start --autostart" starts the marked
 * domains.  The mark is kept beside the definition; undefining the domain
 * removes it, defining it again keeps it.  Setting what is already set
 * changes nothing.  Flags: XLV_DRY_RUN.  Since 1.1
 * (XLV_HAVE_DOMAIN_AUTOSTART).
 * Errors: XLV_ERR_INVAL (flags, name, or a mark that is a symlink, not a
 * regular file, or not ours), XLV_ERR_NOTFOUND (not defined), XLV_ERR_IO,
 * XLV_ERR_BUSY,
 * XLV_ERR_UNSUPPORTED (a connection opened with XLV_CONN_NO_STORE),
 * XLV_ERR_NOMEM.
 */
#define XLV_HAVE_DOMAIN_AUTOSTART 1
XLV_API
int xlv_domain_set_autostart(xlv_ctx *ctx, xlv_conn *conn, const char *name,
                             int autostart, unsigned int flags);

/*
 * Boot the defined domain NAME: its configured vCPUs online from the
 * start and every configured pin and soft affinity applied at build time.
 * Fills *domid_r (may be NULL) with the new domain's id.
 * Flags: XLV_DRY_RUN.
 * Errors: XLV_ERR_INVAL (flags, name, a type the host cannot run: the
 * message names the host's types), XLV_ERR_NOTFOUND (not defined),
 * XLV_ERR_STATE (already running), XLV_ERR_LIBXL, XLV_ERR_IO,
 * XLV_ERR_BUSY, the errors of xlv_domain_from_xml() for a stored
 * definition that no longer reads, XLV_ERR_NOMEM.
 */
XLV_API
int xlv_domain_start(xlv_ctx *ctx, xlv_conn *conn, unsigned int *domid_r,
                     const char *name, unsigned int flags);

/*
 * Boot DOM as a transient domain: as xlv_domain_start(), without a
 * persistent definition (its live definition is kept while it runs).
 * Fills *domid_r (may be NULL).  Flags: XLV_DRY_RUN.
 * Errors: XLV_ERR_INVAL (flags, a type the host cannot run),
 * XLV_ERR_STATE (a domain of that name runs), XLV_ERR_LIBXL, XLV_ERR_IO,
 * XLV_ERR_BUSY, XLV_ERR_XML and XLV_ERR_UNSUPPORTED (writing the live
 * definition), XLV_ERR_NOMEM.
 */
XLV_API
int xlv_domain_create(xlv_ctx *ctx, xlv_conn *conn, unsigned int *domid_r,
                      const xlv_domain *dom, unsigned int flags);

/*
 * Set the number of vCPUs of domain DOM (a name, or a domid when running)
 * to COUNT; *old_r (when not NULL) gets the count it had before, live when
 * the live scope is changed, else configured.  In the scope of FLAGS
 * (XLV_AFFECT_*), with XLV_VCPU_MAXIMUM
 * (config scope only: changes the maximum; lowering it below the current
 * count lowers that too), XLV_VCPU_IGNORE_HOST, XLV_DRY_RUN.
 * Live: vCPUs are plugged and unplugged with libxl_set_vcpuonline, from the
 * top of the online map; pins are kept.  The new map is given to libxl
 * also when Xen already runs it, so that it replaces a request the guest
 * has not taken yet (*old_r counts what Xen runs).
 * Errors: XLV_ERR_INVAL (count, flags), XLV_ERR_STATE (--live on a domain
 * that is not running; config scope on a domain with no definition),
 * XLV_ERR_UNSUPPORTED (unplug from a running HVM guest), XLV_ERR_NOTFOUND,
 * XLV_ERR_LIBXL, XLV_ERR_IO, XLV_ERR_BUSY, XLV_ERR_NOMEM.
 */
XLV_API
int xlv_vcpu_set(xlv_ctx *ctx, xlv_conn *conn, unsigned int *old_r,
                 const char *dom, unsigned int count, unsigned int flags);

#define XLV_VCPU_ALL (-1)

/*
 * Pin vCPU VCPU (or every vCPU: XLV_VCPU_ALL) of DOM.  HARD and SOFT are
 * in xl's syntax (e.g. "2-5,^3", "node:1" with a NUMA layout, "all" for
 * no affinity) or NULL / "-" to leave that one as it is.  Offline vCPUs
 * can be pinned.  Flags: XLV_AFFECT_*, XLV_VCPU_FORCE, XLV_DRY_RUN.
 * Errors: XLV_ERR_INVAL (flags, vcpu, a cpuset), XLV_ERR_STATE,
 * XLV_ERR_NOTFOUND, XLV_ERR_LIBXL, XLV_ERR_IO, XLV_ERR_BUSY,
 * XLV_ERR_NOMEM.
 */
XLV_API
int xlv_vcpu_pin(xlv_ctx *ctx, xlv_conn *conn, const char *dom, int vcpu,
                 const char *hard, const char *soft, unsigned int flags);

/* What xlv_domain_apply() changed, or would change.  Opaque. */
typedef struct xlv_apply_result xlv_apply_result;

/*
 * Make the vCPU facts of the domain named by WANT (a domain read from a
 * file) equal to WANT's, in the scope of FLAGS (XLV_AFFECT_*), changing
 * only what differs: the maximum, which vCPUs are online, and the hard and
 * soft affinity of each vCPU.  The rest of WANT (memory, devices) is not
 * looked at: xlv_domain_define() replaces a whole definition.
 * Config: one write of the definition, its type must be WANT's.  Live:
 * affinities first (an offline vCPU can be pinned), then the online map
 * with libxl_set_vcpuonline; a maximum that differs is refused, as Xen
 * cannot change it on a running domain, and so is what vcpu set refuses
 * (taking vCPUs from an HVM guest, more vCPUs than pCPUs without
 * XLV_VCPU_IGNORE_HOST, a sparse map for a PVH or HVM guest).  Both scopes:
 * all or nothing, as xlv_vcpu_set().  A change of the count or of the
 * maximum runs the hooks of vcpu-set; one that fails stops the change.
 * Flags: XLV_AFFECT_*, XLV_VCPU_IGNORE_HOST, XLV_VCPU_FORCE (as for
 * xlv_vcpu_pin), XLV_DRY_RUN (plan, change nothing: the result says what
 * would change).  Fills *result_r (may be NULL) with what changed, none
 * when the domain already matched (NULL on failure); free it with
 * xlv_apply_result_free().  Since 1.1 (XLV_HAVE_DOMAIN_APPLY).
 * Errors: XLV_ERR_INVAL (flags, counts, affinities with no pCPU of the
 * host), XLV_ERR_CONFLICT (another type, a maximum fixed by vNUMA cells),
 * XLV_ERR_UNSUPPORTED (what Xen cannot do live), and those of
 * xlv_vcpu_set() and xlv_vcpu_pin().
 */
#define XLV_HAVE_DOMAIN_APPLY 1
XLV_API
int xlv_domain_apply(xlv_ctx *ctx, xlv_conn *conn, xlv_apply_result **result_r,
                     const xlv_domain *want, unsigned int flags);
XLV_API
void xlv_apply_result_free(xlv_apply_result *result);

/* The scope the changes were made in, "live", "config" or "live+config",
 * with XLV_AFFECT_CURRENT resolved. */
XLV_API
const char *xlv_apply_result_get_scope(const xlv_apply_result *result);

/* How many changes there are: 0 when the domain already matched. */
XLV_API
unsigned int xlv_apply_result_length(const xlv_apply_result *result);

/*
 * Change I (below the length; NULL beyond): WHAT is "maximum", "vcpus"
 * (how many are online), "online" (which ones, given when the count alone
 * does not say), "hard affinity of vcpu N" or "soft affinity of vcpus N-M"
 * (neighbours that change alike share one change); OLD and NEW are a
 * count, a cpu list, or "all" for no affinity; SCOPE is "live" or
 * "config".  Live changes come before config ones, and in each the
 * maximum, the count, the online map, then the hard and soft affinities.
 * The strings belong to RESULT.
 */
XLV_API
const char *xlv_apply_result_get_what(const xlv_apply_result *result,
                                      unsigned int i);
XLV_API
const char *xlv_apply_result_get_old(const xlv_apply_result *result,
                                     unsigned int i);
XLV_API
const char *xlv_apply_result_get_new(const xlv_apply_result *result,
                                     unsigned int i);
XLV_API
const char *xlv_apply_result_get_change_scope(const xlv_apply_result *result,
                                              unsigned int i);

/* vCPU counts of a domain, as "virsh vcpucount" shows them.  Opaque. */
typedef struct xlv_vcpu_counts xlv_vcpu_counts;

/*
 * The vCPU counts of DOM (a name, or a domid when running).  Fills
 * *counts_r; free it with xlv_vcpu_counts_free().  Pass 0 as flags.
 * Errors: XLV_ERR_INVAL (flags), XLV_ERR_NOTFOUND (neither defined nor
 * running), XLV_ERR_LIBXL, XLV_ERR_IO, XLV_ERR_NOMEM.
 */
XLV_API
int xlv_vcpu_count(xlv_ctx *ctx, xlv_conn *conn, xlv_vcpu_counts **counts_r,
                   const char *dom, unsigned int flags);
XLV_API
void xlv_vcpu_counts_free(xlv_vcpu_counts *counts);

/* Whether the domain has a persistent definition; whether it runs. */
XLV_API
int xlv_vcpu_counts_is_defined(const xlv_vcpu_counts *counts);
XLV_API
int xlv_vcpu_counts_is_running(const xlv_vcpu_counts *counts);
/* The maximum and the current count of the persistent definition (0 when
 * not defined) and of the running domain (0 when not running). */
XLV_API
unsigned int xlv_vcpu_counts_get_config_max(const xlv_vcpu_counts *counts);
XLV_API
unsigned int xlv_vcpu_counts_get_config_current(
    const xlv_vcpu_counts *counts);
XLV_API
unsigned int xlv_vcpu_counts_get_live_max(const xlv_vcpu_counts *counts);
XLV_API
unsigned int xlv_vcpu_counts_get_live_current(const xlv_vcpu_counts *counts);

/* One row of "xl vcpu-list", and a list of them.  Opaque. */
typedef struct xlv_vcpu_info xlv_vcpu_info;
typedef struct xlv_vcpu_info_list xlv_vcpu_info_list;

/*
 * The vCPUs of the running domains named in DOMS (N of them), or of every
 * running domain when N is 0, in xl's order.  Fills *list_r; free it with
 * xlv_vcpu_info_list_free().  Pass 0 as flags.
 * Errors: XLV_ERR_INVAL (flags), XLV_ERR_NOTFOUND (a domain is not
 * running), XLV_ERR_LIBXL, XLV_ERR_NOMEM.
 */
XLV_API
int xlv_vcpu_list(xlv_ctx *ctx, xlv_conn *conn, xlv_vcpu_info_list **list_r,
                  const char *const *doms, unsigned int n,
                  unsigned int flags);
XLV_API
void xlv_vcpu_info_list_free(xlv_vcpu_info_list *list);
/* How many rows LIST has; row I (lent: valid as long as LIST), or NULL
 * when I is past the end. */
XLV_API
unsigned int xlv_vcpu_info_list_length(const xlv_vcpu_info_list *list);
XLV_API
const xlv_vcpu_info *xlv_vcpu_info_list_get(const xlv_vcpu_info_list *list,
                                            unsigned int i);

/* The domain's name (lent, as the row) and id, the vCPU's number. */
XLV_API
const char *xlv_vcpu_info_get_domain_name(const xlv_vcpu_info *info);
XLV_API
unsigned int xlv_vcpu_info_get_domid(const xlv_vcpu_info *info);
XLV_API
unsigned int xlv_vcpu_info_get_vcpu(const xlv_vcpu_info *info);
/* The physical CPU it is on, -1 when it is offline. */
XLV_API
int xlv_vcpu_info_get_cpu(const xlv_vcpu_info *info);
/* Its state: 1 or 0. */
XLV_API
int xlv_vcpu_info_is_online(const xlv_vcpu_info *info);
XLV_API
int xlv_vcpu_info_is_running(const xlv_vcpu_info *info);
XLV_API
int xlv_vcpu_info_is_blocked(const xlv_vcpu_info *info);
/* The CPU time it has had, in seconds. */
XLV_API
double xlv_vcpu_info_get_time(const xlv_vcpu_info *info);
/* Its hard and soft affinity as xl prints them: "all", "none", "0-3,5".
 * Lent, as the row. */
XLV_API
const char *xlv_vcpu_info_get_hard_affinity(const xlv_vcpu_info *info);
XLV_API
const char *xlv_vcpu_info_get_soft_affinity(const xlv_vcpu_info *info);

/* One domain of xlv_domain_list(), and the list.  Opaque. */
typedef struct xlv_domain_entry xlv_domain_entry;
typedef struct xlv_domain_entry_list xlv_domain_entry_list;

/*
 * The running domains, and with XLV_LIST_ALL the defined ones that are
 * not running (a definition that cannot be read is listed with 0 vCPUs).
 * Fills *list_r; free it with xlv_domain_entry_list_free().
 * Errors: XLV_ERR_INVAL (flags, an autostart mark that is refused, see
 * xlv_domain_set_autostart()), XLV_ERR_LIBXL, XLV_ERR_IO, XLV_ERR_NOMEM.
 */
XLV_API
int xlv_domain_list(xlv_ctx *ctx, xlv_conn *conn,
                    xlv_domain_entry_list **list_r, unsigned int flags);
XLV_API
void xlv_domain_entry_list_free(xlv_domain_entry_list *list);
/* How many domains LIST has; domain I (lent: valid as long as LIST), or
 * NULL when I is past the end. */
XLV_API
unsigned int xlv_domain_entry_list_length(const xlv_domain_entry_list *list);
XLV_API
const xlv_domain_entry *xlv_domain_entry_list_get(
    const xlv_domain_entry_list *list, unsigned int i);

/* The domain's name (lent, as the entry). */
XLV_API
const char *xlv_domain_entry_get_name(const xlv_domain_entry *entry);
/* Its id, -1 when it is not running. */
XLV_API
int xlv_domain_entry_get_domid(const xlv_domain_entry *entry);
/* Whether it has a persistent definition: 1 or 0. */
XLV_API
int xlv_domain_entry_is_persistent(const xlv_domain_entry *entry);
/* Whether it is defined and marked to start at boot: 1 or 0.  Since 1.1. */
XLV_API
int xlv_domain_entry_is_autostart(const xlv_domain_entry *entry);
/* Its vCPUs online now (running) or at boot (defined), and its maximum. */
XLV_API
unsigned int xlv_domain_entry_get_vcpus(const xlv_domain_entry *entry);
XLV_API
unsigned int xlv_domain_entry_get_max_vcpus(const xlv_domain_entry *entry);

/*
 * The XML of DOM: for a running domain its live definition, with the vCPU
 * elements showing the live online map and pins; with XLV_XML_INACTIVE
 * (or when it is not running) the persistent definition.  Fills *xml_r
 * with a NUL-terminated string the caller frees with free().
 * Errors: XLV_ERR_INVAL (flags), XLV_ERR_NOTFOUND, XLV_ERR_LIBXL,
 * XLV_ERR_IO, XLV_ERR_XML, XLV_ERR_UNSUPPORTED (libxml2 cannot be
 * loaded), XLV_ERR_NOMEM.
 */
XLV_API
int xlv_domain_get_xml(xlv_ctx *ctx, xlv_conn *conn, char **xml_r,
                       const char *dom, unsigned int flags);

#ifdef __cplusplus
}
#endif

#endif /* LIBXLVCPU_H */
