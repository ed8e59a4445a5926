/* eimza — the retention of personal data (see retention.h). */
#include "app/retention.h"

#include <stdio.h>
#include <string.h>

#include "app/portal_int.h"
#include "store/store.h"
#include "util/log.h"

#define RET_DAY       86400
#define RET_YEAR      (366 * RET_DAY) /* a year is counted long: the data is never removed early */
#define RET_RATE_KEEP RET_DAY         /* rate-limit windows (15 minutes) are kept this long */

void app_retention_cfg_default(struct app_retention_cfg *c)
{
    c->messages_days = 30;
    c->contact_years = 2;
    c->evidence_years = APP_RETENTION_EVIDENCE_MIN;
}

const char *app_retention_cfg_check(const struct app_retention_cfg *c)
{
    if (c->evidence_years < APP_RETENTION_EVIDENCE_MIN)
        return "retention_evidence_years: registration evidence is kept at least 7 years "
               "(ETSI EN 319 411-1)";
    if (c->messages_days < 0 || c->contact_years < 1)
        return "retention_messages_days must be 0 or more, retention_contact_years 1 or more";
    if (c->contact_years > c->evidence_years)
        return "retention_contact_years is longer than retention_evidence_years: the contact "
               "data would outlive the application";
    return NULL;
}

static int64_t ret_idle(const struct app_settings *set)
{
    int idle = set->portal.session_idle;
    return set->staff.session_idle > idle ? set->staff.session_idle : idle;
}

static void ret_audit(const struct app_ctx *c, const char *actor,
                      const struct app_retention_counts *n, bool failed)
{
    char detail[512];
    const struct app_retention_cfg *r = &c->set->retention;
    snprintf(detail, sizeof detail,
             "{\"sessions\":%ld,\"captchas\":%ld,\"rate_windows\":%ld,\"sms_codes\":%ld,"
             "\"messages\":%ld,\"contact_data\":%ld,\"applications\":%ld,\"messages_days\":%d,"
             "\"contact_years\":%d,\"evidence_years\":%d%s}",
             n->sessions, n->captchas, n->rate_windows, n->sms_codes, n->messages, n->contact_data,
             n->applications, r->messages_days, r->contact_years, r->evidence_years,
             failed ? ",\"failed\":true" : "");
    if (app__audit(c->db, c->now, actor, "retention.run", "", detail) != STORE_OK)
        ulog(ULOG_ERROR, "retention.audit_failed", "actor=%s", actor);
}

enum app_status app_retention_run(const struct app_ctx *c, const char *actor, bool dry,
                                  struct app_retention_counts *out, struct app_err *err)
{
    struct store *s = c->db;
    const struct app_retention_cfg *r = &c->set->retention;
    const int64_t now = c->now;
    struct app_retention_counts n = {0};
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    const char *bad = app_retention_cfg_check(r);
    if (bad) {
        ulog(ULOG_ERROR, "retention.settings", "detail=\"%s\"", bad);
        return app__fail(err, APP_EINTERNAL, NULL);
    }
    enum store_err e;
    const char *what = "counting what expired";
    if (dry) {
        e = store_retention_expired(s, now, ret_idle(c->set), now - RET_RATE_KEEP, &n.sessions,
                                    &n.captchas, &n.rate_windows);
    } else {
        e = store_session_purge(s, now, ret_idle(c->set), &n.sessions);
        if (e == STORE_OK)
            e = store_captcha_purge(s, now, &n.captchas);
        if (e == STORE_OK)
            e = store_rate_purge(s, now - RET_RATE_KEEP, &n.rate_windows);
        what = "removing expired sessions, captchas and rate-limit windows";
    }
    if (e == STORE_OK && (e = store_retention_codes(s, now, dry, &n.sms_codes)) != STORE_OK)
        what = "removing expired SMS codes";
    if (e == STORE_OK && (e = store_retention_messages(s, now - (int64_t)r->messages_days * RET_DAY,
                                                       dry, &n.messages)) != STORE_OK)
        what = "emptying delivered messages";
    if (e == STORE_OK && (e = store_retention_contact(s, now - (int64_t)r->contact_years * RET_YEAR,
                                                      dry, &n.contact_data)) != STORE_OK)
        what = "removing closed applications' contact data";
    if (e == STORE_OK &&
        (e = store_retention_evidence(s, now, r->evidence_years, dry, &n.applications)) != STORE_OK)
        what = "removing evidence past its time";
    *out = n;
    if (!dry)
        ret_audit(c, actor, &n, e != STORE_OK);
    if (e != STORE_OK)
        return app__store_err(s, e, what, NULL, NULL, err);
    ulog(ULOG_INFO, "retention.run",
         "actor=%s dry=%d sessions=%ld captchas=%ld rate_windows=%ld sms_codes=%ld messages=%ld "
         "contact_data=%ld applications=%ld",
         actor, dry, n.sessions, n.captchas, n.rate_windows, n.sms_codes, n.messages,
         n.contact_data, n.applications);
    return APP_OK;
}
