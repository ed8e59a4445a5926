/* eimza — `eimza import certificates FILE... [--db URL]` (cli/: arguments in, the use case
 * app_import_certificates out, problems to stderr and one summary line to stdout).
 *
 * Exit status: 0 everything imported (or already known); 3 some objects refused (each one
 * named with its file, position and reason code); 2 a file could not be read or the database
 * failed; 1 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/import_certs.h"
#include "cli/cli.h"
#include "core/reason.h"

static const char cli_certs_usage[] =
    "usage: eimza import certificates FILE... [--db URL]   (PEM or DER, one or many per file)\n";

/* The Turkish message of a code when the table has it (the code is always printed). */
static const char *certs_message(const char *code)
{
    return core_reason_known(code) ? core_reason_message(code, CORE_LANG_TR) : "";
}

static void certs_on_reject(void *ctx, const char *file, unsigned index, const char *code,
                            const char *detail)
{
    (void)ctx;
    const char *tr = certs_message(code);
    if (index)
        cli_error("%s: object %u: %s: %s%s%s", file, index, code, detail, *tr ? " — " : "", tr);
    else
        cli_error("%s: %s: %s%s%s", file, code, detail, *tr ? " — " : "", tr);
}

static void certs_on_skipped(void *ctx, const char *file, unsigned index, const char *detail)
{
    (void)ctx;
    cli_error("%s: object %u: %s", file, index, detail);
}

int cli_import_certificates(int argc, char **argv)
{
    int rc = CLI_USAGE;
    const char *db = NULL;
    struct store *s = NULL;
    const char **files = calloc((size_t)(argc > 0 ? argc : 1), sizeof *files);
    size_t nfiles = 0;
    struct cli_parse p;
    const char *v;
    if (!files) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    cli_parse_begin(&p, argc, argv, 1, "import certificates", cli_certs_usage);
    while (cli_parse_next(&p)) {
        if ((v = cli_opt(&p, "--db"))) {
            db = v;
        } else if ((v = cli_word(&p))) {
            files[nfiles++] = v;
        } else {
            rc = cli_parse_other(&p);
            goto out;
        }
    }
    if (!nfiles) {
        rc = cli_usage_error("import certificates", "FILE", "argument_missing", cli_certs_usage);
        goto out;
    }
    if ((rc = cli_open_store(db, 0, &s)) != CLI_OK)
        goto out;

    struct app_certs_hooks hooks = {NULL, certs_on_reject, certs_on_skipped};
    struct app_certs_result res;
    enum app_certs_status st =
        app_import_certificates(s, files, nfiles, "cli", (int64_t)time(NULL), &hooks, &res);
    if (st == APP_CERTS_ESTORE || st == APP_CERTS_EAUDIT)
        cli_fail("import certificates", NULL, "database_error", "%s", res.detail);
    else if (st == APP_CERTS_ENOMEM)
        cli_error("%s", res.detail);
    printf("certificates: %ld read, %ld new, %ld already known, %ld without a valid T.C. "
           "Kimlik No, %ld CA skipped; CRLs: %ld, revocations applied: %ld (%ld already "
           "revoked, %ld unknown serials); rejected objects: %ld; unreadable files: %ld\n",
           res.certificates, res.inserted, res.known, res.no_tckn, res.ca_skipped, res.crls,
           res.revoked, res.already_revoked, res.unknown_serials, res.rejected, res.files_failed);
    if (res.completed)
        printf("applications completed by their new certificate: %ld\n", res.completed);
    switch (st) {
    case APP_CERTS_OK:
        rc = CLI_OK;
        break;
    case APP_CERTS_PARTIAL:
        rc = CLI_PARTIAL;
        break;
    default:
        rc = CLI_FAIL;
        break;
    }
out:
    if (s)
        store_close(s);
    free(files);
    return rc;
}
