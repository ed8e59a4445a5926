/* eimza — `eimza serve [--config FILE]... [--listen HOST:PORT] [--db URL] [--trust-dir DIR]
 * [--dev] [--check]`: the web server (web/http/server.h does the serving); --check only checks the
 * settings (serve_check).
 *
 * Settings come from the defaults, then the --config files in order (cli_config.h), then the
 * command-line options, each overriding the one before; every value goes through
 * web/http/config.c's table, so a bad one is refused the same way wherever it comes from. Checks
 * that need nothing running come first (usage errors exit 1): the settings, the trust
 * directory, the static files (an installed eimza finds its own), the listen address (which
 * --dev restricts to loopback). Then the database, whose schema must be current (exit 2
 * otherwise), then the server. One line on stdout tells scripts it is ready. SIGTERM or
 * SIGINT stops it gracefully: no new connections, requests in flight finish (up to
 * shutdown_timeout seconds; a second signal cuts the wait short), then everything closes
 * and the exit status is 0. Signals are taken with sigwait() in this thread, blocked in all
 * others, so no work ever runs in a signal handler.
 *
 * HTTPS (tls_cert and tls_key): SIGHUP loads the certificate and key again at once, and every
 * tls_reload_check seconds this thread looks whether either file changed and loads a changed
 * pair; a pair that does not load is logged and the one in use stays (web/http/tls.h).
 *
 * Outside --dev one more thread delivers the outbox's SMS messages through the configured
 * gateway (notify/notify.h): a drain pass every outbox_interval seconds on its own database
 * connection. It is stopped after the web server (whose handlers queue messages) and before
 * its connection closes; a send in flight is finished, not cut. In --dev nothing is sent: the
 * outbox table is the development outbox (/dev/outbox).
 *
 * Notifications (cmd_notify.h): the same thread also drains the e-mail through the SMTP server
 * (outside --dev, when smtp_url is set) and runs the expiry scan every scan_interval seconds,
 * in --dev too (its messages then wait in the development outbox). The first scan runs before
 * the server listens, so what it queues is in the outbox before any request can add to it.
 * Both senders record the hand-over of each message (notify/smtp.h), so a server killed
 * half-way never sends a message twice once the gateway may have accepted it.
 *
 * The retention of personal data (app/retention.h) runs in a thread of its own, at start-up
 * and every retention_interval seconds, so that a long run never holds up the SMS codes.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_config.h" /* several --config files, the installed data folder */
#include "cli/cmd_notify.h" /* notifications: the scan and the e-mail sender */
#include "notify/smtp.h"    /* notifications: the hand-over mark */
#include "crypto/cms_verify.h"
#include "notify/notify.h"
#include "util/buf.h"
#include "util/fault.h"
#include "util/log.h"
#include "app/context.h"
#include "app/db.h"
#include "app/ops.h"
#include "app/retention.h"
#include "app/status_cache.h"
#include "notify/templates.h"
#include "store/store.h"
#include "web/html/escape.h"
#include "web/http/config.h"
#include "web/http/server.h"
#include "web/http/static.h"
#include "web/routes.h"

static void serve_usage(FILE *f)
{
    fprintf(
        f, "usage: eimza serve [--config FILE]... [--listen HOST:PORT] [--db URL] "
           "[--trust-dir DIR] [--dev] [--check]\n"
           "\n"
           "--check validates the settings and the files they name, starts nothing (exit 0 or 1).\n"
           "Command-line options override the --config files (each over the one before),\n"
           "which override the defaults.\n"
           "The file holds 'key = value' lines ('#' starts a comment line); its keys:\n");
    web_config_print_help(f);
}

static void serve_dev_banner(const struct web_config *cfg)
{
    if (cfg->log_format == ULOG_JSON) { /* a log collector wants every line as JSON */
        ulog(ULOG_WARN, "serve.dev_mode",
             "detail=\"DEVELOPMENT MODE (--dev): NEVER USE THIS WITH REAL PEOPLE'S DATA; "
             "loopback only; SMS and e-mail go to the development outbox; captcha answers are "
             "shown\"");
        return;
    }
    fputs("eimza: **********************************************************************\n"
          "eimza: *  DEVELOPMENT MODE (--dev): NEVER USE THIS WITH REAL PEOPLE'S DATA  *\n"
          "eimza: *  loopback only; SMS and e-mail go to the development outbox        *\n"
          "eimza: *  (/dev/outbox); captcha answers are shown at /dev/captcha/{id}     *\n"
          "eimza: **********************************************************************\n",
          stderr);
}

/* The trust directory must exist and be readable now, not when the first signature arrives. */
/* A start-up refusal of serve: "serve: SUBJECT: CODE: <Turkish>" then the English detail;
 * CLI_USAGE (the settings or the command line are to be mended). */
