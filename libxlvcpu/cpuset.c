/*
 * Sets of CPU ids: libxl_bitmap helpers that need no libxl_ctx, the
 * libvirt cpuset syntax, xl's cpus= syntax, and the host's NUMA layout
 * that xl's node:N items refer to.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxl_utils.h>

#include "cpuset.h"

/* How much of the input a message quotes: enough to find it, no more. */
#define VALUE_CLIP 80
#define PIECE_CLIP 40

/* The most NUMA nodes xlv_ctx_set_numa_nodes() accepts. */
#define MAX_NUMA_NODES 1024

/* Ids are capped at this while reading, which is above any limit. */
#define ID_TOO_BIG ((uint64_t)UINT32_MAX + 1)

int xlv__bitmap_alloc(xlv_ctx *ctx, libxl_bitmap *bm, unsigned int nbits)
{
    uint32_t size = (uint32_t)((nbits + 7ull) / 8);
    uint8_t *map = NULL;

    /* calloc(0) may legitimately give NULL: size 0 needs no map. */
    if (size) {
        map = calloc(size, 1);
        if (!map)
            return xlv__nomem(ctx, "a cpu bitmap");
    }
    free(bm->map);
    bm->map = map;
    bm->size = size;
    return 0;
}

int xlv__bitmap_copy(xlv_ctx *ctx, libxl_bitmap *dst,
                     const libxl_bitmap *src)
{
    uint8_t *map = NULL;

    if (dst == src)
        return 0;
    if (src->size) {
        map = malloc(src->size);
        if (!map)
            return xlv__nomem(ctx, "a cpu bitmap");
        memcpy(map, src->map, src->size);
    }
    free(dst->map);
    dst->map = map;
    dst->size = src->size;
    return 0;
}

unsigned int xlv__bitmap_nbits(const libxl_bitmap *bm)
{
    return bm->size * 8u;
}

unsigned int xlv__bitmap_count(const libxl_bitmap *bm)
{
    return (unsigned int)libxl_bitmap_count_set(bm);
}

int xlv__bitmap_last(const libxl_bitmap *bm)
{
    uint32_t i = bm->size;

    while (i > 0) {
        i--;
        if (bm->map[i])
            return (int)(i * 8 + 31 - (unsigned int)__builtin_clz(bm->map[i]));
    }
    return -1;
}

bool xlv__bitmap_is_first_n(const libxl_bitmap *bm, unsigned int n)
{
    if (xlv__bitmap_count(bm) != n)
        return false;
    /* n set bits, none above n - 1: they can only be 0 .. n - 1. */
    return (long)xlv__bitmap_last(bm) == (long)n - 1;
}

static void set_bit(libxl_bitmap *bm, unsigned int i, bool value)
{
    if (value)
        libxl_bitmap_set(bm, (int)i);
    else
        libxl_bitmap_reset(bm, (int)i);
}

/*
 * Set or clear bits A..B, which the caller has checked are in BM.  Whole
 * bytes go at once, so that a long list of wide ranges stays cheap.
 */
static void set_range(libxl_bitmap *bm, unsigned int a, unsigned int b,
                      bool value)
{
    unsigned int i = a, bytes;

    for (; i <= b && i % 8; i++)
        set_bit(bm, i, value);
    if (i <= b) {
        bytes = (b - i + 1) / 8;
        memset(bm->map + i / 8, value ? 0xff : 0, bytes);
        i += bytes * 8;
    }
    for (; i <= b; i++)
        set_bit(bm, i, value);
}

/*
 * Where a value came from and what it is called, for messages.  Input may
 * be hostile, so every quoted piece of it is clipped.
 */
typedef struct {
    xlv_ctx *ctx;
    const char *str;
    const char *what;
    const libxl_bitmap *nodes;          /* the NUMA layout, for node:N */
    unsigned int n_nodes;
    bool syntax_only;                   /* node items checked, not applied */
} source;

/* Copy LEN bytes of S into BUF, cut to MAX characters ending in "...". */
static void clip(char *buf, const char *s, size_t len, size_t max)
{
    if (len > max) {
        memcpy(buf, s, max - 3);
        memcpy(buf + max - 3, "...", 4);
    } else {
        memcpy(buf, s, len);
        buf[len] = '\0';
    }
}

