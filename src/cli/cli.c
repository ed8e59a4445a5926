/* eimza — subcommand dispatch and the helpers every subcommand shares. */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/reason.h"
#include "util/fault.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
} cli_commands[] = {
    {"serve", cli_cmd_serve,
     "serve    [--config FILE]... [--listen HOST:PORT] [--db URL] [--trust-dir DIR] [--dev] "
     "[--check]"},
    {"migrate", cli_cmd_migrate, "migrate  [--db URL] [--config FILE]..."},
    {"import", cli_cmd_import,
     "import personnel FILE.csv [--db URL]\n"
     "       eimza import certificates FILE... [--db URL]   (PEM or DER, one or many per file)"},
    {"personnel", cli_cmd_personnel, "personnel show TCKN [--db URL]   (JSON)"},
    {"audit", cli_cmd_audit, "audit verify [--db URL]"},
    {"notify", cli_cmd_notify,
     "notify run [--db URL] [--now YYYY-MM-DD] [--dev] [--config FILE]...   (JSON summary)\n"
     "       eimza notify failed [--db URL]   (JSON)\n"
     "       eimza notify outbox [--db URL] [--config FILE]... [--limit N]   (JSON)"},
    {"evidence", cli_cmd_evidence, "evidence export NUMBER --out DIR [--db URL]"},
    {"retention", cli_cmd_retention,
     "retention run [--db URL] [--config FILE]... [--now YYYY-MM-DD] [--dry-run]   (JSON)"},
    {"shipments", cli_cmd_shipments,
     "shipments import FILE.csv [--db URL]   (application_number;carrier;tracking_number)"},
    {"bureau", cli_cmd_bureau,
     "bureau import FILE.csv [--db URL]   (the card bureau's answer file)"},
    {"card", cli_cmd_card,
     "card issue NUMBER [--card SERIAL] [--config FILE]... [--db URL]   (in-house production)"},
    {"backup", cli_cmd_backup, "backup OUT.db [--db URL] [--config FILE]...   (SQLite)"},
    {"restore", cli_cmd_restore, "restore IN.db [--db URL] [--config FILE]...   (SQLite)"},
    {"user", cli_cmd_user,
     "user add USERNAME --role ROLE [--province NN] [--email ADDRESS] [--db URL]   (password "
     "on stdin)\n"
     "       eimza user set USERNAME [--email ADDRESS|--no-email] [--province NN] "
     "[--disable|--enable] [--reset-totp] [--unlock] [--db URL]\n"
     "       eimza user list [--db URL]   (JSON)"},
    {"sign", cli_cmd_sign,
     "sign  --module LIB.so [--token LABEL] --in FILE --out FILE.p7s [--pin-fd N]"},
    {"agent", cli_cmd_agent,
     "agent [--config FILE] [--module LIB.so] [--listen 127.0.0.1:PORT] [--origin URL]... "
     "[--ca-file FILE] [--pin-fd N]\n"
     "       eimza agent --handle-url eimza://sign?ticket=T&portal=https://HOST [options]"},
};

