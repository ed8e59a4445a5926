/* eimza — the SMTP sender and the hand-over mark (smtp.h).
 *
 * One connection per message (CURLOPT_FORBID_REUSE): a message's exchange never depends on the
 * state a previous one left, and the point of no return (the final "." of DATA) is the same for
 * every message. curl sends that "." right after the read callback reports the end of the
 * message, so the callback is where the hand-over is recorded; if recording fails the callback
 * aborts the transfer and the server, which never saw the ".", drops the message.
 */
#include "notify/smtp.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/validate.h"

#define SMTP_MSG_MAX  (256 * 1024) /* a whole message, headers included */
#define SMTP_LINE_MAX 76           /* quoted-printable line length */
#define SMTP_WORD_RAW 45           /* bytes per RFC 2047 encoded word (60 base64 characters) */

/* The drain's sender's context: the client and where it records hand-overs. */
struct smtp_pair {
    struct notify_smtp *c;
    const struct notify_handover_ctx *ho;
};

struct notify_smtp {
    struct smtp_pair pair; /* notify_smtp_sender's ctx */
    CURL *curl;
    bool curl_global;
    char *url, *user, *password, *from, *ca_file;
    bool starttls;
    long timeout_ms;
};

static void wipe_free(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

void notify_smtp_free(struct notify_smtp *c)
{
    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl);
    free(c->url);
    free(c->user);
    wipe_free(c->password);
    free(c->from);
    free(c->ca_file);
    if (c->curl_global)
        curl_global_cleanup();
    free(c);
}

static bool addr_ok(const char *a)
{
    return a && *a && core_email_valid(a, strlen(a)) && !strpbrk(a, "\r\n<> ");
}

int notify_smtp_new(const struct notify_smtp_cfg *cfg, struct notify_smtp **out, char *err,
                    size_t errlen)
{
    struct notify_smtp *c = NULL;
    *out = NULL;
    if (!cfg || !cfg->url ||
        (strncasecmp(cfg->url, "smtp://", 7) != 0 && strncasecmp(cfg->url, "smtps://", 8) != 0)) {
        snprintf(err, errlen, "the SMTP URL must start with smtp:// or smtps://");
        return -1;
    }
    if (strpbrk(cfg->url, "\r\n ")) {
        snprintf(err, errlen, "the SMTP URL holds a blank or a line break");
        return -1;
    }
    if (!addr_ok(cfg->from)) {
        snprintf(err, errlen, "smtp_from must be an e-mail address (name@domain)");
        return -1;
    }
    if (cfg->timeout_seconds < 1) {
        snprintf(err, errlen, "the SMTP timeout must be at least 1 second");
        return -1;
    }
    bool user = cfg->user && *cfg->user, pass = cfg->password && *cfg->password;
    if (pass && !user) {
        snprintf(err, errlen, "smtp_password needs smtp_user");
        return -1;
    }
    if (cfg->starttls && strncasecmp(cfg->url, "smtps://", 8) == 0) {
        snprintf(err, errlen, "smtp_starttls is for smtp:// (smtps:// is TLS from the start)");
        return -1;
    }
    if (!(c = calloc(1, sizeof *c)))
        goto nomem;
    c->url = strdup(cfg->url);
    c->from = strdup(cfg->from);
    c->user = strdup(user ? cfg->user : "");
    c->password = strdup(pass ? cfg->password : "");
    c->ca_file = strdup(cfg->ca_file ? cfg->ca_file : "");
    if (!c->url || !c->from || !c->user || !c->password || !c->ca_file)
        goto nomem;
    c->starttls = cfg->starttls;
    c->timeout_ms = (long)cfg->timeout_seconds * 1000;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, errlen, "libcurl could not be initialised");
        goto fail;
    }
    c->curl_global = true;
    if (!(c->curl = curl_easy_init()))
        goto nomem;
    *out = c;
    return 0;
nomem:
    snprintf(err, errlen, "out of memory");
fail:
    notify_smtp_free(c);
    return -1;
}

