/* eimza — the audit log for admins (web/pages/; issue 17, point 15): /yonetim/denetim lists the
 * entries newest first with a filter (who, what, on what, between which days), a page of 50 at
 * a time with a way to the older ones, each action in words beside its code; POST checks the
 * whole hash chain (what `eimza audit verify` does) and shows the result, the check itself
 * written to the log. Other roles get a 403 that says these are the admins' pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/text.h"
#include "web/pages/pages.h"

enum audit_field { F_ACTOR, F_ACTION, F_OBJECT, F_FROM, F_TO, F_N };
static const char *const field_names[F_N] = {"actor", "action", "object", "from", "to"};
static const enum web_msg field_labels[F_N] = {WEB_MSG_SP_AUD_ACTOR, WEB_MSG_SP_AUD_ACTION,
                                               WEB_MSG_SP_AUD_OBJECT, WEB_MSG_SP_AUD_FROM,
                                               WEB_MSG_SP_AUD_TO};

struct audit_query {
    struct app_audit_filter f;
    const char *values[F_N];
    const char *errors[F_N];
    bool bad;
};

static void read_query(struct web_pg *c, struct audit_query *q)
{
    long before;
    memset(q, 0, sizeof *q);
    for (int i = 0; i < F_N; i++)
        q->values[i] = web_req_query(c->rq, field_names[i]);
    q->f.actor = q->values[F_ACTOR];
    q->f.action = q->values[F_ACTION];
    q->f.object = q->values[F_OBJECT];
    for (int i = F_FROM; i <= F_TO; i++) {
        const char *v = q->values[i];
        if (!v || !*v)
            continue;
        int64_t t = app_day_start_tr(v);
        if (t < 0)
            q->errors[i] = web_msg(WEB_MSG_SP_AUD_BAD_DATE, c->lang);
        else if (i == F_FROM)
            q->f.from = t;
        else
            q->f.to = t + 86400; /* the whole last day */
    }
    if (web_num_parse(web_req_query(c->rq, "before"), 0, 999999999, &before))
        q->f.before = before;
    for (int i = 0; i < F_N; i++)
        q->bad |= q->errors[i] != NULL;
}

/* The filter as a query string (without before); 0 or -1. */
static int query_string(const struct audit_query *q, struct ubuf *out)
{
    int r = 0;
    for (int i = 0; i < F_N; i++)
        r |= web_pg_q_add(out, field_names[i], q->values[i]);
    return r;
}

static void filter_form(struct web_page *p, const struct audit_query *q)
{
    struct web_field f[F_N] = {
        [F_ACTOR] = {WEB_FIELD_TEXT, "actor", WEB_MSG_SP_AUD_ACTOR, WEB_MSG_SP_AUD_ACTOR_HINT,
                     .maxlength = 200, .autocomplete = "off"},
        [F_ACTION] = {WEB_FIELD_TEXT, "action", WEB_MSG_SP_AUD_ACTION, WEB_MSG_SP_AUD_ACTION_HINT,
                      .maxlength = 200, .autocomplete = "off"},
        [F_OBJECT] = {WEB_FIELD_TEXT, "object", WEB_MSG_SP_AUD_OBJECT, WEB_MSG_SP_AUD_OBJECT_HINT,
                      .maxlength = 200, .autocomplete = "off"},
        [F_FROM] = {WEB_FIELD_DATE, "from", WEB_MSG_SP_AUD_FROM},
        [F_TO] = {WEB_FIELD_DATE, "to", WEB_MSG_SP_AUD_TO},
    };
    bool narrowed = q->bad;
    for (int i = 0; i < F_N; i++) {
        f[i].value = q->values[i] ? q->values[i] : "";
        f[i].error = q->errors[i];
        narrowed |= q->values[i] && *q->values[i];
    }
    web_pg_filter_open(p, "/yonetim/denetim", narrowed);
    for (int i = 0; i < F_N; i++)
        web_page_field(p, &f[i]);
    web_pg_filter_close(p, "/yonetim/denetim");
}

