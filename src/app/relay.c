/* eimza — signing through the relay: the page's tickets and the agent's claim, signature and
 * cancel. See relay.h; the contract is docs/INTERFACES.md, "Signing through the relay".
 *
 * Every agent request goes the same way first (relay_ticket): the client's address must not be
 * locked out, the ticket must be of the form and known, the agent new enough, the ticket in
 * the state the step needs (and, after the claim, the claim value the right one), the session
 * that asked for it still alive, and its application still waiting for an e-signature. Until
 * all of that holds nothing is written but the audit entry of the refusal (and the address's
 * counter for an unknown ticket or a wrong claim). The moves between states are conditional on
 * the state read (store_ticket_move), so two agents racing with one ticket cannot both win.
 */
#include "app/relay.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portal_int.h"
#include "core/version.h"
#include "crypto/hash.h"
#include "util/log.h"

#define APP_RELAY_TICKET_BYTES 32
#define APP_RELAY_KEEP_DAYS    1 /* tickets are deleted a day after they were made */

/* A ticket or claim as this portal makes them: 43 characters of base64url. */
static bool relay_token_ok(const char *s)
{
    static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    return s && strlen(s) == APP_TOKEN_LEN && strspn(s, b64url) == APP_TOKEN_LEN;
}

static bool relay_code_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n >= 1 && n <= APP_RELAY_CODE_MAX &&
           strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* The per-address counter's key: the address only as a hash. */
static int relay_addr_key(const char *addr, char out[STORE_RATE_KEY_MAX])
{
    char in[96], h[STORE_HASH_HEX + 1];
    snprintf(in, sizeof in, "eimza-relay-addr:%s", addr && *addr ? addr : "unknown");
    if (app__sha256(in, h) < 0)
        return -1;
    snprintf(out, STORE_RATE_KEY_MAX, "relay:addr:%.32s", h);
    return 0;
}

/* An unknown ticket or a wrong claim from the client's address; the one that reaches the
 * limit is the lock-out, and is audited. */
static void relay_count_bad(const struct app_ctx *c, const char *key, int64_t ws)
{
    long n = 0;
    if (store_rate_hit(c->db, key, ws, &n) != STORE_OK)
        return; /* the refusal stands; the counter is best effort */
    if (n == APP_RELAY_BAD_MAX) {
        char detail[64];
        snprintf(detail, sizeof detail, "{\"failures\":%ld}", n);
        (void)app__audit(c->db, c->now, "anonymous", "relay.lockout", "address", detail);
        ulog(ULOG_WARN, "relay.lockout", "failures=%ld", n);
    }
}

/* A refusal of a known ticket, audited with its application (never the ticket). */
static enum app_status relay_refuse(const struct app_ctx *c, const struct store_application *a,
                                    const char *step, enum app_status st, const char *code,
                                    struct app_err *err)
{
    char actor[32], detail[128];
    app__actor(a->tckn, actor);
    snprintf(detail, sizeof detail, "{\"code\":\"%s\",\"step\":\"%s\"}", code, step);
    (void)app__audit(c->db, c->now, actor, "application.relay_refused", a->number, detail);
    ulog(ULOG_INFO, "relay.refused", "application=%s step=%s code=%s", a->number, step, code);
    return app__fail(err, st, code);
}

/* Whether the agent's version is one the portal accepts. */
static bool relay_version_ok(const struct app_ctx *c, const char *v)
{
    const char *min = c->set->relay.min_version;
    if (!min[0])
        return true;
    return v && core_version_ok(v) && core_version_cmp(v, min) >= 0;
}

enum relay_step { RELAY_CLAIM, RELAY_SIGNATURE, RELAY_CANCEL };
static const char *const relay_step_name[] = {"claim", "signature", "cancel"};

/* The checks every agent request makes (see the top of this file). On APP_OK, *t, *sess and
 * *a are the ticket, its session and its application. */
static enum app_status relay_ticket(const struct app_ctx *c, const struct app_relay_req *rq,
                                    enum relay_step step, struct store_ticket *t,
                                    struct store_application *a, struct app_err *err)
{
    struct store *s = c->db;
    const char *stepname = relay_step_name[step];
    char key[STORE_RATE_KEY_MAX], h[STORE_HASH_HEX + 1];
    const int64_t ws = c->now - c->now % APP_RELAY_BAD_WINDOW;
    struct store_session sess;
    long bad = 0;
    enum store_err e;

