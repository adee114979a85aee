/*
 * libxml2 behind one door.  Documents are parsed with a private parser
 * context whose SAX callbacks refuse any DOCTYPE: libvirt's domain XML
 * never has one, and without a DTD there are no external entities to load
 * and no entity expansion to bomb us.  Errors are collected per context,
 * never printed.
 */
#include <limits.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "xml.h"

#define NODE(n) ((xmlNodePtr)(n))
#define XNODE(n) ((xlv__xml_node *)(n))
#define DOC(d) ((xmlDocPtr)(d))

/*
 * The most attributes, namespace declarations included, one element may
 * have; libvirt's have a handful.  libxml2 compares each attribute of an
 * element with all those before it, so an element with 100,000 of them
 * costs it seconds, and the 4 MiB a document may have could hold more.
 */
#define MAX_ATTRS 256

typedef struct {
    bool refused;              /* a DOCTYPE or declaration was seen */
} parse_state;

static void refuse_dtd(void *opaque, const xmlChar *name,
                       const xmlChar *external_id, const xmlChar *system_id)
{
    xmlParserCtxtPtr pctxt = opaque;
    parse_state *st = pctxt->_private;

    (void)name;
    (void)external_id;
    (void)system_id;
    st->refused = true;
    xmlStopParser(pctxt);
}

static void refuse_entity(void *opaque, const xmlChar *name, int type,
                          const xmlChar *public_id, const xmlChar *system_id,
                          xmlChar *content)
{
    (void)type;
    (void)public_id;
    (void)content;
    refuse_dtd(opaque, name, NULL, system_id);
}

static void ignore_error(void *opaque, xmlErrorPtr err)
{
    /* The parser context keeps the first error for us. */
    (void)opaque;
    (void)err;
}

static int parse_failure(xlv_ctx *ctx, xmlParserCtxtPtr pctxt,
                         const char *name)
{
    const xmlError *err = &pctxt->lastError;
    char msg[256], *p;
    size_t n;

    if (!err->message)
        return xlv__error(ctx, XLV_ERR_XML, "%s: malformed xml", name);
    snprintf(msg, sizeof(msg), "%s", err->message);
    /* libxml2's advice to its own callers means nothing to ours. */
    if ((p = strstr(msg, " use XML_PARSE_HUGE")))
        *p = '\0';
    n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    if (msg[0] >= 'A' && msg[0] <= 'Z' && msg[1] >= 'a' && msg[1] <= 'z')
        msg[0] = (char)(msg[0] - 'A' + 'a');
    return xlv__error(ctx, XLV_ERR_XML, "%s: malformed xml at line %d: %s",
                      name, err->line, msg);
}

/* Step P past the first TOKEN in [P, END), or to END without one. */
static const char *skip_past(const char *p, const char *end,
                             const char *token)
{
    size_t n = strlen(token);

    while ((p = memchr(p, token[0], (size_t)(end - p)))) {
        if ((size_t)(end - p) >= n && !memcmp(p, token, n))
            return p + n;
        p++;
    }
    return end;
}

/*
 * Check, before libxml2 sees it, that no start tag in BUF has more than
 * MAX_ATTRS attributes; *TAG_R and *TAG_LEN_R name the first that has.
 * Only counting: the document may be malformed in any other way, which
 * the parser reports.  No attribute value or text holds a raw '<', so
 * every '<' outside comments, CDATA and processing instructions starts a
 * tag; in a start tag each attribute has one '=' outside quotes.
 */
static bool too_many_attrs(const char *buf, size_t len, const char **tag_r,
                           size_t *tag_len_r)
{
    const char *p = buf, *end = buf + len, *tag;
    unsigned int n;
    char quote;

    while (p < end && (p = memchr(p, '<', (size_t)(end - p)))) {
        p++;
        if ((size_t)(end - p) >= 3 && !memcmp(p, "!--", 3)) {
            p = skip_past(p + 3, end, "-->");
            continue;
        }
        if ((size_t)(end - p) >= 8 && !memcmp(p, "![CDATA[", 8)) {
            p = skip_past(p + 8, end, "]]>");
            continue;
        }
        if (p < end && *p == '?') {
            p = skip_past(p + 1, end, "?>");
            continue;
        }
        if (p < end && (*p == '!' || *p == '/'))
            continue;
        tag = p;
        n = 0;
        quote = 0;
        for (; p < end; p++) {
            if (quote) {
                if (*p == quote)
                    quote = 0;
            } else if (*p == '"' || *p == '\'') {
                quote = *p;
            } else if (*p == '>') {
                break;
            } else if (*p == '=' && ++n > MAX_ATTRS) {
                *tag_r = tag;
                for (p = tag; p < end && !strchr(" \t\r\n/>=", *p); p++)
                    ;
                *tag_len_r = (size_t)(p - tag);
                return true;
            }
        }
    }
    return false;
}

