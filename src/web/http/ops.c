/* eimza — handlers for operations (see ops.h): /healthz, /readyz and /metrics. */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "app/ops.h"
#include "web/http/context.h"
#include "web/http/dbpool.h"
#include "util/log.h"
#include "web/http/http_int.h"
#include "web/http/ops.h"

/* The pool pings the connection (web_dbpool_ping): a failure is logged once (db.ping_failed,
 * with the cause), until a ping answers again (db.ping_recovered), so a probe every few seconds
 * does not fill the log; and it drains the pool: a SQLite file replaced or deleted under the
 * server is still read by every connection opened before, so each one after a failure is a
 * fresh one (dbpool.h). The pool also pings on lending, at most once a second. */
enum web_err web_h_healthz(struct web_req *rq)
{
    struct store *s = web_req_store(rq);

    if (!s)
        return WEB_E_DB_UNAVAILABLE; /* the pool logged why */
    if (!web_dbpool_ping(rq->srv->pool, s, web_mono_ms(), rq->rid)) {
        web_req_store_failed(rq);
        return WEB_E_DB_UNAVAILABLE;
    }
    /* {"status":"ok","database":…,"schema":…}: the schema this process checked at start-up
     * and serves with (server.c builds it once) */
    return web_reply_static(rq, 200, "application/json", rq->srv->healthz, rq->srv->healthz_len);
}

/* ---- /readyz ---------------------------------------------------------------------------- */

enum web_err web_h_readyz(struct web_req *rq)
{
    struct app_ctx c;
    struct app_readiness r;
    struct app_err err;
    web_ctx(rq, APP_ACTOR_NONE, CORE_LANG_TR, &c);
    bool ready = app_readiness(&c, &r, &err) == APP_OK;
    if (err.store_failed && c.db)
        web_req_store_failed(rq);
    json_t *doc = json_object(), *why = json_array(), *senders = json_object();
    enum web_err rc = WEB_E_NOMEM;
    if (!doc || !why || !senders)
        goto out;
    if (!r.database)
        json_array_append_new(why, json_string("database_unreachable"));
    else if (r.schema < r.expected)
        json_array_append_new(why, json_string("schema_behind"));
    else if (r.schema > r.expected)
        json_array_append_new(why, json_string("schema_ahead"));
    if (web_dbpool_damaged(rq->srv->pool)) { /* kept until a restart (dbpool.h) */
        ready = false;
        json_array_append_new(why, json_string("database_damaged"));
    }
    if (atomic_load(&rq->srv->quiesced)) {
        ready = false;
        json_array_append_new(why, json_string("stopping"));
    }
    int n = atomic_load_explicit(&rq->srv->nwatch, memory_order_acquire);
    for (int i = 0; i < n; i++) {
        const struct web_watch *w = &rq->srv->watch[i];
        const char *what = NULL;
        bool ok = w->alive(w->ctx, &what);
        json_object_set_new(senders, w->name, json_string(ok ? "ok" : what ? what : "stalled"));
        if (!ok) {
            char reason[64];
            snprintf(reason, sizeof reason, "%s_%s", w->name, what ? what : "stalled");
            json_array_append_new(why, json_string(reason));
            ready = false;
        }
    }
    json_object_set_new(doc, "status", json_string(ready ? "ready" : "not_ready"));
    json_object_set_new(doc, "database", json_string(r.database ? "ok" : "unreachable"));
    json_object_set_new(doc, "schema", json_integer(r.schema));
    json_object_set_new(doc, "expected_schema", json_integer(r.expected));
    json_object_set_new(doc, "senders", senders);
    senders = NULL;
    if (!ready) {
        json_object_set_new(doc, "reasons", why);
        why = NULL;
    }
    rc = web_reply_json(rq, ready ? 200 : 503, doc);
out:
    json_decref(doc);
    json_decref(why);
    json_decref(senders);
    return rc;
}

/* ---- /metrics ---------------------------------------------------------------------------- */

/* A label value as Prometheus' text format wants it (\, \" and \n escaped). */
static int label(struct ubuf *b, const char *v)
{
    int bad = 0;
    for (; *v && !bad; v++)
        bad = *v == '\\'   ? ubuf_puts(b, "\\\\")
              : *v == '"'  ? ubuf_puts(b, "\\\"")
              : *v == '\n' ? ubuf_puts(b, "\\n")
                           : ubuf_putc(b, *v);
    return bad;
}

