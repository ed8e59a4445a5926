/* Unit tests for web/http/server.c and request.c with a real server on 127.0.0.1 (a port the
 * kernel picks), a test route table and libcurl as the client: path parameters, query and
 * headers reach the handler; handler errors become the JSON error body with the right
 * status; body limits per route (Content-Length and chunked); keep-alive after answers and
 * errors; headers handlers add; the database pool giving way to 503 when a connection
 * cannot be opened; quiesce and drain. The database is a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "store/store.h"
#include "web/html/escape.h"
#include "web/http/server.h"
#include "web/http/http_int.h"
#include "web/http/ops.h"

static enum web_err h_echo(struct web_req *rq)
{
    const char *x = web_req_query(rq, "x");
    json_t *doc = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:b}", "method", web_req_method(rq), "a",
                            web_req_param(rq, "a"), "b", web_req_param(rq, "b"), "x", x, "lang",
                            web_req_lang(rq) == CORE_LANG_EN ? "en" : "tr", "missing",
                            web_req_param(rq, "c") == NULL);
    if (!doc)
        return WEB_E_NOMEM;
    enum web_err e = web_reply_json(rq, 200, doc);
    json_decref(doc);
    return e;
}

static enum web_err h_body(struct web_req *rq)
{
    size_t len;
    const char *body = web_req_body(rq, &len);
    struct ubuf b = UBUF_INIT(4096);
    if (ubuf_printf(&b, "%zu:", len) < 0 || ubuf_put(&b, body, len) < 0) {
        ubuf_free(&b);
        return WEB_E_NOMEM;
    }
    enum web_err e = web_reply(rq, 201, "text/plain; charset=utf-8", &b);
    ubuf_free(&b);
    return e;
}

static enum web_err h_conflict(struct web_req *rq)
{
    (void)rq;
    return WEB_E_CONFLICT;
}

static enum web_err h_silent(struct web_req *rq)
{
    (void)rq;
    return WEB_OK; /* a bug: no answer */
}

static enum web_err h_answer_then_fail(struct web_req *rq)
{
    struct ubuf b = UBUF_INIT(16);
    (void)ubuf_puts(&b, "secret");
    (void)web_reply(rq, 200, "text/plain", &b);
    ubuf_free(&b);
    return WEB_E_FORBIDDEN;
}

static enum web_err h_headers(struct web_req *rq)
{
    if (web_reply_header(rq, "X-Bad", "a\r\nSet-Cookie: x=1") == 0 ||
        web_reply_header(rq, "X-Bad:", "v") == 0 || web_reply_header(rq, "", "v") == 0)
        return WEB_E_INTERNAL; /* must have been refused */
    if (web_reply_header(rq, "Cache-Control", "public, max-age=60") < 0 ||
        web_reply_header(rq, "X-Test", "çalışıyor") < 0)
        return WEB_E_NOMEM;
    struct ubuf b = UBUF_INIT(16);
    (void)ubuf_puts(&b, "ok");
    enum web_err e = web_reply(rq, 200, "text/plain", &b);
    ubuf_free(&b);
    return e;
}

/* Uses the database, then reports the connection as failed: the pool must drop it. */
static enum web_err h_db_fail(struct web_req *rq)
{
    struct store *s = web_req_store(rq);
    if (!s)
        return WEB_E_DB_UNAVAILABLE;
    web_req_store_failed(rq);
    return WEB_E_DB_UNAVAILABLE;
}

static enum web_err h_addr(struct web_req *rq)
{
    char a[64];
    struct ubuf b = UBUF_INIT(128);
    web_req_client_addr(rq, a, sizeof a);
    enum web_err e = ubuf_puts(&b, a) == 0 ? web_reply(rq, 200, "text/plain", &b) : WEB_E_NOMEM;
    ubuf_free(&b);
    return e;
}

static const struct web_route test_routes[] = {
    {"GET", "/healthz", web_h_healthz, 0, WEB_ANSWER_JSON},
    {"GET", "/metrics", web_h_metrics, 0, WEB_ANSWER_JSON},
    {"GET", "/echo/{a}/{b}", h_echo, 0, WEB_ANSWER_JSON},
    {"POST", "/body", h_body, 16, WEB_ANSWER_JSON},
    {"PUT", "/body", h_body, 0, WEB_ANSWER_JSON},
    {"GET", "/conflict", h_conflict, 0, WEB_ANSWER_JSON},
    {"GET", "/silent", h_silent, 0, WEB_ANSWER_JSON},
    {"GET", "/answer-then-fail", h_answer_then_fail, 0, WEB_ANSWER_JSON},
    {"GET", "/headers", h_headers, 0, WEB_ANSWER_JSON},
    {"GET", "/dbfail", h_db_fail, 0, WEB_ANSWER_JSON},
    {"GET", "/addr", h_addr, 0, WEB_ANSWER_JSON},
};
/* The use cases' settings these handlers do not read (the server holds them for every
 * request). */
