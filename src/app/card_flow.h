/* eimza — after approval: the card's way to the holder, and an application that ends (app/).
 *
 * What happens between "approved" and "completed", for the holder and for the staff, in one
 * of two ways per deployment (the setting `production`, app/context.h):
 *
 *   card bureau (Kamu SM makes the cards)   an operator takes the approved applications of a
 *       province into a production batch, the oldest-expiring certificate first
 *       (approved -> in_production), and exports it as CSV or JSON with what the bureau needs,
 *       together with the revocation requests for lost or stolen cards. The bureau's answer
 *       file is imported: per application the card's serial, the courier and the tracking
 *       number (-> shipped), or a refusal with its reason (-> approved again, to be ordered
 *       again or cancelled). The bureau sends the PIN itself; the portal says so.
 *   in house (an institution's own CA, and the demo)   an operator has the card made by the
 *       engine of ca/ca.h on a blank card in the reader (approved -> in_production): key pair
 *       on the card, the NES certificate for a renewal valid from the old one's end, written to
 *       the card, a random PIN and PUK. The certificate is recorded at once (so the CA's OCSP
 *       and CRL know it) and linked to the application and the card; the PIN and PUK are
 *       sealed with the settings' key until the holder takes them once on the portal (login,
 *       the form's security word, an SMS code).
 *
 * Then, either way: shipment (per card, or a carrier's file: application_number, carrier,
 * tracking_number), delivery recorded by an operator or confirmed by the holder, and
 * completion: the new certificate imported (`eimza import certificates`: a holder's new
 * certificate completes their application that is approved or later) or, in house, the holder
 * tries the new card ("try my new card": a challenge signed through the agent, verified) ->
 * completed; the card becomes active. The old certificate is then superseded (no more expiry
 * warnings), the new one gets its own. A holder whose newest application is completed,
 * rejected or cancelled starts a new one (app_application_start).
 *
 * The card inventory (store_card) says where every card is: produced, shipped, delivered,
 * active; lost, revoked, returned, destroyed. A lost or stolen card (the form's reason
 * lost_stolen) closes the e-signature path (wet signature only); when the signed paper is
 * received (the holder's identity checked in person) the old certificate's revocation is
 * recorded (revoked at once when this deployment's CA issued it; otherwise a revocation
 * request for the bureau's next export) and the old card is marked lost.
 *
 * Every state change goes on the timeline and the audit log in the same transaction; the
 * holder is told at each step through the channels of their notify_by (templates, Turkish and
 * English: card_ordered, card_shipped, card_delivered or card_pin_ready, card_late,
 * card_refused, application_completed, application_cancelled; pin_word_waived when an operator
 * lifted the PIN's security word step). Applications wait at most
 * delivery_expected_days after approval: past it they are overdue for the operator, and the
 * holder is told once to call 444 5 576 (app_flow_overdue_scan). Operators and admins do the
 * staff's part (403 forbidden_role for approvers); approvers see nothing here.
 */
#ifndef EIMZA_APP_CARD_FLOW_H
#define EIMZA_APP_CARD_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/context.h"
#include "app/portal.h"
#include <sys/types.h>

#include "util/buf.h"

/* ---- the holder ----------------------------------------------------------------------------- */

/* Starts a new application when the newest is rejected, cancelled or completed (or there is
 * none): a new draft as app_application_current makes one. 409 application_open when one is
 * still going. */
enum app_status app_application_start(const struct app_ctx *c, struct app_view *out,
                                      struct app_err *err);
/* The holder cancels their application before the decision (draft, code_verified,
 * awaiting_original, submitted): -> cancelled. 409 wrong_state after it. */
enum app_status app_application_cancel(const struct app_ctx *c, struct app_application *out,
                                       struct app_err *err);
/* The holder confirms the card arrived: shipped -> delivered. 409 wrong_state otherwise. */
enum app_status app_delivery_confirm(const struct app_ctx *c, struct app_application *out,
                                     struct app_err *err);

/* The status page's part after the decision, from what the status read found (app_status_get
 * and app_status_answer fill it; portal_status.c). */
struct store_status;
void app__flow_view(const struct app_portal_cfg *cfg, const struct store_status *r,
                    enum core_lang lang, struct app_flow_view *out);

/* ---- the staff: one application -------------------------------------------------------------- */

/* Cancels an application that is still going, with a reason (1..500 characters: the holder
 * reads it): -> cancelled; the holder is told. Operators and admins. 400 invalid_fields
 * (reason: reason_required, too_long, not_utf8), 403 forbidden_role, 404 not_found, 409
 * wrong_state. */
enum app_status app_admin_cancel(const struct app_ctx *c, int64_t id, const char *reason,
                                 struct app_application *out, struct app_err *err);

