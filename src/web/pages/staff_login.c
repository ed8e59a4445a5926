/* eimza — the staff login and logout pages (web/pages/): /yonetim/giris with the TOTP enrolment
 * (the secret as a QR code and in groups of four, never cached), and /yonetim/cikis. Someone
 * already signed in goes straight to the queue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/staff_auth.h"
#include "app/text.h"
#include "web/html/svg.h"
#include "web/http/csrf.h"
#include "web/pages/pages.h"

#define LOGIN_CSRF "eimza_staff_login_csrf"

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

/* Where a login leads: the queue, or the search of an application number that sent the
 * person here (the printed form's QR code read without a session: /yonetim/ara's way back;
 * only the number's alphabet is taken, so no other address can ride along). */
static const char *after_login(const char *ara, char *where, size_t cap)
{
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyz";
    size_t n = ara ? strlen(ara) : 0;
    if (n < 1 || n > APP_NUMBER_LEN || strspn(ara, alphabet) != n)
        return "/yonetim";
    snprintf(where, cap, "/yonetim/ara?q=%s", ara);
    return where;
}

/* The login page. extra: a message that belongs to no field; retry: seconds of a lock-out;
 * enrol: the secret and URI of a TOTP enrolment to show (NULL: none). */
static enum web_err login_page(struct web_pg *c, struct web_field *f, const char *extra,
                               int64_t retry, const struct app_staff_login_out *enrol,
                               unsigned status)
{
    struct web_page p;
    struct web_error_item items[L_COUNT + 1], more = web_pg_message_item(extra);
    char csrf[WEB_LOGIN_CSRF_HEX + 1];

    if (web_login_csrf(c->rq, LOGIN_CSRF, "/yonetim/giris", csrf) < 0)
        return WEB_E_INTERNAL;
    size_t n = web_pg_summary_items(f, L_COUNT, &more, extra ? 1 : 0, items,
                                    sizeof items / sizeof items[0]);
    f[L_PASS].value = NULL; /* never written back */

    enum web_msg title = enrol ? WEB_MSG_AP_ENROL_TITLE : WEB_MSG_AP_LOGIN_TITLE;
    const struct web_layout layout = {.title = title, .errors = n > 0};
    web_pg_form_page(c, &p, &layout, items, n);
    web_pg_heading(&p, title);
    web_pg_retry_notice(&p, c->app.now, retry);
    if (enrol) {
        char grouped[2 * APP_TOTP_SECRET_MAX + 2];
        secret_groups(enrol->totp_secret, grouped, sizeof grouped);
        web_page_notice_begin(&p, WEB_NOTICE_INFO);
        web_pg_para(&p, WEB_MSG_AP_ENROL_LEAD);
        web_page_notice_end(&p);
        web_page_open_class(&p, WEB_EL_FIGURE, "totp-qr");
        web_pg_svg_result(
            &p, web_svg_qr(&p.h, enrol->totp_uri, 240, web_msg(WEB_MSG_AP_ENROL_QR, c->lang)));
        web_page_el_msg(&p, WEB_EL_FIGCAPTION, WEB_MSG_AP_ENROL_QR);
        web_page_close(&p, WEB_EL_FIGURE);
        web_page_open(&p, WEB_EL_P);
        web_page_msg(&p, WEB_MSG_AP_ENROL_SECRET);
        web_page_text(&p, ": ");
        web_page_open_class(&p, WEB_EL_CODE, "totp-secret");
        web_page_attr(&p, "translate", "no");
        web_page_text(&p, grouped);
        web_page_close(&p, WEB_EL_CODE);
        web_page_close(&p, WEB_EL_P);
        web_page_open_class(&p, WEB_EL_P, "hint");
        web_page_msg(&p, WEB_MSG_AP_ENROL_SECRET_HINT);
        web_page_close(&p, WEB_EL_P);
    } else {
        web_pg_para(&p, WEB_MSG_AP_LOGIN_LEAD);
    }
    web_page_form_begin(&p, "/yonetim/giris", csrf);
    /* the application number to go back to after the login (the search's way here) */
    char where[48];
    const char *ara = web_pg_is_post(c) ? web_pg_field(c, "ara") : web_req_query(c->rq, "ara");
    if (strcmp(after_login(ara, where, sizeof where), "/yonetim") != 0)
        web_pg_hidden(&p, "ara", ara);
    for (int i = 0; i < L_COUNT; i++)
        web_page_field(&p, &f[i]);
    web_page_form_submit(&p, WEB_MSG_LOGIN, WEB_BUTTON_PRIMARY);
    web_pg_staff_end(c, &p);
    /* the enrolment's secret must not stay in any cache */
    if (enrol && web_reply_header(c->rq, "Cache-Control", "no-store") < 0)
        web_page_fail(&p);
    return web_pg_reply(c, &p, status);
}