static const struct app_settings test_settings;
static const struct web_site test_site = {test_routes, sizeof test_routes / sizeof test_routes[0],
                                          NULL};

struct fixture {
    char dir[64];
    struct web_server *srv;
    CURL *curl;
    struct ubuf body, headers;
};

static size_t collect(char *p, size_t size, size_t n, void *cls)
{
    return ubuf_put(cls, p, size * n) == 0 ? size * n : 0;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct web_config cfg;
    struct store *st = NULL;
    char url[128], err[512];
    int fd;

    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/eimza-web-server.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(url, sizeof url, "sqlite:%s/t.db", f->dir);
    if (store_open_create(url, &st, err, sizeof err) != STORE_OK || store_migrate(st, NULL, NULL)) {
        fprintf(stderr, "store: %s\n", err);
        return -1;
    }
    web_config_defaults(&cfg);
    cfg.threads = 2;
    cfg.access_log = false;
    cfg.max_body_bytes = 1024;
    snprintf(cfg.trusted_proxies, sizeof cfg.trusted_proxies, "10.0.0.1, 127.0.0.1");
    /* New connections go to a path under a plain file, which cannot be opened: only the
     * first, good connection is usable, so a request after it was dropped shows what the
     * pool does when opening fails. */
    snprintf(url, sizeof url, "%s/afile", f->dir);
    FILE *af = fopen(url, "w");
    if (!af)
        return -1;
    fclose(af);
    snprintf(cfg.db, sizeof cfg.db, "sqlite:%s/afile/t.db", f->dir);
    if (web_listen_open("127.0.0.1:0", true, &fd, err, sizeof err) != WEB_LISTEN_OK ||
        web_server_start(&cfg, &test_settings, fd, st, 7, &test_site, &f->srv, err, sizeof err) <
            0) {
        fprintf(stderr, "server: %s\n", err);
        return -1;
    }
    f->curl = curl_easy_init();
    ubuf_init(&f->body, 1 << 20);
    ubuf_init(&f->headers, 1 << 16);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[128];
    curl_easy_cleanup(f->curl);
    web_server_free(f->srv);
    ubuf_free(&f->body);
    ubuf_free(&f->headers);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* Performs a request on the fixture's handle (so connections are reused) and returns the
 * status; *connects gets the number of new connections it needed. */
static long request(struct fixture *f, const char *method, const char *path,
                    struct curl_slist *hdrs, const char *body, long *connects)
{
    char url[256];
    long status = 0, nc = 0;
    snprintf(url, sizeof url, "%s%s", web_server_url(f->srv), path);
    ubuf_reset(&f->body);
    ubuf_reset(&f->headers);
    curl_easy_reset(f->curl);
    curl_easy_setopt(f->curl, CURLOPT_URL, url);
    curl_easy_setopt(f->curl, CURLOPT_CUSTOMREQUEST, method);
    if (!strcmp(method, "HEAD"))
        curl_easy_setopt(f->curl, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(f->curl, CURLOPT_HTTPHEADER, hdrs);
    if (body)
        curl_easy_setopt(f->curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(f->curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(f->curl, CURLOPT_WRITEDATA, &f->body);
    curl_easy_setopt(f->curl, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(f->curl, CURLOPT_HEADERDATA, &f->headers);
    curl_easy_setopt(f->curl, CURLOPT_TIMEOUT, 10L);
    CURLcode rc = curl_easy_perform(f->curl);
    if (rc != CURLE_OK)
        fail_msg("%s %s: %s", method, path, curl_easy_strerror(rc));
    curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(f->curl, CURLINFO_NUM_CONNECTS, &nc);
    if (connects)
        *connects = nc;
    return status;
}

static bool has_header(struct fixture *f, const char *line)
{
    const char *h = ubuf_str(&f->headers);
    size_t n = strlen(line);
    for (const char *p = h; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (!strncasecmp(p, line, n) && (p[n] == '\r' || p[n] == '\n'))
            return true;
    return false;
}

static void test_params_query_lang(void **state)
{
    struct fixture *f = *state;
    struct curl_slist *h = curl_slist_append(NULL, "Accept-Language: en-US,en;q=0.8");
    assert_int_equal(request(f, "GET", "/echo/%C4%B0zmir/b2?x=%3Cq%3E", NULL, NULL, NULL), 200);
    assert_string_equal(ubuf_str(&f->body), "{\"method\":\"GET\",\"a\":\"İzmir\",\"b\":\"b2\","
                                            "\"x\":\"<q>\",\"lang\":\"tr\",\"missing\":true}");
    assert_int_equal(request(f, "GET", "/echo/1/2", h, NULL, NULL), 200);
    assert_non_null(strstr(ubuf_str(&f->body), "\"lang\":\"en\""));
    assert_non_null(strstr(ubuf_str(&f->body), "\"x\":null"));
    assert_true(has_header(f, "Content-Type: application/json"));
    assert_true(has_header(f, "Cache-Control: no-store"));
    assert_true(has_header(f, "X-Frame-Options: DENY"));
    curl_slist_free_all(h);
}

static void test_errors_from_handlers(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(request(f, "GET", "/conflict", NULL, NULL, NULL), 409);
    assert_non_null(strstr(ubuf_str(&f->body), "{\"error\":{\"code\":\"conflict\",\"message\":\""));
    assert_int_equal(request(f, "GET", "/silent", NULL, NULL, NULL), 500);
    assert_non_null(strstr(ubuf_str(&f->body), "\"code\":\"internal_error\""));
    /* an answer followed by an error is replaced by the error */
    assert_int_equal(request(f, "GET", "/answer-then-fail", NULL, NULL, NULL), 403);
    assert_null(strstr(ubuf_str(&f->body), "secret"));
    assert_true(has_header(f, "Content-Security-Policy: default-src 'self'; object-src 'none'; "
                              "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
                              "form-action 'self'; connect-src 'self' http://127.0.0.1:8089"));
}

static void test_routing_errors(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(request(f, "GET", "/echo/1", NULL, NULL, NULL), 404);
    assert_non_null(strstr(ubuf_str(&f->body), "\"code\":\"not_found\""));
    assert_int_equal(request(f, "DELETE", "/body", NULL, NULL, NULL), 405);
    assert_true(has_header(f, "Allow: POST, PUT"));
    assert_int_equal(request(f, "HEAD", "/echo/1/2", NULL, NULL, NULL), 200);
    assert_int_equal(f->body.len, 0);
}

static void test_body_limits(void **state)
{
    struct fixture *f = *state;
    struct curl_slist *chunked = curl_slist_append(NULL, "Transfer-Encoding: chunked");
    assert_int_equal(request(f, "POST", "/body", NULL, "0123456789abcdef", NULL), 201);
    assert_string_equal(ubuf_str(&f->body), "16:0123456789abcdef");
    /* the route's own limit (16) */
    assert_int_equal(request(f, "POST", "/body", NULL, "0123456789abcdefX", NULL), 413);
    assert_non_null(strstr(ubuf_str(&f->body), "\"code\":\"body_too_large\""));
    assert_int_equal(request(f, "POST", "/body", chunked, "0123456789abcdefX", NULL), 413);
    assert_int_equal(request(f, "POST", "/body", chunked, "short", NULL), 201);
    assert_string_equal(ubuf_str(&f->body), "5:short");
    /* the server's limit (1024) where the route sets none */
    char big[1100];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(request(f, "PUT", "/body", NULL, big, NULL), 413);
    assert_int_equal(request(f, "PUT", "/body", chunked, big, NULL), 413);
    big[1024] = '\0';
    assert_int_equal(request(f, "PUT", "/body", NULL, big, NULL), 201);
    assert_int_equal(strncmp(ubuf_str(&f->body), "1024:xxx", 8), 0);
    curl_slist_free_all(chunked);
}

static void test_keep_alive(void **state)
{
    struct fixture *f = *state;
    long nc = -1;
    request(f, "GET", "/echo/1/2", NULL, NULL, &nc);
    request(f, "GET", "/echo/1/2", NULL, NULL, &nc);
    assert_int_equal(nc, 0); /* reused */
    request(f, "GET", "/nowhere", NULL, NULL, &nc);
    assert_int_equal(nc, 0);
    request(f, "GET", "/conflict", NULL, NULL, &nc);
    assert_int_equal(nc, 0);
    request(f, "POST", "/body", NULL, "abc", &nc);
    assert_int_equal(nc, 0);
    request(f, "GET", "/healthz", NULL, NULL, &nc);
    assert_int_equal(nc, 0);
}

static void test_handler_headers(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(request(f, "GET", "/headers", NULL, NULL, NULL), 200);
    assert_true(has_header(f, "Cache-Control: public, max-age=60"));
    assert_false(has_header(f, "Cache-Control: no-store"));
    assert_true(has_header(f, "X-Test: çalışıyor"));
    assert_null(strstr(ubuf_str(&f->headers), "Set-Cookie"));
}

/* The client's address: the peer's, or, from a trusted proxy, the nearest X-Forwarded-For entry
 * that is not a trusted proxy itself; and the Content-Security-Policy names the agent. */
static void test_client_addr_and_csp(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *xff, *want;
    } cases[] = {
        {NULL, "127.0.0.1"},
        {"X-Forwarded-For: 203.0.113.9", "203.0.113.9"},
        {"X-Forwarded-For: 198.51.100.1, 203.0.113.9 , 10.0.0.1", "203.0.113.9"},
        {"X-Forwarded-For: 2001:db8::7", "2001:db8::7"},
        {"X-Forwarded-For: not-an-address", "127.0.0.1"},
        {"X-Forwarded-For: 10.0.0.1, 127.0.0.1", "127.0.0.1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct curl_slist *h = cases[i].xff ? curl_slist_append(NULL, cases[i].xff) : NULL;
        assert_int_equal(request(f, "GET", "/addr", h, NULL, NULL), 200);
        assert_string_equal(ubuf_str(&f->body), cases[i].want);
        curl_slist_free_all(h);
    }
    assert_true(has_header(
        f, "Content-Security-Policy: default-src 'self'; object-src 'none'; "
           "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
           "connect-src 'self' http://127.0.0.1:8089"));
}

static void test_healthz_and_pool(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(request(f, "GET", "/healthz", NULL, NULL, NULL), 200);
    assert_string_equal(ubuf_str(&f->body),
                        "{\"status\":\"ok\",\"database\":\"sqlite\",\"schema\":7}");
    /* drop the only good connection; the next one cannot be opened */
    assert_int_equal(request(f, "GET", "/dbfail", NULL, NULL, NULL), 503);
    assert_int_equal(request(f, "GET", "/healthz", NULL, NULL, NULL), 503);
    assert_non_null(
        strstr(ubuf_str(&f->body), "{\"error\":{\"code\":\"database_unavailable\",\"message\":"));
    assert_int_equal(request(f, "GET", "/metrics", NULL, NULL, NULL), 200);
    assert_non_null(strstr(ubuf_str(&f->body), "\neimza_up 1\n"));
    assert_non_null(strstr(ubuf_str(&f->body), "\neimza_http_requests_total{class=\"5xx\"} "));
    assert_non_null(strstr(ubuf_str(&f->body), "\neimza_db_connections 0\n"));
}

/* Runs last: the server stops accepting, and drains at once (nothing in flight). */
static void test_quiesce(void **state)
{
    struct fixture *f = *state;
    char url[256];
    snprintf(url, sizeof url, "%s/healthz", web_server_url(f->srv));
    web_server_quiesce(f->srv);
    web_server_quiesce(f->srv); /* twice is harmless */
    assert_true(web_server_drain(f->srv, 1000));
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 2L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &f->body);
    assert_int_not_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_cleanup(c);
}

static void test_listen_open(void **state)
{
    (void)state;
    char err[256];
    int fd = -1;
    assert_int_equal(web_listen_open("0.0.0.0:0", true, &fd, err, sizeof err),
                     WEB_LISTEN_NOT_LOOPBACK);
    assert_non_null(strstr(err, "loopback"));
    assert_int_equal(fd, -1);
    assert_int_equal(web_listen_open("127.0.0.1", false, &fd, err, sizeof err), WEB_LISTEN_USAGE);
    assert_int_equal(web_listen_open("localhost:0", true, &fd, err, sizeof err), WEB_LISTEN_OK);
    assert_true(fd >= 0);
    close(fd);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_listen_open),          cmocka_unit_test(test_params_query_lang),
        cmocka_unit_test(test_errors_from_handlers), cmocka_unit_test(test_routing_errors),
        cmocka_unit_test(test_body_limits),          cmocka_unit_test(test_keep_alive),
        cmocka_unit_test(test_handler_headers),      cmocka_unit_test(test_client_addr_and_csp),
        cmocka_unit_test(test_healthz_and_pool),     cmocka_unit_test(test_quiesce),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return rc;
}
