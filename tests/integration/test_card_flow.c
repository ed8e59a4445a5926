/* eimza — after approval (app/card_flow.h) on a real database, both backends, on a clock the
 * test passes in: the delivery deadline (the operator's overdue view and the holder told once by
 * the notification scan, on the day and not the second before), the holders at risk of a gap
 * and the view's order by the renewed certificate's end; the card bureau's batch (a province's
 * approved applications, the oldest-expiring first, with its revocation requests; nothing to
 * order; not in an in-house deployment); the bureau's answer file and a carrier's file (rows
 * applied, bad rows reported by line and skipped, the same file again changing nothing); and
 * the new card's PIN on the portal: the security word (wrong: counted and audited), the SMS
 * code (wrong, expired), the PIN and PUK shown once and destroyed, a second retrieval refused,
 * the lock after too many wrong entries and its end an hour later, a sealed PIN that does not
 * open with another key or on another row; and the operator lifting the word step for a holder
 * who forgot it (who may, what it needs, the code alone then, used once, lapsing, audited, the
 * holder told). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/card_flow.h"
#include "app/flow_int.h"
#include "app/text.h"
#include "core/date.h"
#include "core/personnel.h"
#include "core/tckn.h"
#include "crypto/seal.h"
#include "notify/outbox.h"
#include "notify/scan.h"
#include "notify/templates.h"
#include "store/store.h"
#include "testdb.h"

#define NOW 1750000000 /* 2025-06-15T15:06:40Z */
#define DAY 86400

struct fx {
    struct testdb_fx *db;
    int seq;
    struct app_settings set;
    struct app_ctx ctx;
};

static const struct app_staff OPERATOR = {"osman", "operator", 0};
static const struct app_staff APPROVER72 = {"ayse", "approver", 72};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    *state = f;
    void *dbstate = NULL;
    int rc = testdb_fx_setup(&dbstate, true);
    f->db = dbstate;
    if (app_settings_default(&f->set) != 0)
        return -1;
    return rc;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    if (f) {
        void *dbstate = f->db;
        testdb_fx_teardown(&dbstate);
        app_settings_free(&f->set);
        free(f);
    }
    return 0;
}

/* The use cases' context at now, acting for a staff member. */
static struct app_ctx *as_staff(struct fx *f, const struct app_staff *who, int64_t now)
{
    memset(&f->ctx, 0, sizeof f->ctx);
    f->ctx.db = f->db->s;
    f->ctx.set = &f->set;
    f->ctx.now = now;
    f->ctx.who.kind = APP_ACTOR_STAFF;
    f->ctx.who.staff = *who;
    return &f->ctx;
}

/* ... acting for the holder of tckn (their session bound to application id). */
static struct app_ctx *as_holder(struct fx *f, const char *tckn, int64_t id, int64_t now)
{
    memset(&f->ctx, 0, sizeof f->ctx);
    f->ctx.db = f->db->s;
    f->ctx.set = &f->set;
    f->ctx.now = now;
    f->ctx.who.kind = APP_ACTOR_APPLICANT;
    snprintf(f->ctx.who.session.subject, sizeof f->ctx.who.session.subject, "%s", tckn);
    f->ctx.who.session.application_id = id;
    return &f->ctx;
}

static long long q(struct fx *f, const char *sql)
{
    return testdb_query_ll(&f->db->db, sql);
}

static void tckn_of(int n, char out[CORE_TCKN_LEN + 1])
{
    char d9[16];
    snprintf(d9, sizeof d9, "%09d", 300000000 + n * 7919);
    assert_int_equal(core_tckn_complete(d9, out), 0);
}

/* A person of a province on record, with a mobile number. */
static void person(struct fx *f, int n, int province, char tckn[CORE_TCKN_LEN + 1])
{
    struct core_personnel p;
    struct store_import_stats st;
    core_personnel_clear(&p);
    tckn_of(n, p.tckn);
    snprintf(p.first_name, sizeof p.first_name, "Kişi%d", n);
    snprintf(p.last_name, sizeof p.last_name, "Yılmaz");
    snprintf(p.birth_place, sizeof p.birth_place, "Batman");
    assert_int_equal(core_date_from_ymd(1980, 3, 15, &p.birth_date), 0);
    snprintf(p.institution_name, sizeof p.institution_name, "Kurum %d", n);
    p.province = province;
    snprintf(p.district, sizeof p.district, "Merkez");
    p.duty = CORE_DUTY_ACTIVE;
    p.assignment_end = CORE_DATE_NONE;
    p.entitled = true;
    snprintf(p.email, sizeof p.email, "kisi%d@meb.gov.tr", n);
    snprintf(p.mobile_phone, sizeof p.mobile_phone, "532%07u", (unsigned)n % 10000000u);
    assert_int_equal(store_personnel_import_begin(f->db->s), STORE_OK);
    assert_int_equal(store_personnel_import_row(f->db->s, &p), STORE_OK);
    assert_int_equal(store_personnel_import_commit(f->db->s, &st), STORE_OK);
    memcpy(tckn, p.tckn, CORE_TCKN_LEN + 1);
}

/* An application of a new person in a state, approved at approved_at, renewing a certificate
 * that ends at cert_end (0: none). Its number is "FXW" + 7 digits. */
