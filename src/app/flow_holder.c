/* eimza — after the decision, the holder's part (card_flow.h): starting a new application when
 * the last one has ended, cancelling before the decision, confirming the card's delivery, and
 * what the status page shows of the way after the decision (the decision and what to do, the
 * card, the PIN, the new certificate). */
#include <stdio.h>
#include <string.h>

#include "app/flow_int.h"
#include "core/catalogue.h"
#include "util/log.h"

/* The status page's sentences after the decision: the catalogue's "status.<name>" (po/). */
static const char *flow_text(const char *name, enum core_lang lang)
{
    const char *t = core_text_of("status", name, lang);
    return t ? t : "";
}

enum app_status app_application_start(const struct app_ctx *c, struct app_view *out,
                                      struct app_err *err)
{
    struct store *s = c->db;
    struct store_application a;
    enum core_app_state st;
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    const struct app_session *ss = app__applicant(c, err);
    if (!ss)
        return err->status;
    enum store_err e = store_app_latest(s, ss->subject, &a);
    if (e != STORE_OK && e != STORE_ENOTFOUND)
        return app__store_err(s, e, "reading the application", NULL, NULL, err);
    if (e == STORE_OK && core_app_state_parse(a.state, &st) == 0 && !core_app_is_final(st))
        return app__fail(err, APP_ECONFLICT, "application_open");
    if ((e = app__draft_for(s, ss, c->now, true, &a)) != STORE_OK)
        return app__store_err(s, e, "starting an application", NULL, NULL, err);
    return app__bind_view(s, &c->set->portal, ss, c->now, &a, out, err);
}

/* The holder's application, read in the transaction the caller opened. */
static enum app_status holder_app(const struct app_ctx *c, const struct app_session **ss,
                                  struct store_application *a, char actor[32], struct app_err *err)
{
    app_err_clear(err);
    if (!(*ss = app__applicant(c, err)))
        return err->status;
    if (app__load(c->db, *ss, a, err) != APP_OK)
        return err->status;
    app__actor(a->tckn, actor);
    return APP_OK;
}

enum app_status app_application_cancel(const struct app_ctx *c, struct app_application *out,
                                       struct app_err *err)
{
    struct store *s = c->db;
    const struct app_session *ss;
    struct store_application a, next;
    enum core_app_state st;
    char actor[32];
    if (holder_app(c, &ss, &a, actor, err) != APP_OK)
        return err->status;
    /* before the decision only: after it the card is on its way, and only staff may stop it */
    if (core_app_state_parse(a.state, &st) != 0 ||
        (st != CORE_APP_DRAFT && st != CORE_APP_CODE_VERIFIED && st != CORE_APP_AWAITING_ORIGINAL &&
         st != CORE_APP_SUBMITTED))
        return app__fail(err, APP_ECONFLICT, "wrong_state");
    next = a;
    next.closed_reason[0] = '\0'; /* the holder's own choice: no reason asked */
    enum store_err e = store_tx_begin(s);
    if (e == STORE_OK)
        e = app__flow_step(s, &a, &next, CORE_EV_CANCEL, actor, "application.cancel",
                           "{\"by\":\"applicant\"}", c->now);
    if (e == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK)
        return app__store_err(s, e, "cancelling the application", "no_application", "wrong_state",
                              err);
    ulog(ULOG_INFO, "flow.cancel", "application=%s by=applicant", a.number);
    if (out)
        app__application_view(&next, out);
    return APP_OK;
}

enum app_status app_delivery_confirm(const struct app_ctx *c, struct app_application *out,
                                     struct app_err *err)
{
    struct store *s = c->db;
    const struct app_session *ss;
    struct store_application a, next;
    char actor[32];
    if (holder_app(c, &ss, &a, actor, err) != APP_OK)
        return err->status;
    if (strcmp(a.state, core_app_state_code(CORE_APP_SHIPPED)) != 0)
        return app__fail(err, APP_ECONFLICT, "wrong_state");
    next = a;
    enum store_err e = store_tx_begin(s);
    if (e == STORE_OK)
        e = app__flow_delivered(s, c->set, &a, &next, actor, c->now);
    if (e == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK)
        return app__store_err(s, e, "recording the delivery", "no_application", "wrong_state", err);
    ulog(ULOG_INFO, "flow.delivered", "application=%s by=applicant", a.number);
    if (out)
        app__application_view(&next, out);
    return APP_OK;
}

/* ---- the status page's part ------------------------------------------------------------------ */

static const char *advice(const struct store_application *a, enum core_app_state st,
                          enum core_lang lang)
{
    if (st == CORE_APP_REJECTED)
        return flow_text("advice_rejected", lang);
    if (st == CORE_APP_CANCELLED && a->closed_reason[0])
        return flow_text("advice_cancelled_staff", lang);
    if (st == CORE_APP_CANCELLED)
        return flow_text("advice_cancelled_self", lang);
    if (st == CORE_APP_COMPLETED)
        return flow_text("advice_completed", lang);
    return NULL;
}

void app__flow_view(const struct app_portal_cfg *cfg, const struct store_status *r,
                    enum core_lang lang, struct app_flow_view *out)
{
    const struct store_application *a = &r->app;
    const struct store_card *k = &r->card;
    enum core_app_state st;
    memset(out, 0, sizeof *out);
    if (core_app_state_parse(a->state, &st) != 0)
        return;
    bool inhouse = cfg->production == APP_PRODUCTION_INHOUSE;
    if (core_app_is_final(st))
        out->closed_at = a->updated_at;
    out->closed_by_staff = st == CORE_APP_CANCELLED && a->closed_reason[0];
    out->advice = advice(a, st, lang);
    out->can_start_new = core_app_is_final(st);
    out->can_cancel = st == CORE_APP_DRAFT || st == CORE_APP_CODE_VERIFIED ||
                      st == CORE_APP_AWAITING_ORIGINAL || st == CORE_APP_SUBMITTED;
    out->can_confirm = st == CORE_APP_SHIPPED;

    if (r->has_card) {
        out->has_card = true;
        snprintf(out->card_state, sizeof out->card_state, "%s", k->state);
        snprintf(out->carrier, sizeof out->carrier, "%s", k->carrier);
        snprintf(out->tracking_number, sizeof out->tracking_number, "%s", k->tracking_number);
    }
    if (a->new_cert_id && r->has_new_cert) {
        snprintf(out->new_serial, sizeof out->new_serial, "%s", r->new_serial);
        out->new_not_before = r->new_not_before;
        out->new_not_after = r->new_not_after;
    }

    /* the PIN: after delivery, from the portal for a card made in house, else the bureau's */
    bool arrived = st == CORE_APP_DELIVERED || st == CORE_APP_COMPLETED;
    if (out->has_card && inhouse && !strcmp(k->source, "inhouse")) {
        const char *pin = r->pin_state; /* "" when the card has none */
        if (!strcmp(pin, "waiting") && arrived) {
            out->pin = APP_PIN_WAITING;
            out->pin_note = flow_text("pin_waiting", lang);
        } else if (pin[0] && strcmp(pin, "waiting") != 0) {
            out->pin = APP_PIN_SHOWN;
            out->pin_note = flow_text("pin_shown", lang);
        }
        out->can_try_card = st == CORE_APP_DELIVERED && a->new_cert_id &&
                            strcmp(k->state, "active") != 0 && strcmp(k->state, "lost") != 0;
    } else if (!inhouse && (st == CORE_APP_SHIPPED || arrived)) {
        out->pin = APP_PIN_BUREAU;
        out->pin_note = flow_text("pin_bureau", lang);
    }
}
