/* eimza — handlers for operations: GET /healthz (is this process able to serve: the
 * database answers) and GET /metrics (Prometheus text from the server's counters). Neither
 * shows personal data. */
#include <inttypes.h>
#include <stdatomic.h>

#include "app/db.h"
#include "util/log.h"
#include "web/html/escape.h"
#include "web/http/http_int.h"
#include "web/http/ops.h"

enum web_err web_h_healthz(struct web_req *rq)
{
    struct store *s = web_req_store(rq);
    char detail[300];

    if (!s)
        return WEB_E_DB_UNAVAILABLE; /* the pool logged why */
    if (!app_db_ping(s)) {
        web_log_text(detail, sizeof detail, app_db_error(s));
        ulog(ULOG_WARN, "db.ping_failed", "rid=%s detail=\"%s\"", rq->rid, detail);
        web_req_store_failed(rq);
        return WEB_E_DB_UNAVAILABLE;
    }
    /* {"status":"ok","database":…,"schema":…}: the schema this process checked at start-up
     * and serves with (server.c builds it once) */
    return web_reply_static(rq, 200, "application/json", rq->srv->healthz, rq->srv->healthz_len);
}

enum web_err web_h_metrics(struct web_req *rq)
{
    static const char *classes[] = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
    const struct web_metrics *m = &rq->srv->metrics;
    struct ubuf b = UBUF_INIT(16384);
    enum web_err rc = WEB_E_NOMEM;
    int bad = 0;

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
                       "eimza_db_connections %zu\n",
                       atomic_load_explicit(&m->in_flight, memory_order_relaxed),
                       atomic_load_explicit(&m->bytes_out, memory_order_relaxed),
                       (double)atomic_load_explicit(&m->micros, memory_order_relaxed) / 1e6,
                       web_server_db_open(rq->srv));
    if (bad == 0)
        rc = web_reply(rq, 200, "text/plain; version=0.0.4; charset=utf-8", &b);
    ubuf_free(&b);
    return rc;
}
