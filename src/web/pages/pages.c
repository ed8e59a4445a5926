/* eimza — what every page handler shares (web/pages/): the page context, entering a page with
 * its session, the answers to failures, the login forms' CSRF cookie, Turkish time, and the
 * pieces of pages both the applicant's and the staff's pages use. See pages.h.
 */
#include "web/pages/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/log.h"

#include "app/text.h"
#include "web/http/csrf.h"

/* ---- the context ------------------------------------------------------------------------- */

void web_pg_init(struct web_pg *c, struct web_req *rq, enum web_pg_side side)
{
    memset(c, 0, sizeof *c);
    c->rq = rq;
    c->side = side;
    c->lang = web_pg_lang(rq);
    web_ctx_nodb(rq, side == WEB_PG_STAFF ? APP_ACTOR_STAFF : APP_ACTOR_APPLICANT, c->lang,
                 &c->app);
}

struct store *web_pg_db(struct web_pg *c)
{
    if (!c->app.db)
        c->app.db = web_req_store(c->rq);
    return c->app.db;
}

const char *web_pg_csrf(const struct web_pg *c)
{
    return c->app.who.session.csrf;
}

void web_pg_done(struct web_pg *c)
{
    web_formdata_free(&c->form);
}

enum web_err web_pg_read_form(struct web_pg *c)
{
    size_t len;
    const char *body = web_req_body(c->rq, &len);
    const char *ct = web_req_header(c->rq, "Content-Type");
    if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
        return WEB_E_MEDIA_TYPE;
    if (web_formdata_parse(&c->form, body, len) < 0)
        return WEB_E_BAD_REQUEST;
    c->app.cred.csrf_form = web_formdata_get(&c->form, "csrf_token");
    return WEB_OK;
}

const char *web_pg_field(const struct web_pg *c, const char *name)
{
    return web_formdata_get(&c->form, name);
}

bool web_pg_is_post(const struct web_pg *c)
{
    return !strcmp(web_req_method(c->rq), "POST");
}

bool web_pg_enter(struct web_pg *c, bool post, struct app_view *v, enum web_err *rc)
{
    if (!web_pg_db(c)) {
        *rc = WEB_E_DB_UNAVAILABLE;
        return false;
    }
    if (post && (*rc = web_pg_read_form(c)) != WEB_OK)
        return false;
    enum app_status st = app_authenticate(&c->app, APP_ACTOR_APPLICANT, &c->err);
    if (st == APP_OK)
        st = app_application_current(&c->app, v, &c->err);
    if (st != APP_OK) {
        *rc = web_pg_app_failure(c);
        return false;
    }
    /* the card came, or none will: "if your card has not reached you in N days" does not fit */
    c->card_settled = web_pg_in_state(&v->app, CORE_APP_DELIVERED) ||
                      web_pg_in_state(&v->app, CORE_APP_COMPLETED) ||
                      web_pg_in_state(&v->app, CORE_APP_REJECTED) ||
                      web_pg_in_state(&v->app, CORE_APP_CANCELLED);
    return true;
}

bool web_pg_enter_staff(struct web_pg *c, bool post, enum web_err *rc)
{
    if (!web_pg_db(c)) {
        *rc = WEB_E_DB_UNAVAILABLE;
        return false;
    }
    if (post && (*rc = web_pg_read_form(c)) != WEB_OK)
        return false;
    if (app_authenticate(&c->app, APP_ACTOR_STAFF, &c->err) != APP_OK) {
        *rc = web_pg_app_failure(c);
        return false;
    }
    c->who = &c->app.who.staff;
    return true;
}

bool web_pg_enter_admin(struct web_pg *c, bool post, enum web_err *rc)
{
    c->need = WEB_PG_NEED_ADMIN;
    if (!web_pg_enter_staff(c, post, rc))
        return false;
    if (!web_pg_role_is(c->who, "admin")) {
        *rc = web_pg_403(c, "forbidden_role");
        return false;
    }
    return true;
}

const char *web_pg_step_path(const struct app_application *a)
{
    if (a->st == CORE_APP_DRAFT)
        return a->confirmed ? "/sms" : "/basvuru";
    if (a->st == CORE_APP_CODE_VERIFIED)
        return !strcmp(a->method, "esign") ? "/imza" : "/yontem";
    return "/durum";
}

bool web_pg_in_state(const struct app_application *a, enum core_app_state want)
{
    return a->st == want;
}

/* A 503 with a code of its own (verification_unavailable, ca_unavailable, secret_key_missing,
 * ...): the reason's words, which say what to do. */
static enum web_err unavailable_page(struct web_pg *c)
{
    return web_pg_error(c, 503, WEB_MSG_PP_ERR_503_TITLE, app_reason_text(c->err.code, c->lang),
                        WEB_MSG_NONE);
}

static enum web_err applicant_failure(struct web_pg *c)
{
    const struct app_err *e = &c->err;
    switch (e->status) {
    case APP_EAUTH:
        return web_pg_see_other(c->rq, "/giris");
    case APP_EFORBIDDEN:
        return web_pg_403(c, e->code ? e->code : "csrf_invalid");
    case APP_ENOTFOUND:
        return web_pg_404(c);
    case APP_ECONFLICT: {
        /* the application moved on (another tab, the approver): show where it is now */
        struct app_view v;
        struct app_err e2;
        if (app_application_current(&c->app, &v, &e2) != APP_OK) {
            enum web_err rc = web_app_failure(c->rq, &e2);
            return rc != WEB_OK ? rc : web_pg_500(c);
        }
        return web_pg_see_other(c->rq, web_pg_step_path(&v.app));
    }
    case APP_EUNAVAILABLE:
        return unavailable_page(c);
    default:
        return web_pg_500(c);
    }
}

