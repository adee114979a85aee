/*
 * Hooks around vCPU changes (oVirt's before/after set-number-of-CPUs
 * hooks): executables in a directory, run in name order, without a shell,
 * each in a process group of its own so that a timeout stops all it
 * started.  They run with our rights (root on a dom0), so they are trusted
 * as the store trusts a definition: no symlinks, owned by root or by us,
 * writable by nobody else.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scope.h"

extern char **environ;

/* A hook that runs longer than this is killed and counts as failed. */
#define HOOK_TIMEOUT_MS 30000

/* The caller's environment plus ENV, for execve. */
static char **merged_env(char *const *env)
{
    size_t n = 0, m = 0, i;
    char **out;

    while (environ[n])
        n++;
    while (env[m])
        m++;
    out = calloc(n + m + 1, sizeof(*out));
    if (!out)
        return NULL;
    for (i = 0; i < m; i++)
        out[i] = env[i];
    for (i = 0; i < n; i++)
        out[m + i] = environ[i];
    return out;
}

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 +
           (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* In the child: run PATH in a process group of its own, its output to
 * OUT, its input from /dev/null. */
static void exec_hook(const char *path, char **envp, int out)
    __attribute__((noreturn));

static void exec_hook(const char *path, char **envp, int out)
{
    char *argv[] = { (char *)path, NULL };
    int null = open("/dev/null", O_RDONLY);

    setpgid(0, 0);
    if (null >= 0)
        dup2(null, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    execve(path, argv, envp);
    _exit(127);
}

/*
 * Read FD, hook PID's output, to its end, keeping the start of it in
 * FIRST (LEN bytes with the NUL).  Returns false when the hook ran out of
 * time and its process group was killed.
 */
static bool read_output(int fd, pid_t pid, char *first, size_t len)
{
    struct timespec t0;
    size_t got = 0;
    int rc;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        struct pollfd p = { fd, POLLIN, 0 };
        long left = HOOK_TIMEOUT_MS - elapsed_ms(&t0);
        char buf[512];
        ssize_t r;

        if (left <= 0) {
            kill(-pid, SIGKILL);
            return false;
        }
        rc = poll(&p, 1, (int)left);
        if (rc < 0 && errno != EINTR)
            return true;
        if (rc <= 0)
            continue;           /* the time left, or a signal: again */
        r = read(fd, buf, sizeof(buf));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return true;
        if (got + 1 < len) {
            size_t take = (size_t)r < len - got - 1 ? (size_t)r
                                                    : len - got - 1;

            memcpy(first + got, buf, take);
            got += take;
            first[got] = '\0';
        }
    }
}

/* Run PATH; fill FIRST with the first line it printed.  Returns its exit
 * status, or -1 when it could not run or was killed. */
static int run_one(const char *path, char **envp, char *first, size_t len)
{
    int fds[2], status = 0;
    pid_t pid, w;
    bool done;

    first[0] = '\0';
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -1;
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0)
        exec_hook(path, envp, fds[1]);
    /* Also here: whichever runs first, the group exists before a kill. */
    setpgid(pid, pid);
    close(fds[1]);
    done = read_output(fds[0], pid, first, len);
    close(fds[0]);
    first[strcspn(first, "\n")] = '\0';
    while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
        ;
    /* w < 0 when the caller ignores SIGCHLD: the status is lost. */
    if (w < 0 || !done || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/* Whether NAME in DIR is a hook: not hidden, and an executable file or
 * a symlink (refused when run).  PATH receives DIR/NAME. */
static bool is_hook(const char *dir, const char *name, char *path,
                    size_t size)
{
    struct stat st;

    if (name[0] == '.')
        return false;
    snprintf(path, size, "%s/%s", dir, name);
    if (lstat(path, &st) < 0)
        return false;
    return S_ISLNK(st.st_mode) ||
           (S_ISREG(st.st_mode) && access(path, X_OK) == 0);
}

/*
 * Whether PATH (a hook, or a directory of them) may run as us: not a
 * symlink, owned by root or by us, writable by nobody else.  0 when it
 * may, XLV_ERR_INVAL naming it when not.
 */
static int check_trusted(xlv_ctx *ctx, const char *path)
{
    struct stat st;

    if (lstat(path, &st) < 0)
        return xlv__error(ctx, XLV_ERR_IO, "hook '%.200s': %s", path,
                          strerror(errno));
    if (S_ISLNK(st.st_mode))
        return xlv__error(ctx, XLV_ERR_INVAL, "hook '%.200s' is a symlink: "
                          "refused", path);
    if (st.st_uid != 0 && st.st_uid != geteuid())
        return xlv__error(ctx, XLV_ERR_INVAL, "hook '%.200s' is owned by "
                          "uid '%lu', neither root nor us: refused", path,
                          (unsigned long)st.st_uid);
    if (st.st_mode & 022)
        return xlv__error(ctx, XLV_ERR_INVAL, "hook '%.200s' is writable by "
                          "group or others: refused", path);
    return 0;
}

bool xlv__hooks_any(const char *hook_dir, const char *stage)
{
    char dir[4096], path[4096 + 256];
    struct dirent *de;
    bool any = false;
    DIR *d;

    if (!hook_dir)
        return false;
    snprintf(dir, sizeof(dir), "%s/%s", hook_dir, stage);
    d = opendir(dir);
    if (!d)
        return false;
    while (!any && (de = readdir(d)))
        any = is_hook(dir, de->d_name, path, sizeof(path));
    closedir(d);
    return any;
}

int xlv__hooks_run(xlv_ctx *ctx, const char *hook_dir, const char *stage,
                   char *const *env, bool stop_on_failure)
{
    struct dirent **names = NULL;
    char dir[4096], path[4096 + 256], first[256];
    char **envp = NULL;
    int n, i, rc;

    if (!hook_dir)
        return 0;
    snprintf(dir, sizeof(dir), "%s/%s", hook_dir, stage);
    n = scandir(dir, &names, NULL, alphasort);
    if (n < 0)
        return errno == ENOENT || errno == ENOTDIR ? 0
               : xlv__error(ctx, XLV_ERR_IO, "hooks '%.200s': %s", dir,
                            strerror(errno));
    /* Every hook is checked before the first runs: all or none. */
    rc = check_trusted(ctx, hook_dir);
    if (rc) goto out;
    rc = check_trusted(ctx, dir);
    if (rc) goto out;
    for (i = 0; i < n; i++) {
        if (!is_hook(dir, names[i]->d_name, path, sizeof(path)))
            continue;
        rc = check_trusted(ctx, path);
        if (rc) goto out;
    }
    envp = merged_env(env);
    if (!envp) {
        rc = xlv__nomem(ctx, "the hook environment");
        goto out;
    }
    rc = 0;
    for (i = 0; i < n; i++) {
        int status;

        if (!is_hook(dir, names[i]->d_name, path, sizeof(path)))
            continue;
        status = run_one(path, envp, first, sizeof(first));
        if (status != 0 && stop_on_failure) {
            rc = xlv__error(ctx, XLV_ERR_STATE, "hook '%s/%s' refused the "
                            "change (%s %d)%s%s", stage, names[i]->d_name,
                            status < 0 ? "killed or not run" : "exit",
                            status, first[0] ? ": " : "", first);
            goto out;
        }
    }
 out:
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(envp);
    return rc;
}
