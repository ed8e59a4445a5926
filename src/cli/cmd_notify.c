/* eimza — `eimza notify run [--db URL] [--now YYYY-MM-DD] [--dev] [--config FILE]...` and
 * `eimza notify failed [--db URL]`, and the notification service serve shares (cmd_notify.h).
 *
 * `notify run` is one scan pass (notify/scan.h) and one drain pass of each channel that has a
 * sender, then one line of JSON on stdout:
 *   {"now":"2025-03-01T00:00:00Z","queued":{"expiry_90":N,"expiry_60":N,"expiry_30":N,
 *    "expired":N,"reminders":N,"overdue":N,"digests":N},"sent":{"sms":N,"email":N},"retried":N,"failed":N}
 * (one "expiry_D" per configured milestone; counts are messages: an e-mail and an SMS are
 * two). --now fixes the scan's clock at 00:00 UTC of that day, so a run is reproducible; the
 * drain's clock then starts there too and runs on in real time (leases and back-off need a
 * moving clock). With --dev nothing is sent: the outbox is the development outbox, as in
 * `serve --dev`. Settings come from the defaults and the --config files (serve's format and
 * keys, read in order like serve's: eimza.conf, then secrets.conf with the SMTP and SMS
 * credentials), --db and --dev over them.
 *
 * `notify failed` lists the messages the operator must look at (store_outbox_problems): failed
 * for good, or unconfirmed (handed over, then the sender stopped before the answer was
 * recorded). Recipients are masked.
 */
#include "cli/cmd_notify.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cli_config.h"
#include "core/date.h"
#include "core/personnel.h"
#include "crypto/seal.h"
#include "core/validate.h"
#include "notify/outbox.h"
#include "notify/smtp.h"
#include "notify/templates.h"
#include "util/fault.h"
#include "util/log.h"
#include "web/http/config.h"

#define NOTIFY_LEASE_EXTRA 60      /* seconds a claim is held beyond the sender's timeout */
#define NOTIFY_BATCH       10000   /* certificates or applications per scan transaction */
#define NOTIFY_RUN_MAX     1000000 /* messages one `notify run` drain pass handles at most */

struct cli_notify {
    struct notify_scan_cfg scan;
    struct notify_templates *tpl;
    struct notify_digest_to digest[NOTIFY_DIGEST_MAX];
    char portal_url[512];
    char lang[8];
    int scan_interval;
    struct notify_drain_cfg dc; /* without lease and clock: set per channel */
    struct notify_smtp *smtp;   /* NULL: e-mail is not sent */
    int smtp_timeout;
    struct notify_handover_ctx smtp_ho;
    struct notify_sms *sms; /* NULL: SMS is not sent (here) */
    int sms_timeout;
    struct notify_handover sms_ho;
    struct crypto_seal_key key; /* opens the SMS codes (secret_key, or --dev's key) */
    bool has_key;
};

/* "90,60,30" into the rules' milestones. */
static int parse_warn_days(const char *spec, struct core_rules *r, char *err, size_t errlen)
{
    r->warn_count = 0;
    for (const char *p = spec; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 1 || v > 3650 || r->warn_count >= CORE_MAX_WARNINGS) {
            snprintf(err, errlen, "warn_days: '%s' is not a list of at most %d day counts", spec,
                     CORE_MAX_WARNINGS);
            return -1;
        }
        r->warn_days[r->warn_count++] = (int)v;
        p = end;
        while (*p == ' ')
            p++;
        if (*p && *p != ',') {
            snprintf(err, errlen, "warn_days: '%s' is not a comma-separated list", spec);
            return -1;
        }
    }
    return 0;
}

void cli_notify_free(struct cli_notify *n)
{
    if (!n)
        return;
    notify_templates_free(n->tpl);
    notify_smtp_free(n->smtp);
    notify_sms_free(n->sms);
    explicit_bzero(&n->key, sizeof n->key);
    free(n);
}

