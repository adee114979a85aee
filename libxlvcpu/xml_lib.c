/*
 * Loading libxml2 at first use: see xml_lib.h for why.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "xml_lib.h"

#define SYM(name) { #name, offsetof(struct xlv__libxml2, name) }
static const struct {
    const char *name;
    size_t offset;
} symbols[] = {
    SYM(xmlInitParser), SYM(xmlCreateMemoryParserCtxt),
    SYM(xmlCtxtUseOptions), SYM(xmlParseDocument), SYM(xmlStopParser),
    SYM(xmlFreeParserCtxt), SYM(xmlNewDoc), SYM(xmlFreeDoc),
    SYM(xmlDocGetRootElement), SYM(xmlDocSetRootElement),
    SYM(xmlBufferCreate), SYM(xmlBufferFree), SYM(xmlBufferLength),
    SYM(xmlBufferContent), SYM(xmlSaveToBuffer), SYM(xmlSaveDoc),
    SYM(xmlSaveClose), SYM(xmlNewDocNode), SYM(xmlNewDocText),
    SYM(xmlAddChild), SYM(xmlAddNextSibling), SYM(xmlUnlinkNode),
    SYM(xmlFreeNode), SYM(xmlHasNsProp), SYM(xmlSetProp),
    SYM(xmlUnsetProp), SYM(xmlNewNs), SYM(xmlSetNs),
    SYM(xmlSearchNsByHref),
};
#undef SYM

static struct xlv__libxml2 functions;
static bool loaded;
/* Why it could not be loaded, when it could not. */
static char failure[256];

static void load_once(void)
{
    void *handle, *fn;
    size_t i;

    /* Kept for the life of the process: documents may outlive any ctx. */
    handle = dlopen(XLV_LIBXML2_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(failure, sizeof(failure), "%s", dlerror());
        return;
    }
    for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
        fn = dlsym(handle, symbols[i].name);
        if (!fn) {
            snprintf(failure, sizeof(failure), "%s has no '%s'",
                     XLV_LIBXML2_SONAME, symbols[i].name);
            return;
        }
        memcpy((char *)&functions + symbols[i].offset, &fn, sizeof(fn));
    }
    /* libxml2 before 2.11 wants this before threads parse. */
    functions.xmlInitParser();
    loaded = true;
}

int xlv__libxml2_load(xlv_ctx *ctx, const struct xlv__libxml2 **lx_r)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;

    pthread_once(&once, load_once);
    if (!loaded)
        return xlv__error(ctx, XLV_ERR_UNSUPPORTED, "cannot load libxml2, "
                          "which xml needs: %s", failure);
    *lx_r = &functions;
    return 0;
}

const struct xlv__libxml2 *xlv__libxml2(void)
{
    return &functions;
}