static int serve_refuse(const char *subject, const char *code, const char *detail)
{
    struct ufault f = {.code = code};
    snprintf(f.subject, sizeof f.subject, "%s", subject);
    snprintf(f.detail, sizeof f.detail, "%s", detail);
    return cli_refuse_fault("serve", &f);
}

/* The e-signature verifier (crypto/cms_verify.h) from the trust directory and the signature
 * settings. The trust directory given (--trust-dir or trust_dir) must exist; without one,
 * trust/ of the working directory (the project's shipped Kamu SM roots) is used when present.
 * *out stays NULL, with a warning, when there are no anchors at all: signatures are then
 * refused with 503 verification_unavailable. Returns 0, or -1 with a message printed. */
static int serve_verifier(const struct web_config *cfg, struct crypto_verifier **out)
{
    struct stat st;
    const char *dir = cfg->trust_dir[0] ? cfg->trust_dir : NULL;
    char pol[sizeof cfg->signature_policies], err[256];
    const char *policies[16];
    size_t npol = 0;
    *out = NULL;
    char installed[PATH_MAX];
    if (!dir && stat("trust", &st) == 0 && S_ISDIR(st.st_mode))
        dir = "trust";
    if (!dir && cli_datadir("trust", installed, sizeof installed) == 0)
        dir = installed; /* an installed eimza's shipped roots */
    if (!dir) {
        ulog(ULOG_WARN, "serve.trust",
             "no trust directory: e-signatures cannot be checked (set trust_dir)");
        return 0;
    }
    snprintf(pol, sizeof pol, "%s", cfg->signature_policies);
    npol = cli_split_list(pol, policies, sizeof policies / sizeof policies[0]);
    const struct crypto_verifier_opts o = {
        .trust_dirs = &dir,
        .ntrust_dirs = 1,
        .policies = npol ? policies : NULL,
        .npolicies = npol,
        .allow_unknown_revocation = cfg->accept_unknown_revocation,
        .revocation_timeout_ms = cfg->revocation_timeout_ms,
    };
    if (crypto_verifier_new(&o, out, err, sizeof err) < 0) {
        serve_refuse(dir, "trust_anchors_bad", err);
        return -1;
    }
    ulog(ULOG_INFO, "serve.trust", "dir=%s policies=%zu unknown_revocation=%s", dir, npol,
         cfg->accept_unknown_revocation ? "accept" : "refuse");
    return 0;
}

/* Every start is on the audit log with the settings that differ from the defaults (secrets
 * only as "(set)"), so a change of configuration is on record with the time it took effect.
 * 0, or -1 with a message. */
static int serve_audit_config(struct store *st, const struct web_config *cfg, const char *file)
{
    struct ubuf b = UBUF_INIT(64 * 1024);
    int rc = -1;
    if (web_config_changes(cfg, &b) < 0) {
        cli_error("the settings do not fit the audit entry");
        goto out;
    }
    const struct store_audit_entry e = {
        .at = (int64_t)time(NULL),
        .actor = "serve",
        .action = "config.start",
        .object = file ? file : "",
        .detail = ubuf_str(&b),
    };
    if (store_audit_append(st, &e) != STORE_OK) {
        cli_fail("serve", NULL, "database_error", "cannot write the audit log: %s",
                 store_last_error(st));
        goto out;
    }
    rc = 0;
out:
    ubuf_free(&b);
    return rc;
}

/* The pages' static files (web/http/static.h) from the static_dir setting. Left at its default
 * ("static": the source tree's, where make run and the tests start the server), an installed
 * eimza started elsewhere takes its own (cli_datadir); with neither, the pages go without
 * their CSS and scripts, with a warning. A folder that cannot be read is a usage error. */
static int serve_static(const struct web_config *cfg)
{
    char installed[PATH_MAX], err[1200];
    struct stat st;
    const char *dir = cfg->static_dir;
    if (!strcmp(dir, "static") && stat(dir, &st) != 0) {
        if (cli_datadir("static", installed, sizeof installed) != 0) {
            ulog(ULOG_WARN, "serve.static", "detail=\"no static/ here and none installed\"");
            return 0;
        }
        dir = installed;
    }
    if (web_static_configure(dir, err, sizeof err) < 0) {
        serve_refuse(dir, "static_dir_bad", err);
        return -1;
    }
    ulog(ULOG_DEBUG, "serve.static", "dir=%s", dir);
    return 0;
}

/* The trust anchors' folder (trust_dir, --trust-dir) must be a folder that can be read; else
 * the refusal trust_dir_bad, its subject the folder. */
