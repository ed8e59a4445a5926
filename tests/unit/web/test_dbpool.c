/* Unit tests for web/http/dbpool.c on a real SQLite file: a connection given back is lent
 * again; one that failed is closed; a drain (after a ping found the database damaged) closes
 * the idle ones at once and each one borrowed before it when it comes back, while one
 * borrowed after it is kept. The pool's open count says what is open. A pool whose database
 * file is missing lends nothing and makes no file. With a fake clock: connections that cannot
 * be opened are logged once, then a summary at most every WEB_DBPOOL_SUMMARY_MS, then the
 * recovery, and a database that comes and goes soon after does not log a line each time;
 * /metrics' counts see every failure. An idle connection lent within WEB_DBPOOL_PING_MS of the
 * last ping is not pinged, one lent after is, and a failed ping drains the pool, is logged once
 * and lends nothing. Four threads lending, pinging and giving back while the file is deleted
 * leave nothing open and log one failure (ASan). The log is read from stderr, sent to a file. */
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "web/http/dbpool.h"

static char dir[64], path[96], url[128], logpath[96];
static int saved_stderr = -1;

/* A database at path as `eimza migrate` leaves one for the ping: WAL mode, with a schema. */
static int make_db(void)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE t(x);", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

static void remove_db(void)
{
    char f[160];
    static const char *const ext[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(f, sizeof f, "%s%s", path, ext[i]);
        unlink(f);
    }
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/eimza-dbpool.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/db.sqlite", dir);
    snprintf(url, sizeof url, "sqlite:%s", path);
    snprintf(logpath, sizeof logpath, "%s/log", dir);
    /* the log: stderr into a file, read by logged() */
    fflush(stderr);
    saved_stderr = dup(2);
    int fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (saved_stderr < 0 || fd < 0 || dup2(fd, 2) < 0)
        return -1;
    close(fd);
    return make_db();
}

static int teardown(void **state)
{
    (void)state;
    fflush(stderr);
    if (saved_stderr >= 0) { /* the log, and a failed check's message, to the real stderr */
        char buf[4096];
        ssize_t n;
        int fd = open(logpath, O_RDONLY);
        while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
            if (write(saved_stderr, buf, (size_t)n) != n)
                break;
        if (fd >= 0)
            close(fd);
        dup2(saved_stderr, 2);
        close(saved_stderr);
        saved_stderr = -1;
    }
    remove_db();
    unlink(logpath);
    rmdir(dir);
    return 0;
}

/* The log's lines holding what, counted; the last one into last (when not NULL). */
static int logged(const char *what, char *last, size_t lastlen)
{
    char line[2048];
    int n = 0;
    fflush(stderr);
    FILE *f = fopen(logpath, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strstr(line, what)) {
            n++;
            if (last)
                snprintf(last, lastlen, "%s", line);
        }
    fclose(f);
    return n;
}

static void test_reuse_and_failure(void **state)
{
    (void)state;
    struct web_dbpool *p = web_dbpool_new(url, NULL, 2);
    assert_non_null(p);
    unsigned g;
    struct store *a = web_dbpool_get(p, 1000, "r", &g);
    assert_non_null(a);
    assert_int_equal(web_dbpool_open_count(p), 1);
    web_dbpool_put(p, a, g, false);
    assert_int_equal(web_dbpool_open_count(p), 1);
    assert_ptr_equal(web_dbpool_get(p, 1000, "r", &g), a); /* the idle one, lent again */
    web_dbpool_put(p, a, g, true);                         /* failed: closed */
    assert_int_equal(web_dbpool_open_count(p), 0);
    web_dbpool_free(p);
}

static void test_missing_file(void **state)
{
    (void)state;
    remove_db();
    struct web_dbpool *p = web_dbpool_new(url, NULL, 2);
    assert_non_null(p);
    unsigned g;
    for (int i = 0; i < 2; i++)
        assert_null(web_dbpool_get(p, 1000, "r", &g));
    assert_int_equal(web_dbpool_open_count(p), 0);
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
    web_dbpool_free(p);
}

static void test_drain(void **state)
{
    (void)state;
    struct web_dbpool *p = web_dbpool_new(url, NULL, 4);
    assert_non_null(p);
    unsigned ga, gb, gc;
    struct store *a = web_dbpool_get(p, 1000, "r", &ga), *b = web_dbpool_get(p, 1000, "r", &gb);
    assert_non_null(a);
    assert_non_null(b);
    web_dbpool_put(p, a, ga, false); /* a idle, b borrowed */
    assert_int_equal(web_dbpool_open_count(p), 2);
    web_dbpool_drain(p);
    assert_int_equal(web_dbpool_open_count(p), 1);       /* a closed at once */
    struct store *c = web_dbpool_get(p, 1000, "r", &gc); /* a new one, after the drain */
    assert_non_null(c);
    assert_int_equal(web_dbpool_open_count(p), 2);
    web_dbpool_put(p, b, gb, false); /* borrowed before the drain: closed, not kept */
    assert_int_equal(web_dbpool_open_count(p), 1);
    web_dbpool_put(p, c, gc, false); /* borrowed after it: kept */
    assert_int_equal(web_dbpool_open_count(p), 1);
    unsigned g;
    assert_ptr_equal(web_dbpool_get(p, 1000, "r", &g), c);
    web_dbpool_put(p, c, g, false);
    web_dbpool_drain(p); /* an empty pool too */
    assert_int_equal(web_dbpool_open_count(p), 0);
    web_dbpool_free(p);
}

