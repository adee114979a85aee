/*
 * Helpers shared by the data-driven test programs: reading files, the
 * JSON comparison that keeps goldens hand-editable, and the comparison of
 * two domains' vCPU facts.  Header-only: each test program is one file.
 */
#ifndef XLV_TESTUTIL_H
#define XLV_TESTUTIL_H

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl_tree.h>

#include "cpuset.h"
#include "domain.h"

typedef struct {
    unsigned int passed, failed;
    const char *suite;
} tally;

static void t_fail(tally *t, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void t_fail(tally *t, const char *what, const char *fmt, ...)
{
    va_list ap;

    printf("FAIL %s: %s: ", t->suite, what);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    t->failed++;
}

static void t_pass(tally *t, const char *what)
{
    if (getenv("XLV_TEST_VERBOSE"))
        printf("ok   %s: %s\n", t->suite, what);
    t->passed++;
}

/* The whole file, NUL-terminated, or NULL when it cannot be read. */
static char *t_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        } else {
            buf[n] = '\0';
        }
    }
    fclose(f);
    return buf;
}

__attribute__((unused))
static int t_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    int ok;

    if (!f)
        return -1;
    ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* Sorted names in DIR ending in SUFFIX; *n_r entries, free each and all. */
static char **t_list(const char *dir, const char *suffix, unsigned int *n_r)
{
    size_t ls = strlen(suffix);
    unsigned int n = 0, cap = 0, i, j;
    char **names = NULL;
    struct dirent *de;
    DIR *d = opendir(dir);

    *n_r = 0;
    if (!d)
        return NULL;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);

        if (l <= ls || strcmp(de->d_name + l - ls, suffix))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = realloc(names, cap * sizeof(*names));
        }
        names[n++] = strdup(de->d_name);
    }
    closedir(d);
    for (i = 1; i < n; i++) {
        for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *tmp = names[j];

            names[j] = names[j - 1];
            names[j - 1] = tmp;
        }
    }
    *n_r = n;
    return names;
}

static void t_free_list(char **names, unsigned int n)
{
    unsigned int i;

    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/*
 * Compare two JSON trees: objects by key (order ignored), arrays in order,
 * numbers by value.  Writes the first difference's path into WHERE.
 */
static int t_json_equal(yajl_val a, yajl_val b, char *where, size_t len)
{
    size_t i, j, n;

    if (!a || !b)
        return a == b;
    if (a->type != b->type) {
        snprintf(where + strlen(where), len - strlen(where), " (type)");
        return 0;
    }
    switch (a->type) {
    case yajl_t_string:
        return !strcmp(a->u.string, b->u.string);
    case yajl_t_number:
        return !strcmp(a->u.number.r, b->u.number.r);
    case yajl_t_object:
        if (a->u.object.len != b->u.object.len) {
            snprintf(where + strlen(where), len - strlen(where),
                     " (%zu keys vs %zu)", a->u.object.len, b->u.object.len);
            return 0;
        }
        for (i = 0; i < a->u.object.len; i++) {
            const char *k = a->u.object.keys[i];
            size_t at = strlen(where);

            for (j = 0; j < b->u.object.len; j++) {
                if (!strcmp(k, b->u.object.keys[j]))
                    break;
            }
            snprintf(where + at, len - at, ".%s", k);
            if (j == b->u.object.len ||
                !t_json_equal(a->u.object.values[i], b->u.object.values[j],
                              where, len))
                return 0;
            where[at] = '\0';
        }
        return 1;
    case yajl_t_array:
        n = a->u.array.len;
        if (n != b->u.array.len) {
            snprintf(where + strlen(where), len - strlen(where),
                     " (%zu items vs %zu)", n, b->u.array.len);
            return 0;
        }
        for (i = 0; i < n; i++) {
            size_t at = strlen(where);

            snprintf(where + at, len - at, "[%zu]", i);
            if (!t_json_equal(a->u.array.values[i], b->u.array.values[i],
                              where, len))
                return 0;
            where[at] = '\0';
        }
        return 1;
    default:
        return 1;   /* true, false, null: the type says it all */
    }
}

static bool t_map_equal(const libxl_bitmap *a, const libxl_bitmap *b)
{
    if (!a || !b)
        return a == b;
    return libxl_bitmap_equal(a, b, 0);
}

/*
 * Whether A and B have the same vCPU facts: maximum, online map,
 * effective hard and soft affinity of every vCPU, topology, vNUMA cells,
 * scheduler weight.  placement='auto' is not one: for libxl it is the
 * same as no cpuset at all, and xl.cfg has no way to say it.
 * Describes the first difference in WHY.
 */
static bool t_vcpu_facts_equal(const xlv_domain *a, const xlv_domain *b,
                               char *why, size_t len)
{
    unsigned int i, j;

    if (a->max_vcpus != b->max_vcpus) {
        snprintf(why, len, "max vcpus %u vs %u", a->max_vcpus, b->max_vcpus);
        return false;
    }
    if (!libxl_bitmap_equal(&a->online, &b->online, 0)) {
        snprintf(why, len, "online maps differ");
        return false;
    }
    /* Node items stay as written until a host resolves them. */
    if (!a->hard_nodes != !b->hard_nodes ||
        (a->hard_nodes && strcmp(a->hard_nodes, b->hard_nodes)) ||
        !a->soft_nodes != !b->soft_nodes ||
        (a->soft_nodes && strcmp(a->soft_nodes, b->soft_nodes))) {
        snprintf(why, len, "default affinities naming numa nodes differ");
        return false;
    }
    for (i = 0; i < a->max_vcpus; i++) {
        if (!t_map_equal(xlv__domain_hard(a, i), xlv__domain_hard(b, i))) {
            snprintf(why, len, "hard affinity of vcpu %u differs", i);
            return false;
        }
        if (!t_map_equal(xlv__domain_soft(a, i), xlv__domain_soft(b, i))) {
            snprintf(why, len, "soft affinity of vcpu %u differs", i);
            return false;
        }
    }
    if (a->n_vnodes != b->n_vnodes) {
        snprintf(why, len, "%u vnuma cells vs %u", a->n_vnodes, b->n_vnodes);
        return false;
    }
    for (i = 0; i < a->n_vnodes; i++) {
        const xlv__vnode *x = &a->vnodes[i], *y = &b->vnodes[i];

        if (!libxl_bitmap_equal(&x->vcpus, &y->vcpus, 0) ||
            x->memory_kib / 1024 != y->memory_kib / 1024) {
            snprintf(why, len, "vnuma cell %u differs", i);
            return false;
        }
        for (j = 0; j < a->n_vnodes; j++) {
            uint32_t dx = x->n_distances ? x->distances[j] : 0;
            uint32_t dy = y->n_distances ? y->distances[j] : 0;

            if (dx != dy && dx && dy) {
                snprintf(why, len, "vnuma distance %u-%u differs", i, j);
                return false;
            }
        }
    }
    if (a->sockets != b->sockets || a->cores != b->cores ||
        a->threads != b->threads ||
        (a->dies ? a->dies : 1) != (b->dies ? b->dies : 1)) {
        snprintf(why, len, "topology differs");
        return false;
    }
    if (a->weight != b->weight) {
        snprintf(why, len, "weight %u vs %u", a->weight, b->weight);
        return false;
    }
    return true;
}

#endif /* XLV_TESTUTIL_H */
