/* eimza — the local signing agent: HTTP on loopback (libmicrohttpd), answering only the
 * configured portal origins, signing with the card through sign/p11.c.
 *
 * Why a local HTTP server: the portal's page cannot reach a smart card, and the old Java
 * applet is gone; the page's script (static/js/sign.js) talks to this agent instead. The PIN
 * never passes through the page: the agent asks for it itself (pinentry, or --pin-fd for
 * tests), once per signature, and shows in the dialogue who asks and what is being signed.
 *
 * HTTP API (JSON, UTF-8; every response carries Vary: Origin and Cache-Control: no-store):
 *
 *   Every request must come with a Host header naming this loopback listener (127.x.y.z,
 *   localhost or [::1] with the agent's port) -> else 403 host_forbidden; and an Origin
 *   header exactly equal to one of the --origin values -> else 403 origin_forbidden (no CORS
 *   headers then). Allowed origins get Access-Control-Allow-Origin: <origin>.
 *
 *   OPTIONS /v1/version, /v1/tokens, /v1/sign   (CORS preflight)
 *     -> 204; Access-Control-Allow-Methods: GET, POST, OPTIONS;
 *        Access-Control-Allow-Headers: Content-Type; Access-Control-Max-Age: 600; and when
 *        the request has Access-Control-Request-Private-Network: true (Private Network
 *        Access), Access-Control-Allow-Private-Network: true.
 *
 *   GET /v1/version
 *     -> 200 {"agent":"eimza","version":V,"api":1,"relay":true}: what the page compares with
 *        the version its portal asks for, without touching the card
 *
 *   GET /v1/tokens
 *     -> 200 {"agent":"eimza","version":V,"tokens":[{"label","manufacturer","model" (the
 *        card type),"serial","slot","login_required","pin_pad","pin":{"count_low",
 *        "final_try","locked"},"warning": Turkish text from the PIN flags or null,
 *        "certificate": {"subject_cn","not_after":"YYYY-MM-DDTHH:MM:SSZ","key_type"} or
 *        null}]}   (tokens without a signing certificate are listed with null)
 *
 *   POST /v1/sign   Content-Type: application/json, body at most 3 MiB
 *        {"token": LABEL (optional: the only card with a certificate),
 *         "content_b64": the exact bytes to sign, base64 (1 byte .. 2 MiB decoded)}
 *     -> 200 {"cms_b64": DER CMS (CAdES-BES, detached), "token": LABEL,
 *             "certificate": {"subject_cn","not_after","key_type"}}
 *
 *   Errors: {"error":{"code","message" (Turkish, says what to do)}} with, for PIN errors,
 *   "pin":{"count_low","final_try","locked"} (the flags read again after the failure) and
 *   "tries_left": 1 (final try), 0 (locked) or null (the card does not say):
 *     400 bad_request, pin_invalid          401 pin_incorrect
 *     403 host_forbidden, origin_forbidden  404 not_found, token_not_found, no_certificate,
 *     405 method_not_allowed                    no_private_key
 *     409 token_ambiguous, cancelled        413 payload_too_large
 *     415 unsupported_media_type            423 pin_locked
 *     500 module_error, sign_failed, out_of_memory   502 token_error   503 pin_unavailable
 *
 * One server thread handles the requests one after the other: there is one card and one
 * person, and a second request simply waits while the PIN dialogue is open. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#include "core/catalogue.h"
#include "crypto/hash.h"
#include "sign/agent.h"
#include "util/buf.h"
#include "util/log.h"

#define SIGN_AGENT_MAX_BODY     (3u * 1024 * 1024)
#define SIGN_AGENT_STOP_WAIT_MS 3000

struct sign_agent {
    struct sign_agent_config cfg;
    struct MHD_Daemon *daemon;
    unsigned port;
};

/* ---- JSON bodies ------------------------------------------------------------------------- */

static char *sign_dump(json_t *j)
{
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return s;
}

