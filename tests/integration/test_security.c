/* eimza — regression tests of issue 19's findings that live in the database, on both backends
 * (the rest are beside the code they test: the staff login's in test_staff_auth.c, the
 * exports' in test_admin.c, the HTTP framing in tests/cli/test_http_framing.sh):
 *   4. the SMS code at rest: kept sealed apart from the text, given back by a claim, dropped by
 *      the hand-over (and by sent / failed), put back after a refused try while still valid,
 *      dropped when it expires, when a newer code replaces it, by key prefix; the drain sends
 *      the text with the code, fails a message whose code is gone, and no row ever holds the
 *      code once the gateway had it;
 *   6. captchas are limited per address (a fixed window shared by every server of one
 *      database): the limit's answer, another address untouched, the window's end, and no
 *      captcha row written past the limit.
 * The clock is passed in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/portal.h"
#include "crypto/seal.h"
#include "notify/notify.h"
#include "notify/outbox.h"
#include "store/store.h"
#include "testdb.h"

#define NOW 1750000000 /* 2025-06-15T15:06:40Z */

struct sfx {
    struct testdb_fx *db;
    struct app_settings set;
    struct app_ctx ctx;
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
    if (rc != 0 || app_settings_default(&f->set) != 0)
        return -1;
    return 0;
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

static struct app_ctx *from(struct sfx *f, const char *addr, int64_t now)
{
    f->ctx = (struct app_ctx){.db = f->db->s, .set = &f->set, .now = now, .client_addr = addr};
    return &f->ctx;
}

static long count(struct sfx *f, const char *sql)
{
    char buf[32];
    assert_int_equal(testdb_query(&f->db->db, sql, buf, sizeof buf), 0);
    return strtol(buf, NULL, 10);
}

/* ---- 4. the SMS code at rest --------------------------------------------------------------- */

/* Queues an SMS that brings code under key, valid until until. */
static void put_code(struct sfx *f, const char *key, const char *code, int64_t until)
{
    char sealed[CRYPTO_SEAL_TEXT_MAX];
    bool ins = false;
    const struct store_outbox_msg m = {.channel = "sms",
                                       .recipient = "5321234567",
                                       .subject = "",
                                       .body = "Kodunuz: " NOTIFY_CODE_MARK ".",
                                       .dedupe_key = key};
    assert_int_equal(crypto_seal(f->set.seal_key, key, code, sealed, sizeof sealed), 0);
    assert_int_equal(store_outbox_put(f->db->s, &m, NOW, &ins), STORE_OK);
    assert_true(ins);
    assert_int_equal(store_outbox_set_secret(f->db->s, key, sealed, until), STORE_OK);
}

static long secrets(struct sfx *f)
{
    return count(f, "SELECT count(*) FROM outbox WHERE secret IS NOT NULL");
}

/* What a fake gateway was given, and what it answers. */
struct gateway {
    struct store *s;
    enum notify_outcome answer;
    bool handover; /* marks the hand-over first, as the real senders do */
    char text[512];
    int calls;
};

static enum notify_outcome gw_send(void *ctx, const struct store_outbox_msg *m,
                                   char why[NOTIFY_WHY_MAX])
{
    struct gateway *g = ctx;
    g->calls++;
    snprintf(g->text, sizeof g->text, "%s", m->body);
    if (g->handover)
        assert_int_equal(store_outbox_mark_handover(g->s, m->id, m->attempts, NOW), STORE_OK);
    snprintf(why, NOTIFY_WHY_MAX, "%s", g->answer == NOTIFY_SENT ? "" : "http_503");
    return g->answer;
}

static int64_t clock_now(void)
{
    return NOW;
}

/* The drain's settings of these tests: quick retries, the clock at NOW, the given key. */
static struct notify_drain_cfg drain_cfg(const struct crypto_seal_key *key)
{
    return (struct notify_drain_cfg){.max_tries = 5,
                                     .retry_base = 1,
                                     .retry_max = 1,
                                     .lease_seconds = 30,
                                     .max_per_pass = 10,
                                     .now = clock_now,
                                     .key = key};
}

static void test_sms_code_at_rest(void **state)
{
    struct sfx *f = *state;
    char err[128];
    assert_int_equal(app_settings_seal_key(&f->set, NULL, true, err, sizeof err), 0);
    struct store *s = f->db->s;

    put_code(f, "otp:A-1:1", "111111", NOW + 300);
    assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE body LIKE '%111111%'"), 0);
    assert_int_equal(secrets(f), 1);
    /* a newer code for the same application: the older one is dropped by prefix */
    assert_int_equal(store_outbox_drop_secrets(s, "otp:A-1:", NOW, NULL), STORE_OK);
    put_code(f, "otp:A-1:2", "222222", NOW + 300);
    put_code(f, "otp:B-7:1", "333333", NOW + 100);
    assert_int_equal(secrets(f), 2);
    long n = -1;
    /* expiry: only what has expired at now goes */
    assert_int_equal(store_outbox_drop_secrets(s, NULL, NOW + 100, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE secret IS NOT NULL AND "
                              "dedupe_key = 'otp:A-1:2'"),
                     1);

    /* the drain: a refused try puts the code back (still valid), then it goes and is gone */
    struct gateway g = {.s = s, .answer = NOTIFY_RETRY, .handover = true};
    const struct notify_sender snd = {"sms", gw_send, &g};
    const struct notify_drain_cfg dc = drain_cfg(f->set.seal_key);
    struct notify_drain_stats st;
    assert_int_equal(notify_drain(s, &snd, &dc, NULL, &st), STORE_OK);
    /* the superseded one (A-1:1) and the expired one (B-7:1) fail without a send */
    assert_int_equal(g.calls, 1);
    assert_string_equal(g.text, "Kodunuz: 222222.");
    assert_int_equal(st.retried, 1);
    assert_int_equal(st.failed, 2);
    assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE status = 'failed' AND "
                              "last_error = 'code_withdrawn'"),
                     2);
    assert_int_equal(secrets(f), 1); /* back for the next try */
    g.answer = NOTIFY_SENT;
    assert_int_equal(
        testdb_exec(&f->db->db, "UPDATE outbox SET next_try_at = 0 WHERE status = 'pending'"), 0);
    assert_int_equal(notify_drain(s, &snd, &dc, NULL, &st), STORE_OK);
    assert_int_equal(st.sent, 1);
    assert_string_equal(g.text, "Kodunuz: 222222.");
    assert_int_equal(secrets(f), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE body LIKE '%222222%' "
                              "OR body LIKE '%111111%' OR body LIKE '%333333%'"),
                     0);

    /* handed over, then the sender died: "unconfirmed", and the code is not kept for it */
    put_code(f, "otp:C-2:1", "444444", NOW + 300);
    assert_int_equal(testdb_exec(&f->db->db, "UPDATE outbox SET status = 'sending', attempts = 1, "
                                             "handed_over_at = 1 WHERE dedupe_key = 'otp:C-2:1'"),
                     0);
    char id[32];
    assert_int_equal(testdb_query(&f->db->db,
                                  "SELECT id FROM outbox WHERE dedupe_key = 'otp:C-2:1'", id,
                                  sizeof id),
                     0);
    assert_int_equal(store_outbox_mark_handover(s, strtoll(id, NULL, 10), 1, NOW), STORE_OK);
    assert_int_equal(secrets(f), 0);
    /* a retry of it (the operator's) cannot bring the code back: it fails as withdrawn */
    assert_int_equal(store_outbox_restore_secret(s, strtoll(id, NULL, 10), 1, "s1.x.y", NOW),
                     STORE_OK); /* not pending: nothing changes */
    assert_int_equal(secrets(f), 0);
}

