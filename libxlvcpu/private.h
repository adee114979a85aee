/*
 * Declarations shared between the library's own files.  Nothing here is
 * exported: the build uses -fvisibility=hidden and libxlvcpu.map.
 */
#ifndef XLV_PRIVATE_H
#define XLV_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <libxl.h>
#include <libxl_utils.h>

#include "libxlvcpu.h"

#define XLV_ERRMSG_MAX 512

struct xlv_ctx {
    struct xentoollog_logger *logger;   /* the caller's, borrowed */
    int errcode;                        /* XLV_ERR_* of the last failure */
    int libxl_rc;                       /* libxl's rc for XLV_ERR_LIBXL */
    char errmsg[XLV_ERRMSG_MAX];
    libxl_bitmap *numa_nodes;           /* pCPUs of each node, or NULL */
    unsigned int n_numa_nodes;
};

/*
 * Record a failure on CTX and return RC, so that callers can write
 * "rc = xlv__error(ctx, XLV_ERR_INVAL, ...); goto out;".  The message is
 * formatted once, control characters are replaced so it stays one line.
 */
int xlv__error(xlv_ctx *ctx, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same with a va_list (the XML module's errors come this way). */
int xlv__verror(xlv_ctx *ctx, int rc, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/*
 * The error state of a ctx, kept across a call whose failure is expected
 * and handled (a lookup that finds nothing), so that it neither leaves a
 * message behind nor wipes the one a caller has not read yet.
 */
typedef struct {
    int errcode, libxl_rc;
    char errmsg[XLV_ERRMSG_MAX];
} xlv__error_state;

void xlv__error_save(const xlv_ctx *ctx, xlv__error_state *st);
void xlv__error_restore(xlv_ctx *ctx, const xlv__error_state *st);

/*
 * A failure (RC) that was followed by an undo: its message as FIRST kept
 * it (xlv__error_save() before the undo ran), then "; " and FMT, which
 * says how the undo went.  libxl's rc of the first failure stays.
 * Returns RC.
 */
int xlv__error_then(xlv_ctx *ctx, int rc, const xlv__error_state *first,
                    const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* 0 when FLAGS has no bit outside KNOWN, else XLV_ERR_INVAL with
 * "CALL: unknown flags '0x...'" (the unknown bits). */
int xlv__check_flags(xlv_ctx *ctx, const char *call, unsigned int flags,
                     unsigned int known);

/* XLV_ERR_NOMEM with a message naming WHAT could not be allocated. */
int xlv__nomem(xlv_ctx *ctx, const char *what);

/* As xlv__error(), for a failing libxl call with its rc R. */
int xlv__error_libxl(xlv_ctx *ctx, int r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Read a whole file of at most MAX bytes into a NUL-terminated buffer
 * (*buf_r, freed by the caller; *len_r excludes the NUL).  PATH "-" reads
 * standard input.  With XLV__FILE_PRIVATE, PATH must be a regular file,
 * not a symlink, owned by the effective user and writable by nobody else
 * (XLV_ERR_INVAL otherwise): a file whose content we trust.
 * Errors: XLV_ERR_NOTFOUND (no such file), XLV_ERR_IO, XLV_ERR_INVAL,
 * XLV_ERR_NOMEM.
 */
#define XLV__FILE_PRIVATE 1u
int xlv__file_read(xlv_ctx *ctx, char **buf_r, size_t *len_r,
                   const char *path, size_t max, unsigned int flags);

/*
 * Why the NUL-terminated string S cannot be shown or used as a name: a
 * control character (C0, DEL or C1) or bytes that are not UTF-8; NULL
 * when it is fine.
 */
const char *xlv__text_problem(const char *s);

/*
 * Whether the LEN bytes of BUF are valid UTF-8 (overlong forms and
 * surrogates are not); when not, *BAD_R is the offset of the first byte
 * that is not.
 */
bool xlv__utf8_valid(const char *buf, size_t len, size_t *bad_r);

/*
 * Replace, in place, every control character (C0, DEL, C1) and every byte
 * that is not part of valid UTF-8 in S with '?', so that S can be printed
 * on a terminal as one line.
 */
void xlv__text_sanitize(char *s);

/* Whether S is one or more ASCII digits and nothing else (a domid). */
bool xlv__all_digits(const char *s);

/* Whether S is a MAC address as domain XML writes it: aa:bb:cc:dd:ee:ff,
 * hex digits in either case. */
bool xlv__valid_mac(const char *s);

/* Growable string buffer for the writers: append, then take. */
typedef struct {
    char *buf;
    size_t len, cap;
    bool failed;                        /* an append ran out of memory */
} xlv__strbuf;

void xlv__strbuf_printf(xlv__strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void xlv__strbuf_puts(xlv__strbuf *sb, const char *s);
/* Hand the string over to *out_r (caller frees) or fail with NOMEM. */
int xlv__strbuf_take(xlv_ctx *ctx, xlv__strbuf *sb, char **out_r);
void xlv__strbuf_dispose(xlv__strbuf *sb);

/* strdup that records XLV_ERR_NOMEM; NULL in gives NULL out with rc 0. */
int xlv__strdup(xlv_ctx *ctx, char **dst_r, const char *src);

/*
 * Parse a decimal unsigned integer: digits only, blanks allowed around
 * them, no sign.  Returns 0 and fills *val_r, XLV__NUM_BAD when S is not
 * such a number, XLV__NUM_RANGE when it is above MAX.
 */
enum { XLV__NUM_BAD = -1, XLV__NUM_RANGE = -2 };
int xlv__number_parse(const char *s, uint64_t max, uint64_t *val_r);

#endif /* XLV_PRIVATE_H */