static enum web_err staff_failure(struct web_pg *c)
{
    const struct app_err *e = &c->err;
    switch (e->status) {
    case APP_EAUTH:
        return web_pg_see_other(c->rq, "/yonetim/giris");
    case APP_EFORBIDDEN:
        return web_pg_403(c, e->code ? e->code : "forbidden_role");
    case APP_ENOTFOUND:
        return web_pg_404(c);
    case APP_EINVAL:
    case APP_ECONFLICT: /* the state moved on meanwhile: what the reason says */
        return web_pg_error(c, e->status == APP_EINVAL ? 400 : 409, WEB_MSG_PP_ERR_403_TITLE,
                            web_pg_reason(c, e->code ? e->code : "invalid_fields"), WEB_MSG_NONE);
    case APP_EUNAVAILABLE:
        return unavailable_page(c);
    default:
        return web_pg_500(c);
    }
}

enum web_err web_pg_app_failure(struct web_pg *c)
{
    /* a failure without a code (the database, a bug): the server's one answer for it, the
     * same on every route (web/http/error.h), written by web_pg_error_page */
    enum web_err rc = web_app_failure(c->rq, &c->err);
    if (rc != WEB_OK)
        return rc;
    return c->side == WEB_PG_STAFF ? staff_failure(c) : applicant_failure(c);
}

/* ---- the page's language and its answer
 * -------------------------------------------------------------------- */

static bool web_lang_parse(const char *s, size_t n, enum core_lang *out)
{
    if (n == 2 && !strncasecmp(s, "tr", 2)) {
        *out = CORE_LANG_TR;
        return true;
    }
    if (n == 2 && !strncasecmp(s, "en", 2)) {
        *out = CORE_LANG_EN;
        return true;
    }
    return false;
}

/* The value of cookie name in a Cookie header ("a=1; lang=en"), or NULL; *len its length.
 * (Parsed here rather than through a request accessor so that the page writer depends on
 * nothing but request.h's first version.) */
static const char *web_cookie_value(const char *header, const char *name, size_t *len)
{
    size_t nlen = strlen(name);
    for (const char *c = header; c && *c;) {
        c += strspn(c, " \t;");
        size_t item = strcspn(c, ";");
        if (item > nlen && !strncmp(c, name, nlen) && c[nlen] == '=') {
            *len = item - nlen - 1;
            return c + nlen + 1;
        }
        c += item;
    }
    return NULL;
}