/* ---- the message ------------------------------------------------------------------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int put_b64(struct ubuf *out, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        char q[4] = {b64[(v >> 18) & 63], b64[(v >> 12) & 63], i + 1 < n ? b64[(v >> 6) & 63] : '=',
                     i + 2 < n ? b64[v & 63] : '='};
        if (ubuf_put(out, q, 4) < 0)
            return -1;
    }
    return 0;
}

/* The Subject header's value: as it is when it is short printable ASCII, else RFC 2047
 * encoded words of whole UTF-8 characters, folded onto continuation lines. */
static int put_subject(struct ubuf *out, const char *s)
{
    size_t n = strlen(s);
    bool plain = n <= 60;
    for (size_t i = 0; i < n && plain; i++)
        plain = (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f;
    if (plain && !strstr(s, "=?"))
        return ubuf_puts(out, s);
    for (size_t i = 0; i < n;) {
        size_t take = n - i < SMTP_WORD_RAW ? n - i : SMTP_WORD_RAW;
        while (i + take < n && take > 0 && ((unsigned char)s[i + take] & 0xC0) == 0x80)
            take--; /* never split a character between two words */
        if (take == 0)
            return -1;
        if ((i > 0 && ubuf_puts(out, "\r\n ") < 0) || ubuf_puts(out, "=?UTF-8?B?") < 0 ||
            put_b64(out, (const unsigned char *)s + i, take) < 0 || ubuf_puts(out, "?=") < 0)
            return -1;
        i += take;
    }
    return 0;
}

/* Appends body as quoted-printable with CRLF line ends (RFC 2045 6.7): lines of at most 76
 * characters with soft breaks, '=' and bytes outside printable ASCII encoded, blanks before a
 * line end encoded, and a '.' that starts a line encoded (never a lone "." line). */
static int put_qp(struct ubuf *out, const char *body)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t col = 0;
    for (const char *p = body; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '\r' && p[1] == '\n')
            continue;
        if (ch == '\n') {
            if (ubuf_puts(out, "\r\n") < 0)
                return -1;
            col = 0;
            continue;
        }
        bool at_end = p[1] == '\0' || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
        bool enc = ch == '=' || ch < 0x20 || ch > 0x7e || (col == 0 && ch == '.') ||
                   ((ch == ' ' || ch == '\t') && at_end);
        if (ch == '\t' && !at_end)
            enc = false;
        size_t w = enc ? 3 : 1;
        if (col + w > SMTP_LINE_MAX - 1) { /* room for the soft break's '=' */
            if (ubuf_puts(out, "=\r\n") < 0)
                return -1;
            col = 0;
            if (ch == '.')
                enc = true, w = 3;
        }
        char e[3] = {'=', hex[ch >> 4], hex[ch & 15]};
        if (enc ? ubuf_put(out, e, 3) < 0 : ubuf_putc(out, (char)ch) < 0)
            return -1;
        col += w;
    }
    return col ? ubuf_puts(out, "\r\n") : 0;
}

static void rfc5322_date(int64_t t, char out[40])
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) {
        snprintf(out, 40, "Thu, 01 Jan 1970 00:00:00 +0000");
        return;
    }
    snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7], tm.tm_mday,
             months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int notify_smtp_message(const char *from, const char *to, const char *subject, const char *body,
                        int64_t msgid_id, int64_t msgid_at, int64_t date, struct ubuf *out)
{
    if (!addr_ok(from) || !addr_ok(to) || !subject || !body || strpbrk(subject, "\r\n"))
        return -1;
    char d[40];
    rfc5322_date(date, d);
    const char *domain = strrchr(from, '@') + 1;
    if (ubuf_printf(out,
                    "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nMessage-ID: <eimza.%lld.%lld@%s>\r\n"
                    "Subject: ",
                    d, from, to, (long long)msgid_id, (long long)msgid_at, domain) < 0 ||
        put_subject(out, subject) < 0 ||
        ubuf_puts(out, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                       "Content-Transfer-Encoding: quoted-printable\r\n"
                       "Auto-Submitted: auto-generated\r\n\r\n") < 0 ||
        put_qp(out, body) < 0)
        return -1;
    return 0;
}