/* Whether ENC, an encoding's name, is UTF-8's. */
static bool is_utf8_name(const char *enc)
{
    return !strcasecmp(enc, "UTF-8") || !strcasecmp(enc, "UTF8");
}

/*
 * The encoding that the XML declaration at the start of BUF names, into
 * ENC (clipped to SIZE - 1 bytes), or "" when there is none.  libxml2
 * would convert from it (printing conversion errors on stderr as it
 * goes), so it is read here, before libxml2, which then parses with the
 * declaration ignored.  A malformed declaration is left to the parser.
 */
static void declared_encoding(const char *buf, size_t len, char *enc,
                              size_t size)
{
    const char *p = buf, *end, *q;
    size_t n;
    char quote;

    enc[0] = '\0';
    if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
        p += 3;                 /* the UTF-8 byte order mark */
    if ((size_t)(buf + len - p) < 6 || memcmp(p, "<?xml", 5) ||
        !strchr(" \t\r\n", p[5]))
        return;
    end = skip_past(p, buf + len, "?>");
    for (q = p + 5; q + 8 <= end && memcmp(q, "encoding", 8); q++)
        ;
    if (q + 8 > end)
        return;
    for (q += 8; q < end && strchr(" \t\r\n", *q); q++)
        ;
    if (q >= end || *q++ != '=')
        return;
    while (q < end && strchr(" \t\r\n", *q))
        q++;
    if (q >= end || (*q != '"' && *q != '\''))
        return;
    quote = *q++;
    for (n = 0; q < end && *q != quote && n + 1 < size; q++)
        enc[n++] = *q;
    enc[n] = '\0';
}

static int refuse_encoding(xlv_ctx *ctx, const char *name, const char *enc)
{
    return xlv__error(ctx, XLV_ERR_XML, "%s: encoding '%.40s' is refused: "
                      "domain xml must be utf-8", name, enc);
}

/* What is refused in BUF before libxml2 sees it. */
static int check_bytes(xlv_ctx *ctx, const char *buf, size_t len,
                       const char *name)
{
    const char *tag = NULL;
    size_t tag_len = 0, bad;
    char enc[64];

    if (len > XLV_MAX_DOCUMENT_BYTES || len > INT_MAX)
        return xlv__error(ctx, XLV_ERR_XML,
                          "%s: %zu bytes is more than the limit of %u",
                          name, len, XLV_MAX_DOCUMENT_BYTES);
    if (memchr(buf, '\0', len))
        return xlv__error(ctx, XLV_ERR_XML, "%s: malformed xml: it "
                          "contains a nul byte", name);
    if (too_many_attrs(buf, len, &tag, &tag_len))
        return xlv__error(ctx, XLV_ERR_XML, "%s: element <%.*s%s> has "
                          "more than %u attributes: refused", name,
                          tag_len > 40 ? 40 : (int)tag_len, tag,
                          tag_len > 40 ? "..." : "", MAX_ATTRS);
    /*
     * libxml2 would convert a document that declares another encoding, so
     * that the same bytes mean different names, paths and cpusets
     * depending on a declaration a reader easily misses; and our own
     * output is always UTF-8.  Domain XML is UTF-8, as libvirt writes it.
     */
    declared_encoding(buf, len, enc, sizeof(enc));
    if (enc[0] && !is_utf8_name(enc))
        return refuse_encoding(ctx, name, enc);
    if (!xlv__utf8_valid(buf, len, &bad))
        return xlv__error(ctx, XLV_ERR_XML, "%s: byte %zu (0x%02x) is not "
                          "utf-8: domain xml must be utf-8", name, bad,
                          (unsigned int)(unsigned char)buf[bad]);
    return 0;
}

static void init_once(void)
{
    xmlInitParser();
}

/* libxml2 before 2.11 wants xmlInitParser() once, before threads parse. */
static void init_libxml2(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;

    pthread_once(&once, init_once);
}

