/* eimza — the audit log on the admins' page (see admin.h, "the audit log"; issue 17): the
 * entries newest first with filters (store_audit_newest), the chain's verification
 * (app_audit_verify, app/audit.c) audited itself, and the actions' names in words.
 */
#include "app/admin_int.h"

#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "core/trtext.h"
#include "util/log.h"

/* A filter's text: at most 200 bytes of UTF-8 without controls. */
static void check_text(const char *v, const char *field, struct app_err *err)
{
    const char *bad;
    if (!v || !*v)
        return;
    if (strlen(v) > 200)
        app_err_field(err, field, "too_long");
    else if ((bad = core_text_check_code(core_text_check(v, strlen(v), 0))) != NULL)
        app_err_field(err, field, bad);
}

struct page {
    int (*fn)(void *ctx, const struct app_audit_row *r);
    void *ctx;
    long n;
    bool more;
};

static int one_entry(void *ctx, const struct store_audit_record *r)
{
    struct page *p = ctx;
    if (++p->n > APP_AUDIT_PAGE) { /* the one asked for beyond the page: there are more */
        p->more = true;
        return 1;
    }
    const struct app_audit_row row = {r->seq,      r->e.at,     r->e.actor,
                                      r->e.action, r->e.object, r->e.detail};
    return p->fn(p->ctx, &row);
}

enum app_status app_admin_audit(const struct app_ctx *c, const struct app_audit_filter *f,
                                int (*fn)(void *ctx, const struct app_audit_row *r), void *ctx,
                                bool *more, struct app_err *err)
{
    const struct app_staff *who;
    char actor[APP_USERNAME_MAX + 8];
    app_err_clear(err);
    *more = false;
    if (app__admin_only(c, &who, err) != APP_OK)
        return err->status;
    check_text(f->actor, "actor", err);
    check_text(f->action, "action", err);
    check_text(f->object, "object", err);
    if (f->from < 0 || f->to < 0 || (f->from && f->to && f->from >= f->to))
        app_err_field(err, "to", "date_range");
    if (f->before < 0)
        app_err_field(err, "before", "offset_range");
    if (err->nfields)
        return app__fail(err, APP_EINVAL, "invalid_fields");
    /* a bare user name is a staff member's ("cli", the command line, is itself) */
    const char *a = f->actor;
    if (a && *a && !strchr(a, ':') && strcmp(a, "cli") != 0) {
        snprintf(actor, sizeof actor, "staff:%s", a);
        a = actor;
    }
    const struct store_audit_filter sf = {a,     f->action, f->object,         f->from,
                                          f->to, f->before, APP_AUDIT_PAGE + 1};
    struct page p = {fn, ctx, 0, false};
    enum store_err e = store_audit_newest(c->db, &sf, one_entry, &p);
    if (e != STORE_OK)
        return app__store_err(c->db, e, "reading the audit log", NULL, NULL, err);
    *more = p.more;
    return APP_OK;
}

enum app_status app_admin_audit_verify(const struct app_ctx *c, struct app_audit_check *out,
                                       struct app_err *err)
{
    const struct app_staff *who;
    struct app_audit_report r;
    char actor[APP__ACTOR_MAX], detail[160];
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    if (app__admin_only(c, &who, err) != APP_OK)
        return err->status;
    enum store_err e = app_audit_verify(c->db, &r);
    if (e != STORE_OK)
        return app__store_err(c->db, e, "verifying the audit log", NULL, NULL, err);
    out->entries = r.entries;
    out->intact = r.problem == APP_AUDIT_INTACT;
    out->problem = out->intact ? "" : app_audit_problem_code(r.problem);
    out->seq = r.seq;
    out->at = r.at;
    snprintf(out->action, sizeof out->action, "%s", r.action);
    snprintf(out->last_hash, sizeof out->last_hash, "%s", r.last_hash);
    /* the check is on record too, with what it found */
    app__staff_actor(who, actor);
    snprintf(detail, sizeof detail, "{\"entries\":%ld,\"result\":\"%s\",\"seq\":%lld}", r.entries,
             out->intact ? "intact" : out->problem, (long long)r.seq);
    if ((e = app__audit(c->db, c->now, actor, "audit.verify", "", detail)) != STORE_OK)
        return app__store_err(c->db, e, "auditing a verification", NULL, NULL, err);
    ulog(out->intact ? ULOG_INFO : ULOG_WARN, "audit.verify", "entries=%ld result=%s seq=%lld",
         r.entries, out->intact ? "intact" : out->problem, (long long)r.seq);
    return APP_OK;
}

const char *app_audit_action_text(const char *action, enum core_lang lang)
{
    char key[96];
    size_t n = action ? strlen(action) : 0;
    if (n == 0 || n >= sizeof key)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        key[i] = action[i] == '.' ? '_' : action[i];
    return core_text_of("audit", key, lang);
}
