/*
 * The shared library's side of the XML module (xml_module.h): the module
 * is found beside the library itself, loaded once per process by the
 * first call that parses or makes a document, and every xml.h call is
 * passed on to it.  Documents and nodes exist only once it is loaded.
 * Built into the shared library only: the static one has xml.c.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "xml_module.h"

/* Tells packaging tools (dpkg-shlibdeps, SBOM scanners) what the library
 * loads at run time: systemd's ELF note format, owner "FDO", type
 * 0x407c0c0a, a JSON array as the descriptor. */
#define NOTE_JSON "[{\"feature\":\"xml\",\"description\":\"libvirt domain " \
    "XML and the persistent store (libxml2)\",\"priority\":\"required\"," \
    "\"soname\":[\"" XLV__XML_MODULE_SONAME "\"]}]"
struct dlopen_note {
    unsigned int namesz, descsz, type;
    char name[4];
    char desc[(sizeof(NOTE_JSON) + 3) & ~3u];
};
__attribute__((used, section(".note.dlopen"), aligned(4)))
static const struct dlopen_note note = {
    4, sizeof(NOTE_JSON), 0x407c0c0a, "FDO", NOTE_JSON,
};

static const struct xlv__xml_host host = { xlv__verror, xlv__nomem };
static const struct xlv__xml_module *module;
/* Why it could not be loaded, when it could not. */
static char failure[PATH_MAX + 256];

/* The module's path: the directory this library was loaded from, then
 * XLV__XML_MODULE_PATH.  0, or -1 with FAILURE set. */
static int module_path(char *path, size_t size)
{
    Dl_info info;
    const char *slash;
    int dirlen, n;

    if (!dladdr((void *)module_path, &info) || !info.dli_fname) {
        snprintf(failure, sizeof(failure),
                 "cannot tell which file libxlvcpu was loaded from");
        return -1;
    }
    slash = strrchr(info.dli_fname, '/');
    dirlen = slash ? (int)(slash - info.dli_fname) : 1;
    n = snprintf(path, size, "%.*s/%s", dirlen,
                 slash ? info.dli_fname : ".", XLV__XML_MODULE_PATH);
    if (n < 0 || (size_t)n >= size) {
        snprintf(failure, sizeof(failure), "the path of '%s' is too long",
                 info.dli_fname);
        return -1;
    }
    return 0;
}

static void load_once(void)
{
    const struct xlv__xml_module *(*entry)(const struct xlv__xml_host *);
    const struct xlv__xml_module *m;
    char path[PATH_MAX];
    void *handle;

    if (module_path(path, sizeof(path)))
        return;
    /* Kept for the life of the process: documents may outlive any ctx. */
    handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(failure, sizeof(failure), "%s", dlerror());
        return;
    }
    *(void **)&entry = dlsym(handle, XLV__XML_MODULE_ENTRY);
    if (!entry) {
        snprintf(failure, sizeof(failure), "'%s' has no '%s'", path,
                 XLV__XML_MODULE_ENTRY);
        return;
    }
    m = entry(&host);
    if (strcmp(m->version, XLV_VERSION)) {
        snprintf(failure, sizeof(failure), "'%s' is from libxlvcpu %.40s, "
                 "this is %s", path, m->version, XLV_VERSION);
        return;
    }
    module = m;
}

static int load(xlv_ctx *ctx)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;

    pthread_once(&once, load_once);
    if (!module)
        return xlv__error(ctx, XLV_ERR_UNSUPPORTED, "cannot load the xml "
                          "module, which xml needs: %s", failure);
    return 0;
}

int xlv__xml_parse(xlv_ctx *ctx, xlv__xml_doc **doc_r, const char *buf,
                   size_t len, const char *name)
{
    int rc = load(ctx);

    return rc ? rc : module->parse(ctx, doc_r, buf, len, name);
}

int xlv__xml_new(xlv_ctx *ctx, xlv__xml_doc **doc_r, const char *root)
{
    int rc = load(ctx);

    return rc ? rc : module->new(ctx, doc_r, root);
}

void xlv__xml_free(xlv__xml_doc *doc)
{
    if (doc)
        module->free(doc);
}

int xlv__xml_serialize(xlv_ctx *ctx, char **out_r, const xlv__xml_doc *doc)
{
    return module->serialize(ctx, out_r, doc);
}

xlv__xml_node *xlv__xml_root(const xlv__xml_doc *doc)
{
    return module->root(doc);
}

const char *xlv__xml_name(const xlv__xml_node *node)
{
    return module->name(node);
}

xlv__xml_node *xlv__xml_child(const xlv__xml_node *node, const char *name)
{
    return module->child(node, name);
}

xlv__xml_node *xlv__xml_next(const xlv__xml_node *node, const char *name)
{
    return module->next(node, name);
}

xlv__xml_node *xlv__xml_child_ns(const xlv__xml_node *node,
                                 const char *href, const char *name)
{
    return module->child_ns(node, href, name);
}

xlv__xml_node *xlv__xml_next_ns(const xlv__xml_node *node,
                                const char *href, const char *name)
{
    return module->next_ns(node, href, name);
}

unsigned int xlv__xml_count(const xlv__xml_node *node, const char *name)
{
    return module->count(node, name);
}

const char *xlv__xml_attr(const xlv__xml_node *node, const char *name)
{
    return module->attr(node, name);
}

const char *xlv__xml_text(const xlv__xml_node *node)
{
    return module->text(node);
}

xlv__xml_node *xlv__xml_add(xlv_ctx *ctx, xlv__xml_node *parent,
                            const char *name, const char *text)
{
    return module->add(ctx, parent, name, text);
}

xlv__xml_node *xlv__xml_add_ns(xlv_ctx *ctx, xlv__xml_node *parent,
                               const char *href, const char *prefix,
                               const char *name)
{
    return module->add_ns(ctx, parent, href, prefix, name);
}

xlv__xml_node *xlv__xml_add_after(xlv_ctx *ctx, xlv__xml_node *sibling,
                                  const char *name, const char *text)
{
    return module->add_after(ctx, sibling, name, text);
}

int xlv__xml_set_attr(xlv_ctx *ctx, xlv__xml_node *node, const char *name,
                      const char *value)
{
    return module->set_attr(ctx, node, name, value);
}

void xlv__xml_unset_attr(xlv__xml_node *node, const char *name)
{
    module->unset_attr(node, name);
}

int xlv__xml_set_text(xlv_ctx *ctx, xlv__xml_node *node, const char *text)
{
    return module->set_text(ctx, node, text);
}

void xlv__xml_remove(xlv__xml_node *node)
{
    module->remove(node);
}

bool xlv__xml_is_empty(const xlv__xml_node *node, bool attrs)
{
    return module->is_empty(node, attrs);
}
