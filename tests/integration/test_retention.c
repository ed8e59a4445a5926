/* eimza — the retention of personal data (app/retention.h, store.h "retention"; issue 18) on a
 * real database, both backends, on a clock the test passes in, to the second: a message
 * carrying a one-time code emptied when it is delivered (and a failed one by the next run, never
 * sent again nor listed for the operator); a closed application's contact data, its card's
 * shipment and a PIN still sealed, not a second before contact_years; drafts never submitted
 * after draft_days; the registration evidence after evidence_years past the certificate's
 * latest end (the new certificate's own end when that is later), with its card, PIN, revocation
 * request, decision, signature, reminder and timeline, the sessions forgetting it, the audit
 * entries about it anonymised; long-ended certificates and the renewal count of a holder with
 * nothing left; the audit chain verifying after it all, and every way of tampering with an
 * anonymised entry or its voucher caught; an entry already changed is never anonymised; a dry
 * run counts what a run removes; two runs at once on two connections remove everything once;
 * bad periods refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/retention.h"
#include "core/tckn.h"
#include "store/store.h"
#include "testdb.h"

#define NOW  1750000000 /* 2025-06-15T15:06:40Z */
#define DAY  86400LL
#define YEAR (366 * DAY)

struct fx {
    struct testdb_fx *db;
    int seq;
    struct app_settings set;
};

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

