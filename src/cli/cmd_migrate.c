/* eimza — `eimza migrate [--db URL] [--config FILE]...`: brings the database schema to the
 * newest version this eimza knows (store_migrate), and creates the database if there is none.
 * For SQLite that includes a missing directory (store_open_create): `eimza migrate` on a fresh
 * checkout makes var/ for the default var/eimza.db. Other commands refuse a missing directory
 * instead. The database is --db, else the `db` setting of the --config files (serve's, read
 * the same way: cli_config.h), else the default; so the service runs `eimza migrate` with the
 * very files `eimza serve` reads. Prints "schema at version N (applied K migrations)" on
 * stdout. Then, when the --config files give a secret_key, the TOTP secrets stored before
 * secrets were sealed are sealed with it ("sealed N TOTP secrets"; issue 19, finding 8). Safe
 * to run concurrently. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "app/staff_auth.h"
#include "cli/cli_config.h"
#include "web/http/config.h"

static const char migrate_usage[] = "usage: eimza migrate [--db URL] [--config FILE]...\n";

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
        cli_error("%s", err);
        return CLI_USAGE;
    }
    if (app_totp_seal_all(s, set.seal_key, (int64_t)time(NULL), &n, &ae) != APP_OK) {
        cli_error("sealing the TOTP secrets failed: %s", ae.code ? ae.code : store_last_error(s));
        rc = CLI_FAIL;
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

    struct cli_parse p;
    const char *v;
    cli_parse_begin(&p, argc, argv, 1, "migrate", migrate_usage);
    while (cli_parse_next(&p)) {
        if ((v = cli_opt(&p, "--db"))) {
            db = v;
        } else if ((v = cli_opt_many(&p, "--config"))) {
            if (cli_configs_add(&configs, v) < 0)
                return CLI_USAGE;
        } else
            return cli_parse_other(&p);
    }
    if (web_config_defaults(&cfg) < 0 || (configs.n && cli_configs_load(&configs, &cfg) < 0))
        return CLI_USAGE;
    if (!db && configs.n)
        db = cfg.db;
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
    int rc = migrate_seal(s, &cfg);
    store_close(s);
    return rc;
}
