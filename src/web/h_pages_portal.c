/* eimza — the applicant's step pages (web/): login (/giris), the form (/basvuru), the SMS
 * code (/sms), the signing method (/yontem), the status (/durum) and logout (/cikis).
 *
 * Plain HTML forms that work without JavaScript: a POST that succeeds answers 303 See Other
 * to the next step (so a reload never sends it twice); one that fails shows the form again,
 * as a 200 page, with the error summary and the fields' own messages. Every rule lives in the
 * use cases of app/portal.h, the same ones the JSON API calls; these handlers only decode the
 * form, call them and write the page. The session is the API's cookie (web_portal_auth), and
 * every form carries the session's CSRF token; the login form, made before there is a
 * session, carries a token bound to a cookie of its own (double submit). A page asked for at
 * the wrong step sends the person to the step their application is at. The T.C. Kimlik No is
 * only ever posted, never put in a URL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/appstate.h"
#include "core/personnel.h"
#include "core/reason.h"
#include "core/rules.h"
#include "core/tckn.h"
#include "core/validate.h"
#include "store/store.h"
#include "util/rand.h"
#include "web/captcha.h"
#include "web/h_api.h"
#include "web/page.h"
#include "web/page_csrf.h"
#include "web/page_formdata.h"
#include "web/web_int.h"

#define TR_OFFSET  (3 * 3600) /* Europe/Istanbul: UTC+3 all year since 2016 */
#define LOGIN_CSRF "eimza_login_csrf"

/* What every handler works with. */
struct pctx {
    struct web_req *rq;
    enum core_lang lang;
    struct store *s;
    int64_t now;
    struct store_session ss;
    struct app_err err;
    struct web_formdata form; /* POST handlers: the decoded body */
};

/* ---- small helpers ------------------------------------------------------------------------- */

static enum web_err see_other(struct web_req *rq, const char *where)
{
    if (web_reply_header(rq, "Location", where) < 0)
        return WEB_E_NOMEM;
    return web_reply_static(rq, 303, "text/plain; charset=utf-8", "", 0);
}

enum tr_fmt { TR_CLOCK, TR_DATETIME, TR_ISO };

/* A moment in Turkish time: "14:05", "27.03.2026 14:05" or "2026-03-27T14:05+03:00". */
static void tr_time(int64_t t, enum tr_fmt fmt, char out[32])
{
    struct tm tm;
    time_t tt = (time_t)(t + TR_OFFSET);
    size_t n = 0;
    if (gmtime_r(&tt, &tm)) {
        if (fmt == TR_CLOCK)
            n = strftime(out, 32, "%H:%M", &tm);
        else if (fmt == TR_DATETIME)
            n = strftime(out, 32, "%d.%m.%Y %H:%M", &tm);
        else
            n = strftime(out, 32, "%Y-%m-%dT%H:%M+03:00", &tm);
    }
    if (n == 0)
        out[0] = '\0';
}

/* The text of a catalogue message with {0} replaced by arg, into out. */
static const char *fill1(enum web_msg key, enum core_lang lang, const char *arg, char *out,
                         size_t cap)
{
    const char *t = web_msg(key, lang), *ph = strstr(t, "{0}");
    if (!ph)
        snprintf(out, cap, "%s", t);
    else
        snprintf(out, cap, "%.*s%s%s", (int)(ph - t), t, arg, ph + 3);
    return out;
}

/* A small page for a refusal or a failure: a heading, a sentence and a way on. */
static enum web_err error_page(struct pctx *c, unsigned status, enum web_msg title,
                               const char *text, enum web_msg text_key, bool to_login)
{
    struct web_page p;
    const struct web_layout layout = {.title = title};
    web_page_init(&p, c->lang);
    web_page_begin(&p, &layout);
    web_page_raw(&p, "<h1>");
    web_page_msg(&p, title);
    web_page_raw(&p, "</h1>\n<p>");
    if (text)
        web_page_text(&p, text);
    else
        web_page_msg(&p, text_key);
    web_page_raw(&p, "</p>\n<p>");
    if (to_login) {
        web_page_raw(&p, "<a href=\"/giris\">");
        web_page_msg(&p, WEB_MSG_PP_LOGIN_AGAIN);
    } else {
        web_page_raw(&p, "<a href=\"/\">");
        web_page_msg(&p, WEB_MSG_PP_HOME_LINK);
    }
    web_page_raw(&p, "</a></p>\n");
    web_page_end(&p);
    enum web_err rc = web_page_reply(c->rq, &p, status);
    web_page_free(&p);
    return rc;
}

static enum web_err page_500(struct pctx *c)
{
    return error_page(c, 500, WEB_MSG_PP_ERR_500_TITLE, NULL, WEB_MSG_PP_ERR_500_TEXT, false);
}

/* What a handler answered with an error code and no page (a body that is not a form, the
 * database out of reach, memory) as a small HTML page, not the API's JSON. */
static enum web_err as_html(struct web_req *rq, enum web_err rc)
{
    if (rc == WEB_OK || rq->answered)
        return rc;
    struct pctx c = {.rq = rq, .lang = web_page_lang(rq)};
    unsigned status = web_err_status(rc);
    enum web_err r2;
    if (status == 404)
        r2 = error_page(&c, 404, WEB_MSG_PP_ERR_404_TITLE, NULL, WEB_MSG_PP_ERR_404_TEXT, false);
    else if (status >= 500)
        r2 = error_page(&c, status, WEB_MSG_PP_ERR_500_TITLE, NULL, WEB_MSG_PP_ERR_500_TEXT, false);
    else
        r2 = error_page(&c, status, WEB_MSG_PP_ERR_403_TITLE, web_err_message(rc, c.lang),
                        WEB_MSG_NONE, false);
    return r2 == WEB_OK ? WEB_OK : rc;
}

/* The page of the step an application is at. */
static const char *step_path(const struct store_application *a)
{
    enum core_app_state st;
    if (core_app_state_parse(a->state, &st) != 0)
        return "/durum";
    if (st == CORE_APP_DRAFT)
        return a->confirmed ? "/sms" : "/basvuru";
    if (st == CORE_APP_CODE_VERIFIED)
        return !strcmp(a->method, "esign") ? "/imza" : "/yontem";
    return "/durum";
}

static bool in_state(const struct store_application *a, enum core_app_state want)
{
    return !strcmp(a->state, core_app_state_code(want));
}

/* A use case's failure that the page has no better answer for. */
static enum web_err app_failure(struct pctx *c)
{
    const struct app_err *e = &c->err;
    if (e->store_failed)
        web_req_store_failed(c->rq);
    switch (e->status) {
    case APP_EAUTH:
        return see_other(c->rq, "/giris");
    case APP_EFORBIDDEN:
        return error_page(c, 403, WEB_MSG_PP_ERR_403_TITLE,
                          core_reason_message(e->code ? e->code : "csrf_invalid", c->lang),
                          WEB_MSG_NONE, false);
    case APP_ENOTFOUND:
        return error_page(c, 404, WEB_MSG_PP_ERR_404_TITLE, NULL, WEB_MSG_PP_ERR_404_TEXT, false);
    case APP_ECONFLICT: {
        /* the application moved on (another tab, the approver): show where it is now */
        struct app_view v;
        struct app_err e2;
        if (app_application_current(c->s, web_portal_cfg(), &c->ss, c->now, &v, &e2) != APP_OK)
            return page_500(c);
        return see_other(c->rq, step_path(&v.app));
    }
    default:
        return page_500(c);
    }
}

/* Decodes a POSTed form into c->form; WEB_OK or the error to return. */
static enum web_err read_form(struct pctx *c)
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

static const char *form_get(const struct pctx *c, const char *name)
{
    return web_formdata_get(&c->form, name);
}

static void pctx_init(struct pctx *c, struct web_req *rq)
{
    memset(c, 0, sizeof *c);
    c->rq = rq;
    c->lang = web_page_lang(rq);
    c->now = web_portal_now(rq);
}

/* The session and the application for a step page (POSTs: the form decoded and its CSRF token
 * checked). Returns true to go on; otherwise *rc is the answer already given: 303 /giris
 * without a session, 403 for a bad CSRF token. */
