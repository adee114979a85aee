/*
 * The store of domain definitions: creating (on first write, never on a
 * read) and checking its directory,
 * atomic replace, refusing names and files that are not ours, locks, and
 * no lost update between concurrent writers.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "libxlvcpu.h"
#include "store.h"

typedef struct {
    mode_t umask;           /* the process's, restored by teardown */
    xlv_ctx *ctx;
    char base[64];          /* a fresh temporary directory */
    char dir[128];          /* BASE/store, the store's directory */
    xlv__store *store;      /* opened on DIR, which is there */
} fixture;

static const char def_web[] =
    "<domain type='xen'><name>web</name></domain>\n";

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    /* Tests change it; one that fails must not change the next one's. */
    f->umask = umask(022);
    assert_int_equal(xlv_ctx_new(&f->ctx, NULL, 0), 0);
    strcpy(f->base, "/tmp/test_store.XXXXXX");
    assert_non_null(mkdtemp(f->base));
    snprintf(f->dir, sizeof(f->dir), "%s/store", f->base);
    assert_int_equal(mkdir(f->dir, 0700), 0);
    assert_int_equal(xlv__store_open(f->ctx, &f->store, f->dir), 0);
    *state = f;
    return 0;
}

static int remove_one(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    fixture *f = *state;

    xlv__store_close(f->store);
    nftw(f->base, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    xlv_ctx_free(f->ctx);
    umask(f->umask);
    free(f);
    return 0;
}

static void path_of(char *buf, size_t size, const char *dir, const char *file)
{
    snprintf(buf, size, "%s/%s", dir, file);
}

/* Entries of DIR whose name starts with PREFIX ("" for all but . and ..). */
static int count_entries(const char *dir, const char *prefix)
{
    struct dirent *de;
    DIR *d = opendir(dir);
    int n = 0;

    assert_non_null(d);
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (!strncmp(de->d_name, prefix, strlen(prefix)))
            n++;
    }
    closedir(d);
    return n;
}

static bool exists(const char *dir, const char *file)
{
    char path[256];
    struct stat st;

    path_of(path, sizeof(path), dir, file);
    return lstat(path, &st) == 0;
}

static void make_file(const char *dir, const char *file, const char *text,
                      mode_t mode)
{
    char path[256];
    int fd;

    path_of(path, sizeof(path), dir, file);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(fchmod(fd, mode), 0);
    assert_int_equal(close(fd), 0);
}

static void assert_read(fixture *f, const char *name, const char *expected)
{
    char *text = NULL;

    assert_int_equal(xlv__store_read(f->ctx, f->store, name, &text), 0);
    assert_string_equal(text, expected);
    free(text);
}

static void assert_error(xlv_ctx *ctx, int rc, int expected_rc,
                         const char *needle)
{
    assert_int_equal(rc, expected_rc);
    assert_int_equal(xlv_ctx_error_code(ctx), expected_rc);
    if (!strstr(xlv_ctx_error(ctx), needle))
        fail_msg("message '%s' lacks '%s'", xlv_ctx_error(ctx), needle);
}

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Mode and owner of the directory at PATH, which must be there. */
static void assert_private_dir(const char *path)
{
    struct stat st;

    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0700);
    assert_int_equal(st.st_uid, geteuid());
}

static void test_open_creates(void **state)
{
    fixture *f = *state;
    xlv__store *store = NULL;
    char dir[256], path[256];
    mode_t old = umask(022);
    char *text = NULL;
    int lock = -1;

    /* Opened, not made: nothing is there until a write needs it. */
    snprintf(dir, sizeof(dir), "%s/a/b/store", f->base);
    assert_int_equal(xlv__store_open(f->ctx, &store, dir), 0);
    assert_string_equal(xlv__store_dir(store), dir);
    assert_false(exists(f->base, "a"));
    assert_int_equal(xlv__store_write(f->ctx, store, "web", def_web), 0);
    xlv__store_close(store);

    snprintf(path, sizeof(path), "%s/a", f->base);
    assert_private_dir(path);
    snprintf(path, sizeof(path), "%s/a/b", f->base);
    assert_private_dir(path);
    assert_private_dir(dir);
    assert_true(exists(dir, "web.xml"));

    /* Opening an existing store, with extra slashes, changes nothing. */
    snprintf(path, sizeof(path), "%s//a/b/store/", f->base);
    assert_int_equal(xlv__store_open(f->ctx, &store, path), 0);
    assert_int_equal(xlv__store_read(f->ctx, store, "web", &text), 0);
    assert_string_equal(text, def_web);
    free(text);
    xlv__store_close(store);

    /* 0700 exactly, even under a umask that takes bits away; a lock
     * makes it too (every change of a definition takes one). */
    umask(0277);
    snprintf(dir, sizeof(dir), "%s/masked", f->base);
    assert_int_equal(xlv__store_open(f->ctx, &store, dir), 0);
    assert_int_equal(xlv__store_lock(f->ctx, store, "web", 0, &lock), 0);
    xlv__store_unlock(lock);
    xlv__store_close(store);
    umask(old);
    assert_private_dir(dir);
}

