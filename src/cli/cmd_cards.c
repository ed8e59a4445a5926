/* eimza — the files of the card's way to the holder (cli/; app/card_flow.h):
 *   eimza shipments import FILE.csv [--db URL]   a carrier's file (application_number,
 *                                                carrier, tracking_number)
 *   eimza bureau import FILE.csv [--db URL]      the card bureau's answer file
 * Each refused row is reported on stderr as "satır LINE: FIELD: CODE: message" (the header is
 * line 1); the summary on stdout. Exit 0, 3 when some rows were refused, 1 for a usage error,
 * 2 when the file cannot be read or the database failed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/card_flow.h"
#include "app/csv.h"
#include "cli/cli.h"
#include "core/reason.h"

static const char shipments_usage[] = "usage: eimza shipments import FILE.csv [--db URL]\n";
static const char bureau_usage[] = "usage: eimza bureau import FILE.csv [--db URL]\n";

static void report_refusal(void *ctx, const struct app_file_refusal *r)
{
    (void)ctx;
    fprintf(stderr, "satır %ld: %s: %s: %s\n", r->line, r->field && *r->field ? r->field : "-",
            r->code, core_reason_message(r->code, CORE_LANG_TR));
}

/* "import FILE.csv [--db URL]" of shipments (bureau false) or of the bureau's answer. */
static int cards_import(int argc, char **argv, bool bureau)
{
    const char *what = bureau ? "bureau import" : "shipments import";
    const char *usage = bureau ? bureau_usage : shipments_usage;
    const char *file = NULL, *db = NULL;
    int n = 0;
    if (argc < 2 || strcmp(argv[1], "import") != 0) {
        if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
            fputs(usage, stdout);
            return CLI_OK;
        }
        cli_error("%s: unknown command (import)", argv[0]);
        fputs(usage, stderr);
        return CLI_USAGE;
    }
    int rc0 = cli_args(argc - 1, argv + 1, what, usage, &file, 1, &n, &db);
    if (rc0 >= 0)
        return rc0;
    if (!file) {
        cli_error("%s: which file? (FILE.csv is missing)", what);
        fputs(usage, stderr);
        return CLI_USAGE;
    }
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        cli_error("%s: %s: file_unreadable: %s", file, strerror(errno),
                  core_reason_message("file_unreadable", CORE_LANG_TR));
        return CLI_FAIL;
    }
    struct store *s = NULL;
    int rc = cli_open_store(db, 0, &s);
    if (rc != CLI_OK) {
        close(fd);
        return rc;
    }
    struct app_settings set;
    struct app_err err;
    struct app_file_result res;
    if (app_settings_default(&set) != 0) {
        cli_error("%s: out of memory", what);
        rc = CLI_FAIL;
        goto out;
    }
    struct app_ctx c = {.db = s, .set = &set, .now = (int64_t)time(NULL), .lang = CORE_LANG_TR};
    enum app_status st = bureau ? app_bureau_import(&c, "cli", app_csv_read_fd, &fd, report_refusal,
                                                    NULL, &res, &err)
                                : app_shipments_import(&c, "cli", app_csv_read_fd, &fd,
                                                       report_refusal, NULL, &res, &err);
    app_settings_free(&set);
    if (st != APP_OK && st != APP_EINVAL) {
        cli_error("%s: %s: %s", file, err.code ? err.code : "database",
                  err.code ? core_reason_message(err.code, CORE_LANG_TR)
                           : "the database failed; nothing more was imported");
        rc = CLI_FAIL;
        goto out;
    }
    printf("%s: %ld rows read, %ld applied, %ld already recorded, %ld refused\n", what, res.rows,
           res.applied, res.unchanged, res.refused);
    rc = st == APP_EINVAL ? CLI_FAIL : res.refused ? CLI_PARTIAL : CLI_OK;
out:
    close(fd);
    store_close(s);
    return rc;
}

int cli_cmd_shipments(int argc, char **argv)
{
    return cards_import(argc, argv, false);
}

int cli_cmd_bureau(int argc, char **argv)
{
    return cards_import(argc, argv, true);
}