/* The check of the chain: its button, and after a POST what it found. */
static void verify_section(struct web_pg *c, struct web_page *p, const struct app_audit_check *v)
{
    web_page_section_begin(p, WEB_MSG_SP_AUD_VERIFY_TITLE);
    if (v) {
        char n[WEB_COUNT_MAX], seq[24], when[32];
        web_count_text(v->entries, c->lang, n);
        snprintf(seq, sizeof seq, "%lld", (long long)v->seq);
        web_pg_time(v->at, WEB_PG_DATETIME, when);
        if (v->intact) {
            const char *args[] = {n, v->last_hash[0] ? v->last_hash : "—"};
            web_page_notice_begin(p, WEB_NOTICE_SUCCESS);
            web_page_open_class(p, WEB_EL_P, "audit-intact");
            web_page_msg_args(p, WEB_MSG_SP_AUD_INTACT, args, 2);
            web_page_close(p, WEB_EL_P);
            web_page_notice_end(p);
        } else {
            enum web_msg why = !strcmp(v->problem, "removed")     ? WEB_MSG_SP_AUD_REMOVED
                               : !strcmp(v->problem, "reordered") ? WEB_MSG_SP_AUD_REORDERED
                                                                  : WEB_MSG_SP_AUD_CHANGED;
            const char *args[] = {seq, when[0] ? when : "—", v->action[0] ? v->action : "—"};
            web_page_notice_begin(p, WEB_NOTICE_WARNING);
            web_page_open_class(p, WEB_EL_P, "audit-broken");
            web_page_msg_args(p, why, args, 3);
            web_page_close(p, WEB_EL_P);
            web_pg_para(p, WEB_MSG_SP_AUD_BROKEN_WHAT);
            web_page_notice_end(p);
        }
    }
    web_pg_para(p, WEB_MSG_SP_AUD_VERIFY_LEAD);
    web_page_form_begin(p, "/yonetim/denetim", web_pg_csrf(c));
    web_page_form_submit(p, WEB_MSG_SP_AUD_VERIFY_BUTTON, WEB_BUTTON_SECONDARY);
    web_page_section_end(p);
}

/* The entries of a page, copied out of the use case's callback (its strings live only there),
 * so that a filter the use case refuses is known before the page is written. */
struct rows {
    struct {
        int64_t seq, at;
        char *actor, *action, *object, *detail;
    } v[APP_AUDIT_PAGE];
    size_t n;
    bool oom;
};

static char *dup_text(const char *s, bool *oom)
{
    char *d = strdup(s ? s : "");
    *oom |= d == NULL;
    return d;
}

static int collect(void *ctx, const struct app_audit_row *r)
{
    struct rows *l = ctx;
    if (l->n == APP_AUDIT_PAGE)
        return 1;
    l->v[l->n].seq = r->seq;
    l->v[l->n].at = r->at;
    l->v[l->n].actor = dup_text(r->actor, &l->oom);
    l->v[l->n].action = dup_text(r->action, &l->oom);
    l->v[l->n].object = dup_text(r->object, &l->oom);
    l->v[l->n].detail = dup_text(r->detail, &l->oom);
    l->n++;
    return 0;
}

static void rows_free(struct rows *l)
{
    for (size_t i = 0; l && i < l->n; i++) {
        free(l->v[i].actor);
        free(l->v[i].action);
        free(l->v[i].object);
        free(l->v[i].detail);
    }
    free(l);
}

