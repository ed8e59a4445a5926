/* eimza — `eimza migrate [--db URL] [--config FILE]... [--create-once]`: brings the database
 * schema to the newest version this eimza knows (store_migrate), and creates the database if
 * there is none. For SQLite that includes a missing directory (store_open_create): `eimza
 * migrate` on a fresh checkout makes var/ for the default var/eimza.db. Other commands refuse a
 * missing directory instead. The database is --db, else the `db` setting of the --config files
 * (serve's, read the same way: cli_config.h), else the default; so the service runs `eimza
 * migrate` with the very files `eimza serve` reads. Prints "schema at version N (applied K
 * migrations)" on stdout. Then, when the --config files give a secret_key, the TOTP secrets
 * stored before secrets were sealed are sealed with it ("sealed N TOTP secrets"; issue 19,
 * finding 8). Safe to run concurrently.
 *
 * SQLite: a database left at PATH gets its stamp PATH.made when it has none (cli_dbstamp.h;
 * "stamp written: ..." on stdout; one that cannot be written is exit 2). With --create-once (the
 * service's ExecStartPre) a missing file is made only when there is no stamp: a stamp without
 * its database is the stable code database_missing with the catalogue's Turkish message, then
 * the details in English, and the log event db.missing_refused on stderr (the service's
 * journal), exit 2, nothing made. Plain `eimza migrate` still makes it, says that it replaces a
 * lost one, and stamps the new one. PostgreSQL:
 * --create-once changes nothing (eimza never creates a PostgreSQL database). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "app/staff_auth.h"
#include "cli/cli_config.h"
#include "cli/cli_dbstamp.h"
#include "core/reason.h"
#include "util/fault.h"
#include "util/log.h"
#include "web/http/config.h"

static const char migrate_usage[] =
    "usage: eimza migrate [--db URL] [--config FILE]... [--create-once]\n";

/* --create-once finds the stamp but not the database (no file, or an empty one: what a failed
 * restore into a new file or a stray open leaves): says so on stderr (the service's journal)
 * as the stable code with the catalogue's Turkish message (reason.database_missing, what to
 * do), then the details for the operator in English (what the stamp says, the file's state,
 * the stamp's path), and as a log event; nothing is made. */
static int migrate_refuse(const char *dbpath, const char *stamp, const struct cli_stamp *st,
                          bool empty)
{
    static const char *const en[] = {"made", "restored from a backup", "in use"};
    unsigned k = (unsigned)st->kind < 3 ? (unsigned)st->kind : 0;
    char en_date[32] = "", msg[CLI_STAMP_PATH_MAX + 1024];
    if (st->date[0])
        snprintf(en_date, sizeof en_date, " on %s", st->date);
    const char *tr = core_text_fill(core_reason_message("database_missing", CORE_LANG_TR), dbpath,
                                    msg, sizeof msg);
    cli_error("migrate: database_missing: %s", tr ? tr : msg);
    cli_error("migrate: the database %s at '%s'%s is missing (%s); its stamp is '%s'", en[k],
              dbpath, en_date,
              empty ? "an empty file without a schema is in its place" : "deleted or moved", stamp);
    ulog(ULOG_ERROR, "db.missing_refused",
         "code=database_missing path=\"%s\" file=%s stamp=\"%s\" %s=%s", dbpath,
         empty ? "empty" : "missing", stamp, cli_stamp_kind_name(st->kind),
         st->date[0] ? st->date : "unknown");
    return CLI_FAIL;
}

/* After a migration: the stamp of a SQLite database that has none (or, made, replaces a lost
 * one's). CLI_OK, or CLI_FAIL with the reason printed: a database without its stamp would be
 * made again, empty, by --create-once if it went missing. */
static int migrate_stamp(const char *stamp, bool made, int had, int schema)
{
    if (had == 1 && !made)
        return CLI_OK;
    return cli_stamp_record("migrate", "ready", stamp, made ? CLI_STAMP_MADE : CLI_STAMP_RECORDED,
                            schema, made);
}

/* With the secret_key of the --config files: every TOTP secret stored before sealing existed
 * is sealed now (issue 19, finding 8; app_totp_seal_all), so the service's ExecStartPre seals
 * them before the first start of a new version. */
