/* eimza — the applicant's login and logout pages (web/pages/): /giris, step 1 (T.C. Kimlik No,
 * name, birth place and date, and the captcha, with its picture and its spoken version), and
 * /cikis. The login form carries a CSRF token bound to a cookie of its own (double submit): there
 * is no session yet to hold one. The T.C. Kimlik No is only ever posted, never put in a URL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/text.h"
#include "web/html/captcha.h"
#include "web/http/csrf.h"
#include "web/pages/pages.h"

#define LOGIN_CSRF "eimza_login_csrf"

/* ---- step 1: /giris ------------------------------------------------------------------------ */

enum login_field { L_TCKN, L_FIRST, L_LAST, L_PLACE, L_DATE, L_CAPTCHA, L_COUNT };

static const struct web_field login_fields[L_COUNT] = {
    /* room for the spaces people type between groups of digits ("100 000 001 46") */
    [L_TCKN] = {WEB_FIELD_NUMERIC, "tckn", WEB_MSG_TCKN, WEB_MSG_TCKN_HINT, .autocomplete = "off",
                .maxlength = 16},
    [L_FIRST] = {WEB_FIELD_TEXT, "first_name", WEB_MSG_FIRST_NAME, .autocomplete = "given-name"},
    [L_LAST] = {WEB_FIELD_TEXT, "last_name", WEB_MSG_LAST_NAME, .autocomplete = "family-name"},
    [L_PLACE] = {WEB_FIELD_TEXT, "birth_place", WEB_MSG_BIRTH_PLACE, .autocomplete = "off"},
    [L_DATE] = {WEB_FIELD_DATE_PARTS, "birth_date", WEB_MSG_BIRTH_DATE, WEB_MSG_BIRTH_DATE_HINT},
    [L_CAPTCHA] = {WEB_FIELD_TEXT, "captcha_answer", WEB_MSG_CAPTCHA, WEB_MSG_CAPTCHA_HINT,
                   .autocomplete = "off", .maxlength = 16},
};

/* A part of the date as typed: digits only (surrounding spaces dropped), at most max of them.
 * -1 when empty, -2 when not such a number. */
static int date_part(const char *v, size_t max)
{
    char d[8];
    size_t n = 0;
    for (; v && *v; v++) {
        if (*v == ' ')
            continue;
        if (*v < '0' || *v > '9' || n == max)
            return -2;
        d[n++] = *v;
    }
    if (n == 0)
        return -1;
    d[n] = '\0';
    return (int)strtol(d, NULL, 10); /* at most four digits: no overflow */
}

/* The birth date from its three fields (GOV.UK's memorable date) as YYYY-MM-DD into out; or,
 * when it cannot be one, the field's error: *code (the catalogue's "field.birth_date.CODE")
 * and the parts it is about (*bad: 1 day, 2 month, 4 year). The check of the date against the
 * record stays the use case's. */
static bool date_from_parts(const char *const parts[3], char out[11], const char **code,
                            unsigned *bad)
{
    int d = date_part(parts[0], 2), m = date_part(parts[1], 2), y = date_part(parts[2], 4);
    size_t ylen = 0;
    for (const char *p = parts[2]; p && *p; p++)
        ylen += *p != ' ';
    *code = NULL;
    *bad = 0;
    if (d == -1 && m == -1 && y == -1)
        *code = "required", *bad = 7;
    else if (d == -1)
        *code = "date_day_required", *bad = 1;
    else if (m == -1)
        *code = "date_month_required", *bad = 2;
    else if (y == -1)
        *code = "date_year_required", *bad = 4;
    else if (d < 1 || d > 31)
        *code = "date_day_range", *bad = 1;
    else if (m < 1 || m > 12)
        *code = "date_month_range", *bad = 2;
    else if (y < 1900 || ylen != 4)
        *code = "date_year_format", *bad = 4;
    else if (!app_date_valid(y, m, d))
        *code = "date_format", *bad = 7;
    if (*code)
        return false;
    /* the parts are in range by now; the remainders only show the compiler their width */
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
    return true;
}

/* The error summary's link of the date: its first part in error. */
static const char *date_part_id(unsigned bad)
{
    return (bad & 1) || !bad ? "birth_date_day"
           : (bad & 2)       ? "birth_date_month"
                             : "birth_date_year";
}