/* What only reads a store that is not there finds nothing in it, and
 * leaves it not there; the autostart mark makes it like a write. */
static void test_missing_read_only(void **state)
{
    fixture *f = *state;
    xlv__store *store = NULL;
    char **names = NULL;
    unsigned int n = 99;
    char *text = NULL;
    bool on = true, changed = true;
    char dir[256];

    snprintf(dir, sizeof(dir), "%s/later/store", f->base);
    assert_int_equal(xlv__store_open(f->ctx, &store, dir), 0);
    assert_int_equal(xlv__store_list(f->ctx, store, &names, &n), 0);
    assert_int_equal(n, 0);
    xlv__store_names_free(names, n);
    assert_error(f->ctx, xlv__store_read(f->ctx, store, "web", &text),
                 XLV_ERR_NOTFOUND, "domain 'web' is not defined");
    assert_null(text);
    assert_int_equal(xlv__store_get_autostart(f->ctx, store, "web", &on), 0);
    assert_false(on);
    assert_int_equal(xlv__store_set_autostart(f->ctx, store, "web", false,
                                              &changed), 0);
    assert_false(changed);
    assert_error(f->ctx, xlv__store_remove(f->ctx, store, "web"),
                 XLV_ERR_NOTFOUND, "domain 'web' is not defined");
    /* Names are still checked. */
    assert_error(f->ctx, xlv__store_read(f->ctx, store, "../x", &text),
                 XLV_ERR_INVAL, "domain name '../x'");
    assert_false(exists(f->base, "later"));

    assert_int_equal(xlv__store_set_autostart(f->ctx, store, "web", true,
                                              &changed), 0);
    assert_true(changed);
    assert_private_dir(dir);
    assert_true(exists(dir, "web.autostart"));
    xlv__store_close(store);
}

/* A store opened before its directory was made (by another store here,
 * by another process on a host) reads what is written there since. */
