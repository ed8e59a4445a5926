/* eimza — the pages' room (web/pages/): the handlers of the HTML pages, one file per page group,
 * and the helpers every page shares, applicant's and staff's alike.
 *
 * A page handler is thin: it opens a page context (the request, the language, the clock, the
 * session and who it is), decodes a posted form, calls the use case (app/), and writes the page
 * with the page writer (web/html/page.h) or answers 303 See Other. Plain HTML forms that work
 * without JavaScript: a POST that succeeds answers 303 to the next step (a reload never sends it
 * twice); one that fails shows the form again with the error summary and the fields' messages.
 *
 * Errors a handler returns without a page of its own (a body that is not a form, the database out
 * of reach, memory) are answered as a small HTML page by web_pg_error_page(), which the route
 * table names for every page route (web/http/router.h: the route's `answer`), so a handler never
 * wraps itself to say "as HTML".
 *
 * The applicant's session is the API's cookie and every form carries its CSRF token; the login
 * forms, made before there is a session, carry a token bound to a cookie of their own (double
 * submit, web/http/csrf.h). The staff's pages work the same way with the staff's session.
 */
#ifndef EIMZA_WEB_PAGES_PAGES_H
#define EIMZA_WEB_PAGES_PAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/admin.h"
#include "app/portal.h"
#include "app/text.h"
#include "web/html/page.h"
#include "web/http/context.h"
#include "web/http/formdata.h"
#include "web/http/request.h"

/* ---- the handlers (named by web/routes.c) -------------------------------------------------- */

/* landing.c: GET / and, under --dev, GET/POST /ornek-form (every component, hostile values). */
enum web_err web_h_landing(struct web_req *rq);
enum web_err web_h_demo_form(struct web_req *rq);

/* The applicant's steps: login.c (/giris, /cikis), form.c (/basvuru), summary.c (/kontrol,
 * /basvuru/tamam, /basvuru/ozet), code.c (/sms, /sms/gonder, /sms/dogrula), method.c
 * (/yontem), signing.c (/imza), status.c (/durum); help.c (/yardim, /erisilebilirlik, /logo). */
enum web_err web_h_page_login(struct web_req *rq);
enum web_err web_h_page_logout(struct web_req *rq);
enum web_err web_h_page_form(struct web_req *rq);
enum web_err web_h_page_sms(struct web_req *rq);
enum web_err web_h_page_sms_get(struct web_req *rq);
enum web_err web_h_page_sms_send(struct web_req *rq);
enum web_err web_h_page_sms_verify(struct web_req *rq);
enum web_err web_h_page_method(struct web_req *rq);
enum web_err web_h_page_sign(struct web_req *rq);
enum web_err web_h_page_status(struct web_req *rq);
enum web_err web_h_page_check(struct web_req *rq);
enum web_err web_h_page_done(struct web_req *rq);
enum web_err web_h_page_print(struct web_req *rq);
enum web_err web_h_page_help(struct web_req *rq);
enum web_err web_h_page_accessibility(struct web_req *rq);
enum web_err web_h_logo(struct web_req *rq);

/* After the decision (flow_holder.c): /durum/yeni (a new application), /iptal (cancel before
 * the decision, after a confirmation), /durum/teslim (the card arrived); and the status page's
 * parts about it. */
enum web_err web_h_page_new_application(struct web_req *rq);
enum web_err web_h_page_cancel(struct web_req *rq);
enum web_err web_h_page_delivery(struct web_req *rq);
/* The new in-house card's PIN (flow_holder.c): /pin, /pin/sozcuk (the security word), /pin/kod
 * (the SMS code, then the PIN and PUK shown once). */
enum web_err web_h_page_pin(struct web_req *rq);
enum web_err web_h_page_pin_word(struct web_req *rq);
enum web_err web_h_page_pin_code(struct web_req *rq);
/* "Try my new card" (flow_holder.c): /kart-dene, the signing page pointed at the card test. */
enum web_err web_h_page_card_test(struct web_req *rq);

