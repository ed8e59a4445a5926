/* eimza — the approvers' use cases (app/admin.h) on a real database, both backends: the
 * province scoping of lists, looks and decisions; 409 not_eligible for each personnel reason
 * and for the remote-renewal limit; 400 for a rejection without a reason; the applicant's
 * messages in the outbox and the audit entries; the renewal chain (an e-signed approval adds
 * one, a wet one ends it); the signed paper of the wet path; bulk approval of only the
 * eligible; re-evaluation after a personnel import; the filters and their refusals; the
 * dashboard's figures; and the CSV exports (BOM, separators, quoting, formula escaping,
 * masking, audit). The clock is passed in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/admin.h"
#include "app/privacy.h"
#include "core/date.h"
#include "core/personnel.h"
#include "core/tckn.h"
#include "crypto/hash.h"
#include "notify/outbox.h"
#include "store/store.h"
#include "testdb.h"

#define NOW 1750000000 /* 2025-06-15T15:06:40Z */
#define DAY 86400

struct afx {
    struct testdb_fx *db;
    struct app_portal_cfg cfg;
    int seq;                 /* numbers people, applications and certificates */
    struct app_settings set; /* the portal's settings of the call (cfg, or a test's own) */
    struct app_ctx ctx;      /* what the use cases get, made by by() */
};

/* The use cases' context at NOW, with the portal settings cfg, acting for the staff member
 * who (as app_authenticate leaves it: these tests are about the rules after the login). */
static struct app_ctx *by_cfg(struct afx *f, const struct app_portal_cfg *cfg,
                              const struct app_staff *who)
{
    f->set.portal = *cfg;
    memset(&f->ctx, 0, sizeof f->ctx);
    f->ctx.db = f->db->s;
    f->ctx.set = &f->set;
    f->ctx.now = NOW;
    f->ctx.who.kind = APP_ACTOR_STAFF;
    f->ctx.who.staff = *who;
    return &f->ctx;
}

static struct app_ctx *by(struct afx *f, const struct app_staff *who)
{
    return by_cfg(f, &f->cfg, who);
}

static int setup(void **state)
{
    struct afx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    *state = f;
    void *dbstate = NULL;
    int rc = testdb_fx_setup(&dbstate, true);
    f->db = dbstate;
    app_portal_cfg_default(&f->cfg);
    return rc;
}

static int teardown(void **state)
{
    struct afx *f = *state;
    if (f) {
        void *dbstate = f->db;
        testdb_fx_teardown(&dbstate);
        free(f);
    }
    return 0;
}

static const struct app_staff APPROVER72 = {"ayse", "approver", 72};
static const struct app_staff APPROVER06 = {"ali", "approver", 6};
static const struct app_staff OPERATOR = {"osman", "operator", 0};
static const struct app_staff ADMIN = {"admin", "admin", 0};

/* ---- fixtures -------------------------------------------------------------------------------- */

static void tckn_of(int n, char out[CORE_TCKN_LEN + 1])
{
    char d9[16];
    snprintf(d9, sizeof d9, "%09d", 200000000 + n * 7919);
    assert_int_equal(core_tckn_complete(d9, out), 0);
}

/* An eligible record of person n in a province. */
static void person(struct core_personnel *p, int n, int province)
{
    core_personnel_clear(p);
    tckn_of(n, p->tckn);
    snprintf(p->first_name, sizeof p->first_name, "Kişi%d", n);
    snprintf(p->last_name, sizeof p->last_name, "Yılmaz");
    snprintf(p->birth_place, sizeof p->birth_place, "Batman");
    assert_int_equal(core_date_from_ymd(1980, 3, 15, &p->birth_date), 0);
    snprintf(p->institution_code, sizeof p->institution_code, "%d0001", province);
    snprintf(p->institution_name, sizeof p->institution_name, "Kurum %d", n);
    p->province = province;
    snprintf(p->district, sizeof p->district, "Merkez");
    snprintf(p->unit, sizeof p->unit, "Müdürlük");
    snprintf(p->title, sizeof p->title, "Öğretmen");
    p->duty = CORE_DUTY_ACTIVE;
    assert_int_equal(core_date_from_ymd(2030, 6, 30, &p->assignment_end), 0);
    p->entitled = true;
    snprintf(p->email, sizeof p->email, "kisi%d@meb.gov.tr", n);
    snprintf(p->mobile_phone, sizeof p->mobile_phone, "532%07u", (unsigned)n % 10000000u);
}

static void import(struct afx *f, const struct core_personnel *p)
{
    struct store_import_stats st;
    assert_int_equal(store_personnel_import_begin(f->db->s), STORE_OK);
    assert_int_equal(store_personnel_import_row(f->db->s, p), STORE_OK);
    assert_int_equal(store_personnel_import_commit(f->db->s, &st), STORE_OK);
}

/* An application of tckn in a state, made and last changed at `updated`. Returns its id. */
static int64_t app_make(struct afx *f, const char *tckn, const char *state, const char *method,
                        int province, int64_t updated, const char *institution)
{
    struct store_application a;
    memset(&a, 0, sizeof a);
    int n = ++f->seq;
    snprintf(a.number, sizeof a.number, "ADM%07u", (unsigned)n % 10000000u);
    snprintf(a.tckn, sizeof a.tckn, "%s", tckn);
    snprintf(a.state, sizeof a.state, "%s", state);
    a.confirmed = true;
    a.confirmed_at = updated - 5;
    snprintf(a.first_name, sizeof a.first_name, "Ayşe");
    snprintf(a.last_name, sizeof a.last_name, "Işık");
    snprintf(a.birth_place, sizeof a.birth_place, "Batman");
    snprintf(a.birth_date, sizeof a.birth_date, "1980-03-15");
    snprintf(a.institution_name, sizeof a.institution_name, "%s",
             institution ? institution : "Batman Lisesi");
    snprintf(a.registry_no, sizeof a.registry_no, "R%d", n);
    snprintf(a.reason, sizeof a.reason, "renewal");
    snprintf(a.card_reader, sizeof a.card_reader, "none");
    a.validity_years = 3;
    snprintf(a.security_word_hash, sizeof a.security_word_hash, "$argon2id$x");
    snprintf(a.address, sizeof a.address, "Okul Sok. %d", n);
    a.province = province;
    snprintf(a.district, sizeof a.district, "Merkez");
    snprintf(a.postal_code, sizeof a.postal_code, "%02d100", province);
    snprintf(a.email, sizeof a.email, "basvuru%d@meb.gov.tr", n);
    snprintf(a.mobile_phone, sizeof a.mobile_phone, "5321234567");
    snprintf(a.mobile_operator, sizeof a.mobile_operator, "turkcell");
    snprintf(a.notify_by, sizeof a.notify_by, "both");
    snprintf(a.method, sizeof a.method, "%s", method);
    a.cert_not_after = NOW + 40 * DAY;
    a.created_at = updated - 10;
    a.updated_at = updated;
    struct store_app_event ev = {updated, "", state, "created", "applicant:x"};
    assert_int_equal(store_app_create(f->db->s, &a, &ev), STORE_OK);
    return a.id;
}

/* A person of a province with an application (submitted, esign unless said). */
static int64_t submitted(struct afx *f, int province, struct core_personnel *p)
{
    struct core_personnel tmp;
    p = p ? p : &tmp;
    person(p, ++f->seq, province);
    import(f, p);
    return app_make(f, p->tckn, "submitted", "esign", province, NOW - 3600, NULL);
}

static struct store_application app_get(struct afx *f, int64_t id)
{
    struct store_application a;
    assert_int_equal(store_app_get(f->db->s, id, &a), STORE_OK);
    return a;
}

static long long count(struct afx *f, const char *sql)
{
    return testdb_query_ll(&f->db->db, sql);
}

static int chain_of(struct afx *f, const char *tckn)
{
    int c = -1;
    assert_int_equal(store_remote_chain_get(f->db->s, tckn, &c), STORE_OK);
    return c;
}

static bool has_field(const struct app_err *e, const char *field, const char *code)
{
    for (size_t i = 0; i < e->nfields; i++)
        if (!strcmp(e->fields[i].field, field) && !strcmp(e->fields[i].code, code))
            return true;
    return false;
}

/* What a list or a look saw. */
struct seen {
    int n;
    int64_t ids[64];
    int provinces[64];
    bool eligible[64];
    unsigned reasons[64];
    bool wet_required[64];
    int chains[64];
    bool decision;
    char decision_reason[600];
    bool has_verdict_then; /* the decision's verdict as it was read back */
    struct core_verdict verdict_then;
};

static int see(void *ctx, const struct app_queue_item *it)
{
    struct seen *s = ctx;
    if (s->n < 64) {
        s->ids[s->n] = it->app->id;
        s->provinces[s->n] = it->province;
        s->eligible[s->n] = it->verdict.eligible;
        s->reasons[s->n] = it->verdict.reasons;
        s->wet_required[s->n] = it->verdict.wet_required;
        s->chains[s->n] = it->remote_chain;
        s->n++;
    }
    s->decision = it->decision != NULL;
    if (it->decision) {
        snprintf(s->decision_reason, sizeof s->decision_reason, "%s", it->decision->reason);
        s->has_verdict_then = it->decision->has_verdict;
        s->verdict_then = it->decision->verdict_then;
    }
    return 0;
}

/* A look at one application (app_admin_get) into a fresh *out. */
static enum app_status look(struct afx *f, const struct app_portal_cfg *cfg,
                            const struct app_staff *who, int64_t id, struct seen *out,
                            struct app_err *err)
{
    memset(out, 0, sizeof *out);
    return app_admin_get(by_cfg(f, cfg, who), id, see, out, err);
}

