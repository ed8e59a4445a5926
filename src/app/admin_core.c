/* eimza — what the staff's use cases share (see admin_int.h): who is asking and what they may
 * see, and reading the queue with the verdict computed now.
 */
#include "app/admin_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/appstate.h"
#include "core/date.h"

/* ---- who is asking --------------------------------------------------------------------------- */

bool app__role_is(const struct app_staff *w, const char *role)
{
    return strcmp(w->role, role) == 0;
}

/* A usable identity: a known role, and an approver with a province. An approver account
 * without one would otherwise see every province (0 means "all"). */
enum app_status app__check_staff(const struct app_staff *w, struct app_err *err)
{
    if (!app__role_is(w, "approver") && !app__role_is(w, "operator") && !app__role_is(w, "admin"))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_role");
    if (app__role_is(w, "approver") && (w->province < 1 || w->province > 81))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_province");
    return APP_OK;
}

/* The province a list is limited to: an approver's own, whatever was asked. */
int app__scope_province(const struct app_staff *w, int asked)
{
    return app__role_is(w, "approver") ? w->province : asked;
}

void app__staff_actor(const struct app_staff *w, char out[APP__ACTOR_MAX])
{
    snprintf(out, APP__ACTOR_MAX, "staff:%s", w->username);
}

unsigned app__method_bits(const char *m)
{
    if (!strcmp(m, "esign"))
        return CORE_METHOD_ESIGN;
    if (!strcmp(m, "wet"))
        return CORE_METHOD_WET;
    return 0;
}

enum app_status app__who(const struct app_ctx *c, const struct app_staff **who, struct app_err *err)
{
    *who = app__staff(c, err);
    if (!*who)
        return err->status;
    return app__check_staff(*who, err);
}

enum app_status app__admin_only(const struct app_ctx *c, const struct app_staff **who,
                                struct app_err *err)
{
    if (app__who(c, who, err) != APP_OK)
        return err->status;
    if (!app__role_is(*who, "admin"))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_role");
    return APP_OK;
}

/* ---- the queue ------------------------------------------------------------------------------- */

struct qrow {
    struct store_application a;
    struct core_personnel p;
    bool has_p;
};
struct qrows {
    struct qrow *v;
    size_t n, cap;
    bool oom;
};

static int collect(void *ctx, const struct store_application *a, const struct core_personnel *p)
{
    struct qrows *r = ctx;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        struct qrow *v = realloc(r->v, cap * sizeof *v);
        if (!v) {
            r->oom = true;
            return 1;
        }
        r->v = v;
        r->cap = cap;
    }
    struct qrow *q = &r->v[r->n++];
    q->a = *a;
    q->has_p = p != NULL;
    if (p)
        q->p = *p;
    return 0;
}

/* The store's filter for a queue filter: 400 invalid_fields for a bad one. limit and offset
 * are the caller's to set. */
enum app_status app__queue_filter(const struct app_staff *who, const struct app_queue_filter *f,
                                  int64_t now, struct store_app_filter *out, struct app_err *err)
{
    enum core_app_state st;
    memset(out, 0, sizeof *out);
    if (f->state && *f->state && core_app_state_parse(f->state, &st) != 0)
        app_err_field(err, "state", "state_unknown");
    if (f->province < 0 || f->province > 81)
        app_err_field(err, "province", "province_unknown");
    if (f->late < -1 || f->late > 1)
        app_err_field(err, "late", "boolean_format");
    if (f->min_waiting_days < 0)
        app_err_field(err, "min_waiting_days", "waiting_days_range");
    if (f->limit < 0 || f->limit > APP__LIST_MAX)
        app_err_field(err, "limit", "limit_range");
    if (f->offset < 0)
        app_err_field(err, "offset", "offset_range");
    if (f->order && *f->order && strcmp(f->order, "urgent") != 0 &&
        strcmp(f->order, "waiting") != 0)
        app_err_field(err, "order", "order_unknown");
    if (err->nfields)
        return app__fail(err, APP_EINVAL, "invalid_fields");
    out->province = app__scope_province(who, f->province);
    out->state = f->state && *f->state ? f->state : NULL;
    out->institution = f->institution && *f->institution ? f->institution : NULL;
    out->district = f->district && *f->district ? f->district : NULL;
    out->late = f->late;
    out->order = f->order && !strcmp(f->order, "waiting") ? STORE_APP_WAITING : STORE_APP_URGENT;
    if (f->min_waiting_days > 0) {
        /* unchanged for at least that many days: updated_at <= now - days */
        int64_t before = now - (int64_t)f->min_waiting_days * APP__DAY + 1;
        out->updated_before = before < 1 ? 1 : before;
    }
    return APP_OK;
}

