/* eimza — the approvers' queue (web/pages/): /yonetim with its filter and order (the most
 * urgent first: the end of the certificate being renewed), the verdict of each application,
 * numbered pages, the CSV export, and the bulk approval (/yonetim/toplu-onay): rows ticked on a
 * page, or every eligible application of the filter, go first to a confirmation page that lists
 * exactly what will be approved, and only its confirmation approves them (issue 17). An
 * approver works in one province: asking for another is a 403 page, while the use cases limit
 * every list to theirs anyway. The T.C. Kimlik No is shown masked.
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
enum filter_field {
    FL_STATE,
    FL_PROVINCE,
    FL_DISTRICT,
    FL_INSTITUTION,
    FL_LATE,
    FL_DAYS,
    FL_ORDER,
    FL_N
};

struct queue_query {
    struct app_queue_filter f;
    const char *values[FL_N];
    const char *errors[FL_N];
    long offset;
    bool bad; /* some field's value was refused */
};

static const char *const filter_names[FL_N] = {
    "state", "province", "district", "institution", "late", "min_waiting_days", "order",
};
static const enum web_msg filter_labels[FL_N] = {
    WEB_MSG_AP_F_STATE, WEB_MSG_AP_F_PROVINCE, WEB_MSG_AP_F_DISTRICT, WEB_MSG_AP_F_INSTITUTION,
    WEB_MSG_AP_F_LATE,  WEB_MSG_AP_F_MIN_DAYS, WEB_MSG_SP_F_ORDER,
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
    q->f.order = q->values[FL_ORDER];
    q->f.institution = q->values[FL_INSTITUTION];
    const char *v = q->values[FL_PROVINCE];
    if (v && *v) {
        if (web_num_parse(v, 0, 81, &n))
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
        if (web_num_parse(v, 0, 100000, &n))
            q->f.min_waiting_days = (int)n;
        else
            q->errors[FL_DAYS] = web_msg(WEB_MSG_AP_F_BAD_NUMBER, c->lang);
    }
    v = get ? NULL : web_req_query(c->rq, "offset");
    if (v && *v && web_num_parse(v, 0, 1000000, &n))
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
    static const struct web_option orders[] = {
        {"urgent", WEB_MSG_SP_ORDER_URGENT, NULL, WEB_MSG_NONE},
        {"waiting", WEB_MSG_SP_ORDER_WAITING, NULL, WEB_MSG_NONE},
    };
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
        [FL_ORDER] = {WEB_FIELD_SELECT, "order", WEB_MSG_SP_F_ORDER, .options = orders,
                      .noptions = 2},
    };
    for (int i = 0; i < FL_N; i++) {
        f[i].value = q->values[i] ? q->values[i] : "";
        f[i].error = q->errors[i];
    }
    if (!f[FL_ORDER].value[0])
        f[FL_ORDER].value = "urgent";
    bool narrowed = q->bad || strcmp(q->values[FL_STATE], "submitted") != 0;
    for (int i = FL_STATE + 1; i < FL_N; i++)
        narrowed |= q->values[i] && *q->values[i];
    web_pg_filter_open(p, "/yonetim", narrowed);
    for (int i = 0; i < FL_N; i++)
        if (i != FL_PROVINCE || !web_pg_role_is(c->who, "approver"))
            web_page_field(p, &f[i]);
    web_pg_filter_close(p, "/yonetim");
}

/* Whether no decision was taken yet: the verdict and the waiting time mean something only
 * then (a decided application shows its last change instead). */
static bool row_undecided(const struct app_application *a)
{
    return a->st == CORE_APP_DRAFT || a->st == CORE_APP_CODE_VERIFIED ||
           a->st == CORE_APP_SUBMITTED || a->st == CORE_APP_AWAITING_ORIGINAL;
}

/* A row that may be ticked for a bulk approval: waiting for the decision and eligible. */
static bool row_approvable(const struct qrow *r)
{
    return r->app.st == CORE_APP_SUBMITTED && r->verdict.eligible;
}