/* The per-route figures of this process: the latency histogram and the database's share. */
static int route_figures(struct ubuf *b, const struct web_server *srv)
{
    static const struct {
        const char *name, *help;
        size_t off;
    } db[] = {
        {"eimza_db_statements_total",
         "Statements the requests of a route sent to the database (divide by the requests for "
         "each one's share).",
         offsetof(struct web_route_metrics, db_statements)},
        {"eimza_db_round_trips_total",
         "Times the requests of a route waited for the database server's answer (PostgreSQL; "
         "0 on SQLite, which runs in the process).",
         offsetof(struct web_route_metrics, db_round_trips)},
    };
    int bad = ubuf_puts(b, "# HELP eimza_http_request_duration_seconds Time from a request's "
                           "headers to its completion, by route.\n"
                           "# TYPE eimza_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r <= srv->nroutes && !bad; r++) {
        const struct web_route_metrics *m = &srv->route_metrics[r];
        uint64_t count = atomic_load_explicit(&m->count, memory_order_relaxed), cum = 0;
        if (!count)
            continue;
        const char *method = r < srv->nroutes ? srv->routes[r].method : "";
        const char *route = r < srv->nroutes ? srv->routes[r].pattern : "(none)";
        for (size_t i = 0; i <= WEB_LATENCY_BUCKETS && !bad; i++) {
            cum += atomic_load_explicit(&m->bucket[i], memory_order_relaxed);
            bad |= ubuf_puts(b, "eimza_http_request_duration_seconds_bucket{method=\"") |
                   label(b, method) | ubuf_puts(b, "\",route=\"") | label(b, route);
            if (i < WEB_LATENCY_BUCKETS)
                bad |= ubuf_printf(b, "\",le=\"%g\"} %" PRIu64 "\n", web_latency_le[i], cum);
            else
                bad |= ubuf_printf(b, "\",le=\"+Inf\"} %" PRIu64 "\n", count);
        }
        bad |= ubuf_puts(b, "eimza_http_request_duration_seconds_sum{method=\"") |
               label(b, method) | ubuf_puts(b, "\",route=\"") | label(b, route) |
               ubuf_printf(b, "\"} %.6f\n",
                           (double)atomic_load_explicit(&m->micros, memory_order_relaxed) / 1e6) |
               ubuf_puts(b, "eimza_http_request_duration_seconds_count{method=\"") |
               label(b, method) | ubuf_puts(b, "\",route=\"") | label(b, route) |
               ubuf_printf(b, "\"} %" PRIu64 "\n", count);
    }
    for (size_t k = 0; k < sizeof db / sizeof db[0] && !bad; k++) {
        bad |=
            ubuf_printf(b, "# HELP %s %s\n# TYPE %s counter\n", db[k].name, db[k].help, db[k].name);
        for (size_t r = 0; r <= srv->nroutes && !bad; r++) {
            const struct web_route_metrics *m = &srv->route_metrics[r];
            if (!atomic_load_explicit(&m->count, memory_order_relaxed))
                continue;
            const atomic_uint_fast64_t *v =
                (const atomic_uint_fast64_t *)(const void *)((const char *)m + db[k].off);
            bad |= ubuf_printf(b, "%s{method=\"", db[k].name) |
                   label(b, r < srv->nroutes ? srv->routes[r].method : "") |
                   ubuf_puts(b, "\",route=\"") |
                   label(b, r < srv->nroutes ? srv->routes[r].pattern : "(none)") |
                   ubuf_printf(b, "\"} %" PRIu64 "\n",
                               (uint64_t)atomic_load_explicit(v, memory_order_relaxed));
        }
    }
    return bad;
}

struct figures {
    struct ubuf *b;
    int bad;
    bool header;
};

static void sig_row(void *ctx, const char *result, uint64_t n)
{
    struct figures *f = ctx;
    f->bad |= ubuf_printf(f->b, "eimza_signature_verifications_total{result=\"%s\"} %" PRIu64 "\n",
                          result, n);
}