static bool enter(struct pctx *c, bool post, struct app_view *v, enum web_err *rc)
{
    c->s = web_req_store(c->rq);
    if (!c->s) {
        *rc = WEB_E_DB_UNAVAILABLE;
        return false;
    }
    if (post && (*rc = read_form(c)) != WEB_OK)
        return false;
    enum app_status st =
        web_portal_auth(c->rq, post ? form_get(c, "csrf_token") : NULL, &c->ss, NULL, &c->err);
    if (st == APP_OK)
        st = app_application_current(c->s, web_portal_cfg(), &c->ss, c->now, v, &c->err);
    if (st != APP_OK) {
        *rc = app_failure(c);
        return false;
    }
    return true;
}

/* The error summary item for a message that belongs to no field. */
static struct web_error_item message_item(const char *message)
{
    return (struct web_error_item){NULL, WEB_MSG_NONE, message};
}

/* "You can try again from 14:05 (in about 15 minutes)." */
static void retry_notice(struct web_page *p, int64_t now, int64_t retry_after)
{
    char at[32], mins[24];
    if (retry_after <= 0)
        return;
    tr_time(now + retry_after, TR_CLOCK, at);
    snprintf(mins, sizeof mins, "%lld", (long long)((retry_after + 59) / 60));
    const char *args[] = {at, mins};
    web_page_notice_begin(p, WEB_NOTICE_WARNING);
    web_page_raw(p, "<p>");
    web_page_msg_args(p, WEB_MSG_PP_RETRY_AT, args, 2);
    web_page_raw(p, "</p>\n");
    web_page_notice_end(p);
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

static void app_number(struct web_page *p, const char *number)
{
    const char *args[] = {number};
    web_page_raw(p, "<p class=\"app-number\">");
    web_page_msg_args(p, WEB_MSG_APPLICATION_NUMBER, args, 1);
    web_page_raw(p, "</p>\n");
}

/* A paragraph of text from the use cases (already in the page's language). */
static void text_para(struct web_page *p, const char *text)
{
    web_page_raw(p, "<p>");
    web_page_text(p, text);
    web_page_raw(p, "</p>\n");
}

/* Maps the use case's per-field errors onto the page's fields; those that match no field
 * are left in extra[] (as messages without a link). Returns how many went to extra. */
static size_t map_field_errors(const struct app_err *e, enum core_lang lang, struct web_field *f,
                               size_t nf, struct web_error_item *extra, size_t cap)
{
    size_t nextra = 0;
    for (size_t i = 0; i < e->nfields; i++) {
        const char *msg = core_reason_message(e->fields[i].code, lang);
        bool found = false;
        for (size_t k = 0; k < nf && !found; k++) {
            if (f[k].name && !strcmp(f[k].name, e->fields[i].field)) {
                if (!f[k].error)
                    f[k].error = msg;
                found = true;
            }
        }
        if (!found && nextra < cap)
            extra[nextra++] = message_item(msg);
    }
    return nextra;
}

/* The summary: the fields' errors in page order, then messages without a field. */
static size_t summary_items(const struct web_field *f, size_t nf,
                            const struct web_error_item *extra, size_t nextra,
                            struct web_error_item *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < nf && n < cap; i++)
        if (f[i].error)
            out[n++] = (struct web_error_item){f[i].name, f[i].label, f[i].error};
    for (size_t i = 0; i < nextra && n < cap; i++)
        out[n++] = extra[i];
    return n;
}

/* ---- step 1: /giris ------------------------------------------------------------------------ */

enum login_field { L_TCKN, L_FIRST, L_LAST, L_PLACE, L_DATE, L_CAPTCHA, L_COUNT };

static const struct web_field login_fields[L_COUNT] = {
    [L_TCKN] = {WEB_FIELD_NUMERIC, "tckn", WEB_MSG_TCKN, WEB_MSG_TCKN_HINT, .autocomplete = "off",
                .maxlength = 11},
    [L_FIRST] = {WEB_FIELD_TEXT, "first_name", WEB_MSG_FIRST_NAME, .autocomplete = "given-name"},
    [L_LAST] = {WEB_FIELD_TEXT, "last_name", WEB_MSG_LAST_NAME, .autocomplete = "family-name"},
    [L_PLACE] = {WEB_FIELD_TEXT, "birth_place", WEB_MSG_BIRTH_PLACE, .autocomplete = "off"},
    [L_DATE] = {WEB_FIELD_DATE, "birth_date", WEB_MSG_BIRTH_DATE, WEB_MSG_BIRTH_DATE_HINT,
                .autocomplete = "bday"},
    [L_CAPTCHA] = {WEB_FIELD_TEXT, "captcha_answer", WEB_MSG_CAPTCHA, WEB_MSG_CAPTCHA_HINT,
                   .autocomplete = "off", .maxlength = 16},
};

/* DD.MM.YYYY (typed where the browser has no date picker) as YYYY-MM-DD; other text as it
 * is, for the use case to judge. */
static const char *iso_date(const char *v, char out[11])
{
    if (v && strlen(v) == 10 && v[2] == '.' && v[5] == '.' && strspn(v, "0123456789.") == 10) {
        snprintf(out, 11, "%.4s-%.2s-%.2s", v + 6, v + 3, v);
        return out;
    }
    return v;
}

/* The login page with a new captcha; extra: messages without a field; retry: a lock-out. */
static enum web_err login_page(struct pctx *c, struct web_field *f,
                               const struct web_error_item *extra, size_t nextra, int64_t retry,
                               unsigned status)
{
    struct app_captcha cap;
    struct app_err err;
    struct web_page p;
    struct web_error_item items[L_COUNT + 4];
    char csrf[WEB_LOGIN_CSRF_HEX + 1], url[96];
    enum web_err rc;

    if (web_login_csrf(c->rq, LOGIN_CSRF, "/giris", csrf) < 0)
        return WEB_E_INTERNAL;
    if (app_captcha_new(c->s, web_portal_cfg(), c->now, &cap, &err) != APP_OK) {
        c->err = err;
        return app_failure(c);
    }
    size_t n = summary_items(f, L_COUNT, extra, nextra, items, sizeof items / sizeof items[0]);
    const struct web_layout layout = {
        .title = WEB_MSG_LOGIN_TITLE, .step = WEB_STEP_LOGIN, .errors = n > 0};
    web_page_init(&p, c->lang);
    web_page_begin(&p, &layout);
    web_page_error_summary(&p, items, n);
    heading(&p, WEB_MSG_LOGIN_TITLE);
    retry_notice(&p, c->now, retry);
    para(&p, WEB_MSG_PP_LOGIN_LEAD);
    web_page_form_begin(&p, "/giris", csrf);
    for (int i = L_TCKN; i <= L_DATE; i++)
        web_page_field(&p, &f[i]);
    _Static_assert(WEB_CAPTCHA_WIDTH == 200 && WEB_CAPTCHA_HEIGHT == 70, "the <img> size below");
    web_page_raw(&p, "<div class=\"captcha\">\n<img class=\"captcha-image\" width=\"200\" "
                     "height=\"70\"");
    snprintf(url, sizeof url, "/api/v1/captcha/%s.png", cap.id);
    web_page_attr(&p, "src", url);
    web_page_attr_msg(&p, "alt", WEB_MSG_CAPTCHA_IMAGE_ALT);
    web_page_raw(&p, ">\n<p class=\"captcha-links\"><a href=\"/giris\">");
    web_page_msg(&p, WEB_MSG_CAPTCHA_NEW);
    web_page_raw(&p, "</a> <a");
    snprintf(url, sizeof url, "/api/v1/captcha/%s.wav", cap.id);
    web_page_attr(&p, "href", url);
    web_page_raw(&p, ">");
    web_page_msg(&p, WEB_MSG_PP_CAPTCHA_AUDIO_LINK);
    web_page_raw(&p, "</a></p>\n</div>\n<input type=\"hidden\" name=\"captcha_id\"");
    web_page_attr(&p, "value", cap.id);
    web_page_raw(&p, ">\n");
    web_page_field(&p, &f[L_CAPTCHA]);
    web_page_raw(&p, "<div class=\"buttons\">\n");
    web_page_button(&p, WEB_MSG_LOGIN, WEB_BUTTON_PRIMARY, NULL, NULL);
    web_page_raw(&p, "</div>\n");
    web_page_form_end(&p);
    web_page_end(&p);
    rc = web_page_reply(c->rq, &p, status);
    web_page_free(&p);
    return rc;
}