/* The staff's pages after approval (flow_staff.c): /yonetim/uretim (the view and, with a card
 * bureau, the batches and the files coming back), /yonetim/partiler (a new batch),
 * /yonetim/dosya (a file's rows), /yonetim/kart/{id} (one application's card and the
 * operator's actions). */
enum web_err web_h_staff_production(struct web_req *rq);
enum web_err web_h_staff_batch(struct web_req *rq);
enum web_err web_h_staff_file(struct web_req *rq);
enum web_err web_h_staff_card(struct web_req *rq);

/* The staff's pages: staff_login.c (/yonetim/giris, /yonetim/cikis), queue.c (/yonetim,
 * /yonetim/toplu-onay), detail.c (/yonetim/basvuru/{id}), dashboard.c (/yonetim/pano,
 * /yonetim/bitecekler), messages.c (/yonetim/iletiler). */
enum web_err web_h_staff_login(struct web_req *rq);
enum web_err web_h_staff_logout(struct web_req *rq);
enum web_err web_h_staff_queue(struct web_req *rq);
enum web_err web_h_staff_bulk(struct web_req *rq);
enum web_err web_h_staff_detail(struct web_req *rq);
enum web_err web_h_staff_dashboard(struct web_req *rq);
enum web_err web_h_staff_expiring(struct web_req *rq);
enum web_err web_h_staff_messages(struct web_req *rq);
enum web_err web_h_staff_message_action(struct web_req *rq);
/* search.c (issue 17): /yonetim/ara, the search by number, T.C. Kimlik No or name. */
enum web_err web_h_staff_search(struct web_req *rq);
/* For admins (issue 17): accounts.c (/yonetim/hesaplar, /yonetim/hesaplar/{name}), audit.c
 * (/yonetim/denetim), import.c (/yonetim/aktarim). */
enum web_err web_h_staff_accounts(struct web_req *rq);
enum web_err web_h_staff_account(struct web_req *rq);
enum web_err web_h_staff_audit(struct web_req *rq);
enum web_err web_h_staff_import(struct web_req *rq);
enum web_err web_h_staff_import_report(struct web_req *rq);

/* The answer to an error a page handler returned without answering: a small page (404, 403 with
 * the error's message, 500/503; database_unavailable says to try again in a few minutes and,
 * to applicants, to ask their DYS unit, to staff, their system administrator), applicant's or
 * staff's as the route says. For the server
 * (web/http/server.h). Returns WEB_OK once answered, else e. */
enum web_err web_pg_error_page(struct web_req *rq, enum web_err e);

/* ---- what every page handler works with ----------------------------------------------------- */

enum web_pg_side { WEB_PG_APPLICANT = 0, WEB_PG_STAFF };

/* What a staff page was about to do, so that a 403 says who may do it (issue 17); set by the
 * handler before it calls the use case. NONE: the page says what each role is for. */
enum web_pg_need {
    WEB_PG_NEED_NONE = 0,
    WEB_PG_NEED_DECIDE,   /* approve or reject: approvers and admins */
    WEB_PG_NEED_PAPER,    /* record the signed paper: operators and admins */
    WEB_PG_NEED_MESSAGES, /* the messages that need the operator: operators and admins */
    WEB_PG_NEED_ADMIN,    /* staff accounts, the audit log, the personnel import: admins */
    WEB_PG_NEED_TCKN,     /* the full T.C. Kimlik No: the province's approver */
};

struct web_pg {
    struct web_req *rq;
    enum web_pg_side side;
    enum core_lang lang;
    struct app_ctx app;          /* the use cases' context (web/http/context.h) */
    const struct app_staff *who; /* staff pages: who is signed in (after web_pg_enter_staff) */
    struct app_err err;          /* the last use case's refusal */
    struct web_formdata form;    /* POST handlers: the decoded body */
    enum web_pg_need need;       /* staff pages: what a refusal would be about */
    /* applicant pages: the application's card is no longer awaited, or never will be (set by
     * web_pg_enter; web_pg_begin passes it to the page: web_page.card_settled) */
    bool card_settled;
};

