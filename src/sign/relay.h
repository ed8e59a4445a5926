/* eimza — the relay path of the signing agent: signing for a portal's page without any
 * request from the page to this computer (no Local Network Access permission, any browser).
 *
 * The page asks its portal for a ticket and opens `eimza://sign?ticket=T&portal=https://HOST`;
 * the desktop starts `eimza agent --handle-url URL`, which:
 *   1. parses the URL (nothing is contacted for a malformed one),
 *   2. checks the portal against the allow-list (the agent's configured origins; only
 *      https) — a portal not on it is never contacted,
 *   3. claims the ticket over HTTPS, verifying the portal's certificate (libcurl; the system's
 *      store or a configured CA file), and gets the exact bytes to sign,
 *   4. shows the person what they are signing and for whom, in the PIN dialogue (or a
 *      confirmation with a PIN pad), asks the PIN itself, once, never retried,
 *   5. signs a CAdES-BES with the card (sign_module_sign) and posts it with the ticket,
 *   6. or, when the card side fails or the person cancels, tells the portal why, so the page
 *      can say so.
 * The page learns the outcome from its portal by polling. The HTTP contract is the "relay"
 * part of docs/INTERFACES.md; every request carries the agent's version (X-Eimza-Agent), so
 * the portal can refuse a too old agent (426 agent_outdated).
 *
 * The pure parts (the URL, versions, the messages) are separate from the flow so the unit
 * tests reach them. */
#ifndef EIMZA_SIGN_RELAY_H
#define EIMZA_SIGN_RELAY_H

#include <stdbool.h>
#include <stddef.h>

#include "sign/agent.h"
#include "sign/platform.h"

#define SIGN_RELAY_URL_MAX   2048 /* bytes of an eimza: URL */
#define SIGN_RELAY_TOKEN_MIN 16   /* base64url characters of a ticket or a claim */
#define SIGN_RELAY_TOKEN_MAX 128
#define SIGN_RELAY_PROTOCOL  "1" /* the relay protocol's version: /api/v1/relay/ */

/* The outcome's class; each has its exit status (sign_relay_exit). */
enum sign_relay_err {
    SIGN_RELAY_OK = 0,        /* signed, and the portal accepted it (exit 0) */
    SIGN_RELAY_E_URL,         /* url_invalid: not an eimza://sign URL we take (exit 1) */
    SIGN_RELAY_E_CONFIG,      /* config_error, module_not_configured (exit 1) */
    SIGN_RELAY_E_NOT_ALLOWED, /* portal_not_allowed, portal_not_https: not contacted (3) */
    SIGN_RELAY_E_UNREACHABLE, /* portal_unreachable: no connection (exit 4) */
    SIGN_RELAY_E_TLS,         /* tls_failed: the portal's certificate did not verify (4) */
    SIGN_RELAY_E_BAD_ANSWER,  /* portal_bad_answer, submit_unconfirmed (exit 4) */
    SIGN_RELAY_E_REFUSED,     /* the portal refused: its code (ticket_expired, …) (5) */
    SIGN_RELAY_E_CARD,        /* the card side failed or the person cancelled (exit 2) */
    SIGN_RELAY_E_CONTENT,     /* content_not_text: nothing shown, nothing signed (5) */
};

int sign_relay_exit(enum sign_relay_err e);

/* ---- the eimza: URL ------------------------------------------------------------------------ */

struct sign_relay_url {
    char ticket[SIGN_RELAY_TOKEN_MAX + 1];
    char portal[SIGN_ORIGIN_MAX]; /* normalised (sign_origin_normalize) */
};

/* Parses "eimza://sign?ticket=T&portal=ORIGIN" (scheme and "sign" in any case, an optional
 * "/" before "?", the parameters in any order, percent-encoded or not; other parameters are
 * ignored, a repeated one is refused; no fragment). T is 16..128 base64url characters; ORIGIN
 * an origin as sign_origin_normalize takes it (http is parsed here and refused by the
 * caller). Returns 0, or -1. */
int sign_relay_url_parse(const char *url, struct sign_relay_url *out);

/* Whether s is 16..128 characters of base64url (A-Z a-z 0-9 - _). */
bool sign_relay_token_ok(const char *s);

/* Compares dotted versions ("0.1.0", "1.2"; up to 4 parts of up to 6 digits; a missing part
 * counts as 0): -1, 0 or 1; -2 when either is malformed. */
int sign_version_cmp(const char *a, const char *b);

/* ---- messages ------------------------------------------------------------------------------ */

/* The codes with words of the relay path's own (the catalogue's "relay.CODE"), NULL-terminated:
 * the outcomes of sign_relay_run and the portal's ticket codes. */
extern const char *const sign_relay_codes[];

/* The person's message for a code of the relay path (ours, the portal's — the ticket codes
 * and the catalogue's reason.CODE — or the card's): Turkish, then English, in out. portal is named
 * where the message needs it; server_message (the portal's own Turkish words, may be NULL) is
 * used for a code this agent does not know. min_version fills agent_outdated's. */
void sign_relay_message(const char *code, const char *portal, const char *server_message,
                        const char *min_version, char *out, size_t cap);

/* Turns the content to sign into text to show: valid UTF-8 without NUL, CR dropped, other
 * control characters but LF shown as a space. Returns 0 with out filled (a cap-bounded
 * ubuf), or -1 when the bytes are not text (the agent then refuses to sign what it cannot
 * show). */
int sign_relay_display_text(const unsigned char *p, size_t n, struct ubuf *out);

/* ---- the flow ---------------------------------------------------------------------------- */

struct sign_relay_config {
    const char *url;            /* the eimza: URL as the desktop passed it */
    const char *const *origins; /* the allow-list, normalised */
    size_t norigins;
    const char *module;      /* the PKCS#11 module's path */
    const char *token_label; /* NULL: the only card with a signing certificate */
    const char *ca_file;     /* NULL: the system's trust store */
    long timeout_s;          /* each HTTPS request's limit (0: 60 s) */
    struct sign_ui ui;       /* ask_pin is required; confirm may be NULL */
};

struct sign_relay_result {
    enum sign_relay_err err;
    char code[65];      /* the stable code of the outcome ("ok" on success) */
    char message[1536]; /* for the person: Turkish, then English */
    char detail[512];   /* English, for diagnostics (never the PIN or the content) */
    char portal[SIGN_ORIGIN_MAX];
    char number[33]; /* the application's number, once known */
    bool contacted;  /* a request reached the portal */
    bool reported;   /* the portal was told of a card-side failure */
};

/* Runs the relay flow once. Never retries a PIN; every failure after the claim is reported
 * to the portal (best effort) so the page can show it. Fills *res; returns res->err. */
enum sign_relay_err sign_relay_run(const struct sign_relay_config *cfg,
                                   struct sign_relay_result *res);

#endif