static int64_t app_in(struct fx *f, const char *state, int province, int64_t approved_at,
                      int64_t cert_end, char tckn[CORE_TCKN_LEN + 1])
{
    struct store_application a;
    int n = ++f->seq;
    person(f, n, province, tckn);
    memset(&a, 0, sizeof a);
    snprintf(a.number, sizeof a.number, "FXW%07u", (unsigned)n % 10000000u);
    snprintf(a.tckn, sizeof a.tckn, "%s", tckn);
    snprintf(a.state, sizeof a.state, "%s", state);
    a.confirmed = true;
    snprintf(a.first_name, sizeof a.first_name, "Kişi%d", n);
    snprintf(a.last_name, sizeof a.last_name, "Yılmaz");
    snprintf(a.institution_name, sizeof a.institution_name, "Kurum %d", n);
    snprintf(a.reason, sizeof a.reason, "renewal");
    snprintf(a.card_reader, sizeof a.card_reader, "none");
    a.validity_years = 3;
    snprintf(a.address, sizeof a.address, "Okul Sok. %d", n);
    a.province = province;
    snprintf(a.district, sizeof a.district, "Merkez");
    snprintf(a.postal_code, sizeof a.postal_code, "%02d100", province);
    snprintf(a.email, sizeof a.email, "basvuru%d@meb.gov.tr", n);
    snprintf(a.mobile_phone, sizeof a.mobile_phone, "532%07u", (unsigned)n % 10000000u);
    snprintf(a.mobile_operator, sizeof a.mobile_operator, "turkcell");
    snprintf(a.notify_by, sizeof a.notify_by, "both");
    snprintf(a.method, sizeof a.method, "wet");
    a.cert_not_after = cert_end;
    a.created_at = approved_at - 5 * DAY;
    a.updated_at = approved_at;
    a.approved_at = approved_at;
    struct store_app_event ev = {a.created_at, "", state, "created", "applicant:x"};
    assert_int_equal(store_app_create(f->db->s, &a, &ev), STORE_OK);
    return a.id;
}

static struct store_application app_get(struct fx *f, int64_t id)
{
    struct store_application a;
    assert_int_equal(store_app_get(f->db->s, id, &a), STORE_OK);
    return a;
}

/* ---- the operator's view: overdue, at risk, in order ---------------------------------------- */

struct seen {
    int n;
    int64_t ids[32];
    bool overdue[32], at_risk[32];
};

static int see(void *ctx, const struct app_flow_item *it)
{
    struct seen *s = ctx;
    if (s->n < 32) {
        s->ids[s->n] = it->app->id;
        s->overdue[s->n] = it->overdue;
        s->at_risk[s->n] = it->at_risk;
        s->n++;
    }
    return 0;
}

static struct seen view(struct fx *f, enum app_flow_view_kind kind, int64_t now)
{
    struct seen s = {0};
    struct app_err err;
    struct app_flow_filter flt = {.kind = kind};
    long total = -1;
    assert_int_equal(app_admin_flow(as_staff(f, &OPERATOR, now), &flt, see, &s, &total, &err),
                     APP_OK);
    assert_int_equal(total, s.n);
    return s;
}

static void test_deadline(void **state)
{
    struct fx *f = *state;
    char t[CORE_TCKN_LEN + 1];
    const int64_t approved = NOW - 10 * DAY;
    int64_t late = app_in(f, "shipped", 72, approved, NOW + 90 * DAY, t);
    int64_t fine = app_in(f, "delivered", 72, approved, NOW + 90 * DAY, t);
    const int64_t due = approved + 15 * DAY; /* delivery_expected_days, the default */

    struct seen s = view(f, APP_FLOW_OVERDUE, due - 1);
    assert_int_equal(s.n, 0); /* a second before the deadline */
    s = view(f, APP_FLOW_OVERDUE, due);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.ids[0], late);
    assert_true(s.overdue[0]);
    s = view(f, APP_FLOW_ALL, due);
    assert_int_equal(s.n, 2);
    for (int i = 0; i < 2; i++) /* a delivered card is not late */
        assert_int_equal(s.overdue[i], s.ids[i] == late && s.ids[i] != fine);

    /* the holder is told once, by the channels of the form, on the day and not before */
    struct notify_templates *tpl = NULL;
    char err[256];
    assert_int_equal(notify_templates_load(NULL, "tr", &tpl, err, sizeof err), 0);
    struct notify_scan_cfg cfg = {.expired_days = 30,
                                  .reminder_days = 0,
                                  .portal_url = "http://x/",
                                  .lang = "tr",
                                  .tpl = tpl,
                                  .batch = 100};
    core_rules_default(&cfg.rules);
    struct notify_scan_stats st;
    assert_int_equal(notify_scan(f->db->s, &cfg, due - 1, &st), STORE_OK);
    assert_int_equal(st.overdue, 0);
    assert_int_equal(notify_scan(f->db->s, &cfg, due, &st), STORE_OK);
    assert_int_equal(st.overdue, 2); /* e-mail and SMS */
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM outbox WHERE template = 'card_late' AND dedupe_key LIKE "
             "'overdue:%lld:%%'",
             (long long)late);
    assert_int_equal(q(f, sql), 2);
    assert_int_equal(notify_scan(f->db->s, &cfg, due + DAY, &st), STORE_OK);
    assert_int_equal(st.overdue, 0); /* once */

    /* where the cards are made in house the same scan sends the in-house twin, which names the
     * e-imza sorumlusu and not Kamu SM's call centre */
    int64_t late_inhouse = app_in(f, "in_production", 72, approved, NOW + 90 * DAY, t);
    cfg.inhouse = true;
    assert_int_equal(notify_scan(f->db->s, &cfg, due + DAY, &st), STORE_OK);
    assert_int_equal(st.overdue, 2);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM outbox WHERE template = 'card_late_inhouse' AND dedupe_key "
             "LIKE 'overdue:%lld:%%'",
             (long long)late_inhouse);
    assert_int_equal(q(f, sql), 2);
    assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE template = 'card_late'"), 2);
    struct ubuf subj, body;
    const struct notify_var vars[] = {{"name", "Kişi"}, {"number", "FXW1"}, {"days", "16"}};
    for (int sms = 0; sms <= 1; sms++) {
        ubuf_init(&subj, 4096);
        ubuf_init(&body, 4096);
        assert_int_equal(notify_render(tpl, NOTIFY_TPL_CARD_LATE_INHOUSE, sms, vars, 3,
                                       sms ? NULL : &subj, &body),
                         0);
        assert_non_null(strstr(ubuf_str(&body), "sorumlusuna"));
        assert_null(strstr(ubuf_str(&body), "444"));
        assert_null(strstr(ubuf_str(&body), "Kamu SM"));
        ubuf_free(&subj);
        ubuf_free(&body);
    }
    notify_templates_free(tpl);
}

