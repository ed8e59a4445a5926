/* eimza — the JSON API handlers' shared helpers (web/api/; see json.h). */
#include "web/api/json.h"

#include <strings.h>

#include "app/text.h"
#include "web/http/context.h"
#include "web/http/error.h"

bool web_api_actor(struct web_req *rq, enum app_actor_kind kind, struct app_ctx *c,
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

enum web_err web_reply_not_found(struct web_req *rq)
{
    struct app_err err;
    app_err_clear(&err);
    err.status = APP_ENOTFOUND;
    err.code = "not_found";
    return web_reply_app_error(rq, &err);
}

enum web_err web_json_body(struct web_req *rq, bool allow_empty, json_t **out)
{
    size_t len;
    const char *body = web_req_body(rq, &len);
    const char *ct = web_req_header(rq, "Content-Type");
    *out = NULL;
    if (allow_empty && len == 0) {
        *out = json_object();
        return *out ? WEB_OK : WEB_E_NOMEM;
    }
    if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
        (ct[16] && ct[16] != ';' && ct[16] != ' '))
        return WEB_E_MEDIA_TYPE;
    json_error_t je;
    json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!doc || !json_is_object(doc)) {
        json_decref(doc);
        return WEB_E_BAD_REQUEST;
    }
    *out = doc;
    return WEB_OK;
}

bool web_json_body_string(struct web_req *rq, const char *key, bool required, json_t **doc,
                          const char **value, enum web_err *rc)
{
    struct app_err err;
    *value = NULL;
    if ((*rc = web_json_body(rq, false, doc)) != WEB_OK)
        return false;
    app_err_clear(&err);
    *value = web_json_member(*doc, key, &err);
    if (!err.nfields && (*value || !required))
        return true;
    if (!err.nfields)
        app_err_field(&err, key, "required");
    *rc = web_reply_invalid(rq, &err);
    json_decref(*doc);
    *doc = NULL;
    *value = NULL;
    return false;
}

const char *web_json_member(json_t *doc, const char *key, struct app_err *err)
{
    json_t *v = json_object_get(doc, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        app_err_field(err, key, "field_type");
        return NULL;
    }
    return json_string_value(v);
}

enum web_err web_reply_invalid(struct web_req *rq, struct app_err *err)
{
    err->status = APP_EINVAL;
    err->code = "invalid_fields";
    return web_reply_app_error(rq, err);
}

void web_iso8601(int64_t t, char out[24])
{
    app_time_utc_iso(t, out);
}
