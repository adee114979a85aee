/*
 * bench/store: whether the cost of a config change or of reading a
 * definition grows with the number of domains in the store.
 *
 * Defines N = 10, 1000 and 10000 small domains (dom-00001, ...) through
 * the API, each N in a fresh store of its own, then times, on the domain
 * in the middle of each store:
 *   - "vcpu-set --config": xlv_vcpu_set(XLV_AFFECT_CONFIG), alternating
 *     between two counts so every call rewrites the definition, and
 *   - "dumpxml --inactive": xlv_domain_get_xml(XLV_XML_INACTIVE),
 * in-process as the command does it (a new ctx and conn per call: open,
 * call, close), then through the command itself (fork and exec of xlvcpu
 * -c test:///... --state-dir DIR) for N = 10 and N = 10000.  The calls are
 * interleaved: every round makes one call of each operation on each
 * store, in an order shuffled anew each round, so that a drift in disk or
 * CPU speed weighs on every figure alike and no call always pays for the
 * caches the same other call left cold.  It prints the medians in
 * microseconds and the ratio N=10000 / N=10 of each (target: <= 1.2,
 * "flat").
 *
 * usage: store XLVCPU_BINARY [ROUNDS]
 *   ROUNDS in-process calls of each operation per store (default 101, at
 *   least 51); the command runs ROUNDS / 3 times (at least 21).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libxlvcpu.h"

#define N_STORES 3
#define N_OPS 2                 /* vcpu-set --config, dumpxml --inactive */
#define MIN_ROUNDS 51
#define MIN_RUNS 21
#define WARMUP 3

static const unsigned int sizes[N_STORES] = { 10, 1000, 10000 };
/* Which stores the command runs on: the two ends. */
static const int cmd_store[N_STORES] = { 1, 0, 1 };
static const char *const op_names[N_OPS] = {
    "vcpu-set --config", "dumpxml --inactive"
};

typedef struct {
    unsigned int n;             /* domains defined */
    char dir[256];              /* BASE/store-N */
    char middle[32];            /* the domain the calls are made on */
    unsigned int sets;          /* vcpu-sets so far: the next count */
    double define_s;            /* how long defining them all took */
    double *lib[N_OPS];         /* seconds per in-process call */
    double *cmd[N_OPS];         /* seconds per run of the command */
} store_bench;

typedef struct {
    const char *xlvcpu;
    char base[256];             /* the temporary directory, "" once gone */
    char hooks[300];            /* BASE/hooks, empty */
    char uri[300];              /* test:///BASE/host.json */
    unsigned int rounds, runs;
    unsigned int seed;          /* of the shuffles: the same each run */
    store_bench stores[N_STORES];
} bench;

/* One call to make in a round: operation OP on store STORE. */
typedef struct {
    unsigned int store;
    int op;
} task;

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

/* xorshift32: a fixed sequence, so that runs are comparable. */
static unsigned int next_random(bench *b)
{
    b->seed ^= b->seed << 13;
    b->seed ^= b->seed >> 17;
    b->seed ^= b->seed << 5;
    return b->seed;
}

static void shuffle(bench *b, task *t, unsigned int n)
{
    unsigned int i, j;
    task x;

    for (i = n - 1; i > 0; i--) {
        j = next_random(b) % (i + 1);
        x = t[i];
        t[i] = t[j];
        t[j] = x;
    }
}

/* The count of the next vcpu-set on S: it differs from the last one. */
static unsigned int next_count(store_bench *s)
{
    return s->sets++ % 2 ? 2 : 3;
}