static void test_at_risk_and_order(void **state)
{
    struct fx *f = *state;
    char t[CORE_TCKN_LEN + 1];
    /* approved today: the card is expected in 15 days */
    int64_t risky = app_in(f, "approved", 72, NOW, NOW + 10 * DAY, t); /* ends before */
    int64_t later = app_in(f, "in_production", 72, NOW, NOW + 60 * DAY, t);
    int64_t ended = app_in(f, "shipped", 72, NOW - 2 * DAY, NOW - DAY, t); /* already ended */
    int64_t first = app_in(f, "approved", 72, NOW, 0, t);                  /* renews none */
    int64_t other = app_in(f, "approved", 6, NOW, NOW + 5 * DAY, t);
    struct seen s = view(f, APP_FLOW_AT_RISK, NOW);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.ids[0], ended); /* the renewed certificate's end first */
    assert_int_equal(s.ids[1], other);
    assert_int_equal(s.ids[2], risky);
    for (int i = 0; i < 3; i++)
        assert_true(s.at_risk[i]);
    s = view(f, APP_FLOW_ALL, NOW);
    assert_int_equal(s.n, 5);
    assert_int_equal(s.ids[3], later);
    assert_int_equal(s.ids[4], first); /* first cards last */
    /* an approver sees their province only */
    struct app_err err;
    struct seen a = {0};
    struct app_flow_filter flt = {.kind = APP_FLOW_ALL, .province = 6};
    assert_int_equal(app_admin_flow(as_staff(f, &APPROVER72, NOW), &flt, see, &a, NULL, &err),
                     APP_OK);
    assert_int_equal(a.n, 4);
    /* one application by its number */
    struct store_application o = app_get(f, other);
    struct seen one = {0};
    struct app_flow_filter byno = {.kind = APP_FLOW_ALL, .number = o.number};
    assert_int_equal(app_admin_flow(as_staff(f, &OPERATOR, NOW), &byno, see, &one, NULL, &err),
                     APP_OK);
    assert_int_equal(one.n, 1);
    assert_int_equal(one.ids[0], other);
}

/* ---- the card bureau's batch
 * ----------------------------------------------------------------------- */

static void test_batch(void **state)
{
    struct fx *f = *state;
    char t[CORE_TCKN_LEN + 1];
    struct app_err err;
    struct app_batch b;
    int64_t d30 = app_in(f, "approved", 72, NOW - DAY, NOW + 30 * DAY, t);
    int64_t d10 = app_in(f, "approved", 72, NOW - DAY, NOW + 10 * DAY, t);
    int64_t none = app_in(f, "approved", 72, NOW - DAY, 0, t);
    int64_t d20 = app_in(f, "approved", 72, NOW - DAY, NOW + 20 * DAY, t);
    int64_t elsewhere = app_in(f, "approved", 6, NOW - DAY, NOW + DAY, t);
    int64_t submitted = app_in(f, "submitted", 72, 0, NOW + DAY, t);
    /* a lost card's revocation request waiting in 72 */
    struct core_certificate c = {0};
    snprintf(c.fingerprint, sizeof c.fingerprint, "%064d", 7);
    snprintf(c.tckn, sizeof c.tckn, "%s", t);
    snprintf(c.subject, sizeof c.subject, "CN=x");
    snprintf(c.serial, sizeof c.serial, "0A0B");
    snprintf(c.issuer, sizeof c.issuer, "CN=Kamu SM");
    c.not_before = NOW - 400 * DAY;
    c.not_after = NOW + 300 * DAY;
    bool ins;
    int64_t cert_id;
    assert_int_equal(store_certificate_put(f->db->s, &c, (const unsigned char *)"x", 1, &ins),
                     STORE_OK);
    assert_int_equal(store_certificate_by_fpr(f->db->s, c.fingerprint, &cert_id, &c), STORE_OK);
    assert_int_equal(store_revocation_request(f->db->s, cert_id, submitted, 72, 1, NOW, &ins),
                     STORE_OK);

    /* an approver does not make batches */
    assert_int_equal(app_admin_batch_make(as_staff(f, &APPROVER72, NOW), 72, 0, &b, &err),
                     APP_EFORBIDDEN);
    assert_int_equal(app_admin_batch_make(as_staff(f, &OPERATOR, NOW), 72, 3, &b, &err), APP_OK);
    assert_int_equal(b.applications, 3);
    assert_int_equal(b.revocations, 1);
    /* the three expiring soonest, in production, in the batch; the first card and the other
     * province wait */
    int64_t in[] = {d10, d20, d30}, out[] = {none, elsewhere};
    for (size_t i = 0; i < 3; i++) {
        struct store_application a = app_get(f, in[i]);
        assert_string_equal(a.state, "in_production");
        assert_int_equal(a.batch_id, b.id);
    }
    for (size_t i = 0; i < 2; i++)
        assert_string_equal(app_get(f, out[i]).state, "approved");
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM outbox WHERE template = 'card_ordered'");
    assert_int_equal(q(f, sql), 6); /* each holder told, e-mail and SMS */

    /* the export: the cards in order with what the bureau needs, then the revocation */
    struct ubuf csv = UBUF_INIT(1 << 20), js = UBUF_INIT(1 << 20);
    assert_int_equal(app_admin_batch_export(as_staff(f, &OPERATOR, NOW), b.id, "csv", &csv, &err),
                     APP_OK);
    const char *body = ubuf_str(&csv);
    assert_memory_equal(body,
                        "\xEF\xBB\xBF"
                        "application_number;tckn;",
                        27);
    const char *p10 = strstr(body, app_get(f, d10).number),
               *p20 = strstr(body, app_get(f, d20).number),
               *p30 = strstr(body, app_get(f, d30).number);
    assert_non_null(p10);
    assert_true(p10 < p20 && p20 < p30);
    assert_non_null(
        strstr(body, "\r\n\r\napplication_number;tckn;certificate_serial;issuer;reason"));
    assert_non_null(strstr(body, ";0A0B;CN=Kamu SM;1;"));
    assert_int_equal(app_admin_batch_export(as_staff(f, &OPERATOR, NOW), b.id, "json", &js, &err),
                     APP_OK);
    assert_non_null(strstr(ubuf_str(&js), "\"revocations\""));
    assert_int_equal(app_admin_batch_export(as_staff(f, &OPERATOR, NOW), b.id, "xml", &js, &err),
                     APP_EINVAL);
    assert_int_equal(
        app_admin_batch_export(as_staff(f, &OPERATOR, NOW), b.id + 99, "csv", &js, &err),
        APP_ENOTFOUND);
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'export.batch'"), 2);
    ubuf_free(&csv);
    ubuf_free(&js);

    /* the rest of 72, then nothing */
    assert_int_equal(app_admin_batch_make(as_staff(f, &OPERATOR, NOW), 72, 0, &b, &err), APP_OK);
    assert_int_equal(b.applications, 1);
    assert_int_equal(b.revocations, 0);
    assert_int_equal(app_admin_batch_make(as_staff(f, &OPERATOR, NOW), 72, 0, &b, &err),
                     APP_ECONFLICT);
    assert_string_equal(err.code, "nothing_to_order");
    f->set.portal.production = APP_PRODUCTION_INHOUSE;
    assert_int_equal(app_admin_batch_make(as_staff(f, &OPERATOR, NOW), 6, 0, &b, &err),
                     APP_ECONFLICT);
    assert_string_equal(err.code, "production_bureau_only");
    f->set.portal.production = APP_PRODUCTION_BUREAU;
}