static void test_missing_made_by_another(void **state)
{
    fixture *f = *state;
    xlv__store *reader = NULL, *writer = NULL;
    char **names = NULL;
    unsigned int n = 99;
    bool on = false;
    char dir[256];

    snprintf(dir, sizeof(dir), "%s/shared", f->base);
    assert_int_equal(xlv__store_open(f->ctx, &reader, dir), 0);
    assert_int_equal(xlv__store_open(f->ctx, &writer, dir), 0);
    assert_int_equal(xlv__store_write(f->ctx, writer, "web", def_web), 0);
    assert_int_equal(xlv__store_set_autostart(f->ctx, writer, "web", true,
                                              NULL), 0);
    assert_int_equal(xlv__store_list(f->ctx, reader, &names, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "web");
    xlv__store_names_free(names, n);
    assert_int_equal(xlv__store_get_autostart(f->ctx, reader, "web", &on), 0);
    assert_true(on);
    assert_int_equal(xlv__store_remove(f->ctx, reader, "web"), 0);
    assert_false(exists(dir, "web.xml"));
    xlv__store_close(reader);
    xlv__store_close(writer);
}

/* A store made by its first write is checked as an existing one is: a
 * symlink put in its place after the open is refused, and followed
 * nowhere. */
static void test_missing_then_symlink(void **state)
{
    fixture *f = *state;
    xlv__store *store = NULL;
    char dir[256], real[256];

    snprintf(dir, sizeof(dir), "%s/swapped", f->base);
    snprintf(real, sizeof(real), "%s/elsewhere", f->base);
    assert_int_equal(xlv__store_open(f->ctx, &store, dir), 0);
    assert_int_equal(mkdir(real, 0700), 0);
    assert_int_equal(symlink("elsewhere", dir), 0);
    assert_error(f->ctx, xlv__store_write(f->ctx, store, "web", def_web),
                 XLV_ERR_INVAL, "is a symlink: refused");
    assert_false(exists(real, "web.xml"));
    xlv__store_close(store);
}

static void test_open_refuses_symlink(void **state)
{
    fixture *f = *state;
    xlv__store *store = NULL;
    char real[256], link[256], path[256];

    snprintf(real, sizeof(real), "%s/real", f->base);
    snprintf(link, sizeof(link), "%s/link", f->base);
    assert_int_equal(mkdir(real, 0700), 0);
    assert_int_equal(symlink("real", link), 0);

    assert_error(f->ctx, xlv__store_open(f->ctx, &store, link),
                 XLV_ERR_INVAL, "is a symlink: refused");
    assert_null(store);
    snprintf(path, sizeof(path), "%s/link/", f->base);
    assert_error(f->ctx, xlv__store_open(f->ctx, &store, path),
                 XLV_ERR_INVAL, "is a symlink: refused");

    /* A dangling one is not followed to create its target either. */
    snprintf(link, sizeof(link), "%s/dangling", f->base);
    assert_int_equal(symlink("nowhere", link), 0);
    assert_error(f->ctx, xlv__store_open(f->ctx, &store, link),
                 XLV_ERR_INVAL, "is a symlink: refused");
    assert_false(exists(f->base, "nowhere"));
    assert_null(store);
}

static void test_open_parent_symlink(void **state)
{
    fixture *f = *state;
    xlv__store *store = NULL;
    char real[256], link[256], dir[256];
    struct stat st;

    /* A parent that already is a symlink (/var/run -> /run) is fine. */
    snprintf(real, sizeof(real), "%s/real", f->base);
    snprintf(link, sizeof(link), "%s/run", f->base);
    assert_int_equal(mkdir(real, 0700), 0);
    assert_int_equal(symlink("real", link), 0);
    snprintf(dir, sizeof(dir), "%s/run/xlvcpu", f->base);
    assert_int_equal(xlv__store_open(f->ctx, &store, dir), 0);
    assert_int_equal(xlv__store_write(f->ctx, store, "web", def_web), 0);
    xlv__store_close(store);
    snprintf(dir, sizeof(dir), "%s/real/xlvcpu", f->base);
    assert_int_equal(lstat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
}

static void test_open_refuses_writable(void **state)
{
    fixture *f = *state;
    xlv__store *store = NULL;
    char dir[256];
    char msg[400];

    snprintf(dir, sizeof(dir), "%s/ww", f->base);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(chmod(dir, 0777), 0);
    assert_error(f->ctx, xlv__store_open(f->ctx, &store, dir),
                 XLV_ERR_INVAL, "writable by group or others: refused");
    snprintf(msg, sizeof(msg), "directory '%s' is writable by group or "
             "others: refused", dir);
    assert_string_equal(xlv_ctx_error(f->ctx), msg);
    assert_null(store);

    assert_int_equal(chmod(dir, 0770), 0);
    assert_error(f->ctx, xlv__store_open(f->ctx, &store, dir),
                 XLV_ERR_INVAL, "writable by group or others: refused");
    assert_int_equal(chmod(dir, 0702), 0);
    assert_error(f->ctx, xlv__store_open(f->ctx, &store, dir),
                 XLV_ERR_INVAL, "writable by group or others: refused");

    /* Readable by others is their business, writable is not. */
    assert_int_equal(chmod(dir, 0755), 0);
    assert_int_equal(xlv__store_open(f->ctx, &store, dir), 0);
    xlv__store_close(store);
}

static void test_open_refuses_file(void **state)
{
    fixture *f = *state;
    xlv__store *store = NULL;
    char dir[256];

    make_file(f->base, "file", "not a directory\n", 0600);
    snprintf(dir, sizeof(dir), "%s/file", f->base);
    assert_error(f->ctx, xlv__store_open(f->ctx, &store, dir),
                 XLV_ERR_INVAL, "is not a directory");
    snprintf(dir, sizeof(dir), "%s/file/store", f->base);
    assert_error(f->ctx, xlv__store_open(f->ctx, &store, dir),
                 XLV_ERR_INVAL, "is not a directory");
    assert_error(f->ctx, xlv__store_open(f->ctx, &store, ""),
                 XLV_ERR_INVAL, "empty");
    assert_null(store);
}

static void test_open_refuses_other_owner(void **state)
{
    fixture *f = *state;
    xlv__store *store = NULL;
    char dir[256];

    if (geteuid() != 0)
        skip();
    snprintf(dir, sizeof(dir), "%s/theirs", f->base);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(chown(dir, 1, 1), 0);
    assert_error(f->ctx, xlv__store_open(f->ctx, &store, dir),
                 XLV_ERR_INVAL, "is owned by uid '1', not by us");
    assert_null(store);
}

static void test_roundtrip(void **state)
{
    fixture *f = *state;
    static const char def2[] =
        "<domain type='xen'><name>web</name><vcpu>4</vcpu></domain>\n";
    char path[256];
    struct stat st;
    mode_t old;

    /* Exactly 0600 whatever the umask: not wider, and not narrower. */
    old = umask(0277);
    assert_int_equal(xlv__store_write(f->ctx, f->store, "web", def_web), 0);
    umask(old);
    assert_read(f, "web", def_web);
    path_of(path, sizeof(path), f->dir, "web.xml");
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);

    old = umask(0);
    assert_int_equal(xlv__store_write(f->ctx, f->store, "web", def2), 0);
    umask(old);
    assert_read(f, "web", def2);
    assert_int_equal(lstat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);

    /* An empty definition is a definition. */
    assert_int_equal(xlv__store_write(f->ctx, f->store, "empty", ""), 0);
    assert_read(f, "empty", "");

    /* Only the definitions are left: no temporary file. */
    assert_int_equal(count_entries(f->dir, ""), 2);
}

static void test_notfound(void **state)
{
    fixture *f = *state;
    char *text = NULL;

    assert_error(f->ctx, xlv__store_read(f->ctx, f->store, "ghost", &text),
                 XLV_ERR_NOTFOUND, "domain 'ghost' is not defined");
    assert_string_equal(xlv_ctx_error(f->ctx),
                        "domain 'ghost' is not defined");
    assert_null(text);
    assert_error(f->ctx, xlv__store_remove(f->ctx, f->store, "ghost"),
                 XLV_ERR_NOTFOUND, "domain 'ghost' is not defined");
}

static void test_remove(void **state)
{
    fixture *f = *state;
    char **names = NULL;
    unsigned int n = 99;
    char *text = NULL;

    assert_int_equal(xlv__store_write(f->ctx, f->store, "web", def_web), 0);
    assert_int_equal(xlv__store_write(f->ctx, f->store, "db", def_web), 0);
    assert_int_equal(xlv__store_remove(f->ctx, f->store, "web"), 0);
    assert_false(exists(f->dir, "web.xml"));
    assert_error(f->ctx, xlv__store_read(f->ctx, f->store, "web", &text),
                 XLV_ERR_NOTFOUND, "domain 'web' is not defined");
    assert_error(f->ctx, xlv__store_remove(f->ctx, f->store, "web"),
                 XLV_ERR_NOTFOUND, "domain 'web' is not defined");
    assert_read(f, "db", def_web);

    assert_int_equal(xlv__store_list(f->ctx, f->store, &names, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "db");
    xlv__store_names_free(names, n);
}

static void test_list(void **state)
{
    fixture *f = *state;
    char **names = NULL;
    unsigned int n = 99;
    char path[256];
    int lock = -1;

    assert_int_equal(xlv__store_list(f->ctx, f->store, &names, &n), 0);
    assert_int_equal(n, 0);
    xlv__store_names_free(names, n);

    assert_int_equal(xlv__store_write(f->ctx, f->store, "zeta", "z"), 0);
    assert_int_equal(xlv__store_write(f->ctx, f->store, "alpha", "a"), 0);
    assert_int_equal(xlv__store_write(f->ctx, f->store, "Mid", "m"), 0);
    assert_int_equal(xlv__store_write(f->ctx, f->store, "mid", "m"), 0);
    /* Neither definitions nor names of domains: */
    make_file(f->dir, ".hidden.xml", "h", 0600);
    make_file(f->dir, ".alpha.xml.tmp", "partial", 0600);
    make_file(f->dir, ".beta.xml.tmp", "partial", 0600);
    make_file(f->dir, "notes.txt", "n", 0600);
    make_file(f->dir, ".xml", "n", 0600);
    make_file(f->dir, "gamma.xml.bak", "n", 0600);
    path_of(path, sizeof(path), f->dir, "dir.xml");
    assert_int_equal(mkdir(path, 0700), 0);
    path_of(path, sizeof(path), f->dir, "link.xml");
    assert_int_equal(symlink("alpha.xml", path), 0);
    /* The lock directory is not a domain either. */
    assert_int_equal(xlv__store_lock(f->ctx, f->store, "alpha", 0, &lock),
                     0);
    xlv__store_unlock(lock);

    assert_int_equal(xlv__store_list(f->ctx, f->store, &names, &n), 0);
    assert_int_equal(n, 4);
    assert_string_equal(names[0], "Mid");
    assert_string_equal(names[1], "alpha");
    assert_string_equal(names[2], "mid");
    assert_string_equal(names[3], "zeta");
    xlv__store_names_free(names, n);
    xlv__store_names_free(NULL, 0);
}

static void test_hostile_names(void **state)
{
    fixture *f = *state;
    static const char *const bad[] = {
        "../x", "a/b", ".hidden", "..", "/etc/passwd", "bad\n", "tab\there",
        "", NULL, /* and a 65-character name, below */
    };
    char long_name[66], ok_name[65];
    const char *names[sizeof(bad) / sizeof(bad[0]) + 1];
    unsigned int i, n = 0;
    char *text = NULL;
    int lock = -1;

    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        names[n++] = bad[i];
    names[n++] = long_name;

    for (i = 0; i < n; i++) {
        const char *name = names[i];

        assert_error(f->ctx, xlv__store_check_name(f->ctx, name),
                     XLV_ERR_INVAL, "domain name '");
        assert_error(f->ctx, xlv__store_write(f->ctx, f->store, name,
                                              def_web),
                     XLV_ERR_INVAL, "domain name '");
        assert_error(f->ctx, xlv__store_read(f->ctx, f->store, name, &text),
                     XLV_ERR_INVAL, "domain name '");
        assert_null(text);
        assert_error(f->ctx, xlv__store_remove(f->ctx, f->store, name),
                     XLV_ERR_INVAL, "domain name '");
        assert_error(f->ctx, xlv__store_lock(f->ctx, f->store, name, 0,
                                             &lock),
                     XLV_ERR_INVAL, "domain name '");
        assert_int_equal(lock, -1);
        /* The message stays on one line whatever the name holds. */
        assert_null(strchr(xlv_ctx_error(f->ctx), '\n'));
    }
    xlv__store_check_name(f->ctx, "../x");
    assert_string_equal(xlv_ctx_error(f->ctx),
                        "domain name '../x': must not start with '.'");
    xlv__store_check_name(f->ctx, "a/b");
    assert_string_equal(xlv_ctx_error(f->ctx),
                        "domain name 'a/b': character '/' is not allowed");
    xlv__store_check_name(f->ctx, long_name);
    assert_non_null(strstr(xlv_ctx_error(f->ctx),
                           "...': longer than 64 characters"));

    /* Nothing was created, in the store or beside it. */
    assert_int_equal(count_entries(f->dir, ""), 0);
    assert_int_equal(count_entries(f->base, ""), 1);

    /* 64 characters is the limit, not over it. */
    memset(ok_name, 'b', 64);
    ok_name[64] = '\0';
    assert_int_equal(xlv__store_check_name(f->ctx, ok_name), 0);
    assert_int_equal(xlv__store_write(f->ctx, f->store, ok_name, def_web),
                     0);
    assert_read(f, ok_name, def_web);
    assert_int_equal(xlv__store_lock(f->ctx, f->store, ok_name, 0, &lock),
                     0);
    xlv__store_unlock(lock);
}

static void test_read_symlink(void **state)
{
    fixture *f = *state;
    char target[256], link[256];
    char *text = NULL;
    struct stat st;

    make_file(f->base, "outside.xml", "outside\n", 0600);
    path_of(target, sizeof(target), f->base, "outside.xml");
    path_of(link, sizeof(link), f->dir, "evil.xml");
    assert_int_equal(symlink(target, link), 0);

    assert_error(f->ctx, xlv__store_read(f->ctx, f->store, "evil", &text),
                 XLV_ERR_INVAL, "is a symlink: refused");
    assert_null(text);

    /* A write replaces the link itself, never what it points to. */
    assert_int_equal(xlv__store_write(f->ctx, f->store, "evil", def_web), 0);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_read(f, "evil", def_web);
    {
        fixture outside = *f;

        /* outside.xml is untouched: read it through a store on BASE. */
        assert_int_equal(chmod(f->base, 0700), 0);
        assert_int_equal(xlv__store_open(f->ctx, &outside.store, f->base),
                         0);
        assert_read(&outside, "outside", "outside\n");
        xlv__store_close(outside.store);
    }
}

static void test_read_writable_file(void **state)
{
    fixture *f = *state;
    char path[256];
    char *text = NULL;

    assert_int_equal(xlv__store_write(f->ctx, f->store, "gw", def_web), 0);
    path_of(path, sizeof(path), f->dir, "gw.xml");

    assert_int_equal(chmod(path, 0620), 0);
    assert_error(f->ctx, xlv__store_read(f->ctx, f->store, "gw", &text),
                 XLV_ERR_INVAL, "writable by group or others: refused");
    assert_non_null(strstr(xlv_ctx_error(f->ctx), "gw.xml"));
    assert_null(text);
    assert_int_equal(chmod(path, 0602), 0);
    assert_error(f->ctx, xlv__store_read(f->ctx, f->store, "gw", &text),
                 XLV_ERR_INVAL, "writable by group or others: refused");

    /* Readable by others: still ours alone to change. */
    assert_int_equal(chmod(path, 0644), 0);
    assert_read(f, "gw", def_web);

    if (geteuid() == 0) {
        assert_int_equal(chmod(path, 0600), 0);
        assert_int_equal(chown(path, 1, 1), 0);
        assert_error(f->ctx, xlv__store_read(f->ctx, f->store, "gw", &text),
                     XLV_ERR_INVAL, "is owned by uid '1', not by us");
    }
}

static void test_read_not_regular(void **state)
{
    fixture *f = *state;
    char path[256];
    char *text = NULL;

    path_of(path, sizeof(path), f->dir, "d.xml");
    assert_int_equal(mkdir(path, 0700), 0);
    assert_error(f->ctx, xlv__store_read(f->ctx, f->store, "d", &text),
                 XLV_ERR_INVAL, "is not a regular file: refused");

    /* A fifo neither blocks the open nor is read. */
    path_of(path, sizeof(path), f->dir, "p.xml");
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_error(f->ctx, xlv__store_read(f->ctx, f->store, "p", &text),
                 XLV_ERR_INVAL, "is not a regular file: refused");
    assert_null(text);
}

static void test_size_limit(void **state)
{
    fixture *f = *state;
    char path[256];
    char *text = NULL, *big;
    int fd;

    path_of(path, sizeof(path), f->dir, "big.xml");
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, XLV_MAX_DOCUMENT_BYTES + 1), 0);
    assert_int_equal(close(fd), 0);
    assert_error(f->ctx, xlv__store_read(f->ctx, f->store, "big", &text),
                 XLV_ERR_INVAL, "'4194305' bytes, more than the limit of "
                                "4194304");
    assert_null(text);

    /* At the limit exactly, it is read. */
    assert_int_equal(truncate(path, XLV_MAX_DOCUMENT_BYTES), 0);
    assert_int_equal(xlv__store_read(f->ctx, f->store, "big", &text), 0);
    free(text);

    /* We never write what we would refuse to read; the old file stays. */
    assert_int_equal(xlv__store_write(f->ctx, f->store, "web", def_web), 0);
    big = malloc(XLV_MAX_DOCUMENT_BYTES + 2);
    assert_non_null(big);
    memset(big, 'x', XLV_MAX_DOCUMENT_BYTES + 1);
    big[XLV_MAX_DOCUMENT_BYTES + 1] = '\0';
    assert_error(f->ctx, xlv__store_write(f->ctx, f->store, "web", big),
                 XLV_ERR_INVAL, "more than the limit");
    assert_read(f, "web", def_web);
    big[XLV_MAX_DOCUMENT_BYTES] = '\0';
    assert_int_equal(xlv__store_write(f->ctx, f->store, "web", big), 0);
    assert_read(f, "web", big);
    free(big);
}

