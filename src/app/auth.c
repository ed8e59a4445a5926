/* eimza — the one way in (see context.h): an applicant's or a staff member's session from the
 * credentials a request presented, with the CSRF rule for sessions that came in a cookie, and
 * its end. The session checks themselves are portal_login.c's (applicants) and staff_auth.c's
 * (staff), so that the status answer can make the applicant's on the session its one read
 * brought.
 */
#include <string.h>

#include "app/portal_int.h"

/* The CSRF rule of both kinds of session: a request that changes something, authenticated by
 * a cookie, carries the session's CSRF token in a header or a form field. */
static bool csrf_holds(const struct app_credentials *cr, const struct app_session *ss)
{
    if (!cr->by_cookie || !cr->changes)
        return true;
    return app_csrf_ok(ss, cr->csrf_header) || app_csrf_ok(ss, cr->csrf_form);
}

static enum app_status applicant(struct app_ctx *c, struct app_err *err)
{
    char h[STORE_HASH_HEX + 1];
    struct store_session ss;
    enum app__session_due due;
    if (app__token_hash(c->cred.token, h, err) != APP_OK)
        return err->status;
    enum app_status st = app__session_check(c->db, &c->set->portal, h, c->now, &ss, &due, err);
    enum app_status st2 = app__session_settle(c->db, h, due, c->now, &ss, err);
    if (st == APP_OK)
        st = st2;
    if (st != APP_OK)
        return st;
    app__session_from(&ss, &c->who.session);
    c->who.kind = APP_ACTOR_APPLICANT;
    return APP_OK;
}

static enum app_status staff(struct app_ctx *c, struct app_err *err)
{
    struct store_session ss;
    struct store_user u;
    enum app_status st =
        app__staff_session(c->db, &c->set->staff, c->cred.token, c->now, &ss, &u, err);
    if (st != APP_OK)
        return st;
    app__session_from(&ss, &c->who.session);
    app__staff_from_user(&u, &c->who.staff);
    memset(&u, 0, sizeof u);
    c->who.kind = APP_ACTOR_STAFF;
    return APP_OK;
}

enum app_status app_authenticate(struct app_ctx *c, enum app_actor_kind kind, struct app_err *err)
{
    app_err_clear(err);
    memset(&c->who, 0, sizeof c->who);
    enum app_status st = kind == APP_ACTOR_STAFF ? staff(c, err)
                         : kind == APP_ACTOR_APPLICANT
                             ? applicant(c, err)
                             : app__fail(err, APP_EAUTH, "session_required");
    if (st == APP_OK && !csrf_holds(&c->cred, &c->who.session)) {
        memset(&c->who, 0, sizeof c->who);
        return app__fail(err, APP_EFORBIDDEN, "csrf_invalid");
    }
    return st;
}

bool app_csrf_ok(const struct app_session *ss, const char *token)
{
    return token && *token && ss->csrf[0] && app__ct_equal(token, ss->csrf);
}

enum app_status app_logout(struct app_ctx *c, struct app_err *err)
{
    app_err_clear(err);
    if (c->who.kind == APP_ACTOR_NONE)
        return app__fail(err, APP_EAUTH, "session_required");
    enum store_err e = store_session_delete(c->db, c->who.session.token_hash);
    if (e != STORE_OK)
        return app__store_err(c->db, e, "ending a session", NULL, NULL, err);
    memset(&c->who, 0, sizeof c->who);
    return APP_OK;
}

int64_t app_session_left(const struct app_ctx *c)
{
    if (c->who.kind != APP_ACTOR_APPLICANT)
        return 0;
    int64_t idle_end = c->who.session.last_seen + c->set->portal.session_idle;
    int64_t end = idle_end < c->who.session.expires_at ? idle_end : c->who.session.expires_at;
    return end > c->now ? end - c->now : 0;
}

enum app_status app_session_extend(struct app_ctx *c, int64_t *left, struct app_err *err)
{
    app_err_clear(err);
    *left = 0;
    if (c->who.kind != APP_ACTOR_APPLICANT)
        return app__fail(err, APP_EAUTH, "session_required");
    if (c->who.session.last_seen != c->now) {
        enum store_err e = store_session_touch(c->db, c->who.session.token_hash, c->now);
        if (e == STORE_ENOTFOUND)
            return app__fail(err, APP_EAUTH, "session_required");
        if (e != STORE_OK)
            return app__store_err(c->db, e, "extending a session", NULL, NULL, err);
        c->who.session.last_seen = c->now;
    }
    *left = app_session_left(c);
    return APP_OK;
}

const struct app_session *app__applicant(const struct app_ctx *c, struct app_err *err)
{
    if (c->who.kind != APP_ACTOR_APPLICANT) {
        app__fail(err, APP_EAUTH, "session_required");
        return NULL;
    }
    return &c->who.session;
}

const struct app_staff *app__staff(const struct app_ctx *c, struct app_err *err)
{
    if (c->who.kind != APP_ACTOR_STAFF) {
        app__fail(err, APP_EAUTH, "session_required");
        return NULL;
    }
    return &c->who.staff;
}