static const struct app_queue_filter ANY = {.late = -1};

static enum app_status list(struct afx *f, const struct app_staff *who,
                            const struct app_queue_filter *flt, struct seen *out, long *total)
{
    struct app_err err;
    memset(out, 0, sizeof *out);
    return app_admin_list(by(f, who), flt, see, out, total, &err);
}

static enum app_status decide(struct afx *f, const struct app_staff *who, int64_t id,
                              const char *decision, const char *reason, struct app_err *err)
{
    return app_admin_decide(by(f, who), id, decision, reason, NULL, err);
}

/* ---- scoping --------------------------------------------------------------------------------- */

static void test_scoping(void **state)
{
    struct afx *f = *state;
    struct app_err err;
    struct seen s;
    long total = -1;
    int64_t a1 = submitted(f, 72, NULL), a2 = submitted(f, 72, NULL), a3 = submitted(f, 6, NULL);

    /* an approver's list is their province's, whatever province is asked for */
    assert_int_equal(list(f, &APPROVER72, &ANY, &s, &total), APP_OK);
    assert_int_equal(total, 2);
    assert_int_equal(s.n, 2);
    assert_true(s.provinces[0] == 72 && s.provinces[1] == 72);
    struct app_queue_filter other = ANY;
    other.province = 6;
    assert_int_equal(list(f, &APPROVER72, &other, &s, &total), APP_OK);
    assert_int_equal(total, 2);
    assert_true(s.ids[0] != a3 && s.ids[1] != a3);
    /* operators and admins see every province, and may narrow it */
    assert_int_equal(list(f, &OPERATOR, &ANY, &s, &total), APP_OK);
    assert_int_equal(total, 3);
    assert_int_equal(list(f, &ADMIN, &other, &s, &total), APP_OK);
    assert_int_equal(total, 1);
    assert_int_equal(s.ids[0], a3);

    /* a look at, or a decision on, another province's application is a 403 */
    assert_int_equal(look(f, &f->cfg, &APPROVER72, a3, &s, &err), APP_EFORBIDDEN);
    assert_string_equal(err.code, "forbidden_province");
    assert_int_equal(decide(f, &APPROVER72, a3, "approve", NULL, &err), APP_EFORBIDDEN);
    assert_string_equal(err.code, "forbidden_province");
    assert_int_equal(decide(f, &APPROVER72, a3, "reject", "form_data_wrong", &err), APP_EFORBIDDEN);
    assert_string_equal(app_get(f, a3).state, "submitted");
    assert_int_equal(count(f, "SELECT count(*) FROM decisions"), 0);

    /* the province's own approver decides it; an admin anywhere; an operator nowhere */
    assert_int_equal(decide(f, &APPROVER06, a3, "approve", NULL, &err), APP_OK);
    assert_string_equal(app_get(f, a3).state, "approved");
    assert_int_equal(decide(f, &OPERATOR, a1, "approve", NULL, &err), APP_EFORBIDDEN);
    assert_string_equal(err.code, "forbidden_role");
    assert_int_equal(decide(f, &ADMIN, a1, "approve", NULL, &err), APP_OK);
    assert_int_equal(look(f, &f->cfg, &APPROVER72, a2, &s, &err), APP_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.ids[0], a2);
    assert_false(s.decision);

    /* unknown ids, unknown roles, an approver account without a province */
    assert_int_equal(look(f, &f->cfg, &ADMIN, 999999, &s, &err), APP_ENOTFOUND);
    assert_string_equal(err.code, "not_found");
    assert_int_equal(decide(f, &ADMIN, 999999, "approve", NULL, &err), APP_ENOTFOUND);
    const struct app_staff nobody = {"x", "guest", 0}, lost = {"y", "approver", 0};
    assert_int_equal(list(f, &nobody, &ANY, &s, NULL), APP_EFORBIDDEN);
    assert_int_equal(list(f, &lost, &ANY, &s, NULL), APP_EFORBIDDEN);

    /* the application of someone with no record any more is in the form's province */
    char t[CORE_TCKN_LEN + 1];
    tckn_of(++f->seq, t);
    int64_t a4 = app_make(f, t, "submitted", "esign", 6, NOW - 60, NULL);
    assert_int_equal(look(f, &f->cfg, &APPROVER72, a4, &s, &err), APP_EFORBIDDEN);
    assert_int_equal(look(f, &f->cfg, &APPROVER06, a4, &s, &err), APP_OK);
    assert_int_equal(s.provinces[0], 6);
}

/* ---- not eligible ---------------------------------------------------------------------------- */

