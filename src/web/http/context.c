/* eimza — a request as the use cases see it (see context.h). */
#include "web/http/context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "web/http/http_int.h"

int64_t web_req_now(const struct web_req *rq)
{
    return (int64_t)time(NULL) + rq->srv->now_offset; /* 0 unless --dev (server.c) */
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

static const char *cookie_name(enum app_actor_kind kind)
{
    return kind == APP_ACTOR_STAFF ? WEB_STAFF_COOKIE : WEB_SESSION_COOKIE;
}

void web_ctx_nodb(struct web_req *rq, enum app_actor_kind kind, enum core_lang lang,
                  struct app_ctx *c)
{
    memset(c, 0, sizeof *c);
    c->set = rq->srv->set;
    c->now = web_req_now(rq);
    c->lang = lang;
    if (kind == APP_ACTOR_NONE)
        return;
    const char *m = web_req_method(rq);
    c->cred.token = bearer(rq);
    if (!c->cred.token) {
        c->cred.token = web_req_cookie(rq, cookie_name(kind));
        c->cred.by_cookie = c->cred.token != NULL;
    }
    c->cred.changes = strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
    c->cred.csrf_header = web_req_header(rq, "X-CSRF-Token");
}

void web_ctx(struct web_req *rq, enum app_actor_kind kind, enum core_lang lang, struct app_ctx *c)
{
    web_ctx_nodb(rq, kind, lang, c);
    c->db = web_req_store(rq);
}

int web_session_cookie(struct web_req *rq, enum app_actor_kind kind, const char *token, int max_age)
{
    char v[256];
    snprintf(v, sizeof v, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
             cookie_name(kind), token ? token : "", token ? max_age : 0,
             web_req_tls(rq) ? "; Secure" : "");
    return web_reply_header(rq, "Set-Cookie", v);
}