static void test_write_failure(void **state)
{
    fixture *f = *state;
    char path[256];
    struct stat st;

    /* NAME.xml is a non-empty directory: the rename over it fails. */
    path_of(path, sizeof(path), f->dir, "blocked.xml");
    assert_int_equal(mkdir(path, 0700), 0);
    make_file(path, "inside", "x", 0600);
    assert_error(f->ctx, xlv__store_write(f->ctx, f->store, "blocked",
                                          def_web),
                 XLV_ERR_IO, "cannot replace '");
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    /* The temporary file went with the failure. */
    assert_int_equal(count_entries(f->dir, ".blocked.xml.tmp"), 0);
    assert_int_equal(count_entries(f->dir, ""), 1);
}

static void test_stale_tmp(void **state)
{
    fixture *f = *state;

    /* What a writer of web killed between create and rename left. */
    make_file(f->dir, ".web.xml.tmp", "partial", 0600);
    /* Not web's: another domain's, and a name web is a prefix of. */
    make_file(f->dir, ".db.xml.tmp", "partial", 0600);
    make_file(f->dir, ".webx.xml.tmp", "partial", 0600);

    assert_int_equal(xlv__store_write(f->ctx, f->store, "web", def_web), 0);
    assert_false(exists(f->dir, ".web.xml.tmp"));
    assert_true(exists(f->dir, ".db.xml.tmp"));
    assert_true(exists(f->dir, ".webx.xml.tmp"));
    assert_read(f, "web", def_web);

    /* The next write of db cleans db's. */
    assert_int_equal(xlv__store_write(f->ctx, f->store, "db", def_web), 0);
    assert_false(exists(f->dir, ".db.xml.tmp"));
}

