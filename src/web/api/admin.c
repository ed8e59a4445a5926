/* eimza — the staff JSON API under /api/v1/admin (web/api/; docs/openapi.yaml, the contract is
 * docs/INTERFACES.md, "Staff"): the staff login and logout, the approvers' queue with the
 * eligibility verdicts, decisions, bulk approval, the signed paper of the wet path, the
 * dashboard's figures, the CSV exports and the ready rejection texts. Thin: make the context,
 * let the staff member in, decode, call app/admin.h or app/staff_auth.h, render. Every error goes
 * through web_reply_app_error, except the two whose answers carry more than it can say (the TOTP
 * enrolment and not_eligible's reasons), which are built here in the same shape with extra members.
 */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/admin.h"
#include "app/privacy.h"
#include "app/staff_auth.h"
#include "app/text.h"
#include "web/api/api.h"
#include "web/api/json.h"
#include "web/html/svg.h"
#include "web/http/context.h"

#define CSV_MAX (32u << 20) /* bytes of one export */

/* ---- helpers ------------------------------------------------------------------------------- */

static json_t *iso_or_null(int64_t t)
{
    char b[24];
    if (!t)
        return json_null();
    web_iso8601(t, b);
    return json_string(b);
}

static enum web_err reply_json(struct web_req *rq, json_t *o)
{
    enum web_err rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
    json_decref(o);
    return rc;
}

/* An integer from the query string or a JSON member (a number, or text as the query writes
 * it): within an int, else integer_format; each one's own range is the use case's to judge. */
static void int_arg(const char *text, json_t *jv, const char *name, long *out, struct app_err *err)
{
    if (jv && !json_is_null(jv)) {
        json_int_t n = json_is_integer(jv) ? json_integer_value(jv) : 0;
        if (json_is_integer(jv) && n >= INT_MIN && n <= INT_MAX)
            *out = (long)n;
        else if (!json_is_string(jv) ||
                 !web_num_parse(json_string_value(jv), INT_MIN, INT_MAX, out))
            app_err_field(err, name, "integer_format");
        return;
    }
    if (text && *text && !web_num_parse(text, INT_MIN, INT_MAX, out))
        app_err_field(err, name, "integer_format");
}

static void bool_arg(const char *text, json_t *jv, const char *name, int *out, struct app_err *err)
{
    if (jv && !json_is_null(jv)) {
        if (json_is_boolean(jv)) {
            *out = json_is_true(jv);
            return;
        }
        text = json_is_string(jv) ? json_string_value(jv) : "?";
    }
    if (!text || !*text)
        return;
    if (!strcmp(text, "1") || !strcmp(text, "true"))
        *out = 1;
    else if (!strcmp(text, "0") || !strcmp(text, "false"))
        *out = 0;
    else
        app_err_field(err, name, "boolean_format");
}

static const char *str_arg(const char *text, json_t *jv, const char *name, struct app_err *err)
{
    if (jv && !json_is_null(jv)) {
        if (json_is_string(jv))
            return json_string_value(jv);
        app_err_field(err, name, "field_type");
        return NULL;
    }
    return text;
}

/* The queue filter from the query string (doc NULL) or from a JSON object. Strings point into
 * the request or doc. Adds per-field errors to err. */
static void read_filter(struct web_req *rq, json_t *doc, struct app_queue_filter *f,
                        struct app_err *err)
{
#define Q(name) (doc ? NULL : web_req_query(rq, name))
#define J(name) (doc ? json_object_get(doc, name) : NULL)
    long province = 0, days = 0, limit = 0, offset = 0;
    memset(f, 0, sizeof *f);
    f->late = -1;
    f->state = str_arg(Q("state"), J("state"), "state", err);
    f->institution = str_arg(Q("institution"), J("institution"), "institution", err);
    f->district = str_arg(Q("district"), J("district"), "district", err);
    int_arg(Q("province"), J("province"), "province", &province, err);
    int_arg(Q("min_waiting_days"), J("min_waiting_days"), "min_waiting_days", &days, err);
    int_arg(Q("limit"), J("limit"), "limit", &limit, err);
    int_arg(Q("offset"), J("offset"), "offset", &offset, err);
    bool_arg(Q("late"), J("late"), "late", &f->late, err);
    f->order = str_arg(Q("order"), J("order"), "order", err);
    f->province = (int)province;
    f->min_waiting_days = (int)days;
    f->limit = limit;
    f->offset = offset;
#undef Q
#undef J
}