/* The entries as a table of six columns (a card per row on a phone). */
static void audit_table(struct web_page *p, const struct rows *l)
{
    static const enum web_msg cols[] = {WEB_MSG_SP_AUD_COL_SEQ, WEB_MSG_SP_AUD_COL_AT,
                                        WEB_MSG_SP_AUD_ACTOR,   WEB_MSG_SP_AUD_ACTION,
                                        WEB_MSG_SP_AUD_OBJECT,  WEB_MSG_SP_AUD_COL_DETAIL};
    if (l->n == 0) {
        web_pg_para(p, WEB_MSG_SP_AUD_EMPTY);
        return;
    }
    web_page_open_class(p, WEB_EL_DIV, "table-wrap");
    web_page_open_class(p, WEB_EL_TABLE, "audit-log cards");
    web_page_el_msg(p, WEB_EL_CAPTION, WEB_MSG_SP_AUD_CAPTION);
    web_page_open(p, WEB_EL_THEAD);
    web_page_open(p, WEB_EL_TR);
    web_pg_head_cells(p, cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; i < l->n; i++) {
        char seq[24], when[32];
        snprintf(seq, sizeof seq, "%lld", (long long)l->v[i].seq);
        web_pg_time(l->v[i].at, WEB_PG_DATETIME, when);
        web_page_open(p, WEB_EL_TR);
        web_page_attr(p, "data-seq", seq);
        web_page_open(p, WEB_EL_TH);
        web_page_attr(p, "scope", "row");
        web_page_attr_msg(p, "data-label", WEB_MSG_SP_AUD_COL_SEQ);
        web_page_text(p, seq);
        web_page_close(p, WEB_EL_TH);
        web_pg_td_begin(p, WEB_MSG_SP_AUD_COL_AT);
        web_page_text(p, when);
        web_page_close(p, WEB_EL_TD);
        web_pg_td_begin(p, WEB_MSG_SP_AUD_ACTOR);
        web_page_text(p, l->v[i].actor);
        web_page_close(p, WEB_EL_TD);
        web_pg_td_begin(p, WEB_MSG_SP_AUD_ACTION);
        const char *words = app_audit_action_text(l->v[i].action, p->lang);
        if (words) {
            web_page_el_text(p, WEB_EL_SPAN, words);
            web_page_open(p, WEB_EL_BR);
        }
        web_page_open_class(p, WEB_EL_SMALL, "audit-action");
        web_page_attr(p, "translate", "no");
        web_page_text(p, l->v[i].action);
        web_page_close(p, WEB_EL_SMALL);
        web_page_close(p, WEB_EL_TD);
        web_pg_td_begin(p, WEB_MSG_SP_AUD_OBJECT);
        web_page_text(p, l->v[i].object[0] ? l->v[i].object : "—");
        web_page_close(p, WEB_EL_TD);
        web_pg_td_begin(p, WEB_MSG_SP_AUD_COL_DETAIL);
        if (strcmp(l->v[i].detail, "{}") != 0 && l->v[i].detail[0]) {
            web_page_open_class(p, WEB_EL_CODE, "audit-detail");
            web_page_attr(p, "translate", "no");
            web_page_text(p, l->v[i].detail);
            web_page_close(p, WEB_EL_CODE);
        } else {
            web_page_msg(p, WEB_MSG_AP_NONE);
        }
        web_page_close(p, WEB_EL_TD);
        web_page_close(p, WEB_EL_TR);
    }
    web_page_close(p, WEB_EL_TBODY);
    web_page_close(p, WEB_EL_TABLE);
    web_page_close(p, WEB_EL_DIV);
}