static int remove_one(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

static void cleanup(bench *b)
{
    unsigned int i, op;

    if (b->base[0] && nftw(b->base, remove_one, 16, FTW_DEPTH | FTW_PHYS))
        fprintf(stderr, "store: cannot remove '%s': %s\n", b->base,
                strerror(errno));
    b->base[0] = '\0';
    for (i = 0; i < N_STORES; i++) {
        for (op = 0; op < N_OPS; op++) {
            free(b->stores[i].lib[op]);
            free(b->stores[i].cmd[op]);
            b->stores[i].lib[op] = b->stores[i].cmd[op] = NULL;
        }
    }
}

static void die(bench *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

static void die(bench *b, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "store: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    cleanup(b);
    exit(1);
}

/* A small domain as a user would write it: pins, a disk, a nic. */
static void domain_xml(char *buf, size_t size, unsigned int i)
{
    snprintf(buf, size,
             "<domain type='xen'>\n"
             "  <name>dom-%05u</name>\n"
             "  <uuid>5a3c0e4e-1b2d-4f6a-8c9e-%012x</uuid>\n"
             "  <description>bench guest %u</description>\n"
             "  <memory unit='MiB'>%u</memory>\n"
             "  <vcpu placement='static' current='2'>4</vcpu>\n"
             "  <cputune>\n"
             "    <vcpupin vcpu='0' cpuset='%u'/>\n"
             "    <vcpupin vcpu='1' cpuset='%u'/>\n"
             "  </cputune>\n"
             "  <os>\n"
             "    <type arch='x86_64' machine='xenpv'>linux</type>\n"
             "    <kernel>/boot/vmlinuz</kernel>\n"
             "    <cmdline>root=/dev/xvda1 ro console=hvc0</cmdline>\n"
             "  </os>\n"
             "  <on_poweroff>destroy</on_poweroff>\n"
             "  <on_reboot>restart</on_reboot>\n"
             "  <on_crash>restart</on_crash>\n"
             "  <devices>\n"
             "    <disk type='file' device='disk'>\n"
             "      <driver name='qemu' type='raw'/>\n"
             "      <source file='/var/lib/xen/images/dom-%05u.img'/>\n"
             "      <target dev='xvda' bus='xen'/>\n"
             "    </disk>\n"
             "    <interface type='bridge'>\n"
             "      <mac address='00:16:3e:%02x:%02x:%02x'/>\n"
             "      <source bridge='xenbr0'/>\n"
             "    </interface>\n"
             "    <console type='pty'/>\n"
             "  </devices>\n"
             "</domain>\n",
             i, i, i, 512u * (1 + i % 4), (2 * i) % 8, (2 * i + 1) % 8, i,
             (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
}

static void define_all(bench *b, store_bench *s)
{
    xlv_ctx *ctx = NULL;
    xlv_conn *conn = NULL;
    char xml[2048];
    unsigned int i;
    double t0;

    if (xlv_ctx_new(&ctx, NULL, 0))
        die(b, "cannot make a ctx");
    if (xlv_conn_open(ctx, &conn, b->uri, s->dir, 0))
        die(b, "%s", xlv_ctx_error(ctx));
    t0 = now();
    for (i = 1; i <= s->n; i++) {
        xlv_domain *dom = NULL;

        domain_xml(xml, sizeof(xml), i);
        if (xlv_domain_from_xml(ctx, &dom, xml, strlen(xml), NULL, 0) ||
            xlv_domain_define(ctx, conn, dom, 0))
            die(b, "define dom-%05u: %s", i, xlv_ctx_error(ctx));
        xlv_domain_free(dom);
    }
    s->define_s = now() - t0;
    xlv_conn_close(conn);
    xlv_ctx_free(ctx);
}

/* One call of operation OP in-process, as the command makes it. */
static double lib_call(bench *b, store_bench *s, int op)
{
    xlv_ctx *ctx = NULL;
    xlv_conn *conn = NULL;
    char *xml = NULL;
    double t0 = now(), t;
    int rc;

    rc = xlv_ctx_new(&ctx, NULL, 0);
    if (rc)
        die(b, "cannot make a ctx");
    rc = xlv_conn_open(ctx, &conn, b->uri, s->dir, 0);
    if (!rc)
        rc = xlv_conn_set_hook_dir(ctx, conn, b->hooks, 0);
    if (!rc && op == 0)
        rc = xlv_vcpu_set(ctx, conn, NULL, s->middle, next_count(s),
                          XLV_AFFECT_CONFIG);
    else if (!rc)
        rc = xlv_domain_get_xml(ctx, conn, &xml, s->middle, XLV_XML_INACTIVE);
    free(xml);
    xlv_conn_close(conn);
    t = now() - t0;
    if (rc)
        die(b, "%s %s: %s", op_names[op], s->middle, xlv_ctx_error(ctx));
    xlv_ctx_free(ctx);
    return t;
}

/* One run of the command for operation OP, output thrown away. */
static double cmd_run(bench *b, store_bench *s, int op)
{
    char count[4];
    char *set[] = { (char *)b->xlvcpu, "-c", b->uri, "--state-dir", s->dir,
                    "vcpu-set", "--config", s->middle, count, NULL };
    char *dump[] = { (char *)b->xlvcpu, "-c", b->uri, "--state-dir", s->dir,
                     "dumpxml", "--inactive", s->middle, NULL };
    double t0;
    int status;
    pid_t pid;

    if (op == 0)
        snprintf(count, sizeof(count), "%u", next_count(s));
    t0 = now();
    pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);

        if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
            _exit(127);
        execv(b->xlvcpu, op == 0 ? set : dump);
        _exit(127);
    }
    if (pid < 0)
        die(b, "fork: %s", strerror(errno));
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            die(b, "waitpid: %s", strerror(errno));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status))
        die(b, "%s %s %s failed (status 0x%x)", b->xlvcpu, op_names[op],
            s->middle, (unsigned int)status);
    return now() - t0;
}

