/* eimza — database connections for the server's worker threads (web/http/).
 *
 * A struct store is one connection for one thread at a time (store/store.h). Requests borrow
 * one for the time their handler runs and give it back; idle connections wait in the pool for
 * the next request, so in steady state each worker thread reuses one connection and the pool
 * never holds more than the number of requests that ran at once. A connection that failed is
 * closed instead of reused, and the next request opens a fresh one: the server heals itself
 * after the database restarts. A drain (web_dbpool_drain) closes them all. All functions are
 * thread-safe.
 */
#ifndef EIMZA_WEB_HTTP_DBPOOL_H
#define EIMZA_WEB_HTTP_DBPOOL_H

#include <stdbool.h>
#include <stddef.h>

struct store;
struct web_dbpool;

/* A pool for url that keeps at most keep idle connections. first (may be NULL) is an open
 * connection to url that the pool takes over. Returns NULL when memory runs out (first is
 * then closed). */
struct web_dbpool *web_dbpool_new(const char *url, struct store *first, size_t keep);

/* Borrows a connection, opening one when none is idle. NULL when the database cannot be
 * reached (the reason is logged, without secrets). *gen gets the pool's generation, for
 * web_dbpool_put. */
struct store *web_dbpool_get(struct web_dbpool *p, unsigned *gen);

/* Gives back a borrowed connection (gen: web_dbpool_get's); failed closes it instead (it may
 * be broken), as does a drain since it was borrowed. */
void web_dbpool_put(struct web_dbpool *p, struct store *s, unsigned gen, bool failed);

/* Closes the idle connections, and each borrowed one when it is given back: after /healthz
 * found the database damaged (a SQLite file replaced or deleted under the pool is still read
 * by every connection opened before), so every request after opens a fresh one. */
void web_dbpool_drain(struct web_dbpool *p);

/* The number of connections open now, idle or borrowed (for /metrics). */
size_t web_dbpool_open_count(struct web_dbpool *p);

/* Closes every idle connection and frees the pool. Every borrowed connection must have been
 * given back (the server stops its threads first). */
void web_dbpool_free(struct web_dbpool *p);

#endif
