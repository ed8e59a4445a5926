/* eimza — `eimza audit verify [--db URL]`: checks the whole audit log's hash chain
 * (app/audit.c). Exit 0 with the number of entries and the newest hash when the chain is
 * intact; exit 2 naming the first entry that was changed, removed or reordered. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/audit.h"
#include "cli/cli.h"

static const char audit_usage[] = "usage: eimza audit verify [--db URL]\n";

static int audit_verify(int argc, char **argv)
{
    const char *db = NULL;
    int n = 0;
    int rc = cli_args(argc, argv, "audit verify", audit_usage, NULL, 0, &n, &db);
    if (rc >= 0)
        return rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(db, 0, &s)) != CLI_OK)
        return rc;
    struct app_audit_report r;
    enum store_err e = app_audit_verify(s, &r);
    if (e != STORE_OK) {
        rc = cli_fail("audit verify", NULL, "database_error", "cannot read the audit log: %s",
                      store_last_error(s));
    } else if (r.problem == APP_AUDIT_INTACT) {
        printf("audit: %ld entries, chain intact; newest hash %s", r.entries,
               r.last_hash[0] ? r.last_hash : "(none)");
        if (r.anonymised)
            printf("; %ld anonymised by the retention", r.anonymised);
        putchar('\n');
        rc = CLI_OK;
    } else {
        char when[32] = "";
        struct tm tm;
        time_t t = (time_t)r.at;
        if (r.at && gmtime_r(&t, &tm))
            strftime(when, sizeof when, " (%Y-%m-%dT%H:%M:%SZ", &tm);
        static const char *const why[] = {
            [APP_AUDIT_CHANGED] = "its content no longer matches its hash",
            [APP_AUDIT_REMOVED] = "it is missing from the sequence",
            [APP_AUDIT_REORDERED] = "it does not follow the entry before it (moved, or the "
                                    "entry before it was rewritten)",
        };
        printf("audit: chain broken at entry %lld: %s%s%s%s%s: %s\n", (long long)r.seq,
               app_audit_problem_code(r.problem), when, r.action[0] && when[0] ? ", " : "",
               r.action, when[0] ? ")" : "", why[r.problem]);
        rc = CLI_FAIL;
    }
    store_close(s);
    return rc;
}

int cli_cmd_audit(int argc, char **argv)
{
    static const struct cli_sub subs[] = {
        {"verify", audit_verify},
    };
    return cli_subcommand(argc, argv, "audit", audit_usage, subs, sizeof subs / sizeof subs[0]);
}
