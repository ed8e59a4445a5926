/* eimza — the e-mail sender (notify/): the outbox's e-mail messages over SMTP with libcurl, and
 * the hand-over mark that keeps a message from being sent twice after a crash.
 *
 * smtp:// (optionally requiring STARTTLS) or smtps://; AUTH when a user is set. The message is
 * UTF-8 text/plain in quoted-printable with From, To, Subject (RFC 2047 encoded when it is not
 * plain ASCII), Date, Message-ID, MIME-Version and Auto-Submitted headers. The Message-ID is
 * made from the outbox row (id and creation time), so every attempt at one message carries the
 * same one.
 *
 * Exactly once. A claim (store_outbox_claim) holds a message under a lease; when the sender
 * dies, the lease runs out and another claim sends it again. That is right while the gateway
 * cannot have accepted the message yet, and wrong afterwards. SMTP draws the line exactly: the
 * server takes a message only at the end of DATA (the final "."); a connection that drops
 * before leaves nothing behind. So the sender records the hand-over
 * (store_outbox_mark_handover) just before curl writes that final ".", and a message handed
 * over is never claimed again by itself: if its sender dies before it could record the answer,
 * the message waits as "unconfirmed" in the operator's view (store_outbox_problems, `eimza
 * notify failed`) instead of being sent a second time. Before the final "." nothing is
 * recorded, and a sender killed there leaves the message to be sent again after its lease. The
 * mark is also the last check of the lease: a sender whose lease ran out during a slow
 * exchange finds that another one holds the message now, and aborts before the ".".
 *
 * notify_handover_sender gives any other sender (the SMS gateway) the same rule, with the
 * hand-over recorded just before its request: HTTP has no point of no return inside a
 * request, so the whole request counts as the hand-over.
 *
 * Nothing here logs or returns an address in full or a message text; reasons are short fixed
 * words ("smtp_451", "refused", "timeout").
 */
#ifndef EIMZA_NOTIFY_SMTP_H
#define EIMZA_NOTIFY_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notify/notify.h"
#include "store/store.h"
#include "util/buf.h"

struct notify_smtp_cfg {
    const char *url;      /* smtp://host[:port] or smtps://host[:port] */
    const char *user;     /* AUTH when set */
    const char *password; /* never logged */
    const char *from;     /* the sender's address (envelope and From:) */
    bool starttls;        /* smtp://: STARTTLS is required, the message never goes in clear */
    const char *ca_file;  /* PEM file of CAs to verify the server with; "" or NULL: system */
    int timeout_seconds;  /* one whole exchange (>= 1) */
};

struct notify_smtp;

/* Checks the settings (the scheme, a valid from address, a timeout >= 1, a password only with
 * a user) and makes a client. Returns 0, or -1 with the reason in err (no secrets in it). */
int notify_smtp_new(const struct notify_smtp_cfg *cfg, struct notify_smtp **out, char *err,
                    size_t errlen);
void notify_smtp_free(struct notify_smtp *c);

/* Writes the whole message (headers, an empty line, the quoted-printable body; CRLF line ends)
 * into out. date is the Date header's time (Unix seconds); msgid_id and msgid_at make the
 * Message-ID <eimza.ID.AT@DOMAIN-OF-FROM>. Returns 0, or -1 when out's cap would be passed,
 * memory runs out, or an address or the subject holds a line break. */
int notify_smtp_message(const char *from, const char *to, const char *subject, const char *body,
                        int64_t msgid_id, int64_t msgid_at, int64_t date, struct ubuf *out);

/* Where the hand-over is recorded: the store the drain uses (same thread) and the clock. */
struct notify_handover_ctx {
    struct store *s;
    int64_t (*now)(void); /* NULL: time() */
};

/* Sends one claimed message. ho may be NULL (nothing recorded: tests of the message alone).
 * Outcomes: accepted (250 after DATA) NOTIFY_SENT; a 4xx, no connection, a timeout, a TLS or
 * authentication failure NOTIFY_RETRY; any other 5xx NOTIFY_FAILED; a recipient that is not an
 * e-mail address NOTIFY_FAILED ("bad_recipient") without a connection. One thread at a time
 * per client. */
enum notify_outcome notify_smtp_send(struct notify_smtp *c, const struct notify_handover_ctx *ho,
                                     const struct store_outbox_msg *m, char why[NOTIFY_WHY_MAX]);

/* The sender for the drain: channel "email". c and ho must outlive it. */
struct notify_sender notify_smtp_sender(struct notify_smtp *c,
                                        const struct notify_handover_ctx *ho);

/* A sender that records the hand-over (in ho) and then calls inner; when the mark is refused
 * (the lease is lost, the database failed) inner is not called and the outcome is
 * NOTIFY_RETRY ("lease_lost" / "db_error"). h must outlive the sender. */
struct notify_handover {
    struct notify_sender inner;
    struct notify_handover_ctx ho;
};
struct notify_sender notify_handover_sender(struct notify_handover *h);

#endif