static long long q(struct fx *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static long long q(struct fx *f, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return testdb_query_ll(&f->db->db, sql);
}

static void x(struct fx *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void x(struct fx *f, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    assert_int_equal(testdb_exec(&f->db->db, sql), 0);
}

/* One run at now on the fixture's connection; its counts. */
static struct app_retention_counts run(struct fx *f, int64_t now, bool dry)
{
    struct app_ctx c = {.db = f->db->s, .set = &f->set, .now = now};
    struct app_retention_counts n;
    struct app_err err;
    enum app_status st = app_retention_run(&c, "test", dry, &n, &err);
    if (st != APP_OK)
        fail_msg("retention run: %s", store_last_error(f->db->s));
    return n;
}

static long audit_intact(struct fx *f)
{
    struct app_audit_report r;
    assert_int_equal(app_audit_verify(f->db->s, &r), STORE_OK);
    if (r.problem != APP_AUDIT_INTACT)
        fail_msg("audit: %s at %lld", app_audit_problem_code(r.problem), (long long)r.seq);
    return r.anonymised;
}

static struct app_audit_report audit_broken(struct fx *f)
{
    struct app_audit_report r;
    assert_int_equal(app_audit_verify(f->db->s, &r), STORE_OK);
    assert_int_not_equal(r.problem, APP_AUDIT_INTACT);
    return r;
}

static void tckn_of(int n, char out[CORE_TCKN_LEN + 1])
{
    char d9[16];
    snprintf(d9, sizeof d9, "%09d", 400000000 + n * 7919);
    assert_int_equal(core_tckn_complete(d9, out), 0);
}

static void audit(struct fx *f, int64_t at, const char *actor, const char *action,
                  const char *object, const char *detail)
{
    struct store_audit_entry e = {at, actor, action, object, detail};
    assert_int_equal(store_audit_append(f->db->s, &e), STORE_OK);
}

/* An application of a new person in state, last changed at `at`, asking for validity years,
 * with contact data, its first timeline row and two audit entries (the applicant's, a staff
 * member's). Its number is "RT" + 8 digits. */
static struct store_application app_in(struct fx *f, const char *state, int64_t at, int validity)
{
    struct store_application a;
    int n = ++f->seq;
    memset(&a, 0, sizeof a);
    snprintf(a.number, sizeof a.number, "RT%08u", (unsigned)n % 100000000u);
    tckn_of(n, a.tckn);
    snprintf(a.state, sizeof a.state, "%s", state);
    snprintf(a.first_name, sizeof a.first_name, "Kişi%d", n);
    snprintf(a.last_name, sizeof a.last_name, "Yılmaz");
    snprintf(a.institution_name, sizeof a.institution_name, "Kurum %d", n);
    snprintf(a.reason, sizeof a.reason, "renewal");
    snprintf(a.card_reader, sizeof a.card_reader, "none");
    a.validity_years = validity;
    snprintf(a.security_word_hash, sizeof a.security_word_hash, "$argon2id$v=19$x");
    snprintf(a.address, sizeof a.address, "Okul Sok. %d", n);
    a.province = 72;
    snprintf(a.district, sizeof a.district, "Merkez");
    snprintf(a.postal_code, sizeof a.postal_code, "72100");
    snprintf(a.email, sizeof a.email, "kisi%d@meb.gov.tr", n);
    snprintf(a.mobile_phone, sizeof a.mobile_phone, "532%07u", (unsigned)n % 10000000u);
    snprintf(a.home_phone, sizeof a.home_phone, "488%07u", (unsigned)n % 10000000u);
    snprintf(a.mobile_operator, sizeof a.mobile_operator, "turkcell");
    snprintf(a.notify_by, sizeof a.notify_by, "both");
    a.created_at = at - 10 * DAY;
    a.updated_at = at;
    struct store_app_event ev = {a.created_at, "", state, "created", "applicant:x"};
    assert_int_equal(store_app_create(f->db->s, &a, &ev), STORE_OK);
    char actor[32], m[CORE_TCKN_LEN + 1];
    core_tckn_mask(a.tckn, m);
    snprintf(actor, sizeof actor, "applicant:%s", m);
    audit(f, a.created_at, actor, "application.create", a.number, NULL);
    audit(f, at, "staff:ayse", "application.reject", a.number, "{\"signer\":\"ab12\"}");
    return a;
}

/* A certificate of tckn ending at not_after; its id. */
static int64_t cert(struct fx *f, const char *tckn, int n, int64_t not_after)
{
    struct core_certificate c = {0};
    snprintf(c.fingerprint, sizeof c.fingerprint, "%064d", n);
    snprintf(c.tckn, sizeof c.tckn, "%s", tckn);
    snprintf(c.subject_name, sizeof c.subject_name, "KİŞİ");
    snprintf(c.subject, sizeof c.subject, "CN=x");
    snprintf(c.serial, sizeof c.serial, "0A%04d", n);
    snprintf(c.issuer, sizeof c.issuer, "CN=Kamu SM");
    c.not_before = not_after - 3 * YEAR;
    c.not_after = not_after;
    bool ins;
    int64_t id;
    assert_int_equal(store_certificate_put(f->db->s, &c, (const unsigned char *)"x", 1, &ins),
                     STORE_OK);
    assert_int_equal(store_certificate_by_fpr(f->db->s, c.fingerprint, &id, &c), STORE_OK);
    return id;
}

/* A card of application a, shipped (carrier, tracking number), holding certificate cert_id (0:
 * none), with a PIN still sealed and an SMS code for it that expires at code_end. */
static int64_t card(struct fx *f, const struct store_application *a, int64_t cert_id,
                    int64_t code_end)
{
    struct store_card k = {0};
    snprintf(k.tckn, sizeof k.tckn, "%s", a->tckn);
    k.application_id = a->id;
    k.certificate_id = cert_id;
    snprintf(k.serial, sizeof k.serial, "AKIS-%s", a->number);
    snprintf(k.source, sizeof k.source, "inhouse");
    snprintf(k.state, sizeof k.state, "shipped");
    snprintf(k.carrier, sizeof k.carrier, "Yurtiçi Kargo");
    snprintf(k.tracking_number, sizeof k.tracking_number, "YK-%s", a->number);
    k.created_at = k.updated_at = a->created_at;
    assert_int_equal(store_card_put(f->db->s, &k), STORE_OK);
    struct store_card_pin p = {.card_id = k.id, .created_at = a->created_at};
    snprintf(p.sealed, sizeof p.sealed, "bXVo%s", a->number);
    snprintf(p.state, sizeof p.state, "waiting");
    snprintf(p.code_hash, sizeof p.code_hash, "%064d", 5);
    snprintf(p.code_salt, sizeof p.code_salt, "%032d", 6);
    p.code_expires_at = code_end;
    assert_int_equal(store_card_pin_put(f->db->s, &p), STORE_OK);
    /* an operator lifted the word step, writing down the identity card they saw */
    assert_int_equal(store_card_pin_waive(f->db->s, k.id, "osman", "Nüfus cüzdanı, son 4: 0146",
                                          a->created_at, a->created_at + 2 * 86400),
                     STORE_OK);
    return k.id;
}

/* ---- a message carrying a one-time code ----------------------------------------------------- */

struct claimed {
    int64_t id[8];
    int attempts[8];
    int n;
};

static int took(void *ctx, const struct store_outbox_msg *m)
{
    struct claimed *c = ctx;
    c->id[c->n] = m->id;
    c->attempts[c->n++] = m->attempts;
    return 0;
}

static int count_problem(void *ctx, const struct store_outbox_problem *m)
{
    (void)m;
    (*(int *)ctx)++;
    return 0;
}

static void put(struct fx *f, const char *key, const char *body, int64_t now)
{
    struct store_outbox_msg m = {.channel = "sms",
                                 .recipient = "5321112233",
                                 .subject = "",
                                 .body = body,
                                 .dedupe_key = key};
    bool ins;
    assert_int_equal(store_outbox_put(f->db->s, &m, now, &ins), STORE_OK);
    assert_true(ins);
}

static void test_code_messages(void **state)
{
    struct fx *f = *state;
    struct store *s = f->db->s;
    put(f, "otp:RT1:1", "SMS doğrulama kodunuz: 123456", NOW);
    put(f, "flow:1:approved:sms", "Başvurunuz onaylandı", NOW);
    struct claimed c = {0};
    assert_int_equal(store_outbox_claim(s, "sms", NOW, 60, 8, true, took, &c, NULL), STORE_OK);
    assert_int_equal(c.n, 2);
    for (int i = 0; i < 2; i++)
        assert_int_equal(store_outbox_mark_sent(s, c.id[i], c.attempts[i], NOW + 1), STORE_OK);
    assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE dedupe_key = 'otp:RT1:1' AND "
                          "status = 'sent' AND recipient = '' AND body = '' AND template IS NULL"),
                     1);
    assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE dedupe_key = 'flow:1:approved:sms' "
                          "AND recipient = '5321112233' AND body <> ''"),
                     1);

    /* a PIN's code that could not be delivered: kept until the next run, then emptied (not
     * messages_days later), never sent again nor listed for the operator */
    put(f, "pin:RT1:1", "PIN için SMS kodunuz: 654321", NOW);
    put(f, "flow:1:rejected:sms", "Başvurunuz reddedildi", NOW);
    c.n = 0;
    assert_int_equal(store_outbox_claim(s, "sms", NOW + 2, 60, 8, true, took, &c, NULL), STORE_OK);
    assert_int_equal(c.n, 2);
    for (int i = 0; i < 2; i++)
        assert_int_equal(store_outbox_mark_failed(s, c.id[i], c.attempts[i], "http_400"), STORE_OK);
    int problems = 0;
    assert_int_equal(store_outbox_problems(s, NOW + 3, count_problem, &problems), STORE_OK);
    assert_int_equal(problems, 2);
    struct app_retention_counts n = run(f, NOW + 3, true);
    assert_int_equal(n.messages, 1);
    n = run(f, NOW + 3, false);
    assert_int_equal(n.messages, 1);
    assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE dedupe_key = 'pin:RT1:1' AND "
                          "status = 'failed' AND recipient = '' AND body = ''"),
                     1);
    int64_t pin = q(f, "SELECT id FROM outbox WHERE dedupe_key = 'pin:RT1:1'");
    assert_int_equal(store_outbox_resolve(s, pin, true, NOW + 4), STORE_ECONFLICT);
    problems = 0;
    assert_int_equal(store_outbox_problems(s, NOW + 4, count_problem, &problems), STORE_OK);
    assert_int_equal(problems, 1);

    /* the others messages_days (30) after they were queued, to the second */
    assert_int_equal(run(f, NOW + 30 * DAY, false).messages, 0);
    assert_int_equal(run(f, NOW + 30 * DAY + 1, false).messages, 2);
    assert_int_equal(q(f, "SELECT count(*) FROM outbox WHERE recipient <> '' OR body <> ''"), 0);
    assert_int_equal(q(f, "SELECT count(*) FROM outbox"), 4);
    assert_int_equal(audit_intact(f), 0);
}