static int serve_check_dir(const char *dir)
{
    struct stat st;
    struct ufault f = {.code = "trust_dir_bad"};
    ufault_subject(&f, "%s", dir);
    if (stat(dir, &st) != 0)
        snprintf(f.detail, sizeof f.detail, "trust_dir: %s", strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        snprintf(f.detail, sizeof f.detail, "trust_dir: not a directory");
    else if (access(dir, R_OK | X_OK) != 0)
        snprintf(f.detail, sizeof f.detail, "trust_dir: not readable: %s", strerror(errno));
    else
        return 0;
    cli_refuse_fault("serve", &f);
    return -1;
}

/* Waits for requests in flight, at most timeout_s seconds; another signal ends the wait.
 * True when none was left. */
static bool serve_drain(struct web_server *srv, const sigset_t *sigs, int timeout_s)
{
    const struct timespec now = {0, 0};
    for (int waited = 0;; waited += 100) {
        if (web_server_drain(srv, 100))
            return true;
        if (sigtimedwait(sigs, NULL, &now) > 0) {
            ulog(ULOG_WARN, "server.drain_cut", "reason=second_signal");
            return false;
        }
        if (waited >= timeout_s * 1000) {
            ulog(ULOG_WARN, "server.drain_timeout", "seconds=%d", timeout_s);
            return false;
        }
    }
}

/* ---- a background thread that runs a pass now and then --------------------------------- */

/* The outbox sender and the retention each run on a thread of their own: a pass, then a pause
 * that stopping cuts short. */
struct serve_loop {
    pthread_t thread;
    bool running;
    pthread_mutex_t mu;
    pthread_cond_t wake; /* cuts the pause between two passes short at stop */
    atomic_bool stop;
};

/* The pause: seconds on the monotonic clock, or until serve_loop_stop. */
static void serve_loop_pause(struct serve_loop *l, int seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += seconds;
    pthread_mutex_lock(&l->mu);
    while (!atomic_load(&l->stop) && pthread_cond_timedwait(&l->wake, &l->mu, &until) != ETIMEDOUT)
        ;
    pthread_mutex_unlock(&l->mu);
}

/* Starts run(arg) on the loop's thread. Returns 0, or -1 with the reason printed under what
 * ("outbox: cannot start the sender thread: ..."; thread names it). */
static int serve_loop_start(struct serve_loop *l, void *(*run)(void *), void *arg, const char *what,
                            const char *thread)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&l->wake, &ca);
    pthread_condattr_destroy(&ca);
    if (rc != 0) {
        cli_error("%s: cannot make a condition variable", what);
        return -1;
    }
    pthread_mutex_init(&l->mu, NULL);
    atomic_store(&l->stop, false);
    if ((rc = pthread_create(&l->thread, NULL, run, arg)) != 0) {
        cli_error("%s: cannot start %s: %s", what, thread, strerror(rc));
        pthread_cond_destroy(&l->wake);
        pthread_mutex_destroy(&l->mu);
        return -1;
    }
    l->running = true;
    return 0;
}

/* Stops the thread, waiting for the pass in progress. False when it was not running. */
static bool serve_loop_stop(struct serve_loop *l)
{
    if (!l->running)
        return false;
    pthread_mutex_lock(&l->mu);
    atomic_store(&l->stop, true);
    pthread_cond_signal(&l->wake);
    pthread_mutex_unlock(&l->mu);
    pthread_join(l->thread, NULL);
    pthread_cond_destroy(&l->wake);
    pthread_mutex_destroy(&l->mu);
    l->running = false;
    return true;
}

/* ---- the outbox sender ------------------------------------------------------------------- */

#define SERVE_OUTBOX_PER_PASS 100 /* messages per pass: the stop flag is seen between them */
#define SERVE_OUTBOX_LEASE    60  /* seconds a claimed message is held beyond the send timeout */

struct serve_outbox {
    struct serve_loop loop;
    const char *db;   /* the URL, to reconnect after the connection was lost */
    struct store *st; /* this thread's own connection (NULL while lost) */
    struct notify_sms *gw;
    struct notify_drain_cfg dc;
    int interval;
    /* notifications (cmd_notify.h): the scan, and e-mail outside --dev */
    struct cli_notify *nt;
    struct notify_handover sms_ho; /* the SMS gateway's sender, recording the hand-over */
    int64_t next_scan;             /* when the next scan is due (Unix seconds); 0: never */
    /* for /readyz (web_server_watch): when the current or last pass began and ended */
    _Atomic int64_t pass_start, pass_end;
    atomic_bool busy;
};

/* A pass that runs longer than this is taken as stuck (a scan of a million certificates takes
 * seconds; a hundred messages whose gateway times out each, minutes). */
#define SERVE_PASS_LIMIT 900

/* /readyz asks: is the sender working? It is while a pass runs for less than the limit, or
 * the last one ended within three pauses and a minute. */