static enum web_err h_login(struct web_req *rq)
{
    struct pctx c;
    struct web_field f[L_COUNT];
    struct web_error_item extra[2];
    size_t nextra = 0;
    char date[11];
    enum web_err rc;

    pctx_init(&c, rq);
    memcpy(f, login_fields, sizeof f);
    c.s = web_req_store(rq);
    if (!c.s)
        return WEB_E_DB_UNAVAILABLE;
    if (strcmp(web_req_method(rq), "POST") != 0)
        return login_page(&c, f, NULL, 0, 0, 200);

    if ((rc = read_form(&c)) != WEB_OK)
        goto out;
    if (!web_same_token(form_get(&c, "csrf_token"), web_req_cookie(rq, LOGIN_CSRF))) {
        rc = error_page(&c, 403, WEB_MSG_PP_ERR_403_TITLE,
                        core_reason_message("csrf_invalid", c.lang), WEB_MSG_NONE, true);
        goto out;
    }
    for (int i = 0; i < L_COUNT; i++)
        f[i].value = form_get(&c, f[i].name);
    f[L_DATE].value = iso_date(f[L_DATE].value, date);
    struct app_login_req lr = {
        .tckn = f[L_TCKN].value ? f[L_TCKN].value : "",
        .first_name = f[L_FIRST].value ? f[L_FIRST].value : "",
        .last_name = f[L_LAST].value ? f[L_LAST].value : "",
        .birth_place = f[L_PLACE].value ? f[L_PLACE].value : "",
        .birth_date = f[L_DATE].value ? f[L_DATE].value : "",
        .captcha_id = form_get(&c, "captcha_id") ? form_get(&c, "captcha_id") : "",
        .captcha_answer = f[L_CAPTCHA].value ? f[L_CAPTCHA].value : "",
    };
    struct app_login_ok ok;
    char addr[64];
    web_req_client_addr(rq, addr, sizeof addr);
    enum app_status st = app_login(c.s, web_portal_cfg(), &lr, addr, c.now, &ok, &c.err);
    if (st == APP_OK) {
        char clear[96];
        snprintf(clear, sizeof clear, "%s=; Path=/giris; HttpOnly; SameSite=Strict; Max-Age=0",
                 LOGIN_CSRF);
        if (web_portal_set_cookie(rq, ok.token, web_portal_cfg()->session_lifetime) < 0 ||
            web_reply_header(rq, "Set-Cookie", clear) < 0)
            rc = WEB_E_NOMEM;
        else
            rc = see_other(rq, "/basvuru");
        goto out;
    }
    f[L_CAPTCHA].value = NULL; /* used up: the new picture needs a new answer */
    const char *code = c.err.code ? c.err.code : "";
    if (st == APP_EINVAL && c.err.nfields) {
        nextra = map_field_errors(&c.err, c.lang, f, L_COUNT, extra, 2);
    } else if (st == APP_EINVAL && !strncmp(code, "captcha_", 8)) {
        f[L_CAPTCHA].error = core_reason_message(code, c.lang);
    } else if (st == APP_EAUTH || st == APP_ETOOMANY) {
        /* the same words whatever was wrong: the use case gives one code for all */
        extra[nextra++] = message_item(core_reason_message(code, c.lang));
    } else {
        rc = app_failure(&c);
        goto out;
    }
    rc = login_page(&c, f, extra, nextra, st == APP_ETOOMANY ? c.err.retry_after : 0,
                    st == APP_ETOOMANY ? 429 : 200);
    if (st == APP_ETOOMANY && rc == WEB_OK) {
        char ra[24];
        snprintf(ra, sizeof ra, "%lld", (long long)c.err.retry_after);
        (void)web_reply_header(rq, "Retry-After", ra);
    }
out:
    web_formdata_free(&c.form);
    return rc;
}

/* ---- step 2: /basvuru ---------------------------------------------------------------------- */

static const struct web_option reasons[] = {
    {"renewal", WEB_MSG_REASON_RENEWAL, NULL, WEB_MSG_REASON_RENEWAL_HINT},
    {"lost_stolen", WEB_MSG_REASON_LOST, NULL, WEB_MSG_REASON_LOST_HINT},
    {"other", WEB_MSG_REASON_OTHER, NULL, WEB_MSG_REASON_OTHER_HINT},
};
static const struct web_option validities[] = {
    {"1", WEB_MSG_VALIDITY_1, NULL, WEB_MSG_NONE},
    {"2", WEB_MSG_VALIDITY_2, NULL, WEB_MSG_NONE},
    {"3", WEB_MSG_VALIDITY_3, NULL, WEB_MSG_NONE},
};
static const struct web_option operators[] = {
    {"turkcell", WEB_MSG_OPERATOR_TURKCELL, NULL, WEB_MSG_NONE},
    {"vodafone", WEB_MSG_OPERATOR_VODAFONE, NULL, WEB_MSG_NONE},
    {"turk_telekom", WEB_MSG_OPERATOR_TURK_TELEKOM, NULL, WEB_MSG_NONE},
};
static const struct web_option notify[] = {
    {"email", WEB_MSG_NOTIFY_EMAIL, NULL, WEB_MSG_NONE},
    {"sms", WEB_MSG_NOTIFY_SMS, NULL, WEB_MSG_NONE},
    {"both", WEB_MSG_NOTIFY_BOTH, NULL, WEB_MSG_NONE},
};

#define NOPT(a) (sizeof(a) / sizeof((a)[0]))

/* The form's fields in page order, each with the application field it shows. */
enum form_field {
    F_REASON,
    F_CARD_READER,
    F_VALIDITY,
    F_TCKN,
    F_FIRST,
    F_LAST,
    F_PLACE,
    F_DATE,
    F_WORD,
    F_WORD2,
    F_INSTITUTION,
    F_REGISTRY,
    F_UNIT,
    F_TITLE,
    F_ADDRESS,
    F_PROVINCE,
    F_DISTRICT,
    F_POSTAL,
    F_EMAIL,
    F_WORK_PHONE,
    F_WORK_EXT,
    F_MOBILE,
    F_OPERATOR,
    F_HOME_PHONE,
    F_NOTIFY,
    F_COUNT
};

static const enum app_field form_app_field[F_COUNT] = {
    [F_REASON] = APP_F_REASON,
    [F_CARD_READER] = APP_F_CARD_READER,
    [F_VALIDITY] = APP_F_VALIDITY_YEARS,
    [F_TCKN] = APP_F_TCKN,
    [F_FIRST] = APP_F_FIRST_NAME,
    [F_LAST] = APP_F_LAST_NAME,
    [F_PLACE] = APP_F_BIRTH_PLACE,
    [F_DATE] = APP_F_BIRTH_DATE,
    [F_WORD] = APP_F_SECURITY_WORD,
    [F_WORD2] = APP_F_SECURITY_WORD_REPEAT,
    [F_INSTITUTION] = APP_F_INSTITUTION_NAME,
    [F_REGISTRY] = APP_F_REGISTRY_NO,
    [F_UNIT] = APP_F_UNIT,
    [F_TITLE] = APP_F_TITLE,
    [F_ADDRESS] = APP_F_ADDRESS,
    [F_PROVINCE] = APP_F_PROVINCE,
    [F_DISTRICT] = APP_F_DISTRICT,
    [F_POSTAL] = APP_F_POSTAL_CODE,
    [F_EMAIL] = APP_F_EMAIL,
    [F_WORK_PHONE] = APP_F_WORK_PHONE,
    [F_WORK_EXT] = APP_F_WORK_PHONE_EXT,
    [F_MOBILE] = APP_F_MOBILE_PHONE,
    [F_OPERATOR] = APP_F_MOBILE_OPERATOR,
    [F_HOME_PHONE] = APP_F_HOME_PHONE,
    [F_NOTIFY] = APP_F_NOTIFY_BY,
};