/* Makes f, whose details are written, the refusal code of the setting (or group) subject. */
static void refuse(struct ufault *f, const char *subject, const char *code)
{
    f->code = code;
    snprintf(f->subject, sizeof f->subject, "%s", subject);
}

int cli_notify_new(const struct web_config *cfg, bool sms, struct cli_notify **out,
                   struct ufault *f)
{
    /* each refusal is coded, the setting (or group) as its subject and the reason as its
     * English details; only out of memory is a line of its own */
    *f = (struct ufault){0};
    char *err = f->detail;
    size_t errlen = sizeof f->detail;
    struct cli_notify *n = calloc(1, sizeof *n);
    *out = NULL;
    if (!n) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    struct core_rules *r = &n->scan.rules;
    core_rules_default(r);
    r->window_open_days = cfg->renewal_window_days;
    r->deadline_days = cfg->renewal_deadline_days;
    r->delivery_expected_days = cfg->delivery_expected_days; /* when a card is late */
    if (parse_warn_days(cfg->warn_days, r, err, errlen) < 0) {
        refuse(f, "warn_days", "setting_bad_value");
        goto fail;
    }
    const char *why = core_rules_check(r);
    if (why) {
        snprintf(err, errlen, "warn_days / renewal_*_days do not fit together (%s)", why);
        refuse(f, "warn_days", "settings_conflict");
        goto fail;
    }
    if (strncmp(cfg->portal_url, "http://", 7) && strncmp(cfg->portal_url, "https://", 8)) {
        snprintf(err, errlen, "portal_url must start with http:// or https://");
        refuse(f, "portal_url", "setting_bad_value");
        goto fail;
    }
    snprintf(n->portal_url, sizeof n->portal_url, "%s", cfg->portal_url);
    snprintf(n->lang, sizeof n->lang, "%s", cfg->notify_language);
    if (notify_templates_load_fault(cfg->templates_dir, n->lang, &n->tpl, f) < 0)
        goto fail;
    if (notify_digest_parse(cfg->digest_to, n->digest, &n->scan.ndigest, err, errlen) < 0) {
        refuse(f, "digest_to", "setting_bad_value");
        goto fail;
    }
    n->scan.digest_to = n->digest;
    n->scan.expired_days = cfg->notify_expired_days;
    n->scan.reminder_days = cfg->reminder_days;
    n->scan.portal_url = n->portal_url;
    n->scan.lang = n->lang;
    n->scan.tpl = n->tpl;
    n->scan.batch = NOTIFY_BATCH;
    /* who helps with a late card: the e-imza sorumlusu where the cards are made in house */
    n->scan.inhouse = !strcmp(cfg->production, "inhouse");
    n->scan_interval = cfg->scan_interval;
    /* the key that opens the SMS codes waiting in the outbox (crypto/seal.h): the same as
     * serve's (issue 19, finding 4) */
    if (cfg->secret_key[0]) {
        if (crypto_seal_key_parse(cfg->secret_key, &n->key) < 0) {
            snprintf(err, errlen, "secret_key: not the base64 of 32 bytes");
            refuse(f, "secret_key", "setting_bad_value");
            goto fail;
        }
        n->has_key = true;
    } else if (cfg->dev) {
        crypto_seal_key_dev(&n->key);
        n->has_key = true;
    }
    n->dc = (struct notify_drain_cfg){
        .max_tries = cfg->outbox_max_tries,
        .retry_base = cfg->outbox_retry_base,
        .retry_max = cfg->outbox_retry_max,
        .tpl = n->tpl,
        .portal_url = n->portal_url,
        .key = n->has_key ? &n->key : NULL,
    };
    if (!cfg->dev && cfg->smtp_url[0]) {
        const struct notify_smtp_cfg sc = {
            .url = cfg->smtp_url,
            .user = cfg->smtp_user,
            .password = cfg->smtp_password,
            .from = cfg->smtp_from,
            .starttls = cfg->smtp_starttls,
            .ca_file = cfg->smtp_ca_file,
            .timeout_seconds = cfg->smtp_timeout,
        };
        char e2[400];
        if (notify_smtp_new(&sc, &n->smtp, e2, sizeof e2) < 0) {
            snprintf(err, errlen, "SMTP: %s", e2);
            refuse(f, "smtp_*", "setting_bad_value");
            goto fail;
        }
        n->smtp_timeout = cfg->smtp_timeout;
    }
    if (sms && !cfg->dev && cfg->sms_gateway_url[0]) {
        const struct notify_sms_cfg gc = cli_notify_sms_cfg(cfg);
        char e2[400];
        if (notify_sms_new(&gc, &n->sms, e2, sizeof e2) < 0) {
            snprintf(err, errlen, "SMS gateway: %s", e2);
            refuse(f, "sms_gateway_*", "setting_bad_value");
            goto fail;
        }
        n->sms_timeout = cfg->sms_gateway_timeout;
    }
    *out = n;
    return 0;
fail:
    cli_notify_free(n);
    return -1;
}