static bool serve_outbox_alive(void *ctx, const char **why)
{
    struct serve_outbox *o = ctx;
    int64_t now = (int64_t)time(NULL);
    bool ok = atomic_load(&o->busy) ? now - atomic_load(&o->pass_start) <= SERVE_PASS_LIMIT
                                    : now - atomic_load(&o->pass_end) <= 3 * o->interval + 60;
    *why = ok ? NULL : "stalled";
    return ok;
}

static void serve_outbox_log_error(struct serve_outbox *o)
{
    char detail[300];
    web_log_text(detail, sizeof detail, store_last_error(o->st));
    ulog(ULOG_ERROR, "outbox.pass_failed", "detail=\"%s\"", detail);
    if (store_ping(o->st) != STORE_OK) { /* the connection is gone: a new one next pass */
        store_close(o->st);
        o->st = NULL;
    }
}

/* notifications: the scan when it is due (errors are logged by the scan itself) */
static void serve_notify_scan(struct serve_outbox *o)
{
    int64_t now = (int64_t)time(NULL);
    if (!o->nt || !o->next_scan || now < o->next_scan || !o->st)
        return;
    if (cli_notify_scan(o->nt, o->st, now, NULL) != STORE_OK)
        serve_outbox_log_error(o);
    o->next_scan = now + cli_notify_scan_interval(o->nt);
}

static void *serve_outbox_main(void *arg)
{
    struct serve_outbox *o = arg;
    while (!atomic_load(&o->loop.stop)) {
        struct notify_drain_stats ds = {0}, es = {0};
        atomic_store(&o->pass_start, (int64_t)time(NULL));
        atomic_store(&o->busy, true);
        if (!o->st) {
            char err[600], detail[300];
            if (store_open(o->db, &o->st, err, sizeof err) != STORE_OK) {
                web_log_text(detail, sizeof detail, err); /* store_open names no secret */
                ulog(ULOG_ERROR, "outbox.db_unavailable", "detail=\"%s\"", detail);
            }
        }
        serve_notify_scan(o);
        if (o->gw && o->st) {
            o->sms_ho =
                (struct notify_handover){.inner = notify_sms_sender(o->gw), .ho = {.s = o->st}};
            const struct notify_sender snd = notify_handover_sender(&o->sms_ho);
            if (notify_drain(o->st, &snd, &o->dc, &o->loop.stop, &ds) != STORE_OK)
                serve_outbox_log_error(o);
        }
        if (o->nt && o->st &&
            cli_notify_drain(o->nt, "email", o->st, NULL, SERVE_OUTBOX_PER_PASS, &o->loop.stop,
                             &es) != STORE_OK)
            serve_outbox_log_error(o);
        if (ds.claimed || es.claimed)
            ulog(ULOG_DEBUG, "outbox.pass", "sent=%ld retried=%ld failed=%ld lost=%ld",
                 ds.sent + es.sent, ds.retried + es.retried, ds.failed + es.failed,
                 ds.lost + es.lost);
        atomic_store(&o->pass_end, (int64_t)time(NULL));
        atomic_store(&o->busy, false);
        if (ds.claimed >= SERVE_OUTBOX_PER_PASS || es.claimed >= SERVE_OUTBOX_PER_PASS)
            continue; /* more may be due: no pause */
        serve_loop_pause(&o->loop, o->interval);
    }
    return NULL;
}

/* Checks the gateway's settings and makes its client, before anything runs: a bad setting is
 * a usage error. Returns 0 (also when nothing is to be sent: --dev, or no gateway URL, which
 * is worth a warning), or -1 with the reason printed. */
static int serve_outbox_prepare(struct serve_outbox *o, const struct web_config *cfg)
{
    /* notifications: the scan's settings and templates, and the SMTP sender outside --dev */
    struct ufault f;
    if (cli_notify_new(cfg, false, &o->nt, &f) < 0) {
        cli_refuse_fault("serve", &f);
        return -1;
    }
    o->db = cfg->db;
    o->interval = cfg->outbox_interval;
    o->dc = cli_notify_drain_cfg(o->nt);
    o->dc.lease_seconds = cfg->sms_gateway_timeout + SERVE_OUTBOX_LEASE;
    o->dc.max_per_pass = SERVE_OUTBOX_PER_PASS;
    if (!cfg->dev && !cfg->smtp_url[0])
        ulog(ULOG_WARN, "outbox.no_smtp",
             "detail=\"smtp_url is not set: e-mail messages wait in the outbox\"");
    if (cfg->dev) {
        if (cfg->sms_gateway_url[0])
            ulog(ULOG_INFO, "outbox.dev", "detail=\"--dev: the SMS gateway is not used\"");
        return 0;
    }
    if (!cfg->sms_gateway_url[0]) {
        ulog(ULOG_WARN, "outbox.no_gateway",
             "detail=\"sms_gateway_url is not set: SMS messages wait in the outbox\"");
        return 0;
    }
    const struct notify_sms_cfg gc = cli_notify_sms_cfg(cfg);
    char err[600];
    if (notify_sms_new(&gc, &o->gw, err, sizeof err) < 0) {
        cli_error("SMS gateway: %s", err);
        cli_notify_free(o->nt); /* notifications */
        o->nt = NULL;
        return -1;
    }
    return 0;
}