/* ---- a closed application's contact data ------------------------------------------------------
 */

static void test_contact(void **state)
{
    struct fx *f = *state;
    const int64_t closed = NOW;
    struct store_application r = app_in(f, "rejected", closed, 3);
    struct store_application k = app_in(f, "completed", closed - DAY, 3);
    struct store_application c = app_in(f, "cancelled", closed - 2 * DAY, 3);
    struct store_application o = app_in(f, "shipped", closed - 3 * DAY, 3);
    int64_t kc = card(f, &k, 0, closed + 300);
    int64_t oc = card(f, &o, 0, closed + 300);

    /* the PIN codes expired a run ago are cleared, the sealed PINs stay for now */
    struct app_retention_counts n = run(f, closed + 301, false);
    assert_int_equal(n.sms_codes, 2);
    assert_int_equal(q(f, "SELECT count(*) FROM card_pins WHERE code_hash = '' AND code_salt = '' "
                          "AND state = 'waiting'"),
                     2);

    n = run(f, closed + 2 * YEAR, true);
    assert_int_equal(n.contact_data, 2); /* c and k, not yet r */
    n = run(f, closed + 2 * YEAR, false);
    assert_int_equal(n.contact_data, 2);
    assert_int_equal(q(f, "SELECT count(*) FROM applications WHERE id = %lld AND address <> ''",
                       (long long)r.id),
                     1);
    n = run(f, closed + 2 * YEAR + 1, false);
    assert_int_equal(n.contact_data, 1);
    for (int i = 0; i < 3; i++) {
        const struct store_application *a = i == 0 ? &r : i == 1 ? &k : &c;
        assert_int_equal(
            q(f,
              "SELECT count(*) FROM applications WHERE id = %lld AND address = '' AND district = "
              "'' AND postal_code = '' AND email = '' AND mobile_phone = '' AND home_phone = '' "
              "AND "
              "work_phone = '' AND work_phone_ext = '' AND mobile_operator = '' AND "
              "security_word_hash = '' AND anonymised_at > 0 AND tckn = '%s' AND first_name <> '' "
              "AND updated_at = %lld",
              (long long)a->id, a->tckn, (long long)a->updated_at),
            1);
    }
    /* k's card: no shipment, the sealed PIN destroyed, the waiver's note gone (who lifted the word
     * step stays); o's (still going) untouched */
    assert_int_equal(q(f,
                       "SELECT count(*) FROM cards k JOIN card_pins p ON p.card_id = k.id WHERE "
                       "k.id = %lld AND k.carrier = '' AND k.tracking_number = '' AND k.serial <> "
                       "'' AND p.state = 'destroyed' AND p.sealed = '' AND p.word_waived_note = "
                       "'' AND p.word_waived_until = 0 AND p.word_waived_by = 'osman'",
                       (long long)kc),
                     1);
    assert_int_equal(q(f,
                       "SELECT count(*) FROM cards k JOIN card_pins p ON p.card_id = k.id WHERE "
                       "k.id = %lld AND k.carrier <> '' AND p.state = 'waiting' AND p.sealed <> '' "
                       "AND p.word_waived_note <> ''",
                       (long long)oc),
                     1);
    assert_int_equal(q(f,
                       "SELECT count(*) FROM applications WHERE id = %lld AND address <> '' AND "
                       "anonymised_at = 0",
                       (long long)o.id),
                     1);
    assert_int_equal(run(f, closed + 3 * YEAR, false).contact_data, 0);
    assert_int_equal(audit_intact(f), 0);
}