struct notify_sms_cfg cli_notify_sms_cfg(const struct web_config *cfg)
{
    return (struct notify_sms_cfg){
        .url = cfg->sms_gateway_url,
        .user = cfg->sms_gateway_user,
        .password = cfg->sms_gateway_password,
        .token = cfg->sms_gateway_token,
        .body = cfg->sms_gateway_body,
        .content_type = cfg->sms_gateway_content_type,
        .timeout_seconds = cfg->sms_gateway_timeout,
    };
}

struct notify_drain_cfg cli_notify_drain_cfg(const struct cli_notify *n)
{
    return n->dc;
}

int cli_notify_scan_interval(const struct cli_notify *n)
{
    return n->scan_interval;
}

enum store_err cli_notify_scan(struct cli_notify *n, struct store *s, int64_t now,
                               struct notify_scan_stats *st)
{
    return notify_scan(s, &n->scan, now, st);
}

bool cli_notify_sends(const struct cli_notify *n, const char *channel)
{
    return !strcmp(channel, "email") ? n->smtp != NULL : !strcmp(channel, "sms") && n->sms;
}

enum store_err cli_notify_drain(struct cli_notify *n, const char *channel, struct store *s,
                                int64_t (*clock)(void), long max_per_pass, const atomic_bool *stop,
                                struct notify_drain_stats *ds)
{
    struct notify_drain_cfg dc = n->dc;
    struct notify_sender snd;
    memset(ds, 0, sizeof *ds);
    dc.now = clock;
    dc.max_per_pass = max_per_pass;
    if (!strcmp(channel, "email") && n->smtp) {
        n->smtp_ho = (struct notify_handover_ctx){.s = s, .now = clock};
        snd = notify_smtp_sender(n->smtp, &n->smtp_ho);
        dc.lease_seconds = n->smtp_timeout + NOTIFY_LEASE_EXTRA;
    } else if (!strcmp(channel, "sms") && n->sms) {
        n->sms_ho = (struct notify_handover){.inner = notify_sms_sender(n->sms),
                                             .ho = {.s = s, .now = clock}};
        snd = notify_handover_sender(&n->sms_ho);
        dc.lease_seconds = n->sms_timeout + NOTIFY_LEASE_EXTRA;
    } else {
        return STORE_OK;
    }
    return notify_drain(s, &snd, &dc, stop, ds);
}

/* ---- `eimza notify run` ------------------------------------------------------------------ */

static const char notify_usage[] =
    "usage: eimza notify run [--db URL] [--now YYYY-MM-DD] [--dev] [--config FILE]...\n"
    "       eimza notify failed [--db URL]\n"
    "       eimza notify outbox [--db URL] [--config FILE]... [--limit N]\n"
    "\n"
    "run: one pass of the expiry scan and of the outbox; prints a JSON summary of what it\n"
    "queued and sent. failed: the messages that failed for good or are unconfirmed (JSON).\n"
    "outbox: the newest N (default 50) messages as they are sent, rendered with the\n"
    "configured templates, recipients masked, SMS codes never shown (JSON).\n";

