/*
 * libxml2, loaded the first time a document is parsed or made.  The live
 * commands (vcpu-set, vcpu-pin, vcpu-list on a running domain) never touch
 * XML, and libxml2 brings ICU and the C++ runtime with it: loaded at
 * start-up, they made every such command slower than xl's own, which
 * matters on a dom0 and is most of the cost under emulation.  Only xml.c
 * uses this.
 */
#ifndef XLV_XML_LIB_H
#define XLV_XML_LIB_H

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "private.h"

/* The soname the library is loaded by; the headers are version 2. */
#define XLV_LIBXML2_SONAME "libxml2.so.2"

/* The libxml2 functions xml.c calls, each typed as libxml2 declares it. */
#define XLV__LIBXML2_FN(name) __typeof__(name) *name
struct xlv__libxml2 {
    XLV__LIBXML2_FN(xmlInitParser);
    XLV__LIBXML2_FN(xmlCreateMemoryParserCtxt);
    XLV__LIBXML2_FN(xmlCtxtUseOptions);
    XLV__LIBXML2_FN(xmlParseDocument);
    XLV__LIBXML2_FN(xmlStopParser);
    XLV__LIBXML2_FN(xmlFreeParserCtxt);
    XLV__LIBXML2_FN(xmlNewDoc);
    XLV__LIBXML2_FN(xmlFreeDoc);
    XLV__LIBXML2_FN(xmlDocGetRootElement);
    XLV__LIBXML2_FN(xmlDocSetRootElement);
    XLV__LIBXML2_FN(xmlBufferCreate);
    XLV__LIBXML2_FN(xmlBufferFree);
    XLV__LIBXML2_FN(xmlBufferLength);
    XLV__LIBXML2_FN(xmlBufferContent);
    XLV__LIBXML2_FN(xmlSaveToBuffer);
    XLV__LIBXML2_FN(xmlSaveDoc);
    XLV__LIBXML2_FN(xmlSaveClose);
    XLV__LIBXML2_FN(xmlNewDocNode);
    XLV__LIBXML2_FN(xmlNewDocText);
    XLV__LIBXML2_FN(xmlAddChild);
    XLV__LIBXML2_FN(xmlAddNextSibling);
    XLV__LIBXML2_FN(xmlUnlinkNode);
    XLV__LIBXML2_FN(xmlFreeNode);
    XLV__LIBXML2_FN(xmlHasNsProp);
    XLV__LIBXML2_FN(xmlSetProp);
    XLV__LIBXML2_FN(xmlUnsetProp);
    XLV__LIBXML2_FN(xmlNewNs);
    XLV__LIBXML2_FN(xmlSetNs);
    XLV__LIBXML2_FN(xmlSearchNsByHref);
};
#undef XLV__LIBXML2_FN

/*
 * Load libxml2 and initialise it, once per process, from whichever thread
 * comes first; later calls only report how that went.  Fills *lx_r with
 * the functions, valid for the life of the process.
 * Errors: XLV_ERR_UNSUPPORTED when libxml2 cannot be loaded (the message
 * says why).
 */
int xlv__libxml2_load(xlv_ctx *ctx, const struct xlv__libxml2 **lx_r);

/* The functions, once xlv__libxml2_load() has succeeded. */
const struct xlv__libxml2 *xlv__libxml2(void);

#endif