/* ---- the applicants' logins, drafts
 * -------------------------------------------------------------- */

static void test_logins_and_drafts(void **state)
{
    struct fx *f = *state;
    const int64_t t = NOW;
    audit(f, t, "applicant:400******12", "login", "applicant", NULL);
    audit(f, t, "anonymous", "login.lockout", "400******12", "{\"scope\":\"tckn\",\"failures\":5}");
    audit(f, t, "staff:ayse", "staff.login", "login", NULL);
    struct store_application d = app_in(f, "draft", t, 3);
    struct store_application v = app_in(f, "code_verified", t, 3);
    struct store_application sub = app_in(f, "submitted", t - 400 * DAY, 3);
    struct store_otp o = {.application_id = v.id, .seq = 1, .expires_at = t + 300};
    snprintf(o.code_hash, sizeof o.code_hash, "%064d", 1);
    snprintf(o.salt, sizeof o.salt, "%032d", 2);
    assert_int_equal(store_otp_put(f->db->s, &o), STORE_OK);
    struct store_session ss = {.kind = "applicant",
                               .created_at = t,
                               .last_seen = t + 10 * YEAR,
                               .expires_at = t + 10 * YEAR,
                               .application_id = d.id};
    snprintf(ss.token_hash, sizeof ss.token_hash, "%064d", 9);
    snprintf(ss.subject, sizeof ss.subject, "%s", d.tckn);
    snprintf(ss.csrf, sizeof ss.csrf, "c");
    assert_int_equal(store_session_put(f->db->s, &ss), STORE_OK);

    struct app_retention_counts n = run(f, t + 180 * DAY, false);
    assert_int_equal(n.drafts, 0);
    assert_int_equal(n.sms_codes, 1); /* the code expired long ago: its hash goes */
    n = run(f, t + 180 * DAY + 1, true);
    assert_int_equal(n.drafts, 2);
    assert_int_equal(n.audit_entries, 4);
    n = run(f, t + 180 * DAY + 1, false);
    assert_int_equal(n.drafts, 2);
    assert_int_equal(n.audit_entries, 4);
    assert_int_equal(q(f, "SELECT count(*) FROM applications"), 1); /* sub stays */
    assert_int_equal(q(f, "SELECT count(*) FROM applications WHERE id = %lld", (long long)sub.id),
                     1);
    assert_int_equal(q(f, "SELECT count(*) FROM application_events"), 1);
    assert_int_equal(q(f, "SELECT count(*) FROM application_otp"), 0);
    assert_int_equal(q(f, "SELECT count(*) FROM sessions WHERE application_id IS NULL"), 1);
    assert_int_equal(
        q(f, "SELECT count(*) FROM audit_log WHERE object IN ('%s', '%s')", d.number, v.number), 0);
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE redacted_by > 0 AND actor = "
                          "'applicant' AND object = '' AND detail = '{}'"),
                     2);
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE redacted_by > 0 AND actor = "
                          "'staff:ayse' AND object = '' AND detail = '{}'"),
                     2);
    assert_int_equal(audit_intact(f), 4);

    /* the logins, contact_years (2) after they were written, to the second; staff's stay */
    assert_int_equal(run(f, t + 2 * YEAR, false).logins, 0);
    n = run(f, t + 2 * YEAR + 1, false);
    assert_int_equal(n.logins, 2);
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action IN ('login', "
                          "'login.lockout') AND redacted_by > 0 AND object = '' AND actor IN "
                          "('applicant', 'anonymous')"),
                     2);
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'staff.login' AND "
                          "redacted_by = 0 AND actor = 'staff:ayse'"),
                     1);
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'audit.anonymised'"), 2);
    assert_int_equal(audit_intact(f), 6);
    assert_int_equal(run(f, t + 3 * YEAR, false).logins, 0);
}

