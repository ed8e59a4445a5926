/* eimza — signing through the relay (app/): the path that needs no request from the signing
 * page to the person's computer (docs/INTERFACES.md, "Signing through the relay").
 *
 * The page asks for a ticket (app_sign_ticket_issue) and opens
 * eimza://sign?ticket=T&portal=https://HOST; the person's agent claims the ticket
 * (app_relay_claim: the content to sign and a claim value only it holds), then sends the
 * signature (app_relay_signature) or says why not (app_relay_cancel); the page polls
 * app_sign_ticket_status until the ticket's state is final.
 *
 * A ticket is 32 random bytes (base64url); only its SHA-256 is stored, and the claim's. It is
 * bound to the session that asked for it and to that session's application, lives
 * c->set->relay.ticket_ttl seconds until claimed, is claimed at most once, then waits
 * claim_ttl seconds for one signature, which is checked once, exactly as one posted to
 * /api/v1/application/signature (app__signature_check). Issuing a ticket ends the session's
 * open ones. A refused request changes nothing; a signature refused by the check ends the
 * ticket (refused, with the check's code). Issuing, claiming, cancelling, the outcome and every
 * refusal of a known ticket are audited with the application, never with the ticket; requests
 * naming no known ticket or a wrong claim count against the client's address (30 in 15
 * minutes, then 429 too_many_relay_requests), and the lock-out is audited.
 *
 * The agent's requests carry no session: the ticket and the claim are the credentials, and
 * c->who is not used. c->client_addr keys the per-address limit.
 */
#ifndef EIMZA_APP_RELAY_H
#define EIMZA_APP_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/context.h"
#include "app/portal.h"
#include "util/buf.h"

#define APP_RELAY_POLL_MS     1500 /* how often the page should ask */
#define APP_RELAY_PER_SESSION 10   /* tickets a session may ask for ... */
#define APP_RELAY_WINDOW      600  /* ... in this many seconds */
#define APP_RELAY_BAD_MAX     30   /* unknown tickets or wrong claims from one address ... */
#define APP_RELAY_BAD_WINDOW  900  /* ... in this many seconds */
#define APP_RELAY_CODE_MAX    64   /* a cancel's code: [a-z0-9_]{1,64} */
#define APP_RELAY_URL_MAX     512

/* ---- the page's side (an applicant's session) --------------------------------------------- */

struct app_ticket_new {
    char ticket[APP_TOKEN_LEN + 1];
    char url[APP_RELAY_URL_MAX]; /* eimza://sign?ticket=...&portal=... */
    char portal[256];
    int64_t expires_at;
    int expires_in; /* seconds */
    int poll_ms;
};
/* A new ticket for the session's application, which must be waiting for an e-signature (409
 * wrong_state, signing_method_not_allowed, remote_renewal_limit). 503 relay_unavailable when
 * the portal's address is not https, verification_unavailable without a verifier; 429
 * too_many_tickets past APP_RELAY_PER_SESSION in a window. */
enum app_status app_sign_ticket_issue(const struct app_ctx *c, struct app_ticket_new *out,
                                      struct app_err *err);

struct app_ticket_view {
    /* issued claimed submitted refused cancelled expired superseded */
    char state[16];
    int64_t expires_at;              /* the claim's end once claimed */
    char agent_version[32];          /* "" before a claim */
    char error_code[65];             /* refused: the check's code; cancelled: the agent's; "" */
    bool error_has_message;          /* refused: the portal has words for the code */
    char number[APP_NUMBER_LEN + 1]; /* submitted: the application's number; "" otherwise */
};
/* The session's newest ticket as the page sees it; 404 no_ticket when the session never asked
 * for one (another session's tickets are never shown). */
enum app_status app_sign_ticket_status(const struct app_ctx *c, struct app_ticket_view *out,
                                       struct app_err *err);

/* ---- the agent's side (no session) ---------------------------------------------------------- */

struct app_relay_req {
    const char *ticket;        /* always */
    const char *claim;         /* signature and cancel */
    const char *code;          /* cancel: [a-z0-9_]{1,64} */
    const char *agent_version; /* X-Eimza-Agent; NULL when absent */
    const char *cms_b64;       /* signature: the DER CMS in base64 (RFC 4648, padded) */
};

struct app_relay_claimed {
    char claim[APP_TOKEN_LEN + 1];
    int64_t claim_expires_at;
    char number[APP_NUMBER_LEN + 1];
    char content_sha256[APP_HASH_HEX + 1];
};
/* Claims an issued ticket: *content_b64 gets the exact bytes to sign in base64 (RFC 4648,
 * padded), out their SHA-256 and the claim. Refusals: 400 bad_request
 * (no ticket of the right form), 404 ticket_unknown, 426 agent_outdated (c->set->relay's
 * min_version), 409 ticket_superseded / ticket_used, 410 ticket_expired (also when the
 * session that asked for it has ended), 409 wrong_state & co. when the application no longer
 * waits, 503 verification_unavailable, 429 too_many_relay_requests. */
enum app_status app_relay_claim(const struct app_ctx *c, const struct app_relay_req *rq,
                                struct app_relay_claimed *out, struct ubuf *content_b64,
                                struct app_err *err);
/* The signature for a claimed ticket (at most APP_SIGNATURE_MAX bytes once decoded; 400
 * bad_request for text that is not base64): as app_relay_claim's refusals, with 403
 * claim_mismatch
 * and 409 ticket_used (not claimed, or already checked); then the check's: 422 with its code
 * (the ticket ends refused), or the application submitted (out, may be NULL). */
enum app_status app_relay_signature(const struct app_ctx *c, const struct app_relay_req *rq,
                                    struct app_application *out, struct app_err *err);
/* The agent could not sign (rq->code: the card's or the person's reason): the claimed ticket
 * ends cancelled with that code, for the page to say. Refusals as app_relay_signature's, and
 * 400 bad_request for a code not of the form. */
enum app_status app_relay_cancel(const struct app_ctx *c, const struct app_relay_req *rq,
                                 struct app_err *err);

#endif
