/*
 * xlvcpu help [COMMAND]: generated from the command table.
 */
#include <string.h>

#include "xlvcpu.h"

static void describe(const struct command *c)
{
    printf("usage: xlvcpu %s\n\n%s\n", c->usage, c->summary);
    if (c->options)
        printf("\n%s\n", c->options);
}

int cmd_help(xlv_ctx *ctx, const global_opts *g, int argc, char **argv,
             const struct command *cmd)
{
    const struct command *c;
    unsigned int i;

    (void)ctx;
    (void)g;
    if (argc > 2)
        return usage_error(cmd, "too many arguments");
    if (argc == 2) {
        c = command_find(argv[1]);
        if (!c)
            return unknown_command("xlvcpu: help", argv[1], "");
        describe(c);
        return EXIT_OK;
    }
    printf("%s\n\ncommands:\n", usage_line);
    for (i = 0; i < n_commands; i++)
        printf("  %-20s %s\n", commands[i].name, commands[i].summary);
    printf("\nglobal options:\n"
           "  -N                   dry run: print what would be done\n"
           "  -q                   quiet\n"
           "  --json               machine-readable output\n"
           "  -c URI               host to talk to (default xen:///system)\n"
           "  --state-dir DIR      persistent configs "
           "(default /var/lib/xlvcpu)\n"
           "  --version            print the version\n"
           "\nexit status: 0 success, 1 failure, 2 usage error, "
           "3 apply --check: would change\n");
    return EXIT_OK;
}
