/* eimza — after the code: the content to sign, the signing method (step 5) and the status
 * page's data (see portal.h). The content is rendered by core/content.c from the saved
 * application only; the status says, in Turkish, where the application is, what happens next
 * and whom to call. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/card_flow.h"
#include "app/portal_int.h"
#include "app/status_cache.h"
#include "app/text.h"
#include "core/catalogue.h"
#include "core/content.h"
#include "util/log.h"

int app__content_render(const struct store_application *a0, struct ubuf *out)
{
    const struct store_application a = *a0;
    struct core_content c = {
        .first_name = a.first_name,
        .last_name = a.last_name,
        .tckn = a.tckn,
        .email = a.email,
        .address = a.address,
        .postal_code = a.postal_code,
        .district = a.district,
        .province = a.province,
        .institution_name = a.institution_name,
        .number = a.number,
        .created_at = a.created_at,
    };
    return core_content_render(&c, out);
}

enum app_status app_content(const struct app_ctx *ctx, struct ubuf *out, struct app_err *err)
{
    struct store *s = ctx->db;
    struct store_application a;
    app_err_clear(err);
    const struct app_session *ss = app__applicant(ctx, err);
    if (!ss)
        return err->status;
    if (app__load(s, ss, &a, err) != APP_OK)
        return err->status;
    if (!strcmp(a.state, core_app_state_code(CORE_APP_DRAFT)))
        return app__fail(err, APP_ECONFLICT, "wrong_state");
    if (app__content_render(&a, out) < 0)
        return app__fail(err, APP_EINTERNAL, NULL);
    return APP_OK;
}

enum app_status app__method_choose(struct store *s, const struct app_portal_cfg *cfg,
                                   const struct app_session *ss, const char *method, int64_t now,
                                   struct store_application *out, struct app_err *err)
{
    struct store_application a;
    char actor[32];
    app_err_clear(err);
    if (!method || (strcmp(method, "esign") && strcmp(method, "wet"))) {
        app_err_field(err, "method", method && *method ? "method_unknown" : "required");
        return app__fail(err, APP_EINVAL, "invalid_fields");
    }
    if (app__load(s, ss, &a, err) != APP_OK)
        return err->status;
    if (strcmp(a.state, core_app_state_code(CORE_APP_CODE_VERIFIED)) != 0)
        return app__fail(err, APP_ECONFLICT, "wrong_state");
    if (!strcmp(method, "esign") && !strcmp(a.reason, "lost_stolen"))
        return app__fail(err, APP_ECONFLICT, "lost_card_wet_only");
    bool has_cert;
    int64_t not_after;
    enum core_phase phase;
    if (app__phase(s, cfg, a.tckn, now, &has_cert, &not_after, &phase, err) != APP_OK)
        return err->status;
    bool wet = !strcmp(method, "wet"), limit;
    unsigned methods;
    if (app__methods(s, cfg, a.tckn, phase, &methods, &limit, err) != APP_OK)
        return err->status;
    if (!(methods & (wet ? CORE_METHOD_WET : CORE_METHOD_ESIGN)))
        return app__fail(err, APP_ECONFLICT,
                         limit && !wet ? "remote_renewal_limit" : "signing_method_not_allowed");

    struct store_application next = a;
    snprintf(next.method, sizeof next.method, "%s", method);
    next.updated_at = now;
    if (wet)
        snprintf(next.state, sizeof next.state, "%s",
                 core_app_state_code(CORE_APP_AWAITING_ORIGINAL));
    app__actor(a.tckn, actor);
    /* esign does not move the state (the signature will); the choice still goes on the
     * timeline. */
    struct store_app_event ev = {now, a.state, next.state, wet ? "wet_chosen" : "esign_chosen",
                                 actor};
    enum store_err e = store_tx_begin(s);
    if (e == STORE_OK)
        e = store_app_update(s, &next, a.state, &ev);
    if (e == STORE_OK)
        e = app__audit(s, now, actor, wet ? "application.wet_chosen" : "application.esign_chosen",
                       a.number, NULL);
    if (e == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK)
        return app__store_err(s, e, "saving the signing method", "no_application", "wrong_state",
                              err);
    if (out)
        *out = next;
    return APP_OK;
}

