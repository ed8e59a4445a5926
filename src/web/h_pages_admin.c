/* eimza — the staff's pages (web/): the login with the TOTP enrolment (/yonetim/giris), the
 * queue with its verdicts and the bulk approval (/yonetim), one application with the decision
 * forms (/yonetim/basvuru/{id}), the dashboard (/yonetim/pano), the list of people whose
 * certificate ends soon (/yonetim/bitecekler) and logout (/yonetim/cikis).
 *
 * Like the applicant's pages (h_pages_portal.c): plain HTML forms that work without
 * JavaScript, a POST that succeeds answers 303 See Other, one that fails shows the page again
 * with the error summary. Every rule is in the use cases (app/admin.h, app/staff_auth.h), the
 * same ones the staff JSON API calls; the session is the API's (web_staff_auth, the
 * eimza_staff cookie) and every form carries its CSRF token. A staff page asked for without a
 * session sends the person to the login. An approver works in one province: a page asked for
 * another province is a 403 page here, while the use cases limit every list to theirs anyway.
 * The T.C. Kimlik No is shown masked; the full number is only in the expiring list's CSV.
 *
 * Words come from the catalogue (web/i18n.h, the "ap_" messages); reasons and verdicts from
 * core/reason.h and core/eligibility.h. The charts are inline SVG (web/svg.h), the QR code of
 * the enrolment too (app_qr_svg): no inline style or script anywhere, so the CSP holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/admin.h"
#include "app/staff_auth.h"
#include "core/appstate.h"
#include "core/date.h"
#include "core/eligibility.h"
#include "core/personnel.h"
#include "core/reason.h"
#include "core/tckn.h"
#include "core/validate.h"
#include "store/store.h"
#include "util/rand.h"
#include "web/h_admin.h"
#include "web/h_api.h"
#include "web/page.h"
#include "web/page_csrf.h"
#include "web/page_formdata.h"
#include "web/svg.h"
#include "web/web_int.h"

#define TR_OFFSET       (3 * 3600) /* Europe/Istanbul: UTC+3 all year since 2016 */
#define LOGIN_CSRF      "eimza_staff_login_csrf"
#define QUEUE_PAGE      50 /* rows of the queue per page */
#define REASON_TEXT_MAX 500

/* What every handler works with. */
struct actx {
    struct web_req *rq;
    enum core_lang lang;
    struct store *s;
    int64_t now;
    struct store_session ss;
    struct app_staff who;
    struct app_err err;
    struct web_formdata form; /* POST handlers: the decoded body */
};

/* ---- small helpers ------------------------------------------------------------------------- */

static void actx_init(struct actx *c, struct web_req *rq)
{
    memset(c, 0, sizeof *c);
    c->rq = rq;
    c->lang = web_page_lang(rq);
    c->now = web_portal_now(rq);
}

static enum web_err see_other(struct web_req *rq, const char *where)
{
    if (web_reply_header(rq, "Location", where) < 0)
        return WEB_E_NOMEM;
    return web_reply_static(rq, 303, "text/plain; charset=utf-8", "", 0);
}

static bool role_is(const struct app_staff *w, const char *role)
{
    return strcmp(w->role, role) == 0;
}

static bool may_decide(const struct app_staff *w)
{
    return role_is(w, "approver") || role_is(w, "admin");
}

static bool may_record_paper(const struct app_staff *w)
{
    return role_is(w, "operator") || role_is(w, "admin");
}

/* A day in Turkish time as DD.MM.YYYY, or with the time. */
static void tr_time(int64_t t, bool with_clock, char out[32])
{
    struct tm tm;
    time_t tt = (time_t)(t + TR_OFFSET);
    size_t n = 0;
    if (gmtime_r(&tt, &tm))
        n = strftime(out, 32, with_clock ? "%d.%m.%Y %H:%M" : "%d.%m.%Y", &tm);
    if (n == 0)
        out[0] = '\0';
}

/* A whole number of 0..max written in decimal digits only (no sign, no spaces); "" is not
 * one. */
static bool parse_count(const char *s, long max, long *out)
{
    if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
        return false;
    long v = strtol(s, NULL, 10);
    if (v > max)
        return false;
    *out = v;
    return true;
}

static void heading(struct web_page *p, enum web_msg key)
{
    web_page_raw(p, "<h1>");
    web_page_msg(p, key);
    web_page_raw(p, "</h1>\n");
}

static void para(struct web_page *p, enum web_msg key)
{
    web_page_raw(p, "<p>");
    web_page_msg(p, key);
    web_page_raw(p, "</p>\n");
}

static void para_args(struct web_page *p, enum web_msg key, const char *const *args, size_t n)
{
    web_page_raw(p, "<p>");
    web_page_msg_args(p, key, args, n);
    web_page_raw(p, "</p>\n");
}

static void notice(struct web_page *p, enum web_notice_kind kind, enum web_msg key,
                   const char *const *args, size_t n)
{
    web_page_notice_begin(p, kind);
    para_args(p, key, args, n);
    web_page_notice_end(p);
}

/* Appends "&name=value" (the first without '&'), the value percent-encoded. Returns 0 or
 * -1. */
