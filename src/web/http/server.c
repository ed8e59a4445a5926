/* eimza — the HTTP server on libmicrohttpd (MHD). See server.h.
 *
 * Threads: MHD runs an epoll loop per worker thread (a thread pool sharing the listen
 * socket); every call below for one connection happens on that connection's worker thread.
 *
 * A request's life, in calls of MHD's access handler:
 *   1. headers received (*req_cls == NULL): set up the request (route, limits, id) and return
 *      without answering. Answering here would make MHD close the connection after the
 *      response (it cannot know the body was read), losing keep-alive: measured on this
 *      project at a third of nginx's rate, against 1.5x when answering later. The one
 *      exception is a Content-Length already past the route's limit: answer 413 at once and
 *      let the connection close rather than read a body we will refuse.
 *   2. body chunks: appended to a capped buffer; past the limit they are counted and dropped
 *      (chunked bodies only, whose length was unknown at step 1).
 *   3. the body is complete (*upload_data_size == 0): run the handler (or the routing
 *      error), give the database connection back, queue the response.
 * Then MHD calls web_completed() (MHD_OPTION_NOTIFY_COMPLETED), which writes the access log
 * line, counts the request for /metrics and frees it.
 */
#include "web/http/server.h"

#include <errno.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "app/db.h"
#include "util/log.h"
#include "util/rand.h"
#include "web/http/dbpool.h"
#include "web/http/framing.h"
#include "web/html/escape.h"
#include "web/http/http_int.h"
#include "web/http/tls.h"

/* Sent with every response. The pages use no inline script or style, so the policy can
 * forbid them; frame-ancestors and X-Frame-Options together stop click-jacking in old and
 * new browsers alike. Images may also be data: URLs: the CSS library draws its form icons
 * that way, and an image cannot run script (static/css/eimza.css replaces them with files
 * anyway, but a page styled before that file arrives must not raise a violation). No page
 * embeds a plugin object, so object-src is 'none' rather than default-src's 'self' (the
 * scanners' "object-src not safe": docs/SECURITY.md). */
static const char web_csp_fmt[] = "default-src 'self'; object-src 'none'; img-src 'self' data:; "
                                  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
                                  "connect-src 'self' %s";

/* Past its connection limit libmicrohttpd stops accepting: a new client then waits in the
 * kernel's backlog until an idle connection times out (connection_timeout, 30 s by default),
 * which is no answer at all. So MHD's limit is max_connections plus a reserve
 * (max_connections / 8, within these bounds), and a connection that starts beyond
 * max_connections is answered 503 too_many_connections with Retry-After at its first request
 * and closed; until then it may stay silent WEB_CONN_OVER_TIMEOUT seconds at most, so that
 * idle ones give their place back soon. Past the reserve too, clients wait in the backlog
 * again: libmicrohttpd 0.9.75 offers no way to answer a connection it has not accepted. */
#define WEB_CONN_RESERVE_MIN  4u
#define WEB_CONN_RESERVE_MAX  64u
#define WEB_CONN_OVER_TIMEOUT 5u

/* The socket context of a connection that started past max_connections. */
static char web_conn_over;

/* A chunked body past its limit is read and dropped, so the client can be told 413 on a
 * connection that stays usable; past this much more it is not worth reading: the connection
 * is closed without an answer. */
#define WEB_DISCARD_SLACK ((size_t)1 << 20)

/* ---- the listen socket -------------------------------------------------------------------- */

enum web_listen_result web_listen_open(const char *listen_addr, bool loopback_only, int *fd,
                                       char *err, size_t errlen)
{
    char host[256], portstr[8], why[128] = "no usable address";
    unsigned port;
    struct addrinfo hints = {0}, *res = NULL;
    enum web_listen_result rc = WEB_LISTEN_FAILED;

    *fd = -1;
    if (web_listen_split(listen_addr, host, sizeof host, &port, err, errlen) < 0)
        return WEB_LISTEN_USAGE;
    snprintf(portstr, sizeof portstr, "%u", port);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int gai = getaddrinfo(host, portstr, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "cannot resolve '%s': %s", host, gai_strerror(gai));
        return WEB_LISTEN_FAILED;
    }
    if (loopback_only) {
        for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
            if (!web_addr_is_loopback(ai->ai_addr)) {
                snprintf(err, errlen,
                         "'%s' is not a loopback address; --dev listens only on 127.0.0.1, "
                         "::1 or localhost",
                         listen_addr);
                rc = WEB_LISTEN_NOT_LOOPBACK;
                goto out;
            }
        }
    }
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int s =
            socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (s < 0) {
            snprintf(why, sizeof why, "%s", strerror(errno));
            continue;
        }
        int on = 1;
        /* a restarted server may bind while old connections sit in TIME_WAIT */
        (void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (bind(s, ai->ai_addr, ai->ai_addrlen) == 0 && listen(s, SOMAXCONN) == 0) {
            *fd = s;
            rc = WEB_LISTEN_OK;
            goto out;
        }
        snprintf(why, sizeof why, "%s", strerror(errno));
        close(s);
    }
    snprintf(err, errlen, "cannot listen on %s: %s", listen_addr, why);