enum app_status app_method_choose(const struct app_ctx *ctx, const char *method,
                                  struct app_application *out, struct app_err *err)
{
    struct store_application next;
    app_err_clear(err);
    const struct app_session *ss = app__applicant(ctx, err);
    if (!ss)
        return err->status;
    enum app_status st =
        app__method_choose(ctx->db, &ctx->set->portal, ss, method, ctx->now, &next, err);
    if (st == APP_OK && out)
        app__application_view(&next, out);
    return st;
}

/* ---- status -------------------------------------------------------------------------------- */

/* The lines of the history are the catalogue's "event.<event>" (po/). */
const char *app_event_label(const char *event, enum core_lang lang)
{
    const char *t = core_text_of("event", event, lang);
    return t ? t : event;
}

const char *app_event_label_tr(const char *event)
{
    return app_event_label(event, CORE_LANG_TR);
}

/* The status page's sentences: the catalogue's "status.<name>" (po/). */
static const char *status_text(const char *name, enum core_lang lang)
{
    const char *t = core_text_of("status", name, lang);
    return t ? t : "";
}

/* inhouse: the deployment makes its own cards, handed over at the office or sent by courier
 * (the "_inhouse" twins of the sentences that say the courier alone) */
static const char *next_step(const struct store_application *a, enum core_app_state st,
                             bool inhouse, enum core_lang lang)
{
    switch (st) {
    case CORE_APP_DRAFT:
        return a->confirmed ? status_text("next_draft_confirmed", lang)
                            : status_text("next_draft", lang);
    case CORE_APP_CODE_VERIFIED:
        return !strcmp(a->method, "esign") ? status_text("next_sign", lang)
                                           : status_text("next_choose_method", lang);
    case CORE_APP_AWAITING_ORIGINAL:
        return status_text("next_awaiting_original", lang);
    case CORE_APP_SUBMITTED:
        return status_text("next_submitted", lang);
    case CORE_APP_APPROVED:
        return status_text("next_approved", lang);
    case CORE_APP_REJECTED:
        return status_text("next_rejected", lang);
    case CORE_APP_IN_PRODUCTION:
        return status_text(inhouse ? "next_in_production_inhouse" : "next_in_production", lang);
    case CORE_APP_SHIPPED:
        return status_text("next_shipped", lang);
    case CORE_APP_DELIVERED:
        return status_text("next_delivered", lang);
    case CORE_APP_COMPLETED:
        return status_text("next_completed", lang);
    case CORE_APP_CANCELLED:
        return status_text("next_cancelled", lang);
    case CORE_APP__STATE_COUNT:
        break;
    }
    return "";
}

/* The text key for a number of days n ({0}, in its plural form) into out; "" when it does not
 * fit. */
static const char *days_text(const char *key, int n, enum core_lang lang, char *out, size_t cap)
{
    const char *t = core_text_n(key, n > 0 ? (unsigned long)n : 0, lang);
    char num[16];
    snprintf(num, sizeof num, "%d", n);
    if (!t || !core_text_fill(t, num, out, cap))
        out[0] = '\0';
    return out;
}

/* A state or event code into a field of size n, cut to fit ("" for NULL). */
static void copy_code(char *f, size_t n, const char *code)
{
    size_t k = code ? strnlen(code, n - 1) : 0;
    memcpy(f, code ? code : "", k);
    f[k] = '\0';
}

static int collect(void *ctx, const struct store_app_event *ev)
{
    struct app_status_view *v = ctx;
    if (v->nevents >= APP_STATUS_EVENTS_MAX)
        return 1;
    struct app_status_event *e = &v->events[v->nevents++];
    e->at = ev->at;
    copy_code(e->from, sizeof e->from, ev->from);
    copy_code(e->to, sizeof e->to, ev->to);
    copy_code(e->event, sizeof e->event, ev->event);
    e->label = app_event_label(e->event, v->lang); /* static text, or e->event itself */
    return 0;
}

/* An empty view in lang; the timeline's entries are written as they come (nevents counts
 * them), so its room (most of the view) is not zeroed first. */
static void view_clear(struct app_status_view *v, enum core_lang lang)
{
    _Static_assert(offsetof(struct app_status_view, events) + sizeof v->events ==
                       sizeof(struct app_status_view),
                   "the timeline is the view's last member");
    memset(v, 0, offsetof(struct app_status_view, events));
    v->lang = lang;
}

