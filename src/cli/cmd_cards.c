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
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/card_flow.h"
#include "app/csv.h"
#include "ca/ca.h"
#include "cli/cli.h"
#include "cli/cli_config.h"
#include "core/reason.h"
#include "util/fault.h"
#include "util/log.h"
#include "web/http/config.h"

static const char shipments_usage[] = "usage: eimza shipments import FILE.csv [--db URL]\n";
static const char bureau_usage[] = "usage: eimza bureau import FILE.csv [--db URL]\n";

/* ---- the in-house CA ----------------------------------------------------------------------------
 */

int cli_ca_open(struct web_config *c, struct app_settings *set)
{
    char err[256];
    char ocsp[600], crl[600], pol[sizeof c->ca_policies];
    const char *slash =
        c->portal_url[0] && c->portal_url[strlen(c->portal_url) - 1] == '/' ? "" : "/";
    snprintf(ocsp, sizeof ocsp, "%s", c->ca_ocsp_url);
    snprintf(crl, sizeof crl, "%s", c->ca_crl_url);
    if (!ocsp[0])
        snprintf(ocsp, sizeof ocsp, "%s%sca/ocsp", c->portal_url, slash);
    if (!crl[0])
        snprintf(crl, sizeof crl, "%s%sca/crl", c->portal_url, slash);
    const char *policies[16];
    snprintf(pol, sizeof pol, "%s", c->ca_policies);
    size_t npol = cli_split_list(pol, policies, sizeof policies / sizeof policies[0]);
    const struct ca_config cc = {
        .ca_module = c->ca_module,
        .ca_token_label = c->ca_label,
        .ca_key_label = c->ca_key_label[0] ? c->ca_key_label : NULL,
        .ca_pin = c->ca_pin,
        .card_module = c->card_module[0] ? c->card_module : NULL,
        .blank_label = c->card_label[0] ? c->card_label : NULL,
        .transport_pin = c->card_pin,
        .transport_so_pin = c->card_so_pin,
        .policies = npol ? policies : NULL,
        .npolicies = npol,
        .cps_url = c->ca_cps_url[0] ? c->ca_cps_url : NULL,
        .ocsp_url = ocsp,
        .crl_url = crl,
        .ca_issuers_url = c->ca_issuers_url[0] ? c->ca_issuers_url : NULL,
    };
    struct ca *ca = NULL;
    struct ca_status cs;
    enum ca_err e = ca_open(&cc, &ca, &cs);
    explicit_bzero(c->ca_pin, sizeof c->ca_pin);
    explicit_bzero(c->card_pin, sizeof c->card_pin);
    explicit_bzero(c->card_so_pin, sizeof c->card_so_pin);
    if (e != CA_OK) {
        cli_error("the in-house CA (production = inhouse): %s: %s (%s)", ca_err_code(e), cs.message,
                  cs.detail);
        return -1;
    }
    if (app_ca_attach(set, ca, err, sizeof err) < 0) {
        ca_close(ca);
        cli_error("the in-house CA: %s", err);
        return -1;
    }
    ulog(ULOG_INFO, "ca.open", "in-house production: CA token open, OCSP %s, CRL %s", ocsp, crl);
    return 0;
}

static void report_refusal(void *ctx, const struct app_file_refusal *r)
{
    (void)ctx;
    fprintf(stderr, "satır %ld: %s: %s: %s\n", r->line, r->field && *r->field ? r->field : "-",
            r->code, core_reason_message(r->code, CORE_LANG_TR));
}

/* "import FILE.csv [--db URL]" (argv[0] "import") of shipments (bureau false) or of the
 * bureau's answer. */
