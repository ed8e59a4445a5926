/* eimza — the staff's pages after approval (web/pages/; app/card_flow.h):
 *   /yonetim/uretim        the applications after approval, the renewed certificate's end
 *                          first, in views (all, to order, being made, shipped, delivered,
 *                          overdue, at risk of a gap), a province and an application number;
 *                          in a card bureau deployment also the production batches (a new one
 *                          per province, exports as CSV and JSON) and the files coming back
 *                          (the bureau's answer, a carrier's shipments: pasted as CSV text)
 *   /yonetim/partiler      POST: a new batch
 *   /yonetim/dosya         POST: a file's rows applied, each refused row shown with its line
 *   /yonetim/kart/{id}     one application's card: its facts, and the operator's actions
 *                          (shipment, delivery, cancellation with a reason; in house, making
 *                          the card, and lifting the PIN's security word step for a holder
 *                          whose identity card the operator saw)
 * Operators and admins act; approvers see their province's view (the use cases say so).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/card_flow.h"
#include "app/csv.h"
#include "app/text.h"
#include "web/pages/pages.h"

#define FLOW_PAGE 100 /* rows per page */

static bool may_act(const struct web_pg *c)
{
    return web_pg_role_is(c->who, "operator") || web_pg_role_is(c->who, "admin");
}

static bool bureau(const struct web_pg *c)
{
    return c->app.set->portal.production == APP_PRODUCTION_BUREAU;
}

static const struct {
    const char *code;
    enum app_flow_view_kind kind;
    enum web_msg label;
} views[] = {
    {"all", APP_FLOW_ALL, WEB_MSG_FS_VIEW_ALL},
    {"approved", APP_FLOW_APPROVED, WEB_MSG_FS_VIEW_APPROVED},
    {"in_production", APP_FLOW_IN_PRODUCTION, WEB_MSG_FS_VIEW_IN_PRODUCTION},
    {"shipped", APP_FLOW_SHIPPED, WEB_MSG_FS_VIEW_SHIPPED},
    {"delivered", APP_FLOW_DELIVERED, WEB_MSG_FS_VIEW_DELIVERED},
    {"overdue", APP_FLOW_OVERDUE, WEB_MSG_FS_VIEW_OVERDUE},
    {"at_risk", APP_FLOW_AT_RISK, WEB_MSG_FS_VIEW_AT_RISK},
};
#define NVIEWS (sizeof views / sizeof views[0])

/* ---- rows, copied out of the use case's callback -----------------------------------------------
 */

struct frow {
    struct app_application app;
    int province;
    int64_t expected_at;
    bool overdue, at_risk, has_card;
    char card_state[12], card_serial[64], carrier[64], tracking[64];
};

struct frows {
    struct frow *rows;
    size_t n, cap;
};

static int collect(void *ctx, const struct app_flow_item *it)
{
    struct frows *x = ctx;
    if (x->n == x->cap)
        return 1;
    struct frow *r = &x->rows[x->n++];
    memset(r, 0, sizeof *r);
    r->app = *it->app;
    r->province = it->province;
    r->expected_at = it->expected_at;
    r->overdue = it->overdue;
    r->at_risk = it->at_risk;
    r->has_card = it->has_card;
    snprintf(r->card_state, sizeof r->card_state, "%s", it->card_state);
    snprintf(r->card_serial, sizeof r->card_serial, "%s", it->card_serial);
    snprintf(r->carrier, sizeof r->carrier, "%s", it->carrier);
    snprintf(r->tracking, sizeof r->tracking, "%s", it->tracking_number);
    return 0;
}

static void date_text(struct web_page *p, int64_t t)
{
    char d[32];
    if (!t) {
        web_page_text(p, "–");
        return;
    }
    web_pg_time(t, WEB_PG_DATE, d);
    web_page_text(p, d);
}

static void flags(struct web_page *p, const struct frow *r)
{
    if (r->overdue) {
        web_page_open_class(p, WEB_EL_STRONG, "flag-late");
        web_page_msg(p, WEB_MSG_FS_OVERDUE);
        web_page_close(p, WEB_EL_STRONG);
        web_page_text(p, " ");
    }
    if (r->at_risk) {
        web_page_open_class(p, WEB_EL_STRONG, "flag-late");
        web_page_msg(p, WEB_MSG_FS_AT_RISK);
        web_page_close(p, WEB_EL_STRONG);
    }
}