static const struct web_field form_fields[F_COUNT] = {
    [F_REASON] = {WEB_FIELD_RADIO, "reason", WEB_MSG_REASON, .options = reasons,
                  .noptions = NOPT(reasons)},
    [F_CARD_READER] = {WEB_FIELD_SELECT, "card_reader", WEB_MSG_CARD_READER},
    [F_VALIDITY] = {WEB_FIELD_RADIO, "validity_years", WEB_MSG_VALIDITY, .options = validities,
                    .noptions = NOPT(validities)},
    [F_TCKN] = {WEB_FIELD_READONLY, "tckn", WEB_MSG_TCKN, WEB_MSG_READONLY_HINT},
    [F_FIRST] = {WEB_FIELD_READONLY, "first_name", WEB_MSG_FIRST_NAME},
    [F_LAST] = {WEB_FIELD_READONLY, "last_name", WEB_MSG_LAST_NAME},
    [F_PLACE] = {WEB_FIELD_READONLY, "birth_place", WEB_MSG_BIRTH_PLACE},
    [F_DATE] = {WEB_FIELD_READONLY, "birth_date", WEB_MSG_BIRTH_DATE},
    [F_WORD] = {WEB_FIELD_PASSWORD, "security_word", WEB_MSG_SECURITY_WORD,
                WEB_MSG_SECURITY_WORD_HINT, .autocomplete = "new-password", .maxlength = 64},
    [F_WORD2] = {WEB_FIELD_PASSWORD, "security_word_repeat", WEB_MSG_SECURITY_WORD_REPEAT,
                 .autocomplete = "new-password", .maxlength = 64},
    [F_INSTITUTION] = {WEB_FIELD_READONLY, "institution_name", WEB_MSG_INSTITUTION_NAME,
                       WEB_MSG_INSTITUTION_HINT},
    [F_REGISTRY] = {WEB_FIELD_READONLY, "registry_no", WEB_MSG_REGISTRY_NO},
    [F_UNIT] = {WEB_FIELD_TEXT, "unit", WEB_MSG_UNIT, .autocomplete = "off"},
    [F_TITLE] = {WEB_FIELD_TEXT, "title", WEB_MSG_JOB_TITLE, .autocomplete = "organization-title"},
    [F_ADDRESS] = {WEB_FIELD_TEXTAREA, "address", WEB_MSG_ADDRESS,
                   .autocomplete = "street-address"},
    [F_PROVINCE] = {WEB_FIELD_SELECT, "province", WEB_MSG_PROVINCE},
    [F_DISTRICT] = {WEB_FIELD_TEXT, "district", WEB_MSG_DISTRICT},
    [F_POSTAL] = {WEB_FIELD_NUMERIC, "postal_code", WEB_MSG_POSTAL_CODE, WEB_MSG_POSTAL_CODE_HINT,
                  .autocomplete = "postal-code", .maxlength = 5},
    [F_EMAIL] = {WEB_FIELD_EMAIL, "email", WEB_MSG_EMAIL, .autocomplete = "email"},
    [F_WORK_PHONE] = {WEB_FIELD_TEL, "work_phone", WEB_MSG_WORK_PHONE_NUMBER, .optional = true},
    [F_WORK_EXT] = {WEB_FIELD_NUMERIC, "work_phone_ext", WEB_MSG_WORK_PHONE_EXT, .optional = true,
                    .maxlength = 6},
    [F_MOBILE] = {WEB_FIELD_TEL, "mobile_phone", WEB_MSG_MOBILE_PHONE, WEB_MSG_MOBILE_PHONE_HINT,
                  .autocomplete = "tel"},
    [F_OPERATOR] = {WEB_FIELD_SELECT, "mobile_operator", WEB_MSG_MOBILE_OPERATOR,
                    .options = operators, .noptions = NOPT(operators)},
    [F_HOME_PHONE] = {WEB_FIELD_TEL, "home_phone", WEB_MSG_HOME_PHONE, .optional = true},
    [F_NOTIFY] = {WEB_FIELD_RADIO, "notify_by", WEB_MSG_NOTIFY_BY, .options = notify,
                  .noptions = NOPT(notify)},
};

/* The saved values of the application, as the form shows them. */
struct form_values {
    char masked[CORE_TCKN_LEN + 1];
    char validity[4];
    char province[4];
};

static void form_fill(struct web_field *f, const struct app_view *v, struct form_values *fv)
{
    const struct store_application *a = &v->app;
    core_tckn_mask(a->tckn, fv->masked);
    snprintf(fv->validity, sizeof fv->validity, "%d", a->validity_years);
    snprintf(fv->province, sizeof fv->province, "%d", a->province);
    f[F_REASON].value = a->reason;
    f[F_CARD_READER].value = a->card_reader;
    f[F_VALIDITY].value = fv->validity;
    f[F_TCKN].value = fv->masked;
    f[F_FIRST].value = a->first_name;
    f[F_LAST].value = a->last_name;
    f[F_PLACE].value = a->birth_place;
    f[F_DATE].value = a->birth_date;
    f[F_INSTITUTION].value = a->institution_name;
    f[F_REGISTRY].value = a->registry_no;
    f[F_UNIT].value = a->unit;
    f[F_TITLE].value = a->title;
    f[F_ADDRESS].value = a->address;
    f[F_PROVINCE].value = a->province ? fv->province : "";
    f[F_DISTRICT].value = a->district;
    f[F_POSTAL].value = a->postal_code;
    f[F_EMAIL].value = a->email;
    f[F_WORK_PHONE].value = a->work_phone;
    f[F_WORK_EXT].value = a->work_phone_ext;
    f[F_MOBILE].value = a->mobile_phone;
    f[F_OPERATOR].value = a->mobile_operator;
    f[F_HOME_PHONE].value = a->home_phone;
    f[F_NOTIFY].value = a->notify_by;
}

/* The notices above the form: eligibility in words, the renewal phase. */
static void form_notices(struct web_page *p, const struct app_view *v)
{
    for (size_t i = 0; i < v->nnotices; i++) {
        web_page_notice_begin(p, WEB_NOTICE_WARNING);
        web_page_raw(p, "<p>");
        if (!strcmp(v->notices[i], "ineligible_warning")) {
            struct ubuf why = UBUF_INIT(4096);
            for (unsigned bit = 1; bit && bit <= CORE_INELIG_NOT_ENTITLED; bit <<= 1)
                if (v->inelig & bit)
                    (void)(ubuf_puts(&why, core_reason_message(core_inelig_code(bit), p->lang)) |
                           ubuf_putc(&why, ' '));
            const char *args[] = {ubuf_str(&why)};
            web_page_msg_args(p, WEB_MSG_INELIGIBLE_WARNING, args, 1);
            ubuf_free(&why);
        } else {
            web_page_text(p, core_reason_message(v->notices[i], p->lang));
        }
        web_page_raw(p, "</p>\n");
        web_page_notice_end(p);
    }
}

