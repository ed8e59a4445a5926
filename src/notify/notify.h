/* eimza — delivering the outbox (notify/): the senders and the drain that feeds them.
 *
 * Handlers and use cases only queue messages (store_outbox_put); the drain (drain.c) takes
 * due messages of one channel with a lease (store_outbox_claim), hands each to the channel's
 * sender and records the outcome: sent, tried again later with exponential back-off, or
 * failed for good. Senders are a small interface, so SMTP can join the SMS gateway later.
 *
 * The SMS gateway (sms_gateway.c) is an HTTP POST over libcurl: the URL, basic-auth
 * credentials or a bearer token, a body template with {to} and {text}, its content type and
 * a timeout come from the configuration. The answer decides the outcome: 2xx accepted; 4xx
 * refused for good (but 408 and 429 are "later"); 5xx, other answers, timeouts and
 * connection failures: try again later.
 *
 * Nothing here logs or returns a phone number or a message text in full: the text carries the
 * SMS code. Outcome reasons ("http_500", "timeout") are short fixed words.
 */
#ifndef EIMZA_NOTIFY_NOTIFY_H
#define EIMZA_NOTIFY_NOTIFY_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notify/templates.h"
#include "store/store.h"
#include "util/buf.h"

/* What became of one attempt to send a message. */
enum notify_outcome {
    NOTIFY_SENT,  /* the gateway accepted it */
    NOTIFY_RETRY, /* not now: a transient failure; try again later */
    NOTIFY_FAILED /* refused for good (a bad recipient, a 4xx answer) */
};

#define NOTIFY_WHY_MAX 64 /* room for an outcome reason, NUL included */

/* A channel's sender. send gets a claimed message and writes a short reason (no personal
 * data) into why[NOTIFY_WHY_MAX] for anything but NOTIFY_SENT. */
struct notify_sender {
    const char *channel; /* "sms" | "email" (store_outbox_claim) */
    enum notify_outcome (*send)(void *ctx, const struct store_outbox_msg *m,
                                char why[NOTIFY_WHY_MAX]);
    void *ctx;
};

/* ---- the SMS gateway ---------------------------------------------------------------------- */

/* How {text} and {to} are written into the body, from the template's content type. */
enum notify_enc {
    NOTIFY_ENC_RAW,  /* as they are (text/plain and anything unknown) */
    NOTIFY_ENC_JSON, /* JSON string escapes (application/json, anything ending in +json) */
    NOTIFY_ENC_FORM, /* percent-encoded, space as '+' (application/x-www-form-urlencoded) */
    NOTIFY_ENC_XML   /* &amp; &lt; &gt; &quot; &apos; (application/xml, text/xml, +xml) */
};
/* The encoding for a Content-Type value (parameters such as "; charset=utf-8" ignored; the
 * media type compared without regard to case). */
enum notify_enc notify_enc_for(const char *content_type);

/* The international form of a stored mobile number: "5XXXXXXXXX" -> "+905XXXXXXXXX" into
 * out[14]. -1 (out "") for anything else. */
#define NOTIFY_E164_MAX 14
int notify_sms_e164(const char *recipient, char out[NOTIFY_E164_MAX]);

/* Renders a body template into out: every "{to}" becomes to and every "{text}" becomes text,
 * both encoded as enc says; everything else is copied as it is (a '{' that starts neither is
 * an ordinary character). Returns 0, or -1 when out's cap would be passed or memory runs out
 * (out then holds a partial body the caller must not send). */
int notify_sms_render(const char *tmpl, enum notify_enc enc, const char *to, const char *text,
                      struct ubuf *out);

/* The gateway's settings. Strings are copied by notify_sms_new; "" means not set. */
struct notify_sms_cfg {
    const char *url;          /* http:// or https:// */
    const char *user;         /* basic auth when set (with password) */
    const char *password;     /* never logged */
    const char *token;        /* "Authorization: Bearer TOKEN" when set; never logged */
    const char *body;         /* the template */
    const char *content_type; /* sent as Content-Type; decides the encoding */
    int timeout_seconds;      /* the whole request, connection included (>= 1) */
};

struct notify_sms; /* one gateway client: its settings and a reused curl handle */

/* Checks the settings (a URL with http/https, a template, a timeout >= 1, not both a user and
 * a token) and makes a client. Returns 0, or -1 with the reason in err (no secrets in it). */
int notify_sms_new(const struct notify_sms_cfg *cfg, struct notify_sms **out, char *err,
                   size_t errlen);
void notify_sms_free(struct notify_sms *g);

/* Sends one SMS to recipient (stored form, 5XXXXXXXXX) with text, and says how it went
 * (why as for struct notify_sender). A recipient that is not a mobile number is
 * NOTIFY_FAILED ("bad_recipient") without any request. Blocks up to the timeout. One thread
 * at a time per client. */
enum notify_outcome notify_sms_send(struct notify_sms *g, const char *recipient, const char *text,
                                    char why[NOTIFY_WHY_MAX]);

/* The sender for the drain: channel "sms", ctx the client. */
struct notify_sender notify_sms_sender(struct notify_sms *g);

/* ---- the drain ---------------------------------------------------------------------------- */

struct notify_drain_cfg {
    int max_tries;        /* attempts before a message fails for good (>= 1) */
    int retry_base;       /* seconds before the first retry; doubled after each attempt */
    int retry_max;        /* the longest wait between two attempts, seconds */
    int lease_seconds;    /* how long a claimed message is ours: longer than one send takes */
    long max_per_pass;    /* messages handled in one pass at most (>= 1) */
    int64_t (*now)(void); /* the clock; NULL: time() */
    /* What renders a message kept unrendered (notify/outbox.h) just before it is sent; without
     * a set such a message fails ("no_templates"). */
    const struct notify_templates *tpl;
    const char *portal_url;
    /* What opens the SMS codes of the messages that bring one (crypto/seal.h; store.h, "SMS
     * codes at rest"). Without it a message whose code is still sealed is not claimed: it is
     * left for a drain with the key (a server's, say) until its code expires, and then fails
     * ("code_withdrawn"), never sent with the mask in the code's place. Each pass first drops
     * the codes that expired. */
    const struct crypto_seal_key *key;
};

struct notify_drain_stats {
    long claimed, sent, retried, failed;
    long lost; /* claimed, but the lease ran out and another sender took it meanwhile */
};

/* Seconds to wait after the attempts-th failed attempt: retry_base * 2^(attempts-1), at most
 * retry_max (and at least 1). */
int64_t notify_backoff(int attempts, int retry_base, int retry_max);

/* One pass: claims due messages of the sender's channel one at a time and sends them, until
 * none is due, max_per_pass were handled, or *stop (may be NULL) turns true (checked between
 * messages: a send in flight is finished, not cut). Each outcome is logged with the number
 * masked. A message claimed for more than max_tries attempts (its senders died half-way)
 * fails without another send. Returns STORE_OK, or the store's error that ended the pass
 * (stats then count what was done before). */
enum store_err notify_drain(struct store *s, const struct notify_sender *snd,
                            const struct notify_drain_cfg *cfg, const atomic_bool *stop,
                            struct notify_drain_stats *stats);

#endif