/* The drain's clock under --now: the given day's start, moving on with real time. */
static int64_t run_base, run_started;

static int64_t run_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return run_base + ((int64_t)ts.tv_sec - run_started);
}

static void iso_time(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm))
        memset(&tm, 0, sizeof tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void print_summary(int64_t now, const struct cli_notify *n,
                          const struct notify_scan_stats *ss, const struct notify_drain_stats *sms,
                          const struct notify_drain_stats *email)
{
    char t[32];
    iso_time(now, t);
    printf("{\"now\":\"%s\",\"queued\":{", t);
    for (int i = 0; i < n->scan.rules.warn_count; i++)
        printf("\"expiry_%d\":%ld,", n->scan.rules.warn_days[i], ss->warned[i]);
    printf("\"expired\":%ld,\"reminders\":%ld,\"overdue\":%ld,\"digests\":%ld},", ss->expired,
           ss->reminders, ss->overdue, ss->digests);
    printf("\"sent\":{\"sms\":%ld,\"email\":%ld},\"retried\":%ld,\"failed\":%ld}\n", sms->sent,
           email->sent, sms->retried + email->retried, sms->failed + email->failed);
    fflush(stdout);
}

/* The settings of a notify subcommand: the defaults, then the --config files, then --db and --dev
 * over them. CLI_OK, or the exit status with the reason printed. */
static int notify_settings(const char *cmd, const struct cli_configs *configs, const char *db,
                           bool dev, struct web_config *cfg)
{
    if (web_config_defaults(cfg) < 0) {
        cli_error("%s: the built-in defaults are invalid (a bug)", cmd);
        return CLI_FAIL;
    }
    if (cli_configs_load(configs, cfg, cmd) < 0 ||
        (db && cli_config_option(cfg, cmd, "--db", "db", db) < 0) ||
        (dev && cli_config_option(cfg, cmd, "--dev", "dev", "true") < 0))
        return CLI_USAGE;
    return CLI_OK;
}

static int notify_run(int argc, char **argv)
{
    const char *db = NULL, *now_arg = NULL;
    struct cli_configs configs = {0};
    bool dev = false;
    struct cli_parse p;
    const char *v;
    cli_parse_begin(&p, argc, argv, 1, "notify run", notify_usage);
    while (cli_parse_next(&p)) {
        if ((v = cli_opt(&p, "--db")))
            db = v;
        else if ((v = cli_opt(&p, "--now")))
            now_arg = v;
        else if ((v = cli_opt_many(&p, "--config"))) {
            if (cli_configs_add(&configs, &p, v) < 0)
                return CLI_USAGE;
        } else if (cli_flag(&p, "--dev"))
            dev = true;
        else
            return cli_parse_other(&p);
    }
    int64_t now = (int64_t)time(NULL);
    if (now_arg && cli_now_arg("notify run", notify_usage, now_arg, &now) != CLI_OK)
        return CLI_USAGE;
    struct web_config cfg;
    int rc = notify_settings("notify run", &configs, db, dev, &cfg);
    if (rc != CLI_OK)
        return rc;
    ulog_set_level((enum ulog_level)cfg.log_level);
    ulog_set_format((enum ulog_format)cfg.log_format);

    struct cli_notify *n = NULL;
    struct store *s = NULL;
    struct ufault f;
    if (cli_notify_new(&cfg, true, &n, &f) < 0)
        return cli_refuse_fault("notify run", &f);
    if ((rc = cli_open_store(cfg.db, 0, &s)) != CLI_OK)
        goto out;
    struct notify_scan_stats ss = {0};
    struct notify_drain_stats sms = {0}, email = {0};
    enum store_err e = cli_notify_scan(n, s, now, &ss);
    if (e != STORE_OK) {
        rc = cli_fail("notify run", NULL, "database_error", "the scan failed: %s",
                      store_last_error(s));
        goto out;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    run_base = now_arg ? now : (int64_t)time(NULL);
    run_started = (int64_t)ts.tv_sec;
    if (!cfg.dev) {
        if (!cfg.secret_key[0])
            ulog(ULOG_WARN, "config.secret_key",
                 "no secret_key is set: SMS codes waiting in the outbox are left for a server "
                 "that has it, until they expire; give notify run the server's secret_key in "
                 "secrets.conf");
        e = cli_notify_drain(n, "sms", s, run_clock, NOTIFY_RUN_MAX, NULL, &sms);
        if (e == STORE_OK)
            e = cli_notify_drain(n, "email", s, run_clock, NOTIFY_RUN_MAX, NULL, &email);
    }
    print_summary(now, n, &ss, &sms, &email);
    if (e != STORE_OK) {
        rc = cli_fail("notify run", NULL, "database_error", "delivering the outbox failed: %s",
                      store_last_error(s));
        goto out;
    }
    rc = CLI_OK;
out:
    if (s)
        store_close(s);
    cli_notify_free(n);
    return rc;
}

/* ---- `eimza notify failed` --------------------------------------------------------------- */

struct problems {
    json_t *list;
    bool nomem;
};

static json_t *time_or_null(int64_t t)
{
    char s[32];
    if (t <= 0)
        return json_null();
    iso_time(t, s);
    return json_string(s);
}

/* A recipient as the command's output may show it. */
static void mask_to(const char *channel, const char *recipient, char *to, size_t tolen)
{
    if (!strcmp(channel, "sms")) {
        char ph[CORE_PHONE_LEN + 1];
        core_phone_mask(recipient, ph);
        snprintf(to, tolen, "%s", ph);
    } else {
        core_email_mask(recipient, to, tolen);
    }
}

static int add_problem(void *ctx, const struct store_outbox_problem *m)
{
    struct problems *p = ctx;
    char to[CORE_EMAIL_MAX + 4];
    mask_to(m->channel, m->recipient, to, sizeof to);
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:s, s:s*, s:s?, s:s, s:s, s:i, s:o, s:o}", "id",
                  (json_int_t)m->id, "channel", m->channel, "to", to, "subject", m->subject,
                  "template", m->tpl, "dedupe_key", m->dedupe_key, "status", m->status, "error",
                  m->last_error, "attempts", m->attempts, "created_at", time_or_null(m->created_at),
                  "handed_over_at", time_or_null(m->handed_over_at));
    if (!o || json_array_append_new(p->list, o) < 0) {
        p->nomem = true;
        return 1;
    }
    return 0;
}

