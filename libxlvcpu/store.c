/*
 * The store of domain definitions: one DIR/NAME.xml per domain, locks in
 * DIR/.locks/NAME.lock.
 *
 * Every file operation is done relative to a descriptor of DIR opened
 * once, with symlinks refused at the last component, so neither a
 * symlink swapped in for DIR after the checks nor a symlink planted in
 * DIR can redirect a read or a write.  Names are checked before any use,
 * so no name can leave DIR.
 *
 * DIR is made (mode 0700, with its missing parents) by the first change
 * that needs it, not when the store is opened: a command that only reads
 * (a listing, a definition asked for) finds nothing defined in a DIR that
 * is not there, and leaves none behind.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirfile.h"
#include "domain.h"
#include "store.h"

#define LOCKS_DIR ".locks"
#define DEF_SUFFIX ".xml"
#define TMP_SUFFIX ".xml.tmp"
#define MARK_SUFFIX ".autostart"
/* Longest file name we build: '.' NAME ".xml.tmp", or NAME.lock. */
#define FILE_NAME_MAX 128

struct xlv__store {
    char *dir;          /* as given, for messages */
    int dirfd;          /* O_DIRECTORY|O_NOFOLLOW descriptor of dir; -1
                         * while dir is not there (made by ensure_dir()) */
};

/*
 * A connection opened with XLV_CONN_NO_STORE passes no store: every use
 * of one fails, naming why.
 */
static int check_store(xlv_ctx *ctx, const xlv__store *store)
{
    if (store)
        return 0;
    return xlv__error(ctx, XLV_ERR_INVAL, "this connection has no store of "
                      "definitions (it was opened with XLV_CONN_NO_STORE)");
}

int xlv__store_check_name(xlv_ctx *ctx, const char *name)
{
    const char *problem = xlv__domain_name_problem(name);

    if (!problem)
        return 0;
    if (!name)
        name = "";
    return xlv__error(ctx, XLV_ERR_INVAL, "domain name '%.64s%s': %s", name,
                      strlen(name) > 64 ? "..." : "", problem);
}

/* What every call about one domain NAME of STORE checks first. */
static int check_domain_call(xlv_ctx *ctx, const xlv__store *store,
                             const char *name)
{
    int rc;

    rc = check_store(ctx, store);
    if (rc) return rc;
    return xlv__store_check_name(ctx, name);
}

/* The file names of NAME, which xlv__store_check_name() accepted. */
static void def_file(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s" DEF_SUFFIX, name);
}

static void tmp_file(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, ".%s" TMP_SUFFIX, name);
}

static void lock_file(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s.lock", name);
}

static void mark_file(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s" MARK_SUFFIX, name);
}

static void mark_tmp_file(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, ".%s" MARK_SUFFIX ".tmp", name);
}

/*
 * Owned by us and writable by nobody else: anyone else able to write
 * there could change what we read, or swap files under us.
 */
static int check_owner(xlv_ctx *ctx, const struct stat *st,
                       const char *what, const char *dir, const char *file)
{
    const char *sep = file ? "/" : "";

    if (!file)
        file = "";
    if (st->st_uid != geteuid())
        return xlv__error(ctx, XLV_ERR_INVAL, "%s '%.200s%s%s' is owned by "
                          "uid '%lu', not by us (uid '%lu'): refused", what,
                          dir, sep, file, (unsigned long)st->st_uid,
                          (unsigned long)geteuid());
    if (st->st_mode & 022)
        return xlv__error(ctx, XLV_ERR_INVAL, "%s '%.200s%s%s' is writable "
                          "by group or others: refused", what, dir, sep,
                          file);
    return 0;
}

static bool is_symlink(int parent, const char *name)
{
    struct stat st;

    return fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
           S_ISLNK(st.st_mode);
}

/*
 * Open the directory NAME in PARENT (AT_FDCWD or a directory descriptor),
 * creating it with mode 0700 when missing.  A directory we create must not
 * have turned into a symlink by the time we open it; one that already
 * existed may be a symlink (a parent like /var/run) unless NOFOLLOW.
 */