static int q_put(struct ubuf *q, const char *name, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    int r = 0;
    if (!value)
        value = "";
    if (q->len)
        r |= ubuf_putc(q, '&');
    r |= ubuf_puts(q, name);
    r |= ubuf_putc(q, '=');
    for (const unsigned char *v = (const unsigned char *)value; *v && r == 0; v++) {
        if ((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') || (*v >= '0' && *v <= '9') ||
            *v == '-' || *v == '_' || *v == '.')
            r |= ubuf_putc(q, (char)*v);
        else
            r |= ubuf_putc(q, '%') | ubuf_putc(q, hex[*v >> 4]) | ubuf_putc(q, hex[*v & 15]);
    }
    return r < 0 ? -1 : 0;
}

/* The same, leaving out an empty value. */
static int q_add(struct ubuf *q, const char *name, const char *value)
{
    return value && *value ? q_put(q, name, value) : 0;
}

static int q_add_long(struct ubuf *q, const char *name, long v)
{
    char num[24];
    snprintf(num, sizeof num, "%ld", v);
    return q_add(q, name, num);
}

/* <form method="post" action="ACTION" novalidate> with the CSRF field, for actions built from
 * data (an application's id); closed with form_end_dyn. */
static void form_begin_dyn(struct web_page *p, const char *action, const char *csrf)
{
    web_page_raw(p, "<form method=\"post\"");
    web_page_attr(p, "action", action);
    web_page_raw(p, " novalidate>\n");
    web_page_csrf(p, csrf);
}

static void form_end_dyn(struct web_page *p)
{
    web_page_raw(p, "</form>\n");
}

static void hidden(struct web_page *p, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    web_page_raw(p, "<input type=\"hidden\"");
    web_page_attr(p, "name", name);
    web_page_attr(p, "value", value);
    web_page_raw(p, ">\n");
}

/* Writes an SVG picture (a chart, the QR code) straight into the page's buffer; a writer that
 * fails leaves the buffer as it was and fails the page. */
static void page_svg_failed(struct web_page *p, int r)
{
    if (r < 0)
        p->failed = true;
}

/* ---- the frame of every staff page --------------------------------------------------------- */

static enum web_msg role_label(const struct app_staff *w)
{
    if (role_is(w, "approver"))
        return WEB_MSG_AP_ROLE_APPROVER;
    if (role_is(w, "operator"))
        return WEB_MSG_AP_ROLE_OPERATOR;
    return WEB_MSG_AP_ROLE_ADMIN;
}

enum nav_item { NAV_NONE, NAV_QUEUE, NAV_DASHBOARD, NAV_MESSAGES };

/* The layout's opening and the staff navigation: the queue, the dashboard, who is signed in
 * and the logout button. */
static void staff_begin(struct actx *c, struct web_page *p, const struct web_layout *l,
                        enum nav_item current)
{
    web_page_begin(p, l);
    web_page_raw(p, "<nav class=\"staff-nav\"");
    web_page_attr_msg(p, "aria-label", WEB_MSG_AP_NAV_LABEL);
    web_page_raw(p, ">\n<ul>\n<li><a href=\"/yonetim\"");
    if (current == NAV_QUEUE)
        web_page_raw(p, " aria-current=\"page\"");
    web_page_raw(p, ">");
    web_page_msg(p, WEB_MSG_AP_NAV_QUEUE);
    web_page_raw(p, "</a></li>\n<li><a href=\"/yonetim/pano\"");
    if (current == NAV_DASHBOARD)
        web_page_raw(p, " aria-current=\"page\"");
    web_page_raw(p, ">");
    web_page_msg(p, WEB_MSG_AP_NAV_DASHBOARD);
    web_page_raw(p, "</a></li>\n");
    if (role_is(&c->who, "operator") || role_is(&c->who, "admin")) {
        web_page_raw(p, "<li><a href=\"/yonetim/iletiler\"");
        if (current == NAV_MESSAGES)
            web_page_raw(p, " aria-current=\"page\"");
        web_page_raw(p, ">");
        web_page_msg(p, WEB_MSG_AP_NAV_MESSAGES);
        web_page_raw(p, "</a></li>\n");
    }
    web_page_raw(p, "</ul>\n<p class=\"staff-who\">");
    char role[96];
    const char *rl = web_msg(role_label(&c->who), c->lang);
    if (c->who.province > 0)
        snprintf(role, sizeof role, "%s, %s", rl, core_province_name(c->who.province));
    else
        snprintf(role, sizeof role, "%s", rl);
    const char *args[] = {c->who.username, role};
    web_page_msg_args(p, WEB_MSG_AP_SIGNED_IN, args, 2);
    web_page_raw(p, "</p>\n");
    web_page_form_begin(p, "/yonetim/cikis", c->ss.csrf);
    web_page_button(p, WEB_MSG_PP_LOGOUT, WEB_BUTTON_SECONDARY, NULL, NULL);
    web_page_form_end(p);
    web_page_raw(p, "</nav>\n");
}

/* A small page for a refusal or a failure: a heading, a sentence and a way back. */
static enum web_err error_page(struct actx *c, unsigned status, enum web_msg title,
                               const char *text, enum web_msg text_key)
{
    struct web_page p;
    const struct web_layout layout = {.title = title};
    web_page_init(&p, c->lang);
    web_page_begin(&p, &layout);
    heading(&p, title);
    web_page_raw(&p, "<p>");
    if (text)
        web_page_text(&p, text);
    else
        web_page_msg(&p, text_key);
    web_page_raw(&p, "</p>\n<p><a href=\"/yonetim\">");
    web_page_msg(&p, WEB_MSG_AP_BACK_TO_QUEUE);
    web_page_raw(&p, "</a></p>\n");
    web_page_end(&p);
    enum web_err rc = web_page_reply(c->rq, &p, status);
    web_page_free(&p);
    return rc;
}

static enum web_err page_403(struct actx *c, const char *code)
{
    return error_page(c, 403, WEB_MSG_PP_ERR_403_TITLE, core_reason_message(code, c->lang),
                      WEB_MSG_NONE);
}

static enum web_err page_404(struct actx *c)
{
    return error_page(c, 404, WEB_MSG_PP_ERR_404_TITLE, NULL, WEB_MSG_PP_ERR_404_TEXT);
}

/* What a handler answered with an error code and no page, as a small HTML page. */
static enum web_err as_html(struct web_req *rq, enum web_err rc)
{
    if (rc == WEB_OK || rq->answered)
        return rc;
    struct actx c;
    actx_init(&c, rq);
    unsigned status = web_err_status(rc);
    enum web_err r2;
    if (status == 404)
        r2 = page_404(&c);
    else if (status >= 500)
        r2 = error_page(&c, status, WEB_MSG_PP_ERR_500_TITLE, NULL, WEB_MSG_PP_ERR_500_TEXT);
    else
        r2 = error_page(&c, status, WEB_MSG_PP_ERR_403_TITLE, web_err_message(rc, c.lang),
                        WEB_MSG_NONE);
    return r2 == WEB_OK ? WEB_OK : rc;
}

/* A use case's failure that the page has no better answer for. */
static enum web_err app_failure(struct actx *c)
{
    const struct app_err *e = &c->err;
    if (e->store_failed)
        web_req_store_failed(c->rq);
    switch (e->status) {
    case APP_EAUTH:
        return see_other(c->rq, "/yonetim/giris");
    case APP_EFORBIDDEN:
        return page_403(c, e->code ? e->code : "forbidden_role");
    case APP_ENOTFOUND:
        return page_404(c);
    case APP_EINVAL:
    case APP_ECONFLICT: /* the state moved on meanwhile: what the reason says */
        return error_page(c, e->status == APP_EINVAL ? 400 : 409, WEB_MSG_PP_ERR_403_TITLE,
                          core_reason_message(e->code ? e->code : "invalid_fields", c->lang),
                          WEB_MSG_NONE);
    case APP_EUNAVAILABLE:
        return WEB_E_DB_UNAVAILABLE;
    default:
        return error_page(c, 500, WEB_MSG_PP_ERR_500_TITLE, NULL, WEB_MSG_PP_ERR_500_TEXT);
    }
}

/* Decodes a POSTed form into c->form; WEB_OK or the error to return. */
static enum web_err read_form(struct actx *c)
{
    size_t len;
    const char *body = web_req_body(c->rq, &len);
    const char *ct = web_req_header(c->rq, "Content-Type");
    if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
        return WEB_E_MEDIA_TYPE;
    if (web_formdata_parse(&c->form, body, len) < 0)
        return WEB_E_BAD_REQUEST;
    return WEB_OK;
}

static const char *form_get(const struct actx *c, const char *name)
{
    return web_formdata_get(&c->form, name);
}

/* The staff session of a page (POSTs: the form decoded and its CSRF token checked). Returns
 * true to go on; otherwise *rc is the answer given: 303 to the login without a session, a
 * 403 page for a bad CSRF token. */
static bool enter(struct actx *c, bool post, enum web_err *rc)
{
    c->s = web_req_store(c->rq);
    if (!c->s) {
        *rc = WEB_E_DB_UNAVAILABLE;
        return false;
    }
    if (post && (*rc = read_form(c)) != WEB_OK)
        return false;
    if (web_staff_auth(c->rq, post ? form_get(c, "csrf_token") : NULL, &c->ss, &c->who, &c->err) !=
        APP_OK) {
        *rc = app_failure(c);
        return false;
    }
    return true;
}

/* The province a page is asked for (?province=NN, "" or absent: *out 0). An approver always
 * gets theirs; asking for another is refused (false, *forbidden true). A value that is not a
 * plate code is false with *forbidden false. */
static bool asked_province(const struct actx *c, const char *v, int *out, bool *forbidden)
{
    long n = 0;
    *forbidden = false;
    if (v && *v && (!parse_count(v, 81, &n)))
        return false;
    if (role_is(&c->who, "approver")) {
        if (n != 0 && n != c->who.province) {
            *forbidden = true;
            return false;
        }
        n = c->who.province;
    }
    *out = (int)n;
    return true;
}

static enum web_err bad_province(struct actx *c)
{
    return error_page(c, 400, WEB_MSG_PP_ERR_403_TITLE,
                      core_reason_message("province_unknown", c->lang), WEB_MSG_NONE);
}

/* ---- the verdict, as badge and words ------------------------------------------------------- */

static void verdict_badge(struct web_page *p, const struct core_verdict *v)
{
    if (v->eligible) {
        web_page_raw(p, "<strong class=\"verdict verdict-ok\">");
        web_page_msg(p, WEB_MSG_AP_ELIGIBLE);
    } else {
        web_page_raw(p, "<strong class=\"verdict verdict-no\">");
        web_page_msg(p, WEB_MSG_AP_NOT_ELIGIBLE);
    }
    web_page_raw(p, "</strong>\n");
}

/* The reasons in the approver's words (blocking ones and the notes such as "late"). */
static void verdict_reasons(struct web_page *p, const struct core_verdict *v)
{
    size_t pos = 0;
    unsigned bit;
    if (core_verdict_count(v->reasons) == 0)
        return;
    web_page_raw(p, "<ul class=\"verdict-reasons\">\n");
    while (core_verdict_next(v->reasons, &pos, &bit)) {
        web_page_raw(p, "<li");
        web_page_attr(p, "data-reason", core_verdict_code(bit));
        web_page_raw(p, ">");
        web_page_text(p, core_verdict_approver_text(bit, p->lang));
        web_page_raw(p, "</li>\n");
    }
    web_page_raw(p, "</ul>\n");
}

static void state_text(struct web_page *p, const char *state)
{
    enum core_app_state st;
    if (core_app_state_parse(state, &st) == 0)
        web_page_text(p, core_app_state_label(st, p->lang));
    else
        web_page_text(p, state);
}

/* "12 gün, 01.03.2026 tarihinden beri". */
static void waiting_text(struct web_page *p, int64_t now, int64_t since)
{
    char days[24], date[32];
    int64_t d = since > 0 && now > since ? (now - since) / 86400 : 0;
    snprintf(days, sizeof days, "%lld", (long long)d);
    tr_time(since, false, date);
    const char *a1[] = {days}, *a2[] = {date};
    web_page_msg_args(p, WEB_MSG_AP_DAYS, a1, 1);
    web_page_raw(p, ", ");
    web_page_msg_args(p, WEB_MSG_AP_SINCE, a2, 1);
}

static void expiry_text(struct web_page *p, int64_t not_after)
{
    char date[32];
    if (not_after <= 0) {
        web_page_msg(p, WEB_MSG_AP_NO_CERTIFICATE);
        return;
    }
    tr_time(not_after, false, date);
    web_page_text(p, date);
}

static void person_name(struct web_page *p, const struct store_application *a)
{
    web_page_text(p, a->first_name);
    web_page_raw(p, " ");
    web_page_text(p, a->last_name);
}

/* ---- /yonetim/giris -------------------------------------------------------------------------- */

enum login_field { L_USER, L_PASS, L_TOTP, L_COUNT };

static const struct web_field login_fields[L_COUNT] = {
    [L_USER] = {WEB_FIELD_TEXT, "username", WEB_MSG_AP_USERNAME, .autocomplete = "username",
                .maxlength = 63},
    [L_PASS] = {WEB_FIELD_PASSWORD, "password", WEB_MSG_AP_PASSWORD,
                .autocomplete = "current-password", .maxlength = APP_PASSWORD_MAX},
    [L_TOTP] = {WEB_FIELD_NUMERIC, "totp", WEB_MSG_AP_TOTP, WEB_MSG_AP_TOTP_HINT,
                .autocomplete = "one-time-code", .maxlength = 6},
};

/* The secret in groups of four for typing: "ABCD EFGH ...". */
static void secret_groups(const char *secret, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; secret[i] && k + 2 < cap; i++) {
        if (i && i % 4 == 0)
            out[k++] = ' ';
        out[k++] = secret[i];
    }
    out[k] = '\0';
}

/* The login page. extra: a message that belongs to no field; retry: seconds of a lock-out;
 * enrol: the secret and URI of a TOTP enrolment to show (NULL: none). */
static enum web_err login_page(struct actx *c, struct web_field *f, const char *extra,
                               int64_t retry, const struct app_staff_login_out *enrol,
                               unsigned status)
{
    struct web_page p;
    struct web_error_item items[L_COUNT + 1];
    char csrf[WEB_LOGIN_CSRF_HEX + 1];
    size_t n = 0;

    if (web_login_csrf(c->rq, LOGIN_CSRF, "/yonetim/giris", csrf) < 0)
        return WEB_E_INTERNAL;
    for (int i = 0; i < L_COUNT; i++)
        if (f[i].error)
            items[n++] = (struct web_error_item){f[i].name, f[i].label, f[i].error};
    if (extra)
        items[n++] = (struct web_error_item){NULL, WEB_MSG_NONE, extra};
    f[L_PASS].value = NULL; /* never written back */

    enum web_msg title = enrol ? WEB_MSG_AP_ENROL_TITLE : WEB_MSG_AP_LOGIN_TITLE;
    const struct web_layout layout = {.title = title, .errors = n > 0};
    web_page_init(&p, c->lang);
    web_page_begin(&p, &layout);
    web_page_error_summary(&p, items, n);
    heading(&p, title);
    if (retry > 0) {
        char at[32], mins[24];
        tr_time(c->now + retry, true, at);
        snprintf(mins, sizeof mins, "%lld", (long long)((retry + 59) / 60));
        /* HH:MM of "DD.MM.YYYY HH:MM" */
        const char *args[] = {strlen(at) == 16 ? at + 11 : at, mins};
        notice(&p, WEB_NOTICE_WARNING, WEB_MSG_PP_RETRY_AT, args, 2);
    }
    if (enrol) {
        char grouped[2 * CRYPTO_TOTP_SECRET_B32 + 2];
        secret_groups(enrol->totp_secret, grouped, sizeof grouped);
        web_page_notice_begin(&p, WEB_NOTICE_INFO);
        para(&p, WEB_MSG_AP_ENROL_LEAD);
        web_page_notice_end(&p);
        web_page_raw(&p, "<figure class=\"totp-qr\">\n");
        page_svg_failed(
            &p, app_qr_svg(&p.b, enrol->totp_uri, 240, web_msg(WEB_MSG_AP_ENROL_QR, c->lang)));
        web_page_raw(&p, "\n<figcaption>");
        web_page_msg(&p, WEB_MSG_AP_ENROL_QR);
        web_page_raw(&p, "</figcaption>\n</figure>\n<p>");
        web_page_msg(&p, WEB_MSG_AP_ENROL_SECRET);
        web_page_raw(&p, ": <code class=\"totp-secret\" translate=\"no\">");
        web_page_text(&p, grouped);
        web_page_raw(&p, "</code></p>\n<p class=\"hint\">");
        web_page_msg(&p, WEB_MSG_AP_ENROL_SECRET_HINT);
        web_page_raw(&p, "</p>\n");
    } else {
        para(&p, WEB_MSG_AP_LOGIN_LEAD);
    }
    web_page_form_begin(&p, "/yonetim/giris", csrf);
    for (int i = 0; i < L_COUNT; i++)
        web_page_field(&p, &f[i]);
    web_page_raw(&p, "<div class=\"buttons\">\n");
    web_page_button(&p, WEB_MSG_LOGIN, WEB_BUTTON_PRIMARY, NULL, NULL);
    web_page_raw(&p, "</div>\n");
    web_page_form_end(&p);
    web_page_end(&p);
    /* the enrolment's secret must not stay in any cache */
    if (enrol && web_reply_header(c->rq, "Cache-Control", "no-store") < 0)
        p.failed = true;
    enum web_err rc = web_page_reply(c->rq, &p, status);
    web_page_free(&p);
    return rc;
}