    if (!relay_token_ok(rq->ticket) || (step != RELAY_CLAIM && !relay_token_ok(rq->claim)))
        return app__fail(err, APP_EINVAL, "bad_request");
    if (relay_addr_key(c->client_addr, key) < 0 || app__sha256(rq->ticket, h) < 0)
        return app__fail(err, APP_EINTERNAL, NULL);
    if ((e = store_rate_get(s, key, ws, &bad)) != STORE_OK)
        return app__store_err(s, e, "reading the relay counter", NULL, NULL, err);
    if (bad >= APP_RELAY_BAD_MAX) {
        err->retry_after = ws + APP_RELAY_BAD_WINDOW - c->now;
        return app__fail(err, APP_ETOOMANY, "too_many_relay_requests");
    }
    e = store_ticket_get(s, h, t);
    if (e == STORE_OK) {
        e = store_app_get(s, t->application_id, a);
        if (e == STORE_ENOTFOUND)
            app_err_clear(err); /* an application gone: the ticket with it */
    }
    if (e == STORE_ENOTFOUND) {
        relay_count_bad(c, key, ws);
        ulog(ULOG_INFO, "relay.refused", "step=%s code=ticket_unknown", stepname);
        return app__fail(err, APP_ENOTFOUND, "ticket_unknown");
    }
    if (e != STORE_OK)
        return app__store_err(s, e, "reading a signing ticket", NULL, NULL, err);

    if (!relay_version_ok(c, rq->agent_version))
        return relay_refuse(c, a, stepname, APP_EOUTDATED, "agent_outdated", err);
    if (!strcmp(t->state, "superseded"))
        return relay_refuse(c, a, stepname, APP_ECONFLICT, "ticket_superseded", err);
    if (step == RELAY_CLAIM) {
        if (strcmp(t->state, "issued") != 0)
            return relay_refuse(c, a, stepname, APP_ECONFLICT, "ticket_used", err);
        if (c->now >= t->expires_at)
            return relay_refuse(c, a, stepname, APP_EGONE, "ticket_expired", err);
    } else {
        char ch[STORE_HASH_HEX + 1];
        if (!strcmp(t->state, "issued") || !strcmp(t->state, "claimed")) {
            /* the claim is the credential of this step: a ticket never claimed has none */
            if (app__sha256(rq->claim, ch) < 0)
                return app__fail(err, APP_EINTERNAL, NULL);
            if (!t->claim_hash[0] || !app__ct_equal(ch, t->claim_hash)) {
                relay_count_bad(c, key, ws);
                return relay_refuse(c, a, stepname, APP_EFORBIDDEN, "claim_mismatch", err);
            }
        } else {
            return relay_refuse(c, a, stepname, APP_ECONFLICT, "ticket_used", err);
        }
        if (c->now >= t->claim_expires_at)
            return relay_refuse(c, a, stepname, APP_EGONE, "ticket_expired", err);
    }

    /* the session that asked for it must still be open: logging out ends its tickets */
    e = store_session_get(s, t->session_hash, &sess);
    if (e == STORE_ENOTFOUND ||
        (e == STORE_OK &&
         (sess.expires_at <= c->now || sess.last_seen + c->set->portal.session_idle <= c->now ||
          strcmp(sess.subject, a->tckn) != 0))) {
        app_err_clear(err);
        return relay_refuse(c, a, stepname, APP_EGONE, "ticket_expired", err);
    }
    if (e != STORE_OK)
        return app__store_err(s, e, "reading a session", NULL, NULL, err);
    if (app__may_sign(c, a, err) != APP_OK) {
        const char *why = err->code;
        enum app_status st = err->status;
        if (!why) /* the database failed on the way */
            return st;
        app_err_clear(err);
        return relay_refuse(c, a, stepname, st, why, err);
    }
    if (step != RELAY_CANCEL && !c->set->portal.verifier) {
        ulog(ULOG_ERROR, "relay", "no verifier configured: signatures cannot be checked");
        return app__fail(err, APP_EUNAVAILABLE, "verification_unavailable");
    }
    return APP_OK;
}

/* Moves t (with its new fields) from `from` and audits it, in one transaction. A ticket moved
 * meanwhile by another request is 409 ticket_used. */