static void test_not_eligible(void **state)
{
    struct afx *f = *state;
    struct app_err err;
    struct core_personnel p;
    struct {
        const char *code;
        int64_t id;
    } cases[4];

    submitted(f, 72, &p); /* an eligible neighbour, untouched */
    person(&p, ++f->seq, 72);
    p.duty = CORE_DUTY_LEFT;
    import(f, &p);
    cases[0].code = "not_in_service";
    cases[0].id = app_make(f, p.tckn, "submitted", "esign", 72, NOW - 100, NULL);
    person(&p, ++f->seq, 72);
    assert_int_equal(core_date_from_ymd(2025, 6, 14, &p.assignment_end), 0); /* yesterday */
    import(f, &p);
    cases[1].code = "assignment_ended";
    cases[1].id = app_make(f, p.tckn, "submitted", "esign", 72, NOW - 100, NULL);
    person(&p, ++f->seq, 72);
    p.entitled = false;
    import(f, &p);
    cases[2].code = "not_entitled";
    cases[2].id = app_make(f, p.tckn, "submitted", "esign", 72, NOW - 100, NULL);
    char t[CORE_TCKN_LEN + 1];
    tckn_of(++f->seq, t);
    cases[3].code = "no_personnel_record";
    cases[3].id = app_make(f, t, "submitted", "esign", 72, NOW - 100, NULL);

    for (size_t i = 0; i < 4; i++) {
        struct seen s;
        assert_int_equal(look(f, &f->cfg, &APPROVER72, cases[i].id, &s, &err), APP_OK);
        assert_false(s.eligible[0]);
        assert_int_equal(s.reasons[0], core_verdict_parse(cases[i].code));
        assert_int_equal(decide(f, &APPROVER72, cases[i].id, "approve", NULL, &err), APP_ECONFLICT);
        assert_string_equal(err.code, "not_eligible");
        assert_true(has_field(&err, "reasons", cases[i].code));
        assert_int_equal(err.nfields, 1);
        assert_string_equal(app_get(f, cases[i].id).state, "submitted");
    }
    assert_int_equal(count(f, "SELECT count(*) FROM decisions"), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM outbox"), 0);
    /* an ineligible application can be rejected with a ready reason */
    assert_int_equal(decide(f, &APPROVER72, cases[2].id, "reject", "entitlement_missing", &err),
                     APP_OK);
    assert_string_equal(app_get(f, cases[2].id).state, "rejected");
    /* decided once: a second decision is a wrong state */
    assert_int_equal(decide(f, &APPROVER72, cases[2].id, "reject", "entitlement_missing", &err),
                     APP_ECONFLICT);
    assert_string_equal(err.code, "wrong_state");
}

static bool starts(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

/* The decision's message of application id on channel ("email", "sms") as the outbox keeps
 * it: the template's name in tpl (no text of its own: rendered when sent) and, rendered with
 * the built-in templates of lang as it would be sent, "subject|body" in out (an SMS: "|body"). */
static void decision_msg(struct afx *f, int64_t id, const char *channel, const char *lang,
                         char *tpl, size_t tpllen, char *out, size_t outlen)
{
    char sql[256], params[4096];
    snprintf(sql, sizeof sql,
             "SELECT coalesce(template, '') || '|' || coalesce(body, '') FROM outbox WHERE "
             "dedupe_key = 'decision:%lld:%s'",
             (long long)id, channel);
    assert_int_equal(testdb_query(&f->db->db, sql, tpl, tpllen), 0);
    size_t bar = strcspn(tpl, "|");
    assert_string_equal(tpl + bar, "|"); /* a template, and no text written in advance */
    tpl[bar] = '\0';
    snprintf(sql, sizeof sql, "SELECT params FROM outbox WHERE dedupe_key = 'decision:%lld:%s'",
             (long long)id, channel);
    assert_int_equal(testdb_query(&f->db->db, sql, params, sizeof params), 0);
    struct notify_templates *set = NULL;
    char err[256];
    assert_int_equal(notify_templates_load(NULL, lang, &set, err, sizeof err), 0);
    const struct store_outbox_msg m = {.channel = channel, .tpl = tpl, .params = params};
    struct ubuf subj = UBUF_INIT(1024), body = UBUF_INIT(8192);
    const char *why = NULL;
    if (notify_outbox_render(set, "https://portal/", &m, &subj, &body, &why) != 0)
        fail_msg("%s %s: %s", tpl, params, why ? why : "?");
    snprintf(out, outlen, "%s|%s", subj.p ? ubuf_str(&subj) : "", ubuf_str(&body));
    ubuf_free(&subj);
    ubuf_free(&body);
    notify_templates_free(set);
}

/* ---- rejections need a reason ---------------------------------------------------------------- */

static void test_reject_reason(void **state)
{
    struct afx *f = *state;
    struct app_err err;
    int64_t id = submitted(f, 72, NULL);
    static const char *const missing[] = {NULL, "", "  \n ", "other"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(decide(f, &APPROVER72, id, "reject", missing[i], &err), APP_EINVAL);
        assert_string_equal(err.code, "invalid_fields");
        assert_true(has_field(&err, "reason", "reason_required"));
    }
    char longer[1100];
    memset(longer, 'a', 501);
    longer[501] = '\0';
    assert_int_equal(decide(f, &APPROVER72, id, "reject", longer, &err), APP_EINVAL);
    assert_true(has_field(&err, "reason", "too_long"));
    /* 500 characters of two bytes each are fine: the limit counts characters */
    for (size_t i = 0; i < 500; i++)
        memcpy(longer + 2 * i, "ş", 2);
    longer[1000] = '\0';
    int64_t other = submitted(f, 72, NULL);
    assert_int_equal(decide(f, &APPROVER72, other, "reject", longer, &err), APP_OK);
    assert_int_equal(decide(f, &APPROVER72, id, "reject", "bad\x01text", &err), APP_EINVAL);
    assert_true(has_field(&err, "reason", "control_character"));
    assert_int_equal(decide(f, &APPROVER72, id, "reject", "bad\xE2\x80\xAEtext", &err), APP_EINVAL);
    assert_true(has_field(&err, "reason", "bidi_character"));
    assert_int_equal(decide(f, &APPROVER72, id, "reject", "bad\xfftext", &err), APP_EINVAL);
    assert_true(has_field(&err, "reason", "not_utf8"));
    assert_int_equal(decide(f, &APPROVER72, id, "maybe", NULL, &err), APP_EINVAL);
    assert_true(has_field(&err, "decision", "decision_unknown"));
    assert_int_equal(decide(f, &APPROVER72, id, NULL, NULL, &err), APP_EINVAL);
    assert_true(has_field(&err, "decision", "required"));
    assert_string_equal(app_get(f, id).state, "submitted");

    /* the approver's own words go to the applicant with the general advice */
    assert_int_equal(
        decide(f, &APPROVER72, id, "reject", "Adres bilginiz eksik; lütfen düzeltiniz.", &err),
        APP_OK);
    struct store_application a = app_get(f, id);
    assert_string_equal(a.state, "rejected");
    char body[4096], tpl[64];
    decision_msg(f, id, "email", "tr", tpl, sizeof tpl, body, sizeof body);
    assert_string_equal(tpl, "application_rejected_free");
    assert_non_null(strstr(body, "e-imza başvurunuz reddedildi|"));
    assert_non_null(strstr(body, "reddedildi"));
    assert_non_null(strstr(body, "Gerekçe: Adres bilginiz eksik; lütfen düzeltiniz.\n\nAyrıntı "
                                 "için il DYS yöneticinizle görüşünüz; gereken düzeltmeden sonra "
                                 "portaldan yeniden başvurabilirsiniz."));
    assert_non_null(strstr(body, a.number));
    assert_null(strstr(body, a.tckn));
    decision_msg(f, id, "sms", "tr", tpl, sizeof tpl, body, sizeof body);
    assert_string_equal(tpl, "application_rejected_free");
    assert_non_null(strstr(body, "reddedildi. Gerekçe: Adres bilginiz eksik; lütfen düzeltiniz. "
                                 "Ayrıntı için il DYS yöneticinizle görüşünüz;"));
    /* the same in English where the messages are sent in English */
    decision_msg(f, id, "email", "en", tpl, sizeof tpl, body, sizeof body);
    assert_non_null(strstr(body, "Your e-signature application has been rejected|"));
    assert_non_null(
        strstr(body, "Reason: Adres bilginiz eksik; lütfen düzeltiniz.\n\nFor details"));
    /* the approver's words are a value, never read as the template's: placeholders written in
     * them come out as written, in the e-mail and in the SMS */
    static const char braces[] = "Eksik belge: {name} {number} {days} {portal_url} {code} {{x}";
    int64_t curly = submitted(f, 72, NULL);
    assert_int_equal(decide(f, &APPROVER72, curly, "reject", braces, &err), APP_OK);
    struct store_application ac = app_get(f, curly);
    decision_msg(f, curly, "email", "tr", tpl, sizeof tpl, body, sizeof body);
    assert_non_null(strstr(body, "Gerekçe: Eksik belge: {name} {number} {days} {portal_url} "
                                 "{code} {{x}\n"));
    assert_non_null(strstr(body, "Sayın Ayşe "));
    /* the portal's address only where the template puts it, at the end */
    const char *url = strstr(body, "https://portal/");
    assert_non_null(url);
    assert_null(strstr(url + 1, "https://portal/"));
    assert_non_null(strstr(body, "yeniden başvuruyu oradan yapabilirsiniz:\nhttps://portal/"));
    decision_msg(f, curly, "sms", "tr", tpl, sizeof tpl, body, sizeof body);
    assert_non_null(strstr(body, "Gerekçe: Eksik belge: {name} {number} {days} {portal_url} "
                                 "{code} {{x} Ayrıntı"));
    assert_non_null(strstr(body, ac.number));
    url = strstr(body, "https://portal/");
    assert_non_null(url);
    assert_null(strstr(url + 1, "https://portal/"));
    assert_non_null(strstr(body, "yeniden başvurabilirsiniz: https://portal/"));
    /* the decision keeps the words; the audit only that they were free text */
    struct seen s;
    assert_int_equal(look(f, &f->cfg, &APPROVER72, id, &s, &err), APP_OK);
    assert_true(s.decision);
    assert_string_equal(s.decision_reason, "Adres bilginiz eksik; lütfen düzeltiniz.");
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = "
                              "'application.reject' AND detail LIKE '%free_text%'"),
                     3); /* the long words, these, the ones with braces */
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE detail LIKE '%Adres%' OR "
                              "detail LIKE '%şş%'"),
                     0);
}

/* The verdict a decision relied on is read back with it (the application page shows it), and
 * stays what it was when the record changes afterwards; a verdict that cannot be read is said
 * to be so, not made up (issue 17, point 12). */
static void test_decision_verdict_then(void **state)
{
    struct afx *f = *state;
    struct app_err err;
    struct core_personnel p;
    struct seen s;
    int64_t id = submitted(f, 72, &p);
    assert_int_equal(decide(f, &APPROVER72, id, "approve", NULL, &err), APP_OK);
    p.duty = CORE_DUTY_LEFT;
    import(f, &p);
    assert_int_equal(look(f, &f->cfg, &APPROVER72, id, &s, &err), APP_OK);
    assert_false(s.eligible[0]); /* the record now */
    assert_true(s.decision);
    assert_true(s.has_verdict_then);
    assert_true(s.verdict_then.eligible); /* the record then */
    assert_int_equal(s.verdict_then.reasons & CORE_VR_BLOCKING, 0);

    /* a rejection of someone without a record keeps that reason */
    char nobody[CORE_TCKN_LEN + 1];
    tckn_of(99999, nobody);
    int64_t orphan = app_make(f, nobody, "submitted", "wet", 72, NOW - 60, NULL);
    assert_int_equal(decide(f, &APPROVER72, orphan, "reject", "records_outdated", &err), APP_OK);
    assert_int_equal(look(f, &f->cfg, &APPROVER72, orphan, &s, &err), APP_OK);
    assert_true(s.has_verdict_then);
    assert_false(s.verdict_then.eligible);
    assert_true(s.verdict_then.reasons & CORE_VR_NO_PERSONNEL_RECORD);

    char sql[128];
    snprintf(sql, sizeof sql,
             "UPDATE decisions SET verdict = 'not json' WHERE application_id = %lld",
             (long long)id);
    assert_int_equal(testdb_exec(&f->db->db, sql), 0);
    assert_int_equal(look(f, &f->cfg, &APPROVER72, id, &s, &err), APP_OK);
    assert_true(s.decision);
    assert_false(s.has_verdict_then);
}

/* ---- the search and the full T.C. Kimlik No (issue 17, point 11) ----------------------------- */

/* What a search found: the ids, in order. */
static enum app_status search(struct afx *f, const struct app_staff *who, const char *q,
                              struct seen *out, struct app_search_result *res, struct app_err *err)
{
    memset(out, 0, sizeof *out);
    return app_admin_search(by(f, who), q, see, out, res, err);
}

static void rename_app(struct afx *f, int64_t id, const char *first, const char *last)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE applications SET first_name = '%s', last_name = '%s' WHERE id = %lld", first,
             last, (long long)id);
    assert_int_equal(testdb_exec(&f->db->db, sql), 0);
}

static bool found_id(const struct seen *s, int64_t id)
{
    for (int i = 0; i < s->n; i++)
        if (s->ids[i] == id)
            return true;
    return false;
}