static int migrate_seal(struct store *s, const struct web_config *cfg)
{
    struct app_settings set;
    struct app_err ae;
    char err[256];
    long n = 0;
    int rc = CLI_OK;
    if (!cfg->secret_key[0])
        return CLI_OK;
    memset(&set, 0, sizeof set);
    if (app_settings_seal_key(&set, cfg->secret_key, false, err, sizeof err) < 0) {
        struct ufault f = {.subject = "secret_key"}; /* never its value */
        ufault_set(&f, "setting_bad_value", "%s", err);
        return cli_refuse_fault("migrate", &f);
    }
    if (app_totp_seal_all(s, set.seal_key, (int64_t)time(NULL), &n, &ae) != APP_OK) {
        rc = cli_fail("migrate", NULL, "database_error", "sealing the TOTP secrets failed: %s",
                      ae.code ? ae.code : store_last_error(s));
    } else if (n > 0) {
        printf("sealed %ld TOTP secret%s with the secret_key\n", n, n == 1 ? "" : "s");
    }
    app_settings_free(&set);
    return rc;
}

int cli_cmd_migrate(int argc, char **argv)
{
    const char *db = NULL;
    struct cli_configs configs = {0};
    struct web_config cfg;
    bool create_once = false;

    struct cli_parse p;
    const char *v;
    cli_parse_begin(&p, argc, argv, 1, "migrate", migrate_usage);
    while (cli_parse_next(&p)) {
        if ((v = cli_opt(&p, "--db"))) {
            db = v;
        } else if ((v = cli_opt_many(&p, "--config"))) {
            if (cli_configs_add(&configs, &p, v) < 0)
                return CLI_USAGE;
        } else if (cli_flag(&p, "--create-once")) {
            create_once = true;
        } else
            return cli_parse_other(&p);
    }
    if (web_config_defaults(&cfg) < 0 ||
        (configs.n && cli_configs_load(&configs, &cfg, "migrate") < 0))
        return CLI_USAGE;
    ulog_set_format((enum ulog_format)cfg.log_format);
    if (!db && configs.n)
        db = cfg.db;
    if (!db || !*db)
        db = CLI_DEFAULT_DB;

    /* the stamp first, then the file: a stamp is written only once its database is complete,
     * so a database another migrate is making at this moment is never taken for a lost one */
    char err[CLI_STAMP_PATH_MAX + 128], stamp[CLI_STAMP_PATH_MAX];
    const char *dbpath = NULL;
    struct cli_stamp st;
    int had = 0;
    bool made = false;
    int stamped = cli_stamp_path(db, stamp, sizeof stamp, &dbpath);
    if (stamped < 0)
        return CLI_USAGE;
    if (!stamped && dbpath && create_once)
        return cli_usage_errorf("migrate", "--create-once", "create_once_uri", migrate_usage,
                                "--create-once needs the SQLite database's plain path, not '%s' "
                                "(its stamp is kept beside the file)",
                                dbpath);
    if (stamped) {
        if ((had = cli_stamp_read(stamp, &st, err, sizeof err)) < 0) {
            return cli_fail("migrate", stamp, "file_unreadable", "the database's stamp: %s", err);
        }
        struct stat sb;
        made = stat(dbpath, &sb) != 0 && errno == ENOENT;
        if (made && had && create_once)
            return migrate_refuse(dbpath, stamp, &st, false);
    }

    struct store *s = NULL;
    struct cli_db_new fresh;
    cli_db_new_look(db, &fresh);
    enum store_err e = store_open_create(db, &s, err, sizeof err);
    if (e != STORE_OK) {
        cli_db_new_undo(&fresh); /* a URI's nolock=1: made, then refused (not WAL) */
        return cli_db_open_failed(db, e, err);
    }
    int from = 0, to = 0;
    if (stamped && had && create_once && !made && store_schema_version(s, &from, &to) == STORE_OK &&
        from == 0) {
        store_close(s); /* a stamp is written only beside a complete database */
        return migrate_refuse(dbpath, stamp, &st, true);
    }
    e = store_migrate(s, &from, &to);
    if (e != STORE_OK) {
        cli_fail("migrate", NULL, "migrate_failed", "migrate failed (%s): %s", store_strerror(e),
                 store_last_error(s));
        store_close(s);
        cli_db_new_undo(&fresh);
        return CLI_FAIL;
    }
    printf("schema at version %d (applied %d migration%s)\n", to, to - from,
           to - from == 1 ? "" : "s");
    int rc = CLI_OK;
    if (stamped) {
        if (made && had)
            cli_error("migrate: warning: the database %s at '%s'%s%s was missing: a new, empty "
                      "one was made in its place",
                      cli_stamp_kind_name(st.kind), dbpath, st.date[0] ? " on " : "", st.date);
        rc = migrate_stamp(stamp, made, had, to);
    }
    int seal = migrate_seal(s, &cfg);
    store_close(s);
    return rc != CLI_OK ? rc : seal;
}
