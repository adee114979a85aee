/*
 * A domain file in either format, told by its content: xlv_domain_from_file().
 */
#include <stdlib.h>
#include <string.h>

#include "domain.h"

/* Where the content of TEXT (LEN bytes) starts: after a UTF-8 byte order
 * mark and white space (LEN when there is none). */
static size_t content_start(const char *text, size_t len)
{
    size_t i = 0;

    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
        i = 3;
    while (i < len && text[i] && strchr(" \t\r\n", text[i]))
        i++;
    return i;
}

/* Refuse what is not XML and not xl.cfg either: bytes that are not UTF-8
 * text (UTF-16, EBCDIC, a binary), which libxlutil would misread.  (The
 * XML reader checks encodings itself, and says more.) */
static int check_text(xlv_ctx *ctx, const char *name, const char *text,
                      size_t len)
{
    size_t bad;

    if (!xlv__utf8_valid(text, len, &bad))
        return xlv__error(ctx, XLV_ERR_INVAL, "%s: byte %zu (0x%02x) is not "
                          "utf-8: a domain file, xml or xl.cfg, must be "
                          "utf-8", name, bad,
                          (unsigned int)(unsigned char)text[bad]);
    return 0;
}

/* Refuse an override that is not one "KEY=VALUE" setting: a key of
 * letters, digits and '_' (as xl.cfg's), and no line break, which would
 * let one argument smuggle in several settings. */
static int check_override(xlv_ctx *ctx, const char *o)
{
    size_t key = strspn(o, "abcdefghijklmnopqrstuvwxyz"
                        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    if (key && o[key] == '=' && !strpbrk(o, "\r\n"))
        return 0;
    return xlv__error(ctx, XLV_ERR_INVAL, "override '%.80s%s': must be one "
                      "xl.cfg setting KEY=VALUE", o,
                      strlen(o) > 80 ? "..." : "");
}

/* TEXT (LEN bytes, kept as they are), then each override on a line of
 * its own, as *OUT_R (*LEN_R bytes). */
static int append_overrides(xlv_ctx *ctx, char **out_r, size_t *len_r,
                            const char *text, size_t len,
                            const char *const *overrides)
{
    size_t size = len + 2, at;
    char *out;
    int rc, i;

    for (i = 0; overrides[i]; i++) {
        rc = check_override(ctx, overrides[i]);
        if (rc) return rc;
        size += strlen(overrides[i]) + 1;
    }
    out = malloc(size);
    if (!out)
        return xlv__nomem(ctx, "the xl.cfg text with its overrides");
    memcpy(out, text, len);
    at = len;
    for (i = 0; overrides[i]; i++) {
        out[at++] = '\n';
        memcpy(out + at, overrides[i], strlen(overrides[i]));
        at += strlen(overrides[i]);
    }
    out[at++] = '\n';
    out[at] = '\0';
    *out_r = out;
    *len_r = at;
    return 0;
}

int xlv_domain_from_file(xlv_ctx *ctx, xlv_domain **dom_r, const char *path,
                         const char *const *overrides, unsigned int flags)
{
    const char *name = strcmp(path, "-") ? path : "<stdin>";
    char *text = NULL, *cfg = NULL;
    size_t len, start, cfg_len = 0;
    int rc;

    rc = xlv__check_flags(ctx, "domain_from_file", flags, 0);
    if (rc) goto out;
    rc = xlv__file_read(ctx, &text, &len, path, XLV_MAX_DOCUMENT_BYTES, 0);
    if (rc) goto out;
    start = content_start(text, len);
    if (start == len) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "%s: empty document", name);
        goto out;
    }
    if (text[start] == '<') {
        if (overrides && overrides[0]) {
            rc = xlv__error(ctx, XLV_ERR_INVAL, "%s: is domain xml: "
                            "KEY=VALUE overrides are for xl.cfg files",
                            name);
            goto out;
        }
        rc = xlv_domain_from_xml(ctx, dom_r, text, len, name, 0);
        goto out;
    }
    rc = check_text(ctx, name, text, len);
    if (rc) goto out;
    if (!overrides || !overrides[0]) {
        rc = xlv_domain_from_xlcfg(ctx, dom_r, text, len, name, 0);
        goto out;
    }
    rc = append_overrides(ctx, &cfg, &cfg_len, text, len, overrides);
    if (rc) goto out;
    rc = xlv_domain_from_xlcfg(ctx, dom_r, cfg, cfg_len, name, 0);
 out:
    free(cfg);
    free(text);
    return rc;
}