static enum app_status relay_move(const struct app_ctx *c, const struct store_application *a,
                                  const struct store_ticket *t, const char *from,
                                  const char *action, const char *detail, struct app_err *err)
{
    struct store *s = c->db;
    char actor[32];
    app__actor(a->tckn, actor);
    enum store_err e = store_tx_begin(s);
    if (e == STORE_OK)
        e = store_ticket_move(s, t, from);
    if (e == STORE_OK && action)
        e = app__audit(s, c->now, actor, action, a->number, detail);
    if (e == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e == STORE_ECONFLICT)
        return app__fail(err, APP_ECONFLICT, "ticket_used");
    if (e != STORE_OK)
        return app__store_err(s, e, "moving a signing ticket", "ticket_unknown", "ticket_used",
                              err);
    return APP_OK;
}

/* ---- the page's side ----------------------------------------------------------------------- */

enum app_status app_sign_ticket_issue(const struct app_ctx *c, struct app_ticket_new *out,
                                      struct app_err *err)
{
    struct store *s = c->db;
    const struct app_relay_cfg *rc = &c->set->relay;
    struct store_application a;
    struct store_ticket t;
    char key[STORE_RATE_KEY_MAX], actor[32], detail[64];
    long n = 0, superseded = 0;
    enum store_err e;

    app_err_clear(err);
    memset(out, 0, sizeof *out);
    const struct app_session *ss = app__applicant(c, err);
    if (!ss)
        return err->status;
    if (!rc->portal[0])
        return app__fail(err, APP_EUNAVAILABLE, "relay_unavailable");
    const int64_t ws = c->now - c->now % APP_RELAY_WINDOW;
    snprintf(key, sizeof key, "ticket:%.32s", ss->token_hash);
    if ((e = store_rate_hit(s, key, ws, &n)) != STORE_OK)
        return app__store_err(s, e, "counting signing tickets", NULL, NULL, err);
    if (n > APP_RELAY_PER_SESSION) {
        err->retry_after = ws + APP_RELAY_WINDOW - c->now;
        return app__fail(err, APP_ETOOMANY, "too_many_tickets");
    }
    if (app__load(s, ss, &a, err) != APP_OK || app__may_sign(c, &a, err) != APP_OK)
        return err->status;
    if (!c->set->portal.verifier)
        return app__fail(err, APP_EUNAVAILABLE, "verification_unavailable");

    memset(&t, 0, sizeof t);
    if (app__random_b64(APP_RELAY_TICKET_BYTES, out->ticket, sizeof out->ticket) < 0 ||
        app__sha256(out->ticket, t.ticket_hash) < 0)
        return app__fail(err, APP_EINTERNAL, NULL);
    snprintf(t.session_hash, sizeof t.session_hash, "%s", ss->token_hash);
    t.application_id = a.id;
    snprintf(t.state, sizeof t.state, "issued");
    t.created_at = c->now;
    t.expires_at = c->now + rc->ticket_ttl;
    app__actor(a.tckn, actor);
    if ((e = store_tx_begin(s)) == STORE_OK &&
        (e = store_ticket_issue(s, &t, c->now - APP_RELAY_KEEP_DAYS * 86400, &superseded)) ==
            STORE_OK) {
        snprintf(detail, sizeof detail, "{\"superseded\":%ld}", superseded);
        e = app__audit(s, c->now, actor, "application.sign_ticket_issued", a.number, detail);
    }
    if (e == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK) {
        memset(out, 0, sizeof *out);
        return app__store_err(s, e, "issuing a signing ticket", NULL, "wrong_state", err);
    }
    /* the origin holds no '&', '#', '?' or space (web_config_relay made it) */
    snprintf(out->portal, sizeof out->portal, "%s", rc->portal);
    snprintf(out->url, sizeof out->url, "eimza://sign?ticket=%s&portal=%s", out->ticket,
             rc->portal);
    out->expires_at = t.expires_at;
    out->expires_in = rc->ticket_ttl;
    out->poll_ms = APP_RELAY_POLL_MS;
    ulog(ULOG_INFO, "relay.issued", "application=%s superseded=%ld", a.number, superseded);
    return APP_OK;
}

