/* eimza — the notification scan (notify/scan.h) and the store's part of it (store.h, "expiry
 * warnings") on both backends, on a controlled clock: each milestone once, by e-mail and SMS,
 * on its day; a scan that missed days sends the latest milestone only; nothing after applying,
 * after renewal, for a revoked certificate, for someone not entitled, nor long after expiry;
 * reminders once per state through the channels the form asked for; the approvers' digest
 * once a day where an approver works and an address is configured; two connections scanning
 * at once queue each message exactly once; and the hand-over mark: a message handed over is
 * never claimed again and shows as unconfirmed, a refused attempt clears it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/personnel.h"
#include "core/tckn.h"
#include "notify/outbox.h"
#include "notify/scan.h"
#include "notify/smtp.h"
#include "notify/templates.h"
#include "store/store.h"
#include "testdb.h"

#define fx  testdb_fx
#define DAY 86400

static struct notify_templates *tpl;

static int setup(void **state)
{
    return testdb_fx_setup(state, true);
}

static int teardown(void **state)
{
    return testdb_fx_teardown(state);
}

/* Unix seconds of 00:00 UTC on y-m-d, plus secs. */
static int64_t at(int y, int m, int d, int64_t secs)
{
    int32_t day;
    assert_int_equal(core_date_from_ymd(y, m, d, &day), 0);
    return core_date_to_unix(day) + secs;
}

static void tckn_of(int n, char out[CORE_TCKN_LEN + 1])
{
    char d9[16];
    snprintf(d9, sizeof d9, "%09d", 100000000 + n * 7919);
    assert_int_equal(core_tckn_complete(d9, out), 0);
}

/* Person n in province 72 (or as given), with an e-mail address and a mobile number. */
static void person(struct fx *f, int n, int province, bool entitled, const char *email,
                   const char *mobile)
{
    struct core_personnel p;
    core_personnel_clear(&p);
    tckn_of(n, p.tckn);
    snprintf(p.first_name, sizeof p.first_name, "Ayşe%d", n);
    snprintf(p.last_name, sizeof p.last_name, "Yılmaz");
    snprintf(p.birth_place, sizeof p.birth_place, "Batman");
    assert_int_equal(core_date_from_ymd(1980, 3, 15, &p.birth_date), 0);
    snprintf(p.institution_name, sizeof p.institution_name, "Kurum");
    p.province = province;
    p.duty = CORE_DUTY_ACTIVE;
    p.entitled = entitled;
    snprintf(p.email, sizeof p.email, "%s", email);
    snprintf(p.mobile_phone, sizeof p.mobile_phone, "%s", mobile);
    assert_int_equal(store_personnel_import_begin(f->s), STORE_OK);
    assert_int_equal(store_personnel_import_row(f->s, &p), STORE_OK);
    struct store_import_stats st;
    assert_int_equal(store_personnel_import_commit(f->s, &st), STORE_OK);
}

/* A certificate of person n: serial "SER<k>", valid [not_before, not_after). */
static void cert(struct fx *f, int n, int k, int64_t not_before, int64_t not_after)
{
    struct core_certificate c;
    memset(&c, 0, sizeof c);
    snprintf(c.fingerprint, sizeof c.fingerprint, "%064d", k);
    tckn_of(n, c.tckn);
    snprintf(c.subject_name, sizeof c.subject_name, "AYŞE YILMAZ");
    snprintf(c.subject, sizeof c.subject, "CN=AYŞE YILMAZ");
    snprintf(c.serial, sizeof c.serial, "SER%d", k);
    snprintf(c.issuer, sizeof c.issuer, "CN=Test CA");
    c.not_before = not_before;
    c.not_after = not_after;
    bool ins = false;
    assert_int_equal(store_certificate_put(f->s, &c, (const unsigned char *)"x", 1, &ins),
                     STORE_OK);
    assert_true(ins);
}

/* The one outbox message matching where, as it is sent: the scan keeps it as a template and
 * its values, and notify_outbox_render makes the text (with the portal link added then). */
static void rendered(struct fx *f, const char *where, char *subj, size_t subjlen, char *body,
                     size_t bodylen)
{
    char sql[512], row[4096];
    snprintf(sql, sizeof sql,
             "SELECT channel || '|' || template || '|' || params FROM outbox WHERE %s", where);
    assert_int_equal(testdb_query(&f->db, sql, row, sizeof row), 0);
    char *t = strchr(row, '|');
    assert_non_null(t);
    *t++ = '\0';
    char *params = strchr(t, '|');
    assert_non_null(params);
    *params++ = '\0';
    assert_null(strstr(params, "https://")); /* the link is not kept: it is added when sent */
    const struct store_outbox_msg m = {
        .channel = row, .recipient = "x", .tpl = t, .params = params};
    struct ubuf su = UBUF_INIT(4096), bo = UBUF_INIT(64 * 1024);
    const char *why = NULL;
    assert_int_equal(notify_outbox_render(tpl, "https://eimza.example.org/", &m, &su, &bo, &why),
                     0);
    snprintf(subj, subjlen, "%s", ubuf_str(&su));
    snprintf(body, bodylen, "%s", ubuf_str(&bo));
    ubuf_free(&su);
    ubuf_free(&bo);
}

