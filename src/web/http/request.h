/* eimza — what a handler sees of a request and how it answers (web/http/).
 *
 * A handler is `enum web_err handler(struct web_req *rq)`, named in the route table
 * (web/routes.c). It runs once per request, after the whole body has arrived (within the
 * route's limit), on a worker thread. It either answers with one of the web_reply_*()
 * functions and returns WEB_OK, or returns an error and the server answers with the JSON
 * error body of that error (web/error.h). Handlers stay thin: validate, call the service
 * (app/), render.
 *
 * Lifetimes: every string a web_req_*() accessor returns belongs to the request and lives
 * until the request completes; handlers never free them. The server adds the security
 * headers, Cache-Control: no-store (unless the handler set its own), X-Request-Id, and the
 * access log line.
 */
#ifndef EIMZA_WEB_HTTP_REQUEST_H
#define EIMZA_WEB_HTTP_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/context.h"
#include "util/buf.h"
#include "web/http/error.h"
#include "web/http/router.h"

struct store;
struct web_req;

const char *web_req_method(const struct web_req *rq); /* "HEAD" reaches GET handlers */
const char *web_req_path(const struct web_req *rq);   /* decoded, without the query string */
/* A path parameter of the route ("id" in /x/{id}), NUL-terminated; NULL if no such name. */
const char *web_req_param(const struct web_req *rq, const char *name);
/* A query-string argument (decoded) or a request header (name case-insensitive); NULL if
 * absent. */
const char *web_req_query(const struct web_req *rq, const char *name);
const char *web_req_header(const struct web_req *rq, const char *name);

/* ---- numbers in URLs: the one rule (docs/INTERFACES.md, "Numbers in URLs") ------------------
 *
 * An id (of an application, a card, a message, a batch) has one written form, so that the same
 * record is never reached by two addresses and an enumeration has one spelling to try: a
 * canonical positive decimal, digits only, the first 1-9 (no sign, no leading zero, no spaces,
 * nothing after), at most INT64_MAX (9223372036854775807: every id column is a 64-bit integer on
 * both databases). Anything else is no such record: the handler answers 404 as for an unknown
 * id. */
/* The id written in s[0..len) (s need not end there: "12.csv"); false when it is not one. */
bool web_id_parse(const char *s, size_t len, int64_t *out);
/* The path parameter name ("id" in /x/{id}) as an id; false (answer 404) when absent or not
 * one. *out is set only on success. */
bool web_req_param_id(const struct web_req *rq, const char *name, int64_t *out);
/* A whole number written in decimal: an optional '-', then digits (leading zeros allowed: a
 * plate code "06"); no '+', no spaces, nothing after; within min..max. True and *out set when
 * s is one; false (*out unchanged) otherwise, NULL and "" included. */
bool web_num_parse(const char *s, long min, long max, long *out);
/* A number of the query string: absent or "" leaves *out (the default) and is true; a value
 * web_num_parse refuses (malformed, or outside min..max) adds the field error
 * name: integer_format to err and is false (the API answers 400 invalid_fields). */
bool web_req_query_num(const struct web_req *rq, const char *name, long min, long max, long *out,
                       struct app_err *err);
/* The request body (NUL-terminated for convenience; may hold NULs); "" and 0 if none. */
const char *web_req_body(const struct web_req *rq, size_t *len);
/* How the route answers errors (web/http/router.h); WEB_ANSWER_JSON when no route matched. */
enum web_answer web_req_answer(const struct web_req *rq);
/* This request's id, as in the access log and the X-Request-Id response header. */
const char *web_req_id(const struct web_req *rq);
/* The language for messages: English when Accept-Language prefers it, else Turkish. */
/* The page language an Accept-Language value asks for (its first range; NULL: Turkish). */
enum core_lang web_lang_of(const char *accept_language);
enum core_lang web_req_lang(const struct web_req *rq);
/* The local signing agent's address (config agent_url), for the signing page. */
const char *web_req_agent_url(const struct web_req *rq);
/* The folder of the agent's packages served at /indir/ (config agent_packages_dir; "" when
 * none), and where the pages send people for them (config agent_download_url, a folder's URL
 * ending in '/'). */
const char *web_req_packages_dir(const struct web_req *rq);
const char *web_req_download_url(const struct web_req *rq);
/* True in development mode (--dev). */
bool web_req_dev(const struct web_req *rq);
/* True where the cards are made in house (config production = inhouse): the texts that send
 * people to Kamu SM are given as their in-house twins (app_reason_text_deployed). */
bool web_req_inhouse(const struct web_req *rq);
/* The client's IP address as text ("127.0.0.1", "::1") in buf[len]; "unknown" when MHD does
 * not say. A request from a trusted proxy (config trusted_proxies) names its client in
 * X-Forwarded-For: the nearest entry that is not a trusted proxy, when it is an IP address.
 * For rate limits; never log it with personal data. Returns buf. */
const char *web_req_client_addr(const struct web_req *rq, char *buf, size_t len);
/* A cookie of the request by name; NULL if absent. */
const char *web_req_cookie(const struct web_req *rq, const char *name);
/* True when the request came over TLS to this server, or through a proxy that says it did
 * (X-Forwarded-Proto: https): then cookies get the Secure attribute. Trusting the header can
 * only add that restriction, never remove one. */
bool web_req_tls(const struct web_req *rq);

/* The database connection for this request, borrowed from the pool on first use and given
 * back when the handler returns; an opaque handle the use cases take (app/context.h, through
 * web/http/context.h). NULL when the database cannot be reached: return
 * WEB_E_DB_UNAVAILABLE. */
struct store *web_req_store(struct web_req *rq);
/* Tells the server the connection failed (a store call returned STORE_EIO): it is closed
 * rather than reused, and the next request opens a new one. */
void web_req_store_failed(struct web_req *rq);

/* Answers with status, a Content-Type (a string literal or other static text) and body,
 * whose memory the response takes (body is left empty). Returns WEB_OK, or WEB_E_INTERNAL
 * when called twice. */
enum web_err web_reply(struct web_req *rq, unsigned status, const char *content_type,
                       struct ubuf *body);
/* The same with a body that is not copied: it must live as long as the server (a string
 * literal, or data made at start-up). For fixed answers on hot paths. */
enum web_err web_reply_static(struct web_req *rq, unsigned status, const char *content_type,
                              const char *body, size_t len);
/* Answers with doc serialised as compact UTF-8 JSON (application/json). doc stays the
 * caller's. WEB_E_NOMEM when it cannot be serialised. */
enum web_err web_reply_json(struct web_req *rq, unsigned status, const json_t *doc);
/* Answers with the JSON error body of e and its status, in the request's language. */
enum web_err web_reply_error(struct web_req *rq, enum web_err e);
/* Adds a response header (before or after the reply). Refuses (-1) names and values with
 * control characters, and more than 2 KiB of extra headers. */
int web_reply_header(struct web_req *rq, const char *name, const char *value);

#endif
