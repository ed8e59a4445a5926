/* eimza — the dashboard (web/pages/): /yonetim/pano, applications by state and by days waited as
 * inline SVG charts (web/html/svg.h; on a phone the same figures as a list), and the people whose
 * certificate ends within 30, 60 or 90 days; and their list, /yonetim/bitecekler, with its CSV
 * export. Admins and operators choose the province; an approver sees theirs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/text.h"
#include "web/html/svg.h"
#include "web/pages/pages.h"

/* The province a page is asked for (?province=NN, "" or absent: *out 0). An approver always
 * gets theirs; asking for another is refused (false, *forbidden true). A value that is not a
 * plate code is false with *forbidden false. */
static bool asked_province(const struct web_pg *c, const char *v, int *out, bool *forbidden)
{
    long n = 0;
    *forbidden = false;
    if (v && *v && (!web_num_parse(v, 0, 81, &n)))
        return false;
    if (web_pg_role_is(c->who, "approver")) {
        if (n != 0 && n != c->who->province) {
            *forbidden = true;
            return false;
        }
        n = c->who->province;
    }
    *out = (int)n;
    return true;
}

static enum web_err bad_province(struct web_pg *c)
{
    return web_pg_error(c, 400, WEB_MSG_PP_ERR_403_TITLE,
                        app_reason_text("province_unknown", c->lang), WEB_MSG_NONE);
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
            (struct web_option){plates[i], WEB_MSG_NONE, app_province_name(i + 1), WEB_MSG_NONE};
    }
    snprintf(cur, sizeof cur, "%d", province);
    struct web_field f = {WEB_FIELD_SELECT,      "province",
                          WEB_MSG_AP_F_PROVINCE, .value = province ? cur : "",
                          .options = provinces,  .noptions = 82};
    web_page_open(p, WEB_EL_FORM);
    web_page_attr(p, "method", "get");
    web_page_attr(p, "class", "province-form");
    web_page_flag(p, "novalidate");
    web_page_attr(p, "action", action);
    web_pg_hidden(p, "gun", days);
    web_page_field(p, &f);
    web_page_form_submit(p, WEB_MSG_AP_DASH_SHOW, WEB_BUTTON_PRIMARY);
}

static void scope_line(struct web_page *p, int province)
{
    web_page_open_class(p, WEB_EL_P, "scope");
    if (province) {
        const char *args[] = {app_province_name(province)};
        web_page_msg_args(p, WEB_MSG_AP_DASH_SCOPE, args, 1);
    } else {
        web_page_msg(p, WEB_MSG_AP_DASH_ALL);
    }
    web_page_close(p, WEB_EL_P);
}

/* Enters a staff page that shows one province (?province=, an approver's own by default);
 * false with the answer in rc when the session or the province is not right. */
static bool enter_for_province(struct web_pg *c, int *province, enum web_err *rc)
{
    bool forbidden;
    if (!web_pg_enter_staff(c, false, rc))
        return false;
    if (!asked_province(c, web_req_query(c->rq, "province"), province, &forbidden)) {
        *rc = forbidden ? web_pg_403(c, "forbidden_province") : bad_province(c);
        return false;
    }
    return true;
}

/* One chart in a section of its own, labelled by its heading (whose id is hid). */
static void chart_section(struct web_pg *c, struct web_page *p, const char *id, const char *hid,
                          enum web_msg title, const struct web_svg_item *items, size_t n,
                          int (*draw)(struct web_html *, const struct web_svg_chart *))
{
    const struct web_svg_chart chart = {
        .id = id,
        .title = web_msg(title, c->lang),
        .unit = web_msg(WEB_MSG_AP_CHART_UNIT, c->lang),
        .empty = web_msg(WEB_MSG_AP_CHART_EMPTY, c->lang),
        .items = items,
        .n = n,
    };
    web_page_open_class(p, WEB_EL_SECTION, "chart");
    web_page_attr(p, "aria-labelledby", hid);
    web_page_open(p, WEB_EL_H2);
    web_page_attr(p, "id", hid);
    web_page_msg(p, title);
    web_page_close(p, WEB_EL_H2);
    web_pg_svg_result(p, draw(&p->h, &chart));
    /* the same figures as words for a phone, where the picture shrunk to the screen has text
     * too small to read (the stylesheet shows one or the other) */
    web_page_open_class(p, WEB_EL_DL, "facts chart-figures");
    for (size_t i = 0; i < n; i++) {
        char v[64];
        snprintf(v, sizeof v, "%lld %s", items[i].value, chart.unit);
        web_page_el_text(p, WEB_EL_DT, items[i].label);
        web_page_el_text(p, WEB_EL_DD, v);
    }
    web_page_close(p, WEB_EL_DL);
    web_page_close(p, WEB_EL_SECTION);
}