static void cfg_default(struct notify_scan_cfg *c)
{
    memset(c, 0, sizeof *c);
    core_rules_default(&c->rules);
    c->expired_days = 30;
    c->reminder_days = 3;
    c->portal_url = "https://eimza.example.org/";
    c->lang = "tr";
    c->tpl = tpl;
    c->batch = 7; /* small: batches and the keyset are exercised */
}

static struct notify_scan_stats scan(struct fx *f, const struct notify_scan_cfg *c, int64_t now)
{
    struct notify_scan_stats st;
    assert_int_equal(notify_scan(f->s, c, now, &st), STORE_OK);
    return st;
}

static long long count(struct fx *f, const char *where)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM outbox WHERE %s", where);
    return testdb_query_ll(&f->db, sql);
}

static long total(const struct notify_scan_stats *st)
{
    long t = st->expired + st->reminders + st->digests;
    for (int i = 0; i < CORE_MAX_WARNINGS; i++)
        t += st->warned[i];
    return t;
}

/* ---- milestones -------------------------------------------------------------------------- */

static void test_milestones_on_their_days(void **state)
{
    struct fx *f = *state;
    struct notify_scan_cfg c;
    cfg_default(&c);
    person(f, 1, 72, true, "ayse1@meb.gov.tr", "5321112233");
    const int64_t na = at(2025, 6, 1, 10 * 3600); /* 10:00 UTC on 1 June */
    cert(f, 1, 1, na - 3 * 365 * DAY, na);

    /* days are Turkey's (UTC+3): 2 March 20:59 UTC is 23:59 in Turkey, 91 days before */
    struct notify_scan_stats st = scan(f, &c, at(2025, 3, 2, 20 * 3600 + 59 * 60));
    assert_int_equal(total(&st), 0);
    st = scan(f, &c, at(2025, 3, 2, 21 * 3600)); /* the 90th day before, from 00:00 in Turkey */
    assert_int_equal(st.warned[0], 2);
    assert_int_equal(total(&st), 2);
    assert_int_equal(count(f, "dedupe_key = 'warn:1:90:email' AND channel = 'email' AND "
                              "recipient = 'ayse1@meb.gov.tr'"),
                     1);
    assert_int_equal(count(f, "dedupe_key = 'warn:1:90:sms' AND recipient = '5321112233'"), 1);
    /* the message names the certificate, its expiry, the deadline and the portal */
    char body[4096], subj[512];
    assert_int_equal(count(f, "channel = 'email' AND template = 'expiry_warning' AND body = '' "
                              "AND subject = ''"),
                     1);
    rendered(f, "channel = 'email'", subj, sizeof subj, body, sizeof body);
    assert_non_null(strstr(body, "Sayın Ayşe1 Yılmaz"));
    assert_non_null(strstr(body, "SER1 seri numaralı"));
    assert_non_null(strstr(body, "01.06.2025"));
    assert_non_null(strstr(body, "02.05.2025")); /* 30 days before expiry */
    assert_non_null(strstr(body, "90 gün sonra"));
    assert_non_null(strstr(body, "https://eimza.example.org/"));
    assert_null(strchr(body, '{')); /* no placeholder left */
    assert_non_null(strstr(subj, "01.06.2025"));
    rendered(f, "channel = 'sms'", subj, sizeof subj, body, sizeof body);
    assert_non_null(strstr(body, "SER1"));
    assert_non_null(strstr(body, "https://eimza.example.org/"));

    /* again the same day, and the next days: nothing more */
    st = scan(f, &c, at(2025, 3, 3, 0));
    assert_int_equal(total(&st), 0);
    st = scan(f, &c, at(2025, 3, 3, 12 * 3600));
    assert_int_equal(total(&st), 0);
    st = scan(f, &c, at(2025, 3, 4, 0));
    assert_int_equal(total(&st), 0);
    st = scan(f, &c, at(2025, 4, 1, 20 * 3600)); /* 61 days before (23:00 in Turkey) */
    assert_int_equal(total(&st), 0);
    st = scan(f, &c, at(2025, 4, 2, 0)); /* 60 */
    assert_int_equal(st.warned[1], 2);
    assert_int_equal(total(&st), 2);
    st = scan(f, &c, at(2025, 5, 2, 0)); /* 30 */
    assert_int_equal(st.warned[2], 2);
    assert_int_equal(total(&st), 2);
    st = scan(f, &c, at(2025, 6, 1, 9 * 3600)); /* the last day, before the hour */
    assert_int_equal(total(&st), 0);
    st = scan(f, &c, at(2025, 6, 1, 10 * 3600)); /* expired, to the second */
    assert_int_equal(st.expired, 2);
    assert_int_equal(count(f, "dedupe_key LIKE 'warn:1:0:%'"), 2);
    st = scan(f, &c, at(2025, 6, 20, 0));
    assert_int_equal(total(&st), 0);
    assert_int_equal(count(f, "1 = 1"), 8);
    /* going back in time never sends an earlier milestone again */
    st = scan(f, &c, at(2025, 3, 3, 0));
    assert_int_equal(total(&st), 0);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT days FROM certificate_warnings"), 0);
}

