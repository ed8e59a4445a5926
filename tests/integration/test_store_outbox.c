/* eimza — the store's outbox delivery contract (store.h, "outbox delivery") on both backends:
 * claims take only due messages of their channel, count an attempt and hold a lease; a lease
 * that runs out gives the message back; the marks change a message only under the attempt
 * that holds it; failed messages are never claimed again; error texts are cut on a UTF-8
 * boundary; and connections claiming at the same moment get disjoint messages, every one of
 * them exactly once. Then the drain over it (notify/notify.h) with a scripted sender and a
 * controlled clock: back-off, the limit of tries, permanent refusals, a message whose
 * senders kept dying, a lost lease, the stop flag, the per-pass limit, and logs that never
 * hold the number or the text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <unistd.h>

#include "notify/notify.h"
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

static void put(struct store *s, const char *channel, const char *to, const char *body, int64_t now)
{
    struct store_outbox_msg m = {.channel = channel, .recipient = to, .body = body};
    bool ins = false;
    assert_int_equal(store_outbox_put(s, &m, now, &ins), STORE_OK);
    assert_true(ins);
}

/* What a claim handed over. */
#define GOT_MAX 256
struct got {
    long n;
    int64_t id[GOT_MAX];
    int attempts[GOT_MAX];
    char body[GOT_MAX][32];
    long stop_after; /* 0: take everything */
};

static int collect(void *ctx, const struct store_outbox_msg *m)
{
    struct got *g = ctx;
    assert_true(g->n < GOT_MAX);
    assert_string_equal(m->status, "sending");
    g->id[g->n] = m->id;
    g->attempts[g->n] = m->attempts;
    snprintf(g->body[g->n], sizeof g->body[0], "%s", m->body);
    g->n++;
    return g->stop_after && g->n >= g->stop_after;
}

static long claim(struct store *s, const char *channel, int64_t now, int64_t lease, long max,
                  struct got *g)
{
    long n = -1;
    memset(g, 0, sizeof *g);
    assert_int_equal(store_outbox_claim(s, channel, now, lease, max, true, collect, g, &n),
                     STORE_OK);
    assert_int_equal(n, g->n);
    return n;
}

static void status_of(struct fx *f, int64_t id, char *out, size_t outlen)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT status FROM outbox WHERE id = %lld", (long long)id);
    assert_int_equal(testdb_query(&f->db, sql, out, outlen), 0);
}

static void test_claim_due_and_lease(void **state)
{
    struct fx *f = *state;
    struct got g;
    put(f->s, "sms", "5321234567", "one", 100);
    put(f->s, "sms", "5321234567", "two", 101);
    put(f->s, "email", "a@b.tr", "mail", 100);
    put(f->s, "sms", "5321234567", "three", 102);

    assert_int_equal(claim(f->s, "sms", 99, 60, 10, &g), 0); /* nothing due yet */
    assert_int_equal(claim(f->s, "sms", 101, 60, 10, &g), 2);
    assert_string_equal(g.body[0], "one");
    assert_string_equal(g.body[1], "two");
    assert_int_equal(g.attempts[0], 1);
    assert_int_equal(g.attempts[1], 1);
    int64_t one = g.id[0], two = g.id[1];
    char st[32];
    status_of(f, one, st, sizeof st);
    assert_string_equal(st, "sending");

    /* held: a second claim gets only what is left, and the other channel is apart */
    assert_int_equal(claim(f->s, "sms", 150, 60, 10, &g), 1);
    assert_string_equal(g.body[0], "three");
    int64_t three = g.id[0];
    assert_int_equal(claim(f->s, "sms", 150, 60, 10, &g), 0);
    assert_int_equal(claim(f->s, "email", 150, 60, 10, &g), 1);
    assert_string_equal(g.body[0], "mail");

    /* the first lease (until 161) runs out: both come back, with a second attempt */
    assert_int_equal(claim(f->s, "sms", 160, 60, 10, &g), 0);
    assert_int_equal(claim(f->s, "sms", 161, 60, 10, &g), 2);
    assert_true((g.id[0] == one && g.id[1] == two) || (g.id[0] == two && g.id[1] == one));
    assert_int_equal(g.attempts[0], 2);
    assert_int_equal(g.attempts[1], 2);

    /* max */
    assert_int_equal(claim(f->s, "sms", 1000, 60, 1, &g), 1);
    assert_int_equal(g.id[0], three); /* due longest: its lease ended at 210 */
}