static int open_dir_step(xlv_ctx *ctx, int *fd_r, int parent,
                         const char *name, bool nofollow, const char *path)
{
    int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
    bool created = false;
    int fd = -1;
    int rc, r;

    r = mkdirat(parent, name, 0700);
    if (r == 0) {
        created = true;
    } else if (errno != EEXIST) {
        rc = xlv__error(ctx, XLV_ERR_IO, "cannot create directory "
                        "'%.200s': %s", path, strerror(errno));
        goto out;
    }
    if (created || nofollow)
        flags |= O_NOFOLLOW;
    fd = openat(parent, name, flags);
    if (fd < 0) {
        /* Linux says ENOTDIR, not ELOOP, for O_NOFOLLOW|O_DIRECTORY. */
        if (errno == ELOOP || (errno == ENOTDIR && is_symlink(parent, name)))
            rc = xlv__error(ctx, XLV_ERR_INVAL, "directory '%.200s' is a "
                            "symlink: refused", path);
        else if (errno == ENOTDIR)
            rc = xlv__error(ctx, XLV_ERR_INVAL, "'%.200s' is not a "
                            "directory", path);
        else
            rc = xlv__error(ctx, XLV_ERR_IO, "cannot open directory "
                            "'%.200s': %s", path, strerror(errno));
        goto out;
    }
    /* The umask may have taken bits we need away: we are its only user. */
    if (created && fchmod(fd, 0700) < 0) {
        rc = xlv__error(ctx, XLV_ERR_IO, "cannot set the mode of directory "
                        "'%.200s': %s", path, strerror(errno));
        goto out;
    }

    *fd_r = fd;
    fd = -1;
    rc = 0;
 out:
    if (fd >= 0)
        close(fd);
    return rc;
}

/*
 * mkdir -p DIR, one component at a time relative to the previous one, and
 * open DIR itself, which must not be a symlink.  A DIR that is there
 * already (every use but the first) takes one open, as the walk would
 * end: the components before the last are followed, the last is not.
 */
static int open_dir(xlv_ctx *ctx, int *fd_r, const char *dir)
{
    char *path = NULL, *p, *next;
    int parent = AT_FDCWD, fd = -1;
    int rc;

    /* (A trailing slash would make open follow a last symlink.) */
    if (dir[strlen(dir) - 1] != '/') {
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) {
            *fd_r = fd;
            return 0;
        }
    }
    /* Anything else, the walk makes what is missing or says what is
     * wrong, and where. */
    rc = xlv__strdup(ctx, &path, dir);
    if (rc) goto out;

    if (path[0] == '/') {
        parent = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (parent < 0) {
            rc = xlv__error(ctx, XLV_ERR_IO, "cannot open directory '/': "
                            "%s", strerror(errno));
            goto out;
        }
    }
    p = path;
    for (;;) {
        char saved;
        bool last;

        while (*p == '/')
            p++;
        if (!*p)
            break;
        next = p;
        while (*next && *next != '/')
            next++;
        saved = *next;
        *next = '\0';
        last = !saved || !next[strspn(next + 1, "/") + 1];
        /* Messages name the path up to this component. */
        rc = open_dir_step(ctx, &fd, parent, p, last, path);
        *next = saved;
        if (rc) goto out;
        if (parent != AT_FDCWD)
            close(parent);
        parent = fd;
        fd = -1;
        p = next;
    }
    if (parent == AT_FDCWD) {
        /* DIR was empty: nothing to open. */
        rc = xlv__error(ctx, XLV_ERR_INVAL, "directory '%.200s' is not a "
                        "usable store directory", dir);
        goto out;
    }

    *fd_r = parent;
    parent = AT_FDCWD;
    rc = 0;
 out:
    if (parent != AT_FDCWD && parent >= 0)
        close(parent);
    free(path);
    return rc;
}

/*
 * Whether nothing is at DIR, not even a symlink: DIR, its trailing
 * slashes aside (with them, lstat() would follow a last symlink), or a
 * directory on its way is missing.
 */
static int dir_missing(xlv_ctx *ctx, const char *dir, bool *missing_r)
{
    struct stat st;
    size_t len = strlen(dir);
    char *path;

    *missing_r = false;
    while (len > 1 && dir[len - 1] == '/')
        len--;
    path = strndup(dir, len);
    if (!path)
        return xlv__nomem(ctx, "the store directory's name");
    *missing_r = lstat(path, &st) < 0 && errno == ENOENT;
    free(path);
    return 0;
}

/* Open STORE's directory, making it when missing, and check that we can
 * trust it. */
