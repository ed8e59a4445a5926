/* eimza — the JSON API after the decision (web/api/; docs/openapi.yaml; the use cases are
 * app/card_flow.h): the holder cancels before the decision and confirms the card's delivery;
 * operators and admins cancel with a reason, record a card's shipment and its delivery, work
 * through the production queue, the card bureau's batches, the cards, and (in house) have a
 * card made; the in-house CA's CRL and OCSP. Thin: context, actor, decode, use case, JSON. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/card_flow.h"
#include "web/api/api.h"
#include "web/api/json.h"
#include "web/http/context.h"

/* ---- helpers ------------------------------------------------------------------------------- */

static bool flow_actor(struct web_req *rq, enum app_actor_kind kind, struct app_ctx *c,
                       enum web_err *rc)
{
    struct app_err err;
    web_ctx(rq, kind, web_req_lang(rq), c);
    if (!c->db) {
        *rc = WEB_E_DB_UNAVAILABLE;
        return false;
    }
    if (app_authenticate(c, kind, &err) != APP_OK) {
        *rc = web_reply_app_error(rq, &err);
        return false;
    }
    return true;
}

/* The {id} of the path: a positive whole number; false otherwise (404). */
static bool flow_path_id(struct web_req *rq, int64_t *id)
{
    const char *v = web_req_param(rq, "id");
    char *end;
    if (!v || !*v || *v < '1' || *v > '9')
        return false;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || *end || n < 1)
        return false;
    *id = n;
    return true;
}

static enum web_err flow_not_found(struct web_req *rq)
{
    struct app_err err;
    app_err_clear(&err);
    err.status = APP_ENOTFOUND;
    err.code = "not_found";
    return web_reply_app_error(rq, &err);
}

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

enum web_err web_h_api_application_cancel(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_application a;
    enum web_err rc;
    if (!flow_actor(rq, APP_ACTOR_APPLICANT, &c, &rc))
        return rc;
    if (app_application_cancel(&c, &a, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    return flow_reply_app(rq, &a);
}

enum web_err web_h_api_delivery_confirm(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_application a;
    enum web_err rc;
    if (!flow_actor(rq, APP_ACTOR_APPLICANT, &c, &rc))
        return rc;
    if (app_delivery_confirm(&c, &a, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    return flow_reply_app(rq, &a);
}

/* ---- the staff: one application -----------------------------------------------------------------
 */

enum web_err web_h_admin_cancel(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_application a;
    json_t *doc = NULL;
    int64_t id;
    enum web_err rc;
    if (!flow_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    if (!flow_path_id(rq, &id))
        return flow_not_found(rq);
    if ((rc = web_json_body(rq, false, &doc)) != WEB_OK)
        return rc;
    app_err_clear(&err);
    const char *reason = web_json_member(doc, "reason", &err);
    if (err.nfields)
        rc = web_reply_invalid(rq, &err);
    else if (app_admin_cancel(&c, id, reason, &a, &err) != APP_OK)
        rc = web_reply_app_error(rq, &err);
    else
        rc = flow_reply_app(rq, &a);
    json_decref(doc);
    return rc;
}

enum web_err web_h_admin_shipment(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_application a;
    json_t *doc = NULL;
    int64_t id;
    enum web_err rc;
    if (!flow_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    if (!flow_path_id(rq, &id))
        return flow_not_found(rq);
    if ((rc = web_json_body(rq, false, &doc)) != WEB_OK)
        return rc;
    app_err_clear(&err);
    const char *carrier = web_json_member(doc, "carrier", &err);
    const char *tracking = web_json_member(doc, "tracking_number", &err);
    if (err.nfields)
        rc = web_reply_invalid(rq, &err);
    else if (app_admin_shipment(&c, id, carrier, tracking, &a, &err) != APP_OK)
        rc = web_reply_app_error(rq, &err);
    else
        rc = flow_reply_app(rq, &a);
    json_decref(doc);
    return rc;
}

enum web_err web_h_admin_delivery(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_application a;
    json_t *doc = NULL;
    int64_t id;
    enum web_err rc;
    if (!flow_actor(rq, APP_ACTOR_STAFF, &c, &rc))
        return rc;
    if (!flow_path_id(rq, &id))
        return flow_not_found(rq);
    if ((rc = web_json_body(rq, true, &doc)) != WEB_OK)
        return rc;
    json_decref(doc); /* {} : nothing to read */
    if (app_admin_delivery(&c, id, &a, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    return flow_reply_app(rq, &a);
}
