/* eimza — the handler's side of a request: accessors and replies. See request.h. */
#include <limits.h>
#include <microhttpd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/context.h"
#include "app/db.h"
#include "web/http/dbpool.h"
#include "web/html/escape.h"
#include "web/http/http_int.h"

const char *web_req_method(const struct web_req *rq)
{
    return rq->method;
}

const char *web_req_path(const struct web_req *rq)
{
    return rq->path;
}

const char *web_req_param(const struct web_req *rq, const char *name)
{
    size_t nlen = strlen(name);
    for (size_t i = 0; i < rq->match.nparams; i++) {
        const struct web_param *p = &rq->match.params[i];
        if (p->name_len == nlen && !memcmp(p->name, name, nlen))
            return rq->param_values[i];
    }
    return NULL;
}

const char *web_req_query(const struct web_req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

bool web_id_parse(const char *s, size_t len, int64_t *out)
{
    int64_t v = 0;
    if (!s || !len || s[0] < '1' || s[0] > '9')
        return false;
    for (size_t i = 0; i < len; i++) {
        int d = s[i] - '0';
        if (d < 0 || d > 9 || v > (INT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool web_req_param_id(const struct web_req *rq, const char *name, int64_t *out)
{
    const char *v = web_req_param(rq, name);
    return v && web_id_parse(v, strlen(v), out);
}

bool web_num_parse(const char *s, long min, long max, long *out)
{
    bool neg = s && *s == '-';
    long v = 0;
    if (!s || !s[neg] || min > max)
        return false;
    for (const char *p = s + neg; *p; p++) {
        int d = *p - '0';
        if (d < 0 || d > 9)
            return false;
        /* accumulated towards the sign, so LONG_MIN is reachable and nothing overflows */
        if (neg ? v < (LONG_MIN + d) / 10 : v > (LONG_MAX - d) / 10)
            return false;
        v = v * 10 + (neg ? -d : d);
    }
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool web_req_query_num(const struct web_req *rq, const char *name, long min, long max, long *out,
                       struct app_err *err)
{
    const char *v = web_req_query(rq, name);
    if (!v || !*v || web_num_parse(v, min, max, out))
        return true;
    app_err_field(err, name, "integer_format");
    return false;
}

const char *web_req_header(const struct web_req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *web_req_body(const struct web_req *rq, size_t *len)
{
    if (len)
        *len = rq->body.len;
    return ubuf_str(&rq->body);
}

enum web_answer web_req_answer(const struct web_req *rq)
{
    return rq->routed == WEB_ROUTE_FOUND ? rq->match.route->answer : WEB_ANSWER_JSON;
}

const char *web_req_id(const struct web_req *rq)
{
    return rq->rid;
}

const char *web_req_agent_url(const struct web_req *rq)
{
    return rq->srv->agent_url;
}

const char *web_req_packages_dir(const struct web_req *rq)
{
    return rq->srv->packages_dir;
}

const char *web_req_download_url(const struct web_req *rq)
{
    return rq->srv->download_url;
}

bool web_req_dev(const struct web_req *rq)
{
    return rq->srv->dev;
}

bool web_req_inhouse(const struct web_req *rq)
{
    return rq->srv->set && rq->srv->set->portal.production == APP_PRODUCTION_INHOUSE;
}

/* Only the first language range counts: pages are Turkish unless the browser's first choice
 * is English ("en", "en-GB", "en;q=0.9"). */
enum core_lang web_lang_of(const char *al)
{
    if (!al)
        return CORE_LANG_TR;
    al += strspn(al, " \t");
    if (!strncasecmp(al, "en", 2) && strchr("-;, \t", al[2]))
        return CORE_LANG_EN;
    return CORE_LANG_TR;
}

enum core_lang web_req_lang(const struct web_req *rq)
{
    return web_lang_of(web_req_header(rq, MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
}

int64_t web_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no system call */
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct store *web_req_store(struct web_req *rq)
{
    if (!rq->store) {
        rq->store = web_dbpool_get(rq->srv->pool, web_mono_ms(), rq->rid, &rq->store_gen);
        if (rq->store)
            app_db_counters(rq->store, &rq->db_statements0, &rq->db_round_trips0);
    }
    return rq->store;
}

void web_req_store_release(struct web_req *rq)
{
    if (!rq->store)
        return;
    long st, rt;
    app_db_counters(rq->store, &st, &rt);
    rq->db_statements += st - rq->db_statements0;
    rq->db_round_trips += rt - rq->db_round_trips0;
    web_dbpool_put(rq->srv->pool, rq->store, rq->store_gen, rq->store_failed);
    rq->store = NULL;
}

void web_req_store_failed(struct web_req *rq)
{
    rq->store_failed = true;
}

enum web_err web_reply(struct web_req *rq, unsigned status, const char *content_type,
                       struct ubuf *body)
{
    if (rq->answered)
        return WEB_E_INTERNAL;
    rq->answered = true;
    rq->status = status;
    rq->ctype = content_type;
    rq->resp_len = body ? body->len : 0;
    rq->resp = body ? ubuf_steal(body) : NULL;
    return WEB_OK;
}

enum web_err web_reply_static(struct web_req *rq, unsigned status, const char *content_type,
                              const char *body, size_t len)
{
    if (rq->answered)
        return WEB_E_INTERNAL;
    rq->answered = true;
    rq->status = status;
    rq->ctype = content_type;
    rq->resp_static = body;
    rq->resp_len = len;
    return WEB_OK;
}

enum web_err web_reply_json(struct web_req *rq, unsigned status, const json_t *doc)
{
    if (rq->answered)
        return WEB_E_INTERNAL;
    char *text = json_dumps(doc, JSON_COMPACT);
    if (!text)
        return WEB_E_NOMEM;
    rq->answered = true;
    rq->status = status;
    rq->ctype = "application/json";
    rq->resp = text;
    rq->resp_len = strlen(text);
    return WEB_OK;
}

enum web_err web_reply_error(struct web_req *rq, enum web_err e)
{
    struct ubuf b = UBUF_INIT(4096);
    enum web_err rc = WEB_E_NOMEM;
    if (ubuf_puts(&b, "{\"error\":{\"code\":") < 0 ||
        web_json_string_str(&b, web_err_code(e)) < 0 || ubuf_puts(&b, ",\"message\":") < 0 ||
        web_json_string_str(&b, web_err_message(e, web_req_lang(rq))) < 0 ||
        ubuf_puts(&b, "}}") < 0)
        goto out;
    rc = web_reply(rq, web_err_status(e), "application/json", &b);
out:
    ubuf_free(&b);
    return rc;
}

static bool web_header_text_ok(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7F)
            return false;
    return true;
}

/* Whether a Set-Cookie value already has the Secure attribute. */
static bool web_cookie_secure(const char *v)
{
    for (const char *p = strchr(v, ';'); p; p = strchr(p + 1, ';')) {
        const char *a = p + 1;
        while (*a == ' ')
            a++;
        if (!strncasecmp(a, "secure", 6) && (a[6] == '\0' || a[6] == ';' || a[6] == ' '))
            return true;
    }
    return false;
}

int web_reply_header(struct web_req *rq, const char *name, const char *value)
{
    if (!*name || !web_header_text_ok(name) || strchr(name, ':') || !web_header_text_ok(value))
        return -1;
    /* over HTTPS (here or at a trusted proxy) every cookie is Secure, whoever set it */
    bool secure = !strcasecmp(name, "Set-Cookie") && !web_cookie_secure(value) && web_req_tls(rq);
    size_t start = rq->headers.len;
    if (ubuf_put(&rq->headers, name, strlen(name) + 1) < 0 ||
        ubuf_put(&rq->headers, value, strlen(value) + (secure ? 0 : 1)) < 0 ||
        (secure && ubuf_put(&rq->headers, "; Secure", sizeof "; Secure") < 0)) {
        rq->headers.len = start;
        return -1;
    }
    if (!strcasecmp(name, MHD_HTTP_HEADER_CACHE_CONTROL))
        rq->own_cache_control = true;
    return 0;
}