static void test_marks(void **state)
{
    struct fx *f = *state;
    struct got g;
    char st[64];
    put(f->s, "sms", "5321234567", "a", 10);
    assert_int_equal(claim(f->s, "sms", 10, 30, 5, &g), 1);
    int64_t id = g.id[0];

    /* a lease ran out and another sender claimed it: the first one's marks are refused */
    assert_int_equal(claim(f->s, "sms", 40, 30, 5, &g), 1);
    assert_int_equal(g.attempts[0], 2);
    assert_int_equal(store_outbox_mark_sent(f->s, id, 1, 45), STORE_ECONFLICT);
    assert_int_equal(store_outbox_mark_retry(f->s, id, 1, 100, "http_500"), STORE_ECONFLICT);
    assert_int_equal(store_outbox_mark_failed(f->s, id, 1, "http_400"), STORE_ECONFLICT);
    assert_int_equal(store_outbox_mark_sent(f->s, id + 1000, 2, 45), STORE_ENOTFOUND);

    /* retry: pending again, due at next_try_at, the error kept */
    assert_int_equal(store_outbox_mark_retry(f->s, id, 2, 100, "http_503"), STORE_OK);
    status_of(f, id, st, sizeof st);
    assert_string_equal(st, "pending");
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT last_error FROM outbox WHERE id = %lld", (long long)id);
    assert_int_equal(testdb_query(&f->db, sql, st, sizeof st), 0);
    assert_string_equal(st, "http_503");
    /* marking twice: the attempt no longer holds it */
    assert_int_equal(store_outbox_mark_retry(f->s, id, 2, 100, "x"), STORE_ECONFLICT);
    assert_int_equal(claim(f->s, "sms", 99, 30, 5, &g), 0);
    assert_int_equal(claim(f->s, "sms", 100, 30, 5, &g), 1);
    assert_int_equal(g.attempts[0], 3);

    /* sent: done, never claimed again, the error cleared */
    assert_int_equal(store_outbox_mark_sent(f->s, id, 3, 101), STORE_OK);
    status_of(f, id, st, sizeof st);
    assert_string_equal(st, "sent");
    snprintf(sql, sizeof sql,
             "SELECT sent_at || ':' || coalesce(last_error, '-') FROM outbox WHERE id = %lld",
             (long long)id);
    assert_int_equal(testdb_query(&f->db, sql, st, sizeof st), 0);
    assert_string_equal(st, "101:-");
    assert_int_equal(store_outbox_mark_sent(f->s, id, 3, 101), STORE_ECONFLICT);
    assert_int_equal(claim(f->s, "sms", 1000000, 30, 5, &g), 0);

    /* failed: for good */
    put(f->s, "sms", "5321234567", "b", 200);
    assert_int_equal(claim(f->s, "sms", 200, 30, 5, &g), 1);
    assert_int_equal(store_outbox_mark_failed(f->s, g.id[0], 1, "http_400"), STORE_OK);
    status_of(f, g.id[0], st, sizeof st);
    assert_string_equal(st, "failed");
    assert_int_equal(claim(f->s, "sms", 1000000, 30, 5, &g), 0);
}