/* ---- sending ----------------------------------------------------------------------------- */

static int64_t ho_now(const struct notify_handover_ctx *ho)
{
    return ho && ho->now ? ho->now() : (int64_t)time(NULL);
}

/* Records the hand-over of m; 0, or -1 with why set (the caller must not send). */
static int handover(const struct notify_handover_ctx *ho, const struct store_outbox_msg *m,
                    char why[NOTIFY_WHY_MAX])
{
    if (!ho || !ho->s)
        return 0;
    enum store_err e = store_outbox_mark_handover(ho->s, m->id, m->attempts, ho_now(ho));
    if (e == STORE_OK)
        return 0;
    snprintf(why, NOTIFY_WHY_MAX, "%s",
             e == STORE_ECONFLICT || e == STORE_ENOTFOUND ? "lease_lost" : "db_error");
    return -1;
}

/* The message as curl reads it, with the hand-over at its end. */
struct upload {
    const char *p;
    size_t len, off;
    const struct notify_handover_ctx *ho;
    const struct store_outbox_msg *m;
    bool handed, refused;
    char why[NOTIFY_WHY_MAX];
};

static size_t upload_read(char *buf, size_t size, size_t nitems, void *arg)
{
    struct upload *u = arg;
    size_t room = size * nitems;
    if (u->off < u->len) {
        size_t n = u->len - u->off < room ? u->len - u->off : room;
        memcpy(buf, u->p + u->off, n);
        u->off += n;
        return n;
    }
    /* the end: curl writes the final "." next, after which the server may hold the message */
    if (!u->handed && !u->refused) {
        if (handover(u->ho, u->m, u->why) < 0) {
            u->refused = true;
            return CURL_READFUNC_ABORT;
        }
        u->handed = true;
    }
    return u->refused ? CURL_READFUNC_ABORT : 0;
}

static enum notify_outcome smtp_outcome(CURLcode rc, long code, char why[NOTIFY_WHY_MAX])
{
    if (rc == CURLE_OK)
        return NOTIFY_SENT;
    if (rc == CURLE_LOGIN_DENIED) { /* a setting to fix, not a verdict on the message */
        snprintf(why, NOTIFY_WHY_MAX, "auth_failed");
        return NOTIFY_RETRY;
    }
    if (code >= 400 && code < 600) {
        snprintf(why, NOTIFY_WHY_MAX, "smtp_%ld", code);
        /* 5xx is final by SMTP's own rules, but an authentication refusal is a setting to fix,
         * not a verdict on the message */
        bool auth = code == 530 || code == 534 || code == 535 || code == 538;
        return code >= 500 && !auth ? NOTIFY_FAILED : NOTIFY_RETRY;
    }
    const char *w;
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
        w = "refused";
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        w = "no_host";
        break;
    case CURLE_OPERATION_TIMEDOUT:
        w = "timeout";
        break;
    case CURLE_USE_SSL_FAILED:
        w = "starttls_unavailable";
        break;
    case CURLE_LOGIN_DENIED:
        w = "auth_failed";
        break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
        w = "tls_failed";
        break;
    default:
        w = "no_answer";
        break;
    }
    snprintf(why, NOTIFY_WHY_MAX, "%s", w);
    return NOTIFY_RETRY;
}