/* Found by tests/crash: a write of web killed before its rename, then
 * undefine web; no later write of web would come to clean up. */
static void test_remove_stale_tmp(void **state)
{
    fixture *f = *state;

    assert_int_equal(xlv__store_write(f->ctx, f->store, "web", def_web), 0);
    make_file(f->dir, ".web.xml.tmp", "partial", 0600);
    make_file(f->dir, ".db.xml.tmp", "partial", 0600);
    assert_int_equal(xlv__store_remove(f->ctx, f->store, "web"), 0);
    assert_false(exists(f->dir, ".web.xml.tmp"));
    assert_false(exists(f->dir, "web.xml"));
    assert_true(exists(f->dir, ".db.xml.tmp"));
}

static void test_lock_same_process(void **state)
{
    fixture *f = *state;
    int lock = -1, lock2 = -1, other = -1;
    char path[256];
    struct stat st;
    uint64_t start, waited;

    assert_false(exists(f->dir, ".locks"));
    assert_int_equal(xlv__store_lock(f->ctx, f->store, "web", 0, &lock), 0);
    assert_true(lock >= 0);
    path_of(path, sizeof(path), f->dir, ".locks");
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0700);
    path_of(path, sizeof(path), f->dir, ".locks/web.lock");
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);

    /* A second open file description conflicts, as another process. */
    start = now_ms();
    assert_error(f->ctx, xlv__store_lock(f->ctx, f->store, "web", 50,
                                         &lock2),
                 XLV_ERR_BUSY, "domain 'web' is busy");
    waited = now_ms() - start;
    assert_string_equal(xlv_ctx_error(f->ctx), "domain 'web' is busy: "
                        "another xlvcpu command holds it");
    assert_true(waited >= 49);
    assert_true(waited < 5000);
    assert_int_equal(lock2, -1);
    assert_error(f->ctx, xlv__store_lock(f->ctx, f->store, "web", 0, &lock2),
                 XLV_ERR_BUSY, "domain 'web' is busy");

    /* Each domain has its own lock. */
    assert_int_equal(xlv__store_lock(f->ctx, f->store, "db", 0, &other), 0);
    xlv__store_unlock(other);

    xlv__store_unlock(lock);
    assert_int_equal(xlv__store_lock(f->ctx, f->store, "web", 0, &lock2), 0);
    xlv__store_unlock(lock2);
    xlv__store_unlock(-1);
}

