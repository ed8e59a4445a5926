/* eimza — the portal's use cases (app/portal.h) with "now" passed in, on a temporary SQLite
 * store: the captcha's single use and expiry, the login's equal answers and lock-outs, session
 * timeouts, the form's per-field rules, the SMS code's limits (cool-down, hourly limit, wrong
 * entries never reset by a new code, expiry), the content bytes, the method and the status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/portal.h"
#include "app/portal_int.h"
#include "app/text.h"
#include "core/content.h"
#include "core/date.h"
#include "core/personnel.h"
#include "core/tckn.h"
#include "crypto/seal.h"
#include "notify/outbox.h"

#define T0    1750000000 /* 2025-06-15 15:06:40 UTC */
#define DAY   86400
#define TCKN  "10000000146"
#define OTHER "10000000078" /* valid, never on record */

struct fx {
    char dir[64], path[96], url[128];
    struct store *s;
    struct app_settings set;
    struct app_ctx ctx; /* what the use cases get, made by at() and as() */
};

/* The use cases' context at now, acting for no one (app/context.h). */
static struct app_ctx *at(struct fx *f, int64_t now)
{
    memset(&f->ctx, 0, sizeof f->ctx);
    f->ctx.db = f->s;
    f->ctx.set = &f->set;
    f->ctx.now = now;
    return &f->ctx;
}

/* The same from an address (the login's per-address counter). */
static struct app_ctx *at_addr(struct fx *f, int64_t now, const char *addr)
{
    at(f, now)->client_addr = addr;
    return &f->ctx;
}

/* The same acting for the applicant of session ss, as app_authenticate leaves it. */
static struct app_ctx *as(struct fx *f, const struct app_session *ss, int64_t now)
{
    at(f, now);
    f->ctx.who.kind = APP_ACTOR_APPLICANT;
    f->ctx.who.session = *ss;
    return &f->ctx;
}

static struct app_ctx *as_lang(struct fx *f, const struct app_session *ss, int64_t now,
                               enum core_lang lang)
{
    as(f, ss, now)->lang = lang;
    return &f->ctx;
}

/* The session of a token at now (app_authenticate: the one way in). */
static enum app_status session_auth(struct fx *f, const char *token, int64_t now,
                                    struct app_session *out, struct app_err *err)
{
    at(f, now)->cred.token = token;
    enum app_status st = app_authenticate(&f->ctx, APP_ACTOR_APPLICANT, err);
    *out = f->ctx.who.session;
    return st;
}

static void add_person(struct store *s, const char *tckn, const char *mobile)
{
    struct core_personnel p;
    core_personnel_clear(&p);
    snprintf(p.tckn, sizeof p.tckn, "%s", tckn);
    snprintf(p.first_name, sizeof p.first_name, "Ayşegül");
    snprintf(p.last_name, sizeof p.last_name, "Işık");
    snprintf(p.birth_place, sizeof p.birth_place, "Batman");
    assert_int_equal(core_date_from_ymd(1980, 3, 15, &p.birth_date), 0);
    snprintf(p.institution_name, sizeof p.institution_name, "Batman İl Milli Eğitim Müdürlüğü");
    p.province = 72;
    snprintf(p.district, sizeof p.district, "Merkez");
    snprintf(p.unit, sizeof p.unit, "Bilgi İşlem");
    snprintf(p.title, sizeof p.title, "Öğretmen");
    p.duty = CORE_DUTY_ACTIVE;
    p.entitled = true;
    snprintf(p.email, sizeof p.email, "ayse.isik@meb.gov.tr");
    snprintf(p.mobile_phone, sizeof p.mobile_phone, "%s", mobile);
    assert_int_equal(store_personnel_import_begin(s), STORE_OK);
    assert_int_equal(store_personnel_import_row(s, &p), STORE_OK);
    assert_int_equal(store_personnel_import_commit(s, NULL), STORE_OK);
}

static void add_cert(struct store *s, const char *tckn, int64_t not_before, int64_t not_after)
{
    struct core_certificate c;
    memset(&c, 0, sizeof c);
    snprintf(c.fingerprint, sizeof c.fingerprint, "%064lld", (long long)not_after);
    snprintf(c.tckn, sizeof c.tckn, "%s", tckn);
    snprintf(c.serial, sizeof c.serial, "%llX", (long long)not_after);
    snprintf(c.issuer, sizeof c.issuer, "CN=Test CA");
    c.not_before = not_before;
    c.not_after = not_after;
    static const unsigned char der[] = {0x30, 0x00};
    assert_int_equal(store_certificate_put(s, &c, der, sizeof der, NULL), STORE_OK);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/eimza-portal.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    snprintf(f->url, sizeof f->url, "sqlite:%s", f->path);
    char err[256];
    if (store_open_create(f->url, &f->s, err, sizeof err) != STORE_OK ||
        store_migrate(f->s, NULL, NULL) != STORE_OK)
        return -1;
    if (app_settings_default(&f->set) < 0 ||
        app_settings_seal_key(&f->set, NULL, true, err, sizeof err) < 0) /* the dev key */
        return -1;
    add_person(f->s, TCKN, "5321234567");
    add_cert(f->s, TCKN, T0 - 1035 * DAY, T0 + 60 * DAY); /* in the renewal window */
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->s);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    app_settings_free(&f->set);
    free(f);
    return 0;
}

/* The first column of the first row of sql, as text. */
static void query(struct fx *f, const char *sql, char *out, size_t n)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    out[0] = '\0';
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static long query_long(struct fx *f, const char *sql)
{
    char buf[64];
    query(f, sql, buf, sizeof buf);
    return strtol(buf, NULL, 10);
}

static bool has_field(const struct app_err *e, const char *field, const char *code)
{
    for (size_t i = 0; i < e->nfields; i++)
        if (!strcmp(e->fields[i].field, field) && !strcmp(e->fields[i].code, code))
            return true;
    return false;
}

/* ---- captcha ------------------------------------------------------------------------------- */

static void test_captcha(void **state)
{
    struct fx *f = *state;
    struct app_captcha c, p;
    struct app_err err;
    assert_int_equal(app_captcha_new(at(f, T0), &c, &err), APP_OK);
    assert_int_equal(strlen(c.id), APP_CAPTCHA_ID_LEN);
    assert_int_equal(strlen(c.text), APP_CAPTCHA_LEN);
    for (size_t i = 0; i < APP_CAPTCHA_LEN; i++)
        assert_non_null(strchr(APP_CAPTCHA_ALPHABET, c.text[i]));
    assert_int_equal(c.expires_at, T0 + 300);

    assert_int_equal(app_captcha_peek(at(f, T0 + 10), c.id, &p, &err), APP_OK);
    assert_string_equal(p.text, c.text);
    assert_true(p.seed == c.seed); /* the same picture every time */
    assert_int_equal(app_captcha_peek(at(f, T0 + 300), c.id, &p, &err), APP_ENOTFOUND);

    /* right answer in lower case with spaces around: accepted once */
    char lower[16];
    snprintf(lower, sizeof lower, " %s ", c.text);
    for (char *q = lower; *q; q++)
        if (*q >= 'A' && *q <= 'Z')
            *q = (char)(*q - 'A' + 'a');
    assert_int_equal(app_captcha_check(at(f, T0 + 20), c.id, lower, &err), APP_OK);
    assert_int_equal(app_captcha_check(at(f, T0 + 21), c.id, c.text, &err), APP_EINVAL);
    assert_string_equal(err.code, "captcha_expired"); /* reused */
    assert_int_equal(app_captcha_peek(at(f, T0 + 22), c.id, &p, &err), APP_ENOTFOUND);

    /* a wrong answer uses it up too */
    assert_int_equal(app_captcha_new(at(f, T0), &c, &err), APP_OK);
    assert_int_equal(app_captcha_check(at(f, T0 + 1), c.id, "XXXXX", &err), APP_EINVAL);
    assert_string_equal(err.code, strcmp(c.text, "XXXXX") ? "captcha_wrong" : "captcha_expired");
    assert_int_equal(app_captcha_check(at(f, T0 + 2), c.id, c.text, &err), APP_EINVAL);
    assert_string_equal(err.code, "captcha_expired");

    /* expired */
    assert_int_equal(app_captcha_new(at(f, T0), &c, &err), APP_OK);
    assert_int_equal(app_captcha_check(at(f, T0 + 300), c.id, c.text, &err), APP_EINVAL);
    assert_string_equal(err.code, "captcha_expired");
    /* unknown */
    assert_int_equal(
        app_captcha_check(at(f, T0), "0123456789abcdef0123456789abcdef", "AAAAA", &err),
        APP_EINVAL);
    assert_string_equal(err.code, "captcha_expired");
}