static void test_bad_arguments(void **state)
{
    struct fx *f = *state;
    struct got g = {0};
    long n = 7;
    assert_int_equal(store_outbox_claim(f->s, "fax", 1, 1, 1, true, collect, &g, &n), STORE_EINVAL);
    assert_int_equal(n, 0);
    assert_int_equal(store_outbox_claim(f->s, NULL, 1, 1, 1, true, collect, &g, &n), STORE_EINVAL);
    assert_int_equal(store_outbox_claim(f->s, "sms", 1, 1, 0, true, collect, &g, &n), STORE_EINVAL);
    assert_int_equal(store_outbox_claim(f->s, "sms", 1, 0, 1, true, collect, &g, &n), STORE_EINVAL);
    assert_int_equal(store_outbox_claim(f->s, "sms", 1, 1, 1, true, NULL, &g, &n), STORE_EINVAL);
    assert_int_equal(store_outbox_claim(f->s, "sms", INT64_MAX, 1, 1, true, collect, &g, &n),
                     STORE_EINVAL);
    assert_int_equal(store_outbox_claim(NULL, "sms", 1, 1, 1, true, collect, &g, &n), STORE_EINVAL);
    /* a claim must commit on its own, so other senders see it before anything is sent */
    assert_int_equal(store_tx_begin(f->s), STORE_OK);
    assert_int_equal(store_outbox_claim(f->s, "sms", 1, 1, 1, true, collect, &g, &n), STORE_EINVAL);
    store_tx_rollback(f->s);
    assert_int_equal(store_outbox_mark_sent(f->s, 1, 0, 1), STORE_EINVAL);
    assert_int_equal(store_outbox_mark_retry(f->s, 1, 1, 1, NULL), STORE_EINVAL);
    assert_int_equal(store_outbox_mark_failed(f->s, 1, 1, NULL), STORE_EINVAL);
    assert_int_equal(store_outbox_mark_failed(NULL, 1, 1, "x"), STORE_EINVAL);
}

static void test_error_text_cut(void **state)
{
    struct fx *f = *state;
    struct got g;
    put(f->s, "sms", "5321234567", "a", 1);
    assert_int_equal(claim(f->s, "sms", 1, 30, 1, &g), 1);
    /* 'x' then 300 two-byte letters: the cut at 500 bytes falls inside one of them */
    char text[700];
    size_t o = 0;
    text[o++] = 'x';
    for (int i = 0; i < 300; i++) {
        text[o++] = (char)0xC3;
        text[o++] = (char)0xBC; /* ü */
    }
    text[o] = '\0';
    assert_int_equal(store_outbox_mark_failed(f->s, g.id[0], 1, text), STORE_OK);
    char sql[160], got[64];
    snprintf(sql, sizeof sql, "SELECT %s FROM outbox WHERE id = %lld",
             f->db.pg ? "octet_length(last_error)" : "length(CAST(last_error AS BLOB))",
             (long long)g.id[0]);
    assert_int_equal(testdb_query(&f->db, sql, got, sizeof got), 0);
    assert_string_equal(got, "499"); /* 'x' + 249 whole letters */
}

static void test_stop_early(void **state)
{
    struct fx *f = *state;
    struct got g;
    for (int i = 0; i < 3; i++)
        put(f->s, "sms", "5321234567", "m", 5);
    memset(&g, 0, sizeof g);
    g.stop_after = 1;
    long n = 0;
    assert_int_equal(store_outbox_claim(f->s, "sms", 5, 10, 3, true, collect, &g, &n), STORE_OK);
    assert_int_equal(n, 3);   /* all three were claimed */
    assert_int_equal(g.n, 1); /* one handed over */
    assert_int_equal(claim(f->s, "sms", 14, 10, 10, &g), 0);
    assert_int_equal(claim(f->s, "sms", 15, 10, 10, &g), 3); /* back when the lease ends */
}

/* ---- concurrent claims -------------------------------------------------------------------- */

#define RACERS   4
#define MESSAGES 120

struct racer {
    struct fx *f;
    pthread_barrier_t *go;
    int64_t ids[MESSAGES];
    long n;
    enum store_err err;
};

static int racer_take(void *ctx, const struct store_outbox_msg *m)
{
    struct racer *r = ctx;
    if (r->n < MESSAGES)
        r->ids[r->n] = m->id;
    r->n++;
    return 0;
}