enum web_err web_h_staff_login(struct web_req *rq)
{
    char where[48];
    struct web_pg c;
    struct web_field f[L_COUNT];
    struct app_staff_login_out *out = NULL;
    const char *extra = NULL;
    enum web_err rc;

    web_pg_init(&c, rq, WEB_PG_STAFF);
    memcpy(f, login_fields, sizeof f);
    if (!web_pg_db(&c))
        return WEB_E_DB_UNAVAILABLE;
    if (!web_pg_is_post(&c)) {
        /* someone already signed in goes straight to the queue */
        struct app_err e;
        if (c.app.cred.token && app_authenticate(&c.app, APP_ACTOR_STAFF, &e) == APP_OK)
            return web_pg_see_other(rq, after_login(web_req_query(rq, "ara"), where, sizeof where));
        return login_page(&c, f, NULL, 0, NULL, 200);
    }
    if ((rc = web_pg_read_form(&c)) != WEB_OK)
        goto out;
    if (!web_pg_login_csrf_ok(&c, LOGIN_CSRF)) {
        rc = web_pg_403(&c, "csrf_invalid");
        goto out;
    }
    for (int i = 0; i < L_COUNT; i++)
        f[i].value = web_pg_field(&c, f[i].name);
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
    char addr[64];
    c.app.client_addr = web_req_client_addr(rq, addr, sizeof addr); /* the per-address limit */
    enum app_status st = app_staff_login(&c.app, &lr, out, &c.err);
    if (st == APP_OK) {
        if (web_session_cookie(rq, APP_ACTOR_STAFF, out->token, c.app.set->staff.session_lifetime) <
            0)
            rc = WEB_E_NOMEM;
        else
            rc = web_pg_login_done(&c, LOGIN_CSRF, "/yonetim/giris",
                                   after_login(web_pg_field(&c, "ara"), where, sizeof where));
        goto out;
    }
    const char *code = c.err.code ? c.err.code : "";
    f[L_TOTP].value = NULL; /* a code is good once: the next try needs a new one */
    if (st == APP_EINVAL && c.err.nfields) {
        (void)web_pg_field_errors(&c.err, c.lang, f, L_COUNT, NULL, 0);
    } else if (st == APP_EAUTH && !strcmp(code, "totp_enrolment_required")) {
        rc = login_page(&c, f, NULL, 0, out, 200);
        goto out;
    } else if (st == APP_EAUTH && !strncmp(code, "totp_", 5)) {
        f[L_TOTP].error = app_reason_text(code, c.lang);
    } else if (st == APP_EAUTH || st == APP_ETOOMANY ||
               (st == APP_EUNAVAILABLE && !strcmp(code, "server_busy")) ||
               (st == APP_EFORBIDDEN && !strcmp(code, "account_disabled"))) {
        /* the same words whatever was wrong: the use case gives one code for all */
        extra = app_reason_text(code, c.lang);
    } else {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    bool wait = st == APP_ETOOMANY || st == APP_EUNAVAILABLE;
    rc = login_page(&c, f, extra, st == APP_ETOOMANY ? c.err.retry_after : 0, NULL,
                    st == APP_ETOOMANY       ? 429
                    : st == APP_EUNAVAILABLE ? 503
                                             : 200);
    if (wait && rc == WEB_OK)
        web_pg_retry_after(&c, c.err.retry_after);
out:
    if (out)
        memset(out, 0, sizeof *out); /* the token and any secret */
    free(out);
    web_pg_done(&c);
    return rc;
}

/* ---- /yonetim/cikis ------------------------------------------------------------------------ */

enum web_err web_h_staff_logout(struct web_req *rq)
{
    struct web_pg c;
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_STAFF);
    if (!web_pg_enter_staff(&c, true, &rc))
        goto out;
    if (app_logout(&c.app, &c.err) != APP_OK) {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    rc = web_session_cookie(rq, APP_ACTOR_STAFF, NULL, 0) < 0
             ? WEB_E_NOMEM
             : web_pg_see_other(rq, "/yonetim/giris");
out:
    web_pg_done(&c);
    return rc;
}
