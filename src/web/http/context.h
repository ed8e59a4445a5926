/* eimza — a request as the use cases see it (web/http/): the context of app/context.h made from
 * the request, and the session cookies.
 *
 * The context holds this request's database connection (borrowed from the pool; NULL when the
 * database cannot be reached), the server's settings (made at start-up and hung on the server
 * object), the portal's clock, the language and the credentials: the
 * session token from `Authorization: Bearer`, else from the session cookie of the kind asked
 * for (eimza_session for applicants, eimza_staff for staff, so that one kind's token never
 * opens the other's routes), whether the request changes something, and the X-CSRF-Token
 * header. A page adds the token of its form (c->cred.csrf_form) after decoding the body, a
 * login the client's address (c->client_addr, web_req_client_addr). The use cases then let the
 * actor in with app_authenticate(): the one way in.
 */
#ifndef EIMZA_WEB_HTTP_CONTEXT_H
#define EIMZA_WEB_HTTP_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "app/context.h"
#include "web/http/request.h"

#define WEB_SESSION_COOKIE "eimza_session" /* an applicant's session */
#define WEB_STAFF_COOKIE   "eimza_staff"   /* a staff member's session */

/* The context of this request for a use case acting for kind (APP_ACTOR_NONE: no credentials
 * are read), in language lang. The strings it points to belong to the request. */
void web_ctx(struct web_req *rq, enum app_actor_kind kind, enum core_lang lang, struct app_ctx *c);
/* The same without borrowing a database connection (c->db NULL), for an answer that may come
 * from memory (app_status_kept). */
void web_ctx_nodb(struct web_req *rq, enum app_actor_kind kind, enum core_lang lang,
                  struct app_ctx *c);

/* "Now" for the use cases: the clock, moved by EIMZA_TEST_NOW_OFFSET seconds in --dev only (so
 * tests can let captchas and codes expire without waiting). */
int64_t web_req_now(const struct web_req *rq);

/* Sets the session cookie of kind (HttpOnly; SameSite=Strict; Path=/; Secure over TLS;
 * Max-Age); with token NULL, a cookie that clears it. 0 or -1. */
int web_session_cookie(struct web_req *rq, enum app_actor_kind kind, const char *token,
                       int max_age);

#endif
