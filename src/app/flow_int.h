/* eimza — inside the use cases after approval (src/app/flow_*.c, app/card_flow.h): what they
 * share. Names carry the app__ prefix: not part of the app layer's API. */
#ifndef EIMZA_APP_FLOW_INT_H
#define EIMZA_APP_FLOW_INT_H

#include "app/admin_int.h"
#include "app/card_flow.h"
#include "app/portal_int.h"
#include "core/appstate.h"
#include "notify/templates.h"
#include "store/store.h"

#define APP__FLOW_REASON_CHARS  500 /* a cancellation's or refusal's words, in characters */
#define APP__CRL_KEY_COMPROMISE 1   /* RFC 5280 CRLReason of a lost or stolen card */

/* "Ad Soyad" of the application, for messages. */
void app__flow_name(const struct store_application *a, char *out, size_t cap);
/* A moment as DD.MM.YYYY in Turkish time (UTC+3), for messages. */
void app__flow_date(int64_t t, char out[16]);

/* Tells the holder of a: template t through the channels of a->notify_by (the other one when
 * the chosen one has no address; SMS only when t has an SMS form), kept unrendered in the
 * outbox with vars (portal_url is added when it is sent) and the dedupe key
 * "<stem>:<channel>", so a message queued again never tells twice. Joins the caller's
 * transaction. */
enum store_err app__tell(struct store *s, const struct store_application *a, enum notify_tpl t,
                         const char *stem, const struct notify_var *vars, size_t nvars,
                         int64_t now);
/* app__tell about a step of the card's way, with the stem "flow:<id>:<what>". */
enum store_err app__flow_tell(struct store *s, const struct store_application *a, enum notify_tpl t,
                              const char *what, const struct notify_var *vars, size_t nvars,
                              int64_t now);

/* Moves a (read inside the caller's transaction) on by event ev: next is a with the new state
 * and updated_at = now (the caller may have changed other fields of next before); the timeline
 * row (by actor) and the audit entry (action, object the number, detail may be NULL) are
 * written with it. STORE_ECONFLICT when ev is not allowed from a's state (or the state moved
 * meanwhile). */
enum store_err app__flow_step(struct store *s, const struct store_application *a,
                              struct store_application *next, enum core_app_event ev,
                              const char *actor, const char *action, const char *detail,
                              int64_t now);
/* A timeline row that changes no state ("pin_shown", "card_tested", ...). */
enum store_err app__flow_note(struct store *s, const struct store_application *a, const char *event,
                              const char *actor, int64_t now);

/* Words a person wrote for others to read (a cancellation's reason): 1..max characters of
 * UTF-8 with something besides blanks, no control characters but line breaks and tabs, none
 * that reorder or hide text (core_text_check). NULL, or the reason code: reason_required,
 * too_long, not_utf8, control_character, bidi_character. */
const char *app__flow_text_problem(const char *t, size_t max);

/* An operator or an admin acting in c (401 / 403 forbidden_role otherwise). */
enum app_status app__flow_staff(const struct app_ctx *c, const struct app_staff **who,
                                struct app_err *err);

/* Opens a transaction and reads application id into a (404 not_found when there is none, the
 * transaction then ended); on APP_OK the caller ends the transaction. */
enum app_status app__flow_tx_app(struct store *s, int64_t id, struct store_application *a,
                                 struct app_err *err);

/* The card reached its holder (a, read in the caller's transaction, is shipped or in
 * production): -> delivered (event deliver by actor), its card delivered, the holder told
 * (card_pin_ready for a card made in house, whose PIN waits on the portal; card_delivered
 * otherwise). next gets the saved row. */
enum store_err app__flow_delivered(struct store *s, const struct app_settings *set,
                                   const struct store_application *a,
                                   struct store_application *next, const char *actor, int64_t now);
/* The card record of a's card from the card bureau, first heard of now (its shipment, its
 * delivery, or the bureau's answer file): produced and created now, the rest the caller's. */
void app__flow_bureau_card(const struct store_application *a, struct store_card *k, int64_t now);
/* The card went to the courier (a is in production): -> shipped, its card (made now when the
 * bureau's card was not recorded yet) shipped with carrier and tracking number, the holder
 * told. */
enum store_err app__flow_shipped(struct store *s, const struct store_application *a,
                                 struct store_application *next, const char *carrier,
                                 const char *tracking, const char *actor, int64_t now);
/* A courier's name or a tracking number as given: trimmed, 1..63 bytes of printable UTF-8
 * without control characters or those that reorder or hide text. NULL or the reason code
 * (required, too_long, not_utf8, control_character, bidi_character). */
const char *app__flow_label_problem(const char *v, char *out, size_t cap);

/* The new certificate cert (id cert_id, just recorded) of a holder: when their newest
 * application is approved or later and cert is newer than the one it renews, it is linked to
 * it and to its card, and the application becomes completed (event cert_in_use by actor); the
 * holder is told. *completed (may be NULL) says whether it did. Joins the caller's
 * transaction. */
enum store_err app__flow_complete(struct store *s, const struct core_certificate *cert,
                                  int64_t cert_id, const char *actor, int64_t now, bool *completed);

/* A lost or stolen card's holder had their identity checked in person (the signed paper of a
 * lost_stolen application received): the current certificate's revocation is recorded, at
 * once when ca_issuer (the in-house CA's subject; "" for none) issued it, else as a request
 * for the card bureau, and its card is marked lost. Joins the caller's transaction. */
enum store_err app__flow_lost(struct store *s, const char *ca_issuer,
                              const struct store_application *a, const char *actor, int64_t now);

/* Seals a new card's PIN and PUK (flow_pin.c) for the card's pin row: base64 of nonce ||
 * ciphertext into out[cap]. 0, or -1 (no key in the settings, no room, no randomness). */
int app__pin_seal(const struct app_settings *set, int64_t card_id, const char *number,
                  const char *pin, const char *puk, char *out, size_t cap);

#endif
