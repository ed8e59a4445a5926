/* eimza — the applicant portal's use cases (app/): captcha, login, the application form, the
 * SMS code, the content to sign, the signing method and the status. The JSON API
 * (web/api/portal.c) and the pages (web/pages/) both call these, so every rule lives here.
 *
 * Every function takes a context (app/context.h): the connection, the settings, "now" (Unix
 * seconds) and, for everything after the login, the applicant app_authenticate() let in
 * (c->who; a context without one is a 401 session_required). Randomness comes from
 * util/rand.h, so the rules can be tested with any clock. Each returns APP_OK or fills *err
 * (which it always clears first) and returns err->status. What the use cases give back are
 * app's own views (struct app_application, struct app_view, ...), never the store's rows.
 * Personal data never reaches a log line in full, and secrets (security word, SMS code,
 * session token) never at all; only hashes of them are stored.
 */
#ifndef EIMZA_APP_PORTAL_H
#define EIMZA_APP_PORTAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/context.h"
#include "core/appstate.h"
#include "core/date.h"
#include "core/personnel.h"
#include "core/reason.h"
#include "core/rules.h"
#include "util/buf.h"

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
/* A new captcha, valid captcha_ttl seconds. Old ones are purged on the way. At most
 * captcha_max_per_addr per login window from c->client_addr (NULL counts as "unknown"): past
 * it 429 too_many_attempts with retry_after, nothing drawn or stored (issue 19, finding 6). */
enum app_status app_captcha_new(const struct app_ctx *c, struct app_captcha *out,
                                struct app_err *err);
/* A captcha that can still be answered (known, unused, not expired), without using it up:
 * for its picture, its sound and the development route. APP_ENOTFOUND otherwise. With
 * c->client_addr set (the picture and the sound), looks are counted per address: past four
 * per captcha the address may have, 429 too_many_attempts. */
enum app_status app_captcha_peek(const struct app_ctx *c, const char *id, struct app_captcha *out,
                                 struct app_err *err);
/* Uses the captcha up, whatever the answer (single use), and compares case-insensitively.
 * captcha_expired for an unknown, used or expired one; captcha_wrong for a wrong answer. */
enum app_status app_captcha_check(const struct app_ctx *c, const char *id, const char *answer,
                                  struct app_err *err);

/* ---- login -------------------------------------------------------------------------------- */
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
 * with Turkish case folding, the dotted and dotless i taken as one (core_tr_equal_i), and the
 * birth date exactly. Spaces typed inside the T.C. Kimlik No are dropped. Any identity failure,
 * whichever field and whether a record exists at all, is the same 401 login_failed after the same
 * work. c->client_addr keys the per-address limit (NULL: "unknown"). */
enum app_status app_login(const struct app_ctx *c, const struct app_login_req *rq,
                          struct app_login_ok *out, struct app_err *err);

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
/* The identity fields, the institution's, and the mobile number: the personnel record's, shown
 * locked (the SMS code goes to the number on record, so a number typed into the form would
 * lead nowhere; the personnel unit corrects the record). Sent back unchanged they are
 * accepted; changed, they are refused with read_only. */
bool app_field_read_only(enum app_field f);

/* The limits of the form's texts, in characters: the same numbers in the checks, in the pages'
 * maxlength and hints, and in the fields' messages (po/: "field.NAME.too_long"; a unit test
 * holds the messages to these numbers). */
#define APP_SECURITY_WORD_MIN 6
#define APP_SECURITY_WORD_MAX 32
#define APP_UNIT_MAX          120
#define APP_TITLE_MAX         60
#define APP_ADDRESS_MAX       250
#define APP_DISTRICT_MAX      60
#define APP_EMAIL_MAX         254
/* The limit of a field in characters; 0 when it has none of its own. */
int app_field_max_chars(enum app_field f);

/* A submitted form: v[f] is the field's text, NULL when the field was not sent (it keeps its
 * saved value). pre[] carries errors the caller found while decoding (a value of the wrong
 * type, an unknown field); they are reported with the rest. */
struct app_form {
    const char *v[APP_F__COUNT];
    struct app_field_error pre[8];
    size_t npre;
};

/* An application as the layers above app see it: the form's fields, where it stands, and
 * neither the full T.C. Kimlik No nor the security word's hash. */