static enum web_err form_page(struct pctx *c, const struct app_view *v, struct web_field *f,
                              const struct web_error_item *extra, size_t nextra)
{
    const struct app_portal_cfg *cfg = web_portal_cfg();
    struct web_option provinces[81], readers[APP_READERS_MAX + 1];
    char plates[81][3];
    struct web_error_item items[F_COUNT + 8];
    struct web_page p;

    for (int i = 0; i < 81; i++) {
        snprintf(plates[i], sizeof plates[i], "%d", i + 1);
        provinces[i] =
            (struct web_option){plates[i], WEB_MSG_NONE, core_province_name(i + 1), WEB_MSG_NONE};
    }
    f[F_PROVINCE].options = provinces;
    f[F_PROVINCE].noptions = 81;
    readers[0] = (struct web_option){"none", WEB_MSG_CARD_READER_NONE, NULL, WEB_MSG_NONE};
    for (size_t i = 0; i < cfg->ncard_readers && i < APP_READERS_MAX; i++)
        readers[i + 1] = (struct web_option){cfg->card_readers[i], WEB_MSG_NONE,
                                             cfg->card_readers[i], WEB_MSG_NONE};
    f[F_CARD_READER].options = readers;
    f[F_CARD_READER].noptions =
        1 + (cfg->ncard_readers < APP_READERS_MAX ? cfg->ncard_readers : APP_READERS_MAX);
    f[F_WORD].value = f[F_WORD2].value = NULL; /* never written back */

    size_t n = summary_items(f, F_COUNT, extra, nextra, items, sizeof items / sizeof items[0]);
    const struct web_layout layout = {
        .title = WEB_MSG_FORM_TITLE, .step = WEB_STEP_FORM, .errors = n > 0};
    web_page_init(&p, c->lang);
    web_page_begin(&p, &layout);
    web_page_error_summary(&p, items, n);
    heading(&p, WEB_MSG_FORM_TITLE);
    app_number(&p, v->app.number);
    para(&p, WEB_MSG_PP_FORM_LEAD);
    form_notices(&p, v);
    web_page_notice_begin(&p, WEB_NOTICE_INFO);
    para(&p, WEB_MSG_DECLARATION);
    web_page_notice_end(&p);

    web_page_form_begin(&p, "/basvuru", c->ss.csrf);
    web_page_section_begin(&p, WEB_MSG_SECTION_APPLICATION);
    for (int i = F_REASON; i <= F_VALIDITY; i++)
        web_page_field(&p, &f[i]);
    web_page_section_end(&p);
    web_page_section_begin(&p, WEB_MSG_SECTION_PERSONAL);
    for (int i = F_TCKN; i <= F_WORD2; i++)
        web_page_field(&p, &f[i]);
    web_page_section_end(&p);
    web_page_section_begin(&p, WEB_MSG_SECTION_INSTITUTION);
    for (int i = F_INSTITUTION; i <= F_POSTAL; i++)
        web_page_field(&p, &f[i]);
    web_page_section_end(&p);
    web_page_section_begin(&p, WEB_MSG_SECTION_CONTACT);
    web_page_field(&p, &f[F_EMAIL]);
    web_page_fieldset_begin(&p, WEB_MSG_WORK_PHONE);
    web_page_field(&p, &f[F_WORK_PHONE]);
    web_page_field(&p, &f[F_WORK_EXT]);
    web_page_fieldset_end(&p);
    for (int i = F_MOBILE; i <= F_NOTIFY; i++)
        web_page_field(&p, &f[i]);
    web_page_section_end(&p);
    web_page_raw(&p, "<div class=\"buttons\">\n");
    web_page_button(&p, WEB_MSG_CONFIRM_FORM, WEB_BUTTON_PRIMARY, NULL, NULL);
    web_page_raw(&p, "</div>\n");
    web_page_form_end(&p);
    web_page_end(&p);
    enum web_err rc = web_page_reply(c->rq, &p, 200);
    web_page_free(&p);
    return rc;
}

static enum web_err h_form(struct web_req *rq)
{
    struct pctx c;
    struct app_view v, saved;
    struct web_field f[F_COUNT];
    struct form_values fv;
    struct web_error_item extra[8];
    bool post = !strcmp(web_req_method(rq), "POST");
    enum web_err rc;

    pctx_init(&c, rq);
    if (!enter(&c, post, &v, &rc))
        goto out;
    if (!in_state(&v.app, CORE_APP_DRAFT) && !in_state(&v.app, CORE_APP_CODE_VERIFIED)) {
        rc = see_other(rq, step_path(&v.app));
        goto out;
    }
    memcpy(f, form_fields, sizeof f);
    form_fill(f, &v, &fv);
    if (!post) {
        rc = form_page(&c, &v, f, NULL, 0);
        goto out;
    }

    struct app_form af;
    memset(&af, 0, sizeof af);
    for (int i = 0; i < F_COUNT; i++)
        af.v[form_app_field[i]] = form_get(&c, f[i].name);
    if (app_application_update(c.s, web_portal_cfg(), &c.ss, &af, c.now, &saved, &c.err) ==
        APP_OK) {
        rc = see_other(rq, "/sms");
        goto out;
    }
    if (c.err.status != APP_EINVAL) {
        rc = app_failure(&c);
        goto out;
    }
    /* shown again as sent, with the messages */
    for (int i = 0; i < F_COUNT; i++)
        if (f[i].kind != WEB_FIELD_READONLY && af.v[form_app_field[i]])
            f[i].value = af.v[form_app_field[i]];
    size_t nextra = map_field_errors(&c.err, c.lang, f, F_COUNT, extra, 8);
    if (!c.err.nfields)
        extra[nextra++] = message_item(core_reason_message(c.err.code, c.lang));
    rc = form_page(&c, &v, f, extra, nextra);
out:
    web_formdata_free(&c.form);
    return rc;
}

/* ---- steps 3 and 4: /sms ------------------------------------------------------------------- */

/* What the SMS page shows, from the use case (app_otp_status). */
static enum web_err sms_state(struct pctx *c, struct app_otp_state *out)
{
    struct app_err err;
    if (app_otp_status(c->s, web_portal_cfg(), &c->ss, c->now, out, &err) != APP_OK) {
        if (err.store_failed)
            web_req_store_failed(c->rq);
        return err.status == APP_EUNAVAILABLE ? WEB_E_DB_UNAVAILABLE : WEB_E_INTERNAL;
    }
    return WEB_OK;
}

/* The SMS page: the code entry while a code is live, else the page that sends one. msg: a
 * message for the summary (no field); code_error: the code field's. */
static enum web_err sms_page(struct pctx *c, const struct app_view *v, const char *msg,
                             const char *code_error, int64_t retry, unsigned status)
{
    struct app_otp_state ss;
    struct web_page p;
    struct web_error_item items[2];
    size_t n = 0;
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
                             .maxlength = 6,
                             .error = code_error};
    if (code_error)
        items[n++] = (struct web_error_item){"code", WEB_MSG_OTP_CODE, code_error};
    if (msg)
        items[n++] = message_item(msg);
    const struct web_layout layout = {.title = ss.live ? WEB_MSG_PP_SMS_CODE_TITLE : WEB_MSG_STEP_3,
                                      .step = ss.live ? WEB_STEP_OTP : WEB_STEP_OTP_SEND,
                                      .errors = n > 0};
    web_page_init(&p, c->lang);
    web_page_begin(&p, &layout);
    web_page_error_summary(&p, items, n);
    if (ss.live) {
        heading(&p, WEB_MSG_PP_SMS_CODE_TITLE);
        const char *args[] = {ss.masked_phone};
        web_page_raw(&p, "<p>");
        web_page_msg_args(&p, WEB_MSG_OTP_SENT, args, 1);
        web_page_raw(&p, "</p>\n");
        web_page_countdown(&p, (unsigned)ss.expires_in);
        web_page_form_begin(&p, "/sms/dogrula", c->ss.csrf);
        web_page_field(&p, &code);
        web_page_raw(&p, "<div class=\"buttons\">\n");
        web_page_button(&p, WEB_MSG_OK, WEB_BUTTON_PRIMARY, "action", "ok");
        web_page_button(&p, WEB_MSG_CANCEL, WEB_BUTTON_SECONDARY, "action", "cancel");
        web_page_raw(&p, "</div>\n");
        web_page_form_end(&p);
        if (ss.resend_in > 0) {
            char secs[24];
            snprintf(secs, sizeof secs, "%lld", (long long)ss.resend_in);
            const char *a2[] = {secs};
            web_page_raw(&p, "<p class=\"page-actions\">");
            web_page_msg_args(&p, WEB_MSG_PP_RESEND_WAIT, a2, 1);
            web_page_raw(&p, "</p>\n");
        } else {
            web_page_form_begin(&p, "/sms/gonder", c->ss.csrf);
            web_page_raw(&p, "<div class=\"buttons page-actions\">\n");
            web_page_button(&p, WEB_MSG_OTP_NEW_CODE, WEB_BUTTON_SECONDARY, NULL, NULL);
            web_page_raw(&p, "</div>\n");
            web_page_form_end(&p);
        }
        retry_notice(&p, c->now, retry);
        para(&p, WEB_MSG_OTP_WRONG_NUMBER);
    } else {
        heading(&p, WEB_MSG_STEP_3);
        retry_notice(&p, c->now, retry);
        para(&p, WEB_MSG_PP_SMS_LEAD);
        if (ss.has_phone) {
            web_page_raw(&p, "<p class=\"phone\">");
            web_page_msg(&p, WEB_MSG_PHONE_NUMBER);
            web_page_raw(&p, ": <strong>");
            web_page_text(&p, ss.masked_phone);
            web_page_raw(&p, "</strong></p>\n");
            para(&p, WEB_MSG_OTP_WRONG_NUMBER);
            web_page_form_begin(&p, "/sms/gonder", c->ss.csrf);
            web_page_raw(&p, "<div class=\"buttons\">\n");
            web_page_button(&p, WEB_MSG_SEND, WEB_BUTTON_PRIMARY, NULL, NULL);
            web_page_raw(&p, "</div>\n");
            web_page_form_end(&p);
        } else {
            web_page_notice_begin(&p, WEB_NOTICE_WARNING);
            web_page_raw(&p, "<p>");
            web_page_text(&p, core_reason_message("no_mobile_on_file", c->lang));
            web_page_raw(&p, "</p>\n");
            web_page_notice_end(&p);
        }
    }
    web_page_raw(&p, "<p class=\"page-actions\"><a href=\"/basvuru\">");
    web_page_msg(&p, WEB_MSG_PP_EDIT_FORM);
    web_page_raw(&p, "</a></p>\n");
    web_page_end(&p);
    rc = web_page_reply(c->rq, &p, status);
    web_page_free(&p);
    return rc;
}

