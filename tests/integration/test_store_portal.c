/* eimza — the store's portal contract (store.h, "the applicant portal"), one suite for both
 * backends like test_store_contract.c: captchas used up exactly once even under concurrent
 * takes, sessions, rate-limit counters that stay exact under concurrent increments,
 * applications (every field back byte for byte, one open application per person, the
 * optimistic state check), the timeline written with the change, SMS code state, the outbox
 * and explicit transactions that leave nothing half-written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/appstate.h"
#include "crypto/hash.h"
#include "store/store.h"
#include "testdb.h"

/* The shared fixture of testdb.h: a fresh, migrated database and a connection. */
#define fx testdb_fx

static int setup(void **state)
{
    return testdb_fx_setup(state, true);
}

static int teardown(void **state)
{
    return testdb_fx_teardown(state);
}

static struct store *open_other(struct fx *f)
{
    struct store *s = NULL;
    char err[256];
    assert_int_equal(store_open(f->db.url, &s, err, sizeof err), STORE_OK);
    return s;
}

/* ---- captchas ----------------------------------------------------------------------------- */

static void test_captcha_single_use(void **state)
{
    struct fx *f = *state;
    struct store_captcha c = {.id = "c1", .answer = "AB3KM", .expires_at = 1000}, got;
    assert_int_equal(store_captcha_put(f->s, &c), STORE_OK);
    assert_int_equal(store_captcha_put(f->s, &c), STORE_ECONFLICT);

    assert_int_equal(store_captcha_get(f->s, "c1", &got), STORE_OK);
    assert_string_equal(got.answer, "AB3KM");
    assert_int_equal(got.expires_at, 1000);
    assert_false(got.used);
    /* reading does not use it up */
    assert_int_equal(store_captcha_get(f->s, "c1", &got), STORE_OK);

    memset(&got, 0, sizeof got);
    assert_int_equal(store_captcha_take(f->s, "c1", &got), STORE_OK);
    assert_string_equal(got.answer, "AB3KM");
    assert_false(got.used); /* as it was before the take */
    assert_int_equal(store_captcha_take(f->s, "c1", &got), STORE_ENOTFOUND);
    assert_int_equal(store_captcha_get(f->s, "c1", &got), STORE_OK);
    assert_true(got.used);

    assert_int_equal(store_captcha_take(f->s, "nope", &got), STORE_ENOTFOUND);
    assert_int_equal(store_captcha_get(f->s, "", &got), STORE_ENOTFOUND);
    struct store_captcha bad = {.id = "", .answer = "X", .expires_at = 1};
    assert_int_equal(store_captcha_put(f->s, &bad), STORE_EINVAL);

    struct store_captcha old = {.id = "c0", .answer = "ZZZZZ", .expires_at = 10};
    assert_int_equal(store_captcha_put(f->s, &old), STORE_OK);
    long n = -1;
    assert_int_equal(store_captcha_purge(f->s, 500, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_captcha_get(f->s, "c0", &got), STORE_ENOTFOUND);
    assert_int_equal(store_captcha_get(f->s, "c1", &got), STORE_OK);
}

#define RACERS 6

struct racer {
    struct fx *f;
    pthread_barrier_t *go;
    const char *id;
    enum store_err result;
    long count;
};

static void *take_thread(void *arg)
{
    struct racer *r = arg;
    struct store *s = open_other(r->f);
    struct store_captcha c;
    pthread_barrier_wait(r->go);
    r->result = store_captcha_take(s, r->id, &c);
    store_close(s);
    return NULL;
}

static void test_captcha_concurrent_take(void **state)
{
    struct fx *f = *state;
    for (int round = 0; round < 3; round++) {
        char id[16];
        snprintf(id, sizeof id, "race%d", round);
        struct store_captcha c = {.expires_at = 99};
        snprintf(c.id, sizeof c.id, "%s", id);
        snprintf(c.answer, sizeof c.answer, "ABCDE");
        assert_int_equal(store_captcha_put(f->s, &c), STORE_OK);
        pthread_barrier_t go;
        pthread_barrier_init(&go, NULL, RACERS);
        pthread_t t[RACERS];
        struct racer r[RACERS];
        for (int i = 0; i < RACERS; i++) {
            r[i] = (struct racer){.f = f, .go = &go, .id = id};
            pthread_create(&t[i], NULL, take_thread, &r[i]);
        }
        int ok = 0;
        for (int i = 0; i < RACERS; i++) {
            pthread_join(t[i], NULL);
            if (r[i].result == STORE_OK)
                ok++;
            else
                assert_int_equal(r[i].result, STORE_ENOTFOUND);
        }
        pthread_barrier_destroy(&go);
        assert_int_equal(ok, 1);
    }
}

/* ---- sessions ----------------------------------------------------------------------------- */

static void hash_of(const char *token, char out[STORE_HASH_HEX + 1])
{
    assert_int_equal(crypto_sha256_hex(token, strlen(token), out), 0);
}

static void test_sessions(void **state)
{
    struct fx *f = *state;
    struct store_session ss = {.kind = "applicant",
                               .subject = "10000000146",
                               .csrf = "csrf-token",
                               .created_at = 100,
                               .last_seen = 100,
                               .expires_at = 1000};
    hash_of("token-1", ss.token_hash);
    assert_int_equal(store_session_put(f->s, &ss), STORE_OK);
    assert_int_equal(store_session_put(f->s, &ss), STORE_ECONFLICT);

    struct store_session got;
    assert_int_equal(store_session_get(f->s, ss.token_hash, &got), STORE_OK);
    assert_string_equal(got.kind, "applicant");
    assert_string_equal(got.subject, "10000000146");
    assert_string_equal(got.csrf, "csrf-token");
    assert_int_equal(got.created_at, 100);
    assert_int_equal(got.last_seen, 100);
    assert_int_equal(got.expires_at, 1000);
    assert_int_equal(got.application_id, 0);

    assert_int_equal(store_session_touch(f->s, ss.token_hash, 200), STORE_OK);
    assert_int_equal(store_session_touch(f->s, ss.token_hash, 150), STORE_OK); /* never back */
    assert_int_equal(store_session_bind(f->s, ss.token_hash, 42), STORE_OK);
    assert_int_equal(store_session_get(f->s, ss.token_hash, &got), STORE_OK);
    assert_int_equal(got.last_seen, 200);
    assert_int_equal(got.application_id, 42);

    char other[STORE_HASH_HEX + 1];
    hash_of("token-2", other);
    assert_int_equal(store_session_get(f->s, other, &got), STORE_ENOTFOUND);
    assert_int_equal(store_session_touch(f->s, other, 1), STORE_ENOTFOUND);
    assert_int_equal(store_session_get(f->s, "not-a-hash", &got), STORE_EINVAL);
    struct store_session bad = ss;
    snprintf(bad.kind, sizeof bad.kind, "root");
    hash_of("token-3", bad.token_hash);
    assert_int_equal(store_session_put(f->s, &bad), STORE_EINVAL);

    /* purge: expired (absolute) and idle ones go, the live one stays */
    struct store_session idle = ss, dead = ss;
    hash_of("idle", idle.token_hash);
    idle.last_seen = 10;
    hash_of("dead", dead.token_hash);
    dead.expires_at = 250;
    assert_int_equal(store_session_put(f->s, &idle), STORE_OK);
    assert_int_equal(store_session_put(f->s, &dead), STORE_OK);
    long n = -1;
    assert_int_equal(store_session_purge(f->s, 300, 120, &n), STORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_session_get(f->s, ss.token_hash, &got), STORE_OK);
    assert_int_equal(store_session_get(f->s, idle.token_hash, &got), STORE_ENOTFOUND);

    assert_int_equal(store_session_delete(f->s, ss.token_hash), STORE_OK);
    assert_int_equal(store_session_delete(f->s, ss.token_hash), STORE_OK);
    assert_int_equal(store_session_get(f->s, ss.token_hash, &got), STORE_ENOTFOUND);
}

/* ---- rate limits -------------------------------------------------------------------------- */

static void *hit_thread(void *arg)
{
    struct racer *r = arg;
    struct store *s = open_other(r->f);
    pthread_barrier_wait(r->go);
    for (int i = 0; i < 20; i++) {
        long c;
        if (store_rate_hit(s, "login:addr:x", 900, &c) != STORE_OK) {
            r->result = STORE_EIO;
            break;
        }
        if (c > r->count)
            r->count = c;
    }
    store_close(s);
    return NULL;
}

static void test_rate_limits(void **state)
{
    struct fx *f = *state;
    long c = -1;
    assert_int_equal(store_rate_get(f->s, "k", 0, &c), STORE_OK);
    assert_int_equal(c, 0);
    for (long i = 1; i <= 3; i++) {
        assert_int_equal(store_rate_hit(f->s, "k", 0, &c), STORE_OK);
        assert_int_equal(c, i);
    }
    assert_int_equal(store_rate_hit(f->s, "k", 900, &c), STORE_OK); /* a new window */
    assert_int_equal(c, 1);
    assert_int_equal(store_rate_hit(f->s, "other", 0, &c), STORE_OK);
    assert_int_equal(c, 1);
    assert_int_equal(store_rate_get(f->s, "k", 0, &c), STORE_OK);
    assert_int_equal(c, 3);
    assert_int_equal(store_rate_hit(f->s, "", 0, &c), STORE_EINVAL);

    long n = -1;
    assert_int_equal(store_rate_purge(f->s, 900, &n), STORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_rate_get(f->s, "k", 0, &c), STORE_OK);
    assert_int_equal(c, 0);
    assert_int_equal(store_rate_get(f->s, "k", 900, &c), STORE_OK);
    assert_int_equal(c, 1);

    /* concurrent increments from several connections: none is lost */
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, 4);
    pthread_t t[4];
    struct racer r[4];
    for (int i = 0; i < 4; i++) {
        r[i] = (struct racer){.f = f, .go = &go, .result = STORE_OK};
        pthread_create(&t[i], NULL, hit_thread, &r[i]);
    }
    long top = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(r[i].result, STORE_OK);
        if (r[i].count > top)
            top = r[i].count;
    }
    pthread_barrier_destroy(&go);
    assert_int_equal(top, 80);
    assert_int_equal(store_rate_get(f->s, "login:addr:x", 900, &c), STORE_OK);
    assert_int_equal(c, 80);
}