static void test_lock_dir_symlink(void **state)
{
    fixture *f = *state;
    char path[256], target[256];
    int lock = -1;

    path_of(target, sizeof(target), f->base, "elsewhere");
    assert_int_equal(mkdir(target, 0700), 0);
    path_of(path, sizeof(path), f->dir, ".locks");
    assert_int_equal(symlink(target, path), 0);
    assert_error(f->ctx, xlv__store_lock(f->ctx, f->store, "web", 0, &lock),
                 XLV_ERR_INVAL, "not a directory: refused");
    assert_int_equal(lock, -1);
    assert_int_equal(count_entries(target, ""), 0);
}

/* In a child: lock NAME in a store of its own; the lock's rc. */
static int child_lock(const char *dir, const char *name,
                      unsigned int timeout_ms)
{
    xlv__store *store = NULL;
    xlv_ctx *ctx = NULL;
    int lock = -1;
    int rc;

    if (xlv_ctx_new(&ctx, NULL, 0))
        return 1;
    rc = xlv__store_open(ctx, &store, dir);
    if (!rc)
        rc = xlv__store_lock(ctx, store, name, timeout_ms, &lock);
    xlv__store_unlock(lock);
    xlv__store_close(store);
    xlv_ctx_free(ctx);
    return rc;
}