/* Starts a context (language from the request, the portal's clock, the credentials of the
 * side's session; the database is borrowed by web_pg_db or on entering). web_pg_done frees the
 * decoded form. */
void web_pg_init(struct web_pg *c, struct web_req *rq, enum web_pg_side side);
void web_pg_done(struct web_pg *c);

/* The database connection (borrowed now); NULL when it cannot be reached. */
struct store *web_pg_db(struct web_pg *c);
/* The session's CSRF token, for the forms of the page ("" before entering). */
const char *web_pg_csrf(const struct web_pg *c);

/* Decodes a posted form into c->form (its csrf_token field becomes the context's form token):
 * WEB_OK, WEB_E_MEDIA_TYPE unless it is sent as application/x-www-form-urlencoded,
 * WEB_E_BAD_REQUEST when it does not decode. */
enum web_err web_pg_read_form(struct web_pg *c);
const char *web_pg_field(const struct web_pg *c, const char *name);
/* True for a POST. */
bool web_pg_is_post(const struct web_pg *c);

/* The applicant's session and application for a step page (POSTs: the form decoded and its
 * CSRF token checked). True to go on; otherwise *rc is the answer given: 303 /giris without a
 * session, a 403 page for a bad CSRF token. An application delivered, completed, rejected or
 * cancelled has no card to wait for: its pages' footer says nothing of a late one. */
bool web_pg_enter(struct web_pg *c, bool post, struct app_view *v, enum web_err *rc);
/* The same for a staff page: the staff session and who it is (303 /yonetim/giris without). */
bool web_pg_enter_staff(struct web_pg *c, bool post, enum web_err *rc);
/* web_pg_enter_staff for an admins' page: someone of another role is answered 403 saying the
 * page is for admins (c->need is set to WEB_PG_NEED_ADMIN). */
bool web_pg_enter_admin(struct web_pg *c, bool post, enum web_err *rc);

/* The page of the step an application is at (/basvuru, /sms, /yontem, /imza or /durum), and
 * whether it is in a state. */
const char *web_pg_step_path(const struct app_application *a);
bool web_pg_in_state(const struct app_application *a, enum core_app_state want);

/* A use case's failure (c->err) that the page has no better answer for: one without a code
 * (the database failing, a bug) is web_app_failure's, answered alike on every route (503
 * database_unavailable with Retry-After, or 500: web/http/error.h, the page by
 * web_pg_error_page); else 303 to the login without a session, a 403 / 404 page, for the
 * applicant a 303 to the step the application is at when it moved on meanwhile, for the staff
 * a 400 / 409 page with the reason, a 503 page with the reason (ca_unavailable, ...), else
 * 500. */
enum web_err web_pg_app_failure(struct web_pg *c);

/* ---- answers ------------------------------------------------------------------------------- */

/* 303 See Other to where (a path of ours). */
enum web_err web_pg_see_other(struct web_req *rq, const char *where);
/* A small page for a refusal or a failure: a heading, a sentence (text, or the message
 * text_key when text is NULL) and a way on: the applicant's home page, or the staff's queue. */
enum web_err web_pg_error(struct web_pg *c, unsigned status, enum web_msg title, const char *text,
                          enum web_msg text_key);
/* The same with the way on given: a link to href (a path of ours) labelled link. */
enum web_err web_pg_error_to(struct web_pg *c, unsigned status, enum web_msg title,
                             const char *text, enum web_msg text_key, const char *href,
                             enum web_msg link);
/* 403 with the reason code's message; 404 "no such page"; 500. On the staff side with a
 * staff member signed in, forbidden_role and forbidden_province say whose work it is (c->need),
 * what the member's own role is for, and whom to ask (issue 17). */