/* Frees what the sender holds: its connection, the gateway's client, the notifications. */
static void serve_outbox_release(struct serve_outbox *o)
{
    if (o->st)
        store_close(o->st);
    o->st = NULL;
    notify_sms_free(o->gw);
    o->gw = NULL;
    cli_notify_free(o->nt);
    o->nt = NULL;
}

/* Starts the sender thread with its own connection, when serve_outbox_prepare made a client.
 * Returns 0, or -1 with the reason printed (everything o held is then freed). */
static int serve_outbox_start(struct serve_outbox *o)
{
    bool email = o->nt && cli_notify_sends(o->nt, "email");
    int scan = o->nt ? cli_notify_scan_interval(o->nt) : 0;
    if (!o->gw && !email && !scan)
        return 0;
    if (cli_open_store(o->db, 0, &o->st) != CLI_OK)
        goto fail;
    if (scan) { /* the first scan now, before anything else can queue */
        o->next_scan = (int64_t)time(NULL);
        serve_notify_scan(o);
    }
    atomic_store(&o->pass_end, (int64_t)time(NULL));
    if (serve_loop_start(&o->loop, serve_outbox_main, o, "outbox", "the sender thread") < 0)
        goto fail;
    if (o->gw)
        ulog(ULOG_INFO, "outbox.start", "channel=sms interval=%d max_tries=%d", o->interval,
             o->dc.max_tries);
    if (email)
        ulog(ULOG_INFO, "outbox.start", "channel=email interval=%d max_tries=%d", o->interval,
             o->dc.max_tries);
    if (scan)
        ulog(ULOG_INFO, "notify.start", "scan_interval=%d", scan);
    return 0;
fail:
    serve_outbox_release(o);
    return -1;
}

/* Stops the thread (waiting for a send in flight) and frees what it used. Safe to call when
 * it never started. */
static void serve_outbox_stop(struct serve_outbox *o)
{
    if (serve_loop_stop(&o->loop))
        ulog(ULOG_INFO, "outbox.stopped", "channel=sms");
    serve_outbox_release(o);
}

/* ---- the retention of personal data ------------------------------------------------------
 * Its own thread with its own connection, so that a long run (the first one over years of
 * data) never holds up the outbox's SMS codes: one run at start-up, then every
 * retention_interval seconds (app/retention.h). A run is not cut short: stopping waits for the
 * one in progress (each of its batches is a transaction of its own, so a kill loses nothing
 * but the rest of the run). */
struct serve_keeper {
    struct serve_loop loop;
    const char *db;                 /* the URL, to reconnect after the connection was lost */
    const struct app_settings *set; /* the periods */
    int interval;                   /* seconds; 0: none */
    struct store *st;               /* this thread's own connection (NULL while lost) */
};

static void serve_keeper_run(struct serve_keeper *k)
{
    char err[600], detail[300];
    if (!k->st && store_open(k->db, &k->st, err, sizeof err) != STORE_OK) {
        web_log_text(detail, sizeof detail, err); /* store_open names no secret */
        ulog(ULOG_ERROR, "retention.db_unavailable", "detail=\"%s\"", detail);
        return;
    }
    struct app_ctx c = {.db = k->st, .set = k->set, .now = (int64_t)time(NULL)};
    struct app_retention_counts n;
    struct app_err e;
    if (app_retention_run(&c, "serve", false, &n, &e) != APP_OK &&
        store_ping(k->st) != STORE_OK) { /* logged by the use case; a new connection next time */
        store_close(k->st);
        k->st = NULL;
    }
}

static void *serve_keeper_main(void *arg)
{
    struct serve_keeper *k = arg;
    while (!atomic_load(&k->loop.stop)) {
        serve_keeper_run(k);
        serve_loop_pause(&k->loop, k->interval);
    }
    return NULL;
}

/* Starts the thread unless retention_interval is 0. Returns 0, or -1 with the reason printed. */
static int serve_keeper_start(struct serve_keeper *k, const struct web_config *cfg,
                              const struct app_settings *set)
{
    k->db = cfg->db;
    k->set = set;
    k->interval = cfg->retention_interval;
    if (!k->interval)
        return 0;
    if (serve_loop_start(&k->loop, serve_keeper_main, k, "retention", "its thread") < 0)
        return -1;
    ulog(ULOG_INFO, "retention.start", "interval=%d", k->interval);
    return 0;
}

/* Stops the thread (after a run in progress) and closes its connection. Safe when it never
 * started. */
