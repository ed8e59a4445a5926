/* eimza — the router. See router.h. A linear scan: the table holds a few dozen routes and a
 * comparison is a handful of byte compares, far below the cost of the request itself. */
#include "web/http/router.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Matches path against pattern, filling m->params. Patterns are checked at start-up, so a
 * '{' here always has its '}' and stands for a whole segment. */
static bool web_pattern_match(const char *pat, const char *path, struct web_match *m)
{
    const char *p = pat, *u = path;
    m->nparams = 0;
    while (*p && *u) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            size_t seg = strcspn(u, "/");
            if (!close || seg == 0 || m->nparams == WEB_MAX_PARAMS)
                return false;
            struct web_param *pr = &m->params[m->nparams++];
            pr->name = p + 1;
            pr->name_len = (size_t)(close - p - 1);
            pr->value = u;
            pr->value_len = seg;
            p = close + 1;
            u += seg;
        } else {
            if (*p != *u)
                return false;
            p++;
            u++;
        }
    }
    return *p == '\0' && *u == '\0';
}

static bool web_method_matches(const char *route_method, const char *method)
{
    if (!strcmp(route_method, method))
        return true;
    return !strcmp(method, "HEAD") && !strcmp(route_method, "GET");
}

/* Adds method to the comma-separated list in allow unless it is there already. */
static void web_allow_add(char *allow, size_t size, const char *method)
{
    size_t mlen = strlen(method), len = strlen(allow);
    for (const char *a = allow; *a;) {
        size_t l = strcspn(a, ",");
        if (l == mlen && !strncmp(a, method, mlen))
            return;
        a += l;
        while (*a == ',' || *a == ' ')
            a++;
    }
    if (len + (len ? 2 : 0) + mlen + 1 > size)
        return; /* cannot happen with the methods HTTP knows; never overflow */
    snprintf(allow + len, size - len, "%s%s", len ? ", " : "", method);
}

enum web_route_result web_route_match(const struct web_route *routes, size_t n, const char *method,
                                      const char *path, struct web_match *m)
{
    struct web_match scratch;
    bool path_known = false;

    m->route = NULL;
    m->nparams = 0;
    m->allow[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (web_method_matches(routes[i].method, method) &&
            web_pattern_match(routes[i].pattern, path, m)) {
            m->route = &routes[i];
            return WEB_ROUTE_FOUND;
        }
    }
    /* No route for this method: is the path known under another one? */
    for (size_t i = 0; i < n; i++) {
        if (!web_pattern_match(routes[i].pattern, path, &scratch))
            continue;
        path_known = true;
        web_allow_add(m->allow, sizeof m->allow, routes[i].method);
        if (!strcmp(routes[i].method, "GET"))
            web_allow_add(m->allow, sizeof m->allow, "HEAD");
    }
    m->nparams = 0;
    return path_known ? WEB_ROUTE_BAD_METHOD : WEB_ROUTE_NOT_FOUND;
}

const char *web_match_param(const struct web_match *m, const char *name, size_t *len)
{
    size_t nlen = strlen(name);
    for (size_t i = 0; i < m->nparams; i++) {
        const struct web_param *p = &m->params[i];
        if (p->name_len == nlen && !memcmp(p->name, name, nlen)) {
            if (len)
                *len = p->value_len;
            return p->value;
        }
    }
    return NULL;
}

/* ---- the start-up check ------------------------------------------------------------------ */

static bool web_is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || c == '_';
}

static bool web_is_name_char(char c)
{
    return web_is_name_start(c) || (c >= '0' && c <= '9');
}

static int web_pattern_check(const char *pat, char *err, size_t errlen)
{
    const char *names[WEB_MAX_PARAMS];
    size_t lens[WEB_MAX_PARAMS], np = 0;

    if (pat[0] != '/') {
        snprintf(err, errlen, "pattern '%s' does not start with '/'", pat);
        return -1;
    }
    for (const char *p = pat; *p; p++) {
        if (*p == '}') {
            snprintf(err, errlen, "pattern '%s' has a '}' without '{'", pat);
            return -1;
        }
        if (*p != '{')
            continue;
        const char *close = strchr(p, '}');
        if (p[-1] != '/' || !close || (close[1] != '/' && close[1] != '\0')) {
            snprintf(err, errlen, "pattern '%s': a parameter must be a whole segment", pat);
            return -1;
        }
        size_t len = (size_t)(close - p - 1);
        if (len == 0 || !web_is_name_start(p[1])) {
            snprintf(err, errlen, "pattern '%s': bad parameter name", pat);
            return -1;
        }
        for (size_t i = 1; i < len; i++) {
            if (!web_is_name_char(p[1 + i])) {
                snprintf(err, errlen, "pattern '%s': bad parameter name", pat);
                return -1;
            }
        }
        for (size_t i = 0; i < np; i++) {
            if (lens[i] == len && !memcmp(names[i], p + 1, len)) {
                snprintf(err, errlen, "pattern '%s': parameter named twice", pat);
                return -1;
            }
        }
        if (np == WEB_MAX_PARAMS) {
            snprintf(err, errlen, "pattern '%s': more than %d parameters", pat, WEB_MAX_PARAMS);
            return -1;
        }
        names[np] = p + 1;
        lens[np++] = len;
        p = close;
    }
    return 0;
}

int web_routes_check(const struct web_route *routes, size_t n, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        const struct web_route *r = &routes[i];
        if (!r->method || !r->pattern || !r->handler) {
            snprintf(err, errlen, "route %zu: method, pattern and handler are required", i);
            return -1;
        }
        if (!*r->method || strspn(r->method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(r->method)) {
            snprintf(err, errlen, "route %s %s: the method must be an upper-case token", r->method,
                     r->pattern);
            return -1;
        }
        if (web_pattern_check(r->pattern, err, errlen) < 0)
            return -1;
        for (size_t j = 0; j < i; j++) {
            if (!strcmp(routes[j].method, r->method) && !strcmp(routes[j].pattern, r->pattern)) {
                snprintf(err, errlen, "route %s %s appears twice", r->method, r->pattern);
                return -1;
            }
        }
    }
    return 0;
}