static void flow_table(struct web_page *p, const struct frows *rows)
{
    static const enum web_msg cols[] = {
        WEB_MSG_AP_COL_NUMBER, WEB_MSG_AP_COL_APPLICANT, WEB_MSG_AP_COL_STATE,
        WEB_MSG_FS_COL_RENEWS, WEB_MSG_FS_COL_EXPECTED,  WEB_MSG_FS_COL_CARD,
    };
    web_page_open_class(p, WEB_EL_DIV, "table-wrap");
    web_page_open_class(p, WEB_EL_TABLE, "queue cards");
    web_page_el_msg(p, WEB_EL_CAPTION, WEB_MSG_FS_CAPTION);
    web_page_open(p, WEB_EL_THEAD);
    web_page_open(p, WEB_EL_TR);
    web_pg_head_cells(p, cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; i < rows->n; i++) {
        const struct frow *r = &rows->rows[i];
        char href[48];
        snprintf(href, sizeof href, "/yonetim/kart/%lld", (long long)r->app.id);
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
        web_pg_person_name(p, &r->app);
        web_page_open(p, WEB_EL_BR);
        web_page_open(p, WEB_EL_SMALL);
        web_page_text(p, app_province_name(r->province));
        web_page_close(p, WEB_EL_SMALL);
        web_page_close(p, WEB_EL_TD);
        web_pg_td_begin(p, WEB_MSG_AP_COL_STATE);
        web_pg_state_text(p, &r->app);
        web_page_close(p, WEB_EL_TD);
        web_pg_td_begin(p, WEB_MSG_FS_COL_RENEWS);
        web_pg_expiry_text(p, r->app.cert_not_after);
        web_page_close(p, WEB_EL_TD);
        web_pg_td_begin(p, WEB_MSG_FS_COL_EXPECTED);
        date_text(p, r->expected_at);
        web_page_open(p, WEB_EL_BR);
        flags(p, r);
        web_page_close(p, WEB_EL_TD);
        web_pg_td_begin(p, WEB_MSG_FS_COL_CARD);
        if (r->has_card) {
            web_pg_card_state_text(p, r->card_state);
            if (r->tracking[0]) {
                web_page_open(p, WEB_EL_BR);
                web_page_open(p, WEB_EL_SMALL);
                web_page_text(p, r->carrier);
                web_page_text(p, " ");
                web_page_text(p, r->tracking);
                web_page_close(p, WEB_EL_SMALL);
            }
        } else {
            web_page_text(p, "–");
        }
        web_page_close(p, WEB_EL_TD);
        web_page_close(p, WEB_EL_TR);
    }
    /* the body, the table and its wrapper are closed by web_pg_rows_end */
}

/* ---- /yonetim/uretim ----------------------------------------------------------------------------
 */

static void views_nav(struct web_page *p, size_t current, const char *province)
{
    web_page_open_class(p, WEB_EL_NAV, "flow-views");
    web_page_attr_msg(p, "aria-label", WEB_MSG_FS_VIEWS);
    web_page_open(p, WEB_EL_UL);
    for (size_t i = 0; i < NVIEWS; i++) {
        struct ubuf href = UBUF_INIT(256);
        if ((ubuf_puts(&href, "/yonetim/uretim?") | web_pg_q_put(&href, "view", views[i].code) |
             web_pg_q_add(&href, "province", province)) < 0)
            web_page_fail(p);
        web_page_open(p, WEB_EL_LI);
        web_page_open(p, WEB_EL_A);
        web_page_attr(p, "href", ubuf_str(&href));
        if (i == current)
            web_page_attr(p, "aria-current", "page");
        web_page_msg(p, views[i].label);
        web_page_close(p, WEB_EL_A);
        web_page_close(p, WEB_EL_LI);
        ubuf_free(&href);
    }
    web_page_close(p, WEB_EL_UL);
    web_page_close(p, WEB_EL_NAV);
}

static void search_form(struct web_pg *c, struct web_page *p, size_t view, const char *province,
                        const char *number)
{
    struct web_option provinces[82];
    char plates[81][3];
    provinces[0] = (struct web_option){"", WEB_MSG_AP_F_ALL_PROVINCES, NULL, WEB_MSG_NONE};
    for (int i = 0; i < 81; i++) {
        snprintf(plates[i], sizeof plates[i], "%d", i + 1);
        provinces[i + 1] =
            (struct web_option){plates[i], WEB_MSG_NONE, app_province_name(i + 1), WEB_MSG_NONE};
    }
    struct web_field f[] = {
        {WEB_FIELD_TEXT, "number", WEB_MSG_FS_NUMBER, WEB_MSG_FS_NUMBER_HINT,
         .value = number ? number : "", .maxlength = 10, .autocomplete = "off"},
        {WEB_FIELD_SELECT, "province", WEB_MSG_AP_F_PROVINCE, .value = province ? province : "",
         .options = provinces, .noptions = 82},
    };
    web_page_open(p, WEB_EL_FORM);
    web_page_attr(p, "method", "get");
    web_page_attr(p, "action", "/yonetim/uretim");
    web_page_attr(p, "class", "filter-form");
    web_page_flag(p, "novalidate");
    web_pg_hidden(p, "view", views[view].code);
    web_page_open_class(p, WEB_EL_DIV, "filter-fields");
    web_page_field(p, &f[0]);
    if (!web_pg_role_is(c->who, "approver"))
        web_page_field(p, &f[1]);
    web_page_close(p, WEB_EL_DIV);
    web_page_form_submit(p, WEB_MSG_FS_SEARCH, WEB_BUTTON_PRIMARY);
}

struct batch_rows {
    struct app_batch rows[100];
    size_t n;
};

static int collect_batch(void *ctx, const struct app_batch *b)
{
    struct batch_rows *x = ctx;
    if (x->n < sizeof x->rows / sizeof x->rows[0])
        x->rows[x->n++] = *b;
    return 0;
}

