/* eimza — the pool of database connections. See dbpool.h. A mutex guards a small array and
 * the pool's state (when it last pinged, whether connections are failing, the counts);
 * connections are opened, pinged and closed outside the lock, and log lines written outside
 * it, so a slow database never blocks the other threads' returns. A connection being pinged
 * is out of the idle array: no other thread can reach it. */
#include "web/http/dbpool.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "app/db.h"
#include "util/log.h"
#include "web/html/escape.h"

struct web_dbpool {
    pthread_mutex_t mu;
    char *url;
    struct store **idle; /* keep slots */
    size_t nidle, keep;
    size_t open;  /* idle + borrowed */
    unsigned gen; /* drains so far: a connection borrowed before the last one is closed */
    /* pings */
    int64_t next_ping_ms;  /* an idle connection lent at or after this is pinged first */
    bool ping_failing;     /* the last ping failed: db.ping_failed logged, until one answers */
    uint64_t ping_started; /* pings begun so far: each one's number orders their answers */
    uint64_t ping_told;    /* the number of the latest-begun ping whose answer was taken */
    /* connections that could not be opened: a run of failures, and the db.connect_* lines */
    bool conn_failing;      /* the last open failed: a run is on */
    bool conn_logged;       /* a line told of this run */
    bool any_line;          /* a db.connect_* line was logged (at line_ms) */
    uint64_t conn_run;      /* failures in this run */
    uint64_t conn_unlogged; /* failures no line has counted yet */
    int64_t conn_since_ms;  /* the run's first failure */
    int64_t line_ms;        /* the last db.connect_* line */
    bool damaged;           /* a connection found the database damaged: logged, kept */
    struct web_dbpool_stats stats;
};

/* What the pool decided to log about a connection opened or not (logged outside the lock). */
enum conn_line { CONN_NONE, CONN_FAILED, CONN_FAILING, CONN_RECOVERED };
struct conn_note {
    enum conn_line line;
    uint64_t failed; /* CONN_FAILED, CONN_FAILING: since the last line; CONN_RECOVERED: the run */
    int64_t ms;      /* since the run began */
};

struct web_dbpool *web_dbpool_new(const char *url, struct store *first, size_t keep)
{
    struct web_dbpool *p = calloc(1, sizeof *p);
    if (keep == 0)
        keep = 1;
    if (!p)
        goto fail;
    p->url = strdup(url);
    p->idle = calloc(keep, sizeof *p->idle);
    if (!p->url || !p->idle || pthread_mutex_init(&p->mu, NULL) != 0)
        goto fail;
    p->keep = keep;
    p->next_ping_ms = INT64_MIN; /* the first idle connection lent is pinged */
    if (first) {
        p->idle[p->nidle++] = first;
        p->open = 1;
    }
    return p;
fail:
    if (p) {
        free(p->url);
        free(p->idle);
        free(p);
    }
    if (first)
        app_db_close(first);
    return NULL;
}

/* Under p->mu: an open failed at now. The first failure of a run is told at once, unless a
 * db.connect_* line was logged less than WEB_DBPOOL_SUMMARY_MS ago (a database that comes and
 * goes); after that a line at most every WEB_DBPOOL_SUMMARY_MS, counting the failures since
 * the last one. */
static struct conn_note conn_failed(struct web_dbpool *p, int64_t now)
{
    struct conn_note n = {CONN_NONE, 0, 0};
    p->stats.connect_failures++;
    if (!p->conn_failing) {
        p->conn_failing = true;
        p->conn_logged = false;
        p->conn_run = 0;
        p->conn_since_ms = now;
    }
    p->conn_run++;
    p->conn_unlogged++;
    if (p->any_line && now - p->line_ms < WEB_DBPOOL_SUMMARY_MS)
        return n;
    n.line = p->conn_logged ? CONN_FAILING : CONN_FAILED;
    n.failed = p->conn_unlogged;
    n.ms = now - p->conn_since_ms;
    p->conn_logged = p->any_line = true;
    p->conn_unlogged = 0;
    p->line_ms = now;
    return n;
}

/* Under p->mu: an open succeeded at now. A run that was told of is told to have ended; one
 * that was not (it began soon after the last line, and ended before the next was due) leaves
 * its failures in conn_unlogged, for the next line. */
static struct conn_note conn_opened(struct web_dbpool *p, int64_t now)
{
    struct conn_note n = {CONN_NONE, 0, 0};
    if (!p->conn_failing)
        return n;
    p->conn_failing = false;
    if (!p->conn_logged)
        return n;
    n.line = CONN_RECOVERED;
    n.failed = p->conn_run;
    n.ms = now - p->conn_since_ms;
    p->conn_unlogged = 0; /* the run's first line counted those before it */
    p->line_ms = now;
    return n;
}

/* Pings s (borrowed from p): see web_dbpool_ping. Two pings may run at once (/healthz and a
 * lend, or two /healthz): the answer of one begun before the last one taken into account does
 * not change the state, so a ping that passed just before the file was deleted but returned
 * after a failed one does not log a recovery. */