/* A use case's reason code in words for this page's reader: on a staff page the staff's words
 * where the reason has them (app_staff_reason_text: "staff.<code>"), else the general ones; on
 * the holder's pages the deployment's (app_reason_text_deployed: "reason_inhouse.<code>" where
 * the cards are made in house). */
const char *web_pg_reason(const struct web_pg *c, const char *code);
/* True where the cards are made in house (production = inhouse): the pages' texts and reasons
 * are their in-house twins where they have one (web_msg_deployed, app_reason_text_deployed). */
bool web_pg_inhouse(const struct web_pg *c);
enum web_err web_pg_403(struct web_pg *c, const char *code);
enum web_err web_pg_404(struct web_pg *c);
enum web_err web_pg_500(struct web_pg *c);

/* The language of the pages for this request: ?lang=tr|en, else the "lang" cookie, else
 * Accept-Language (web_req_lang). A ?lang= choice is remembered in the cookie (a response
 * header added here). */
enum core_lang web_pg_lang(struct web_req *rq);
/* Answers with the page (text/html; charset=utf-8) and status, or WEB_E_INTERNAL /
 * WEB_E_NOMEM when the page failed. Adds Vary: Accept-Language, Cookie. The page stays the
 * caller's to free. */
enum web_err web_pg_answer(struct web_req *rq, struct web_page *p, unsigned status);

/* The page of this request's language: the page writer started in c->lang. */
void web_pg_page(const struct web_pg *c, struct web_page *p);
/* The layout's opening (web_page_begin) with what the context knows: who runs the portal, and
 * an applicant's session (the warning before it ends, web_page_end). */
void web_pg_begin(const struct web_pg *c, struct web_page *p, const struct web_layout *l);
/* A page with a form: web_pg_page, the layout's opening and the error summary of n items. */
void web_pg_form_page(const struct web_pg *c, struct web_page *p, const struct web_layout *l,
                      const struct web_error_item *items, size_t n);
/* Answers with the page and frees it (web_page_reply). */
enum web_err web_pg_reply(struct web_pg *c, struct web_page *p, unsigned status);

/* ---- the login forms (double-submit CSRF cookie, web/http/csrf.h) -------------------------- */

/* True when the posted form's csrf_token matches the login cookie `cookie`. */
bool web_pg_login_csrf_ok(const struct web_pg *c, const char *cookie);
/* After a good login: clears the login cookie (scoped to path) and answers 303 to where. */
enum web_err web_pg_login_done(struct web_pg *c, const char *cookie, const char *path,
                               const char *where);
/* A Retry-After header of seconds (a 429 page). */
void web_pg_retry_after(struct web_pg *c, int64_t seconds);

/* ---- time ----------------------------------------------------------------------------------- */

/* Turkey's time (app_time_tr: core/date.h is the one place that converts). */
enum web_pg_time {
    WEB_PG_CLOCK = APP_TIME_CLOCK,       /* 14:05 */
    WEB_PG_DATE = APP_TIME_DATE,         /* 27.03.2026 */
    WEB_PG_DATETIME = APP_TIME_DATETIME, /* 27.03.2026 14:05 */
    WEB_PG_ISO = APP_TIME_ISO,           /* 2026-03-27T14:05+03:00 */
};
/* A moment t (Unix seconds) in Turkish time; "" when it cannot be written. */
void web_pg_time(int64_t t, enum web_pg_time fmt, char out[32]);

/* ---- pieces of pages ------------------------------------------------------------------------ */

/* A catalogue text (web_msg, web_msg_n) with {0} replaced by arg, into out: for an attribute or
 * a title, which the page writer escapes as it writes them. Returns out. */
const char *web_pg_fill(const char *text, const char *arg, char *out, size_t cap);
/* A wrong entry's message at its field, the way every step says it: short, with the tries left
 * (key: a plural text, {0} the tries left; WEB_MSG_FP_WORD_WRONG, WEB_MSG_OTP_CODE_WRONG), into
 * out. Returns out. */