static int wait_child(pid_t pid)
{
    int status;

    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void test_lock_other_process(void **state)
{
    fixture *f = *state;
    int lock = -1;
    int sync[2];
    pid_t pid;
    char c;

    assert_int_equal(xlv__store_lock(f->ctx, f->store, "web", 0, &lock), 0);

    /* A child shares our open file description, and with it our flock,
     * until it closes its copy: it does, as a separate command would not
     * have one. */
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(lock);
        _exit(child_lock(f->dir, "web", 50) == XLV_ERR_BUSY ? 0 : 1);
    }
    assert_int_equal(wait_child(pid), 0);

    /* A waiting command gets the lock when it is released: the child
     * sees it held, tells us, and waits while we let go. */
    assert_int_equal(pipe(sync), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int held;

        close(lock);
        held = child_lock(f->dir, "web", 0) == XLV_ERR_BUSY;

        if (write(sync[1], "x", 1) != 1)
            _exit(2);
        _exit(held && child_lock(f->dir, "web", 10000) == 0 ? 0 : 1);
    }
    assert_int_equal(read(sync[0], &c, 1), 1);
    usleep(50 * 1000);
    xlv__store_unlock(lock);
    assert_int_equal(wait_child(pid), 0);
    close(sync[0]);
    close(sync[1]);

    /* Released with the child's exit. */
    assert_int_equal(xlv__store_lock(f->ctx, f->store, "web", 0, &lock), 0);
    xlv__store_unlock(lock);
}

