/* eimza — the applicant portal's use cases (app/): captcha, login and sessions, the
 * application form, the SMS code, the content to sign, the signing method and the status.
 * The JSON API (web/api/portal.c) and the pages both call these, so every rule lives here.
 *
 * Every function takes the store, the portal's settings and "now" (Unix seconds) from its
 * caller, and draws randomness from util/rand.h, so the rules can be tested with any clock.
 * Each returns APP_OK or fills *err (which it always clears first) and returns err->status.
 * Personal data never reaches a log line in full, and secrets (security word, SMS code,
 * session token) never at all; only hashes of them are stored.
 */
#ifndef EIMZA_APP_PORTAL_H
#define EIMZA_APP_PORTAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/appstate.h"
#include "core/reason.h"
#include "core/rules.h"
#include "store/store.h"
#include "util/buf.h"

/* ---- errors --------------------------------------------------------------------------------
 * One error type for every use case. The web layer maps it in one place (web/http/error.h,
 * web_reply_app_error): the HTTP status from the class, and the body
 * {"error":{"code","message"[,"fields"][,"retry_after"][,"remaining_attempts"]}} with the
 * message from core_reason_message(code). */
enum app_status {
    APP_OK = 0,
    APP_EINVAL,      /* 400: bad input (per-field errors in fields[]) */
    APP_EAUTH,       /* 401: not logged in, or the login failed */
    APP_EFORBIDDEN,  /* 403 */
    APP_ENOTFOUND,   /* 404 */
    APP_ECONFLICT,   /* 409: the application is not at a step that allows this */
    APP_ETOOMANY,    /* 429: retry_after says when to try again */
    APP_EREJECTED,   /* 422: the content sent was refused (a signature that does not verify) */
    APP_EINTERNAL,   /* 500 (code NULL: the web layer's generic message) */
    APP_EUNAVAILABLE /* 503 (code NULL and store_failed: the database failed) */
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
struct crypto_verifier; /* crypto/cms_verify.h */
#define APP_READERS_MAX 8

struct app_portal_cfg {
    struct core_rules rules;                   /* otp_*, deadlines, delivery_expected_days */
    int captcha_ttl;                           /* 300 s */
    int session_idle;                          /* 1200 s without a request ends a session */
    int session_lifetime;                      /* 28800 s: the absolute end, however active */
    int login_window;                          /* 900 s: the fixed window of the login counters */
    int login_max_per_addr;                    /* 30 failures per window from one address */
    int login_max_per_tckn;                    /* 5 failures per window for one T.C. Kimlik No */
    const char *card_readers[APP_READERS_MAX]; /* models offered besides "none" */
    size_t ncard_readers;
    int remote_renewal_limit; /* 2: signature-only renewals in a row before the wet path; 0 none */
    /* checks e-signatures (crypto/cms_verify.h); NULL: none can be accepted (503) */
    struct crypto_verifier *verifier;
};
/* The defaults above; readers "Mini Kart Okuyucu" and "Masaüstü Kart Okuyucu". Many people
 * share one address (a school behind one NAT), hence the generous per-address limit; the
 * per-person limit is the one that stops guessing. */
void app_portal_cfg_default(struct app_portal_cfg *c);

/* ---- captcha ------------------------------------------------------------------------------- */
#define APP_CAPTCHA_LEN      5
#define APP_CAPTCHA_ALPHABET "ABCDEFGHJKMNPRSTUVYZ23456789" /* no look-alikes (0/O, 1/I/L) */
#define APP_CAPTCHA_ID_LEN   32                             /* hex of 128 random bits */

struct app_captcha {
    char id[APP_CAPTCHA_ID_LEN + 1];
    char text[APP_CAPTCHA_LEN + 1];
    uint64_t seed; /* for drawing: the same captcha always looks the same */
    int64_t expires_at;
};
/* A new captcha, valid cfg->captcha_ttl seconds. Old ones are purged on the way. */
enum app_status app_captcha_new(struct store *s, const struct app_portal_cfg *cfg, int64_t now,
                                struct app_captcha *out, struct app_err *err);
/* A captcha that can still be answered (known, unused, not expired), without using it up:
 * for its picture, its sound and the development route. APP_ENOTFOUND otherwise. */
enum app_status app_captcha_peek(struct store *s, const char *id, int64_t now,
                                 struct app_captcha *out, struct app_err *err);
/* Uses the captcha up, whatever the answer (single use), and compares case-insensitively.
 * captcha_expired for an unknown, used or expired one; captcha_wrong for a wrong answer. */
enum app_status app_captcha_check(struct store *s, const char *id, const char *answer, int64_t now,
                                  struct app_err *err);

/* ---- login and sessions -------------------------------------------------------------------- */
#define APP_TOKEN_LEN 43 /* base64url of 256 random bits */
#define APP_CSRF_LEN  32 /* base64url of 192 random bits */

struct app_login_req {
    const char *tckn, *first_name, *last_name, *birth_place, *birth_date; /* YYYY-MM-DD */
    const char *captcha_id, *captcha_answer;
};
struct app_login_ok {
    char token[APP_TOKEN_LEN + 1]; /* give to the client; only its SHA-256 is stored */
    char csrf[APP_CSRF_LEN + 1];
    int64_t expires_at; /* the session's absolute end */
};
/* Step 1. The captcha is used up first, whatever happens next. Malformed fields are a 400
 * invalid_fields (that says nothing about the records); then the lock-outs (429
 * too_many_attempts with retry_after; each lock-out is audited); then a wrong captcha (400);
 * then the identity: the personnel record's first name, last name and birth place compared
 * with Turkish case folding and the birth date exactly. Any identity failure, whichever field
 * and whether a record exists at all, is the same 401 login_failed after the same work.
 * client_addr keys the per-address limit (may be NULL: "unknown"). */
enum app_status app_login(struct store *s, const struct app_portal_cfg *cfg,
                          const struct app_login_req *rq, const char *client_addr, int64_t now,
                          struct app_login_ok *out, struct app_err *err);

/* The session of a token (from Authorization: Bearer or the cookie): it must exist, be an
 * applicant's, and be neither idle too long nor past its end; last_seen moves on (written at
 * most once a minute). 401 session_required otherwise. */
enum app_status app_session_auth(struct store *s, const struct app_portal_cfg *cfg,
                                 const char *token, int64_t now, struct store_session *out,
                                 struct app_err *err);
/* Compares a CSRF token with the session's in constant time; false for NULL or "". */
bool app_csrf_ok(const struct store_session *ss, const char *token);
/* Ends the session of a token (unknown tokens are fine). */
enum app_status app_logout(struct store *s, const char *token, struct app_err *err);

/* ---- the application form ------------------------------------------------------------------ */
enum app_field {
    /* read-only: sent back unchanged they are accepted, changed they are refused */
    APP_F_NUMBER = 0,
    APP_F_STATE,
    APP_F_TCKN, /* shown masked; the masked or the full number counts as unchanged */
    APP_F_FIRST_NAME,
    APP_F_LAST_NAME,
    APP_F_BIRTH_PLACE,
    APP_F_BIRTH_DATE,
    APP_F_INSTITUTION_NAME,
    APP_F_REGISTRY_NO,
    /* editable */
    APP_F_REASON,
    APP_F_CARD_READER,
    APP_F_VALIDITY_YEARS,
    APP_F_SECURITY_WORD, /* write-only */
    APP_F_SECURITY_WORD_REPEAT,
    APP_F_UNIT,
    APP_F_TITLE,
    APP_F_ADDRESS,
    APP_F_PROVINCE,
    APP_F_DISTRICT,
    APP_F_POSTAL_CODE,
    APP_F_EMAIL,
    APP_F_WORK_PHONE,
    APP_F_WORK_PHONE_EXT,
    APP_F_MOBILE_PHONE,
    APP_F_MOBILE_OPERATOR,
    APP_F_HOME_PHONE,
    APP_F_NOTIFY_BY,
    APP_F__COUNT
};
const char *app_field_name(enum app_field f); /* "postal_code", ... */
int app_field_lookup(const char *name);       /* the field, or -1 */
bool app_field_read_only(enum app_field f);

/* A submitted form: v[f] is the field's text, NULL when the field was not sent (it keeps its
 * saved value). pre[] carries errors the caller found while decoding (a value of the wrong
 * type, an unknown field); they are reported with the rest. */
struct app_form {
    const char *v[APP_F__COUNT];
    struct app_field_error pre[8];
    size_t npre;
};

/* What the form shows besides the application itself. */
struct app_view {
    struct store_application app;
    bool has_record; /* a personnel record exists */
    unsigned inelig; /* core_eligibility() bits today; 0: eligible */
    bool has_cert;   /* a current certificate is known */
    int64_t cert_not_after;
    enum core_phase phase; /* of the current certificate now (expired when there is none) */
    unsigned methods;      /* core_allowed_methods(phase) */
    bool security_word_set;
    const char *notices[4]; /* reason codes to show (renewal_not_open, late, ...) */
    size_t nnotices;
    char csrf[STORE_TOKEN_MAX]; /* the session's CSRF token, for forms and cookie clients */
};

/* Step 2. The current application: the newest one that is still going, or a new draft
 * pre-filled from the personnel record and the current certificate. The session is bound to
 * it. */
enum app_status app_application_current(struct store *s, const struct app_portal_cfg *cfg,
                                        const struct store_session *ss, int64_t now,
                                        struct app_view *out, struct app_err *err);
/* Validates and saves the form; valid, it is confirmed. Fields not sent keep their value.
 * 400 invalid_fields with per-field codes; 409 wrong_state past the code step. Editing after
 * the code was verified moves the application back to draft (event reopen). The security
 * word is stored only as an Argon2id hash; sent empty it keeps the saved one. */
enum app_status app_application_update(struct store *s, const struct app_portal_cfg *cfg,
                                       const struct store_session *ss, const struct app_form *f,
                                       int64_t now, struct app_view *out, struct app_err *err);

/* ---- the SMS code -------------------------------------------------------------------------- */
struct app_otp_sent {
    char masked_phone[CORE_PHONE_LEN + 1]; /* "5*******67" */
    int expires_in;                        /* seconds */
    int64_t expires_at;
    int resend_in; /* seconds until another code may be asked for */
};
/* Step 3: a 6-digit code from the CSPRNG to the mobile number on the personnel record,
 * through the outbox. Needs a confirmed form in draft. 429 otp_cooldown / otp_hourly_limit /
 * otp_locked with retry_after. */
enum app_status app_otp_send(struct store *s, const struct app_portal_cfg *cfg,
                             const struct store_session *ss, int64_t now, struct app_otp_sent *out,
                             struct app_err *err);
/* What the SMS page shows (for display only; sending and checking are the calls above and
 * below): the number on file, masked; whether a code can be entered now and for how long;
 * when another may be asked for; and when entries are locked. */
struct app_otp_state {
    bool has_phone;
    char masked_phone[CORE_PHONE_LEN + 1];
    bool live;          /* a code was sent, has not expired and entries are not locked */
    int64_t expires_in; /* seconds left of the live code */
    int64_t resend_in;  /* seconds until another code may be asked for (0: now) */
    int64_t locked_for; /* seconds until entries are accepted again (0: not locked) */
};
enum app_status app_otp_status(struct store *s, const struct app_portal_cfg *cfg,
                               const struct store_session *ss, int64_t now,
                               struct app_otp_state *out, struct app_err *err);
/* Step 4: the right code moves the application to code_verified; a wrong one is 400 otp_wrong
 * with err->remaining; none valid or expired is 400 otp_expired; after otp_max_wrong wrong
 * entries in the hour every entry is 429 otp_locked, new code or not. */
enum app_status app_otp_verify(struct store *s, const struct app_portal_cfg *cfg,
                               const struct store_session *ss, const char *code, int64_t now,
                               struct app_err *err);

/* ---- content, method, status --------------------------------------------------------------- */
/* The exact bytes to sign (core/content.h), once the code is verified (409 wrong_state
 * before). Appended to out. */
enum app_status app_content(struct store *s, const struct store_session *ss, struct ubuf *out,
                            struct app_err *err);

/* ---- signing (steps 6-7) ------------------------------------------------------------------
 * The e-signature: a DER CMS (detached or attached) over exactly app_content's bytes, checked by
 * cfg->verifier (crypto/cms_verify.h) in its fixed order. Allowed in code_verified when the
 * method is esign or not chosen yet and the certificate still allows it (409 wrong_state /
 * signing_method_not_allowed otherwise); a refused signature is a 422 with the verifier's code
 * (malformed, content_mismatch, signature_invalid, chain_untrusted, certificate_expired,
 * certificate_not_yet_valid, not_qualified, key_usage, tckn_mismatch, certificate_revoked,
 * revocation_unknown) and is audited. An accepted one is kept as evidence (the CMS as sent, the
 * content, each check's outcome, the OCSP response) with the signer's certificate, and moves the
 * application to submitted, all in one transaction. 503 verification_unavailable without a
 * verifier. out (may be NULL) gets the saved application. */
#define APP_SIGNATURE_MAX (256 * 1024) /* bytes of CMS accepted */
enum app_status app_signature_submit(struct store *s, const struct app_portal_cfg *cfg,
                                     const struct store_session *ss, const unsigned char *cms,
                                     size_t len, int64_t now, struct store_application *out,
                                     struct app_err *err);
/* The printable form for the wet signature (Yöntem 2, app/wetform.h): in code_verified it
 * first chooses the wet method (as app_method_choose "wet" does: awaiting_original), in
 * awaiting_original it prints the form again; other states are 409 wrong_state. *pdf (free())
 * and *len get the PDF. */
enum app_status app_wet_form(struct store *s, const struct app_portal_cfg *cfg,
                             const struct store_session *ss, int64_t now, unsigned char **pdf,
                             size_t *len, struct app_err *err);

/* Step 5: "esign" keeps code_verified until the signature arrives; "wet" moves to
 * awaiting_original. Once the certificate has expired only "wet" is allowed (409
 * signing_method_not_allowed). out (may be NULL) gets the saved application. */
enum app_status app_method_choose(struct store *s, const struct app_portal_cfg *cfg,
                                  const struct store_session *ss, const char *method, int64_t now,
                                  struct store_application *out, struct app_err *err);

#define APP_STATUS_EVENTS_MAX 64
struct app_status_event {
    int64_t at;
    char from[24], to[24], event[24];
    const char *label; /* in the view's lang */
};
struct app_status_view {
    enum core_lang lang; /* of next, contact and the events' labels */
    struct store_application app;
    const char *label;          /* the state's label, in lang */
    const char *next;           /* what happens next, in lang */
    const char *contact;        /* whom to call, in lang */
    bool delivery_overdue;      /* approved more than delivery_expected_days ago, no card yet */
    char rejection_reason[512]; /* rejected: the approver's reason as written; "" otherwise */
    size_t nevents;
    struct app_status_event events[APP_STATUS_EVENTS_MAX]; /* oldest first */
    /* set by app_status_by_token, for a cache of the answer (store.h, change generations):
     * the session's token hash, the generations taken before reading, and the time until
     * which the session stays valid without a write */
    char token_hash[STORE_HASH_HEX + 1];
    uint64_t gen_session, gen_apps;
    int64_t quiet_until;
};
/* The status in the language asked for. */
enum app_status app_status_get(struct store *s, const struct app_portal_cfg *cfg,
                               const struct store_session *ss, int64_t now, enum core_lang lang,
                               struct app_status_view *out, struct app_err *err);
/* The label of a timeline event code ("created", "code_verified", ...) in a language; the
 * code itself when unknown. */
const char *app_event_label(const char *event, enum core_lang lang);
/* The status page's whole read for a session token: app_session_auth and app_status_get in
 * one read snapshot of the store (one read lock on SQLite instead of one per statement), the
 * session's last_seen written after it when due. */
/* The SHA-256 (hex) under which the session of a token is kept: what a cache of its answers
 * is keyed by. -1 for a token that cannot be one. */
int app_token_hash(const char *token, char out[STORE_HASH_HEX + 1]);
enum app_status app_status_by_token(struct store *s, const struct app_portal_cfg *cfg,
                                    const char *token, int64_t now, enum core_lang lang,
                                    struct app_status_view *out, struct app_err *err);
const char *app_event_label_tr(const char *event);

#endif
