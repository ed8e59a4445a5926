/* eimza — the provincial administrator's work (see admin.h for the rules): the queue with the
 * verdict computed now, decisions, bulk approval, the signed paper of the wet path, the
 * dashboard's figures and the CSV exports.
 *
 * Store callbacks may not use the store, so a list is read in two steps: the rows are copied
 * out first, then each one's renewal chain is read and its verdict made. A decision reads the
 * application, the personnel record and the chain inside its own transaction and writes the
 * state change (checked against the state it read, so a concurrent change is a 409), the
 * decision with the record and verdict it relied on, the renewal chain, the applicant's
 * messages and the audit entry, all or nothing.
 *
 * What the decision keeps of the personnel record is what the verdict rests on (service,
 * assignment, entitlement, where the person works), not the name, the phone or the e-mail:
 * the application already has those, and a second copy would only be more to delete later.
 * The audit entries hold the ready reason's code ("free_text" for words the approver wrote,
 * which may name people), never the words themselves.
 */
#include "app/admin.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/portal_int.h"
#include "core/appstate.h"
#include "core/date.h"
#include "core/tckn.h"
#include "core/trtext.h"
#include "core/validate.h"
#include "util/log.h"

#define DAY          86400
#define LIST_MAX     500 /* rows of one list page, and applications of one bulk approval */
#define LIST_DEFAULT 100
#define REASON_CHARS 500 /* a rejection's own words, in characters */
#define ACTOR_MAX    (STORE_USERNAME_MAX + 8)

/* ---- who is asking --------------------------------------------------------------------------- */

void app_staff_from_user(const struct store_user *u, struct app_staff *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->username, sizeof out->username, "%s", u->username);
    snprintf(out->role, sizeof out->role, "%s", u->role);
    out->province = strcmp(u->role, "approver") == 0 ? u->province : 0;
}

static bool role_is(const struct app_staff *w, const char *role)
{
    return strcmp(w->role, role) == 0;
}

/* A usable identity: a known role, and an approver with a province. An approver account
 * without one would otherwise see every province (0 means "all"). */
static enum app_status check_staff(const struct app_staff *w, struct app_err *err)
{
    if (!role_is(w, "approver") && !role_is(w, "operator") && !role_is(w, "admin"))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_role");
    if (role_is(w, "approver") && (w->province < 1 || w->province > 81))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_province");
    return APP_OK;
}

/* The province a list is limited to: an approver's own, whatever was asked. */
static int scope_province(const struct app_staff *w, int asked)
{
    return role_is(w, "approver") ? w->province : asked;
}

static void staff_actor(const struct app_staff *w, char out[ACTOR_MAX])
{
    snprintf(out, ACTOR_MAX, "staff:%s", w->username);
}