/* ---- login --------------------------------------------------------------------------------- */

static enum app_status login_as(struct fx *f, int64_t now, const char *addr, const char *tckn,
                                const char *first, const char *last, const char *place,
                                const char *date, struct app_login_ok *ok, struct app_err *err)
{
    struct app_captcha c;
    assert_int_equal(app_captcha_new(at(f, now), &c, err), APP_OK);
    struct app_login_req rq = {tckn, first, last, place, date, c.id, c.text};
    return app_login(at_addr(f, now, addr), &rq, ok, err);
}

static enum app_status login_ok(struct fx *f, int64_t now, struct app_login_ok *ok)
{
    struct app_err err;
    return login_as(f, now, "10.0.0.1", TCKN, "Ayşegül", "Işık", "Batman", "1980-03-15", ok, &err);
}

static void test_login(void **state)
{
    struct fx *f = *state;
    struct app_login_ok ok;
    struct app_err err;

    /* Turkish case folding: "AYŞEGÜL" / "ışık" / "BATMAN" are the record's names */
    assert_int_equal(
        login_as(f, T0, "10.0.0.1", TCKN, "AYŞEGÜL", "ışık", "BATMAN", "1980-03-15", &ok, &err),
        APP_OK);
    assert_int_equal(strlen(ok.token), APP_TOKEN_LEN);
    assert_int_equal(strlen(ok.csrf), APP_CSRF_LEN);
    assert_int_equal(ok.expires_at, T0 + f->set.portal.session_lifetime);
    /* the token is not in the database; its hash is */
    char sql[256], buf[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sessions WHERE token_hash LIKE '%%%s%%'",
             ok.token);
    assert_int_equal(query_long(f, sql), 0);
    assert_int_equal(query_long(f, "SELECT count(*) FROM sessions"), 1);
    query(f, "SELECT actor FROM audit_log WHERE action = 'login'", buf, sizeof buf);
    assert_string_equal(buf, "applicant:100******46");

    /* spaces inside the T.C. Kimlik No are dropped; the two i's are one letter (İŞİK = Işık) */
    char spaced[32];
    snprintf(spaced, sizeof spaced, " %.3s %.3s %.3s %.2s ", TCKN, TCKN + 3, TCKN + 6, TCKN + 9);
    assert_int_equal(
        login_as(f, T0, "10.0.0.1", spaced, "Aysegül", "İŞİK", "batman", "1980-03-15", &ok, &err),
        APP_EAUTH); /* the name is wrong (s for ş): the number itself was accepted */
    assert_string_equal(err.code, "login_failed");
    assert_int_equal(
        login_as(f, T0, "10.0.0.1", spaced, "AYŞEGÜL", "İŞİK", "batman", "1980-03-15", &ok, &err),
        APP_OK);
    assert_int_equal(login_as(f, T0, "10.0.0.1", "100 000 001 466", "Ayşegül", "Işık", "Batman",
                              "1980-03-15", &ok, &err),
                     APP_EINVAL);
    assert_true(has_field(&err, "tckn", "tckn_length"));

    /* "AYSEGÜL" is not "AYŞEGÜL": ş is not s */
    assert_int_equal(
        login_as(f, T0, "10.0.0.1", TCKN, "AYSEGÜL", "Işık", "Batman", "1980-03-15", &ok, &err),
        APP_EAUTH);
    assert_string_equal(err.code, "login_failed");

    /* malformed input: invalid_fields, naming each field */
    assert_int_equal(
        login_as(f, T0, "10.0.0.1", "10000000147", "", "Işık", "Batman", "1980-02-30", &ok, &err),
        APP_EINVAL);
    assert_string_equal(err.code, "invalid_fields");
    assert_true(has_field(&err, "tckn", "tckn_checksum"));
    assert_true(has_field(&err, "first_name", "required"));
    assert_true(has_field(&err, "birth_date", "date_format"));
    assert_int_equal(err.nfields, 3);

    /* even a malformed request uses the captcha up */
    struct app_captcha c;
    assert_int_equal(app_captcha_new(at(f, T0), &c, &err), APP_OK);
    struct app_login_req bad = {"1", "Ayşegül", "Işık", "Batman", "1980-03-15", c.id, c.text};
    assert_int_equal(app_login(at_addr(f, T0, "10.0.0.1"), &bad, &ok, &err), APP_EINVAL);
    assert_string_equal(err.code, "invalid_fields");
    struct app_login_req good = {TCKN, "Ayşegül", "Işık", "Batman", "1980-03-15", c.id, c.text};
    assert_int_equal(app_login(at_addr(f, T0, "10.0.0.1"), &good, &ok, &err), APP_EINVAL);
    assert_string_equal(err.code, "captcha_expired");
}

/* Every identity failure answers alike: wrong name, wrong date, wrong place, no record. */
static void test_login_same_answer(void **state)
{
    struct fx *f = *state;
    struct app_login_ok ok;
    struct app_err a, b, c, d;
    assert_int_equal(
        login_as(f, T0, "10.0.0.2", TCKN, "Fatma", "Işık", "Batman", "1980-03-15", &ok, &a),
        APP_EAUTH);
    assert_int_equal(
        login_as(f, T0, "10.0.0.2", TCKN, "Ayşegül", "Işık", "Batman", "1980-03-16", &ok, &b),
        APP_EAUTH);
    assert_int_equal(
        login_as(f, T0, "10.0.0.2", TCKN, "Ayşegül", "Işık", "Siirt", "1980-03-15", &ok, &c),
        APP_EAUTH);
    assert_int_equal(
        login_as(f, T0, "10.0.0.2", OTHER, "Ayşegül", "Işık", "Batman", "1980-03-15", &ok, &d),
        APP_EAUTH);
    const struct app_err *all[] = {&a, &b, &c, &d};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(all[i]->code, "login_failed");
        assert_int_equal(all[i]->nfields, 0);
        assert_int_equal(all[i]->retry_after, 0);
    }
}

static void test_login_lockouts(void **state)
{
    struct fx *f = *state;
    struct app_login_ok ok;
    struct app_err err;
    /* five failures for one person lock that person (any address) for the window */
    for (int i = 0; i < 5; i++)
        assert_int_equal(login_as(f, T0, i % 2 ? "10.0.0.3" : "10.0.0.4", TCKN, "Yanlış", "Işık",
                                  "Batman", "1980-03-15", &ok, &err),
                         APP_EAUTH);
    assert_int_equal(
        login_as(f, T0 + 5, "10.0.0.5", TCKN, "Ayşegül", "Işık", "Batman", "1980-03-15", &ok, &err),
        APP_ETOOMANY);
    assert_string_equal(err.code, "too_many_attempts");
    int64_t ws = T0 - T0 % 900;
    assert_int_equal(err.retry_after, ws + 900 - (T0 + 5));
    assert_true(err.retry_after > 0);
    /* the lock-out is audited, with the number masked */
    char buf[128];
    query(f, "SELECT object FROM audit_log WHERE action = 'login.lockout'", buf, sizeof buf);
    assert_string_equal(buf, "100******46");
    /* another person is not locked; the window's end unlocks */
    add_person(f->s, OTHER, "5329998877");
    assert_int_equal(login_as(f, T0 + 5, "10.0.0.5", OTHER, "Ayşegül", "Işık", "Batman",
                              "1980-03-15", &ok, &err),
                     APP_OK);
    assert_int_equal(login_as(f, ws + 900, "10.0.0.5", TCKN, "Ayşegül", "Işık", "Batman",
                              "1980-03-15", &ok, &err),
                     APP_OK);

    /* an address: wrong captchas count too */
    f->set.portal.login_max_per_addr = 3;
    for (int i = 0; i < 3; i++) {
        struct app_captcha c;
        assert_int_equal(app_captcha_new(at(f, ws + 1000), &c, &err), APP_OK);
        struct app_login_req rq = {TCKN, "Ayşegül", "Işık", "Batman", "1980-03-15", c.id, "22222"};
        assert_int_equal(app_login(at_addr(f, ws + 1000, "10.9.9.9"), &rq, &ok, &err), APP_EINVAL);
    }
    assert_int_equal(login_as(f, ws + 1000, "10.9.9.9", TCKN, "Ayşegül", "Işık", "Batman",
                              "1980-03-15", &ok, &err),
                     APP_ETOOMANY);
    assert_int_equal(login_as(f, ws + 1000, "10.9.9.8", TCKN, "Ayşegül", "Işık", "Batman",
                              "1980-03-15", &ok, &err),
                     APP_OK);
}