/* Applications by state, from the signed ones on (drafts and verified codes are the
 * applicants' work in progress). */
static void state_chart(struct web_pg *c, struct web_page *p, const struct app_dashboard *dash)
{
    struct web_svg_item states[CORE_APP__STATE_COUNT];
    size_t ns = 0;
    for (int s = CORE_APP_SUBMITTED; s < CORE_APP__STATE_COUNT; s++)
        states[ns++] = (struct web_svg_item){app_state_label((enum core_app_state)s, c->lang),
                                             dash->by_state[s]};
    chart_section(c, p, "chart-states", "h-states", WEB_MSG_AP_CHART_STATES, states, ns,
                  web_svg_bar_chart);
}

/* How long the waiting applications have waited, in groups of days. */
static void waiting_chart(struct web_pg *c, struct web_page *p, const struct app_dashboard *dash)
{
    struct web_svg_item waits[WEB_SVG_WAIT_BUCKETS];
    for (size_t i = 0; i < WEB_SVG_WAIT_BUCKETS; i++)
        waits[i] = (struct web_svg_item){web_svg_wait_label(i, c->lang), dash->waiting[i]};
    chart_section(c, p, "chart-waiting", "h-waiting", WEB_MSG_AP_CHART_WAITING, waits,
                  WEB_SVG_WAIT_BUCKETS, web_svg_column_chart);
}

/* The certificates that expire within 30, 60 and 90 days: how many, with the list and its
 * CSV. */
static void expiring_list(struct web_page *p, const struct app_dashboard *dash, int province)
{
    web_page_section_begin(p, WEB_MSG_AP_EXPIRING_TITLE);
    web_page_open_class(p, WEB_EL_UL, "expiring");
    static const int spans[3] = {30, 60, 90};
    for (int i = 0; i < 3; i++) {
        char days[8], people[WEB_COUNT_MAX], href[64];
        snprintf(days, sizeof days, "%d", spans[i]);
        web_count_text(dash->expiring[i], p->lang, people);
        const char *args[] = {days, people};
        web_page_open(p, WEB_EL_LI);
        web_page_attr(p, "data-days", days);
        web_page_open(p, WEB_EL_STRONG);
        web_page_msg_n(p, WEB_MSG_AP_EXPIRING_ROW, (unsigned long)dash->expiring[i], args, 2);
        web_page_close(p, WEB_EL_STRONG);
        web_page_text(p, " ");
        web_page_open(p, WEB_EL_A);
        expiring_href(href, sizeof href, "/yonetim/bitecekler?gun=", spans[i], province);
        web_page_attr(p, "href", href);
        web_page_msg_args(p, WEB_MSG_AP_EXPIRING_LIST, args, 1);
        web_page_close(p, WEB_EL_A);
        web_page_text(p, " ");
        web_page_open(p, WEB_EL_A);
        web_page_flag(p, "download");
        expiring_href(href, sizeof href, "/api/v1/admin/expiring.csv?days=", spans[i], province);
        web_page_attr(p, "href", href);
        web_page_msg_args(p, WEB_MSG_AP_EXPIRING_CSV, args, 1);
        web_page_close(p, WEB_EL_A);
        web_page_close(p, WEB_EL_LI);
    }
    web_page_close(p, WEB_EL_UL);
    web_page_section_end(p);
}

enum web_err web_h_staff_dashboard(struct web_req *rq)
{
    struct web_pg c;
    struct app_dashboard dash;
    struct web_page p;
    int province = 0;
    enum web_err rc;

