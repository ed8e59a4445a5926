/* eimza — the approvers' queue (web/pages/): /yonetim with its filter, the verdict of each
 * application, paging, the CSV export, and the bulk approval (/yonetim/toplu-onay). An approver
 * works in one province: asking for another is a 403 page, while the use cases limit every list
 * to theirs anyway. The T.C. Kimlik No is shown masked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/text.h"
#include "web/pages/pages.h"

#define QUEUE_PAGE 50 /* rows of the queue per page */

/* ---- /yonetim: the queue --------------------------------------------------------------------- */

/* A row of the queue, copied out of the use case's callback. */
struct qrow {
    struct app_application app;
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
static void read_queue_query(struct web_pg *c, struct queue_query *q,
                             const char *(*get)(const struct web_pg *, const char *))
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
        if (web_pg_parse_count(v, 81, &n))
            q->f.province = (int)n;
        else
            q->errors[FL_PROVINCE] = app_reason_text("province_unknown", c->lang);
    }
    v = q->values[FL_LATE];
    if (v && !strcmp(v, "1"))
        q->f.late = 1;
    else if (v && !strcmp(v, "0"))
        q->f.late = 0;
    v = q->values[FL_DAYS];
    if (v && *v) {
        if (web_pg_parse_count(v, 100000, &n))
            q->f.min_waiting_days = (int)n;
        else
            q->errors[FL_DAYS] = web_msg(WEB_MSG_AP_F_BAD_NUMBER, c->lang);
    }
    v = get ? NULL : web_req_query(c->rq, "offset");
    if (v && *v && web_pg_parse_count(v, 1000000, &n))
        q->offset = n;
    for (int i = 0; i < FL_N; i++)
        q->bad |= q->errors[i] != NULL;
}

/* The filter as a query string (without offset). Returns 0 or -1. */
static int queue_query_string(const struct queue_query *q, struct ubuf *out)
{
    /* the state always, so that "every state" ("state=") is not read as the default */
    int r = web_pg_q_put(out, "state", q->values[FL_STATE]);
    for (int i = FL_STATE + 1; i < FL_N; i++)
        r |= web_pg_q_add(out, filter_names[i], q->values[i]);
    return r < 0 ? -1 : 0;
}

