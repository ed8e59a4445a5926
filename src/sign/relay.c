/* eimza — the relay path's flow (sign/relay.h): the allow-list, the portal over HTTPS with
 * its certificate verified (libcurl), the ticket claimed, the content shown, the card's
 * signature posted, and every failure after the claim reported back so the page can say it.
 *
 * libcurl is held to HTTPS only, with peer and host verification on, TLS 1.2 or later, no
 * redirects (a 3xx is an unexpected answer, not a place to go), no cookies, and answers capped
 * in size. The ticket and the claim are secrets for their short lives: they are sent in
 * request bodies (never in a URL, so no access log holds them), never logged, and wiped
 * before returning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>

#include "core/catalogue.h"
#include "crypto/hash.h"
#include "sign/relay.h"
#include "sign/sign_int.h"
#include "util/log.h"

#define SIGN_RELAY_ANSWER_MAX  (4u * 1024 * 1024) /* the claim carries up to 2 MiB of content */
#define SIGN_RELAY_DISPLAY_MAX (64u * 1024)       /* the content shown is much shorter */
#define SIGN_RELAY_CONNECT_S   10L

struct sign_http {
    CURL *c;
    struct curl_slist *hdrs;
    const char *portal;
    char errbuf[CURL_ERROR_SIZE];
};

/* What became of one request. */
enum sign_http_res {
    SIGN_HTTP_DONE,        /* an HTTP answer came back (any status) */
    SIGN_HTTP_TLS,         /* the TLS handshake or the certificate check failed */
    SIGN_HTTP_UNREACHABLE, /* no connection was made: the request was never sent */
    SIGN_HTTP_LOST,        /* the connection broke after the request may have been sent */
    SIGN_HTTP_FAILED,      /* anything else (too large an answer, out of memory) */
};

/* ---- results ------------------------------------------------------------------------------ */

static void sign_res_set(struct sign_relay_result *res, enum sign_relay_err e, const char *code,
                         const char *server_message, const char *min_version)
{
    res->err = e;
    snprintf(res->code, sizeof res->code, "%s", code);
    sign_relay_message(code, res->portal, server_message, min_version, res->message,
                       sizeof res->message);
}

/* The message of a card-side failure: the card's own words (they may name the tries left) in
 * Turkish, then in English. */
static void sign_res_card(struct sign_relay_result *res, const struct sign_status *st)
{
    res->err = SIGN_RELAY_E_CARD;
    snprintf(res->code, sizeof res->code, "%s", sign_err_code(st->err));
    snprintf(res->message, sizeof res->message, "%s\n\n%s", st->message, st->message_en);
    snprintf(res->detail, sizeof res->detail, "%s", st->detail);
}

/* ---- HTTPS -------------------------------------------------------------------------------- */

static size_t sign_http_write(char *p, size_t size, size_t n, void *arg)
{
    struct ubuf *b = arg;
    if (n && size > SIZE_MAX / n)
        return 0;
    return ubuf_put(b, p, size * n) < 0 ? 0 : size * n; /* 0 stops the transfer */
}

