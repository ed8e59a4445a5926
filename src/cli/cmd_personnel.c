/* eimza — `eimza personnel show TCKN [--db URL]`: one person's record, eligibility and
 * current certificate as JSON on stdout (app/personnel_show.c builds it). The full T.C.
 * Kimlik No appears only in this command's own output and messages, which go back to the
 * operator who typed it; it is never logged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/personnel_show.h"
#include "cli/cli.h"
#include "core/reason.h"

static const char personnel_usage[] = "usage: eimza personnel show TCKN [--db URL]\n";

static int personnel_show(int argc, char **argv)
{
    const char *arg = NULL, *db = NULL;
    int n = 0;
    int rc0 = cli_args(argc, argv, "personnel show", personnel_usage, &arg, 1, &n, &db);
    if (rc0 >= 0)
        return rc0;
    if (!arg)
        return cli_usage_error("personnel show", "TCKN", "argument_missing", personnel_usage);
    char tckn[CORE_TCKN_LEN + 1];
    const char *code = app_tckn_parse(arg, tckn);
    if (code) {
        cli_refuse("personnel show", NULL, code);
        return CLI_USAGE;
    }

    struct store *s = NULL;
    int rc = cli_open_store(db, 0, &s);
    if (rc != CLI_OK)
        return rc;
    char *json = NULL;
    switch (app_personnel_show(s, tckn, (int64_t)time(NULL), &json)) {
    case APP_SHOW_OK:
        printf("%s\n", json);
        rc = CLI_OK;
        break;
    case APP_SHOW_ENOTFOUND:
        rc = cli_fail("personnel show", tckn, "personnel_unknown",
                      "no personnel record for T.C. Kimlik No %s", tckn);
        break;
    case APP_SHOW_ESTORE:
        rc = cli_fail("personnel show", NULL, "database_error", "%s", store_last_error(s));
        break;
    case APP_SHOW_ENOMEM:
        cli_error("out of memory");
        rc = CLI_FAIL;
        break;
    }
    free(json);
    store_close(s);
    return rc;
}

int cli_cmd_personnel(int argc, char **argv)
{
    static const struct cli_sub subs[] = {
        {"show", personnel_show},
    };
    return cli_subcommand(argc, argv, "personnel", personnel_usage, subs,
                          sizeof subs / sizeof subs[0]);
}