static unsigned method_bits(const char *m)
{
    if (!strcmp(m, "esign"))
        return CORE_METHOD_ESIGN;
    if (!strcmp(m, "wet"))
        return CORE_METHOD_WET;
    return 0;
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
static enum app_status make_filter(const struct app_staff *who, const struct app_queue_filter *f,
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
    if (f->limit < 0 || f->limit > LIST_MAX)
        app_err_field(err, "limit", "limit_range");
    if (f->offset < 0)
        app_err_field(err, "offset", "offset_range");
    if (err->nfields)
        return app__fail(err, APP_EINVAL, "invalid_fields");
    out->province = scope_province(who, f->province);
    out->state = f->state && *f->state ? f->state : NULL;
    out->institution = f->institution && *f->institution ? f->institution : NULL;
    out->district = f->district && *f->district ? f->district : NULL;
    out->late = f->late;
    if (f->min_waiting_days > 0) {
        /* unchanged for at least that many days: updated_at <= now - days */
        int64_t before = now - (int64_t)f->min_waiting_days * DAY + 1;
        out->updated_before = before < 1 ? 1 : before;
    }
    return APP_OK;
}

/* The item of one application: its province and the verdict on the record as it is now. */
static enum app_status make_item(struct store *s, const struct app_portal_cfg *cfg,
                                 const struct store_application *a, const struct core_personnel *p,
                                 int64_t now, struct app_queue_item *it, struct app_err *err)
{
    int chain = 0;
    enum store_err e = store_remote_chain_get(s, a->tckn, &chain);
    if (e != STORE_OK)
        return app__store_err(s, e, "reading the renewal chain", NULL, NULL, err);
    const struct core_verdict_input in = {
        .person = p,
        .today = core_date_from_unix(now),
        .late = a->late,
        .remote_chain = chain,
        .remote_limit = cfg->remote_renewal_limit,
        .method = method_bits(a->method),
    };
    memset(it, 0, sizeof *it);
    it->app = a;
    it->person = p;
    it->province = p ? p->province : a->province;
    core_verdict_make(&in, &it->verdict);
    it->remote_chain = chain;
    it->waiting_since = a->updated_at;
    return APP_OK;
}

/* One page of the queue (sf already scoped and validated) with the verdicts. *stopped tells
 * whether fn asked to stop. */
static enum app_status queue_page(struct store *s, const struct app_portal_cfg *cfg,
                                  const struct store_app_filter *sf, int64_t now,
                                  int (*fn)(void *ctx, const struct app_queue_item *it), void *ctx,
                                  long *total, size_t *rows, bool *stopped, struct app_err *err)
{
    struct qrows r = {0};
    long tot = 0;
    enum app_status st = APP_OK;
    enum store_err e = store_app_list(s, sf, collect, &r, &tot);
    if (e == STORE_OK && r.oom)
        e = STORE_ENOMEM;
    if (e != STORE_OK) {
        st = app__store_err(s, e, "listing the queue", NULL, NULL, err);
        goto out;
    }
    *stopped = false;
    for (size_t i = 0; i < r.n; i++) {
        struct app_queue_item it;
        if ((st = make_item(s, cfg, &r.v[i].a, r.v[i].has_p ? &r.v[i].p : NULL, now, &it, err)) !=
            APP_OK)
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
    free(r.v);
    return st;
}

enum app_status app_admin_list(struct store *s, const struct app_portal_cfg *cfg,
                               const struct app_staff *who, const struct app_queue_filter *f,
                               int64_t now, int (*fn)(void *ctx, const struct app_queue_item *it),
                               void *ctx, long *total, struct app_err *err)
{
    struct store_app_filter sf;
    bool stopped;
    app_err_clear(err);
    if (check_staff(who, err) != APP_OK || make_filter(who, f, now, &sf, err) != APP_OK)
        return err->status;
    sf.limit = f->limit ? f->limit : LIST_DEFAULT;
    sf.offset = f->offset;
    return queue_page(s, cfg, &sf, now, fn, ctx, total, NULL, &stopped, err);
}

/* The application by id, with the applicant's record now, if the asker may see it. */
static enum app_status load_scoped(struct store *s, const struct app_staff *who, int64_t id,
                                   struct store_application *a, struct core_personnel *p,
                                   bool *has_p, struct app_err *err)
{
    enum store_err e = id > 0 ? store_app_get(s, id, a) : STORE_ENOTFOUND;
    if (e != STORE_OK)
        return app__store_err(s, e, "reading an application", "not_found", NULL, err);
    e = store_personnel_get(s, a->tckn, p);
    if (e != STORE_OK && e != STORE_ENOTFOUND)
        return app__store_err(s, e, "reading a personnel record", NULL, NULL, err);
    *has_p = e == STORE_OK;
    int province = *has_p ? p->province : a->province;
    if (role_is(who, "approver") && province != who->province)
        return app__fail(err, APP_EFORBIDDEN, "forbidden_province");
    return APP_OK;
}

/* A copy of the latest decision (its strings live only during store_decision_get's call). */
struct decision_copy {
    struct store_decision d;
    char *decision, *reason, *staff, *personnel, *verdict;
    bool oom;
};

static char *dup_or_empty(const char *s, bool *oom)
{
    char *d = strdup(s ? s : "");
    if (!d)
        *oom = true;
    return d;
}

static int copy_decision(void *ctx, const struct store_decision *d)
{
    struct decision_copy *c = ctx;
    c->decision = dup_or_empty(d->decision, &c->oom);
    c->reason = dup_or_empty(d->reason, &c->oom);
    c->staff = dup_or_empty(d->staff, &c->oom);
    c->personnel = dup_or_empty(d->personnel, &c->oom);
    c->verdict = dup_or_empty(d->verdict, &c->oom);
    c->d = (struct store_decision){d->application_id, d->at,        c->decision, c->reason,
                                   c->staff,          c->personnel, c->verdict};
    return 0;
}

static void decision_copy_free(struct decision_copy *c)
{
    free(c->decision);
    free(c->reason);
    free(c->staff);
    free(c->personnel);
    free(c->verdict);
}

enum app_status app_admin_get(struct store *s, const struct app_portal_cfg *cfg,
                              const struct app_staff *who, int64_t id, int64_t now,
                              int (*fn)(void *ctx, const struct app_queue_item *it), void *ctx,
                              struct app_err *err)
{
    struct store_application a;
    struct core_personnel p;
    struct decision_copy dc;
    struct app_queue_item it;
    bool has_p;
    enum app_status st;
    app_err_clear(err);
    memset(&dc, 0, sizeof dc);
    if (check_staff(who, err) != APP_OK || load_scoped(s, who, id, &a, &p, &has_p, err) != APP_OK)
        return err->status;
    if ((st = make_item(s, cfg, &a, has_p ? &p : NULL, now, &it, err)) != APP_OK)
        return st;
    enum store_err e = store_decision_get(s, id, copy_decision, &dc);
    if (e == STORE_OK && dc.oom)
        e = STORE_ENOMEM;
    if (e != STORE_OK && e != STORE_ENOTFOUND) {
        st = app__store_err(s, e, "reading a decision", NULL, NULL, err);
        goto out;
    }
    it.decision = e == STORE_OK ? &dc.d : NULL;
    fn(ctx, &it);
    st = APP_OK;
out:
    decision_copy_free(&dc);
    return st;
}

/* ---- decisions ------------------------------------------------------------------------------- */

/* Words an approver wrote: 1..REASON_CHARS characters of UTF-8 with something besides blanks;
 * line breaks and tabs are fine, other control characters are not. NULL or a reason code. */
static const char *free_text_problem(const char *t)
{
    size_t n = strlen(t), chars = 0;
    bool content = false;
    if (!core_utf8_valid(t, n))
        return "not_utf8";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f)
            return "not_utf8";
        if ((c & 0xC0) != 0x80)
            chars++;
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            content = true;
    }
    if (!content)
        return "reason_required";
    if (chars > REASON_CHARS)
        return "too_long";
    return NULL;
}

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
 * channel when the chosen one has no address). Never the T.C. Kimlik No: the number of the
 * application identifies it. A ready reason's text says what to do; the approver's own words
 * get the general advice after them. */
