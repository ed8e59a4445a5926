/* eimza — the error table of the web layer. See error.h. */
#include "web/http/error.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "app/context.h"
#include "app/text.h"
#include "web/html/escape.h"
#include "web/http/request.h"

/* Each error's status, stable code and Retry-After (NULL: none); its message is the
 * catalogue's "http.<code>". A database failure says "in a few minutes"
 * (http.database_unavailable): two minutes lets a restarted PostgreSQL come back without a storm of
 * retries meanwhile. */
static const struct {
    unsigned status;
    const char *code;
    const char *retry_after;
} web_errors[WEB_E_COUNT_] = {
    [WEB_OK] = {200, "ok"},
    [WEB_E_BAD_REQUEST] = {400, "bad_request"},
    [WEB_E_UNAUTHORIZED] = {401, "unauthorized"},
    [WEB_E_FORBIDDEN] = {403, "forbidden"},
    [WEB_E_NOT_FOUND] = {404, "not_found"},
    [WEB_E_METHOD] = {405, "method_not_allowed"},
    [WEB_E_CONFLICT] = {409, "conflict"},
    [WEB_E_TOO_LARGE] = {413, "body_too_large"},
    [WEB_E_MEDIA_TYPE] = {415, "unsupported_media_type"},
    [WEB_E_TOO_MANY] = {429, "too_many_requests"},
    [WEB_E_INTERNAL] = {500, "internal_error"},
    [WEB_E_NOMEM] = {500, "internal_error"},
    [WEB_E_DB_UNAVAILABLE] = {503, "database_unavailable", "120"},
    [WEB_E_SHUTTING_DOWN] = {503, "service_unavailable"},
    [WEB_E_FRAMING] = {400, "bad_framing"},
    [WEB_E_CODING] = {501, "transfer_coding_unsupported"},
    [WEB_E_CONNECTIONS] = {503, "too_many_connections", "5"},
    [WEB_E_HEAD_TOO_LARGE] = {431, "request_header_too_large"},
};

/* Anything outside the table is treated as an internal error rather than read out of
 * bounds: an unknown value can only come from a bug. */
static size_t web_err_index(enum web_err e)
{
    return ((unsigned)e < WEB_E_COUNT_) ? (size_t)e : (size_t)WEB_E_INTERNAL;
}

unsigned web_err_status(enum web_err e)
{
    return web_errors[web_err_index(e)].status;
}

const char *web_err_code(enum web_err e)
{
    return web_errors[web_err_index(e)].code;
}

const char *web_err_message(enum web_err e, enum core_lang lang)
{
    const char *t = app_text_of("http", web_errors[web_err_index(e)].code, lang);
    return t ? t : "";
}

const char *web_err_retry_after(enum web_err e)
{
    return web_errors[web_err_index(e)].retry_after;
}

enum web_err web_app_failure(struct web_req *rq, const struct app_err *e)
{
    if (e->store_failed)
        web_req_store_failed(rq);
    if (e->code)
        return WEB_OK;
    return e->status == APP_EUNAVAILABLE ? WEB_E_DB_UNAVAILABLE : WEB_E_INTERNAL;
}

/* Whether the request is a staff one: the admin API's answers speak to staff, so a reason with
 * staff words of its own ("staff.<code>", app_staff_reason_text) has them there. */
static bool web_err_for_staff(const struct web_req *rq)
{
    static const char prefix[] = "/api/v1/admin/";
    const char *path = web_req_path(rq);
    return web_req_answer(rq) == WEB_ANSWER_STAFF_PAGE ||
           (path && !strncmp(path, prefix, sizeof prefix - 1));
}

enum web_err web_reply_app_error(struct web_req *rq, const struct app_err *e)
{
    enum web_err failure = web_app_failure(rq, e);
    if (failure != WEB_OK)
        return failure;
    enum core_lang lang = web_req_lang(rq);
    bool inhouse = web_req_inhouse(rq); /* the holder's words in this deployment */
    struct ubuf b = UBUF_INIT(16384);
    enum web_err rc = WEB_E_NOMEM;
    int bad = ubuf_puts(&b, "{\"error\":{\"code\":") | web_json_string_str(&b, e->code) |
              ubuf_puts(&b, ",\"message\":") |
              web_json_string_str(&b, web_err_for_staff(rq)
                                          ? app_staff_reason_text(e->code, lang)
                                          : app_reason_text_deployed(e->code, lang, inhouse));
    if (e->nfields) {
        bad |= ubuf_puts(&b, ",\"fields\":{");
        for (size_t i = 0; i < e->nfields; i++)
            bad |= ubuf_puts(&b, i ? "," : "") | web_json_string_str(&b, e->fields[i].field) |
                   ubuf_putc(&b, ':') |
                   web_json_string_str(
                       &b, app_field_message(e->fields[i].field, e->fields[i].code, lang, inhouse));
        bad |= ubuf_putc(&b, '}');
    }
    if (e->retry_after > 0)
        bad |= ubuf_printf(&b, ",\"retry_after\":%lld", (long long)e->retry_after);
    if (e->remaining >= 0)
        bad |= ubuf_printf(&b, ",\"remaining_attempts\":%d", e->remaining);
    bad |= ubuf_puts(&b, "}}");
    if (!bad && e->retry_after > 0) {
        char ra[24];
        snprintf(ra, sizeof ra, "%lld", (long long)e->retry_after);
        bad |= web_reply_header(rq, "Retry-After", ra);
    }
    if (!bad)
        rc = web_reply(rq, app_status_http(e->status), "application/json", &b);
    ubuf_free(&b);
    return rc;
}