/* A drain without the key (a `notify run` not given the server's secret_key): a waiting code is
 * left for a sender that has the key, never sent with the mask or anything else in its place;
 * once it has expired it fails as withdrawn; a message without a code goes as usual. */
static void test_sms_code_keyless_drain(void **state)
{
    struct sfx *f = *state;
    char err[128];
    assert_int_equal(app_settings_seal_key(&f->set, NULL, true, err, sizeof err), 0);
    struct store *s = f->db->s;
    put_code(f, "otp:K-1:1", "555555", NOW + 300);
    put_code(f, "otp:K-2:1", "666666", NOW - 1); /* expired: dropped by the pass */
    bool ins = false;
    const struct store_outbox_msg plain = {.channel = "sms",
                                           .recipient = "5321234567",
                                           .subject = "",
                                           .body = "Başvurunuz alındı.",
                                           .dedupe_key = "plain:1"};
    assert_int_equal(store_outbox_put(s, &plain, NOW, &ins), STORE_OK);
    struct gateway g = {.s = s, .answer = NOTIFY_SENT, .handover = true};
    const struct notify_sender snd = {"sms", gw_send, &g};
    struct notify_drain_cfg dc = drain_cfg(NULL);
    struct notify_drain_stats st;
    assert_int_equal(notify_drain(s, &snd, &dc, NULL, &st), STORE_OK);
    assert_int_equal(g.calls, 1);
    assert_string_equal(g.text, "Başvurunuz alındı.");
    assert_int_equal(st.sent, 1);
    assert_int_equal(st.failed, 1);
    assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE dedupe_key = 'otp:K-2:1' AND "
                              "status = 'failed' AND last_error = 'code_withdrawn'"),
                     1);
    /* the valid code waits, untouched: no attempt counted, its sealed copy still there */
    assert_int_equal(count(f, "SELECT count(*) FROM outbox WHERE dedupe_key = 'otp:K-1:1' AND "
                              "status = 'pending' AND attempts = 0 AND secret IS NOT NULL"),
                     1);
    /* a second keyless pass changes nothing; a sender with the key then sends the code */
    assert_int_equal(notify_drain(s, &snd, &dc, NULL, &st), STORE_OK);
    assert_int_equal(g.calls, 1);
    dc.key = f->set.seal_key;
    assert_int_equal(notify_drain(s, &snd, &dc, NULL, &st), STORE_OK);
    assert_int_equal(g.calls, 2);
    assert_string_equal(g.text, "Kodunuz: 555555.");
    assert_int_equal(secrets(f), 0);
}