out:
    freeaddrinfo(res);
    return rc;
}

/* "http[s]://ADDR:PORT" of the bound socket, with the port the kernel chose for port 0. */
static void web_format_url(int fd, bool tls, char *out, size_t outlen)
{
    const char *scheme = tls ? "https" : "http";
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char addr[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;

    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
        if (ss.ss_family == AF_INET6) {
            struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
            inet_ntop(AF_INET6, &in6->sin6_addr, addr, sizeof addr);
            port = ntohs(in6->sin6_port);
            snprintf(out, outlen, "%s://[%s]:%u", scheme, addr, port);
            return;
        }
        struct sockaddr_in *in = (struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &in->sin_addr, addr, sizeof addr);
        port = ntohs(in->sin_port);
    }
    snprintf(out, outlen, "%s://%s:%u", scheme, addr, port);
}

/* ---- requests ----------------------------------------------------------------------------- */

/* The request accessors that need MHD's connection details (request.h). */
/* Whether addr is one of the comma-separated addresses of list (spaces around them allowed). */
static bool web_addr_listed(const char *list, const char *addr, size_t n)
{
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t k = strcspn(p, ", ");
        if (k && k == n && memcmp(p, addr, n) == 0)
            return true;
        p += k;
    }
    return false;
}

/* The client behind trusted proxies: X-Forwarded-For read from the right, skipping the
 * trusted proxies themselves; the first other entry must be an IP address. 0 when found. */
static int web_forwarded_for(const struct web_req *rq, char *buf, size_t len)
{
    const char *xff = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!xff)
        return -1;
    size_t end = strlen(xff);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        size_t a = start, b = end;
        while (a < b && xff[a] == ' ')
            a++;
        while (b > a && xff[b - 1] == ' ')
            b--;
        if (b > a && !web_addr_listed(rq->srv->trusted_proxies, xff + a, b - a)) {
            char tmp[INET6_ADDRSTRLEN];
            unsigned char bin[sizeof(struct in6_addr)];
            if (b - a >= sizeof tmp)
                return -1;
            memcpy(tmp, xff + a, b - a);
            tmp[b - a] = '\0';
            if (inet_pton(AF_INET, tmp, bin) != 1 && inet_pton(AF_INET6, tmp, bin) != 1)
                return -1;
            snprintf(buf, len, "%s", tmp);
            return 0;
        }
        end = start > 0 ? start - 1 : 0;
    }
    return -1;
}

/* The connection's own peer address as text in buf; NULL when MHD does not say. */
static const char *web_peer_addr(const struct web_req *rq, char *buf, size_t len)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    if (sa && sa->sa_family == AF_INET)
        return inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
                         (socklen_t)len);
    if (sa && sa->sa_family == AF_INET6)
        return inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
                         (socklen_t)len);
    return NULL;
}

/* Whether the connection comes straight from one of the trusted proxies. */
static bool web_peer_trusted(const struct web_req *rq)
{
    char addr[INET6_ADDRSTRLEN];
    return rq->srv->trusted_proxies[0] && web_peer_addr(rq, addr, sizeof addr) &&
           web_addr_listed(rq->srv->trusted_proxies, addr, strlen(addr));
}

const char *web_req_client_addr(const struct web_req *rq, char *buf, size_t len)
{
    if (!web_peer_addr(rq, buf, len))
        snprintf(buf, len, "unknown");
    else if (rq->srv->trusted_proxies[0] &&
             web_addr_listed(rq->srv->trusted_proxies, buf, strlen(buf)))
        (void)web_forwarded_for(rq, buf, len); /* keeps the proxy's address when unusable */
    return buf;
}

const char *web_req_cookie(const struct web_req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, name);
}

bool web_req_tls(const struct web_req *rq)
{
    if (rq->srv->tls)
        return true;
    /* a TLS proxy in front says so; anyone else could claim it and is not listened to */
    if (!web_peer_trusted(rq))
        return false;
    const char *proto = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
    return proto && !strcasecmp(proto, "https");
}

static void web_req_free(struct web_req *rq)
{
    if (!rq)
        return;
    web_req_store_release(rq);
    free(rq->path);
    free(rq->param_values[0]); /* the one allocation holding every value */
    ubuf_free(&rq->body);
    ubuf_free(&rq->headers);
    free(rq->resp);
    free(rq);
}

