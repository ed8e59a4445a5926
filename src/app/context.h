/* eimza — what every use case runs with (app/): one error type, the server's settings (made once
 * at start-up and never changed while requests run), and a context per request: the database
 * connection, the settings, the clock, the language, and who is acting.
 *
 * Who is acting comes in two parts. The credentials are what the request presented: a session
 * token (from `Authorization: Bearer` or a session cookie), whether it came in a cookie, whether
 * the request changes something, and the CSRF tokens it carries. app_authenticate() is the one
 * way an applicant or a staff member is let in: it turns the credentials into the session's
 * actor (who.kind), or refuses them; every use case that acts for someone reads c->who and
 * nothing else, so there is no second path around the session rules (idle and absolute end,
 * the kind of session, a disabled staff account, the CSRF rule for cookie sessions).
 *
 * The web layer makes a context per request (web/http/context.c); the tests make theirs by
 * hand. Nothing here includes the store's header: the connection is an opaque pointer, and the
 * views and commands the use cases take and give are app's own types (app/portal.h,
 * app/admin.h), so the layers above never see a database row.
 */
#ifndef EIMZA_APP_CONTEXT_H
#define EIMZA_APP_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/site.h"    /* the ministry's identity, the provinces' contacts */
#include "core/reason.h" /* enum core_lang: the language of people's text */
#include "core/rules.h"  /* struct core_rules: the guide's deadlines and code rules */

struct store;            /* one database connection (store/store.h), opaque above app */
struct crypto_verifier;  /* checks e-signatures (crypto/cms_verify.h) */
struct notify_templates; /* renders the messages kept unrendered (notify/templates.h) */
struct app_status_cache; /* the status answers kept for a moment (app/status_cache.h) */
struct ca;               /* an in-house CA that makes cards (ca/ca.h) */
struct crypto_seal_key;  /* the key secrets are sealed with at rest (crypto/seal.h) */
struct app_counters;     /* what this process counts for /metrics (app/ops.h) */

/* ---- errors --------------------------------------------------------------------------------
 * One error type for every use case. The web layer maps it in one place (web/http/error.h,
 * web_reply_app_error): the HTTP status from the class, and the body
 * {"error":{"code","message"[,"fields"][,"retry_after"][,"remaining_attempts"]}} with the
 * message from the catalogue (app/text.h, app_reason_text). */
enum app_status {
    APP_OK = 0,
    APP_EINVAL,       /* 400: bad input (per-field errors in fields[]) */
    APP_EAUTH,        /* 401: not logged in, or the login failed */
    APP_EFORBIDDEN,   /* 403 */
    APP_ENOTFOUND,    /* 404 */
    APP_ECONFLICT,    /* 409: the application is not at a step that allows this */
    APP_ETOOMANY,     /* 429: retry_after says when to try again */
    APP_EREJECTED,    /* 422: the content sent was refused (a signature that does not verify) */
    APP_EINTERNAL,    /* 500 (code NULL: the web layer's generic message) */
    APP_EUNAVAILABLE, /* 503 (code NULL and store_failed: the database failed) */
    APP_EGONE,        /* 410: what was asked for existed, and its time is over */
    APP_EOUTDATED     /* 426: the client is older than the server accepts */
};

#define APP_MAX_FIELD_ERRORS 32

struct app_field_error {
    const char *field; /* the JSON field name (static text or the request's) */
    const char *code;  /* a reason code */
};

struct app_err {
    enum app_status status;
    const char *code;    /* reason code (core/reason.h); NULL for a generic 500/503 */
    int64_t retry_after; /* seconds; > 0 with APP_ETOOMANY */
    int remaining;       /* wrong SMS code entries left (otp_wrong), -1 when not said */
    bool store_failed;   /* the database connection failed: do not reuse it */
    size_t nfields;
    struct app_field_error fields[APP_MAX_FIELD_ERRORS];
};

void app_err_clear(struct app_err *e);
/* Adds a per-field error (the first one per field wins; extra ones past the room are
 * dropped). */
