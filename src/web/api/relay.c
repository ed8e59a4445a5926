/* eimza — signing through the relay, over HTTP (web/api/; app/relay.h; the contract is
 * docs/INTERFACES.md, "Signing through the relay"): the page's ticket
 * (POST/GET /api/v1/application/sign-ticket, an applicant's session) and the agent's requests
 * (POST /api/v1/relay/claim, /signature, /cancel: no session, the ticket and the claim in the
 * JSON body are the credentials; the agent's version in X-Eimza-Agent). Thin: decode, call the
 * use case, answer. A body that is not the contract's is 400 bad_request; the agent's answers
 * never set a cookie and are never cached (the server's default Cache-Control: no-store). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/relay.h"
#include "app/text.h"
#include "web/api/api.h"
#include "web/api/json.h"
#include "web/http/context.h"

/* ---- the page's side ------------------------------------------------------------------------ */

enum web_err web_h_api_sign_ticket_new(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_ticket_new t;
    char expires[24];
    json_t *doc = NULL;
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_APPLICANT, &c, &rc))
        return rc;
    if ((rc = web_json_body(rq, true, &doc)) != WEB_OK) /* {} or nothing */
        return rc;
    json_decref(doc);
    if (app_sign_ticket_issue(&c, &t, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    web_iso8601(t.expires_at, expires);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}", "ticket", t.ticket, "url", t.url,
                          "portal", t.portal, "expires_at", expires, "expires_in", t.expires_in,
                          "poll_ms", t.poll_ms);
    rc = o ? web_reply_json(rq, 201, o) : WEB_E_NOMEM;
    json_decref(o);
    memset(&t, 0, sizeof t);
    return rc;
}

enum web_err web_h_api_sign_ticket_get(struct web_req *rq)
{
    struct app_ctx c;
    struct app_err err;
    struct app_ticket_view v;
    char expires[24];
    enum web_err rc;
    if (!web_api_actor(rq, APP_ACTOR_APPLICANT, &c, &rc))
        return rc;
    if (app_sign_ticket_status(&c, &v, &err) != APP_OK)
        return web_reply_app_error(rq, &err);
    web_iso8601(v.expires_at, expires);
    json_t *error = json_null();
    if (v.error_code[0])
        error = json_pack("{s:s, s:o}", "code", v.error_code, "message",
                          v.error_has_message
                              ? json_string(app_reason_text_deployed(v.error_code, web_req_lang(rq),
                                                                     web_req_inhouse(rq)))
                              : json_null());
    json_t *o = json_pack(
        "{s:s, s:s, s:o, s:o, s:o}", "state", v.state, "expires_at", expires, "agent_version",
        v.agent_version[0] ? json_string(v.agent_version) : json_null(), "error",
        error ? error : json_null(), "number", v.number[0] ? json_string(v.number) : json_null());
    rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
    json_decref(o);
    return rc;
}

/* ---- the agent's side ----------------------------------------------------------------------- */

struct relay_body {
    json_t *doc;
    struct app_relay_req rq;
    struct app_ctx c; /* no session; the client's address (addr) for the limit */
    char addr[64];
};

/* Reads the agent's JSON body: the members named in want ("ticket", "claim", "code",
 * "cms_b64"), each a string; anything else about them is 400 bad_request. Then makes the
 * request's context: 503 without the database. */
static enum web_err relay_body_read(struct web_req *rq, const char *const *want, size_t n,
                                    struct relay_body *b)
{
    struct app_err err;
    memset(b, 0, sizeof *b);
    enum web_err rc = web_json_body(rq, false, &b->doc);
    if (rc != WEB_OK)
        return rc;
    app_err_clear(&err);
    for (size_t i = 0; i < n; i++) {
        const char *v = web_json_member(b->doc, want[i], &err);
        if (!v || err.nfields)
            return WEB_E_BAD_REQUEST;
        if (!strcmp(want[i], "ticket"))
            b->rq.ticket = v;
        else if (!strcmp(want[i], "claim"))
            b->rq.claim = v;
        else if (!strcmp(want[i], "code"))
            b->rq.code = v;
        else if (!strcmp(want[i], "cms_b64"))
            b->rq.cms_b64 = v;
    }
    b->rq.agent_version = web_req_header(rq, "X-Eimza-Agent");
    web_ctx(rq, APP_ACTOR_NONE, web_req_lang(rq), &b->c);
    b->c.client_addr = web_req_client_addr(rq, b->addr, sizeof b->addr);
    return b->c.db ? WEB_OK : WEB_E_DB_UNAVAILABLE;
}

