/* eimza — the holder's pages after the decision (web/pages/; app/card_flow.h): on the status page,
 * the decision's reason and what to do, the card on its way, the new certificate, the PIN and
 * the holder's actions; /durum/yeni starts a new application after the last one ended, /iptal
 * cancels before the decision (after a page that asks once more), /durum/teslim records that
 * the card arrived.
 */
#include <stdio.h>
#include <string.h>

#include "app/card_flow.h"
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
        char when[32];
        web_pg_time(f->closed_at, WEB_PG_DATE, when);
        const char *args[] = {when};
        web_pg_para_args(p, WEB_MSG_FL_CLOSED_AT, args, 1);
    }
    if (f->advice) {
        web_page_el_msg(p, WEB_EL_H2, WEB_MSG_FL_WHAT_TO_DO);
        web_pg_text_para(p, f->advice);
    }
    if (f->can_start_new)
        form_button(c, p, "/durum/yeni", WEB_MSG_FL_NEW_APPLICATION, WEB_BUTTON_PRIMARY);
}

static enum web_msg card_state_label(const char *state)
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
            web_page_open_class(p, WEB_EL_DL, "card-facts");
            web_page_el_msg(p, WEB_EL_DT, WEB_MSG_FL_CARD_STATE);
            web_page_el_msg(p, WEB_EL_DD, card_state_label(f->card_state));
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
    web_page_begin(&p, &layout);
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
    web_page_open(&p, WEB_EL_P);
    web_page_open(&p, WEB_EL_A);
    web_page_attr(&p, "href", "/durum");
    web_page_msg(&p, WEB_MSG_FL_CANCEL_BACK);
    web_page_close(&p, WEB_EL_A);
    web_page_close(&p, WEB_EL_P);
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