static int ensure_dir(xlv_ctx *ctx, xlv__store *store)
{
    struct stat st;
    int fd = -1;
    int rc;

    if (store->dirfd >= 0)
        return 0;
    rc = open_dir(ctx, &fd, store->dir);
    if (rc) goto out;
    /* Checked on what we opened, not on the path, which may change. */
    if (fstat(fd, &st) < 0) {
        rc = xlv__error(ctx, XLV_ERR_IO, "cannot stat directory '%.200s': "
                        "%s", store->dir, strerror(errno));
        goto out;
    }
    if (!S_ISDIR(st.st_mode)) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "'%.200s' is not a directory",
                        store->dir);
        goto out;
    }
    rc = check_owner(ctx, &st, "directory", store->dir, NULL);
    if (rc) goto out;

    store->dirfd = fd;
    fd = -1;
 out:
    if (fd >= 0)
        close(fd);
    return rc;
}

/*
 * For a call that only reads: STORE's directory, opened and checked, if it
 * is there by now (another store, or another process, may have made it
 * since); none there leaves STORE without one, and is no error.
 */
static int find_dir(xlv_ctx *ctx, xlv__store *store)
{
    bool missing;
    int rc;

    if (store->dirfd >= 0)
        return 0;
    rc = dir_missing(ctx, store->dir, &missing);
    if (rc || missing)
        return rc;
    return ensure_dir(ctx, store);
}

int xlv__store_open(xlv_ctx *ctx, xlv__store **store_r, const char *dir)
{
    xlv__store *store = NULL;
    int rc;

    if (!dir || !*dir) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "store directory is empty");
        goto out;
    }
    store = calloc(1, sizeof(*store));
    if (!store) {
        rc = xlv__nomem(ctx, "the store");
        goto out;
    }
    store->dirfd = -1;
    rc = xlv__strdup(ctx, &store->dir, dir);
    if (rc) goto out;

    /* What is there is checked now; what is not, made when needed. */
    rc = find_dir(ctx, store);
    if (rc) goto out;

    *store_r = store;
    store = NULL;
    rc = 0;
 out:
    xlv__store_close(store);
    return rc;
}

void xlv__store_close(xlv__store *store)
{
    if (!store)
        return;
    if (store->dirfd >= 0)
        close(store->dirfd);
    free(store->dir);
    free(store);
}

const char *xlv__store_dir(const xlv__store *store)
{
    return store->dir;
}

/* DIR/.locks, created on first use, with the same rules as DIR. */
static int open_locks_dir(xlv_ctx *ctx, xlv__store *store, int *fd_r)
{
    const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    bool created = false;
    struct stat st;
    int fd = -1;
    int rc;

    fd = openat(store->dirfd, LOCKS_DIR, flags);
    if (fd < 0 && errno == ENOENT) {
        if (mkdirat(store->dirfd, LOCKS_DIR, 0700) == 0) {
            created = true;
        } else if (errno != EEXIST) {
            rc = xlv__error(ctx, XLV_ERR_IO, "cannot create directory "
                            "'%.200s/" LOCKS_DIR "': %s", store->dir,
                            strerror(errno));
            goto out;
        }
        fd = openat(store->dirfd, LOCKS_DIR, flags);
    }
    if (fd < 0) {
        if (errno == ELOOP || errno == ENOTDIR)
            rc = xlv__error(ctx, XLV_ERR_INVAL, "'%.200s/" LOCKS_DIR "' is "
                            "not a directory: refused", store->dir);
        else
            rc = xlv__error(ctx, XLV_ERR_IO, "cannot open directory "
                            "'%.200s/" LOCKS_DIR "': %s", store->dir,
                            strerror(errno));
        goto out;
    }
    if ((created && fchmod(fd, 0700) < 0) || fstat(fd, &st) < 0) {
        rc = xlv__error(ctx, XLV_ERR_IO, "cannot set up directory "
                        "'%.200s/" LOCKS_DIR "': %s", store->dir,
                        strerror(errno));
        goto out;
    }
    rc = check_owner(ctx, &st, "directory", store->dir, LOCKS_DIR);
    if (rc) goto out;

    *fd_r = fd;
    fd = -1;
    rc = 0;
 out:
    if (fd >= 0)
        close(fd);
    return rc;
}

