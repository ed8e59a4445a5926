/* eimza — the applicant JSON API (docs/openapi.yaml; the contract is docs/INTERFACES.md, HTTP):
 * captcha, login/logout, the application form, the SMS code, the content to sign, the signing
 * method and the status. Each handler decodes the request, calls one use case of
 * app/portal.h and renders its answer; every rule lives in the use case, every error goes
 * through web_reply_app_error (web/error.h). No T.C. Kimlik No ever appears in a URL, and
 * the application's JSON shows it masked.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/card_flow.h"
#include "app/portal.h"
#include "app/text.h"
#include "web/api/api.h"
#include "web/api/json.h"
#include "web/html/captcha.h"
#include "web/html/escape.h"
#include "web/http/context.h"

/* ---- helpers ------------------------------------------------------------------------------- */

/* The context of a route that needs no one logged in; false (503) without the database. */
static bool anyone(struct web_req *rq, struct app_ctx *c)
{
    web_ctx(rq, APP_ACTOR_NONE, web_req_lang(rq), c);
    return c->db != NULL;
}

static int set_str(json_t *o, const char *k, const char *v)
{
    return json_object_set_new(o, k, json_string(v ? v : ""));
}

/* ---- captcha ------------------------------------------------------------------------------- */

enum web_err web_h_api_captcha_new(struct web_req *rq)
{
    struct app_ctx ctx;
    struct app_captcha c;
    struct app_err err;
    char url[96], aurl[96], addr[64];
    if (!anyone(rq, &ctx))
        return WEB_E_DB_UNAVAILABLE;
    ctx.client_addr = web_req_client_addr(rq, addr, sizeof addr); /* the per-address limit */
    if (app_captcha_new(&ctx, &c, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    snprintf(url, sizeof url, "/api/v1/captcha/%s.png", c.id);
    snprintf(aurl, sizeof aurl, "/api/v1/captcha/%s.wav", c.id);
    json_t *doc = json_pack("{s:s, s:s, s:s, s:i}", "id", c.id, "image_url", url, "audio_url", aurl,
                            "expires_in", (int)ctx.set->portal.captcha_ttl);
    enum web_err rc = doc ? web_reply_json(rq, 200, doc) : WEB_E_NOMEM;
    json_decref(doc);
    return rc;
}

/* GET /api/v1/captcha/{id}.png and {id}.wav: the picture and the spoken version of a live
 * captcha (looking does not use it up). */
enum web_err web_h_api_captcha_file(struct web_req *rq)
{
    const char *file = web_req_param(rq, "file");
    struct app_ctx ctx;
    char id[APP_CAPTCHA_ID_LEN + 1], addr[64];
    struct app_captcha c;
    struct app_err err;
    if (!anyone(rq, &ctx))
        return WEB_E_DB_UNAVAILABLE;
    /* drawing and speaking are the costly part: limited per address too (app_captcha_peek) */
    ctx.client_addr = web_req_client_addr(rq, addr, sizeof addr);
    size_t n = file ? strlen(file) : 0;
    bool png = n == APP_CAPTCHA_ID_LEN + 4 && !strcmp(file + APP_CAPTCHA_ID_LEN, ".png");
    bool wav = n == APP_CAPTCHA_ID_LEN + 4 && !strcmp(file + APP_CAPTCHA_ID_LEN, ".wav");
    if (!png && !wav)
        return WEB_E_NOT_FOUND;
    memcpy(id, file, APP_CAPTCHA_ID_LEN);
    id[APP_CAPTCHA_ID_LEN] = '\0';
    if (app_captcha_peek(&ctx, id, &c, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    struct ubuf b = UBUF_INIT(png ? (1u << 20) : (8u << 20));
    int r =
        png ? web_captcha_png(c.text, c.seed, &b) : web_captcha_wav(c.text, web_req_lang(rq), &b);
    enum web_err rc;
    if (r < 0) {
        app_err_clear(&err);
        err.status = APP_EUNAVAILABLE;
        err.code = "captcha_unavailable";
        rc = web_reply_app_error(rq, &err);
    } else {
        rc = web_reply(rq, 200, png ? "image/png" : "audio/wav", &b);
    }
    ubuf_free(&b);
    return rc;
}

/* ---- login --------------------------------------------------------------------------------- */

enum web_err web_h_api_login(struct web_req *rq)
{
    struct app_ctx ctx;
    struct app_err err;
    struct app_login_ok ok;
    char addr[64];
    json_t *doc = NULL;
    if (!anyone(rq, &ctx))
        return WEB_E_DB_UNAVAILABLE;
    enum web_err rc = web_json_body(rq, false, &doc);
    if (rc != WEB_OK)
        return rc;
    app_err_clear(&err);
    struct app_login_req lr = {
        .tckn = web_json_member(doc, "tckn", &err),
        .first_name = web_json_member(doc, "first_name", &err),
        .last_name = web_json_member(doc, "last_name", &err),
        .birth_place = web_json_member(doc, "birth_place", &err),
        .birth_date = web_json_member(doc, "birth_date", &err),
        .captcha_id = web_json_member(doc, "captcha_id", &err),
        .captcha_answer = web_json_member(doc, "captcha_answer", &err),
    };
    if (err.nfields) {
        rc = web_reply_invalid(rq, &err);
        goto out;
    }
    ctx.client_addr = web_req_client_addr(rq, addr, sizeof addr);
    if (app_login(&ctx, &lr, &ok, &err) != APP_OK) {
        rc = web_reply_app_error(rq, &err);
        goto out;
    }
    json_t *ans = json_pack("{s:s, s:s}", "token", ok.token, "csrf_token", ok.csrf);
    rc = WEB_E_NOMEM;
    if (ans && web_session_cookie(rq, APP_ACTOR_APPLICANT, ok.token,
                                  ctx.set->portal.session_lifetime) == 0)
        rc = web_reply_json(rq, 200, ans);
    json_decref(ans);
out:
    json_decref(doc);
    return rc;
}

enum web_err web_h_api_logout(struct web_req *rq)
{
    struct app_ctx ctx;
    struct app_err err;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_APPLICANT, &ctx, &rc))
        return rc;
    if (app_logout(&ctx, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    if (web_session_cookie(rq, APP_ACTOR_APPLICANT, NULL, 0) < 0)
        return WEB_E_NOMEM;
    return web_reply_static(rq, 200, "application/json", "{\"ok\":true}", 11);
}

/* ---- the application ----------------------------------------------------------------------- */

/* The application's fields as the form has them, and when it was made and changed. */
static int put_application(json_t *o, const struct app_view *v)
{
    const struct app_application *a = &v->app;
    char t1[24], t2[24];
    int bad = set_str(o, "number", a->number) | set_str(o, "state", a->state);
    if (a->st < CORE_APP__STATE_COUNT)
        bad |= set_str(o, "state_label", app_state_label_tr(a->st));
    bad |=
        set_str(o, "tckn", a->tckn_masked) | set_str(o, "first_name", a->first_name) |
        set_str(o, "last_name", a->last_name) | set_str(o, "birth_place", a->birth_place) |
        set_str(o, "birth_date", a->birth_date) |
        set_str(o, "institution_name", a->institution_name) |
        set_str(o, "registry_no", a->registry_no) | set_str(o, "reason", a->reason) |
        set_str(o, "card_reader", a->card_reader) |
        json_object_set_new(o, "validity_years", json_integer(a->validity_years)) |
        set_str(o, "unit", a->unit) | set_str(o, "title", a->title) |
        set_str(o, "address", a->address) |
        json_object_set_new(o, "province", a->province ? json_integer(a->province) : json_null()) |
        set_str(o, "province_name", app_province_name(a->province)) |
        set_str(o, "district", a->district) | set_str(o, "postal_code", a->postal_code) |
        set_str(o, "email", a->email) | set_str(o, "work_phone", a->work_phone) |
        set_str(o, "work_phone_ext", a->work_phone_ext) |
        set_str(o, "mobile_phone", a->mobile_phone) |
        set_str(o, "mobile_operator", a->mobile_operator) |
        set_str(o, "home_phone", a->home_phone) | set_str(o, "notify_by", a->notify_by) |
        json_object_set_new(o, "security_word_set", json_boolean(v->security_word_set)) |
        json_object_set_new(o, "confirmed", json_boolean(a->confirmed)) |
        json_object_set_new(o, "method", a->method[0] ? json_string(a->method) : json_null()) |
        json_object_set_new(o, "late", json_boolean(a->late));
    web_iso8601(a->created_at, t1);
    web_iso8601(a->updated_at, t2);
    bad |= set_str(o, "created_at", t1) | set_str(o, "updated_at", t2);
    return bad;
}

/* Eligibility: an ineligible person may apply; the form says why in words. */
static json_t *eligibility_json(const struct app_view *v, enum core_lang lang, int *bad)
{
    json_t *el = json_object(), *reasons = json_array();
    *bad |= !el || !reasons;
    if (el && reasons) {
        for (size_t i = 0; i < v->ninelig; i++)
            *bad |= json_array_append_new(reasons, json_string(v->inelig_codes[i]));
        *bad |= json_object_set_new(el, "eligible", json_boolean(v->inelig == 0));
        *bad |= json_object_set(el, "reasons", reasons);
        if (v->inelig) {
            struct ubuf msg = UBUF_INIT(4096);
            *bad |= ubuf_puts(&msg, app_reason_text("ineligible_warning", lang));
            for (size_t i = 0; i < v->ninelig; i++)
                *bad |= ubuf_putc(&msg, ' ') |
                        ubuf_puts(&msg, app_reason_text(v->inelig_codes[i], lang));
            *bad |= set_str(el, "message", ubuf_str(&msg));
            ubuf_free(&msg);
        }
    }
    json_decref(reasons);
    return el;
}

/* What the person can do and choose: the notices, the certificate's phase, the signing
 * methods allowed and the card readers on offer. */
static int put_choices(json_t *o, const struct app_ctx *c, const struct app_view *v)
{
    const struct app_portal_cfg *cfg = &c->set->portal;
    enum core_lang lang = c->lang;
    char t1[24];
    int bad = 0;
    json_t *notices = json_array();
    for (size_t i = 0; notices && i < v->nnotices; i++)
        bad |=
            json_array_append_new(notices, json_pack("{s:s, s:s}", "code", v->notices[i], "message",
                                                     app_reason_text(v->notices[i], lang)));
    bad |= json_object_set_new(o, "notices", notices);

    json_t *cert = json_null();
    if (v->has_cert) {
        web_iso8601(v->cert_not_after, t1);
        cert = json_pack("{s:s, s:s}", "not_after", t1, "phase", v->phase_code);
    }
    bad |= json_object_set_new(o, "certificate", cert);
    json_t *methods = json_array();
    if (methods && (v->methods & CORE_METHOD_ESIGN))
        bad |= json_array_append_new(methods, json_string("esign"));
    if (methods && (v->methods & CORE_METHOD_WET))
        bad |= json_array_append_new(methods, json_string("wet"));
    bad |= json_object_set_new(o, "allowed_methods", methods);
    json_t *readers = json_array();
    bad |= json_array_append_new(readers, json_string("none"));
    for (size_t i = 0; i < cfg->ncard_readers; i++)
        bad |= json_array_append_new(readers, json_string(cfg->card_readers[i]));
    bad |= json_object_set_new(o, "card_readers", readers);
    return bad;
}

static json_t *view_json(const struct app_ctx *c, const struct app_view *v)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    int bad = put_application(o, v);
    json_t *el = eligibility_json(v, c->lang, &bad);
    bad |= json_object_set_new(o, "eligibility", el);
    bad |= put_choices(o, c, v);
    bad |= set_str(o, "csrf_token", v->csrf);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static enum web_err reply_view(struct web_req *rq, const struct app_ctx *c,
                               const struct app_view *v)
{
    json_t *o = view_json(c, v);
    enum web_err rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
    json_decref(o);
    return rc;
}

/* The applicant's application as op (which needs nothing but the session) leaves it. */
static enum web_err reply_view_of(struct web_req *rq,
                                  enum app_status (*op)(const struct app_ctx *c,
                                                        struct app_view *out, struct app_err *err))
{
    struct app_ctx c;
    struct app_err err;
    struct app_view v;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_APPLICANT, &c, &rc))
        return rc;
    if (op(&c, &v, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    return reply_view(rq, &c, &v);
}

enum web_err web_h_api_application_get(struct web_req *rq)
{
    return reply_view_of(rq, app_application_current);
}

/* POST /api/v1/application/new: a new application after the last one ended (card_flow.h). */
enum web_err web_h_api_application_new(struct web_req *rq)
{
    return reply_view_of(rq, app_application_start);
}

/* Members of the GET answer that a client may send back as they are: not form fields. */
static bool output_only(const char *key)
{
    static const char *const keys[] = {
        "state_label",  "province_name", "security_word_set", "confirmed",   "method",
        "late",         "eligibility",   "notices",           "certificate", "allowed_methods",
        "card_readers", "created_at",    "updated_at",        "csrf_token",  NULL};
    for (size_t i = 0; keys[i]; i++)
        if (!strcmp(keys[i], key))
            return true;
    return false;
}

void web_api_form_decode(json_t *doc, struct app_form *f, char nums[APP_F__COUNT][24])
{
    const char *key;
    json_t *val;
    memset(f, 0, sizeof *f);
    json_object_foreach(doc, key, val)
    {
        int i = app_field_lookup(key);
        if (i < 0) {
            if (!output_only(key) && f->npre < sizeof f->pre / sizeof f->pre[0])
                f->pre[f->npre++] = (struct app_field_error){key, "unknown_field"};
            continue;
        }
        if (json_is_string(val)) {
            f->v[i] = json_string_value(val);
        } else if (json_is_integer(val) && (i == APP_F_VALIDITY_YEARS || i == APP_F_PROVINCE)) {
            /* a number only where the contract says integer (docs/openapi.yaml); text fields
             * take text (issue 19, finding 7) */
            snprintf(nums[i], 24, "%lld", (long long)json_integer_value(val));
            f->v[i] = nums[i];
        } else if (json_is_null(val)) {
            if (!app_field_read_only((enum app_field)i))
                f->v[i] = "";
        } else if (f->npre < sizeof f->pre / sizeof f->pre[0]) {
            f->pre[f->npre++] =
                (struct app_field_error){app_field_name((enum app_field)i), "field_type"};
        }
    }
}

enum web_err web_h_api_application_put(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_view v;
    struct app_form f;
    char nums[APP_F__COUNT][24];
    json_t *doc = NULL;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_APPLICANT, &c, &rc))
        return rc;
    rc = web_json_body(rq, false, &doc);
    if (rc != WEB_OK)
        return rc;
    web_api_form_decode(doc, &f, nums);
    if (app_application_update(&c, &f, &v, &err) != APP_OK)
        rc = web_reply_app_error(rq, &err);
    else
        rc = reply_view(rq, &c, &v);
    json_decref(doc); /* after the reply: field names point into it */
    return rc;
}

/* ---- the SMS code -------------------------------------------------------------------------- */

enum web_err web_h_api_otp_send(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_otp_sent sent;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_APPLICANT, &c, &rc))
        return rc;
    if (app_otp_send(&c, &sent, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    json_t *o = json_pack("{s:b, s:s, s:i, s:i}", "sent", 1, "phone", sent.masked_phone,
                          "expires_in", sent.expires_in, "resend_in", sent.resend_in);
    rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
    json_decref(o);
    return rc;
}

enum web_err web_h_api_otp_verify(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    json_t *doc = NULL;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_APPLICANT, &c, &rc))
        return rc;
    const char *code;
    if (!web_json_body_string(rq, "code", true, &doc, &code, &rc))
        return rc;
    if (app_otp_verify(&c, code, &err) != APP_OK) {
        rc = web_reply_app_error(rq, &err);
    } else {
        rc = web_reply_static(rq, 200, "application/json", "{\"state\":\"code_verified\"}", 25);
    }
    json_decref(doc);
    return rc;
}

