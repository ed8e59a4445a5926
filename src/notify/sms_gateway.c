/* eimza — the SMS gateway client (notify.h): one HTTP POST per message over libcurl.
 *
 * The operator's API is described by configuration, not code: a URL, either basic-auth
 * credentials or a bearer token, a body template with {to} and {text}, and its content type,
 * which also says how the two are encoded into the body (JSON escapes, form encoding, XML
 * entities or nothing). One curl handle is kept per client, but every message goes over a
 * new connection: on a reused connection that the gateway closes after reading a request,
 * libcurl silently sends the request again, and a gateway that had taken the first one would
 * send the SMS twice. A failure must come back to the drain, which decides about trying
 * again. Redirects are not followed (a gateway that moved is a configuration to fix, and
 * credentials must not travel to another host), and only http and https are spoken.
 *
 * The body holds the SMS code, so it is wiped after each request; the password and token are
 * wiped when the client is freed. Reasons given back are fixed words ("http_503",
 * "timeout"), never the gateway's answer, which could echo the number or the text.
 */
#include "notify/notify.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SMS_BODY_MAX (64 * 1024) /* a rendered body; an SMS text is a few hundred bytes */

struct notify_sms {
    CURL *curl;
    struct curl_slist *headers;
    char *url, *user, *password, *token, *body, *content_type;
    char *auth_header; /* "Authorization: Bearer ..." (a secret) */
    enum notify_enc enc;
    bool curl_global; /* curl_global_init succeeded: undo it once */
};

/* ---- rendering ---------------------------------------------------------------------------- */

/* True when the media type of ct (before any ';', blanks trimmed) is name, or, with suffix,
 * ends with name. Compared without regard to case. */
static bool media_is(const char *ct, const char *name, bool suffix)
{
    while (*ct == ' ' || *ct == '\t')
        ct++;
    size_t n = strcspn(ct, ";");
    while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
        n--;
    size_t m = strlen(name);
    if (suffix)
        return n > m && !strncasecmp(ct + n - m, name, m);
    return n == m && !strncasecmp(ct, name, m);
}

enum notify_enc notify_enc_for(const char *content_type)
{
    if (!content_type)
        return NOTIFY_ENC_RAW;
    if (media_is(content_type, "application/json", false) || media_is(content_type, "+json", true))
        return NOTIFY_ENC_JSON;
    if (media_is(content_type, "application/x-www-form-urlencoded", false))
        return NOTIFY_ENC_FORM;
    if (media_is(content_type, "application/xml", false) ||
        media_is(content_type, "text/xml", false) || media_is(content_type, "+xml", true))
        return NOTIFY_ENC_XML;
    return NOTIFY_ENC_RAW;
}

int notify_sms_e164(const char *recipient, char out[NOTIFY_E164_MAX])
{
    out[0] = '\0';
    if (!recipient || strlen(recipient) != 10 || recipient[0] != '5')
        return -1;
    for (int i = 0; i < 10; i++)
        if (recipient[i] < '0' || recipient[i] > '9')
            return -1;
    snprintf(out, NOTIFY_E164_MAX, "+90%s", recipient);
    return 0;
}

/* Appends s encoded as enc. */
static int put_encoded(struct ubuf *out, enum notify_enc enc, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    if (enc == NOTIFY_ENC_RAW)
        return ubuf_puts(out, s);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        int rc = 0;
        switch (enc) {
        case NOTIFY_ENC_JSON:
            if (c == '"' || c == '\\') {
                char esc[2] = {'\\', (char)c};
                rc = ubuf_put(out, esc, 2);
            } else if (c == '\n') {
                rc = ubuf_puts(out, "\\n");
            } else if (c == '\r') {
                rc = ubuf_puts(out, "\\r");
            } else if (c == '\t') {
                rc = ubuf_puts(out, "\\t");
            } else if (c < 0x20) {
                rc = ubuf_printf(out, "\\u%04x", c);
            } else {
                rc = ubuf_putc(out, (char)c); /* UTF-8 goes through: JSON is UTF-8 */
            }
            break;
        case NOTIFY_ENC_FORM:
            if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
                rc = ubuf_putc(out, (char)c);
            } else if (c == ' ') {
                rc = ubuf_putc(out, '+');
            } else {
                char pct[3] = {'%', hex[c >> 4], hex[c & 15]};
                rc = ubuf_put(out, pct, 3);
            }
            break;
        case NOTIFY_ENC_XML:
            if (c == '&')
                rc = ubuf_puts(out, "&amp;");
            else if (c == '<')
                rc = ubuf_puts(out, "&lt;");
            else if (c == '>')
                rc = ubuf_puts(out, "&gt;");
            else if (c == '"')
                rc = ubuf_puts(out, "&quot;");
            else if (c == '\'')
                rc = ubuf_puts(out, "&apos;");
            else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                rc = 0; /* not allowed in XML 1.0 at all: left out */
            else
                rc = ubuf_putc(out, (char)c);
            break;
        case NOTIFY_ENC_RAW:
            break;
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}

