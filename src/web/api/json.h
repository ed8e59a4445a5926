/* eimza — what the JSON API handlers share (web/api/): reading a JSON request body, taking
 * string members with per-field type errors, the 400 invalid_fields answer, and UTC times in
 * ISO 8601. */
#ifndef EIMZA_WEB_API_JSON_H
#define EIMZA_WEB_API_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/portal.h"
#include "web/http/request.h"

/* The request body as a JSON object: WEB_E_MEDIA_TYPE unless it is sent as application/json
 * (a cross-site form cannot send that without the browser asking first), WEB_E_BAD_REQUEST
 * when it does not parse or is not an object. With allow_empty an empty body is an empty
 * object. *out is the caller's to json_decref. */
enum web_err web_json_body(struct web_req *rq, bool allow_empty, json_t **out);
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