/* The login page with a new captcha; extra: messages without a field; retry: a lock-out. */
static enum web_err login_page(struct web_pg *c, struct web_field *f,
                               const struct web_error_item *extra, size_t nextra, int64_t retry,
                               unsigned status)
{
    struct app_captcha cap;
    struct app_err err;
    struct web_page p;
    struct web_error_item items[L_COUNT + 4];
    char csrf[WEB_LOGIN_CSRF_HEX + 1], url[96], addr[64];

    if (web_login_csrf(c->rq, LOGIN_CSRF, "/giris", csrf) < 0)
        return WEB_E_INTERNAL;
    struct app_ctx cc = c->app; /* the captcha is limited per address */
    cc.client_addr = web_req_client_addr(c->rq, addr, sizeof addr);
    if (app_captcha_new(&cc, &cap, &err) != APP_OK) {
        c->err = err;
        return web_pg_app_failure(c);
    }
    size_t n =
        web_pg_summary_items(f, L_COUNT, extra, nextra, items, sizeof items / sizeof items[0]);
    for (size_t i = 0; i < n; i++) /* the date's link: to the part to fix, not the group */
        if (items[i].field && !strcmp(items[i].field, "birth_date"))
            items[i].field = date_part_id(f[L_DATE].part_error);
    const struct web_layout layout = {
        .title = WEB_MSG_LOGIN_TITLE, .step = WEB_STEP_LOGIN, .errors = n > 0};
    web_pg_form_page(c, &p, &layout, items, n);
    web_pg_heading(&p, WEB_MSG_LOGIN_TITLE);
    web_pg_retry_notice(&p, c->app.now, retry);
    web_pg_para(&p, WEB_MSG_PP_LOGIN_LEAD);
    web_page_form_begin(&p, "/giris", csrf);
    for (int i = L_TCKN; i <= L_DATE; i++)
        web_page_field(&p, &f[i]);
    _Static_assert(WEB_CAPTCHA_WIDTH == 200 && WEB_CAPTCHA_HEIGHT == 70, "the <img> size below");
    web_page_open_class(&p, WEB_EL_DIV, "captcha");
    web_page_open_class(&p, WEB_EL_IMG, "captcha-image");
    web_page_attr(&p, "width", "200");
    web_page_attr(&p, "height", "70");
    snprintf(url, sizeof url, "/api/v1/captcha/%s.png", cap.id);
    web_page_attr(&p, "src", url);
    web_page_attr_msg(&p, "alt", WEB_MSG_CAPTCHA_IMAGE_ALT);
    web_page_open_class(&p, WEB_EL_P, "captcha-links");
    web_page_open(&p, WEB_EL_A);
    web_page_attr(&p, "href", "/giris");
    web_page_msg(&p, WEB_MSG_CAPTCHA_NEW);
    web_page_close(&p, WEB_EL_A);
    web_page_text(&p, " ");
    web_page_open(&p, WEB_EL_A);
    snprintf(url, sizeof url, "/api/v1/captcha/%s.wav", cap.id);
    web_page_attr(&p, "href", url);
    web_page_msg(&p, WEB_MSG_PP_CAPTCHA_AUDIO_LINK);
    web_page_close(&p, WEB_EL_A);
    web_page_close(&p, WEB_EL_P);
    web_page_close(&p, WEB_EL_DIV);
    web_page_open(&p, WEB_EL_INPUT);
    web_page_attr(&p, "type", "hidden");
    web_page_attr(&p, "name", "captcha_id");
    web_page_attr(&p, "value", cap.id);
    web_page_field(&p, &f[L_CAPTCHA]);
    web_page_form_submit(&p, WEB_MSG_LOGIN, WEB_BUTTON_PRIMARY);
    web_page_end(&p);
    return web_pg_reply(c, &p, status);
}

enum web_err web_h_page_login(struct web_req *rq)
{
    struct web_pg c;
    struct web_field f[L_COUNT];
    struct web_error_item extra[2];
    size_t nextra = 0;
    char date[11] = "";
    const char *date_code = NULL;
    unsigned date_bad = 0;
    enum web_err rc;

    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    memcpy(f, login_fields, sizeof f);
    if (!web_pg_db(&c))
        return WEB_E_DB_UNAVAILABLE;
    if (!web_pg_is_post(&c))
        return login_page(&c, f, NULL, 0, 0, 200);

