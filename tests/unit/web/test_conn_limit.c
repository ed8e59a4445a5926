/* Unit tests for web/http/server.c at its connection limit (issue 19, the overload probe of
 * tests/soak/overload.py): with max_connections connections open and idle, one more client is
 * answered at once — 503 too_many_connections with Retry-After, the connection closed — rather
 * than left in the kernel's backlog until an idle connection times out (connection_timeout);
 * a connection past the limit that stays silent is closed after a few seconds; once a place
 * is free, requests are served again. A real server on 127.0.0.1 and a real SQLite file;
 * idle clients are plain sockets, the extra client libcurl. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "store/store.h"
#include "web/http/http_int.h"
#include "web/http/ops.h"
#include "web/http/server.h"

#define MAX_CONN 4

static const struct web_route test_routes[] = {
    {"GET", "/healthz", web_h_healthz, 0, WEB_ANSWER_JSON},
};
static const struct app_settings test_settings;
static const struct web_site test_site = {test_routes, 1, NULL};

struct fixture {
    char dir[64];
    struct web_server *srv;
    int port;
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
    snprintf(f->dir, sizeof f->dir, "/tmp/eimza-web-connlimit.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(url, sizeof url, "sqlite:%s/t.db", f->dir);
    if (store_open_create(url, &st, err, sizeof err) != STORE_OK || store_migrate(st, NULL, NULL)) {
        fprintf(stderr, "store: %s\n", err);
        return -1;
    }
    web_config_defaults(&cfg);
    cfg.threads = 2; /* MHD splits its limit between the workers */
    cfg.access_log = false;
    cfg.max_connections = MAX_CONN;
    cfg.connection_timeout = 60; /* far past the client's 10 s: waiting for it would fail */
    snprintf(cfg.db, sizeof cfg.db, "%s", url);
    if (web_listen_open("127.0.0.1:0", true, &fd, err, sizeof err) != WEB_LISTEN_OK ||
        web_server_start(&cfg, &test_settings, fd, st, 7, &test_site, &f->srv, err, sizeof err) <
            0) {
        fprintf(stderr, "server: %s\n", err);
        return -1;
    }
    const char *colon = strrchr(web_server_url(f->srv), ':');
    f->port = colon ? (int)strtol(colon + 1, NULL, 10) : 0;
    ubuf_init(&f->body, 1 << 16);
    ubuf_init(&f->headers, 1 << 16);
    *state = f;
    return f->port > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[128];
    web_server_free(f->srv);
    ubuf_free(&f->body);
    ubuf_free(&f->headers);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* A connection that sends nothing. */
static int idle_client(const struct fixture *f)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)f->port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_true(s >= 0);
    assert_int_equal(connect(s, (struct sockaddr *)&a, sizeof a), 0);
    return s;
}

/* Waits (at most 10 s) until the server counts n connections open. */
static void wait_open(const struct fixture *f, unsigned n)
{
    for (int i = 0; i < 1000 && atomic_load(&f->srv->conns) != n; i++)
        usleep(10 * 1000);
    assert_int_equal(atomic_load(&f->srv->conns), n);
}

/* GET /healthz on a new connection: the status (0 when no answer came in 10 s). */
static long healthz(struct fixture *f, double *secs)
{
    char url[256];
    long status = 0;
    struct timespec t0, t1;
    snprintf(url, sizeof url, "%s/healthz", web_server_url(f->srv));
    ubuf_reset(&f->body);
    ubuf_reset(&f->headers);
    CURL *c = curl_easy_init();
    assert_non_null(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &f->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &f->headers);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    curl_easy_cleanup(c);
    if (secs)
        *secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
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

static void test_past_the_limit(void **state)
{
    struct fixture *f = *state;
    int idle[MAX_CONN + 1];
    double secs;
    for (int i = 0; i < MAX_CONN; i++)
        idle[i] = idle_client(f);
    wait_open(f, MAX_CONN);

    /* one more: answered, not left waiting (before: no answer for connection_timeout) */
    assert_int_equal(healthz(f, &secs), 503);
    assert_true(has_header(f, "Retry-After: 5"));
    assert_true(has_header(f, "Connection: close"));
    assert_non_null(strstr(ubuf_str(&f->body), "\"code\":\"too_many_connections\""));
    printf("# past the limit: 503 after %.3f s\n", secs);
    wait_open(f, MAX_CONN); /* and its place is given back */

    /* one past the limit that says nothing is closed after a few seconds */
    idle[MAX_CONN] = idle_client(f);
    wait_open(f, MAX_CONN + 1);
    struct pollfd p = {idle[MAX_CONN], POLLIN, 0};
    assert_int_equal(poll(&p, 1, 15 * 1000), 1); /* the server's close, well before 60 s */
    char b;
    assert_true(recv(idle[MAX_CONN], &b, 1, 0) <= 0);
    close(idle[MAX_CONN]);
    wait_open(f, MAX_CONN);
    /* the ones within the limit are still open (their timeout is connection_timeout) */
    p = (struct pollfd){idle[0], POLLIN, 0};
    assert_int_equal(poll(&p, 1, 0), 0);

    /* a place free again: served */
    close(idle[0]);
    wait_open(f, MAX_CONN - 1);
    assert_int_equal(healthz(f, NULL), 200);
    for (int i = 1; i < MAX_CONN; i++)
        close(idle[i]);
    wait_open(f, 0);
    assert_int_equal(healthz(f, NULL), 200);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_past_the_limit, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