static void *race(void *arg)
{
    struct racer *r = arg;
    struct store *s = NULL;
    char err[256];
    r->err = store_open(r->f->db.url, &s, err, sizeof err);
    pthread_barrier_wait(r->go);
    if (r->err != STORE_OK)
        return NULL;
    for (;;) {
        long n = 0;
        r->err = store_outbox_claim(s, "sms", 1000, 600, 3, true, racer_take, r, &n);
        if (r->err != STORE_OK || n == 0)
            break;
    }
    store_close(s);
    return NULL;
}

static void test_concurrent_claims(void **state)
{
    struct fx *f = *state;
    for (int i = 0; i < MESSAGES; i++)
        put(f->s, "sms", "5321234567", "race", 900);
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, RACERS);
    pthread_t t[RACERS];
    struct racer *r = calloc(RACERS, sizeof *r);
    assert_non_null(r);
    for (int i = 0; i < RACERS; i++) {
        r[i].f = f;
        r[i].go = &go;
        pthread_create(&t[i], NULL, race, &r[i]);
    }
    for (int i = 0; i < RACERS; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&go);

    /* every message claimed once: the claims are disjoint and cover the outbox */
    static int seen[MESSAGES * 4];
    memset(seen, 0, sizeof seen);
    long total = 0;
    for (int i = 0; i < RACERS; i++) {
        assert_int_equal(r[i].err, STORE_OK);
        assert_true(r[i].n <= MESSAGES);
        for (long k = 0; k < r[i].n; k++) {
            int64_t id = r[i].ids[k];
            assert_true(id >= 1 && id < MESSAGES * 4);
            seen[id]++;
            assert_int_equal(seen[id], 1);
        }
        total += r[i].n;
    }
    assert_int_equal(total, MESSAGES);
    char got[32];
    assert_int_equal(testdb_query(&f->db,
                                  "SELECT count(*) FROM outbox WHERE status = 'sending' "
                                  "AND attempts = 1",
                                  got, sizeof got),
                     0);
    assert_string_equal(got, "120");
    free(r);
}

/* ---- the drain ---------------------------------------------------------------------------- */

static int64_t fake_now;
static int64_t clock_fake(void)
{
    return fake_now;
}

/* A sender that answers from a script, and can play a second sender taking the message. */
struct script {
    enum notify_outcome out[8];
    const char *why[8];
    int n, calls;
    struct fx *steal; /* non-NULL: another claim takes the message during the send */
    char last_body[64];
};

static enum notify_outcome scripted(void *ctx, const struct store_outbox_msg *m,
                                    char why[NOTIFY_WHY_MAX])
{
    struct script *sc = ctx;
    assert_true(sc->calls < sc->n);
    snprintf(sc->last_body, sizeof sc->last_body, "%s", m->body);
    if (sc->steal)
        assert_int_equal(testdb_exec(&sc->steal->db, "UPDATE outbox SET attempts = attempts + 1"),
                         0);
    int i = sc->calls++;
    snprintf(why, NOTIFY_WHY_MAX, "%s", sc->why[i] ? sc->why[i] : "");
    return sc->out[i];
}

static const struct notify_drain_cfg drain_cfg = {
    .max_tries = 3,
    .retry_base = 30,
    .retry_max = 45,
    .lease_seconds = 70,
    .max_per_pass = 10,
    .now = clock_fake,
};

static void drain(struct fx *f, struct script *sc, const struct notify_drain_cfg *c,
                  const atomic_bool *stop, struct notify_drain_stats *ds)
{
    const struct notify_sender snd = {.channel = "sms", .send = scripted, .ctx = sc};
    assert_int_equal(notify_drain(f->s, &snd, c ? c : &drain_cfg, stop, ds), STORE_OK);
}

static void row(struct fx *f, const char *body, char *out, size_t outlen)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT status || ':' || attempts || ':' || next_try_at || ':' || "
             "coalesce(last_error, '-') FROM outbox WHERE body = '%s'",
             body);
    assert_int_equal(testdb_query(&f->db, sql, out, outlen), 0);
}

