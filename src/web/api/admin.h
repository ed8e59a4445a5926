/* eimza — the staff side of the web layer (web/api/admin.c): the staff login's settings, the
 * staff session of a request with its CSRF rule, the staff cookie, and the handlers of the
 * staff JSON API under /api/v1/admin (docs/openapi.yaml). The staff pages share the helpers.
 *
 * Staff sessions are separate from the applicants': their own cookie (eimza_staff), their own
 * kind in the store, their own lifetimes (app/staff_auth.h), so an applicant's token never
 * opens a staff route and a staff token never opens an applicant's. */
#ifndef EIMZA_WEB_API_ADMIN_H
#define EIMZA_WEB_API_ADMIN_H

#include <stdbool.h>
#include <stddef.h>

#include "app/admin.h"
#include "app/staff_auth.h"
#include "web/http/request.h"

#define WEB_STAFF_COOKIE "eimza_staff"

struct web_config;
/* Makes the staff login's settings from the server's configuration: app_staff_cfg_default
 * (lock-out, session times, Argon2id cost) with dev from the configuration (--dev: no TOTP for
 * accounts that have not enrolled). Call once at start-up before the server's threads exist.
 * Returns 0, or -1 with the reason in err. */
int web_staff_configure(const struct web_config *c, char *err, size_t errlen);
/* The staff settings (the defaults, without --dev, until web_staff_configure ran). */
const struct app_staff_cfg *web_staff_cfg(void);

/* The staff token of this request: `Authorization: Bearer <token>` first, then the
 * eimza_staff cookie; NULL when none. *by_cookie (may be NULL) tells where it came from. */
const char *web_staff_token(const struct web_req *rq, bool *by_cookie);
/* The staff session of this request (app_staff_session_auth) and who it is. A request that
 * changes something (any method but GET and HEAD) authenticated by the cookie must also carry
 * the session's CSRF token, in the X-CSRF-Token header or as form_csrf (a page's hidden form
 * field; may be NULL), else 403 csrf_invalid; a Bearer token needs none. staff may be NULL. */
enum app_status web_staff_auth(struct web_req *rq, const char *form_csrf, struct store_session *ss,
                               struct app_staff *staff, struct app_err *err);
/* Sets the staff cookie (HttpOnly; SameSite=Strict; Path=/; Secure over TLS); with token NULL,
 * a cookie that clears it. Returns 0 or -1. */
int web_staff_set_cookie(struct web_req *rq, const char *token, int max_age);

/* The staff JSON API (admin.c). */
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

#endif
