/* eimza — the login forms' CSRF token (web/http/): before anyone is logged in there is no session
 * to hold a token, so the login pages (applicants' /giris, staff's /yonetim/giris) use the
 * double-submit pattern: a random token in an HttpOnly, SameSite=Strict cookie scoped to the
 * login path, repeated in the form, and compared in constant time when the form comes back. */
#ifndef EIMZA_WEB_HTTP_CSRF_H
#define EIMZA_WEB_HTTP_CSRF_H

#include <stdbool.h>

#include "web/http/request.h"

#define WEB_LOGIN_CSRF_BYTES 16
#define WEB_LOGIN_CSRF_HEX   (2 * WEB_LOGIN_CSRF_BYTES)

/* The token for the login form: the cookie's when it holds a well-formed one, else a new one
 * set in the cookie `name` (Path=path, an hour, Secure over TLS). 0, or -1 when no random
 * bytes or no header could be had. */
int web_login_csrf(struct web_req *rq, const char *name, const char *path,
                   char out[WEB_LOGIN_CSRF_HEX + 1]);
/* Two tokens equal, in time that does not depend on where they differ; false for NULL or "". */
bool web_same_token(const char *a, const char *b);

#endif