int xlv__xml_parse(xlv_ctx *ctx, xlv__xml_doc **doc_r, const char *buf,
                   size_t len, const char *name)
{
    xmlParserCtxtPtr pctxt = NULL;
    parse_state st = { false };
    int rc;

    if (!name)
        name = "document";
    rc = check_bytes(ctx, buf, len, name);
    if (rc) goto out;
    init_libxml2();
    pctxt = xmlCreateMemoryParserCtxt(buf, (int)len);
    if (!pctxt) {
        rc = len ? xlv__nomem(ctx, "the xml parser")
                 : xlv__error(ctx, XLV_ERR_XML, "%s: empty document", name);
        goto out;
    }
    pctxt->_private = &st;
    pctxt->sax->internalSubset = refuse_dtd;
    pctxt->sax->externalSubset = refuse_dtd;
    pctxt->sax->entityDecl = refuse_entity;
    pctxt->sax->serror = ignore_error;
    xmlCtxtUseOptions(pctxt, XML_PARSE_NONET | XML_PARSE_NOBLANKS |
                      XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                      XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC);
    xmlParseDocument(pctxt);
    if (st.refused) {
        rc = xlv__error(ctx, XLV_ERR_XML, "%s: refused: a <!DOCTYPE> or "
                        "entity declaration is not allowed in domain xml",
                        name);
        goto out;
    }
    if (!pctxt->wellFormed || !pctxt->myDoc) {
        rc = parse_failure(ctx, pctxt, name);
        goto out;
    }
    /* XML_PARSE_IGNORE_ENC made libxml2 read it all as UTF-8; should
     * a libxml2 have converted anyway, the document is not what we
     * checked. */
    if (pctxt->myDoc->encoding &&
        !is_utf8_name((const char *)pctxt->myDoc->encoding)) {
        rc = refuse_encoding(ctx, name,
                             (const char *)pctxt->myDoc->encoding);
        goto out;
    }
    *doc_r = (xlv__xml_doc *)pctxt->myDoc;
    pctxt->myDoc = NULL;
    rc = 0;
 out:
    if (pctxt) {
        xmlFreeDoc(pctxt->myDoc);
        pctxt->myDoc = NULL;
        xmlFreeParserCtxt(pctxt);
    }
    return rc;
}

int xlv__xml_new(xlv_ctx *ctx, xlv__xml_doc **doc_r, const char *root)
{
    xmlDocPtr doc;
    xmlNodePtr node;

    init_libxml2();
    doc = xmlNewDoc(BAD_CAST "1.0");
    if (!doc)
        return xlv__nomem(ctx, "an xml document");
    node = xmlNewDocNode(doc, NULL, BAD_CAST root, NULL);
    if (!node) {
        xmlFreeDoc(doc);
        return xlv__nomem(ctx, "an xml document");
    }
    xmlDocSetRootElement(doc, node);
    *doc_r = (xlv__xml_doc *)doc;
    return 0;
}

void xlv__xml_free(xlv__xml_doc *doc)
{
    if (doc)
        xmlFreeDoc(DOC(doc));
}

int xlv__xml_serialize(xlv_ctx *ctx, char **out_r, const xlv__xml_doc *doc)
{
    xmlBufferPtr buf;
    xmlSaveCtxtPtr save;
    char *out = NULL;
    size_t n;
    int rc;

    buf = xmlBufferCreate();
    if (!buf)
        return xlv__nomem(ctx, "the xml output");
    save = xmlSaveToBuffer(buf, "UTF-8", XML_SAVE_FORMAT | XML_SAVE_NO_DECL);
    if (!save) {
        rc = xlv__nomem(ctx, "the xml output");
        goto out;
    }
    xmlSaveDoc(save, DOC(doc));
    if (xmlSaveClose(save) < 0) {
        rc = xlv__error(ctx, XLV_ERR_XML, "cannot write the xml document");
        goto out;
    }
    n = (size_t)xmlBufferLength(buf);
    out = malloc(n + 1);
    if (!out) {
        rc = xlv__nomem(ctx, "the xml output");
        goto out;
    }
    memcpy(out, xmlBufferContent(buf), n);
    out[n] = '\0';
    *out_r = out;
    out = NULL;
    rc = 0;
 out:
    free(out);
    xmlBufferFree(buf);
    return rc;
}

xlv__xml_node *xlv__xml_root(const xlv__xml_doc *doc)
{
    return XNODE(xmlDocGetRootElement(DOC(doc)));
}

const char *xlv__xml_name(const xlv__xml_node *node)
{
    return (const char *)NODE(node)->name;
}

static bool matches(xmlNodePtr n, const char *href, const char *name)
{
    if (n->type != XML_ELEMENT_NODE)
        return false;
    if (name && strcmp((const char *)n->name, name))
        return false;
    if (!href)
        return n->ns == NULL;
    return n->ns && n->ns->href && !strcmp((const char *)n->ns->href, href);
}

static xlv__xml_node *find_from(xmlNodePtr n, const char *href,
                                const char *name)
{
    for (; n; n = n->next) {
        if (matches(n, href, name))
            return XNODE(n);
    }
    return NULL;
}

xlv__xml_node *xlv__xml_child(const xlv__xml_node *node, const char *name)
{
    return find_from(NODE(node)->children, NULL, name);
}

xlv__xml_node *xlv__xml_next(const xlv__xml_node *node, const char *name)
{
    return find_from(NODE(node)->next, NULL, name);
}

xlv__xml_node *xlv__xml_child_ns(const xlv__xml_node *node,
                                 const char *href, const char *name)
{
    return find_from(NODE(node)->children, href, name);
}