static void test_missed_days_latest_only(void **state)
{
    struct fx *f = *state;
    struct notify_scan_cfg c;
    cfg_default(&c);
    const int64_t na = at(2025, 6, 1, 0);
    for (int n = 1; n <= 3; n++)
        person(f, n, 72, true, "x@meb.gov.tr", "");
    cert(f, 1, 1, na - 1000 * DAY, na);
    cert(f, 2, 2, na - 1000 * DAY, na + 20 * DAY);  /* 20 days later */
    cert(f, 3, 3, na - 1000 * DAY, na - 100 * DAY); /* expired long ago */
    /* the first scan ever, 45 days before the first expiry: the 60-day milestone only */
    struct notify_scan_stats st = scan(f, &c, na - 45 * DAY);
    assert_int_equal(st.warned[0], 1); /* holder 2, 65 days before: the 90-day one */
    assert_int_equal(st.warned[1], 1); /* holder 1, 45 days before: the 60-day one only */
    assert_int_equal(count(f, "dedupe_key = 'warn:1:60:email'"), 1);
    assert_int_equal(count(f, "dedupe_key LIKE 'warn:1:90:%'"), 0);
    /* the scans stop for weeks; the next one is after holder 1's expiry: the expiry only */
    st = scan(f, &c, na + 2 * DAY);
    assert_int_equal(st.expired, 1);
    assert_int_equal(st.warned[2], 1); /* holder 2: 18 days left, 30-day milestone */
    assert_int_equal(count(f, "dedupe_key LIKE 'warn:1:%'"), 2);
    assert_int_equal(count(f, "dedupe_key LIKE 'warn:1:30:%'"), 0);
    /* an expiry older than expired_days is never announced */
    assert_int_equal(count(f, "dedupe_key LIKE 'warn:3:%'"), 0);
    c.expired_days = 0; /* and with expired_days 0 no expiry message at all */
    st = scan(f, &c, na + 21 * DAY);
    assert_int_equal(st.expired, 0);
    assert_int_equal(count(f, "dedupe_key LIKE 'warn:2:0:%'"), 0);
}

static int64_t app(struct fx *f, int n, const char *state, int64_t created, int64_t updated,
                   const char *notify_by)
{
    struct store_application a;
    memset(&a, 0, sizeof a);
    snprintf(a.number, sizeof a.number, "APPL%06d", n);
    tckn_of(n, a.tckn);
    snprintf(a.state, sizeof a.state, "%s", state);
    snprintf(a.first_name, sizeof a.first_name, "Form%d", n);
    snprintf(a.last_name, sizeof a.last_name, "Ad");
    snprintf(a.reason, sizeof a.reason, "renewal");
    a.validity_years = 3;
    snprintf(a.email, sizeof a.email, "form%d@meb.gov.tr", n);
    snprintf(a.mobile_phone, sizeof a.mobile_phone, "5329990000");
    snprintf(a.notify_by, sizeof a.notify_by, "%s", notify_by);
    a.created_at = created;
    a.updated_at = updated;
    struct store_app_event ev = {created, "", state, "created", "test"};
    assert_int_equal(store_app_create(f->s, &a, &ev), STORE_OK);
    return a.id;
}

