/* eimza — the command line (cli/). main() calls cli_main(); each subcommand lives in its own
 * file as `int cli_cmd_NAME(int argc, char **argv)` with argv[0] the subcommand's name, and
 * returns the process exit status of docs/INTERFACES.md: */
#ifndef EIMZA_CLI_CLI_H
#define EIMZA_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

enum cli_exit {
    CLI_OK = 0,      /* success */
    CLI_USAGE = 1,   /* usage error */
    CLI_FAIL = 2,    /* runtime failure */
    CLI_PARTIAL = 3, /* partial success (an import that rejected some rows) */
};

#define CLI_DEFAULT_DB "sqlite:var/eimza.db"

int cli_main(int argc, char **argv);

/* Opens the database at url (NULL: the default) and checks that its schema is current;
 * prints a message to stderr and returns CLI_FAIL (or CLI_USAGE for a malformed URL) on
 * failure. With migrate_ok the schema check is skipped (for `eimza migrate`). */
int cli_open_store(const char *url, int migrate_ok, struct store **out);

/* Parses the arguments of a data command: up to maxpos words (into pos[], count in *npos),
 * `--db URL` or `--db=URL` (into *db, NULL when absent) and -h/--help. what names the command
 * in messages ("import personnel"); usage is printed with --help and after a usage error.
 * Returns -1 when the caller should go on, else the exit status to return (CLI_OK after
 * --help, CLI_USAGE after an unknown option or an extra word, with a message). */
int cli_args(int argc, char **argv, const char *what, const char *usage, const char **pos,
             int maxpos, int *npos, const char **db);

/* Takes "--name VALUE" or "--name=VALUE" at argv[*i] (moving *i past the value); NULL when
 * argv[*i] is not --name, or when the value is missing (then *missing is set true). */
const char *cli_optarg(int argc, char **argv, int *i, const char *name, bool *missing);
/* An open file descriptor's number given as text (--pin-fd N); -1 when it is not one. */
int cli_fd_arg(const char *s);
/* The last branch of an option loop, for an argument no option took: -h or --help prints usage
 * to stdout and returns CLI_OK; anything else (or an option whose value is missing, as
 * cli_optarg said) prints "what: ... needs a value" or "what: unknown argument '...'" and usage
 * to stderr and returns CLI_USAGE. */
int cli_arg_other(const char *what, const char *usage, const char *arg, bool missing);
/* --now YYYY-MM-DD: *now becomes 00:00 UTC of that day (the tests move time that way); a
 * malformed date is a usage error printed under what (CLI_USAGE), else CLI_OK. */
int cli_now_arg(const char *what, const char *arg, int64_t *now);

/* A command with subcommands (`eimza notify run|failed|outbox`): runs the one argv[1] names
 * with argv + 1; -h or --help prints usage to stdout (CLI_OK); none, or one not in subs, is a
 * usage error ("what: unknown subcommand '...'", usage to stderr). */
struct cli_sub {
    const char *name;
    int (*run)(int argc, char **argv);
};
int cli_subcommand(int argc, char **argv, const char *what, const char *usage,
                   const struct cli_sub *subs, size_t nsubs);

/* Splits a comma-separated setting (ca_policies, signature_policies) in place: the items,
 * spaces around them trimmed and empty ones dropped, into out (at most max; the rest are
 * left out). Returns how many. */
size_t cli_split_list(char *s, const char **out, size_t max);

/* Prints "eimza: " and the message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cli_cmd_serve(int argc, char **argv);
int cli_cmd_migrate(int argc, char **argv);
int cli_cmd_import(int argc, char **argv);
int cli_cmd_personnel(int argc, char **argv);
/* Signing (sign/): `eimza sign` (cmd_sign.c) and `eimza agent` (cmd_agent.c). */
int cli_cmd_sign(int argc, char **argv);
int cli_cmd_agent(int argc, char **argv);
/* Staff and audit: `eimza user add` (cmd_user.c), `eimza audit verify` (cmd_audit.c). */
int cli_cmd_user(int argc, char **argv);
int cli_cmd_audit(int argc, char **argv);
/* `eimza notify run|failed` (cmd_notify.c; what serve shares with it: cmd_notify.h). */
int cli_cmd_notify(int argc, char **argv);
/* After approval (cmd_cards.c): `eimza shipments import`, `eimza bureau import`. */
int cli_cmd_shipments(int argc, char **argv);
int cli_cmd_bureau(int argc, char **argv);
/* `eimza card issue` (cmd_cards.c): an approved application's card made in house. */
int cli_cmd_card(int argc, char **argv);
struct web_config;
struct app_settings;
/* Opens the in-house CA of the settings (production = inhouse: ca_module, ca_label, ca_pin,
 * card_*) and hangs it on set (app_ca_attach); the PINs are wiped from c once the engine has
 * them. 0, or -1 with the reason printed. */
int cli_ca_open(struct web_config *c, struct app_settings *set);
/* `eimza evidence export NUMBER --out DIR` (cmd_evidence.c). */
int cli_cmd_evidence(int argc, char **argv);
/* `eimza backup OUT.db` and `eimza restore IN.db` (cmd_backup.c; issue 18). */
int cli_cmd_backup(int argc, char **argv);
int cli_cmd_restore(int argc, char **argv);
/* `eimza retention run` (cmd_retention.c; issue 18). */
int cli_cmd_retention(int argc, char **argv);
/* `eimza import certificates FILE... [--db URL]`, called by cli_cmd_import (cmd_import.c);
 * argv[0] is "certificates". */
int cli_import_certificates(int argc, char **argv);

#endif