/* Copies the matched parameters into one allocation of NUL-terminated strings. */
static int web_req_copy_params(struct web_req *rq)
{
    size_t total = 0;
    for (size_t i = 0; i < rq->match.nparams; i++)
        total += rq->match.params[i].value_len + 1;
    if (total == 0)
        return 0;
    char *p = malloc(total);
    if (!p)
        return -1;
    for (size_t i = 0; i < rq->match.nparams; i++) {
        const struct web_param *pr = &rq->match.params[i];
        memcpy(p, pr->value, pr->value_len);
        p[pr->value_len] = '\0';
        rq->param_values[i] = p;
        p += pr->value_len + 1;
    }
    return 0;
}

static struct web_req *web_req_new(struct web_server *srv, struct MHD_Connection *conn,
                                   const char *url, const char *method)
{
    struct web_req *rq = calloc(1, sizeof *rq);
    if (!rq)
        return NULL;
    rq->srv = srv;
    rq->conn = conn;
    clock_gettime(CLOCK_MONOTONIC, &rq->t0);
    uint32_t n = (uint32_t)atomic_fetch_add_explicit(&srv->rid_next, 1, memory_order_relaxed);
    /* "%08x%08x" of the prefix and n, written by hand: every request makes one */
    static const char hex[] = "0123456789abcdef";
    const uint64_t id = (uint64_t)srv->rid_prefix << 32 | n;
    for (int i = 0; i < 16; i++)
        rq->rid[i] = hex[id >> (60 - 4 * i) & 15];
    rq->rid[16] = '\0';
    if (strlen(method) < sizeof rq->method)
        memcpy(rq->method, method, strlen(method) + 1);
    ubuf_init(&rq->headers, WEB_HEADERS_MAX);
    rq->path = strdup(url);
    if (!rq->path)
        goto fail;
    rq->routed = web_route_match(srv->routes, srv->nroutes, rq->method, rq->path, &rq->match);
    if (rq->routed == WEB_ROUTE_FOUND && web_req_copy_params(rq) < 0)
        goto fail;
    rq->max_body = srv->max_body;
    if (rq->routed == WEB_ROUTE_FOUND && rq->match.route->max_body)
        rq->max_body = rq->match.route->max_body;
    ubuf_init(&rq->body, rq->max_body);
    atomic_fetch_add_explicit(&srv->metrics.in_flight, 1, memory_order_relaxed);
    return rq;
fail:
    web_req_free(rq);
    return NULL;
}

/* Builds the MHD response from rq's answer, adds the headers every response carries, and
 * queues it. */
static enum MHD_Result web_queue(struct web_req *rq)
{
    static const char fallback[] =
        "{\"error\":{\"code\":\"internal_error\",\"message\":\"Beklenmeyen bir hata oluştu. "
        "Lütfen biraz sonra tekrar deneyiniz.\"}}";
    struct MHD_Response *resp;
    unsigned status = rq->status;
    bool ok = true;

    if (rq->answered && rq->resp_static) {
        resp = MHD_create_response_from_buffer(rq->resp_len, (void *)rq->resp_static,
                                               MHD_RESPMEM_PERSISTENT);
    } else if (rq->answered) {
        resp = MHD_create_response_from_buffer(rq->resp_len, rq->resp, MHD_RESPMEM_MUST_FREE);
        if (resp)
            rq->resp = NULL; /* MHD frees it now */
    } else {
        resp = NULL;
    }
    if (!resp) { /* out of memory on the way: a fixed answer needs no allocation of ours */
        resp = MHD_create_response_from_buffer(sizeof fallback - 1, (void *)fallback,
                                               MHD_RESPMEM_PERSISTENT);
        if (!resp)
            return MHD_NO;
        status = rq->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        rq->ctype = "application/json";
        rq->resp_len = sizeof fallback - 1;
        rq->answered = true;
    }
    ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                  rq->ctype ? rq->ctype : "application/octet-stream") == MHD_YES;
    ok &= MHD_add_response_header(resp, "Content-Security-Policy", rq->srv->csp) == MHD_YES;
    ok &= MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") == MHD_YES;
    ok &= MHD_add_response_header(resp, "X-Frame-Options", "DENY") == MHD_YES;
    ok &= MHD_add_response_header(resp, "Referrer-Policy", "no-referrer") == MHD_YES;
    ok &= MHD_add_response_header(resp, "X-Request-Id", rq->rid) == MHD_YES;
    /* the person's connection is HTTPS (here or at a trusted proxy): the browser is told to
     * keep to it */
    if (rq->srv->hsts[0] && web_req_tls(rq))
        ok &= MHD_add_response_header(resp, "Strict-Transport-Security", rq->srv->hsts) == MHD_YES;
    if (!rq->own_cache_control)
        ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") == MHD_YES;
    for (size_t off = 0; off < rq->headers.len;) {
        const char *name = rq->headers.p + off;
        const char *value = name + strlen(name) + 1;
        ok &= MHD_add_response_header(resp, name, value) == MHD_YES;
        off = (size_t)(value + strlen(value) + 1 - rq->headers.p);
    }
    /* while stopping, every answer ends its connection so the drain finishes */
    if (atomic_load(&rq->srv->quiesced))
        ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close") == MHD_YES;
    enum MHD_Result r = ok ? MHD_queue_response(rq->conn, status, resp) : MHD_NO;
    MHD_destroy_response(resp);
    return r;
}