static bool ping(struct web_dbpool *p, struct store *s, const char *rid)
{
    pthread_mutex_lock(&p->mu);
    uint64_t mine = ++p->ping_started;
    pthread_mutex_unlock(&p->mu);
    bool ok = app_db_ping(s);
    pthread_mutex_lock(&p->mu);
    bool was_failing = p->ping_failing, latest = mine > p->ping_told;
    if (latest) {
        p->ping_told = mine;
        p->ping_failing = !ok;
    }
    if (!ok)
        p->stats.ping_failures++;
    pthread_mutex_unlock(&p->mu);
    if (ok) {
        if (latest && was_failing)
            ulog(ULOG_INFO, "db.ping_recovered", "rid=%s", rid);
        return true;
    }
    if (latest && !was_failing) {
        char detail[300];
        web_log_text(detail, sizeof detail, app_db_error(s));
        ulog(ULOG_WARN, "db.ping_failed", "rid=%s detail=\"%s\"", rid, detail);
    }
    web_dbpool_drain(p);
    return false;
}

struct store *web_dbpool_get(struct web_dbpool *p, int64_t now_ms, const char *rid, unsigned *gen)
{
    struct store *s = NULL;
    bool check = false;
    struct conn_note n;
    char err[512], logerr[600];

    pthread_mutex_lock(&p->mu);
    if (p->nidle > 0) {
        s = p->idle[--p->nidle];
        if (now_ms >= p->next_ping_ms) { /* this thread pings; the others lend on meanwhile */
            p->next_ping_ms = now_ms + WEB_DBPOOL_PING_MS;
            check = true;
        }
    }
    *gen = p->gen; /* a connection opened below is of this generation or a later one */
    pthread_mutex_unlock(&p->mu);
    if (s) {
        if (check && !ping(p, s, rid)) {
            web_dbpool_put(p, s, *gen, true); /* closed */
            return NULL;
        }
        return s;
    }

    if (app_db_open(p->url, &s, err, sizeof err) < 0) {
        pthread_mutex_lock(&p->mu);
        n = conn_failed(p, now_ms);
        pthread_mutex_unlock(&p->mu);
        if (n.line != CONN_NONE)
            web_log_text(logerr, sizeof logerr, err);
        if (n.line == CONN_FAILED)
            ulog(ULOG_WARN, "db.connect_failed", "detail=\"%s\" failed=%" PRIu64, logerr, n.failed);
        else if (n.line == CONN_FAILING)
            ulog(ULOG_WARN, "db.connect_failing",
                 "failed=%" PRIu64 " seconds=%" PRId64 " detail=\"%s\"", n.failed, n.ms / 1000,
                 logerr);
        return NULL;
    }
    pthread_mutex_lock(&p->mu);
    p->open++;
    n = conn_opened(p, now_ms);
    pthread_mutex_unlock(&p->mu);
    if (n.line == CONN_RECOVERED)
        ulog(ULOG_INFO, "db.connect_recovered", "failed=%" PRIu64 " seconds=%" PRId64, n.failed,
             n.ms / 1000);
    return s;
}

bool web_dbpool_ping(struct web_dbpool *p, struct store *s, int64_t now_ms, const char *rid)
{
    pthread_mutex_lock(&p->mu);
    if (now_ms + WEB_DBPOOL_PING_MS > p->next_ping_ms) /* a lend need not ping again so soon */
        p->next_ping_ms = now_ms + WEB_DBPOOL_PING_MS;
    pthread_mutex_unlock(&p->mu);
    return ping(p, s, rid);
}

void web_dbpool_put(struct web_dbpool *p, struct store *s, unsigned gen, bool failed)
{
    if (!s)
        return;
    const long damaged = app_db_damaged(s);
    bool first = false;
    pthread_mutex_lock(&p->mu);
    if (damaged > 0) {
        failed = true;
        first = !p->damaged;
        p->damaged = true;
        p->stats.damaged += (uint64_t)damaged;
    }
    if (!failed && gen == p->gen && p->nidle < p->keep) {
        p->idle[p->nidle++] = s;
        s = NULL;
    } else {
        p->open--;
    }
    pthread_mutex_unlock(&p->mu);
    if (first) { /* its last error is the damage's, or one after it */
        char detail[300];
        web_log_text(detail, sizeof detail, app_db_error(s));
        ulog(ULOG_ERROR, "db.damaged",
             "detail=\"%s\" action=\"stop the server and restore the last good backup "
             "(docs/DEPLOYMENT.md, Backups)\"",
             detail);
    }
    if (s) /* NULL when it went back to the pool */
        app_db_close(s);
}

void web_dbpool_drain(struct web_dbpool *p)
{
    pthread_mutex_lock(&p->mu);
    p->gen++;
    size_t n = p->nidle; /* those idle now; closed one at a time outside the lock */
    pthread_mutex_unlock(&p->mu);
    for (; n > 0; n--) {
        struct store *s = NULL;
        pthread_mutex_lock(&p->mu);
        if (p->nidle > 0) {
            s = p->idle[--p->nidle];
            p->open--;
        }
        pthread_mutex_unlock(&p->mu);
        if (!s)
            break;
        app_db_close(s);
    }
}

bool web_dbpool_damaged(struct web_dbpool *p)
{
    pthread_mutex_lock(&p->mu);
    bool d = p->damaged;
    pthread_mutex_unlock(&p->mu);
    return d;
}

size_t web_dbpool_open_count(struct web_dbpool *p)
{
    pthread_mutex_lock(&p->mu);
    size_t n = p->open;
    pthread_mutex_unlock(&p->mu);
    return n;
}

void web_dbpool_stats(struct web_dbpool *p, struct web_dbpool_stats *st)
{
    pthread_mutex_lock(&p->mu);
    *st = p->stats;
    pthread_mutex_unlock(&p->mu);
}

void web_dbpool_free(struct web_dbpool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nidle; i++)
        app_db_close(p->idle[i]);
    pthread_mutex_destroy(&p->mu);
    free(p->url);
    free(p->idle);
    free(p);
}