static void serve_keeper_stop(struct serve_keeper *k)
{
    (void)serve_loop_stop(&k->loop);
    if (k->st)
        store_close(k->st);
    k->st = NULL;
}

/* ---- the run, step by step --------------------------------------------------------------- */

/* What one run of `eimza serve` holds, made step by step and let go in reverse. */
struct serve_run {
    struct cli_configs configs; /* the --config files, in order */
    char config_names[1024];    /* their names, for the audit log */
    const char *listen_addr, *db, *trust;
    bool dev;
    bool check; /* --check: the settings are checked, nothing is started */
    struct web_config cfg;
    struct app_settings set; /* the use cases' settings, hung on the server */
    struct serve_outbox outbox;
    struct serve_keeper keeper; /* the retention's thread */
    int fd;
    struct store *st;
    int schema;
    struct web_server *srv;
    sigset_t sigs, waits, oldmask; /* sigs: the stopping ones; waits: those and SIGHUP */
    struct sigaction oldpipe;
    bool signals_set;
    char err[1600];
};

/* The command line. -1 to go on; otherwise the exit status (CLI_OK after --help). */
static int serve_args(struct serve_run *r, int argc, char **argv)
{
    struct cli_parse p;
    const char *v;
    cli_parse_begin(&p, argc, argv, 1, "serve", NULL);
    p.print_usage = serve_usage;
    while (cli_parse_next(&p)) {
        if ((v = cli_opt_many(&p, "--config"))) {
            if (cli_configs_add(&r->configs, &p, v) < 0)
                return CLI_USAGE;
        } else if ((v = cli_opt(&p, "--listen")))
            r->listen_addr = v;
        else if ((v = cli_opt(&p, "--db")))
            r->db = v;
        else if ((v = cli_opt(&p, "--trust-dir")))
            r->trust = v;
        else if (cli_flag(&p, "--dev"))
            r->dev = true;
        else if (cli_flag(&p, "--check"))
            r->check = true;
        else
            return cli_parse_other(&p);
    }
    return -1;
}

/* The settings: the defaults, then the --config files, then the options, each over the one
 * before; then the log level, the trust directory and the static files. -1 to go on, else the
 * exit status. */
static int serve_settings(struct serve_run *r)
{
    if (web_config_defaults(&r->cfg) < 0) {
        cli_error("serve: the built-in defaults are invalid (a bug)");
        return CLI_FAIL;
    }
    if (cli_configs_load(&r->configs, &r->cfg, "serve") < 0)
        return CLI_USAGE;
    cli_configs_names(&r->configs, r->config_names, sizeof r->config_names);
    const struct {
        const char *opt, *key, *value;
    } overrides[] = {{"--listen", "listen", r->listen_addr},
                     {"--db", "db", r->db},
                     {"--trust-dir", "trust_dir", r->trust},
                     {"--dev", "dev", r->dev ? "true" : NULL}};
    for (size_t i = 0; i < sizeof overrides / sizeof overrides[0]; i++)
        if (overrides[i].value && cli_config_option(&r->cfg, "serve", overrides[i].opt,
                                                    overrides[i].key, overrides[i].value) < 0)
            return CLI_USAGE;
    ulog_set_level((enum ulog_level)r->cfg.log_level);
    ulog_set_format((enum ulog_format)r->cfg.log_format);
    if (r->cfg.trust_dir[0] && serve_check_dir(r->cfg.trust_dir) < 0)
        return CLI_USAGE;
    if (serve_static(&r->cfg) < 0)
        return CLI_USAGE;
    return -1;
}

/* The use cases' settings on the server object: the portal's and the staff login's rules, the
 * e-signature verifier, the message templates (for the outbox views) and the status cache;
 * and the outbox sender's settings. -1 to go on, else the exit status. */