static void test_no_warning_after_applying_or_renewal(void **state)
{
    struct fx *f = *state;
    struct notify_scan_cfg c;
    cfg_default(&c);
    c.reminder_days = 0;
    const int64_t na = at(2025, 6, 1, 0), nb = na - 1000 * DAY;
    for (int n = 1; n <= 5; n++)
        person(f, n, 72, n != 4, "p@meb.gov.tr", "5321112233");
    for (int n = 1; n <= 5; n++)
        cert(f, n, n, nb, na);
    app(f, 1, "submitted", na - 95 * DAY, na - 95 * DAY, "both"); /* applied before the 90 */
    bool changed = false;
    assert_int_equal(store_certificate_revoke(f->s, "CN=Test CA", "SER3", na - 200 * DAY, &changed),
                     STORE_OK);
    struct notify_scan_stats st = scan(f, &c, na - 90 * DAY);
    /* holder 2 and 5 only: 1 applied, 3 revoked, 4 not entitled (recorded, not sent) */
    assert_int_equal(st.warned[0], 4);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(count(f, "dedupe_key LIKE 'warn:1:%' OR dedupe_key LIKE 'warn:3:%' OR "
                              "dedupe_key LIKE 'warn:4:%'"),
                     0);
    /* holder 2 applies after the first warning: no more warnings */
    app(f, 2, "draft", na - 80 * DAY, na - 80 * DAY, "both");
    /* holder 5 renews: a newer certificate; the old one is never warned of again */
    cert(f, 5, 50, na - 70 * DAY, na + 3 * 365 * DAY);
    st = scan(f, &c, na - 60 * DAY);
    assert_int_equal(total(&st), 0);
    st = scan(f, &c, na - 10 * DAY);
    assert_int_equal(total(&st), 0);
    st = scan(f, &c, na + DAY);
    assert_int_equal(total(&st), 0);
    assert_int_equal(count(f, "1 = 1"), 4);
    /* an application that ended (rejected) before this certificate was issued does not count:
     * holder 6 is warned */
    person(f, 6, 72, true, "", "5321112299");
    app(f, 6, "rejected", nb - 50 * DAY, nb - 40 * DAY, "both");
    cert(f, 6, 6, nb, na + 5 * DAY);
    st = scan(f, &c, na - 20 * DAY);
    assert_int_equal(st.warned[2], 1); /* no e-mail address: the SMS alone */
    assert_int_equal(count(f, "recipient = '5321112299' AND dedupe_key LIKE 'warn:%:30:sms'"), 1);
}

/* ---- reminders and digests --------------------------------------------------------------- */

static void test_reminders_once_per_state(void **state)
{
    struct fx *f = *state;
    struct notify_scan_cfg c;
    cfg_default(&c);
    const int64_t now = at(2025, 5, 10, 0);
    for (int n = 1; n <= 4; n++)
        person(f, n, 72, true, "rec@meb.gov.tr", "5321112233");
    int64_t a1 = app(f, 1, "draft", now - 10 * DAY, now - 5 * DAY, "both");
    app(f, 2, "code_verified", now - 10 * DAY, now - 4 * DAY, "sms");
    app(f, 3, "awaiting_original", now - 10 * DAY, now - 4 * DAY, "email");
    app(f, 4, "draft", now - 2 * DAY, now - 2 * DAY, "both"); /* 2 days: not yet */
    struct notify_scan_stats st = scan(f, &c, now);
    assert_int_equal(st.reminders, 4);
    assert_int_equal(count(f, "dedupe_key = 'remind:1:draft:email' AND "
                              "recipient = 'form1@meb.gov.tr'"),
                     1);
    assert_int_equal(count(f, "dedupe_key = 'remind:1:draft:sms'"), 1);
    assert_int_equal(count(f, "dedupe_key LIKE 'remind:2:code_verified:%'"), 1);
    assert_int_equal(count(f, "dedupe_key = 'remind:2:code_verified:sms'"), 1);
    assert_int_equal(count(f, "dedupe_key = 'remind:3:awaiting_original:email'"), 1);
    char body[2048], subj[512];
    rendered(f, "dedupe_key = 'remind:3:awaiting_original:email'", subj, sizeof subj, body,
             sizeof body);
    assert_non_null(strstr(body, "APPL000003"));
    assert_non_null(strstr(body, "ıslak imzalı"));
    st = scan(f, &c, now + DAY);
    assert_int_equal(st.reminders, 0);
    /* application 1 moves on and gets stuck again: its new state gets its own reminder */
    struct store_application a;
    assert_int_equal(store_app_get(f->s, a1, &a), STORE_OK);
    snprintf(a.state, sizeof a.state, "code_verified");
    a.updated_at = now;
    assert_int_equal(store_app_update(f->s, &a, "draft", NULL), STORE_OK);
    st = scan(f, &c, now + 2 * DAY);
    assert_int_equal(st.reminders, 2); /* application 4 (draft, 4 days), not 1 yet */
    st = scan(f, &c, now + 3 * DAY);
    assert_int_equal(st.reminders, 0); /* exactly 3 days unchanged: not yet */
    st = scan(f, &c, now + 3 * DAY + 1);
    assert_int_equal(st.reminders, 2);
    assert_int_equal(count(f, "dedupe_key LIKE 'remind:1:code_verified:%'"), 2);
    c.reminder_days = 0;
    assert_int_equal(store_app_get(f->s, a1, &a), STORE_OK);
    snprintf(a.state, sizeof a.state, "awaiting_original");
    a.updated_at = now;
    assert_int_equal(store_app_update(f->s, &a, "code_verified", NULL), STORE_OK);
    st = scan(f, &c, now + 30 * DAY);
    assert_int_equal(st.reminders, 0); /* reminders off */
}