/* ---- content, method, status --------------------------------------------------------------- */

enum web_err web_h_api_content(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_APPLICANT, &c, &rc))
        return rc;
    struct ubuf b = UBUF_INIT(64 * 1024);
    if (app_content(&c, &b, &err) != APP_OK)
        rc = web_reply_app_error(rq, &err);
    else
        rc = web_reply(rq, 200, "text/plain; charset=utf-8", &b);
    ubuf_free(&b);
    return rc;
}

enum web_err web_h_api_method(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_application a;
    json_t *doc = NULL;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_APPLICANT, &c, &rc))
        return rc;
    const char *method;
    if (!web_json_body_string(rq, "method", false, &doc, &method, &rc))
        return rc;
    if (app_method_choose(&c, method, &a, &err) != APP_OK) {
        rc = web_reply_app_error(rq, &err);
    } else {
        json_t *o = json_pack("{s:s, s:s}", "state", a.state, "method", a.method);
        rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
        json_decref(o);
    }
    json_decref(doc);
    return rc;
}

/* ---- the status answer's JSON, written straight into the answer's buffer ------------------
 * It is what people reload while they wait, and with the status cache off every request makes
 * it: a tree of jansson objects built and dumped cost as much as reading the database. The
 * members come in the order of docs/openapi.yaml's ApplicationStatus; strings go through
 * web_json_string (UTF-8 kept, < > & and U+2028/2029 escaped as everywhere else). */

