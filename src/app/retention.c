/* eimza — the retention of personal data (see retention.h): the periods checked, then each
 * step of the store in the order retention.h gives, then one audit entry with the counts. */
#include "app/retention.h"

#include <stdio.h>
#include <string.h>

#include "app/portal_int.h"
#include "store/store.h"
#include "util/log.h"

#define RET_DAY       86400
#define RET_YEAR      (366 * (int64_t)RET_DAY) /* a year counted long: nothing is removed early */
#define RET_RATE_KEEP RET_DAY                  /* rate-limit windows (15 minutes) kept this long */

void app_retention_cfg_default(struct app_retention_cfg *c)
{
    c->messages_days = 30;
    c->contact_years = 2;
    c->draft_days = 180;
    c->evidence_years = APP_RETENTION_EVIDENCE_MIN;
}

const char *app_retention_cfg_check(const struct app_retention_cfg *c)
{
    if (c->evidence_years < APP_RETENTION_EVIDENCE_MIN || c->evidence_years > 100)
        return "retention_evidence_years must be 7 to 100: registration evidence is kept at "
               "least 7 years (ETSI EN 319 411-1)";
    if (c->messages_days < 0 || c->messages_days > 3650)
        return "retention_messages_days must be 0 to 3650";
    if (c->contact_years < 1 || c->contact_years > 50)
        return "retention_contact_years must be 1 to 50";
    if (c->draft_days < 1 || c->draft_days > 3650)
        return "retention_draft_days must be 1 to 3650";
    if (c->contact_years > c->evidence_years)
        return "retention_contact_years is longer than retention_evidence_years: the contact "
               "data would outlive the application it belongs to";
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
    char detail[640];
    const struct app_retention_cfg *r = &c->set->retention;
    snprintf(detail, sizeof detail,
             "{\"sessions\":%ld,\"captchas\":%ld,\"rate_windows\":%ld,\"tickets\":%ld,"
             "\"sms_codes\":%ld,"
             "\"messages\":%ld,\"contact_data\":%ld,\"logins\":%ld,\"drafts\":%ld,"
             "\"applications\":%ld,\"audit_entries\":%ld,\"certificates\":%ld,"
             "\"messages_days\":%d,\"contact_years\":%d,\"draft_days\":%d,\"evidence_years\":%d%s}",
             n->sessions, n->captchas, n->rate_windows, n->tickets, n->sms_codes, n->messages,
             n->contact_data, n->logins, n->drafts, n->applications, n->audit_entries,
             n->certificates, r->messages_days, r->contact_years, r->draft_days, r->evidence_years,
             failed ? ",\"failed\":true" : "");
    if (app__audit(c->db, c->now, actor, "retention.run", "", detail) != STORE_OK)
        ulog(ULOG_ERROR, "retention.audit_failed", "actor=%s", actor);
}

/* The steps in order; the first failure stops the run, *what says which step it was. */
static enum store_err ret_steps(const struct app_ctx *c, const char *actor, bool dry,
                                struct app_retention_counts *n, const char **what)
{
    struct store *s = c->db;
    const struct app_retention_cfg *r = &c->set->retention;
    const int64_t now = c->now, contact = now - r->contact_years * RET_YEAR;
    enum store_err e;
    long audit = 0;

    *what = "removing expired sessions, captchas, rate-limit windows and signing tickets";
    if (dry)
        e = store_retention_expired(s, now, ret_idle(c->set), now - RET_RATE_KEEP, &n->sessions,
                                    &n->captchas, &n->rate_windows);
    else if ((e = store_session_purge(s, now, ret_idle(c->set), &n->sessions)) == STORE_OK &&
             (e = store_captcha_purge(s, now, &n->captchas)) == STORE_OK)
        e = store_rate_purge(s, now - RET_RATE_KEEP, &n->rate_windows);
    if (e == STORE_OK)
        e = store_retention_tickets(s, now - RET_RATE_KEEP, dry, &n->tickets);
    if (e != STORE_OK)
        return e;
    *what = "removing expired SMS codes";
    if ((e = store_retention_codes(s, now, dry, &n->sms_codes)) != STORE_OK)
        return e;
    *what = "emptying delivered messages";
    if ((e = store_retention_messages(s, now - (int64_t)r->messages_days * RET_DAY, dry,
                                      &n->messages)) != STORE_OK)
        return e;
    *what = "removing closed applications' contact data";
    if ((e = store_retention_contact(s, contact, now, dry, &n->contact_data)) != STORE_OK)
        return e;
    *what = "anonymising the applicants' logins in the audit log";
    if ((e = store_retention_logins(s, contact, now, actor, dry, &n->logins)) != STORE_OK)
        return e;
    *what = "removing abandoned drafts";
    e = store_retention_drafts(s, now - (int64_t)r->draft_days * RET_DAY, now, actor, dry,
                               &n->drafts, &audit);
    n->audit_entries += audit;
    if (e != STORE_OK)
        return e;
    *what = "removing evidence past its time";
    e = store_retention_evidence(s, now, r->evidence_years, actor, dry, &n->applications, &audit);
    n->audit_entries += audit;
    if (e != STORE_OK)
        return e;
    *what = "removing certificates past their time";
    return store_retention_certificates(s, now, r->evidence_years, dry, &n->certificates);
}

enum app_status app_retention_run(const struct app_ctx *c, const char *actor, bool dry,
                                  struct app_retention_counts *out, struct app_err *err)
{
    struct app_retention_counts n = {0};
    const char *what = "";
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    const char *bad = app_retention_cfg_check(&c->set->retention);
    if (bad) {
        ulog(ULOG_ERROR, "retention.settings", "detail=\"%s\"", bad);
        return app__fail(err, APP_EINTERNAL, NULL);
    }
    enum store_err e = ret_steps(c, actor, dry, &n, &what);
    enum app_status st = APP_OK;
    if (e != STORE_OK) { /* said before the audit entry's writing clears the store's message */
        snprintf(n.failed, sizeof n.failed, "%s: %s", what, store_last_error(c->db));
        st = app__store_err(c->db, e, what, NULL, NULL, err);
    }
    *out = n;
    if (!dry)
        ret_audit(c, actor, &n, e != STORE_OK);
    if (st != APP_OK)
        return st;
    ulog(ULOG_INFO, "retention.run",
         "actor=%s dry=%d sessions=%ld captchas=%ld rate_windows=%ld tickets=%ld sms_codes=%ld "
         "messages=%ld "
         "contact_data=%ld logins=%ld drafts=%ld applications=%ld audit_entries=%ld "
         "certificates=%ld",
         actor, dry, n.sessions, n.captchas, n.rate_windows, n.tickets, n.sms_codes, n.messages,
         n.contact_data, n.logins, n.drafts, n.applications, n.audit_entries, n.certificates);
    return APP_OK;
}
