/* eimza — `eimza evidence export NUMBER --out DIR [--db URL]`: writes the evidence of an
 * application's accepted e-signature as files (app/evidence.h) for anyone to verify again with
 * openssl. Exit 0; 1 usage; 2 no such application (application_unknown, as `card issue`), no
 * signature (no_signature), a write failure (evidence_write) or the database's (database_error). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/evidence.h"
#include "cli/cli.h"

static const char evidence_usage[] = "usage: eimza evidence export NUMBER --out DIR [--db URL]\n";

static int evidence_export(int argc, char **argv)
{
    const char *number = NULL, *db = NULL, *out = NULL, *v;
    struct cli_parse p;
    int rc;
    cli_parse_begin(&p, argc, argv, 1, "evidence export", evidence_usage);
    while (cli_parse_next(&p)) {
        if ((v = cli_opt(&p, "--out")))
            out = v;
        else if ((v = cli_opt(&p, "--db")))
            db = v;
        else if (!number && (v = cli_word(&p)))
            number = v;
        else
            return cli_parse_other(&p);
    }
    if (!number || !out || !*out)
        return cli_usage_error("evidence export", !number ? "NUMBER" : "--out", "argument_missing",
                               evidence_usage);
    struct store *s = NULL;
    if ((rc = cli_open_store(db, 0, &s)) != CLI_OK)
        return rc;
    struct app_err err;
    if (app_evidence_export(s, number, out, "cli", (int64_t)time(NULL), &err) == APP_OK) {
        printf("evidence of %s written to %s (signature.p7s, content.txt, validation.json, "
               "ocsp.der when OCSP answered, README.txt)\n",
               number, out);
        rc = CLI_OK;
    } else if (err.code) {
        rc = cli_fail("evidence export", number, err.code, NULL);
    } else {
        rc = cli_fail("evidence export", NULL, "database_error", "%s", store_last_error(s));
    }
    store_close(s);
    return rc;
}

int cli_cmd_evidence(int argc, char **argv)
{
    static const struct cli_sub subs[] = {
        {"export", evidence_export},
    };
    return cli_subcommand(argc, argv, "evidence", evidence_usage, subs,
                          sizeof subs / sizeof subs[0]);
}