    if ((rc = web_pg_read_form(&c)) != WEB_OK)
        goto out;
    if (!web_pg_login_csrf_ok(&c, LOGIN_CSRF)) {
        rc = web_pg_error_to(&c, 403, WEB_MSG_PP_ERR_403_TITLE,
                             app_reason_text("csrf_invalid", c.lang), WEB_MSG_NONE, "/giris",
                             WEB_MSG_PP_LOGIN_AGAIN);
        goto out;
    }
    for (int i = 0; i < L_COUNT; i++)
        f[i].value = web_pg_field(&c, f[i].name);
    f[L_DATE].parts[0] = web_pg_field(&c, "birth_date_day");
    f[L_DATE].parts[1] = web_pg_field(&c, "birth_date_month");
    f[L_DATE].parts[2] = web_pg_field(&c, "birth_date_year");
    f[L_DATE].value = date_from_parts(f[L_DATE].parts, date, &date_code, &date_bad) ? date : "";
    struct app_login_req lr = {
        .tckn = f[L_TCKN].value ? f[L_TCKN].value : "",
        .first_name = f[L_FIRST].value ? f[L_FIRST].value : "",
        .last_name = f[L_LAST].value ? f[L_LAST].value : "",
        .birth_place = f[L_PLACE].value ? f[L_PLACE].value : "",
        .birth_date = f[L_DATE].value ? f[L_DATE].value : "",
        .captcha_id = web_pg_field(&c, "captcha_id") ? web_pg_field(&c, "captcha_id") : "",
        .captcha_answer = f[L_CAPTCHA].value ? f[L_CAPTCHA].value : "",
    };
    struct app_login_ok ok;
    char addr[64];
    c.app.client_addr = web_req_client_addr(rq, addr, sizeof addr);
    enum app_status st = app_login(&c.app, &lr, &ok, &c.err);
    if (st == APP_OK) {
        if (web_session_cookie(rq, APP_ACTOR_APPLICANT, ok.token,
                               c.app.set->portal.session_lifetime) < 0)
            rc = WEB_E_NOMEM;
        else
            rc = web_pg_login_done(&c, LOGIN_CSRF, "/giris", "/basvuru");
        goto out;
    }
    f[L_CAPTCHA].value = NULL; /* used up: the new picture needs a new answer */
    const char *code = c.err.code ? c.err.code : "";
    if (date_code) { /* the page's own words for the date's parts */
        f[L_DATE].error = app_field_message("birth_date", date_code, c.lang, web_pg_inhouse(&c));
        f[L_DATE].part_error = date_bad;
    }
    if (st == APP_EINVAL && c.err.nfields) {
        nextra = web_pg_form_errors(&c, f, L_COUNT, extra, 2);
    } else if (st == APP_EINVAL && !strncmp(code, "captcha_", 8)) {
        f[L_CAPTCHA].error = app_reason_text(code, c.lang);
    } else if (st == APP_EAUTH || st == APP_ETOOMANY) {
        /* the same words whatever was wrong: the use case gives one code for all */
        extra[nextra++] = web_pg_message_item(app_reason_text(code, c.lang));
    } else {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    rc = login_page(&c, f, extra, nextra, st == APP_ETOOMANY ? c.err.retry_after : 0,
                    st == APP_ETOOMANY ? 429 : 200);
    if (st == APP_ETOOMANY && rc == WEB_OK)
        web_pg_retry_after(&c, c.err.retry_after);
out:
    web_pg_done(&c);
    return rc;
}

/* ---- /cikis -------------------------------------------------------------------------------- */

enum web_err web_h_page_logout(struct web_req *rq)
{
    struct web_pg c;
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_APPLICANT);
    if (!web_pg_db(&c))
        return WEB_E_DB_UNAVAILABLE;
    if ((rc = web_pg_read_form(&c)) != WEB_OK)
        goto out;
    enum app_status st = app_authenticate(&c.app, APP_ACTOR_APPLICANT, &c.err);
    if (st == APP_EAUTH) {
        rc = web_pg_see_other(rq, "/");
        goto out;
    }
    if (st != APP_OK || app_logout(&c.app, &c.err) != APP_OK) {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    rc = web_session_cookie(rq, APP_ACTOR_APPLICANT, NULL, 0) < 0 ? WEB_E_NOMEM
                                                                  : web_pg_see_other(rq, "/");
out:
    web_pg_done(&c);
    return rc;
}