/* ---- the files coming back
 * ---------------------------------------------------------------------------- */

struct mem {
    const char *p;
    size_t len, off;
};

static ssize_t mem_read(void *ctx, void *buf, size_t n)
{
    struct mem *m = ctx;
    size_t k = m->len - m->off < n ? m->len - m->off : n;
    memcpy(buf, m->p + m->off, k);
    m->off += k;
    return (ssize_t)k;
}

struct refused {
    int n;
    long line[16];
    char field[16][32], code[16][32];
};

static void note(void *ctx, const struct app_file_refusal *r)
{
    struct refused *x = ctx;
    if (x->n < 16) {
        x->line[x->n] = r->line;
        snprintf(x->field[x->n], sizeof x->field[x->n], "%s", r->field);
        snprintf(x->code[x->n], sizeof x->code[x->n], "%s", r->code);
        x->n++;
    }
}

static void import(struct fx *f, bool answer, const char *text, struct app_file_result *res,
                   struct refused *r)
{
    struct mem m = {text, strlen(text), 0};
    struct app_err err;
    memset(r, 0, sizeof *r);
    struct app_ctx *c = as_staff(f, &OPERATOR, NOW);
    enum app_status st = answer ? app_bureau_import(c, NULL, mem_read, &m, note, r, res, &err)
                                : app_shipments_import(c, NULL, mem_read, &m, note, r, res, &err);
    assert_int_equal(st, APP_OK);
}

static void test_answer_file(void **state)
{
    struct fx *f = *state;
    char t[CORE_TCKN_LEN + 1], text[2048];
    struct app_file_result res;
    struct refused r;
    int64_t shipped = app_in(f, "in_production", 72, NOW - DAY, NOW + 9 * DAY, t);
    int64_t made = app_in(f, "in_production", 72, NOW - DAY, NOW + 9 * DAY, t);
    int64_t refused = app_in(f, "in_production", 72, NOW - DAY, NOW + 9 * DAY, t);
    int64_t waiting = app_in(f, "approved", 72, NOW - DAY, NOW + 9 * DAY, t);
    struct store_application s = app_get(f, shipped), m = app_get(f, made), x = app_get(f, refused),
                             w = app_get(f, waiting);
    snprintf(text, sizeof text,
             "\xEF\xBB\xBF"
             "application_number;result;card_serial;carrier;tracking_number;reason\r\n"
             "%s;produced;AK123;Yurtiçi Kargo;YK-1\r\n" /* 2 */
             "%s;PRODUCED;AK124;;\r\n"                  /* 3 */
             "%s;refused;;;;Fotoğraf okunamadı\r\n"     /* 4 */
             "ZZZZZZZZZZ;produced;AK125;;\r\n"          /* 5 unknown */
             "%s;produced;AK126;;\r\n"                  /* 6 wrong state */
             "%s;done;AK127;;\r\n"                      /* 7 bad result */
             "%s;produced;;;\r\n"                       /* 8 no serial */
             "%s;refused;;;;\r\n"                       /* 9 no reason */
             "%s;produced;AK128;Aras;\r\n"              /* 10 half a shipment */
             "\r\n",
             s.number, m.number, x.number, w.number, m.number, m.number, m.number, m.number);
    import(f, true, text, &res, &r);
    assert_int_equal(res.rows, 9);
    assert_int_equal(res.applied, 3);
    assert_int_equal(res.refused, 6);
    static const struct {
        long line;
        const char *field, *code;
    } want[] = {{5, "application_number", "application_unknown"},
                {6, "application_number", "wrong_state"},
                {7, "result", "answer_unknown"},
                {8, "card_serial", "required"},
                {9, "reason", "reason_required"},
                {10, "tracking_number", "required"}};
    assert_int_equal(r.n, 6);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(r.line[i], want[i].line);
        assert_string_equal(r.field[i], want[i].field);
        assert_string_equal(r.code[i], want[i].code);
    }
    assert_string_equal(app_get(f, shipped).state, "shipped");
    assert_string_equal(app_get(f, made).state, "in_production");
    struct store_application back = app_get(f, refused);
    assert_string_equal(back.state, "approved");
    assert_int_equal(back.batch_id, 0); /* to be ordered again */
    assert_string_equal(back.closed_reason, "Fotoğraf okunamadı");
    struct store_card k;
    assert_int_equal(store_card_of_app(f->db->s, shipped, &k), STORE_OK);
    assert_string_equal(k.state, "shipped");
    assert_string_equal(k.serial, "AK123");
    assert_string_equal(k.carrier, "Yurtiçi Kargo");
    assert_string_equal(k.tracking_number, "YK-1");
    assert_int_equal(store_card_of_app(f->db->s, made, &k), STORE_OK);
    assert_string_equal(k.state, "produced");
    assert_string_equal(k.source, "bureau");
    assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE template = 'card_refused'"), 2);
    assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE template = 'card_shipped'"), 2);

    /* the same file again: nothing changes, the bad rows are bad again */
    import(f, true, text, &res, &r);
    assert_int_equal(res.applied, 0);
    assert_int_equal(res.unchanged, 3);
    assert_int_equal(res.refused, 6);
    assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE template = 'card_refused'"), 2);

    /* a header without the columns refuses the whole file */
    import(f, true, "number;outcome\nX;Y\n", &res, &r);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.line[0], 1);
    assert_string_equal(r.code[0], "column_missing");
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'bureau.answer_import'"),
                     3);
}

