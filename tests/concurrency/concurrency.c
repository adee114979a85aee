/*
 * Concurrency of the changing commands on the simulated host.
 *
 * PROCS processes (16) run OPS commands each (100), all at once: vcpu-set
 * and vcpu-pin with --config, --live, --live --config or no scope, half
 * of them on one domain that every process shares, the rest on four
 * others (two running, two only defined).  The commands log their
 * critical sections (XLVCPU_LOCK_LOG).  Then:
 *
 *  - no deadlock: everything ends before a watchdog (CONC_TIMEOUT
 *    seconds, 600) and each command within MAX_WAIT_MS;
 *  - each command exits 0, or 1 with the one-line "busy" error;
 *  - the log holds exactly one line for each command that succeeded,
 *    saying what it did, and per domain its keys grow in log order;
 *  - no lost update: the final vCPU count and hard pins of each domain,
 *    persistent and live, are those of the last change the log orders;
 *  - the log replayed serially, with the same commands on a copy of the
 *    initial state, gives byte for byte the same persistent and live
 *    definitions and the same host state (CPU time aside).
 *
 *   concurrency XLVCPU         $CONC_PROCS, $CONC_OPS, $CONC_SEED,
 *                              $CONC_TIMEOUT, $CONC_KEEP=1
 *
 * Prints the figures and "concurrency: N passed, M failed" (a test per
 * command, per log line, per compared item and file); exits 1 when one
 * failed, 2 when it could not run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <yajl_tree.h>

#include "spawn.h"

#define N_DOMS 5
#define N_RUNNING 3                 /* the first ones run */
#define MAX_VCPUS 8
#define INITIAL_VCPUS 4
#define MAX_WORDS 16
#define PATH_LEN 512
#define LINE_LEN 1024
/* The library waits 10 s for a lock; a command may take a while more. */
#define MAX_WAIT_MS 20000
#define BUSY_TEXT "is busy: another xlvcpu command holds it"

static const char *const dom_names[N_DOMS] = {
    "hot", "run1", "run2", "cold1", "cold2",
};

/* Affinities as the library writes them back, so texts compare. */
static const char *const cpus[] = {
    "0", "1-2", "3", "4-7", "0,2,4", "5-6", "all",
};
#define N_CPUS (sizeof(cpus) / sizeof(cpus[0]))

/* One command of a worker. */
typedef struct {
    long pid;
    int status;                 /* exit status, or -signal */
    long long us;               /* how long it took */
    unsigned int dom;
    char scope[16];             /* as the log says it: live, config... */
    char op[96];                /* as the log says it: vcpu-set current 3 */
    char err[LINE_LEN];         /* first line of stderr */
    unsigned int err_lines;
    bool logged;
} result;

/* One line of the lock log. */
typedef struct {
    unsigned long long key;
    long pid;
    char dom[32], scope[16], op[96];
} logline;

typedef struct {
    const char *xlvcpu;
    char top[PATH_LEN];
    unsigned int procs, ops;
    unsigned long long seed;
    unsigned int passed, failed;
} conc;