void app_err_field(struct app_err *e, const char *field, const char *code);
/* The HTTP status of a class (400, 401, ...). */
unsigned app_status_http(enum app_status s);

/* ---- settings ------------------------------------------------------------------------------ */
#define APP_READERS_MAX 8
#define APP_PWHASH_MAX  128 /* an Argon2id hash string (libsodium crypto_pwhash_STRBYTES) */

/* How this deployment's cards are made (the setting `production`, app/card_flow.h). */
enum app_production {
    APP_PRODUCTION_BUREAU = 0, /* a card bureau (Kamu SM): batches out, its answer file in */
    APP_PRODUCTION_INHOUSE,    /* this institution's own CA makes them (ca/ca.h) */
};

/* The applicant portal's rules and limits. */
struct app_portal_cfg {
    struct core_rules rules;                   /* otp_*, deadlines, delivery_expected_days */
    int captcha_ttl;                           /* 300 s */
    int session_idle;                          /* 1200 s without a request ends a session */
    int session_lifetime;                      /* 28800 s: the absolute end, however active */
    int login_window;                          /* 900 s: the fixed window of the login counters */
    int login_max_per_addr;                    /* 30 failures per window from one address */
    int login_max_per_tckn;                    /* 5 failures per window for one T.C. Kimlik No */
    int captcha_max_per_addr;                  /* 300 captchas per login window from one address */
    const char *card_readers[APP_READERS_MAX]; /* models offered besides "none" */
    size_t ncard_readers;
    int remote_renewal_limit; /* 2: signature-only renewals in a row before the wet path; 0 none */
    enum app_production production; /* bureau (the default) or in-house */
    /* checks e-signatures (crypto/cms_verify.h); NULL: none can be accepted (503) */
    struct crypto_verifier *verifier;
};
/* The defaults above; readers "Mini Kart Okuyucu" and "Masaüstü Kart Okuyucu". Many people
 * share one address (a school behind one NAT), hence the generous per-address limit; the
 * per-person limit is the one that stops guessing. */
void app_portal_cfg_default(struct app_portal_cfg *c);
/* Checks a configured set: NULL, or why it does not hold together ("the portal's rules do not
 * fit together (...)", "session_idle is longer than session_lifetime"). */
const char *app_portal_cfg_check(const struct app_portal_cfg *c);
/* Sets the card readers offered from a comma-separated list ("A, B,C"): each name trimmed into
 * names[] (which must outlive c), empty names skipped. Returns 0, or -1 with the reason in err
 * (too long, more than APP_READERS_MAX, a name that is not UTF-8 or is "none"). */
int app_portal_cfg_readers(struct app_portal_cfg *c, const char *list, char *names, size_t namescap,
                           char *err, size_t errlen);

/* The staff login's rules (app/staff_auth.h says why these values). */
struct app_staff_cfg {
    int max_failures;              /* 5 failures of one name from one address in a window ... */
    int lockout_seconds;           /* ... (the window: 900 s) make that name wait there */
    int max_per_addr;              /* 20 failed staff logins per window from one address */
    bool dev;                      /* --dev: TOTP not required for accounts without it */
    int session_idle;              /* 900 s without a request ends a staff session */
    int session_lifetime;          /* 28800 s: the absolute end */
    unsigned long long pwhash_ops; /* Argon2id passes (crypto_pwhash_OPSLIMIT_INTERACTIVE) */
    size_t pwhash_mem;             /* bytes (crypto_pwhash_MEMLIMIT_INTERACTIVE) */
    /* A hash of a random password with the same cost, verified for unknown user names so
     * that they take as long as known ones. Made by app_staff_cfg_default / _rehash_dummy. */
    char dummy_hash[APP_PWHASH_MAX];
};
/* The defaults above, and a dummy hash at that cost. Returns 0, or -1 when libsodium cannot
 * start or hashing fails (no memory). */