static enum web_err h_login(struct web_req *rq)
{
    struct actx c;
    struct web_field f[L_COUNT];
    struct app_staff_login_out *out = NULL;
    const char *extra = NULL;
    enum web_err rc;

    actx_init(&c, rq);
    memcpy(f, login_fields, sizeof f);
    c.s = web_req_store(rq);
    if (!c.s)
        return WEB_E_DB_UNAVAILABLE;
    if (strcmp(web_req_method(rq), "POST") != 0) {
        /* someone already signed in goes straight to the queue */
        struct store_session ss;
        struct app_err e;
        if (web_staff_token(rq, NULL) && web_staff_auth(rq, NULL, &ss, NULL, &e) == APP_OK)
            return see_other(rq, "/yonetim");
        return login_page(&c, f, NULL, 0, NULL, 200);
    }
    if ((rc = read_form(&c)) != WEB_OK)
        goto out;
    if (!web_same_token(form_get(&c, "csrf_token"), web_req_cookie(rq, LOGIN_CSRF))) {
        rc = error_page(&c, 403, WEB_MSG_PP_ERR_403_TITLE,
                        core_reason_message("csrf_invalid", c.lang), WEB_MSG_NONE);
        goto out;
    }
    for (int i = 0; i < L_COUNT; i++)
        f[i].value = form_get(&c, f[i].name);
    out = calloc(1, sizeof *out);
    if (!out) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    const struct app_staff_login_req lr = {
        .username = f[L_USER].value ? f[L_USER].value : "",
        .password = f[L_PASS].value ? f[L_PASS].value : "",
        .totp = f[L_TOTP].value,
    };
    enum app_status st = app_staff_login(c.s, web_staff_cfg(), &lr, c.now, out, &c.err);
    if (st == APP_OK) {
        char clear[96];
        snprintf(clear, sizeof clear,
                 "%s=; Path=/yonetim/giris; HttpOnly; SameSite=Strict; Max-Age=0", LOGIN_CSRF);
        if (web_staff_set_cookie(rq, out->token, web_staff_cfg()->session_lifetime) < 0 ||
            web_reply_header(rq, "Set-Cookie", clear) < 0)
            rc = WEB_E_NOMEM;
        else
            rc = see_other(rq, "/yonetim");
        goto out;
    }
    const char *code = c.err.code ? c.err.code : "";
    f[L_TOTP].value = NULL; /* a code is good once: the next try needs a new one */
    if (st == APP_EINVAL && c.err.nfields) {
        for (size_t i = 0; i < c.err.nfields; i++)
            for (int k = 0; k < L_COUNT; k++)
                if (!strcmp(c.err.fields[i].field, f[k].name) && !f[k].error)
                    f[k].error = core_reason_message(c.err.fields[i].code, c.lang);
    } else if (st == APP_EAUTH && !strcmp(code, "totp_enrolment_required")) {
        rc = login_page(&c, f, NULL, 0, out, 200);
        goto out;
    } else if (st == APP_EAUTH && !strncmp(code, "totp_", 5)) {
        f[L_TOTP].error = core_reason_message(code, c.lang);
    } else if (st == APP_EAUTH || st == APP_ETOOMANY ||
               (st == APP_EFORBIDDEN && !strcmp(code, "account_disabled"))) {
        /* the same words whatever was wrong: the use case gives one code for all */
        extra = core_reason_message(code, c.lang);
    } else {
        rc = app_failure(&c);
        goto out;
    }
    rc = login_page(&c, f, extra, st == APP_ETOOMANY ? c.err.retry_after : 0, NULL,
                    st == APP_ETOOMANY ? 429 : 200);
    if (st == APP_ETOOMANY && rc == WEB_OK) {
        char ra[24];
        snprintf(ra, sizeof ra, "%lld", (long long)c.err.retry_after);
        (void)web_reply_header(rq, "Retry-After", ra);
    }
out:
    if (out)
        memset(out, 0, sizeof *out); /* the token and any secret */
    free(out);
    web_formdata_free(&c.form);
    return rc;
}

/* ---- /yonetim/cikis ------------------------------------------------------------------------ */

static enum web_err h_logout(struct web_req *rq)
{
    struct actx c;
    enum web_err rc;
    actx_init(&c, rq);
    if (!enter(&c, true, &rc))
        goto out;
    if (app_logout(c.s, web_staff_token(rq, NULL), &c.err) != APP_OK) {
        rc = app_failure(&c);
        goto out;
    }
    rc = web_staff_set_cookie(rq, NULL, 0) < 0 ? WEB_E_NOMEM : see_other(rq, "/yonetim/giris");
out:
    web_formdata_free(&c.form);
    return rc;
}

/* ---- /yonetim: the queue --------------------------------------------------------------------- */

/* A row of the queue, copied out of the use case's callback. */
struct qrow {
    struct store_application app;
    struct core_verdict verdict;
    int province;
    int64_t waiting_since;
};

struct qrows {
    struct qrow *rows;
    size_t n, cap;
};

static int collect_row(void *ctx, const struct app_queue_item *it)
{
    struct qrows *q = ctx;
    if (q->n == q->cap)
        return 1; /* the use case's limit keeps this from happening */
    struct qrow *r = &q->rows[q->n++];
    r->app = *it->app;
    r->verdict = it->verdict;
    r->province = it->province;
    r->waiting_since = it->waiting_since;
    return 0;
}

/* The filter form's fields (GET: their names are the query's, as the JSON API's). */
enum filter_field { FL_STATE, FL_PROVINCE, FL_DISTRICT, FL_INSTITUTION, FL_LATE, FL_DAYS, FL_N };

struct queue_query {
    struct app_queue_filter f;
    const char *values[FL_N];
    const char *errors[FL_N];
    long offset;
    bool bad; /* some field's value was refused */
};

static const char *const filter_names[FL_N] = {
    "state", "province", "district", "institution", "late", "min_waiting_days",
};
static const enum web_msg filter_labels[FL_N] = {
    WEB_MSG_AP_F_STATE,       WEB_MSG_AP_F_PROVINCE, WEB_MSG_AP_F_DISTRICT,
    WEB_MSG_AP_F_INSTITUTION, WEB_MSG_AP_F_LATE,     WEB_MSG_AP_F_MIN_DAYS,
};

/* Reads the filter from the query string (or a POSTed form: get != NULL). Without any state
 * asked for (the parameter absent), the queue shows what waits for a decision. */
static void read_queue_query(struct actx *c, struct queue_query *q,
                             const char *(*get)(const struct actx *, const char *))
{
    long n;
    memset(q, 0, sizeof *q);
    q->f.late = -1;
    for (int i = 0; i < FL_N; i++)
        q->values[i] = get ? get(c, filter_names[i]) : web_req_query(c->rq, filter_names[i]);
    if (!q->values[FL_STATE])
        q->values[FL_STATE] = "submitted";
    q->f.state = *q->values[FL_STATE] ? q->values[FL_STATE] : NULL;
    q->f.district = q->values[FL_DISTRICT];
    q->f.institution = q->values[FL_INSTITUTION];
    const char *v = q->values[FL_PROVINCE];
    if (v && *v) {
        if (parse_count(v, 81, &n))
            q->f.province = (int)n;
        else
            q->errors[FL_PROVINCE] = core_reason_message("province_unknown", c->lang);
    }
    v = q->values[FL_LATE];
    if (v && !strcmp(v, "1"))
        q->f.late = 1;
    else if (v && !strcmp(v, "0"))
        q->f.late = 0;
    v = q->values[FL_DAYS];
    if (v && *v) {
        if (parse_count(v, 100000, &n))
            q->f.min_waiting_days = (int)n;
        else
            q->errors[FL_DAYS] = web_msg(WEB_MSG_AP_F_BAD_NUMBER, c->lang);
    }
    v = get ? NULL : web_req_query(c->rq, "offset");
    if (v && *v && parse_count(v, 1000000, &n))
        q->offset = n;
    for (int i = 0; i < FL_N; i++)
        q->bad |= q->errors[i] != NULL;
}

/* The filter as a query string (without offset). Returns 0 or -1. */
static int queue_query_string(const struct queue_query *q, struct ubuf *out)
{
    /* the state always, so that "every state" ("state=") is not read as the default */
    int r = q_put(out, "state", q->values[FL_STATE]);
    for (int i = FL_STATE + 1; i < FL_N; i++)
        r |= q_add(out, filter_names[i], q->values[i]);
    return r < 0 ? -1 : 0;
}