static enum store_err queue_outcome(struct store *s, const struct app_portal_cfg *cfg,
                                    const struct store_application *a, bool approve,
                                    const char *reason, bool ready_text, int64_t now)
{
    static const char advice[] = "Ayrıntı için il DYS yöneticinizle görüşünüz; gereken "
                                 "düzeltmeden sonra portaldan yeniden başvurabilirsiniz.";
    bool mail = strcmp(a->notify_by, "sms") != 0 && a->email[0];
    bool sms = strcmp(a->notify_by, "email") != 0 && a->mobile_phone[0];
    if (!mail && !sms) {
        mail = a->email[0] != '\0';
        sms = !mail && a->mobile_phone[0];
    }
    const int days = cfg->rules.delivery_expected_days;
    struct ubuf body = UBUF_INIT(8192);
    enum store_err e = STORE_OK;
    char key[64];
    bool inserted;

    if (mail) {
        int bad = ubuf_printf(&body, "Sayın %s %s,\n\n%s numaralı e-imza sertifikası başvurunuz ",
                              a->first_name, a->last_name, a->number);
        if (approve)
            bad |= ubuf_printf(&body,
                               "il DYS yöneticisi tarafından onaylandı. Yeni kartınız yaklaşık "
                               "%d gün içinde başvuru formundaki adrese kargo ile "
                               "gönderilecektir.\n\nBaşvurunuzun durumunu e-imza portalındaki "
                               "başvuru durumu sayfasından izleyebilirsiniz. Kartınız bu süre "
                               "içinde ulaşmazsa Kamu SM çağrı merkezini (444 5 576) arayınız.\n",
                               days);
        else
            bad |=
                ubuf_printf(&body, "il DYS yöneticisi tarafından reddedildi.\n\nGerekçe: %s\n%s%s",
                            reason, ready_text ? "" : "\n", ready_text ? "" : advice);
        struct store_outbox_msg m = {
            .channel = "email",
            .recipient = a->email,
            .subject = approve ? "E-imza başvurunuz onaylandı" : "E-imza başvurunuz reddedildi",
            .body = ubuf_str(&body),
            .dedupe_key = key,
        };
        snprintf(key, sizeof key, "decision:%lld:email", (long long)a->id);
        e = bad ? STORE_ENOMEM : store_outbox_put(s, &m, now, &inserted);
    }
    if (e == STORE_OK && sms) {
        ubuf_reset(&body);
        int bad =
            approve
                ? ubuf_printf(&body,
                              "e-imza başvurunuz (%s) onaylandı. Yeni kartınız yaklaşık %d gün "
                              "içinde formdaki adrese kargo ile gönderilecek. Durumu portaldan "
                              "izleyebilirsiniz.",
                              a->number, days)
                : ubuf_printf(&body, "e-imza başvurunuz (%s) reddedildi. Gerekçe: %s%s%s",
                              a->number, reason, ready_text ? "" : " ", ready_text ? "" : advice);
        struct store_outbox_msg m = {
            .channel = "sms",
            .recipient = a->mobile_phone,
            .subject = "",
            .body = ubuf_str(&body),
            .dedupe_key = key,
        };
        snprintf(key, sizeof key, "decision:%lld:sms", (long long)a->id);
        e = bad ? STORE_ENOMEM : store_outbox_put(s, &m, now, &inserted);
    }
    ubuf_free(&body);
    return e;
}

/* Writes a decision the checks allowed (inside the caller's transaction). reason_code is the
 * ready reason's code, "" for the approver's own words (and for an approval). */