static void sign_reply_error(struct sign_agent_reply *out, int status, const char *code,
                             const char *message)
{
    out->status = status;
    out->body = sign_dump(json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message));
    if (!out->body)
        out->status = 500;
}

/* A refusal of the agent's own: code, and the catalogue's words "agent.NAME" (name, or the
 * code when NULL). */
static void sign_reply_refusal(struct sign_agent_reply *out, int status, const char *code,
                               const char *name)
{
    sign_reply_error(out, status, code, core_word("agent", name ? name : code, CORE_LANG_TR));
}

static void sign_reply_status(struct sign_agent_reply *out, const struct sign_status *st)
{
    json_t *err = json_pack("{s:s,s:s}", "code", sign_err_code(st->err), "message", st->message);
    if (err && st->has_pin) {
        json_object_set_new(err, "pin",
                            json_pack("{s:b,s:b,s:b}", "count_low", st->pin.count_low, "final_try",
                                      st->pin.final_try, "locked", st->pin.locked));
        json_object_set_new(err, "tries_left",
                            st->pin.locked      ? json_integer(0)
                            : st->pin.final_try ? json_integer(1)
                                                : json_null());
    }
    out->status = sign_err_http_status(st->err);
    out->body = sign_dump(err ? json_pack("{s:o}", "error", err) : NULL);
    if (!out->body)
        out->status = 500;
}

static json_t *sign_cert_json(const struct sign_token_info *t)
{
    if (!t->has_certificate)
        return json_null();
    return json_pack("{s:s,s:s,s:s}", "subject_cn", t->cert_subject_cn, "not_after",
                     t->cert_not_after, "key_type", t->cert_key_type);
}

/* ---- the endpoints ----------------------------------------------------------------------- */

static void sign_ep_tokens(struct sign_agent *a, struct sign_agent_reply *out)
{
    struct sign_token_info *v = NULL;
    size_t n = 0;
    struct sign_status st;
    json_t *list = NULL, *root = NULL;
    if (sign_module_tokens(a->cfg.module, &v, &n, &st) != SIGN_OK) {
        sign_reply_status(out, &st);
        goto out;
    }
    list = json_array();
    if (!list)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        const struct sign_token_info *t = &v[i];
        const char *warn = t->pin.locked ? sign_pin_locked_message() : sign_pin_warning(&t->pin);
        json_t *o =
            json_pack("{s:s,s:s,s:s,s:s,s:I,s:b,s:b,s:{s:b,s:b,s:b},s:o?,s:o}", "label", t->label,
                      "manufacturer", t->manufacturer, "model", t->model, "serial", t->serial,
                      "slot", (json_int_t)t->slot_id, "login_required", t->login_required,
                      "pin_pad", t->protected_path, "pin", "count_low", t->pin.count_low,
                      "final_try", t->pin.final_try, "locked", t->pin.locked, "warning",
                      warn ? json_string(warn) : json_null(), "certificate", sign_cert_json(t));
        if (!o || json_array_append_new(list, o) < 0)
            goto nomem;
    }
    root = json_pack("{s:s,s:s,s:o}", "agent", "eimza", "version", EIMZA_VERSION, "tokens", list);
    list = NULL;
    out->body = sign_dump(root);
    if (!out->body)
        goto nomem;
    out->status = 200;
    goto out;
nomem:
    sign_reply_error(out, 500, sign_err_code(SIGN_E_NOMEM), sign_err_message(SIGN_E_NOMEM));
out:
    json_decref(list);
    free(v);
}

static bool sign_is_json(const char *ct)
{
    static const char want[] = "application/json";
    if (!ct || strncasecmp(ct, want, sizeof want - 1) != 0)
        return false;
    char next = ct[sizeof want - 1];
    return next == '\0' || next == ';' || next == ' ';
}

static void sign_ep_sign(struct sign_agent *a, const struct sign_agent_request *rq,
                         struct sign_agent_reply *out)
{
    json_t *req = NULL;
    json_error_t jerr;
    const char *label = NULL, *b64 = NULL;
    unsigned char *content = NULL, *der = NULL;
    size_t content_len = 0, der_len = 0;
    char *cms_b64 = NULL, hex[CRYPTO_SHA256_HEX + 1], size[24];
    struct ubuf purpose = UBUF_INIT(1024);
    struct sign_token_info used;
    struct sign_status st;

