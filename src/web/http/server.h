/* eimza — the HTTP server (web/http/): libmicrohttpd with an epoll thread pool, the route table,
 * one database connection per worker in use, graceful shutdown. `eimza serve` (cli/) drives
 * it: open the listen socket, start, wait for a signal, quiesce, drain, free.
 */
#ifndef EIMZA_WEB_HTTP_SERVER_H
#define EIMZA_WEB_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "app/context.h"
#include "web/http/config.h"
#include "web/http/router.h"

struct store;
struct web_server;

enum web_listen_result {
    WEB_LISTEN_OK = 0,
    WEB_LISTEN_USAGE,        /* a malformed address */
    WEB_LISTEN_NOT_LOOPBACK, /* a non-loopback one when loopback_only */
    WEB_LISTEN_FAILED,       /* the name does not resolve, or binding failed (in use, no right) */
};

/* Opens a listening TCP socket for "HOST:PORT" / "[IPV6]:PORT". With loopback_only every
 * address the host resolves to must be a loopback address (127.0.0.0/8, ::1). On success
 * *fd is the socket (non-blocking, close-on-exec); otherwise err says why. */
enum web_listen_result web_listen_open(const char *listen, bool loopback_only, int *fd, char *err,
                                       size_t errlen);

/* What a server serves: its route table, and how the routes whose answer is a page
 * (web/http/router.h) answer an error their handler returned without answering: error_page
 * writes that page and returns WEB_OK, or returns an error and the JSON body goes out instead
 * (NULL: always JSON). */
struct web_site {
    const struct web_route *routes;
    size_t nroutes;
    enum web_err (*error_page)(struct web_req *rq, enum web_err e);
};

/* Starts serving site on listen_fd (taken over, also on failure) with the server's settings in
 * cfg and the use cases' settings in set (app/context.h), which the server holds for every
 * request's context. st is an open connection to cfg->db whose schema is current; the server
 * takes it over (also on failure) and opens more connections to cfg->db as threads need them.
 * backend and schema are what /healthz reports. site and set must outlive the server. Returns
 * 0, or -1 with the reason in err. */
int web_server_start(const struct web_config *cfg, const struct app_settings *set, int listen_fd,
                     struct store *st, int schema, const struct web_site *site,
                     struct web_server **out, char *err, size_t errlen);

/* The URL the server answers on, e.g. "http://127.0.0.1:8080" or "http://[::1]:8080" (with
 * the port the kernel chose for port 0). */
const char *web_server_url(const struct web_server *srv);
const char *web_server_backend(const struct web_server *srv);

/* A background worker of the process (the outbox's sender) that /readyz asks about: the
 * server is ready only while alive(ctx, &why) says true (why: a word for the answer when it
 * says false). Up to four; alive is called on any worker thread, so it must be thread-safe,
 * and ctx must outlive the server. Returns 0, or -1 when there is no room. */
int web_server_watch(struct web_server *srv, const char *name,
                     bool (*alive)(void *ctx, const char **why), void *ctx);

/* Stops accepting connections; requests in flight go on, and their responses close their
 * connections. Safe to call more than once. */
void web_server_quiesce(struct web_server *srv);

/* HTTPS served here: loads tls_cert and tls_key again (only when either file changed, with
 * only_if_changed), so a renewed certificate is used from the next handshake on. Returns 1
 * when a new pair is in use (logged), 0 when nothing changed or the server speaks plain HTTP,
 * -1 with the reason in err when the files do not make a good pair (the old one stays). */
int web_server_tls_reload(struct web_server *srv, bool only_if_changed, char *err, size_t errlen);
/* Waits until no request is in flight or timeout_ms passed; true when none is left. */
bool web_server_drain(struct web_server *srv, int timeout_ms);
/* Stops the threads, closes every connection (network and database) and frees srv. */
void web_server_free(struct web_server *srv);

#endif
