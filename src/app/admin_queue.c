/* eimza — the approvers' queue and one application with its latest decision (see admin.h). */
#include "app/admin_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

enum app_status app_admin_list(const struct app_ctx *c, const struct app_queue_filter *f,
                               int (*fn)(void *ctx, const struct app_queue_item *it), void *ctx,
                               long *total, struct app_err *err)
{
    const struct app_staff *who;
    struct store_app_filter sf;
    bool stopped;
    app_err_clear(err);
    if (app__who(c, &who, err) != APP_OK || app__queue_filter(who, f, c->now, &sf, err) != APP_OK)
        return err->status;
    sf.limit = f->limit ? f->limit : APP__LIST_DEFAULT;
    sf.offset = f->offset;
    return app__queue_page(c->db, &c->set->portal, &sf, c->now, fn, ctx, total, NULL, &stopped,
                           err);
}

/* A copy of the latest decision (its strings live only during store_decision_get's call). */
struct decision_copy {
    struct app_decision d;
    char *decision, *reason, *staff, *verdict;
    bool oom;
};

static char *dup_or_empty(const char *s, bool *oom)
{
    char *d = strdup(s ? s : "");
    if (!d)
        *oom = true;
    return d;
}

/* The verdict JSON a decision saved ({"eligible":bool,"reasons":[codes],...}) as a verdict;
 * false when it is not such an object. */
static bool verdict_read(const char *text, struct core_verdict *v)
{
    json_error_t je;
    json_t *o = text ? json_loads(text, 0, &je) : NULL, *r;
    bool ok = json_is_object(o) && json_is_boolean(json_object_get(o, "eligible"));
    memset(v, 0, sizeof *v);
    if (ok) {
        size_t i;
        json_t *code;
        v->eligible = json_is_true(json_object_get(o, "eligible"));
        v->wet_required = json_is_true(json_object_get(o, "wet_required"));
        r = json_object_get(o, "reasons");
        json_array_foreach(r, i, code) v->reasons |= core_verdict_parse(json_string_value(code));
    }
    json_decref(o);
    return ok;
}

static int copy_decision(void *ctx, const struct store_decision *d)
{
    struct decision_copy *c = ctx;
    c->decision = dup_or_empty(d->decision, &c->oom);
    c->reason = dup_or_empty(d->reason, &c->oom);
    c->staff = dup_or_empty(d->staff, &c->oom);
    c->verdict = dup_or_empty(d->verdict, &c->oom);
    c->d = (struct app_decision){c->decision, c->reason, c->staff, c->verdict, d->at, false, {0}};
    c->d.has_verdict = verdict_read(d->verdict, &c->d.verdict_then);
    return 0;
}

static void decision_copy_free(struct decision_copy *c)
{
    free(c->decision);
    free(c->reason);
    free(c->staff);
    free(c->verdict);
}

struct timeline {
    struct app_timeline_event ev[APP_TIMELINE_MAX];
    size_t n;
    enum core_lang lang;
};

static int timeline_row(void *ctx, const struct store_app_event *ev)
{
    struct timeline *t = ctx;
    if (t->n == APP_TIMELINE_MAX)
        return 1;
    struct app_timeline_event *e = &t->ev[t->n++];
    memset(e, 0, sizeof *e);
    e->at = ev->at;
    snprintf(e->event, sizeof e->event, "%.23s", ev->event);
    e->label = app_event_label(e->event, t->lang); /* static text, or e->event itself */
    if (ev->actor && !strncmp(ev->actor, "staff:", 6))
        snprintf(e->staff, sizeof e->staff, "%s", ev->actor + 6);
    return 0;
}

enum app_status app_admin_get(const struct app_ctx *c, int64_t id,
                              int (*fn)(void *ctx, const struct app_queue_item *it), void *ctx,
                              struct app_err *err)
{
    struct store *s = c->db;
    const struct app_staff *who;
    struct store_application a;
    struct app_application view;
    struct core_personnel p;
    struct decision_copy dc;
    struct app_queue_item it;
    bool has_p;
    enum app_status st;
    app_err_clear(err);
    memset(&dc, 0, sizeof dc);
    if (app__who(c, &who, err) != APP_OK ||
        app__load_scoped(s, who, id, &a, &p, &has_p, err) != APP_OK)
        return err->status;
    if ((st = app__queue_item(s, &c->set->portal, &a, has_p ? &p : NULL, NULL, c->now, &view, &it,
                              err)) != APP_OK)
        return st;
    enum store_err e = store_decision_get(s, id, copy_decision, &dc);
    if (e == STORE_OK && dc.oom)
        e = STORE_ENOMEM;
    if (e != STORE_OK && e != STORE_ENOTFOUND) {
        st = app__store_err(s, e, "reading a decision", NULL, NULL, err);
        goto out;
    }
    it.decision = e == STORE_OK ? &dc.d : NULL;
    struct timeline *tl = calloc(1, sizeof *tl);
    if (!tl) {
        st = app__fail(err, APP_EINTERNAL, NULL);
        goto out;
    }
    tl->lang = c->lang;
    e = store_app_events(s, id, timeline_row, tl);
    if (e != STORE_OK) {
        free(tl);
        st = app__store_err(s, e, "reading the timeline", NULL, NULL, err);
        goto out;
    }
    it.timeline = tl->ev;
    it.ntimeline = tl->n;
    fn(ctx, &it);
    free(tl);
    st = APP_OK;
out:
    decision_copy_free(&dc);
    return st;
}