int xlv__store_lock(xlv_ctx *ctx, xlv__store *store, const char *name,
                    unsigned int timeout_ms, int *lock_r)
{
    char file[FILE_NAME_MAX], path[PATH_MAX], what[FILE_NAME_MAX + 16];
    int locks = -1;
    int rc;

    rc = check_domain_call(ctx, store, name);
    if (rc) goto out;
    rc = ensure_dir(ctx, store);
    if (rc) goto out;
    rc = open_locks_dir(ctx, store, &locks);
    if (rc) goto out;

    lock_file(file, sizeof(file), name);
    snprintf(path, sizeof(path), "%s/" LOCKS_DIR "/%s", store->dir, file);
    snprintf(what, sizeof(what), "domain '%s'", name);
    rc = xlv__dirfile_lock(ctx, locks, file, path, what, timeout_ms, lock_r);
 out:
    if (locks >= 0)
        close(locks);
    return rc;
}

void xlv__store_unlock(int lock)
{
    xlv__dirfile_unlock(lock);
}

static int not_defined(xlv_ctx *ctx, const char *name)
{
    return xlv__error(ctx, XLV_ERR_NOTFOUND, "domain '%s' is not defined",
                      name);
}

/*
 * Open definition FILE (NAME's) of STORE into *FD_R, which the caller
 * closes when it is not -1, even on failure; then check that it is one
 * we can trust and read whole: *SIZE_R gets its size.
 */
static int open_definition(xlv_ctx *ctx, xlv__store *store, const char *name,
                           const char *file, int *fd_r, size_t *size_r)
{
    struct stat st;
    int rc;

    *fd_r = openat(store->dirfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
                   O_NOCTTY | O_NONBLOCK);
    if (*fd_r < 0) {
        if (errno == ENOENT)
            return not_defined(ctx, name);
        if (errno == ELOOP)
            return xlv__error(ctx, XLV_ERR_INVAL, "definition '%.200s/%s' "
                              "is a symlink: refused", store->dir, file);
        return xlv__error(ctx, XLV_ERR_IO, "cannot open definition "
                          "'%.200s/%s': %s", store->dir, file,
                          strerror(errno));
    }
    if (fstat(*fd_r, &st) < 0)
        return xlv__error(ctx, XLV_ERR_IO, "cannot stat definition "
                          "'%.200s/%s': %s", store->dir, file,
                          strerror(errno));
    if (!S_ISREG(st.st_mode))
        return xlv__error(ctx, XLV_ERR_INVAL, "definition '%.200s/%s' is "
                          "not a regular file: refused", store->dir, file);
    rc = check_owner(ctx, &st, "definition", store->dir, file);
    if (rc) return rc;
    if ((uint64_t)st.st_size > XLV_MAX_DOCUMENT_BYTES)
        return xlv__error(ctx, XLV_ERR_INVAL, "definition '%.200s/%s' is "
                          "'%llu' bytes, more than the limit of %u",
                          store->dir, file, (unsigned long long)st.st_size,
                          XLV_MAX_DOCUMENT_BYTES);
    *size_r = (size_t)st.st_size;
    return 0;
}

