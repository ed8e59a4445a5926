/* eimza — the JSON API's room (web/api/): the handlers of the applicant API under /api/v1
 * (portal.c, sign.c), the development routes (dev.c) and the staff API under /api/v1/admin
 * (admin.c); docs/openapi.yaml describes every route and docs/INTERFACES.md is the contract.
 *
 * Handlers are thin: make the request's context (web/http/context.h), decode the body
 * (json.h), let the actor in with app_authenticate() where the route needs one, call the use
 * case (app/portal.h, app/admin.h, app/staff_auth.h) and render its view as JSON. Every error
 * goes through web_reply_app_error (web/http/error.h).
 */
#ifndef EIMZA_WEB_API_API_H
#define EIMZA_WEB_API_API_H

#include <stddef.h>

#include "web/http/request.h"

/* The applicant's API (portal.c). */
enum web_err web_h_api_captcha_new(struct web_req *rq);
enum web_err web_h_api_captcha_file(struct web_req *rq);
enum web_err web_h_api_login(struct web_req *rq);
enum web_err web_h_api_logout(struct web_req *rq);
enum web_err web_h_api_application_get(struct web_req *rq);
enum web_err web_h_api_application_put(struct web_req *rq);
enum web_err web_h_api_otp_send(struct web_req *rq);
enum web_err web_h_api_otp_verify(struct web_req *rq);
enum web_err web_h_api_content(struct web_req *rq);
enum web_err web_h_api_method(struct web_req *rq);
enum web_err web_h_api_status(struct web_req *rq);
enum web_err web_h_api_session_extend(struct web_req *rq);
enum web_err web_h_api_openapi(struct web_req *rq);
/* After the decision (flow.c, and portal.c's /new): the holder's cancel, delivery and new
 * application; the staff's cancel, shipment and delivery. */
enum web_err web_h_api_application_new(struct web_req *rq);
enum web_err web_h_api_application_cancel(struct web_req *rq);
enum web_err web_h_api_delivery_confirm(struct web_req *rq);
enum web_err web_h_admin_cancel(struct web_req *rq);
enum web_err web_h_admin_shipment(struct web_req *rq);
enum web_err web_h_admin_delivery(struct web_req *rq);
enum web_err web_h_admin_pin_waiver(struct web_req *rq);
enum web_err web_h_admin_production(struct web_req *rq);
enum web_err web_h_admin_batch_make(struct web_req *rq);
enum web_err web_h_admin_batches(struct web_req *rq);
enum web_err web_h_admin_batch_export(struct web_req *rq);
enum web_err web_h_admin_bureau_answers(struct web_req *rq);
enum web_err web_h_admin_shipments(struct web_req *rq);
enum web_err web_h_admin_produce(struct web_req *rq);
enum web_err web_h_api_pin_word(struct web_req *rq);
enum web_err web_h_api_pin_code(struct web_req *rq);
enum web_err web_h_api_card_test_content(struct web_req *rq);
enum web_err web_h_api_card_test(struct web_req *rq);
/* The in-house CA's revocation answers (flow.c): GET /ca/crl, POST /ca/ocsp. */
enum web_err web_h_ca_crl(struct web_req *rq);
enum web_err web_h_ca_ocsp(struct web_req *rq);
/* The signing steps (sign.c). */
enum web_err web_h_api_signature(struct web_req *rq);
enum web_err web_h_api_wet_signature(struct web_req *rq);

/* Signing through the relay (relay.c; app/relay.h): the page's ticket and the agent's steps. */
enum web_err web_h_api_sign_ticket_new(struct web_req *rq);
enum web_err web_h_api_sign_ticket_get(struct web_req *rq);
enum web_err web_h_relay_claim(struct web_req *rq);
enum web_err web_h_relay_signature(struct web_req *rq);
enum web_err web_h_relay_cancel(struct web_req *rq);

/* Development only (--dev; 404 otherwise): dev.c. */
enum web_err web_h_dev_captcha(struct web_req *rq);
enum web_err web_h_dev_outbox(struct web_req *rq);

/* The staff API (admin.c). Staff sessions are separate from the applicants': their own cookie
 * (eimza_staff), their own kind in the store, their own lifetimes (app/staff_auth.h), so an
 * applicant's token never opens a staff route and a staff token never opens an applicant's. */
enum web_err web_h_admin_login(struct web_req *rq);
enum web_err web_h_admin_logout(struct web_req *rq);
enum web_err web_h_admin_list(struct web_req *rq);
enum web_err web_h_admin_get(struct web_req *rq);
enum web_err web_h_admin_decision(struct web_req *rq);
enum web_err web_h_admin_bulk_approve(struct web_req *rq);
enum web_err web_h_admin_paper_received(struct web_req *rq);
enum web_err web_h_admin_dashboard(struct web_req *rq);
enum web_err web_h_admin_queue_csv(struct web_req *rq);
enum web_err web_h_admin_expiring_csv(struct web_req *rq);
enum web_err web_h_admin_rejection_reasons(struct web_req *rq);
enum web_err web_h_admin_messages(struct web_req *rq);
/* POST /api/v1/admin/messages/{id}/retry and /confirm (app_admin_message_action) */
enum web_err web_h_admin_message_retry(struct web_req *rq);
enum web_err web_h_admin_message_confirm(struct web_req *rq);
/* issue 17: POST /api/v1/admin/search {q} (app_admin_search) and POST
 * /api/v1/admin/applications/{id}/tckn (app_admin_tckn: the full number, audited) */
enum web_err web_h_admin_search(struct web_req *rq);
enum web_err web_h_admin_tckn(struct web_req *rq);

/* docs/openapi.yaml, embedded at build time (cmake/embed_text.cmake). */
extern const char web_openapi_yaml[];
extern const size_t web_openapi_yaml_len;

#endif