/* ---- applications ------------------------------------------------------------------------- */

static void app_fill(struct store_application *a, const char *number, const char *tckn)
{
    memset(a, 0, sizeof *a);
    snprintf(a->number, sizeof a->number, "%s", number);
    snprintf(a->tckn, sizeof a->tckn, "%s", tckn);
    snprintf(a->state, sizeof a->state, "draft");
    a->confirmed = true;
    a->confirmed_at = 1700000001;
    snprintf(a->first_name, sizeof a->first_name, "Ayşe Gül");
    snprintf(a->last_name, sizeof a->last_name, "IŞIK");
    snprintf(a->birth_place, sizeof a->birth_place, "Hakkâri");
    snprintf(a->birth_date, sizeof a->birth_date, "1980-03-15");
    snprintf(a->institution_name, sizeof a->institution_name, "Batman İl Millî Eğitim Müdürlüğü");
    snprintf(a->registry_no, sizeof a->registry_no, "12345");
    snprintf(a->reason, sizeof a->reason, "lost_stolen");
    snprintf(a->card_reader, sizeof a->card_reader, "Mini Kart Okuyucu");
    a->validity_years = 2;
    snprintf(a->security_word_hash, sizeof a->security_word_hash, "$argon2id$v=19$m=19456$x$y");
    snprintf(a->unit, sizeof a->unit, "Bilgi İşlem");
    snprintf(a->title, sizeof a->title, "Öğretmen");
    snprintf(a->address, sizeof a->address, "Cumhuriyet Cad. No: 5 \"A\" Blok; 'iç' kapı");
    a->province = 72;
    snprintf(a->district, sizeof a->district, "Merkez");
    snprintf(a->postal_code, sizeof a->postal_code, "72100");
    snprintf(a->email, sizeof a->email, "ayse.isik@meb.gov.tr");
    snprintf(a->work_phone, sizeof a->work_phone, "4882121212");
    snprintf(a->work_phone_ext, sizeof a->work_phone_ext, "123");
    snprintf(a->mobile_phone, sizeof a->mobile_phone, "5321234567");
    snprintf(a->mobile_operator, sizeof a->mobile_operator, "turkcell");
    snprintf(a->notify_by, sizeof a->notify_by, "sms");
    a->late = true;
    a->cert_not_after = 1800000000;
    a->created_at = 1700000000;
    a->updated_at = 1700000002;
}

