/* eimza — the holder's pages after the decision (web/pages/; app/card_flow.h): on the status page,
 * the decision's reason and what to do, the card on its way, the new certificate, the PIN and
 * the holder's actions; /durum/yeni starts a new application after the last one ended, /iptal
 * cancels before the decision (after a page that asks once more), /durum/teslim records that
 * the card arrived.
 */
#include <stdio.h>
#include <string.h>

#include "app/card_flow.h"
#include "app/text.h"
#include "web/pages/pages.h"

/* ---- on the status page -------------------------------------------------------------------- */

static void form_button(struct web_pg *c, struct web_page *p, const char *action,
                        enum web_msg label, enum web_button_kind kind)
{
    web_page_form_begin(p, action, web_pg_csrf(c));
    web_page_open_class(p, WEB_EL_DIV, "buttons");
    web_page_button(p, label, kind, NULL, NULL);
    web_page_close(p, WEB_EL_DIV);
    web_page_form_end(p);
}

void web_pg_flow_decision(struct web_pg *c, struct web_page *p, const struct app_status_view *sv)
{
    const struct app_flow_view *f = &sv->flow;
    const struct app_application *a = &sv->app;
    if (web_pg_in_state(a, CORE_APP_CANCELLED) && a->closed_reason[0]) {
        web_page_notice_begin(p, WEB_NOTICE_WARNING);
        web_page_open(p, WEB_EL_P);
        web_page_open(p, WEB_EL_STRONG);
        web_page_msg(p, WEB_MSG_FL_CANCEL_REASON);
        web_page_text(p, ":");
        web_page_close(p, WEB_EL_STRONG);
        web_page_text(p, " ");
        web_page_open(p, WEB_EL_SPAN);
        web_page_attr(p, "lang", "tr");
        web_page_text(p, a->closed_reason);
        web_page_close(p, WEB_EL_SPAN);
        web_page_close(p, WEB_EL_P);
        web_page_notice_end(p);
    }
    if (f->closed_at) {
        /* which day it is: the one it was rejected, cancelled or completed on */
        char when[32];
        web_pg_time(f->closed_at, WEB_PG_DATE, when);
        const char *args[] = {when};
        enum web_msg m = web_pg_in_state(a, CORE_APP_REJECTED)    ? WEB_MSG_FL_REJECTED_AT
                         : web_pg_in_state(a, CORE_APP_CANCELLED) ? WEB_MSG_FL_CANCELLED_AT
                         : web_pg_in_state(a, CORE_APP_COMPLETED) ? WEB_MSG_FL_COMPLETED_AT
                                                                  : WEB_MSG_FL_CLOSED_AT;
        web_pg_para_args(p, m, args, 1);
    }
    if (f->advice) {
        web_page_el_msg(p, WEB_EL_H2, WEB_MSG_FL_WHAT_TO_DO);
        web_pg_text_para(p, f->advice);
    }
    if (f->can_start_new)
        form_button(c, p, "/durum/yeni", WEB_MSG_FL_NEW_APPLICATION, WEB_BUTTON_PRIMARY);
}

