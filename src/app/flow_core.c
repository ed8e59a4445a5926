/* eimza — after approval: what the use cases share (flow_int.h): telling the holder, moving an
 * application on with its timeline row and audit entry, the words staff write for holders,
 * completion by a new certificate, and the record of a lost or stolen card. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/flow_int.h"
#include "core/date.h"
#include "core/trtext.h"
#include "notify/outbox.h"
#include "util/log.h"

void app__flow_name(const struct store_application *a, char *out, size_t cap)
{
    snprintf(out, cap, "%s %s", a->first_name, a->last_name);
}

void app__flow_date(int64_t t, char out[16])
{
    char d[CORE_DATE_STRLEN + 1];
    out[0] = '\0';
    if (t <= 0)
        return;
    core_date_format_tr(core_date_tr_from_unix(t), d); /* Turkey's day (core/date.h) */
    snprintf(out, 16, "%s", d);
}

enum store_err app__tell(struct store *s, const struct store_application *a, enum notify_tpl t,
                         const char *stem, const struct notify_var *vars, size_t nvars, int64_t now)
{
    bool mail = strcmp(a->notify_by, "sms") != 0 && a->email[0];
    bool sms = strcmp(a->notify_by, "email") != 0 && a->mobile_phone[0] && notify_tpl_has_sms(t);
    if (!mail && !sms) { /* the chosen channel has no address: the other one */
        mail = a->email[0] != '\0';
        sms = !mail && a->mobile_phone[0] && notify_tpl_has_sms(t);
    }
    char *params = notify_params_json(vars, nvars);
    if (!params)
        return STORE_ENOMEM;
    enum store_err e = STORE_OK;
    char key[128];
    for (int ch = 0; ch < 2 && e == STORE_OK; ch++) {
        bool is_sms = ch == 1;
        if (is_sms ? !sms : !mail)
            continue;
        snprintf(key, sizeof key, "%s:%s", stem, is_sms ? "sms" : "email");
        const struct store_outbox_msg m = {
            .channel = is_sms ? "sms" : "email",
            .recipient = is_sms ? a->mobile_phone : a->email,
            .tpl = notify_tpl_name(t),
            .params = params,
            .dedupe_key = key,
        };
        bool inserted;
        e = store_outbox_put(s, &m, now, &inserted);
    }
    free(params);
    return e;
}

enum store_err app__flow_tell(struct store *s, const struct store_application *a, enum notify_tpl t,
                              const char *what, const struct notify_var *vars, size_t nvars,
                              int64_t now)
{
    char stem[96];
    snprintf(stem, sizeof stem, "flow:%lld:%s", (long long)a->id, what);
    return app__tell(s, a, t, stem, vars, nvars, now);
}

enum store_err app__flow_step(struct store *s, const struct store_application *a,
                              struct store_application *next, enum core_app_event ev,
                              const char *actor, const char *action, const char *detail,
                              int64_t now)
{
    enum core_app_state from, to;
    if (core_app_state_parse(a->state, &from) != 0 || core_app_next(from, ev, &to) != 0)
        return STORE_ECONFLICT;
    snprintf(next->state, sizeof next->state, "%s", core_app_state_code(to));
    next->updated_at = now;
    const struct store_app_event row = {now, a->state, next->state, core_app_event_code(ev), actor};
    enum store_err e = store_app_update(s, next, a->state, &row);
    if (e == STORE_OK)
        e = app__audit(s, now, actor, action, a->number, detail);
    return e;
}

enum store_err app__flow_note(struct store *s, const struct store_application *a, const char *event,
                              const char *actor, int64_t now)
{
    struct store_application same = *a;
    same.updated_at = now;
    const struct store_app_event row = {now, a->state, a->state, event, actor};
    return store_app_update(s, &same, a->state, &row);
}

const char *app__flow_text_problem(const char *t, size_t max)
{
    size_t n = t ? strlen(t) : 0;
    bool content = false;
    if (!t || !n)
        return "reason_required";
    /* malformed UTF-8, control characters, and those that reorder or hide text (issue 19,
     * finding 7: the holder reads these words) */
    const char *bad = core_text_check_code(core_text_check(t, n, CORE_TEXT_BREAKS));
    if (bad)
        return bad;
    for (size_t i = 0; i < n && !content; i++)
        content = t[i] != ' ' && t[i] != '\n' && t[i] != '\r' && t[i] != '\t';
    if (!content)
        return "reason_required";
    if (core_utf8_chars(t, n) > max)
        return "too_long";
    return NULL;
}

enum app_status app__flow_staff(const struct app_ctx *c, const struct app_staff **who,
                                struct app_err *err)
{
    if (app__who(c, who, err) != APP_OK)
        return err->status;
    if (!app__role_is(*who, "operator") && !app__role_is(*who, "admin"))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_role");
    return APP_OK;
}

enum app_status app__flow_tx_app(struct store *s, int64_t id, struct store_application *a,
                                 struct app_err *err)
{
    enum store_err e = store_tx_begin(s);
    if (e != STORE_OK)
        return app__store_err(s, e, "starting a transaction", NULL, NULL, err);
    e = id > 0 ? store_app_get(s, id, a) : STORE_ENOTFOUND;
    if (e != STORE_OK) {
        store_tx_rollback(s);
        return app__store_err(s, e, "reading an application", "not_found", NULL, err);
    }
    return APP_OK;
}

/* ---- completion by the new certificate ---------------------------------------------------------
 */