static enum store_err write_decision(struct store *s, const struct app_portal_cfg *cfg,
                                     const struct app_staff *who, const struct store_application *a,
                                     const struct store_application *next,
                                     const struct app_queue_item *it, bool approve,
                                     const char *reason_code, const char *reason_text, int64_t now)
{
    char actor[ACTOR_MAX];
    enum store_err e = STORE_ENOMEM;
    char *pj = personnel_json(it->person), *vj = verdict_json(&it->verdict), *detail = NULL;
    /* An e-signed renewal lengthens the chain; the in-person check of the wet path ends it. */
    int chain = -1;
    if (approve && !strcmp(a->method, "wet"))
        chain = 0;
    else if (approve && !strcmp(a->method, "esign"))
        chain = it->remote_chain + 1;
    const char *audit_reason = approve ? NULL : reason_code[0] ? reason_code : "free_text";
    staff_actor(who, actor);
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
        (e = queue_outcome(s, cfg, a, approve, reason_text, reason_code[0] != '\0', now)) !=
            STORE_OK)
        goto out;
    e = app__audit(s, now, actor, approve ? "application.approve" : "application.reject", a->number,
                   detail);
out:
    free(pj);
    free(vj);
    free(detail);
    return e;
}

enum app_status app_admin_decide(struct store *s, const struct app_portal_cfg *cfg,
                                 const struct app_staff *who, int64_t id, const char *decision,
                                 const char *reason, int64_t now, struct store_application *out,
                                 struct app_err *err)
{
    struct store_application a, next;
    struct core_personnel p;
    struct app_queue_item it;
    const char *reason_code = "", *reason_text = "";
    enum core_app_state from, to;
    enum store_err e;
    bool has_p;
    enum app_status st;

    app_err_clear(err);
    bool approve = decision && !strcmp(decision, "approve");
    bool reject = decision && !strcmp(decision, "reject");
    if (!approve && !reject)
        app_err_field(err, "decision", decision && *decision ? "decision_unknown" : "required");
    if (reject) {
        const struct core_rejection *rj = core_rejection_find(reason);
        const char *why;
        if (!reason || !*reason) {
            app_err_field(err, "reason", "reason_required");
        } else if (rj && !strcmp(rj->code, "other")) {
            /* its text points at the approver's words: it cannot stand alone */
            app_err_field(err, "reason", "reason_required");
        } else if (rj) {
            reason_code = rj->code;
            reason_text = rj->tr;
        } else if ((why = free_text_problem(reason))) {
            app_err_field(err, "reason", why);
        } else {
            reason_code = "";
            reason_text = reason;
        }
    }
    if (err->nfields)
        return app__fail(err, APP_EINVAL, "invalid_fields");
    if (check_staff(who, err) != APP_OK)
        return err->status;
    if (!role_is(who, "approver") && !role_is(who, "admin"))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_role");

    if ((e = store_tx_begin(s)) != STORE_OK)
        return app__store_err(s, e, "starting a transaction", NULL, NULL, err);
    if ((st = load_scoped(s, who, id, &a, &p, &has_p, err)) != APP_OK)
        goto fail;
    if (core_app_state_parse(a.state, &from) != 0 ||
        core_app_next(from, approve ? CORE_EV_APPROVE : CORE_EV_REJECT, &to) != 0) {
        st = app__fail(err, APP_ECONFLICT, "wrong_state");
        goto fail;
    }
    if ((st = make_item(s, cfg, &a, has_p ? &p : NULL, now, &it, err)) != APP_OK)
        goto fail;
    if (approve && !it.verdict.eligible) {
        /* the blocking reasons go with the answer, one entry each under "reasons" */
        size_t pos = 0;
        unsigned bit;
        while (core_verdict_next(it.verdict.reasons & CORE_VR_BLOCKING, &pos, &bit) &&
               err->nfields < APP_MAX_FIELD_ERRORS)
            err->fields[err->nfields++] =
                (struct app_field_error){"reasons", core_verdict_code(bit)};
        st = app__fail(err, APP_ECONFLICT, "not_eligible");
        goto fail;
    }
    next = a;
    snprintf(next.state, sizeof next.state, "%s", core_app_state_code(to));
    next.updated_at = now;
    e = write_decision(s, cfg, who, &a, &next, &it, approve, reason_code, reason_text, now);
    if (e == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK)
        return app__store_err(s, e, "recording a decision", "not_found", "wrong_state", err);
    ulog(ULOG_INFO, "admin.decision", "application=%s decision=%s staff=%s eligible=%d", a.number,
         approve ? "approve" : "reject", who->username, it.verdict.eligible);
    if (out)
        *out = next;
    return APP_OK;
fail:
    store_tx_rollback(s);
    return st;
}

struct id_list {
    int64_t *ids;
    size_t n;
};