    _Static_assert(APP_WAIT_BUCKETS == WEB_SVG_WAIT_BUCKETS, "the dashboard's buckets");
    web_pg_init(&c, rq, WEB_PG_STAFF);
    web_pg_page(&c, &p);
    if (!enter_for_province(&c, &province, &rc))
        goto out;
    if (app_admin_dashboard(&c.app, province, &dash, &c.err) != APP_OK) {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    province = dash.province;

    const struct web_layout layout = {.title = WEB_MSG_AP_DASH_TITLE};
    web_pg_staff_begin(&c, &p, &layout, WEB_PG_NAV_DASHBOARD);
    web_pg_heading(&p, WEB_MSG_AP_DASH_TITLE);
    scope_line(&p, province);
    if (!web_pg_role_is(c.who, "approver"))
        province_chooser(&p, "/yonetim/pano", province, NULL);

    state_chart(&c, &p, &dash);
    waiting_chart(&c, &p, &dash);
    expiring_list(&p, &dash, province);
    web_pg_staff_end(&c, &p);
    rc = web_pg_answer(rq, &p, 200);
out:
    web_page_free(&p);
    return rc;
}

/* ---- /yonetim/bitecekler ----------------------------------------------------------------------
 */

struct expiring_ctx {
    struct web_page *p;
    size_t n;
};

static int expiring_row(void *ctx, const struct app_expiring_person *r)
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
        web_page_open_class(p, WEB_EL_DIV, "table-wrap");
        web_page_open_class(p, WEB_EL_TABLE, "expiring-list cards");
        web_page_open(p, WEB_EL_THEAD);
        web_page_open(p, WEB_EL_TR);
        web_pg_head_cells(p, cols, sizeof cols / sizeof cols[0]);
    }
    char days[WEB_COUNT_MAX];
    web_count_text((long)r->days_left, p->lang, days);
    web_page_open(p, WEB_EL_TR);
    web_page_open(p, WEB_EL_TH);
    web_page_attr(p, "scope", "row");
    web_page_attr_msg(p, "data-label", WEB_MSG_TCKN);
    web_page_open_class(p, WEB_EL_SPAN, "tckn");
    web_page_attr(p, "translate", "no");
    web_page_text(p, r->tckn_masked);
    web_page_close(p, WEB_EL_SPAN);
    web_page_close(p, WEB_EL_TH);
    web_pg_td_begin(p, WEB_MSG_AP_COL_NAME);
    web_page_text(p, r->first_name);
    web_page_text(p, " ");
    web_page_text(p, r->last_name);
    web_page_close(p, WEB_EL_TD);
    web_pg_td_begin(p, WEB_MSG_AP_COL_INSTITUTION);
    web_page_text(p, r->institution_name);
    web_page_close(p, WEB_EL_TD);
    web_pg_td_begin(p, WEB_MSG_AP_COL_DISTRICT);
    web_page_text(p, r->district);
    web_page_close(p, WEB_EL_TD);
    web_pg_td_begin(p, WEB_MSG_AP_COL_EXPIRY);
    web_pg_expiry_text(p, r->not_after);
    web_page_close(p, WEB_EL_TD);
    web_pg_td_begin(p, WEB_MSG_AP_COL_DAYS_LEFT);
    web_page_text(p, days);
    web_page_close(p, WEB_EL_TD);
    web_page_close(p, WEB_EL_TR);
    return 0;
}

enum web_err web_h_staff_expiring(struct web_req *rq)
{
    struct web_pg c;
    struct web_page p;
    int province = 0;
    long days = 0;
    enum web_err rc;

    web_pg_init(&c, rq, WEB_PG_STAFF);
    web_pg_page(&c, &p);
    if (!enter_for_province(&c, &province, &rc))
        goto out;
    const char *gun = web_req_query(rq, "gun");
    if (!gun || !*gun)
        gun = "30";
    if (!web_num_parse(gun, 0, 90, &days) || (days != 30 && days != 60 && days != 90)) {
        rc = web_pg_error(&c, 400, WEB_MSG_PP_ERR_403_TITLE, NULL, WEB_MSG_AP_EXP_DAYS_BAD);
        goto out;
    }
    char dtext[8], csv[80];
    snprintf(dtext, sizeof dtext, "%ld", days);
    const char *args[] = {dtext};
    char title[160];
    web_pg_fill(web_msg(WEB_MSG_AP_EXP_TITLE, c.lang), dtext, title, sizeof title);
    const struct web_layout layout = {.title_text = title};
    web_pg_staff_begin(&c, &p, &layout, WEB_PG_NAV_DASHBOARD);
    web_page_el_text(&p, WEB_EL_H1, title);
    scope_line(&p, province);
    if (!web_pg_role_is(c.who, "approver"))
        province_chooser(&p, "/yonetim/bitecekler", province, dtext);
    web_pg_para(&p, WEB_MSG_AP_EXP_LEAD);
    expiring_href(csv, sizeof csv, "/api/v1/admin/expiring.csv?days=", days, province);
    web_page_open_class(&p, WEB_EL_P, "page-actions");
    web_page_open(&p, WEB_EL_A);
    web_page_flag(&p, "download");
    web_page_attr(&p, "href", csv);
    web_page_msg_args(&p, WEB_MSG_AP_EXPIRING_CSV, args, 1);
    web_page_close(&p, WEB_EL_A);
    web_page_close(&p, WEB_EL_P);
    struct expiring_ctx ec = {&p, 0};
    if (app_admin_expiring(&c.app, province, (int)days, expiring_row, &ec, &c.err) != APP_OK) {
        rc = web_pg_app_failure(&c);
        goto out;
    }
    web_pg_rows_end(&p, ec.n, WEB_MSG_AP_EXP_EMPTY);
    web_pg_staff_end(&c, &p);
    rc = web_pg_answer(rq, &p, 200);
out:
    web_page_free(&p);
    return rc;
}