/* The card bureau's part: a new batch, the batches with their exports, and the files. -1 when
 * the batches could not be read (c->err says why: the page is not answered). */
static int bureau_section(struct web_pg *c, struct web_page *p)
{
    int rc = 0;
    struct batch_rows *bs = calloc(1, sizeof *bs);
    struct app_err err;
    struct web_option provinces[81];
    char plates[81][3];
    for (int i = 0; i < 81; i++) {
        snprintf(plates[i], sizeof plates[i], "%d", i + 1);
        provinces[i] =
            (struct web_option){plates[i], WEB_MSG_NONE, app_province_name(i + 1), WEB_MSG_NONE};
    }
    web_page_section_begin(p, WEB_MSG_FS_BATCHES);
    web_pg_para(p, WEB_MSG_FS_BATCHES_LEAD);
    web_page_form_begin(p, "/yonetim/partiler", web_pg_csrf(c));
    struct web_field f = {WEB_FIELD_SELECT, "province",           WEB_MSG_AP_F_PROVINCE,
                          .value = "",      .options = provinces, .noptions = 81};
    web_page_field(p, &f);
    web_page_form_submit(p, WEB_MSG_FS_BATCH_MAKE, WEB_BUTTON_PRIMARY);
    if (!bs) {
        web_page_fail(p);
    } else if (app_admin_batches(&c->app, 0, collect_batch, bs, &err) != APP_OK) {
        c->err = err;
        rc = -1;
    } else if (bs->n) {
        static const enum web_msg cols[] = {WEB_MSG_FS_COL_BATCH, WEB_MSG_AP_F_PROVINCE,
                                            WEB_MSG_FS_COL_MADE, WEB_MSG_FS_COL_COUNTS,
                                            WEB_MSG_FS_COL_EXPORT};
        web_page_open_class(p, WEB_EL_DIV, "table-wrap");
        web_page_open_class(p, WEB_EL_TABLE, "queue cards");
        web_page_el_msg(p, WEB_EL_CAPTION, WEB_MSG_FS_BATCHES);
        web_page_open(p, WEB_EL_THEAD);
        web_page_open(p, WEB_EL_TR);
        web_pg_head_cells(p, cols, sizeof cols / sizeof cols[0]);
        for (size_t i = 0; i < bs->n; i++) {
            const struct app_batch *b = &bs->rows[i];
            char id[24], counts[64], apps[WEB_COUNT_MAX], revs[WEB_COUNT_MAX], href[64];
            snprintf(id, sizeof id, "%lld", (long long)b->id);
            snprintf(counts, sizeof counts, "%s / %s",
                     web_count_text(b->applications, p->lang, apps),
                     web_count_text(b->revocations, p->lang, revs));
            web_page_open(p, WEB_EL_TR);
            web_page_open(p, WEB_EL_TH);
            web_page_attr(p, "scope", "row");
            web_page_attr_msg(p, "data-label", WEB_MSG_FS_COL_BATCH);
            web_page_text(p, id);
            web_page_close(p, WEB_EL_TH);
            web_pg_td_begin(p, WEB_MSG_AP_F_PROVINCE);
            web_page_text(p, app_province_name(b->province));
            web_page_close(p, WEB_EL_TD);
            web_pg_td_begin(p, WEB_MSG_FS_COL_MADE);
            date_text(p, b->created_at);
            web_page_text(p, " ");
            web_page_text(p, b->created_by);
            web_page_close(p, WEB_EL_TD);
            web_pg_td_begin(p, WEB_MSG_FS_COL_COUNTS);
            web_page_text(p, counts);
            web_page_close(p, WEB_EL_TD);
            web_pg_td_begin(p, WEB_MSG_FS_COL_EXPORT);
            snprintf(href, sizeof href, "/api/v1/admin/batches/%s.csv", id);
            web_page_open(p, WEB_EL_A);
            web_page_attr(p, "href", href);
            web_page_text(p, "CSV");
            web_page_close(p, WEB_EL_A);
            web_page_text(p, " · ");
            snprintf(href, sizeof href, "/api/v1/admin/batches/%s.json", id);
            web_page_open(p, WEB_EL_A);
            web_page_attr(p, "href", href);
            web_page_text(p, "JSON");
            web_page_close(p, WEB_EL_A);
            web_page_close(p, WEB_EL_TD);
            web_page_close(p, WEB_EL_TR);
        }
        web_pg_rows_end(p, bs->n, WEB_MSG_NONE);
    }
    web_page_section_end(p);
    free(bs);
    return rc;
}

/* The files coming back, pasted as CSV text: the bureau's answer (bureau deployments) and a
 * carrier's shipments. */