/* Read definition FILE of STORE, SIZE bytes, from FD into *TEXT_R. */
static int read_definition(xlv_ctx *ctx, const xlv__store *store,
                           const char *file, int fd, size_t size,
                           char **text_r)
{
    /* One byte more than the size, to see the file grow under us. */
    size_t len = 0, cap = size + 1;
    char *buf;
    int rc;

    buf = malloc(cap + 1);
    if (!buf) {
        rc = xlv__nomem(ctx, "a definition");
        goto out;
    }
    for (;;) {
        ssize_t r = read(fd, buf + len, cap - len);

        if (r < 0) {
            if (errno == EINTR)
                continue;
            rc = xlv__error(ctx, XLV_ERR_IO, "cannot read definition "
                            "'%.200s/%s': %s", store->dir, file,
                            strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        len += (size_t)r;
        if (len == cap) {
            /* Files are replaced by rename, never written in place: a
             * file that grows is not one of ours. */
            rc = xlv__error(ctx, XLV_ERR_IO, "definition '%.200s/%s' "
                            "changed while it was read", store->dir, file);
            goto out;
        }
    }
    buf[len] = '\0';

    *text_r = buf;
    buf = NULL;
    rc = 0;
 out:
    free(buf);
    return rc;
}

int xlv__store_read(xlv_ctx *ctx, xlv__store *store, const char *name,
                    char **text_r)
{
    char file[FILE_NAME_MAX];
    size_t size = 0;
    int fd = -1;
    int rc;

    rc = check_domain_call(ctx, store, name);
    if (rc) goto out;
    rc = find_dir(ctx, store);
    if (rc) goto out;
    if (store->dirfd < 0) {
        rc = not_defined(ctx, name);
        goto out;
    }
    def_file(file, sizeof(file), name);
    rc = open_definition(ctx, store, name, file, &fd, &size);
    if (rc) goto out;
    rc = read_definition(ctx, store, file, fd, size, text_r);
 out:
    if (fd >= 0)
        close(fd);
    return rc;
}

int xlv__store_write(xlv_ctx *ctx, xlv__store *store, const char *name,
                     const char *text)
{
    char file[FILE_NAME_MAX], tmp[FILE_NAME_MAX];
    size_t len;
    int rc;

    rc = check_domain_call(ctx, store, name);
    if (rc) goto out;
    def_file(file, sizeof(file), name);
    len = strlen(text);
    if (len > XLV_MAX_DOCUMENT_BYTES) {
        rc = xlv__error(ctx, XLV_ERR_INVAL, "definition of domain '%s' is "
                        "'%zu' bytes, more than the limit of %u", name, len,
                        XLV_MAX_DOCUMENT_BYTES);
        goto out;
    }
    rc = ensure_dir(ctx, store);
    if (rc) goto out;
    /* Every writer of NAME holds NAME's lock: a temporary file of that
     * name is what a killed writer left. */
    tmp_file(tmp, sizeof(tmp), name);
    rc = xlv__dirfile_replace(ctx, store->dirfd, store->dir, file, tmp, text,
                              len);
 out:
    return rc;
}

int xlv__store_get_autostart(xlv_ctx *ctx, xlv__store *store,
                             const char *name, bool *on_r)
{
    char file[FILE_NAME_MAX];
    struct stat st;
    int rc;

    rc = check_domain_call(ctx, store, name);
    if (rc) return rc;
    rc = find_dir(ctx, store);
    if (rc) return rc;
    mark_file(file, sizeof(file), name);
    if (store->dirfd < 0 ||
        fstatat(store->dirfd, file, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        if (store->dirfd >= 0 && errno != ENOENT)
            return xlv__error(ctx, XLV_ERR_IO, "cannot stat '%.200s/%s': "
                              "%s", store->dir, file, strerror(errno));
        *on_r = false;
        return 0;
    }
    if (!S_ISREG(st.st_mode))
        return xlv__error(ctx, XLV_ERR_INVAL, "autostart mark '%.200s/%s' "
                          "is not a regular file: refused", store->dir,
                          file);
    rc = check_owner(ctx, &st, "autostart mark", store->dir, file);
    if (rc) return rc;
    *on_r = true;
    return 0;
}

int xlv__store_set_autostart(xlv_ctx *ctx, xlv__store *store,
                             const char *name, bool on, bool *changed_r)
{
    char file[FILE_NAME_MAX], tmp[FILE_NAME_MAX];
    bool was;
    int rc;

    if (changed_r)
        *changed_r = false;
    rc = xlv__store_get_autostart(ctx, store, name, &was);
    if (rc || was == on) return rc;
    if (changed_r)
        *changed_r = true;
    mark_file(file, sizeof(file), name);
    if (on) {
        rc = ensure_dir(ctx, store);
        if (rc) return rc;
        mark_tmp_file(tmp, sizeof(tmp), name);
        return xlv__dirfile_replace(ctx, store->dirfd, store->dir, file,
                                    tmp, "", 0);
    }
    if (unlinkat(store->dirfd, file, 0) < 0)
        return xlv__error(ctx, XLV_ERR_IO, "cannot remove '%.200s/%s': %s",
                          store->dir, file, strerror(errno));
    return xlv__dirfile_sync(ctx, store->dirfd, store->dir);
}

int xlv__store_remove(xlv_ctx *ctx, xlv__store *store, const char *name)
{
    char file[FILE_NAME_MAX], tmp[FILE_NAME_MAX];
    int rc;

    rc = check_domain_call(ctx, store, name);
    if (rc) goto out;
    def_file(file, sizeof(file), name);
    tmp_file(tmp, sizeof(tmp), name);
    /* The mark first: a definition made again later must not find it. */
    rc = xlv__store_set_autostart(ctx, store, name, false, NULL);
    if (rc) goto out;
    if (store->dirfd < 0) {
        rc = not_defined(ctx, name);
        goto out;
    }

    /* What a killed writer left goes too: no later write of NAME may come
     * to remove it. */
    if (unlinkat(store->dirfd, tmp, 0) < 0 && errno != ENOENT) {
        rc = xlv__error(ctx, XLV_ERR_IO, "cannot remove the stale "
                        "'%.200s/%s': %s", store->dir, tmp, strerror(errno));
        goto out;
    }
    if (unlinkat(store->dirfd, file, 0) < 0) {
        if (errno == ENOENT)
            rc = not_defined(ctx, name);
        else
            rc = xlv__error(ctx, XLV_ERR_IO, "cannot remove '%.200s/%s': "
                            "%s", store->dir, file, strerror(errno));
        goto out;
    }
    rc = xlv__dirfile_sync(ctx, store->dirfd, store->dir);
 out:
    return rc;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether FILE is NAME.xml for a valid NAME, and a regular file. */
static bool is_definition(xlv__store *store, const char *file)
{
    size_t len = strlen(file), slen = strlen(DEF_SUFFIX);
    char name[FILE_NAME_MAX];
    struct stat st;

    if (file[0] == '.' || len <= slen || len - slen >= sizeof(name) ||
        strcmp(file + len - slen, DEF_SUFFIX))
        return false;
    memcpy(name, file, len - slen);
    name[len - slen] = '\0';
    if (xlv__domain_name_problem(name))
        return false;
    if (fstatat(store->dirfd, file, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return false;
    return S_ISREG(st.st_mode);
}

static int cannot_list(xlv_ctx *ctx, const xlv__store *store, int err)
{
    return xlv__error(ctx, XLV_ERR_IO, "cannot read directory '%.200s': %s",
                      store->dir, strerror(err));
}

/* STORE's directory, to read its entries: *D_R is closedir()'s. */
static int open_listing(xlv_ctx *ctx, const xlv__store *store, DIR **d_r)
{
    int fd;
    int rc;

    fd = openat(store->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return cannot_list(ctx, store, errno);
    *d_r = fdopendir(fd);
    if (!*d_r) {
        rc = cannot_list(ctx, store, errno);
        close(fd);
        return rc;
    }
    return 0;
}

int xlv__store_list(xlv_ctx *ctx, xlv__store *store, char ***names_r,
                    unsigned int *n_r)
{
    char **names = NULL;
    unsigned int n = 0, cap = 0;
    struct dirent *de;
    DIR *d = NULL;
    int rc;

    rc = check_store(ctx, store);
    if (rc) goto out;
    rc = find_dir(ctx, store);
    if (rc) goto out;
    /* (No directory yet: no names.) */
    if (store->dirfd < 0)
        goto done;
    rc = open_listing(ctx, store, &d);
    if (rc) goto out;
    for (;;) {
        size_t len;

        errno = 0;
        de = readdir(d);
        if (!de) {
            if (errno) {
                rc = cannot_list(ctx, store, errno);
                goto out;
            }
            break;
        }
        if (!is_definition(store, de->d_name))
            continue;
        if (n == cap) {
            unsigned int ncap = cap ? cap * 2 : 16;
            char **p = realloc(names, ncap * sizeof(*names));

            if (!p) {
                rc = xlv__nomem(ctx, "the list of domains");
                goto out;
            }
            names = p;
            cap = ncap;
        }
        len = strlen(de->d_name) - strlen(DEF_SUFFIX);
        names[n] = strndup(de->d_name, len);
        if (!names[n]) {
            rc = xlv__nomem(ctx, "the list of domains");
            goto out;
        }
        n++;
    }
    if (n)
        qsort(names, n, sizeof(*names), compare_names);
 done:
    *names_r = names;
    *n_r = n;
    names = NULL;
    n = 0;
    rc = 0;
 out:
    if (d)
        closedir(d);
    xlv__store_names_free(names, n);
    return rc;
}

void xlv__store_names_free(char **names, unsigned int n)
{
    unsigned int i;

    if (!names)
        return;
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
}