/* The answer to a head that left almost no room (framing.h): a fixed text and the fewest
 * fields (with MHD's own, about 200 bytes), then the connection closed. */
static enum MHD_Result web_queue_head_too_large(struct web_req *rq)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        rq->srv->head_too_large_len, rq->srv->head_too_large, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    bool ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                      "text/plain; charset=utf-8") == MHD_YES &&
              MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") == MHD_YES &&
              MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close") == MHD_YES;
    rq->status = web_err_status(WEB_E_HEAD_TOO_LARGE);
    enum MHD_Result r = ok ? MHD_queue_response(rq->conn, rq->status, resp) : MHD_NO;
    MHD_destroy_response(resp);
    return r;
}

/* The error for a request no route takes (WEB_OK when one does): routing errors come
 * before body errors, so a wrong URL is reported as such whatever was sent to it. */
static enum web_err web_routing_error(struct web_req *rq)
{
    switch (rq->routed) {
    case WEB_ROUTE_NOT_FOUND:
        return WEB_E_NOT_FOUND;
    case WEB_ROUTE_BAD_METHOD:
        if (web_reply_header(rq, MHD_HTTP_HEADER_ALLOW, rq->match.allow) < 0)
            return WEB_E_NOMEM;
        return WEB_E_METHOD;
    case WEB_ROUTE_FOUND:
        break;
    }
    return WEB_OK;
}

/* Step 3: the whole request is here. */
static enum MHD_Result web_dispatch(struct web_req *rq)
{
    enum web_err e = web_routing_error(rq);

    if (e == WEB_OK && rq->too_large) {
        e = WEB_E_TOO_LARGE;
    } else if (e == WEB_OK) {
        e = rq->match.route->handler(rq);
        /* the error's own header (a database failure's Retry-After), page or JSON alike */
        const char *retry = e != WEB_OK ? web_err_retry_after(e) : NULL;
        if (retry)
            (void)web_reply_header(rq, MHD_HTTP_HEADER_RETRY_AFTER, retry);
        /* a page route's error not answered by its handler: the page (web/http/router.h) */
        if (e != WEB_OK && !rq->answered && rq->match.route->answer != WEB_ANSWER_JSON &&
            rq->srv->error_page)
            e = rq->srv->error_page(rq, e);
    }
    if (e == WEB_OK && !rq->answered) {
        ulog(ULOG_ERROR, "http.no_answer", "rid=%s route=\"%s\"", rq->rid,
             rq->match.route ? rq->match.route->pattern : "");
        e = WEB_E_INTERNAL;
    }
    if (e != WEB_OK) {
        /* a handler that failed after answering loses its answer: the error is the truth */
        rq->answered = false;
        free(rq->resp);
        rq->resp = NULL;
        rq->resp_static = NULL;
        (void)web_reply_error(rq, e); /* on failure web_queue sends the fixed 500 */
    }
    web_req_store_release(rq);
    return web_queue(rq);
}

/* Step 2: a piece of the body. Returns false when the connection should be dropped. */
static bool web_body_chunk(struct web_req *rq, const char *data, size_t n)
{
    rq->body_seen += n;
    if (!rq->too_large && rq->routed == WEB_ROUTE_FOUND) {
        if (rq->body.len + n > rq->max_body)
            rq->too_large = true;
        else if (ubuf_put(&rq->body, data, n) < 0)
            return false; /* out of memory */
    } else if (rq->body_seen > rq->max_body) {
        rq->too_large = true;
    }
    if (rq->too_large) {
        ubuf_free(&rq->body); /* no use keeping a body we refuse */
        ubuf_init(&rq->body, rq->max_body);
        if (rq->body_seen - rq->max_body > WEB_DISCARD_SLACK)
            return false;
    }
    return true;
}

/* ---- the framing check (web/http/framing.h) ------------------------------------------------ */

#define WEB_FIELDS_MAX 128 /* header fields looked at; a head with more is refused */

struct web_fields {
    struct web_field_view v[WEB_FIELDS_MAX];
    size_t n;
    bool over;
};

