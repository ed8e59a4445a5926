/* eimza — the staff's search (web/pages/): /yonetim/ara?q=... by application number, T.C.
 * Kimlik No or name (app_admin_search says how each is read). The search box sends its query
 * in a POST (with the session's CSRF token), so that a T.C. Kimlik No or a name never lands in
 * an address, a browser's history or a proxy's log; a GET with ?q= is what the printed form's
 * QR code holds (the application number). A number that finds its application goes straight
 * to it (303), so the QR code opens the application when a phone's camera or a hand-held
 * scanner reads it; without a session the way goes through the login and back here. Results
 * are listed as the queue lists them, the T.C. Kimlik No masked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/text.h"
#include "web/pages/pages.h"

/* A row of the results, copied out of the use case's callback. */
struct srow {
    struct app_application app;
    struct core_verdict verdict;
};

struct srows {
    struct srow rows[APP_SEARCH_MAX];
    size_t n;
};

static int collect(void *ctx, const struct app_queue_item *it)
{
    struct srows *r = ctx;
    if (r->n == APP_SEARCH_MAX)
        return 1;
    r->rows[r->n].app = *it->app;
    r->rows[r->n].verdict = it->verdict;
    r->n++;
    return 0;
}

/* The search form: one field, its label and hint, the button. */
static void search_form(struct web_pg *c, struct web_page *p, const char *q, const char *error)
{
    const struct web_field f = {WEB_FIELD_TEXT,
                                "q",
                                WEB_MSG_SP_SEARCH_LABEL,
                                WEB_MSG_SP_SEARCH_HINT,
                                .value = q,
                                .error = error,
                                .autocomplete = "off",
                                .maxlength = APP_SEARCH_Q_MAX};
    web_page_open(p, WEB_EL_FORM);
    web_page_attr(p, "method", "post");
    web_page_attr(p, "action", "/yonetim/ara");
    web_page_attr(p, "class", "search-form");
    web_page_flag(p, "novalidate");
    web_page_csrf(p, web_pg_csrf(c));
    web_page_field(p, &f);
    web_page_form_submit(p, WEB_MSG_SP_SEARCH_BUTTON, WEB_BUTTON_PRIMARY);
}

/* The results as a table of four columns (a card per row on a phone). */
static void results_table(struct web_page *p, const struct srows *r)
{
    static const enum web_msg cols[] = {WEB_MSG_AP_COL_NUMBER, WEB_MSG_AP_COL_APPLICANT,
                                        WEB_MSG_AP_COL_STATE, WEB_MSG_AP_COL_EXPIRY};
    web_page_open_class(p, WEB_EL_DIV, "table-wrap");
    web_page_open_class(p, WEB_EL_TABLE, "search-results cards");
    web_page_el_msg(p, WEB_EL_CAPTION, WEB_MSG_SP_SEARCH_CAPTION);
    web_page_open(p, WEB_EL_THEAD);
    web_page_open(p, WEB_EL_TR);
    web_pg_head_cells(p, cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; i < r->n; i++) {
        const struct app_application *a = &r->rows[i].app;
        char href[48];
        snprintf(href, sizeof href, "/yonetim/basvuru/%lld", (long long)a->id);
        web_page_open(p, WEB_EL_TR);
        web_page_attr(p, "data-number", a->number);
        web_page_open(p, WEB_EL_TH);
        web_page_attr(p, "scope", "row");
        web_page_attr_msg(p, "data-label", WEB_MSG_AP_COL_NUMBER);
        web_page_open(p, WEB_EL_A);
        web_page_attr(p, "href", href);
        web_page_text(p, a->number);
        web_page_close(p, WEB_EL_A);
        web_page_close(p, WEB_EL_TH);
        web_pg_td_begin(p, WEB_MSG_AP_COL_APPLICANT);
        web_pg_person_name(p, a);
        web_page_open(p, WEB_EL_BR);
        web_pg_id_line(p, a->tckn_masked);
        web_page_open(p, WEB_EL_BR);
        web_page_el_text(p, WEB_EL_SMALL, a->institution_name);
        web_page_close(p, WEB_EL_TD);
        web_pg_td_begin(p, WEB_MSG_AP_COL_STATE);
        web_pg_state_text(p, a);
        web_page_close(p, WEB_EL_TD);
        web_pg_td_begin(p, WEB_MSG_AP_COL_EXPIRY);
        web_pg_expiry_text(p, a->cert_not_after);
        web_page_close(p, WEB_EL_TD);
        web_page_close(p, WEB_EL_TR);
    }
    web_page_close(p, WEB_EL_TBODY);
    web_page_close(p, WEB_EL_TABLE);
    web_page_close(p, WEB_EL_DIV);
}