/* An approver account in province, with an e-mail address. */
static void approver(struct fx *f, const char *name, int province, const char *email, bool disabled)
{
    struct store_user u;
    memset(&u, 0, sizeof u);
    snprintf(u.username, sizeof u.username, "%s", name);
    snprintf(u.role, sizeof u.role, "approver");
    u.province = province;
    snprintf(u.email, sizeof u.email, "%s", email);
    u.disabled = disabled;
    snprintf(u.password_hash, sizeof u.password_hash, "$argon2id$x");
    assert_int_equal(store_user_put(f->s, &u), STORE_OK);
}

static void test_digest_daily(void **state)
{
    struct fx *f = *state;
    struct notify_scan_cfg c;
    cfg_default(&c);
    c.reminder_days = 0;
    struct notify_digest_to to[NOTIFY_DIGEST_MAX];
    size_t nto = 0;
    char err[256];
    assert_int_equal(notify_digest_parse("72=x", to, &nto, err, sizeof err), -1);
    assert_int_equal(notify_digest_parse("99=a@b.org", to, &nto, err, sizeof err), -1);
    assert_int_equal(notify_digest_parse("72=a@b.org,72=c@d.org", to, &nto, err, sizeof err), -1);
    assert_int_equal(notify_digest_parse("72 a@b.org", to, &nto, err, sizeof err), -1);
    assert_int_equal(notify_digest_parse("", to, &nto, err, sizeof err), 0);
    assert_int_equal(nto, 0);
    assert_int_equal(
        notify_digest_parse(" 72=dys72@meb.gov.tr, 6=dys06@meb.gov.tr ", to, &nto, err, sizeof err),
        0);
    assert_int_equal(nto, 2);
    c.digest_to = to;
    c.ndigest = nto;
    const int64_t now = at(2025, 5, 10, 8 * 3600);
    for (int n = 1; n <= 4; n++)
        person(f, n, n <= 3 ? 72 : 6, true, "p@meb.gov.tr", "");
    app(f, 1, "submitted", now - DAY, now - DAY, "both");
    app(f, 2, "submitted", now - DAY, now - DAY, "both");
    app(f, 3, "awaiting_original", now - DAY, now - DAY, "both");
    app(f, 4, "submitted", now - DAY, now - DAY, "both");
    /* no approver yet: nobody to tell */
    struct notify_scan_stats st = scan(f, &c, now);
    assert_int_equal(st.digests, 0);
    struct store_user u;
    memset(&u, 0, sizeof u);
    snprintf(u.username, sizeof u.username, "onayci72");
    snprintf(u.role, sizeof u.role, "approver");
    u.province = 72;
    snprintf(u.password_hash, sizeof u.password_hash, "$argon2id$x");
    assert_int_equal(store_user_put(f->s, &u), STORE_OK);
    st = scan(f, &c, now);
    assert_int_equal(st.digests, 1);
    char subj[512], body[4096];
    assert_int_equal(count(f, "channel = 'email' AND recipient = 'dys72@meb.gov.tr' AND "
                              "dedupe_key = 'digest:72:2025-05-10'"),
                     1);
    rendered(f, "channel = 'email'", subj, sizeof subj, body, sizeof body);
    assert_non_null(strstr(subj, "Batman: işlem bekleyen 3"));
    assert_non_null(strstr(body, "Onay bekleyen başvurular:                 2"));
    st = scan(f, &c, now + 3600);
    assert_int_equal(st.digests, 0);
    st = scan(f, &c, now + DAY);
    assert_int_equal(st.digests, 1);
    assert_int_equal(count(f, "dedupe_key LIKE 'digest:06:%'"), 0); /* no approver in 06 */

    /* approvers with an address get it too: each address once, none for a disabled account,
     * and a province without a digest_to address is reached through its approvers alone */
    approver(f, "ayse72", 72, "Ayse.Onay@meb.gov.tr", false);
    approver(f, "ali72", 72, "ali.onay@meb.gov.tr", false);
    approver(f, "ofis72", 72, "DYS72@meb.gov.tr", false); /* digest_to's address */
    approver(f, "ikiz72", 72, "ayse.onay@meb.gov.tr", false);
    approver(f, "eski72", 72, "eski@meb.gov.tr", true);
    approver(f, "veli06", 6, "veli.onay@meb.gov.tr", false);
    st = scan(f, &c, now + 2 * DAY);
    assert_int_equal(st.digests, 5); /* 72: office, ayse72, ali72; 06: office, veli06 */
    assert_int_equal(count(f, "dedupe_key LIKE 'digest:72:2025-05-12%'"), 3);
    assert_int_equal(count(f, "dedupe_key = 'digest:72:2025-05-12:ayse72' AND "
                              "recipient = 'Ayse.Onay@meb.gov.tr'"),
                     1);
    assert_int_equal(count(f, "dedupe_key = 'digest:72:2025-05-12:ali72'"), 1);
    assert_int_equal(count(f, "recipient = 'eski@meb.gov.tr'"), 0);
    assert_int_equal(count(f, "dedupe_key LIKE 'digest:72:2025-05-12:ofis72'"), 0);
    assert_int_equal(count(f, "dedupe_key LIKE 'digest:72:2025-05-12:ikiz72'"), 0);
    assert_int_equal(count(f, "dedupe_key = 'digest:06:2025-05-12:veli06'"), 1);
    assert_int_equal(count(f, "dedupe_key = 'digest:06:2025-05-12'"), 1);
    st = scan(f, &c, now + 2 * DAY + 3600);
    assert_int_equal(st.digests, 0); /* once a day, each */
    c.ndigest = 0;                   /* no digest_to at all: the approvers' addresses alone */
    st = scan(f, &c, now + 3 * DAY);
    assert_int_equal(st.digests, 4); /* ayse72, ali72, ofis72 (now nobody else's), veli06 */
    assert_int_equal(count(f, "dedupe_key = 'digest:06:2025-05-13:veli06' AND "
                              "recipient = 'veli.onay@meb.gov.tr'"),
                     1);
    rendered(f, "dedupe_key = 'digest:06:2025-05-13:veli06'", subj, sizeof subj, body, sizeof body);
    assert_non_null(strstr(subj, "Ankara: işlem bekleyen 1"));
}

