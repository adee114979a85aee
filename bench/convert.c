/*
 * bench/convert: how much dearer a conversion is than parsing the XML.
 *
 * Loads the example domains, then, in interleaved rounds, times
 *   - a bare libxml2 parse of every document (the floor: any converter
 *     has to read the XML), and
 *   - a full conversion of every document: xlv_domain_from_xml() (parse,
 *     model, every check) and xlv_domain_to_libxl() (the libxl config),
 * plus, for information, the xl.cfg and libxl JSON writers.  It prints the
 * medians, conversions per second and the ratio conversion / bare parse
 * (target: <= 1.5), then runs the xlvcpu command on every example and
 * prints its peak RSS (target: <= 8 MiB).
 *
 * usage: convert DOMAIN_CONFIG_DIR XLVCPU_BINARY [ROUNDS]
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxl.h>

#include "libxlvcpu.h"

typedef struct {
    char *name;
    char *text;
    size_t len;
} document;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static unsigned int load(const char *dir, document **docs_r)
{
    document *docs = NULL;
    unsigned int n = 0;
    struct dirent *de;
    DIR *d = opendir(dir);

    if (!d) {
        perror(dir);
        exit(1);
    }
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        char path[4096];
        FILE *f;
        long sz;

        if (l < 5 || strcmp(de->d_name + l - 4, ".xml"))
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        f = fopen(path, "rb");
        if (!f || fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 ||
            fseek(f, 0, SEEK_SET)) {
            perror(path);
            exit(1);
        }
        docs = realloc(docs, (n + 1) * sizeof(*docs));
        docs[n].name = strdup(path);
        docs[n].text = malloc((size_t)sz + 1);
        docs[n].len = fread(docs[n].text, 1, (size_t)sz, f);
        docs[n].text[docs[n].len] = '\0';
        fclose(f);
        n++;
    }
    closedir(d);
    *docs_r = docs;
    return n;
}

static void bare_parse(const document *docs, unsigned int n)
{
    unsigned int i;

    for (i = 0; i < n; i++) {
        xmlDocPtr doc = xmlReadMemory(docs[i].text, (int)docs[i].len,
                                      docs[i].name, NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOBLANKS);

        if (!doc) {
            fprintf(stderr, "%s: libxml2 cannot parse it\n", docs[i].name);
            exit(1);
        }
        xmlFreeDoc(doc);
    }
}

/* WHAT: 0 libxl config, 1 xl.cfg, 2 libxl JSON. */
static void convert(xlv_ctx *ctx, const document *docs, unsigned int n,
                    int what)
{
    unsigned int i;

    for (i = 0; i < n; i++) {
        xlv_domain *dom = NULL;
        libxl_domain_config cfg;
        char *out = NULL;
        int rc;

        rc = xlv_domain_from_xml(ctx, &dom, docs[i].text, docs[i].len,
                                 docs[i].name, 0);
        if (!rc && what == 0) {
            libxl_domain_config_init(&cfg);
            rc = xlv_domain_to_libxl(ctx, &cfg, dom, 0);
            libxl_domain_config_dispose(&cfg);
        } else if (!rc && what == 1) {
            rc = xlv_domain_to_xlcfg(ctx, &out, dom, 0);
        } else if (!rc) {
            rc = xlv_domain_to_libxl_json(ctx, &out, dom, 0);
        }
        if (rc) {
            fprintf(stderr, "%s: %s\n", docs[i].name, xlv_ctx_error(ctx));
            exit(1);
        }
        free(out);
        xlv_domain_free(dom);
    }
}

/* Peak RSS in KiB of running the xlvcpu binary with ARGS. */
static long peak_rss(char *const args[])
{
    struct rusage ru;
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execv(args[0], args);
        _exit(127);
    }
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status)) {
        fprintf(stderr, "%s %s %s failed\n", args[0], args[1], args[2]);
        exit(1);
    }
    return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
    unsigned int rounds = argc > 3 ? (unsigned int)atoi(argv[3]) : 31;
    unsigned int reps, n, r, i, w;
    double *t_bare, *t_conv[3];
    document *docs;
    xlv_ctx *ctx;
    long rss, max_rss = 0;
    double bare, conv[3], t0;

    if (argc < 3 || rounds < 3) {
        fprintf(stderr, "usage: convert DOMAIN_CONFIG_DIR XLVCPU [ROUNDS]\n");
        return 2;
    }
    n = load(argv[1], &docs);
    if (!n) {
        fprintf(stderr, "%s: no .xml documents\n", argv[1]);
        return 1;
    }
    if (xlv_ctx_new(&ctx, NULL, 0))
        return 1;
    /* Enough repetitions that one timing is a few milliseconds. */
    reps = 2000 / n + 1;
    t_bare = calloc(rounds, sizeof(double));
    for (w = 0; w < 3; w++)
        t_conv[w] = calloc(rounds, sizeof(double));
    bare_parse(docs, n);            /* warm up */
    convert(ctx, docs, n, 0);
    for (r = 0; r < rounds; r++) {
        t0 = now();
        for (i = 0; i < reps; i++)
            bare_parse(docs, n);
        t_bare[r] = (now() - t0) / (reps * n);
        for (w = 0; w < 3; w++) {
            t0 = now();
            for (i = 0; i < reps; i++)
                convert(ctx, docs, n, (int)w);
            t_conv[w][r] = (now() - t0) / (reps * n);
        }
    }
    bare = median(t_bare, rounds);
    for (w = 0; w < 3; w++)
        conv[w] = median(t_conv[w], rounds);

    printf("bench/convert: %u documents, %u rounds of %u passes, medians\n",
           n, rounds, reps);
    printf("  bare libxml2 parse      %8.1f us/doc\n", bare * 1e6);
    printf("  xml -> libxl config     %8.1f us/doc  %9.0f conversions/s\n",
           conv[0] * 1e6, 1 / conv[0]);
    printf("  xml -> xl.cfg           %8.1f us/doc  %9.0f conversions/s\n",
           conv[1] * 1e6, 1 / conv[1]);
    printf("  xml -> libxl json       %8.1f us/doc  %9.0f conversions/s\n",
           conv[2] * 1e6, 1 / conv[2]);
    printf("  ratio conversion / bare parse: %.2f (target <= 1.5)\n",
           conv[0] / bare);
    /* The children must not inherit unwritten output. */
    fflush(stdout);

    for (i = 0; i < n; i++) {
        char *create[] = { argv[2], "-N", "create", docs[i].name, NULL };
        char *native[] = { argv[2], "domxml-to-native", "xen-xl",
                           docs[i].name, NULL };

        rss = peak_rss(create);
        if (rss > max_rss)
            max_rss = rss;
        rss = peak_rss(native);
        if (rss > max_rss)
            max_rss = rss;
    }
    printf("  peak rss of xlvcpu over %u runs: %.1f MiB (target <= 8 MiB)\n",
           2 * n, max_rss / 1024.0);

    for (i = 0; i < n; i++) {
        free(docs[i].name);
        free(docs[i].text);
    }
    free(docs);
    free(t_bare);
    for (w = 0; w < 3; w++)
        free(t_conv[w]);
    xlv_ctx_free(ctx);
    return 0;
}