static void filter_form(struct web_pg *c, struct web_page *p, struct queue_query *q)
{
    struct web_option states[CORE_APP__STATE_COUNT];
    struct web_option provinces[82];
    char plates[81][3];
    size_t ns = 0;
    states[ns++] = (struct web_option){"", WEB_MSG_AP_F_ANY_STATE, NULL, WEB_MSG_NONE};
    for (int s = CORE_APP_CODE_VERIFIED; s < CORE_APP__STATE_COUNT; s++)
        states[ns++] =
            (struct web_option){app_state_code((enum core_app_state)s), WEB_MSG_NONE,
                                app_state_label((enum core_app_state)s, c->lang), WEB_MSG_NONE};
    provinces[0] = (struct web_option){"", WEB_MSG_AP_F_ALL_PROVINCES, NULL, WEB_MSG_NONE};
    for (int i = 0; i < 81; i++) {
        snprintf(plates[i], sizeof plates[i], "%d", i + 1);
        provinces[i + 1] =
            (struct web_option){plates[i], WEB_MSG_NONE, app_province_name(i + 1), WEB_MSG_NONE};
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
    web_page_open_class(p, WEB_EL_DETAILS, "queue-filter");
    bool narrowed = q->bad || strcmp(q->values[FL_STATE], "submitted") != 0;
    for (int i = FL_STATE + 1; i < FL_N; i++)
        narrowed |= q->values[i] && *q->values[i];
    if (narrowed)
        web_page_flag(p, "open");
    web_page_el_msg(p, WEB_EL_SUMMARY, WEB_MSG_AP_FILTER_TITLE);
    web_page_open(p, WEB_EL_FORM);
    web_page_attr(p, "method", "get");
    web_page_attr(p, "action", "/yonetim");
    web_page_attr(p, "class", "filter-form");
    web_page_flag(p, "novalidate");
    web_page_open_class(p, WEB_EL_DIV, "filter-fields");
    for (int i = 0; i < FL_N; i++)
        if (i != FL_PROVINCE || !web_pg_role_is(c->who, "approver"))
            web_page_field(p, &f[i]);
    web_page_close(p, WEB_EL_DIV);
    web_page_open_class(p, WEB_EL_DIV, "buttons");
    web_page_open(p, WEB_EL_BUTTON);
    web_page_attr(p, "type", "submit");
    web_page_msg(p, WEB_MSG_AP_F_APPLY);
    web_page_close(p, WEB_EL_BUTTON);
    web_page_open(p, WEB_EL_A);
    web_page_attr(p, "href", "/yonetim");
    web_page_msg(p, WEB_MSG_AP_F_CLEAR);
    web_page_close(p, WEB_EL_A);
    web_page_close(p, WEB_EL_DIV);
    web_page_close(p, WEB_EL_FORM);
    web_page_close(p, WEB_EL_DETAILS);
}

/* Whether no decision was taken yet: the verdict and the waiting time mean something only
 * then (a decided application shows its last change instead). */
static bool row_undecided(const struct app_application *a)
{
    return a->st == CORE_APP_DRAFT || a->st == CORE_APP_CODE_VERIFIED ||
           a->st == CORE_APP_SUBMITTED || a->st == CORE_APP_AWAITING_ORIGINAL;
}

/* The queue as a table of five columns (a card per row on a phone): the number linking to
 * the application; the person (name, masked number, institution); the state and how long it
 * has waited; the certificate's end and the late flag; the verdict with its reasons. */
static void queue_table(struct web_pg *c, struct web_page *p, const struct qrows *rows)
{
    static const enum web_msg cols[] = {
        WEB_MSG_AP_COL_NUMBER, WEB_MSG_AP_COL_APPLICANT, WEB_MSG_AP_COL_STATE,
        WEB_MSG_AP_COL_EXPIRY, WEB_MSG_AP_COL_VERDICT,
    };
    web_page_open_class(p, WEB_EL_TABLE, "queue cards");
    web_page_el_msg(p, WEB_EL_CAPTION, WEB_MSG_AP_QUEUE_CAPTION);
    web_page_open(p, WEB_EL_THEAD);
    web_page_open(p, WEB_EL_TR);
    web_pg_head_cells(p, cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; i < rows->n; i++) {
        const struct qrow *r = &rows->rows[i];
        char href[48];
        snprintf(href, sizeof href, "/yonetim/basvuru/%lld", (long long)r->app.id);
        web_page_open(p, WEB_EL_TR);
        web_page_attr(p, "data-number", r->app.number);
        web_page_open(p, WEB_EL_TH);
        web_page_attr(p, "scope", "row");
        web_page_attr_msg(p, "data-label", WEB_MSG_AP_COL_NUMBER);
        web_page_open(p, WEB_EL_A);
        web_page_attr(p, "href", href);
        web_page_text(p, r->app.number);
        web_page_close(p, WEB_EL_A);
        web_page_close(p, WEB_EL_TH);
        web_pg_td_begin(p, WEB_MSG_AP_COL_APPLICANT);
        web_page_open_class(p, WEB_EL_SPAN, "person");
        web_pg_person_name(p, &r->app);
        web_page_close(p, WEB_EL_SPAN);
        web_page_open(p, WEB_EL_BR);
        web_page_open(p, WEB_EL_SMALL);
        web_page_msg(p, WEB_MSG_TCKN);
        web_page_text(p, ": ");
        web_page_open_class(p, WEB_EL_SPAN, "tckn");
        web_page_attr(p, "translate", "no");
        web_page_text(p, r->app.tckn_masked);
        web_page_close(p, WEB_EL_SPAN);
        web_page_close(p, WEB_EL_SMALL);
        web_page_open(p, WEB_EL_BR);
        web_page_open_class(p, WEB_EL_SMALL, "institution");
        web_page_text(p, r->app.institution_name);
        web_page_close(p, WEB_EL_SMALL);
        web_page_close(p, WEB_EL_TD);
        web_pg_td_begin(p, WEB_MSG_AP_COL_STATE);
        web_pg_state_text(p, &r->app);
        web_page_open(p, WEB_EL_BR);
        web_page_open(p, WEB_EL_SMALL);
        if (row_undecided(&r->app)) {
            web_pg_waiting_text(p, c->app.now, r->waiting_since);
        } else { /* decided: when it last changed, not how long it "waits" */
            char when[32];
            web_pg_time(r->app.updated_at, WEB_PG_DATE, when);
            web_page_msg(p, WEB_MSG_SP_LAST_CHANGE);
            web_page_text(p, ": ");
            web_page_text(p, when);
        }
        web_page_close(p, WEB_EL_SMALL);
        web_page_close(p, WEB_EL_TD);
        web_pg_td_begin(p, WEB_MSG_AP_COL_EXPIRY);
        web_pg_expiry_text(p, r->app.cert_not_after);
        web_page_open(p, WEB_EL_BR);
        if (r->app.late) {
            web_page_open_class(p, WEB_EL_STRONG, "flag-late");
            web_page_msg(p, WEB_MSG_AP_LATE);
            web_page_close(p, WEB_EL_STRONG);
        } else {
            web_page_el_msg(p, WEB_EL_SMALL, WEB_MSG_AP_IN_TIME);
        }
        web_page_close(p, WEB_EL_TD);
        web_page_open_class(p, WEB_EL_TD, "verdict-cell");
        web_page_attr_msg(p, "data-label", WEB_MSG_AP_COL_VERDICT);
        if (row_undecided(&r->app)) {
            web_pg_verdict_badge(p, &r->verdict);
            web_pg_verdict_reasons(p, &r->verdict);
        } else {
            web_page_msg(p, r->app.st == CORE_APP_CANCELLED ? WEB_MSG_AP_NONE : WEB_MSG_SP_DECIDED);
        }
        web_page_close(p, WEB_EL_TD);
        web_page_close(p, WEB_EL_TR);
    }
    web_page_close(p, WEB_EL_TBODY);
    web_page_close(p, WEB_EL_TABLE);
}

/* The success notices a decision's 303 carries back (?karar=onay&no=..., ?onaylanan=N). */
static void queue_flash(struct web_pg *c, struct web_page *p)
{
    const char *k = web_req_query(c->rq, "karar"), *no = web_req_query(c->rq, "no");
    long approved, skipped;
    bool no_ok = no && *no && strlen(no) <= APP_NUMBER_LEN &&
                 strspn(no, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(no);
    if (k && no_ok && (!strcmp(k, "onay") || !strcmp(k, "ret"))) {
        const char *args[] = {no};
        web_pg_notice(p, WEB_NOTICE_SUCCESS,
                      !strcmp(k, "onay") ? WEB_MSG_AP_FLASH_APPROVED : WEB_MSG_AP_FLASH_REJECTED,
                      args, 1);
    }
    if (web_pg_parse_count(web_req_query(c->rq, "onaylanan"), 1000000, &approved) &&
        web_pg_parse_count(web_req_query(c->rq, "atlanan"), 1000000, &skipped)) {
        char a[24], s[24];
        snprintf(a, sizeof a, "%ld", approved);
        snprintf(s, sizeof s, "%ld", skipped);
        const char *args[] = {a, s};
        web_pg_notice(p, WEB_NOTICE_SUCCESS, WEB_MSG_AP_BULK_DONE, args, 2);
    }
}

/* One of the pager's links: the same filter from another offset (href is scratch space). */
static void pager_link(struct web_page *p, struct ubuf *href, const struct ubuf *qs, long offset,
                       const char *rel, enum web_msg label)
{
    ubuf_reset(href);
    if ((ubuf_puts(href, "/yonetim?") | ubuf_puts(href, ubuf_str(qs)) | ubuf_putc(href, '&') |
         web_pg_q_add_long(href, "offset", offset)) < 0)
        web_page_fail(p);
    web_page_open(p, WEB_EL_A);
    web_page_attr(p, "rel", rel);
    web_page_attr(p, "href", ubuf_str(href));
    web_page_msg(p, label);
    web_page_close(p, WEB_EL_A);
}

static void queue_pager(struct web_page *p, const struct ubuf *qs, long offset, long total,
                        size_t shown)
{
    struct ubuf href = UBUF_INIT(4096);
    bool prev = offset > 0, next = offset + (long)shown < total;
    if (!prev && !next)
        return;
    web_page_open_class(p, WEB_EL_NAV, "pager");
    web_page_attr_msg(p, "aria-label", WEB_MSG_AP_QUEUE_CAPTION);
    if (prev)
        pager_link(p, &href, qs, offset > QUEUE_PAGE ? offset - QUEUE_PAGE : 0, "prev",
                   WEB_MSG_AP_PREV_PAGE);
    if (next)
        pager_link(p, &href, qs, offset + (long)shown, "next", WEB_MSG_AP_NEXT_PAGE);
    web_page_close(p, WEB_EL_NAV);
    ubuf_free(&href);
}

/* The error summary's items: each refused filter on its field, or one general message. */
static size_t queue_error_items(struct web_pg *c, const struct queue_query *q,
                                struct web_error_item items[FL_N + 1])
{
    size_t n = 0;
    for (int k = 0; k < FL_N; k++)
        if (q->errors[k])
            items[n++] = (struct web_error_item){filter_names[k], filter_labels[k], q->errors[k]};
    if (q->bad && n == 0)
        items[n++] =
            (struct web_error_item){NULL, WEB_MSG_NONE, app_reason_text("invalid_fields", c->lang)};
    return n;
}

/* The page of results: how many, the table and the pager; or that there are none. */
static void queue_results(struct web_pg *c, struct web_page *p, const struct queue_query *q,
                          const struct qrows *rows, long total, const struct ubuf *qs)
{
    if (rows->n == 0) {
        web_pg_para(p, WEB_MSG_AP_QUEUE_EMPTY);
        return;
    }
    char tot[24], first[24], last[24];
    snprintf(tot, sizeof tot, "%ld", total);
    snprintf(first, sizeof first, "%ld", q->offset + 1);
    snprintf(last, sizeof last, "%ld", q->offset + (long)rows->n);
    const char *args[] = {tot, first, last};
    web_page_open_class(p, WEB_EL_P, "queue-count");
    web_page_msg_args(p, WEB_MSG_AP_QUEUE_COUNT, args, 3);
    web_page_close(p, WEB_EL_P);
    web_page_open_class(p, WEB_EL_DIV, "table-wrap");
    queue_table(c, p, rows);
    web_page_close(p, WEB_EL_DIV);
    queue_pager(p, qs, q->offset, total, rows->n);
}

/* Approving every eligible application the filter shows, in one go (/yonetim/toplu-onay). */
static void bulk_form(struct web_pg *c, struct web_page *p, const struct queue_query *q)
{
    web_page_section_begin(p, WEB_MSG_AP_BULK_TITLE);
    web_pg_para(p, WEB_MSG_AP_BULK_LEAD);
    web_page_form_begin(p, "/yonetim/toplu-onay", web_pg_csrf(c));
    web_page_open(p, WEB_EL_INPUT);
    web_page_attr(p, "type", "hidden");
    web_page_attr(p, "name", "state");
    web_page_attr(p, "value", q->values[FL_STATE]);
    for (int k = FL_STATE + 1; k < FL_N; k++)
        web_pg_hidden(p, filter_names[k], q->values[k]);
    web_page_form_submit(p, WEB_MSG_AP_BULK_BUTTON, WEB_BUTTON_PRIMARY);
    web_page_section_end(p);
}

enum web_err web_h_staff_queue(struct web_req *rq)
{
    struct web_pg c;
    struct queue_query q;
    struct qrows rows = {0};
    struct ubuf qs = UBUF_INIT(4096), csv = UBUF_INIT(4096);
    struct web_page p;
    struct web_error_item items[FL_N + 1];
    long total = 0;
    size_t nitems = 0;
    enum web_err rc;

    web_pg_init(&c, rq, WEB_PG_STAFF);
    web_pg_page(&c, &p);
    if (!web_pg_enter_staff(&c, false, &rc))
        goto out;
    read_queue_query(&c, &q, NULL);
    if (web_pg_role_is(c.who, "approver") && q.f.province && q.f.province != c.who->province) {
        rc = web_pg_403(&c, "forbidden_province");
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
    if (!q.bad && app_admin_list(&c.app, &q.f, collect_row, &rows, &total, &c.err) != APP_OK) {
        if (c.err.status != APP_EINVAL) {
            rc = web_pg_app_failure(&c);
            goto out;
        }
        /* a value the use case refused (an unknown state, ...): on its field */
        for (size_t i = 0; i < c.err.nfields; i++)
            for (int k = 0; k < FL_N; k++)
                if (!strcmp(c.err.fields[i].field, filter_names[k]) && !q.errors[k])
                    q.errors[k] = app_reason_text(c.err.fields[i].code, c.lang);
        q.bad = true;
    }
    nitems = queue_error_items(&c, &q, items);
    if (queue_query_string(&q, &qs) < 0 || ubuf_puts(&csv, "/api/v1/admin/applications.csv?") < 0 ||
        ubuf_puts(&csv, ubuf_str(&qs)) < 0) {
        rc = WEB_E_NOMEM;
        goto out;
    }

    const struct web_layout layout = {.title = WEB_MSG_AP_QUEUE_TITLE, .errors = nitems > 0};
    web_pg_staff_begin(&c, &p, &layout, WEB_PG_NAV_QUEUE);
    web_page_error_summary(&p, items, nitems);
    web_pg_heading(&p, WEB_MSG_AP_QUEUE_TITLE);
    queue_flash(&c, &p);
    filter_form(&c, &p, &q);
    if (!q.bad) {
        queue_results(&c, &p, &q, &rows, total, &qs);
        web_page_open_class(&p, WEB_EL_P, "page-actions");
        web_page_open(&p, WEB_EL_A);
        web_page_flag(&p, "download");
        web_page_attr(&p, "href", ubuf_str(&csv));
        web_page_msg(&p, WEB_MSG_AP_CSV_QUEUE);
        web_page_close(&p, WEB_EL_A);
        web_page_close(&p, WEB_EL_P);
        if (web_pg_may_decide(c.who) && total > 0)
            bulk_form(&c, &p, &q);
    }
    web_pg_staff_end(&c, &p);
    rc = web_pg_answer(rq, &p, nitems ? 400 : 200);
out:
    free(rows.rows);
    ubuf_free(&qs);
    ubuf_free(&csv);
    web_page_free(&p);
    return rc;
}

/* POST /yonetim/toplu-onay: approves the eligible ones of the filter, then back to the queue
 * with the counts (and the same filter). */
enum web_err web_h_staff_bulk(struct web_req *rq)
{
    struct web_pg c;
    struct queue_query q;
    struct ubuf where = UBUF_INIT(4096);
    long approved = 0, skipped = 0;
    enum web_err rc;

    web_pg_init(&c, rq, WEB_PG_STAFF);
    c.need = WEB_PG_NEED_DECIDE;
    if (!web_pg_enter_staff(&c, true, &rc))
        goto out;
    read_queue_query(&c, &q, web_pg_field);
    if (web_pg_role_is(c.who, "approver") && q.f.province && q.f.province != c.who->province) {
        rc = web_pg_403(&c, "forbidden_province");
        goto out;
    }
    if (q.bad) {
        rc = web_pg_error(&c, 400, WEB_MSG_PP_ERR_403_TITLE,
                          app_reason_text("invalid_fields", c.lang), WEB_MSG_NONE);
        goto out;
    }
    if (app_admin_bulk_approve(&c.app, &q.f, &approved, &skipped, &c.err) != APP_OK) {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    if (ubuf_puts(&where, "/yonetim?") < 0 || queue_query_string(&q, &where) < 0 ||
        ubuf_putc(&where, '&') < 0 || web_pg_q_add_long(&where, "onaylanan", approved) < 0 ||
        ubuf_putc(&where, '&') < 0 || web_pg_q_add_long(&where, "atlanan", skipped) < 0) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    rc = web_pg_see_other(rq, ubuf_str(&where));
out:
    ubuf_free(&where);
    web_pg_done(&c);
    return rc;
}
