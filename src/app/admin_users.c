/* eimza — staff accounts on the admins' pages (see admin.h, "staff accounts"; issue 17): the
 * list and one account as app's view (no password hash, no TOTP secret), and adding and
 * changing them through app_user_add / app_user_set (app/staff_auth.h), which check, write and
 * audit; here only who may, and the one rule the command line does not need: an admin cannot
 * disable their own account.
 */
#include "app/admin_int.h"

#include <stdio.h>
#include <string.h>

static void account_view(const struct store_user *u, int64_t now, struct app_staff_account *a)
{
    memset(a, 0, sizeof *a);
    snprintf(a->username, sizeof a->username, "%s", u->username);
    snprintf(a->role, sizeof a->role, "%s", u->role);
    a->province = u->province;
    snprintf(a->email, sizeof a->email, "%s", u->email);
    a->disabled = u->disabled;
    a->totp_enabled = u->totp_enabled;
    a->locked = u->locked_until > now;
    a->failed_count = u->failed_count;
    a->locked_until = u->locked_until;
    a->last_login_at = u->last_login_at;
    a->created_at = u->created_at;
    a->updated_at = u->updated_at;
}

struct each {
    int (*fn)(void *ctx, const struct app_staff_account *a);
    void *ctx;
    int64_t now;
};

static int one_account(void *ctx, const struct store_user *u)
{
    struct each *e = ctx;
    struct app_staff_account a;
    account_view(u, e->now, &a);
    return e->fn(e->ctx, &a);
}

enum app_status app_admin_accounts(const struct app_ctx *c,
                                   int (*fn)(void *ctx, const struct app_staff_account *a),
                                   void *ctx, struct app_err *err)
{
    const struct app_staff *who;
    app_err_clear(err);
    if (app__admin_only(c, &who, err) != APP_OK)
        return err->status;
    struct each e = {fn, ctx, c->now};
    enum store_err se = store_user_each(c->db, one_account, &e);
    return se == STORE_OK
               ? APP_OK
               : app__store_err(c->db, se, "listing the staff accounts", NULL, NULL, err);
}

enum app_status app_admin_account(const struct app_ctx *c, const char *username,
                                  struct app_staff_account *out, struct app_err *err)
{
    const struct app_staff *who;
    struct store_user u;
    app_err_clear(err);
    if (app__admin_only(c, &who, err) != APP_OK)
        return err->status;
    if (!username || !*username || strlen(username) >= sizeof u.username)
        return app__fail(err, APP_ENOTFOUND, "user_not_found");
    enum store_err se = store_user_get(c->db, username, &u);
    if (se != STORE_OK)
        return app__store_err(c->db, se, "reading a staff account", "user_not_found", NULL, err);
    account_view(&u, c->now, out);
    memset(&u, 0, sizeof u); /* the hash and the sealed secret */
    return APP_OK;
}

enum app_status app_admin_account_add(const struct app_ctx *c, const char *username,
                                      const char *role, int province, const char *email,
                                      const char *password, struct app_err *err)
{
    const struct app_staff *who;
    char actor[APP__ACTOR_MAX];
    app_err_clear(err);
    if (app__admin_only(c, &who, err) != APP_OK)
        return err->status;
    app__staff_actor(who, actor);
    return app_user_add(c->db, &c->set->staff, username, role, province, email, password, actor,
                        c->now, err);
}

enum app_status app_admin_account_set(const struct app_ctx *c, const char *username,
                                      const struct app_user_change *ch, struct app_err *err)
{
    const struct app_staff *who;
    char actor[APP__ACTOR_MAX];
    app_err_clear(err);
    if (app__admin_only(c, &who, err) != APP_OK)
        return err->status;
    if (ch->disabled && *ch->disabled && username && !strcmp(username, who->username))
        return app__fail(err, APP_ECONFLICT, "own_account");
    app__staff_actor(who, actor);
    return app_user_set(c->db, username, ch, actor, c->now, err);
}
