/*
 * Crash consistency of the store.
 *
 * Starts a changing command (vcpu-set --config, vcpu-pin --config or
 * define, on a few domains of a temporary state directory) and SIGKILLs
 * it after a random delay spread over the command's whole run, measured
 * first, so that kills land before it starts, while it writes and after
 * it is done.  After each kill, every stored NAME.xml must parse and be,
 * byte for byte, either the definition from before the command or the
 * one the command makes (computed by running it to completion on a copy
 * in a scratch directory).  Then the next command on that domain (run to
 * completion, sometimes an undefine) must succeed and leave no temporary
 * file or other debris in the state directory.
 *
 *   crash XLVCPU [RUNS]        RUNS also from $CRASH_RUNS (default 1000)
 *
 * $CRASH_SEED fixes the choice of commands (the delays stay random);
 * $CRASH_KEEP=1 keeps the temporary directory.  Prints the figures and
 * "crash: N passed, M failed" (one test per run); exits 1 when one
 * failed, 2 when it could not run.
 */
#include <dirent.h>
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

#include "libxlvcpu.h"
#include "spawn.h"

#define N_DOMS 3
#define N_VARIANTS 3
#define MAX_VCPUS 8
#define N_CALIBRATE 40
#define N_RECENT 31
#define SPREAD 1.2
#define MAX_ARGS 16
#define PATH_LEN 512

static const char *const dom_names[N_DOMS] = { "alpha", "beta", "gamma" };

typedef struct {
    char *text;                 /* the stored definition, NULL: none */
} dom_known;

typedef struct {
    const char *xlvcpu;
    char top[PATH_LEN];         /* the temporary directory */
    char state[PATH_LEN];       /* the state directory under test */
    char scratch[PATH_LEN];     /* where the expected result is made */
    char uri[PATH_LEN + 16];
    char err[PATH_LEN];         /* stderr of the commands run through */
    unsigned long long rng;
    xlv_ctx *ctx;
    dom_known dom[N_DOMS];
    /* the figures */
    unsigned int runs, passed, failed;
    unsigned int completed, killed_old, killed_tmp, killed_new;
    unsigned int torn, parse_failures, leftover_tmp, debris, next_failed;
    /* how long the last commands run to completion took, in us */
    double recent[N_RECENT];
    unsigned int n_recent;
} crash;

static unsigned int rnd(crash *c, unsigned int n)
{
    /* xorshift64*: reproducible from $CRASH_SEED on every libc. */
    c->rng ^= c->rng >> 12;
    c->rng ^= c->rng << 25;
    c->rng ^= c->rng >> 27;
    return (unsigned int)((c->rng * 2685821657736338717ull) >> 33) % n;
}

