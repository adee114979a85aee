/*
 * The XML module: xml.c and libxml2 in a private shared object,
 * $LIBDIR/libxlvcpu/libxlvcpu-xml.so.1, that the shared library loads the
 * first time it parses or makes a document (xml_load.c).
 *
 * Why: the live commands (vcpu-set, vcpu-pin, vcpu-list of a running
 * domain) never touch XML, and libxml2 brings ICU and the C++ runtime
 * with it.  Loaded at start-up they cost every such command 18-45 ms in
 * the Xen lab, which made xlvcpu vcpu-list slower than xl's (the e2e
 * timing check measures it).  The module links libxml2 as any program
 * does, so ldd, dpkg-shlibdeps and scanners see the dependency on the
 * module, and libxml2's symbols bind with their versions; the library
 * names the module in its .note.dlopen ELF note.
 *
 * The static library has xml.c itself and no module: programs linking it
 * link libxml2 (pkg-config's Libs.private says so).
 */
#ifndef XLV_XML_MODULE_H
#define XLV_XML_MODULE_H

#include "xml.h"

/* Where the module is, beside the library: LIBDIR/XLV__XML_MODULE_PATH. */
#define XLV__XML_MODULE_SONAME "libxlvcpu-xml.so.1"
#define XLV__XML_MODULE_PATH "libxlvcpu/" XLV__XML_MODULE_SONAME
/* The one symbol it exports. */
#define XLV__XML_MODULE_ENTRY "xlv__xml_module_1"

/* What the module calls back: its errors are recorded on the caller's
 * ctx by the library's own functions (error.c). */
struct xlv__xml_host {
    __typeof__(xlv__verror) *verror;
    __typeof__(xlv__nomem) *nomem;
};

/* The module's functions, one for each of xml.h. */
#define XLV__XML_FN(name) __typeof__(xlv__xml_##name) *name
struct xlv__xml_module {
    /* The library version the module was built with: a module from
     * another build is refused, however alike it looks. */
    const char *version;
    XLV__XML_FN(parse);
    XLV__XML_FN(new);
    XLV__XML_FN(free);
    XLV__XML_FN(serialize);
    XLV__XML_FN(root);
    XLV__XML_FN(name);
    XLV__XML_FN(child);
    XLV__XML_FN(next);
    XLV__XML_FN(child_ns);
    XLV__XML_FN(next_ns);
    XLV__XML_FN(count);
    XLV__XML_FN(attr);
    XLV__XML_FN(text);
    XLV__XML_FN(add);
    XLV__XML_FN(add_ns);
    XLV__XML_FN(add_after);
    XLV__XML_FN(set_attr);
    XLV__XML_FN(unset_attr);
    XLV__XML_FN(set_text);
    XLV__XML_FN(remove);
    XLV__XML_FN(is_empty);
};
#undef XLV__XML_FN

/*
 * The module's entry (XLV__XML_MODULE_ENTRY): keeps HOST, which must stay
 * valid, and returns its functions.  Called once per process.
 */
const struct xlv__xml_module *xlv__xml_module_1(const struct xlv__xml_host *host);

#endif /* XLV_XML_MODULE_H */
