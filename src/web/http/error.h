/* eimza — the web layer's errors and the one place that maps each to an HTTP status, a
 * stable code and a message for people (web/http/).
 *
 * Handlers return an enum web_err; the server turns anything but WEB_OK into the JSON error
 * body of docs/INTERFACES.md, {"error":{"code":"<code>","message":"<message>"}}, with the
 * status from this table. Codes are part of the API: they never change once released.
 * Messages, the catalogue's "http.<code>" (po/), are Turkish and say what to do; the English
 * ones serve Accept-Language: en.
 */
#ifndef EIMZA_WEB_HTTP_ERROR_H
#define EIMZA_WEB_HTTP_ERROR_H

#include "app/context.h"

enum web_err {
    WEB_OK = 0,
    WEB_E_BAD_REQUEST,    /* 400 bad_request: the request cannot be understood */
    WEB_E_UNAUTHORIZED,   /* 401 unauthorized: no or expired login */
    WEB_E_FORBIDDEN,      /* 403 forbidden */
    WEB_E_NOT_FOUND,      /* 404 not_found: no such path (or object) */
    WEB_E_METHOD,         /* 405 method_not_allowed (the server adds Allow) */
    WEB_E_CONFLICT,       /* 409 conflict: the object is in another state */
    WEB_E_TOO_LARGE,      /* 413 body_too_large */
    WEB_E_MEDIA_TYPE,     /* 415 unsupported_media_type */
    WEB_E_TOO_MANY,       /* 429 too_many_requests */
    WEB_E_INTERNAL,       /* 500 internal_error: a bug or a failure we cannot name */
    WEB_E_NOMEM,          /* 500 internal_error, out of memory */
    WEB_E_DB_UNAVAILABLE, /* 503 database_unavailable (Retry-After): every database failure */
    WEB_E_SHUTTING_DOWN,  /* 503 service_unavailable: the server is stopping */
    WEB_E_FRAMING,        /* 400 bad_framing: the head breaks RFC 9112 (web/http/framing.h) */
    WEB_E_CODING,         /* 501 transfer_coding_unsupported: a coding other than chunked */
    WEB_E_CONNECTIONS,    /* 503 too_many_connections: past max_connections (Retry-After) */
    WEB_E_HEAD_TOO_LARGE, /* 431 request_header_too_large: no room left for an answer (framing.h) */
    WEB_E_COUNT_          /* not an error: the number of entries */
};

unsigned web_err_status(enum web_err e);
const char *web_err_code(enum web_err e);
const char *web_err_message(enum web_err e, enum core_lang lang);
/* The Retry-After an error's answer carries (seconds, as text), or NULL for none. */
const char *web_err_retry_after(enum web_err e);

/* ---- the one rule for failures nobody can fix by changing the request --------------------
 * The database unreachable or failing, at any point of any route (the connection cannot be
 * opened, or a statement fails: STORE_EIO, which the use cases report as APP_EUNAVAILABLE
 * without a code, app/context.h) is answered the same everywhere: 503 database_unavailable
 * with Retry-After (web_err_retry_after), the JSON body on the API and a page saying to try
 * again in a few minutes and whom to ask on the pages. A failure of our own (a bug, memory) is
 * 500 internal_error. Handlers never choose between them: they return what
 * web_app_failure says, and the server answers it (web_dispatch: the header, then the page or
 * the JSON body). */
struct app_err;
struct web_req;
/* For a use case's failure without a code: marks a failed connection so it is not reused and
 * returns WEB_E_DB_UNAVAILABLE (APP_EUNAVAILABLE) or WEB_E_INTERNAL (anything else). For one
 * with a code (said to people with its own message) WEB_OK: the caller answers it. */
enum web_err web_app_failure(struct web_req *rq, const struct app_err *e);

/* The use cases' errors (app/portal.h), mapped here too so that there is one place: the
 * status from the error's class; the body
 *   {"error":{"code":"<code>","message":"<core_reason_message(code)>",
 *             "fields":{"<field>":"<message>",...},   (when there are per-field errors)
 *             "retry_after":N,                         (429: seconds; also a Retry-After header)
 *             "remaining_attempts":N}}                 (otp_wrong)
 * in the request's language; the holder's message in this deployment's words
 * (app_reason_text_deployed), the admin API's in the staff's (app_staff_reason_text). An error
 * without a code (a database or internal failure) is web_app_failure's. Returns what the
 * handler should return. */
enum web_err web_reply_app_error(struct web_req *rq, const struct app_err *e);

#endif