enum core_lang web_pg_lang(struct web_req *rq)
{
    enum core_lang lang;
    const char *q = web_req_query(rq, "lang");
    if (q && web_lang_parse(q, strlen(q), &lang)) {
        /* remembered for a year; Lax so that a link from elsewhere still shows it */
        (void)web_reply_header(rq, "Set-Cookie",
                               lang == CORE_LANG_EN
                                   ? "lang=en; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly"
                                   : "lang=tr; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
        return lang;
    }
    size_t n;
    const char *c = web_cookie_value(web_req_header(rq, "Cookie"), "lang", &n);
    if (c && web_lang_parse(c, n, &lang))
        return lang;
    return web_req_lang(rq);
}

enum web_err web_pg_answer(struct web_req *rq, struct web_page *p, unsigned status)
{
    if (web_page_failed(p)) {
        ulog(ULOG_ERROR, "page.failed", "rid=%s bytes=%zu", web_req_id(rq), p->b.len);
        return WEB_E_INTERNAL;
    }
    if (web_reply_header(rq, "Vary", "Accept-Language, Cookie") < 0)
        return WEB_E_NOMEM;
    return web_reply(rq, status, "text/html; charset=utf-8", &p->b);
}

/* ---- answers ------------------------------------------------------------------------------- */

enum web_err web_pg_see_other(struct web_req *rq, const char *where)
{
    if (web_reply_header(rq, "Location", where) < 0)
        return WEB_E_NOMEM;
    return web_reply_static(rq, 303, "text/plain; charset=utf-8", "", 0);
}

void web_pg_page(const struct web_pg *c, struct web_page *p)
{
    web_page_init(p, c->lang);
    p->site = c->app.set ? &c->app.set->site : NULL;
    /* who helps with a card: the e-imza sorumlusu where cards are made in house */
    p->inhouse = web_pg_inhouse(c);
    /* when a card comes, as the texts that say so state it */
    if (c->app.set)
        p->delivery_days = c->app.set->portal.rules.delivery_expected_days;
}

void web_pg_begin(const struct web_pg *c, struct web_page *p, const struct web_layout *l)
{
    p->site = c->app.set ? &c->app.set->site : NULL;
    if (c->app.who.kind == APP_ACTOR_APPLICANT) {
        p->session_left = app_session_left(&c->app);
        p->session_csrf = c->app.who.session.csrf;
    }
    p->card_settled = c->card_settled;
    web_page_begin(p, l);
}

void web_pg_form_page(const struct web_pg *c, struct web_page *p, const struct web_layout *l,
                      const struct web_error_item *items, size_t n)
{
    web_pg_page(c, p);
    web_pg_begin(c, p, l);
    web_page_error_summary(p, items, n);
}

enum web_err web_pg_reply(struct web_pg *c, struct web_page *p, unsigned status)
{
    enum web_err rc = web_pg_answer(c->rq, p, status);
    web_page_free(p);
    return rc;
}

enum web_err web_pg_error_to(struct web_pg *c, unsigned status, enum web_msg title,
                             const char *text, enum web_msg text_key, const char *href,
                             enum web_msg link)
{
    struct web_page p;
    const struct web_layout layout = {.title = title};
    /* a staff page keeps its header when the member is known (not when the database that
     * knows them is down), and its footer always */
    bool staff = c->side == WEB_PG_STAFF && c->who;
    web_pg_page(c, &p);
    if (staff)
        web_pg_staff_begin(c, &p, &layout, WEB_PG_NAV_NONE);
    else
        web_pg_begin(c, &p, &layout);
    web_pg_heading(&p, title);
    web_page_open(&p, WEB_EL_P);
    if (text)
        web_page_text(&p, text);
    else
        web_page_msg(&p, text_key);
    web_page_close(&p, WEB_EL_P);
    web_page_open(&p, WEB_EL_P);
    web_page_open(&p, WEB_EL_A);
    web_page_attr(&p, "href", href);
    web_page_msg(&p, link);
    web_page_close(&p, WEB_EL_A);
    web_page_close(&p, WEB_EL_P);
    if (c->side == WEB_PG_STAFF)
        web_pg_staff_end(c, &p);
    else
        web_page_end(&p);
    return web_pg_reply(c, &p, status);
}

enum web_err web_pg_error(struct web_pg *c, unsigned status, enum web_msg title, const char *text,
                          enum web_msg text_key)
{
    if (c->side == WEB_PG_STAFF)
        return web_pg_error_to(c, status, title, text, text_key, "/yonetim",
                               WEB_MSG_AP_BACK_TO_QUEUE);
    return web_pg_error_to(c, status, title, text, text_key, "/", WEB_MSG_PP_HOME_LINK);
}

/* The staff's 403 for a role or a province (issue 17): whose work it is, what the signed-in
 * member's role is for, whom to ask; a heading, three paragraphs, the way back to the queue. */
static enum web_err staff_403(struct web_pg *c, bool province)
{
    static const enum web_msg need_text[] = {
        [WEB_PG_NEED_NONE] = WEB_MSG_SP_403_NEED_NONE,
        [WEB_PG_NEED_DECIDE] = WEB_MSG_SP_403_NEED_DECIDE,
        [WEB_PG_NEED_PAPER] = WEB_MSG_SP_403_NEED_PAPER,
        [WEB_PG_NEED_MESSAGES] = WEB_MSG_SP_403_NEED_MESSAGES,
        [WEB_PG_NEED_ADMIN] = WEB_MSG_SP_403_NEED_ADMIN,
        [WEB_PG_NEED_TCKN] = WEB_MSG_SP_403_NEED_TCKN,
    };
    struct web_page p;
    enum web_msg title = province ? WEB_MSG_SP_403_PROVINCE_TITLE : WEB_MSG_SP_403_ROLE_TITLE;
    const struct web_layout layout = {.title = title};
    const char *args[] = {app_province_name(c->who->province)};
    web_pg_page(c, &p);
    web_pg_staff_begin(c, &p, &layout, WEB_PG_NAV_NONE);
    web_pg_heading(&p, title);
    if (!province)
        web_pg_para(&p, (unsigned)c->need < sizeof need_text / sizeof need_text[0]
                            ? need_text[c->need]
                            : WEB_MSG_SP_403_NEED_NONE);
    web_page_open_class(&p, WEB_EL_P, "your-role");
    if (web_pg_role_is(c->who, "approver"))
        web_page_msg_args(&p, WEB_MSG_SP_403_YOU_APPROVER, args, 1);
    else
        web_page_msg(&p, web_pg_role_is(c->who, "operator") ? WEB_MSG_SP_403_YOU_OPERATOR
                                                            : WEB_MSG_SP_403_YOU_ADMIN);
    web_page_close(&p, WEB_EL_P);
    web_pg_para(&p, province ? WEB_MSG_SP_403_ASK_PROVINCE : WEB_MSG_SP_403_ASK_ROLE);
    web_page_action_link(&p, "/yonetim", WEB_MSG_AP_BACK_TO_QUEUE);
    web_pg_staff_end(c, &p);
    return web_pg_reply(c, &p, 403);
}

bool web_pg_inhouse(const struct web_pg *c)
{
    return c->app.set && c->app.set->portal.production == APP_PRODUCTION_INHOUSE;
}

const char *web_pg_reason(const struct web_pg *c, const char *code)
{
    return c->side == WEB_PG_STAFF ? app_staff_reason_text(code, c->lang)
                                   : app_reason_text_deployed(code, c->lang, web_pg_inhouse(c));
}

enum web_err web_pg_403(struct web_pg *c, const char *code)
{
    if (c->side == WEB_PG_STAFF && c->who && code &&
        (!strcmp(code, "forbidden_role") || !strcmp(code, "forbidden_province")))
        return staff_403(c, !strcmp(code, "forbidden_province"));
    return web_pg_error(c, 403, WEB_MSG_PP_ERR_403_TITLE, web_pg_reason(c, code), WEB_MSG_NONE);
}

enum web_err web_pg_404(struct web_pg *c)
{
    return web_pg_error(c, 404, WEB_MSG_PP_ERR_404_TITLE, NULL, WEB_MSG_PP_ERR_404_TEXT);
}

enum web_err web_pg_500(struct web_pg *c)
{
    return web_pg_error(c, 500, WEB_MSG_PP_ERR_500_TITLE, NULL, WEB_MSG_PP_ERR_500_TEXT);
}

enum web_err web_pg_error_page(struct web_req *rq, enum web_err e)
{
    struct web_pg c;
    web_pg_init(&c, rq,
                web_req_answer(rq) == WEB_ANSWER_STAFF_PAGE ? WEB_PG_STAFF : WEB_PG_APPLICANT);
    unsigned status = web_err_status(e);
    enum web_err r2;
    if (status == 404)
        r2 = web_pg_404(&c);
    else if (e == WEB_E_DB_UNAVAILABLE) /* try again in a few minutes; whom to ask meanwhile */
        r2 = web_pg_error(&c, status, WEB_MSG_PP_ERR_503_TITLE, NULL,
                          c.side == WEB_PG_STAFF ? WEB_MSG_SP_ERR_503_TEXT
                                                 : WEB_MSG_PP_ERR_503_TEXT);
    else if (status >= 500)
        r2 = web_pg_error(&c, status, WEB_MSG_PP_ERR_500_TITLE, NULL, WEB_MSG_PP_ERR_500_TEXT);
    else
        r2 = web_pg_error(&c, status, WEB_MSG_PP_ERR_403_TITLE, web_err_message(e, c.lang),
                          WEB_MSG_NONE);
    return r2 == WEB_OK ? WEB_OK : e;
}

/* ---- the login forms ---------------------------------------------------------------------- */

bool web_pg_login_csrf_ok(const struct web_pg *c, const char *cookie)
{
    return web_same_token(web_pg_field(c, "csrf_token"), web_req_cookie(c->rq, cookie));
}

enum web_err web_pg_login_done(struct web_pg *c, const char *cookie, const char *path,
                               const char *where)
{
    char clear[128];
    snprintf(clear, sizeof clear, "%s=; Path=%s; HttpOnly; SameSite=Strict; Max-Age=0", cookie,
             path);
    if (web_reply_header(c->rq, "Set-Cookie", clear) < 0)
        return WEB_E_NOMEM;
    return web_pg_see_other(c->rq, where);
}

void web_pg_retry_after(struct web_pg *c, int64_t seconds)
{
    char ra[24];
    snprintf(ra, sizeof ra, "%lld", (long long)seconds);
    (void)web_reply_header(c->rq, "Retry-After", ra);
}

/* ---- time ----------------------------------------------------------------------------------- */

void web_pg_time(int64_t t, enum web_pg_time fmt, char out[32])
{
    app_time_tr(t, (enum app_time_fmt)fmt, out);
}

/* ---- pieces of pages ------------------------------------------------------------------------ */

const char *web_pg_fill(const char *text, const char *arg, char *out, size_t cap)
{
    (void)app_text_fill(text, arg, out, cap); /* cut to fit: a title, an attribute */
    return out;
}

const char *web_pg_wrong_left(enum web_msg key, int left, enum core_lang lang, char *out,
                              size_t cap)
{
    char n[16];
    snprintf(n, sizeof n, "%d", left > 0 ? left : 0);
    return web_pg_fill(web_msg_n(key, left > 0 ? (unsigned long)left : 0, lang), n, out, cap);
}

void web_pg_heading(struct web_page *p, enum web_msg key)
{
    web_page_el_msg(p, WEB_EL_H1, key);
}

void web_pg_para(struct web_page *p, enum web_msg key)
{
    web_page_el_msg(p, WEB_EL_P, key);
}

void web_pg_para_args(struct web_page *p, enum web_msg key, const char *const *args, size_t n)
{
    web_page_open(p, WEB_EL_P);
    web_page_msg_args(p, key, args, n);
    web_page_close(p, WEB_EL_P);
}

void web_pg_text_para(struct web_page *p, const char *text)
{
    web_page_el_text(p, WEB_EL_P, text);
}

void web_pg_notice(struct web_page *p, enum web_notice_kind kind, enum web_msg key,
                   const char *const *args, size_t n)
{
    web_page_notice_begin(p, kind);
    web_pg_para_args(p, key, args, n);
    web_page_notice_end(p);
}

void web_pg_retry_notice(struct web_page *p, int64_t now, int64_t retry_after)
{
    char at[32], mins[24];
    if (retry_after <= 0)
        return;
    web_pg_time(now + retry_after, WEB_PG_CLOCK, at);
    snprintf(mins, sizeof mins, "%lld", (long long)((retry_after + 59) / 60));
    const char *args[] = {at, mins};
    web_pg_notice(p, WEB_NOTICE_WARNING, WEB_MSG_PP_RETRY_AT, args, 2);
}

void web_pg_app_number(struct web_page *p, const char *number)
{
    const char *args[] = {number};
    web_page_open_class(p, WEB_EL_P, "app-number");
    web_page_msg_args(p, WEB_MSG_APPLICATION_NUMBER, args, 1);
    web_page_close(p, WEB_EL_P);
}

struct web_error_item web_pg_message_item(const char *message)
{
    return (struct web_error_item){NULL, WEB_MSG_NONE, message};
}

static size_t field_errors(const struct app_err *e, enum core_lang lang, bool inhouse,
                           struct web_field *f, size_t nf, struct web_error_item *extra, size_t cap)
{
    size_t nextra = 0;
    for (size_t i = 0; i < e->nfields; i++) {
        const char *msg = app_field_message(e->fields[i].field, e->fields[i].code, lang, inhouse);
        bool found = false;
        for (size_t k = 0; k < nf && !found; k++) {
            if (f[k].name && !strcmp(f[k].name, e->fields[i].field)) {
                if (!f[k].error)
                    f[k].error = msg;
                found = true;
            }
        }
        if (!found && nextra < cap)
            extra[nextra++] = web_pg_message_item(msg);
    }
    return nextra;
}

size_t web_pg_field_errors(const struct app_err *e, enum core_lang lang, struct web_field *f,
                           size_t nf, struct web_error_item *extra, size_t cap)
{
    return field_errors(e, lang, false, f, nf, extra, cap);
}

size_t web_pg_form_errors(const struct web_pg *c, struct web_field *f, size_t nf,
                          struct web_error_item *extra, size_t cap)
{
    return field_errors(&c->err, c->lang, web_pg_inhouse(c), f, nf, extra, cap);
}

size_t web_pg_summary_items(const struct web_field *f, size_t nf,
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

void web_pg_hidden(struct web_page *p, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    web_page_open(p, WEB_EL_INPUT);
    web_page_attr(p, "type", "hidden");
    web_page_attr(p, "name", name);
    web_page_attr(p, "value", value);
}

void web_pg_svg_result(struct web_page *p, int r)
{
    if (r < 0)
        web_page_fail(p);
}

int web_pg_q_put(struct ubuf *q, const char *name, const char *value)
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

int web_pg_q_add(struct ubuf *q, const char *name, const char *value)
{
    return value && *value ? web_pg_q_put(q, name, value) : 0;
}

int web_pg_q_add_long(struct ubuf *q, const char *name, long v)
{
    char num[24];
    snprintf(num, sizeof num, "%ld", v);
    return web_pg_q_add(q, name, num);
}

/* ---- the staff's pages ---------------------------------------------------------------------- */

bool web_pg_role_is(const struct app_staff *w, const char *role)
{
    return strcmp(w->role, role) == 0;
}

bool web_pg_may_decide(const struct app_staff *w)
{
    return web_pg_role_is(w, "approver") || web_pg_role_is(w, "admin");
}

bool web_pg_may_record_paper(const struct app_staff *w)
{
    return web_pg_role_is(w, "operator") || web_pg_role_is(w, "admin");
}

bool web_pg_may_see_messages(const struct app_staff *w)
{
    return web_pg_role_is(w, "operator") || web_pg_role_is(w, "admin");
}

static enum web_msg role_label(const struct app_staff *w)
{
    if (web_pg_role_is(w, "approver"))
        return WEB_MSG_AP_ROLE_APPROVER;
    if (web_pg_role_is(w, "operator"))
        return WEB_MSG_AP_ROLE_OPERATOR;
    return WEB_MSG_AP_ROLE_ADMIN;
}

/* One item of the staff navigation. */
static void nav_item(struct web_page *p, const char *href, enum web_msg label, bool current)
{
    web_page_open(p, WEB_EL_LI);
    web_page_open(p, WEB_EL_A);
    web_page_attr(p, "href", href);
    if (current)
        web_page_attr(p, "aria-current", "page");
    web_page_msg(p, label);
    web_page_close(p, WEB_EL_A);
    web_page_close(p, WEB_EL_LI);
}

/* The search box of the staff's header (issue 17): a labelled field and its button, posted to
 * /yonetim/ara (a T.C. Kimlik No or a name is never put in an address). */
static void staff_search_box(struct web_page *p, const char *csrf)
{
    web_page_open(p, WEB_EL_FORM);
    web_page_attr(p, "method", "post");
    web_page_attr(p, "action", "/yonetim/ara");
    web_page_attr(p, "role", "search");
    web_page_attr(p, "class", "staff-search");
    web_page_csrf(p, csrf);
    web_page_open_class(p, WEB_EL_LABEL, "visually-hidden");
    web_page_attr(p, "for", "staff-search-q");
    web_page_msg(p, WEB_MSG_SP_SEARCH_LABEL);
    web_page_close(p, WEB_EL_LABEL);
    web_page_open(p, WEB_EL_INPUT);
    /* text, not search: Pico would draw its magnifier, an extra load on every staff page */
    web_page_attr(p, "type", "text");
    web_page_attr(p, "enterkeyhint", "search");
    web_page_attr(p, "id", "staff-search-q");
    web_page_attr(p, "name", "q");
    web_page_attr(p, "autocomplete", "off");
    web_page_attr_int(p, "maxlength", 200);
    web_page_attr_msg(p, "placeholder", WEB_MSG_SP_SEARCH_PLACEHOLDER);
    web_page_open(p, WEB_EL_BUTTON);
    web_page_attr(p, "type", "submit");
    web_page_msg(p, WEB_MSG_SP_SEARCH_BUTTON);
    web_page_close(p, WEB_EL_BUTTON);
    web_page_close(p, WEB_EL_FORM);
}

void web_pg_staff_begin(struct web_pg *c, struct web_page *p, const struct web_layout *l,
                        enum web_pg_nav current)
{
    web_pg_begin(c, p, l);
    web_page_open_class(p, WEB_EL_NAV, "staff-nav");
    web_page_attr_msg(p, "aria-label", WEB_MSG_AP_NAV_LABEL);
    web_page_open(p, WEB_EL_UL);
    nav_item(p, "/yonetim", WEB_MSG_AP_NAV_QUEUE, current == WEB_PG_NAV_QUEUE);
    nav_item(p, "/yonetim/pano", WEB_MSG_AP_NAV_DASHBOARD, current == WEB_PG_NAV_DASHBOARD);
    nav_item(p, "/yonetim/uretim", WEB_MSG_FS_NAV, current == WEB_PG_NAV_PRODUCTION);
    if (web_pg_may_see_messages(c->who))
        nav_item(p, "/yonetim/iletiler", WEB_MSG_AP_NAV_MESSAGES, current == WEB_PG_NAV_MESSAGES);
    if (web_pg_role_is(c->who, "admin")) { /* issue 17: the admins' pages */
        nav_item(p, "/yonetim/hesaplar", WEB_MSG_SP_NAV_ACCOUNTS, current == WEB_PG_NAV_ACCOUNTS);
        nav_item(p, "/yonetim/denetim", WEB_MSG_SP_NAV_AUDIT, current == WEB_PG_NAV_AUDIT);
        nav_item(p, "/yonetim/aktarim", WEB_MSG_SP_NAV_IMPORT, current == WEB_PG_NAV_IMPORT);
    }
    web_page_close(p, WEB_EL_UL);
    web_page_open_class(p, WEB_EL_P, "staff-who");
    char role[96];
    const char *rl = web_msg(role_label(c->who), c->lang);
    if (c->who->province > 0)
        snprintf(role, sizeof role, "%s, %s", rl, app_province_name(c->who->province));
    else
        snprintf(role, sizeof role, "%s", rl);
    const char *args[] = {c->who->username, role};
    web_page_msg_args(p, WEB_MSG_AP_SIGNED_IN, args, 2);
    web_page_close(p, WEB_EL_P);
    /* the search box and the logout keep together at the row's end, wherever it wraps */
    web_page_open_class(p, WEB_EL_DIV, "staff-tools");
    if (current != WEB_PG_NAV_SEARCH)
        staff_search_box(p, web_pg_csrf(c));
    web_page_form_begin(p, "/yonetim/cikis", web_pg_csrf(c));
    web_page_button(p, WEB_MSG_PP_LOGOUT, WEB_BUTTON_SECONDARY, NULL, NULL);
    web_page_form_end(p);
    web_page_close(p, WEB_EL_DIV);
    web_page_close(p, WEB_EL_NAV);
}

/* The staff's footer (issue 17): for whom, the duty of care, the time zone, the version. */
static void staff_footer(struct web_page *p, const void *ctx)
{
    (void)ctx;
    const char *args[] = {EIMZA_VERSION};
    web_page_open_class(p, WEB_EL_DIV, "staff-footer");
    web_pg_para(p, WEB_MSG_SP_FOOTER_FOR);
    web_pg_para(p, WEB_MSG_SP_FOOTER_DUTY);
    web_pg_para(p, WEB_MSG_SP_FOOTER_TIME);
    web_page_open_class(p, WEB_EL_P, "version");
    web_page_msg_args(p, WEB_MSG_SP_FOOTER_VERSION, args, 1);
    web_page_close(p, WEB_EL_P);
    web_page_close(p, WEB_EL_DIV);
}

void web_pg_staff_end(struct web_pg *c, struct web_page *p)
{
    (void)c;
    web_page_end_footer(p, staff_footer, NULL);
}

void web_pg_head_cells(struct web_page *p, const enum web_msg *cols, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        web_page_open(p, WEB_EL_TH);
        web_page_attr(p, "scope", "col");
        web_page_msg(p, cols[i]);
        web_page_close(p, WEB_EL_TH);
    }
    web_page_close(p, WEB_EL_TR);
    web_page_close(p, WEB_EL_THEAD);
    web_page_open(p, WEB_EL_TBODY);
}

void web_pg_rows_end(struct web_page *p, size_t n, enum web_msg empty)
{
    if (n == 0) {
        web_pg_para(p, empty);
        return;
    }
    web_page_close(p, WEB_EL_TBODY);
    web_page_close(p, WEB_EL_TABLE);
    web_page_close(p, WEB_EL_DIV);
}

void web_pg_td_begin(struct web_page *p, enum web_msg col)
{
    web_page_open(p, WEB_EL_TD);
    web_page_attr_msg(p, "data-label", col);
}

void web_pg_verdict_badge(struct web_page *p, const struct core_verdict *v)
{
    if (v->eligible) {
        web_page_open_class(p, WEB_EL_STRONG, "verdict verdict-ok");
        web_page_msg(p, WEB_MSG_AP_ELIGIBLE);
    } else {
        web_page_open_class(p, WEB_EL_STRONG, "verdict verdict-no");
        web_page_msg(p, WEB_MSG_AP_NOT_ELIGIBLE);
    }
    web_page_close(p, WEB_EL_STRONG);
}

void web_pg_verdict_reasons(struct web_page *p, const struct core_verdict *v, bool labels)
{
    struct app_reason_item r[32];
    size_t n = app_verdict_reasons(v->reasons, p->lang, r, sizeof r / sizeof r[0]);
    if (n == 0)
        return;
    web_page_open_class(p, WEB_EL_UL,
                        labels ? "verdict-reasons verdict-labels" : "verdict-reasons");
    for (size_t i = 0; i < n; i++) {
        web_page_open(p, WEB_EL_LI);
        web_page_attr(p, "data-reason", r[i].code);
        if (labels && r[i].label != r[i].text) {
            /* the label, opened to its sentence by a click, a tap or the keyboard: the summary
             * names the disclosure, the sentence is read once, when opened */
            web_page_open(p, WEB_EL_DETAILS);
            web_page_el_text(p, WEB_EL_SUMMARY, r[i].label);
            web_page_el_text(p, WEB_EL_P, r[i].text);
            web_page_close(p, WEB_EL_DETAILS);
        } else {
            web_page_text(p, r[i].text);
        }
        web_page_close(p, WEB_EL_LI);
    }
    web_page_close(p, WEB_EL_UL);
}

void web_pg_id_line(struct web_page *p, const char *tckn_masked)
{
    web_page_open_class(p, WEB_EL_SMALL, "id-line");
    web_page_msg(p, WEB_MSG_SP_TCKN_SHORT);
    web_page_text(p, ": ");
    web_page_open_class(p, WEB_EL_SPAN, "tckn");
    web_page_attr(p, "translate", "no");
    web_page_text(p, tckn_masked);
    web_page_close(p, WEB_EL_SPAN);
    web_page_close(p, WEB_EL_SMALL);
}

/* One of the pager's links: base from another offset (href is scratch space); aria, when not
 * NONE, names it for a screen reader ("Sayfa 3", args[0] the number as shown). */
static void pager_link(struct web_page *p, struct ubuf *href, const char *base, long offset,
                       const char *rel, enum web_msg label, const char *text, enum web_msg aria,
                       const char *const *args)
{
    ubuf_reset(href);
    /* web_pg_q_add_long puts the '&' before the offset itself */
    if ((ubuf_puts(href, base) | web_pg_q_add_long(href, "offset", offset)) < 0)
        web_page_fail(p);
    web_page_open(p, WEB_EL_A);
    if (rel)
        web_page_attr(p, "rel", rel);
    web_page_attr(p, "href", ubuf_str(href));
    if (aria != WEB_MSG_NONE) {
        char al[64];
        web_page_attr(p, "aria-label", web_pg_fill(web_msg(aria, p->lang), args[0], al, sizeof al));
    }
    if (text)
        web_page_text(p, text);
    else
        web_page_msg(p, label);
    web_page_close(p, WEB_EL_A);
}

void web_pg_pager(struct web_page *p, const char *base, long offset, long total, size_t shown,
                  long per_page)
{
    struct ubuf href = UBUF_INIT(4096);
    bool prev = offset > 0, next = offset + (long)shown < total;
    if (!prev && !next) {
        ubuf_free(&href);
        return;
    }
    long pages = (total + per_page - 1) / per_page, cur = offset / per_page + 1;
    char n[WEB_COUNT_MAX], of[WEB_COUNT_MAX];
    web_page_open_class(p, WEB_EL_NAV, "pager");
    web_page_attr_msg(p, "aria-label", WEB_MSG_SP_PAGES_LABEL);
    if (prev)
        pager_link(p, &href, base, offset > per_page ? offset - per_page : 0, "prev",
                   WEB_MSG_AP_PREV_PAGE, NULL, WEB_MSG_NONE, NULL);
    web_page_open_class(p, WEB_EL_UL, "pager-pages");
    bool gap = false;
    for (long k = 1; k <= pages; k++) {
        if (k != 1 && k != pages && (k < cur - 2 || k > cur + 2)) {
            if (!gap)
                web_page_el_text(p, WEB_EL_LI, "…");
            gap = true;
            continue;
        }
        gap = false;
        web_count_text(k, p->lang, n);
        const char *args[] = {n};
        web_page_open(p, WEB_EL_LI);
        if (k == cur) {
            web_page_open_class(p, WEB_EL_SPAN, "pager-current");
            web_page_attr(p, "aria-current", "page");
            web_page_text(p, n);
            web_page_close(p, WEB_EL_SPAN);
        } else {
            pager_link(p, &href, base, (k - 1) * per_page, NULL, WEB_MSG_NONE, n,
                       WEB_MSG_SP_PAGE_LABEL, args);
        }
        web_page_close(p, WEB_EL_LI);
    }
    web_page_close(p, WEB_EL_UL);
    if (next)
        pager_link(p, &href, base, offset + (long)shown, "next", WEB_MSG_AP_NEXT_PAGE, NULL,
                   WEB_MSG_NONE, NULL);
    web_count_text(cur, p->lang, n);
    web_count_text(pages, p->lang, of);
    const char *args[] = {n, of};
    web_page_open_class(p, WEB_EL_P, "pager-of");
    web_page_msg_args(p, WEB_MSG_SP_PAGE_OF, args, 2);
    web_page_close(p, WEB_EL_P);
    web_page_close(p, WEB_EL_NAV);
    ubuf_free(&href);
}

void web_pg_wet_howto(const struct web_pg *c, struct web_page *p, int plate)
{
    const struct app_province_contact *k =
        c->app.set ? app_site_contact(&c->app.set->site, plate) : NULL;
    web_page_open_class(p, WEB_EL_OL, "wet-steps");
    web_page_open(p, WEB_EL_LI);
    web_pg_para(p, WEB_MSG_WET_STEP_PRINT);
    web_page_form_begin(p, "/api/v1/application/wet-signature", web_pg_csrf(c));
    web_page_form_submit(p, WEB_MSG_WET_PRINT, WEB_BUTTON_PRIMARY);
    web_page_close(p, WEB_EL_LI);
    web_page_el_msg(p, WEB_EL_LI, WEB_MSG_WET_STEP_SIGN);
    web_page_open(p, WEB_EL_LI);
    if (k) {
        web_pg_para(p, WEB_MSG_WET_STEP_SEND);
        web_page_open_class(p, WEB_EL_P, "postal-address");
        web_page_text(p, k->unit);
        web_page_open(p, WEB_EL_BR);
        web_page_text(p, k->address);
        if (k->phone[0]) {
            web_page_open(p, WEB_EL_BR);
            web_page_msg(p, WEB_MSG_PHONE_LABEL);
            web_page_text(p, ": ");
            web_page_text(p, k->phone);
        }
        web_page_close(p, WEB_EL_P);
    } else {
        const char *args[] = {plate > 0 ? app_province_name(plate) : ""};
        web_pg_para_args(p, plate > 0 ? WEB_MSG_WET_STEP_SEND_PROVINCE : WEB_MSG_WET_STEP_SEND_ANY,
                         args, 1);
    }
    web_page_close(p, WEB_EL_LI);
    web_page_close(p, WEB_EL_OL);
    web_pg_para(p, WEB_MSG_WET_AFTER);
}

void web_pg_state_text(struct web_page *p, const struct app_application *a)
{
    if (a->st < CORE_APP__STATE_COUNT)
        web_page_text(p, app_state_label(a->st, p->lang));
    else
        web_page_text(p, a->state);
}

void web_pg_waiting_text(struct web_page *p, int64_t now, int64_t since)
{
    char days[WEB_COUNT_MAX], date[32];
    int64_t d = since > 0 && now > since ? (now - since) / 86400 : 0;
    web_count_text((long)d, p->lang, days);
    web_pg_time(since, WEB_PG_DATE, date);
    const char *a1[] = {days}, *a2[] = {date};
    if (d > 0) { /* less than a day: "since DD.MM.YYYY" alone, not "0 days" */
        web_page_msg_n(p, WEB_MSG_AP_DAYS, (unsigned long)d, a1, 1);
        web_page_text(p, ", ");
    }
    web_page_msg_args(p, WEB_MSG_AP_SINCE, a2, 1);
}

void web_pg_expiry_text(struct web_page *p, int64_t not_after)
{
    char date[32];
    if (not_after <= 0) {
        web_page_msg(p, WEB_MSG_AP_NO_CERTIFICATE);
        return;
    }
    web_pg_time(not_after, WEB_PG_DATE, date);
    web_page_text(p, date);
}

void web_pg_person_name(struct web_page *p, const struct app_application *a)
{
    web_page_text(p, a->first_name);
    web_page_text(p, " ");
    web_page_text(p, a->last_name);
}

void web_pg_filter_open(struct web_page *p, const char *action, bool narrowed)
{
    web_page_open_class(p, WEB_EL_DETAILS, "queue-filter");
    if (narrowed)
        web_page_flag(p, "open");
    web_page_el_msg(p, WEB_EL_SUMMARY, WEB_MSG_AP_FILTER_TITLE);
    web_page_open(p, WEB_EL_FORM);
    web_page_attr(p, "method", "get");
    web_page_attr(p, "action", action);
    web_page_attr(p, "class", "filter-form");
    web_page_flag(p, "novalidate");
    web_page_open_class(p, WEB_EL_DIV, "filter-fields");
}

void web_pg_filter_close(struct web_page *p, const char *action)
{
    web_page_close(p, WEB_EL_DIV);
    web_page_open_class(p, WEB_EL_DIV, "buttons");
    web_page_button(p, WEB_MSG_AP_F_APPLY, WEB_BUTTON_PRIMARY, NULL, NULL);
    web_page_open(p, WEB_EL_A);
    web_page_attr(p, "href", action);
    web_page_msg(p, WEB_MSG_AP_F_CLEAR);
    web_page_close(p, WEB_EL_A);
    web_page_close(p, WEB_EL_DIV);
    web_page_close(p, WEB_EL_FORM);
    web_page_close(p, WEB_EL_DETAILS);
}
