/*
 * The parts of the xl.cfg reader: xlcfg_read.c reads the whole, the
 * identity, memory, vCPU, affinity, boot and lifecycle keys, and keeps
 * the reader and its messages; xlcfg_read_vnuma.c reads the vnuma=
 * cells and xlcfg_read_devices.c the vif= and disk= lists.
 */
#ifndef XLV_XLCFG_READ_H
#define XLV_XLCFG_READ_H

#include <stdio.h>

#include <libxlutil.h>

#include "domain.h"

/* Values quoted in messages are cut to this many characters. */
#define XLV__XLCFG_VALUE_CLIP 80

/* 16 TiB, Xen's x86 limit, in xl's unit (MiB). */
#define XLV__XLCFG_MAX_MEMORY_MIB (16L * 1024 * 1024)

/* One reading of one xl.cfg text. */
typedef struct {
    xlv_ctx *ctx;
    const char *name;           /* the source, for messages, or NULL */
    XLU_Config *cfg;
    FILE *report;               /* where libxlutil writes diagnostics */
    char *report_buf;           /* open_memstream()'s buffer */
    size_t report_len;
    size_t report_seen;         /* bytes of it already used */
} xlv__xlcfg_reader;

/* "..." when VALUE is longer than XLV__XLCFG_VALUE_CLIP, else "". */
const char *xlv__xlcfg_clipped(const char *value);

/* Fail with RC, the message prefixed with the source name.  Returns RC. */
int xlv__xlcfg_fail(xlv__xlcfg_reader *rd, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Fail with "xl.cfg key 'KEY' value 'VALUE': <reason>".  Returns RC. */
int xlv__xlcfg_bad_value(xlv__xlcfg_reader *rd, int rc, const char *key,
                         const char *value, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Prefix the message a callee left on the ctx with the source name.
 * Returns RC. */
int xlv__xlcfg_pass_on(xlv__xlcfg_reader *rd, int rc);

/* Forget what libxlutil has reported so far (warnings we asked for). */
void xlv__xlcfg_report_skip(xlv__xlcfg_reader *rd);

/*
 * Fail with RC and the first line libxlutil reported since
 * xlv__xlcfg_report_skip(), which already starts with the source name it
 * was given; FALLBACK (with E's text) when it reported nothing.
 */
int xlv__xlcfg_report_error(xlv__xlcfg_reader *rd, int rc,
                            const char *fallback, int e);

/*
 * Refuse S, the value of KEY (entry INDEX of a list, or -1), when it
 * holds a control character or is not UTF-8.  Errors: XLV_ERR_INVAL.
 */
int xlv__xlcfg_check_text(xlv__xlcfg_reader *rd, const char *key, int index,
                          const char *s);

/*
 * vnuma=: fill DOM's cells, their vCPUs checked against LIMIT, the
 * vCPUs a domain of its type can have.  Errors: XLV_ERR_INVAL,
 * XLV_ERR_CONFLICT, XLV_ERR_NOMEM.
 */
int xlv__xlcfg_read_vnuma(xlv__xlcfg_reader *rd, xlv_domain *dom,
                          unsigned int limit);

/* vif= and disk=: fill DOM's interfaces and disks.  Errors:
 * XLV_ERR_INVAL, XLV_ERR_UNSUPPORTED, XLV_ERR_NOMEM. */
int xlv__xlcfg_read_devices(xlv__xlcfg_reader *rd, xlv_domain *dom);

#endif