/* The eligible ones of a page (at most LIST_MAX, the room made for them). */
static int collect_id(void *ctx, const struct app_queue_item *it)
{
    struct id_list *c = ctx;
    if (it->verdict.eligible)
        c->ids[c->n++] = it->app->id;
    return 0;
}

enum app_status app_admin_bulk_approve(struct store *s, const struct app_portal_cfg *cfg,
                                       const struct app_staff *who,
                                       const struct app_queue_filter *f, int64_t now,
                                       long *approved, long *skipped, struct app_err *err)
{
    struct store_app_filter sf;
    struct app_queue_filter g = *f;
    struct id_list c = {NULL, 0};
    long total = 0;
    size_t rows = 0;
    bool stopped;
    enum app_status st;
    char actor[ACTOR_MAX], detail[128];

    app_err_clear(err);
    *approved = *skipped = 0;
    if (check_staff(who, err) != APP_OK)
        return err->status;
    if (!role_is(who, "approver") && !role_is(who, "admin"))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_role");
    /* Only submitted applications can be approved, whatever state the filter names. */
    g.state = core_app_state_code(CORE_APP_SUBMITTED);
    g.limit = 0;
    g.offset = 0;
    if (make_filter(who, &g, now, &sf, err) != APP_OK)
        return err->status;
    sf.limit = LIST_MAX;
    if (!(c.ids = calloc(LIST_MAX, sizeof *c.ids)))
        return app__fail(err, APP_EINTERNAL, NULL);
    if ((st = queue_page(s, cfg, &sf, now, collect_id, &c, &total, &rows, &stopped, err)) != APP_OK)
        goto out;
    *skipped = (long)(rows - c.n);
    for (size_t i = 0; i < c.n; i++) {
        struct app_err e1;
        enum app_status r =
            app_admin_decide(s, cfg, who, c.ids[i], "approve", NULL, now, NULL, &e1);
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
    staff_actor(who, actor);
    snprintf(detail, sizeof detail, "{\"province\":%d,\"approved\":%ld,\"skipped\":%ld}",
             sf.province, *approved, *skipped);
    enum store_err e = app__audit(s, now, actor, "application.bulk_approve", "queue", detail);
    st = e == STORE_OK ? APP_OK : app__store_err(s, e, "auditing a bulk approval", NULL, NULL, err);
out:
    free(c.ids);
    return st;
}

enum app_status app_admin_paper_received(struct store *s, const struct app_staff *who, int64_t id,
                                         int64_t now, struct store_application *out,
                                         struct app_err *err)
{
    struct store_application a, next;
    enum core_app_state from, to;
    char actor[ACTOR_MAX];
    enum store_err e;

    app_err_clear(err);
    if (check_staff(who, err) != APP_OK)
        return err->status;
    if (!role_is(who, "operator") && !role_is(who, "admin"))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_role");
    if ((e = store_tx_begin(s)) != STORE_OK)
        return app__store_err(s, e, "starting a transaction", NULL, NULL, err);
    e = id > 0 ? store_app_get(s, id, &a) : STORE_ENOTFOUND;
    if (e != STORE_OK) {
        store_tx_rollback(s);
        return app__store_err(s, e, "reading an application", "not_found", NULL, err);
    }
    if (core_app_state_parse(a.state, &from) != 0 ||
        core_app_next(from, CORE_EV_PAPER_RECEIVED, &to) != 0) {
        store_tx_rollback(s);
        return app__fail(err, APP_ECONFLICT, "wrong_state");
    }
    next = a;
    snprintf(next.state, sizeof next.state, "%s", core_app_state_code(to));
    snprintf(next.method, sizeof next.method, "wet");
    next.updated_at = now;
    staff_actor(who, actor);
    const struct store_app_event ev = {now, a.state, next.state, "paper_received", actor};
    if ((e = store_app_update(s, &next, a.state, &ev)) == STORE_OK &&
        (e = app__audit(s, now, actor, "application.paper_received", a.number, NULL)) == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK)
        return app__store_err(s, e, "recording the signed paper", "not_found", "wrong_state", err);
    ulog(ULOG_INFO, "admin.paper_received", "application=%s staff=%s", a.number, who->username);
    if (out)
        *out = next;
    return APP_OK;
}

enum app_status app_admin_message_action(struct store *s, const struct app_staff *who, int64_t id,
                                         const char *action, int64_t now, struct app_err *err)
{
    char actor[ACTOR_MAX], object[24];
    app_err_clear(err);
    if (check_staff(who, err) != APP_OK)
        return err->status;
    if (!role_is(who, "operator") && !role_is(who, "admin"))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_role");
    const bool retry = action && !strcmp(action, "retry");
    if (!retry && (!action || strcmp(action, "confirm")))
        return app__fail(err, APP_EINVAL, "action_unknown");
    if (id <= 0)
        return app__fail(err, APP_ENOTFOUND, "message_not_found");
    staff_actor(who, actor);
    snprintf(object, sizeof object, "%lld", (long long)id);
    enum store_err e = store_tx_begin(s);
    if (e == STORE_OK && (e = store_outbox_resolve(s, id, retry, now)) == STORE_OK &&
        (e = app__audit(s, now, actor, retry ? "message.retry" : "message.confirm", object,
                        NULL)) == STORE_OK)
        e = store_tx_commit(s);
    else
        store_tx_rollback(s);
    if (e != STORE_OK)
        return app__store_err(s, e, "answering for a message", "message_not_found",
                              "message_not_waiting", err);
    ulog(ULOG_INFO, retry ? "admin.message_retry" : "admin.message_confirm", "id=%lld staff=%s",
         (long long)id, who->username);
    return APP_OK;
}

/* ---- the dashboard --------------------------------------------------------------------------- */

static enum app_status scoped_province(const struct app_staff *who, int asked, int *out,
                                       struct app_err *err)
{
    if (check_staff(who, err) != APP_OK)
        return err->status;
    if (asked < 0 || asked > 81) {
        app_err_field(err, "province", "province_unknown");
        return app__fail(err, APP_EINVAL, "invalid_fields");
    }
    *out = scope_province(who, asked);
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
    static const int64_t upper[APP_WAIT_BUCKETS - 1] = {1 * DAY, 3 * DAY, 7 * DAY, 15 * DAY};
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
        if (left < (int64_t)(i + 1) * 30 * DAY)
            w->d->expiring[i]++;
    return 0;
}

enum app_status app_admin_dashboard(struct store *s, const struct app_staff *who, int province,
                                    int64_t now, struct app_dashboard *out, struct app_err *err)
{
    struct wait_ctx w = {out, now};
    enum store_err e;
    app_err_clear(err);
    memset(out, 0, sizeof *out);
    if (scoped_province(who, province, &out->province, err) != APP_OK)
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
    if ((e = store_expiring_unapplied(s, out->province, now, now + 90 * DAY, count_expiring, &w)) !=
        STORE_OK)
        return app__store_err(s, e, "counting expiring certificates", NULL, NULL, err);
    return APP_OK;
}

static enum app_status expiring_args(const struct app_staff *who, int province, int days,
                                     int *scoped, struct app_err *err)
{
    if (days != 30 && days != 60 && days != 90)
        app_err_field(err, "days", "expiring_days");
    if (province < 0 || province > 81)
        app_err_field(err, "province", "province_unknown");
    if (err->nfields)
        return app__fail(err, APP_EINVAL, "invalid_fields");
    return scoped_province(who, province, scoped, err);
}

enum app_status app_admin_expiring(struct store *s, const struct app_staff *who, int province,
                                   int days, int64_t now,
                                   int (*fn)(void *ctx, const struct core_personnel *p,
                                             const struct core_certificate *c),
                                   void *ctx, struct app_err *err)
{
    int pr;
    app_err_clear(err);
    if (check_staff(who, err) != APP_OK || expiring_args(who, province, days, &pr, err) != APP_OK)
        return err->status;
    enum store_err e = store_expiring_unapplied(s, pr, now, now + (int64_t)days * DAY, fn, ctx);
    if (e != STORE_OK)
        return app__store_err(s, e, "listing expiring certificates", NULL, NULL, err);
    return APP_OK;
}

/* ---- messages that need the operator ---------------------------------------------------- */

struct problems {
    int (*fn)(void *ctx, const struct app_message_problem *m);
    void *ctx;
};

static int one_problem(void *ctx, const struct store_outbox_problem *m)
{
    struct problems *p = ctx;
    struct app_message_problem v = {
        .id = m->id,
        .channel = m->channel,
        .subject = m->subject ? m->subject : "",
        .status = m->status,
        .error = m->last_error ? m->last_error : "",
        .dedupe_key = m->dedupe_key ? m->dedupe_key : "",
        .tpl = m->tpl,
        .attempts = m->attempts,
        .created_at = m->created_at,
        .handed_over_at = m->handed_over_at,
    };
    if (!strcmp(m->channel, "sms") && strlen(m->recipient) == CORE_PHONE_LEN)
        core_phone_mask(m->recipient, v.to);
    else if (!strcmp(m->channel, "email"))
        core_email_mask(m->recipient, v.to, sizeof v.to);
    else
        snprintf(v.to, sizeof v.to, "***");
    return p->fn(p->ctx, &v);
}

enum app_status app_admin_messages(struct store *s, const struct app_staff *who, int64_t now,
                                   int (*fn)(void *ctx, const struct app_message_problem *m),
                                   void *ctx, struct app_err *err)
{
    app_err_clear(err);
    if (check_staff(who, err) != APP_OK)
        return err->status;
    if (!role_is(who, "operator") && !role_is(who, "admin"))
        return app__fail(err, APP_EFORBIDDEN, "forbidden_role");
    struct problems p = {fn, ctx};
    enum store_err e = store_outbox_problems(s, now, one_problem, &p);
    if (e != STORE_OK)
        return app__store_err(s, e, "listing the messages that failed", NULL, NULL, err);
    return APP_OK;
}

/* ---- CSV exports ----------------------------------------------------------------------------- */

#define CSV_BOM "\xEF\xBB\xBF"

/* One cell: ';' before it unless it is the first of its row; quoted (quotes doubled) when it
 * holds the separator, a quote or a line break; and with ' before it when a spreadsheet would
 * take it for a formula (= + - @, and tab or carriage return, which some programs skip
 * before looking). */
static int csv_cell(struct ubuf *b, const char *v, bool first)
{
    int bad = first ? 0 : ubuf_putc(b, ';');
    bool formula =
        v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r';
    bool quote = strpbrk(v, ";\"\r\n") != NULL;
    if (quote)
        bad |= ubuf_putc(b, '"');
    if (formula)
        bad |= ubuf_putc(b, '\'');
    for (const char *p = v; *p && !bad; p++)
        bad |= (*p == '"' && quote) ? ubuf_puts(b, "\"\"") : ubuf_putc(b, *p);
    if (quote)
        bad |= ubuf_putc(b, '"');
    return bad ? -1 : 0;
}

static int csv_row(struct ubuf *b, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (csv_cell(b, cells[i] ? cells[i] : "", i == 0) < 0)
            return -1;
    return ubuf_puts(b, "\r\n");
}

static void utc_time(int64_t t, char out[24])
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (!gmtime_r(&tt, &tm) || strftime(out, 24, "%Y-%m-%d %H:%M:%S", &tm) == 0)
        out[0] = '\0';
}