const char *web_pg_wrong_left(enum web_msg key, int left, enum core_lang lang, char *out,
                              size_t cap);
/* <h1>key</h1>, <p>key</p>, <p>key with args</p>, <p>text</p> */
void web_pg_heading(struct web_page *p, enum web_msg key);
void web_pg_para(struct web_page *p, enum web_msg key);
void web_pg_para_args(struct web_page *p, enum web_msg key, const char *const *args, size_t n);
void web_pg_text_para(struct web_page *p, const char *text);
/* A notice box holding one paragraph of key with args. */
void web_pg_notice(struct web_page *p, enum web_notice_kind kind, enum web_msg key,
                   const char *const *args, size_t n);
/* "You can try again from 14:05 (in about 15 minutes)": nothing when retry_after <= 0. */
void web_pg_retry_notice(struct web_page *p, int64_t now, int64_t retry_after);
/* <p class="app-number">Başvuru No: ...</p> */
void web_pg_app_number(struct web_page *p, const char *number);
/* An error summary item for a message that belongs to no field. */
struct web_error_item web_pg_message_item(const char *message);
/* Maps the use case's per-field errors onto the page's fields (the first per field wins);
 * those that match no field go to extra[] as messages without a link. Returns how many went
 * there. The messages are the card bureau's deployment's (the staff's pages: no reason they
 * show has an in-house twin); web_pg_form_errors maps c->err in c's own deployment. */
size_t web_pg_field_errors(const struct app_err *e, enum core_lang lang, struct web_field *f,
                           size_t nf, struct web_error_item *extra, size_t cap);
size_t web_pg_form_errors(const struct web_pg *c, struct web_field *f, size_t nf,
                          struct web_error_item *extra, size_t cap);
/* The error summary's items: the fields' errors in page order, then extra. */
size_t web_pg_summary_items(const struct web_field *f, size_t nf,
                            const struct web_error_item *extra, size_t nextra,
                            struct web_error_item *out, size_t cap);

/* <input type="hidden" name="NAME" value="VALUE">; nothing for a NULL or empty value. */
void web_pg_hidden(struct web_page *p, const char *name, const char *value);
/* A staff list's filter: a details box (open when narrowed) holding a GET form to action;
 * web_pg_filter_open leaves the fields' div open for the caller's fields, web_pg_filter_close
 * closes it and writes "Apply" and "Clear" (a link to action). */
void web_pg_filter_open(struct web_page *p, const char *action, bool narrowed);
void web_pg_filter_close(struct web_page *p, const char *action);
/* Writes a picture (a chart, a QR code) made by a writer that returned r: a failure fails the
 * page. */
void web_pg_svg_result(struct web_page *p, int r);

/* Appends "&name=value" (the first without '&') with value percent-encoded; web_pg_q_add leaves
 * an empty value out. 0 or -1. */
int web_pg_q_put(struct ubuf *q, const char *name, const char *value);
int web_pg_q_add(struct ubuf *q, const char *name, const char *value);
int web_pg_q_add_long(struct ubuf *q, const char *name, long v);

/* ---- the staff's pages ---------------------------------------------------------------------- */

bool web_pg_role_is(const struct app_staff *w, const char *role);
bool web_pg_may_decide(const struct app_staff *w);
bool web_pg_may_record_paper(const struct app_staff *w);
bool web_pg_may_see_messages(const struct app_staff *w);

enum web_pg_nav {
    WEB_PG_NAV_NONE,
    WEB_PG_NAV_QUEUE,
    WEB_PG_NAV_DASHBOARD,
    WEB_PG_NAV_MESSAGES,
    WEB_PG_NAV_PRODUCTION, /* the cards after approval (flow_staff.c) */
    WEB_PG_NAV_SEARCH,     /* the search page (no search box in the header then) */
    WEB_PG_NAV_ACCOUNTS,   /* issue 17, admins: staff accounts, the audit log, the import */
    WEB_PG_NAV_AUDIT,
    WEB_PG_NAV_IMPORT,
};
/* The layout's opening and the staff navigation: the queue, the dashboard (the messages for
 * operators and admins), who is signed in, the search box and the logout button. */
