/*
 * Text that came from input and is shown or used as a name: it must be
 * UTF-8 with no control characters.  C1 controls (U+0080 to U+009F) count:
 * some terminals act on them as on ESC sequences, and a name holding one
 * looks like another name.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "private.h"

/*
 * The length of the UTF-8 sequence at S, of which AVAIL bytes may be
 * read, 0 when it is not a valid one (overlong forms, surrogates and code
 * points above U+10FFFF are not); *CP_R is the code point.
 */
static size_t utf8_seq_n(const unsigned char *s, size_t avail,
                         uint32_t *cp_r)
{
    uint32_t cp, min;
    size_t n, i;

    if (s[0] < 0x80) {
        *cp_r = s[0];
        return 1;
    }
    if ((s[0] & 0xe0) == 0xc0) {
        n = 2;
        cp = s[0] & 0x1f;
        min = 0x80;
    } else if ((s[0] & 0xf0) == 0xe0) {
        n = 3;
        cp = s[0] & 0x0f;
        min = 0x800;
    } else if ((s[0] & 0xf8) == 0xf0) {
        n = 4;
        cp = s[0] & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n > avail)
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    *cp_r = cp;
    return n;
}

/* As utf8_seq_n() in a NUL-terminated string: a NUL is no continuation
 * byte, so the check stops there, never past it. */
static size_t utf8_seq(const unsigned char *s, uint32_t *cp_r)
{
    return utf8_seq_n(s, 4, cp_r);
}

bool xlv__utf8_valid(const char *buf, size_t len, size_t *bad_r)
{
    const unsigned char *p = (const unsigned char *)buf;
    size_t off = 0, n;
    uint32_t cp;

    while (off < len) {
        n = utf8_seq_n(p + off, len - off, &cp);
        if (!n) {
            *bad_r = off;
            return false;
        }
        off += n;
    }
    return true;
}

static bool is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

const char *xlv__text_problem(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;
    size_t n;

    while (*p) {
        n = utf8_seq(p, &cp);
        if (!n)
            return "it is not valid utf-8";
        if (is_control(cp))
            return "control characters are not allowed";
        p += n;
    }
    return NULL;
}

void xlv__text_sanitize(char *s)
{
    unsigned char *p = (unsigned char *)s;
    uint32_t cp;
    size_t n, i;

    while (*p) {
        n = utf8_seq(p, &cp);
        if (!n) {
            *p++ = '?';
            continue;
        }
        if (is_control(cp)) {
            for (i = 0; i < n; i++)
                p[i] = '?';
        }
        p += n;
    }
}

bool xlv__all_digits(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}

bool xlv__valid_mac(const char *s)
{
    unsigned int i;

    for (i = 0; i < 17; i++) {
        if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
            return false;
    }
    return s[17] == '\0';
}
