/* eimza — the router (web/http/): a table of routes, matched by method and path.
 *
 * A pattern is a path whose segments are literal text or a parameter "{name}" standing for
 * one whole, non-empty segment: "/api/v1/admin/applications/{id}/decision". Routes are
 * tried in table order and the first whose method and pattern match wins (put literal
 * routes before parameterised ones that overlap them). A HEAD request matches a GET route.
 * When a pattern matches but no method does, the result is "method not allowed" with the
 * Allow header's value; when nothing matches, "not found". Matching never allocates: the
 * parameter values are slices of the path given.
 */
#ifndef EIMZA_WEB_HTTP_ROUTER_H
#define EIMZA_WEB_HTTP_ROUTER_H

#include <stddef.h>

#include "web/http/error.h"

struct web_req;

#define WEB_MAX_PARAMS 4

/* How a route answers an error its handler returns without answering itself: the JSON error
 * body of the API (web/http/error.h), or a small HTML page in the page's language, with a way
 * on to the applicant's home page or the staff's queue (the server's error_page hook,
 * web/http/server.h). */
enum web_answer {
    WEB_ANSWER_JSON = 0,
    WEB_ANSWER_PAGE,       /* an applicant's page */
    WEB_ANSWER_STAFF_PAGE, /* a staff page */
};

struct web_route {
    const char *method;  /* "GET", "POST", "PUT", ... */
    const char *pattern; /* "/healthz", "/api/v1/admin/applications/{id}/decision" */
    enum web_err (*handler)(struct web_req *rq);
    size_t max_body;        /* the largest request body accepted; 0: the server's max_body_bytes */
    enum web_answer answer; /* errors as JSON (the default) or as a page */
};

struct web_param {
    const char *name; /* points into the route's pattern */
    size_t name_len;
    const char *value; /* points into the matched path */
    size_t value_len;
};

enum web_route_result {
    WEB_ROUTE_FOUND,
    WEB_ROUTE_NOT_FOUND,
    WEB_ROUTE_BAD_METHOD,
};

struct web_match {
    const struct web_route *route; /* set when FOUND */
    size_t nparams;
    struct web_param params[WEB_MAX_PARAMS];
    char allow[96]; /* when BAD_METHOD: the Allow header's value, e.g. "GET, HEAD" */
};

/* Checks a table once at start-up: patterns start with '/', parameters are whole segments
 * with names of [a-z_][a-z0-9_]* (at most WEB_MAX_PARAMS, no name twice), methods are
 * upper-case tokens, every route has a handler, no (method, pattern) pair appears twice.
 * Returns 0, or -1 with the reason in err. */
int web_routes_check(const struct web_route *routes, size_t n, char *err, size_t errlen);

/* Matches method and path (the decoded path, without the query string) against the table. */
enum web_route_result web_route_match(const struct web_route *routes, size_t n, const char *method,
                                      const char *path, struct web_match *m);

/* The value of the parameter called name in m, or NULL; *len gets its length. */
const char *web_match_param(const struct web_match *m, const char *name, size_t *len);

#endif