static void test_search(void **state)
{
    struct afx *f = *state;
    struct app_err err;
    struct app_search_result res;
    struct seen s;
    struct core_personnel p72, p06;
    int64_t gunes = submitted(f, 72, &p72);
    rename_app(f, gunes, "Ayten", "Güneş");
    int64_t isik = submitted(f, 72, NULL);
    rename_app(f, isik, "İsmail", "Işık");
    int64_t other = submitted(f, 6, &p06);
    rename_app(f, other, "Ayten", "Güneşli");
    struct core_personnel pd;
    person(&pd, ++f->seq, 72);
    import(f, &pd);
    int64_t draft = app_make(f, pd.tckn, "draft", "", 72, NOW - 60, NULL);
    rename_app(f, draft, "Ayten", "Güneş");
    struct store_application ga = app_get(f, gunes), oa = app_get(f, other), da = app_get(f, draft);

    /* by name: Turkish case and the plain look-alikes, each word anywhere */
    static const char *const names[] = {"Güneş",       "gunes",       "GÜNEŞ",
                                        "ayten gunes", "gunes ayten", "  AYTEN   güneş "};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        assert_int_equal(search(f, &APPROVER72, names[i], &s, &res, &err), APP_OK);
        assert_int_equal(res.kind, APP_SEARCH_NAME);
        assert_int_equal(s.n, 1); /* neither the draft nor Ankara's Güneşli */
        assert_int_equal(s.ids[0], gunes);
        assert_int_equal(res.found, 1);
    }
    for (const char *const *q = (const char *const[]){"ismail ışık", "ISMAIL ISIK", "işık", NULL};
         *q; q++) {
        assert_int_equal(search(f, &APPROVER72, *q, &s, &res, &err), APP_OK);
        assert_int_equal(s.n, 1);
        assert_int_equal(s.ids[0], isik);
    }
    /* an admin sees every province: both Güneş and Güneşli */
    assert_int_equal(search(f, &ADMIN, "ayten gunes", &s, &res, &err), APP_OK);
    assert_int_equal(s.n, 2);
    assert_true(found_id(&s, gunes) && found_id(&s, other));
    assert_false(found_id(&s, draft));
    assert_int_equal(search(f, &APPROVER72, "zzz", &s, &res, &err), APP_OK);
    assert_int_equal(s.n, 0);

    /* by number, any case, O for 0: only in the asker's scope, never a draft */
    char q[64];
    for (size_t i = 0; ga.number[i]; i++)
        q[i] = (char)(ga.number[i] >= 'A' && ga.number[i] <= 'Z' ? ga.number[i] - 'A' + 'a'
                                                                 : ga.number[i]);
    q[strlen(ga.number)] = '\0';
    assert_int_equal(search(f, &APPROVER72, q, &s, &res, &err), APP_OK);
    assert_int_equal(res.kind, APP_SEARCH_NUMBER);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.ids[0], gunes);
    assert_int_equal(search(f, &APPROVER72, oa.number, &s, &res, &err), APP_OK);
    assert_int_equal(s.n, 0); /* another province's: not found, not forbidden */
    assert_int_equal(res.found, 0);
    assert_int_equal(search(f, &APPROVER06, oa.number, &s, &res, &err), APP_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(search(f, &ADMIN, da.number, &s, &res, &err), APP_OK);
    assert_int_equal(s.n, 0);
    /* the printed form's QR code, typed by a scanner */
    snprintf(q, sizeof q, "https://eimza.example/yonetim/ara?q=%s", ga.number);
    assert_int_equal(search(f, &APPROVER72, q, &s, &res, &err), APP_OK);
    assert_int_equal(res.kind, APP_SEARCH_NUMBER);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.ids[0], gunes);

    /* by T.C. Kimlik No, spaces allowed: scoped the same way */
    snprintf(q, sizeof q, "%.3s %.3s %.5s", p72.tckn, p72.tckn + 3, p72.tckn + 6);
    assert_int_equal(search(f, &APPROVER72, q, &s, &res, &err), APP_OK);
    assert_int_equal(res.kind, APP_SEARCH_TCKN);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.ids[0], gunes);
    assert_int_equal(search(f, &APPROVER72, p06.tckn, &s, &res, &err), APP_OK);
    assert_int_equal(s.n, 0);
    assert_int_equal(search(f, &OPERATOR, p06.tckn, &s, &res, &err), APP_OK);
    assert_int_equal(s.n, 1);

    /* refusals, on the field q */
    static const struct {
        const char *q, *code;
    } bad[] = {
        {"", "search_empty"},
        {"   ", "search_empty"},
        {"a", "search_too_short"},
        {"12345678901", "tckn_checksum"},
        {"Ay\x01ten", "control_character"},
        {"Ay\xE2\x80\xAEten", "bidi_character"},
        {"Ay\xfften", "not_utf8"},
        {"https://x/yonetim/ara?r=1", "search_empty"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(search(f, &APPROVER72, bad[i].q, &s, &res, &err), APP_EINVAL);
        assert_true(has_field(&err, "q", bad[i].code));
    }
    assert_int_equal(search(f, &APPROVER72, NULL, &s, &res, &err), APP_EINVAL);
    assert_true(has_field(&err, "q", "search_empty"));
    char longer[APP_SEARCH_Q_MAX + 2];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(search(f, &APPROVER72, longer, &s, &res, &err), APP_EINVAL);
    assert_true(has_field(&err, "q", "too_long"));
    /* an approver without a province is refused as for the queue */
    const struct app_staff nowhere = {"kimse", "approver", 0};
    assert_int_equal(search(f, &nowhere, "gunes", &s, &res, &err), APP_EFORBIDDEN);
}

static void test_full_tckn(void **state)
{
    struct afx *f = *state;
    struct app_err err;
    struct core_personnel p72, p06;
    char tckn[CORE_TCKN_LEN + 1];
    int64_t own = submitted(f, 72, &p72), other = submitted(f, 6, &p06);
    struct store_application a = app_get(f, own);
    const char *views = "SELECT count(*) FROM audit_log WHERE action = 'pii.tckn_view'";

    /* an approver of the province: in full, and each look is on record */
    assert_int_equal(app_admin_tckn(by(f, &APPROVER72), own, tckn, &err), APP_OK);
    assert_string_equal(tckn, p72.tckn);
    assert_int_equal(app_admin_tckn(by(f, &APPROVER72), own, tckn, &err), APP_OK);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_log WHERE action = 'pii.tckn_view' AND actor = "
             "'staff:ayse' AND object = '%s' AND detail NOT LIKE '%%%s%%'",
             a.number, p72.tckn);
    assert_int_equal(count(f, sql), 2);
    /* another province's: 403, nothing given, nothing recorded */
    assert_int_equal(app_admin_tckn(by(f, &APPROVER72), other, tckn, &err), APP_EFORBIDDEN);
    assert_string_equal(err.code, "forbidden_province");
    assert_string_equal(tckn, "");
    /* operators and admins see it masked only (app/privacy.h) */
    assert_int_equal(app_admin_tckn(by(f, &OPERATOR), own, tckn, &err), APP_EFORBIDDEN);
    assert_string_equal(err.code, "forbidden_role");
    assert_int_equal(app_admin_tckn(by(f, &ADMIN), own, tckn, &err), APP_EFORBIDDEN);
    assert_int_equal(app_admin_tckn(by(f, &APPROVER72), 999999, tckn, &err), APP_ENOTFOUND);
    assert_int_equal(count(f, views), 2);
    /* the lists stay masked for the approver */
    struct seen s;
    struct app_search_result res;
    assert_int_equal(search(f, &APPROVER72, p72.tckn, &s, &res, &err), APP_OK);
    assert_int_equal(s.n, 1);
    char shown[APP_PII_MAX];
    const struct app_staff roles[] = {APPROVER72, OPERATOR, ADMIN};
    for (size_t i = 0; i < 3; i++) {
        app_pii_view(&roles[i], APP_PII_TCKN, p72.tckn, shown, sizeof shown);
        assert_int_equal(strlen(shown), CORE_TCKN_LEN);
        assert_non_null(strstr(shown, "******"));
    }
    assert_true(app_pii_on_request(&APPROVER72, APP_PII_TCKN));
    assert_false(app_pii_on_request(&APPROVER72, APP_PII_EMAIL));
    assert_false(app_pii_on_request(&OPERATOR, APP_PII_TCKN));
    assert_false(app_pii_on_request(&ADMIN, APP_PII_TCKN));
}

/* ---- the applicant's messages, the audit, what the decision keeps -----------------------------
 */