enum { WRITERS = 8, CYCLES = 50 };

/* In a child: CYCLES locked read-increment-write cycles of "counter". */
static int child_increment(const char *dir)
{
    xlv__store *store = NULL;
    xlv_ctx *ctx = NULL;
    char buf[32];
    int i;
    int rc;

    if (xlv_ctx_new(&ctx, NULL, 0))
        return 1;
    rc = xlv__store_open(ctx, &store, dir);
    for (i = 0; !rc && i < CYCLES; i++) {
        char *text = NULL;
        int lock = -1;

        rc = xlv__store_lock(ctx, store, "counter", 60000, &lock);
        if (!rc)
            rc = xlv__store_read(ctx, store, "counter", &text);
        if (!rc) {
            snprintf(buf, sizeof(buf), "%lu\n", strtoul(text, NULL, 10) + 1);
            rc = xlv__store_write(ctx, store, "counter", buf);
        }
        free(text);
        xlv__store_unlock(lock);
    }
    if (rc)
        fprintf(stderr, "child: %s\n", xlv_ctx_error(ctx));
    xlv__store_close(store);
    xlv_ctx_free(ctx);
    return rc ? 1 : 0;
}

static void test_no_lost_update(void **state)
{
    fixture *f = *state;
    pid_t pids[WRITERS];
    char expected[32];
    int i;

    assert_int_equal(xlv__store_write(f->ctx, f->store, "counter", "0\n"),
                     0);
    fflush(NULL);
    for (i = 0; i < WRITERS; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0)
            _exit(child_increment(f->dir));
    }
    for (i = 0; i < WRITERS; i++)
        assert_int_equal(wait_child(pids[i]), 0);

    snprintf(expected, sizeof(expected), "%d\n", WRITERS * CYCLES);
    assert_read(f, "counter", expected);
    assert_int_equal(count_entries(f->dir, ".counter.xml.tmp"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_creates, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_missing_read_only, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_missing_made_by_another, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_missing_then_symlink, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_open_refuses_symlink, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_open_parent_symlink, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_open_refuses_writable, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_open_refuses_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_open_refuses_other_owner, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_notfound, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_remove, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_list, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_hostile_names, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_read_symlink, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_read_writable_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_read_not_regular, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_size_limit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_write_failure, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_stale_tmp, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_remove_stale_tmp, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_lock_same_process, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_lock_dir_symlink, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_lock_other_process, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_no_lost_update, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