static void cli_usage(FILE *f)
{
    fprintf(f, "usage:\n");
    for (size_t i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++)
        fprintf(f, "  eimza %s\n", cli_commands[i].usage);
    fprintf(f,
            "\n--db URL: sqlite:PATH (or a bare path) or postgresql://... (default %s)\n"
            "exit status: 0 success, 1 usage error, 2 runtime failure, 3 partial success\n",
            CLI_DEFAULT_DB);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("eimza: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* The one form of a refusal; the subject is its first n bytes (a word shown without "=VALUE"). */
static void cli_refusal(const char *what, const char *subject, int n, const char *code)
{
    if (subject)
        cli_error("%s: %.*s: %s: %s", what, n, subject, code,
                  core_reason_message(code, CORE_LANG_TR));
    else
        cli_error("%s: %s: %s", what, code, core_reason_message(code, CORE_LANG_TR));
}

void cli_refuse(const char *what, const char *subject, const char *code)
{
    cli_refusal(what, subject, subject ? (int)strlen(subject) : 0, code);
}

int cli_usage_error(const char *what, const char *subject, const char *code, const char *usage)
{
    cli_refuse(what, subject, code);
    fputs(usage, stderr);
    return CLI_USAGE;
}

/* cli_refuse_fault of a refusal made here: the code, the subject and the details' format. */
static void cli_refuse_v(const char *what, const char *subject, const char *code, const char *fmt,
                         va_list ap) __attribute__((format(printf, 4, 0)));
static void cli_refuse_v(const char *what, const char *subject, const char *code, const char *fmt,
                         va_list ap)
{
    struct ufault f = {.code = code};
    snprintf(f.subject, sizeof f.subject, "%s", subject ? subject : "");
    if (fmt)
        vsnprintf(f.detail, sizeof f.detail, fmt, ap);
    cli_refuse_fault(what, &f);
}

int cli_fail(const char *what, const char *subject, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_refuse_v(what, subject, code, fmt, ap);
    va_end(ap);
    return CLI_FAIL;
}

int cli_usage_errorf(const char *what, const char *subject, const char *code, const char *usage,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_refuse_v(what, subject, code, fmt, ap);
    va_end(ap);
    fputs(usage, stderr);
    return CLI_USAGE;
}

int cli_refuse_fault(const char *what, const struct ufault *f)
{
    if (!f->code) { /* no refusal (out of memory): its English line alone */
        cli_error("%s: %s", what, f->detail);
        return CLI_USAGE;
    }
    cli_refuse(what, f->subject[0] ? f->subject : NULL, f->code);
    if (f->detail[0])
        cli_error("%s: %s", what, f->detail);
    return CLI_USAGE;
}

/* ---- the parse of a command's words (cli.h, struct cli_parse) ---------------------------- */

void cli_parse_begin(struct cli_parse *p, int argc, char **argv, int first, const char *what,
                     const char *usage)
{
    memset(p, 0, sizeof *p);
    p->argc = argc;
    p->argv = argv;
    p->i = first - 1;
    p->what = what;
    p->usage = usage;
}

bool cli_parse_next(struct cli_parse *p)
{
    if (p->i + 1 >= p->argc)
        return false;
    p->i++;
    if (!p->words_only && !strcmp(p->argv[p->i], "--")) {
        p->words_only = true;
        return cli_parse_next(p);
    }
    return true;
}

/* Whether the word can still be taken: not after it was refused, not after "--". */
static bool cli_parse_open(const struct cli_parse *p)
{
    return !p->missing && !p->repeated && !p->full && !p->words_only;
}

/* The value of option name at the word, or NULL (p->missing set when the value is missing). */
static const char *cli_parse_value(struct cli_parse *p, const char *name)
{
    const char *a = p->argv[p->i];
    size_t n = strlen(name);
    if (!cli_parse_open(p) || strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (p->i + 1 >= p->argc) {
        p->missing = true;
        return NULL;
    }
    return p->argv[++p->i];
}

const char *cli_opt(struct cli_parse *p, const char *name)
{
    int at = p->i;
    const char *v = cli_parse_value(p, name);
    if (!v)
        return NULL;
    for (size_t k = 0; k < p->nseen; k++) {
        if (!strcmp(p->seen[k], name)) {
            p->i = at; /* the refused word is the option, not its value */
            p->repeated = true;
            return NULL;
        }
    }
    if (p->nseen == CLI_PARSE_SEEN_MAX) {
        p->i = at;
        p->full = true; /* a bug of the command: the rule could not be kept */
        return NULL;
    }
    p->seen[p->nseen++] = name;
    return v;
}

const char *cli_opt_many(struct cli_parse *p, const char *name)
{
    return cli_parse_value(p, name);
}

bool cli_flag(struct cli_parse *p, const char *name)
{
    return cli_parse_open(p) && !strcmp(p->argv[p->i], name);
}

const char *cli_word(struct cli_parse *p)
{
    const char *a = p->argv[p->i];
    if (p->missing || p->repeated || p->full || (!p->words_only && a[0] == '-' && a[1] != '\0'))
        return NULL;
    return a;
}

static void cli_parse_print_usage(const struct cli_parse *p, FILE *f)
{
    if (p->usage)
        fputs(p->usage, f);
    else if (p->print_usage)
        p->print_usage(f);
}

int cli_parse_other(struct cli_parse *p)
{
    const char *a = p->argv[p->i];
    size_t n = strcspn(a, "=");
    if (cli_parse_open(p) && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
        cli_parse_print_usage(p, stdout);
        return CLI_OK;
    }
    /* each refusal: the word (an option without its "=VALUE"), its stable code and the
     * catalogue's Turkish message saying what to do (reason.<code>), then the usage */
    const char *code = NULL;
    if (p->repeated)
        code = "option_repeated";
    else if (p->missing)
        code = "option_needs_value";
    else if (p->full)
        cli_error("%s: more than %d options (a bug: raise CLI_PARSE_SEEN_MAX)", p->what,
                  CLI_PARSE_SEEN_MAX);
    else if (!p->words_only && a[0] == '-' && a[1] != '\0')
        code = "unknown_option";
    else {
        code = "unexpected_argument";
        n = strlen(a); /* a word is shown whole, "=" and all */
    }
    if (code)
        cli_refusal(p->what, a, (int)n, code);
    cli_parse_print_usage(p, stderr);
    return CLI_USAGE;
}

int cli_parse_refuse(struct cli_parse *p, const char *subject, const char *code, const char *fmt,
                     ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_refuse_v(p->what, subject, code, fmt, ap);
    va_end(ap);
    cli_parse_print_usage(p, stderr);
    return CLI_USAGE;
}

int cli_fd_arg(const char *s)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || !*s || *end || v < 0 || v > INT_MAX || fcntl((int)v, F_GETFD) < 0)
        return -1;
    return (int)v;
}

/* The command run ("audit verify": cli_main, cli_subcommand), for the refusals of helpers that are
 * not told it. */
static const char *cli_command = "eimza";

int cli_subcommand(int argc, char **argv, const char *what, const char *usage,
                   const struct cli_sub *subs, size_t nsubs)
{
    if (argc < 2)
        return cli_usage_error(what, NULL, "subcommand_missing", usage);
    for (size_t i = 0; i < nsubs; i++) {
        if (!strcmp(argv[1], subs[i].name)) {
            static char both[64];
            snprintf(both, sizeof both, "%s %s", what, subs[i].name);
            cli_command = both;
            return subs[i].run(argc - 1, argv + 1);
        }
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    return cli_usage_error(what, argv[1], "unknown_subcommand", usage);
}

size_t cli_split_list(char *s, const char **out, size_t max)
{
    size_t k = 0;
    for (char *p = s, *end; p && *p && k < max; p = end) {
        end = strchr(p, ',');
        if (end)
            *end++ = '\0';
        while (*p == ' ')
            p++;
        size_t n = strlen(p);
        while (n && p[n - 1] == ' ')
            p[--n] = '\0';
        if (n)
            out[k++] = p;
    }
    return k;
}

int cli_now_arg(const char *what, const char *usage, const char *arg, int64_t *now)
{
    int32_t day;
    if (strlen(arg) != 10 || core_date_parse(arg, 10, &day) < 0 || arg[4] != '-')
        return cli_usage_error(what, "--now", "bad_date", usage);
    *now = core_date_to_unix(day);
    return CLI_OK;
}

int cli_args(int argc, char **argv, const char *what, const char *usage, const char **pos,
             int maxpos, int *npos, const char **db)
{
    struct cli_parse p;
    const char *v;
    *npos = 0;
    *db = NULL;
    cli_parse_begin(&p, argc, argv, 1, what, usage);
    while (cli_parse_next(&p)) {
        if ((v = cli_opt(&p, "--db")))
            *db = v;
        else if (*npos < maxpos && (v = cli_word(&p)))
            pos[(*npos)++] = v;
        else
            return cli_parse_other(&p);
    }
    return -1;
}

int cli_db_refuse(const char *url, const char *err)
{
    struct ufault f = {.subject = "--db"};
    bool url_bad = store_url_check(url && *url ? url : CLI_DEFAULT_DB, NULL, 0) != STORE_OK;
    ufault_set(&f, url_bad ? "db_url_bad" : "db_path_too_long", "%s", err);
    return cli_refuse_fault(cli_command, &f);
}

int cli_db_open_failed(const char *url, enum store_err e, const char *err)
{
    if (e == STORE_EINVAL)
        return cli_db_refuse(url, err);
    if (e == STORE_ENOMEM) {
        cli_error("%s: cannot open the database: %s", cli_command, err);
        return CLI_FAIL;
    }
    return cli_fail(cli_command, NULL,
                    e == STORE_EVERSION ? "database_not_found" : "database_unreachable",
                    "cannot open the database: %s", err);
}

int cli_main(int argc, char **argv)
{
    if (argc < 2) {
        cli_usage(stderr);
        return CLI_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        cli_usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("eimza %s\n", EIMZA_VERSION);
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++) {
        if (!strcmp(argv[1], cli_commands[i].name)) {
            cli_command = cli_commands[i].name;
            return cli_commands[i].run(argc - 1, argv + 1);
        }
    }
    cli_refuse(argv[1], NULL, "unknown_command");
    cli_usage(stderr);
    return CLI_USAGE;
}

int cli_open_store(const char *url, int migrate_ok, struct store **out)
{
    char err[512];
    *out = NULL;
    if (!url || !*url)
        url = CLI_DEFAULT_DB;
    enum store_err e = store_open(url, out, err, sizeof err);
    if (e != STORE_OK)
        return cli_db_open_failed(url, e, err);
    if (migrate_ok)
        return CLI_OK;
    int cur = 0, latest = 0;
    e = store_schema_version(*out, &cur, &latest);
    if (e != STORE_OK || cur != latest) {
        if (e != STORE_OK)
            cli_fail(cli_command, NULL, "database_error", "cannot read the schema version: %s",
                     store_last_error(*out));
        else if (cur < latest)
            cli_fail(cli_command, NULL, "schema_outdated",
                     "the database schema is at version %d, this eimza needs %d: run "
                     "'eimza migrate' first",
                     cur, latest);
        else
            cli_fail(cli_command, NULL, "schema_newer",
                     "the database schema (version %d) is newer than this eimza (%d): "
                     "upgrade eimza",
                     cur, latest);
        store_close(*out);
        *out = NULL;
        return CLI_FAIL;
    }
    return CLI_OK;
}