static int state_row(void *ctx, const char *state, long count)
{
    struct figures *f = ctx;
    if (!f->header)
        f->bad |= ubuf_puts(f->b, "# HELP eimza_applications Applications by state (the whole "
                                  "database).\n# TYPE eimza_applications gauge\n");
    f->header = true;
    f->bad |= ubuf_puts(f->b, "eimza_applications{state=\"") | label(f->b, state) |
              ubuf_printf(f->b, "\"} %ld\n", count);
    return f->bad;
}

static int outbox_row(void *ctx, const char *channel, const char *status, long count)
{
    struct figures *f = ctx;
    if (!f->header)
        f->bad |= ubuf_puts(f->b, "# HELP eimza_outbox_messages Messages not yet delivered, by "
                                  "channel and status: pending and sending (the depth), failed "
                                  "for good and unconfirmed (for the operator).\n"
                                  "# TYPE eimza_outbox_messages gauge\n");
    f->header = true;
    f->bad |= ubuf_puts(f->b, "eimza_outbox_messages{channel=\"") | label(f->b, channel) |
              ubuf_puts(f->b, "\",status=\"") | label(f->b, status) |
              ubuf_printf(f->b, "\"} %ld\n", count);
    return f->bad;
}

/* Two series per row: written into two buffers and joined, so each family stays together. */
struct waiting {
    struct ubuf count, oldest;
    int bad;
};

static int waiting_row(void *ctx, int province, const char *state, long count, int64_t age)
{
    struct waiting *w = ctx;
    char prov[16];
    if (province > 0)
        snprintf(prov, sizeof prov, "%02d", province);
    else
        snprintf(prov, sizeof prov, "unknown");
    w->bad |=
        ubuf_printf(&w->count, "eimza_applications_waiting{province=\"%s\",state=\"", prov) |
        label(&w->count, state) | ubuf_printf(&w->count, "\"} %ld\n", count) |
        ubuf_printf(&w->oldest,
                    "eimza_applications_oldest_waiting_seconds{province=\"%s\",state=\"", prov) |
        label(&w->oldest, state) | ubuf_printf(&w->oldest, "\"} %" PRId64 "\n", age);
    return w->bad;
}

/* The whole database's figures; false when the database could not give them. */
static bool business_figures(struct web_req *rq, struct ubuf *b, int *bad)
{
    struct app_ctx c;
    struct app_err err;
    struct figures states = {b, 0, false}, outbox = {b, 0, false};
    struct waiting w = {UBUF_INIT(1 << 20), UBUF_INIT(1 << 20), 0};
    web_ctx(rq, APP_ACTOR_NONE, CORE_LANG_TR, &c);
    /* three statements, each answered whole before the next one is written */
    const struct app_ops_sink s1 = {&states, state_row, NULL, NULL},
                              s2 = {&outbox, NULL, outbox_row, NULL},
                              s3 = {&w, NULL, NULL, waiting_row};
    bool ok = app_ops_figures(&c, &s1, &err) == APP_OK &&
              app_ops_figures(&c, &s2, &err) == APP_OK && app_ops_figures(&c, &s3, &err) == APP_OK;
    if (!ok && err.store_failed && c.db)
        web_req_store_failed(rq);
    *bad |= states.bad | outbox.bad | w.bad;
    if (ok && w.count.len)
        *bad |= ubuf_puts(b, "# HELP eimza_applications_waiting Applications waiting for staff (a "
                             "decision, or the card's production once approved), per province "
                             "and state.\n# TYPE eimza_applications_waiting gauge\n") |
                ubuf_put(b, w.count.p, w.count.len) |
                ubuf_puts(b, "# HELP eimza_applications_oldest_waiting_seconds How long the "
                             "oldest waiting application of a province has waited since its last "
                             "change.\n# TYPE eimza_applications_oldest_waiting_seconds gauge\n") |
                ubuf_put(b, w.oldest.p, w.oldest.len);
    ubuf_free(&w.count);
    ubuf_free(&w.oldest);
    return ok;
}