    if (rq->body_too_large) {
        sign_reply_refusal(out, 413, "payload_too_large", NULL);
        goto out;
    }
    if (!sign_is_json(rq->content_type)) {
        sign_reply_refusal(out, 415, "unsupported_media_type", NULL);
        goto out;
    }
    req = json_loadb((const char *)rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!req || json_unpack_ex(req, &jerr, JSON_STRICT, "{s?s,s:s}", "token", &label, "content_b64",
                               &b64) != 0) {
        sign_reply_refusal(out, 400, "bad_request", NULL);
        goto out;
    }
    if (label && strlen(label) > 32) {
        sign_reply_refusal(out, 400, "bad_request", "label_too_long");
        goto out;
    }
    if (sign_b64_decode(b64, SIGN_AGENT_MAX_CONTENT, &content, &content_len) < 0 ||
        content_len == 0) {
        sign_reply_refusal(out, 400, "bad_request", "content_invalid");
        goto out;
    }
    if (crypto_sha256_hex(content, content_len, hex) < 0)
        snprintf(hex, sizeof hex, "?");
    hex[16] = '\0'; /* the fingerprint's start is enough to tell requests apart */
    snprintf(size, sizeof size, "%zu", content_len);
    /* Shown in the PIN dialogue: who asks, and a fingerprint of what, so that the person
     * can tell one signature request from another. */
    const char *const values[] = {rq->origin, size, hex};
    const char *says = core_text("agent.purpose", CORE_LANG_TR);
    if (core_text_put(&purpose, says ? says : "{0} {1} {2}", values, 3) < 0) {
        sign_reply_error(out, 500, sign_err_code(SIGN_E_NOMEM), sign_err_message(SIGN_E_NOMEM));
        goto out;
    }
    struct sign_request sr = {.token_label = label,
                              .content = content,
                              .content_len = content_len,
                              .ask_pin = a->cfg.ask_pin,
                              .ask_arg = a->cfg.ask_arg,
                              .purpose = ubuf_str(&purpose)};
    if (sign_module_sign(a->cfg.module, &sr, &der, &der_len, &used, &st) != SIGN_OK) {
        ulog(ULOG_WARN, "agent_sign_failed", "code=%s detail=\"%s\"", sign_err_code(st.err),
             st.detail);
        sign_reply_status(out, &st);
        goto out;
    }
    cms_b64 = sign_b64_encode(der, der_len);
    out->body = cms_b64 ? sign_dump(json_pack("{s:s,s:s,s:o}", "cms_b64", cms_b64, "token",
                                              used.label, "certificate", sign_cert_json(&used)))
                        : NULL;
    if (!out->body) {
        sign_reply_error(out, 500, sign_err_code(SIGN_E_NOMEM), sign_err_message(SIGN_E_NOMEM));
        goto out;
    }
    out->status = 200;
    ulog(ULOG_INFO, "agent_signed", "bytes=%zu token_model=\"%s\"", content_len, used.model);
out:
    json_decref(req);
    free(content);
    free(der);
    free(cms_b64);
    ubuf_free(&purpose);
}