/* ,"key": as one literal (key a literal that needs no escaping) */
#define JKEY(b, key) ubuf_put((b), ",\"" key "\":", sizeof(",\"" key "\":") - 1)
/* a string member; NULL is written as null */
#define JSTR(b, key, s)  (JKEY(b, key) | web_json_string_str((b), (s)))
#define JBOOL(b, key, v) (JKEY(b, key) | ubuf_puts((b), (v) ? "true" : "false"))
/* a time as ISO 8601, or null when zero */
#define JTIME(b, key, t) (JKEY(b, key) | jtime((b), (t)))

static int jtime(struct ubuf *b, int64_t t)
{
    char iso[24];
    if (!t)
        return ubuf_puts(b, "null");
    web_iso8601(t, iso);
    return web_json_string_str(b, iso);
}

/* The status answer's members after the decision (card_flow.h): the decision and what to do,
 * what the holder may do now, the card, the new certificate and the PIN. Non-zero when memory
 * ran out. */
static int status_flow_json(struct ubuf *b, const struct app_flow_view *f,
                            const struct app_application *a)
{
    static const char *const pins[] = {"none", "waiting", "shown", "bureau"};
    bool cancelled = a->st == CORE_APP_CANCELLED;
    int bad = JTIME(b, "closed_at", f->closed_at) |
              JSTR(b, "cancel_reason", cancelled && a->closed_reason[0] ? a->closed_reason : NULL) |
              JSTR(b, "cancelled_by",
                   !cancelled           ? NULL
                   : f->closed_by_staff ? "staff"
                                        : "applicant") |
              JSTR(b, "advice", f->advice) | JBOOL(b, "can_start_new", f->can_start_new) |
              JBOOL(b, "can_cancel", f->can_cancel) |
              JBOOL(b, "can_confirm_delivery", f->can_confirm) |
              JBOOL(b, "can_try_card", f->can_try_card) | JSTR(b, "pin", pins[f->pin]) |
              JSTR(b, "pin_note", f->pin_note) | JKEY(b, "card");
    if (f->has_card)
        bad |= ubuf_puts(b, "{\"state\":") | web_json_string_str(b, f->card_state) |
               JSTR(b, "carrier", f->carrier[0] ? f->carrier : NULL) |
               JSTR(b, "tracking_number", f->tracking_number[0] ? f->tracking_number : NULL) |
               ubuf_putc(b, '}');
    else
        bad |= ubuf_puts(b, "null");
    bad |= JKEY(b, "new_certificate");
    if (f->new_serial[0])
        bad |= ubuf_puts(b, "{\"serial\":") | web_json_string_str(b, f->new_serial) |
               JTIME(b, "not_before", f->new_not_before) | JTIME(b, "not_after", f->new_not_after) |
               ubuf_putc(b, '}');
    else
        bad |= ubuf_puts(b, "null");
    return bad;
}

