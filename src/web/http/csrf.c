/* eimza — the login forms' CSRF token (web/http/; see csrf.h). */
#include "web/http/csrf.h"

#include <stdio.h>
#include <string.h>

#include "util/rand.h"

int web_login_csrf(struct web_req *rq, const char *name, const char *path,
                   char out[WEB_LOGIN_CSRF_HEX + 1])
{
    const char *have = web_req_cookie(rq, name);
    if (have && strlen(have) == WEB_LOGIN_CSRF_HEX &&
        strspn(have, "0123456789abcdef") == WEB_LOGIN_CSRF_HEX) {
        memcpy(out, have, WEB_LOGIN_CSRF_HEX + 1);
        return 0;
    }
    unsigned char r[WEB_LOGIN_CSRF_BYTES];
    if (urand_bytes(r, sizeof r) < 0)
        return -1;
    for (size_t i = 0; i < sizeof r; i++)
        snprintf(out + 2 * i, 3, "%02x", r[i]);
    char v[256];
    snprintf(v, sizeof v, "%s=%s; Path=%s; HttpOnly; SameSite=Strict; Max-Age=3600%s", name, out,
             path, web_req_tls(rq) ? "; Secure" : "");
    return web_reply_header(rq, "Set-Cookie", v);
}

bool web_same_token(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    size_t n = strlen(a);
    if (n == 0 || n != strlen(b))
        return false;
    unsigned char d = 0;
    for (size_t i = 0; i < n; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}