static void test_outbox_and_audit(void **state)
{
    struct afx *f = *state;
    struct app_err err;
    char sql[256], buf[4096];
    int64_t both = submitted(f, 72, NULL), only_sms = submitted(f, 72, NULL);
    struct store_application a = app_get(f, only_sms);
    snprintf(a.notify_by, sizeof a.notify_by, "sms");
    assert_int_equal(store_app_update(f->db->s, &a, "submitted", NULL), STORE_OK);

    assert_int_equal(decide(f, &APPROVER72, both, "approve", NULL, &err), APP_OK);
    assert_int_equal(decide(f, &APPROVER72, only_sms, "reject", "form_data_wrong", &err), APP_OK);
    struct store_application b = app_get(f, both);
    char tpl[64];
    snprintf(sql, sizeof sql,
             "SELECT recipient FROM outbox WHERE dedupe_key = 'decision:%lld:email'",
             (long long)both);
    assert_int_equal(testdb_query(&f->db->db, sql, buf, sizeof buf), 0);
    assert_string_equal(buf, b.email);
    decision_msg(f, both, "email", "tr", tpl, sizeof tpl, buf, sizeof buf);
    assert_string_equal(tpl, "application_approved");
    assert_true(starts(buf, "e-imza başvurunuz onaylandı|Sayın Ayşe "));
    assert_non_null(strstr(buf, "onaylandı"));
    assert_non_null(strstr(buf, b.number));
    assert_non_null(strstr(buf, "15 gün"));
    assert_null(strstr(buf, b.tckn));
    assert_non_null(strstr(buf, "ulaşmazsa Kamu SM çağrı merkezini (444 5 576) arayınız."));
    /* the bureau's card comes by courier */
    assert_non_null(
        strstr(buf, "Yeni kartınız yaklaşık 15 gün içinde başvuru formundaki adrese kargo ile "
                    "gönderilecektir.\n"));
    assert_null(strstr(buf, "elden"));
    /* the portal's address, where the status page is */
    assert_non_null(strstr(buf, "izleyebilirsiniz:\nhttps://portal/\n"));
    /* the same message in English where the messages are sent in English */
    decision_msg(f, both, "email", "en", tpl, sizeof tpl, buf, sizeof buf);
    assert_true(starts(buf, "Your e-signature application has been approved|Dear Ayşe "));
    assert_non_null(strstr(buf, "within about 15 days"));
    assert_non_null(strstr(buf, "call Kamu SM's call centre (444 5 576)"));
    assert_null(strstr(buf, "in person"));
    snprintf(sql, sizeof sql, "SELECT recipient FROM outbox WHERE dedupe_key = 'decision:%lld:sms'",
             (long long)both);
    assert_int_equal(testdb_query(&f->db->db, sql, buf, sizeof buf), 0);
    assert_string_equal(buf, "5321234567");
    decision_msg(f, both, "sms", "tr", tpl, sizeof tpl, buf, sizeof buf);
    assert_string_equal(tpl, "application_approved");
    assert_non_null(strstr(buf, b.number));
    assert_non_null(strstr(buf, "Yeni kartınız yaklaşık 15 gün içinde formdaki adrese kargo ile "
                                "gönderilecek. Durum: https://portal/"));
    assert_null(strstr(buf, "elden"));
    /* notify_by sms: no e-mail; the SMS says the reason and what to do */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'decision:%lld:%%'",
             (long long)only_sms);
    assert_int_equal(count(f, sql), 1);
    decision_msg(f, only_sms, "sms", "tr", tpl, sizeof tpl, buf, sizeof buf);
    assert_string_equal(tpl, "application_rejected");
    assert_non_null(strstr(buf, "reddedildi"));
    assert_non_null(
        strstr(buf, core_rejection_text(core_rejection_find("form_data_wrong"), CORE_LANG_TR)));
    assert_null(strstr(buf, "Ayrıntı için")); /* the ready reason says what to do */

    /* where the messages are sent in English (the templates loaded for "en"), a ready reason
     * is queued in its English words */
    int64_t in_en = submitted(f, 72, NULL);
    char lerr[256];
    assert_int_equal(notify_templates_load(NULL, "en", &f->set.templates, lerr, sizeof lerr), 0);
    assert_int_equal(decide(f, &APPROVER72, in_en, "reject", "form_data_wrong", &err), APP_OK);
    notify_templates_free(f->set.templates);
    f->set.templates = NULL;
    decision_msg(f, in_en, "email", "en", tpl, sizeof tpl, buf, sizeof buf);
    assert_string_equal(tpl, "application_rejected");
    assert_true(starts(buf, "Your e-signature application has been rejected|"));
    char want[1024];
    snprintf(want, sizeof want, "Reason: %s\n",
             core_rejection_text(core_rejection_find("form_data_wrong"), CORE_LANG_EN));
    assert_non_null(strstr(buf, want));
    assert_null(strstr(buf, "Gerekçe"));

    /* where the cards are made in house, the approval's e-mail sends a late card's holder to
     * the e-imza sorumlusu, not to Kamu SM's call centre */
    struct app_portal_cfg inhouse = f->cfg;
    inhouse.production = APP_PRODUCTION_INHOUSE;
    int64_t made_here = submitted(f, 72, NULL);
    assert_int_equal(
        app_admin_decide(by_cfg(f, &inhouse, &APPROVER72), made_here, "approve", NULL, NULL, &err),
        APP_OK);
    decision_msg(f, made_here, "email", "tr", tpl, sizeof tpl, buf, sizeof buf);
    assert_string_equal(tpl, "application_approved_inhouse");
    assert_non_null(strstr(buf, "onaylandı"));
    assert_non_null(strstr(buf, "ulaşmazsa il millî eğitim müdürlüğünüzdeki e-imza sorumlusuna"));
    assert_null(strstr(buf, "Kamu SM"));
    assert_null(strstr(buf, "444 5 576"));
    /* a card made in house may be handed over at the office (delivered from in_production) or
     * sent by courier (shipped): both ways are said, in the e-mail and in the SMS */
    assert_non_null(strstr(buf, "Yeni kartınız kurumun kendi sertifika hizmetiyle üretilecek ve "
                                "yaklaşık 15 gün içinde size elden teslim edilecek ya da başvuru "
                                "formundaki adrese kargo ile gönderilecektir.\n"));
    decision_msg(f, made_here, "email", "en", tpl, sizeof tpl, buf, sizeof buf);
    assert_non_null(strstr(buf, "handed to you in person or sent by courier"));
    assert_non_null(strstr(buf, "ask the e-signature officer"));
    assert_null(strstr(buf, "444 5 576"));
    decision_msg(f, made_here, "sms", "tr", tpl, sizeof tpl, buf, sizeof buf);
    assert_string_equal(tpl, "application_approved_inhouse");
    assert_non_null(strstr(buf, "onaylandı"));
    assert_non_null(strstr(buf, "Yeni kartınız yaklaşık 15 gün içinde size elden teslim edilecek "
                                "ya da formdaki adrese kargo ile gönderilecek. Durum: "
                                "https://portal/"));

    /* the audit: who decided what, on which application */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_log WHERE action = 'application.approve' AND actor = "
             "'staff:ayse' AND object = '%s'",
             b.number);
    assert_int_equal(count(f, sql), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = "
                              "'application.reject' AND detail LIKE '%form_data_wrong%'"),
                     2); /* in Turkish and in English */
    /* the decision keeps the record it relied on, without the person's name or phone */
    snprintf(sql, sizeof sql,
             "SELECT personnel || verdict FROM decisions WHERE application_id = %lld",
             (long long)both);
    assert_int_equal(testdb_query(&f->db->db, sql, buf, sizeof buf), 0);
    assert_non_null(strstr(buf, "\"duty\":\"aktif\""));
    assert_non_null(strstr(buf, "\"entitled\":true"));
    assert_non_null(strstr(buf, "\"eligible\":true"));
    assert_null(strstr(buf, "Kişi"));
    assert_null(strstr(buf, "532"));
    /* the timeline has the decision with its actor */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM application_events WHERE application_id = %lld AND event = "
             "'approve' AND actor = 'staff:ayse'",
             (long long)both);
    assert_int_equal(count(f, sql), 1);
}

/* ---- the renewal chain and its limit ----------------------------------------------------------
 */

static void test_remote_chain(void **state)
{
    struct afx *f = *state;
    struct app_err err;
    struct seen s;
    struct core_personnel p1, p2, p3;
    assert_int_equal(f->cfg.remote_renewal_limit, 2);

    /* the limit reached: an e-signed application cannot be approved */
    int64_t esign = submitted(f, 72, &p1);
    assert_int_equal(store_remote_chain_set(f->db->s, p1.tckn, 2, NOW - 100), STORE_OK);
    assert_int_equal(look(f, &f->cfg, &APPROVER72, esign, &s, &err), APP_OK);
    assert_false(s.eligible[0]);
    assert_true(s.wet_required[0]);
    assert_int_equal(s.reasons[0], CORE_VR_REMOTE_RENEWAL_LIMIT);
    assert_int_equal(decide(f, &APPROVER72, esign, "approve", NULL, &err), APP_ECONFLICT);
    assert_string_equal(err.code, "not_eligible");
    assert_true(has_field(&err, "reasons", "remote_renewal_limit"));
    /* without a limit it could */
    struct app_portal_cfg nolimit = f->cfg;
    nolimit.remote_renewal_limit = 0;
    assert_int_equal(look(f, &nolimit, &APPROVER72, esign, &s, &err), APP_OK);
    assert_true(s.eligible[0]);

    /* the wet path with its in-person check is not held back, and ends the chain */
    person(&p2, ++f->seq, 72);
    import(f, &p2);
    int64_t wet = app_make(f, p2.tckn, "submitted", "wet", 72, NOW - 50, NULL);
    assert_int_equal(store_remote_chain_set(f->db->s, p2.tckn, 2, NOW - 100), STORE_OK);
    assert_int_equal(look(f, &f->cfg, &APPROVER72, wet, &s, &err), APP_OK);
    assert_true(s.eligible[0]);
    assert_true(s.wet_required[0]);
    assert_int_equal(decide(f, &APPROVER72, wet, "approve", NULL, &err), APP_OK);
    assert_int_equal(chain_of(f, p2.tckn), 0);

    /* an approved e-signed renewal lengthens it by one */
    int64_t e2 = submitted(f, 72, &p3);
    assert_int_equal(store_remote_chain_set(f->db->s, p3.tckn, 1, NOW - 100), STORE_OK);
    assert_int_equal(decide(f, &APPROVER72, e2, "approve", NULL, &err), APP_OK);
    assert_int_equal(chain_of(f, p3.tckn), 2);
    /* a rejection leaves it as it was */
    assert_int_equal(decide(f, &APPROVER72, esign, "reject", "in_person_check_required", &err),
                     APP_OK);
    assert_int_equal(chain_of(f, p1.tckn), 2);
}

/* A page of the queue reads its holders' renewal chains in one statement: each item gets its
 * own holder's, and a page of six costs the statements of a page of one (a read per row once
 * made a page of 50 cost 54 round trips on PostgreSQL). */