/* The SMS pages need a saved form still in draft. */
static bool sms_allowed(const struct app_view *v)
{
    return in_state(&v->app, CORE_APP_DRAFT) && v->app.confirmed;
}

static enum web_err h_sms(struct web_req *rq)
{
    struct pctx c;
    struct app_view v;
    enum web_err rc;
    pctx_init(&c, rq);
    if (!enter(&c, false, &v, &rc))
        return rc;
    if (!sms_allowed(&v))
        return see_other(rq, step_path(&v.app));
    return sms_page(&c, &v, NULL, NULL, 0, 200);
}

/* GET of a URL only ever posted to (a bookmark, a reload): the SMS page. */
enum web_err web_h_page_sms_get(struct web_req *rq)
{
    return see_other(rq, "/sms");
}

/* A refusal of the SMS use cases shown on the SMS page (the 429s with when to retry). */
static enum web_err sms_refused(struct pctx *c, const struct app_view *v)
{
    const char *code = c->err.code ? c->err.code : "";
    const char *msg = core_reason_message(code, c->lang);
    if (c->err.status == APP_ETOOMANY)
        return sms_page(c, v, msg, NULL, c->err.retry_after, 429);
    if (!strcmp(code, "no_mobile_on_file") || !strcmp(code, "otp_expired"))
        return sms_page(c, v, msg, NULL, 0, 200);
    return app_failure(c);
}

static enum web_err h_sms_send(struct web_req *rq)
{
    struct pctx c;
    struct app_view v;
    struct app_otp_sent sent;
    enum web_err rc;
    pctx_init(&c, rq);
    if (!enter(&c, true, &v, &rc))
        goto out;
    if (!sms_allowed(&v)) {
        rc = see_other(rq, step_path(&v.app));
        goto out;
    }
    if (app_otp_send(c.s, web_portal_cfg(), &c.ss, c.now, &sent, &c.err) == APP_OK)
        rc = see_other(rq, "/sms");
    else
        rc = sms_refused(&c, &v);
out:
    web_formdata_free(&c.form);
    return rc;
}

static enum web_err h_sms_verify(struct web_req *rq)
{
    struct pctx c;
    struct app_view v;
    char code[16], msg[512], left[16];
    enum web_err rc;
    pctx_init(&c, rq);
    if (!enter(&c, true, &v, &rc))
        goto out;
    const char *action = form_get(&c, "action");
    if (action && !strcmp(action, "cancel")) {
        rc = see_other(rq, "/basvuru");
        goto out;
    }
    if (!sms_allowed(&v)) {
        rc = see_other(rq, step_path(&v.app));
        goto out;
    }
    /* spaces people type between the digits ("123 456") are not part of the code */
    const char *in = form_get(&c, "code");
    size_t k = 0;
    for (; in && *in && k + 1 < sizeof code; in++)
        if (*in != ' ')
            code[k++] = *in;
    code[k] = '\0';
    if (app_otp_verify(c.s, web_portal_cfg(), &c.ss, code, c.now, &c.err) == APP_OK) {
        rc = see_other(rq, "/yontem");
        goto out;
    }
    if (c.err.code && !strcmp(c.err.code, "otp_wrong")) {
        snprintf(left, sizeof left, "%d", c.err.remaining > 0 ? c.err.remaining : 0);
        char tries[128];
        fill1(WEB_MSG_PP_TRIES_LEFT, c.lang, left, tries, sizeof tries);
        snprintf(msg, sizeof msg, "%s %s", core_reason_message("otp_wrong", c.lang), tries);
        if (c.err.remaining > 0)
            rc = sms_page(&c, &v, NULL, msg, 0, 200);
        else /* the code is void now: what to do next is in the summary */
            rc = sms_page(&c, &v, core_reason_message("otp_locked", c.lang), NULL,
                          c.err.retry_after, 200);
    } else {
        rc = sms_refused(&c, &v);
    }
out:
    web_formdata_free(&c.form);
    return rc;
}

/* ---- step 5: /yontem ----------------------------------------------------------------------- */

static enum web_err method_page(struct pctx *c, const struct app_view *v, const char *chosen,
                                const char *field_error, const char *msg)
{
    struct web_option opts[2];
    struct web_error_item items[2];
    struct web_page p;
    size_t nopt = 0, n = 0;
    bool esign = (v->methods & CORE_METHOD_ESIGN) != 0;
    struct ubuf content = UBUF_INIT(64 * 1024);
    struct app_err err;

    if (app_content(c->s, &c->ss, &content, &err) != APP_OK) {
        ubuf_free(&content);
        c->err = err;
        return app_failure(c);
    }
    if (esign)
        opts[nopt++] = (struct web_option){"esign", WEB_MSG_METHOD_1, NULL, WEB_MSG_METHOD_1_HINT};
    opts[nopt++] = (struct web_option){"wet", WEB_MSG_METHOD_2, NULL, WEB_MSG_METHOD_2_HINT};
    struct web_field f = {
        WEB_FIELD_RADIO,      "method",
        WEB_MSG_METHOD_TITLE, .value = chosen ? chosen : (esign ? v->app.method : "wet"),
        .error = field_error, .options = opts,
        .noptions = nopt};
    if (field_error)
        items[n++] = (struct web_error_item){"method", WEB_MSG_METHOD_TITLE, field_error};
    if (msg)
        items[n++] = message_item(msg);

    const struct web_layout layout = {
        .title = WEB_MSG_STEP_5, .step = WEB_STEP_SIGN, .errors = n > 0};
    web_page_init(&p, c->lang);
    web_page_begin(&p, &layout);
    web_page_error_summary(&p, items, n);
    heading(&p, WEB_MSG_STEP_5);
    app_number(&p, v->app.number);
    web_page_raw(&p, "<h2>");
    web_page_msg(&p, WEB_MSG_SIGNED_CONTENT);
    web_page_raw(&p, "</h2>\n");
    para(&p, WEB_MSG_PP_CONTENT_LEAD);
    web_page_raw(&p, "<pre class=\"signed-content\" lang=\"tr\" tabindex=\"0\">");
    web_page_textn(&p, ubuf_str(&content), content.len);
    web_page_raw(&p, "</pre>\n");
    if (!esign) {
        web_page_notice_begin(&p, WEB_NOTICE_WARNING);
        web_page_raw(&p, "<p>");
        web_page_text(&p, core_reason_message("signing_method_not_allowed", c->lang));
        web_page_raw(&p, " ");
        web_page_msg(&p, WEB_MSG_PP_METHOD_ONLY_WET);
        web_page_raw(&p, "</p>\n");
        web_page_notice_end(&p);
    }
    web_page_form_begin(&p, "/yontem", c->ss.csrf);
    web_page_field(&p, &f);
    web_page_raw(&p, "<div class=\"buttons\">\n");
    web_page_button(&p, WEB_MSG_CONTINUE, WEB_BUTTON_PRIMARY, NULL, NULL);
    web_page_raw(&p, "</div>\n");
    web_page_form_end(&p);
    web_page_raw(&p, "<p class=\"page-actions\"><a href=\"/basvuru\">");
    web_page_msg(&p, WEB_MSG_PP_EDIT_FORM);
    web_page_raw(&p, "</a></p>\n");
    web_page_end(&p);
    enum web_err rc = web_page_reply(c->rq, &p, 200);
    web_page_free(&p);
    ubuf_free(&content);
    return rc;
}