int notify_sms_render(const char *tmpl, enum notify_enc enc, const char *to, const char *text,
                      struct ubuf *out)
{
    const char *p = tmpl;
    while (*p) {
        const char *brace = strchr(p, '{');
        if (!brace)
            return ubuf_puts(out, p);
        if (ubuf_put(out, p, (size_t)(brace - p)) < 0)
            return -1;
        if (!strncmp(brace, "{to}", 4)) {
            if (put_encoded(out, enc, to) < 0)
                return -1;
            p = brace + 4;
        } else if (!strncmp(brace, "{text}", 6)) {
            if (put_encoded(out, enc, text) < 0)
                return -1;
            p = brace + 6;
        } else {
            if (ubuf_putc(out, '{') < 0)
                return -1;
            p = brace + 1;
        }
    }
    return 0;
}

/* ---- the client --------------------------------------------------------------------------- */

static size_t discard(char *ptr, size_t size, size_t nmemb, void *ud)
{
    (void)ptr;
    (void)ud;
    return size * nmemb; /* the answer's body is not needed, and may echo the message */
}

static char *dup_or_null(const char *s, bool *oom)
{
    if (!s || !*s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *oom = true;
    return d;
}

static void wipe_free(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

void notify_sms_free(struct notify_sms *g)
{
    if (!g)
        return;
    if (g->curl)
        curl_easy_cleanup(g->curl);
    curl_slist_free_all(g->headers);
    wipe_free(g->auth_header);
    wipe_free(g->password);
    wipe_free(g->token);
    free(g->url);
    free(g->user);
    free(g->body);
    free(g->content_type);
    if (g->curl_global)
        curl_global_cleanup();
    free(g);
}

int notify_sms_new(const struct notify_sms_cfg *cfg, struct notify_sms **out, char *err,
                   size_t errlen)
{
    struct notify_sms *g = NULL;
    bool oom = false;
    *out = NULL;
    if (!cfg || !cfg->url ||
        (strncasecmp(cfg->url, "http://", 7) != 0 && strncasecmp(cfg->url, "https://", 8) != 0)) {
        snprintf(err, errlen, "the SMS gateway URL must start with http:// or https://");
        return -1;
    }
    if (!cfg->body || !*cfg->body) {
        snprintf(err, errlen, "the SMS gateway needs a body template");
        return -1;
    }
    if (!strstr(cfg->body, "{to}") || !strstr(cfg->body, "{text}")) {
        snprintf(err, errlen, "the SMS gateway's body template must hold {to} and {text}");
        return -1;
    }
    if (cfg->timeout_seconds < 1) {
        snprintf(err, errlen, "the SMS gateway timeout must be at least 1 second");
        return -1;
    }
    bool user = cfg->user && *cfg->user, pass = cfg->password && *cfg->password;
    bool token = cfg->token && *cfg->token;
    if (user && token) {
        snprintf(err, errlen,
                 "set either the SMS gateway's user and password or its token, "
                 "not both");
        return -1;
    }
    if (pass && !user) {
        snprintf(err, errlen, "the SMS gateway's password needs a user");
        return -1;
    }
    if (token && strpbrk(cfg->token, "\r\n")) {
        snprintf(err, errlen, "the SMS gateway's token holds a line break");
        return -1;
    }
    const char *ct =
        cfg->content_type && *cfg->content_type ? cfg->content_type : "application/json";
    if (strpbrk(ct, "\r\n")) {
        snprintf(err, errlen, "the SMS gateway's content type holds a line break");
        return -1;
    }

    if (!(g = calloc(1, sizeof *g)))
        goto nomem;
    g->url = dup_or_null(cfg->url, &oom);
    g->user = dup_or_null(cfg->user, &oom);
    g->password = dup_or_null(cfg->password, &oom);
    g->token = dup_or_null(cfg->token, &oom);
    g->body = dup_or_null(cfg->body, &oom);
    g->content_type = dup_or_null(ct, &oom);
    if (oom)
        goto nomem;
    g->enc = notify_enc_for(ct);

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, errlen, "libcurl could not be initialised");
        goto fail;
    }
    g->curl_global = true;
    if (!(g->curl = curl_easy_init()))
        goto nomem;

    struct ubuf h = UBUF_INIT(1024);
    if (ubuf_printf(&h, "Content-Type: %s", ct) < 0) {
        ubuf_free(&h);
        goto nomem;
    }
    struct curl_slist *l = curl_slist_append(NULL, ubuf_str(&h));
    ubuf_free(&h);
    if (!l)
        goto nomem;
    g->headers = l;
    /* no "Expect: 100-continue" round trip, whatever the body's size */
    if (!(l = curl_slist_append(g->headers, "Expect:")))
        goto nomem;
    g->headers = l;
    if (token) {
        size_t n = strlen(g->token) + sizeof "Authorization: Bearer ";
        if (!(g->auth_header = malloc(n)))
            goto nomem;
        snprintf(g->auth_header, n, "Authorization: Bearer %s", g->token);
        if (!(l = curl_slist_append(g->headers, g->auth_header)))
            goto nomem;
        g->headers = l;
    }

    CURL *c = g->curl;
    long ms = (long)cfg->timeout_seconds * 1000;
    CURLcode rc = CURLE_OK;
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_URL, g->url);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    if (rc == CURLE_OK) /* no silent second send (see the top of the file) */
        rc = curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* we run in a thread */
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ms);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, ms);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_POST, 1L);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_HTTPHEADER, g->headers);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_USERAGENT, "eimza/" EIMZA_VERSION);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    if (rc == CURLE_OK && user) {
        rc = curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        if (rc == CURLE_OK)
            rc = curl_easy_setopt(c, CURLOPT_USERNAME, g->user);
        if (rc == CURLE_OK)
            rc = curl_easy_setopt(c, CURLOPT_PASSWORD, g->password ? g->password : "");
    }
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "libcurl refused a setting: %s", curl_easy_strerror(rc));
        goto fail;
    }
    *out = g;
    return 0;