/* ---- sessions ------------------------------------------------------------------------------ */

static void test_sessions(void **state)
{
    struct fx *f = *state;
    struct app_login_ok ok;
    struct app_err err;
    struct app_session ss;
    assert_int_equal(login_ok(f, T0, &ok), APP_OK);
    assert_int_equal(session_auth(f, ok.token, T0 + 10, &ss, &err), APP_OK);
    assert_string_equal(ss.subject, TCKN);
    assert_true(app_csrf_ok(&ss, ok.csrf));
    assert_false(app_csrf_ok(&ss, "nope"));
    assert_false(app_csrf_ok(&ss, ""));
    assert_false(app_csrf_ok(&ss, NULL));
    /* active: each request within the idle time keeps it alive ... */
    for (int64_t t = T0 + 1000; t < T0 + 5000; t += 1000)
        assert_int_equal(session_auth(f, ok.token, t, &ss, &err), APP_OK);
    /* ... up to the absolute end */
    int64_t t = T0 + 5000;
    for (; t < T0 + f->set.portal.session_lifetime; t += 1000)
        assert_int_equal(session_auth(f, ok.token, t, &ss, &err), APP_OK);
    assert_int_equal(session_auth(f, ok.token, T0 + f->set.portal.session_lifetime, &ss, &err),
                     APP_EAUTH);
    assert_string_equal(err.code, "session_required");

    /* idle */
    assert_int_equal(login_ok(f, T0, &ok), APP_OK);
    assert_int_equal(session_auth(f, ok.token, T0 + f->set.portal.session_idle, &ss, &err),
                     APP_EAUTH);
    /* logout, and garbage */
    assert_int_equal(login_ok(f, T0, &ok), APP_OK);
    (void)session_auth(f, ok.token, T0, &ss, &err); /* logging out is a request of the session */
    assert_int_equal(app_logout(as(f, &ss, T0 + 1), &err), APP_OK);
    assert_int_equal(session_auth(f, ok.token, T0 + 1, &ss, &err), APP_EAUTH);
    assert_int_equal(session_auth(f, "short", T0, &ss, &err), APP_EAUTH);
    assert_int_equal(session_auth(f, NULL, T0, &ss, &err), APP_EAUTH);
}

/* ---- the form ------------------------------------------------------------------------------ */

static void session(struct fx *f, int64_t now, struct app_session *ss)
{
    struct app_login_ok ok;
    struct app_err err;
    assert_int_equal(login_ok(f, now, &ok), APP_OK);
    assert_int_equal(session_auth(f, ok.token, now, ss, &err), APP_OK);
}

static void good_form(struct app_form *fm)
{
    memset(fm, 0, sizeof *fm);
    fm->v[APP_F_REASON] = "renewal";
    fm->v[APP_F_CARD_READER] = "mini kart okuyucu";
    fm->v[APP_F_VALIDITY_YEARS] = "2";
    fm->v[APP_F_SECURITY_WORD] = "Mavi Kelebek 7";
    fm->v[APP_F_SECURITY_WORD_REPEAT] = "Mavi Kelebek 7";
    fm->v[APP_F_ADDRESS] = "  Cumhuriyet   Cad. No: 5 ";
    fm->v[APP_F_PROVINCE] = "72";
    fm->v[APP_F_POSTAL_CODE] = "72100";
    fm->v[APP_F_WORK_PHONE] = "0 (488) 212 12 12";
    fm->v[APP_F_WORK_PHONE_EXT] = "123";
    fm->v[APP_F_MOBILE_PHONE] = "0532 123 45 67";
    fm->v[APP_F_MOBILE_OPERATOR] = "turkcell";
    fm->v[APP_F_NOTIFY_BY] = "sms";
}

static void test_form(void **state)
{
    struct fx *f = *state;
    struct app_session ss;
    struct app_view v, v2;
    struct app_err err;
    session(f, T0, &ss);

    assert_int_equal(app_application_current(as(f, &ss, T0), &v, &err), APP_OK);
    assert_int_equal(strlen(v.app.number), 10);
    assert_string_equal(v.app.state, "draft");
    assert_string_equal(v.app.first_name, "Ayşegül");
    assert_string_equal(v.app.unit, "Bilgi İşlem");
    assert_string_equal(v.app.email, "ayse.isik@meb.gov.tr");
    assert_string_equal(v.app.mobile_phone, "5321234567");
    assert_int_equal(v.app.province, 72);
    assert_string_equal(v.app.reason, "renewal");
    assert_int_equal(v.app.validity_years, 3);
    assert_false(v.app.confirmed);
    assert_int_equal(v.inelig, 0);
    assert_int_equal(v.phase, CORE_PHASE_OPEN);
    assert_int_equal(v.methods, CORE_METHOD_ESIGN | CORE_METHOD_WET);
    assert_string_equal(v.csrf, ss.csrf);
    /* the same application the next time, and the session is bound to it */
    assert_int_equal(app_application_current(as(f, &ss, T0 + 5), &v2, &err), APP_OK);
    assert_int_equal(v2.app.id, v.app.id);
    assert_int_equal(query_long(f, "SELECT count(*) FROM applications"), 1);
    assert_int_equal(
        query_long(f, "SELECT count(*) FROM sessions WHERE application_id IS NOT NULL"), 1);

    /* every problem on its own field */
    struct app_form fm;
    good_form(&fm);
    fm.v[APP_F_POSTAL_CODE] = "06100"; /* Ankara's, not Batman's */
    fm.v[APP_F_EMAIL] = "ayse@";
    fm.v[APP_F_SECURITY_WORD_REPEAT] = "Mavi Kelebek 8";
    fm.v[APP_F_REASON] = "whim";
    fm.v[APP_F_VALIDITY_YEARS] = "4";
    fm.v[APP_F_MOBILE_PHONE] = "0532 999 45 67"; /* read-only: the record's number */
    fm.v[APP_F_FIRST_NAME] = "Fatma";            /* read-only, changed */
    fm.v[APP_F_LAST_NAME] = "IŞIK";              /* read-only, the same name */
    fm.v[APP_F_TCKN] = "100******46";            /* masked as shown: unchanged */
    fm.v[APP_F_CARD_READER] = "Laser reader";
    fm.v[APP_F_NOTIFY_BY] = "pigeon";
    fm.v[APP_F_MOBILE_OPERATOR] = "";
    fm.pre[fm.npre++] = (struct app_field_error){"frobnicate", "unknown_field"};
    assert_int_equal(app_application_update(as(f, &ss, T0 + 10), &fm, &v2, &err), APP_EINVAL);
    assert_string_equal(err.code, "invalid_fields");
    assert_true(has_field(&err, "postal_code", "postal_province"));
    assert_true(has_field(&err, "email", "email_format"));
    assert_true(has_field(&err, "security_word_repeat", "security_word_mismatch"));
    assert_true(has_field(&err, "reason", "reason_unknown"));
    assert_true(has_field(&err, "validity_years", "validity_years_range"));
    assert_true(has_field(&err, "mobile_phone", "read_only"));
    assert_true(has_field(&err, "first_name", "read_only"));
    assert_true(has_field(&err, "card_reader", "card_reader_unknown"));
    assert_true(has_field(&err, "notify_by", "notify_by_unknown"));
    assert_true(has_field(&err, "mobile_operator", "required"));
    assert_true(has_field(&err, "frobnicate", "unknown_field"));
    assert_int_equal(err.nfields, 11);
    /* nothing was saved */
    assert_int_equal(query_long(f, "SELECT confirmed FROM applications"), 0);

    /* security word rules */
    const struct {
        const char *w, *code;
    } words[] = {{"kısa", "security_word_length"},
                 {"123456789", "security_word_digits"},
                 {"AYŞEGÜL", "security_word_name"},
                 {"ayşegül", "security_word_name"},
                 {"abcdefghijklmnopqrstuvwxyz0123456", "security_word_length"}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        good_form(&fm);
        fm.v[APP_F_SECURITY_WORD] = fm.v[APP_F_SECURITY_WORD_REPEAT] = words[i].w;
        assert_int_equal(app_application_update(as(f, &ss, T0 + 10), &fm, &v2, &err), APP_EINVAL);
        assert_true(has_field(&err, "security_word", words[i].code));
    }
    /* the first save needs a word */
    good_form(&fm);
    fm.v[APP_F_SECURITY_WORD] = fm.v[APP_F_SECURITY_WORD_REPEAT] = NULL;
    assert_int_equal(app_application_update(as(f, &ss, T0 + 10), &fm, &v2, &err), APP_EINVAL);
    assert_true(has_field(&err, "security_word", "required"));

    /* valid: saved, confirmed, normalised; the word only as an Argon2id hash */
    good_form(&fm);
    assert_int_equal(app_application_update(as(f, &ss, T0 + 20), &fm, &v2, &err), APP_OK);
    assert_true(v2.app.confirmed);
    assert_string_equal(v2.app.address, "Cumhuriyet Cad. No: 5");
    assert_string_equal(v2.app.work_phone, "4882121212");
    assert_string_equal(v2.app.card_reader, "Mini Kart Okuyucu");
    assert_int_equal(v2.app.validity_years, 2);
    assert_false(v2.app.late); /* 60 days before expiry: before the deadline */
    assert_true(v2.security_word_set);
    char hash[256];
    query(f, "SELECT security_word_hash FROM applications", hash, sizeof hash);
    assert_memory_equal(hash, "$argon2id$", 10);
    assert_null(strstr(hash, "Kelebek"));
    assert_int_equal(query_long(f, "SELECT count(*) FROM applications WHERE "
                                   "security_word_hash LIKE '%Kelebek%'"),
                     0);
    /* a later save without the word keeps it */
    good_form(&fm);
    fm.v[APP_F_SECURITY_WORD] = fm.v[APP_F_SECURITY_WORD_REPEAT] = "";
    fm.v[APP_F_ADDRESS] = "İnönü Cad. 7";
    assert_int_equal(app_application_update(as(f, &ss, T0 + 30), &fm, &v2, &err), APP_OK);
    char hash2[256];
    query(f, "SELECT security_word_hash FROM applications", hash2, sizeof hash2);
    assert_string_equal(hash, hash2);
}

