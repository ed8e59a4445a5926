/* eimza — the applicant JSON API under /api/v1 and the development routes (web/api/):
 * the handlers the route table names, and the helpers the pages can share with them (the
 * portal's settings, the clock, the applicant's session with its CSRF rule, the cookie).
 * Handlers are thin: decode the request, call the use case (app/portal.h), render. */
#ifndef EIMZA_WEB_API_API_H
#define EIMZA_WEB_API_API_H

#include <stddef.h>
#include <stdint.h>

#include "app/portal.h"
#include "web/http/request.h"

#define WEB_SESSION_COOKIE "eimza_session"

/* The portal's settings: the guide's defaults (app_portal_cfg_default), the same for every
 * request. */
const struct app_portal_cfg *web_portal_cfg(void);
struct web_config;
/* Sets the portal's settings from the server's configuration (web_config_portal); call once
 * before the server starts. Until then (and in unit tests) the defaults apply. Returns 0, or
 * -1 with the reason in err. */
int web_portal_configure(const struct web_config *c, char *err, size_t errlen);
/* The e-signature verifier the use cases get (app_portal_cfg.verifier); set at start-up, after
 * web_portal_configure, before the server's threads exist. NULL: none. */
void web_portal_set_verifier(struct crypto_verifier *v);

/* "Now" for the use cases: the clock, moved by EIMZA_TEST_NOW_OFFSET seconds in --dev only
 * (so tests can let captchas and codes expire without waiting). */
int64_t web_portal_now(const struct web_req *rq);

/* The applicant's session of this request: `Authorization: Bearer <token>` or the
 * eimza_session cookie. A request that changes something (any method but GET and HEAD)
 * authenticated by the cookie must also carry the session's CSRF token, in the X-CSRF-Token
 * header or as form_csrf (the pages' hidden form field; may be NULL), else 403 csrf_invalid.
 * A Bearer token needs none: a browser never adds it by itself. token_out (may be NULL) gets
 * the token used. */
/* The session token of this request (Bearer first, then the cookie; NULL when none), for the
 * read-only use cases that check the session themselves; *by_cookie (may be NULL) tells where
 * it came from. */
const char *web_portal_token(const struct web_req *rq, bool *by_cookie);
enum app_status web_portal_auth(struct web_req *rq, const char *form_csrf, struct store_session *ss,
                                const char **token_out, struct app_err *err);

/* The CSRF rule of both kinds of session: a request that changes something (any method but
 * GET and HEAD) authenticated by a cookie must carry the session's CSRF token in the
 * X-CSRF-Token header or as form_csrf (may be NULL); else 403 csrf_invalid. */
enum app_status web_csrf_check(struct web_req *rq, bool by_cookie, const struct store_session *ss,
                               const char *form_csrf, struct app_err *err);
/* Sets a session cookie `name` (HttpOnly; SameSite=Strict; Path=/; Secure over TLS; Max-Age);
 * with token NULL, a cookie that clears it. */
int web_session_cookie(struct web_req *rq, const char *name, const char *token, int max_age);
/* Sets the session cookie (HttpOnly; SameSite=Strict; Path=/; Secure over TLS); with token
 * NULL, a cookie that clears it. */
int web_portal_set_cookie(struct web_req *rq, const char *token, int max_age);

/* The JSON API (portal.c). */
enum web_err web_h_api_captcha_new(struct web_req *rq);
/* The signing steps (sign.c). */
enum web_err web_h_api_signature(struct web_req *rq);
enum web_err web_h_api_wet_signature(struct web_req *rq);
enum web_err web_h_api_captcha_file(struct web_req *rq);
enum web_err web_h_api_login(struct web_req *rq);
enum web_err web_h_api_logout(struct web_req *rq);
enum web_err web_h_api_application_get(struct web_req *rq);
enum web_err web_h_api_application_put(struct web_req *rq);
enum web_err web_h_api_otp_send(struct web_req *rq);
enum web_err web_h_api_otp_verify(struct web_req *rq);
enum web_err web_h_api_content(struct web_req *rq);
enum web_err web_h_api_method(struct web_req *rq);
enum web_err web_h_api_status(struct web_req *rq);
enum web_err web_h_api_openapi(struct web_req *rq);

/* Development only (--dev; 404 otherwise): dev.c. */
enum web_err web_h_dev_captcha(struct web_req *rq);
enum web_err web_h_dev_outbox(struct web_req *rq);

/* docs/openapi.yaml, embedded at build time (cmake/embed_text.cmake). */
extern const char web_openapi_yaml[];
extern const size_t web_openapi_yaml_len;

#endif