static void test_shipments_file(void **state)
{
    struct fx *f = *state;
    char t[CORE_TCKN_LEN + 1], text[1024];
    struct app_file_result res;
    struct refused r;
    int64_t a = app_in(f, "in_production", 72, NOW - DAY, NOW + 9 * DAY, t);
    int64_t b = app_in(f, "approved", 72, NOW - DAY, NOW + 9 * DAY, t);
    struct store_application x = app_get(f, a), y = app_get(f, b);
    snprintf(text, sizeof text,
             "application_number,carrier,tracking_number\n"
             "%s,PTT Kargo,KP0001\n" /* 2 */
             "%s,PTT Kargo,KP0002\n" /* 3: not in production */
             "%s,,KP0003\n"          /* 4: no carrier */
             "12,PTT,KP0004\n",      /* 5: not a number */
             x.number, y.number, x.number);
    import(f, false, text, &res, &r);
    assert_int_equal(res.rows, 4);
    assert_int_equal(res.applied, 1);
    assert_int_equal(res.refused, 3);
    assert_int_equal(r.line[0], 3);
    assert_string_equal(r.code[0], "wrong_state");
    assert_int_equal(r.line[1], 4);
    assert_string_equal(r.field[1], "carrier");
    assert_int_equal(r.line[2], 5);
    assert_string_equal(r.code[2], "application_unknown");
    assert_string_equal(app_get(f, a).state, "shipped");
    import(f, false, text, &res, &r); /* again: the same shipment is no change */
    assert_int_equal(res.applied, 0);
    assert_int_equal(res.unchanged, 1);
}

/* ---- the PIN on the portal
 * ------------------------------------------------------------------------------ */

static void pin_setup(struct fx *f, const char *state, const char *word, int64_t *app_id,
                      int64_t *card_id, char tckn[CORE_TCKN_LEN + 1])
{
    f->set.portal.production = APP_PRODUCTION_INHOUSE;
    f->set.has_pin_key = true;
    for (size_t i = 0; i < sizeof f->set.pin_key; i++)
        f->set.pin_key[i] = (unsigned char)(i * 7 + 1);
    char kerr[128];
    if (!f->set.seal_key) /* the server's key the SMS code is sealed with (the dev key) */
        assert_int_equal(app_settings_seal_key(&f->set, NULL, true, kerr, sizeof kerr), 0);
    *app_id = app_in(f, state, 72, NOW - 3 * DAY, NOW + 30 * DAY, tckn);
    struct store_application a = app_get(f, *app_id);
    /* the security word as the form keeps it (Argon2id; the cheapest cost will do here) */
    assert_int_equal(sodium_init() < 0, 0);
    assert_int_equal(crypto_pwhash_str(a.security_word_hash, word, strlen(word),
                                       crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN),
                     0);
    assert_int_equal(store_app_update(f->db->s, &a, a.state, NULL), STORE_OK);
    struct store_card k = {0};
    snprintf(k.tckn, sizeof k.tckn, "%s", tckn);
    k.application_id = *app_id;
    snprintf(k.serial, sizeof k.serial, "ABC%d", f->seq);
    snprintf(k.source, sizeof k.source, "inhouse");
    snprintf(k.state, sizeof k.state, "delivered");
    k.created_at = k.updated_at = NOW - DAY;
    assert_int_equal(store_card_put(f->db->s, &k), STORE_OK);
    *card_id = k.id;
    struct store_card_pin pin = {.card_id = k.id, .created_at = NOW - DAY};
    snprintf(pin.state, sizeof pin.state, "waiting");
    assert_int_equal(
        app__pin_seal(&f->set, k.id, a.number, "482913", "70531864", pin.sealed, sizeof pin.sealed),
        0);
    assert_null(strstr(pin.sealed, "482913"));
    assert_int_equal(store_card_pin_put(f->db->s, &pin), STORE_OK);
}

static void sq(struct fx *f, const char *sql, char *out, size_t cap)
{
    assert_int_equal(testdb_query(&f->db->db, sql, out, cap), 0);
}

/* The newest PIN code sent (from the outbox): kept as the template pin_code and its values,
 * never in them nor in the body, only sealed apart for the message's dedupe key (the key the
 * sender opens it with); the text rendered and the code put in as the sender does, in Turkish:
 * the words of the PIN step and the code. */