/* The card of the application gets the certificate when it has none yet. */
static enum store_err link_card(struct store *s, int64_t app_id, int64_t cert_id, int64_t now)
{
    struct store_card k;
    enum store_err e = store_card_of_app(s, app_id, &k);
    if (e == STORE_ENOTFOUND)
        return STORE_OK; /* the bureau's certificate came before its card was recorded */
    if (e != STORE_OK || k.certificate_id)
        return e;
    k.certificate_id = cert_id;
    k.updated_at = now;
    return store_card_update(s, &k);
}

enum store_err app__flow_complete(struct store *s, const struct core_certificate *cert,
                                  int64_t cert_id, const char *actor, int64_t now, bool *completed)
{
    struct store_application a, next;
    enum core_app_state st;
    if (completed)
        *completed = false;
    if (!cert->tckn[0])
        return STORE_OK;
    enum store_err e = store_app_latest(s, cert->tckn, &a);
    if (e == STORE_ENOTFOUND)
        return STORE_OK;
    if (e != STORE_OK)
        return e;
    if (core_app_state_parse(a.state, &st) != 0 ||
        (st != CORE_APP_APPROVED && st != CORE_APP_IN_PRODUCTION && st != CORE_APP_SHIPPED &&
         st != CORE_APP_DELIVERED) ||
        (a.new_cert_id && a.new_cert_id != cert_id))
        return STORE_OK;
    /* Newer than the one it renews, and made for this application: not an older certificate
     * of the holder's imported late (a day's leeway for a CA that backdates its notBefore). */
    if (cert->not_after <= a.cert_not_after || cert->not_before < a.created_at - 86400 ||
        cert->revoked_at)
        return STORE_OK;
    next = a;
    next.new_cert_id = cert_id;
    char detail[400];
    snprintf(detail, sizeof detail, "{\"serial\":\"%.130s\",\"renews_not_after\":%lld}",
             cert->serial, (long long)a.cert_not_after);
    if ((e = app__flow_step(s, &a, &next, CORE_EV_CERT_IN_USE, actor, "application.complete",
                            detail, now)) != STORE_OK ||
        (e = link_card(s, a.id, cert_id, now)) != STORE_OK)
        return e;
    char name[2 * CORE_NAME_MAX + 2], from[16], until[16];
    app__flow_name(&a, name, sizeof name);
    app__flow_date(cert->not_before, from);
    app__flow_date(cert->not_after, until);
    const struct notify_var vars[] = {
        {"name", name},       {"number", a.number},   {"serial", cert->serial},
        {"valid_from", from}, {"valid_until", until},
    };
    e = app__flow_tell(s, &next, NOTIFY_TPL_COMPLETED, "completed", vars,
                       sizeof vars / sizeof vars[0], now);
    if (e == STORE_OK && completed)
        *completed = true;
    return e;
}

/* ---- a lost or stolen card ----------------------------------------------------------------------
 */

enum store_err app__flow_lost(struct store *s, const char *ca_issuer,
                              const struct store_application *a, const char *actor, int64_t now)
{
    struct core_certificate c;
    int64_t cert_id = 0;
    struct core_personnel p;
    bool changed = false, asked = false, has_card;
    struct store_card k;
    char detail[400];

    /* The certificate on the lost card: the holder's current one, unless it is already
     * revoked (nothing to ask then) or none is known (the card is still recorded lost). */
    enum store_err e = store_certificate_current(s, a->tckn, &c);
    if (e == STORE_OK)
        e = store_certificate_by_fpr(s, c.fingerprint, &cert_id, &c);
    if (e != STORE_OK && e != STORE_ENOTFOUND)
        return e;
    if (e == STORE_OK && !c.revoked_at) {
        if (ca_issuer && *ca_issuer && !strcmp(c.issuer, ca_issuer)) {
            e = store_certificate_revoke_id(s, cert_id, now, APP__CRL_KEY_COMPROMISE, &changed);
        } else {
            e = store_personnel_get(s, a->tckn, &p);
            int province = e == STORE_OK ? p.province : a->province;
            if (e == STORE_OK || e == STORE_ENOTFOUND)
                e = store_revocation_request(s, cert_id, a->id, province, APP__CRL_KEY_COMPROMISE,
                                             now, &asked);
        }
        if (e != STORE_OK)
            return e;
        snprintf(detail, sizeof detail, "{\"serial\":\"%.130s\",\"revoked\":%s,\"requested\":%s}",
                 c.serial, changed ? "true" : "false", asked ? "true" : "false");
        if ((e = app__audit(s, now, actor,
                            changed ? "certificate.revoke" : "certificate.revocation_request",
                            a->number, detail)) != STORE_OK)
            return e;
    } else {
        cert_id = 0;
    }

    /* The card itself: the one holding that certificate, else one recorded now. */
    e = cert_id ? store_card_of_cert(s, cert_id, &k) : STORE_ENOTFOUND;
    if (e != STORE_OK && e != STORE_ENOTFOUND)
        return e;
    has_card = e == STORE_OK;
    if (!has_card) {
        memset(&k, 0, sizeof k);
        snprintf(k.tckn, sizeof k.tckn, "%s", a->tckn);
        k.certificate_id = cert_id;
        snprintf(k.source, sizeof k.source, "other");
        k.created_at = now;
    }
    snprintf(k.state, sizeof k.state, "lost");
    snprintf(k.note, sizeof k.note, "%s numaralı başvuruda kayıp/çalıntı bildirildi", a->number);
    k.updated_at = now;
    e = has_card ? store_card_update(s, &k) : store_card_put(s, &k);
    if (e == STORE_OK) {
        snprintf(detail, sizeof detail, "{\"card\":%lld}", (long long)k.id);
        e = app__audit(s, now, actor, "card.lost", a->number, detail);
    }
    if (e == STORE_OK)
        e = app__flow_note(s, a, "lost_reported", actor, now);
    return e;
}