static void confirm(struct fx *f, const struct app_session *ss, int64_t now)
{
    struct app_form fm;
    struct app_view v;
    struct app_err err;
    assert_int_equal(app_application_current(as(f, ss, now), &v, &err), APP_OK);
    good_form(&fm);
    assert_int_equal(app_application_update(as(f, ss, now), &fm, &v, &err), APP_OK);
}

/* The code of the newest SMS of the outbox: kept as the template otp_code and its values, never
 * in them (the mark is in the template's text), only sealed apart (issue 19, finding 4); the
 * text rendered and the code put in as the sender does, in Turkish: the words and the code. */
static void last_code(struct fx *f, char code[7])
{
    char body[512], tpl[32], params[512], key[64], sealed[CRYPTO_SEAL_TEXT_MAX],
        plain[CRYPTO_SEAL_PLAIN_MAX + 1];
    query(f, "SELECT coalesce(body, '') FROM outbox ORDER BY id DESC LIMIT 1", body, sizeof body);
    assert_string_equal(body, "");
    query(f, "SELECT template FROM outbox ORDER BY id DESC LIMIT 1", tpl, sizeof tpl);
    assert_string_equal(tpl, "otp_code");
    query(f, "SELECT params FROM outbox ORDER BY id DESC LIMIT 1", params, sizeof params);
    query(f, "SELECT dedupe_key FROM outbox ORDER BY id DESC LIMIT 1", key, sizeof key);
    query(f, "SELECT secret FROM outbox ORDER BY id DESC LIMIT 1", sealed, sizeof sealed);
    assert_int_equal(crypto_unseal(f->set.seal_key, key, sealed, plain, sizeof plain),
                     CRYPTO_UNSEAL_OK);
    assert_int_equal(strlen(plain), 6);
    memcpy(code, plain, 7);
    /* the values: the number and the code's life, not the code */
    char want[256];
    snprintf(want, sizeof want, "{\"number\":\"%.*s\",\"minutes\":\"5\",\"seconds\":\"300\"}",
             (int)(strrchr(key, ':') - key - 4), key + 4);
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
    assert_int_equal(notify_code_fill(f->set.seal_key, &m, ubuf_str(&text), &sent, NULL), 0);
    snprintf(want, sizeof want,
             "e-imza başvurunuz (%.*s) için SMS onay kodunuz: %s. Kod 5 dakika (300 saniye) "
             "geçerlidir. Bu kodu kimseyle paylaşmayınız.",
             (int)(strrchr(key, ':') - key - 4), key + 4, code);
    assert_string_equal(ubuf_str(&sent), want);
    ubuf_free(&text);
    ubuf_free(&sent);
    notify_templates_free(set);
}

static void wrong_code(const char right[7], char out[7])
{
    memcpy(out, right, 7);
    out[0] = out[0] == '9' ? '0' : (char)(out[0] + 1);
}

/* ---- the SMS code -------------------------------------------------------------------------- */