void sign_agent_handle(struct sign_agent *a, const struct sign_agent_request *rq,
                       struct sign_agent_reply *out)
{
    bool tokens = !strcmp(rq->path, "/v1/tokens"), sign = !strcmp(rq->path, "/v1/sign"),
         version = !strcmp(rq->path, "/v1/version");
    memset(out, 0, sizeof *out);
    if (!sign_host_allowed(rq->host, a->port)) {
        sign_reply_refusal(out, 403, "host_forbidden", NULL);
        return;
    }
    if (!sign_origin_allowed(rq->origin, a->cfg.origins, a->cfg.norigins)) {
        sign_reply_refusal(out, 403, "origin_forbidden", NULL);
        return;
    }
    out->cors = true;
    if (!strcmp(rq->method, "OPTIONS")) {
        if (!tokens && !sign && !version) {
            sign_reply_refusal(out, 404, "not_found", NULL);
            return;
        }
        out->status = 204;
        out->preflight = true;
        out->private_net = rq->pna_request && !strcasecmp(rq->pna_request, "true");
        return;
    }
    if (version && !strcmp(rq->method, "GET")) {
        out->body = sign_dump(json_pack("{s:s,s:s,s:i,s:b}", "agent", "eimza", "version",
                                        EIMZA_VERSION, "api", 1, "relay", 1));
        out->status = out->body ? 200 : 500;
    } else if (tokens && !strcmp(rq->method, "GET")) {
        sign_ep_tokens(a, out);
    } else if (sign && !strcmp(rq->method, "POST")) {
        sign_ep_sign(a, rq, out);
    } else if (tokens || sign || version) {
        out->allow = sign ? "POST, OPTIONS" : "GET, OPTIONS";
        sign_reply_refusal(out, 405, "method_not_allowed", NULL);
    } else {
        sign_reply_refusal(out, 404, "not_found", NULL);
    }
}

/* ---- libmicrohttpd glue ------------------------------------------------------------------ */

struct sign_conn {
    struct ubuf body;
    bool too_large;
};