static void filter_form(struct actx *c, struct web_page *p, struct queue_query *q)
{
    struct web_option states[CORE_APP__STATE_COUNT];
    struct web_option provinces[82];
    char plates[81][3];
    size_t ns = 0;
    states[ns++] = (struct web_option){"", WEB_MSG_AP_F_ANY_STATE, NULL, WEB_MSG_NONE};
    for (int s = CORE_APP_CODE_VERIFIED; s < CORE_APP__STATE_COUNT; s++)
        states[ns++] = (struct web_option){
            core_app_state_code((enum core_app_state)s), WEB_MSG_NONE,
            core_app_state_label((enum core_app_state)s, c->lang), WEB_MSG_NONE};
    provinces[0] = (struct web_option){"", WEB_MSG_AP_F_ALL_PROVINCES, NULL, WEB_MSG_NONE};
    for (int i = 0; i < 81; i++) {
        snprintf(plates[i], sizeof plates[i], "%d", i + 1);
        provinces[i + 1] =
            (struct web_option){plates[i], WEB_MSG_NONE, core_province_name(i + 1), WEB_MSG_NONE};
    }
    static const struct web_option lates[] = {
        {"", WEB_MSG_AP_F_LATE_ANY, NULL, WEB_MSG_NONE},
        {"1", WEB_MSG_AP_F_LATE_YES, NULL, WEB_MSG_NONE},
        {"0", WEB_MSG_AP_F_LATE_NO, NULL, WEB_MSG_NONE},
    };
    struct web_field f[FL_N] = {
        [FL_STATE] = {WEB_FIELD_SELECT, "state", WEB_MSG_AP_F_STATE, .options = states,
                      .noptions = ns},
        [FL_PROVINCE] = {WEB_FIELD_SELECT, "province", WEB_MSG_AP_F_PROVINCE, .options = provinces,
                         .noptions = 82},
        [FL_DISTRICT] = {WEB_FIELD_TEXT, "district", WEB_MSG_AP_F_DISTRICT, .maxlength = 64},
        [FL_INSTITUTION] = {WEB_FIELD_TEXT, "institution", WEB_MSG_AP_F_INSTITUTION,
                            WEB_MSG_AP_F_INSTITUTION_HINT, .maxlength = 128},
        [FL_LATE] = {WEB_FIELD_SELECT, "late", WEB_MSG_AP_F_LATE, .options = lates, .noptions = 3},
        [FL_DAYS] = {WEB_FIELD_NUMERIC, "min_waiting_days", WEB_MSG_AP_F_MIN_DAYS, .maxlength = 5},
    };
    for (int i = 0; i < FL_N; i++) {
        f[i].value = q->values[i] ? q->values[i] : "";
        f[i].error = q->errors[i];
    }
    web_page_raw(p, "<details class=\"queue-filter\"");
    bool narrowed = q->bad || strcmp(q->values[FL_STATE], "submitted") != 0;
    for (int i = FL_STATE + 1; i < FL_N; i++)
        narrowed |= q->values[i] && *q->values[i];
    if (narrowed)
        web_page_raw(p, " open");
    web_page_raw(p, ">\n<summary>");
    web_page_msg(p, WEB_MSG_AP_FILTER_TITLE);
    web_page_raw(p, "</summary>\n<form method=\"get\" action=\"/yonetim\" class=\"filter-form\" "
                    "novalidate>\n<div class=\"filter-fields\">\n");
    for (int i = 0; i < FL_N; i++)
        if (i != FL_PROVINCE || !role_is(&c->who, "approver"))
            web_page_field(p, &f[i]);
    web_page_raw(p, "</div>\n<div class=\"buttons\">\n<button type=\"submit\">");
    web_page_msg(p, WEB_MSG_AP_F_APPLY);
    web_page_raw(p, "</button>\n<a href=\"/yonetim\">");
    web_page_msg(p, WEB_MSG_AP_F_CLEAR);
    web_page_raw(p, "</a>\n</div>\n</form>\n</details>\n");
}

/* One <td> with the column's name for the phone's card layout (CSS shows it before the
 * value). */
static void td_begin(struct web_page *p, enum web_msg col)
{
    web_page_raw(p, "<td");
    web_page_attr_msg(p, "data-label", col);
    web_page_raw(p, ">");
}

/* The header cells of a table whose <thead><tr> is open, then the start of its body. */
static void head_cells(struct web_page *p, const enum web_msg *cols, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        web_page_raw(p, "<th scope=\"col\">");
        web_page_msg(p, cols[i]);
        web_page_raw(p, "</th>");
    }
    web_page_raw(p, "</tr>\n</thead>\n<tbody>\n");
}

/* A link to the people whose certificate ends within `days`: base ends in "=" and takes the
 * days; the province (0: all) follows when there is one. */
static void expiring_href(char *out, size_t n, const char *base, long days, int province)
{
    if (province)
        snprintf(out, n, "%s%ld&province=%d", base, days, province);
    else
        snprintf(out, n, "%s%ld", base, days);
}

/* The queue as a table of five columns (a card per row on a phone): the number linking to
 * the application; the person (name, masked number, institution); the state and how long it
 * has waited; the certificate's end and the late flag; the verdict with its reasons. */
static void queue_table(struct actx *c, struct web_page *p, const struct qrows *rows)
{
    static const enum web_msg cols[] = {
        WEB_MSG_AP_COL_NUMBER, WEB_MSG_AP_COL_APPLICANT, WEB_MSG_AP_COL_STATE,
        WEB_MSG_AP_COL_EXPIRY, WEB_MSG_AP_COL_VERDICT,
    };
    web_page_raw(p, "<table class=\"queue cards\">\n<caption>");
    web_page_msg(p, WEB_MSG_AP_QUEUE_CAPTION);
    web_page_raw(p, "</caption>\n<thead>\n<tr>");
    head_cells(p, cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; i < rows->n; i++) {
        const struct qrow *r = &rows->rows[i];
        char href[48], masked[CORE_TCKN_LEN + 1];
        snprintf(href, sizeof href, "/yonetim/basvuru/%lld", (long long)r->app.id);
        core_tckn_mask(r->app.tckn, masked);
        web_page_raw(p, "<tr");
        web_page_attr(p, "data-number", r->app.number);
        web_page_raw(p, ">\n<th scope=\"row\"");
        web_page_attr_msg(p, "data-label", WEB_MSG_AP_COL_NUMBER);
        web_page_raw(p, "><a");
        web_page_attr(p, "href", href);
        web_page_raw(p, ">");
        web_page_text(p, r->app.number);
        web_page_raw(p, "</a></th>\n");
        td_begin(p, WEB_MSG_AP_COL_APPLICANT);
        web_page_raw(p, "<span class=\"person\">");
        person_name(p, &r->app);
        web_page_raw(p, "</span><br><small>");
        web_page_msg(p, WEB_MSG_TCKN);
        web_page_raw(p, ": <span class=\"tckn\" translate=\"no\">");
        web_page_text(p, masked);
        web_page_raw(p, "</span></small><br><small class=\"institution\">");
        web_page_text(p, r->app.institution_name);
        web_page_raw(p, "</small></td>\n");
        td_begin(p, WEB_MSG_AP_COL_STATE);
        state_text(p, r->app.state);
        web_page_raw(p, "<br><small>");
        waiting_text(p, c->now, r->waiting_since);
        web_page_raw(p, "</small></td>\n");
        td_begin(p, WEB_MSG_AP_COL_EXPIRY);
        expiry_text(p, r->app.cert_not_after);
        web_page_raw(p, "<br>");
        if (r->app.late) {
            web_page_raw(p, "<strong class=\"flag-late\">");
            web_page_msg(p, WEB_MSG_AP_LATE);
            web_page_raw(p, "</strong>");
        } else {
            web_page_raw(p, "<small>");
            web_page_msg(p, WEB_MSG_AP_IN_TIME);
            web_page_raw(p, "</small>");
        }
        web_page_raw(p, "</td>\n");
        web_page_raw(p, "<td class=\"verdict-cell\"");
        web_page_attr_msg(p, "data-label", WEB_MSG_AP_COL_VERDICT);
        web_page_raw(p, ">");
        verdict_badge(p, &r->verdict);
        verdict_reasons(p, &r->verdict);
        web_page_raw(p, "</td>\n</tr>\n");
    }
    web_page_raw(p, "</tbody>\n</table>\n");
}

