/* eimza — `eimza migrate [--db URL]`: brings the database schema to the newest version this
 * eimza knows (store_migrate), and creates the database if there is none. For SQLite that
 * includes a missing directory (store_open_create): `eimza migrate` on a fresh checkout makes
 * var/ for the default var/eimza.db. Other commands refuse a missing directory instead.
 * Prints "schema at version N (applied K migrations)" on stdout. Safe to run concurrently. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char migrate_usage[] = "usage: eimza migrate [--db URL]\n";

int cli_cmd_migrate(int argc, char **argv)
{
    const char *db = NULL;
    int n = 0;
    int rc0 = cli_args(argc, argv, "migrate", migrate_usage, NULL, 0, &n, &db);
    if (rc0 >= 0)
        return rc0;
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
