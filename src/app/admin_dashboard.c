/* eimza — the dashboard's figures and the list of people whose certificate ends soon (see
 * admin.h): applications by state and by days waited, and who has not applied yet.
 */
#include "app/admin_int.h"

#include <string.h>

#include "core/appstate.h"
#include "core/tckn.h"

/* ---- the dashboard --------------------------------------------------------------------------- */

enum app_status app__scoped_province(const struct app_staff *who, int asked, int *out,
                                     struct app_err *err)
{
    if (app__check_staff(who, err) != APP_OK)
        return err->status;
    if (asked < 0 || asked > 81) {
        app_err_field(err, "province", "province_unknown");
        return app__fail(err, APP_EINVAL, "invalid_fields");
    }
    *out = app__scope_province(who, asked);
    return APP_OK;
}

static int count_state(void *ctx, const char *state, long n)
{
    struct app_dashboard *d = ctx;
    enum core_app_state st;
    if (core_app_state_parse(state, &st) == 0)
        d->by_state[st] += n;
    return 0;
}

struct wait_ctx {
    struct app_dashboard *d;
    int64_t now;
};

/* The histogram's buckets: < 1 day, 1-3, 3-7, 7-15, >= 15; a bucket holds its lower bound. */
static int count_waiting(void *ctx, const struct store_application *a,
                         const struct core_personnel *p)
{
    (void)p;
    struct wait_ctx *w = ctx;
    static const int64_t upper[APP_WAIT_BUCKETS - 1] = {1 * APP__DAY, 3 * APP__DAY, 7 * APP__DAY,
                                                        15 * APP__DAY};
    int64_t waited = w->now - a->updated_at;
    size_t b = 0;
    while (b < APP_WAIT_BUCKETS - 1 && waited >= upper[b])
        b++;
    w->d->waiting[b]++;
    return 0;
}

static int count_expiring(void *ctx, const struct core_personnel *p,
                          const struct core_certificate *c)
{
    (void)p;
    struct wait_ctx *w = ctx;
    int64_t left = c->not_after - w->now;
    for (int i = 0; i < 3; i++)
        if (left < (int64_t)(i + 1) * 30 * APP__DAY)
            w->d->expiring[i]++;
    return 0;
}

enum app_status app_admin_dashboard(const struct app_ctx *c, int province,
                                    struct app_dashboard *out, struct app_err *err)
{
    struct store *s = c->db;
    const int64_t now = c->now;
    const struct app_staff *who;
    struct wait_ctx w = {out, now};
    enum store_err e;
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    if ((who = app__staff(c, err)) == NULL ||
        app__scoped_province(who, province, &out->province, err) != APP_OK)
        return err->status;
    if ((e = store_app_state_counts(s, out->province, count_state, out)) != STORE_OK)
        return app__store_err(s, e, "counting applications", NULL, NULL, err);
    static const enum core_app_state waiting[] = {CORE_APP_SUBMITTED, CORE_APP_AWAITING_ORIGINAL};
    for (size_t i = 0; i < 2; i++) {
        struct store_app_filter f = {
            .province = out->province, .state = core_app_state_code(waiting[i]), .late = -1};
        long total = 0;
        if ((e = store_app_list(s, &f, count_waiting, &w, &total)) != STORE_OK)
            return app__store_err(s, e, "counting waiting applications", NULL, NULL, err);
    }
    if ((e = store_expiring_unapplied(s, out->province, now, now + 90 * APP__DAY, count_expiring,
                                      &w)) != STORE_OK)
        return app__store_err(s, e, "counting expiring certificates", NULL, NULL, err);
    return APP_OK;
}

enum app_status app__expiring_args(const struct app_staff *who, int province, int days, int *scoped,
                                   struct app_err *err)
{
    if (days != 30 && days != 60 && days != 90)
        app_err_field(err, "days", "expiring_days");
    if (province < 0 || province > 81)
        app_err_field(err, "province", "province_unknown");
    if (err->nfields)
        return app__fail(err, APP_EINVAL, "invalid_fields");
    return app__scoped_province(who, province, scoped, err);
}

/* The store's row as the list shows it. */
struct expiring_view {
    int64_t now;
    int (*fn)(void *ctx, const struct app_expiring_person *p);
    void *ctx;
};

static int expiring_person(void *ctx, const struct core_personnel *p,
                           const struct core_certificate *cert)
{
    const struct expiring_view *v = ctx;
    struct app_expiring_person e = {
        .first_name = p->first_name,
        .last_name = p->last_name,
        .institution_name = p->institution_name,
        .district = p->district,
        .province = p->province,
        .not_after = cert->not_after,
        /* whole days, rounded up: a certificate ending later today has 1 day left */
        .days_left = cert->not_after > v->now ? (cert->not_after - v->now + 86399) / 86400 : 0,
    };
    core_tckn_mask(p->tckn, e.tckn_masked);
    return v->fn(v->ctx, &e);
}

enum app_status app_admin_expiring(const struct app_ctx *c, int province, int days,
                                   int (*fn)(void *ctx, const struct app_expiring_person *p),
                                   void *ctx, struct app_err *err)
{
    const struct app_staff *who;
    const int64_t now = c->now;
    struct expiring_view v = {now, fn, ctx};
    int pr;
    app_err_clear(err);
    if (app__who(c, &who, err) != APP_OK ||
        app__expiring_args(who, province, days, &pr, err) != APP_OK)
        return err->status;
    struct store *s = c->db;
    enum store_err e =
        store_expiring_unapplied(s, pr, now, now + (int64_t)days * APP__DAY, expiring_person, &v);
    if (e != STORE_OK)
        return app__store_err(s, e, "listing expiring certificates", NULL, NULL, err);
    return APP_OK;
}
