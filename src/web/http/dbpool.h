/* eimza — database connections for the server's worker threads (web/http/).
 *
 * A struct store is one connection for one thread at a time (store/store.h). Requests borrow
 * one for the time their handler runs and give it back; idle connections wait in the pool for
 * the next request, so in steady state each worker thread reuses one connection and the pool
 * never holds more than the number of requests that ran at once. A connection that failed is
 * closed instead of reused, and the next request opens a fresh one: the server heals itself
 * after the database restarts. A drain (web_dbpool_drain) closes them all. All functions are
 * thread-safe.
 *
 * The pool checks the database (the store's ping) on an idle connection it lends when it has
 * not pinged for WEB_DBPOOL_PING_MS: a SQLite file deleted or replaced under the server is
 * still read and written by every pooled connection, so without it a request between the
 * damage and the next /healthz probe would be told its write was saved in a file nobody will
 * read again. A failed ping, here or from /healthz (web_dbpool_ping), is logged once
 * (db.ping_failed) until a ping answers again (db.ping_recovered), and drains the pool.
 * Connections that cannot be opened are logged once when they start failing
 * (db.connect_failed, with the cause), then at most once every WEB_DBPOOL_SUMMARY_MS while
 * they go on failing (db.connect_failing: how many since the last line), and
 * db.connect_recovered (how many failed, for how long) when one opens again: a database
 * outage under load does not write a line per request. Every failure is counted for /metrics
 * (web_dbpool_stats).
 *
 * The clock is passed in (now_ms: a monotonic clock in milliseconds, the server's), so the
 * throttling is tested with a fake one.
 */
#ifndef EIMZA_WEB_HTTP_DBPOOL_H
#define EIMZA_WEB_HTTP_DBPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct web_dbpool;

#define WEB_DBPOOL_PING_MS    1000  /* an idle connection lent later than this is pinged */
#define WEB_DBPOOL_SUMMARY_MS 60000 /* the least time between two db.connect_* lines */

/* A pool for url that keeps at most keep idle connections. first (may be NULL) is an open
 * connection to url that the pool takes over. Returns NULL when memory runs out (first is
 * then closed). */
struct web_dbpool *web_dbpool_new(const char *url, struct store *first, size_t keep);

/* Borrows a connection, opening one when none is idle; an idle one is pinged first when the
 * pool has not pinged for WEB_DBPOOL_PING_MS. NULL when the database cannot be reached or the
 * ping failed (logged as above, without secrets; rid names the request in a ping's lines).
 * *gen gets the pool's generation, for web_dbpool_put. */
struct store *web_dbpool_get(struct web_dbpool *p, int64_t now_ms, const char *rid, unsigned *gen);

/* Pings s, borrowed from p, whatever the time (for /healthz): on failure logs and drains as a
 * failed ping on lending does (the caller gives s back as failed); on success after a failure
 * logs the recovery. True when the database answered. */
bool web_dbpool_ping(struct web_dbpool *p, struct store *s, int64_t now_ms, const char *rid);

/* Gives back a borrowed connection (gen: web_dbpool_get's); failed closes it instead (it may
 * be broken), as does a drain since it was borrowed. A connection whose statements found the
 * database damaged (app_db_damaged) is closed too, and the pool remembers it until the server
 * stops: the first such connection is logged (db.damaged, an error: restore from a backup),
 * /readyz says database_damaged, /metrics counts them. A ping cannot see such damage at a
 * constant cost (store_ping); the requests that read it do. */
void web_dbpool_put(struct web_dbpool *p, struct store *s, unsigned gen, bool failed);

/* Closes the idle connections, and each borrowed one when it is given back: after a ping
 * found the database damaged (a SQLite file replaced or deleted under the pool is still read
 * by every connection opened before), so every request after opens a fresh one. */
void web_dbpool_drain(struct web_dbpool *p);

/* Whether a connection given back found the database damaged since the pool was made. */
bool web_dbpool_damaged(struct web_dbpool *p);

/* The number of connections open now, idle or borrowed (for /metrics). */
size_t web_dbpool_open_count(struct web_dbpool *p);

/* What /metrics counts: every connection that could not be opened, every ping that failed
 * (on lending or from /healthz), every statement that found the database damaged, since the
 * pool was made. */
struct web_dbpool_stats {
    uint64_t connect_failures;
    uint64_t ping_failures;
    uint64_t damaged; /* statements that found the database damaged */
};
void web_dbpool_stats(struct web_dbpool *p, struct web_dbpool_stats *st);

/* Closes every idle connection and frees the pool. Every borrowed connection must have been
 * given back (the server stops its threads first). */
void web_dbpool_free(struct web_dbpool *p);

#endif
