/* eimza — `eimza migrate [--db URL] [--config FILE]...`: brings the database schema to the
 * newest version this eimza knows (store_migrate), and creates the database if there is none.
 * For SQLite that includes a missing directory (store_open_create): `eimza migrate` on a fresh
 * checkout makes var/ for the default var/eimza.db. Other commands refuse a missing directory
 * instead. The database is --db, else the `db` setting of the --config files (serve's, read
 * the same way: cli_config.h), else the default; so the service runs `eimza migrate` with the
 * very files `eimza serve` reads. Prints "schema at version N (applied K migrations)" on
 * stdout. Safe to run concurrently. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_config.h"
#include "web/http/config.h"

static const char migrate_usage[] = "usage: eimza migrate [--db URL] [--config FILE]...\n";

int cli_cmd_migrate(int argc, char **argv)
{
    const char *db = NULL;
    struct cli_configs configs = {0};
    struct web_config cfg;

    for (int i = 1; i < argc; i++) {
        bool missing = false;
        const char *v;
        if ((v = cli_optarg(argc, argv, &i, "--db", &missing))) {
            db = v;
        } else if ((v = cli_optarg(argc, argv, &i, "--config", &missing))) {
            if (cli_configs_add(&configs, v) < 0)
                return CLI_USAGE;
        } else if (!missing && (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))) {
            fputs(migrate_usage, stdout);
            return CLI_OK;
        } else {
            if (missing)
                cli_error("migrate: %s needs a value", argv[i]);
            else
                cli_error("migrate: unknown argument '%s'", argv[i]);
            fputs(migrate_usage, stderr);
            return CLI_USAGE;
        }
    }
    if (!db && configs.n) {
        if (web_config_defaults(&cfg) < 0 || cli_configs_load(&configs, &cfg) < 0)
            return CLI_USAGE;
        db = cfg.db;
    }
    if (!db || !*db)
        db = CLI_DEFAULT_DB;

    char err[512];
    struct store *s = NULL;
    enum store_err e = store_open_create(db, &s, err, sizeof err);
    if (e != STORE_OK) {
        cli_error("cannot open the database: %s", err);
        return e == STORE_EINVAL ? CLI_USAGE : CLI_FAIL;
    }
    int from = 0, to = 0;
    e = store_migrate(s, &from, &to);
    if (e != STORE_OK) {
        cli_error("migrate failed (%s): %s", store_strerror(e), store_last_error(s));
        store_close(s);
        return CLI_FAIL;
    }
    printf("schema at version %d (applied %d migration%s)\n", to, to - from,
           to - from == 1 ? "" : "s");
    store_close(s);
    return CLI_OK;
}