/* The card went to the courier: in_production -> shipped, with the courier's name and the
 * tracking number (1..63 characters each); the holder is told. Operators and admins. 400
 * invalid_fields (carrier, tracking_number), 403, 404 not_found, 409 wrong_state. */
enum app_status app_admin_shipment(const struct app_ctx *c, int64_t id, const char *carrier,
                                   const char *tracking_number, struct app_application *out,
                                   struct app_err *err);
/* The card reached its holder: shipped (or in_production: handed over at the office) ->
 * delivered; the holder is told (and where to take the PIN of a card made in house).
 * Operators and admins; 403, 404, 409 wrong_state. */
enum app_status app_admin_delivery(const struct app_ctx *c, int64_t id, struct app_application *out,
                                   struct app_err *err);

/* ---- the staff's view after approval ----------------------------------------------------------
 */

/* Which applications: those after approval (approved .. delivered), one state of them, the
 * overdue ones (approved delivery_expected_days ago or more, card not arrived), or those at
 * risk of a gap (card not arrived, and the certificate they renew ends before the card is
 * expected or already ended). */
enum app_flow_view_kind {
    APP_FLOW_ALL = 0,
    APP_FLOW_APPROVED,      /* waiting for their card to be ordered or made */
    APP_FLOW_IN_PRODUCTION, /* being made */
    APP_FLOW_SHIPPED,       /* with the courier */
    APP_FLOW_DELIVERED,     /* delivered, not completed yet */
    APP_FLOW_OVERDUE,
    APP_FLOW_AT_RISK,
};
struct app_flow_filter {
    enum app_flow_view_kind kind;
    int province;       /* 0: any (an approver gets theirs whatever is asked) */
    const char *number; /* one application by its number; NULL or "": any */
    long limit;         /* 1..500; 0: 100 */
    long offset;
};
/* One application of the view. The pointers live during the call. */
struct app_flow_item {
    const struct app_application *app;
    int province;
    int64_t expected_at; /* when the card should have arrived: approved_at + the days */
    bool overdue;        /* expected_at passed and the card has not arrived */
    bool at_risk;        /* the renewed certificate ends before the card is expected (or ended) */
    bool has_card;
    const char *card_state, *card_serial, *carrier, *tracking_number; /* "" when none */
};
/* The view, the renewed certificate's end first (first cards last), for operators and admins
 * (every province) and approvers (their own). 400 invalid_fields (province, limit, offset,
 * number: application_number_format). fn returns 0 to go on; *total (may be NULL) gets how
 * many match. */
enum app_status app_admin_flow(const struct app_ctx *c, const struct app_flow_filter *f,
                               int (*fn)(void *ctx, const struct app_flow_item *it), void *ctx,
                               long *total, struct app_err *err);

/* One application's card as the staff see it (/yonetim/kart/{id}): the card, the new
 * certificate, the deadline. Operators and admins (every province) and approvers (theirs):
 * 404 not_found, 403 forbidden_province. */
struct app_card_view {
    struct app_application app;
    int province;
    int64_t expected_at; /* approved_at + delivery_expected_days; 0 before approval */
    bool overdue, at_risk;
    bool has_card;
    char state[12], source[8];
    char serial[64], carrier[64], tracking_number[64], note[256];
    int64_t produced_at, shipped_at, delivered_at, activated_at;
    char pin_state[12]; /* "", waiting, shown, destroyed (in-house cards) */
    /* the security word step lifted (app_admin_pin_waive): by whom, when, their note, until
     * when; waived_until is 0 when no waiver is in force now */
    char pin_waived_by[APP_USERNAME_MAX];
    int64_t pin_waived_at, pin_waived_until;
    char pin_waived_note[512]; /* "" for an approver: not theirs to see */
    char new_serial[130];
    int64_t new_not_before, new_not_after;
};
enum app_status app_admin_card(const struct app_ctx *c, int64_t id, struct app_card_view *out,
                               struct app_err *err);

/* ---- the card bureau: batches, their export, its answer ---------------------------------------
 */

struct app_batch {
    int64_t id;
    int province;
    int64_t created_at;
    char created_by[APP_USERNAME_MAX];
    long applications, revocations;
};
/* Takes at most limit (1..500; 0: 500) approved applications of the province into a new batch,
 * the oldest-expiring certificate first: approved -> in_production (event order), each holder
 * told (card_ordered); the province's revocation requests not sent yet go with it. One
 * transaction. Operators and admins, card bureau deployments only (409
 * production_bureau_only); 400 invalid_fields (province 1..81, limit); 409 nothing_to_order. */
enum app_status app_admin_batch_make(const struct app_ctx *c, int province, long limit,
                                     struct app_batch *out, struct app_err *err);