static void check(conc *c, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void check(conc *c, bool ok, const char *fmt, ...)
{
    va_list ap;

    if (ok) {
        c->passed++;
        return;
    }
    c->failed++;
    printf("FAIL concurrency: ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

static unsigned int rnd(unsigned long long *s, unsigned int n)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return (unsigned int)((*s * 2685821657736338717ull) >> 33) % n;
}

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A shell command on our own temporary paths (no spaces in them). */
static void sh(const char *fmt, ...)
{
    char cmd[4 * PATH_LEN];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    if (system(cmd) != 0) {
        fprintf(stderr, "concurrency: '%s' failed\n", cmd);
        exit(2);
    }
}

/*
 * Run xlvcpu on the host and store under DIR with WORDS; stderr to ERR
 * (or /dev/null).  Fills *pid_r; returns the exit status, or -signal.
 */
static int xlvcpu(const conc *c, const char *dir, char *const *words,
                  const char *err, long *pid_r)
{
    char uri[PATH_LEN + 32], state[PATH_LEN + 16];
    int n = 0, status;
    pid_t pid;

    snprintf(uri, sizeof(uri), "test://%s/host.json", dir);
    snprintf(state, sizeof(state), "%s/state", dir);
    while (words[n] && n < MAX_WORDS)
        n++;
    pid = spawn_xlvcpu(c->xlvcpu, uri, state, words, n, err);
    if (pid_r)
        *pid_r = (long)pid;
    status = spawn_wait(pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

/* Split S at blanks into WORDS (NULL-terminated); S is changed. */
static int split(char *s, char **words)
{
    int n = 0;
    char *save = NULL, *w;

    for (w = strtok_r(s, " \t\n", &save); w && n < MAX_WORDS;
         w = strtok_r(NULL, " \t\n", &save))
        words[n++] = w;
    words[n] = NULL;
    return n;
}

/* The command line of a logged or planned change. */
static void command_of(char *buf, size_t size, const char *dom,
                       const char *scope, const char *op)
{
    const char *flags = !strcmp(scope, "live") ? "--live"
                        : !strcmp(scope, "config") ? "--config"
                        : "--live --config";
    char verb[32], what[32], rest[64];

    /* "vcpu-set current N" is "vcpu-set FLAGS DOM N"; "vcpu-pin V H S"
     * is "vcpu-pin FLAGS DOM V H S". */
    rest[0] = '\0';
    if (sscanf(op, "%31s %31s %63[^\n]", verb, what, rest) < 2) {
        snprintf(buf, size, "%s", op);
        return;
    }
    if (!strcmp(verb, "vcpu-set"))
        snprintf(buf, size, "vcpu-set %s%s %s %s", flags,
                 strcmp(what, "maximum") ? "" : " --maximum", dom, rest);
    else
        snprintf(buf, size, "%s %s %s %s %s", verb, flags, dom, what, rest);
}

/*---- the initial state ----*/

static void setup(conc *c, const char *dir)
{
    char path[PATH_LEN + 32], text[1024], line[PATH_LEN * 2];
    char *words[MAX_WORDS + 1];
    unsigned int d;

    for (d = 0; d < N_DOMS; d++) {
        snprintf(path, sizeof(path), "%s/%s.xml", c->top, dom_names[d]);
        snprintf(text, sizeof(text),
                 "<domain type='xen'>\n"
                 "  <name>%s</name>\n"
                 "  <memory unit='KiB'>262144</memory>\n"
                 "  <vcpu placement='static' current='%u'>%u</vcpu>\n"
                 "  <os>\n"
                 "    <type arch='x86_64' machine='xenpv'>linux</type>\n"
                 "    <kernel>/boot/vmlinuz</kernel>\n"
                 "  </os>\n"
                 "  <devices><x-unknown keep='yes'/></devices>\n"
                 "</domain>\n",
                 dom_names[d], INITIAL_VCPUS, MAX_VCPUS);
        spawn_spew(path, text);
        snprintf(line, sizeof(line), "define %s", path);
        split(line, words);
        if (xlvcpu(c, dir, words, NULL, NULL) != 0) {
            fprintf(stderr, "concurrency: cannot define '%s'\n", path);
            exit(2);
        }
        if (d >= N_RUNNING)
            continue;
        snprintf(line, sizeof(line), "start %s", dom_names[d]);
        split(line, words);
        if (xlvcpu(c, dir, words, NULL, NULL) != 0) {
            fprintf(stderr, "concurrency: cannot start '%s'\n",
                    dom_names[d]);
            exit(2);
        }
    }
}

/*---- the workers ----*/

/* Plan one command: which domain, which scope (as the log will say it),
 * which operation (as the log will say it), and the scope flags. */
static void plan(unsigned long long *rng, result *r, char *flags,
                 size_t size)
{
    unsigned int d = rnd(rng, 100) < 50 ? 0 : 1 + rnd(rng, N_DOMS - 1);
    bool running = d < N_RUNNING;
    unsigned int s = rnd(rng, running ? 4 : 2);

    r->dom = d;
    /* 0: no flag (current), 1: --config, 2: --live, 3: both */
    snprintf(flags, size, "%s", s == 0 ? "" : s == 1 ? "--config"
                                : s == 2 ? "--live" : "--live --config");
    snprintf(r->scope, sizeof(r->scope), "%s",
             s == 0 ? (running ? "live" : "config") : s == 1 ? "config"
             : s == 2 ? "live" : "live+config");
    if (rnd(rng, 2)) {
        snprintf(r->op, sizeof(r->op), "vcpu-set current %u",
                 1 + rnd(rng, MAX_VCPUS));
    } else {
        char vcpu[16];
        unsigned int h = rnd(rng, N_CPUS);

        if (rnd(rng, 5) == 0)
            snprintf(vcpu, sizeof(vcpu), "all");
        else
            snprintf(vcpu, sizeof(vcpu), "%u", rnd(rng, MAX_VCPUS));
        snprintf(r->op, sizeof(r->op), "vcpu-pin %s %s %s", vcpu, cpus[h],
                 rnd(rng, 4) ? "-" : cpus[rnd(rng, N_CPUS)]);
    }
}

static void worker(const conc *c, unsigned int w, int start_fd)
{
    unsigned long long rng = c->seed * 1000003 + w * 7919 + 1;
    char out[PATH_LEN + 32], err[PATH_LEN + 32], flags[32];
    char line[LINE_LEN], cmd[LINE_LEN], buf;
    char *words[MAX_WORDS + 1];
    unsigned int i;
    FILE *f;

    snprintf(out, sizeof(out), "%s/worker-%u.out", c->top, w);
    snprintf(err, sizeof(err), "%s/worker-%u.err", c->top, w);
    f = fopen(out, "w");
    if (!f)
        _exit(2);
    /* All start together, when the driver closes the pipe. */
    while (read(start_fd, &buf, 1) < 0 && errno == EINTR)
        ;
    for (i = 0; i < c->ops; i++) {
        result r;
        long long t0;
        char *e, *nl;

        memset(&r, 0, sizeof(r));
        plan(&rng, &r, flags, sizeof(flags));
        /* The log's "vcpu-set current N" is "vcpu-set FLAGS DOM N". */
        if (!strncmp(r.op, "vcpu-set current ", 17))
            snprintf(cmd, sizeof(cmd), "vcpu-set %s %s %s", flags,
                     dom_names[r.dom], r.op + 17);
        else
            snprintf(cmd, sizeof(cmd), "vcpu-pin %s %s %s", flags,
                     dom_names[r.dom], r.op + 9);
        snprintf(line, sizeof(line), "%s", cmd);
        split(line, words);
        t0 = (long long)spawn_now_us();
        r.status = xlvcpu(c, c->top, words, err, &r.pid);
        r.us = (long long)spawn_now_us() - t0;
        e = spawn_slurp(err);
        if (e) {
            for (nl = e; (nl = strchr(nl, '\n')); nl++)
                r.err_lines++;
            e[strcspn(e, "\n")] = '\0';
            /* Tabs separate the fields below. */
            for (nl = e; *nl; nl++)
                if (*nl == '\t')
                    *nl = ' ';
        }
        fprintf(f, "%ld\t%d\t%lld\t%u\t%s\t%s\t%u\t%s\n", r.pid, r.status,
                r.us, r.dom, r.scope, r.op, r.err_lines, e ? e : "");
        free(e);
    }
    _exit(fclose(f) == 0 ? 0 : 2);
}

/* Start the workers, wait for them under the watchdog.  Returns the
 * seconds it took, or -1 when the watchdog struck. */
static double run_workers(conc *c, double timeout)
{
    pid_t *pids = calloc(c->procs, sizeof(*pids));
    unsigned int i, left = c->procs;
    int start[2], status;
    long long t0, deadline;

    if (!pids || pipe(start) < 0) {
        perror("concurrency: setup");
        exit(2);
    }
    for (i = 0; i < c->procs; i++) {
        pids[i] = fork();
        if (pids[i] < 0) {
            perror("concurrency: fork");
            exit(2);
        }
        if (pids[i] == 0) {
            /* A group of its own, for the watchdog to kill whole. */
            setpgid(0, 0);
            close(start[1]);
            worker(c, i, start[0]);
        }
        setpgid(pids[i], pids[i]);
    }
    close(start[0]);
    t0 = (long long)spawn_now_us();
    close(start[1]);
    deadline = t0 + (long long)(timeout * 1e6);
    while (left) {
        pid_t pid = waitpid(-1, &status, WNOHANG);

        if (pid > 0) {
            for (i = 0; i < c->procs; i++) {
                if (pids[i] == pid) {
                    check(c, WIFEXITED(status) && !WEXITSTATUS(status),
                          "worker %u ended with status 0x%x", i, status);
                    pids[i] = 0;
                    left--;
                }
            }
            continue;
        }
        if ((long long)spawn_now_us() > deadline) {
            check(c, false, "deadlock: %u of %u workers still run after "
                  "%.0f s: killed", left, c->procs, timeout);
            for (i = 0; i < c->procs; i++) {
                if (pids[i] > 0)
                    kill(-pids[i], SIGKILL);
            }
            while (wait(&status) > 0)
                ;
            free(pids);
            return -1;
        }
        usleep(20000);
    }
    free(pids);
    c->passed++;                /* no deadlock */
    return ((long long)spawn_now_us() - t0) / 1e6;
}

/*---- the checks ----*/

static result *read_results(conc *c, unsigned int *n_r)
{
    result *res = calloc((size_t)c->procs * c->ops, sizeof(*res));
    char path[PATH_LEN + 32], line[LINE_LEN * 2];
    unsigned int w, n = 0;

    if (!res) {
        perror("concurrency: calloc");
        exit(2);
    }
    for (w = 0; w < c->procs; w++) {
        FILE *f;

        snprintf(path, sizeof(path), "%s/worker-%u.out", c->top, w);
        f = fopen(path, "r");
        if (!f)
            continue;
        while (n < c->procs * c->ops && fgets(line, sizeof(line), f)) {
            result *r = &res[n];

            line[strcspn(line, "\n")] = '\0';
            if (sscanf(line, "%ld\t%d\t%lld\t%u\t%15[^\t]\t%95[^\t]\t%u\t"
                       "%1023[^\n]", &r->pid, &r->status, &r->us, &r->dom,
                       r->scope, r->op, &r->err_lines, r->err) >= 7)
                n++;
        }
        fclose(f);
    }
    *n_r = n;
    return res;
}

static logline *read_log(const char *path, unsigned int *n_r)
{
    logline *lines = NULL;
    unsigned int n = 0, cap = 0;
    char line[LINE_LEN];
    FILE *f = fopen(path, "r");

    while (f && fgets(line, sizeof(line), f)) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            lines = realloc(lines, cap * sizeof(*lines));
            if (!lines) {
                perror("concurrency: realloc");
                exit(2);
            }
        }
        line[strcspn(line, "\n")] = '\0';
        if (sscanf(line, "%llu %ld %31s %15s %95[^\n]", &lines[n].key,
                   &lines[n].pid, lines[n].dom, lines[n].scope,
                   lines[n].op) == 5)
            n++;
        else
            printf("FAIL concurrency: lock log line '%s' is malformed\n",
                   line);
    }
    if (f)
        fclose(f);
    *n_r = n;
    return lines;
}

static int compare_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return x < y ? -1 : x > y;
}

/* The Pth percentile of the commands' durations, in milliseconds. */
static double percentile(const result *res, unsigned int n, unsigned int p)
{
    long long *t = malloc((n ? n : 1) * sizeof(*t));
    double v;
    unsigned int i;

    if (!t || !n) {
        free(t);
        return 0;
    }
    for (i = 0; i < n; i++)
        t[i] = res[i].us;
    qsort(t, n, sizeof(*t), compare_ll);
    v = t[(size_t)n * p / 100 < n ? (size_t)n * p / 100 : n - 1] / 1e3;
    free(t);
    return v;
}

static int dom_index(const char *name)
{
    int d;

    for (d = 0; d < N_DOMS; d++) {
        if (!strcmp(dom_names[d], name))
            return d;
    }
    return -1;
}

/* What the log says each domain must end with: counts and hard pins. */
typedef struct {
    unsigned int cfg_count, live_count;
    char cfg_pin[MAX_VCPUS][16], live_pin[MAX_VCPUS][16];   /* "all" */
} model;

static void model_apply(model *m, const logline *l)
{
    bool live = strstr(l->scope, "live") != NULL;
    bool config = strstr(l->scope, "config") != NULL;
    char verb[32], a[32], hard[32] = "0", soft[32];
    unsigned int n, v, first, last;

    if (sscanf(l->op, "%31s %31s %31s %31s", verb, a, hard, soft) < 3)
        return;
    if (!strcmp(verb, "vcpu-set")) {
        /* "vcpu-set current N": A is "current", HARD is N. */
        n = (unsigned int)atoi(hard);
        if (config)
            m->cfg_count = n;
        if (live)
            m->live_count = n;
        return;
    }
    if (strcmp(hard, "-") == 0)
        return;
    first = !strcmp(a, "all") ? 0 : (unsigned int)atoi(a);
    last = !strcmp(a, "all") ? MAX_VCPUS - 1 : first;
    for (v = first; v <= last && v < MAX_VCPUS; v++) {
        if (config)
            snprintf(m->cfg_pin[v], sizeof(m->cfg_pin[v]), "%s", hard);
        if (live)
            snprintf(m->live_pin[v], sizeof(m->live_pin[v]), "%s", hard);
    }
}

/* The count and hard pins of a stored definition, from its text. */
static bool definition_facts(const char *text, unsigned int *count,
                             char pins[MAX_VCPUS][16])
{
    const char *p;
    unsigned int v;

    if (!text || !(p = strstr(text, "<vcpu ")))
        return false;
    p = strstr(p, "current=\"");
    *count = p && p < strstr(text, "</vcpu>")
             ? (unsigned int)atoi(p + 9) : MAX_VCPUS;
    for (v = 0; v < MAX_VCPUS; v++) {
        char pat[48];

        snprintf(pat, sizeof(pat), "<vcpupin vcpu=\"%u\" cpuset=\"", v);
        p = strstr(text, pat);
        if (p)
            sscanf(p + strlen(pat), "%15[^\"]", pins[v]);
        else
            snprintf(pins[v], 16, "all");
    }
    return true;
}

/* The online count and hard pins of domain NAME in the host state. */
static bool host_facts(const char *json, const char *name,
                       unsigned int *count, char pins[MAX_VCPUS][16])
{
    const char *dpath[] = { "domains", NULL };
    const char *npath[] = { "name", NULL };
    const char *vpath[] = { "vcpus", NULL };
    char errbuf[256];
    yajl_val root = yajl_tree_parse(json, errbuf, sizeof(errbuf));
    yajl_val doms;
    bool found = false;
    size_t i, v;

    doms = root ? yajl_tree_get(root, dpath, yajl_t_array) : NULL;
    for (i = 0; doms && i < doms->u.array.len && !found; i++) {
        yajl_val d = doms->u.array.values[i];
        yajl_val nm = yajl_tree_get(d, npath, yajl_t_string);
        yajl_val vcpus = yajl_tree_get(d, vpath, yajl_t_array);

        const char *dname = nm ? YAJL_GET_STRING(nm) : NULL;

        if (!dname || strcmp(dname, name) || !vcpus)
            continue;
        found = true;
        *count = 0;
        for (v = 0; v < vcpus->u.array.len && v < MAX_VCPUS; v++) {
            const char *op[] = { "online", NULL };
            const char *hp[] = { "hard", NULL };
            yajl_val vc = vcpus->u.array.values[v];
            yajl_val on = yajl_tree_get(vc, op, yajl_t_true);
            yajl_val hard = yajl_tree_get(vc, hp, yajl_t_string);

            *count += on != NULL;
            snprintf(pins[v], 16, "%s", hard ? YAJL_GET_STRING(hard) : "?");
        }
    }
    yajl_tree_free(root);
    return found;
}

/* The host state without the CPU time that every listing adds. */
static char *host_text(const char *dir)
{
    char path[PATH_LEN + 32], *text, *in, *out;

    snprintf(path, sizeof(path), "%s/host.json", dir);
    text = spawn_slurp(path);
    if (!text)
        return NULL;
    for (in = out = text; *in;) {
        char *eol = strchr(in, '\n');
        size_t len = eol ? (size_t)(eol - in) + 1 : strlen(in);

        if (!memmem(in, len, "\"time_ns\"", 9)) {
            memmove(out, in, len);
            out += len;
        }
        in += len;
    }
    *out = '\0';
    return text;
}

static void compare_file(conc *c, const char *what, const char *a,
                         const char *b, unsigned int *mismatches)
{
    char *x = spawn_slurp(a), *y = spawn_slurp(b);
    bool same = x && y && !strcmp(x, y);

    if (!same)
        (*mismatches)++;
    check(c, same, "replay: %s differs: '%s' %s, '%s' %s", what, a,
          x ? "is there" : "is missing", b, y ? "is there" : "is missing");
    free(x);
    free(y);
}

int main(int argc, char **argv)
{
    conc c;
    const char *s;
    char initial[PATH_LEN + 16], replay[PATH_LEN + 16], logpath[PATH_LEN];
    char line[LINE_LEN], a[PATH_LEN + 64], b[PATH_LEN + 64];
    char *words[MAX_WORDS + 1];
    result *res;
    logline *log;
    model m[N_DOMS];
    unsigned int n_res, n_log, i, j, d, v;
    unsigned int ok = 0, busy = 0, other = 0, lost = 0, mismatches = 0;
    unsigned int unlogged = 0, bad_lines = 0, disorder = 0;
    unsigned long long last_key[N_DOMS] = { 0 };
    long long max_us = 0, total_us = 0;
    double timeout = 600, secs, replay_secs, t0;

    memset(&c, 0, sizeof(c));
    if (argc != 2) {
        fprintf(stderr, "usage: concurrency XLVCPU\n");
        return 2;
    }
    c.xlvcpu = argv[1];
    c.procs = (s = getenv("CONC_PROCS")) && *s ? (unsigned int)atoi(s) : 16;
    c.ops = (s = getenv("CONC_OPS")) && *s ? (unsigned int)atoi(s) : 100;
    c.seed = (s = getenv("CONC_SEED")) && *s
             ? strtoull(s, NULL, 10) : (unsigned long long)time(NULL);
    if ((s = getenv("CONC_TIMEOUT")) && *s)
        timeout = atof(s);
    if (access(c.xlvcpu, X_OK) < 0 || !c.procs || !c.ops) {
        fprintf(stderr, "concurrency: '%s' is not executable, or no work\n",
                c.xlvcpu);
        return 2;
    }
    snprintf(c.top, sizeof(c.top), "%s/xlvcpu-conc.XXXXXX",
             (s = getenv("TMPDIR")) && *s ? s : "/tmp");
    if (!mkdtemp(c.top)) {
        perror("concurrency: mkdtemp");
        return 2;
    }
    snprintf(initial, sizeof(initial), "%s/initial", c.top);
    snprintf(replay, sizeof(replay), "%s/replay", c.top);
    snprintf(logpath, sizeof(logpath), "%s/lock.log", c.top);
    unsetenv("XLVCPU_CONNECT");
    unsetenv("XLVCPU_STATE_DIR");
    unsetenv("XLVCPU_RUN_DIR");
    unsetenv("XLVCPU_TEST_FAIL");
    unsetenv("XLVCPU_LOCK_LOG");
    snprintf(a, sizeof(a), "%s/hooks", c.top);
    setenv("XLVCPU_HOOK_DIR", a, 1);

    /* The initial state, and a copy of it for the replay. */
    setup(&c, c.top);
    sh("mkdir %s && cp -a %s/state %s/host.json %s/host.json.run %s/",
       initial, c.top, c.top, c.top, initial);

    setenv("XLVCPU_LOCK_LOG", logpath, 1);
    secs = run_workers(&c, timeout);
    unsetenv("XLVCPU_LOCK_LOG");
    if (secs < 0)
        goto summary;

    /* Each command: 0, or the one-line busy error, in bounded time. */
    res = read_results(&c, &n_res);
    check(&c, n_res == c.procs * c.ops, "%u results for %u commands", n_res,
          c.procs * c.ops);
    for (i = 0; i < n_res; i++) {
        result *r = &res[i];
        bool is_busy = r->status == 1 && r->err_lines == 1 &&
                       strstr(r->err, BUSY_TEXT);

        if (r->status == 0)
            ok++;
        else if (is_busy)
            busy++;
        else
            other++;
        if (r->us > max_us)
            max_us = r->us;
        total_us += r->us;
        check(&c, (r->status == 0 || is_busy) && r->us <= MAX_WAIT_MS * 1000,
              "'%s' on %s (%s, pid %ld) exited %d after %lld ms: %s", r->op,
              dom_names[r->dom], r->scope, r->pid, r->status, r->us / 1000,
              r->err);
    }

    /* The log: one line for each success, saying what it did; per
     * domain the keys grow. */
    log = read_log(logpath, &n_log);
    for (j = 0; j < n_log; j++) {
        logline *l = &log[j];
        result *r = NULL;
        int dd = dom_index(l->dom);

        for (i = 0; i < n_res && !r; i++) {
            if (res[i].pid == l->pid && !res[i].logged)
                r = &res[i];
        }
        if (!r || r->status != 0 || dd != (int)r->dom ||
            strcmp(l->scope, r->scope) || strcmp(l->op, r->op)) {
            bad_lines++;
            check(&c, false, "log line %u (pid %ld: %s %s %s) matches no "
                  "successful command%s%s", j + 1, l->pid, l->dom,
                  l->scope, l->op, r ? ": it ran " : "", r ? r->op : "");
            continue;
        }
        r->logged = true;
        if (l->key <= last_key[dd]) {
            disorder++;
            check(&c, false, "log line %u: key %llu of '%s' is not above "
                  "the previous one's", j + 1, l->key, l->dom);
            continue;
        }
        last_key[dd] = l->key;
        c.passed++;
    }
    for (i = 0; i < n_res; i++) {
        if (res[i].status == 0 && !res[i].logged) {
            unlogged++;
            check(&c, false, "'%s' on %s (pid %ld) succeeded but is not "
                  "in the log", res[i].op, dom_names[res[i].dom],
                  res[i].pid);
        }
    }

    /* No lost update: the last change the log orders is what is left. */
    for (d = 0; d < N_DOMS; d++) {
        m[d].cfg_count = m[d].live_count = INITIAL_VCPUS;
        for (v = 0; v < MAX_VCPUS; v++) {
            snprintf(m[d].cfg_pin[v], 16, "all");
            snprintf(m[d].live_pin[v], 16, "all");
        }
    }
    for (j = 0; j < n_log; j++) {
        int dd = dom_index(log[j].dom);

        if (dd >= 0)
            model_apply(&m[dd], &log[j]);
    }
    {
        char *host;

        snprintf(a, sizeof(a), "%s/host.json", c.top);
        host = spawn_slurp(a);

        for (d = 0; d < N_DOMS; d++) {
            char pins[MAX_VCPUS][16], *text;
            unsigned int count = 0;
            bool got;

            snprintf(b, sizeof(b), "%s/state/%s.xml", c.top, dom_names[d]);
            text = spawn_slurp(b);
            got = definition_facts(text, &count, pins);
            free(text);
            if (!got || count != m[d].cfg_count)
                lost++;
            check(&c, got && count == m[d].cfg_count, "lost update: %s has "
                  "%u vcpus in its definition, the last logged change "
                  "made %u", dom_names[d], count, m[d].cfg_count);
            for (v = 0; got && v < MAX_VCPUS; v++) {
                bool same = !strcmp(pins[v], m[d].cfg_pin[v]);

                lost += !same;
                check(&c, same, "lost update: vcpu %u of %s is pinned to "
                      "'%s' in its definition, the last logged change "
                      "said '%s'", v, dom_names[d], pins[v],
                      m[d].cfg_pin[v]);
            }
            if (d >= N_RUNNING)
                continue;
            got = host && host_facts(host, dom_names[d], &count, pins);
            if (!got || count != m[d].live_count)
                lost++;
            check(&c, got && count == m[d].live_count, "lost update: %s has "
                  "%u vcpus online, the last logged change made %u",
                  dom_names[d], count, m[d].live_count);
            for (v = 0; got && v < MAX_VCPUS; v++) {
                bool same = !strcmp(pins[v], m[d].live_pin[v]);

                lost += !same;
                check(&c, same, "lost update: vcpu %u of running %s is "
                      "pinned to '%s', the last logged change said '%s'",
                      v, dom_names[d], pins[v], m[d].live_pin[v]);
            }
        }
        free(host);
    }

    /* The log replayed serially on the initial state. */
    sh("cp -a %s %s", initial, replay);
    t0 = (long long)spawn_now_us();
    for (j = 0; j < n_log; j++) {
        int status;

        command_of(line, sizeof(line), log[j].dom, log[j].scope, log[j].op);
        split(line, words);
        status = xlvcpu(&c, replay, words, NULL, NULL);
        if (status != 0)
            mismatches++;
        check(&c, status == 0, "replay: line %u '%s %s %s' exited %d",
              j + 1, log[j].dom, log[j].scope, log[j].op, status);
    }
    replay_secs = ((long long)spawn_now_us() - t0) / 1e6;
    for (d = 0; d < N_DOMS; d++) {
        snprintf(a, sizeof(a), "%s/state/%s.xml", c.top, dom_names[d]);
        snprintf(b, sizeof(b), "%s/state/%s.xml", replay, dom_names[d]);
        compare_file(&c, "persistent definition", a, b, &mismatches);
        if (d >= N_RUNNING)
            continue;
        snprintf(a, sizeof(a), "%s/host.json.run/%s.xml", c.top,
                 dom_names[d]);
        snprintf(b, sizeof(b), "%s/host.json.run/%s.xml", replay,
                 dom_names[d]);
        compare_file(&c, "live definition", a, b, &mismatches);
    }
    {
        char *x = host_text(c.top), *y = host_text(replay);
        bool same = x && y && !strcmp(x, y);

        mismatches += !same;
        check(&c, same, "replay: the host state differs from the "
              "concurrent run's (%s/host.json, %s/host.json)", c.top,
              replay);
        free(x);
        free(y);
    }

    printf("concurrency: processes %u, operations %u: ok %u, busy %u, "
           "failed otherwise %u\n", c.procs, n_res, ok, busy, other);
    printf("concurrency: a command took (waits included) %.1f ms on "
           "average, median %.1f, 99th percentile %.1f, max wait %.1f ms\n",
           n_res ? total_us / 1e3 / n_res : 0.0, percentile(res, n_res, 50),
           percentile(res, n_res, 99), max_us / 1e3);
    printf("concurrency: lock log %u lines: unmatched %u, successes not "
           "logged %u, out of order %u\n", n_log, bad_lines, unlogged,
           disorder);
    printf("concurrency: lost updates %u, replay mismatches %u\n", lost,
           mismatches);
    printf("concurrency: seed %llu; concurrent run %.1f s, replay %.1f s\n",
           c.seed, secs, replay_secs);
    free(res);
    free(log);
 summary:
    printf("concurrency: %u passed, %u failed\n", c.passed, c.failed);
    if ((s = getenv("CONC_KEEP")) && !strcmp(s, "1"))
        printf("concurrency: kept '%s'\n", c.top);
    else
        sh("rm -rf %s", c.top);
    return c.failed ? 1 : 0;
}
