/* eimza — the JSON API after the decision (web/api/; docs/openapi.yaml; the use cases are
 * app/card_flow.h): the holder cancels before the decision and confirms the card's delivery;
 * operators and admins cancel with a reason, record a card's shipment and its delivery, work
 * through the production queue, the card bureau's batches, the cards, and (in house) have a
 * card made; the in-house CA's CRL and OCSP. Thin: context, actor, decode, use case, JSON. */
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/card_flow.h"
#include "app/csv.h"
#include "app/text.h"
#include "web/api/api.h"
#include "web/api/json.h"
#include "web/http/context.h"

/* ---- helpers ------------------------------------------------------------------------------- */

/* {"state","number","id"} of an application a use case saved. */
static enum web_err flow_reply_app(struct web_req *rq, const struct app_application *a)
{
    json_t *o = json_pack("{s:s, s:s, s:I}", "state", a->state, "number", a->number, "id",
                          (json_int_t)a->id);
    enum web_err rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
    json_decref(o);
    return rc;
}

/* ---- the holder ------------------------------------------------------------------------------ */

/* A step of the holder's own application with nothing to read: the use case, then the saved
 * application. */
static enum web_err flow_holder_step(struct web_req *rq,
                                     enum app_status (*step)(const struct app_ctx *c,
                                                             struct app_application *a,
                                                             struct app_err *err))
{
    struct app_ctx c;
    struct app_err err;
    struct app_application a;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_APPLICANT, &c, &rc))
        return rc;
    if (step(&c, &a, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    return flow_reply_app(rq, &a);
}

enum web_err web_h_api_application_cancel(struct web_req *rq)
{
    return flow_holder_step(rq, app_application_cancel);
}

enum web_err web_h_api_delivery_confirm(struct web_req *rq)
{
    return flow_holder_step(rq, app_delivery_confirm);
}

/* ---- the staff: one application -----------------------------------------------------------------
 */

/* A staff step on the application {id} of the path: the JSON body's string members (at most
 * two, in the order the use case takes them; "" for none), then the use case, then the saved
 * application. One table row per route below. */
struct flow_staff_step {
    bool empty_ok;          /* an empty body is {} */
    const char *members[2]; /* NULL: not read */
    enum app_status (*run)(const struct app_ctx *c, int64_t id, const char *const v[2],
                           struct app_application *a, struct app_err *err);
};

static enum web_err flow_staff(struct web_req *rq, const struct flow_staff_step *step)
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
    if ((rc = web_json_body(rq, step->empty_ok, &doc)) != WEB_OK)
        return rc;
    app_err_clear(&err);
    const char *v[2] = {NULL, NULL};
    for (size_t i = 0; i < 2 && step->members[i]; i++)
        v[i] = web_json_member(doc, step->members[i], &err);
    if (err.nfields)
        rc = web_reply_invalid(rq, &err);
    else if (step->run(&c, id, v, &a, &err) != APP_OK)
        rc = web_reply_app_error(rq, &err);
    else
        rc = flow_reply_app(rq, &a);
    json_decref(doc);
    return rc;
}

static enum app_status run_cancel(const struct app_ctx *c, int64_t id, const char *const v[2],
                                  struct app_application *a, struct app_err *err)
{
    return app_admin_cancel(c, id, v[0], a, err);
}

static enum app_status run_shipment(const struct app_ctx *c, int64_t id, const char *const v[2],
                                    struct app_application *a, struct app_err *err)
{
    return app_admin_shipment(c, id, v[0], v[1], a, err);
}

static enum app_status run_delivery(const struct app_ctx *c, int64_t id, const char *const v[2],
                                    struct app_application *a, struct app_err *err)
{
    (void)v; /* {} : nothing to read */
    return app_admin_delivery(c, id, a, err);
}

static enum app_status run_produce(const struct app_ctx *c, int64_t id, const char *const v[2],
                                   struct app_application *a, struct app_err *err)
{
    return app_admin_produce(c, id, v[0], a, err);
}

/* POST /api/v1/admin/applications/{id}/cancel {reason} */
enum web_err web_h_admin_cancel(struct web_req *rq)
{
    static const struct flow_staff_step step = {false, {"reason", NULL}, run_cancel};
    return flow_staff(rq, &step);
}

