/* eimza — the result and status page (web/pages/): /durum: where the application stands, what
 * happens next, the approver's reason for a rejection, the timeline, whom to call, and the way
 * on (sign, print the wet-signature form, continue the form).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/pages/pages.h"

/* ---- the result: /durum -------------------------------------------------------------------- */

static enum web_msg state_label(enum core_app_state st)
{
    static const enum web_msg labels[CORE_APP__STATE_COUNT] = {
        [CORE_APP_DRAFT] = WEB_MSG_PP_STATE_DRAFT,
        [CORE_APP_CODE_VERIFIED] = WEB_MSG_PP_STATE_CODE_VERIFIED,
        [CORE_APP_SUBMITTED] = WEB_MSG_PP_STATE_SUBMITTED,
        [CORE_APP_AWAITING_ORIGINAL] = WEB_MSG_PP_STATE_AWAITING_ORIGINAL,
        [CORE_APP_APPROVED] = WEB_MSG_PP_STATE_APPROVED,
        [CORE_APP_REJECTED] = WEB_MSG_PP_STATE_REJECTED,
        [CORE_APP_IN_PRODUCTION] = WEB_MSG_PP_STATE_IN_PRODUCTION,
        [CORE_APP_SHIPPED] = WEB_MSG_PP_STATE_SHIPPED,
        [CORE_APP_DELIVERED] = WEB_MSG_PP_STATE_DELIVERED,
        [CORE_APP_COMPLETED] = WEB_MSG_PP_STATE_COMPLETED,
        [CORE_APP_CANCELLED] = WEB_MSG_PP_STATE_CANCELLED,
    };
    return st < CORE_APP__STATE_COUNT ? labels[st] : WEB_MSG_NONE;
}

/* The step indicator of the status page: where the application stands among the five. */
static enum web_step status_step(const struct app_application *a)
{
    if (web_pg_in_state(a, CORE_APP_DRAFT))
        return a->confirmed ? WEB_STEP_OTP : WEB_STEP_FORM;
    if (web_pg_in_state(a, CORE_APP_CODE_VERIFIED))
        return !strcmp(a->method, "esign") ? WEB_STEP_SIGN : WEB_STEP_METHOD;
    if (web_pg_in_state(a, CORE_APP_AWAITING_ORIGINAL))
        return WEB_STEP_PAPER; /* step 5 is not done while the paper is on its way */
    /* a rejected or cancelled application did not come through the steps: no bar saying
     * "every step completed" over it (the page says what happened and what to do) */
    if (web_pg_in_state(a, CORE_APP_REJECTED) || web_pg_in_state(a, CORE_APP_CANCELLED))
        return WEB_STEP_NONE;
    return WEB_STEP_DONE;
}

static void link_on(struct web_page *p, const char *path, enum web_msg label)
{
    /* path is one of web_pg_step_path()'s literals */
    web_page_open(p, WEB_EL_P);
    web_page_open_class(p, WEB_EL_A, "button-link");
    web_page_attr(p, "href", path);
    web_page_msg(p, label);
    web_page_close(p, WEB_EL_A);
    web_page_close(p, WEB_EL_P);
}

/* What to do next: the use case's advice, a rejection's reason, and the way on. */
static void status_next(struct web_pg *c, struct web_page *p, const struct app_status_view *sv,
                        int plate)
{
    const struct app_application *a = &sv->app;
    /* a cancelled application has nothing next: the state says it was cancelled, and the
     * decision's part (flow_holder.c) who cancelled it, why, and what the holder can do now */
    if (web_pg_in_state(a, CORE_APP_CANCELLED))
        return;
    /* nor a rejected one: the state says it was rejected, then the reason here, and the
     * decision's part the date and what to do (a new application, whom to ask), once */
    if (!web_pg_in_state(a, CORE_APP_REJECTED)) {
        web_page_el_msg(p, WEB_EL_H2, WEB_MSG_STATUS_NEXT);
        web_pg_text_para(p, sv->next);
    }
    if (sv->rejection_reason[0]) {
        web_page_notice_begin(p, WEB_NOTICE_WARNING);
        web_page_open(p, WEB_EL_P);
        web_page_open(p, WEB_EL_STRONG);
        web_page_msg(p, WEB_MSG_PP_REJECTION_REASON);
        web_page_text(p, ":");
        web_page_close(p, WEB_EL_STRONG);
        web_page_text(p, " ");
        web_page_open(p, WEB_EL_SPAN);
        web_page_attr(p, "lang", "tr");
        web_page_text(p, sv->rejection_reason);
        web_page_close(p, WEB_EL_SPAN);
        web_page_close(p, WEB_EL_P);
        web_page_notice_end(p);
    }
    if (web_pg_in_state(a, CORE_APP_CODE_VERIFIED) && !strcmp(a->method, "esign")) {
        web_pg_para(p, WEB_MSG_PP_ESIGN_NEXT);
        link_on(p, "/imza", WEB_MSG_SIGN);
        web_page_open(p, WEB_EL_P);
        web_page_open(p, WEB_EL_A);
        web_page_attr(p, "href", "/yontem");
        web_page_msg(p, WEB_MSG_PP_CHANGE_METHOD);
        web_page_close(p, WEB_EL_A);
        web_page_close(p, WEB_EL_P);
    } else if (web_pg_in_state(a, CORE_APP_AWAITING_ORIGINAL)) {
        web_pg_wet_howto(c, p, plate); /* the same words as the confirmation's */
    } else if (web_pg_in_state(a, CORE_APP_DRAFT) || web_pg_in_state(a, CORE_APP_CODE_VERIFIED)) {
        link_on(p, web_pg_step_path(a), WEB_MSG_CONTINUE);
    }
}