static void sleep_us(double us)
{
    struct timespec ts;

    if (us <= 0)
        return;
    ts.tv_sec = (time_t)(us / 1e6);
    ts.tv_nsec = (long)((us - ts.tv_sec * 1e6) * 1e3);
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static bool same(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return !strcmp(a, b);
}

static void fail(crash *c, bool *ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(crash *c, bool *ok, const char *fmt, ...)
{
    va_list ap;

    printf("FAIL crash: run %u: ", c->runs);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    *ok = false;
}

/* The first line of the stderr of the last command run through. */
static const char *last_error(crash *c)
{
    static char line[300];
    char *text = spawn_slurp(c->err);

    snprintf(line, sizeof(line), "%s", text ? text : "");
    line[strcspn(line, "\n")] = '\0';
    free(text);
    return line;
}

/*---- the commands ----*/

typedef struct {
    char words[MAX_ARGS][PATH_LEN];
    int n;
} cmdline;

static void add(cmdline *cl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void add(cmdline *cl, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cl->words[cl->n++], PATH_LEN, fmt, ap);
    va_end(ap);
}

static void describe(const cmdline *cl, char *buf, size_t size)
{
    size_t len = 0;
    int i;

    buf[0] = '\0';
    for (i = 0; i < cl->n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " " : "",
                                cl->words[i]);
}

/* Start CMD against STATE, its output to /dev/null and stderr to ERR. */
static pid_t start(crash *c, const cmdline *cmd, const char *state,
                   const char *err)
{
    char *words[MAX_ARGS];
    int i;

    for (i = 0; i < cmd->n; i++)
        words[i] = (char *)cmd->words[i];
    return spawn_xlvcpu(c->xlvcpu, c->uri, state, words, cmd->n, err);
}

/* Run CMD to completion; its exit status, or -1 when it did not exit.
 * How long a changing command took goes to the recent durations. */
static int run(crash *c, const cmdline *cmd, const char *state)
{
    double t0 = spawn_now_us();
    int status = spawn_wait(start(c, cmd, state, c->err));

    if (strcmp(cmd->words[0], "dumpxml"))
        c->recent[c->n_recent++ % N_RECENT] = spawn_now_us() - t0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The median of N values (sorted in place). */
static double median(double *t, unsigned int n)
{
    unsigned int i, j;
    double x;

    for (i = 1; i < n; i++) {
        x = t[i];
        for (j = i; j > 0 && t[j - 1] > x; j--)
            t[j] = t[j - 1];
        t[j] = x;
    }
    return t[n / 2];
}

static void path_of(char *buf, const char *dir, const char *name)
{
    snprintf(buf, PATH_LEN, "%s/%s.xml", dir, name);
}

/* Variant V of domain NAME's XML, in the top directory; its path. */
static void variant_path(crash *c, char *buf, unsigned int d, unsigned int v)
{
    snprintf(buf, PATH_LEN, "%s/%s-%u.xml", c->top, dom_names[d], v);
}

static void write_variants(crash *c)
{
    char path[PATH_LEN], text[2048];
    unsigned int d, v;

    for (d = 0; d < N_DOMS; d++) {
        for (v = 0; v < N_VARIANTS; v++) {
            variant_path(c, path, d, v);
            snprintf(text, sizeof(text),
                     "<domain type='xen'>\n"
                     "  <name>%s</name>\n"
                     "  <description>crash fixture %s, variant %u</description>\n"
                     "  <memory unit='KiB'>%u</memory>\n"
                     "  <vcpu placement='static' current='%u'>%u</vcpu>\n"
                     "  <cputune><vcpupin vcpu='%u' cpuset='%u'/></cputune>\n"
                     "  <os>\n"
                     "    <type arch='x86_64' machine='xenpv'>linux</type>\n"
                     "    <kernel>/boot/vmlinuz-%u</kernel>\n"
                     "  </os>\n"
                     "  <on_reboot>restart</on_reboot>\n"
                     "  <devices>\n"
                     "    <x-unknown keep='yes'>variant %u</x-unknown>\n"
                     "  </devices>\n"
                     "</domain>\n",
                     dom_names[d], dom_names[d], v, 262144 * (v + 1),
                     v + 1, MAX_VCPUS, v, v + 2, v, v);
            spawn_spew(path, text);
        }
    }
}

/* A command that changes domain D (define when it is not defined). */
static void pick(crash *c, cmdline *cl, unsigned int d, bool next)
{
    static const char *const cpus[] = {
        "0", "1", "2-3", "0,2,4", "4-7", "all", "1-2,6", "5",
    };
    char path[PATH_LEN];
    unsigned int k = rnd(c, 100);

    cl->n = 0;
    if (!c->dom[d].text || k < 15) {
        variant_path(c, path, d, rnd(c, N_VARIANTS));
        add(cl, "define");
        add(cl, "%s", path);
    } else if (next && k < 25) {
        add(cl, "undefine");
        add(cl, "%s", dom_names[d]);
    } else if (k < 60) {
        add(cl, "vcpu-set");
        add(cl, "--config");
        if (k < 30)
            add(cl, "--maximum");
        add(cl, "%s", dom_names[d]);
        add(cl, "%u", 1 + rnd(c, MAX_VCPUS));
    } else {
        add(cl, "vcpu-pin");
        add(cl, "--config");
        add(cl, "%s", dom_names[d]);
        if (k < 65)
            add(cl, "all");
        else
            add(cl, "%u", rnd(c, MAX_VCPUS));
        add(cl, "%s", cpus[rnd(c, 8)]);
        if (k >= 90)
            add(cl, "%s", cpus[rnd(c, 8)]);
    }
}

/*
 * What CMD makes of domain D, from its known definition: run it on a
 * copy in the scratch directory.  Returns -1 when the command fails there
 * (an invalid choice, e.g. a count above the maximum), else 0 with
 * *new_r the definition after it (NULL: none).
 */
static int expected(crash *c, const cmdline *cmd, unsigned int d,
                    char **new_r)
{
    char path[PATH_LEN];
    int status;

    path_of(path, c->scratch, dom_names[d]);
    if (unlink(path) < 0 && errno != ENOENT) {
        fprintf(stderr, "crash: cannot remove '%s'\n", path);
        exit(2);
    }
    if (c->dom[d].text)
        spawn_spew(path, c->dom[d].text);
    status = run(c, cmd, c->scratch);
    if (status != 0)
        return -1;
    *new_r = spawn_slurp(path);
    return 0;
}

/*---- the checks ----*/

/* Every stored definition parses and is what it may be. */
static void check_definitions(crash *c, bool *ok, unsigned int d,
                              const char *old, const char *new,
                              bool *is_new_r)
{
    char path[PATH_LEN];
    unsigned int i;

    for (i = 0; i < N_DOMS; i++) {
        const char *want = i == d ? old : c->dom[i].text;
        char *text;

        path_of(path, c->state, dom_names[i]);
        text = spawn_slurp(path);
        if (i == d && !same(text, old) && same(text, new)) {
            *is_new_r = true;
            want = new;
        }
        if (!same(text, want)) {
            c->torn++;
            fail(c, ok, "'%s' is %s, neither the old nor the new definition",
                 path, text ? "there" : "missing");
        }
        if (text) {
            xlv_domain *dom = NULL;

            if (xlv_domain_from_xml(c->ctx, &dom, text, strlen(text), path,
                                    0)) {
                c->parse_failures++;
                fail(c, ok, "'%s' does not parse: %s", path,
                     xlv_ctx_error(c->ctx));
            }
            xlv_domain_free(dom);
        }
        free(text);
    }
}

/* The domain's definition as the command shows it. */
static void check_dumpxml(crash *c, bool *ok, unsigned int d)
{
    cmdline cl = { .n = 0 };
    int status;

    if (!c->dom[d].text)
        return;
    add(&cl, "dumpxml");
    add(&cl, "--inactive");
    add(&cl, "%s", dom_names[d]);
    status = run(c, &cl, c->state);
    if (status != 0) {
        c->parse_failures++;
        fail(c, ok, "dumpxml --inactive %s exited %d: %s", dom_names[d],
             status, last_error(c));
    }
}

/*
 * What is in the state directory: definitions of defined domains, the
 * lock directory, and (when TMP_OK) the temporary file of domain D.
 * Anything else is counted.  Returns whether the temporary file is there.
 */
static bool check_dir(crash *c, bool *ok, unsigned int d, bool tmp_ok)
{
    char tmp[PATH_LEN];
    bool have_tmp = false;
    struct dirent *de;
    DIR *dir = opendir(c->state);

    if (!dir) {
        fprintf(stderr, "crash: cannot read '%s'\n", c->state);
        exit(2);
    }
    snprintf(tmp, sizeof(tmp), ".%s.xml.tmp", dom_names[d]);
    while ((de = readdir(dir))) {
        const char *f = de->d_name;
        bool known = !strcmp(f, ".") || !strcmp(f, "..") ||
                     !strcmp(f, ".locks");
        unsigned int i;

        for (i = 0; i < N_DOMS && !known; i++) {
            char def[64];

            snprintf(def, sizeof(def), "%s.xml", dom_names[i]);
            known = c->dom[i].text && !strcmp(f, def);
            /* A definition the killed command may have made. */
            known |= tmp_ok && i == d && !strcmp(f, def);
        }
        if (known)
            continue;
        if (!strcmp(f, tmp)) {
            have_tmp = true;
            if (tmp_ok)
                continue;
            c->leftover_tmp++;
            fail(c, ok, "'%s' is left after the next command", f);
        } else {
            c->debris++;
            fail(c, ok, "unexpected '%s' in the state directory", f);
        }
        /* Counted once: it goes now. */
        unlinkat(dirfd(dir), f, 0);
    }
    closedir(dir);
    return have_tmp;
}

/*---- one run ----*/

static void one_run(crash *c, double delay_max)
{
    cmdline cmd, next;
    char *new = NULL, *new_next = NULL, what[1024], path[PATH_LEN];
    unsigned int d = rnd(c, N_DOMS), tries;
    bool ok = true, is_new = false, have_tmp;
    double delay;
    int status;
    pid_t pid;

    /* A command that changes something, so that old and new differ. */
    for (tries = 0;; tries++) {
        pick(c, &cmd, d, false);
        free(new);
        new = NULL;
        if (expected(c, &cmd, d, &new) == 0 && !same(new, c->dom[d].text))
            break;
        if (tries == 50) {
            fprintf(stderr, "crash: no changing command found for '%s'\n",
                    dom_names[d]);
            exit(2);
        }
    }
    describe(&cmd, what, sizeof(what));

    delay = delay_max * rnd(c, 1000001) / 1e6;
    pid = start(c, &cmd, c->state, NULL);
    sleep_us(delay);
    kill(pid, SIGKILL);
    status = spawn_wait(pid);

    check_definitions(c, &ok, d, c->dom[d].text, new, &is_new);
    have_tmp = check_dir(c, &ok, d, true);
    if (WIFEXITED(status)) {
        c->completed++;
        if (WEXITSTATUS(status) != 0)
            fail(c, &ok, "'%s' exited %d unkilled", what,
                 WEXITSTATUS(status));
        else if (!is_new)
            fail(c, &ok, "'%s' exited 0 but left the old definition", what);
    } else if (is_new) {
        c->killed_new++;
    } else if (have_tmp) {
        c->killed_tmp++;
    } else {
        c->killed_old++;
    }
    if (is_new) {
        free(c->dom[d].text);
        c->dom[d].text = new;
        new = NULL;
    }
    check_dumpxml(c, &ok, d);

    /* The next command on that domain cleans up after the killed one. */
    pick(c, &next, d, true);
    status = run(c, &next, c->state);
    if (status != 0) {
        /* A choice the domain refuses (a count above its maximum): it
         * must change nothing, and another one follows. */
        char *text;

        path_of(path, c->state, dom_names[d]);
        text = spawn_slurp(path);
        if (!same(text, c->dom[d].text))
            fail(c, &ok, "a failed command changed '%s'", path);
        free(text);
        do {
            pick(c, &next, d, true);
        } while (expected(c, &next, d, &new_next) != 0);
        free(new_next);
        status = run(c, &next, c->state);
    }
    describe(&next, what, sizeof(what));
    if (status != 0) {
        c->next_failed++;
        fail(c, &ok, "the next command '%s' exited %d: %s", what, status,
             last_error(c));
    }
    path_of(path, c->state, dom_names[d]);
    free(c->dom[d].text);
    c->dom[d].text = spawn_slurp(path);
    check_dir(c, &ok, d, false);

    if (ok)
        c->passed++;
    else
        c->failed++;
    free(new);
}

/* Define the domains, and learn how long a command takes. */
static void calibrate(crash *c)
{
    unsigned int i, d;
    cmdline cmd;

    for (i = 0; i < N_CALIBRATE; i++) {
        char path[PATH_LEN];

        d = rnd(c, N_DOMS);
        pick(c, &cmd, d, false);
        if (run(c, &cmd, c->state) != 0)
            continue;
        path_of(path, c->state, dom_names[d]);
        free(c->dom[d].text);
        c->dom[d].text = spawn_slurp(path);
    }
}

/*
 * How long to let the next command run at most: a little more than the
 * median of the recent runs, so that kills land before, during and after
 * the write whatever the load of the machine.
 */
static double delay_max(crash *c)
{
    double t[N_RECENT];
    unsigned int n = c->n_recent < N_RECENT ? c->n_recent : N_RECENT;

    memcpy(t, c->recent, n * sizeof(*t));
    return median(t, n) * SPREAD;
}

static void remove_tree(const char *path)
{
    char cmd[PATH_LEN + 16];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "crash: cannot remove '%s'\n", path);
}

int main(int argc, char **argv)
{
    crash c;
    const char *s;
    double t0, secs, dmax, dmin_seen = 1e12, dmax_seen = 0;
    unsigned long long seed;
    unsigned int runs = 1000, i;

    memset(&c, 0, sizeof(c));
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: crash XLVCPU [RUNS]\n");
        return 2;
    }
    c.xlvcpu = argv[1];
    if ((s = argc > 2 ? argv[2] : getenv("CRASH_RUNS")) && *s)
        runs = (unsigned int)strtoul(s, NULL, 10);
    seed = (s = getenv("CRASH_SEED")) && *s ? strtoull(s, NULL, 10)
                                            : (unsigned long long)time(NULL);
    c.rng = seed * 2 + 1;
    if (access(c.xlvcpu, X_OK) < 0) {
        fprintf(stderr, "crash: '%s' is not executable\n", c.xlvcpu);
        return 2;
    }
    if (xlv_ctx_new(&c.ctx, NULL, 0)) {
        fprintf(stderr, "crash: cannot make a ctx\n");
        return 2;
    }
    snprintf(c.top, sizeof(c.top), "%s/xlvcpu-crash.XXXXXX",
             (s = getenv("TMPDIR")) && *s ? s : "/tmp");
    if (!mkdtemp(c.top)) {
        perror("crash: mkdtemp");
        return 2;
    }
    snprintf(c.state, sizeof(c.state), "%s/state", c.top);
    snprintf(c.scratch, sizeof(c.scratch), "%s/scratch", c.top);
    snprintf(c.uri, sizeof(c.uri), "test://%s/host.json", c.top);
    snprintf(c.err, sizeof(c.err), "%s/stderr", c.top);
    /* Nothing from the caller's environment: no hooks, no other store. */
    unsetenv("XLVCPU_CONNECT");
    unsetenv("XLVCPU_STATE_DIR");
    unsetenv("XLVCPU_RUN_DIR");
    unsetenv("XLVCPU_TEST_FAIL");
    unsetenv("XLVCPU_LOCK_LOG");
    {
        char hooks[PATH_LEN + 8];

        snprintf(hooks, sizeof(hooks), "%s/hooks", c.top);
        setenv("XLVCPU_HOOK_DIR", hooks, 1);
    }
    if (mkdir(c.scratch, 0700) < 0) {
        perror("crash: mkdir");
        return 2;
    }
    write_variants(&c);

    t0 = spawn_now_us();
    calibrate(&c);
    printf("crash: seed %llu, %u runs; a command takes %.1f ms (median of "
           "the last %u)\n", seed, runs, delay_max(&c) / SPREAD / 1e3,
           N_RECENT);
    fflush(stdout);

    for (i = 0; i < runs; i++) {
        c.runs = i + 1;
        dmax = delay_max(&c);
        if (dmax < dmin_seen)
            dmin_seen = dmax;
        if (dmax > dmax_seen)
            dmax_seen = dmax;
        one_run(&c, dmax);
    }
    secs = (spawn_now_us() - t0) / 1e6;
    printf("crash: kills after 0 to %.0f%% of the median run, which went "
           "from %.1f to %.1f ms\n", SPREAD * 100, dmin_seen / SPREAD / 1e3,
           dmax_seen / SPREAD / 1e3);

    printf("crash: runs %u: exited before the kill %u, killed with the old "
           "definition %u (before its write %u, during it: temp file left "
           "%u), killed with the new definition (after the rename) %u\n",
           runs, c.completed, c.killed_old + c.killed_tmp, c.killed_old,
           c.killed_tmp, c.killed_new);
    printf("crash: torn files %u, parse failures %u, leftover temp files "
           "after the next command %u, other debris %u, next command "
           "failed %u\n", c.torn, c.parse_failures, c.leftover_tmp,
           c.debris, c.next_failed);
    printf("crash: %.1f s\n", secs);
    printf("crash: %u passed, %u failed\n", c.passed, c.failed);

    for (i = 0; i < N_DOMS; i++)
        free(c.dom[i].text);
    xlv_ctx_free(c.ctx);
    if ((s = getenv("CRASH_KEEP")) && !strcmp(s, "1"))
        printf("crash: kept '%s'\n", c.top);
    else
        remove_tree(c.top);
    return c.failed ? 1 : 0;
}