/* ---- two scans at once ------------------------------------------------------------------- */

struct racer {
    const char *url;
    const struct notify_scan_cfg *cfg;
    int64_t now;
    struct notify_scan_stats st;
    enum store_err e;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    struct store *s = NULL;
    char err[256];
    r->e = store_open(r->url, &s, err, sizeof err);
    if (r->e == STORE_OK)
        r->e = notify_scan(s, r->cfg, r->now, &r->st);
    store_close(s);
    return NULL;
}

static void test_concurrent_scans_once(void **state)
{
    struct fx *f = *state;
    struct notify_scan_cfg c;
    cfg_default(&c);
    c.batch = 25;
    const int64_t now = at(2025, 3, 1, 0);
    enum { N = 120 };
    assert_int_equal(store_personnel_import_begin(f->s), STORE_OK);
    for (int n = 1; n <= N; n++) {
        struct core_personnel p;
        core_personnel_clear(&p);
        tckn_of(n, p.tckn);
        snprintf(p.first_name, sizeof p.first_name, "K%d", n);
        snprintf(p.last_name, sizeof p.last_name, "S");
        snprintf(p.birth_place, sizeof p.birth_place, "Batman");
        snprintf(p.institution_name, sizeof p.institution_name, "Kurum");
        p.birth_date = 3000;
        p.province = 72;
        p.entitled = true;
        snprintf(p.email, sizeof p.email, "k%d@meb.gov.tr", n);
        snprintf(p.mobile_phone, sizeof p.mobile_phone, "532%07d", n);
        assert_int_equal(store_personnel_import_row(f->s, &p), STORE_OK);
    }
    struct store_import_stats ist;
    assert_int_equal(store_personnel_import_commit(f->s, &ist), STORE_OK);
    for (int n = 1; n <= N; n++) /* spread over every milestone and the expiry */
        cert(f, n, n, now - 1000 * DAY, now + (n % 100) * DAY - 5 * DAY + n);
    enum { R = 3 };
    struct racer r[R];
    pthread_t th[R];
    for (int i = 0; i < R; i++) {
        r[i] = (struct racer){.url = f->db.url, .cfg = &c, .now = now};
        assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
    }
    long sum = 0;
    for (int i = 0; i < R; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(r[i].e, STORE_OK);
        sum += total(&r[i].st);
    }
    long long rows = count(f, "1 = 1");
    assert_true(rows > 100);
    assert_int_equal(sum, rows); /* what the scans say they queued is what is there */
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(DISTINCT dedupe_key) FROM outbox"),
                     rows);
    /* one milestone per certificate: an e-mail and an SMS for each one recorded */
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM certificate_warnings"),
                     rows / 2);
    assert_int_equal(rows % 2, 0);
    struct notify_scan_stats st = scan(f, &c, now);
    assert_int_equal(total(&st), 0);
}

/* ---- the hand-over mark ------------------------------------------------------------------ */

static int take(void *ctx, const struct store_outbox_msg *m)
{
    *(struct store_outbox_msg *)ctx =
        (struct store_outbox_msg){.id = m->id, .attempts = m->attempts};
    return 0;
}

static int note_problem(void *ctx, const struct store_outbox_problem *m)
{
    char *out = ctx;
    size_t n = strlen(out);
    snprintf(out + n, 512 - n, "%lld:%s:%s;", (long long)m->id, m->status, m->last_error);
    return 0;
}