/* The success notices a decision's 303 carries back (?karar=onay&no=..., ?onaylanan=N). */
static void queue_flash(struct actx *c, struct web_page *p)
{
    const char *k = web_req_query(c->rq, "karar"), *no = web_req_query(c->rq, "no");
    long approved, skipped;
    bool no_ok = no && *no && strlen(no) <= STORE_APP_NUMBER_LEN &&
                 strspn(no, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(no);
    if (k && no_ok && (!strcmp(k, "onay") || !strcmp(k, "ret"))) {
        const char *args[] = {no};
        notice(p, WEB_NOTICE_SUCCESS,
               !strcmp(k, "onay") ? WEB_MSG_AP_FLASH_APPROVED : WEB_MSG_AP_FLASH_REJECTED, args, 1);
    }
    if (parse_count(web_req_query(c->rq, "onaylanan"), 1000000, &approved) &&
        parse_count(web_req_query(c->rq, "atlanan"), 1000000, &skipped)) {
        char a[24], s[24];
        snprintf(a, sizeof a, "%ld", approved);
        snprintf(s, sizeof s, "%ld", skipped);
        const char *args[] = {a, s};
        notice(p, WEB_NOTICE_SUCCESS, WEB_MSG_AP_BULK_DONE, args, 2);
    }
}

static void queue_pager(struct web_page *p, const struct ubuf *qs, long offset, long total,
                        size_t shown)
{
    struct ubuf href = UBUF_INIT(4096);
    bool prev = offset > 0, next = offset + (long)shown < total;
    if (!prev && !next)
        return;
    web_page_raw(p, "<nav class=\"pager\"");
    web_page_attr_msg(p, "aria-label", WEB_MSG_AP_QUEUE_CAPTION);
    web_page_raw(p, ">\n");
    if (prev) {
        ubuf_reset(&href);
        int r = ubuf_puts(&href, "/yonetim?") | ubuf_puts(&href, ubuf_str(qs)) |
                ubuf_putc(&href, '&') |
                q_add_long(&href, "offset", offset > QUEUE_PAGE ? offset - QUEUE_PAGE : 0);
        if (r < 0)
            p->failed = true;
        web_page_raw(p, "<a rel=\"prev\"");
        web_page_attr(p, "href", ubuf_str(&href));
        web_page_raw(p, ">");
        web_page_msg(p, WEB_MSG_AP_PREV_PAGE);
        web_page_raw(p, "</a>\n");
    }
    if (next) {
        ubuf_reset(&href);
        int r = ubuf_puts(&href, "/yonetim?") | ubuf_puts(&href, ubuf_str(qs)) |
                ubuf_putc(&href, '&') | q_add_long(&href, "offset", offset + (long)shown);
        if (r < 0)
            p->failed = true;
        web_page_raw(p, "<a rel=\"next\"");
        web_page_attr(p, "href", ubuf_str(&href));
        web_page_raw(p, ">");
        web_page_msg(p, WEB_MSG_AP_NEXT_PAGE);
        web_page_raw(p, "</a>\n");
    }
    web_page_raw(p, "</nav>\n");
    ubuf_free(&href);
}

static enum web_err h_queue(struct web_req *rq)
{
    struct actx c;
    struct queue_query q;
    struct qrows rows = {0};
    struct ubuf qs = UBUF_INIT(4096), csv = UBUF_INIT(4096);
    struct web_page p;
    struct web_error_item items[FL_N + 1];
    long total = 0;
    size_t nitems = 0;
    enum web_err rc;

    actx_init(&c, rq);
    web_page_init(&p, c.lang);
    if (!enter(&c, false, &rc))
        goto out;
    read_queue_query(&c, &q, NULL);
    if (role_is(&c.who, "approver") && q.f.province && q.f.province != c.who.province) {
        rc = page_403(&c, "forbidden_province");
        goto out;
    }
    q.f.limit = QUEUE_PAGE;
    q.f.offset = q.offset;
    rows.cap = QUEUE_PAGE;
    rows.rows = calloc(rows.cap, sizeof *rows.rows);
    if (!rows.rows) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    if (!q.bad && app_admin_list(c.s, web_portal_cfg(), &c.who, &q.f, c.now, collect_row, &rows,
                                 &total, &c.err) != APP_OK) {
        if (c.err.status != APP_EINVAL) {
            rc = app_failure(&c);
            goto out;
        }
        /* a value the use case refused (an unknown state, ...): on its field */
        for (size_t i = 0; i < c.err.nfields; i++)
            for (int k = 0; k < FL_N; k++)
                if (!strcmp(c.err.fields[i].field, filter_names[k]) && !q.errors[k])
                    q.errors[k] = core_reason_message(c.err.fields[i].code, c.lang);
        q.bad = true;
    }
    for (int k = 0; k < FL_N; k++)
        if (q.errors[k])
            items[nitems++] =
                (struct web_error_item){filter_names[k], filter_labels[k], q.errors[k]};
    if (q.bad && nitems == 0)
        items[nitems++] = (struct web_error_item){NULL, WEB_MSG_NONE,
                                                  core_reason_message("invalid_fields", c.lang)};
    if (queue_query_string(&q, &qs) < 0 || ubuf_puts(&csv, "/api/v1/admin/applications.csv?") < 0 ||
        ubuf_puts(&csv, ubuf_str(&qs)) < 0) {
        rc = WEB_E_NOMEM;
        goto out;
    }

    const struct web_layout layout = {.title = WEB_MSG_AP_QUEUE_TITLE, .errors = nitems > 0};
    staff_begin(&c, &p, &layout, NAV_QUEUE);
    web_page_error_summary(&p, items, nitems);
    heading(&p, WEB_MSG_AP_QUEUE_TITLE);
    queue_flash(&c, &p);
    filter_form(&c, &p, &q);
    if (!q.bad) {
        if (rows.n == 0) {
            para(&p, WEB_MSG_AP_QUEUE_EMPTY);
        } else {
            char tot[24], first[24], last[24];
            snprintf(tot, sizeof tot, "%ld", total);
            snprintf(first, sizeof first, "%ld", q.offset + 1);
            snprintf(last, sizeof last, "%ld", q.offset + (long)rows.n);
            const char *args[] = {tot, first, last};
            web_page_raw(&p, "<p class=\"queue-count\">");
            web_page_msg_args(&p, WEB_MSG_AP_QUEUE_COUNT, args, 3);
            web_page_raw(&p, "</p>\n<div class=\"table-wrap\">\n");
            queue_table(&c, &p, &rows);
            web_page_raw(&p, "</div>\n");
            queue_pager(&p, &qs, q.offset, total, rows.n);
        }
        web_page_raw(&p, "<p class=\"page-actions\"><a download");
        web_page_attr(&p, "href", ubuf_str(&csv));
        web_page_raw(&p, ">");
        web_page_msg(&p, WEB_MSG_AP_CSV_QUEUE);
        web_page_raw(&p, "</a></p>\n");
        if (may_decide(&c.who) && total > 0) {
            web_page_section_begin(&p, WEB_MSG_AP_BULK_TITLE);
            para(&p, WEB_MSG_AP_BULK_LEAD);
            web_page_form_begin(&p, "/yonetim/toplu-onay", c.ss.csrf);
            web_page_raw(&p, "<input type=\"hidden\" name=\"state\"");
            web_page_attr(&p, "value", q.values[FL_STATE]);
            web_page_raw(&p, ">\n");
            for (int k = FL_STATE + 1; k < FL_N; k++)
                hidden(&p, filter_names[k], q.values[k]);
            web_page_raw(&p, "<div class=\"buttons\">\n");
            web_page_button(&p, WEB_MSG_AP_BULK_BUTTON, WEB_BUTTON_PRIMARY, NULL, NULL);
            web_page_raw(&p, "</div>\n");
            web_page_form_end(&p);
            web_page_section_end(&p);
        }
    }
    web_page_end(&p);
    rc = web_page_reply(rq, &p, nitems ? 400 : 200);
out:
    free(rows.rows);
    ubuf_free(&qs);
    ubuf_free(&csv);
    web_page_free(&p);
    return rc;
}

/* POST /yonetim/toplu-onay: approves the eligible ones of the filter, then back to the queue
 * with the counts (and the same filter). */
static enum web_err h_bulk(struct web_req *rq)
{
    struct actx c;
    struct queue_query q;
    struct ubuf where = UBUF_INIT(4096);
    long approved = 0, skipped = 0;
    enum web_err rc;

    actx_init(&c, rq);
    if (!enter(&c, true, &rc))
        goto out;
    read_queue_query(&c, &q, form_get);
    if (role_is(&c.who, "approver") && q.f.province && q.f.province != c.who.province) {
        rc = page_403(&c, "forbidden_province");
        goto out;
    }
    if (q.bad) {
        rc = error_page(&c, 400, WEB_MSG_PP_ERR_403_TITLE,
                        core_reason_message("invalid_fields", c.lang), WEB_MSG_NONE);
        goto out;
    }
    if (app_admin_bulk_approve(c.s, web_portal_cfg(), &c.who, &q.f, c.now, &approved, &skipped,
                               &c.err) != APP_OK) {
        rc = app_failure(&c);
        goto out;
    }
    if (ubuf_puts(&where, "/yonetim?") < 0 || queue_query_string(&q, &where) < 0 ||
        ubuf_putc(&where, '&') < 0 || q_add_long(&where, "onaylanan", approved) < 0 ||
        ubuf_putc(&where, '&') < 0 || q_add_long(&where, "atlanan", skipped) < 0) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    rc = see_other(rq, ubuf_str(&where));
out:
    ubuf_free(&where);
    web_formdata_free(&c.form);
    return rc;
}

/* ---- /yonetim/basvuru/{id} ------------------------------------------------------------------- */

/* The application as app_admin_get gives it, copied. */
struct detail {
    struct store_application app;
    bool has_person;
    struct core_personnel person;
    int province;
    struct core_verdict verdict;
    int remote_chain;
    int64_t waiting_since;
};

static int collect_detail(void *ctx, const struct app_queue_item *it)
{
    struct detail *d = ctx;
    d->app = *it->app;
    d->has_person = it->person != NULL;
    if (it->person)
        d->person = *it->person;
    d->province = it->province;
    d->verdict = it->verdict;
    d->remote_chain = it->remote_chain;
    d->waiting_since = it->waiting_since;
    return 0;
}

/* The decision forms' state when one is shown again. */
struct decision_form {
    const char *reason;      /* the chosen ready text's code, or "other" */
    const char *reason_text; /* the free text */
    const char *reason_error, *text_error;
    const char *message; /* a refusal of the whole decision (not_eligible, wrong_state) */
};

static bool path_id(struct web_req *rq, int64_t *id)
{
    long n;
    if (!parse_count(web_req_param(rq, "id"), 999999999, &n) || n < 1)
        return false;
    *id = n;
    return true;
}

static void dl_item(struct web_page *p, enum web_msg term)
{
    web_page_raw(p, "<dt>");
    web_page_msg(p, term);
    web_page_raw(p, "</dt>\n<dd>");
}

static void dl_text(struct web_page *p, enum web_msg term, const char *value)
{
    dl_item(p, term);
    if (value && *value)
        web_page_text(p, value);
    else
        web_page_msg(p, WEB_MSG_AP_NONE);
    web_page_raw(p, "</dd>\n");
}

static enum web_msg duty_label(enum core_duty d)
{
    switch (d) {
    case CORE_DUTY_ACTIVE:
        return WEB_MSG_AP_DUTY_ACTIVE;
    case CORE_DUTY_LEFT:
        return WEB_MSG_AP_DUTY_LEFT;
    case CORE_DUTY_RETIRED:
        return WEB_MSG_AP_DUTY_RETIRED;
    default:
        return WEB_MSG_AP_DUTY_SUSPENDED;
    }
}

struct timeline_ctx {
    struct web_page *p;
    size_t n;
};

static int timeline_row(void *ctx, const struct store_app_event *ev)
{
    struct timeline_ctx *t = ctx;
    char when[32];
    tr_time(ev->at, true, when);
    web_page_raw(t->p, "<li><time>");
    web_page_text(t->p, when);
    web_page_raw(t->p, "</time> ");
    web_page_text(t->p, app_event_label(ev->event, t->p->lang));
    if (ev->actor && !strncmp(ev->actor, "staff:", 6)) {
        web_page_raw(t->p, " <span class=\"actor\">(");
        web_page_text(t->p, ev->actor + 6);
        web_page_raw(t->p, ")</span>");
    }
    web_page_raw(t->p, "</li>\n");
    t->n++;
    return 0;
}

/* The reject form's select: the ready texts answering this verdict's reasons first, then the
 * others, then "other". */
static size_t rejection_options(const struct core_verdict *v, enum core_lang lang,
                                struct web_option *o, size_t cap)
{
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < core_rejections_count && n + 1 < cap; i++) {
            const struct core_rejection *r = &core_rejections[i];
            bool suggested = (r->verdict & v->reasons) != 0;
            if (suggested == (pass == 0))
                o[n++] = (struct web_option){r->code, WEB_MSG_NONE,
                                             lang == CORE_LANG_EN ? r->en : r->tr, WEB_MSG_NONE};
        }
    o[n++] = (struct web_option){"other", WEB_MSG_AP_REJECT_OTHER, NULL, WEB_MSG_NONE};
    return n;
}