static enum web_err h_method(struct web_req *rq)
{
    struct pctx c;
    struct app_view v;
    bool post = !strcmp(web_req_method(rq), "POST");
    enum web_err rc;
    pctx_init(&c, rq);
    if (!enter(&c, post, &v, &rc))
        goto out;
    if (!in_state(&v.app, CORE_APP_CODE_VERIFIED)) {
        rc = see_other(rq, step_path(&v.app));
        goto out;
    }
    if (!post) {
        rc = method_page(&c, &v, NULL, NULL, NULL);
        goto out;
    }
    const char *method = form_get(&c, "method");
    struct store_application saved;
    if (app_method_choose(c.s, web_portal_cfg(), &c.ss, method, c.now, &saved, &c.err) == APP_OK) {
        rc = see_other(rq, step_path(&saved));
    } else if (c.err.status == APP_EINVAL) {
        const char *code = c.err.nfields ? c.err.fields[0].code : c.err.code;
        rc = method_page(&c, &v, NULL, core_reason_message(code, c.lang), NULL);
    } else if (c.err.code && !strcmp(c.err.code, "signing_method_not_allowed")) {
        rc = method_page(&c, &v, "wet", NULL, core_reason_message(c.err.code, c.lang));
    } else {
        rc = app_failure(&c);
    }
out:
    web_formdata_free(&c.form);
    return rc;
}

/* ---- the signing step: /imza -------------------------------------------------------------------
 * The page the signing script (static/js/sign.js) enhances: it asks the local agent for the
 * cards, has it sign exactly the content shown, and sends the signature. Without an agent it
 * shows how to start one, or how to upload a .p7s made with `eimza sign`. The PIN is never
 * typed into the page: the agent asks for it. */

/* The portal's origin as the browser sees it (for the agent's --origin). */
static void portal_origin(struct web_req *rq, char *out, size_t n)
{
    const char *host = web_req_header(rq, "Host");
    snprintf(out, n, "%s://%s", web_req_tls(rq) ? "https" : "http",
             host && *host && strlen(host) < 200 ? host : "PORTAL");
}

static enum web_err h_sign(struct web_req *rq)
{
    struct pctx c;
    struct app_view v;
    struct web_page p;
    struct ubuf content = UBUF_INIT(64 * 1024);
    char origin[256], cmd[512];
    enum web_err rc;
    pctx_init(&c, rq);
    web_page_init(&p, c.lang);
    if (!enter(&c, false, &v, &rc))
        goto out;
    if (!in_state(&v.app, CORE_APP_CODE_VERIFIED) || strcmp(v.app.method, "esign") != 0) {
        rc = see_other(rq, step_path(&v.app));
        goto out;
    }
    if (app_content(c.s, &c.ss, &content, &c.err) != APP_OK) {
        rc = app_failure(&c);
        goto out;
    }
    portal_origin(rq, origin, sizeof origin);
    snprintf(cmd, sizeof cmd, "eimza agent --module /usr/lib/libakisp11.so --origin %s", origin);

    const struct web_layout layout = {.title = WEB_MSG_SG_TITLE, .step = WEB_STEP_SIGN};
    web_page_begin(&p, &layout);
    heading(&p, WEB_MSG_SG_TITLE);
    app_number(&p, v.app.number);
    para(&p, WEB_MSG_SG_LEAD);
    web_page_raw(&p, "<h2>");
    web_page_msg(&p, WEB_MSG_SIGNED_CONTENT);
    web_page_raw(&p, "</h2>\n<pre class=\"signed-content\" lang=\"tr\" tabindex=\"0\">");
    web_page_textn(&p, ubuf_str(&content), content.len);
    web_page_raw(&p, "</pre>\n<noscript>");
    web_page_notice_begin(&p, WEB_NOTICE_WARNING);
    para(&p, WEB_MSG_SG_NOSCRIPT);
    web_page_notice_end(&p);
    web_page_raw(&p, "</noscript>\n");

    /* the form the script drives (its contract: static/js/sign.js) */
    web_page_raw(&p, "<form id=\"sign-form\" class=\"sign-form\" hidden");
    web_page_attr(&p, "data-agent", web_req_agent_url(rq));
    web_page_raw(&p, " data-content-url=\"/api/v1/application/content\""
                     " data-submit-url=\"/api/v1/application/signature\""
                     " data-done-url=\"/durum\"");
    web_page_attr(&p, "data-csrf", c.ss.csrf);
    web_page_raw(&p, ">\n<label for=\"sign-token\">");
    web_page_msg(&p, WEB_MSG_SG_CARD);
    web_page_raw(&p, "</label>\n<select id=\"sign-token\" name=\"token\" disabled><option "
                     "value=\"\">");
    web_page_msg(&p, WEB_MSG_SG_CARD_WAIT);
    web_page_raw(&p, "</option></select>\n<div class=\"buttons\"><button type=\"button\" "
                     "id=\"sign-button\" disabled>");
    web_page_msg(&p, WEB_MSG_SIGN);
    web_page_raw(&p, "</button></div>\n</form>\n"
                     "<p id=\"sign-status\" class=\"sign-status\" role=\"status\" "
                     "aria-live=\"polite\"></p>\n");

    /* shown by the script when no agent answers (and hidden while one does) */
    web_page_raw(&p, "<section id=\"sign-fallback\" class=\"sign-fallback\" hidden "
                     "aria-labelledby=\"sign-fallback-title\">\n<h2 id=\"sign-fallback-title\">");
    web_page_msg(&p, WEB_MSG_SG_NO_AGENT_TITLE);
    web_page_raw(&p, "</h2>\n");
    para(&p, WEB_MSG_SG_NO_AGENT);
    web_page_raw(&p, "<pre class=\"command\"><code>");
    web_page_text(&p, cmd);
    web_page_raw(&p, "</code></pre>\n<h3>");
    web_page_msg(&p, WEB_MSG_SG_UPLOAD_TITLE);
    web_page_raw(&p, "</h3>\n");
    para(&p, WEB_MSG_SG_UPLOAD_HOWTO);
    web_page_raw(&p, "<p><a href=\"/api/v1/application/content\" download=\"icerik.txt\">");
    web_page_msg(&p, WEB_MSG_SG_DOWNLOAD);
    web_page_raw(&p, "</a></p>\n<label for=\"sign-file\">");
    web_page_msg(&p, WEB_MSG_SG_FILE);
    web_page_raw(&p, "</label>\n<input type=\"file\" id=\"sign-file\" "
                     "accept=\".p7s,application/pkcs7-signature\">\n<div class=\"buttons\">"
                     "<button type=\"button\" id=\"sign-upload\">");
    web_page_msg(&p, WEB_MSG_SG_UPLOAD);
    web_page_raw(&p, "</button></div>\n</section>\n");
    web_page_raw(&p, "<p class=\"page-actions\"><a href=\"/yontem\">");
    web_page_msg(&p, WEB_MSG_PP_CHANGE_METHOD);
    web_page_raw(&p, "</a></p>\n<script src=\"/static/js/sign.js\" defer></script>\n");
    web_page_end(&p);
    rc = web_page_reply(rq, &p, 200);
out:
    ubuf_free(&content);
    web_page_free(&p);
    return rc;
}

/* ---- the result: /durum -------------------------------------------------------------------- */