/* The tick of a row (for the bulk approval's review), labelled by its number. */
static void select_cell(struct web_page *p, const struct qrow *r)
{
    char id[32], value[24];
    web_pg_td_begin(p, WEB_MSG_SP_COL_SELECT);
    if (row_approvable(r)) {
        snprintf(id, sizeof id, "sec-%lld", (long long)r->app.id);
        snprintf(value, sizeof value, "%lld", (long long)r->app.id);
        const char *args[] = {r->app.number};
        web_page_open(p, WEB_EL_INPUT);
        web_page_attr(p, "type", "checkbox");
        web_page_attr(p, "name", "id");
        web_page_attr(p, "value", value);
        web_page_attr(p, "id", id);
        web_page_open_class(p, WEB_EL_LABEL, "visually-hidden");
        web_page_attr(p, "for", id);
        web_page_msg_args(p, WEB_MSG_SP_SELECT_LABEL, args, 1);
        web_page_close(p, WEB_EL_LABEL);
    }
    web_page_close(p, WEB_EL_TD);
}

/* The queue as a table of five columns (a card per row on a phone only): the number linking to
 * the application; the person (name, masked number, institution); the state and how long it
 * has waited; the certificate's end and the late flag; the verdict with its reasons. With
 * selectable, a first column ticks the rows that can be approved: its heading is read by a
 * screen reader but not shown (the English word made the column 76 px wide for a 27 px box at
 * 768 px, width the applicant's column lacked), and each tick has its own label. */