static int sign_http_init(struct sign_http *h, const struct sign_relay_config *cfg,
                          const char *portal)
{
    long timeout = cfg->timeout_s > 0 ? cfg->timeout_s : 60;
    struct curl_slist *l;
    memset(h, 0, sizeof *h);
    h->portal = portal;
    h->c = curl_easy_init();
    if (!h->c)
        return -1;
    l = curl_slist_append(NULL, "Content-Type: application/json");
    h->hdrs = l;
    if (l)
        l = curl_slist_append(h->hdrs, "Accept: application/json");
    if (l)
        l = curl_slist_append(h->hdrs, "X-Eimza-Agent: " EIMZA_VERSION);
    if (l)
        l = curl_slist_append(h->hdrs, "X-Eimza-Relay: " SIGN_RELAY_PROTOCOL);
    /* no Expect: 100-continue round trip for the few kilobytes of a signature */
    if (l)
        l = curl_slist_append(h->hdrs, "Expect:");
    if (!l)
        return -1;
    if (curl_easy_setopt(h->c, CURLOPT_PROTOCOLS_STR, "https") != CURLE_OK ||
        curl_easy_setopt(h->c, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
        curl_easy_setopt(h->c, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK ||
        curl_easy_setopt(h->c, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK ||
        curl_easy_setopt(h->c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2) != CURLE_OK ||
        curl_easy_setopt(h->c, CURLOPT_CONNECTTIMEOUT, SIGN_RELAY_CONNECT_S) != CURLE_OK ||
        curl_easy_setopt(h->c, CURLOPT_TIMEOUT, timeout) != CURLE_OK ||
        curl_easy_setopt(h->c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
        curl_easy_setopt(h->c, CURLOPT_HTTPHEADER, h->hdrs) != CURLE_OK ||
        curl_easy_setopt(h->c, CURLOPT_USERAGENT,
                         "eimza-agent/" EIMZA_VERSION " (" SIGN_RELAY_PROTOCOL ")") != CURLE_OK ||
        curl_easy_setopt(h->c, CURLOPT_ERRORBUFFER, h->errbuf) != CURLE_OK ||
        curl_easy_setopt(h->c, CURLOPT_WRITEFUNCTION, sign_http_write) != CURLE_OK)
        return -1;
    if (cfg->ca_file && *cfg->ca_file) {
        /* a private or demo CA: these certificates only, not the system's store besides */
        if (curl_easy_setopt(h->c, CURLOPT_CAINFO, cfg->ca_file) != CURLE_OK ||
            curl_easy_setopt(h->c, CURLOPT_CAPATH, NULL) != CURLE_OK)
            return -1;
    }
    return 0;
}

static void sign_http_free(struct sign_http *h)
{
    if (h->c)
        curl_easy_cleanup(h->c);
    curl_slist_free_all(h->hdrs);
    memset(h, 0, sizeof *h);
}

/* POSTs body (JSON) to portal + path. On SIGN_HTTP_DONE, *status and answer (its body, capped)
 * are set and *json says whether it was declared JSON. detail gets an English reason
 * otherwise. */
static enum sign_http_res sign_http_post(struct sign_http *h, const char *path, const char *body,
                                         long *status, struct ubuf *answer, bool *json,
                                         char *detail, size_t dcap)
{
    char url[SIGN_ORIGIN_MAX + 64];
    char *ctype = NULL;
    CURLcode rc;
    *status = 0;
    *json = false;
    ubuf_reset(answer);
    h->errbuf[0] = '\0';
    snprintf(url, sizeof url, "%s%s", h->portal, path);
    if (curl_easy_setopt(h->c, CURLOPT_URL, url) != CURLE_OK ||
        curl_easy_setopt(h->c, CURLOPT_POSTFIELDS, body) != CURLE_OK ||
        curl_easy_setopt(h->c, CURLOPT_POSTFIELDSIZE, (long)strlen(body)) != CURLE_OK ||
        curl_easy_setopt(h->c, CURLOPT_WRITEDATA, answer) != CURLE_OK) {
        snprintf(detail, dcap, "cannot set up the request");
        return SIGN_HTTP_FAILED;
    }
    rc = curl_easy_perform(h->c);
    if (rc != CURLE_OK) {
        snprintf(detail, dcap, "POST %s: %s", path,
                 h->errbuf[0] ? h->errbuf : curl_easy_strerror(rc));
        switch (rc) {
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_INVALIDCERTSTATUS:
            return SIGN_HTTP_TLS;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT:
            return SIGN_HTTP_UNREACHABLE;
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
            return SIGN_HTTP_LOST;
        default:
            return SIGN_HTTP_FAILED;
        }
    }
    curl_easy_getinfo(h->c, CURLINFO_RESPONSE_CODE, status);
    if (curl_easy_getinfo(h->c, CURLINFO_CONTENT_TYPE, &ctype) == CURLE_OK && ctype)
        *json = !strncasecmp(ctype, "application/json", 16);
    return SIGN_HTTP_DONE;
}

/* Maps an answer that is not the success wanted to the result: the portal's error code (a
 * refusal), or an unexpected answer. */
static void sign_answer_error(struct sign_relay_result *res, long status, const struct ubuf *a,
                              bool json)
{
    json_t *root = NULL;
    const char *code = NULL, *message = NULL, *min_version = NULL;
    char safe_code[65];
    if (json && status >= 400 && status <= 599)
        root = json_loadb(ubuf_str(a), a->len, 0, NULL);
    if (root &&
        json_unpack(root, "{s:{s:s,s?s,s?s}}", "error", "code", &code, "message", &message,
                    "min_version", &min_version) == 0 &&
        strlen(code) > 0 && strlen(code) < 64) {
        /* a code is snake_case; anything else is not shown to the person as a code */
        bool ok = true;
        for (const char *p = code; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
                ok = false;
        if (ok) {
            snprintf(safe_code, sizeof safe_code, "%s", code);
            if (min_version && sign_version_cmp(min_version, "0") == -2)
                min_version = NULL;
            sign_res_set(res, SIGN_RELAY_E_REFUSED, safe_code, message, min_version);
            snprintf(res->detail, sizeof res->detail, "HTTP %ld %s", status, safe_code);
            json_decref(root);
            return;
        }
    }
    json_decref(root);
    sign_res_set(res, SIGN_RELAY_E_BAD_ANSWER, "portal_bad_answer", NULL, NULL);
    snprintf(res->detail, sizeof res->detail, "HTTP %ld, %s, %zu bytes", status,
             json ? "JSON" : "not JSON", a->len);
}

/* Maps a request that got no answer. */
static void sign_transport_error(struct sign_relay_result *res, enum sign_http_res r,
                                 bool after_signing, const char *detail)
{
    if (r == SIGN_HTTP_TLS)
        sign_res_set(res, SIGN_RELAY_E_TLS, "tls_failed", NULL, NULL);
    else if (r == SIGN_HTTP_UNREACHABLE)
        sign_res_set(res, SIGN_RELAY_E_UNREACHABLE, "portal_unreachable", NULL, NULL);
    else if (after_signing)
        sign_res_set(res, SIGN_RELAY_E_BAD_ANSWER, "submit_unconfirmed", NULL, NULL);
    else if (r == SIGN_HTTP_LOST)
        sign_res_set(res, SIGN_RELAY_E_UNREACHABLE, "portal_unreachable", NULL, NULL);
    else
        sign_res_set(res, SIGN_RELAY_E_BAD_ANSWER, "portal_bad_answer", NULL, NULL);
    snprintf(res->detail, sizeof res->detail, "%s", detail);
}

/* ---- the three requests ------------------------------------------------------------------- */

/* A request body from j (taken: freed here): compact JSON, or NULL when memory runs out. The
 * strings in j (the ticket, the claim) are wiped before j is freed. */
static char *sign_body(json_t *j)
{
    const char *key;
    json_t *v;
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_object_foreach(j, key, v)
    {
        if (json_is_string(v))
            OPENSSL_cleanse((void *)json_string_value(v), json_string_length(v));
    }
    json_decref(j);
    return s;
}

struct sign_claim {
    char claim[SIGN_RELAY_TOKEN_MAX + 1];
    char number[33];
    unsigned char *content; /* malloc'ed */
    size_t content_len;
};

static bool sign_number_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 32)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return false;
    return true;
}

/* POST /api/v1/relay/claim {"ticket"} -> {"claim","application_number","content_b64",
 * "content_sha256"[,"content_type","claim_expires_at"]}. Returns 0, or -1 with res set. */
static int sign_relay_claim(struct sign_http *h, const char *ticket, struct sign_claim *cl,
                            struct sign_relay_result *res)
{
    struct ubuf a = UBUF_INIT(SIGN_RELAY_ANSWER_MAX);
    char *body = NULL, detail[400], hex[CRYPTO_SHA256_HEX + 1];
    json_t *root = NULL;
    const char *claim = NULL, *number = NULL, *b64 = NULL, *sha = NULL, *ctype = NULL;
    long status;
    bool json;
    int rc = -1;

    body = sign_body(json_pack("{s:s}", "ticket", ticket));
    if (!body) {
        sign_res_set(res, SIGN_RELAY_E_BAD_ANSWER, "portal_bad_answer", NULL, NULL);
        snprintf(res->detail, sizeof res->detail, "out of memory");
        goto out;
    }
    enum sign_http_res r =
        sign_http_post(h, "/api/v1/relay/claim", body, &status, &a, &json, detail, sizeof detail);
    if (r != SIGN_HTTP_DONE) {
        sign_transport_error(res, r, false, detail);
        goto out;
    }
    res->contacted = true;
    if (status != 200 || !json) {
        sign_answer_error(res, status, &a, json);
        goto out;
    }
    root = json_loadb(ubuf_str(&a), a.len, JSON_REJECT_DUPLICATES, NULL);
    if (!root ||
        json_unpack(root, "{s:s,s:s,s:s,s:s,s?s}", "claim", &claim, "application_number", &number,
                    "content_b64", &b64, "content_sha256", &sha, "content_type", &ctype) != 0 ||
        !sign_relay_token_ok(claim) || !sign_number_ok(number) ||
        sign_b64_decode(b64, SIGN_AGENT_MAX_CONTENT, &cl->content, &cl->content_len) < 0 ||
        cl->content_len == 0 || crypto_sha256_hex(cl->content, cl->content_len, hex) < 0 ||
        strcasecmp(hex, sha) != 0) {
        sign_res_set(res, SIGN_RELAY_E_BAD_ANSWER, "portal_bad_answer", NULL, NULL);
        snprintf(res->detail, sizeof res->detail, "the claim's answer is not as the contract says");
        goto out;
    }
    snprintf(cl->claim, sizeof cl->claim, "%s", claim);
    snprintf(cl->number, sizeof cl->number, "%s", number);
    snprintf(res->number, sizeof res->number, "%s", number);
    if (ctype && strncasecmp(ctype, "text/plain", 10) != 0) {
        sign_res_set(res, SIGN_RELAY_E_CONTENT, "content_not_text", NULL, NULL);
        snprintf(res->detail, sizeof res->detail, "content_type is not text/plain");
        rc = 1; /* claimed: the caller reports it */
        goto out;
    }
    rc = 0;
out:
    if (root) {
        /* the claim is a secret: wipe the parsed copy before it is freed */
        json_t *c = json_object_get(root, "claim");
        if (json_is_string(c))
            OPENSSL_cleanse((void *)json_string_value(c), json_string_length(c));
    }
    json_decref(root);
    if (body)
        OPENSSL_cleanse(body, strlen(body));
    free(body);
    if (a.p)
        OPENSSL_cleanse(a.p, a.len);
    ubuf_free(&a);
    return rc;
}

/* POST /api/v1/relay/cancel {"ticket","claim","code"}: tells the portal why nothing comes.
 * Best effort; the outcome is only recorded in res->reported. */
static void sign_relay_cancel(struct sign_http *h, const char *ticket, const char *claim,
                              const char *code, struct sign_relay_result *res)
{
    struct ubuf a = UBUF_INIT(64 * 1024);
    char detail[400];
    long status;
    bool json;
    char *body =
        sign_body(json_pack("{s:s,s:s,s:s}", "ticket", ticket, "claim", claim, "code", code));
    if (!body)
        return;
    enum sign_http_res r =
        sign_http_post(h, "/api/v1/relay/cancel", body, &status, &a, &json, detail, sizeof detail);
    res->reported = r == SIGN_HTTP_DONE && status == 200;
    if (!res->reported)
        ulog(ULOG_WARN, "relay_cancel_not_reported", "status=%ld detail=\"%s\"", status,
             r == SIGN_HTTP_DONE ? "" : detail);
    OPENSSL_cleanse(body, strlen(body));
    free(body);
    ubuf_free(&a);
}

/* POST /api/v1/relay/signature {"ticket","claim","cms_b64"} -> {"state","number"}. */
static void sign_relay_submit(struct sign_http *h, const char *ticket, const char *claim,
                              const unsigned char *der, size_t der_len,
                              struct sign_relay_result *res)
{
    struct ubuf a = UBUF_INIT(64 * 1024);
    char detail[400], *b64 = sign_b64_encode(der, der_len), *body = NULL;
    json_t *root = NULL;
    const char *state = NULL, *number = NULL;
    long status;
    bool json;
    if (b64)
        body =
            sign_body(json_pack("{s:s,s:s,s:s}", "ticket", ticket, "claim", claim, "cms_b64", b64));
    if (!body) {
        sign_res_set(res, SIGN_RELAY_E_BAD_ANSWER, "portal_bad_answer", NULL, NULL);
        snprintf(res->detail, sizeof res->detail, "out of memory");
        goto out;
    }
    enum sign_http_res r = sign_http_post(h, "/api/v1/relay/signature", body, &status, &a, &json,
                                          detail, sizeof detail);
    if (r != SIGN_HTTP_DONE) {
        sign_transport_error(res, r, true, detail);
        goto out;
    }
    if (status != 200 || !json) {
        sign_answer_error(res, status, &a, json);
        goto out;
    }
    root = json_loadb(ubuf_str(&a), a.len, 0, NULL);
    if (!root || json_unpack(root, "{s:s,s?s}", "state", &state, "number", &number) != 0 ||
        strcmp(state, "submitted") != 0) {
        sign_res_set(res, SIGN_RELAY_E_BAD_ANSWER, "submit_unconfirmed", NULL, NULL);
        snprintf(res->detail, sizeof res->detail,
                 "the signature's answer is not as the contract "
                 "says");
        goto out;
    }
    if (number && sign_number_ok(number))
        snprintf(res->number, sizeof res->number, "%s", number);
    sign_res_set(res, SIGN_RELAY_OK, "ok", NULL, NULL);
out:
    json_decref(root);
    if (body)
        OPENSSL_cleanse(body, strlen(body));
    free(body);
    free(b64);
    ubuf_free(&a);
}

/* ---- the flow ----------------------------------------------------------------------------- */

enum sign_relay_err sign_relay_run(const struct sign_relay_config *cfg,
                                   struct sign_relay_result *res)
{
    struct sign_relay_url u;
    struct sign_http h = {0};
    struct sign_claim cl = {0};
    struct ubuf text = UBUF_INIT(SIGN_RELAY_DISPLAY_MAX);
    struct ubuf purpose = UBUF_INIT(SIGN_RELAY_DISPLAY_MAX + 1024);
    struct sign_module *m = NULL;
    struct sign_status st;
    struct sign_token_info used;
    unsigned char *der = NULL;
    size_t der_len = 0;
    bool curl_global = false;

    memset(res, 0, sizeof *res);
    if (sign_relay_url_parse(cfg->url, &u) < 0) {
        sign_res_set(res, SIGN_RELAY_E_URL, "url_invalid", NULL, NULL);
        snprintf(res->detail, sizeof res->detail, "not an eimza://sign?ticket=…&portal=… URL");
        goto out;
    }
    snprintf(res->portal, sizeof res->portal, "%s", u.portal);
    if (strncmp(u.portal, "https://", 8) != 0) {
        sign_res_set(res, SIGN_RELAY_E_NOT_ALLOWED, "portal_not_https", NULL, NULL);
        goto out;
    }
    if (!sign_origin_allowed(u.portal, cfg->origins, cfg->norigins)) {
        sign_res_set(res, SIGN_RELAY_E_NOT_ALLOWED, "portal_not_allowed", NULL, NULL);
        snprintf(res->detail, sizeof res->detail, "%s is not among the %zu configured origins",
                 u.portal, cfg->norigins);
        goto out;
    }
    curl_global = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    if (!curl_global || sign_http_init(&h, cfg, u.portal) < 0) {
        sign_res_set(res, SIGN_RELAY_E_BAD_ANSWER, "portal_bad_answer", NULL, NULL);
        snprintf(res->detail, sizeof res->detail, "cannot set up libcurl");
        goto out;
    }

    int claimed = sign_relay_claim(&h, u.ticket, &cl, res);
    if (claimed < 0)
        goto out;
    ulog(ULOG_INFO, "relay_claimed", "portal=%s number=%s bytes=%zu", u.portal, cl.number,
         cl.content_len);
    if (claimed > 0 || sign_relay_display_text(cl.content, cl.content_len, &text) < 0) {
        if (claimed == 0) {
            sign_res_set(res, SIGN_RELAY_E_CONTENT, "content_not_text", NULL, NULL);
            snprintf(res->detail, sizeof res->detail,
                     "the content is not UTF-8 text of at most %u bytes", SIGN_RELAY_DISPLAY_MAX);
        }
        sign_relay_cancel(&h, u.ticket, cl.claim, res->code, res);
        goto out;
    }
    const char *const values[] = {u.portal, cl.number, ubuf_str(&text)};
    const char *says = core_text("agent.relay_purpose", CORE_LANG_TR);
    if (core_text_put(&purpose, says ? says : "{0} {1}\n{2}", values, 3) < 0) {
        sign_status_set(&st, SIGN_E_NOMEM, NULL);
        sign_res_card(res, &st);
        sign_relay_cancel(&h, u.ticket, cl.claim, res->code, res);
        goto out;
    }

    if (!cfg->module || !*cfg->module) {
        sign_res_set(res, SIGN_RELAY_E_CONFIG, "module_not_configured", NULL, NULL);
        sign_relay_cancel(&h, u.ticket, cl.claim, res->code, res);
        goto out;
    }
    if (sign_module_open(cfg->module, &m, &st) != SIGN_OK) {
        sign_res_card(res, &st);
        sign_relay_cancel(&h, u.ticket, cl.claim, res->code, res);
        goto out;
    }
    struct sign_request sr = {
        .token_label = cfg->token_label,
        .content = cl.content,
        .content_len = cl.content_len,
        .ask_pin = cfg->ui.ask_pin,
        .ask_arg = cfg->ui.pin_arg,
        .purpose = ubuf_str(&purpose),
        .confirm = cfg->ui.confirm,
        .confirm_arg = cfg->ui.confirm_arg,
    };
    if (sign_module_sign(m, &sr, &der, &der_len, &used, &st) != SIGN_OK) {
        ulog(ULOG_WARN, "relay_sign_failed", "code=%s detail=\"%s\"", sign_err_code(st.err),
             st.detail);
        sign_res_card(res, &st);
        sign_relay_cancel(&h, u.ticket, cl.claim, res->code, res);
        goto out;
    }
    sign_relay_submit(&h, u.ticket, cl.claim, der, der_len, res);
    ulog(res->err == SIGN_RELAY_OK ? ULOG_INFO : ULOG_WARN, "relay_submitted",
         "portal=%s number=%s code=%s", u.portal, cl.number, res->code);
out:
    sign_module_close(m);
    sign_http_free(&h);
    if (curl_global)
        curl_global_cleanup();
    free(der);
    if (cl.content)
        OPENSSL_cleanse(cl.content, cl.content_len);
    free(cl.content);
    OPENSSL_cleanse(&cl, sizeof cl);
    OPENSSL_cleanse(&u, sizeof u);
    ubuf_free(&text);
    ubuf_free(&purpose);
    return res->err;
}