static enum web_msg state_label(const char *state)
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
    enum core_app_state st;
    return core_app_state_parse(state, &st) == 0 ? labels[st] : WEB_MSG_NONE;
}

/* The step indicator of the status page: where the application stands among the five. */
static enum web_step status_step(const struct store_application *a)
{
    if (in_state(a, CORE_APP_DRAFT))
        return a->confirmed ? WEB_STEP_OTP_SEND : WEB_STEP_FORM;
    if (in_state(a, CORE_APP_CODE_VERIFIED))
        return WEB_STEP_SIGN;
    return WEB_STEP_DONE;
}

static void link_on(struct web_page *p, const char *path, enum web_msg label)
{
    /* path is one of step_path()'s literals */
    web_page_raw(p, "<p><a class=\"button-link\"");
    web_page_attr(p, "href", path);
    web_page_raw(p, ">");
    web_page_msg(p, label);
    web_page_raw(p, "</a></p>\n");
}

static enum web_err h_status(struct web_req *rq)
{
    struct pctx c;
    struct app_view v;
    struct app_status_view *sv = NULL;
    struct web_page p;
    enum web_err rc;
    pctx_init(&c, rq);
    web_page_init(&p, c.lang);
    if (!enter(&c, false, &v, &rc))
        goto out;
    sv = malloc(sizeof *sv);
    if (!sv) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    if (app_status_get(c.s, web_portal_cfg(), &c.ss, c.now, c.lang, sv, &c.err) != APP_OK) {
        rc = app_failure(&c);
        goto out;
    }
    const struct store_application *a = &sv->app;
    const struct web_layout layout = {.title = WEB_MSG_RESULT, .step = status_step(a)};
    web_page_begin(&p, &layout);
    heading(&p, WEB_MSG_RESULT);
    if (in_state(a, CORE_APP_SUBMITTED)) {
        web_page_notice_begin(&p, WEB_NOTICE_SUCCESS);
        para(&p, WEB_MSG_SIGN_DONE);
        web_page_notice_end(&p);
    }
    web_page_raw(&p, "<p class=\"state\">");
    web_page_msg(&p, WEB_MSG_PP_STATE);
    web_page_raw(&p, ": <strong>");
    web_page_msg(&p, state_label(a->state));
    web_page_raw(&p, "</strong></p>\n");
    app_number(&p, a->number);

    web_page_raw(&p, "<h2>");
    web_page_msg(&p, WEB_MSG_STATUS_NEXT);
    web_page_raw(&p, "</h2>\n");
    text_para(&p, sv->next);
    if (sv->rejection_reason[0]) {
        web_page_notice_begin(&p, WEB_NOTICE_WARNING);
        web_page_raw(&p, "<p><strong>");
        web_page_msg(&p, WEB_MSG_PP_REJECTION_REASON);
        web_page_raw(&p, ":</strong> <span lang=\"tr\">");
        web_page_text(&p, sv->rejection_reason);
        web_page_raw(&p, "</span></p>\n");
        web_page_notice_end(&p);
    }
    if (in_state(a, CORE_APP_CODE_VERIFIED) && !strcmp(a->method, "esign")) {
        para(&p, WEB_MSG_PP_ESIGN_NEXT);
        link_on(&p, "/imza", WEB_MSG_SIGN);
        web_page_raw(&p, "<p><a href=\"/yontem\">");
        web_page_msg(&p, WEB_MSG_PP_CHANGE_METHOD);
        web_page_raw(&p, "</a></p>\n");
    } else if (in_state(a, CORE_APP_AWAITING_ORIGINAL)) {
        para(&p, WEB_MSG_WET_PRINT_LEAD);
        web_page_form_begin(&p, "/api/v1/application/wet-signature", c.ss.csrf);
        web_page_raw(&p, "<div class=\"buttons\">\n");
        web_page_button(&p, WEB_MSG_WET_PRINT, WEB_BUTTON_PRIMARY, NULL, NULL);
        web_page_raw(&p, "</div>\n");
        web_page_form_end(&p);
    } else if (in_state(a, CORE_APP_DRAFT) || in_state(a, CORE_APP_CODE_VERIFIED)) {
        link_on(&p, step_path(a), WEB_MSG_CONTINUE);
    }

    web_page_raw(&p, "<h2>");
    web_page_msg(&p, WEB_MSG_PP_TIMELINE);
    web_page_raw(&p, "</h2>\n");
    para(&p, WEB_MSG_PP_TIMELINE_ZONE);
    web_page_raw(&p, "<ol class=\"timeline\">\n");
    for (size_t i = 0; i < sv->nevents; i++) {
        char when[32], iso[32];
        tr_time(sv->events[i].at, TR_DATETIME, when);
        tr_time(sv->events[i].at, TR_ISO, iso);
        web_page_raw(&p, "<li><time");
        web_page_attr(&p, "datetime", iso);
        web_page_raw(&p, ">");
        web_page_text(&p, when);
        web_page_raw(&p, "</time> ");
        if (c.lang != CORE_LANG_TR)
            web_page_raw(&p, "<span lang=\"tr\">");
        web_page_text(&p, sv->events[i].label);
        if (c.lang != CORE_LANG_TR)
            web_page_raw(&p, "</span>");
        web_page_raw(&p, "</li>\n");
    }
    web_page_raw(&p, "</ol>\n<h2>");
    web_page_msg(&p, WEB_MSG_PP_CONTACT);
    web_page_raw(&p, "</h2>\n");
    text_para(&p, sv->contact);
    para(&p, WEB_MSG_FOOTER_CARD_LATE);
    web_page_form_begin(&p, "/cikis", c.ss.csrf);
    web_page_raw(&p, "<div class=\"buttons\">\n");
    web_page_button(&p, WEB_MSG_PP_LOGOUT, WEB_BUTTON_SECONDARY, NULL, NULL);
    web_page_raw(&p, "</div>\n");
    web_page_form_end(&p);
    web_page_end(&p);
    rc = web_page_reply(rq, &p, 200);
out:
    free(sv);
    web_page_free(&p);
    return rc;
}

/* ---- /cikis -------------------------------------------------------------------------------- */

static enum web_err h_logout(struct web_req *rq)
{
    struct pctx c;
    const char *token = NULL;
    enum web_err rc;
    pctx_init(&c, rq);
    c.s = web_req_store(rq);
    if (!c.s)
        return WEB_E_DB_UNAVAILABLE;
    if ((rc = read_form(&c)) != WEB_OK)
        goto out;
    enum app_status st = web_portal_auth(rq, form_get(&c, "csrf_token"), &c.ss, &token, &c.err);
    if (st == APP_EAUTH) {
        rc = see_other(rq, "/");
        goto out;
    }
    if (st != APP_OK || app_logout(c.s, token, &c.err) != APP_OK) {
        rc = app_failure(&c);
        goto out;
    }
    rc = web_portal_set_cookie(rq, NULL, 0) < 0 ? WEB_E_NOMEM : see_other(rq, "/");
out:
    web_formdata_free(&c.form);
    return rc;
}

/* ---- the routes' handlers: every answer a page ---------------------------------------- */

enum web_err web_h_page_login(struct web_req *rq)
{
    return as_html(rq, h_login(rq));
}

enum web_err web_h_page_form(struct web_req *rq)
{
    return as_html(rq, h_form(rq));
}

enum web_err web_h_page_sms(struct web_req *rq)
{
    return as_html(rq, h_sms(rq));
}

enum web_err web_h_page_sms_send(struct web_req *rq)
{
    return as_html(rq, h_sms_send(rq));
}

enum web_err web_h_page_sms_verify(struct web_req *rq)
{
    return as_html(rq, h_sms_verify(rq));
}

enum web_err web_h_page_method(struct web_req *rq)
{
    return as_html(rq, h_method(rq));
}

enum web_err web_h_page_sign(struct web_req *rq)
{
    return as_html(rq, h_sign(rq));
}

enum web_err web_h_page_status(struct web_req *rq)
{
    return as_html(rq, h_status(rq));
}

enum web_err web_h_page_logout(struct web_req *rq)
{
    return as_html(rq, h_logout(rq));
}