/* An outage: 200 requests fail to connect over a minute and a bit; one line when it starts,
 * one summary a minute later, one when a connection opens again; every failure counted. */
static void test_connect_failures_logged_once(void **state)
{
    (void)state;
    char line[2048];
    struct web_dbpool_stats st;
    unsigned g;
    remove_db();
    struct web_dbpool *p = web_dbpool_new(url, NULL, 2);
    assert_non_null(p);
    const int64_t t0 = 5000000;
    assert_null(web_dbpool_get(p, t0, "r", &g));
    assert_int_equal(logged("event=db.connect_failed", line, sizeof line), 1);
    assert_non_null(strstr(line, "level=warn"));
    assert_non_null(strstr(line, "detail=\"there is no SQLite database at"));
    for (int i = 1; i < 199; i++) /* 198 more within the minute: no line */
        assert_null(web_dbpool_get(p, t0 + i * 300, "r", &g));
    assert_int_equal(logged("event=db.connect_failed", NULL, 0), 1);
    assert_int_equal(logged("event=db.connect_failing", NULL, 0), 0);
    assert_null(web_dbpool_get(p, t0 + WEB_DBPOOL_SUMMARY_MS, "r", &g)); /* the 200th */
    assert_int_equal(logged("event=db.connect_failing", line, sizeof line), 1);
    assert_non_null(strstr(line, "failed=199 seconds=60 detail=\"there is no SQLite database"));
    web_dbpool_stats(p, &st);
    assert_int_equal(st.connect_failures, 200);
    assert_int_equal(st.ping_failures, 0);
    assert_int_equal(logged("event=db.connect_recovered", NULL, 0), 0);

    /* the database back: one line, with the count and how long it lasted */
    assert_int_equal(make_db(), 0);
    struct store *s = web_dbpool_get(p, t0 + 61500, "r", &g);
    assert_non_null(s);
    assert_int_equal(logged("event=db.connect_recovered", line, sizeof line), 1);
    assert_non_null(strstr(line, "level=info"));
    assert_non_null(strstr(line, "failed=200 seconds=61"));
    web_dbpool_put(p, s, g, true);

    /* gone again and back soon after: no line within the minute after the last one */
    remove_db();
    assert_null(web_dbpool_get(p, t0 + 70000, "r", &g));
    assert_int_equal(make_db(), 0);
    s = web_dbpool_get(p, t0 + 71000, "r", &g);
    assert_non_null(s);
    web_dbpool_put(p, s, g, true);
    remove_db();
    assert_null(web_dbpool_get(p, t0 + 72000, "r", &g));
    assert_int_equal(logged("event=db.connect_", NULL, 0), 3);
    /* a minute after the last line a failure is told again, with those not told of */
    assert_null(web_dbpool_get(p, t0 + 61500 + WEB_DBPOOL_SUMMARY_MS, "r", &g));
    assert_int_equal(logged("event=db.connect_failed", line, sizeof line), 2);
    assert_non_null(strstr(line, "failed=3"));
    web_dbpool_stats(p, &st);
    assert_int_equal(st.connect_failures, 203);
    web_dbpool_free(p);
}

/* The ping on lending: none within WEB_DBPOOL_PING_MS of the last one, one after it; failed,
 * it drains the pool, lends nothing, and is logged once until a ping answers again. */