static void unix_date(int64_t t, char out[CORE_DATE_STRLEN + 1])
{
    if (t)
        core_date_format(core_date_from_unix(t), out);
    else
        out[0] = '\0';
}

struct csv_ctx {
    struct ubuf *b;
    long rows;
    bool bad;
};

static int queue_csv_row(void *ctx, const struct app_queue_item *it)
{
    struct csv_ctx *c = ctx;
    const struct store_application *a = it->app;
    char masked[CORE_TCKN_LEN + 1], prov[8], cert[CORE_DATE_STRLEN + 1], since[24];
    enum core_app_state st;
    struct ubuf reasons = UBUF_INIT(512);
    size_t pos = 0;
    unsigned bit;
    int bad = 0;
    while (core_verdict_next(it->verdict.reasons, &pos, &bit))
        bad |= ubuf_puts(&reasons, reasons.len ? ", " : "") |
               ubuf_puts(&reasons, core_verdict_code(bit));
    core_tckn_mask(a->tckn, masked);
    snprintf(prov, sizeof prov, "%02d", it->province);
    unix_date(a->cert_not_after, cert);
    utc_time(it->waiting_since, since);
    const char *method = !strcmp(a->method, "esign") ? "E-imza"
                         : !strcmp(a->method, "wet") ? "Islak imza"
                                                     : "";
    const char *cells[] = {
        a->number,
        core_app_state_parse(a->state, &st) == 0 ? core_app_state_label_tr(st) : a->state,
        masked,
        a->first_name,
        a->last_name,
        a->institution_name,
        it->person ? it->person->district : a->district,
        prov,
        method,
        a->late ? "Evet" : "Hayır",
        it->verdict.eligible ? "Evet" : "Hayır",
        bad ? "" : ubuf_str(&reasons),
        cert,
        since,
        it->verdict.wet_required ? "Evet" : "Hayır",
    };
    if (bad || csv_row(c->b, cells, sizeof cells / sizeof cells[0]) < 0)
        c->bad = true;
    ubuf_free(&reasons);
    c->rows++;
    return c->bad ? 1 : 0;
}