static void test_handover(void **state)
{
    struct fx *f = *state;
    struct store_outbox_msg q = {.channel = "email", .recipient = "a@b.org", .body = "x"};
    bool ins;
    assert_int_equal(store_outbox_put(f->s, &q, 1000, &ins), STORE_OK);
    q.recipient = "c@d.org";
    assert_int_equal(store_outbox_put(f->s, &q, 1000, &ins), STORE_OK);
    struct store_outbox_msg m = {0};
    long n = 0;
    assert_int_equal(store_outbox_claim(f->s, "email", 1000, 10, 1, true, take, &m, &n), STORE_OK);
    assert_int_equal(n, 1);
    /* the wrong attempt, an unknown message */
    assert_int_equal(store_outbox_mark_handover(f->s, m.id, m.attempts + 1, 1001), STORE_ECONFLICT);
    assert_int_equal(store_outbox_mark_handover(f->s, 999999, 1, 1001), STORE_ENOTFOUND);
    assert_int_equal(store_outbox_mark_handover(f->s, m.id, 0, 1001), STORE_EINVAL);
    assert_int_equal(store_outbox_mark_handover(f->s, m.id, m.attempts, 1001), STORE_OK);
    const int64_t unconfirmed = m.id;
    /* the sender dies; its lease runs out: the message is not claimed again, but listed */
    struct store_outbox_msg m2 = {0};
    assert_int_equal(store_outbox_claim(f->s, "email", 2000, 10, 5, true, take, &m2, &n), STORE_OK);
    assert_int_equal(n, 1); /* the other message only */
    assert_true(m2.id != m.id);
    char list[512] = "";
    assert_int_equal(store_outbox_problems(f->s, 1005, note_problem, list), STORE_OK);
    assert_string_equal(list, ""); /* lease still running: not a problem yet */
    assert_int_equal(store_outbox_problems(f->s, 2000, note_problem, list), STORE_OK);
    char want[64];
    snprintf(want, sizeof want, "%lld:unconfirmed:;", (long long)m.id);
    assert_string_equal(list, want);
    /* a gateway that answered with a refusal: retried, the hand-over cleared */
    assert_int_equal(store_outbox_mark_handover(f->s, m2.id, m2.attempts, 2001), STORE_OK);
    assert_int_equal(store_outbox_mark_retry(f->s, m2.id, m2.attempts, 2005, "smtp_451"), STORE_OK);
    assert_int_equal(store_outbox_claim(f->s, "email", 2005, 10, 5, true, take, &m, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(m.id, m2.id);
    assert_int_equal(store_outbox_mark_failed(f->s, m.id, m.attempts, "smtp_550"), STORE_OK);
    list[0] = '\0';
    assert_int_equal(store_outbox_problems(f->s, 3000, note_problem, list), STORE_OK);
    assert_non_null(strstr(list, ":failed:smtp_550;"));
    assert_non_null(strstr(list, ":unconfirmed:;"));

    /* the operator's answers (store_outbox_resolve) */
    const int64_t failed = m.id;
    assert_int_equal(store_outbox_resolve(f->s, failed, false, 3000), STORE_ECONFLICT);
    assert_int_equal(store_outbox_resolve(f->s, 999999, true, 3000), STORE_ENOTFOUND);
    assert_int_equal(store_outbox_resolve(f->s, 0, true, 3000), STORE_EINVAL);
    /* an unconfirmed one whose lease still runs is not the operator's yet */
    assert_int_equal(store_outbox_resolve(f->s, unconfirmed, false, 1005), STORE_ECONFLICT);
    assert_int_equal(store_outbox_resolve(f->s, unconfirmed, false, 3000), STORE_OK);
    char row[128], sql[128];
    snprintf(sql, sizeof sql, "SELECT status || ':' || sent_at FROM outbox WHERE id = %lld",
             (long long)unconfirmed);
    assert_int_equal(testdb_query(&f->db, sql, row, sizeof row), 0);
    assert_string_equal(row, "sent:3000");
    assert_int_equal(store_outbox_resolve(f->s, unconfirmed, false, 3001), STORE_ECONFLICT);
    assert_int_equal(store_outbox_resolve(f->s, unconfirmed, true, 3001), STORE_ECONFLICT);
    /* the failed one is sent again: pending, due now, its tries counted afresh */
    assert_int_equal(store_outbox_resolve(f->s, failed, true, 3002), STORE_OK);
    snprintf(sql, sizeof sql,
             "SELECT status || ':' || attempts || ':' || next_try_at || ':' || "
             "coalesce(last_error, '-') FROM outbox WHERE id = %lld",
             (long long)failed);
    assert_int_equal(testdb_query(&f->db, sql, row, sizeof row), 0);
    assert_string_equal(row, "pending:0:3002:-");
    assert_int_equal(store_outbox_resolve(f->s, failed, true, 3003), STORE_ECONFLICT);
    list[0] = '\0';
    assert_int_equal(store_outbox_problems(f->s, 3003, note_problem, list), STORE_OK);
    assert_string_equal(list, ""); /* nothing waits for the operator any more */
    assert_int_equal(store_outbox_claim(f->s, "email", 3003, 10, 5, true, take, &m, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(m.id, failed);
    assert_int_equal(m.attempts, 1);
    /* an unconfirmed one the recipient never got is sent again too */
    assert_int_equal(store_outbox_mark_handover(f->s, m.id, m.attempts, 3004), STORE_OK);
    assert_int_equal(store_outbox_resolve(f->s, m.id, true, 4000), STORE_OK);
    snprintf(sql, sizeof sql,
             "SELECT status || ':' || coalesce(handed_over_at, 0) FROM outbox WHERE id = %lld",
             (long long)m.id);
    assert_int_equal(testdb_query(&f->db, sql, row, sizeof row), 0);
    assert_string_equal(row, "pending:0");
}

static void test_bad_arguments(void **state)
{
    struct fx *f = *state;
    struct notify_scan_cfg c;
    cfg_default(&c);
    c.batch = 0;
    assert_int_equal(notify_scan(f->s, &c, 0, NULL), STORE_EINVAL);
    cfg_default(&c);
    c.rules.warn_days[1] = 95; /* not descending */
    assert_int_equal(notify_scan(f->s, &c, 0, NULL), STORE_EINVAL);
    bool marked = true;
    assert_int_equal(store_warn_mark(f->s, 12345, 30, 0, &marked), STORE_ENOTFOUND);
    assert_false(marked);
    assert_int_equal(store_warn_mark(f->s, 1, -1, 0, NULL), STORE_EINVAL);
    int64_t pna = 0, pid = 0;
    bool more;
    assert_int_equal(store_warn_due(f->s, 10, 5, 30, &pna, &pid, 10, NULL, NULL, &more),
                     STORE_EINVAL);
    assert_int_equal(store_remind_mark(f->s, 0, "draft", 0, NULL), STORE_EINVAL);
}

/* The marks as the scan's once-only guarantee: a mark is made once per milestone, never moves
 * back, says which of a batch it made, and an unknown certificate makes none of a batch. */
static void test_marks(void **state)
{
    struct fx *f = *state;
    for (int n = 1; n <= 3; n++) {
        person(f, n, 72, true, "", "");
        cert(f, n, n, 1000, 2000);
    }
    const int64_t ids[] = {3, 1, 2};
    bool m[3];
    assert_int_equal(store_warn_mark_batch(f->s, ids, 3, 90, 5, m), STORE_OK);
    assert_true(m[0] && m[1] && m[2]);
    assert_int_equal(store_warn_mark_batch(f->s, ids, 3, 90, 6, m), STORE_OK);
    assert_false(m[0] || m[1] || m[2]); /* already made: another scan must not queue again */
    bool one = false;
    assert_int_equal(store_warn_mark(f->s, 2, 60, 7, &one), STORE_OK);
    assert_true(one);
    assert_int_equal(store_warn_mark_batch(f->s, ids, 3, 60, 8, m), STORE_OK);
    assert_true(m[0] && m[1] && !m[2]); /* 2 had its 60 already */
    assert_int_equal(store_warn_mark(f->s, 2, 90, 9, &one), STORE_OK);
    assert_false(one); /* never back to an earlier milestone */
    char v[64];
    assert_int_equal(testdb_query(&f->db,
                                  "SELECT days || '@' || at FROM certificate_warnings WHERE "
                                  "certificate_id = 2",
                                  v, sizeof v),
                     0);
    assert_string_equal(v, "60@7");
    assert_int_equal(testdb_query(&f->db,
                                  "SELECT count(*) || ':' || sum(days) FROM certificate_warnings",
                                  v, sizeof v),
                     0);
    assert_string_equal(v, "3:180");
    /* one unknown certificate: nothing of the batch is marked */
    const int64_t bad[] = {1, 12345};
    m[0] = m[1] = true;
    assert_int_equal(store_warn_mark_batch(f->s, bad, 2, 30, 10, m), STORE_ENOTFOUND);
    assert_false(m[0] || m[1]);
    assert_int_equal(testdb_query(&f->db,
                                  "SELECT days FROM certificate_warnings WHERE "
                                  "certificate_id = 1",
                                  v, sizeof v),
                     0);
    assert_string_equal(v, "60");
    const int64_t twice[] = {1, 1};
    assert_int_equal(store_warn_mark_batch(f->s, twice, 2, 30, 10, m), STORE_EINVAL);
    assert_int_equal(store_warn_mark_batch(f->s, ids, 0, 30, 10, m), STORE_EINVAL);
}

int main(void)
{
    testdb_require();
    char err[256];
    if (notify_templates_load(NULL, "tr", &tpl, err, sizeof err) < 0) {
        fprintf(stderr, "templates: %s\n", err);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_milestones_on_their_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_marks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missed_days_latest_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_warning_after_applying_or_renewal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reminders_once_per_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_digest_daily, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_scans_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handover, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    notify_templates_free(tpl);
    return rc;
}