#define APP_NUMBER_LEN 10 /* the application number: Crockford base32 */
struct app_application {
    int64_t id;
    char number[APP_NUMBER_LEN + 1];
    char tckn_masked[CORE_TCKN_LEN + 1]; /* "100******46" */
    char state[24];                      /* its code: core_app_state_code() */
    enum core_app_state st;              /* the same, parsed */
    bool confirmed;
    /* read-only: from the personnel record when the draft was made */
    char first_name[CORE_NAME_MAX];
    char last_name[CORE_NAME_MAX];
    char birth_place[CORE_NAME_MAX];
    char birth_date[CORE_DATE_STRLEN + 1]; /* YYYY-MM-DD, "" when unknown */
    char institution_name[CORE_TEXT_MAX];
    char registry_no[CORE_CODE_MAX];
    /* the form */
    char reason[16]; /* renewal | lost_stolen | other */
    char card_reader[64];
    int validity_years;
    char unit[CORE_TEXT_MAX];
    char title[CORE_NAME_MAX];
    char address[512];
    int province; /* 0: not given */
    char district[CORE_NAME_MAX];
    char postal_code[8];
    char email[CORE_EMAIL_MAX];
    char work_phone[CORE_PHONE_LEN + 1];
    char work_phone_ext[8];
    char mobile_phone[CORE_PHONE_LEN + 1];
    char mobile_operator[16];
    char home_phone[CORE_PHONE_LEN + 1];
    char notify_by[8]; /* email | sms | both */
    char method[8];    /* "" | esign | wet */
    bool late;
    int64_t cert_not_after; /* 0: no certificate */
    int64_t created_at, updated_at;
    /* after the decision (app/card_flow.h) */
    int64_t approved_at;     /* 0: never approved */
    char closed_reason[512]; /* a cancellation's reason as staff gave it; "" otherwise */
    bool has_new_cert;       /* the new certificate is linked to it */
};

/* What the form shows besides the application itself. */
struct app_view {
    struct app_application app;
    bool has_record;             /* a personnel record exists */
    int approver_province;       /* whose approvers decide: the record's province, else the
                                    form's (0: none known); its directorate takes the paper */
    unsigned inelig;             /* core_eligibility() bits today; 0: eligible */
    const char *inelig_codes[8]; /* their reason codes, in order (core_inelig_code) */
    size_t ninelig;
    bool has_cert; /* a current certificate is known */
    int64_t cert_not_after;
    enum core_phase phase;  /* of the current certificate now (expired when there is none) */
    const char *phase_code; /* core_phase_code(phase) */
    unsigned methods;       /* core_allowed_methods(phase) */
    bool security_word_set;
    const char *notices[4]; /* reason codes to show (renewal_not_open, late, ...) */
    size_t nnotices;
    char csrf[64]; /* the session's CSRF token, for forms and cookie clients */
};

/* Step 2. The current application: the newest one. A person who has none gets a new draft
 * pre-filled from the personnel record and the current certificate; one whose newest is
 * rejected, cancelled or completed gets that one as it is (its decision stays visible), and
 * starts a new application with app_application_start (app/card_flow.h). The session is
 * bound to it. */
enum app_status app_application_current(const struct app_ctx *c, struct app_view *out,
                                        struct app_err *err);
/* The province of the logged-in applicant's personnel record (whose DYS unit they turn to); 0
 * when there is none or no applicant. Reads only. */
int app_applicant_province(const struct app_ctx *c);
/* Validates and saves the form; valid, it is confirmed (and its draft, if any, removed in the
 * same transaction). Fields not sent keep their value.
 * 400 invalid_fields with per-field codes; 409 wrong_state past the code step. Editing after
 * the code was verified moves the application back to draft (event reopen). The security
 * word is stored only as an Argon2id hash; sent empty it keeps the saved one. */
enum app_status app_application_update(const struct app_ctx *c, const struct app_form *f,
                                       struct app_view *out, struct app_err *err);

/* ---- the form's draft (issue 17) -----------------------------------------------------------
 * What an applicant typed into the form and has not saved yet, kept on the server so that a
 * session that times out (or a browser closed) loses nothing: the page's "Taslak olarak
 * kaydet" button and its script (session.js, while the person types) save it; the form shows
 * it again, over the saved application, until the form is saved (which removes it). Only the
 * editable fields, never the security word; each value UTF-8 and cut to the field's limit.
 * The application must still be editable (draft or code verified; 409 wrong_state). */
#define APP_DRAFT_VALUE_MAX 1024 /* bytes of one field's value, NUL included */
struct app_draft {
    bool present;
    int64_t saved_at;
    bool has[APP_F__COUNT]; /* the field was in the draft */
    char v[APP_F__COUNT][APP_DRAFT_VALUE_MAX];
};
/* Saves f (fields not sent are left out of the draft). 400 not_utf8 for a value that is not
 * text. */
enum app_status app_form_draft_save(const struct app_ctx *c, const struct app_form *f,
                                    struct app_err *err);