nomem:
    snprintf(err, errlen, "out of memory");
fail:
    notify_sms_free(g);
    return -1;
}

/* The reason for a failed transfer: a fixed word for the usual ones. */
static void curl_why(CURLcode rc, char why[NOTIFY_WHY_MAX])
{
    const char *w = NULL;
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        w = "timeout";
        break;
    case CURLE_COULDNT_CONNECT:
        w = "connect_failed";
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        w = "dns_failed";
        break;
    case CURLE_GOT_NOTHING:
        w = "no_answer";
        break;
    case CURLE_SEND_ERROR:
        w = "send_error";
        break;
    case CURLE_RECV_ERROR:
        w = "recv_error";
        break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
        w = "tls_error";
        break;
    default:
        break;
    }
    if (w)
        snprintf(why, NOTIFY_WHY_MAX, "%s", w);
    else
        snprintf(why, NOTIFY_WHY_MAX, "curl_%d", (int)rc);
}

enum notify_outcome notify_sms_send(struct notify_sms *g, const char *recipient, const char *text,
                                    char why[NOTIFY_WHY_MAX])
{
    char to[NOTIFY_E164_MAX];
    struct ubuf body = UBUF_INIT(SMS_BODY_MAX);
    enum notify_outcome o = NOTIFY_RETRY;
    why[0] = '\0';
    if (notify_sms_e164(recipient, to) < 0) {
        snprintf(why, NOTIFY_WHY_MAX, "bad_recipient");
        return NOTIFY_FAILED;
    }
    if (notify_sms_render(g->body, g->enc, to, text ? text : "", &body) < 0) {
        /* out of memory, or a body past the cap: neither is the gateway's answer */
        snprintf(why, NOTIFY_WHY_MAX, "render_failed");
        goto out;
    }
    CURLcode rc = curl_easy_setopt(g->curl, CURLOPT_POSTFIELDSIZE, (long)body.len);
    if (rc == CURLE_OK)
        rc = curl_easy_setopt(g->curl, CURLOPT_POSTFIELDS, ubuf_str(&body));
    if (rc == CURLE_OK)
        rc = curl_easy_perform(g->curl);
    /* the handle must not keep pointing at the body freed below */
    curl_easy_setopt(g->curl, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(g->curl, CURLOPT_POSTFIELDSIZE, 0L);
    if (rc != CURLE_OK) {
        curl_why(rc, why);
        goto out;
    }
    long status = 0;
    curl_easy_getinfo(g->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) {
        o = NOTIFY_SENT;
    } else {
        snprintf(why, NOTIFY_WHY_MAX, "http_%ld", status);
        /* 408 and 429 say "later"; the rest of 4xx say this request will never do */
        if (status >= 400 && status < 500 && status != 408 && status != 429)
            o = NOTIFY_FAILED;
    }
out:
    if (body.p)
        explicit_bzero(body.p, body.cap); /* it holds the SMS code */
    ubuf_free(&body);
    return o;
}

static enum notify_outcome sms_sender_send(void *ctx, const struct store_outbox_msg *m,
                                           char why[NOTIFY_WHY_MAX])
{
    return notify_sms_send(ctx, m->recipient, m->body, why);
}

struct notify_sender notify_sms_sender(struct notify_sms *g)
{
    return (struct notify_sender){.channel = "sms", .send = sms_sender_send, .ctx = g};
}