static void queue_table(struct web_pg *c, struct web_page *p, const struct qrows *rows,
                        bool selectable, enum web_msg caption)
{
    static const enum web_msg cols[] = {
        WEB_MSG_AP_COL_NUMBER, WEB_MSG_AP_COL_APPLICANT, WEB_MSG_AP_COL_STATE,
        WEB_MSG_AP_COL_EXPIRY, WEB_MSG_AP_COL_VERDICT,
    };
    web_page_open_class(p, WEB_EL_TABLE,
                        selectable ? "queue cards-phone selectable" : "queue cards-phone");
    web_page_el_msg(p, WEB_EL_CAPTION, caption);
    web_page_open(p, WEB_EL_THEAD);
    web_page_open(p, WEB_EL_TR);
    if (selectable) {
        web_page_open(p, WEB_EL_TH);
        web_page_attr(p, "scope", "col");
        web_page_open_class(p, WEB_EL_SPAN, "visually-hidden");
        web_page_msg(p, WEB_MSG_SP_COL_SELECT);
        web_page_close(p, WEB_EL_SPAN);
        web_page_close(p, WEB_EL_TH);
    }
    web_pg_head_cells(p, cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; i < rows->n; i++) {
        const struct qrow *r = &rows->rows[i];
        char href[48];
        snprintf(href, sizeof href, "/yonetim/basvuru/%lld", (long long)r->app.id);
        web_page_open(p, WEB_EL_TR);
        web_page_attr(p, "data-number", r->app.number);
        if (selectable)
            select_cell(p, r);
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
        web_pg_id_line(p, r->app.tckn_masked);
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
            web_pg_verdict_reasons(p, &r->verdict, true); /* the sentences: on the decision page */
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
    const char *sel = web_req_query(c->rq, "secim");
    if (sel && !strcmp(sel, "yok"))
        web_pg_notice(p, WEB_NOTICE_WARNING, WEB_MSG_SP_BULK_NONE_SELECTED, NULL, 0);
    if (web_num_parse(web_req_query(c->rq, "onaylanan"), 0, 1000000, &approved) &&
        web_num_parse(web_req_query(c->rq, "atlanan"), 0, 1000000, &skipped)) {
        char a[WEB_COUNT_MAX], s[WEB_COUNT_MAX];
        web_count_text(approved, c->lang, a);
        web_count_text(skipped, c->lang, s);
        const char *args[] = {a, s};
        web_page_notice_begin(p, WEB_NOTICE_SUCCESS);
        web_page_open(p, WEB_EL_P);
        web_page_msg_n(p, WEB_MSG_AP_BULK_DONE, (unsigned long)approved, args, 2);
        web_page_close(p, WEB_EL_P);
        web_page_notice_end(p);
    }
}

/* The filter as hidden fields of a form (the bulk approval's, to come back to the same list). */
static void filter_hidden(struct web_page *p, const struct queue_query *q)
{
    web_page_open(p, WEB_EL_INPUT);
    web_page_attr(p, "type", "hidden");
    web_page_attr(p, "name", "state");
    web_page_attr(p, "value", q->values[FL_STATE]);
    for (int k = FL_STATE + 1; k < FL_N; k++)
        web_pg_hidden(p, filter_names[k], q->values[k]);
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
    char tot[WEB_COUNT_MAX], first[WEB_COUNT_MAX], last[WEB_COUNT_MAX];
    web_count_text(total, c->lang, tot);
    web_count_text(q->offset + 1, c->lang, first);
    web_count_text(q->offset + (long)rows->n, c->lang, last);
    const char *args[] = {tot, first, last};
    web_page_open_class(p, WEB_EL_P, "queue-count");
    web_page_msg_n(p, WEB_MSG_AP_QUEUE_COUNT, (unsigned long)total, args, 3);
    web_page_close(p, WEB_EL_P);
    /* waiting for a decision, for one who decides: the rows can be ticked for a bulk approval,
     * which a page of its own lists before anything is approved */
    bool selectable = web_pg_may_decide(c->who) && !strcmp(q->values[FL_STATE], "submitted");
    bool by_waiting = q->f.order && !strcmp(q->f.order, "waiting");
    if (selectable) {
        web_page_open(p, WEB_EL_FORM);
        web_page_attr(p, "method", "post");
        web_page_attr(p, "action", "/yonetim/toplu-onay");
        web_page_attr(p, "class", "bulk-select");
        web_page_flag(p, "novalidate");
        web_page_csrf(p, web_pg_csrf(c));
        filter_hidden(p, q);
    }
    web_page_open_class(p, WEB_EL_DIV, "table-wrap");
    queue_table(c, p, rows, selectable,
                by_waiting ? WEB_MSG_AP_QUEUE_CAPTION : WEB_MSG_SP_QUEUE_CAPTION_URGENT);
    web_page_close(p, WEB_EL_DIV);
    /* the pages right under the table they turn, before the bulk approval's buttons */
    struct ubuf base = UBUF_INIT(4096);
    if (ubuf_puts(&base, "/yonetim?") < 0 || ubuf_puts(&base, ubuf_str(qs)) < 0)
        web_page_fail(p);
    web_pg_pager(p, ubuf_str(&base), q->offset, total, rows->n, QUEUE_PAGE);
    ubuf_free(&base);
    if (selectable) {
        web_page_open_class(p, WEB_EL_SECTION, "bulk-actions");
        web_page_attr(p, "aria-labelledby", "bulk-title");
        web_page_open(p, WEB_EL_H2);
        web_page_attr(p, "id", "bulk-title");
        web_page_msg(p, WEB_MSG_AP_BULK_TITLE);
        web_page_close(p, WEB_EL_H2);
        web_pg_para(p, WEB_MSG_SP_BULK_LEAD);
        web_page_open_class(p, WEB_EL_DIV, "buttons");
        web_page_button(p, WEB_MSG_SP_BULK_REVIEW_SELECTED, WEB_BUTTON_PRIMARY, "scope",
                        "selected");
        web_page_button(p, WEB_MSG_SP_BULK_REVIEW_ALL, WEB_BUTTON_SECONDARY, "scope", "all");
        web_page_close(p, WEB_EL_DIV);
        web_page_close(p, WEB_EL_SECTION);
        web_page_close(p, WEB_EL_FORM);
    }
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

/* ---- /yonetim/toplu-onay: the bulk approval, reviewed then confirmed ---------------------- */

/* What a review lists: the applications to approve (as the queue shows them), and the ones
 * ticked that cannot be approved, each with why. */
struct review {
    struct qrows ok;
    struct {
        char number[APP_NUMBER_LEN + 1];
        enum web_msg why;
    } out[QUEUE_PAGE];
    size_t nout;
    long more; /* eligible ones of the filter beyond APP_BULK_IDS_MAX */
};

/* The eligible ones of the filter (scope "all"): the queue's own reading, at most 500. */
static int collect_eligible(void *ctx, const struct app_queue_item *it)
{
    struct review *r = ctx;
    if (it->app->st != CORE_APP_SUBMITTED || !it->verdict.eligible)
        return 0;
    if (r->ok.n == r->ok.cap) {
        r->more++;
        return 0;
    }
    return collect_row(&r->ok, it);
}

/* One ticked application (scope "selected"), looked at again now: listed to approve, or set
 * aside with why (another province's is "not found", as everywhere). */
static enum web_err review_one(struct web_pg *c, int64_t id, struct review *r)
{
    struct qrows one = {r->ok.rows + r->ok.n, 0, 1};
    struct app_err e;
    if (r->ok.n == r->ok.cap)
        return WEB_OK;
    enum app_status st = app_admin_get(&c->app, id, collect_row, &one, &e);
    if (st != APP_OK && st != APP_ENOTFOUND && st != APP_EFORBIDDEN) {
        c->err = e;
        return web_pg_app_failure(c);
    }
    if (st == APP_OK && row_approvable(&one.rows[0])) {
        r->ok.n++;
        return WEB_OK;
    }
    if (r->nout < sizeof r->out / sizeof r->out[0]) {
        snprintf(r->out[r->nout].number, sizeof r->out[r->nout].number, "%s",
                 st == APP_OK ? one.rows[0].app.number : "");
        r->out[r->nout].why = st != APP_OK ? WEB_MSG_SP_BULK_WHY_GONE
                              : one.rows[0].app.st != CORE_APP_SUBMITTED
                                  ? WEB_MSG_SP_BULK_WHY_STATE
                                  : WEB_MSG_SP_BULK_WHY_INELIGIBLE;
        r->nout++;
    }
    return WEB_OK;
}

/* The review page: how many will be approved, their list, the ones set aside, and the form that
 * approves exactly the ids listed (or only the way back when there are none). */
static enum web_err review_page(struct web_pg *c, const struct queue_query *q,
                                const struct review *r, const struct ubuf *back)
{
    struct web_page p;
    struct ubuf ids = UBUF_INIT(APP_BULK_IDS_MAX * 12);
    char n[WEB_COUNT_MAX];
    web_pg_page(c, &p);
    const struct web_layout layout = {.title = WEB_MSG_SP_BULK_TITLE};
    web_pg_staff_begin(c, &p, &layout, WEB_PG_NAV_QUEUE);
    web_pg_heading(&p, WEB_MSG_SP_BULK_TITLE);
    if (r->ok.n == 0) {
        web_pg_para(&p, WEB_MSG_SP_BULK_NOTHING);
    } else {
        web_count_text((long)r->ok.n, c->lang, n);
        const char *args[] = {n};
        web_page_open_class(&p, WEB_EL_P, "bulk-count");
        web_page_msg_args(&p, WEB_MSG_SP_BULK_CONFIRM_LEAD, args, 1);
        web_page_close(&p, WEB_EL_P);
    }
    if (r->more > 0) {
        web_count_text(APP_BULK_IDS_MAX, c->lang, n);
        const char *args[] = {n};
        web_pg_notice(&p, WEB_NOTICE_INFO, WEB_MSG_SP_BULK_MORE, args, 1);
    }
    if (r->nout > 0) {
        web_page_notice_begin(&p, WEB_NOTICE_WARNING);
        web_page_el_msg(&p, WEB_EL_P, WEB_MSG_SP_BULK_EXCLUDED_LEAD);
        web_page_open_class(&p, WEB_EL_UL, "bulk-excluded");
        for (size_t i = 0; i < r->nout; i++) {
            web_page_open(&p, WEB_EL_LI);
            if (r->out[i].number[0]) {
                web_page_text(&p, r->out[i].number);
                web_page_text(&p, ": ");
            }
            web_page_msg(&p, r->out[i].why);
            web_page_close(&p, WEB_EL_LI);
        }
        web_page_close(&p, WEB_EL_UL);
        web_page_notice_end(&p);
    }
    if (r->ok.n > 0) {
        web_page_open_class(&p, WEB_EL_DIV, "table-wrap");
        queue_table(c, &p, &r->ok, false, WEB_MSG_SP_BULK_CAPTION);
        web_page_close(&p, WEB_EL_DIV);
        for (size_t i = 0; i < r->ok.n; i++)
            if ((i && ubuf_putc(&ids, ',') < 0) ||
                ubuf_printf(&ids, "%lld", (long long)r->ok.rows[i].app.id) < 0)
                web_page_fail(&p);
        web_page_form_begin(&p, "/yonetim/toplu-onay", web_pg_csrf(c));
        filter_hidden(&p, q);
        web_pg_hidden(&p, "step", "confirm");
        web_pg_hidden(&p, "ids", ubuf_str(&ids));
        web_page_form_submit(&p, WEB_MSG_SP_BULK_CONFIRM_BUTTON, WEB_BUTTON_PRIMARY);
    }
    web_page_action_link(&p, ubuf_str(back), WEB_MSG_SP_BULK_CANCEL);
    web_pg_staff_end(c, &p);
    ubuf_free(&ids);
    return web_pg_reply(c, &p, 200);
}

/* The ids a confirmation carries ("12,15,18"): false when there are none, too many, or one is
 * not a whole number. */
static bool read_ids(const char *s, int64_t *ids, size_t cap, size_t *n)
{
    *n = 0;
    while (s && *s) {
        size_t len = strcspn(s, ",");
        if (*n == cap || !web_id_parse(s, len, &ids[*n]))
            return false;
        (*n)++;
        s += len + (s[len] == ',');
    }
    return *n > 0;
}

/* POST /yonetim/toplu-onay: step "review" (the default) lists what would be approved (the
 * rows ticked, scope "selected", or every eligible one of the filter, scope "all"); step
 * "confirm" approves exactly the ids that page listed, then back to the queue with the counts
 * (and the same filter). */
enum web_err web_h_staff_bulk(struct web_req *rq)
{
    struct web_pg c;
    struct queue_query q;
    struct ubuf where = UBUF_INIT(4096);
    struct review *r = NULL;
    int64_t *ids = NULL;
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
    if (!web_pg_may_decide(c.who)) {
        rc = web_pg_403(&c, "forbidden_role");
        goto out;
    }
    if (q.bad) {
        rc = web_pg_error(&c, 400, WEB_MSG_PP_ERR_403_TITLE,
                          app_reason_text("invalid_fields", c.lang), WEB_MSG_NONE);
        goto out;
    }
    /* the way back: the queue with the same filter (web_pg_q_put separates with '&' itself) */
    struct ubuf qs = UBUF_INIT(4096);
    int bad = queue_query_string(&q, &qs) < 0 || ubuf_puts(&where, "/yonetim?") < 0 ||
              ubuf_puts(&where, ubuf_str(&qs)) < 0;
    ubuf_free(&qs);
    if (bad) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    const char *step = web_pg_field(&c, "step");
    if (step && !strcmp(step, "confirm")) {
        size_t n;
        if (!(ids = calloc(APP_BULK_IDS_MAX, sizeof *ids))) {
            rc = WEB_E_NOMEM;
            goto out;
        }
        if (!read_ids(web_pg_field(&c, "ids"), ids, APP_BULK_IDS_MAX, &n)) {
            rc = web_pg_error(&c, 400, WEB_MSG_PP_ERR_403_TITLE,
                              app_reason_text("bulk_ids_range", c.lang), WEB_MSG_NONE);
            goto out;
        }
        if (app_admin_bulk_approve_ids(&c.app, ids, n, &approved, &skipped, &c.err) != APP_OK) {
            rc = web_pg_app_failure(&c);
            goto out;
        }
        if (web_pg_q_add_long(&where, "onaylanan", approved) < 0 ||
            web_pg_q_add_long(&where, "atlanan", skipped) < 0) {
            rc = WEB_E_NOMEM;
            goto out;
        }
        rc = web_pg_see_other(rq, ubuf_str(&where));
        goto out;
    }

    if (!(r = calloc(1, sizeof *r)) ||
        !(r->ok.rows = calloc(APP_BULK_IDS_MAX, sizeof *r->ok.rows))) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    r->ok.cap = APP_BULK_IDS_MAX;
    const char *scope = web_pg_field(&c, "scope");
    if (scope && !strcmp(scope, "all")) {
        struct app_queue_filter f = q.f;
        f.state = "submitted";
        f.limit = APP_BULK_IDS_MAX;
        f.offset = 0;
        if (app_admin_list(&c.app, &f, collect_eligible, r, NULL, &c.err) != APP_OK) {
            rc = web_pg_app_failure(&c);
            goto out;
        }
    } else {
        /* the ticked rows: fields "id", at most a page's worth */
        for (size_t i = 0; i < c.form.n; i++) {
            int64_t id;
            const char *v = c.form.values[i];
            if (strcmp(c.form.names[i], "id") != 0 || !web_id_parse(v, strlen(v), &id))
                continue;
            if ((rc = review_one(&c, id, r)) != WEB_OK)
                goto out;
        }
        if (r->ok.n == 0 && r->nout == 0) { /* nothing ticked: back, saying so */
            if (ubuf_puts(&where, "&secim=yok") < 0)
                rc = WEB_E_NOMEM;
            else
                rc = web_pg_see_other(rq, ubuf_str(&where));
            goto out;
        }
    }
    rc = review_page(&c, &q, r, &where);
out:
    if (r)
        free(r->ok.rows);
    free(r);
    free(ids);
    ubuf_free(&where);
    web_pg_done(&c);
    return rc;
}