/* The view of what the status read found (sr, the timeline already collected into out). */
static enum app_status status_view(const struct app_portal_cfg *cfg, int64_t now,
                                   const struct store_status *sr, struct app_status_view *out,
                                   struct app_err *err)
{
    const struct store_application *a = &sr->app;
    const enum core_lang lang = out->lang;
    enum core_app_state st;
    app__application_view(a, &out->app);
    if (core_app_state_parse(a->state, &st) != 0) {
        ulog(ULOG_ERROR, "portal.state", "application=%s state=unknown", a->number);
        return app__fail(err, APP_EINTERNAL, NULL);
    }
    /* the rejection's reason, as the approver wrote or chose it */
    size_t rlen = strnlen(sr->rejection_reason, sizeof out->rejection_reason - 1);
    memcpy(out->rejection_reason, sr->rejection_reason, rlen);
    out->rejection_reason[rlen] = '\0';
    app__flow_view(cfg, sr, lang, &out->flow);
    out->label = core_app_state_label(st, lang);
    /* who helps and how the card comes: Kamu SM's card by courier; one made in house handed
     * over or sent, the e-imza sorumlusu asked */
    const bool inhouse = cfg->production == APP_PRODUCTION_INHOUSE;
    out->next = next_step(a, st, inhouse, lang);
    if (st == CORE_APP_APPROVED)
        out->next = days_text(inhouse ? "status.next_approved_inhouse" : "status.next_approved",
                              cfg->rules.delivery_expected_days, lang, out->next_text,
                              sizeof out->next_text);
    /* completed by a renewal made before the old certificate ended: the new one is not valid
     * yet, and the old one is the one to sign with until it is; but a card reported lost or
     * stolen had its certificate revoked, so there the old card is not to be used at all */
    if (st == CORE_APP_COMPLETED && out->flow.new_serial[0] && out->flow.new_not_before > now) {
        out->flow.cert_later = true; /* the card's state says so too (the pages) */
        char from[32];
        app_time_tr(out->flow.new_not_before, APP_TIME_DATE, from);
        bool lost = !strcmp(a->reason, "lost_stolen");
        const char *t =
            status_text(lost ? "next_completed_later_lost" : "next_completed_later", lang);
        if (strstr(t, "{0}") && core_text_fill(t, from, out->next_text, sizeof out->next_text))
            out->next = out->next_text;
        /* the holder's timeline: the shared label says the certificate was put into use, which
         * it is not yet (the staff timeline keeps event.cert_in_use) */
        for (size_t i = 0; i < out->nevents; i++)
            if (!strcmp(out->events[i].event, "cert_in_use"))
                out->events[i].label = status_text("event_cert_later", lang);
    }
    /* who helps: Kamu SM for a card it makes, the e-imza sorumlusu where cards are made in house */
    const bool closed = st == CORE_APP_REJECTED || st == CORE_APP_CANCELLED;
    out->contact = status_text(!inhouse ? "contact"
                               : closed ? "contact_closed_inhouse" /* no new card coming */
                                        : "contact_inhouse",
                               lang);
    if (st == CORE_APP_APPROVED || st == CORE_APP_IN_PRODUCTION || st == CORE_APP_SHIPPED) {
        int64_t approved = 0;
        for (size_t i = 0; i < out->nevents; i++)
            if (!strcmp(out->events[i].event, "approve"))
                approved = out->events[i].at;
        if (approved && now >= approved + (int64_t)cfg->rules.delivery_expected_days * 86400) {
            out->delivery_overdue = true;
            out->contact =
                status_text(inhouse ? "contact_overdue_inhouse" : "contact_overdue", lang);
        }
    }
    return APP_OK;
}

/* The status of the session's application (see app_status_get): one statement. */
static enum app_status status_read(struct store *s, const struct app_portal_cfg *cfg,
                                   const struct app_session *ss, int64_t now, enum core_lang lang,
                                   struct app_status_view *out, struct app_err *err)
{
    struct store_status *sr = malloc(sizeof *sr);
    enum app_status st = APP_OK;
    view_clear(out, lang);
    if (!sr)
        return app__fail(err, APP_EINTERNAL, NULL);
    enum store_err e = store_status_of(s, ss->subject, ss->application_id, sr, collect, out);
    if (e != STORE_OK)
        st = app__store_err(s, e, "reading the status", "no_application", NULL, err);
    else
        st = status_view(cfg, now, sr, out, err);
    free(sr);
    return st;
}

