/* eimza — libFuzzer driver: the JSON bodies of the API as the server takes them: parsed by
 * jansson with the flags web_json_body uses (duplicate keys refused), then, for an object, the
 * application form's decoding (web_api_form_decode: each member to its field, numbers only for
 * validity_years and province) and the string members of the logins (web_json_member).
 *
 * Besides the sanitizers, the driver checks: every decoded field value is a string of the
 * document, or the decimal of an integer for validity_years / province only; every member of
 * a wrong type is reported, never taken; no error names a field twice more than the room. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/context.h"
#include "app/portal.h"
#include "web/api/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t je;
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
    if (!doc)
        return 0;
    if (!json_is_object(doc)) {
        json_decref(doc);
        return 0;
    }
    struct app_form f;
    char nums[APP_F__COUNT][24];
    web_api_form_decode(doc, &f, nums);
    if (f.npre > sizeof f.pre / sizeof f.pre[0])
        abort();
    for (int i = 0; i < APP_F__COUNT; i++) {
        if (!f.v[i])
            continue;
        json_t *m = json_object_get(doc, app_field_name((enum app_field)i));
        if (!m)
            abort(); /* a value from nowhere */
        if (json_is_string(m)) {
            if (f.v[i] != json_string_value(m))
                abort();
        } else if (json_is_integer(m)) {
            if (i != APP_F_VALIDITY_YEARS && i != APP_F_PROVINCE)
                abort(); /* a number taken for text (issue 19, finding 7) */
            if (strtoll(f.v[i], NULL, 10) != (long long)json_integer_value(m))
                abort();
        } else if (!json_is_null(m) || *f.v[i]) {
            abort();
        }
    }
    struct app_err err;
    app_err_clear(&err);
    static const char *const keys[] = {"username", "password",   "totp",
                                       "tckn",     "captcha_id", "captcha_answer",
                                       "code",     "decision",   "reason"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const char *v = web_json_member(doc, keys[k], &err);
        json_t *m = json_object_get(doc, keys[k]);
        if (v && (!json_is_string(m) || v != json_string_value(m)))
            abort();
    }
    if (err.nfields > APP_MAX_FIELD_ERRORS)
        abort();
    json_decref(doc);
    return 0;
}