enum notify_outcome notify_smtp_send(struct notify_smtp *c, const struct notify_handover_ctx *ho,
                                     const struct store_outbox_msg *m, char why[NOTIFY_WHY_MAX])
{
    struct ubuf msg = UBUF_INIT(SMTP_MSG_MAX);
    struct curl_slist *rcpt = NULL;
    char addr[CORE_EMAIL_MAX + 3];
    enum notify_outcome o = NOTIFY_RETRY;
    why[0] = '\0';
    if (!addr_ok(m->recipient) || strlen(m->recipient) + 3 > sizeof addr) {
        snprintf(why, NOTIFY_WHY_MAX, "bad_recipient");
        o = NOTIFY_FAILED;
        goto out;
    }
    if (notify_smtp_message(c->from, m->recipient, m->subject ? m->subject : "",
                            m->body ? m->body : "", m->id, m->created_at, ho_now(ho), &msg) < 0) {
        snprintf(why, NOTIFY_WHY_MAX, "bad_message");
        o = NOTIFY_FAILED; /* it will not get better by trying again */
        goto out;
    }
    snprintf(addr, sizeof addr, "<%s>", m->recipient);
    if (!(rcpt = curl_slist_append(NULL, addr))) {
        snprintf(why, NOTIFY_WHY_MAX, "no_memory");
        goto out;
    }
    char from[CORE_EMAIL_MAX + 3];
    snprintf(from, sizeof from, "<%s>", c->from);
    struct upload u = {.p = ubuf_str(&msg), .len = msg.len, .ho = ho, .m = m};
    CURL *h = c->curl;
    curl_easy_reset(h);
    CURLcode rc = CURLE_OK;
#define SET(opt, val)                                                                              \
    do {                                                                                           \
        if (rc == CURLE_OK)                                                                        \
            rc = curl_easy_setopt(h, opt, val);                                                    \
    } while (0)
    SET(CURLOPT_URL, c->url);
    SET(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_FORBID_REUSE, 1L);
    SET(CURLOPT_TIMEOUT_MS, c->timeout_ms);
    SET(CURLOPT_CONNECTTIMEOUT_MS, c->timeout_ms);
    SET(CURLOPT_MAIL_FROM, from);
    SET(CURLOPT_MAIL_RCPT, rcpt);
    SET(CURLOPT_UPLOAD, 1L);
    SET(CURLOPT_READFUNCTION, upload_read);
    SET(CURLOPT_READDATA, &u);
    /* no CURLOPT_INFILESIZE: curl must ask the callback for the end, where the hand-over is */
    if (c->starttls)
        SET(CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (c->ca_file[0])
        SET(CURLOPT_CAINFO, c->ca_file);
    if (c->user[0]) {
        SET(CURLOPT_USERNAME, c->user);
        SET(CURLOPT_PASSWORD, c->password);
    }
#undef SET
    if (rc != CURLE_OK) {
        snprintf(why, NOTIFY_WHY_MAX, "curl_setup");
        goto out;
    }
    rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    if (u.refused) {
        snprintf(why, NOTIFY_WHY_MAX, "%s", u.why);
        o = NOTIFY_RETRY;
    } else {
        o = smtp_outcome(rc, code, why);
    }
    /* the password must not linger in curl's copy of the options */
    curl_easy_reset(h);
out:
    curl_slist_free_all(rcpt);
    if (msg.p)
        explicit_bzero(msg.p, msg.len);
    ubuf_free(&msg);
    return o;
}

static enum notify_outcome smtp_send_cb(void *ctx, const struct store_outbox_msg *m,
                                        char why[NOTIFY_WHY_MAX])
{
    const struct smtp_pair *p = ctx;
    return notify_smtp_send(p->c, p->ho, m, why);
}

struct notify_sender notify_smtp_sender(struct notify_smtp *c, const struct notify_handover_ctx *ho)
{
    c->pair = (struct smtp_pair){.c = c, .ho = ho};
    return (struct notify_sender){.channel = "email", .send = smtp_send_cb, .ctx = &c->pair};
}

static enum notify_outcome handover_send(void *ctx, const struct store_outbox_msg *m,
                                         char why[NOTIFY_WHY_MAX])
{
    struct notify_handover *h = ctx;
    if (handover(&h->ho, m, why) < 0)
        return NOTIFY_RETRY;
    return h->inner.send(h->inner.ctx, m, why);
}

struct notify_sender notify_handover_sender(struct notify_handover *h)
{
    return (struct notify_sender){.channel = h->inner.channel, .send = handover_send, .ctx = h};
}