static void last_code(struct fx *f, char code[8])
{
#define PIN_ROW(col)                                                                               \
    "SELECT " col " FROM outbox WHERE dedupe_key LIKE 'pin:%' ORDER BY id DESC LIMIT 1"
    char body[512], subject[64], tpl[32], params[512], key[64], sealed[CRYPTO_SEAL_TEXT_MAX],
        plain[CRYPTO_SEAL_PLAIN_MAX + 1], want[512];
    sq(f, PIN_ROW("coalesce(body, '')"), body, sizeof body);
    assert_string_equal(body, "");
    sq(f, PIN_ROW("coalesce(subject, '')"), subject, sizeof subject);
    assert_string_equal(subject, "");
    sq(f, PIN_ROW("coalesce(template, '')"), tpl, sizeof tpl);
    assert_string_equal(tpl, "pin_code");
    sq(f, PIN_ROW("coalesce(params, '')"), params, sizeof params);
    sq(f, PIN_ROW("dedupe_key"), key, sizeof key);
    sq(f, PIN_ROW("coalesce(secret, '')"), sealed, sizeof sealed);
#undef PIN_ROW
    assert_int_equal(crypto_unseal(f->set.seal_key, key, sealed, plain, sizeof plain),
                     CRYPTO_UNSEAL_OK);
    assert_int_equal(strlen(plain), 6);
    memcpy(code, plain, 7);
    assert_null(strstr(sealed, code));
    /* the values: the application's number and the code's life, not the code */
    const char *number = key + 4;
    const int nlen = (int)(strrchr(key, ':') - number);
    snprintf(want, sizeof want, "{\"number\":\"%.*s\",\"minutes\":\"5\",\"seconds\":\"300\"}", nlen,
             number);
    assert_string_equal(params, want);
    assert_null(strstr(params, code));
    /* as the gateway gets it */
    struct notify_templates *set = NULL;
    char err[256];
    assert_int_equal(notify_templates_load(NULL, "tr", &set, err, sizeof err), 0);
    const struct store_outbox_msg m = {.channel = "sms",
                                       .tpl = tpl,
                                       .params = params,
                                       .dedupe_key = key,
                                       .secret = sealed,
                                       .secret_until = 1};
    struct ubuf text = UBUF_INIT(4096), sent = UBUF_INIT(4096);
    assert_int_equal(notify_outbox_render(set, "https://p/", &m, NULL, &text, NULL), 0);
    assert_null(strstr(ubuf_str(&text), code));
    assert_int_equal(notify_code_fill(f->set.seal_key, &m, ubuf_str(&text), &sent, NULL), 0);
    snprintf(want, sizeof want,
             "e-imza kartınızın (%.*s) PIN'ini görmek için SMS kodunuz: %s. Kod 5 dakika "
             "geçerlidir. Bu kodu kimseyle paylaşmayınız.",
             nlen, number, code);
    assert_string_equal(ubuf_str(&sent), want);
    ubuf_free(&text);
    ubuf_free(&sent);
    notify_templates_free(set);
}

/* How many PIN codes' messages still hold a sealed code. */
static long long pin_secrets(struct fx *f)
{
    return q(f, "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'pin:%' AND secret IS NOT NULL");
}

static void test_pin(void **state)
{
    struct fx *f = *state;
    char t[CORE_TCKN_LEN + 1], code[8];
    int64_t id, card;
    struct app_err err;
    struct app_otp_sent sent;
    struct app_pin_secret sec;
    pin_setup(f, "delivered", "Gizli Sözcük", &id, &card, t);

    assert_int_equal(app_pin_code(as_holder(f, t, id, NOW), "123456", &sec, &err), APP_ECONFLICT);
    assert_string_equal(err.code, "pin_word_first");
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW), "Yanlış Sözcük", &sent, &err),
                     APP_EINVAL);
    assert_string_equal(err.code, "security_word_wrong");
    assert_int_equal(err.remaining, 2);
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'pin.wrong_word'"), 1);
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW), "Gizli Sözcük", &sent, &err), APP_OK);
    assert_int_equal(sent.expires_in, 300);
    last_code(f, code);
    char wrong[8];
    snprintf(wrong, sizeof wrong, "%06ld", (strtol(code, NULL, 10) + 1) % 1000000);
    assert_int_equal(app_pin_code(as_holder(f, t, id, NOW + 10), wrong, &sec, &err), APP_EINVAL);
    assert_string_equal(err.code, "otp_wrong");
    assert_int_equal(err.remaining, 1);
    assert_int_equal(pin_secrets(f), 1);
    /* a new code after the cool-down, while the first is still live: the first one's sealed
     * copy goes (it is void), only the new one's is kept */
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW + 70), "Gizli Sözcük", &sent, &err),
                     APP_OK);
    last_code(f, code);
    assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'pin:%'"), 2);
    assert_int_equal(pin_secrets(f), 1);
    assert_int_equal(app_pin_code(as_holder(f, t, id, NOW + 80), code, &sec, &err), APP_OK);
    assert_string_equal(sec.pin, "482913");
    assert_string_equal(sec.puk, "70531864");
    /* the code is used: its sealed copy is gone too */
    assert_int_equal(pin_secrets(f), 0);
    /* gone: nothing sealed is left, the state says shown, a second retrieval is refused */
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM card_pins WHERE card_id = %lld AND state = 'shown' AND "
             "sealed = '' AND code_hash = ''",
             (long long)card);
    assert_int_equal(q(f, sql), 1);
    assert_int_equal(app_pin_code(as_holder(f, t, id, NOW + 30), code, &sec, &err), APP_ECONFLICT);
    assert_string_equal(err.code, "pin_already_shown");
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW + 30), "Gizli Sözcük", &sent, &err),
                     APP_ECONFLICT);
    assert_string_equal(err.code, "pin_already_shown");
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'pin.shown'"), 1);
}

/* Without the server's key there is no code: 503 secret_key_missing, the word not even
 * checked (no attempt counted, nothing audited), nothing queued, in clear or otherwise. */
static void test_pin_no_key(void **state)
{
    struct fx *f = *state;
    char t[CORE_TCKN_LEN + 1];
    int64_t id, card;
    struct app_err err;
    struct app_otp_sent sent;
    pin_setup(f, "delivered", "Gizli Sözcük", &id, &card, t);
    struct crypto_seal_key *key = f->set.seal_key;
    f->set.seal_key = NULL;
    const long long audited = q(f, "SELECT count(*) FROM audit_log");
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW), "Gizli Sözcük", &sent, &err),
                     APP_EUNAVAILABLE);
    assert_string_equal(err.code, "secret_key_missing");
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW), "Yanlış Sözcük", &sent, &err),
                     APP_EUNAVAILABLE);
    assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'pin:%'"), 0);
    assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE body LIKE '%PIN%'"), 0);
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log"), audited);
    f->set.seal_key = key;
    /* with the key back, the word works at once: nothing was counted against it */
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW), "Gizli Sözcük", &sent, &err), APP_OK);
    assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'pin:%'"), 1);
}