static void test_drain_retry_then_sent(void **state)
{
    struct fx *f = *state;
    struct notify_drain_stats ds;
    char r[128];
    put(f->s, "sms", "5321234567", "a", 100);
    put(f->s, "email", "x@y.tr", "mail", 100); /* another channel: never touched */
    struct script sc = {.out = {NOTIFY_RETRY, NOTIFY_RETRY, NOTIFY_SENT},
                        .why = {"http_500", "timeout", NULL},
                        .n = 3};
    fake_now = 100;
    drain(f, &sc, NULL, NULL, &ds);
    assert_int_equal(ds.claimed, 1);
    assert_int_equal(ds.retried, 1);
    row(f, "a", r, sizeof r);
    assert_string_equal(r, "pending:1:130:http_500"); /* 30 s after the first attempt */
    fake_now = 129;
    drain(f, &sc, NULL, NULL, &ds);
    assert_int_equal(ds.claimed, 0);
    fake_now = 130;
    drain(f, &sc, NULL, NULL, &ds);
    row(f, "a", r, sizeof r);
    assert_string_equal(r, "pending:2:175:timeout"); /* 60 s, capped at 45 */
    fake_now = 175;
    drain(f, &sc, NULL, NULL, &ds);
    assert_int_equal(ds.sent, 1);
    row(f, "a", r, sizeof r);
    assert_string_equal(r, "sent:3:245:-");
    assert_int_equal(sc.calls, 3);
    fake_now = 100000;
    drain(f, &sc, NULL, NULL, &ds); /* sent is sent: nothing more */
    assert_int_equal(ds.claimed, 0);
    row(f, "mail", r, sizeof r);
    assert_string_equal(r, "pending:0:100:-");
}

static void test_drain_gives_up(void **state)
{
    struct fx *f = *state;
    struct notify_drain_stats ds;
    char r[128];
    /* a refusal for good: failed at once */
    put(f->s, "sms", "5321234567", "refused", 10);
    struct script sc = {.out = {NOTIFY_FAILED}, .why = {"http_400"}, .n = 1};
    fake_now = 10;
    drain(f, &sc, NULL, NULL, &ds);
    assert_int_equal(ds.failed, 1);
    row(f, "refused", r, sizeof r);
    assert_string_equal(r, "failed:1:80:http_400");

    /* transient failures up to the limit of tries (3) */
    put(f->s, "sms", "5321234567", "flaky", 10);
    struct script sc2 = {.out = {NOTIFY_RETRY, NOTIFY_RETRY, NOTIFY_RETRY},
                         .why = {"http_503", "http_503", "http_502"},
                         .n = 3};
    for (int i = 0; i < 3; i++) {
        fake_now = 10000 * (i + 1);
        drain(f, &sc2, NULL, NULL, &ds);
        assert_int_equal(ds.claimed, 1);
    }
    assert_int_equal(ds.failed, 1);
    row(f, "flaky", r, sizeof r);
    assert_string_equal(r, "failed:3:30070:http_502");
    fake_now = 1000000;
    drain(f, &sc2, NULL, NULL, &ds);
    assert_int_equal(ds.claimed, 0);

    /* claimed again and again by senders that died: failed without another send */
    put(f->s, "sms", "5321234567", "cursed", 10);
    assert_int_equal(testdb_exec(&f->db, "UPDATE outbox SET attempts = 3 WHERE body = 'cursed'"),
                     0);
    struct script none = {.n = 0};
    drain(f, &none, NULL, NULL, &ds);
    assert_int_equal(ds.failed, 1);
    assert_int_equal(none.calls, 0);
    row(f, "cursed", r, sizeof r);
    assert_string_equal(r, "failed:4:1000070:too_many_tries");
}