/* The application's history, oldest first. */
static void status_timeline(struct web_pg *c, struct web_page *p, const struct app_status_view *sv)
{
    web_page_el_msg(p, WEB_EL_H2, WEB_MSG_PP_TIMELINE);
    web_pg_para(p, WEB_MSG_PP_TIMELINE_ZONE);
    web_page_open_class(p, WEB_EL_OL, "timeline");
    for (size_t i = 0; i < sv->nevents; i++) {
        char when[32], iso[32];
        web_pg_time(sv->events[i].at, WEB_PG_DATETIME, when);
        web_pg_time(sv->events[i].at, WEB_PG_ISO, iso);
        web_page_open(p, WEB_EL_LI);
        web_page_open(p, WEB_EL_TIME);
        web_page_attr(p, "datetime", iso);
        web_page_text(p, when);
        web_page_close(p, WEB_EL_TIME);
        web_page_text(p, " ");
        if (c->lang != CORE_LANG_TR) {
            web_page_open(p, WEB_EL_SPAN);
            web_page_attr(p, "lang", "tr");
        }
        web_page_text(p, sv->events[i].label);
        if (c->lang != CORE_LANG_TR)
            web_page_close(p, WEB_EL_SPAN);
        web_page_close(p, WEB_EL_LI);
    }
    web_page_close(p, WEB_EL_OL);
}

enum web_err web_h_page_status(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    struct app_status_view *sv = NULL;
    struct web_page p;
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    web_pg_page(&c, &p);
    if (!web_pg_enter(&c, false, &v, &rc))
        goto out;
    sv = malloc(sizeof *sv);
    if (!sv) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    if (app_status_get(&c.app, sv, &c.err) != APP_OK) {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    const struct app_application *a = &sv->app;
    const struct web_layout layout = {.title = WEB_MSG_RESULT, .step = status_step(a)};
    web_pg_begin(&c, &p, &layout);
    web_pg_heading(&p, WEB_MSG_RESULT);
    if (web_pg_in_state(a, CORE_APP_SUBMITTED)) {
        web_page_notice_begin(&p, WEB_NOTICE_SUCCESS);
        web_pg_para(&p, WEB_MSG_SIGN_DONE);
        web_page_notice_end(&p);
    }
    web_page_open_class(&p, WEB_EL_P, "state");
    web_page_msg(&p, WEB_MSG_PP_STATE);
    web_page_text(&p, ": ");
    web_page_el_msg(&p, WEB_EL_STRONG, state_label(a->st));
    web_page_close(&p, WEB_EL_P);
    web_pg_app_number(&p, a->number);

    status_next(&c, &p, sv, v.approver_province);
    web_pg_flow_decision(&c, &p, sv); /* after the decision (flow_holder.c) */
    web_pg_flow_after(&c, &p, sv);
    status_timeline(&c, &p, sv);
    web_page_el_msg(&p, WEB_EL_H2, WEB_MSG_PP_CONTACT);
    web_pg_text_para(&p, sv->contact);
    /* the card's own deadline, while a card is on its way */
    if (web_pg_in_state(a, CORE_APP_APPROVED) || web_pg_in_state(a, CORE_APP_IN_PRODUCTION) ||
        web_pg_in_state(a, CORE_APP_SHIPPED)) {
        web_page_el_msg(&p, WEB_EL_P, WEB_MSG_FOOTER_CARD_LATE); /* with the configured days */
    }
    web_page_form_begin(&p, "/cikis", web_pg_csrf(&c));
    web_page_form_submit(&p, WEB_MSG_PP_LOGOUT, WEB_BUTTON_SECONDARY);
    web_page_end(&p);
    rc = web_pg_answer(rq, &p, 200);
out:
    free(sv);
    web_page_free(&p);
    return rc;
}