struct evlist {
    int n;
    char rows[8][128];
};

static int collect_event(void *ctx, const struct store_app_event *ev)
{
    struct evlist *l = ctx;
    if (l->n < 8)
        snprintf(l->rows[l->n++], sizeof l->rows[0], "%lld %s>%s %s %s", (long long)ev->at,
                 ev->from, ev->to, ev->event, ev->actor);
    return 0;
}

static const struct store_app_event created = {1700000000, "", "draft", "created", "applicant"};

static void test_application_round_trip(void **state)
{
    struct fx *f = *state;
    struct store_application a, got;
    app_fill(&a, "ABCDEFGH12", "10000000146");
    assert_int_equal(store_app_create(f->s, &a, &created), STORE_OK);
    assert_true(a.id > 0);

    assert_int_equal(store_app_get(f->s, a.id, &got), STORE_OK);
    testdb_assert_app_equal(&got, &a);
    assert_int_equal(store_app_latest(f->s, "10000000146", &got), STORE_OK);
    assert_int_equal(got.id, a.id);
    assert_int_equal(store_app_latest(f->s, "10000000070", &got), STORE_ENOTFOUND);
    assert_int_equal(store_app_get(f->s, a.id + 100, &got), STORE_ENOTFOUND);
    memset(&got, 0, sizeof got);
    assert_int_equal(store_app_by_number(f->s, "ABCDEFGH12", &got), STORE_OK);
    testdb_assert_app_equal(&got, &a);
    assert_int_equal(store_app_by_number(f->s, "ABCDEFGH13", &got), STORE_ENOTFOUND);
    assert_int_equal(store_app_by_number(f->s, "SHORT", &got), STORE_EINVAL);
    assert_int_equal(store_app_by_number(f->s, NULL, &got), STORE_EINVAL);

    struct evlist l = {0};
    assert_int_equal(store_app_events(f->s, a.id, collect_event, &l), STORE_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.rows[0], "1700000000 >draft created applicant");
}