/* The item of one application: its province and the verdict on the record as it is now. */
enum app_status app__queue_item(struct store *s, const struct app_portal_cfg *cfg,
                                const struct store_application *a, const struct core_personnel *p,
                                const int *known_chain, int64_t now, struct app_application *view,
                                struct app_queue_item *it, struct app_err *err)
{
    int chain = 0;
    enum store_err e = known_chain ? STORE_OK : store_remote_chain_get(s, a->tckn, &chain);
    if (e != STORE_OK)
        return app__store_err(s, e, "reading the renewal chain", NULL, NULL, err);
    if (known_chain)
        chain = *known_chain;
    const struct core_verdict_input in = {
        .person = p,
        .today = core_date_tr_from_unix(now),
        .late = a->late,
        .remote_chain = chain,
        .remote_limit = cfg->remote_renewal_limit,
        .method = app__method_bits(a->method),
    };
    memset(it, 0, sizeof *it);
    app__application_view(a, view);
    it->app = view;
    it->person = p;
    it->province = p ? p->province : a->province;
    core_verdict_make(&in, &it->verdict);
    it->remote_chain = chain;
    it->waiting_since = a->updated_at;
    return APP_OK;
}

/* One page of the queue (sf already scoped and validated) with the verdicts. *stopped tells
 * whether fn asked to stop. */
enum app_status app__queue_page(struct store *s, const struct app_portal_cfg *cfg,
                                const struct store_app_filter *sf, int64_t now,
                                int (*fn)(void *ctx, const struct app_queue_item *it), void *ctx,
                                long *total, size_t *rows, bool *stopped, struct app_err *err)
{
    struct qrows r = {0};
    long tot = 0;
    enum app_status st = APP_OK;
    const char **who = NULL;
    int *chains = NULL;
    enum store_err e = store_app_list(s, sf, collect, &r, &tot);
    if (e == STORE_OK && r.oom)
        e = STORE_ENOMEM;
    if (e != STORE_OK) {
        st = app__store_err(s, e, "listing the queue", NULL, NULL, err);
        goto out;
    }
    /* the page's renewal chains in one statement (a round trip per row made a page of 50
     * cost 54 on PostgreSQL: bench/servers.sh); a page larger than one read allows reads
     * them row by row */
    if (r.n && r.n <= STORE_CHAINS_MAX) {
        who = calloc(r.n, sizeof *who);
        chains = calloc(r.n, sizeof *chains);
        if (!who || !chains) {
            st = app__store_err(s, STORE_ENOMEM, "listing the queue", NULL, NULL, err);
            goto out;
        }
        for (size_t i = 0; i < r.n; i++)
            who[i] = r.v[i].a.tckn;
        if ((e = store_remote_chains_get(s, who, r.n, chains)) != STORE_OK) {
            st = app__store_err(s, e, "reading the renewal chains", NULL, NULL, err);
            goto out;
        }
    }
    *stopped = false;
    for (size_t i = 0; i < r.n; i++) {
        struct app_queue_item it;
        struct app_application view;
        if ((st = app__queue_item(s, cfg, &r.v[i].a, r.v[i].has_p ? &r.v[i].p : NULL,
                                  chains ? &chains[i] : NULL, now, &view, &it, err)) != APP_OK)
            goto out;
        if (fn(ctx, &it) != 0) {
            *stopped = true;
            break;
        }
    }
    if (total)
        *total = tot;
    if (rows)
        *rows = r.n;
out:
    free(who);
    free(chains);
    free(r.v);
    return st;
}

/* The application by id, with the applicant's record now, if the asker may see it. */
enum app_status app__load_scoped(struct store *s, const struct app_staff *who, int64_t id,
                                 struct store_application *a, struct core_personnel *p, bool *has_p,
                                 struct app_err *err)
{
    enum store_err e = id > 0 ? store_app_get(s, id, a) : STORE_ENOTFOUND;
    if (e != STORE_OK)
        return app__store_err(s, e, "reading an application", "not_found", NULL, err);
    e = store_personnel_get(s, a->tckn, p);
    if (e != STORE_OK && e != STORE_ENOTFOUND)
        return app__store_err(s, e, "reading a personnel record", NULL, NULL, err);
    *has_p = e == STORE_OK;
    int province = *has_p ? p->province : a->province;
    if (app__role_is(who, "approver") && province != who->province)
        return app__fail(err, APP_EFORBIDDEN, "forbidden_province");
    return APP_OK;
}