static void test_otp(void **state)
{
    struct fx *f = *state;
    struct app_session ss;
    struct app_otp_sent sent;
    struct app_err err;
    char code[7], bad[7];
    session(f, T0, &ss);

    /* the form must be confirmed first */
    struct app_view v;
    assert_int_equal(app_application_current(as(f, &ss, T0), &v, &err), APP_OK);
    assert_int_equal(app_otp_send(as(f, &ss, T0), &sent, &err), APP_ECONFLICT);
    assert_string_equal(err.code, "form_not_confirmed");
    confirm(f, &ss, T0);

    /* what the page shows before any code: the masked number, nothing to enter */
    struct app_otp_state st;
    assert_int_equal(app_otp_status(as(f, &ss, T0), &st, &err), APP_OK);
    assert_true(st.has_phone);
    assert_string_equal(st.masked_phone, "5*******67");
    assert_false(st.live);
    assert_int_equal(st.resend_in, 0);
    assert_int_equal(st.locked_for, 0);

    assert_int_equal(app_otp_send(as(f, &ss, T0), &sent, &err), APP_OK);
    assert_string_equal(sent.masked_phone, "5*******67");
    assert_int_equal(sent.expires_in, 300);
    assert_int_equal(app_otp_status(as(f, &ss, T0 + 10), &st, &err), APP_OK);
    assert_true(st.live);
    assert_int_equal(st.expires_in, 290);
    assert_int_equal(st.resend_in, f->set.portal.rules.otp_cooldown_seconds - 10);
    /* the SMS: to the number on file, in Turkish, with the code; only a hash is stored */
    char to[32], body[512];
    query(f, "SELECT recipient FROM outbox", to, sizeof to);
    assert_string_equal(to, "5321234567");
    query(f, "SELECT template || ' ' || params FROM outbox", body, sizeof body);
    assert_non_null(strstr(body, "otp_code {"));
    assert_non_null(strstr(body, v.app.number));
    last_code(f, code);
    assert_null(strstr(body, code));
    assert_int_equal(strspn(code, "0123456789"), 6);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM application_otp WHERE code_hash LIKE '%%%s%%'",
             code);
    assert_int_equal(query_long(f, sql), 0);

    /* cool-down */
    assert_int_equal(app_otp_send(as(f, &ss, T0 + 10), &sent, &err), APP_ETOOMANY);
    assert_string_equal(err.code, "otp_cooldown");
    assert_int_equal(err.retry_after, f->set.portal.rules.otp_cooldown_seconds - 10);

    /* two wrong entries, then a new code: the count is not reset */
    wrong_code(code, bad);
    assert_int_equal(app_otp_verify(as(f, &ss, T0 + 20), bad, &err), APP_EINVAL);
    assert_string_equal(err.code, "otp_wrong");
    assert_int_equal(err.remaining, 2);
    assert_int_equal(app_otp_verify(as(f, &ss, T0 + 21), "abc", &err), APP_EINVAL);
    assert_int_equal(err.remaining, 1);
    assert_int_equal(app_otp_send(as(f, &ss, T0 + 100), &sent, &err), APP_OK);
    last_code(f, code);
    wrong_code(code, bad);
    assert_int_equal(app_otp_verify(as(f, &ss, T0 + 110), bad, &err), APP_EINVAL);
    assert_int_equal(err.remaining, 0);
    assert_true(err.retry_after > 0);
    /* the fourth entry is refused, even the right code, even after a new code */
    assert_int_equal(app_otp_verify(as(f, &ss, T0 + 120), code, &err), APP_ETOOMANY);
    assert_string_equal(err.code, "otp_locked");
    assert_int_equal(err.retry_after, 3600 + 20 - 120); /* from the first wrong entry */
    assert_int_equal(app_otp_send(as(f, &ss, T0 + 200), &sent, &err), APP_ETOOMANY);
    assert_string_equal(err.code, "otp_locked");
    assert_int_equal(query_long(f, "SELECT state = 'draft' FROM applications"), 1);
    /* the page knows the entries are locked, and until when, though a code is unexpired */
    assert_int_equal(app_otp_status(as(f, &ss, T0 + 200), &st, &err), APP_OK);
    assert_false(st.live);
    assert_int_equal(st.expires_in, 0);
    assert_int_equal(st.locked_for, 3600 + 20 - 200);

    /* the hour passes: a new code, and an expired one is refused */
    assert_int_equal(app_otp_send(as(f, &ss, T0 + 3700), &sent, &err), APP_OK);
    last_code(f, code);
    assert_int_equal(app_otp_status(as(f, &ss, T0 + 3700 + 300), &st, &err), APP_OK);
    assert_false(st.live); /* expired */
    assert_int_equal(app_otp_verify(as(f, &ss, T0 + 3700 + 300), code, &err), APP_EINVAL);
    assert_string_equal(err.code, "otp_expired");

    /* the right code in time; the codes sent before are dropped when a new one goes */
    assert_int_equal(app_otp_send(as(f, &ss, T0 + 4100), &sent, &err), APP_OK);
    last_code(f, code);
    assert_int_equal(query_long(f, "SELECT count(*) FROM outbox WHERE secret IS NOT NULL"), 1);
    assert_int_equal(app_otp_verify(as(f, &ss, T0 + 4200), code, &err), APP_OK);
    /* used: no message keeps it (issue 19, finding 4) */
    assert_int_equal(query_long(f, "SELECT count(*) FROM outbox WHERE secret IS NOT NULL"), 0);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM outbox WHERE body LIKE '%%%s%%'", code);
    assert_int_equal(query_long(f, sql), 0);
    assert_int_equal(query_long(f, "SELECT state = 'code_verified' FROM applications"), 1);
    /* single use: the code step is over */
    assert_int_equal(app_otp_verify(as(f, &ss, T0 + 4201), code, &err), APP_ECONFLICT);
    assert_string_equal(err.code, "wrong_state");
    assert_int_equal(app_otp_send(as(f, &ss, T0 + 4300), &sent, &err), APP_ECONFLICT);
}

static void test_otp_hourly_limit(void **state)
{
    struct fx *f = *state;
    struct app_session ss;
    struct app_otp_sent sent;
    struct app_err err;
    session(f, T0, &ss);
    confirm(f, &ss, T0);
    int64_t t = T0;
    for (int i = 0; i < f->set.portal.rules.otp_max_per_hour;
         i++, t += f->set.portal.rules.otp_cooldown_seconds)
        assert_int_equal(app_otp_send(as(f, &ss, t), &sent, &err), APP_OK);
    assert_int_equal(app_otp_send(as(f, &ss, t), &sent, &err), APP_ETOOMANY);
    assert_string_equal(err.code, "otp_hourly_limit");
    assert_int_equal(err.retry_after, T0 + 3600 - t);
    assert_int_equal(app_otp_send(as(f, &ss, T0 + 3600), &sent, &err), APP_OK);
    /* each code its own SMS, deduplicated per code */
    assert_int_equal(query_long(f, "SELECT count(DISTINCT dedupe_key) FROM outbox"),
                     f->set.portal.rules.otp_max_per_hour + 1);
}

/* No mobile number on file: no code, and the message says whom to call. */
static void test_otp_no_mobile(void **state)
{
    struct fx *f = *state;
    struct app_session ss;
    struct app_otp_sent sent;
    struct app_view v;
    struct app_form fm;
    struct app_err err;
    /* no number on record: the form says so on its field, and cannot be confirmed */
    add_person(f->s, TCKN, "");
    session(f, T0, &ss);
    assert_int_equal(app_application_current(as(f, &ss, T0), &v, &err), APP_OK);
    assert_string_equal(v.app.mobile_phone, "");
    good_form(&fm);
    fm.v[APP_F_MOBILE_PHONE] = NULL;
    assert_int_equal(app_application_update(as(f, &ss, T0), &fm, &v, &err), APP_EINVAL);
    assert_true(has_field(&err, "mobile_phone", "no_mobile_on_file"));
    assert_string_equal(app_field_message("mobile_phone", "no_mobile_on_file", CORE_LANG_TR, false),
                        app_reason_text("no_mobile_on_file", CORE_LANG_TR));
    /* a number typed in its place is not taken: the code would go to the record's */
    fm.v[APP_F_MOBILE_PHONE] = "0532 123 45 67";
    assert_int_equal(app_application_update(as(f, &ss, T0), &fm, &v, &err), APP_EINVAL);
    assert_true(has_field(&err, "mobile_phone", "read_only"));
    /* the record gets a number, the form is confirmed; the record loses it again: no code */
    add_person(f->s, TCKN, "5321234567");
    confirm(f, &ss, T0);
    add_person(f->s, TCKN, "");
    assert_int_equal(app_otp_send(as(f, &ss, T0), &sent, &err), APP_ECONFLICT);
    assert_string_equal(err.code, "no_mobile_on_file");
}

/* The mobile number is the personnel record's (issue 17, point 1): the form shows it locked,
 * a record corrected meanwhile shows at once, and the code goes to the number the application
 * (and its printed form) then carries. */
static void test_mobile_from_record(void **state)
{
    struct fx *f = *state;
    struct app_session ss;
    struct app_otp_sent sent;
    struct app_view v;
    struct app_form fm;
    struct app_err err;
    session(f, T0, &ss);
    confirm(f, &ss, T0);
    assert_true(app_field_read_only(APP_F_MOBILE_PHONE));
    add_person(f->s, TCKN, "5559876543"); /* the personnel unit corrected it */
    assert_int_equal(app_application_current(as(f, &ss, T0 + 5), &v, &err), APP_OK);
    assert_string_equal(v.app.mobile_phone, "5559876543");
    assert_int_equal(query_long(f, "SELECT count(*) FROM applications WHERE mobile_phone = "
                                   "'5321234567'"),
                     1); /* not yet written: a page view changes nothing */
    /* the old number sent back is now a change */
    good_form(&fm);
    assert_int_equal(app_application_update(as(f, &ss, T0 + 6), &fm, &v, &err), APP_EINVAL);
    assert_true(has_field(&err, "mobile_phone", "read_only"));
    assert_non_null(
        strstr(app_field_message("mobile_phone", "read_only", CORE_LANG_TR, false), "özlük"));
    /* the code goes to the record's number, and the application carries it */
    assert_int_equal(app_otp_send(as(f, &ss, T0 + 7), &sent, &err), APP_OK);
    assert_string_equal(sent.masked_phone, "5*******43");
    char to[32];
    query(f, "SELECT recipient FROM outbox", to, sizeof to);
    assert_string_equal(to, "5559876543");
    query(f, "SELECT mobile_phone FROM applications", to, sizeof to);
    assert_string_equal(to, "5559876543");
    /* the new number, in any form, is accepted back unchanged */
    good_form(&fm);
    fm.v[APP_F_MOBILE_PHONE] = "+90 555 987 65 43";
    assert_int_equal(app_application_update(as(f, &ss, T0 + 8), &fm, &v, &err), APP_OK);
}