/* The newest batches (of a province; 0: all), at most 100. */
enum app_status app_admin_batches(const struct app_ctx *c, int province,
                                  int (*fn)(void *ctx, const struct app_batch *b), void *ctx,
                                  struct app_err *err);
/* A batch as the bureau reads it, appended to out: format "csv" (the cards, then, after an
 * empty line, the revocation requests: UTF-8 with a BOM, ';', CRLF, RFC 4180 quoting, formulas
 * escaped) or "json" ({"batch","cards":[...],"revocations":[...]}). It holds full T.C. Kimlik
 * Nos: audited (export.batch). 404 batch_not_found, 400 format_unknown. */
enum app_status app_admin_batch_export(const struct app_ctx *c, int64_t id, const char *format,
                                       struct ubuf *out, struct app_err *err);

/* ---- files: the bureau's answer, a carrier's shipments ------------------------------------------
 */

/* One refused row of a file: its line (the header is line 1), the field and the reason code. */
struct app_file_refusal {
    long line;
    const char *field; /* a column's name, or "" for the whole row */
    const char *code;
};
struct app_file_result {
    long rows;      /* data rows read */
    long applied;   /* rows that changed something */
    long unchanged; /* rows already applied (the same file again) */
    long refused;
};
/* The card bureau's answer file (CSV, a header row; ';' or ','; columns by name):
 *   application_number  the application
 *   result              produced | refused
 *   card_serial         produced: the card's serial number (1..63 characters)
 *   carrier, tracking_number   produced: the courier and the tracking number, when the card
 *                       was handed over with the answer (-> shipped; else it stays
 *                       in_production, the card recorded as produced)
 *   reason              refused: why (1..500 characters; the holder reads it)
 * A produced row records the card (bureau, its serial); a refused one sends the application
 * back to approved (event production_refused, out of its batch) and tells the holder. Each
 * row is one transaction; a refused row (application_unknown, wrong_state, required, too_long,
 * answer_unknown, ...) is reported through refuse and skipped. A header without
 * application_number or result refuses the whole file (line 1, column_missing). actor: who
 * imports ("cli", "staff:NAME"). Audited (bureau.answer_import) with the counts. Returns
 * APP_OK (also with refused rows: see res), or the store's failure. */
enum app_status app_bureau_import(const struct app_ctx *c, const char *actor,
                                  ssize_t (*read)(void *rctx, void *buf, size_t n), void *rctx,
                                  void (*refuse)(void *fctx, const struct app_file_refusal *r),
                                  void *fctx, struct app_file_result *res, struct app_err *err);
/* A carrier's file (`eimza shipments import`): CSV with a header row, columns
 * application_number, carrier, tracking_number (';' or ','). A row ships its application
 * (in_production -> shipped, the holder told); one already shipped with the same carrier and
 * tracking number is unchanged; anything else is refused with its reason and skipped. As
 * app_bureau_import otherwise (audited as shipments.import). */
enum app_status app_shipments_import(const struct app_ctx *c, const char *actor,
                                     ssize_t (*read)(void *rctx, void *buf, size_t n), void *rctx,
                                     void (*refuse)(void *fctx, const struct app_file_refusal *r),
                                     void *fctx, struct app_file_result *res, struct app_err *err);

/* ---- the new card's PIN, on the portal (in-house cards)
 * --------------------------------------------- */

struct app_pin_secret {
    char pin[16];
    char puk[16];
};
/* Where the holder's retrieval stands (for the page): the application's number, whether the
 * word was given and a code waits (and for how long), wrong entries left, how long it is
 * locked. The refusals are those of app_pin_word. */
struct app_pin_status {
    char number[APP_NUMBER_LEN + 1];
    bool word_waived;     /* an operator lifted the word step: the code is asked for alone */
    int64_t waived_until; /* until then (0: no waiver in force) */
    bool word_ok;
    int64_t code_expires_in;
    int remaining;
    int64_t locked_for;
};
enum app_status app_pin_status(const struct app_ctx *c, struct app_pin_status *out,
                               struct app_err *err);
/* Step 1: the security word of the form. Right, a code goes by SMS to the personnel record's
 * mobile number (out: the number masked, the code's life; 429 otp_cooldown right after
 * another). Wrong: 400 security_word_wrong with err->remaining. 409 pin_not_available (no
 * in-house card of this application, not delivered yet), pin_already_shown,
 * no_mobile_on_file; 429 pin_locked (retry_after) after otp_max_wrong wrong words and codes in
 * an hour. Each wrong entry and the lock are audited. While an operator's waiver is in force
 * (app_admin_pin_waive) the word is not asked for: word may be NULL or "", and whatever is
 * given is not looked at; the code goes as above. 503 secret_key_missing, before anything is
 * looked at or counted, when no secret_key is set (the code could only be kept in clear). */
