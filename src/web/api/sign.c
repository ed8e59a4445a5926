/* eimza — the signing steps of the JSON API (web/api/; app/portal.h, "signing"): the
 * e-signature upload and the printable form of the wet-signature path. Thin: decode, call the
 * use case, answer. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/portal.h"
#include "web/api/api.h"
#include "web/http/context.h"
#include "web/http/formdata.h"

/* A media type equal to want, parameters aside. */
static bool media_is(const char *ct, const char *want)
{
    size_t n = strlen(want);
    return ct && strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

enum web_err web_h_api_signature(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_application a;
    web_ctx(rq, APP_ACTOR_APPLICANT, web_req_lang(rq), &c);
    if (!c.db)
        return WEB_E_DB_UNAVAILABLE;
    if (app_authenticate(&c, APP_ACTOR_APPLICANT, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    const char *ct = web_req_header(rq, "Content-Type");
    if (!media_is(ct, "application/pkcs7-signature") && !media_is(ct, "application/octet-stream"))
        return WEB_E_MEDIA_TYPE;
    size_t len;
    const char *body = web_req_body(rq, &len);
    if (app_signature_submit(&c, (const unsigned char *)body, len, &a, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    json_t *o = json_pack("{s:s, s:s}", "state", a.state, "number", a.number);
    enum web_err rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
    json_decref(o);
    return rc;
}

enum web_err web_h_api_wet_signature(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    unsigned char *pdf = NULL;
    size_t len = 0;
    web_ctx(rq, APP_ACTOR_APPLICANT, web_req_lang(rq), &c);
    if (!c.db)
        return WEB_E_DB_UNAVAILABLE;
    /* The status page's button is a plain form (no script needed): its CSRF token comes as a
     * form field; a script sends the header instead. */
    struct web_formdata form;
    size_t blen;
    const char *body = web_req_body(rq, &blen);
    const char *ct = web_req_header(rq, "Content-Type");
    if (web_formdata_parse(&form, media_is(ct, "application/x-www-form-urlencoded") ? body : "",
                           media_is(ct, "application/x-www-form-urlencoded") ? blen : 0) < 0)
        return WEB_E_BAD_REQUEST;
    c.cred.csrf_form = web_formdata_get(&form, "csrf_token");
    enum app_status st = app_authenticate(&c, APP_ACTOR_APPLICANT, &err);
    c.cred.csrf_form = NULL;
    web_formdata_free(&form);
    if (st != APP_OK)
        return web_reply_app_error(rq, &err);
    if (app_wet_form(&c, &pdf, &len, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    struct ubuf b;
    ubuf_init(&b, len + 1);
    enum web_err rc = ubuf_put(&b, pdf, len) == 0 ? WEB_OK : WEB_E_NOMEM;
    free(pdf);
    if (rc == WEB_OK) {
        web_reply_header(rq, "Content-Disposition", "attachment; filename=\"eimza-basvuru.pdf\"");
        web_reply_header(rq, "Cache-Control", "no-store");
        rc = web_reply(rq, 200, "application/pdf", &b);
    }
    ubuf_free(&b);
    return rc;
}