static enum MHD_Result web_field_add(void *cls, enum MHD_ValueKind kind, const char *key,
                                     size_t key_size, const char *value, size_t value_size)
{
    struct web_fields *fs = cls;
    (void)kind;
    if (fs->n == WEB_FIELDS_MAX) {
        fs->over = true;
        return MHD_NO;
    }
    fs->v[fs->n++] = (struct web_field_view){key, key_size, value ? value : "", value_size};
    return MHD_YES;
}

/* Step 1's framing check: WEB_OK, or the error to answer with before closing. */
static enum web_err web_framing(struct web_req *rq, const char *version)
{
    /* on the stack (4 KB, of which only what the head has is written): every request comes
     * here, and a zeroed allocation of it was a visible part of a request's time */
    struct web_fields fs;
    const char *why = "too_many_fields";
    enum web_framing r = WEB_FRAMING_BAD;
    fs.n = 0;
    fs.over = false;
    MHD_get_connection_values_n(rq->conn, MHD_HEADER_KIND, web_field_add, &fs);
    if (!fs.over) {
        /* no room left for an answer: refused before any handler runs (framing.h) */
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
        size_t head = ci ? ci->header_size : rq->srv->conn_memory;
        size_t used = web_head_memory(head, fs.v, fs.n);
        if (used + WEB_ANSWER_ROOM > rq->srv->conn_memory) {
            ulog(ULOG_WARN, "http.head_too_large", "rid=%s head=%zu estimate=%zu memory=%zu",
                 rq->rid, head, used, rq->srv->conn_memory);
            return WEB_E_HEAD_TOO_LARGE;
        }
        r = web_framing_check(version, fs.v, fs.n, &why);
    }
    if (r == WEB_FRAMING_OK)
        return WEB_OK;
    ulog(ULOG_WARN, "http.framing", "rid=%s refused=%s", rq->rid, why ? why : "?");
    return r == WEB_FRAMING_UNSUPPORTED ? WEB_E_CODING : WEB_E_FRAMING;
}

/* MHD_OPTION_NOTIFY_CONNECTION: counts the connections; one that starts past conn_max is
 * marked (answered 503 by web_access) and given a short idle timeout. Runs on the
 * connection's worker thread. */
static void web_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                           enum MHD_ConnectionNotificationCode code)
{
    struct web_server *srv = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        unsigned n = atomic_fetch_add_explicit(&srv->conns, 1, memory_order_relaxed) + 1;
        if (n > srv->conn_max) {
            *socket_context = &web_conn_over;
            (void)MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
                                            srv->conn_over_timeout);
        }
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        atomic_fetch_sub_explicit(&srv->conns, 1, memory_order_relaxed);
    }
}

/* Whether the request's connection started past max_connections. */
static bool web_conn_is_over(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci && ci->socket_context == &web_conn_over;
}

static enum MHD_Result web_access(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
    struct web_server *srv = cls;
    struct web_req *rq = *req_cls;

    if (!rq) { /* step 1 */
        rq = web_req_new(srv, conn, url, method);
        if (!rq)
            return MHD_NO;
        *req_cls = rq;
        if (web_conn_is_over(conn)) {
            /* answered at once, without reading a body, and the connection closed after it:
             * its place goes back to the reserve */
            rq->too_large = true; /* no handler runs for it */
            ulog(ULOG_WARN, "http.too_many_connections", "rid=%s open=%u max=%u", rq->rid,
                 atomic_load_explicit(&srv->conns, memory_order_relaxed), srv->conn_max);
            if (web_reply_header(rq, MHD_HTTP_HEADER_CONNECTION, "close") < 0 ||
                web_reply_header(rq, MHD_HTTP_HEADER_RETRY_AFTER,
                                 web_err_retry_after(WEB_E_CONNECTIONS)) < 0 ||
                web_reply_error(rq, WEB_E_CONNECTIONS) != WEB_OK)
                return MHD_NO;
            return web_queue(rq);
        }
        enum web_err fe = web_framing(rq, version);
        if (fe == WEB_E_HEAD_TOO_LARGE) {
            rq->too_large = true; /* no handler runs for it */
            return web_queue_head_too_large(rq);
        }
        if (fe != WEB_OK) {
            /* answered before the body is read, and the connection closed after it: nothing
             * sent behind this head is ever taken for a request */
            rq->too_large = true; /* no handler runs for it */
            if (web_reply_header(rq, MHD_HTTP_HEADER_CONNECTION, "close") < 0 ||
                web_reply_error(rq, fe) != WEB_OK)
                return MHD_NO;
            return web_queue(rq);
        }
        const char *cl =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl) {
            char *end;
            errno = 0;
            unsigned long long len = strtoull(cl, &end, 10);
            if (errno == ERANGE || len > rq->max_body) {
                enum web_err e = web_routing_error(rq);
                rq->too_large = true;
                (void)web_reply_error(rq, e != WEB_OK ? e : WEB_E_TOO_LARGE);
                return web_queue(rq);
            }
        }
        return MHD_YES;
    }
    if (*upload_data_size > 0) { /* step 2 */
        bool keep = web_body_chunk(rq, upload_data, *upload_data_size);
        *upload_data_size = 0;
        if (!keep) {
            ulog(ULOG_WARN, "http.body_dropped", "rid=%s bytes=%zu limit=%zu", rq->rid,
                 rq->body_seen, rq->max_body);
            return MHD_NO;
        }
        return MHD_YES;
    }
    return web_dispatch(rq); /* step 3 */
}