static void test_lend_ping(void **state)
{
    (void)state;
    char line[2048];
    struct web_dbpool_stats st;
    unsigned ga, gb, g;
    struct web_dbpool *p = web_dbpool_new(url, NULL, 4);
    assert_non_null(p);
    const int64_t t0 = 9000000;
    struct store *a = web_dbpool_get(p, t0, "r1", &ga), *b = web_dbpool_get(p, t0, "r2", &gb);
    assert_non_null(a);
    assert_non_null(b);
    web_dbpool_put(p, a, ga, false);
    assert_ptr_equal(web_dbpool_get(p, t0, "r3", &ga), a); /* pinged: the database answers */
    web_dbpool_put(p, a, ga, false);

    remove_db(); /* a and b still read and write the deleted file */
    /* within the second of the last ping: lent without one (the window left open) */
    assert_ptr_equal(web_dbpool_get(p, t0 + WEB_DBPOOL_PING_MS - 1, "r4", &ga), a);
    web_dbpool_put(p, a, ga, false);
    assert_int_equal(web_dbpool_open_count(p), 2);
    web_dbpool_stats(p, &st);
    assert_int_equal(st.ping_failures, 0);
    /* a second later: pinged, failed, the pool drained, nothing lent */
    assert_null(web_dbpool_get(p, t0 + WEB_DBPOOL_PING_MS, "r5", &g));
    assert_int_equal(web_dbpool_open_count(p), 1); /* b, borrowed */
    web_dbpool_stats(p, &st);
    assert_int_equal(st.ping_failures, 1);
    assert_int_equal(logged("event=db.ping_failed", line, sizeof line), 1);
    assert_non_null(strstr(line, "rid=r5 detail=\"the database file"));
    web_dbpool_put(p, b, gb, false); /* borrowed before the drain: closed */
    assert_int_equal(web_dbpool_open_count(p), 0);
    /* fresh connections are refused: nothing lent, no file made */
    assert_null(web_dbpool_get(p, t0 + 3 * WEB_DBPOOL_PING_MS, "r6", &g));
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);

    /* back: a fresh connection (no ping), then one lent a second later pings and says so */
    assert_int_equal(make_db(), 0);
    struct store *c = web_dbpool_get(p, t0 + 4 * WEB_DBPOOL_PING_MS, "r7", &g);
    assert_non_null(c);
    web_dbpool_put(p, c, g, false);
    assert_int_equal(logged("event=db.ping_recovered", NULL, 0), 0);
    assert_ptr_equal(web_dbpool_get(p, t0 + 5 * WEB_DBPOOL_PING_MS, "r8", &g), c);
    assert_int_equal(logged("event=db.ping_recovered rid=r8", NULL, 0), 1);
    assert_int_equal(logged("event=db.ping_failed", NULL, 0), 1);

    /* /healthz's ping counts as the pool's: a lend within the second after it does not ping */
    assert_true(web_dbpool_ping(p, c, t0 + 10 * WEB_DBPOOL_PING_MS, "r9"));
    web_dbpool_put(p, c, g, false);
    remove_db();
    assert_ptr_equal(web_dbpool_get(p, t0 + 11 * WEB_DBPOOL_PING_MS - 1, "r10", &g), c);
    assert_false(web_dbpool_ping(p, c, t0 + 11 * WEB_DBPOOL_PING_MS, "r11")); /* drains */
    web_dbpool_put(p, c, g, true);
    assert_int_equal(web_dbpool_open_count(p), 0);
    assert_int_equal(logged("event=db.ping_failed", NULL, 0), 2);
    web_dbpool_stats(p, &st);
    assert_int_equal(st.ping_failures, 2);
    web_dbpool_free(p);
}

/* Four threads lend, ping (as /healthz does) and give back while the fake clock runs, so
 * lends meet the pool's pings and drains; halfway the file is deleted. Under ASan: no
 * connection used after it was closed or closed twice, none left open; one failure logged,
 * no recovery (every ping after the deletion fails, whatever the order they answer in). */
#define STRESS_THREADS 4
#define STRESS_ROUNDS  400
static atomic_llong stress_clock;
static pthread_barrier_t stress_half;

static void *stress(void *arg)
{
    struct web_dbpool *p = arg;
    for (int i = 0; i < STRESS_ROUNDS; i++) {
        if (i == STRESS_ROUNDS / 2) { /* all halfway; then the main thread deletes the file */
            pthread_barrier_wait(&stress_half);
            pthread_barrier_wait(&stress_half);
        }
        int64_t now = atomic_fetch_add(&stress_clock, 7);
        unsigned ga, gb;
        struct store *a = web_dbpool_get(p, now, "t", &ga); /* two at a time: more open */
        struct store *b = web_dbpool_get(p, now, "t", &gb);
        bool failed = i < STRESS_ROUNDS / 2 && i % 50 == 25; /* after: the pings close them */
        if (a && i % 97 == 0)
            failed |= !web_dbpool_ping(p, a, now, "h");
        web_dbpool_put(p, a, ga, failed);
        web_dbpool_put(p, b, gb, false);
    }
    return NULL;
}

static void test_concurrent(void **state)
{
    (void)state;
    pthread_t t[STRESS_THREADS];
    struct web_dbpool_stats st;
    struct web_dbpool *p = web_dbpool_new(url, NULL, STRESS_THREADS);
    assert_non_null(p);
    atomic_store(&stress_clock, 1000000);
    assert_int_equal(pthread_barrier_init(&stress_half, NULL, STRESS_THREADS + 1), 0);
    for (int i = 0; i < STRESS_THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, stress, p), 0);
    pthread_barrier_wait(&stress_half);
    assert_int_equal(logged("event=db.", NULL, 0), 0); /* all well before */
    assert_true(web_dbpool_open_count(p) >= 2);
    remove_db();
    pthread_barrier_wait(&stress_half); /* the second half */
    for (int i = 0; i < STRESS_THREADS; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&stress_half);
    web_dbpool_stats(p, &st);
    assert_true(st.ping_failures >= 1);
    assert_int_equal(web_dbpool_open_count(p), 0);
    assert_int_equal(logged("event=db.ping_failed", NULL, 0), 1);
    assert_int_equal(logged("event=db.ping_recovered", NULL, 0), 0);
    assert_int_equal(logged("event=db.connect_failed", NULL, 0), 1);
    web_dbpool_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reuse_and_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_connect_failures_logged_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lend_ping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