/* ---- the relay's signing tickets: a day after they were made ------------------------------------
 */

static void test_tickets(void **state)
{
    struct fx *f = *state;
    struct store_application d = app_in(f, "code_verified", NOW, 3);
    for (int i = 0; i < 3; i++)
        x(f,
          "INSERT INTO sign_tickets (ticket_hash, session_hash, application_id, state, created_at, "
          "expires_at) VALUES ('%064d', '%064d', %lld, 'issued', %lld, %lld)",
          i + 1, 7, (long long)d.id, (long long)(NOW + i), (long long)(NOW + i + 120));
    assert_int_equal(run(f, NOW + DAY, false).tickets, 0);
    struct app_retention_counts n = run(f, NOW + DAY + 2, true);
    assert_int_equal(n.tickets, 2);
    n = run(f, NOW + DAY + 2, false);
    assert_int_equal(n.tickets, 2);
    assert_int_equal(
        q(f, "SELECT count(*) FROM sign_tickets WHERE created_at = %lld", (long long)(NOW + 2)), 1);
    /* the draft's removal takes the rest with it */
    n = run(f, NOW + 200 * DAY, false);
    assert_int_equal(n.drafts, 1);
    assert_int_equal(q(f, "SELECT count(*) FROM sign_tickets"), 0);
}

/* ---- the registration evidence ------------------------------------------------------------------
 */