static void test_application_one_open(void **state)
{
    struct fx *f = *state;
    struct store_application a, b;
    app_fill(&a, "AAAAAAAAAA", "10000000146");
    assert_int_equal(store_app_create(f->s, &a, &created), STORE_OK);
    /* the same number again */
    app_fill(&b, "AAAAAAAAAA", "10000000070");
    assert_int_equal(store_app_create(f->s, &b, &created), STORE_ECONFLICT);
    /* a second open application of the same person */
    app_fill(&b, "BBBBBBBBBB", "10000000146");
    assert_int_equal(store_app_create(f->s, &b, &created), STORE_ECONFLICT);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM application_events"), 1);

    /* once the first is over (cancelled), a new one may start */
    struct store_application cur = a;
    snprintf(cur.state, sizeof cur.state, "cancelled");
    struct store_app_event ev = {1700000100, "draft", "cancelled", "cancel", "applicant"};
    assert_int_equal(store_app_update(f->s, &cur, "draft", &ev), STORE_OK);
    b.created_at = 1700000200;
    assert_int_equal(store_app_create(f->s, &b, &created), STORE_OK);
    struct store_application got;
    assert_int_equal(store_app_latest(f->s, "10000000146", &got), STORE_OK);
    assert_string_equal(got.number, "BBBBBBBBBB");

    /* bad arguments */
    app_fill(&b, "SHORT", "10000000070");
    assert_int_equal(store_app_create(f->s, &b, &created), STORE_EINVAL);
    app_fill(&b, "CCCCCCCCCC", "10000000070");
    memset(b.unit, 'x', sizeof b.unit); /* no NUL */
    assert_int_equal(store_app_create(f->s, &b, &created), STORE_EINVAL);
}