enum app_status app_pin_word(const struct app_ctx *c, const char *word, struct app_otp_sent *out,
                             struct app_err *err);
/* Step 2: the code. Right: out gets the PIN and PUK (wipe it after use), and the sealed copy
 * is destroyed in the same transaction (pin.shown audited, on the timeline). Wrong: 400
 * otp_wrong with err->remaining; 400 otp_expired; 409 pin_word_first before the word; the
 * refusals of step 1. */
enum app_status app_pin_code(const struct app_ctx *c, const char *code, struct app_pin_secret *out,
                             struct app_err *err);

/* The holder forgot the security word: an operator (or admin) who has checked the holder's
 * official identity card in person lifts the word step of the PIN retrieval of application id
 * for APP_PIN_WAIVER_SECONDS (a waiver in force is replaced). identity_checked is the
 * operator's declaration (400 invalid_fields, identity_checked: identity_check_required,
 * without it); note says what they saw (1..APP_PIN_WAIVER_NOTE_CHARS characters, e.g. the
 * document's kind and the last digits of its number; note: required, too_long, not_utf8,
 * control_character, bidi_character), kept with the waiver and shown to the staff, never
 * written into the audit log. One transaction: the waiver (who, when, note, until), the audit
 * entry pin.word_waived (the operator's name, the card, until), a timeline row
 * (pin_word_waived) and the holder told (pin_word_waived), so a waiver they did not ask for
 * is noticed. The SMS code and its limits stay; the waiver ends when the PIN is shown.
 * *until (may be NULL) gets its end. 403 forbidden_role (approvers), 404 not_found, 409
 * production_inhouse_only, pin_not_available (no in-house card with a PIN, or not delivered
 * yet), pin_already_shown. */
#define APP_PIN_WAIVER_SECONDS    (48 * 3600)
#define APP_PIN_WAIVER_NOTE_CHARS 120
enum app_status app_admin_pin_waive(const struct app_ctx *c, int64_t id, const char *note,
                                    bool identity_checked, int64_t *until, struct app_err *err);

/* ---- in house: making the card, and the CA's revocation answers
 * ------------------------------------ */

/* Has the engine make an approved application's card on the blank card in the reader (the one
 * whose serial is card_serial when several are present; NULL or "": the only one): the NES
 * certificate for the holder (a renewal valid from the renewed certificate's end), recorded
 * with the card, its PIN and PUK sealed; approved -> in_production, the holder told. Operators
 * and admins; 409 production_inhouse_only, wrong_state, card_not_found, card_ambiguous,
 * card_not_blank, card_transport_pin, card_error, card_spoiled; 503 ca_unavailable,
 * pin_key_missing. */
enum app_status app_admin_produce(const struct app_ctx *c, int64_t id, const char *card_serial,
                                  struct app_application *out, struct app_err *err);
/* Hangs an opened engine on the settings (set->ca, which app_settings_free closes) with the
 * subject of its CA certificate (set->ca_issuer). 0, or -1 with the reason in err. */
int app_ca_attach(struct app_settings *set, struct ca *ca, char *err, size_t errlen);
/* The CA's CRL now (DER, malloc'ed: free()), numbered by the store. 404
 * production_inhouse_only; 503 ca_unavailable. */
enum app_status app_ca_crl(const struct app_ctx *c, unsigned char **der, size_t *len,
                           struct app_err *err);
/* The answer to a DER OCSP request (malloc'ed: free()): always an OCSP response, an error
 * response for a malformed request. 404 production_inhouse_only; 503 ca_unavailable. */
enum app_status app_ca_ocsp(const struct app_ctx *c, const unsigned char *req, size_t reqlen,
                            unsigned char **der, size_t *len, struct app_err *err);

/* ---- "try my new card" (in-house cards)
 * ------------------------------------------------------------ */

/* The text the holder signs with the new card (appended to out): the application, the card,
 * the certificate and a value of the session. 409 card_test_not_available unless the
 * application is delivered with its in-house card delivered and its certificate linked. */
enum app_status app_card_test_content(const struct app_ctx *c, struct ubuf *out,
                                      struct app_err *err);
/* A DER CMS over exactly that text, checked by the verifier: accepted when it verifies (or
 * verifies but for its certificate not being valid yet, the renewal starting at the old one's
 * end) and its signer is the application's new certificate (422 card_test_other_card; 422 with
 * the verifier's code otherwise, audited). Then the card is active and the application
 * completed (event cert_in_use), the holder told, in one transaction. */
enum app_status app_card_test(const struct app_ctx *c, const unsigned char *cms, size_t len,
                              struct app_application *out, struct app_err *err);

#endif