static void decision_section(struct actx *c, struct web_page *p, const struct detail *d,
                             const struct decision_form *df)
{
    char action[64];
    snprintf(action, sizeof action, "/yonetim/basvuru/%lld", (long long)d->app.id);
    bool submitted = !strcmp(d->app.state, core_app_state_code(CORE_APP_SUBMITTED));
    bool awaiting = !strcmp(d->app.state, core_app_state_code(CORE_APP_AWAITING_ORIGINAL));

    web_page_section_begin(p, WEB_MSG_AP_SEC_DECISION);
    if (submitted && may_decide(&c->who)) {
        web_page_raw(p, "<div class=\"decision-forms\">\n<section class=\"decision-approve\">\n"
                        "<h3>");
        web_page_msg(p, WEB_MSG_AP_APPROVE_TITLE);
        web_page_raw(p, "</h3>\n");
        para(p, WEB_MSG_AP_APPROVE_LEAD);
        if (!d->verdict.eligible) {
            web_page_notice_begin(p, WEB_NOTICE_WARNING);
            web_page_raw(p, "<p>");
            web_page_text(p, core_reason_message("not_eligible", c->lang));
            web_page_raw(p, "</p>\n");
            web_page_notice_end(p);
        }
        form_begin_dyn(p, action, c->ss.csrf);
        hidden(p, "decision", "approve");
        web_page_raw(p, "<div class=\"buttons\">\n");
        web_page_button(p, WEB_MSG_AP_APPROVE_BUTTON, WEB_BUTTON_PRIMARY, NULL, NULL);
        web_page_raw(p, "</div>\n");
        form_end_dyn(p);
        web_page_raw(p, "</section>\n<section class=\"decision-reject\">\n<h3>");
        web_page_msg(p, WEB_MSG_AP_REJECT_TITLE);
        web_page_raw(p, "</h3>\n");
        struct web_option opts[32];
        size_t nopts = rejection_options(&d->verdict, c->lang, opts, 32);
        struct web_field rf[2] = {
            {WEB_FIELD_SELECT, "reason", WEB_MSG_AP_REJECT_REASON, WEB_MSG_AP_REJECT_REASON_HINT,
             .value = df->reason, .error = df->reason_error, .options = opts, .noptions = nopts},
            {WEB_FIELD_TEXTAREA, "reason_text", WEB_MSG_AP_REJECT_TEXT, WEB_MSG_AP_REJECT_TEXT_HINT,
             .value = df->reason_text, .error = df->text_error, .maxlength = REASON_TEXT_MAX,
             .optional = true},
        };
        form_begin_dyn(p, action, c->ss.csrf);
        hidden(p, "decision", "reject");
        web_page_field(p, &rf[0]);
        web_page_field(p, &rf[1]);
        web_page_raw(p, "<div class=\"buttons\">\n");
        web_page_button(p, WEB_MSG_AP_REJECT_BUTTON, WEB_BUTTON_SECONDARY, NULL, NULL);
        web_page_raw(p, "</div>\n");
        form_end_dyn(p);
        web_page_raw(p, "</section>\n</div>\n");
    } else if (awaiting && may_record_paper(&c->who)) {
        web_page_raw(p, "<h3>");
        web_page_msg(p, WEB_MSG_AP_PAPER_TITLE);
        web_page_raw(p, "</h3>\n");
        para(p, WEB_MSG_AP_PAPER_LEAD);
        form_begin_dyn(p, action, c->ss.csrf);
        hidden(p, "decision", "paper");
        web_page_raw(p, "<div class=\"buttons\">\n");
        web_page_button(p, WEB_MSG_AP_PAPER_BUTTON, WEB_BUTTON_PRIMARY, NULL, NULL);
        web_page_raw(p, "</div>\n");
        form_end_dyn(p);
    } else {
        para(p, WEB_MSG_AP_NO_DECISION);
    }
    web_page_section_end(p);
}

static enum web_err detail_page(struct actx *c, const struct detail *d,
                                const struct decision_form *df, unsigned status)
{
    struct web_page p;
    struct web_error_item items[3];
    size_t n = 0;
    char masked[CORE_TCKN_LEN + 1], buf[64];

    if (df->message)
        items[n++] = (struct web_error_item){NULL, WEB_MSG_NONE, df->message};
    if (df->reason_error)
        items[n++] = (struct web_error_item){"reason", WEB_MSG_AP_REJECT_REASON, df->reason_error};
    if (df->text_error)
        items[n++] = (struct web_error_item){"reason_text", WEB_MSG_AP_REJECT_TEXT, df->text_error};

    web_page_init(&p, c->lang);
    char title[96];
    const char *t = web_msg(WEB_MSG_AP_DETAIL_TITLE, c->lang), *ph = strstr(t, "{0}");
    snprintf(title, sizeof title, "%.*s%s%s", ph ? (int)(ph - t) : (int)strlen(t), t,
             ph ? d->app.number : "", ph ? ph + 3 : "");
    const struct web_layout layout = {.title_text = title, .errors = n > 0};
    staff_begin(c, &p, &layout, NAV_NONE);
    web_page_error_summary(&p, items, n);
    web_page_raw(&p, "<h1>");
    web_page_text(&p, title);
    web_page_raw(&p, "</h1>\n");
    const char *k = web_req_query(c->rq, "karar");
    if (k && !strcmp(k, "kagit") && status == 200)
        notice(&p, WEB_NOTICE_SUCCESS, WEB_MSG_AP_FLASH_PAPER, NULL, 0);
    web_page_raw(&p, "<p class=\"page-actions\"><a href=\"/yonetim\">");
    web_page_msg(&p, WEB_MSG_AP_BACK_TO_QUEUE);
    web_page_raw(&p, "</a></p>\n");

    /* the verdict first: it is what the approver decides on */
    web_page_section_begin(&p, WEB_MSG_AP_SEC_VERDICT);
    web_page_raw(&p, "<div class=\"verdict-box\">\n<p>");
    verdict_badge(&p, &d->verdict);
    web_page_raw(&p, "</p>\n<p>");
    web_page_msg(&p, d->verdict.eligible ? WEB_MSG_AP_VERDICT_OK : WEB_MSG_AP_VERDICT_NO);
    web_page_raw(&p, "</p>\n");
    verdict_reasons(&p, &d->verdict);
    web_page_raw(&p, "</div>\n");
    web_page_section_end(&p);

    decision_section(c, &p, d, df);

    const struct store_application *a = &d->app;
    web_page_section_begin(&p, WEB_MSG_AP_SEC_APPLICANT);
    web_page_raw(&p, "<dl class=\"facts\">\n");
    dl_item(&p, WEB_MSG_AP_COL_NAME);
    person_name(&p, a);
    web_page_raw(&p, "</dd>\n");
    core_tckn_mask(a->tckn, masked);
    dl_text(&p, WEB_MSG_TCKN, masked);
    dl_item(&p, WEB_MSG_AP_COL_STATE);
    state_text(&p, a->state);
    web_page_raw(&p, "</dd>\n");
    dl_text(&p, WEB_MSG_INSTITUTION_NAME, a->institution_name);
    dl_text(&p, WEB_MSG_UNIT, a->unit);
    dl_text(&p, WEB_MSG_JOB_TITLE, a->title);
    dl_text(&p, WEB_MSG_PROVINCE, a->province ? core_province_name(a->province) : NULL);
    dl_text(&p, WEB_MSG_DISTRICT, a->district);
    dl_item(&p, WEB_MSG_AP_METHOD);
    if (!strcmp(a->method, "esign"))
        web_page_msg(&p, WEB_MSG_METHOD_1);
    else if (!strcmp(a->method, "wet"))
        web_page_msg(&p, WEB_MSG_METHOD_2);
    else
        web_page_msg(&p, WEB_MSG_AP_NONE);
    web_page_raw(&p, "</dd>\n");
    tr_time(a->created_at, true, buf);
    dl_text(&p, WEB_MSG_AP_CREATED, buf);
    dl_item(&p, WEB_MSG_AP_COL_WAITING);
    waiting_text(&p, c->now, d->waiting_since);
    web_page_raw(&p, "</dd>\n");
    dl_item(&p, WEB_MSG_AP_COL_EXPIRY);
    expiry_text(&p, a->cert_not_after);
    web_page_raw(&p, "</dd>\n");
    dl_item(&p, WEB_MSG_AP_COL_LATE);
    web_page_msg(&p, a->late ? WEB_MSG_AP_LATE : WEB_MSG_AP_IN_TIME);
    web_page_raw(&p, "</dd>\n");
    snprintf(buf, sizeof buf, "%d", d->remote_chain);
    dl_text(&p, WEB_MSG_AP_REMOTE_CHAIN, buf);
    web_page_raw(&p, "</dl>\n");
    web_page_section_end(&p);

    web_page_section_begin(&p, WEB_MSG_AP_SEC_RECORD);
    if (!d->has_person) {
        para(&p, WEB_MSG_AP_NO_RECORD);
    } else {
        const struct core_personnel *r = &d->person;
        char date[CORE_DATE_STRLEN + 1];
        web_page_raw(&p, "<dl class=\"facts\">\n");
        dl_item(&p, WEB_MSG_AP_DUTY);
        web_page_msg(&p, duty_label(r->duty));
        web_page_raw(&p, "</dd>\n");
        core_date_format_tr(r->assignment_end, date);
        dl_text(&p, WEB_MSG_AP_ASSIGNMENT_END, date);
        dl_item(&p, WEB_MSG_AP_ENTITLED);
        web_page_msg(&p, r->entitled ? WEB_MSG_AP_YES : WEB_MSG_AP_NO);
        web_page_raw(&p, "</dd>\n");
        dl_text(&p, WEB_MSG_INSTITUTION_NAME, r->institution_name);
        dl_text(&p, WEB_MSG_PROVINCE, r->province ? core_province_name(r->province) : NULL);
        dl_text(&p, WEB_MSG_DISTRICT, r->district);
        web_page_raw(&p, "</dl>\n");
    }
    web_page_section_end(&p);

    web_page_section_begin(&p, WEB_MSG_PP_TIMELINE);
    para(&p, WEB_MSG_PP_TIMELINE_ZONE);
    web_page_raw(&p, "<ol class=\"timeline\">\n");
    struct timeline_ctx tc = {&p, 0};
    enum store_err se = store_app_events(c->s, a->id, timeline_row, &tc);
    if (se != STORE_OK) {
        if (se == STORE_EIO)
            web_req_store_failed(c->rq);
        p.failed = true;
    }
    web_page_raw(&p, "</ol>\n");
    web_page_section_end(&p);

    web_page_end(&p);
    enum web_err rc = web_page_reply(c->rq, &p, status);
    web_page_free(&p);
    return rc;
}

/* Loads the application for the page (404 / 403 pages when it cannot be shown). */
static bool load_detail(struct actx *c, int64_t id, struct detail *d, enum web_err *rc)
{
    struct app_err e;
    memset(d, 0, sizeof *d);
    if (app_admin_get(c->s, web_portal_cfg(), &c->who, id, c->now, collect_detail, d, &e) !=
        APP_OK) {
        c->err = e;
        *rc = app_failure(c);
        return false;
    }
    return true;
}

static enum web_err h_detail(struct web_req *rq)
{
    struct actx c;
    struct detail *d = NULL;
    struct decision_form df = {0};
    bool post = !strcmp(web_req_method(rq), "POST");
    int64_t id;
    enum web_err rc;

    actx_init(&c, rq);
    if (!enter(&c, post, &rc))
        goto out;
    if (!path_id(rq, &id)) {
        rc = page_404(&c);
        goto out;
    }
    d = malloc(sizeof *d);
    if (!d) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    if (!load_detail(&c, id, d, &rc))
        goto out;
    if (!post) {
        rc = detail_page(&c, d, &df, 200);
        goto out;
    }

