/* eimza — the status answer's cache (web/api/): `GET /api/v1/application/status` is what people
 * and scripts reload while they wait, and its answer changes only when the application or the
 * session does. The JSON answer is kept per session and language for a short time to live and
 * served again while nothing this process wrote could have changed it (store.h, change
 * generations) and the session needs no write. Changes made by another server sharing the
 * database show at most the time to live later. Thread-safe; process-wide. */
#ifndef EIMZA_WEB_API_STATUSCACHE_H
#define EIMZA_WEB_API_STATUSCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/portal.h"
#include "util/buf.h"

/* Sets the time to live in milliseconds (0 turns the cache off, the default) and empties the
 * cache. Called at start-up, before requests. */
void web_status_cache_configure(int ttl_ms);
/* Frees what the cache holds (at shutdown). */
void web_status_cache_clear(void);

/* Appends the kept answer for the session of token_hash in lang to out and returns true,
 * when there is one that is still good at `now` (the portal's clock, for the session's
 * validity); false otherwise (out unchanged). */
bool web_status_cache_get(const char *token_hash, enum core_lang lang, int64_t now,
                          struct ubuf *out);
/* Keeps body as the answer for the view's session and language, unless something changed
 * since the view was read (then nothing is kept). */
void web_status_cache_put(const struct app_status_view *v, const char *body, size_t len);

#endif
