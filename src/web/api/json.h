/* eimza — what the JSON API handlers share (web/api/): the context of a route with its actor
 * let in, reading a JSON request body, taking string members with per-field type errors, the
 * 400 invalid_fields and 404 not_found answers, and UTC times in ISO 8601. */
#ifndef EIMZA_WEB_API_JSON_H
#define EIMZA_WEB_API_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/portal.h"
#include "web/http/request.h"

/* The context of a route that acts for kind (the applicant, staff), with that actor let in;
 * false with the answer in *rc (503 without the database, the use case's refusal otherwise). */
bool web_api_actor(struct web_req *rq, enum app_actor_kind kind, struct app_ctx *c,
                   enum web_err *rc);
/* Answers 404 not_found: no such application, batch or card. */
enum web_err web_reply_not_found(struct web_req *rq);
/* The request body as a JSON object: WEB_E_MEDIA_TYPE unless it is sent as application/json
 * (a cross-site form cannot send that without the browser asking first), WEB_E_BAD_REQUEST
 * when it does not parse or is not an object. With allow_empty an empty body is an empty
 * object. *out is the caller's to json_decref. */
enum web_err web_json_body(struct web_req *rq, bool allow_empty, json_t **out);
/* The request body (web_json_body) and its string member key (web_json_member), for a route
 * that takes one: true with *doc (the caller's to json_decref; *value points into it, NULL
 * when absent unless required). False with the answer in *rc and nothing to free: the body's
 * error, or 400 invalid_fields for a member of another type or a required one absent. */
bool web_json_body_string(struct web_req *rq, const char *key, bool required, json_t **doc,
                          const char **value, enum web_err *rc);
/* A string member: its value, NULL when absent or null; a member of another type is noted as
 * a field_type error in err. */
const char *web_json_member(json_t *doc, const char *key, struct app_err *err);
/* The application form of a PUT /api/v1/application body (a JSON object): each member a field
 * of app_form by name; text as it is, an integer only for validity_years and province (into
 * nums), null "" (clears an editable field), anything else a field_type error and an unknown
 * name an unknown_field error in f->pre. Values point into doc and nums. */
void web_api_form_decode(json_t *doc, struct app_form *f, char nums[APP_F__COUNT][24]);
/* Answers 400 invalid_fields with err's per-field errors. */
enum web_err web_reply_invalid(struct web_req *rq, struct app_err *err);
/* "YYYY-MM-DDTHH:MM:SSZ" of Unix seconds t; "" when it cannot be written. */
void web_iso8601(int64_t t, char out[24]);

#endif