static void test_evidence(void **state)
{
    struct fx *f = *state;
    struct store *s = f->db->s;
    const int64_t closed = NOW;
    struct store_application r = app_in(f, "rejected", closed, 3);
    struct store_application k = app_in(f, "completed", closed, 1);
    struct store_application o = app_in(f, "delivered", closed, 3);
    /* k's new certificate ends 5 years after closing: later than closing + 1 + 1 */
    int64_t old_cert = cert(f, k.tckn, 1, closed - YEAR);
    int64_t new_cert = cert(f, k.tckn, 2, closed + 5 * YEAR);
    int64_t o_cert = cert(f, o.tckn, 3, closed - YEAR);
    x(f, "UPDATE applications SET new_cert_id = %lld WHERE id = %lld", (long long)new_cert,
      (long long)k.id);
    card(f, &k, new_cert, closed);
    card(f, &o, 0, closed);
    bool ins;
    assert_int_equal(store_revocation_request(s, old_cert, k.id, 72, 1, closed, &ins), STORE_OK);
    x(f, "INSERT INTO certificate_warnings (certificate_id, days, at) VALUES (%lld, 30, %lld)",
      (long long)old_cert, (long long)closed);
    x(f,
      "INSERT INTO application_reminders (application_id, state, at) VALUES (%lld, "
      "'completed', %lld)",
      (long long)k.id, (long long)closed);
    assert_int_equal(store_remote_chain_set(s, k.tckn, 1, closed), STORE_OK);
    assert_int_equal(store_remote_chain_set(s, o.tckn, 1, closed), STORE_OK);
    const struct store_decision dec = {
        k.id, closed, "approve", "", "ayse", "null", "{\"eligible\":true}"};
    assert_int_equal(store_decision_put(s, &dec), STORE_OK);
    const struct store_signature sig = {.application_id = k.id,
                                        .at = closed,
                                        .cms = (const unsigned char *)"cms",
                                        .cms_len = 3,
                                        .content = (const unsigned char *)"içerik",
                                        .content_len = strlen("içerik"),
                                        .signer_fingerprint =
                                            "00000000000000000000000000000000000000000000000000"
                                            "00000000000001",
                                        .validation = "{}"};
    assert_int_equal(store_signature_put(s, &sig), STORE_OK);
    struct store_session ss = {.kind = "applicant",
                               .created_at = closed,
                               .last_seen = closed + 20 * YEAR,
                               .expires_at = closed + 20 * YEAR,
                               .application_id = k.id};
    snprintf(ss.token_hash, sizeof ss.token_hash, "%064d", 8);
    snprintf(ss.subject, sizeof ss.subject, "%s", k.tckn);
    snprintf(ss.csrf, sizeof ss.csrf, "c");
    assert_int_equal(store_session_put(s, &ss), STORE_OK);
    run(f, closed + 2 * YEAR + 1, false); /* the contact data first */

    /* r: closing + (3 + 1 + 7) years; k: its new certificate's end + 7 years */
    const int64_t r_due = closed + 11 * YEAR, k_due = closed + 12 * YEAR;
    struct app_retention_counts n = run(f, r_due, false);
    assert_int_equal(n.applications, 0);
    /* o's old certificate ended 12 years before: nothing names it, it goes; k's stay */
    assert_int_equal(n.certificates, 1);
    assert_int_equal(q(f, "SELECT count(*) FROM certificates WHERE id = %lld", (long long)o_cert),
                     0);
    n = run(f, r_due + 1, true);
    assert_int_equal(n.applications, 1);
    assert_int_equal(n.audit_entries, 2);
    n = run(f, r_due + 1, false);
    assert_int_equal(n.applications, 1);
    assert_int_equal(n.audit_entries, 2);
    assert_int_equal(q(f, "SELECT count(*) FROM applications WHERE id = %lld", (long long)r.id), 0);
    assert_int_equal(q(f, "SELECT count(*) FROM applications WHERE id = %lld", (long long)k.id), 1);
    assert_int_equal(n.certificates, 0);
    assert_int_equal(q(f, "SELECT count(*) FROM certificates"), 2);
    assert_int_equal(q(f, "SELECT count(*) FROM remote_chains WHERE tckn = '%s'", o.tckn), 1);
    assert_int_equal(audit_intact(f), 2);

    assert_int_equal(run(f, k_due, false).applications, 0);
    n = run(f, k_due + 1, false);
    assert_int_equal(n.applications, 1);
    assert_int_equal(n.audit_entries, 2);
    assert_int_equal(n.certificates, 2); /* k's two certificates, no longer named */
    const char *gone[] = {"applications",        "cards",
                          "card_pins",           "decisions",
                          "signatures",          "application_reminders",
                          "revocation_requests", "application_events",
                          "certificate_warnings"};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", gone[i]);
        long long want = !strcmp(gone[i], "applications") || !strcmp(gone[i], "cards") ||
                                 !strcmp(gone[i], "card_pins") ||
                                 !strcmp(gone[i], "application_events")
                             ? 1 /* o's */
                             : 0;
        if (testdb_query_ll(&f->db->db, sql) != want)
            fail_msg("%s: %lld rows left", gone[i], testdb_query_ll(&f->db->db, sql));
    }
    assert_int_equal(q(f, "SELECT count(*) FROM sessions WHERE application_id IS NULL"), 1);
    assert_int_equal(q(f, "SELECT count(*) FROM remote_chains WHERE tckn = '%s'", k.tckn), 0);
    assert_int_equal(q(f, "SELECT count(*) FROM remote_chains WHERE tckn = '%s'", o.tckn), 1);
    assert_int_equal(q(f,
                       "SELECT count(*) FROM audit_log WHERE object LIKE 'RT%%' AND object <> "
                       "'%s'",
                       o.number),
                     0);
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'retention.run' AND "
                          "detail LIKE '%%\"applications\":1,%%'"),
                     2);
    assert_int_equal(audit_intact(f), 4);
    struct app_retention_counts again = run(f, k_due + 1, false);
    assert_int_equal(again.applications + again.audit_entries + again.certificates, 0);
}

/* ---- tampering with anonymised entries ---------------------------------------------------------
 */

/* Three drafts removed: their six entries anonymised under one voucher, a staff login before
 * and after. Returns the voucher's seq; *first the first anonymised seq. */