static enum web_msg card_state_msg(const char *state)
{
    static const struct {
        const char *code;
        enum web_msg label;
    } labels[] = {
        {"produced", WEB_MSG_FL_CARD_PRODUCED},   {"shipped", WEB_MSG_FL_CARD_SHIPPED},
        {"delivered", WEB_MSG_FL_CARD_DELIVERED}, {"active", WEB_MSG_FL_CARD_ACTIVE},
        {"lost", WEB_MSG_FL_CARD_LOST},           {"revoked", WEB_MSG_FL_CARD_REVOKED},
        {"returned", WEB_MSG_FL_CARD_RETURNED},   {"destroyed", WEB_MSG_FL_CARD_DESTROYED},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (!strcmp(labels[i].code, state))
            return labels[i].label;
    return WEB_MSG_NONE;
}

void web_pg_card_state_text(struct web_page *p, const char *state)
{
    enum web_msg m = card_state_msg(state);
    if (m == WEB_MSG_NONE)
        web_page_text(p, state);
    else
        web_page_msg(p, m);
}

/* The holder's card's state: "in use" (or "delivered") is not yet true while the new certificate
 * is valid only from a later day (a renewal completed before the old one ends): then "delivered;
 * its certificate valid from that day". */
static void card_state_dd(struct web_page *p, const struct app_flow_view *f)
{
    if (f->cert_later &&
        (!strcmp(f->card_state, "active") || !strcmp(f->card_state, "delivered"))) {
        char from[32];
        web_pg_time(f->new_not_before, WEB_PG_DATE, from);
        const char *args[] = {from};
        web_page_open(p, WEB_EL_DD);
        web_page_msg_args(p, WEB_MSG_FL_CARD_LATER, args, 1);
        web_page_close(p, WEB_EL_DD);
    } else {
        web_page_el_msg(p, WEB_EL_DD, card_state_msg(f->card_state));
    }
}

/* <dt>label</dt><dd>value</dd> */
static void pair(struct web_page *p, enum web_msg label, const char *value)
{
    web_page_el_msg(p, WEB_EL_DT, label);
    web_page_el_text(p, WEB_EL_DD, value);
}

void web_pg_flow_after(struct web_pg *c, struct web_page *p, const struct app_status_view *sv)
{
    const struct app_flow_view *f = &sv->flow;
    if (f->can_cancel) {
        web_page_open(p, WEB_EL_P);
        web_page_open(p, WEB_EL_A);
        web_page_attr(p, "href", "/iptal");
        web_page_msg(p, WEB_MSG_FL_CANCEL_LINK);
        web_page_close(p, WEB_EL_A);
        web_page_close(p, WEB_EL_P);
    }
    if (f->has_card || f->new_serial[0] || f->pin != APP_PIN_NONE) {
        web_page_el_msg(p, WEB_EL_H2, WEB_MSG_FL_CARD);
        if (f->has_card) {
            web_page_open_class(p, WEB_EL_DL, "facts");
            web_page_el_msg(p, WEB_EL_DT, WEB_MSG_FL_CARD_STATE);
            card_state_dd(p, f);
            if (f->carrier[0])
                pair(p, WEB_MSG_FL_CARRIER, f->carrier);
            if (f->tracking_number[0])
                pair(p, WEB_MSG_FL_TRACKING, f->tracking_number);
            web_page_close(p, WEB_EL_DL);
        }
        if (f->can_confirm) {
            web_pg_para(p, WEB_MSG_FL_CONFIRM_LEAD);
            form_button(c, p, "/durum/teslim", WEB_MSG_FL_CONFIRM_DELIVERY, WEB_BUTTON_PRIMARY);
        }
        if (f->new_serial[0]) {
            char from[32], until[32];
            web_pg_time(f->new_not_before, WEB_PG_DATE, from);
            web_pg_time(f->new_not_after, WEB_PG_DATE, until);
            const char *args[] = {f->new_serial, from, until};
            web_page_el_msg(p, WEB_EL_H3, WEB_MSG_FL_NEW_CERT);
            web_pg_para_args(p, WEB_MSG_FL_NEW_CERT_LINE, args, 3);
        }
        if (f->pin != APP_PIN_NONE && f->pin_note) {
            web_page_el_msg(p, WEB_EL_H3, WEB_MSG_FL_PIN);
            web_pg_text_para(p, f->pin_note);
            if (f->pin == APP_PIN_WAITING)
                web_page_link_button(p, "/pin", WEB_MSG_FL_PIN_SHOW);
        }
        if (f->can_try_card) {
            web_page_el_msg(p, WEB_EL_H3, WEB_MSG_FL_TRY_CARD);
            web_pg_para(p, WEB_MSG_FL_TRY_CARD_LEAD);
            web_page_link_button(p, "/kart-dene", WEB_MSG_FL_TRY_CARD);
        }
    }
}

/* ---- /durum/yeni, /iptal, /durum/teslim
 * ---------------------------------------------------------- */

enum web_err web_h_page_new_application(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    if (web_pg_enter(&c, true, &v, &rc)) {
        if (app_application_start(&c.app, &v, &c.err) != APP_OK)
            rc = web_pg_app_failure(&c); /* one is going: 303 to where it stands */
        else
            rc = web_pg_see_other(rq, web_pg_step_path(&v.app));
    }
    web_pg_done(&c);
    return rc;
}

static enum web_err cancel_page(struct web_pg *c, const struct app_view *v)
{
    struct web_page p;
    const struct web_layout layout = {.title = WEB_MSG_FL_CANCEL_TITLE, .step = WEB_STEP_NONE};
    web_pg_page(c, &p);
    web_pg_begin(c, &p, &layout); /* the session's warning too (issue 17) */
    web_pg_heading(&p, WEB_MSG_FL_CANCEL_TITLE);
    web_pg_app_number(&p, v->app.number);
    web_page_notice_begin(&p, WEB_NOTICE_WARNING);
    web_pg_para(&p, WEB_MSG_FL_CANCEL_LEAD);
    web_page_notice_end(&p);
    web_page_form_begin(&p, "/iptal", web_pg_csrf(c));
    web_page_open_class(&p, WEB_EL_DIV, "buttons");
    web_page_button(&p, WEB_MSG_FL_CANCEL_CONFIRM, WEB_BUTTON_PRIMARY, NULL, NULL);
    web_page_close(&p, WEB_EL_DIV);
    web_page_form_end(&p);
    web_page_action_link(&p, "/durum", WEB_MSG_FL_CANCEL_BACK);
    web_page_end(&p);
    return web_pg_reply(c, &p, 200);
}

enum web_err web_h_page_cancel(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    bool post = web_pg_is_post(&c);
    if (!web_pg_enter(&c, post, &v, &rc))
        goto out;
    bool open = web_pg_in_state(&v.app, CORE_APP_DRAFT) ||
                web_pg_in_state(&v.app, CORE_APP_CODE_VERIFIED) ||
                web_pg_in_state(&v.app, CORE_APP_AWAITING_ORIGINAL) ||
                web_pg_in_state(&v.app, CORE_APP_SUBMITTED);
    if (!open)
        rc = web_pg_see_other(rq, "/durum");
    else if (!post)
        rc = cancel_page(&c, &v);
    else if (app_application_cancel(&c.app, NULL, &c.err) != APP_OK)
        rc = web_pg_app_failure(&c);
    else
        rc = web_pg_see_other(rq, "/durum");
out:
    web_pg_done(&c);
    return rc;
}

enum web_err web_h_page_delivery(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    if (web_pg_enter(&c, true, &v, &rc)) {
        if (app_delivery_confirm(&c.app, NULL, &c.err) != APP_OK)
            rc = web_pg_app_failure(&c);
        else
            rc = web_pg_see_other(rq, "/durum");
    }
    web_pg_done(&c);
    return rc;
}

/* ---- the new card's PIN: /pin, /pin/sozcuk, /pin/kod
 * --------------------------------------------- */

/* Whether code is the reason code (app_err's code) named: the page's choices go by the code,
 * never by a message's words. */
static bool pin_is(const char *code, const char *name)
{
    return code && !strcmp(code, name);
}

/* The page of the retrieval's step: the word, or the code once the word was right. code is the
 * reason code of the refusal shown (NULL for none); field_error the field's message; msg one for
 * the summary; retry the seconds of a lock-out.
 *
 * Who helps a holder who forgot the word is the word field's hint, there before any try (a
 * try spent to learn it counts toward the lock) and once on the page: a wrong word's message
 * at the field is short and says the tries left, and the hint is left out where the summary
 * says who helps already (the lock's message). */
static enum web_err pin_page(struct web_pg *c, const struct app_pin_status *ps,
                             const char *masked_phone, const char *code, const char *field_error,
                             const char *msg, int64_t retry, unsigned status)
{
    struct web_page p;
    struct web_error_item items[2] = {0}; /* gcc -O2 cannot see n guards them */
    size_t n = 0;
    bool code_step = ps->word_ok;
    struct web_field f =
        code_step
            ? (struct web_field){WEB_FIELD_NUMERIC,
                                 "code",
                                 WEB_MSG_OTP_CODE,
                                 WEB_MSG_OTP_CODE_HINT,
                                 .autocomplete = "one-time-code",
                                 .maxlength = 6,
                                 .error = field_error}
            : (struct web_field){WEB_FIELD_PASSWORD,    "security_word", WEB_MSG_SECURITY_WORD,
                                 .autocomplete = "off", .maxlength = 64, .error = field_error};
    bool waived = !code_step && ps->word_waived; /* an operator lifted the word step */
    if (!code_step && !waived && !pin_is(code, "pin_locked"))
        f.hint = WEB_MSG_FP_FORGOT;
    if (field_error && !waived)
        items[n++] = (struct web_error_item){f.name, f.label, field_error};
    if (msg)
        items[n++] = web_pg_message_item(msg);
    const struct web_layout layout = {.title = WEB_MSG_FP_TITLE, .errors = n > 0};
    web_pg_form_page(c, &p, &layout, items, n);
    web_pg_heading(&p, WEB_MSG_FP_TITLE);
    web_pg_app_number(&p, ps->number);
    web_pg_retry_notice(&p, c->app.now, retry);
    if (code_step) {
        const char *args[] = {masked_phone && *masked_phone ? masked_phone : "–"};
        web_pg_para_args(&p, WEB_MSG_FP_CODE_LEAD, args, 1);
        web_page_countdown(&p, (unsigned)ps->code_expires_in);
    } else if (waived) {
        char until[32];
        web_pg_time(ps->waived_until, WEB_PG_DATETIME, until);
        const char *args[] = {until};
        web_pg_para_args(&p, WEB_MSG_FP_WAIVED_LEAD, args, 1);
    } else {
        web_pg_para(&p, WEB_MSG_FP_LEAD);
    }
    /* the tries left, unless the wrong word's or code's message at the field says them */
    if (ps->remaining > 0 && ps->remaining < c->app.set->portal.rules.otp_max_wrong &&
        !((pin_is(code, "security_word_wrong") || pin_is(code, "otp_wrong")) && field_error)) {
        char left[16];
        snprintf(left, sizeof left, "%d", ps->remaining);
        const char *args[] = {left};
        web_page_open(&p, WEB_EL_P);
        web_page_msg_n(&p, WEB_MSG_FP_LEFT, (unsigned long)ps->remaining, args, 1);
        web_page_close(&p, WEB_EL_P);
    }
    web_page_form_begin(&p, code_step ? "/pin/kod" : "/pin/sozcuk", web_pg_csrf(c));
    if (!waived)
        web_page_field(&p, &f);
    web_page_form_submit(&p,
                         code_step ? WEB_MSG_FP_SHOW
                         : waived  ? WEB_MSG_FP_SEND_CODE
                                   : WEB_MSG_FP_CONTINUE,
                         WEB_BUTTON_PRIMARY);
    web_page_action_link(&p, "/durum", WEB_MSG_FP_TO_STATUS);
    web_page_end(&p);
    return web_pg_reply(c, &p, status);
}

/* A refusal that ends the retrieval (nothing to show, shown before): a small page saying so. */
static enum web_err pin_refused(struct web_pg *c)
{
    if (c->err.status != APP_ECONFLICT)
        return web_pg_app_failure(c);
    return web_pg_error_to(c, 409, WEB_MSG_FP_NOT_AVAILABLE, web_pg_reason(c, c->err.code),
                           WEB_MSG_NONE, "/durum", WEB_MSG_FP_TO_STATUS);
}

/* The holder's phone number masked, for the code step (the record's, where the code goes). */
static void pin_phone(struct web_pg *c, char out[CORE_PHONE_LEN + 1])
{
    struct app_otp_state os;
    struct app_err e;
    out[0] = '\0';
    if (app_otp_status(&c->app, &os, &e) == APP_OK && os.has_phone)
        snprintf(out, CORE_PHONE_LEN + 1, "%s", os.masked_phone);
}

enum web_err web_h_page_pin(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    struct app_pin_status ps;
    enum web_err rc;
    char phone[CORE_PHONE_LEN + 1];
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    if (!web_pg_enter(&c, false, &v, &rc))
        goto out;
    if (app_pin_status(&c.app, &ps, &c.err) != APP_OK) {
        rc = pin_refused(&c);
        goto out;
    }
    pin_phone(&c, phone);
    rc = pin_page(&c, &ps, phone, NULL, NULL, NULL, ps.locked_for, 200);
out:
    web_pg_done(&c);
    return rc;
}

/* A refused entry: the step's page again with the field's message (or the lock-out's). */
static enum web_err pin_again(struct web_pg *c, const char *field_code)
{
    struct app_pin_status ps;
    struct app_err keep = c->err;
    char phone[CORE_PHONE_LEN + 1];
    if (app_pin_status(&c->app, &ps, &c->err) != APP_OK)
        return pin_refused(c);
    c->err = keep;
    pin_phone(c, phone);
    if (keep.status == APP_ETOOMANY)
        return pin_page(c, &ps, phone, keep.code, NULL, web_pg_reason(c, keep.code),
                        keep.retry_after, 429);
    if (keep.status != APP_EINVAL)
        return pin_refused(c);
    const char *code = keep.nfields ? keep.fields[0].code : keep.code;
    if (field_code && pin_is(keep.code, "otp_expired")) /* ask for the word again */
        ps.word_ok = false;
    char wrong[256];
    const char *field_error = web_pg_reason(c, code ? code : "invalid_fields");
    /* a wrong word or code: short at the field, with the tries left (left > 0: a wrong entry
     * that leaves none is the lock's 429) */
    if (pin_is(keep.code, "security_word_wrong") && keep.remaining > 0)
        field_error =
            web_pg_wrong_left(WEB_MSG_FP_WORD_WRONG, keep.remaining, c->lang, wrong, sizeof wrong);
    else if (pin_is(keep.code, "otp_wrong") && keep.remaining > 0)
        field_error =
            web_pg_wrong_left(WEB_MSG_OTP_CODE_WRONG, keep.remaining, c->lang, wrong, sizeof wrong);
    return pin_page(c, &ps, phone, keep.code, field_error, NULL, 0, 400);
}

enum web_err web_h_page_pin_word(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    struct app_otp_sent sent;
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    if (!web_pg_enter(&c, true, &v, &rc))
        goto out;
    if (app_pin_word(&c.app, web_pg_field(&c, "security_word"), &sent, &c.err) == APP_OK)
        rc = web_pg_see_other(rq, "/pin");
    else
        rc = pin_again(&c, NULL);
out:
    web_pg_done(&c);
    return rc;
}

enum web_err web_h_page_pin_code(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    struct app_pin_secret sec;
    struct web_page p;
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    web_pg_page(&c, &p);
    if (!web_pg_enter(&c, true, &v, &rc))
        goto out;
    if (app_pin_code(&c.app, web_pg_field(&c, "code"), &sec, &c.err) != APP_OK) {
        rc = pin_again(&c, "code");
        goto out;
    }
    const struct web_layout layout = {.title = WEB_MSG_FP_SHOWN_TITLE};
    web_pg_begin(&c, &p, &layout);
    web_pg_heading(&p, WEB_MSG_FP_SHOWN_TITLE);
    web_pg_app_number(&p, v.app.number);
    web_page_notice_begin(&p, WEB_NOTICE_WARNING);
    web_pg_para(&p, WEB_MSG_FP_SHOWN_WARN);
    web_page_notice_end(&p);
    web_page_open_class(&p, WEB_EL_DL, "pin-codes");
    web_page_el_msg(&p, WEB_EL_DT, WEB_MSG_FP_PIN);
    web_page_open(&p, WEB_EL_DD);
    web_page_el_text(&p, WEB_EL_STRONG, sec.pin);
    web_page_close(&p, WEB_EL_DD);
    web_page_el_msg(&p, WEB_EL_DT, WEB_MSG_FP_PUK);
    web_page_open(&p, WEB_EL_DD);
    web_page_el_text(&p, WEB_EL_STRONG, sec.puk);
    web_page_close(&p, WEB_EL_DD);
    web_page_close(&p, WEB_EL_DL);
    web_page_action_link(&p, "/durum", WEB_MSG_FP_TO_STATUS);
    web_page_end(&p);
    explicit_bzero(&sec, sizeof sec);
    /* shown once: never kept by a cache on the way */
    if (web_reply_header(rq, "Cache-Control", "no-store") < 0)
        rc = WEB_E_INTERNAL;
    else
        rc = web_pg_answer(rq, &p, 200);
out:
    web_page_free(&p);
    web_pg_done(&c);
    return rc;
}

/* ---- "try my new card": /kart-dene
 * --------------------------------------------------------------- The signing page's contract with
 * static/js/sign.js (signing.c), pointed at the card test's text and answer: the agent lists the
 * cards, the holder picks the new one, the agent asks its PIN and signs, the script posts the
 * signature and goes back to /durum. */
enum web_err web_h_page_card_test(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    struct web_page p;
    struct ubuf text = UBUF_INIT(4096);
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    web_pg_page(&c, &p);
    if (!web_pg_enter(&c, false, &v, &rc))
        goto out;
    if (app_card_test_content(&c.app, &text, &c.err) != APP_OK) {
        rc =
            c.err.status == APP_ECONFLICT ? web_pg_see_other(rq, "/durum") : web_pg_app_failure(&c);
        goto out;
    }
    const struct web_layout layout = {.title = WEB_MSG_FT_TITLE};
    web_pg_begin(&c, &p, &layout);
    web_pg_heading(&p, WEB_MSG_FT_TITLE);
    web_pg_app_number(&p, v.app.number);
    web_pg_para(&p, WEB_MSG_FT_LEAD);
    web_page_el_msg(&p, WEB_EL_H2, WEB_MSG_FT_TEXT);
    web_page_open_class(&p, WEB_EL_PRE, "signed-content");
    web_page_attr(&p, "lang", "tr");
    web_page_attr(&p, "tabindex", "0");
    web_page_textn(&p, ubuf_str(&text), text.len);
    web_page_close(&p, WEB_EL_PRE);
    web_page_open(&p, WEB_EL_FORM);
    web_page_attr(&p, "id", "sign-form");
    web_page_attr(&p, "class", "sign-form");
    web_page_flag(&p, "hidden");
    web_page_attr(&p, "data-agent", web_req_agent_url(rq));
    web_page_attr(&p, "data-content-url", "/api/v1/application/card-test/content");
    web_page_attr(&p, "data-submit-url", "/api/v1/application/card-test");
    web_page_attr(&p, "data-done-url", "/durum");
    web_page_attr(&p, "data-csrf", web_pg_csrf(&c));
    /* the card tried is one made in house: its PUK came from this portal */
    web_page_attr_msg(&p, "data-say-card-locked", WEB_MSG_FT_CARD_LOCKED);
    web_page_open(&p, WEB_EL_LABEL);
    web_page_attr(&p, "for", "sign-token");
    web_page_msg(&p, WEB_MSG_FT_CARD);
    web_page_close(&p, WEB_EL_LABEL);
    web_page_open(&p, WEB_EL_SELECT);
    web_page_attr(&p, "id", "sign-token");
    web_page_attr(&p, "name", "token");
    web_page_flag(&p, "disabled");
    web_page_open(&p, WEB_EL_OPTION);
    web_page_attr(&p, "value", "");
    web_page_msg(&p, WEB_MSG_SG_CARD_WAIT);
    web_page_close(&p, WEB_EL_OPTION);
    web_page_close(&p, WEB_EL_SELECT);
    web_page_open_class(&p, WEB_EL_DIV, "buttons");
    web_page_open(&p, WEB_EL_BUTTON);
    web_page_attr(&p, "type", "button");
    web_page_attr(&p, "id", "sign-button");
    web_page_flag(&p, "disabled");
    web_page_msg(&p, WEB_MSG_FT_SIGN);
    web_page_close(&p, WEB_EL_BUTTON);
    web_page_close(&p, WEB_EL_DIV);
    web_page_close(&p, WEB_EL_FORM);
    web_page_open(&p, WEB_EL_P);
    web_page_attr(&p, "id", "sign-status");
    web_page_attr(&p, "class", "sign-status");
    web_page_attr(&p, "role", "status");
    web_page_attr(&p, "aria-live", "polite");
    web_page_close(&p, WEB_EL_P);
    web_page_open(&p, WEB_EL_SECTION);
    web_page_attr(&p, "id", "sign-fallback");
    web_page_attr(&p, "class", "sign-fallback");
    web_page_flag(&p, "hidden");
    web_pg_para(&p, WEB_MSG_FT_NO_AGENT);
    web_page_open_class(&p, WEB_EL_PRE, "command");
    web_page_el_text(&p, WEB_EL_CODE, "eimza agent --module /usr/lib/libakisp11.so");
    web_page_close(&p, WEB_EL_PRE);
    web_page_close(&p, WEB_EL_SECTION);
    web_page_action_link(&p, "/durum", WEB_MSG_FP_TO_STATUS);
    p.scripts |= WEB_SCRIPT_SIGN;
    web_page_end(&p);
    rc = web_pg_answer(rq, &p, 200);
out:
    ubuf_free(&text);
    web_page_free(&p);
    web_pg_done(&c);
    return rc;
}