static const char *sign_hdr(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static enum MHD_Result sign_agent_access(void *cls, struct MHD_Connection *c, const char *url,
                                         const char *method, const char *version,
                                         const char *upload_data, size_t *upload_data_size,
                                         void **con_cls)
{
    struct sign_agent *a = cls;
    struct sign_conn *sc = *con_cls;
    struct sign_agent_reply rep;
    struct MHD_Response *resp;
    enum MHD_Result ret;
    (void)version;

    if (!sc) {
        sc = calloc(1, sizeof *sc);
        if (!sc)
            return MHD_NO;
        ubuf_init(&sc->body, SIGN_AGENT_MAX_BODY);
        *con_cls = sc;
        return MHD_YES;
    }
    if (*upload_data_size) {
        /* Past the cap the rest is read and dropped, so the 413 can still be sent. */
        if (!sc->too_large && ubuf_put(&sc->body, upload_data, *upload_data_size) < 0) {
            sc->too_large = true;
            ubuf_free(&sc->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    struct sign_agent_request rq = {
        .method = method,
        .path = url,
        .origin = sign_hdr(c, "Origin"),
        .host = sign_hdr(c, "Host"),
        .content_type = sign_hdr(c, "Content-Type"),
        .pna_request = sign_hdr(c, "Access-Control-Request-Private-Network"),
        .body = (const unsigned char *)ubuf_str(&sc->body),
        .body_len = sc->body.len,
        .body_too_large = sc->too_large,
    };
    sign_agent_handle(a, &rq, &rep);
    if (rep.body) {
        resp = MHD_create_response_from_buffer(strlen(rep.body), rep.body, MHD_RESPMEM_MUST_FREE);
        if (!resp) {
            free(rep.body);
            return MHD_NO;
        }
        MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
    } else {
        resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        if (!resp)
            return MHD_NO;
    }
    MHD_add_response_header(resp, "Vary", "Origin");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (rep.cors)
        MHD_add_response_header(resp, "Access-Control-Allow-Origin", rq.origin);
    if (rep.preflight) {
        MHD_add_response_header(resp, "Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        MHD_add_response_header(resp, "Access-Control-Allow-Headers", "Content-Type");
        MHD_add_response_header(resp, "Access-Control-Max-Age", "600");
    }
    if (rep.private_net)
        MHD_add_response_header(resp, "Access-Control-Allow-Private-Network", "true");
    if (rep.allow)
        MHD_add_response_header(resp, "Allow", rep.allow);
    ret = MHD_queue_response(c, (unsigned)rep.status, resp);
    MHD_destroy_response(resp);
    /* Only known paths are logged by name: a request line is the client's text. */
    ulog(ULOG_INFO, "agent_request", "method=%s path=%s status=%d",
         (!strcmp(method, "GET") || !strcmp(method, "POST") || !strcmp(method, "OPTIONS"))
             ? method
             : "other",
         (!strcmp(url, "/v1/tokens") || !strcmp(url, "/v1/sign") || !strcmp(url, "/v1/version"))
             ? url
             : "other",
         rep.status);
    return ret;
}

static void sign_agent_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                                 enum MHD_RequestTerminationCode toe)
{
    struct sign_conn *sc = *con_cls;
    (void)cls;
    (void)c;
    (void)toe;
    if (sc) {
        ubuf_free(&sc->body);
        free(sc);
    }
    *con_cls = NULL;
}

int sign_agent_new(const struct sign_agent_config *cfg, struct sign_agent **out, char *err,
                   size_t errlen)
{
    struct sign_agent *a = calloc(1, sizeof *a);
    *out = NULL;
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    a->cfg = *cfg;
    a->port = cfg->listen.port;
    *out = a;
    return 0;
}

int sign_agent_start(const struct sign_agent_config *cfg, struct sign_agent **out, char *err,
                     size_t errlen)
{
    struct sign_agent *a = NULL;
    struct sockaddr_in sin;
    struct sockaddr_in6 sin6;
    const struct sockaddr *sa;
    /* MHD_USE_ITC: quiescing (sign_agent_stop) wakes the server thread through it */
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;

    *out = NULL;
    if (sign_agent_new(cfg, &a, err, errlen) < 0)
        return -1;
    memset(&sin, 0, sizeof sin);
    memset(&sin6, 0, sizeof sin6);
    if (cfg->listen.ipv6) {
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons((uint16_t)cfg->listen.port);
        sin6.sin6_addr = in6addr_loopback;
        sa = (const struct sockaddr *)&sin6;
        flags |= MHD_USE_IPv6;
    } else {
        sin.sin_family = AF_INET;
        sin.sin_port = htons((uint16_t)cfg->listen.port);
        if (inet_pton(AF_INET, cfg->listen.host, &sin.sin_addr) != 1) {
            snprintf(err, errlen, "bad listen address %s", cfg->listen.host);
            free(a);
            return -1;
        }
        sa = (const struct sockaddr *)&sin;
    }
    a->daemon = MHD_start_daemon(
        flags, (uint16_t)cfg->listen.port, NULL, NULL, sign_agent_access, a, MHD_OPTION_SOCK_ADDR,
        sa, MHD_OPTION_NOTIFY_COMPLETED, sign_agent_completed, a, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)32, MHD_OPTION_END);
    if (!a->daemon) {
        snprintf(err, errlen, "cannot listen on %s%s%s:%u (in use?)", cfg->listen.ipv6 ? "[" : "",
                 cfg->listen.host, cfg->listen.ipv6 ? "]" : "", cfg->listen.port);
        free(a);
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(a->daemon, MHD_DAEMON_INFO_BIND_PORT);
    if (info && info->port)
        a->port = info->port;
    *out = a;
    return 0;
}

unsigned sign_agent_port(const struct sign_agent *a)
{
    return a->port;
}

void sign_agent_stop(struct sign_agent *a)
{
    if (!a)
        return;
    if (a->daemon) {
        /* Stop accepting, then give the request in progress a moment to send its answer
         * (an idle keep-alive connection is not worth waiting for beyond that). */
        MHD_socket lsock = MHD_quiesce_daemon(a->daemon);
        for (int i = 0; i < SIGN_AGENT_STOP_WAIT_MS / 20; i++) {
            const union MHD_DaemonInfo *info =
                MHD_get_daemon_info(a->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
            if (!info || info->num_connections == 0)
                break;
            struct timespec ts = {0, 20 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        MHD_stop_daemon(a->daemon);
        if (lsock != MHD_INVALID_SOCKET)
            close(lsock); /* ours after quiescing, closed only once the threads are gone */
    }
    free(a);
}