/* Prints list as one JSON line once the store walk that filled it returned e: CLI_OK, or
 * CLI_FAIL with the reason printed (the database's error under what, or out of memory). */
static int notify_print(const char *what, struct store *s, enum store_err e, const json_t *list,
                        bool nomem)
{
    char *text = NULL;
    if (e != STORE_OK)
        return cli_fail(what, NULL, "database_error", "%s", store_last_error(s));
    if (nomem || !(text = json_dumps(list, JSON_COMPACT))) {
        cli_error("out of memory");
        return CLI_FAIL;
    }
    printf("%s\n", text);
    free(text);
    return CLI_OK;
}

static int notify_failed(int argc, char **argv)
{
    static const char usage[] = "usage: eimza notify failed [--db URL]\n";
    const char *db = NULL;
    int npos = 0;
    int rc = cli_args(argc, argv, "notify failed", usage, NULL, 0, &npos, &db);
    if (rc >= 0)
        return rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(db, 0, &s)) != CLI_OK)
        return rc;
    struct problems p = {.list = json_array()};
    rc = CLI_FAIL;
    if (!p.list) {
        cli_error("out of memory");
        goto out;
    }
    rc = notify_print("notify failed", s,
                      store_outbox_problems(s, (int64_t)time(NULL), add_problem, &p), p.list,
                      p.nomem);