    const char *decision = form_get(&c, "decision");
    char where[96];
    if (decision && !strcmp(decision, "paper")) {
        if (app_admin_paper_received(c.s, &c.who, id, c.now, NULL, &c.err) == APP_OK) {
            snprintf(where, sizeof where, "/yonetim/basvuru/%lld?karar=kagit", (long long)id);
            rc = see_other(rq, where);
        } else if (c.err.status == APP_ECONFLICT) {
            df.message = web_msg(WEB_MSG_AP_NO_DECISION, c.lang);
            if (load_detail(&c, id, d, &rc))
                rc = detail_page(&c, d, &df, 409);
        } else {
            rc = app_failure(&c);
        }
        goto out;
    }
    const char *reason = NULL;
    bool reject = decision && !strcmp(decision, "reject");
    if (reject) {
        df.reason = form_get(&c, "reason");
        df.reason_text = form_get(&c, "reason_text");
        bool other = df.reason && !strcmp(df.reason, "other");
        bool text = df.reason_text && df.reason_text[strspn(df.reason_text, " \t\r\n")];
        if (!df.reason || !*df.reason)
            df.reason_error = web_msg(WEB_MSG_AP_REJECT_CHOOSE, c.lang);
        else if (other && !text)
            df.text_error = web_msg(WEB_MSG_AP_REJECT_WRITE, c.lang);
        else if (other && strlen(df.reason_text) > REASON_TEXT_MAX * 4)
            df.text_error = web_msg(WEB_MSG_AP_REJECT_TOO_LONG, c.lang);
        else if (!other && !core_rejection_find(df.reason))
            df.reason_error = web_msg(WEB_MSG_AP_REJECT_CHOOSE, c.lang);
        if (df.reason_error || df.text_error) {
            rc = detail_page(&c, d, &df, 400);
            goto out;
        }
        reason = other ? df.reason_text : df.reason;
    }
    if (app_admin_decide(c.s, web_portal_cfg(), &c.who, id, decision ? decision : "", reason, c.now,
                         NULL, &c.err) == APP_OK) {
        struct ubuf w = UBUF_INIT(256);
        if (ubuf_puts(&w, reject ? "/yonetim?karar=ret" : "/yonetim?karar=onay") < 0 ||
            q_add(&w, "no", d->app.number) < 0)
            rc = WEB_E_NOMEM;
        else
            rc = see_other(rq, ubuf_str(&w));
        ubuf_free(&w);
    } else if (c.err.status == APP_ECONFLICT) {
        /* not_eligible: the verdict's words are on the page already; wrong_state: someone
         * decided meanwhile, so show the application as it is now */
        bool moved = !c.err.code || !strcmp(c.err.code, "wrong_state");
        df.message = moved ? web_msg(WEB_MSG_AP_NO_DECISION, c.lang)
                           : core_reason_message(c.err.code, c.lang);
        if (moved && !load_detail(&c, id, d, &rc))
            goto out;
        rc = detail_page(&c, d, &df, 409);
    } else if (c.err.status == APP_EINVAL) {
        const char *code = c.err.nfields ? c.err.fields[0].code : c.err.code;
        if (reject && df.reason && !strcmp(df.reason, "other"))
            df.text_error = core_reason_message(code ? code : "reason_required", c.lang);
        else
            df.message = core_reason_message(code ? code : "invalid_fields", c.lang);
        rc = detail_page(&c, d, &df, 400);
    } else {
        rc = app_failure(&c);
    }
out:
    free(d);
    web_formdata_free(&c.form);
    return rc;
}

/* ---- /yonetim/pano --------------------------------------------------------------------------- */

/* The province chooser of admins and operators (GET form). */
static void province_chooser(struct web_page *p, const char *action, int province, const char *days)
{
    struct web_option provinces[82];
    char plates[81][3], cur[4];
    provinces[0] = (struct web_option){"", WEB_MSG_AP_F_ALL_PROVINCES, NULL, WEB_MSG_NONE};
    for (int i = 0; i < 81; i++) {
        snprintf(plates[i], sizeof plates[i], "%d", i + 1);
        provinces[i + 1] =
            (struct web_option){plates[i], WEB_MSG_NONE, core_province_name(i + 1), WEB_MSG_NONE};
    }
    snprintf(cur, sizeof cur, "%d", province);
    struct web_field f = {WEB_FIELD_SELECT,      "province",
                          WEB_MSG_AP_F_PROVINCE, .value = province ? cur : "",
                          .options = provinces,  .noptions = 82};
    web_page_raw(p, "<form method=\"get\" class=\"province-form\" novalidate");
    web_page_attr(p, "action", action);
    web_page_raw(p, ">\n");
    hidden(p, "gun", days);
    web_page_field(p, &f);
    web_page_raw(p, "<div class=\"buttons\">\n<button type=\"submit\">");
    web_page_msg(p, WEB_MSG_AP_DASH_SHOW);
    web_page_raw(p, "</button>\n</div>\n</form>\n");
}

static void scope_line(struct web_page *p, int province)
{
    web_page_raw(p, "<p class=\"scope\">");
    if (province) {
        const char *args[] = {core_province_name(province)};
        web_page_msg_args(p, WEB_MSG_AP_DASH_SCOPE, args, 1);
    } else {
        web_page_msg(p, WEB_MSG_AP_DASH_ALL);
    }
    web_page_raw(p, "</p>\n");
}

static enum web_err h_dashboard(struct web_req *rq)
{
    struct actx c;
    struct app_dashboard dash;
    struct web_page p;
    int province = 0;
    bool forbidden;
    enum web_err rc;

    _Static_assert(APP_WAIT_BUCKETS == WEB_SVG_WAIT_BUCKETS, "the dashboard's buckets");
    actx_init(&c, rq);
    web_page_init(&p, c.lang);
    if (!enter(&c, false, &rc))
        goto out;
    if (!asked_province(&c, web_req_query(rq, "province"), &province, &forbidden)) {
        rc = forbidden ? page_403(&c, "forbidden_province") : bad_province(&c);
        goto out;
    }
    if (app_admin_dashboard(c.s, &c.who, province, c.now, &dash, &c.err) != APP_OK) {
        rc = app_failure(&c);
        goto out;
    }
    province = dash.province;

    const struct web_layout layout = {.title = WEB_MSG_AP_DASH_TITLE};
    staff_begin(&c, &p, &layout, NAV_DASHBOARD);
    heading(&p, WEB_MSG_AP_DASH_TITLE);
    scope_line(&p, province);
    if (!role_is(&c.who, "approver"))
        province_chooser(&p, "/yonetim/pano", province, NULL);

    /* applications by state, from the signed ones on (drafts and verified codes are the
     * applicants' work in progress) */
    struct web_svg_item states[CORE_APP__STATE_COUNT];
    size_t ns = 0;
    for (int s = CORE_APP_SUBMITTED; s < CORE_APP__STATE_COUNT; s++)
        states[ns++] = (struct web_svg_item){core_app_state_label((enum core_app_state)s, c.lang),
                                             dash.by_state[s]};
    struct web_svg_chart chart = {
        .id = "chart-states",
        .title = web_msg(WEB_MSG_AP_CHART_STATES, c.lang),
        .unit = web_msg(WEB_MSG_AP_CHART_UNIT, c.lang),
        .empty = web_msg(WEB_MSG_AP_CHART_EMPTY, c.lang),
        .items = states,
        .n = ns,
    };
    web_page_raw(&p,
                 "<section class=\"chart\" aria-labelledby=\"h-states\">\n<h2 id=\"h-states\">");
    web_page_msg(&p, WEB_MSG_AP_CHART_STATES);
    web_page_raw(&p, "</h2>\n");
    page_svg_failed(&p, web_svg_bar_chart(&p.b, &chart));
    web_page_raw(&p, "\n</section>\n");

    struct web_svg_item waits[WEB_SVG_WAIT_BUCKETS];
    for (size_t i = 0; i < WEB_SVG_WAIT_BUCKETS; i++)
        waits[i] = (struct web_svg_item){web_svg_wait_label(i, c.lang), dash.waiting[i]};
    chart.id = "chart-waiting";
    chart.title = web_msg(WEB_MSG_AP_CHART_WAITING, c.lang);
    chart.items = waits;
    chart.n = WEB_SVG_WAIT_BUCKETS;
    web_page_raw(&p,
                 "<section class=\"chart\" aria-labelledby=\"h-waiting\">\n<h2 id=\"h-waiting\">");
    web_page_msg(&p, WEB_MSG_AP_CHART_WAITING);
    web_page_raw(&p, "</h2>\n");
    page_svg_failed(&p, web_svg_column_chart(&p.b, &chart));
    web_page_raw(&p, "\n</section>\n");

    web_page_section_begin(&p, WEB_MSG_AP_EXPIRING_TITLE);
    web_page_raw(&p, "<ul class=\"expiring\">\n");
    static const int spans[3] = {30, 60, 90};
    for (int i = 0; i < 3; i++) {
        char days[8], people[24], href[64];
        snprintf(days, sizeof days, "%d", spans[i]);
        snprintf(people, sizeof people, "%ld", dash.expiring[i]);
        const char *args[] = {days, people};
        web_page_raw(&p, "<li");
        web_page_attr(&p, "data-days", days);
        web_page_raw(&p, "><strong>");
        web_page_msg_args(&p, WEB_MSG_AP_EXPIRING_ROW, args, 2);
        web_page_raw(&p, "</strong> <a");
        expiring_href(href, sizeof href, "/yonetim/bitecekler?gun=", spans[i], province);
        web_page_attr(&p, "href", href);
        web_page_raw(&p, ">");
        web_page_msg_args(&p, WEB_MSG_AP_EXPIRING_LIST, args, 1);
        web_page_raw(&p, "</a> <a download");
        expiring_href(href, sizeof href, "/api/v1/admin/expiring.csv?days=", spans[i], province);
        web_page_attr(&p, "href", href);
        web_page_raw(&p, ">");
        web_page_msg_args(&p, WEB_MSG_AP_EXPIRING_CSV, args, 1);
        web_page_raw(&p, "</a></li>\n");
    }
    web_page_raw(&p, "</ul>\n");
    web_page_section_end(&p);
    web_page_end(&p);
    rc = web_page_reply(rq, &p, 200);
out:
    web_page_free(&p);
    return rc;
}

/* ---- /yonetim/bitecekler ----------------------------------------------------------------------
 */

struct expiring_ctx {
    struct web_page *p;
    int64_t now;
    size_t n;
};