/* The audit detail of a queue export: the filter as asked and the rows written. */
static char *queue_export_detail(const struct store_app_filter *sf, long rows)
{
    json_t *o = json_pack("{s:i, s:s?, s:s?, s:s?, s:i, s:I, s:I}", "province", sf->province,
                          "state", sf->state, "institution", sf->institution, "district",
                          sf->district, "late", sf->late, "updated_before",
                          (json_int_t)sf->updated_before, "rows", (json_int_t)rows);
    char *t = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return t;
}

enum app_status app_admin_queue_csv(struct store *s, const struct app_portal_cfg *cfg,
                                    const struct app_staff *who, const struct app_queue_filter *f,
                                    int64_t now, struct ubuf *out, struct app_err *err)
{
    static const char *const head[] = {"Başvuru No",
                                       "Durum",
                                       "T.C. Kimlik No",
                                       "Ad",
                                       "Soyad",
                                       "Kurum",
                                       "İlçe",
                                       "İl",
                                       "Yöntem",
                                       "Geç Başvuru",
                                       "Uygun",
                                       "Gerekçe",
                                       "Sertifika Bitiş",
                                       "Son İşlem (UTC)",
                                       "Islak İmza Gerekli"};
    struct store_app_filter sf;
    struct csv_ctx c = {out, 0, false};
    char actor[ACTOR_MAX];
    const size_t before = out->len;
    enum app_status st;

    app_err_clear(err);
    if (check_staff(who, err) != APP_OK || make_filter(who, f, now, &sf, err) != APP_OK)
        return err->status;
    if (ubuf_puts(out, CSV_BOM) < 0 || csv_row(out, head, sizeof head / sizeof head[0]) < 0) {
        st = app__fail(err, APP_EINTERNAL, NULL);
        goto fail;
    }
    /* Every matching row, a page at a time (limit and offset of the filter do not apply). */
    sf.limit = LIST_MAX;
    for (sf.offset = 0;; sf.offset += LIST_MAX) {
        size_t rows = 0;
        bool stopped = false;
        long total = 0;
        if ((st = queue_page(s, cfg, &sf, now, queue_csv_row, &c, &total, &rows, &stopped, err)) !=
            APP_OK)
            goto fail;
        if (c.bad) {
            st = app__fail(err, APP_EINTERNAL, NULL); /* the output's cap was reached */
            goto fail;
        }
        if (rows < LIST_MAX)
            break;
    }
    char *detail = queue_export_detail(&sf, c.rows);
    staff_actor(who, actor);
    enum store_err e =
        detail ? app__audit(s, now, actor, "export.queue", "queue", detail) : STORE_ENOMEM;
    free(detail);
    if (e != STORE_OK) {
        st = app__store_err(s, e, "auditing an export", NULL, NULL, err);
        goto fail;
    }
    return APP_OK;
fail:
    /* nothing half-made leaves: an export that is not audited is not given */
    out->len = before;
    if (out->p)
        out->p[before] = '\0';
    return st;
}