static void test_pin_limits(void **state)
{
    struct fx *f = *state;
    char t[CORE_TCKN_LEN + 1], code[8];
    int64_t id, card;
    struct app_err err;
    struct app_otp_sent sent;
    struct app_pin_secret sec;

    /* not delivered yet: no PIN to take */
    pin_setup(f, "shipped", "Gizli Sözcük", &id, &card, t);
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW), "Gizli Sözcük", &sent, &err),
                     APP_ECONFLICT);
    assert_string_equal(err.code, "pin_not_available");

    pin_setup(f, "completed", "Gizli Sözcük", &id, &card, t);
    /* an expired code */
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW), "Gizli Sözcük", &sent, &err), APP_OK);
    last_code(f, code);
    assert_int_equal(app_pin_code(as_holder(f, t, id, NOW + 300), code, &sec, &err), APP_EINVAL);
    assert_string_equal(err.code, "otp_expired");
    /* three wrong entries lock it for the hour, and the lock is audited */
    for (int i = 0; i < 2; i++)
        assert_int_equal(app_pin_word(as_holder(f, t, id, NOW + 400 + i), "yanlis!", &sent, &err),
                         APP_EINVAL);
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW + 402), "yanlis!", &sent, &err),
                     APP_ETOOMANY);
    assert_string_equal(err.code, "pin_locked");
    assert_true(err.retry_after > 0);
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW + 500), "Gizli Sözcük", &sent, &err),
                     APP_ETOOMANY);
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'pin.locked'"), 1);
    /* an hour after the first wrong entry it opens again */
    long long before = q(f, "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'pin:%'");
    assert_int_equal(
        app_pin_word(as_holder(f, t, id, NOW + 400 + 3600), "Gizli Sözcük", &sent, &err), APP_OK);
    last_code(f, code);
    /* a newer code voids the older ones: only its own sealed copy is left */
    assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'pin:%'"), before + 1);
    assert_int_equal(pin_secrets(f), 1);
    /* with another key the sealed PIN does not open: nothing is shown, nothing destroyed */
    f->set.pin_key[0] ^= 1;
    assert_int_equal(app_pin_code(as_holder(f, t, id, NOW + 4010), code, &sec, &err),
                     APP_EUNAVAILABLE);
    f->set.pin_key[0] ^= 1;
    assert_int_equal(app_pin_code(as_holder(f, t, id, NOW + 4020), code, &sec, &err), APP_OK);
    assert_string_equal(sec.pin, "482913");
    /* a sealed value moved to another card's row does not open there */
    int64_t id2, card2;
    char t2[CORE_TCKN_LEN + 1];
    pin_setup(f, "delivered", "Gizli Sözcük", &id2, &card2, t2);
    char moved[512], sql[768];
    snprintf(sql, sizeof sql, "SELECT sealed FROM card_pins WHERE card_id = %lld",
             (long long)card2);
    assert_int_equal(testdb_query(&f->db->db, sql, moved, sizeof moved), 0);
    pin_setup(f, "delivered", "Gizli Sözcük", &id, &card, t);
    snprintf(sql, sizeof sql, "UPDATE card_pins SET sealed = '%s' WHERE card_id = %lld", moved,
             (long long)card);
    assert_int_equal(testdb_exec(&f->db->db, sql), 0);
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW), "Gizli Sözcük", &sent, &err), APP_OK);
    last_code(f, code);
    assert_int_equal(app_pin_code(as_holder(f, t, id, NOW + 5), code, &sec, &err),
                     APP_EUNAVAILABLE);
}

/* ---- the operator lifts the word step for a holder who forgot it
 * ---------------------------------------------------------------- */