out:
    json_decref(p.list);
    store_close(s);
    return rc;
}

/* ---- `eimza notify outbox` --------------------------------------------------------------- */

#define OUTBOX_LIST_DEFAULT 50
#define OUTBOX_LIST_MAX     10000

struct outbox_list {
    const struct cli_notify *n;
    json_t *list;
    bool nomem;
};

static int add_outbox(void *ctx, const struct store_outbox_msg *m)
{
    struct outbox_list *l = ctx;
    char to[CORE_EMAIL_MAX + 4];
    mask_to(m->channel, m->recipient, to, sizeof to);
    /* an operator's list: an SMS code never shows here (NULL: "******") */
    json_t *o = notify_outbox_json(l->n->tpl, l->n->portal_url, NULL, 0, m, to);
    if (!o || json_object_set_new(o, "id", json_integer((json_int_t)m->id)) < 0 ||
        json_object_set_new(o, "status", json_string(m->status ? m->status : "")) < 0 ||
        json_object_set_new(o, "dedupe_key",
                            m->dedupe_key ? json_string(m->dedupe_key) : json_null()) < 0 ||
        json_array_append_new(l->list, o) < 0) {
        l->nomem = true;
        return 1;
    }
    return 0;
}

static int notify_outbox(int argc, char **argv)
{
    const char *db = NULL, *limit_arg = NULL;
    struct cli_configs configs = {0};
    struct cli_parse p;
    const char *v;
    cli_parse_begin(&p, argc, argv, 1, "notify outbox", notify_usage);
    while (cli_parse_next(&p)) {
        if ((v = cli_opt(&p, "--db")))
            db = v;
        else if ((v = cli_opt_many(&p, "--config"))) {
            if (cli_configs_add(&configs, &p, v) < 0)
                return CLI_USAGE;
        } else if ((v = cli_opt(&p, "--limit")))
            limit_arg = v;
        else
            return cli_parse_other(&p);
    }
    long limit = OUTBOX_LIST_DEFAULT;
    if (limit_arg) {
        char *end;
        limit = strtol(limit_arg, &end, 10);
        if (end == limit_arg || *end || limit < 1 || limit > OUTBOX_LIST_MAX)
            return cli_usage_errorf("notify outbox", "--limit", "number_out_of_range", notify_usage,
                                    "--limit wants a number from 1 to %d, not '%s'",
                                    OUTBOX_LIST_MAX, limit_arg);
    }
    struct web_config cfg;
    /* --dev: only the templates are wanted, no sender is made */
    int rc = notify_settings("notify outbox", &configs, db, true, &cfg);
    if (rc != CLI_OK)
        return rc;
    struct cli_notify *n = NULL;
    struct store *s = NULL;
    struct outbox_list l = {.list = json_array()};
    struct ufault f;
    if (cli_notify_new(&cfg, false, &n, &f) < 0) {
        cli_refuse_fault("notify outbox", &f);
        json_decref(l.list);
        return CLI_USAGE;
    }
    l.n = n;
    if ((rc = cli_open_store(cfg.db, 0, &s)) != CLI_OK)
        goto out;
    rc = CLI_FAIL;
    if (!l.list) {
        cli_error("out of memory");
        goto out;
    }
    rc = notify_print("notify outbox", s, store_outbox_each(s, limit, add_outbox, &l), l.list,
                      l.nomem);
out:
    json_decref(l.list);
    if (s)
        store_close(s);
    cli_notify_free(n);
    return rc;
}

int cli_cmd_notify(int argc, char **argv)
{
    static const struct cli_sub subs[] = {
        {"run", notify_run},
        {"failed", notify_failed},
        {"outbox", notify_outbox},
    };
    return cli_subcommand(argc, argv, "notify", notify_usage, subs, sizeof subs / sizeof subs[0]);
}