/*
 * Fail with "<WHAT with the value>: <reason>".  WHAT is not a literal, so
 * it is not used as a format: its %s is replaced by hand (and %% undone),
 * which also keeps a stray conversion in it from reading varargs.
 */
static int fail(const source *src, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(const source *src, int rc, const char *fmt, ...)
{
    char value[VALUE_CLIP + 1], head[XLV_ERRMSG_MAX], reason[XLV_ERRMSG_MAX];
    const char *w = src->what ? src->what : "'%s'";
    size_t n = 0, vlen;
    bool done = false;
    va_list ap;

    clip(value, src->str, strlen(src->str), VALUE_CLIP);
    vlen = strlen(value);
    while (*w && n < sizeof(head) - 1) {
        if (w[0] == '%' && w[1] == 's' && !done) {
            size_t k = vlen < sizeof(head) - 1 - n ? vlen
                                                   : sizeof(head) - 1 - n;

            memcpy(head + n, value, k);
            n += k;
            done = true;
            w += 2;
        } else if (w[0] == '%' && w[1] == '%') {
            head[n++] = '%';
            w += 2;
        } else {
            head[n++] = *w++;
        }
    }
    head[n] = '\0';

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    xlv__error(src->ctx, rc, "%s: %s", head, reason);
    return rc;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Read the decimal digits at *P (before END).  Returns false when there
 * are none.  Otherwise advances *P and fills *VAL_R, saturated at
 * ID_TOO_BIG so that no input wraps around to a small id.
 */
static bool read_number(const char **p, const char *end, uint64_t *val_r)
{
    const char *q = *p;
    uint64_t v = 0;

    if (q == end || !is_digit(*q))
        return false;
    for (; q < end && is_digit(*q); q++) {
        v = v * 10 + (uint64_t)(*q - '0');
        if (v > ID_TOO_BIG)
            v = ID_TOO_BIG;
    }
    *p = q;
    *val_r = v;
    return true;
}

/* One parsed item: "^"? then an id or a range of ids. */
typedef struct {
    const char *text, *end;     /* the item, blanks trimmed */
    bool exclude;
    const char *a_text, *b_text;  /* the digits of both ends */
    size_t a_len, b_len;
    uint64_t a, b;
} item;

/* Fail for IT, which could not be read further than P. */
static int bad_item(const source *src, const item *it, const char *p)
{
    char piece[PIECE_CLIP + 1];

    if (p == it->end || is_blank(*p)) {
        clip(piece, it->text, (size_t)(it->end - it->text), PIECE_CLIP);
        if (p == it->end)
            return fail(src, XLV_ERR_INVAL, "item '%s' is incomplete",
                        piece);
        return fail(src, XLV_ERR_INVAL, "unexpected blank in '%s'", piece);
    }
    clip(piece, p, (size_t)(it->end - p), PIECE_CLIP);
    return fail(src, XLV_ERR_INVAL, "unexpected '%s'", piece);
}

/*
 * Parse "N" or "N-M" from P to the end of IT into IT's range.  Blanks are
 * not allowed inside an item: a blank there is a typo, not a separator.
 * Except with XL, before a number: xl reads them with strtoul(), which
 * skips leading blanks, so "^ 1" and "1- 3" are valid xl.cfg.
 */
static int parse_range(const source *src, item *it, const char *p, bool xl)
{
    const char *e = it->end;

    while (xl && p < e && is_blank(*p))
        p++;
    it->a_text = p;
    if (!read_number(&p, e, &it->a))
        return bad_item(src, it, p);
    it->a_len = (size_t)(p - it->a_text);
    it->b = it->a;
    it->b_text = it->a_text;
    it->b_len = it->a_len;
    if (p < e && *p == '-') {
        p++;
        while (xl && p < e && is_blank(*p))
            p++;
        it->b_text = p;
        if (!read_number(&p, e, &it->b))
            return bad_item(src, it, p);
        it->b_len = (size_t)(p - it->b_text);
    }
    if (p != e)
        return bad_item(src, it, p);
    return 0;
}

/* Check that both ends of IT's range are ids below LIMIT, in order. */
static int check_range(const source *src, const item *it, unsigned int limit)
{
    char piece[PIECE_CLIP + 1];

    if (it->a >= limit || it->b >= limit) {
        if (it->a >= limit)
            clip(piece, it->a_text, it->a_len, PIECE_CLIP);
        else
            clip(piece, it->b_text, it->b_len, PIECE_CLIP);
        return fail(src, XLV_ERR_INVAL, "cpu id '%s' is not below %u",
                    piece, limit);
    }
    if (it->a > it->b) {
        clip(piece, it->a_text,
             (size_t)(it->b_text + it->b_len - it->a_text), PIECE_CLIP);
        return fail(src, XLV_ERR_INVAL, "range '%s' is reversed", piece);
    }
    return 0;
}

/*
 * Take the next comma-separated item of SRC at *P into IT's bounds and
 * exclusion flag; *P becomes NULL after the last one.  *N counts items
 * for messages.  An empty item is refused unless ALLOW_EMPTY and it has
 * not even blanks (IT is then left empty), as xl's strtok_r() drops only
 * those: in a cpuset "1,,2" is more likely a lost id than a style.
 */
static int next_item(const source *src, const char **p, unsigned int *n,
                     item *it, bool allow_empty)
{
    const char *b = *p, *e = strchr(b, ',');

    if (!e)
        e = b + strlen(b);
    *p = *e ? e + 1 : NULL;
    (*n)++;
    if (b == e && allow_empty) {
        it->text = it->end = b;
        return 0;
    }
    while (b < e && is_blank(*b))
        b++;
    while (e > b && is_blank(e[-1]))
        e--;
    if (b == e)
        return fail(src, XLV_ERR_INVAL, "item %u is empty", *n);
    it->text = b;
    it->end = e;
    it->exclude = *b == '^';
    return 0;
}

/* Whether STR is nothing but blanks: the empty set, said plainly. */
static bool is_blank_string(const char *str)
{
    while (is_blank(*str))
        str++;
    return !*str;
}

/* If [*P, END) starts with WORD, step past it. */
static bool skip_word(const char **p, const char *end, const char *word)
{
    size_t len = strlen(word);

    if ((size_t)(end - *p) < len || memcmp(*p, word, len))
        return false;
    *p += len;
    return true;
}

/* Add or remove the cpus of the NUMA nodes in IT's range. */
static int apply_nodes(const source *src, libxl_bitmap *set, const item *it,
                       unsigned int limit)
{
    char piece[PIECE_CLIP + 1];
    uint64_t node;
    uint32_t i;
    int last;

    if (src->syntax_only) {
        if (it->a <= it->b)
            return 0;
        clip(piece, it->a_text,
             (size_t)(it->b_text + it->b_len - it->a_text), PIECE_CLIP);
        return fail(src, XLV_ERR_INVAL, "range '%s' is reversed", piece);
    }
    if (!src->n_nodes) {
        clip(piece, it->text, (size_t)(it->end - it->text), PIECE_CLIP);
        return fail(src, XLV_ERR_UNSUPPORTED, "'%s' needs the host's numa "
                    "layout, which is not known here", piece);
    }
    if (it->a >= src->n_nodes || it->b >= src->n_nodes) {
        if (it->a >= src->n_nodes)
            clip(piece, it->a_text, it->a_len, PIECE_CLIP);
        else
            clip(piece, it->b_text, it->b_len, PIECE_CLIP);
        return fail(src, XLV_ERR_INVAL, "numa node '%s' does not exist "
                    "(host has %u)", piece, src->n_nodes);
    }
    if (it->a > it->b) {
        clip(piece, it->a_text,
             (size_t)(it->b_text + it->b_len - it->a_text), PIECE_CLIP);
        return fail(src, XLV_ERR_INVAL, "range '%s' is reversed", piece);
    }
    for (node = it->a; node <= it->b; node++) {
        const libxl_bitmap *cpus = &src->nodes[node];

        last = xlv__bitmap_last(cpus);
        if (last < 0)
            continue;               /* a node with memory only */
        if ((unsigned int)last >= limit)
            return fail(src, XLV_ERR_INVAL, "numa node '%u' has cpu %d, "
                        "which is not below %u", (unsigned int)node, last,
                        limit);
        /* All its cpus are below LIMIT, so within SET's bytes. */
        for (i = 0; i <= (uint32_t)last / 8; i++) {
            if (it->exclude)
                set->map[i] &= (uint8_t)~cpus->map[i];
            else
                set->map[i] |= cpus->map[i];
        }
    }
    return 0;
}

/* One item of a libvirt cpuset: a cpu or range, maybe excluded. */
static int apply_cpuset_item(const source *src, libxl_bitmap *set, item *it,
                             unsigned int limit)
{
    int rc;

    rc = parse_range(src, it, it->text + it->exclude, false);
    if (rc) return rc;
    rc = check_range(src, it, limit);
    if (rc) return rc;
    set_range(set, (unsigned int)it->a, (unsigned int)it->b, !it->exclude);
    return 0;
}

/* One item of xl's cpus=: "all", a cpu or range, or NUMA nodes ("node:",
 * "nodes:"), maybe excluded. */
static int apply_xl_item(const source *src, libxl_bitmap *set, item *it,
                         unsigned int limit)
{
    const char *q = it->text + it->exclude;
    char piece[PIECE_CLIP + 1];
    bool node_item;
    int rc;

    node_item = skip_word(&q, it->end, "nodes:") ||
            skip_word(&q, it->end, "node:");
    if ((size_t)(it->end - q) == 3 && !memcmp(q, "all", 3)) {
        /* xl refuses "^all"; "nodes:all" is every cpu to it. */
        if (it->exclude) {
            clip(piece, it->text, (size_t)(it->end - it->text), PIECE_CLIP);
            return fail(src, XLV_ERR_INVAL, "'%s' cannot be excluded",
                        piece);
        }
        if (limit)
            set_range(set, 0, limit - 1, true);
        return 0;
    }
    rc = parse_range(src, it, q, true);
    if (rc) return rc;
    if (node_item)
        return apply_nodes(src, set, it, limit);
    rc = check_range(src, it, limit);
    if (rc) return rc;
    set_range(set, (unsigned int)it->a, (unsigned int)it->b, !it->exclude);
    return 0;
}

/*
 * SRC's string into SET, replaced only on success: XL chooses xl's cpus=
 * syntax over libvirt's cpuset.  Both apply their items from left to
 * right, starting from the empty set, as libvirt's virBitmapParse and
 * xl's parse_cpurange() do: "0-3,^2" is {0,1,3} but "^2,0-3" is
 * {0,1,2,3}, and "^1" alone leaves nothing.
 */
static int parse_set(const source *src, libxl_bitmap *set,
                     unsigned int limit, bool xl)
{
    libxl_bitmap res;
    const char *p = src->str;
    unsigned int n = 0;
    item it;
    int rc;

    libxl_bitmap_init(&res);
    if (is_blank_string(src->str)) {
        rc = fail(src, XLV_ERR_INVAL, "the set is empty");
        goto out;
    }
    rc = xlv__bitmap_alloc(src->ctx, &res, limit);
    if (rc) goto out;
    do {
        /* xl splits with strtok_r(), which drops empty items. */
        rc = next_item(src, &p, &n, &it, xl);
        if (rc) goto out;
        if (it.text == it.end)
            continue;
        if (xl)
            rc = apply_xl_item(src, &res, &it, limit);
        else
            rc = apply_cpuset_item(src, &res, &it, limit);
        if (rc) goto out;
    } while (p);
    /* Node items left out, a set checked for its syntax may look empty. */
    if (libxl_bitmap_is_empty(&res) && !src->syntax_only) {
        rc = fail(src, XLV_ERR_INVAL, "the set is empty");
        goto out;
    }

    libxl_bitmap_dispose(set);
    *set = res;
    libxl_bitmap_init(&res);
    rc = 0;
 out:
    libxl_bitmap_dispose(&res);
    return rc;
}

int xlv__cpuset_parse(xlv_ctx *ctx, libxl_bitmap *set, const char *str,
                      unsigned int limit, const char *what)
{
    source src = { .ctx = ctx, .str = str, .what = what };

    return parse_set(&src, set, limit, false);
}

int xlv__xl_cpus_parse(xlv_ctx *ctx, libxl_bitmap *set, const char *str,
                       unsigned int limit, const char *what)
{
    return xlv__xl_cpus_parse_nodes(ctx, set, str, limit, what,
                                    ctx->numa_nodes, ctx->n_numa_nodes);
}

int xlv__xl_cpus_parse_nodes(xlv_ctx *ctx, libxl_bitmap *set,
                             const char *str, unsigned int limit,
                             const char *what, const libxl_bitmap *nodes,
                             unsigned int n_nodes)
{
    source src = { .ctx = ctx, .str = str, .what = what, .nodes = nodes,
                   .n_nodes = n_nodes };

    return parse_set(&src, set, limit, true);
}

bool xlv__xl_cpus_has_nodes(const char *str)
{
    return strstr(str, "node") != NULL;
}

int xlv__xl_cpus_check(xlv_ctx *ctx, const char *str, const char *what)
{
    source src = { .ctx = ctx, .str = str, .what = what,
                   .syntax_only = true };
    libxl_bitmap set;
    int rc;

    libxl_bitmap_init(&set);
    rc = parse_set(&src, &set, XLV_MAX_PCPUS, true);
    libxl_bitmap_dispose(&set);
    return rc;
}

char *xlv__cpuset_format(const libxl_bitmap *set)
{
    xlv__strbuf sb = { NULL, 0, 0, false };
    unsigned int nbits = xlv__bitmap_nbits(set), i = 0, j;
    const char *sep = "";

    while (i < nbits) {
        if (!set->map[i / 8] && i % 8 == 0) {
            i += 8;
            continue;
        }
        if (!libxl_bitmap_test(set, i)) {
            i++;
            continue;
        }
        for (j = i; j + 1 < nbits && libxl_bitmap_test(set, j + 1); j++)
            ;
        if (j == i)
            xlv__strbuf_printf(&sb, "%s%u", sep, i);
        else
            xlv__strbuf_printf(&sb, "%s%u-%u", sep, i, j);
        sep = ",";
        i = j + 1;
    }
    if (sb.failed) {
        xlv__strbuf_dispose(&sb);
        return NULL;
    }
    if (!sb.buf)
        return strdup("");
    return sb.buf;
}

void xlv__ctx_numa_dispose(xlv_ctx *ctx)
{
    xlv__bitmap_array_free(ctx->numa_nodes, ctx->n_numa_nodes);
    ctx->numa_nodes = NULL;
    ctx->n_numa_nodes = 0;
}

int xlv_ctx_set_numa_nodes(xlv_ctx *ctx, const char *const *node_cpus,
                           unsigned int n_nodes, unsigned int flags)
{
    libxl_bitmap *nodes = NULL;
    unsigned int i, n_done = 0;
    char what[64];
    int rc;

    rc = xlv__check_flags(ctx, "ctx_set_numa_nodes", flags, 0);
    if (rc) goto out;
    if (!n_nodes || n_nodes > MAX_NUMA_NODES) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "numa layout: node count '%u' "
                        "is not between 1 and %u", n_nodes, MAX_NUMA_NODES);
        goto out;
    }
    if (!node_cpus) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "numa layout: no node cpusets "
                        "given for %u nodes", n_nodes);
        goto out;
    }
    nodes = calloc(n_nodes, sizeof(*nodes));
    if (!nodes) {
        rc = xlv__nomem(ctx, "the numa layout");
        goto out;
    }

    for (i = 0; i < n_nodes; i++) {
        libxl_bitmap_init(&nodes[i]);
        n_done = i + 1;
        if (!node_cpus[i]) {
            rc = xlv__error(ctx, XLV_ERR_INVAL, "numa layout: node %u has "
                            "no cpuset", i);
            goto out;
        }
        /* Nodes with memory only exist: "" is allowed here, though an
         * empty cpuset is an error everywhere else. */
        if (is_blank_string(node_cpus[i])) {
            rc = xlv__bitmap_alloc(ctx, &nodes[i], XLV_MAX_PCPUS);
            if (rc) goto out;
            continue;
        }
        snprintf(what, sizeof(what), "numa node %u cpus '%%s'", i);
        rc = xlv__cpuset_parse(ctx, &nodes[i], node_cpus[i], XLV_MAX_PCPUS,
                               what);
        if (rc) goto out;
    }

    xlv__ctx_numa_dispose(ctx);
    ctx->numa_nodes = nodes;
    ctx->n_numa_nodes = n_nodes;
    nodes = NULL;
    n_done = 0;
    rc = 0;
 out:
    xlv__bitmap_array_free(nodes, n_done);
    return rc;
}

void xlv__bitmap_array_free(libxl_bitmap *maps, unsigned int n)
{
    unsigned int i;

    if (!maps)
        return;
    for (i = 0; i < n; i++)
        libxl_bitmap_dispose(&maps[i]);
    free(maps);
}