static void test_application_update(void **state)
{
    struct fx *f = *state;
    struct store_application a, got;
    app_fill(&a, "UPDATE0001", "10000000146");
    assert_int_equal(store_app_create(f->s, &a, &created), STORE_OK);

    /* a form change without a state change: no event */
    snprintf(a.postal_code, sizeof a.postal_code, "72200");
    assert_int_equal(store_app_update(f->s, &a, "draft", NULL), STORE_OK);
    /* a state change with its event */
    snprintf(a.state, sizeof a.state, "code_verified");
    struct store_app_event ev = {1700000300, "draft", "code_verified", "code_verified",
                                 "applicant:100******46"};
    assert_int_equal(store_app_update(f->s, &a, "draft", &ev), STORE_OK);
    assert_int_equal(store_app_get(f->s, a.id, &got), STORE_OK);
    assert_string_equal(got.state, "code_verified");
    assert_string_equal(got.postal_code, "72200");

    /* the stored state is no longer draft: a writer that read draft loses */
    struct store_application stale = a;
    snprintf(stale.state, sizeof stale.state, "draft");
    snprintf(stale.postal_code, sizeof stale.postal_code, "72999");
    struct store_app_event reopen = {1700000400, "code_verified", "draft", "reopen", "x"};
    assert_int_equal(store_app_update(f->s, &stale, "draft", &reopen), STORE_ECONFLICT);
    assert_int_equal(store_app_get(f->s, a.id, &got), STORE_OK);
    assert_string_equal(got.postal_code, "72200");

    /* fixed fields are never written: a changed number makes the update miss */
    struct store_application renum = got;
    snprintf(renum.number, sizeof renum.number, "ZZZZZZZZZZ");
    assert_int_equal(store_app_update(f->s, &renum, "code_verified", NULL), STORE_ECONFLICT);
    struct store_application missing = got;
    missing.id += 1000;
    assert_int_equal(store_app_update(f->s, &missing, "code_verified", NULL), STORE_ENOTFOUND);

    struct evlist l = {0};
    assert_int_equal(store_app_events(f->s, a.id, collect_event, &l), STORE_OK);
    assert_int_equal(l.n, 2); /* the refused updates left no event */
    assert_string_equal(l.rows[1], "1700000300 draft>code_verified code_verified "
                                   "applicant:100******46");
}

/* ---- transactions ------------------------------------------------------------------------- */

static void test_transactions(void **state)
{
    struct fx *f = *state;
    struct store_application a, got;
    app_fill(&a, "TXTXTXTX01", "10000000146");
    assert_int_equal(store_app_create(f->s, &a, &created), STORE_OK);

    assert_int_equal(store_tx_commit(f->s), STORE_EINVAL);
    store_tx_rollback(f->s); /* no-op */
    assert_false(store_in_tx(f->s));

    /* rolled back: the update, its event, the SMS state and an audit entry all vanish */
    assert_int_equal(store_tx_begin(f->s), STORE_OK);
    assert_true(store_in_tx(f->s));
    assert_int_equal(store_tx_begin(f->s), STORE_EINVAL);
    assert_int_equal(store_personnel_import_begin(f->s), STORE_EINVAL);
    assert_int_equal(store_app_get(f->s, a.id, &got), STORE_OK);
    snprintf(got.state, sizeof got.state, "code_verified");
    struct store_app_event ev = {1, "draft", "code_verified", "code_verified", "t"};
    assert_int_equal(store_app_update(f->s, &got, "draft", &ev), STORE_OK);
    struct store_otp o = {.application_id = a.id, .code_hash = "abc", .salt = "00", .seq = 1};
    assert_int_equal(store_otp_put(f->s, &o), STORE_OK);
    struct store_audit_entry ae = {.at = 1, .actor = "t", .action = "test.rollback"};
    assert_int_equal(store_audit_append(f->s, &ae), STORE_OK);
    store_tx_rollback(f->s);
    assert_false(store_in_tx(f->s));
    assert_int_equal(store_app_get(f->s, a.id, &got), STORE_OK);
    assert_string_equal(got.state, "draft");
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM application_events"), 1);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM application_otp"), 0);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM audit_log"), 0);

    /* committed: all of it is there */
    assert_int_equal(store_tx_begin(f->s), STORE_OK);
    assert_int_equal(store_app_get(f->s, a.id, &got), STORE_OK);
    snprintf(got.state, sizeof got.state, "code_verified");
    assert_int_equal(store_app_update(f->s, &got, "draft", &ev), STORE_OK);
    assert_int_equal(store_otp_put(f->s, &o), STORE_OK);
    assert_int_equal(store_audit_append(f->s, &ae), STORE_OK);
    assert_int_equal(store_tx_commit(f->s), STORE_OK);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM application_events"), 2);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM application_otp"), 1);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM audit_log"), 1);

    /* a failure inside: the caller rolls back and nothing of the transaction stays */
    assert_int_equal(store_tx_begin(f->s), STORE_OK);
    assert_int_equal(store_audit_append(f->s, &ae), STORE_OK);
    struct store_application dup;
    app_fill(&dup, "TXTXTXTX01", "10000000070"); /* number taken */
    assert_int_equal(store_app_create(f->s, &dup, &created), STORE_ECONFLICT);
    if (testdb_is_pg()) /* PostgreSQL refuses to commit a failed transaction */
        assert_int_not_equal(store_tx_commit(f->s), STORE_OK);
    else
        store_tx_rollback(f->s);
    assert_false(store_in_tx(f->s));
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM audit_log"), 1);
    /* and the connection is usable again */
    assert_int_equal(store_app_get(f->s, a.id, &got), STORE_OK);
}