static void test_queue_chains_one_read(void **state)
{
    struct afx *f = *state;
    struct seen s;
    struct core_personnel p[6];
    int64_t id[6];
    const int chain[6] = {2, 0, 1, 0, 3, 0}; /* 0: none recorded */
    for (int i = 0; i < 6; i++) {
        id[i] = submitted(f, 72, &p[i]);
        if (chain[i])
            assert_int_equal(store_remote_chain_set(f->db->s, p[i].tckn, chain[i], NOW - 100),
                             STORE_OK);
    }
    /* somebody else's chain, not on the page */
    struct core_personnel other;
    person(&other, ++f->seq, 56);
    import(f, &other);
    assert_int_equal(store_remote_chain_set(f->db->s, other.tckn, 5, NOW - 100), STORE_OK);

    struct store_counters c0, c1, c2;
    struct app_queue_filter one = ANY;
    one.limit = 1;
    /* once before counting: PostgreSQL's statements are prepared on their first use */
    assert_int_equal(list(f, &APPROVER72, &ANY, &s, NULL), APP_OK);
    store_counters(f->db->s, &c0);
    assert_int_equal(list(f, &APPROVER72, &one, &s, NULL), APP_OK);
    assert_int_equal(s.n, 1);
    store_counters(f->db->s, &c1);
    assert_int_equal(list(f, &APPROVER72, &ANY, &s, NULL), APP_OK);
    store_counters(f->db->s, &c2);
    assert_int_equal(s.n, 6);
    for (int k = 0; k < s.n; k++) {
        int i = 0;
        while (i < 6 && id[i] != s.ids[k])
            i++;
        assert_true(i < 6);
        assert_int_equal(s.chains[k], chain[i]);
        assert_int_equal(s.chains[k], chain_of(f, p[i].tckn));
    }
    /* chain_of above read one by one: only the two lists are compared */
    assert_int_equal(c2.statements - c1.statements, c1.statements - c0.statements);
    assert_int_equal(c2.round_trips - c1.round_trips, c1.round_trips - c0.round_trips);

    /* the store's own checks: a malformed number or too many at once are refused */
    const char *bad[] = {p[0].tckn, "1234"};
    int got[2] = {-1, -1};
    assert_int_equal(store_remote_chains_get(f->db->s, bad, 2, got), STORE_EINVAL);
    assert_int_equal(store_remote_chains_get(f->db->s, bad, STORE_CHAINS_MAX + 1, got),
                     STORE_EINVAL);
    /* the same holder twice, one never recorded */
    const char *twice[] = {p[4].tckn, p[1].tckn, p[4].tckn};
    int three[3] = {-1, -1, -1};
    assert_int_equal(store_remote_chains_get(f->db->s, twice, 3, three), STORE_OK);
    assert_int_equal(three[0], 3);
    assert_int_equal(three[1], 0);
    assert_int_equal(three[2], 3);
    assert_int_equal(store_remote_chains_get(f->db->s, NULL, 0, NULL), STORE_OK);
}

/* ---- the signed paper of the wet path ---------------------------------------------------------
 */

static void test_paper_received(void **state)
{
    struct afx *f = *state;
    struct app_err err;
    struct app_application out;
    struct core_personnel p;
    person(&p, ++f->seq, 72);
    import(f, &p);
    int64_t id = app_make(f, p.tckn, "awaiting_original", "wet", 72, NOW - 5 * DAY, NULL);
    assert_int_equal(store_remote_chain_set(f->db->s, p.tckn, 1, NOW - 100), STORE_OK);

    /* not submitted yet: no decision */
    assert_int_equal(decide(f, &APPROVER72, id, "approve", NULL, &err), APP_ECONFLICT);
    assert_string_equal(err.code, "wrong_state");
    /* approvers do not record paper; operators and admins do */
    assert_int_equal(app_admin_paper_received(by(f, &APPROVER72), id, &out, &err), APP_EFORBIDDEN);
    assert_string_equal(err.code, "forbidden_role");
    assert_int_equal(app_admin_paper_received(by(f, &OPERATOR), 999999, &out, &err), APP_ENOTFOUND);
    assert_int_equal(app_admin_paper_received(by(f, &OPERATOR), id, &out, &err), APP_OK);
    assert_string_equal(out.state, "submitted");
    assert_string_equal(app_get(f, id).state, "submitted");
    assert_int_equal(app_admin_paper_received(by(f, &OPERATOR), id, &out, &err), APP_ECONFLICT);
    assert_string_equal(err.code, "wrong_state");
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = "
                              "'application.paper_received' AND actor = 'staff:osman'"),
                     1);
    /* then approved: the in-person check ends the chain */
    assert_int_equal(decide(f, &APPROVER72, id, "approve", NULL, &err), APP_OK);
    assert_string_equal(app_get(f, id).state, "approved");
    assert_int_equal(chain_of(f, p.tckn), 0);
}

/* ---- bulk approval ----------------------------------------------------------------------------
 */

static void test_bulk_approve(void **state)
{
    struct afx *f = *state;
    struct app_err err;
    struct core_personnel p;
    long approved = -1, skipped = -1;
    int64_t good[3], bad[2];
    for (int i = 0; i < 3; i++)
        good[i] = submitted(f, 72, NULL);
    person(&p, ++f->seq, 72);
    p.entitled = false;
    import(f, &p);
    bad[0] = app_make(f, p.tckn, "submitted", "esign", 72, NOW - 100, NULL);
    person(&p, ++f->seq, 72);
    p.duty = CORE_DUTY_RETIRED;
    import(f, &p);
    bad[1] = app_make(f, p.tckn, "submitted", "esign", 72, NOW - 100, NULL);
    person(&p, ++f->seq, 72);
    import(f, &p);
    int64_t early = app_make(f, p.tckn, "code_verified", "esign", 72, NOW - 100, NULL);
    int64_t elsewhere = submitted(f, 6, NULL);

    assert_int_equal(app_admin_bulk_approve(by(f, &OPERATOR), &ANY, &approved, &skipped, &err),
                     APP_EFORBIDDEN);
    /* the filter is checked like a list's */
    struct app_queue_filter badf = ANY;
    badf.min_waiting_days = -3;
    assert_int_equal(app_admin_bulk_approve(by(f, &APPROVER72), &badf, &approved, &skipped, &err),
                     APP_EINVAL);
    /* whatever state is asked for, only submitted ones are approved */
    struct app_queue_filter flt = ANY;
    flt.state = "code_verified";
    assert_int_equal(app_admin_bulk_approve(by(f, &APPROVER72), &flt, &approved, &skipped, &err),
                     APP_OK);
    assert_int_equal(approved, 3);
    assert_int_equal(skipped, 2);
    for (int i = 0; i < 3; i++)
        assert_string_equal(app_get(f, good[i]).state, "approved");
    for (int i = 0; i < 2; i++)
        assert_string_equal(app_get(f, bad[i]).state, "submitted");
    assert_string_equal(app_get(f, early).state, "code_verified");
    assert_string_equal(app_get(f, elsewhere).state, "submitted");
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = "
                              "'application.approve'"),
                     3);
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = "
                              "'application.bulk_approve' AND detail LIKE '%\"approved\":3%'"),
                     1);
    /* again: nothing more to approve */
    assert_int_equal(app_admin_bulk_approve(by(f, &APPROVER72), &ANY, &approved, &skipped, &err),
                     APP_OK);
    assert_int_equal(approved, 0);
    assert_int_equal(skipped, 2);
}

/* Issue 17, point 13: the queue's order, the most urgent first by default, and the bulk
 * approval of exactly the ids a review listed. */
static void set_cert_end(struct afx *f, int64_t id, int64_t end)
{
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE applications SET cert_not_after = %lld WHERE id = %lld",
             (long long)end, (long long)id);
    assert_int_equal(testdb_exec(&f->db->db, sql), 0);
}

