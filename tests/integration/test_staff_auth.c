/* eimza — the staff login use case (app/staff_auth.h) on a real database, both backends:
 * `eimza user add`'s checks, wrong password and unknown user giving the same answer (status,
 * code and Retry-After), the limits per address and per name from an address and their end
 * with the window (the clock is passed in), that nobody can lock another person's account by
 * typing its name, the account's own lock-out by wrong codes, the hash gate's refusal, TOTP
 * enrolment then login with a code computed by crypto/totp.h, replayed and wrong codes, --dev,
 * disabled accounts, staff sessions, the audit entries (and that no secret reaches them),
 * Argon2id's cost and re-hashing, and the enrolment QR code.
 *
 * Hashing runs at libsodium's minimum cost here so the suite stays quick; one test checks the
 * real default cost. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portal_int.h" /* the staff session check app_authenticate makes */
#include "app/staff_auth.h"
#include "core/reason.h"
#include "crypto/seal.h"
#include "crypto/totp.h"
#include "store/store.h"
#include "testdb.h"

#define NOW    1750000000 /* 2025-06-15T15:06:40Z, 10 s into its 30-s step */
#define PW     "Doğru-Parola-2025"
#define PW2    "Başka bir parola 7"
#define LONG63 "123456789012345678901234567890123456789012345678901234567890123"
#define KEY    "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=" /* a secret_key (32 bytes) */

struct sfx {
    struct testdb_fx *db;
    struct app_staff_cfg cfg;
    struct app_settings set; /* cfg, as the use cases find it in their context */
    struct app_ctx ctx;
    const char *addr; /* the client's address of the next login (NULL: "unknown") */
};

static int setup(void **state)
{
    struct sfx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    *state = f;
    void *dbstate = NULL;
    int rc = testdb_fx_setup(&dbstate, true);
    f->db = dbstate;
    if (rc != 0)
        return -1;
    if (app_staff_cfg_default(&f->cfg) != 0)
        return -1;
    char err[128];
    if (app_settings_seal_key(&f->set, KEY, false, err, sizeof err) != 0)
        return -1;
    f->cfg.pwhash_ops = crypto_pwhash_OPSLIMIT_MIN;
    f->cfg.pwhash_mem = crypto_pwhash_MEMLIMIT_MIN;
    return app_staff_cfg_rehash_dummy(&f->cfg);
}

static int teardown(void **state)
{
    struct sfx *f = *state;
    if (f) {
        void *dbstate = f->db;
        testdb_fx_teardown(&dbstate);
        app_settings_free(&f->set);
        free(f);
    }
    return 0;
}

static void add(struct sfx *f, const char *name, const char *role, int province)
{
    struct app_err err;
    assert_int_equal(
        app_user_add(f->db->s, &f->cfg, name, role, province, NULL, PW, "cli", NOW, &err), APP_OK);
}

/* The use cases' context on connection s at now, with the fixture's staff settings. */
static const struct app_ctx *ctx_on(struct sfx *f, struct store *s, int64_t now)
{
    f->set.staff = f->cfg;
    f->ctx = (struct app_ctx){.db = s, .set = &f->set, .now = now, .client_addr = f->addr};
    return &f->ctx;
}

static enum app_status login(struct sfx *f, const char *name, const char *pw, const char *code,
                             int64_t now, struct app_staff_login_out *out, struct app_err *err)
{
    struct app_staff_login_req rq = {name, pw, code};
    return app_staff_login(ctx_on(f, f->db->s, now), &rq, out, err);
}

/* The code an authenticator app would show at `now` for a base32 secret. */
static void code_at(const char *secret, int64_t now, char out[CRYPTO_TOTP_DIGITS + 1])
{
    unsigned char key[64];
    int n = crypto_totp_secret_decode(secret, key, sizeof key);
    assert_true(n > 0);
    assert_int_equal(crypto_totp_code(key, (size_t)n, now, out), 0);
}

/* A code that is not the one at `now` (its first digit changed). */
static void wrong_code_at(const char *secret, int64_t now, char out[CRYPTO_TOTP_DIGITS + 1])
{
    code_at(secret, now, out);
    out[0] = (char)('0' + (out[0] - '0' + 5) % 10);
}

/* Enrols `name` (who has password PW) at `now`; returns the secret. */
static void enrol(struct sfx *f, const char *name, int64_t now,
                  char secret[CRYPTO_TOTP_SECRET_B32 + 1])
{
    struct app_staff_login_out out;
    struct app_err err;
    char code[CRYPTO_TOTP_DIGITS + 1];
    assert_int_equal(login(f, name, PW, NULL, now, &out, &err), APP_EAUTH);
    assert_string_equal(err.code, "totp_enrolment_required");
    memcpy(secret, out.totp_secret, CRYPTO_TOTP_SECRET_B32 + 1);
    code_at(secret, now, code);
    assert_int_equal(login(f, name, PW, code, now, &out, &err), APP_OK);
}

static long long audit_count(struct sfx *f, const char *action, const char *actor)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = '%s' AND actor = '%s'",
             action, actor);
    return testdb_query_ll(&f->db->db, sql);
}

static struct store_user user(struct sfx *f, const char *name)
{
    struct store_user u;
    assert_int_equal(store_user_get(f->db->s, name, &u), STORE_OK);
    return u;
}

/* ---- accounts ------------------------------------------------------------------------------ */

static void test_password_rules(void **state)
{
    (void)state;
    assert_null(app_password_check(PW, "ayse"));
    assert_null(app_password_check("correct horse battery staple", NULL)); /* lower + space */
    assert_string_equal(app_password_check("Kisa-1", NULL), "password_too_short");
    /* 12 characters but 11 code points short of bytes: characters are counted, not bytes. */
    assert_string_equal(app_password_check("şşşşşşğğğ1A", NULL), "password_too_short");
    assert_null(app_password_check("şifreğüçlüİ1", NULL));
    assert_string_equal(app_password_check(NULL, NULL), "password_too_short");
    assert_string_equal(app_password_check("abcdefghijklmnop", NULL), "password_one_class");
    assert_string_equal(app_password_check("ABCDEFGHIJKLMNOP", NULL), "password_one_class");
    assert_string_equal(app_password_check("123456789012345", NULL), "password_one_class");
    assert_string_equal(app_password_check("şifreğüçlüşifre", NULL), "password_one_class");
    assert_string_equal(app_password_check("aaaaaaaaaaaa1111", NULL), "password_repetitive");
    assert_string_equal(app_password_check("abab1212abab1212", NULL), "password_repetitive");
    assert_string_equal(app_password_check("xx-Ayse.Yilmaz-9", "ayse.yilmaz"),
                        "password_has_username");
    assert_null(app_password_check("xx-Ayse.Yilmaz-9", "ab")); /* too short a name to matter */
    assert_string_equal(app_password_check("Parola-\x01-1234", NULL), "not_utf8");
    assert_string_equal(app_password_check("Parola-\xff-1234", NULL), "not_utf8");
    assert_string_equal(app_password_check("Parola-\xc2\x85-1234", NULL), "not_utf8"); /* C1 */
    char longpw[APP_PASSWORD_MAX + 2];
    memset(longpw, 'a', sizeof longpw - 1);
    longpw[sizeof longpw - 1] = '\0';
    longpw[0] = 'B';
    assert_string_equal(app_password_check(longpw, NULL), "password_too_long");
    longpw[APP_PASSWORD_MAX] = '\0';
    longpw[1] = '1';
    longpw[2] = 'c';
    longpw[3] = 'd';
    assert_null(app_password_check(longpw, NULL));
}