/* The session's application's draft (out->present false when there is none). */
enum app_status app_form_draft_get(const struct app_ctx *c, struct app_draft *out,
                                   struct app_err *err);

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
enum app_status app_otp_send(const struct app_ctx *c, struct app_otp_sent *out,
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
enum app_status app_otp_status(const struct app_ctx *c, struct app_otp_state *out,
                               struct app_err *err);
/* Step 4: the right code moves the application to code_verified; a wrong one is 400 otp_wrong
 * with err->remaining; none valid or expired is 400 otp_expired; after otp_max_wrong wrong
 * entries in the hour every entry is 429 otp_locked, new code or not. */
enum app_status app_otp_verify(const struct app_ctx *c, const char *code, struct app_err *err);

/* ---- content, method, status --------------------------------------------------------------- */
/* The exact bytes to sign (core/content.h), once the code is verified (409 wrong_state
 * before). Appended to out. */
enum app_status app_content(const struct app_ctx *c, struct ubuf *out, struct app_err *err);

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
enum app_status app_signature_submit(const struct app_ctx *c, const unsigned char *cms, size_t len,
                                     struct app_application *out, struct app_err *err);
/* The printable form for the wet signature (Yöntem 2, app/wetform.h): in code_verified it
 * first chooses the wet method (as app_method_choose "wet" does: awaiting_original), in
 * awaiting_original it prints the form again; other states are 409 wrong_state. *pdf (free())
 * and *len get the PDF. */
enum app_status app_wet_form(const struct app_ctx *c, unsigned char **pdf, size_t *len,
                             struct app_err *err);

/* Step 5: "esign" keeps code_verified until the signature arrives; "wet" moves to
 * awaiting_original. Once the certificate has expired only "wet" is allowed (409
 * signing_method_not_allowed). out (may be NULL) gets the saved application. */
enum app_status app_method_choose(const struct app_ctx *c, const char *method,
                                  struct app_application *out, struct app_err *err);

/* What the status shows of the application's way after the decision (app/card_flow.c). */
enum app_pin_state {
    APP_PIN_NONE = 0, /* no card yet, or not one made in house */
    APP_PIN_WAITING,  /* the card's PIN can be taken on the portal (app_pin_*) */
    APP_PIN_SHOWN,    /* it was shown once and is gone */
    APP_PIN_BUREAU,   /* the card bureau sends the PIN itself */
};
struct app_flow_view {
    int64_t closed_at;    /* when it was rejected, cancelled or completed; 0 otherwise */
    bool closed_by_staff; /* cancelled: by an operator (closed_reason says why), not the holder */
    const char *advice;   /* rejected or cancelled: what to do and which office fixes what */
    bool can_start_new;   /* a new application may be started now */
    bool can_cancel;      /* the holder may cancel it now (before the decision) */
    bool can_confirm;     /* the holder may confirm the card's delivery */
    bool can_try_card;    /* the holder may try the new card (app_card_test_*) */
    bool has_card;
    char card_state[12]; /* produced, shipped, ... */
    char carrier[64];
    char tracking_number[64];
    char new_serial[130];   /* the new certificate's serial; "" when none is linked */
    int64_t new_not_before; /* and its validity */
    int64_t new_not_after;
    bool cert_later; /* completed, but the new certificate is valid only from new_not_before:
                      * the card is the holder's, not in use yet (app_status_get) */
    enum app_pin_state pin;
    const char *pin_note; /* how the holder gets the PIN, in the view's language */
};

#define APP_STATUS_EVENTS_MAX 64
struct app_status_event {
    int64_t at;
    char from[24], to[24], event[24];
    const char *label; /* in the view's lang */
};
struct app_status_view {
    enum core_lang lang; /* of next, contact and the events' labels */
    /* the application as the status shows it: id, number, tckn_masked, state, st, confirmed,
     * method, late, created_at, updated_at, approved_at, closed_reason, has_new_cert, reason; the
     * form's fields (names, contact details) are not read for the status and stay empty */
    struct app_application app;
    const char *label;          /* the state's label, in lang */
    const char *next;           /* what happens next, in lang (static text, or next_text) */
    char next_text[384];        /* next when it holds a number (the days a card takes) */
    const char *contact;        /* whom to call, in lang */
    bool delivery_overdue;      /* approved more than delivery_expected_days ago, no card yet */
    char rejection_reason[512]; /* rejected: the approver's reason as written; "" otherwise */
    struct app_flow_view flow;  /* after the decision: the card, what the holder may do now */
    size_t nevents;
    struct app_status_event events[APP_STATUS_EVENTS_MAX]; /* oldest first */
};
/* The status in c->lang. */
enum app_status app_status_get(const struct app_ctx *c, struct app_status_view *out,
                               struct app_err *err);
/* The label of a timeline event code ("created", "code_verified", ...) in a language; the
 * code itself when unknown. */
const char *app_event_label(const char *event, enum core_lang lang);
const char *app_event_label_tr(const char *event);

/* The status answer, what people and scripts reload while they wait: the caller renders a view
 * into bytes (render appends to out and returns 0, or -1), and app keeps those bytes for a
 * moment (the settings' status cache, app/status_cache.h) and gives them again while nothing
 * could have changed them. app_status_kept appends the kept answer for c's session token and
 * language when there is one still good, and needs no database (c->db may be NULL); otherwise
 * app_status_answer reads it: one statement reads the session with everything the answer shows
 * (store_status_read), the session is checked on what it brought (app_authenticate's rules,
 * with c->cred; c->who is set), last_seen is written after it when due, and the answer is
 * appended to out and kept. */
bool app_status_kept(const struct app_ctx *c, struct ubuf *out);
enum app_status app_status_answer(struct app_ctx *c,
                                  int (*render)(void *rctx, const struct app_status_view *v,
                                                struct ubuf *out),
                                  void *rctx, struct ubuf *out, struct app_err *err);

#endif
