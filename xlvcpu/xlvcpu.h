/*
 * The xlvcpu command: shared declarations of main, the command table and
 * the command families.
 */
#ifndef XLVCPU_H
#define XLVCPU_H

#include <stdbool.h>
#include <stdio.h>

#include "libxlvcpu.h"

/*
 * Exit statuses, as DESIGN.md fixes them: every one the command can end
 * with is here, and xlvcpu(1)'s EXIT STATUS lists each (tests/docs).
 */
enum {
    EXIT_OK = 0,
    EXIT_FAILED = 1,
    EXIT_USAGE = 2,
    EXIT_WOULD_CHANGE = 3,     /* apply --check: something would change */
};

/* What main parsed before the command name. */
typedef struct {
    bool dry_run;          /* -N */
    bool quiet;            /* -q */
    bool json;             /* --json */
    const char *connect;   /* -c URI or $XLVCPU_CONNECT */
    const char *state_dir; /* --state-dir or $XLVCPU_STATE_DIR */
} global_opts;

struct command;

/*
 * A command gets the library ctx, the global options, and its own argv
 * (argv[0] is the command name).  It returns an exit status; failures of
 * the library are reported with report_error().
 */
typedef int command_fn(xlv_ctx *ctx, const global_opts *g, int argc,
                       char **argv, const struct command *cmd);

/* What a command does with the global options, and what it uses. */
#define CMD_DRY_RUN 1u     /* it changes something, and -N checks it only */
#define CMD_HOST 2u        /* it asks the host (-c) */
#define CMD_STORE 4u       /* it reads or writes definitions (--state-dir) */

struct command {
    const char *name;
    command_fn *fn;
    unsigned int flags;    /* CMD_* */
    const char *summary;   /* one line, for "xlvcpu help" */
    const char *usage;     /* arguments, for "xlvcpu help NAME" */
    const char *options;   /* option lines, or NULL */
};

extern const struct command commands[];
extern const unsigned int n_commands;

/* The entry NAME of the table, or NULL. */
const struct command *command_find(const char *name);

/* The closest command name to NAME, for a "did you mean" hint, or NULL. */
const char *command_suggest(const char *name);

/* The first line of every usage text: the global options, a command. */
extern const char usage_line[];

/* "unknown command" for NAME, with the closest name when there is one,
 * after PREFIX ("xlvcpu" or "xlvcpu: help") and before TAIL; returns
 * EXIT_USAGE. */
int unknown_command(const char *prefix, const char *name, const char *tail);

/* Print "xlvcpu: CMD: <library error>" on stderr and return EXIT_FAILED. */
int report_error(const xlv_ctx *ctx, const struct command *cmd);

/*
 * Print one line on stderr, formatted as printf, then a newline.  Usage
 * errors echo arguments as given: every byte that is not printable ASCII
 * (control characters, C1 controls in UTF-8, any other non-ASCII byte) is
 * printed as '?', so that no argument can act on the terminal.
 */
void print_error_line(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Print "xlvcpu: CMD: <message>" and the usage hint; return EXIT_USAGE. */
int usage_error(const struct command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Write TEXT to stdout and check that it got there. */
int print_output(const struct command *cmd, const char *text);

/* Print "xlvcpu: CMD: cannot write the output" on stderr and return
 * EXIT_FAILED: stdout could not take what the command printed. */
int output_error(const struct command *cmd);

/*
 * Open the connection the global options name: -c / $XLVCPU_CONNECT,
 * --state-dir / $XLVCPU_STATE_DIR, and $XLVCPU_RUN_DIR, $XLVCPU_HOOK_DIR,
 * with only what CMD's table entry says it uses (CMD_HOST, CMD_STORE):
 * a command that needs no definitions neither creates nor checks the
 * state directory.  Reports its own failure; returns an exit status.
 */
int open_connection(xlv_ctx *ctx, const global_opts *g,
                    const struct command *cmd, xlv_conn **conn_r);

/*
 * Parse the scope options every changing command takes (--live, --config,
 * --current) plus the command's EXTRA long options, getopt_long style;
 * EXTRA_FN handles the extra ones.  Fills *flags_r and leaves optind at
 * the first argument.  Returns an exit status (EXIT_USAGE on a bad one).
 */
struct option;
typedef int extra_option_fn(int opt, unsigned int *flags);
int parse_scope(int argc, char **argv, const struct command *cmd,
                const char *extra_short, const struct option *extra,
                extra_option_fn *extra_fn, unsigned int *flags_r);

/*
 * Log one change to syslog: who, domain, what, old -> new, scope, result.
 * A command that changes something calls audit_open() before it does
 * (nothing is opened for a dry run), and audit() once it is done; the log
 * stays open until the process exits.
 */
void audit_open(const global_opts *g);
void audit(const struct command *cmd, const char *dom, const char *change,
           const char *scope, int status, const char *message);

/* The scope named by FLAGS, for messages and the log. */
const char *scope_name(unsigned int flags);

command_fn cmd_help;
command_fn cmd_create;
command_fn cmd_domxml_to_native;
command_fn cmd_domxml_from_native;
command_fn cmd_define;
command_fn cmd_undefine;
command_fn cmd_start;
command_fn cmd_autostart;
command_fn cmd_list;
command_fn cmd_dumpxml;
command_fn cmd_vcpu_set;
command_fn cmd_vcpu_pin;
command_fn cmd_vcpu_list;
command_fn cmd_vcpucount;
command_fn cmd_apply;

#endif /* XLVCPU_H */
