/* eimza — `eimza backup OUT.db [--db URL] [--config FILE]...` and `eimza restore IN.db [--db URL]
 * [--config FILE]...` (issue 18): a SQLite database copied while servers write to it, and put
 * back.
 *
 * backup: a consistent copy through SQLite's online backup API (store_backup: one read
 * snapshot, checked, synced, a new file of mode 0600 that never overwrites one), then an audit
 * entry in the live database (`backup.made`, the file's name and size) and one line on stdout.
 * Any schema version: a copy before `eimza migrate` is what an upgrade wants.
 *
 * restore: refuses while another process has the target database open (a server would go on
 * serving from what it had in memory), then copies IN.db over it in one transaction
 * (store_restore: IN.db must pass its integrity check and have a schema this eimza knows),
 * appends `backup.restored` to the restored audit log, walks its hash chain and says what it
 * found. A target that does not exist yet is made (with its folder). The restored database gets
 * its stamp (cli_dbstamp.h) when it has none, so `eimza migrate --create-once` takes it for the
 * service's own from then on; a stamp that cannot be written is exit 2.
 *
 * PostgreSQL's backups are its own tools (docs/DEPLOYMENT.md): both commands say so and exit 1.
 * Exit status: 0 done; 1 usage (an existing OUT.db, PostgreSQL); 2 failure (the database in
 * use, a copy that does not pass its checks, a broken audit chain after a restore).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/audit.h"
#include "cli/cli.h"
#include "cli/cli_config.h"
#include "cli/cli_dbstamp.h"
#include "web/http/config.h"

static const char backup_usage[] = "usage: eimza backup OUT.db [--db URL] [--config FILE]...\n";
static const char restore_usage[] = "usage: eimza restore IN.db [--db URL] [--config FILE]...\n";

/* The file and the database of either command: -1 to go on, else the exit status. */
static int backup_args(int argc, char **argv, const char *usage, const char **file, char *db,
                       size_t dblen)
{
    struct cli_configs configs = {0};
    const char *dbopt = NULL;
    struct cli_parse p;
    const char *v;
    *file = NULL;
    cli_parse_begin(&p, argc, argv, 1, argv[0], usage);
    while (cli_parse_next(&p)) {
        if ((v = cli_opt(&p, "--db")))
            dbopt = v;
        else if ((v = cli_opt_many(&p, "--config"))) {
            if (cli_configs_add(&configs, &p, v) < 0)
                return CLI_USAGE;
        } else if (!*file && (v = cli_word(&p)))
            *file = v;
        else
            return cli_parse_other(&p);
    }
    if (!*file)
        return cli_usage_error(argv[0], usage == backup_usage ? "OUT.db" : "IN.db",
                               "argument_missing", usage);
    struct web_config cfg;
    const char *url = dbopt;
    if (!url && configs.n) {
        if (web_config_defaults(&cfg) < 0 || cli_configs_load(&configs, &cfg, argv[0]) < 0)
            return CLI_USAGE;
        url = cfg.db;
    }
    snprintf(db, dblen, "%s", url && *url ? url : CLI_DEFAULT_DB);
    if (!strncmp(db, "postgresql://", 13) || !strncmp(db, "postgres://", 11)) {
        return cli_usage_errorf(
            argv[0], "--db", "postgresql_own_tools", usage,
            "a PostgreSQL database is %s with its own tools (%s; docs/DEPLOYMENT.md, "
            "\"Backups\")",
            !strcmp(argv[0], "backup") ? "backed up" : "restored",
            !strcmp(argv[0], "backup") ? "pg_dump or pg_basebackup" : "pg_restore");
    }
    return -1;
}

static void backup_audit(struct store *s, const char *action, const char *object,
                         const struct store_backup_stats *st)
{
    char detail[128];
    snprintf(detail, sizeof detail, "{\"pages\":%ld,\"page_size\":%ld}", st->pages, st->page_size);
    const struct store_audit_entry e = {
        .at = (int64_t)time(NULL),
        .actor = "cli",
        .action = action,
        .object = object,
        .detail = detail,
    };
    if (store_audit_append(s, &e) != STORE_OK)
        cli_error("warning: the audit entry %s could not be written: %s", action,
                  store_last_error(s));
}