struct exp_ctx {
    struct ubuf *b;
    int64_t now;
    long rows;
    bool bad;
};

static int expiring_csv_row(void *ctx, const struct core_personnel *p,
                            const struct core_certificate *c)
{
    struct exp_ctx *x = ctx;
    char prov[8], end[CORE_DATE_STRLEN + 1], left[24];
    snprintf(prov, sizeof prov, "%02d", p->province);
    unix_date(c->not_after, end);
    int64_t secs = c->not_after - x->now;
    snprintf(left, sizeof left, "%lld", (long long)(secs > 0 ? secs / DAY : 0));
    const char *cells[] = {p->tckn,     p->first_name, p->last_name, p->institution_name,
                           p->district, prov,          p->email,     p->mobile_phone,
                           end,         left};
    if (csv_row(x->b, cells, sizeof cells / sizeof cells[0]) < 0) {
        x->bad = true;
        return 1;
    }
    x->rows++;
    return 0;
}

enum app_status app_admin_expiring_csv(struct store *s, const struct app_staff *who, int province,
                                       int days, int64_t now, struct ubuf *out, struct app_err *err)
{
    static const char *const head[] = {
        "T.C. Kimlik No", "Ad",           "Soyad",           "Kurum",    "İlçe", "İl",
        "E-posta",        "Cep Telefonu", "Sertifika Bitiş", "Kalan Gün"};
    struct exp_ctx x = {out, now, 0, false};
    char actor[ACTOR_MAX], detail[96];
    const size_t before = out->len;
    enum app_status st;
    int pr;

    app_err_clear(err);
    if (check_staff(who, err) != APP_OK || expiring_args(who, province, days, &pr, err) != APP_OK)
        return err->status;
    if (ubuf_puts(out, CSV_BOM) < 0 || csv_row(out, head, sizeof head / sizeof head[0]) < 0) {
        st = app__fail(err, APP_EINTERNAL, NULL);
        goto fail;
    }
    enum store_err e =
        store_expiring_unapplied(s, pr, now, now + (int64_t)days * DAY, expiring_csv_row, &x);
    if (e == STORE_OK && x.bad) {
        st = app__fail(err, APP_EINTERNAL, NULL);
        goto fail;
    }
    staff_actor(who, actor);
    snprintf(detail, sizeof detail, "{\"province\":%d,\"days\":%d,\"rows\":%ld}", pr, days, x.rows);
    if (e == STORE_OK)
        e = app__audit(s, now, actor, "export.expiring", "expiring", detail);
    if (e != STORE_OK) {
        st = app__store_err(s, e, "exporting expiring certificates", NULL, NULL, err);
        goto fail;
    }
    return APP_OK;
fail:
    out->len = before;
    if (out->p)
        out->p[before] = '\0';
    return st;
}
