/* eimza — `eimza retention run [--db URL] [--config FILE]... [--now YYYY-MM-DD] [--dry-run]`
 * (issue 18): one run of the retention of personal data (app/retention.h), as `eimza serve`
 * does every retention_interval seconds. The periods come from the settings (the --config
 * files, serve's); the database is --db, else theirs. --now runs it as at 00:00 UTC of that
 * day (the tests move time that way); --dry-run changes nothing and writes no audit entry.
 * Prints one JSON object: {"dry_run", "now", "periods": {...}, "removed": {...}} (with
 * --dry-run, "removed" is what a run would remove). Exit 0, 1 usage, 2 failure. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/retention.h"
#include "cli/cli.h"
#include "cli/cli_config.h"
#include "core/date.h"
#include "util/fault.h"
#include "util/log.h"
#include "web/http/config.h"

static const char retention_usage[] =
    "usage: eimza retention run [--db URL] [--config FILE]... [--now YYYY-MM-DD] [--dry-run]\n";

static int retention_run(int argc, char **argv)
{
    const char *db = NULL, *now_arg = NULL;
    bool dry = false;
    struct cli_configs configs = {0};
    struct cli_parse p;
    const char *v;
    cli_parse_begin(&p, argc, argv, 1, "retention run", retention_usage);
    while (cli_parse_next(&p)) {
        if ((v = cli_opt(&p, "--db")))
            db = v;
        else if ((v = cli_opt(&p, "--now")))
            now_arg = v;
        else if ((v = cli_opt_many(&p, "--config"))) {
            if (cli_configs_add(&configs, &p, v) < 0)
                return CLI_USAGE;
        } else if (cli_flag(&p, "--dry-run"))
            dry = true;
        else
            return cli_parse_other(&p);
    }
    int64_t now = (int64_t)time(NULL);
    if (now_arg && cli_now_arg("retention run", retention_usage, now_arg, &now) != CLI_OK)
        return CLI_USAGE;
    struct web_config cfg;
    struct app_settings set;
    if (web_config_defaults(&cfg) < 0 || cli_configs_load(&configs, &cfg, "retention run") < 0)
        return CLI_USAGE;
    struct ufault f = {0};
    if (web_config_settings(&cfg, &set, &f) < 0) {
        cli_refuse_fault("retention run", &f);
        app_settings_free(&set); /* what it made before the setting it refused */
        return CLI_USAGE;
    }
    ulog_set_level((enum ulog_level)cfg.log_level);
    ulog_set_format((enum ulog_format)cfg.log_format);
    struct store *s = NULL;
    int rc = cli_open_store(db ? db : cfg.db, 0, &s);
    if (rc != CLI_OK) {
        app_settings_free(&set);
        return rc;
    }
    struct app_ctx c = {.db = s, .set = &set, .now = now};
    struct app_retention_counts n;
    struct app_err e;
    if (app_retention_run(&c, "cli", dry, &n, &e) != APP_OK) {
        rc =
            cli_fail("retention run", NULL, "database_error", "retention run failed: %s", n.failed);
    }
    char day[CORE_DATE_STRLEN + 1];
    core_date_format(core_date_from_unix(now), day);
    printf(
        "{\"dry_run\":%s,\"now\":\"%s\",\"periods\":{\"messages_days\":%d,\"contact_years\":%d,"
        "\"draft_days\":%d,\"evidence_years\":%d},\"removed\":{\"sessions\":%ld,"
        "\"captchas\":%ld,\"rate_windows\":%ld,\"tickets\":%ld,\"sms_codes\":%ld,\"messages\":%ld,"
        "\"contact_data\":%ld,\"logins\":%ld,\"drafts\":%ld,\"applications\":%ld,"
        "\"audit_entries\":%ld,\"certificates\":%ld}}\n",
        dry ? "true" : "false", day, set.retention.messages_days, set.retention.contact_years,
        set.retention.draft_days, set.retention.evidence_years, n.sessions, n.captchas,
        n.rate_windows, n.tickets, n.sms_codes, n.messages, n.contact_data, n.logins, n.drafts,
        n.applications, n.audit_entries, n.certificates);
    store_close(s);
    app_settings_free(&set); /* the settings hold what serve needs too (a hash gate, keys) */
    return rc;
}

int cli_cmd_retention(int argc, char **argv)
{
    static const struct cli_sub subs[] = {
        {"run", retention_run},
    };
    return cli_subcommand(argc, argv, "retention", retention_usage, subs,
                          sizeof subs / sizeof subs[0]);
}