static int expiring_row(void *ctx, const struct core_personnel *r,
                        const struct core_certificate *cert)
{
    struct expiring_ctx *e = ctx;
    struct web_page *p = e->p;
    static const enum web_msg cols[] = {WEB_MSG_TCKN,
                                        WEB_MSG_AP_COL_NAME,
                                        WEB_MSG_AP_COL_INSTITUTION,
                                        WEB_MSG_AP_COL_DISTRICT,
                                        WEB_MSG_AP_COL_EXPIRY,
                                        WEB_MSG_AP_COL_DAYS_LEFT};
    if (e->n++ == 0) {
        web_page_raw(p, "<div class=\"table-wrap\">\n<table class=\"expiring-list cards\">\n"
                        "<thead>\n<tr>");
        head_cells(p, cols, sizeof cols / sizeof cols[0]);
    }
    char masked[CORE_TCKN_LEN + 1], days[24];
    core_tckn_mask(r->tckn, masked);
    /* whole days, rounded up: a certificate ending later today has 1 day left */
    int64_t left = cert->not_after > e->now ? (cert->not_after - e->now + 86399) / 86400 : 0;
    snprintf(days, sizeof days, "%lld", (long long)left);
    web_page_raw(p, "<tr>\n<th scope=\"row\"");
    web_page_attr_msg(p, "data-label", WEB_MSG_TCKN);
    web_page_raw(p, "><span class=\"tckn\" translate=\"no\">");
    web_page_text(p, masked);
    web_page_raw(p, "</span></th>\n");
    td_begin(p, WEB_MSG_AP_COL_NAME);
    web_page_text(p, r->first_name);
    web_page_raw(p, " ");
    web_page_text(p, r->last_name);
    web_page_raw(p, "</td>\n");
    td_begin(p, WEB_MSG_AP_COL_INSTITUTION);
    web_page_text(p, r->institution_name);
    web_page_raw(p, "</td>\n");
    td_begin(p, WEB_MSG_AP_COL_DISTRICT);
    web_page_text(p, r->district);
    web_page_raw(p, "</td>\n");
    td_begin(p, WEB_MSG_AP_COL_EXPIRY);
    expiry_text(p, cert->not_after);
    web_page_raw(p, "</td>\n");
    td_begin(p, WEB_MSG_AP_COL_DAYS_LEFT);
    web_page_text(p, days);
    web_page_raw(p, "</td>\n</tr>\n");
    return 0;
}

static enum web_err h_expiring(struct web_req *rq)
{
    struct actx c;
    struct web_page p;
    int province = 0;
    long days = 0;
    bool forbidden;
    enum web_err rc;

    actx_init(&c, rq);
    web_page_init(&p, c.lang);
    if (!enter(&c, false, &rc))
        goto out;
    if (!asked_province(&c, web_req_query(rq, "province"), &province, &forbidden)) {
        rc = forbidden ? page_403(&c, "forbidden_province") : bad_province(&c);
        goto out;
    }
    const char *gun = web_req_query(rq, "gun");
    if (!gun || !*gun)
        gun = "30";
    if (!parse_count(gun, 90, &days) || (days != 30 && days != 60 && days != 90)) {
        rc = error_page(&c, 400, WEB_MSG_PP_ERR_403_TITLE, NULL, WEB_MSG_AP_EXP_DAYS_BAD);
        goto out;
    }
    char dtext[8], csv[80];
    snprintf(dtext, sizeof dtext, "%ld", days);
    const char *args[] = {dtext};
    char title[160];
    const char *t = web_msg(WEB_MSG_AP_EXP_TITLE, c.lang), *ph = strstr(t, "{0}");
    snprintf(title, sizeof title, "%.*s%s%s", ph ? (int)(ph - t) : (int)strlen(t), t,
             ph ? dtext : "", ph ? ph + 3 : "");
    const struct web_layout layout = {.title_text = title};
    staff_begin(&c, &p, &layout, NAV_DASHBOARD);
    web_page_raw(&p, "<h1>");
    web_page_text(&p, title);
    web_page_raw(&p, "</h1>\n");
    scope_line(&p, province);
    if (!role_is(&c.who, "approver"))
        province_chooser(&p, "/yonetim/bitecekler", province, dtext);
    para(&p, WEB_MSG_AP_EXP_LEAD);
    expiring_href(csv, sizeof csv, "/api/v1/admin/expiring.csv?days=", days, province);
    web_page_raw(&p, "<p class=\"page-actions\"><a download");
    web_page_attr(&p, "href", csv);
    web_page_raw(&p, ">");
    web_page_msg_args(&p, WEB_MSG_AP_EXPIRING_CSV, args, 1);
    web_page_raw(&p, "</a></p>\n");
    struct expiring_ctx ec = {&p, c.now, 0};
    if (app_admin_expiring(c.s, &c.who, province, (int)days, c.now, expiring_row, &ec, &c.err) !=
        APP_OK) {
        rc = app_failure(&c);
        goto out;
    }
    if (ec.n == 0)
        para(&p, WEB_MSG_AP_EXP_EMPTY);
    else
        web_page_raw(&p, "</tbody>\n</table>\n</div>\n");
    web_page_end(&p);
    rc = web_page_reply(rq, &p, 200);
out:
    web_page_free(&p);
    return rc;
}

/* ---- /yonetim/iletiler: messages that need the operator ------------------------------------ */

struct messages_ctx {
    struct web_page *p;
    const char *csrf;
    size_t n;
};

/* The operator's answers to one message: send it again; for an unconfirmed one also "it
 * arrived" (app_admin_message_action). */
static void message_actions(struct messages_ctx *e, const struct app_message_problem *m)
{
    char action[48];
    snprintf(action, sizeof action, "/yonetim/iletiler/%lld", (long long)m->id);
    form_begin_dyn(e->p, action, e->csrf);
    web_page_raw(e->p, "<div class=\"buttons\">\n");
    web_page_button(e->p, WEB_MSG_AP_MSG_RETRY, WEB_BUTTON_SECONDARY, "action", "retry");
    if (strcmp(m->status, "failed"))
        web_page_button(e->p, WEB_MSG_AP_MSG_CONFIRM, WEB_BUTTON_SECONDARY, "action", "confirm");
    web_page_raw(e->p, "</div>\n");
    form_end_dyn(e->p);
}

static int message_row(void *ctx, const struct app_message_problem *m)
{
    struct messages_ctx *e = ctx;
    struct web_page *p = e->p;
    static const enum web_msg cols[] = {WEB_MSG_AP_COL_CREATED,   WEB_MSG_AP_COL_CHANNEL,
                                        WEB_MSG_AP_COL_TO,        WEB_MSG_AP_COL_MSG_STATUS,
                                        WEB_MSG_AP_COL_ERROR,     WEB_MSG_AP_COL_ATTEMPTS,
                                        WEB_MSG_AP_COL_MSG_ACTION};
    if (e->n++ == 0) {
        web_page_raw(p, "<div class=\"table-wrap\">\n<table class=\"messages cards\">\n"
                        "<thead>\n<tr>");
        head_cells(p, cols, sizeof cols / sizeof cols[0]);
    }
    char when[32], attempts[16];
    tr_time(m->created_at, true, when);
    snprintf(attempts, sizeof attempts, "%d", m->attempts);
    const char *cells[] = {when, m->channel, m->to, NULL, m->error, attempts, ""};
    web_page_raw(p, "<tr>\n");
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        if (i == 0)
            web_page_raw(p, "<th scope=\"row\"");
        else
            web_page_raw(p, "<td");
        web_page_attr_msg(p, "data-label", cols[i]);
        web_page_raw(p, ">");
        if (cols[i] == WEB_MSG_AP_COL_MSG_ACTION)
            message_actions(e, m);
        else if (cells[i])
            web_page_text(p, cells[i]);
        else
            web_page_msg(p, !strcmp(m->status, "failed") ? WEB_MSG_AP_MSG_FAILED
                                                         : WEB_MSG_AP_MSG_UNCONFIRMED);
        if (i == 0)
            web_page_raw(p, "</th>\n");
        else
            web_page_raw(p, "</td>\n");
    }
    web_page_raw(p, "</tr>\n");
    return 0;
}

static enum web_err h_messages(struct web_req *rq)
{
    struct actx c;
    struct web_page p;
    enum web_err rc;
    actx_init(&c, rq);
    web_page_init(&p, c.lang);
    if (!enter(&c, false, &rc))
        goto out;
    if (!role_is(&c.who, "operator") && !role_is(&c.who, "admin")) {
        rc = page_403(&c, "forbidden_role");
        goto out;
    }
    const struct web_layout layout = {.title = WEB_MSG_AP_MSG_TITLE};
    staff_begin(&c, &p, &layout, NAV_MESSAGES);
    heading(&p, WEB_MSG_AP_MSG_TITLE);
    const char *done = web_req_query(rq, "yapildi");
    if (done && (!strcmp(done, "retry") || !strcmp(done, "confirm"))) {
        web_page_notice_begin(&p, WEB_NOTICE_SUCCESS);
        web_page_raw(&p, "<p>");
        web_page_msg(&p, !strcmp(done, "retry") ? WEB_MSG_AP_MSG_DONE_RETRY
                                                : WEB_MSG_AP_MSG_DONE_CONFIRM);
        web_page_raw(&p, "</p>\n");
        web_page_notice_end(&p);
    }
    para(&p, WEB_MSG_AP_MSG_LEAD);
    struct messages_ctx mc = {&p, c.ss.csrf, 0};
    if (app_admin_messages(c.s, &c.who, c.now, message_row, &mc, &c.err) != APP_OK) {
        rc = app_failure(&c);
        goto out;
    }
    if (mc.n == 0)
        para(&p, WEB_MSG_AP_MSG_EMPTY);
    else
        web_page_raw(&p, "</tbody>\n</table>\n</div>\n");
    web_page_end(&p);
    rc = web_page_reply(rq, &p, 200);
out:
    web_page_free(&p);
    return rc;
}

/* POST /yonetim/iletiler/{id}: the operator's answer (action retry | confirm), then back to
 * the list with what was done. */
static enum web_err h_message_action(struct web_req *rq)
{
    struct actx c;
    enum web_err rc;
    actx_init(&c, rq);
    if (!enter(&c, true, &rc))
        goto out;
    long id = 0;
    const char *v = web_req_param(rq, "id");
    if (!v || !parse_count(v, INT32_MAX, &id))
        id = 0; /* app_admin_message_action: message_not_found */
    const char *action = form_get(&c, "action");
    if (app_admin_message_action(c.s, &c.who, id, action, c.now, &c.err) != APP_OK) {
        rc = app_failure(&c);
        goto out;
    }
    rc = see_other(rq, !strcmp(action, "retry") ? "/yonetim/iletiler?yapildi=retry"
                                                : "/yonetim/iletiler?yapildi=confirm");
out:
    web_formdata_free(&c.form);
    return rc;
}

/* ---- the routes' handlers: every answer a page --------------------------------------------- */

enum web_err web_h_staff_login(struct web_req *rq)
{
    return as_html(rq, h_login(rq));
}

enum web_err web_h_staff_logout(struct web_req *rq)
{
    return as_html(rq, h_logout(rq));
}

enum web_err web_h_staff_queue(struct web_req *rq)
{
    return as_html(rq, h_queue(rq));
}

enum web_err web_h_staff_bulk(struct web_req *rq)
{
    return as_html(rq, h_bulk(rq));
}

enum web_err web_h_staff_detail(struct web_req *rq)
{
    return as_html(rq, h_detail(rq));
}

enum web_err web_h_staff_dashboard(struct web_req *rq)
{
    return as_html(rq, h_dashboard(rq));
}

enum web_err web_h_staff_messages(struct web_req *rq)
{
    return as_html(rq, h_messages(rq));
}

enum web_err web_h_staff_expiring(struct web_req *rq)
{
    return as_html(rq, h_expiring(rq));
}

enum web_err web_h_staff_message_action(struct web_req *rq)
{
    return as_html(rq, h_message_action(rq));
}