enum app_status app_sign_ticket_status(const struct app_ctx *c, struct app_ticket_view *out,
                                       struct app_err *err)
{
    struct store *s = c->db;
    struct store_ticket t;
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    const struct app_session *ss = app__applicant(c, err);
    if (!ss)
        return err->status;
    enum store_err e = store_ticket_latest(s, ss->token_hash, &t);
    if (e != STORE_OK)
        return app__store_err(s, e, "reading a signing ticket", "no_ticket", NULL, err);
    const char *state = t.state;
    int64_t ends = t.expires_at;
    if (!strcmp(state, "claimed") || !strcmp(state, "checking")) {
        ends = t.claim_expires_at;
        /* a check is short; one still open long past the claim's end was cut by a crash */
        if (!strcmp(state, "claimed") ? c->now >= ends : c->now >= ends + 300)
            state = "expired";
        else
            state = "claimed";
    } else if (!strcmp(state, "issued") && c->now >= ends) {
        state = "expired";
    }
    snprintf(out->state, sizeof out->state, "%s", state);
    out->expires_at = ends;
    snprintf(out->agent_version, sizeof out->agent_version, "%s", t.agent_version);
    if (!strcmp(state, "refused") || !strcmp(state, "cancelled")) {
        snprintf(out->error_code, sizeof out->error_code, "%s", t.error_code);
        out->error_has_message = !strcmp(state, "refused");
    }
    if (!strcmp(state, "submitted")) {
        struct store_application a;
        if ((e = store_app_get(s, t.application_id, &a)) != STORE_OK)
            return app__store_err(s, e, "reading the application", "no_ticket", NULL, err);
        snprintf(out->number, sizeof out->number, "%s", a.number);
    }
    return APP_OK;
}

/* ---- the agent's side ---------------------------------------------------------------------- */

/* The content's bytes in base64 (padded), appended to out. 0 or -1. */
static int relay_b64(const struct ubuf *in, struct ubuf *out)
{
    size_t need = sodium_base64_ENCODED_LEN(in->len, sodium_base64_VARIANT_ORIGINAL);
    char *p = malloc(need);
    int rc = -1;
    if (p) {
        sodium_bin2base64(p, need, (const unsigned char *)(in->len ? in->p : ""), in->len,
                          sodium_base64_VARIANT_ORIGINAL);
        rc = ubuf_puts(out, p);
        free(p);
    }
    return rc;
}

enum app_status app_relay_claim(const struct app_ctx *c, const struct app_relay_req *rq,
                                struct app_relay_claimed *out, struct ubuf *content_b64,
                                struct app_err *err)
{
    struct store_ticket t;
    struct store_application a;
    struct ubuf content = UBUF_INIT(1 << 20);
    char detail[96];
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    if (relay_ticket(c, rq, RELAY_CLAIM, &t, &a, err) != APP_OK)
        return err->status;
    int bad = app__content_render(&a, &content) < 0 ||
              crypto_sha256_hex(content.p, content.len, out->content_sha256) < 0 ||
              relay_b64(&content, content_b64) < 0 ||
              app__random_b64(APP_RELAY_TICKET_BYTES, out->claim, sizeof out->claim) < 0 ||
              app__sha256(out->claim, t.claim_hash) < 0;
    ubuf_free(&content);
    if (bad) {
        memset(out, 0, sizeof *out);
        return app__fail(err, APP_EINTERNAL, NULL);
    }
    snprintf(t.state, sizeof t.state, "claimed");
    t.claimed_at = c->now;
    t.claim_expires_at = c->now + c->set->relay.claim_ttl;
    snprintf(t.agent_version, sizeof t.agent_version, "%s",
             rq->agent_version && core_version_ok(rq->agent_version) ? rq->agent_version : "");
    snprintf(detail, sizeof detail, "{\"agent_version\":\"%s\"}", t.agent_version);
    if (relay_move(c, &a, &t, "issued", "application.sign_ticket_claimed", detail, err) != APP_OK) {
        memset(out, 0, sizeof *out);
        return err->status;
    }
    out->claim_expires_at = t.claim_expires_at;
    snprintf(out->number, sizeof out->number, "%s", a.number);
    ulog(ULOG_INFO, "relay.claimed", "application=%s agent=%s", a.number,
         t.agent_version[0] ? t.agent_version : "-");
    return APP_OK;
}