/* An error answer of web_reply_app_error's shape with extra members in "error" (taken). */
static enum web_err reply_error_with(struct web_req *rq, const struct app_err *e, json_t *extra)
{
    enum core_lang lang = web_req_lang(rq);
    json_t *inner =
        json_pack("{s:s, s:s}", "code", e->code, "message", app_staff_reason_text(e->code, lang));
    json_t *o = inner && extra ? json_pack("{s:O}", "error", inner) : NULL;
    enum web_err rc = WEB_E_NOMEM;
    if (o && json_object_update(json_object_get(o, "error"), extra) == 0)
        rc = web_reply_json(rq, app_status_http(e->status), o);
    json_decref(o);
    json_decref(inner);
    json_decref(extra);
    return rc;
}

/* ---- login and logout ---------------------------------------------------------------------- */

static enum web_err reply_enrolment(struct web_req *rq, const struct app_err *err,
                                    const struct app_staff_login_out *out)
{
    struct ubuf svg = UBUF_INIT(1 << 20);
    struct web_html h;
    enum web_err rc = WEB_E_NOMEM;
    web_html_init(&h, &svg);
    if (web_svg_qr(&h, out->totp_uri, 240, "İki aşamalı doğrulama karekodu") == 0) {
        json_t *extra = json_pack("{s:s, s:s, s:s}", "totp_secret", out->totp_secret, "totp_uri",
                                  out->totp_uri, "qr_svg", ubuf_str(&svg));
        /* what the person scans must never be kept by a cache on the way */
        if (extra && web_reply_header(rq, "Cache-Control", "no-store") == 0)
            rc = reply_error_with(rq, err, extra);
        else
            json_decref(extra);
    }
    ubuf_free(&svg);
    return rc;
}

enum web_err web_h_admin_login(struct web_req *rq)
{
    struct app_ctx c;
    struct app_staff_login_out out;
    struct app_err err;
    json_t *doc = NULL;
    char exp[24], addr[64];
    web_ctx(rq, APP_ACTOR_NONE, web_req_lang(rq), &c);
    if (!c.db)
        return WEB_E_DB_UNAVAILABLE;
    c.client_addr = web_req_client_addr(rq, addr, sizeof addr); /* the per-address limit */
    enum web_err rc = web_json_body(rq, false, &doc);
    if (rc != WEB_OK)
        return rc;
    app_err_clear(&err);
    struct app_staff_login_req lr = {
        .username = web_json_member(doc, "username", &err),
        .password = web_json_member(doc, "password", &err),
        .totp = web_json_member(doc, "totp", &err),
    };
    if (err.nfields) {
        rc = web_reply_invalid(rq, &err);
        goto out;
    }
    if (app_staff_login(&c, &lr, &out, &err) != APP_OK) {
        if (err.code && !strcmp(err.code, "totp_enrolment_required") && out.totp_uri[0])
            rc = reply_enrolment(rq, &err, &out);
        else
            rc = web_reply_app_error(rq, &err);
        goto out;
    }
    web_iso8601(out.expires_at, exp);
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:o, s:s}", "token", out.token, "csrf_token", out.csrf, "role", out.role,
        "province", out.province ? json_integer(out.province) : json_null(), "expires_at", exp);
    rc = WEB_E_NOMEM;
    if (o && web_session_cookie(rq, APP_ACTOR_STAFF, out.token, c.set->staff.session_lifetime) == 0)
        rc = web_reply_json(rq, 200, o);
    json_decref(o);
out:
    memset(&out, 0, sizeof out);
    json_decref(doc);
    return rc;
}