static const char *web_toe_name(enum MHD_RequestTerminationCode toe)
{
    switch (toe) {
    case MHD_REQUEST_TERMINATED_COMPLETED_OK:
        return "ok";
    case MHD_REQUEST_TERMINATED_WITH_ERROR:
        return "error";
    case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
        return "timeout";
    case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
        return "shutdown";
    case MHD_REQUEST_TERMINATED_READ_ERROR:
        return "read_error";
    case MHD_REQUEST_TERMINATED_CLIENT_ABORT:
        return "client_abort";
    }
    return "unknown";
}

/* The latency histogram's upper bounds (seconds); http_int.h. */
const double web_latency_le[WEB_LATENCY_BUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                    0.25,  0.5,    1,     2.5,  5,     10};

/* A completed request in its route's figures (the last slot: no route took it). */
static void web_route_count(struct web_server *srv, const struct web_req *rq, int64_t us)
{
    size_t r = srv->nroutes;
    if (rq->routed == WEB_ROUTE_FOUND && rq->match.route >= srv->routes &&
        rq->match.route < srv->routes + srv->nroutes)
        r = (size_t)(rq->match.route - srv->routes);
    struct web_route_metrics *m = &srv->route_metrics[r];
    size_t b = 0;
    while (b < WEB_LATENCY_BUCKETS && (double)us > web_latency_le[b] * 1e6)
        b++;
    atomic_fetch_add_explicit(&m->bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->micros, (uint_fast64_t)us, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->db_statements, (uint_fast64_t)rq->db_statements,
                              memory_order_relaxed);
    atomic_fetch_add_explicit(&m->db_round_trips, (uint_fast64_t)rq->db_round_trips,
                              memory_order_relaxed);
}

static void web_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                          enum MHD_RequestTerminationCode toe)
{
    struct web_server *srv = cls;
    struct web_req *rq = *req_cls;
    struct timespec t1;

    if (!rq)
        return;
    *req_cls = NULL;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    int64_t us =
        (int64_t)(t1.tv_sec - rq->t0.tv_sec) * 1000000 + (t1.tv_nsec - rq->t0.tv_nsec) / 1000;
    if (us < 0)
        us = 0;
    unsigned status = rq->answered ? rq->status : 0;
    size_t sent = strcmp(rq->method, "HEAD") ? rq->resp_len : 0; /* MHD sends no body */
    size_t cls_idx = (status >= 100 && status < 600) ? status / 100 : 0;
    atomic_fetch_add_explicit(&srv->metrics.by_class[cls_idx], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&srv->metrics.bytes_out, sent, memory_order_relaxed);
    atomic_fetch_add_explicit(&srv->metrics.micros, (uint_fast64_t)us, memory_order_relaxed);
    web_route_count(srv, rq, us);

    if (srv->access_log) {
        char path[300], method[64];
        web_log_path(path, sizeof path, rq->path);
        web_log_text(method, sizeof method, rq->method);
        ulog(ULOG_INFO, "http.request",
             "rid=%s method=%s path=\"%s\" status=%u bytes=%zu ms=%" PRId64 ".%03" PRId64 "%s%s",
             rq->rid, method, path, status, sent, us / 1000, us % 1000,
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " end=",
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : web_toe_name(toe));
    }
    web_req_free(rq);
    /* last: the drain in web_server_drain() may free the server once this reaches 0 */
    atomic_fetch_sub_explicit(&srv->metrics.in_flight, 1, memory_order_release);
}

__attribute__((format(printf, 2, 0))) static void web_mhd_log(void *cls, const char *fmt,
                                                              va_list ap)
{
    char msg[512], esc[600];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    web_log_text(esc, sizeof esc, msg);
    ulog(ULOG_WARN, "http.mhd", "detail=\"%s\"", esc);
}

/* ---- the server --------------------------------------------------------------------------- */

/* The /healthz answer depends only on the backend and the schema this process serves with,
 * so it is built once: the hot path is the database ping alone. */