static int cards_import(int argc, char **argv, bool bureau)
{
    const char *what = bureau ? "bureau import" : "shipments import";
    const char *usage = bureau ? bureau_usage : shipments_usage;
    const char *file = NULL, *db = NULL;
    int n = 0;
    int rc0 = cli_args(argc, argv, what, usage, &file, 1, &n, &db);
    if (rc0 >= 0)
        return rc0;
    if (!file)
        return cli_usage_error(what, "FILE.csv", "argument_missing", usage);
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return cli_fail(what, file, "file_unreadable", "cannot open %s: %s", file, strerror(errno));
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
        if (err.code)
            rc = cli_fail(what, file, err.code, NULL);
        else
            rc = cli_fail(what, file, "database_error", "%s; nothing more was imported",
                          store_last_error(s));
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

static int shipments_import(int argc, char **argv)
{
    return cards_import(argc, argv, false);
}

static int bureau_import(int argc, char **argv)
{
    return cards_import(argc, argv, true);
}

int cli_cmd_shipments(int argc, char **argv)
{
    static const struct cli_sub subs[] = {{"import", shipments_import}};
    return cli_subcommand(argc, argv, "shipments", shipments_usage, subs,
                          sizeof subs / sizeof subs[0]);
}

int cli_cmd_bureau(int argc, char **argv)
{
    static const struct cli_sub subs[] = {{"import", bureau_import}};
    return cli_subcommand(argc, argv, "bureau", bureau_usage, subs, sizeof subs / sizeof subs[0]);
}

/* ---- eimza card issue
 * ----------------------------------------------------------------------------- */

static const char card_usage[] =
    "usage: eimza card issue NUMBER [--card SERIAL] [--config FILE]... [--db URL]\n"
    "  makes the card of the approved application NUMBER with the in-house CA of the settings\n"
    "  (production = inhouse; the blank card named by --card when several are in the readers)\n";

/* argv[0] is "issue" */
static int card_issue(int argc, char **argv)
{
    struct cli_configs configs = {0};
    const char *number = NULL, *card = NULL, *db = NULL;
    struct cli_parse p;
    const char *arg;
    cli_parse_begin(&p, argc, argv, 1, "card issue", card_usage);
    while (cli_parse_next(&p)) {
        if ((arg = cli_opt_many(&p, "--config"))) {
            if (cli_configs_add(&configs, &p, arg) < 0)
                return CLI_USAGE;
        } else if ((arg = cli_opt(&p, "--card")))
            card = arg;
        else if ((arg = cli_opt(&p, "--db")))
            db = arg;
        else if (!number && (arg = cli_word(&p)))
            number = arg;
        else
            return cli_parse_other(&p);
    }
    if (!number)
        return cli_usage_error("card issue", "NUMBER", "argument_missing", card_usage);
    struct web_config cfg;
    struct app_settings set;
    int rc = CLI_USAGE;
    struct store *s = NULL;
    memset(&set, 0, sizeof set);
    if (web_config_defaults(&cfg) < 0 || cli_configs_load(&configs, &cfg, "card issue") < 0)
        return CLI_USAGE;
    if (db && cli_config_option(&cfg, "card issue", "--db", "db", db) < 0)
        return CLI_USAGE;
    struct ufault f = {0};
    if (web_config_settings(&cfg, &set, &f) < 0) {
        cli_refuse_fault("card issue", &f);
        goto out;
    }
    if (set.portal.production != APP_PRODUCTION_INHOUSE) {
        cli_refuse("card issue", "production", "production_inhouse_only"); /* exit 1 */
        cli_error("card issue: the settings do not make cards in house (production = inhouse)");
        goto out;
    }
    rc = CLI_FAIL;
    if ((rc = cli_open_store(cfg.db, 0, &s)) != CLI_OK)
        goto out;
    rc = CLI_FAIL;
    if (cli_ca_open(&cfg, &set) < 0)
        goto out;
    struct store_application a;
    char up[16] = "";
    for (size_t i = 0; number[i] && i < sizeof up - 1; i++)
        up[i] = (char)(number[i] >= 'a' && number[i] <= 'z' ? number[i] - 32 : number[i]);
    if (strlen(up) != APP_NUMBER_LEN || store_app_by_number(s, up, &a) != STORE_OK) {
        cli_refuse("card issue", number, "application_unknown");
        goto out;
    }
    /* the command is run on the CA's host by whoever holds its secrets: on record as such */
    struct app_ctx c = {.db = s, .set = &set, .now = (int64_t)time(NULL), .lang = CORE_LANG_TR};
    c.who.kind = APP_ACTOR_STAFF;
    snprintf(c.who.staff.username, sizeof c.who.staff.username, "cli");
    snprintf(c.who.staff.role, sizeof c.who.staff.role, "operator");
    struct app_err e;
    struct app_card_view *v = calloc(1, sizeof *v);
    if (!v) {
        cli_error("card issue: out of memory");
        goto out;
    }
    if (app_admin_produce(&c, a.id, card, NULL, &e) != APP_OK ||
        app_admin_card(&c, a.id, v, &e) != APP_OK) {
        if (e.code)
            cli_refuse("card issue", up, e.code);
        else
            cli_fail("card issue", up, "database_error", "%s", store_last_error(s));
        free(v);
        goto out;
    }
    printf("card issue: application %s %s; card %s; certificate %s\n", up, v->app.state, v->serial,
           v->new_serial);
    free(v);
    rc = CLI_OK;
out:
    app_settings_free(&set);
    if (s)
        store_close(s);
    return rc;
}

int cli_cmd_card(int argc, char **argv)
{
    static const struct cli_sub subs[] = {{"issue", card_issue}};
    return cli_subcommand(argc, argv, "card", card_usage, subs, sizeof subs / sizeof subs[0]);
}