__attribute__((format(printf, 2, 3))) static long long qf(struct fx *f, const char *fmt, ...)
{
    char sql[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return q(f, sql);
}

static void test_pin_waiver(void **state)
{
    struct fx *f = *state;
    char t[CORE_TCKN_LEN + 1], code[8];
    int64_t id, card, until = 0;
    struct app_err err;
    struct app_otp_sent sent;
    struct app_pin_secret sec;
    struct app_pin_status ps;
    const struct app_staff other = {"ali", "approver", 6}, admin = {"root", "admin", 0};
    const char *note = "T.C. kimlik kartı, son 4 hane 0146";
    pin_setup(f, "delivered", "Gizli Sözcük", &id, &card, t);

    /* the holder who forgot the word is told who helps */
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW), "Unuttum", &sent, &err), APP_EINVAL);
    assert_string_equal(err.code, "security_word_wrong");
    assert_non_null(strstr(app_reason_text(err.code, CORE_LANG_TR), "e-imza sorumlusu"));
    assert_non_null(strstr(app_reason_text(err.code, CORE_LANG_EN), "e-signature officer"));
    /* approvers may not, of the province or of another; nor without the declaration or note */
    assert_int_equal(
        app_admin_pin_waive(as_staff(f, &APPROVER72, NOW), id, note, true, &until, &err),
        APP_EFORBIDDEN);
    assert_string_equal(err.code, "forbidden_role");
    assert_int_equal(app_admin_pin_waive(as_staff(f, &other, NOW), id, note, true, &until, &err),
                     APP_EFORBIDDEN);
    assert_int_equal(
        app_admin_pin_waive(as_staff(f, &OPERATOR, NOW), id, note, false, &until, &err),
        APP_EINVAL);
    assert_string_equal(err.fields[0].field, "identity_checked");
    assert_string_equal(err.fields[0].code, "identity_check_required");
    assert_int_equal(app_admin_pin_waive(as_staff(f, &OPERATOR, NOW), id, "  ", true, &until, &err),
                     APP_EINVAL);
    assert_string_equal(err.fields[0].field, "note");
    char longer[160];
    memset(longer, 'x', 121);
    longer[121] = '\0';
    assert_int_equal(
        app_admin_pin_waive(as_staff(f, &OPERATOR, NOW), id, longer, true, &until, &err),
        APP_EINVAL);
    assert_string_equal(err.fields[0].code, "too_long");
    assert_int_equal(
        app_admin_pin_waive(as_staff(f, &OPERATOR, NOW), 999999, note, true, &until, &err),
        APP_ENOTFOUND);
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'pin.word_waived'"), 0);
    assert_int_equal(q(f, "SELECT count(*) FROM card_pins WHERE word_waived_until <> 0"), 0);
    /* still the word: nothing lifted yet */
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW + 5), NULL, &sent, &err), APP_EINVAL);
    assert_string_equal(err.code, "invalid_fields");

    /* the operator saw the identity card: lifted for 48 hours, audited without the note,
     * on the timeline, the holder told on both channels */
    assert_int_equal(
        app_admin_pin_waive(as_staff(f, &OPERATOR, NOW + 60), id, note, true, &until, &err),
        APP_OK);
    assert_int_equal(until, NOW + 60 + 48 * 3600);
    assert_int_equal(qf(f,
                        "SELECT count(*) FROM audit_log WHERE action = 'pin.word_waived' AND actor "
                        "= 'staff:osman' AND object = 'FXW%07d' AND detail NOT LIKE '%%0146%%'",
                        f->seq),
                     1);
    assert_int_equal(qf(f,
                        "SELECT count(*) FROM card_pins WHERE card_id = %lld AND word_waived_by = "
                        "'osman' AND word_waived_note LIKE '%%0146'",
                        (long long)card),
                     1);
    assert_int_equal(qf(f,
                        "SELECT count(*) FROM application_events WHERE application_id = %lld AND "
                        "event = 'pin_word_waived' AND actor = 'staff:osman'",
                        (long long)id),
                     1);
    assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE template = 'pin_word_waived'"), 2);
    assert_int_equal(app_pin_status(as_holder(f, t, id, NOW + 70), &ps, &err), APP_OK);
    assert_true(ps.word_waived);
    assert_int_equal(ps.waived_until, until);
    assert_false(ps.word_ok);
    /* the holder: the code alone, to the record's number; its limits stay */
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW + 100), NULL, &sent, &err), APP_OK);
    assert_int_equal(
        q(f, "SELECT count(*) FROM audit_log WHERE action = 'pin.code_sent' AND detail LIKE "
             "'%waived%'"),
        1);
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW + 101), "", &sent, &err), APP_ETOOMANY);
    assert_string_equal(err.code, "otp_cooldown");
    last_code(f, code);
    assert_int_equal(app_pin_code(as_holder(f, t, id, NOW + 110), code, &sec, &err), APP_OK);
    assert_string_equal(sec.pin, "482913");
    /* used once: no waiver left, and none can be given now */
    assert_int_equal(qf(f,
                        "SELECT count(*) FROM card_pins WHERE card_id = %lld AND state = 'shown' "
                        "AND word_waived_until = 0 AND word_waived_by = 'osman'",
                        (long long)card),
                     1);
    assert_int_equal(app_pin_word(as_holder(f, t, id, NOW + 120), NULL, &sent, &err),
                     APP_ECONFLICT);
    assert_string_equal(err.code, "pin_already_shown");
    assert_int_equal(
        app_admin_pin_waive(as_staff(f, &admin, NOW + 130), id, note, true, &until, &err),
        APP_ECONFLICT);
    assert_string_equal(err.code, "pin_already_shown");

    /* a waiver that lapsed no longer skips the word; an admin may give one too */
    pin_setup(f, "completed", "Gizli Sözcük", &id, &card, t);
    assert_int_equal(app_admin_pin_waive(as_staff(f, &admin, NOW), id, note, true, &until, &err),
                     APP_OK);
    const int64_t later = NOW + 48 * 3600;
    assert_int_equal(app_pin_status(as_holder(f, t, id, later), &ps, &err), APP_OK);
    assert_false(ps.word_waived);
    assert_int_equal(app_pin_word(as_holder(f, t, id, later), NULL, &sent, &err), APP_EINVAL);
    assert_string_equal(err.code, "invalid_fields");
    assert_int_equal(app_pin_word(as_holder(f, t, id, later), "Bilmiyorum", &sent, &err),
                     APP_EINVAL);
    assert_string_equal(err.code, "security_word_wrong");

    /* not delivered yet; a card of the bureau; a card bureau deployment */
    pin_setup(f, "shipped", "Gizli Sözcük", &id, &card, t);
    assert_int_equal(app_admin_pin_waive(as_staff(f, &OPERATOR, NOW), id, note, true, &until, &err),
                     APP_ECONFLICT);
    assert_string_equal(err.code, "pin_not_available");
    pin_setup(f, "delivered", "Gizli Sözcük", &id, &card, t);
    char upd[96];
    snprintf(upd, sizeof upd, "UPDATE cards SET source = 'bureau' WHERE id = %lld",
             (long long)card);
    assert_int_equal(testdb_exec(&f->db->db, upd), 0);
    assert_int_equal(app_admin_pin_waive(as_staff(f, &OPERATOR, NOW), id, note, true, &until, &err),
                     APP_ECONFLICT);
    assert_string_equal(err.code, "pin_not_available");
    f->set.portal.production = APP_PRODUCTION_BUREAU;
    assert_int_equal(app_admin_pin_waive(as_staff(f, &OPERATOR, NOW), id, note, true, &until, &err),
                     APP_ECONFLICT);
    assert_string_equal(err.code, "production_inhouse_only");
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'pin.word_waived'"), 2);
}

int main(void)
{
    testdb_require();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_deadline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_at_risk_and_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_answer_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shipments_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pin_no_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pin_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pin_waiver, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
