/* eimza — where the pages' static files are (web/http/): our own under static/ (CSS, scripts,
 * images) and the CSS library installed by npm under node_modules/ beside it.
 *
 * The folder is the `static_dir` setting (web/config.h; "static", the source tree's, when
 * the server runs from the source tree as `make run` does). It is set once, before the
 * server starts, and only read afterwards. GET /static/{dir}/{file} (web_h_static in
 * static.c) serves static_dir/{dir}/{file}, and /static/vendor/{file} the few library
 * files named in a table there, from static_dir/../node_modules/; nothing else.
 */
#ifndef EIMZA_WEB_HTTP_STATIC_H
#define EIMZA_WEB_HTTP_STATIC_H

#include <stdbool.h>

#include <stddef.h>

#include "web/http/request.h"

/* Sets the static folder. Returns 0, or -1 with the reason in err when dir is too long or
 * is not a readable folder. Call before any server starts (not thread-safe). */
int web_static_configure(const char *dir, char *err, size_t errlen);

/* The static folder in use ("static" unless configured). */
const char *web_static_dir(void);

/* GET /static/{dir}/{file}. */
enum web_err web_h_static(struct web_req *rq);

/* True when an If-None-Match list ("a", W/"b", *) holds etag (weak comparison, RFC 9110). */
bool web_etag_listed(const char *list, const char *etag);

#endif