static void test_queue_order(void **state)
{
    struct afx *f = *state;
    struct seen s;
    struct app_err err;
    long total;
    /* made oldest first; their certificates end in 30 days, 5 days, never had one, 60 days */
    int64_t a30 = submitted(f, 72, NULL), a5 = submitted(f, 72, NULL),
            none = submitted(f, 72, NULL), a60 = submitted(f, 72, NULL);
    set_cert_end(f, a30, NOW + 30 * DAY);
    set_cert_end(f, a5, NOW + 5 * DAY);
    set_cert_end(f, none, 0);
    set_cert_end(f, a60, NOW + 60 * DAY);
    struct app_queue_filter q = ANY;
    assert_int_equal(list(f, &APPROVER72, &q, &s, &total), APP_OK);
    assert_int_equal(total, 4);
    const int64_t urgent[] = {none, a5, a30, a60};
    for (int i = 0; i < 4; i++)
        assert_int_equal(s.ids[i], urgent[i]);
    q.order = "urgent";
    assert_int_equal(list(f, &APPROVER72, &q, &s, &total), APP_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(s.ids[i], urgent[i]);
    /* paged, the order holds across pages */
    q.limit = 2;
    q.offset = 2;
    assert_int_equal(list(f, &APPROVER72, &q, &s, &total), APP_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.ids[0], a30);
    assert_int_equal(s.ids[1], a60);
    /* all made at the same moment: the oldest change first is the order they were made */
    q = ANY;
    q.order = "waiting";
    assert_int_equal(list(f, &APPROVER72, &q, &s, &total), APP_OK);
    assert_true(s.ids[0] < s.ids[1] && s.ids[1] < s.ids[2] && s.ids[2] < s.ids[3]);
    q.order = "newest";
    assert_int_equal(app_admin_list(by(f, &APPROVER72), &q, see, &s, NULL, &err), APP_EINVAL);
    assert_true(has_field(&err, "order", "order_unknown"));
}

static void test_bulk_approve_ids(void **state)
{
    struct afx *f = *state;
    struct app_err err;
    struct core_personnel p;
    long approved = -1, skipped = -1;
    int64_t good = submitted(f, 72, NULL), good2 = submitted(f, 72, NULL);
    person(&p, ++f->seq, 72);
    p.entitled = false;
    import(f, &p);
    int64_t bad = app_make(f, p.tckn, "submitted", "esign", 72, NOW - 100, NULL);
    int64_t elsewhere = submitted(f, 6, NULL);
    person(&p, ++f->seq, 72);
    import(f, &p);
    int64_t early = app_make(f, p.tckn, "code_verified", "esign", 72, NOW - 100, NULL);

    /* the list a review showed, tampered with: only the eligible of the province go through */
    const int64_t ids[] = {good, bad, elsewhere, early, 999999, good, good2};
    assert_int_equal(
        app_admin_bulk_approve_ids(by(f, &APPROVER72), ids, 7, &approved, &skipped, &err), APP_OK);
    assert_int_equal(approved, 2);
    assert_int_equal(skipped, 4); /* the repeated good counts once */
    assert_string_equal(app_get(f, good).state, "approved");
    assert_string_equal(app_get(f, good2).state, "approved");
    assert_string_equal(app_get(f, bad).state, "submitted");
    assert_string_equal(app_get(f, elsewhere).state, "submitted");
    assert_string_equal(app_get(f, early).state, "code_verified");
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = "
                              "'application.bulk_approve' AND object = 'list' AND detail LIKE "
                              "'%\"approved\":2%'"),
                     1);
    /* operators do not approve; none and too many are refused */
    assert_int_equal(
        app_admin_bulk_approve_ids(by(f, &OPERATOR), ids, 1, &approved, &skipped, &err),
        APP_EFORBIDDEN);
    assert_string_equal(err.code, "forbidden_role");
    assert_int_equal(
        app_admin_bulk_approve_ids(by(f, &APPROVER72), ids, 0, &approved, &skipped, &err),
        APP_EINVAL);
    assert_true(has_field(&err, "ids", "bulk_ids_range"));
    assert_int_equal(app_admin_bulk_approve_ids(by(f, &APPROVER72), ids, APP_BULK_IDS_MAX + 1,
                                                &approved, &skipped, &err),
                     APP_EINVAL);
    /* the other province's approver can */
    assert_int_equal(
        app_admin_bulk_approve_ids(by(f, &APPROVER06), &elsewhere, 1, &approved, &skipped, &err),
        APP_OK);
    assert_int_equal(approved, 1);
}

/* ---- re-evaluation after an import ------------------------------------------------------------
 */

static void test_reevaluation(void **state)
{
    struct afx *f = *state;
    struct app_err err;
    struct seen s;
    struct core_personnel p;
    person(&p, ++f->seq, 72);
    p.entitled = false;
    import(f, &p);
    int64_t id = app_make(f, p.tckn, "submitted", "esign", 72, NOW - 100, NULL);
    assert_int_equal(list(f, &APPROVER72, &ANY, &s, NULL), APP_OK);
    assert_int_equal(s.n, 1);
    assert_false(s.eligible[0]);
    assert_int_equal(s.reasons[0], CORE_VR_NOT_ENTITLED);
    assert_int_equal(decide(f, &APPROVER72, id, "approve", NULL, &err), APP_ECONFLICT);

    p.entitled = true; /* the personnel unit fixed the record */
    import(f, &p);
    assert_int_equal(list(f, &APPROVER72, &ANY, &s, NULL), APP_OK);
    assert_true(s.eligible[0]);
    assert_int_equal(s.reasons[0], 0);

    p.duty = CORE_DUTY_SUSPENDED; /* and the other way */
    import(f, &p);
    assert_int_equal(list(f, &APPROVER72, &ANY, &s, NULL), APP_OK);
    assert_false(s.eligible[0]);
    assert_int_equal(s.reasons[0], CORE_VR_NOT_IN_SERVICE);

    p.duty = CORE_DUTY_ACTIVE;
    import(f, &p);
    assert_int_equal(decide(f, &APPROVER72, id, "approve", NULL, &err), APP_OK);
}

/* ---- filters ----------------------------------------------------------------------------------
 */

static void test_filters(void **state)
{
    struct afx *f = *state;
    struct seen s;
    long total;
    struct core_personnel p;
    struct app_err err;
    for (int i = 0; i < 5; i++) {
        person(&p, ++f->seq, 72);
        if (i == 4)
            snprintf(p.district, sizeof p.district, "Kozluk");
        import(f, &p);
        int64_t id = app_make(f, p.tckn, i == 3 ? "awaiting_original" : "submitted",
                              i == 3 ? "wet" : "esign", 72, NOW - (int64_t)i * 4 * DAY,
                              i == 2 ? "Kozluk Anadolu Lisesi" : NULL);
        if (i == 1) {
            struct store_application a = app_get(f, id);
            a.late = true;
            assert_int_equal(store_app_update(f->db->s, &a, a.state, NULL), STORE_OK);
        }
    }
    /* a draft is never in the list unless asked for */
    person(&p, ++f->seq, 72);
    import(f, &p);
    app_make(f, p.tckn, "draft", "", 72, NOW - 100, NULL);

    struct app_queue_filter q = ANY;
    assert_int_equal(list(f, &APPROVER72, &q, &s, &total), APP_OK);
    assert_int_equal(total, 5);
    /* oldest change first */
    assert_true(s.ids[0] > s.ids[4]);
    q.state = "awaiting_original";
    assert_int_equal(list(f, &APPROVER72, &q, &s, &total), APP_OK);
    assert_int_equal(total, 1);
    q = ANY;
    q.late = 1;
    assert_int_equal(list(f, &APPROVER72, &q, &s, &total), APP_OK);
    assert_int_equal(total, 1);
    q = ANY;
    q.institution = "Kozluk";
    assert_int_equal(list(f, &APPROVER72, &q, &s, &total), APP_OK);
    assert_int_equal(total, 1);
    q = ANY;
    q.district = "Kozluk";
    assert_int_equal(list(f, &APPROVER72, &q, &s, &total), APP_OK);
    assert_int_equal(total, 1);
    q = ANY;
    q.min_waiting_days = 8; /* changed 8, 12 and 16 days ago */
    assert_int_equal(list(f, &APPROVER72, &q, &s, &total), APP_OK);
    assert_int_equal(total, 3);
    q = ANY;
    q.limit = 2;
    q.offset = 2;
    assert_int_equal(list(f, &APPROVER72, &q, &s, &total), APP_OK);
    assert_int_equal(total, 5);
    assert_int_equal(s.n, 2);

    static const struct {
        struct app_queue_filter q;
        const char *field, *code;
    } bad[] = {
        {{.state = "nonsense", .late = -1}, "state", "state_unknown"},
        {{.province = 82, .late = -1}, "province", "province_unknown"},
        {{.late = 2}, "late", "boolean_format"},
        {{.min_waiting_days = -1, .late = -1}, "min_waiting_days", "waiting_days_range"},
        {{.limit = 501, .late = -1}, "limit", "limit_range"},
        {{.offset = -1, .late = -1}, "offset", "offset_range"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&s, 0, sizeof s);
        assert_int_equal(app_admin_list(by(f, &ADMIN), &bad[i].q, see, &s, NULL, &err), APP_EINVAL);
        assert_string_equal(err.code, "invalid_fields");
        assert_true(has_field(&err, bad[i].field, bad[i].code));
        assert_int_equal(s.n, 0);
    }
}

/* ---- the dashboard -----------------------------------------------------------------------------
 */

static int cert_seq;

