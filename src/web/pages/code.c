/* eimza — the SMS code pages (web/pages/): /sms, step 3 ("SMS onay kodu", the one name the
 * code has everywhere): the page that sends a code to the number of the personnel record
 * (masked), and while a code is live the page that takes it, with the time left in minutes
 * and seconds, the tries left after a wrong one, and a new code offered by itself once one may
 * be asked for. "İptal" and the way back lead to the check of the answers, nothing lost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/text.h"
#include "web/pages/pages.h"

/* ---- steps 3 and 4: /sms ------------------------------------------------------------------- */

/* What the SMS page shows, from the use case (app_otp_status). */
static enum web_err sms_state(struct web_pg *c, struct app_otp_state *out)
{
    struct app_err err;
    if (app_otp_status(&c->app, out, &err) != APP_OK) {
        c->err = err;
        return web_pg_app_failure(c);
    }
    return WEB_OK;
}

/* The form that asks for a new code. Shown at once when one may be asked for; while the
 * cool-down runs it is hidden and countdown.js shows it by itself when the wait is over
 * (data-reveal-after), with the wait said in words until then (and without script, where a
 * reload shows the button). Not offered when the hour's codes are used up or entries locked. */
static void sms_resend(struct web_pg *c, struct web_page *p, const struct app_otp_state *ss)
{
    if (ss->locked_for > 0)
        return;
    char secs[24];
    snprintf(secs, sizeof secs, "%lld", (long long)ss->resend_in);
    if (ss->resend_in > 0) {
        web_page_open_class(p, WEB_EL_P, "resend-wait");
        web_page_flag(p, "data-reveal-wait");
        web_page_duration_attrs(p);
        web_page_msg_part(p, WEB_MSG_OTP_RESEND_WAIT, 0);
        web_page_open(p, WEB_EL_SPAN);
        web_page_flag(p, "data-reveal-left");
        web_page_duration(p, ss->resend_in);
        web_page_close(p, WEB_EL_SPAN);
        web_page_msg_part(p, WEB_MSG_OTP_RESEND_WAIT, 1);
        web_page_close(p, WEB_EL_P);
    }
    web_page_form_open(p, "/sms/gonder");
    web_page_attr(p, "class", "resend");
    if (ss->resend_in > 0) {
        web_page_flag(p, "hidden");
        web_page_attr(p, "data-reveal-after", secs);
        web_page_attr_msg(p, "data-reveal-says", WEB_MSG_OTP_RESEND_NOW);
    }
    web_page_csrf(p, web_pg_csrf(c));
    web_page_open_class(p, WEB_EL_DIV, "buttons");
    web_page_button(p, WEB_MSG_OTP_NEW_CODE, WEB_BUTTON_SECONDARY, NULL, NULL);
    web_page_close(p, WEB_EL_DIV);
    web_page_form_end(p);
}

/* A code was sent and can be entered: the form for it, the time left in minutes and seconds,
 * a new code (by itself once one may be asked for), and what to do when the number is wrong.
 * "İptal" goes back to the check of the answers: the saved form, security word included, is
 * kept as it was. */
static void sms_enter_code(struct web_pg *c, struct web_page *p, const struct app_otp_state *ss,
                           const struct web_field *code, int64_t retry)
{
    web_pg_heading(p, WEB_MSG_PP_SMS_CODE_TITLE);
    const char *args[] = {ss->masked_phone};
    web_page_open(p, WEB_EL_P);
    web_page_msg_args(p, WEB_MSG_OTP_SENT, args, 1);
    web_page_close(p, WEB_EL_P);
    web_page_countdown(p, (unsigned)ss->expires_in);
    web_page_form_begin(p, "/sms/dogrula", web_pg_csrf(c));
    web_page_field(p, code);
    web_page_open_class(p, WEB_EL_DIV, "buttons");
    web_page_button(p, WEB_MSG_OK, WEB_BUTTON_PRIMARY, "action", "ok");
    web_page_button(p, WEB_MSG_CANCEL, WEB_BUTTON_SECONDARY, "action", "cancel");
    web_page_close(p, WEB_EL_DIV);
    web_page_form_end(p);
    web_pg_para(p, WEB_MSG_OTP_CANCEL_KEEPS);
    sms_resend(c, p, ss);
    web_pg_retry_notice(p, c->app.now, retry);
    web_pg_para(p, WEB_MSG_OTP_WRONG_NUMBER);
}

/* No code to enter: the number it would go to (the personnel record's, says the page), and
 * the button that sends one. */
static void sms_send_code(struct web_pg *c, struct web_page *p, const struct app_otp_state *ss,
                          int64_t retry)
{
    web_pg_heading(p, WEB_MSG_STEP_3);
    web_pg_retry_notice(p, c->app.now, retry);
    web_pg_para(p, WEB_MSG_PP_SMS_LEAD);
    if (ss->has_phone) {
        web_page_open_class(p, WEB_EL_P, "phone");
        web_page_msg(p, WEB_MSG_PHONE_NUMBER);
        web_page_text(p, ": ");
        web_page_el_text(p, WEB_EL_STRONG, ss->masked_phone);
        web_page_close(p, WEB_EL_P);
        web_pg_para(p, WEB_MSG_OTP_WRONG_NUMBER);
        if (ss->locked_for <= 0) {
            web_page_form_begin(p, "/sms/gonder", web_pg_csrf(c));
            web_page_form_submit(p, WEB_MSG_SEND, WEB_BUTTON_PRIMARY);
        }
    } else {
        web_page_notice_begin(p, WEB_NOTICE_WARNING);
        web_page_el_text(p, WEB_EL_P, web_pg_reason(c, "no_mobile_on_file"));
        web_page_notice_end(p);
    }
}

