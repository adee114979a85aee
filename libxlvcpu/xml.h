/*
 * The only door to libxml2: a safe parser, tree walking, in-place edits
 * and serialisation.  The rest of the library sees these opaque types.
 * In the shared library these calls reach xml.c through the XML module
 * (xml_module.h); in the static one, directly.
 */
#ifndef XLV_XML_H
#define XLV_XML_H

#include "private.h"

typedef struct xlv__xml_doc xlv__xml_doc;
typedef struct xlv__xml_node xlv__xml_node;

/*
 * Parse LEN bytes of XML.  Refused: documents that are not well-formed,
 * that contain a DOCTYPE or entity declarations (so nothing is ever
 * loaded from files or the network, and entity bombs stop at once), or
 * whose nesting is deeper than libxml2's safe default.
 * NAME names the source in errors (NULL: "document").
 * Fills *doc_r, freed with xlv__xml_free().  Errors: XLV_ERR_XML, _NOMEM,
 * _UNSUPPORTED (the XML module cannot be loaded: see xml_module.h).
 */
int xlv__xml_parse(xlv_ctx *ctx, xlv__xml_doc **doc_r, const char *buf,
                   size_t len, const char *name);

/* A new document whose root element is ROOT.  Errors as xlv__xml_parse(). */
int xlv__xml_new(xlv_ctx *ctx, xlv__xml_doc **doc_r, const char *root);

void xlv__xml_free(xlv__xml_doc *doc);

/* Serialise DOC, indented by two spaces, as a string the caller frees. */
int xlv__xml_serialize(xlv_ctx *ctx, char **out_r, const xlv__xml_doc *doc);

xlv__xml_node *xlv__xml_root(const xlv__xml_doc *doc);

/* The element's local name. */
const char *xlv__xml_name(const xlv__xml_node *node);

/*
 * First element child of NODE named NAME in no namespace (NAME NULL: any
 * element), and the next element sibling of the same kind.
 */
xlv__xml_node *xlv__xml_child(const xlv__xml_node *node, const char *name);
xlv__xml_node *xlv__xml_next(const xlv__xml_node *node, const char *name);

/* As xlv__xml_child(), for an element in namespace HREF. */
xlv__xml_node *xlv__xml_child_ns(const xlv__xml_node *node,
                                 const char *href, const char *name);
xlv__xml_node *xlv__xml_next_ns(const xlv__xml_node *node,
                                const char *href, const char *name);

/* Number of element children named NAME (no namespace). */
unsigned int xlv__xml_count(const xlv__xml_node *node, const char *name);

/*
 * The value of attribute NAME (no namespace), or NULL when absent.
 * Lent: valid until the node is changed.
 */
const char *xlv__xml_attr(const xlv__xml_node *node, const char *name);

/* The text of an element (its first text child), "" when it has none. */
const char *xlv__xml_text(const xlv__xml_node *node);

/*
 * Edits.  The add functions append a child element; NULL is returned only
 * when out of memory, after recording XLV_ERR_NOMEM on CTX.
 */
xlv__xml_node *xlv__xml_add(xlv_ctx *ctx, xlv__xml_node *parent,
                            const char *name, const char *text);
xlv__xml_node *xlv__xml_add_ns(xlv_ctx *ctx, xlv__xml_node *parent,
                               const char *href, const char *prefix,
                               const char *name);
/* Insert a new element NAME right after SIBLING. */
xlv__xml_node *xlv__xml_add_after(xlv_ctx *ctx, xlv__xml_node *sibling,
                                  const char *name, const char *text);
int xlv__xml_set_attr(xlv_ctx *ctx, xlv__xml_node *node, const char *name,
                      const char *value);
void xlv__xml_unset_attr(xlv__xml_node *node, const char *name);
int xlv__xml_set_text(xlv_ctx *ctx, xlv__xml_node *node, const char *text);
/* Remove NODE from its tree and free it. */
void xlv__xml_remove(xlv__xml_node *node);
/* Whether NODE has no element children (and no attributes when ATTRS). */
bool xlv__xml_is_empty(const xlv__xml_node *node, bool attrs);

#endif /* XLV_XML_H */