static void put_cert(struct afx *f, const char *tckn, int64_t nb, int64_t na)
{
    struct core_certificate c;
    char seed[32];
    bool ins;
    memset(&c, 0, sizeof c);
    snprintf(seed, sizeof seed, "admin-cert-%d", ++cert_seq);
    assert_int_equal(crypto_sha256_hex(seed, strlen(seed), c.fingerprint), 0);
    snprintf(c.tckn, sizeof c.tckn, "%s", tckn);
    snprintf(c.subject_name, sizeof c.subject_name, "KİŞİ");
    snprintf(c.subject, sizeof c.subject, "CN=KİŞİ,serialNumber=%s,C=TR", tckn);
    snprintf(c.serial, sizeof c.serial, "0B%04X", cert_seq);
    snprintf(c.issuer, sizeof c.issuer, "CN=Kamu SM,C=TR");
    c.not_before = nb;
    c.not_after = na;
    static const unsigned char der[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    assert_int_equal(store_certificate_put(f->db->s, &c, der, sizeof der, &ins), STORE_OK);
}

static void test_dashboard(void **state)
{
    struct afx *f = *state;
    struct app_err err;
    struct app_dashboard d;
    struct core_personnel p;
    static const int64_t ages[] = {3600, 2 * DAY, 5 * DAY, 10 * DAY, 20 * DAY, 3 * DAY};
    for (size_t i = 0; i < 6; i++) {
        person(&p, ++f->seq, 72);
        import(f, &p);
        app_make(f, p.tckn, i == 5 ? "awaiting_original" : "submitted", i == 5 ? "wet" : "esign",
                 72, NOW - ages[i], NULL);
    }
    person(&p, ++f->seq, 72);
    import(f, &p);
    app_make(f, p.tckn, "approved", "esign", 72, NOW - 100, NULL);
    person(&p, ++f->seq, 6);
    import(f, &p);
    app_make(f, p.tckn, "submitted", "esign", 6, NOW - 100, NULL);
    /* people of 72 without an application whose certificates end in 10, 45 and 80 days */
    static const int ends[] = {10, 45, 80, 200};
    for (size_t i = 0; i < 4; i++) {
        person(&p, ++f->seq, 72);
        import(f, &p);
        put_cert(f, p.tckn, NOW - 1000 * DAY, NOW + ends[i] * DAY);
    }

    assert_int_equal(app_admin_dashboard(by(f, &APPROVER72), 6, &d, &err), APP_OK);
    assert_int_equal(d.province, 72);
    assert_int_equal(d.by_state[CORE_APP_SUBMITTED], 5);
    assert_int_equal(d.by_state[CORE_APP_AWAITING_ORIGINAL], 1);
    assert_int_equal(d.by_state[CORE_APP_APPROVED], 1);
    assert_int_equal(d.waiting[0], 1); /* < 1 day */
    assert_int_equal(d.waiting[1], 1); /* 1-3 */
    assert_int_equal(d.waiting[2], 2); /* 3-7: 3 (its lower bound) and 5 */
    assert_int_equal(d.waiting[3], 1); /* 7-15 */
    assert_int_equal(d.waiting[4], 1); /* >= 15 */
    assert_int_equal(d.expiring[0], 1);
    assert_int_equal(d.expiring[1], 2);
    assert_int_equal(d.expiring[2], 3);
    assert_int_equal(app_admin_dashboard(by(f, &ADMIN), 0, &d, &err), APP_OK);
    assert_int_equal(d.by_state[CORE_APP_SUBMITTED], 6);
    assert_int_equal(app_admin_dashboard(by(f, &ADMIN), 99, &d, &err), APP_EINVAL);
}

/* ---- CSV exports --------------------------------------------------------------------------------
 */

static int count_lines(const char *s)
{
    int n = 0;
    for (; (s = strstr(s, "\r\n")); s += 2)
        n++;
    return n;
}

/* The exports' header rows, byte for byte, with the byte-order mark before them. */
#define QUEUE_HEAD_TR                                                                                  \
    "\xEF\xBB\xBF"                                                                                     \
    "Başvuru No;Durum;T.C. Kimlik No;Ad;Soyad;Kurum;İlçe;İl;Yöntem;Geç Başvuru;Uygun;Gerekçe;" \
    "Sertifika Bitiş;Son İşlem (Türkiye saati);Islak İmza Gerekli"
#define QUEUE_HEAD_EN                                                                              \
    "\xEF\xBB\xBF"                                                                                 \
    "Application No;Status;T.C. Kimlik No;First name;Last name;Institution;District;Province;"     \
    "Method;Late application;Eligible;Reasons;Certificate ends;Last action (Turkey time);"         \
    "Handwritten signature required"
#define EXPIRING_HEAD_TR                                                                           \
    "\xEF\xBB\xBF"                                                                                 \
    "T.C. Kimlik No;Ad;Soyad;Kurum;İlçe;İl;E-posta;Cep Telefonu;Sertifika Bitiş;Kalan Gün"
#define EXPIRING_HEAD_EN                                                                           \
    "\xEF\xBB\xBF"                                                                                 \
    "T.C. Kimlik No;First name;Last name;Institution;District;Province;E-mail;Mobile phone;"       \
    "Certificate ends;Days left"

/* The first line of s without its CRLF, into out. */
static const char *first_line(const char *s, char *out, size_t cap)
{
    size_t n = strcspn(s, "\r\n");
    snprintf(out, cap, "%.*s", (int)n, s);
    return out;
}

static void test_csv(void **state)
{
    struct afx *f = *state;
    struct app_err err;
    char line[512];
    struct core_personnel p;
    struct ubuf b = UBUF_INIT(1 << 20);
    char first[CORE_TCKN_LEN + 1];
    person(&p, ++f->seq, 72);
    import(f, &p);
    memcpy(first, p.tckn, sizeof first);
    app_make(f, p.tckn, "submitted", "esign", 72, NOW - 100, "=HYPERLINK(\"http://x\";\"y\")");
    person(&p, ++f->seq, 72);
    import(f, &p);
    app_make(f, p.tckn, "submitted", "esign", 72, NOW - 90, "@SUM(1+1)");
    person(&p, ++f->seq, 72);
    import(f, &p);
    app_make(f, p.tckn, "submitted", "esign", 72, NOW - 80, "Okul; \"Yıldız\"");
    person(&p, ++f->seq, 6);
    import(f, &p);
    app_make(f, p.tckn, "submitted", "esign", 6, NOW - 70, "Ankara Lisesi");

    assert_int_equal(app_admin_queue_csv(by(f, &APPROVER72), &ANY, &b, &err), APP_OK);
    const char *csv = ubuf_str(&b);
    assert_string_equal(first_line(csv, line, sizeof line), QUEUE_HEAD_TR);
    assert_int_equal(count_lines(csv), 4); /* header and this province's three */
    assert_non_null(strstr(csv, ";Onay bekliyor;"));
    assert_non_null(strstr(csv, ";E-imza;Hayır;"));
    assert_null(strstr(csv, "Ankara Lisesi"));
    /* formulas are neutralised; quotes doubled inside quoted cells */
    assert_non_null(strstr(csv, ";\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\";"));
    assert_non_null(strstr(csv, ";'@SUM(1+1);"));
    assert_non_null(strstr(csv, ";\"Okul; \"\"Yıldız\"\"\";"));
    assert_null(strstr(csv, ";=HYP"));
    /* the T.C. Kimlik No masked */
    assert_null(strstr(csv, p.tckn));
    char m[CORE_TCKN_LEN + 1];
    core_tckn_mask(first, m);
    assert_non_null(strstr(csv, m));
    assert_null(strstr(csv, first));
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = 'export.queue' AND "
                              "actor = 'staff:ayse' AND detail LIKE '%\"rows\":3%'"),
                     1);

    /* asked in English (the staff page's language): the column names and words in English */
    ubuf_reset(&b);
    by(f, &APPROVER72)->lang = CORE_LANG_EN;
    assert_int_equal(app_admin_queue_csv(&f->ctx, &ANY, &b, &err), APP_OK);
    csv = ubuf_str(&b);
    assert_string_equal(first_line(csv, line, sizeof line), QUEUE_HEAD_EN);
    assert_int_equal(count_lines(csv), 4);
    assert_non_null(strstr(csv, ";Waiting for approval;"));
    assert_non_null(strstr(csv, ";E-signature;No;"));
    assert_null(strstr(csv, "Hayır"));
    assert_null(strstr(csv, "E-imza"));

    /* a bad filter: nothing written, nothing audited */
    ubuf_reset(&b);
    struct app_queue_filter bad = ANY;
    bad.state = "x";
    assert_int_equal(app_admin_queue_csv(by(f, &ADMIN), &bad, &b, &err), APP_EINVAL);
    assert_int_equal(b.len, 0);

    /* the expiring list (issue 19, finding 5): T.C. Kimlik No, e-mail and mobile masked for
     * every role, as on the pages (app/privacy.h) */
    person(&p, ++f->seq, 72);
    snprintf(p.institution_name, sizeof p.institution_name, "-Eksi Okulu");
    import(f, &p);
    put_cert(f, p.tckn, NOW - 1000 * DAY, NOW + 20 * DAY);
    const struct app_staff *roles[] = {&APPROVER72, &OPERATOR, &ADMIN};
    for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++) {
        ubuf_reset(&b);
        assert_int_equal(app_admin_expiring_csv(by(f, roles[r]), 72, 30, &b, &err), APP_OK);
        csv = ubuf_str(&b);
        assert_string_equal(first_line(csv, line, sizeof line), EXPIRING_HEAD_TR);
        char mt[CORE_TCKN_LEN + 1], mp[CORE_PHONE_LEN + 1], me[CORE_EMAIL_MAX];
        core_tckn_mask(p.tckn, mt);
        core_phone_mask(p.mobile_phone, mp);
        core_email_mask(p.email, me, sizeof me);
        assert_true(p.email[0] && p.mobile_phone[0]);
        assert_null(strstr(csv, p.tckn));
        assert_null(strstr(csv, p.email));
        assert_null(strstr(csv, p.mobile_phone));
        assert_non_null(strstr(csv, mt));
        assert_non_null(strstr(csv, me));
        assert_non_null(strstr(csv, mp));
        assert_non_null(strstr(csv, ";'-Eksi Okulu;"));
        assert_non_null(strstr(csv, ";20\r\n"));
        assert_int_equal(count_lines(csv), 2);
    }
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = 'export.expiring' "
                              "AND detail = '{\"province\":72,\"days\":30,\"rows\":1}'"),
                     3);
    ubuf_reset(&b);
    by(f, &OPERATOR)->lang = CORE_LANG_EN;
    assert_int_equal(app_admin_expiring_csv(&f->ctx, 72, 30, &b, &err), APP_OK);
    assert_string_equal(first_line(ubuf_str(&b), line, sizeof line), EXPIRING_HEAD_EN);
    assert_int_equal(count_lines(ubuf_str(&b)), 2);
    ubuf_reset(&b);
    assert_int_equal(app_admin_expiring_csv(by(f, &APPROVER72), 0, 45, &b, &err), APP_EINVAL);
    assert_true(has_field(&err, "days", "expiring_days"));
    assert_int_equal(b.len, 0);
    ubuf_free(&b);
}

int main(void)
{
    testdb_require();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scoping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_eligible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reject_reason, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decision_verdict_then, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_tckn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_approve_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outbox_and_audit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remote_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_chains_one_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paper_received, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_approve, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reevaluation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dashboard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
