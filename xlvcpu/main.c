/*
 * xlvcpu: main.  Parses the global options, makes the one library ctx and
 * runs the command.  Only main and option parsing exit.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlvcpu.h"

static const char global_usage[] =
    "usage: xlvcpu [-N] [-q] [--json] [-c URI] [--state-dir DIR] "
    "COMMAND [ARGS]\n"
    "       xlvcpu help [COMMAND]\n"
    "       xlvcpu --version\n";

int report_error(const xlv_ctx *ctx, const struct command *cmd)
{
    fprintf(stderr, "xlvcpu: %s: %s\n", cmd->name, xlv_ctx_error(ctx));
    return EXIT_FAILED;
}

int usage_error(const struct command *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "xlvcpu: %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (usage: xlvcpu %s)\n", cmd->usage);
    return EXIT_USAGE;
}

int print_output(const struct command *cmd, const char *text)
{
    if (fputs(text, stdout) == EOF || fflush(stdout) == EOF) {
        fprintf(stderr, "xlvcpu: %s: cannot write the output\n", cmd->name);
        return EXIT_FAILED;
    }
    return EXIT_OK;
}

/* A usage error before the command: one line, with where to look. */
static int main_usage(const char *fmt, const char *arg)
{
    fputs("xlvcpu: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (run 'xlvcpu help')\n", stderr);
    return EXIT_USAGE;
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
    const char *hint;
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
        } else if (!strcmp(a, "-c") || !strncmp(a, "--connect", 9)) {
            g.connect = option_value(argc, argv, &i,
                                     a[1] == 'c' ? "-c" : "--connect");
            if (!g.connect)
                return main_usage("option '%s' needs a URI", a);
        } else if (!strncmp(a, "--state-dir", 11)) {
            g.state_dir = option_value(argc, argv, &i, "--state-dir");
            if (!g.state_dir)
                return main_usage("option '%s' needs a directory", a);
        } else if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            printf("xlvcpu %s\n", XLV_VERSION);
            return EXIT_OK;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(global_usage, stdout);
            return EXIT_OK;
        } else {
            return main_usage("unknown option '%s'", a);
        }
    }
    if (i >= argc)
        return main_usage("%s", "no command given");
    cmd = command_find(argv[i]);
    if (!cmd) {
        hint = command_suggest(argv[i]);
        fprintf(stderr, "xlvcpu: unknown command '%s'", argv[i]);
        if (hint)
            fprintf(stderr, "; did you mean '%s'?", hint);
        fputs(" (run 'xlvcpu help' for the list)\n", stderr);
        return EXIT_USAGE;
    }
    if (xlv_ctx_new(&ctx, NULL, 0)) {
        fprintf(stderr, "xlvcpu: %s: out of memory\n", cmd->name);
        return EXIT_FAILED;
    }
    status = cmd->fn(ctx, &g, argc - i, argv + i, cmd);
    xlv_ctx_free(ctx);
    return status;
}