static void files_section(struct web_pg *c, struct web_page *p)
{
    static const struct web_option kinds[] = {
        {"answer", WEB_MSG_FS_FILE_ANSWER, NULL, WEB_MSG_FS_FILE_ANSWER_HINT},
        {"shipments", WEB_MSG_FS_FILE_SHIPMENTS, NULL, WEB_MSG_FS_FILE_SHIPMENTS_HINT},
    };
    web_page_section_begin(p, WEB_MSG_FS_FILES);
    web_pg_para(p, WEB_MSG_FS_FILES_LEAD);
    web_page_form_begin(p, "/yonetim/dosya", web_pg_csrf(c));
    if (bureau(c)) {
        struct web_field kind = {WEB_FIELD_RADIO,   "kind",           WEB_MSG_FS_FILE_KIND,
                                 .value = "answer", .options = kinds, .noptions = 2};
        web_page_field(p, &kind);
    }
    /* in house a courier's file is the only kind (the POST's default): no choice of one; the
     * text field's label and hint name it (their in-house twins, web_msg_deployed) */
    struct web_field text = {WEB_FIELD_TEXTAREA, "csv", WEB_MSG_FS_FILE_TEXT,
                             WEB_MSG_FS_FILE_TEXT_HINT, .value = ""};
    web_page_field(p, &text);
    web_page_form_submit(p, WEB_MSG_FS_FILE_SUBMIT, WEB_BUTTON_PRIMARY);
    web_page_section_end(p);
}

static size_t view_of(const char *v)
{
    for (size_t i = 0; v && i < NVIEWS; i++)
        if (!strcmp(views[i].code, v))
            return i;
    return 0;
}

enum web_err web_h_staff_production(struct web_req *rq)
{
    struct web_pg c;
    struct web_page p;
    struct frows rows = {0};
    long province = 0, offset = 0, total = 0;
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_STAFF);
    web_pg_page(&c, &p);
    if (!web_pg_enter_staff(&c, false, &rc))
        goto out;
    const char *pv = web_req_query(rq, "province"), *number = web_req_query(rq, "number");
    size_t view = view_of(web_req_query(rq, "view"));
    if (pv && *pv && !web_num_parse(pv, 0, 81, &province))
        province = 0;
    (void)web_num_parse(web_req_query(rq, "offset"), 0, 1000000, &offset);
    char num[APP_NUMBER_LEN + 1] = "";
    if (number)
        for (size_t i = 0; number[i] && i < APP_NUMBER_LEN; i++)
            num[i] = (char)(number[i] >= 'a' && number[i] <= 'z' ? number[i] - 32 : number[i]),
            num[i + 1] = '\0';
    if (!(rows.rows = calloc(FLOW_PAGE, sizeof *rows.rows))) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    rows.cap = FLOW_PAGE;
    struct app_flow_filter f = {views[view].kind, (int)province, num[0] ? num : NULL, FLOW_PAGE,
                                offset};
    if (app_admin_flow(&c.app, &f, collect, &rows, &total, &c.err) != APP_OK) {
        if (c.err.status != APP_EINVAL) {
            rc = web_pg_app_failure(&c);
            goto out;
        }
        rows.n = 0; /* a number that cannot be one: nothing found */
    }
    const struct web_layout layout = {.title = WEB_MSG_FS_TITLE};
    web_pg_staff_begin(&c, &p, &layout, WEB_PG_NAV_PRODUCTION);
    web_pg_heading(&p, WEB_MSG_FS_TITLE);
    web_pg_para(&p, bureau(&c) ? WEB_MSG_FS_LEAD_BUREAU : WEB_MSG_FS_LEAD_INHOUSE);
    const char *flash = web_req_query(rq, "parti");
    int64_t bid;
    if (flash && web_id_parse(flash, strlen(flash), &bid)) {
        const char *args[] = {flash};
        web_pg_notice(&p, WEB_NOTICE_SUCCESS, WEB_MSG_FS_BATCH_DONE, args, 1);
    }
    views_nav(&p, view, pv);
    search_form(&c, &p, view, pv, num);
    char count[WEB_COUNT_MAX];
    web_count_text(total, c.lang, count);
    const char *args[] = {count};
    web_page_open_class(&p, WEB_EL_P, "queue-count");
    web_page_msg_n(&p, WEB_MSG_FS_COUNT, (unsigned long)total, args, 1); /* "1 application." */
    web_page_close(&p, WEB_EL_P);
    if (rows.n)
        flow_table(&p, &rows);
    web_pg_rows_end(&p, rows.n, WEB_MSG_FS_EMPTY);
    if (may_act(&c)) {
        if (bureau(&c) && bureau_section(&c, &p) < 0) {
            rc = web_pg_app_failure(&c);
            goto out;
        }
        files_section(&c, &p);
    }
    web_pg_staff_end(&c, &p);
    rc = web_pg_answer(rq, &p, 200);
out:
    free(rows.rows);
    web_page_free(&p);
    web_pg_done(&c);
    return rc;
}

/* ---- POST /yonetim/partiler --------------------------------------------------------------------
 */