static int serve_app_settings(struct serve_run *r)
{
    struct ufault f = {0};
    if (web_config_settings(&r->cfg, &r->set, &f) < 0)
        return cli_refuse_fault("serve", &f);
    /* secrets at rest need the key (issue 19, finding 8; docs/SECURITY.md) */
    if (!r->set.seal_key)
        ulog(ULOG_WARN, "config.secret_key",
             "no secret_key is set: staff cannot enrol a second factor and SMS codes cannot be "
             "sent; add one to secrets.conf (head -c 32 /dev/urandom | base64)");
    else if (!r->cfg.secret_key[0])
        ulog(ULOG_WARN, "config.secret_key",
             "--dev without a secret_key: secrets are sealed with the published development key");
    if (serve_outbox_prepare(&r->outbox, &r->cfg) < 0)
        return CLI_USAGE;
    if (serve_verifier(&r->cfg, &r->set.portal.verifier) < 0)
        return CLI_USAGE;
    if (notify_templates_load_fault(r->cfg.templates_dir, r->cfg.notify_language, &r->set.templates,
                                    &f) < 0)
        return cli_refuse_fault("serve", &f);
    r->set.counters = app_counters_new();
    if (!r->set.counters) {
        cli_error("the counters: out of memory");
        return CLI_FAIL;
    }
    /* Several servers share a PostgreSQL database, and no server can know without asking the
     * database that another one changed a session or an application (a notification from
     * the database arrives a moment after the commit, and the moment is not bounded): a kept
     * answer could show a stale state or let a token logged out elsewhere in. So on
     * PostgreSQL every status is read afresh (one statement); on SQLite, one server's own
     * database, the cache stays (docs/ARCHITECTURE.md, "Several servers"). */
    bool shared =
        !strncmp(r->cfg.db, "postgresql://", 13) || !strncmp(r->cfg.db, "postgres://", 11);
    if (shared && r->cfg.status_cache_ms > 0)
        ulog(ULOG_INFO, "serve.status_cache",
             "state=off reason=postgresql detail=\"several servers may share the database\"");
    r->set.status_cache = app_status_cache_new(shared ? 0 : r->cfg.status_cache_ms);
    if (!shared && r->cfg.status_cache_ms > 0 && !r->set.status_cache) {
        cli_error("the status cache: out of memory");
        return CLI_FAIL;
    }
    return -1;
}

/* --check: what the steps before it read is valid (the settings and the files they name: the
 * trust anchors, the static files, the message templates, the SMS gateway's and the SMTP
 * server's settings), and so are the listen address and the database URL, which are checked
 * without binding or connecting. Nothing is started. CLI_OK or CLI_USAGE. */
static int serve_check(struct serve_run *r)
{
    char host[256];
    unsigned port;
    struct ufault f = {.subject = "listen", .code = "setting_bad_value"};
    if (web_listen_split(r->cfg.listen, host, sizeof host, &port, f.detail, sizeof f.detail) < 0)
        return cli_refuse_fault("serve", &f);
    if (app_db_url_check(r->cfg.db, r->err, sizeof r->err) < 0)
        return cli_db_refuse(r->cfg.db, r->err);
    printf("eimza: the settings are valid (%s)\n",
           r->configs.n ? r->config_names : "the defaults and the options");
    return CLI_OK;
}

/* The listen socket (--dev: loopback only). -1 to go on, else the exit status. */
static int serve_listen(struct serve_run *r)
{
    switch (web_listen_open(r->cfg.listen, r->cfg.dev, &r->fd, r->err, sizeof r->err)) {
    case WEB_LISTEN_OK:
        return -1;
    case WEB_LISTEN_USAGE: /* the setting's parser took it: not expected here */
        return serve_refuse("listen", "listen_bad", r->err);
    case WEB_LISTEN_NOT_LOOPBACK:
        return serve_refuse("listen", "dev_not_loopback", r->err);
    case WEB_LISTEN_FAILED: /* in use, not this host's, not allowed */
        return cli_fail("serve", "--listen", "listen_failed", "%s", r->err);
    }
    return CLI_FAIL;
}

/* The database: its schema must be current, and the start goes on the audit log with the
 * settings that differ from the defaults. -1 to go on, else the exit status. */
static int serve_database(struct serve_run *r)
{
    int latest = 0, rc = cli_open_store(r->cfg.db, 0, &r->st);
    if (rc != CLI_OK)
        return rc;
    if (store_schema_version(r->st, &r->schema, &latest) != STORE_OK) {
        return cli_fail("serve", NULL, "database_error", "cannot read the schema version: %s",
                        store_last_error(r->st));
    }
    if (serve_audit_config(r->st, &r->cfg, r->configs.n ? r->config_names : NULL) < 0)
        return CLI_FAIL;
    return -1;
}

/* In-house production (production = inhouse): the card engine (cmd_cards.c, cli_ca_open) hung
 * on the settings. -1 to go on, else the exit status. */
static int serve_ca(struct serve_run *r)
{
    if (r->set.portal.production != APP_PRODUCTION_INHOUSE)
        return -1;
    return cli_ca_open(&r->cfg, &r->set) == 0 ? -1 : CLI_FAIL;
}

/* SIGTERM and SIGINT blocked before the server's threads exist, so they inherit the mask and
 * the signals can only reach this thread's sigwait(). A client closing early must not kill us. */
static void serve_block_signals(struct serve_run *r)
{
    struct sigaction ignore = {.sa_handler = SIG_IGN};
    sigemptyset(&r->sigs);
    sigaddset(&r->sigs, SIGTERM);
    sigaddset(&r->sigs, SIGINT);
    r->waits = r->sigs;
    sigaddset(&r->waits, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &r->waits, &r->oldmask);
    sigaction(SIGPIPE, &ignore, &r->oldpipe);
    r->signals_set = true;
}