/* POST /api/v1/admin/applications/{id}/shipment {carrier, tracking_number} */
enum web_err web_h_admin_shipment(struct web_req *rq)
{
    static const struct flow_staff_step step = {
        false, {"carrier", "tracking_number"}, run_shipment};
    return flow_staff(rq, &step);
}

/* POST /api/v1/admin/applications/{id}/delivery {} */
enum web_err web_h_admin_delivery(struct web_req *rq)
{
    static const struct flow_staff_step step = {true, {NULL, NULL}, run_delivery};
    return flow_staff(rq, &step);
}

/* POST /api/v1/admin/applications/{id}/produce {card_serial?} */
enum web_err web_h_admin_produce(struct web_req *rq)
{
    static const struct flow_staff_step step = {true, {"card_serial", NULL}, run_produce};
    return flow_staff(rq, &step);
}

/* POST /api/v1/admin/applications/{id}/pin-word-waiver {note, identity_checked: true} ->
 * {"id","waived_until"}: the holder's identity card seen in person, the security word step of
 * the PIN retrieval lifted for a while (app_admin_pin_waive) */
enum web_err web_h_admin_pin_waiver(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    json_t *doc = NULL;
    int64_t id, until = 0;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    if (!web_req_param_id(rq, "id", &id))
        return web_reply_not_found(rq);
    if ((rc = web_json_body(rq, false, &doc)) != WEB_OK)
        return rc;
    app_err_clear(&err);
    const char *note = web_json_member(doc, "note", &err);
    json_t *checked = json_object_get(doc, "identity_checked");
    if (checked && !json_is_boolean(checked) && !json_is_null(checked))
        app_err_field(&err, "identity_checked", "field_type");
    if (err.nfields) {
        rc = web_reply_invalid(rq, &err);
    } else if (app_admin_pin_waive(&c, id, note, checked && json_is_true(checked), &until, &err) !=
               APP_OK) {
        rc = web_reply_app_error(rq, &err);
    } else {
        char when[24];
        web_iso8601(until, when);
        json_t *o = json_pack("{s:I, s:s}", "id", (json_int_t)id, "waived_until", when);
        rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
        json_decref(o);
    }
    json_decref(doc);
    return rc;
}

/* ---- the staff: the view after approval --------------------------------------------------------
 */

static const char *const flow_views[] = {
    [APP_FLOW_ALL] = "all",
    [APP_FLOW_APPROVED] = "approved",
    [APP_FLOW_IN_PRODUCTION] = "in_production",
    [APP_FLOW_SHIPPED] = "shipped",
    [APP_FLOW_DELIVERED] = "delivered",
    [APP_FLOW_OVERDUE] = "overdue",
    [APP_FLOW_AT_RISK] = "at_risk",
};

struct flow_json {
    json_t *arr;
    bool bad;
};

static int flow_item_json(void *ctx, const struct app_flow_item *it)
{
    struct flow_json *x = ctx;
    const struct app_application *a = it->app;
    char approved[24], expected[24], renews[24];
    web_iso8601(a->approved_at, approved);
    web_iso8601(it->expected_at, expected);
    web_iso8601(a->cert_not_after, renews);
    json_t *card = json_null();
    if (it->has_card)
        card = json_pack("{s:s, s:s?, s:s?, s:s?}", "state", it->card_state, "serial",
                         *it->card_serial ? it->card_serial : NULL, "carrier",
                         *it->carrier ? it->carrier : NULL, "tracking_number",
                         *it->tracking_number ? it->tracking_number : NULL);
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:s?, s:s?, s:s?, s:b, s:b, s:o, s:s?}", "id",
        (json_int_t)a->id, "number", a->number, "state", a->state, "tckn", a->tckn_masked,
        "first_name", a->first_name, "last_name", a->last_name, "province", it->province,
        "approved_at", a->approved_at ? approved : NULL, "expected_at",
        it->expected_at ? expected : NULL, "renews_not_after", a->cert_not_after ? renews : NULL,
        "overdue", (int)it->overdue, "at_risk", (int)it->at_risk, "card", card, "note",
        a->closed_reason[0] ? a->closed_reason : NULL);
    if (!o || json_array_append_new(x->arr, o) != 0) {
        x->bad = true;
        return 1;
    }
    return 0;
}