/* The status answer's JSON (app_status_answer's renderer). */
static int status_json(void *rctx, const struct app_status_view *v, struct ubuf *out)
{
    (void)rctx;
    int bad = ubuf_puts(out, "{\"number\":") | web_json_string_str(out, v->app.number) |
              JSTR(out, "state", v->app.state) |
              JSTR(out, "state_label", v->label ? v->label : "") |
              JSTR(out, "method", v->app.method[0] ? v->app.method : NULL) |
              JBOOL(out, "late", v->app.late) | JSTR(out, "next", v->next ? v->next : "") |
              JSTR(out, "contact", v->contact ? v->contact : "") |
              JBOOL(out, "delivery_overdue", v->delivery_overdue) |
              JSTR(out, "rejection_reason", v->rejection_reason[0] ? v->rejection_reason : NULL) |
              JKEY(out, "timeline") | ubuf_putc(out, '[');
    for (size_t i = 0; i < v->nevents; i++) {
        const struct app_status_event *e = &v->events[i];
        char at[24];
        web_iso8601(e->at, at);
        bad |= ubuf_puts(out, i ? ",{\"at\":" : "{\"at\":") | web_json_string_str(out, at) |
               JSTR(out, "from", e->from[0] ? e->from : NULL) | JSTR(out, "to", e->to) |
               JSTR(out, "event", e->event) | JSTR(out, "label", e->label) | ubuf_putc(out, '}');
    }
    bad |= ubuf_putc(out, ']') | status_flow_json(out, &v->flow, &v->app) | ubuf_putc(out, '}');
    return bad ? -1 : 0;
}