static void test_drain_lost_lease_stop_and_limit(void **state)
{
    struct fx *f = *state;
    struct notify_drain_stats ds;
    char r[128];
    put(f->s, "sms", "5321234567", "stolen", 10);
    struct script sc = {.out = {NOTIFY_SENT}, .n = 1, .steal = f};
    fake_now = 10;
    drain(f, &sc, NULL, NULL, &ds);
    assert_int_equal(ds.claimed, 1);
    assert_int_equal(ds.lost, 1);
    assert_int_equal(ds.sent, 0);
    row(f, "stolen", r, sizeof r);
    assert_string_equal(r, "sending:2:80:-"); /* the other sender's outcome stands */

    for (int i = 0; i < 3; i++)
        put(f->s, "sms", "5321234567", "many", 20);
    atomic_bool stop = true;
    struct script sc2 = {.out = {NOTIFY_SENT, NOTIFY_SENT, NOTIFY_SENT}, .n = 3};
    fake_now = 20;
    drain(f, &sc2, NULL, &stop, &ds);
    assert_int_equal(ds.claimed, 0);
    atomic_store(&stop, false);
    struct notify_drain_cfg two = drain_cfg;
    two.max_per_pass = 2;
    drain(f, &sc2, &two, &stop, &ds);
    assert_int_equal(ds.claimed, 2);
    assert_int_equal(ds.sent, 2);
    drain(f, &sc2, &two, &stop, &ds);
    assert_int_equal(ds.sent, 1);

    struct notify_drain_cfg bad = drain_cfg;
    bad.max_tries = 0;
    const struct notify_sender snd = {.channel = "sms", .send = scripted, .ctx = &sc2};
    assert_int_equal(notify_drain(f->s, &snd, &bad, NULL, &ds), STORE_EINVAL);
    assert_int_equal(notify_drain(f->s, NULL, &drain_cfg, NULL, &ds), STORE_EINVAL);
}

static void test_drain_logs_mask(void **state)
{
    struct fx *f = *state;
    struct notify_drain_stats ds;
    char path[] = "/tmp/eimza-drainlog.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    assert_true(saved >= 0);
    dup2(fd, 2);
    put(f->s, "sms", "5321234567", "SMS dogrulama kodunuz: 654321", 10);
    put(f->s, "sms", "5439876543", "ikinci kod: 111222", 10);
    put(f->s, "sms", "5551112233", "ucuncu kod: 333444", 10);
    struct script sc = {.out = {NOTIFY_SENT, NOTIFY_RETRY, NOTIFY_FAILED},
                        .why = {NULL, "http_500", "http_400"},
                        .n = 3};
    fake_now = 10;
    drain(f, &sc, NULL, NULL, &ds);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    assert_int_equal(ds.sent + ds.retried + ds.failed, 3);
    char log[4096] = "";
    ssize_t n = pread(fd, log, sizeof log - 1, 0);
    close(fd);
    unlink(path);
    assert_true(n > 0);
    log[n] = '\0';
    const char *never[] = {"5321234567", "5439876543", "5551112233", "654321",
                           "111222",     "333444",     "kod"};
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
        if (strstr(log, never[i]))
            fail_msg("the log shows '%s':\n%s", never[i], log);
    assert_non_null(strstr(log, "event=outbox.sent"));
    assert_non_null(strstr(log, "to=5*******67"));
    assert_non_null(strstr(log, "event=outbox.retry"));
    assert_non_null(strstr(log, "reason=http_500"));
    assert_non_null(strstr(log, "event=outbox.failed"));
}

/* Many messages at once (store_outbox_put_batch): all are queued, in order, with their
 * template and values; a key already queued is kept once (but a warning's key is not in that
 * index: its mark is its once-only); more than one statement's worth (PostgreSQL: 500 rows)
 * works; one bad message queues none; inside a transaction a rollback takes them all back. */