int app_staff_cfg_default(struct app_staff_cfg *c);
/* Makes dummy_hash again after pwhash_ops/pwhash_mem were changed. Returns 0 or -1. */
int app_staff_cfg_rehash_dummy(struct app_staff_cfg *c);
/* Checks a configured set: NULL, or a reason code ("staff_cfg": a count or time < 1, or a cost
 * below libsodium's minimum). */
const char *app_staff_cfg_check(const struct app_staff_cfg *c);

/* At most `slots` password hashes at once (app/hash_gate.c says why): a login that finds
 * none free is refused at once rather than made to wait. A NULL gate lets every hash run. */
struct app_hash_gate;
struct app_hash_gate *app_hash_gate_new(int slots); /* slots < 1: 1; NULL when out of memory */
void app_hash_gate_free(struct app_hash_gate *g);
bool app_hash_gate_enter(struct app_hash_gate *g); /* false: none free; never waits */
void app_hash_gate_leave(struct app_hash_gate *g); /* after a successful enter */
int app_hash_gate_slots(const struct app_hash_gate *g);
/* Signing through the relay (app/relay.h): the tickets' lives and the agents accepted. */
struct app_relay_cfg {
    int ticket_ttl;       /* 120 s: an issued ticket waits this long for its agent */
    int claim_ttl;        /* 600 s: a claimed one this long for the signature */
    char min_version[32]; /* the oldest agent accepted (dotted numbers); "" = any */
    char portal[256];     /* the portal's https origin, for the eimza: URL; "" = no relay */
};

/* How long personal data is kept (KVKK; app/retention.h, the retention_* settings). */
struct app_retention_cfg {
    int messages_days;  /* a delivered message's recipient and contents */
    int contact_years;  /* a closed application's contact data; the applicants' logins */
    int draft_days;     /* a draft never submitted, after its last change */
    int evidence_years; /* the registration evidence, past the certificate's end (>= 7) */
};

/* Everything the use cases of one server read, hung on the server object (web/http/server.h)
 * and made by `eimza serve` (cli/cmd_serve.c) before the server's threads exist. The objects
 * it points to are its own: app_settings_free releases them. */
struct app_settings {
    struct app_portal_cfg portal;
    struct app_staff_cfg staff;
    struct app_relay_cfg relay;            /* signing through the relay */
    struct app_retention_cfg retention;    /* how long personal data is kept */
    bool dev;                              /* development mode: the development outbox is open */
    char portal_url[512];                  /* the link in messages, for the outbox views */
    char reader_names[512];                /* what portal.card_readers point into */
    struct notify_templates *templates;    /* NULL: the outbox views show messages unrendered */
    struct app_status_cache *status_cache; /* NULL: every status answer is read afresh */
    struct app_site site;                  /* the ministry's name and logo, the contacts */
    /* in-house production (app/card_flow.h): the engine, opened by `eimza serve` when
     * production is inhouse (NULL otherwise; app_settings_free closes it); the subject of its
     * CA certificate as the store keeps issuers (so its own certificates are known); the key
     * type of new cards (enum ca_key_type); the key that seals a new card's PIN until its
     * holder takes it (libsodium AEAD; from the secrets file, never stored) */
    struct ca *ca;
    char ca_issuer[512];
    int ca_key_type;
    unsigned char pin_key[32];
    bool has_pin_key;
    struct app_hash_gate *hash_gate; /* NULL: password hashes unbounded (tools, tests) */
    /* secrets kept at rest (TOTP secrets, SMS codes waiting to be sent) are sealed with it
     * (crypto/seal.h; the secret_key setting, or the development key under --dev); NULL: none
     * configured, and storing such a secret is refused (503 secret_key_missing) */
    struct crypto_seal_key *seal_key;
    struct app_counters *counters; /* NULL: nothing counted (app/ops.h) */
};
/* The defaults (app_portal_cfg_default, app_staff_cfg_default, app_site_default), no
 * verifier, templates or cache. Returns 0, or -1 when the staff settings cannot be made (libsodium,
 * memory). */
int app_settings_default(struct app_settings *s);
/* Sets the key secrets are sealed with from the secret_key setting's text (base64 of 32
 * bytes); "" or NULL: under dev the published development key, else none (s->seal_key NULL).
 * Returns 0, or -1 with the reason in err (not such a key, out of memory). */