enum web_err web_h_metrics(struct web_req *rq)
{
    static const char *classes[] = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
    const struct web_metrics *m = &rq->srv->metrics;
    struct ubuf b = UBUF_INIT(4 << 20);
    enum web_err rc = WEB_E_NOMEM;
    int bad = 0;
    struct web_dbpool_stats dbst;

    web_dbpool_stats(rq->srv->pool, &dbst);
    bad |= ubuf_printf(&b,
                       "# HELP eimza_up 1 while this eimza server is serving.\n"
                       "# TYPE eimza_up gauge\n"
                       "eimza_up 1\n"
                       "# HELP eimza_build_info The running version and database backend.\n"
                       "# TYPE eimza_build_info gauge\n"
                       "eimza_build_info{version=\"%s\",database=\"%s\"} 1\n",
                       EIMZA_VERSION, rq->srv->backend);
    bad |= ubuf_puts(&b, "# HELP eimza_http_requests_total HTTP requests completed, by status "
                         "class (none: the client left before an answer).\n"
                         "# TYPE eimza_http_requests_total counter\n");
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        bad |= ubuf_printf(&b, "eimza_http_requests_total{class=\"%s\"} %" PRIuFAST64 "\n",
                           classes[i], atomic_load_explicit(&m->by_class[i], memory_order_relaxed));
    bad |= ubuf_printf(&b,
                       "# HELP eimza_http_requests_in_flight Requests being handled now.\n"
                       "# TYPE eimza_http_requests_in_flight gauge\n"
                       "eimza_http_requests_in_flight %" PRIdFAST64 "\n"
                       "# HELP eimza_http_response_body_bytes_total Response body bytes sent.\n"
                       "# TYPE eimza_http_response_body_bytes_total counter\n"
                       "eimza_http_response_body_bytes_total %" PRIuFAST64 "\n"
                       "# HELP eimza_http_request_seconds_total Time spent on completed requests.\n"
                       "# TYPE eimza_http_request_seconds_total counter\n"
                       "eimza_http_request_seconds_total %.6f\n"
                       "# HELP eimza_db_connections Database connections open in this process.\n"
                       "# TYPE eimza_db_connections gauge\n"
                       "eimza_db_connections %zu\n"
                       "# HELP eimza_db_connect_failures_total Database connections this process "
                       "could not open.\n"
                       "# TYPE eimza_db_connect_failures_total counter\n"
                       "eimza_db_connect_failures_total %" PRIu64 "\n"
                       "# HELP eimza_db_ping_failures_total Database checks that failed (/healthz, "
                       "or a pooled connection checked before it was lent).\n"
                       "# TYPE eimza_db_ping_failures_total counter\n"
                       "eimza_db_ping_failures_total %" PRIu64 "\n"
                       "# HELP eimza_db_damage_failures_total Statements that found the database "
                       "damaged (a corrupt file, table or index): restore from a backup.\n"
                       "# TYPE eimza_db_damage_failures_total counter\n"
                       "eimza_db_damage_failures_total %" PRIu64 "\n",
                       atomic_load_explicit(&m->in_flight, memory_order_relaxed),
                       atomic_load_explicit(&m->bytes_out, memory_order_relaxed),
                       (double)atomic_load_explicit(&m->micros, memory_order_relaxed) / 1e6,
                       web_server_db_open(rq->srv), dbst.connect_failures, dbst.ping_failures,
                       dbst.damaged);
    bad |= route_figures(&b, rq->srv);
    struct figures sig = {&b, 0, true};
    bad |= ubuf_puts(&b, "# HELP eimza_signature_verifications_total E-signatures checked by this "
                         "server, by result (ok, or the refusal's code).\n"
                         "# TYPE eimza_signature_verifications_total counter\n");
    app_counters_signatures(rq->srv->set, sig_row, &sig);
    bad |= sig.bad;
    bool db = business_figures(rq, &b, &bad);
    bad |= ubuf_printf(&b,
                       "# HELP eimza_database_up 1 when the database gave the figures above.\n"
                       "# TYPE eimza_database_up gauge\neimza_database_up %d\n",
                       db ? 1 : 0);
    if (bad == 0)
        rc = web_reply(rq, 200, "text/plain; version=0.0.4; charset=utf-8", &b);
    ubuf_free(&b);
    return rc;
}