/* GET /api/v1/admin/production?view=&province=&number=&limit=&offset= */
enum web_err web_h_admin_production(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    enum web_err rc;
    long province = 0, limit = 0, offset = 0, total = 0;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    app_err_clear(&err);
    struct app_flow_filter f = {.kind = APP_FLOW_ALL};
    const char *view = web_req_query(rq, "view");
    if (view && *view) {
        size_t i = 0;
        while (i < sizeof flow_views / sizeof flow_views[0] && strcmp(flow_views[i], view))
            i++;
        if (i == sizeof flow_views / sizeof flow_views[0])
            app_err_field(&err, "view", "state_unknown");
        f.kind = (enum app_flow_view_kind)i;
    }
    /* within an int; each one's own range is the use case's (province_unknown, limit_range,
     * offset_range) */
    web_req_query_num(rq, "province", INT_MIN, INT_MAX, &province, &err);
    web_req_query_num(rq, "limit", INT_MIN, INT_MAX, &limit, &err);
    web_req_query_num(rq, "offset", INT_MIN, INT_MAX, &offset, &err);
    if (err.nfields)
        return web_reply_invalid(rq, &err);
    f.province = (int)province;
    f.number = web_req_query(rq, "number");
    f.limit = limit;
    f.offset = offset;
    struct flow_json x = {json_array(), false};
    if (!x.arr)
        return WEB_E_NOMEM;
    if (app_admin_flow(&c, &f, flow_item_json, &x, &total, &err) != APP_OK)
        rc = web_reply_app_error(rq, &err);
    else if (x.bad)
        rc = WEB_E_NOMEM;
    else {
        json_t *o = json_pack("{s:I, s:O}", "total", (json_int_t)total, "applications", x.arr);
        rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
        json_decref(o);
    }
    json_decref(x.arr);
    return rc;
}

/* ---- the card bureau ------------------------------------------------------------------------- */

static json_t *batch_json(const struct app_batch *b)
{
    char created[24];
    web_iso8601(b->created_at, created);
    return json_pack("{s:I, s:i, s:s, s:s, s:I, s:I}", "id", (json_int_t)b->id, "province",
                     b->province, "created_at", created, "created_by", b->created_by,
                     "applications", (json_int_t)b->applications, "revocations",
                     (json_int_t)b->revocations);
}

/* POST /api/v1/admin/batches {province, limit?} */
enum web_err web_h_admin_batch_make(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_batch b;
    json_t *doc = NULL;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    if ((rc = web_json_body(rq, false, &doc)) != WEB_OK)
        return rc;
    app_err_clear(&err);
    json_t *p = json_object_get(doc, "province"), *l = json_object_get(doc, "limit");
    if (!json_is_integer(p))
        app_err_field(&err, "province", p ? "integer_format" : "required");
    if (l && !json_is_null(l) && !json_is_integer(l))
        app_err_field(&err, "limit", "integer_format");
    if (err.nfields) {
        rc = web_reply_invalid(rq, &err);
    } else {
        json_int_t pv = json_integer_value(p), lv = l ? json_integer_value(l) : 0;
        if (app_admin_batch_make(&c, pv < 0 || pv > 1000 ? -1 : (int)pv,
                                 lv < -1 || lv > 100000 ? -1 : (long)lv, &b, &err) != APP_OK)
            rc = web_reply_app_error(rq, &err);
        else {
            json_t *o = batch_json(&b);
            rc = o ? web_reply_json(rq, 201, o) : WEB_E_NOMEM;
            json_decref(o);
        }
    }
    json_decref(doc);
    return rc;
}

static int batch_item(void *ctx, const struct app_batch *b)
{
    return json_array_append_new(ctx, batch_json(b)) != 0;
}

/* GET /api/v1/admin/batches?province= */
enum web_err web_h_admin_batches(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    enum web_err rc;
    long province = 0;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    app_err_clear(&err);
    if (!web_req_query_num(rq, "province", INT_MIN, INT_MAX, &province, &err))
        return web_reply_invalid(rq, &err);
    json_t *arr = json_array();
    if (!arr)
        return WEB_E_NOMEM;
    if (app_admin_batches(&c, (int)province, batch_item, arr, &err) != APP_OK) {
        json_decref(arr);
        return web_reply_app_error(rq, &err);
    }
    json_t *o = json_pack("{s:o}", "batches", arr);
    rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
    json_decref(o);
    return rc;
}