/* The form's draft (issue 17, point 3): what was typed, kept without the checks; never the
 * security word; each value cut to its field's limit; text only; removed when the form is
 * saved; only while the form can change. "Oturumu uzat" counts as activity. */
static void test_form_draft(void **state)
{
    struct fx *f = *state;
    struct app_session ss;
    struct app_view v;
    struct app_form fm;
    struct app_draft *d = malloc(sizeof *d);
    struct app_err err;
    assert_non_null(d);
    session(f, T0, &ss);
    assert_int_equal(app_application_current(as(f, &ss, T0), &v, &err), APP_OK);
    assert_int_equal(app_form_draft_get(as(f, &ss, T0), d, &err), APP_OK);
    assert_false(d->present);

    char longer[APP_ADDRESS_MAX + 40];
    memset(longer, 'x', sizeof longer - 1);
    memcpy(longer, "Gazi Bulvarı ", strlen("Gazi Bulvarı "));
    longer[sizeof longer - 1] = '\0';
    memset(&fm, 0, sizeof fm);
    fm.v[APP_F_ADDRESS] = longer;
    fm.v[APP_F_POSTAL_CODE] = "3"; /* half typed: no check */
    fm.v[APP_F_SECURITY_WORD] = "Gizli Sözcük 9";
    fm.v[APP_F_SECURITY_WORD_REPEAT] = "Gizli Sözcük 9";
    fm.v[APP_F_MOBILE_PHONE] = "0532 000 00 00"; /* the record's, not the draft's */
    assert_int_equal(app_form_draft_save(as(f, &ss, T0 + 10), &fm, &err), APP_OK);
    assert_int_equal(app_form_draft_get(as(f, &ss, T0 + 11), d, &err), APP_OK);
    assert_true(d->present);
    assert_int_equal(d->saved_at, T0 + 10);
    assert_true(d->has[APP_F_ADDRESS]);
    size_t chars = 0;
    for (const char *q = d->v[APP_F_ADDRESS]; *q; q++)
        chars += ((unsigned char)*q & 0xC0) != 0x80;
    assert_int_equal(chars, APP_ADDRESS_MAX); /* cut to the field's limit, in characters */
    assert_int_equal(strncmp(d->v[APP_F_ADDRESS], "Gazi Bulvarı x", strlen("Gazi Bulvarı x")), 0);
    assert_string_equal(d->v[APP_F_POSTAL_CODE], "3");
    assert_false(d->has[APP_F_SECURITY_WORD]);
    assert_false(d->has[APP_F_SECURITY_WORD_REPEAT]);
    assert_false(d->has[APP_F_MOBILE_PHONE]);
    assert_false(d->has[APP_F_UNIT]); /* not sent: not in the draft */
    assert_int_equal(query_long(f, "SELECT count(*) FROM application_drafts WHERE form LIKE "
                                   "'%Gizli%' OR form LIKE '%0532%'"),
                     0);

    /* not text: refused on its field, the draft before kept */
    memset(&fm, 0, sizeof fm);
    fm.v[APP_F_DISTRICT] = "Merk\xFF";
    assert_int_equal(app_form_draft_save(as(f, &ss, T0 + 12), &fm, &err), APP_EINVAL);
    assert_true(has_field(&err, "district", "not_utf8"));
    assert_int_equal(app_form_draft_get(as(f, &ss, T0 + 13), d, &err), APP_OK);
    assert_string_equal(d->v[APP_F_POSTAL_CODE], "3");

    /* "Oturumu uzat": the session was used now, its idle time starts again */
    int64_t left = 0;
    struct app_ctx *c = as(f, &ss, T0 + 600);
    assert_int_equal(app_session_extend(c, &left, &err), APP_OK);
    assert_int_equal(left, f->set.portal.session_idle);
    assert_int_equal(query_long(f, "SELECT max(last_seen) FROM sessions"), T0 + 600);

    /* the saved form removes the draft */
    good_form(&fm);
    assert_int_equal(app_application_update(as(f, &ss, T0 + 20), &fm, &v, &err), APP_OK);
    assert_int_equal(app_form_draft_get(as(f, &ss, T0 + 21), d, &err), APP_OK);
    assert_false(d->present);
    assert_int_equal(query_long(f, "SELECT count(*) FROM application_drafts"), 0);

    /* past the form (the application went): no draft any more */
    query(f, "UPDATE applications SET state = 'submitted'", (char[8]){0}, 8);
    memset(&fm, 0, sizeof fm);
    fm.v[APP_F_ADDRESS] = "Yeni adres";
    assert_int_equal(app_form_draft_save(as(f, &ss, T0 + 30), &fm, &err), APP_ECONFLICT);
    assert_string_equal(err.code, "wrong_state");
    free(d);
}

/* The registry number (kurum sicil no) comes from the personnel file's optional column. */
static void test_registry_no(void **state)
{
    struct fx *f = *state;
    struct app_session ss;
    struct app_view v;
    struct app_form fm;
    struct app_err err;
    session(f, T0, &ss);
    assert_int_equal(app_application_current(as(f, &ss, T0), &v, &err), APP_OK);
    assert_string_equal(v.app.registry_no, "");
    struct core_personnel p;
    assert_int_equal(store_personnel_get(f->s, TCKN, &p), STORE_OK);
    snprintf(p.registry_no, sizeof p.registry_no, "72-0146");
    assert_int_equal(store_personnel_import_begin(f->s), STORE_OK);
    assert_int_equal(store_personnel_import_row(f->s, &p), STORE_OK);
    assert_int_equal(store_personnel_import_commit(f->s, NULL), STORE_OK);
    assert_int_equal(app_application_current(as(f, &ss, T0), &v, &err), APP_OK);
    assert_string_equal(v.app.registry_no, "72-0146");
    good_form(&fm);
    fm.v[APP_F_REGISTRY_NO] = "72-0146"; /* sent back as shown */
    assert_int_equal(app_application_update(as(f, &ss, T0 + 1), &fm, &v, &err), APP_OK);
    char no[32];
    query(f, "SELECT registry_no FROM applications", no, sizeof no);
    assert_string_equal(no, "72-0146");
    fm.v[APP_F_REGISTRY_NO] = "99";
    assert_int_equal(app_application_update(as(f, &ss, T0 + 2), &fm, &v, &err), APP_EINVAL);
    assert_true(has_field(&err, "registry_no", "read_only"));
}

/* The fields' own messages, and the limits they state are the ones checked. */
static void test_field_messages(void **state)
{
    struct fx *f = *state;
    (void)f;
    const char *m = app_field_message("postal_code", "required", CORE_LANG_TR, false);
    assert_string_equal(m, app_text("field.postal_code.required", CORE_LANG_TR));
    assert_string_not_equal(m, app_reason_text("required", CORE_LANG_TR));
    /* a field without words of its own: the reason's */
    assert_string_equal(app_field_message("frobnicate", "required", CORE_LANG_EN, false),
                        app_reason_text("required", CORE_LANG_EN));
    static const struct {
        const char *field;
        enum app_field f;
        int limit;
    } lim[] = {
        {"unit", APP_F_UNIT, APP_UNIT_MAX},          {"title", APP_F_TITLE, APP_TITLE_MAX},
        {"address", APP_F_ADDRESS, APP_ADDRESS_MAX}, {"district", APP_F_DISTRICT, APP_DISTRICT_MAX},
        {"email", APP_F_EMAIL, APP_EMAIL_MAX},
    };
    for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++) {
        char num[16];
        snprintf(num, sizeof num, "%d", lim[i].limit);
        assert_int_equal(app_field_max_chars(lim[i].f), lim[i].limit);
        for (int l = 0; l < 2; l++)
            assert_non_null(
                strstr(app_field_message(lim[i].field, "too_long", (enum core_lang)l, false), num));
    }
    char lo[16], hi[16];
    snprintf(lo, sizeof lo, "%d", APP_SECURITY_WORD_MIN);
    snprintf(hi, sizeof hi, "%d", APP_SECURITY_WORD_MAX);
    for (int l = 0; l < 2; l++) {
        m = app_field_message("security_word", "security_word_length", (enum core_lang)l, false);
        assert_non_null(strstr(m, lo));
        assert_non_null(strstr(m, hi));
    }
}