/* "the newest" and "older entries": the same filter, from the top or before the last shown */
static void audit_pager(struct web_page *p, const struct audit_query *q, const struct rows *l,
                        bool more)
{
    struct ubuf qs = UBUF_INIT(2048), href = UBUF_INIT(2048);
    if (!more && !q->f.before)
        goto out;
    if (query_string(q, &qs) < 0)
        web_page_fail(p);
    web_page_open_class(p, WEB_EL_NAV, "pager");
    web_page_attr_msg(p, "aria-label", WEB_MSG_SP_PAGES_LABEL);
    if (q->f.before) {
        if (ubuf_puts(&href, "/yonetim/denetim?") < 0 || ubuf_puts(&href, ubuf_str(&qs)) < 0)
            web_page_fail(p);
        web_page_open(p, WEB_EL_A);
        web_page_attr(p, "href", ubuf_str(&href));
        web_page_msg(p, WEB_MSG_SP_AUD_NEWEST);
        web_page_close(p, WEB_EL_A);
    }
    if (more && l->n > 0) {
        ubuf_reset(&href);
        /* web_pg_q_add_long separates with '&' itself, so it goes on the query alone */
        if (web_pg_q_add_long(&qs, "before", (long)l->v[l->n - 1].seq) < 0 ||
            ubuf_puts(&href, "/yonetim/denetim?") < 0 || ubuf_puts(&href, ubuf_str(&qs)) < 0)
            web_page_fail(p);
        web_page_open(p, WEB_EL_A);
        web_page_attr(p, "rel", "next");
        web_page_attr(p, "href", ubuf_str(&href));
        web_page_msg(p, WEB_MSG_SP_AUD_OLDER);
        web_page_close(p, WEB_EL_A);
    }
    web_page_close(p, WEB_EL_NAV);
out:
    ubuf_free(&qs);
    ubuf_free(&href);
}

enum web_err web_h_staff_audit(struct web_req *rq)
{
    struct web_pg c;
    struct web_page p;
    struct audit_query q;
    struct app_audit_check check, *shown = NULL;
    struct web_error_item items[F_N + 1];
    struct rows *l = NULL;
    size_t nitems = 0;
    bool more = false;
    enum web_err rc;

    web_pg_init(&c, rq, WEB_PG_STAFF);
    web_pg_page(&c, &p);
    bool post = web_pg_is_post(&c);
    if (!web_pg_enter_admin(&c, post, &rc))
        goto out;
    if (post) { /* the check of the chain */
        if (app_admin_audit_verify(&c.app, &check, &c.err) != APP_OK) {
            rc = web_pg_app_failure(&c);
            goto out;
        }
        shown = &check;
    }
    read_query(&c, &q);
    if (!(l = calloc(1, sizeof *l))) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    if (!q.bad && app_admin_audit(&c.app, &q.f, collect, l, &more, &c.err) != APP_OK) {
        if (c.err.status != APP_EINVAL) {
            rc = web_pg_app_failure(&c);
            goto out;
        }
        for (size_t i = 0; i < c.err.nfields; i++)
            for (int k = 0; k < F_N; k++)
                if (!strcmp(c.err.fields[i].field, field_names[k]) && !q.errors[k])
                    q.errors[k] = app_reason_text(c.err.fields[i].code, c.lang);
        q.bad = true;
    }
    if (l->oom) {
        rc = WEB_E_NOMEM;
        goto out;
    }
    for (int k = 0; k < F_N; k++)
        if (q.errors[k])
            items[nitems++] = (struct web_error_item){field_names[k], field_labels[k], q.errors[k]};
    if (q.bad && nitems == 0)
        items[nitems++] = web_pg_message_item(app_reason_text("invalid_fields", c.lang));

    const struct web_layout layout = {.title = WEB_MSG_SP_AUD_TITLE, .errors = nitems > 0};
    web_pg_staff_begin(&c, &p, &layout, WEB_PG_NAV_AUDIT);
    web_page_error_summary(&p, items, nitems);
    web_pg_heading(&p, WEB_MSG_SP_AUD_TITLE);
    web_pg_para(&p, WEB_MSG_SP_AUD_LEAD);
    verify_section(&c, &p, shown);
    web_page_section_begin(&p, WEB_MSG_SP_AUD_ENTRIES);
    filter_form(&p, &q);
    if (!q.bad) {
        audit_table(&p, l);
        audit_pager(&p, &q, l, more);
    }
    web_page_section_end(&p);
    web_pg_staff_end(&c, &p);
    rc = web_pg_answer(rq, &p, nitems ? 400 : 200);
out:
    rows_free(l);
    web_page_free(&p);
    web_pg_done(&c);
    return rc;
}