/* GET /api/v1/admin/batches/{file}: ID.csv or ID.json */
enum web_err web_h_admin_batch_export(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    const char *file = web_req_param(rq, "file");
    const char *dot = file ? strrchr(file, '.') : NULL;
    int64_t id = 0;
    if (!dot || !web_id_parse(file, (size_t)(dot - file), &id) ||
        (strcmp(dot, ".csv") && strcmp(dot, ".json"))) {
        app_err_clear(&err);
        err.status = APP_ENOTFOUND;
        err.code = "batch_not_found";
        return web_reply_app_error(rq, &err);
    }
    bool csv = !strcmp(dot, ".csv");
    struct ubuf b = UBUF_INIT(32u << 20);
    if (app_admin_batch_export(&c, id, csv ? "csv" : "json", &b, &err) != APP_OK) {
        rc = web_reply_app_error(rq, &err);
    } else {
        char cd[96];
        snprintf(cd, sizeof cd, "attachment; filename=\"kart-partisi-%lld.%s\"", (long long)id,
                 csv ? "csv" : "json");
        if (web_reply_header(rq, "Content-Disposition", cd) < 0 ||
            web_reply_header(rq, "Cache-Control", "no-store") < 0)
            rc = WEB_E_INTERNAL;
        else
            rc = web_reply(rq, 200, csv ? "text/csv; charset=utf-8" : "application/json", &b);
    }
    ubuf_free(&b);
    return rc;
}

/* ---- files as request bodies (text/csv) ------------------------------------------------------ */

struct refusals {
    json_t *arr;
    enum core_lang lang;
    bool bad;
};

static void refusal_json(void *ctx, const struct app_file_refusal *r)
{
    struct refusals *x = ctx;
    if (json_array_size(x->arr) >= 1000) /* the counts say the rest */
        return;
    x->bad |= json_array_append_new(
                  x->arr, json_pack("{s:I, s:s, s:s, s:s}", "line", (json_int_t)r->line, "field",
                                    r->field ? r->field : "", "code", r->code, "message",
                                    app_staff_reason_text(r->code, x->lang))) != 0;
}

static enum web_err file_import(struct web_req *rq, bool bureau)
{
    struct app_ctx c;
    struct app_err err;
    struct app_file_result res;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    const char *ct = web_req_header(rq, "Content-Type");
    if (!ct || strncasecmp(ct, "text/csv", 8) != 0)
        return WEB_E_MEDIA_TYPE;
    struct app_csv_mem br = {0};
    br.p = web_req_body(rq, &br.len);
    struct refusals x = {json_array(), c.lang, false};
    if (!x.arr)
        return WEB_E_NOMEM;
    enum app_status st =
        bureau
            ? app_bureau_import(&c, NULL, app_csv_mem_read, &br, refusal_json, &x, &res, &err)
            : app_shipments_import(&c, NULL, app_csv_mem_read, &br, refusal_json, &x, &res, &err);
    if (st != APP_OK) {
        rc = web_reply_app_error(rq, &err);
    } else if (x.bad) {
        rc = WEB_E_NOMEM;
    } else {
        json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:O}", "rows", (json_int_t)res.rows, "applied",
                              (json_int_t)res.applied, "unchanged", (json_int_t)res.unchanged,
                              "refused", (json_int_t)res.refused, "refusals", x.arr);
        rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
        json_decref(o);
    }
    json_decref(x.arr);
    return rc;
}

/* POST /api/v1/admin/batches/answers (text/csv): the card bureau's answer file */
enum web_err web_h_admin_bureau_answers(struct web_req *rq)
{
    return file_import(rq, true);
}

/* POST /api/v1/admin/shipments (text/csv): a carrier's file */
enum web_err web_h_admin_shipments(struct web_req *rq)
{
    return file_import(rq, false);
}

/* ---- in house: making a card, the CA's CRL and OCSP ---------------------------------------------
 */

/* 200 with the DER the CA made (freed here). */
static enum web_err flow_reply_der(struct web_req *rq, const char *type, unsigned char *der,
                                   size_t len)
{
    struct ubuf b = UBUF_INIT(len + 1);
    enum web_err rc = ubuf_put(&b, der, len) < 0 ? WEB_E_NOMEM : web_reply(rq, 200, type, &b);
    ubuf_free(&b);
    free(der);
    return rc;
}

