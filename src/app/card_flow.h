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
 * card_refused, application_completed, application_cancelled). Applications wait at most
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

/* The status page's part after the decision (app_status_get fills it; portal_status.c). */
struct store;
struct store_application;
enum app_status app__flow_view(struct store *s, const struct app_portal_cfg *cfg,
                               const struct store_application *a, enum core_lang lang,
                               struct app_flow_view *out, struct app_err *err);

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

#endif
