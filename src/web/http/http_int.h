/* eimza — the HTTP room's internals, shared by the files of src/web/http/ only (like SQLite's
 * btreeInt.h beside btree.h): the server and request structures behind the opaque types of
 * server.h and request.h. Nothing outside src/web/http/ includes this file (the unit tests of
 * the server aside).
 */
#ifndef EIMZA_WEB_HTTP_HTTP_INT_H
#define EIMZA_WEB_HTTP_HTTP_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "util/buf.h"
#include "web/http/error.h"
#include "web/http/request.h"
#include "web/http/router.h"
#include "web/http/server.h"

struct MHD_Daemon;
struct MHD_Connection;
struct web_dbpool;
struct web_tls;

/* Counters for /metrics: plain atomics, updated once per request when it completes. */
struct web_metrics {
    atomic_uint_fast64_t by_class[6]; /* [1]..[5]: 1xx..5xx; [0]: no response was sent */
    atomic_uint_fast64_t bytes_out;   /* response body bytes */
    atomic_uint_fast64_t micros;      /* time from headers received to completion */
    atomic_int_fast64_t in_flight;    /* requests started and not yet completed */
};

/* Per route (and one more for the requests no route took), for /metrics: a latency histogram
 * (counts per bucket, not cumulative: the handler adds them up), the requests and their time,
 * and what their handlers asked of the database. */
#define WEB_LATENCY_BUCKETS 13 /* WEB_LATENCY_LE (server.c), +Inf being the count */
struct web_route_metrics {
    atomic_uint_fast64_t bucket[WEB_LATENCY_BUCKETS + 1]; /* [i]: <= le[i]; last: above all */
    atomic_uint_fast64_t count;
    atomic_uint_fast64_t micros;
    atomic_uint_fast64_t db_statements;
    atomic_uint_fast64_t db_round_trips;
};
extern const double web_latency_le[WEB_LATENCY_BUCKETS]; /* seconds, ascending */

/* A background worker /readyz asks about (web_server_watch). */
#define WEB_WATCH_MAX 4
struct web_watch {
    char name[24];
    bool (*alive)(void *ctx, const char **why);
    void *ctx;
};

struct web_server {
    struct MHD_Daemon *mhd;
    int listen_fd; /* ours to close after MHD_stop_daemon */
    atomic_bool quiesced;
    const struct web_route *routes;
    size_t nroutes;
    enum web_err (*error_page)(struct web_req *rq, enum web_err e); /* web_site.error_page */
    struct web_dbpool *pool;
    char backend[16]; /* "sqlite" | "postgresql" */
    int schema;
    size_t max_body;
    bool dev, access_log;
    int64_t now_offset; /* --dev only: EIMZA_TEST_NOW_OFFSET, read once at start (0 otherwise) */
    char url[96];
    char healthz[128];              /* the /healthz body: fixed for the life of the process */
    char agent_url[128];            /* the local signing agent (config agent_url) */
    char trusted_proxies[512];      /* config trusted_proxies: "a,b,c" */
    char csp[384];                  /* the Content-Security-Policy, with the agent in connect-src */
    const struct app_settings *set; /* the use cases' settings (app/context.h) */
    struct web_tls *tls;            /* HTTPS served here (web/http/tls.h); NULL: plain HTTP */
    char hsts[48];                  /* the Strict-Transport-Security value; "" = none */
    char packages_dir[1024];        /* config agent_packages_dir: served at /indir/ */
    char download_url[512];         /* config agent_download_url: where the pages send people */
    size_t healthz_len;
    uint32_t rid_prefix; /* random per process, so ids differ across processes */
    atomic_uint_fast32_t rid_next;
    struct web_metrics metrics;
    struct web_route_metrics *route_metrics; /* nroutes + 1 */
    struct web_watch watch[WEB_WATCH_MAX];
    atomic_int nwatch;
    /* connections open now (MHD_OPTION_NOTIFY_CONNECTION), and how many are served: past it,
     * up to MHD's own limit (a reserve above it), a new connection is answered 503 */
    atomic_uint conns;
    unsigned conn_max;
    unsigned conn_over_timeout; /* seconds a connection past conn_max may stay silent */
    size_t conn_memory;         /* connection_memory_bytes: what MHD keeps a head and answer in */
    /* the 431 of a head that leaves no room for an answer (framing.h): its text in Turkish
     * and English, made once at start, sent with the fewest header fields */
    char head_too_large[640];
    size_t head_too_large_len;
};

#define WEB_HEADERS_MAX 2048 /* extra response headers a handler may add */

struct web_req {
    struct web_server *srv;
    struct MHD_Connection *conn;
    char method[16]; /* "" when the client's was longer: it matches no route */
    char *path;      /* owned copy */
    enum web_route_result routed;
    struct web_match match;
    char *param_values[WEB_MAX_PARAMS]; /* NUL-terminated copies, in one allocation */
    size_t max_body;
    struct ubuf body;    /* capped at max_body */
    size_t body_seen;    /* bytes received, kept or not */
    bool too_large;      /* the body passed max_body */
    struct store *store; /* borrowed from srv->pool while the handler runs */
    unsigned store_gen;  /* the pool's generation when it was borrowed (dbpool.h) */
    bool store_failed;
    long db_statements0, db_round_trips0; /* the connection's counters when it was borrowed */
    long db_statements, db_round_trips;   /* what this request ran on it */
    struct timespec t0;
    char rid[17];
    /* the answer, queued by the server after the handler returns */
    bool answered;
    unsigned status;
    const char *ctype;
    char *resp;              /* malloc'd body, handed to MHD */
    const char *resp_static; /* or a body that outlives the server (web_reply_static) */
    size_t resp_len;
    struct ubuf headers; /* "Name\0value\0" pairs */
    bool own_cache_control;
};

/* For the handlers in this layer. */
size_t web_server_db_open(struct web_server *srv);
/* The server's monotonic clock in milliseconds, read where the database pool is called (its
 * ping and log throttling take the time as an argument: dbpool.h). */
int64_t web_mono_ms(void);
/* Gives the request's database connection back to the pool (if it has one), counting what it
 * ran on it for /metrics. */
void web_req_store_release(struct web_req *rq);

#endif