static void relay_body_free(struct relay_body *b)
{
    json_decref(b->doc);
    memset(b, 0, sizeof *b);
}

/* A refusal of the use case: 400 bad_request in the web layer's words, 426 agent_outdated
 * with the version asked for, the rest through the one error map. */
static enum web_err relay_error(struct web_req *rq, const struct app_ctx *c,
                                const struct app_err *err)
{
    if (err->status == APP_EINVAL)
        return WEB_E_BAD_REQUEST;
    if (err->code && !strcmp(err->code, "agent_outdated")) {
        json_t *o = json_pack("{s:{s:s, s:s, s:s}}", "error", "code", err->code, "message",
                              app_reason_text(err->code, web_req_lang(rq)), "min_version",
                              c->set->relay.min_version);
        enum web_err rc = o ? web_reply_json(rq, app_status_http(err->status), o) : WEB_E_NOMEM;
        json_decref(o);
        return rc;
    }
    return web_reply_app_error(rq, err);
}

enum web_err web_h_relay_claim(struct web_req *rq)
{
    static const char *const want[] = {"ticket"};
    struct app_err err;
    struct app_relay_claimed out;
    struct relay_body b;
    char expires[24];
    struct ubuf content = UBUF_INIT(2 << 20); /* the content in base64 */
    enum web_err rc = relay_body_read(rq, want, 1, &b);
    if (rc != WEB_OK)
        goto out;
    if (app_relay_claim(&b.c, &b.rq, &out, &content, &err) != APP_OK) {
        rc = relay_error(rq, &b.c, &err);
        goto out;
    }
    web_iso8601(out.claim_expires_at, expires);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "claim", out.claim, "claim_expires_at",
                          expires, "application_number", out.number, "content_b64",
                          ubuf_str(&content), "content_sha256", out.content_sha256, "content_type",
                          "text/plain; charset=utf-8");
    rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
    json_decref(o);
out:
    memset(&out, 0, sizeof out);
    ubuf_free(&content);
    relay_body_free(&b);
    return rc;
}

enum web_err web_h_relay_signature(struct web_req *rq)
{
    static const char *const want[] = {"ticket", "claim", "cms_b64"};
    struct app_err err;
    struct app_application a;
    struct relay_body b;
    enum web_err rc = relay_body_read(rq, want, 3, &b);
    if (rc != WEB_OK)
        goto out;
    if (app_relay_signature(&b.c, &b.rq, &a, &err) != APP_OK) {
        rc = relay_error(rq, &b.c, &err);
        goto out;
    }
    json_t *o = json_pack("{s:s, s:s}", "state", a.state, "number", a.number);
    rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
    json_decref(o);
out:
    relay_body_free(&b);
    return rc;
}

enum web_err web_h_relay_cancel(struct web_req *rq)
{
    static const char *const want[] = {"ticket", "claim", "code"};
    struct app_err err;
    struct relay_body b;
    enum web_err rc = relay_body_read(rq, want, 3, &b);
    if (rc != WEB_OK)
        goto out;
    if (app_relay_cancel(&b.c, &b.rq, &err) != APP_OK) {
        rc = relay_error(rq, &b.c, &err);
        goto out;
    }
    json_t *o = json_pack("{s:s}", "state", "cancelled");
    rc = o ? web_reply_json(rq, 200, o) : WEB_E_NOMEM;
    json_decref(o);
out:
    relay_body_free(&b);
    return rc;
}