xlv__xml_node *xlv__xml_next_ns(const xlv__xml_node *node,
                                const char *href, const char *name)
{
    return find_from(NODE(node)->next, href, name);
}

unsigned int xlv__xml_count(const xlv__xml_node *node, const char *name)
{
    xlv__xml_node *c;
    unsigned int n = 0;

    for (c = xlv__xml_child(node, name); c; c = xlv__xml_next(c, name))
        n++;
    return n;
}

const char *xlv__xml_attr(const xlv__xml_node *node, const char *name)
{
    xmlAttrPtr attr = xmlHasNsProp(NODE(node), BAD_CAST name, NULL);
    xmlNodePtr t;

    if (!attr || attr->type != XML_ATTRIBUTE_NODE)
        return NULL;
    /* Without a DTD an attribute value is a single text node. */
    for (t = attr->children; t; t = t->next) {
        if (t->type == XML_TEXT_NODE && t->content)
            return (const char *)t->content;
    }
    return "";
}

const char *xlv__xml_text(const xlv__xml_node *node)
{
    xmlNodePtr t;

    for (t = NODE(node)->children; t; t = t->next) {
        if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE)
            && t->content)
            return (const char *)t->content;
    }
    return "";
}

static xlv__xml_node *new_node(xlv_ctx *ctx, xmlNodePtr ref,
                               const char *name, const char *text)
{
    xmlNodePtr n = xmlNewDocNode(ref->doc, NULL, BAD_CAST name, NULL);

    if (!n) {
        xlv__nomem(ctx, "an xml element");
        return NULL;
    }
    if (text) {
        xmlNodePtr t = xmlNewDocText(ref->doc, BAD_CAST text);

        if (!t || !xmlAddChild(n, t)) {
            xmlFreeNode(t);
            xmlFreeNode(n);
            xlv__nomem(ctx, "an xml element");
            return NULL;
        }
    }
    return XNODE(n);
}

xlv__xml_node *xlv__xml_add(xlv_ctx *ctx, xlv__xml_node *parent,
                            const char *name, const char *text)
{
    xlv__xml_node *n = new_node(ctx, NODE(parent), name, text);

    if (n)
        xmlAddChild(NODE(parent), NODE(n));
    return n;
}

xlv__xml_node *xlv__xml_add_after(xlv_ctx *ctx, xlv__xml_node *sibling,
                                  const char *name, const char *text)
{
    xlv__xml_node *n = new_node(ctx, NODE(sibling), name, text);

    if (n)
        xmlAddNextSibling(NODE(sibling), NODE(n));
    return n;
}

xlv__xml_node *xlv__xml_add_ns(xlv_ctx *ctx, xlv__xml_node *parent,
                               const char *href, const char *prefix,
                               const char *name)
{
    xmlNodePtr p = NODE(parent);
    xmlNsPtr ns = xmlSearchNsByHref(p->doc, p, BAD_CAST href);
    xlv__xml_node *n = new_node(ctx, p, name, NULL);

    if (!n)
        return NULL;
    if (!ns)
        ns = xmlNewNs(NODE(n), BAD_CAST href, BAD_CAST prefix);
    if (!ns) {
        xmlFreeNode(NODE(n));
        xlv__nomem(ctx, "an xml namespace");
        return NULL;
    }
    xmlSetNs(NODE(n), ns);
    xmlAddChild(p, NODE(n));
    return n;
}

int xlv__xml_set_attr(xlv_ctx *ctx, xlv__xml_node *node, const char *name,
                      const char *value)
{
    if (!xmlSetProp(NODE(node), BAD_CAST name, BAD_CAST value))
        return xlv__nomem(ctx, "an xml attribute");
    return 0;
}

void xlv__xml_unset_attr(xlv__xml_node *node, const char *name)
{
    xmlUnsetProp(NODE(node), BAD_CAST name);
}

int xlv__xml_set_text(xlv_ctx *ctx, xlv__xml_node *node, const char *text)
{
    xmlNodePtr n = NODE(node), t;

    while (n->children) {
        t = n->children;
        xmlUnlinkNode(t);
        xmlFreeNode(t);
    }
    t = xmlNewDocText(n->doc, BAD_CAST text);
    if (!t || !xmlAddChild(n, t)) {
        xmlFreeNode(t);
        return xlv__nomem(ctx, "xml text");
    }
    return 0;
}

void xlv__xml_remove(xlv__xml_node *node)
{
    xmlUnlinkNode(NODE(node));
    xmlFreeNode(NODE(node));
}

bool xlv__xml_is_empty(const xlv__xml_node *node, bool attrs)
{
    xmlNodePtr c;

    if (attrs && NODE(node)->properties)
        return false;
    for (c = NODE(node)->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            return false;
    }
    return true;
}