int cli_cmd_backup(int argc, char **argv)
{
    const char *out;
    char db[1024];
    int rc = backup_args(argc, argv, backup_usage, &out, db, sizeof db);
    if (rc >= 0)
        return rc;
    struct stat sb;
    if (stat(out, &sb) == 0)
        return cli_usage_error("backup", out, "file_exists", backup_usage);
    struct store *s = NULL;
    if ((rc = cli_open_store(db, 1, &s)) != CLI_OK)
        return rc;
    struct store_backup_stats st;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    enum store_err e = store_backup(s, out, &st);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (e != STORE_OK) {
        /* a file that took the name meanwhile: file_exists, exit 1, as before the copy */
        rc = cli_fail("backup", out, e == STORE_ECONFLICT ? "file_exists" : "backup_failed",
                      "backup failed: %s", store_last_error(s));
        store_close(s);
        return e == STORE_ECONFLICT ? CLI_USAGE : rc;
    }
    int schema = 0, latest = 0;
    (void)store_schema_version(s, &schema, &latest);
    backup_audit(s, "backup.made", out, &st);
    printf("backup: %s, %ld pages of %ld bytes (%.1f MiB), schema version %d, integrity ok, "
           "in %.2f s\n",
           out, st.pages, st.page_size, (double)st.pages * (double)st.page_size / 1048576.0, schema,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    store_close(s);
    return CLI_OK;
}

int cli_cmd_restore(int argc, char **argv)
{
    const char *in;
    char db[1024], err[600];
    int rc = backup_args(argc, argv, restore_usage, &in, db, sizeof db);
    if (rc >= 0)
        return rc;
    struct stat sb;
    /* exit 1 for IN.db missing or not a file, as before: the command line is to be mended */
    if (stat(in, &sb) != 0) {
        cli_fail("restore", in, "file_unreadable", "'%s': %s", in, strerror(errno));
        return CLI_USAGE;
    }
    if (!S_ISREG(sb.st_mode)) {
        cli_fail("restore", in, "not_a_file", "'%s' is not a file", in);
        return CLI_USAGE;
    }
    long pid = 0;
    enum store_err e = store_in_use(db, &pid, err, sizeof err);
    if (e == STORE_ECONFLICT) {
        char who[48] = "another process";
        if (pid > 0)
            snprintf(who, sizeof who, "process %ld", pid);
        return cli_fail("restore", NULL, "database_in_use",
                        "the database is open in %s (a server?): stop every process using it "
                        "first",
                        who);
    }
    if (e != STORE_OK)
        return cli_db_open_failed(db, e, err);
    char stamp[CLI_STAMP_PATH_MAX];
    const char *dbpath = NULL;
    int stamped = cli_stamp_path(db, stamp, sizeof stamp, &dbpath);
    if (stamped < 0)
        return CLI_USAGE;
    struct cli_db_new made;
    cli_db_new_look(db, &made);
    bool fresh = stamped && made.fresh;
    struct store *s = NULL;
    if ((e = store_open_create(db, &s, err, sizeof err)) != STORE_OK) {
        cli_db_new_undo(&made);
        return cli_db_open_failed(db, e, err);
    }
    struct store_backup_stats st;
    if ((e = store_restore(s, in, &st)) != STORE_OK) {
        cli_fail("restore", in, "restore_failed", "restore failed (the database is as it was): %s",
                 store_last_error(s));
        store_close(s);
        cli_db_new_undo(&made); /* as it was: none, not an empty one --create-once would take */
        return CLI_FAIL;
    }
    int schema = 0, latest = 0;
    (void)store_schema_version(s, &schema, &latest);
    backup_audit(s, "backup.restored", in, &st);
    struct app_audit_report r;
    rc = CLI_OK;
    printf("restore: %s into the database, %ld pages, schema version %d\n", in, st.pages, schema);
    if (app_audit_verify(s, &r) != STORE_OK || r.problem != APP_AUDIT_INTACT) {
        rc = cli_fail("restore", in, "restored_audit_broken",
                      "the restored audit log does not verify (eimza audit verify says where)");
    } else {
        printf("audit: %ld entries, chain intact; newest hash %s\n", r.entries, r.last_hash);
    }
    if (schema < latest)
        printf("restore: the schema is older than this eimza's (%d): run 'eimza migrate'\n",
               latest);
    store_close(s);
    if (stamped) {
        enum cli_stamp_kind kind = fresh ? CLI_STAMP_RESTORED : CLI_STAMP_RECORDED;
        if (cli_stamp_record("restore", "restored", stamp, kind, schema, false) != CLI_OK)
            rc = CLI_FAIL;
    }
    return rc;
}
