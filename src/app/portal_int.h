/* eimza — inside the app layer's use cases (src/app/portal_*.c, staff_auth.c, admin.c): the helpers
 * they share. Names carry the app__ prefix: not part of the app layer's API. */
#ifndef EIMZA_APP_PORTAL_INT_H
#define EIMZA_APP_PORTAL_INT_H

#include "app/portal.h"
#include "store/store.h"

/* Fills err for a store failure: ENOTFOUND/ECONFLICT as the caller names them (not_found_code
 * / conflict_code, with 404 / 409), ENOMEM as a 500, anything else a 503 with store_failed
 * set. The detail is logged (what + store_last_error, never personal data). */
enum app_status app__store_err(struct store *s, enum store_err e, const char *what,
                               const char *not_found_code, const char *conflict_code,
                               struct app_err *err);
enum app_status app__fail(struct app_err *err, enum app_status st, const char *code);

/* The actor of audit and timeline rows for an applicant: "applicant:100******46". */
void app__actor(const char *tckn, char out[32]);
/* The signing methods open to the holder now: core_allowed_methods(phase), without the
 * e-signature once cfg->remote_renewal_limit signature-only renewals in a row were made
 * (*limit_reached then true). */
enum app_status app__methods(struct store *s, const struct app_portal_cfg *cfg, const char *tckn,
                             enum core_phase phase, unsigned *methods, bool *limit_reached,
                             struct app_err *err);
/* app__methods once the holder's chain of signature-only renewals is known. */
unsigned app__methods_of(const struct app_portal_cfg *cfg, enum core_phase phase, int chain,
                         bool *limit_reached);
/* The content to sign of an application (core/content.c), appended to out. 0 or -1. */
int app__content_render(const struct store_application *a, struct ubuf *out);
/* Appends an audit entry (detail may be NULL); returns the store's answer. */
enum store_err app__audit(struct store *s, int64_t now, const char *actor, const char *action,
                          const char *object, const char *detail);

/* Random bytes as base64url without padding into out (cap >= 4*n/3+2). -1 on failure. */
int app__random_b64(size_t nbytes, char *out, size_t cap);
/* SHA-256 hex of s. -1 on failure. */
int app__sha256(const char *s, char out[STORE_HASH_HEX + 1]);

/* The session's application: the one it is bound to when that is the person's, else the
 * person's newest. 404 no_application when there is none. */
enum app_status app__load(struct store *s, const struct app_session *ss,
                          struct store_application *out, struct app_err *err);

/* The applicant acting in c (app_authenticate let them in), or NULL with 401 session_required
 * in err. */
const struct app_session *app__applicant(const struct app_ctx *c, struct app_err *err);
/* The staff member acting in c, or NULL with 401 session_required. */
const struct app_staff *app__staff(const struct app_ctx *c, struct app_err *err);
/* A session row as the request keeps it. */
void app__session_from(const struct store_session *ss, struct app_session *out);
/* An application row as the layers above see it (app_application: the T.C. Kimlik No masked,
 * no security word hash). */
void app__application_view(const struct store_application *a, struct app_application *out);

/* The applicant's session checks (portal_login.c), apart so that the status answer can make
 * them on the session its one read brought: session_check reads the session and judges it,
 * session_judge judges one already read (an applicant's, neither idle too long nor past its
 * end: else 401 session_required, *out zeroed), settle writes what either left due. */
enum app__session_due { APP__SESSION_KEEP, APP__SESSION_TOUCH, APP__SESSION_DROP };
enum app_status app__session_check(struct store *s, const struct app_portal_cfg *cfg, const char *h,
                                   int64_t now, struct store_session *out,
                                   enum app__session_due *due, struct app_err *err);
enum app_status app__session_judge(const struct app_portal_cfg *cfg, int64_t now,
                                   struct store_session *out, enum app__session_due *due,
                                   struct app_err *err);
enum app_status app__session_settle(struct store *s, const char *h, enum app__session_due due,
                                    int64_t now, struct store_session *ss, struct app_err *err);
/* The SHA-256 of a token that has the form of one; 401 session_required otherwise. */
enum app_status app__token_hash(const char *token, char h[STORE_HASH_HEX + 1], struct app_err *err);
/* last_seen is written at most this often: every authenticated request would otherwise be a
 * database write. */
#define APP__TOUCH_EVERY 60
/* The staff session check (staff_auth.c). */
enum app_status app__staff_session(struct store *s, const struct app_staff_cfg *cfg,
                                   const char *token, int64_t now, struct store_session *out,
                                   struct store_user *user, struct app_err *err);
/* The staff member of an account row. */
void app__staff_from_user(const struct store_user *u, struct app_staff *out);

/* Chooses the signing method of the session's application (app_method_choose); out gets the
 * saved row. */
enum app_status app__method_choose(struct store *s, const struct app_portal_cfg *cfg,
                                   const struct app_session *ss, const char *method, int64_t now,
                                   struct store_application *out, struct app_err *err);

/* The session person's application (portal_form.c): their newest, or a new draft when they
 * have none, or (fresh) when the newest has ended (rejected, cancelled, completed). */
enum store_err app__draft_for(struct store *s, const struct app_session *ss, int64_t now,
                              bool fresh, struct store_application *a);
/* Binds the session to a and makes the form's view of it. */
enum app_status app__bind_view(struct store *s, const struct app_portal_cfg *cfg,
                               const struct app_session *ss, int64_t now,
                               const struct store_application *a, struct app_view *out,
                               struct app_err *err);

/* The renewal phase of the person's current certificate now (expired when none is known). */
enum app_status app__phase(struct store *s, const struct app_portal_cfg *cfg, const char *tckn,
                           int64_t now, bool *has_cert, int64_t *not_after, enum core_phase *phase,
                           struct app_err *err);
/* app__phase once the current certificate is known (c NULL: none). */
enum core_phase app__phase_of(const struct app_portal_cfg *cfg, const struct core_certificate *c,
                              int64_t now);

/* The province whose approvers decide an application (and whose directorate takes its signed
 * paper): the personnel record's, else the form's; 0 when neither is known. */
int app__approver_province(struct store *s, const struct store_application *a);
/* Whether application a may take an e-signature now (code_verified, the e-signature method
 * open to the holder): APP_OK, or 409 wrong_state / signing_method_not_allowed /
 * remote_renewal_limit. */
enum app_status app__may_sign(const struct app_ctx *c, const struct store_application *a,
                              struct app_err *err);
/* What the holder's way to sign depends on, when it was read with the application
 * (store_sign_read): their current certificate and their chain of signature-only renewals. */
struct app__signer {
    bool has_cert;
    struct core_certificate cert;
    int chain;
};
/* The e-signature of application a (app_signature_submit's check, evidence, state change and
 * audit, in one transaction); signer NULL: read here. With a relay ticket (read in state
 * checking, moved to its final state in *ticket), the ticket is written in the same
 * transaction as the signature. */
enum app_status app__signature_check(const struct app_ctx *c, const struct store_application *a,
                                     const struct app__signer *signer, const unsigned char *cms,
                                     size_t len, const struct store_ticket *ticket,
                                     struct app_application *out, struct app_err *err);

/* Constant-time equality of two NUL-terminated strings of the same length (the length itself
 * is not secret here: hashes and tokens have fixed lengths). */
bool app__ct_equal(const char *a, const char *b);

#endif
