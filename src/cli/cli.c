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
     "notify run [--db URL] [--now YYYY-MM-DD] [--dev] [--config FILE]   (JSON summary)\n"
     "       eimza notify failed [--db URL]   (JSON)\n"
     "       eimza notify outbox [--db URL] [--config FILE] [--limit N]   (JSON)"},
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

const char *cli_optarg(int argc, char **argv, int *i, const char *name, bool *missing)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
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

int cli_arg_other(const char *what, const char *usage, const char *arg, bool missing)
{
    if (!missing && (!strcmp(arg, "-h") || !strcmp(arg, "--help"))) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (missing)
        cli_error("%s: %s needs a value", what, arg);
    else
        cli_error("%s: unknown argument '%s'", what, arg);
    fputs(usage, stderr);
    return CLI_USAGE;
}

int cli_subcommand(int argc, char **argv, const char *what, const char *usage,
                   const struct cli_sub *subs, size_t nsubs)
{
    for (size_t i = 0; argc >= 2 && i < nsubs; i++)
        if (!strcmp(argv[1], subs[i].name))
            return subs[i].run(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (argc >= 2)
        cli_error("%s: unknown subcommand '%s'", what, argv[1]);
    fputs(usage, stderr);
    return CLI_USAGE;
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

int cli_now_arg(const char *what, const char *arg, int64_t *now)
{
    int32_t day;
    if (strlen(arg) != 10 || core_date_parse(arg, 10, &day) < 0 || arg[4] != '-') {
        cli_error("%s: --now wants a date as YYYY-MM-DD, not '%s'", what, arg);
        return CLI_USAGE;
    }
    *now = core_date_to_unix(day);
    return CLI_OK;
}

int cli_args(int argc, char **argv, const char *what, const char *usage, const char **pos,
             int maxpos, int *npos, const char **db)
{
    *npos = 0;
    *db = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--db") && i + 1 < argc) {
            *db = argv[++i];
        } else if (!strncmp(a, "--db=", 5)) {
            *db = a + 5;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return CLI_OK;
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_error("%s: unknown option '%s'", what, a);
            fputs(usage, stderr);
            return CLI_USAGE;
        } else if (*npos < maxpos) {
            pos[(*npos)++] = a;
        } else {
            cli_error("%s: unexpected argument '%s'", what, a);
            fputs(usage, stderr);
            return CLI_USAGE;
        }
    }
    return -1;
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
    for (size_t i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++)
        if (!strcmp(argv[1], cli_commands[i].name))
            return cli_commands[i].run(argc - 1, argv + 1);
    cli_error("unknown command '%s'", argv[1]);
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
    if (e != STORE_OK) {
        cli_error("cannot open the database: %s", err);
        return e == STORE_EINVAL ? CLI_USAGE : CLI_FAIL;
    }
    if (migrate_ok)
        return CLI_OK;
    int cur = 0, latest = 0;
    e = store_schema_version(*out, &cur, &latest);
    if (e != STORE_OK || cur != latest) {
        if (e != STORE_OK)
            cli_error("cannot read the schema version: %s", store_last_error(*out));
        else if (cur < latest)
            cli_error("the database schema is at version %d, this eimza needs %d: run "
                      "'eimza migrate' first",
                      cur, latest);
        else
            cli_error("the database schema (version %d) is newer than this eimza (%d): "
                      "upgrade eimza",
                      cur, latest);
        store_close(*out);
        *out = NULL;
        return CLI_FAIL;
    }
    return CLI_OK;
}
