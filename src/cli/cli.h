/* eimza — the command line (cli/). main() calls cli_main(); each subcommand lives in its own
 * file as `int cli_cmd_NAME(int argc, char **argv)` with argv[0] the subcommand's name, and
 * returns the process exit status of docs/INTERFACES.md: */
#ifndef EIMZA_CLI_CLI_H
#define EIMZA_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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
 * prints a message to stderr and returns CLI_FAIL on failure (cli_db_open_failed's refusals,
 * or "COMMAND: schema_outdated|schema_newer|database_error: ..." and the versions or the
 * database's words), or CLI_USAGE after the refusal of cli_db_refuse for a URL the store
 * refuses as invalid. With migrate_ok the schema check is
 * skipped (for `eimza migrate`). */
int cli_open_store(const char *url, int migrate_ok, struct store **out);

/* A database URL the store refused as invalid (STORE_EINVAL from store_open, store_sqlite_path,
 * ...; err its English reason, which never holds a password): the refusal "COMMAND: --db:
 * db_url_bad: ..." (a URL eimza cannot read: store_url_check) or "COMMAND: --db:
 * db_path_too_long: ..." (a readable URL whose SQLite path the system cannot take), then err.
 * COMMAND is the command run (cli_main). Returns CLI_USAGE. */
int cli_db_refuse(const char *url, const char *err);
/* store_open's or store_open_create's failure e (not STORE_OK) for url, err its English reason:
 * cli_db_refuse for STORE_EINVAL (CLI_USAGE); else the refusal "COMMAND: database_not_found"
 * (no SQLite database there), "COMMAND: database_unreachable" (it cannot be opened or
 * connected to) or err alone (out of memory), with err as the details; CLI_FAIL. */
int cli_db_open_failed(const char *url, enum store_err e, const char *err);

/* One parse of a command's words, the one place the rules of options live: "--name VALUE" and
 * "--name=VALUE"; "--" ends the options (the words after it are taken as they are); -h or
 * --help prints the usage; and a single-valued option may be given once: a second one (also
 * with the same value) is the usage error option_repeated, never "the last one wins", in
 * every command alike. Only the options a command asks for with cli_opt_many (--config of the
 * commands that read serve's settings, the agent's --origin) add up. A command's loop reads:
 *
 *     struct cli_parse p;
 *     cli_parse_begin(&p, argc, argv, 1, "notify run", notify_usage);
 *     while (cli_parse_next(&p)) {
 *         if ((v = cli_opt(&p, "--db")))
 *             db = v;
 *         else if (cli_flag(&p, "--dev"))
 *             dev = true;
 *         else if (!file && (v = cli_word(&p)))
 *             file = v;
 *         else
 *             return cli_parse_other(&p);
 *     }
 *
 * Once a word is refused (a value missing, an option repeated) every later test of that word
 * answers no, so the loop reaches cli_parse_other, which says why. The parse borrows argv and
 * allocates nothing. */
#define CLI_PARSE_SEEN_MAX 16 /* single-valued options of one command (the agent has 7) */
struct cli_parse {
    int argc;
    char **argv;
    int i;                        /* the word looked at (cli_parse_next moves it) */
    const char *what;             /* the command in messages ("notify run") */
    const char *usage;            /* its usage text, or NULL with print_usage */
    void (*print_usage)(FILE *f); /* for a usage made when printed (serve's lists its keys) */
    const char *seen[CLI_PARSE_SEEN_MAX]; /* the single-valued options taken, by name */
    size_t nseen;
    bool words_only; /* "--" was seen */
    bool missing;    /* the word is an option whose value is missing */
    bool repeated;   /* the word is a single-valued option given before */
    bool full;       /* seen[] is full: a command with more options than CLI_PARSE_SEEN_MAX */
};

/* Starts a parse of argv[first..argc-1]; what and usage as above (usage may be NULL when
 * print_usage is set afterwards). */
void cli_parse_begin(struct cli_parse *p, int argc, char **argv, int first, const char *what,
                     const char *usage);
/* Moves to the next word; false at the end. "--" is taken here (once). */
bool cli_parse_next(struct cli_parse *p);
/* The value of the single-valued option name when the word is it (moving past a separate
 * value); NULL when it is not, when its value is missing, or when it was given before (the
 * last two are then reported by cli_parse_other). */
const char *cli_opt(struct cli_parse *p, const char *name);
/* The same for an option that may be given more than once (each value in turn). */
const char *cli_opt_many(struct cli_parse *p, const char *name);
/* True when the word is the flag name (an option without a value). */
bool cli_flag(struct cli_parse *p, const char *name);
/* The word when it is not an option (a positional: a file, a number, a name); NULL when it
 * is one. "-" alone is a word. */
const char *cli_word(struct cli_parse *p);
/* The last branch of a loop, for a word no test took: -h or --help prints the usage to stdout
 * and returns CLI_OK; otherwise it prints why on stderr as "what: WORD: CODE: <Turkish
 * message>" with the catalogue's reason.CODE: option_repeated (--db twice), option_needs_value
 * (--db last, without its value), unknown_option (--x; WORD is the option without "=VALUE"),
 * unexpected_argument (a word the command does not take, shown whole), then the usage, and
 * returns CLI_USAGE. */
int cli_parse_other(struct cli_parse *p);
/* The arguments of a data command, through cli_parse: up to maxpos words (into pos[], count
 * in *npos), `--db URL` (into *db, NULL when absent) and -h/--help. Returns -1 when the
 * caller should go on, else the exit status to return (CLI_OK after --help, CLI_USAGE after
 * a usage error, with a message). */
int cli_args(int argc, char **argv, const char *what, const char *usage, const char **pos,
             int maxpos, int *npos, const char **db);

/* A usage error about a word of the parse (a value the command cannot take): the refusal
 * "what: SUBJECT: CODE: <Turkish>", a line of English details, then the usage (as
 * cli_usage_errorf). Returns CLI_USAGE. */
int cli_parse_refuse(struct cli_parse *p, const char *subject, const char *code, const char *fmt,
                     ...) __attribute__((format(printf, 4, 5)));

/* An open file descriptor's number given as text (--pin-fd N); -1 when it is not one. */
int cli_fd_arg(const char *s);
/* --now YYYY-MM-DD: *now becomes 00:00 UTC of that day (the tests move time that way); a
 * malformed date is the usage error "what: --now: bad_date: ..." (then usage; CLI_USAGE),
 * else CLI_OK. */
int cli_now_arg(const char *what, const char *usage, const char *arg, int64_t *now);

/* A command with subcommands (`eimza notify run|failed|outbox`): runs the one argv[1] names
 * with argv + 1; -h or --help prints usage to stdout (CLI_OK); none is the usage error
 * subcommand_missing, one not in subs unknown_subcommand (cli_usage_error). */
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

/* Prints "eimza: " and the message to stderr: for progress, warnings, runtime failures and the
 * English details after a refusal. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A refusal in the one form of docs/INTERFACES.md ("Messages"): "eimza: WHAT: [SUBJECT: ]CODE:
 * <the catalogue's Turkish reason.CODE, saying what to do>" on stderr; subject (the option,
 * word, field or record refused, or the argument missing) may be NULL. */
void cli_refuse(const char *what, const char *subject, const char *code);
/* A usage error: cli_refuse, then usage on stderr; returns CLI_USAGE. Besides the parser's
 * (cli_parse_other): unknown_command, subcommand_missing, unknown_subcommand,
 * argument_missing (SUBJECT: the argument as the usage names it), options_conflict, bad_date,
 * fd_not_open, too_long, number_out_of_range, create_once_uri. */
int cli_usage_error(const char *what, const char *subject, const char *code, const char *usage);
/* The same with a line of English details between the refusal and the usage ("eimza: WHAT: "
 * and the formatted text: the value refused, its bounds). */
int cli_usage_errorf(const char *what, const char *subject, const char *code, const char *usage,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
struct ufault;
/* A refusal made below the command line (util/fault.h: a settings file's, the agent's
 * settings'): cli_refuse with its code and subject, then its English details ("eimza: WHAT:
 * DETAIL") when it has some, without the usage (the file, not the command line, is to be
 * mended); a fault without a code (a failure that is no refusal: out of memory) is its English
 * details alone. Returns CLI_USAGE. The one printer of such refusals: cli_usage_errorf is it with
 * the usage after. */
int cli_refuse_fault(const char *what, const struct ufault *f);
/* A runtime failure that comes from what the operator gave or from the environment (a file
 * that cannot be read, a database that failed, a record that is not there): the refusal
 * "WHAT: [SUBJECT: ]CODE: <Turkish>", then the English details ("WHAT: DETAIL": the system's or
 * the database's words) when fmt is not NULL. Returns CLI_FAIL (exit 2). */
int cli_fail(const char *what, const char *subject, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

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