/* A field longer than its limit in characters is too long, in letters not bytes: an address of
 * APP_ADDRESS_MAX two-byte letters fits. */
static void test_field_limits(void **state)
{
    struct fx *f = *state;
    struct app_session ss;
    struct app_view v;
    struct app_form fm;
    struct app_err err;
    char addr[4 * APP_ADDRESS_MAX], title[APP_TITLE_MAX + 2];
    session(f, T0, &ss);
    assert_int_equal(app_application_current(as(f, &ss, T0), &v, &err), APP_OK);
    size_t n = 0;
    for (int i = 0; i < APP_ADDRESS_MAX; i++, n += 2)
        memcpy(addr + n, "ş", 2);
    addr[n] = '\0';
    good_form(&fm);
    fm.v[APP_F_ADDRESS] = addr;
    assert_int_equal(app_application_update(as(f, &ss, T0), &fm, &v, &err), APP_OK);
    memcpy(addr + n, "ş", 3); /* one more, and the NUL */
    assert_int_equal(app_application_update(as(f, &ss, T0), &fm, &v, &err), APP_EINVAL);
    assert_true(has_field(&err, "address", "too_long"));
    memset(title, 'a', APP_TITLE_MAX + 1);
    title[APP_TITLE_MAX + 1] = '\0';
    good_form(&fm);
    fm.v[APP_F_TITLE] = title;
    assert_int_equal(app_application_update(as(f, &ss, T0), &fm, &v, &err), APP_EINVAL);
    assert_true(has_field(&err, "title", "too_long"));
    title[APP_TITLE_MAX] = '\0';
    assert_int_equal(app_application_update(as(f, &ss, T0), &fm, &v, &err), APP_OK);
}

/* ---- content, method, status --------------------------------------------------------------- */

static void verify(struct fx *f, const struct app_session *ss, int64_t now)
{
    struct app_otp_sent sent;
    struct app_err err;
    char code[7];
    confirm(f, ss, now);
    assert_int_equal(app_otp_send(as(f, ss, now), &sent, &err), APP_OK);
    last_code(f, code);
    assert_int_equal(app_otp_verify(as(f, ss, now + 5), code, &err), APP_OK);
}

static void test_content(void **state)
{
    struct fx *f = *state;
    struct app_session ss;
    struct app_err err;
    struct ubuf a = UBUF_INIT(8192), b = UBUF_INIT(8192);
    session(f, T0, &ss);
    struct app_view v;
    assert_int_equal(app_application_current(as(f, &ss, T0), &v, &err), APP_OK);
    assert_int_equal(app_content(as(f, &ss, T0), &a, &err), APP_ECONFLICT);
    assert_string_equal(err.code, "wrong_state");
    assert_int_equal(a.len, 0);

    verify(f, &ss, T0 + 10);
    assert_int_equal(app_content(as(f, &ss, T0), &a, &err), APP_OK);
    assert_int_equal(app_content(as(f, &ss, T0), &b, &err), APP_OK);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.p, b.p, a.len);
    char want[2048];
    snprintf(want, sizeof want,
             "%s\n\nAD: AYŞEGÜL\nSOYAD: IŞIK\nTC KİMLİK NUMARASI: 10000000146\n"
             "EPOSTA: ayse.isik@meb.gov.tr\nADRES: Cumhuriyet Cad. No: 5, 72100 Merkez/BATMAN\n"
             "KURUM ADI: Batman İl Milli Eğitim Müdürlüğü\nBAŞVURU NO: %s\n"
             "BAŞVURU TARİHİ: 15.06.2025\n",
             core_content_declaration, v.app.number);
    assert_string_equal(ubuf_str(&a), want);
    assert_null(strstr(ubuf_str(&a), "Kelebek")); /* never the security word */
    ubuf_free(&a);
    ubuf_free(&b);
}

static void test_method_and_status(void **state)
{
    struct fx *f = *state;
    struct app_session ss;
    struct app_err err;
    struct app_application a;
    struct app_status_view sv;
    session(f, T0, &ss);

    assert_int_equal(app_status_get(as_lang(f, &ss, T0, CORE_LANG_TR), &sv, &err), APP_ENOTFOUND);
    assert_string_equal(err.code, "no_application");

    struct app_view v;
    assert_int_equal(app_application_current(as(f, &ss, T0), &v, &err), APP_OK);
    assert_int_equal(app_method_choose(as(f, &ss, T0), "wet", &a, &err), APP_ECONFLICT);
    assert_string_equal(err.code, "wrong_state");
    verify(f, &ss, T0 + 10);
    assert_int_equal(app_method_choose(as(f, &ss, T0 + 20), "fax", &a, &err), APP_EINVAL);
    assert_true(has_field(&err, "method", "method_unknown"));
    assert_int_equal(app_method_choose(as(f, &ss, T0 + 20), "esign", &a, &err), APP_OK);
    assert_string_equal(a.state, "code_verified");
    assert_string_equal(a.method, "esign");
    assert_int_equal(app_method_choose(as(f, &ss, T0 + 30), "wet", &a, &err), APP_OK);
    assert_string_equal(a.state, "awaiting_original");
    assert_string_equal(a.method, "wet");
    assert_int_equal(app_method_choose(as(f, &ss, T0 + 40), "esign", &a, &err), APP_ECONFLICT);

    /* editing is over once the paper is awaited */
    struct app_form fm;
    good_form(&fm);
    assert_int_equal(app_application_update(as(f, &ss, T0 + 50), &fm, &v, &err), APP_ECONFLICT);
    assert_string_equal(err.code, "wrong_state");

    assert_int_equal(app_status_get(as_lang(f, &ss, T0 + 60, CORE_LANG_TR), &sv, &err), APP_OK);
    assert_string_equal(sv.app.state, "awaiting_original");
    assert_string_equal(sv.label, "Islak imzalı form bekleniyor");
    assert_non_null(strstr(sv.next, "posta"));
    assert_false(sv.delivery_overdue);
    assert_int_equal(sv.nevents, 4);
    assert_string_equal(sv.events[0].event, "created");
    assert_string_equal(sv.events[0].from, "");
    assert_string_equal(sv.events[1].event, "code_verified");
    assert_int_equal(sv.events[1].at, T0 + 15);
    assert_string_equal(sv.events[2].event, "esign_chosen");
    assert_string_equal(sv.events[3].event, "wet_chosen");
    assert_string_equal(sv.events[3].to, "awaiting_original");
    assert_string_equal(sv.events[3].label, "Islak imzalı başvuru (Yöntem 2) seçildi");
    /* the same status in English */
    assert_int_equal(app_status_get(as_lang(f, &ss, T0 + 61, CORE_LANG_EN), &sv, &err), APP_OK);
    assert_non_null(strstr(sv.next, "by registered post"));
    assert_non_null(strstr(sv.contact, "444 5 576"));
    assert_string_equal(sv.events[3].label,
                        "Signing method chosen: handwritten signature on paper (Method 2)");
    assert_string_equal(app_event_label("no_such_event", CORE_LANG_EN), "no_such_event");
}