static enum app_status relay_signature(const struct app_ctx *c, const struct app_relay_req *rq,
                                       const unsigned char *cms, size_t cms_len,
                                       struct app_application *out, struct app_err *err);

enum app_status app_relay_signature(const struct app_ctx *c, const struct app_relay_req *rq,
                                    struct app_application *out, struct app_err *err)
{
    size_t len = rq->cms_b64 ? strlen(rq->cms_b64) : 0, cms_len = 0;
    app_err_clear(err);
    /* the DER's size is known before it is decoded: more than a CMS may be is refused unread */
    if (len == 0 || len / 4 * 3 > (size_t)APP_SIGNATURE_MAX + 3)
        return app__fail(err, APP_EINVAL, "bad_request");
    unsigned char *cms = malloc(len / 4 * 3 + 3);
    if (!cms)
        return app__fail(err, APP_EINTERNAL, NULL);
    if (sodium_base642bin(cms, len / 4 * 3 + 3, rq->cms_b64, len, NULL, &cms_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        free(cms);
        return app__fail(err, APP_EINVAL, "bad_request");
    }
    enum app_status st = relay_signature(c, rq, cms, cms_len, out, err);
    free(cms);
    return st;
}

/* app_relay_signature with the CMS decoded. */
static enum app_status relay_signature(const struct app_ctx *c, const struct app_relay_req *rq,
                                       const unsigned char *cms, size_t cms_len,
                                       struct app_application *out, struct app_err *err)
{
    struct store_ticket t, done;
    struct store_application a;
    if (relay_ticket(c, rq, RELAY_SIGNATURE, &t, &a, err) != APP_OK)
        return err->status;
    if (cms_len == 0 || cms_len > APP_SIGNATURE_MAX)
        return relay_refuse(c, &a, "signature", APP_EREJECTED, "malformed", err);
    /* one check per ticket: whoever moves it to checking does the check */
    struct store_ticket checking = t;
    snprintf(checking.state, sizeof checking.state, "checking");
    if (relay_move(c, &a, &checking, "claimed", NULL, NULL, err) != APP_OK)
        return err->status;
    done = checking;
    snprintf(done.state, sizeof done.state, "submitted");
    done.ended_at = c->now;
    enum app_status st = app__signature_check(c, &a, NULL, cms, cms_len, &done, out, err);
    if (st == APP_OK) {
        ulog(ULOG_INFO, "relay.submitted", "application=%s", a.number);
        return APP_OK;
    }
    /* a refusal of the signature itself ends the ticket with its code; a failure of ours
     * gives the claim back, so the agent may try once more */
    struct app_err ignored;
    app_err_clear(&ignored);
    if (err->code && (st == APP_EREJECTED || st == APP_ECONFLICT)) {
        char detail[96];
        done = checking;
        snprintf(done.state, sizeof done.state, "refused");
        snprintf(done.error_code, sizeof done.error_code, "%s", err->code);
        done.ended_at = c->now;
        snprintf(detail, sizeof detail, "{\"code\":\"%s\"}", err->code);
        (void)relay_move(c, &a, &done, "checking", "application.sign_ticket_refused", detail,
                         &ignored);
    } else {
        (void)relay_move(c, &a, &t, "checking", NULL, NULL, &ignored);
    }
    return st;
}

enum app_status app_relay_cancel(const struct app_ctx *c, const struct app_relay_req *rq,
                                 struct app_err *err)
{
    struct store_ticket t;
    struct store_application a;
    char detail[128];
    app_err_clear(err);
    if (!relay_code_ok(rq->code))
        return app__fail(err, APP_EINVAL, "bad_request");
    if (relay_ticket(c, rq, RELAY_CANCEL, &t, &a, err) != APP_OK)
        return err->status;
    snprintf(t.state, sizeof t.state, "cancelled");
    snprintf(t.error_code, sizeof t.error_code, "%s", rq->code);
    t.ended_at = c->now;
    snprintf(detail, sizeof detail, "{\"code\":\"%s\"}", rq->code);
    if (relay_move(c, &a, &t, "claimed", "application.sign_ticket_cancelled", detail, err) !=
        APP_OK)
        return err->status;
    ulog(ULOG_INFO, "relay.cancelled", "application=%s code=%s", a.number, rq->code);
    return APP_OK;
}