static void print_row(const char *what, const double *us, const int *have)
{
    unsigned int i;

    printf("  %-30s", what);
    for (i = 0; i < N_STORES; i++) {
        if (have[i])
            printf(" %9.1f", us[i]);
        else
            printf(" %9s", "-");
    }
    printf("   %5.2f  %s\n", us[N_STORES - 1] / us[0],
           us[N_STORES - 1] / us[0] <= 1.2 ? "flat" : "NOT FLAT");
}

int main(int argc, char **argv)
{
    static const int all[N_STORES] = { 1, 1, 1 };
    const char *tmp = getenv("TMPDIR");
    double us[N_STORES];
    task tasks[N_STORES * N_OPS];
    unsigned int n_lib = 0, n_cmd = 0, i, r, k;
    char label[64];
    bench b;
    int op;

    memset(&b, 0, sizeof(b));
    b.seed = 2463534242u;
    b.rounds = argc > 2 ? (unsigned int)atoi(argv[2]) : 101;
    if (argc < 2 || argc > 3 || b.rounds < MIN_ROUNDS) {
        fprintf(stderr, "usage: store XLVCPU_BINARY [ROUNDS >= %u]\n",
                MIN_ROUNDS);
        return 2;
    }
    b.xlvcpu = argv[1];
    if (access(b.xlvcpu, X_OK)) {
        fprintf(stderr, "store: %s: %s\n", b.xlvcpu, strerror(errno));
        return 1;
    }
    /* Odd counts: the median is one of the measurements. */
    b.rounds |= 1;
    b.runs = (b.rounds / 3 < MIN_RUNS ? MIN_RUNS : b.rounds / 3) | 1;

    /* The test host's path must be absolute. */
    snprintf(b.base, sizeof(b.base), "%s/xlvcpu-bench-store.XXXXXX",
             tmp && tmp[0] == '/' ? tmp : "/tmp");
    if (!mkdtemp(b.base)) {
        fprintf(stderr, "store: mkdtemp %s: %s\n", b.base, strerror(errno));
        return 1;
    }
    snprintf(b.hooks, sizeof(b.hooks), "%s/hooks", b.base);
    snprintf(b.uri, sizeof(b.uri), "test://%s/host.json", b.base);
    if (mkdir(b.hooks, 0700))
        die(&b, "mkdir %s: %s", b.hooks, strerror(errno));
    /* The command: no hooks, no injected failures, the default run dir. */
    setenv("XLVCPU_HOOK_DIR", b.hooks, 1);
    unsetenv("XLVCPU_RUN_DIR");
    unsetenv("XLVCPU_TEST_FAIL");

    for (i = 0; i < N_STORES; i++) {
        store_bench *s = &b.stores[i];

        s->n = sizes[i];
        snprintf(s->dir, sizeof(s->dir), "%s/store-%u", b.base, s->n);
        snprintf(s->middle, sizeof(s->middle), "dom-%05u", (s->n + 1) / 2);
        for (op = 0; op < N_OPS; op++) {
            s->lib[op] = calloc(b.rounds, sizeof(double));
            s->cmd[op] = calloc(b.runs, sizeof(double));
            if (!s->lib[op] || !s->cmd[op])
                die(&b, "out of memory");
        }
        define_all(&b, s);
    }

    /* The first WARMUP rounds are not counted. */
    for (r = 0; r < WARMUP + b.rounds; r++) {
        n_lib = 0;
        for (i = 0; i < N_STORES; i++) {
            for (op = 0; op < N_OPS; op++)
                tasks[n_lib++] = (task){ i, op };
        }
        shuffle(&b, tasks, n_lib);
        for (k = 0; k < n_lib; k++) {
            store_bench *s = &b.stores[tasks[k].store];
            double t = lib_call(&b, s, tasks[k].op);

            if (r >= WARMUP)
                s->lib[tasks[k].op][r - WARMUP] = t;
        }
    }
    /* The children must not inherit unwritten output.  The first round
     * of the command warms up the page cache and is not counted. */
    fflush(stdout);
    for (r = 0; r < 1 + b.runs; r++) {
        n_cmd = 0;
        for (i = 0; i < N_STORES; i++) {
            for (op = 0; cmd_store[i] && op < N_OPS; op++)
                tasks[n_cmd++] = (task){ i, op };
        }
        shuffle(&b, tasks, n_cmd);
        for (k = 0; k < n_cmd; k++) {
            store_bench *s = &b.stores[tasks[k].store];
            double t = cmd_run(&b, s, tasks[k].op);

            if (r >= 1)
                s->cmd[tasks[k].op][r - 1] = t;
        }
    }

    printf("bench/store: medians in microseconds; in-process: %u calls "
           "each (ctx, conn\n  open, call, close); command: %u runs each "
           "(fork, exec, wait)\n", b.rounds, b.runs);
    printf("  %-30s", "domains defined");
    for (i = 0; i < N_STORES; i++)
        printf(" %9u", b.stores[i].n);
    printf("   10k/10 (target <= 1.2)\n");
    for (op = 0; op < N_OPS; op++) {
        for (i = 0; i < N_STORES; i++)
            us[i] = median(b.stores[i].lib[op], b.rounds) * 1e6;
        snprintf(label, sizeof(label), "%s (library)", op_names[op]);
        print_row(label, us, all);
    }
    for (op = 0; op < N_OPS; op++) {
        for (i = 0; i < N_STORES; i++)
            us[i] = cmd_store[i] ? median(b.stores[i].cmd[op], b.runs) * 1e6
                                 : 0;
        snprintf(label, sizeof(label), "%s (command)", op_names[op]);
        print_row(label, us, cmd_store);
    }
    printf("  %-30s", "define, per domain (info)");
    for (i = 0; i < N_STORES; i++)
        printf(" %9.1f", b.stores[i].define_s / b.stores[i].n * 1e6);
    printf("\n");

    cleanup(&b);
    return 0;
}