/* What people reload while they wait: from the answers kept for a moment when one is still
 * good (no database needed), else read in one statement and kept. */
enum web_err web_h_api_status(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct ubuf b;
    enum web_err rc;
    ubuf_init(&b, 1 << 20);
    web_ctx_nodb(rq, APP_ACTOR_APPLICANT, web_req_lang(rq), &c);
    if (app_status_kept(&c, &b)) {
        rc = web_reply(rq, 200, "application/json", &b);
        goto out;
    }
    if (!(c.db = web_req_store(rq))) {
        rc = WEB_E_DB_UNAVAILABLE;
        goto out;
    }
    if (app_status_answer(&c, status_json, NULL, &b, &err) != APP_OK)
        rc = web_reply_app_error(rq, &err);
    else
        rc = web_reply(rq, 200, "application/json", &b);
out:
    ubuf_free(&b);
    return rc;
}

/* "Oturumu uzat" (the pages' session warning, static/js/session.js): the session was used
 * now; {"expires_in": seconds} it has left. Cookie sessions send their CSRF token (header). */
enum web_err web_h_api_session_extend(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    enum web_err rc;
    int64_t left;
    if (!web_api_actor(rq, APP_ACTOR_APPLICANT, &c, &rc))
        return rc;
    if (app_session_extend(&c, &left, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    json_t *o = json_pack("{s:I}", "expires_in", (json_int_t)left);
    rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
    json_decref(o);
    return rc;
}

enum web_err web_h_api_openapi(struct web_req *rq)
{
    return web_reply_static(rq, 200, "application/yaml; charset=utf-8", web_openapi_yaml,
                            web_openapi_yaml_len);
}
