/* eimza — `eimza import personnel FILE.csv [--db URL]` and the dispatch of `eimza import
 * certificates` (cmd_import_certs.c). This file only presents: the work is app/'s
 * app_import_personnel(); here are the argument parsing, the report lines on stderr (one per
 * refused field, with its line number, column, code and the Turkish message), the progress
 * bar on a terminal and the summary line on stdout. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/import_personnel.h"
#include "app/text.h"
#include "cli/cli.h"
#include "core/reason.h"

#define PROGRESS_MIN_BYTES   (1u << 20) /* smaller files finish before a bar is worth it */
#define PROGRESS_INTERVAL_NS 100000000L

static const char import_usage[] = "usage: eimza import personnel FILE.csv [--db URL]\n"
                                   "       eimza import certificates FILE... [--db URL]\n";

struct import_ui {
    bool bar;       /* a progress bar may be drawn (stderr is a terminal) */
    bool bar_shown; /* something is on the bar's line now */
    struct timespec started, last;
};

static double ui_elapsed(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void ui_clear_bar(struct import_ui *ui)
{
    if (ui->bar_shown) {
        fputs("\r\033[K", stderr);
        ui->bar_shown = false;
    }
}

static void ui_reject(void *ctx, long line, const char *field, const char *code, const char *detail)
{
    struct import_ui *ui = ctx;
    ui_clear_bar(ui);
    fprintf(stderr, "satır %ld: %s: %s: %s%s%s%s\n", line, field ? field : "-", code,
            app_import_reason_text(code, CORE_LANG_TR), detail ? " (" : "", detail ? detail : "",
            detail ? ")" : "");
}

static void ui_ignored(void *ctx, const char *column)
{
    ui_clear_bar(ctx);
    cli_error("column '%s' is not a personnel file column: ignored", column);
}

static void ui_progress(void *ctx, uint64_t done, uint64_t total, long rows)
{
    struct import_ui *ui = ctx;
    if (!ui->bar || total < PROGRESS_MIN_BYTES)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (ui->bar_shown && ui_elapsed(&ui->last, &now) * 1e9 < PROGRESS_INTERVAL_NS)
        return;
    ui->last = now;
    double secs = ui_elapsed(&ui->started, &now);
    int pct = (int)(done * 100 / total);
    char bar[31];
    for (int i = 0; i < 30; i++)
        bar[i] = i < pct * 30 / 100 ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r[%s] %3d%%  %ld rows  %.0f rows/s\033[K", bar, pct > 100 ? 100 : pct, rows,
            secs > 0 ? (double)rows / secs : 0.0);
    ui->bar_shown = true;
}

/* Parses "personnel FILE.csv [--db URL]" (argv[0] is "personnel"). */
static int import_personnel(int argc, char **argv)
{
    const char *file = NULL, *db = NULL;
    int n = 0;
    int rc0 = cli_args(argc, argv, "import personnel", import_usage, &file, 1, &n, &db);
    if (rc0 >= 0)
        return rc0;
    if (!file)
        return cli_usage_error("import personnel", "FILE.csv", "argument_missing", import_usage);

    struct store *s = NULL;
    int rc = cli_open_store(db, 0, &s);
    if (rc != CLI_OK)
        return rc;

    struct import_ui ui = {.bar = isatty(STDERR_FILENO) == 1};
    clock_gettime(CLOCK_MONOTONIC, &ui.started);
    struct app_import_hooks hooks = {&ui, ui_reject, ui_ignored, ui_progress, NULL, NULL};
    struct app_import_result res;
    enum app_import_err e = app_import_personnel(s, file, (int64_t)time(NULL), &hooks, &res);
    ui_clear_bar(&ui);

    switch (e) {
    case APP_IMPORT_OK:
    case APP_IMPORT_PARTIAL:
    case APP_IMPORT_EAUDIT:
        if (res.empty)
            cli_error("%s is empty: nothing to import", file);
        printf("personnel import: %ld rows read, %ld inserted, %ld updated, %ld unchanged, "
               "%ld rejected\n",
               res.rows, res.st.inserted, res.st.updated, res.st.unchanged, res.rejected);
        if (e == APP_IMPORT_EAUDIT) {
            rc = cli_fail("import personnel", file, "database_error", "%s", res.detail);
        } else {
            rc = e == APP_IMPORT_OK ? CLI_OK : CLI_PARTIAL;
        }
        break;
    case APP_IMPORT_EFILE:
    case APP_IMPORT_ESTORE:
        rc =
            cli_fail("import personnel", file, e == APP_IMPORT_ESTORE ? "database_error" : res.code,
                     "%s; nothing was imported", res.detail);
        break;
    case APP_IMPORT_ENOMEM:
        cli_error("%s: %s; nothing was imported", file,
                  res.detail[0] ? res.detail : "out of memory");
        rc = CLI_FAIL;
        break;
    }
    store_close(s);
    return rc;
}

int cli_cmd_import(int argc, char **argv)
{
    static const struct cli_sub subs[] = {
        {"personnel", import_personnel},
        {"certificates", cli_import_certificates},
    };
    return cli_subcommand(argc, argv, "import", import_usage, subs, sizeof subs / sizeof subs[0]);
}