static int64_t anonymised_log(struct fx *f, int64_t *first)
{
    audit(f, NOW - DAY, "staff:ayse", "staff.login", "login", NULL);
    for (int i = 0; i < 3; i++)
        app_in(f, "draft", NOW, 3);
    audit(f, NOW + DAY, "staff:ayse", "staff.login", "login", NULL);
    assert_int_equal(run(f, NOW + 200 * DAY, false).audit_entries, 6);
    assert_int_equal(audit_intact(f), 6);
    *first = q(f, "SELECT min(seq) FROM audit_log WHERE redacted_by > 0");
    return q(f, "SELECT seq FROM audit_log WHERE action = 'audit.anonymised'");
}

static void test_tamper(void **state)
{
    struct fx *f = *state;
    int64_t first, by = anonymised_log(f, &first);
    int64_t last = q(f, "SELECT max(seq) FROM audit_log");
    int64_t mid = q(f, "SELECT max(seq) FROM audit_log WHERE redacted_by > 0");
    struct app_audit_report r;

    /* an anonymised entry's time, action or actor changed */
    x(f, "UPDATE audit_log SET at = at + 1 WHERE seq = %lld", (long long)mid);
    r = audit_broken(f);
    assert_int_equal(r.problem, APP_AUDIT_CHANGED);
    assert_int_equal(r.seq, first);
    x(f, "UPDATE audit_log SET at = at - 1 WHERE seq = %lld", (long long)mid);
    x(f, "UPDATE audit_log SET actor = 'staff:ali' WHERE seq = %lld", (long long)first);
    assert_int_equal(audit_broken(f).seq, first);
    x(f, "UPDATE audit_log SET actor = 'applicant' WHERE seq = %lld", (long long)first);
    assert_int_equal(audit_intact(f), 6);

    /* the voucher's count or digest changed: its own hash breaks */
    x(f,
      "UPDATE audit_log SET detail = replace(detail, '\"entries\":6', '\"entries\":5') WHERE "
      "seq = %lld",
      (long long)by);
    r = audit_broken(f);
    assert_int_equal(r.problem, APP_AUDIT_CHANGED);
    assert_int_equal(r.seq, by);
    x(f,
      "UPDATE audit_log SET detail = replace(detail, '\"entries\":5', '\"entries\":6') WHERE "
      "seq = %lld",
      (long long)by);

    /* an entry blanked and passed off as anonymised under the voucher (the staff login before) */
    int64_t login = q(f, "SELECT min(seq) FROM audit_log WHERE action = 'staff.login'");
    assert_true(login < first);
    x(f, "UPDATE audit_log SET actor = 'staff', object = '', redacted_by = %lld WHERE seq = %lld",
      (long long)by, (long long)login);
    r = audit_broken(f);
    assert_int_equal(r.problem, APP_AUDIT_CHANGED);
    assert_int_equal(r.seq, login);
    /* ... under an entry that is no voucher, or one past the end, or before itself */
    x(f, "UPDATE audit_log SET redacted_by = %lld WHERE seq = %lld", (long long)last,
      (long long)login);
    assert_int_equal(audit_broken(f).seq, login);
    x(f, "UPDATE audit_log SET redacted_by = %lld WHERE seq = %lld", (long long)last + 5,
      (long long)login);
    assert_int_equal(audit_broken(f).seq, login);
    x(f, "UPDATE audit_log SET redacted_by = %lld WHERE seq = %lld", (long long)login,
      (long long)login);
    assert_int_equal(audit_broken(f).seq, login);
    x(f,
      "UPDATE audit_log SET actor = 'staff:ayse', object = 'login', redacted_by = 0 WHERE seq = "
      "%lld",
      (long long)login);
    assert_int_equal(audit_intact(f), 6);

    /* an anonymised entry passed off as never anonymised: it no longer hashes */
    x(f, "UPDATE audit_log SET redacted_by = 0 WHERE seq = %lld", (long long)mid);
    assert_int_equal(audit_broken(f).seq, mid);
    x(f, "UPDATE audit_log SET redacted_by = %lld WHERE seq = %lld", (long long)by, (long long)mid);
    /* one removed from under its voucher */
    x(f, "UPDATE audit_log SET redacted_by = %lld WHERE seq = %lld", (long long)last,
      (long long)mid);
    assert_int_equal(audit_broken(f).problem, APP_AUDIT_CHANGED);
    x(f, "UPDATE audit_log SET redacted_by = %lld WHERE seq = %lld", (long long)by, (long long)mid);
    assert_int_equal(audit_intact(f), 6);
}

/* An entry changed before its time comes is never anonymised: the run fails, naming it, and
 * changes nothing of that batch. */