static void test_user_add(void **state)
{
    struct sfx *f = *state;
    struct app_err err;
    struct store *s = f->db->s;

    assert_int_equal(app_user_add(s, &f->cfg, "ayse", "approver", 72, "ayse.onay@meb.gov.tr", PW,
                                  "cli", NOW, &err),
                     APP_OK);
    struct store_user u = user(f, "ayse");
    assert_string_equal(u.role, "approver");
    assert_int_equal(u.province, 72);
    assert_string_equal(u.email, "ayse.onay@meb.gov.tr");
    assert_false(u.totp_enabled);
    assert_string_equal(u.totp_secret, "");
    assert_int_equal(u.created_at, NOW);
    assert_memory_equal(u.password_hash, "$argon2id$", 10);
    assert_int_equal(crypto_pwhash_str_verify(u.password_hash, PW, strlen(PW)), 0);
    assert_int_not_equal(crypto_pwhash_str_verify(u.password_hash, PW2, strlen(PW2)), 0);
    assert_int_equal(audit_count(f, "staff.user.add", "cli"), 1);
    char detail[256];
    assert_int_equal(testdb_query(&f->db->db,
                                  "SELECT detail FROM audit_log WHERE action = 'staff.user.add'",
                                  detail, sizeof detail),
                     0);
    /* the address itself stays out of the audit detail: personal data */
    assert_string_equal(detail, "{\"role\":\"approver\",\"province\":72,\"email\":true}");

    assert_int_equal(app_user_add(s, &f->cfg, "ayse", "admin", 0, NULL, PW, "cli", NOW, &err),
                     APP_ECONFLICT);
    assert_string_equal(err.code, "username_taken");
    assert_int_equal(
        app_user_add(s, &f->cfg, "op1", "operator", 0, "", PW, "staff:root", NOW, &err), APP_OK);
    assert_string_equal(user(f, "op1").email, "");
    assert_int_equal(app_user_add(s, &f->cfg, "adm", "admin", 0, NULL, PW, NULL, NOW, &err),
                     APP_OK);

    static const struct {
        const char *name, *role;
        int province;
        const char *pw, *field, *code;
        const char *email;
    } bad[] = {
        {"xyz1", "admin", 0, PW, "email", "email_format", "not-an-address"},
        {"xyz1", "approver", 6, PW, "email", "email_format", "a@b"},
        {"", "admin", 0, PW, "username", "required", NULL},
        {"Ayse", "admin", 0, PW, "username", "username_format", NULL},
        {"ay se", "admin", 0, PW, "username", "username_format", NULL},
        {"ayşe", "admin", 0, PW, "username", "username_format", NULL},
        {"a" LONG63, "admin", 0, PW, "username", "username_format", NULL}, /* 64 bytes */
        {"xyz1", "", 0, PW, "role", "required", NULL},
        {"xyz1", "boss", 0, PW, "role", "role_unknown", NULL},
        {"xyz1", "approver", 0, PW, "province", "province_required", NULL},
        {"xyz1", "approver", 82, PW, "province", "province_required", NULL},
        {"xyz1", "operator", 6, PW, "province", "province_not_allowed", NULL},
        {"xyz1", "admin", -1, PW, "province", "province_not_allowed", NULL},
        {"xyz1", "admin", 0, "kisa", "password", "password_too_short", NULL},
        {"xyz1", "admin", 0, "aa-XYZ1-bb-77", "password", "password_has_username", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(app_user_add(s, &f->cfg, bad[i].name, bad[i].role, bad[i].province,
                                      bad[i].email, bad[i].pw, "cli", NOW, &err),
                         APP_EINVAL);
        assert_string_equal(err.code, "invalid_fields");
        assert_int_equal(err.nfields, 1);
        assert_string_equal(err.fields[0].field, bad[i].field);
        assert_string_equal(err.fields[0].code, bad[i].code);
    }
    /* Several wrong at once: each field says its own. */
    assert_int_equal(app_user_add(s, &f->cfg, NULL, NULL, 0, NULL, NULL, "cli", NOW, &err),
                     APP_EINVAL);
    assert_int_equal(err.nfields, 3);
    assert_int_equal(store_user_get(s, "xyz1", &u), STORE_ENOTFOUND);
    /* The longest name allowed is fine. */
    assert_int_equal(app_user_add(s, &f->cfg, LONG63, "admin", 0, NULL, PW, "cli", NOW, &err),
                     APP_OK);
    /* ayse, adm (no actor given: "cli") and the long name; op1 was added by staff:root */
    assert_int_equal(audit_count(f, "staff.user.add", "cli"), 3);
    assert_int_equal(audit_count(f, "staff.user.add", "staff:root"), 1);
}

/* ---- login --------------------------------------------------------------------------------- */

static void test_wrong_password_and_unknown_user(void **state)
{
    struct sfx *f = *state;
    struct app_staff_login_out out;
    struct app_err e1, e2;
    add(f, "ayse", "approver", 72);

    assert_int_equal(login(f, "ayse", PW2, NULL, NOW, &out, &e1), APP_EAUTH);
    assert_int_equal(login(f, "nobody", PW2, NULL, NOW, &out, &e2), APP_EAUTH);
    /* The same answer, field by field. */
    assert_string_equal(e1.code, "staff_login_failed");
    assert_string_equal(e2.code, "staff_login_failed");
    assert_int_equal(e1.retry_after, e2.retry_after);
    assert_int_equal(e1.nfields, e2.nfields);
    /* A name no account can have gets it too. */
    assert_int_equal(login(f, "Robert'); DROP TABLE users;--", PW2, NULL, NOW, &out, &e2),
                     APP_EAUTH);
    assert_string_equal(e2.code, "staff_login_failed");
    assert_string_equal(out.token, "");

    /* A wrong password is never counted on the account itself (anyone could type its name). */
    assert_int_equal(user(f, "ayse").failed_count, 0);
    assert_int_equal(user(f, "ayse").locked_until, 0);
    assert_int_equal(audit_count(f, "staff.login.failed", "staff:ayse"), 1);
    assert_int_equal(audit_count(f, "staff.login.failed", "staff:?"), 2);
    char detail[64];
    assert_int_equal(testdb_query(&f->db->db,
                                  "SELECT detail FROM audit_log WHERE actor = 'staff:?' "
                                  "ORDER BY seq LIMIT 1",
                                  detail, sizeof detail),
                     0);
    assert_string_equal(detail, "{\"reason\":\"unknown_user\"}");

    /* Missing fields are a 400 that says nothing about accounts. */
    assert_int_equal(login(f, "", PW, NULL, NOW, &out, &e1), APP_EINVAL);
    assert_int_equal(login(f, "ayse", NULL, NULL, NOW, &out, &e1), APP_EINVAL);
    assert_int_equal(login(f, "ayse", PW, "12345", NOW, &out, &e1), APP_EINVAL);
    assert_string_equal(e1.fields[0].field, "totp");
    assert_string_equal(e1.fields[0].code, "totp_format");
    assert_int_equal(login(f, "ayse", PW, "12a456", NOW, &out, &e1), APP_EINVAL);
}

/* Issue 19, finding 2: a real name and an unknown one are told apart by nothing: the failure
 * that fills the counter and every answer after it carry the same status, code and
 * Retry-After (the fixed window's end), whatever is left of it. */
static void test_names_not_told_apart(void **state)
{
    struct sfx *f = *state;
    struct app_staff_login_out out;
    struct app_err ek, eu;
    add(f, "ayse", "approver", 72);
    const int64_t ws = NOW - NOW % 900;
    f->addr = "192.0.2.7";

    for (int i = 1; i <= 5; i++) {
        int64_t t = NOW + 17 * i;
        enum app_status sk = login(f, "ayse", PW2, NULL, t, &out, &ek);
        enum app_status su = login(f, "ghost", PW2, NULL, t, &out, &eu);
        assert_int_equal(sk, su);
        assert_int_equal(sk, i < 5 ? APP_EAUTH : APP_ETOOMANY);
        assert_string_equal(ek.code, eu.code);
        assert_int_equal(ek.retry_after, eu.retry_after);
        if (i == 5)
            assert_int_equal(ek.retry_after, ws + 900 - t);
    }
    /* Later in the window: still the same, and still only the window's end. */
    assert_int_equal(login(f, "ayse", PW2, NULL, NOW + 300, &out, &ek), APP_ETOOMANY);
    assert_int_equal(login(f, "ghost", PW2, NULL, NOW + 300, &out, &eu), APP_ETOOMANY);
    assert_int_equal(ek.retry_after, ws + 900 - (NOW + 300));
    assert_int_equal(ek.retry_after, eu.retry_after);
    assert_string_equal(ek.code, eu.code);
    assert_int_equal(audit_count(f, "staff.lockout", "staff:ayse"), 1);
    assert_int_equal(audit_count(f, "staff.lockout", "staff:?"), 1);
}

/* Issue 19, finding 1: wrong passwords from one address make that name wait there, for the
 * rest of the window; the account itself is not locked, so the person logs in from their own
 * address meanwhile. Nobody can lock another person out by typing their name. */
static void test_no_lockout_of_others(void **state)
{
    struct sfx *f = *state;
    struct app_staff_login_out out;
    struct app_err err;
    char secret[CRYPTO_TOTP_SECRET_B32 + 1], code[CRYPTO_TOTP_DIGITS + 1];
    add(f, "ayse", "approver", 72);
    f->addr = "198.51.100.1";
    enrol(f, "ayse", NOW - 3600, secret);
    const int64_t ws = NOW - NOW % 900;

    f->addr = "203.0.113.66"; /* the attacker */
    int64_t t = NOW;
    for (int i = 1; i < 5; i++, t += 10)
        assert_int_equal(login(f, "ayse", PW2, NULL, t, &out, &err), APP_EAUTH);
    assert_int_equal(login(f, "ayse", PW2, NULL, t, &out, &err), APP_ETOOMANY);
    assert_int_equal(err.retry_after, ws + 900 - t);
    /* from there even the right password waits, without being checked */
    code_at(secret, t + 30, code);
    assert_int_equal(login(f, "ayse", PW, code, t + 30, &out, &err), APP_ETOOMANY);
    assert_string_equal(out.token, "");
    struct store_user u = user(f, "ayse");
    assert_int_equal(u.locked_until, 0);
    assert_int_equal(u.failed_count, 0);

    /* the person, from their own address, logs in */
    f->addr = "198.51.100.1";
    code_at(secret, t + 60, code);
    assert_int_equal(login(f, "ayse", PW, code, t + 60, &out, &err), APP_OK);

    /* the window's end lifts the wait at the attacker's address too */
    f->addr = "203.0.113.66";
    assert_int_equal(login(f, "ayse", PW2, NULL, ws + 900, &out, &err), APP_EAUTH);
}

/* Issue 19, finding 1: spraying many names from one address stops at max_per_addr failures,
 * whatever the names (and the counting needs no account). */
static void test_address_limit(void **state)
{
    struct sfx *f = *state;
    struct app_staff_login_out out;
    struct app_err err;
    char name[32];
    f->cfg.max_per_addr = 7;
    f->cfg.dev = true;
    add(f, "op1", "operator", 0);
    f->addr = "2001:db8::5";
    for (int i = 0; i < 6; i++) {
        snprintf(name, sizeof name, "user%d", i);
        assert_int_equal(login(f, name, PW2, NULL, NOW, &out, &err), APP_EAUTH);
    }
    assert_int_equal(login(f, "op1", PW2, NULL, NOW, &out, &err), APP_ETOOMANY);
    assert_int_equal(login(f, "op1", PW, NULL, NOW, &out, &err), APP_ETOOMANY);
    assert_int_equal(audit_count(f, "staff.lockout", "staff:op1"), 1);
    /* another address is not affected */
    f->addr = "2001:db8::6";
    assert_int_equal(login(f, "op1", PW, NULL, NOW, &out, &err), APP_OK);
}

/* The account's own lock-out: wrong codes after the right password (which only someone who
 * knows it can send), told only to someone who knows the password. */
static void test_lockout(void **state)
{
    struct sfx *f = *state;
    struct app_staff_login_out out;
    struct app_err err;
    char secret[CRYPTO_TOTP_SECRET_B32 + 1], code[CRYPTO_TOTP_DIGITS + 1];
    add(f, "ayse", "approver", 72);
    enrol(f, "ayse", NOW - 3600, secret);

    int64_t t = NOW;
    for (int i = 1; i < 5; i++) {
        wrong_code_at(secret, t, code);
        assert_int_equal(login(f, "ayse", PW, code, t, &out, &err), APP_EAUTH);
        assert_string_equal(err.code, "totp_wrong");
        assert_int_equal(user(f, "ayse").failed_count, i);
        t += 10;
    }
    /* The fifth wrong code locks at once, for 15 minutes. */
    wrong_code_at(secret, t, code);
    assert_int_equal(login(f, "ayse", PW, code, t, &out, &err), APP_ETOOMANY);
    assert_string_equal(err.code, "too_many_attempts");
    assert_int_equal(err.retry_after, 900);
    struct store_user u = user(f, "ayse");
    assert_int_equal(u.locked_until, t + 900);
    assert_int_equal(u.failed_count, 0);
    assert_int_equal(audit_count(f, "staff.lockout", "staff:ayse"), 1);

    /* Locked: the right password and code are refused, with the time left ... */
    code_at(secret, t + 600, code);
    assert_int_equal(login(f, "ayse", PW, code, t + 600, &out, &err), APP_ETOOMANY);
    assert_int_equal(err.retry_after, 300);
    assert_int_equal(login(f, "ayse", PW, code, t + 899, &out, &err), APP_ETOOMANY);
    assert_int_equal(err.retry_after, 1);
    assert_string_equal(out.token, "");
    /* ... but a wrong password learns nothing of it */
    assert_int_equal(login(f, "ayse", PW2, NULL, t + 899, &out, &err), APP_EAUTH);
    assert_string_equal(err.code, "staff_login_failed");

    /* After 15 minutes it opens again. */
    code_at(secret, t + 900, code);
    assert_int_equal(login(f, "ayse", PW, code, t + 900, &out, &err), APP_OK);
    u = user(f, "ayse");
    assert_int_equal(u.failed_count, 0);
    assert_int_equal(u.locked_until, 0);
    assert_int_equal(u.last_login_at, t + 900);

    /* A success resets the code count: four wrong codes, a success, four more do not lock. */
    t += 2000;
    for (int round = 0; round < 2; round++) {
        wrong_code_at(secret, t, code);
        for (int i = 0; i < 4; i++)
            assert_int_equal(login(f, "ayse", PW, code, t, &out, &err), APP_EAUTH);
        code_at(secret, t, code);
        assert_int_equal(login(f, "ayse", PW, code, t, &out, &err), APP_OK);
        t += 60;
    }
    assert_int_equal(audit_count(f, "staff.lockout", "staff:ayse"), 1);
}

static void test_lockout_configurable(void **state)
{
    struct sfx *f = *state;
    struct app_staff_login_out out;
    struct app_err err;
    f->cfg.max_failures = 2;
    f->cfg.lockout_seconds = 60;
    f->cfg.dev = true;
    add(f, "op1", "operator", 0);
    const int64_t ws = NOW - NOW % 60;
    assert_int_equal(login(f, "op1", PW2, NULL, NOW, &out, &err), APP_EAUTH);
    assert_int_equal(login(f, "op1", PW2, NULL, NOW, &out, &err), APP_ETOOMANY);
    assert_int_equal(err.retry_after, ws + 60 - NOW);
    assert_int_equal(login(f, "op1", PW, NULL, ws + 59, &out, &err), APP_ETOOMANY);
    assert_int_equal(login(f, "op1", PW, NULL, ws + 60, &out, &err), APP_OK);
}

static void test_unknown_user_locks_too(void **state)
{
    struct sfx *f = *state;
    struct app_staff_login_out out;
    struct app_err err;
    const int64_t ws = NOW - NOW % 900; /* the fixed window the unknown name is counted in */

    for (int i = 0; i < 4; i++)
        assert_int_equal(login(f, "ghost", PW, NULL, NOW, &out, &err), APP_EAUTH);
    assert_int_equal(login(f, "ghost", PW, NULL, NOW, &out, &err), APP_ETOOMANY);
    assert_int_equal(err.retry_after, ws + 900 - NOW);
    assert_int_equal(login(f, "ghost", PW, NULL, NOW + 1, &out, &err), APP_ETOOMANY);
    assert_int_equal(audit_count(f, "staff.lockout", "staff:?"), 1);
    /* Another unknown name is not affected; the window's end lifts it. */
    assert_int_equal(login(f, "ghost2", PW, NULL, NOW, &out, &err), APP_EAUTH);
    assert_int_equal(login(f, "ghost", PW, NULL, ws + 900, &out, &err), APP_EAUTH);
}

/* The hash gate: with every slot taken, a login is refused at once with 503 server_busy and
 * Retry-After 1, for a known name and an unknown one alike, and nothing is counted. */
/* Issue 19, finding 8: the TOTP secret at rest. Without a key no enrolment starts (nothing is
 * stored); a secret sealed for one account does not open on another; one stored before sealing
 * (plain) still works, and is sealed at its next login with a code, or by app_totp_seal_all
 * (`eimza migrate`) with every other plain one; a server with another key refuses to guess. */
static void test_totp_at_rest(void **state)
{
    struct sfx *f = *state;
    struct app_staff_login_out out;
    struct app_err err;
    char secret[CRYPTO_TOTP_SECRET_B32 + 1], code[CRYPTO_TOTP_DIGITS + 1];
    add(f, "ayse", "approver", 72);
    add(f, "ali", "approver", 72);
    add(f, "veli", "operator", 0);
    add(f, "can", "admin", 0);

    /* no key: the enrolment is refused before anything is stored */
    struct crypto_seal_key *key = f->set.seal_key;
    f->set.seal_key = NULL;
    assert_int_equal(login(f, "ayse", PW, NULL, NOW, &out, &err), APP_EUNAVAILABLE);
    assert_string_equal(err.code, "secret_key_missing");
    assert_string_equal(out.totp_secret, "");
    assert_string_equal(user(f, "ayse").totp_secret, "");
    f->set.seal_key = key;

    /* a sealed secret copied onto another account does not open there */
    enrol(f, "ayse", NOW, secret);
    struct store_user a = user(f, "ayse"), b = user(f, "ali");
    snprintf(b.totp_secret, sizeof b.totp_secret, "%s", a.totp_secret);
    b.totp_enabled = true;
    assert_int_equal(store_user_update(f->db->s, &b), STORE_OK);
    code_at(secret, NOW + 60, code);
    assert_int_equal(login(f, "ali", PW, code, NOW + 60, &out, &err), APP_EINTERNAL);
    assert_string_equal(out.token, "");

    /* secrets stored by an older eimza, in plain base32 */
    static const char *const olds[] = {"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
                                       "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"};
    const char *names[] = {"veli", "can"};
    for (int i = 0; i < 2; i++) {
        struct store_user u = user(f, names[i]);
        snprintf(u.totp_secret, sizeof u.totp_secret, "%s", olds[i]);
        u.totp_enabled = true;
        u.totp_last_step = 0;
        assert_int_equal(store_user_update(f->db->s, &u), STORE_OK);
    }
    /* first use: the login works with the old secret and leaves it sealed */
    code_at(olds[0], NOW + 120, code);
    assert_int_equal(login(f, "veli", PW, code, NOW + 120, &out, &err), APP_OK);
    struct store_user v = user(f, "veli");
    assert_true(crypto_sealed(v.totp_secret));
    assert_null(strstr(v.totp_secret, olds[0]));
    assert_int_equal(audit_count(f, "staff.totp.sealed", "staff:veli"), 1);
    code_at(olds[0], NOW + 180, code);
    assert_int_equal(login(f, "veli", PW, code, NOW + 180, &out, &err), APP_OK);

    /* the rest at once (eimza migrate): only the plain one is touched, and it still works */
    long n = -1;
    assert_int_equal(app_totp_seal_all(f->db->s, NULL, NOW, &n, &err), APP_EUNAVAILABLE);
    assert_int_equal(app_totp_seal_all(f->db->s, key, NOW + 200, &n, &err), APP_OK);
    assert_int_equal(n, 1);
    assert_true(crypto_sealed(user(f, "can").totp_secret));
    assert_string_equal(user(f, "veli").totp_secret, v.totp_secret); /* already sealed */
    assert_int_equal(audit_count(f, "staff.totp.sealed", "cli"), 1);
    assert_int_equal(app_totp_seal_all(f->db->s, key, NOW + 201, &n, &err), APP_OK);
    assert_int_equal(n, 0);
    assert_int_equal(audit_count(f, "staff.totp.sealed", "cli"), 1);
    code_at(olds[1], NOW + 240, code);
    assert_int_equal(login(f, "can", PW, code, NOW + 240, &out, &err), APP_OK);

    /* a server with another key cannot open them: an error, never a guess */
    char kerr[128];
    struct app_settings other = {0};
    assert_int_equal(app_settings_seal_key(&other, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                                           false, kerr, sizeof kerr),
                     0);
    f->set.seal_key = other.seal_key;
    code_at(olds[1], NOW + 300, code);
    assert_int_equal(login(f, "can", PW, code, NOW + 300, &out, &err), APP_EINTERNAL);
    assert_string_equal(out.token, "");
    f->set.seal_key = key;
    app_settings_free(&other);
    /* and a key that is no key is refused */
    assert_int_equal(app_settings_seal_key(&other, "c2hvcnQ=", false, kerr, sizeof kerr), -1);
    assert_non_null(strstr(kerr, "secret_key"));
}

static void test_hash_gate_busy(void **state)
{
    struct sfx *f = *state;
    struct app_staff_login_out out;
    struct app_err ek, eu;
    f->cfg.dev = true;
    add(f, "op1", "operator", 0);
    f->set.hash_gate = app_hash_gate_new(1);
    assert_non_null(f->set.hash_gate);
    assert_true(app_hash_gate_enter(f->set.hash_gate)); /* someone else is hashing */
    assert_false(app_hash_gate_enter(f->set.hash_gate));
    for (int i = 0; i < 8; i++) {
        assert_int_equal(login(f, "op1", PW, NULL, NOW, &out, &ek), APP_EUNAVAILABLE);
        assert_int_equal(login(f, "nobody", PW, NULL, NOW, &out, &eu), APP_EUNAVAILABLE);
        assert_string_equal(ek.code, "server_busy");
        assert_string_equal(eu.code, "server_busy");
        assert_int_equal(ek.retry_after, 1);
        assert_int_equal(eu.retry_after, 1);
    }
    app_hash_gate_leave(f->set.hash_gate);
    /* free again: the right password works (the refusals above were not counted) */
    assert_int_equal(login(f, "op1", PW, NULL, NOW, &out, &ek), APP_OK);
    app_hash_gate_free(f->set.hash_gate);
    f->set.hash_gate = NULL;
}

static void test_totp_enrolment_and_replay(void **state)
{
    struct sfx *f = *state;
    struct app_staff_login_out out;
    struct app_err err;
    char secret[CRYPTO_TOTP_SECRET_B32 + 1], code[CRYPTO_TOTP_DIGITS + 1], want[128];
    add(f, "ayse.yilmaz", "approver", 72);

    /* Right password, no TOTP yet: enrolment, with the secret and its URI. */
    assert_int_equal(login(f, "ayse.yilmaz", PW, NULL, NOW, &out, &err), APP_EAUTH);
    assert_string_equal(err.code, "totp_enrolment_required");
    assert_string_equal(out.token, "");
    assert_int_equal(strlen(out.totp_secret), CRYPTO_TOTP_SECRET_B32);
    memcpy(secret, out.totp_secret, sizeof secret);
    snprintf(want, sizeof want,
             "otpauth://totp/eimza:ayse.yilmaz?secret=%s&issuer=eimza&algorithm=SHA1&digits=6"
             "&period=30",
             secret);
    assert_string_equal(out.totp_uri, want);
    assert_int_equal(audit_count(f, "staff.totp.enrolment_started", "staff:ayse.yilmaz"), 1);
    struct store_user u = user(f, "ayse.yilmaz");
    /* kept sealed (issue 19, finding 8): never the secret itself */
    assert_true(crypto_sealed(u.totp_secret));
    assert_null(strstr(u.totp_secret, secret));
    char opened[CRYPTO_SEAL_PLAIN_MAX + 1];
    assert_int_equal(
        crypto_unseal(f->set.seal_key, "totp:ayse.yilmaz", u.totp_secret, opened, sizeof opened),
        CRYPTO_UNSEAL_OK);
    assert_string_equal(opened, secret);
    assert_false(u.totp_enabled);
    assert_int_equal(u.failed_count, 0); /* asking for enrolment is not a failure */

    /* Asking again shows the same secret (the app may already hold it). */
    assert_int_equal(login(f, "ayse.yilmaz", PW, NULL, NOW + 5, &out, &err), APP_EAUTH);
    assert_string_equal(out.totp_secret, secret);
    assert_int_equal(audit_count(f, "staff.totp.enrolment_started", "staff:ayse.yilmaz"), 1);
    /* A wrong password never shows it. */
    assert_int_equal(login(f, "ayse.yilmaz", PW2, NULL, NOW + 5, &out, &err), APP_EAUTH);
    assert_string_equal(err.code, "staff_login_failed");
    assert_string_equal(out.totp_secret, "");
    /* A wrong code during enrolment is counted and still shows the enrolment data. */
    wrong_code_at(secret, NOW, code);
    assert_int_equal(login(f, "ayse.yilmaz", PW, code, NOW, &out, &err), APP_EAUTH);
    assert_string_equal(err.code, "totp_wrong");
    assert_string_equal(out.totp_secret, secret);
    assert_false(user(f, "ayse.yilmaz").totp_enabled);

    /* The app's code confirms the secret and opens the session. */
    code_at(secret, NOW, code);
    assert_int_equal(login(f, "ayse.yilmaz", PW, code, NOW, &out, &err), APP_OK);
    assert_int_equal(strlen(out.token), APP_TOKEN_LEN);
    assert_int_equal(strlen(out.csrf), APP_CSRF_LEN);
    assert_string_equal(out.role, "approver");
    assert_int_equal(out.province, 72);
    assert_int_equal(out.expires_at, NOW + 8 * 3600);
    assert_string_equal(out.totp_secret, ""); /* not handed out with a session */
    u = user(f, "ayse.yilmaz");
    assert_true(u.totp_enabled);
    assert_int_equal(u.totp_last_step, NOW / 30);
    assert_int_equal(u.failed_count, 0);
    assert_int_equal(audit_count(f, "staff.totp.enrolled", "staff:ayse.yilmaz"), 1);
    assert_int_equal(audit_count(f, "staff.login", "staff:ayse.yilmaz"), 1);

    /* The same code again (same step, or a few seconds later): refused, counted. */
    assert_int_equal(login(f, "ayse.yilmaz", PW, code, NOW + 15, &out, &err), APP_EAUTH);
    assert_string_equal(err.code, "totp_reused");
    assert_string_equal(out.token, "");
    assert_int_equal(user(f, "ayse.yilmaz").failed_count, 1);
    /* An earlier step's code, still inside the window: refused too. */
    code_at(secret, NOW - 30, code);
    assert_int_equal(login(f, "ayse.yilmaz", PW, code, NOW + 15, &out, &err), APP_EAUTH);
    assert_string_equal(err.code, "totp_reused");
    /* Enrolled: the password alone asks for the code, without counting or showing the secret. */
    assert_int_equal(login(f, "ayse.yilmaz", PW, NULL, NOW + 30, &out, &err), APP_EAUTH);
    assert_string_equal(err.code, "totp_required");
    assert_string_equal(out.totp_secret, "");
    assert_int_equal(user(f, "ayse.yilmaz").failed_count, 2);
    /* The next step's code works once. */
    code_at(secret, NOW + 30, code);
    assert_int_equal(login(f, "ayse.yilmaz", PW, code, NOW + 30, &out, &err), APP_OK);
    assert_int_equal(user(f, "ayse.yilmaz").totp_last_step, NOW / 30 + 1);
    /* A code of the step after next, one step early (clock drift), is fine. */
    code_at(secret, NOW + 60, code);
    assert_int_equal(login(f, "ayse.yilmaz", PW, code, NOW + 40, &out, &err), APP_OK);
    /* Two steps off is not. */
    code_at(secret, NOW + 150, code);
    assert_int_equal(login(f, "ayse.yilmaz", PW, code, NOW + 90, &out, &err), APP_EAUTH);
    assert_string_equal(err.code, "totp_wrong");
    /* The right code with the wrong password is a password failure. */
    code_at(secret, NOW + 120, code);
    assert_int_equal(login(f, "ayse.yilmaz", PW2, code, NOW + 120, &out, &err), APP_EAUTH);
    assert_string_equal(err.code, "staff_login_failed");
}

static void test_dev_mode(void **state)
{
    struct sfx *f = *state;
    struct app_staff_login_out out;
    struct app_err err;
    char secret[CRYPTO_TOTP_SECRET_B32 + 1];
    add(f, "dev1", "admin", 0);
    add(f, "dev2", "admin", 0);
    enrol(f, "dev2", NOW - 600, secret);

    f->cfg.dev = true;
    assert_int_equal(login(f, "dev1", PW, NULL, NOW, &out, &err), APP_OK);
    assert_string_equal(user(f, "dev1").totp_secret, ""); /* no enrolment started */
    /* An account that has enrolled keeps needing its code. */
    assert_int_equal(login(f, "dev2", PW, NULL, NOW, &out, &err), APP_EAUTH);
    assert_string_equal(err.code, "totp_required");
    /* Outside --dev the first account must enrol. */
    f->cfg.dev = false;
    assert_int_equal(login(f, "dev1", PW, NULL, NOW + 60, &out, &err), APP_EAUTH);
    assert_string_equal(err.code, "totp_enrolment_required");
}

static void test_disabled(void **state)
{
    struct sfx *f = *state;
    struct app_staff_login_out out;
    struct app_err err;
    struct store_session ss;
    f->cfg.dev = true;
    add(f, "ali", "operator", 0);
    assert_int_equal(login(f, "ali", PW, NULL, NOW, &out, &err), APP_OK);
    char token[APP_TOKEN_LEN + 1];
    memcpy(token, out.token, sizeof token);
    assert_int_equal(app__staff_session(f->db->s, &f->cfg, token, NOW + 1, &ss, NULL, &err),
                     APP_OK);

    const bool yes = true, no = false;
    const struct app_user_change off = {.disabled = &yes};
    assert_int_equal(app_user_set(f->db->s, "ali", &off, "staff:root", NOW + 1, &err), APP_OK);
    assert_true(user(f, "ali").disabled);
    assert_int_equal(login(f, "ali", PW, NULL, NOW + 2, &out, &err), APP_EFORBIDDEN);
    assert_string_equal(err.code, "account_disabled");
    assert_string_equal(out.token, "");
    assert_int_equal(user(f, "ali").failed_count, 0);
    /* A wrong password does not learn that the account is disabled. */
    assert_int_equal(login(f, "ali", PW2, NULL, NOW + 3, &out, &err), APP_EAUTH);
    assert_string_equal(err.code, "staff_login_failed");
    /* Its open session ends too. */
    assert_int_equal(app__staff_session(f->db->s, &f->cfg, token, NOW + 4, &ss, NULL, &err),
                     APP_EAUTH);
    assert_string_equal(err.code, "session_required");
    assert_int_equal(audit_count(f, "staff.login.failed", "staff:ali"), 2);
    /* enabled again, it logs in again */
    const struct app_user_change on = {.disabled = &no};
    assert_int_equal(app_user_set(f->db->s, "ali", &on, NULL, NOW + 5, &err), APP_OK);
    assert_int_equal(login(f, "ali", PW, NULL, NOW + 6, &out, &err), APP_OK);
    assert_int_equal(audit_count(f, "staff.user.set", "staff:root"), 1);
    assert_int_equal(audit_count(f, "staff.user.set", "cli"), 1);
}

static void test_user_set(void **state)
{
    struct sfx *f = *state;
    struct app_err err;
    struct store *s = f->db->s;
    add(f, "ayse", "approver", 72);
    add(f, "op1", "operator", 0);

    const struct app_user_change mail = {.email = "ayse.onay@meb.gov.tr"};
    assert_int_equal(app_user_set(s, "ayse", &mail, "cli", NOW + 1, &err), APP_OK);
    struct store_user u = user(f, "ayse");
    assert_string_equal(u.email, "ayse.onay@meb.gov.tr");
    assert_int_equal(u.updated_at, NOW + 1);
    assert_int_equal(u.province, 72); /* the rest as it was */
    char detail[256];
    assert_int_equal(testdb_query(&f->db->db,
                                  "SELECT detail FROM audit_log WHERE action = 'staff.user.set'",
                                  detail, sizeof detail),
                     0);
    assert_string_equal(detail, "{\"changed\":[\"email\"]}"); /* never the address */

    const int p6 = 6, p0 = 0, p82 = 82;
    const struct app_user_change move = {.province = &p6, .email = ""};
    assert_int_equal(app_user_set(s, "ayse", &move, "cli", NOW + 2, &err), APP_OK);
    u = user(f, "ayse");
    assert_int_equal(u.province, 6);
    assert_string_equal(u.email, "");

    /* TOTP begun and a lock-out: both can be undone */
    u.totp_enabled = true;
    snprintf(u.totp_secret, sizeof u.totp_secret, "JBSWY3DPEHPK3PXP");
    u.totp_last_step = 99;
    u.failed_count = 5;
    u.locked_until = NOW + 900;
    assert_int_equal(store_user_update(s, &u), STORE_OK);
    const struct app_user_change fresh = {.reset_totp = true, .unlock = true};
    assert_int_equal(app_user_set(s, "ayse", &fresh, "cli", NOW + 3, &err), APP_OK);
    u = user(f, "ayse");
    assert_false(u.totp_enabled);
    assert_string_equal(u.totp_secret, "");
    assert_int_equal(u.totp_last_step, 0);
    assert_int_equal(u.failed_count, 0);
    assert_int_equal(u.locked_until, 0);

    /* refusals, each leaving the account as it was */
    const struct app_user_change bad_mail = {.email = "ayse.onay"};
    assert_int_equal(app_user_set(s, "ayse", &bad_mail, "cli", NOW + 4, &err), APP_EINVAL);
    assert_string_equal(err.fields[0].field, "email");
    assert_string_equal(err.fields[0].code, "email_format");
    const struct app_user_change far = {.province = &p82};
    assert_int_equal(app_user_set(s, "ayse", &far, "cli", NOW + 4, &err), APP_EINVAL);
    assert_string_equal(err.fields[0].code, "province_required");
    const struct app_user_change none = {.province = &p0};
    assert_int_equal(app_user_set(s, "ayse", &none, "cli", NOW + 4, &err), APP_EINVAL);
    assert_string_equal(err.fields[0].code, "province_required");
    const struct app_user_change op6 = {.province = &p6};
    assert_int_equal(app_user_set(s, "op1", &op6, "cli", NOW + 4, &err), APP_EINVAL);
    assert_string_equal(err.fields[0].code, "province_not_allowed");
    assert_int_equal(app_user_set(s, "op1", &none, "cli", NOW + 4, &err), APP_OK);
    const struct app_user_change nothing = {0};
    assert_int_equal(app_user_set(s, "op1", &nothing, "cli", NOW + 4, &err), APP_EINVAL);
    assert_string_equal(err.code, "nothing_to_change");
    assert_int_equal(app_user_set(s, "nobody", &mail, "cli", NOW + 4, &err), APP_ENOTFOUND);
    assert_string_equal(err.code, "user_not_found");
    assert_int_equal(app_user_set(s, "Ayşe", &mail, "cli", NOW + 4, &err), APP_EINVAL);
    assert_string_equal(err.fields[0].code, "username_format");
    u = user(f, "ayse");
    assert_int_equal(u.province, 6);
    assert_int_equal(u.updated_at, NOW + 3);
    assert_int_equal(audit_count(f, "staff.user.set", "cli"), 4); /* the four that changed */
}

static void test_sessions(void **state)
{
    struct sfx *f = *state;
    struct app_staff_login_out out;
    struct app_err err;
    struct store_session ss;
    struct store_user u;
    f->cfg.dev = true;
    add(f, "veli", "approver", 6);
    assert_int_equal(login(f, "veli", PW, NULL, NOW, &out, &err), APP_OK);

    assert_int_equal(app__staff_session(f->db->s, &f->cfg, out.token, NOW + 100, &ss, &u, &err),
                     APP_OK);
    assert_string_equal(ss.kind, "staff");
    assert_string_equal(ss.subject, "veli");
    assert_string_equal(ss.csrf, out.csrf);
    assert_string_equal(u.role, "approver");
    assert_int_equal(u.province, 6);
    assert_string_equal(u.password_hash, ""); /* secrets are not handed to the caller */
    assert_string_equal(u.totp_secret, "");
    /* Idle for longer than session_idle (900 s after the last touch at NOW + 100). */
    assert_int_equal(
        app__staff_session(f->db->s, &f->cfg, out.token, NOW + 100 + 900, &ss, NULL, &err),
        APP_EAUTH);
    /* ... and gone for good afterwards. */
    assert_int_equal(app__staff_session(f->db->s, &f->cfg, out.token, NOW + 101, &ss, NULL, &err),
                     APP_EAUTH);
    assert_int_equal(app__staff_session(f->db->s, &f->cfg, "short", NOW, &ss, NULL, &err),
                     APP_EAUTH);
    assert_int_equal(app__staff_session(f->db->s, &f->cfg, NULL, NOW, &ss, NULL, &err), APP_EAUTH);

    /* An applicant's session is not a staff session. */
    struct store_session app;
    char token[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    char h[STORE_HASH_HEX + 1];
    memset(&app, 0, sizeof app);
    {
        unsigned char d[32];
        crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
        sodium_bin2hex(h, sizeof h, d, sizeof d);
    }
    memcpy(app.token_hash, h, sizeof h);
    snprintf(app.kind, sizeof app.kind, "applicant");
    snprintf(app.subject, sizeof app.subject, "10000000146");
    snprintf(app.csrf, sizeof app.csrf, "csrf-token-of-the-applicant");
    app.created_at = app.last_seen = NOW;
    app.expires_at = NOW + 3600;
    assert_int_equal(store_session_put(f->db->s, &app), STORE_OK);
    assert_int_equal(app__staff_session(f->db->s, &f->cfg, token, NOW + 1, &ss, NULL, &err),
                     APP_EAUTH);
    /* ... and asking does not end the applicant's session. */
    assert_int_equal(store_session_get(f->db->s, h, &ss), STORE_OK);
}

/* ---- concurrency: one code, one session ----------------------------------------------------- */

#define RACERS 4

struct racer {
    struct sfx *f;
    const char *code;
    enum app_status st;
    char errcode[32];
};

static void *race(void *arg)
{
    struct racer *r = arg;
    struct store *s = NULL;
    char err[256];
    struct app_staff_login_out out;
    struct app_err e;
    r->st = APP_EINTERNAL;
    if (store_open(r->f->db->db.url, &s, err, sizeof err) != STORE_OK)
        return NULL;
    struct app_staff_login_req rq = {"ayse", PW, r->code};
    struct app_settings set = {.staff = r->f->cfg, .seal_key = r->f->set.seal_key};
    const struct app_ctx c = {.db = s, .set = &set, .now = NOW + 60};
    r->st = app_staff_login(&c, &rq, &out, &e);
    snprintf(r->errcode, sizeof r->errcode, "%s", e.code ? e.code : "");
    store_close(s);
    return NULL;
}

/* Several logins with the same code at the same moment, each on its own connection: the
 * account row is re-read inside the transaction, so exactly one wins and the others see a
 * used code. */
static void test_concurrent_code_once(void **state)
{
    struct sfx *f = *state;
    char secret[CRYPTO_TOTP_SECRET_B32 + 1], code[CRYPTO_TOTP_DIGITS + 1];
    pthread_t th[RACERS];
    struct racer r[RACERS];
    add(f, "ayse", "approver", 72);
    enrol(f, "ayse", NOW, secret);
    code_at(secret, NOW + 60, code);

    for (int i = 0; i < RACERS; i++) {
        r[i] = (struct racer){f, code, APP_OK, ""};
        assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
    }
    int ok = 0, reused = 0;
    for (int i = 0; i < RACERS; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        if (r[i].st == APP_OK)
            ok++;
        else if (r[i].st == APP_EAUTH && !strcmp(r[i].errcode, "totp_reused"))
            reused++;
    }
    assert_int_equal(ok, 1);
    assert_int_equal(reused, RACERS - 1);
    assert_int_equal(audit_count(f, "staff.login", "staff:ayse"), 2); /* enrolment + winner */
    assert_int_equal(user(f, "ayse").failed_count, RACERS - 1);
}

/* ---- the audit log holds no secret --------------------------------------------------------- */

struct scan {
    const char *needles[4];
    int hits, entries;
};

static int scan_entry(void *ctx, const struct store_audit_record *r)
{
    struct scan *sc = ctx;
    const char *fields[] = {r->e.actor, r->e.action, r->e.object, r->e.detail};
    sc->entries++;
    for (size_t i = 0; i < 4; i++)
        for (size_t k = 0; k < 4 && sc->needles[k]; k++)
            if (fields[i] && strstr(fields[i], sc->needles[k]))
                sc->hits++;
    return 0;
}

static void test_audit_has_no_secrets(void **state)
{
    struct sfx *f = *state;
    struct app_staff_login_out out;
    struct app_err err;
    char secret[CRYPTO_TOTP_SECRET_B32 + 1], code[CRYPTO_TOTP_DIGITS + 1];
    add(f, "ayse", "approver", 72);
    enrol(f, "ayse", NOW, secret);
    code_at(secret, NOW + 30, code);
    assert_int_equal(login(f, "ayse", PW2, code, NOW + 30, &out, &err), APP_EAUTH);
    assert_int_equal(login(f, "ayse", PW, code, NOW + 30, &out, &err), APP_OK);
    assert_int_equal(login(f, "ayse", PW, code, NOW + 31, &out, &err), APP_EAUTH);
    assert_int_equal(login(f, PW, PW, NULL, NOW + 31, &out, &err), APP_EAUTH); /* pw as name */

    struct scan sc = {{PW, PW2, secret, code}, 0, 0};
    assert_int_equal(store_audit_each(f->db->s, 0, scan_entry, &sc), STORE_OK);
    assert_true(sc.entries >= 8);
    assert_int_equal(sc.hits, 0);
}

/* ---- Argon2id cost ------------------------------------------------------------------------- */

static void test_default_cost_and_rehash(void **state)
{
    struct sfx *f = *state;
    struct app_staff_login_out out;
    struct app_err err;
    struct app_staff_cfg def;

    assert_int_equal(app_staff_cfg_default(&def), 0);
    assert_null(app_staff_cfg_check(&def));
    assert_int_equal(def.max_failures, 5);
    assert_int_equal(def.lockout_seconds, 900);
    assert_false(def.dev);
    /* libsodium's INTERACTIVE: 2 passes over 64 MiB, Argon2id v1.3. */
    assert_non_null(strstr(def.dummy_hash, "$argon2id$v=19$m=65536,t=2,"));
    struct app_staff_cfg bad = def;
    bad.max_failures = 0;
    assert_string_equal(app_staff_cfg_check(&bad), "staff_cfg");
    bad = def;
    bad.pwhash_mem = 1024;
    assert_string_equal(app_staff_cfg_check(&bad), "staff_cfg");
    bad = def;
    bad.dummy_hash[0] = '\0';
    assert_string_equal(app_staff_cfg_check(&bad), "staff_cfg");

    /* An account hashed at the cheap cost is re-hashed at the configured one on login. */
    f->cfg.dev = true;
    add(f, "eski", "admin", 0);
    assert_null(strstr(user(f, "eski").password_hash, "m=65536"));
    def.dev = true;
    struct app_staff_login_req rq = {"eski", PW, NULL};
    f->cfg = def;
    assert_int_equal(app_staff_login(ctx_on(f, f->db->s, NOW), &rq, &out, &err), APP_OK);
    struct store_user u = user(f, "eski");
    assert_non_null(strstr(u.password_hash, "$argon2id$v=19$m=65536,t=2,"));
    assert_int_equal(crypto_pwhash_str_verify(u.password_hash, PW, strlen(PW)), 0);
    /* A wrong password changes nothing. */
    rq.password = PW2;
    assert_int_equal(app_staff_login(ctx_on(f, f->db->s, NOW + 1), &rq, &out, &err), APP_EAUTH);
    assert_string_equal(user(f, "eski").password_hash, u.password_hash);
}

/* Every code these use cases answer with has its messages in the one reason table. */
static void test_codes_have_messages(void **state)
{
    static const char *codes[] = {
        "invalid_fields",
        "required",
        "staff_login_failed",
        "too_many_attempts",
        "server_busy",
        "secret_key_missing",
        "account_disabled",
        "totp_enrolment_required",
        "totp_required",
        "totp_wrong",
        "totp_reused",
        "totp_format",
        "session_required",
        "username_format",
        "username_taken",
        "user_not_found",
        "nothing_to_change",
        "role_unknown",
        "province_required",
        "province_not_allowed",
        "password_too_short",
        "password_too_long",
        "password_one_class",
        "password_repetitive",
        "password_has_username",
        "not_utf8",
        "staff_cfg",
    };
    char missing[1024] = "";
    (void)state;
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (!core_reason_known(codes[i])) {
            size_t n = strlen(missing);
            snprintf(missing + n, sizeof missing - n, " %s", codes[i]);
        }
    if (missing[0])
        fail_msg("the reason table (core/reason.c) has no row for:%s", missing);
}

int main(void)
{
    testdb_require();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_rules),
        cmocka_unit_test_setup_teardown(test_user_add, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_password_and_unknown_user, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names_not_told_apart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_lockout_of_others, setup, teardown),
        cmocka_unit_test_setup_teardown(test_address_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockout_configurable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_user_locks_too, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hash_gate_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_totp_at_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_totp_enrolment_and_replay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dev_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disabled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_set, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_code_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_has_no_secrets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_default_cost_and_rehash, setup, teardown),
        cmocka_unit_test(test_codes_have_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
