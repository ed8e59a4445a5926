/* eimza — the decisions on applications (see admin.h): approve or reject with the verdict made
 * now, the bulk approval of the eligible ones, and the signed paper of the wet-signature path.
 *
 * A decision reads the application, the personnel record and the chain inside its own
 * transaction and writes the state change (checked against the state it read, so a concurrent
 * change is a 409), the decision with the record and verdict it relied on, the renewal chain,
 * the applicant's messages and the audit entry, all or nothing.
 *
 * What the decision keeps of the personnel record is what the verdict rests on (service,
 * assignment, entitlement, where the person works), not the name, the phone or the e-mail:
 * the application already has those, and a second copy would only be more to delete later.
 * The audit entries hold the ready reason's code ("free_text" for words the approver wrote,
 * which may name people), never the words themselves.
 */
#include "app/admin_int.h"
#include "app/flow_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/appstate.h"
#include "core/date.h"
#include "core/trtext.h"
#include "notify/outbox.h"
#include "util/log.h"

#define REASON_CHARS 500 /* a rejection's own words, in characters (app__flow_text_problem) */

/* ---- decisions ------------------------------------------------------------------------------- */

static json_t *date_or_null(int32_t d)
{
    char buf[CORE_DATE_STRLEN + 1];
    if (d == CORE_DATE_NONE)
        return json_null();
    core_date_format(d, buf);
    return json_string(buf);
}

/* The part of the personnel record the verdict rests on, as JSON text (free()); "null" when
 * there is no record. NULL when out of memory. */
static char *personnel_json(const struct core_personnel *p)
{
    if (!p)
        return strdup("null");
    json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b}", "province", p->province,
                          "district", p->district, "institution_code", p->institution_code,
                          "institution_name", p->institution_name, "unit", p->unit, "title",
                          p->title, "duty", core_duty_code(p->duty), "assignment_end",
                          date_or_null(p->assignment_end), "entitled", (int)p->entitled);
    char *t = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return t;
}