/* ---- 6. captchas per address ---------------------------------------------------------------- */

static void test_captcha_limit(void **state)
{
    struct sfx *f = *state;
    struct app_captcha c;
    struct app_err err;
    const int64_t win = f->set.portal.login_window;
    const int64_t ws = NOW - NOW % win;
    f->set.portal.captcha_max_per_addr = 12;

    for (int i = 0; i < 12; i++)
        assert_int_equal(app_captcha_new(from(f, "192.0.2.10", NOW + i), &c, &err), APP_OK);
    assert_int_equal(count(f, "SELECT count(*) FROM captchas"), 12);
    for (int i = 0; i < 30; i++) {
        assert_int_equal(app_captcha_new(from(f, "192.0.2.10", NOW + 20), &c, &err), APP_ETOOMANY);
        assert_string_equal(err.code, "too_many_attempts");
        assert_int_equal(err.retry_after, ws + win - (NOW + 20));
        assert_string_equal(c.id, "");
    }
    /* nothing stored past the limit: the table cannot be filled from one address */
    assert_int_equal(count(f, "SELECT count(*) FROM captchas"), 12);
    /* another address is not affected; nor is the first one after the window */
    assert_int_equal(app_captcha_new(from(f, "2001:db8::1", NOW + 20), &c, &err), APP_OK);
    assert_int_equal(app_captcha_new(from(f, "192.0.2.10", ws + win), &c, &err), APP_OK);
    /* looking at a captcha (its picture, its sound: drawn each time) is counted too */
    struct app_captcha look;
    f->set.portal.captcha_max_per_addr = 1;
    assert_int_equal(app_captcha_new(from(f, "192.0.2.99", NOW), &c, &err), APP_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(app_captcha_peek(from(f, "192.0.2.99", NOW), c.id, &look, &err), APP_OK);
    assert_int_equal(app_captcha_peek(from(f, "192.0.2.99", NOW), c.id, &look, &err), APP_ETOOMANY);
    assert_int_equal(app_captcha_peek(from(f, NULL, NOW), c.id, &look, &err), APP_OK); /* dev */
    /* a context without an address is counted as the address "unknown", not let through */
    f->set.portal.captcha_max_per_addr = 1;
    assert_int_equal(app_captcha_new(from(f, NULL, NOW), &c, &err), APP_OK);
    assert_int_equal(app_captcha_new(from(f, NULL, NOW), &c, &err), APP_ETOOMANY);
}

int main(void)
{
    testdb_require();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_captcha_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sms_code_keyless_drain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sms_code_at_rest, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