enum web_err web_h_staff_batch(struct web_req *rq)
{
    struct web_pg c;
    struct app_batch b;
    enum web_err rc;
    long province = 0;
    web_pg_init(&c, rq, WEB_PG_STAFF);
    if (!web_pg_enter_staff(&c, true, &rc))
        goto out;
    (void)web_num_parse(web_pg_field(&c, "province"), 0, 81, &province);
    if (app_admin_batch_make(&c.app, (int)province, 0, &b, &c.err) != APP_OK) {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    char where[64];
    snprintf(where, sizeof where, "/yonetim/uretim?view=in_production&parti=%lld", (long long)b.id);
    rc = web_pg_see_other(rq, where);
out:
    web_pg_done(&c);
    return rc;
}

/* ---- POST /yonetim/dosya -----------------------------------------------------------------------
 */

struct refused_rows {
    struct app_file_refusal rows[200];
    char fields[200][24];
    size_t n;
};

static void keep_refusal(void *ctx, const struct app_file_refusal *r)
{
    struct refused_rows *x = ctx;
    if (x->n >= sizeof x->rows / sizeof x->rows[0])
        return;
    snprintf(x->fields[x->n], sizeof x->fields[x->n], "%s", r->field ? r->field : "");
    x->rows[x->n] = *r;
    x->rows[x->n].field = x->fields[x->n];
    x->n++;
}

enum web_err web_h_staff_file(struct web_req *rq)
{
    struct web_pg c;
    struct web_page p;
    struct app_file_result res;
    struct refused_rows *ref = NULL;
    enum web_err rc;
    web_pg_init(&c, rq, WEB_PG_STAFF);
    web_pg_page(&c, &p);
    if (!web_pg_enter_staff(&c, true, &rc))
        goto out;
    const char *kind = web_pg_field(&c, "kind"), *text = web_pg_field(&c, "csv");
    bool answer = kind && !strcmp(kind, "answer");
    struct app_csv_mem tr = {text ? text : "", text ? strlen(text) : 0, 0};
    if (!(ref = calloc(1, sizeof *ref))) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    enum app_status st = answer ? app_bureau_import(&c.app, NULL, app_csv_mem_read, &tr,
                                                    keep_refusal, ref, &res, &c.err)
                                : app_shipments_import(&c.app, NULL, app_csv_mem_read, &tr,
                                                       keep_refusal, ref, &res, &c.err);
    if (st != APP_OK) {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    const struct web_layout layout = {.title = WEB_MSG_FS_FILE_RESULT};
    web_pg_staff_begin(&c, &p, &layout, WEB_PG_NAV_PRODUCTION);
    web_pg_heading(&p, WEB_MSG_FS_FILE_RESULT);
    char rows[WEB_COUNT_MAX], applied[WEB_COUNT_MAX], unchanged[WEB_COUNT_MAX],
        refused[WEB_COUNT_MAX];
    web_count_text(res.rows, c.lang, rows);
    web_count_text(res.applied, c.lang, applied);
    web_count_text(res.unchanged, c.lang, unchanged);
    web_count_text(res.refused, c.lang, refused);
    const char *args[] = {rows, applied, unchanged, refused};
    web_pg_notice(&p, res.refused ? WEB_NOTICE_WARNING : WEB_NOTICE_SUCCESS, WEB_MSG_FS_FILE_COUNTS,
                  args, 4);
    if (ref->n) {
        static const enum web_msg cols[] = {WEB_MSG_FS_COL_LINE, WEB_MSG_FS_COL_FIELD,
                                            WEB_MSG_FS_COL_WHY};
        web_page_open_class(&p, WEB_EL_DIV, "table-wrap");
        web_page_open_class(&p, WEB_EL_TABLE, "queue cards");
        web_page_el_msg(&p, WEB_EL_CAPTION, WEB_MSG_FS_REFUSED_ROWS);
        web_page_open(&p, WEB_EL_THEAD);
        web_page_open(&p, WEB_EL_TR);
        web_pg_head_cells(&p, cols, 3);
        for (size_t i = 0; i < ref->n; i++) {
            char line[24];
            snprintf(line, sizeof line, "%ld", ref->rows[i].line);
            web_page_open(&p, WEB_EL_TR);
            web_page_open(&p, WEB_EL_TH);
            web_page_attr(&p, "scope", "row");
            web_page_attr_msg(&p, "data-label", WEB_MSG_FS_COL_LINE);
            web_page_text(&p, line);
            web_page_close(&p, WEB_EL_TH);
            web_pg_td_begin(&p, WEB_MSG_FS_COL_FIELD);
            web_page_text(&p, ref->rows[i].field[0] ? ref->rows[i].field : "–");
            web_page_close(&p, WEB_EL_TD);
            web_pg_td_begin(&p, WEB_MSG_FS_COL_WHY);
            web_page_text(&p, web_pg_reason(&c, ref->rows[i].code));
            web_page_close(&p, WEB_EL_TD);
            web_page_close(&p, WEB_EL_TR);
        }
        web_pg_rows_end(&p, ref->n, WEB_MSG_NONE);
    }
    web_page_action_link(&p, "/yonetim/uretim", WEB_MSG_FS_BACK);
    web_pg_staff_end(&c, &p);
    rc = web_pg_answer(rq, &p, 200);
out:
    free(ref);
    web_page_free(&p);
    web_pg_done(&c);
    return rc;
}

/* ---- /yonetim/kart/{id}
 * -------------------------------------------------------------------------- */

/* The forms' state when the page is shown again after a refusal. */
struct card_form {
    const char *carrier, *tracking, *reason, *serial, *note;
    const char *carrier_error, *tracking_error, *reason_error, *serial_error, *note_error,
        *identity_error;
    const char *message; /* a refusal of the whole action */
};

static void fact(struct web_page *p, enum web_msg label, const char *value)
{
    web_page_el_msg(p, WEB_EL_DT, label);
    web_page_el_text(p, WEB_EL_DD, value && *value ? value : "–");
}

static void fact_date(struct web_page *p, enum web_msg label, int64_t t)
{
    char d[32] = "";
    if (t)
        web_pg_time(t, WEB_PG_DATE, d);
    fact(p, label, d);
}

static void action_form(struct web_pg *c, struct web_page *p, const char *href, const char *action,
                        enum web_msg heading, enum web_msg lead)
{
    web_page_section_begin(p, heading);
    if (lead != WEB_MSG_NONE)
        web_pg_para(p, lead);
    web_page_form_begin(p, href, web_pg_csrf(c));
    web_pg_hidden(p, "action", action);
}

static enum web_err card_page(struct web_pg *c, const struct app_card_view *v,
                              const struct card_form *cf, unsigned status)
{
    struct web_page p;
    struct web_error_item items[7];
    size_t n = 0;
    const struct app_application *a = &v->app;
    char href[48], self[48];
    snprintf(href, sizeof href, "/yonetim/basvuru/%lld", (long long)a->id);
    snprintf(self, sizeof self, "/yonetim/kart/%lld", (long long)a->id);
    if (cf->message)
        items[n++] = web_pg_message_item(cf->message);
    if (cf->carrier_error)
        items[n++] = (struct web_error_item){"carrier", WEB_MSG_FL_CARRIER, cf->carrier_error};
    if (cf->tracking_error)
        items[n++] =
            (struct web_error_item){"tracking_number", WEB_MSG_FL_TRACKING, cf->tracking_error};
    if (cf->reason_error)
        items[n++] = (struct web_error_item){"reason", WEB_MSG_FL_CANCEL_REASON, cf->reason_error};
    if (cf->serial_error)
        items[n++] =
            (struct web_error_item){"card_serial", WEB_MSG_FS_CARD_SERIAL, cf->serial_error};
    if (cf->note_error)
        items[n++] = (struct web_error_item){"note", WEB_MSG_FS_WAIVE_NOTE, cf->note_error};
    if (cf->identity_error)
        items[n++] =
            (struct web_error_item){"identity_checked", WEB_MSG_FS_WAIVE_CHECK, cf->identity_error};
    const struct web_layout layout = {.title = WEB_MSG_FS_CARD_TITLE, .errors = n > 0};
    web_pg_page(c, &p);
    web_pg_staff_begin(c, &p, &layout, WEB_PG_NAV_PRODUCTION);
    web_page_error_summary(&p, items, n);
    web_pg_heading(&p, WEB_MSG_FS_CARD_TITLE);
    web_pg_app_number(&p, a->number);
    const char *done = web_req_query(c->rq, "tamam");
    if (done && !strcmp(done, "1"))
        web_pg_notice(&p, WEB_NOTICE_SUCCESS, WEB_MSG_FS_CARD_DONE, NULL, 0);

    web_page_open_class(&p, WEB_EL_DL, "facts");
    web_page_el_msg(&p, WEB_EL_DT, WEB_MSG_AP_COL_APPLICANT);
    web_page_open(&p, WEB_EL_DD);
    web_pg_person_name(&p, a);
    web_page_text(&p, " (");
    web_page_text(&p, a->tckn_masked);
    web_page_text(&p, ")");
    web_page_close(&p, WEB_EL_DD);
    fact(&p, WEB_MSG_AP_F_PROVINCE, app_province_name(v->province));
    web_page_el_msg(&p, WEB_EL_DT, WEB_MSG_AP_COL_STATE);
    web_page_open(&p, WEB_EL_DD);
    web_pg_state_text(&p, a);
    web_page_close(&p, WEB_EL_DD);
    fact_date(&p, WEB_MSG_FS_COL_RENEWS, a->cert_not_after);
    fact_date(&p, WEB_MSG_FS_APPROVED_AT, a->approved_at);
    web_page_el_msg(&p, WEB_EL_DT, WEB_MSG_FS_COL_EXPECTED);
    web_page_open(&p, WEB_EL_DD);
    date_text(&p, v->expected_at);
    if (v->overdue || v->at_risk) {
        struct frow r = {.overdue = v->overdue, .at_risk = v->at_risk};
        web_page_text(&p, " ");
        flags(&p, &r);
    }
    web_page_close(&p, WEB_EL_DD);
    if (a->closed_reason[0])
        fact(&p, WEB_MSG_FS_LAST_REASON, a->closed_reason);
    web_page_close(&p, WEB_EL_DL);

    web_page_section_begin(&p, WEB_MSG_FS_CARD_SECTION); /* the holder's card, not the operator's */
    if (!v->has_card) {
        web_pg_para(&p, WEB_MSG_FS_NO_CARD);
    } else {
        web_page_open_class(&p, WEB_EL_DL, "facts");
        web_page_el_msg(&p, WEB_EL_DT, WEB_MSG_FL_CARD_STATE);
        web_page_open(&p, WEB_EL_DD);
        web_pg_card_state_text(&p, v->state);
        web_page_close(&p, WEB_EL_DD);
        fact(&p, WEB_MSG_FS_CARD_SERIAL, v->serial);
        fact(&p, WEB_MSG_FL_CARRIER, v->carrier);
        fact(&p, WEB_MSG_FL_TRACKING, v->tracking_number);
        fact_date(&p, WEB_MSG_FS_PRODUCED_AT, v->produced_at);
        fact_date(&p, WEB_MSG_FS_SHIPPED_AT, v->shipped_at);
        fact_date(&p, WEB_MSG_FS_DELIVERED_AT, v->delivered_at);
        fact_date(&p, WEB_MSG_FS_ACTIVATED_AT, v->activated_at);
        if (v->note[0])
            fact(&p, WEB_MSG_FS_CARD_NOTE, v->note);
        web_page_close(&p, WEB_EL_DL);
    }
    if (v->new_serial[0]) {
        char from[32], until[32];
        web_pg_time(v->new_not_before, WEB_PG_DATE, from);
        web_pg_time(v->new_not_after, WEB_PG_DATE, until);
        const char *args[] = {v->new_serial, from, until};
        web_page_el_msg(&p, WEB_EL_H3, WEB_MSG_FS_NEW_CERT);
        web_pg_para_args(&p, WEB_MSG_FL_NEW_CERT_LINE, args, 3);
    }
    if (v->pin_waived_until) { /* the word step lifted, in force now */
        char at[32], until[32];
        web_pg_time(v->pin_waived_at, WEB_PG_DATETIME, at);
        web_pg_time(v->pin_waived_until, WEB_PG_DATETIME, until);
        const char *note = v->pin_waived_note[0] ? v->pin_waived_note
                                                 : web_msg(WEB_MSG_FS_WAIVED_NOTE_HIDDEN, c->lang);
        const char *args[] = {v->pin_waived_by, at, until, note};
        web_pg_para_args(&p, WEB_MSG_FS_WAIVED_LINE, args, 4);
    }
    web_page_section_end(&p);

    if (may_act(c)) {
        bool in_prod = web_pg_in_state(a, CORE_APP_IN_PRODUCTION);
        bool shipped = web_pg_in_state(a, CORE_APP_SHIPPED);
        bool approved = web_pg_in_state(a, CORE_APP_APPROVED);
        if (approved && !bureau(c)) {
            struct web_field f = {WEB_FIELD_TEXT,
                                  "card_serial",
                                  WEB_MSG_FS_CARD_SERIAL,
                                  WEB_MSG_FS_CARD_SERIAL_HINT,
                                  .value = cf->serial ? cf->serial : "",
                                  .error = cf->serial_error,
                                  .maxlength = 16,
                                  .optional = true,
                                  .autocomplete = "off"};
            action_form(c, &p, self, "produce", WEB_MSG_FS_PRODUCE, WEB_MSG_FS_PRODUCE_LEAD);
            web_page_field(&p, &f);
            web_page_form_submit(&p, WEB_MSG_FS_PRODUCE, WEB_BUTTON_PRIMARY);
            web_page_section_end(&p);
        }
        if (in_prod) {
            struct web_field f[] = {
                {WEB_FIELD_TEXT, "carrier", WEB_MSG_FL_CARRIER,
                 .value = cf->carrier ? cf->carrier : "", .error = cf->carrier_error,
                 .maxlength = 63},
                {WEB_FIELD_TEXT, "tracking_number", WEB_MSG_FL_TRACKING,
                 .value = cf->tracking ? cf->tracking : "", .error = cf->tracking_error,
                 .maxlength = 63, .autocomplete = "off"},
            };
            action_form(c, &p, self, "ship", WEB_MSG_FS_SHIP, WEB_MSG_NONE);
            web_page_field(&p, &f[0]);
            web_page_field(&p, &f[1]);
            web_page_form_submit(&p, WEB_MSG_FS_SHIP_BUTTON, WEB_BUTTON_PRIMARY);
            web_page_section_end(&p);
        }
        if (in_prod || shipped) {
            action_form(c, &p, self, "deliver", WEB_MSG_FS_DELIVER, WEB_MSG_FS_DELIVER_LEAD);
            web_page_form_submit(&p, WEB_MSG_FS_DELIVER_BUTTON, WEB_BUTTON_PRIMARY);
            web_page_section_end(&p);
        }
        bool arrived =
            web_pg_in_state(a, CORE_APP_DELIVERED) || web_pg_in_state(a, CORE_APP_COMPLETED);
        if (arrived && !bureau(c) && !strcmp(v->source, "inhouse") &&
            !strcmp(v->pin_state, "waiting")) {
            static const struct web_option yes[] = {
                {"yes", WEB_MSG_FS_WAIVE_CHECK_YES, NULL, WEB_MSG_NONE}};
            struct web_field f[] = {
                {WEB_FIELD_TEXT, "note", WEB_MSG_FS_WAIVE_NOTE, WEB_MSG_FS_WAIVE_NOTE_HINT,
                 .value = cf->note ? cf->note : "", .error = cf->note_error,
                 .maxlength = APP_PIN_WAIVER_NOTE_CHARS, .autocomplete = "off"},
                {WEB_FIELD_CHECKBOXES, "identity_checked", WEB_MSG_FS_WAIVE_CHECK,
                 .error = cf->identity_error, .options = yes, .noptions = 1},
            };
            action_form(c, &p, self, "waive_word", WEB_MSG_FS_WAIVE, WEB_MSG_FS_WAIVE_LEAD);
            web_page_field(&p, &f[0]);
            web_page_field(&p, &f[1]);
            web_page_form_submit(&p, WEB_MSG_FS_WAIVE, WEB_BUTTON_SECONDARY);
            web_page_section_end(&p);
        }
        if (a->st < CORE_APP__STATE_COUNT && a->st != CORE_APP_REJECTED &&
            a->st != CORE_APP_COMPLETED && a->st != CORE_APP_CANCELLED) {
            struct web_field f = {WEB_FIELD_TEXTAREA,
                                  "reason",
                                  WEB_MSG_FL_CANCEL_REASON,
                                  WEB_MSG_FS_CANCEL_HINT,
                                  .value = cf->reason ? cf->reason : "",
                                  .error = cf->reason_error,
                                  .maxlength = 2000};
            action_form(c, &p, self, "cancel", WEB_MSG_FS_CANCEL, WEB_MSG_NONE);
            web_page_field(&p, &f);
            web_page_form_submit(&p, WEB_MSG_FS_CANCEL, WEB_BUTTON_SECONDARY);
            web_page_section_end(&p);
        }
    }
    web_page_action_link(&p, href, WEB_MSG_FS_TO_APPLICATION);
    web_pg_staff_end(c, &p);
    return web_pg_reply(c, &p, status);
}

/* The message of a refused field, or of the whole action. */
static const char *field_message(const struct web_pg *c, const char *field)
{
    for (size_t i = 0; i < c->err.nfields; i++)
        if (!strcmp(c->err.fields[i].field, field))
            return web_pg_reason(c, c->err.fields[i].code);
    return NULL;
}

enum web_err web_h_staff_card(struct web_req *rq)
{
    struct web_pg c;
    struct app_card_view *v = NULL;
    struct card_form cf = {0};
    enum web_err rc;
    int64_t id = 0;
    web_pg_init(&c, rq, WEB_PG_STAFF);
    bool post = web_pg_is_post(&c);
    if (!web_pg_enter_staff(&c, post, &rc))
        goto out;
    if (!web_req_param_id(rq, "id", &id)) {
        rc = web_pg_404(&c);
        goto out;
    }
    if (!(v = malloc(sizeof *v))) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    if (app_admin_card(&c.app, id, v, &c.err) != APP_OK) {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    if (!post) {
        rc = card_page(&c, v, &cf, 200);
        goto out;
    }
    const char *action = web_pg_field(&c, "action");
    enum app_status st;
    cf.carrier = web_pg_field(&c, "carrier");
    cf.tracking = web_pg_field(&c, "tracking_number");
    cf.reason = web_pg_field(&c, "reason");
    cf.serial = web_pg_field(&c, "card_serial");
    cf.note = web_pg_field(&c, "note");
    if (action && !strcmp(action, "ship"))
        st = app_admin_shipment(&c.app, id, cf.carrier, cf.tracking, NULL, &c.err);
    else if (action && !strcmp(action, "deliver"))
        st = app_admin_delivery(&c.app, id, NULL, &c.err);
    else if (action && !strcmp(action, "cancel"))
        st = app_admin_cancel(&c.app, id, cf.reason ? cf.reason : "", NULL, &c.err);
    else if (action && !strcmp(action, "produce"))
        st = app_admin_produce(&c.app, id, cf.serial, NULL, &c.err);
    else if (action && !strcmp(action, "waive_word")) {
        const char *yes = web_pg_field(&c, "identity_checked");
        st = app_admin_pin_waive(&c.app, id, cf.note ? cf.note : "", yes && !strcmp(yes, "yes"),
                                 NULL, &c.err);
    } else {
        rc = web_pg_404(&c);
        goto out;
    }
    if (st == APP_OK) {
        char where[64];
        snprintf(where, sizeof where, "/yonetim/kart/%ld?tamam=1", id);
        rc = web_pg_see_other(rq, where);
    } else if (st == APP_EINVAL || st == APP_ECONFLICT) {
        cf.carrier_error = field_message(&c, "carrier");
        cf.tracking_error = field_message(&c, "tracking_number");
        cf.reason_error = field_message(&c, "reason");
        cf.serial_error = field_message(&c, "card_serial");
        cf.note_error = field_message(&c, "note");
        cf.identity_error = field_message(&c, "identity_checked");
        if (!cf.carrier_error && !cf.tracking_error && !cf.reason_error && !cf.serial_error &&
            !cf.note_error && !cf.identity_error)
            cf.message = web_pg_reason(&c, c.err.code ? c.err.code : "invalid_fields");
        struct app_err keep = c.err;
        if (app_admin_card(&c.app, id, v, &c.err) != APP_OK) { /* as it is now */
            rc = web_pg_app_failure(&c);
            goto out;
        }
        c.err = keep;
        rc = card_page(&c, v, &cf, st == APP_EINVAL ? 400 : 409);
    } else {
        rc = web_pg_app_failure(&c);
    }
out:
    free(v);
    web_pg_done(&c);
    return rc;
}