static void test_put_batch(void **state)
{
    struct fx *f = *state;
    enum { N = 1203 };
    static struct store_outbox_msg m[N];
    static char keys[N][40], to[N][40];
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "remind:%d:draft:%s", i, i % 2 ? "sms" : "email");
        snprintf(to[i], sizeof to[i], i % 2 ? "532%07d" : "k%d@meb.gov.tr", i);
        m[i] = (struct store_outbox_msg){.channel = i % 2 ? "sms" : "email",
                                         .recipient = to[i],
                                         .tpl = "reminder_code",
                                         .params = "{\"name\":\"Ayşe \\\"A\\\" Işık\"}",
                                         .dedupe_key = keys[i]};
    }
    m[7].tpl = m[7].params = NULL; /* one with its text */
    m[7].subject = "Konu";
    m[7].body = "Metin";
    long ins = -1;
    assert_int_equal(store_outbox_put_batch(f->s, m, N, 500, &ins), STORE_OK);
    assert_int_equal(ins, N);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM outbox"), N);
    char v[256];
    assert_int_equal(testdb_query(&f->db,
                                  "SELECT recipient || '|' || template || '|' || params || '|' || "
                                  "created_at || '|' || next_try_at || '|' || status FROM outbox "
                                  "WHERE dedupe_key = 'remind:1202:draft:email'",
                                  v, sizeof v),
                     0);
    assert_string_equal(
        v, "k1202@meb.gov.tr|reminder_code|{\"name\":\"Ayşe \\\"A\\\" Işık\"}|500|500|pending");
    assert_int_equal(testdb_query(&f->db,
                                  "SELECT subject || '|' || body || '|' || "
                                  "coalesce(template, 'none') FROM outbox WHERE dedupe_key = "
                                  "'remind:7:draft:sms'",
                                  v, sizeof v),
                     0);
    assert_string_equal(v, "Konu|Metin|none");
    /* in the order given, across the statements */
    static const int at[] = {0, 499, 500, 601, 1202};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT dedupe_key FROM outbox ORDER BY id LIMIT 1 OFFSET %d",
                 at[i]);
        assert_int_equal(testdb_query(&f->db, sql, v, sizeof v), 0);
        assert_string_equal(v, keys[at[i]]);
    }

    /* again: the keys are kept once */
    assert_int_equal(store_outbox_put_batch(f->s, m, 3, 600, &ins), STORE_OK);
    assert_int_equal(ins, 0);
    /* warnings' keys are not: their marks keep them once (store_warn_mark) */
    struct store_outbox_msg w[2] = {m[0], m[1]};
    w[0].dedupe_key = w[1].dedupe_key = "warn:1:90:email";
    assert_int_equal(store_outbox_put_batch(f->s, w, 2, 600, &ins), STORE_OK);
    assert_int_equal(ins, 2);

    /* one bad message: none is queued */
    struct store_outbox_msg bad[3] = {m[0], m[1], m[2]};
    for (int i = 0; i < 3; i++)
        bad[i].dedupe_key = NULL;
    bad[2].params = NULL;
    assert_int_equal(store_outbox_put_batch(f->s, bad, 3, 700, &ins), STORE_EINVAL);
    assert_int_equal(ins, 0);
    bad[2] = m[2];
    bad[2].channel = "fax";
    assert_int_equal(store_outbox_put_batch(f->s, bad, 3, 700, &ins), STORE_EINVAL);
    assert_int_equal(store_outbox_put_batch(f->s, bad, 0, 700, &ins), STORE_EINVAL);
    assert_int_equal(store_outbox_put_batch(f->s, NULL, 1, 700, &ins), STORE_EINVAL);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM outbox"), N + 2);

    /* inside the caller's transaction: its rollback takes the batch back */
    for (int i = 0; i < 3; i++)
        snprintf(keys[i], sizeof keys[i], "digest:%02d:2025-01-01", i + 1);
    assert_int_equal(store_tx_begin(f->s), STORE_OK);
    assert_int_equal(store_outbox_put_batch(f->s, m, 3, 800, &ins), STORE_OK);
    assert_int_equal(ins, 3);
    store_tx_rollback(f->s);
    assert_int_equal(testdb_query_ll(&f->db, "SELECT count(*) FROM outbox"), N + 2);
}

int main(void)
{
    testdb_require();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_claim_due_and_lease, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_marks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_text_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_early, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_claims, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drain_retry_then_sent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drain_gives_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drain_lost_lease_stop_and_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drain_logs_mask, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