/* What was found: how many, the table, and a word when not all are shown or none. */
static void results(struct web_pg *c, struct web_page *p, const struct srows *r,
                    const struct app_search_result *res)
{
    char n[WEB_COUNT_MAX];
    if (r->n == 0) {
        web_pg_para(p, WEB_MSG_SP_SEARCH_NONE);
        if (web_pg_role_is(c->who, "approver"))
            web_pg_para(p, WEB_MSG_SP_SEARCH_SCOPE);
        return;
    }
    web_count_text(res->found, p->lang, n);
    const char *args[] = {n};
    web_page_open_class(p, WEB_EL_P, "search-count");
    web_page_msg_args(p, WEB_MSG_SP_SEARCH_FOUND, args, 1);
    web_page_close(p, WEB_EL_P);
    if (res->found > (long)r->n) {
        web_count_text((long)r->n, p->lang, n);
        web_pg_notice(p, WEB_NOTICE_INFO, WEB_MSG_SP_SEARCH_MORE, args, 1);
    }
    results_table(p, r);
}

/* The number in a query that is one, for the way back from the login (only the number's
 * alphabet, so nothing else can ride along). */
static bool number_like(const char *q)
{
    size_t n = q ? strlen(q) : 0;
    return n >= 1 && n <= APP_NUMBER_LEN &&
           strspn(q, "0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyz") == n;
}

enum web_err web_h_staff_search(struct web_req *rq)
{
    struct web_pg c;
    struct web_page p;
    struct srows *rows = NULL;
    struct app_search_result res = {0};
    const char *error = NULL;
    unsigned status = 200;
    enum web_err rc;

    web_pg_init(&c, rq, WEB_PG_STAFF);
    web_pg_page(&c, &p);
    const char *q = web_req_query(rq, "q");
    if (web_pg_is_post(&c)) { /* the search box: the session and its CSRF token */
        if (!web_pg_enter_staff(&c, true, &rc))
            goto out;
        q = web_pg_field(&c, "q");
        q = q ? q : "";
    } else if (!web_pg_db(&c)) {
        rc = WEB_E_DB_UNAVAILABLE;
        goto out;
    } else if (app_authenticate(&c.app, APP_ACTOR_STAFF, &c.err) != APP_OK) {
        /* the QR code read without a session: through the login, then back here */
        if (c.err.status == APP_EAUTH && number_like(q)) {
            char where[64];
            snprintf(where, sizeof where, "/yonetim/giris?ara=%s", q);
            rc = web_pg_see_other(rq, where);
        } else {
            rc = web_pg_app_failure(&c);
        }
        goto out;
    }
    c.who = &c.app.who.staff;
    if (!(rows = calloc(1, sizeof *rows))) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    if (q) {
        if (app_admin_search(&c.app, q, collect, rows, &res, &c.err) != APP_OK) {
            if (c.err.status != APP_EINVAL) {
                rc = web_pg_app_failure(&c);
                goto out;
            }
            error = app_reason_text(c.err.nfields ? c.err.fields[0].code : c.err.code, c.lang);
            status = 400;
        } else if (res.kind == APP_SEARCH_NUMBER && rows->n == 1) {
            char where[48];
            snprintf(where, sizeof where, "/yonetim/basvuru/%lld", (long long)rows->rows[0].app.id);
            rc = web_pg_see_other(rq, where);
            goto out;
        }
    }

    const struct web_error_item item = {"q", WEB_MSG_SP_SEARCH_LABEL, error};
    const struct web_layout layout = {.title = WEB_MSG_SP_SEARCH_TITLE, .errors = error != NULL};
    web_pg_staff_begin(&c, &p, &layout, WEB_PG_NAV_SEARCH);
    web_page_error_summary(&p, &item, error ? 1 : 0);
    web_pg_heading(&p, WEB_MSG_SP_SEARCH_TITLE);
    search_form(&c, &p, q, error);
    if (q && !error)
        results(&c, &p, rows, &res);
    web_pg_staff_end(&c, &p);
    rc = web_pg_answer(rq, &p, status);
out:
    free(rows);
    web_page_free(&p);
    web_pg_done(&c);
    return rc;
}