int app_settings_seal_key(struct app_settings *s, const char *text, bool dev, char *err,
                          size_t errlen);
/* Frees the verifier, the templates, the status cache, the hash gate, the key and the site's
 * files; s can be made again. */
void app_settings_free(struct app_settings *s);

/* ---- who is acting ------------------------------------------------------------------------- */
#define APP_TOKEN_LEN    43 /* base64url of 256 random bits */
#define APP_CSRF_LEN     32 /* base64url of 192 random bits */
#define APP_HASH_HEX     64 /* SHA-256 in lower-case hex */
#define APP_USERNAME_MAX 64

enum app_actor_kind { APP_ACTOR_NONE = 0, APP_ACTOR_APPLICANT, APP_ACTOR_STAFF };

/* A session as app keeps it for the request (only the SHA-256 of its token is ever stored). */
struct app_session {
    char token_hash[APP_HASH_HEX + 1];
    char subject[64]; /* the applicant's T.C. Kimlik No, or the staff user name */
    char csrf[64];    /* the session's CSRF token, for the forms of its pages */
    int64_t created_at, last_seen, expires_at;
    int64_t application_id; /* an applicant's session: its application (0: none yet) */
};

/* A staff member as the use cases see them. */
struct app_staff {
    char username[APP_USERNAME_MAX];
    char role[16]; /* approver | operator | admin */
    int province;  /* approver: 1..81; others 0 */
};

struct app_actor {
    enum app_actor_kind kind; /* NONE until app_authenticate accepted the credentials */
    struct app_session session;
    struct app_staff staff; /* kind STAFF */
};

/* What the request presented. The strings belong to the request. */
struct app_credentials {
    const char *token;       /* the session token; NULL when none */
    bool by_cookie;          /* it came in a cookie (a browser adds those by itself) */
    bool changes;            /* the request changes something (any method but GET and HEAD) */
    const char *csrf_header; /* X-CSRF-Token; NULL when absent */
    const char *csrf_form;   /* a page's hidden form field; NULL when absent */
};

struct app_ctx {
    struct store *db;               /* this request's connection */
    const struct app_settings *set; /* the server's settings */
    int64_t now;                    /* Unix seconds: the clock is the caller's */
    enum core_lang lang;            /* of the texts a use case writes (status, labels) */
    const char *client_addr;        /* keys the per-address login limit; NULL: "unknown" */
    struct app_credentials cred;
    struct app_actor who; /* set by app_authenticate */
};

/* The one way in: the session of c->cred.token must exist, be of `kind`, and be neither idle
 * too long nor past its end (an expired one is removed); a staff session's account must still
 * exist and not be disabled. last_seen moves on (written at most once a minute). A request
 * that changes something, authenticated by a cookie, must also carry the session's CSRF token
 * (header or form field), else 403 csrf_invalid; a Bearer token needs none, as a browser never
 * adds it by itself. On success c->who is the actor; otherwise 401 session_required (or the
 * store's failure) and c->who is left empty. */
enum app_status app_authenticate(struct app_ctx *c, enum app_actor_kind kind, struct app_err *err);
/* Seconds until the applicant's session of c ends unless a request comes: the idle end or the
 * absolute end, whichever is first; 0 without an applicant. For the pages' warning. */
int64_t app_session_left(const struct app_ctx *c);
/* "Oturumu uzat": the applicant's session was used now (last_seen written at once, not at most
 * once a minute as app_authenticate does), *left the seconds it now has (app_session_left).
 * The absolute end does not move. */
enum app_status app_session_extend(struct app_ctx *c, int64_t *left, struct app_err *err);
/* Ends the authenticated session of c (app_authenticate first). */
enum app_status app_logout(struct app_ctx *c, struct app_err *err);
/* Compares a CSRF token with the session's in constant time; false for NULL or "". */
bool app_csrf_ok(const struct app_session *ss, const char *token);

#endif