enum app_status app_status_get(const struct app_ctx *c, struct app_status_view *out,
                               struct app_err *err)
{
    app_err_clear(err);
    const struct app_session *ss = app__applicant(c, err);
    if (!ss) {
        memset(out, 0, sizeof *out);
        return err->status;
    }
    return status_read(c->db, &c->set->portal, ss, c->now, c->lang, out, err);
}

/* ---- the status answer, kept for a moment --------------------------------------------------- */

bool app_status_kept(const struct app_ctx *c, struct ubuf *out)
{
    char h[STORE_HASH_HEX + 1];
    struct app_err e;
    if (!c->set->status_cache || app__token_hash(c->cred.token, h, &e) != APP_OK)
        return false;
    return app_status_cache_get(c->set->status_cache, h, c->lang, c->now, out);
}

enum app_status app_status_answer(struct app_ctx *c,
                                  int (*render)(void *rctx, const struct app_status_view *v,
                                                struct ubuf *out),
                                  void *rctx, struct ubuf *out, struct app_err *err)
{
    char h[STORE_HASH_HEX + 1];
    enum app__session_due due = APP__SESSION_KEEP;
    /* what is read and the view made of it: on the stack (14 KB), as a request's worth of
     * allocation that large made the allocator tidy its small chunks on every request */
    struct app_status_view view;
    struct store_status got;
    const size_t at = out->len; /* the answer is appended from here */
    enum app_status st = APP_OK;
    app_err_clear(err);
    memset(&c->who, 0, sizeof c->who);
    if (app__token_hash(c->cred.token, h, err) != APP_OK)
        return err->status;
    struct app_status_view *v = &view;
    struct store_status *sr = &got;
    struct store_session *ss = &sr->session;
    view_clear(v, c->lang);
    /* taken before reading: a change from here on makes what is read stale for the cache */
    struct app_status_stamp stamp = app_status_cache_stamp(h);
    /* One statement reads the session, its application and all the page shows (one consistent
     * state, one round trip); the session is judged on what it brought. */
    enum store_err e = store_status_read(c->db, h, sr, collect, v);
    if (e == STORE_ENOTFOUND)
        st = app__fail(err, APP_EAUTH, "session_required");
    else if (e != STORE_OK)
        st = app__store_err(c->db, e, "reading the status", NULL, NULL, err);
    else
        st = app__session_judge(&c->set->portal, c->now, ss, &due, err);
    if (st == APP_OK) {
        app__session_from(ss, &c->who.session);
        c->who.kind = APP_ACTOR_APPLICANT;
        st = sr->has_app ? status_view(&c->set->portal, c->now, sr, v, err)
                         : app__fail(err, APP_ENOTFOUND, "no_application");
    }
    if (st == APP_OK || due == APP__SESSION_DROP) {
        struct app_err e2;
        app_err_clear(&e2);
        enum app_status st2 = app__session_settle(c->db, h, due, c->now, ss, &e2);
        if (st == APP_OK && st2 != APP_OK) {
            *err = e2;
            st = st2;
        }
    }
    if (st == APP_OK && render(rctx, v, out) < 0)
        st = app__fail(err, APP_EINTERNAL, NULL);
    if (st == APP_OK && c->set->status_cache) {
        /* until then the session stays valid and needs no write (due now: a touch was just
         * written, which moved the session's generation on anyway) */
        int64_t until = ss->expires_at;
        if (ss->last_seen + c->set->portal.session_idle < until)
            until = ss->last_seen + c->set->portal.session_idle;
        if (ss->last_seen + APP__TOUCH_EVERY < until)
            until = ss->last_seen + APP__TOUCH_EVERY;
        stamp.quiet_until = until;
        if (out->len > at)
            app_status_cache_put(c->set->status_cache, h, c->lang, v->app.id, &stamp, out->p + at,
                                 out->len - at);
    }
    if (st != APP_OK) {
        memset(&c->who, 0, sizeof c->who);
        if (out->p && out->len > at) { /* no half-rendered answer */
            out->len = at;
            out->p[at] = '\0';
        }
    }
    return st;
}
