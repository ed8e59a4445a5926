/* eimza — what the applicant API's handlers and the pages share (web/api/; see api.h): the portal's
 * settings, the clock, the session from a Bearer token or the cookie with the CSRF rule, and
 * the session cookie. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "store/store.h"
#include "web/http/config.h"
#include "web/api/api.h"

static struct app_portal_cfg portal_cfg;
static pthread_once_t portal_cfg_once = PTHREAD_ONCE_INIT;

static void portal_cfg_init(void)
{
    app_portal_cfg_default(&portal_cfg);
}

int web_portal_configure(const struct web_config *c, char *err, size_t errlen)
{
    /* called once at start-up, before the server's threads exist */
    static char names[sizeof c->card_readers];
    struct app_portal_cfg pc;
    pthread_once(&portal_cfg_once, portal_cfg_init);
    if (web_config_portal(c, &pc, names, sizeof names, err, errlen) < 0)
        return -1;
    portal_cfg = pc;
    return 0;
}

void web_portal_set_verifier(struct crypto_verifier *v)
{
    pthread_once(&portal_cfg_once, portal_cfg_init);
    portal_cfg.verifier = v;
}

const struct app_portal_cfg *web_portal_cfg(void)
{
    pthread_once(&portal_cfg_once, portal_cfg_init);
    return &portal_cfg;
}

int64_t web_portal_now(const struct web_req *rq)
{
    int64_t now = (int64_t)time(NULL);
    if (web_req_dev(rq)) {
        const char *off = getenv("EIMZA_TEST_NOW_OFFSET");
        if (off && *off)
            now += (int64_t)strtoll(off, NULL, 10);
    }
    return now;
}

/* The token of "Authorization: Bearer <token>", or NULL. */
static const char *bearer(const struct web_req *rq)
{
    const char *h = web_req_header(rq, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return NULL;
    h += 7;
    while (*h == ' ')
        h++;
    return *h ? h : NULL;
}

const char *web_portal_token(const struct web_req *rq, bool *by_cookie)
{
    const char *token = bearer(rq);
    bool cookie = false;
    if (!token) {
        token = web_req_cookie(rq, WEB_SESSION_COOKIE);
        cookie = token != NULL;
    }
    if (by_cookie)
        *by_cookie = cookie;
    return token;
}

enum app_status web_portal_auth(struct web_req *rq, const char *form_csrf, struct store_session *ss,
                                const char **token_out, struct app_err *err)
{
    bool by_cookie;
    const char *token = web_portal_token(rq, &by_cookie);
    if (token_out)
        *token_out = token;
    enum app_status st =
        app_session_auth(web_req_store(rq), web_portal_cfg(), token, web_portal_now(rq), ss, err);
    if (st != APP_OK)
        return st;
    return web_csrf_check(rq, by_cookie, ss, form_csrf, err);
}

enum app_status web_csrf_check(struct web_req *rq, bool by_cookie, const struct store_session *ss,
                               const char *form_csrf, struct app_err *err)
{
    const char *m = web_req_method(rq);
    if (by_cookie && strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0) {
        const char *csrf = web_req_header(rq, "X-CSRF-Token");
        if (!app_csrf_ok(ss, csrf) && !app_csrf_ok(ss, form_csrf)) {
            err->status = APP_EFORBIDDEN;
            err->code = "csrf_invalid";
            return err->status;
        }
    }
    return APP_OK;
}

int web_session_cookie(struct web_req *rq, const char *name, const char *token, int max_age)
{
    char v[256];
    snprintf(v, sizeof v, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", name,
             token ? token : "", token ? max_age : 0, web_req_tls(rq) ? "; Secure" : "");
    return web_reply_header(rq, "Set-Cookie", v);
}

int web_portal_set_cookie(struct web_req *rq, const char *token, int max_age)
{
    return web_session_cookie(rq, WEB_SESSION_COOKIE, token, max_age);
}