static enum web_err sms_page(struct web_pg *c, const struct app_view *v, const char *msg,
                             const char *code_error, int64_t retry, unsigned status)
{
    struct app_otp_state ss;
    struct web_page p;
    struct web_error_item items[2];
    size_t n = 0;
    (void)v;
    enum web_err rc = sms_state(c, &ss);
    if (rc != WEB_OK)
        return rc;
    if (!ss.live)
        code_error = NULL; /* nothing to enter any more: said in the summary instead */

    struct web_field code = {WEB_FIELD_NUMERIC,
                             "code",
                             WEB_MSG_OTP_CODE,
                             WEB_MSG_OTP_CODE_HINT,
                             .autocomplete = "one-time-code",
                             .maxlength = 7,
                             .error = code_error};
    if (code_error)
        items[n++] = (struct web_error_item){"code", WEB_MSG_OTP_CODE, code_error};
    if (msg)
        items[n++] = web_pg_message_item(msg);
    const struct web_layout layout = {.title = ss.live ? WEB_MSG_PP_SMS_CODE_TITLE : WEB_MSG_STEP_3,
                                      .step = WEB_STEP_OTP,
                                      .errors = n > 0};
    web_pg_form_page(c, &p, &layout, items, n);
    if (ss.live)
        sms_enter_code(c, &p, &ss, &code, retry);
    else
        sms_send_code(c, &p, &ss, retry);
    web_page_action_link(&p, "/kontrol", WEB_MSG_OTP_BACK_TO_CHECK);
    web_page_end(&p);
    return web_pg_reply(c, &p, status);
}

/* The SMS pages need a saved form still in draft. */
static bool sms_allowed(const struct app_view *v)
{
    return web_pg_in_state(&v->app, CORE_APP_DRAFT) && v->app.confirmed;
}

enum web_err web_h_page_sms(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    if (!web_pg_enter(&c, false, &v, &rc))
        return rc;
    if (!sms_allowed(&v))
        return web_pg_see_other(rq, web_pg_step_path(&v.app));
    return sms_page(&c, &v, NULL, NULL, 0, 200);
}

/* GET of a URL only ever posted to (a bookmark, a reload): the SMS page. */
enum web_err web_h_page_sms_get(struct web_req *rq)
{
    return web_pg_see_other(rq, "/sms");
}

/* A refusal of the SMS use cases shown on the SMS page (the 429s with when to retry). */
static enum web_err sms_refused(struct web_pg *c, const struct app_view *v)
{
    const char *code = c->err.code ? c->err.code : "";
    const char *msg = web_pg_reason(c, code);
    if (c->err.status == APP_ETOOMANY)
        return sms_page(c, v, msg, NULL, c->err.retry_after, 429);
    if (!strcmp(code, "no_mobile_on_file") || !strcmp(code, "otp_expired"))
        return sms_page(c, v, msg, NULL, 0, 200);
    return web_pg_app_failure(c);
}

enum web_err web_h_page_sms_send(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    struct app_otp_sent sent;
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    if (!web_pg_enter(&c, true, &v, &rc))
        goto out;
    if (!sms_allowed(&v)) {
        rc = web_pg_see_other(rq, web_pg_step_path(&v.app));
        goto out;
    }
    /* confirming the answers again while a code sent a moment ago is still good: enter that one
     * (a new one is a click away once the cool-down allows) */
    const char *from = web_pg_field(&c, "from");
    struct app_otp_state st;
    if (from && !strcmp(from, "kontrol") && app_otp_status(&c.app, &st, &c.err) == APP_OK &&
        st.live && st.resend_in > 0) {
        rc = web_pg_see_other(rq, "/sms");
        goto out;
    }
    if (app_otp_send(&c.app, &sent, &c.err) == APP_OK)
        rc = web_pg_see_other(rq, "/sms");
    else
        rc = sms_refused(&c, &v);
out:
    web_pg_done(&c);
    return rc;
}

enum web_err web_h_page_sms_verify(struct web_req *rq)
{
    struct web_pg c;
    struct app_view v;
    char code[16], msg[512];
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    if (!web_pg_enter(&c, true, &v, &rc))
        goto out;
    const char *action = web_pg_field(&c, "action");
    if (action && !strcmp(action, "cancel")) {
        rc = web_pg_see_other(rq, "/kontrol"); /* the saved form, security word and all */
        goto out;
    }
    if (!sms_allowed(&v)) {
        rc = web_pg_see_other(rq, web_pg_step_path(&v.app));
        goto out;
    }
    /* spaces people type between the digits ("123 456") are not part of the code */
    const char *in = web_pg_field(&c, "code");
    size_t k = 0;
    for (; in && *in && k + 1 < sizeof code; in++)
        if (*in != ' ' && *in != '-')
            code[k++] = *in;
    code[k] = '\0';
    if (app_otp_verify(&c.app, code, &c.err) == APP_OK) {
        rc = web_pg_see_other(rq, "/yontem");
        goto out;
    }
    if (c.err.code && !strcmp(c.err.code, "otp_wrong")) {
        /* short, with the tries left, as the PIN page's steps say it */
        web_pg_wrong_left(WEB_MSG_OTP_CODE_WRONG, c.err.remaining, c.lang, msg, sizeof msg);
        if (c.err.remaining > 0)
            rc = sms_page(&c, &v, NULL, msg, 0, 200);
        else /* the code is void now: what to do next is in the summary */
            rc = sms_page(&c, &v, app_reason_text("otp_locked", c.lang), NULL, c.err.retry_after,
                          200);
    } else {
        rc = sms_refused(&c, &v);
    }
out:
    web_pg_done(&c);
    return rc;
}