static int web_healthz_body(struct web_server *srv)
{
    json_t *doc = json_pack("{s:s, s:s, s:i}", "status", "ok", "database", srv->backend, "schema",
                            srv->schema);
    size_t n = doc ? json_dumpb(doc, srv->healthz, sizeof srv->healthz, JSON_COMPACT) : 0;
    json_decref(doc);
    if (n == 0 || n > sizeof srv->healthz)
        return -1;
    srv->healthz_len = n;
    return 0;
}

int web_server_start(const struct web_config *cfg, const struct app_settings *set, int listen_fd,
                     struct store *st, int schema, const struct web_site *site,
                     struct web_server **out, char *err, size_t errlen)
{
    struct web_server *srv = NULL;
    int rc = -1;

    *out = NULL;
    if (web_routes_check(site->routes, site->nroutes, err, errlen) < 0)
        goto out;
    srv = calloc(1, sizeof *srv);
    if (!srv) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    srv->listen_fd = listen_fd;
    listen_fd = -1;
    srv->routes = site->routes;
    srv->nroutes = site->nroutes;
    srv->route_metrics = calloc(site->nroutes + 1, sizeof *srv->route_metrics);
    if (!srv->route_metrics) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    srv->error_page = site->error_page;
    srv->schema = schema;
    srv->max_body = cfg->max_body_bytes;
    srv->dev = cfg->dev;
    if (srv->dev) { /* the tests' clock offset, read once: a process's environment is its own */
        const char *off = getenv("EIMZA_TEST_NOW_OFFSET");
        srv->now_offset = off && *off ? (int64_t)strtoll(off, NULL, 10) : 0;
    }
    srv->access_log = cfg->access_log;
    /* the signing page's script may also talk to the local agent (the origin was checked by
     * the configuration: no spaces or semicolons can reach the header) */
    snprintf(srv->agent_url, sizeof srv->agent_url, "%s", cfg->agent_url);
    snprintf(srv->trusted_proxies, sizeof srv->trusted_proxies, "%s", cfg->trusted_proxies);
    snprintf(srv->csp, sizeof srv->csp, web_csp_fmt, cfg->agent_url);
    snprintf(srv->backend, sizeof srv->backend, "%s", app_db_backend(st));
    srv->set = set;
    if (cfg->hsts_max_age > 0)
        snprintf(srv->hsts, sizeof srv->hsts, "max-age=%d", cfg->hsts_max_age);
    snprintf(srv->packages_dir, sizeof srv->packages_dir, "%s", cfg->agent_packages_dir);
    snprintf(srv->download_url, sizeof srv->download_url, "%s", cfg->agent_download_url);
    if (cfg->tls_cert[0] || cfg->tls_key[0]) {
        struct web_tls_info ti;
        srv->tls = web_tls_open(cfg->tls_cert, cfg->tls_key, cfg->tls_priorities, &ti, err, errlen);
        if (!srv->tls)
            goto out;
        ulog(ULOG_INFO, "server.tls", "subject=\"%s\" serial=%s not_after=%" PRId64 " chain=%u",
             ti.subject, ti.serial, ti.not_after, ti.chain);
    }
    web_format_url(srv->listen_fd, srv->tls != NULL, srv->url, sizeof srv->url);
    if (web_healthz_body(srv) < 0) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (urand_bytes(&srv->rid_prefix, sizeof srv->rid_prefix) < 0)
        srv->rid_prefix = (uint32_t)getpid();

