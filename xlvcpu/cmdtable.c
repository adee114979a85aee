/*
 * The command table: names, handlers and the text "xlvcpu help" prints.
 */
#include <string.h>

#include "xlvcpu.h"

const struct command commands[] = {
    {
        "create", cmd_create, CMD_DRY_RUN | CMD_HOST | CMD_STORE,
        "start a transient domain from domain XML or xl.cfg",
        "create FILE [KEY=VALUE...]",
        "  FILE is domain XML or xl.cfg, told by its content; KEY=VALUE\n"
        "  settings override an xl.cfg file's, as with 'xl create'.\n"
        "  With the global -N, print the libxl config as JSON instead,\n"
        "  as 'xl -N create' does",
    },
    {
        "define", cmd_define, CMD_DRY_RUN | CMD_STORE,
        "store a persistent definition (next boot)",
        "define FILE [KEY=VALUE...]",
        "  FILE is domain XML or xl.cfg, told by its content; KEY=VALUE\n"
        "  settings override an xl.cfg file's, as with 'xl create'",
    },
    {
        "undefine", cmd_undefine, CMD_DRY_RUN | CMD_STORE,
        "remove a persistent definition",
        "undefine DOM",
        NULL,
    },
    {
        "start", cmd_start, CMD_DRY_RUN | CMD_HOST | CMD_STORE,
        "boot a defined domain with its configured vcpus and pins",
        "start DOM|--autostart",
        "  --autostart  start every domain marked with 'autostart' that is\n"
        "               not running, in name order: a line each, then a\n"
        "               summary; exit 1 if any failed",
    },
    {
        "autostart", cmd_autostart, CMD_DRY_RUN | CMD_STORE,
        "mark a defined domain to be started at boot",
        "autostart [--disable] DOM",
        "  --disable    take the mark away\n"
        "  'start --autostart' (the xlvcpu-autostart service) starts them",
    },
    {
        "list", cmd_list, CMD_HOST | CMD_STORE,
        "list running domains (and defined ones with --all)",
        "list [--all] [--autostart]",
        "  --all       also the defined domains that are not running\n"
        "  --autostart only the domains marked to start at boot\n"
        "  (global --json for machine-readable output)",
    },
    {
        "dumpxml", cmd_dumpxml, CMD_HOST | CMD_STORE,
        "print the live definition, or the persistent one",
        "dumpxml [--inactive] DOM",
        "  --inactive  the persistent definition (next boot)",
    },
    {
        "vcpu-set", cmd_vcpu_set, CMD_DRY_RUN | CMD_HOST | CMD_STORE,
        "change the number of vcpus, live or for the next boot",
        "vcpu-set [--live|--config|--current] [--maximum] [-i] DOM N",
        "  --live          the running domain only\n"
        "  --config        the persistent definition only (next boot)\n"
        "  --live --config both, or neither if one fails\n"
        "  --current       live if running, else config (the default)\n"
        "  --maximum       change the maximum (config only)\n"
        "  -i, --ignore-host  allow more vcpus than physical cpus",
    },
    {
        "vcpu-pin", cmd_vcpu_pin, CMD_DRY_RUN | CMD_HOST | CMD_STORE,
        "set the hard and soft affinity of vcpus",
        "vcpu-pin [-f] [--live|--config|--current] DOM VCPU|all "
        "HARD|all|- [SOFT|all|-]",
        "  HARD, SOFT  xl's cpu lists: 2-5,^3 node:1 all; - leaves it\n"
        "  -f, --force as xl vcpu-pin -f\n"
        "  --live, --config, --current as for vcpu-set",
    },
    {
        "apply", cmd_apply, CMD_DRY_RUN | CMD_HOST | CMD_STORE,
        "make domains' vcpus what their files say (idempotent)",
        "apply [--live|--config|--current] [--check] [--diff] [-i] [-f] "
        "FILE...",
        "  FILE is domain XML or xl.cfg; its domain's maximum, online\n"
        "  vcpus and hard and soft affinities are made the file's\n"
        "  --live, --config, --current as for vcpu-set\n"
        "  --check      change nothing; exit 0 if all match, 3 if something\n"
        "               would change, 1 on a failure\n"
        "  --diff       print each change: 'DOM: what: old -> new (scope)'\n"
        "  -i, --ignore-host  allow more vcpus than physical cpus\n"
        "  -f, --force  pin as xl vcpu-pin -f\n"
        "  (global --json: one object per domain)",
    },
    {
        "vcpu-list", cmd_vcpu_list, CMD_HOST,
        "list vcpus as xl vcpu-list does",
        "vcpu-list [DOM...]",
        "  (global --json for machine-readable output)",
    },
    {
        "vcpucount", cmd_vcpucount, CMD_HOST | CMD_STORE,
        "maximum and current vcpus, config and live",
        "vcpucount DOM",
        "  (global --json for machine-readable output)",
    },
    {
        "domxml-to-native", cmd_domxml_to_native, 0,
        "convert domain XML to xl.cfg",
        "domxml-to-native xen-xl FILE.xml",
        NULL,
    },
    {
        "domxml-from-native", cmd_domxml_from_native, 0,
        "convert xl.cfg to domain XML",
        "domxml-from-native xen-xl FILE.cfg",
        NULL,
    },
    {
        "help", cmd_help, 0,
        "list the commands, or describe one",
        "help [COMMAND]",
        NULL,
    },
};

const unsigned int n_commands = sizeof(commands) / sizeof(commands[0]);

const char usage_line[] =
    "usage: xlvcpu [-N] [-q] [--json] [-c URI] [--state-dir DIR] "
    "COMMAND [ARGS]";

int unknown_command(const char *prefix, const char *name, const char *tail)
{
    const char *hint = command_suggest(name);

    print_error_line("%s: unknown command '%.64s%s'%s%s%s%s", prefix, name,
                     strlen(name) > 64 ? "..." : "",
                     hint ? "; did you mean '" : "", hint ? hint : "",
                     hint ? "'?" : "", tail);
    return EXIT_USAGE;
}

const struct command *command_find(const char *name)
{
    unsigned int i;

    for (i = 0; i < n_commands; i++) {
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    }
    return NULL;
}

/* Levenshtein distance, capped: names are short. */
static unsigned int distance(const char *a, const char *b)
{
    unsigned int row[64], i, j;
    size_t la = strlen(a), lb = strlen(b);

    if (la >= 64 || lb >= 64)
        return 64;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        unsigned int diag = row[0];

        row[0] = i;
        for (j = 1; j <= lb; j++) {
            unsigned int up = row[j];
            unsigned int best = diag + (a[i - 1] != b[j - 1]);

            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *command_suggest(const char *name)
{
    const char *best = NULL;
    unsigned int i, best_d = 3;

    for (i = 0; i < n_commands; i++) {
        unsigned int d = distance(name, commands[i].name);

        if (d < best_d ||
            (strlen(name) >= 3 &&
             !strncmp(commands[i].name, name, strlen(name)) && !best)) {
            best_d = d < best_d ? d : best_d;
            best = commands[i].name;
        }
    }
    return best;
}