/* ---- SMS codes and the outbox ------------------------------------------------------------- */

/* The form's draft (issue 17): kept whole (Turkish letters, quotes, a form at its size),
 * replaced by the next, gone when deleted (deleting again is no error); one per application,
 * and only for an application that exists. */
static void test_form_draft(void **state)
{
    struct fx *f = *state;
    struct store_application a;
    app_fill(&a, "DRAFTDRAF1", "10000000146");
    assert_int_equal(store_app_create(f->s, &a, &created), STORE_OK);
    struct store_form_draft d = {.application_id = a.id, .saved_at = 1700000500}, got;
    assert_int_equal(store_draft_get(f->s, a.id, &got), STORE_ENOTFOUND);
    snprintf(d.form, sizeof d.form, "%s",
             "{\"address\":\"Gazi Bulvarı No: 12 \\\"A\\\" Blok; 'iç' "
             "kapı\",\"postal_code\":\"35250\"}");
    assert_int_equal(store_draft_put(f->s, &d), STORE_OK);
    memset(&got, 0xAB, sizeof got);
    assert_int_equal(store_draft_get(f->s, a.id, &got), STORE_OK);
    assert_int_equal(got.application_id, a.id);
    assert_string_equal(got.form, d.form);
    assert_int_equal(got.saved_at, 1700000500);

    /* the next one replaces it; a form as large as a draft may be */
    memset(d.form, 'x', sizeof d.form - 1);
    d.form[0] = '{', d.form[1] = '"', d.form[sizeof d.form - 3] = '"';
    d.form[sizeof d.form - 2] = '}', d.form[sizeof d.form - 1] = '\0';
    d.saved_at = 1700000600;
    assert_int_equal(store_draft_put(f->s, &d), STORE_OK);
    assert_int_equal(store_draft_get(f->s, a.id, &got), STORE_OK);
    assert_int_equal(strlen(got.form), sizeof d.form - 1);
    assert_int_equal(got.saved_at, 1700000600);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM application_drafts"), 1);

    /* not terminated within its buffer: refused before the database */
    struct store_form_draft *bad = malloc(sizeof *bad);
    assert_non_null(bad);
    memset(bad, 'y', sizeof *bad);
    bad->application_id = a.id;
    assert_int_equal(store_draft_put(f->s, bad), STORE_EINVAL);
    free(bad);
    /* a draft of no application */
    d.application_id = a.id + 1000;
    assert_int_not_equal(store_draft_put(f->s, &d), STORE_OK);

    assert_int_equal(store_draft_delete(f->s, a.id), STORE_OK);
    assert_int_equal(store_draft_get(f->s, a.id, &got), STORE_ENOTFOUND);
    assert_int_equal(store_draft_delete(f->s, a.id), STORE_OK);
}