    long threads = cfg->threads;
    if (threads <= 0) {
        threads = sysconf(_SC_NPROCESSORS_ONLN);
        if (threads < 1)
            threads = 1;
    }
    srv->pool = web_dbpool_new(cfg->db, st, (size_t)threads);
    st = NULL; /* the pool owns it now, also on failure */
    if (!srv->pool) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }

    /* The thread pool is only named when there is more than one thread: MHD treats a pool
     * of one as a mistake. */
    struct MHD_OptionItem pool_opts[] = {
        {threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, (intptr_t)threads, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    /* HTTPS: the certificate comes from web/http/tls.c's callback on every handshake, so a
     * reloaded one is used without restarting MHD */
    struct MHD_OptionItem tls_opts[] = {
        {srv->tls ? MHD_OPTION_HTTPS_CERT_CALLBACK : MHD_OPTION_END, 0,
         srv->tls ? web_tls_callback() : NULL},
        {MHD_OPTION_HTTPS_PRIORITIES, 0, srv->tls ? (void *)web_tls_priorities(srv->tls) : NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    /* the connections served, and the reserve answered 503 above them (see web_connection) */
    srv->conn_max = (unsigned)cfg->max_connections;
    srv->conn_memory = cfg->connection_memory;
    int hn = snprintf(srv->head_too_large, sizeof srv->head_too_large, "%s\n\n%s\n",
                      web_err_message(WEB_E_HEAD_TOO_LARGE, CORE_LANG_TR),
                      web_err_message(WEB_E_HEAD_TOO_LARGE, CORE_LANG_EN));
    srv->head_too_large_len = hn < 0 ? 0
                              : (size_t)hn >= sizeof srv->head_too_large
                                  ? sizeof srv->head_too_large - 1
                                  : (size_t)hn;
    unsigned reserve = srv->conn_max / 8;
    reserve = reserve < WEB_CONN_RESERVE_MIN   ? WEB_CONN_RESERVE_MIN
              : reserve > WEB_CONN_RESERVE_MAX ? WEB_CONN_RESERVE_MAX
                                               : reserve;
    srv->conn_over_timeout = (unsigned)cfg->connection_timeout < WEB_CONN_OVER_TIMEOUT
                                 ? (unsigned)cfg->connection_timeout
                                 : WEB_CONN_OVER_TIMEOUT;
    /* the logger comes first so that MHD's messages about the options go through it too */
    srv->mhd = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
            (srv->tls ? MHD_USE_TLS : 0),
        0, NULL, NULL, web_access, srv, MHD_OPTION_EXTERNAL_LOGGER, web_mhd_log, srv,
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)srv->listen_fd, MHD_OPTION_CONNECTION_LIMIT,
        srv->conn_max + reserve, MHD_OPTION_NOTIFY_CONNECTION, web_connection, srv,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->connection_timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->connection_memory, MHD_OPTION_NOTIFY_COMPLETED,
        web_completed, srv, MHD_OPTION_ARRAY, pool_opts, MHD_OPTION_ARRAY, tls_opts,
        MHD_OPTION_END);
    if (!srv->mhd) {
        snprintf(err, errlen, "the HTTP server did not start (see the log above)");
        goto out;
    }
    *out = srv;
    srv = NULL;
    rc = 0;
out:
    app_db_close(st);
    if (listen_fd >= 0)
        close(listen_fd);
    if (srv) {
        if (srv->listen_fd >= 0)
            close(srv->listen_fd);
        web_dbpool_free(srv->pool);
        web_tls_free(srv->tls);
        free(srv->route_metrics);
        free(srv);
    }
    return rc;
}

int web_server_tls_reload(struct web_server *srv, bool only_if_changed, char *err, size_t errlen)
{
    struct web_tls_info ti;
    if (!srv->tls)
        return 0;
    int r = web_tls_reload(srv->tls, only_if_changed, &ti, err, errlen);
    if (r > 0)
        ulog(ULOG_INFO, "server.tls_reloaded",
             "subject=\"%s\" serial=%s not_after=%" PRId64 " chain=%u", ti.subject, ti.serial,
             ti.not_after, ti.chain);
    return r;
}

const char *web_server_url(const struct web_server *srv)
{
    return srv->url;
}

const char *web_server_backend(const struct web_server *srv)
{
    return srv->backend;
}

size_t web_server_db_open(struct web_server *srv)
{
    return web_dbpool_open_count(srv->pool);
}

void web_server_quiesce(struct web_server *srv)
{
    if (atomic_exchange(&srv->quiesced, true))
        return;
    /* MHD gives the socket back; it stays ours to close after MHD_stop_daemon */
    (void)MHD_quiesce_daemon(srv->mhd);
}

bool web_server_drain(struct web_server *srv, int timeout_ms)
{
    const struct timespec step = {0, 10 * 1000 * 1000};
    for (int waited = 0;; waited += 10) {
        if (atomic_load_explicit(&srv->metrics.in_flight, memory_order_acquire) == 0)
            return true;
        if (waited >= timeout_ms)
            return false;
        nanosleep(&step, NULL);
    }
}

void web_server_free(struct web_server *srv)
{
    if (!srv)
        return;
    web_server_quiesce(srv); /* without it MHD would close the socket we own */
    MHD_stop_daemon(srv->mhd);
    close(srv->listen_fd);
    web_dbpool_free(srv->pool);
    web_tls_free(srv->tls); /* after MHD's threads: no handshake holds a certificate now */
    free(srv->route_metrics);
    free(srv);
}

int web_server_watch(struct web_server *srv, const char *name,
                     bool (*alive)(void *ctx, const char **why), void *ctx)
{
    int n = atomic_load(&srv->nwatch);
    if (n >= WEB_WATCH_MAX || !alive || !name || strlen(name) >= sizeof srv->watch[0].name)
        return -1;
    snprintf(srv->watch[n].name, sizeof srv->watch[n].name, "%s", name);
    srv->watch[n].alive = alive;
    srv->watch[n].ctx = ctx;
    atomic_store_explicit(&srv->nwatch, n + 1, memory_order_release); /* then it is seen */
    return 0;
}