/* The outbox's thread (after the mask, so it never takes SIGTERM/SIGINT), then the server
 * (taking over the socket and the connection), and the ready line. -1 to go on, else the exit
 * status. */
static int serve_start(struct serve_run *r)
{
    if (serve_outbox_start(&r->outbox) < 0 || serve_keeper_start(&r->keeper, &r->cfg, &r->set) < 0)
        return CLI_FAIL;
    int rc = web_server_start(&r->cfg, &r->set, r->fd, r->st, r->schema, &web_site, &r->srv, r->err,
                              sizeof r->err);
    r->fd = -1;
    r->st = NULL; /* taken over, also on failure */
    if (rc < 0) {
        cli_error("%s", r->err);
        return CLI_FAIL;
    }
    if (r->outbox.loop.running)
        (void)web_server_watch(r->srv, "outbox", serve_outbox_alive, &r->outbox);
    if (r->cfg.dev)
        serve_dev_banner(&r->cfg);
    ulog(ULOG_INFO, "server.start", "url=%s database=%s schema=%d dev=%d", web_server_url(r->srv),
         web_server_backend(r->srv), r->schema, r->cfg.dev);
    printf("eimza: serving on %s (database %s, schema %d)\n", web_server_url(r->srv),
           web_server_backend(r->srv), r->schema);
    fflush(stdout);
    return -1;
}

/* Serves until SIGTERM or SIGINT, then stops gracefully: no new connections, requests in flight
 * finish (bounded), the outbox's thread after the handlers that queue. */
static int serve_until_signal(struct serve_run *r)
{
    int sig = 0;
    /* waits for a signal; meanwhile, with HTTPS, looks at the certificate's files now and then */
    for (;;) {
        int every = r->cfg.tls_cert[0] ? r->cfg.tls_reload_check : 0;
        struct timespec wait = {every > 0 ? every : 3600, 0};
        sig = sigtimedwait(&r->waits, NULL, &wait);
        if (sig < 0 && errno != EAGAIN)
            continue; /* EINTR */
        if (sig == SIGTERM || sig == SIGINT)
            break;
        if (sig == SIGHUP || every > 0) {
            char why[600];
            if (web_server_tls_reload(r->srv, sig != SIGHUP, why, sizeof why) < 0) {
                char esc[700];
                web_log_text(esc, sizeof esc, why);
                ulog(ULOG_ERROR, "server.tls_reload_failed", "reason=\"%s\" kept=previous", esc);
            }
        }
    }
    ulog(ULOG_INFO, "server.stopping", "signal=%s",
         sig == SIGTERM  ? "TERM"
         : sig == SIGINT ? "INT"
                         : "?");
    web_server_quiesce(r->srv);
    bool drained = serve_drain(r->srv, &r->sigs, r->cfg.shutdown_timeout);
    web_server_free(r->srv);
    r->srv = NULL;
    serve_outbox_stop(&r->outbox); /* after the handlers that queue, before its store closes */
    serve_keeper_stop(&r->keeper);
    ulog(ULOG_INFO, "server.stopped", "drained=%d", drained);
    return CLI_OK;
}

/* Lets go of everything the run made, in reverse. */
static void serve_cleanup(struct serve_run *r)
{
    web_server_free(r->srv);
    serve_outbox_stop(&r->outbox);
    serve_keeper_stop(&r->keeper);
    app_settings_free(&r->set);
    if (r->st)
        store_close(r->st);
    if (r->fd >= 0)
        close(r->fd);
    if (r->signals_set) {
        /* a signal that came during the shutdown is spent, not left to kill us unmasked */
        const struct timespec now = {0, 0};
        while (sigtimedwait(&r->waits, NULL, &now) > 0)
            ;
        sigaction(SIGPIPE, &r->oldpipe, NULL);
        pthread_sigmask(SIG_SETMASK, &r->oldmask, NULL);
    }
}

int cli_cmd_serve(int argc, char **argv)
{
    struct serve_run *r = calloc(1, sizeof *r);
    if (!r) {
        cli_error("serve: out of memory");
        return CLI_FAIL;
    }
    r->fd = -1;
    int rc = serve_args(r, argc, argv);
    if (rc < 0)
        rc = serve_settings(r);
    if (rc < 0)
        rc = serve_app_settings(r);
    if (rc < 0 && r->check)
        rc = serve_check(r);
    if (rc < 0)
        rc = serve_listen(r);
    if (rc < 0)
        rc = serve_database(r);
    if (rc < 0)
        rc = serve_ca(r);
    if (rc < 0) {
        serve_block_signals(r);
        rc = serve_start(r);
    }
    if (rc < 0)
        rc = serve_until_signal(r);
    serve_cleanup(r);
    free(r);
    return rc;
}