enum web_err web_h_admin_logout(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    if (app_logout(&c, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    if (web_session_cookie(rq, APP_ACTOR_STAFF, NULL, 0) < 0)
        return WEB_E_NOMEM;
    return web_reply_static(rq, 200, "application/json", "{\"ok\":true}", 11);
}

/* ---- the queue ----------------------------------------------------------------------------- */

static json_t *reasons_array(unsigned reasons, bool texts, enum core_lang lang)
{
    struct app_reason_item r[32];
    size_t n = app_verdict_reasons(reasons, lang, r, sizeof r / sizeof r[0]);
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        if (json_array_append_new(a, json_string(texts ? r[i].text : r[i].code)) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *item_json(const struct app_queue_item *it, enum core_lang lang)
{
    const struct app_application *a = it->app;
    char since[24], cert[CORE_DATE_STRLEN + 1];
    web_iso8601(it->waiting_since, since);
    app_unix_date_iso(a->cert_not_after, cert);
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s?, s:o, s:b, s:b, s:o*, s:o*, s:o, "
        "s:s, s:b, s:i}",
        "id", (json_int_t)a->id, "number", a->number, "state", a->state, "state_label",
        a->st < CORE_APP__STATE_COUNT ? app_state_label(a->st, lang) : a->state, "tckn",
        a->tckn_masked, "first_name", a->first_name, "last_name", a->last_name, "institution_name",
        a->institution_name, "district", it->person ? it->person->district : a->district,
        "province", it->province, "province_name", app_province_name(it->province), "method",
        a->method[0] ? json_string(a->method) : json_null(), "late", (int)a->late, "eligible",
        (int)it->verdict.eligible, "reasons", reasons_array(it->verdict.reasons, false, lang),
        "reason_texts", reasons_array(it->verdict.reasons, true, lang), "certificate_expires",
        a->cert_not_after ? json_string(cert) : json_null(), "waiting_since", since, "wet_required",
        (int)it->verdict.wet_required, "remote_chain", it->remote_chain);
    return o;
}

struct list_ctx {
    json_t *arr;
    enum core_lang lang;
    bool bad;
    const struct app_staff *who; /* whose view of personal data (app/privacy.h) */
};

static int list_item(void *ctx, const struct app_queue_item *it)
{
    struct list_ctx *c = ctx;
    if (json_array_append_new(c->arr, item_json(it, c->lang)) != 0) {
        c->bad = true;
        return 1;
    }
    return 0;
}

enum web_err web_h_admin_list(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_queue_filter f;
    long total = 0;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    app_err_clear(&err);
    read_filter(rq, NULL, &f, &err);
    if (err.nfields)
        return web_reply_invalid(rq, &err);
    struct list_ctx l = {json_array(), c.lang, false, &c.who.staff};
    if (!l.arr)
        return WEB_E_NOMEM;
    if (app_admin_list(&c, &f, list_item, &l, &total, &err) != APP_OK)
        rc = web_reply_app_error(rq, &err);
    else if (l.bad)
        rc = WEB_E_NOMEM;
    else
        rc = reply_json(rq,
                        json_pack("{s:I, s:O}", "total", (json_int_t)total, "applications", l.arr));
    json_decref(l.arr);
    return rc;
}

/* The single application's answer: the list's members, the form's details the approver
 * checks, the personnel record now, and the latest decision. */
static int get_item(void *ctx, const struct app_queue_item *it)
{
    struct list_ctx *c = ctx;
    const struct app_application *a = it->app;
    const struct core_personnel *p = it->person;
    char masked_phone[APP_PII_MAX], email[APP_PII_MAX], end[CORE_DATE_STRLEN + 1];
    char work_phone[APP_PII_MAX], home_phone[APP_PII_MAX];
    json_t *o = item_json(it, c->lang);
    int bad = !o;
    /* personal data as the role may see them (app/privacy.h) */
    app_pii_view(c->who, APP_PII_PHONE, a->mobile_phone, masked_phone, sizeof masked_phone);
    app_pii_view(c->who, APP_PII_EMAIL, a->email, email, sizeof email);
    app_pii_view(c->who, APP_PII_PHONE, a->work_phone, work_phone, sizeof work_phone);
    app_pii_view(c->who, APP_PII_PHONE, a->home_phone, home_phone, sizeof home_phone);
    if (o)
        bad |= json_object_update_new(
            o, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "unit", a->unit,
                         "title", a->title, "address", a->address, "postal_code", a->postal_code,
                         "email", email, "mobile_phone", masked_phone, "notify_by", a->notify_by,
                         "reason", a->reason, "created_at", iso_or_null(a->created_at),
                         "updated_at", iso_or_null(a->updated_at)));
    /* the rest of the form (issue 17, point 12: every field the page shows) */
    if (o)
        bad |= json_object_update_new(
            o, json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "card_reader",
                         a->card_reader, "validity_years", a->validity_years, "work_phone",
                         work_phone, "work_phone_ext", a->work_phone_ext, "home_phone", home_phone,
                         "mobile_operator", a->mobile_operator, "birth_place", a->birth_place,
                         "birth_date", a->birth_date, "registry_no", a->registry_no,
                         "form_province", a->province));
    json_t *pj = json_null();
    if (p) {
        app_date_iso(p->assignment_end, end);
        pj = json_pack("{s:i, s:s, s:s, s:s, s:s, s:o, s:b}", "province", p->province, "district",
                       p->district, "institution_name", p->institution_name, "duty",
                       app_duty_code(p->duty), "title", p->title, "assignment_end",
                       end[0] ? json_string(end) : json_null(), "entitled", (int)p->entitled);
    }
    if (o)
        bad |= json_object_set_new(o, "personnel", pj);
    json_t *dj = json_null();
    if (it->decision) {
        json_error_t je;
        json_t *verdict = json_loads(it->decision->verdict, 0, &je);
        dj = json_pack("{s:s, s:s, s:s, s:o, s:o*}", "decision", it->decision->decision, "reason",
                       it->decision->reason, "staff", it->decision->staff, "at",
                       iso_or_null(it->decision->at), "verdict", verdict);
    }
    if (o)
        bad |= json_object_set_new(o, "decision", dj);
    if (bad || !o) {
        json_decref(o);
        c->bad = true;
        return 1;
    }
    c->arr = o;
    return 0;
}

enum web_err web_h_admin_get(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    int64_t id;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    if (!web_req_param_id(rq, "id", &id))
        return web_reply_not_found(rq);
    struct list_ctx l = {NULL, c.lang, false, &c.who.staff};
    if (app_admin_get(&c, id, get_item, &l, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    if (l.bad || !l.arr)
        return WEB_E_NOMEM;
    return reply_json(rq, l.arr);
}

/* ---- search and the full T.C. Kimlik No (issue 17) ----------------------------------------- */

static const char *const search_kinds[] = {"", "number", "tckn", "name"};

/* POST /api/v1/admin/search {q}: the applications found, as the list gives them. A POST so
 * that a T.C. Kimlik No or a name is never in an address (proxies log those). */
enum web_err web_h_admin_search(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_search_result res;
    json_t *doc = NULL;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    const char *q;
    if (!web_json_body_string(rq, "q", false, &doc, &q, &rc))
        return rc;
    struct list_ctx l = {json_array(), c.lang, false, &c.who.staff};
    if (!l.arr) {
        json_decref(doc);
        return WEB_E_NOMEM;
    }
    if (app_admin_search(&c, q, list_item, &l, &res, &err) != APP_OK)
        rc = web_reply_app_error(rq, &err);
    else if (l.bad)
        rc = WEB_E_NOMEM;
    else
        rc = reply_json(rq, json_pack("{s:s, s:I, s:O}", "kind", search_kinds[res.kind], "found",
                                      (json_int_t)res.found, "applications", l.arr));
    json_decref(l.arr);
    json_decref(doc);
    return rc;
}

/* POST /api/v1/admin/applications/{id}/tckn: the holder's full T.C. Kimlik No, for a role that
 * sees it on request; each answer audited, never cached. */
enum web_err web_h_admin_tckn(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    char tckn[CORE_TCKN_LEN + 1];
    int64_t id;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    if (!web_req_param_id(rq, "id", &id))
        return web_reply_not_found(rq);
    if (app_admin_tckn(&c, id, tckn, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    if (web_reply_header(rq, "Cache-Control", "no-store") < 0)
        return WEB_E_NOMEM;
    return reply_json(rq, json_pack("{s:s}", "tckn", tckn));
}

/* ---- decisions ----------------------------------------------------------------------------- */

/* 409 not_eligible with the blocking reasons (codes and the approver's texts). */
static enum web_err reply_not_eligible(struct web_req *rq, const struct app_err *err)
{
    unsigned bits = 0;
    for (size_t i = 0; i < err->nfields; i++)
        if (!strcmp(err->fields[i].field, "reasons"))
            bits |= app_verdict_parse(err->fields[i].code);
    enum core_lang lang = web_req_lang(rq);
    json_t *extra = json_pack("{s:o*, s:o*}", "reasons", reasons_array(bits, false, lang),
                              "reason_texts", reasons_array(bits, true, lang));
    return extra ? reply_error_with(rq, err, extra) : WEB_E_NOMEM;
}

enum web_err web_h_admin_decision(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_application a;
    json_t *doc = NULL;
    int64_t id;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    if (!web_req_param_id(rq, "id", &id))
        return web_reply_not_found(rq);
    rc = web_json_body(rq, false, &doc);
    if (rc != WEB_OK)
        return rc;
    app_err_clear(&err);
    const char *decision = web_json_member(doc, "decision", &err);
    const char *reason = web_json_member(doc, "reason", &err);
    if (err.nfields)
        rc = web_reply_invalid(rq, &err);
    else if (app_admin_decide(&c, id, decision, reason, &a, &err) != APP_OK)
        rc = err.code && !strcmp(err.code, "not_eligible") ? reply_not_eligible(rq, &err)
                                                           : web_reply_app_error(rq, &err);
    else
        rc = reply_json(rq, json_pack("{s:s, s:s, s:I}", "state", a.state, "number", a.number, "id",
                                      (json_int_t)a.id));
    json_decref(doc);
    return rc;
}

enum web_err web_h_admin_bulk_approve(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_queue_filter f;
    long approved = 0, skipped = 0;
    json_t *doc = NULL;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    rc = web_json_body(rq, true, &doc);
    if (rc != WEB_OK)
        return rc;
    app_err_clear(&err);
    json_t *jids = json_object_get(doc, "ids");
    int64_t ids[APP_BULK_IDS_MAX];
    size_t n = 0;
    enum app_status st;
    if (jids) { /* exactly these (issue 17): the list a review showed */
        size_t i;
        json_t *v;
        if (!json_is_array(jids) || json_array_size(jids) > APP_BULK_IDS_MAX)
            app_err_field(&err, "ids", "bulk_ids_range");
        json_array_foreach(jids, i, v)
        {
            if (err.nfields)
                break;
            if (!json_is_integer(v) || json_integer_value(v) < 1)
                app_err_field(&err, "ids", "integer_format");
            else
                ids[n++] = (int64_t)json_integer_value(v);
        }
    } else {
        read_filter(rq, doc, &f, &err);
    }
    if (err.nfields) {
        rc = web_reply_invalid(rq, &err);
        goto out;
    }
    st = jids ? app_admin_bulk_approve_ids(&c, ids, n, &approved, &skipped, &err)
              : app_admin_bulk_approve(&c, &f, &approved, &skipped, &err);
    if (st != APP_OK)
        rc = web_reply_app_error(rq, &err);
    else
        rc = reply_json(rq, json_pack("{s:I, s:I}", "approved", (json_int_t)approved, "skipped",
                                      (json_int_t)skipped));
out:
    json_decref(doc);
    return rc;
}

enum web_err web_h_admin_paper_received(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_application a;
    int64_t id;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    if (!web_req_param_id(rq, "id", &id))
        return web_reply_not_found(rq);
    if (app_admin_paper_received(&c, id, &a, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    return reply_json(rq, json_pack("{s:s, s:s, s:I}", "state", a.state, "number", a.number, "id",
                                    (json_int_t)a.id));
}

/* ---- dashboard, exports, ready texts ------------------------------------------------------- */

enum web_err web_h_admin_dashboard(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_dashboard d;
    long province = 0;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    app_err_clear(&err);
    if (!web_req_query_num(rq, "province", INT_MIN, INT_MAX, &province, &err))
        return web_reply_invalid(rq, &err);
    if (app_admin_dashboard(&c, (int)province, &d, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    json_t *states = json_object(), *waiting = json_array();
    int bad = !states || !waiting;
    for (int i = 0; !bad && i < CORE_APP__STATE_COUNT; i++)
        bad |= json_object_set_new(states, app_state_code((enum core_app_state)i),
                                   json_integer(d.by_state[i]));
    for (int i = 0; !bad && i < APP_WAIT_BUCKETS; i++)
        bad |= json_array_append_new(waiting, json_integer(d.waiting[i]));
    json_t *o = bad ? NULL
                    : json_pack("{s:o, s:O, s:[s,s,s,s,s], s:O, s:{s:I, s:I, s:I}}", "province",
                                d.province ? json_integer(d.province) : json_null(), "by_state",
                                states, "waiting_buckets", "<1", "1-3", "3-7", "7-15", ">=15",
                                "waiting", waiting, "expiring", "30", (json_int_t)d.expiring[0],
                                "60", (json_int_t)d.expiring[1], "90", (json_int_t)d.expiring[2]);
    json_decref(states);
    json_decref(waiting);
    return reply_json(rq, o);
}

static enum web_err reply_csv(struct web_req *rq, struct ubuf *b, const char *filename)
{
    char cd[160];
    snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", filename);
    if (web_reply_header(rq, "Content-Disposition", cd) < 0)
        return WEB_E_INTERNAL;
    return web_reply(rq, 200, "text/csv; charset=utf-8", b);
}

enum web_err web_h_admin_queue_csv(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_queue_filter f;
    char name[64], day[CORE_DATE_STRLEN + 1];
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    app_err_clear(&err);
    read_filter(rq, NULL, &f, &err);
    if (err.nfields)
        return web_reply_invalid(rq, &err);
    struct ubuf b = UBUF_INIT(CSV_MAX);
    if (app_admin_queue_csv(&c, &f, &b, &err) != APP_OK) {
        rc = web_reply_app_error(rq, &err);
    } else {
        app_unix_date_iso(c.now, day);
        snprintf(name, sizeof name, "basvurular-%s.csv", day);
        rc = reply_csv(rq, &b, name);
    }
    ubuf_free(&b);
    return rc;
}

enum web_err web_h_admin_expiring_csv(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    long province = 0, days = 30;
    char name[64];
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    app_err_clear(&err);
    web_req_query_num(rq, "province", INT_MIN, INT_MAX, &province, &err);
    web_req_query_num(rq, "days", INT_MIN, INT_MAX, &days, &err);
    if (err.nfields)
        return web_reply_invalid(rq, &err);
    struct ubuf b = UBUF_INIT(CSV_MAX);
    if (app_admin_expiring_csv(&c, (int)province, (int)days, &b, &err) != APP_OK) {
        rc = web_reply_app_error(rq, &err);
    } else {
        snprintf(name, sizeof name, "suresi-dolacaklar-%ld-gun.csv", days);
        rc = reply_csv(rq, &b, name);
    }
    ubuf_free(&b);
    return rc;
}

enum web_err web_h_admin_rejection_reasons(struct web_req *rq)
{
    struct app_ctx c;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    enum core_lang lang = c.lang;
    size_t nrej;
    const struct core_rejection *rej = app_rejections(&nrej);
    json_t *arr = json_array();
    int bad = !arr;
    for (size_t i = 0; !bad && i < nrej; i++) {
        const struct core_rejection *r = &rej[i];
        bad |=
            json_array_append_new(arr, json_pack("{s:s, s:s, s:o*, s:b}", "code", r->code, "text",
                                                 app_rejection_text(r, lang), "suggested_for",
                                                 reasons_array(r->verdict, false, lang),
                                                 "needs_text", !strcmp(r->code, "other")));
    }
    json_t *o = bad ? NULL : json_pack("{s:O}", "reasons", arr);
    json_decref(arr);
    return reply_json(rq, o);
}

/* ---- messages that need the operator --------------------------------------------------------- */

static int add_message(void *ctx, const struct app_message_problem *m)
{
    json_t *arr = ctx;
    char created[24], handed[24];
    web_iso8601(m->created_at, created);
    if (m->handed_over_at)
        web_iso8601(m->handed_over_at, handed);
    return json_array_append_new(
        arr, json_pack("{s:I, s:s, s:s, s:s, s:s*, s:s, s:s, s:s, s:i, s:s, s:s?}", "id",
                       (json_int_t)m->id, "channel", m->channel, "to", m->to, "subject", m->subject,
                       "template", m->tpl, "status", m->status, "error", m->error, "dedupe_key",
                       m->dedupe_key, "attempts", m->attempts, "created_at", created,
                       "handed_over_at", m->handed_over_at ? handed : NULL));
}

static enum web_err message_action(struct web_req *rq, const char *action)
{
    struct app_ctx c;
    struct app_err err;
    int64_t id;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    if (!web_req_param_id(rq, "id", &id))
        id = 0; /* app_admin_message_action: message_not_found */
    if (app_admin_message_action(&c, id, action, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    return reply_json(rq, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status",
                                    !strcmp(action, "retry") ? "pending" : "sent"));
}

enum web_err web_h_admin_message_retry(struct web_req *rq)
{
    return message_action(rq, "retry");
}

enum web_err web_h_admin_message_confirm(struct web_req *rq)
{
    return message_action(rq, "confirm");
}

enum web_err web_h_admin_messages(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    json_t *arr = json_array();
    if (!arr)
        return WEB_E_NOMEM;
    if (app_admin_messages(&c, add_message, arr, &err) != APP_OK) {
        json_decref(arr);
        return web_reply_app_error(rq, &err);
    }
    json_t *o = json_pack("{s:o}", "messages", arr);
    return reply_json(rq, o);
}
