/*
 * xlvcpu: main.  Parses the global options, makes the one library ctx and
 * runs the command.  Only main and option parsing exit.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xlvcpu.h"

/* The libxenlight (pkg-config xenlight) the build compiled against: the
 * Makefile passes it, so that --version can say it without asking a
 * host. */
#ifndef XLV_XEN_BUILD_VERSION
#error "XLV_XEN_BUILD_VERSION is not defined (the Makefile defines it)"
#endif

int report_error(const xlv_ctx *ctx, const struct command *cmd)
{
    fprintf(stderr, "xlvcpu: %s: %s\n", cmd->name, xlv_ctx_error(ctx));
    return EXIT_FAILED;
}

static void vprint_error_line(const char *fmt, va_list ap)
{
    char line[1024];
    unsigned char *p;

    vsnprintf(line, sizeof(line), fmt, ap);
    for (p = (unsigned char *)line; *p; p++) {
        if (*p < 0x20 || *p >= 0x7f)
            *p = '?';
    }
    fprintf(stderr, "%s\n", line);
}

void print_error_line(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprint_error_line(fmt, ap);
    va_end(ap);
}

int usage_error(const struct command *cmd, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    print_error_line("xlvcpu: %s: %s (usage: xlvcpu %s)", cmd->name, msg,
                     cmd->usage);
    return EXIT_USAGE;
}

int print_output(const struct command *cmd, const char *text)
{
    if (fputs(text, stdout) == EOF || fflush(stdout) == EOF)
        return output_error(cmd);
    return EXIT_OK;
}

int output_error(const struct command *cmd)
{
    fprintf(stderr, "xlvcpu: %s: cannot write the output\n", cmd->name);
    return EXIT_FAILED;
}

/* A usage error before the command: one line, with where to look. */
static int main_usage(const char *fmt, const char *arg)
    __attribute__((format(printf, 1, 0)));

static int main_usage(const char *fmt, const char *arg)
{
    char msg[256];

    /* FMT quotes ARG with %.64s; a longer one is marked as clipped. */
    snprintf(msg, sizeof(msg), fmt, arg);
    print_error_line("xlvcpu: %s%s (run 'xlvcpu help')", msg,
                     strlen(arg) > 64 ? " (clipped)" : "");
    return EXIT_USAGE;
}

/* LeakSanitizer checks for leaks from exit(), which _exit() skips. */
#if defined(__SANITIZE_ADDRESS__)
#define LEAK_CHECK_AT_EXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LEAK_CHECK_AT_EXIT 1
#endif
#endif

/*
 * How a run that reached its command ends.  The command closed and freed
 * all it opened (valgrind's leak check, made at the process's end either
 * way, holds it to that); the output still buffered is written, and a
 * write that failed is an error.  Then _exit(), not exit(): what exit()
 * adds is the exit handlers and the destructors of libxenlight and the
 * shared objects it loads, work that the kernel's end of the process
 * makes moot; in the lab (Xen 4.17 under QEMU) a vcpu-set that skips it
 * takes about 5 % less time (0-7 % in six side-by-side comparisons).
 * A build with AddressSanitizer keeps exit(), whose handlers run its
 * leak check.
 */
static void finish(const struct command *cmd, int status)
    __attribute__((noreturn));

static void finish(const struct command *cmd, int status)
{
    if ((fflush(stdout) == EOF || ferror(stdout)) && status == EXIT_OK)
        status = output_error(cmd);
#ifdef LEAK_CHECK_AT_EXIT
    exit(status);
#else
    _exit(status);
#endif
}

/* Whether argument A is the long option OPT: "--opt" or "--opt=V". */
static bool is_option(const char *a, const char *opt)
{
    size_t n = strlen(opt);

    return !strncmp(a, opt, n) && (a[n] == '\0' || a[n] == '=');
}

/* The value of option OPT: "--opt=V", or the next argument. */
static const char *option_value(int argc, char **argv, int *i,
                                const char *opt)
{
    size_t n = strlen(opt);

    if (!strncmp(argv[*i], opt, n) && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

int main(int argc, char **argv)
{
    global_opts g = { 0 };
    const struct command *cmd;
    xlv_ctx *ctx = NULL;
    int i, status;

    g.connect = getenv("XLVCPU_CONNECT");
    g.state_dir = getenv("XLVCPU_STATE_DIR");
    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];

        if (!strcmp(a, "-N")) {
            g.dry_run = true;
        } else if (!strcmp(a, "-q")) {
            g.quiet = true;
        } else if (!strcmp(a, "--json")) {
            g.json = true;
        } else if (!strcmp(a, "-c") || is_option(a, "--connect")) {
            g.connect = option_value(argc, argv, &i,
                                     a[1] == 'c' ? "-c" : "--connect");
            if (!g.connect)
                return main_usage("option '%.64s' needs a URI", a);
        } else if (is_option(a, "--state-dir")) {
            g.state_dir = option_value(argc, argv, &i, "--state-dir");
            if (!g.state_dir)
                return main_usage("option '%.64s' needs a directory", a);
        } else if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            printf("xlvcpu %s (built with libxenlight %s)\n", XLV_VERSION,
                   XLV_XEN_BUILD_VERSION);
            return EXIT_OK;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            printf("%s\n       xlvcpu help [COMMAND]\n"
                   "       xlvcpu --version\n", usage_line);
            return EXIT_OK;
        } else {
            return main_usage("unknown option '%.64s'", a);
        }
    }
    if (i >= argc)
        return main_usage("%s", "no command given");
    cmd = command_find(argv[i]);
    if (!cmd)
        return unknown_command("xlvcpu", argv[i],
                               " (run 'xlvcpu help' for the list)");
    if (g.dry_run && !(cmd->flags & CMD_DRY_RUN)) {
        print_error_line("xlvcpu: %s: -N (dry run) is for commands that "
                         "change something, and '%s' changes nothing "
                         "(usage: xlvcpu %s)", cmd->name, cmd->name,
                         cmd->usage);
        return EXIT_USAGE;
    }
    if (xlv_ctx_new(&ctx, NULL, 0)) {
        fprintf(stderr, "xlvcpu: %s: out of memory\n", cmd->name);
        return EXIT_FAILED;
    }
    status = cmd->fn(ctx, &g, argc - i, argv + i, cmd);
    xlv_ctx_free(ctx);
    finish(cmd, status);
}