/* GET /ca/crl: the in-house CA's CRL (DER), made now. */
enum web_err web_h_ca_crl(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    unsigned char *der = NULL;
    size_t len = 0;
    web_ctx(rq, APP_ACTOR_NONE, web_req_lang(rq), &c);
    if (!c.db)
        return WEB_E_DB_UNAVAILABLE;
    if (app_ca_crl(&c, &der, &len, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    return flow_reply_der(rq, "application/pkix-crl", der, len);
}

/* POST /ca/ocsp (application/ocsp-request): the in-house CA's OCSP responder (RFC 6960). */
enum web_err web_h_ca_ocsp(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    unsigned char *der = NULL;
    size_t len = 0, reqlen = 0;
    web_ctx(rq, APP_ACTOR_NONE, web_req_lang(rq), &c);
    if (!c.db)
        return WEB_E_DB_UNAVAILABLE;
    const char *ct = web_req_header(rq, "Content-Type");
    if (!ct || strncasecmp(ct, "application/ocsp-request", 24) != 0)
        return WEB_E_MEDIA_TYPE;
    const char *req = web_req_body(rq, &reqlen);
    if (app_ca_ocsp(&c, (const unsigned char *)req, reqlen, &der, &len, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    return flow_reply_der(rq, "application/ocsp-response", der, len);
}

/* ---- the holder: the new card's PIN
 * ---------------------------------------------------------------- */

/* POST /api/v1/application/pin/word {security_word} */
enum web_err web_h_api_pin_word(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_otp_sent sent;
    json_t *doc = NULL;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_APPLICANT, &c, &rc))
        return rc;
    const char *word;
    if (!web_json_body_string(rq, "security_word", false, &doc, &word, &rc))
        return rc;
    if (app_pin_word(&c, word, &sent, &err) != APP_OK)
        rc = web_reply_app_error(rq, &err);
    else {
        json_t *o = json_pack("{s:b, s:s, s:i, s:i}", "sent", 1, "phone", sent.masked_phone,
                              "expires_in", sent.expires_in, "resend_in", sent.resend_in);
        rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
        json_decref(o);
    }
    json_decref(doc);
    return rc;
}

/* POST /api/v1/application/pin/code {code} -> {"pin","puk"}, once */
enum web_err web_h_api_pin_code(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_pin_secret sec;
    json_t *doc = NULL;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_APPLICANT, &c, &rc))
        return rc;
    const char *code;
    if (!web_json_body_string(rq, "code", false, &doc, &code, &rc))
        return rc;
    if (app_pin_code(&c, code, &sec, &err) != APP_OK) {
        rc = web_reply_app_error(rq, &err);
    } else {
        json_t *o = json_pack("{s:s, s:s}", "pin", sec.pin, "puk", sec.puk);
        rc = WEB_E_NOMEM;
        if (o && web_reply_header(rq, "Cache-Control", "no-store") == 0)
            rc = web_reply_json(rq, 200, o);
        json_decref(o); /* jansson's copies: freed with the object */
        explicit_bzero(&sec, sizeof sec);
    }
    json_decref(doc);
    return rc;
}

/* ---- "try my new card"
 * ----------------------------------------------------------------------------- */

/* GET /api/v1/application/card-test/content: the text to sign with the new card */
enum web_err web_h_api_card_test_content(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_APPLICANT, &c, &rc))
        return rc;
    struct ubuf b = UBUF_INIT(4096);
    if (app_card_test_content(&c, &b, &err) != APP_OK)
        rc = web_reply_app_error(rq, &err);
    else
        rc = web_reply(rq, 200, "text/plain; charset=utf-8", &b);
    ubuf_free(&b);
    return rc;
}

/* POST /api/v1/application/card-test (application/pkcs7-signature): the signature */
enum web_err web_h_api_card_test(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_application a;
    enum web_err rc;
    size_t len = 0;
    if (!web_api_actor(rq, APP_ACTOR_APPLICANT, &c, &rc))
        return rc;
    const char *ct = web_req_header(rq, "Content-Type");
    if (!ct || (strncasecmp(ct, "application/pkcs7-signature", 27) != 0 &&
                strncasecmp(ct, "application/octet-stream", 24) != 0))
        return WEB_E_MEDIA_TYPE;
    const char *body = web_req_body(rq, &len);
    if (app_card_test(&c, (const unsigned char *)body, len, &a, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    return flow_reply_app(rq, &a);
}