/* Editing after the code was verified moves the application back (reopen). */
static void test_reopen(void **state)
{
    struct fx *f = *state;
    struct app_session ss;
    struct app_err err;
    struct app_view v;
    struct app_form fm;
    session(f, T0, &ss);
    verify(f, &ss, T0);
    /* the same form again changes nothing: no reopen */
    good_form(&fm);
    fm.v[APP_F_SECURITY_WORD] = fm.v[APP_F_SECURITY_WORD_REPEAT] = NULL;
    assert_int_equal(app_application_update(as(f, &ss, T0 + 20), &fm, &v, &err), APP_OK);
    assert_string_equal(v.app.state, "code_verified");
    fm.v[APP_F_ADDRESS] = "Yeni Adres 1";
    assert_int_equal(app_application_update(as(f, &ss, T0 + 30), &fm, &v, &err), APP_OK);
    assert_string_equal(v.app.state, "draft");
    assert_int_equal(query_long(f, "SELECT count(*) FROM application_events WHERE event = "
                                   "'reopen' AND from_state = 'code_verified'"),
                     1);
    struct ubuf b = UBUF_INIT(4096);
    assert_int_equal(app_content(as(f, &ss, T0), &b, &err), APP_ECONFLICT);
    ubuf_free(&b);
}

/* After expiry only the wet signature; a late application is flagged. */
static void test_expired_and_late(void **state)
{
    struct fx *f = *state;
    struct app_session ss;
    struct app_err err;
    struct app_view v;
    struct app_application a;
    add_cert(f->s, TCKN, T0 - DAY, T0 + 10 * DAY); /* the newest: 10 days left: late */
    session(f, T0, &ss);
    assert_int_equal(app_application_current(as(f, &ss, T0), &v, &err), APP_OK);
    assert_int_equal(v.phase, CORE_PHASE_LATE);
    assert_int_equal(v.nnotices, 1);
    assert_string_equal(v.notices[0], "late");
    confirm(f, &ss, T0);
    assert_int_equal(query_long(f, "SELECT late FROM applications"), 1);
    verify(f, &ss, T0 + 10);
    /* 11 days later the certificate has expired: esign is refused */
    struct app_session ss2;
    session(f, T0 + 11 * DAY, &ss2);
    assert_int_equal(app_method_choose(as(f, &ss2, T0 + 11 * DAY), "esign", &a, &err),
                     APP_ECONFLICT);
    assert_string_equal(err.code, "signing_method_not_allowed");
    assert_int_equal(app_method_choose(as(f, &ss2, T0 + 11 * DAY), "wet", &a, &err), APP_OK);
}

/* An ineligible person can still apply, and is told so. */
static void test_ineligible(void **state)
{
    struct fx *f = *state;
    struct app_session ss;
    struct app_err err;
    struct app_view v;
    session(f, T0, &ss);
    struct core_personnel p;
    assert_int_equal(store_personnel_get(f->s, TCKN, &p), STORE_OK);
    p.entitled = false;
    p.duty = CORE_DUTY_LEFT;
    assert_int_equal(store_personnel_import_begin(f->s), STORE_OK);
    assert_int_equal(store_personnel_import_row(f->s, &p), STORE_OK);
    assert_int_equal(store_personnel_import_commit(f->s, NULL), STORE_OK);
    assert_int_equal(app_application_current(as(f, &ss, T0), &v, &err), APP_OK);
    assert_int_equal(v.inelig, CORE_INELIG_NOT_IN_SERVICE | CORE_INELIG_NOT_ENTITLED);
    assert_string_equal(v.notices[0], "ineligible_warning");
}

/* Status: whom to call when the card is late. */
static void test_delivery_overdue(void **state)
{
    struct fx *f = *state;
    struct app_session ss;
    struct app_err err;
    struct app_status_view sv;
    struct store_application a;
    session(f, T0, &ss);
    verify(f, &ss, T0);
    assert_int_equal(store_app_latest(f->s, TCKN, &a), STORE_OK);
    /* an approver's decision, as the approval work will record it */
    struct store_application next = a;
    snprintf(next.state, sizeof next.state, "submitted");
    struct store_app_event e1 = {T0 + 100, "code_verified", "submitted", "signed", "applicant"};
    assert_int_equal(store_app_update(f->s, &next, "code_verified", &e1), STORE_OK);
    snprintf(next.state, sizeof next.state, "approved");
    struct store_app_event e2 = {T0 + DAY, "submitted", "approved", "approve", "staff:x"};
    assert_int_equal(store_app_update(f->s, &next, "submitted", &e2), STORE_OK);

    assert_int_equal(app_status_get(as_lang(f, &ss, T0 + 10 * DAY, CORE_LANG_TR), &sv, &err),
                     APP_OK);
    assert_false(sv.delivery_overdue);
    assert_non_null(strstr(sv.contact, "444 5 576"));
    struct app_session ss2;
    session(f, T0 + 16 * DAY, &ss2);
    assert_int_equal(app_status_get(as_lang(f, &ss2, T0 + 16 * DAY, CORE_LANG_TR), &sv, &err),
                     APP_OK);
    assert_true(sv.delivery_overdue);
    assert_non_null(strstr(sv.contact, "444 5 576"));
    assert_non_null(strstr(sv.contact, "ulaşmadı"));
    assert_string_equal(sv.label, "Onaylandı");
    assert_int_equal(app_status_get(as_lang(f, &ss2, T0 + 16 * DAY, CORE_LANG_EN), &sv, &err),
                     APP_OK);
    assert_non_null(strstr(sv.contact, "has not arrived"));

    /* where the cards are made in house: the card may be handed over at the office, not only
     * sent by courier (status.next_approved's twin), and the e-imza sorumlusu helps */
    assert_int_equal(app_status_get(as_lang(f, &ss, T0 + 10 * DAY, CORE_LANG_TR), &sv, &err),
                     APP_OK);
    assert_non_null(strstr(sv.next, "15 gün içinde kurye ile formdaki adrese"));
    assert_null(strstr(sv.next, "elden"));
    f->set.portal.production = APP_PRODUCTION_INHOUSE;
    assert_int_equal(app_status_get(as_lang(f, &ss, T0 + 10 * DAY, CORE_LANG_TR), &sv, &err),
                     APP_OK);
    assert_non_null(strstr(sv.next, "15 gün içinde size elden teslim edilecek ya da kurye ile"));
    assert_non_null(strstr(sv.contact, "e-imza sorumlusu"));
    assert_int_equal(app_status_get(as_lang(f, &ss, T0 + 10 * DAY, CORE_LANG_EN), &sv, &err),
                     APP_OK);
    assert_non_null(strstr(sv.next, "within 15 days of approval, handed to you in person or sent"));
    /* made (in production): handed over, or the courier told */
    snprintf(next.state, sizeof next.state, "in_production");
    struct store_app_event e3 = {T0 + 2 * DAY, "approved", "in_production", "order", "staff:x"};
    assert_int_equal(store_app_update(f->s, &next, "approved", &e3), STORE_OK);
    assert_int_equal(app_status_get(as_lang(f, &ss, T0 + 10 * DAY, CORE_LANG_TR), &sv, &err),
                     APP_OK);
    assert_string_equal(sv.next, "Kartınız üretildi; size elden teslim edilecek ya da kuryeye "
                                 "verildiğinde size bildirilecektir.");
    assert_int_equal(app_status_get(as_lang(f, &ss, T0 + 10 * DAY, CORE_LANG_EN), &sv, &err),
                     APP_OK);
    assert_non_null(strstr(sv.next, "handed to you in person"));
    f->set.portal.production = APP_PRODUCTION_BUREAU;
    assert_int_equal(app_status_get(as_lang(f, &ss, T0 + 10 * DAY, CORE_LANG_TR), &sv, &err),
                     APP_OK);
    assert_string_equal(sv.next, "Kartınız üretimde; kuryeye verildiğinde size bildirilecektir.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_captcha, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_same_answer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_lockouts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_otp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_otp_hourly_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_otp_no_mobile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mobile_from_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registry_no, setup, teardown),
        cmocka_unit_test_setup_teardown(test_form_draft, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_content, setup, teardown),
        cmocka_unit_test_setup_teardown(test_method_and_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expired_and_late, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ineligible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delivery_overdue, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