/* The verdict's reasons as a JSON array (new reference), NULL when out of memory. */
static json_t *reasons_json(unsigned reasons)
{
    json_t *a = json_array();
    size_t pos = 0;
    unsigned bit;
    while (a && core_verdict_next(reasons, &pos, &bit))
        if (json_array_append_new(a, json_string(core_verdict_code(bit))) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static char *verdict_json(const struct core_verdict *v)
{
    json_t *o = json_pack("{s:b, s:o*, s:b}", "eligible", (int)v->eligible, "reasons",
                          reasons_json(v->reasons), "wet_required", (int)v->wet_required);
    char *t = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return t;
}

/* The applicant's message about the outcome, e-mail and/or SMS as they chose (the other
 * channel when the chosen one has no address), kept in the outbox as a template and its values
 * like the card's messages (app__tell) and rendered when sent, in the deployment's
 * language: application_approved (its in-house twin where the cards are made here: handed over
 * at the office or sent, a late card asked of the e-imza sorumlusu), application_rejected with
 * a ready reason's text (it says what to do), application_rejected_free with the approver's own
 * words, which the template follows with the general advice. The words are a value: a '{' in
 * them is never read as a placeholder. Never the T.C. Kimlik No: the number of the application
 * identifies it. The dedupe key is "decision:<id>:<channel>". */
static enum store_err queue_outcome(struct store *s, const struct app_portal_cfg *cfg,
                                    const struct notify_templates *set,
                                    const struct store_application *a, bool approve,
                                    const struct core_rejection *ready, const char *reason,
                                    int64_t now)
{
    const bool inhouse = cfg->production == APP_PRODUCTION_INHOUSE;
    const enum notify_tpl t = approve ? notify_tpl_deployed(NOTIFY_TPL_APPROVED, inhouse)
                              : ready ? NOTIFY_TPL_REJECTED
                                      : NOTIFY_TPL_REJECTED_FREE;
    /* a ready reason in the words of the language the messages are rendered in */
    const char *lang = notify_templates_lang(set);
    const char *why = ready ? core_rejection_text(ready, lang && !strcmp(lang, "en") ? CORE_LANG_EN
                                                                                     : CORE_LANG_TR)
                            : reason;
    char name[2 * CORE_NAME_MAX + 2], days[16];
    app__flow_name(a, name, sizeof name);
    snprintf(days, sizeof days, "%d", cfg->rules.delivery_expected_days);
    const struct notify_var vars[] = {
        {"name", name}, {"number", a->number}, {approve ? "days" : "reason", approve ? days : why}};
    char stem[48];
    snprintf(stem, sizeof stem, "decision:%lld", (long long)a->id);
    return app__tell(s, a, t, stem, vars, sizeof vars / sizeof vars[0], now);
}

/* Writes a decision the checks allowed (inside the caller's transaction). reason_code is the
 * ready reason's code, "" for the approver's own words (and for an approval). */
static enum store_err write_decision(struct store *s, const struct app_portal_cfg *cfg,
                                     const struct notify_templates *set,
                                     const struct app_staff *who, const struct store_application *a,
                                     const struct store_application *next,
                                     const struct app_queue_item *it, bool approve,
                                     const char *reason_code, const char *reason_text, int64_t now)
{
    char actor[APP__ACTOR_MAX];
    enum store_err e = STORE_ENOMEM;
    char *pj = personnel_json(it->person), *vj = verdict_json(&it->verdict), *detail = NULL;
    /* An e-signed renewal lengthens the chain; the in-person check of the wet path ends it. */
    int chain = -1;
    if (approve && !strcmp(a->method, "wet"))
        chain = 0;
    else if (approve && !strcmp(a->method, "esign"))
        chain = it->remote_chain + 1;
    const char *audit_reason = approve ? NULL : reason_code[0] ? reason_code : "free_text";
    app__staff_actor(who, actor);
    json_t *d = json_pack("{s:s?, s:b, s:o*, s:i}", "reason", audit_reason, "eligible",
                          (int)it->verdict.eligible, "reasons", reasons_json(it->verdict.reasons),
                          "remote_chain", chain < 0 ? it->remote_chain : chain);
    detail = d ? json_dumps(d, JSON_COMPACT) : NULL;
    json_decref(d);
    if (!pj || !vj || !detail)
        goto out;

    const struct store_app_event ev = {now, a->state, next->state, approve ? "approve" : "reject",
                                       actor};
    const struct store_decision dec = {
        .application_id = a->id,
        .at = now,
        .decision = approve ? "approve" : "reject",
        .reason = approve ? "" : reason_text,
        .staff = who->username,
        .personnel = pj,
        .verdict = vj,
    };
    if ((e = store_app_update(s, next, a->state, &ev)) != STORE_OK ||
        (e = store_decision_put(s, &dec)) != STORE_OK ||
        (chain >= 0 && (e = store_remote_chain_set(s, a->tckn, chain, now)) != STORE_OK) ||
        (e = queue_outcome(s, cfg, set, a, approve,
                           reason_code[0] ? core_rejection_find(reason_code) : NULL, reason_text,
                           now)) != STORE_OK)
        goto out;
    e = app__audit(s, now, actor, approve ? "application.approve" : "application.reject", a->number,
                   detail);
out:
    free(pj);
    free(vj);
    free(detail);
    return e;
}

/* A rejection's reason: a ready text's code (its Turkish text is what the applicant gets) or
 * the approver's own words; a field error in err otherwise. */
static void read_reason(const char *reason, const char **code, const char **text,
                        struct app_err *err)
{
    const struct core_rejection *rj = core_rejection_find(reason);
    const char *why;
    if (!reason || !*reason) {
        app_err_field(err, "reason", "reason_required");
    } else if (rj && !strcmp(rj->code, "other")) {
        /* its text points at the approver's words: it cannot stand alone */
        app_err_field(err, "reason", "reason_required");
    } else if (rj) {
        *code = rj->code;
        *text = core_rejection_text(rj, CORE_LANG_TR);
    } else if ((why = app__flow_text_problem(reason, REASON_CHARS))) {
        app_err_field(err, "reason", why);
    } else {
        *code = "";
        *text = reason;
    }
}

/* 409 not_eligible, with the blocking reasons one entry each under "reasons". */
static enum app_status not_eligible(const struct core_verdict *v, struct app_err *err)
{
    size_t pos = 0;
    unsigned bit;
    while (core_verdict_next(v->reasons & CORE_VR_BLOCKING, &pos, &bit) &&
           err->nfields < APP_MAX_FIELD_ERRORS)
        err->fields[err->nfields++] = (struct app_field_error){"reasons", core_verdict_code(bit)};
    return app__fail(err, APP_ECONFLICT, "not_eligible");
}

enum app_status app_admin_decide(const struct app_ctx *c, int64_t id, const char *decision,
                                 const char *reason, struct app_application *out,
                                 struct app_err *err)
{
    struct store *s = c->db;
    const struct app_portal_cfg *cfg = &c->set->portal;
    const int64_t now = c->now;
    struct store_application a, next;
    struct app_application view;
    struct core_personnel p;
    struct app_queue_item it;
    const char *reason_code = "", *reason_text = "";
    enum core_app_state from, to;
    enum store_err e;
    bool has_p;
    enum app_status st;

    app_err_clear(err);
    const struct app_staff *who = app__staff(c, err);
    if (!who)
        return err->status;
    bool approve = decision && !strcmp(decision, "approve");
    bool reject = decision && !strcmp(decision, "reject");
    if (!approve && !reject)
        app_err_field(err, "decision", decision && *decision ? "decision_unknown" : "required");
    if (reject)
        read_reason(reason, &reason_code, &reason_text, err);
    if (err->nfields)
        return app__fail(err, APP_EINVAL, "invalid_fields");
    if (app__check_staff(who, err) != APP_OK)
        return err->status;
    if (!app__role_is(who, "approver") && !app__role_is(who, "admin"))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_role");

    if ((e = store_tx_begin(s)) != STORE_OK)
        return app__store_err(s, e, "starting a transaction", NULL, NULL, err);
    if ((st = app__load_scoped(s, who, id, &a, &p, &has_p, err)) != APP_OK)
        goto fail;
    if (core_app_state_parse(a.state, &from) != 0 ||
        core_app_next(from, approve ? CORE_EV_APPROVE : CORE_EV_REJECT, &to) != 0) {
        st = app__fail(err, APP_ECONFLICT, "wrong_state");
        goto fail;
    }
    if ((st = app__queue_item(s, cfg, &a, has_p ? &p : NULL, NULL, now, &view, &it, err)) != APP_OK)
        goto fail;
    if (approve && !it.verdict.eligible) {
        st = not_eligible(&it.verdict, err);
        goto fail;
    }
    next = a;
    snprintf(next.state, sizeof next.state, "%s", core_app_state_code(to));
    next.updated_at = now;
    if (approve)
        next.approved_at = now; /* the card's delivery deadline counts from here (card_flow.h) */
    e = write_decision(s, cfg, c->set->templates, who, &a, &next, &it, approve, reason_code,
                       reason_text, now);
    if (e == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK)
        return app__store_err(s, e, "recording a decision", "not_found", "wrong_state", err);
    ulog(ULOG_INFO, "admin.decision", "application=%s decision=%s staff=%s eligible=%d", a.number,
         approve ? "approve" : "reject", who->username, it.verdict.eligible);
    if (out)
        app__application_view(&next, out);
    return APP_OK;
fail:
    store_tx_rollback(s);
    return st;
}

struct id_list {
    int64_t *ids;
    size_t n;
};

/* The eligible ones of a page (at most APP__LIST_MAX, the room made for them). */
static int collect_id(void *ctx, const struct app_queue_item *it)
{
    struct id_list *c = ctx;
    if (it->verdict.eligible)
        c->ids[c->n++] = it->app->id;
    return 0;
}

enum app_status app_admin_bulk_approve(const struct app_ctx *c, const struct app_queue_filter *f,
                                       long *approved, long *skipped, struct app_err *err)
{
    struct store *s = c->db;
    const int64_t now = c->now;
    const struct app_staff *who;
    struct store_app_filter sf;
    struct app_queue_filter g = *f;
    struct id_list ids = {NULL, 0};
    long total = 0;
    size_t rows = 0;
    bool stopped;
    enum app_status st;
    char actor[APP__ACTOR_MAX], detail[128];

    app_err_clear(err);
    *approved = *skipped = 0;
    if (app__who(c, &who, err) != APP_OK)
        return err->status;
    if (!app__role_is(who, "approver") && !app__role_is(who, "admin"))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_role");
    /* Only submitted applications can be approved, whatever state the filter names. */
    g.state = core_app_state_code(CORE_APP_SUBMITTED);
    g.limit = 0;
    g.offset = 0;
    if (app__queue_filter(who, &g, now, &sf, err) != APP_OK)
        return err->status;
    sf.limit = APP__LIST_MAX;
    if (!(ids.ids = calloc(APP__LIST_MAX, sizeof *ids.ids)))
        return app__fail(err, APP_EINTERNAL, NULL);
    if ((st = app__queue_page(s, &c->set->portal, &sf, now, collect_id, &ids, &total, &rows,
                              &stopped, err)) != APP_OK)
        goto out;
    *skipped = (long)(rows - ids.n);
    for (size_t i = 0; i < ids.n; i++) {
        struct app_err e1;
        enum app_status r = app_admin_decide(c, ids.ids[i], "approve", NULL, NULL, &e1);
        if (r == APP_OK) {
            (*approved)++;
        } else if (r == APP_ECONFLICT || r == APP_ENOTFOUND || r == APP_EFORBIDDEN) {
            (*skipped)++; /* changed meanwhile */
        } else {
            *err = e1;
            st = r;
            goto out;
        }
    }
    app__staff_actor(who, actor);
    snprintf(detail, sizeof detail, "{\"province\":%d,\"approved\":%ld,\"skipped\":%ld}",
             sf.province, *approved, *skipped);
    enum store_err e = app__audit(s, now, actor, "application.bulk_approve", "queue", detail);
    st = e == STORE_OK ? APP_OK : app__store_err(s, e, "auditing a bulk approval", NULL, NULL, err);
out:
    free(ids.ids);
    return st;
}

enum app_status app_admin_bulk_approve_ids(const struct app_ctx *c, const int64_t *ids, size_t n,
                                           long *approved, long *skipped, struct app_err *err)
{
    const struct app_staff *who;
    char actor[APP__ACTOR_MAX], detail[128];
    app_err_clear(err);
    *approved = *skipped = 0;
    if (app__who(c, &who, err) != APP_OK)
        return err->status;
    if (!app__role_is(who, "approver") && !app__role_is(who, "admin"))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_role");
    if (!ids || n == 0 || n > APP_BULK_IDS_MAX) {
        app_err_field(err, "ids", "bulk_ids_range");
        return app__fail(err, APP_EINVAL, "invalid_fields");
    }
    for (size_t i = 0; i < n; i++) {
        bool again = false;
        for (size_t k = 0; k < i && !again; k++)
            again = ids[k] == ids[i];
        if (again)
            continue;
        struct app_err e1;
        enum app_status r = app_admin_decide(c, ids[i], "approve", NULL, NULL, &e1);
        if (r == APP_OK) {
            (*approved)++;
        } else if (r == APP_ECONFLICT || r == APP_ENOTFOUND || r == APP_EFORBIDDEN) {
            (*skipped)++; /* changed meanwhile, not eligible, not the asker's: never approved */
        } else {
            *err = e1;
            return r;
        }
    }
    app__staff_actor(who, actor);
    snprintf(detail, sizeof detail, "{\"listed\":%zu,\"approved\":%ld,\"skipped\":%ld}", n,
             *approved, *skipped);
    enum store_err e = app__audit(c->db, c->now, actor, "application.bulk_approve", "list", detail);
    return e == STORE_OK ? APP_OK
                         : app__store_err(c->db, e, "auditing a bulk approval", NULL, NULL, err);
}

enum app_status app_admin_paper_received(const struct app_ctx *c, int64_t id,
                                         struct app_application *out, struct app_err *err)
{
    struct store *s = c->db;
    const int64_t now = c->now;
    const struct app_staff *who;
    struct store_application a, next;
    enum core_app_state from, to;
    char actor[APP__ACTOR_MAX];
    enum store_err e;

    app_err_clear(err);
    if (app__flow_staff(c, &who, err) != APP_OK || app__flow_tx_app(s, id, &a, err) != APP_OK)
        return err->status;
    if (core_app_state_parse(a.state, &from) != 0 ||
        core_app_next(from, CORE_EV_PAPER_RECEIVED, &to) != 0) {
        store_tx_rollback(s);
        return app__fail(err, APP_ECONFLICT, "wrong_state");
    }
    next = a;
    snprintf(next.state, sizeof next.state, "%s", core_app_state_code(to));
    snprintf(next.method, sizeof next.method, "wet");
    next.updated_at = now;
    app__staff_actor(who, actor);
    const struct store_app_event ev = {now, a.state, next.state, "paper_received", actor};
    if ((e = store_app_update(s, &next, a.state, &ev)) == STORE_OK &&
        (e = app__audit(s, now, actor, "application.paper_received", a.number, NULL)) == STORE_OK &&
        /* identity checked in person: a lost or stolen card's certificate goes (card_flow.h) */
        (strcmp(next.reason, "lost_stolen") != 0 ||
         (e = app__flow_lost(s, c->set->ca_issuer, &next, actor, now)) == STORE_OK))
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK)
        return app__store_err(s, e, "recording the signed paper", "not_found", "wrong_state", err);
    ulog(ULOG_INFO, "admin.paper_received", "application=%s staff=%s", a.number, who->username);
    if (out)
        app__application_view(&next, out);
    return APP_OK;
}