static void test_changed_entry_not_laundered(void **state)
{
    struct fx *f = *state;
    struct store_application d = app_in(f, "draft", NOW, 3);
    int64_t seq = q(f, "SELECT min(seq) FROM audit_log WHERE object = '%s'", d.number);
    x(f, "UPDATE audit_log SET detail = '{\"x\":1}' WHERE seq = %lld", (long long)seq);
    struct app_ctx c = {.db = f->db->s, .set = &f->set, .now = NOW + 200 * DAY};
    struct app_retention_counts n;
    struct app_err err;
    assert_int_not_equal(app_retention_run(&c, "test", false, &n, &err), APP_OK);
    char want[96];
    snprintf(want, sizeof want, "audit entry %lld no longer matches its hash", (long long)seq);
    assert_non_null(strstr(n.failed, want));
    assert_non_null(strstr(n.failed, "removing abandoned drafts: "));
    assert_int_equal(n.drafts, 0);
    assert_int_equal(q(f, "SELECT count(*) FROM applications"), 1);
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE redacted_by > 0"), 0);
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'retention.run' AND "
                          "detail LIKE '%%\"failed\":true%%'"),
                     1);
    assert_int_equal(audit_broken(f).seq, seq);
}

/* ---- two runs at once --------------------------------------------------------------------------
 */

struct racer {
    const char *url;
    const struct app_settings *set;
    struct app_retention_counts n;
    enum app_status st;
    char err[256];
};

static void *race(void *arg)
{
    struct racer *r = arg;
    struct store *s = NULL;
    struct app_err err;
    r->st = APP_EINTERNAL;
    if (store_open(r->url, &s, r->err, sizeof r->err) != STORE_OK)
        return NULL;
    struct app_ctx c = {.db = s, .set = r->set, .now = NOW + 3 * YEAR};
    r->st = app_retention_run(&c, "racer", false, &r->n, &err);
    if (r->st != APP_OK)
        snprintf(r->err, sizeof r->err, "%s", store_last_error(s));
    store_close(s);
    return NULL;
}

static void test_two_at_once(void **state)
{
    struct fx *f = *state;
    enum { DRAFTS = 450, LOGINS = 620 };
    for (int i = 0; i < DRAFTS; i++)
        app_in(f, i % 2 ? "draft" : "code_verified", NOW, 3);
    for (int i = 0; i < LOGINS; i++)
        audit(f, NOW, "applicant:400******12", "login", "applicant", NULL);
    struct app_retention_counts dry = run(f, NOW + 3 * YEAR, true);
    assert_int_equal(dry.drafts, DRAFTS);
    assert_int_equal(dry.audit_entries, 2 * DRAFTS);
    assert_int_equal(dry.logins, LOGINS);
    struct racer r[2] = {{f->db->db.url, &f->set, {0}, 0, ""},
                         {f->db->db.url, &f->set, {0}, 0, ""}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    for (int i = 0; i < 2; i++)
        if (r[i].st != APP_OK)
            fail_msg("racer %d: %s", i, r[i].err);
    assert_int_equal(r[0].n.drafts + r[1].n.drafts, DRAFTS);
    assert_int_equal(r[0].n.audit_entries + r[1].n.audit_entries, 2 * DRAFTS);
    assert_int_equal(r[0].n.logins + r[1].n.logins, LOGINS);
    assert_int_equal(q(f, "SELECT count(*) FROM applications"), 0);
    assert_int_equal(audit_intact(f), 2 * DRAFTS + LOGINS);
    assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'retention.run'"), 2);
}

/* ---- the periods
 * --------------------------------------------------------------------------------- */

static void test_settings(void **state)
{
    (void)state;
    struct app_retention_cfg c;
    app_retention_cfg_default(&c);
    assert_null(app_retention_cfg_check(&c));
    assert_int_equal(c.evidence_years, 7);
    c.evidence_years = 6;
    assert_non_null(strstr(app_retention_cfg_check(&c), "retention_evidence_years"));
    app_retention_cfg_default(&c);
    c.contact_years = 8;
    assert_non_null(strstr(app_retention_cfg_check(&c), "longer than retention_evidence_years"));
    app_retention_cfg_default(&c);
    c.draft_days = 0;
    assert_non_null(strstr(app_retention_cfg_check(&c), "retention_draft_days"));
    app_retention_cfg_default(&c);
    c.messages_days = -1;
    assert_non_null(strstr(app_retention_cfg_check(&c), "retention_messages_days"));
}

int main(void)
{
    testdb_require();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_code_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_logins_and_drafts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tickets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_evidence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_entry_not_laundered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_at_once, setup, teardown),
        cmocka_unit_test(test_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