static void test_otp_state(void **state)
{
    struct fx *f = *state;
    struct store_application a;
    app_fill(&a, "OTPOTPOTP1", "10000000146");
    assert_int_equal(store_app_create(f->s, &a, &created), STORE_OK);
    struct store_otp o;
    memset(&o, 0xAB, sizeof o);
    assert_int_equal(store_otp_get(f->s, a.id, &o), STORE_OK);
    assert_int_equal(o.application_id, a.id);
    assert_string_equal(o.code_hash, "");
    assert_int_equal(o.wrong_count, 0);
    assert_int_equal(o.seq, 0);

    struct store_otp w = {.application_id = a.id,
                          .code_hash =
                              "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
                              "cdef",
                          .salt = "00112233445566778899aabbccddeeff",
                          .seq = 2,
                          .sent_at = 100,
                          .expires_at = 400,
                          .send_window_start = 90,
                          .sends_in_window = 2,
                          .wrong_window_start = 95,
                          .wrong_count = 1};
    assert_int_equal(store_otp_put(f->s, &w), STORE_OK);
    assert_int_equal(store_otp_get(f->s, a.id, &o), STORE_OK);
    assert_int_equal(o.application_id, w.application_id);
    assert_string_equal(o.code_hash, w.code_hash);
    assert_string_equal(o.salt, w.salt);
    assert_int_equal(o.seq, w.seq);
    assert_int_equal(o.sent_at, w.sent_at);
    assert_int_equal(o.expires_at, w.expires_at);
    assert_int_equal(o.send_window_start, w.send_window_start);
    assert_int_equal(o.sends_in_window, w.sends_in_window);
    assert_int_equal(o.wrong_window_start, w.wrong_window_start);
    assert_int_equal(o.wrong_count, w.wrong_count);
    w.code_hash[0] = '\0';
    w.wrong_count = 3;
    assert_int_equal(store_otp_put(f->s, &w), STORE_OK);
    assert_int_equal(store_otp_get(f->s, a.id, &o), STORE_OK);
    assert_string_equal(o.code_hash, "");
    assert_int_equal(o.wrong_count, 3);
    /* no such application: the foreign key refuses it */
    w.application_id = a.id + 1000;
    assert_int_equal(store_otp_put(f->s, &w), STORE_ECONFLICT);
}

struct oblist {
    int n;
    char rows[8][200];
};

static int collect_msg(void *ctx, const struct store_outbox_msg *m)
{
    struct oblist *l = ctx;
    if (l->n < 8)
        snprintf(l->rows[l->n++], sizeof l->rows[0], "%s|%s|%s|%s|%s|%s|%lld", m->channel,
                 m->recipient, m->subject, m->body, m->dedupe_key ? m->dedupe_key : "(null)",
                 m->status, (long long)m->created_at);
    return 0;
}

static void test_outbox(void **state)
{
    struct fx *f = *state;
    bool ins = false;
    struct store_outbox_msg m = {.channel = "sms",
                                 .recipient = "5321234567",
                                 .body = "SMS onay kodunuz: 123456",
                                 .dedupe_key = "otp:A:1"};
    assert_int_equal(store_outbox_put(f->s, &m, 100, &ins), STORE_OK);
    assert_true(ins);
    assert_int_equal(store_outbox_put(f->s, &m, 101, &ins), STORE_OK);
    assert_false(ins); /* deduplicated */
    struct store_outbox_msg e = {
        .channel = "email", .recipient = "a@b.tr", .subject = "Konu", .body = "Gövde"};
    assert_int_equal(store_outbox_put(f->s, &e, 102, &ins), STORE_OK);
    assert_true(ins);
    assert_int_equal(store_outbox_put(f->s, &e, 103, &ins), STORE_OK); /* no key: no dedupe */
    assert_true(ins);
    struct store_outbox_msg bad = {.channel = "fax", .recipient = "x", .body = "y"};
    assert_int_equal(store_outbox_put(f->s, &bad, 1, &ins), STORE_EINVAL);

    struct oblist l = {0};
    assert_int_equal(store_outbox_each(f->s, 100, collect_msg, &l), STORE_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.rows[0], "sms|5321234567||SMS onay kodunuz: 123456|otp:A:1|pending|100");
    assert_string_equal(l.rows[1], "email|a@b.tr|Konu|Gövde|(null)|pending|102");
    memset(&l, 0, sizeof l);
    assert_int_equal(store_outbox_each(f->s, 2, collect_msg, &l), STORE_OK);
    assert_int_equal(l.n, 2); /* the newest two, oldest first */
    assert_string_equal(l.rows[0], "email|a@b.tr|Konu|Gövde|(null)|pending|102");
    assert_string_equal(l.rows[1], "email|a@b.tr|Konu|Gövde|(null)|pending|103");
}

int main(void)
{
    testdb_require();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_captcha_single_use, setup, teardown),
        cmocka_unit_test_setup_teardown(test_captcha_concurrent_take, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_application_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_application_one_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_application_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_otp_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_form_draft, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outbox, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