void web_pg_staff_begin(struct web_pg *c, struct web_page *p, const struct web_layout *l,
                        enum web_pg_nav current);
/* The end of a staff page (web_page_end with the staff's footer: whom the pages are for, that
 * personal data are for the work only and every action is on record, Turkish time, the
 * version). */
void web_pg_staff_end(struct web_pg *c, struct web_page *p);

/* Table pieces: the header cells of a table whose <thead><tr> is open, then the start of its
 * body; a <td> with its column's name for the phone's card layout. */
void web_pg_head_cells(struct web_page *p, const enum web_msg *cols, size_t n);
void web_pg_td_begin(struct web_page *p, enum web_msg col);
/* The end of a list drawn row by row as a table in its wrapper (<div><table>...<tbody>, the
 * first row opening them): closes them after n rows, or says `empty` when there were none. */
void web_pg_rows_end(struct web_page *p, size_t n, enum web_msg empty);

/* The wet path in one set of words, wherever it is shown (the confirmation, the status page):
 * print the form (its button), sign it, and send it to the provincial directorate of plate
 * (the DYS unit's name and postal address when configured, app/site.h), and what happens
 * when it arrives. */
void web_pg_wet_howto(const struct web_pg *c, struct web_page *p, int plate);

/* The verdict as a badge and the reasons in the approver's words; a state's label; "12 days,
 * since 01.03.2026"; a certificate's end date (or "none"); a person's name. */
void web_pg_verdict_badge(struct web_page *p, const struct core_verdict *v);
/* labels: the reasons as short labels, for a list of many applications (the queue): each label a
 * disclosure (details) whose sentence shows when opened, to the eye and to a screen reader
 * alike, and is written once (no title beside it, which a screen reader read as well). */
void web_pg_verdict_reasons(struct web_page *p, const struct core_verdict *v, bool labels);
void web_pg_state_text(struct web_page *p, const struct app_application *a);
void web_pg_waiting_text(struct web_page *p, int64_t now, int64_t since);
/* A list's row: the masked T.C. Kimlik No under the name ("T.C. Kimlik No: 123******46"), its
 * short name in both languages (the queue, the search; the holder's pages keep the long English
 * "Turkish ID number (T.C. Kimlik No)"). */
void web_pg_id_line(struct web_page *p, const char *tckn_masked);
/* A list's pages (GOV.UK's pagination), under the table they turn: "previous", the page numbers
 * (the first, the last and two around this one, "…" for the gaps), "next", and "Page 3 of 9",
 * every number in the language's digit groups ("1.234", "1,234"). base is the list's address
 * with its query ("/yonetim?state=submitted"), to which "&offset=N" is added; per_page rows a
 * page. Nothing when everything is on this page. */
void web_pg_pager(struct web_page *p, const char *base, long offset, long total, size_t shown,
                  long per_page);
void web_pg_expiry_text(struct web_page *p, int64_t not_after);
void web_pg_person_name(struct web_page *p, const struct app_application *a);

/* ---- after the decision: the status page's parts (flow_holder.c) -------------------------- */

/* The decision's reason and what to do (under "what happens next"), and the card, the new
 * certificate, the PIN and the actions of the holder (before the timeline). */
void web_pg_flow_decision(struct web_pg *c, struct web_page *p, const struct app_status_view *sv);
void web_pg_flow_after(struct web_pg *c, struct web_page *p, const struct app_status_view *sv);
/* A card's state ("shipped") in the page's words. */
void web_pg_card_state_text(struct web_page *p, const char *state);

#endif
